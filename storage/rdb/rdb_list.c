/*
 * rdb_list.c: the list type's RDB codec (see rdb_value.h).
 *
 * Saving writes what Redis 7.0 writes, RDB_TYPE_LIST_QUICKLIST_2: the node count, then per node
 * its container (PACKED with the listpack blob as a string, PLAIN with the element itself). A
 * listpack-encoded list is one PACKED node, as Redis 7.2 saves it.
 *
 * Loading accepts every list encoding Redis 6.2 .. 8.x writes: RDB_TYPE_LIST (a count and the
 * elements), RDB_TYPE_LIST_ZIPLIST (one ziplist), RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and
 * RDB_TYPE_LIST_QUICKLIST_2. Every blob is validated before use (lp_validate,
 * ziplist_to_listpack); empty nodes are skipped and a list left empty is RDB_RESTORE_EMPTY, as
 * Redis does. The encoding is the one Redis 7.2's rdbLoadObject gives: RDB_TYPE_LIST_ZIPLIST
 * always loads as a quicklist, the others become a listpack when they are one small packed node.
 */
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/quicklist.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_list.h"
#include "storage/ziplist.h"

static unsigned char *take_bytes(struct rdb_string *);
static enum rdb_restore_result load_plain_list(const unsigned char *, size_t, size_t *,
    struct quicklist *);
static enum rdb_restore_result load_ziplist(const unsigned char *, size_t, size_t *,
    struct quicklist *);
static enum rdb_restore_result load_nodes(unsigned, const unsigned char *, size_t, size_t *,
    struct quicklist *);

unsigned
rdb_save_list(struct rdb_buf *b, const struct obj *o)
{
	rdb_buf_put_byte(b, RDB_TYPE_LIST_QUICKLIST_2);
	if (obj_encoding(o) == OBJ_ENC_LISTPACK) {
		const unsigned char *lp = obj_ptr(o);

		rdb_buf_put_len(b, 1);
		rdb_buf_put_len(b, RDB_QUICKLIST_NODE_PACKED);
		rdb_buf_put_string(b, lp, lp_bytes(lp));
	} else {
		const struct quicklist *ql = obj_ptr(o);
		const struct ql_node *n;

		rdb_buf_put_len(b, ql->len);
		for (n = ql->head; n != NULL; n = n->next) {
			rdb_buf_put_len(b, n->plain ? RDB_QUICKLIST_NODE_PLAIN :
			    RDB_QUICKLIST_NODE_PACKED);
			rdb_buf_put_string(b, n->entry, n->sz);
		}
	}
	return RDB_VERSION;
}

/* Returns an xmalloc'd copy of s's bytes (adopting its heap buffer when it has one). */
static unsigned char *
take_bytes(struct rdb_string *s)
{
	unsigned char *d;

	if (s->heap != NULL && s->ptr == s->heap) {
		d = (unsigned char *)s->heap;
		s->heap = NULL;
		s->ptr = NULL;
		return d;
	}
	d = xmalloc(s->len);
	memcpy(d, s->ptr, s->len);
	return d;
}

/* RDB_TYPE_LIST: a count, then each element as a string, pushed at the tail. */
static enum rdb_restore_result
load_plain_list(const unsigned char *p, size_t len, size_t *pos, struct quicklist *ql)
{
	uint64_t n;
	int fill = tlist_fill();

	if (!rdb_load_len(p, len, pos, &n))
		return RDB_RESTORE_BAD;
	while (n-- > 0) {
		struct rdb_string s;

		if (!rdb_load_string(p, len, pos, &s))
			return RDB_RESTORE_BAD;
		ql_push(ql, fill, s.ptr, s.len, false);
		rdb_string_free(&s);
	}
	return RDB_RESTORE_OK;
}

/* RDB_TYPE_LIST_ZIPLIST: one ziplist whose entries are pushed at the tail one by one. */
static enum rdb_restore_result
load_ziplist(const unsigned char *p, size_t len, size_t *pos, struct quicklist *ql)
{
	struct rdb_string s;
	unsigned char *lp, *e;
	int fill = tlist_fill();

	if (!rdb_load_string(p, len, pos, &s))
		return RDB_RESTORE_BAD;
	lp = ziplist_to_listpack((const unsigned char *)s.ptr, s.len, NULL);
	rdb_string_free(&s);
	if (lp == NULL)
		return RDB_RESTORE_BAD;
	for (e = lp_first(lp); e != NULL; e = lp_next(lp, e)) {
		char buf[LP_INTBUF];
		const unsigned char *v;
		size_t vlen;

		v = lp_get_str(e, &vlen, buf);
		ql_push(ql, fill, v, vlen, false);
	}
	lp_free(lp);
	return RDB_RESTORE_OK;
}

/* RDB_TYPE_LIST_QUICKLIST (ziplist nodes) and RDB_TYPE_LIST_QUICKLIST_2. */
static enum rdb_restore_result
load_nodes(unsigned type, const unsigned char *p, size_t len, size_t *pos, struct quicklist *ql)
{
	uint64_t n, container = RDB_QUICKLIST_NODE_PACKED;

	if (!rdb_load_len(p, len, pos, &n))
		return RDB_RESTORE_BAD;
	while (n-- > 0) {
		struct rdb_string s;
		unsigned char *lp;
		size_t count;

		if (type == RDB_TYPE_LIST_QUICKLIST_2) {
			if (!rdb_load_len(p, len, pos, &container))
				return RDB_RESTORE_BAD;
			if (container != RDB_QUICKLIST_NODE_PACKED &&
			    container != RDB_QUICKLIST_NODE_PLAIN)
				return RDB_RESTORE_BAD;
		}
		if (!rdb_load_string(p, len, pos, &s))
			return RDB_RESTORE_BAD;
		if (s.len == 0) {
			rdb_string_free(&s);
			return RDB_RESTORE_BAD;
		}
		if (container == RDB_QUICKLIST_NODE_PLAIN) {
			size_t plen = s.len;

			ql_append_plain(ql, take_bytes(&s), plen);
			rdb_string_free(&s);
			continue;
		}
		if (type == RDB_TYPE_LIST_QUICKLIST_2) {
			if (!lp_validate((const unsigned char *)s.ptr, s.len, &count)) {
				rdb_string_free(&s);
				return RDB_RESTORE_BAD;
			}
			lp = count > 0 ? take_bytes(&s) : NULL;
		} else {
			lp = ziplist_to_listpack((const unsigned char *)s.ptr, s.len, &count);
			if (lp == NULL) {
				rdb_string_free(&s);
				return RDB_RESTORE_BAD;
			}
			if (count == 0) {
				lp_free(lp);
				lp = NULL;
			}
		}
		rdb_string_free(&s);
		if (lp != NULL)
			ql_append_listpack(ql, lp);
	}
	return RDB_RESTORE_OK;
}

enum rdb_restore_result
rdb_load_list(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	struct quicklist *ql = ql_new();
	enum rdb_restore_result rc;

	(void)deep;	/* a list has no duplicates to look for: every blob is fully checked */
	switch (type) {
	case RDB_TYPE_LIST:
		rc = load_plain_list(p, len, pos, ql);
		break;
	case RDB_TYPE_LIST_ZIPLIST:
		rc = load_ziplist(p, len, pos, ql);
		break;
	case RDB_TYPE_LIST_QUICKLIST:
	case RDB_TYPE_LIST_QUICKLIST_2:
		rc = load_nodes(type, p, len, pos, ql);
		break;
	default:
		rc = RDB_RESTORE_BAD;
		break;
	}
	if (rc == RDB_RESTORE_OK && ql->count == 0)
		rc = RDB_RESTORE_EMPTY;
	if (rc != RDB_RESTORE_OK) {
		ql_free(ql);
		return rc;
	}
	tlist_value_from_quicklist(ql, type != RDB_TYPE_LIST_ZIPLIST, out);
	return RDB_RESTORE_OK;
}
