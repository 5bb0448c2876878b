/*
 * t_stream.c: the stream type (see t_stream.h for the layout). The commands (cmd_stream.c) and
 * the RDB codec (rdb/rdb_stream.c) sit on top; obj.c reaches the payload hooks at the end.
 *
 * Node listpack layout, Redis' own:
 *   master entry:  count | deleted | nfields | field_1 .. field_n | 0
 *   each entry:    flags | ms-delta | seq-delta | [nfields | field value ...] or [value ...] | lp-count
 * where a SAMEFIELDS entry omits its field names (they are the master's) and lp-count is the
 * number of elements of the entry before it, so that the walk can go backwards.
 */
#include <assert.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/listpack.h"
#include "storage/t_stream.h"

/* Largest sum of field and value bytes one entry may hold (Redis' STREAM_LISTPACK_MAX_SIZE). */
#define STREAM_LISTPACK_MAX_SIZE	(1u << 30)

/* ---- ids ---- */

int
stream_id_cmp(const struct stream_id *a, const struct stream_id *b)
{
	if (a->ms != b->ms)
		return a->ms < b->ms ? -1 : 1;
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return 0;
}

bool
stream_id_incr(struct stream_id *id)
{
	if (id->seq != UINT64_MAX) {
		id->seq++;
		return true;
	}
	if (id->ms == UINT64_MAX) {
		id->ms = id->seq = 0;
		return false;
	}
	id->ms++;
	id->seq = 0;
	return true;
}

bool
stream_id_decr(struct stream_id *id)
{
	if (id->seq != 0) {
		id->seq--;
		return true;
	}
	if (id->ms == 0) {
		id->ms = id->seq = UINT64_MAX;
		return false;
	}
	id->ms--;
	id->seq = UINT64_MAX;
	return true;
}

size_t
stream_id_fmt(char *buf, const struct stream_id *id)
{
	size_t n = num_fmt_u64(buf, id->ms);

	buf[n++] = '-';
	n += num_fmt_u64(buf + n, id->seq);
	return n;
}

void
stream_id_encode(unsigned char *buf, const struct stream_id *id)
{
	for (int i = 0; i < 8; i++) {
		buf[i] = (unsigned char)(id->ms >> (56 - 8 * i));
		buf[8 + i] = (unsigned char)(id->seq >> (56 - 8 * i));
	}
}

void
stream_id_decode(const unsigned char *buf, struct stream_id *id)
{
	id->ms = id->seq = 0;
	for (int i = 0; i < 8; i++) {
		id->ms = id->ms << 8 | buf[i];
		id->seq = id->seq << 8 | buf[8 + i];
	}
}

/* ---- listpack helpers ---- */

/* Reads an integer element, also one stored as decimal text (Redis' lpGetIntegerIfValid). */
static bool
get_int(const unsigned char *p, int64_t *v)
{
	const unsigned char *s;
	size_t len;

	if (p == NULL)
		return false;
	s = lp_get(p, &len, v);
	if (s == NULL)
		return true;
	return num_parse_i64((const char *)s, len, v);
}

static int64_t
int_at(const unsigned char *p)
{
	int64_t v = 0;

	get_int(p, &v);
	return v;
}

#define NEXT(lp, p)	lp_next((lp), (p))

/* The first entry (flags element) of a node, and its master field count and first field. */
static unsigned char *
node_first_entry(const unsigned char *lp, int64_t *mcount, unsigned char **mfields)
{
	unsigned char *p = lp_first(lp);

	p = NEXT(lp, p);		/* deleted */
	p = NEXT(lp, p);		/* nfields */
	*mcount = int_at(p);
	p = NEXT(lp, p);
	if (mfields != NULL)
		*mfields = p;
	for (int64_t i = 0; i < *mcount; i++)
		p = NEXT(lp, p);
	return NEXT(lp, p);		/* past the master terminator */
}

/* Decodes the entry at flags element p: id, flags, field count; returns its first field or
 * value element and sets *after to the element after its lp-count. */
static unsigned char *
entry_decode(const unsigned char *lp, unsigned char *p, const struct stream_id *master,
    int64_t mcount, struct stream_id *id, int64_t *flags, int64_t *nf, unsigned char **after)
{
	unsigned char *fp, *q;
	int64_t skip;

	*flags = int_at(p);
	p = NEXT(lp, p);
	id->ms = master->ms + (uint64_t)int_at(p);
	p = NEXT(lp, p);
	id->seq = master->seq + (uint64_t)int_at(p);
	p = NEXT(lp, p);
	if (*flags & STREAM_FLAG_SAMEFIELDS) {
		*nf = mcount;
		skip = mcount;
	} else {
		*nf = int_at(p);
		p = NEXT(lp, p);
		skip = *nf * 2;
	}
	fp = p;
	q = p;
	for (int64_t i = 0; i < skip; i++)
		q = NEXT(lp, q);
	*after = NEXT(lp, q);
	return fp;
}

/* The flags element of the last entry of a node (deleted or not); NULL if it has none. */
static unsigned char *
node_last_entry(const unsigned char *lp)
{
	unsigned char *p = lp_last(lp);
	int64_t n = int_at(p);

	if (n <= 0)
		return NULL;
	while (n-- > 0 && p != NULL)
		p = lp_prev(lp, p);
	return p;
}

/* ---- the stream ---- */

struct stream *
stream_new(void)
{
	return xcalloc(1, sizeof(struct stream));
}

void
stream_value_new(struct obj_value *v)
{
	memset(v, 0, sizeof *v);
	v->type = OBJ_STREAM;
	v->enc = OBJ_ENC_STREAM;
	v->ptr = stream_new();
}

static void
pel_free(struct stream_pel *pel, bool nacks)
{
	if (nacks)
		for (size_t i = 0; i < pel->n; i++)
			xfree(pel->v[i]);
	xfree(pel->v);
	pel->v = NULL;
	pel->n = pel->cap = 0;
}

static void
consumer_free(struct stream_consumer *c)
{
	pel_free(&c->pel, false);
	xfree(c->name);
	xfree(c);
}

static void
cg_free(struct stream_cg *g)
{
	for (size_t i = 0; i < g->nconsumers; i++)
		consumer_free(g->consumers[i]);
	xfree(g->consumers);
	pel_free(&g->pel, true);
	xfree(g->name);
	xfree(g);
}

void
stream_free(struct stream *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nnodes; i++)
		lp_free(s->nodes[i].lp);
	xfree(s->nodes);
	for (size_t i = 0; i < s->ngroups; i++)
		cg_free(s->groups[i]);
	xfree(s->groups);
	xfree(s);
}

void
stream_node_push(struct stream *s, const struct stream_id *master, unsigned char *lp)
{
	if (s->nnodes == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4;
		s->nodes = xrealloc(s->nodes, s->cap * sizeof(*s->nodes));
	}
	s->nodes[s->nnodes].master = *master;
	s->nodes[s->nnodes].lp = lp;
	s->nnodes++;
}

static void
node_remove(struct stream *s, size_t i)
{
	lp_free(s->nodes[i].lp);
	memmove(&s->nodes[i], &s->nodes[i + 1], (s->nnodes - i - 1) * sizeof(*s->nodes));
	s->nnodes--;
}

/* Index of the last node whose master id is <= id; (size_t)-1 if none. */
static size_t
node_find(const struct stream *s, const struct stream_id *id)
{
	size_t lo = 0, hi = s->nnodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (stream_id_cmp(&s->nodes[mid].master, id) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

int
stream_append(struct stream *s, const struct stream_str *fv, size_t n,
    const struct stream_id *use, bool seq_given, int64_t now_ms, struct stream_id *added)
{
	struct stream_id id, master;
	unsigned char *lp = NULL, *p;
	size_t tot = 0;
	int64_t flags = 0, lpcount;

	if (use == NULL) {
		uint64_t ms = now_ms < 0 ? 0 : (uint64_t)now_ms;

		if (ms > s->last_id.ms) {
			id.ms = ms;
			id.seq = 0;
		} else {
			id = s->last_id;
			stream_id_incr(&id);
		}
	} else if (!seq_given) {
		if (s->last_id.ms == use->ms) {
			if (s->last_id.seq == UINT64_MAX)
				return -1;
			id = s->last_id;
			id.seq++;
		} else {
			id.ms = use->ms;
			id.seq = 0;
		}
	} else {
		id = *use;
	}
	if (stream_id_cmp(&id, &s->last_id) <= 0)
		return -1;
	for (size_t i = 0; i < 2 * n; i++)
		tot += fv[i].len;
	if (tot > STREAM_LISTPACK_MAX_SIZE)
		return -2;

	if (s->nnodes > 0) {
		lp = s->nodes[s->nnodes - 1].lp;
		if (lp_bytes(lp) + tot >= STREAM_NODE_MAX_BYTES) {
			lp = NULL;
		} else {
			p = lp_first(lp);
			if (int_at(p) + int_at(NEXT(lp, p)) >= STREAM_NODE_MAX_ENTRIES)
				lp = NULL;
		}
	}
	if (lp == NULL) {
		/* As Redis: the tail node gets room for a node's worth of appends up front, and
		 * gives back what it did not use once a newer node takes over. */
		if (s->nnodes > 0) {
			struct stream_node *tail = &s->nodes[s->nnodes - 1];

			if (xsize(tail->lp) > lp_bytes(tail->lp))
				tail->lp = xrealloc(tail->lp, lp_bytes(tail->lp));
		}
		master = id;
		lp = lp_new(STREAM_NODE_MAX_BYTES);
		lp = lp_append_int(lp, 1);
		lp = lp_append_int(lp, 0);
		lp = lp_append_int(lp, (int64_t)n);
		for (size_t i = 0; i < n; i++)
			lp = lp_append(lp, fv[2 * i].ptr, fv[2 * i].len);
		lp = lp_append_int(lp, 0);
		stream_node_push(s, &master, lp);
		flags = STREAM_FLAG_SAMEFIELDS;
	} else {
		int64_t mcount;
		size_t i;

		master = s->nodes[s->nnodes - 1].master;
		p = lp_first(lp);
		lp = lp_replace_int(lp, &p, int_at(p) + 1);
		p = NEXT(lp, p);
		p = NEXT(lp, p);
		mcount = int_at(p);
		p = NEXT(lp, p);
		if ((size_t)mcount == n) {
			for (i = 0; i < n; i++) {
				if (!lp_eq(p, fv[2 * i].ptr, fv[2 * i].len))
					break;
				p = NEXT(lp, p);
			}
			if (i == n)
				flags = STREAM_FLAG_SAMEFIELDS;
		}
	}
	lp = lp_append_int(lp, flags);
	lp = lp_append_int(lp, (int64_t)(id.ms - master.ms));
	lp = lp_append_int(lp, (int64_t)(id.seq - master.seq));
	if (!(flags & STREAM_FLAG_SAMEFIELDS))
		lp = lp_append_int(lp, (int64_t)n);
	for (size_t i = 0; i < n; i++) {
		if (!(flags & STREAM_FLAG_SAMEFIELDS))
			lp = lp_append(lp, fv[2 * i].ptr, fv[2 * i].len);
		lp = lp_append(lp, fv[2 * i + 1].ptr, fv[2 * i + 1].len);
	}
	lpcount = (int64_t)n + 3;
	if (!(flags & STREAM_FLAG_SAMEFIELDS))
		lpcount += (int64_t)n + 1;
	lp = lp_append_int(lp, lpcount);
	s->nodes[s->nnodes - 1].lp = lp;
	s->length++;
	s->entries_added++;
	s->last_id = id;
	if (s->length == 1)
		s->first_id = id;
	if (added != NULL)
		*added = id;
	return 0;
}

/* ---- iteration ---- */

static void
iter_load(struct stream_iter *it, size_t idx)
{
	unsigned char *mf;

	it->node = idx;
	it->lp = it->s->nodes[idx].lp;
	it->master = it->s->nodes[idx].master;
	it->p = node_first_entry(it->lp, &it->mcount, &mf);
	it->mfields = mf;
	if (it->rev)
		it->p = lp_last(it->lp);
}

void
stream_iter_start(struct stream_iter *it, const struct stream *s, const struct stream_id *start,
    const struct stream_id *end, bool rev)
{
	size_t idx;

	memset(it, 0, sizeof *it);
	it->s = s;
	it->rev = rev;
	if (start != NULL)
		it->start = *start;
	if (end != NULL)
		it->end = *end;
	else
		it->end.ms = it->end.seq = UINT64_MAX;
	if (s->nnodes == 0 || stream_id_cmp(&it->start, &it->end) > 0) {
		it->done = true;
		return;
	}
	idx = node_find(s, rev ? &it->end : &it->start);
	if (idx == (size_t)-1) {
		if (rev) {
			it->done = true;
			return;
		}
		idx = 0;
	}
	iter_load(it, idx);
}

bool
stream_iter_next(struct stream_iter *it, struct stream_id *id, int64_t *nfields)
{
	unsigned char *lp, *p, *after;
	int64_t flags;

	while (!it->done) {
		lp = (unsigned char *)(uintptr_t)it->lp;
		if (it->p == NULL) {
			if (it->rev) {
				if (it->node == 0)
					break;
				iter_load(it, it->node - 1);
			} else {
				if (it->node + 1 >= it->s->nnodes)
					break;
				iter_load(it, it->node + 1);
			}
			continue;
		}
		p = (unsigned char *)(uintptr_t)it->p;
		if (it->rev) {
			int64_t n = int_at(p);

			if (n <= 0) {		/* the master terminator: node done */
				it->p = NULL;
				continue;
			}
			while (n-- > 0)
				p = lp_prev(lp, p);
			it->p = lp_prev(lp, p);
		}
		it->fp = entry_decode(lp, p, &it->master, it->mcount, id, &flags, nfields, &after);
		if (!it->rev)
			it->p = after;
		it->samefields = (flags & STREAM_FLAG_SAMEFIELDS) != 0;
		it->mfp = it->mfields;
		if (flags & STREAM_FLAG_DELETED)
			continue;
		if (it->rev) {
			if (stream_id_cmp(id, &it->end) > 0)
				continue;
			if (stream_id_cmp(id, &it->start) < 0)
				break;
		} else {
			if (stream_id_cmp(id, &it->start) < 0)
				continue;
			if (stream_id_cmp(id, &it->end) > 0)
				break;
		}
		return true;
	}
	it->done = true;
	return false;
}

void
stream_iter_field(struct stream_iter *it, const unsigned char **f, size_t *flen,
    const unsigned char **v, size_t *vlen, char *fbuf, char *vbuf)
{
	const unsigned char *lp = it->lp;

	if (it->samefields) {
		*f = lp_get_str(it->mfp, flen, fbuf);
		it->mfp = NEXT(lp, it->mfp);
	} else {
		*f = lp_get_str(it->fp, flen, fbuf);
		it->fp = NEXT(lp, it->fp);
	}
	*v = lp_get_str(it->fp, vlen, vbuf);
	it->fp = NEXT(lp, it->fp);
}

bool
stream_edge_id(const struct stream *s, bool first, struct stream_id *out)
{
	struct stream_iter it;
	int64_t nf;

	stream_iter_start(&it, s, NULL, NULL, !first);
	return stream_iter_next(&it, out, &nf);
}

bool
stream_exists(const struct stream *s, const struct stream_id *id)
{
	struct stream_iter it;
	struct stream_id got;
	int64_t nf;

	stream_iter_start(&it, s, id, id, false);
	return stream_iter_next(&it, &got, &nf);
}

/* Marks the entry at flags element p of node i deleted and fixes the counts (removing the
 * node when it held the last live entry). */
static void
mark_deleted(struct stream *s, size_t i, unsigned char *p)
{
	unsigned char *lp = s->nodes[i].lp, *q;
	int64_t live;

	lp = lp_replace_int(lp, &p, int_at(p) | STREAM_FLAG_DELETED);
	q = lp_first(lp);
	live = int_at(q);
	if (live == 1) {
		s->nodes[i].lp = lp;
		node_remove(s, i);
	} else {
		lp = lp_replace_int(lp, &q, live - 1);
		q = NEXT(lp, q);
		lp = lp_replace_int(lp, &q, int_at(q) + 1);
		s->nodes[i].lp = lp;
	}
	s->length--;
}

bool
stream_delete(struct stream *s, const struct stream_id *id)
{
	size_t i = node_find(s, id);
	unsigned char *lp, *p, *after;
	int64_t mcount, flags, nf;
	struct stream_id cur;

	if (i == (size_t)-1)
		return false;
	lp = s->nodes[i].lp;
	for (p = node_first_entry(lp, &mcount, NULL); p != NULL; p = after) {
		entry_decode(lp, p, &s->nodes[i].master, mcount, &cur, &flags, &nf, &after);
		/* Tombstones may hold any id (XSETID can lower the last id below them). */
		if (flags & STREAM_FLAG_DELETED)
			continue;
		if (stream_id_cmp(&cur, id) > 0)
			return false;
		if (stream_id_cmp(&cur, id) == 0)
			break;
	}
	if (p == NULL)
		return false;
	mark_deleted(s, i, p);
	if (stream_id_cmp(id, &s->max_deleted) > 0)
		s->max_deleted = *id;
	if (s->length == 0)
		s->first_id.ms = s->first_id.seq = 0;
	else if (stream_id_cmp(id, &s->first_id) == 0)
		stream_edge_id(s, true, &s->first_id);
	return true;
}

int64_t
stream_trim(struct stream *s, const struct stream_trim *t)
{
	int64_t deleted = 0;

	if (t->kind == STREAM_TRIM_NONE)
		return 0;
	while (s->nnodes > 0) {
		unsigned char *lp = s->nodes[0].lp, *p, *after;
		struct stream_id master = s->nodes[0].master;
		int64_t entries, mcount, flags, nf, from_lp = 0;
		bool remove;

		if (t->kind == STREAM_TRIM_MAXLEN && s->length <= (uint64_t)t->maxlen)
			break;
		entries = int_at(lp_first(lp));
		if (t->limit && deleted + entries > t->limit)
			break;
		if (t->kind == STREAM_TRIM_MAXLEN) {
			remove = s->length - (uint64_t)entries >= (uint64_t)t->maxlen;
		} else {
			struct stream_id last;

			p = node_last_entry(lp);
			entry_decode(lp, p, &master, int_at(NEXT(lp, NEXT(lp, lp_first(lp)))), &last,
			    &flags, &nf, &after);
			remove = stream_id_cmp(&last, &t->minid) < 0;
		}
		if (remove) {
			node_remove(s, 0);
			s->length -= (uint64_t)entries;
			deleted += entries;
			continue;
		}
		if (t->approx)
			break;
		for (p = node_first_entry(lp, &mcount, NULL); p != NULL; p = after) {
			struct stream_id cur;
			ptrdiff_t off;

			entry_decode(lp, p, &master, mcount, &cur, &flags, &nf, &after);
			if (t->kind == STREAM_TRIM_MAXLEN ? s->length <= (uint64_t)t->maxlen :
			    stream_id_cmp(&cur, &t->minid) >= 0)
				break;
			if (flags & STREAM_FLAG_DELETED)
				continue;
			off = after == NULL ? -1 : after - lp;
			lp = lp_replace_int(lp, &p, flags | STREAM_FLAG_DELETED);
			after = off < 0 ? NULL : lp + off;
			from_lp++;
			s->length--;
		}
		p = lp_first(lp);
		lp = lp_replace_int(lp, &p, entries - from_lp);
		p = NEXT(lp, p);
		lp = lp_replace_int(lp, &p, int_at(p) + from_lp);
		s->nodes[0].lp = lp;
		deleted += from_lp;
		break;
	}
	if (s->length == 0)
		s->first_id.ms = s->first_id.seq = 0;
	else if (deleted)
		stream_edge_id(s, true, &s->first_id);
	return deleted;
}

/* ---- consumer groups ---- */

/* Names compare as Redis' rax orders them: bytes, then length. */
static int
name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Binary search over an array of pointers to structs whose name/nlen come first. */
#define NAME_SEARCH(arr, n, key, klen, found) do {				\
	size_t lo_ = 0, hi_ = (n);						\
	(found) = false;							\
	while (lo_ < hi_) {							\
		size_t mid_ = lo_ + (hi_ - lo_) / 2;				\
		int c_ = name_cmp((arr)[mid_]->name, (arr)[mid_]->nlen, (key), (klen)); \
		if (c_ == 0) { lo_ = mid_; (found) = true; break; }		\
		if (c_ < 0) lo_ = mid_ + 1; else hi_ = mid_;			\
	}									\
	pos = lo_;								\
} while (0)

struct stream_cg *
stream_cg_find(const struct stream *s, const char *name, size_t nlen)
{
	size_t pos;
	bool found;

	NAME_SEARCH(s->groups, s->ngroups, name, nlen, found);
	return found ? s->groups[pos] : NULL;
}

struct stream_cg *
stream_cg_create(struct stream *s, const char *name, size_t nlen,
    const struct stream_id *last_id, int64_t entries_read)
{
	struct stream_cg *g;
	size_t pos;
	bool found;

	NAME_SEARCH(s->groups, s->ngroups, name, nlen, found);
	if (found)
		return NULL;
	g = xcalloc(1, sizeof(*g));
	g->name = xmalloc(nlen + 1);
	memcpy(g->name, name, nlen);
	g->name[nlen] = '\0';
	g->nlen = nlen;
	g->last_id = *last_id;
	g->entries_read = entries_read;
	s->groups = xrealloc(s->groups, (s->ngroups + 1) * sizeof(*s->groups));
	memmove(&s->groups[pos + 1], &s->groups[pos], (s->ngroups - pos) * sizeof(*s->groups));
	s->groups[pos] = g;
	s->ngroups++;
	return g;
}

void
stream_cg_destroy(struct stream *s, struct stream_cg *g)
{
	size_t pos;
	bool found;

	NAME_SEARCH(s->groups, s->ngroups, g->name, g->nlen, found);
	assert(found);
	memmove(&s->groups[pos], &s->groups[pos + 1], (s->ngroups - pos - 1) * sizeof(*s->groups));
	s->ngroups--;
	cg_free(g);
}

struct stream_consumer *
stream_consumer_find(const struct stream_cg *g, const char *name, size_t nlen)
{
	size_t pos;
	bool found;

	NAME_SEARCH(g->consumers, g->nconsumers, name, nlen, found);
	return found ? g->consumers[pos] : NULL;
}

struct stream_consumer *
stream_consumer_create(struct stream_cg *g, const char *name, size_t nlen, int64_t now_ms)
{
	struct stream_consumer *c;
	size_t pos;
	bool found;

	NAME_SEARCH(g->consumers, g->nconsumers, name, nlen, found);
	if (found)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->name = xmalloc(nlen + 1);
	memcpy(c->name, name, nlen);
	c->name[nlen] = '\0';
	c->nlen = nlen;
	c->seen_time = now_ms;
	c->active_time = -1;
	g->consumers = xrealloc(g->consumers, (g->nconsumers + 1) * sizeof(*g->consumers));
	memmove(&g->consumers[pos + 1], &g->consumers[pos],
	    (g->nconsumers - pos) * sizeof(*g->consumers));
	g->consumers[pos] = c;
	g->nconsumers++;
	return c;
}

void
stream_consumer_delete(struct stream_cg *g, struct stream_consumer *c)
{
	size_t pos;
	bool found;

	for (size_t i = 0; i < c->pel.n; i++)
		xfree(stream_pel_remove(&g->pel, &c->pel.v[i]->id));
	NAME_SEARCH(g->consumers, g->nconsumers, c->name, c->nlen, found);
	assert(found);
	memmove(&g->consumers[pos], &g->consumers[pos + 1],
	    (g->nconsumers - pos - 1) * sizeof(*g->consumers));
	g->nconsumers--;
	consumer_free(c);
}

size_t
stream_pel_seek(const struct stream_pel *pel, const struct stream_id *id)
{
	size_t lo = 0, hi = pel->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (stream_id_cmp(&pel->v[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct stream_nack *
stream_pel_find(const struct stream_pel *pel, const struct stream_id *id)
{
	size_t i = stream_pel_seek(pel, id);

	if (i < pel->n && stream_id_cmp(&pel->v[i]->id, id) == 0)
		return pel->v[i];
	return NULL;
}

bool
stream_pel_insert(struct stream_pel *pel, struct stream_nack *nack)
{
	size_t i;

	/* Deliveries come in id order: the end is the common place. */
	if (pel->n == 0 || stream_id_cmp(&pel->v[pel->n - 1]->id, &nack->id) < 0) {
		i = pel->n;
	} else {
		i = stream_pel_seek(pel, &nack->id);
		if (i < pel->n && stream_id_cmp(&pel->v[i]->id, &nack->id) == 0)
			return false;
	}
	if (pel->n == pel->cap) {
		pel->cap = pel->cap ? pel->cap * 2 : 4;
		pel->v = xrealloc(pel->v, pel->cap * sizeof(*pel->v));
	}
	memmove(&pel->v[i + 1], &pel->v[i], (pel->n - i) * sizeof(*pel->v));
	pel->v[i] = nack;
	pel->n++;
	return true;
}

struct stream_nack *
stream_pel_remove(struct stream_pel *pel, const struct stream_id *id)
{
	size_t i = stream_pel_seek(pel, id);
	struct stream_nack *nack;

	if (i >= pel->n || stream_id_cmp(&pel->v[i]->id, id) != 0)
		return NULL;
	nack = pel->v[i];
	memmove(&pel->v[i], &pel->v[i + 1], (pel->n - i - 1) * sizeof(*pel->v));
	pel->n--;
	if (pel->n == 0)
		pel_free(pel, false);
	return nack;
}

bool
stream_ack(struct stream_cg *g, const struct stream_id *id)
{
	struct stream_nack *nack = stream_pel_remove(&g->pel, id);

	if (nack == NULL)
		return false;
	if (nack->consumer != NULL)
		stream_pel_remove(&nack->consumer->pel, id);
	xfree(nack);
	return true;
}

void
stream_nack_assign(struct stream_nack *nack, struct stream_consumer *c)
{
	if (nack->consumer == c)
		return;
	if (nack->consumer != NULL)
		stream_pel_remove(&nack->consumer->pel, &nack->id);
	nack->consumer = c;
	stream_pel_insert(&c->pel, nack);
}

void
stream_deliver(struct stream_cg *g, struct stream_consumer *c, const struct stream_id *id,
    int64_t now_ms)
{
	struct stream_nack *nack = stream_pel_find(&g->pel, id);

	if (nack == NULL) {
		nack = xmalloc(sizeof(*nack));
		nack->id = *id;
		nack->consumer = NULL;
		stream_pel_insert(&g->pel, nack);
	}
	nack->delivery_time = now_ms;
	nack->delivery_count = 1;
	stream_nack_assign(nack, c);
}

int64_t
stream_estimate_distance(const struct stream *s, const struct stream_id *id)
{
	int cmp_last, cmp_first;

	if (s->entries_added == 0)
		return 0;
	if (s->length == 0 && stream_id_cmp(id, &s->last_id) < 1)
		return (int64_t)s->entries_added;
	cmp_last = stream_id_cmp(id, &s->last_id);
	if (cmp_last == 0)
		return (int64_t)s->entries_added;
	if (cmp_last > 0)
		return STREAM_ENTRIES_READ_INVALID;
	cmp_first = stream_id_cmp(id, &s->first_id);
	if ((s->max_deleted.ms == 0 && s->max_deleted.seq == 0) ||
	    stream_id_cmp(&s->max_deleted, &s->first_id) < 0) {
		if (cmp_first < 0)
			return (int64_t)(s->entries_added - s->length);
		if (cmp_first == 0)
			return (int64_t)(s->entries_added - s->length + 1);
	}
	return STREAM_ENTRIES_READ_INVALID;
}

bool
stream_range_has_tombstones(const struct stream *s, const struct stream_id *start,
    const struct stream_id *end)
{
	struct stream_id a = { 0, 0 }, b = { UINT64_MAX, UINT64_MAX };

	if (s->length == 0 || (s->max_deleted.ms == 0 && s->max_deleted.seq == 0))
		return false;
	if (stream_id_cmp(&s->first_id, &s->max_deleted) > 0)
		return false;
	if (start != NULL)
		a = *start;
	if (end != NULL)
		b = *end;
	return stream_id_cmp(&a, &s->max_deleted) <= 0 && stream_id_cmp(&s->max_deleted, &b) <= 0;
}

bool
stream_cg_lag(const struct stream *s, const struct stream_cg *g, int64_t *lag)
{
	int64_t read;

	if (s->entries_added == 0) {
		*lag = 0;
		return true;
	}
	if (g->entries_read != STREAM_ENTRIES_READ_INVALID &&
	    !stream_range_has_tombstones(s, &g->last_id, NULL)) {
		*lag = (int64_t)s->entries_added - g->entries_read;
		return true;
	}
	read = stream_estimate_distance(s, &g->last_id);
	if (read == STREAM_ENTRIES_READ_INVALID)
		return false;
	*lag = (int64_t)s->entries_added - read;
	return true;
}

void
stream_cg_advance(const struct stream *s, struct stream_cg *g, const struct stream_id *id)
{
	if (stream_id_cmp(id, &g->last_id) <= 0)
		return;
	if (g->entries_read != STREAM_ENTRIES_READ_INVALID &&
	    !stream_range_has_tombstones(s, id, NULL))
		g->entries_read++;
	else if (s->entries_added)
		g->entries_read = stream_estimate_distance(s, id);
	g->last_id = *id;
}

/* ---- radix tree node count ---- */

/* Nodes of a rax holding the hi - lo sorted 16-byte keys at k, below depth. */
static size_t
rax_count(const unsigned char (*k)[16], size_t lo, size_t hi, unsigned depth)
{
	unsigned l = 0;
	size_t n;

	if (depth == 16)
		return 1;
	while (depth + l < 16 && k[lo][depth + l] == k[hi - 1][depth + l])
		l++;
	if (l > 0)
		return 1 + rax_count(k, lo, hi, depth + l);
	n = 1;
	for (size_t i = lo; i < hi;) {
		size_t j = i + 1;

		while (j < hi && k[j][depth] == k[i][depth])
			j++;
		n += rax_count(k, i, j, depth + 1);
		i = j;
	}
	return n;
}

size_t
stream_rax_nodes(const struct stream *s)
{
	unsigned char (*k)[16];
	size_t n;

	if (s->nnodes == 0)
		return 1;
	k = xmalloc(s->nnodes * 16);
	for (size_t i = 0; i < s->nnodes; i++)
		stream_id_encode(k[i], &s->nodes[i].master);
	n = rax_count((const unsigned char (*)[16])k, 0, s->nnodes, 0);
	xfree(k);
	return n;
}

/* ---- validation of foreign nodes ---- */

bool
stream_node_validate(const unsigned char *lp, size_t size, const struct stream_id *master,
    const struct stream_id *prev, struct stream_id *last, uint64_t *live_out)
{
	const unsigned char *p;
	int64_t live, deleted, mfields, v, total;
	struct stream_id id, before;
	bool have = prev != NULL;
	uint64_t nlive = 0;

	if (!lp_validate(lp, size, NULL))
		return false;
	if (have)
		before = *prev;
	p = lp_first(lp);
	if (!get_int(p, &live) || live < 0)
		return false;
	p = NEXT(lp, p);
	if (!get_int(p, &deleted) || deleted < 0)
		return false;
	p = NEXT(lp, p);
	if (!get_int(p, &mfields) || mfields < 0 || (uint64_t)mfields > size)
		return false;
	p = NEXT(lp, p);
	for (int64_t j = 0; j < mfields; j++) {
		if (p == NULL)
			return false;
		p = NEXT(lp, p);
	}
	if (!get_int(p, &v) || v != 0)
		return false;
	p = NEXT(lp, p);
	total = live + deleted;
	if (total == 0 || (uint64_t)total > size)
		return false;
	while (total-- > 0) {
		int64_t flags, msd, seqd, nf = mfields, extra = 3, lpcount;

		if (!get_int(p, &flags) || (flags & ~(int64_t)3) != 0)
			return false;
		p = NEXT(lp, p);
		if (!get_int(p, &msd))
			return false;
		p = NEXT(lp, p);
		if (!get_int(p, &seqd))
			return false;
		p = NEXT(lp, p);
		id.ms = master->ms + (uint64_t)msd;
		id.seq = master->seq + (uint64_t)seqd;
		/* Live entries increase; a tombstone may hold any id (see stream_delete). */
		if (!(flags & STREAM_FLAG_DELETED)) {
			if (stream_id_cmp(&id, master) < 0 ||
			    (have && stream_id_cmp(&id, &before) <= 0))
				return false;
			before = id;
			have = true;
		}
		if (!(flags & STREAM_FLAG_SAMEFIELDS)) {
			if (!get_int(p, &nf) || nf < 0 || (uint64_t)nf > size)
				return false;
			p = NEXT(lp, p);
			for (int64_t j = 0; j < nf; j++) {
				if (p == NULL)
					return false;
				p = NEXT(lp, p);
			}
			extra += nf + 1;
		}
		for (int64_t j = 0; j < nf; j++) {
			if (p == NULL)
				return false;
			p = NEXT(lp, p);
		}
		if (!get_int(p, &lpcount) || lpcount != nf + extra)
			return false;
		p = NEXT(lp, p);
		if (!(flags & STREAM_FLAG_DELETED))
			nlive++;
	}
	if (p != NULL || nlive != (uint64_t)live)
		return false;
	if (have)
		*last = before;
	else
		*last = *master;
	*live_out = nlive;
	return true;
}

/* ---- payload hooks ---- */

void
tstream_payload_free(enum obj_encoding enc, void *p)
{
	(void)enc;
	stream_free(p);
}

static void
pel_copy(struct stream_pel *dst, const struct stream_pel *src)
{
	dst->n = dst->cap = src->n;
	dst->v = src->n ? xmalloc(src->n * sizeof(*dst->v)) : NULL;
}

void *
tstream_payload_dup(enum obj_encoding enc, const void *p)
{
	const struct stream *s = p;
	struct stream *d = stream_new();

	(void)enc;
	*d = *s;
	d->nodes = NULL;
	d->nnodes = d->cap = 0;
	for (size_t i = 0; i < s->nnodes; i++)
		stream_node_push(d, &s->nodes[i].master, lp_dup(s->nodes[i].lp));
	d->groups = s->ngroups ? xmalloc(s->ngroups * sizeof(*d->groups)) : NULL;
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct stream_cg *g = s->groups[i];
		struct stream_cg *h = xcalloc(1, sizeof(*h));

		h->name = xmalloc(g->nlen + 1);
		memcpy(h->name, g->name, g->nlen + 1);
		h->nlen = g->nlen;
		h->last_id = g->last_id;
		h->entries_read = g->entries_read;
		pel_copy(&h->pel, &g->pel);
		h->nconsumers = g->nconsumers;
		h->consumers = g->nconsumers ? xmalloc(g->nconsumers * sizeof(*h->consumers)) : NULL;
		for (size_t j = 0; j < g->nconsumers; j++) {
			const struct stream_consumer *c = g->consumers[j];
			struct stream_consumer *e = xcalloc(1, sizeof(*e));

			e->name = xmalloc(c->nlen + 1);
			memcpy(e->name, c->name, c->nlen + 1);
			e->nlen = c->nlen;
			e->seen_time = c->seen_time;
			e->active_time = c->active_time;
			pel_copy(&e->pel, &c->pel);
			e->pel.n = 0;
			h->consumers[j] = e;
		}
		for (size_t j = 0; j < g->pel.n; j++) {
			struct stream_nack *n = xmalloc(sizeof(*n));
			size_t ci;

			*n = *g->pel.v[j];
			h->pel.v[j] = n;
			if (n->consumer == NULL)
				continue;
			for (ci = 0; g->consumers[ci] != n->consumer; ci++)
				;
			n->consumer = h->consumers[ci];
			n->consumer->pel.v[n->consumer->pel.n++] = n;
		}
		d->groups[i] = h;
	}
	return d;
}

size_t
tstream_payload_mem(enum obj_encoding enc, const void *p)
{
	const struct stream *s = p;
	size_t n = xsize(s) + xsize(s->nodes) + xsize(s->groups);

	(void)enc;
	for (size_t i = 0; i < s->nnodes; i++)
		n += xsize(s->nodes[i].lp);
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct stream_cg *g = s->groups[i];

		n += xsize(g) + xsize(g->name) + xsize(g->pel.v) + xsize(g->consumers);
		n += g->pel.n * sizeof(struct stream_nack);
		for (size_t j = 0; j < g->nconsumers; j++)
			n += xsize(g->consumers[j]) + xsize(g->consumers[j]->name) +
			    xsize(g->consumers[j]->pel.v);
	}
	return n;
}
