/*
 * cmd_set.c: the set commands (rows in set.def): SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SSCAN,
 * SRANDMEMBER, SINTER, SUNION, SDIFF, SINTERCARD, and the writes SADD, SREM, SPOP, SMOVE,
 * SINTERSTORE, SUNIONSTORE, SDIFFSTORE.
 *
 * Data flow: dispatch has checked arity and the right to write; a handler parses its arguments
 * in Redis 7.0's order (so the first error Redis reports is the one replied), looks its keys up,
 * runs the operation through storage/t_set.h and replies. Writes signal exactly the keys Redis'
 * t_set.c passes to signalModifiedKey, in the same cases, so WATCH behaves the same.
 *
 * Lookups: reads use cmd_lookup_read; writes use cmd_lookup_write, and the STORE forms read
 * their sources with cmd_lookup_write_counted (Redis reads them with lookupKeyRead, which a
 * replica's primary stream sees as present even past their TTL). Replies: SMEMBERS, SINTER,
 * SUNION, SDIFF and SPOP with a count are sets (RESP3 "~"), SRANDMEMBER with a count an array.
 */
#include <string.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/match.h"
#include "storage/store.h"
#include "storage/t_set.h"

#define ERR_NOT_INT	"ERR value is not an integer or out of range"

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* True if o is absent or a set; else replies WRONGTYPE and returns false. */
static bool
is_set_or_null(struct cmd_ctx *ctx, const struct obj *o)
{
	if (o == NULL || obj_type(o) == OBJ_SET)
		return true;
	cmd_reply_wrongtype(ctx);
	return false;
}

static void
reply_elem(struct resp_out *out, const struct tset_elem *e)
{
	if (e->s != NULL)
		resp_add_bulk(out, e->s, e->len);
	else
		resp_add_bulk_i64(out, e->v);
}

static bool
reply_elem_fn(const struct tset_elem *e, void *arg)
{
	reply_elem(arg, e);
	return true;
}

/* Members gathered before a reply whose length is only known at the end. */
struct elem_vec {
	struct tset_elem *v;
	size_t n, cap;
	const struct glob *match;	/* SSCAN MATCH, or NULL */
};

static bool
vec_push(const struct tset_elem *e, void *arg)
{
	struct elem_vec *vec = arg;

	if (vec->match != NULL) {
		char buf[TSET_INTBUF];
		size_t len;
		const char *s = tset_elem_str(e, buf, &len);

		if (!glob_match(vec->match, s, len))
			return true;
	}
	if (vec->n == vec->cap) {
		vec->cap = vec->cap ? 2 * vec->cap : 16;
		vec->v = xrealloc(vec->v, vec->cap * sizeof *vec->v);
	}
	vec->v[vec->n++] = *e;
	return true;
}

static void
vec_reply(struct resp_out *out, const struct elem_vec *vec)
{
	for (size_t i = 0; i < vec->n; i++)
		reply_elem(out, &vec->v[i]);
}

/* Replies with every member of t as a set. */
static void
reply_set(struct cmd_ctx *ctx, const struct tset *t)
{
	resp_add_set(ctx->out, tset_size(t));
	tset_iter(t, reply_elem_fn, ctx->out);
}

/* Deletes key if it is an empty set now (after t was written back). */
static void
delete_if_empty(struct cmd_ctx *ctx, const struct resp_arg *key, const struct tset *t)
{
	if (tset_size(t) == 0)
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
}

/* Stores the new set t (taken) at key, replacing any value and TTL it had (Redis' setKey). */
static void
store_set(struct cmd_ctx *ctx, const struct resp_arg *key, struct tset *t)
{
	struct obj_value v;

	tset_value(t, &v);
	store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
}

/* ---- reads ---- */

void
cmd_smembers(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);
	struct tset t;

	if (o == NULL) {
		resp_add_set(ctx->out, 0);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	t = tset_of(o);
	reply_set(ctx, &t);
}

void
cmd_sismember(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);
	struct tset t;

	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	t = tset_of(o);
	if (tset_has(&t, ctx->argv[2].ptr, ctx->argv[2].len))
		resp_add_const(ctx->out, RESP_C_ONE);
	else
		resp_add_const(ctx->out, RESP_C_ZERO);
}

void
cmd_smismember(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);
	struct tset t;

	if (!is_set_or_null(ctx, o))
		return;
	if (o != NULL)
		t = tset_of(o);
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int j = 2; j < ctx->argc; j++) {
		if (o != NULL && tset_has(&t, ctx->argv[j].ptr, ctx->argv[j].len))
			resp_add_const(ctx->out, RESP_C_ONE);
		else
			resp_add_const(ctx->out, RESP_C_ZERO);
	}
}

void
cmd_scard(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);

	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	resp_add_int(ctx->out, (int64_t)tset_card(o));
}

void
cmd_sscan(struct cmd_ctx *ctx)
{
	struct elem_vec vec = { NULL, 0, 0, NULL };
	uint64_t cursor;
	int64_t count = 10;
	struct obj *o;
	struct tset t;
	struct glob g;

	if (!cmd_parse_cursor(&ctx->argv[2], &cursor)) {
		cmd_reply_error(ctx, "ERR invalid cursor");
		return;
	}
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_array(ctx->out, 2);
		resp_add_bulk(ctx->out, "0", 1);
		resp_add_array(ctx->out, 0);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
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
			const struct resp_arg *p = &ctx->argv[i + 1];

			/* A later MATCH replaces an earlier one; "*" matches everything, "" too. */
			glob_compile(&g, p->ptr, p->len, false);
			vec.match = glob_is_match_all(&g) ? NULL : &g;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	t = tset_of(o);
	cursor = tset_scan(&t, cursor, (size_t)count, vec_push, &vec);
	resp_add_array(ctx->out, 2);
	/* Redis replies with the unsigned cursor cast to a signed long long. */
	resp_add_bulk_i64(ctx->out, (int64_t)cursor);
	resp_add_array(ctx->out, vec.n);
	vec_reply(ctx->out, &vec);
	xfree(vec.v);
}

void
cmd_srandmember(struct cmd_ctx *ctx)
{
	struct tset_elem e;
	struct obj *o;
	struct tset t;
	int64_t l;
	uint64_t count;
	size_t size, n;
	bool uniq;

	if (ctx->argc > 3) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc == 2) {
		o = cmd_lookup_read(ctx, &ctx->argv[1]);
		if (o == NULL) {
			resp_add_null(ctx->out);
			return;
		}
		if (!is_set_or_null(ctx, o))
			return;
		t = tset_of(o);
		tset_random(&t, tset_rng(ctx->db), &e);
		reply_elem(ctx->out, &e);
		return;
	}
	if (!cmd_arg_i64(ctx, 2, &l))
		return;
	if (l == INT64_MIN) {
		cmd_reply_error(ctx, "ERR value is out of range, value must between "
		    "-9223372036854775807 and 9223372036854775807");
		return;
	}
	uniq = l >= 0;
	count = uniq ? (uint64_t)l : (uint64_t)-l;
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	if (count == 0) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	t = tset_of(o);
	size = tset_size(&t);
	n = (!uniq || count == 1 || count < size) ? (size_t)count : size;
	resp_add_array(ctx->out, n);
	tset_random_members(&t, tset_rng(ctx->db), count, uniq, reply_elem_fn, ctx->out);
}

/*
 * Looks up the n keys at argv[first..] as sets for an algebra command, into sets[] (p NULL for
 * a missing key; *missing counts them). store: the command writes (a STORE form or SPOP).
 * Replies WRONGTYPE and returns false if one holds another type.
 */
static bool
lookup_sets(struct cmd_ctx *ctx, int first, size_t n, bool store, struct tset *sets,
    size_t *missing)
{
	*missing = 0;
	for (size_t j = 0; j < n; j++) {
		const struct resp_arg *key = &ctx->argv[first + (int)j];
		struct obj *o = store ? cmd_lookup_write_counted(ctx, key) : cmd_lookup_read(ctx, key);

		if (o == NULL) {
			sets[j].enc = OBJ_ENC_INTSET;
			sets[j].p = NULL;
			(*missing)++;
			continue;
		}
		if (!is_set_or_null(ctx, o))
			return false;
		sets[j] = tset_of(o);
	}
	return true;
}

/*
 * SINTER (dst NULL), SINTERSTORE (dst) and SINTERCARD (cardonly, with limit): Redis'
 * sinterGenericCommand over the n keys at argv[first..].
 */
static void
sinter_generic(struct cmd_ctx *ctx, int first, size_t n, const struct resp_arg *dst,
    bool cardonly, size_t limit)
{
	struct tset *sets = xmalloc(n * sizeof *sets);
	size_t missing;

	if (!lookup_sets(ctx, first, n, dst != NULL, sets, &missing))
		goto out;
	if (missing > 0) {
		if (dst != NULL) {
			if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
				signal_key(ctx, dst);
			resp_add_const(ctx->out, RESP_C_ZERO);
		} else if (cardonly) {
			resp_add_const(ctx->out, RESP_C_ZERO);
		} else {
			resp_add_set(ctx->out, 0);
		}
		goto out;
	}
	if (cardonly) {
		resp_add_int(ctx->out, (int64_t)tset_inter(sets, n, limit, NULL, NULL));
	} else if (dst == NULL) {
		struct elem_vec vec = { NULL, 0, 0, NULL };

		tset_inter(sets, n, 0, vec_push, &vec);
		resp_add_set(ctx->out, vec.n);
		vec_reply(ctx->out, &vec);
		xfree(vec.v);
	} else {
		struct tset d;
		size_t size;

		tset_inter_store(sets, n, &d);
		size = tset_size(&d);
		if (size > 0) {
			store_set(ctx, dst, &d);
			signal_key(ctx, dst);
			resp_add_int(ctx->out, (int64_t)size);
		} else {
			tset_free(&d);
			resp_add_const(ctx->out, RESP_C_ZERO);
			if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
				signal_key(ctx, dst);
		}
	}
out:
	xfree(sets);
}

/* SUNION, SDIFF and their STORE forms (dst): Redis' sunionDiffGenericCommand. */
static void
sunion_diff_generic(struct cmd_ctx *ctx, int first, size_t n, const struct resp_arg *dst,
    enum tset_op op)
{
	struct tset *sets = xmalloc(n * sizeof *sets);
	struct tset d;
	size_t missing, size;

	if (!lookup_sets(ctx, first, n, dst != NULL, sets, &missing))
		goto out;
	tset_union_diff(sets, n, op, &d);
	if (dst == NULL) {
		reply_set(ctx, &d);
		tset_free(&d);
		goto out;
	}
	size = tset_size(&d);
	if (size > 0) {
		store_set(ctx, dst, &d);
		signal_key(ctx, dst);
		resp_add_int(ctx->out, (int64_t)size);
	} else {
		tset_free(&d);
		resp_add_const(ctx->out, RESP_C_ZERO);
		if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
			signal_key(ctx, dst);
	}
out:
	xfree(sets);
}

void
cmd_sinter(struct cmd_ctx *ctx)
{
	sinter_generic(ctx, 1, (size_t)(ctx->argc - 1), NULL, false, 0);
}

void
cmd_sunion(struct cmd_ctx *ctx)
{
	sunion_diff_generic(ctx, 1, (size_t)(ctx->argc - 1), NULL, TSET_UNION);
}

void
cmd_sdiff(struct cmd_ctx *ctx)
{
	sunion_diff_generic(ctx, 1, (size_t)(ctx->argc - 1), NULL, TSET_DIFF);
}

void
cmd_sintercard(struct cmd_ctx *ctx)
{
	int64_t numkeys, limit = 0;

	if (!num_parse_i64(ctx->argv[1].ptr, ctx->argv[1].len, &numkeys) || numkeys < 1) {
		cmd_reply_error(ctx, "ERR numkeys should be greater than 0");
		return;
	}
	if (numkeys > ctx->argc - 2) {
		cmd_reply_error(ctx, "ERR Number of keys can't be greater than number of args");
		return;
	}
	for (int j = 2 + (int)numkeys; j < ctx->argc; j++) {
		if (cmd_arg_is(ctx, j, "limit") && ctx->argc - 1 - j > 0) {
			j++;
			if (!num_parse_i64(ctx->argv[j].ptr, ctx->argv[j].len, &limit) || limit < 0) {
				cmd_reply_error(ctx, "ERR LIMIT can't be negative");
				return;
			}
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	sinter_generic(ctx, 2, (size_t)numkeys, NULL, true, (size_t)limit);
}

/* ---- writes ---- */

void
cmd_sadd(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);
	size_t hint = (size_t)(ctx->argc - 2);
	int64_t added = 0;
	struct tset t;

	if (!is_set_or_null(ctx, o))
		return;
	if (o == NULL)
		tset_init(&t, ctx->argv[2].ptr, ctx->argv[2].len, hint);
	else {
		t = tset_of(o);
		tset_maybe_convert(&t, hint);
	}
	for (int j = 2; j < ctx->argc; j++)
		added += tset_add(&t, ctx->argv[j].ptr, ctx->argv[j].len);
	if (o == NULL)
		store_set(ctx, key, &t);
	else
		tset_put_back(o, &t);
	if (added > 0)
		signal_key(ctx, key);
	resp_add_int(ctx->out, added);
}

void
cmd_srem(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);
	int64_t deleted = 0;
	struct tset t;

	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	t = tset_of(o);
	for (int j = 2; j < ctx->argc; j++) {
		if (!tset_remove(&t, ctx->argv[j].ptr, ctx->argv[j].len))
			continue;
		deleted++;
		if (tset_size(&t) == 0)
			break;
	}
	tset_put_back(o, &t);
	delete_if_empty(ctx, key, &t);
	if (deleted > 0)
		signal_key(ctx, key);
	resp_add_int(ctx->out, deleted);
}

void
cmd_smove(struct cmd_ctx *ctx)
{
	const struct resp_arg *skey = &ctx->argv[1], *dkey = &ctx->argv[2], *ele = &ctx->argv[3];
	struct obj *src = cmd_lookup_write(ctx, skey);
	struct obj *dst = cmd_lookup_write(ctx, dkey);
	struct tset ts, td;
	bool added;

	if (src == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!is_set_or_null(ctx, src) || !is_set_or_null(ctx, dst))
		return;
	ts = tset_of(src);
	if (src == dst) {
		if (tset_has(&ts, ele->ptr, ele->len))
			resp_add_const(ctx->out, RESP_C_ONE);
		else
			resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!tset_remove(&ts, ele->ptr, ele->len)) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	tset_put_back(src, &ts);
	delete_if_empty(ctx, skey, &ts);
	if (dst == NULL) {
		tset_init(&td, ele->ptr, ele->len, 1);
		added = tset_add(&td, ele->ptr, ele->len);
		store_set(ctx, dkey, &td);
	} else {
		td = tset_of(dst);
		added = tset_add(&td, ele->ptr, ele->len);
		tset_put_back(dst, &td);
	}
	signal_key(ctx, skey);
	if (added)
		signal_key(ctx, dkey);
	resp_add_const(ctx->out, RESP_C_ONE);
}

static void
spop_with_count(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o;
	struct tset t;
	int64_t count;
	size_t size;

	/* Redis' getPositiveLongFromObjectOrReply: one message for junk and negatives. */
	if (!num_parse_i64(ctx->argv[2].ptr, ctx->argv[2].len, &count) || count < 0) {
		cmd_reply_error(ctx, "ERR value is out of range, must be positive");
		return;
	}
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		resp_add_set(ctx->out, 0);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	if (count == 0) {
		resp_add_set(ctx->out, 0);
		return;
	}
	t = tset_of(o);
	size = tset_size(&t);
	if ((uint64_t)count >= size) {
		/* Redis replies through SUNION of the key, whose lookup counts a keyspace hit. */
		(void)cmd_lookup_write_counted(ctx, key);
		reply_set(ctx, &t);
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
		signal_key(ctx, key);
		return;
	}
	resp_add_set(ctx->out, (size_t)count);
	tset_pop_count(&t, tset_rng(ctx->db), (uint64_t)count, reply_elem_fn, ctx->out);
	tset_put_back(o, &t);
	signal_key(ctx, key);
}

void
cmd_spop(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct tset_elem e;
	struct obj *o;
	struct tset t;

	if (ctx->argc == 3) {
		spop_with_count(ctx);
		return;
	}
	if (ctx->argc > 3) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	if (!is_set_or_null(ctx, o))
		return;
	t = tset_of(o);
	tset_random(&t, tset_rng(ctx->db), &e);
	reply_elem(ctx->out, &e);
	tset_remove_elem(&t, &e);
	tset_put_back(o, &t);
	delete_if_empty(ctx, key, &t);
	signal_key(ctx, key);
}

void
cmd_sinterstore(struct cmd_ctx *ctx)
{
	sinter_generic(ctx, 2, (size_t)(ctx->argc - 2), &ctx->argv[1], false, 0);
}

void
cmd_sunionstore(struct cmd_ctx *ctx)
{
	sunion_diff_generic(ctx, 2, (size_t)(ctx->argc - 2), &ctx->argv[1], TSET_UNION);
}

void
cmd_sdiffstore(struct cmd_ctx *ctx)
{
	sunion_diff_generic(ctx, 2, (size_t)(ctx->argc - 2), &ctx->argv[1], TSET_DIFF);
}
