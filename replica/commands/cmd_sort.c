/*
 * cmd_sort.c: SORT and SORT_RO (rows in sort.def), and SORT's key finder for COMMAND GETKEYS.
 *
 * Data flow: dispatch has checked arity and the right to write; cmd_sort parses the options in
 * Redis 7.0.15's order (sort.c sortCommandGeneric: syntax and LIMIT errors first, then
 * WRONGTYPE), loads the list, set or sorted set into an array of struct sort_item
 * (storage/sort.h), reads each element's weight through the BY pattern, orders the array with
 * sort_items and replies with the elements or their GET values, or stores them as a list.
 *
 * Redis' rules kept here, each visible in a reply:
 *  - BY without '*' (e.g. "nosort") means no sorting at all, and stays so even if a later BY
 *    has a '*'; a list or sorted set is then read in its own order (reversed by DESC) and only
 *    the LIMIT range is loaded. A set is left in its iteration order, except with STORE, where
 *    it is sorted ALPHA so that the stored list does not depend on the encoding. (Redis also
 *    does that inside scripts; replicant has none yet.)
 *  - A sorted set is converted to a skip list first, as Redis 7.0 does destructively.
 *  - GET/BY keys are looked up as Redis' lookupKeyRead does (a STORE form reads them as a
 *    write command's reads, as SINTERSTORE does); a key of the wrong type, a missing hash field
 *    or a pattern without '*' is a missing value: nil for GET, "" in a stored list, weight 0
 *    (numeric) or "lowest" (ALPHA) for BY.
 *  - ALPHA compares as strcoll in the C locale (bytes up to the first NUL), except with STORE
 *    (all bytes), as Redis' sortCompare.
 *
 * Element and weight bytes that are not stable in the keyspace (integers printed, weights of
 * ALPHA BY) are copied into a chunked arena that lives for the command.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/quicklist.h"
#include "storage/sort.h"
#include "storage/store.h"
#include "storage/t_hash.h"
#include "storage/t_list.h"
#include "storage/t_set.h"
#include "storage/t_string.h"
#include "storage/t_zset.h"

#define ERR_NOT_DOUBLE	"ERR One or more scores can't be converted into double"
#define ARENA_CHUNK	4096

/* A block of the command's arena; blocks never move, so the bytes in them stay put. */
struct chunk {
	struct chunk *next;
	size_t used, cap;
	char data[];
};

/* One SORT call's working state. */
struct sort_run {
	struct cmd_ctx *ctx;
	bool write;			/* STORE: keys are read as a write command reads them */
	struct chunk *arena;
	char *kbuf;			/* the key a pattern names, rebuilt for each element */
	size_t kcap;
	struct sort_item *v;
	size_t n;
};

static const char *
arena_copy(struct sort_run *r, const char *s, size_t len)
{
	struct chunk *c = r->arena;
	char *p;

	if (c == NULL || c->cap - c->used < len) {
		size_t cap = len > ARENA_CHUNK ? len : ARENA_CHUNK;

		c = xmalloc(sizeof(*c) + cap);
		c->cap = cap;
		c->used = 0;
		c->next = r->arena;
		r->arena = c;
	}
	p = c->data + c->used;
	if (len > 0)
		memcpy(p, s, len);
	c->used += len;
	return p;
}

static const char *
arena_int(struct sort_run *r, int64_t v, size_t *len)
{
	char buf[NUM_I64_MAX_CHARS];

	*len = num_fmt_i64(buf, v);
	return arena_copy(r, buf, *len);
}

static void
run_free(struct sort_run *r)
{
	while (r->arena != NULL) {
		struct chunk *next = r->arena->next;

		xfree(r->arena);
		r->arena = next;
	}
	xfree(r->kbuf);
	xfree(r->v);
}

static struct sort_item *
add_item(struct sort_run *r, const char *s, size_t len)
{
	struct sort_item *it = &r->v[r->n++];

	memset(it, 0, sizeof(*it));
	it->s = s;
	it->len = len;
	return it;
}

/* An integer entry: printed for the reply, and its weight known without parsing. */
static void
add_int_item(struct sort_run *r, int64_t v)
{
	size_t len;
	const char *s = arena_int(r, v, &len);
	struct sort_item *it = add_item(r, s, len);

	it->score = (double)v;
	it->is_int = true;
}

/*
 * Redis' lookupKeyByPattern: the value p names for element e, in *val and *vlen (borrowed until the
 * next lookup; an integer is printed into buf). Returns false if there is none.
 */
static bool
pattern_value(struct sort_run *r, const struct sort_pattern *p, const char *e, size_t elen,
    char buf[64], const char **val, size_t *vlen)
{
	struct cmd_ctx *ctx = r->ctx;
	struct resp_arg key;
	struct obj *o;

	if (p->self) {
		*val = e;
		*vlen = elen;
		return true;
	}
	if (p->none)
		return false;
	key.len = sort_pattern_key(p, e, elen, &r->kbuf, &r->kcap);
	key.ptr = r->kbuf;
	o = r->write ? cmd_lookup_write_counted(ctx, &key) : cmd_lookup_read(ctx, &key);
	if (o == NULL)
		return false;
	if (p->field != NULL) {
		struct thash_field hf;
		size_t expired;

		if (obj_type(o) != OBJ_HASH)
			return false;
		/* As HGET: in offline mode a hash loses its expired fields when read. */
		o = thash_expire_if_needed(ctx->db, o, key.ptr, key.len, ctx->now_ms, &expired);
		if (expired > 0)
			cmd_signal_modified(ctx, ctx->db, key.ptr, key.len);
		if (o == NULL || !thash_get(o, p->field, p->fieldlen,
		    cmd_from_primary(ctx) ? THASH_SEE_ALL : ctx->now_ms, buf, &hf))
			return false;
		*val = hf.v;
		*vlen = hf.vlen;
		return true;
	}
	if (obj_type(o) != OBJ_STRING)
		return false;
	*val = tstr_get(o, buf, vlen);
	return true;
}

/* ---- loading the elements ---- */

/* Loads count elements of list o from index (negative: from the tail) towards the tail
 * (forward) or the head. */
static void
load_list(struct sort_run *r, const struct obj *o, int64_t index, bool forward, size_t count)
{
	struct tlist_iter it;
	struct tlist_entry e;

	if (!tlist_iter_init(&it, o, index, forward))
		return;
	while (count-- > 0 && tlist_next(&it, &e)) {
		if (e.s != NULL)
			add_item(r, (const char *)e.s, e.len);
		else
			add_int_item(r, e.v);
	}
}

static bool
load_set_member(const struct tset_elem *e, void *arg)
{
	struct sort_run *r = arg;

	if (e->s != NULL)
		add_item(r, e->s, e->len);
	else
		add_int_item(r, e->v);
	return true;
}

/* Loads count members of sorted set z from 0-based rank (from the top when rev). */
static void
load_zset(struct sort_run *r, const struct tzset *z, size_t rank, bool rev, size_t count)
{
	struct tzset_iter it;
	const char *m;
	size_t len;
	double score;

	tzset_iter_rank(&it, z, rank, rev);
	while (count-- > 0 && tzset_iter_next(&it, &m, &len, &score)) {
		/* A listpack's integer member is printed into the iterator. */
		if (m >= it.buf && m < it.buf + sizeof(it.buf))
			m = arena_copy(r, m, len);
		add_item(r, m, len);
	}
}

/* ---- the command ---- */

struct sort_opts {
	bool desc, alpha, dontsort;
	int64_t limit_start, limit_count;
	const struct resp_arg *by;	/* the last BY pattern, or NULL */
	const struct resp_arg *store;	/* the last STORE key, or NULL */
	int getop;			/* GET patterns: argv[get[i]] */
	int *get;
};

/* Parses argv[2..] as Redis does; false if an error was replied. o->get must hold argc slots. */
static bool
parse_opts(struct cmd_ctx *ctx, bool readonly, struct sort_opts *o)
{
	for (int j = 2; j < ctx->argc; j++) {
		int left = ctx->argc - j - 1;

		if (cmd_arg_is(ctx, j, "asc")) {
			o->desc = false;
		} else if (cmd_arg_is(ctx, j, "desc")) {
			o->desc = true;
		} else if (cmd_arg_is(ctx, j, "alpha")) {
			o->alpha = true;
		} else if (cmd_arg_is(ctx, j, "limit") && left >= 2) {
			if (!cmd_arg_i64(ctx, j + 1, &o->limit_start) ||
			    !cmd_arg_i64(ctx, j + 2, &o->limit_count))
				return false;
			j += 2;
		} else if (!readonly && cmd_arg_is(ctx, j, "store") && left >= 1) {
			o->store = &ctx->argv[++j];
		} else if (cmd_arg_is(ctx, j, "by") && left >= 1) {
			o->by = &ctx->argv[++j];
			if (sort_pattern_is_constant(o->by->ptr, o->by->len))
				o->dontsort = true;
		} else if (cmd_arg_is(ctx, j, "get") && left >= 1) {
			o->get[o->getop++] = ++j;
		} else {
			cmd_reply_syntax_error(ctx);
			return false;
		}
	}
	return true;
}

/* Reads every element's weight (BY pattern or the element itself); false if one is not a
 * number in a numeric sort. */
static bool
load_weights(struct sort_run *r, const struct sort_pattern *by, bool alpha)
{
	bool ok = true;

	for (size_t j = 0; j < r->n; j++) {
		struct sort_item *it = &r->v[j];
		char buf[64];
		const char *val = it->s;
		size_t vlen = it->len;

		if (by == NULL && it->is_int)
			continue;	/* (double)v is what strtod makes of its decimal text */
		it->score = 0;
		if (by != NULL && !pattern_value(r, by, it->s, it->len, buf, &val, &vlen))
			continue;
		if (alpha) {
			if (by != NULL) {
				it->cmp = arena_copy(r, val, vlen);
				it->cmplen = vlen;
			}
		} else if (!sort_parse_score(val, vlen, &it->score)) {
			ok = false;
		}
	}
	return ok;
}

static void
reply_items(struct sort_run *r, const struct sort_opts *o, const struct sort_pattern *gets,
    int64_t start, int64_t end, size_t outlen)
{
	struct resp_out *out = r->ctx->out;

	resp_add_array(out, outlen);
	for (int64_t j = start; j <= end; j++) {
		const struct sort_item *it = &r->v[j];

		if (o->getop == 0)
			resp_add_bulk(out, it->s, it->len);
		for (int g = 0; g < o->getop; g++) {
			char buf[64];
			const char *val;
			size_t vlen;

			if (pattern_value(r, &gets[g], it->s, it->len, buf, &val, &vlen))
				resp_add_bulk(out, val, vlen);
			else
				resp_add_null(out);
		}
	}
}

static void
store_items(struct sort_run *r, const struct sort_opts *o, const struct sort_pattern *gets,
    int64_t start, int64_t end, size_t outlen)
{
	struct cmd_ctx *ctx = r->ctx;
	const struct resp_arg *dst = o->store;
	struct quicklist *ql = ql_new();
	int fill = tlist_fill();

	for (int64_t j = start; j <= end; j++) {
		const struct sort_item *it = &r->v[j];

		if (o->getop == 0)
			ql_push(ql, fill, it->s, it->len, false);
		for (int g = 0; g < o->getop; g++) {
			char buf[64];
			const char *val;
			size_t vlen;

			/* A missing value is stored as an empty string. */
			if (!pattern_value(r, &gets[g], it->s, it->len, buf, &val, &vlen))
				vlen = 0;
			ql_push(ql, fill, vlen > 0 ? val : "", vlen, false);
		}
	}
	if (outlen > 0) {
		struct obj_value v;

		tlist_value_from_quicklist(ql, true, &v);
		store_set_value(ctx->db, dst->ptr, dst->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
		cmd_signal_modified(ctx, ctx->db, dst->ptr, dst->len);
	} else {
		ql_free(ql);
		if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
			cmd_signal_modified(ctx, ctx->db, dst->ptr, dst->len);
	}
	resp_add_int(ctx->out, (int64_t)outlen);
}

static void
sort_generic(struct cmd_ctx *ctx, bool readonly)
{
	struct sort_opts o = { .limit_count = -1 };
	struct sort_run r = { .ctx = ctx };
	struct sort_pattern by, *gets;
	struct obj *val;
	struct tzset z = { 0 };
	enum obj_type type;
	int64_t n = 0, start, end, count;
	size_t load;
	bool ok = true, by_set;

	o.get = xmalloc((size_t)ctx->argc * sizeof(*o.get));
	if (!parse_opts(ctx, readonly, &o)) {
		xfree(o.get);
		return;
	}
	r.write = o.store != NULL;
	val = r.write ? cmd_lookup_write_counted(ctx, &ctx->argv[1]) :
	    cmd_lookup_read(ctx, &ctx->argv[1]);
	type = val != NULL ? obj_type(val) : OBJ_LIST;
	if (type != OBJ_LIST && type != OBJ_SET && type != OBJ_ZSET) {
		cmd_reply_wrongtype(ctx);
		xfree(o.get);
		return;
	}
	gets = xmalloc(((size_t)o.getop + 1) * sizeof(*gets));
	for (int g = 0; g < o.getop; g++)
		sort_pattern_parse(&gets[g], ctx->argv[o.get[g]].ptr, ctx->argv[o.get[g]].len);
	by_set = o.by != NULL;
	if (o.dontsort && type == OBJ_SET && o.store != NULL) {
		/* A stored set must not depend on the set's iteration order. */
		o.dontsort = false;
		o.alpha = true;
		by_set = false;
	}
	if (by_set)
		sort_pattern_parse(&by, o.by->ptr, o.by->len);

	if (type == OBJ_ZSET) {
		z = tzset_of(val);
		tzset_convert(&z, OBJ_ENC_SKIPLIST);
		tzset_put(val, &z);
		n = (int64_t)tzset_len(&z);
	} else if (type == OBJ_SET) {
		n = (int64_t)tset_card(val);
	} else if (val != NULL) {
		n = (int64_t)tlist_length(val);
	}

	/* LIMIT, clamped to the size as Redis does. */
	start = o.limit_start < 0 ? 0 : o.limit_start > n ? n : o.limit_start;
	count = o.limit_count < -1 ? -1 : o.limit_count > n ? n : o.limit_count;
	end = count < 0 ? n - 1 : start + count - 1;
	if (start >= n) {
		start = n - 1;
		end = n - 2;
	}
	if (end >= n)
		end = n - 1;

	load = (size_t)n;
	if (type != OBJ_SET && o.dontsort && (start != 0 || end != n - 1))
		load = (size_t)(end - start + 1);
	r.v = xmalloc((load > 0 ? load : 1) * sizeof(*r.v));

	if (type == OBJ_LIST && val != NULL && o.dontsort) {
		if (end >= start) {
			load_list(&r, val, o.desc ? n - start - 1 : start, !o.desc, load);
			end -= start;
			start = 0;
		}
	} else if (type == OBJ_LIST && val != NULL) {
		load_list(&r, val, 0, true, load);
	} else if (type == OBJ_SET) {
		struct tset t = tset_of(val);

		tset_iter(&t, load_set_member, &r);
	} else if (type == OBJ_ZSET && o.dontsort) {
		load_zset(&r, &z, (size_t)start, o.desc, load);
		end -= start;
		start = 0;
	} else if (type == OBJ_ZSET) {
		load_zset(&r, &z, 0, false, load);
	}

	if (!o.dontsort) {
		unsigned flags = (o.desc ? SORT_DESC : 0) | (o.alpha ? SORT_ALPHA : 0) |
		    (by_set ? SORT_BY : 0) | (o.store != NULL ? SORT_BINARY : 0);

		ok = load_weights(&r, by_set ? &by : NULL, o.alpha);
		sort_items(r.v, r.n, flags, by_set && (start != 0 || end != (int64_t)r.n - 1),
		    start, end);
	}

	if (!ok) {
		cmd_reply_error(ctx, ERR_NOT_DOUBLE);
	} else {
		size_t rows = (size_t)(end - start + 1);
		size_t outlen = o.getop > 0 ? (size_t)o.getop * rows : rows;

		if (o.store == NULL)
			reply_items(&r, &o, gets, start, end, outlen);
		else
			store_items(&r, &o, gets, start, end, outlen);
	}
	xfree(gets);
	xfree(o.get);
	run_free(&r);
}

void
cmd_sort(struct cmd_ctx *ctx)
{
	sort_generic(ctx, false);
}

void
cmd_sort_ro(struct cmd_ctx *ctx)
{
	sort_generic(ctx, true);
}

int
cmd_sort_getkeys(const struct resp_arg *argv, int argc, int *pos, int max)
{
	static const struct {
		const char *name;
		int skip;
	} skips[] = { { "limit", 2 }, { "get", 1 }, { "by", 1 } };
	int store = 0, n = 1;

	/* As Redis' sortGetKeys: options with arguments are skipped, and the last STORE wins. */
	for (int i = 2; i < argc; i++) {
		if (cmd_word_is(&argv[i], "store")) {
			if (i + 1 < argc)
				store = i + 1;
			continue;
		}
		for (size_t j = 0; j < sizeof(skips) / sizeof(skips[0]); j++) {
			if (cmd_word_is(&argv[i], skips[j].name)) {
				i += skips[j].skip;
				break;
			}
		}
	}
	if (max > 0)
		pos[0] = 1;
	if (store > 0) {
		if (max > 1)
			pos[1] = store;
		n++;
	}
	return n;
}

int
cmd_sort_ro_getkeys(const struct resp_arg *argv, int argc, int *pos, int max)
{
	(void)argv;
	(void)argc;
	if (max > 0)
		pos[0] = 1;
	return 1;
}
