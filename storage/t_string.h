/*
 * t_string: the string type: encodings as Redis 7.0 chooses them, and the operations the string
 * and bitmap commands need (GET/SET family, APPEND, SETRANGE, GETRANGE, INCR family,
 * INCRBYFLOAT, SETBIT/GETBIT, BITCOUNT, BITPOS, BITOP, BITFIELD, LCS, STRLEN).
 *
 * Data flow: replica/commands parses arguments (with Redis' argument errors) and calls these;
 * they look keys up through store.h and report the semantic errors as enum tstr_result, which
 * the command layer turns into Redis' error replies. Write operations use store_lookup_write,
 * so they may only be called for writers (the primary's stream, or clients in offline mode).
 *
 * Encodings (OBJECT ENCODING): a value set by SET, MSET, APPEND to a new key... is "int" if it
 * is a canonical int64 of at most 20 bytes, else "embstr" up to OBJ_EMBSTR_MAX bytes, else
 * "raw". APPEND to an existing key, SETRANGE, SETBIT, BITFIELD writes and BITOP produce "raw";
 * INCR/DECR produce "int"; INCRBYFLOAT produces "embstr" (or "raw" past 44 bytes).
 * Bitmaps number bits from the most significant bit of byte 0, as Redis does.
 */
#ifndef REPLICANT_T_STRING_H
#define REPLICANT_T_STRING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/base/num.h"
#include "storage/obj.h"

struct db;

enum tstr_result {
	TSTR_OK,
	TSTR_WRONGTYPE,		/* WRONGTYPE Operation against a key holding the wrong kind of value */
	TSTR_NOT_INT,		/* value is not an integer or out of range */
	TSTR_OVERFLOW,		/* increment or decrement would overflow */
	TSTR_NOT_FLOAT,		/* value is not a valid float */
	TSTR_NAN_INF,		/* increment would produce NaN or Infinity */
	TSTR_LCS_TOO_LONG,	/* String too long for LCS */
	TSTR_LCS_TOO_BIG,	/* Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len */
};

/* Buffer size for tstr_get of an int-encoded value. */
#define TSTR_INT_BUF NUM_I64_MAX_CHARS
/* Buffer size for INCRBYFLOAT's formatted result (Redis' MAX_LONG_DOUBLE_CHARS). */
#define TSTR_LD_BUF (5 * 1024)

/* The payload of a "raw" string: one allocation, capacity xsize() - sizeof(struct tstr_raw). */
struct tstr_raw {
	uint64_t len;
	char buf[];
};

/* Returns a new raw payload holding the len bytes at p (NULL: zeroes). Free with xfree. */
struct tstr_raw *tstr_raw_new(const char *p, size_t len);
/* Returns a new copy of a raw payload (COPY). */
struct tstr_raw *tstr_raw_dup(const struct tstr_raw *r);

/*
 * Fills *v with the string p/len encoded as Redis' tryObjectEncoding would: int, embstr (v->bytes
 * borrows p) or raw (a new payload that store_set_value takes).
 */
void tstr_value(struct obj_value *v, const char *p, size_t len);

/*
 * SET and friends: sets key to the string p/len with expire as store_set_value takes it
 * (absolute ms, OBJ_NO_EXPIRE, STORE_KEEP_TTL). Returns the new value.
 */
struct obj *tstr_set(struct db *db, const char *key, size_t klen, const char *p, size_t len,
    int64_t expire, int64_t now_ms);

/*
 * Returns the bytes of string o (borrowed until o changes; for "int", formatted into ibuf) and
 * sets *len. o must be a string.
 */
const char *tstr_get(const struct obj *o, char ibuf[TSTR_INT_BUF], size_t *len);
/* Returns the length of string o (STRLEN). */
size_t tstr_len(const struct obj *o);

/*
 * GETRANGE/SUBSTR: resolves start/end (negative from the end) against a string of len bytes as
 * Redis does. Returns the number of bytes to return (0: empty) and sets *from.
 */
size_t tstr_range(size_t len, int64_t start, int64_t end, size_t *from);

/*
 * APPEND: appends p/n to key (creating it as SET would if absent). Sets *newlen. The caller
 * checks the result size against proto-max-bulk-len first (not for the primary).
 */
enum tstr_result tstr_append(struct db *db, const char *key, size_t klen, const char *p,
    size_t n, int64_t now_ms, size_t *newlen);

/*
 * SETRANGE: writes p/n at offset, zero-padding. An empty p changes nothing (and creates
 * nothing). Sets *newlen (0 for an absent key and empty p).
 */
enum tstr_result tstr_setrange(struct db *db, const char *key, size_t klen, uint64_t offset,
    const char *p, size_t n, int64_t now_ms, size_t *newlen);

/*
 * INCR/DECR/INCRBY/DECRBY: adds incr to key's integer value (0 if absent), keeping its TTL.
 * Returns TSTR_WRONGTYPE, TSTR_NOT_INT, TSTR_OVERFLOW or TSTR_OK with *out set.
 */
enum tstr_result tstr_incrby(struct db *db, const char *key, size_t klen, int64_t incr,
    int64_t now_ms, int64_t *out);

/*
 * Parses p/len as a long double with Redis' string2ld rules (no leading space, the whole string,
 * no NaN, no overflow). Returns false if malformed.
 */
bool tstr_parse_ld(const char *p, size_t len, long double *out);

/*
 * Formats v as Redis' ld2string in human mode ("%.17Lf", trailing zeros trimmed, "-0" as "0")
 * into buf (TSTR_LD_BUF bytes). Returns the length (0 if it does not fit).
 */
size_t tstr_fmt_ld(char *buf, size_t size, long double v);

/*
 * INCRBYFLOAT: adds incr to key's value (0 if absent), keeping its TTL. Returns TSTR_WRONGTYPE,
 * TSTR_NOT_FLOAT (the stored value), TSTR_NAN_INF, or TSTR_OK with the new value's text in out
 * (TSTR_LD_BUF bytes) and *outlen.
 */
enum tstr_result tstr_incrbyfloat(struct db *db, const char *key, size_t klen, long double incr,
    int64_t now_ms, char *out, size_t *outlen);

/* Bitmaps (t_bitmap.c). */

enum tstr_bitop {
	TSTR_BITOP_AND,
	TSTR_BITOP_OR,
	TSTR_BITOP_XOR,
	TSTR_BITOP_NOT,
};

enum tstr_overflow {
	TSTR_OVERFLOW_WRAP,
	TSTR_OVERFLOW_SAT,
	TSTR_OVERFLOW_FAIL,
};

enum tstr_bf_opcode {
	TSTR_BF_GET,
	TSTR_BF_SET,
	TSTR_BF_INCRBY,
};

/* One BITFIELD subcommand, parsed by the caller (type i1..i64 or u1..u63, offset in bits). */
struct tstr_bf_op {
	enum tstr_bf_opcode op;
	enum tstr_overflow overflow;
	bool sign;
	unsigned bits;
	uint64_t offset;
	int64_t value;		/* SET value or INCRBY increment */
};

/*
 * One BITFIELD reply: the value, or null (an op that failed under OVERFLOW FAIL). changed: a
 * SET or INCRBY that stored a value different from the field's old one (Redis counts those,
 * with the ops that created or grew the key, to decide whether the key was modified).
 */
struct tstr_bf_result {
	int64_t value;
	bool null;
	bool changed;
};

/* GETBIT on string o (NULL: absent key): returns the bit at bitoff (0 past the end). */
int tstr_getbit(const struct obj *o, uint64_t bitoff);

/*
 * SETBIT: sets the bit at bitoff to bit (0/1), growing the string with zeroes. Sets *old to the
 * previous bit. Returns TSTR_WRONGTYPE or TSTR_OK.
 */
enum tstr_result tstr_setbit(struct db *db, const char *key, size_t klen, uint64_t bitoff,
    int bit, int64_t now_ms, int *old);

/*
 * BITCOUNT over the len bytes at p. Without a range (has_range false) the whole string; with
 * one, start/end are byte or (bit_unit) bit indexes, negative from the end, as Redis resolves
 * them. Returns the number of set bits.
 */
int64_t tstr_bitcount(const unsigned char *p, size_t len, bool has_range, int64_t start,
    int64_t end, bool bit_unit);

/*
 * BITPOS over the len bytes at p (the key exists): the first bit equal to bit within the range,
 * as Redis answers: -1 if there is none, except that a search for 0 without an explicit end
 * returns the first bit past the range. has_start/has_end say which bounds were given.
 */
int64_t tstr_bitpos(const unsigned char *p, size_t len, int bit, bool has_start, int64_t start,
    bool has_end, int64_t end, bool bit_unit);

/*
 * BITOP: computes op over the string values of srcs (absent keys read as empty strings) and
 * stores the result in dest as a raw string without TTL, or deletes dest if the result is empty.
 * Sets *outlen to the result length. Returns TSTR_WRONGTYPE (nothing changed) or TSTR_OK.
 * NOT takes exactly one source (the caller checks).
 */
enum tstr_result tstr_bitop(struct db *db, enum tstr_bitop op, const char *dest, size_t dlen,
    const char *const *srcs, const size_t *slens, size_t nsrc, int64_t now_ms, size_t *outlen);

/*
 * BITFIELD / BITFIELD_RO: runs ops[0..n) in order and fills res[0..n). If any op writes, the key
 * is created or grown with zeroes to hold the farthest written bit first (as Redis does, even
 * if every write then fails). Returns TSTR_WRONGTYPE or TSTR_OK. With only GETs, nothing is
 * written and the lookup is a read (so BITFIELD_RO may be served from clients).
 */
enum tstr_result tstr_bitfield(struct db *db, const char *key, size_t klen,
    const struct tstr_bf_op *ops, size_t n, int64_t now_ms, struct tstr_bf_result *res);

/* LCS. */

/* One common range of an LCS IDX reply, in Redis' order (from the end of the strings). */
struct tstr_lcs_match {
	uint32_t a_start, a_end, b_start, b_end;
	uint32_t len;
};

struct tstr_lcs {
	uint32_t len;			/* length of the LCS */
	char *str;			/* the LCS bytes (want_str), new: tstr_lcs_free frees */
	struct tstr_lcs_match *m;	/* the ranges (want_idx) of at least minmatchlen */
	size_t nm;
};

/*
 * LCS of a and b (absent keys are empty strings) with the table bounded by max_table (the
 * proto-max-bulk-len). Returns TSTR_LCS_TOO_LONG, TSTR_LCS_TOO_BIG or TSTR_OK; release *out with
 * tstr_lcs_free.
 */
enum tstr_result tstr_lcs(const char *a, size_t alen, const char *b, size_t blen, bool want_str,
    bool want_idx, int64_t minmatchlen, uint64_t max_table, struct tstr_lcs *out);
void tstr_lcs_free(struct tstr_lcs *l);

#endif
