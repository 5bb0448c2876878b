/*
 * listpack: Redis' listpack format, read and written in place (see listpack.h for the layout
 * and the pointer rules).
 *
 * Entry encodings (first byte):
 *   0xxxxxxx                 integer 0..127
 *   10llllll                 string of up to 63 bytes
 *   110vvvvv vvvvvvvv        13-bit signed integer
 *   1110llll llllllll        string of up to 4095 bytes
 *   0xF0 + 4 bytes LE        string of up to 2^32-1 bytes
 *   0xF1 / 0xF2 / 0xF3 / 0xF4  16 / 24 / 32 / 64-bit signed integer, LE
 *   0xFF                     terminator (never an entry)
 * Each entry ends with its own length (encoding and data, without this field) written
 * big-endian in 7-bit groups, every byte but the first with the high bit set, so a backward
 * walk reads it from its last byte.
 *
 * Every modification funnels into lp_splice, which resizes one byte range in place; the
 * callers only encode entries. lp_validate is the one function that trusts nothing: everything
 * else assumes a listpack that was built here or passed lp_validate.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/listpack.h"

#define LP_EOF		0xFF
#define LP_COUNT_UNKNOWN 65535
/* Longest integer encoding (0xF4 and 8 bytes) and longest back length. */
#define LP_MAX_INT_ENC	9
#define LP_MAX_BACKLEN	5
/* Longest string that can hold a canonical int64 ("-9223372036854775808"). */
#define LP_MAX_INT_STR	20

/* An encoded entry before it is written: header bytes, then (for strings) the data. */
struct lp_enc {
	unsigned char	 hdr[LP_MAX_INT_ENC];
	size_t		 hdrlen;
	const void	*data;
	size_t		 datalen;
};

static uint32_t	rd32(const unsigned char *);
static void	wr32(unsigned char *, uint32_t);
static unsigned	count_get(const unsigned char *);
static void	count_set(unsigned char *, size_t);
static void	count_add(unsigned char *, long);
static size_t	backlen_size(size_t);
static void	backlen_write(unsigned char *, size_t);
static size_t	backlen_read(const unsigned char *);
static size_t	enc_len(const unsigned char *);
static unsigned char *skip(const unsigned char *);
static void	enc_int(struct lp_enc *, int64_t);
static void	enc_str(struct lp_enc *, const void *, size_t);
static bool	str_int(const void *, size_t, int64_t *);
static unsigned char *lp_splice(unsigned char *, size_t, size_t, size_t);
static unsigned char *put(unsigned char *, size_t, size_t, const struct lp_enc *, long,
		    unsigned char **);
static unsigned char *put_str(unsigned char *, size_t, size_t, const void *, size_t, long,
		    unsigned char **);
static bool	entry_eq(const unsigned char *, const unsigned char *);
static uint64_t	entry_hash(const unsigned char *);

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
count_get(const unsigned char *lp)
{
	return (unsigned)lp[4] | (unsigned)lp[5] << 8;
}

/* Writes n, saturated at 65535 ("unknown: walk to count"), as Redis does. */
static void
count_set(unsigned char *lp, size_t n)
{
	if (n > LP_COUNT_UNKNOWN)
		n = LP_COUNT_UNKNOWN;
	lp[4] = n & 0xff;
	lp[5] = (n >> 8) & 0xff;
}

/* Adjusts a known count by delta; once saturated the count stays unknown, as in Redis. */
static void
count_add(unsigned char *lp, long delta)
{
	unsigned n = count_get(lp);

	if (n != LP_COUNT_UNKNOWN)
		count_set(lp, (size_t)((long)n + delta));
}

/* Bytes of the back length of an entry of l bytes (Redis' thresholds, strict < included). */
static size_t
backlen_size(size_t l)
{
	if (l <= 127)
		return 1;
	if (l < 16383)
		return 2;
	if (l < 2097151)
		return 3;
	if (l < 268435455)
		return 4;
	return 5;
}

static void
backlen_write(unsigned char *buf, size_t l)
{
	size_t n = backlen_size(l), i;

	if (n == 1) {
		buf[0] = (unsigned char)l;
		return;
	}
	for (i = n; i-- > 0; l >>= 7)
		buf[i] = (l & 127) | (i == 0 ? 0 : 128);
}

/* Reads the back length whose last byte is at q (a listpack built or validated here). */
static size_t
backlen_read(const unsigned char *q)
{
	size_t v = 0;
	unsigned shift = 0;

	for (;;) {
		v |= (size_t)(*q & 127) << shift;
		if (!(*q & 128) || shift >= 28)
			return v;
		shift += 7;
		q--;
	}
}

/* Bytes of entry p's encoding and data (without the back length); 0 for the terminator. */
static size_t
enc_len(const unsigned char *p)
{
	unsigned char b = p[0];

	if (b < 0x80)
		return 1;
	if ((b & 0xC0) == 0x80)
		return 1 + (size_t)(b & 0x3F);
	if ((b & 0xE0) == 0xC0)
		return 2;
	if ((b & 0xF0) == 0xE0)
		return 2 + ((size_t)(b & 0x0F) << 8 | p[1]);
	switch (b) {
	case 0xF0:
		return 5 + (size_t)rd32(p + 1);
	case 0xF1:
		return 3;
	case 0xF2:
		return 4;
	case 0xF3:
		return 5;
	case 0xF4:
		return 9;
	default:
		return 0;
	}
}

/* Returns the byte after entry p (the next entry or the terminator). */
static unsigned char *
skip(const unsigned char *p)
{
	size_t l = enc_len(p);

	return (unsigned char *)p + l + backlen_size(l);
}

static void
enc_int(struct lp_enc *e, int64_t v)
{
	uint64_t u = (uint64_t)v;
	size_t i, n;

	e->data = NULL;
	e->datalen = 0;
	if (v >= 0 && v <= 127) {
		e->hdr[0] = (unsigned char)v;
		e->hdrlen = 1;
		return;
	}
	if (v >= -4096 && v <= 4095) {
		u &= 0x1FFF;
		e->hdr[0] = 0xC0 | (unsigned char)(u >> 8);
		e->hdr[1] = u & 0xff;
		e->hdrlen = 2;
		return;
	}
	if (v >= INT16_MIN && v <= INT16_MAX) {
		e->hdr[0] = 0xF1;
		n = 2;
	} else if (v >= -8388608 && v <= 8388607) {
		e->hdr[0] = 0xF2;
		n = 3;
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		e->hdr[0] = 0xF3;
		n = 4;
	} else {
		e->hdr[0] = 0xF4;
		n = 8;
	}
	for (i = 0; i < n; i++)
		e->hdr[1 + i] = (u >> (8 * i)) & 0xff;
	e->hdrlen = 1 + n;
}

/* Encodes s/len as Redis' lpInsert does: as an integer when it is a canonical one. */
static void
enc_str(struct lp_enc *e, const void *s, size_t len)
{
	int64_t v;

	if (str_int(s, len, &v)) {
		enc_int(e, v);
		return;
	}
	if (len < 64) {
		e->hdr[0] = 0x80 | (unsigned char)len;
		e->hdrlen = 1;
	} else if (len < 4096) {
		e->hdr[0] = 0xE0 | (unsigned char)(len >> 8);
		e->hdr[1] = len & 0xff;
		e->hdrlen = 2;
	} else {
		e->hdr[0] = 0xF0;
		wr32(e->hdr + 1, (uint32_t)len);
		e->hdrlen = 5;
	}
	e->data = s;
	e->datalen = len;
}

/* True if s/len is a canonical integer (string2ll's rules); sets *v. */
static bool
str_int(const void *s, size_t len, int64_t *v)
{
	const unsigned char *c = s;

	if (len == 0 || len > LP_MAX_INT_STR)
		return false;
	/* Cheap reject before the full parse: most strings do not start like a number. */
	if (!(c[0] >= '0' && c[0] <= '9') && c[0] != '-')
		return false;
	return num_parse_i64(s, len, v);
}

/*
 * Replaces the oldlen bytes at offset off of lp by a hole of newlen bytes (contents
 * undefined) and updates the total size in the header. Returns the (maybe moved) listpack.
 */
static unsigned char *
lp_splice(unsigned char *lp, size_t off, size_t oldlen, size_t newlen)
{
	size_t bytes = lp_bytes(lp);
	size_t nbytes = bytes - oldlen + newlen;

	/* The header cannot say more; as with out of memory, there is no way on. */
	if (nbytes > UINT32_MAX)
		abort();
	if (nbytes > bytes && nbytes > xsize(lp))
		lp = xrealloc(lp, nbytes);
	memmove(lp + off + newlen, lp + off + oldlen, bytes - off - oldlen);
	if (nbytes < bytes)
		lp = xrealloc(lp, nbytes);
	wr32(lp, (uint32_t)nbytes);
	return lp;
}

/*
 * Writes entry e in place of the oldlen bytes at offset off (oldlen 0 inserts), adjusts the
 * count by delta, and sets *newp (may be NULL) to the entry. The data of e must not point into
 * lp (put_str copies it when it does).
 */
static unsigned char *
put(unsigned char *lp, size_t off, size_t oldlen, const struct lp_enc *e, long delta,
    unsigned char **newp)
{
	size_t l = e->hdrlen + e->datalen;
	size_t bl = backlen_size(l);
	unsigned char *dst;

	lp = lp_splice(lp, off, oldlen, l + bl);
	dst = lp + off;
	memcpy(dst, e->hdr, e->hdrlen);
	if (e->datalen > 0)
		memcpy(dst + e->hdrlen, e->data, e->datalen);
	backlen_write(dst + l, l);
	count_add(lp, delta);
	if (newp != NULL)
		*newp = dst;
	return lp;
}

/* As put for a string, which may be a view into lp itself (a copy is taken then). */
static unsigned char *
put_str(unsigned char *lp, size_t off, size_t oldlen, const void *s, size_t len, long delta,
    unsigned char **newp)
{
	struct lp_enc e;
	uintptr_t a = (uintptr_t)s, base = (uintptr_t)lp;
	void *copy = NULL;

	enc_str(&e, s, len);
	if (e.datalen > 0 && a + len > base && a < base + lp_bytes(lp)) {
		copy = xmalloc(len);
		memcpy(copy, s, len);
		e.data = copy;
	}
	lp = put(lp, off, oldlen, &e, delta, newp);
	xfree(copy);
	return lp;
}

unsigned char *
lp_new(size_t capacity)
{
	unsigned char *lp;

	lp = xmalloc(capacity > LP_EMPTY_SIZE ? capacity : LP_EMPTY_SIZE);
	wr32(lp, LP_EMPTY_SIZE);
	count_set(lp, 0);
	lp[LP_HDR_SIZE] = LP_EOF;
	return lp;
}

void
lp_free(unsigned char *lp)
{
	xfree(lp);
}

unsigned char *
lp_dup(const unsigned char *lp)
{
	size_t n = lp_bytes(lp);
	unsigned char *c;

	c = xmalloc(n);
	memcpy(c, lp, n);
	return c;
}

size_t
lp_bytes(const unsigned char *lp)
{
	return rd32(lp);
}

size_t
lp_length(const unsigned char *lp)
{
	const unsigned char *p;
	size_t n;

	if (count_get(lp) != LP_COUNT_UNKNOWN)
		return count_get(lp);
	n = 0;
	for (p = lp + LP_HDR_SIZE; *p != LP_EOF; p = skip(p))
		n++;
	return n;
}

unsigned char *
lp_first(const unsigned char *lp)
{
	const unsigned char *p = lp + LP_HDR_SIZE;

	return *p == LP_EOF ? NULL : (unsigned char *)p;
}

unsigned char *
lp_last(const unsigned char *lp)
{
	return lp_prev(lp, lp + lp_bytes(lp) - 1);
}

unsigned char *
lp_next(const unsigned char *lp, const unsigned char *p)
{
	(void)lp;
	p = skip(p);
	return *p == LP_EOF ? NULL : (unsigned char *)p;
}

unsigned char *
lp_prev(const unsigned char *lp, const unsigned char *p)
{
	size_t l;

	if (p == lp + LP_HDR_SIZE)
		return NULL;
	l = backlen_read(p - 1);
	return (unsigned char *)p - l - backlen_size(l);
}

unsigned char *
lp_seek(const unsigned char *lp, long index)
{
	unsigned char *p;
	unsigned n = count_get(lp);

	if (n != LP_COUNT_UNKNOWN) {
		if (index < 0)
			index += (long)n;
		if (index < 0 || index >= (long)n)
			return NULL;
		/* Walk from the nearer end. */
		if (index > (long)n / 2)
			index -= (long)n;
	}
	if (index >= 0) {
		p = lp_first(lp);
		while (p != NULL && index-- > 0)
			p = lp_next(lp, p);
	} else {
		p = lp_last(lp);
		while (p != NULL && ++index < 0)
			p = lp_prev(lp, p);
	}
	return p;
}

const unsigned char *
lp_get(const unsigned char *p, size_t *len, int64_t *ival)
{
	unsigned char b = p[0];
	uint64_t u;

	if (b < 0x80) {
		*ival = b;
		return NULL;
	}
	if ((b & 0xC0) == 0x80) {
		*len = b & 0x3F;
		return p + 1;
	}
	if ((b & 0xE0) == 0xC0) {
		u = (uint64_t)(b & 0x1F) << 8 | p[1];
		*ival = u >= 4096 ? (int64_t)u - 8192 : (int64_t)u;
		return NULL;
	}
	if ((b & 0xF0) == 0xE0) {
		*len = (size_t)(b & 0x0F) << 8 | p[1];
		return p + 2;
	}
	switch (b) {
	case 0xF0:
		*len = rd32(p + 1);
		return p + 5;
	case 0xF1:
		*ival = (int16_t)(uint16_t)(p[1] | p[2] << 8);
		return NULL;
	case 0xF2:
		u = (uint64_t)p[1] | (uint64_t)p[2] << 8 | (uint64_t)p[3] << 16;
		*ival = u >= (1u << 23) ? (int64_t)u - (1 << 24) : (int64_t)u;
		return NULL;
	case 0xF3:
		*ival = (int32_t)rd32(p + 1);
		return NULL;
	default:	/* 0xF4: the only other encoding a valid entry can have */
		u = (uint64_t)rd32(p + 1) | (uint64_t)rd32(p + 5) << 32;
		*ival = u > INT64_MAX ? -(int64_t)(~u) - 1 : (int64_t)u;
		return NULL;
	}
}

const unsigned char *
lp_get_str(const unsigned char *p, size_t *len, char *buf)
{
	const unsigned char *s;
	int64_t v;

	s = lp_get(p, len, &v);
	if (s != NULL)
		return s;
	*len = num_fmt_i64(buf, v);
	return (const unsigned char *)buf;
}

bool
lp_get_int(const unsigned char *p, int64_t *v)
{
	size_t len;

	return lp_get(p, &len, v) == NULL;
}

bool
lp_eq(const unsigned char *p, const void *s, size_t len)
{
	const unsigned char *e;
	size_t elen;
	int64_t ev, sv;

	e = lp_get(p, &elen, &ev);
	if (e != NULL)
		return elen == len && memcmp(e, s, len) == 0;
	/* An integer entry prints canonically: equal iff s is canonical with the same value. */
	return str_int(s, len, &sv) && sv == ev;
}

size_t
lp_entry_size(const unsigned char *p)
{
	size_t l = enc_len(p);

	return l + backlen_size(l);
}

unsigned char *
lp_find(const unsigned char *lp, const unsigned char *p, const void *s, size_t len,
    unsigned skipn)
{
	const unsigned char *e;
	size_t elen, l;
	int64_t ev, sv = 0;
	bool sint;
	unsigned left = 0;
	unsigned char b;

	(void)lp;
	if (p == NULL)
		return NULL;
	sint = str_int(s, len, &sv);
	/*
	 * The HGET path: short strings and small integers are decoded inline from their first
	 * byte; a string is compared only when its length matches, an integer only by value.
	 */
	for (;; p += l + backlen_size(l)) {
		b = p[0];
		if ((b & 0xC0) == 0x80) {
			l = 1 + (size_t)(b & 0x3F);
			if (left == 0 && l - 1 == len && memcmp(p + 1, s, len) == 0)
				return (unsigned char *)p;
		} else if (b < 0x80) {
			l = 1;
			if (left == 0 && sint && sv == b)
				return (unsigned char *)p;
		} else if ((b & 0xE0) == 0xC0) {
			l = 2;
			if (left == 0 && sint) {
				ev = (int64_t)((size_t)(b & 0x1F) << 8 | p[1]);
				if ((ev >= 4096 ? ev - 8192 : ev) == sv)
					return (unsigned char *)p;
			}
		} else if (b == LP_EOF)
			return NULL;
		else {
			l = enc_len(p);
			if (left == 0) {
				e = lp_get(p, &elen, &ev);
				if (e != NULL ? elen == len && memcmp(e, s, len) == 0 :
				    sint && ev == sv)
					return (unsigned char *)p;
			}
		}
		left = left == 0 ? skipn : left - 1;
	}
}

unsigned char *
lp_append(unsigned char *lp, const void *s, size_t len)
{
	return put_str(lp, lp_bytes(lp) - 1, 0, s, len, 1, NULL);
}

unsigned char *
lp_append_int(unsigned char *lp, int64_t v)
{
	struct lp_enc e;

	enc_int(&e, v);
	return put(lp, lp_bytes(lp) - 1, 0, &e, 1, NULL);
}

unsigned char *
lp_prepend(unsigned char *lp, const void *s, size_t len)
{
	return put_str(lp, LP_HDR_SIZE, 0, s, len, 1, NULL);
}

unsigned char *
lp_prepend_int(unsigned char *lp, int64_t v)
{
	struct lp_enc e;

	enc_int(&e, v);
	return put(lp, LP_HDR_SIZE, 0, &e, 1, NULL);
}

unsigned char *
lp_insert(unsigned char *lp, unsigned char *p, const void *s, size_t len, enum lp_where where,
    unsigned char **newp)
{
	if (where == LP_AFTER)
		p = skip(p);
	return put_str(lp, (size_t)(p - lp), 0, s, len, 1, newp);
}

unsigned char *
lp_insert_int(unsigned char *lp, unsigned char *p, int64_t v, enum lp_where where,
    unsigned char **newp)
{
	struct lp_enc e;

	if (where == LP_AFTER)
		p = skip(p);
	enc_int(&e, v);
	return put(lp, (size_t)(p - lp), 0, &e, 1, newp);
}

unsigned char *
lp_replace(unsigned char *lp, unsigned char **p, const void *s, size_t len)
{
	return put_str(lp, (size_t)(*p - lp), lp_entry_size(*p), s, len, 0, p);
}

unsigned char *
lp_replace_int(unsigned char *lp, unsigned char **p, int64_t v)
{
	struct lp_enc e;

	enc_int(&e, v);
	return put(lp, (size_t)(*p - lp), lp_entry_size(*p), &e, 0, p);
}

unsigned char *
lp_delete(unsigned char *lp, unsigned char *p, unsigned char **next)
{
	size_t off = (size_t)(p - lp);

	lp = lp_splice(lp, off, lp_entry_size(p), 0);
	count_add(lp, -1);
	if (next != NULL)
		*next = lp[off] == LP_EOF ? NULL : lp + off;
	return lp;
}

unsigned char *
lp_delete_range_p(unsigned char *lp, unsigned char *p, size_t n)
{
	unsigned char *q = p;
	size_t k, off = (size_t)(p - lp);

	for (k = 0; k < n && *q != LP_EOF; k++)
		q = skip(q);
	if (k == 0)
		return lp;
	lp = lp_splice(lp, off, (size_t)(q - p), 0);
	count_add(lp, -(long)k);
	return lp;
}

unsigned char *
lp_delete_range(unsigned char *lp, long index, size_t n)
{
	unsigned char *p;

	p = lp_seek(lp, index);
	if (p == NULL)
		return lp;
	return lp_delete_range_p(lp, p, n);
}

bool
lp_validate(const unsigned char *lp, size_t size, size_t *count)
{
	const unsigned char *p, *end;
	unsigned char bl[LP_MAX_BACKLEN];
	size_t n, avail, hl, l, bls;
	unsigned hc;

	if (size < LP_EMPTY_SIZE || size > UINT32_MAX || rd32(lp) != size ||
	    lp[size - 1] != LP_EOF)
		return false;
	end = lp + size - 1;	/* the terminator */
	n = 0;
	for (p = lp + LP_HDR_SIZE; p < end; p += l + bls) {
		avail = (size_t)(end - p);
		/* Header bytes the length depends on must be inside before they are read. */
		if (*p == 0xF0)
			hl = 5;
		else if ((*p & 0xF0) == 0xE0)
			hl = 2;
		else
			hl = 1;
		if (hl > avail)
			return false;
		l = enc_len(p);
		if (l == 0)
			return false;
		bls = backlen_size(l);
		if (l > avail || bls > avail - l)
			return false;
		backlen_write(bl, l);
		if (memcmp(p + l, bl, bls) != 0)
			return false;
		n++;
	}
	hc = count_get(lp);
	if (hc != LP_COUNT_UNKNOWN && hc != n)
		return false;
	if (count != NULL)
		*count = n;
	return true;
}

/* True if entries p and q hold the same value (a string entry may hold an integer's text). */
static bool
entry_eq(const unsigned char *p, const unsigned char *q)
{
	const unsigned char *ps, *qs;
	size_t plen = 0, qlen = 0;
	int64_t pv = 0, qv = 0, v;

	ps = lp_get(p, &plen, &pv);
	qs = lp_get(q, &qlen, &qv);
	if (ps != NULL && qs != NULL)
		return plen == qlen && memcmp(ps, qs, plen) == 0;
	if (ps == NULL && qs == NULL)
		return pv == qv;
	if (ps != NULL)
		return str_int(ps, plen, &v) && v == qv;
	return str_int(qs, qlen, &v) && v == pv;
}

/* A hash of entry p's value that agrees with entry_eq. */
static uint64_t
entry_hash(const unsigned char *p)
{
	const unsigned char *s;
	size_t len = 0;
	int64_t v = 0;
	uint64_t h;

	s = lp_get(p, &len, &v);
	if (s == NULL || str_int(s, len, &v)) {
		h = (uint64_t)v + 0x9E3779B97F4A7C15ULL;
		h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
		h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
		return h ^ (h >> 31);
	}
	h = 14695981039346656037ULL;
	while (len-- > 0)
		h = (h ^ *s++) * 1099511628211ULL;
	return h;
}

bool
lp_unique(const unsigned char *lp, unsigned step)
{
	const unsigned char *p, *q;
	uint32_t *slots;
	size_t n, mask, h;
	unsigned k;
	bool ok = true;

	n = (lp_length(lp) + step - 1) / step;
	if (n <= 16) {
		/* Few entries: comparing every pair is cheaper than a table. */
		for (p = lp_first(lp); p != NULL; ) {
			for (q = p, k = 0; q != NULL; ) {
				for (k = 0; k < step && q != NULL; k++)
					q = lp_next(lp, q);
				if (q != NULL && entry_eq(p, q))
					return false;
			}
			for (k = 0; k < step && p != NULL; k++)
				p = lp_next(lp, p);
		}
		return true;
	}
	for (mask = 1; mask < 2 * n; mask <<= 1)
		;
	slots = xcalloc(mask, sizeof(*slots));
	mask--;
	/* Slots hold entry offsets, never 0 (entries start after the header). */
	for (p = lp_first(lp); p != NULL && ok; ) {
		for (h = entry_hash(p) & mask; slots[h] != 0; h = (h + 1) & mask) {
			if (entry_eq(p, lp + slots[h])) {
				ok = false;
				break;
			}
		}
		slots[h] = (uint32_t)(p - lp);
		for (k = 0; k < step && p != NULL; k++)
			p = lp_next(lp, p);
	}
	xfree(slots);
	return ok;
}
