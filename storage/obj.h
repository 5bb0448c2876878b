/*
 * obj: a value in the keyspace: type + encoding + payload, stored in the same allocation as its
 * key.
 *
 * Memory per key is a headline figure, so a key costs one allocation (the hash table holds a
 * pointer to it): an 8-byte header (type, encoding, flags, lengths, last access), the key bytes,
 * the payload, and the expiry time when the key has one. The payload is an int64 (encoding "int"), the bytes of a short
 * string ("embstr", at most OBJ_EMBSTR_MAX bytes, as Redis' embstr), or a pointer to a separate
 * allocation (a "raw" string, and every collection encoding to come).
 *
 * A struct obj * handed out by the store points into that allocation. It stays valid until the
 * key is deleted, renamed, moved, overwritten, or its TTL is set or removed (those reallocate the
 * key); lookups, rehashing and changes to other keys leave it alone. Readers use the accessors
 * below; only the store (store.c) and the type modules (t_string.c, ...) change values.
 */
#ifndef REPLICANT_OBJ_H
#define REPLICANT_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Types with Redis' numbering (RDB and OBJECT use the same set). */
enum obj_type {
	OBJ_STRING = 0,
	OBJ_LIST = 1,
	OBJ_SET = 2,
	OBJ_ZSET = 3,
	OBJ_HASH = 4,
	OBJ_MODULE = 5,
	OBJ_STREAM = 6,
};

/* Encodings with Redis' numbering; obj_encoding_name gives what OBJECT ENCODING prints. */
enum obj_encoding {
	OBJ_ENC_RAW = 0,
	OBJ_ENC_INT = 1,
	OBJ_ENC_HASHTABLE = 2,
	OBJ_ENC_ZIPMAP = 3,
	OBJ_ENC_LINKEDLIST = 4,
	OBJ_ENC_ZIPLIST = 5,
	OBJ_ENC_INTSET = 6,
	OBJ_ENC_SKIPLIST = 7,
	OBJ_ENC_EMBSTR = 8,
	OBJ_ENC_QUICKLIST = 9,
	OBJ_ENC_STREAM = 10,
	OBJ_ENC_LISTPACK = 11,
	OBJ_ENC_LISTPACK_EX = 12,	/* Redis 7.4: a listpack hash with field TTLs ("listpackex") */
};

/* Longest string stored inline ("embstr"), Redis' OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
#define OBJ_EMBSTR_MAX 44

/* Header of a value inside its key's allocation. Fields private: use the accessors. */
struct obj {
	uint8_t te;		/* type (low 3 bits) | encoding << 3 */
	uint8_t flags;		/* private to kv.h */
	uint8_t klen;		/* key length if < 255, else 255 and a uint32 length follows */
	uint8_t vlen;		/* embstr length */
	uint32_t lru;		/* last access, unix seconds mod 2^32 (OBJECT IDLETIME) */
};

/*
 * A value to store, as passed to store_set_value. For OBJ_ENC_INT, i; for OBJ_ENC_EMBSTR,
 * bytes/len (copied, len <= OBJ_EMBSTR_MAX); for any other encoding, ptr (taken: the store frees
 * it with obj_payload_free when the key goes away).
 */
struct obj_value {
	enum obj_type type;
	enum obj_encoding enc;
	int64_t i;
	const char *bytes;
	size_t len;
	void *ptr;
	bool no_share;		/* an int that is never Redis' shared integer (COPY's duplicate) */
};

/*
 * When a collection changes encoding: Redis' thresholds, set from the configuration at start-up
 * (replica/main.c) and read by the type modules. One process-wide instance: the loader thread
 * reads it too, and nothing writes it after start-up.
 */
struct obj_limits {
	int64_t hash_max_listpack_entries;	/* 512 (redis.conf ships 128; the server default is 512) */
	int64_t hash_max_listpack_value;	/* 64 */
	int64_t list_max_listpack_size;		/* -2: a node of at most 8 KiB; > 0: entries per node */
	int64_t list_compress_depth;		/* 0 (accepted; nodes are never compressed) */
	int64_t set_max_intset_entries;		/* 512 */
	int64_t set_max_listpack_entries;	/* 128 */
	int64_t set_max_listpack_value;		/* 64 */
	int64_t zset_max_listpack_entries;	/* 128 */
	int64_t zset_max_listpack_value;	/* 64 */
};
extern struct obj_limits obj_limits;

/* OBJECT REFCOUNT of Redis' shared integers (OBJ_SHARED_REFCOUNT). */
#define OBJ_SHARED_REFCOUNT 2147483647
/* Integers in [0, OBJ_SHARED_INTEGERS) are shared objects in Redis (OBJECT REFCOUNT). */
#define OBJ_SHARED_INTEGERS 10000

/* Returns the type of o. */
static inline enum obj_type
obj_type(const struct obj *o)
{
	return (enum obj_type)(o->te & 7);
}

/* Returns the encoding of o. */
static inline enum obj_encoding
obj_encoding(const struct obj *o)
{
	return (enum obj_encoding)(o->te >> 3);
}

/* Returns TYPE's name for t ("string", "list", "set", "zset", "hash", "stream", "module"). */
const char *obj_type_name(enum obj_type t);
/* Returns OBJECT ENCODING's name for e ("raw", "int", "embstr", "listpack", ...). */
const char *obj_encoding_name(enum obj_encoding e);

/* Returns the key that holds o (borrowed, valid as o) and sets *len. */
const char *obj_key(const struct obj *o, size_t *len);
/* Marks "no expiry time" wherever one is returned or passed. */
#define OBJ_NO_EXPIRE INT64_MIN

/* Returns o's absolute expiry time in unix ms, or OBJ_NO_EXPIRE if o has no TTL. */
int64_t obj_expire(const struct obj *o);

/*
 * Returns OBJECT REFCOUNT as Redis 7.0 answers for the same history: OBJ_SHARED_REFCOUNT for an
 * int in [0, 10000) stored by SET, INCR and the like (Redis' shared integers), else 1. With a
 * maxmemory-policy that disables shared integers (LRU/LFU), the caller answers 1.
 */
int64_t obj_refcount(const struct obj *o);

/* Returns the seconds since o was last accessed or written (OBJECT IDLETIME) at now_ms. */
int64_t obj_idle_seconds(const struct obj *o, int64_t now_ms);
/*
 * Makes o read as last accessed idle seconds before now_ms (RESTORE IDLETIME); idle is clamped
 * to [0, now_ms / 1000].
 */
void obj_set_idle_seconds(struct obj *o, int64_t idle, int64_t now_ms);

/* Returns the integer of an OBJ_ENC_INT value. */
int64_t obj_int(const struct obj *o);
/* Returns the bytes of an OBJ_ENC_EMBSTR value (borrowed) and sets *len. */
const char *obj_embstr(const struct obj *o, size_t *len);
/* Returns the payload pointer of any other encoding (borrowed: the key owns it). */
void *obj_ptr(const struct obj *o);
/*
 * Replaces the payload pointer of a pointer-encoded value with p (the old one is not freed: the
 * caller reallocated or freed it). For the type modules only.
 */
void obj_set_ptr(struct obj *o, void *p);
/*
 * Replaces the payload and encoding of a pointer-encoded value (a conversion such as listpack to
 * hashtable); the old payload is not freed. enc must be a pointer encoding of o's type. For the
 * type modules only.
 */
void obj_set_payload(struct obj *o, enum obj_encoding enc, void *p);
/* Replaces the integer of an OBJ_ENC_INT value in place. */
void obj_set_int(struct obj *o, int64_t v);

/* Returns the bytes o occupies: its key's allocation plus its payload's (MEMORY USAGE). */
size_t obj_mem_usage(const struct obj *o);

/* Frees what a struct obj_value that was never stored owns (its ptr, for pointer encodings). */
void obj_value_discard(struct obj_value *v);
/* Frees a pointer payload of the given type and encoding (NULL is accepted). */
void obj_payload_free(enum obj_type type, enum obj_encoding enc, void *ptr);
/* Returns a new deep copy of a pointer payload (COPY). Free with obj_payload_free. */
void *obj_payload_dup(enum obj_type type, enum obj_encoding enc, const void *ptr);

#endif
