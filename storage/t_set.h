/*
 * t_set: the set type (sets): its encodings, the operations the set commands need, and
 * the payload hooks that obj.c calls for every value of type OBJ_SET.
 *
 * (Being written: the type's full interface lands with its module.)
 */
#ifndef REPLICANT_T_SET_H
#define REPLICANT_T_SET_H

#include <stdbool.h>
#include <stddef.h>

#include "storage/obj.h"

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tset_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tset_payload_free. */
void *tset_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tset_payload_mem(enum obj_encoding enc, const void *p);

/*
 * Read access for other types' commands (ZUNION/ZINTER/ZDIFF read sets as zsets with score 1;
 * SORT reads sets). o is a value of type OBJ_SET, borrowed.
 */
/* Returns the number of members. */
size_t tset_card(const struct obj *o);
/* True if the len bytes at s are a member. */
bool tset_contains(const struct obj *o, const char *s, size_t len);
/* Calls fn for every member (bytes valid during the call only); fn must not change the set. */
typedef void (*tset_member_fn)(const char *s, size_t len, void *arg);
void tset_foreach(const struct obj *o, tset_member_fn fn, void *arg);

#endif
