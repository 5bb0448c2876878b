/*
 * expire.c: the expiry index of each database and the active expiry cycle (store.h
 * store_expire_cycle).
 *
 * The index is an unordered array of the keys that have a TTL; each key records its slot
 * (kv.h), so adding and removing are O(1) (removal moves the last key into the hole). That costs
 * 8 bytes per volatile key plus the 12 bytes of TTL and slot in the key itself, against Redis'
 * second dict (an entry and a bucket per volatile key). The cycle walks the array with a cursor
 * that survives between calls, so every volatile key is checked within a bounded number of
 * cycles, where Redis samples buckets of its expires dict.
 */
#include <assert.h>

#include "storage/base/mem.h"
#include "storage/store_int.h"

#define EXPIRE_KEYS_PER_LOOP 20		/* keys checked per batch (Redis' ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP) */
#define EXPIRE_ACCEPTABLE_STALE 10	/* repeat a db while more than this % of a batch expired */
#define EXPIRE_CLOCK_EVERY 16		/* batches between clock reads */

void
expire_index_add(struct db *db, struct kv *kv)
{
	assert(kv->o.flags & KV_F_EXPIRE);
	if (db->nexp == db->exp_cap) {
		db->exp_cap = db->exp_cap ? db->exp_cap * 2 : 16;
		assert(db->exp_cap <= UINT32_MAX);
		db->exp = xrealloc(db->exp, db->exp_cap * sizeof *db->exp);
	}
	kv_set_expire_pos(kv, (uint32_t)db->nexp);
	db->exp[db->nexp++] = kv;
}

void
expire_index_remove(struct db *db, struct kv *kv)
{
	uint32_t pos = kv_expire_pos(kv);

	assert(pos < db->nexp && db->exp[pos] == kv);
	expire_index_remove_at(db, pos);
}

void
expire_index_remove_at(struct db *db, uint32_t pos)
{
	struct kv *last;

	assert(pos < db->nexp);
	last = db->exp[--db->nexp];
	if (pos != db->nexp) {
		db->exp[pos] = last;
		kv_set_expire_pos(last, pos);
	}
	if (db->nexp == 0) {
		xfree(db->exp);
		db->exp = NULL;
		db->exp_cap = 0;
		db->exp_cursor = 0;
	} else if (db->exp_cap > 64 && db->nexp < db->exp_cap / 4) {
		db->exp_cap /= 2;
		db->exp = xrealloc(db->exp, db->exp_cap * sizeof *db->exp);
	}
}

void
expire_index_free(struct db *db)
{
	xfree(db->exp);
	db->exp = NULL;
	db->nexp = db->exp_cap = db->exp_cursor = 0;
}

/*
 * Checks up to EXPIRE_KEYS_PER_LOOP keys of db from its cursor, deleting the expired ones.
 * Sets *sampled and returns the number deleted; feeds the TTLs of the others to avg_ttl.
 */
static size_t
expire_batch(struct db *db, int64_t now_ms, size_t *sampled)
{
	size_t expired = 0, n = 0, ttl_samples = 0;
	int64_t ttl_sum = 0;

	while (n < EXPIRE_KEYS_PER_LOOP && db->nexp > 0) {
		struct kv *kv;
		int64_t ttl;

		if (db->exp_cursor >= db->nexp)
			db->exp_cursor = 0;
		kv = db->exp[db->exp_cursor];
		ttl = kv_expire(kv) - now_ms;
		n++;
		if (ttl < 0) {
			/* The last key moves into this slot: the cursor stays to check it next. */
			store_remove_kv(db, kv);
			expired++;
			continue;
		}
		if (ttl > 0) {
			/* Deadlines near INT64_MAX are valid, so the sum can overflow: wrap it as
			 * Redis' long long sum wraps in practice (unsigned here, so no UB), which
			 * keeps avg_ttl what Redis reports. */
			ttl_sum = (int64_t)((uint64_t)ttl_sum + (uint64_t)ttl);
			ttl_samples++;
		}
		db->exp_cursor++;
	}
	if (ttl_samples > 0) {
		int64_t avg = ttl_sum / (int64_t)ttl_samples;

		/* A running average weighted 49:1 toward the past, as Redis keeps it. */
		db->avg_ttl = db->avg_ttl == 0 ? avg : db->avg_ttl / 50 * 49 + avg / 50;
	}
	*sampled = n;
	return expired;
}

size_t
store_expire_cycle(struct store *s, int64_t now_ms, uint64_t budget_us)
{
	uint64_t start = s->clock ? s->clock(s->clock_arg) : 0, checked = 0;
	size_t removed = 0;
	unsigned batches = 0;

	if (s->mode != STORE_OFFLINE)
		return 0;
	for (unsigned n = 0; n < s->ndb; n++) {
		struct db *db = &s->db[s->expire_db];
		size_t sampled, expired;

		s->expire_db = (s->expire_db + 1) % s->ndb;
		do {
			if (db->nexp == 0) {
				db->avg_ttl = 0;
				break;
			}
			expired = expire_batch(db, now_ms, &sampled);
			removed += expired;
			checked += sampled;
			if (s->clock == NULL ? checked >= budget_us :
			    (++batches % EXPIRE_CLOCK_EVERY == 0 &&
			    s->clock(s->clock_arg) - start >= budget_us)) {
				/* Out of time: this db resumes first next call. */
				s->expire_db = db->id;
				return removed;
			}
		} while (sampled > 0 && expired * 100 / sampled > EXPIRE_ACCEPTABLE_STALE);
	}
	return removed;
}
