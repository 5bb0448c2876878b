/*
 * bench_listpack: benchmarks of the packed formats (storage/listpack.c, intset.c, ziplist.c)
 * on the sizes the collection types use: a hash of 128 field-value pairs (the default
 * hash-max-listpack-entries), appends as HSET/RPUSH do them, the validation RESTORE and the RDB
 * loader run on every adopted blob, and intset lookups. Run `bench_listpack -h` for the flags;
 * bench.h describes the harness.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/intset.h"
#include "storage/listpack.h"

#define PAIRS		128
#define APPEND_RESET	256	/* entries after which the append benchmarks start over */

static char fields[PAIRS][16];
static size_t field_len[PAIRS];
static char misses[PAIRS][16];
static size_t miss_len[PAIRS];
static char ints[PAIRS][16];
static size_t int_len[PAIRS];

static void
make_fields(void)
{
	if (field_len[0] != 0)
		return;
	for (int i = 0; i < PAIRS; i++) {
		field_len[i] = (size_t)snprintf(fields[i], sizeof(fields[i]), "field:%d", i);
		miss_len[i] = (size_t)snprintf(misses[i], sizeof(misses[i]), "nope:%d", i);
		int_len[i] = (size_t)snprintf(ints[i], sizeof(ints[i]), "%d", 1000 + i * 7);
	}
}

/* A hash-shaped listpack: PAIRS field-value pairs, values of 10 bytes or integers. */
static unsigned char *
make_hash(bool int_fields)
{
	unsigned char *lp = lp_new(0);

	make_fields();
	for (int i = 0; i < PAIRS; i++) {
		if (int_fields)
			lp = lp_append(lp, ints[i], int_len[i]);
		else
			lp = lp_append(lp, fields[i], field_len[i]);
		if (i % 2)
			lp = lp_append_int(lp, i * 1000);
		else
			lp = lp_append(lp, "value-0123", 10);
	}
	return lp;
}

static void
bench_append(struct bench *b, bool as_int)
{
	unsigned char *lp = lp_new(0);
	size_t k = 0;

	make_fields();
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		if (as_int)
			lp = lp_append_int(lp, (int64_t)i);
		else
			lp = lp_append(lp, fields[k % PAIRS], field_len[k % PAIRS]);
		if (++k == APPEND_RESET) {
			lp_free(lp);
			lp = lp_new(0);
			k = 0;
		}
	}
	bench_stop_timer(b);
	lp_free(lp);
}

static void
bench_append_str(struct bench *b)
{
	bench_append(b, false);
}

static void
bench_append_int(struct bench *b)
{
	bench_append(b, true);
}

/* Field lookups with skip 1, as HGET does; hits spread over every position. */
static void
bench_find(struct bench *b, int kind)
{
	unsigned char *lp = make_hash(kind == 2);
	const unsigned char *first = lp_first(lp);
	size_t k = 0;
	void *found = NULL;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		switch (kind) {
		case 0:
			found = lp_find(lp, first, fields[k], field_len[k], 1);
			break;
		case 1:
			found = lp_find(lp, first, misses[k], miss_len[k], 1);
			break;
		default:
			found = lp_find(lp, first, ints[k], int_len[k], 1);
			break;
		}
		bench_keep(found);
		if (++k == PAIRS)
			k = 0;
	}
	bench_stop_timer(b);
	lp_free(lp);
}

static void
bench_find_hit(struct bench *b)
{
	bench_find(b, 0);
}

static void
bench_find_miss(struct bench *b)
{
	bench_find(b, 1);
}

static void
bench_find_int(struct bench *b)
{
	bench_find(b, 2);
}

static void
bench_validate(struct bench *b)
{
	unsigned char *lp = make_hash(false);
	size_t count = 0;
	bool ok = true;

	bench_set_bytes(b, lp_bytes(lp));
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		ok &= lp_validate(lp, lp_bytes(lp), &count);
		bench_keep(count);
	}
	bench_stop_timer(b);
	if (!ok)
		fprintf(stderr, "bench_validate: listpack refused\n");
	lp_free(lp);
}

static void
bench_unique(struct bench *b)
{
	unsigned char *lp = make_hash(false);
	bool ok = true;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		ok &= lp_unique(lp, 2);
	bench_stop_timer(b);
	if (!ok)
		fprintf(stderr, "bench_unique: duplicate reported\n");
	lp_free(lp);
}

/* Index lookups in the middle of the 256 entries, as LINDEX does. */
static void
bench_seek(struct bench *b)
{
	unsigned char *lp = make_hash(false);

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		bench_keep(lp_seek(lp, (long)(i % (2 * PAIRS))));
	bench_stop_timer(b);
	lp_free(lp);
}

/* Membership in a 512-value intset (set-max-intset-entries), half hits. */
static void
bench_intset_find(struct bench *b)
{
	unsigned char *is = intset_new();

	for (int64_t v = 0; v < 512; v++)
		(void)intset_add(&is, v * 2);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		bench_keep(intset_find(is, (int64_t)(i % 1024), NULL));
	bench_stop_timer(b);
	intset_free(is);
}

static const struct bench_def benches[] = {
	{ "BenchmarkListpackAppend/str", bench_append_str },
	{ "BenchmarkListpackAppend/int", bench_append_int },
	{ "BenchmarkListpackFind/hit-128pairs", bench_find_hit },
	{ "BenchmarkListpackFind/miss-128pairs", bench_find_miss },
	{ "BenchmarkListpackFind/int-128pairs", bench_find_int },
	{ "BenchmarkListpackSeek/256", bench_seek },
	{ "BenchmarkListpackValidate/128pairs", bench_validate },
	{ "BenchmarkListpackUnique/128pairs", bench_unique },
	{ "BenchmarkIntsetFind/512", bench_intset_find },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
