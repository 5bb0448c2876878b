/*
 * t_stream.c: the stream type. (Placeholder until the type's module lands: no value of this
 * type can be created yet, so the hooks are never reached.)
 */
#include <assert.h>
#include <stddef.h>

#include "storage/t_stream.h"

void
tstream_payload_free(enum obj_encoding enc, void *p)
{
	(void)enc;
	assert(p == NULL);
}

void *
tstream_payload_dup(enum obj_encoding enc, const void *p)
{
	(void)enc;
	(void)p;
	assert(!"no stream payload exists yet");
	return NULL;
}

size_t
tstream_payload_mem(enum obj_encoding enc, const void *p)
{
	(void)enc;
	(void)p;
	return 0;
}
