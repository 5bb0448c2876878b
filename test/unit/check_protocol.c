/*
 * check_protocol: unit tests of the RESP codec (protocol/resp_parse.c, resp_write.c, resp_reply.c).
 *
 * Parser tests are tables of raw input and the expected outcome, rendered as text: each request
 * as "[arg|arg]", then "!<errstr>" for a protocol error or "~" when bytes are left waiting for
 * more. Every input is fed whole, byte by byte and cut at every offset, the way a server feeds
 * it: after each delivery it calls resp_parse until RESP_MORE, each time on a fresh copy of the
 * pending bytes that ends against a PROT_NONE page, so an over-read faults and a parser that kept
 * pointers into an old buffer reads freed memory. Every cut must give the same outcome.
 * The expectations were checked against redis-server 7.0.15 over a socket.
 *
 * Writer tests encode into a sink whose make_room hands out chunks barely big enough (7 bytes, or
 * what was asked), starting at every offset of a chunk, and compare the bytes with Redis'.
 * Reply reader tests read every writer's output back (RESP2 and RESP3), random nested replies,
 * tables of valid and malformed replies, and random or damaged bytes. Each input ends against a
 * PROT_NONE page, and each is also read cut at every length: a prefix of a valid reply must be
 * RESP_MORE, and no cut may change the outcome.
 * The harness allocates with libc malloc so that the allocator counters only see the code
 * under test.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "protocol/resp.h"
#include "storage/base/mem.h"

/* ---------------------------------------------------------------------------------------- */
/* Test plumbing: a growable string, guarded copies. */

struct sb {
	char *p;
	size_t len, cap;
};

static void
sb_add(struct sb *b, const void *s, size_t n)
{
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 64;

		while (cap - b->len < n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		ck_assert_ptr_nonnull(b->p);
		b->cap = cap;
	}
	if (n != 0)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void
sb_rep(struct sb *b, char c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sb_add(b, &c, 1);
}

/* Appends s with the bytes that are not plain printable, and the separators, as \xHH. */
static void
sb_esc(struct sb *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '|' && c != '[' && c != ']') {
			sb_add(b, s + i, 1);
		} else {
			char hex[8];

			snprintf(hex, sizeof hex, "\\x%02x", c);
			sb_str(b, hex);
		}
	}
}

static void
sb_free(struct sb *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* A copy of some bytes that ends where a PROT_NONE page starts. */
struct guard {
	void *map;
	size_t maplen;
};

static char *
guard_copy(struct guard *g, const char *src, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (n + page - 1) / page;
	char *fence;

	g->maplen = (pages + 1) * page;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(g->map != MAP_FAILED);
	fence = (char *)g->map + pages * page;
	ck_assert_int_eq(mprotect(fence, page, PROT_NONE), 0);
	if (n != 0)
		memcpy(fence - n, src, n);
	return fence - n;
}

static void
guard_free(struct guard *g)
{
	if (g->map != NULL)
		munmap(g->map, g->maplen);
	g->map = NULL;
}

/* ---------------------------------------------------------------------------------------- */
/* The feeding driver. */

enum lim_kind { L_AUTH, L_NOAUTH, L_MASTER, L_MAX1000, L_MAX20000_NOAUTH };

static const struct resp_limits limits[] = {
	[L_AUTH] = { 512 * 1024 * 1024, true },
	[L_NOAUTH] = { 512 * 1024 * 1024, false },
	[L_MASTER] = { 0, true },
	[L_MAX1000] = { 1000, true },
	[L_MAX20000_NOAUTH] = { 20000, false },
};

static void
render_request(struct sb *out, const struct resp_parser *p, const char *buf, size_t consumed)
{
	sb_str(out, "[");
	for (size_t i = 0; i < p->argc; i++) {
		const char *a = p->argv[i].ptr;

		/* Views point into the request's own bytes. */
		ck_assert_msg(a >= buf && a + p->argv[i].len <= buf + consumed,
		    "argv[%zu] outside the request", i);
		if (i > 0)
			sb_str(out, "|");
		sb_esc(out, a, p->argv[i].len);
	}
	sb_str(out, "]");
}

/*
 * Delivers in[0..n) in pieces ending at cuts[0..ncuts) and then n, parsing after each delivery
 * as a server does, and renders the outcome into out.
 */
static void
feed(const char *in, size_t n, const size_t *cuts, size_t ncuts, const struct resp_limits *lim,
    struct sb *out)
{
	struct resp_parser p;
	struct guard cur = { 0 }, prev = { 0 };
	size_t start = 0;

	memset(&p, 0, sizeof p);
	for (size_t d = 0; d <= ncuts; d++) {
		size_t have = d < ncuts ? cuts[d] : n;

		for (;;) {
			size_t consumed = 99;
			enum resp_status st;
			char *buf;

			/* Keep the previous copy mapped so that the new one lands elsewhere. */
			guard_free(&prev);
			prev = cur;
			buf = guard_copy(&cur, in + start, have - start);
			st = resp_parse(&p, buf, have - start, lim, &consumed);
			if (st == RESP_OK) {
				ck_assert_uint_gt(consumed, 0);
				ck_assert_uint_le(consumed, have - start);
				render_request(out, &p, buf, consumed);
				start += consumed;
				continue;
			}
			ck_assert_uint_eq(consumed, 0);
			if (st == RESP_MORE)
				break;
			ck_assert_int_eq(st, RESP_ERR);
			ck_assert_ptr_nonnull(p.errstr);
			sb_str(out, "!");
			sb_esc(out, p.errstr, strlen(p.errstr));
			goto out;
		}
	}
	if (start < n)
		sb_str(out, "~");
out:
	guard_free(&prev);
	guard_free(&cur);
	resp_parser_free(&p);
}

#define SMALL_INPUT 600

static void
check_one(const char *in, size_t n, const size_t *cuts, size_t ncuts,
    const struct resp_limits *lim, const char *expect, const char *how, size_t k)
{
	struct sb got = { 0 };

	feed(in, n, cuts, ncuts, lim, &got);
	ck_assert_msg(strcmp(got.p ? got.p : "", expect) == 0,
	    "%s %zu: got \"%.300s\", want \"%.300s\"", how, k, got.p ? got.p : "", expect);
	sb_free(&got);
}

/* Checks that every way of cutting in[0..n) gives expect. Big inputs get a sample of cuts. */
static void
check_all_splits(const char *in, size_t n, const struct resp_limits *lim, const char *expect)
{
	size_t *cuts = calloc(n + 1, sizeof *cuts);
	size_t nc;

	ck_assert_ptr_nonnull(cuts);
	check_one(in, n, NULL, 0, lim, expect, "whole", n);
	if (n <= SMALL_INPUT) {
		for (nc = 0; nc + 1 < n; nc++)
			cuts[nc] = nc + 1;
		check_one(in, n, cuts, nc, lim, expect, "bytewise", n);
		for (size_t k = 1; k < n; k++)
			check_one(in, n, &k, 1, lim, expect, "split at", k);
	} else {
		for (nc = 0; (nc + 1) * 4093 < n; nc++)
			cuts[nc] = (nc + 1) * 4093;
		check_one(in, n, cuts, nc, lim, expect, "chunks of 4093", n);
		for (size_t k = 1; k < n; k++) {
			if (k < 40 || n - k < 40 || k % 8191 == 0)
				check_one(in, n, &k, 1, lim, expect, "split at", k);
		}
	}
	free(cuts);
}

/* ---------------------------------------------------------------------------------------- */
/* Parser tables. */

struct parse_case {
	const char *in;
	size_t n;
	enum lim_kind lim;
	const char *expect;
};

#define T(in, lim, expect) { in, sizeof(in) - 1, lim, expect }

static const struct parse_case ok_cases[] = {
	/* Multibulk. */
	T("*2\r\n$3\r\nGET\r\n$8\r\nkey:0001\r\n", L_AUTH, "[GET|key:0001]"),
	T("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\nPING\r\n"
	  "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", L_AUTH, "[PING][ECHO|hi][PING][SET|k|]"),
	T("*2\r\n$4\r\nECHO\r\n$8\r\na\0\r\n\r\n\0b\r\n", L_AUTH,
	  "[ECHO|a\\x00\\x0d\\x0a\\x0d\\x0a\\x00b]"),
	T("*3\r\n$1\r\n*\r\n$1\r\n$\r\n$2\r\n\r\n\r\n", L_AUTH, "[*|$|\\x0d\\x0a]"),
	T("*1\r\n$10\r\n0123456789\r\n*1\r\n$1\r\n\xff\r\n", L_AUTH, "[0123456789][\\xff]"),
	/* Empty requests. */
	T("*0\r\n", L_AUTH, "[]"),
	T("*-1\r\n", L_AUTH, "[]"),
	T("*-9223372036854775808\r\n", L_AUTH, "[]"),
	T("*-99\r\n", L_NOAUTH, "[]"),
	T("\r\n", L_AUTH, "[]"),
	T("\n", L_AUTH, "[]"),
	T(" \t\v\f\r\n", L_AUTH, "[]"),
	T("*0\r\n*-1\r\n\nPING\n", L_AUTH, "[][][][PING]"),
	/* Inline. */
	T("PING\r\n", L_AUTH, "[PING]"),
	T("PING\n", L_AUTH, "[PING]"),
	T("PING\r\r\n", L_AUTH, "[PING]"),
	T("  SET   a\t b  \r\n", L_AUTH, "[SET|a|b]"),
	T("SET \"a b\" 'c d'\n", L_AUTH, "[SET|a b|c d]"),
	T("ECHO \"\\x41\\x4g\\z\\n\\r\\t\\b\\a\\\\\\\"\"\n", L_AUTH,
	  "[ECHO|Ax4gz\\x0a\\x0d\\x09\\x08\\x07\\x5c\"]"),
	T("ECHO \"\\xfF\\x00\\xA\"\n", L_AUTH, "[ECHO|\\xff\\x00xA]"),
	T("ECHO 'a\\'b\\n\"'\n", L_AUTH, "[ECHO|a'b\\x5cn\"]"),
	T("ECHO a\"b c\" e\n", L_AUTH, "[ECHO|ab c|e]"),
	T("ECHO a'b c'\n", L_AUTH, "[ECHO|ab c]"),
	T("ECHO a\vb\fc\n", L_AUTH, "[ECHO|a\\x0bb\\x0cc]"),
	T("ECHO \"\" ''\n", L_AUTH, "[ECHO||]"),
	T("ECHO \"a\"\v'b'\f\n", L_AUTH, "[ECHO|a|b]"),
	T("ECHO \"a\"\r\n", L_AUTH, "[ECHO|a]"),
	T("ECHO a\rb\n", L_AUTH, "[ECHO|a|b]"),
	T("ECHO \\\n", L_AUTH, "[ECHO|\\x5c]"),
	T("ECHO \"a\\\"b\"\n", L_AUTH, "[ECHO|a\"b]"),
	T("ECHO \xa0\x85x\n", L_AUTH, "[ECHO|\\xa0\\x85x]"),
	T("$3\r\n", L_AUTH, "[$3]"),
	T(" *1\r\n", L_AUTH, "[*1]"),
	T("PING\r\n*1\r\n$4\r\nPING\r\nPING\n", L_AUTH, "[PING][PING][PING]"),
	T("a b c d e f g h i j k l\n", L_NOAUTH, "[a|b|c|d|e|f|g|h|i|j|k|l]"),
	/* Redis skips the byte after '\r' and the two after a bulk without looking at them. */
	T("*1\rX$4\r\nPING\r\n", L_AUTH, "[PING]"),
	T("*1\r\n$4\rXPINGxx", L_AUTH, "[PING]"),
	T("*1\r\n$4\r\nPINGxx*1\r\n$1\r\nA\r\n", L_AUTH, "[PING][A]"),
	T("*1\r\n$3\r\n\r\n\r\n\r\n", L_AUTH, "[\\x0d\\x0a\\x0d][]"),
	/* Limits that are not reached. */
	T("*10\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n"
	  "$1\r\nf\r\n$1\r\ng\r\n$1\r\nh\r\n$1\r\ni\r\n$1\r\nj\r\n", L_NOAUTH,
	  "[a|b|c|d|e|f|g|h|i|j]"),
	T("*11\r\n", L_AUTH, "~"),
	T("*2147483647\r\n", L_AUTH, "~"),
	T("*10\r\n", L_NOAUTH, "~"),
	T("*1\r\n$16385\r\n", L_AUTH, "~"),
	T("*1\r\n$16384\r\n", L_NOAUTH, "~"),
	T("*1\r\n$1000\r\n", L_MAX1000, "~"),
	T("*1\r\n$9223372036854775807\r\n", L_MASTER, "~"),
	/* Incomplete. */
	T("*", L_AUTH, "~"),
	T("*1\r", L_AUTH, "~"),
	T("*1\r\n$3\r", L_AUTH, "~"),
	T("*2\r\n$3\r\nGET", L_AUTH, "~"),
	T("*1\r\n$3\r\nabc\r", L_AUTH, "~"),
	T("PING", L_AUTH, "~"),
	T("PING\r", L_AUTH, "~"),
	T("PING\r\n*1", L_AUTH, "[PING]~"),
	/* Redis finds line ends with strchr: a NUL before the end means it never comes. */
	T("*1\r\n$3\0\r\nabc\r\n", L_AUTH, "~"),
	T("*1\0\r\n$1\r\na\r\n", L_AUTH, "~"),
	T("GET a\0\n", L_AUTH, "~"),
	T("PING\r\nGET\0\nPING\n", L_AUTH, "[PING]~"),
	T("GET 0123456789012345678901234567890123456789\0\n", L_AUTH, "~"),
	T("*1\r\n$0000000000000000000000000000000000000000\0\r\n", L_AUTH, "~"),
};

#define E(in, lim, msg) T(in, lim, "!ERR Protocol error: " msg)

static const struct parse_case err_cases[] = {
	E("*x\r\n", L_AUTH, "invalid multibulk length"),
	E("*\r\n", L_AUTH, "invalid multibulk length"),
	E("*-0\r\n", L_AUTH, "invalid multibulk length"),
	E("*01\r\n", L_AUTH, "invalid multibulk length"),
	E("*+1\r\n", L_AUTH, "invalid multibulk length"),
	E("* 1\r\n", L_AUTH, "invalid multibulk length"),
	E("*1 \r\n", L_AUTH, "invalid multibulk length"),
	E("*2147483648\r\n", L_AUTH, "invalid multibulk length"),
	E("*2147483648\r\n", L_NOAUTH, "invalid multibulk length"),
	E("*9223372036854775808\r\n", L_AUTH, "invalid multibulk length"),
	E("*99999999999999999999\r\n", L_AUTH, "invalid multibulk length"),
	E("*1\n\r\n$4\r\nPING\r\n", L_AUTH, "invalid multibulk length"),
	E("*1\r\n$x\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$-1\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$-1\r\n", L_MASTER, "invalid bulk length"),
	E("*1\r\n$-0\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$+1\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$01\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$ 1\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$1 \r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$1.0\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$9223372036854775808\r\n", L_MASTER, "invalid bulk length"),
	E("*1\r\n$536870913\r\n", L_AUTH, "invalid bulk length"),
	E("*1\r\n$1001\r\n", L_MAX1000, "invalid bulk length"),
	E("*1\r\n$20001\r\n", L_MAX20000_NOAUTH, "invalid bulk length"),
	E("*1\r\n$20000\r\n", L_MAX20000_NOAUTH, "unauthenticated bulk length"),
	E("*1\r\n$16385\r\n", L_NOAUTH, "unauthenticated bulk length"),
	E("*11\r\n", L_NOAUTH, "unauthenticated multibulk length"),
	E("*2147483647\r\n", L_NOAUTH, "unauthenticated multibulk length"),
	E("*1\r\nx3\r\n", L_AUTH, "expected '$', got 'x'"),
	E("*1\r\n\r\n", L_AUTH, "expected '$', got ' '"),
	E("*1\r\n\n$4\r\nPING\r\n", L_AUTH, "expected '$', got ' '"),
	E("*1\r\n\xff" "3\r\n", L_AUTH, "expected '$', got '\\xff'"),
	E("*2\r\n$1\r\na\r\n*1\r\n", L_AUTH, "expected '$', got '*'"),
	E("*1\r\n:1\r\n", L_AUTH, "expected '$', got ':'"),
	E("\"abc\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO \"a\"b\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO 'a'b\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO 'a\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO 'a\\'\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO \"a\\\"\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO \"a\\\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO a\"b\n", L_AUTH, "unbalanced quotes in request"),
	E("ECHO \"a\"\"b\"\n", L_AUTH, "unbalanced quotes in request"),
	T("PING\r\n*1\r\n$4\r\nPING\r\n*x\r\n", L_AUTH,
	  "[PING][PING]!ERR Protocol error: invalid multibulk length"),
	T("PING\r\n\"\n", L_AUTH, "[PING]!ERR Protocol error: unbalanced quotes in request"),
};

START_TEST(parse_ok)
{
	const struct parse_case *c = &ok_cases[_i];

	check_all_splits(c->in, c->n, &limits[c->lim], c->expect);
}
END_TEST

START_TEST(parse_err)
{
	const struct parse_case *c = &err_cases[_i];

	check_all_splits(c->in, c->n, &limits[c->lim], c->expect);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Limits: generated inputs around RESP_INLINE_MAX and the other bounds. */

struct limit_case {
	const char *head;	/* head_len bytes first */
	size_t head_len;
	char fill;		/* then this byte up to total bytes */
	size_t total;
	const char *tail;	/* then these */
	enum lim_kind lim;
	const char *expect;	/* '=' stands for "[<the fill bytes>]" */
};

#define H(s) s, sizeof(s) - 1
#define IM RESP_INLINE_MAX
#define TOO_BIG_INLINE "!ERR Protocol error: too big inline request"
#define TOO_BIG_MBULK "!ERR Protocol error: too big mbulk count string"
#define TOO_BIG_BULK "!ERR Protocol error: too big bulk count string"

static const struct limit_case limit_cases[] = {
	/* An inline line of RESP_INLINE_MAX bytes is accepted; one more byte is refused. */
	{ H(""), 'a', IM, "\n", L_AUTH, "=" },
	{ H(""), 'a', IM + 1, "\n", L_AUTH, TOO_BIG_INLINE },
	{ H(""), 'a', IM - 1, "\r\n", L_AUTH, "=" },
	{ H(""), 'a', IM, "\r\n", L_AUTH, TOO_BIG_INLINE },
	{ H(""), 'a', IM, "", L_AUTH, "~" },
	{ H(""), 'a', IM + 1, "", L_AUTH, TOO_BIG_INLINE },
	{ H("a\0"), 'a', IM, "", L_AUTH, "~" },
	{ H("a\0"), 'a', IM, "\n", L_AUTH, TOO_BIG_INLINE },
	/* Counted from the start of the line, not of the buffer. */
	{ H("PING\r\n"), 'a', 6 + IM, "\n", L_AUTH, "[PING]=" },
	/* The multibulk count line. */
	{ H("*"), '1', IM, "\r\n", L_AUTH, "!ERR Protocol error: invalid multibulk length" },
	{ H("*"), '1', IM + 1, "\r\n", L_AUTH, TOO_BIG_MBULK },
	{ H("*"), '1', IM, "", L_AUTH, "~" },
	{ H("*"), '1', IM + 1, "", L_AUTH, TOO_BIG_MBULK },
	{ H("*1\0"), '1', IM, "", L_AUTH, "~" },
	{ H("*1\0"), '1', IM, "\r\n", L_AUTH, TOO_BIG_MBULK },
	/* A bulk count line, counted from its '$'. */
	{ H("*1\r\n$"), '1', 4 + IM, "\r\n", L_AUTH, "!ERR Protocol error: invalid bulk length" },
	{ H("*1\r\n$"), '1', 4 + IM + 1, "\r\n", L_AUTH, TOO_BIG_BULK },
	{ H("*2\r\n$1\r\na\r\n$"), '1', 11 + IM, "\r\n", L_AUTH,
	  "!ERR Protocol error: invalid bulk length" },
	{ H("*2\r\n$1\r\na\r\n$"), '1', 11 + IM + 1, "", L_AUTH, TOO_BIG_BULK },
	{ H("*1\r\n$1\0"), '1', 4 + IM, "", L_AUTH, "~" },
	{ H("*1\r\n$1\0"), '1', 4 + IM, "\r\n", L_AUTH, TOO_BIG_BULK },
	/* Bulks at the pre-auth limit, at max_bulk_len, and big arguments. */
	{ H("*1\r\n$16384\r\n"), 'b', 12 + 16384, "\r\n", L_NOAUTH, "=" },
	{ H("*1\r\n$1000\r\n"), 'd', 11 + 1000, "\r\n", L_MAX1000, "=" },
	{ H("*1\r\n$100000\r\n"), 'c', 13 + 100000, "\r\n", L_AUTH, "=" },
	{ H("*1\r\n$100000\r\n"), '\n', 13 + 100000, "\r\n", L_MASTER, "=" },
};

START_TEST(parse_limits)
{
	const struct limit_case *c = &limit_cases[_i];
	struct sb in = { 0 }, expect = { 0 };
	const char *eq = strchr(c->expect, '=');

	ck_assert_uint_le(c->head_len, c->total);
	sb_add(&in, c->head, c->head_len);
	sb_rep(&in, c->fill, c->total - c->head_len);
	sb_str(&in, c->tail);
	if (eq != NULL) {
		sb_add(&expect, c->expect, (size_t)(eq - c->expect));
		sb_str(&expect, "[");
		for (size_t i = c->head_len; i < c->total; i++)
			sb_esc(&expect, &c->fill, 1);
		sb_str(&expect, "]");
	} else {
		sb_str(&expect, c->expect);
	}
	check_all_splits(in.p, in.len, &limits[c->lim], expect.p);
	sb_free(&in);
	sb_free(&expect);
}
END_TEST

/* Requests with more arguments than the preallocated argv, parsed twice in a row. */
START_TEST(parse_many_args)
{
	static const size_t counts[] = { 1, 9, 1024, 1025, 3000 };
	struct sb in = { 0 }, expect = { 0 };

	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		char hdr[32];

		snprintf(hdr, sizeof hdr, "*%zu\r\n", counts[i]);
		sb_str(&in, hdr);
		sb_str(&expect, "[");
		for (size_t j = 0; j < counts[i]; j++) {
			char arg[48], data[24];

			snprintf(data, sizeof data, "%zu", j);
			snprintf(arg, sizeof arg, "$%zu\r\n%s\r\n", strlen(data), data);
			sb_str(&in, arg);
			if (j > 0)
				sb_str(&expect, "|");
			sb_str(&expect, data);
		}
		sb_str(&expect, "]");
	}
	check_all_splits(in.p, in.len, &limits[L_AUTH], expect.p);
	sb_free(&in);
	sb_free(&expect);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* State: sticky errors, reset, want, incremental scanning, allocation. */

START_TEST(parse_sticky_error)
{
	struct resp_parser p;
	char bad[] = "*x\r\n", good[] = "PING\r\n";
	size_t consumed = 7;
	const char *err;

	memset(&p, 0, sizeof p);
	ck_assert_int_eq(resp_parse(&p, bad, strlen(bad), &limits[L_AUTH], &consumed), RESP_ERR);
	ck_assert_uint_eq(consumed, 0);
	err = p.errstr;
	ck_assert_str_eq(err, "ERR Protocol error: invalid multibulk length");
	/* Still an error on a good request, with the same text. */
	consumed = 7;
	ck_assert_int_eq(resp_parse(&p, good, strlen(good), &limits[L_AUTH], &consumed), RESP_ERR);
	ck_assert_uint_eq(consumed, 0);
	ck_assert_str_eq(p.errstr, "ERR Protocol error: invalid multibulk length");
	ck_assert_int_eq(resp_parse(&p, good, 0, &limits[L_AUTH], &consumed), RESP_ERR);

	resp_parser_reset(&p);
	ck_assert_ptr_null(p.errstr);
	ck_assert_int_eq(resp_parse(&p, good, strlen(good), &limits[L_AUTH], &consumed), RESP_OK);
	ck_assert_uint_eq(consumed, 6);
	ck_assert_uint_eq(p.argc, 1);
	ck_assert_mem_eq(p.argv[0].ptr, "PING", 4);

	/* An inline error, then a line that would parse from where the error left off. */
	memcpy(bad, "\"\n", 3);
	ck_assert_int_eq(resp_parse(&p, bad, 2, &limits[L_AUTH], &consumed), RESP_ERR);
	memcpy(good, "PING\r\n", 7);
	ck_assert_int_eq(resp_parse(&p, good, strlen(good), &limits[L_AUTH], &consumed), RESP_ERR);
	ck_assert_str_eq(p.errstr, "ERR Protocol error: unbalanced quotes in request");
	resp_parser_free(&p);
}
END_TEST

START_TEST(parse_reset_mid_request)
{
	struct resp_parser p;
	char part[] = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nab", good[] = "*1\r\n$4\r\nPING\r\n";
	struct resp_arg *argv;
	size_t consumed, cap;

	memset(&p, 0, sizeof p);
	ck_assert_int_eq(resp_parse(&p, part, strlen(part), &limits[L_AUTH], &consumed),
	    RESP_MORE);
	argv = p.argv;
	cap = p.argv_cap;
	ck_assert_ptr_nonnull(argv);
	resp_parser_reset(&p);
	/* The argv array is kept for reuse. */
	ck_assert_ptr_eq(p.argv, argv);
	ck_assert_uint_eq(p.argv_cap, cap);
	ck_assert_int_eq(resp_parse(&p, good, strlen(good), &limits[L_AUTH], &consumed), RESP_OK);
	ck_assert_uint_eq(consumed, strlen(good));
	ck_assert_uint_eq(p.argc, 1);
	ck_assert_mem_eq(p.argv[0].ptr, "PING", 4);
	resp_parser_free(&p);
	ck_assert_ptr_null(p.argv);
	ck_assert_uint_eq(p.argv_cap, 0);
	/* A freed parser is a zero-filled one: usable again. */
	ck_assert_int_eq(resp_parse(&p, good, strlen(good), &limits[L_AUTH], &consumed), RESP_OK);
	resp_parser_free(&p);
}
END_TEST

START_TEST(parse_want)
{
	struct resp_parser p;
	struct sb in = { 0 };
	size_t consumed, big = 100000, hdr;

	memset(&p, 0, sizeof p);
	/* Nothing known yet. */
	sb_str(&in, "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed), RESP_MORE);
	ck_assert_uint_eq(resp_parser_want(&p), 0);
	sb_str(&in, "000\r\n");
	hdr = in.len;
	/* Known from the big bulk's header on, byte by byte through its data. */
	for (size_t i = 0; i < big + 1; i += 4099) {
		ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed),
		    RESP_MORE);
		ck_assert_uint_eq(resp_parser_want(&p), hdr + big + 2);
		sb_rep(&in, 'v', i + 4099 > big ? big - i : 4099);
	}
	sb_str(&in, "\r");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed), RESP_MORE);
	ck_assert_uint_eq(resp_parser_want(&p), hdr + big + 2);
	sb_str(&in, "\n");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed), RESP_OK);
	ck_assert_uint_eq(consumed, hdr + big + 2);
	ck_assert_uint_eq(p.argc, 3);
	ck_assert_uint_eq(p.argv[2].len, big);
	ck_assert_ptr_eq(p.argv[2].ptr, in.p + hdr);

	/* The next request starts from nothing; a bulk one byte short of big says nothing. */
	sb_free(&in);
	sb_str(&in, "*1\r\n$32767\r\n");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed), RESP_MORE);
	ck_assert_uint_eq(resp_parser_want(&p), 0);
	resp_parser_reset(&p);
	sb_free(&in);
	sb_str(&in, "*1\r\n$32768\r\n");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_AUTH], &consumed), RESP_MORE);
	ck_assert_uint_eq(resp_parser_want(&p), in.len + RESP_BIG_ARG + 2);
	resp_parser_reset(&p);
	ck_assert_uint_eq(resp_parser_want(&p), 0);
	/* The primary's link has no bulk limit: a length near INT64_MAX must not wrap. */
	sb_free(&in);
	sb_str(&in, "*1\r\n$9223372036854775807\r\n");
	ck_assert_int_eq(resp_parse(&p, in.p, in.len, &limits[L_MASTER], &consumed), RESP_MORE);
	ck_assert_uint_ge(resp_parser_want(&p), (size_t)INT64_MAX);
	resp_parser_free(&p);
	sb_free(&in);
}
END_TEST

/*
 * A request arriving in many reads is examined once: bytes already looked at are not looked at
 * again. Changing them behind the parser's back (which a caller must not do) shows it.
 */
START_TEST(parse_no_rescan)
{
	struct resp_parser p;
	char line[] = "ECHO aaaaaaaaaaaaaaaaaaaaaaaa\n";
	char mb[] = "*2\r\n$4\r\nECHO\r\n$3\r\nabc\r\n";
	size_t n = strlen(line), consumed;

	memset(&p, 0, sizeof p);
	/* An inline line: a '\n' slipped into the scanned part is not seen. */
	ck_assert_int_eq(resp_parse(&p, line, 20, &limits[L_AUTH], &consumed), RESP_MORE);
	line[7] = '\n';
	ck_assert_int_eq(resp_parse(&p, line, n, &limits[L_AUTH], &consumed), RESP_OK);
	ck_assert_uint_eq(consumed, n);
	/* A multibulk: arguments already cut are not parsed again. */
	ck_assert_int_eq(resp_parse(&p, mb, 16, &limits[L_AUTH], &consumed), RESP_MORE);
	memset(mb, '#', 14);
	ck_assert_int_eq(resp_parse(&p, mb, strlen(mb), &limits[L_AUTH], &consumed), RESP_OK);
	ck_assert_uint_eq(p.argc, 2);
	ck_assert_uint_eq(p.argv[0].len, 4);
	ck_assert_ptr_eq(p.argv[0].ptr, mb + 8);
	ck_assert_mem_eq(p.argv[1].ptr, "abc", 3);
	resp_parser_free(&p);
}
END_TEST

START_TEST(parse_steady_state_no_alloc)
{
	struct resp_parser p;
	char mb[] = "*5\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$2\r\nEX\r\n$2\r\n10\r\n";
	char il[] = "SET k \"v\" EX 10\r\n";
	char huge[] = "*2147483647\r\n$1\r\na\r\n";
	struct mem_counters before, after;
	size_t consumed;

	memset(&p, 0, sizeof p);
	ck_assert_int_eq(resp_parse(&p, mb, strlen(mb), &limits[L_AUTH], &consumed), RESP_OK);
	before = mem_thread_counters();
	for (int i = 0; i < 100; i++) {
		char copy[sizeof il];

		ck_assert_int_eq(resp_parse(&p, mb, strlen(mb), &limits[L_AUTH], &consumed),
		    RESP_OK);
		memcpy(copy, il, sizeof il);
		ck_assert_int_eq(resp_parse(&p, copy, strlen(copy), &limits[L_AUTH], &consumed),
		    RESP_OK);
		ck_assert_uint_eq(p.argc, 5);
	}
	after = mem_thread_counters();
	ck_assert_uint_eq(after.allocs, before.allocs);
	/* A huge announced count does not allocate for it up front. */
	resp_parser_reset(&p);
	before = mem_thread_counters();
	ck_assert_int_eq(resp_parse(&p, huge, strlen(huge), &limits[L_AUTH], &consumed),
	    RESP_MORE);
	after = mem_thread_counters();
	ck_assert_uint_le(after.bytes - before.bytes, 1024 * sizeof(struct resp_arg));
	resp_parser_free(&p);

	/* The argv array grows geometrically: a few allocations for thousands of arguments. */
	{
		struct sb many = { 0 };

		sb_str(&many, "*5000\r\n");
		for (int i = 0; i < 5000; i++)
			sb_str(&many, "$1\r\nx\r\n");
		before = mem_thread_counters();
		ck_assert_int_eq(resp_parse(&p, many.p, many.len, &limits[L_AUTH], &consumed),
		    RESP_OK);
		after = mem_thread_counters();
		ck_assert_uint_eq(p.argc, 5000);
		ck_assert_uint_le(after.allocs - before.allocs, 8);
		resp_parser_free(&p);
		sb_free(&many);
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Writer. */

#define MIN_CHUNK 7

/* A reply sink made of chunks that are as small as make_room's contract allows. */
struct sink {
	struct resp_out o;
	struct sb done;		/* bytes of the chunks handed out before the current one */
	size_t calls;
	size_t waste;		/* free bytes left behind in chunks given up */
	bool flat;		/* one big buffer: make_room must never be called */
};

static void
sink_make_room(struct resp_out *o, size_t need)
{
	struct sink *s = o->ctx;

	ck_assert_msg(!s->flat, "make_room called on a big enough buffer");
	ck_assert_msg(o->cap - o->len < need, "make_room(%zu) called with %zu bytes free", need,
	    o->cap - o->len);
	sb_add(&s->done, o->buf, o->len);
	s->waste += o->cap - o->len;
	free(o->buf);
	o->cap = need > MIN_CHUNK ? need : MIN_CHUNK;
	o->buf = malloc(o->cap);
	ck_assert_ptr_nonnull(o->buf);
	o->len = 0;
	s->calls++;
}

/* A chunked sink whose current chunk already holds used of its MIN_CHUNK bytes. */
static void
sink_init(struct sink *s, int proto, size_t used, size_t cap)
{
	memset(s, 0, sizeof *s);
	s->o.proto = proto;
	s->o.make_room = sink_make_room;
	s->o.ctx = s;
	s->o.cap = cap;
	s->o.buf = malloc(cap ? cap : 1);
	ck_assert_ptr_nonnull(s->o.buf);
	memset(s->o.buf, '.', used);
	s->o.len = used;
}

static void
sink_init_flat(struct sink *s, int proto, size_t cap)
{
	sink_init(s, proto, 0, cap);
	s->flat = true;
}

/* Returns everything written, in s->done, and releases the current chunk. */
static struct sb *
sink_finish(struct sink *s)
{
	sb_add(&s->done, s->o.buf, s->o.len);
	if (s->done.p == NULL)
		sb_add(&s->done, "", 0);
	free(s->o.buf);
	s->o.buf = NULL;
	return &s->done;
}

enum wop {
	W_RAW, W_CONST_OK, W_SIMPLE, W_ERROR, W_INT, W_BULK, W_BULK_I64, W_BULK_HDR, W_NULL,
	W_NULL_ARRAY, W_ARRAY, W_MAP, W_SET, W_PUSH, W_DOUBLE, W_BOOL, W_VERBATIM, W_BIGNUM,
};

struct write_case {
	enum wop op;
	int proto;
	const char *s;		/* string argument */
	size_t n;		/* its length, or the count argument */
	int64_t i;
	double d;
	const char *fmt;
	const char *expect;
	size_t expect_len;
};

#define S(str) str, sizeof(str) - 1
#define X(str) str, sizeof(str) - 1

static const struct write_case write_cases[] = {
	{ W_RAW, 2, S("abc"), 0, 0, NULL, X("abc") },
	{ W_RAW, 3, S(""), 0, 0, NULL, X("") },
	{ W_RAW, 2, S("a\0\r\nb"), 0, 0, NULL, X("a\0\r\nb") },
	{ W_CONST_OK, 2, NULL, 0, 0, 0, NULL, X("+OK\r\n") },
	{ W_SIMPLE, 2, S("OK"), 0, 0, NULL, X("+OK\r\n") },
	{ W_SIMPLE, 3, S("PONG"), 0, 0, NULL, X("+PONG\r\n") },
	{ W_SIMPLE, 2, S(""), 0, 0, NULL, X("+\r\n") },
	{ W_ERROR, 2, S("ERR unknown"), 0, 0, NULL, X("-ERR unknown\r\n") },
	{ W_ERROR, 3, S("ERR a\r\nb\nc\r"), 0, 0, NULL, X("-ERR a  b c \r\n") },
	{ W_ERROR, 2, S("WRONGTYPE x\0y"), 0, 0, NULL, X("-WRONGTYPE x\0y\r\n") },
	{ W_INT, 2, NULL, 0, 0, 0, NULL, X(":0\r\n") },
	{ W_INT, 3, NULL, 0, 1, 0, NULL, X(":1\r\n") },
	{ W_INT, 2, NULL, 0, -1, 0, NULL, X(":-1\r\n") },
	{ W_INT, 2, NULL, 0, 9, 0, NULL, X(":9\r\n") },
	{ W_INT, 2, NULL, 0, 10, 0, NULL, X(":10\r\n") },
	{ W_INT, 2, NULL, 0, -10, 0, NULL, X(":-10\r\n") },
	{ W_INT, 2, NULL, 0, 1234567, 0, NULL, X(":1234567\r\n") },
	{ W_INT, 2, NULL, 0, INT64_MAX, 0, NULL, X(":9223372036854775807\r\n") },
	{ W_INT, 2, NULL, 0, INT64_MIN, 0, NULL, X(":-9223372036854775808\r\n") },
	{ W_BULK, 2, S(""), 0, 0, NULL, X("$0\r\n\r\n") },
	{ W_BULK, 3, S("a"), 0, 0, NULL, X("$1\r\na\r\n") },
	{ W_BULK, 2, S("key:0001\0\r\n"), 0, 0, NULL, X("$11\r\nkey:0001\0\r\n\r\n") },
	{ W_BULK_I64, 2, NULL, 0, 0, 0, NULL, X("$1\r\n0\r\n") },
	{ W_BULK_I64, 3, NULL, 0, -42, 0, NULL, X("$3\r\n-42\r\n") },
	{ W_BULK_I64, 2, NULL, 0, INT64_MIN, 0, NULL, X("$20\r\n-9223372036854775808\r\n") },
	{ W_BULK_I64, 2, NULL, 0, INT64_MAX, 0, NULL, X("$19\r\n9223372036854775807\r\n") },
	{ W_BULK_HDR, 2, NULL, 0, 0, 0, NULL, X("$0\r\n") },
	{ W_BULK_HDR, 2, NULL, 1048576, 0, 0, NULL, X("$1048576\r\n") },
	{ W_BULK_HDR, 2, NULL, SIZE_MAX, 0, 0, NULL, X("$18446744073709551615\r\n") },
	{ W_NULL, 2, NULL, 0, 0, 0, NULL, X("$-1\r\n") },
	{ W_NULL, 3, NULL, 0, 0, 0, NULL, X("_\r\n") },
	{ W_NULL_ARRAY, 2, NULL, 0, 0, 0, NULL, X("*-1\r\n") },
	{ W_NULL_ARRAY, 3, NULL, 0, 0, 0, NULL, X("_\r\n") },
	{ W_ARRAY, 2, NULL, 0, 0, 0, NULL, X("*0\r\n") },
	{ W_ARRAY, 3, NULL, 3, 0, 0, NULL, X("*3\r\n") },
	{ W_ARRAY, 2, NULL, 1000000, 0, 0, NULL, X("*1000000\r\n") },
	{ W_MAP, 2, NULL, 2, 0, 0, NULL, X("*4\r\n") },
	{ W_MAP, 3, NULL, 2, 0, 0, NULL, X("%2\r\n") },
	{ W_MAP, 2, NULL, 0, 0, 0, NULL, X("*0\r\n") },
	{ W_SET, 2, NULL, 3, 0, 0, NULL, X("*3\r\n") },
	{ W_SET, 3, NULL, 3, 0, 0, NULL, X("~3\r\n") },
	{ W_PUSH, 2, NULL, 3, 0, 0, NULL, X("*3\r\n") },
	{ W_PUSH, 3, NULL, 3, 0, 0, NULL, X(">3\r\n") },
	/* Doubles as redis-server 7.0 sends ZSCORE (addReplyDouble). */
	{ W_DOUBLE, 2, NULL, 0, 0, 0.1, NULL, X("$19\r\n0.10000000000000001\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 0.1, NULL, X(",0.10000000000000001\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, 1.5, NULL, X("$3\r\n1.5\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1.5, NULL, X(",1.5\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, 3, NULL, X("$1\r\n3\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 0, NULL, X(",0\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, 1e300, NULL, X("$23\r\n1.0000000000000001e+300\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e300, NULL, X(",1.0000000000000001e+300\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, 5e-324, NULL, X("$23\r\n4.9406564584124654e-324\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 123456789012345678.0, NULL, X(",1.2345678901234568e+17\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, INFINITY, NULL, X("$3\r\ninf\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, -INFINITY, NULL, X("$4\r\n-inf\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, INFINITY, NULL, X(",inf\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, -INFINITY, NULL, X(",-inf\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, -0.0, NULL, X("$2\r\n-0\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, -0.0, NULL, X(",-0\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, -7, NULL, X("$2\r\n-7\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e15, NULL, X(",1000000000000000\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, -1e15, NULL, X(",-1000000000000000\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e15 + 1, NULL, X(",1000000000000001\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 9007199254740993.0, NULL, X(",9007199254740992\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e16, NULL, X(",10000000000000000\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e17, NULL, X(",1e+17\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, -1e17, NULL, X(",-1e+17\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 99999999999999984.0, NULL, X(",99999999999999984\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, -99999999999999984.0, NULL,
	  X("$18\r\n-99999999999999984\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e18, NULL, X(",1e+18\r\n") },
	{ W_DOUBLE, 3, NULL, 0, 0, 1e15 + 0.5, NULL, X(",1000000000000000.5\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, 0.5, NULL, X("$3\r\n0.5\r\n") },
	{ W_DOUBLE, 2, NULL, 0, 0, NAN, NULL, X("$3\r\nnan\r\n") },
	{ W_BOOL, 2, NULL, 0, 1, 0, NULL, X(":1\r\n") },
	{ W_BOOL, 2, NULL, 0, 0, 0, NULL, X(":0\r\n") },
	{ W_BOOL, 3, NULL, 0, 1, 0, NULL, X("#t\r\n") },
	{ W_BOOL, 3, NULL, 0, 0, 0, NULL, X("#f\r\n") },
	{ W_VERBATIM, 3, S("abc"), 0, 0, "txt", X("=7\r\ntxt:abc\r\n") },
	{ W_VERBATIM, 3, S(""), 0, 0, "mkd", X("=4\r\nmkd:\r\n") },
	{ W_VERBATIM, 3, S("x\r\ny"), 0, 0, "md", X("=8\r\nmd :x\r\ny\r\n") },
	{ W_VERBATIM, 3, S("abcdef"), 0, 0, "", X("=10\r\n   :abcdef\r\n") },
	{ W_VERBATIM, 2, S("abc"), 0, 0, "txt", X("$3\r\nabc\r\n") },
	{ W_BIGNUM, 3, S("1234567890123456789012"), 0, 0, NULL, X("(1234567890123456789012\r\n") },
	{ W_BIGNUM, 2, S("-12"), 0, 0, NULL, X("$3\r\n-12\r\n") },
};

static void
run_write(struct resp_out *o, const struct write_case *c)
{
	switch (c->op) {
	case W_RAW: resp_add_raw(o, c->s, c->n); break;
	case W_CONST_OK: resp_add_const(o, RESP_C_OK); break;
	case W_SIMPLE: resp_add_simple(o, c->s, c->n); break;
	case W_ERROR: resp_add_error(o, c->s, c->n); break;
	case W_INT: resp_add_int(o, c->i); break;
	case W_BULK: resp_add_bulk(o, c->s, c->n); break;
	case W_BULK_I64: resp_add_bulk_i64(o, c->i); break;
	case W_BULK_HDR: resp_add_bulk_hdr(o, c->n); break;
	case W_NULL: resp_add_null(o); break;
	case W_NULL_ARRAY: resp_add_null_array(o); break;
	case W_ARRAY: resp_add_array(o, c->n); break;
	case W_MAP: resp_add_map(o, c->n); break;
	case W_SET: resp_add_set(o, c->n); break;
	case W_PUSH: resp_add_push(o, c->n); break;
	case W_DOUBLE: resp_add_double(o, c->d); break;
	case W_BOOL: resp_add_bool(o, c->i != 0); break;
	case W_VERBATIM: resp_add_verbatim(o, c->fmt, c->s, c->n); break;
	case W_BIGNUM: resp_add_bignum(o, c->s, c->n); break;
	}
}

static void
assert_bytes(const struct sb *got, const char *prefix, size_t plen, const char *want,
    size_t wlen, size_t idx, size_t used)
{
	struct sb w = { 0 }, g = { 0 }, e = { 0 };

	sb_add(&w, prefix, plen);
	sb_add(&w, want, wlen);
	if (got->len != w.len || memcmp(got->p, w.p, w.len) != 0) {
		sb_esc(&g, got->p, got->len);
		sb_esc(&e, w.p, w.len);
		ck_abort_msg("case %zu at chunk offset %zu: got \"%s\", want \"%s\"", idx, used,
		    g.p, e.p);
	}
	sb_free(&w);
	sb_free(&g);
	sb_free(&e);
}

START_TEST(write_exact)
{
	const struct write_case *c = &write_cases[_i];
	struct sink s;
	char dots[MIN_CHUNK];

	memset(dots, '.', sizeof dots);
	/* Into a buffer with room: no make_room. */
	sink_init_flat(&s, c->proto, 4096);
	run_write(&s.o, c);
	assert_bytes(sink_finish(&s), "", 0, c->expect, c->expect_len, (size_t)_i, 0);
	sb_free(&s.done);
	/* Into tiny chunks, starting at every offset of a chunk. */
	for (size_t used = 0; used <= MIN_CHUNK; used++) {
		sink_init(&s, c->proto, used, MIN_CHUNK);
		run_write(&s.o, c);
		/* A small reply is never cut across chunks. */
		ck_assert_uint_le(s.calls, 1);
		assert_bytes(sink_finish(&s), dots, used, c->expect, c->expect_len, (size_t)_i,
		    used);
		sb_free(&s.done);
	}
}
END_TEST

/* Every case in a row into one chunked sink: the concatenation of the expected bytes. */
START_TEST(write_sequence)
{
	size_t n = sizeof write_cases / sizeof write_cases[0];
	struct sb want = { 0 };

	for (int proto = 2; proto <= 3; proto++) {
		struct sink s;

		sink_init(&s, proto, 0, 0);
		for (size_t i = 0; i < n; i++) {
			if (write_cases[i].proto != proto)
				continue;
			run_write(&s.o, &write_cases[i]);
			sb_add(&want, write_cases[i].expect, write_cases[i].expect_len);
		}
		assert_bytes(sink_finish(&s), "", 0, want.p, want.len, n, 0);
		sb_free(&s.done);
		sb_free(&want);
	}
}
END_TEST

/* A large payload is copied once: what fits, then one make_room for the rest. */
START_TEST(write_large_payload)
{
	size_t big = 100000;
	char *payload = malloc(big);
	struct sb want = { 0 };
	static const size_t starts[][2] = { { 0, 0 }, { 5, MIN_CHUNK }, { 100, 1000 } };

	ck_assert_ptr_nonnull(payload);
	for (size_t i = 0; i < big; i++)
		payload[i] = (char)(i * 7 + 3);
	for (size_t k = 0; k < sizeof starts / sizeof starts[0]; k++) {
		struct sink s;
		struct sb *got;

		/* resp_add_bulk */
		sink_init(&s, 2, starts[k][0], starts[k][1]);
		resp_add_bulk(&s.o, payload, big);
		ck_assert_uint_le(s.calls, 3);
		if (starts[k][1] > 100)
			ck_assert_uint_eq(s.waste, 0);
		sb_rep(&want, '.', starts[k][0]);
		sb_str(&want, "$100000\r\n");
		sb_add(&want, payload, big);
		sb_str(&want, "\r\n");
		got = sink_finish(&s);
		ck_assert_uint_eq(got->len, want.len);
		ck_assert_mem_eq(got->p, want.p, want.len);
		sb_free(&s.done);
		sb_free(&want);

		/* resp_add_raw */
		sink_init(&s, 2, starts[k][0], starts[k][1]);
		resp_add_raw(&s.o, payload, big);
		ck_assert_uint_le(s.calls, 1);
		ck_assert_uint_eq(s.waste, 0);
		sb_rep(&want, '.', starts[k][0]);
		sb_add(&want, payload, big);
		got = sink_finish(&s);
		ck_assert_uint_eq(got->len, want.len);
		ck_assert_mem_eq(got->p, want.p, want.len);
		sb_free(&s.done);
		sb_free(&want);

		/* resp_add_verbatim */
		sink_init(&s, 3, starts[k][0], starts[k][1]);
		resp_add_verbatim(&s.o, "txt", payload, big);
		ck_assert_uint_le(s.calls, 3);
		if (starts[k][1] > 100)
			ck_assert_uint_eq(s.waste, 0);
		sb_rep(&want, '.', starts[k][0]);
		sb_str(&want, "=100004\r\ntxt:");
		sb_add(&want, payload, big);
		sb_str(&want, "\r\n");
		got = sink_finish(&s);
		ck_assert_uint_eq(got->len, want.len);
		ck_assert_mem_eq(got->p, want.p, want.len);
		sb_free(&s.done);
		sb_free(&want);
	}
	free(payload);
}
END_TEST

/* Writers allocate nothing themselves. */
START_TEST(write_no_alloc)
{
	struct sink s;
	struct mem_counters before, after;
	size_t n = sizeof write_cases / sizeof write_cases[0];

	sink_init_flat(&s, 3, 1 << 16);
	before = mem_thread_counters();
	for (size_t i = 0; i < n; i++) {
		s.o.proto = write_cases[i].proto;
		run_write(&s.o, &write_cases[i]);
	}
	after = mem_thread_counters();
	ck_assert_uint_eq(after.allocs, before.allocs);
	sink_finish(&s);
	sb_free(&s.done);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Reply reader (protocol/resp_reply.c). */

/*
 * check's ck_assert records every passing check through a pipe; the reader's tests run
 * millions of checks, so the hot helpers only call into check on failure.
 */
#define REQUIRE(cond, ...) do {						\
	if (!(cond))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

static uint64_t rnd_state;

static void
rnd_seed(uint64_t seed)
{
	rnd_state = seed * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL;
}

/* xorshift64*: reproducible, and good enough to spread test inputs. */
static uint64_t
rnd(void)
{
	uint64_t x = rnd_state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rnd_state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static size_t
rnd_below(size_t n)
{
	return (size_t)(rnd() % n);
}

/* Junk bytes before every reply the reader is given: *pos starts past them. */
#define LEAD 3

/*
 * A buffer whose end touches a PROT_NONE page. Each input is placed to end there, after LEAD
 * junk bytes, so a read past len faults; one mapping serves many inputs.
 */
struct fenced {
	struct guard g;
	char *end;
	size_t cap;
};

static void
fenced_init(struct fenced *f, size_t cap)
{
	char *zero = calloc(cap, 1);

	ck_assert_ptr_nonnull(zero);
	f->end = guard_copy(&f->g, zero, cap) + cap;
	f->cap = cap;
	free(zero);
}

static void
fenced_free(struct fenced *f)
{
	guard_free(&f->g);
}

/* Returns where in[0..n) now starts; the LEAD bytes before it are junk. */
static char *
fenced_put(struct fenced *f, const char *in, size_t n)
{
	char *start = f->end - n;

	REQUIRE(n + LEAD <= f->cap, "%zu bytes for a buffer of %zu", n, f->cap);
	memset(start - LEAD, 0xff, LEAD);
	if (n != 0)
		memcpy(start, in, n);
	return start;
}

enum rop { R_ITEM, R_SKIP };

/*
 * Runs resp_read_item or resp_skip_reply on the n bytes at start (placed by fenced_put), with
 * *pos at LEAD, checks the contract on *pos and returns the status; *consumed is the bytes read.
 */
static enum resp_status
run_reader(enum rop op, const char *start, size_t n, size_t *consumed, struct resp_item *it)
{
	const char *buf = start - LEAD;
	size_t pos = LEAD;
	struct resp_item scratch;
	enum resp_status st;

	if (op == R_SKIP)
		st = resp_skip_reply(buf, LEAD + n, &pos);
	else
		st = resp_read_item(buf, LEAD + n, &pos, it != NULL ? it : &scratch);
	if (st == RESP_OK)
		REQUIRE(pos > LEAD && pos <= LEAD + n, "OK at %zu of %zu", pos - LEAD, n);
	else
		REQUIRE((st == RESP_MORE || st == RESP_ERR) && pos == LEAD,
		    "status %d, pos moved to %zu", (int)st, pos);
	*consumed = pos - LEAD;
	return st;
}

static const char *
st_name(enum resp_status st)
{
	return st == RESP_OK ? "OK" : st == RESP_MORE ? "MORE" : "ERR";
}

/*
 * Runs op on in[0..n) and on its prefixes and checks that they agree, whatever the cut: when
 * the whole gives OK after c bytes, a prefix shorter than c gives MORE and a longer one OK after
 * c bytes; when the whole gives MORE, so does every prefix; when it gives ERR, prefixes give
 * MORE up to some length and ERR from there on. Inputs over 4096 bytes get a sample of
 * prefixes (the first 64, the last 4, 8 between and the one a byte short). Returns the
 * status of the whole; *consumed its bytes.
 */
static enum resp_status
check_prefix_law(struct fenced *f, enum rop op, const char *in, size_t n, size_t *consumed)
{
	enum resp_status whole, st, prev = RESP_MORE;
	size_t c, ck;
	char *start;

	start = fenced_put(f, in, n);
	whole = run_reader(op, start, n, &c, NULL);
	for (size_t k = 0; k < n; k++) {
		if (n > 4096 && k >= 64 && n - k > 4 && k % (n / 8) != 0 && k + 1 != c)
			continue;
		start = fenced_put(f, in, k);
		st = run_reader(op, start, k, &ck, NULL);
		switch (whole) {
		case RESP_OK:
			if (k < c)
				REQUIRE(st == RESP_MORE, "prefix %zu of %zu: %s, want MORE", k, c,
				    st_name(st));
			else
				REQUIRE(st == RESP_OK && ck == c,
				    "prefix %zu: %s after %zu, want OK after %zu", k, st_name(st),
				    ck, c);
			break;
		case RESP_MORE:
			REQUIRE(st == RESP_MORE, "prefix %zu of an incomplete input: %s", k,
			    st_name(st));
			break;
		case RESP_ERR:
			REQUIRE(st != RESP_OK, "prefix %zu of a bad input: OK", k);
			if (n <= 4096)
				REQUIRE(!(prev == RESP_ERR && st == RESP_MORE),
				    "prefix %zu: MORE after a shorter prefix gave ERR", k);
			break;
		}
		prev = st;
	}
	*consumed = c;
	return whole;
}

/* Appends a rendering of one item: its type byte, then its value, then a space. */
static void
render_item(struct sb *out, const struct resp_item *it)
{
	char num[32], type = (char)it->type;

	sb_add(out, &type, 1);
	if (it->null) {
		sb_str(out, "null ");
		return;
	}
	switch (it->type) {
	case RESP_T_INT:
	case RESP_T_BOOL:
		snprintf(num, sizeof num, "%" PRId64, it->i);
		sb_str(out, num);
		break;
	case RESP_T_ARRAY:
	case RESP_T_MAP:
	case RESP_T_SET:
	case RESP_T_ATTR:
	case RESP_T_PUSH:
		snprintf(num, sizeof num, "%" PRIu64, it->n);
		sb_str(out, num);
		break;
	case RESP_T_NULL:
		break;
	case RESP_T_VERBATIM:
		sb_esc(out, it->fmt, strlen(it->fmt));
		sb_str(out, ":");
		sb_esc(out, it->str, it->len);
		break;
	default:
		sb_esc(out, it->str, it->len);
		break;
	}
	sb_str(out, " ");
}

/* Returns true for an aggregate header (a null array is not one); *kids is its item count. */
static bool
item_kids(const struct resp_item *it, uint64_t *kids)
{
	switch (it->type) {
	case RESP_T_ARRAY:
	case RESP_T_SET:
	case RESP_T_PUSH:
		*kids = it->n;
		return !it->null;
	case RESP_T_MAP:
	case RESP_T_ATTR:
		*kids = 2 * it->n;
		return true;
	default:
		*kids = 0;
		return false;
	}
}

#define WALK_DEPTH 64

/*
 * Reads one reply item by item, as the Lua engine will, and renders it: each item, and the
 * children of an aggregate between "[ " and "] " (an attribute's pairs too, before the item they
 * describe). Returns the status; *pos is advanced on RESP_OK only.
 */
static enum resp_status
render_reply(const char *buf, size_t len, size_t *pos, struct sb *out)
{
	uint64_t left[WALK_DEPTH], kids;
	size_t at = *pos;
	int top = 0;

	left[0] = 1;
	while (top > 0 || left[0] > 0) {
		struct resp_item it;
		enum resp_status st;

		if ((st = resp_read_item(buf, len, &at, &it)) != RESP_OK)
			return st;
		render_item(out, &it);
		if (it.type != RESP_T_ATTR)
			left[top]--;
		if (item_kids(&it, &kids)) {
			sb_str(out, "[ ");
			if (kids > 0) {
				REQUIRE(top + 1 < WALK_DEPTH, "deeper than %d", WALK_DEPTH);
				left[++top] = kids;
				continue;
			}
			sb_str(out, "] ");
		}
		while (top > 0 && left[top] == 0) {
			sb_str(out, "] ");
			top--;
		}
	}
	*pos = at;
	return RESP_OK;
}

/* Valid replies, not all of them ones our writer makes, and how render_reply shows them. */
struct reply_case {
	const char *in;
	size_t n;
	const char *expect;
	size_t consumed;	/* bytes of the first reply; 0 for all of in */
};

#define RV(in, expect) { in, sizeof(in) - 1, expect, 0 }
#define RVC(in, expect, c) { in, sizeof(in) - 1, expect, c }
#define REPLID "8de1787ba490483314a4d30f1c628bc5025eb761"

static const struct reply_case reply_cases[] = {
	/* The primary's handshake replies. */
	RV("+PONG\r\n", "+PONG "),
	RV("+OK\r\n", "+OK "),
	RV("+FULLRESYNC " REPLID " 0\r\n", "+FULLRESYNC " REPLID " 0 "),
	RV("+CONTINUE\r\n", "+CONTINUE "),
	RV("+CONTINUE " REPLID "\r\n", "+CONTINUE " REPLID " "),
	RV("-NOAUTH Authentication required.\r\n", "-NOAUTH Authentication required. "),
	RV("-ERR Can't SYNC while not connected with my master\r\n",
	   "-ERR Can't SYNC while not connected with my master "),
	RVC("+FULLRESYNC " REPLID " 42\r\n$0\r\n\r\n", "+FULLRESYNC " REPLID " 42 ", 57),
	RVC("+OK\r\n+PONG\r\n", "+OK ", 5),
	/* Lines: any byte but CR and LF. */
	RV("+\r\n", "+ "),
	RV("-\r\n", "- "),
	RV("+a\0b\t\x80\r\n", "+a\\x00b\\x09\\x80 "),
	/* Integers. */
	RV(":0\r\n", ":0 "),
	RV(":-1\r\n", ":-1 "),
	RV(":9223372036854775807\r\n", ":9223372036854775807 "),
	RV(":-9223372036854775808\r\n", ":-9223372036854775808 "),
	/* Bulks. */
	RV("$0\r\n\r\n", "$ "),
	RV("$2\r\n\r\n\r\n", "$\\x0d\\x0a "),
	RV("$5\r\n\r\r\n\n\r\r\n", "$\\x0d\\x0d\\x0a\\x0a\\x0d "),
	RV("$-1\r\n", "$null "),
	RV("!0\r\n\r\n", "! "),
	RV("!21\r\nSYNTAX invalid syntax\r\n", "!SYNTAX invalid syntax "),
	RV("=4\r\ntxt:\r\n", "=txt: "),
	RV("=9\r\nmkd:a\r\nb\r\r\n", "=mkd:a\\x0d\\x0ab\\x0d "),
	/* RESP3 scalars. */
	RV("_\r\n", "_ "),
	RV("#t\r\n", "#1 "),
	RV("#f\r\n", "#0 "),
	RV(",1.5\r\n", ",1.5 "),
	RV(",-0\r\n", ",-0 "),
	RV(",0\r\n", ",0 "),
	RV(",+1.5E-3\r\n", ",+1.5E-3 "),
	RV(",1e+17\r\n", ",1e+17 "),
	RV(",1.0000000000000001e+300\r\n", ",1.0000000000000001e+300 "),
	RV(",4.9406564584124654e-324\r\n", ",4.9406564584124654e-324 "),
	RV(",1e-400\r\n", ",1e-400 "),
	RV(",inf\r\n", ",inf "),
	RV(",-inf\r\n", ",-inf "),
	RV(",nan\r\n", ",nan "),
	RV(",-nan\r\n", ",-nan "),
	RV("(0\r\n", "(0 "),
	RV("(-1\r\n", "(-1 "),
	RV("(+7\r\n", "(+7 "),
	RV("(3492890328409238509324850943850943825024385\r\n",
	   "(3492890328409238509324850943850943825024385 "),
	/* Aggregates. */
	RV("*-1\r\n", "*null "),
	RV("*0\r\n", "*0 [ ] "),
	RV("%0\r\n", "%0 [ ] "),
	RV("~0\r\n", "~0 [ ] "),
	RV(">0\r\n", ">0 [ ] "),
	RV("*3\r\n$-1\r\n*-1\r\n_\r\n", "*3 [ $null *null _ ] "),
	RV("*1\r\n*1\r\n*0\r\n", "*1 [ *1 [ *0 [ ] ] ] "),
	RV("*2\r\n*1\r\n:1\r\n*2\r\n:2\r\n*1\r\n:3\r\n", "*2 [ *1 [ :1 ] *2 [ :2 *1 [ :3 ] ] ] "),
	RV("%2\r\n+a\r\n:1\r\n+b\r\n%1\r\n:2\r\n~1\r\n#t\r\n",
	   "%2 [ +a :1 +b %1 [ :2 ~1 [ #1 ] ] ] "),
	RV(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n", ">3 [ $message $ch $x ] "),
	RVC("*1\r\n:1\r\n:2\r\n", "*1 [ :1 ] ", 8),
	/* Attributes come before the item they describe. */
	RV("|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n", "|1 [ +ttl :3 ] $v "),
	RV("|0\r\n:1\r\n", "|0 [ ] :1 "),
	RV("|1\r\n+a\r\n|1\r\n+b\r\n+c\r\n+d\r\n:1\r\n", "|1 [ +a |1 [ +b +c ] +d ] :1 "),
	RV("*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n", "*2 [ |1 [ +a +b ] :1 :2 ] "),
	RV("*1\r\n|1\r\n+a\r\n*0\r\n*0\r\n", "*1 [ |1 [ +a *0 [ ] ] *0 [ ] ] "),
};

/* Bytes that are not one valid reply: resp_skip_reply gives RESP_ERR. */
struct bad_case {
	const char *in;
	size_t n;
};

#define RB(in) { in, sizeof(in) - 1 }

static const struct bad_case bad_cases[] = {
	/* Type bytes. */
	RB("?\r\n"), RB("\r\n"), RB("\n"), RB("x"), RB("\0"), RB(" +OK\r\n"), RB("PING\r\n"),
	RB("\xff"),
	/* Line ends. */
	RB("+a\rb\r\n"), RB("+a\nb\r\n"), RB("+OK\n"), RB("-ERR\r\r\n"), RB("+\r+\r\n"),
	RB(":1\n"), RB("$1\n"), RB("*1\r*"),
	/* Integers: Redis' strict syntax and range. */
	RB(":\r\n"), RB(":abc\r\n"), RB(":01\r\n"), RB(":-0\r\n"), RB(":+1\r\n"), RB(": 1\r\n"),
	RB(":1 \r\n"), RB(":-\r\n"), RB(":1.0\r\n"), RB(":9223372036854775808\r\n"),
	RB(":-9223372036854775809\r\n"), RB(":18446744073709551616\r\n"),
	/* Bulk lengths. */
	RB("$\r\n"), RB("$x\r\n"), RB("$-2\r\n"), RB("$-1 \r\n"), RB("$01\r\na\r\n"),
	RB("$+1\r\na\r\n"),
	RB("$-0\r\n\r\n"), RB("$9223372036854775808\r\n"), RB("$18446744073709551615\r\n"),
	RB("$-9223372036854775808\r\n"),
	/* Bulk data not followed by CRLF. */
	RB("$3\r\nabcd\r\n"), RB("$3\r\nab\r\n\r\n"), RB("$3\r\nabc\n\n"), RB("$3\r\nabc\r\r"),
	RB("$3\r\nabc\n\r"), RB("$0\r\nx\r\n"), RB("!3\r\nabcX\n"), RB("=5\r\ntxt:ab\r\n"),
	/* Nulls only where RESP2 has them. */
	RB("!-1\r\n"), RB("=-1\r\n"), RB("%-1\r\n"), RB("~-1\r\n"), RB(">-1\r\n"), RB("|-1\r\n"),
	RB("*-2\r\n"), RB("*x\r\n"), RB("*\r\n"), RB("%01\r\n"), RB("*-9223372036854775808\r\n"),
	/* Verbatim strings. */
	RB("=0\r\n\r\n"), RB("=3\r\ntxt\r\n"), RB("=4\r\ntxtX\r\n"), RB("=5\r\ntxt;a\r\n"),
	/* Null, bool. */
	RB("_x\r\n"), RB("_ \r\n"), RB("_0\r\n"), RB("#\r\n"), RB("#x\r\n"), RB("#tt\r\n"),
	RB("#T\r\n"), RB("#1\r\n"), RB("#true\r\n"),
	/* Doubles. */
	RB(",\r\n"), RB(",abc\r\n"), RB(",1.\r\n"), RB(",.5\r\n"), RB(",1e\r\n"), RB(",1e+\r\n"),
	RB(",0x10\r\n"), RB(",inF\r\n"), RB(",Inf\r\n"), RB(",infinity\r\n"), RB(",+inf\r\n"),
	RB(",NAN\r\n"), RB(",nan(1)\r\n"), RB(",1e999\r\n"), RB(",-1e999\r\n"), RB(", 1\r\n"),
	RB(",1 \r\n"), RB(",--1\r\n"), RB(",1.5.5\r\n"), RB(",1e5.5\r\n"), RB(",-\r\n"),
	RB(",+\r\n"), RB(",1,5\r\n"), RB(",1\0\r\n"),
	/* Big numbers. */
	RB("(\r\n"), RB("(-\r\n"), RB("(+\r\n"), RB("(12a\r\n"), RB("(1.5\r\n"), RB("(--1\r\n"),
	RB("( 1\r\n"),
	/* A bad item inside an aggregate. */
	RB("*2\r\n:1\r\n?"), RB("*2\r\n:1\r\n:x\r\n"), RB("%1\r\n+a\r\n$-2\r\n"),
	RB("*1\r\n*1\r\n*1\r\n#x\r\n"), RB("|1\r\n+a\r\n+b\r\n\r\n"), RB("~1\r\n=1\r\nx\r\n"),
	RB("*3\r\n:1\r\n:2\r\n:3\n"),
	/* More items than a 64-bit count can hold. */
	RB("%9223372036854775807\r\n%9223372036854775807\r\n"),
	RB("*9223372036854775807\r\n*9223372036854775807\r\n*9223372036854775807\r\n"),
	RB("|9223372036854775807\r\n|9223372036854775807\r\n"),
};

START_TEST(reply_valid)
{
	const struct reply_case *c = &reply_cases[_i];
	size_t want = c->consumed ? c->consumed : c->n, got, pos = LEAD;
	struct fenced f;
	struct sb r = { 0 };
	char *start;

	fenced_init(&f, c->n + LEAD);
	ck_assert_msg(check_prefix_law(&f, R_SKIP, c->in, c->n, &got) == RESP_OK,
	    "case %d: skip not OK", _i);
	ck_assert_uint_eq(got, want);
	ck_assert_int_eq(check_prefix_law(&f, R_ITEM, c->in, c->n, &got), RESP_OK);
	ck_assert_uint_le(got, want);
	start = fenced_put(&f, c->in, c->n);
	ck_assert_int_eq(render_reply(start - LEAD, LEAD + c->n, &pos, &r), RESP_OK);
	ck_assert_uint_eq(pos - LEAD, want);
	ck_assert_msg(strcmp(r.p, c->expect) == 0, "case %d: got \"%s\", want \"%s\"", _i, r.p,
	    c->expect);
	sb_free(&r);
	fenced_free(&f);
}
END_TEST

START_TEST(reply_bad)
{
	const struct bad_case *c = &bad_cases[_i];
	struct fenced f;
	struct sb r = { 0 };
	size_t got, pos = LEAD;
	char *start;

	fenced_init(&f, c->n + LEAD);
	ck_assert_msg(check_prefix_law(&f, R_SKIP, c->in, c->n, &got) == RESP_ERR,
	    "case %d: skip not ERR", _i);
	/* The first item alone may be fine; the law must hold all the same. */
	check_prefix_law(&f, R_ITEM, c->in, c->n, &got);
	/* The walk counts no items, so a count past UINT64_MAX is MORE to it. */
	start = fenced_put(&f, c->in, c->n);
	ck_assert_int_ne(render_reply(start - LEAD, LEAD + c->n, &pos, &r), RESP_OK);
	ck_assert_uint_eq(pos, LEAD);
	sb_free(&r);
	fenced_free(&f);
}
END_TEST

/* Lines around their length limits: head, count fill bytes, tail. */
struct line_case {
	const char *head;
	char fill;
	size_t count;
	const char *tail;
	enum resp_status want;
};

static const struct line_case line_cases[] = {
	{ "+", 'a', RESP_INLINE_MAX, "\r\n", RESP_OK },
	{ "+", 'a', RESP_INLINE_MAX, "\r", RESP_MORE },
	{ "+", 'a', RESP_INLINE_MAX, "", RESP_MORE },
	{ "+", 'a', RESP_INLINE_MAX + 1, "", RESP_ERR },
	{ "+", 'a', RESP_INLINE_MAX + 1, "\r\n", RESP_ERR },
	{ "-", 'e', RESP_INLINE_MAX, "\r\n", RESP_OK },
	{ "-", 'e', RESP_INLINE_MAX + 1, "\r\n", RESP_ERR },
	{ "(", '7', RESP_INLINE_MAX, "\r\n", RESP_OK },
	{ "(-", '7', RESP_INLINE_MAX - 1, "\r\n", RESP_OK },
	{ "(", '7', RESP_INLINE_MAX + 1, "", RESP_ERR },
	{ ":", '1', 19, "\r\n", RESP_OK },
	{ ":", '1', 21, "", RESP_MORE },
	{ ":", '1', 22, "", RESP_ERR },
	{ ":-", '1', 21, "", RESP_ERR },
	{ "$", '1', 22, "", RESP_ERR },
	{ "*", '1', 22, "", RESP_ERR },
	{ "%", '1', 22, "", RESP_ERR },
	{ "=", '1', 22, "", RESP_ERR },
	{ "#", 't', 22, "", RESP_ERR },
	{ "_", ' ', 22, "", RESP_ERR },
	{ ",0.", '0', 382, "\r\n", RESP_OK },
	{ ",0.", '0', 382, "", RESP_MORE },
	{ ",0.", '0', 383, "", RESP_ERR },
	{ ",0.", '0', 383, "\r\n", RESP_ERR },
	{ ",1e-", '0', 380, "1\r\n", RESP_OK },
	/* A bulk's data is not a line: no limit but its length. */
	{ "$100000\r\n", '\n', 100000, "\r\n", RESP_OK },
	{ "$100000\r\n", 'x', 100000, "\r", RESP_MORE },
};

START_TEST(reply_line_limits)
{
	const struct line_case *c = &line_cases[_i];
	struct sb in = { 0 };
	struct fenced f;
	struct resp_item it;
	size_t got;
	char *start;

	sb_str(&in, c->head);
	sb_rep(&in, c->fill, c->count);
	sb_str(&in, c->tail);
	fenced_init(&f, in.len + LEAD);
	ck_assert_msg(check_prefix_law(&f, R_ITEM, in.p, in.len, &got) == c->want,
	    "case %d: want %s", _i, st_name(c->want));
	ck_assert_int_eq(check_prefix_law(&f, R_SKIP, in.p, in.len, &got), c->want);
	if (c->want == RESP_OK) {
		ck_assert_uint_eq(got, in.len);
		start = fenced_put(&f, in.p, in.len);
		ck_assert_int_eq(run_reader(R_ITEM, start, in.len, &got, &it), RESP_OK);
		/* The text runs up to the final CRLF. */
		if (it.type != RESP_T_INT)
			ck_assert_ptr_eq(it.str + it.len, start + in.len - 2);
	}
	sb_free(&in);
	fenced_free(&f);
}
END_TEST

/* Lengths and counts no buffer can hold: never OK, never a wrapped position. */
#define BIG_MORE (SIZE_MAX > (uint64_t)INT64_MAX ? RESP_MORE : RESP_ERR)

struct huge_case {
	const char *in;
	size_t n;
	enum resp_status item, skip;
	uint64_t count;		/* the item's n when item is OK */
};

#define RH(in, item, skip, count) { in, sizeof(in) - 1, item, skip, count }

static const struct huge_case huge_cases[] = {
	RH("$9223372036854775807\r\nabc", BIG_MORE, BIG_MORE, 0),
	RH("$9223372036854775806\r\n\r\n", BIG_MORE, BIG_MORE, 0),
	RH("!9223372036854775807\r\n", BIG_MORE, BIG_MORE, 0),
	RH("=9223372036854775807\r\ntxt:", BIG_MORE, BIG_MORE, 0),
	RH("$9223372036854775808\r\n", RESP_ERR, RESP_ERR, 0),
	RH("*9223372036854775807\r\n:1\r\n", RESP_OK, RESP_MORE, INT64_MAX),
	RH("%9223372036854775807\r\n", RESP_OK, RESP_MORE, INT64_MAX),
	RH("|9223372036854775807\r\n", RESP_OK, RESP_MORE, INT64_MAX),
	RH("~9223372036854775807\r\n>9223372036854775807\r\n", RESP_OK, RESP_MORE, INT64_MAX),
	RH("*9223372036854775807\r\n*9223372036854775807\r\n", RESP_OK, RESP_MORE, INT64_MAX),
	RH("%9223372036854775807\r\n*9223372036854775807\r\n", RESP_OK, RESP_ERR, INT64_MAX),
	RH("*9223372036854775808\r\n", RESP_ERR, RESP_ERR, 0),
};

START_TEST(reply_huge)
{
	const struct huge_case *c = &huge_cases[_i];
	struct fenced f;
	struct resp_item it;
	size_t got;
	char *start;

	fenced_init(&f, c->n + LEAD);
	ck_assert_msg(check_prefix_law(&f, R_ITEM, c->in, c->n, &got) == c->item,
	    "case %d: item %s", _i, st_name(c->item));
	ck_assert_msg(check_prefix_law(&f, R_SKIP, c->in, c->n, &got) == c->skip,
	    "case %d: skip %s", _i, st_name(c->skip));
	if (c->item == RESP_OK) {
		start = fenced_put(&f, c->in, c->n);
		ck_assert_int_eq(run_reader(R_ITEM, start, c->n, &got, &it), RESP_OK);
		ck_assert_uint_eq(it.n, c->count);
		ck_assert(!it.null);
	}
	fenced_free(&f);
}
END_TEST

/* *pos at or past len, an empty buffer. */
START_TEST(reply_positions)
{
	const char *buf = "+OK\r\n:1\r\n";
	struct resp_item it;
	size_t pos;

	pos = 0;
	ck_assert_int_eq(resp_read_item(NULL, 0, &pos, &it), RESP_MORE);
	ck_assert_int_eq(resp_skip_reply(NULL, 0, &pos), RESP_MORE);
	ck_assert_uint_eq(pos, 0);
	pos = 9;
	ck_assert_int_eq(resp_read_item(buf, 9, &pos, &it), RESP_MORE);
	ck_assert_int_eq(resp_skip_reply(buf, 9, &pos), RESP_MORE);
	ck_assert_uint_eq(pos, 9);
	pos = 10;
	ck_assert_int_eq(resp_read_item(buf, 9, &pos, &it), RESP_ERR);
	ck_assert_int_eq(resp_skip_reply(buf, 9, &pos), RESP_ERR);
	ck_assert_uint_eq(pos, 10);
	/* Two replies in a row, then nothing. */
	pos = 0;
	ck_assert_int_eq(resp_skip_reply(buf, 9, &pos), RESP_OK);
	ck_assert_uint_eq(pos, 5);
	ck_assert_int_eq(resp_read_item(buf, 9, &pos, &it), RESP_OK);
	ck_assert_int_eq(it.type, RESP_T_INT);
	ck_assert_int_eq(it.i, 1);
	ck_assert_uint_eq(pos, 9);
	ck_assert_int_eq(resp_skip_reply(buf, 9, &pos), RESP_MORE);
	ck_assert_uint_eq(pos, 9);
}
END_TEST

/* Checks every field of got against want; bytes at str are compared, NaNs match NaNs. */
static void
assert_item(const struct resp_item *got, const struct resp_item *want, const char *what,
    size_t idx)
{
	ck_assert_msg(got->type == want->type, "%s %zu: type '%c', want '%c'", what, idx,
	    got->type, want->type);
	ck_assert_msg(got->null == want->null, "%s %zu: null %d", what, idx, got->null);
	ck_assert_msg(got->len == want->len, "%s %zu: len %zu, want %zu", what, idx, got->len,
	    want->len);
	if (want->str == NULL)
		ck_assert_msg(got->str == NULL, "%s %zu: str set", what, idx);
	else
		ck_assert_msg(got->str != NULL && memcmp(got->str, want->str, want->len) == 0,
		    "%s %zu: str differs", what, idx);
	ck_assert_msg(got->i == want->i, "%s %zu: i %" PRId64 ", want %" PRId64, what, idx,
	    got->i, want->i);
	if (isnan(want->d))
		ck_assert_msg(isnan(got->d), "%s %zu: d not NaN", what, idx);
	else
		ck_assert_msg(memcmp(&got->d, &want->d, sizeof got->d) == 0,
		    "%s %zu: d %.17g, want %.17g", what, idx, got->d, want->d);
	ck_assert_msg(memcmp(got->fmt, want->fmt, sizeof got->fmt) == 0, "%s %zu: fmt \"%s\"",
	    what, idx, got->fmt);
	ck_assert_msg(got->n == want->n, "%s %zu: n %" PRIu64 ", want %" PRIu64, what, idx,
	    got->n, want->n);
}

/* A writer's reply in out[0..len), and the item it must read back as. */
struct written {
	struct sb out;
	struct sb text;		/* bytes want.str points to */
	struct resp_item want;
	size_t item_len;	/* bytes of the first item */
	enum resp_status status;	/* what reading it must give */
};

/* Writes one write_cases row in protocol proto and works out what a reader must see. */
static bool
write_and_expect(const struct write_case *c, int proto, struct written *w)
{
	struct resp_item *e = &w->want;
	struct sink s;
	const char *t;
	uint64_t kids;

	memset(w, 0, sizeof *w);
	if (c->op == W_RAW)
		return false;
	sink_init_flat(&s, proto, 4096);
	run_write(&s.o, c);
	w->out = *sink_finish(&s);
	w->status = RESP_OK;
	switch (c->op) {
	case W_RAW:
		break;
	case W_CONST_OK:
		e->type = RESP_T_SIMPLE;
		sb_str(&w->text, "OK");
		break;
	case W_SIMPLE:
		e->type = RESP_T_SIMPLE;
		sb_add(&w->text, c->s, c->n);
		break;
	case W_ERROR:
		e->type = RESP_T_ERROR;
		for (size_t k = 0; k < c->n; k++)
			sb_add(&w->text, c->s[k] == '\r' || c->s[k] == '\n' ? " " : c->s + k, 1);
		break;
	case W_INT:
		e->type = RESP_T_INT;
		e->i = c->i;
		break;
	case W_BULK:
		e->type = RESP_T_BULK;
		sb_add(&w->text, c->s, c->n);
		break;
	case W_BULK_I64: {
		char num[32];

		e->type = RESP_T_BULK;
		snprintf(num, sizeof num, "%" PRId64, c->i);
		sb_str(&w->text, num);
		break;
	}
	case W_BULK_HDR:
		if (c->n > (size_t)INT64_MAX) {
			w->status = RESP_ERR;
			break;
		}
		e->type = RESP_T_BULK;
		sb_rep(&w->text, 'x', c->n);
		sb_add(&w->out, w->text.p, c->n);
		sb_str(&w->out, "\r\n");
		break;
	case W_NULL:
		e->type = proto == 3 ? RESP_T_NULL : RESP_T_BULK;
		e->null = proto != 3;
		break;
	case W_NULL_ARRAY:
		e->type = proto == 3 ? RESP_T_NULL : RESP_T_ARRAY;
		e->null = proto != 3;
		break;
	case W_ARRAY:
		e->type = RESP_T_ARRAY;
		e->n = c->n;
		break;
	case W_MAP:
		e->type = proto == 3 ? RESP_T_MAP : RESP_T_ARRAY;
		e->n = proto == 3 ? c->n : 2 * c->n;
		break;
	case W_SET:
		e->type = proto == 3 ? RESP_T_SET : RESP_T_ARRAY;
		e->n = c->n;
		break;
	case W_PUSH:
		e->type = proto == 3 ? RESP_T_PUSH : RESP_T_ARRAY;
		e->n = c->n;
		break;
	case W_DOUBLE:
		/* The text is the writer's business (write_exact); the reader must point at it. */
		if (proto == 3) {
			e->type = RESP_T_DOUBLE;
			e->d = c->d;
			sb_add(&w->text, w->out.p + 1, w->out.len - 3);
		} else {
			e->type = RESP_T_BULK;
			t = strstr(w->out.p, "\r\n") + 2;
			sb_add(&w->text, t, w->out.len - (size_t)(t - w->out.p) - 2);
		}
		break;
	case W_BOOL:
		e->type = proto == 3 ? RESP_T_BOOL : RESP_T_INT;
		e->i = c->i != 0;
		break;
	case W_VERBATIM:
		e->type = proto == 3 ? RESP_T_VERBATIM : RESP_T_BULK;
		if (proto == 3)
			snprintf(e->fmt, sizeof e->fmt, "%-3.3s", c->fmt);
		sb_add(&w->text, c->s, c->n);
		break;
	case W_BIGNUM:
		e->type = proto == 3 ? RESP_T_BIGNUM : RESP_T_BULK;
		sb_add(&w->text, c->s, c->n);
		break;
	}
	sb_add(&w->text, "", 0);
	if (e->type != RESP_T_INT && e->type != RESP_T_BOOL && e->type != RESP_T_NULL &&
	    !e->null && !item_kids(e, &kids)) {
		e->str = w->text.p;
		e->len = w->text.len;
	}
	w->item_len = w->out.len;
	/* An aggregate's header is followed by its items. */
	if (item_kids(e, &kids)) {
		for (uint64_t k = 0; k < kids; k++)
			sb_str(&w->out, ":7\r\n");
	}
	return true;
}

static void
written_free(struct written *w)
{
	sb_free(&w->out);
	sb_free(&w->text);
}

/* Every writer, in RESP2 and RESP3, read back item by item and as a whole, cut anywhere. */
START_TEST(reply_round_trip)
{
	const struct write_case *c = &write_cases[_i];

	for (int proto = 2; proto <= 3; proto++) {
		struct written w;
		struct fenced f;
		struct resp_item it;
		size_t got;
		char *start;

		if (!write_and_expect(c, proto, &w))
			continue;
		fenced_init(&f, w.out.len + LEAD);
		ck_assert_msg(check_prefix_law(&f, R_ITEM, w.out.p, w.out.len, &got) == w.status,
		    "case %d proto %d: item not %s", _i, proto, st_name(w.status));
		/* A million array items: their cuts cost much and tell nothing new. */
		if (w.out.len - w.item_len <= 65536) {
			ck_assert_int_eq(check_prefix_law(&f, R_SKIP, w.out.p, w.out.len, &got),
			    w.status);
		} else {
			start = fenced_put(&f, w.out.p, w.out.len);
			ck_assert_int_eq(run_reader(R_SKIP, start, w.out.len, &got, NULL),
			    w.status);
		}
		if (w.status == RESP_OK) {
			ck_assert_uint_eq(got, w.out.len);
			start = fenced_put(&f, w.out.p, w.out.len);
			ck_assert_int_eq(run_reader(R_ITEM, start, w.out.len, &got, &it), RESP_OK);
			ck_assert_uint_eq(got, w.item_len);
			assert_item(&it, &w.want, proto == 2 ? "RESP2 case" : "RESP3 case",
			    (size_t)_i);
			/* Views point at the reply's own bytes. */
			if (it.str != NULL)
				ck_assert(it.str >= start && it.str + it.len <= start + w.item_len);
			if (c->op == W_DOUBLE && proto == 2)
				ck_assert(isnan(c->d) ? isnan(strtod(it.str, NULL)) :
				    strtod(it.str, NULL) == c->d);
		}
		fenced_free(&f);
		written_free(&w);
	}
}
END_TEST

/* Random values through the writers and back: integers, doubles, binary strings. */
START_TEST(reply_round_trip_random)
{
	struct sink s;
	struct resp_item it;
	char bytes[300];

	rnd_seed(7);
	for (int k = 0; k < 5000; k++) {
		int proto = 2 + (k & 1);
		int64_t v = (int64_t)rnd() >> rnd_below(64);
		uint64_t bits = rnd();
		double d;
		size_t n = rnd_below(sizeof bytes), pos = 0, skip = 0;
		struct sb *out;

		memcpy(&d, &bits, sizeof d);
		if (isnan(d))
			d = (double)v;
		for (size_t b = 0; b < n; b++)
			bytes[b] = "\r\n\0$*:+-x"[rnd_below(9)];
		sink_init(&s, proto, 0, 0);
		resp_add_int(&s.o, v);
		resp_add_double(&s.o, d);
		resp_add_bulk(&s.o, bytes, n);
		resp_add_verbatim(&s.o, "txt", bytes, n);
		resp_add_bulk_i64(&s.o, v);
		out = sink_finish(&s);

		ck_assert_int_eq(resp_read_item(out->p, out->len, &pos, &it), RESP_OK);
		ck_assert_int_eq(it.type, RESP_T_INT);
		ck_assert_int_eq(it.i, v);
		ck_assert_int_eq(resp_read_item(out->p, out->len, &pos, &it), RESP_OK);
		if (proto == 3) {
			ck_assert_int_eq(it.type, RESP_T_DOUBLE);
			ck_assert_msg(memcmp(&it.d, &d, sizeof d) == 0, "%.17g read as %.17g", d,
			    it.d);
		} else {
			char text[64];

			ck_assert_int_eq(it.type, RESP_T_BULK);
			ck_assert_uint_lt(it.len, sizeof text);
			memcpy(text, it.str, it.len);
			text[it.len] = '\0';
			ck_assert(strtod(text, NULL) == d);
		}
		ck_assert_int_eq(resp_read_item(out->p, out->len, &pos, &it), RESP_OK);
		ck_assert_int_eq(it.type, RESP_T_BULK);
		ck_assert_uint_eq(it.len, n);
		ck_assert_mem_eq(it.str, bytes, n);
		ck_assert_int_eq(resp_read_item(out->p, out->len, &pos, &it), RESP_OK);
		ck_assert_int_eq(it.type, proto == 3 ? RESP_T_VERBATIM : RESP_T_BULK);
		ck_assert_str_eq(it.fmt, proto == 3 ? "txt" : "");
		ck_assert_uint_eq(it.len, n);
		ck_assert_mem_eq(it.str, bytes, n);
		ck_assert_int_eq(resp_read_item(out->p, out->len, &pos, &it), RESP_OK);
		ck_assert_int_eq(it.type, RESP_T_BULK);
		ck_assert_int_eq(strtoll(it.str, NULL, 10), v);
		ck_assert_uint_eq(pos, out->len);
		/* Five replies in a row. */
		for (int r = 0; r < 5; r++)
			ck_assert_int_eq(resp_skip_reply(out->p, out->len, &skip), RESP_OK);
		ck_assert_uint_eq(skip, out->len);
		sb_free(out);
	}
}
END_TEST

#define GEN_DEPTH 6

/*
 * Writes a random reply with the writers (attributes raw, in RESP3) and appends to want how
 * render_reply must show it.
 */
static void
gen_reply(struct resp_out *o, struct sb *want, int depth)
{
	bool p3 = o->proto == 3;
	char num[64], bytes[24];
	size_t n, kids;

	if (p3 && rnd_below(12) == 0) {
		resp_add_raw(o, "|1\r\n", 4);
		sb_str(want, "|1 [ ");
		gen_reply(o, want, GEN_DEPTH);
		gen_reply(o, want, depth + 1);
		sb_str(want, "] ");
	}
	switch (rnd_below(depth >= GEN_DEPTH ? 9 : 14)) {
	case 0:
		resp_add_const(o, RESP_C_OK);
		sb_str(want, "+OK ");
		break;
	case 1:
		resp_add_error(o, "ERR x\ny", 7);
		sb_str(want, "-ERR x y ");
		break;
	case 2: {
		int64_t v = (int64_t)rnd() >> rnd_below(64);

		resp_add_int(o, v);
		snprintf(num, sizeof num, ":%" PRId64 " ", v);
		sb_str(want, num);
		break;
	}
	case 3:
		n = rnd_below(sizeof bytes);
		for (size_t b = 0; b < n; b++)
			bytes[b] = (char)rnd();
		resp_add_bulk(o, bytes, n);
		sb_str(want, "$");
		sb_esc(want, bytes, n);
		sb_str(want, " ");
		break;
	case 4:
		if (rnd_below(2)) {
			resp_add_null(o);
			sb_str(want, p3 ? "_ " : "$null ");
		} else {
			resp_add_null_array(o);
			sb_str(want, p3 ? "_ " : "*null ");
		}
		break;
	case 5:
		n = rnd_below(2);
		resp_add_bool(o, n != 0);
		sb_str(want, p3 ? (n ? "#1 " : "#0 ") : (n ? ":1 " : ":0 "));
		break;
	case 6: {
		int v = (int)rnd_below(2001) - 1000;

		resp_add_double(o, v);
		snprintf(num, sizeof num, "%c%d ", p3 ? ',' : '$', v);
		sb_str(want, num);
		break;
	}
	case 7:
		resp_add_verbatim(o, "mkd", "a\r\nb", 4);
		sb_str(want, p3 ? "=mkd:a\\x0d\\x0ab " : "$a\\x0d\\x0ab ");
		break;
	case 8:
		resp_add_bignum(o, "-1234567890123456789012", 23);
		sb_str(want, p3 ? "(-1234567890123456789012 " : "$-1234567890123456789012 ");
		break;
	default:
		n = rnd_below(4);
		switch (rnd_below(4)) {
		case 0:
			resp_add_array(o, n);
			snprintf(num, sizeof num, "*%zu [ ", n);
			kids = n;
			break;
		case 1:
			resp_add_map(o, n);
			snprintf(num, sizeof num, "%c%zu [ ", p3 ? '%' : '*', p3 ? n : 2 * n);
			kids = 2 * n;
			break;
		case 2:
			resp_add_set(o, n);
			snprintf(num, sizeof num, "%c%zu [ ", p3 ? '~' : '*', n);
			kids = n;
			break;
		default:
			resp_add_push(o, n);
			snprintf(num, sizeof num, "%c%zu [ ", p3 ? '>' : '*', n);
			kids = n;
			break;
		}
		sb_str(want, num);
		for (size_t k = 0; k < kids; k++)
			gen_reply(o, want, depth + 1);
		sb_str(want, "] ");
		break;
	}
}

/* Random nested replies: read item by item they show what was written; whole, cut anywhere. */
START_TEST(reply_nested)
{
	rnd_seed(11);
	for (int k = 0; k < 400; k++) {
		struct sink s;
		struct sb want = { 0 }, got = { 0 }, *out;
		struct fenced f;
		size_t pos = LEAD, c;
		char *start;

		sink_init(&s, 2 + (k & 1), 0, 0);
		gen_reply(&s.o, &want, 0);
		/* A second reply behind it must be left alone. */
		resp_add_const(&s.o, RESP_C_PONG);
		out = sink_finish(&s);
		fenced_init(&f, out->len + LEAD);
		start = fenced_put(&f, out->p, out->len);
		ck_assert_int_eq(render_reply(start - LEAD, LEAD + out->len, &pos, &got), RESP_OK);
		ck_assert_msg(strcmp(got.p, want.p) == 0, "tree %d:\n got %s\nwant %s", k, got.p,
		    want.p);
		ck_assert_uint_eq(pos - LEAD, out->len - 7);
		ck_assert_int_eq(check_prefix_law(&f, R_SKIP, out->p, out->len, &c), RESP_OK);
		ck_assert_uint_eq(c, out->len - 7);
		fenced_free(&f);
		sb_free(out);
		sb_free(&want);
		sb_free(&got);
	}
}
END_TEST

/* Nesting far deeper than any C stack would take, read in constant stack. */
START_TEST(reply_deep)
{
	static const char *const heads[] = { "*1\r\n", "%1\r\n:1\r\n", "|1\r\n+a\r\n+b\r\n~1\r\n" };
	size_t depth = 100000;

	for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
		struct sb in = { 0 };
		struct fenced f;
		size_t got, body;
		char *start;

		for (size_t k = 0; k < depth; k++)
			sb_str(&in, heads[h]);
		body = in.len;
		sb_str(&in, "_\r\n");
		fenced_init(&f, in.len + LEAD);
		start = fenced_put(&f, in.p, in.len);
		ck_assert_int_eq(run_reader(R_SKIP, start, in.len, &got, NULL), RESP_OK);
		ck_assert_uint_eq(got, in.len);
		start = fenced_put(&f, in.p, in.len - 1);
		ck_assert_int_eq(run_reader(R_SKIP, start, in.len - 1, &got, NULL), RESP_MORE);
		start = fenced_put(&f, in.p, body / 2);
		ck_assert_int_eq(run_reader(R_SKIP, start, body / 2, &got, NULL), RESP_MORE);
		/* The innermost item broken: an error, however deep. */
		in.p[body + 1] = 'x';
		start = fenced_put(&f, in.p, in.len);
		ck_assert_int_eq(run_reader(R_SKIP, start, in.len, &got, NULL), RESP_ERR);
		fenced_free(&f);
		sb_free(&in);
	}
}
END_TEST

/* Bytes for fuzzing: reply syntax is likelier than noise. */
static char
fuzz_byte(void)
{
	static const char alphabet[] = "+-:$*_#,(!=%~|>\r\n\r\n0123456789-.etfainx:\0";

	return rnd_below(8) == 0 ? (char)rnd() : alphabet[rnd_below(sizeof alphabet)];
}

/*
 * Reads in[0..n) with both functions and checks they agree with each other and across cuts:
 * resp_skip_reply and an item-by-item walk must give the same status and length.
 */
static void
fuzz_one(struct fenced *f, const char *in, size_t n)
{
	enum resp_status st, walk;
	struct sb r = { 0 };
	size_t c, pos = LEAD;
	char *start;

	check_prefix_law(f, R_ITEM, in, n, &c);
	st = check_prefix_law(f, R_SKIP, in, n, &c);
	start = fenced_put(f, in, n);
	walk = render_reply(start - LEAD, LEAD + n, &pos, &r);
	/* Only skip counts items, so only skip sees a count past UINT64_MAX. */
	REQUIRE(walk == st || (st == RESP_ERR && walk == RESP_MORE), "skip %s, walk %s",
	    st_name(st), st_name(walk));
	REQUIRE(pos == LEAD + (st == RESP_OK ? c : 0), "walk stopped at %zu", pos - LEAD);
	sb_free(&r);
}

/* Random bytes: any status, but never a read out of bounds, and the laws above hold. */
START_TEST(reply_fuzz_random)
{
	struct fenced f;
	char in[48];

	rnd_seed(13);
	fenced_init(&f, sizeof in + LEAD);
	for (int k = 0; k < 20000; k++) {
		size_t n = rnd_below(sizeof in);

		for (size_t b = 0; b < n; b++)
			in[b] = fuzz_byte();
		fuzz_one(&f, in, n);
	}
	fenced_free(&f);
}
END_TEST

/* Valid replies with a few bytes changed, then cut at random. */
START_TEST(reply_fuzz_mutate)
{
	rnd_seed(17);
	for (int k = 0; k < 2000; k++) {
		struct sink s;
		struct sb want = { 0 }, *out;
		struct fenced f;
		size_t edits = 1 + rnd_below(3);

		sink_init(&s, 2 + (k & 1), 0, 0);
		gen_reply(&s.o, &want, 2);
		out = sink_finish(&s);
		for (size_t e = 0; e < edits && out->len > 0; e++) {
			size_t at = rnd_below(out->len);

			switch (rnd_below(3)) {
			case 0:
				out->p[at] = fuzz_byte();
				break;
			case 1:
				/* Drop a byte. */
				memmove(out->p + at, out->p + at + 1, out->len - at - 1);
				out->len--;
				break;
			default:
				out->p[at] = (char)(out->p[at] + 1);
				break;
			}
		}
		if (out->len > 0 && rnd_below(4) == 0)
			out->len = rnd_below(out->len);
		if (out->len > 512)
			out->len = 512;
		fenced_init(&f, out->len + LEAD);
		fuzz_one(&f, out->p, out->len);
		fenced_free(&f);
		sb_free(out);
		sb_free(&want);
	}
}
END_TEST

/* Reading allocates nothing. */
START_TEST(reply_no_alloc)
{
	struct mem_counters before, after;
	struct resp_item it;

	before = mem_thread_counters();
	for (size_t k = 0; k < sizeof reply_cases / sizeof reply_cases[0]; k++) {
		size_t pos = 0;

		ck_assert_int_eq(resp_skip_reply(reply_cases[k].in, reply_cases[k].n, &pos),
		    RESP_OK);
		pos = 0;
		ck_assert_int_eq(resp_read_item(reply_cases[k].in, reply_cases[k].n, &pos, &it),
		    RESP_OK);
	}
	after = mem_thread_counters();
	ck_assert_uint_eq(after.allocs, before.allocs);
}
END_TEST

/* resp_out_grow: a sink that starts empty (NULL, cap 0) grows to hold every reply, in order. */
START_TEST(out_grow_keeps_every_byte)
{
	struct resp_out o = { .buf = NULL, .len = 0, .cap = 0, .proto = 2,
	    .make_room = resp_out_grow };
	char big[3000];
	size_t pos = 0;

	memset(big, 'z', sizeof big);
	for (int i = 0; i < 2000; i++) {
		resp_add_int(&o, i);
		if (i % 100 == 0)
			resp_add_bulk(&o, big, sizeof big);
	}
	ck_assert_uint_ge(o.cap, o.len);
	for (int i = 0; i < 2000; i++) {
		struct resp_item it;

		ck_assert_int_eq(resp_read_item(o.buf, o.len, &pos, &it), RESP_OK);
		ck_assert_int_eq(it.type, RESP_T_INT);
		ck_assert_int_eq(it.i, i);
		if (i % 100 == 0) {
			ck_assert_int_eq(resp_read_item(o.buf, o.len, &pos, &it), RESP_OK);
			ck_assert_uint_eq(it.len, sizeof big);
			ck_assert(memcmp(it.str, big, sizeof big) == 0);
		}
	}
	ck_assert_uint_eq(pos, o.len);
	xfree(o.buf);
}
END_TEST

static Suite *
protocol_suite(void)
{
	Suite *s = suite_create("protocol");
	TCase *tc;

	tc = tcase_create("parse_ok");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, parse_ok, 0, (int)(sizeof ok_cases / sizeof ok_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_errors");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, parse_err, 0, (int)(sizeof err_cases / sizeof err_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, parse_limits, 0,
	    (int)(sizeof limit_cases / sizeof limit_cases[0]));
	tcase_add_test(tc, parse_many_args);
	suite_add_tcase(s, tc);

	tc = tcase_create("parse_state");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, parse_sticky_error);
	tcase_add_test(tc, parse_reset_mid_request);
	tcase_add_test(tc, parse_want);
	tcase_add_test(tc, parse_no_rescan);
	tcase_add_test(tc, parse_steady_state_no_alloc);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_loop_test(tc, write_exact, 0,
	    (int)(sizeof write_cases / sizeof write_cases[0]));
	tcase_add_test(tc, write_sequence);
	tcase_add_test(tc, write_large_payload);
	tcase_add_test(tc, write_no_alloc);
	suite_add_tcase(s, tc);

	tc = tcase_create("out_grow");
	tcase_add_test(tc, out_grow_keeps_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply_read");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, reply_valid, 0, (int)(sizeof reply_cases / sizeof reply_cases[0]));
	tcase_add_loop_test(tc, reply_bad, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_loop_test(tc, reply_line_limits, 0,
	    (int)(sizeof line_cases / sizeof line_cases[0]));
	tcase_add_loop_test(tc, reply_huge, 0, (int)(sizeof huge_cases / sizeof huge_cases[0]));
	tcase_add_test(tc, reply_positions);
	tcase_add_test(tc, reply_no_alloc);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply_round_trip");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, reply_round_trip, 0,
	    (int)(sizeof write_cases / sizeof write_cases[0]));
	tcase_add_test(tc, reply_round_trip_random);
	tcase_add_test(tc, reply_nested);
	tcase_add_test(tc, reply_deep);
	suite_add_tcase(s, tc);

	tc = tcase_create("reply_fuzz");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, reply_fuzz_random);
	tcase_add_test(tc, reply_fuzz_mutate);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(protocol_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
