/*
 * check_zset: the zset type (storage/t_zset.c) and its RDB codec (storage/rdb/rdb_zset.c):
 * score text as Redis writes it, both encodings against a reference model (order by score then
 * member, ranks, ranges, removals), the conversions in both directions at the thresholds, and
 * the codec's round trip and its rejection of malformed input.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_zset.h"

/* ---- score text ---- */

static const struct {
	double d;
	const char *text;
} fmt_cases[] = {
	{ 0.0, "0" }, { -0.0, "-0" }, { 1, "1" }, { -1, "-1" }, { 1.5, "1.5" },
	{ 0.1, "0.10000000000000001" }, { 1e17, "100000000000000000" },
	{ 4611686018427387904.0, "4611686018427387904" }, { 1e19, "1e+19" },
	{ -1e19, "-1e+19" }, { 1e-5, "1.0000000000000001e-05" },
	{ 123456789012345678.0, "123456789012345680" },
};

START_TEST(test_fmt_score)
{
	char buf[TZSET_SCORE_BUF];
	size_t n;

	n = tzset_fmt_score(buf, fmt_cases[_i].d);
	buf[n] = '\0';
	ck_assert_str_eq(buf, fmt_cases[_i].text);
}
END_TEST

START_TEST(test_fmt_score_inf)
{
	char buf[TZSET_SCORE_BUF];
	size_t n;

	n = tzset_fmt_score(buf, INFINITY);
	ck_assert_int_eq((int)n, 3);
	ck_assert(memcmp(buf, "inf", 3) == 0);
	n = tzset_fmt_score(buf, -INFINITY);
	ck_assert_int_eq((int)n, 4);
	ck_assert(memcmp(buf, "-inf", 4) == 0);
}
END_TEST

/* The listpack's score reader (with its fast path) gives exactly what strtod gives. */
START_TEST(test_parse_lp_score)
{
	static const char *const fixed[] = { "1.5", "-0", "0.1", "0.30000000000000004", "123456.789",
	    "-2.5", "999999999999999", "9999999999999999", "1e5", "inf", "-inf", ".5", "5.",
	    "0.000000000000001", "12345678901234.5", "1.7976931348623157e+308", "abc", "" };
	char buf[64];

	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		double want = strtod(fixed[i], NULL), got;

		got = tzset_parse_lp_score(fixed[i], strlen(fixed[i]));
		ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "%s", fixed[i]);
	}
	srand(7);
	for (int i = 0; i < 200000; i++) {
		double want, got;
		int n;

		if (i % 2)
			n = snprintf(buf, sizeof buf, "%.17g", (double)rand() / (rand() + 1) *
			    (rand() % 2 ? 1 : -1));
		else
			n = snprintf(buf, sizeof buf, "%d.%0*d", rand() % 100000 - 50000, rand() % 9 + 1,
			    rand() % 100000);
		want = strtod(buf, NULL);
		got = tzset_parse_lp_score(buf, (size_t)n);
		ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "%s", buf);
	}
}
END_TEST

/* The listpack keeps -0 as the integer 0 (Redis tries double2ll first), 1.5 as text. */
START_TEST(test_listpack_score_text)
{
	struct tzset z = tzset_new(0, 0);
	char buf[LP_INTBUF];
	const char *s;
	size_t len;
	int out;

	tzset_add(&z, -0.0, "a", 1, 0, &out, NULL);
	tzset_add(&z, 1.5, "b", 1, 0, &out, NULL);
	tzset_add(&z, 1e18, "c", 1, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	s = tzset_lp_score_text(&z, 0, buf, &len);
	ck_assert(len == 1 && s[0] == '0');
	s = tzset_lp_score_text(&z, 1, buf, &len);
	ck_assert(len == 3 && memcmp(s, "1.5", 3) == 0);
	s = tzset_lp_score_text(&z, 2, buf, &len);
	ck_assert(len == 19 && memcmp(s, "1000000000000000000", 19) == 0);
	tzset_payload_free(z.enc, z.p);
}
END_TEST

/* ---- the model ---- */

struct mel {
	double score;
	char m[16];
	size_t len;
};

struct model {
	struct mel v[600];
	size_t n;
};

static int
mel_cmp(const void *a, const void *b)
{
	const struct mel *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	c = memcmp(x->m, y->m, n);
	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static long
model_find(const struct model *md, const char *m, size_t len)
{
	for (size_t i = 0; i < md->n; i++)
		if (md->v[i].len == len && memcmp(md->v[i].m, m, len) == 0)
			return (long)i;
	return -1;
}

static void
model_sort(struct model *md)
{
	qsort(md->v, md->n, sizeof md->v[0], mel_cmp);
}

/* Compares z with the model in full: order, scores, ranks both ways, both iteration directions. */
static void
check_against(const struct tzset *z, const struct model *md)
{
	struct tzset_iter it;
	const char *m;
	size_t len, i, rank;
	double score;

	ck_assert_uint_eq(tzset_len(z), md->n);
	tzset_iter_rank(&it, z, 0, false);
	for (i = 0; tzset_iter_next(&it, &m, &len, &score); i++) {
		ck_assert_uint_lt(i, md->n);
		ck_assert_uint_eq(len, md->v[i].len);
		ck_assert(memcmp(m, md->v[i].m, len) == 0);
		ck_assert(score == md->v[i].score);
	}
	ck_assert_uint_eq(i, md->n);
	tzset_iter_rank(&it, z, 0, true);
	for (i = 0; tzset_iter_next(&it, &m, &len, &score); i++)
		ck_assert(memcmp(m, md->v[md->n - 1 - i].m, len) == 0);
	ck_assert_uint_eq(i, md->n);
	for (i = 0; i < md->n; i++) {
		ck_assert(tzset_rank(z, md->v[i].m, md->v[i].len, false, &rank, &score));
		ck_assert_uint_eq(rank, i);
		ck_assert(score == md->v[i].score);
		ck_assert(tzset_rank(z, md->v[i].m, md->v[i].len, true, &rank, NULL));
		ck_assert_uint_eq(rank, md->n - 1 - i);
		ck_assert(tzset_score(z, md->v[i].m, md->v[i].len, &score));
		/* from the middle, by rank */
		tzset_iter_rank(&it, z, i, false);
		ck_assert(tzset_iter_next(&it, &m, &len, &score));
		ck_assert(memcmp(m, md->v[i].m, len) == 0);
	}
	ck_assert(!tzset_score(z, "nope", 4, &score));
}

static size_t
model_count(const struct model *md, const struct tzset_range *r)
{
	size_t c = 0;

	for (size_t i = 0; i < md->n; i++)
		c += tzset_gte_min(md->v[i].score, r) && tzset_lte_max(md->v[i].score, r);
	return c;
}

/* Random operations on a zset and the model; limits chooses the encodings met on the way. */
static void
run_model(int64_t max_entries, unsigned seed, int ops)
{
	struct tzset z;
	struct model *md = xcalloc(1, sizeof *md);
	int64_t saved = obj_limits.zset_max_listpack_entries;

	obj_limits.zset_max_listpack_entries = max_entries;
	z = tzset_new(0, 0);
	srand(seed);
	for (int op = 0; op < ops; op++) {
		char m[16];
		size_t len = (size_t)snprintf(m, sizeof m, "%d", rand() % 300);
		double score = (double)(rand() % 20) / 2;
		int kind = rand() % 10, out;
		long at = model_find(md, m, len);

		if (len > 2 && rand() % 3 == 0)
			m[0] = 'x';	/* some non-numeric members */
		at = model_find(md, m, len);
		if (kind < 5) {
			double ns;

			ck_assert(tzset_add(&z, score, m, len, kind == 4 ? TZSET_ADD_INCR : 0, &out,
			    &ns));
			if (at < 0) {
				ck_assert(out & TZSET_OUT_ADDED);
				md->v[md->n].score = score;
				memcpy(md->v[md->n].m, m, len);
				md->v[md->n].len = len;
				md->n++;
			} else {
				md->v[at].score = kind == 4 ? md->v[at].score + score : score;
				ck_assert(ns == md->v[at].score);
			}
		} else if (kind < 7) {
			ck_assert(tzset_del(&z, m, len) == (at >= 0));
			if (at >= 0)
				md->v[at] = md->v[--md->n];
		} else if (kind == 7 && md->n > 0) {
			struct tzset_range r = { (double)(rand() % 10), (double)(rand() % 10),
			    rand() % 2 == 0, rand() % 2 == 0 };
			size_t want = model_count(md, &r), k = 0;

			ck_assert_uint_eq(tzset_count_score(&z, &r), want);
			ck_assert_uint_eq(tzset_del_range_score(&z, &r), want);
			for (size_t i = 0; i < md->n; i++)
				if (!(tzset_gte_min(md->v[i].score, &r) &&
				    tzset_lte_max(md->v[i].score, &r)))
					md->v[k++] = md->v[i];
			md->n = k;
		} else if (kind == 8 && md->n > 2) {
			size_t start = (size_t)rand() % md->n, end = start + (size_t)rand() % 3;

			if (end >= md->n)
				end = md->n - 1;
			model_sort(md);
			ck_assert_uint_eq(tzset_del_range_rank(&z, start, end), end - start + 1);
			memmove(&md->v[start], &md->v[end + 1], (md->n - end - 1) * sizeof md->v[0]);
			md->n -= end - start + 1;
		} else if (md->n > 0) {
			bool max = rand() % 2;

			model_sort(md);
			tzset_del_extreme(&z, max);
			if (!max)
				memmove(&md->v[0], &md->v[1], (md->n - 1) * sizeof md->v[0]);
			md->n--;
		}
		model_sort(md);
		if (op % 50 == 0 || op == ops - 1)
			check_against(&z, md);
	}
	obj_limits.zset_max_listpack_entries = saved;
	tzset_payload_free(z.enc, z.p);
	xfree(md);
}

START_TEST(test_model_mixed)
{
	run_model(128, 1, 3000);
}
END_TEST

START_TEST(test_model_listpack_only)
{
	run_model(1000, 2, 3000);
}
END_TEST

START_TEST(test_model_skiplist_only)
{
	run_model(0, 3, 3000);
}
END_TEST

/* ---- ranges ---- */

static struct tzset
build(enum obj_encoding enc, const char *const *members, const double *scores, size_t n)
{
	struct tzset z = tzset_new(0, 0);

	for (size_t i = 0; i < n; i++)
		ck_assert(tzset_insert_new(&z, scores[i], members[i], strlen(members[i])));
	tzset_convert(&z, enc);
	return z;
}

static struct tzset_lexrange
lex(const char *min, const char *max)
{
	struct tzset_lexrange r = { 0 };

	r.minkind = min[0] == '-' ? TZSET_LEX_MIN : min[0] == '+' ? TZSET_LEX_MAX : TZSET_LEX_BYTES;
	r.maxkind = max[0] == '-' ? TZSET_LEX_MIN : max[0] == '+' ? TZSET_LEX_MAX : TZSET_LEX_BYTES;
	r.minex = min[0] != '[';
	r.maxex = max[0] != '[';
	r.min = min + 1;
	r.minlen = r.minkind == TZSET_LEX_BYTES ? strlen(min) - 1 : 0;
	r.max = max + 1;
	r.maxlen = r.maxkind == TZSET_LEX_BYTES ? strlen(max) - 1 : 0;
	return r;
}

static const struct {
	const char *min, *max;
	size_t count;
} lex_cases[] = {
	{ "-", "+", 6 }, { "[a", "[c", 4 }, { "(a", "[c", 3 }, { "(a", "(c", 2 },
	{ "[b", "[b", 1 }, { "(b", "[b", 0 }, { "[c", "[a", 0 }, { "+", "-", 0 },
	{ "-", "-", 0 }, { "+", "+", 0 }, { "[", "+", 6 }, { "(", "+", 6 }, { "-", "[aa", 1 },
	{ "[zz", "+", 0 }, { "-", "(a", 0 }, { "[ab", "(b", 1 },
};

START_TEST(test_lex_ranges)
{
	static const char *const members[] = { "a", "ab", "b", "c", "d", "e" };
	static const double scores[] = { 0, 0, 0, 0, 0, 0 };

	for (int e = 0; e < 2; e++) {
		struct tzset z = build(e ? OBJ_ENC_SKIPLIST : OBJ_ENC_LISTPACK, members, scores, 6);
		struct tzset_lexrange r = lex(lex_cases[_i].min, lex_cases[_i].max);
		struct tzset_iter it;
		const char *m;
		size_t len, n = 0;
		double s;

		ck_assert_uint_eq(tzset_count_lex(&z, &r), lex_cases[_i].count);
		tzset_iter_lex(&it, &z, &r, e == 1);
		while (tzset_iter_next(&it, &m, &len, &s) &&
		    (e == 1 ? tzset_lex_gte_min(m, len, &r) : tzset_lex_lte_max(m, len, &r)))
			n++;
		ck_assert_uint_eq(n, lex_cases[_i].count);
		ck_assert_uint_eq(tzset_del_range_lex(&z, &r), lex_cases[_i].count);
		ck_assert_uint_eq(tzset_len(&z), 6 - lex_cases[_i].count);
		tzset_payload_free(z.enc, z.p);
	}
}
END_TEST

static const struct {
	double min, max;
	bool minex, maxex;
	size_t count;
} score_cases[] = {
	{ -INFINITY, INFINITY, false, false, 6 }, { 1, 2, false, false, 3 },
	{ 1, 2, true, false, 1 }, { 1, 2, false, true, 2 }, { 2, 1, false, false, 0 },
	{ 1, 1, true, false, 0 }, { -INFINITY, -INFINITY, false, false, 1 },
	{ INFINITY, INFINITY, false, false, 1 }, { 5, 10, false, false, 0 },
	{ -INFINITY, 0, false, true, 1 },
};

START_TEST(test_score_ranges)
{
	static const char *const members[] = { "n", "a", "b", "c", "x", "p" };
	static const double scores[] = { -INFINITY, 1, 1, 2, 3, INFINITY };

	for (int e = 0; e < 2; e++) {
		struct tzset z = build(e ? OBJ_ENC_SKIPLIST : OBJ_ENC_LISTPACK, members, scores, 6);
		struct tzset_range r = { score_cases[_i].min, score_cases[_i].max,
		    score_cases[_i].minex, score_cases[_i].maxex };
		struct tzset_iter it;
		const char *m;
		size_t len, n = 0;
		double s;

		ck_assert_uint_eq(tzset_count_score(&z, &r), score_cases[_i].count);
		tzset_iter_score(&it, &z, &r, true);
		while (tzset_iter_next(&it, &m, &len, &s) && tzset_gte_min(s, &r))
			n++;
		ck_assert_uint_eq(n, score_cases[_i].count);
		ck_assert_uint_eq(tzset_del_range_score(&z, &r), score_cases[_i].count);
		tzset_payload_free(z.enc, z.p);
	}
}
END_TEST

/* Equal scores order by member bytes, the shorter first on a common prefix. */
START_TEST(test_equal_scores_order)
{
	static const char *const members[] = { "b", "a", "ab", "", "B" };
	static const double scores[] = { 1, 1, 1, 1, 1 };
	static const char *const want[] = { "", "B", "a", "ab", "b" };

	for (int e = 0; e < 2; e++) {
		struct tzset z = build(e ? OBJ_ENC_SKIPLIST : OBJ_ENC_LISTPACK, members, scores, 5);
		struct tzset_iter it;
		const char *m;
		size_t len, i = 0;
		double s;

		tzset_iter_rank(&it, &z, 0, false);
		while (tzset_iter_next(&it, &m, &len, &s)) {
			ck_assert_uint_eq(len, strlen(want[i]));
			ck_assert(memcmp(m, want[i], len) == 0);
			i++;
		}
		ck_assert_uint_eq(i, 5);
		tzset_payload_free(z.enc, z.p);
	}
}
END_TEST

/* ---- conversions ---- */

START_TEST(test_convert_entries)
{
	struct tzset z = tzset_new(1, 1);
	int out;

	for (int i = 0; i < 128; i++) {
		char m[16];
		int n = snprintf(m, sizeof m, "m%d", i);

		tzset_add(&z, i % 3, m, (size_t)n, 0, &out, NULL);
	}
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	tzset_add(&z, 0, "m0", 2, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	tzset_add(&z, 5, "new", 3, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_SKIPLIST);
	ck_assert_uint_eq(tzset_len(&z), 129);
	/* removals never convert back; store results do, under the limits */
	tzset_del(&z, "new", 3);
	ck_assert_int_eq(z.enc, OBJ_ENC_SKIPLIST);
	tzset_shrink_if_needed(&z, 4, 400);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(tzset_len(&z), 128);
	tzset_payload_free(z.enc, z.p);
}
END_TEST

START_TEST(test_convert_value)
{
	char big[65];
	struct tzset z = tzset_new(1, 1);
	int out;

	memset(big, 'x', sizeof big);
	tzset_add(&z, 1, big, 64, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	tzset_add(&z, 1, big, 65, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_SKIPLIST);
	/* a 65-byte member keeps a store result a skip list */
	tzset_shrink_if_needed(&z, 65, 129);
	ck_assert_int_eq(z.enc, OBJ_ENC_SKIPLIST);
	tzset_del(&z, big, 65);
	tzset_shrink_if_needed(&z, 64, 64);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	tzset_payload_free(z.enc, z.p);
	/* a new zset whose first member is long starts as a skip list (ZADD) */
	z = tzset_new(1, 65);
	ck_assert_int_eq(z.enc, OBJ_ENC_SKIPLIST);
	tzset_payload_free(z.enc, z.p);
}
END_TEST

START_TEST(test_add_flags)
{
	struct tzset z = tzset_new(0, 0);
	double ns;
	int out;

	ck_assert(tzset_add(&z, 5, "a", 1, 0, &out, &ns) && out == TZSET_OUT_ADDED);
	ck_assert(tzset_add(&z, 6, "a", 1, TZSET_ADD_NX, &out, &ns) && out == TZSET_OUT_NOP);
	ck_assert(tzset_add(&z, 4, "a", 1, TZSET_ADD_GT, &out, &ns) && out == TZSET_OUT_NOP);
	ck_assert(tzset_add(&z, 6, "a", 1, TZSET_ADD_GT, &out, &ns) && out == TZSET_OUT_UPDATED);
	ck_assert(tzset_add(&z, 7, "a", 1, TZSET_ADD_LT, &out, &ns) && out == TZSET_OUT_NOP);
	ck_assert(tzset_add(&z, 1, "b", 1, TZSET_ADD_XX, &out, &ns) && out == TZSET_OUT_NOP);
	ck_assert(tzset_add(&z, 6, "a", 1, 0, &out, &ns) && out == 0);
	ck_assert(tzset_add(&z, INFINITY, "a", 1, TZSET_ADD_INCR, &out, &ns) && ns == INFINITY);
	ck_assert(!tzset_add(&z, -INFINITY, "a", 1, TZSET_ADD_INCR, &out, &ns));
	ck_assert(out == TZSET_OUT_NAN);
	ck_assert(!tzset_add(&z, NAN, "c", 1, 0, &out, &ns));
	ck_assert_uint_eq(tzset_len(&z), 1);
	tzset_payload_free(z.enc, z.p);
}
END_TEST

/* ---- RDB codec ---- */

static struct obj *
store_zset(struct store *st, struct tzset *z)
{
	struct obj_value v = { .type = OBJ_ZSET, .enc = z->enc, .ptr = z->p };

	return store_set_value(store_db(st, 0), "k", 1, &v, OBJ_NO_EXPIRE, 0);
}

static struct tzset
sample(size_t n, bool long_member)
{
	struct tzset z = tzset_new(0, 0);
	int out;

	for (size_t i = 0; i < n; i++) {
		char m[80];
		int len = snprintf(m, sizeof m, "%s%zu", long_member && i == 0 ?
		    "LLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLLL" : "m",
		    i);

		tzset_add(&z, i % 4 == 0 ? (double)i : (double)i / 3, m, (size_t)len, 0, &out, NULL);
	}
	if (n > 2)
		tzset_add(&z, -INFINITY, "ninf", 4, 0, &out, NULL);
	return z;
}

static bool
same_content(const struct tzset *a, const struct tzset *b)
{
	struct tzset_iter ia, ib;
	const char *ma, *mb;
	size_t la, lb;
	double sa, sb;

	if (tzset_len(a) != tzset_len(b))
		return false;
	tzset_iter_rank(&ia, a, 0, false);
	tzset_iter_rank(&ib, b, 0, false);
	while (tzset_iter_next(&ia, &ma, &la, &sa)) {
		if (!tzset_iter_next(&ib, &mb, &lb, &sb) || la != lb || memcmp(ma, mb, la) != 0 ||
		    sa != sb)
			return false;
	}
	return true;
}

static const struct {
	size_t n;
	bool long_member;
	unsigned type;
	enum obj_encoding enc;
} rt_cases[] = {
	{ 5, false, RDB_TYPE_ZSET_LISTPACK, OBJ_ENC_LISTPACK },
	{ 200, false, RDB_TYPE_ZSET_2, OBJ_ENC_SKIPLIST },
	{ 5, true, RDB_TYPE_ZSET_2, OBJ_ENC_SKIPLIST },
	{ 1, false, RDB_TYPE_ZSET_LISTPACK, OBJ_ENC_LISTPACK },
};

START_TEST(test_rdb_roundtrip)
{
	struct store *st = store_new(1, 1);
	struct tzset z = sample(rt_cases[_i].n, rt_cases[_i].long_member), back;
	struct rdb_buf b = { 0 };
	struct obj_value out = { 0 };
	struct obj *o = store_zset(st, &z);
	size_t pos = 1;

	z = tzset_of(o);
	ck_assert_uint_eq(rdb_save_zset(&b, o), RDB_VERSION);
	ck_assert_uint_eq(b.p[0], rt_cases[_i].type);
	ck_assert_int_eq(rdb_load_zset(b.p[0], b.p, b.len, &pos, true, &out), RDB_RESTORE_OK);
	ck_assert_uint_eq(pos, b.len);
	ck_assert_int_eq(out.enc, rt_cases[_i].enc);
	back.enc = out.enc;
	back.p = out.ptr;
	ck_assert(same_content(&z, &back));
	/* every truncation fails cleanly */
	for (size_t cut = 1; cut < b.len; cut++) {
		struct obj_value junk = { 0 };

		pos = 1;
		ck_assert_int_eq(rdb_load_zset(b.p[0], b.p, cut, &pos, true, &junk),
		    RDB_RESTORE_BAD);
	}
	tzset_payload_free(back.enc, back.p);
	rdb_buf_free(&b);
	store_free(st);
}
END_TEST

/* The skip list is written from the highest member down (what Redis 7.0 writes). */
START_TEST(test_rdb_skiplist_order)
{
	struct store *st = store_new(1, 1);
	struct tzset z = tzset_new(200, 0);
	struct rdb_buf b = { 0 };
	int out;
	struct obj *o;

	tzset_add(&z, 1, "low", 3, 0, &out, NULL);
	tzset_add(&z, 2, "high", 4, 0, &out, NULL);
	o = store_zset(st, &z);
	rdb_save_zset(&b, o);
	ck_assert_uint_eq(b.len, 1 + 1 + 1 + 4 + 8 + 1 + 3 + 8);
	ck_assert(memcmp(b.p + 3, "high", 4) == 0);
	ck_assert(memcmp(b.p + 16, "low", 3) == 0);
	rdb_buf_free(&b);
	store_free(st);
}
END_TEST

static const struct {
	const char *bytes;
	size_t len;
	unsigned type;
	enum rdb_restore_result want;
} bad_cases[] = {
	/* ZSET_2: count 1, "a", NaN */
	{ "\x01\x01" "a" "\x00\x00\x00\x00\x00\x00\xf8\x7f", 11, RDB_TYPE_ZSET_2, RDB_RESTORE_BAD },
	/* ZSET_2: "a" twice */
	{ "\x02\x01" "a" "\x00\x00\x00\x00\x00\x00\xf0\x3f\x01" "a" "\x00\x00\x00\x00\x00\x00\x00\x40",
	  21, RDB_TYPE_ZSET_2, RDB_RESTORE_BAD },
	/* ZSET_2: a count far past the bytes */
	{ "\x80\x00\x01\x00\x00\x01" "a", 7, RDB_TYPE_ZSET_2, RDB_RESTORE_BAD },
	/* empty */
	{ "\x00", 1, RDB_TYPE_ZSET_2, RDB_RESTORE_EMPTY },
	/* ZSET (text scores): "a" 1.5, "b" inf */
	{ "\x02\x01" "a" "\x03" "1.5" "\x01" "b" "\xfe", 10, RDB_TYPE_ZSET, RDB_RESTORE_OK },
	/* ZSET: NaN */
	{ "\x01\x01" "a" "\xfd", 4, RDB_TYPE_ZSET, RDB_RESTORE_BAD },
	/* LISTPACK: one entry "a" (odd count) */
	{ "\x0a" "\x0a\x00\x00\x00\x01\x00\x81" "a" "\x02\xff", 11, RDB_TYPE_ZSET_LISTPACK,
	  RDB_RESTORE_BAD },
	/* LISTPACK: "a" 1 "a" 2 (repeated member) */
	{ "\x11" "\x11\x00\x00\x00\x04\x00\x81" "a" "\x02\x01\x01\x81" "a" "\x02\x02\x01\xff", 18,
	  RDB_TYPE_ZSET_LISTPACK, RDB_RESTORE_BAD },
	/* LISTPACK: "a" 1 */
	{ "\x0c" "\x0c\x00\x00\x00\x02\x00\x81" "a" "\x02\x01\x01\xff", 13, RDB_TYPE_ZSET_LISTPACK,
	  RDB_RESTORE_OK },
	/* ZIPLIST (pre-7.0): "a" 1 */
	{ "\x10" "\x10\x00\x00\x00" "\x0d\x00\x00\x00" "\x02\x00" "\x00\x01" "a" "\x03\xf2" "\xff", 17,
	  RDB_TYPE_ZSET_ZIPLIST, RDB_RESTORE_OK },
	/* ZIPLIST: "a" 1 "a" 1 (repeated member) */
	{ "\x15" "\x15\x00\x00\x00" "\x12\x00\x00\x00" "\x04\x00" "\x00\x01" "a" "\x03\xf2"
	  "\x02\x01" "a" "\x03\xf2" "\xff", 22, RDB_TYPE_ZSET_ZIPLIST, RDB_RESTORE_BAD },
	/* ZIPLIST: "a" 1 "b" 1 (the same bytes with distinct members load) */
	{ "\x15" "\x15\x00\x00\x00" "\x12\x00\x00\x00" "\x04\x00" "\x00\x01" "a" "\x03\xf2"
	  "\x02\x01" "b" "\x03\xf2" "\xff", 22, RDB_TYPE_ZSET_ZIPLIST, RDB_RESTORE_OK },
	/* LISTPACK: "a" 1 "b" 2 (the repeated-member bytes with distinct members load) */
	{ "\x11" "\x11\x00\x00\x00\x04\x00\x81" "a" "\x02\x01\x01\x81" "b" "\x02\x02\x01\xff", 18,
	  RDB_TYPE_ZSET_LISTPACK, RDB_RESTORE_OK },
	/* LISTPACK: a header size that lies */
	{ "\x0c" "\x0d\x00\x00\x00\x02\x00\x81" "a" "\x02\x01\x01\xff", 13, RDB_TYPE_ZSET_LISTPACK,
	  RDB_RESTORE_BAD },
};

START_TEST(test_rdb_malformed)
{
	struct obj_value out = { 0 };
	size_t pos = 0;
	enum rdb_restore_result rc;

	rc = rdb_load_zset(bad_cases[_i].type, (const unsigned char *)bad_cases[_i].bytes,
	    bad_cases[_i].len, &pos, true, &out);
	ck_assert_int_eq(rc, bad_cases[_i].want);
	if (rc == RDB_RESTORE_OK) {
		ck_assert_uint_eq(pos, bad_cases[_i].len);
		tzset_payload_free(out.enc, out.ptr);
	}
}
END_TEST

/* COPY's duplicate and MEMORY USAGE's walk on both encodings. */
START_TEST(test_payload_hooks)
{
	for (int n = 3; n <= 300; n += 297) {
		struct tzset z = sample((size_t)n, false), d;

		d.enc = z.enc;
		d.p = tzset_payload_dup(z.enc, z.p);
		ck_assert(same_content(&z, &d));
		ck_assert_uint_gt(tzset_payload_mem(z.enc, z.p), (size_t)n);
		tzset_payload_free(z.enc, z.p);
		tzset_payload_free(d.enc, d.p);
	}
	tzset_payload_free(OBJ_ENC_SKIPLIST, NULL);
}
END_TEST

static Suite *
zset_suite(void)
{
	Suite *s = suite_create("zset");
	TCase *tc;

	tc = tcase_create("score_text");
	tcase_add_loop_test(tc, test_fmt_score, 0, (int)(sizeof fmt_cases / sizeof fmt_cases[0]));
	tcase_add_test(tc, test_fmt_score_inf);
	tcase_add_test(tc, test_listpack_score_text);
	tcase_add_test(tc, test_parse_lp_score);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_model_mixed);
	tcase_add_test(tc, test_model_listpack_only);
	tcase_add_test(tc, test_model_skiplist_only);
	tcase_add_test(tc, test_add_flags);
	suite_add_tcase(s, tc);

	tc = tcase_create("ranges");
	tcase_add_loop_test(tc, test_lex_ranges, 0, (int)(sizeof lex_cases / sizeof lex_cases[0]));
	tcase_add_loop_test(tc, test_score_ranges, 0,
	    (int)(sizeof score_cases / sizeof score_cases[0]));
	tcase_add_test(tc, test_equal_scores_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("conversion");
	tcase_add_test(tc, test_convert_entries);
	tcase_add_test(tc, test_convert_value);
	tcase_add_test(tc, test_payload_hooks);
	suite_add_tcase(s, tc);

	tc = tcase_create("rdb");
	tcase_add_loop_test(tc, test_rdb_roundtrip, 0, (int)(sizeof rt_cases / sizeof rt_cases[0]));
	tcase_add_test(tc, test_rdb_skiplist_order);
	tcase_add_loop_test(tc, test_rdb_malformed, 0,
	    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(zset_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
