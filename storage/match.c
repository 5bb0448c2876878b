/*
 * match.c: glob matching with Redis' stringmatchlen results (see match.h).
 *
 * KEYS and SCAN (replica/commands) compile a pattern with glob_compile() and call glob_match()
 * per key. Start reading at match_from(), the general matcher; the compiled strategies are
 * shortcuts that must agree with it, and the unit test checks that they do.
 *
 * Redis matches recursively: each '*' tries the rest of the pattern at every later position of
 * the string. Two guards bound that search. Once the rest after some '*' has failed at every
 * position, the whole match fails: an earlier '*' taking more bytes would only move that same
 * rest later in the string, because everything between two stars has a fixed width. And the
 * recursion gives up past GLOB_MAX_NESTING nested stars. The first guard means that only the
 * last '*' reached ever needs to be retried, which is the classic iterative matcher that keeps
 * one backtrack point; the second becomes a count of the '*' runs passed. So match_from() walks
 * the pattern once, forward, with one saved (pattern, string) position, and its results are
 * Redis' for every input, malformed patterns included.
 *
 * Redis reads patterns as NUL-terminated sds strings and at places looks at the byte at the end
 * of the pattern; this code checks the length instead, which gives the same answers because the
 * byte there is NUL and never one of the special bytes.
 */
#include <stdint.h>
#include <string.h>

#include "storage/match.h"

#define NO_STAR SIZE_MAX

/* ASCII case folding: Redis runs with LC_CTYPE "C", where tolower() changes only 'A'..'Z'. */
static inline unsigned char
fold(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

/*
 * tolower() as glibc computes it in the C locale for a plain char, which is signed here: Redis
 * folds the ends of a nocase range after ordering them as signed values, and glibc maps -128..-2
 * to 128..254 (and -1, EOF, to itself). The result is a strange range, and it is Redis' range.
 */
static inline int
fold_signed(int v)
{
	if (v >= 'A' && v <= 'Z')
		return v + ('a' - 'A');
	if (v < -1)
		return v + 256;
	return v;
}

static inline bool
is_letter(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
byte_eq(unsigned char a, unsigned char b, bool nocase)
{
	return a == b || (nocase && fold(a) == fold(b));
}

static bool
bytes_eq(const char *a, const char *b, size_t n, bool nocase)
{
	size_t i;

	if (n == 0)
		return true;
	if (!nocase)
		return memcmp(a, b, n) == 0;
	for (i = 0; i < n; i++)
		if (fold((unsigned char)a[i]) != fold((unsigned char)b[i]))
			return false;
	return true;
}

/*
 * Matches the bracket expression whose '[' is at p[*pi] against the byte c, and moves *pi past
 * the expression. The expression's extent does not depend on c. Redis' rules: a leading '^'
 * negates; '\' takes the next byte literally and exactly (even with nocase) unless it is the
 * last byte of the pattern; "x-y" is a range when both ends exist, in either order, compared as
 * signed chars; ']' ends the set; with no ']' the set runs to the end of the pattern.
 */
static bool
class_match(const char *p, size_t plen, size_t *pi, unsigned char c, bool nocase)
{
	size_t i = *pi + 1;
	bool neg = false, hit = false;

	if (i < plen && p[i] == '^') {
		neg = true;
		i++;
	}
	for (;;) {
		if (i + 1 < plen && p[i] == '\\') {
			i++;
			if ((unsigned char)p[i] == c)
				hit = true;
		} else if (i < plen && p[i] == ']') {
			break;
		} else if (i >= plen) {
			i--;
			break;
		} else if (i + 2 < plen && p[i + 1] == '-') {
			int lo = (signed char)p[i], hi = (signed char)p[i + 2];
			int x = (signed char)c;

			if (lo > hi) {
				int t = lo;

				lo = hi;
				hi = t;
			}
			if (nocase) {
				lo = fold_signed(lo);
				hi = fold_signed(hi);
				x = fold_signed(x);
			}
			if (x >= lo && x <= hi)
				hit = true;
			i += 2;
		} else if (byte_eq((unsigned char)p[i], c, nocase)) {
			hit = true;
		}
		i++;
	}
	*pi = i + 1;
	return hit != neg;
}

/*
 * If the pattern token at p[pi] is a literal byte that can be searched for with memchr (it is
 * not special, and with nocase not a letter), returns it; otherwise -1.
 */
static int
search_byte(const char *p, size_t plen, size_t pi, bool nocase)
{
	unsigned char c = (unsigned char)p[pi];

	switch (c) {
	case '*':
	case '?':
	case '[':
		return -1;
	case '\\':
		if (pi + 1 < plen)
			c = (unsigned char)p[pi + 1];
		break;
	}
	if (nocase && is_letter(c))
		return -1;
	return c;
}

/*
 * The general matcher: does s[si..slen) match p[pi..plen), when the bytes before were matched by
 * literal tokens (no '*' passed yet)? A position reached by consuming the last byte of s has
 * si == slen > 0; then, as in Redis, only trailing stars may remain.
 *
 * State: the token at pi and the byte at si, plus the backtrack point of the last '*' passed:
 * star_p, where the rest after it starts, and star_s, where the current attempt placed that rest.
 * A failed attempt moves the rest one byte later (straight to the next occurrence of its first
 * byte when that is a plain literal); running off the end of s fails the match.
 */
static bool
match_from(const char *p, size_t plen, size_t pi, const char *s, size_t slen, size_t si,
    bool nocase)
{
	size_t star_p = NO_STAR, star_s = 0;
	unsigned stars = 0;
	int lit = -1;

	if (si == slen) {
		if (si > 0)
			while (pi < plen && p[pi] == '*')
				pi++;
		return pi == plen;
	}
	for (;;) {
		unsigned char c;

		if (pi == plen)
			goto fail;
		c = (unsigned char)p[pi];
		switch (c) {
		case '*':
			while (pi + 1 < plen && p[pi + 1] == '*')
				pi++;
			if (pi + 1 == plen)
				return true;
			if (++stars > GLOB_MAX_NESTING)
				return false;
			star_p = ++pi;
			star_s = si;
			lit = search_byte(p, plen, pi, nocase);
			if (lit >= 0) {
				const char *at = memchr(s + si, lit, slen - si);

				if (at == NULL)
					return false;
				star_s = si = (size_t)(at - s);
			}
			continue;
		case '?':
			pi++;
			break;
		case '[':
			if (!class_match(p, plen, &pi, (unsigned char)s[si], nocase))
				goto fail;
			break;
		case '\\':
			if (pi + 1 < plen)
				c = (unsigned char)p[++pi];
			/* FALLTHROUGH */
		default:
			if (!byte_eq(c, (unsigned char)s[si], nocase))
				goto fail;
			pi++;
			break;
		}
		if (++si < slen)
			continue;
		while (pi < plen && p[pi] == '*')
			pi++;
		if (pi == plen)
			return true;
fail:
		if (star_p == NO_STAR || ++star_s >= slen)
			return false;
		if (lit >= 0) {
			const char *at = memchr(s + star_s, lit, slen - star_s);

			if (at == NULL)
				return false;
			star_s = (size_t)(at - s);
		}
		pi = star_p;
		si = star_s;
	}
}

int
glob_match_raw(const char *pat, size_t plen, const char *s, size_t slen, bool nocase)
{
	return match_from(pat, plen, 0, s, slen, 0, nocase);
}

/* Writes the unescaped bytes of the literal tokens in p[from..to) to dst; returns their count. */
static size_t
unescape(const char *p, size_t from, size_t to, char *dst)
{
	size_t n = 0;

	while (from < to) {
		if (p[from] == '\\' && from + 1 < to)
			from++;
		dst[n++] = p[from++];
	}
	return n;
}

/* A run of literal tokens found by glob_compile(): pattern bytes [start, end), len unescaped. */
struct run {
	size_t start, end, len;
	bool escaped;
};

/*
 * Places a literal run in *out: a view of the pattern if it has no escapes, else a copy into
 * g->buf after the *used bytes already taken. Returns false, leaving *out alone, if the copy
 * does not fit.
 */
static bool
place(struct glob *g, const struct run *r, size_t *used, struct glob_span *out)
{
	if (!r->escaped) {
		*out = (struct glob_span){ r->start, r->len, false };
		return true;
	}
	if (r->len > GLOB_INLINE - *used)
		return false;
	*out = (struct glob_span){ *used, r->len, true };
	*used += unescape(g->pat, r->start, r->end, g->buf + *used);
	return true;
}

static const char *
span_ptr(const struct glob *g, const struct glob_span *sp)
{
	return sp->in_buf ? g->buf + sp->off : g->pat + sp->off;
}

static bool
has_letter(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_letter((unsigned char)s[i]))
			return true;
	return false;
}

/*
 * Tokenizes the pattern as the matcher does. A literal prefix or suffix is a necessary
 * condition for any match because every non-star token consumes exactly one byte; the count of
 * those tokens is the shortest possible match for the same reason.
 */
void
glob_compile(struct glob *g, const char *pat, size_t len, bool nocase)
{
	struct run lead = { 0, 0, 0, false }, tail = { 0, 0, 0, false };
	size_t pi = 0, used = 0, star_runs = 0, others = 0, tokens = 0;

	memset(g, 0, offsetof(struct glob, buf));
	g->pat = pat;
	g->plen = len;
	g->nocase = nocase;
	while (pi < len) {
		size_t start = pi;

		switch (pat[pi]) {
		case '*':
			while (pi < len && pat[pi] == '*')
				pi++;
			star_runs++;
			tail = (struct run){ pi, pi, 0, false };
			continue;
		case '?':
			pi++;
			break;
		case '[':
			class_match(pat, len, &pi, 0, false);
			break;
		case '\\':
			pi += pi + 1 < len ? 2 : 1;
			tokens++;
			tail.end = pi;
			tail.len++;
			tail.escaped |= pi - start == 2;
			continue;
		default:
			pi++;
			tokens++;
			tail.end = pi;
			tail.len++;
			continue;
		}
		/* '?' or a bracket expression */
		tokens++;
		others++;
		tail = (struct run){ pi, pi, 0, false };
	}
	g->min_len = tokens;

	/* The leading run: literal tokens up to the first special one. */
	pi = 0;
	while (pi < len && pat[pi] != '*' && pat[pi] != '?' && pat[pi] != '[') {
		if (pat[pi] == '\\' && pi + 1 < len) {
			lead.escaped = true;
			pi++;
		}
		pi++;
		lead.len++;
	}
	lead.end = pi;

	if (star_runs == 0 && others == 0) {
		g->strategy = GLOB_EXACT;
		if (place(g, &lead, &used, &g->prefix)) {
			g->exact_key = !nocase ||
			    !has_letter(span_ptr(g, &g->prefix), g->prefix.len);
			return;
		}
	} else if (star_runs == 1 && others == 0) {
		if (place(g, &lead, &used, &g->prefix) &&
		    place(g, &tail, &used, &g->suffix)) {
			if (lead.len == 0 && tail.len == 0)
				g->strategy = GLOB_ANY;
			else if (tail.len == 0)
				g->strategy = GLOB_PREFIX;
			else if (lead.len == 0)
				g->strategy = GLOB_SUFFIX;
			else
				g->strategy = GLOB_PREFIX_SUFFIX;
			return;
		}
	}

	/* General: keep what fits of the prefix and suffix as filters. */
	g->strategy = GLOB_GENERAL;
	g->exact_key = false;
	g->prefix = g->suffix = (struct glob_span){ 0, 0, false };
	used = 0;
	if (place(g, &lead, &used, &g->prefix))
		g->rest = lead.end;
	place(g, &tail, &used, &g->suffix);
}

bool
glob_match(const struct glob *g, const char *s, size_t len)
{
	size_t npre = g->prefix.len, nsuf = g->suffix.len;

	switch (g->strategy) {
	case GLOB_EXACT:
		return len == npre && bytes_eq(span_ptr(g, &g->prefix), s, len, g->nocase);
	case GLOB_ANY:
	case GLOB_PREFIX:
	case GLOB_SUFFIX:
	case GLOB_PREFIX_SUFFIX:
		/* The star takes any run, but the empty string matches only the empty pattern. */
		return len > 0 && len >= npre + nsuf &&
		    bytes_eq(span_ptr(g, &g->prefix), s, npre, g->nocase) &&
		    bytes_eq(span_ptr(g, &g->suffix), s + len - nsuf, nsuf, g->nocase);
	case GLOB_GENERAL:
		break;
	}
	if (len < g->min_len ||
	    !bytes_eq(span_ptr(g, &g->prefix), s, npre, g->nocase) ||
	    !bytes_eq(span_ptr(g, &g->suffix), s + len - nsuf, nsuf, g->nocase))
		return false;
	return match_from(g->pat, g->plen, g->rest, s, len, npre, g->nocase);
}

bool
glob_is_exact(const struct glob *g, const char **key, size_t *keylen)
{
	if (!g->exact_key)
		return false;
	*key = span_ptr(g, &g->prefix);
	*keylen = g->prefix.len;
	return true;
}

bool
glob_is_match_all(const struct glob *g)
{
	return g->plen == 1 && g->pat[0] == '*';
}

const char *
glob_prefix(const struct glob *g, size_t *len)
{
	*len = g->prefix.len;
	return span_ptr(g, &g->prefix);
}

enum glob_strategy
glob_strategy(const struct glob *g)
{
	return g->strategy;
}
