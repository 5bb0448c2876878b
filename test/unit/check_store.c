/*
 * check_store: the keyspace (storage/store.c, expire.c): replica and offline expiry with time
 * passed in, the active expiry cycle and its budget, avg_ttl, counts, overwrite and TTL rules,
 * RENAME/MOVE/COPY, SCAN and RANDOMKEY over expired keys, flush, SWAPDB and the full-sync swap.
 */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"

static struct store *st;
static struct db *db0;

static void
setup(void)
{
	st = store_new(STORE_DEFAULT_DBS, 1234);
	db0 = store_db(st, 0);
}

static void
teardown(void)
{
	store_free(st);
	st = NULL;
}

static struct obj *
set_str(struct db *db, const char *key, const char *val, int64_t expire)
{
	return tstr_set(db, key, strlen(key), val, strlen(val), expire, 0);
}

static bool
value_is(const struct obj *o, const char *want)
{
	char ibuf[TSTR_INT_BUF];
	size_t len;
	const char *p;

	if (o == NULL)
		return false;
	p = tstr_get(o, ibuf, &len);
	return len == strlen(want) && memcmp(p, want, len) == 0;
}

static struct obj *
rd(struct db *db, const char *key, int64_t now)
{
	return store_lookup_read(db, key, strlen(key), now);
}

static struct obj *
wr(struct db *db, const char *key, int64_t now)
{
	return store_lookup_write(db, key, strlen(key), now);
}

/* Expiry by mode: the key expires when now > deadline. */
static const struct expiry_case {
	enum store_mode mode;
	int64_t now;
	bool read_sees, write_sees, still_stored;
} expiry_cases[] = {
	{ STORE_REPLICA, 999, true, true, true },
	{ STORE_REPLICA, 1000, true, true, true },
	{ STORE_REPLICA, 1001, false, true, true },
	{ STORE_OFFLINE, 1000, true, true, true },
	{ STORE_OFFLINE, 1001, false, false, false },
};

START_TEST(test_expiry_modes)
{
	const struct expiry_case *c = &expiry_cases[_i];

	store_set_mode(st, c->mode);
	set_str(db0, "k", "v", 1000);
	set_str(db0, "p", "persistent", OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_expires(db0), 1);
	ck_assert_int_eq(rd(db0, "k", c->now) != NULL, c->read_sees);
	ck_assert_int_eq(wr(db0, "k", c->now) != NULL, c->write_sees);
	ck_assert_int_eq(store_lookup_any(db0, "k", 1) != NULL, c->still_stored);
	ck_assert_uint_eq(store_db_size(db0), c->still_stored ? 2 : 1);
	ck_assert_uint_eq(store_db_expires(db0), c->still_stored ? 1 : 0);
	ck_assert(value_is(rd(db0, "p", c->now), "persistent"));
}
END_TEST

START_TEST(test_delete)
{
	store_set_mode(st, STORE_REPLICA);
	set_str(db0, "a", "1", 100);
	ck_assert(store_delete(db0, "a", 1, 500));	/* the primary's DEL counts */
	ck_assert(!store_delete(db0, "a", 1, 500));
	store_set_mode(st, STORE_OFFLINE);
	set_str(db0, "a", "1", 100);
	ck_assert(!store_delete(db0, "a", 1, 500));	/* expired: removed, reported absent */
	ck_assert_uint_eq(store_db_size(db0), 0);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	set_str(db0, "a", "1", 1000);
	ck_assert(store_delete(db0, "a", 1, 500));
}
END_TEST

START_TEST(test_overwrite_ttl)
{
	struct obj *o;

	o = set_str(db0, "k", "v1", 5000);
	ck_assert_int_eq(obj_expire(o), 5000);
	o = set_str(db0, "k", "v2", STORE_KEEP_TTL);
	ck_assert_int_eq(obj_expire(o), 5000);
	ck_assert(value_is(o, "v2"));
	o = set_str(db0, "k", "a value long enough to be a raw string, over 44 bytes", STORE_KEEP_TTL);
	ck_assert_int_eq(obj_expire(o), 5000);
	ck_assert_uint_eq(store_db_expires(db0), 1);
	o = set_str(db0, "k", "v3", OBJ_NO_EXPIRE);
	ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	o = set_str(db0, "k", "v4", STORE_KEEP_TTL);
	ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);
	o = set_str(db0, "new", "x", STORE_KEEP_TTL);
	ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_size(db0), 2);
	/* KEEPTTL over an expired key: the primary's view keeps it; offline there is none. */
	set_str(db0, "e", "1", 100);
	o = tstr_set(db0, "e", 1, "2", 1, STORE_KEEP_TTL, 200);
	ck_assert_int_eq(obj_expire(o), 100);
	store_set_mode(st, STORE_OFFLINE);
	o = tstr_set(db0, "e", 1, "3", 1, STORE_KEEP_TTL, 200);
	ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_expires(db0), 0);
}
END_TEST

START_TEST(test_set_expire)
{
	struct obj *o;
	char key[300];

	/* Keys of every size class, short and long (>= 255 bytes take the long header). */
	for (size_t klen = 1; klen < sizeof key; klen += 37) {
		memset(key, 'k', klen);
		o = tstr_set(db0, key, klen, "value", 5, OBJ_NO_EXPIRE, 0);
		o = store_set_expire(db0, o, 777);
		ck_assert_int_eq(obj_expire(o), 777);
		ck_assert(value_is(o, "value"));
		ck_assert_ptr_eq(store_lookup_any(db0, key, klen), o);
		o = store_set_expire(db0, o, 888);
		ck_assert_int_eq(obj_expire(o), 888);
		o = store_set_expire(db0, o, OBJ_NO_EXPIRE);
		ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);
		o = store_set_expire(db0, o, 999);
		ck_assert_ptr_eq(store_lookup_any(db0, key, klen), o);
		{
			size_t l;
			const char *k = obj_key(o, &l);

			ck_assert_uint_eq(l, klen);
			ck_assert(memcmp(k, key, klen) == 0);
		}
	}
	ck_assert_uint_eq(store_db_expires(db0), store_db_size(db0));
}
END_TEST

/* The expiry index stays consistent through random TTL churn (checked through the cycle). */
START_TEST(test_expire_index_churn)
{
	enum { N = 3000 };
	uint64_t rng = 77;
	bool has[N] = { false };
	size_t want = 0;
	char key[16];

	store_set_mode(st, STORE_OFFLINE);
	for (int round = 0; round < 20000; round++) {
		int i = (int)((rng = rng * 6364136223846793005ULL + 1442695040888963407ULL) >> 33) % N;
		int n = snprintf(key, sizeof key, "k%d", i);
		struct obj *o = store_lookup_any(db0, key, (size_t)n);

		switch (round % 4) {
		case 0:
			o = tstr_set(db0, key, (size_t)n, "v", 1, 10000 + i, 0);
			break;
		case 1:
			if (o != NULL)
				store_set_expire(db0, o, OBJ_NO_EXPIRE);
			break;
		case 2:
			store_delete(db0, key, (size_t)n, 0);
			break;
		case 3:
			if (o != NULL)
				store_set_expire(db0, o, 10000 + i);
			break;
		}
	}
	for (int i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);
		struct obj *o = store_lookup_any(db0, key, (size_t)n);

		has[i] = o != NULL && obj_expire(o) != OBJ_NO_EXPIRE;
		want += has[i];
	}
	ck_assert_uint_eq(store_db_expires(db0), want);
	/* Everything volatile expires at 10000 + i: at now = 20000 the cycle removes exactly those. */
	while (store_expire_cycle(st, 20000, 100000) > 0)
		;
	ck_assert_uint_eq(store_db_expires(db0), 0);
	for (int i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "k%d", i);

		ck_assert_int_eq(store_lookup_any(db0, key, (size_t)n) != NULL && has[i], false);
	}
}
END_TEST

static void
fill(struct db *db, int n, int64_t expire_every_other)
{
	char key[32];

	for (int i = 0; i < n; i++) {
		int len = snprintf(key, sizeof key, "key:%d", i);

		tstr_set(db, key, (size_t)len, "0123456789abcdef", 16,
		    (i % 2 == 0 && expire_every_other != OBJ_NO_EXPIRE) ? expire_every_other :
		    OBJ_NO_EXPIRE, 0);
	}
}

START_TEST(test_expire_cycle_replica_noop)
{
	fill(db0, 1000, 50);
	store_set_mode(st, STORE_REPLICA);
	ck_assert_uint_eq(store_expire_cycle(st, 100, 1000000), 0);
	ck_assert_uint_eq(store_db_size(db0), 1000);
	ck_assert_int_eq(store_db_avg_ttl(db0), 0);
}
END_TEST

START_TEST(test_expire_cycle_removes)
{
	size_t removed = 0;
	int calls = 0;

	store_set_mode(st, STORE_OFFLINE);
	fill(db0, 10000, 50);
	fill(store_db(st, 3), 100, 50);
	/* A budget of 100 keys checked per call without a clock: each call does bounded work. */
	for (;;) {
		size_t r = store_expire_cycle(st, 100, 100);

		ck_assert_uint_le(r, 120);
		removed += r;
		calls++;
		if (store_db_expires(db0) == 0 && store_db_expires(store_db(st, 3)) == 0)
			break;
		ck_assert_int_lt(calls, 1000);
	}
	ck_assert_uint_eq(removed, 5050);
	ck_assert_uint_eq(store_db_size(db0), 5000);
	ck_assert_uint_eq(store_db_size(store_db(st, 3)), 50);
	ck_assert_ptr_null(rd(db0, "key:0", 100));
	ck_assert_ptr_nonnull(rd(db0, "key:1", 100));
}
END_TEST

/* Nothing expired: the cycle checks one batch per db and stops (expired share under 10%). */
START_TEST(test_expire_cycle_stops_when_fresh)
{
	store_set_mode(st, STORE_OFFLINE);
	fill(db0, 10000, 100000);
	ck_assert_uint_eq(store_expire_cycle(st, 0, 1000000), 0);
	ck_assert_uint_eq(store_db_expires(db0), 5000);
	/* avg_ttl: every volatile key has 100000 ms left at now = 0. */
	ck_assert_int_eq(store_db_avg_ttl(db0), 100000);
	ck_assert_int_eq(store_db_avg_ttl(store_db(st, 1)), 0);
	/* A later cycle folds new samples in with a 49:1 weight. */
	store_expire_cycle(st, 50000, 1000000);
	ck_assert_int_eq(store_db_avg_ttl(db0), 100000 / 50 * 49 + 50000 / 50);
}
END_TEST

static uint64_t fake_us;

static uint64_t
fake_clock(void *arg)
{
	fake_us += *(uint64_t *)arg;
	return fake_us;
}

/* With a clock, the cycle returns once its time budget is spent and resumes later. */
START_TEST(test_expire_cycle_clock_budget)
{
	uint64_t tick = 10;
	size_t r, total = 0;
	int calls = 0;

	store_set_mode(st, STORE_OFFLINE);
	store_set_clock(st, fake_clock, &tick);
	fill(db0, 20000, 50);
	/* The clock is read every 16 batches (320 keys): 10 us a read, budget 25 us. */
	r = store_expire_cycle(st, 100, 25);
	ck_assert_uint_gt(r, 0);
	ck_assert_uint_le(r, 3 * 16 * 20);
	total = r;
	while (store_db_expires(db0) > 0) {
		total += store_expire_cycle(st, 100, 25);
		ck_assert_int_lt(++calls, 10000);
	}
	ck_assert_uint_eq(total, 10000);
}
END_TEST

START_TEST(test_lazy_offline_read_deletes)
{
	store_set_mode(st, STORE_OFFLINE);
	fill(db0, 100, 50);
	ck_assert_ptr_null(rd(db0, "key:0", 51));
	ck_assert_uint_eq(store_db_size(db0), 99);
	ck_assert_uint_eq(store_db_expires(db0), 49);
}
END_TEST

START_TEST(test_rename)
{
	struct obj *o;
	void *payload;
	const char *big = "a raw value: longer than forty-four bytes, so it lives apart";

	o = set_str(db0, "src", big, 9000);
	payload = obj_ptr(o);
	ck_assert_int_eq(store_rename(db0, "nope", 4, "dst", 3, false, 0), STORE_NOT_FOUND);
	ck_assert_int_eq(store_rename(db0, "src", 3, "dst", 3, false, 0), STORE_OK);
	ck_assert_ptr_null(store_lookup_any(db0, "src", 3));
	o = rd(db0, "dst", 0);
	ck_assert(value_is(o, big));
	ck_assert_ptr_eq(obj_ptr(o), payload);	/* moved, not copied */
	ck_assert_int_eq(obj_expire(o), 9000);
	ck_assert_uint_eq(store_db_expires(db0), 1);
	/* Same key: OK (or EXISTS with NX), nothing changes. */
	ck_assert_int_eq(store_rename(db0, "dst", 3, "dst", 3, false, 0), STORE_OK);
	ck_assert_int_eq(store_rename(db0, "dst", 3, "dst", 3, true, 0), STORE_EXISTS);
	/* Over an existing key: replaced, its TTL gone with it; NX refuses. */
	set_str(db0, "other", "x", 5);
	ck_assert_int_eq(store_rename(db0, "dst", 3, "other", 5, true, 0), STORE_EXISTS);
	ck_assert_int_eq(store_rename(db0, "other", 5, "dst", 3, false, 0), STORE_OK);
	o = rd(db0, "dst", 0);
	ck_assert(value_is(o, "x"));
	ck_assert_int_eq(obj_expire(o), 5);
	ck_assert_uint_eq(store_db_size(db0), 1);
	ck_assert_uint_eq(store_db_expires(db0), 1);
}
END_TEST

START_TEST(test_rename_expired_offline)
{
	store_set_mode(st, STORE_OFFLINE);
	set_str(db0, "src", "v", 10);
	ck_assert_int_eq(store_rename(db0, "src", 3, "dst", 3, false, 11), STORE_NOT_FOUND);
	store_set_mode(st, STORE_REPLICA);
	set_str(db0, "src", "v", 10);
	ck_assert_int_eq(store_rename(db0, "src", 3, "dst", 3, false, 11), STORE_OK);
}
END_TEST

START_TEST(test_move)
{
	struct db *db1 = store_db(st, 1);
	struct obj *o;

	set_str(db0, "k", "hello", 4242);
	set_str(db1, "taken", "x", OBJ_NO_EXPIRE);
	set_str(db0, "taken", "y", OBJ_NO_EXPIRE);
	ck_assert_int_eq(store_move(db0, db1, "none", 4, 0), STORE_NOT_FOUND);
	ck_assert_int_eq(store_move(db0, db1, "taken", 5, 0), STORE_EXISTS);
	ck_assert_int_eq(store_move(db0, db1, "k", 1, 0), STORE_OK);
	ck_assert_ptr_null(rd(db0, "k", 0));
	o = rd(db1, "k", 0);
	ck_assert(value_is(o, "hello"));
	ck_assert_int_eq(obj_expire(o), 4242);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	ck_assert_uint_eq(store_db_expires(db1), 1);
	ck_assert_uint_eq(store_db_size(db1), 2);
}
END_TEST

START_TEST(test_copy)
{
	struct db *db1 = store_db(st, 1);
	const char *big = "a raw value: longer than forty-four bytes, so it lives apart";
	struct obj *a, *b;

	set_str(db0, "src", big, 31337);
	set_str(db1, "dst", "old", OBJ_NO_EXPIRE);
	ck_assert_int_eq(store_copy(db0, "x", 1, db1, "dst", 3, false, 0), STORE_NOT_FOUND);
	ck_assert_int_eq(store_copy(db0, "src", 3, db1, "dst", 3, false, 0), STORE_EXISTS);
	ck_assert(value_is(rd(db1, "dst", 0), "old"));
	ck_assert_int_eq(store_copy(db0, "src", 3, db1, "dst", 3, true, 0), STORE_OK);
	a = rd(db0, "src", 0);
	b = rd(db1, "dst", 0);
	ck_assert(value_is(b, big));
	ck_assert_int_eq(obj_expire(b), 31337);
	ck_assert_ptr_ne(obj_ptr(a), obj_ptr(b));	/* a deep copy */
	ck_assert_int_eq(store_copy(db0, "src", 3, db0, "src2", 4, false, 0), STORE_OK);
	ck_assert(value_is(rd(db0, "src2", 0), big));
	ck_assert_uint_eq(store_db_expires(db0), 2);
}
END_TEST

struct scan_seen {
	int count;
	bool seen[1000];
};

static void
scan_cb(struct obj *o, void *arg)
{
	struct scan_seen *s = arg;
	size_t len;
	const char *k = obj_key(o, &len);
	char digits[16];
	int id;

	ck_assert(len > 4 && len < 4 + sizeof digits && memcmp(k, "key:", 4) == 0);
	memcpy(digits, k + 4, len - 4);
	digits[len - 4] = '\0';
	id = atoi(digits);
	ck_assert(id >= 0 && id < 1000);
	s->seen[id] = true;
	s->count++;
}

START_TEST(test_scan_filters_expired)
{
	static struct scan_seen s;
	uint64_t cursor = 0;
	int calls = 0;

	memset(&s, 0, sizeof s);
	store_set_mode(st, _i == 0 ? STORE_REPLICA : STORE_OFFLINE);
	fill(db0, 1000, 50);
	do {
		cursor = store_scan(db0, cursor, 10, 100, scan_cb, &s);
		calls++;
	} while (cursor != 0);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(s.seen[i], i % 2 == 1);
	ck_assert_int_gt(calls, 1);
	ck_assert_uint_eq(store_db_size(db0), _i == 0 ? 1000 : 500);
}
END_TEST

static void
count_cb(struct obj *o, void *arg)
{
	(*(int *)arg)++;
}

START_TEST(test_foreach)
{
	int n = 0;

	store_db_foreach(db0, count_cb, &n);
	ck_assert_int_eq(n, 0);
	fill(db0, 3000, 50);
	/* Mid-resize too: every key exactly once, expired ones included. */
	store_db_foreach(db0, count_cb, &n);
	ck_assert_int_eq(n, 3000);
}
END_TEST

START_TEST(test_random_key)
{
	struct obj *o;

	ck_assert_ptr_null(store_random_key(db0, 0));
	fill(db0, 200, 50);
	for (int i = 0; i < 200; i++) {
		size_t len;

		o = store_random_key(db0, 100);
		ck_assert_ptr_nonnull(o);
		obj_key(o, &len);
		ck_assert_int_eq(obj_expire(o), OBJ_NO_EXPIRE);	/* only live keys */
	}
}
END_TEST

START_TEST(test_random_key_all_volatile)
{
	struct obj *o;
	char key[16];

	for (int i = 0; i < 10; i++) {
		int n = snprintf(key, sizeof key, "v%d", i);

		tstr_set(db0, key, (size_t)n, "x", 1, 10, 0);
	}
	/* Replica: every key expired; after 100 draws an expired key is returned. */
	o = store_random_key(db0, 100);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(store_db_size(db0), 10);
	store_set_mode(st, STORE_OFFLINE);
	ck_assert_ptr_null(store_random_key(db0, 100));
	ck_assert_uint_eq(store_db_size(db0), 0);
}
END_TEST

START_TEST(test_flush)
{
	struct store *old;

	fill(db0, 100, 50);
	fill(store_db(st, 2), 10, OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_flushdb(db0), 100);
	ck_assert_uint_eq(store_db_size(db0), 0);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	ck_assert_uint_eq(store_db_size(store_db(st, 2)), 10);
	fill(db0, 100, 50);
	old = store_flushdb_detach(db0);
	ck_assert_uint_eq(store_db_size(db0), 0);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	ck_assert_uint_eq(store_db_size(store_db(old, 0)), 100);
	ck_assert_uint_eq(store_db_expires(store_db(old, 0)), 50);
	store_free(old);
	/* The db is usable after both. */
	set_str(db0, "a", "b", OBJ_NO_EXPIRE);
	ck_assert(value_is(rd(db0, "a", 0), "b"));
	store_flushall(st);
	ck_assert_uint_eq(store_db_size(db0), 0);
	ck_assert_uint_eq(store_db_size(store_db(st, 2)), 0);
}
END_TEST

START_TEST(test_swapdb)
{
	struct db *db1 = store_db(st, 1);

	set_str(db0, "zero", "0", 100);
	set_str(db1, "one", "1", OBJ_NO_EXPIRE);
	store_swapdb(st, 0, 1);
	ck_assert_ptr_eq(store_db(st, 0), db0);
	ck_assert(value_is(rd(db0, "one", 0), "1"));
	ck_assert_ptr_null(rd(db0, "zero", 0));
	ck_assert(value_is(rd(db1, "zero", 0), "0"));
	ck_assert_uint_eq(store_db_expires(db1), 1);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	/* The expiry index moved along: deleting through the new db keeps counts right. */
	ck_assert(store_delete(db1, "zero", 4, 0));
	ck_assert_uint_eq(store_db_expires(db1), 0);
	store_swapdb(st, 3, 3);
}
END_TEST

static void *
free_thread(void *arg)
{
	store_free(arg);
	return NULL;
}

START_TEST(test_swap_fresh_store)
{
	struct store *fresh = store_new(STORE_DEFAULT_DBS, 99);
	pthread_t th;

	fill(db0, 1000, 50);
	fill(store_db(fresh, 0), 10, OBJ_NO_EXPIRE);
	set_str(store_db(fresh, 5), "five", "5", 77);
	store_swap(st, fresh);
	ck_assert_uint_eq(store_db_size(db0), 10);
	ck_assert_uint_eq(store_db_expires(db0), 0);
	ck_assert(value_is(rd(store_db(st, 5), "five", 0), "5"));
	ck_assert_uint_eq(store_db_expires(store_db(st, 5)), 1);
	ck_assert_uint_eq(store_db_size(store_db(fresh, 0)), 1000);
	/* The old keyspace is freed off the main thread. */
	ck_assert_int_eq(pthread_create(&th, NULL, free_thread, fresh), 0);
	ck_assert_int_eq(pthread_join(th, NULL), 0);
	set_str(db0, "after", "swap", OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_size(db0), 11);
}
END_TEST

START_TEST(test_rehash_step)
{
	char key[32];

	fill(db0, 5000, OBJ_NO_EXPIRE);
	/* Delete most keys: the cron step shrinks the table and finishes within its budget. */
	for (int i = 100; i < 5000; i++) {
		int n = snprintf(key, sizeof key, "key:%d", i);

		ck_assert(store_delete(db0, key, (size_t)n, 0));
	}
	while (store_rehash_step(st, 1000))
		;
	ck_assert_uint_eq(store_db_size(db0), 100);
	for (int i = 0; i < 100; i++) {
		int n = snprintf(key, sizeof key, "key:%d", i);

		ck_assert_ptr_nonnull(store_lookup_any(db0, key, (size_t)n));
	}
	ck_assert(!store_rehash_step(st, 1000));
}
END_TEST

START_TEST(test_expand_hint)
{
	store_db_expand(db0, 100000);
	fill(db0, 1000, OBJ_NO_EXPIRE);
	ck_assert_uint_eq(store_db_size(db0), 1000);
}
END_TEST

/* OBJECT IDLETIME: writes and touching lookups record the time; peek and RENAME keep it. */
START_TEST(test_idle_time)
{
	struct obj *o;

	tstr_set(db0, "k", 1, "v", 1, OBJ_NO_EXPIRE, 5000);
	o = store_lookup_peek(db0, "k", 1, 65000);
	ck_assert_int_eq(obj_idle_seconds(o, 65000), 60);
	o = store_lookup_read(db0, "k", 1, 70000);
	ck_assert_int_eq(obj_idle_seconds(o, 70999), 0);
	ck_assert_int_eq(obj_idle_seconds(o, 75000), 5);
	ck_assert_int_eq(store_rename(db0, "k", 1, "r", 1, false, 80000), STORE_OK);
	o = store_lookup_peek(db0, "r", 1, 90000);
	ck_assert_int_eq(obj_idle_seconds(o, 90000), 10);	/* the write lookup of RENAME */
	ck_assert_int_eq(store_copy(db0, "r", 1, db0, "c", 1, false, 100000), STORE_OK);
	ck_assert_int_eq(obj_idle_seconds(store_lookup_peek(db0, "c", 1, 100000), 103000), 3);
	o = store_lookup_write(db0, "r", 1, 200000);
	ck_assert_int_eq(obj_idle_seconds(o, 200000), 0);
	/* A clock that steps back reads as no idle time. */
	ck_assert_int_eq(obj_idle_seconds(o, 100000), 0);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_str_eq(obj_type_name(OBJ_STRING), "string");
	ck_assert_str_eq(obj_type_name(OBJ_ZSET), "zset");
	ck_assert_str_eq(obj_type_name(OBJ_STREAM), "stream");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_EMBSTR), "embstr");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_LISTPACK), "listpack");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_QUICKLIST), "quicklist");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_INTSET), "intset");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_SKIPLIST), "skiplist");
	ck_assert_str_eq(obj_encoding_name(OBJ_ENC_HASHTABLE), "hashtable");
}
END_TEST

/* Returns the resident set size of this process in bytes. */
static int64_t
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long long size = 0, resident = 0;

	if (f == NULL)
		return 0;
	if (fscanf(f, "%lld %lld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (int64_t)resident * 4096;
}

/*
 * Memory per key, the headline figure: 1M keys "key:%07d" with 16-byte values. Prints bytes per
 * key by the allocator's count (usable bytes) and by RSS (what the kernel charges, glibc's chunk
 * headers and free lists included), for comparison with redis-server's used_memory and RSS.
 */
START_TEST(test_memory_per_key)
{
	enum { N = 1000000 };
	int64_t used0 = mem_used(), rss0 = rss_bytes(), used, rss;
	char key[32];

	for (int i = 0; i < N; i++) {
		int n = snprintf(key, sizeof key, "key:%07d", i);

		tstr_set(db0, key, (size_t)n, "0123456789abcdef", 16, OBJ_NO_EXPIRE, 0);
	}
	while (store_rehash_step(st, 1000000))
		;
	used = mem_used() - used0;
	rss = rss_bytes() - rss0;
	printf("storage memory: %d keys \"key:%%07d\" + 16-byte values: %.1f B/key used, "
	    "%.1f B/key RSS\n", N, (double)used / N, (double)rss / N);
	/* One 48-byte chunk (40 usable) per key plus the bucket lines. */
	ck_assert_int_le(used / N, 64);
#ifndef __SANITIZE_ADDRESS__
	/* Sanitizers and valgrind (its preload in LD_PRELOAD) bring their own allocator. */
	if (getenv("LD_PRELOAD") == NULL || strstr(getenv("LD_PRELOAD"), "vgpreload") == NULL)
		ck_assert_int_le(rss / N, 80);
#endif
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc;

	tc = tcase_create("expiry");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_expiry_modes, 0,
	    (int)(sizeof expiry_cases / sizeof expiry_cases[0]));
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_overwrite_ttl);
	tcase_add_test(tc, test_set_expire);
	tcase_add_test(tc, test_expire_index_churn);
	tcase_add_test(tc, test_lazy_offline_read_deletes);
	suite_add_tcase(s, tc);

	tc = tcase_create("expire_cycle");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_expire_cycle_replica_noop);
	tcase_add_test(tc, test_expire_cycle_removes);
	tcase_add_test(tc, test_expire_cycle_stops_when_fresh);
	tcase_add_test(tc, test_expire_cycle_clock_budget);
	suite_add_tcase(s, tc);

	tc = tcase_create("keyspace_ops");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rename);
	tcase_add_test(tc, test_rename_expired_offline);
	tcase_add_test(tc, test_move);
	tcase_add_test(tc, test_copy);
	tcase_add_loop_test(tc, test_scan_filters_expired, 0, 2);
	tcase_add_test(tc, test_random_key);
	tcase_add_test(tc, test_foreach);
	tcase_add_test(tc, test_random_key_all_volatile);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_flush);
	tcase_add_test(tc, test_swapdb);
	tcase_add_test(tc, test_swap_fresh_store);
	tcase_add_test(tc, test_rehash_step);
	tcase_add_test(tc, test_expand_hint);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_idle_time);
	tcase_add_test(tc, test_memory_per_key);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
