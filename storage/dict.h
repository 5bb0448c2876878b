/*
 * dict: a hash table of caller-owned entries with incremental rehashing and SCAN cursors.
 *
 * The table stores entry pointers in cache-line buckets of seven slots, each slot with an 8-bit
 * tag from the key's hash, so a lookup reads one line of the bucket array and then only the
 * entry whose tag matches: at a million keys a hit costs the bucket line and the entry, a miss
 * the bucket line alone. Entries need no link field (a key of the keyspace is one allocation with
 * nothing but the header, key and value). A full bucket chains to an overflow bucket.
 *
 * The table doubles (or halves) by moving buckets from the old array to the new one a few per
 * operation, and dict_rehash() moves more on demand (the server's cron), so no single call pays
 * for a whole resize. It grows when it averages six entries per bucket and shrinks when under
 * a tenth full, as Redis' dict does in spirit.
 *
 * The keyspace (store.c) is the first user; the collection types reuse it for large hashes and
 * sets. Start reading at dict_find and dict_add.
 */
#ifndef REPLICANT_DICT_H
#define REPLICANT_DICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a dict needs to know about its entries. One static const instance per entry kind. */
struct dict_type {
	/* Returns the key of entry e (borrowed, valid while e lives) and sets *len to its length. */
	const char *(*key)(const void *e, size_t *len);
};

struct dict_bucket;

/*
 * A hash table, embeddable (struct db holds one). Initialise with dict_init; a dict with no entry
 * holds no memory. Fields private. Copying the struct moves the table (no self pointers), which
 * is how SWAPDB and the full-sync swap exchange keyspaces.
 */
struct dict {
	const struct dict_type *type;
	struct dict_bucket *ht[2];	/* ht[1] is non-NULL only while rehashing */
	void *raw[2];			/* the allocations that ht[] are aligned within */
	uint64_t mask[2];		/* bucket count - 1 */
	uint64_t used[2];
	int64_t rehash_idx;		/* next bucket of ht[0] to move, -1 when not rehashing */
	uint64_t seed;
};

/* Where an entry is stored (see dict_find_ref). Valid until the next call on its dict. */
struct dict_ref {
	void **slot;
};

/* Called by dict_scan for each entry of the buckets a step visits. It must not add or remove. */
typedef void (*dict_scan_fn)(void *e, void *arg);
/* Called by dict_release for each entry: frees it (the dict does not touch it afterwards). */
typedef void (*dict_free_fn)(void *e, void *arg);

/* Initialises d as empty with entries of type t; seed perturbs the hash function. */
void dict_init(struct dict *d, const struct dict_type *t, uint64_t seed);
/* Calls free_fn (may be NULL) on every entry, frees the buckets and leaves d empty. */
void dict_release(struct dict *d, dict_free_fn free_fn, void *arg);

/* Returns the number of entries. */
size_t dict_size(const struct dict *d);
/* Returns the number of top-level buckets over both arrays (for tests and statistics). */
size_t dict_buckets(const struct dict *d);
/* Returns the bytes the table itself holds (bucket arrays and overflow buckets); walks them all. */
size_t dict_mem_usage(const struct dict *d);
/* Returns true while two bucket arrays are in use. */
bool dict_is_rehashing(const struct dict *d);

/* Returns the 64-bit hash of key under d's seed. */
uint64_t dict_hash(const struct dict *d, const void *key, size_t len);

/*
 * Starts loading the bucket line where key would be (both tables while rehashing) into the
 * CPU cache, and returns at once. A caller with several keys to look up (MGET) prefetches
 * them all first, so that their memory latencies overlap instead of adding up.
 */
void dict_prefetch(const struct dict *d, const void *key, size_t len);

/*
 * Returns the entry whose key equals the len bytes at key, or NULL. Moves one bucket if the dict
 * is rehashing (entries never move in memory, so pointers to entries stay valid).
 */
void *dict_find(struct dict *d, const void *key, size_t len);

/*
 * As dict_find, and fills *ref with where the entry is stored, for dict_ref_replace. *ref is
 * valid until the next call on d.
 */
void *dict_find_ref(struct dict *d, const void *key, size_t len, struct dict_ref *ref);

/*
 * Puts e in place of the entry at ref, which must have the same key (the caller reallocated or
 * rebuilt it). The old entry is no longer stored; the caller owns it again.
 */
void dict_ref_replace(struct dict_ref ref, void *e);

/*
 * Adds e, whose key must not be present (the caller looked it up first). Borrows e until
 * dict_unlink or dict_release. May start a resize and moves a bucket if rehashing.
 */
void dict_add(struct dict *d, void *e);

/*
 * Removes and returns the entry with the given key, or NULL if absent. The caller owns the entry
 * again. May start a shrink.
 */
void *dict_unlink(struct dict *d, const void *key, size_t len);

/* Makes room for n entries in one resize (the RDB loader's RESIZEDB hint). */
void dict_expand(struct dict *d, size_t n);

/*
 * Starts a shrink if the table is sparse (under 10% of slots used), or a grow if it is full.
 * Returns true if a resize is in progress afterwards.
 */
bool dict_resize_if_needed(struct dict *d);

/*
 * Moves up to n buckets from the old array to the new one, visiting at most 10 * n empty buckets.
 * Returns true if more remains to move.
 */
bool dict_rehash(struct dict *d, unsigned n);

/*
 * Visits the entries at cursor and returns the next cursor (0 when the iteration is complete).
 * Start with cursor 0. Every entry present from the first call to the last is visited at least
 * once, even if the table is resized between calls; an entry may be visited more than once.
 */
uint64_t dict_scan(struct dict *d, uint64_t cursor, dict_scan_fn fn, void *arg);

/* Returns a uniformly random 64-bit number from *state and advances it (xorshift64*). */
uint64_t dict_rand(uint64_t *state);

/*
 * Returns a random entry (NULL if d is empty): it samples up to 16 entries from consecutive
 * buckets at a random place and picks one of them, which evens out most of the bias of
 * unevenly filled buckets.
 */
void *dict_random(struct dict *d, uint64_t *rng);

#endif
