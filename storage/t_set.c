/*
 * t_set.c: the set type of t_set.h: the three encodings (intset, listpack, hashtable of member
 * allocations), Redis 7.2's conversions between them, the random sampling of SRANDMEMBER and
 * SPOP, the set algebra of SINTER/SUNION/SDIFF and their STORE forms, and the payload hooks.
 *
 * Start reading at tset_add: each encoding's insert path and the conversions it triggers. A
 * hashtable member is one allocation that is itself the dict entry (member_new), so a member
 * costs its bytes, a length byte and the dict slot: no entry struct, no separate string.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/dict.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/store_int.h"
#include "storage/t_set.h"

/* A member allocation: a length byte (MEMBER_LONG: a uint64 length follows), then the bytes. */
#define MEMBER_LONG 0xff
/* Redis' cap on intset entries whatever the configuration (intsetMaxEntries). */
#define INTSET_CAP ((size_t)1 << 30)
/* Redis' LISTPACK_MAX_SAFETY_SIZE: a listpack never grows past this. */
#define LP_SAFETY ((size_t)1 << 30)
/* Most bytes a listpack integer entry takes (encoding, 8 bytes, back length). */
#define LP_INT_MAX_BYTES 11
/* SPOP and SRANDMEMBER strategy factors (Redis' SPOP_MOVE_STRATEGY_MUL and
 * SRANDMEMBER_SUB_STRATEGY_MUL). */
#define SPOP_MOVE_MUL 5
#define SRAND_SUB_MUL 3

static const char *
member_key(const void *e, size_t *len)
{
	const unsigned char *m = e;
	uint64_t l;

	if (m[0] != MEMBER_LONG) {
		*len = m[0];
		return (const char *)m + 1;
	}
	memcpy(&l, m + 1, sizeof l);
	*len = (size_t)l;
	return (const char *)m + 9;
}

static const struct dict_type member_dict_type = { member_key };

static unsigned char *
member_new(const char *s, size_t len)
{
	unsigned char *m;

	if (len < MEMBER_LONG) {
		m = xmalloc(1 + len);
		m[0] = (unsigned char)len;
		memcpy(m + 1, s, len);
	} else {
		uint64_t l = len;

		m = xmalloc(9 + len);
		m[0] = MEMBER_LONG;
		memcpy(m + 1, &l, sizeof l);
		memcpy(m + 9, s, len);
	}
	return m;
}

static void
member_free(void *e, void *arg)
{
	(void)arg;
	xfree(e);
}

/* Limits from the configuration, clamped as Redis clamps them. */
static size_t
max_intset(void)
{
	int64_t v = obj_limits.set_max_intset_entries;

	if (v < 0)
		return 0;
	return (uint64_t)v >= INTSET_CAP ? INTSET_CAP : (size_t)v;
}

static size_t
max_lp_entries(void)
{
	int64_t v = obj_limits.set_max_listpack_entries;

	return v < 0 ? 0 : (size_t)v;
}

static size_t
max_lp_value(void)
{
	int64_t v = obj_limits.set_max_listpack_value;

	return v < 0 ? 0 : (size_t)v;
}

/*
 * A hashtable's hash seed, from its address: each set hashes differently (no cross-set
 * collision pattern), nothing global is touched, and the loader thread may call it.
 */
static uint64_t
ht_seed(const void *d)
{
	uint64_t x = (uint64_t)(uintptr_t)d + 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static struct dict *
ht_new(size_t cap)
{
	struct dict *d = xmalloc(sizeof *d);

	dict_init(d, &member_dict_type, ht_seed(d));
	if (cap > 0)
		dict_expand(d, cap);
	return d;
}

static void
ht_free(struct dict *d)
{
	dict_release(d, member_free, NULL);
	xfree(d);
}

static bool
ht_add(struct dict *d, const char *s, size_t len)
{
	if (dict_find(d, s, len) != NULL)
		return false;
	dict_add(d, member_new(s, len));
	return true;
}

/* A listpack entry as an element. */
static void
lp_elem(const unsigned char *p, struct tset_elem *e)
{
	size_t len;
	int64_t v;
	const unsigned char *s = lp_get(p, &len, &v);

	e->s = (const char *)s;
	e->len = s != NULL ? len : 0;
	e->v = s != NULL ? 0 : v;
}

static void
member_elem(const void *m, struct tset_elem *e)
{
	e->s = member_key(m, &e->len);
	e->v = 0;
}

const char *
tset_elem_str(const struct tset_elem *e, char buf[TSET_INTBUF], size_t *len)
{
	if (e->s != NULL) {
		*len = e->len;
		return e->s;
	}
	*len = num_fmt_i64(buf, e->v);
	return buf;
}

/* ---- Whole-set walks ---- */

struct walk {
	tset_elem_fn fn;
	void *arg;
	bool stopped;
	size_t seen;
};

static void
walk_member(void *m, void *arg)
{
	struct walk *w = arg;
	struct tset_elem e;

	w->seen++;
	if (w->stopped)
		return;
	member_elem(m, &e);
	if (!w->fn(&e, w->arg))
		w->stopped = true;
}

bool
tset_iter(const struct tset *t, tset_elem_fn fn, void *arg)
{
	struct tset_elem e;

	switch (t->enc) {
	case OBJ_ENC_INTSET: {
		const unsigned char *is = t->p;
		size_t n = intset_len(is);

		e.s = NULL;
		e.len = 0;
		for (size_t i = 0; i < n; i++) {
			e.v = intset_get(is, i);
			if (!fn(&e, arg))
				return false;
		}
		return true;
	}
	case OBJ_ENC_LISTPACK: {
		const unsigned char *lp = t->p;

		for (unsigned char *p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
			lp_elem(p, &e);
			if (!fn(&e, arg))
				return false;
		}
		return true;
	}
	case OBJ_ENC_HASHTABLE: {
		struct walk w = { fn, arg, false, 0 };
		uint64_t c = 0;

		/* Nothing changes the table between the calls, so each member comes once. */
		do
			c = dict_scan(t->p, c, walk_member, &w);
		while (c != 0 && !w.stopped);
		return !w.stopped;
	}
	default:
		assert(!"tset: unknown encoding");
		return false;
	}
}

uint64_t
tset_scan(const struct tset *t, uint64_t cursor, size_t count, tset_elem_fn fn, void *arg)
{
	struct walk w = { fn, arg, false, 0 };
	uint64_t steps;

	if (t->enc != OBJ_ENC_HASHTABLE) {
		tset_iter(t, fn, arg);
		return 0;
	}
	steps = count > UINT64_MAX / 10 ? UINT64_MAX : (uint64_t)count * 10;
	do
		cursor = dict_scan(t->p, cursor, walk_member, &w);
	while (cursor != 0 && steps-- > 0 && w.seen < count);
	return cursor;
}

/* ---- Payload hooks and accessors ---- */

void
tset_payload_free(enum obj_encoding enc, void *p)
{
	struct tset t = { enc, p };

	tset_free(&t);
}

static bool
dup_member(const struct tset_elem *e, void *arg)
{
	dict_add(arg, member_new(e->s, e->len));
	return true;
}

void *
tset_payload_dup(enum obj_encoding enc, const void *p)
{
	switch (enc) {
	case OBJ_ENC_INTSET:
		return intset_dup(p);
	case OBJ_ENC_LISTPACK:
		return lp_dup(p);
	case OBJ_ENC_HASHTABLE: {
		struct tset t = { enc, (void *)p };
		struct dict *d = ht_new(dict_size(p));

		tset_iter(&t, dup_member, d);
		return d;
	}
	default:
		assert(!"tset: unknown encoding");
		return NULL;
	}
}

static void
sum_member(void *m, void *arg)
{
	*(size_t *)arg += xsize(m);
}

size_t
tset_payload_mem(enum obj_encoding enc, const void *p)
{
	size_t n;
	uint64_t c = 0;

	if (p == NULL)
		return 0;
	if (enc != OBJ_ENC_HASHTABLE)
		return xsize(p);
	n = xsize(p) + dict_mem_usage(p);
	do
		c = dict_scan((struct dict *)p, c, sum_member, &n);
	while (c != 0);
	return n;
}

struct tset
tset_of(const struct obj *o)
{
	struct tset t = { obj_encoding(o), obj_ptr(o) };

	assert(obj_type(o) == OBJ_SET);
	return t;
}

void
tset_put_back(struct obj *o, const struct tset *t)
{
	if (obj_encoding(o) != t->enc)
		obj_set_payload(o, t->enc, t->p);
	else if (obj_ptr(o) != t->p)
		obj_set_ptr(o, t->p);
}

void
tset_value(struct tset *t, struct obj_value *v)
{
	memset(v, 0, sizeof *v);
	v->type = OBJ_SET;
	v->enc = t->enc;
	v->ptr = t->p;
	t->p = NULL;
}

size_t
tset_card(const struct obj *o)
{
	struct tset t = tset_of(o);

	return tset_size(&t);
}

bool
tset_contains(const struct obj *o, const char *s, size_t len)
{
	struct tset t = tset_of(o);

	return tset_has(&t, s, len);
}

struct foreach_arg {
	tset_member_fn fn;
	void *arg;
};

static bool
foreach_elem(const struct tset_elem *e, void *arg)
{
	struct foreach_arg *fa = arg;
	char buf[TSET_INTBUF];
	size_t len;
	const char *s = tset_elem_str(e, buf, &len);

	fa->fn(s, len, fa->arg);
	return true;
}

void
tset_foreach(const struct obj *o, tset_member_fn fn, void *arg)
{
	struct tset t = tset_of(o);
	struct foreach_arg fa = { fn, arg };

	tset_iter(&t, foreach_elem, &fa);
}

/* ---- Creation, size, conversion ---- */

void
tset_init_enc(struct tset *t, enum obj_encoding enc)
{
	t->enc = enc;
	switch (enc) {
	case OBJ_ENC_INTSET:
		t->p = intset_new();
		break;
	case OBJ_ENC_LISTPACK:
		t->p = lp_new(0);
		break;
	case OBJ_ENC_HASHTABLE:
		t->p = ht_new(0);
		break;
	default:
		assert(!"tset: unknown encoding");
	}
}

void
tset_init(struct tset *t, const char *s, size_t len, size_t hint)
{
	int64_t v;

	if (num_parse_i64(s, len, &v) && hint <= max_intset()) {
		tset_init_enc(t, OBJ_ENC_INTSET);
	} else if (hint <= max_lp_entries()) {
		tset_init_enc(t, OBJ_ENC_LISTPACK);
	} else {
		/* The hint may oversize the table (duplicates), as in Redis. */
		t->enc = OBJ_ENC_HASHTABLE;
		t->p = ht_new(hint);
	}
}

void
tset_free(struct tset *t)
{
	if (t->p == NULL)
		return;
	switch (t->enc) {
	case OBJ_ENC_INTSET:
		intset_free(t->p);
		break;
	case OBJ_ENC_LISTPACK:
		lp_free(t->p);
		break;
	case OBJ_ENC_HASHTABLE:
		ht_free(t->p);
		break;
	default:
		assert(!"tset: unknown encoding");
	}
	t->p = NULL;
}

size_t
tset_size(const struct tset *t)
{
	switch (t->enc) {
	case OBJ_ENC_INTSET:
		return intset_len(t->p);
	case OBJ_ENC_LISTPACK:
		return lp_length(t->p);
	case OBJ_ENC_HASHTABLE:
		return dict_size(t->p);
	default:
		assert(!"tset: unknown encoding");
		return 0;
	}
}

static bool
conv_to_ht(const struct tset_elem *e, void *arg)
{
	char buf[TSET_INTBUF];
	size_t len;
	const char *s = tset_elem_str(e, buf, &len);

	dict_add(arg, member_new(s, len));
	return true;
}

static bool
conv_to_lp(const struct tset_elem *e, void *arg)
{
	unsigned char **lp = arg;

	*lp = e->s != NULL ? lp_append(*lp, e->s, e->len) : lp_append_int(*lp, e->v);
	return true;
}

static bool
conv_to_intset(const struct tset_elem *e, void *arg)
{
	unsigned char **is = arg;
	int64_t v = e->v;

	if (e->s != NULL && !num_parse_i64(e->s, e->len, &v))
		assert(!"tset: intset conversion of a string member");
	intset_add(is, v);
	return true;
}

/* Digits of v as Redis' sdigits10 counts them (the minus sign included). */
static size_t
sdigits(int64_t v)
{
	char buf[NUM_I64_MAX_CHARS];

	return num_fmt_i64(buf, v);
}

void
tset_convert(struct tset *t, enum obj_encoding enc, size_t cap)
{
	struct tset nt = { enc, NULL };

	assert(t->enc != enc);
	switch (enc) {
	case OBJ_ENC_HASHTABLE:
		nt.p = ht_new(cap);
		tset_iter(t, conv_to_ht, nt.p);
		break;
	case OBJ_ENC_LISTPACK: {
		/* Two bytes per entry at least; from an intset, the widest entry its values need. */
		size_t est = cap * 2;
		unsigned char *lp;

		if (t->enc == OBJ_ENC_INTSET && tset_size(t) > 0) {
			int64_t lo = intset_min(t->p), hi = intset_max(t->p);
			size_t w = sdigits(lo) > sdigits(hi) ? sdigits(lo) : sdigits(hi);

			est = cap * (w < 9 ? w + 2 : LP_INT_MAX_BYTES);
		}
		lp = lp_new(LP_EMPTY_SIZE + est);
		tset_iter(t, conv_to_lp, &lp);
		nt.p = lp;
		break;
	}
	case OBJ_ENC_INTSET: {
		unsigned char *is = intset_new();

		tset_iter(t, conv_to_intset, &is);
		nt.p = is;
		break;
	}
	default:
		assert(!"tset: unknown encoding");
	}
	tset_free(t);
	*t = nt;
}

void
tset_maybe_convert(struct tset *t, size_t hint)
{
	if ((t->enc == OBJ_ENC_LISTPACK && hint > max_lp_entries()) ||
	    (t->enc == OBJ_ENC_INTSET && hint > max_intset()))
		tset_convert(t, OBJ_ENC_HASHTABLE, hint);
}

/* Redis' maybeConvertToIntset: a set known to hold only integers becomes an intset if it fits. */
static void
maybe_to_intset(struct tset *t)
{
	if (t->enc == OBJ_ENC_INTSET || tset_size(t) > max_intset())
		return;
	tset_convert(t, OBJ_ENC_INTSET, 0);
}

/* Trims the spare capacity a listpack was allocated with. */
static void
lp_shrink(struct tset *t)
{
	if (t->enc == OBJ_ENC_LISTPACK && xsize(t->p) > lp_bytes(t->p))
		t->p = xrealloc(t->p, lp_bytes(t->p));
}

/* ---- Membership ---- */

static unsigned char *
lp_lookup(const unsigned char *lp, const char *s, size_t len)
{
	return lp_find(lp, lp_first(lp), s, len, 0);
}

bool
tset_has(const struct tset *t, const char *s, size_t len)
{
	int64_t v;

	switch (t->enc) {
	case OBJ_ENC_INTSET:
		return num_parse_i64(s, len, &v) && intset_find(t->p, v, NULL);
	case OBJ_ENC_LISTPACK:
		return lp_lookup(t->p, s, len) != NULL;
	case OBJ_ENC_HASHTABLE:
		return dict_find(t->p, s, len) != NULL;
	default:
		assert(!"tset: unknown encoding");
		return false;
	}
}

bool
tset_has_elem(const struct tset *t, const struct tset_elem *e)
{
	char buf[TSET_INTBUF];
	size_t len;

	if (e->s == NULL && t->enc == OBJ_ENC_INTSET)
		return intset_find(t->p, e->v, NULL);
	if (e->s != NULL)
		return tset_has(t, e->s, e->len);
	len = num_fmt_i64(buf, e->v);
	return tset_has(t, buf, len);
}

/* ---- Adding and removing ---- */

/* Adds integer v to an intset, converting past set-max-intset-entries. */
static bool
intset_insert(struct tset *t, int64_t v)
{
	unsigned char *is = t->p;

	if (!intset_add(&is, v)) {
		t->p = is;
		return false;
	}
	t->p = is;
	if (intset_len(is) > max_intset())
		tset_convert(t, OBJ_ENC_HASHTABLE, intset_len(is));
	return true;
}

/* Adds to a listpack set; iv (or NULL) is s/len as an integer when the caller has it. */
static bool
lpset_insert(struct tset *t, const char *s, size_t len, const int64_t *iv)
{
	unsigned char *lp = t->p;
	size_t n;

	if (lp_lookup(lp, s, len) != NULL)
		return false;
	n = lp_length(lp);
	if (n < max_lp_entries() && len <= max_lp_value() &&
	    lp_bytes(lp) + len + LP_INT_MAX_BYTES + 9 <= LP_SAFETY) {
		t->p = iv != NULL ? lp_append_int(lp, *iv) : lp_append(lp, s, len);
		return true;
	}
	tset_convert(t, OBJ_ENC_HASHTABLE, n + 1);
	dict_add(t->p, member_new(s, len));
	return true;
}

/*
 * An intset receives the string s/len: Redis 7.2 moves it to a listpack when every member,
 * printed, and the new one fit the listpack limits, else to a hashtable.
 */
static void
intset_take_string(struct tset *t, const char *s, size_t len)
{
	size_t n = intset_len(t->p), maxlen = 0, total = 0;

	if (n != 0) {
		size_t a = sdigits(intset_max(t->p)), b = sdigits(intset_min(t->p));

		maxlen = a > b ? a : b;
		total = n * LP_INT_MAX_BYTES;
	}
	if (n < max_lp_entries() && len <= max_lp_value() && maxlen <= max_lp_value() &&
	    total + len + LP_EMPTY_SIZE + 9 <= LP_SAFETY) {
		tset_convert(t, OBJ_ENC_LISTPACK, n + 1);
		t->p = lp_append(t->p, s, len);
		lp_shrink(t);
	} else {
		tset_convert(t, OBJ_ENC_HASHTABLE, n + 1);
		dict_add(t->p, member_new(s, len));
	}
}

bool
tset_add(struct tset *t, const char *s, size_t len)
{
	int64_t v;

	switch (t->enc) {
	case OBJ_ENC_HASHTABLE:
		return ht_add(t->p, s, len);
	case OBJ_ENC_LISTPACK:
		return lpset_insert(t, s, len, NULL);
	case OBJ_ENC_INTSET:
		if (num_parse_i64(s, len, &v))
			return intset_insert(t, v);
		intset_take_string(t, s, len);
		return true;
	default:
		assert(!"tset: unknown encoding");
		return false;
	}
}

bool
tset_add_elem(struct tset *t, const struct tset_elem *e)
{
	char buf[TSET_INTBUF];
	size_t len;

	if (e->s != NULL)
		return tset_add(t, e->s, e->len);
	if (t->enc == OBJ_ENC_INTSET)
		return intset_insert(t, e->v);
	len = num_fmt_i64(buf, e->v);
	if (t->enc == OBJ_ENC_LISTPACK)
		return lpset_insert(t, buf, len, &e->v);
	return ht_add(t->p, buf, len);
}

bool
tset_remove(struct tset *t, const char *s, size_t len)
{
	int64_t v;

	switch (t->enc) {
	case OBJ_ENC_HASHTABLE: {
		void *m = dict_unlink(t->p, s, len);

		xfree(m);
		return m != NULL;
	}
	case OBJ_ENC_LISTPACK: {
		unsigned char *p = lp_lookup(t->p, s, len);

		if (p == NULL)
			return false;
		t->p = lp_delete(t->p, p, NULL);
		return true;
	}
	case OBJ_ENC_INTSET: {
		unsigned char *is = t->p;
		bool ok = num_parse_i64(s, len, &v) && intset_remove(&is, v);

		t->p = is;
		return ok;
	}
	default:
		assert(!"tset: unknown encoding");
		return false;
	}
}

bool
tset_remove_elem(struct tset *t, const struct tset_elem *e)
{
	char buf[TSET_INTBUF];
	size_t len;

	if (e->s != NULL)
		return tset_remove(t, e->s, e->len);
	if (t->enc == OBJ_ENC_INTSET) {
		unsigned char *is = t->p;
		bool ok = intset_remove(&is, e->v);

		t->p = is;
		return ok;
	}
	len = num_fmt_i64(buf, e->v);
	return tset_remove(t, buf, len);
}

/* ---- Randomness ---- */

uint64_t *
tset_rng(struct db *db)
{
	return &db->store->rng;
}

/* A uniform number in [0, n), n > 0. */
static uint64_t
rand_below(uint64_t *rng, uint64_t n)
{
	return dict_rand(rng) % n;
}

void
tset_random(const struct tset *t, uint64_t *rng, struct tset_elem *e)
{
	size_t n = tset_size(t);

	assert(n > 0);
	switch (t->enc) {
	case OBJ_ENC_INTSET:
		e->s = NULL;
		e->len = 0;
		e->v = intset_get(t->p, rand_below(rng, n));
		break;
	case OBJ_ENC_LISTPACK:
		lp_elem(lp_seek(t->p, (long)rand_below(rng, n)), e);
		break;
	case OBJ_ENC_HASHTABLE:
		member_elem(dict_random(t->p, rng), e);
		break;
	default:
		assert(!"tset: unknown encoding");
	}
}

/* The entries of a listpack, for picking by index. Returns new (xfree); *n is set. */
static unsigned char **
lp_index(const unsigned char *lp, size_t *n)
{
	size_t cap = lp_length(lp), i = 0;
	unsigned char **v = xmalloc((cap ? cap : 1) * sizeof *v);

	for (unsigned char *p = lp_first(lp); p != NULL && i < cap; p = lp_next(lp, p))
		v[i++] = p;
	*n = i;
	return v;
}

/*
 * Picks k of the n entries of lp in order (selection sampling: each entry is taken with
 * probability wanted / left), storing their offsets in off[0..k).
 */
static void
lp_sample(const unsigned char *lp, uint64_t *rng, size_t n, size_t k, size_t *off)
{
	size_t left = n, got = 0;

	for (unsigned char *p = lp_first(lp); p != NULL && got < k; p = lp_next(lp, p), left--)
		if (rand_below(rng, left) < k - got)
			off[got++] = (size_t)(p - lp);
}

/* Deletes the entries at the ascending offsets off[0..k) of *lp, the last first (so the
 * earlier offsets stay right). */
static void
lp_delete_offsets(unsigned char **lp, const size_t *off, size_t k)
{
	while (k-- > 0)
		*lp = lp_delete(*lp, *lp + off[k], NULL);
}

/* A set of 64-bit keys (positions, values or member addresses), open addressing. */
struct keyset {
	uint64_t *k;
	unsigned char *used;
	size_t mask;
};

static void
keyset_init(struct keyset *ks, size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap <<= 1;
	ks->k = xmalloc(cap * sizeof *ks->k);
	ks->used = xcalloc(cap, 1);
	ks->mask = cap - 1;
}

/* Adds key; returns false if present. */
static bool
keyset_add(struct keyset *ks, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & ks->mask;

	while (ks->used[i]) {
		if (ks->k[i] == key)
			return false;
		i = (i + 1) & ks->mask;
	}
	ks->used[i] = 1;
	ks->k[i] = key;
	return true;
}

static void
keyset_free(struct keyset *ks)
{
	xfree(ks->k);
	xfree(ks->used);
}

struct collect {
	struct tset_elem *v;
	size_t n;
};

static bool
collect_elem(const struct tset_elem *e, void *arg)
{
	struct collect *c = arg;

	c->v[c->n++] = *e;
	return true;
}

void
tset_random_members(const struct tset *t, uint64_t *rng, uint64_t count, bool uniq,
    tset_elem_fn fn, void *arg)
{
	size_t size = tset_size(t);
	struct tset_elem e;

	if (count == 0 || size == 0)
		return;
	/* Case 1: repetition allowed (or one member): independent draws. */
	if (!uniq || count == 1) {
		if (t->enc == OBJ_ENC_LISTPACK && count > 1) {
			size_t n;
			unsigned char **idx = lp_index(t->p, &n);

			while (count-- > 0) {
				lp_elem(idx[rand_below(rng, n)], &e);
				if (!fn(&e, arg))
					break;
			}
			xfree(idx);
			return;
		}
		while (count-- > 0) {
			tset_random(t, rng, &e);
			if (!fn(&e, arg))
				break;
		}
		return;
	}
	/* Case 2: the whole set. */
	if (count >= size) {
		tset_iter(t, fn, arg);
		return;
	}
	/* Case 2.5: a listpack, sampled in order in one walk. */
	if (t->enc == OBJ_ENC_LISTPACK) {
		size_t *off = xmalloc(count * sizeof *off);

		lp_sample(t->p, rng, size, count, off);
		for (size_t i = 0; i < count; i++) {
			lp_elem((unsigned char *)t->p + off[i], &e);
			if (!fn(&e, arg))
				break;
		}
		xfree(off);
		return;
	}
	/* Case 3: count close to size: a random subset of all members. */
	if (count * SRAND_SUB_MUL > size) {
		struct collect c = { xmalloc(size * sizeof(struct tset_elem)), 0 };

		tset_iter(t, collect_elem, &c);
		for (size_t i = 0; i < count; i++) {
			size_t j = i + rand_below(rng, c.n - i);
			struct tset_elem tmp = c.v[i];

			c.v[i] = c.v[j];
			c.v[j] = tmp;
			if (!fn(&c.v[i], arg))
				break;
		}
		xfree(c.v);
		return;
	}
	/* Case 4: a large set: draw until count distinct members came up. */
	{
		struct keyset ks;
		size_t got = 0;

		keyset_init(&ks, count);
		while (got < count) {
			uint64_t key;

			tset_random(t, rng, &e);
			key = e.s != NULL ? (uint64_t)(uintptr_t)e.s : (uint64_t)e.v;
			if (!keyset_add(&ks, key))
				continue;
			got++;
			if (!fn(&e, arg))
				break;
		}
		keyset_free(&ks);
	}
}

void
tset_pop_count(struct tset *t, uint64_t *rng, uint64_t count, tset_elem_fn fn, void *arg)
{
	size_t size = tset_size(t), remaining;
	struct tset_elem e;
	struct tset nt = { OBJ_ENC_INTSET, NULL };

	assert(count > 0 && count < size);
	remaining = size - (size_t)count;
	/* Case 2: few members go: pick them one by one (a listpack: in one walk). */
	if (remaining * SPOP_MOVE_MUL > count) {
		if (t->enc == OBJ_ENC_LISTPACK) {
			size_t *off = xmalloc(count * sizeof *off);
			unsigned char *lp = t->p;

			lp_sample(lp, rng, size, count, off);
			for (size_t i = 0; i < count; i++) {
				lp_elem(lp + off[i], &e);
				fn(&e, arg);
			}
			lp_delete_offsets(&lp, off, count);
			t->p = lp;
			xfree(off);
			return;
		}
		while (count-- > 0) {
			tset_random(t, rng, &e);
			fn(&e, arg);
			tset_remove_elem(t, &e);
		}
		return;
	}
	/* Case 3: most members go: the few that stay move to a new set, the old one is emptied. */
	if (t->enc == OBJ_ENC_LISTPACK) {
		size_t *off = xmalloc(remaining * sizeof *off);
		unsigned char *lp = t->p;

		tset_init_enc(&nt, OBJ_ENC_LISTPACK);
		lp_sample(lp, rng, size, remaining, off);
		for (size_t i = 0; i < remaining; i++) {
			lp_elem(lp + off[i], &e);
			tset_add_elem(&nt, &e);
		}
		lp_delete_offsets(&lp, off, remaining);
		t->p = lp;
		xfree(off);
	} else {
		while (remaining-- > 0) {
			tset_random(t, rng, &e);
			if (nt.p == NULL)
				tset_init_enc(&nt, e.s != NULL ? OBJ_ENC_LISTPACK : OBJ_ENC_INTSET);
			tset_add_elem(&nt, &e);
			tset_remove_elem(t, &e);
		}
	}
	tset_iter(t, fn, arg);
	tset_free(t);
	*t = nt;
}

/* ---- Set algebra ---- */

static int
cmp_size_asc(const void *a, const void *b)
{
	size_t x = tset_size(a), y = tset_size(b);

	return x < y ? -1 : x > y;
}

/* Size of a set that may be missing (p NULL). */
static size_t
size_or_zero(const struct tset *t)
{
	return t->p != NULL ? tset_size(t) : 0;
}

static int
cmp_size_desc(const void *a, const void *b)
{
	size_t x = size_or_zero(a), y = size_or_zero(b);

	return x < y ? 1 : -(x > y);
}

struct inter {
	const struct tset *sets;	/* sorted by size, smallest first */
	size_t n;
	size_t limit;
	size_t count;
	tset_elem_fn fn;
	void *arg;
	/* tset_inter_store */
	struct tset *dst;
	bool only_ints;
};

/* True if e (a member of sets[0]) is in every other set. */
static bool
in_all(const struct inter *in, const struct tset_elem *e)
{
	for (size_t j = 1; j < in->n; j++) {
		if (in->sets[j].p == in->sets[0].p)
			continue;
		if (!tset_has_elem(&in->sets[j], e))
			return false;
	}
	return true;
}

static bool
inter_report(const struct tset_elem *e, void *arg)
{
	struct inter *in = arg;

	if (!in_all(in, e))
		return true;
	in->count++;
	if (in->fn != NULL && !in->fn(e, in->arg))
		return false;
	return in->limit == 0 || in->count < in->limit;
}

static struct tset *
sorted_copy(const struct tset *sets, size_t n)
{
	struct tset *v = xmalloc(n * sizeof *v);

	memcpy(v, sets, n * sizeof *v);
	return v;
}

size_t
tset_inter(const struct tset *sets, size_t n, size_t limit, tset_elem_fn fn, void *arg)
{
	struct tset *v = sorted_copy(sets, n);
	struct inter in = { v, n, limit, 0, fn, arg, NULL, true };

	qsort(v, n, sizeof *v, cmp_size_asc);
	tset_iter(&v[0], inter_report, &in);
	xfree(v);
	return in.count;
}

static bool
inter_store(const struct tset_elem *e, void *arg)
{
	struct inter *in = arg;
	struct tset_elem x = *e;
	int64_t v;

	if (!in_all(in, e))
		return true;
	if (e->s != NULL && in->only_ints) {
		/* A hashtable member may be an integer: add it as one, so the result can be an intset. */
		if (in->sets[0].enc == OBJ_ENC_HASHTABLE && num_parse_i64(e->s, e->len, &v)) {
			if (in->dst->enc != OBJ_ENC_HASHTABLE) {
				x.s = NULL;
				x.len = 0;
				x.v = v;
			}
		} else {
			in->only_ints = false;
		}
	}
	tset_add_elem(in->dst, &x);
	return true;
}

void
tset_inter_store(const struct tset *sets, size_t n, struct tset *dst)
{
	struct tset *v = sorted_copy(sets, n);
	struct inter in = { v, n, 0, 0, NULL, NULL, dst, true };

	qsort(v, n, sizeof *v, cmp_size_asc);
	if (v[0].enc == OBJ_ENC_INTSET) {
		tset_init_enc(dst, OBJ_ENC_INTSET);
	} else if (v[0].enc == OBJ_ENC_LISTPACK) {
		/* Sized like the smallest set, trimmed at the end. */
		dst->enc = OBJ_ENC_LISTPACK;
		dst->p = lp_new(lp_bytes(v[0].p));
	} else {
		tset_init_enc(dst, OBJ_ENC_LISTPACK);
	}
	tset_iter(&v[0], inter_store, &in);
	if (tset_size(dst) > 0) {
		if (in.only_ints)
			maybe_to_intset(dst);
		lp_shrink(dst);
	}
	xfree(v);
}

static bool
add_to(const struct tset_elem *e, void *arg)
{
	tset_add_elem(arg, e);
	return true;
}

struct diff1 {
	const struct tset *sets;
	size_t n;
	struct tset *dst;
};

static bool
diff_first(const struct tset_elem *e, void *arg)
{
	struct diff1 *d = arg;

	for (size_t j = 1; j < d->n; j++) {
		if (d->sets[j].p == NULL)
			continue;
		if (tset_has_elem(&d->sets[j], e))
			return true;
	}
	tset_add_elem(d->dst, e);
	return true;
}

static bool
remove_from(const struct tset_elem *e, void *arg)
{
	tset_remove_elem(arg, e);
	return true;
}

void
tset_union_diff(const struct tset *sets, size_t n, enum tset_op op, struct tset *dst)
{
	bool sameset = false;

	tset_init_enc(dst, OBJ_ENC_INTSET);
	for (size_t j = 1; j < n; j++)
		if (sets[0].p != NULL && sets[j].p == sets[0].p)
			sameset = true;
	if (op == TSET_UNION) {
		for (size_t j = 0; j < n; j++)
			if (sets[j].p != NULL)
				tset_iter(&sets[j], add_to, dst);
		return;
	}
	if (sets[0].p == NULL || sameset)
		return;
	{
		/* Algorithm 1 (walk the first set, test the others) unless the sum of all sizes is
		 * clearly less work (algorithm 2: add the first, remove the others), as Redis picks. */
		uint64_t one = 0, two = 0;
		struct tset *v = sorted_copy(sets, n);

		for (size_t j = 0; j < n; j++) {
			if (v[j].p == NULL)
				continue;
			one += tset_size(&v[0]);
			two += tset_size(&v[j]);
		}
		one /= 2;
		if (one <= two) {
			struct diff1 d = { v, n, dst };

			if (n > 1)
				qsort(v + 1, n - 1, sizeof *v, cmp_size_desc);
			tset_iter(&v[0], diff_first, &d);
		} else {
			tset_iter(&v[0], add_to, dst);
			for (size_t j = 1; j < n && tset_size(dst) > 0; j++)
				if (v[j].p != NULL)
					tset_iter(&v[j], remove_from, dst);
		}
		xfree(v);
	}
}

/* ---- For the RDB codec ---- */

/* One listpack entry reduced to a comparable key: integers (also canonical integer text) by
 * value, other strings by bytes. */
struct lpkey {
	const unsigned char *s;
	size_t len;
	int64_t v;
	bool is_int;
};

static int
cmp_lpkey(const void *a, const void *b)
{
	const struct lpkey *x = a, *y = b;
	size_t n;
	int c;

	if (x->is_int != y->is_int)
		return x->is_int ? -1 : 1;
	if (x->is_int)
		return x->v < y->v ? -1 : x->v > y->v;
	n = x->len < y->len ? x->len : y->len;
	c = memcmp(x->s, y->s, n);
	if (c != 0)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

/* True if some member of lp (count entries) repeats. O(n log n). */
static bool
lp_has_dups(const unsigned char *lp, size_t count)
{
	struct lpkey *k = xmalloc(count * sizeof *k);
	size_t n = 0;
	bool dup = false;

	for (unsigned char *p = lp_first(lp); p != NULL && n < count; p = lp_next(lp, p), n++) {
		const unsigned char *s = lp_get(p, &k[n].len, &k[n].v);

		k[n].s = s;
		k[n].is_int = s == NULL || num_parse_i64((const char *)s, k[n].len, &k[n].v);
	}
	qsort(k, n, sizeof *k, cmp_lpkey);
	for (size_t i = 1; i < n && !dup; i++)
		dup = cmp_lpkey(&k[i - 1], &k[i]) == 0;
	xfree(k);
	return dup;
}

bool
tset_adopt_listpack(unsigned char *lp, size_t count, struct tset *t)
{
	if (lp_has_dups(lp, count)) {
		lp_free(lp);
		return false;
	}
	t->enc = OBJ_ENC_LISTPACK;
	t->p = lp;
	if (count > max_lp_entries())
		tset_convert(t, OBJ_ENC_HASHTABLE, count);
	return true;
}

void
tset_adopt_intset(unsigned char *is, struct tset *t)
{
	t->enc = OBJ_ENC_INTSET;
	t->p = is;
	if (intset_len(is) > max_intset())
		tset_convert(t, OBJ_ENC_HASHTABLE, intset_len(is));
}
