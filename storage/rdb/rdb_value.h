/*
 * rdb_value: one value in RDB format, as DUMP writes it and RESTORE reads it: the type byte,
 * the serialized value, and the DUMP trailer (RDB version, 2 bytes little endian, then the
 * CRC-64 of everything before it, 8 bytes little endian).
 *
 * Data flow: the command layer's DUMP asks rdb_dump_obj for a payload; RESTORE checks the
 * trailer with rdb_dump_verify and decodes with rdb_load_object, which dispatches on the type
 * byte to the per-type codecs (rdb_hash.c, rdb_list.c, ...) and gives a value ready to store. The string codec (rdb_load_string) is the one the
 * RDB loader uses for every string inside an RDB file.
 *
 * Strings are encoded by Redis' rules (rdbSaveRawString with rdbcompression yes): a canonical
 * integer of up to 11 characters that fits 8, 16 or 32 bits as INT8/INT16/INT32; else, above 20
 * bytes, LZF when it saves at least 5 bytes; else the length and the bytes. An int-encoded value
 * is saved as its decimal text, which gives the same bytes Redis writes for it.
 */
#ifndef REPLICANT_RDB_VALUE_H
#define REPLICANT_RDB_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The RDB version Redis 7.0 writes (DUMP writes it). */
#define RDB_VERSION		10
/*
 * The highest version RESTORE accepts: Redis 7.4 and 8.x write 12, and a primary of those
 * versions propagates its clients' RESTORE payloads as they are, so a replica must take them
 * (Redis 7.0 refuses them: it cannot follow such a primary).
 */
#define RDB_RESTORE_VERSION_MAX	12

/* Value type bytes (the ones before a serialized value), Redis' numbering up to 8.x. */
#define RDB_TYPE_STRING			0
#define RDB_TYPE_LIST			1	/* linked list of strings (before 3.2) */
#define RDB_TYPE_SET			2
#define RDB_TYPE_ZSET			3	/* scores as strings (before 3.0) */
#define RDB_TYPE_HASH			4
#define RDB_TYPE_ZSET_2			5	/* scores as binary doubles */
#define RDB_TYPE_MODULE_2		7
#define RDB_TYPE_HASH_ZIPMAP		9
#define RDB_TYPE_LIST_ZIPLIST		10
#define RDB_TYPE_SET_INTSET		11
#define RDB_TYPE_ZSET_ZIPLIST		12
#define RDB_TYPE_HASH_ZIPLIST		13
#define RDB_TYPE_LIST_QUICKLIST		14	/* nodes are ziplists (3.2 to 6.2) */
#define RDB_TYPE_STREAM_LISTPACKS	15
#define RDB_TYPE_HASH_LISTPACK		16
#define RDB_TYPE_ZSET_LISTPACK		17
#define RDB_TYPE_LIST_QUICKLIST_2	18	/* nodes are listpacks or plain strings (7.0+) */
#define RDB_TYPE_STREAM_LISTPACKS_2	19
#define RDB_TYPE_SET_LISTPACK		20	/* 7.2+ */
#define RDB_TYPE_STREAM_LISTPACKS_3	21
#define RDB_TYPE_HASH_METADATA_PRE_GA	22	/* 7.4 release candidates */
#define RDB_TYPE_HASH_LISTPACK_EX_PRE_GA 23
#define RDB_TYPE_HASH_METADATA		24	/* 7.4+: hash table with field TTLs */
#define RDB_TYPE_HASH_LISTPACK_EX	25	/* 7.4+: listpack with field TTLs */

/* Quicklist node containers in RDB_TYPE_LIST_QUICKLIST_2. */
#define RDB_QUICKLIST_NODE_PLAIN	1
#define RDB_QUICKLIST_NODE_PACKED	2

/* Longest length prefix (rdb_save_len): a marker byte and 8 bytes. */
#define RDB_LEN_MAX		9
/* Bytes of the DUMP trailer: version and CRC-64. */
#define RDB_DUMP_TRAILER	10

/* Most bytes rdb_save_string writes for a len-byte string. */
#define RDB_STRING_BOUND(len)	(1 + 2 * RDB_LEN_MAX + (size_t)(len))
/* Most bytes rdb_dump_string writes for a len-byte string. */
#define RDB_DUMP_BOUND(len)	(1 + RDB_STRING_BOUND(len) + RDB_DUMP_TRAILER)

/* Writes len as an RDB length (1, 2, 5 or 9 bytes) at dst; returns the bytes written. */
size_t rdb_save_len(unsigned char *dst, uint64_t len);

/*
 * Writes the len bytes at s as an RDB string at dst (room for RDB_STRING_BOUND(len) bytes);
 * returns the bytes written. Compressing allocates LZF's hash table for the call.
 */
size_t rdb_save_string(unsigned char *dst, const void *s, size_t len);

/*
 * Writes the DUMP payload of the string s/len at dst (room for RDB_DUMP_BOUND(len) bytes):
 * type byte, string, trailer. Returns the payload length.
 */
size_t rdb_dump_string(unsigned char *dst, const void *s, size_t len);

/*
 * Returns true if the len bytes at p end in a DUMP trailer that RESTORE accepts: at least 10
 * bytes, an RDB version <= RDB_RESTORE_VERSION_MAX, and the CRC-64 of all bytes before the CRC
 * matching it.
 */
bool rdb_dump_verify(const void *p, size_t len);

/*
 * A decoded string. ptr/len are the bytes: borrowed from the input (plain strings), from ibuf
 * (integer encodings, as decimal text) or from heap (LZF, owned). Release with rdb_string_free.
 * The struct holds a pointer into itself: do not copy it while in use.
 */
struct rdb_string {
	const char *ptr;
	size_t len;
	char *heap;
	char ibuf[24];
};

/* Frees what s owns (heap) and leaves it empty. */
void rdb_string_free(struct rdb_string *s);

/*
 * Reads one RDB string (rdbGenericLoadStringObject) from p[*pos .. len), advancing *pos past it.
 * Returns true with *out filled, or false (out holds nothing) if the bytes end too soon, a length
 * or string encoding is unknown, or an LZF blob does not decompress to exactly its stated length.
 * Allocates only for LZF strings, and only once the blob has been checked.
 */
bool rdb_load_string(const unsigned char *p, size_t len, size_t *pos, struct rdb_string *out);

enum rdb_restore_result {
	RDB_RESTORE_OK,
	RDB_RESTORE_BAD,	/* malformed value: "Bad data format" */
	RDB_RESTORE_TYPE,	/* a valid type byte of a type this build cannot restore yet */
	RDB_RESTORE_EMPTY,	/* a well-formed empty collection: the RDB loader skips the key,
				 * RESTORE answers "Bad data format" as Redis does */
};

/* True for the type bytes RESTORE accepts before a value (Redis' rdbIsObjectType, as of 8.x). */
bool rdb_restore_type_ok(unsigned type);

/*
 * Decodes the value of a DUMP payload whose trailer rdb_dump_verify accepted. Like Redis it
 * reads from the whole buffer, trailer included, and ignores bytes left after the value.
 * Returns RDB_RESTORE_OK with *out filled (release with rdb_string_free), RDB_RESTORE_TYPE
 * for a type byte Redis knows other than a string, or RDB_RESTORE_BAD.
 */
enum rdb_restore_result rdb_restore_string(const void *p, size_t len, struct rdb_string *out);

/* ---- Building RDB bytes: a growable buffer (DUMP, and the snapshot writer to come) ---- */

struct rdb_buf {
	unsigned char *p;	/* xmalloc'd; NULL while empty */
	size_t len;
	size_t cap;
};

/* Makes room for n more bytes and returns where they go (b->p + b->len). */
unsigned char *rdb_buf_reserve(struct rdb_buf *b, size_t n);
/* Appends n raw bytes / one byte. */
void rdb_buf_put(struct rdb_buf *b, const void *p, size_t n);
void rdb_buf_put_byte(struct rdb_buf *b, unsigned char c);
/* Appends an RDB length (rdb_save_len). */
void rdb_buf_put_len(struct rdb_buf *b, uint64_t len);
/* Appends an RDB string (rdb_save_string: int encodings, LZF, or plain). */
void rdb_buf_put_string(struct rdb_buf *b, const void *s, size_t len);
/* Appends v as an RDB string, as Redis saves an int-encoded string (INT8/16/32 or its text). */
void rdb_buf_put_i64_string(struct rdb_buf *b, int64_t v);
/* Appends d as 8 bytes little endian (RDB_TYPE_ZSET_2 scores). */
void rdb_buf_put_double(struct rdb_buf *b, double d);
/* Appends v as 8 bytes little endian (millisecond times). */
void rdb_buf_put_i64le(struct rdb_buf *b, int64_t v);
/* Frees the buffer and leaves it empty. */
void rdb_buf_free(struct rdb_buf *b);

/* ---- Reading RDB bytes: each advances *pos and returns false if malformed or too short ---- */

/* A plain length (a special string encoding marker is an error here). */
bool rdb_load_len(const unsigned char *p, size_t len, size_t *pos, uint64_t *out);
/* A binary double, 8 bytes little endian (RDB_TYPE_ZSET_2). */
bool rdb_load_double(const unsigned char *p, size_t len, size_t *pos, double *out);
/* A double as RDB_TYPE_ZSET writes it: a length byte (253 nan, 254 +inf, 255 -inf) and text. */
bool rdb_load_double_str(const unsigned char *p, size_t len, size_t *pos, double *out);
/* 8 bytes little endian (millisecond times). */
bool rdb_load_i64le(const unsigned char *p, size_t len, size_t *pos, int64_t *out);

/* ---- Values of every type: one codec per type, dispatched here ---- */

struct obj;
struct obj_value;

/*
 * Per-type codecs (storage/rdb/rdb_<type>.c). A saver appends o's type byte and value to b and
 * returns the lowest RDB version that can hold it (RDB_VERSION unless the value needs a newer
 * format, e.g. hash field TTLs). A loader reads the value of the given type byte from
 * p[*pos .. len) and fills *out with a new payload the caller owns (store_set_value takes it);
 * it returns RDB_RESTORE_OK, RDB_RESTORE_EMPTY (nothing allocated) or RDB_RESTORE_BAD (nothing
 * allocated). Loaders validate everything: p is hostile. deep asks for the full check of packed
 * blobs (duplicate fields or members), as Redis' sanitize-dump-payload; RESTORE passes true.
 */
unsigned rdb_save_hash(struct rdb_buf *b, const struct obj *o);
unsigned rdb_save_list(struct rdb_buf *b, const struct obj *o);
unsigned rdb_save_set(struct rdb_buf *b, const struct obj *o);
unsigned rdb_save_zset(struct rdb_buf *b, const struct obj *o);
unsigned rdb_save_stream(struct rdb_buf *b, const struct obj *o);
enum rdb_restore_result rdb_load_hash(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out);
enum rdb_restore_result rdb_load_list(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out);
enum rdb_restore_result rdb_load_set(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out);
enum rdb_restore_result rdb_load_zset(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out);
enum rdb_restore_result rdb_load_stream(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out);

/*
 * Appends the DUMP payload of o (any type) to b: type byte, value, trailer (with the version the
 * value needs).
 */
void rdb_dump_obj(struct rdb_buf *b, const struct obj *o);

/*
 * Reads the value of type byte `type` at p[*pos .. len) into *out, for RESTORE and the RDB
 * loader. A string's bytes may point into p or into *str, which the caller frees with
 * rdb_string_free once the value is stored. Returns as the per-type loaders do, and
 * RDB_RESTORE_TYPE for a type byte this build cannot load (streams, modules, unknown).
 */
enum rdb_restore_result rdb_load_object(unsigned type, const unsigned char *p, size_t len,
    size_t *pos, bool deep, struct obj_value *out, struct rdb_string *str);

#endif
