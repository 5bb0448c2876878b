/*
 * bench_stream: benchmarks of the stream type (storage/t_stream.c) as XADD and XRANGE use it.
 * BenchmarkStreamAdd appends entries with automatic ids (two field/value pairs, the same fields
 * each time, so entries after a node's first are stored without their field names, as Redis
 * does) and also reports the bytes each entry costs. BenchmarkStreamRange reads 10 entries from
 * the middle of a 100k-entry stream (a binary search over nodes, then a walk in one or two
 * listpacks), reading every field and value as XRANGE's reply does. Run `bench_stream -h` for
 * the flags; bench.h describes the harness.
 */
#include <stdint.h>
#include <stdio.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/t_stream.h"

#define RANGE_ENTRIES 100000

static const struct stream_str fields[4] = {
	{ "sensor", 6 }, { "temperature-17", 14 }, { "reading", 7 }, { "1234567", 7 },
};

static void
bench_add(struct bench *b)
{
	struct stream *s = stream_new();
	struct stream_id id;
	int64_t before = mem_used();

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		stream_append(s, fields, 2, NULL, false, 1700000000000 + (int64_t)(i / 8), &id);
	bench_stop_timer(b);
	bench_report_metric(b, (double)(mem_used() - before) / (double)b->n, "bytes/entry");
	stream_free(s);
}

static struct stream *range_stream;

static void
bench_range(struct bench *b)
{
	char fbuf[LP_INTBUF], vbuf[LP_INTBUF];
	struct stream_id start = { 1700000000000 + RANGE_ENTRIES / 2, 0 };
	struct stream_id end = { UINT64_MAX, UINT64_MAX };
	size_t bytes = 0;

	if (range_stream == NULL) {
		struct stream_id id;

		range_stream = stream_new();
		for (int i = 0; i < RANGE_ENTRIES; i++)
			stream_append(range_stream, fields, 2, NULL, false, 1700000000000 + i, &id);
	}
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct stream_iter it;
		struct stream_id id;
		int64_t nf;

		stream_iter_start(&it, range_stream, &start, &end, false);
		for (int k = 0; k < 10 && stream_iter_next(&it, &id, &nf); k++) {
			while (nf-- > 0) {
				const unsigned char *f, *v;
				size_t flen, vlen;

				stream_iter_field(&it, &f, &flen, &v, &vlen, fbuf, vbuf);
				bytes += flen + vlen;
			}
		}
	}
	bench_keep(bytes);
}

static const struct bench_def benches[] = {
	{ "BenchmarkStreamAdd", bench_add },
	{ "BenchmarkStreamRange", bench_range },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
