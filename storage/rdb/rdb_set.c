/*
 * rdb_set.c: the set type's RDB codec (see rdb_value.h), used by DUMP/RESTORE and the RDB
 * loader.
 *
 * Saving writes what Redis 7.0 (RDB version 10) writes: an intset as RDB_TYPE_SET_INTSET with
 * the intset's bytes, any other set as RDB_TYPE_SET (a count, then each member as an RDB
 * string). Loading accepts RDB_TYPE_SET (every version), RDB_TYPE_SET_INTSET (2.4+) and
 * RDB_TYPE_SET_LISTPACK (7.2+), trusts nothing (every length is checked against the bytes left,
 * packed blobs are validated, a repeated member is an error as in Redis), and gives the set the
 * encoding Redis 7.2's rdbLoadObject gives it.
 */
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_set.h"

static bool
save_member(const struct tset_elem *e, void *arg)
{
	struct rdb_buf *b = arg;

	if (e->s != NULL)
		rdb_buf_put_string(b, e->s, e->len);
	else
		rdb_buf_put_i64_string(b, e->v);
	return true;
}

unsigned
rdb_save_set(struct rdb_buf *b, const struct obj *o)
{
	struct tset t = tset_of(o);

	if (t.enc == OBJ_ENC_INTSET) {
		rdb_buf_put_byte(b, RDB_TYPE_SET_INTSET);
		rdb_buf_put_string(b, t.p, intset_bytes(t.p));
		return RDB_VERSION;
	}
	rdb_buf_put_byte(b, RDB_TYPE_SET);
	rdb_buf_put_len(b, tset_size(&t));
	tset_iter(&t, save_member, b);
	return RDB_VERSION;
}

/* Returns a new allocation holding the bytes of s (a packed blob to adopt). */
static unsigned char *
blob_copy(const struct rdb_string *s)
{
	unsigned char *p = xmalloc(s->len ? s->len : 1);

	memcpy(p, s->ptr, s->len);
	return p;
}

/* A configured limit as a size (a negative one admits nothing). */
static size_t
limit(int64_t v)
{
	return v < 0 ? 0 : (size_t)v;
}

/*
 * RDB_TYPE_SET: n members. As Redis 7.2: a hashtable from the start past set-max-intset-entries,
 * else an intset until the first non-integer, then a listpack while the members seen so far fit
 * one, then a hashtable.
 */
static enum rdb_restore_result
load_members(const unsigned char *p, size_t len, size_t *pos, struct obj_value *out)
{
	struct tset t;
	uint64_t n;
	size_t maxlen = 0;

	if (!rdb_load_len(p, len, pos, &n))
		return RDB_RESTORE_BAD;
	if (n == 0)
		return RDB_RESTORE_EMPTY;
	/* Each member takes one byte at least: a count beyond the input is a lie. */
	if (n > len - *pos)
		return RDB_RESTORE_BAD;
	tset_init_enc(&t, OBJ_ENC_INTSET);
	if (n > limit(obj_limits.set_max_intset_entries) || n > ((uint64_t)1 << 30))
		tset_convert(&t, OBJ_ENC_HASHTABLE, (size_t)n);
	for (uint64_t i = 0; i < n; i++) {
		struct rdb_string s;
		int64_t v;
		bool added;

		if (!rdb_load_string(p, len, pos, &s))
			goto bad;
		if (s.len > maxlen)
			maxlen = s.len;
		if (t.enc == OBJ_ENC_INTSET && !num_parse_i64(s.ptr, s.len, &v)) {
			size_t size = tset_size(&t);

			/* The longest member so far decides, as Redis' maxelelen. */
			if (size < limit(obj_limits.set_max_listpack_entries) &&
			    maxlen <= limit(obj_limits.set_max_listpack_value))
				tset_convert(&t, OBJ_ENC_LISTPACK, size + 1);
			else
				tset_convert(&t, OBJ_ENC_HASHTABLE, (size_t)n);
		}
		added = tset_add(&t, s.ptr, s.len);
		rdb_string_free(&s);
		if (!added)
			goto bad;
	}
	tset_value(&t, out);
	return RDB_RESTORE_OK;
bad:
	tset_free(&t);
	return RDB_RESTORE_BAD;
}

enum rdb_restore_result
rdb_load_set(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	struct rdb_string s;
	struct tset t;
	unsigned char *blob;
	size_t count;

	/* Every check is the deep one: a listpack's duplicates are looked for whatever deep says. */
	(void)deep;
	switch (type) {
	case RDB_TYPE_SET:
		return load_members(p, len, pos, out);
	case RDB_TYPE_SET_INTSET:
		if (!rdb_load_string(p, len, pos, &s))
			return RDB_RESTORE_BAD;
		if (!intset_validate((const unsigned char *)s.ptr, s.len, NULL)) {
			rdb_string_free(&s);
			return RDB_RESTORE_BAD;
		}
		blob = blob_copy(&s);
		rdb_string_free(&s);
		tset_adopt_intset(blob, &t);
		tset_value(&t, out);
		return RDB_RESTORE_OK;
	case RDB_TYPE_SET_LISTPACK:
		if (!rdb_load_string(p, len, pos, &s))
			return RDB_RESTORE_BAD;
		if (!lp_validate((const unsigned char *)s.ptr, s.len, &count)) {
			rdb_string_free(&s);
			return RDB_RESTORE_BAD;
		}
		if (count == 0) {
			rdb_string_free(&s);
			return RDB_RESTORE_EMPTY;
		}
		blob = blob_copy(&s);
		rdb_string_free(&s);
		if (!tset_adopt_listpack(blob, count, &t))
			return RDB_RESTORE_BAD;
		tset_value(&t, out);
		return RDB_RESTORE_OK;
	default:
		return RDB_RESTORE_BAD;
	}
}
