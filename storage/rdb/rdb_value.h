/*
 * rdb_value: one value in RDB format, as DUMP writes it and RESTORE reads it: the type byte,
 * the serialized value, and the DUMP trailer (RDB version, 2 bytes little endian, then the
 * CRC-64 of everything before it, 8 bytes little endian).
 *
 * Data flow: the command layer's DUMP asks rdb_dump_string for a payload; RESTORE checks the
 * trailer with rdb_dump_verify and decodes with rdb_restore_string, then stores the bytes with
 * the string type's usual encoding rules. The string codec (rdb_load_string) is the one the
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

/* The RDB version Redis 7.0 writes, and the highest RESTORE accepts. */
#define RDB_VERSION		10

/* Value type bytes (the ones before a serialized value). */
#define RDB_TYPE_STRING		0

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
 * Returns true if the len bytes at p end in a DUMP trailer that Redis 7.0 accepts: at least 10
 * bytes, an RDB version <= RDB_VERSION, and the CRC-64 of all bytes before the CRC matching it.
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
};

/*
 * Decodes the value of a DUMP payload whose trailer rdb_dump_verify accepted. Like Redis it
 * reads from the whole buffer, trailer included, and ignores bytes left after the value.
 * Returns RDB_RESTORE_OK with *out filled (release with rdb_string_free), RDB_RESTORE_TYPE
 * for a type byte Redis knows other than a string, or RDB_RESTORE_BAD.
 */
enum rdb_restore_result rdb_restore_string(const void *p, size_t len, struct rdb_string *out);

#endif
