/*
 * store_int: the structures behind store.h, shared by store.c, expire.c and the type modules
 * (private to storage/).
 */
#ifndef REPLICANT_STORE_INT_H
#define REPLICANT_STORE_INT_H

#include "storage/dict.h"
#include "storage/kv.h"
#include "storage/store.h"

struct db {
	struct dict keys;
	struct kv **exp;	/* expiry index: every key with a TTL, in no order */
	size_t nexp, exp_cap;
	size_t exp_cursor;	/* where the active expiry cycle resumes in exp */
	int64_t avg_ttl;
	unsigned id;
	struct store *store;
};

struct store {
	unsigned ndb;
	enum store_mode mode;
	uint64_t rng;
	store_clock_fn clock;
	void *clock_arg;
	unsigned expire_db;	/* next db of the active expiry cycle */
	unsigned rehash_db;	/* next db of the cron rehash */
	struct db db[];
};

/* expire.c: maintenance of the expiry index (kv must carry KV_F_EXPIRE and its time). */
void expire_index_add(struct db *db, struct kv *kv);
void expire_index_remove(struct db *db, struct kv *kv);
/* Removes the key at slot pos of the index (its key may already be freed or rewritten). */
void expire_index_remove_at(struct db *db, uint32_t pos);
void expire_index_free(struct db *db);

/* store.c: unlinks kv from db and frees it with its payload. */
void store_remove_kv(struct db *db, struct kv *kv);

static inline bool
kv_is_expired(const struct kv *kv, int64_t now_ms)
{
	return (kv->o.flags & KV_F_EXPIRE) && now_ms > kv_expire(kv);
}

#endif
