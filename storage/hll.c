/*
 * hll.c: HyperLogLog values in Redis' exact byte format (see hll.h for the layout).
 *
 * Data flow: cmd_hll.c checks a key's value with hll_check, makes it a raw string with
 * hll_unshare or hll_create, and calls hll_add / hll_store_registers / hll_to_dense to change
 * it in place, or hll_count / hll_merge to read it. Everything that must be byte-exact with a
 * Redis primary is here: the sparse update (split of the covering opcode, then merging of equal
 * adjacent VAL opcodes in a window after it), the promotion rules, and the cache bits.
 *
 * Corrupt sparse bodies: a body must cover exactly HLL_REGISTERS registers. A VAL opcode that
 * would run past the last register is an error at once, as in the redis-server 7.0.15 that
 * Debian ships (its CVE-2025-32023 fix; upstream 7.0.15 stopped there and accepted the body if
 * it had reached exactly the last register).
 *
 * Reading past a sparse body: Redis' strings end with a NUL byte, and its decoders read the
 * second byte of an XZERO opcode cut off by the end of the string as that NUL. The decoders
 * here read 0 there too (byte2), so a corrupt string gives the answer Redis gives. The sparse
 * update works in a buffer with at least 4 spare bytes whose first is 0, as Redis' does after
 * sdsMakeRoomFor, so the same corrupt inputs produce the same bytes. One case differs: when an
 * update splits such a cut XZERO, Redis writes its new opcodes partly past the new end of the
 * string and the next update of the same value reads that byte where replicant reads 0 again
 * (keeping it would need to know which bytes past a raw string's end are Redis' and which are
 * spare capacity). Only a value that was corrupt to begin with can get there.
 */
#include <math.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/hll.h"
#include "storage/store.h"
#include "storage/t_string.h"
#include "storage/t_string_int.h"

size_t hll_sparse_max_bytes = 3000;

#define HLL_Q		(64 - HLL_P)	/* hash bits above the index */
#define HLL_REG_MAX	63
#define ALPHA_INF	0.721347520444481703680	/* 0.5 / ln 2 */

/* Sparse opcodes. */
#define OP_IS_ZERO(b)	(((b) & 0xc0) == 0)
#define OP_IS_XZERO(b)	(((b) & 0xc0) == 0x40)
#define OP_IS_VAL(b)	(((b) & 0x80) != 0)
#define ZERO_LEN(b)	(((unsigned)(b) & 0x3f) + 1)
#define XZERO_LEN(b0, b1) (((((unsigned)(b0) & 0x3f) << 8) | (b1)) + 1)
#define VAL_VALUE(b)	((((unsigned)(b) >> 2) & 0x1f) + 1)
#define VAL_LEN(b)	(((unsigned)(b) & 3) + 1)
#define VAL_MAX_VALUE	32
#define VAL_MAX_LEN	4
#define ZERO_MAX_LEN	64
#define XZERO_MAX_LEN	16384

/* Header fields. */
#define HDR_ENC		HLL_HDR_ENC
#define HDR_CARD	8

static uint8_t
val_op(unsigned value, unsigned len)
{
	return (uint8_t)(0x80 | (value - 1) << 2 | (len - 1));
}

/* Writes a run of len zero registers as ZERO or XZERO at p; returns the bytes written. */
static size_t
put_zeros(uint8_t *p, unsigned len)
{
	if (len > ZERO_MAX_LEN) {
		p[0] = (uint8_t)(0x40 | (len - 1) >> 8);
		p[1] = (uint8_t)((len - 1) & 0xff);
		return 2;
	}
	p[0] = (uint8_t)(len - 1);
	return 1;
}

/* The second byte of the opcode at p, 0 where a NUL-terminated string would end. */
static unsigned
byte2(const uint8_t *p, const uint8_t *end)
{
	return p + 1 < end ? p[1] : 0;
}

uint64_t
hll_murmur64a(const void *key, size_t len, uint32_t seed)
{
	const uint64_t m = 0xc6a4a7935bd1e995ULL;
	const uint8_t *d = key;
	size_t nblocks = len / 8, tail = len & 7;
	uint64_t h = seed ^ ((uint64_t)len * m);

	for (size_t i = 0; i < nblocks; i++, d += 8) {
		uint64_t k = 0;

		for (int b = 7; b >= 0; b--)
			k = k << 8 | d[b];
		k *= m;
		k ^= k >> 47;
		k *= m;
		h ^= k;
		h *= m;
	}
	if (tail > 0) {
		for (size_t b = tail; b-- > 0;)
			h ^= (uint64_t)d[b] << (8 * b);
		h *= m;
	}
	h ^= h >> 47;
	h *= m;
	h ^= h >> 47;
	return h;
}

unsigned
hll_pattern(const void *ele, size_t len, unsigned *index)
{
	uint64_t hash = hll_murmur64a(ele, len, HLL_HASH_SEED);
	unsigned count = 1;

	*index = (unsigned)(hash & (HLL_REGISTERS - 1));
	/* The sentinel bit bounds the count at HLL_Q + 1. */
	hash = hash >> HLL_P | (uint64_t)1 << HLL_Q;
	while ((hash & 1) == 0) {
		count++;
		hash >>= 1;
	}
	return count;
}

/* Dense registers: 6 bits each, packed from the least significant bit of byte 0. */

unsigned
hll_dense_get(const unsigned char *regs, unsigned i)
{
	size_t byte = (size_t)i * 6 / 8;
	unsigned fb = (i * 6) & 7, v = regs[byte] >> fb;

	if (fb > 2)
		v |= (unsigned)regs[byte + 1] << (8 - fb);
	return v & HLL_REG_MAX;
}

static void
dense_put(unsigned char *regs, unsigned i, unsigned v)
{
	size_t byte = (size_t)i * 6 / 8;
	unsigned fb = (i * 6) & 7;

	regs[byte] = (uint8_t)((regs[byte] & ~(HLL_REG_MAX << fb)) | v << fb);
	if (fb > 2)
		regs[byte + 1] = (uint8_t)((regs[byte + 1] & ~(HLL_REG_MAX >> (8 - fb))) |
		    v >> (8 - fb));
}

/* Raises register i to count; returns 1 if it grew. */
static int
dense_raise(unsigned char *regs, unsigned i, unsigned count)
{
	if (count <= hll_dense_get(regs, i))
		return 0;
	dense_put(regs, i, count);
	return 1;
}

/* Histogram of the dense registers: four registers in every three bytes. */
static void
dense_histo(const unsigned char *r, int histo[64])
{
	for (size_t i = 0; i < HLL_REGISTERS / 4; i++, r += 3) {
		histo[r[0] & 63]++;
		histo[(r[0] >> 6 | r[1] << 2) & 63]++;
		histo[(r[1] >> 4 | r[2] << 4) & 63]++;
		histo[r[2] >> 2]++;
	}
}

/* Histogram of a sparse body; returns false if it does not cover HLL_REGISTERS registers. */
static bool
sparse_histo(const uint8_t *p, const uint8_t *end, int histo[64])
{
	long idx = 0;
	unsigned run;

	while (p < end) {
		if (OP_IS_ZERO(*p)) {
			run = ZERO_LEN(*p);
			histo[0] += (int)run;
			p++;
		} else if (OP_IS_XZERO(*p)) {
			run = XZERO_LEN(*p, byte2(p, end));
			histo[0] += (int)run;
			p += 2;
		} else {
			run = VAL_LEN(*p);
			histo[VAL_VALUE(*p)] += (int)run;
			p++;
		}
		idx += run;
	}
	return idx == HLL_REGISTERS;
}

/* Ertl's sigma and tau ("New cardinality estimation algorithms for HyperLogLog sketches"). */
static double
sigma(double x)
{
	double y = 1, z = x, prev;

	if (x == 1.)
		return INFINITY;
	do {
		x *= x;
		prev = z;
		z += x * y;
		y += y;
	} while (prev != z);
	return z;
}

static double
tau(double x)
{
	double y = 1.0, z, prev;

	if (x == 0. || x == 1.)
		return 0.;
	z = 1 - x;
	do {
		x = sqrt(x);
		prev = z;
		y *= 0.5;
		z -= pow(1 - x, 2) * y;
	} while (prev != z);
	return z / 3;
}

/* The estimate from a register histogram, with Redis' operation order (same doubles). */
static uint64_t
estimate(const int histo[64])
{
	double m = HLL_REGISTERS, z;

	z = m * tau((m - histo[HLL_Q + 1]) / m);
	for (int j = HLL_Q; j >= 1; j--) {
		z += histo[j];
		z *= 0.5;
	}
	z += m * sigma(histo[0] / m);
	return (uint64_t)llroundl(ALPHA_INF * m * m / z);
}

uint64_t
hll_count_registers(const uint8_t regs[HLL_REGISTERS])
{
	int histo[64] = { 0 };

	for (size_t i = 0; i < HLL_REGISTERS; i++)
		histo[regs[i] & 63]++;
	return estimate(histo);
}

bool
hll_count(const unsigned char *p, size_t len, uint64_t *card)
{
	int histo[64] = { 0 };

	if (p[HDR_ENC] == HLL_ENC_DENSE)
		dense_histo(p + HLL_HDR_SIZE, histo);
	else if (!sparse_histo(p + HLL_HDR_SIZE, p + len, histo))
		return false;
	*card = estimate(histo);
	return true;
}

bool
hll_cached(const unsigned char *p, uint64_t *card)
{
	uint64_t c = 0;

	if (p[HDR_CARD + 7] & 0x80)
		return false;
	for (int i = 7; i >= 0; i--)
		c = c << 8 | p[HDR_CARD + i];
	*card = c;
	return true;
}

void
hll_set_cache(struct obj *o, uint64_t card)
{
	struct tstr_raw *r = obj_ptr(o);

	for (int i = 0; i < 8; i++)
		r->buf[HDR_CARD + i] = (char)(card >> (8 * i) & 0xff);
}

void
hll_invalidate(struct obj *o)
{
	struct tstr_raw *r = obj_ptr(o);

	r->buf[HDR_CARD + 7] = (char)((uint8_t)r->buf[HDR_CARD + 7] | 0x80);
}

bool
hll_merge(uint8_t regs[HLL_REGISTERS], const unsigned char *p, size_t len)
{
	const uint8_t *end = p + len;
	long i = 0;

	if (p[HDR_ENC] == HLL_ENC_DENSE) {
		for (unsigned j = 0; j < HLL_REGISTERS; j++) {
			unsigned v = hll_dense_get(p + HLL_HDR_SIZE, j);

			if (v > regs[j])
				regs[j] = (uint8_t)v;
		}
		return true;
	}
	for (p += HLL_HDR_SIZE; p < end;) {
		if (OP_IS_ZERO(*p)) {
			i += ZERO_LEN(*p);
			p++;
		} else if (OP_IS_XZERO(*p)) {
			i += XZERO_LEN(*p, byte2(p, end));
			p += 2;
		} else {
			unsigned run = VAL_LEN(*p), v = VAL_VALUE(*p);

			if (i + run > HLL_REGISTERS)
				return false;
			for (; run > 0; run--, i++)
				if (v > regs[i])
					regs[i] = (uint8_t)v;
			p++;
		}
	}
	return i == HLL_REGISTERS;
}

/*
 * Returns a new dense payload for the sparse HLL r (header and cache copied), or NULL if its
 * body is corrupt.
 */
static struct tstr_raw *
sparse_to_dense(const struct tstr_raw *r)
{
	struct tstr_raw *d = tstr_raw_new(NULL, HLL_DENSE_SIZE);
	const uint8_t *p = (const uint8_t *)r->buf + HLL_HDR_SIZE;
	const uint8_t *end = (const uint8_t *)r->buf + r->len;
	unsigned char *regs = (unsigned char *)d->buf + HLL_HDR_SIZE;
	long idx = 0;

	memcpy(d->buf, r->buf, HLL_HDR_SIZE);
	d->buf[HDR_ENC] = HLL_ENC_DENSE;
	while (p < end) {
		if (OP_IS_ZERO(*p)) {
			idx += ZERO_LEN(*p);
			p++;
		} else if (OP_IS_XZERO(*p)) {
			idx += XZERO_LEN(*p, byte2(p, end));
			p += 2;
		} else {
			unsigned run = VAL_LEN(*p), v = VAL_VALUE(*p);

			if (idx + run > HLL_REGISTERS) {
				xfree(d);
				return NULL;
			}
			for (; run > 0; run--, idx++)
				dense_put(regs, (unsigned)idx, v);
			p++;
		}
	}
	if (idx != HLL_REGISTERS) {
		xfree(d);
		return NULL;
	}
	return d;
}

/* Makes *rp dense; returns 1 if converted, 0 if it was dense, -1 if corrupt. */
static int
raw_to_dense(struct tstr_raw **rp)
{
	struct tstr_raw *d;

	if ((uint8_t)(*rp)->buf[HDR_ENC] == HLL_ENC_DENSE)
		return 0;
	if ((d = sparse_to_dense(*rp)) == NULL)
		return -1;
	xfree(*rp);
	*rp = d;
	return 1;
}

int
hll_to_dense(struct obj *o)
{
	struct tstr_raw *r = obj_ptr(o);
	int rc = raw_to_dense(&r);

	obj_set_ptr(o, r);
	return rc;
}

/*
 * Room for a sparse update: capacity for the body to grow by 3 bytes plus the terminating 0
 * that the opcode readers may see, as Redis has after sdsMakeRoomFor(3).
 */
static struct tstr_raw *
sparse_room(struct tstr_raw *r)
{
	size_t need = r->len + 4;

	if (tstr_raw_cap(r) < need) {
		size_t want = need * 2;

		if (want > hll_sparse_max_bytes + 4 && need <= hll_sparse_max_bytes + 4)
			want = hll_sparse_max_bytes + 4;
		r = xrealloc(r, sizeof *r + want);
	}
	r->buf[r->len] = 0;
	return r;
}

/*
 * Raises register index of the sparse HLL *rp to count, as Redis' hllSparseSet: returns 1 if
 * it grew (the cache is then invalidated), 0 if not, -1 if the body is corrupt. May make *rp
 * dense (a value over 32, or a result longer than hll_sparse_max_bytes).
 */
static int
sparse_set(struct tstr_raw **rp, unsigned index, unsigned count)
{
	struct tstr_raw *r;
	uint8_t *base, *p, *end, *prev = NULL, *next;
	uint8_t seq[5];
	size_t n = 0, oldlen;
	long first = 0, span = 0, last, delta;
	unsigned run;
	int scan;

	if (count > VAL_MAX_VALUE)
		goto promote;
	r = *rp = sparse_room(*rp);
	base = p = (uint8_t *)r->buf + HLL_HDR_SIZE;
	end = (uint8_t *)r->buf + r->len;

	/* Find the opcode covering index. */
	while (p < end) {
		size_t oplen = 1;

		if (OP_IS_ZERO(*p))
			span = ZERO_LEN(*p);
		else if (OP_IS_VAL(*p))
			span = VAL_LEN(*p);
		else {
			span = XZERO_LEN(*p, p[1]);
			oplen = 2;
		}
		if (index <= first + span - 1)
			break;
		prev = p;
		p += oplen;
		first += span;
	}
	if (span == 0 || p >= end)
		return -1;
	next = OP_IS_XZERO(*p) ? p + 2 : p + 1;
	if (next >= end)
		next = NULL;

	if (OP_IS_VAL(*p)) {
		if (VAL_VALUE(*p) >= count)
			return 0;
		if (VAL_LEN(*p) == 1) {
			*p = val_op(count, 1);
			goto merge;
		}
	} else if (OP_IS_ZERO(*p) && ZERO_LEN(*p) == 1) {
		*p = val_op(count, 1);
		goto merge;
	}

	/* Split the opcode into up to three: before, the register, after. */
	last = first + span - 1;
	if (OP_IS_VAL(*p)) {
		unsigned cur = VAL_VALUE(*p);

		if (index != first)
			seq[n++] = val_op(cur, (unsigned)(index - first));
		seq[n++] = val_op(count, 1);
		if (index != last)
			seq[n++] = val_op(cur, (unsigned)(last - index));
	} else {
		if (index != first)
			n += put_zeros(seq + n, (unsigned)(index - first));
		seq[n++] = val_op(count, 1);
		if (index != last)
			n += put_zeros(seq + n, (unsigned)(last - index));
	}
	oldlen = OP_IS_XZERO(*p) ? 2 : 1;
	delta = (long)n - (long)oldlen;
	if (delta > 0 && r->len + (size_t)delta > hll_sparse_max_bytes)
		goto promote;
	if (delta != 0 && next != NULL)
		memmove(next + delta, next, (size_t)(end - next));
	r->len = (uint64_t)((long)r->len + delta);
	r->buf[r->len] = 0;
	memcpy(p, seq, n);
	end += delta;

merge:
	/*
	 * Merge equal adjacent VAL opcodes, looking at most five opcodes from the one before the
	 * change (Redis' window: the result depends on it).
	 */
	p = prev != NULL ? prev : base;
	scan = 5;
	while (p < end && scan-- > 0) {
		if (OP_IS_XZERO(*p)) {
			p += 2;
			continue;
		}
		if (OP_IS_ZERO(*p)) {
			p++;
			continue;
		}
		if (p + 1 < end && OP_IS_VAL(p[1]) && VAL_VALUE(*p) == VAL_VALUE(p[1])) {
			run = VAL_LEN(*p) + VAL_LEN(p[1]);
			if (run <= VAL_MAX_LEN) {
				p[1] = val_op(VAL_VALUE(*p), run);
				memmove(p, p + 1, (size_t)(end - p));
				r->len--;
				end--;
				continue;
			}
		}
		p++;
	}
	r->buf[HDR_CARD + 7] = (char)((uint8_t)r->buf[HDR_CARD + 7] | 0x80);
	return 1;

promote:
	if (raw_to_dense(rp) < 0)
		return -1;
	return dense_raise((unsigned char *)(*rp)->buf + HLL_HDR_SIZE, index, count);
}

/* Raises register index of raw HLL *rp to count (either encoding); 1, 0 or -1. */
static int
raw_set(struct tstr_raw **rp, unsigned index, unsigned count)
{
	switch ((uint8_t)(*rp)->buf[HDR_ENC]) {
	case HLL_ENC_DENSE:
		return dense_raise((unsigned char *)(*rp)->buf + HLL_HDR_SIZE, index, count);
	case HLL_ENC_SPARSE:
		return sparse_set(rp, index, count);
	default:
		return -1;
	}
}

static int
raw_add(struct tstr_raw **rp, const void *ele, size_t len)
{
	unsigned index, count = hll_pattern(ele, len, &index);

	return raw_set(rp, index, count);
}

int
hll_add(struct obj *o, const void *ele, size_t len)
{
	struct tstr_raw *r = obj_ptr(o);
	int rc = raw_add(&r, ele, len);

	obj_set_ptr(o, r);
	return rc;
}

void
hll_store_registers(struct obj *o, const uint8_t regs[HLL_REGISTERS])
{
	struct tstr_raw *r = obj_ptr(o);

	for (unsigned i = 0; i < HLL_REGISTERS; i++)
		if (regs[i] != 0)
			(void)raw_set(&r, i, regs[i]);
	obj_set_ptr(o, r);
	hll_invalidate(o);
}

/* A new empty sparse HLL: the header and one XZERO opcode covering every register. */
static struct tstr_raw *
raw_new_sparse(void)
{
	struct tstr_raw *r = tstr_raw_new(NULL, HLL_HDR_SIZE + 2);

	memcpy(r->buf, "HYLL", 4);
	r->buf[HDR_ENC] = HLL_ENC_SPARSE;
	put_zeros((uint8_t *)r->buf + HLL_HDR_SIZE, HLL_REGISTERS);
	return r;
}

struct obj *
hll_create(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct obj_value v;

	memset(&v, 0, sizeof v);
	v.type = OBJ_STRING;
	v.enc = OBJ_ENC_RAW;
	v.ptr = raw_new_sparse();
	return store_set_value(db, key, klen, &v, OBJ_NO_EXPIRE, now_ms);
}

struct obj *
hll_unshare(struct db *db, const char *key, size_t klen, struct obj *o, int64_t now_ms)
{
	(void)tstr_unshare(db, key, klen, &o, 0, now_ms);
	return o;
}

const unsigned char *
hll_bytes(const struct obj *o, size_t *len)
{
	char ibuf[TSTR_INT_BUF];

	return (const unsigned char *)tstr_get(o, ibuf, len);
}

enum hll_result
hll_check(const struct obj *o)
{
	const unsigned char *p;
	size_t len;

	if (obj_type(o) != OBJ_STRING)
		return HLL_WRONGTYPE;
	if (obj_encoding(o) == OBJ_ENC_INT)
		return HLL_NOT_HLL;
	p = hll_bytes(o, &len);
	if (len < HLL_HDR_SIZE || memcmp(p, "HYLL", 4) != 0 || p[HDR_ENC] > HLL_ENC_SPARSE)
		return HLL_NOT_HLL;
	if (p[HDR_ENC] == HLL_ENC_DENSE && len != HLL_DENSE_SIZE)
		return HLL_NOT_HLL;
	return HLL_OK;
}

/* Appends the decimal digits of v to out (room checked by the caller). */
static size_t
put_uint(char *out, unsigned v)
{
	char tmp[12];
	size_t n = 0, k = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		out[k++] = tmp[--n];
	return k;
}

char *
hll_decode(const unsigned char *p, size_t len, size_t *outlen)
{
	const uint8_t *end = p + len;
	/* Longest item "v:32,4 " is 7 bytes, "Z:16384 " 8, per opcode byte at most 8. */
	char *out = xmalloc(len * 8 + 1);
	size_t n = 0;

	for (p += HLL_HDR_SIZE; p < end;) {
		if (OP_IS_ZERO(*p)) {
			memcpy(out + n, "z:", 2);
			n += 2 + put_uint(out + n + 2, ZERO_LEN(*p));
			p++;
		} else if (OP_IS_XZERO(*p)) {
			memcpy(out + n, "Z:", 2);
			n += 2 + put_uint(out + n + 2, XZERO_LEN(*p, byte2(p, end)));
			p += 2;
		} else {
			memcpy(out + n, "v:", 2);
			n += 2 + put_uint(out + n + 2, VAL_VALUE(*p));
			out[n++] = ',';
			n += put_uint(out + n, VAL_LEN(*p));
			p++;
		}
		out[n++] = ' ';
	}
	if (n > 0)
		n--;
	out[n] = '\0';
	*outlen = n;
	return out;
}

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *s = x;
}

const char *
hll_selftest(uint64_t seed, unsigned n)
{
	unsigned char *regs = xcalloc(1, HLL_DENSE_SIZE);
	uint8_t *want = xmalloc(HLL_REGISTERS);
	struct tstr_raw *dense = raw_new_sparse(), *sparse = raw_new_sparse();
	const char *err = NULL;
	uint64_t rng = seed | 1, checkpoint = 1, a, b;

	/* Register access: every register keeps its value and leaves its neighbours alone. */
	for (int cycle = 0; cycle < 64 && err == NULL; cycle++) {
		for (unsigned i = 0; i < HLL_REGISTERS; i++) {
			want[i] = (uint8_t)(xorshift(&rng) & HLL_REG_MAX);
			dense_put(regs, i, want[i]);
		}
		for (unsigned i = 0; i < HLL_REGISTERS; i++)
			if (hll_dense_get(regs, i) != want[i]) {
				err = "TESTFAILED Register access";
				break;
			}
	}
	(void)raw_to_dense(&dense);
	for (uint64_t j = 1; j <= n && err == NULL; j++) {
		uint64_t ele = j ^ seed;

		(void)raw_add(&dense, &ele, sizeof ele);
		(void)raw_add(&sparse, &ele, sizeof ele);
		if (j != checkpoint)
			continue;
		checkpoint *= 10;
		if (j < hll_sparse_max_bytes / 2 && sparse->buf[HDR_ENC] != HLL_ENC_SPARSE) {
			err = "TESTFAILED sparse encoding not used";
			break;
		}
		if (!hll_count((unsigned char *)dense->buf, dense->len, &a) ||
		    !hll_count((unsigned char *)sparse->buf, sparse->len, &b) || a != b) {
			err = "TESTFAILED dense/sparse disagree";
			break;
		}
		if (fabs((double)j - (double)a) > (j == 10 ? 1 :
		    ceil(1.04 / sqrt(HLL_REGISTERS) * 6 * (double)j))) {
			err = "TESTFAILED Too big error";
			break;
		}
	}
	xfree(regs);
	xfree(want);
	xfree(dense);
	xfree(sparse);
	return err;
}
