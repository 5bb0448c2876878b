/*
 * check_match: unit tests of glob matching (storage/match.c).
 *
 * The yardstick is Redis' stringmatchlen. Each case runs through glob_match_raw(), through
 * glob_match() on a compiled glob and on a copy of it, and through ref_match() below, a plain
 * recursive reading of Redis' algorithm that builds each bracket set byte by byte with libc's
 * tolower(), as Redis does, so it shares no code or shortcut with match.c. Patterns and strings
 * are copied to end against a PROT_NONE page, so reading past either faults.
 *
 * The "redis" table holds Redis' own cases (tests/unit/keyspace.tcl and scan.tcl) and the
 * quirks: rows marked LIVE were checked against redis-server 7.0.15 (Debian, which carries the
 * CVE-2024-31228 nesting cap) with SET + KEYS, nocase rows with COMMAND LIST FILTERBY PATTERN
 * (which matches with nocase), and "*" against "" with PSUBSCRIBE + PUBLISH; rows marked SRC
 * cannot be asked of a server (nocase on bytes no command name has, and "*" which KEYS
 * short-cuts) and were checked against util.c compiled with glibc in the C locale.
 */
#include <check.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "storage/base/mem.h"
#include "storage/match.h"

/* ---------------------------------------------------------------------------------------- */
/* Test plumbing: guarded copies, a seeded generator, a clock. */

#define GUARD_CAP (256 * 1024)

struct guard {
	char *map;
};

static struct guard pat_guard, str_guard;

/* Returns a copy of the n bytes at src that ends right before an unreadable page. */
static char *
guard_put(struct guard *g, const void *src, size_t n)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	char *dst;

	ck_assert_uint_le(n, GUARD_CAP);
	if (g->map == NULL) {
		g->map = mmap(NULL, GUARD_CAP + page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ck_assert_ptr_ne(g->map, MAP_FAILED);
		ck_assert_int_eq(mprotect(g->map + GUARD_CAP, page, PROT_NONE), 0);
	}
	dst = g->map + GUARD_CAP - n;
	if (n != 0)
		memcpy(dst, src, n);
	return dst;
}

static uint64_t rng_state;

static uint32_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Renders n bytes for failure messages, non-printable ones as \xHH, cut at 60 bytes. */
static const char *
show(const char *s, size_t n, char *buf, size_t cap)
{
	size_t o = 0, i;

	for (i = 0; i < n && o + 8 < cap && i < 60; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", c);
	}
	if (i < n && o + 4 < cap)
		o += (size_t)snprintf(buf + o, cap - o, "...");
	buf[o] = '\0';
	return buf;
}

/* ---------------------------------------------------------------------------------------- */
/* The reference matcher. */

struct ref {
	const char *p;
	size_t plen;
	const char *s;
	size_t slen;
	bool nocase;
	bool give_up;	/* Redis' skipLongerMatches */
};

/* Redis folds with tolower() on a plain (signed) char, in the C locale. */
static int
ref_fold(int c, bool nocase)
{
	return nocase ? tolower(c) : c;
}

/*
 * Fills in[256] with the bytes the bracket expression at p[*pi] accepts and moves *pi past it.
 * Items: "\x" (x exactly), "x-y" (a range if y exists, ends ordered as signed chars, then
 * folded), ']' ends, the pattern's end ends (the last byte is then the last item).
 */
static void
ref_class(const struct ref *r, size_t *pi, bool in[256])
{
	size_t i = *pi + 1;
	bool neg = i < r->plen && r->p[i] == '^';
	int b;

	memset(in, 0, 256 * sizeof in[0]);
	if (neg)
		i++;
	while (i < r->plen && r->p[i] != ']') {
		signed char x = (signed char)r->p[i];

		if (x == '\\' && i + 1 < r->plen) {
			in[(unsigned char)r->p[i + 1]] = true;
			i += 2;
		} else if (i + 2 < r->plen && r->p[i + 1] == '-') {
			int lo = x, hi = (signed char)r->p[i + 2];

			if (lo > hi) {
				int t = lo;

				lo = hi;
				hi = t;
			}
			lo = ref_fold(lo, r->nocase);
			hi = ref_fold(hi, r->nocase);
			for (b = 0; b < 256; b++) {
				int c = ref_fold((signed char)b, r->nocase);

				if (c >= lo && c <= hi)
					in[b] = true;
			}
			i += 3;
		} else {
			for (b = 0; b < 256; b++)
				if (ref_fold((signed char)b, r->nocase) == ref_fold(x, r->nocase))
					in[b] = true;
			i++;
		}
	}
	/* Stopped on ']' (skip it) or at the end (nothing to skip). */
	*pi = i < r->plen ? i + 1 : r->plen;
	if (neg)
		for (b = 0; b < 256; b++)
			in[b] = !in[b];
}

/* Redis' recursion: each '*' tries the rest at every later position, up to the depth cap. */
static bool
ref_at(struct ref *r, size_t pi, size_t si, int depth)
{
	bool in[256];

	if (depth > GLOB_MAX_NESTING)
		return false;
	while (pi < r->plen && si < r->slen) {
		unsigned char c = (unsigned char)r->s[si];

		switch (r->p[pi]) {
		case '*':
			while (pi + 1 < r->plen && r->p[pi + 1] == '*')
				pi++;
			if (pi + 1 == r->plen)
				return true;
			for (; si < r->slen; si++) {
				if (ref_at(r, pi + 1, si, depth + 1))
					return true;
				if (r->give_up)
					return false;
			}
			r->give_up = true;
			return false;
		case '?':
			pi++;
			break;
		case '[':
			ref_class(r, &pi, in);
			if (!in[c])
				return false;
			break;
		default:
			if (r->p[pi] == '\\' && pi + 1 < r->plen)
				pi++;
			if (ref_fold((signed char)r->p[pi], r->nocase) !=
			    ref_fold((signed char)c, r->nocase))
				return false;
			pi++;
			break;
		}
		if (++si == r->slen) {
			while (pi < r->plen && r->p[pi] == '*')
				pi++;
		}
	}
	return pi == r->plen && si == r->slen;
}

static bool
ref_match(const char *p, size_t plen, const char *s, size_t slen, bool nocase)
{
	struct ref r = { p, plen, s, slen, nocase, false };

	return ref_at(&r, 0, 0, 0);
}

/*
 * Runs one case through every matcher and checks they agree with each other and, if want is
 * 0 or 1, with want. Returns the answer.
 */
static int
check_one(const char *p0, size_t plen, const char *s0, size_t slen, bool nocase, int want)
{
	char *p = guard_put(&pat_guard, p0, plen);
	char *s = guard_put(&str_guard, s0, slen);
	struct glob g, copy;
	int raw, comp, ref, copied;
	char b1[400], b2[400];

	raw = glob_match_raw(p, plen, s, slen, nocase);
	glob_compile(&g, p, plen, nocase);
	comp = glob_match(&g, s, slen);
	copy = g;
	memset(&g, 0xa5, sizeof g);
	copied = glob_match(&copy, s, slen);
	ref = ref_match(p, plen, s, slen, nocase);
	if (want < 0)
		want = ref;
	ck_assert_msg(raw == want && comp == want && copied == want && ref == want,
	    "pattern \"%s\" string \"%s\" nocase %d: want %d, raw %d, compiled %d (strategy %d), "
	    "copy %d, reference %d", show(p, plen, b1, sizeof b1), show(s, slen, b2, sizeof b2),
	    nocase, want, raw, comp, glob_strategy(&copy), copied, ref);
	return want;
}

/* ---------------------------------------------------------------------------------------- */
/* Redis' cases and quirks. */

struct match_case {
	const char *pat;
	size_t plen;
	const char *str;
	size_t slen;
	bool nocase;
	int want;
};

#define LIVE
#define SRC
#define C(p, s, nc, w, how) { p, sizeof(p) - 1, s, sizeof(s) - 1, nc, w }

static const struct match_case redis_cases[] = {
	/* keyspace.tcl and scan.tcl */
	C("foo*", "foo_a", 0, 1, LIVE),
	C("foo*", "key_x", 0, 0, LIVE),
	C("*", "key_x", 0, 1, SRC),
	C("a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0, LIVE),
	C("key:1??", "key:100", 0, 1, LIVE),
	C("key:1??", "key:1", 0, 0, LIVE),
	C("key:1??", "key:1000", 0, 0, LIVE),
	C("key:1??", "key:200", 0, 0, LIVE),
	C("key:*", "key:5", 0, 1, LIVE),
	C("*a*", "a", 0, 1, LIVE),
	C("*1*", "1", 0, 1, LIVE),
	C("foo*", "foo", 0, 1, LIVE),
	C("foo*", "foobar", 0, 1, LIVE),
	C("foo*", "fab", 0, 0, LIVE),
	/* the empty string matches only the empty pattern; stars at the end */
	C("", "", 0, 1, LIVE),
	C("", "a", 0, 0, LIVE),
	C("*", "", 0, 0, LIVE),	/* PSUBSCRIBE * gets nothing from PUBLISH "" */
	C("**", "", 0, 0, LIVE),
	C("?", "", 0, 0, LIVE),
	C("*", "a", 0, 1, SRC),
	C("**", "a", 0, 1, LIVE),
	C("a*", "a", 0, 1, LIVE),
	C("a**", "a", 0, 1, LIVE),
	C("a*?", "a", 0, 0, LIVE),
	C("*a", "a", 0, 1, LIVE),
	C("a*a", "a", 0, 0, LIVE),
	C("a*a", "aa", 0, 1, LIVE),
	C("a*b*c", "abc", 0, 1, LIVE),
	C("a*b*c", "axxbyyc", 0, 1, LIVE),
	C("a*b*c", "axxbyyca", 0, 0, LIVE),
	C("*?", "a", 0, 1, LIVE),
	C("?*", "a", 0, 1, LIVE),
	C("h?llo", "hello", 0, 1, LIVE),
	C("h*llo", "hllo", 0, 1, LIVE),
	C("h[ae]llo", "hallo", 0, 1, LIVE),
	C("h[ae]llo", "hillo", 0, 0, LIVE),
	C("h[^e]llo", "hallo", 0, 1, LIVE),
	C("h[^e]llo", "hello", 0, 0, LIVE),
	C("h[a-b]llo", "hbllo", 0, 1, LIVE),
	/* brackets, well and badly formed */
	C("[a-]", "_", 0, 1, LIVE),	/* the range a..] */
	C("[a-]", "a", 0, 1, LIVE),
	C("[a-]", "]", 0, 1, LIVE),
	C("[a-]", "b", 0, 0, LIVE),
	C("[a-]", "-", 0, 0, LIVE),
	C("[z-a]", "m", 0, 1, LIVE),
	C("[z-a]", "A", 0, 0, LIVE),
	C("[a-z", "q", 0, 1, LIVE),
	C("[a-z", "[", 0, 0, LIVE),
	C("[", "[", 0, 0, LIVE),
	C("[", "a", 0, 0, LIVE),
	C("[^", "x", 0, 1, LIVE),
	C("[^", "^", 0, 1, LIVE),
	C("[a", "a", 0, 1, LIVE),
	C("[a", "[", 0, 0, LIVE),
	C("[\\", "\\", 0, 1, LIVE),
	C("[\\]", "]", 0, 1, LIVE),
	C("[\\]", "\\", 0, 0, LIVE),
	C("[]a]", "]", 0, 0, LIVE),	/* "[]" is an empty set, "a]" literal */
	C("[]a]", "a]", 0, 0, LIVE),
	C("[^]", "x", 0, 1, LIVE),
	C("[^]a", "xa", 0, 1, LIVE),
	C("[\\a-z]", "-", 0, 1, LIVE),
	C("[\\a-z]", "m", 0, 0, LIVE),
	C("[\\-]", "-", 0, 1, LIVE),
	C("[-a]", "-", 0, 1, LIVE),
	C("[a-]]", "_", 0, 1, LIVE),
	C("[]-a]", "-a]", 0, 0, LIVE),
	C("[!-a]", "A", 0, 1, LIVE),	/* '!' does not negate: the range !..a */
	C("[!-a]", "b", 0, 0, LIVE),
	C("a[", "a[", 0, 0, LIVE),
	C("a[", "ab", 0, 0, LIVE),
	C("*[", "x", 0, 0, LIVE),
	C("*[^", "xy", 0, 1, LIVE),
	C("[a-\\]", "b", 0, 0, LIVE),
	/* escapes */
	C("a\\", "a\\", 0, 1, LIVE),
	C("\\", "\\", 0, 1, LIVE),
	C("\\\\", "\\", 0, 1, LIVE),
	C("\\a", "a", 0, 1, LIVE),
	C("\\*", "*", 0, 1, LIVE),
	C("\\*", "a", 0, 0, LIVE),
	C("*\\", "x\\", 0, 1, LIVE),
	C("\\?", "?", 0, 1, LIVE),
	C("\\?", "a", 0, 0, LIVE),
	C("\\[a]", "[a]", 0, 1, LIVE),
	C("a\\*b", "a*b", 0, 1, LIVE),
	C("a\\*b", "axb", 0, 0, LIVE),
	/* binary: NUL bytes; ranges compare signed chars */
	C("[a-\xc8]", "b", 0, 0, LIVE),
	C("[a-\xc8]", "\x00", 0, 1, LIVE),
	C("[a-\xc8]", "\xc8", 0, 1, LIVE),
	C("[a-\xc8]", "\xc9", 0, 1, LIVE),
	C("[a-\xc8]", "\xc7", 0, 0, LIVE),
	C("[\x80-\xff]", "\x90", 0, 1, LIVE),
	C("[\x80-\xff]", "a", 0, 0, LIVE),
	C("a\x00" "b", "a\x00" "b", 0, 1, LIVE),
	C("a\x00" "b", "a\x00" "c", 0, 0, LIVE),
	C("[\x00]", "\x00", 0, 1, LIVE),
	C("?", "\x00", 0, 1, LIVE),
	C("a?b", "a\x00" "b", 0, 1, LIVE),
	C("*\x00", "ab\x00", 0, 1, LIVE),
	C("\xc8*", "\xc8\xff", 0, 1, LIVE),
	/* nocase, against command names */
	C("GET", "get", 1, 1, LIVE),
	C("[A-Z]ET", "get", 1, 1, LIVE),
	C("[Z-a]*", "get", 1, 0, LIVE),	/* folded ends: z..a, empty */
	C("[A-z]*", "get", 1, 1, LIVE),
	C("CONFIG|*", "config|get", 1, 1, LIVE),
	C("[\\G]et", "get", 1, 0, LIVE),	/* escaped in brackets: exact */
	C("[\\g]et", "get", 1, 1, LIVE),
	C("\\Get", "get", 1, 1, LIVE),	/* escaped outside brackets: folded */
	C("[g-G]et", "get", 1, 1, LIVE),
	C("[^G]et", "get", 1, 0, LIVE),
	C("?ET", "set", 1, 1, LIVE),
	/* nocase on other bytes: glibc's tolower maps -128..-2 to 128..254 */
	C("[a-\xc8]", "b", 1, 0, SRC),
	C("[a-\xc8]", "\xc8", 1, 0, SRC),
	C("[\x80-\xff]", "\x90", 1, 0, SRC),
	C("[\x80-\xfe]", "\x90", 1, 1, SRC),
	C("\xc8", "\xc8", 1, 1, SRC),
	C("\xc8", "\xe8", 1, 0, SRC),
	C("[A-\xff]", "\xff", 1, 1, SRC),
	C("[A-\xff]", "a", 1, 1, SRC),
	C("[A-\xff]", "B", 1, 0, SRC),
	C("[A-z]", "_", 1, 0, SRC),
	C("[A-z]", "_", 0, 1, LIVE),
	C("user:*", "USER:1", 1, 1, SRC),
	C("*:NAME", "u:name", 1, 1, SRC),
	C("U*:n", "user:N", 1, 1, SRC),
	C("user:1000", "USER:1000", 1, 1, SRC),
	C("user:1000", "USER:1000", 0, 0, SRC),
};

START_TEST(redis_case)
{
	const struct match_case *c = &redis_cases[_i];

	check_one(c->pat, c->plen, c->str, c->slen, c->nocase, c->want);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* The nesting cap: more than 1000 '*' runs passed means no match. */

struct nest_case {
	const char *unit;	/* repeated reps times */
	int reps;
	const char *extra;	/* appended */
	bool drop_last;		/* drop the last byte */
	size_t slen;		/* of 'a' */
	int want;
};

/* All LIVE, with KEYS against a key of slen 'a's. */
static const struct nest_case nest_cases[] = {
	{ "*a", 999, "", false, 1100, 1 },
	{ "*a", 1000, "", false, 1100, 1 },
	{ "*a", 1001, "", false, 1100, 0 },
	{ "*a", 1001, "*", false, 1100, 0 },
	{ "*a", 1001, "", true, 1100, 1 },	/* the 1001st star ends the pattern */
	{ "*a", 1002, "", true, 1100, 0 },
	{ "a*", 1001, "", false, 1100, 1 },
	{ "a*", 1002, "", false, 1100, 0 },
	{ "*?", 1000, "", false, 1100, 1 },
	{ "*?", 1001, "", false, 1100, 0 },
	{ "?*", 1001, "", false, 1100, 1 },
	{ "?*", 1002, "", false, 1100, 0 },
	{ "*?", 50000, "", false, 50000, 0 },	/* keyspace.tcl "very long nested loops" */
	{ "a*", 1500, "", false, 1200, 0 },	/* the string ends before the 1001st star */
	{ "a*", 1500, "", false, 1000, 0 },
	{ "a*", 1500, "", false, 1500, 0 },
};

START_TEST(nest_case)
{
	const struct nest_case *c = &nest_cases[_i];
	size_t ul = strlen(c->unit), el = strlen(c->extra), plen = 0;
	char *p = malloc(ul * (size_t)c->reps + el + 1), *s = malloc(c->slen + 1);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < c->reps; i++, plen += ul)
		memcpy(p + plen, c->unit, ul);
	memcpy(p + plen, c->extra, el);
	plen += el;
	if (c->drop_last)
		plen--;
	memset(s, 'a', c->slen);
	check_one(p, plen, s, c->slen, false, c->want);
	free(p);
	free(s);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Randomized agreement: raw, compiled, copied and reference on a seeded corpus. */

static const char pat_alpha[] = "ab*?[]^-\\A\xc8\x00";
static const char str_alpha[] = "abAB]-^\\[*?\xc8\xff\x00";

static size_t
random_from(char *dst, size_t maxlen, const char *alpha, size_t n)
{
	size_t len = rng() % (maxlen + 1);

	for (size_t i = 0; i < len; i++)
		dst[i] = alpha[rng() % n];
	return len;
}

/* A pattern built from s, so that many pairs match: each byte kept, escaped, generalized. */
static size_t
pattern_from(char *p, const char *s, size_t slen)
{
	size_t pl = 0;

	for (size_t i = 0; i < slen; i++) {
		switch (rng() % 9) {
		case 0:
			p[pl++] = '*';
			if (rng() & 1)
				p[pl++] = '*';
			break;
		case 1:
			p[pl++] = '?';
			break;
		case 2:
			p[pl++] = '[';
			if (rng() % 3 == 0)
				p[pl++] = '^';
			p[pl++] = s[i];
			if (rng() & 1) {
				p[pl++] = '-';
				p[pl++] = str_alpha[rng() % (sizeof str_alpha - 1)];
			}
			if (rng() % 4 != 0)
				p[pl++] = ']';
			break;
		case 3:
			p[pl++] = '\\';
			p[pl++] = s[i];
			break;
		default:
			p[pl++] = s[i];
			break;
		}
	}
	if (rng() % 4 == 0)
		p[pl++] = '*';
	return pl;
}

START_TEST(random_agreement)
{
	char p[128], s[64];
	long matches = 0, per_strategy[GLOB_PREFIX_SUFFIX + 1] = { 0 };
	struct glob g;
	int i;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < 60000; i++) {
		size_t pl, sl;
		bool nocase = rng() & 1;

		if (i % 3 == 0) {
			pl = random_from(p, 12, pat_alpha, sizeof pat_alpha - 1);
			sl = random_from(s, 10, (i & 1) ? pat_alpha : str_alpha,
			    (i & 1) ? sizeof pat_alpha - 1 : sizeof str_alpha - 1);
		} else {
			sl = random_from(s, 12, str_alpha, sizeof str_alpha - 1);
			pl = pattern_from(p, s, sl);
			if (i % 5 == 0 && sl > 0)
				s[rng() % sl] = str_alpha[rng() % (sizeof str_alpha - 1)];
		}
		matches += check_one(p, pl, s, sl, nocase, -1);
		glob_compile(&g, p, pl, nocase);
		per_strategy[glob_strategy(&g)]++;
	}
	/* The corpus must exercise both answers and every strategy. */
	ck_assert_int_gt(matches, 6000);
	ck_assert_int_lt(matches, 54000);
	for (i = 0; i <= GLOB_PREFIX_SUFFIX; i++)
		ck_assert_msg(per_strategy[i] > 100, "strategy %d seen %ld times", i,
		    per_strategy[i]);
}
END_TEST

/* The literal strategies against the general matcher, on shapes built for them. */
START_TEST(random_shapes)
{
	static const char lit_alpha[] = "aAb:\\*\xc8";
	char p[64], s[64], pre[16], suf[16];
	int i;

	rng_state = 42;
	for (i = 0; i < 40000; i++) {
		size_t pl = 0, sl, prl, sul;
		bool nocase = rng() % 4 == 0;
		struct glob g;

		prl = random_from(pre, 5, lit_alpha, sizeof lit_alpha - 1);
		sul = random_from(suf, 5, lit_alpha, sizeof lit_alpha - 1);
		/*
		 * Stars and backslashes in a literal are escaped, but a backslash before a plain
		 * byte may stay bare: it then escapes that byte, which is still literal.
		 */
		for (size_t j = 0; j < prl; j++) {
			bool bare_ok = j + 1 < prl && pre[j + 1] != '*' && pre[j + 1] != '\\';

			if (pre[j] == '*' || (pre[j] == '\\' && (!bare_ok || rng() % 2)))
				p[pl++] = '\\';
			p[pl++] = pre[j];
		}
		if (i % 4 != 0)
			for (int k = 1 + (int)(rng() % 2); k > 0; k--)
				p[pl++] = '*';
		for (size_t j = 0; j < sul; j++) {
			if (suf[j] == '*' || suf[j] == '\\')
				p[pl++] = '\\';
			p[pl++] = suf[j];
		}
		sl = random_from(s, 8, lit_alpha, sizeof lit_alpha - 1);
		if (rng() % 2) {
			/* Make a likely match: prefix, filler, suffix. */
			sl = 0;
			memcpy(s, pre, prl);
			sl += prl;
			sl += random_from(s + sl, 3, lit_alpha, sizeof lit_alpha - 1);
			memcpy(s + sl, suf, sul);
			sl += sul;
			if (nocase && sl > 0 && s[0] >= 'a' && s[0] <= 'z')
				s[0] = (char)(s[0] - 'a' + 'A');
		}
		glob_compile(&g, p, pl, nocase);
		ck_assert_msg(glob_strategy(&g) != GLOB_GENERAL, "%.*s", (int)pl, p);
		check_one(p, pl, s, sl, nocase, -1);
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Shapes: strategy choice and the queries KEYS and SCAN use. */

struct shape_case {
	const char *pat;
	size_t plen;
	bool nocase;
	enum glob_strategy strategy;
	const char *exact;	/* the key glob_is_exact() gives, or NULL */
	size_t exact_len;
	const char *prefix;
	size_t prefix_len;
	bool match_all;
};

#define SX(p, nc, st, ex, pre) \
	{ p, sizeof(p) - 1, nc, st, ex, sizeof(ex) - 1, pre, sizeof(pre) - 1, false }
#define S(p, nc, st, pre) { p, sizeof(p) - 1, nc, st, NULL, 0, pre, sizeof(pre) - 1, false }

static const struct shape_case shape_cases[] = {
	SX("user:1000", false, GLOB_EXACT, "user:1000", "user:1000"),
	SX("", false, GLOB_EXACT, "", ""),
	SX("a\\*b\\?c\\[d", false, GLOB_EXACT, "a*b?c[d", "a*b?c[d"),
	SX("a\\", false, GLOB_EXACT, "a\\", "a\\"),
	SX("a\x00\\\x00", false, GLOB_EXACT, "a\x00\x00", "a\x00\x00"),
	S("USER:1", true, GLOB_EXACT, "USER:1"),	/* several strings match */
	SX("1:2", true, GLOB_EXACT, "1:2", "1:2"),
	S("user:*", false, GLOB_PREFIX, "user:"),
	S("user:**", false, GLOB_PREFIX, "user:"),
	S("u\\*:*", false, GLOB_PREFIX, "u*:"),
	S("*:name", false, GLOB_SUFFIX, ""),
	S("*\\", false, GLOB_SUFFIX, ""),
	S("user:*:name", false, GLOB_PREFIX_SUFFIX, "user:"),
	S("**", false, GLOB_ANY, ""),
	{ "*", 1, false, GLOB_ANY, NULL, 0, "", 0, true },
	S("u*r:[0-9]?0*", false, GLOB_GENERAL, "u"),
	S("user:[0-9]*", false, GLOB_GENERAL, "user:"),
	S("us\\[er:?", false, GLOB_GENERAL, "us[er:"),
	S("a*b*c", false, GLOB_GENERAL, "a"),
	S("?", false, GLOB_GENERAL, ""),
	S("[abc]", false, GLOB_GENERAL, ""),
	S("[a", false, GLOB_GENERAL, ""),
};

START_TEST(shape)
{
	const struct shape_case *c = &shape_cases[_i];
	const char *p = guard_put(&pat_guard, c->pat, c->plen);
	const char *key = NULL, *pre;
	size_t keylen = 12345, prelen;
	struct glob g;

	glob_compile(&g, p, c->plen, c->nocase);
	ck_assert_int_eq(glob_strategy(&g), c->strategy);
	ck_assert_int_eq(glob_is_match_all(&g), c->match_all);
	if (c->exact != NULL) {
		ck_assert(glob_is_exact(&g, &key, &keylen));
		ck_assert_uint_eq(keylen, c->exact_len);
		ck_assert_mem_eq(key, c->exact, keylen);
	} else {
		ck_assert(!glob_is_exact(&g, &key, &keylen));
		ck_assert_ptr_null(key);
		ck_assert_uint_eq(keylen, 12345);
	}
	pre = glob_prefix(&g, &prelen);
	ck_assert_uint_eq(prelen, c->prefix_len);
	ck_assert_mem_eq(pre, c->prefix, prelen);
}
END_TEST

/* Long literals with escapes do not fit the glob: correct answers from the general matcher. */
START_TEST(long_escaped_literal)
{
	char p[2 * GLOB_INLINE + 8], s[GLOB_INLINE + 8];
	size_t pl = 0, sl = 0;
	struct glob g;
	const char *key;
	size_t keylen;

	for (int i = 0; i < GLOB_INLINE + 1; i++) {
		p[pl++] = '\\';
		p[pl++] = (char)('a' + i % 26);
		s[sl++] = (char)('a' + i % 26);
	}
	glob_compile(&g, p, pl, false);
	ck_assert_int_eq(glob_strategy(&g), GLOB_GENERAL);
	ck_assert(!glob_is_exact(&g, &key, &keylen));
	check_one(p, pl, s, sl, false, 1);
	check_one(p, pl, s, sl - 1, false, 0);
	s[3] = 'x';
	check_one(p, pl, s, sl, false, 0);
	/* As a prefix: the general matcher resumes from the start. */
	p[pl++] = '*';
	p[pl++] = '?';
	s[3] = 'd';
	s[sl++] = 'z';
	glob_compile(&g, p, pl, false);
	ck_assert_int_eq(glob_strategy(&g), GLOB_GENERAL);
	check_one(p, pl, s, sl, false, 1);
	/* Unescaped, the same literal needs no copy and stays exact. */
	glob_compile(&g, s, sl, false);
	ck_assert(glob_is_exact(&g, &key, &keylen));
	ck_assert_ptr_eq(key, s);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Explosive patterns stay fast; nothing allocates. */

struct blowup_case {
	const char *head;	/* then "a" * mid, then tail; against 'a' * slen */
	size_t mid;
	const char *tail;
	size_t slen;
	int want;
};

static const struct blowup_case blowup_cases[] = {
	{ "*a*a*a*a*a*a*a*a*a*a*b", 0, "", 10000, 0 },
	{ "*a*a*a*a*a*a*a*a*a*a*[b]", 0, "", 10000, 0 },
	{ "*a*a*a*a*a*a*a*a*a*a*b*", 0, "", 10000, 0 },
	{ "*a*a*a*a*a*a*b", 0, "", 100, 0 },
	{ "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a", 0, "", 10000, 1 },
	{ "*", 1000, "[b]", 10000, 0 },	/* the quadratic worst case, as in Redis */
	{ "*?*?*?*?*?*?*?*?*?*?", 0, "[b]", 10000, 0 },
	{ "a*", 0, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b", 40, 0 },
};

START_TEST(blowup)
{
	const struct blowup_case *c = &blowup_cases[_i];
	size_t hl = strlen(c->head), tl = strlen(c->tail), pl;
	char *p = malloc(hl + c->mid + tl), *s = malloc(c->slen), *gp, *gs;
	double t0, dt;

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(s);
	memcpy(p, c->head, hl);
	memset(p + hl, 'a', c->mid);
	memcpy(p + hl + c->mid, c->tail, tl);
	pl = hl + c->mid + tl;
	memset(s, 'a', c->slen);
	t0 = now_sec();
	check_one(p, pl, s, c->slen, false, c->want);
	check_one(p, pl, s, c->slen, true, c->want);
	dt = now_sec() - t0;
	/* Milliseconds natively; the bound leaves room for sanitizers and valgrind. */
	ck_assert_msg(dt < 20.0, "took %.3f s", dt);
	/* Without the reference, which is as slow as Redis, ours alone. */
	gp = guard_put(&pat_guard, p, pl);
	gs = guard_put(&str_guard, s, c->slen);
	t0 = now_sec();
	ck_assert_int_eq(glob_match_raw(gp, pl, gs, c->slen, false), c->want);
	dt = now_sec() - t0;
	ck_assert_msg(dt < 2.0, "took %.3f s", dt);
	free(p);
	free(s);
}
END_TEST

START_TEST(no_alloc)
{
	static const char *pats[] = { "user:1000", "user:*", "*:x", "u*r:[0-9]?0*", "*a*a*b" };
	struct mem_counters before, after;
	struct glob g;
	int n = 0;

	before = mem_thread_counters();
	for (size_t i = 0; i < sizeof pats / sizeof pats[0]; i++) {
		glob_compile(&g, pats[i], strlen(pats[i]), i & 1);
		n += glob_match(&g, "user:1000", 9);
		n += glob_match_raw(pats[i], strlen(pats[i]), "uxr:100", 7, false);
	}
	after = mem_thread_counters();
	ck_assert_int_eq(n, 4);
	ck_assert_uint_eq(after.allocs, before.allocs);
}
END_TEST

static Suite *
match_suite(void)
{
	Suite *s = suite_create("match");
	TCase *tc;

	tc = tcase_create("redis");
	tcase_add_loop_test(tc, redis_case, 0,
	    (int)(sizeof redis_cases / sizeof redis_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("nesting");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, nest_case, 0, (int)(sizeof nest_cases / sizeof nest_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, random_agreement);
	tcase_add_test(tc, random_shapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("shapes");
	tcase_add_loop_test(tc, shape, 0, (int)(sizeof shape_cases / sizeof shape_cases[0]));
	tcase_add_test(tc, long_escaped_literal);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, blowup, 0, (int)(sizeof blowup_cases / sizeof blowup_cases[0]));
	tcase_add_test(tc, no_alloc);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(match_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
