/*
 * t_zset.c: the zset type: the listpack encoding (member, score pairs in order), the skip list
 * encoding (skip list with rank spans + dict from member to node), the conversions between them,
 * and the operations behind the zset commands (replica/commands/cmd_zset.c) and the RDB codec
 * (storage/rdb/rdb_zset.c). The order of both encodings is Redis': by score, then by member
 * bytes (memcmp, the shorter first on a tie).
 *
 * Start reading at tzset_add; the skip list is the zsl_* block, the listpack one the zlp_* block.
 *
 * A skip list node is a single allocation: the header below, then level forward pointers, then
 * level 32-bit spans, then the member bytes. The dict (storage/dict.h) stores the node itself as
 * its entry (its key is the member), so a member costs one allocation and one dict slot. Spans
 * are 32-bit: a zset holds fewer than 2^32 members.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/t_zset.h"

#define ZSL_MAXLEVEL	32
/* Redis' listpack safety limit (LISTPACK_MAX_SAFETY_SIZE): a listpack never passes 1 GiB. */
#define ZLP_MAX_SAFE	(1UL << 30)

struct zsl_node {
	double score;
	struct zsl_node *backward;
	uint32_t len;		/* member length */
	uint32_t level;
};

struct zskip {
	struct dict dict;		/* member -> node (the node is the entry) */
	struct zsl_node *header;	/* ZSL_MAXLEVEL levels, no member */
	struct zsl_node *tail;
	size_t length;
	int level;
	uint64_t rng;
};

static inline struct zsl_node **
zn_fwd(const struct zsl_node *n)
{
	return (struct zsl_node **)(uintptr_t)(n + 1);
}

static inline uint32_t *
zn_span(const struct zsl_node *n)
{
	return (uint32_t *)(zn_fwd(n) + n->level);
}

static inline char *
zn_mem(const struct zsl_node *n)
{
	return (char *)(zn_span(n) + n->level);
}

static const char *
zn_key(const void *e, size_t *len)
{
	const struct zsl_node *n = e;

	*len = n->len;
	return zn_mem(n);
}

static const struct dict_type zsl_dict_type = { zn_key };

/* memcmp order, the shorter first on a common prefix (Redis' sdscmp). */
static int
cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen;
	int c = n ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* ---- Scores as text ---- */

size_t
tzset_fmt_score(char *buf, double d)
{
	if (isnan(d))
		return (size_t)snprintf(buf, TZSET_SCORE_BUF, "nan");
	if (isinf(d))
		return (size_t)snprintf(buf, TZSET_SCORE_BUF, d < 0 ? "-inf" : "inf");
	if (d == 0)
		return (size_t)snprintf(buf, TZSET_SCORE_BUF, signbit(d) ? "-0" : "0");
	/* Redis' double2ll: an integral value within +-LLONG_MAX/2 is printed as an integer. */
	if (d >= -(double)(INT64_MAX / 2) && d <= (double)(INT64_MAX / 2) &&
	    d == (double)(int64_t)d)
		return num_fmt_i64(buf, (int64_t)d);
	return num_fmt_g17(buf, d);
}

/*
 * Clinger's fast path: a plain decimal of at most 15 digits is an exact integer mantissa over an
 * exact power of ten, so one IEEE division rounds it exactly as strtod does. Returns false for
 * anything else (exponents, long mantissas, "inf"...), which strtod handles.
 */
static bool
parse_simple_decimal(const char *s, size_t len, double *out)
{
	static const double pow10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	    1e11, 1e12, 1e13, 1e14, 1e15 };
	const char *end = s + len;
	bool neg = false, dot = false;
	int digits = 0, frac = 0;
	uint64_t m = 0;

	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 15)
				return false;
			m = m * 10 + (uint64_t)(*s - '0');
			frac += dot;
		} else if (*s == '.' && !dot) {
			dot = true;
		} else {
			return false;
		}
	}
	if (digits == 0)
		return false;
	*out = (double)m / pow10[frac];
	if (neg)
		*out = -*out;
	return true;
}

double
tzset_parse_lp_score(const char *s, size_t len)
{
	char buf[128];
	double d;

	if (len < sizeof buf && parse_simple_decimal(s, len, &d))
		return d;

	if (len > sizeof buf - 1)
		len = sizeof buf - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return strtod(buf, NULL);
}

/* ---- Listpack encoding: member, score, member, score... ---- */

static double
zlp_score(const unsigned char *sptr)
{
	int64_t v;
	size_t len;
	const unsigned char *s = lp_get(sptr, &len, &v);

	if (s == NULL)
		return (double)v;
	return tzset_parse_lp_score((const char *)s, len);
}

static const char *
zlp_member(const unsigned char *eptr, size_t *len, char *buf)
{
	return (const char *)lp_get_str(eptr, len, buf);
}

static int
zlp_cmp(const unsigned char *eptr, const char *m, size_t len)
{
	char buf[LP_INTBUF];
	size_t elen;
	const char *e = zlp_member(eptr, &elen, buf);

	return cmp_bytes(e, elen, m, len);
}

static bool
zlp_safe_to_add(const unsigned char *lp, size_t add)
{
	size_t have = lp ? lp_bytes(lp) : 0;

	return have + add <= ZLP_MAX_SAFE;
}

static unsigned char *
zlp_find(const unsigned char *lp, const char *m, size_t len, double *score)
{
	unsigned char *eptr = lp_find(lp, lp_first(lp), m, len, 1);

	if (eptr != NULL && score != NULL)
		*score = zlp_score(lp_next(lp, eptr));
	return eptr;
}

/* Inserts m with score before member entry eptr, or at the end when eptr is NULL. */
static unsigned char *
zlp_insert_at(unsigned char *lp, unsigned char *eptr, const char *m, size_t len, double score)
{
	char sbuf[TZSET_SCORE_BUF];
	size_t slen;
	unsigned char *newp;

	/* Redis' zzlInsertAt tries double2ll first, so -0 is written as the integer 0. */
	if (score >= -(double)(INT64_MAX / 2) && score <= (double)(INT64_MAX / 2) &&
	    score == (double)(int64_t)score)
		slen = num_fmt_i64(sbuf, (int64_t)score);
	else
		slen = tzset_fmt_score(sbuf, score);

	if (eptr == NULL) {
		lp = lp_append(lp, m, len);
		return lp_append(lp, sbuf, slen);
	}
	lp = lp_insert(lp, eptr, m, len, LP_BEFORE, &newp);
	return lp_insert(lp, newp, sbuf, slen, LP_AFTER, NULL);
}

static unsigned char *
zlp_insert(unsigned char *lp, const char *m, size_t len, double score)
{
	unsigned char *eptr = lp_first(lp);

	while (eptr != NULL) {
		unsigned char *sptr = lp_next(lp, eptr);
		double s;

		if (sptr == NULL)
			break;
		s = zlp_score(sptr);
		if (s > score || (s == score && zlp_cmp(eptr, m, len) > 0))
			break;
		eptr = lp_next(lp, sptr);
	}
	return zlp_insert_at(lp, eptr, m, len, score);
}

/* Redis' zzlIsInRange: can r hold anything, judging by the range and the two ends? */
static bool
zlp_range_possible(const unsigned char *lp, const struct tzset_range *r)
{
	unsigned char *p;

	if (r->min > r->max || (r->min == r->max && (r->minex || r->maxex)))
		return false;
	if ((p = lp_last(lp)) == NULL || !tzset_gte_min(zlp_score(p), r))
		return false;
	p = lp_seek(lp, 1);
	return p != NULL && tzset_lte_max(zlp_score(p), r);
}

static unsigned char *
zlp_first_in_range(const unsigned char *lp, const struct tzset_range *r)
{
	unsigned char *eptr = lp_first(lp);

	if (!zlp_range_possible(lp, r))
		return NULL;

	while (eptr != NULL) {
		unsigned char *sptr = lp_next(lp, eptr);
		double s;

		if (sptr == NULL)
			return NULL;
		s = zlp_score(sptr);
		if (tzset_gte_min(s, r))
			return tzset_lte_max(s, r) ? eptr : NULL;
		eptr = lp_next(lp, sptr);
	}
	return NULL;
}

static unsigned char *
zlp_last_in_range(const unsigned char *lp, const struct tzset_range *r)
{
	unsigned char *sptr = lp_last(lp);

	if (!zlp_range_possible(lp, r))
		return NULL;

	while (sptr != NULL) {
		unsigned char *eptr = lp_prev(lp, sptr);
		double s;

		if (eptr == NULL)
			return NULL;
		s = zlp_score(sptr);
		if (tzset_lte_max(s, r))
			return tzset_gte_min(s, r) ? eptr : NULL;
		sptr = lp_prev(lp, eptr);
	}
	return NULL;
}

static bool
zlp_lex_gte_min(const unsigned char *eptr, const struct tzset_lexrange *r)
{
	char buf[LP_INTBUF];
	size_t len;
	const char *m = zlp_member(eptr, &len, buf);

	return tzset_lex_gte_min(m, len, r);
}

static bool
zlp_lex_lte_max(const unsigned char *eptr, const struct tzset_lexrange *r)
{
	char buf[LP_INTBUF];
	size_t len;
	const char *m = zlp_member(eptr, &len, buf);

	return tzset_lex_lte_max(m, len, r);
}

/* Redis' zzlIsInLexRange: the range, the last member against min, the first against max. */
static bool
zlp_lex_possible(const unsigned char *lp, const struct tzset_lexrange *r)
{
	unsigned char *p;

	if (tzset_lex_empty(r))
		return false;
	if ((p = lp_seek(lp, -2)) == NULL || !zlp_lex_gte_min(p, r))
		return false;
	p = lp_first(lp);
	return p != NULL && zlp_lex_lte_max(p, r);
}

static unsigned char *
zlp_first_in_lex(const unsigned char *lp, const struct tzset_lexrange *r)
{
	unsigned char *eptr = lp_first(lp);

	if (!zlp_lex_possible(lp, r))
		return NULL;
	while (eptr != NULL) {
		unsigned char *sptr = lp_next(lp, eptr);

		if (zlp_lex_gte_min(eptr, r))
			return zlp_lex_lte_max(eptr, r) ? eptr : NULL;
		if (sptr == NULL)
			return NULL;
		eptr = lp_next(lp, sptr);
	}
	return NULL;
}

static unsigned char *
zlp_last_in_lex(const unsigned char *lp, const struct tzset_lexrange *r)
{
	unsigned char *sptr = lp_last(lp);

	if (!zlp_lex_possible(lp, r))
		return NULL;
	while (sptr != NULL) {
		unsigned char *eptr = lp_prev(lp, sptr);

		if (eptr == NULL)
			return NULL;
		if (zlp_lex_lte_max(eptr, r))
			return zlp_lex_gte_min(eptr, r) ? eptr : NULL;
		sptr = lp_prev(lp, eptr);
	}
	return NULL;
}

/* ---- Skip list encoding ---- */

static struct zsl_node *
zn_new(int level, double score, const char *m, size_t len)
{
	struct zsl_node *n = xmalloc(sizeof *n + (size_t)level * (sizeof(void *) + 4) + len);

	n->score = score;
	n->backward = NULL;
	n->len = (uint32_t)len;
	n->level = (uint32_t)level;
	memset(zn_fwd(n), 0, (size_t)level * sizeof(void *));
	memset(zn_span(n), 0, (size_t)level * 4);
	if (len)
		memcpy(zn_mem(n), m, len);
	return n;
}

static struct zskip *
zsl_new(void)
{
	struct zskip *zs = xmalloc(sizeof *zs);

	dict_init(&zs->dict, &zsl_dict_type, (uint64_t)(uintptr_t)zs * 0x9E3779B97F4A7C15ULL);
	zs->header = zn_new(ZSL_MAXLEVEL, 0, NULL, 0);
	zs->tail = NULL;
	zs->length = 0;
	zs->level = 1;
	zs->rng = ((uint64_t)(uintptr_t)zs ^ 0x2545F4914F6CDD1DULL) | 1;
	return zs;
}

static void
zsl_free(struct zskip *zs)
{
	struct zsl_node *n, *next;

	if (zs == NULL)
		return;
	dict_release(&zs->dict, NULL, NULL);
	for (n = zn_fwd(zs->header)[0]; n != NULL; n = next) {
		next = zn_fwd(n)[0];
		xfree(n);
	}
	xfree(zs->header);
	xfree(zs);
}

/* Redis' zslRandomLevel: each level up with probability 1/4. */
static int
zsl_random_level(struct zskip *zs)
{
	int level = 1;

	while (level < ZSL_MAXLEVEL && (dict_rand(&zs->rng) & 0xFFFF) < 0xFFFF / 4)
		level++;
	return level;
}

/* True if node n sorts before (score, m). */
static inline bool
zn_before(const struct zsl_node *n, double score, const char *m, size_t len)
{
	return n->score < score ||
	    (n->score == score && cmp_bytes(zn_mem(n), n->len, m, len) < 0);
}

/* Links node x (level already set) into its place. */
static void
zsl_link(struct zskip *zs, struct zsl_node *x)
{
	struct zsl_node *update[ZSL_MAXLEVEL], *p = zs->header;
	uint64_t rank[ZSL_MAXLEVEL];
	int i, level = (int)x->level;

	for (i = zs->level - 1; i >= 0; i--) {
		rank[i] = i == zs->level - 1 ? 0 : rank[i + 1];
		while (zn_fwd(p)[i] != NULL && zn_before(zn_fwd(p)[i], x->score, zn_mem(x), x->len)) {
			rank[i] += zn_span(p)[i];
			p = zn_fwd(p)[i];
		}
		update[i] = p;
	}
	if (level > zs->level) {
		for (i = zs->level; i < level; i++) {
			rank[i] = 0;
			update[i] = zs->header;
			zn_span(zs->header)[i] = (uint32_t)zs->length;
		}
		zs->level = level;
	}
	for (i = 0; i < level; i++) {
		zn_fwd(x)[i] = zn_fwd(update[i])[i];
		zn_fwd(update[i])[i] = x;
		zn_span(x)[i] = zn_span(update[i])[i] - (uint32_t)(rank[0] - rank[i]);
		zn_span(update[i])[i] = (uint32_t)(rank[0] - rank[i]) + 1;
	}
	for (i = level; i < zs->level; i++)
		zn_span(update[i])[i]++;
	x->backward = update[0] == zs->header ? NULL : update[0];
	if (zn_fwd(x)[0] != NULL)
		zn_fwd(x)[0]->backward = x;
	else
		zs->tail = x;
	zs->length++;
}

static void
zsl_unlink_at(struct zskip *zs, struct zsl_node *x, struct zsl_node **update)
{
	for (int i = 0; i < zs->level; i++) {
		if (zn_fwd(update[i])[i] == x) {
			zn_span(update[i])[i] += zn_span(x)[i] - 1;
			zn_fwd(update[i])[i] = zn_fwd(x)[i];
		} else {
			zn_span(update[i])[i] -= 1;
		}
	}
	if (zn_fwd(x)[0] != NULL)
		zn_fwd(x)[0]->backward = x->backward;
	else
		zs->tail = x->backward;
	while (zs->level > 1 && zn_fwd(zs->header)[zs->level - 1] == NULL)
		zs->level--;
	zs->length--;
}

/* Unlinks node x (which is in the list) from the skip list; the dict is left alone. */
static void
zsl_unlink(struct zskip *zs, struct zsl_node *x)
{
	struct zsl_node *update[ZSL_MAXLEVEL], *p = zs->header;

	for (int i = zs->level - 1; i >= 0; i--) {
		while (zn_fwd(p)[i] != NULL && zn_fwd(p)[i] != x &&
		    zn_before(zn_fwd(p)[i], x->score, zn_mem(x), x->len))
			p = zn_fwd(p)[i];
		update[i] = p;
	}
	assert(zn_fwd(update[0])[0] == x);
	zsl_unlink_at(zs, x, update);
}

/* Inserts a new member (absent from the dict) and returns its node. */
static struct zsl_node *
zsl_insert(struct zskip *zs, double score, const char *m, size_t len)
{
	struct zsl_node *x = zn_new(zsl_random_level(zs), score, m, len);

	zsl_link(zs, x);
	dict_add(&zs->dict, x);
	return x;
}

/* Removes node x from list and dict and frees it. */
static void
zsl_remove(struct zskip *zs, struct zsl_node *x, struct zsl_node **update)
{
	if (update != NULL)
		zsl_unlink_at(zs, x, update);
	else
		zsl_unlink(zs, x);
	dict_unlink(&zs->dict, zn_mem(x), x->len);
	xfree(x);
}

/* Moves node x to newscore, keeping the node (the dict entry) in place. */
static void
zsl_update_score(struct zskip *zs, struct zsl_node *x, double newscore)
{
	/* Still between its neighbours: the order does not change. */
	if ((x->backward == NULL || x->backward->score < newscore) &&
	    (zn_fwd(x)[0] == NULL || zn_fwd(x)[0]->score > newscore)) {
		x->score = newscore;
		return;
	}
	zsl_unlink(zs, x);
	x->score = newscore;
	zsl_link(zs, x);
}

/* 1-based rank of node x. */
static size_t
zsl_rank_of(const struct zskip *zs, const struct zsl_node *x)
{
	const struct zsl_node *p = zs->header;
	size_t rank = 0;

	for (int i = zs->level - 1; i >= 0; i--) {
		while (zn_fwd(p)[i] != NULL && (zn_fwd(p)[i] == x ||
		    zn_before(zn_fwd(p)[i], x->score, zn_mem(x), x->len))) {
			rank += zn_span(p)[i];
			p = zn_fwd(p)[i];
		}
		if (p == x)
			return rank;
	}
	assert(!"node not in its skip list");
	return 0;
}

/* Node at 1-based rank, or NULL. */
static struct zsl_node *
zsl_by_rank(const struct zskip *zs, size_t rank)
{
	struct zsl_node *p = zs->header;
	size_t traversed = 0;

	for (int i = zs->level - 1; i >= 0; i--) {
		while (zn_fwd(p)[i] != NULL && traversed + zn_span(p)[i] <= rank) {
			traversed += zn_span(p)[i];
			p = zn_fwd(p)[i];
		}
		if (traversed == rank)
			return p == zs->header ? NULL : p;
	}
	return NULL;
}

static bool
zsl_range_possible(const struct zskip *zs, const struct tzset_range *r)
{
	struct zsl_node *first;

	if (r->min > r->max || (r->min == r->max && (r->minex || r->maxex)))
		return false;
	if (zs->tail == NULL || !tzset_gte_min(zs->tail->score, r))
		return false;
	first = zn_fwd(zs->header)[0];
	return first != NULL && tzset_lte_max(first->score, r);
}

static struct zsl_node *
zsl_first_in_range(const struct zskip *zs, const struct tzset_range *r)
{
	struct zsl_node *p = zs->header, *x;

	if (!zsl_range_possible(zs, r))
		return NULL;
	for (int i = zs->level - 1; i >= 0; i--)
		while (zn_fwd(p)[i] != NULL && !tzset_gte_min(zn_fwd(p)[i]->score, r))
			p = zn_fwd(p)[i];
	x = zn_fwd(p)[0];
	return x != NULL && tzset_lte_max(x->score, r) ? x : NULL;
}

static struct zsl_node *
zsl_last_in_range(const struct zskip *zs, const struct tzset_range *r)
{
	struct zsl_node *p = zs->header;

	if (!zsl_range_possible(zs, r))
		return NULL;
	for (int i = zs->level - 1; i >= 0; i--)
		while (zn_fwd(p)[i] != NULL && tzset_lte_max(zn_fwd(p)[i]->score, r))
			p = zn_fwd(p)[i];
	return p != zs->header && tzset_gte_min(p->score, r) ? p : NULL;
}

static bool
zsl_lex_possible(const struct zskip *zs, const struct tzset_lexrange *r)
{
	struct zsl_node *first;

	if (tzset_lex_empty(r))
		return false;
	if (zs->tail == NULL || !tzset_lex_gte_min(zn_mem(zs->tail), zs->tail->len, r))
		return false;
	first = zn_fwd(zs->header)[0];
	return first != NULL && tzset_lex_lte_max(zn_mem(first), first->len, r);
}

static struct zsl_node *
zsl_first_in_lex(const struct zskip *zs, const struct tzset_lexrange *r)
{
	struct zsl_node *p = zs->header, *x;

	if (!zsl_lex_possible(zs, r))
		return NULL;
	for (int i = zs->level - 1; i >= 0; i--)
		while (zn_fwd(p)[i] != NULL &&
		    !tzset_lex_gte_min(zn_mem(zn_fwd(p)[i]), zn_fwd(p)[i]->len, r))
			p = zn_fwd(p)[i];
	x = zn_fwd(p)[0];
	return x != NULL && tzset_lex_lte_max(zn_mem(x), x->len, r) ? x : NULL;
}

static struct zsl_node *
zsl_last_in_lex(const struct zskip *zs, const struct tzset_lexrange *r)
{
	struct zsl_node *p = zs->header;

	if (!zsl_lex_possible(zs, r))
		return NULL;
	for (int i = zs->level - 1; i >= 0; i--)
		while (zn_fwd(p)[i] != NULL &&
		    tzset_lex_lte_max(zn_mem(zn_fwd(p)[i]), zn_fwd(p)[i]->len, r))
			p = zn_fwd(p)[i];
	return p != zs->header && tzset_lex_gte_min(zn_mem(p), p->len, r) ? p : NULL;
}

/* ---- Range bounds ---- */

bool
tzset_gte_min(double s, const struct tzset_range *r)
{
	return r->minex ? s > r->min : s >= r->min;
}

bool
tzset_lte_max(double s, const struct tzset_range *r)
{
	return r->maxex ? s < r->max : s <= r->max;
}

bool
tzset_lex_gte_min(const char *m, size_t len, const struct tzset_lexrange *r)
{
	int c;

	if (r->minkind == TZSET_LEX_MIN)
		return true;
	if (r->minkind == TZSET_LEX_MAX)
		return false;
	c = cmp_bytes(m, len, r->min, r->minlen);
	return r->minex ? c > 0 : c >= 0;
}

bool
tzset_lex_lte_max(const char *m, size_t len, const struct tzset_lexrange *r)
{
	int c;

	if (r->maxkind == TZSET_LEX_MAX)
		return true;
	if (r->maxkind == TZSET_LEX_MIN)
		return false;
	c = cmp_bytes(m, len, r->max, r->maxlen);
	return r->maxex ? c < 0 : c <= 0;
}

bool
tzset_lex_empty(const struct tzset_lexrange *r)
{
	int c;

	/* Redis' sdscmplex with its shared "-" and "+" objects. */
	if (r->minkind != TZSET_LEX_BYTES && r->minkind == r->maxkind)
		c = 0;
	else if (r->minkind == TZSET_LEX_MIN || r->maxkind == TZSET_LEX_MAX)
		c = -1;
	else if (r->minkind == TZSET_LEX_MAX || r->maxkind == TZSET_LEX_MIN)
		c = 1;
	else
		c = cmp_bytes(r->min, r->minlen, r->max, r->maxlen);
	return c > 0 || (c == 0 && (r->minex || r->maxex));
}

/* ---- The payload as a value ---- */

struct tzset
tzset_of(const struct obj *o)
{
	struct tzset z = { obj_encoding(o), obj_ptr(o) };

	return z;
}

void
tzset_put(struct obj *o, const struct tzset *z)
{
	if (obj_encoding(o) != z->enc)
		obj_set_payload(o, z->enc, z->p);
	else if (obj_ptr(o) != z->p)
		obj_set_ptr(o, z->p);
}

struct tzset
tzset_new(size_t size_hint, size_t maxlen)
{
	struct tzset z;

	if ((int64_t)size_hint <= obj_limits.zset_max_listpack_entries &&
	    (int64_t)maxlen <= obj_limits.zset_max_listpack_value) {
		z.enc = OBJ_ENC_LISTPACK;
		z.p = lp_new(0);
	} else {
		z.enc = OBJ_ENC_SKIPLIST;
		z.p = zsl_new();
		if (size_hint > 0)
			dict_expand(&((struct zskip *)z.p)->dict, size_hint);
	}
	return z;
}

void
tzset_convert(struct tzset *z, enum obj_encoding enc)
{
	if (z->enc == enc)
		return;
	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr, *sptr;
		struct zskip *zs = zsl_new();

		dict_expand(&zs->dict, lp_length(lp) / 2);
		for (eptr = lp_first(lp); eptr != NULL; eptr = lp_next(lp, sptr)) {
			char buf[LP_INTBUF];
			size_t len;
			const char *m = zlp_member(eptr, &len, buf);

			sptr = lp_next(lp, eptr);
			if (sptr == NULL)
				break;
			/* A duplicate can only come from an unchecked RDB blob: keep the first. */
			if (dict_find(&zs->dict, m, len) == NULL)
				zsl_insert(zs, zlp_score(sptr), m, len);
		}
		lp_free(lp);
		z->p = zs;
		z->enc = OBJ_ENC_SKIPLIST;
	} else {
		struct zskip *zs = z->p;
		unsigned char *lp = lp_new(0);

		for (struct zsl_node *n = zn_fwd(zs->header)[0]; n != NULL; n = zn_fwd(n)[0])
			lp = zlp_insert_at(lp, NULL, zn_mem(n), n->len, n->score);
		zsl_free(zs);
		z->p = lp;
		z->enc = OBJ_ENC_LISTPACK;
	}
}

void
tzset_shrink_if_needed(struct tzset *z, size_t maxlen, size_t totlen)
{
	if (z->enc == OBJ_ENC_LISTPACK)
		return;
	if ((int64_t)tzset_len(z) <= obj_limits.zset_max_listpack_entries &&
	    (int64_t)maxlen <= obj_limits.zset_max_listpack_value &&
	    zlp_safe_to_add(NULL, totlen))
		tzset_convert(z, OBJ_ENC_LISTPACK);
}

/* ---- Payload hooks ---- */

void
tzset_payload_free(enum obj_encoding enc, void *p)
{
	if (p == NULL)
		return;
	if (enc == OBJ_ENC_LISTPACK)
		lp_free(p);
	else
		zsl_free(p);
}

void *
tzset_payload_dup(enum obj_encoding enc, const void *p)
{
	const struct zskip *src = p;
	struct zskip *zs;

	if (enc == OBJ_ENC_LISTPACK)
		return lp_dup(p);
	zs = zsl_new();
	dict_expand(&zs->dict, src->length);
	/* From the tail: each insertion stops at the head. */
	for (struct zsl_node *n = src->tail; n != NULL; n = n->backward)
		zsl_insert(zs, n->score, zn_mem(n), n->len);
	return zs;
}

size_t
tzset_payload_mem(enum obj_encoding enc, const void *p)
{
	const struct zskip *zs = p;
	size_t n;

	if (p == NULL)
		return 0;
	if (enc == OBJ_ENC_LISTPACK)
		return xsize(p);
	n = xsize(zs) + xsize(zs->header) + dict_mem_usage(&zs->dict);
	for (struct zsl_node *x = zn_fwd(zs->header)[0]; x != NULL; x = zn_fwd(x)[0])
		n += xsize(x);
	return n;
}

/* ---- Reading ---- */

size_t
tzset_len(const struct tzset *z)
{
	if (z->enc == OBJ_ENC_LISTPACK)
		return lp_length(z->p) / 2;
	return ((const struct zskip *)z->p)->length;
}

bool
tzset_score(const struct tzset *z, const char *m, size_t len, double *score)
{
	struct zsl_node *n;

	if (z->enc == OBJ_ENC_LISTPACK)
		return zlp_find(z->p, m, len, score) != NULL;
	n = dict_find(&((struct zskip *)z->p)->dict, m, len);
	if (n == NULL)
		return false;
	*score = n->score;
	return true;
}

bool
tzset_rank(const struct tzset *z, const char *m, size_t len, bool rev, size_t *rank,
    double *score)
{
	size_t n = tzset_len(z), r;

	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = lp_first(lp);

		for (r = 0; eptr != NULL; r++) {
			unsigned char *sptr = lp_next(lp, eptr);

			if (sptr == NULL)
				return false;
			if (lp_eq(eptr, m, len)) {
				if (score != NULL)
					*score = zlp_score(sptr);
				*rank = rev ? n - r - 1 : r;
				return true;
			}
			eptr = lp_next(lp, sptr);
		}
		return false;
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *x = dict_find(&zs->dict, m, len);

		if (x == NULL)
			return false;
		r = zsl_rank_of(zs, x);
		*rank = rev ? n - r : r - 1;
		if (score != NULL)
			*score = x->score;
		return true;
	}
}

size_t
tzset_count_score(const struct tzset *z, const struct tzset_range *r)
{
	size_t count = 0;

	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = zlp_first_in_range(lp, r);

		while (eptr != NULL) {
			unsigned char *sptr = lp_next(lp, eptr);

			if (sptr == NULL || !tzset_lte_max(zlp_score(sptr), r))
				break;
			count++;
			eptr = lp_next(lp, sptr);
		}
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *first = zsl_first_in_range(zs, r), *last;

		if (first != NULL) {
			last = zsl_last_in_range(zs, r);
			count = zsl_rank_of(zs, last) - zsl_rank_of(zs, first) + 1;
		}
	}
	return count;
}

size_t
tzset_count_lex(const struct tzset *z, const struct tzset_lexrange *r)
{
	size_t count = 0;

	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = zlp_first_in_lex(lp, r);

		while (eptr != NULL && zlp_lex_lte_max(eptr, r)) {
			unsigned char *sptr = lp_next(lp, eptr);

			count++;
			eptr = sptr != NULL ? lp_next(lp, sptr) : NULL;
		}
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *first = zsl_first_in_lex(zs, r), *last;

		if (first != NULL) {
			last = zsl_last_in_lex(zs, r);
			count = zsl_rank_of(zs, last) - zsl_rank_of(zs, first) + 1;
		}
	}
	return count;
}

/* ---- Iteration ---- */

static void
iter_init(struct tzset_iter *it, const struct tzset *z, bool rev)
{
	it->z = z;
	it->rev = rev;
	it->eptr = NULL;
	it->node = NULL;
}

void
tzset_iter_rank(struct tzset_iter *it, const struct tzset *z, size_t rank, bool rev)
{
	size_t n = tzset_len(z);

	iter_init(it, z, rev);
	if (rank >= n)
		return;
	if (z->enc == OBJ_ENC_LISTPACK) {
		long idx = rev ? -2 - 2 * (long)rank : 2 * (long)rank;

		it->eptr = lp_seek(z->p, idx);
	} else {
		struct zskip *zs = z->p;

		if (rank == 0)
			it->node = rev ? zs->tail : zn_fwd(zs->header)[0];
		else
			it->node = zsl_by_rank(zs, rev ? n - rank : rank + 1);
	}
}

void
tzset_iter_score(struct tzset_iter *it, const struct tzset *z, const struct tzset_range *r,
    bool rev)
{
	iter_init(it, z, rev);
	if (z->enc == OBJ_ENC_LISTPACK)
		it->eptr = rev ? zlp_last_in_range(z->p, r) : zlp_first_in_range(z->p, r);
	else
		it->node = rev ? zsl_last_in_range(z->p, r) : zsl_first_in_range(z->p, r);
}

void
tzset_iter_lex(struct tzset_iter *it, const struct tzset *z, const struct tzset_lexrange *r,
    bool rev)
{
	iter_init(it, z, rev);
	if (z->enc == OBJ_ENC_LISTPACK)
		it->eptr = rev ? zlp_last_in_lex(z->p, r) : zlp_first_in_lex(z->p, r);
	else
		it->node = rev ? zsl_last_in_lex(z->p, r) : zsl_first_in_lex(z->p, r);
}

static bool
iter_step(struct tzset_iter *it, const char **m, size_t *len, double *score)
{
	if (it->z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = it->z->p, *eptr = it->eptr, *sptr;

		if (eptr == NULL)
			return false;
		sptr = lp_next(lp, eptr);
		if (sptr == NULL) {
			it->eptr = NULL;
			return false;
		}
		if (m != NULL) {
			*m = zlp_member(eptr, len, it->buf);
			*score = zlp_score(sptr);
		}
		if (it->rev) {
			unsigned char *ps = lp_prev(lp, eptr);

			it->eptr = ps != NULL ? lp_prev(lp, ps) : NULL;
		} else {
			it->eptr = lp_next(lp, sptr);
		}
		return true;
	} else {
		struct zsl_node *x = it->node;

		if (x == NULL)
			return false;
		if (m != NULL) {
			*m = zn_mem(x);
			*len = x->len;
			*score = x->score;
		}
		it->node = it->rev ? x->backward : zn_fwd(x)[0];
		return true;
	}
}

bool
tzset_iter_next(struct tzset_iter *it, const char **m, size_t *len, double *score)
{
	return iter_step(it, m, len, score);
}

bool
tzset_iter_skip(struct tzset_iter *it)
{
	return iter_step(it, NULL, NULL, NULL);
}

const char *
tzset_lp_score_text(const struct tzset *z, size_t rank, char *buf, size_t *len)
{
	unsigned char *sptr = lp_seek(z->p, 2 * (long)rank + 1);

	assert(z->enc == OBJ_ENC_LISTPACK && sptr != NULL);
	return (const char *)lp_get_str(sptr, len, buf);
}

struct scan_ctx {
	tzset_scan_fn fn;
	void *arg;
};

static void
scan_one(void *e, void *arg)
{
	struct zsl_node *n = e;
	struct scan_ctx *sc = arg;

	sc->fn(zn_mem(n), n->len, n->score, sc->arg);
}

uint64_t
tzset_scan(const struct tzset *z, uint64_t cursor, tzset_scan_fn fn, void *arg)
{
	struct scan_ctx sc = { fn, arg };

	assert(z->enc == OBJ_ENC_SKIPLIST);
	return dict_scan(&((struct zskip *)z->p)->dict, cursor, scan_one, &sc);
}

void
tzset_at_rank(const struct tzset *z, size_t rank, const char **m, size_t *len, char buf[24],
    double *score)
{
	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *eptr = lp_seek(z->p, 2 * (long)rank);

		assert(eptr != NULL);
		*m = zlp_member(eptr, len, buf);
		*score = zlp_score(lp_next(z->p, eptr));
	} else {
		struct zsl_node *x = zsl_by_rank(z->p, rank + 1);

		assert(x != NULL);
		*m = zn_mem(x);
		*len = x->len;
		*score = x->score;
	}
}

/* ---- Writing ---- */

bool
tzset_add(struct tzset *z, double score, const char *m, size_t len, int flags, int *out,
    double *newscore)
{
	bool incr = flags & TZSET_ADD_INCR, nx = flags & TZSET_ADD_NX;
	bool xx = flags & TZSET_ADD_XX, gt = flags & TZSET_ADD_GT, lt = flags & TZSET_ADD_LT;
	double cur;

	*out = 0;
	if (isnan(score)) {
		*out = TZSET_OUT_NAN;
		return false;
	}
	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = zlp_find(lp, m, len, &cur);

		if (eptr != NULL) {
			if (nx) {
				*out = TZSET_OUT_NOP;
				return true;
			}
			if (incr) {
				score += cur;
				if (isnan(score)) {
					*out = TZSET_OUT_NAN;
					return false;
				}
			}
			if ((lt && score >= cur) || (gt && score <= cur)) {
				*out = TZSET_OUT_NOP;
				return true;
			}
			if (newscore != NULL)
				*newscore = score;
			if (score != cur) {
				/* m may point into lp (a member read from this very zset): copy it. */
				char stack[256], *copy = len <= sizeof stack ? stack : xmalloc(len);

				memcpy(copy, m, len);
				lp = lp_delete_range_p(lp, eptr, 2);
				z->p = zlp_insert(lp, copy, len, score);
				if (copy != stack)
					xfree(copy);
				*out = TZSET_OUT_UPDATED;
			}
			return true;
		}
		if (xx) {
			*out = TZSET_OUT_NOP;
			return true;
		}
		if ((int64_t)(lp_length(lp) / 2 + 1) > obj_limits.zset_max_listpack_entries ||
		    (int64_t)len > obj_limits.zset_max_listpack_value ||
		    !zlp_safe_to_add(lp, len)) {
			tzset_convert(z, OBJ_ENC_SKIPLIST);
		} else {
			z->p = zlp_insert(lp, m, len, score);
			if (newscore != NULL)
				*newscore = score;
			*out = TZSET_OUT_ADDED;
			return true;
		}
	}
	{
		struct zskip *zs = z->p;
		struct zsl_node *x = dict_find(&zs->dict, m, len);

		if (x != NULL) {
			if (nx) {
				*out = TZSET_OUT_NOP;
				return true;
			}
			cur = x->score;
			if (incr) {
				score += cur;
				if (isnan(score)) {
					*out = TZSET_OUT_NAN;
					return false;
				}
			}
			if ((lt && score >= cur) || (gt && score <= cur)) {
				*out = TZSET_OUT_NOP;
				return true;
			}
			if (newscore != NULL)
				*newscore = score;
			if (score != cur) {
				zsl_update_score(zs, x, score);
				*out = TZSET_OUT_UPDATED;
			}
			return true;
		}
		if (xx) {
			*out = TZSET_OUT_NOP;
			return true;
		}
		zsl_insert(zs, score, m, len);
		*out = TZSET_OUT_ADDED;
		if (newscore != NULL)
			*newscore = score;
		return true;
	}
}

bool
tzset_insert_new(struct tzset *z, double score, const char *m, size_t len)
{
	if (z->enc == OBJ_ENC_LISTPACK) {
		if (zlp_find(z->p, m, len, NULL) != NULL)
			return false;
		z->p = zlp_insert(z->p, m, len, score);
		return true;
	}
	if (dict_find(&((struct zskip *)z->p)->dict, m, len) != NULL)
		return false;
	zsl_insert(z->p, score, m, len);
	return true;
}

void
tzset_set_score(struct tzset *z, const char *m, size_t len, double score)
{
	if (z->enc == OBJ_ENC_LISTPACK) {
		bool had = tzset_del(z, m, len);

		assert(had);
		(void)had;
		z->p = zlp_insert(z->p, m, len, score);
	} else {
		struct zsl_node *x = dict_find(&((struct zskip *)z->p)->dict, m, len);

		assert(x != NULL);
		if (x->score == score)
			x->score = score;
		else
			zsl_update_score(z->p, x, score);
	}
}

bool
tzset_del(struct tzset *z, const char *m, size_t len)
{
	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *eptr = zlp_find(z->p, m, len, NULL);

		if (eptr == NULL)
			return false;
		z->p = lp_delete_range_p(z->p, eptr, 2);
		return true;
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *x = dict_find(&zs->dict, m, len);

		if (x == NULL)
			return false;
		zsl_remove(zs, x, NULL);
		return true;
	}
}

void
tzset_del_extreme(struct tzset *z, bool max)
{
	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *eptr = lp_seek(z->p, max ? -2 : 0);

		assert(eptr != NULL);
		z->p = lp_delete_range_p(z->p, eptr, 2);
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *x = max ? zs->tail : zn_fwd(zs->header)[0];

		assert(x != NULL);
		zsl_remove(zs, x, NULL);
	}
}

size_t
tzset_del_range_score(struct tzset *z, const struct tzset_range *r)
{
	size_t n = 0;

	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = zlp_first_in_range(lp, r), *p;
		size_t start;

		if (eptr == NULL)
			return 0;
		/* Count the run of members in range, then drop it in one move. */
		for (start = 0, p = lp_first(lp); p != eptr; start++)
			p = lp_next(lp, lp_next(lp, p));
		for (p = eptr; p != NULL; n++) {
			unsigned char *s = lp_next(lp, p);

			if (s == NULL || !tzset_lte_max(zlp_score(s), r))
				break;
			p = lp_next(lp, s);
		}
		z->p = lp_delete_range(lp, (long)(2 * start), 2 * n);
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *update[ZSL_MAXLEVEL], *p = zs->header, *x;

		for (int i = zs->level - 1; i >= 0; i--) {
			while (zn_fwd(p)[i] != NULL && !tzset_gte_min(zn_fwd(p)[i]->score, r))
				p = zn_fwd(p)[i];
			update[i] = p;
		}
		x = zn_fwd(p)[0];
		while (x != NULL && tzset_lte_max(x->score, r)) {
			struct zsl_node *next = zn_fwd(x)[0];

			zsl_remove(zs, x, update);
			n++;
			x = next;
		}
	}
	return n;
}

size_t
tzset_del_range_lex(struct tzset *z, const struct tzset_lexrange *r)
{
	size_t n = 0;

	if (z->enc == OBJ_ENC_LISTPACK) {
		unsigned char *lp = z->p, *eptr = zlp_first_in_lex(lp, r);
		size_t start, count = 0;
		unsigned char *p;

		if (eptr == NULL)
			return 0;
		/* Count the run of members in range, then drop it in one move. */
		for (start = 0, p = lp_first(lp); p != eptr; start++)
			p = lp_next(lp, lp_next(lp, p));
		for (p = eptr; p != NULL && zlp_lex_lte_max(p, r); count++) {
			unsigned char *s = lp_next(lp, p);

			p = s != NULL ? lp_next(lp, s) : NULL;
		}
		z->p = lp_delete_range(lp, (long)(2 * start), 2 * count);
		n = count;
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *update[ZSL_MAXLEVEL], *p = zs->header, *x;

		if (tzset_lex_empty(r))
			return 0;
		for (int i = zs->level - 1; i >= 0; i--) {
			while (zn_fwd(p)[i] != NULL &&
			    !tzset_lex_gte_min(zn_mem(zn_fwd(p)[i]), zn_fwd(p)[i]->len, r))
				p = zn_fwd(p)[i];
			update[i] = p;
		}
		x = zn_fwd(p)[0];
		while (x != NULL && tzset_lex_lte_max(zn_mem(x), x->len, r)) {
			struct zsl_node *next = zn_fwd(x)[0];

			zsl_remove(zs, x, update);
			n++;
			x = next;
		}
	}
	return n;
}

size_t
tzset_del_range_rank(struct tzset *z, size_t start, size_t end)
{
	size_t n = end - start + 1;

	if (z->enc == OBJ_ENC_LISTPACK) {
		z->p = lp_delete_range(z->p, (long)(2 * start), 2 * n);
	} else {
		struct zskip *zs = z->p;
		struct zsl_node *update[ZSL_MAXLEVEL], *p = zs->header, *x;
		size_t traversed = 0;

		/* 1-based ranks start + 1 .. end + 1, as Redis' zslDeleteRangeByRank. */
		for (int i = zs->level - 1; i >= 0; i--) {
			while (zn_fwd(p)[i] != NULL && traversed + zn_span(p)[i] < start + 1) {
				traversed += zn_span(p)[i];
				p = zn_fwd(p)[i];
			}
			update[i] = p;
		}
		traversed++;
		x = zn_fwd(p)[0];
		n = 0;
		while (x != NULL && traversed <= end + 1) {
			struct zsl_node *next = zn_fwd(x)[0];

			zsl_remove(zs, x, update);
			n++;
			traversed++;
			x = next;
		}
	}
	return n;
}
