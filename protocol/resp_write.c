/*
 * resp_write.c: the reply encoders (see resp.h).
 *
 * Command handlers (through replica/server/reply.c) append replies to a struct resp_out, which
 * the connection writes to its socket. Every encoder computes how many bytes it needs, asks
 * make_room() once if they are not free, and formats straight into the buffer: numbers with
 * num_fmt_*, no snprintf except for non-integral doubles, where "%.17g" is the format Redis 7.0
 * uses.
 * A payload too big for the free space is split: what fits goes into the current buffer and one
 * make_room() call takes the rest, so a large value is copied once, not chunk by chunk.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "protocol/resp.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

/* Bulk payloads up to this size are kept in one piece with their header and CRLF. */
#define SMALL_BULK 256

/* Returns where the next need bytes go, after making room for them if they are not free. */
static char *
room(struct resp_out *o, size_t need)
{
	if (o->cap - o->len < need)
		o->make_room(o, need);
	return o->buf + o->len;
}

/* Writes prefix, the digits of v, CRLF at d; returns the length. d has hdr_len(v) bytes. */
static size_t
put_hdr(char *d, char prefix, uint64_t v)
{
	size_t n = 1;

	d[0] = prefix;
	n += num_fmt_u64(d + 1, v);
	d[n++] = '\r';
	d[n++] = '\n';
	return n;
}

static size_t
hdr_len(uint64_t v)
{
	return 1 + num_digits_u64(v) + 2;
}

static void
add_hdr(struct resp_out *o, char prefix, uint64_t v)
{
	char *d = room(o, hdr_len(v));

	o->len += put_hdr(d, prefix, v);
}

/* Appends a line: prefix, the n bytes at s, CRLF. */
static void
add_line(struct resp_out *o, char prefix, const char *s, size_t n)
{
	char *d = room(o, 1 + n + 2);

	d[0] = prefix;
	if (n != 0)
		memcpy(d + 1, s, n);
	d[1 + n] = '\r';
	d[2 + n] = '\n';
	o->len += 1 + n + 2;
}

void
resp_out_grow(struct resp_out *o, size_t need)
{
	size_t cap = o->cap > 0 ? o->cap * 2 : 64;

	while (cap - o->len < need)
		cap *= 2;
	o->buf = xrealloc(o->buf, cap);
	o->cap = cap;
}

void
resp_add_raw(struct resp_out *o, const void *p, size_t n)
{
	const char *s = p;
	size_t avail = o->cap - o->len;

	if (n <= avail) {
		if (n != 0)
			memcpy(o->buf + o->len, s, n);
		o->len += n;
		return;
	}
	if (avail != 0) {
		memcpy(o->buf + o->len, s, avail);
		o->len += avail;
		s += avail;
		n -= avail;
	}
	o->make_room(o, n);
	memcpy(o->buf + o->len, s, n);
	o->len += n;
}

void
resp_add_simple(struct resp_out *o, const char *s, size_t n)
{
	add_line(o, '+', s, n);
}

void
resp_add_error(struct resp_out *o, const char *s, size_t n)
{
	char *d = room(o, 1 + n + 2);

	d[0] = '-';
	for (size_t i = 0; i < n; i++)
		d[1 + i] = s[i] == '\r' || s[i] == '\n' ? ' ' : s[i];
	d[1 + n] = '\r';
	d[2 + n] = '\n';
	o->len += 1 + n + 2;
}

void
resp_add_int(struct resp_out *o, int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	char *d = room(o, 1 + (v < 0) + num_digits_u64(mag) + 2);
	size_t n = 1;

	d[0] = ':';
	n += num_fmt_i64(d + 1, v);
	d[n++] = '\r';
	d[n++] = '\n';
	o->len += n;
}

void
resp_add_bulk(struct resp_out *o, const void *p, size_t n)
{
	size_t total = hdr_len(n) + n + 2;
	char *d;

	if (total > o->cap - o->len && n > SMALL_BULK) {
		add_hdr(o, '$', n);
		resp_add_raw(o, p, n);
		resp_add_raw(o, "\r\n", 2);
		return;
	}
	d = room(o, total);
	d += put_hdr(d, '$', n);
	if (n != 0)
		memcpy(d, p, n);
	d[n] = '\r';
	d[n + 1] = '\n';
	o->len += total;
}

void
resp_add_bulk_i64(struct resp_out *o, int64_t v)
{
	char digits[NUM_I64_MAX_CHARS];
	size_t n = num_fmt_i64(digits, v);
	char *d = room(o, hdr_len(n) + n + 2);
	size_t h = put_hdr(d, '$', n);

	memcpy(d + h, digits, n);
	d[h + n] = '\r';
	d[h + n + 1] = '\n';
	o->len += h + n + 2;
}

void
resp_add_bulk_hdr(struct resp_out *o, size_t n)
{
	add_hdr(o, '$', n);
}

void
resp_add_null(struct resp_out *o)
{
	if (o->proto == 3)
		resp_add_const(o, "_\r\n");
	else
		resp_add_const(o, "$-1\r\n");
}

void
resp_add_null_array(struct resp_out *o)
{
	if (o->proto == 3)
		resp_add_const(o, "_\r\n");
	else
		resp_add_const(o, "*-1\r\n");
}

void
resp_add_array(struct resp_out *o, size_t n)
{
	add_hdr(o, '*', n);
}

void
resp_add_map(struct resp_out *o, size_t n)
{
	if (o->proto == 3)
		add_hdr(o, '%', n);
	else
		add_hdr(o, '*', (uint64_t)n * 2);
}

void
resp_add_set(struct resp_out *o, size_t n)
{
	add_hdr(o, o->proto == 3 ? '~' : '*', n);
}

void
resp_add_push(struct resp_out *o, size_t n)
{
	add_hdr(o, o->proto == 3 ? '>' : '*', n);
}

void
resp_add_double(struct resp_out *o, double d)
{
	char buf[64];
	const char *s = buf;
	size_t n;

	/* Infinities are spelled out rather than left to the libc, as Redis does. */
	if (isinf(d)) {
		s = d > 0 ? "inf" : "-inf";
		n = d > 0 ? 3 : 4;
	} else if (d > -1e17 && d < 1e17 && d == (double)(int64_t)d &&
	    !(d == 0 && signbit(d))) {
		/* "%.17g" prints an integral value below 1e17 exactly, as its digits alone. */
		n = num_fmt_i64(buf, (int64_t)d);
	} else {
		n = num_fmt_g17(buf, d);
	}
	if (o->proto == 3)
		add_line(o, ',', s, n);
	else
		resp_add_bulk(o, s, n);
}

void
resp_add_bool(struct resp_out *o, bool b)
{
	if (o->proto == 3)
		resp_add_raw(o, b ? "#t\r\n" : "#f\r\n", 4);
	else
		resp_add_raw(o, b ? RESP_C_ONE : RESP_C_ZERO, 4);
}

/* Writes "=<n+4>\r\nfmt:" at d, the format padded with spaces to 3 bytes as Redis does. */
static size_t
put_verbatim_hdr(char *d, const char *fmt3, size_t n)
{
	size_t h = put_hdr(d, '=', (uint64_t)n + 4);

	for (int i = 0; i < 3; i++) {
		d[h + i] = *fmt3 != '\0' ? *fmt3 : ' ';
		if (*fmt3 != '\0')
			fmt3++;
	}
	d[h + 3] = ':';
	return h + 4;
}

void
resp_add_verbatim(struct resp_out *o, const char *fmt3, const void *p, size_t n)
{
	size_t hdr = hdr_len((uint64_t)n + 4) + 4, total = hdr + n + 2;
	char *d;

	if (o->proto != 3) {
		resp_add_bulk(o, p, n);
		return;
	}
	if (total > o->cap - o->len && n > SMALL_BULK) {
		d = room(o, hdr);
		o->len += put_verbatim_hdr(d, fmt3, n);
		resp_add_raw(o, p, n);
		resp_add_raw(o, "\r\n", 2);
		return;
	}
	d = room(o, total);
	d += put_verbatim_hdr(d, fmt3, n);
	if (n != 0)
		memcpy(d, p, n);
	d[n] = '\r';
	d[n + 1] = '\n';
	o->len += total;
}

void
resp_add_bignum(struct resp_out *o, const char *p, size_t n)
{
	if (o->proto == 3)
		add_line(o, '(', p, n);
	else
		resp_add_bulk(o, p, n);
}
