/*
 * check_base: unit tests of storage/base (num.c: Redis' string2ll rules, integer formatting and
 * "%.17g" without printf;
 * mem.c: the allocation wrappers and their per-thread counters; sha1.c: FIPS 180 vectors).
 *
 * Number inputs are placed against a PROT_NONE page, so a parser that reads past len faults.
 */
#include <check.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/base/sha1.h"

/* A copy of n bytes that ends where a PROT_NONE page starts; release with unguard(). */
static char *
guarded(const char *s, size_t n, void **map, size_t *maplen)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t pages = (n + page - 1) / page;
	char *fence;

	*maplen = (pages + 1) * page;
	*map = mmap(NULL, *maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert(*map != MAP_FAILED);
	fence = (char *)*map + pages * page;
	ck_assert_int_eq(mprotect(fence, page, PROT_NONE), 0);
	if (n != 0)
		memcpy(fence - n, s, n);
	return fence - n;
}

static void
unguard(void *map, size_t maplen)
{
	munmap(map, maplen);
}

/* ---------------------------------------------------------------------------------------- */
/* num_parse_i64 / num_parse_u64 */

struct parse_case {
	const char *s;
	size_t n;
	bool ok;
	int64_t v;
};

#define P(str, ok, v) { str, sizeof(str) - 1, ok, v }

/* Redis 7.0 string2ll (util.c). */
static const struct parse_case i64_cases[] = {
	P("0", true, 0),
	P("1", true, 1),
	P("-1", true, -1),
	P("9", true, 9),
	P("10", true, 10),
	P("-10", true, -10),
	P("123456789", true, 123456789),
	P("9223372036854775807", true, INT64_MAX),
	P("-9223372036854775807", true, -INT64_MAX),
	P("-9223372036854775808", true, INT64_MIN),
	P("9223372036854775808", false, 0),
	P("-9223372036854775809", false, 0),
	P("9999999999999999999", false, 0),
	P("18446744073709551615", false, 0),
	P("18446744073709551616", false, 0),
	P("-18446744073709551616", false, 0),
	P("99999999999999999999", false, 0),
	P("123456789012345678901", false, 0),
	P("", false, 0),
	P("-", false, 0),
	P("-0", false, 0),
	P("+1", false, 0),
	P("+0", false, 0),
	P(" 1", false, 0),
	P("1 ", false, 0),
	P("01", false, 0),
	P("00", false, 0),
	P("-01", false, 0),
	P("1a", false, 0),
	P("a1", false, 0),
	P("0x10", false, 0),
	P("1.0", false, 0),
	P("1e3", false, 0),
	P("--1", false, 0),
	P("1\0", false, 0),
	P("\0" "1", false, 0),
	P("\xb1", false, 0),
	P("/", false, 0),
	P(":", false, 0),
};

START_TEST(parse_i64)
{
	const struct parse_case *c = &i64_cases[_i];
	void *map;
	size_t maplen;
	char *s = guarded(c->s, c->n, &map, &maplen);
	int64_t v = 12345;
	bool ok = num_parse_i64(s, c->n, &v);

	ck_assert_msg(ok == c->ok, "\"%s\" (%zu bytes): got %d, want %d", c->s, c->n, ok, c->ok);
	if (c->ok)
		ck_assert_int_eq(v, c->v);
	else
		ck_assert_int_eq(v, 12345);	/* untouched on failure */
	unguard(map, maplen);
}
END_TEST

static const struct {
	const char *s;
	size_t n;
	bool ok;
	uint64_t v;
} u64_cases[] = {
	P("0", true, 0),
	P("1", true, 1),
	P("18446744073709551615", true, UINT64_MAX),
	P("18446744073709551614", true, UINT64_MAX - 1),
	P("9223372036854775808", true, (uint64_t)INT64_MAX + 1),
	P("18446744073709551616", false, 0),
	P("18446744073709551620", false, 0),
	P("28446744073709551615", false, 0),
	P("99999999999999999999", false, 0),
	P("100000000000000000000", false, 0),
	P("", false, 0),
	P("-1", false, 0),
	P("-0", false, 0),
	P("+1", false, 0),
	P("01", false, 0),
	P(" 1", false, 0),
	P("1 ", false, 0),
};

START_TEST(parse_u64)
{
	void *map;
	size_t maplen;
	char *s = guarded(u64_cases[_i].s, u64_cases[_i].n, &map, &maplen);
	uint64_t v = 777;
	bool ok = num_parse_u64(s, u64_cases[_i].n, &v);

	ck_assert_msg(ok == u64_cases[_i].ok, "\"%s\": got %d", u64_cases[_i].s, ok);
	ck_assert_uint_eq(v, u64_cases[_i].ok ? u64_cases[_i].v : 777);
	unguard(map, maplen);
}
END_TEST

/* Only len bytes count: the same bytes with a shorter len parse as the shorter number. */
START_TEST(parse_respects_len)
{
	const char *s = "12345";
	int64_t v;
	uint64_t u;

	ck_assert(num_parse_i64(s, 3, &v));
	ck_assert_int_eq(v, 123);
	ck_assert(num_parse_u64(s, 1, &u));
	ck_assert_uint_eq(u, 1);
	ck_assert(!num_parse_i64("-5", 1, &v));
	ck_assert(!num_parse_i64(s, 0, &v));
}
END_TEST

/* Every value formatted and parsed back agrees with printf, around every power of ten. */
START_TEST(parse_roundtrip)
{
	uint64_t p = 1;

	for (int d = 1; d <= 20; d++) {
		uint64_t vals[] = { p - 1, p, p + 1, p * 2 - 1 };

		for (size_t k = 0; k < sizeof vals / sizeof vals[0]; k++) {
			char buf[32];
			int n;
			int64_t v;
			uint64_t u;

			n = snprintf(buf, sizeof buf, "%" PRIu64, vals[k]);
			ck_assert(num_parse_u64(buf, (size_t)n, &u));
			ck_assert_uint_eq(u, vals[k]);
			ck_assert_int_eq(num_parse_i64(buf, (size_t)n, &v), vals[k] <= INT64_MAX);
			if (vals[k] <= INT64_MAX && vals[k] != 0) {
				ck_assert_int_eq(v, (int64_t)vals[k]);
				n = snprintf(buf, sizeof buf, "%" PRId64, -(int64_t)vals[k]);
				ck_assert(num_parse_i64(buf, (size_t)n, &v));
				ck_assert_int_eq(v, -(int64_t)vals[k]);
			}
		}
		if (d < 20)
			p *= 10;
	}
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* num_fmt_i64 / num_fmt_u64 / num_digits_u64 */

/* Plain comparisons: ck_assert is too slow for the hundred thousand values below. */
static void
check_fmt_u64(uint64_t v)
{
	char want[32], got[NUM_I64_MAX_CHARS + 8], tail[sizeof got];
	int wn = snprintf(want, sizeof want, "%" PRIu64, v);
	size_t gn;

	memset(got, '#', sizeof got);
	memset(tail, '#', sizeof tail);
	gn = num_fmt_u64(got, v);
	/* Right digits, and nothing written past the returned length. */
	if (gn != (size_t)wn || memcmp(got, want, gn) != 0 ||
	    memcmp(got + gn, tail, sizeof got - gn) != 0)
		ck_abort_msg("num_fmt_u64(%s) gave \"%.*s\"", want, (int)sizeof got, got);
	if (num_digits_u64(v) != (unsigned)wn)
		ck_abort_msg("num_digits_u64(%s) = %u", want, num_digits_u64(v));
}

static void
check_fmt_i64(int64_t v)
{
	char want[32], got[NUM_I64_MAX_CHARS + 8], tail[sizeof got];
	int wn = snprintf(want, sizeof want, "%" PRId64, v);
	size_t gn;

	memset(got, '#', sizeof got);
	memset(tail, '#', sizeof tail);
	gn = num_fmt_i64(got, v);
	if (gn != (size_t)wn || gn > NUM_I64_MAX_CHARS || memcmp(got, want, gn) != 0 ||
	    memcmp(got + gn, tail, sizeof got - gn) != 0)
		ck_abort_msg("num_fmt_i64(%s) gave \"%.*s\"", want, (int)sizeof got, got);
}

START_TEST(fmt_all_digit_counts)
{
	uint64_t p = 1;

	/* The smallest and largest value of every digit count, and their neighbours. */
	for (int d = 1; d <= 20; d++) {
		check_fmt_u64(p);
		check_fmt_u64(p + 1);
		check_fmt_u64(p + 9);
		check_fmt_u64(p + 10);
		check_fmt_u64(p + 99);
		check_fmt_u64(p + 100);
		if (p > 1)
			check_fmt_u64(p - 1);
		if (d < 20) {
			check_fmt_u64(p * 10 - 1);
			check_fmt_u64(p * 5 + 5);
		}
		if (p <= (uint64_t)INT64_MAX) {
			check_fmt_i64((int64_t)p);
			check_fmt_i64(-(int64_t)p);
			check_fmt_i64((int64_t)p - 1);
			check_fmt_i64(1 - (int64_t)p);
		}
		if (d < 20)
			p *= 10;
	}
	check_fmt_u64(0);
	check_fmt_u64(UINT64_MAX);
	check_fmt_u64(UINT64_MAX - 1);
	check_fmt_u64((uint64_t)INT64_MAX + 1);
	check_fmt_i64(0);
	check_fmt_i64(INT64_MAX);
	check_fmt_i64(INT64_MIN);
	check_fmt_i64(INT64_MIN + 1);
	/* Every two-digit pair in every position of a number. */
	for (uint64_t v = 0; v < 100000; v++)
		check_fmt_u64(v);
	for (uint64_t k = 0; k < 100000; k++)
		check_fmt_u64(UINT64_MAX - k);
}
END_TEST

/* num_fmt_g17 must print what printf's "%.17g" prints, for every double. */
static int g17_mismatches;

static void
check_g17(double v)
{
	char got[NUM_G17_MAX_CHARS + 8], want[64];
	size_t n;
	int m;

	memset(got, 0x55, sizeof got);
	n = num_fmt_g17(got, v);
	m = snprintf(want, sizeof want, "%.17g", v);
	if (n != (size_t)m || memcmp(got, want, n) != 0 || got[n] != '\0') {
		if (g17_mismatches++ < 5)
			fprintf(stderr, "num_fmt_g17(%a): \"%s\", printf: \"%s\"\n", v, got, want);
	}
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

START_TEST(fmt_g17_matches_printf)
{
	static const double fixed[] = {
		0.0, 1.0, 0.1, 0.2, 0.3, 1.5, 2.5, 0.5, 123.456, 1e16, 1e17, 99999999999999999.0,
		9999999999999998.0, 0.0001, 0.00001, 9.9999999999999995e-5, 1e-320, 5e-324,
		1.7976931348623157e308, 2.2250738585072014e-308, 1234567890123456789.0, 1e22, 1e23,
		3.0000000000000004, 0.30000000000000004, 1e-11, 1e43, 1e44, 1e-12,
	};
	uint64_t st = 88172645463325252ULL;

	g17_mismatches = 0;
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
		check_g17(fixed[i]);
		check_g17(-fixed[i]);
	}
	check_g17(NAN);
	check_g17(INFINITY);
	check_g17(-INFINITY);
	/* Every bit pattern is a double: all exponents, subnormals, NaNs. */
	for (int i = 0; i < 100000; i++) {
		uint64_t r = xorshift(&st);
		double v;

		memcpy(&v, &r, sizeof v);
		check_g17(v);
	}
	/* Decimal-looking values, as scores are: k / 10^j, scaled. */
	for (int i = 0; i < 40000; i++) {
		double v = (double)((int64_t)(xorshift(&st) % 2000000001) - 1000000000) /
		    pow(10, (double)(xorshift(&st) % 12));

		check_g17(v);
		check_g17(v * 1e10);
		check_g17(v / 1e6);
	}
	/* Powers of ten and their neighbours, where the exponent and the digit count change. */
	for (int e = -325; e <= 309; e++) {
		double p = pow(10, e), up = p, down = p;

		check_g17(p);
		for (int k = 0; k < 20; k++) {
			up = nextafter(up, INFINITY);
			down = nextafter(down, 0);
			check_g17(up);
			check_g17(down);
		}
	}
	ck_assert_int_eq(g17_mismatches, 0);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* mem */

START_TEST(mem_counters_move)
{
	struct mem_counters a = mem_thread_counters(), b;
	int64_t used0 = mem_used();
	char *p, *q, *r, *s;
	size_t ps;

	p = xmalloc(100);
	b = mem_thread_counters();
	ck_assert_uint_eq(b.allocs, a.allocs + 1);
	ck_assert_uint_eq(b.bytes, a.bytes + 100);
	ps = xsize(p);
	ck_assert_uint_ge(ps, 100);
	ck_assert_int_eq(b.used, a.used + (int64_t)ps);
	ck_assert_int_eq(mem_used(), used0 + (int64_t)ps);
	memset(p, 1, 100);

	/* xrealloc counts an allocation and moves used by the size difference. */
	p = xrealloc(p, 5000);
	a = mem_thread_counters();
	ck_assert_uint_eq(a.allocs, b.allocs + 1);
	ck_assert_uint_eq(a.bytes, b.bytes + 5000);
	ck_assert_int_eq(a.used, b.used - (int64_t)ps + (int64_t)xsize(p));
	ck_assert_int_eq(p[99], 1);

	q = xcalloc(10, 10);
	b = mem_thread_counters();
	ck_assert_uint_eq(b.allocs, a.allocs + 1);
	ck_assert_uint_eq(b.bytes, a.bytes + 100);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(q[i], 0);

	r = xstrdup("hello");
	s = xstrndup("hello world", 5);
	a = mem_thread_counters();
	ck_assert_uint_eq(a.allocs, b.allocs + 2);
	ck_assert_str_eq(r, "hello");
	ck_assert_str_eq(s, "hello");

	/* Frees count, NULL does not; used returns to where it was. */
	b = mem_thread_counters();
	xfree(NULL);
	ck_assert_uint_eq(mem_thread_counters().frees, b.frees);
	xfree(p);
	xfree(q);
	xfree(r);
	xfree(s);
	a = mem_thread_counters();
	ck_assert_uint_eq(a.frees, b.frees + 4);
	ck_assert_int_eq(mem_used(), used0);
}
END_TEST

START_TEST(mem_edge_sizes)
{
	struct mem_counters a = mem_thread_counters(), b;
	void *p = xmalloc(0), *q = xrealloc(NULL, 16), *r = xcalloc(0, 8);

	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(q);
	ck_assert_ptr_nonnull(r);
	b = mem_thread_counters();
	ck_assert_uint_eq(b.allocs, a.allocs + 3);
	ck_assert_uint_eq(xsize(NULL), 0);
	xfree(p);
	xfree(q);
	xfree(r);
}
END_TEST

START_TEST(mem_calloc_overflow_aborts)
{
	/* nmemb * size overflows size_t: fatal, not a short allocation. */
	void *p = xcalloc(SIZE_MAX / 2, 4);

	xfree(p);
}
END_TEST

static void *
thread_alloc(void *arg)
{
	void **out = arg;

	*out = xmalloc(1 << 20);
	return NULL;
}

/* Memory allocated by another thread shows in mem_used, and freeing it here balances it. */
START_TEST(mem_used_across_threads)
{
	int64_t used0 = mem_used();
	struct mem_counters mine = mem_thread_counters();
	pthread_t t;
	void *p = NULL;

	ck_assert_int_eq(pthread_create(&t, NULL, thread_alloc, &p), 0);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_ge(mem_used(), used0 + (1 << 20));
	/* The other thread's allocation is not in this thread's counters. */
	ck_assert_uint_eq(mem_thread_counters().allocs, mine.allocs);
	xfree(p);
	ck_assert_int_eq(mem_used(), used0);
}
END_TEST

/* FIPS 180 / NIST example vectors, and a message fed in every split of two pieces. */
static const struct {
	const char *msg;
	const char *hex;
} sha1_cases[] = {
	{ "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	    "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqr"
	    "lmnopqrsmnopqrstnopqrstu", "a49b2446a02c645bf419f995b67091253a04a259" },
	{ "return 1", "e0e1f9fabfc9d4800c877a703b823ac0578ff8db" },	/* SCRIPT LOAD on Redis */
};

START_TEST(sha1_vectors)
{
	const char *msg = sha1_cases[_i].msg;
	size_t n = strlen(msg);
	char hex[41];

	sha1_hex(msg, n, hex);
	ck_assert_str_eq(hex, sha1_cases[_i].hex);
	for (size_t cut = 0; cut <= n; cut++) {
		struct sha1 s;
		unsigned char d[20];
		char h2[41];

		sha1_init(&s);
		sha1_update(&s, msg, cut);
		sha1_update(&s, msg + cut, n - cut);
		sha1_final(&s, d);
		for (int i = 0; i < 20; i++)
			snprintf(h2 + 2 * i, 3, "%02x", d[i]);
		ck_assert_str_eq(h2, sha1_cases[_i].hex);
	}
}
END_TEST

/* One million 'a' in pieces of 1000 bytes (FIPS 180's long message). */
START_TEST(sha1_million)
{
	char piece[1000];
	unsigned char d[20];
	char hex[41];
	struct sha1 s;

	memset(piece, 'a', sizeof piece);
	sha1_init(&s);
	for (int i = 0; i < 1000; i++)
		sha1_update(&s, piece, sizeof piece);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	ck_assert_str_eq(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}
END_TEST

static Suite *
base_suite(void)
{
	Suite *s = suite_create("base");
	TCase *tc;

	tc = tcase_create("num_parse");
	tcase_add_loop_test(tc, parse_i64, 0, (int)(sizeof i64_cases / sizeof i64_cases[0]));
	tcase_add_loop_test(tc, parse_u64, 0, (int)(sizeof u64_cases / sizeof u64_cases[0]));
	tcase_add_test(tc, parse_respects_len);
	tcase_add_test(tc, parse_roundtrip);
	suite_add_tcase(s, tc);

	tc = tcase_create("num_fmt");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, fmt_all_digit_counts);
	suite_add_tcase(s, tc);

	tc = tcase_create("num_fmt_g17");
	tcase_set_timeout(tc, 180);
	tcase_add_test(tc, fmt_g17_matches_printf);
	suite_add_tcase(s, tc);

	tc = tcase_create("mem");
	tcase_add_test(tc, mem_counters_move);
	tcase_add_test(tc, mem_edge_sizes);
	tcase_add_test_raise_signal(tc, mem_calloc_overflow_aborts, SIGABRT);
	tcase_add_test(tc, mem_used_across_threads);
	suite_add_tcase(s, tc);

	tc = tcase_create("sha1");
	tcase_add_loop_test(tc, sha1_vectors, 0, (int)(sizeof sha1_cases / sizeof sha1_cases[0]));
	tcase_add_test(tc, sha1_million);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(base_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
