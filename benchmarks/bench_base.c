/*
 * bench_base: benchmarks of storage/base, the allocator and number conversions that every
 * request and reply goes through (xmalloc/xfree; num_fmt_i64 for integer replies; num_parse_i64
 * for integer arguments). Run `bench_base -h` for the flags; bench.h describes the harness.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

static void
alloc_free(struct bench *b, size_t size)
{
	for (uint64_t i = 0; i < b->n; i++) {
		void *p = xmalloc(size);

		bench_keep(p);
		xfree(p);
	}
}

static void
bench_alloc_free_16(struct bench *b)
{
	alloc_free(b, 16);
}

static void
bench_alloc_free_256(struct bench *b)
{
	alloc_free(b, 256);
}

static void
bench_alloc_free_4096(struct bench *b)
{
	alloc_free(b, 4096);
}

static void
fmt_i64(struct bench *b, int64_t v)
{
	char buf[NUM_I64_MAX_CHARS];

	for (uint64_t i = 0; i < b->n; i++) {
		size_t len = num_fmt_i64(buf, v);

		bench_keep(len);
	}
}

static void
bench_fmt_1digit(struct bench *b)
{
	fmt_i64(b, 7);
}

static void
bench_fmt_10digits(struct bench *b)
{
	fmt_i64(b, 1234567890);
}

static void
bench_fmt_min(struct bench *b)
{
	fmt_i64(b, INT64_MIN);
}

static void
parse_i64(struct bench *b, const char *s)
{
	size_t len = strlen(s);

	bench_set_bytes(b, len);
	for (uint64_t i = 0; i < b->n; i++) {
		int64_t v = 0;
		bool ok = num_parse_i64(s, len, &v);

		bench_keep(ok);
		bench_keep(v);
	}
}

static void
bench_parse_1digit(struct bench *b)
{
	parse_i64(b, "7");
}

static void
bench_parse_10digits(struct bench *b)
{
	parse_i64(b, "1234567890");
}

static void
bench_parse_min(struct bench *b)
{
	parse_i64(b, "-9223372036854775808");
}

static void
bench_parse_invalid(struct bench *b)
{
	parse_i64(b, "12345678x");
}

static const struct bench_def benches[] = {
	{ "BenchmarkMemAllocFree/16", bench_alloc_free_16 },
	{ "BenchmarkMemAllocFree/256", bench_alloc_free_256 },
	{ "BenchmarkMemAllocFree/4096", bench_alloc_free_4096 },
	{ "BenchmarkNumFmtI64/1digit", bench_fmt_1digit },
	{ "BenchmarkNumFmtI64/10digits", bench_fmt_10digits },
	{ "BenchmarkNumFmtI64/min", bench_fmt_min },
	{ "BenchmarkNumParseI64/1digit", bench_parse_1digit },
	{ "BenchmarkNumParseI64/10digits", bench_parse_10digits },
	{ "BenchmarkNumParseI64/min", bench_parse_min },
	{ "BenchmarkNumParseI64/invalid", bench_parse_invalid },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
