/*
 * bench_list: benchmarks of the list type (storage/t_list.c, quicklist.c) as the list commands
 * use it: LRANGE 0 99 (lookup, then read 100 elements) on a 100-element listpack list and a
 * 10000-element quicklist list, RPUSH of one element into a small (listpack) and a large
 * (quicklist) list, and LINDEX at the middle of each. Run `bench_list -h` for the flags;
 * bench.h describes the harness.
 *
 * Elements are 10 to 19 bytes ("element:%d"). The fixture lists are built once per process.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_list.h"

static struct store *fixture;

static struct db *
fixture_db(void)
{
	if (fixture == NULL) {
		struct db *db;
		struct obj *small, *big;
		char buf[32];

		fixture = store_new(1, 1);
		db = store_db(fixture, 0);
		small = tlist_create(db, "small", 5, 0);
		big = tlist_create(db, "big", 3, 0);
		for (int i = 0; i < 10000; i++) {
			int n = snprintf(buf, sizeof buf, "element:%d", i);

			if (i < 100) {
				tlist_grow(small, (size_t)n, 1);
				tlist_push(small, buf, (size_t)n, false);
			}
			tlist_grow(big, (size_t)n, 1);
			tlist_push(big, buf, (size_t)n, false);
		}
	}
	return store_db(fixture, 0);
}

/* LRANGE key start start+99 without the reply: the lookup and the walk over 100 elements. */
static void
bench_range(struct bench *b, const char *key, int64_t start)
{
	struct db *db = fixture_db();
	size_t klen = strlen(key);

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = store_lookup_read(db, key, klen, 0);
		struct tlist_iter it;
		struct tlist_entry e;
		size_t sum = 0;
		int n = 100;

		tlist_iter_init(&it, o, start, true);
		while (n-- > 0 && tlist_next(&it, &e))
			sum += e.s != NULL ? e.len : (size_t)e.v;
		bench_keep(sum);
	}
}

static void
bench_range_listpack(struct bench *b)
{
	bench_range(b, "small", 0);
}

static void
bench_range_quicklist(struct bench *b)
{
	bench_range(b, "big", 0);
}

static void
bench_range_quicklist_mid(struct bench *b)
{
	bench_range(b, "big", 5000);
}

/* RPUSH of one element; the list is recreated (untimed) every `every` pushes. */
static void
bench_push(struct bench *b, uint64_t every)
{
	struct store *s = store_new(1, 2);
	struct db *db = store_db(s, 0);
	struct obj *o = tlist_create(db, "l", 1, 0);
	static const char v[] = "element:12345";

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		if (i % every == every - 1) {
			bench_stop_timer(b);
			store_delete(db, "l", 1, 0);
			o = tlist_create(db, "l", 1, 0);
			bench_start_timer(b);
		}
		o = store_lookup_write(db, "l", 1, 0);
		tlist_grow(o, sizeof(v) - 1, 1);
		tlist_push(o, v, sizeof(v) - 1, false);
	}
	bench_stop_timer(b);
	store_free(s);
}

static void
bench_push_listpack(struct bench *b)
{
	bench_push(b, 100);
}

static void
bench_push_quicklist(struct bench *b)
{
	bench_push(b, 100000);
}

/* LINDEX key index: lookup and read one element. */
static void
bench_index(struct bench *b, const char *key, int64_t index)
{
	struct db *db = fixture_db();
	size_t klen = strlen(key);

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = store_lookup_read(db, key, klen, 0);
		struct tlist_entry e;

		bench_keep(tlist_index(o, index, &e));
		bench_keep(e.len);
	}
}

static void
bench_index_listpack(struct bench *b)
{
	bench_index(b, "small", 50);
}

static void
bench_index_quicklist(struct bench *b)
{
	bench_index(b, "big", 5000);
}

static void
bench_index_quicklist_tail(struct bench *b)
{
	bench_index(b, "big", -10);
}

static const struct bench_def benches[] = {
	{ "BenchmarkListRange100/listpack_100", bench_range_listpack },
	{ "BenchmarkListRange100/quicklist_10000", bench_range_quicklist },
	{ "BenchmarkListRange100/quicklist_10000_from_5000", bench_range_quicklist_mid },
	{ "BenchmarkListPush/listpack", bench_push_listpack },
	{ "BenchmarkListPush/quicklist", bench_push_quicklist },
	{ "BenchmarkListIndex/listpack_100_mid", bench_index_listpack },
	{ "BenchmarkListIndex/quicklist_10000_mid", bench_index_quicklist },
	{ "BenchmarkListIndex/quicklist_10000_tail", bench_index_quicklist_tail },
};

int
main(int argc, char **argv)
{
	int status = bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));

	/* The store keeps payload pointers unaligned inside each key, where LeakSanitizer does
	 * not look: free it rather than leave it reachable at exit. */
	store_free(fixture);
	return status;
}
