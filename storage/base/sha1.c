/*
 * sha1.c: SHA-1 as FIPS 180-4 specifies it: 512-bit blocks, 80 rounds over a 16-word schedule
 * extended in place, big-endian words, the length in bits appended after the 0x80 pad byte.
 */
#include <string.h>

#include "storage/base/sha1.h"

static uint32_t
rol32(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
}

static void
sha1_block(struct sha1 *s, const unsigned char *p)
{
	uint32_t w[16], a, b, c, d, e;

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	a = s->h[0];
	b = s->h[1];
	c = s->h[2];
	d = s->h[3];
	e = s->h[4];
	for (int t = 0; t < 80; t++) {
		uint32_t f, k, tmp;

		if (t >= 16) {
			w[t & 15] = rol32(w[(t + 13) & 15] ^ w[(t + 8) & 15] ^ w[(t + 2) & 15] ^
			    w[t & 15], 1);
		}
		if (t < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (t < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (t < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		tmp = rol32(a, 5) + f + e + k + w[t & 15];
		e = d;
		d = c;
		c = rol32(b, 30);
		b = a;
		a = tmp;
	}
	s->h[0] += a;
	s->h[1] += b;
	s->h[2] += c;
	s->h[3] += d;
	s->h[4] += e;
}

void
sha1_init(struct sha1 *s)
{
	s->h[0] = 0x67452301;
	s->h[1] = 0xefcdab89;
	s->h[2] = 0x98badcfe;
	s->h[3] = 0x10325476;
	s->h[4] = 0xc3d2e1f0;
	s->bytes = 0;
}

void
sha1_update(struct sha1 *s, const void *p, size_t n)
{
	const unsigned char *in = p;
	size_t used = (size_t)(s->bytes & 63);

	s->bytes += n;
	if (used > 0) {
		size_t take = 64 - used < n ? 64 - used : n;

		memcpy(s->block + used, in, take);
		in += take;
		n -= take;
		if (used + take < 64)
			return;
		sha1_block(s, s->block);
	}
	for (; n >= 64; in += 64, n -= 64)
		sha1_block(s, in);
	if (n > 0)
		memcpy(s->block, in, n);
}

void
sha1_final(struct sha1 *s, unsigned char out[20])
{
	uint64_t bits = s->bytes * 8;
	size_t used = (size_t)(s->bytes & 63);

	s->block[used++] = 0x80;
	if (used > 56) {
		memset(s->block + used, 0, 64 - used);
		sha1_block(s, s->block);
		used = 0;
	}
	memset(s->block + used, 0, 56 - used);
	for (int i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	sha1_block(s, s->block);
	for (int i = 0; i < 5; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}

void
sha1_hex(const void *p, size_t n, char hex[41])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[20];
	struct sha1 s;

	sha1_init(&s);
	sha1_update(&s, p, n);
	sha1_final(&s, d);
	for (int i = 0; i < 20; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[40] = '\0';
}
