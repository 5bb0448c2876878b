/*
 * num.c: integer parsing and formatting on the request and reply hot paths (see num.h).
 *
 * Formatting uses a two-digits-at-a-time table, as Redis' ll2string does, so that an integer
 * reply costs a few multiplications and no snprintf.
 */
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
