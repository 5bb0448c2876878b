/*
 * quicklist: the chunked list behind a large list (encoding "quicklist"): a doubly linked list
 * of nodes, each a listpack of a bounded size or, for one element too large for any node, a
 * "plain" node holding that element's bytes alone (Redis 7.0's PLAIN container).
 *
 * Node sizes follow Redis 7.4+'s quicklist.c, so that the node boundaries (what DUMP writes,
 * and what decides when a list may go back to a single listpack) are the ones a modern Redis
 * would have for the same history: `fill` is list-max-listpack-size (negative: a node holds at
 * most 4, 8, 16, 32 or 64 KiB for -1..-5; positive: at most that many entries and 8 KiB), an
 * element larger than the node limit gets a plain node, an insert into a full node splits it
 * and merges the neighbours that fit. list-compress-depth is not implemented: nodes are never
 * compressed.
 *
 * Used by t_list.c (the list operations) and rdb_list.c (which builds quicklists node by node
 * from RDB). Everything else reaches lists through t_list.h. Allocation via storage/base/mem.h.
 */
#ifndef REPLICANT_QUICKLIST_H
#define REPLICANT_QUICKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ql_node {
	struct ql_node *prev;
	struct ql_node *next;
	unsigned char *entry;	/* a listpack, or the element's bytes (plain) */
	size_t sz;		/* lp_bytes(entry), or the plain element's length */
	uint32_t count;		/* elements in the node: 1 for a plain node */
	bool plain;
};

struct quicklist {
	struct ql_node *head;
	struct ql_node *tail;
	size_t count;		/* elements */
	size_t len;		/* nodes */
};

/*
 * A position: one element of a quicklist. p is the listpack entry (NULL in a plain node);
 * offset its index inside the node. Valid until the quicklist changes, except where a function
 * below says it updates it.
 */
struct ql_pos {
	struct ql_node *node;
	unsigned char *p;
	uint32_t offset;
};

/*
 * Redis' quicklistNodeLimit: the byte limit (SIZE_MAX if none) and entry limit (SIZE_MAX if
 * none) of a node under fill.
 */
void ql_node_limit(int fill, size_t *sz, size_t *count);
/* Redis' quicklistNodeExceedsLimit: true if a node of sz bytes and count entries is too big. */
bool ql_node_exceeds_limit(int fill, size_t sz, size_t count);
/* True if an element of sz bytes gets a plain node of its own under fill. */
bool ql_is_large(int fill, size_t sz);

/* Returns a new empty quicklist. Free with ql_free. */
struct quicklist *ql_new(void);
/* Frees ql and every node (NULL is accepted). */
void ql_free(struct quicklist *ql);
/* Returns a deep copy of ql with the same nodes. */
struct quicklist *ql_dup(const struct quicklist *ql);
/* Returns the bytes ql occupies (nodes, listpacks, plain elements), allocator overhead included. */
size_t ql_mem(const struct quicklist *ql);

/* Adds the len bytes at s at the head (head true) or the tail, as quicklistPush. */
void ql_push(struct quicklist *ql, int fill, const void *s, size_t len, bool head);
/* Appends a node holding lp (taken; must hold at least one entry), as RDB loading does. */
void ql_append_listpack(struct quicklist *ql, unsigned char *lp);
/* Appends a plain node holding the len bytes at data (taken, xmalloc'd; len > 0). */
void ql_append_plain(struct quicklist *ql, unsigned char *data, size_t len);
/*
 * Detaches and returns the listpack of ql's only node, emptying ql (which the caller frees).
 * ql must have exactly one node, a packed one.
 */
unsigned char *ql_take_single_listpack(struct quicklist *ql);

/*
 * Sets *pos to element index (negative counts from the tail, -1 the last). Returns false
 * (pos untouched) if there is no such element.
 */
bool ql_seek(const struct quicklist *ql, int64_t index, struct ql_pos *pos);
/* Moves pos to the next (forward) or previous element; returns false at the end. */
bool ql_step(struct ql_pos *pos, bool forward);
/*
 * Reads the element at pos: returns its bytes (inside the node) and sets *len, or returns NULL
 * for an integer entry and sets *v.
 */
const unsigned char *ql_get(const struct ql_pos *pos, size_t *len, int64_t *v);
/* True if the element at pos equals the len bytes at s. */
bool ql_eq(const struct ql_pos *pos, const void *s, size_t len);

/*
 * Deletes count elements from index start (negative from the tail), as quicklistDelRange:
 * fewer if the list ends first. Whole nodes are freed, partial ones trimmed; nothing merges.
 */
void ql_del_range(struct quicklist *ql, int64_t start, int64_t count);
/*
 * Deletes the element at pos (quicklistDelEntry) and moves pos to the element that followed
 * it in the direction of travel. Returns false when there is none (pos is then invalid).
 */
bool ql_delete_at(struct quicklist *ql, struct ql_pos *pos, bool forward);
/* Replaces the element at pos with s/len (quicklistReplaceEntry). pos is invalid afterwards. */
void ql_replace(struct quicklist *ql, int fill, struct ql_pos *pos, const void *s, size_t len);
/*
 * Inserts s/len after (after true) or before the element at pos (quicklistInsertAfter /
 * Before), splitting or merging nodes as Redis does. pos is invalid afterwards.
 */
void ql_insert(struct quicklist *ql, int fill, struct ql_pos *pos, const void *s, size_t len,
    bool after);

#endif
