/*
 * sha1: the SHA-1 digest (FIPS 180-4), for script names: EVAL caches a script under the hex
 * SHA-1 of its body, as Redis does, and redis.sha1hex exposes the same function to scripts.
 * Not for anything that needs collision resistance.
 */
#ifndef REPLICANT_SHA1_H
#define REPLICANT_SHA1_H

#include <stddef.h>
#include <stdint.h>

struct sha1 {
	uint32_t h[5];
	uint64_t bytes;			/* message length so far */
	unsigned char block[64];	/* the partial block */
};

/* Starts a digest. */
void sha1_init(struct sha1 *s);
/* Adds n bytes at p. */
void sha1_update(struct sha1 *s, const void *p, size_t n);
/* Ends the digest and writes its 20 bytes into out; s must be re-initialised to be reused. */
void sha1_final(struct sha1 *s, unsigned char out[20]);
/* Writes the 40 lower-case hex digits of the SHA-1 of n bytes at p, and a NUL, into hex. */
void sha1_hex(const void *p, size_t n, char hex[41]);

#endif
