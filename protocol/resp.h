/*
 * resp: the RESP codec. Requests in (multibulk and inline), replies out (RESP2 and RESP3).
 *
 * No sockets and no allocation per request: the parser cuts requests into argument views that
 * point into the caller's query buffer, and the writer encodes into a caller-owned output sink.
 * Start reading at resp_parse(); the server's read path (replica/server/conn.c) is its caller,
 * and so is the primary link's stream (replica/sync/).
 */
#ifndef REPLICANT_RESP_H
#define REPLICANT_RESP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Redis' fixed protocol limits (server.h PROTO_INLINE_MAX_SIZE and the pre-auth limits). */
#define RESP_INLINE_MAX		(64 * 1024)
#define RESP_NOAUTH_MAX_ARGS	10
#define RESP_NOAUTH_MAX_BULK	16384
/* A bulk argument at least this long is a "big argument": see resp_parser_want(). */
#define RESP_BIG_ARG		(32 * 1024)

/* One argument: len bytes at ptr, inside the caller's buffer. Not NUL-terminated. */
struct resp_arg {
	char *ptr;
	size_t len;
};

enum resp_status {
	RESP_OK,	/* a complete request: p->argv[0..argc), *consumed bytes belong to it */
	RESP_MORE,	/* no complete request yet: call again with the same start and more bytes */
	RESP_ERR,	/* protocol error: p->errstr is Redis' reply text; sticky until reset */
};

/* What the caller allows this connection. */
struct resp_limits {
	uint64_t max_bulk_len;	/* proto-max-bulk-len; 0 means no limit (the primary's link) */
	bool authenticated;	/* false: more than 10 args or bulks over 16384 bytes are refused */
};

/*
 * Parse state of one connection. Zero-filled = initial; every field is private except argv,
 * argc (valid after RESP_OK) and errstr (valid after RESP_ERR). The argv array grows to the
 * largest request seen and is reused, so steady-state parsing allocates nothing.
 */
struct resp_parser {
	/* public results */
	struct resp_arg *argv;
	size_t argc;
	const char *errstr;

	/* private */
	size_t argv_cap;
	int state;
	size_t scan;		/* bytes of the current request already examined */
	size_t pos;		/* offset of the line or bulk being read in the request */
	bool nul;		/* a NUL came before the end of the current line */
	int64_t mbulk_left;	/* multibulk: arguments still to read */
	int64_t bulk_len;	/* multibulk: length of the bulk being read, -1 if none */
	size_t want;		/* bytes the current request needs at least, 0 if unknown */
	char errbuf[96];
};

/*
 * Parses one request from the len bytes at buf, which must start at the first byte of the
 * request (the caller drops the bytes of earlier requests).
 *
 * Returns RESP_OK with p->argv/p->argc set and *consumed = the request's length in bytes. The
 * views point into buf and stay valid until the caller moves or overwrites those bytes. Inline
 * requests are unescaped in place, so buf must be writable. An empty request (an empty inline
 * line, "*0\r\n", "*-1\r\n") is RESP_OK with argc == 0: the caller skips it.
 * Returns RESP_MORE when buf holds only part of a request; *consumed is 0. Between calls the
 * caller may move the bytes (compaction, realloc), as long as the next call passes the same
 * request start with at least the same bytes.
 * Returns RESP_ERR on a protocol error, with p->errstr set to Redis' exact reply text without
 * the leading '-' and trailing CRLF (e.g. "ERR Protocol error: invalid bulk length"). Redis
 * closes the connection after sending that reply; so should the caller. Sticky: later calls
 * return RESP_ERR until resp_parser_reset(). errstr points into p.
 *
 * Redis 7.0's rules, quirks included (resp_parse.c lists them): a request starting with '*' is
 * multibulk, anything else inline; the byte after a header's '\r' and the 2 bytes after a bulk
 * are skipped unchecked; a NUL byte before the end of a line (Redis searches with strchr) means
 * the line never ends, so the request fails once more than RESP_INLINE_MAX bytes are buffered.
 * A line (inline request, count or bulk header) longer than RESP_INLINE_MAX bytes is refused
 * whatever the read boundaries, as Redis does when the bytes arrive in small reads.
 * Redis drops a primary that sends an inline request other than an empty line; the caller can
 * tell an inline request by its first byte (not '*') and apply that policy.
 */
enum resp_status resp_parse(struct resp_parser *p, char *buf, size_t len,
    const struct resp_limits *lim, size_t *consumed);

/*
 * After RESP_MORE: the number of bytes, counted from the request start, that the current
 * request needs at least: once the header of a bulk of RESP_BIG_ARG bytes or more is read, its
 * offset + its length + 2. 0 otherwise (small arguments, no request under way). The caller uses
 * it to grow its buffer once, to the final size, when a big argument is arriving, instead of
 * growing it read by read. May exceed what the caller is willing to hold (the primary's link has
 * no bulk limit).
 */
size_t resp_parser_want(const struct resp_parser *p);

/* Returns p to the initial state (also clearing a sticky error), keeping its argv array. */
void resp_parser_reset(struct resp_parser *p);

/* Frees what p allocated and zero-fills it. */
void resp_parser_free(struct resp_parser *p);

/*
 * Output sink for replies. The caller owns buf and decides what "full" means: when fewer than
 * `need` bytes are free, the writer calls make_room(o, need), which must return with buf/len/cap
 * describing a buffer with at least `need` free bytes (a new chunk, a grown buffer...).
 * Writers only ever append at buf + len. Each writer asks for the exact bytes it writes, and
 * keeps a small reply (payload up to 256 bytes) in one piece; a larger payload fills what is
 * free, then one make_room(o, rest) takes the rest, so it is copied once. Writers allocate
 * nothing themselves and borrow their arguments only for the call.
 */
struct resp_out {
	char *buf;
	size_t len;
	size_t cap;
	int proto;		/* 2 or 3 (after HELLO 3) */
	void (*make_room)(struct resp_out *o, size_t need);
	void *ctx;		/* for make_room */
};

/*
 * A make_room for a sink that is one growing buffer: buf is a storage/base allocation (or NULL
 * with cap 0), reallocated to double its size, or more, until need bytes are free. For replies
 * kept aside rather than sent (a script's redis.call, XREADGROUP's two passes).
 */
void resp_out_grow(struct resp_out *o, size_t need);

/* Longest header any writer below emits before a payload ("$<20 digits>\r\n" and the like). */
#define RESP_HDR_MAX 32

/* The n bytes at p as they are (pre-encoded replies, a bulk's payload after resp_add_bulk_hdr). */
void resp_add_raw(struct resp_out *o, const void *p, size_t n);
/* "+s\r\n". s must not hold CR or LF. */
void resp_add_simple(struct resp_out *o, const char *s, size_t n);
/* "-s\r\n": s is the whole error, code first ("ERR ...", "WRONGTYPE ..."); CR and LF inside s
 * become spaces, as Redis does. */
void resp_add_error(struct resp_out *o, const char *s, size_t n);
/* ":v\r\n" */
void resp_add_int(struct resp_out *o, int64_t v);
/* "$n\r\n<bytes>\r\n" */
void resp_add_bulk(struct resp_out *o, const void *p, size_t n);
/* A bulk string of v's decimal digits. */
void resp_add_bulk_i64(struct resp_out *o, int64_t v);
/* The bulk header alone; the caller appends n bytes and "\r\n". */
void resp_add_bulk_hdr(struct resp_out *o, size_t n);
/* Null bulk: "$-1\r\n" in RESP2, "_\r\n" in RESP3. */
void resp_add_null(struct resp_out *o);
/* Null array: "*-1\r\n" in RESP2, "_\r\n" in RESP3. */
void resp_add_null_array(struct resp_out *o);
/* Aggregate headers. A map of n pairs is "*2n" in RESP2, "%n" in RESP3; a set "*n" / "~n";
 * a push "*n" / ">n". */
void resp_add_array(struct resp_out *o, size_t n);
void resp_add_map(struct resp_out *o, size_t n);
void resp_add_set(struct resp_out *o, size_t n);
void resp_add_push(struct resp_out *o, size_t n);
/* A double as Redis 7.0 writes it: "%.17g" as a bulk string in RESP2, ",%.17g\r\n" in RESP3;
 * infinities as "inf"/"-inf". */
void resp_add_double(struct resp_out *o, double d);
/* RESP2 ":1"/":0", RESP3 "#t"/"#f". */
void resp_add_bool(struct resp_out *o, bool b);
/* A verbatim string with a 3-letter format ("txt", "mkd"): RESP3 "=<n+4>\r\ntxt:<bytes>\r\n",
 * a plain bulk string in RESP2. */
void resp_add_verbatim(struct resp_out *o, const char *fmt3, const void *p, size_t n);
/* A big number given as decimal digits: RESP3 "(<digits>\r\n", a bulk string in RESP2. */
void resp_add_bignum(struct resp_out *o, const char *p, size_t n);

/* Shared constant replies, so common answers cost a single copy: resp_add_const(o, RESP_C_OK). */
#define RESP_C_OK		"+OK\r\n"
#define RESP_C_PONG		"+PONG\r\n"
#define RESP_C_QUEUED		"+QUEUED\r\n"
#define RESP_C_ZERO		":0\r\n"
#define RESP_C_ONE		":1\r\n"
#define RESP_C_EMPTY_ARRAY	"*0\r\n"
#define RESP_C_EMPTY_BULK	"$0\r\n\r\n"
#define resp_add_const(o, lit) resp_add_raw((o), (lit), sizeof(lit) - 1)

/*
 * Reading replies (resp_reply.c): the other direction, for the primary's handshake replies
 * (+PONG, +FULLRESYNC <id> <off>, -ERR ...) and for Lua's redis.call, which turns a handler's
 * reply back into values. Items are views into the caller's buffer; nothing is allocated.
 */

/* The type bytes of RESP2 and RESP3 replies. */
enum resp_type {
	RESP_T_SIMPLE = '+', RESP_T_ERROR = '-', RESP_T_INT = ':', RESP_T_BULK = '$',
	RESP_T_ARRAY = '*', RESP_T_NULL = '_', RESP_T_BOOL = '#', RESP_T_DOUBLE = ',',
	RESP_T_BIGNUM = '(', RESP_T_BLOBERR = '!', RESP_T_VERBATIM = '=', RESP_T_MAP = '%',
	RESP_T_SET = '~', RESP_T_ATTR = '|', RESP_T_PUSH = '>',
};

struct resp_item {
	int type;		/* an enum resp_type */
	bool null;		/* BULK or ARRAY with length -1 (RESP2 nulls) */
	const char *str;	/* SIMPLE, ERROR (without '-'), BULK, BLOBERR, BIGNUM, DOUBLE (its
				   text), VERBATIM (the text after "xxx:"): points into buf */
	size_t len;		/* bytes at str */
	int64_t i;		/* INT; BOOL: 1 or 0 */
	double d;		/* DOUBLE: the value ("inf", "-inf", "nan" accepted as Redis
				   writes them) */
	char fmt[4];		/* VERBATIM: its 3-byte format, NUL-terminated */
	uint64_t n;		/* ARRAY, SET, PUSH: elements that follow; MAP, ATTR: pairs
				   (2n items) */
};

/*
 * Reads the item that starts at buf[*pos] (len bytes in buf; a *pos past len is RESP_ERR).
 *
 * Returns RESP_OK with *it filled (fields that do not apply to its type are zero, str is NULL)
 * and *pos advanced past the item's own bytes: for an aggregate, its header only; the caller
 * then reads n items, or 2n for MAP and ATTR. An ATTR is not a reply by itself: its pairs are
 * followed by the item it describes.
 * Returns RESP_MORE when the item is not complete in buf; *pos unchanged.
 * Returns RESP_ERR when the bytes are not a valid item; *pos unchanged: an unknown type byte;
 * a bad number (Redis' strict integers; doubles as "[+-]digits[.digits][(e|E)[+-]digits]",
 * "inf", "-inf", "nan", "-nan"; bignums as "[+-]digits"); a bool other than t/f; a null with
 * text; a length below 0, or -1 other than for '$' and '*'; a line holding a lone CR or LF;
 * a line longer than RESP_INLINE_MAX bytes (numbers: more than 21 bytes, doubles: 384),
 * complete or not; bulk data not followed by CRLF; a verbatim string whose 4th byte is not ':'.
 * Bulk lengths are not limited: one that could never fit after *pos in the address space is
 * RESP_ERR, any other is RESP_MORE until its bytes are there.
 * *it is unspecified unless RESP_OK.
 */
enum resp_status resp_read_item(const char *buf, size_t len, size_t *pos, struct resp_item *it);

/*
 * Checks that one whole reply (an aggregate with all its elements, nested to any depth,
 * attributes included) starts at buf[*pos]. Returns RESP_OK with *pos past it, RESP_MORE or
 * RESP_ERR (as resp_read_item, also when the count of items still to read would pass
 * UINT64_MAX) with *pos unchanged. Iterative: depth costs no C stack. Each call reads from
 * *pos again, so a caller waiting for a big reply should call it when more bytes arrived,
 * not per byte.
 */
enum resp_status resp_skip_reply(const char *buf, size_t len, size_t *pos);

#endif
