/*
 * t_zset: the zset type (sorted sets): its two encodings, the operations the zset commands (and
 * geo, later) need, and the payload hooks that obj.c calls for every value of type OBJ_ZSET.
 *
 * Encodings, as Redis':
 *   OBJ_ENC_LISTPACK  one listpack of member, score, member, score... ordered by score, then by
 *                     member bytes; a score is written as Redis' d2string writes it (an integral
 *                     value as an integer entry, else "%.17g", "inf", "-inf", "-0").
 *   OBJ_ENC_SKIPLIST  a skip list ordered by (score, member) with rank spans, plus a dict from
 *                     member to node. A node is one allocation holding the score, the links and
 *                     the member bytes, and that node is itself the dict's entry.
 * A listpack becomes a skip list when it would pass zset-max-listpack-entries members or get a
 * member longer than zset-max-listpack-value bytes. A skip list goes back to a listpack only
 * where Redis 7.0 converts back: the results of the STORE commands and of the RDB loader
 * (tzset_shrink_if_needed).
 *
 * A payload being worked on is a struct tzset (encoding + pointer): operations that may convert
 * or reallocate it update both fields, and the caller writes them back into the key with
 * tzset_put. Member bytes handed out by the readers (tzset_iter_next, tzset_score...) are
 * borrowed: valid until the zset is next modified.
 */
#ifndef REPLICANT_T_ZSET_H
#define REPLICANT_T_ZSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tzset_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tzset_payload_free. */
void *tzset_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tzset_payload_mem(enum obj_encoding enc, const void *p);

/* A zset payload and its encoding (OBJ_ENC_LISTPACK or OBJ_ENC_SKIPLIST). */
struct tzset {
	enum obj_encoding enc;
	void *p;
};

/* A score interval; minex/maxex make a bound exclusive. */
struct tzset_range {
	double min, max;
	bool minex, maxex;
};

/* A bound of a lexicographic interval: "-" (below everything), "+" (above everything), or
 * bytes (borrowed for the range's use). */
enum tzset_lex_kind { TZSET_LEX_BYTES, TZSET_LEX_MIN, TZSET_LEX_MAX };
struct tzset_lexrange {
	enum tzset_lex_kind minkind, maxkind;
	const char *min, *max;
	size_t minlen, maxlen;
	bool minex, maxex;
};

/* ZADD's options (in) and what it did (out). */
enum {
	TZSET_ADD_INCR = 1 << 0,
	TZSET_ADD_NX = 1 << 1,
	TZSET_ADD_XX = 1 << 2,
	TZSET_ADD_GT = 1 << 3,
	TZSET_ADD_LT = 1 << 4,
};
enum {
	TZSET_OUT_NAN = 1 << 0,		/* the resulting score would be NaN: nothing changed */
	TZSET_OUT_ADDED = 1 << 1,
	TZSET_OUT_UPDATED = 1 << 2,
	TZSET_OUT_NOP = 1 << 3,		/* NX, XX, GT or LT stopped it */
};

/* Longest text tzset_fmt_score writes (with "%.17g": sign, 17 digits, point, exponent). */
#define TZSET_SCORE_BUF 32

/* ---- The payload as a value ---- */

/* Returns the payload of zset o (borrowed: write changes back with tzset_put). */
struct tzset tzset_of(const struct obj *o);
/* Stores z's encoding and payload into o after an operation that may have moved them. */
void tzset_put(struct obj *o, const struct tzset *z);
/*
 * Returns a new empty zset: a listpack, unless size_hint members or a member of maxlen bytes
 * already pass the thresholds (then a skip list), as Redis' ZADD and ZRANGESTORE pick. Free with
 * tzset_payload_free or hand to store_set_value.
 */
struct tzset tzset_new(size_t size_hint, size_t maxlen);
/*
 * Converts a skip list to a listpack, as Redis' zsetConvertToListpackIfNeeded, when it has at
 * most zset-max-listpack-entries members, maxlen (its longest member, computed by the caller)
 * is at most zset-max-listpack-value, and totlen (the sum of member lengths) fits a listpack.
 */
void tzset_shrink_if_needed(struct tzset *z, size_t maxlen, size_t totlen);
/* Converts z to enc (OBJ_ENC_LISTPACK or OBJ_ENC_SKIPLIST); nothing if it already is. */
void tzset_convert(struct tzset *z, enum obj_encoding enc);

/* ---- Reading ---- */

/* Returns the number of members. */
size_t tzset_len(const struct tzset *z);
/* True if m/len is a member, and sets *score. Allocates nothing. */
bool tzset_score(const struct tzset *z, const char *m, size_t len, double *score);
/*
 * True if m/len is a member, and sets *rank to its 0-based rank from the lowest (from the
 * highest when rev) and *score (may be NULL) to its score.
 */
bool tzset_rank(const struct tzset *z, const char *m, size_t len, bool rev, size_t *rank,
    double *score);
/* Number of members whose score is in r / whose member is in r (ZCOUNT, ZLEXCOUNT). */
size_t tzset_count_score(const struct tzset *z, const struct tzset_range *r);
size_t tzset_count_lex(const struct tzset *z, const struct tzset_lexrange *r);

/* Bound tests: is score s at least r's min / at most r's max (exclusivity included)? */
bool tzset_gte_min(double s, const struct tzset_range *r);
bool tzset_lte_max(double s, const struct tzset_range *r);
/* The same for member bytes against a lexicographic range. */
bool tzset_lex_gte_min(const char *m, size_t len, const struct tzset_lexrange *r);
bool tzset_lex_lte_max(const char *m, size_t len, const struct tzset_lexrange *r);
/* True if r can hold no member at all (min above max, or equal with an exclusive bound). */
bool tzset_lex_empty(const struct tzset_lexrange *r);

/*
 * A walk over a zset in order (ascending, or descending with rev). Embeddable, fields private.
 * Position it with one of the tzset_iter_* starters, then call tzset_iter_next until it returns
 * false. The zset must not change during the walk.
 */
struct tzset_iter {
	const struct tzset *z;
	bool rev;
	unsigned char *eptr;		/* listpack: the member entry */
	void *node;			/* skip list: the node */
	char buf[24];			/* an integer member of a listpack, printed */
};
/* Starts at 0-based rank from the walk's start (rank >= len gives an empty walk). */
void tzset_iter_rank(struct tzset_iter *it, const struct tzset *z, size_t rank, bool rev);
/* Starts at the first member in r (the last one when rev). The walk does not stop at r's far
 * bound: the caller tests each score (tzset_lte_max, or tzset_gte_min when rev). */
void tzset_iter_score(struct tzset_iter *it, const struct tzset *z, const struct tzset_range *r,
    bool rev);
/* As tzset_iter_score for a lexicographic range (tzset_lex_lte_max / tzset_lex_gte_min). */
void tzset_iter_lex(struct tzset_iter *it, const struct tzset *z, const struct tzset_lexrange *r,
    bool rev);
/*
 * Gives the current member (bytes borrowed until the zset changes or the iterator is reused)
 * and its score, and moves on. Returns false when the walk is over.
 */
bool tzset_iter_next(struct tzset_iter *it, const char **m, size_t *len, double *score);
/* Moves on without reading; false when the walk is over. */
bool tzset_iter_skip(struct tzset_iter *it);

/*
 * The listpack's own text of a member's score (ZSCAN on a listpack replies with it): for
 * listpack zsets only, at 0-based rank. Returns the bytes (in lp or in buf, of LP_INTBUF bytes).
 */
const char *tzset_lp_score_text(const struct tzset *z, size_t rank, char *buf, size_t *len);

/*
 * Calls fn for every member of a skip list zset in the dict slots the cursor names and returns
 * the next cursor (0: done), with dict_scan's guarantee (ZSCAN). Listpacks are not scanned this
 * way: they answer everything at once.
 */
typedef void (*tzset_scan_fn)(const char *m, size_t len, double score, void *arg);
uint64_t tzset_scan(const struct tzset *z, uint64_t cursor, tzset_scan_fn fn, void *arg);

/* Returns the member at 0-based rank (ascending) and its score: ZRANDMEMBER's picks. */
void tzset_at_rank(const struct tzset *z, size_t rank, const char **m, size_t *len,
    char buf[24], double *score);

/* ---- Writing ---- */

/*
 * ZADD / ZINCRBY on one member, as Redis' zsetAdd: flags are TZSET_ADD_*, *out gets
 * TZSET_OUT_*, *newscore (may be NULL) the member's score afterwards (with INCR, the sum).
 * Returns false (and changes nothing) if score or the incremented score is NaN. May convert a
 * listpack to a skip list. Copies m.
 */
bool tzset_add(struct tzset *z, double score, const char *m, size_t len, int flags, int *out,
    double *newscore);
/*
 * Sets the score of member m/len (which must be a member) to score, even when it compares equal
 * to the old one (-0 and 0): the set operations' accumulation. Never converts.
 */
void tzset_set_score(struct tzset *z, const char *m, size_t len, double score);
/* Removes m/len; returns true if it was a member. Never converts back. */
bool tzset_del(struct tzset *z, const char *m, size_t len);
/* Removes the lowest (max false) or highest member; z must not be empty. */
void tzset_del_extreme(struct tzset *z, bool max);
/* Remove the members in a score range / lex range / 0-based rank range [start, end] (end <
 * len); each returns how many it removed. */
size_t tzset_del_range_score(struct tzset *z, const struct tzset_range *r);
size_t tzset_del_range_lex(struct tzset *z, const struct tzset_lexrange *r);
size_t tzset_del_range_rank(struct tzset *z, size_t start, size_t end);

/*
 * Inserts m/len with score, which must not be NaN, into its place (the RDB loader, set
 * operations). Returns false if m is already a member (nothing changes). Never converts.
 */
bool tzset_insert_new(struct tzset *z, double score, const char *m, size_t len);

/*
 * Writes d as Redis' d2string does (the text a listpack holds for a score) into buf
 * (TZSET_SCORE_BUF bytes) and returns its length.
 */
size_t tzset_fmt_score(char *buf, double d);

/*
 * Reads the score text of a listpack entry as Redis' zzlStrtod does (strtod over at most 127
 * bytes, trailing junk ignored), with an exact fast path for plain decimals.
 */
double tzset_parse_lp_score(const char *s, size_t len);

#endif
