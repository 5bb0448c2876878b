/*
 * quicklist.c: the chunked list of listpack nodes behind large lists (see quicklist.h).
 *
 * The node rules are Redis 7.4+'s quicklist.c (sizes, plain nodes, splits and merges), so the
 * node boundaries match what a modern Redis builds for the same operations; the code is ours.
 * t_list.c calls in here for every operation on a quicklist-encoded list.
 */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/quicklist.h"

/* Byte limits of list-max-listpack-size -1 .. -5. */
static const size_t neg_limits[] = { 4096, 8192, 16384, 32768, 65536 };
/* The byte limit of a node under a positive (entry count) fill. */
#define SAFETY_LIMIT	8192
/* What one more entry is assumed to add to a node beyond its bytes (Redis' overestimate). */
#define ENTRY_OVERHEAD	8

static size_t	neg_limit(int);
static bool	allow_insert(const struct ql_node *, int, size_t);
static bool	allow_merge(const struct ql_node *, const struct ql_node *, int);
static struct ql_node *node_new(void);
static struct ql_node *node_new_packed(const void *, size_t);
static struct ql_node *node_new_plain(const void *, size_t);
static void	node_update_sz(struct ql_node *);
static void	node_free(struct ql_node *);
static void	insert_node(struct quicklist *, struct ql_node *, struct ql_node *, bool);
static void	del_node(struct quicklist *, struct ql_node *);
static bool	del_entry(struct quicklist *, struct ql_node *, unsigned char **);
static struct ql_node *split_node(struct ql_node *, uint32_t, bool);
static struct ql_node *merge_pair(struct quicklist *, struct ql_node *, struct ql_node *);
static struct ql_node *merge_around(struct quicklist *, struct ql_node *, int);
static void	pos_at(struct ql_pos *, struct ql_node *, bool);

static size_t
neg_limit(int fill)
{
	size_t off = (size_t)(-(int64_t)fill) - 1;

	if (off >= sizeof(neg_limits) / sizeof(neg_limits[0]))
		off = sizeof(neg_limits) / sizeof(neg_limits[0]) - 1;
	return neg_limits[off];
}

void
ql_node_limit(int fill, size_t *sz, size_t *count)
{
	*sz = SIZE_MAX;
	*count = SIZE_MAX;
	if (fill >= 0)
		*count = fill == 0 ? 1 : (size_t)fill;
	else
		*sz = neg_limit(fill);
}

bool
ql_node_exceeds_limit(int fill, size_t sz, size_t count)
{
	size_t szl, cl;

	ql_node_limit(fill, &szl, &cl);
	if (szl != SIZE_MAX)
		return sz > szl;
	if (sz > SAFETY_LIMIT)
		return true;
	return count > cl;
}

bool
ql_is_large(int fill, size_t sz)
{
	if (fill >= 0)
		return sz > SAFETY_LIMIT;
	return sz > neg_limit(fill);
}

/* Redis' _quicklistNodeAllowInsert: may an element of sz bytes go into node? */
static bool
allow_insert(const struct ql_node *node, int fill, size_t sz)
{
	if (node == NULL || node->plain || ql_is_large(fill, sz))
		return false;
	return !ql_node_exceeds_limit(fill, node->sz + sz + ENTRY_OVERHEAD,
	    (size_t)node->count + 1);
}

/* Redis' _quicklistNodeAllowMerge: would a and b fit one node (one header less)? */
static bool
allow_merge(const struct ql_node *a, const struct ql_node *b, int fill)
{
	if (a == NULL || b == NULL || a->plain || b->plain)
		return false;
	return !ql_node_exceeds_limit(fill, a->sz + b->sz - LP_EMPTY_SIZE,
	    (size_t)a->count + b->count);
}

static struct ql_node *
node_new(void)
{
	return xcalloc(1, sizeof(struct ql_node));
}

static struct ql_node *
node_new_packed(const void *s, size_t len)
{
	struct ql_node *n = node_new();

	n->entry = lp_append(lp_new(0), s, len);
	n->count = 1;
	node_update_sz(n);
	return n;
}

static struct ql_node *
node_new_plain(const void *s, size_t len)
{
	struct ql_node *n = node_new();

	n->entry = xmalloc(len);
	memcpy(n->entry, s, len);
	n->sz = len;
	n->count = 1;
	n->plain = true;
	return n;
}

static void
node_update_sz(struct ql_node *n)
{
	n->sz = lp_bytes(n->entry);
}

static void
node_free(struct ql_node *n)
{
	if (n->plain)
		xfree(n->entry);
	else
		lp_free(n->entry);
	xfree(n);
}

/* Links nn after (after true) or before old; old NULL only when ql is empty. */
static void
insert_node(struct quicklist *ql, struct ql_node *old, struct ql_node *nn, bool after)
{
	if (after) {
		nn->prev = old;
		if (old != NULL) {
			nn->next = old->next;
			if (old->next != NULL)
				old->next->prev = nn;
			old->next = nn;
		}
		if (ql->tail == old)
			ql->tail = nn;
	} else {
		nn->next = old;
		if (old != NULL) {
			nn->prev = old->prev;
			if (old->prev != NULL)
				old->prev->next = nn;
			old->prev = nn;
		}
		if (ql->head == old)
			ql->head = nn;
	}
	if (ql->len == 0)
		ql->head = ql->tail = nn;
	ql->len++;
}

/* Unlinks and frees n; its elements leave ql's count. */
static void
del_node(struct quicklist *ql, struct ql_node *n)
{
	if (n->next != NULL)
		n->next->prev = n->prev;
	if (n->prev != NULL)
		n->prev->next = n->next;
	if (n == ql->tail)
		ql->tail = n->prev;
	if (n == ql->head)
		ql->head = n->next;
	ql->len--;
	ql->count -= n->count;
	node_free(n);
}

/*
 * Deletes the entry *p of node (quicklistDelIndex); *p becomes the entry that followed it.
 * Returns true if the node went away with it.
 */
static bool
del_entry(struct quicklist *ql, struct ql_node *node, unsigned char **p)
{
	if (node->plain) {
		del_node(ql, node);
		return true;
	}
	node->entry = lp_delete(node->entry, *p, p);
	node->count--;
	ql->count--;
	if (node->count == 0) {
		/* del_node subtracts the node's count, now 0 */
		del_node(ql, node);
		return true;
	}
	node_update_sz(node);
	return false;
}

/*
 * Redis' _quicklistSplitNode: with after, node keeps [0, offset] and the returned new node
 * holds the rest; without, the new node holds [0, offset) and node keeps the rest. The new
 * node is not linked.
 */
static struct ql_node *
split_node(struct ql_node *node, uint32_t offset, bool after)
{
	struct ql_node *nn = node_new();

	nn->entry = lp_dup(node->entry);
	if (after) {
		node->entry = lp_delete_range(node->entry, (long)offset + 1, SIZE_MAX);
		nn->entry = lp_delete_range(nn->entry, 0, (size_t)offset + 1);
	} else {
		node->entry = lp_delete_range(node->entry, 0, offset);
		nn->entry = lp_delete_range(nn->entry, (long)offset, SIZE_MAX);
	}
	node->count = (uint32_t)lp_length(node->entry);
	node_update_sz(node);
	nn->count = (uint32_t)lp_length(nn->entry);
	node_update_sz(nn);
	return nn;
}

/* Moves b's entries to the end of a (a directly precedes b) and frees b. Returns a. */
static struct ql_node *
merge_pair(struct quicklist *ql, struct ql_node *a, struct ql_node *b)
{
	unsigned char *p;
	size_t moved = b->count;

	for (p = lp_first(b->entry); p != NULL; p = lp_next(b->entry, p)) {
		const unsigned char *s;
		size_t len;
		int64_t v;

		s = lp_get(p, &len, &v);
		if (s != NULL)
			a->entry = lp_append(a->entry, s, len);
		else
			a->entry = lp_append_int(a->entry, v);
	}
	a->count += (uint32_t)moved;
	node_update_sz(a);
	/* the elements stay in ql: del_node must not subtract them */
	b->count = 0;
	del_node(ql, b);
	return a;
}

/*
 * Redis' _quicklistMergeNodes: merges (prev->prev, prev), (next, next->next), then center
 * with its neighbours, where they fit one node. Returns the node that holds center's entries.
 */
static struct ql_node *
merge_around(struct quicklist *ql, struct ql_node *center, int fill)
{
	struct ql_node *prev = center->prev, *next = center->next, *target;
	struct ql_node *prev_prev = prev != NULL ? prev->prev : NULL;
	struct ql_node *next_next = next != NULL ? next->next : NULL;

	if (allow_merge(prev, prev_prev, fill))
		merge_pair(ql, prev_prev, prev);
	if (allow_merge(next, next_next, fill))
		merge_pair(ql, next, next_next);
	if (allow_merge(center, center->prev, fill))
		target = merge_pair(ql, center->prev, center);
	else
		target = center;
	if (allow_merge(target, target->next, fill))
		target = merge_pair(ql, target, target->next);
	return target;
}

struct quicklist *
ql_new(void)
{
	return xcalloc(1, sizeof(struct quicklist));
}

void
ql_free(struct quicklist *ql)
{
	struct ql_node *n, *next;

	if (ql == NULL)
		return;
	for (n = ql->head; n != NULL; n = next) {
		next = n->next;
		node_free(n);
	}
	xfree(ql);
}

struct quicklist *
ql_dup(const struct quicklist *ql)
{
	struct quicklist *c = ql_new();
	const struct ql_node *n;

	for (n = ql->head; n != NULL; n = n->next) {
		struct ql_node *d = node_new();

		if (n->plain) {
			d->entry = xmalloc(n->sz);
			memcpy(d->entry, n->entry, n->sz);
		} else {
			d->entry = lp_dup(n->entry);
		}
		d->sz = n->sz;
		d->count = n->count;
		d->plain = n->plain;
		insert_node(c, c->tail, d, true);
		c->count += d->count;
	}
	return c;
}

size_t
ql_mem(const struct quicklist *ql)
{
	const struct ql_node *n;
	size_t total = xsize(ql);

	for (n = ql->head; n != NULL; n = n->next)
		total += xsize(n) + xsize(n->entry);
	return total;
}

void
ql_push(struct quicklist *ql, int fill, const void *s, size_t len, bool head)
{
	struct ql_node *n = head ? ql->head : ql->tail;

	if (ql_is_large(fill, len)) {
		insert_node(ql, n, node_new_plain(s, len), !head);
	} else if (allow_insert(n, fill, len)) {
		n->entry = head ? lp_prepend(n->entry, s, len) : lp_append(n->entry, s, len);
		n->count++;
		node_update_sz(n);
	} else {
		insert_node(ql, n, node_new_packed(s, len), !head);
	}
	ql->count++;
}

void
ql_append_listpack(struct quicklist *ql, unsigned char *lp)
{
	struct ql_node *n = node_new();

	n->entry = lp;
	n->count = (uint32_t)lp_length(lp);
	node_update_sz(n);
	insert_node(ql, ql->tail, n, true);
	ql->count += n->count;
}

void
ql_append_plain(struct quicklist *ql, unsigned char *data, size_t len)
{
	struct ql_node *n = node_new();

	n->entry = data;
	n->sz = len;
	n->count = 1;
	n->plain = true;
	insert_node(ql, ql->tail, n, true);
	ql->count++;
}

unsigned char *
ql_take_single_listpack(struct quicklist *ql)
{
	struct ql_node *n = ql->head;
	unsigned char *lp;

	assert(ql->len == 1 && !n->plain);
	lp = n->entry;
	xfree(n);
	ql->head = ql->tail = NULL;
	ql->len = 0;
	ql->count = 0;
	return lp;
}

/* Sets pos to the first (first true) or last element of node. */
static void
pos_at(struct ql_pos *pos, struct ql_node *node, bool first)
{
	pos->node = node;
	pos->offset = first ? 0 : node->count - 1;
	if (node->plain)
		pos->p = NULL;
	else
		pos->p = first ? lp_first(node->entry) : lp_last(node->entry);
}

bool
ql_seek(const struct quicklist *ql, int64_t index, struct ql_pos *pos)
{
	struct ql_node *n;
	uint64_t idx, want, accum = 0;
	bool fwd;

	if (index >= 0)
		idx = (uint64_t)index;
	else
		idx = ql->count - (uint64_t)(-(index + 1)) - 1;
	if (index < 0 && (uint64_t)(-(index + 1)) >= ql->count)
		return false;
	if (idx >= ql->count)
		return false;
	/* walk from the nearer end */
	fwd = idx <= (ql->count - 1) / 2;
	want = fwd ? idx : ql->count - 1 - idx;
	for (n = fwd ? ql->head : ql->tail; n != NULL; n = fwd ? n->next : n->prev) {
		if (accum + n->count > want)
			break;
		accum += n->count;
	}
	if (n == NULL)
		return false;
	pos->node = n;
	pos->offset = (uint32_t)(fwd ? want - accum : n->count - 1 - (want - accum));
	pos->p = n->plain ? NULL : lp_seek(n->entry, (long)pos->offset);
	return true;
}

bool
ql_step(struct ql_pos *pos, bool forward)
{
	struct ql_node *n = pos->node;

	if (!n->plain) {
		pos->p = forward ? lp_next(n->entry, pos->p) : lp_prev(n->entry, pos->p);
		if (pos->p != NULL) {
			if (forward)
				pos->offset++;
			else
				pos->offset--;
			return true;
		}
	}
	n = forward ? n->next : n->prev;
	if (n == NULL)
		return false;
	pos_at(pos, n, forward);
	return true;
}

const unsigned char *
ql_get(const struct ql_pos *pos, size_t *len, int64_t *v)
{
	if (pos->node->plain) {
		*len = pos->node->sz;
		return pos->node->entry;
	}
	return lp_get(pos->p, len, v);
}

bool
ql_eq(const struct ql_pos *pos, const void *s, size_t len)
{
	if (pos->node->plain)
		return pos->node->sz == len && memcmp(pos->node->entry, s, len) == 0;
	return lp_eq(pos->p, s, len);
}

void
ql_del_range(struct quicklist *ql, int64_t start, int64_t count)
{
	struct ql_pos pos;
	struct ql_node *node;
	uint64_t extent;
	uint32_t offset;

	if (count <= 0 || !ql_seek(ql, start, &pos))
		return;
	extent = (uint64_t)count;
	if (start >= 0 && extent > ql->count - (uint64_t)start)
		extent = ql->count - (uint64_t)start;
	else if (start < 0 && extent > (uint64_t)(-(start + 1)) + 1)
		extent = (uint64_t)(-(start + 1)) + 1;
	node = pos.node;
	offset = pos.offset;
	while (extent > 0 && node != NULL) {
		struct ql_node *next = node->next;
		uint64_t del;

		if (offset == 0 && extent >= node->count)
			del = node->count;
		else if (extent + offset >= node->count)
			del = node->count - offset;
		else
			del = extent;
		if (del == node->count || node->plain) {
			del_node(ql, node);
		} else {
			node->entry = lp_delete_range(node->entry, (long)offset, (size_t)del);
			node->count -= (uint32_t)del;
			ql->count -= del;
			node_update_sz(node);
		}
		extent -= del;
		node = next;
		offset = 0;
	}
}

bool
ql_delete_at(struct quicklist *ql, struct ql_pos *pos, bool forward)
{
	struct ql_node *node = pos->node, *prev = node->prev, *next = node->next;
	unsigned char *p = pos->p;

	if (del_entry(ql, node, &p)) {
		node = forward ? next : prev;
		if (node == NULL)
			return false;
		pos_at(pos, node, forward);
		return true;
	}
	if (forward) {
		if (p == NULL) {
			if (node->next == NULL)
				return false;
			pos_at(pos, node->next, true);
			return true;
		}
		pos->p = p;
		return true;
	}
	p = p != NULL ? lp_prev(node->entry, p) : lp_last(node->entry);
	if (p == NULL) {
		if (node->prev == NULL)
			return false;
		pos_at(pos, node->prev, false);
		return true;
	}
	pos->p = p;
	pos->offset--;
	return true;
}

void
ql_replace(struct quicklist *ql, int fill, struct ql_pos *pos, const void *s, size_t len)
{
	struct ql_node *node = pos->node, *split = NULL, *nn;
	bool large = ql_is_large(fill, len);

	if (!node->plain && !large) {
		node->entry = lp_replace(node->entry, &pos->p, s, len);
		node_update_sz(node);
		return;
	}
	if (node->plain) {
		if (large) {
			xfree(node->entry);
			node->entry = xmalloc(len);
			memcpy(node->entry, s, len);
			node->sz = len;
		} else {
			ql_insert(ql, fill, pos, s, len, true);
			del_node(ql, node);
		}
		return;
	}
	/* a large element replacing one inside a listpack: it gets its own plain node */
	if (pos->offset != node->count - 1)
		split = split_node(node, pos->offset, true);
	nn = node_new_plain(s, len);
	insert_node(ql, node, nn, true);
	if (split != NULL)
		insert_node(ql, nn, split, true);
	ql->count++;
	if (node->count == 1) {
		del_node(ql, node);
	} else {
		unsigned char *p = lp_last(node->entry);

		del_entry(ql, node, &p);
		merge_around(ql, nn, fill);
	}
}

void
ql_insert(struct quicklist *ql, int fill, struct ql_pos *pos, const void *s, size_t len,
    bool after)
{
	struct ql_node *node = pos->node, *nn;
	bool full, at_tail = false, at_head = false, avail_next = false, avail_prev = false;

	full = !allow_insert(node, fill, len);
	if (after && pos->offset == node->count - 1) {
		at_tail = true;
		avail_next = allow_insert(node->next, fill, len);
	}
	if (!after && pos->offset == 0) {
		at_head = true;
		avail_prev = allow_insert(node->prev, fill, len);
	}

	if (ql_is_large(fill, len)) {
		if (node->plain || at_tail || at_head) {
			insert_node(ql, node, node_new_plain(s, len), after);
		} else {
			struct ql_node *rest = split_node(node, pos->offset, after);

			nn = node_new_plain(s, len);
			insert_node(ql, node, nn, after);
			insert_node(ql, nn, rest, after);
		}
		ql->count++;
		return;
	}

	if (!full) {
		node->entry = lp_insert(node->entry, pos->p, s, len, after ? LP_AFTER : LP_BEFORE,
		    NULL);
		node->count++;
		node_update_sz(node);
	} else if (at_tail && avail_next) {
		nn = node->next;
		nn->entry = lp_prepend(nn->entry, s, len);
		nn->count++;
		node_update_sz(nn);
	} else if (at_head && avail_prev) {
		nn = node->prev;
		nn->entry = lp_append(nn->entry, s, len);
		nn->count++;
		node_update_sz(nn);
	} else if (at_tail || at_head) {
		insert_node(ql, node, node_new_packed(s, len), after);
	} else {
		nn = split_node(node, pos->offset, after);
		if (after)
			nn->entry = lp_prepend(nn->entry, s, len);
		else
			nn->entry = lp_append(nn->entry, s, len);
		nn->count++;
		node_update_sz(nn);
		insert_node(ql, node, nn, after);
		merge_around(ql, node, fill);
	}
	ql->count++;
}
