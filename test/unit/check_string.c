/*
 * check_string: the string type (storage/t_string.c, t_bitmap.c): encodings as Redis 7.0 picks
 * them, APPEND/SETRANGE/GETRANGE, the INCR family and INCRBYFLOAT with their errors, bit
 * operations against naive references on random data, BITFIELD overflow modes (cases checked
 * against redis-server 7.0.15), and LCS against a naive dynamic program.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"

static struct store *st;
static struct db *db;

/*
 * Valgrind runs x87 long double arithmetic at double precision, so the INCRBYFLOAT cases that
 * depend on 80-bit range and precision are skipped under it (its preload is in LD_PRELOAD).
 */
static bool
under_valgrind(void)
{
	const char *p = getenv("LD_PRELOAD");

	return p != NULL && strstr(p, "vgpreload") != NULL;
}

static void
setup(void)
{
	st = store_new(2, 42);
	db = store_db(st, 0);
}

static void
teardown(void)
{
	store_free(st);
}

static struct obj *
get(const char *key)
{
	return store_lookup_read(db, key, strlen(key), 0);
}

/* Asserts that key holds exactly want/wlen with encoding enc. */
static void
check_value(const char *key, const char *want, size_t wlen, enum obj_encoding enc)
{
	struct obj *o = get(key);
	char ibuf[TSTR_INT_BUF];
	const char *p;
	size_t len;

	ck_assert_msg(o != NULL, "%s missing", key);
	ck_assert_int_eq(obj_type(o), OBJ_STRING);
	p = tstr_get(o, ibuf, &len);
	ck_assert_uint_eq(len, wlen);
	ck_assert_uint_eq(tstr_len(o), wlen);
	ck_assert_msg(memcmp(p, want, wlen) == 0, "%s: value differs", key);
	ck_assert_msg(obj_encoding(o) == enc, "%s: encoding %s, want %s", key,
	    obj_encoding_name(obj_encoding(o)), obj_encoding_name(enc));
}

/* OBJECT ENCODING after SET, as redis-server 7.0.15 answers. */
static const struct {
	const char *v;
	enum obj_encoding enc;
} enc_cases[] = {
	{ "123", OBJ_ENC_INT },
	{ "0", OBJ_ENC_INT },
	{ "-1", OBJ_ENC_INT },
	{ "0123", OBJ_ENC_EMBSTR },
	{ " 1", OBJ_ENC_EMBSTR },
	{ "1 ", OBJ_ENC_EMBSTR },
	{ "+1", OBJ_ENC_EMBSTR },
	{ "-0", OBJ_ENC_EMBSTR },
	{ "1.5", OBJ_ENC_EMBSTR },
	{ "", OBJ_ENC_EMBSTR },
	{ "9223372036854775807", OBJ_ENC_INT },
	{ "9223372036854775808", OBJ_ENC_EMBSTR },
	{ "-9223372036854775808", OBJ_ENC_INT },
	{ "-9223372036854775809", OBJ_ENC_EMBSTR },
	{ "12345678901234567890123456789012345678901234", OBJ_ENC_EMBSTR },
	{ "123456789012345678901234567890123456789012345", OBJ_ENC_RAW },
};

START_TEST(test_set_encoding)
{
	const char *v = enc_cases[_i].v;

	tstr_set(db, "k", 1, v, strlen(v), OBJ_NO_EXPIRE, 0);
	check_value("k", v, strlen(v), enc_cases[_i].enc);
	/* Overwriting with another encoding gives the new one (kv reused or rebuilt). */
	tstr_set(db, "k", 1, "x", 1, OBJ_NO_EXPIRE, 0);
	check_value("k", "x", 1, OBJ_ENC_EMBSTR);
	tstr_set(db, "k", 1, v, strlen(v), OBJ_NO_EXPIRE, 0);
	check_value("k", v, strlen(v), enc_cases[_i].enc);
}
END_TEST

/* OBJECT REFCOUNT: Redis' shared integers, as redis-server 7.0.15 answers after each step. */
START_TEST(test_refcount)
{
	int64_t out;
	size_t n;

	tstr_set(db, "a", 1, "5", 1, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(obj_refcount(get("a")), OBJ_SHARED_REFCOUNT);
	ck_assert_int_eq(store_copy(db, "a", 1, db, "b", 1, false, 0), STORE_OK);
	ck_assert_int_eq(obj_refcount(get("b")), 1);	/* COPY duplicates privately */
	ck_assert_int_eq(store_rename(db, "b", 1, "c", 1, false, 0), STORE_OK);
	ck_assert_int_eq(obj_refcount(get("c")), 1);	/* RENAME keeps the object */
	ck_assert_int_eq(tstr_incrby(db, "c", 1, 1, 0, &out), TSTR_OK);
	ck_assert_int_eq(obj_refcount(get("c")), OBJ_SHARED_REFCOUNT);
	tstr_set(db, "d", 1, "9999", 4, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_incrby(db, "d", 1, 1, 0, &out), TSTR_OK);
	ck_assert_int_eq(obj_refcount(get("d")), 1);
	tstr_set(db, "e", 1, "10005", 5, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(obj_refcount(get("e")), 1);
	ck_assert_int_eq(tstr_incrby(db, "e", 1, -10, 0, &out), TSTR_OK);
	ck_assert_int_eq(obj_refcount(get("e")), OBJ_SHARED_REFCOUNT);
	tstr_set(db, "f", 1, "abc", 3, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(obj_refcount(get("f")), 1);
	tstr_set(db, "m", 1, "-1", 2, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(obj_refcount(get("m")), 1);
	ck_assert_int_eq(tstr_append(db, "g", 1, "12", 2, 0, &n), TSTR_OK);
	ck_assert_int_eq(obj_refcount(get("g")), OBJ_SHARED_REFCOUNT);
	/* Overwriting a shared int with a string clears it. */
	tstr_set(db, "a", 1, "x", 1, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(obj_refcount(get("a")), 1);
}
END_TEST

START_TEST(test_binary_values)
{
	static const char bin[] = "a\0b\r\n\xff";
	char big[1000];

	tstr_set(db, "b", 1, bin, sizeof bin, OBJ_NO_EXPIRE, 0);
	check_value("b", bin, sizeof bin, OBJ_ENC_EMBSTR);
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)(i * 7);
	tstr_set(db, "big", 3, big, sizeof big, OBJ_NO_EXPIRE, 0);
	check_value("big", big, sizeof big, OBJ_ENC_RAW);
}
END_TEST

START_TEST(test_append)
{
	size_t n;
	char want[200];

	ck_assert_int_eq(tstr_append(db, "n", 1, "12", 2, 0, &n), TSTR_OK);
	ck_assert_uint_eq(n, 2);
	check_value("n", "12", 2, OBJ_ENC_INT);	/* a new key is encoded as by SET */
	ck_assert_int_eq(tstr_append(db, "n", 1, "3", 1, 0, &n), TSTR_OK);
	check_value("n", "123", 3, OBJ_ENC_RAW);
	ck_assert_int_eq(tstr_append(db, "e", 1, "x", 1, 0, &n), TSTR_OK);
	ck_assert_int_eq(tstr_append(db, "e", 1, "", 0, 0, &n), TSTR_OK);
	ck_assert_uint_eq(n, 1);
	check_value("e", "x", 1, OBJ_ENC_RAW);	/* even an empty append unshares */
	/* Many appends: greedy growth keeps the content right. */
	for (int i = 0; i < 100; i++) {
		ck_assert_int_eq(tstr_append(db, "g", 1, "ab", 2, 0, &n), TSTR_OK);
		want[2 * i] = 'a';
		want[2 * i + 1] = 'b';
		ck_assert_uint_eq(n, (size_t)(2 * i + 2));
	}
	check_value("g", want, 200, OBJ_ENC_RAW);
}
END_TEST

START_TEST(test_append_keeps_ttl)
{
	struct obj *o;
	size_t n;

	tstr_set(db, "t", 1, "abc", 3, 5000, 0);
	ck_assert_int_eq(tstr_append(db, "t", 1, "def", 3, 0, &n), TSTR_OK);
	o = get("t");
	ck_assert_int_eq(obj_expire(o), 5000);
	check_value("t", "abcdef", 6, OBJ_ENC_RAW);
}
END_TEST

static const struct {
	const char *init;	/* NULL: key absent */
	uint64_t off;
	const char *val;
	size_t want_len;
	const char *want;	/* NULL: key absent afterwards */
	size_t wlen;
	enum obj_encoding enc;
} setrange_cases[] = {
	{ NULL, 0, "", 0, NULL, 0, 0 },
	{ NULL, 3, "ab", 5, "\0\0\0ab", 5, OBJ_ENC_RAW },
	{ "hello", 0, "", 5, "hello", 5, OBJ_ENC_EMBSTR },	/* unchanged, not unshared */
	{ "hello", 1, "EL", 5, "hELlo", 5, OBJ_ENC_RAW },
	{ "hello", 7, "!", 8, "hello\0\0!", 8, OBJ_ENC_RAW },
	{ "123", 0, "4", 3, "423", 3, OBJ_ENC_RAW },
	{ "123", 0, "", 3, "123", 3, OBJ_ENC_INT },
};

START_TEST(test_setrange)
{
	size_t n = 99;

	if (setrange_cases[_i].init != NULL)
		tstr_set(db, "s", 1, setrange_cases[_i].init, strlen(setrange_cases[_i].init),
		    OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_setrange(db, "s", 1, setrange_cases[_i].off, setrange_cases[_i].val,
	    strlen(setrange_cases[_i].val), 0, &n), TSTR_OK);
	ck_assert_uint_eq(n, setrange_cases[_i].want_len);
	if (setrange_cases[_i].want == NULL)
		ck_assert_ptr_null(get("s"));
	else
		check_value("s", setrange_cases[_i].want, setrange_cases[_i].wlen,
		    setrange_cases[_i].enc);
}
END_TEST

/* GETRANGE "Hello World" (11 bytes) as Redis answers. */
static const struct {
	int64_t start, end;
	const char *want;
} range_cases[] = {
	{ 0, 4, "Hello" }, { -5, -1, "World" }, { 0, -1, "Hello World" }, { 5, 3, "" },
	{ -1, -5, "" }, { 0, 100, "Hello World" }, { -100, 2, "Hel" }, { 11, 20, "" },
	{ 10, 10, "d" }, { -100, -100, "H" }, { 3, -100, "" }, { INT64_MIN, INT64_MAX, "Hello World" },
};

START_TEST(test_getrange)
{
	static const char hello[] = "Hello World";
	size_t from, n = tstr_range(11, range_cases[_i].start, range_cases[_i].end, &from);

	ck_assert_uint_eq(n, strlen(range_cases[_i].want));
	if (n > 0)
		ck_assert(memcmp(&hello[from], range_cases[_i].want, n) == 0);
	ck_assert_uint_eq(tstr_range(0, 0, -1, &from), 0);
}
END_TEST

static const struct {
	const char *init;	/* NULL: absent */
	int64_t incr;
	enum tstr_result rc;
	int64_t want;
} incr_cases[] = {
	{ NULL, 1, TSTR_OK, 1 },
	{ "10", -11, TSTR_OK, -1 },
	{ "0123", 1, TSTR_NOT_INT, 0 },
	{ "abc", 1, TSTR_NOT_INT, 0 },
	{ "1.5", 1, TSTR_NOT_INT, 0 },
	{ "", 1, TSTR_NOT_INT, 0 },
	{ "9223372036854775807", 1, TSTR_OVERFLOW, 0 },
	{ "-9223372036854775808", -1, TSTR_OVERFLOW, 0 },
	{ "9223372036854775806", 1, TSTR_OK, INT64_MAX },
	{ "-1", INT64_MIN + 1, TSTR_OK, INT64_MIN },
	{ "5", INT64_MAX, TSTR_OVERFLOW, 0 },
	{ "-5", INT64_MIN, TSTR_OVERFLOW, 0 },
	{ "123456789012345678901234567890123456789012345", 1, TSTR_NOT_INT, 0 },
};

START_TEST(test_incrby)
{
	int64_t out = 0;
	enum tstr_result rc;

	if (incr_cases[_i].init != NULL)
		tstr_set(db, "i", 1, incr_cases[_i].init, strlen(incr_cases[_i].init), 7777, 0);
	rc = tstr_incrby(db, "i", 1, incr_cases[_i].incr, 0, &out);
	ck_assert_int_eq(rc, incr_cases[_i].rc);
	if (rc == TSTR_OK) {
		char buf[32];
		int n = snprintf(buf, sizeof buf, "%lld", (long long)incr_cases[_i].want);

		ck_assert_int_eq(out, incr_cases[_i].want);
		check_value("i", buf, (size_t)n, OBJ_ENC_INT);
		/* INCR keeps the TTL (Redis' dbOverwrite). */
		ck_assert_int_eq(obj_expire(get("i")),
		    incr_cases[_i].init ? 7777 : OBJ_NO_EXPIRE);
	} else if (incr_cases[_i].init != NULL) {
		check_value("i", incr_cases[_i].init, strlen(incr_cases[_i].init),
		    get("i") ? obj_encoding(get("i")) : OBJ_ENC_RAW);
	}
}
END_TEST

START_TEST(test_incr_wrongtype_and_raw)
{
	int64_t out;
	size_t n;

	tstr_set(db, "r", 1, "10", 2, OBJ_NO_EXPIRE, 0);
	tstr_append(db, "r", 1, "", 0, 0, &n);
	check_value("r", "10", 2, OBJ_ENC_RAW);
	ck_assert_int_eq(tstr_incrby(db, "r", 1, 1, 0, &out), TSTR_OK);
	check_value("r", "11", 2, OBJ_ENC_INT);
}
END_TEST

/* INCRBYFLOAT results as redis-server 7.0.15 prints them. */
static const struct {
	const char *init;
	const char *incr;
	enum tstr_result rc;
	const char *want;
	enum obj_encoding enc;
} float_cases[] = {
	{ "10.5", "0.1", TSTR_OK, "10.6", OBJ_ENC_EMBSTR },
	{ "2.5", "0.5", TSTR_OK, "3", OBJ_ENC_EMBSTR },
	{ NULL, "5.0e3", TSTR_OK, "5000", OBJ_ENC_EMBSTR },
	{ "5000", "2e2", TSTR_OK, "5200", OBJ_ENC_EMBSTR },
	{ "1", "-1", TSTR_OK, "0", OBJ_ENC_EMBSTR },
	{ "-0.5", "0.5", TSTR_OK, "0", OBJ_ENC_EMBSTR },
	{ "1", "1e300", TSTR_OK, NULL, OBJ_ENC_RAW },
	{ "abc", "1", TSTR_NOT_FLOAT, NULL, 0 },
	{ "1", "inf", TSTR_NAN_INF, NULL, 0 },
	{ "0x10", "1", TSTR_OK, "17", OBJ_ENC_EMBSTR },
	{ "1.5 ", "1", TSTR_NOT_FLOAT, NULL, 0 },
};

START_TEST(test_incrbyfloat)
{
	long double incr;
	char out[TSTR_LD_BUF];
	size_t len = 0;
	enum tstr_result rc;

	if (under_valgrind())
		return;

	if (float_cases[_i].init != NULL)
		tstr_set(db, "f", 1, float_cases[_i].init, strlen(float_cases[_i].init), 4242, 0);
	ck_assert(tstr_parse_ld(float_cases[_i].incr, strlen(float_cases[_i].incr), &incr));
	rc = tstr_incrbyfloat(db, "f", 1, incr, 0, out, &len);
	ck_assert_int_eq(rc, float_cases[_i].rc);
	if (rc != TSTR_OK)
		return;
	if (float_cases[_i].want != NULL) {
		ck_assert_uint_eq(len, strlen(float_cases[_i].want));
		ck_assert(memcmp(out, float_cases[_i].want, len) == 0);
	} else {
		/* 1e300 + 1 prints all of its %.17Lf digits (glibc), with no fraction. */
		ck_assert_uint_gt(len, 300);
		ck_assert(memchr(out, '.', len) == NULL);
	}
	check_value("f", out, len, float_cases[_i].enc);
	ck_assert_int_eq(obj_expire(get("f")), float_cases[_i].init ? 4242 : OBJ_NO_EXPIRE);
}
END_TEST

static const struct {
	const char *s;
	size_t len;
	bool ok;
} ld_cases[] = {
	{ "1", 1, true }, { "-1.5", 4, true }, { "1e10", 4, true }, { "inf", 3, true },
	{ "0x10", 4, true }, { " 1", 2, false }, { "1 ", 2, false }, { "", 0, false },
	{ "nan", 3, false }, { "1e5000", 6, false }, { "1\0", 2, false }, { "abc", 3, false },
	{ "1e-5000", 7, false }, { ".5", 2, true },
};

START_TEST(test_parse_ld)
{
	long double v;

	if (under_valgrind())
		return;

	ck_assert_int_eq(tstr_parse_ld(ld_cases[_i].s, ld_cases[_i].len, &v), ld_cases[_i].ok);
}
END_TEST

START_TEST(test_fmt_ld)
{
	char buf[TSTR_LD_BUF];
	size_t n;

	if (under_valgrind())
		return;

	n = tstr_fmt_ld(buf, sizeof buf, -0.0L);
	ck_assert_uint_eq(n, 1);
	ck_assert(buf[0] == '0');
	n = tstr_fmt_ld(buf, sizeof buf, 0.1L);
	ck_assert_uint_eq(n, 3);
	ck_assert(memcmp(buf, "0.1", 3) == 0);
	n = tstr_fmt_ld(buf, sizeof buf, 1.0L / 3);
	ck_assert(memcmp(buf, "0.33333333333333333", n) == 0);
	n = tstr_fmt_ld(buf, sizeof buf, -INFINITY);
	ck_assert(n == 4 && memcmp(buf, "-inf", 4) == 0);
	ck_assert_uint_eq(tstr_fmt_ld(buf, 3, 12345.0L), 0);
}
END_TEST

START_TEST(test_wrongtype)
{
	struct obj_value v;
	int64_t i;
	size_t n;
	int old;
	long double ld = 1;
	char out[TSTR_LD_BUF];
	const char *src = "h";
	size_t slen = 1;
	struct tstr_bf_op op = { TSTR_BF_GET, TSTR_OVERFLOW_WRAP, false, 8, 0, 0 };
	struct tstr_bf_result res;

	memset(&v, 0, sizeof v);
	v.type = OBJ_HASH;
	v.enc = OBJ_ENC_LISTPACK;
	v.ptr = NULL;
	store_set_value(db, "h", 1, &v, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_append(db, "h", 1, "x", 1, 0, &n), TSTR_WRONGTYPE);
	ck_assert_int_eq(tstr_setrange(db, "h", 1, 0, "x", 1, 0, &n), TSTR_WRONGTYPE);
	ck_assert_int_eq(tstr_incrby(db, "h", 1, 1, 0, &i), TSTR_WRONGTYPE);
	ck_assert_int_eq(tstr_incrbyfloat(db, "h", 1, ld, 0, out, &n), TSTR_WRONGTYPE);
	ck_assert_int_eq(tstr_setbit(db, "h", 1, 0, 1, 0, &old), TSTR_WRONGTYPE);
	ck_assert_int_eq(tstr_bitop(db, TSTR_BITOP_NOT, "d", 1, &src, &slen, 1, 0, &n),
	    TSTR_WRONGTYPE);
	ck_assert_ptr_null(get("d"));
	ck_assert_int_eq(tstr_bitfield(db, "h", 1, &op, 1, 0, &res), TSTR_WRONGTYPE);
	op.op = TSTR_BF_SET;
	ck_assert_int_eq(tstr_bitfield(db, "h", 1, &op, 1, 0, &res), TSTR_WRONGTYPE);
	ck_assert_int_eq(obj_type(get("h")), OBJ_HASH);
}
END_TEST

/* Bits: naive references, one bit at a time. */

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static int
naive_bit(const unsigned char *p, size_t len, uint64_t i)
{
	if (i / 8 >= len)
		return 0;
	return (p[i / 8] & (0x80 >> (i % 8))) != 0;
}

/* Fills p with random bytes biased toward runs of 0x00 and 0xff (to exercise skipping). */
static void
random_bytes(unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		switch (rnd() % 4) {
		case 0:
			p[i] = 0;
			break;
		case 1:
			p[i] = 0xff;
			break;
		default:
			p[i] = (unsigned char)rnd();
		}
	}
}

static int64_t
rand_index(int64_t len)
{
	int64_t span = 2 * len + 20;

	return (int64_t)(rnd() % (uint64_t)span) - len - 10;
}

/* Resolves [start, end] in units of totlen as Redis does; false if empty. */
static bool
naive_resolve(int64_t totlen, int64_t *start, int64_t *end)
{
	if (*start < 0)
		*start = totlen + *start;
	if (*end < 0)
		*end = totlen + *end;
	if (*start < 0)
		*start = 0;
	if (*end < 0)
		*end = 0;
	if (*end >= totlen)
		*end = totlen - 1;
	return *start <= *end;
}

START_TEST(test_bitcount_random)
{
	unsigned char p[100];

	for (int round = 0; round < 20000; round++) {
		size_t len = rnd() % sizeof p;
		int64_t s = rand_index((int64_t)len * 8), e = rand_index((int64_t)len * 8);
		bool bit_unit = rnd() & 1, has_range = rnd() % 8 != 0;
		int64_t want = 0, bs, be, ns = s, ne = e;

		random_bytes(p, len);
		if (!has_range) {
			bs = 0;
			be = (int64_t)len * 8 - 1;
		} else if (s < 0 && e < 0 && s > e) {
			bs = 1;
			be = 0;
		} else if (!naive_resolve(bit_unit ? (int64_t)len * 8 : (int64_t)len, &ns, &ne)) {
			bs = 1;
			be = 0;
		} else {
			bs = bit_unit ? ns : ns * 8;
			be = bit_unit ? ne : ne * 8 + 7;
		}
		for (int64_t b = bs; b <= be; b++)
			want += naive_bit(p, len, (uint64_t)b);
		ck_assert_int_eq(tstr_bitcount(p, len, has_range, s, e, bit_unit), want);
	}
}
END_TEST

START_TEST(test_bitpos_random)
{
	unsigned char p[80];

	for (int round = 0; round < 30000; round++) {
		size_t len = rnd() % sizeof p;
		int bit = (int)(rnd() & 1);
		bool has_start = rnd() % 4 != 0, has_end = has_start && (rnd() & 1);
		bool bit_unit = has_end && (rnd() & 1);	/* BIT needs an explicit end */
		int64_t s = rand_index((int64_t)len * 8), e = rand_index((int64_t)len * 8);
		int64_t want = -1, bs, be, ns = s, ne = e, got;
		bool empty = false;

		random_bytes(p, len);
		if (rnd() % 3 == 0)
			memset(p, bit ? 0 : 0xff, len);	/* no match anywhere */
		if (!has_start) {
			bs = 0;
			be = (int64_t)len * 8 - 1;
			empty = len == 0;
		} else {
			int64_t totlen = bit_unit ? (int64_t)len * 8 : (int64_t)len;

			if (!has_end)
				ne = bit_unit ? (int64_t)len * 8 + 7 : (int64_t)len - 1;
			empty = !naive_resolve(totlen, &ns, &ne);
			bs = bit_unit ? ns : ns * 8;
			be = bit_unit ? ne : ne * 8 + 7;
		}
		if (!empty) {
			for (int64_t b = bs; b <= be; b++) {
				if (naive_bit(p, len, (uint64_t)b) == bit) {
					want = b;
					break;
				}
			}
			if (want == -1 && bit == 0 && !has_end)
				want = be + 1;
		}
		got = tstr_bitpos(p, len, bit, has_start, s, has_end, e, bit_unit);
		ck_assert_msg(got == want, "len %zu bit %d start %lld end %lld (%d%d%d): %lld != %lld",
		    len, bit, (long long)s, (long long)e, has_start, has_end, bit_unit,
		    (long long)got, (long long)want);
	}
}
END_TEST

/* BITPOS cases answered by redis-server 7.0.15 for "\xff\xf0\x00". */
static const struct {
	int bit;
	bool has_start, has_end, bit_unit;
	int64_t start, end, want;
} bitpos_redis[] = {
	{ 0, false, false, false, 0, 0, 12 },
	{ 1, true, false, false, 2, 0, -1 },
	{ 0, true, true, false, 0, 0, -1 },
	{ 1, true, false, false, -1, 0, -1 },
	{ 0, true, true, true, 0, 11, -1 },
	{ 0, true, true, true, 0, 12, 12 },
	{ 1, true, true, true, 7, 15, 7 },
	{ 0, true, false, false, 2, 0, 16 },
	{ 0, true, false, false, 1, 0, 12 },
	{ 0, true, false, false, 3, 0, -1 },
	{ 1, true, true, true, 1, -1, 1 },
	{ 1, true, true, false, 1, 1, 8 },
};

START_TEST(test_bitpos_redis)
{
	const unsigned char p[] = { 0xff, 0xf0, 0x00 };

	ck_assert_int_eq(tstr_bitpos(p, 3, bitpos_redis[_i].bit, bitpos_redis[_i].has_start,
	    bitpos_redis[_i].start, bitpos_redis[_i].has_end, bitpos_redis[_i].end,
	    bitpos_redis[_i].bit_unit), bitpos_redis[_i].want);
	/* An empty string: no bit of either value. */
	ck_assert_int_eq(tstr_bitpos(p, 0, 0, false, 0, false, 0, false), -1);
	ck_assert_int_eq(tstr_bitpos(p, 0, 1, false, 0, false, 0, false), -1);
}
END_TEST

START_TEST(test_setbit_getbit_random)
{
	unsigned char ref[64] = { 0 };
	size_t reflen = 0;

	for (int round = 0; round < 5000; round++) {
		uint64_t off = rnd() % (sizeof ref * 8);
		int bit = (int)(rnd() & 1), old = -1;

		ck_assert_int_eq(tstr_setbit(db, "b", 1, off, bit, 0, &old), TSTR_OK);
		ck_assert_int_eq(old, naive_bit(ref, reflen, off));
		if (off / 8 + 1 > reflen)
			reflen = off / 8 + 1;
		if (bit)
			ref[off / 8] |= (unsigned char)(0x80 >> (off % 8));
		else
			ref[off / 8] &= (unsigned char)~(0x80 >> (off % 8));
		for (int k = 0; k < 4; k++) {
			uint64_t q = rnd() % (sizeof ref * 8 + 64);

			ck_assert_int_eq(tstr_getbit(get("b"), q), naive_bit(ref, reflen, q));
		}
	}
	check_value("b", (const char *)ref, reflen, OBJ_ENC_RAW);
	ck_assert_int_eq(tstr_getbit(NULL, 5), 0);
}
END_TEST

START_TEST(test_bits_on_int)
{
	int old;

	/* "12" is 0x31 0x32: bits read from the decimal text, and SETBIT makes it raw. */
	tstr_set(db, "n", 1, "12", 2, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_getbit(get("n"), 2), 1);
	ck_assert_int_eq(tstr_getbit(get("n"), 0), 0);
	ck_assert_int_eq(tstr_setbit(db, "n", 1, 1, 1, 0, &old), TSTR_OK);
	ck_assert_int_eq(old, 0);
	check_value("n", "q2", 2, OBJ_ENC_RAW);
}
END_TEST

START_TEST(test_bitop_random)
{
	static const char *names[] = { "s0", "s1", "s2", "s3" };
	unsigned char src[4][40];
	size_t lens[4], slens[4], n;

	for (int round = 0; round < 2000; round++) {
		enum tstr_bitop op = (enum tstr_bitop)(rnd() % 4);
		size_t nsrc = op == TSTR_BITOP_NOT ? 1 : 1 + rnd() % 4, maxlen = 0;
		unsigned char want[40];

		for (size_t i = 0; i < 4; i++) {
			lens[i] = rnd() % 41;
			slens[i] = 2;
			random_bytes(src[i], lens[i]);
			if (lens[i] == 0 && rnd() % 2)
				store_delete(db, names[i], 2, 0);	/* absent reads as empty */
			else
				tstr_set(db, names[i], 2, (const char *)src[i], lens[i], OBJ_NO_EXPIRE, 0);
			if (i < nsrc && lens[i] > maxlen)
				maxlen = lens[i];
		}
		for (size_t j = 0; j < maxlen; j++) {
			unsigned char out = j < lens[0] ? src[0][j] : 0;

			if (op == TSTR_BITOP_NOT)
				out = (unsigned char)~out;
			for (size_t i = 1; i < nsrc; i++) {
				unsigned char b = j < lens[i] ? src[i][j] : 0;

				out = op == TSTR_BITOP_AND ? out & b : op == TSTR_BITOP_OR ? out | b :
				    out ^ b;
			}
			want[j] = out;
		}
		tstr_set(db, "dst", 3, "old", 3, 99, 0);
		ck_assert_int_eq(tstr_bitop(db, op, "dst", 3, names, slens, nsrc, 0, &n), TSTR_OK);
		ck_assert_uint_eq(n, maxlen);
		if (maxlen == 0) {
			ck_assert_ptr_null(get("dst"));
		} else {
			check_value("dst", (const char *)want, maxlen, OBJ_ENC_RAW);
			ck_assert_int_eq(obj_expire(get("dst")), OBJ_NO_EXPIRE);
		}
	}
}
END_TEST

START_TEST(test_bitop_dest_is_source)
{
	const char *srcs[] = { "a", "b" };
	size_t slens[] = { 1, 1 }, n;

	tstr_set(db, "a", 1, "\x0f\xf0", 2, OBJ_NO_EXPIRE, 0);
	tstr_set(db, "b", 1, "\xff", 1, OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_bitop(db, TSTR_BITOP_AND, "a", 1, srcs, slens, 2, 0, &n), TSTR_OK);
	check_value("a", "\x0f\x00", 2, OBJ_ENC_RAW);
}
END_TEST

/* BITFIELD sequences with the replies of redis-server 7.0.15 ("null" as NULLV). */
#define NULLV INT64_MIN
#define OPS_MAX 8
static const struct {
	const char *key_init;	/* NULL: absent */
	struct tstr_bf_op ops[OPS_MAX];
	size_t n;
	int64_t want[OPS_MAX];
	size_t strlen_after;	/* 0: key absent afterwards */
} bf_cases[] = {
	{ NULL, {
		{ TSTR_BF_SET, TSTR_OVERFLOW_WRAP, true, 8, 0, 100 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_WRAP, true, 8, 0, 100 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_SAT, true, 8, 0, 100 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_FAIL, true, 8, 0, 100 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_WRAP, true, 8, 0, -300 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_WRAP, false, 8, 0, 0 } }, 6,
	    { 0, -56, 44, NULLV, 0, 0 }, 1 },
	{ NULL, {
		{ TSTR_BF_SET, TSTR_OVERFLOW_WRAP, false, 4, 0, -1 },
		{ TSTR_BF_SET, TSTR_OVERFLOW_SAT, false, 4, 4, -1 },
		{ TSTR_BF_SET, TSTR_OVERFLOW_FAIL, false, 4, 8, 16 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_FAIL, false, 16, 0, 0 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_FAIL, false, 63, 100, -1 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_SAT, false, 63, 100, -1 } }, 6,
	    { 0, 0, NULLV, 65280, NULLV, 0 }, 21 },
	{ NULL, {
		{ TSTR_BF_SET, TSTR_OVERFLOW_WRAP, true, 64, 0, INT64_MIN },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_WRAP, true, 64, 0, -1 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_SAT, true, 64, 0, INT64_MAX },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_SAT, true, 64, 0, 1 },
		{ TSTR_BF_INCRBY, TSTR_OVERFLOW_FAIL, true, 64, 0, 1 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_FAIL, true, 64, 0, 0 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_FAIL, false, 63, 1, 0 } }, 7,
	    { 0, INT64_MAX, INT64_MAX, INT64_MAX, NULLV, INT64_MAX, INT64_MAX }, 8 },
	/* A failing write still creates the key, grown to its offset. */
	{ NULL, { { TSTR_BF_SET, TSTR_OVERFLOW_FAIL, false, 8, 100, 300 } }, 1, { NULLV }, 14 },
	/* GET only: no key is created. */
	{ NULL, { { TSTR_BF_GET, TSTR_OVERFLOW_WRAP, true, 3, 1000, 0 } }, 1, { 0 }, 0 },
	/* Reads the decimal text of an int and zero-pads past the end. */
	{ "12", {
		{ TSTR_BF_GET, TSTR_OVERFLOW_WRAP, false, 8, 0, 0 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_WRAP, true, 16, 4, 0 } }, 2, { 49, 4896 }, 2 },
	{ "12", { { TSTR_BF_INCRBY, TSTR_OVERFLOW_WRAP, false, 2, 0, 1 } }, 1, { 1 }, 2 },
	/* Redis saturates an i63 SET of -2^62-1 to the max (its 64-bit max - value wraps). */
	{ "\x41\xbf", {
		{ TSTR_BF_SET, TSTR_OVERFLOW_SAT, true, 63, 65, -4611686018427387905LL },
		{ TSTR_BF_GET, TSTR_OVERFLOW_SAT, true, 63, 65, 0 },
		{ TSTR_BF_SET, TSTR_OVERFLOW_SAT, true, 8, 0, -129 } }, 3,
	    { 0, 4611686018427387903LL, 65 }, 16 },
	{ NULL, {
		{ TSTR_BF_SET, TSTR_OVERFLOW_SAT, true, 5, 3, 100 },
		{ TSTR_BF_SET, TSTR_OVERFLOW_SAT, true, 5, 3, -100 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_SAT, true, 5, 3, 0 },
		{ TSTR_BF_SET, TSTR_OVERFLOW_WRAP, true, 5, 3, 100 },
		{ TSTR_BF_GET, TSTR_OVERFLOW_SAT, true, 5, 3, 0 } }, 5,
	    { 0, 15, -16, -16, 4 }, 1 },
};

START_TEST(test_bitfield_redis)
{
	struct tstr_bf_result res[OPS_MAX];
	struct obj *o;

	if (bf_cases[_i].key_init != NULL)
		tstr_set(db, "bf", 2, bf_cases[_i].key_init, strlen(bf_cases[_i].key_init),
		    OBJ_NO_EXPIRE, 0);
	ck_assert_int_eq(tstr_bitfield(db, "bf", 2, bf_cases[_i].ops, bf_cases[_i].n, 0, res),
	    TSTR_OK);
	for (size_t k = 0; k < bf_cases[_i].n; k++) {
		if (bf_cases[_i].want[k] == NULLV) {
			ck_assert_msg(res[k].null, "op %zu: want null", k);
		} else {
			ck_assert_msg(!res[k].null, "op %zu: unexpected null", k);
			ck_assert_msg(res[k].value == bf_cases[_i].want[k], "op %zu: %lld != %lld", k,
			    (long long)res[k].value, (long long)bf_cases[_i].want[k]);
		}
	}
	o = get("bf");
	if (bf_cases[_i].strlen_after == 0) {
		ck_assert_ptr_null(o);
	} else {
		bool writes = false;

		ck_assert_ptr_nonnull(o);
		ck_assert_uint_eq(tstr_len(o), bf_cases[_i].strlen_after);
		for (size_t k = 0; k < bf_cases[_i].n; k++)
			writes |= bf_cases[_i].ops[k].op != TSTR_BF_GET;
		if (writes)
			ck_assert_int_eq(obj_encoding(o), OBJ_ENC_RAW);
	}
}
END_TEST

/* The naive reference: the field as a bit array, arithmetic in long double-free 128 bits. */
START_TEST(test_bitfield_random)
{
	unsigned char ref[24];
	size_t reflen = 0;

	memset(ref, 0, sizeof ref);
	for (int round = 0; round < 20000; round++) {
		struct tstr_bf_op op;
		struct tstr_bf_result res;
		__int128 oldv = 0, r, lo, hi, span;
		uint64_t u = 0;
		bool fail = false;

		op.sign = rnd() & 1;
		op.bits = 1 + (unsigned)(rnd() % (op.sign ? 64 : 63));
		op.offset = rnd() % (sizeof ref * 8 - op.bits);
		op.op = (enum tstr_bf_opcode)(rnd() % 3);
		op.overflow = (enum tstr_overflow)(rnd() % 3);
		op.value = (int64_t)rnd();
		if (rnd() % 2)
			op.value >>= rnd() % 64;
		for (unsigned k = 0; k < op.bits; k++)
			u = (u << 1) | (uint64_t)naive_bit(ref, reflen, op.offset + k);
		lo = op.sign ? -((__int128)1 << (op.bits - 1)) : 0;
		hi = op.sign ? ((__int128)1 << (op.bits - 1)) - 1 : ((__int128)1 << op.bits) - 1;
		span = (__int128)1 << op.bits;
		oldv = (__int128)u;
		if (op.sign && oldv > hi)
			oldv -= span;
		ck_assert_int_eq(tstr_bitfield(db, "r", 1, &op, 1, 0, &res), TSTR_OK);
		if (op.op == TSTR_BF_GET) {
			ck_assert(!res.null);
			ck_assert_int_eq(res.value, (int64_t)oldv);
			continue;
		}
		if (op.offset / 8 + (op.offset % 8 + op.bits + 7) / 8 > reflen)
			reflen = (op.offset + op.bits - 1) / 8 + 1;
		r = op.op == TSTR_BF_INCRBY ? oldv + op.value :
		    op.sign ? (__int128)op.value : (__int128)(uint64_t)op.value;
		if (r < lo || r > hi) {
			if (op.overflow == TSTR_OVERFLOW_FAIL)
				fail = true;
			else if (op.overflow == TSTR_OVERFLOW_SAT)
				/* Redis' quirk: a signed SET value 2^63 or more below the max saturates up. */
				r = (r > hi || (op.sign && op.op == TSTR_BF_SET && op.bits < 64 &&
				    hi - r > INT64_MAX)) ? hi : lo;
			else {
				r = ((r - lo) % span + span) % span + lo;
			}
		}
		if (fail) {
			ck_assert(res.null);
			continue;
		}
		ck_assert(!res.null);
		ck_assert_int_eq(res.value, (int64_t)(op.op == TSTR_BF_SET ? oldv : r));
		for (unsigned k = 0; k < op.bits; k++) {
			uint64_t pos = op.offset + k;
			int b = (int)(((unsigned __int128)r >> (op.bits - 1 - k)) & 1);

			if (b)
				ref[pos / 8] |= (unsigned char)(0x80 >> (pos % 8));
			else
				ref[pos / 8] &= (unsigned char)~(0x80 >> (pos % 8));
		}
		check_value("r", (const char *)ref, reflen, OBJ_ENC_RAW);
	}
}
END_TEST

/* LCS. */

static uint32_t
naive_lcs_len(const char *a, size_t alen, const char *b, size_t blen)
{
	uint32_t *prev = xcalloc(blen + 1, sizeof *prev), *cur = xcalloc(blen + 1, sizeof *cur);
	uint32_t r;

	for (size_t i = 1; i <= alen; i++) {
		for (size_t j = 1; j <= blen; j++) {
			if (a[i - 1] == b[j - 1])
				cur[j] = prev[j - 1] + 1;
			else
				cur[j] = prev[j] > cur[j - 1] ? prev[j] : cur[j - 1];
		}
		memcpy(prev, cur, (blen + 1) * sizeof *prev);
	}
	r = prev[blen];
	xfree(prev);
	xfree(cur);
	return r;
}

static bool
is_subsequence(const char *s, size_t n, const char *of, size_t m)
{
	size_t j = 0;

	for (size_t i = 0; i < m && j < n; i++)
		if (of[i] == s[j])
			j++;
	return j == n;
}

START_TEST(test_lcs_example)
{
	struct tstr_lcs l;

	/* The example of Redis' LCS documentation. */
	ck_assert_int_eq(tstr_lcs("ohmytext", 8, "mynewtext", 9, true, true, 0, 1 << 29, &l),
	    TSTR_OK);
	ck_assert_uint_eq(l.len, 6);
	ck_assert(memcmp(l.str, "mytext", 6) == 0);
	ck_assert_uint_eq(l.nm, 2);
	ck_assert_uint_eq(l.m[0].a_start, 4);
	ck_assert_uint_eq(l.m[0].a_end, 7);
	ck_assert_uint_eq(l.m[0].b_start, 5);
	ck_assert_uint_eq(l.m[0].b_end, 8);
	ck_assert_uint_eq(l.m[0].len, 4);
	ck_assert_uint_eq(l.m[1].a_start, 2);
	ck_assert_uint_eq(l.m[1].a_end, 3);
	ck_assert_uint_eq(l.m[1].b_start, 0);
	ck_assert_uint_eq(l.m[1].b_end, 1);
	tstr_lcs_free(&l);
	ck_assert_int_eq(tstr_lcs("ohmytext", 8, "mynewtext", 9, false, true, 4, 1 << 29, &l),
	    TSTR_OK);
	ck_assert_uint_eq(l.nm, 1);
	ck_assert_ptr_null(l.str);
	ck_assert_uint_eq(l.m[0].len, 4);
	tstr_lcs_free(&l);
	ck_assert_int_eq(tstr_lcs("", 0, "abc", 3, true, false, 0, 1 << 29, &l), TSTR_OK);
	ck_assert_uint_eq(l.len, 0);
	tstr_lcs_free(&l);
	ck_assert_int_eq(tstr_lcs("abc", 3, "abc", 3, true, false, 0, 15, &l), TSTR_LCS_TOO_BIG);
	tstr_lcs_free(&l);
}
END_TEST

START_TEST(test_lcs_random)
{
	char a[60], b[60];

	for (int round = 0; round < 500; round++) {
		size_t alen = rnd() % sizeof a, blen = rnd() % sizeof b;
		unsigned alpha = 2 + (unsigned)(rnd() % 4);
		struct tstr_lcs l;
		uint32_t total = 0;

		for (size_t i = 0; i < alen; i++)
			a[i] = (char)('a' + rnd() % alpha);
		for (size_t i = 0; i < blen; i++)
			b[i] = (char)('a' + rnd() % alpha);
		ck_assert_int_eq(tstr_lcs(a, alen, b, blen, true, true, 0, 1 << 29, &l), TSTR_OK);
		ck_assert_uint_eq(l.len, naive_lcs_len(a, alen, b, blen));
		ck_assert(is_subsequence(l.str, l.len, a, alen));
		ck_assert(is_subsequence(l.str, l.len, b, blen));
		/* The ranges tile the LCS, from the end backwards, and match byte for byte. */
		for (size_t k = 0; k < l.nm; k++) {
			const struct tstr_lcs_match *m = &l.m[k];

			ck_assert_uint_eq(m->a_end - m->a_start, m->b_end - m->b_start);
			ck_assert_uint_eq(m->len, m->a_end - m->a_start + 1);
			ck_assert(memcmp(a + m->a_start, b + m->b_start, m->len) == 0);
			if (k > 0)
				ck_assert_uint_lt(m->a_end, l.m[k - 1].a_start);
			total += m->len;
		}
		ck_assert_uint_eq(total, l.len);
		tstr_lcs_free(&l);
	}
}
END_TEST

static Suite *
string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc;

	tc = tcase_create("encoding");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_set_encoding, 0, (int)(sizeof enc_cases / sizeof enc_cases[0]));
	tcase_add_test(tc, test_binary_values);
	tcase_add_test(tc, test_refcount);
	suite_add_tcase(s, tc);

	tc = tcase_create("edit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_append);
	tcase_add_test(tc, test_append_keeps_ttl);
	tcase_add_loop_test(tc, test_setrange, 0,
	    (int)(sizeof setrange_cases / sizeof setrange_cases[0]));
	tcase_add_loop_test(tc, test_getrange, 0, (int)(sizeof range_cases / sizeof range_cases[0]));
	tcase_add_test(tc, test_wrongtype);
	suite_add_tcase(s, tc);

	tc = tcase_create("numbers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_incrby, 0, (int)(sizeof incr_cases / sizeof incr_cases[0]));
	tcase_add_test(tc, test_incr_wrongtype_and_raw);
	tcase_add_loop_test(tc, test_incrbyfloat, 0,
	    (int)(sizeof float_cases / sizeof float_cases[0]));
	tcase_add_loop_test(tc, test_parse_ld, 0, (int)(sizeof ld_cases / sizeof ld_cases[0]));
	tcase_add_test(tc, test_fmt_ld);
	suite_add_tcase(s, tc);

	tc = tcase_create("bits");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_bitcount_random);
	tcase_add_test(tc, test_bitpos_random);
	tcase_add_loop_test(tc, test_bitpos_redis, 0,
	    (int)(sizeof bitpos_redis / sizeof bitpos_redis[0]));
	tcase_add_test(tc, test_setbit_getbit_random);
	tcase_add_test(tc, test_bits_on_int);
	tcase_add_test(tc, test_bitop_random);
	tcase_add_test(tc, test_bitop_dest_is_source);
	tcase_add_loop_test(tc, test_bitfield_redis, 0, (int)(sizeof bf_cases / sizeof bf_cases[0]));
	tcase_add_test(tc, test_bitfield_random);
	suite_add_tcase(s, tc);

	tc = tcase_create("lcs");
	tcase_add_test(tc, test_lcs_example);
	tcase_add_test(tc, test_lcs_random);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(string_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
