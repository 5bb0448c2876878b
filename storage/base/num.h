/*
 * num: checked conversions between byte strings and numbers, with Redis' rules.
 *
 * Parsing never reads past len and never needs a NUL terminator. Formatting writes into a
 * caller-owned buffer and returns the length written, without a NUL unless stated.
 */
#ifndef REPLICANT_NUM_H
#define REPLICANT_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest output of num_fmt_i64 / num_fmt_u64 ("-9223372036854775808" is 20 bytes). */
#define NUM_I64_MAX_CHARS 21

/*
 * Parses the len bytes at s as a signed 64-bit integer exactly as Redis' string2ll does: an
 * optional '-', then digits with no leading zero (except "0" itself), nothing else: no spaces,
 * no '+', no "-0". Returns true and sets *out, or false (out of range or malformed).
 */
bool num_parse_i64(const char *s, size_t len, int64_t *out);

/* As num_parse_i64 for unsigned values: digits only, no sign. */
bool num_parse_u64(const char *s, size_t len, uint64_t *out);

/* Writes v in decimal to dst (at least NUM_I64_MAX_CHARS bytes) and returns the length. */
size_t num_fmt_i64(char *dst, int64_t v);
size_t num_fmt_u64(char *dst, uint64_t v);

/* Room num_fmt_g17 needs ("-2.2250738585072014e-308" is 24 bytes). */
#define NUM_G17_MAX_CHARS 32

/*
 * Writes v exactly as printf's "%.17g" does (Redis' double replies and scores) and returns the
 * length. Values whose decimal exponent lies in [-11, 43] (every score a client is likely to
 * use) are converted without printf: the 17 digits come from one correctly rounded long double
 * product, and a value whose 18th digit and beyond lie too close to a rounding tie to decide
 * that way falls back to snprintf, as do the other exponents, zeros, infinities and NaN.
 */
size_t num_fmt_g17(char *dst, double v);

/* Returns the number of decimal digits of v (1 for 0). */
unsigned num_digits_u64(uint64_t v);

#endif
