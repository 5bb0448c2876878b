/*
 * kv: the layout of one key's allocation (private to storage/: obj.c, store.c, expire.c and the
 * type modules).
 *
 *   struct obj o                type|encoding, flags, key length, embstr length, LRU time
 *   [uint32 key length]         only when the key is 255 bytes or longer (klen == 255)
 *   key bytes
 *   payload                     int64 (int), the string bytes (embstr), or a pointer
 *   [int64 expire, uint32 pos]  only with KV_F_EXPIRE: unix ms, and the key's slot in the db's
 *                               expiry index
 *
 * Unaligned fields are read and written with memcpy, which compiles to plain moves on x86 and
 * ARM64. With glibc's 16-byte chunks, "key:0000001" + a 16-byte string is 35 bytes, and
 * "key:000000000001" + 16 bytes is 40: each one 48-byte chunk (40 usable bytes).
 */
#ifndef REPLICANT_KV_H
#define REPLICANT_KV_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "storage/obj.h"

#define KV_F_EXPIRE 0x01
#define KV_F_SHARED 0x02	/* an int that Redis would hold as a shared integer */
#define KV_LONGKEY 255

struct kv {
	struct obj o;
	unsigned char data[];
};

static inline struct kv *
kv_of(const struct obj *o)
{
	return (struct kv *)(uintptr_t)o;
}

static inline size_t
kv_keylen(const struct kv *kv)
{
	uint32_t n;

	if (kv->o.klen != KV_LONGKEY)
		return kv->o.klen;
	memcpy(&n, kv->data, sizeof n);
	return n;
}

static inline unsigned char *
kv_key(const struct kv *kv)
{
	return (unsigned char *)(uintptr_t)kv->data + (kv->o.klen == KV_LONGKEY ? 4 : 0);
}

static inline size_t
kv_payload_size(enum obj_encoding enc, size_t vlen)
{
	return enc == OBJ_ENC_EMBSTR ? vlen : 8;
}

static inline unsigned char *
kv_payload(const struct kv *kv)
{
	return kv_key(kv) + kv_keylen(kv);
}

/* Address of the expire block (valid only with KV_F_EXPIRE). */
static inline unsigned char *
kv_expire_block(const struct kv *kv)
{
	return kv_payload(kv) + kv_payload_size(obj_encoding(&kv->o), kv->o.vlen);
}

static inline int64_t
kv_expire(const struct kv *kv)
{
	int64_t t;

	if (!(kv->o.flags & KV_F_EXPIRE))
		return OBJ_NO_EXPIRE;
	memcpy(&t, kv_expire_block(kv), sizeof t);
	return t;
}

static inline uint32_t
kv_expire_pos(const struct kv *kv)
{
	uint32_t pos;

	memcpy(&pos, kv_expire_block(kv) + 8, sizeof pos);
	return pos;
}

static inline void
kv_set_expire_pos(struct kv *kv, uint32_t pos)
{
	memcpy(kv_expire_block(kv) + 8, &pos, sizeof pos);
}

/* Bytes for a kv with these parts. */
static inline size_t
kv_size(size_t klen, enum obj_encoding enc, size_t vlen, int has_expire)
{
	return offsetof(struct kv, data) + (klen >= KV_LONGKEY ? 4 : 0) + klen +
	    kv_payload_size(enc, vlen) + (has_expire ? 12 : 0);
}

#endif
