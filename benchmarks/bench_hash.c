/*
 * bench_hash: benchmarks of the hash type (storage/t_hash.c) as HGET and HSET use it: a key
 * lookup then a field read or write, on a small hash (10 fields, listpack) and a large one
 * (1000 fields, hashtable). HSET replaces the value of an existing field, with a value of the
 * same length (in place) or of another length (the listpack moves bytes; the hashtable entry
 * is reallocated). The large benchmarks also report the hash's bytes per field. Run
 * `bench_hash -h` for the flags; bench.h describes the harness.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_hash.h"

#define SMALL 10
#define LARGE 1000

struct fixture {
	struct store *st;
	struct db *db;
	char fields[LARGE][16];
	size_t flen[LARGE];
};

static struct fixture fx;

/* Builds "small" (SMALL fields) and "large" (LARGE fields) once per process. */
static struct db *
fixture(void)
{
	struct obj_value v;
	struct obj *o;

	if (fx.st != NULL)
		return fx.db;
	obj_limits.hash_max_listpack_entries = 128;
	obj_limits.hash_max_listpack_value = 64;
	fx.st = store_new(1, 7);
	fx.db = store_db(fx.st, 0);
	for (int i = 0; i < LARGE; i++)
		fx.flen[i] = (size_t)snprintf(fx.fields[i], sizeof fx.fields[i], "field:%d", i);
	thash_value_new(&v);
	o = store_set_value(fx.db, "small", 5, &v, OBJ_NO_EXPIRE, 0);
	for (int i = 0; i < SMALL; i++)
		thash_set(o, fx.fields[i], fx.flen[i], "value-0123456789", 16, 0);
	thash_value_new(&v);
	o = store_set_value(fx.db, "large", 5, &v, OBJ_NO_EXPIRE, 0);
	for (int i = 0; i < LARGE; i++)
		thash_set(o, fx.fields[i], fx.flen[i], "value-0123456789", 16, 0);
	return fx.db;
}

static void
bench_get(struct bench *b, const char *key, int nfields)
{
	struct db *db = fixture();
	char buf[THASH_BUF];
	struct thash_field f;
	size_t total = 0;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		int k = (int)(i % (uint64_t)nfields);
		struct obj *o = store_lookup_read(db, key, 5, 0);

		if (thash_get(o, fx.fields[k], fx.flen[k], 0, buf, &f))
			total += f.vlen;
	}
	bench_keep(total);
}

static void
bench_set(struct bench *b, const char *key, int nfields, bool vary)
{
	static const char *vals[2] = { "value-0123456789", "other-value-0123456789" };
	struct db *db = fixture();

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		int k = (int)(i % (uint64_t)nfields);
		const char *v = vary ? vals[(i / (uint64_t)nfields) & 1] : vals[0];
		struct obj *o = store_lookup_write(db, key, 5, 0);

		thash_set(o, fx.fields[k], fx.flen[k], v, strlen(v), 0);
	}
	if (nfields == LARGE) {
		struct obj *o = store_lookup_read(db, key, 5, 0);

		bench_report_metric(b, (double)thash_payload_mem(obj_encoding(o), obj_ptr(o)) /
		    LARGE, "bytes/field");
	}
}

static void
get_small(struct bench *b)
{
	bench_get(b, "small", SMALL);
}

static void
get_large(struct bench *b)
{
	bench_get(b, "large", LARGE);
}

static void
set_small(struct bench *b)
{
	bench_set(b, "small", SMALL, false);
}

static void
set_small_resize(struct bench *b)
{
	bench_set(b, "small", SMALL, true);
}

static void
set_large(struct bench *b)
{
	bench_set(b, "large", LARGE, false);
}

static void
set_large_resize(struct bench *b)
{
	bench_set(b, "large", LARGE, true);
}

static const struct bench_def benches[] = {
	{ "BenchmarkHashGet/small_listpack", get_small },
	{ "BenchmarkHashGet/large_hashtable", get_large },
	{ "BenchmarkHashSet/small_listpack", set_small },
	{ "BenchmarkHashSet/small_listpack_resize", set_small_resize },
	{ "BenchmarkHashSet/large_hashtable", set_large },
	{ "BenchmarkHashSet/large_hashtable_resize", set_large_resize },
};

int
main(int argc, char **argv)
{
	int status = bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));

	/* The store keeps payload pointers unaligned inside each key, where LeakSanitizer does
	 * not look: free it rather than leave it reachable at exit. */
	store_free(fx.st);
	return status;
}
