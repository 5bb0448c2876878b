/*
 * bench_zset.c: the zset type's hot paths, on a small listpack zset (100 members) and a large
 * skip list one (10000 members): ZADD's storage step (updating a member's score, which moves it)
 * and ZRANGE 0 9 WITHSCORES (seek to a rank and read ten members with their scores).
 */
#include <stdio.h>

#include "benchmarks/bench.h"
#include "storage/obj.h"
#include "storage/t_zset.h"

static struct tzset
make_zset(size_t n)
{
	struct tzset z = tzset_new(n, 0);

	for (size_t i = 0; i < n; i++) {
		char m[32];
		int len = snprintf(m, sizeof m, "member:%06zu", i);
		int out;

		tzset_add(&z, (double)(i * 7 % 1000) + 0.5, m, (size_t)len, 0, &out, NULL);
	}
	return z;
}

static void
bench_add(struct bench *b, size_t n)
{
	struct tzset z = make_zset(n);

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		char m[32];
		int len = snprintf(m, sizeof m, "member:%06zu", (size_t)(i % n));
		int out;

		tzset_add(&z, (double)(i % 1000), m, (size_t)len, 0, &out, NULL);
	}
	bench_stop_timer(b);
	tzset_payload_free(z.enc, z.p);
}

static void
bench_range(struct bench *b, size_t n)
{
	struct tzset z = make_zset(n);

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct tzset_iter it;
		const char *m;
		size_t len;
		double score;

		tzset_iter_rank(&it, &z, 0, false);
		for (int k = 0; k < 10 && tzset_iter_next(&it, &m, &len, &score); k++) {
			bench_keep(m);
			bench_keep(score);
		}
	}
	bench_stop_timer(b);
	tzset_payload_free(z.enc, z.p);
}

static void
add_small(struct bench *b)
{
	bench_add(b, 100);
}

static void
add_large(struct bench *b)
{
	bench_add(b, 10000);
}

static void
range_small(struct bench *b)
{
	bench_range(b, 100);
}

static void
range_large(struct bench *b)
{
	bench_range(b, 10000);
}

static const struct bench_def benches[] = {
	{ "BenchmarkZsetAdd/small", add_small },
	{ "BenchmarkZsetAdd/large", add_large },
	{ "BenchmarkZsetRange/small", range_small },
	{ "BenchmarkZsetRange/large", range_large },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof benches / sizeof benches[0]);
}
