/*
 * bench_hll: benchmarks of HyperLogLog values (storage/hll.c). Run `bench_hll -h` for the flags;
 * bench.h describes the harness.
 *
 * HllAdd: one op is PFADD's work for one element (hash, register update in place). In
 * "sparse" the HLL is recreated empty every 500 adds (it stays sparse; the re-creation is part
 * of the cost, as PFADD on fresh keys pays it); in "dense" one dense HLL takes every add.
 * HllCount: one op is PFCOUNT's estimate of a dense HLL holding 100000 elements whose cache is
 * invalid (the histogram of all 16384 registers and Ertl's estimator).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/hll.h"
#include "storage/store.h"

#define SPARSE_RUN 500
#define COUNT_ELEMENTS 100000

#define NELEMS 65536	/* distinct elements, formatted once; ops cycle through them */

static char elems[NELEMS][24];
static size_t elen[NELEMS];

static void
make_elements(void)
{
	if (elen[0] != 0)
		return;
	for (size_t i = 0; i < NELEMS; i++)
		elen[i] = (size_t)snprintf(elems[i], sizeof elems[i], "element:%zu", i);
}

static void
bench_add(struct bench *b, bool dense)
{
	struct store *s = store_new(1, 1);
	struct db *db = store_db(s, 0);
	struct obj *o = hll_create(db, "h", 1, 0);
	unsigned run = 0;

	make_elements();
	if (dense)
		(void)hll_to_dense(o);
	bench_reset_timer(b);
	for (uint64_t n = 0; n < b->n; n++) {
		if (!dense && run == SPARSE_RUN) {
			store_delete(db, "h", 1, 0);
			o = hll_create(db, "h", 1, 0);
			run = 0;
		}
		bench_keep(hll_add(o, elems[n % NELEMS], elen[n % NELEMS]));
		run++;
	}
	bench_stop_timer(b);
	store_free(s);
}

static void
bench_add_sparse(struct bench *b)
{
	bench_add(b, false);
}

static void
bench_add_dense(struct bench *b)
{
	bench_add(b, true);
}

static void
bench_count_dense(struct bench *b)
{
	struct store *s = store_new(1, 1);
	struct db *db = store_db(s, 0);
	struct obj *o = hll_create(db, "h", 1, 0);
	const unsigned char *p;
	uint64_t card = 0;
	char buf[32];
	size_t len;

	for (uint64_t i = 0; i < COUNT_ELEMENTS; i++)
		(void)hll_add(o, buf, (size_t)snprintf(buf, sizeof buf, "element:%llu",
		    (unsigned long long)i));
	hll_invalidate(o);
	p = hll_bytes(o, &len);
	bench_reset_timer(b);
	for (uint64_t n = 0; n < b->n; n++) {
		bench_keep(hll_count(p, len, &card));
		bench_keep(card);
	}
	bench_stop_timer(b);
	store_free(s);
}

static const struct bench_def benches[] = {
	{ "BenchmarkHllAdd/sparse", bench_add_sparse },
	{ "BenchmarkHllAdd/dense", bench_add_dense },
	{ "BenchmarkHllCount/dense_invalid_cache", bench_count_dense },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
