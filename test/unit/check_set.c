/*
 * check_set: the set type (storage/t_set.c) and its RDB codec (storage/rdb/rdb_set.c): the
 * encoding a new set gets, every conversion (intset -> listpack, intset -> hashtable, listpack ->
 * hashtable, SINTERSTORE's result -> intset), intset width upgrades, membership and removal in
 * each encoding, set algebra over mixed encodings against a naive reference, the random
 * operations' shapes, the payload hooks, SSCAN over a hashtable, and the RDB round trip with
 * malformed inputs (truncated at every byte, lying counts, duplicates, bad intsets).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_set.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static struct store *st;
static struct db *db;

static void
setup(void)
{
	st = store_new(1, 7);
	db = store_db(st, 0);
}

static void
teardown(void)
{
	store_free(st);
}

/* ---- helpers ---- */

static void
add_str(struct tset *t, const char *s)
{
	tset_add(t, s, strlen(s));
}

/* A set built as SADD would build it from members[0..n). */
static void
build(struct tset *t, const char *const *members, size_t n)
{
	tset_init(t, members[0], strlen(members[0]), n);
	for (size_t i = 0; i < n; i++)
		add_str(t, members[i]);
}

/* A set of the integers lo..hi-1 (as text), added one by one. */
static void
build_range(struct tset *t, int lo, int hi, const char *prefix)
{
	char buf[64];

	snprintf(buf, sizeof buf, "%s%d", prefix, lo);
	tset_init(t, buf, strlen(buf), 1);
	for (int i = lo; i < hi; i++) {
		snprintf(buf, sizeof buf, "%s%d", prefix, i);
		add_str(t, buf);
	}
}

/* Members as NUL-terminated strings, sorted: a canonical form to compare sets by. */
struct strs {
	char **v;
	size_t n;
};

static bool
push_str(const struct tset_elem *e, void *arg)
{
	struct strs *s = arg;
	char buf[TSET_INTBUF];
	size_t len;
	const char *p = tset_elem_str(e, buf, &len);

	s->v = xrealloc(s->v, (s->n + 1) * sizeof *s->v);
	s->v[s->n++] = xstrndup(p, len);
	return true;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static struct strs
members_of(const struct tset *t)
{
	struct strs s = { NULL, 0 };

	tset_iter(t, push_str, &s);
	qsort(s.v, s.n, sizeof *s.v, cmp_str);
	return s;
}

static void
strs_free(struct strs *s)
{
	for (size_t i = 0; i < s->n; i++)
		xfree(s->v[i]);
	xfree(s->v);
}

static void
assert_same(const struct tset *a, const struct tset *b)
{
	struct strs x = members_of(a), y = members_of(b);

	ck_assert_uint_eq(x.n, y.n);
	for (size_t i = 0; i < x.n; i++)
		ck_assert_str_eq(x.v[i], y.v[i]);
	strs_free(&x);
	strs_free(&y);
}

/* ---- creation ---- */

START_TEST(test_init_rules)
{
	static const struct {
		const char *first;
		size_t hint;
		enum obj_encoding enc;
	} cases[] = {
		{ "1", 1, OBJ_ENC_INTSET },
		{ "-9223372036854775808", 1, OBJ_ENC_INTSET },
		{ "1", 512, OBJ_ENC_INTSET },
		{ "1", 513, OBJ_ENC_HASHTABLE },
		{ "007", 1, OBJ_ENC_LISTPACK },
		{ "a", 1, OBJ_ENC_LISTPACK },
		{ "a", 128, OBJ_ENC_LISTPACK },
		{ "a", 129, OBJ_ENC_HASHTABLE },
		{ "9223372036854775808", 1, OBJ_ENC_LISTPACK },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct tset t;

		tset_init(&t, cases[i].first, strlen(cases[i].first), cases[i].hint);
		ck_assert_msg(t.enc == cases[i].enc, "case %zu: enc %d", i, t.enc);
		ck_assert_uint_eq(tset_size(&t), 0);
		tset_free(&t);
	}
}
END_TEST

/* ---- membership in each encoding ---- */

START_TEST(test_membership)
{
	static const char *const ints[] = { "5", "-3", "70000", "0" };
	static const char *const strs[] = { "a", "5", "", "bc", "-3" };
	static const char *const absent[] = { "05", "-0", "+5", "4", "x", "5 ", "70001" };
	struct tset t[3];

	build(&t[0], ints, NELEM(ints));
	build(&t[1], strs, NELEM(strs));
	build_range(&t[2], 0, 300, "m");
	add_str(&t[2], "5");
	ck_assert_int_eq(t[0].enc, OBJ_ENC_INTSET);
	ck_assert_int_eq(t[1].enc, OBJ_ENC_LISTPACK);
	ck_assert_int_eq(t[2].enc, OBJ_ENC_HASHTABLE);
	for (size_t i = 0; i < NELEM(ints); i++)
		ck_assert(tset_has(&t[0], ints[i], strlen(ints[i])));
	for (size_t i = 0; i < NELEM(strs); i++)
		ck_assert(tset_has(&t[1], strs[i], strlen(strs[i])));
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < NELEM(absent); i++)
			ck_assert_msg(!tset_has(&t[k], absent[i], strlen(absent[i])), "set %zu has %s",
			    k, absent[i]);
		/* A repeated add is refused, in every encoding. */
		ck_assert(!tset_add(&t[k], "5", 1));
		ck_assert(tset_has(&t[k], "5", 1));
		ck_assert(tset_remove(&t[k], "5", 1));
		ck_assert(!tset_has(&t[k], "5", 1));
		ck_assert(!tset_remove(&t[k], "5", 1));
		ck_assert(!tset_remove(&t[k], "05", 2));
	}
	ck_assert_uint_eq(tset_size(&t[0]), 3);
	ck_assert_uint_eq(tset_size(&t[1]), 4);
	ck_assert_uint_eq(tset_size(&t[2]), 300);
	for (size_t k = 0; k < 3; k++)
		tset_free(&t[k]);
}
END_TEST

/* ---- conversions ---- */

START_TEST(test_intset_to_listpack)
{
	struct tset t;

	build_range(&t, 0, 127, "");
	ck_assert_int_eq(t.enc, OBJ_ENC_INTSET);
	add_str(&t, "s");
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(tset_size(&t), 128);
	ck_assert(tset_has(&t, "126", 3));
	ck_assert(tset_has(&t, "s", 1));
	/* The 129th member makes it a hashtable. */
	add_str(&t, "t");
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(tset_size(&t), 129);
	ck_assert(tset_has(&t, "0", 1));
	tset_free(&t);
}
END_TEST

START_TEST(test_intset_to_hashtable)
{
	struct tset t;
	char big[66];

	/* Past 512 integers. */
	build_range(&t, 0, 512, "");
	ck_assert_int_eq(t.enc, OBJ_ENC_INTSET);
	add_str(&t, "512");
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(tset_size(&t), 513);
	tset_free(&t);
	/* A string into an intset of 128 members. */
	build_range(&t, 0, 128, "");
	add_str(&t, "s");
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(tset_size(&t), 129);
	tset_free(&t);
	/* A string over 64 bytes into a small intset. */
	build_range(&t, 0, 3, "");
	memset(big, 'x', 65);
	big[65] = '\0';
	add_str(&t, big);
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert(tset_has(&t, big, 65));
	ck_assert(tset_has(&t, "2", 1));
	tset_free(&t);
	/* A 64-byte string still fits a listpack. */
	build_range(&t, 0, 3, "");
	big[64] = '\0';
	add_str(&t, big);
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	tset_free(&t);
}
END_TEST

START_TEST(test_listpack_to_hashtable)
{
	struct tset t;
	char big[66];

	build_range(&t, 0, 128, "m");
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(tset_size(&t), 128);
	add_str(&t, "m0");
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	add_str(&t, "m128");
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(tset_size(&t), 129);
	tset_free(&t);

	tset_init(&t, "a", 1, 1);
	add_str(&t, "a");
	memset(big, 'y', 65);
	big[65] = '\0';
	tset_add(&t, big, 65);
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert(tset_has(&t, "a", 1) && tset_has(&t, big, 65));
	tset_free(&t);

	/* SADD's size hint converts at once (setTypeMaybeConvert). */
	tset_init(&t, "a", 1, 1);
	add_str(&t, "a");
	tset_maybe_convert(&t, 128);
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	tset_maybe_convert(&t, 129);
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert(tset_has(&t, "a", 1));
	tset_free(&t);
	tset_init(&t, "1", 1, 1);
	add_str(&t, "1");
	tset_maybe_convert(&t, 513);
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	tset_free(&t);
}
END_TEST

START_TEST(test_intset_widths)
{
	static const struct {
		const char *v;
		size_t width;
	} cases[] = {
		{ "1", 2 }, { "-32768", 2 }, { "32768", 4 }, { "-2147483648", 4 },
		{ "2147483648", 8 }, { "-9223372036854775808", 8 },
	};
	struct tset t;

	tset_init(&t, "0", 1, 1);
	add_str(&t, "0");
	for (size_t i = 0; i < NELEM(cases); i++) {
		add_str(&t, cases[i].v);
		ck_assert_int_eq(t.enc, OBJ_ENC_INTSET);
		ck_assert_uint_eq(intset_bytes(t.p), 8 + cases[i].width * tset_size(&t));
	}
	/* Removing the wide value keeps the width, as Redis' intset does. */
	tset_remove(&t, "-9223372036854775808", 20);
	ck_assert_uint_eq(intset_bytes(t.p), 8 + 8 * tset_size(&t));
	ck_assert(tset_has(&t, "2147483648", 10));
	tset_free(&t);
}
END_TEST

/* ---- algebra ---- */

/* Reference: members as strings in an array; membership by linear search. */
static bool
in_list(const struct strs *s, const char *m)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i], m) == 0)
			return true;
	return false;
}

/* Three sets of each kind over overlapping members. */
static void
make_sets(struct tset sets[6])
{
	build_range(&sets[0], 0, 60, "");		/* intset 0..59 */
	build_range(&sets[1], 40, 500, "");		/* intset 40..499 */
	build_range(&sets[2], 20, 80, "");		/* listpack: ints and strings */
	add_str(&sets[2], "a");
	add_str(&sets[2], "b");
	build_range(&sets[3], 0, 100, "");		/* hashtable of ints and strings */
	build_range(&sets[4], 0, 40, "x");
	for (int i = 0; i < 100; i++) {
		char buf[16];

		snprintf(buf, sizeof buf, "%d", i * 3);
		add_str(&sets[4], buf);
	}
	add_str(&sets[4], "a");
	build_range(&sets[5], 0, 300, "x");		/* hashtable of strings */
	tset_free(&sets[3]);
	sets[3] = sets[4];
	build_range(&sets[4], 55, 65, "");		/* small intset */
	add_str(&sets[4], "x5");			/* -> listpack */
}

START_TEST(test_algebra_mixed)
{
	struct tset sets[6];
	static const size_t combos[][3] = {
		{ 0, 1, 6 }, { 0, 2, 6 }, { 1, 3, 6 }, { 2, 3, 6 }, { 3, 5, 6 }, { 0, 2, 3 },
		{ 4, 3, 1 }, { 5, 4, 6 }, { 2, 2, 6 }, { 3, 0, 4 },
	};

	make_sets(sets);
	ck_assert_int_eq(sets[0].enc, OBJ_ENC_INTSET);
	ck_assert_int_eq(sets[2].enc, OBJ_ENC_LISTPACK);
	ck_assert_int_eq(sets[3].enc, OBJ_ENC_HASHTABLE);
	ck_assert_int_eq(sets[4].enc, OBJ_ENC_LISTPACK);
	ck_assert_int_eq(sets[5].enc, OBJ_ENC_HASHTABLE);
	for (size_t c = 0; c < NELEM(combos); c++) {
		struct tset in[3], r;
		size_t n = combos[c][2] == 6 ? 2 : 3;
		struct strs all = { NULL, 0 }, s[3];

		for (size_t j = 0; j < n; j++) {
			in[j] = sets[combos[c][j]];
			s[j] = members_of(&in[j]);
			for (size_t i = 0; i < s[j].n; i++)
				if (!in_list(&all, s[j].v[i]))
					push_str(&(struct tset_elem){ s[j].v[i], strlen(s[j].v[i]), 0 },
					    &all);
		}
		/* Intersection, as a walk and stored; SINTERCARD's limit. */
		{
			size_t want = 0;

			for (size_t i = 0; i < s[0].n; i++) {
				bool every = true;

				for (size_t j = 1; j < n; j++)
					every = every && in_list(&s[j], s[0].v[i]);
				want += every;
			}
			ck_assert_uint_eq(tset_inter(in, n, 0, NULL, NULL), want);
			ck_assert_uint_eq(tset_inter(in, n, 3, NULL, NULL), want < 3 ? want : 3);
			tset_inter_store(in, n, &r);
			ck_assert_uint_eq(tset_size(&r), want);
			for (size_t i = 0; i < s[0].n; i++) {
				bool every = true;

				for (size_t j = 1; j < n; j++)
					every = every && in_list(&s[j], s[0].v[i]);
				ck_assert(tset_has(&r, s[0].v[i], strlen(s[0].v[i])) == every);
			}
			tset_free(&r);
		}
		/* Union. */
		tset_union_diff(in, n, TSET_UNION, &r);
		ck_assert_uint_eq(tset_size(&r), all.n);
		for (size_t i = 0; i < all.n; i++)
			ck_assert(tset_has(&r, all.v[i], strlen(all.v[i])));
		tset_free(&r);
		/* Difference. */
		tset_union_diff(in, n, TSET_DIFF, &r);
		{
			size_t want = 0;
			bool same = false;

			for (size_t j = 1; j < n; j++)
				same = same || in[j].p == in[0].p;
			for (size_t i = 0; i < s[0].n && !same; i++) {
				bool other = false;

				for (size_t j = 1; j < n; j++)
					other = other || in_list(&s[j], s[0].v[i]);
				want += !other;
				ck_assert(tset_has(&r, s[0].v[i], strlen(s[0].v[i])) == !other);
			}
			ck_assert_uint_eq(tset_size(&r), want);
		}
		tset_free(&r);
		for (size_t j = 0; j < n; j++)
			strs_free(&s[j]);
		strs_free(&all);
	}
	for (size_t j = 0; j < 6; j++)
		tset_free(&sets[j]);
}
END_TEST

START_TEST(test_store_encodings)
{
	struct tset a, b, r, in[2];

	/* Integers out of a hashtable come back as an intset. */
	build_range(&a, 0, 300, "");
	add_str(&a, "s");
	ck_assert_int_eq(a.enc, OBJ_ENC_HASHTABLE);
	build_range(&b, 100, 700, "");
	ck_assert_int_eq(b.enc, OBJ_ENC_HASHTABLE);
	in[0] = a;
	in[1] = b;
	tset_inter_store(in, 2, &r);
	ck_assert_int_eq(r.enc, OBJ_ENC_INTSET);
	ck_assert_uint_eq(tset_size(&r), 200);
	tset_free(&r);
	/* A string in the result keeps it a listpack. */
	add_str(&b, "s");
	tset_inter_store(in, 2, &r);
	ck_assert_int_eq(r.enc, OBJ_ENC_HASHTABLE);
	tset_free(&r);
	tset_free(&b);
	build_range(&b, 290, 295, "");
	add_str(&b, "s");
	in[1] = b;
	tset_inter_store(in, 2, &r);
	ck_assert_int_eq(r.enc, OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(tset_size(&r), 6);
	tset_free(&r);
	/* Union of integers is an intset; with a string, a listpack until 128. */
	tset_union_diff(in, 1, TSET_UNION, &r);
	ck_assert_int_eq(r.enc, OBJ_ENC_HASHTABLE);
	tset_free(&r);
	tset_union_diff(&in[1], 1, TSET_UNION, &r);
	ck_assert_int_eq(r.enc, OBJ_ENC_LISTPACK);
	tset_free(&r);
	tset_free(&a);
	tset_free(&b);
}
END_TEST

/* ---- randomness ---- */

struct pick {
	struct strs got;
};

static bool
pick_fn(const struct tset_elem *e, void *arg)
{
	return push_str(e, arg);
}

static size_t
distinct(struct strs *s)
{
	size_t n = s->n ? 1 : 0;

	qsort(s->v, s->n, sizeof *s->v, cmp_str);
	for (size_t i = 1; i < s->n; i++)
		n += strcmp(s->v[i - 1], s->v[i]) != 0;
	return n;
}

START_TEST(test_random_members)
{
	struct tset sets[3];
	static const int64_t counts[] = { 1, 2, 5, 20, 35, 99, 100, 150, 1000, -1, -7, -300 };
	uint64_t *rng = tset_rng(db);

	build_range(&sets[0], 0, 100, "");		/* intset */
	build_range(&sets[1], 0, 100, "m");		/* listpack */
	build_range(&sets[2], 0, 100, "");
	add_str(&sets[2], "x");
	tset_convert(&sets[2], OBJ_ENC_HASHTABLE, 101);	/* hashtable */
	for (size_t k = 0; k < 3; k++) {
		size_t size = tset_size(&sets[k]);

		for (size_t c = 0; c < NELEM(counts); c++) {
			struct strs got = { NULL, 0 };
			uint64_t count = counts[c] < 0 ? (uint64_t)-counts[c] : (uint64_t)counts[c];
			size_t want = counts[c] < 0 ? count : (count < size ? count : size);

			tset_random_members(&sets[k], rng, count, counts[c] >= 0, pick_fn, &got);
			ck_assert_uint_eq(got.n, want);
			for (size_t i = 0; i < got.n; i++)
				ck_assert(tset_has(&sets[k], got.v[i], strlen(got.v[i])));
			if (counts[c] > 0)
				ck_assert_uint_eq(distinct(&got), want);
			else if (count >= 300)
				ck_assert_uint_gt(distinct(&got), size / 2);
			strs_free(&got);
		}
	}
	for (size_t k = 0; k < 3; k++)
		tset_free(&sets[k]);
}
END_TEST

START_TEST(test_pop_count)
{
	static const uint64_t counts[] = { 1, 10, 80, 95, 99 };
	uint64_t *rng = tset_rng(db);

	for (size_t k = 0; k < 4; k++) {
		for (size_t c = 0; c < NELEM(counts); c++) {
			struct tset t, orig;
			struct strs got = { NULL, 0 };

			build_range(&t, 0, 100, k == 1 ? "m" : "");
			if (k == 2)
				tset_convert(&t, OBJ_ENC_HASHTABLE, 100);
			if (k == 3) {
				add_str(&t, "s");
				tset_convert(&t, OBJ_ENC_HASHTABLE, 100);
			}
			build_range(&orig, 0, 100, k == 1 ? "m" : "");
			if (k == 3)
				add_str(&orig, "s");
			tset_pop_count(&t, rng, counts[c], pick_fn, &got);
			ck_assert_uint_eq(got.n, counts[c]);
			ck_assert_uint_eq(distinct(&got), counts[c]);
			ck_assert_uint_eq(tset_size(&t) + got.n, tset_size(&orig));
			for (size_t i = 0; i < got.n; i++) {
				ck_assert(tset_has(&orig, got.v[i], strlen(got.v[i])));
				ck_assert(!tset_has(&t, got.v[i], strlen(got.v[i])));
			}
			/* Case 3 rebuilds: integers from an intset stay an intset. */
			if (k == 0)
				ck_assert_int_eq(t.enc, OBJ_ENC_INTSET);
			if (k >= 2 && counts[c] >= 95)
				ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
			strs_free(&got);
			tset_free(&t);
			tset_free(&orig);
		}
	}
}
END_TEST

/* ---- hooks and scan ---- */

START_TEST(test_hooks_and_scan)
{
	struct tset t[3];

	build_range(&t[0], 0, 50, "");
	build_range(&t[1], 0, 50, "k");
	build_range(&t[2], 0, 5000, "key:");
	for (size_t k = 0; k < 3; k++) {
		struct tset d = { t[k].enc, tset_payload_dup(t[k].enc, t[k].p) };
		struct strs seen = { NULL, 0 };
		uint64_t cursor = 0;

		assert_same(&t[k], &d);
		ck_assert_uint_gt(tset_payload_mem(t[k].enc, t[k].p), tset_size(&t[k]));
		tset_free(&d);
		do
			cursor = tset_scan(&t[k], cursor, 7, pick_fn, &seen);
		while (cursor != 0);
		ck_assert_uint_eq(distinct(&seen), tset_size(&t[k]));
		strs_free(&seen);
	}
	/* One hashtable step stops near COUNT. */
	{
		struct strs seen = { NULL, 0 };
		uint64_t c = tset_scan(&t[2], 0, 10, pick_fn, &seen);

		ck_assert_uint_ne(c, 0);
		ck_assert_uint_lt(seen.n, 200);
		strs_free(&seen);
	}
	/* A hashtable member costs about its bytes plus a small overhead. */
	ck_assert_uint_lt(tset_payload_mem(t[2].enc, t[2].p), 5000 * 48);
	for (size_t k = 0; k < 3; k++)
		tset_free(&t[k]);
}
END_TEST

/* ---- RDB ---- */

/* Stores t at key (taking it) and returns the object. */
static struct obj *
store(const char *key, struct tset *t)
{
	struct obj_value v;

	tset_value(t, &v);
	return store_set_value(db, key, strlen(key), &v, OBJ_NO_EXPIRE, 0);
}

static enum rdb_restore_result
load(const unsigned char *p, size_t len, struct tset *out)
{
	struct obj_value v;
	size_t pos = 1;
	enum rdb_restore_result rc;

	memset(&v, 0, sizeof v);
	rc = rdb_load_set(p[0], p, len, &pos, true, &v);
	if (rc == RDB_RESTORE_OK) {
		ck_assert_int_eq(v.type, OBJ_SET);
		out->enc = v.enc;
		out->p = v.ptr;
	}
	return rc;
}

START_TEST(test_rdb_round_trip)
{
	struct tset src[3];
	static const unsigned char types[] = { RDB_TYPE_SET_INTSET, RDB_TYPE_SET, RDB_TYPE_SET };

	build_range(&src[0], -40000, -39700, "");
	build_range(&src[1], 0, 100, "x");
	add_str(&src[1], "12");
	build_range(&src[2], 0, 3000, "member-");
	for (size_t k = 0; k < 3; k++) {
		enum obj_encoding enc = src[k].enc;
		struct tset copy = { enc, tset_payload_dup(enc, src[k].p) };
		struct obj *o = store("k", &src[k]);
		struct rdb_buf b = { NULL, 0, 0 };
		struct tset back;

		rdb_save_set(&b, o);
		ck_assert_uint_eq(b.p[0], types[k]);
		ck_assert_int_eq(load(b.p, b.len, &back), RDB_RESTORE_OK);
		ck_assert_int_eq(back.enc, enc);
		assert_same(&back, &copy);
		if (enc == OBJ_ENC_INTSET)
			ck_assert_mem_eq(back.p, copy.p, intset_bytes(copy.p));
		/* Every truncation fails cleanly (a large payload: each byte near the ends). */
		for (size_t cut = 1; cut < b.len;
		    cut += (cut < 300 || b.len - cut < 300) ? 1 : 97) {
			struct tset t;

			ck_assert_int_eq(load(b.p, cut, &t), RDB_RESTORE_BAD);
		}
		tset_free(&back);
		tset_free(&copy);
		rdb_buf_free(&b);
	}
}
END_TEST

START_TEST(test_rdb_encodings_on_load)
{
	static const struct {
		const char *members[6];
		size_t n;
		enum obj_encoding enc;
	} cases[] = {
		{ { "1", "2", "3" }, 3, OBJ_ENC_INTSET },
		{ { "1", "a", "3" }, 3, OBJ_ENC_LISTPACK },
		{ { "a", "1" }, 2, OBJ_ENC_LISTPACK },
		{ { "007", "7" }, 2, OBJ_ENC_LISTPACK },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct rdb_buf b = { NULL, 0, 0 };
		struct tset t;

		rdb_buf_put_byte(&b, RDB_TYPE_SET);
		rdb_buf_put_len(&b, cases[i].n);
		for (size_t j = 0; j < cases[i].n; j++)
			rdb_buf_put_string(&b, cases[i].members[j], strlen(cases[i].members[j]));
		ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_OK);
		ck_assert_int_eq(t.enc, cases[i].enc);
		ck_assert_uint_eq(tset_size(&t), cases[i].n);
		tset_free(&t);
		rdb_buf_free(&b);
	}
	/* 129 integers: an intset still; 513: a hashtable. */
	for (size_t n = 129; n <= 513; n += 384) {
		struct rdb_buf b = { NULL, 0, 0 };
		struct tset t;

		rdb_buf_put_byte(&b, RDB_TYPE_SET);
		rdb_buf_put_len(&b, n);
		for (size_t j = 0; j < n; j++)
			rdb_buf_put_i64_string(&b, (int64_t)j);
		ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_OK);
		ck_assert_int_eq(t.enc, n > 512 ? OBJ_ENC_HASHTABLE : OBJ_ENC_INTSET);
		tset_free(&t);
		rdb_buf_free(&b);
	}
}
END_TEST

START_TEST(test_rdb_listpack)
{
	struct tset t, lpset;
	struct rdb_buf b = { NULL, 0, 0 };
	unsigned char *lp;

	build_range(&lpset, 0, 20, "v");
	add_str(&lpset, "42");
	ck_assert_int_eq(lpset.enc, OBJ_ENC_LISTPACK);
	rdb_buf_put_byte(&b, RDB_TYPE_SET_LISTPACK);
	rdb_buf_put_string(&b, lpset.p, lp_bytes(lpset.p));
	ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_OK);
	ck_assert_int_eq(t.enc, OBJ_ENC_LISTPACK);
	assert_same(&t, &lpset);
	tset_free(&t);
	rdb_buf_free(&b);

	/* A member twice (an integer entry and its text): refused. */
	lp = lp_dup(lpset.p);
	lp = lp_append(lp, "v3", 2);
	rdb_buf_put_byte(&b, RDB_TYPE_SET_LISTPACK);
	rdb_buf_put_string(&b, lp, lp_bytes(lp));
	ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_BAD);
	rdb_buf_free(&b);
	lp_free(lp);

	/* An empty listpack: an empty key. */
	lp = lp_new(0);
	rdb_buf_put_byte(&b, RDB_TYPE_SET_LISTPACK);
	rdb_buf_put_string(&b, lp, lp_bytes(lp));
	ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_EMPTY);
	rdb_buf_free(&b);
	lp_free(lp);

	/* Past 128 entries: a hashtable. */
	tset_free(&lpset);
	build_range(&lpset, 0, 128, "v");
	lp = lp_dup(lpset.p);
	lp = lp_append(lp, "extra", 5);
	rdb_buf_put_byte(&b, RDB_TYPE_SET_LISTPACK);
	rdb_buf_put_string(&b, lp, lp_bytes(lp));
	ck_assert_int_eq(load(b.p, b.len, &t), RDB_RESTORE_OK);
	ck_assert_int_eq(t.enc, OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(tset_size(&t), 129);
	tset_free(&t);
	rdb_buf_free(&b);
	lp_free(lp);
	tset_free(&lpset);
}
END_TEST

START_TEST(test_rdb_malformed)
{
	static const struct {
		const char *name;
		unsigned char bytes[40];
		size_t len;
		enum rdb_restore_result rc;
	} cases[] = {
		{ "empty set", { RDB_TYPE_SET, 0 }, 2, RDB_RESTORE_EMPTY },
		{ "dup", { RDB_TYPE_SET, 2, 1, 'a', 1, 'a' }, 6, RDB_RESTORE_BAD },
		{ "int dup", { RDB_TYPE_SET, 2, 0xc0, 7, 1, '7' }, 6, RDB_RESTORE_BAD },
		{ "count lies", { RDB_TYPE_SET, 0x80, 0, 0, 0, 9, 1, 'a' }, 8, RDB_RESTORE_BAD },
		{ "huge count", { RDB_TYPE_SET, 0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
		  10, RDB_RESTORE_BAD },
		{ "intset empty", { RDB_TYPE_SET_INTSET, 8, 2, 0, 0, 0, 0, 0, 0, 0 }, 10,
		  RDB_RESTORE_BAD },
		{ "intset unsorted", { RDB_TYPE_SET_INTSET, 12, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 1, 0 },
		  14, RDB_RESTORE_BAD },
		{ "intset dup", { RDB_TYPE_SET_INTSET, 12, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0, 5, 0 }, 14,
		  RDB_RESTORE_BAD },
		{ "intset width 3", { RDB_TYPE_SET_INTSET, 11, 3, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0 }, 13,
		  RDB_RESTORE_BAD },
		{ "intset length", { RDB_TYPE_SET_INTSET, 12, 2, 0, 0, 0, 3, 0, 0, 0, 1, 0, 5, 0 },
		  14, RDB_RESTORE_BAD },
		{ "intset ok", { RDB_TYPE_SET_INTSET, 12, 2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 5, 0 }, 14,
		  RDB_RESTORE_OK },
		{ "listpack bad", { RDB_TYPE_SET_LISTPACK, 7, 8, 0, 0, 0, 0, 0, 0xff }, 9,
		  RDB_RESTORE_BAD },
		{ "unknown type", { 99, 0 }, 2, RDB_RESTORE_BAD },
	};

	for (size_t i = 0; i < NELEM(cases); i++) {
		struct tset t;
		enum rdb_restore_result rc = load(cases[i].bytes, cases[i].len, &t);

		ck_assert_msg(rc == cases[i].rc, "%s: %d", cases[i].name, rc);
		if (rc == RDB_RESTORE_OK)
			tset_free(&t);
	}
}
END_TEST

static Suite *
set_suite(void)
{
	Suite *s = suite_create("set");
	TCase *tc;

	tc = tcase_create("encodings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_init_rules);
	tcase_add_test(tc, test_membership);
	suite_add_tcase(s, tc);

	tc = tcase_create("conversions");
	tcase_add_test(tc, test_intset_to_listpack);
	tcase_add_test(tc, test_intset_to_hashtable);
	tcase_add_test(tc, test_listpack_to_hashtable);
	tcase_add_test(tc, test_intset_widths);
	suite_add_tcase(s, tc);

	tc = tcase_create("algebra");
	tcase_add_test(tc, test_algebra_mixed);
	tcase_add_test(tc, test_store_encodings);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_random_members);
	tcase_add_test(tc, test_pop_count);
	suite_add_tcase(s, tc);

	tc = tcase_create("hooks_scan");
	tcase_add_test(tc, test_hooks_and_scan);
	suite_add_tcase(s, tc);

	tc = tcase_create("rdb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rdb_round_trip);
	tcase_add_test(tc, test_rdb_encodings_on_load);
	tcase_add_test(tc, test_rdb_listpack);
	tcase_add_test(tc, test_rdb_malformed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(set_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
