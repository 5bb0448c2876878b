/*
 * t_stream: the stream type: entries, metadata and consumer groups, the operations the stream
 * commands need, and the payload hooks that obj.c calls for every value of type OBJ_STREAM.
 *
 * Entries live in nodes, each a listpack in exactly Redis' stream layout (a master entry with
 * the counts and the master fields, then each entry as flags, id deltas, optional fields, values
 * and a back count), so RDB nodes are adopted as they are and DUMP writes Redis' bytes. Nodes
 * are kept in an array sorted by master id (the first id the node ever held) and found by
 * binary search; entries are only appended at the tail and removed by marking, as in Redis, so
 * the array only grows at its end and shrinks where whole nodes empty.
 *
 * Consumer groups are kept sorted by name (the order XINFO shows, Redis' rax order), their
 * consumers too; pending entries lists are arrays of nack pointers sorted by id. A nack is in
 * its group's list and in its consumer's list.
 *
 * Storage knows no time: every operation that stamps a delivery or seen time takes now_ms.
 */
#ifndef REPLICANT_T_STREAM_H
#define REPLICANT_T_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

/* Redis' defaults for stream-node-max-bytes and stream-node-max-entries. */
#define STREAM_NODE_MAX_BYTES	4096
#define STREAM_NODE_MAX_ENTRIES	100
/* Entry flags inside a node (Redis' STREAM_ITEM_FLAG_*). */
#define STREAM_FLAG_DELETED	1
#define STREAM_FLAG_SAMEFIELDS	2
/* entries_read of a group whose counter is unknown (Redis' SCG_INVALID_ENTRIES_READ). */
#define STREAM_ENTRIES_READ_INVALID	(-1)
/* Room for "<ms>-<seq>". */
#define STREAM_ID_STRLEN	44

struct stream_id {
	uint64_t ms, seq;
};

/* One node: its master id and its listpack (owned). */
struct stream_node {
	struct stream_id master;
	unsigned char *lp;
};

struct stream_consumer;

/* A pending entry: delivered to consumer, not yet acknowledged. */
struct stream_nack {
	struct stream_id id;
	int64_t delivery_time;		/* unix ms */
	uint64_t delivery_count;
	struct stream_consumer *consumer;
};

/* A pending entries list: nack pointers sorted by id. */
struct stream_pel {
	struct stream_nack **v;
	size_t n, cap;
};

struct stream_consumer {
	char *name;
	size_t nlen;
	int64_t seen_time;		/* unix ms of the last interaction */
	int64_t active_time;		/* unix ms of the last successful read; -1 unknown (7.2+) */
	struct stream_pel pel;		/* borrows the group's nacks */
};

struct stream_cg {
	char *name;
	size_t nlen;
	struct stream_id last_id;	/* last delivered id */
	int64_t entries_read;		/* or STREAM_ENTRIES_READ_INVALID */
	struct stream_pel pel;		/* owns the nacks */
	struct stream_consumer **consumers;	/* sorted by name */
	size_t nconsumers;
};

struct stream {
	struct stream_node *nodes;	/* sorted by master id */
	size_t nnodes, cap;
	uint64_t length;
	struct stream_id last_id, first_id, max_deleted;
	uint64_t entries_added;
	struct stream_cg **groups;	/* sorted by name */
	size_t ngroups;
};

/* A field or value to append: len bytes at ptr (borrowed for the call). */
struct stream_str {
	const char *ptr;
	size_t len;
};

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tstream_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tstream_payload_free. */
void *tstream_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tstream_payload_mem(enum obj_encoding enc, const void *p);

/* Returns a new empty stream; free with stream_free. */
struct stream *stream_new(void);
/* Frees s, its nodes and groups (NULL is accepted). */
void stream_free(struct stream *s);
/* Fills *v with a new empty stream for store_set_value (the store then owns it). */
void stream_value_new(struct obj_value *v);

/* -1, 0, 1 as a is before, equal to, after b. */
int stream_id_cmp(const struct stream_id *a, const struct stream_id *b);
/* Next / previous id; false (and *id wraps to 0-0 / max) at the end of the id space. */
bool stream_id_incr(struct stream_id *id);
bool stream_id_decr(struct stream_id *id);
/* Writes "<ms>-<seq>" at buf (STREAM_ID_STRLEN bytes) and returns its length. */
size_t stream_id_fmt(char *buf, const struct stream_id *id);
/* 16 bytes big endian (the node key and PEL key of RDB) and back. */
void stream_id_encode(unsigned char *buf, const struct stream_id *id);
void stream_id_decode(const unsigned char *buf, struct stream_id *id);

/*
 * Appends an entry of n field/value pairs (fv[2i], fv[2i+1]) with the id: *id as given when
 * seq_given, else an automatic sequence for id->ms (the "<ms>-*" form); or, when id is NULL,
 * the next automatic id after now_ms. Returns 0 and sets *added, -1 if the id is not greater
 * than the last id (Redis' EDOM), -2 if the fields and values exceed the listpack limit.
 */
int stream_append(struct stream *s, const struct stream_str *fv, size_t n,
    const struct stream_id *id, bool seq_given, int64_t now_ms, struct stream_id *added);

/* Trim strategies and arguments, as XADD and XTRIM take them. */
enum stream_trim_kind { STREAM_TRIM_NONE, STREAM_TRIM_MAXLEN, STREAM_TRIM_MINID };
struct stream_trim {
	enum stream_trim_kind kind;
	bool approx;			/* only whole nodes */
	int64_t limit;			/* most entries to remove; 0 no limit */
	int64_t maxlen;
	struct stream_id minid;
};
/* Trims s as Redis' streamTrim does; returns the number of entries removed. */
int64_t stream_trim(struct stream *s, const struct stream_trim *t);

/* Removes the entry id (marks it deleted); true if it existed. Updates length, first id and
 * max deleted id as XDEL does. */
bool stream_delete(struct stream *s, const struct stream_id *id);
/* True if the entry id exists (not deleted). */
bool stream_exists(const struct stream *s, const struct stream_id *id);
/* The first (first true) or last live entry id; false if the stream is empty. */
bool stream_edge_id(const struct stream *s, bool first, struct stream_id *out);

/*
 * Iterates the live entries with ids in [start, end], forward or backward. Zero-filled is not
 * initial: use stream_iter_start. The stream must not change while an iterator is in use.
 */
struct stream_iter {
	const struct stream *s;
	struct stream_id start, end;
	bool rev, done;
	size_t node;			/* index of the current node */
	struct stream_id master;
	const unsigned char *lp, *p;	/* current node, next entry (flags) or NULL */
	const unsigned char *mfields;	/* first master field */
	int64_t mcount;			/* master fields */
	const unsigned char *fp;	/* next field or value of the current entry */
	const unsigned char *mfp;	/* next master field (same-fields entries) */
	bool samefields;
};
void stream_iter_start(struct stream_iter *it, const struct stream *s,
    const struct stream_id *start, const struct stream_id *end, bool rev);
/* The next entry: true and its id and field count, or false at the end. */
bool stream_iter_next(struct stream_iter *it, struct stream_id *id, int64_t *nfields);
/* The next field and value of the current entry: pointers into the node or into fbuf/vbuf
 * (LP_INTBUF bytes each, for integer entries); valid until the stream changes. */
void stream_iter_field(struct stream_iter *it, const unsigned char **f, size_t *flen,
    const unsigned char **v, size_t *vlen, char *fbuf, char *vbuf);

/* Groups. */
struct stream_cg *stream_cg_find(const struct stream *s, const char *name, size_t nlen);
/* A new group (copying name); NULL if the name exists. */
struct stream_cg *stream_cg_create(struct stream *s, const char *name, size_t nlen,
    const struct stream_id *last_id, int64_t entries_read);
/* Removes and frees group g of s. */
void stream_cg_destroy(struct stream *s, struct stream_cg *g);
struct stream_consumer *stream_consumer_find(const struct stream_cg *g, const char *name,
    size_t nlen);
/* A new consumer (copying name) with seen time now_ms; NULL if it exists. */
struct stream_consumer *stream_consumer_create(struct stream_cg *g, const char *name,
    size_t nlen, int64_t now_ms);
/* Removes consumer c and its pending entries from g and frees them. */
void stream_consumer_delete(struct stream_cg *g, struct stream_consumer *c);

/* PEL: the index of the first nack with id >= *id (n if none), and lookup. */
size_t stream_pel_seek(const struct stream_pel *pel, const struct stream_id *id);
struct stream_nack *stream_pel_find(const struct stream_pel *pel, const struct stream_id *id);
/* Inserts nack at its place; false if its id is there already. */
bool stream_pel_insert(struct stream_pel *pel, struct stream_nack *nack);
/* Removes the nack with this id; returns it or NULL. */
struct stream_nack *stream_pel_remove(struct stream_pel *pel, const struct stream_id *id);

/* Acknowledges id in g: removes its nack from both lists and frees it; true if it was pending. */
bool stream_ack(struct stream_cg *g, const struct stream_id *id);
/*
 * Records that id was delivered to consumer c of g at now_ms (XREADGROUP): a new nack, or the
 * existing one moved to c with delivery count 1.
 */
void stream_deliver(struct stream_cg *g, struct stream_consumer *c, const struct stream_id *id,
    int64_t now_ms);
/* Gives nack (of g) to consumer c (moves it between consumer lists). */
void stream_nack_assign(struct stream_nack *nack, struct stream_consumer *c);

/* Redis' streamEstimateDistanceFromFirstEverEntry; STREAM_ENTRIES_READ_INVALID if unknown. */
int64_t stream_estimate_distance(const struct stream *s, const struct stream_id *id);
/* True if [start, end] (NULL: open) may contain a tombstone (Redis' streamRangeHasTombstones). */
bool stream_range_has_tombstones(const struct stream *s, const struct stream_id *start,
    const struct stream_id *end);
/* The lag of g (XINFO); false when it cannot be computed (a null reply). */
bool stream_cg_lag(const struct stream *s, const struct stream_cg *g, int64_t *lag);
/* Moves g's last delivered id to id (a read delivered it), keeping entries_read as Redis does. */
void stream_cg_advance(const struct stream *s, struct stream_cg *g, const struct stream_id *id);

/* The node count of Redis' radix tree over s's node keys (XINFO STREAM radix-tree-nodes). */
size_t stream_rax_nodes(const struct stream *s);

/*
 * Checks one node listpack of size bytes from an untrusted source: lp_validate, then the
 * stream entry layout (counts, master entry, each entry's shape and back count, the live
 * count), and that its live entries' ids are >= master, increasing, and (when prev is not
 * NULL) greater than *prev; tombstones may hold any id, as in Redis after XSETID. Sets *last
 * to the node's last live id (*prev, or master, when it has none) and *live to its live count.
 */
bool stream_node_validate(const unsigned char *lp, size_t size, const struct stream_id *master,
    const struct stream_id *prev, struct stream_id *last, uint64_t *live);
/* Adds a validated node at the end of s (takes lp). Master ids must increase. */
void stream_node_push(struct stream *s, const struct stream_id *master, unsigned char *lp);

#endif
