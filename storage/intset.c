/*
 * intset: Redis' intset, read and written in place (layout in intset.h).
 *
 * Values are read and written byte by byte in little-endian order, which compilers turn into
 * plain loads and stores on little-endian hosts and which keeps the bytes Redis' on any host.
 * Every modification reallocates to the exact size, as Redis' intsetResize does, so the
 * allocation never carries slack (set memory is a headline figure).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/intset.h"

#define IS_HDR		8

static uint32_t	rd32(const unsigned char *);
static void	wr32(unsigned char *, uint32_t);
static unsigned	width(const unsigned char *);
static unsigned	width_of(int64_t);
static int64_t	get_w(const unsigned char *, unsigned, size_t);
static void	set_w(unsigned char *, unsigned, size_t, int64_t);

static uint32_t
rd32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
wr32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static unsigned
width(const unsigned char *is)
{
	return rd32(is);
}

/* The narrowest of Redis' widths that holds v. */
static unsigned
width_of(int64_t v)
{
	if (v < INT32_MIN || v > INT32_MAX)
		return 8;
	if (v < INT16_MIN || v > INT16_MAX)
		return 4;
	return 2;
}

/* Value at pos of a w-byte-wide array starting at vals. */
static int64_t
get_w(const unsigned char *vals, unsigned w, size_t pos)
{
	const unsigned char *p = vals + pos * w;
	uint64_t u;

	switch (w) {
	case 2:
		return (int16_t)(uint16_t)(p[0] | p[1] << 8);
	case 4:
		return (int32_t)rd32(p);
	default:
		u = (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
		return u > INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
	}
}

static void
set_w(unsigned char *vals, unsigned w, size_t pos, int64_t v)
{
	unsigned char *p = vals + pos * w;
	uint64_t u = (uint64_t)v;
	unsigned i;

	for (i = 0; i < w; i++)
		p[i] = (u >> (8 * i)) & 0xff;
}

unsigned char *
intset_new(void)
{
	unsigned char *is;

	is = xmalloc(IS_HDR);
	wr32(is, 2);
	wr32(is + 4, 0);
	return is;
}

void
intset_free(unsigned char *is)
{
	xfree(is);
}

unsigned char *
intset_dup(const unsigned char *is)
{
	size_t n = intset_bytes(is);
	unsigned char *c;

	c = xmalloc(n);
	memcpy(c, is, n);
	return c;
}

size_t
intset_len(const unsigned char *is)
{
	return rd32(is + 4);
}

size_t
intset_bytes(const unsigned char *is)
{
	return IS_HDR + intset_len(is) * width(is);
}

int64_t
intset_get(const unsigned char *is, size_t pos)
{
	return get_w(is + IS_HDR, width(is), pos);
}

bool
intset_find(const unsigned char *is, int64_t v, size_t *pos)
{
	const unsigned char *vals = is + IS_HDR;
	unsigned w = width(is);
	size_t n = intset_len(is), lo, hi, mid;
	int64_t x;

	/* Appending and prepending are the common cases of SADD on growing ids. */
	if (n == 0 || v > get_w(vals, w, n - 1)) {
		if (pos != NULL)
			*pos = n;
		return false;
	}
	if (v < get_w(vals, w, 0)) {
		if (pos != NULL)
			*pos = 0;
		return false;
	}
	lo = 0;
	hi = n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		x = get_w(vals, w, mid);
		if (x == v) {
			if (pos != NULL)
				*pos = mid;
			return true;
		}
		if (x < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (pos != NULL)
		*pos = lo;
	return false;
}

bool
intset_add(unsigned char **isp, int64_t v)
{
	unsigned char *is = *isp;
	unsigned w = width(is), nw = width_of(v);
	size_t n = intset_len(is), pos, i;

	if (nw > w) {
		/* A value that needs a wider encoding is beyond every current value. */
		is = xrealloc(is, IS_HDR + (n + 1) * nw);
		for (i = n; i-- > 0;)
			set_w(is + IS_HDR, nw, i + (v < 0), get_w(is + IS_HDR, w, i));
		set_w(is + IS_HDR, nw, v < 0 ? 0 : n, v);
		wr32(is, nw);
	} else {
		if (intset_find(is, v, &pos))
			return false;
		is = xrealloc(is, IS_HDR + (n + 1) * w);
		memmove(is + IS_HDR + (pos + 1) * w, is + IS_HDR + pos * w, (n - pos) * w);
		set_w(is + IS_HDR, w, pos, v);
	}
	wr32(is + 4, (uint32_t)(n + 1));
	*isp = is;
	return true;
}

bool
intset_remove(unsigned char **isp, int64_t v)
{
	unsigned char *is = *isp;
	unsigned w = width(is);
	size_t n = intset_len(is), pos;

	if (width_of(v) > w || !intset_find(is, v, &pos))
		return false;
	memmove(is + IS_HDR + pos * w, is + IS_HDR + (pos + 1) * w, (n - pos - 1) * w);
	wr32(is + 4, (uint32_t)(n - 1));
	*isp = xrealloc(is, IS_HDR + (n - 1) * w);
	return true;
}

int64_t
intset_min(const unsigned char *is)
{
	return intset_get(is, 0);
}

int64_t
intset_max(const unsigned char *is)
{
	return intset_get(is, intset_len(is) - 1);
}

bool
intset_validate(const unsigned char *is, size_t size, size_t *count)
{
	unsigned w;
	size_t n, i;
	int64_t prev, x;

	if (size < IS_HDR)
		return false;
	w = width(is);
	if (w != 2 && w != 4 && w != 8)
		return false;
	n = intset_len(is);
	/* Redis refuses an empty intset: no empty set is ever saved. */
	if (n == 0 || n > (size - IS_HDR) / w || IS_HDR + n * w != size)
		return false;
	prev = get_w(is + IS_HDR, w, 0);
	for (i = 1; i < n; i++) {
		x = get_w(is + IS_HDR, w, i);
		if (x <= prev)
			return false;
		prev = x;
	}
	if (count != NULL)
		*count = n;
	return true;
}
