/*
 * store.c: the keyspace of store.h: databases, key allocations (layout in kv.h), lookups with the
 * replica and offline expiry rules, writes, RENAME/MOVE/COPY, SCAN, RANDOMKEY, flush and swap.
 *
 * The expiry index and the active expiry cycle are in expire.c. Start reading at
 * store_lookup_read and store_set_value.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/store_int.h"

/* A reused key allocation may waste at most this many bytes (else it is reallocated). */
#define KV_REUSE_SLACK 32
/* RANDOMKEY's draws before it returns an expired key when every key is volatile. */
#define RANDOM_MAX_TRIES 100

static const char *
kv_dict_key(const void *e, size_t *len)
{
	const struct kv *kv = (const struct kv *)e;

	*len = kv_keylen(kv);
	return (const char *)kv_key(kv);
}

static const struct dict_type kv_dict_type = { kv_dict_key };

/* Writes v's header and payload into kv, whose key is in place. */
static void
kv_put_value(struct kv *kv, const struct obj_value *v)
{
	unsigned char *p;

	assert(v->enc != OBJ_ENC_EMBSTR || v->len <= OBJ_EMBSTR_MAX);
	kv->o.te = (uint8_t)(v->type | (v->enc << 3));
	kv->o.vlen = v->enc == OBJ_ENC_EMBSTR ? (uint8_t)v->len : 0;
	p = kv_payload(kv);
	kv->o.flags &= (uint8_t)~KV_F_SHARED;
	switch (v->enc) {
	case OBJ_ENC_INT:
		memcpy(p, &v->i, sizeof v->i);
		if (!v->no_share && v->i >= 0 && v->i < OBJ_SHARED_INTEGERS)
			kv->o.flags |= KV_F_SHARED;
		break;
	case OBJ_ENC_EMBSTR:
		/* memmove: the bytes may come from this very allocation (a value set to itself). */
		if (v->len > 0)
			memmove(p, v->bytes, v->len);
		break;
	default:
		memcpy(p, &v->ptr, sizeof v->ptr);
		break;
	}
}

static void
kv_put_expire(struct kv *kv, int64_t when)
{
	kv->o.flags |= KV_F_EXPIRE;
	memcpy(kv_expire_block(kv), &when, sizeof when);
}

/* Reads kv's value back as an obj_value (the payload pointer is borrowed). */
static void
kv_get_value(const struct kv *kv, struct obj_value *v)
{
	const struct obj *o = &kv->o;

	memset(v, 0, sizeof *v);
	v->type = obj_type(o);
	v->enc = obj_encoding(o);
	switch (v->enc) {
	case OBJ_ENC_INT:
		v->i = obj_int(o);
		v->no_share = !(o->flags & KV_F_SHARED);
		break;
	case OBJ_ENC_EMBSTR:
		v->bytes = obj_embstr(o, &v->len);
		break;
	default:
		v->ptr = obj_ptr(o);
		break;
	}
}

static bool
kv_has_ptr(const struct kv *kv)
{
	enum obj_encoding e = obj_encoding(&kv->o);

	return e != OBJ_ENC_INT && e != OBJ_ENC_EMBSTR;
}

static struct kv *
kv_build(const char *key, size_t klen, const struct obj_value *v, int64_t when, uint32_t lru)
{
	bool exp = when != OBJ_NO_EXPIRE;
	struct kv *kv;

	assert(klen <= UINT32_MAX);
	kv = xmalloc(kv_size(klen, v->enc, v->enc == OBJ_ENC_EMBSTR ? v->len : 0, exp));
	kv->o.flags = 0;
	kv->o.lru = lru;
	if (klen >= KV_LONGKEY) {
		uint32_t n = (uint32_t)klen;

		kv->o.klen = KV_LONGKEY;
		memcpy(kv->data, &n, sizeof n);
	} else {
		kv->o.klen = (uint8_t)klen;
	}
	if (klen > 0)
		memcpy(kv_key(kv), key, klen);
	kv_put_value(kv, v);
	if (exp)
		kv_put_expire(kv, when);
	return kv;
}

/* Frees kv and, if free_payload, the payload it points to. */
static void
kv_free(struct kv *kv, bool free_payload)
{
	if (free_payload && kv_has_ptr(kv))
		obj_payload_free(obj_type(&kv->o), obj_encoding(&kv->o), obj_ptr(&kv->o));
	xfree(kv);
}

static void
kv_free_cb(void *e, void *arg)
{
	kv_free(e, true);
}

struct store *
store_new(unsigned ndb, uint64_t seed)
{
	struct store *s;

	assert(ndb >= 1);
	s = xcalloc(1, sizeof *s + ndb * sizeof s->db[0]);
	s->ndb = ndb;
	s->mode = STORE_REPLICA;
	s->rng = seed ^ 0x853c49e6748fea9bULL;
	for (unsigned i = 0; i < ndb; i++) {
		dict_init(&s->db[i].keys, &kv_dict_type, dict_rand(&s->rng));
		s->db[i].id = i;
		s->db[i].store = s;
	}
	return s;
}

void
store_free(struct store *s)
{
	if (s == NULL)
		return;
	store_flushall(s);
	xfree(s);
}

void
store_set_mode(struct store *s, enum store_mode mode)
{
	s->mode = mode;
}

enum store_mode
store_get_mode(const struct store *s)
{
	return s->mode;
}

void
store_set_clock(struct store *s, store_clock_fn fn, void *arg)
{
	s->clock = fn;
	s->clock_arg = arg;
}

unsigned
store_ndb(const struct store *s)
{
	return s->ndb;
}

struct db *
store_db(struct store *s, unsigned id)
{
	assert(id < s->ndb);
	return &s->db[id];
}

unsigned
store_db_id(const struct db *db)
{
	return db->id;
}

/* Exchanges what a and b hold; each keeps its id and store. */
static void
db_swap_contents(struct db *a, struct db *b)
{
	struct db t = *a;

	a->keys = b->keys;
	a->exp = b->exp;
	a->nexp = b->nexp;
	a->exp_cap = b->exp_cap;
	a->exp_cursor = b->exp_cursor;
	a->avg_ttl = b->avg_ttl;
	b->keys = t.keys;
	b->exp = t.exp;
	b->nexp = t.nexp;
	b->exp_cap = t.exp_cap;
	b->exp_cursor = t.exp_cursor;
	b->avg_ttl = t.avg_ttl;
}

void
store_swap(struct store *live, struct store *fresh)
{
	assert(live->ndb == fresh->ndb);
	for (unsigned i = 0; i < live->ndb; i++)
		db_swap_contents(&live->db[i], &fresh->db[i]);
}

void
store_swapdb(struct store *s, unsigned a, unsigned b)
{
	assert(a < s->ndb && b < s->ndb);
	if (a != b)
		db_swap_contents(&s->db[a], &s->db[b]);
}

size_t
store_flushdb(struct db *db)
{
	size_t n = dict_size(&db->keys);

	dict_release(&db->keys, kv_free_cb, NULL);
	expire_index_free(db);
	db->avg_ttl = 0;
	return n;
}

struct store *
store_flushdb_detach(struct db *db)
{
	struct store *old = store_new(1, dict_rand(&db->store->rng));

	db_swap_contents(db, &old->db[0]);
	return old;
}

void
store_flushall(struct store *s)
{
	for (unsigned i = 0; i < s->ndb; i++)
		store_flushdb(&s->db[i]);
}

size_t
store_db_size(const struct db *db)
{
	return dict_size(&db->keys);
}

size_t
store_db_expires(const struct db *db)
{
	return db->nexp;
}

int64_t
store_db_avg_ttl(const struct db *db)
{
	return db->avg_ttl;
}

void
store_db_expand(struct db *db, size_t n)
{
	dict_expand(&db->keys, n);
}

void
store_remove_kv(struct db *db, struct kv *kv)
{
	void *e = dict_unlink(&db->keys, kv_key(kv), kv_keylen(kv));

	assert(e == kv);
	(void)e;
	if (kv->o.flags & KV_F_EXPIRE)
		expire_index_remove(db, kv);
	kv_free(kv, true);
}

bool
store_is_expired(const struct obj *o, int64_t now_ms)
{
	return kv_is_expired(kv_of(o), now_ms);
}

struct obj *
store_lookup_any(struct db *db, const char *key, size_t klen)
{
	struct kv *kv = dict_find(&db->keys, key, klen);

	return kv ? &kv->o : NULL;
}

static inline uint32_t
lru_clock(int64_t now_ms)
{
	return (uint32_t)(now_ms / 1000);
}

/* Records an access; skips the store within the same second, to leave the line clean. */
static inline void
touch(struct obj *o, int64_t now_ms)
{
	uint32_t now = lru_clock(now_ms);

	if (o->lru != now)
		o->lru = now;
}

struct obj *
store_lookup_peek(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct kv *kv = dict_find(&db->keys, key, klen);

	if (kv == NULL)
		return NULL;
	if (kv_is_expired(kv, now_ms)) {
		if (db->store->mode == STORE_OFFLINE)
			store_remove_kv(db, kv);
		return NULL;
	}
	return &kv->o;
}

void
store_prefetch(struct db *db, const char *key, size_t klen)
{
	dict_prefetch(&db->keys, key, klen);
}

struct obj *
store_lookup_read(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct obj *o = store_lookup_peek(db, key, klen, now_ms);

	if (o != NULL)
		touch(o, now_ms);
	return o;
}

struct obj *
store_lookup_write(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct kv *kv = dict_find(&db->keys, key, klen);

	if (kv == NULL)
		return NULL;
	if (db->store->mode == STORE_OFFLINE && kv_is_expired(kv, now_ms)) {
		store_remove_kv(db, kv);
		return NULL;
	}
	touch(&kv->o, now_ms);
	return &kv->o;
}

struct obj *
store_set_value(struct db *db, const char *key, size_t klen, const struct obj_value *v,
    int64_t expire, int64_t now_ms)
{
	struct dict_ref ref;
	struct kv *old = dict_find_ref(&db->keys, key, klen, &ref), *kv;
	int64_t when = expire;
	size_t need, have;
	uint32_t pos = 0;
	bool had_exp;

	/* KEEPTTL keeps nothing of a key that has expired where this store expires keys itself. */
	if (expire == STORE_KEEP_TTL)
		when = old && !(db->store->mode == STORE_OFFLINE && kv_is_expired(old, now_ms)) ?
		    kv_expire(old) : OBJ_NO_EXPIRE;
	if (old == NULL) {
		kv = kv_build(key, klen, v, when, lru_clock(now_ms));
		dict_add(&db->keys, kv);
		if (when != OBJ_NO_EXPIRE)
			expire_index_add(db, kv);
		return &kv->o;
	}
	had_exp = (old->o.flags & KV_F_EXPIRE) != 0;
	if (had_exp)
		pos = kv_expire_pos(old);
	if (kv_has_ptr(old))
		obj_payload_free(obj_type(&old->o), obj_encoding(&old->o), obj_ptr(&old->o));
	/* Overwriting with a value of about the same size rewrites the allocation in place. */
	need = kv_size(klen, v->enc, v->enc == OBJ_ENC_EMBSTR ? v->len : 0,
	    when != OBJ_NO_EXPIRE);
	have = xsize(old);
	if (need <= have && have - need < KV_REUSE_SLACK) {
		kv = old;
		kv->o.flags = 0;
		kv->o.lru = lru_clock(now_ms);
		kv_put_value(kv, v);
		if (when != OBJ_NO_EXPIRE)
			kv_put_expire(kv, when);
	} else {
		kv = kv_build(key, klen, v, when, lru_clock(now_ms));
		dict_ref_replace(ref, kv);
		xfree(old);
	}
	if (when != OBJ_NO_EXPIRE) {
		if (had_exp) {
			/* Keep the index slot: only the key's address may have changed. */
			kv_set_expire_pos(kv, pos);
			db->exp[pos] = kv;
		} else {
			expire_index_add(db, kv);
		}
	} else if (had_exp) {
		/* The slot still names the old allocation: remove it by position. */
		expire_index_remove_at(db, pos);
	}
	return &kv->o;
}

bool
store_delete(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct kv *kv = dict_unlink(&db->keys, key, klen);
	bool live;

	if (kv == NULL)
		return false;
	live = !(db->store->mode == STORE_OFFLINE && kv_is_expired(kv, now_ms));
	if (kv->o.flags & KV_F_EXPIRE)
		expire_index_remove(db, kv);
	kv_free(kv, true);
	return live;
}

struct obj *
store_set_expire(struct db *db, struct obj *o, int64_t when)
{
	struct kv *kv = kv_of(o);
	struct dict_ref ref;
	size_t need;

	if (when == OBJ_NO_EXPIRE) {
		if (kv->o.flags & KV_F_EXPIRE) {
			expire_index_remove(db, kv);
			kv->o.flags &= (uint8_t)~KV_F_EXPIRE;
		}
		return o;
	}
	if (kv->o.flags & KV_F_EXPIRE) {
		memcpy(kv_expire_block(kv), &when, sizeof when);
		return o;
	}
	need = kv_size(kv_keylen(kv), obj_encoding(o), o->vlen, 1);
	if (xsize(kv) < need) {
		void *e = dict_find_ref(&db->keys, kv_key(kv), kv_keylen(kv), &ref);

		assert(e == kv);
		(void)e;
		kv = xrealloc(kv, need);
		dict_ref_replace(ref, kv);
	}
	kv_put_expire(kv, when);
	expire_index_add(db, kv);
	return &kv->o;
}

enum store_result
store_rename(struct db *db, const char *src, size_t slen, const char *dst, size_t dlen,
    bool nx, int64_t now_ms)
{
	struct obj *o = store_lookup_write(db, src, slen, now_ms), *d;
	struct obj_value v;
	struct kv *kv, *nkv;

	if (o == NULL)
		return STORE_NOT_FOUND;
	if (slen == dlen && memcmp(src, dst, slen) == 0)
		return nx ? STORE_EXISTS : STORE_OK;
	d = store_lookup_write(db, dst, dlen, now_ms);
	if (d != NULL) {
		if (nx)
			return STORE_EXISTS;
		store_remove_kv(db, kv_of(d));
	}
	kv = dict_unlink(&db->keys, src, slen);
	assert(kv == kv_of(o));
	if (kv->o.flags & KV_F_EXPIRE)
		expire_index_remove(db, kv);
	/* The payload moves to the new key: only the key's allocation is rebuilt (same object). */
	kv_get_value(kv, &v);
	nkv = kv_build(dst, dlen, &v, kv_expire(kv), kv->o.lru);
	dict_add(&db->keys, nkv);
	if (nkv->o.flags & KV_F_EXPIRE)
		expire_index_add(db, nkv);
	kv_free(kv, false);
	return STORE_OK;
}

enum store_result
store_move(struct db *db, struct db *to, const char *key, size_t klen, int64_t now_ms)
{
	struct kv *kv;

	assert(db != to);
	if (store_lookup_write(db, key, klen, now_ms) == NULL)
		return STORE_NOT_FOUND;
	if (store_lookup_write(to, key, klen, now_ms) != NULL)
		return STORE_EXISTS;
	kv = dict_unlink(&db->keys, key, klen);
	if (kv->o.flags & KV_F_EXPIRE)
		expire_index_remove(db, kv);
	dict_add(&to->keys, kv);
	if (kv->o.flags & KV_F_EXPIRE)
		expire_index_add(to, kv);
	return STORE_OK;
}

enum store_result
store_copy(struct db *db, const char *src, size_t slen, struct db *to, const char *dst,
    size_t dlen, bool replace, int64_t now_ms)
{
	struct obj *o = store_lookup_write(db, src, slen, now_ms);
	struct obj_value v;

	if (o == NULL)
		return STORE_NOT_FOUND;
	assert(db != to || slen != dlen || memcmp(src, dst, slen) != 0);
	if (store_lookup_write(to, dst, dlen, now_ms) != NULL && !replace)
		return STORE_EXISTS;
	kv_get_value(kv_of(o), &v);
	if (kv_has_ptr(kv_of(o)))
		v.ptr = obj_payload_dup(v.type, v.enc, v.ptr);
	v.no_share = true;	/* Redis' dupStringObject makes a private int */
	store_set_value(to, dst, dlen, &v, obj_expire(o), now_ms);
	return STORE_OK;
}

/* Keys one SCAN call collects before it filters them; most calls fit on the stack. */
struct scan_batch {
	struct kv **v;
	size_t n, cap;
	struct kv *inline_v[32];
};

static void
scan_collect(void *e, void *arg)
{
	struct scan_batch *b = arg;

	if (b->n == b->cap) {
		struct kv **nv = xmalloc(2 * b->cap * sizeof *nv);

		memcpy(nv, b->v, b->n * sizeof *nv);
		if (b->v != b->inline_v)
			xfree(b->v);
		b->v = nv;
		b->cap *= 2;
	}
	b->v[b->n++] = e;
}

uint64_t
store_scan(struct db *db, uint64_t cursor, size_t count, int64_t now_ms, store_scan_fn fn,
    void *arg)
{
	struct scan_batch b;
	size_t maxiter;

	if (count == 0)
		count = 1;
	if (count > SIZE_MAX / 10)
		count = SIZE_MAX / 10;
	maxiter = count * 10;
	b.v = b.inline_v;
	b.n = 0;
	b.cap = sizeof b.inline_v / sizeof b.inline_v[0];
	do {
		cursor = dict_scan(&db->keys, cursor, scan_collect, &b);
	} while (cursor != 0 && --maxiter > 0 && b.n < count);
	/* Deleting only after the walk keeps the buckets stable while they are visited. */
	for (size_t i = 0; i < b.n; i++) {
		if (!kv_is_expired(b.v[i], now_ms))
			fn(&b.v[i]->o, arg);
		else if (db->store->mode == STORE_OFFLINE)
			store_remove_kv(db, b.v[i]);
	}
	if (b.v != b.inline_v)
		xfree(b.v);
	return cursor;
}

struct foreach_ctx {
	store_scan_fn fn;
	void *arg;
};

static void
foreach_cb(void *e, void *arg)
{
	struct foreach_ctx *c = arg;

	c->fn(&((struct kv *)e)->o, c->arg);
}

void
store_db_foreach(struct db *db, store_scan_fn fn, void *arg)
{
	struct foreach_ctx c = { fn, arg };
	uint64_t cursor = 0;

	/* Nothing changes the table meanwhile, so one cursor pass visits each key exactly once. */
	do {
		cursor = dict_scan(&db->keys, cursor, foreach_cb, &c);
	} while (cursor != 0);
}

struct obj *
store_random_key(struct db *db, int64_t now_ms)
{
	struct store *s = db->store;
	unsigned tries = RANDOM_MAX_TRIES;

	for (;;) {
		struct kv *kv = dict_random(&db->keys, &s->rng);

		if (kv == NULL)
			return NULL;
		if (!kv_is_expired(kv, now_ms))
			return &kv->o;
		if (s->mode == STORE_OFFLINE) {
			store_remove_kv(db, kv);
			continue;
		}
		/* Every key volatile: the replica may hold only expired keys; give up as Redis does. */
		if (db->nexp == dict_size(&db->keys) && --tries == 0)
			return &kv->o;
	}
}

static uint64_t
clock_now(const struct store *s)
{
	return s->clock(s->clock_arg);
}

bool
store_rehash_step(struct store *s, uint64_t budget_us)
{
	uint64_t start = s->clock ? clock_now(s) : 0, work = 0;
	bool more = false;

	for (unsigned n = 0; n < s->ndb; n++) {
		struct db *db = &s->db[s->rehash_db];

		dict_resize_if_needed(&db->keys);
		while (dict_rehash(&db->keys, 100)) {
			work += 100;
			if (s->clock ? clock_now(s) - start >= budget_us : work >= budget_us)
				return true;
		}
		s->rehash_db = (s->rehash_db + 1) % s->ndb;
	}
	for (unsigned i = 0; i < s->ndb; i++)
		more |= dict_is_rehashing(&s->db[i].keys);
	return more;
}
