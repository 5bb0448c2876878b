/*
 * cmd_zset.c: the sorted set commands (rows in zset.def): ZADD/ZINCRBY, the ZRANGE family and
 * ZRANGESTORE, ZSCORE/ZMSCORE/ZRANK/ZCOUNT/ZLEXCOUNT/ZCARD, ZSCAN, ZRANDMEMBER, the pops
 * (ZPOPMIN/ZPOPMAX/ZMPOP and the blocking forms) and removals. The set algebra is in
 * cmd_zset_ops.c; what both share is declared in cmd_zset_int.h.
 *
 * Data flow: dispatch has checked arity and the right to write; a handler parses its arguments
 * in Redis 7.0's order, so the first error Redis would report is the one replied, works on the
 * payload through storage/t_zset.h, writes the payload back into the key (tzset_put), and
 * signals every key it changed where Redis' t_zset.c calls signalModifiedKey.
 *
 * Blocking pops: a client of a read-only replica never gets here (dispatch answers -READONLY).
 * With replica-read-only no, BZPOPMIN/BZPOPMAX/BZMPOP pop like their non-blocking forms with the
 * blocking reply shape; on empty keys they answer what Redis answers when it may not block
 * (inside MULTI): a null array. Waiting for a key is not implemented yet.
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

#define ERR_NOT_FLOAT		"ERR value is not a valid float"
#define ERR_RANGE_FLOAT		"ERR min or max is not a float"
#define ERR_RANGE_LEX		"ERR min or max not valid string range item"
#define ERR_NAN			"ERR resulting score is not a number (NaN)"

void
cmd_zset_signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* A fresh random state for one command: the picks need not repeat across commands. */
static uint64_t
rng_seed(void)
{
	return ((uint64_t)server_time_us() * 0x9E3779B97F4A7C15ULL) | 1;
}

/* ---- Argument parsing with Redis' errors ---- */

bool
cmd_zset_arg_double(struct cmd_ctx *ctx, int i, const char *err, double *out)
{
	if (cmd_parse_double(&ctx->argv[i], out))
		return true;
	cmd_reply_error(ctx, "%s", err);
	return false;
}

/* One bound of a score range, as zslParseRange: "(" for exclusive, strtod up to a NUL. */
static bool
parse_score_bound(const struct resp_arg *a, double *v, bool *ex)
{
	char stack[128], *buf = a->len < sizeof stack ? stack : xmalloc(a->len + 1);
	char *s, *end;
	bool ok;

	memcpy(buf, a->ptr, a->len);
	buf[a->len] = '\0';
	s = buf;
	*ex = false;
	if (s[0] == '(') {
		*ex = true;
		s++;
	}
	*v = strtod(s, &end);
	ok = end[0] == '\0' && !isnan(*v);
	if (buf != stack)
		xfree(buf);
	return ok;
}

static bool
parse_score_range(const struct resp_arg *min, const struct resp_arg *max, struct tzset_range *r)
{
	return parse_score_bound(min, &r->min, &r->minex) &&
	    parse_score_bound(max, &r->max, &r->maxex);
}

static bool
parse_lex_bound(const struct resp_arg *a, enum tzset_lex_kind *kind, const char **p, size_t *len,
    bool *ex)
{
	const char *s = a->ptr;

	*p = NULL;
	*len = 0;
	if (a->len == 0)
		return false;
	switch (s[0]) {
	case '+':
	case '-':
		/* Redis reads the item as a C string: "+" then a NUL is still "+". */
		if (a->len > 1 && s[1] != '\0')
			return false;
		*kind = s[0] == '+' ? TZSET_LEX_MAX : TZSET_LEX_MIN;
		*ex = true;
		return true;
	case '(':
	case '[':
		*kind = TZSET_LEX_BYTES;
		*ex = s[0] == '(';
		*p = s + 1;
		*len = a->len - 1;
		return true;
	default:
		return false;
	}
}

static bool
parse_lex_range(const struct resp_arg *min, const struct resp_arg *max, struct tzset_lexrange *r)
{
	return parse_lex_bound(min, &r->minkind, &r->min, &r->minlen, &r->minex) &&
	    parse_lex_bound(max, &r->maxkind, &r->max, &r->maxlen, &r->maxex);
}

/* ---- Replies ---- */

/* A score as ZSCAN prints a skip list's (Redis' ld2string, "%.17Lg" of the exact value). */
static void
reply_score_text(struct cmd_ctx *ctx, double d)
{
	char buf[64];
	size_t n;

	if (isinf(d)) {
		resp_add_bulk(ctx->out, d > 0 ? "inf" : "-inf", d > 0 ? 3 : 4);
		return;
	}
	n = num_fmt_g17(buf, d);
	resp_add_bulk(ctx->out, buf, n);
}

/* The header of n member(-score) items: flat in RESP2, pairs nested in RESP3. */
void
cmd_zset_reply_items_hdr(struct cmd_ctx *ctx, size_t n, bool withscores)
{
	resp_add_array(ctx->out, withscores && ctx->out->proto == 2 ? 2 * n : n);
}

void
cmd_zset_reply_item(struct cmd_ctx *ctx, const char *m, size_t len, double score, bool withscores)
{
	if (withscores && ctx->out->proto > 2)
		resp_add_array(ctx->out, 2);
	resp_add_bulk(ctx->out, m, len);
	if (withscores)
		resp_add_double(ctx->out, score);
}

/* Writes z back into o, or deletes the key if z became empty. Returns true if deleted. */
static bool
finish_write(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj *o, struct tzset *z)
{
	tzset_put(o, z);
	if (tzset_len(z) == 0) {
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
		return true;
	}
	return false;
}

/* Stores a new zset z (taken) at key, replacing any value and TTL; returns the new value. */
struct obj *
cmd_zset_store_zset(struct cmd_ctx *ctx, const struct resp_arg *key, struct tzset *z)
{
	struct obj_value v = { .type = OBJ_ZSET, .enc = z->enc, .ptr = z->p };

	return store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
}

/* ---- ZADD, ZINCRBY ---- */

static void
zadd_generic(struct cmd_ctx *ctx, int flags)
{
	const struct resp_arg *key = &ctx->argv[1];
	int idx = 2, n, added = 0, updated = 0, processed = 0;
	bool ch = false, incr, nx, xx, gt, lt;
	double score = 0, *scores;
	struct obj *o;
	struct tzset z;

	for (; idx < ctx->argc; idx++) {
		if (cmd_arg_is(ctx, idx, "nx"))
			flags |= TZSET_ADD_NX;
		else if (cmd_arg_is(ctx, idx, "xx"))
			flags |= TZSET_ADD_XX;
		else if (cmd_arg_is(ctx, idx, "ch"))
			ch = true;
		else if (cmd_arg_is(ctx, idx, "incr"))
			flags |= TZSET_ADD_INCR;
		else if (cmd_arg_is(ctx, idx, "gt"))
			flags |= TZSET_ADD_GT;
		else if (cmd_arg_is(ctx, idx, "lt"))
			flags |= TZSET_ADD_LT;
		else
			break;
	}
	incr = flags & TZSET_ADD_INCR;
	nx = flags & TZSET_ADD_NX;
	xx = flags & TZSET_ADD_XX;
	gt = flags & TZSET_ADD_GT;
	lt = flags & TZSET_ADD_LT;
	n = ctx->argc - idx;
	if (n % 2 != 0 || n == 0) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	n /= 2;
	if (nx && xx) {
		cmd_reply_error(ctx, "ERR XX and NX options at the same time are not compatible");
		return;
	}
	if ((gt && nx) || (lt && nx) || (gt && lt)) {
		cmd_reply_error(ctx,
		    "ERR GT, LT, and/or NX options at the same time are not compatible");
		return;
	}
	if (incr && n > 1) {
		cmd_reply_error(ctx, "ERR INCR option supports a single increment-element pair");
		return;
	}
	scores = xmalloc(sizeof *scores * (size_t)n);
	for (int j = 0; j < n; j++)
		if (!cmd_zset_arg_double(ctx, idx + 2 * j, ERR_NOT_FLOAT, &scores[j]))
			goto out;
	if (!cmd_lookup_typed(ctx, key, OBJ_ZSET, true, &o))
		goto out;
	if (o == NULL) {
		if (xx)
			goto reply;
		z = tzset_new(1, ctx->argv[idx + 1].len);
		o = cmd_zset_store_zset(ctx, key, &z);
	}
	z = tzset_of(o);
	for (int j = 0; j < n; j++) {
		const struct resp_arg *m = &ctx->argv[idx + 1 + 2 * j];
		double newscore = 0;
		int out;

		if (!tzset_add(&z, scores[j], m->ptr, m->len, flags, &out, &newscore)) {
			tzset_put(o, &z);
			cmd_reply_error(ctx, ERR_NAN);
			goto out;
		}
		added += (out & TZSET_OUT_ADDED) != 0;
		updated += (out & TZSET_OUT_UPDATED) != 0;
		processed += (out & TZSET_OUT_NOP) == 0;
		score = newscore;
	}
	tzset_put(o, &z);
reply:
	if (incr) {
		if (processed)
			resp_add_double(ctx->out, score);
		else
			resp_add_null(ctx->out);
	} else {
		resp_add_int(ctx->out, ch ? added + updated : added);
	}
out:
	xfree(scores);
	if (added || updated)
		cmd_zset_signal_key(ctx, key);
}

void
cmd_zadd(struct cmd_ctx *ctx)
{
	zadd_generic(ctx, 0);
}

void
cmd_zincrby(struct cmd_ctx *ctx)
{
	zadd_generic(ctx, TZSET_ADD_INCR);
}

/* ---- ZREM, ZREMRANGEBY* ---- */

void
cmd_zrem(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	int64_t deleted = 0;
	struct obj *o;
	struct tzset z;

	if (!cmd_lookup_typed(ctx, key, OBJ_ZSET, true, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	z = tzset_of(o);
	for (int j = 2; j < ctx->argc; j++) {
		deleted += tzset_del(&z, ctx->argv[j].ptr, ctx->argv[j].len);
		if (tzset_len(&z) == 0)
			break;
	}
	finish_write(ctx, key, o, &z);
	if (deleted)
		cmd_zset_signal_key(ctx, key);
	resp_add_int(ctx->out, deleted);
}

enum rtype { R_AUTO, R_RANK, R_SCORE, R_LEX };

static void
zremrange_generic(struct cmd_ctx *ctx, enum rtype type)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct tzset_range sr;
	struct tzset_lexrange lr;
	int64_t start = 0, end = 0;
	size_t deleted = 0;
	struct obj *o;
	struct tzset z;

	if (type == R_RANK) {
		if (!cmd_arg_i64(ctx, 2, &start) || !cmd_arg_i64(ctx, 3, &end))
			return;
	} else if (type == R_SCORE) {
		if (!parse_score_range(&ctx->argv[2], &ctx->argv[3], &sr)) {
			cmd_reply_error(ctx, ERR_RANGE_FLOAT);
			return;
		}
	} else if (!parse_lex_range(&ctx->argv[2], &ctx->argv[3], &lr)) {
		cmd_reply_error(ctx, ERR_RANGE_LEX);
		return;
	}
	if (!cmd_lookup_typed(ctx, key, OBJ_ZSET, true, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	z = tzset_of(o);
	if (type == R_RANK) {
		int64_t llen = (int64_t)tzset_len(&z);

		if (start < 0)
			start += llen;
		if (end < 0)
			end += llen;
		if (start < 0)
			start = 0;
		if (start > end || start >= llen) {
			resp_add_const(ctx->out, RESP_C_ZERO);
			return;
		}
		if (end >= llen)
			end = llen - 1;
		deleted = tzset_del_range_rank(&z, (size_t)start, (size_t)end);
	} else if (type == R_SCORE) {
		deleted = tzset_del_range_score(&z, &sr);
	} else {
		deleted = tzset_del_range_lex(&z, &lr);
	}
	finish_write(ctx, key, o, &z);
	if (deleted)
		cmd_zset_signal_key(ctx, key);
	resp_add_int(ctx->out, (int64_t)deleted);
}

void
cmd_zremrangebyrank(struct cmd_ctx *ctx)
{
	zremrange_generic(ctx, R_RANK);
}

void
cmd_zremrangebyscore(struct cmd_ctx *ctx)
{
	zremrange_generic(ctx, R_SCORE);
}

void
cmd_zremrangebylex(struct cmd_ctx *ctx)
{
	zremrange_generic(ctx, R_LEX);
}

/* ---- The ZRANGE family ---- */

/* A parsed range query (ZRANGE and its older forms, ZRANGESTORE). */
struct zquery {
	enum rtype type;
	bool rev;
	int64_t start, end;		/* R_RANK */
	struct tzset_range sr;		/* R_SCORE */
	struct tzset_lexrange lr;	/* R_LEX */
	int64_t offset, limit;		/* R_SCORE, R_LEX */
};

/*
 * Walks the members q selects in reply order, calling fn for each (fn NULL: count only).
 * Returns how many there were. Offsets and limits as Redis: a negative offset selects nothing,
 * a negative limit is no limit.
 */
static size_t
zquery_walk(const struct tzset *z, const struct zquery *q, cmd_zset_emit_fn fn, void *arg)
{
	struct tzset_iter it;
	const char *m;
	size_t len, n = 0;
	double score;
	int64_t offset = q->offset, limit = q->limit;

	if (q->type == R_RANK) {
		int64_t llen = (int64_t)tzset_len(z), start = q->start, end = q->end;

		if (start < 0)
			start += llen;
		if (end < 0)
			end += llen;
		if (start < 0)
			start = 0;
		if (start > end || start >= llen)
			return 0;
		if (end >= llen)
			end = llen - 1;
		if (fn == NULL)
			return (size_t)(end - start + 1);
		tzset_iter_rank(&it, z, (size_t)start, q->rev);
		for (int64_t i = start; i <= end && tzset_iter_next(&it, &m, &len, &score); i++) {
			fn(m, len, score, arg);
			n++;
		}
		return n;
	}
	if (q->type == R_SCORE) {
		if (offset > 0 && offset >= (int64_t)tzset_len(z))
			return 0;
		tzset_iter_score(&it, z, &q->sr, q->rev);
	} else {
		tzset_iter_lex(&it, z, &q->lr, q->rev);
	}
	if (offset < 0)
		return 0;
	while (offset > 0 && tzset_iter_skip(&it))
		offset--;
	while (limit-- != 0 && tzset_iter_next(&it, &m, &len, &score)) {
		if (q->type == R_SCORE) {
			if (q->rev ? !tzset_gte_min(score, &q->sr) : !tzset_lte_max(score, &q->sr))
				break;
		} else {
			if (q->rev ? !tzset_lex_gte_min(m, len, &q->lr) :
			    !tzset_lex_lte_max(m, len, &q->lr))
				break;
		}
		if (fn != NULL)
			fn(m, len, score, arg);
		n++;
	}
	return n;
}

struct emit_client {
	struct cmd_ctx *ctx;
	bool withscores;
};

static void
emit_to_client(const char *m, size_t len, double score, void *arg)
{
	struct emit_client *e = arg;

	cmd_zset_reply_item(e->ctx, m, len, score, e->withscores);
}

struct emit_store {
	struct tzset z;
};

static void
emit_to_store(const char *m, size_t len, double score, void *arg)
{
	struct emit_store *e = arg;
	int out;

	tzset_add(&e->z, score, m, len, 0, &out, NULL);
}

/*
 * ZRANGE, ZRANGESTORE and the older forms: argv[base] is the source key, then min and max; type
 * and rev preset by the older forms (R_AUTO / false otherwise: the options decide).
 */
static void
zrange_generic(struct cmd_ctx *ctx, int base, bool store, enum rtype type, bool rev_fixed,
    bool rev)
{
	const struct resp_arg *key = &ctx->argv[base];
	int minidx = base + 1, maxidx = base + 2;
	bool withscores = false, rev_set = rev_fixed;
	struct zquery q = { .offset = 0, .limit = -1 };
	struct obj *o;
	struct tzset z;
	size_t n;

	for (int j = base + 3; j < ctx->argc; j++) {
		int left = ctx->argc - j - 1;

		if (!store && cmd_arg_is(ctx, j, "withscores")) {
			withscores = true;
		} else if (cmd_arg_is(ctx, j, "limit") && left >= 2) {
			if (!cmd_arg_i64(ctx, j + 1, &q.offset) || !cmd_arg_i64(ctx, j + 2, &q.limit))
				return;
			j += 2;
		} else if (!rev_set && cmd_arg_is(ctx, j, "rev")) {
			rev = true;
			rev_set = true;
		} else if (type == R_AUTO && cmd_arg_is(ctx, j, "bylex")) {
			type = R_LEX;
		} else if (type == R_AUTO && cmd_arg_is(ctx, j, "byscore")) {
			type = R_SCORE;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (type == R_AUTO)
		type = R_RANK;
	if (q.limit != -1 && type == R_RANK) {
		cmd_reply_error(ctx, "ERR syntax error, LIMIT is only supported in combination with "
		    "either BYSCORE or BYLEX");
		return;
	}
	if (withscores && type == R_LEX) {
		cmd_reply_error(ctx,
		    "ERR syntax error, WITHSCORES not supported in combination with BYLEX");
		return;
	}
	if (rev && type != R_RANK) {
		minidx = base + 2;
		maxidx = base + 1;
	}
	q.type = type;
	q.rev = rev;
	if (type == R_RANK) {
		if (!cmd_arg_i64(ctx, minidx, &q.start) || !cmd_arg_i64(ctx, maxidx, &q.end))
			return;
	} else if (type == R_SCORE) {
		if (!parse_score_range(&ctx->argv[minidx], &ctx->argv[maxidx], &q.sr)) {
			cmd_reply_error(ctx, ERR_RANGE_FLOAT);
			return;
		}
	} else if (!parse_lex_range(&ctx->argv[minidx], &ctx->argv[maxidx], &q.lr)) {
		cmd_reply_error(ctx, ERR_RANGE_LEX);
		return;
	}

	if (store) {
		const struct resp_arg *dst = &ctx->argv[1];
		struct emit_store e;

		o = cmd_lookup_write_counted(ctx, key);
		if (o != NULL && obj_type(o) != OBJ_ZSET) {
			cmd_reply_wrongtype(ctx);
			return;
		}
		n = 0;
		if (o != NULL) {
			z = tzset_of(o);
			n = zquery_walk(&z, &q, NULL, NULL);
			/* Redis picks the encoding from the length when it is known up front. */
			e.z = tzset_new(type == R_RANK ? n : 0, 0);
			zquery_walk(&z, &q, emit_to_store, &e);
		}
		if (n > 0) {
			cmd_zset_store_zset(ctx, dst, &e.z);
			cmd_zset_signal_key(ctx, dst);
			resp_add_int(ctx->out, (int64_t)n);
		} else {
			if (o != NULL)
				tzset_payload_free(e.z.enc, e.z.p);
			resp_add_const(ctx->out, RESP_C_ZERO);
			if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
				cmd_zset_signal_key(ctx, dst);
		}
		return;
	}

	if (!cmd_lookup_typed(ctx, key, OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	z = tzset_of(o);
	{
		struct emit_client e = { ctx, withscores };

		n = zquery_walk(&z, &q, NULL, NULL);
		cmd_zset_reply_items_hdr(ctx, n, withscores);
		zquery_walk(&z, &q, emit_to_client, &e);
	}
}

void
cmd_zrange(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_AUTO, false, false);
}

void
cmd_zrangestore(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 2, true, R_AUTO, false, false);
}

void
cmd_zrevrange(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_RANK, true, true);
}

void
cmd_zrangebyscore(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_SCORE, true, false);
}

void
cmd_zrevrangebyscore(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_SCORE, true, true);
}

void
cmd_zrangebylex(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_LEX, true, false);
}

void
cmd_zrevrangebylex(struct cmd_ctx *ctx)
{
	zrange_generic(ctx, 1, false, R_LEX, true, true);
}

/* ---- Point reads ---- */

void
cmd_zcard(struct cmd_ctx *ctx)
{
	struct obj *o;
	struct tzset z;

	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	z = tzset_of(o);
	resp_add_int(ctx->out, (int64_t)tzset_len(&z));
}

void
cmd_zscore(struct cmd_ctx *ctx)
{
	struct obj *o;
	struct tzset z;
	double score;

	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	z = tzset_of(o);
	if (tzset_score(&z, ctx->argv[2].ptr, ctx->argv[2].len, &score))
		resp_add_double(ctx->out, score);
	else
		resp_add_null(ctx->out);
}

void
cmd_zmscore(struct cmd_ctx *ctx)
{
	struct obj *o;
	struct tzset z;
	double score;

	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o != NULL)
		z = tzset_of(o);
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int j = 2; j < ctx->argc; j++) {
		if (o != NULL && tzset_score(&z, ctx->argv[j].ptr, ctx->argv[j].len, &score))
			resp_add_double(ctx->out, score);
		else
			resp_add_null(ctx->out);
	}
}

/* ZRANK / ZREVRANK, with Redis 7.2's WITHSCORE. */
static void
zrank_generic(struct cmd_ctx *ctx, bool rev)
{
	bool withscore = false;
	struct obj *o;
	struct tzset z;
	size_t rank;
	double score;

	if (ctx->argc > 4) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for '%s' command",
		    rev ? "zrevrank" : "zrank");
		return;
	}
	if (ctx->argc > 3) {
		if (!cmd_arg_is(ctx, 3, "withscore")) {
			cmd_reply_syntax_error(ctx);
			return;
		}
		withscore = true;
	}
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o != NULL) {
		z = tzset_of(o);
		if (tzset_rank(&z, ctx->argv[2].ptr, ctx->argv[2].len, rev, &rank, &score)) {
			if (withscore)
				resp_add_array(ctx->out, 2);
			resp_add_int(ctx->out, (int64_t)rank);
			if (withscore)
				resp_add_double(ctx->out, score);
			return;
		}
	}
	if (withscore)
		resp_add_null_array(ctx->out);
	else
		resp_add_null(ctx->out);
}

void
cmd_zrank(struct cmd_ctx *ctx)
{
	zrank_generic(ctx, false);
}

void
cmd_zrevrank(struct cmd_ctx *ctx)
{
	zrank_generic(ctx, true);
}

void
cmd_zcount(struct cmd_ctx *ctx)
{
	struct tzset_range r;
	struct obj *o;
	struct tzset z;

	if (!parse_score_range(&ctx->argv[2], &ctx->argv[3], &r)) {
		cmd_reply_error(ctx, ERR_RANGE_FLOAT);
		return;
	}
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	z = tzset_of(o);
	resp_add_int(ctx->out, (int64_t)tzset_count_score(&z, &r));
}

void
cmd_zlexcount(struct cmd_ctx *ctx)
{
	struct tzset_lexrange r;
	struct obj *o;
	struct tzset z;

	if (!parse_lex_range(&ctx->argv[2], &ctx->argv[3], &r)) {
		cmd_reply_error(ctx, ERR_RANGE_LEX);
		return;
	}
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	z = tzset_of(o);
	resp_add_int(ctx->out, (int64_t)tzset_count_lex(&z, &r));
}

/* ---- ZSCAN ---- */

struct scan_item {
	const char *m;		/* points into the skip list's node: valid during the command */
	size_t len;
	double score;
};

struct scan_list {
	struct scan_item *v;
	size_t n, cap;
	const struct glob *match;
};

static void
scan_collect(const char *m, size_t len, double score, void *arg)
{
	struct scan_list *l = arg;

	if (l->match != NULL && !glob_match(l->match, m, len))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n].m = m;
	l->v[l->n].len = len;
	l->v[l->n].score = score;
	l->n++;
}

void
cmd_zscan(struct cmd_ctx *ctx)
{
	struct scan_list l = { NULL, 0, 0, NULL };
	uint64_t cursor;
	int64_t count = 10;
	struct glob g;
	struct obj *o;
	struct tzset z;

	if (!cmd_parse_cursor(&ctx->argv[2], &cursor)) {
		cmd_reply_error(ctx, "ERR invalid cursor");
		return;
	}
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL) {
		resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, "0", 1);
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	for (int i = 3; i < ctx->argc; i += 2) {
		bool more = ctx->argc - i >= 2;

		if (more && cmd_arg_is(ctx, i, "count")) {
			if (!cmd_arg_i64(ctx, i + 1, &count))
				return;
			if (count < 1) {
				cmd_reply_syntax_error(ctx);
				return;
			}
		} else if (more && cmd_arg_is(ctx, i, "match")) {
			glob_compile(&g, ctx->argv[i + 1].ptr, ctx->argv[i + 1].len, false);
			l.match = glob_is_match_all(&g) ? NULL : &g;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	z = tzset_of(o);
	if (z.enc == OBJ_ENC_LISTPACK) {
		/* A listpack answers whole, with its scores' own text, and cursor 0. */
		size_t n = tzset_len(&z), k = 0;
		struct tzset_iter it;
		const char *m;
		size_t len;
		double score;
		bool *keep = xmalloc(n ? n : 1);

		tzset_iter_rank(&it, &z, 0, false);
		for (size_t i = 0; tzset_iter_next(&it, &m, &len, &score); i++) {
			keep[i] = l.match == NULL || glob_match(l.match, m, len);
			k += keep[i];
		}
		resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, "0", 1);
		resp_add_array(ctx->out, 2 * k);
		tzset_iter_rank(&it, &z, 0, false);
		for (size_t i = 0; tzset_iter_next(&it, &m, &len, &score); i++) {
			char buf[24];
			const char *s;
			size_t slen;

			if (!keep[i])
				continue;
			resp_add_bulk(ctx->out, m, len);
			s = tzset_lp_score_text(&z, i, buf, &slen);
			resp_add_bulk(ctx->out, s, slen);
		}
		xfree(keep);
		return;
	}
	{
		int64_t maxiter = count * 10;

		do {
			cursor = tzset_scan(&z, cursor, scan_collect, &l);
		} while (cursor != 0 && maxiter-- > 0 && l.n < (size_t)count);
	}
	resp_add_array(ctx->out, 2);
	resp_add_bulk_i64(ctx->out, (int64_t)cursor);
	resp_add_array(ctx->out, 2 * l.n);
	for (size_t i = 0; i < l.n; i++) {
		resp_add_bulk(ctx->out, l.v[i].m, l.v[i].len);
		reply_score_text(ctx, l.v[i].score);
	}
	xfree(l.v);
}

/* ---- Pops ---- */

enum pop_shape {
	POP_FLAT,		/* ZPOPMIN/MAX: m, s, m, s ... */
	POP_NESTED,		/* ZPOPMIN/MAX with COUNT in RESP3: [m, s] ... */
	POP_KEY_FLAT,		/* BZPOPMIN/MAX: key, m, s */
	POP_KEY_NESTED,		/* ZMPOP/BZMPOP: key, [[m, s] ...] */
};

/*
 * Pops up to count members (count 0: none) from o (a non-empty zset at key), replying in the
 * given shape; deletes the key when it empties.
 */
static void
pop_from(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj *o, bool max, int64_t count,
    enum pop_shape shape)
{
	struct tzset z = tzset_of(o);
	size_t len = tzset_len(&z), n = (size_t)count > len ? len : (size_t)count;

	switch (shape) {
	case POP_FLAT:
		resp_add_array(ctx->out, 2 * n);
		break;
	case POP_NESTED:
		resp_add_array(ctx->out, n);
		break;
	case POP_KEY_FLAT:
		resp_add_array(ctx->out, 2 * n + 1);
		resp_add_bulk(ctx->out, key->ptr, key->len);
		break;
	case POP_KEY_NESTED:
		resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, key->ptr, key->len);
		resp_add_array(ctx->out, n);
		break;
	}
	for (size_t i = 0; i < n; i++) {
		struct tzset_iter it;
		const char *m;
		size_t mlen;
		double score;

		tzset_iter_rank(&it, &z, 0, max);
		tzset_iter_next(&it, &m, &mlen, &score);
		if (shape == POP_NESTED || shape == POP_KEY_NESTED)
			resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, m, mlen);
		resp_add_double(ctx->out, score);
		tzset_del_extreme(&z, max);
	}
	if (n > 0)
		cmd_zset_signal_key(ctx, key);
	finish_write(ctx, key, o, &z);
}

static void
zpop_minmax(struct cmd_ctx *ctx, bool max)
{
	int64_t count = -1;
	struct obj *o;

	if (ctx->argc > 3) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc == 3 && !cmd_arg_i64_range(ctx, 2, 0, INT64_MAX,
	    "ERR value is out of range, must be positive", &count))
		return;
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, true, &o))
		return;
	if (o == NULL || count == 0) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	pop_from(ctx, &ctx->argv[1], o, max, count == -1 ? 1 : count,
	    ctx->out->proto > 2 && count != -1 ? POP_NESTED : POP_FLAT);
}

void
cmd_zpopmin(struct cmd_ctx *ctx)
{
	zpop_minmax(ctx, false);
}

void
cmd_zpopmax(struct cmd_ctx *ctx)
{
	zpop_minmax(ctx, true);
}

/* Redis' getTimeoutFromObjectOrReply for seconds (only checked: nothing waits yet). */
static bool
arg_timeout(struct cmd_ctx *ctx, int i)
{
	const struct resp_arg *a = &ctx->argv[i];
	char buf[5 * 1024];
	long double v;
	char *end;

	if (a->len == 0 || a->len >= sizeof buf)
		goto bad;
	memcpy(buf, a->ptr, a->len);
	buf[a->len] = '\0';
	errno = 0;
	v = strtold(buf, &end);
	if (isspace((unsigned char)buf[0]) || end[0] != '\0' || (size_t)(end - buf) != a->len ||
	    (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || v == 0)) ||
	    errno == EINVAL || isnan(v))
		goto bad;
	if ((long long)ceill(v * 1000.0L) < 0) {
		cmd_reply_error(ctx, "ERR timeout is negative");
		return false;
	}
	return true;
bad:
	cmd_reply_error(ctx, "ERR timeout is not a float or out of range");
	return false;
}

/* The blocking pops' common part: keys argv[first .. first + nkeys). */
static void
bpop_generic(struct cmd_ctx *ctx, int first, int nkeys, bool max, int64_t count,
    enum pop_shape shape)
{
	for (int j = first; j < first + nkeys; j++) {
		struct obj *o;

		if (!cmd_lookup_typed(ctx, &ctx->argv[j], OBJ_ZSET, true, &o))
			return;
		if (o == NULL)
			continue;
		pop_from(ctx, &ctx->argv[j], o, max, count, shape);
		return;
	}
	/* Redis' answer when it may not block; waiting for a key is not implemented. */
	resp_add_null_array(ctx->out);
}

void
cmd_bzpopmin(struct cmd_ctx *ctx)
{
	if (arg_timeout(ctx, ctx->argc - 1))
		bpop_generic(ctx, 1, ctx->argc - 2, false, 1, POP_KEY_FLAT);
}

void
cmd_bzpopmax(struct cmd_ctx *ctx)
{
	if (arg_timeout(ctx, ctx->argc - 1))
		bpop_generic(ctx, 1, ctx->argc - 2, true, 1, POP_KEY_FLAT);
}

static void
zmpop_generic(struct cmd_ctx *ctx, int numidx, bool block)
{
	int64_t numkeys, count = -1;
	int where;
	bool max;

	if (!cmd_arg_i64_range(ctx, numidx, 1, INT64_MAX, "ERR numkeys should be greater than 0",
	    &numkeys))
		return;
	if (numkeys >= ctx->argc - numidx) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	where = numidx + (int)numkeys + 1;
	if (cmd_arg_is(ctx, where, "min")) {
		max = false;
	} else if (cmd_arg_is(ctx, where, "max")) {
		max = true;
	} else {
		cmd_reply_syntax_error(ctx);
		return;
	}
	for (int j = where + 1; j < ctx->argc; j++) {
		if (count == -1 && cmd_arg_is(ctx, j, "count") && ctx->argc - 1 - j > 0) {
			j++;
			if (!cmd_arg_i64_range(ctx, j, 1, INT64_MAX, "ERR count should be greater than 0",
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
	bpop_generic(ctx, numidx + 1, (int)numkeys, max, count, POP_KEY_NESTED);
}

void
cmd_zmpop(struct cmd_ctx *ctx)
{
	zmpop_generic(ctx, 1, false);
}

void
cmd_bzmpop(struct cmd_ctx *ctx)
{
	zmpop_generic(ctx, 2, true);
}

/* ---- ZRANDMEMBER ---- */

/* Picks count distinct ranks of [0, n) (count < n) into out, in no order. */
static void
pick_distinct(uint64_t *rng, size_t n, size_t count, size_t *out)
{
	if (count * 3 > n) {
		/* Many picks: a partial shuffle of every rank. */
		size_t *all = xmalloc(n * sizeof *all);

		for (size_t i = 0; i < n; i++)
			all[i] = i;
		for (size_t i = 0; i < count; i++) {
			size_t j = i + (size_t)(dict_rand(rng) % (n - i)), t = all[i];

			all[i] = all[j];
			all[j] = t;
			out[i] = all[i];
		}
		xfree(all);
	} else {
		/* Few picks: draw and reject repeats (an open-addressing set of picked ranks). */
		size_t cap = 1;
		size_t *seen, got = 0;

		while (cap < 2 * count)
			cap <<= 1;
		seen = xmalloc(cap * sizeof *seen);
		memset(seen, 0xff, cap * sizeof *seen);
		while (got < count) {
			size_t r = (size_t)(dict_rand(rng) % n), h = (r * 0x9E3779B97F4A7C15ULL) & (cap - 1);

			while (seen[h] != SIZE_MAX && seen[h] != r)
				h = (h + 1) & (cap - 1);
			if (seen[h] == r)
				continue;
			seen[h] = r;
			out[got++] = r;
		}
		xfree(seen);
	}
}

void
cmd_zrandmember(struct cmd_ctx *ctx)
{
	bool withscores = false;
	int64_t l;
	uint64_t rng = rng_seed();
	struct obj *o;
	struct tzset z;
	const char *m;
	size_t len, size, count;
	char buf[24];
	double score;

	if (ctx->argc < 3) {
		if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
			return;
		if (o == NULL) {
			resp_add_null(ctx->out);
			return;
		}
		z = tzset_of(o);
		tzset_at_rank(&z, (size_t)(dict_rand(&rng) % tzset_len(&z)), &m, &len, buf, &score);
		resp_add_bulk(ctx->out, m, len);
		return;
	}
	if (!cmd_arg_i64_range(ctx, 2, -INT64_MAX, INT64_MAX, NULL, &l))
		return;
	if (ctx->argc > 4 || (ctx->argc == 4 && !cmd_arg_is(ctx, 3, "withscores"))) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc == 4) {
		withscores = true;
		if (l < -INT64_MAX / 2 || l > INT64_MAX / 2) {
			cmd_reply_error(ctx, "ERR value is out of range");
			return;
		}
	}
	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o == NULL || l == 0) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	z = tzset_of(o);
	size = tzset_len(&z);
	if (l < 0 || l == 1) {
		/* With repetitions (or a single pick): draw count times. */
		count = l < 0 ? (size_t)-l : 1;
		cmd_zset_reply_items_hdr(ctx, count, withscores);
		while (count-- > 0) {
			tzset_at_rank(&z, (size_t)(dict_rand(&rng) % size), &m, &len, buf, &score);
			cmd_zset_reply_item(ctx, m, len, score, withscores);
		}
		return;
	}
	count = (size_t)l;
	if (count >= size) {
		struct tzset_iter it;

		cmd_zset_reply_items_hdr(ctx, size, withscores);
		tzset_iter_rank(&it, &z, 0, false);
		while (tzset_iter_next(&it, &m, &len, &score))
			cmd_zset_reply_item(ctx, m, len, score, withscores);
		return;
	}
	{
		size_t *ranks = xmalloc(count * sizeof *ranks);

		pick_distinct(&rng, size, count, ranks);
		cmd_zset_reply_items_hdr(ctx, count, withscores);
		for (size_t i = 0; i < count; i++) {
			tzset_at_rank(&z, ranks[i], &m, &len, buf, &score);
			cmd_zset_reply_item(ctx, m, len, score, withscores);
		}
		xfree(ranks);
	}
}
