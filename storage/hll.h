/*
 * hll: HyperLogLog values, byte for byte Redis' representation, so that after the primary's
 * PFADD or PFMERGE (which arrive as commands) GET returns the primary's exact bytes.
 *
 * An HLL is a string value: a 16-byte header ("HYLL", encoding byte 0 dense / 1 sparse, three
 * unused bytes, the cached cardinality as 8 little-endian bytes whose top bit marks the cache
 * invalid) followed by the registers: 16384 6-bit registers packed from the least significant
 * bit (dense, 12288 bytes), or a run-length code of them (sparse: ZERO 00xxxxxx runs of 1..64
 * zeros, XZERO 01xxxxxx xxxxxxxx runs of 1..16384 zeros, VAL 1vvvvvxx runs of 1..4 registers of
 * value 1..32). Elements hash with MurmurHash64A (seed 0xadc83b19): the low 14 bits pick the
 * register, the run of zeros above them (plus one) is the candidate value. A sparse HLL is
 * updated in place exactly as Redis' hllSparseSet does (same splits, same merging of adjacent
 * VAL opcodes) and becomes dense when a value exceeds 32 or when growing would make the string
 * longer than hll_sparse_max_bytes. Cardinality is Redis 7's estimator (Ertl's improved
 * estimator over the register histogram, hllTau/hllSigma).
 *
 * Data flow: replica/commands/cmd_hll.c looks keys up through store.h and calls these. The
 * functions taking a struct obj * expect a value that passed hll_check; those that change it
 * need a raw-encoded string (hll_unshare or hll_create give one) and may reallocate its payload
 * (they store the new pointer in o themselves).
 */
#ifndef REPLICANT_HLL_H
#define REPLICANT_HLL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "storage/obj.h"

struct db;

#define HLL_P		14
#define HLL_REGISTERS	(1 << HLL_P)		/* 16384 */
#define HLL_HDR_SIZE	16
#define HLL_HDR_ENC	4			/* offset of the encoding byte */
#define HLL_DENSE_SIZE	(HLL_HDR_SIZE + (HLL_REGISTERS * 6 + 7) / 8)	/* 12304 */
#define HLL_ENC_DENSE	0
#define HLL_ENC_SPARSE	1
#define HLL_HASH_SEED	0xadc83b19u

/*
 * Redis' hll-sparse-max-bytes (default 3000): a sparse HLL that would grow past this many bytes
 * (header included) becomes dense. Process-wide, read by hll_add and hll_merge_store; set it
 * before serving (it belongs in the configuration, as in Redis).
 */
extern size_t hll_sparse_max_bytes;

enum hll_result {
	HLL_OK,
	HLL_WRONGTYPE,		/* not a string: the generic WRONGTYPE error */
	HLL_NOT_HLL,		/* "WRONGTYPE Key is not a valid HyperLogLog string value." */
	HLL_CORRUPT,		/* "INVALIDOBJ Corrupted HLL object detected" */
};

/* Redis' MurmurHash64A (endian neutral) of the len bytes at key. */
uint64_t hll_murmur64a(const void *key, size_t len, uint32_t seed);

/*
 * The register an element updates (*index, < HLL_REGISTERS) and the value it proposes
 * (1..51): one plus the number of zero bits above the index bits of its hash.
 */
unsigned hll_pattern(const void *ele, size_t len, unsigned *index);

/*
 * Checks o as Redis' isHLLObjectOrReply: HLL_WRONGTYPE (not a string), HLL_NOT_HLL (an int
 * encoding, shorter than the header, no "HYLL" magic, an unknown encoding, or dense with a
 * length other than HLL_DENSE_SIZE), else HLL_OK. A sparse body is not checked here.
 */
enum hll_result hll_check(const struct obj *o);

/* Returns the bytes of a string o that passed hll_check (borrowed until o changes). */
const unsigned char *hll_bytes(const struct obj *o, size_t *len);

/*
 * Creates key as a new empty sparse HLL (no TTL) and returns its value. The key must be
 * absent.
 */
struct obj *hll_create(struct db *db, const char *key, size_t klen, int64_t now_ms);

/*
 * Makes the value o of key (a string that passed hll_check) a raw string, as Redis'
 * dbUnshareStringValue does (embstr becomes raw, keeping the TTL). Returns the value, which
 * may be a new pointer.
 */
struct obj *hll_unshare(struct db *db, const char *key, size_t klen, struct obj *o,
    int64_t now_ms);

/*
 * PFADD of one element to the raw HLL o. Returns 1 if a register grew, 0 if not, -1 if the
 * sparse body is corrupt (Redis' INVALIDOBJ). A sparse update invalidates the cached
 * cardinality itself, a dense one does not: the caller invalidates it once per command, as
 * Redis does.
 */
int hll_add(struct obj *o, const void *ele, size_t len);

/* Marks the cached cardinality of raw HLL o invalid (sets the top bit, keeps the rest). */
void hll_invalidate(struct obj *o);

/*
 * Reads the cached cardinality of the HLL bytes p: returns true and sets *card if the cache is
 * valid.
 */
bool hll_cached(const unsigned char *p, uint64_t *card);

/* Stores card as the valid cached cardinality of raw HLL o. */
void hll_set_cache(struct obj *o, uint64_t card);

/*
 * Estimates the cardinality of the HLL bytes p/len (checked by hll_check). Returns false if a
 * sparse body does not cover exactly HLL_REGISTERS registers (corrupt).
 */
bool hll_count(const unsigned char *p, size_t len, uint64_t *card);

/* Estimates the cardinality of 16384 registers, one byte each (PFCOUNT of several keys). */
uint64_t hll_count_registers(const uint8_t regs[HLL_REGISTERS]);

/*
 * Raises regs[i] to register i of the HLL bytes p/len (checked by hll_check) for every i.
 * Returns false if a sparse body is corrupt (regs may be partly updated).
 */
bool hll_merge(uint8_t regs[HLL_REGISTERS], const unsigned char *p, size_t len);

/*
 * Converts raw HLL o to dense (nothing if it is dense), keeping header and cached cardinality.
 * Returns 1 if converted, 0 if already dense, -1 if the sparse body is corrupt (o unchanged).
 */
int hll_to_dense(struct obj *o);

/*
 * PFMERGE's write: raises each register of raw HLL o to regs[i] (a sparse o is updated in
 * place and may become dense) and invalidates the cache.
 */
void hll_store_registers(struct obj *o, const uint8_t regs[HLL_REGISTERS]);

/* Register i of the dense registers at regs (the bytes after the header). */
unsigned hll_dense_get(const unsigned char *regs, unsigned i);

/*
 * PFDEBUG DECODE: writes the sparse body of p/len as Redis prints it ("z:N", "Z:N", "v:V,N"
 * separated by spaces) and returns a new NUL-terminated string (free with xfree); *outlen is
 * its length.
 */
char *hll_decode(const unsigned char *p, size_t len, size_t *outlen);

/*
 * PFSELFTEST: checks register access and that sparse and dense HLLs agree and stay within the
 * expected error up to n elements. Returns NULL on success, or a static message.
 */
const char *hll_selftest(uint64_t seed, unsigned n);

#endif
