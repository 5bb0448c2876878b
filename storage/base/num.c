/*
 * num.c: integer parsing and formatting on the request and reply hot paths (see num.h).
 *
 * Formatting uses a two-digits-at-a-time table, as Redis' ll2string does, so that an integer
 * reply costs a few multiplications and no snprintf.
 */
#include <float.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "storage/base/num.h"

static const char digit_pairs[201] =
	"0001020304050607080910111213141516171819"
	"2021222324252627282930313233343536373839"
	"4041424344454647484950515253545556575859"
	"6061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

unsigned
num_digits_u64(uint64_t v)
{
	unsigned n = 1;

	for (;;) {
		if (v < 10)
			return n;
		if (v < 100)
			return n + 1;
		if (v < 1000)
			return n + 2;
		if (v < 10000)
			return n + 3;
		v /= 10000U;
		n += 4;
	}
}

size_t
num_fmt_u64(char *dst, uint64_t v)
{
	unsigned len = num_digits_u64(v);
	unsigned i = len - 1;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;

		v /= 100;
		dst[i] = digit_pairs[d + 1];
		dst[i - 1] = digit_pairs[d];
		i -= 2;
	}
	if (v < 10) {
		dst[i] = (char)('0' + v);
	} else {
		unsigned d = (unsigned)v * 2;

		dst[i] = digit_pairs[d + 1];
		dst[i - 1] = digit_pairs[d];
	}
	return len;
}

size_t
num_fmt_i64(char *dst, int64_t v)
{
	if (v < 0) {
		/* Negate in unsigned arithmetic so INT64_MIN does not overflow. */
		dst[0] = '-';
		return 1 + num_fmt_u64(dst + 1, (uint64_t)0 - (uint64_t)v);
	}
	return num_fmt_u64(dst, (uint64_t)v);
}

bool
num_parse_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t v;

	if (len == 0 || len > 20)
		return false;
	if (len == 1 && s[0] == '0') {
		*out = 0;
		return true;
	}
	if (s[0] < '1' || s[0] > '9')
		return false;
	v = (uint64_t)(s[0] - '0');
	for (size_t i = 1; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool
num_parse_i64(const char *s, size_t len, int64_t *out)
{
	uint64_t v;

	if (len > 0 && s[0] == '-') {
		if (!num_parse_u64(s + 1, len - 1, &v) || v == 0)
			return false;
		if (v > (uint64_t)INT64_MAX + 1)
			return false;
		*out = (int64_t)(0 - v);
		return true;
	}
	if (!num_parse_u64(s, len, &v) || v > (uint64_t)INT64_MAX)
		return false;
	*out = (int64_t)v;
	return true;
}

/* 10^0 .. 10^27: exact in an x87 long double (5^27 < 2^64). */
static const long double pow10_ld[28] = {
	1e0L, 1e1L, 1e2L, 1e3L, 1e4L, 1e5L, 1e6L, 1e7L, 1e8L, 1e9L, 1e10L, 1e11L, 1e12L, 1e13L,
	1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L, 1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L,
	1e27L,
};

#define G17_LOW 10000000000000000ULL	/* 10^16: the smallest 17-digit mantissa */

/*
 * The 17 significant digits of a (finite, > 0) rounded to nearest, as D with
 * 10^16 <= D < 10^17 and a ~= D * 10^(*e10 - 16). Returns false if the long double product cannot
 * decide the rounding (a tie or too close to one) or the scale is out of the exact range.
 */
/*
 * True if long double arithmetic really carries 64 bits: the type says so, but valgrind
 * emulates x87 with doubles, and the fast path must then stand aside. Probed once.
 */
static bool
long_double_is_precise(void)
{
	static atomic_int probed;	/* 0 unknown, 1 precise, 2 not */
	int p = atomic_load_explicit(&probed, memory_order_relaxed);

	if (p == 0) {
		volatile long double one = 1.0L, tiny = 0x1p-60L;

		p = one + tiny != one ? 1 : 2;
		atomic_store_explicit(&probed, p, memory_order_relaxed);
	}
	return p == 1;
}

static bool
g17_digits(double a, uint64_t *digits, int *e10)
{
#if LDBL_MANT_DIG >= 64
	int e2, k;

	if (!long_double_is_precise())
		return false;
	(void)frexp(a, &e2);
	/* floor(log10(a)) or one less: corrected below. */
	k = 16 - (int)floor((double)(e2 - 1) * 0.30102999566398120);
	for (int tries = 0; tries < 3; tries++) {
		long double x;
		uint64_t fl;
		long double frac;

		if (k < -27 || k > 27)
			return false;
		x = k >= 0 ? (long double)a * pow10_ld[k] : (long double)a / pow10_ld[-k];
		if (x < (long double)G17_LOW) {
			k++;
			continue;
		}
		if (x >= (long double)(G17_LOW * 10)) {
			k--;
			continue;
		}
		/*
		 * x is the exact product correctly rounded to 64 bits: below 2^57 its error is at
		 * most 2^-8, so unless the fraction is that close to one half, rounding x rounds
		 * the exact value.
		 */
		fl = (uint64_t)x;
		frac = x - (long double)fl;
		if (frac > 0.5L - 0.01L && frac < 0.5L + 0.01L)
			return false;
		fl += frac > 0.5L;
		*e10 = 16 - k;
		if (fl == G17_LOW * 10) {
			fl = G17_LOW;
			(*e10)++;
		}
		*digits = fl;
		return true;
	}
	return false;
#else
	(void)a;
	(void)digits;
	(void)e10;
	return false;
#endif
}

size_t
num_fmt_g17(char *dst, double v)
{
	char digs[17];
	uint64_t d;
	int e10, nd = 17;
	size_t n = 0;

	if (!isfinite(v) || v == 0 || !g17_digits(fabs(v), &d, &e10))
		return (size_t)snprintf(dst, NUM_G17_MAX_CHARS, "%.17g", v);
	for (int i = 16; i >= 0; i--) {
		digs[i] = (char)('0' + d % 10);
		d /= 10;
	}
	while (nd > 1 && digs[nd - 1] == '0')
		nd--;
	if (v < 0)
		dst[n++] = '-';
	if (e10 < -4 || e10 >= 17) {
		/* %e style: d.ddd without trailing zeros, then e+XX */
		unsigned ex = (unsigned)(e10 < 0 ? -e10 : e10);

		dst[n++] = digs[0];
		if (nd > 1) {
			dst[n++] = '.';
			memcpy(dst + n, digs + 1, (size_t)nd - 1);
			n += (size_t)nd - 1;
		}
		dst[n++] = 'e';
		dst[n++] = e10 < 0 ? '-' : '+';
		if (ex >= 100)
			dst[n++] = (char)('0' + ex / 100);
		dst[n++] = (char)('0' + ex / 10 % 10);
		dst[n++] = (char)('0' + ex % 10);
	} else if (e10 >= 0) {
		/* e10 + 1 integer digits, then the rest of the significant digits */
		memcpy(dst + n, digs, (size_t)e10 + 1);
		n += (size_t)e10 + 1;
		if (nd > e10 + 1) {
			dst[n++] = '.';
			memcpy(dst + n, digs + e10 + 1, (size_t)(nd - e10 - 1));
			n += (size_t)(nd - e10 - 1);
		}
	} else {
		/* 0.000ddd */
		dst[n++] = '0';
		dst[n++] = '.';
		for (int i = -1; i > e10; i--)
			dst[n++] = '0';
		memcpy(dst + n, digs, (size_t)nd);
		n += (size_t)nd;
	}
	dst[n] = '\0';
	return n;
}
