/*
 * check_hll: HyperLogLog values (storage/hll.c): MurmurHash64A vectors, the register an element
 * picks, exact sparse bytes after PFADDs (captured from redis-server 7.0.15), the promotion to
 * dense at hll-sparse-max-bytes and at a register value over 32, the dense register packing,
 * the estimator (counts captured from redis-server), merging, the cache bits, and strings that
 * claim to be HLLs but are not (refused or reported corrupt as Redis does).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/hll.h"
#include "storage/store.h"
#include "storage/t_string.h"

static struct store *st;
static struct db *db;

static void
setup(void)
{
	st = store_new(1, 42);
	db = store_db(st, 0);
	hll_sparse_max_bytes = 3000;
}

static void
teardown(void)
{
	store_free(st);
}

static uint64_t
fnv1a(const unsigned char *p, size_t len)
{
	uint64_t x = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		x ^= p[i];
		x *= 0x100000001b3ULL;
	}
	return x;
}

/* Decodes hex into a new buffer; *len is its length. */
static unsigned char *
unhex(const char *hex, size_t *len)
{
	size_t n = strlen(hex) / 2;
	unsigned char *p = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		ck_assert(sscanf(hex + 2 * i, "%2x", &v) == 1);
		p[i] = (unsigned char)v;
	}
	*len = n;
	return p;
}

static struct obj *
lookup(const char *key)
{
	return store_lookup_write(db, key, strlen(key), 0);
}

/* PFADD's storage work: creates or unshares key, adds each element, invalidates the cache. */
static int
pfadd(const char *key, const char *const *eles, size_t n)
{
	struct obj *o = lookup(key);
	int updated = 0;

	if (o == NULL) {
		o = hll_create(db, key, strlen(key), 0);
		updated = 1;
	} else {
		ck_assert_int_eq(hll_check(o), HLL_OK);
		o = hll_unshare(db, key, strlen(key), o, 0);
	}
	for (size_t i = 0; i < n; i++) {
		int rc = hll_add(o, eles[i], strlen(eles[i]));

		if (rc < 0)
			return -1;
		updated += rc;
	}
	if (updated)
		hll_invalidate(o);
	return updated > 0;
}

static int
pfadd_range(const char *key, const char *prefix, unsigned from, unsigned to)
{
	char buf[32];
	const char *e = buf;
	int any = 0;

	for (unsigned i = from; i < to; i++) {
		snprintf(buf, sizeof buf, "%s%u", prefix, i);
		if (pfadd(key, &e, 1) > 0)
			any = 1;
	}
	return any;
}

static const unsigned char *
bytes(const char *key, size_t *len)
{
	struct obj *o = lookup(key);

	ck_assert_msg(o != NULL, "%s missing", key);
	return hll_bytes(o, len);
}

/* ---- hashing ---- */

static const struct {
	const char *s;
	uint64_t seed0, seedhll;
} murmur_cases[] = {
	{ "", 0x0000000000000000ULL, 0xd8dfea6585bc9732ULL },
	{ "a", 0x071717d2d36b6b11ULL, 0x53d2470a9b43b1a7ULL },
	{ "ab", 0x62be85b2fe53d1f8ULL, 0x0eaed676437142cfULL },
	{ "abc", 0x9cc9c33498a95efbULL, 0x77ec90aeb374e502ULL },
	{ "hello", 0x1e68d17c457bf117ULL, 0x0f656f01eecfe400ULL },
	{ "hello world", 0xd3ba2368a832afceULL, 0xa919bc3051f624b7ULL },
	{ "The quick brown fox jumps over the lazy dog", 0x5589ca33042a861bULL,
	    0x51606c5c5b561aceULL },
};

START_TEST(test_murmur_vectors)
{
	const char *s = murmur_cases[_i].s;

	ck_assert_uint_eq(hll_murmur64a(s, strlen(s), 0), murmur_cases[_i].seed0);
	ck_assert_uint_eq(hll_murmur64a(s, strlen(s), HLL_HASH_SEED), murmur_cases[_i].seedhll);
}
END_TEST

START_TEST(test_pattern)
{
	unsigned index, count;
	uint64_t h;

	/* "a": register 12711 gets 2 (redis-server's sparse bytes: Z:12711 v:2,1 Z:3672). */
	count = hll_pattern("a", 1, &index);
	ck_assert_uint_eq(index, 12711);
	ck_assert_uint_eq(count, 2);
	/* Index and count follow from the hash for every element. */
	for (unsigned i = 0; i < 1000; i++) {
		char buf[16];
		unsigned want = 1;

		snprintf(buf, sizeof buf, "p%u", i);
		count = hll_pattern(buf, strlen(buf), &index);
		h = hll_murmur64a(buf, strlen(buf), HLL_HASH_SEED);
		ck_assert_uint_eq(index, h & (HLL_REGISTERS - 1));
		for (h >>= HLL_P; want <= 50 && !(h & 1); h >>= 1)
			want++;
		ck_assert_uint_eq(count, want);
	}
}
END_TEST

/* ---- exact sparse bytes ---- */

static const struct {
	const char *eles;	/* space-separated; "" adds nothing */
	const char *hex;	/* GET after PFADD on redis-server 7.0.15 */
} sparse_cases[] = {
	{ "", "48594c4c0100000000000000000000807fff" },
	{ "a", "48594c4c01000000000000000000008071a6844e57" },
	{ "a b c", "48594c4c01000000000000000000008060f38050b1844bfb80425a" },
	{ "hello world", "48594c4c0100000000000000000000804ab5885948805bfe" },
	{ "x0 x1 x2 x3 x4 x5 x6 x7 x8 x9 x10 x11 x12 x13 x14 x15 x16 x17 x18 x19",
	    "48594c4c01000000000000000000008043729442a384482b844295b4404390412b8042a0804568"
	    "80425984412f8c40c88445ab80465f98417f8c47188024842d8844d28c410884460f884061" },
};

START_TEST(test_sparse_bytes)
{
	char *list = xstrdup(sparse_cases[_i].eles), *save = NULL;
	const char *eles[32];
	size_t n = 0, wlen, len;
	unsigned char *want = unhex(sparse_cases[_i].hex, &wlen);
	const unsigned char *got;

	for (char *t = strtok_r(list, " ", &save); t != NULL; t = strtok_r(NULL, " ", &save))
		eles[n++] = t;
	ck_assert_int_eq(pfadd("k", eles, n), 1);
	got = bytes("k", &len);
	ck_assert_uint_eq(len, wlen);
	ck_assert_msg(memcmp(got, want, len) == 0, "sparse bytes differ for \"%s\"",
	    sparse_cases[_i].eles);
	/* Adding the same elements again changes nothing. */
	if (n > 0)
		ck_assert_int_eq(pfadd("k", eles, n), 0);
	ck_assert_uint_eq(fnv1a(bytes("k", &len), len), fnv1a(want, wlen));
	xfree(want);
	xfree(list);
}
END_TEST

/* Every opcode form and the merging window, against a register-by-register reference. */
START_TEST(test_sparse_matches_reference)
{
	uint8_t ref[HLL_REGISTERS] = { 0 }, regs[HLL_REGISTERS];
	struct obj *o = hll_create(db, "r", 1, 0);
	uint64_t x = 12345;

	for (int step = 0; step < 3000; step++) {
		unsigned idx, val;
		const unsigned char *p;
		size_t len;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* Clustered indexes make VAL runs, splits and merges. */
		idx = (unsigned)(x % 64) + (unsigned)((x >> 8) % 4) * 5000;
		val = 1 + (unsigned)((x >> 16) % 5);
		/* PFMERGE's path sets any register to any value directly. */
		memset(regs, 0, sizeof regs);
		regs[idx] = (uint8_t)val;
		hll_store_registers(o, regs);
		if (val > ref[idx])
			ref[idx] = (uint8_t)val;
		p = hll_bytes(o, &len);
		ck_assert_int_eq(p[4], HLL_ENC_SPARSE);
		memset(regs, 0, sizeof regs);
		ck_assert(hll_merge(regs, p, len));
		ck_assert_msg(memcmp(regs, ref, sizeof regs) == 0, "step %d", step);
		/* No two adjacent VALs with the same value fit in one opcode. */
		for (size_t i = HLL_HDR_SIZE; i + 1 < len; i += (p[i] & 0xc0) == 0x40 ? 2 : 1) {
			if ((p[i] & 0x80) && (p[i + 1] & 0x80) &&
			    ((p[i] >> 2) & 0x1f) == ((p[i + 1] >> 2) & 0x1f))
				ck_assert_uint_gt((p[i] & 3) + (p[i + 1] & 3) + 2, 4);
		}
	}
}
END_TEST

/* ---- promotion ---- */

START_TEST(test_promotion_at_max_bytes)
{
	const unsigned char *p;
	size_t len;
	uint64_t card;

	/* redis-server 7.0.15: e0..e1682 stay sparse (3000 bytes), e1683 makes it dense. */
	pfadd_range("p", "e", 0, 1683);
	p = bytes("p", &len);
	ck_assert_int_eq(p[4], HLL_ENC_SPARSE);
	ck_assert_uint_eq(len, 3000);
	ck_assert_uint_eq(fnv1a(p, len), 0x3c1b2ef7aaad95dfULL);
	pfadd_range("p", "e", 1683, 1684);
	p = bytes("p", &len);
	ck_assert_int_eq(p[4], HLL_ENC_DENSE);
	ck_assert_uint_eq(len, HLL_DENSE_SIZE);
	ck_assert_uint_eq(fnv1a(p, len), 0x1dff1bb55f474a5dULL);
	ck_assert(!hll_cached(p, &card));
	ck_assert(hll_count(p, len, &card));
	ck_assert_uint_eq(card, 1685);
	hll_set_cache(lookup("p"), card);
	p = bytes("p", &len);
	ck_assert_uint_eq(fnv1a(p, len), 0x22fe6cf0303a8312ULL);
	ck_assert(hll_cached(p, &card));
	ck_assert_uint_eq(card, 1685);
}
END_TEST

START_TEST(test_promotion_threshold_config)
{
	const unsigned char *p;
	size_t len;

	hll_sparse_max_bytes = 100;
	pfadd_range("p", "e", 0, 20);
	p = bytes("p", &len);
	ck_assert_int_eq(p[4], HLL_ENC_SPARSE);
	ck_assert_uint_le(len, 100);
	pfadd_range("p", "e", 20, 200);
	p = bytes("p", &len);
	ck_assert_int_eq(p[4], HLL_ENC_DENSE);
}
END_TEST

START_TEST(test_promotion_on_big_value)
{
	uint8_t regs[HLL_REGISTERS] = { 0 };
	struct obj *o = hll_create(db, "v", 1, 0);
	const unsigned char *p;
	size_t len;

	regs[7] = 32;
	hll_store_registers(o, regs);
	p = hll_bytes(o, &len);
	ck_assert_int_eq(p[4], HLL_ENC_SPARSE);
	regs[7] = 33;
	hll_store_registers(o, regs);
	p = hll_bytes(o, &len);
	ck_assert_int_eq(p[4], HLL_ENC_DENSE);
	ck_assert_uint_eq(hll_dense_get(p + HLL_HDR_SIZE, 7), 33);
	ck_assert_uint_eq(hll_dense_get(p + HLL_HDR_SIZE, 6), 0);
	ck_assert_uint_eq(hll_dense_get(p + HLL_HDR_SIZE, 8), 0);
}
END_TEST

/* ---- dense registers, estimator, merge ---- */

START_TEST(test_dense_registers)
{
	struct obj *o = hll_create(db, "d", 1, 0);
	uint8_t regs[HLL_REGISTERS];
	const unsigned char *p;
	size_t len;

	ck_assert_int_eq(hll_to_dense(o), 1);
	ck_assert_int_eq(hll_to_dense(o), 0);
	for (unsigned i = 0; i < HLL_REGISTERS; i++)
		regs[i] = (uint8_t)((i * 37 + 11) % 64);
	hll_store_registers(o, regs);
	p = hll_bytes(o, &len);
	ck_assert_uint_eq(len, HLL_DENSE_SIZE);
	for (unsigned i = 0; i < HLL_REGISTERS; i++)
		ck_assert_uint_eq(hll_dense_get(p + HLL_HDR_SIZE, i), regs[i]);
	/* Register 0 sits in the low bits of byte 0, register 1 spans bytes 0 and 1. */
	ck_assert_uint_eq(p[HLL_HDR_SIZE] & 63, regs[0]);
	ck_assert_uint_eq((p[HLL_HDR_SIZE] >> 6 | (p[HLL_HDR_SIZE + 1] & 15) << 2), regs[1]);
}
END_TEST

START_TEST(test_counts)
{
	uint8_t regs[HLL_REGISTERS] = { 0 };
	const unsigned char *p;
	size_t len;
	uint64_t card;

	pfadd_range("q", "e", 0, 100000);
	pfadd_range("r", "e", 0, 300);
	p = bytes("q", &len);
	ck_assert(hll_count(p, len, &card));
	ck_assert_uint_eq(card, 100853);		/* redis-server 7.0.15 */
	ck_assert(hll_merge(regs, p, len));
	p = bytes("r", &len);
	ck_assert_uint_eq(len, 713);
	ck_assert_uint_eq(fnv1a(p, len), 0xa4cfffba965d1718ULL);	/* redis-server */
	ck_assert(hll_count(p, len, &card));
	ck_assert_uint_eq(card, 302);
	ck_assert(hll_merge(regs, p, len));
	ck_assert_uint_eq(hll_count_registers(regs), 100853);
	memset(regs, 0, sizeof regs);
	ck_assert_uint_eq(hll_count_registers(regs), 0);
}
END_TEST

START_TEST(test_cache_bits)
{
	struct obj *o;
	const unsigned char *p;
	size_t len;
	uint64_t card;
	const char *e = "zz";

	pfadd("c", &e, 1);
	o = lookup("c");
	p = hll_bytes(o, &len);
	ck_assert(!hll_cached(p, &card));
	ck_assert_int_eq(p[15], 0x80);
	hll_set_cache(o, 0x0102030405060708ULL);
	p = hll_bytes(o, &len);
	ck_assert(hll_cached(p, &card));
	ck_assert_uint_eq(card, 0x0102030405060708ULL);
	ck_assert_int_eq(p[8], 0x08);
	hll_invalidate(o);
	p = hll_bytes(o, &len);
	/* Invalidation sets the top bit only: the old value stays in the bytes, as in Redis. */
	ck_assert_int_eq(p[15], 0x81);
	ck_assert_int_eq(p[8], 0x08);
	ck_assert(!hll_cached(p, &card));
}
END_TEST

/* ---- invalid values ---- */

static const struct {
	const char *hex;
	enum hll_result check;
	int count_ok;		/* for HLL_OK: hll_count succeeds */
	int add;		/* for HLL_OK: hll_add of "a" (register 12711, value 2) */
	const char *after;	/* the bytes after that PFADD on redis-server 7.0.15 */
} bad_cases[] = {
	{ "48594c4c01", HLL_NOT_HLL, 0, 0, NULL },				/* short */
	{ "48594c4d0100000000000000000000807fff", HLL_NOT_HLL, 0, 0, NULL },	/* magic */
	{ "48594c4c0200000000000000000000807fff", HLL_NOT_HLL, 0, 0, NULL },	/* encoding 2 */
	{ "48594c4c0000000000000000000000807fff", HLL_NOT_HLL, 0, 0, NULL },	/* dense, short */
	{ "48594c4c01000000000000000000008000", HLL_OK, 0, -1,			/* 1 register */
	    "48594c4c01000000000000000000008000" },
	{ "48594c4c010000000000000000000080", HLL_OK, 0, -1,			/* no body */
	    "48594c4c010000000000000000000080" },
	{ "48594c4c0100000000000000000000807fff00", HLL_OK, 0, 1,		/* 16385 registers */
	    "48594c4c01000000000000000000008071a6844e5700" },
	/* A VAL past the last register: corrupt, as Debian's redis-server 7.0.15 decides. */
	{ "48594c4c0100000000000000000000807fff80", HLL_OK, 0, 1,
	    "48594c4c01000000000000000000008071a6844e5780" },
	{ "48594c4c0100000000000000000000807ffd8383", HLL_OK, 0, 1,
	    "48594c4c01000000000000000000008071a6844e558383" },
	{ "48594c4c0100000000000000000000807f", HLL_OK, 0, 1,			/* cut XZERO */
	    "48594c4c01000000000000000000008071a6844d" },
	{ "48594c4c0100000000000000000000807ffe00", HLL_OK, 1, 1,		/* 16383 + 1 */
	    "48594c4c01000000000000000000008071a6844e5600" },
	{ "48594c4c0100000000000000000000807ffe80", HLL_OK, 1, 1,		/* 16383 + v:1 */
	    "48594c4c01000000000000000000008071a6844e5680" },
	{ "48594c4c0100000000000000000000807ffefc", HLL_OK, 1, 1,		/* v:32 at the end */
	    "48594c4c01000000000000000000008071a6844e56fc" },
};

START_TEST(test_invalid_values)
{
	size_t len, blen;
	unsigned char *want = unhex(bad_cases[_i].hex, &len);
	struct obj *o = tstr_set(db, "b", 1, (const char *)want, len, OBJ_NO_EXPIRE, 0);
	uint8_t regs[HLL_REGISTERS] = { 0 };
	const unsigned char *p;
	uint64_t card;
	int rc;

	ck_assert_int_eq(hll_check(o), bad_cases[_i].check);
	if (bad_cases[_i].check != HLL_OK)
		goto out;
	p = hll_bytes(o, &blen);
	ck_assert_int_eq(hll_count(p, blen, &card), bad_cases[_i].count_ok);
	ck_assert_int_eq(hll_merge(regs, p, blen), bad_cases[_i].count_ok);
	o = hll_unshare(db, "b", 1, o, 0);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_RAW);
	rc = hll_add(o, "a", 1);
	ck_assert_int_eq(rc, bad_cases[_i].add);
	if (rc >= 0 && !bad_cases[_i].count_ok)
		ck_assert_int_eq(hll_to_dense(o), -1);
	{
		size_t alen;
		unsigned char *after = unhex(bad_cases[_i].after, &alen);

		p = hll_bytes(o, &blen);
		ck_assert_uint_eq(blen, alen);
		ck_assert(memcmp(p, after, alen) == 0);
		xfree(after);
	}
out:
	xfree(want);
}
END_TEST

START_TEST(test_not_strings)
{
	struct obj *o = tstr_set(db, "i", 1, "12345", 5, OBJ_NO_EXPIRE, 0);

	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_INT);
	ck_assert_int_eq(hll_check(o), HLL_NOT_HLL);
}
END_TEST

START_TEST(test_decode)
{
	size_t len, n;
	unsigned char *b = unhex("48594c4c01000000000000000000008043729442a384482b844295b4", &len);
	char *s = hll_decode(b, len, &n);

	ck_assert_str_eq(s, "Z:883 v:6,1 Z:676 v:2,1 Z:2092 v:2,1 Z:662 v:14,1");
	ck_assert_uint_eq(n, strlen(s));
	xfree(s);
	s = hll_decode(b, HLL_HDR_SIZE, &n);
	ck_assert_str_eq(s, "");
	xfree(s);
	xfree(b);
}
END_TEST

START_TEST(test_selftest)
{
	ck_assert_ptr_null(hll_selftest(99, 100000));
}
END_TEST

static Suite *
hll_suite(void)
{
	Suite *s = suite_create("hll");
	TCase *tc;

	tc = tcase_create("hash");
	tcase_add_loop_test(tc, test_murmur_vectors, 0,
	    (int)(sizeof murmur_cases / sizeof murmur_cases[0]));
	tcase_add_test(tc, test_pattern);
	suite_add_tcase(s, tc);

	tc = tcase_create("sparse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_sparse_bytes, 0,
	    (int)(sizeof sparse_cases / sizeof sparse_cases[0]));
	tcase_add_test(tc, test_sparse_matches_reference);
	tcase_add_test(tc, test_decode);
	suite_add_tcase(s, tc);

	tc = tcase_create("promotion");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_promotion_at_max_bytes);
	tcase_add_test(tc, test_promotion_threshold_config);
	tcase_add_test(tc, test_promotion_on_big_value);
	suite_add_tcase(s, tc);

	tc = tcase_create("dense_count");
	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dense_registers);
	tcase_add_test(tc, test_counts);
	tcase_add_test(tc, test_cache_bits);
	tcase_add_test(tc, test_selftest);
	suite_add_tcase(s, tc);

	tc = tcase_create("invalid");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_invalid_values, 0,
	    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, test_not_strings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(hll_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
