/*
 * cmd_stream_group.c: the consumer-group and introspection stream commands (rows in
 * stream.def): XGROUP, XSETID, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. Replies and errors are
 * redis-server 7.0.15's (src/t_stream.c); shared parsers and reply helpers are in
 * cmd_stream.c (cmd_stream_int.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/commands/cmd_stream_int.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/listpack.h"
#include "storage/store.h"
#include "storage/t_stream.h"

/* ---- XGROUP ---- */

/* The shared prologue of the XGROUP subcommands (Redis' xgroupCommand): options, key, group. */
static bool
xgroup_prologue(struct cmd_ctx *ctx, struct stream **sp, struct stream_cg **gp, bool *mkstream,
    int64_t *entries_read)
{
	bool create = cmd_arg_is(ctx, 1, "CREATE"), setid = cmd_arg_is(ctx, 1, "SETID"), wrong;
	struct stream *s;

	*mkstream = false;
	*entries_read = STREAM_ENTRIES_READ_INVALID;
	*gp = NULL;
	for (int i = 5; i < ctx->argc;) {
		if (create && cmd_arg_is(ctx, i, "MKSTREAM")) {
			*mkstream = true;
			i++;
		} else if ((create || setid) && cmd_arg_is(ctx, i, "ENTRIESREAD") &&
		    i + 1 < ctx->argc) {
			if (!cmd_arg_i64(ctx, i + 1, entries_read))
				return false;
			if (*entries_read < 0 && *entries_read != STREAM_ENTRIES_READ_INVALID) {
				cmd_reply_error(ctx, "ERR value for ENTRIESREAD must be positive or -1");
				return false;
			}
			i += 2;
		} else {
			cmd_stream_reply_subcommand_error(ctx);
			return false;
		}
	}
	s = cmd_stream_write_stream(ctx, &ctx->argv[2], &wrong);
	if (wrong)
		return false;
	*sp = s;
	if (!*mkstream) {
		if (s == NULL) {
			cmd_reply_error(ctx, "ERR The XGROUP subcommand requires the key to exist. Note "
			    "that for CREATE you may want to use the MKSTREAM option to create an empty "
			    "stream automatically.");
			return false;
		}
		*gp = stream_cg_find(s, ctx->argv[3].ptr, ctx->argv[3].len);
		if (*gp == NULL && !create && !cmd_arg_is(ctx, 1, "DESTROY")) {
			cmd_reply_error(ctx, "NOGROUP No such consumer group '%.*s' for key name '%.*s'",
			    cmd_stream_cstr_len(&ctx->argv[3]), ctx->argv[3].ptr, cmd_stream_cstr_len(&ctx->argv[2]),
			    ctx->argv[2].ptr);
			return false;
		}
	}
	return true;
}

void
cmd_xgroup_create(struct cmd_ctx *ctx)
{
	struct stream *s;
	struct stream_cg *g;
	struct stream_id id;
	int64_t er;
	bool mk;

	if (!xgroup_prologue(ctx, &s, &g, &mk, &er))
		return;
	if (ctx->argc > 8) {
		cmd_stream_reply_subcommand_error(ctx);
		return;
	}
	if (cmd_stream_is_word1(&ctx->argv[4], '$'))
		id = s ? s->last_id : ID_MIN;
	else if (!cmd_stream_parse_strict(ctx, 4, &id))
		return;
	if (s == NULL) {
		s = cmd_stream_create_stream(ctx, &ctx->argv[2]);
		cmd_stream_signal_key(ctx, &ctx->argv[2]);
	}
	if (stream_cg_create(s, ctx->argv[3].ptr, ctx->argv[3].len, &id, er) == NULL) {
		cmd_reply_error(ctx, "BUSYGROUP Consumer Group name already exists");
		return;
	}
	cmd_reply_ok(ctx);
}

void
cmd_xgroup_setid(struct cmd_ctx *ctx)
{
	struct stream *s;
	struct stream_cg *g;
	struct stream_id id;
	int64_t er;
	bool mk;

	if (!xgroup_prologue(ctx, &s, &g, &mk, &er))
		return;
	if (ctx->argc != 5 && ctx->argc != 7) {
		cmd_stream_reply_subcommand_error(ctx);
		return;
	}
	if (cmd_stream_is_word1(&ctx->argv[4], '$'))
		id = s->last_id;
	else if (!cmd_stream_parse_id(ctx, &ctx->argv[4], &id, 0, false, NULL, true))
		return;
	g->last_id = id;
	g->entries_read = er;
	cmd_reply_ok(ctx);
}

void
cmd_xgroup_destroy(struct cmd_ctx *ctx)
{
	struct stream *s;
	struct stream_cg *g;
	int64_t er;
	bool mk;

	if (!xgroup_prologue(ctx, &s, &g, &mk, &er))
		return;
	if (g == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	stream_cg_destroy(s, g);
	resp_add_const(ctx->out, RESP_C_ONE);
	/* blocked XREADGROUP clients of the group get their NOGROUP error (not a WATCH event) */
	block_signal_key(ctx->srv, ctx->db, ctx->argv[2].ptr, ctx->argv[2].len);
}

void
cmd_xgroup_createconsumer(struct cmd_ctx *ctx)
{
	struct stream *s;
	struct stream_cg *g;
	int64_t er;
	bool mk;

	if (!xgroup_prologue(ctx, &s, &g, &mk, &er))
		return;
	resp_add_int(ctx->out, stream_consumer_create(g, ctx->argv[4].ptr, ctx->argv[4].len,
	    ctx->now_ms) != NULL);
}

void
cmd_xgroup_delconsumer(struct cmd_ctx *ctx)
{
	struct stream_consumer *c;
	struct stream *s;
	struct stream_cg *g;
	int64_t er, pending = 0;
	bool mk;

	if (!xgroup_prologue(ctx, &s, &g, &mk, &er))
		return;
	c = stream_consumer_find(g, ctx->argv[4].ptr, ctx->argv[4].len);
	if (c != NULL) {
		pending = (int64_t)c->pel.n;
		stream_consumer_delete(g, c);
	}
	resp_add_int(ctx->out, pending);
}

void
cmd_xgroup_help(struct cmd_ctx *ctx)
{
	static const char *const help[] = {
		"CREATE <key> <groupname> <id|$> [option]",
		"    Create a new consumer group. Options are:",
		"    * MKSTREAM",
		"      Create the empty stream if it does not exist.",
		"    * ENTRIESREAD entries_read",
		"      Set the group's entries_read counter (internal use).",
		"CREATECONSUMER <key> <groupname> <consumer>",
		"    Create a new consumer in the specified group.",
		"DELCONSUMER <key> <groupname> <consumer>",
		"    Remove the specified consumer.",
		"DESTROY <key> <groupname>",
		"    Remove the specified group.",
		"SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
		"    Set the current group ID and entries_read counter.",
		NULL,
	};

	cmd_reply_help(ctx, help);
}

/* ---- XSETID, XACK ---- */

void
cmd_xsetid(struct cmd_ctx *ctx)
{
	struct stream_id id, maxdel = { 0, 0 }, top;
	int64_t added = -1;
	struct stream *s;
	bool wrong;

	if (!cmd_stream_parse_strict(ctx, 2, &id))
		return;
	for (int i = 3; i < ctx->argc; i += 2) {
		int more = ctx->argc - 1 - i;

		if (cmd_arg_is(ctx, i, "ENTRIESADDED") && more) {
			if (!cmd_arg_i64(ctx, i + 1, &added))
				return;
			if (added < 0) {
				cmd_reply_error(ctx, "ERR entries_added must be positive");
				return;
			}
		} else if (cmd_arg_is(ctx, i, "MAXDELETEDID") && more) {
			if (!cmd_stream_parse_strict(ctx, i + 1, &maxdel))
				return;
			if (stream_id_cmp(&id, &maxdel) < 0) {
				cmd_reply_error(ctx, "ERR The ID specified in XSETID is smaller than the "
				    "provided max_deleted_entry_id");
				return;
			}
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	s = cmd_stream_write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		cmd_reply_error(ctx, "ERR no such key");
		return;
	}
	if (s->length > 0) {
		stream_edge_id(s, false, &top);
		if (stream_id_cmp(&id, &top) < 0) {
			cmd_reply_error(ctx, "ERR The ID specified in XSETID is smaller than the target "
			    "stream top item");
			return;
		}
		if (added != -1 && s->length > (uint64_t)added) {
			cmd_reply_error(ctx, "ERR The entries_added specified in XSETID is smaller than "
			    "the target stream length");
			return;
		}
	}
	s->last_id = id;
	if (added != -1)
		s->entries_added = (uint64_t)added;
	if (maxdel.ms != 0 || maxdel.seq != 0)
		s->max_deleted = maxdel;
	cmd_reply_ok(ctx);
}

void
cmd_xack(struct cmd_ctx *ctx)
{
	struct stream_id stack[16], *ids;
	struct stream_cg *g;
	struct stream *s;
	int n = ctx->argc - 3;
	int64_t acked = 0;
	bool wrong;

	s = cmd_stream_read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	g = s ? stream_cg_find(s, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	ids = n <= 16 ? stack : xmalloc((size_t)n * sizeof(*ids));
	for (int j = 0; j < n; j++)
		if (!cmd_stream_parse_strict(ctx, j + 3, &ids[j]))
			goto out;
	for (int j = 0; j < n; j++)
		if (stream_ack(g, &ids[j]))
			acked++;
	resp_add_int(ctx->out, acked);
out:
	if (ids != stack)
		xfree(ids);
}

/* ---- XPENDING ---- */

void
cmd_xpending(struct cmd_ctx *ctx)
{
	struct stream_id start = ID_MIN, end = ID_MAX;
	const struct resp_arg *consumer = NULL;
	int64_t count = 0, minidle = 0;
	struct stream_cg *g;
	struct stream *s;
	bool justinfo = ctx->argc == 3;

	if (ctx->argc != 3 && (ctx->argc < 6 || ctx->argc > 9)) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc >= 6) {
		int si = 3;
		bool sx, ex;

		if (cmd_arg_is(ctx, 3, "IDLE")) {
			if (!cmd_arg_i64(ctx, 4, &minidle))
				return;
			if (ctx->argc < 8) {
				cmd_reply_syntax_error(ctx);
				return;
			}
			si += 2;
		}
		if (!cmd_arg_i64(ctx, si + 2, &count))
			return;
		if (count < 0)
			count = 0;
		if (!cmd_stream_parse_interval(ctx, si, &start, &sx, 0))
			return;
		if (sx && !stream_id_incr(&start)) {
			cmd_reply_error(ctx, "ERR invalid start ID for the interval");
			return;
		}
		if (!cmd_stream_parse_interval(ctx, si + 1, &end, &ex, UINT64_MAX))
			return;
		if (ex && !stream_id_decr(&end)) {
			cmd_reply_error(ctx, "ERR invalid end ID for the interval");
			return;
		}
		if (si + 3 < ctx->argc)
			consumer = &ctx->argv[si + 3];
	}
	if ((g = cmd_stream_group_or_reply(ctx, &s)) == NULL)
		return;
	if (justinfo) {
		size_t withp = 0;

		resp_add_array(ctx->out, 4);
		resp_add_int(ctx->out, (int64_t)g->pel.n);
		if (g->pel.n == 0) {
			resp_add_null(ctx->out);
			resp_add_null(ctx->out);
			resp_add_null_array(ctx->out);
			return;
		}
		cmd_stream_reply_id(ctx, &g->pel.v[0]->id);
		cmd_stream_reply_id(ctx, &g->pel.v[g->pel.n - 1]->id);
		for (size_t i = 0; i < g->nconsumers; i++)
			withp += g->consumers[i]->pel.n != 0;
		resp_add_array(ctx->out, withp);
		for (size_t i = 0; i < g->nconsumers; i++) {
			const struct stream_consumer *c = g->consumers[i];

			if (c->pel.n == 0)
				continue;
			resp_add_array(ctx->out, 2);
			resp_add_bulk(ctx->out, c->name, c->nlen);
			resp_add_bulk_i64(ctx->out, (int64_t)c->pel.n);
		}
		return;
	}
	{
		const struct stream_pel *pel = &g->pel;
		size_t i, n = 0;

		if (consumer != NULL) {
			struct stream_consumer *c = stream_consumer_find(g, consumer->ptr, consumer->len);

			if (c == NULL) {
				resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
				return;
			}
			pel = &c->pel;
		}
		for (int pass = 0; pass < 2; pass++) {
			int64_t left = count;

			if (pass == 1)
				resp_add_array(ctx->out, n);
			for (i = stream_pel_seek(pel, &start); left && i < pel->n &&
			    stream_id_cmp(&pel->v[i]->id, &end) <= 0; i++) {
				const struct stream_nack *nack = pel->v[i];
				int64_t idle = ctx->now_ms - nack->delivery_time;

				if (minidle && idle < minidle)
					continue;
				left--;
				if (pass == 0) {
					n++;
					continue;
				}
				resp_add_array(ctx->out, 4);
				cmd_stream_reply_id(ctx, &nack->id);
				resp_add_bulk(ctx->out, nack->consumer->name, nack->consumer->nlen);
				resp_add_int(ctx->out, idle < 0 ? 0 : idle);
				resp_add_int(ctx->out, (int64_t)nack->delivery_count);
			}
		}
	}
}

/* ---- XCLAIM, XAUTOCLAIM ---- */

void
cmd_xclaim(struct cmd_ctx *ctx)
{
	struct stream_id *ids, *claimed, last = { 0, 0 };
	struct stream_consumer *consumer = NULL;
	int64_t minidle, retry = -1, dtime = -1;
	bool force = false, justid = false;
	const struct resp_arg *name = &ctx->argv[3];
	size_t nclaimed = 0;
	struct stream_cg *g;
	struct stream *s;
	int j, last_id_arg;

	if ((g = cmd_stream_group_or_reply(ctx, &s)) == NULL)
		return;
	if (!cmd_stream_arg_i64_msg(ctx, 4, &minidle, "Invalid min-idle-time argument for XCLAIM"))
		return;
	if (minidle < 0)
		minidle = 0;
	ids = xmalloc((size_t)(ctx->argc - 5) * sizeof(*ids));
	claimed = xmalloc((size_t)(ctx->argc - 5) * sizeof(*claimed));
	for (j = 5; j < ctx->argc; j++)
		if (!cmd_stream_parse_id(ctx, &ctx->argv[j], &ids[j - 5], 0, true, NULL, false))
			break;
	last_id_arg = j - 1;
	for (; j < ctx->argc; j++) {
		int more = ctx->argc - 1 - j;

		if (cmd_arg_is(ctx, j, "FORCE")) {
			force = true;
		} else if (cmd_arg_is(ctx, j, "JUSTID")) {
			justid = true;
		} else if (cmd_arg_is(ctx, j, "IDLE") && more) {
			j++;
			if (!cmd_stream_arg_i64_msg(ctx, j, &dtime, "Invalid IDLE option argument for XCLAIM"))
				goto out;
			dtime = ctx->now_ms - dtime;
		} else if (cmd_arg_is(ctx, j, "TIME") && more) {
			j++;
			if (!cmd_stream_arg_i64_msg(ctx, j, &dtime, "Invalid TIME option argument for XCLAIM"))
				goto out;
		} else if (cmd_arg_is(ctx, j, "RETRYCOUNT") && more) {
			j++;
			if (!cmd_stream_arg_i64_msg(ctx, j, &retry,
			    "Invalid RETRYCOUNT option argument for XCLAIM"))
				goto out;
		} else if (cmd_arg_is(ctx, j, "LASTID") && more) {
			j++;
			if (!cmd_stream_parse_strict(ctx, j, &last))
				goto out;
		} else {
			cmd_reply_error(ctx, "ERR Unrecognized XCLAIM option '%.*s'",
			    cmd_stream_cstr_len(&ctx->argv[j]), ctx->argv[j].ptr);
			goto out;
		}
	}
	if (stream_id_cmp(&last, &g->last_id) > 0)
		g->last_id = last;
	if (dtime != -1) {
		if (dtime < 0 || dtime > ctx->now_ms)
			dtime = ctx->now_ms;
	} else {
		dtime = ctx->now_ms;
	}
	for (j = 5; j <= last_id_arg; j++) {
		struct stream_id id = ids[j - 5];
		struct stream_nack *nack = stream_pel_find(&g->pel, &id);

		if (!stream_exists(s, &id)) {
			if (nack != NULL)
				stream_ack(g, &id);
			continue;
		}
		if (force && nack == NULL) {
			nack = xmalloc(sizeof(*nack));
			nack->id = id;
			nack->delivery_time = ctx->now_ms;
			nack->delivery_count = 1;
			nack->consumer = NULL;
			stream_pel_insert(&g->pel, nack);
		}
		if (nack == NULL)
			continue;
		if (nack->consumer != NULL && minidle && ctx->now_ms - nack->delivery_time < minidle)
			continue;
		if (consumer == NULL)
			consumer = cmd_stream_group_consumer(ctx, &(struct group_read){ g, name->ptr, name->len,
			    false });
		nack->delivery_time = dtime;
		if (retry >= 0)
			nack->delivery_count = (uint64_t)retry;
		else if (!justid)
			nack->delivery_count++;
		stream_nack_assign(nack, consumer);
		claimed[nclaimed++] = id;
	}
	resp_add_array(ctx->out, nclaimed);
	for (size_t k = 0; k < nclaimed; k++) {
		if (justid)
			cmd_stream_reply_id(ctx, &claimed[k]);
		else
			cmd_stream_reply_one(ctx, s, &claimed[k]);
	}
out:
	xfree(ids);
	xfree(claimed);
}

void
cmd_xautoclaim(struct cmd_ctx *ctx)
{
	struct stream_id start, *claimed, *deleted, next = { 0, 0 };
	struct stream_consumer *consumer = NULL;
	int64_t minidle, count = 100, attempts;
	size_t nclaimed = 0, ndeleted = 0, i;
	bool sx, justid = false;
	struct stream_cg *g;
	struct stream *s;

	if (!cmd_stream_arg_i64_msg(ctx, 4, &minidle, "Invalid min-idle-time argument for XAUTOCLAIM"))
		return;
	if (minidle < 0)
		minidle = 0;
	if (!cmd_stream_parse_interval(ctx, 5, &start, &sx, 0))
		return;
	if (sx && !stream_id_incr(&start)) {
		cmd_reply_error(ctx, "ERR invalid start ID for the interval");
		return;
	}
	for (int j = 6; j < ctx->argc; j++) {
		int more = ctx->argc - 1 - j;

		if (cmd_arg_is(ctx, j, "COUNT") && more) {
			if (!num_parse_i64(ctx->argv[j + 1].ptr, ctx->argv[j + 1].len, &count) ||
			    count < 1 || count > INT64_MAX / 16) {
				cmd_reply_error(ctx, "ERR COUNT must be > 0");
				return;
			}
			j++;
		} else if (cmd_arg_is(ctx, j, "JUSTID")) {
			justid = true;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if ((g = cmd_stream_group_or_reply(ctx, &s)) == NULL)
		return;
	/* Bounded by the PEL: count may be huge while at most pel.n ids are claimed or dropped. */
	claimed = xmalloc((g->pel.n + 1) * sizeof(*claimed));
	deleted = xmalloc((g->pel.n + 1) * sizeof(*deleted));
	attempts = count * 10;
	i = stream_pel_seek(&g->pel, &start);
	while (attempts-- > 0 && count > 0 && i < g->pel.n) {
		struct stream_nack *nack = g->pel.v[i];
		struct stream_id id = nack->id;

		if (!stream_exists(s, &id)) {
			stream_ack(g, &id);
			deleted[ndeleted++] = id;
			count--;
			continue;
		}
		i++;
		if (minidle && ctx->now_ms - nack->delivery_time < minidle)
			continue;
		if (consumer == NULL)
			consumer = cmd_stream_group_consumer(ctx, &(struct group_read){ g, ctx->argv[3].ptr,
			    ctx->argv[3].len, false });
		nack->delivery_time = ctx->now_ms;
		if (!justid)
			nack->delivery_count++;
		stream_nack_assign(nack, consumer);
		claimed[nclaimed++] = id;
		count--;
	}
	if (i < g->pel.n)
		next = g->pel.v[i]->id;
	resp_add_array(ctx->out, 3);
	cmd_stream_reply_id(ctx, &next);
	resp_add_array(ctx->out, nclaimed);
	for (size_t k = 0; k < nclaimed; k++) {
		if (justid)
			cmd_stream_reply_id(ctx, &claimed[k]);
		else
			cmd_stream_reply_one(ctx, s, &claimed[k]);
	}
	resp_add_array(ctx->out, ndeleted);
	for (size_t k = 0; k < ndeleted; k++)
		cmd_stream_reply_id(ctx, &deleted[k]);
	xfree(claimed);
	xfree(deleted);
}

/* ---- XINFO ---- */

static void
bulk_cstr(struct cmd_ctx *ctx, const char *s)
{
	resp_add_bulk(ctx->out, s, strlen(s));
}

static void
reply_lag(struct cmd_ctx *ctx, const struct stream *s, const struct stream_cg *g)
{
	int64_t lag;

	if (stream_cg_lag(s, g, &lag))
		resp_add_int(ctx->out, lag);
	else
		resp_add_null(ctx->out);
}

static void
reply_entries_read(struct cmd_ctx *ctx, const struct stream_cg *g)
{
	if (g->entries_read != STREAM_ENTRIES_READ_INVALID)
		resp_add_int(ctx->out, g->entries_read);
	else
		resp_add_null(ctx->out);
}

/* The stream at argv[2] for XINFO, or NULL after replying "no such key" / WRONGTYPE. */
static struct stream *
xinfo_stream(struct cmd_ctx *ctx)
{
	bool wrong;
	struct stream *s = cmd_stream_read_stream(ctx, &ctx->argv[2], &wrong);

	if (s == NULL && !wrong)
		cmd_reply_error(ctx, "ERR no such key");
	return s;
}

static void
xinfo_full_group(struct cmd_ctx *ctx, const struct stream *s, const struct stream_cg *g,
    size_t count)
{
	size_t n;

	resp_add_map(ctx->out, 7);
	bulk_cstr(ctx, "name");
	resp_add_bulk(ctx->out, g->name, g->nlen);
	bulk_cstr(ctx, "last-delivered-id");
	cmd_stream_reply_id(ctx, &g->last_id);
	bulk_cstr(ctx, "entries-read");
	reply_entries_read(ctx, g);
	bulk_cstr(ctx, "lag");
	reply_lag(ctx, s, g);
	bulk_cstr(ctx, "pel-count");
	resp_add_int(ctx->out, (int64_t)g->pel.n);
	bulk_cstr(ctx, "pending");
	n = count && g->pel.n > count ? count : g->pel.n;
	resp_add_array(ctx->out, n);
	for (size_t i = 0; i < n; i++) {
		const struct stream_nack *nack = g->pel.v[i];

		resp_add_array(ctx->out, 4);
		cmd_stream_reply_id(ctx, &nack->id);
		resp_add_bulk(ctx->out, nack->consumer->name, nack->consumer->nlen);
		resp_add_int(ctx->out, nack->delivery_time);
		resp_add_int(ctx->out, (int64_t)nack->delivery_count);
	}
	bulk_cstr(ctx, "consumers");
	resp_add_array(ctx->out, g->nconsumers);
	for (size_t i = 0; i < g->nconsumers; i++) {
		const struct stream_consumer *c = g->consumers[i];

		resp_add_map(ctx->out, 4);
		bulk_cstr(ctx, "name");
		resp_add_bulk(ctx->out, c->name, c->nlen);
		bulk_cstr(ctx, "seen-time");
		resp_add_int(ctx->out, c->seen_time);
		bulk_cstr(ctx, "pel-count");
		resp_add_int(ctx->out, (int64_t)c->pel.n);
		bulk_cstr(ctx, "pending");
		n = count && c->pel.n > count ? count : c->pel.n;
		resp_add_array(ctx->out, n);
		for (size_t k = 0; k < n; k++) {
			resp_add_array(ctx->out, 3);
			cmd_stream_reply_id(ctx, &c->pel.v[k]->id);
			resp_add_int(ctx->out, c->pel.v[k]->delivery_time);
			resp_add_int(ctx->out, (int64_t)c->pel.v[k]->delivery_count);
		}
	}
}

void
cmd_xinfo_stream(struct cmd_ctx *ctx)
{
	int64_t count = 10;
	bool full = false;
	struct stream *s;
	int optc = ctx->argc - 3;

	/* The key is looked up before the options are read, as in Redis. */
	if ((s = xinfo_stream(ctx)) == NULL)
		return;
	if (optc != 0) {
		if ((optc != 1 && optc != 3) || !cmd_arg_is(ctx, 3, "full")) {
			cmd_stream_reply_subcommand_error(ctx);
			return;
		}
		full = true;
	}
	if (optc == 3) {
		if (!cmd_arg_is(ctx, 4, "count")) {
			cmd_stream_reply_subcommand_error(ctx);
			return;
		}
		if (!cmd_arg_i64(ctx, 5, &count))
			return;
		if (count < 0)
			count = 10;
	}
	resp_add_map(ctx->out, full ? 9 : 10);
	bulk_cstr(ctx, "length");
	resp_add_int(ctx->out, (int64_t)s->length);
	bulk_cstr(ctx, "radix-tree-keys");
	resp_add_int(ctx->out, (int64_t)s->nnodes);
	bulk_cstr(ctx, "radix-tree-nodes");
	resp_add_int(ctx->out, (int64_t)stream_rax_nodes(s));
	bulk_cstr(ctx, "last-generated-id");
	cmd_stream_reply_id(ctx, &s->last_id);
	bulk_cstr(ctx, "max-deleted-entry-id");
	cmd_stream_reply_id(ctx, &s->max_deleted);
	bulk_cstr(ctx, "entries-added");
	resp_add_int(ctx->out, (int64_t)s->entries_added);
	bulk_cstr(ctx, "recorded-first-entry-id");
	cmd_stream_reply_id(ctx, &s->first_id);
	if (!full) {
		struct stream_id id;

		bulk_cstr(ctx, "groups");
		resp_add_int(ctx->out, (int64_t)s->ngroups);
		bulk_cstr(ctx, "first-entry");
		if (!stream_edge_id(s, true, &id) || !cmd_stream_reply_one(ctx, s, &id))
			resp_add_null(ctx->out);
		bulk_cstr(ctx, "last-entry");
		if (!stream_edge_id(s, false, &id) || !cmd_stream_reply_one(ctx, s, &id))
			resp_add_null(ctx->out);
		return;
	}
	bulk_cstr(ctx, "entries");
	cmd_stream_reply_range(ctx, s, NULL, NULL, false, (size_t)count);
	bulk_cstr(ctx, "groups");
	resp_add_array(ctx->out, s->ngroups);
	for (size_t i = 0; i < s->ngroups; i++)
		xinfo_full_group(ctx, s, s->groups[i], (size_t)count);
}

void
cmd_xinfo_groups(struct cmd_ctx *ctx)
{
	struct stream *s = xinfo_stream(ctx);

	if (s == NULL)
		return;
	resp_add_array(ctx->out, s->ngroups);
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct stream_cg *g = s->groups[i];

		resp_add_map(ctx->out, 6);
		bulk_cstr(ctx, "name");
		resp_add_bulk(ctx->out, g->name, g->nlen);
		bulk_cstr(ctx, "consumers");
		resp_add_int(ctx->out, (int64_t)g->nconsumers);
		bulk_cstr(ctx, "pending");
		resp_add_int(ctx->out, (int64_t)g->pel.n);
		bulk_cstr(ctx, "last-delivered-id");
		cmd_stream_reply_id(ctx, &g->last_id);
		bulk_cstr(ctx, "entries-read");
		reply_entries_read(ctx, g);
		bulk_cstr(ctx, "lag");
		reply_lag(ctx, s, g);
	}
}

void
cmd_xinfo_consumers(struct cmd_ctx *ctx)
{
	struct stream *s = xinfo_stream(ctx);
	struct stream_cg *g;

	if (s == NULL)
		return;
	g = stream_cg_find(s, ctx->argv[3].ptr, ctx->argv[3].len);
	if (g == NULL) {
		cmd_reply_error(ctx, "NOGROUP No such consumer group '%.*s' for key name '%.*s'",
		    cmd_stream_cstr_len(&ctx->argv[3]), ctx->argv[3].ptr, cmd_stream_cstr_len(&ctx->argv[2]),
		    ctx->argv[2].ptr);
		return;
	}
	resp_add_array(ctx->out, g->nconsumers);
	for (size_t i = 0; i < g->nconsumers; i++) {
		const struct stream_consumer *c = g->consumers[i];
		int64_t idle = ctx->now_ms - c->seen_time;

		resp_add_map(ctx->out, 3);
		bulk_cstr(ctx, "name");
		resp_add_bulk(ctx->out, c->name, c->nlen);
		bulk_cstr(ctx, "pending");
		resp_add_int(ctx->out, (int64_t)c->pel.n);
		bulk_cstr(ctx, "idle");
		resp_add_int(ctx->out, idle < 0 ? 0 : idle);
	}
}

void
cmd_xinfo_help(struct cmd_ctx *ctx)
{
	static const char *const help[] = {
		"CONSUMERS <key> <groupname>",
		"    Show consumers of <groupname>.",
		"GROUPS <key>",
		"    Show the stream consumer groups.",
		"STREAM <key> [FULL [COUNT <count>]",
		"    Show information about the stream.",
		NULL,
	};

	cmd_reply_help(ctx, help);
}
