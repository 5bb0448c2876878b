/*
 * check_dict: the hash table (storage/dict.c): lookups through growth and shrink (overflow
 * buckets included), incremental rehash, the SCAN guarantee while tables resize between calls,
 * random sampling.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/dict.h"

struct tent {
	size_t len;
	int id;
	int seen;
	char key[32];
};

static const char *
tent_key(const void *e, size_t *len)
{
	const struct tent *t = (const struct tent *)e;

	*len = t->len;
	return t->key;
}

static const struct dict_type tent_type = { tent_key };

static struct tent *
tent_new(int id)
{
	struct tent *t = xcalloc(1, sizeof *t);

	t->id = id;
	t->len = (size_t)snprintf(t->key, sizeof t->key, "key:%d", id);
	return t;
}

static void
tent_free(void *e, void *arg)
{
	int *count = arg;

	if (count != NULL)
		(*count)++;
	xfree(e);
}

static struct tent *
find_id(struct dict *d, int id)
{
	char key[32];
	int n = snprintf(key, sizeof key, "key:%d", id);

	return dict_find(d, key, (size_t)n);
}

static struct tent *
unlink_id(struct dict *d, int id)
{
	char key[32];
	int n = snprintf(key, sizeof key, "key:%d", id);

	return dict_unlink(d, key, (size_t)n);
}

START_TEST(test_add_find_delete)
{
	struct dict d;
	int freed = 0;

	dict_init(&d, &tent_type, 42);
	ck_assert_ptr_null(find_id(&d, 1));
	ck_assert_uint_eq(dict_buckets(&d), 0);
	for (int i = 0; i < 5000; i++) {
		dict_add(&d, tent_new(i));
		ck_assert_uint_eq(dict_size(&d), (size_t)i + 1);
	}
	for (int i = 0; i < 5000; i++) {
		struct tent *t = find_id(&d, i);

		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->id, i);
	}
	for (int i = 5000; i < 5100; i++)
		ck_assert_ptr_null(find_id(&d, i));
	/* A key that is a prefix of another must not match it. */
	ck_assert_ptr_null(dict_find(&d, "key:1", 4));
	for (int i = 0; i < 5000; i += 2)
		xfree(unlink_id(&d, i));
	ck_assert_uint_eq(dict_size(&d), 2500);
	ck_assert_ptr_null(unlink_id(&d, 0));
	for (int i = 0; i < 5000; i++)
		ck_assert((find_id(&d, i) != NULL) == (i % 2 == 1));
	dict_release(&d, tent_free, &freed);
	ck_assert_int_eq(freed, 2500);
	ck_assert_uint_eq(dict_size(&d), 0);
	ck_assert_uint_eq(dict_buckets(&d), 0);
}
END_TEST

/* dict_prefetch leaves the table as it was, empty, growing (two tables) or shrinking. */
START_TEST(test_prefetch)
{
	struct dict d;
	int freed = 0;

	dict_init(&d, &tent_type, 7);
	dict_prefetch(&d, "key:1", 5);
	ck_assert_uint_eq(dict_buckets(&d), 0);
	for (int i = 0; i < 20000; i++) {
		char key[32];
		int n = snprintf(key, sizeof key, "key:%d", i / 2);

		dict_prefetch(&d, key, (size_t)n);
		if (i % 2 == 0)
			dict_add(&d, tent_new(i / 2));
		ck_assert_ptr_nonnull(find_id(&d, i / 2));
	}
	ck_assert_uint_eq(dict_size(&d), 10000);
	for (int i = 0; i < 10000; i++) {
		char key[32];
		int n = snprintf(key, sizeof key, "key:%d", i);

		dict_prefetch(&d, key, (size_t)n);
		xfree(unlink_id(&d, i));
	}
	ck_assert_uint_eq(dict_size(&d), 0);
	dict_release(&d, tent_free, &freed);
	ck_assert_int_eq(freed, 0);
}
END_TEST

START_TEST(test_binary_keys)
{
	static const struct {
		const char *key;
		size_t len;
	} keys[] = {
		{ "", 0 }, { "\0", 1 }, { "\0\0", 2 }, { "a\0b", 3 }, { "a\0c", 3 },
		{ "abcdefgh", 8 }, { "abcdefghi", 9 }, { "abcdefghijklmnop", 16 },
		{ "abcdefghijklmnopq", 17 }, { "abcdefghijklmnopq\0", 18 },
	};
	struct dict d;
	size_t n = sizeof keys / sizeof keys[0];

	dict_init(&d, &tent_type, 7);
	for (size_t i = 0; i < n; i++) {
		struct tent *t = xcalloc(1, sizeof *t);

		memcpy(t->key, keys[i].key, keys[i].len);
		t->len = keys[i].len;
		t->id = (int)i;
		ck_assert_ptr_null(dict_find(&d, keys[i].key, keys[i].len));
		dict_add(&d, t);
	}
	for (size_t i = 0; i < n; i++) {
		struct tent *t = dict_find(&d, keys[i].key, keys[i].len);

		ck_assert_ptr_nonnull(t);
		ck_assert_int_eq(t->id, (int)i);
	}
	dict_release(&d, tent_free, NULL);
}
END_TEST

START_TEST(test_hash_seed)
{
	struct dict a, b;
	int diff = 0;

	dict_init(&a, &tent_type, 1);
	dict_init(&b, &tent_type, 2);
	for (int i = 0; i < 64; i++) {
		char key[16];
		int n = snprintf(key, sizeof key, "k%d", i);

		diff += dict_hash(&a, key, (size_t)n) != dict_hash(&b, key, (size_t)n);
		ck_assert_uint_eq(dict_hash(&a, key, (size_t)n), dict_hash(&a, key, (size_t)n));
	}
	ck_assert_int_eq(diff, 64);
}
END_TEST

/* Every key stays reachable at every step of a grow and of a shrink. */
START_TEST(test_rehash_both_directions)
{
	struct dict d;
	size_t max_buckets = 0;
	int rehash_seen = 0;

	dict_init(&d, &tent_type, 3);
	for (int i = 0; i < 20000; i++) {
		dict_add(&d, tent_new(i));
		if (dict_is_rehashing(&d)) {
			rehash_seen++;
			/* Probe a sample of keys in the middle of the resize. */
			if (i % 97 == 0)
				for (int j = 0; j <= i; j += 13)
					ck_assert_ptr_nonnull(find_id(&d, j));
		}
		/* Growth at six per bucket: never more entries than seven slots a bucket. */
		ck_assert_uint_le(dict_size(&d), 7 * dict_buckets(&d));
	}
	ck_assert_int_gt(rehash_seen, 0);
	while (dict_rehash(&d, 10))
		;
	/* Some buckets overflowed into chained buckets: those paths were exercised too. */
	ck_assert_uint_gt(dict_mem_usage(&d), dict_buckets(&d) * 64 + 64);
	max_buckets = dict_buckets(&d);
	ck_assert_uint_ge(max_buckets, 20000 / 6);
	for (int i = 0; i < 20000; i++)
		ck_assert_ptr_nonnull(find_id(&d, i));
	/* Delete down to 100 keys: the table must shrink, keys staying reachable. */
	for (int i = 100; i < 20000; i++) {
		xfree(unlink_id(&d, i));
		if (i % 503 == 0)
			for (int j = 0; j < 100; j++)
				ck_assert_ptr_nonnull(find_id(&d, j));
	}
	while (dict_resize_if_needed(&d))
		dict_rehash(&d, 100);
	ck_assert_uint_le(dict_buckets(&d), 64);
	ck_assert_uint_lt(dict_buckets(&d), max_buckets);
	for (int i = 0; i < 20000; i++)
		ck_assert((find_id(&d, i) != NULL) == (i < 100));
	dict_release(&d, tent_free, NULL);
}
END_TEST

START_TEST(test_expand)
{
	struct dict d;

	dict_init(&d, &tent_type, 3);
	dict_expand(&d, 1000);
	ck_assert_uint_eq(dict_buckets(&d), 256);
	for (int i = 0; i < 1000; i++)
		dict_add(&d, tent_new(i));
	ck_assert(!dict_is_rehashing(&d));
	ck_assert_uint_eq(dict_buckets(&d), 256);
	dict_release(&d, tent_free, NULL);
}
END_TEST

static void
mark_seen(void *e, void *arg)
{
	int *calls = arg;

	((struct tent *)e)->seen++;
	(*calls)++;
}

/*
 * SCAN guarantee: a full cursor iteration reports every entry that is present from start to end,
 * while other entries are added or removed and the table grows or shrinks between calls.
 */
static const struct scan_case {
	const char *name;
	int stable;	/* ids [0, stable) stay for the whole scan */
	int initial_extra;	/* ids [stable, stable + initial_extra) present at start, deleted during */
	int added;	/* ids added during the scan */
	int rehash_per_call;
} scan_cases[] = {
	{ "grow during scan", 500, 0, 5000, 1 },
	{ "shrink during scan", 200, 8000, 0, 1 },
	{ "grow, slow rehash", 1000, 0, 20000, 0 },
	{ "churn", 3000, 3000, 3000, 3 },
	{ "static", 777, 0, 0, 0 },
};

START_TEST(test_scan_guarantee)
{
	const struct scan_case *c = &scan_cases[_i];
	struct dict d;
	uint64_t cursor = 0;
	int calls = 0, step = 0, next_add, next_del, last_del;
	struct tent **stable = xcalloc((size_t)c->stable, sizeof *stable);

	dict_init(&d, &tent_type, 99);
	for (int i = 0; i < c->stable; i++) {
		stable[i] = tent_new(i);
		dict_add(&d, stable[i]);
	}
	for (int i = 0; i < c->initial_extra; i++)
		dict_add(&d, tent_new(c->stable + i));
	next_del = c->stable;
	last_del = c->stable + c->initial_extra;
	next_add = last_del;
	do {
		int before = calls;

		cursor = dict_scan(&d, cursor, mark_seen, &calls);
		ck_assert_int_ge(calls, before);
		step++;
		/* Change the table between calls: adds, deletes and rehash steps. */
		for (int k = 0; k < 8 && next_add < last_del + c->added; k++)
			dict_add(&d, tent_new(next_add++));
		for (int k = 0; k < 8 && next_del < last_del; k++)
			xfree(unlink_id(&d, next_del++));
		if (c->rehash_per_call > 0)
			dict_rehash(&d, (unsigned)c->rehash_per_call);
	} while (cursor != 0);
	for (int i = 0; i < c->stable; i++)
		ck_assert_msg(stable[i]->seen >= 1, "%s: key %d missed", c->name, i);
	xfree(stable);
	dict_release(&d, tent_free, NULL);
}
END_TEST

/* Rehashing happens in the middle of a scan that starts before the resize and ends after. */
START_TEST(test_scan_across_completed_rehash)
{
	struct dict d;
	uint64_t cursor = 0;
	int calls = 0, i;
	struct tent *t[300];

	dict_init(&d, &tent_type, 5);
	for (i = 0; i < 300; i++) {
		t[i] = tent_new(i);
		dict_add(&d, t[i]);
	}
	while (dict_rehash(&d, 100))
		;
	for (i = 0; i < 10; i++)
		cursor = dict_scan(&d, cursor, mark_seen, &calls);
	/* Grow to a much larger table and finish the rehash, then continue. */
	dict_expand(&d, 5000);
	while (dict_rehash(&d, 100))
		;
	while (cursor != 0)
		cursor = dict_scan(&d, cursor, mark_seen, &calls);
	for (i = 0; i < 300; i++)
		ck_assert_int_ge(t[i]->seen, 1);
	dict_release(&d, tent_free, NULL);
}
END_TEST

START_TEST(test_scan_empty)
{
	struct dict d;
	int calls = 0;

	dict_init(&d, &tent_type, 5);
	ck_assert_uint_eq(dict_scan(&d, 0, mark_seen, &calls), 0);
	ck_assert_int_eq(calls, 0);
}
END_TEST

START_TEST(test_random)
{
	struct dict d;
	uint64_t rng = 12345;
	enum { N = 100, DRAWS = 200000 };
	struct tent *t[N];

	dict_init(&d, &tent_type, 11);
	ck_assert_ptr_null(dict_random(&d, &rng));
	for (int i = 0; i < N; i++) {
		t[i] = tent_new(i);
		dict_add(&d, t[i]);
	}
	for (int i = 0; i < DRAWS; i++) {
		struct tent *e = dict_random(&d, &rng);

		ck_assert_ptr_nonnull(e);
		e->seen++;
	}
	/* Roughly fair: every key within half and twice its expected share. */
	for (int i = 0; i < N; i++) {
		ck_assert_int_gt(t[i]->seen, DRAWS / N / 2);
		ck_assert_int_lt(t[i]->seen, DRAWS / N * 2);
	}
	dict_release(&d, tent_free, NULL);
}
END_TEST

/* A sparse table (most keys deleted, shrink not yet run) still yields its keys. */
START_TEST(test_random_sparse)
{
	struct dict d;
	uint64_t rng = 99;

	dict_init(&d, &tent_type, 11);
	dict_expand(&d, 1 << 16);
	dict_add(&d, tent_new(7));
	for (int i = 0; i < 100; i++) {
		struct tent *e = dict_random(&d, &rng);

		ck_assert_ptr_nonnull(e);
		ck_assert_int_eq(e->id, 7);
	}
	dict_release(&d, tent_free, NULL);
}
END_TEST

static Suite *
dict_suite(void)
{
	Suite *s = suite_create("dict");
	TCase *tc;

	tc = tcase_create("basic");
	tcase_add_test(tc, test_add_find_delete);
	tcase_add_test(tc, test_binary_keys);
	tcase_add_test(tc, test_prefetch);
	tcase_add_test(tc, test_hash_seed);
	suite_add_tcase(s, tc);

	tc = tcase_create("rehash");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rehash_both_directions);
	tcase_add_test(tc, test_expand);
	suite_add_tcase(s, tc);

	tc = tcase_create("scan");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_scan_guarantee, 0,
	    (int)(sizeof scan_cases / sizeof scan_cases[0]));
	tcase_add_test(tc, test_scan_across_completed_rehash);
	tcase_add_test(tc, test_scan_empty);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_random_sparse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dict_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
