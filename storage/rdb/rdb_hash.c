/*
 * rdb_hash.c: the hash type's RDB codec (contract in rdb_value.h), used by DUMP/RESTORE and
 * the RDB loader.
 *
 * Saving writes what Redis writes for the same encoding: a listpack as RDB_TYPE_HASH_LISTPACK
 * (the blob as it is), a hashtable as RDB_TYPE_HASH; with field TTLs, Redis 7.4's
 * RDB_TYPE_HASH_LISTPACK_EX (the earliest expiry, then the blob) and RDB_TYPE_HASH_METADATA
 * (the earliest expiry, then each field's expiry relative to it), which need RDB version 12.
 *
 * Loading accepts every hash format from Redis 2.x to 8.x: zipmap (9) and ziplist (13) blobs
 * are rebuilt field by field, listpack blobs (16, 23, 25) are adopted after validation, and the
 * field-by-field formats (4, 22, 24) are rebuilt; the encoding follows our thresholds.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_hash.h"
#include "storage/ziplist.h"

/* The RDB version that introduced the field-TTL hash types. */
#define RDB_VERSION_HFE	12

struct save_ctx {
	struct rdb_buf *b;
	int64_t min;		/* THASH_NO_TTL: plain RDB_TYPE_HASH */
};

static void
save_field(const struct thash_field *f, void *arg)
{
	struct save_ctx *c = arg;

	if (c->min != THASH_NO_TTL)
		rdb_buf_put_len(c->b, f->expire == THASH_NO_TTL ? 0 :
		    (uint64_t)(f->expire - c->min) + 1);
	rdb_buf_put_string(c->b, f->f, f->flen);
	rdb_buf_put_string(c->b, f->v, f->vlen);
}

unsigned
rdb_save_hash(struct rdb_buf *b, const struct obj *o)
{
	struct obj *mo = (struct obj *)(uintptr_t)o;
	struct save_ctx c = { b, THASH_NO_TTL };
	const unsigned char *lp;

	switch (obj_encoding(o)) {
	case OBJ_ENC_LISTPACK:
		lp = thash_listpack(o);
		rdb_buf_put_byte(b, RDB_TYPE_HASH_LISTPACK);
		rdb_buf_put_string(b, lp, lp_bytes(lp));
		return RDB_VERSION;
	case OBJ_ENC_LISTPACK_EX:
		lp = thash_listpack(o);
		rdb_buf_put_byte(b, RDB_TYPE_HASH_LISTPACK_EX);
		rdb_buf_put_i64le(b, thash_min_expire(o));
		rdb_buf_put_string(b, lp, lp_bytes(lp));
		return RDB_VERSION_HFE;
	default:
		c.min = thash_min_expire(o);
		if (c.min != THASH_NO_TTL) {
			rdb_buf_put_byte(b, RDB_TYPE_HASH_METADATA);
			rdb_buf_put_i64le(b, c.min);
		} else {
			rdb_buf_put_byte(b, RDB_TYPE_HASH);
		}
		rdb_buf_put_len(b, thash_len(o));
		thash_foreach(mo, THASH_SEE_ALL, save_field, &c);
		return c.min != THASH_NO_TTL ? RDB_VERSION_HFE : RDB_VERSION;
	}
}

/* Reads a string blob and returns a private copy of its bytes (xfree it), or NULL. */
static unsigned char *
load_blob(const unsigned char *p, size_t len, size_t *pos, size_t *size)
{
	struct rdb_string s;
	unsigned char *copy;

	if (!rdb_load_string(p, len, pos, &s))
		return NULL;
	copy = xmalloc(s.len > 0 ? s.len : 1);
	memcpy(copy, s.ptr, s.len);
	*size = s.len;
	rdb_string_free(&s);
	return copy;
}

/* Rebuilds the pairs of a listpack converted from a zipmap or ziplist. */
static enum rdb_restore_result
load_pairs_lp(unsigned char *lp, size_t n, struct obj_value *out)
{
	struct thash_build b;
	enum rdb_restore_result rc = RDB_RESTORE_OK;

	if (n % 2 != 0) {
		lp_free(lp);
		return RDB_RESTORE_BAD;
	}
	if (n == 0) {
		lp_free(lp);
		return RDB_RESTORE_EMPTY;
	}
	thash_build_init(&b, n / 2, false);
	for (unsigned char *q = lp_first(lp); q != NULL; q = lp_next(lp, q)) {
		char fb[LP_INTBUF], vb[LP_INTBUF];
		const char *f, *v;
		size_t flen, vlen;

		f = (const char *)lp_get_str(q, &flen, fb);
		q = lp_next(lp, q);
		v = (const char *)lp_get_str(q, &vlen, vb);
		if (!thash_build_add(&b, f, flen, v, vlen, THASH_NO_TTL)) {
			rc = RDB_RESTORE_BAD;
			break;
		}
	}
	lp_free(lp);
	if (rc != RDB_RESTORE_OK) {
		thash_build_discard(&b);
		return rc;
	}
	thash_build_finish(&b, out);
	return RDB_RESTORE_OK;
}

/* RDB_TYPE_HASH (ttl false) and the metadata types (ttl true; relative: type 24). */
static enum rdb_restore_result
load_fields(const unsigned char *p, size_t len, size_t *pos, bool ttl, bool relative,
    struct obj_value *out)
{
	struct thash_build b;
	uint64_t n, min = 0;
	int64_t m;

	if (relative) {
		if (!rdb_load_i64le(p, len, pos, &m) || m < 0 || (uint64_t)m > THASH_TTL_MAX + 1)
			return RDB_RESTORE_BAD;
		min = (uint64_t)m;
	}
	if (!rdb_load_len(p, len, pos, &n))
		return RDB_RESTORE_BAD;
	if (n == 0)
		return RDB_RESTORE_EMPTY;
	/* Every field and value takes at least a byte: do not trust a larger count. */
	if (n > (len - *pos) / 2)
		return RDB_RESTORE_BAD;
	thash_build_init(&b, n, ttl);
	while (n-- > 0) {
		struct rdb_string f, v;
		uint64_t t = 0, when = 0;
		bool ok;

		if (ttl) {
			if (!rdb_load_len(p, len, pos, &t))
				goto bad;
			if (relative && t != 0) {
				if (t > (uint64_t)THASH_TTL_MAX + 1)
					goto bad;
				when = t + min - 1;
			} else {
				when = t;
			}
			if (when > (uint64_t)THASH_TTL_MAX)
				goto bad;
		}
		if (!rdb_load_string(p, len, pos, &f))
			goto bad;
		if (!rdb_load_string(p, len, pos, &v)) {
			rdb_string_free(&f);
			goto bad;
		}
		ok = thash_build_add(&b, f.ptr, f.len, v.ptr, v.len, (int64_t)when);
		rdb_string_free(&f);
		rdb_string_free(&v);
		if (!ok)
			goto bad;
	}
	thash_build_finish(&b, out);
	return RDB_RESTORE_OK;
bad:
	thash_build_discard(&b);
	return RDB_RESTORE_BAD;
}

enum rdb_restore_result
rdb_load_hash(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	unsigned char *blob, *lp;
	size_t size, n;
	int64_t m;
	int rc;

	/* Packed blobs always get the full check (repeated fields): it costs O(n). */
	(void)deep;
	switch (type) {
	case RDB_TYPE_HASH:
		return load_fields(p, len, pos, false, false, out);
	case RDB_TYPE_HASH_METADATA_PRE_GA:
		return load_fields(p, len, pos, true, false, out);
	case RDB_TYPE_HASH_METADATA:
		return load_fields(p, len, pos, true, true, out);
	case RDB_TYPE_HASH_ZIPMAP:
	case RDB_TYPE_HASH_ZIPLIST:
		if ((blob = load_blob(p, len, pos, &size)) == NULL)
			return RDB_RESTORE_BAD;
		if (type == RDB_TYPE_HASH_ZIPMAP) {
			lp = zipmap_to_listpack(blob, size, &n);
			n *= 2;
		} else {
			lp = ziplist_to_listpack(blob, size, &n);
		}
		xfree(blob);
		if (lp == NULL)
			return RDB_RESTORE_BAD;
		return load_pairs_lp(lp, n, out);
	case RDB_TYPE_HASH_LISTPACK:
	case RDB_TYPE_HASH_LISTPACK_EX_PRE_GA:
	case RDB_TYPE_HASH_LISTPACK_EX:
		/* The earliest expiry is only a hint: the listpack holds every expiry. */
		if (type == RDB_TYPE_HASH_LISTPACK_EX && !rdb_load_i64le(p, len, pos, &m))
			return RDB_RESTORE_BAD;
		if ((blob = load_blob(p, len, pos, &size)) == NULL)
			return RDB_RESTORE_BAD;
		if (!lp_validate(blob, size, &n)) {
			xfree(blob);
			return RDB_RESTORE_BAD;
		}
		rc = thash_adopt_listpack(blob, n, type != RDB_TYPE_HASH_LISTPACK, out);
		if (rc < 0)
			return RDB_RESTORE_BAD;
		return rc == 0 ? RDB_RESTORE_EMPTY : RDB_RESTORE_OK;
	default:
		return RDB_RESTORE_TYPE;
	}
}
