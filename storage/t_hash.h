/*
 * t_hash: the hash type: its three encodings, the operations the hash commands need, field
 * expiry (Redis 7.4 HEXPIRE and friends), and the payload hooks obj.c calls for OBJ_HASH.
 *
 * Data flow: replica/commands/cmd_hash.c parses arguments and calls these on a struct obj the
 * store handed out; storage/rdb/rdb_hash.c builds payloads with thash_build_* / thash_adopt_*
 * and saves them through the accessors below.
 *
 * Encodings, as Redis 7.4 chooses them:
 *   OBJ_ENC_LISTPACK     the payload is a listpack of field, value, field, value... in
 *                        insertion order (new fields go to the end), byte for byte Redis'.
 *   OBJ_ENC_LISTPACK_EX  a listpack hash after its first field TTL ("listpackex"): triples of
 *                        field, value, expiry (unix ms, integer; 0 = none), the fields with a
 *                        TTL first by ascending expiry, then the others. The payload is the
 *                        listpack itself.
 *   OBJ_ENC_HASHTABLE    a dict (dict.h) whose entries are single allocations holding the
 *                        field, the value and, only for a field with a TTL, its expiry.
 * A listpack hash becomes a hashtable past hash-max-listpack-entries fields or when a field or
 * value longer than hash-max-listpack-value is stored; it never converts back. The first field
 * TTL turns a listpack into a listpackex; that one never converts back either.
 *
 * Expired fields: a field whose expiry is < now reads as absent. Operations that read take
 * `now`: pass the command's time for a client, or THASH_SEE_ALL for the primary's stream (a
 * Redis replica sees every field its primary has not deleted). Nothing here deletes expired
 * fields by itself; thash_expire_if_needed does it for STORE_OFFLINE mode, where replicant
 * acts as a primary (on a replica, only the primary's HDEL removes a field).
 *
 * Pointers: field and value bytes handed out by thash_get are borrowed until the hash is next
 * modified; those given to a walk's callback, for the call only. Modifications may move the
 * payload (obj_set_ptr / obj_set_payload keep o valid).
 */
#ifndef REPLICANT_T_HASH_H
#define REPLICANT_T_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

struct db;

/* The expiry value of a field without TTL (Redis' HASH_LP_NO_TTL). */
#define THASH_NO_TTL		0
/* As `now`: every field is visible, expired or not. */
#define THASH_SEE_ALL		INT64_MIN
/* Largest field expiry Redis stores (EB_EXPIRE_TIME_MAX), and largest HEXPIRE accepts. */
#define THASH_TTL_MAX		((int64_t)0x0000FFFFFFFFFFFF)
#define THASH_TTL_MAX_ABS	(THASH_TTL_MAX >> 2)
/* Room for a value printed from an integer listpack entry. */
#define THASH_BUF		24

/* One field as handed out: borrowed bytes, and its expiry (THASH_NO_TTL if none). */
struct thash_field {
	const char *f;
	size_t flen;
	const char *v;
	size_t vlen;
	int64_t expire;
};

/*
 * Called for each field a walk visits. f's bytes are valid during the call only (an integer
 * listpack entry is printed into a buffer of the walk).
 */
typedef void (*thash_fn)(const struct thash_field *f, void *arg);

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void thash_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with thash_payload_free. */
void *thash_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t thash_payload_mem(enum obj_encoding enc, const void *p);

/* Fills *v with a new empty listpack hash for store_set_value (which takes it). */
void thash_value_new(struct obj_value *v);

/* Returns the number of fields, expired ones included (HLEN). */
size_t thash_len(const struct obj *o);
/* Returns the number of fields visible at now. O(1) for a hash without field TTLs. */
size_t thash_live_len(const struct obj *o, int64_t now);
/* Returns the earliest field expiry, or THASH_NO_TTL if no field has a TTL. */
int64_t thash_min_expire(const struct obj *o);

/*
 * Looks field f up. Returns true and fills *out (value bytes borrowed, or printed into buf for
 * an integer listpack entry) if it exists and is visible at now; false otherwise.
 */
bool thash_get(const struct obj *o, const char *f, size_t flen, int64_t now,
    char buf[THASH_BUF], struct thash_field *out);

/*
 * Calls fn for every field visible at now, in the encoding's order (insertion order for a
 * listpack). fn must not modify the hash.
 */
void thash_foreach(struct obj *o, int64_t now, thash_fn fn, void *arg);

/*
 * HSCAN step: a listpack hash reports every visible field and returns 0; a hashtable visits
 * buckets from cursor until count entries were seen or 10 * count steps made, reports the
 * visible fields, and returns the next cursor (0: done), with SCAN's guarantee.
 */
uint64_t thash_scan(struct obj *o, uint64_t cursor, size_t count, int64_t now, thash_fn fn,
    void *arg);

/*
 * HRANDFIELD over all fields (expired ones included, as Redis). count > 0: min(count, len)
 * distinct fields; count < 0: -count fields, repetition allowed. fn is called once per pick.
 * Uses the store's random state.
 */
void thash_random(struct db *db, struct obj *o, int64_t count, thash_fn fn, void *arg);

/*
 * Redis' hashTypeTryConversion before HSET/HSETNX stores npairs pairs whose longest argument
 * is maxlen bytes and whose arguments add up to sumlen: converts a listpack hash to a
 * hashtable (sized for npairs) if the pairs cannot stay in a listpack.
 */
void thash_prepare(struct obj *o, size_t npairs, size_t maxlen, size_t sumlen);

/* thash_set flags. */
/* An existing field keeps its TTL (HINCRBY); without it, HSET drops the TTL. */
#define THASH_KEEP_TTL	0x1

/*
 * Sets field f to value v (converting encodings as Redis does). Returns true if the field
 * existed (its value was replaced), false if it was added.
 */
bool thash_set(struct obj *o, const char *f, size_t flen, const char *v, size_t vlen,
    unsigned flags);

/*
 * Deletes field f (expired or not). Returns true if it existed. The caller deletes an empty
 * hash.
 */
bool thash_delete(struct obj *o, const char *f, size_t flen);

/* HEXPIRE conditions. */
enum thash_cond {
	THASH_COND_NONE,
	THASH_COND_NX,
	THASH_COND_XX,
	THASH_COND_GT,
	THASH_COND_LT,
};

/* Per-field results of HEXPIRE (Redis' SetExRes) and HPERSIST / HTTL. */
enum {
	THASH_EXP_NO_FIELD = -2,
	THASH_EXP_NO_COND = 0,
	THASH_EXP_OK = 1,
	THASH_EXP_DELETED = 2,
	THASH_EXP_NO_TTL = -1,
};

/*
 * HEXPIRE on one field: sets f's expiry to when (unix ms, at most THASH_TTL_MAX_ABS; 0 is
 * stored as 1) under cond. If when <= now and delete_past (a primary, not a replica), the field
 * is deleted instead (THASH_EXP_DELETED; the caller deletes an empty hash). A listpack hash
 * becomes a listpackex. Returns THASH_EXP_NO_FIELD, THASH_EXP_NO_COND, THASH_EXP_OK or
 * THASH_EXP_DELETED.
 */
int thash_set_expire(struct obj *o, const char *f, size_t flen, int64_t when,
    enum thash_cond cond, bool delete_past, int64_t now);

/*
 * HPERSIST on one field: THASH_EXP_NO_FIELD (absent, or expired at now), THASH_EXP_NO_TTL, or
 * THASH_EXP_OK (the TTL was removed).
 */
int thash_persist(struct obj *o, const char *f, size_t flen, int64_t now);

/*
 * Field f's expiry for HTTL and friends: returns THASH_EXP_NO_FIELD (absent or expired at
 * now), THASH_EXP_NO_TTL, or THASH_EXP_OK with *when set.
 */
int thash_get_expire(const struct obj *o, const char *f, size_t flen, int64_t now,
    int64_t *when);

/*
 * Deletes every field whose expiry is < now. Returns how many were deleted; the caller deletes
 * the hash if it became empty.
 */
size_t thash_expire_fields(struct obj *o, int64_t now);

/*
 * Lazy field expiry of a STORE_OFFLINE store (a no-op returning o in STORE_REPLICA mode): if
 * hash o of key has fields expired at now, deletes them, and the key too if none remains.
 * Returns o, or NULL if the key was deleted; sets *deleted to the fields removed.
 */
struct obj *thash_expire_if_needed(struct db *db, struct obj *o, const char *key, size_t klen,
    int64_t now, size_t *deleted);

/* Converts a listpack hash to enc (OBJ_ENC_LISTPACK_EX or OBJ_ENC_HASHTABLE). */
void thash_convert(struct obj *o, enum obj_encoding enc);

/* ---- For the RDB codec (rdb_hash.c) ---- */

/* The listpack of a listpack or listpackex hash (borrowed). */
const unsigned char *thash_listpack(const struct obj *o);

/*
 * Building a hash field by field (RDB_TYPE_HASH and the TTL formats): the encoding follows the
 * thresholds as fields arrive. Fields private.
 */
struct thash_build {
	enum obj_encoding enc;
	void *ptr;
};

/*
 * Starts an empty build expecting n fields (> hash-max-listpack-entries: a hashtable at once;
 * the caller caps n by what the input can hold). ex: a small hash is a listpackex even if no
 * field has a TTL (Redis' RDB_TYPE_HASH_METADATA loader does so).
 */
void thash_build_init(struct thash_build *b, uint64_t n, bool ex);
/* Adds a field (expire THASH_NO_TTL or a time). Returns false if f is already present. */
bool thash_build_add(struct thash_build *b, const char *f, size_t flen, const char *v,
    size_t vlen, int64_t expire);
/* Hands the result to *out (type, encoding, ptr); b is empty afterwards. */
void thash_build_finish(struct thash_build *b, struct obj_value *out);
/* Frees what b holds. */
void thash_build_discard(struct thash_build *b);

/*
 * Takes lp, a listpack that lp_validate accepted holding n entries, as a hash of pairs
 * (ex false) or of field, value, expiry triples (ex true). Checks the tuple count, the expiry
 * entries (integers in [0, THASH_TTL_MAX], the ones with a TTL ascending and before the
 * others) and that no field repeats, and converts past hash-max-listpack-entries. Returns
 * RDB-style: 1 with *out filled, 0 for an empty hash (lp freed), -1 if malformed (lp freed).
 */
int thash_adopt_listpack(unsigned char *lp, size_t n, bool ex, struct obj_value *out);

#endif
