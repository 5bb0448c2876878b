/*
 * ziplist, zipmap: validation and conversion to listpack of the packed formats of Redis up to
 * 6.2, as found in RDB files and DUMP payloads (see ziplist.h). Both walks check every length
 * against the bytes left before reading through it, so a hostile blob can only be refused.
 *
 * ziplist: zlbytes (uint32 LE), zltail (uint32 LE, offset of the last entry), zllen (uint16 LE,
 * 65535 = unknown), entries, 0xFF. An entry is the previous entry's size (1 byte below 254, or
 * 0xFE and uint32 LE), an encoding, and the data:
 *   00llllll / 01llllll llllllll / 0x80 + uint32 BE    string of 6, 14 or 32-bit length
 *   0xC0 int16, 0xD0 int32, 0xE0 int64, 0xF0 int24, 0xFE int8 (LE), 0xF1..0xFD value 0..12
 *
 * zipmap: zmlen (1 byte, 254 = unknown), then field length, field, value length, a "free" byte,
 * value, free bytes, ...; 0xFF. A length is one byte below 254, or 0xFE and uint32 LE.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/ziplist.h"

#define ZL_HDR		10
#define ZL_END		0xFF
#define ZL_BIGLEN	254
#define ZM_BIGLEN	254
#define ZM_END		0xFF

static uint32_t	rd32le(const unsigned char *);
static bool	zm_len(const unsigned char **, const unsigned char *, uint32_t *);
static uint64_t	fnv1a(const unsigned char *, size_t);

static uint32_t
rd32le(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

unsigned char *
ziplist_to_listpack(const unsigned char *zl, size_t size, size_t *count)
{
	const unsigned char *p, *end, *last = NULL;
	unsigned char *lp;
	size_t n = 0, prevsize = 0, avail, plen, hlen, dlen;
	uint32_t prev;
	uint64_t u;
	int64_t v;
	unsigned char b;
	unsigned hc;

	if (size < ZL_HDR + 1 || rd32le(zl) != size || zl[size - 1] != ZL_END ||
	    rd32le(zl + 4) > size - 1)
		return NULL;
	end = zl + size - 1;
	lp = lp_new(size);
	for (p = zl + ZL_HDR; p < end; p += plen + hlen + dlen) {
		avail = (size_t)(end - p);
		/* Previous entry's size. */
		if (p[0] < ZL_BIGLEN) {
			plen = 1;
			prev = p[0];
		} else if (p[0] == ZL_BIGLEN) {
			plen = 5;
			if (avail < plen)
				goto bad;
			prev = rd32le(p + 1);
		} else
			goto bad;	/* an 0xFF before the last byte */
		if (prev != prevsize || avail <= plen)
			goto bad;
		avail -= plen;
		b = p[plen];
		/* Encoding: header length and data length. */
		switch (b >> 6) {
		case 0:
			hlen = 1;
			dlen = b & 0x3F;
			break;
		case 1:
			hlen = 2;
			if (avail < hlen)
				goto bad;
			dlen = (size_t)(b & 0x3F) << 8 | p[plen + 1];
			break;
		case 2:
			hlen = 5;
			if (b != 0x80 || avail < hlen)
				goto bad;
			dlen = (size_t)p[plen + 1] << 24 | (size_t)p[plen + 2] << 16 |
			    (size_t)p[plen + 3] << 8 | p[plen + 4];
			break;
		default:
			hlen = 1;
			if (b == 0xC0)
				dlen = 2;
			else if (b == 0xD0)
				dlen = 4;
			else if (b == 0xE0)
				dlen = 8;
			else if (b == 0xF0)
				dlen = 3;
			else if (b == 0xFE)
				dlen = 1;
			else if (b >= 0xF1 && b <= 0xFD)
				dlen = 0;
			else
				goto bad;
			break;
		}
		if (hlen > avail || dlen > avail - hlen)
			goto bad;
		if (b < 0xC0)
			lp = lp_append(lp, p + plen + hlen, dlen);
		else {
			const unsigned char *d = p + plen + hlen;

			switch (b) {
			case 0xC0:
				v = (int16_t)(uint16_t)(d[0] | d[1] << 8);
				break;
			case 0xD0:
				v = (int32_t)rd32le(d);
				break;
			case 0xE0:
				u = (uint64_t)rd32le(d) | (uint64_t)rd32le(d + 4) << 32;
				v = u > INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
				break;
			case 0xF0:
				u = (uint64_t)d[0] | (uint64_t)d[1] << 8 | (uint64_t)d[2] << 16;
				v = u >= (1u << 23) ? (int64_t)u - (1 << 24) : (int64_t)u;
				break;
			case 0xFE:
				v = (int8_t)d[0];
				break;
			default:
				v = (b & 0x0F) - 1;
				break;
			}
			lp = lp_append_int(lp, v);
		}
		prevsize = plen + hlen + dlen;
		last = p;
		n++;
	}
	/* zltail names the last entry (the header's size when there is none, unchecked). */
	if (last != NULL && rd32le(zl + 4) != (size_t)(last - zl))
		goto bad;
	hc = (unsigned)zl[8] | (unsigned)zl[9] << 8;
	if (hc != 65535 && hc != n)
		goto bad;
	if (count != NULL)
		*count = n;
	/* Give back the slack of the size hint: the listpack is usually smaller. */
	return xrealloc(lp, lp_bytes(lp));
bad:
	lp_free(lp);
	return NULL;
}

/* Reads a zipmap length at *pp (before end) and advances *pp past it. */
static bool
zm_len(const unsigned char **pp, const unsigned char *end, uint32_t *len)
{
	const unsigned char *p = *pp;

	if (p >= end)
		return false;
	if (p[0] < ZM_BIGLEN) {
		*len = p[0];
		*pp = p + 1;
		return true;
	}
	if (p[0] != ZM_BIGLEN || end - p < 5)
		return false;
	*len = rd32le(p + 1);
	*pp = p + 5;
	return true;
}

static uint64_t
fnv1a(const unsigned char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n-- > 0)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

unsigned char *
zipmap_to_listpack(const unsigned char *zm, size_t size, size_t *pairs)
{
	const unsigned char *p, *end, *f, *val;
	unsigned char *lp;
	uint32_t flen, vlen, fr;
	size_t *slots = NULL, *fo, n = 0, cap = 0, i, mask, at;
	uint64_t h;

	if (size < 2 || zm[size - 1] != ZM_END)
		return NULL;
	end = zm + size - 1;
	lp = lp_new(size);
	/* Field offsets, to find a repeated field through a hash table after the walk. */
	fo = NULL;
	for (p = zm + 1; p < end;) {
		at = (size_t)(p - zm);
		if (!zm_len(&p, end, &flen) || flen > (size_t)(end - p))
			goto bad;
		f = p;
		p += flen;
		if (!zm_len(&p, end, &vlen) || p >= end)
			goto bad;
		fr = *p++;
		if ((size_t)vlen + fr > (size_t)(end - p))
			goto bad;
		val = p;
		p += vlen + fr;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			fo = xrealloc(fo, cap * sizeof(*fo));
		}
		fo[n++] = at;
		lp = lp_append(lp, f, flen);
		lp = lp_append(lp, val, vlen);
	}
	/* Redis refuses an empty zipmap and a count that is wrong unless saturated. */
	if (n == 0 || (zm[0] != ZM_BIGLEN && zm[0] != n))
		goto bad;
	for (mask = 1; mask < 2 * n; mask <<= 1)
		;
	slots = xcalloc(mask, sizeof(*slots));
	mask--;
	for (i = 0; i < n; i++) {
		const unsigned char *a = zm + fo[i], *b;
		uint32_t alen, blen;

		(void)zm_len(&a, end, &alen);
		for (h = fnv1a(a, alen) & mask; slots[h] != 0; h = (h + 1) & mask) {
			b = zm + slots[h];
			(void)zm_len(&b, end, &blen);
			if (alen == blen && memcmp(a, b, alen) == 0)
				goto bad;
		}
		slots[h] = fo[i];	/* never 0: the first field is at offset 1 */
	}
	xfree(slots);
	xfree(fo);
	if (pairs != NULL)
		*pairs = n;
	return xrealloc(lp, lp_bytes(lp));
bad:
	xfree(slots);
	xfree(fo);
	lp_free(lp);
	return NULL;
}
