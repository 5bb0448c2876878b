/*
 * store: the keyspace. N databases (16 by default), each a hash table of keys (dict.h) and an
 * expiry index of the keys with a TTL.
 *
 * Data flow: the command layer (replica/commands) looks keys up and writes through this API; the
 * RDB loader fills a fresh store on its own thread, and the main loop makes it live with
 * store_swap; the server's cron calls store_rehash_step and store_expire_cycle.
 *
 * Time is a parameter: every call that needs "now" takes now_ms (unix ms), so expiry is
 * deterministic under test. A key is expired when now_ms > its expiry time, as in Redis.
 *
 * Expiry follows the mode (store_set_mode):
 *   STORE_REPLICA  (connected to a primary, read-only) a client read of an expired key sees it
 *                  missing, but nothing is removed: only the primary's DEL removes it. Writes come
 *                  from the primary's stream, and Redis never considers a key expired for the
 *                  master client (db.c expireIfNeeded returns 0 when current_client is the
 *                  master), so write-path lookups return expired keys as present, and commands
 *                  applied from the primary must use store_lookup_write for every key they read.
 *                  store_expire_cycle does nothing.
 *   STORE_OFFLINE  (no primary, or replica-read-only no) both paths delete an expired key when
 *                  they meet it, and store_expire_cycle removes expired keys incrementally, as a
 *                  Redis primary's activeExpireCycle does.
 *
 * Pointers: a struct obj * from this API is valid as obj.h says (until that key is changed).
 * A struct db * is valid for the store's life; SWAPDB and store_swap exchange contents, not
 * the structs, so a client's selected db pointer stays right.
 */
#ifndef REPLICANT_STORE_H
#define REPLICANT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

#define STORE_DEFAULT_DBS 16

/* As the expire argument of store_set_value: keep the key's current TTL (SET KEEPTTL). */
#define STORE_KEEP_TTL (INT64_MIN + 1)

struct store;
struct db;

enum store_mode {
	STORE_REPLICA,
	STORE_OFFLINE,
};

enum store_result {
	STORE_OK,
	STORE_NOT_FOUND,	/* the source key does not exist */
	STORE_EXISTS,		/* the destination exists and may not be replaced */
};

/*
 * A monotonic clock in microseconds, used only to bound the work of store_rehash_step and
 * store_expire_cycle (never for expiry decisions).
 */
typedef uint64_t (*store_clock_fn)(void *arg);

/* Called by store_scan for each live key it visits. It must not change the db. */
typedef void (*store_scan_fn)(struct obj *o, void *arg);

/* Returns a new empty store of ndb databases (>= 1) in STORE_REPLICA mode. Free with store_free. */
struct store *store_new(unsigned ndb, uint64_t seed);
/* Takes s (may be NULL) and frees it with every key. May run on any thread if s is not shared. */
void store_free(struct store *s);

void store_set_mode(struct store *s, enum store_mode mode);
enum store_mode store_get_mode(const struct store *s);
/* Sets the clock for the time budgets (NULL: budgets count sampled keys or buckets instead). */
void store_set_clock(struct store *s, store_clock_fn fn, void *arg);

/* Returns the number of databases. */
unsigned store_ndb(const struct store *s);
/* Returns database id (< store_ndb), borrowed for the store's life. */
struct db *store_db(struct store *s, unsigned id);
/* Returns the index of db. */
unsigned store_db_id(const struct db *db);

/*
 * Exchanges the contents of every database of live and fresh (same ndb), so fresh data serves
 * at once through the db pointers clients hold. Afterwards fresh holds the old data: free it with
 * store_free, on another thread if it is large. Mode and clock stay with each store.
 */
void store_swap(struct store *live, struct store *fresh);
/* Exchanges the contents of databases a and b (SWAPDB). */
void store_swapdb(struct store *s, unsigned a, unsigned b);

/* Removes every key of db; returns how many there were. */
size_t store_flushdb(struct db *db);
/*
 * Empties db in O(1) and returns a new one-database store holding what it held, for the caller
 * to store_free on another thread (FLUSHDB ASYNC).
 */
struct store *store_flushdb_detach(struct db *db);
/* Removes every key of every db. */
void store_flushall(struct store *s);

/* Returns the number of keys, expired ones included (DBSIZE, INFO keyspace keys=). */
size_t store_db_size(const struct db *db);
/* Returns the number of keys with a TTL (INFO keyspace expires=). */
size_t store_db_expires(const struct db *db);
/*
 * Returns the estimate of the average TTL in ms of keys with one (INFO keyspace avg_ttl=), kept
 * as Redis keeps it: a running average over the keys the active expiry cycle samples, so 0 in
 * STORE_REPLICA mode, where no cycle runs.
 */
int64_t store_db_avg_ttl(const struct db *db);
/* Makes room for n keys in one resize (RDB RESIZEDB). */
void store_db_expand(struct db *db, size_t n);

/* Starts loading key's bucket line into the cache (dict_prefetch): MGET calls it ahead. */
void store_prefetch(struct db *db, const char *key, size_t klen);

/*
 * Returns the value of key for a client read, or NULL if it is absent or expired. In
 * STORE_OFFLINE mode an expired key is deleted.
 */
struct obj *store_lookup_read(struct db *db, const char *key, size_t klen, int64_t now_ms);
/*
 * Returns the value of key for a write (and for every read a write command makes), or NULL.
 * In STORE_REPLICA mode an expired key is returned (the primary decides); in STORE_OFFLINE
 * mode it is deleted and NULL returned.
 */
struct obj *store_lookup_write(struct db *db, const char *key, size_t klen, int64_t now_ms);
/*
 * As store_lookup_read, without marking the key accessed (Redis' LOOKUP_NOTOUCH: TYPE, TTL,
 * EXISTS, OBJECT). store_lookup_read and store_lookup_write record now_ms as the key's last
 * access (OBJECT IDLETIME).
 */
struct obj *store_lookup_peek(struct db *db, const char *key, size_t klen, int64_t now_ms);
/* Returns the value of key whatever its expiry (tests, DEBUG, the loader). */
struct obj *store_lookup_any(struct db *db, const char *key, size_t klen);
/* Returns true if o has a TTL and now_ms is past it. */
bool store_is_expired(const struct obj *o, int64_t now_ms);

/*
 * Sets key to the value v, replacing any value it had, and returns the new value (o's pointer
 * rules apply). Takes v->ptr for pointer encodings; copies key and embstr bytes. expire is an
 * absolute unix ms time, OBJ_NO_EXPIRE (remove any TTL, as SET does) or STORE_KEEP_TTL (in
 * STORE_OFFLINE mode an expired key has no TTL to keep). now_ms becomes the key's last access
 * time. v->ptr must not be the key's current payload (that one is freed).
 */
struct obj *store_set_value(struct db *db, const char *key, size_t klen,
    const struct obj_value *v, int64_t expire, int64_t now_ms);

/*
 * Deletes key. Returns true if a key was removed that the caller's view saw live: in
 * STORE_OFFLINE mode an expired key is removed but reported as absent (Redis deletes it lazily
 * first); in STORE_REPLICA mode (the primary's DEL) any key counts.
 */
bool store_delete(struct db *db, const char *key, size_t klen, int64_t now_ms);

/*
 * Sets o's TTL to when (unix ms) or removes it (OBJ_NO_EXPIRE). Returns o's new address: adding
 * a TTL may reallocate the key, and the old o is invalid then.
 */
struct obj *store_set_expire(struct db *db, struct obj *o, int64_t when);

/*
 * RENAME / RENAMENX within db: moves src's value and TTL to dst without copying the value,
 * replacing dst unless nx. Returns STORE_NOT_FOUND (src absent), STORE_EXISTS (nx and dst
 * present: nothing changes) or STORE_OK. src == dst is STORE_OK (or STORE_EXISTS with nx) and
 * changes nothing. Lookups follow store_lookup_write.
 */
enum store_result store_rename(struct db *db, const char *src, size_t slen, const char *dst,
    size_t dlen, bool nx, int64_t now_ms);

/*
 * MOVE: moves key with its TTL from db to to (a different db) without copying. Returns
 * STORE_NOT_FOUND, STORE_EXISTS (key present in to) or STORE_OK.
 */
enum store_result store_move(struct db *db, struct db *to, const char *key, size_t klen,
    int64_t now_ms);

/*
 * COPY: copies src of db, with its TTL, to dst of to (which may be db; src != dst then).
 * Returns STORE_NOT_FOUND, STORE_EXISTS (dst present and !replace) or STORE_OK.
 */
enum store_result store_copy(struct db *db, const char *src, size_t slen, struct db *to,
    const char *dst, size_t dlen, bool replace, int64_t now_ms);

/*
 * One SCAN call: visits buckets from cursor until count keys were seen or 10 * count buckets
 * visited, calls fn for each live key, and returns the next cursor (0: done). Expired keys are
 * skipped (and deleted in STORE_OFFLINE mode). Every key present during the whole iteration is
 * reported at least once, across resizes.
 */
uint64_t store_scan(struct db *db, uint64_t cursor, size_t count, int64_t now_ms,
    store_scan_fn fn, void *arg);

/*
 * Calls fn for every key of db, expired ones included, in no order (DEBUG, snapshots, KEYS over
 * a db that must not change meanwhile). fn must not change the db.
 */
void store_db_foreach(struct db *db, store_scan_fn fn, void *arg);

/*
 * RANDOMKEY: returns a random live key's value, or NULL if there is none. In STORE_REPLICA mode,
 * when every key has a TTL it gives up after 100 expired draws and returns an expired key, as
 * Redis' dbRandomKey does; in STORE_OFFLINE mode expired draws are deleted.
 */
struct obj *store_random_key(struct db *db, int64_t now_ms);

/*
 * Active expiry (STORE_OFFLINE only; returns 0 otherwise): visits databases in turn, checks keys
 * of the expiry index 20 at a time and deletes the expired ones, repeating on a db while more
 * than 10% of a batch had expired, as Redis' activeExpireCycle does. Stops when budget_us has
 * passed on the store's clock (without a clock: after budget_us keys checked). Resumes where it
 * stopped on the next call. Updates avg_ttl. Returns the number of keys deleted.
 */
size_t store_expire_cycle(struct store *s, int64_t now_ms, uint64_t budget_us);

/*
 * Cron step: shrinks sparse tables and moves buckets of resizing tables, 100 at a time, until
 * budget_us passes (without a clock: budget_us buckets). Returns true if work remains.
 */
bool store_rehash_step(struct store *s, uint64_t budget_us);

#endif
