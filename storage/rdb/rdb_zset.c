/*
 * rdb_zset.c: the zset type's RDB codec (contract in rdb_value.h), used by DUMP/RESTORE and the
 * RDB loader.
 *
 * Saving writes what Redis 7.0 writes: a listpack as RDB_TYPE_ZSET_LISTPACK (the blob as it is),
 * a skip list as RDB_TYPE_ZSET_2 (the count, then member and binary score from the highest
 * member to the lowest, so that a loader inserting each at the head does no search).
 *
 * Loading accepts RDB_TYPE_ZSET (scores as text), RDB_TYPE_ZSET_2, RDB_TYPE_ZSET_ZIPLIST
 * (converted to a listpack) and RDB_TYPE_ZSET_LISTPACK (adopted after validation). Like Redis it
 * rejects NaN scores and repeated members, and picks the encoding from the thresholds: the
 * member-by-member formats become a listpack when small enough (zsetConvertToListpackIfNeeded),
 * the packed ones a skip list when they hold too many members.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_zset.h"
#include "storage/ziplist.h"

unsigned
rdb_save_zset(struct rdb_buf *b, const struct obj *o)
{
	struct tzset z = tzset_of(o);
	struct tzset_iter it;
	const char *m;
	size_t len;
	double score;

	if (z.enc == OBJ_ENC_LISTPACK) {
		rdb_buf_put_byte(b, RDB_TYPE_ZSET_LISTPACK);
		rdb_buf_put_string(b, z.p, lp_bytes(z.p));
		return RDB_VERSION;
	}
	rdb_buf_put_byte(b, RDB_TYPE_ZSET_2);
	rdb_buf_put_len(b, tzset_len(&z));
	tzset_iter_rank(&it, &z, 0, true);
	while (tzset_iter_next(&it, &m, &len, &score)) {
		rdb_buf_put_string(b, m, len);
		rdb_buf_put_double(b, score);
	}
	return RDB_VERSION;
}

/* RDB_TYPE_ZSET and RDB_TYPE_ZSET_2: member by member. */
static enum rdb_restore_result
load_members(unsigned type, const unsigned char *p, size_t len, size_t *pos,
    struct obj_value *out)
{
	struct tzset z;
	uint64_t n;
	size_t maxlen = 0, totlen = 0;

	if (!rdb_load_len(p, len, pos, &n))
		return RDB_RESTORE_BAD;
	if (n == 0)
		return RDB_RESTORE_EMPTY;
	/* A member and its score take at least two bytes: do not trust a larger count. */
	if (n > (len - *pos) / 2)
		return RDB_RESTORE_BAD;
	z = tzset_new(0, 0);
	tzset_convert(&z, OBJ_ENC_SKIPLIST);
	while (n-- > 0) {
		struct rdb_string s;
		double score;
		bool ok;

		if (!rdb_load_string(p, len, pos, &s))
			goto bad;
		ok = type == RDB_TYPE_ZSET_2 ? rdb_load_double(p, len, pos, &score) :
		    rdb_load_double_str(p, len, pos, &score);
		ok = ok && !isnan(score) && tzset_insert_new(&z, score, s.ptr, s.len);
		if (s.len > maxlen)
			maxlen = s.len;
		totlen += s.len;
		rdb_string_free(&s);
		if (!ok)
			goto bad;
	}
	tzset_shrink_if_needed(&z, maxlen, totlen);
	out->type = OBJ_ZSET;
	out->enc = z.enc;
	out->ptr = z.p;
	return RDB_RESTORE_OK;
bad:
	tzset_payload_free(z.enc, z.p);
	return RDB_RESTORE_BAD;
}

/* True if no member of the listpack zset lp (count entries) repeats. */
static bool
members_unique(const unsigned char *lp, size_t count)
{
	struct tzset z = { OBJ_ENC_LISTPACK, lp_dup(lp) };
	bool ok;

	tzset_convert(&z, OBJ_ENC_SKIPLIST);
	ok = tzset_len(&z) == count / 2;
	tzset_payload_free(z.enc, z.p);
	return ok;
}

/* RDB_TYPE_ZSET_ZIPLIST and RDB_TYPE_ZSET_LISTPACK: one blob of member, score pairs. */
static enum rdb_restore_result
load_packed(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	struct rdb_string s;
	unsigned char *lp;
	size_t count = 0;
	struct tzset z;

	if (!rdb_load_string(p, len, pos, &s))
		return RDB_RESTORE_BAD;
	if (type == RDB_TYPE_ZSET_ZIPLIST) {
		lp = ziplist_to_listpack((const unsigned char *)s.ptr, s.len, &count);
		/* Redis checks ziplist pairs for repeats whatever the sanitization mode. */
		deep = true;
	} else if (lp_validate((const unsigned char *)s.ptr, s.len, &count)) {
		lp = xmalloc(s.len);
		memcpy(lp, s.ptr, s.len);
	} else {
		lp = NULL;
	}
	rdb_string_free(&s);
	if (lp == NULL)
		return RDB_RESTORE_BAD;
	/* An odd count would leave a member without a score: Redis would crash on it later. */
	if (count % 2 != 0 || (deep && !members_unique(lp, count))) {
		lp_free(lp);
		return RDB_RESTORE_BAD;
	}
	if (count == 0) {
		lp_free(lp);
		return RDB_RESTORE_EMPTY;
	}
	z.enc = OBJ_ENC_LISTPACK;
	z.p = lp;
	if ((int64_t)(count / 2) > obj_limits.zset_max_listpack_entries)
		tzset_convert(&z, OBJ_ENC_SKIPLIST);
	out->type = OBJ_ZSET;
	out->enc = z.enc;
	out->ptr = z.p;
	return RDB_RESTORE_OK;
}

enum rdb_restore_result
rdb_load_zset(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	switch (type) {
	case RDB_TYPE_ZSET:
	case RDB_TYPE_ZSET_2:
		return load_members(type, p, len, pos, out);
	case RDB_TYPE_ZSET_ZIPLIST:
	case RDB_TYPE_ZSET_LISTPACK:
		return load_packed(type, p, len, pos, deep, out);
	default:
		return RDB_RESTORE_BAD;
	}
}
