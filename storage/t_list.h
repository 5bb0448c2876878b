/*
 * t_list: the list type: its two encodings, the operations the list commands (and SORT) need,
 * and the payload hooks that obj.c calls for every value of type OBJ_LIST.
 *
 * Encodings, with Redis 7.2+'s rules (t_list.c listTypeTryConversion):
 *   OBJ_ENC_LISTPACK   a small list in one listpack (the payload is the listpack).
 *   OBJ_ENC_QUICKLIST  a quicklist (quicklist.h) of listpack nodes and plain nodes.
 * A listpack becomes a quicklist before a write would take it past list-max-listpack-size
 * (tlist_grow); a quicklist that is down to one packed node of at most half the limit
 * becomes a listpack again after a removal (tlist_shrink). The limit is read from obj_limits.
 *
 * Data flow: replica/commands/cmd_list.c parses a command, looks the key up, and calls these;
 * rdb_list.c builds values for RESTORE and the RDB loader. Write functions take the key's
 * struct obj and may replace its payload (obj_set_ptr / obj_set_payload). They never delete
 * the key: a caller that leaves a list empty deletes it (store_delete), as Redis does.
 *
 * Elements are binary-safe strings; one that is a canonical integer is stored as an integer
 * entry and read back as one (struct tlist_entry), which prints to the same bytes.
 */
#ifndef REPLICANT_T_LIST_H
#define REPLICANT_T_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"
#include "storage/quicklist.h"

struct db;

/*
 * One element as read: s/len (borrowed from the list, valid until it changes), or, when s is
 * NULL, the integer v.
 */
struct tlist_entry {
	const unsigned char *s;
	size_t len;
	int64_t v;
};

/* An iterator over a list that does not change meanwhile. Fields private. */
struct tlist_iter {
	bool listpack;
	bool valid;
	bool forward;
	const unsigned char *lp;
	unsigned char *p;
	struct ql_pos pos;
};

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tlist_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tlist_payload_free. */
void *tlist_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tlist_payload_mem(enum obj_encoding enc, const void *p);

/* The node fill in force: list-max-listpack-size from obj_limits, clamped to an int. */
int tlist_fill(void);

/* Returns the number of elements of list o. */
size_t tlist_length(const struct obj *o);

/*
 * Starts it at element index (negative from the tail) of o, walking towards the tail (forward)
 * or the head. Returns false if there is no such element (tlist_next then returns false).
 */
bool tlist_iter_init(struct tlist_iter *it, const struct obj *o, int64_t index, bool forward);
/* Sets *e to the current element and advances; returns false at the end. */
bool tlist_next(struct tlist_iter *it, struct tlist_entry *e);
/* Reads element index (negative from the tail) into *e; false if out of range (LINDEX). */
bool tlist_index(const struct obj *o, int64_t index, struct tlist_entry *e);
/* True if element e equals the len bytes at s (an integer entry compares as its decimal). */
bool tlist_entry_eq(const struct tlist_entry *e, const void *s, size_t len);

/*
 * Creates key as an empty listpack-encoded list (the caller pushes before anything else can
 * see it) and returns it.
 */
struct obj *tlist_create(struct db *db, const char *key, size_t klen, int64_t now_ms);
/*
 * Before adding add_count elements of add_bytes bytes in total: converts a listpack o to a
 * quicklist if it would then exceed the node limit (listTypeTryConversionAppend).
 */
void tlist_grow(struct obj *o, size_t add_bytes, size_t add_count);
/*
 * After removing elements: converts a quicklist o of one packed node within half the limits to
 * a listpack (listTypeTryConversion with LIST_CONV_SHRINKING).
 */
void tlist_shrink(struct obj *o);

/* Adds s/len at the head (head true) or the tail of o. */
void tlist_push(struct obj *o, const void *s, size_t len, bool head);
/*
 * Deletes count elements from index start (negative from the tail), fewer if the list ends
 * first (listTypeDelRange: LPOP/RPOP with a count, LTRIM).
 */
void tlist_del_range(struct obj *o, int64_t start, int64_t count);
/* Replaces element index with s/len; false (nothing changed) if out of range (LSET). */
bool tlist_set(struct obj *o, int64_t index, const void *s, size_t len);
/*
 * Inserts s/len after (after true) or before the first element equal to pivot/plen.
 * Returns false if there is none (LINSERT).
 */
bool tlist_insert(struct obj *o, const void *pivot, size_t plen, const void *s, size_t len,
    bool after);
/*
 * Removes the elements equal to s/len, walking from the head (from_tail false) or the tail,
 * at most limit of them (0: all). Returns how many went (LREM).
 */
size_t tlist_remove(struct obj *o, const void *s, size_t len, bool from_tail, uint64_t limit);

/*
 * For the RDB codec: fills *out with a list value holding ql (taken; at least one element).
 * With convert, picks the encoding Redis 7.2 gives a loaded list (LIST_CONV_AUTO: a listpack
 * if ql is one packed node within the limits); without, keeps the quicklist.
 */
void tlist_value_from_quicklist(struct quicklist *ql, bool convert, struct obj_value *out);

#endif
