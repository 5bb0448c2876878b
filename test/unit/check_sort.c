/*
 * check_sort: unit tests of SORT's storage-side pieces (storage/sort.c): the BY/GET pattern
 * split, the weight parser, the comparison, and the two orderings.
 *
 * The orderings are checked against redis-server 7.0.15 itself: the "redis" rows below are
 * the replies of SORT BY tw_* ALPHA over a 60-element list where most weights are missing (all
 * tied), with and without LIMIT. Without LIMIT Redis' qsort (glibc's merge sort) keeps tied
 * elements in list order; with LIMIT its pqsort leaves them in the order its partitioning
 * makes, which only an exact reproduction matches. The rest is checked against plain
 * properties: a window of a partial sort equals the same window of a full sort (distinct keys),
 * and the full sort is stable.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/sort.h"

/* ---- patterns ---- */

static const struct pattern_case {
	const char *pat;
	size_t len;
	int kind;		/* 0 key, 1 self, 2 none */
	const char *pre, *post, *field;	/* field NULL: a string key */
	size_t postlen, fieldlen;
} pattern_cases[] = {
	{ "#", 1, 1, NULL, NULL, NULL, 0, 0 },
	{ "#\0x", 3, 1, NULL, NULL, NULL, 0, 0 },
	{ "##", 2, 2, NULL, NULL, NULL, 0, 0 },
	{ "", 0, 2, NULL, NULL, NULL, 0, 0 },
	{ "nosort", 6, 2, NULL, NULL, NULL, 0, 0 },
	{ "x\0*", 3, 2, NULL, NULL, NULL, 0, 0 },
	{ "w_*", 3, 0, "w_", "", NULL, 0, 0 },
	{ "*", 1, 0, "", "", NULL, 0, 0 },
	{ "a*b*c", 5, 0, "a", "b*c", NULL, 3, 0 },
	{ "h_*->f", 6, 0, "h_", "", "f", 0, 1 },
	{ "h_*x->fld", 9, 0, "h_", "x", "fld", 1, 3 },
	{ "h_*->f->g", 9, 0, "h_", "", "f->g", 0, 4 },
	{ "h_*->", 5, 0, "h_", "->", NULL, 2, 0 },
	{ "->*", 3, 0, "->", "", NULL, 0, 0 },
	{ "h_*->\0f", 7, 0, "h_", "->\0f", NULL, 4, 0 },
	{ "h_*->f\0g", 8, 0, "h_", "", "f\0g", 0, 3 },
	{ "k*\0->f", 6, 0, "k", "\0->f", NULL, 4, 0 },
};

START_TEST(pattern_split)
{
	const struct pattern_case *c = &pattern_cases[_i];
	struct sort_pattern p;

	sort_pattern_parse(&p, c->pat, c->len);
	ck_assert_int_eq(p.self, c->kind == 1);
	ck_assert_int_eq(p.none, c->kind == 2);
	ck_assert_int_eq(sort_pattern_is_constant(c->pat, c->len), c->kind != 0);
	if (c->kind != 0)
		return;
	ck_assert_uint_eq(p.prelen, strlen(c->pre));
	ck_assert_int_eq(memcmp(p.pre, c->pre, p.prelen), 0);
	ck_assert_uint_eq(p.postlen, c->postlen);
	ck_assert_int_eq(memcmp(p.post, c->post, p.postlen), 0);
	if (c->field == NULL) {
		ck_assert_ptr_null(p.field);
	} else {
		ck_assert_ptr_nonnull(p.field);
		ck_assert_uint_eq(p.fieldlen, c->fieldlen);
		ck_assert_int_eq(memcmp(p.field, c->field, p.fieldlen), 0);
	}
}
END_TEST

START_TEST(pattern_key)
{
	struct sort_pattern p;
	char *buf = NULL, big[300];
	size_t cap = 0, n;

	sort_pattern_parse(&p, "h_*:x->f", 8);
	n = sort_pattern_key(&p, "12", 2, &buf, &cap);
	ck_assert_uint_eq(n, 6);
	ck_assert_int_eq(memcmp(buf, "h_12:x", 6), 0);
	n = sort_pattern_key(&p, "", 0, &buf, &cap);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(memcmp(buf, "h_:x", 4), 0);
	memset(big, 'e', sizeof(big));
	n = sort_pattern_key(&p, big, sizeof(big), &buf, &cap);
	ck_assert_uint_eq(n, sizeof(big) + 4);
	ck_assert_uint_ge(cap, n);
	ck_assert_int_eq(memcmp(buf + 2, big, sizeof(big)), 0);
	ck_assert_int_eq(memcmp(buf + 2 + sizeof(big), ":x", 2), 0);
	xfree(buf);
}
END_TEST

/* ---- weights (each row checked with SORT on redis-server 7.0.15) ---- */

static const struct score_case {
	const char *s;
	size_t len;
	bool ok;
	double v;
} score_cases[] = {
	{ "5", 1, true, 5 }, { "-2.5", 4, true, -2.5 }, { "", 0, true, 0 },
	{ " 5", 2, true, 5 }, { "5 ", 2, false, 0 }, { "0x10", 4, true, 16 },
	{ "inf", 3, true, INFINITY }, { "-inf", 4, true, -INFINITY }, { "nan", 3, false, 0 },
	{ "1e400", 5, false, 0 }, { "1e-320", 6, false, 0 }, { "1e-5", 4, true, 1e-5 },
	{ "abc", 3, false, 0 }, { "5\0junk", 6, true, 5 }, { "1x", 2, false, 0 },
	{ "9223372036854775807", 19, true, 9223372036854775807.0 },
};

START_TEST(score_parse)
{
	const struct score_case *c = &score_cases[_i];
	double v = -1;

	ck_assert_int_eq(sort_parse_score(c->s, c->len, &v), c->ok);
	if (c->ok)
		ck_assert(v == c->v);
}
END_TEST

START_TEST(score_parse_long)
{
	char text[400];
	double v;

	memset(text, '0', sizeof(text));
	text[sizeof(text) - 1] = '7';
	ck_assert(sort_parse_score(text, sizeof(text), &v));
	ck_assert(v == 7);
	text[0] = 'x';
	ck_assert(!sort_parse_score(text, sizeof(text), &v));
}
END_TEST

/* ---- comparison ---- */

static struct sort_item
item(const char *s, double score, const char *cmp)
{
	struct sort_item it = { .s = s, .len = strlen(s), .score = score, .cmp = cmp,
	    .cmplen = cmp != NULL ? strlen(cmp) : 0 };

	return it;
}

START_TEST(compare)
{
	struct sort_item a = item("b", 1, NULL), b = item("a", 1, "x"), c = item("a", 2, "y");
	struct sort_item n1 = { .s = "a\0b", .len = 3 }, n2 = { .s = "a\0c", .len = 3 };

	/* Numeric: by score, equal scores by the bytes. */
	ck_assert_int_lt(sort_compare(&b, &c, 0), 0);
	ck_assert_int_gt(sort_compare(&a, &b, 0), 0);
	ck_assert_int_lt(sort_compare(&a, &b, SORT_DESC), 0);
	/* ALPHA BY: a missing weight first, ties are 0. */
	ck_assert_int_lt(sort_compare(&a, &b, SORT_ALPHA | SORT_BY), 0);
	ck_assert_int_gt(sort_compare(&a, &b, SORT_ALPHA | SORT_BY | SORT_DESC), 0);
	ck_assert_int_eq(sort_compare(&a, &a, SORT_ALPHA | SORT_BY), 0);
	ck_assert_int_lt(sort_compare(&b, &c, SORT_ALPHA | SORT_BY), 0);
	/* ALPHA: as C strings, unless binary. */
	ck_assert_int_eq(sort_compare(&n1, &n2, SORT_ALPHA), 0);
	ck_assert_int_lt(sort_compare(&n1, &n2, SORT_ALPHA | SORT_BINARY), 0);
	ck_assert_int_gt(sort_compare(&a, &b, SORT_ALPHA), 0);
}
END_TEST

/* ---- orderings ---- */

/* The list of the Redis case, and its weights ("e21=c": tw_e21 holds "c"; others missing). */
static const char redis_list[] =
    "e21 e31 e20 e44 e8 e51 e45 e50 e26 e48 e13 e17 e47 e22 e36 e15 e46 e27 e16 e56 e18 e23 "
    "e38 e14 e24 e33 e41 e7 e57 e43 e1 e3 e4 e0 e10 e42 e25 e2 e34 e5 e9 e19 e53 e6 e58 e39 "
    "e40 e30 e52 e11 e12 e37 e32 e59 e29 e49 e54 e35 e55 e28";
static const char redis_weights[] =
    "e21=c e50=a e48=b e47=c e22=c e36=a e46=b e16=a e18=b e38=c e14=c e24=c e1=c e0=b e2=a "
    "e34=b e5=c e19=a e53=a e58=c e30=c e37=a e59=c e29=a e49=c e35=b";

static const struct redis_case {
	bool desc, partial;
	int64_t first, last;
	const char *want;	/* the reply, from position first */
} redis_cases[] = {
	{ false, true, 5, 14, "e51 e45 e31 e26 e28 e13 e17 e55 e54 e32" },
	{ true, true, 40, 54, "e9 e54 e31 e6 e51 e39 e40 e8 e52 e11 e12 e55 e32 e44 e28" },
	{ false, false, 0, 59,
	    "e31 e20 e44 e8 e51 e45 e26 e13 e17 e15 e27 e56 e23 e33 e41 e7 e57 e43 e3 e4 e10 e42 "
	    "e25 e9 e6 e39 e40 e52 e11 e12 e32 e54 e55 e28 e50 e36 e16 e2 e19 e53 e37 e29 e48 e46 "
	    "e18 e0 e34 e35 e21 e47 e22 e38 e14 e24 e1 e5 e58 e30 e59 e49" },
};

/* Splits a space-separated list into words (pointers into a copy kept in *store). */
static size_t
words(const char *text, char **store, const char **w, size_t max)
{
	size_t n = 0;

	*store = xstrdup(text);
	for (char *t = strtok(*store, " "); t != NULL && n < max; t = strtok(NULL, " "))
		w[n++] = t;
	return n;
}

START_TEST(redis_order)
{
	const struct redis_case *c = &redis_cases[_i];
	const char *el[64], *wt[64], *want[64];
	char *s1, *s2, *s3;
	size_t n = words(redis_list, &s1, el, 64), nw = words(redis_weights, &s2, wt, 64);
	size_t nwant = words(c->want, &s3, want, 64);
	struct sort_item v[64];

	ck_assert_uint_eq(n, 60);
	for (size_t i = 0; i < n; i++) {
		v[i] = item(el[i], 0, NULL);
		for (size_t j = 0; j < nw; j++) {
			const char *eq = strchr(wt[j], '=');

			if ((size_t)(eq - wt[j]) == strlen(el[i]) &&
			    memcmp(wt[j], el[i], strlen(el[i])) == 0) {
				v[i].cmp = eq + 1;
				v[i].cmplen = 1;
			}
		}
	}
	sort_items(v, n, SORT_ALPHA | SORT_BY | (c->desc ? SORT_DESC : 0), c->partial, c->first,
	    c->last);
	ck_assert_uint_eq(nwant, (size_t)(c->last - c->first + 1));
	for (size_t i = 0; i < nwant; i++)
		ck_assert_str_eq(v[c->first + (int64_t)i].s, want[i]);
	xfree(s1);
	xfree(s2);
	xfree(s3);
}
END_TEST

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A partial sort's window equals the full sort's window, for every size and window. */
START_TEST(partial_window)
{
	static char names[500][8];
	struct sort_item *a = xmalloc(500 * sizeof(*a)), *b = xmalloc(500 * sizeof(*b));

	for (size_t i = 0; i < 500; i++)
		snprintf(names[i], sizeof(names[i]), "%zu", i);
	for (int round = 0; round < 400; round++) {
		size_t n = 1 + rnd() % (round < 200 ? 60 : 500);
		int64_t first = (int64_t)(rnd() % n);
		int64_t last = first + (int64_t)(rnd() % (n - (size_t)first + 1)) - 1;
		unsigned flags = (rnd() & 1) ? SORT_DESC : 0;

		for (size_t i = 0; i < n; i++) {
			/* Distinct elements; scores with many ties (broken by the element). */
			a[i] = item(names[i], (double)(rnd() % 7), NULL);
			b[i] = a[i];
		}
		sort_items(a, n, flags, true, first, last);
		sort_items(b, n, flags, false, 0, (int64_t)n - 1);
		for (int64_t i = first; i <= last; i++)
			ck_assert_str_eq(a[i].s, b[i].s);
		for (size_t i = 1; i < n; i++)
			ck_assert_int_le(sort_compare(&b[i - 1], &b[i], flags), 0);
	}
	xfree(a);
	xfree(b);
}
END_TEST

/* The full sort keeps tied items in input order. */
START_TEST(full_stable)
{
	static char names[300][8];
	struct sort_item v[300];

	for (size_t i = 0; i < 300; i++) {
		snprintf(names[i], sizeof(names[i]), "%03zu", i);
		v[i] = item(names[i], 0, (rnd() % 3) == 0 ? NULL : (rnd() & 1) ? "x" : "y");
	}
	sort_items(v, 300, SORT_ALPHA | SORT_BY | SORT_DESC, false, 0, 299);
	for (size_t i = 1; i < 300; i++) {
		int c = sort_compare(&v[i - 1], &v[i], SORT_ALPHA | SORT_BY | SORT_DESC);

		ck_assert_int_le(c, 0);
		if (c == 0)
			ck_assert_int_lt(strcmp(v[i - 1].s, v[i].s), 0);
	}
}
END_TEST

static Suite *
sort_suite(void)
{
	Suite *s = suite_create("sort");
	TCase *tc;

	tc = tcase_create("patterns");
	tcase_add_loop_test(tc, pattern_split, 0,
	    (int)(sizeof(pattern_cases) / sizeof(pattern_cases[0])));
	tcase_add_test(tc, pattern_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("weights");
	tcase_add_loop_test(tc, score_parse, 0,
	    (int)(sizeof(score_cases) / sizeof(score_cases[0])));
	tcase_add_test(tc, score_parse_long);
	tcase_add_test(tc, compare);
	suite_add_tcase(s, tc);

	tc = tcase_create("orderings");
	tcase_add_loop_test(tc, redis_order, 0,
	    (int)(sizeof(redis_cases) / sizeof(redis_cases[0])));
	tcase_add_test(tc, partial_window);
	tcase_add_test(tc, full_stable);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sort_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
