/*
 * sort: the pieces of SORT that do not touch the keyspace: the BY/GET pattern rules, the
 * numeric reading of a weight, and the two orderings Redis 7.0.15 applies (a full sort that
 * keeps equal elements in input order, as glibc's qsort does for Redis, and Redis' own partial
 * quicksort, pqsort.c, for BY with LIMIT), so that even elements that compare equal come out
 * in Redis' order.
 *
 * Data flow: replica/commands/cmd_sort.c parses the command, loads the elements of the list,
 * set or sorted set into an array of struct sort_item, fills their weights by looking up the
 * keys sort_pattern_key names, orders the array with sort_items, and replies or stores.
 *
 * Nothing here allocates except sort_items' scratch array and sort_parse_score's copy of a
 * long text (both freed before returning).
 */
#ifndef REPLICANT_SORT_H
#define REPLICANT_SORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A BY or GET pattern, split as Redis' lookupKeyByPattern reads it: the pattern is read as a C
 * string (up to its first NUL) when looking for "#", '*' and "->", but the parts keep the bytes
 * past a NUL. The pointers borrow the pattern's bytes.
 */
struct sort_pattern {
	bool self;		/* "#": the element itself */
	bool none;		/* no '*': names no key (GET gives nil) */
	const char *pre;	/* the bytes before the first '*' */
	size_t prelen;
	const char *post;	/* the bytes after it, up to "->field" if any */
	size_t postlen;
	const char *field;	/* the hash field after the first "->" past the '*', or NULL */
	size_t fieldlen;
};

/* Splits the len bytes at s into *p (which borrows s). */
void sort_pattern_parse(struct sort_pattern *p, const char *s, size_t len);

/* True if a BY pattern has no '*' before its first NUL: SORT then does not sort. */
bool sort_pattern_is_constant(const char *s, size_t len);

/*
 * The key p names for element e/elen: pre + e + post, written into *buf (grown with xrealloc as
 * needed; *cap its size; *buf may be NULL with *cap 0 at first). Returns the key's length.
 * p must not be self or none.
 */
size_t sort_pattern_key(const struct sort_pattern *p, const char *e, size_t elen, char **buf,
    size_t *cap);

/*
 * Reads a weight as Redis 7.0 does (strtod over the text up to its first NUL): returns true
 * and sets *out if the whole text is a number that is not NaN and does not overflow or
 * underflow (ERANGE); "" is 0, leading blanks, hex and "inf" are accepted as strtod does.
 */
bool sort_parse_score(const char *s, size_t len, double *out);

/* One element being sorted. */
struct sort_item {
	const char *s;		/* the element's bytes */
	size_t len;
	double score;		/* numeric weight (0 when its BY key is missing) */
	const char *cmp;	/* ALPHA with BY: the weight's bytes, NULL when missing */
	size_t cmplen;
	bool is_int;		/* the element is an integer entry and score already holds it */
};

/* How sort_items compares (Redis' sortCompare). */
enum {
	SORT_DESC = 1 << 0,	/* reverse every comparison */
	SORT_ALPHA = 1 << 1,	/* compare bytes, not scores */
	SORT_BY = 1 << 2,	/* ALPHA compares the weights (cmp), missing ones first */
	/* ALPHA compares all bytes (STORE); else as C strings (strcoll in the C locale: up to
	 * the first NUL) */
	SORT_BINARY = 1 << 3,
};

/*
 * Returns <0, 0 or >0 as a sorts before, with or after b under flags: numeric by score, equal
 * scores by the elements' bytes; ALPHA by the elements or, with SORT_BY, the weights.
 */
int sort_compare(const struct sort_item *a, const struct sort_item *b, unsigned flags);

/*
 * Orders v[0..n). With partial false, a stable sort (equal items keep their order, as glibc's
 * merge-sorting qsort leaves them). With partial true, Redis' pqsort: the Bentley-McIlroy
 * quicksort that only sorts the parts overlapping positions first..last (signed; last may be
 * first - 1), with its exact swaps, so equal items land where Redis puts them.
 */
void sort_items(struct sort_item *v, size_t n, unsigned flags, bool partial, int64_t first,
    int64_t last);

#endif
