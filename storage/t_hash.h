/*
 * t_hash: the hash type (hashes): its encodings, the operations the hash commands need, and
 * the payload hooks that obj.c calls for every value of type OBJ_HASH.
 *
 * (Being written: the type's full interface lands with its module.)
 */
#ifndef REPLICANT_T_HASH_H
#define REPLICANT_T_HASH_H

#include <stddef.h>

#include "storage/obj.h"

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void thash_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with thash_payload_free. */
void *thash_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t thash_payload_mem(enum obj_encoding enc, const void *p);

#endif
