/*
 * rdb_stream.c: the stream type's RDB codec (see rdb_value.h). Placeholder until the type's
 * module lands: no such value can be stored, and loading one answers "cannot load this type".
 */
#include <assert.h>

#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"

unsigned
rdb_save_stream(struct rdb_buf *b, const struct obj *o)
{
	(void)b;
	(void)o;
	assert(!"no stream value exists yet");
	return RDB_VERSION;
}

enum rdb_restore_result
rdb_load_stream(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	(void)type;
	(void)p;
	(void)len;
	(void)pos;
	(void)deep;
	(void)out;
	return RDB_RESTORE_TYPE;
}
