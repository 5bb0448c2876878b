/*
 * cmd_zset_ops.c: the sorted set algebra (rows in zset.def): ZUNION, ZINTER, ZDIFF, ZINTERCARD
 * and the STORE forms ZUNIONSTORE, ZINTERSTORE, ZDIFFSTORE, which also read plain sets as
 * members of score 1 (storage/t_set.h), with WEIGHTS and AGGREGATE as redis-server 7.0.15.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/commands/cmd_zset_int.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/dict.h"
#include "storage/match.h"
#include "storage/obj.h"
#include "storage/store.h"
#include "storage/t_set.h"
#include "storage/t_zset.h"

/* ---- ZUNION, ZINTER, ZDIFF, ZINTERCARD and the STORE forms ---- */

enum setop { OP_UNION, OP_INTER, OP_DIFF };
enum aggr { AGGR_SUM, AGGR_MIN, AGGR_MAX };

/* One input: a zset, a plain set (members of score 1) or nothing (a missing key). */
struct zsrc {
	const struct obj *o;
	struct tzset z;
	size_t len;
	double weight;
};

static bool
src_find(const struct zsrc *s, const char *m, size_t len, double *score)
{
	if (s->o == NULL)
		return false;
	if (obj_type(s->o) == OBJ_SET) {
		if (!tset_contains(s->o, m, len))
			return false;
		*score = 1.0;
		return true;
	}
	return tzset_score(&s->z, m, len, score);
}

/* Calls fn(m, len, score, arg) for every member of s, in the zset's order. */
struct set_walk {
	cmd_zset_emit_fn fn;
	void *arg;
};

static void
set_member(const char *s, size_t len, void *arg)
{
	struct set_walk *w = arg;

	w->fn(s, len, 1.0, w->arg);
}

static void
src_foreach(const struct zsrc *s, cmd_zset_emit_fn fn, void *arg)
{
	if (s->o == NULL)
		return;
	if (obj_type(s->o) == OBJ_SET) {
		struct set_walk w = { fn, arg };

		tset_foreach(s->o, set_member, &w);
	} else {
		struct tzset_iter it;
		const char *m;
		size_t len;
		double score;

		tzset_iter_rank(&it, &s->z, 0, false);
		while (tzset_iter_next(&it, &m, &len, &score))
			fn(m, len, score, arg);
	}
}

static void
aggregate(double *target, double val, enum aggr a)
{
	if (a == AGGR_SUM) {
		*target += val;
		/* inf + -inf: Redis keeps 0 rather than NaN. */
		if (isnan(*target))
			*target = 0;
	} else if (a == AGGR_MIN) {
		*target = val < *target ? val : *target;
	} else {
		*target = val > *target ? val : *target;
	}
}

/* What one pass of an operation over its first input needs. */
struct op_state {
	struct zsrc *src;
	int n;
	enum aggr aggr;
	int i;			/* the input being walked (union) */
	struct tzset dst;	/* the result, a skip list while built */
	size_t maxlen, totlen;
	size_t card, limit;	/* ZINTERCARD */
	bool count_only;
	bool stop;
};

static void
union_member(const char *m, size_t len, double score, void *arg)
{
	struct op_state *st = arg;
	double cur, v = st->src[st->i].weight * score;

	if (isnan(v))
		v = 0;
	if (tzset_score(&st->dst, m, len, &cur)) {
		aggregate(&cur, v, st->aggr);
		tzset_set_score(&st->dst, m, len, cur);
		return;
	}
	tzset_insert_new(&st->dst, v, m, len);
	st->totlen += len;
	if (len > st->maxlen)
		st->maxlen = len;
}

static void
inter_member(const char *m, size_t len, double score, void *arg)
{
	struct op_state *st = arg;
	double v = st->src[0].weight * score, other;
	int j;

	if (st->stop)
		return;
	if (isnan(v))
		v = 0;
	for (j = 1; j < st->n; j++) {
		if (st->src[j].o == st->src[0].o) {
			aggregate(&v, score * st->src[j].weight, st->aggr);
		} else if (src_find(&st->src[j], m, len, &other)) {
			aggregate(&v, other * st->src[j].weight, st->aggr);
		} else {
			break;
		}
	}
	if (j < st->n)
		return;
	if (st->count_only) {
		st->card++;
		if (st->limit && st->card >= st->limit)
			st->stop = true;
		return;
	}
	tzset_insert_new(&st->dst, v, m, len);
	st->totlen += len;
	if (len > st->maxlen)
		st->maxlen = len;
}

static void
diff_member(const char *m, size_t len, double score, void *arg)
{
	struct op_state *st = arg;
	double other;

	for (int j = 1; j < st->n; j++)
		if (st->src[j].o == st->src[0].o || src_find(&st->src[j], m, len, &other))
			return;
	tzset_insert_new(&st->dst, score, m, len);
	st->totlen += len;
	if (len > st->maxlen)
		st->maxlen = len;
}

/* Stable sort of the inputs by cardinality (glibc's qsort, which Redis uses, is a merge sort). */
static void
sort_by_len(struct zsrc *src, int n)
{
	for (int i = 1; i < n; i++) {
		struct zsrc t = src[i];
		int j = i;

		while (j > 0 && src[j - 1].len > t.len) {
			src[j] = src[j - 1];
			j--;
		}
		src[j] = t;
	}
}

/*
 * The common body: numidx is the numkeys argument; dst the destination key (STORE forms) or
 * NULL; card_only for ZINTERCARD.
 */
static void
setop_generic(struct cmd_ctx *ctx, const struct resp_arg *dst, int numidx, enum setop op,
    bool card_only)
{
	struct op_state st = { .aggr = AGGR_SUM };
	bool withscores = false;
	int64_t setnum, limit = 0;
	int i, j;

	if (!cmd_arg_i64(ctx, numidx, &setnum))
		return;
	if (setnum < 1) {
		const char *name = ctx->argv[0].ptr;
		char lname[16];
		size_t k;

		for (k = 0; k < ctx->argv[0].len && k < sizeof lname - 1; k++)
			lname[k] = (char)tolower((unsigned char)name[k]);
		lname[k] = '\0';
		cmd_reply_error(ctx, "ERR at least 1 input key is needed for '%s' command", lname);
		return;
	}
	if (setnum > ctx->argc - (numidx + 1)) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	st.n = (int)setnum;
	st.src = xcalloc((size_t)setnum, sizeof *st.src);
	for (i = 0, j = numidx + 1; i < st.n; i++, j++) {
		struct obj *o = dst != NULL ? cmd_lookup_write_counted(ctx, &ctx->argv[j]) :
		    cmd_lookup_read(ctx, &ctx->argv[j]);

		if (o != NULL && obj_type(o) != OBJ_ZSET && obj_type(o) != OBJ_SET) {
			cmd_reply_wrongtype(ctx);
			goto out;
		}
		st.src[i].o = o;
		st.src[i].weight = 1.0;
		if (o != NULL && obj_type(o) == OBJ_ZSET) {
			st.src[i].z = tzset_of(o);
			st.src[i].len = tzset_len(&st.src[i].z);
		} else if (o != NULL) {
			st.src[i].len = tset_card(o);
		}
	}
	while (j < ctx->argc) {
		int remaining = ctx->argc - j;

		if (op != OP_DIFF && !card_only && remaining >= st.n + 1 &&
		    cmd_arg_is(ctx, j, "weights")) {
			j++;
			for (i = 0; i < st.n; i++, j++)
				if (!cmd_zset_arg_double(ctx, j, "ERR weight value is not a float",
				    &st.src[i].weight))
					goto out;
		} else if (op != OP_DIFF && !card_only && remaining >= 2 &&
		    cmd_arg_is(ctx, j, "aggregate")) {
			j++;
			if (cmd_arg_is(ctx, j, "sum")) {
				st.aggr = AGGR_SUM;
			} else if (cmd_arg_is(ctx, j, "min")) {
				st.aggr = AGGR_MIN;
			} else if (cmd_arg_is(ctx, j, "max")) {
				st.aggr = AGGR_MAX;
			} else {
				cmd_reply_syntax_error(ctx);
				goto out;
			}
			j++;
		} else if (dst == NULL && !card_only && cmd_arg_is(ctx, j, "withscores")) {
			j++;
			withscores = true;
		} else if (card_only && remaining >= 2 && cmd_arg_is(ctx, j, "limit")) {
			j++;
			if (!cmd_arg_i64_range(ctx, j, 0, INT64_MAX, "ERR LIMIT can't be negative", &limit))
				goto out;
			j++;
		} else {
			cmd_reply_syntax_error(ctx);
			goto out;
		}
	}
	if (op != OP_DIFF)
		sort_by_len(st.src, st.n);
	st.dst = tzset_new(0, 0);
	tzset_convert(&st.dst, OBJ_ENC_SKIPLIST);
	st.count_only = card_only;
	st.limit = (size_t)limit;
	if (op == OP_INTER) {
		if (st.src[0].len > 0)
			src_foreach(&st.src[0], inter_member, &st);
	} else if (op == OP_UNION) {
		for (st.i = 0; st.i < st.n; st.i++)
			src_foreach(&st.src[st.i], union_member, &st);
	} else if (st.src[0].len > 0) {
		src_foreach(&st.src[0], diff_member, &st);
	}

	if (dst != NULL) {
		size_t n = tzset_len(&st.dst);

		if (n > 0) {
			tzset_shrink_if_needed(&st.dst, st.maxlen, st.totlen);
			cmd_zset_store_zset(ctx, dst, &st.dst);
			st.dst.p = NULL;
			cmd_zset_signal_key(ctx, dst);
			resp_add_int(ctx->out, (int64_t)n);
		} else {
			resp_add_const(ctx->out, RESP_C_ZERO);
			if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
				cmd_zset_signal_key(ctx, dst);
		}
	} else if (card_only) {
		resp_add_int(ctx->out, (int64_t)st.card);
	} else {
		struct tzset_iter it;
		const char *m;
		size_t len;
		double score;

		cmd_zset_reply_items_hdr(ctx, tzset_len(&st.dst), withscores);
		tzset_iter_rank(&it, &st.dst, 0, false);
		while (tzset_iter_next(&it, &m, &len, &score))
			cmd_zset_reply_item(ctx, m, len, score, withscores);
	}
	tzset_payload_free(st.dst.enc, st.dst.p);
out:
	xfree(st.src);
}

void
cmd_zunionstore(struct cmd_ctx *ctx)
{
	setop_generic(ctx, &ctx->argv[1], 2, OP_UNION, false);
}

void
cmd_zinterstore(struct cmd_ctx *ctx)
{
	setop_generic(ctx, &ctx->argv[1], 2, OP_INTER, false);
}

void
cmd_zdiffstore(struct cmd_ctx *ctx)
{
	setop_generic(ctx, &ctx->argv[1], 2, OP_DIFF, false);
}

void
cmd_zunion(struct cmd_ctx *ctx)
{
	setop_generic(ctx, NULL, 1, OP_UNION, false);
}

void
cmd_zinter(struct cmd_ctx *ctx)
{
	setop_generic(ctx, NULL, 1, OP_INTER, false);
}

void
cmd_zdiff(struct cmd_ctx *ctx)
{
	setop_generic(ctx, NULL, 1, OP_DIFF, false);
}

void
cmd_zintercard(struct cmd_ctx *ctx)
{
	setop_generic(ctx, NULL, 1, OP_INTER, true);
}
