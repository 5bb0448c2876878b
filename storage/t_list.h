/*
 * t_list: the list type (lists): its encodings, the operations the list commands need, and
 * the payload hooks that obj.c calls for every value of type OBJ_LIST.
 *
 * (Being written: the type's full interface lands with its module.)
 */
#ifndef REPLICANT_T_LIST_H
#define REPLICANT_T_LIST_H

#include <stddef.h>

#include "storage/obj.h"

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tlist_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tlist_payload_free. */
void *tlist_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tlist_payload_mem(enum obj_encoding enc, const void *p);

#endif
