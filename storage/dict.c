/*
 * dict.c: the hash table of dict.h: hashing, bucket layout, lookup, incremental resize, SCAN
 * cursors and random sampling.
 *
 * A bucket is one 64-byte cache line: a meta byte (bits 0-6: which of the seven slots hold an
 * entry; bit 7: slot 6 links an overflow bucket instead), seven 8-bit tags (the top byte of each
 * entry's hash) and seven pointers. A lookup loads its bucket, compares the tags and dereferences
 * only matching entries. Entries carry no cached hash (memory per key is a headline figure), so
 * moving a bucket during a resize rehashes its keys; the incremental resize spreads that out.
 */
#include <assert.h>
#include <string.h>
#include <sys/mman.h>

#include "storage/base/mem.h"
#include "storage/dict.h"

#define SLOTS 7
#define CHILD 6				/* the slot that links an overflow bucket */
#define META_CHAINED 0x80
#define META_ALL 0x7f
#define GROW_PER_BUCKET 6		/* grow when entries exceed 6 per bucket on average */
#define FILL_PER_BUCKET 5		/* size a new table for about 5 per bucket */
#define SHRINK_PERCENT 10		/* shrink under 10% of slots used */
#define DICT_SAMPLE 16
#define CACHE_LINE 64
#define HUGE_PAGE (2u << 20)
#define HUGE_MIN (4u << 20)		/* arrays from this size ask for huge pages */

struct dict_bucket {
	uint8_t meta;
	uint8_t tag[SLOTS];
	void *slot[SLOTS];
};

_Static_assert(sizeof(struct dict_bucket) == CACHE_LINE, "a bucket is one cache line");

/* Bits of the slots that hold entries (the child link excluded). */
static inline unsigned
entry_bits(const struct dict_bucket *b)
{
	return (b->meta & META_CHAINED) ? (b->meta & META_ALL & ~(1u << CHILD)) : (b->meta & META_ALL);
}

static inline struct dict_bucket *
child(const struct dict_bucket *b)
{
	return (b->meta & META_CHAINED) ? b->slot[CHILD] : NULL;
}

static inline uint8_t
hash_tag(uint64_t h)
{
	return (uint8_t)(h >> 56);
}

/*
 * Returns a word with the high bit of byte i + 1 set where slot i's tag may equal tag (the meta
 * byte and the tags are one little-endian word). The zero-byte test can flag a byte just above
 * a true match, so callers confirm with the key: this only prunes.
 */
static inline uint64_t
tag_matches(const struct dict_bucket *b, uint8_t tag)
{
	const uint64_t ones = 0x0101010101010101ULL;
	uint64_t w, x;

	memcpy(&w, b, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	x = w ^ (ones * tag);
	return (x - ones) & ~x & 0x8080808080808000ULL;
}

/* Hash: 16 bytes per round folded through a 64x64->128 multiply, in the manner of wyhash. */
#define HK0 0xa0761d6478bd642fULL
#define HK1 0xe7037ed1a0b428dbULL
#define HK2 0x8ebc6af09c88c6e3ULL
#define HK3 0x589965cc75374cc3ULL

static inline uint64_t
rd64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t
rd32(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static inline uint64_t
fold(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint64_t
dict_hash(const struct dict *d, const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = d->seed ^ ((uint64_t)len * HK0);
	uint64_t a, b;
	size_t n = len;

	while (n > 16) {
		h = fold(rd64(p) ^ HK1, rd64(p + 8) ^ h);
		p += 16;
		n -= 16;
	}
	if (n > 8) {
		a = rd64(p);
		b = rd64(p + n - 8);
	} else if (n >= 4) {
		a = rd32(p);
		b = rd32(p + n - 4);
	} else if (n > 0) {
		a = ((uint64_t)p[0] << 16) | ((uint64_t)p[n >> 1] << 8) | p[n - 1];
		b = 0;
	} else {
		a = b = 0;
	}
	return fold(HK2 ^ (uint64_t)len, fold(a ^ HK2 ^ d->seed, b ^ h ^ HK3));
}

void
dict_init(struct dict *d, const struct dict_type *t, uint64_t seed)
{
	memset(d, 0, sizeof *d);
	d->type = t;
	d->rehash_idx = -1;
	d->seed = seed;
}

/* Frees the overflow buckets of the chain at b and empties b. */
static void
bucket_clear(struct dict_bucket *b)
{
	struct dict_bucket *c = child(b);

	while (c != NULL) {
		struct dict_bucket *next = child(c);

		xfree(c);
		c = next;
	}
	memset(b, 0, sizeof *b);
}

static void
table_free(struct dict *d, int t)
{
	for (uint64_t i = 0; i <= d->mask[t]; i++)
		if (d->ht[t][i].meta & META_CHAINED)
			bucket_clear(&d->ht[t][i]);
	xfree(d->raw[t]);
	d->raw[t] = NULL;
	d->ht[t] = NULL;
}

void
dict_release(struct dict *d, dict_free_fn free_fn, void *arg)
{
	for (int t = 0; t < 2; t++) {
		if (d->ht[t] == NULL)
			continue;
		if (free_fn != NULL) {
			for (uint64_t i = 0; i <= d->mask[t]; i++) {
				for (struct dict_bucket *b = &d->ht[t][i]; b != NULL; b = child(b)) {
					unsigned bits = entry_bits(b);

					for (unsigned s = 0; s < SLOTS; s++)
						if (bits & (1u << s))
							free_fn(b->slot[s], arg);
				}
			}
		}
		table_free(d, t);
	}
	dict_init(d, d->type, d->seed);
}

size_t
dict_size(const struct dict *d)
{
	return d->used[0] + d->used[1];
}

size_t
dict_buckets(const struct dict *d)
{
	return (d->ht[0] ? d->mask[0] + 1 : 0) + (d->ht[1] ? d->mask[1] + 1 : 0);
}

size_t
dict_mem_usage(const struct dict *d)
{
	size_t n = 0;

	for (int t = 0; t < 2; t++) {
		if (d->ht[t] == NULL)
			continue;
		n += xsize(d->raw[t]);
		for (uint64_t i = 0; i <= d->mask[t]; i++)
			for (struct dict_bucket *c = child(&d->ht[t][i]); c != NULL; c = child(c))
				n += xsize(c);
	}
	return n;
}

bool
dict_is_rehashing(const struct dict *d)
{
	return d->rehash_idx != -1;
}

/* Compares n bytes; keys up to 16 bytes (most keys) without a call. */
static inline bool
bytes_eq(const unsigned char *a, const unsigned char *b, size_t n)
{
	if (n >= 8 && n <= 16) {
		return rd64(a) == rd64(b) && rd64(a + n - 8) == rd64(b + n - 8);
	}
	if (n >= 4 && n < 8)
		return rd32(a) == rd32(b) && rd32(a + n - 4) == rd32(b + n - 4);
	return memcmp(a, b, n) == 0;
}

static inline bool
key_eq(const struct dict *d, const void *e, const void *key, size_t len)
{
	size_t elen;
	const char *ekey = d->type->key(e, &elen);

	return elen == len && bytes_eq((const unsigned char *)ekey, key, len);
}

static inline uint64_t
entry_hash(const struct dict *d, const void *e)
{
	size_t len;
	const char *key = d->type->key(e, &len);

	return dict_hash(d, key, len);
}

/* Stores e (hash h) in the first free slot of its chain in table t, growing the chain if full. */
static void
bucket_insert(struct dict *d, int t, void *e, uint64_t h)
{
	struct dict_bucket *b = &d->ht[t][h & d->mask[t]], *c;

	for (;;) {
		unsigned usable = (b->meta & META_CHAINED) ? (META_ALL & ~(1u << CHILD)) : META_ALL;
		unsigned free_bits = ~b->meta & usable;

		if (free_bits != 0) {
			unsigned s = (unsigned)__builtin_ctz(free_bits);

			b->slot[s] = e;
			b->tag[s] = hash_tag(h);
			b->meta |= (uint8_t)(1u << s);
			return;
		}
		if (!(b->meta & META_CHAINED))
			break;
		b = b->slot[CHILD];
	}
	/* b is full: its last entry moves to a new overflow bucket, which slot 6 then links. */
	c = xcalloc(1, sizeof *c);
	c->slot[0] = b->slot[CHILD];
	c->tag[0] = b->tag[CHILD];
	c->slot[1] = e;
	c->tag[1] = hash_tag(h);
	c->meta = 0x03;
	b->slot[CHILD] = c;
	b->tag[CHILD] = 0;
	b->meta |= META_CHAINED;
}

/* Buckets for a table sized for n entries: a power of two, at least one. */
static uint64_t
buckets_for(size_t n)
{
	uint64_t size = 1;

	while (size * FILL_PER_BUCKET < n && size < (UINT64_C(1) << 40))
		size <<= 1;
	return size;
}

/*
 * Asks for transparent huge pages under a large bucket array: lookups hit it at random, and with
 * 4 KiB pages nearly each one also misses the TLB (doubly costly under virtualisation). Only the
 * 2 MiB-aligned interior is advised; failure (THP off) changes nothing.
 */
static void
advise_huge(void *p, size_t n)
{
	uintptr_t lo = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);

	if (hi > lo)
		(void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
}

/* Allocates a table for n entries; starts a rehash if one exists already. */
static void
start_resize(struct dict *d, size_t n)
{
	uint64_t size = buckets_for(n);
	int t;

	if (dict_is_rehashing(d))
		return;
	if (d->ht[0] != NULL && size == d->mask[0] + 1)
		return;
	t = d->ht[0] == NULL ? 0 : 1;
	/*
	 * Aligned to a cache line, so that each bucket is exactly one line. calloc: a large table
	 * comes zeroed from fresh pages, faulted in as buckets fill instead of in one long memset
	 * when the resize starts.
	 */
	d->raw[t] = xcalloc(1, size * sizeof(struct dict_bucket) + CACHE_LINE);
	d->ht[t] = (struct dict_bucket *)(((uintptr_t)d->raw[t] + CACHE_LINE - 1) &
	    ~(uintptr_t)(CACHE_LINE - 1));
	if (size * sizeof(struct dict_bucket) >= HUGE_MIN)
		advise_huge(d->ht[t], size * sizeof(struct dict_bucket));
	d->mask[t] = size - 1;
	if (t == 1)
		d->rehash_idx = 0;
}

bool
dict_rehash(struct dict *d, unsigned n)
{
	unsigned empty = n * 10;

	if (!dict_is_rehashing(d))
		return false;
	while (n-- > 0 && d->used[0] != 0) {
		struct dict_bucket *head;

		while (d->ht[0][d->rehash_idx].meta == 0) {
			d->rehash_idx++;
			if (--empty == 0)
				return true;
		}
		head = &d->ht[0][d->rehash_idx];
		for (struct dict_bucket *b = head; b != NULL; b = child(b)) {
			unsigned bits = entry_bits(b);

			for (unsigned s = 0; s < SLOTS; s++) {
				if (!(bits & (1u << s)))
					continue;
				bucket_insert(d, 1, b->slot[s], entry_hash(d, b->slot[s]));
				d->used[0]--;
				d->used[1]++;
			}
		}
		bucket_clear(head);
		d->rehash_idx++;
	}
	if (d->used[0] != 0)
		return true;
	/* Every old bucket was cleared as it moved: no overflow bucket is left to free. */
	xfree(d->raw[0]);
	d->ht[0] = d->ht[1];
	d->raw[0] = d->raw[1];
	d->mask[0] = d->mask[1];
	d->used[0] = d->used[1];
	d->ht[1] = NULL;
	d->raw[1] = NULL;
	d->mask[1] = 0;
	d->used[1] = 0;
	d->rehash_idx = -1;
	return false;
}

bool
dict_resize_if_needed(struct dict *d)
{
	if (!dict_is_rehashing(d) && d->ht[0] != NULL) {
		uint64_t size = d->mask[0] + 1;

		if (d->used[0] > size * GROW_PER_BUCKET)
			start_resize(d, d->used[0] + 1);
		else if (size > 1 && d->used[0] * 100 / (size * SLOTS) < SHRINK_PERCENT)
			start_resize(d, d->used[0]);
	}
	return dict_is_rehashing(d);
}

void
dict_expand(struct dict *d, size_t n)
{
	if (dict_is_rehashing(d) || n <= dict_size(d))
		return;
	if (d->ht[0] != NULL && buckets_for(n) <= d->mask[0] + 1)
		return;
	start_resize(d, n);
}

/* A found entry's place: table, slot, and the buckets that hold it. */
struct pos {
	int table;
	unsigned slot;
	struct dict_bucket *bucket;	/* the bucket holding the slot */
	struct dict_bucket *parent;	/* the bucket linking it, NULL for a head bucket */
};

static void *
lookup(struct dict *d, const void *key, size_t len, struct pos *p)
{
	uint64_t h;
	uint8_t tag;

	if (dict_size(d) == 0)
		return NULL;
	if (dict_is_rehashing(d))
		dict_rehash(d, 1);
	h = dict_hash(d, key, len);
	tag = hash_tag(h);
	for (int t = 0; t < 2; t++) {
		struct dict_bucket *b, *parent = NULL;

		if (d->ht[t] == NULL)
			break;
		for (b = &d->ht[t][h & d->mask[t]]; b != NULL; parent = b, b = child(b)) {
			unsigned bits = entry_bits(b);
			uint64_t m = tag_matches(b, tag);

			while (m != 0) {
				unsigned s = (unsigned)(__builtin_ctzll(m) >> 3) - 1;

				m &= m - 1;
				if ((bits >> s) & 1 && key_eq(d, b->slot[s], key, len)) {
					p->table = t;
					p->slot = s;
					p->bucket = b;
					p->parent = parent;
					return b->slot[s];
				}
			}
		}
		if (!dict_is_rehashing(d))
			break;
	}
	return NULL;
}

void
dict_prefetch(const struct dict *d, const void *key, size_t len)
{
	uint64_t h;

	if (d->ht[0] == NULL)
		return;
	h = dict_hash(d, key, len);
	__builtin_prefetch(&d->ht[0][h & d->mask[0]]);
	if (d->ht[1] != NULL)
		__builtin_prefetch(&d->ht[1][h & d->mask[1]]);
}

void *
dict_find(struct dict *d, const void *key, size_t len)
{
	struct pos p;

	return lookup(d, key, len, &p);
}

void *
dict_find_ref(struct dict *d, const void *key, size_t len, struct dict_ref *ref)
{
	struct pos p;
	void *e = lookup(d, key, len, &p);

	ref->slot = e ? &p.bucket->slot[p.slot] : NULL;
	return e;
}

void
dict_ref_replace(struct dict_ref ref, void *e)
{
	*ref.slot = e;
}

void
dict_add(struct dict *d, void *e)
{
	int t;

	if (dict_is_rehashing(d))
		dict_rehash(d, 1);
	else if (d->ht[0] == NULL || d->used[0] >= (d->mask[0] + 1) * GROW_PER_BUCKET)
		start_resize(d, d->used[0] + 1);
	t = dict_is_rehashing(d) ? 1 : 0;
	bucket_insert(d, t, e, entry_hash(d, e));
	d->used[t]++;
}

void *
dict_unlink(struct dict *d, const void *key, size_t len)
{
	struct pos p;
	void *e = lookup(d, key, len, &p);
	struct dict_bucket *b;

	if (e == NULL)
		return NULL;
	b = p.bucket;
	b->meta &= (uint8_t)~(1u << p.slot);
	b->slot[p.slot] = NULL;
	/* An overflow bucket at the end of its chain that empties is freed. */
	if (p.parent != NULL && b->meta == 0) {
		p.parent->meta &= (uint8_t)~(META_CHAINED | (1u << CHILD));
		p.parent->slot[CHILD] = NULL;
		xfree(b);
	}
	d->used[p.table]--;
	dict_resize_if_needed(d);
	return e;
}

/* Reverses the bits of v: SCAN increments its cursor from the high bit down. */
static inline uint64_t
rev64(uint64_t v)
{
	v = __builtin_bswap64(v);
	v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
	v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
	v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
	return v;
}

static void
visit_chain(struct dict_bucket *b, dict_scan_fn fn, void *arg)
{
	for (; b != NULL; b = child(b)) {
		unsigned bits = entry_bits(b);

		for (unsigned s = 0; s < SLOTS; s++)
			if (bits & (1u << s))
				fn(b->slot[s], arg);
	}
}

/*
 * The cursor counts in reversed-bit order, so its low bits (the bucket index under the smallest
 * mask) stay fixed while the high bits cycle: all buckets that one small-table bucket splits into
 * are visited together, and a resize between calls neither skips nor restarts the walk.
 */
uint64_t
dict_scan(struct dict *d, uint64_t v, dict_scan_fn fn, void *arg)
{
	uint64_t m0, m1;
	int t0, t1;

	if (dict_size(d) == 0)
		return 0;
	if (!dict_is_rehashing(d)) {
		m0 = d->mask[0];
		visit_chain(&d->ht[0][v & m0], fn, arg);
		v |= ~m0;
		return rev64(rev64(v) + 1);
	}
	t0 = d->mask[0] <= d->mask[1] ? 0 : 1;
	t1 = 1 - t0;
	m0 = d->mask[t0];
	m1 = d->mask[t1];
	visit_chain(&d->ht[t0][v & m0], fn, arg);
	do {
		visit_chain(&d->ht[t1][v & m1], fn, arg);
		v |= ~m1;
		v = rev64(rev64(v) + 1);
	} while (v & (m0 ^ m1));
	return v;
}

uint64_t
dict_rand(uint64_t *state)
{
	uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Returns head bucket i of the logical concatenation of both arrays (moved buckets are empty). */
static inline struct dict_bucket *
bucket_at(const struct dict *d, uint64_t i)
{
	uint64_t s0 = d->mask[0] + 1;

	if (i < s0)
		return &d->ht[0][i];
	return &d->ht[1][i - s0];
}

/* Appends the entries of the chain at b to sample[*n..max). */
static void
sample_chain(struct dict_bucket *b, void **sample, unsigned *n, unsigned max)
{
	for (; b != NULL && *n < max; b = child(b)) {
		unsigned bits = entry_bits(b);

		for (unsigned s = 0; s < SLOTS && *n < max; s++)
			if (bits & (1u << s))
				sample[(*n)++] = b->slot[s];
	}
}

void *
dict_random(struct dict *d, uint64_t *rng)
{
	void *sample[DICT_SAMPLE];
	uint64_t nb, lo, i, probes;
	unsigned n = 0;

	if (dict_size(d) == 0)
		return NULL;
	if (dict_is_rehashing(d))
		dict_rehash(d, 1);
	/* Buckets of ht[0] below rehash_idx are empty: start past them. */
	lo = dict_is_rehashing(d) ? (uint64_t)d->rehash_idx : 0;
	nb = dict_buckets(d);
	i = lo + dict_rand(rng) % (nb - lo);
	for (probes = 0; probes < DICT_SAMPLE * 10 && n < DICT_SAMPLE; probes++) {
		sample_chain(bucket_at(d, i), sample, &n, DICT_SAMPLE);
		if (++i == nb)
			i = lo;
	}
	if (n > 0)
		return sample[dict_rand(rng) % n];
	/* A very sparse table: probe random buckets until one holds something. */
	for (;;) {
		void *all[DICT_SAMPLE];
		unsigned m = 0;

		i = lo + dict_rand(rng) % (nb - lo);
		sample_chain(bucket_at(d, i), all, &m, DICT_SAMPLE);
		if (m > 0)
			return all[dict_rand(rng) % m];
	}
}
