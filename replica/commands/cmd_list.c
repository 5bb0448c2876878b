/*
 * cmd_list.c: the list commands (rows in list.def): LRANGE LINDEX LLEN LPOS, the pushes and
 * pops, LINSERT LSET LTRIM LREM, LMOVE RPOPLPUSH LMPOP, and the blocking forms.
 *
 * Data flow: dispatch (server/dispatch.c) has checked arity and the right to write; a handler
 * parses its arguments in Redis 7.0.15's order, so that the first error Redis would report is
 * the one replied, runs the operation through storage/t_list.h and replies as 7.0.15 does.
 * Encodings and their conversions are Redis 7.2's (t_list.h). Every write signals its keys
 * where Redis' t_list.c calls signalModifiedKey, and a list left empty is deleted.
 *
 * Blocking forms: the primary never sends them (it propagates the non-blocking form), and a
 * read-only replica's client gets -READONLY from dispatch (they are write commands). With
 * replica-read-only no, a blocking command whose lists hold data acts as its non-blocking
 * form with the blocking command's reply shape; when they are all empty it answers at once as
 * Redis does for a client that may not block (in MULTI or a script): a null array (BLPOP,
 * BRPOP, BLMPOP) or a null (BLMOVE, BRPOPLPUSH). Waiting for data is not implemented.
 */
#include <math.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/store.h"
#include "storage/t_list.h"
#include "storage/t_string.h"

#define ERR_NOT_INT	"ERR value is not an integer or out of range"
#define ERR_POSITIVE	"ERR value is out of range, must be positive"

/* Room kept on the stack for LPOS COUNT's matches and LMOVE's element. */
#define STACK_MATCHES	64
#define STACK_ELEMENT	256

static bool	check_list(struct cmd_ctx *, const struct obj *);
static void	signal_key(struct cmd_ctx *, const struct resp_arg *);
static void	reply_entry(struct cmd_ctx *, const struct tlist_entry *);
static void	reply_range(struct cmd_ctx *, const struct obj *, int64_t, int64_t, bool);
static bool	arg_where(struct cmd_ctx *, int, bool *);
static bool	arg_timeout(struct cmd_ctx *, int);
static void	removed(struct cmd_ctx *, const struct resp_arg *, struct obj *);
static void	push_generic(struct cmd_ctx *, bool, bool);
static void	pop_generic(struct cmd_ctx *, bool);
static void	pop_range_with_key(struct cmd_ctx *, const struct resp_arg *, struct obj *, bool,
    int64_t);
static void	lmove_generic(struct cmd_ctx *, bool, bool);
static void	blocking_pop(struct cmd_ctx *, int, int, bool, int64_t);
static void	blmove_generic(struct cmd_ctx *, bool, bool);
static void	lmpop_generic(struct cmd_ctx *, int, bool);

/* Replies WRONGTYPE and returns false unless o (non-NULL) is a list. */
static bool
check_list(struct cmd_ctx *ctx, const struct obj *o)
{
	if (obj_type(o) == OBJ_LIST)
		return true;
	cmd_reply_wrongtype(ctx);
	return false;
}

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

static void
reply_entry(struct cmd_ctx *ctx, const struct tlist_entry *e)
{
	if (e->s != NULL)
		resp_add_bulk(ctx->out, e->s, e->len);
	else
		resp_add_bulk_i64(ctx->out, e->v);
}

/*
 * Redis' addListRangeReply: elements start..end (inclusive, negative from the tail, clamped)
 * as an array, from end to start when reverse.
 */
static void
reply_range(struct cmd_ctx *ctx, const struct obj *o, int64_t start, int64_t end, bool reverse)
{
	int64_t llen = (int64_t)tlist_length(o), n;
	struct tlist_iter it;
	struct tlist_entry e;

	if (start < 0)
		start += llen;
	if (end < 0)
		end += llen;
	if (start < 0)
		start = 0;
	if (start > end || start >= llen) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	if (end >= llen)
		end = llen - 1;
	n = end - start + 1;
	resp_add_array(ctx->out, (size_t)n);
	tlist_iter_init(&it, o, reverse ? end : start, !reverse);
	while (n-- > 0 && tlist_next(&it, &e))
		reply_entry(ctx, &e);
}

/* LEFT / RIGHT (getListPositionFromObjectOrReply): sets *head. */
static bool
arg_where(struct cmd_ctx *ctx, int i, bool *head)
{
	if (cmd_arg_is(ctx, i, "right")) {
		*head = false;
		return true;
	}
	if (cmd_arg_is(ctx, i, "left")) {
		*head = true;
		return true;
	}
	cmd_reply_syntax_error(ctx);
	return false;
}

/*
 * A blocking command's timeout in seconds (getTimeoutFromObjectOrReply): a float, made
 * milliseconds rounded up. A value whose milliseconds do not fit 64 bits converts to the
 * most negative integer on the platforms Redis runs on, hence "negative".
 */
static bool
arg_timeout(struct cmd_ctx *ctx, int i)
{
	long double t;

	if (!tstr_parse_ld(ctx->argv[i].ptr, ctx->argv[i].len, &t)) {
		cmd_reply_error(ctx, "ERR timeout is not a float or out of range");
		return false;
	}
	t = ceill(t * 1000.0L);
	if (!(t >= -9223372036854775808.0L && t < 9223372036854775808.0L) || t < 0) {
		cmd_reply_error(ctx, "ERR timeout is negative");
		return false;
	}
	return true;
}

/*
 * Redis' listElementsRemoved after a pop: deletes the key if the list is empty, else lets a
 * quicklist shrink back to a listpack; signals the key.
 */
static void
removed(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj *o)
{
	if (tlist_length(o) == 0)
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
	else
		tlist_shrink(o);
	signal_key(ctx, key);
}

/* ---- reads ---- */

void
cmd_llen(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);

	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!check_list(ctx, o))
		return;
	resp_add_int(ctx->out, (int64_t)tlist_length(o));
}

void
cmd_lindex(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);
	struct tlist_entry e;
	int64_t index;

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	if (!check_list(ctx, o) || !cmd_arg_i64(ctx, 2, &index))
		return;
	if (tlist_index(o, index, &e))
		reply_entry(ctx, &e);
	else
		resp_add_null(ctx->out);
}

void
cmd_lrange(struct cmd_ctx *ctx)
{
	int64_t start, end;
	struct obj *o;

	if (!cmd_arg_i64(ctx, 2, &start) || !cmd_arg_i64(ctx, 3, &end))
		return;
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	if (!check_list(ctx, o))
		return;
	reply_range(ctx, o, start, end, false);
}

/*
 * LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len], as Redis 7.0.15: RANK may be
 * any integer but 0 (7.0 negates it as a long, so RANK -9223372036854775808 stays negative:
 * every match from the tail counts, and COUNT never stops the scan).
 */
void
cmd_lpos(struct cmd_ctx *ctx)
{
	const struct resp_arg *ele = &ctx->argv[2];
	int64_t rank = 1, count = -1, maxlen = 0, llen, index = 0, matches = 0, found = -1;
	int64_t stack[STACK_MATCHES], *idx = stack;
	size_t nidx = 0, cap = STACK_MATCHES;
	bool forward = true, rank_min = false;
	struct tlist_iter it;
	struct tlist_entry e;
	struct obj *o;

	for (int j = 3; j < ctx->argc; j++) {
		bool more = j + 1 < ctx->argc;

		if (cmd_arg_is(ctx, j, "RANK") && more) {
			if (!cmd_arg_i64(ctx, ++j, &rank))
				return;
			if (rank == 0) {
				cmd_reply_error(ctx, "ERR RANK can't be zero: use 1 to start from the "
				    "first match, 2 from the second ... or use negative to start from "
				    "the end of the list");
				return;
			}
		} else if (cmd_arg_is(ctx, j, "COUNT") && more) {
			if (!cmd_arg_i64_range(ctx, ++j, 0, INT64_MAX, "ERR COUNT can't be negative", &count))
				return;
		} else if (cmd_arg_is(ctx, j, "MAXLEN") && more) {
			if (!cmd_arg_i64_range(ctx, ++j, 0, INT64_MAX, "ERR MAXLEN can't be negative",
			    &maxlen))
				return;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (rank < 0) {
		forward = false;
		if (rank == INT64_MIN)
			rank_min = true;
		else
			rank = -rank;
	}

	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		if (count != -1)
			resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		else
			resp_add_null(ctx->out);
		return;
	}
	if (!check_list(ctx, o))
		return;

	llen = (int64_t)tlist_length(o);
	tlist_iter_init(&it, o, forward ? 0 : -1, forward);
	while ((maxlen == 0 || index < maxlen) && tlist_next(&it, &e)) {
		if (tlist_entry_eq(&e, ele->ptr, ele->len)) {
			matches++;
			found = forward ? index : llen - index - 1;
			if (rank_min || matches >= rank) {
				if (count == -1)
					break;
				if (nidx == cap) {
					cap *= 2;
					if (idx == stack) {
						idx = xmalloc(cap * sizeof(*idx));
						memcpy(idx, stack, sizeof(stack));
					} else {
						idx = xrealloc(idx, cap * sizeof(*idx));
					}
				}
				idx[nidx++] = found;
				if (count != 0 && !rank_min && matches - rank + 1 >= count)
					break;
			}
		}
		index++;
		found = -1;
	}

	if (count != -1) {
		resp_add_array(ctx->out, nidx);
		for (size_t i = 0; i < nidx; i++)
			resp_add_int(ctx->out, idx[i]);
		if (idx != stack)
			xfree(idx);
	} else if (found != -1) {
		resp_add_int(ctx->out, found);
	} else {
		resp_add_null(ctx->out);
	}
}

/* ---- writes ---- */

/* LPUSH / RPUSH / LPUSHX / RPUSHX (pushGenericCommand; xx: only onto an existing list). */
static void
push_generic(struct cmd_ctx *ctx, bool head, bool xx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);
	size_t bytes = 0;

	if (o != NULL && !check_list(ctx, o))
		return;
	if (o == NULL) {
		if (xx) {
			resp_add_const(ctx->out, RESP_C_ZERO);
			return;
		}
		o = tlist_create(ctx->db, key->ptr, key->len, ctx->now_ms);
	}
	for (int j = 2; j < ctx->argc; j++)
		bytes += ctx->argv[j].len;
	tlist_grow(o, bytes, (size_t)(ctx->argc - 2));
	for (int j = 2; j < ctx->argc; j++)
		tlist_push(o, ctx->argv[j].ptr, ctx->argv[j].len, head);
	resp_add_int(ctx->out, (int64_t)tlist_length(o));
	signal_key(ctx, key);
}

void
cmd_lpush(struct cmd_ctx *ctx)
{
	push_generic(ctx, true, false);
}

void
cmd_rpush(struct cmd_ctx *ctx)
{
	push_generic(ctx, false, false);
}

void
cmd_lpushx(struct cmd_ctx *ctx)
{
	push_generic(ctx, true, true);
}

void
cmd_rpushx(struct cmd_ctx *ctx)
{
	push_generic(ctx, false, true);
}

void
cmd_linsert(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	bool after;
	struct obj *o;

	if (cmd_arg_is(ctx, 2, "after")) {
		after = true;
	} else if (cmd_arg_is(ctx, 2, "before")) {
		after = false;
	} else {
		cmd_reply_syntax_error(ctx);
		return;
	}
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!check_list(ctx, o))
		return;
	/* Redis 7.2 converts before looking for the pivot, found or not */
	tlist_grow(o, ctx->argv[4].len, 1);
	if (!tlist_insert(o, ctx->argv[3].ptr, ctx->argv[3].len, ctx->argv[4].ptr,
	    ctx->argv[4].len, after)) {
		resp_add_int(ctx->out, -1);
		return;
	}
	signal_key(ctx, key);
	resp_add_int(ctx->out, (int64_t)tlist_length(o));
}

void
cmd_lset(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);
	int64_t index;

	if (o == NULL) {
		cmd_reply_error(ctx, "ERR no such key");
		return;
	}
	if (!check_list(ctx, o) || !cmd_arg_i64(ctx, 2, &index))
		return;
	tlist_grow(o, ctx->argv[3].len, 1);
	if (!tlist_set(o, index, ctx->argv[3].ptr, ctx->argv[3].len)) {
		cmd_reply_error(ctx, "ERR index out of range");
		return;
	}
	tlist_shrink(o);
	cmd_reply_ok(ctx);
	signal_key(ctx, key);
}

/* LPOP / RPOP key [count] (popGenericCommand). */
static void
pop_generic(struct cmd_ctx *ctx, bool head)
{
	const struct resp_arg *key = &ctx->argv[1];
	bool hascount = ctx->argc == 3;
	int64_t count = 0, llen, n;
	struct tlist_entry e;
	struct obj *o;

	if (ctx->argc > 3) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for '%s' command",
		    head ? "lpop" : "rpop");
		return;
	}
	if (hascount && !cmd_arg_i64_range(ctx, 2, 0, INT64_MAX, ERR_POSITIVE, &count))
		return;
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		if (hascount)
			resp_add_null_array(ctx->out);
		else
			resp_add_null(ctx->out);
		return;
	}
	if (!check_list(ctx, o))
		return;
	if (hascount && count == 0) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	if (!hascount) {
		tlist_index(o, head ? 0 : -1, &e);
		reply_entry(ctx, &e);
		tlist_del_range(o, head ? 0 : -1, 1);
	} else {
		llen = (int64_t)tlist_length(o);
		n = count > llen ? llen : count;
		reply_range(ctx, o, head ? 0 : -n, head ? n - 1 : -1, !head);
		tlist_del_range(o, head ? 0 : -n, n);
	}
	removed(ctx, key, o);
}

void
cmd_lpop(struct cmd_ctx *ctx)
{
	pop_generic(ctx, true);
}

void
cmd_rpop(struct cmd_ctx *ctx)
{
	pop_generic(ctx, false);
}

void
cmd_ltrim(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	int64_t start, end, llen, ltrim, rtrim;
	struct obj *o;

	if (!cmd_arg_i64(ctx, 2, &start) || !cmd_arg_i64(ctx, 3, &end))
		return;
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		cmd_reply_ok(ctx);
		return;
	}
	if (!check_list(ctx, o))
		return;
	llen = (int64_t)tlist_length(o);
	if (start < 0)
		start += llen;
	if (end < 0)
		end += llen;
	if (start < 0)
		start = 0;
	if (start > end || start >= llen) {
		ltrim = llen;
		rtrim = 0;
	} else {
		if (end >= llen)
			end = llen - 1;
		ltrim = start;
		rtrim = llen - end - 1;
	}
	tlist_del_range(o, 0, ltrim);
	tlist_del_range(o, -rtrim, rtrim);
	if (tlist_length(o) == 0)
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
	else
		tlist_shrink(o);
	signal_key(ctx, key);
	cmd_reply_ok(ctx);
}

/*
 * LREM key count element. Redis 7.0 reads count as a long and negates it, so
 * -9223372036854775808 stays negative: every match goes, walking from the tail.
 */
void
cmd_lrem(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	int64_t toremove;
	uint64_t limit;
	size_t n;
	struct obj *o;

	if (!cmd_arg_i64(ctx, 2, &toremove))
		return;
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!check_list(ctx, o))
		return;
	if (toremove == INT64_MIN)
		limit = 0;
	else
		limit = (uint64_t)(toremove < 0 ? -toremove : toremove);
	n = tlist_remove(o, ctx->argv[3].ptr, ctx->argv[3].len, toremove < 0, limit);
	if (n > 0) {
		if (tlist_length(o) == 0)
			store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
		else
			tlist_shrink(o);
		signal_key(ctx, key);
	}
	resp_add_int(ctx->out, (int64_t)n);
}

/*
 * LMOVE / RPOPLPUSH and the non-empty case of their blocking forms (lmoveGenericCommand):
 * argv[1] is the source, argv[2] the destination.
 */
static void
lmove_generic(struct cmd_ctx *ctx, bool from_head, bool to_head)
{
	const struct resp_arg *src = &ctx->argv[1], *dst = &ctx->argv[2];
	char stack[STACK_ELEMENT], *val = stack;
	size_t len, add;
	struct tlist_entry e;
	struct obj *so, *dobj;
	bool quick;

	so = cmd_lookup_write(ctx, src);
	if (so == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	if (!check_list(ctx, so))
		return;
	dobj = cmd_lookup_write(ctx, dst);
	if (dobj != NULL && !check_list(ctx, dobj))
		return;

	/* pop: the element is copied, since pushing may move or free what it points into */
	quick = obj_encoding(so) == OBJ_ENC_QUICKLIST;
	tlist_index(so, from_head ? 0 : -1, &e);
	if (e.s == NULL) {
		len = num_fmt_i64(stack, e.v);
	} else {
		len = e.len;
		if (len > sizeof(stack))
			val = xmalloc(len);
		memcpy(val, e.s, len);
	}
	/*
	 * Redis 7.2 pops an integer out of a quicklist as an integer object, which its
	 * conversion check does not count in bytes.
	 */
	add = quick && e.s == NULL ? 0 : len;
	tlist_del_range(so, from_head ? 0 : -1, 1);

	if (dobj == NULL)
		dobj = tlist_create(ctx->db, dst->ptr, dst->len, ctx->now_ms);
	tlist_grow(dobj, add, 1);
	tlist_push(dobj, val, len, to_head);
	signal_key(ctx, dst);
	resp_add_bulk(ctx->out, val, len);
	if (val != stack)
		xfree(val);
	/* so is still the source: creating dst does not move other keys */
	removed(ctx, src, so);
}

void
cmd_lmove(struct cmd_ctx *ctx)
{
	bool from, to;

	if (!arg_where(ctx, 3, &from) || !arg_where(ctx, 4, &to))
		return;
	lmove_generic(ctx, from, to);
}

void
cmd_rpoplpush(struct cmd_ctx *ctx)
{
	lmove_generic(ctx, false, true);
}

/* Pops up to count elements of o (non-empty) and replies [key, [elements]] (LMPOP, BLMPOP). */
static void
pop_range_with_key(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj *o, bool head,
    int64_t count)
{
	int64_t llen = (int64_t)tlist_length(o);
	int64_t n = count > llen ? llen : count;

	resp_add_array(ctx->out, 2);
	resp_add_bulk(ctx->out, key->ptr, key->len);
	reply_range(ctx, o, head ? 0 : -n, head ? n - 1 : -1, !head);
	tlist_del_range(o, head ? 0 : -n, n);
	removed(ctx, key, o);
}

/*
 * BLPOP / BRPOP / BLMPOP (blockingPopGenericCommand) and LMPOP, once the arguments are parsed:
 * pops from the first of the nkeys keys at argv[first] that holds a non-empty list; count -1
 * for BLPOP/BRPOP's single element, else up to count elements with the key (LMPOP's shape).
 */
static void
blocking_pop(struct cmd_ctx *ctx, int first, int nkeys, bool head, int64_t count)
{
	for (int j = first; j < first + nkeys; j++) {
		const struct resp_arg *key = &ctx->argv[j];
		struct obj *o = cmd_lookup_write(ctx, key);
		struct tlist_entry e;

		if (o == NULL)
			continue;
		if (!check_list(ctx, o))
			return;
		if (tlist_length(o) == 0)
			continue;
		if (count != -1) {
			pop_range_with_key(ctx, key, o, head, count);
			return;
		}
		tlist_index(o, head ? 0 : -1, &e);
		resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, key->ptr, key->len);
		reply_entry(ctx, &e);
		tlist_del_range(o, head ? 0 : -1, 1);
		removed(ctx, key, o);
		return;
	}
	/* nothing to pop, and no waiting: what Redis answers a client that may not block */
	resp_add_null_array(ctx->out);
}

void
cmd_blpop(struct cmd_ctx *ctx)
{
	if (!arg_timeout(ctx, ctx->argc - 1))
		return;
	blocking_pop(ctx, 1, ctx->argc - 2, true, -1);
}

void
cmd_brpop(struct cmd_ctx *ctx)
{
	if (!arg_timeout(ctx, ctx->argc - 1))
		return;
	blocking_pop(ctx, 1, ctx->argc - 2, false, -1);
}

/* BLMOVE / BRPOPLPUSH after their arguments are parsed (blmoveGenericCommand). */
static void
blmove_generic(struct cmd_ctx *ctx, bool from_head, bool to_head)
{
	struct obj *o = cmd_lookup_write(ctx, &ctx->argv[1]);

	if (o != NULL && !check_list(ctx, o))
		return;
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	lmove_generic(ctx, from_head, to_head);
}

void
cmd_blmove(struct cmd_ctx *ctx)
{
	bool from, to;

	if (!arg_where(ctx, 3, &from) || !arg_where(ctx, 4, &to) || !arg_timeout(ctx, 5))
		return;
	blmove_generic(ctx, from, to);
}

void
cmd_brpoplpush(struct cmd_ctx *ctx)
{
	if (!arg_timeout(ctx, 3))
		return;
	blmove_generic(ctx, false, true);
}

/*
 * LMPOP numkeys key... LEFT|RIGHT [COUNT count] and BLMPOP timeout numkeys ...
 * (lmpopGenericCommand): numkeys at argv[nidx].
 */
static void
lmpop_generic(struct cmd_ctx *ctx, int nidx, bool block)
{
	int64_t numkeys, count = -1;
	int where_idx;
	bool head;

	if (!cmd_arg_i64_range(ctx, nidx, 1, INT64_MAX, "ERR numkeys should be greater than 0", &numkeys))
		return;
	if (numkeys >= ctx->argc - nidx - 1) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	where_idx = nidx + (int)numkeys + 1;
	if (!arg_where(ctx, where_idx, &head))
		return;
	for (int j = where_idx + 1; j < ctx->argc; j++) {
		if (count == -1 && cmd_arg_is(ctx, j, "COUNT") && j + 1 < ctx->argc) {
			if (!cmd_arg_i64_range(ctx, ++j, 1, INT64_MAX, "ERR count should be greater than 0",
			    &count))
				return;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (count == -1)
		count = 1;
	if (block && !arg_timeout(ctx, 1))
		return;
	blocking_pop(ctx, nidx + 1, (int)numkeys, head, count);
}

void
cmd_lmpop(struct cmd_ctx *ctx)
{
	lmpop_generic(ctx, 1, false);
}

void
cmd_blmpop(struct cmd_ctx *ctx)
{
	lmpop_generic(ctx, 2, true);
}
