/*
 * obj.c: reading a value out of its key's allocation (layout in kv.h), names for TYPE and
 * OBJECT ENCODING, and the per-type payload destructor and copier that the store calls.
 *
 * Each collection type module supplies its payload's destructor, copier and size
 * (t_hash.h, t_list.h, t_set.h, t_zset.h, t_stream.h); obj_payload_free, obj_payload_dup and obj_mem_usage
 * dispatch on the type.
 */
#include <assert.h>

#include "storage/base/mem.h"
#include "storage/kv.h"
#include "storage/obj.h"
#include "storage/t_hash.h"
#include "storage/t_list.h"
#include "storage/t_set.h"
#include "storage/t_stream.h"
#include "storage/t_string.h"
#include "storage/t_zset.h"

struct obj_limits obj_limits = {
	.hash_max_listpack_entries = 512,
	.hash_max_listpack_value = 64,
	.list_max_listpack_size = -2,
	.list_compress_depth = 0,
	.set_max_intset_entries = 512,
	.set_max_listpack_entries = 128,
	.set_max_listpack_value = 64,
	.zset_max_listpack_entries = 128,
	.zset_max_listpack_value = 64,
};

const char *
obj_type_name(enum obj_type t)
{
	switch (t) {
	case OBJ_STRING:
		return "string";
	case OBJ_LIST:
		return "list";
	case OBJ_SET:
		return "set";
	case OBJ_ZSET:
		return "zset";
	case OBJ_HASH:
		return "hash";
	case OBJ_MODULE:
		return "module";
	case OBJ_STREAM:
		return "stream";
	}
	return "unknown";
}

const char *
obj_encoding_name(enum obj_encoding e)
{
	switch (e) {
	case OBJ_ENC_RAW:
		return "raw";
	case OBJ_ENC_INT:
		return "int";
	case OBJ_ENC_HASHTABLE:
		return "hashtable";
	case OBJ_ENC_ZIPMAP:
		return "zipmap";
	case OBJ_ENC_LINKEDLIST:
		return "linkedlist";
	case OBJ_ENC_ZIPLIST:
		return "ziplist";
	case OBJ_ENC_INTSET:
		return "intset";
	case OBJ_ENC_SKIPLIST:
		return "skiplist";
	case OBJ_ENC_EMBSTR:
		return "embstr";
	case OBJ_ENC_QUICKLIST:
		return "quicklist";
	case OBJ_ENC_STREAM:
		return "stream";
	case OBJ_ENC_LISTPACK:
		return "listpack";
	case OBJ_ENC_LISTPACK_EX:
		return "listpackex";
	}
	return "unknown";
}

const char *
obj_key(const struct obj *o, size_t *len)
{
	const struct kv *kv = kv_of(o);

	*len = kv_keylen(kv);
	return (const char *)kv_key(kv);
}

int64_t
obj_expire(const struct obj *o)
{
	return kv_expire(kv_of(o));
}

int64_t
obj_idle_seconds(const struct obj *o, int64_t now_ms)
{
	uint32_t now = (uint32_t)(now_ms / 1000);

	/* Unsigned difference: correct across the 2^32 wrap, and a clock step back reads as 0. */
	return now >= o->lru ? (int64_t)(now - o->lru) : 0;
}

void
obj_set_idle_seconds(struct obj *o, int64_t idle, int64_t now_ms)
{
	int64_t now = now_ms / 1000;

	if (idle < 0)
		idle = 0;
	if (idle > now)
		idle = now;
	o->lru = (uint32_t)(now - idle);
}

int64_t
obj_int(const struct obj *o)
{
	int64_t v;

	assert(obj_encoding(o) == OBJ_ENC_INT);
	memcpy(&v, kv_payload(kv_of(o)), sizeof v);
	return v;
}

void
obj_set_payload(struct obj *o, enum obj_encoding enc, void *p)
{
	assert(enc != OBJ_ENC_INT && enc != OBJ_ENC_EMBSTR);
	assert(obj_encoding(o) != OBJ_ENC_INT && obj_encoding(o) != OBJ_ENC_EMBSTR);
	o->te = (uint8_t)((o->te & 7) | (unsigned)enc << 3);
	memcpy(kv_payload(kv_of(o)), &p, sizeof p);
}

void
obj_set_int(struct obj *o, int64_t v)
{
	assert(obj_encoding(o) == OBJ_ENC_INT);
	memcpy(kv_payload(kv_of(o)), &v, sizeof v);
	/* Redis' INCR leaves a shared integer exactly when the result is in the shared range. */
	if (v >= 0 && v < OBJ_SHARED_INTEGERS)
		o->flags |= KV_F_SHARED;
	else
		o->flags &= (uint8_t)~KV_F_SHARED;
}

int64_t
obj_refcount(const struct obj *o)
{
	return (o->flags & KV_F_SHARED) ? OBJ_SHARED_REFCOUNT : 1;
}

const char *
obj_embstr(const struct obj *o, size_t *len)
{
	assert(obj_encoding(o) == OBJ_ENC_EMBSTR);
	*len = o->vlen;
	return (const char *)kv_payload(kv_of(o));
}

void *
obj_ptr(const struct obj *o)
{
	void *p;

	assert(obj_encoding(o) != OBJ_ENC_INT && obj_encoding(o) != OBJ_ENC_EMBSTR);
	memcpy(&p, kv_payload(kv_of(o)), sizeof p);
	return p;
}

void
obj_set_ptr(struct obj *o, void *p)
{
	assert(obj_encoding(o) != OBJ_ENC_INT && obj_encoding(o) != OBJ_ENC_EMBSTR);
	memcpy(kv_payload(kv_of(o)), &p, sizeof p);
}

size_t
obj_mem_usage(const struct obj *o)
{
	size_t n = xsize(kv_of(o));
	enum obj_encoding enc = obj_encoding(o);

	if (enc == OBJ_ENC_INT || enc == OBJ_ENC_EMBSTR)
		return n;
	switch (obj_type(o)) {
	case OBJ_HASH:
		return n + thash_payload_mem(enc, obj_ptr(o));
	case OBJ_LIST:
		return n + tlist_payload_mem(enc, obj_ptr(o));
	case OBJ_SET:
		return n + tset_payload_mem(enc, obj_ptr(o));
	case OBJ_ZSET:
		return n + tzset_payload_mem(enc, obj_ptr(o));
	case OBJ_STREAM:
		return n + tstream_payload_mem(enc, obj_ptr(o));
	default:
		return n + xsize(obj_ptr(o));
	}
}

void
obj_value_discard(struct obj_value *v)
{
	if (v->enc != OBJ_ENC_INT && v->enc != OBJ_ENC_EMBSTR)
		obj_payload_free(v->type, v->enc, v->ptr);
	v->ptr = NULL;
}

void
obj_payload_free(enum obj_type type, enum obj_encoding enc, void *ptr)
{
	switch (type) {
	case OBJ_STRING:
		xfree(ptr);
		return;
	case OBJ_HASH:
		thash_payload_free(enc, ptr);
		return;
	case OBJ_LIST:
		tlist_payload_free(enc, ptr);
		return;
	case OBJ_SET:
		tset_payload_free(enc, ptr);
		return;
	case OBJ_ZSET:
		tzset_payload_free(enc, ptr);
		return;
	case OBJ_STREAM:
		tstream_payload_free(enc, ptr);
		return;
	default:
		/* Module values are never loaded. */
		assert(ptr == NULL);
		return;
	}
}

void *
obj_payload_dup(enum obj_type type, enum obj_encoding enc, const void *ptr)
{
	switch (type) {
	case OBJ_STRING:
		return tstr_raw_dup(ptr);
	case OBJ_HASH:
		return thash_payload_dup(enc, ptr);
	case OBJ_LIST:
		return tlist_payload_dup(enc, ptr);
	case OBJ_SET:
		return tset_payload_dup(enc, ptr);
	case OBJ_ZSET:
		return tzset_payload_dup(enc, ptr);
	case OBJ_STREAM:
		return tstream_payload_dup(enc, ptr);
	default:
		assert(!"obj_payload_dup: type without a payload copier");
		return NULL;
	}
}
