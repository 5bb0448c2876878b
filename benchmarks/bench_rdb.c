/*
 * bench_rdb: RDB ingest, the work of a full sync's loader (storage/rdb/rdb_load.c): an RDB
 * image built once in memory is fed in 64 KiB blocks, as the replication link hands them over,
 * into a fresh store, which is then freed outside the timer. One op is one whole file; the line
 * also gives MB/s of RDB and ns per key.
 *
 *   /strings   100,000 string keys (16-byte values, every third with a TTL), as Redis 7.0 saves
 *              them (int-encoded where the value is an integer)
 *   /fixture   test/fixtures/redis-7.0.15.rdb (every type): from FIXTURES_DIR if set, else
 *              from the source tree the program was built from, else from the current
 *              directory and its parents
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/rdb/crc64.h"
#include "storage/rdb/rdb_load.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"

#define NKEYS 100000
#define BLOCK (64 * 1024)
#define NOW 1700000000000LL

struct image {
	unsigned char *p;
	size_t len;
	uint64_t keys;
};

static struct image strings_img, fixture_img;

static void
build_strings(void)
{
	struct rdb_buf b = { 0 };
	uint64_t crc;

	rdb_buf_put(&b, "REDIS0010", 9);
	rdb_buf_put_byte(&b, 0xfe);
	rdb_buf_put_len(&b, 0);
	rdb_buf_put_byte(&b, 0xfb);
	rdb_buf_put_len(&b, NKEYS);
	rdb_buf_put_len(&b, NKEYS / 3 + 1);
	for (int i = 0; i < NKEYS; i++) {
		char key[32], val[32];
		int kn = snprintf(key, sizeof key, "key:%07d", i);
		int vn = i % 5 == 0 ? snprintf(val, sizeof val, "%d", i) :
		    snprintf(val, sizeof val, "v%015d", i);

		if (i % 3 == 0) {
			rdb_buf_put_byte(&b, 0xfc);
			rdb_buf_put_i64le(&b, NOW + 3600000 + i);
		}
		rdb_buf_put_byte(&b, RDB_TYPE_STRING);
		rdb_buf_put_string(&b, key, (size_t)kn);
		rdb_buf_put_string(&b, val, (size_t)vn);
	}
	rdb_buf_put_byte(&b, 0xff);
	crc = crc64_update(0, b.p, b.len);
	rdb_buf_put_i64le(&b, (int64_t)crc);
	strings_img.p = b.p;
	strings_img.len = b.len;
	strings_img.keys = NKEYS;
}

static bool
read_file(const char *path, struct image *img)
{
	FILE *f = fopen(path, "rb");
	long n;

	if (f == NULL)
		return false;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	img->p = xmalloc((size_t)n);
	img->len = fread(img->p, 1, (size_t)n, f);
	fclose(f);
	return img->len == (size_t)n;
}

static bool
load_fixture(void)
{
	const char *dir = getenv("FIXTURES_DIR");
	char path[4096];

	if (fixture_img.p != NULL)
		return true;
	if (dir != NULL) {
		snprintf(path, sizeof path, "%s/redis-7.0.15.rdb", dir);
		return read_file(path, &fixture_img);
	}
#ifdef BENCH_FIXTURES_DIR
	snprintf(path, sizeof path, "%s/redis-7.0.15.rdb", BENCH_FIXTURES_DIR);
	if (read_file(path, &fixture_img))
		return true;
#endif
	for (int up = 0; up < 4; up++) {
		char rel[64] = "";

		for (int i = 0; i < up; i++)
			strcat(rel, "../");
		snprintf(path, sizeof path, "%stest/fixtures/redis-7.0.15.rdb", rel);
		if (read_file(path, &fixture_img))
			return true;
	}
	return false;
}

/* Loads img b->n times and leaves the timer stopped; returns the keys of the last load. */
static uint64_t
ingest(struct bench *b, const struct image *img)
{
	uint64_t keys = 0;

	bench_set_bytes(b, img->len);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct store *s = store_new(STORE_DEFAULT_DBS, 7);
		struct rdb_loader *l = rdb_loader_new(s, NOW);
		enum rdb_load_status st = RDB_LOAD_MORE;

		for (size_t off = 0; off < img->len && st == RDB_LOAD_MORE; off += BLOCK)
			st = rdb_loader_feed(l, img->p + off,
			    img->len - off < BLOCK ? img->len - off : BLOCK);
		if (st == RDB_LOAD_MORE)
			st = rdb_loader_finish(l);
		if (st != RDB_LOAD_DONE) {
			fprintf(stderr, "bench_rdb: load failed: %s\n", rdb_loader_error(l));
			exit(1);
		}
		keys = rdb_loader_stats(l)->keys;
		rdb_loader_free(l);
		bench_stop_timer(b);
		store_free(s);
		if (i + 1 < b->n)
			bench_start_timer(b);
	}
	return keys;
}

static void
bench_strings(struct bench *b)
{
	uint64_t keys;

	if (strings_img.p == NULL)
		build_strings();
	keys = ingest(b, &strings_img);
	bench_report_metric(b, (double)b->elapsed_ns / (double)b->n / (double)keys, "ns/key");
}

static void
bench_fixture(struct bench *b)
{
	uint64_t keys;

	if (!load_fixture()) {
		fprintf(stderr, "bench_rdb: test/fixtures/redis-7.0.15.rdb not found (set "
		    "FIXTURES_DIR)\n");
		exit(1);
	}
	keys = ingest(b, &fixture_img);
	bench_report_metric(b, (double)b->elapsed_ns / (double)b->n / (double)keys, "ns/key");
}

static const struct bench_def benches[] = {
	{ "BenchmarkRdbIngest/strings", bench_strings },
	{ "BenchmarkRdbIngest/fixture", bench_fixture },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof benches / sizeof benches[0]);
}
