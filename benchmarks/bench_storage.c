/*
 * bench_storage: benchmarks of the keyspace (storage/store.c, expire.c, t_string.c): GET-path
 * lookups on a 1M-key database, SET with and without TTL and with growing values, and the active
 * expiry cycle (a full cleanup, and the cost of one incremental step). Run `bench_storage -h`
 * for the flags; bench.h describes the harness.
 *
 * The 1M-key databases are built once per process, outside the timers, and reused by every call
 * the harness makes with a larger n.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"

#define NKEYS 1000000
#define KEYLEN 11		/* "key:%07d" */
#define VALUE "0123456789abcdef"

/* Shared fixtures of this benchmark program, built on first use. */
struct fixture {
	struct store *get_store;	/* NKEYS keys, read by the Get benchmarks */
	struct store *set_store;	/* written by the Set benchmarks */
	char (*keys)[16];		/* "key:%07d" for i < NKEYS */
	char (*misses)[16];		/* "nop:%07d": never present */
};

static struct fixture fx;

static void
make_keys(void)
{
	if (fx.keys != NULL)
		return;
	fx.keys = xmalloc(NKEYS * sizeof *fx.keys);
	fx.misses = xmalloc(NKEYS * sizeof *fx.misses);
	for (int i = 0; i < NKEYS; i++) {
		snprintf(fx.keys[i], sizeof fx.keys[i], "key:%07d", i);
		snprintf(fx.misses[i], sizeof fx.misses[i], "nop:%07d", i);
	}
}

static struct db *
get_db(void)
{
	if (fx.get_store == NULL) {
		struct db *db;

		make_keys();
		fx.get_store = store_new(STORE_DEFAULT_DBS, 1);
		db = store_db(fx.get_store, 0);
		for (int i = 0; i < NKEYS; i++)
			tstr_set(db, fx.keys[i], KEYLEN, VALUE, 16, OBJ_NO_EXPIRE, 0);
		while (store_rehash_step(fx.get_store, 1000000))
			;
	}
	return store_db(fx.get_store, 0);
}

static void
bench_get(struct bench *b, bool hit)
{
	struct db *db = get_db();
	char (*keys)[16] = hit ? fx.keys : fx.misses;
	uint64_t j = 0;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = store_lookup_read(db, keys[j], KEYLEN, 0);

		bench_keep(o);
		if (++j == NKEYS)
			j = 0;
	}
}

static void
bench_get_hit(struct bench *b)
{
	bench_get(b, true);
}

/*
 * GET over the first HOT_KEYS keys of the same 1M-key table: the working set fits in the CPU
 * caches, so this is the lookup's own cost; /hit above adds a cache and TLB miss per key.
 */
#define HOT_KEYS 4096

static void
bench_get_hit_hot(struct bench *b)
{
	struct db *db = get_db();
	uint64_t j = 0;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = store_lookup_read(db, fx.keys[j], KEYLEN, 0);

		bench_keep(o);
		if (++j == HOT_KEYS)
			j = 0;
	}
}

/*
 * GET of 16 keys at a time, as MGET runs them: the bucket lines of all 16 are prefetched
 * first, then each is looked up. ns/op is per key.
 */
#define BATCH 16

static void
bench_get_hit_batch16(struct bench *b)
{
	struct db *db = get_db();
	uint64_t j = 0;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i += BATCH) {
		uint64_t n = b->n - i < BATCH ? b->n - i : BATCH;

		if (j + n > NKEYS)
			j = 0;
		for (uint64_t k = 0; k < n; k++)
			store_prefetch(db, fx.keys[j + k], KEYLEN);
		for (uint64_t k = 0; k < n; k++)
			bench_keep(store_lookup_read(db, fx.keys[j + k], KEYLEN, 0));
		j += n;
	}
}

static void
bench_get_miss(struct bench *b)
{
	bench_get(b, false);
}

/*
 * SET of a 16-byte value on the NKEYS keys in turn, preloaded outside the timer, so every op
 * replaces a live value as a steady write stream does (an insert costs one allocation more).
 */
static void
bench_set(struct bench *b, bool ttl)
{
	struct db *db;
	uint64_t j = 0;

	make_keys();
	if (fx.set_store == NULL) {
		fx.set_store = store_new(STORE_DEFAULT_DBS, 2);
		db = store_db(fx.set_store, 0);
		for (int i = 0; i < NKEYS; i++)
			tstr_set(db, fx.keys[i], KEYLEN, VALUE, 16, OBJ_NO_EXPIRE, 0);
		while (store_rehash_step(fx.set_store, 1000000))
			;
	}
	db = store_db(fx.set_store, 0);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = tstr_set(db, fx.keys[j], KEYLEN, VALUE, 16,
		    ttl ? (int64_t)(1700000000000 + i) : OBJ_NO_EXPIRE, 0);

		bench_keep(o);
		if (++j == NKEYS)
			j = 0;
	}
}

static void
bench_set_no_ttl(struct bench *b)
{
	bench_set(b, false);
}

static void
bench_set_ttl(struct bench *b)
{
	bench_set(b, true);
}

/* SET of size-byte values over 1024 keys (bounded memory for the large sizes). */
static void
bench_set_size(struct bench *b, size_t size)
{
	struct store *s = store_new(1, 3);
	struct db *db = store_db(s, 0);
	char *value = xmalloc(size);
	uint64_t j = 0;

	make_keys();
	memset(value, 'v', size);
	bench_set_bytes(b, size);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct obj *o = tstr_set(db, fx.keys[j], KEYLEN, value, size, OBJ_NO_EXPIRE, 0);

		bench_keep(o);
		j = (j + 1) & 1023;
	}
	bench_stop_timer(b);
	xfree(value);
	store_free(s);
}

static void
bench_set_size_16(struct bench *b)
{
	bench_set_size(b, 16);
}

static void
bench_set_size_128(struct bench *b)
{
	bench_set_size(b, 128);
}

static void
bench_set_size_1024(struct bench *b)
{
	bench_set_size(b, 1024);
}

static void
bench_set_size_16384(struct bench *b)
{
	bench_set_size(b, 16384);
}

/*
 * One op = one expired key removed by the active cycle: n volatile keys, all expired, and the
 * cycle runs with an unbounded budget until none is left.
 */
static void
bench_expiration_cleanup(struct bench *b)
{
	struct store *s = store_new(1, 4);
	struct db *db = store_db(s, 0);
	char key[24];

	store_set_mode(s, STORE_OFFLINE);
	bench_stop_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		int n = snprintf(key, sizeof key, "key:%07llu", (unsigned long long)i);

		tstr_set(db, key, (size_t)n, VALUE, 16, 1000, 0);
	}
	bench_start_timer(b);
	while (store_db_expires(db) > 0)
		store_expire_cycle(s, 2000, UINT64_MAX);
	bench_stop_timer(b);
	store_free(s);
}

/*
 * One op = one incremental step of the active cycle (a budget of 20 keys checked) on a 1M-key
 * database where a quarter of the volatile keys have expired; expired keys are put back outside
 * the timer as the steps drain them.
 */
static void
bench_cleanup_incremental(struct bench *b)
{
	struct store *s = store_new(1, 5);
	struct db *db = store_db(s, 0);
	uint64_t removed = 0;

	make_keys();
	store_set_mode(s, STORE_OFFLINE);
	for (int i = 0; i < NKEYS; i++)
		tstr_set(db, fx.keys[i], KEYLEN, VALUE, 16, i % 4 == 0 ? 1000 : 100000, 0);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		removed += store_expire_cycle(s, 2000, 20);
		if (removed >= NKEYS / 8) {
			bench_stop_timer(b);
			for (int k = 0; k < NKEYS; k += 4)
				tstr_set(db, fx.keys[k], KEYLEN, VALUE, 16, 1000, 0);
			removed = 0;
			bench_start_timer(b);
		}
	}
	bench_stop_timer(b);
	store_free(s);
}

static const struct bench_def benches[] = {
	{ "BenchmarkStorageGet/hit", bench_get_hit },
	{ "BenchmarkStorageGet/hit_hot", bench_get_hit_hot },
	{ "BenchmarkStorageGet/hit_batch16", bench_get_hit_batch16 },
	{ "BenchmarkStorageGet/miss", bench_get_miss },
	{ "BenchmarkStorageSet/no_ttl", bench_set_no_ttl },
	{ "BenchmarkStorageSet/ttl", bench_set_ttl },
	{ "BenchmarkStorageSetWithVaryingSize/16", bench_set_size_16 },
	{ "BenchmarkStorageSetWithVaryingSize/128", bench_set_size_128 },
	{ "BenchmarkStorageSetWithVaryingSize/1024", bench_set_size_1024 },
	{ "BenchmarkStorageSetWithVaryingSize/16384", bench_set_size_16384 },
	{ "BenchmarkExpirationCleanup", bench_expiration_cleanup },
	{ "BenchmarkCleanupIncremental", bench_cleanup_incremental },
};

int
main(int argc, char **argv)
{
	int rc = bench_main(argc, argv, benches, sizeof benches / sizeof benches[0]);

	store_free(fx.get_store);
	store_free(fx.set_store);
	xfree(fx.keys);
	xfree(fx.misses);
	return rc;
}
