/*
 * check_rdb_load: the RDB file decoder (storage/rdb/rdb_load.c) on a file built here with the
 * opcodes a Redis 7.0 SAVE writes (aux fields, SELECTDB, RESIZEDB, expiry in ms and s, a
 * function library, strings of each encoding, a real stream with a consumer group captured from
 * a redis-server 7.0.15 DUMP, loaded with its group and pending entry): fed whole, in two pieces split at every offset and byte by byte,
 * the same keys land; a prefix of any length, a flip of any single byte, a wrong checksum, a
 * duplicate key, a database out of range, a module or a future version all end in an error
 * with nothing read out of bounds (run under ASan/valgrind in CI). The fixture RDB files of
 * every server version load, and survive random damage.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/dict.h"
#include "storage/obj.h"
#include "storage/rdb/crc64.h"
#include "storage/rdb/rdb_load.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_stream.h"
#include "storage/t_string.h"

#define NOW 1700000000000LL
#define REPL_ID "0123456789abcdef0123456789abcdef01234567"

/* DUMP s on redis-server 7.0.15 after XADD s 1-1 f v; XADD s 2-1 a b c d; XGROUP CREATE s g 0;
 * XREADGROUP GROUP g alice COUNT 1 STREAMS s >: the value between the type byte (19) and the
 * trailer. */
static const unsigned char stream_value[] = {
	0x01, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x33, 0x33, 0x00, 0x00, 0x00, 0x13, 0x00, 0x02, 0x01, 0x00, 0x01, 0x01,
	0x01, 0x81, 0x66, 0x02, 0x00, 0x01, 0x02, 0x01, 0x00, 0x01, 0x00, 0x01, 0x81, 0x76, 0x02,
	0x04, 0x01, 0x00, 0x01, 0x01, 0x01, 0x00, 0x01, 0x02, 0x01, 0x81, 0x61, 0x02, 0x81, 0x62,
	0x02, 0x81, 0x63, 0x02, 0x81, 0x64, 0x02, 0x08, 0x01, 0xff, 0x02, 0x02, 0x01, 0x01, 0x01,
	0x00, 0x00, 0x02, 0x01, 0x01, 0x67, 0x01, 0x01, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xbf, 0xa7, 0xe5, 0x1e,
	0xa2, 0x01, 0x00, 0x00, 0x01, 0x01, 0x05, 0x61, 0x6c, 0x69, 0x63, 0x65, 0xbf, 0xa7, 0xe5,
	0x1e, 0xa2, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
};

static void
put_str(struct rdb_buf *b, const char *s)
{
	rdb_buf_put_string(b, s, strlen(s));
}

static void
put_aux(struct rdb_buf *b, const char *k, const char *v)
{
	rdb_buf_put_byte(b, 0xfa);
	put_str(b, k);
	put_str(b, v);
}

static void
put_string_key(struct rdb_buf *b, const char *k, const void *v, size_t vlen)
{
	rdb_buf_put_byte(b, RDB_TYPE_STRING);
	put_str(b, k);
	rdb_buf_put_string(b, v, vlen);
}

static void
put_eof(struct rdb_buf *b, bool zero_crc)
{
	uint64_t crc;

	rdb_buf_put_byte(b, 0xff);
	crc = zero_crc ? 0 : crc64_update(0, b->p, b->len);
	rdb_buf_put_i64le(b, (int64_t)crc);
}

/* The test file; `extra` (may be NULL) adds items just before the end. */
static void
build(struct rdb_buf *b, void (*extra)(struct rdb_buf *), bool zero_crc)
{
	char big[1000];

	memset(big, 'a', sizeof big);
	rdb_buf_put(b, "REDIS0010", 9);
	put_aux(b, "redis-ver", "7.0.15");
	put_aux(b, "redis-bits", "64");
	put_aux(b, "repl-id", REPL_ID);
	put_aux(b, "repl-offset", "12345");
	rdb_buf_put_byte(b, 0xf5);			/* FUNCTION2 */
	put_str(b, "#!lua name=lib\nredis.register_function('f', function() return 1 end)");
	rdb_buf_put_byte(b, 0xfe);			/* SELECTDB 0 */
	rdb_buf_put_len(b, 0);
	rdb_buf_put_byte(b, 0xfb);			/* RESIZEDB */
	rdb_buf_put_len(b, 4);
	rdb_buf_put_len(b, 2);
	put_string_key(b, "k1", "v1", 2);
	rdb_buf_put_byte(b, 0xfc);			/* EXPIRETIME_MS, in the future */
	rdb_buf_put_i64le(b, NOW + 100000);
	put_string_key(b, "k2", "12345", 5);
	rdb_buf_put_byte(b, 0xfd);			/* EXPIRETIME (s), in the past */
	rdb_buf_put(b, "\x10\x00\x00\x00", 4);
	put_string_key(b, "old", "x", 1);
	rdb_buf_put_byte(b, 0xf8);			/* IDLE */
	rdb_buf_put_len(b, 50);
	rdb_buf_put_byte(b, RDB_TYPE_STREAM_LISTPACKS_2);
	put_str(b, "s");
	rdb_buf_put(b, stream_value, sizeof stream_value);
	rdb_buf_put_byte(b, 0xfe);			/* SELECTDB 3 */
	rdb_buf_put_len(b, 3);
	rdb_buf_put_byte(b, 0xf9);			/* FREQ */
	rdb_buf_put_byte(b, 7);
	put_string_key(b, "big", big, sizeof big);	/* LZF-compressed */
	if (extra != NULL)
		extra(b);
	put_eof(b, zero_crc);
}

static bool
value_is(struct store *s, unsigned db, const char *key, const char *want, size_t wlen)
{
	struct obj *o = store_lookup_any(store_db(s, db), key, strlen(key));
	char ibuf[TSTR_INT_BUF];
	const char *p;
	size_t len;

	if (o == NULL || obj_type(o) != OBJ_STRING)
		return false;
	p = tstr_get(o, ibuf, &len);
	return len == wlen && memcmp(p, want, len) == 0;
}

/* The stream of stream_value: entries 1-1 and 2-1, group g that delivered 1-1 to alice. */
static void
check_stream(struct store *s)
{
	struct obj *o = store_lookup_any(store_db(s, 0), "s", 1);
	const struct stream *st;
	const struct stream_cg *g;
	struct stream_id one = { 1, 1 }, two = { 2, 1 };

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(obj_type(o), OBJ_STREAM);
	st = obj_ptr(o);
	ck_assert_uint_eq(st->length, 2);
	ck_assert_uint_eq(st->entries_added, 2);
	ck_assert(stream_id_cmp(&st->last_id, &two) == 0);
	ck_assert(stream_id_cmp(&st->first_id, &one) == 0);
	ck_assert(stream_exists(st, &one) && stream_exists(st, &two));
	ck_assert_uint_eq(st->ngroups, 1);
	g = st->groups[0];
	ck_assert_mem_eq(g->name, "g", 2);
	ck_assert(stream_id_cmp(&g->last_id, &one) == 0);
	ck_assert_int_eq(g->entries_read, 1);
	ck_assert_uint_eq(g->pel.n, 1);
	ck_assert(stream_id_cmp(&g->pel.v[0]->id, &one) == 0);
	ck_assert_uint_eq(g->nconsumers, 1);
	ck_assert_mem_eq(g->consumers[0]->name, "alice", 6);
	ck_assert_ptr_eq(g->pel.v[0]->consumer, g->consumers[0]);
}

/* Checks what the test file holds, in replica mode. */
static void
check_loaded(struct store *s, const struct rdb_load_stats *st)
{
	char big[1000];

	memset(big, 'a', sizeof big);
	ck_assert_int_eq(st->version, 10);
	ck_assert_uint_eq(st->keys, 5);
	ck_assert_uint_eq(st->expired, 0);
	ck_assert_uint_eq(st->functions, 1);
	ck_assert_str_eq(st->repl_id, REPL_ID);
	ck_assert_int_eq(st->repl_offset, 12345);
	ck_assert(value_is(s, 0, "k1", "v1", 2));
	ck_assert(value_is(s, 0, "k2", "12345", 5));
	ck_assert(value_is(s, 0, "old", "x", 1));
	ck_assert(value_is(s, 3, "big", big, sizeof big));
	ck_assert_int_eq(obj_expire(store_lookup_any(store_db(s, 0), "k2", 2)), NOW + 100000);
	ck_assert_int_eq(obj_expire(store_lookup_any(store_db(s, 0), "old", 3)), 16 * 1000);
	ck_assert_int_eq(obj_expire(store_lookup_any(store_db(s, 0), "k1", 2)), OBJ_NO_EXPIRE);
	check_stream(s);
	ck_assert_uint_eq(store_db_size(store_db(s, 0)), 4);
	ck_assert_uint_eq(store_db_size(store_db(s, 3)), 1);
}

/* Feeds p in pieces of the given sizes (the last repeats), then finishes. */
static enum rdb_load_status
feed(struct store *s, const unsigned char *p, size_t n, size_t first, size_t rest,
    struct rdb_load_stats *st, char *err)
{
	struct rdb_loader *l = rdb_loader_new(s, NOW);
	enum rdb_load_status r = RDB_LOAD_MORE;
	size_t off = 0, step = first;

	while (off < n && r == RDB_LOAD_MORE) {
		size_t k = n - off < step ? n - off : step;

		r = rdb_loader_feed(l, p + off, k);
		off += k;
		step = rest;
	}
	if (r == RDB_LOAD_MORE)
		r = rdb_loader_finish(l);
	*st = *rdb_loader_stats(l);
	if (err != NULL)
		strcpy(err, rdb_loader_error(l));
	rdb_loader_free(l);
	return r;
}

START_TEST(whole_and_split)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;

	build(&b, NULL, false);
	for (size_t cut = 0; cut <= b.len; cut++) {
		struct store *s = store_new(16, 1);

		char err[200];

		ck_assert_msg(feed(s, b.p, b.len, cut ? cut : b.len, b.len, &st, err) ==
		    RDB_LOAD_DONE, "split at %zu: %s", cut, err);
		check_loaded(s, &st);
		ck_assert_uint_eq(st.bytes, b.len);
		store_free(s);
	}
	rdb_buf_free(&b);
}
END_TEST

START_TEST(byte_by_byte)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;
	struct store *s = store_new(16, 1);

	build(&b, NULL, false);
	ck_assert_int_eq(feed(s, b.p, b.len, 1, 1, &st, NULL), RDB_LOAD_DONE);
	check_loaded(s, &st);
	store_free(s);
	/* Bytes after the end are ignored. */
	s = store_new(16, 1);
	rdb_buf_put(&b, "junk", 4);
	ck_assert_int_eq(feed(s, b.p, b.len, 7, 7, &st, NULL), RDB_LOAD_DONE);
	check_loaded(s, &st);
	store_free(s);
	rdb_buf_free(&b);
}
END_TEST

START_TEST(offline_skips_expired)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;
	struct store *s = store_new(16, 1);

	store_set_mode(s, STORE_OFFLINE);
	build(&b, NULL, false);
	ck_assert_int_eq(feed(s, b.p, b.len, b.len, b.len, &st, NULL), RDB_LOAD_DONE);
	ck_assert_uint_eq(st.keys, 4);
	ck_assert_uint_eq(st.expired, 1);
	ck_assert_ptr_null(store_lookup_any(store_db(s, 0), "old", 3));
	ck_assert(value_is(s, 0, "k2", "12345", 5));
	store_free(s);
	rdb_buf_free(&b);
}
END_TEST

START_TEST(zero_checksum_is_not_checked)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;
	struct store *s = store_new(16, 1);

	build(&b, NULL, true);
	ck_assert_int_eq(feed(s, b.p, b.len, b.len, b.len, &st, NULL), RDB_LOAD_DONE);
	check_loaded(s, &st);
	store_free(s);
	rdb_buf_free(&b);
}
END_TEST

START_TEST(every_prefix_fails)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;

	build(&b, NULL, false);
	for (size_t n = 0; n < b.len; n++) {
		struct store *s = store_new(16, 1);
		unsigned char *copy = xmalloc(n + 1);	/* exact size: ASan sees any overread */

		memcpy(copy, b.p, n);
		ck_assert_int_eq(feed(s, copy, n, n ? n : 1, 1, &st, NULL), RDB_LOAD_ERROR);
		xfree(copy);
		store_free(s);
	}
	rdb_buf_free(&b);
}
END_TEST

START_TEST(every_flip_fails)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;

	build(&b, NULL, false);
	for (size_t i = 0; i < b.len; i++) {
		static const unsigned char masks[] = { 0x01, 0x80, 0xff };

		for (size_t m = 0; m < sizeof masks; m++) {
			struct store *s = store_new(16, 1);
			unsigned char *copy = xmalloc(b.len);

			memcpy(copy, b.p, b.len);
			copy[i] ^= masks[m];
			ck_assert_msg(feed(s, copy, b.len, b.len, b.len, &st, NULL) == RDB_LOAD_ERROR,
			    "byte %zu ^ 0x%02x loaded", i, masks[m]);
			xfree(copy);
			store_free(s);
		}
	}
	rdb_buf_free(&b);
}
END_TEST

static void
dup_key(struct rdb_buf *b)
{
	put_string_key(b, "big", "again", 5);
}

static void
bad_db(struct rdb_buf *b)
{
	rdb_buf_put_byte(b, 0xfe);
	rdb_buf_put_len(b, 16);
}

static void
module_aux(struct rdb_buf *b)
{
	rdb_buf_put_byte(b, 0xf7);
	rdb_buf_put_len(b, 1);
}

static void
unknown_type(struct rdb_buf *b)
{
	rdb_buf_put_byte(b, 30);
	put_str(b, "k");
	put_str(b, "v");
}

START_TEST(refused_contents)
{
	static const struct {
		void (*extra)(struct rdb_buf *);
		const char *reason;
	} cases[] = {
		{ dup_key, "Duplicated key" },
		{ bad_db, "databases" },
		{ module_aux, "module" },
		{ unknown_type, "Unknown RDB value type 30" },
	};
	struct rdb_load_stats st;
	char err[200];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct rdb_buf b = { 0 };
		struct store *s = store_new(16, 1);

		build(&b, cases[i].extra, false);
		ck_assert_int_eq(feed(s, b.p, b.len, 3, 5, &st, err), RDB_LOAD_ERROR);
		ck_assert_msg(strstr(err, cases[i].reason) != NULL, "case %zu: %s", i, err);
		store_free(s);
		rdb_buf_free(&b);
	}
}
END_TEST

START_TEST(header_versions)
{
	struct rdb_buf b = { 0 };
	struct rdb_load_stats st;
	char err[200];

	build(&b, NULL, true);
	memcpy(b.p, "REDIS0013", 9);
	{
		struct store *s = store_new(16, 1);

		ck_assert_int_eq(feed(s, b.p, b.len, b.len, b.len, &st, err), RDB_LOAD_ERROR);
		ck_assert_str_eq(err, "Can't handle RDB format version 13");
		store_free(s);
	}
	memcpy(b.p, "REDIS0012", 9);
	{
		struct store *s = store_new(16, 1);

		ck_assert_int_eq(feed(s, b.p, b.len, b.len, b.len, &st, err), RDB_LOAD_DONE);
		ck_assert_int_eq(st.version, 12);
		store_free(s);
	}
	memcpy(b.p, "RODIS0010", 9);
	{
		struct store *s = store_new(16, 1);

		ck_assert_int_eq(feed(s, b.p, b.len, b.len, b.len, &st, err), RDB_LOAD_ERROR);
		ck_assert_str_eq(err, "Wrong signature trying to load DB from file");
		store_free(s);
	}
	rdb_buf_free(&b);
}
END_TEST

/* ---- the fixture files, damaged at random ---- */

static void
dump_value(struct obj *o, void *arg)
{
	struct rdb_buf b = { 0 };

	(void)arg;
	rdb_dump_obj(&b, o);
	ck_assert_uint_gt(b.len, 10);
	rdb_buf_free(&b);
	ck_assert_uint_gt(obj_mem_usage(o), 0);
	if (obj_encoding(o) != OBJ_ENC_INT && obj_encoding(o) != OBJ_ENC_EMBSTR)
		obj_payload_free(obj_type(o), obj_encoding(o),
		    obj_payload_dup(obj_type(o), obj_encoding(o), obj_ptr(o)));
}

static unsigned char *
read_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("FIXTURES_DIR");
	char path[4096];
	unsigned char *p;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/%s", dir != NULL ? dir : "test/fixtures", name);
	f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = xmalloc((size_t)n);
	*len = fread(p, 1, (size_t)n, f);
	fclose(f);
	return p;
}

/*
 * Every fixture loads whole; then random damage (bit flips, random or 0xff bytes, a cut, the
 * checksum zeroed so that damaged values are decoded to the end) fed in random pieces must end
 * in DONE or ERROR, never a crash or an out-of-bounds read, and every value of a load that was
 * accepted must still dump, copy and size cleanly.
 */
START_TEST(fixtures_damaged)
{
	static const char *const names[] = {
		"redis-6.2.16.rdb", "redis-7.0.15.rdb", "redis-7.4.1.rdb", "redis-8.0-dev.rdb",
		"valkey-8.1-dev.rdb",
	};
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int found = 0;

	for (size_t fi = 0; fi < sizeof names / sizeof names[0]; fi++) {
		struct rdb_load_stats st;
		size_t n;
		unsigned char *orig = read_fixture(names[fi], &n);

		if (orig == NULL)
			continue;
		found++;
		{
			struct store *s = store_new(16, 1);
			char err[200];

			ck_assert_msg(feed(s, orig, n, n, n, &st, err) == RDB_LOAD_DONE, "%s: %s",
			    names[fi], err);
			store_free(s);
		}
		for (int it = 0; it < 40; it++) {
			unsigned char *p = xmalloc(n);
			size_t len = n, step;
			int kind = (int)(dict_rand(&rng) % 4), flips = 1 + (int)(dict_rand(&rng) % 8);
			struct store *s = store_new(16, 1);
			enum rdb_load_status r;

			memcpy(p, orig, n);
			for (int k = 0; k < flips; k++) {
				size_t at = dict_rand(&rng) % n;

				if (kind == 0)
					p[at] ^= (unsigned char)(1u << (dict_rand(&rng) % 8));
				else if (kind == 1)
					p[at] = (unsigned char)dict_rand(&rng);
				else if (kind == 2)
					p[at] = 0xff;
				else
					p[at] ^= 0x40;
			}
			if (dict_rand(&rng) % 2)
				memset(p + n - 8, 0, 8);
			if (dict_rand(&rng) % 5 == 0)
				len = dict_rand(&rng) % n;
			if (dict_rand(&rng) % 2)
				store_set_mode(s, STORE_OFFLINE);
			step = 1 + dict_rand(&rng) % 70000;
			r = feed(s, p, len, step, step, &st, NULL);
			ck_assert(r == RDB_LOAD_DONE || r == RDB_LOAD_ERROR);
			if (r == RDB_LOAD_DONE)
				for (unsigned d = 0; d < 16; d++)
					store_db_foreach(store_db(s, d), dump_value, NULL);
			store_free(s);
			xfree(p);
		}
		xfree(orig);
	}
	ck_assert_msg(found == 5, "fixtures not found (FIXTURES_DIR or ./test/fixtures)");
}
END_TEST

static Suite *
rdb_load_suite(void)
{
	Suite *s = suite_create("rdb_load");
	TCase *tc;

	tc = tcase_create("decode");
	tcase_add_test(tc, whole_and_split);
	tcase_add_test(tc, byte_by_byte);
	tcase_add_test(tc, offline_skips_expired);
	tcase_add_test(tc, zero_checksum_is_not_checked);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, every_prefix_fails);
	tcase_add_test(tc, every_flip_fails);
	tcase_add_test(tc, refused_contents);
	tcase_add_test(tc, header_versions);
	suite_add_tcase(s, tc);
	tc = tcase_create("fixtures");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, fixtures_damaged);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(rdb_load_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
