/*
 * t_set: the set type: its three encodings, the operations and set algebra the set commands
 * need, and the payload hooks obj.c calls for every value of type OBJ_SET.
 *
 * Data flow: replica/commands/cmd_set.c looks keys up, takes a set's payload with tset_of,
 * runs the operations below on it and writes it back with tset_put_back (or stores a new one
 * with tset_value); storage/rdb/rdb_set.c builds and saves payloads through the same calls.
 * Other types' commands (ZUNION over sets, SORT) read sets through tset_card, tset_contains
 * and tset_foreach.
 *
 * Encodings and conversions, as Redis 7.2 chooses them (t_set.c setTypeCreate, setTypeAddAux):
 *   OBJ_ENC_INTSET     a set of integers only, at most set-max-intset-entries (intset.h,
 *                      byte for byte Redis' intset, ascending).
 *   OBJ_ENC_LISTPACK   a small set with a string: at most set-max-listpack-entries members of
 *                      at most set-max-listpack-value bytes (listpack.h), in insertion order.
 *   OBJ_ENC_HASHTABLE  a dict (dict.h) whose entries are the members themselves: one
 *                      allocation each, a length byte (or a marker and 8 bytes) then the bytes.
 * A new set starts as an intset if its first member is an integer and the size hint fits an
 * intset, else as a listpack if the hint fits one, else as a hashtable. An intset that receives a
 * string becomes a listpack if the result fits one (entries, and the longest member printed),
 * else a hashtable; an intset past set-max-intset-entries and a listpack past its limits become
 * hashtables. Nothing converts back on removal; only SINTERSTORE's result is turned into an intset
 * when all its members are integers (tset_inter_store).
 *
 * Pointers: a struct tset_elem handed out borrows the set's memory until the set is next
 * modified (member bytes of a hashtable stay put until that member is removed).
 */
#ifndef REPLICANT_T_SET_H
#define REPLICANT_T_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

struct db;

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tset_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tset_payload_free. */
void *tset_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tset_payload_mem(enum obj_encoding enc, const void *p);

/*
 * Read access for other types' commands (ZUNION/ZINTER/ZDIFF read sets as zsets with score 1;
 * SORT reads sets). o is a value of type OBJ_SET, borrowed.
 */
/* Returns the number of members. */
size_t tset_card(const struct obj *o);
/* True if the len bytes at s are a member. */
bool tset_contains(const struct obj *o, const char *s, size_t len);
/* Calls fn for every member (bytes valid during the call only); fn must not change the set. */
typedef void (*tset_member_fn)(const char *s, size_t len, void *arg);
void tset_foreach(const struct obj *o, tset_member_fn fn, void *arg);

/* ---- Sets as the set commands handle them ---- */

/* A set payload and its encoding: a stored value's (tset_of) or one being built. */
struct tset {
	enum obj_encoding enc;
	void *p;
};

/* A member as handed out: the bytes s/len, or the integer v when s is NULL. */
struct tset_elem {
	const char *s;
	size_t len;
	int64_t v;
};

/* Room for a member printed from an integer (tset_elem_str). */
#define TSET_INTBUF 21

/* Called for each member a walk visits; returning false stops the walk. */
typedef bool (*tset_elem_fn)(const struct tset_elem *e, void *arg);

/* Returns the payload of set o (borrowed: o owns it). */
struct tset tset_of(const struct obj *o);
/* Makes o hold t (after operations that may have moved or converted it). */
void tset_put_back(struct obj *o, const struct tset *t);
/* Hands t to *v as a value for store_set_value (which takes it); t is empty afterwards. */
void tset_value(struct tset *t, struct obj_value *v);

/* Returns the bytes of e, printing an integer into buf, and sets *len. */
const char *tset_elem_str(const struct tset_elem *e, char buf[TSET_INTBUF], size_t *len);

/*
 * Starts an empty set that will hold about hint members, the first being s/len (Redis'
 * setTypeCreate): intset, listpack or (presized) hashtable.
 */
void tset_init(struct tset *t, const char *s, size_t len, size_t hint);
/* Starts an empty set of encoding enc (intset, listpack or hashtable). */
void tset_init_enc(struct tset *t, enum obj_encoding enc);
/* Frees what t holds (nothing if t->p is NULL) and leaves it empty. */
void tset_free(struct tset *t);

/* Returns the number of members. */
size_t tset_size(const struct tset *t);

/*
 * Before adding about hint members (SADD): converts an intset or listpack to a hashtable
 * presized for hint if hint exceeds its encoding's entry limit (Redis' setTypeMaybeConvert).
 */
void tset_maybe_convert(struct tset *t, size_t hint);
/* Converts t to enc (a different encoding; an intset only from integer members), sized for cap. */
void tset_convert(struct tset *t, enum obj_encoding enc, size_t cap);

/* Adds s/len (or e); converts as the encodings require. Returns false if already a member. */
bool tset_add(struct tset *t, const char *s, size_t len);
bool tset_add_elem(struct tset *t, const struct tset_elem *e);
/* Removes s/len (or e). Returns false if it was not a member. */
bool tset_remove(struct tset *t, const char *s, size_t len);
bool tset_remove_elem(struct tset *t, const struct tset_elem *e);
/* True if s/len (or e) is a member. A hashtable lookup may move a bucket of its rehash. */
bool tset_has(const struct tset *t, const char *s, size_t len);
bool tset_has_elem(const struct tset *t, const struct tset_elem *e);

/*
 * Calls fn for each member in the encoding's order (intset ascending, listpack insertion order,
 * hashtable bucket order) until fn returns false. fn must not change t. Returns false if fn
 * stopped the walk.
 */
bool tset_iter(const struct tset *t, tset_elem_fn fn, void *arg);

/*
 * SSCAN step. An intset or listpack reports every member and returns 0; a hashtable visits
 * buckets from cursor until count members were reported or 10 * count steps made (Redis'
 * scanGenericCommand loop), and returns the next cursor (0: done), with SCAN's guarantee.
 */
uint64_t tset_scan(const struct tset *t, uint64_t cursor, size_t count, tset_elem_fn fn,
    void *arg);

/* Returns the random state of db's store (main thread only) for the random operations. */
uint64_t *tset_rng(struct db *db);

/* Sets *e to a uniformly chosen member of non-empty t (hashtable: dict_random's near-uniform). */
void tset_random(const struct tset *t, uint64_t *rng, struct tset_elem *e);

/*
 * SRANDMEMBER key count, count != 0: calls fn count times with random members, repetition
 * allowed (uniq false), or min(count, size) times with distinct members (uniq true), following
 * the cases of Redis' srandmemberWithCountCommand. fn returning false stops.
 */
void tset_random_members(const struct tset *t, uint64_t *rng, uint64_t count, bool uniq,
    tset_elem_fn fn, void *arg);

/*
 * SPOP key count with 0 < count < size: removes count random members, calling fn for each
 * before it goes (the bytes are valid during the call only), following Redis 7.2's strategies
 * (a remainder much smaller than count is rebuilt into a new set, whose encoding the
 * remainder's first member decides). t may change encoding or payload.
 */
void tset_pop_count(struct tset *t, uint64_t *rng, uint64_t count, tset_elem_fn fn, void *arg);

/* ---- Set algebra; an entry of sets whose p is NULL is a missing key (an empty set) ---- */

/*
 * SINTER / SINTERCARD: calls fn for each member common to sets[0..n) (n >= 1, no NULL), walking
 * the smallest set, until fn returns false or limit members (0: no limit) were reported.
 * Returns the number reported. The same payload given twice counts once. fn may be NULL
 * (SINTERCARD counts only); it must not change the sets, and the bytes it gets stay valid until
 * one of them changes. sets is not reordered (a sorted copy is made).
 */
size_t tset_inter(const struct tset *sets, size_t n, size_t limit, tset_elem_fn fn, void *arg);

/*
 * SINTERSTORE: builds in *dst (uninitialised on entry) the intersection of sets[0..n) (no
 * NULL), with the encoding Redis 7.2 gives it: an intset when every member is an integer and
 * they fit, else a listpack or hashtable by the limits.
 */
void tset_inter_store(const struct tset *sets, size_t n, struct tset *dst);

enum tset_op { TSET_UNION, TSET_DIFF };

/*
 * SUNION / SDIFF (and their STORE forms): builds in *dst (uninitialised on entry) the union of
 * sets[0..n), or sets[0] minus the others, starting from an intset and converting as members
 * arrive (Redis' sunionDiffGenericCommand). If sets[0] is given again later, SDIFF is empty.
 */
void tset_union_diff(const struct tset *sets, size_t n, enum tset_op op, struct tset *dst);

/* ---- For the RDB codec (rdb_set.c) ---- */

/*
 * Takes lp, a listpack lp_validate accepted with count > 0 entries, as a set: checks that no
 * member repeats (an integer entry and its decimal text are the same member) and converts to a
 * hashtable past set-max-listpack-entries. Returns true with *t filled, or false (lp freed).
 */
bool tset_adopt_listpack(unsigned char *lp, size_t count, struct tset *t);
/*
 * Takes is, an intset intset_validate accepted, converting to a hashtable past
 * set-max-intset-entries. Fills *t.
 */
void tset_adopt_intset(unsigned char *is, struct tset *t);

#endif
