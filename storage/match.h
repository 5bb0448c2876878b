/*
 * match: glob-style pattern matching, with the results of Redis' stringmatchlen (util.c, as
 * shipped in 7.0.15 with the CVE-2024-31228 fix) for every pattern and string.
 *
 * KEYS, SCAN MATCH and the HSCAN/SSCAN/ZSCAN family compile their pattern once per call with
 * glob_compile(), ask the shape queries (an exact key is one lookup, "*" needs no matching), then
 * call glob_match() on each candidate. The compiled form picks a strategy from the pattern's
 * shape: an exact literal, literal prefix and/or suffix around one star, or the general matcher.
 * Nothing allocates, at compile or at match time, and no strategy recurses.
 *
 * The syntax is Redis': '*' any run of bytes, '?' one byte, "[abc]" "[^abc]" "[a-z]" one byte of
 * a set, '\' escapes the next byte outside and inside brackets. Malformed patterns behave as in
 * Redis: an unterminated '[' takes the rest of the pattern as its set, a trailing '\' is a literal
 * backslash, a reversed range [z-a] is the range [a-z]. With nocase, ASCII letters match either
 * case, except an escaped byte inside brackets (Redis compares those exactly). Two Redis rules
 * that pure glob semantics lack are kept on purpose:
 *  - The empty string matches only the empty pattern: "*" does not match "" (Redis' KEYS and
 *    SCAN special-case the exact pattern "*" and skip matching: see glob_is_match_all()).
 *  - A match that has to pass more than GLOB_MAX_NESTING '*' runs fails, as Redis' recursion cap
 *    makes it fail.
 */
#ifndef REPLICANT_MATCH_H
#define REPLICANT_MATCH_H

#include <stdbool.h>
#include <stddef.h>

/* Redis' cap on nested '*' (stringmatchlen_impl's nesting): passing more runs means no match. */
#define GLOB_MAX_NESTING 1000
/* Unescaped literal bytes a compiled glob holds when its pattern has escapes in them. */
#define GLOB_INLINE 128

enum glob_strategy {
	GLOB_GENERAL,		/* the backtracking matcher, after the prefix and suffix checks */
	GLOB_EXACT,		/* "user:1000": compare with the unescaped literal */
	GLOB_ANY,		/* "*", "**": any non-empty string */
	GLOB_PREFIX,		/* "user:*": literal prefix */
	GLOB_SUFFIX,		/* "*:name": literal suffix */
	GLOB_PREFIX_SUFFIX,	/* "user:*:name": literal prefix and suffix around one star */
};

/* A literal run of the pattern, unescaped: in the pattern itself, or in glob.buf. */
struct glob_span {
	size_t off;
	size_t len;
	bool in_buf;
};

/*
 * A compiled pattern. Filled by glob_compile(); every field is private. It borrows the pattern
 * bytes, so they must stay valid and unchanged while the glob is used. It holds no pointer into
 * itself and may be copied.
 */
struct glob {
	const char *pat;
	size_t plen;
	enum glob_strategy strategy;
	bool nocase;
	bool exact_key;		/* GLOB_EXACT and exactly one string matches */
	struct glob_span prefix;	/* literal bytes every match starts with */
	struct glob_span suffix;	/* literal bytes every match ends with */
	size_t rest;		/* pattern offset after the prefix: where GLOB_GENERAL resumes */
	size_t min_len;		/* no string shorter than this matches */
	char buf[GLOB_INLINE];
};

/*
 * Compiles the len bytes at pat (binary safe, no terminator needed) into *g, with ASCII case
 * folding if nocase. Borrows pat for as long as g is used. Never fails and never allocates:
 * a pattern whose unescaped literals do not fit GLOB_INLINE falls back to the general strategy.
 */
void glob_compile(struct glob *g, const char *pat, size_t len, bool nocase);

/*
 * Returns whether the len bytes at s match g: exactly glob_match_raw() on g's pattern. Reads s
 * only; allocates nothing; time at worst proportional to len times the pattern's length.
 */
bool glob_match(const struct glob *g, const char *s, size_t len);

/*
 * Returns 1 if the slen bytes at s match the plen bytes at pat, 0 if not: Redis' stringmatchlen
 * with no compilation, same results. Allocates nothing and does not recurse.
 */
int glob_match_raw(const char *pat, size_t plen, const char *s, size_t slen, bool nocase);

/*
 * Returns true if exactly one string matches g (a pattern with no special bytes once unescaped,
 * and with no ASCII letter if nocase), and then sets *key and *keylen to it: KEYS can answer
 * with one lookup. The key is borrowed from g or its pattern: valid while both are.
 * Returns false, leaving *key and *keylen alone, otherwise.
 */
bool glob_is_exact(const struct glob *g, const char **key, size_t *keylen);

/*
 * Returns true if the pattern is exactly "*". Redis' KEYS and SCAN then skip matching and return
 * every key, the empty key too, whereas glob_match() follows stringmatchlen, for which "*" does
 * not match "". Callers implementing KEYS or SCAN test this first.
 */
bool glob_is_match_all(const struct glob *g);

/*
 * Returns the literal bytes (unescaped) every matching string starts with, compared ASCII
 * case-insensitively if g was compiled nocase, and sets *len (0 if there is none: then the
 * result must not be read). Borrowed from g or its pattern, like glob_is_exact's key.
 * For GLOB_EXACT this is the whole literal.
 */
const char *glob_prefix(const struct glob *g, size_t *len);

/* Returns the strategy glob_compile() chose (for tests and diagnostics). */
enum glob_strategy glob_strategy(const struct glob *g);

#endif
