/*
 * t_set.c: the set type. (Placeholder until the type's module lands: no value of this type
 * can be created yet, so the hooks are never reached.)
 */
#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

#include "storage/t_set.h"

void
tset_payload_free(enum obj_encoding enc, void *p)
{
	(void)enc;
	assert(p == NULL);
}

void *
tset_payload_dup(enum obj_encoding enc, const void *p)
{
	(void)enc;
	(void)p;
	assert(!"no set payload exists yet");
	return NULL;
}

size_t
tset_payload_mem(enum obj_encoding enc, const void *p)
{
	(void)enc;
	(void)p;
	return 0;
}

size_t
tset_card(const struct obj *o)
{
	(void)o;
	return 0;
}

bool
tset_contains(const struct obj *o, const char *s, size_t len)
{
	(void)o;
	(void)s;
	(void)len;
	return false;
}

void
tset_foreach(const struct obj *o, tset_member_fn fn, void *arg)
{
	(void)o;
	(void)fn;
	(void)arg;
}
