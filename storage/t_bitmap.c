/*
 * t_bitmap.c: the bitmap operations on string values (t_string.h): GETBIT, SETBIT, BITCOUNT,
 * BITPOS, BITOP and BITFIELD.
 *
 * Bit 0 is the most significant bit of byte 0, as in Redis. Ranges resolve exactly as Redis'
 * bitops.c resolves them (negative indexes from the end, clamped), and BITFIELD's overflow modes
 * give Redis' results, computed here in 128-bit arithmetic instead of limit tests.
 */
#include <string.h>

#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"
#include "storage/t_string_int.h"

static inline int
bit_at(const unsigned char *p, uint64_t i)
{
	return (p[i >> 3] >> (7 - (i & 7))) & 1;
}

static int64_t
popcount(const unsigned char *p, size_t n)
{
	int64_t c = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, sizeof w);
		c += __builtin_popcountll(w);
	}
	for (; i < n; i++)
		c += __builtin_popcount(p[i]);
	return c;
}

int
tstr_getbit(const struct obj *o, uint64_t bitoff)
{
	char ibuf[TSTR_INT_BUF];
	const char *p;
	size_t len;

	if (o == NULL)
		return 0;
	p = tstr_get(o, ibuf, &len);
	if ((bitoff >> 3) >= len)
		return 0;
	return bit_at((const unsigned char *)p, bitoff);
}

enum tstr_result
tstr_setbit(struct db *db, const char *key, size_t klen, uint64_t bitoff, int bit,
    int64_t now_ms, int *old)
{
	struct obj *o = store_lookup_write(db, key, klen, now_ms);
	struct tstr_raw *r;
	unsigned char *byte, mask = (unsigned char)(1u << (7 - (bitoff & 7)));

	if (o != NULL && obj_type(o) != OBJ_STRING)
		return TSTR_WRONGTYPE;
	r = tstr_unshare(db, key, klen, &o, (size_t)(bitoff >> 3) + 1, now_ms);
	byte = (unsigned char *)r->buf + (bitoff >> 3);
	*old = (*byte & mask) != 0;
	if (bit)
		*byte |= mask;
	else
		*byte &= (unsigned char)~mask;
	return TSTR_OK;
}

/* Resolves a BITCOUNT/BITPOS bound pair against totlen units; false if the range is empty. */
static bool
resolve_range(int64_t totlen, int64_t *start, int64_t *end)
{
	if (*start < 0)
		*start += totlen;
	if (*end < 0)
		*end += totlen;
	if (*start < 0)
		*start = 0;
	if (*end < 0)
		*end = 0;
	if (*end >= totlen)
		*end = totlen - 1;
	return *start <= *end;
}

int64_t
tstr_bitcount(const unsigned char *p, size_t len, bool has_range, int64_t start, int64_t end,
    bool bit_unit)
{
	int64_t totlen = (int64_t)len, c;
	unsigned char first = 0, last = 0;

	if (!has_range)
		return popcount(p, len);
	if (start < 0 && end < 0 && start > end)
		return 0;
	if (bit_unit)
		totlen <<= 3;
	if (!resolve_range(totlen, &start, &end))
		return 0;
	if (bit_unit) {
		/* Bits of the edge bytes outside the range, subtracted after the byte count. */
		first = (unsigned char)(p[start >> 3] & ~((1u << (8 - (start & 7))) - 1));
		last = (unsigned char)(p[end >> 3] & ((1u << (7 - (end & 7))) - 1));
		start >>= 3;
		end >>= 3;
	}
	c = popcount(p + start, (size_t)(end - start + 1));
	return c - __builtin_popcount(first) - __builtin_popcount(last);
}

int64_t
tstr_bitpos(const unsigned char *p, size_t len, int bit, bool has_start, int64_t start,
    bool has_end, int64_t end, bool bit_unit)
{
	int64_t totlen = (int64_t)len;
	uint64_t b, eb;
	unsigned char skip = bit ? 0x00 : 0xff;

	if (!has_start) {
		start = 0;
		end = totlen - 1;
		bit_unit = false;
		has_end = false;
		if (start > end)
			return -1;
	} else {
		if (!has_end)
			end = bit_unit ? (totlen << 3) + 7 : totlen - 1;
		if (bit_unit)
			totlen <<= 3;
		if (!resolve_range(totlen, &start, &end))
			return -1;
	}
	b = bit_unit ? (uint64_t)start : (uint64_t)start * 8;
	eb = bit_unit ? (uint64_t)end : (uint64_t)end * 8 + 7;
	while (b <= eb) {
		if ((b & 7) == 0 && b + 63 <= eb) {
			uint64_t w, all = bit ? 0 : UINT64_MAX;

			memcpy(&w, p + (b >> 3), sizeof w);
			if (w == all) {
				b += 64;
				continue;
			}
		}
		if ((b & 7) == 0 && b + 7 <= eb && p[b >> 3] == skip) {
			b += 8;
			continue;
		}
		if (bit_at(p, b) == bit)
			return (int64_t)b;
		b++;
	}
	/* No match: a search for 0 without an explicit end sees the zero padding past the range. */
	if (bit == 1 || has_end)
		return -1;
	return (int64_t)eb + 1;
}

enum tstr_result
tstr_bitop(struct db *db, enum tstr_bitop op, const char *dest, size_t dlen,
    const char *const *srcs, const size_t *slens, size_t nsrc, int64_t now_ms, size_t *outlen)
{
	const unsigned char **src = xcalloc(nsrc, sizeof *src);
	size_t *len = xcalloc(nsrc, sizeof *len), maxlen = 0;
	char (*ibuf)[TSTR_INT_BUF] = xmalloc(nsrc * sizeof *ibuf);
	enum tstr_result rc = TSTR_OK;
	struct tstr_raw *res;
	struct obj_value v;

	for (size_t i = 0; i < nsrc; i++) {
		struct obj *o = store_lookup_write(db, srcs[i], slens[i], now_ms);

		if (o == NULL)
			continue;
		if (obj_type(o) != OBJ_STRING) {
			rc = TSTR_WRONGTYPE;
			goto out_free;
		}
		src[i] = (const unsigned char *)tstr_get(o, ibuf[i], &len[i]);
		if (len[i] > maxlen)
			maxlen = len[i];
	}
	*outlen = maxlen;
	if (maxlen == 0) {
		store_delete(db, dest, dlen, now_ms);
		goto out_free;
	}
	res = tstr_raw_new(NULL, maxlen);
	for (size_t j = 0; j < maxlen; j++) {
		unsigned char out = j < len[0] ? src[0][j] : 0;

		if (op == TSTR_BITOP_NOT)
			out = (unsigned char)~out;
		for (size_t i = 1; i < nsrc; i++) {
			unsigned char byte = j < len[i] ? src[i][j] : 0;

			if (op == TSTR_BITOP_AND)
				out &= byte;
			else if (op == TSTR_BITOP_OR)
				out |= byte;
			else if (op == TSTR_BITOP_XOR)
				out ^= byte;
		}
		res->buf[j] = (char)out;
	}
	/* Redis stores the result with setKey: a raw string, TTL removed. */
	memset(&v, 0, sizeof v);
	v.type = OBJ_STRING;
	v.enc = OBJ_ENC_RAW;
	v.ptr = res;
	store_set_value(db, dest, dlen, &v, OBJ_NO_EXPIRE, now_ms);
out_free:
	xfree(ibuf);
	xfree(len);
	xfree(src);
	return rc;
}

/* Reads an unsigned field of bits (1..64) at offset from p/len, zero-padded past the end. */
static uint64_t
bf_get(const unsigned char *p, size_t len, uint64_t offset, unsigned bits)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bits; i++, offset++) {
		int b = (offset >> 3) < len ? bit_at(p, offset) : 0;

		v = (v << 1) | (uint64_t)b;
	}
	return v;
}

static void
bf_set(unsigned char *p, uint64_t offset, unsigned bits, uint64_t v)
{
	for (unsigned i = 0; i < bits; i++, offset++) {
		unsigned char mask = (unsigned char)(1u << (7 - (offset & 7)));

		if ((v >> (bits - 1 - i)) & 1)
			p[offset >> 3] |= mask;
		else
			p[offset >> 3] &= (unsigned char)~mask;
	}
}

/* Sign-extends the low bits of u. */
static int64_t
bf_signed(uint64_t u, unsigned bits)
{
	if (bits < 64 && (u & ((uint64_t)1 << (bits - 1))))
		u |= UINT64_MAX << bits;
	return (int64_t)u;
}

/*
 * Applies an overflow policy to the exact result r of a signed or unsigned field (is_set: r is
 * a SET value, not a sum). Returns false if the op must fail (FAIL on overflow); else sets *out
 * to the bits to store.
 */
static bool
bf_fit(__int128 r, bool sign, bool is_set, unsigned bits, enum tstr_overflow ow, uint64_t *out)
{
	uint64_t mask = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
	__int128 max, min;

	if (sign) {
		max = ((__int128)1 << (bits - 1)) - 1;
		min = -max - 1;
	} else {
		max = ((__int128)1 << bits) - 1;
		min = 0;
	}
	if (r >= min && r <= max) {
		*out = (uint64_t)r & mask;
		return true;
	}
	switch (ow) {
	case TSTR_OVERFLOW_FAIL:
		return false;
	case TSTR_OVERFLOW_SAT:
		/*
		 * Redis' checkSignedBitfieldOverflow computes max - value in 64 bits for SET: a value
		 * 2^63 or more below max wraps that difference and saturates to max, not min.
		 */
		if (r > max || (sign && is_set && bits < 64 && max - r > INT64_MAX))
			*out = (uint64_t)max & mask;
		else
			*out = (uint64_t)min & mask;
		return true;
	case TSTR_OVERFLOW_WRAP:
		break;
	}
	*out = (uint64_t)r & mask;	/* wrapping keeps the low bits (r mod 2^bits) */
	return true;
}

enum tstr_result
tstr_bitfield(struct db *db, const char *key, size_t klen, const struct tstr_bf_op *ops,
    size_t n, int64_t now_ms, struct tstr_bf_result *res)
{
	uint64_t highest = 0;
	bool writes = false;
	struct obj *o;
	const unsigned char *p = NULL;
	unsigned char *wp = NULL;
	char ibuf[TSTR_INT_BUF];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		if (ops[i].op != TSTR_BF_GET) {
			writes = true;
			if (ops[i].offset + ops[i].bits - 1 > highest)
				highest = ops[i].offset + ops[i].bits - 1;
		}
	}
	if (!writes) {
		o = store_lookup_read(db, key, klen, now_ms);
		if (o != NULL && obj_type(o) != OBJ_STRING)
			return TSTR_WRONGTYPE;
		if (o != NULL)
			p = (const unsigned char *)tstr_get(o, ibuf, &len);
	} else {
		struct tstr_raw *r;

		o = store_lookup_write(db, key, klen, now_ms);
		if (o != NULL && obj_type(o) != OBJ_STRING)
			return TSTR_WRONGTYPE;
		r = tstr_unshare(db, key, klen, &o, (size_t)(highest >> 3) + 1, now_ms);
		wp = (unsigned char *)r->buf;
		p = wp;
		len = r->len;
	}
	for (size_t i = 0; i < n; i++) {
		const struct tstr_bf_op *op = &ops[i];
		uint64_t old = bf_get(p, len, op->offset, op->bits), store;
		__int128 oldv = op->sign ? (__int128)bf_signed(old, op->bits) : (__int128)old;
		__int128 r;

		res[i].null = false;
		res[i].changed = false;
		if (op->op == TSTR_BF_GET) {
			res[i].value = (int64_t)oldv;
			continue;
		}
		if (op->op == TSTR_BF_INCRBY)
			r = oldv + op->value;
		else if (op->sign)
			r = op->value;
		else
			r = (uint64_t)op->value;	/* Redis reads a negative SET value as unsigned */
		if (!bf_fit(r, op->sign, op->op == TSTR_BF_SET, op->bits, op->overflow, &store)) {
			res[i].null = true;
			res[i].value = 0;
			continue;
		}
		bf_set(wp, op->offset, op->bits, store);
		res[i].changed = store != old;
		if (op->op == TSTR_BF_SET)
			res[i].value = (int64_t)oldv;
		else
			res[i].value = op->sign ? bf_signed(store, op->bits) : (int64_t)store;
	}
	return TSTR_OK;
}
