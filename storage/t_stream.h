/*
 * t_stream: the stream type: entries, metadata and consumer groups, the operations the stream
 * commands need, and the payload hooks that obj.c calls for every value of type OBJ_STREAM.
 *
 * (Being written: the type's full interface lands with its module.)
 */
#ifndef REPLICANT_T_STREAM_H
#define REPLICANT_T_STREAM_H

#include <stddef.h>

#include "storage/obj.h"

/* Frees a payload of this type with encoding enc (obj_payload_free). NULL is accepted. */
void tstream_payload_free(enum obj_encoding enc, void *p);
/* Returns a deep copy of a payload of this type (COPY); free with tstream_payload_free. */
void *tstream_payload_dup(enum obj_encoding enc, const void *p);
/* Returns the bytes the payload occupies, allocator overhead included (MEMORY USAGE). */
size_t tstream_payload_mem(enum obj_encoding enc, const void *p);

#endif
