/*
 * bench_sort: SORT's storage-side work (storage/sort.c) on 1000 elements, the size the issue's
 * e2e figure uses: the full stable sort (numeric, ALPHA), Redis' partial quicksort for BY with
 * LIMIT 0 10, and reading weights with sort_parse_score. The keyspace lookups and the reply
 * are measured end to end (redis-benchmark), not here.
 */
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/sort.h"

#define N 1000

static char names[N][16];
static struct sort_item base[N], work[N];

static void
setup(bool alpha_by)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		snprintf(names[i], sizeof(names[i]), "%llu", (unsigned long long)(x % 1000000));
		memset(&base[i], 0, sizeof(base[i]));
		base[i].s = names[i];
		base[i].len = strlen(names[i]);
		base[i].score = (double)(x % 1000000);
		if (alpha_by && i % 3 != 0) {
			/* Two of three weights present: many ties among the missing ones. */
			base[i].cmp = names[(i * 7) % N];
			base[i].cmplen = strlen(base[i].cmp);
		}
	}
}

static void
run(struct bench *b, unsigned flags, bool partial, int64_t first, int64_t last)
{
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		bench_stop_timer(b);
		memcpy(work, base, sizeof(work));
		bench_start_timer(b);
		sort_items(work, N, flags, partial, first, last);
		bench_keep(work[0].s);
	}
}

static void
bench_numeric_full(struct bench *b)
{
	setup(false);
	run(b, 0, false, 0, N - 1);
}

static void
bench_alpha_full(struct bench *b)
{
	setup(false);
	run(b, SORT_ALPHA, false, 0, N - 1);
}

static void
bench_alpha_by_limit(struct bench *b)
{
	setup(true);
	run(b, SORT_ALPHA | SORT_BY, true, 0, 9);
}

static void
bench_numeric_by_limit(struct bench *b)
{
	setup(false);
	run(b, 0, true, 0, 9);
}

static void
bench_parse_scores(struct bench *b)
{
	double d, sum = 0;

	setup(false);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		for (size_t j = 0; j < N; j++)
			if (sort_parse_score(names[j], base[j].len, &d))
				sum += d;
	bench_keep(sum);
}

static const struct bench_def benches[] = {
	{ "BenchmarkSort/numeric-1000", bench_numeric_full },
	{ "BenchmarkSort/alpha-1000", bench_alpha_full },
	{ "BenchmarkSort/numeric-by-limit10-1000", bench_numeric_by_limit },
	{ "BenchmarkSort/alpha-by-limit10-1000", bench_alpha_by_limit },
	{ "BenchmarkSort/parse-scores-1000", bench_parse_scores },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
