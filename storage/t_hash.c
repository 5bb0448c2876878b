/*
 * t_hash.c: the hash type (see t_hash.h for the encodings and the expiry rules).
 *
 * Start reading at thash_get and thash_set: each switches over the three encodings. The
 * listpack helpers (lp_*, lpx_*) work on Redis' byte format; the hashtable keeps one
 * allocation per field (hf_*), which is the dict entry itself:
 *
 *   flags (1 byte)     HF_TTL, and the size classes of the two lengths (1, 4 or 8 bytes)
 *   field length, value length
 *   [expiry]           8 bytes, unix ms, only with HF_TTL
 *   field bytes, value bytes
 *
 * so a field of 10 bytes with a value of 10 bytes costs 23 bytes (a 32-byte chunk) and its
 * dict slot, where Redis spends a dictEntry, an mstr and an sds. A hash without field TTLs
 * pays nothing for the feature: the flag bit is clear and the hash's TTL count is zero, which
 * every walk checks once before looking at expiry times.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/dict.h"
#include "storage/listpack.h"
#include "storage/store.h"
#include "storage/store_int.h"
#include "storage/t_hash.h"

/* Redis' LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past 1 GiB. */
#define LP_SAFETY_SIZE	(1u << 30)

/* ---- hashtable entries ---- */

#define HF_TTL		0x01
#define HF_FCLS(fl)	(((fl) >> 1) & 3)
#define HF_VCLS(fl)	(((fl) >> 3) & 3)

static const unsigned char hf_clsz[3] = { 1, 4, 8 };

/* A hashtable-encoded hash: the dict, the number of fields with a TTL, and a lower bound of
 * their expiry times (exact after every full walk). */
struct thash_ht {
	struct dict d;
	size_t nttl;
	int64_t min_hint;
};

static unsigned
len_class(size_t n)
{
	if (n < 256)
		return 0;
	if (n <= UINT32_MAX)
		return 1;
	return 2;
}

static size_t
rd_len(const unsigned char *p, unsigned cls)
{
	uint32_t v32;
	uint64_t v64;

	switch (cls) {
	case 0:
		return p[0];
	case 1:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return (size_t)v64;
	}
}

static void
wr_len(unsigned char *p, unsigned cls, size_t n)
{
	uint32_t v32 = (uint32_t)n;
	uint64_t v64 = n;

	switch (cls) {
	case 0:
		p[0] = (unsigned char)n;
		break;
	case 1:
		memcpy(p, &v32, 4);
		break;
	default:
		memcpy(p, &v64, 8);
		break;
	}
}

/* Decodes entry e into *out. */
static void
hf_parse(const unsigned char *e, struct thash_field *out)
{
	unsigned fl = e[0], fc = HF_FCLS(fl), vc = HF_VCLS(fl);
	const unsigned char *p = e + 1;

	out->flen = rd_len(p, fc);
	p += hf_clsz[fc];
	out->vlen = rd_len(p, vc);
	p += hf_clsz[vc];
	out->expire = THASH_NO_TTL;
	if (fl & HF_TTL) {
		memcpy(&out->expire, p, 8);
		p += 8;
	}
	out->f = (const char *)p;
	out->v = (const char *)p + out->flen;
}

static int64_t
hf_expire(const unsigned char *e)
{
	struct thash_field f;

	if (!(e[0] & HF_TTL))
		return THASH_NO_TTL;
	hf_parse(e, &f);
	return f.expire;
}

static size_t
hf_size_for(size_t flen, size_t vlen, bool ttl)
{
	return 1 + hf_clsz[len_class(flen)] + hf_clsz[len_class(vlen)] + (ttl ? 8 : 0) + flen +
	    vlen;
}

static size_t
hf_size(const unsigned char *e)
{
	struct thash_field f;

	hf_parse(e, &f);
	return (size_t)(f.v + f.vlen - (const char *)e);
}

/* Returns a new entry (xfree it) for field f, value v and expiry (THASH_NO_TTL: none). */
static unsigned char *
hf_new(const char *f, size_t flen, const char *v, size_t vlen, int64_t expire)
{
	unsigned fc = len_class(flen), vc = len_class(vlen);
	bool ttl = expire != THASH_NO_TTL;
	unsigned char *e = xmalloc(hf_size_for(flen, vlen, ttl)), *p = e + 1;

	e[0] = (unsigned char)((ttl ? HF_TTL : 0) | fc << 1 | vc << 3);
	wr_len(p, fc, flen);
	p += hf_clsz[fc];
	wr_len(p, vc, vlen);
	p += hf_clsz[vc];
	if (ttl) {
		memcpy(p, &expire, 8);
		p += 8;
	}
	if (flen > 0)
		memcpy(p, f, flen);
	if (vlen > 0)
		memcpy(p + flen, v, vlen);
	return e;
}

static const char *
hf_key(const void *e, size_t *len)
{
	struct thash_field f;

	hf_parse(e, &f);
	*len = f.flen;
	return f.f;
}

static const struct dict_type hf_dict_type = { hf_key };

static struct thash_ht *
ht_new(size_t hint)
{
	struct thash_ht *h = xmalloc(sizeof *h);

	/* The table's address perturbs its hash function, so hashes do not share collisions. */
	dict_init(&h->d, &hf_dict_type, (uint64_t)(uintptr_t)h * 0x9e3779b97f4a7c15ULL);
	h->nttl = 0;
	h->min_hint = INT64_MAX;
	if (hint > 0)
		dict_expand(&h->d, hint);
	return h;
}

static void
hf_free_cb(void *e, void *arg)
{
	(void)arg;
	xfree(e);
}

static void
ht_free(struct thash_ht *h)
{
	dict_release(&h->d, hf_free_cb, NULL);
	xfree(h);
}

/* Visits every entry once (the dict is not changed meanwhile). */
static void
ht_walk(struct thash_ht *h, dict_scan_fn fn, void *arg)
{
	uint64_t c = 0;

	do {
		c = dict_scan(&h->d, c, fn, arg);
	} while (c != 0);
}

static void
ht_note_ttl(struct thash_ht *h, int64_t expire)
{
	h->nttl++;
	if (expire < h->min_hint)
		h->min_hint = expire;
}

/* Adds a field known to be absent. */
static void
ht_add(struct thash_ht *h, const char *f, size_t flen, const char *v, size_t vlen,
    int64_t expire)
{
	dict_add(&h->d, hf_new(f, flen, v, vlen, expire));
	if (expire != THASH_NO_TTL)
		ht_note_ttl(h, expire);
}

static inline bool
expired_at(int64_t expire, int64_t now)
{
	return expire != THASH_NO_TTL && expire < now;
}

/* ---- listpack helpers ---- */

static unsigned
tuple_of(enum obj_encoding enc)
{
	return enc == OBJ_ENC_LISTPACK_EX ? 3 : 2;
}

/* The field entry of f in a listpack of tuples, or NULL. */
static unsigned char *
lp_field(const unsigned char *lp, unsigned tuple, const char *f, size_t flen)
{
	return lp_find(lp, lp_first(lp), f, flen, tuple - 1);
}

static int64_t
lp_ttl_at(const unsigned char *p)
{
	int64_t t = THASH_NO_TTL;

	(void)lp_get_int(p, &t);
	return t;
}

/* Expiry of the triple whose field entry is fp. */
static int64_t
lpx_ttl(const unsigned char *lp, const unsigned char *fp)
{
	return lp_ttl_at(lp_next(lp, lp_next(lp, fp)));
}

/*
 * Adds a triple to a listpackex, keeping the order: fields with a TTL by ascending expiry
 * before the others (a new one goes before the first triple with no TTL or a later or equal
 * one, as Redis' listpackExAddInternal). v must not point into lp.
 */
static unsigned char *
lpx_add(unsigned char *lp, const char *f, size_t flen, const char *v, size_t vlen,
    int64_t expire)
{
	unsigned char *p = NULL, *q;

	if (expire != THASH_NO_TTL) {
		for (p = lp_first(lp); p != NULL; p = lp_next(lp, q)) {
			int64_t t;

			q = lp_next(lp, lp_next(lp, p));
			t = lp_ttl_at(q);
			if (t == THASH_NO_TTL || t >= expire)
				break;
		}
	}
	if (p == NULL) {
		lp = lp_append(lp, f, flen);
		lp = lp_append(lp, v, vlen);
		return lp_append_int(lp, expire);
	}
	lp = lp_insert(lp, p, f, flen, LP_BEFORE, &q);
	lp = lp_insert(lp, q, v, vlen, LP_AFTER, &q);
	return lp_insert_int(lp, q, expire, LP_AFTER, NULL);
}

/* Moves the triple at fp to the place its new expiry gives it. */
static unsigned char *
lpx_retime(unsigned char *lp, unsigned char *fp, const char *f, size_t flen, int64_t expire)
{
	char ibuf[LP_INTBUF], small[256];
	const unsigned char *vs;
	size_t vlen;
	char *heap = NULL;
	const char *v;

	vs = (const unsigned char *)lp_get_str(lp_next(lp, fp), &vlen, ibuf);
	if (vs == (const unsigned char *)ibuf) {
		v = ibuf;
	} else if (vlen <= sizeof small) {
		memcpy(small, vs, vlen);
		v = small;
	} else {
		heap = xmalloc(vlen);
		memcpy(heap, vs, vlen);
		v = heap;
	}
	lp = lp_delete_range_p(lp, fp, 3);
	lp = lpx_add(lp, f, flen, v, vlen, expire);
	xfree(heap);
	return lp;
}

/* A listpack of pairs -> triples with no TTL, same order. */
static unsigned char *
lp_to_lpx(const unsigned char *lp)
{
	unsigned char *x = lp_new(lp_bytes(lp) + lp_length(lp) / 2 * 2);

	for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
		char fb[LP_INTBUF], vb[LP_INTBUF];
		const char *f, *v;
		size_t flen, vlen;

		f = (const char *)lp_get_str(p, &flen, fb);
		p = lp_next(lp, p);
		v = (const char *)lp_get_str(p, &vlen, vb);
		x = lp_append(x, f, flen);
		x = lp_append(x, v, vlen);
		x = lp_append_int(x, THASH_NO_TTL);
	}
	return x;
}

/*
 * A listpack of tuples -> a hashtable. Returns NULL (nothing allocated) if a field repeats:
 * only possible for a blob from outside.
 */
static struct thash_ht *
lp_to_ht(const unsigned char *lp, unsigned tuple, size_t hint)
{
	size_t n = lp_length(lp) / tuple;
	struct thash_ht *h = ht_new(n > hint ? n : hint);

	for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
		char fb[LP_INTBUF], vb[LP_INTBUF];
		const char *f, *v;
		size_t flen, vlen;
		int64_t t = THASH_NO_TTL;

		f = (const char *)lp_get_str(p, &flen, fb);
		p = lp_next(lp, p);
		v = (const char *)lp_get_str(p, &vlen, vb);
		if (tuple == 3) {
			p = lp_next(lp, p);
			t = lp_ttl_at(p);
		}
		if (dict_find(&h->d, f, flen) != NULL) {
			ht_free(h);
			return NULL;
		}
		ht_add(h, f, flen, v, vlen, t);
	}
	return h;
}

/* ---- payload hooks ---- */

void
thash_payload_free(enum obj_encoding enc, void *p)
{
	if (p == NULL)
		return;
	if (enc == OBJ_ENC_HASHTABLE)
		ht_free(p);
	else
		lp_free(p);
}

static void
dup_cb(void *e, void *arg)
{
	struct thash_ht *to = arg;
	size_t n = hf_size(e);
	unsigned char *c = xmalloc(n);

	memcpy(c, e, n);
	dict_add(&to->d, c);
}

void *
thash_payload_dup(enum obj_encoding enc, const void *p)
{
	struct thash_ht *from, *to;

	if (enc != OBJ_ENC_HASHTABLE)
		return lp_dup(p);
	from = (struct thash_ht *)(uintptr_t)p;
	to = ht_new(dict_size(&from->d));
	ht_walk(from, dup_cb, to);
	to->nttl = from->nttl;
	to->min_hint = from->min_hint;
	return to;
}

static void
mem_cb(void *e, void *arg)
{
	*(size_t *)arg += xsize(e);
}

size_t
thash_payload_mem(enum obj_encoding enc, const void *p)
{
	struct thash_ht *h;
	size_t n;

	if (enc != OBJ_ENC_HASHTABLE)
		return xsize(p);
	h = (struct thash_ht *)(uintptr_t)p;
	n = xsize(h) + dict_mem_usage(&h->d);
	ht_walk(h, mem_cb, &n);
	return n;
}

void
thash_value_new(struct obj_value *v)
{
	memset(v, 0, sizeof *v);
	v->type = OBJ_HASH;
	v->enc = OBJ_ENC_LISTPACK;
	v->ptr = lp_new(0);
}

/* ---- reads ---- */

size_t
thash_len(const struct obj *o)
{
	enum obj_encoding enc = obj_encoding(o);

	if (enc == OBJ_ENC_HASHTABLE)
		return dict_size(&((struct thash_ht *)obj_ptr(o))->d);
	return lp_length(obj_ptr(o)) / tuple_of(enc);
}

struct count_ctx {
	int64_t now;
	size_t n;
	int64_t min;
};

static void
count_live_cb(void *e, void *arg)
{
	struct count_ctx *c = arg;
	int64_t t = hf_expire(e);

	if (!expired_at(t, c->now))
		c->n++;
}

size_t
thash_live_len(const struct obj *o, int64_t now)
{
	enum obj_encoding enc = obj_encoding(o);
	struct thash_ht *h;
	struct count_ctx c = { now, 0, 0 };

	switch (enc) {
	case OBJ_ENC_LISTPACK:
		return thash_len(o);
	case OBJ_ENC_LISTPACK_EX: {
		const unsigned char *lp = obj_ptr(o);
		size_t n = lp_length(lp) / 3, gone = 0;

		/* Fields with a TTL come first, by expiry: count the expired prefix. */
		for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
			p = lp_next(lp, lp_next(lp, p));
			if (!expired_at(lp_ttl_at(p), now))
				break;
			gone++;
		}
		return n - gone;
	}
	default:
		h = obj_ptr(o);
		if (h->nttl == 0 || h->min_hint >= now)
			return dict_size(&h->d);
		ht_walk(h, count_live_cb, &c);
		return c.n;
	}
}

static void
min_cb(void *e, void *arg)
{
	struct count_ctx *c = arg;
	int64_t t = hf_expire(e);

	if (t != THASH_NO_TTL && (c->min == THASH_NO_TTL || t < c->min))
		c->min = t;
}

int64_t
thash_min_expire(const struct obj *o)
{
	struct count_ctx c = { 0, 0, THASH_NO_TTL };
	struct thash_ht *h;
	const unsigned char *lp;
	unsigned char *p;

	switch (obj_encoding(o)) {
	case OBJ_ENC_LISTPACK:
		return THASH_NO_TTL;
	case OBJ_ENC_LISTPACK_EX:
		lp = obj_ptr(o);
		p = lp_first(lp);
		return p == NULL ? THASH_NO_TTL : lpx_ttl(lp, p);
	default:
		h = obj_ptr(o);
		if (h->nttl == 0)
			return THASH_NO_TTL;
		ht_walk(h, min_cb, &c);
		h->min_hint = c.min;
		return c.min;
	}
}

bool
thash_get(const struct obj *o, const char *f, size_t flen, int64_t now, char buf[THASH_BUF],
    struct thash_field *out)
{
	enum obj_encoding enc = obj_encoding(o);
	const unsigned char *lp, *v;
	unsigned char *p, *e;

	if (enc == OBJ_ENC_HASHTABLE) {
		e = dict_find(&((struct thash_ht *)obj_ptr(o))->d, f, flen);
		if (e == NULL)
			return false;
		hf_parse(e, out);
		return !expired_at(out->expire, now);
	}
	lp = obj_ptr(o);
	p = lp_field(lp, tuple_of(enc), f, flen);
	if (p == NULL)
		return false;
	out->f = f;
	out->flen = flen;
	p = lp_next(lp, p);
	v = lp_get_str(p, &out->vlen, buf);
	out->v = (const char *)v;
	out->expire = enc == OBJ_ENC_LISTPACK_EX ? lp_ttl_at(lp_next(lp, p)) : THASH_NO_TTL;
	return !expired_at(out->expire, now);
}

/* Walks the tuples of a listpack hash, calling fn for the visible ones. */
static void
lp_walk(const unsigned char *lp, unsigned tuple, int64_t now, thash_fn fn, void *arg)
{
	for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
		char fb[LP_INTBUF], vb[LP_INTBUF];
		struct thash_field f;

		f.f = (const char *)lp_get_str(p, &f.flen, fb);
		p = lp_next(lp, p);
		f.v = (const char *)lp_get_str(p, &f.vlen, vb);
		f.expire = THASH_NO_TTL;
		if (tuple == 3) {
			p = lp_next(lp, p);
			f.expire = lp_ttl_at(p);
			if (expired_at(f.expire, now))
				continue;
		}
		fn(&f, arg);
	}
}

struct walk_ctx {
	int64_t now;
	bool check;		/* the hash has TTLs: test each field */
	thash_fn fn;
	void *arg;
	size_t sampled;
};

static void
walk_cb(void *e, void *arg)
{
	struct walk_ctx *w = arg;
	struct thash_field f;

	w->sampled++;
	hf_parse(e, &f);
	if (w->check && expired_at(f.expire, w->now))
		return;
	w->fn(&f, w->arg);
}

void
thash_foreach(struct obj *o, int64_t now, thash_fn fn, void *arg)
{
	enum obj_encoding enc = obj_encoding(o);
	struct thash_ht *h;
	struct walk_ctx w = { now, false, fn, arg, 0 };

	if (enc != OBJ_ENC_HASHTABLE) {
		lp_walk(obj_ptr(o), tuple_of(enc), now, fn, arg);
		return;
	}
	h = obj_ptr(o);
	w.check = h->nttl > 0;
	ht_walk(h, walk_cb, &w);
}

uint64_t
thash_scan(struct obj *o, uint64_t cursor, size_t count, int64_t now, thash_fn fn, void *arg)
{
	struct walk_ctx w = { now, false, fn, arg, 0 };
	struct thash_ht *h;
	size_t maxiter;

	if (obj_encoding(o) != OBJ_ENC_HASHTABLE) {
		thash_foreach(o, now, fn, arg);
		return 0;
	}
	h = obj_ptr(o);
	w.check = h->nttl > 0;
	maxiter = count > SIZE_MAX / 10 ? SIZE_MAX : count * 10;
	do {
		cursor = dict_scan(&h->d, cursor, walk_cb, &w);
	} while (cursor != 0 && maxiter-- > 0 && w.sampled < count);
	return cursor;
}

/* ---- HRANDFIELD ---- */

/* The field entries of a listpack hash, in order (xfree the array). */
static unsigned char **
lp_fields(const unsigned char *lp, unsigned tuple, size_t *n)
{
	size_t cap = lp_length(lp) / tuple, i = 0;
	unsigned char **v = xmalloc((cap > 0 ? cap : 1) * sizeof *v);

	for (unsigned char *p = lp_first(lp); p != NULL && i < cap; ) {
		v[i++] = p;
		for (unsigned k = 0; k < tuple && p != NULL; k++)
			p = lp_next(lp, p);
	}
	*n = i;
	return v;
}

static void
emit_lp(const unsigned char *lp, unsigned char *p, unsigned tuple, thash_fn fn, void *arg)
{
	char fb[LP_INTBUF], vb[LP_INTBUF];
	struct thash_field f;

	f.f = (const char *)lp_get_str(p, &f.flen, fb);
	p = lp_next(lp, p);
	f.v = (const char *)lp_get_str(p, &f.vlen, vb);
	f.expire = tuple == 3 ? lp_ttl_at(lp_next(lp, p)) : THASH_NO_TTL;
	fn(&f, arg);
}

static void
emit_hf(const unsigned char *e, thash_fn fn, void *arg)
{
	struct thash_field f;

	hf_parse(e, &f);
	fn(&f, arg);
}

struct collect_ctx {
	void **v;
	size_t n;
};

static void
collect_cb(void *e, void *arg)
{
	struct collect_ctx *c = arg;

	c->v[c->n++] = e;
}

/* A set of entry pointers for the distinct picks (open addressing, power-of-two size). */
static bool
ptrset_add(void **set, size_t mask, void *e)
{
	size_t i = (size_t)(((uintptr_t)e >> 4) * 0x9e3779b97f4a7c15ULL) & mask;

	while (set[i] != NULL) {
		if (set[i] == e)
			return false;
		i = (i + 1) & mask;
	}
	set[i] = e;
	return true;
}

static void
random_ht(struct thash_ht *h, uint64_t *rng, int64_t count, thash_fn fn, void *arg)
{
	size_t size = dict_size(&h->d), want;

	if (count < 0 || count == 1) {
		uint64_t n = count < 0 ? (uint64_t)0 - (uint64_t)count : 1;

		while (n-- > 0)
			emit_hf(dict_random(&h->d, rng), fn, arg);
		return;
	}
	want = (size_t)count;
	if (want * 3 > size) {
		/* Most of the hash: drop random entries from the whole list (Redis' CASE 3). */
		struct collect_ctx c = { xmalloc(size * sizeof(void *)), 0 };

		ht_walk(h, collect_cb, &c);
		while (c.n > want) {
			size_t i = dict_rand(rng) % c.n;

			c.v[i] = c.v[--c.n];
		}
		for (size_t i = 0; i < c.n; i++)
			emit_hf(c.v[i], fn, arg);
		xfree(c.v);
		return;
	}
	/* A few of many: draw until enough distinct ones (CASE 4). */
	{
		size_t cap = 16, got = 0;
		void **set;

		while (cap < want * 2)
			cap <<= 1;
		set = xcalloc(cap, sizeof *set);
		while (got < want) {
			void *e = dict_random(&h->d, rng);

			if (!ptrset_add(set, cap - 1, e))
				continue;
			got++;
			emit_hf(e, fn, arg);
		}
		xfree(set);
	}
}

void
thash_random(struct db *db, struct obj *o, int64_t count, thash_fn fn, void *arg)
{
	enum obj_encoding enc = obj_encoding(o);
	uint64_t *rng = &db->store->rng;
	const unsigned char *lp;
	unsigned char **v;
	unsigned tuple;
	size_t n;

	if (count == 0 || thash_len(o) == 0)
		return;
	if (enc == OBJ_ENC_HASHTABLE) {
		if (count > 0 && (uint64_t)count >= thash_len(o)) {
			thash_foreach(o, THASH_SEE_ALL, fn, arg);
			return;
		}
		random_ht(obj_ptr(o), rng, count, fn, arg);
		return;
	}
	lp = obj_ptr(o);
	tuple = tuple_of(enc);
	v = lp_fields(lp, tuple, &n);
	if (count < 0 || count == 1) {
		uint64_t k = count < 0 ? (uint64_t)0 - (uint64_t)count : 1;

		while (k-- > 0)
			emit_lp(lp, v[dict_rand(rng) % n], tuple, fn, arg);
	} else {
		/* Distinct picks in listpack order (selection sampling), as lpRandomPairsUnique. */
		size_t want = (uint64_t)count < n ? (size_t)count : n;

		for (size_t i = 0; i < n && want > 0; i++) {
			if (dict_rand(rng) % (n - i) < want) {
				emit_lp(lp, v[i], tuple, fn, arg);
				want--;
			}
		}
	}
	xfree(v);
}

/* ---- writes ---- */

void
thash_convert(struct obj *o, enum obj_encoding enc)
{
	enum obj_encoding from = obj_encoding(o);
	unsigned char *lp = obj_ptr(o);
	struct thash_ht *h;

	if (from == enc || from == OBJ_ENC_HASHTABLE)
		return;
	if (enc == OBJ_ENC_LISTPACK_EX) {
		assert(from == OBJ_ENC_LISTPACK);
		obj_set_payload(o, OBJ_ENC_LISTPACK_EX, lp_to_lpx(lp));
		lp_free(lp);
		return;
	}
	h = lp_to_ht(lp, tuple_of(from), 0);
	assert(h != NULL);
	obj_set_payload(o, OBJ_ENC_HASHTABLE, h);
	lp_free(lp);
}

void
thash_prepare(struct obj *o, size_t npairs, size_t maxlen, size_t sumlen)
{
	enum obj_encoding enc = obj_encoding(o);
	const unsigned char *lp;

	if (enc == OBJ_ENC_HASHTABLE)
		return;
	lp = obj_ptr(o);
	if (npairs > (uint64_t)obj_limits.hash_max_listpack_entries) {
		thash_convert(o, OBJ_ENC_HASHTABLE);
		dict_expand(&((struct thash_ht *)obj_ptr(o))->d, npairs);
		return;
	}
	if (maxlen > (uint64_t)obj_limits.hash_max_listpack_value ||
	    lp_bytes(lp) + sumlen > LP_SAFETY_SIZE)
		thash_convert(o, OBJ_ENC_HASHTABLE);
}

static bool
set_ht(struct thash_ht *h, const char *f, size_t flen, const char *v, size_t vlen,
    unsigned flags)
{
	struct dict_ref ref;
	unsigned char *e, *ne;
	struct thash_field old;
	int64_t keep;

	e = dict_find_ref(&h->d, f, flen, &ref);
	if (e == NULL) {
		ht_add(h, f, flen, v, vlen, THASH_NO_TTL);
		return false;
	}
	hf_parse(e, &old);
	keep = (flags & THASH_KEEP_TTL) ? old.expire : THASH_NO_TTL;
	if (old.vlen == vlen && keep == old.expire) {
		/* Same layout: overwrite the value in place. */
		memcpy((char *)(uintptr_t)old.v, v, vlen);
		return true;
	}
	if (old.expire != THASH_NO_TTL && keep == THASH_NO_TTL)
		h->nttl--;
	ne = hf_new(f, flen, v, vlen, keep);
	dict_ref_replace(ref, ne);
	xfree(e);
	return true;
}

bool
thash_set(struct obj *o, const char *f, size_t flen, const char *v, size_t vlen,
    unsigned flags)
{
	enum obj_encoding enc = obj_encoding(o);
	unsigned char *lp, *p, *vp;
	bool update = false;

	if (enc != OBJ_ENC_HASHTABLE && (flen > (uint64_t)obj_limits.hash_max_listpack_value ||
	    vlen > (uint64_t)obj_limits.hash_max_listpack_value)) {
		thash_convert(o, OBJ_ENC_HASHTABLE);
		enc = OBJ_ENC_HASHTABLE;
	}
	if (enc == OBJ_ENC_HASHTABLE)
		return set_ht(obj_ptr(o), f, flen, v, vlen, flags);

	lp = obj_ptr(o);
	p = lp_field(lp, tuple_of(enc), f, flen);
	if (enc == OBJ_ENC_LISTPACK) {
		if (p != NULL) {
			vp = lp_next(lp, p);
			lp = lp_replace(lp, &vp, v, vlen);
			update = true;
		} else {
			lp = lp_append(lp, f, flen);
			lp = lp_append(lp, v, vlen);
		}
	} else if (p != NULL) {
		int64_t t;

		vp = lp_next(lp, p);
		lp = lp_replace(lp, &vp, v, vlen);
		update = true;
		t = lp_ttl_at(lp_next(lp, vp));
		if (!(flags & THASH_KEEP_TTL) && t != THASH_NO_TTL) {
			p = lp_prev(lp, vp);
			lp = lpx_retime(lp, p, f, flen, THASH_NO_TTL);
		}
	} else {
		lp = lpx_add(lp, f, flen, v, vlen, THASH_NO_TTL);
	}
	obj_set_ptr(o, lp);
	if (lp_length(lp) / tuple_of(enc) > (uint64_t)obj_limits.hash_max_listpack_entries)
		thash_convert(o, OBJ_ENC_HASHTABLE);
	return update;
}

bool
thash_delete(struct obj *o, const char *f, size_t flen)
{
	enum obj_encoding enc = obj_encoding(o);
	struct thash_ht *h;
	unsigned char *lp, *p, *e;

	if (enc == OBJ_ENC_HASHTABLE) {
		h = obj_ptr(o);
		e = dict_unlink(&h->d, f, flen);
		if (e == NULL)
			return false;
		if (e[0] & HF_TTL)
			h->nttl--;
		xfree(e);
		return true;
	}
	lp = obj_ptr(o);
	p = lp_field(lp, tuple_of(enc), f, flen);
	if (p == NULL)
		return false;
	obj_set_ptr(o, lp_delete_range_p(lp, p, tuple_of(enc)));
	return true;
}

/* Redis' NX/XX/GT/LT test: true if the condition lets an expiry of prev become when. */
static bool
cond_ok(enum thash_cond cond, int64_t prev, int64_t when)
{
	if (prev == THASH_NO_TTL)
		return cond != THASH_COND_XX && cond != THASH_COND_GT;
	switch (cond) {
	case THASH_COND_NX:
		return false;
	case THASH_COND_GT:
		return when > prev;
	case THASH_COND_LT:
		return when < prev;
	default:
		return true;
	}
}

static int
set_expire_ht(struct thash_ht *h, const char *f, size_t flen, int64_t when,
    enum thash_cond cond, bool delete_past, int64_t now)
{
	struct dict_ref ref;
	struct thash_field old;
	unsigned char *e, *ne;

	e = dict_find_ref(&h->d, f, flen, &ref);
	if (e == NULL)
		return THASH_EXP_NO_FIELD;
	hf_parse(e, &old);
	if (!cond_ok(cond, old.expire, when))
		return THASH_EXP_NO_COND;
	if (delete_past && when <= now) {
		e = dict_unlink(&h->d, f, flen);
		if (old.expire != THASH_NO_TTL)
			h->nttl--;
		xfree(e);
		return THASH_EXP_DELETED;
	}
	if (old.expire != THASH_NO_TTL) {
		/* The expiry sits after the two lengths. */
		memcpy(e + 1 + hf_clsz[HF_FCLS(e[0])] + hf_clsz[HF_VCLS(e[0])], &when, 8);
		if (when < h->min_hint)
			h->min_hint = when;
		return THASH_EXP_OK;
	}
	ne = hf_new(old.f, old.flen, old.v, old.vlen, when);
	dict_ref_replace(ref, ne);
	xfree(e);
	ht_note_ttl(h, when);
	return THASH_EXP_OK;
}

int
thash_set_expire(struct obj *o, const char *f, size_t flen, int64_t when,
    enum thash_cond cond, bool delete_past, int64_t now)
{
	unsigned char *lp, *p;
	int64_t prev;

	/* 0 means "no TTL" inside: a time at the epoch (a replica keeping a field its primary
	 * expired) is stored as 1 ms, as expired as 0. */
	if (when < 1)
		when = 1;
	/* Redis turns a listpack into a listpackex first, whatever the fields. */
	if (obj_encoding(o) == OBJ_ENC_LISTPACK)
		thash_convert(o, OBJ_ENC_LISTPACK_EX);
	if (obj_encoding(o) == OBJ_ENC_HASHTABLE)
		return set_expire_ht(obj_ptr(o), f, flen, when, cond, delete_past, now);
	lp = obj_ptr(o);
	p = lp_field(lp, 3, f, flen);
	if (p == NULL)
		return THASH_EXP_NO_FIELD;
	prev = lpx_ttl(lp, p);
	if (!cond_ok(cond, prev, when))
		return THASH_EXP_NO_COND;
	if (delete_past && when <= now) {
		obj_set_ptr(o, lp_delete_range_p(lp, p, 3));
		return THASH_EXP_DELETED;
	}
	obj_set_ptr(o, lpx_retime(lp, p, f, flen, when));
	return THASH_EXP_OK;
}

int
thash_persist(struct obj *o, const char *f, size_t flen, int64_t now)
{
	enum obj_encoding enc = obj_encoding(o);
	struct dict_ref ref;
	struct thash_field old;
	struct thash_ht *h;
	unsigned char *lp, *p, *e;
	int64_t t;

	if (enc == OBJ_ENC_HASHTABLE) {
		h = obj_ptr(o);
		e = dict_find_ref(&h->d, f, flen, &ref);
		if (e == NULL)
			return THASH_EXP_NO_FIELD;
		hf_parse(e, &old);
		if (old.expire == THASH_NO_TTL)
			return THASH_EXP_NO_TTL;
		if (old.expire < now)
			return THASH_EXP_NO_FIELD;
		dict_ref_replace(ref, hf_new(old.f, old.flen, old.v, old.vlen, THASH_NO_TTL));
		xfree(e);
		h->nttl--;
		return THASH_EXP_OK;
	}
	lp = obj_ptr(o);
	p = lp_field(lp, tuple_of(enc), f, flen);
	if (p == NULL)
		return THASH_EXP_NO_FIELD;
	if (enc == OBJ_ENC_LISTPACK)
		return THASH_EXP_NO_TTL;
	t = lpx_ttl(lp, p);
	if (t == THASH_NO_TTL)
		return THASH_EXP_NO_TTL;
	if (t < now)
		return THASH_EXP_NO_FIELD;
	obj_set_ptr(o, lpx_retime(lp, p, f, flen, THASH_NO_TTL));
	return THASH_EXP_OK;
}

int
thash_get_expire(const struct obj *o, const char *f, size_t flen, int64_t now, int64_t *when)
{
	enum obj_encoding enc = obj_encoding(o);
	const unsigned char *lp;
	unsigned char *p, *e;
	int64_t t;

	if (enc == OBJ_ENC_HASHTABLE) {
		e = dict_find(&((struct thash_ht *)obj_ptr(o))->d, f, flen);
		if (e == NULL)
			return THASH_EXP_NO_FIELD;
		t = hf_expire(e);
		if (t == THASH_NO_TTL)
			return THASH_EXP_NO_TTL;
		if (t < now)
			return THASH_EXP_NO_FIELD;
		*when = t;
		return THASH_EXP_OK;
	}
	lp = obj_ptr(o);
	p = lp_field(lp, tuple_of(enc), f, flen);
	if (p == NULL)
		return THASH_EXP_NO_FIELD;
	if (enc == OBJ_ENC_LISTPACK)
		return THASH_EXP_NO_TTL;
	t = lpx_ttl(lp, p);
	if (t == THASH_NO_TTL)
		return THASH_EXP_NO_TTL;
	/* Redis' httlGenericCommand tests "<=" on a listpackex (and "<" on a hashtable). */
	if (now != THASH_SEE_ALL && t <= now)
		return THASH_EXP_NO_FIELD;
	*when = t;
	return THASH_EXP_OK;
}

struct purge_ctx {
	int64_t now;
	void **v;
	size_t n, cap;
	int64_t min;
};

static void
purge_cb(void *e, void *arg)
{
	struct purge_ctx *c = arg;
	int64_t t = hf_expire(e);

	if (t == THASH_NO_TTL)
		return;
	if (t >= c->now) {
		if (t < c->min)
			c->min = t;
		return;
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = xrealloc(c->v, c->cap * sizeof *c->v);
	}
	c->v[c->n++] = e;
}

size_t
thash_expire_fields(struct obj *o, int64_t now)
{
	struct purge_ctx c = { now, NULL, 0, 0, INT64_MAX };
	struct thash_ht *h;
	unsigned char *lp, *p, *first;
	size_t n = 0;

	switch (obj_encoding(o)) {
	case OBJ_ENC_LISTPACK:
		return 0;
	case OBJ_ENC_LISTPACK_EX:
		lp = obj_ptr(o);
		first = lp_first(lp);
		for (p = first; p != NULL; p = lp_next(lp, p)) {
			p = lp_next(lp, lp_next(lp, p));
			if (!expired_at(lp_ttl_at(p), now))
				break;
			n++;
		}
		if (n > 0)
			obj_set_ptr(o, lp_delete_range_p(lp, first, 3 * n));
		return n;
	default:
		h = obj_ptr(o);
		if (h->nttl == 0 || h->min_hint >= now)
			return 0;
		ht_walk(h, purge_cb, &c);
		for (size_t i = 0; i < c.n; i++) {
			size_t flen;
			const char *f = hf_key(c.v[i], &flen);
			void *e = dict_unlink(&h->d, f, flen);

			assert(e == c.v[i]);
			xfree(e);
		}
		h->nttl -= c.n;
		h->min_hint = c.min;
		xfree(c.v);
		return c.n;
	}
}

struct obj *
thash_expire_if_needed(struct db *db, struct obj *o, const char *key, size_t klen, int64_t now,
    size_t *deleted)
{
	*deleted = 0;
	if (db->store->mode != STORE_OFFLINE || obj_encoding(o) == OBJ_ENC_LISTPACK)
		return o;
	*deleted = thash_expire_fields(o, now);
	if (*deleted > 0 && thash_len(o) == 0) {
		store_delete(db, key, klen, now);
		return NULL;
	}
	return o;
}

/* ---- RDB support ---- */

const unsigned char *
thash_listpack(const struct obj *o)
{
	assert(obj_encoding(o) != OBJ_ENC_HASHTABLE);
	return obj_ptr(o);
}

void
thash_build_init(struct thash_build *b, uint64_t n, bool ex)
{
	if (n > (uint64_t)obj_limits.hash_max_listpack_entries) {
		b->enc = OBJ_ENC_HASHTABLE;
		b->ptr = ht_new((size_t)n);
	} else {
		b->enc = ex ? OBJ_ENC_LISTPACK_EX : OBJ_ENC_LISTPACK;
		b->ptr = lp_new(0);
	}
}

/* Converts the listpack under construction to a hashtable; false on a repeated field. */
static bool
build_to_ht(struct thash_build *b, size_t hint)
{
	struct thash_ht *h = lp_to_ht(b->ptr, tuple_of(b->enc), hint);

	if (h == NULL)
		return false;
	lp_free(b->ptr);
	b->ptr = h;
	b->enc = OBJ_ENC_HASHTABLE;
	return true;
}

bool
thash_build_add(struct thash_build *b, const char *f, size_t flen, const char *v, size_t vlen,
    int64_t expire)
{
	struct thash_ht *h;
	unsigned char *lp;

	if (b->enc != OBJ_ENC_HASHTABLE) {
		lp = b->ptr;
		if (flen > (uint64_t)obj_limits.hash_max_listpack_value ||
		    vlen > (uint64_t)obj_limits.hash_max_listpack_value ||
		    lp_bytes(lp) + flen + vlen > LP_SAFETY_SIZE) {
			if (!build_to_ht(b, 0))
				return false;
		} else {
			if (lp_field(lp, tuple_of(b->enc), f, flen) != NULL)
				return false;
			if (expire != THASH_NO_TTL && b->enc == OBJ_ENC_LISTPACK) {
				b->ptr = lp_to_lpx(lp);
				lp_free(lp);
				lp = b->ptr;
				b->enc = OBJ_ENC_LISTPACK_EX;
			}
			if (b->enc == OBJ_ENC_LISTPACK) {
				lp = lp_append(lp, f, flen);
				lp = lp_append(lp, v, vlen);
			} else {
				lp = lpx_add(lp, f, flen, v, vlen, expire);
			}
			b->ptr = lp;
			if (lp_length(lp) / tuple_of(b->enc) >
			    (uint64_t)obj_limits.hash_max_listpack_entries)
				return build_to_ht(b, 0);
			return true;
		}
	}
	h = b->ptr;
	if (dict_find(&h->d, f, flen) != NULL)
		return false;
	ht_add(h, f, flen, v, vlen, expire);
	return true;
}

void
thash_build_finish(struct thash_build *b, struct obj_value *out)
{
	memset(out, 0, sizeof *out);
	out->type = OBJ_HASH;
	out->enc = b->enc;
	out->ptr = b->ptr;
	b->ptr = NULL;
}

void
thash_build_discard(struct thash_build *b)
{
	thash_payload_free(b->enc, b->ptr);
	b->ptr = NULL;
}

struct uniq_slot {
	uint64_t hash;
	const unsigned char *p;		/* the field entry; NULL: free slot */
};

/* FNV-1a: only spreads the fields of one listpack over a table, so no seed is needed. */
static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

/* True if no field of a listpack of nfields tuples repeats: O(n) with a table of hashes. */
static bool
lp_fields_unique(const unsigned char *lp, unsigned tuple, size_t nfields)
{
	struct uniq_slot local[256], *t = local;
	size_t cap = 16;
	bool ok = true;

	while (cap < 2 * nfields)
		cap <<= 1;
	if (cap > sizeof local / sizeof local[0])
		t = xmalloc(cap * sizeof *t);
	memset(t, 0, cap * sizeof *t);
	for (unsigned char *p = lp_first(lp); p != NULL && ok; ) {
		char fb[LP_INTBUF];
		size_t flen, i;
		const char *f = (const char *)lp_get_str(p, &flen, fb);
		uint64_t hv = fnv1a(f, flen);

		for (i = hv & (cap - 1); t[i].p != NULL; i = (i + 1) & (cap - 1)) {
			if (t[i].hash == hv && lp_eq(t[i].p, f, flen)) {
				ok = false;
				break;
			}
		}
		t[i].hash = hv;
		t[i].p = p;
		for (unsigned k = 0; k < tuple && p != NULL; k++)
			p = lp_next(lp, p);
	}
	if (t != local)
		xfree(t);
	return ok;
}

int
thash_adopt_listpack(unsigned char *lp, size_t n, bool ex, struct obj_value *out)
{
	unsigned tuple = ex ? 3 : 2;
	size_t pairs = n / tuple;
	int64_t last = -1;
	struct thash_ht *h;
	unsigned char *p;

	if (n % tuple != 0)
		goto bad;
	if (n == 0) {
		lp_free(lp);
		return 0;
	}
	if (ex) {
		for (p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
			int64_t t;

			p = lp_next(lp, lp_next(lp, p));
			if (!lp_get_int(p, &t) || t < 0 || t > THASH_TTL_MAX)
				goto bad;
			if (t != THASH_NO_TTL && (last == THASH_NO_TTL || t < last))
				goto bad;
			last = t;
		}
	}
	memset(out, 0, sizeof *out);
	out->type = OBJ_HASH;
	if (pairs > (uint64_t)obj_limits.hash_max_listpack_entries) {
		h = lp_to_ht(lp, tuple, 0);
		if (h == NULL)
			goto bad;
		lp_free(lp);
		out->enc = OBJ_ENC_HASHTABLE;
		out->ptr = h;
		return 1;
	}
	if (!lp_fields_unique(lp, tuple, pairs))
		goto bad;
	out->enc = ex ? OBJ_ENC_LISTPACK_EX : OBJ_ENC_LISTPACK;
	out->ptr = lp;
	return 1;
bad:
	lp_free(lp);
	return -1;
}
