/*
 * t_list.c: the list type (see t_list.h): each operation on both encodings, and the
 * conversions between them with Redis 7.2's rules. The quicklist itself is in quicklist.c.
 *
 * Callers: replica/commands/cmd_list.c (the commands), storage/rdb/rdb_list.c (values built
 * from RDB), obj.c (the payload hooks).
 */
#include <limits.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/listpack.h"
#include "storage/quicklist.h"
#include "storage/store.h"
#include "storage/t_list.h"

static bool	is_listpack(const struct obj *);
static void	to_listpack_if_small(struct obj_value *, bool);

static bool
is_listpack(const struct obj *o)
{
	return obj_encoding(o) == OBJ_ENC_LISTPACK;
}

void
tlist_payload_free(enum obj_encoding enc, void *p)
{
	if (p == NULL)
		return;
	if (enc == OBJ_ENC_LISTPACK)
		lp_free(p);
	else
		ql_free(p);
}

void *
tlist_payload_dup(enum obj_encoding enc, const void *p)
{
	if (enc == OBJ_ENC_LISTPACK)
		return lp_dup(p);
	return ql_dup(p);
}

size_t
tlist_payload_mem(enum obj_encoding enc, const void *p)
{
	if (enc == OBJ_ENC_LISTPACK)
		return xsize(p);
	return ql_mem(p);
}

int
tlist_fill(void)
{
	int64_t f = obj_limits.list_max_listpack_size;

	if (f > INT_MAX)
		return INT_MAX;
	if (f < INT_MIN)
		return INT_MIN;
	return (int)f;
}

size_t
tlist_length(const struct obj *o)
{
	if (is_listpack(o))
		return lp_length(obj_ptr(o));
	return ((const struct quicklist *)obj_ptr(o))->count;
}

bool
tlist_iter_init(struct tlist_iter *it, const struct obj *o, int64_t index, bool forward)
{
	it->forward = forward;
	it->listpack = is_listpack(o);
	if (it->listpack) {
		it->lp = obj_ptr(o);
		it->p = NULL;
		if (index >= LONG_MIN && index <= LONG_MAX)
			it->p = lp_seek(it->lp, (long)index);
		it->valid = it->p != NULL;
	} else {
		it->valid = ql_seek(obj_ptr(o), index, &it->pos);
	}
	return it->valid;
}

bool
tlist_next(struct tlist_iter *it, struct tlist_entry *e)
{
	if (!it->valid)
		return false;
	if (it->listpack) {
		e->s = lp_get(it->p, &e->len, &e->v);
		it->p = it->forward ? lp_next(it->lp, it->p) : lp_prev(it->lp, it->p);
		it->valid = it->p != NULL;
	} else {
		e->s = ql_get(&it->pos, &e->len, &e->v);
		it->valid = ql_step(&it->pos, it->forward);
	}
	return true;
}

bool
tlist_index(const struct obj *o, int64_t index, struct tlist_entry *e)
{
	struct tlist_iter it;

	return tlist_iter_init(&it, o, index, true) && tlist_next(&it, e);
}

bool
tlist_entry_eq(const struct tlist_entry *e, const void *s, size_t len)
{
	int64_t v;

	if (e->s != NULL)
		return e->len == len && memcmp(e->s, s, len) == 0;
	return num_parse_i64(s, len, &v) && v == e->v;
}

struct obj *
tlist_create(struct db *db, const char *key, size_t klen, int64_t now_ms)
{
	struct obj_value v = { .type = OBJ_LIST, .enc = OBJ_ENC_LISTPACK, .ptr = lp_new(0) };

	return store_set_value(db, key, klen, &v, OBJ_NO_EXPIRE, now_ms);
}

void
tlist_grow(struct obj *o, size_t add_bytes, size_t add_count)
{
	unsigned char *lp;
	struct quicklist *ql;

	if (!is_listpack(o))
		return;
	lp = obj_ptr(o);
	if (!ql_node_exceeds_limit(tlist_fill(), lp_bytes(lp) + add_bytes,
	    lp_length(lp) + add_count))
		return;
	ql = ql_new();
	if (lp_length(lp) > 0)
		ql_append_listpack(ql, lp);
	else
		lp_free(lp);
	obj_set_payload(o, OBJ_ENC_QUICKLIST, ql);
}

/*
 * Redis' listTypeTryConvertQuicklist on a value: a quicklist of one packed node within the
 * limits (halved when shrinking) becomes that node's listpack.
 */
static void
to_listpack_if_small(struct obj_value *v, bool shrinking)
{
	struct quicklist *ql = v->ptr;
	size_t szl, cl;

	if (v->enc != OBJ_ENC_QUICKLIST || ql->len != 1 || ql->head->plain)
		return;
	ql_node_limit(tlist_fill(), &szl, &cl);
	if (shrinking) {
		szl /= 2;
		cl /= 2;
	}
	if (ql->head->sz > szl || ql->count > cl)
		return;
	v->ptr = ql_take_single_listpack(ql);
	v->enc = OBJ_ENC_LISTPACK;
	ql_free(ql);
}

void
tlist_shrink(struct obj *o)
{
	struct obj_value v = { .type = OBJ_LIST, .enc = obj_encoding(o), .ptr = obj_ptr(o) };

	if (v.enc != OBJ_ENC_QUICKLIST)
		return;
	to_listpack_if_small(&v, true);
	if (v.enc != OBJ_ENC_QUICKLIST)
		obj_set_payload(o, v.enc, v.ptr);
}

void
tlist_value_from_quicklist(struct quicklist *ql, bool convert, struct obj_value *out)
{
	memset(out, 0, sizeof(*out));
	out->type = OBJ_LIST;
	out->enc = OBJ_ENC_QUICKLIST;
	out->ptr = ql;
	if (convert)
		to_listpack_if_small(out, false);
}

void
tlist_push(struct obj *o, const void *s, size_t len, bool head)
{
	if (is_listpack(o)) {
		unsigned char *lp = obj_ptr(o);

		lp = head ? lp_prepend(lp, s, len) : lp_append(lp, s, len);
		obj_set_ptr(o, lp);
		return;
	}
	ql_push(obj_ptr(o), tlist_fill(), s, len, head);
}

void
tlist_del_range(struct obj *o, int64_t start, int64_t count)
{
	if (count <= 0)
		return;
	if (is_listpack(o)) {
		if (start < LONG_MIN || start > LONG_MAX)
			return;
		obj_set_ptr(o, lp_delete_range(obj_ptr(o), (long)start, (size_t)count));
		return;
	}
	ql_del_range(obj_ptr(o), start, count);
}

bool
tlist_set(struct obj *o, int64_t index, const void *s, size_t len)
{
	if (is_listpack(o)) {
		unsigned char *lp = obj_ptr(o), *p = NULL;

		if (index >= LONG_MIN && index <= LONG_MAX)
			p = lp_seek(lp, (long)index);
		if (p == NULL)
			return false;
		obj_set_ptr(o, lp_replace(lp, &p, s, len));
		return true;
	} else {
		struct ql_pos pos;

		if (!ql_seek(obj_ptr(o), index, &pos))
			return false;
		ql_replace(obj_ptr(o), tlist_fill(), &pos, s, len);
		return true;
	}
}

bool
tlist_insert(struct obj *o, const void *pivot, size_t plen, const void *s, size_t len,
    bool after)
{
	if (is_listpack(o)) {
		unsigned char *lp = obj_ptr(o), *p;

		for (p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
			if (lp_eq(p, pivot, plen)) {
				obj_set_ptr(o, lp_insert(lp, p, s, len, after ? LP_AFTER : LP_BEFORE,
				    NULL));
				return true;
			}
		}
		return false;
	} else {
		struct quicklist *ql = obj_ptr(o);
		struct ql_pos pos;

		if (!ql_seek(ql, 0, &pos))
			return false;
		do {
			if (ql_eq(&pos, pivot, plen)) {
				ql_insert(ql, tlist_fill(), &pos, s, len, after);
				return true;
			}
		} while (ql_step(&pos, true));
		return false;
	}
}

size_t
tlist_remove(struct obj *o, const void *s, size_t len, bool from_tail, uint64_t limit)
{
	size_t removed = 0;

	if (is_listpack(o)) {
		unsigned char *lp = obj_ptr(o), *p, *next;

		p = from_tail ? lp_last(lp) : lp_first(lp);
		while (p != NULL) {
			if (!lp_eq(p, s, len)) {
				p = from_tail ? lp_prev(lp, p) : lp_next(lp, p);
				continue;
			}
			lp = lp_delete(lp, p, &next);
			removed++;
			if (limit != 0 && removed == limit)
				break;
			if (!from_tail)
				p = next;
			else
				p = next != NULL ? lp_prev(lp, next) : lp_last(lp);
		}
		obj_set_ptr(o, lp);
	} else {
		struct quicklist *ql = obj_ptr(o);
		struct ql_pos pos;
		bool more;

		more = ql_seek(ql, from_tail ? -1 : 0, &pos);
		while (more) {
			if (!ql_eq(&pos, s, len)) {
				more = ql_step(&pos, !from_tail);
				continue;
			}
			more = ql_delete_at(ql, &pos, !from_tail);
			removed++;
			if (limit != 0 && removed == limit)
				break;
		}
	}
	return removed;
}
