/*
 * check_hash: the hash type (storage/t_hash.c) and its RDB codec (storage/rdb/rdb_hash.c):
 * each encoding against a naive model under random operations, the conversions and their
 * thresholds (and that none goes back), field expiry as Redis 7.4 (conditions, ordering of
 * a listpackex, replica and offline rules), HRANDFIELD and HSCAN, and the codec: round trips
 * of every encoding, DUMP payloads of redis-server 7.0.15, the old zipmap/ziplist formats, the
 * 7.4 TTL formats, and malformed input (truncated at every byte, corrupted bytes, repeated
 * fields) that must fail cleanly.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_hash.h"

static struct store *st;
static struct db *db;
static struct obj_limits saved_limits;

static void
setup(void)
{
	st = store_new(2, 42);
	db = store_db(st, 0);
	saved_limits = obj_limits;
	obj_limits.hash_max_listpack_entries = 128;
	obj_limits.hash_max_listpack_value = 64;
}

static void
teardown(void)
{
	store_free(st);
	obj_limits = saved_limits;
}

/* Returns key "h" as a new empty hash. */
static struct obj *
new_hash(const char *key)
{
	struct obj_value v;

	thash_value_new(&v);
	return store_set_value(db, key, strlen(key), &v, OBJ_NO_EXPIRE, 0);
}

static bool
set(struct obj *o, const char *f, const char *v)
{
	return thash_set(o, f, strlen(f), v, strlen(v), 0);
}

/* Asserts field f of o reads as want at now (NULL: absent). */
static void
check_field(const struct obj *o, const char *f, int64_t now, const char *want)
{
	char buf[THASH_BUF];
	struct thash_field hf;
	bool found = thash_get(o, f, strlen(f), now, buf, &hf);

	if (want == NULL) {
		ck_assert_msg(!found, "field %s should be absent", f);
		return;
	}
	ck_assert_msg(found, "field %s missing", f);
	ck_assert_uint_eq(hf.vlen, strlen(want));
	ck_assert_msg(memcmp(hf.v, want, hf.vlen) == 0, "field %s: got %.*s want %s", f,
	    (int)hf.vlen, hf.v, want);
}

/* ---- a naive model: an array of (field, value, expire) ---- */

struct mfield {
	char f[80];
	size_t flen;
	char *v;
	size_t vlen;
	int64_t expire;
};

struct model {
	struct mfield *a;
	size_t n, cap;
};

static struct mfield *
model_find(struct model *m, const char *f, size_t flen)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->a[i].flen == flen && memcmp(m->a[i].f, f, flen) == 0)
			return &m->a[i];
	return NULL;
}

static void
model_set(struct model *m, const char *f, size_t flen, const char *v, size_t vlen)
{
	struct mfield *e = model_find(m, f, flen);

	if (e == NULL) {
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 16;
			m->a = xrealloc(m->a, m->cap * sizeof *m->a);
		}
		e = &m->a[m->n++];
		memcpy(e->f, f, flen);
		e->flen = flen;
		e->v = NULL;
	}
	xfree(e->v);
	e->v = xmalloc(vlen + 1);
	memcpy(e->v, v, vlen);
	e->vlen = vlen;
	e->expire = THASH_NO_TTL;
}

static bool
model_del(struct model *m, const char *f, size_t flen)
{
	struct mfield *e = model_find(m, f, flen);

	if (e == NULL)
		return false;
	xfree(e->v);
	/* Keep insertion order, as a listpack does. */
	memmove(e, e + 1, (size_t)(m->a + m->n - (e + 1)) * sizeof *e);
	m->n--;
	return true;
}

static void
model_free(struct model *m)
{
	for (size_t i = 0; i < m->n; i++)
		xfree(m->a[i].v);
	xfree(m->a);
}

struct seen {
	struct model *m;
	size_t n;
	bool ordered;		/* fields come in model order (a listpack's insertion order) */
};

static void
seen_cb(const struct thash_field *f, void *arg)
{
	struct seen *s = arg;
	struct mfield *e = model_find(s->m, f->f, f->flen);

	ck_assert_msg(e != NULL, "walk gave unknown field %.*s", (int)f->flen, f->f);
	ck_assert_uint_eq(e->vlen, f->vlen);
	ck_assert(memcmp(e->v, f->v, f->vlen) == 0);
	ck_assert_int_eq(e->expire, f->expire);
	if (s->ordered)
		ck_assert_msg(e == &s->m->a[s->n], "field %.*s out of insertion order",
		    (int)f->flen, f->f);
	s->n++;
}

/* Asserts that o holds exactly what m holds (every field, value and expiry). */
static void
check_model(struct obj *o, struct model *m, bool ordered)
{
	struct seen s = { m, 0, ordered };

	ck_assert_uint_eq(thash_len(o), m->n);
	thash_foreach(o, THASH_SEE_ALL, seen_cb, &s);
	ck_assert_uint_eq(s.n, m->n);
	for (size_t i = 0; i < m->n; i++) {
		char buf[THASH_BUF];
		struct thash_field hf;

		ck_assert(thash_get(o, m->a[i].f, m->a[i].flen, THASH_SEE_ALL, buf, &hf));
		ck_assert_uint_eq(hf.vlen, m->a[i].vlen);
		ck_assert(memcmp(hf.v, m->a[i].v, hf.vlen) == 0);
	}
}

/* ---- encodings and conversions ---- */

START_TEST(test_listpack_basic)
{
	struct obj *o = new_hash("h");

	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	ck_assert(!set(o, "a", "1"));
	ck_assert(!set(o, "b", "hello"));
	ck_assert(!set(o, "c", "-7"));
	ck_assert(set(o, "a", "007"));		/* an update; "007" is not an integer */
	ck_assert(!set(o, "", ""));
	ck_assert_uint_eq(thash_len(o), 4);
	check_field(o, "a", 0, "007");
	check_field(o, "c", 0, "-7");
	check_field(o, "", 0, "");
	check_field(o, "zz", 0, NULL);
	ck_assert(thash_delete(o, "b", 1));
	ck_assert(!thash_delete(o, "b", 1));
	ck_assert_uint_eq(thash_len(o), 3);
	check_field(o, "a", 0, "007");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
}
END_TEST

/* Values that the listpack stores as integers come back as the same text. */
START_TEST(test_listpack_integers)
{
	static const char *vals[] = { "0", "-1", "127", "128", "-4096", "4095", "32767", "-32768",
	    "8388607", "2147483647", "-2147483648", "9223372036854775807",
	    "-9223372036854775808", "9223372036854775808", "-0", "01", "1 ", "+1" };
	struct obj *o = new_hash("h");
	char f[32];

	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		snprintf(f, sizeof f, "%zu", i);
		set(o, f, vals[i]);
	}
	for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
		snprintf(f, sizeof f, "%zu", i);
		check_field(o, f, 0, vals[i]);
	}
}
END_TEST

/* The 128th field keeps a listpack, the 129th converts; deleting never converts back. */
START_TEST(test_convert_entries)
{
	struct obj *o = new_hash("h");
	char f[32];

	for (int i = 0; i < 128; i++) {
		snprintf(f, sizeof f, "f%d", i);
		set(o, f, "v");
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	set(o, "f0", "again");		/* an update adds nothing */
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	set(o, "one-more", "v");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(thash_len(o), 129);
	check_field(o, "f0", 0, "again");
	for (int i = 0; i < 128; i++) {
		snprintf(f, sizeof f, "f%d", i);
		ck_assert(thash_delete(o, f, strlen(f)));
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(thash_len(o), 1);
}
END_TEST

/* A field or value of 65 bytes converts; 64 does not; the limits are read at each call. */
START_TEST(test_convert_lengths)
{
	char v64[65], v65[66];
	struct obj *o;

	memset(v64, 'x', 64);
	v64[64] = 0;
	memset(v65, 'y', 65);
	v65[65] = 0;
	o = new_hash("h1");
	set(o, "a", v64);
	set(o, v64, "b");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	set(o, "c", v65);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	check_field(o, "a", 0, v64);
	check_field(o, v64, 0, "b");
	check_field(o, "c", 0, v65);

	o = new_hash("h2");
	set(o, v65, "1");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);

	obj_limits.hash_max_listpack_entries = 2;
	o = new_hash("h3");
	set(o, "a", "1");
	set(o, "b", "2");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	set(o, "c", "3");
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
}
END_TEST

/* HSET's pre-check converts for many pairs or a long argument before anything is stored. */
START_TEST(test_prepare)
{
	struct obj *o = new_hash("h");

	thash_prepare(o, 128, 64, 1000);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	thash_prepare(o, 1, 65, 66);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	o = new_hash("h2");
	thash_prepare(o, 129, 1, 258);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(thash_len(o), 0);
}
END_TEST

/* Random sets and deletes on each encoding against the model, long values included. */
START_TEST(test_random_model)
{
	struct model m = { 0 };
	struct obj *o = new_hash("h");
	uint64_t rng = 12345 + (uint64_t)_i;
	char f[32], *v = xmalloc(600);
	bool lp_only = _i == 0;

	for (int op = 0; op < 4000; op++) {
		uint64_t r = dict_rand(&rng);
		unsigned fi = (unsigned)(r % (lp_only ? 60 : 400));
		size_t flen = (size_t)snprintf(f, sizeof f, "f%u", fi);
		size_t vlen = (r >> 20) % (lp_only ? 40 : 600);

		for (size_t i = 0; i < vlen; i++)
			v[i] = (char)('a' + (r >> (i % 40)) % 26);
		if ((r >> 8) % 4 == 0) {
			ck_assert_int_eq(thash_delete(o, f, flen), model_del(&m, f, flen));
		} else {
			bool had = model_find(&m, f, flen) != NULL;

			if ((r >> 12) % 3 == 0)
				vlen = (size_t)snprintf(v, 600, "%lld",
				    (long long)(r >> 30) - 100000);
			ck_assert_int_eq(thash_set(o, f, flen, v, vlen, 0), had);
			model_set(&m, f, flen, v, vlen);
		}
		if (op % 500 == 0)
			check_model(o, &m, false);
	}
	check_model(o, &m, obj_encoding(o) != OBJ_ENC_HASHTABLE);
	if (lp_only)
		ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	else
		ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	xfree(v);
	model_free(&m);
}
END_TEST

START_TEST(test_dup_and_mem)
{
	struct model m = { 0 };
	struct obj *o = new_hash("h");
	char f[32];
	void *copy;

	for (int i = 0; i < 300; i++) {
		snprintf(f, sizeof f, "f%d", i);
		set(o, f, i % 2 ? "odd" : "even-value");
		model_set(&m, f, strlen(f), i % 2 ? "odd" : "even-value", i % 2 ? 3 : 10);
	}
	ck_assert_int_eq(thash_set_expire(o, "f1", 2, 5000, THASH_COND_NONE, false, 0),
	    THASH_EXP_OK);
	model_find(&m, "f1", 2)->expire = 5000;
	copy = thash_payload_dup(obj_encoding(o), obj_ptr(o));
	{
		struct obj_value v = { .type = OBJ_HASH, .enc = OBJ_ENC_HASHTABLE, .ptr = copy };
		struct obj *c = store_set_value(db, "c", 1, &v, OBJ_NO_EXPIRE, 0);

		check_model(c, &m, false);
		ck_assert_int_eq(thash_min_expire(c), 5000);
		/* The copy is independent. */
		set(c, "f2", "changed");
		check_field(o, "f2", 0, "even-value");
	}
	ck_assert_uint_gt(thash_payload_mem(obj_encoding(o), obj_ptr(o)), 300 * 16);
	model_free(&m);
}
END_TEST

/* ---- field expiry ---- */

/* Collects the fields of a hash in walk order with their expiry. */
struct order {
	char names[32][8];
	int64_t exp[32];
	size_t n;
};

static void
order_cb(const struct thash_field *f, void *arg)
{
	struct order *o = arg;

	memcpy(o->names[o->n], f->f, f->flen);
	o->names[o->n][f->flen] = 0;
	o->exp[o->n++] = f->expire;
}

START_TEST(test_listpackex_order)
{
	struct obj *o = new_hash("h");
	struct order ord = { .n = 0 };
	static const char *want[] = { "d", "b", "a", "c", "e" };
	static const int64_t wexp[] = { 100, 200, 300, 0, 0 };

	set(o, "a", "1");
	set(o, "b", "2");
	set(o, "c", "3");
	set(o, "d", "4");
	ck_assert_int_eq(thash_set_expire(o, "zz", 2, 100, THASH_COND_NONE, false, 0),
	    THASH_EXP_NO_FIELD);
	/* Any HEXPIRE on an existing listpack makes it a listpackex, found or not. */
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK_EX);
	ck_assert_int_eq(thash_set_expire(o, "a", 1, 300, THASH_COND_NONE, false, 0), 1);
	ck_assert_int_eq(thash_set_expire(o, "b", 1, 200, THASH_COND_NONE, false, 0), 1);
	ck_assert_int_eq(thash_set_expire(o, "d", 1, 100, THASH_COND_NONE, false, 0), 1);
	set(o, "e", "5");
	thash_foreach(o, THASH_SEE_ALL, order_cb, &ord);
	ck_assert_uint_eq(ord.n, 5);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_str_eq(ord.names[i], want[i]);
		ck_assert_int_eq(ord.exp[i], wexp[i]);
	}
	ck_assert_int_eq(thash_min_expire(o), 100);
	/* Visibility: fields expire when now passes their time. */
	ck_assert_uint_eq(thash_live_len(o, 100), 5);
	ck_assert_uint_eq(thash_live_len(o, 201), 3);
	check_field(o, "b", 200, "2");
	check_field(o, "b", 201, NULL);
	check_field(o, "b", THASH_SEE_ALL, "2");
	ck_assert_uint_eq(thash_len(o), 5);
	/* HSET drops a TTL (the field moves behind the TTL'd ones), HINCRBY keeps it. */
	ck_assert(set(o, "d", "44"));
	ck_assert(thash_set(o, "b", 1, "22", 2, THASH_KEEP_TTL));
	memset(&ord, 0, sizeof ord);
	thash_foreach(o, THASH_SEE_ALL, order_cb, &ord);
	ck_assert_str_eq(ord.names[0], "b");
	ck_assert_int_eq(ord.exp[0], 200);
	ck_assert_str_eq(ord.names[4], "d");
	ck_assert_int_eq(ord.exp[4], 0);
	/* Deleting the expired prefix. */
	ck_assert_uint_eq(thash_expire_fields(o, 250), 1);
	ck_assert_uint_eq(thash_len(o), 4);
	check_field(o, "b", THASH_SEE_ALL, NULL);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK_EX);
}
END_TEST

/* Redis' NX XX GT LT rules, on each encoding. */
struct cond_case {
	int64_t prev;		/* 0: no TTL */
	enum thash_cond cond;
	int64_t when;
	int want;
};

static const struct cond_case cond_cases[] = {
	{ 0, THASH_COND_NONE, 500, 1 }, { 0, THASH_COND_NX, 500, 1 },
	{ 0, THASH_COND_XX, 500, 0 }, { 0, THASH_COND_GT, 500, 0 },
	{ 0, THASH_COND_LT, 500, 1 }, { 400, THASH_COND_NONE, 500, 1 },
	{ 400, THASH_COND_NX, 500, 0 }, { 400, THASH_COND_XX, 500, 1 },
	{ 400, THASH_COND_GT, 500, 1 }, { 400, THASH_COND_GT, 400, 0 },
	{ 400, THASH_COND_GT, 300, 0 }, { 400, THASH_COND_LT, 300, 1 },
	{ 400, THASH_COND_LT, 400, 0 }, { 400, THASH_COND_LT, 500, 0 },
};

START_TEST(test_expire_conditions)
{
	for (int big = 0; big < 2; big++) {
		for (size_t i = 0; i < sizeof cond_cases / sizeof cond_cases[0]; i++) {
			const struct cond_case *c = &cond_cases[i];
			struct obj *o = new_hash("h");
			int64_t when = 0;
			int rc;

			set(o, "f", "v");
			if (big)
				thash_convert(o, OBJ_ENC_HASHTABLE);
			if (c->prev != 0)
				thash_set_expire(o, "f", 1, c->prev, THASH_COND_NONE, false, 0);
			rc = thash_set_expire(o, "f", 1, c->when, c->cond, false, 0);
			ck_assert_msg(rc == c->want, "case %zu big %d: %d", i, big, rc);
			rc = thash_get_expire(o, "f", 1, 0, &when);
			if (c->want == 1) {
				ck_assert_int_eq(rc, THASH_EXP_OK);
				ck_assert_int_eq(when, c->when);
			} else if (c->prev != 0) {
				ck_assert_int_eq(when, c->prev);
			} else {
				ck_assert_int_eq(rc, THASH_EXP_NO_TTL);
			}
		}
	}
}
END_TEST

START_TEST(test_expire_hashtable)
{
	struct obj *o = new_hash("h");
	char f[32];
	int64_t when;

	for (int i = 0; i < 200; i++) {
		snprintf(f, sizeof f, "f%d", i);
		set(o, f, "v");
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_int_eq(thash_min_expire(o), THASH_NO_TTL);
	for (int i = 0; i < 50; i++) {
		snprintf(f, sizeof f, "f%d", i);
		ck_assert_int_eq(thash_set_expire(o, f, strlen(f), 1000 + i, THASH_COND_NONE,
		    false, 0), THASH_EXP_OK);
	}
	ck_assert_int_eq(thash_min_expire(o), 1000);
	ck_assert_uint_eq(thash_live_len(o, 1010), 190);
	check_field(o, "f5", 1010, NULL);
	check_field(o, "f5", THASH_SEE_ALL, "v");
	ck_assert_int_eq(thash_get_expire(o, "f20", 3, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1020);
	ck_assert_int_eq(thash_get_expire(o, "f100", 4, 0, &when), THASH_EXP_NO_TTL);
	ck_assert_int_eq(thash_get_expire(o, "f5", 2, 1010, &when), THASH_EXP_NO_FIELD);
	ck_assert_int_eq(thash_persist(o, "f20", 3, 0), THASH_EXP_OK);
	ck_assert_int_eq(thash_persist(o, "f20", 3, 0), THASH_EXP_NO_TTL);
	ck_assert_int_eq(thash_persist(o, "f5", 2, 1010), THASH_EXP_NO_FIELD);
	ck_assert_int_eq(thash_persist(o, "nope", 4, 0), THASH_EXP_NO_FIELD);
	/* A value update drops the TTL unless kept. */
	ck_assert(thash_set(o, "f30", 3, "w", 1, THASH_KEEP_TTL));
	ck_assert_int_eq(thash_get_expire(o, "f30", 3, 0, &when), THASH_EXP_OK);
	ck_assert(thash_set(o, "f30", 3, "longer", 6, 0));
	ck_assert_int_eq(thash_get_expire(o, "f30", 3, 0, &when), THASH_EXP_NO_TTL);
	/* 1000..1049 minus f20 and f30: deleting up to 1010 removes f0..f9. */
	ck_assert_uint_eq(thash_expire_fields(o, 1010), 10);
	ck_assert_uint_eq(thash_len(o), 190);
	ck_assert_int_eq(thash_min_expire(o), 1010);
	ck_assert_uint_eq(thash_expire_fields(o, 5000), 38);
	ck_assert_uint_eq(thash_len(o), 152);
	ck_assert_int_eq(thash_min_expire(o), THASH_NO_TTL);
	ck_assert_uint_eq(thash_live_len(o, 99999), 152);
	/* Past times delete when the caller is a primary. */
	ck_assert_int_eq(thash_set_expire(o, "f100", 4, 10, THASH_COND_NONE, true, 20),
	    THASH_EXP_DELETED);
	check_field(o, "f100", THASH_SEE_ALL, NULL);
	ck_assert_int_eq(thash_set_expire(o, "f101", 4, 10, THASH_COND_NONE, false, 20),
	    THASH_EXP_OK);
	check_field(o, "f101", THASH_SEE_ALL, "v");
	/* A replica keeps a field set to expire at the epoch: expired, not "no TTL". */
	ck_assert_int_eq(thash_set_expire(o, "f102", 4, 0, THASH_COND_NONE, false, 20),
	    THASH_EXP_OK);
	ck_assert_int_eq(thash_get_expire(o, "f102", 4, THASH_SEE_ALL, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1);
	check_field(o, "f102", 20, NULL);
	check_field(o, "f102", THASH_SEE_ALL, "v");
}
END_TEST

/* A listpackex converts to a hashtable with its TTLs; HTTL's "<=" quirk on a listpackex. */
START_TEST(test_expire_convert)
{
	struct obj *o = new_hash("h");
	char big[100];
	int64_t when;

	set(o, "a", "1");
	set(o, "b", "2");
	thash_set_expire(o, "a", 1, 700, THASH_COND_NONE, false, 0);
	ck_assert_int_eq(thash_get_expire(o, "a", 1, 700, &when), THASH_EXP_NO_FIELD);
	check_field(o, "a", 700, "1");
	memset(big, 'z', sizeof big);
	thash_set(o, "c", 1, big, sizeof big, 0);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_int_eq(thash_get_expire(o, "a", 1, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 700);
	ck_assert_int_eq(thash_get_expire(o, "a", 1, 700, &when), THASH_EXP_OK);
	ck_assert_int_eq(thash_get_expire(o, "b", 1, 0, &when), THASH_EXP_NO_TTL);
	ck_assert_int_eq(thash_min_expire(o), 700);
}
END_TEST

/* Offline mode deletes expired fields on access and the key with the last one; a replica
 * never does. */
START_TEST(test_expire_if_needed)
{
	struct obj *o = new_hash("h");
	size_t n;

	set(o, "a", "1");
	set(o, "b", "2");
	thash_set_expire(o, "a", 1, 100, THASH_COND_NONE, false, 0);
	thash_set_expire(o, "b", 1, 200, THASH_COND_NONE, false, 0);
	ck_assert_ptr_eq(thash_expire_if_needed(db, o, "h", 1, 300, &n), o);
	ck_assert_uint_eq(n, 0);
	ck_assert_uint_eq(thash_len(o), 2);
	store_set_mode(st, STORE_OFFLINE);
	ck_assert_ptr_eq(thash_expire_if_needed(db, o, "h", 1, 150, &n), o);
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(thash_len(o), 1);
	ck_assert_ptr_null(thash_expire_if_needed(db, o, "h", 1, 300, &n));
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(store_lookup_any(db, "h", 1));
}
END_TEST

/* A listpackex keeps its TTL'd fields first, by ascending expiry. */
struct ttl_order {
	int64_t last;
	bool plain;		/* a field without TTL was seen */
};

static void
ttl_order_cb(const struct thash_field *f, void *arg)
{
	struct ttl_order *t = arg;

	if (f->expire == THASH_NO_TTL) {
		t->plain = true;
		return;
	}
	ck_assert_msg(!t->plain, "a TTL'd field after one without TTL");
	ck_assert_msg(f->expire >= t->last, "expiries out of order");
	t->last = f->expire;
}

/* Random writes, TTL changes and expiry against the model, on a listpackex and a hashtable. */
START_TEST(test_random_ttl_model)
{
	struct model m = { 0 };
	struct obj *o = new_hash("h");
	uint64_t rng = 777 + (uint64_t)_i;
	char f[32], v[32];
	bool small = _i == 0;
	int64_t now = 1000;

	for (int op = 0; op < 5000; op++) {
		uint64_t r = dict_rand(&rng);
		unsigned fi = (unsigned)(r % (small ? 50 : 400));
		size_t flen = (size_t)snprintf(f, sizeof f, "f%u", fi);
		size_t vlen = (size_t)snprintf(v, sizeof v, "v%u", (unsigned)(r >> 40) % 1000);
		struct mfield *e = model_find(&m, f, flen);
		unsigned kind = (unsigned)(r >> 8) % 10;

		if (kind < 3) {
			bool keep = (r >> 12) & 1;
			int64_t old = e != NULL ? e->expire : THASH_NO_TTL;

			ck_assert_int_eq(thash_set(o, f, flen, v, vlen, keep ? THASH_KEEP_TTL : 0),
			    e != NULL);
			model_set(&m, f, flen, v, vlen);
			if (keep)
				model_find(&m, f, flen)->expire = old;
		} else if (kind < 4) {
			ck_assert_int_eq(thash_delete(o, f, flen), model_del(&m, f, flen));
		} else if (kind < 7) {
			enum thash_cond cond = (enum thash_cond)((r >> 16) % 5);
			int64_t when = now + (int64_t)((r >> 20) % 500);
			int want = THASH_EXP_NO_FIELD, rc;

			if (e != NULL) {
				int64_t prev = e->expire;
				bool ok = prev == THASH_NO_TTL ?
				    cond != THASH_COND_XX && cond != THASH_COND_GT :
				    (cond == THASH_COND_NONE || cond == THASH_COND_XX ||
				    (cond == THASH_COND_GT && when > prev) ||
				    (cond == THASH_COND_LT && when < prev));

				want = ok ? THASH_EXP_OK : THASH_EXP_NO_COND;
				if (ok)
					e->expire = when;
			}
			rc = thash_set_expire(o, f, flen, when, cond, false, now);
			ck_assert_int_eq(rc, want);
		} else if (kind < 8) {
			int want = THASH_EXP_NO_FIELD;

			if (e != NULL && e->expire == THASH_NO_TTL)
				want = THASH_EXP_NO_TTL;
			else if (e != NULL && e->expire >= now)
				want = THASH_EXP_OK;
			ck_assert_int_eq(thash_persist(o, f, flen, now), want);
			if (want == THASH_EXP_OK)
				e->expire = THASH_NO_TTL;
		} else if (kind < 9) {
			size_t gone = 0;

			now += (int64_t)((r >> 24) % 50);
			for (size_t i = 0; i < m.n; ) {
				if (m.a[i].expire != THASH_NO_TTL && m.a[i].expire < now) {
					model_del(&m, m.a[i].f, m.a[i].flen);
					gone++;
				} else {
					i++;
				}
			}
			ck_assert_uint_eq(thash_expire_fields(o, now), gone);
		} else {
			size_t live = 0;

			for (size_t i = 0; i < m.n; i++)
				live += m.a[i].expire == THASH_NO_TTL || m.a[i].expire >= now;
			ck_assert_uint_eq(thash_live_len(o, now), live);
		}
		if (obj_encoding(o) == OBJ_ENC_LISTPACK_EX) {
			struct ttl_order t = { 0, false };

			thash_foreach(o, THASH_SEE_ALL, ttl_order_cb, &t);
		}
		if (op % 250 == 0)
			check_model(o, &m, false);
	}
	check_model(o, &m, false);
	ck_assert_int_eq(obj_encoding(o), small ? OBJ_ENC_LISTPACK_EX : OBJ_ENC_HASHTABLE);
	model_free(&m);
}
END_TEST

/* ---- HRANDFIELD, HSCAN ---- */

struct pick {
	struct model *m;
	size_t n;
	unsigned seen[512];
};

static void
pick_cb(const struct thash_field *f, void *arg)
{
	struct pick *p = arg;
	struct mfield *e = model_find(p->m, f->f, f->flen);

	ck_assert(e != NULL);
	ck_assert(e->vlen == f->vlen && memcmp(e->v, f->v, f->vlen) == 0);
	p->seen[e - p->m->a]++;
	p->n++;
}

START_TEST(test_random)
{
	static const size_t sizes[] = { 1, 5, 100, 300 };
	static const int64_t counts[] = { 1, 2, 3, 10, 99, 100, 101, 1000, -1, -7, -500 };

	for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
		struct model m = { 0 };
		struct obj *o = new_hash("h");
		char f[32];

		for (size_t i = 0; i < sizes[s]; i++) {
			snprintf(f, sizeof f, "f%zu", i);
			set(o, f, f + 1);
			model_set(&m, f, strlen(f), f + 1, strlen(f + 1));
		}
		for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
			struct pick p = { &m, 0, { 0 } };
			int64_t k = counts[c];
			size_t want = k < 0 ? (size_t)-k : (size_t)k;

			if (want > sizes[s] && k > 0)
				want = sizes[s];

			thash_random(db, o, k, pick_cb, &p);
			ck_assert_uint_eq(p.n, want);
			if (k > 0)
				for (size_t i = 0; i < m.n; i++)
					ck_assert_msg(p.seen[i] <= 1, "repeated pick, count %lld",
					    (long long)k);
		}
		model_free(&m);
	}
}
END_TEST

/* Distinct picks are spread over the whole hash, on each encoding and strategy. */
START_TEST(test_random_spread)
{
	static const struct { size_t size; int64_t count; } cases[] = {
		{ 10, 2 }, { 10, 8 }, { 10, -3 }, { 300, 5 }, { 300, 150 }, { 300, -5 },
	};

	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct model m = { 0 };
		struct obj *o = new_hash("h");
		struct pick p = { &m, 0, { 0 } };
		char f[32];

		for (size_t i = 0; i < cases[c].size; i++) {
			snprintf(f, sizeof f, "f%zu", i);
			set(o, f, "v");
			model_set(&m, f, strlen(f), "v", 1);
		}
		uint64_t absc = cases[c].count < 0 ? (uint64_t)-cases[c].count :
		    (uint64_t)cases[c].count;
		/* About 40 picks per field: a field missed by a fair draw is then negligible. */
		uint64_t runs = cases[c].size * 40 / absc + 50;

		for (uint64_t run = 0; run < runs; run++)
			thash_random(db, o, cases[c].count, pick_cb, &p);
		for (size_t i = 0; i < m.n; i++)
			ck_assert_msg(p.seen[i] > 0, "size %zu count %lld: f%zu never picked",
			    cases[c].size, (long long)cases[c].count, i);
		model_free(&m);
	}
}
END_TEST

struct scan_seen {
	char seen[2000];
	size_t n;
};

static void
scan_cb(const struct thash_field *f, void *arg)
{
	struct scan_seen *s = arg;
	int i = atoi(f->f + 1);

	s->seen[i]++;
	s->n++;
}

/* Every field present for the whole scan comes back, though the table grows meanwhile. */
START_TEST(test_scan_resize)
{
	struct obj *o = new_hash("h");
	struct scan_seen s = { { 0 }, 0 };
	uint64_t cursor = 0;
	char f[32];
	int added = 1000, calls = 0;

	for (int i = 0; i < 1000; i++) {
		snprintf(f, sizeof f, "f%d", i);
		set(o, f, "v");
	}
	do {
		cursor = thash_scan(o, cursor, 10, 0, scan_cb, &s);
		for (int k = 0; k < 5 && added < 2000; k++, added++) {
			snprintf(f, sizeof f, "f%d", added);
			set(o, f, "v");
		}
		calls++;
	} while (cursor != 0);
	ck_assert_int_gt(calls, 10);
	for (int i = 0; i < 1000; i++)
		ck_assert_msg(s.seen[i] >= 1, "f%d missed", i);

	/* A listpack answers in one call. */
	o = new_hash("small");
	set(o, "f1", "v");
	set(o, "f2", "v");
	memset(&s, 0, sizeof s);
	ck_assert_uint_eq(thash_scan(o, 0, 1, 0, scan_cb, &s), 0);
	ck_assert_uint_eq(s.n, 2);
}
END_TEST

/* ---- RDB codec ---- */

static unsigned char *
hex(const char *s, size_t *n)
{
	size_t len = strlen(s) / 2;
	unsigned char *p = xmalloc(len + 1);

	for (size_t i = 0; i < len; i++) {
		unsigned v;

		sscanf(s + 2 * i, "%2x", &v);
		p[i] = (unsigned char)v;
	}
	*n = len;
	return p;
}

/* Loads a serialized value (type byte first); returns the result and stores it as "r". */
static enum rdb_restore_result
load(const unsigned char *p, size_t len, struct obj **out)
{
	struct obj_value v;
	size_t pos = 1;
	enum rdb_restore_result rc;

	rc = rdb_load_hash(p[0], p, len, &pos, true, &v);
	if (rc == RDB_RESTORE_OK) {
		ck_assert_uint_le(pos, len);
		*out = store_set_value(db, "r", 1, &v, OBJ_NO_EXPIRE, 0);
	}
	return rc;
}

/* DUMP payloads of redis-server 7.0.15, trailer included. */
START_TEST(test_rdb_redis_payloads)
{
	struct obj *o = NULL;
	unsigned char *p;
	size_t n;

	/* HSET h1 a 1 b hello c -7: RDB_TYPE_HASH_LISTPACK. */
	p = hex("101c1c000000060081610201018162028568656c6c6f06816302dff902ff0a00f27a9b3b14a6de60",
	    &n);
	ck_assert_int_eq(load(p, n, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	check_field(o, "a", 0, "1");
	check_field(o, "b", 0, "hello");
	check_field(o, "c", 0, "-7");
	{
		/* DUMP gives Redis' bytes back. */
		struct rdb_buf b = { 0 };

		ck_assert_uint_eq(rdb_save_hash(&b, o), RDB_VERSION);
		ck_assert_uint_eq(b.len, n - RDB_DUMP_TRAILER);
		ck_assert(memcmp(b.p, p, b.len) == 0);
		rdb_buf_free(&b);
	}
	xfree(p);

	/* RDB_TYPE_HASH with an LZF-compressed 70-byte field (b=2, a=1, x*70=1). */
	p = hex("04030162c0020161c001c3094046017878e03900017878c0010a00cc0cb38e38bf4bae0a", &n);
	ck_assert_int_eq(load(p, n, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_uint_eq(thash_len(o), 3);
	check_field(o, "a", 0, "1");
	check_field(o, "b", 0, "2");
	check_field(o, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", 0,
	    "1");
	xfree(p);
}
END_TEST

/* Redis 2.x zipmap and 6.x ziplist blobs become listpacks (or hashtables) with the pairs. */
START_TEST(test_rdb_old_formats)
{
	/* zipmap {a: 1, bb: xyz}: zmlen, (len field len free value)*, end. */
	static const unsigned char zipmap[] = { 9, 15, 2, 1, 'a', 1, 0, '1', 2, 'b', 'b', 3, 0,
	    'x', 'y', 'z', 0xff };
	/* ziplist [a, 1, bb, xyz] with string entries: zlbytes, zltail, zllen, entries, end. */
	static const unsigned char ziplist[] = { 13, 26, 26, 0, 0, 0, 20, 0, 0, 0, 4, 0,
	    0, 0x01, 'a', 3, 0x01, '1', 3, 0x02, 'b', 'b', 4, 0x03, 'x', 'y', 'z', 0xff };
	struct obj *o = NULL;

	ck_assert_int_eq(load(zipmap, sizeof zipmap, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(thash_len(o), 2);
	check_field(o, "a", 0, "1");
	check_field(o, "bb", 0, "xyz");
	ck_assert_int_eq(load(ziplist, sizeof ziplist, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(thash_len(o), 2);
	check_field(o, "a", 0, "1");
	check_field(o, "bb", 0, "xyz");
	obj_limits.hash_max_listpack_value = 2;
	ck_assert_int_eq(load(ziplist, sizeof ziplist, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	check_field(o, "bb", 0, "xyz");
}
END_TEST

/* Redis 7.4's RDB_TYPE_HASH_METADATA, built by hand: min 1000, fields a (TTL 1000), b (none),
 * c (TTL 1005). */
START_TEST(test_rdb_metadata)
{
	static const unsigned char meta[] = { 24, 0xe8, 0x03, 0, 0, 0, 0, 0, 0, 3,
	    1, 1, 'a', 1, '1', 0, 1, 'b', 1, '2', 6, 1, 'c', 1, '3' };
	static const unsigned char pre_ga[] = { 22, 2, 0, 1, 'b', 1, '2',
	    0x80, 0, 0, 0x03, 0xe8, 1, 'a', 1, '1' };
	struct obj *o = NULL;
	int64_t when;

	ck_assert_int_eq(load(meta, sizeof meta, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK_EX);
	ck_assert_int_eq(thash_get_expire(o, "a", 1, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1000);
	ck_assert_int_eq(thash_get_expire(o, "c", 1, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1005);
	ck_assert_int_eq(thash_get_expire(o, "b", 1, 0, &when), THASH_EXP_NO_TTL);
	ck_assert_int_eq(thash_min_expire(o), 1000);
	ck_assert_int_eq(load(pre_ga, sizeof pre_ga, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(thash_get_expire(o, "a", 1, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1000);
	obj_limits.hash_max_listpack_entries = 1;
	ck_assert_int_eq(load(meta, sizeof meta, &o), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_HASHTABLE);
	ck_assert_int_eq(thash_get_expire(o, "c", 1, 0, &when), THASH_EXP_OK);
	ck_assert_int_eq(when, 1005);
}
END_TEST

/* Builds the four kinds of hash (listpack, listpackex, hashtable with and without TTLs). */
static struct obj *
build_kind(int kind, struct model *m)
{
	struct obj *o = new_hash("src");
	int n = kind >= 2 ? 300 : 20;
	char f[32], v[32];

	for (int i = 0; i < n; i++) {
		snprintf(f, sizeof f, "f%d", i);
		snprintf(v, sizeof v, i % 3 ? "v%d" : "%d", i * 7);
		set(o, f, v);
		model_set(m, f, strlen(f), v, strlen(v));
	}
	if (kind == 1 || kind == 3) {
		for (int i = 0; i < n; i += 4) {
			snprintf(f, sizeof f, "f%d", i);
			thash_set_expire(o, f, strlen(f), 1700000000000 + i * 1000, THASH_COND_NONE,
			    false, 0);
			model_find(m, f, strlen(f))->expire = 1700000000000 + i * 1000;
		}
	}
	return o;
}

static const enum obj_encoding kind_enc[] = { OBJ_ENC_LISTPACK, OBJ_ENC_LISTPACK_EX,
	OBJ_ENC_HASHTABLE, OBJ_ENC_HASHTABLE };
static const unsigned kind_type[] = { RDB_TYPE_HASH_LISTPACK, RDB_TYPE_HASH_LISTPACK_EX,
	RDB_TYPE_HASH, RDB_TYPE_HASH_METADATA };

START_TEST(test_rdb_roundtrip)
{
	struct model m = { 0 };
	struct obj *o = build_kind(_i, &m), *r = NULL;
	struct rdb_buf b = { 0 };
	unsigned ver;

	ck_assert_int_eq(obj_encoding(o), kind_enc[_i]);
	ver = rdb_save_hash(&b, o);
	ck_assert_uint_eq(ver, _i % 2 ? 12 : RDB_VERSION);
	ck_assert_uint_eq(b.p[0], kind_type[_i]);
	ck_assert_int_eq(load(b.p, b.len, &r), RDB_RESTORE_OK);
	ck_assert_int_eq(obj_encoding(r), kind_enc[_i]);
	check_model(r, &m, _i == 0);
	rdb_buf_free(&b);
	model_free(&m);
}
END_TEST

/* Every truncation fails cleanly; so does every single-byte corruption that is detected
 * (and none crashes: ASan and valgrind watch). */
START_TEST(test_rdb_malformed)
{
	struct model m = { 0 };
	struct obj *o = build_kind(_i, &m);
	struct rdb_buf b = { 0 };

	rdb_save_hash(&b, o);
	for (size_t cut = 1; cut < b.len; cut++) {
		struct obj_value v;
		size_t pos = 1;
		enum rdb_restore_result rc = rdb_load_hash(b.p[0], b.p, cut, &pos, true, &v);

		ck_assert_msg(rc == RDB_RESTORE_BAD, "cut at %zu of %zu: %d", cut, b.len, rc);
	}
	for (size_t at = 1; at < b.len && at < 400; at++) {
		for (unsigned x = 1; x < 256; x <<= 2) {
			struct obj_value v;
			size_t pos = 1;
			enum rdb_restore_result rc;

			b.p[at] ^= (unsigned char)x;
			rc = rdb_load_hash(b.p[0], b.p, b.len, &pos, true, &v);
			if (rc == RDB_RESTORE_OK)
				obj_value_discard(&v);
			b.p[at] ^= (unsigned char)x;
		}
	}
	rdb_buf_free(&b);
	model_free(&m);
}
END_TEST

START_TEST(test_rdb_rejects)
{
	/* A repeated field in RDB_TYPE_HASH, in a listpack, and in a big listpack. */
	static const unsigned char dup4[] = { 4, 2, 1, 'a', 1, '1', 1, 'a', 1, '2' };
	static const unsigned char empty4[] = { 4, 0 };
	struct obj *o = NULL;
	struct rdb_buf b = { 0 };
	unsigned char *lp;

	ck_assert_int_eq(load(dup4, sizeof dup4, &o), RDB_RESTORE_BAD);
	ck_assert_int_eq(load(empty4, sizeof empty4, &o), RDB_RESTORE_EMPTY);
	/* A huge count with no data must not allocate for it. */
	{
		static const unsigned char huge[] = { 4, 0x81, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };

		ck_assert_int_eq(load(huge, sizeof huge, &o), RDB_RESTORE_BAD);
	}
	for (int odd = 0; odd < 4; odd++) {
		lp = lp_new(0);
		lp = lp_append(lp, "a", 1);
		lp = lp_append(lp, "1", 1);
		lp = lp_append(lp, odd == 1 ? "b" : "a", 1);
		if (odd != 2)
			lp = lp_append(lp, "2", 1);
		b.len = 0;
		rdb_buf_put_byte(&b, RDB_TYPE_HASH_LISTPACK);
		rdb_buf_put_string(&b, lp, lp_bytes(lp));
		ck_assert_int_eq(load(b.p, b.len, &o), odd == 1 ? RDB_RESTORE_OK : RDB_RESTORE_BAD);
		lp_free(lp);
	}
	/* A listpackex whose TTLs are out of order, or whose TTL is not an integer. */
	for (int k = 0; k < 3; k++) {
		lp = lp_new(0);
		lp = lp_append(lp, "a", 1);
		lp = lp_append(lp, "1", 1);
		lp = k == 2 ? lp_append(lp, "x", 1) : lp_append_int(lp, k == 0 ? 0 : 500);
		lp = lp_append(lp, "b", 1);
		lp = lp_append(lp, "2", 1);
		lp = lp_append_int(lp, 400);
		b.len = 0;
		rdb_buf_put_byte(&b, RDB_TYPE_HASH_LISTPACK_EX);
		rdb_buf_put_i64le(&b, 0);
		rdb_buf_put_string(&b, lp, lp_bytes(lp));
		ck_assert_int_eq(load(b.p, b.len, &o), RDB_RESTORE_BAD);
		lp_free(lp);
	}
	/* The same listpack with a repeated field past the entry threshold. */
	obj_limits.hash_max_listpack_entries = 1;
	lp = lp_new(0);
	lp = lp_append(lp, "a", 1);
	lp = lp_append(lp, "1", 1);
	lp = lp_append(lp, "a", 1);
	lp = lp_append(lp, "2", 1);
	b.len = 0;
	rdb_buf_put_byte(&b, RDB_TYPE_HASH_LISTPACK);
	rdb_buf_put_string(&b, lp, lp_bytes(lp));
	ck_assert_int_eq(load(b.p, b.len, &o), RDB_RESTORE_BAD);
	lp_free(lp);
	rdb_buf_free(&b);
}
END_TEST

static Suite *
hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc;

	tc = tcase_create("encodings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_listpack_basic);
	tcase_add_test(tc, test_listpack_integers);
	tcase_add_test(tc, test_convert_entries);
	tcase_add_test(tc, test_convert_lengths);
	tcase_add_test(tc, test_prepare);
	tcase_add_loop_test(tc, test_random_model, 0, 2);
	tcase_add_test(tc, test_dup_and_mem);
	suite_add_tcase(s, tc);

	tc = tcase_create("field_expiry");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_listpackex_order);
	tcase_add_test(tc, test_expire_conditions);
	tcase_add_test(tc, test_expire_hashtable);
	tcase_add_test(tc, test_expire_convert);
	tcase_add_test(tc, test_expire_if_needed);
	tcase_add_loop_test(tc, test_random_ttl_model, 0, 2);
	suite_add_tcase(s, tc);

	tc = tcase_create("random_scan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_random);
	tcase_add_test(tc, test_random_spread);
	tcase_add_test(tc, test_scan_resize);
	suite_add_tcase(s, tc);

	tc = tcase_create("rdb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rdb_redis_payloads);
	tcase_add_test(tc, test_rdb_old_formats);
	tcase_add_test(tc, test_rdb_metadata);
	tcase_add_loop_test(tc, test_rdb_roundtrip, 0, 4);
	tcase_add_loop_test(tc, test_rdb_malformed, 0, 4);
	tcase_add_test(tc, test_rdb_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hash_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
