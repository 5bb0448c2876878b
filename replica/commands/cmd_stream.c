/*
 * cmd_stream.c: the stream commands on entries (rows in stream.def): XRANGE, XREVRANGE, XLEN,
 * XREAD (with BLOCK through replica/server/block.c), and the writes XADD, XDEL, XTRIM and
 * XREADGROUP, as a primary propagates them or a client sends them with replica-read-only no;
 * the argument parsers and reply helpers shared with cmd_stream_group.c (cmd_stream_int.h).
 * Replies and errors are redis-server 7.0.15's (src/t_stream.c); the data structure is
 * storage/t_stream.c.
 *
 * Replies whose length Redis patches afterwards (deferred lengths) are built in two steps here:
 * the entries are counted or collected first, then written.
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

/* Entries a blocked XREAD without COUNT is served at most (Redis' XREAD_BLOCKED_DEFAULT_COUNT). */
#define XREAD_BLOCKED_COUNT	1000


/* ---- argument parsing ---- */

/* An unsigned decimal as Redis' string2ull reads it (strtoull's leniency included). */
static bool
parse_ull(const char *s, uint64_t *out)
{
	int64_t v;
	char *end;

	if (num_parse_i64(s, strlen(s), &v)) {
		if (v < 0)
			return false;
		*out = (uint64_t)v;
		return true;
	}
	errno = 0;
	*out = strtoull(s, &end, 10);
	return !(errno == EINVAL || errno == ERANGE || *s == '\0' || *end != '\0');
}

/*
 * Redis' streamGenericParseIDOrReply: "-", "+" (unless strict), "<ms>", "<ms>-<seq>", and with
 * seq_given non-NULL "<ms>-*". Replies the error when reply is set.
 */
bool
cmd_stream_parse_id(struct cmd_ctx *ctx, const struct resp_arg *a, struct stream_id *id, uint64_t missing,
    bool strict, bool *seq_given, bool reply)
{
	char buf[128];
	size_t len = cmd_arg_cstrlen(a);
	char *dash;

	if (a->len > sizeof(buf) - 1)
		goto invalid;
	memcpy(buf, a->ptr, len);
	buf[len] = '\0';
	if (strict && (buf[0] == '-' || buf[0] == '+') && buf[1] == '\0')
		goto invalid;
	if (seq_given != NULL)
		*seq_given = true;
	if (buf[0] == '-' && buf[1] == '\0') {
		*id = ID_MIN;
		return true;
	}
	if (buf[0] == '+' && buf[1] == '\0') {
		*id = ID_MAX;
		return true;
	}
	dash = strchr(buf, '-');
	if (dash != NULL)
		*dash = '\0';
	if (!parse_ull(buf, &id->ms))
		goto invalid;
	if (dash == NULL) {
		id->seq = missing;
	} else if (seq_given != NULL && dash[1] == '*' && dash[2] == '\0') {
		id->seq = 0;
		*seq_given = false;
	} else if (!parse_ull(dash + 1, &id->seq)) {
		goto invalid;
	}
	return true;
invalid:
	if (reply)
		cmd_reply_error(ctx, ERR_INVALID_ID);
	return false;
}

bool
cmd_stream_parse_strict(struct cmd_ctx *ctx, int i, struct stream_id *id)
{
	return cmd_stream_parse_id(ctx, &ctx->argv[i], id, 0, true, NULL, true);
}

/* An interval bound: "(" makes it exclusive (then strict), as streamParseIntervalIDOrReply. */
bool
cmd_stream_parse_interval(struct cmd_ctx *ctx, int i, struct stream_id *id, bool *excl, uint64_t missing)
{
	const struct resp_arg *a = &ctx->argv[i];

	*excl = a->len > 1 && a->ptr[0] == '(';
	if (*excl) {
		struct resp_arg t = *a;

		t.ptr++;
		t.len--;
		return cmd_stream_parse_id(ctx, &t, id, missing, true, NULL, true);
	}
	return cmd_stream_parse_id(ctx, a, id, missing, false, NULL, true);
}

/* getLongLongFromObjectOrReply with a custom message ("ERR <msg>"). */
bool
cmd_stream_arg_i64_msg(struct cmd_ctx *ctx, int i, int64_t *out, const char *msg)
{
	if (num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, out))
		return true;
	cmd_reply_error(ctx, "ERR %s", msg);
	return false;
}

/* addReplySubcommandSyntaxError */
void
cmd_stream_reply_subcommand_error(struct cmd_ctx *ctx)
{
	char up[64];
	int n = (int)cmd_arg_cstrlen(&ctx->argv[0]);

	if (n > (int)sizeof(up) - 1)
		n = (int)sizeof(up) - 1;
	for (int i = 0; i < n; i++) {
		char ch = ctx->argv[0].ptr[i];

		up[i] = ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
	}
	up[n] = '\0';
	cmd_reply_error(ctx, "ERR unknown subcommand or wrong number of arguments for '%.*s'. "
	    "Try %s HELP.", (int)(cmd_arg_cstrlen(&ctx->argv[1]) > 128 ? 128 :
	    cmd_arg_cstrlen(&ctx->argv[1])), ctx->argv[1].ptr, up);
}

/* True if a is the one-character word c, compared as Redis' strcmp does (up to a NUL). */
bool
cmd_stream_is_word1(const struct resp_arg *a, char c)
{
	return a->len >= 1 && a->ptr[0] == c && cmd_arg_cstrlen(a) == 1;
}

int
cmd_stream_cstr_len(const struct resp_arg *a)
{
	return (int)cmd_arg_cstrlen(a);
}

/* ---- lookups ---- */

/* The stream at key (write: the write path's lookup): NULL with *wrong false if absent, NULL
 * with the WRONGTYPE reply and *wrong true if another type. */
static struct stream *
lookup_stream(struct cmd_ctx *ctx, const struct resp_arg *key, bool write, bool *wrong)
{
	struct obj *o;

	*wrong = !cmd_lookup_typed(ctx, key, OBJ_STREAM, write, &o);
	return o != NULL && !*wrong ? obj_ptr(o) : NULL;
}

struct stream *
cmd_stream_read_stream(struct cmd_ctx *ctx, const struct resp_arg *key, bool *wrong)
{
	return lookup_stream(ctx, key, false, wrong);
}

struct stream *
cmd_stream_write_stream(struct cmd_ctx *ctx, const struct resp_arg *key, bool *wrong)
{
	return lookup_stream(ctx, key, true, wrong);
}

/*
 * The group named argv[2] of the stream at argv[1], read as XPENDING, XCLAIM and XAUTOCLAIM
 * do; NULL after replying WRONGTYPE or Redis' NOGROUP error.
 */
struct stream_cg *
cmd_stream_group_or_reply(struct cmd_ctx *ctx, struct stream **sp)
{
	struct stream_cg *g;
	bool wrong;

	*sp = cmd_stream_read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return NULL;
	g = *sp != NULL ? stream_cg_find(*sp, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL)
		cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group '%.*s'",
		    cmd_stream_cstr_len(&ctx->argv[1]), ctx->argv[1].ptr,
		    cmd_stream_cstr_len(&ctx->argv[2]), ctx->argv[2].ptr);
	return g;
}

struct stream *
cmd_stream_create_stream(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	struct obj_value v;

	stream_value_new(&v);
	return obj_ptr(store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE,
	    ctx->now_ms));
}

void
cmd_stream_signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* ---- replies ---- */

void
cmd_stream_reply_id(struct cmd_ctx *ctx, const struct stream_id *id)
{
	char buf[STREAM_ID_STRLEN];

	resp_add_bulk(ctx->out, buf, stream_id_fmt(buf, id));
}

/* The current entry of it: [id, [field, value, ...]]. */
static void
reply_entry(struct cmd_ctx *ctx, struct stream_iter *it, const struct stream_id *id, int64_t nf)
{
	char fbuf[LP_INTBUF], vbuf[LP_INTBUF];

	resp_add_array(ctx->out, 2);
	cmd_stream_reply_id(ctx, id);
	resp_add_array(ctx->out, (size_t)nf * 2);
	while (nf-- > 0) {
		const unsigned char *f, *v;
		size_t flen, vlen;

		stream_iter_field(it, &f, &flen, &v, &vlen, fbuf, vbuf);
		resp_add_bulk(ctx->out, f, flen);
		resp_add_bulk(ctx->out, v, vlen);
	}
}

/* Replies entry id alone (no array around it); false if it does not exist. */
bool
cmd_stream_reply_one(struct cmd_ctx *ctx, const struct stream *s, const struct stream_id *id)
{
	struct stream_iter it;
	struct stream_id got;
	int64_t nf;

	stream_iter_start(&it, s, id, id, false);
	if (!stream_iter_next(&it, &got, &nf))
		return false;
	reply_entry(ctx, &it, &got, nf);
	return true;
}

/* Number of entries in [start, end] (at most count; 0 = all). */
static size_t
range_count(const struct stream *s, const struct stream_id *start, const struct stream_id *end,
    bool rev, size_t count)
{
	struct stream_iter it;
	struct stream_id id;
	int64_t nf;
	size_t n = 0;

	stream_iter_start(&it, s, start, end, rev);
	while ((count == 0 || n < count) && stream_iter_next(&it, &id, &nf))
		n++;
	return n;
}

/* The array of entries in [start, end] (at most count; 0 = all); returns how many. */
size_t
cmd_stream_reply_range(struct cmd_ctx *ctx, const struct stream *s, const struct stream_id *start,
    const struct stream_id *end, bool rev, size_t count)
{
	size_t n = range_count(s, start, end, rev, count);
	struct stream_iter it;
	struct stream_id id;
	int64_t nf;

	resp_add_array(ctx->out, n);
	stream_iter_start(&it, s, start, end, rev);
	for (size_t i = 0; i < n && stream_iter_next(&it, &id, &nf); i++)
		reply_entry(ctx, &it, &id, nf);
	return n;
}

/* ---- XADD / XTRIM options ---- */

struct add_args {
	struct stream_trim trim;
	bool id_given, seq_given, nomkstream;
	struct stream_id id;
};

/* streamParseAddOrTrimArgsOrReply; returns the index of the id (XADD), or -1 after replying. */
static int
parse_add_trim(struct cmd_ctx *ctx, struct add_args *a, bool xadd)
{
	bool limit_given = false;
	int i;

	memset(a, 0, sizeof *a);
	for (i = 2; i < ctx->argc; i++) {
		int more = ctx->argc - 1 - i;
		const struct resp_arg *o = &ctx->argv[i];

		if (xadd && cmd_stream_is_word1(o, '*')) {
			break;
		} else if (cmd_word_is(o, "maxlen") && more) {
			const struct resp_arg *nx = &ctx->argv[i + 1];

			if (a->trim.kind != STREAM_TRIM_NONE) {
				cmd_reply_error(ctx, "ERR syntax error, MAXLEN and MINID options at the "
				    "same time are not compatible");
				return -1;
			}
			a->trim.approx = false;
			if (more >= 2 && cmd_stream_is_word1(nx, '~')) {
				a->trim.approx = true;
				i++;
			} else if (more >= 2 && cmd_stream_is_word1(nx, '=')) {
				i++;
			}
			if (!cmd_arg_i64(ctx, i + 1, &a->trim.maxlen))
				return -1;
			if (a->trim.maxlen < 0) {
				cmd_reply_error(ctx, "ERR The MAXLEN argument must be >= 0.");
				return -1;
			}
			i++;
			a->trim.kind = STREAM_TRIM_MAXLEN;
		} else if (cmd_word_is(o, "minid") && more) {
			const struct resp_arg *nx = &ctx->argv[i + 1];

			if (a->trim.kind != STREAM_TRIM_NONE) {
				cmd_reply_error(ctx, "ERR syntax error, MAXLEN and MINID options at the "
				    "same time are not compatible");
				return -1;
			}
			a->trim.approx = false;
			if (more >= 2 && cmd_stream_is_word1(nx, '~')) {
				a->trim.approx = true;
				i++;
			} else if (more >= 2 && cmd_stream_is_word1(nx, '=')) {
				i++;
			}
			if (!cmd_stream_parse_strict(ctx, i + 1, &a->trim.minid))
				return -1;
			i++;
			a->trim.kind = STREAM_TRIM_MINID;
		} else if (cmd_word_is(o, "limit") && more) {
			if (!cmd_arg_i64(ctx, i + 1, &a->trim.limit))
				return -1;
			if (a->trim.limit < 0) {
				cmd_reply_error(ctx, "ERR The LIMIT argument must be >= 0.");
				return -1;
			}
			limit_given = true;
			i++;
		} else if (xadd && cmd_word_is(o, "nomkstream")) {
			a->nomkstream = true;
		} else if (xadd) {
			if (!cmd_stream_parse_id(ctx, o, &a->id, 0, true, &a->seq_given, true))
				return -1;
			a->id_given = true;
			break;
		} else {
			cmd_reply_syntax_error(ctx);
			return -1;
		}
	}
	if (a->trim.limit && a->trim.kind == STREAM_TRIM_NONE) {
		cmd_reply_error(ctx, "ERR syntax error, LIMIT cannot be used without specifying a "
		    "trimming strategy");
		return -1;
	}
	if (!xadd && a->trim.kind == STREAM_TRIM_NONE) {
		cmd_reply_error(ctx, "ERR syntax error, XTRIM must be called with a trimming strategy");
		return -1;
	}
	if (cmd_from_primary(ctx)) {
		/* The primary's trims were rewritten to exact ones: never limit them. */
		a->trim.limit = 0;
	} else if (limit_given) {
		if (!a->trim.approx) {
			cmd_reply_error(ctx, "ERR syntax error, LIMIT cannot be used without the "
			    "special ~ option");
			return -1;
		}
	} else if (a->trim.approx) {
		a->trim.limit = 100 * STREAM_NODE_MAX_ENTRIES;
	} else {
		a->trim.limit = 0;
	}
	return i;
}

void
cmd_xadd(struct cmd_ctx *ctx)
{
	struct stream_str stack[32], *fv;
	struct add_args a;
	struct stream_id id;
	struct stream *s;
	size_t n;
	int idpos, rc;
	bool wrong;

	if ((idpos = parse_add_trim(ctx, &a, true)) < 0)
		return;
	if (ctx->argc - (idpos + 1) < 2 || (ctx->argc - (idpos + 1)) % 2 == 1) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for 'xadd' command");
		return;
	}
	if (a.id_given && a.seq_given && a.id.ms == 0 && a.id.seq == 0) {
		cmd_reply_error(ctx, "ERR The ID specified in XADD must be greater than 0-0");
		return;
	}
	s = cmd_stream_write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		if (a.nomkstream) {
			resp_add_null(ctx->out);
			return;
		}
		s = cmd_stream_create_stream(ctx, &ctx->argv[1]);
	}
	if (s->last_id.ms == UINT64_MAX && s->last_id.seq == UINT64_MAX) {
		cmd_reply_error(ctx, "ERR The stream has exhausted the last possible ID, unable to "
		    "add more items");
		return;
	}
	n = (size_t)(ctx->argc - idpos - 1);
	fv = n <= 32 ? stack : xmalloc(n * sizeof(*fv));
	for (size_t i = 0; i < n; i++) {
		fv[i].ptr = ctx->argv[idpos + 1 + (int)i].ptr;
		fv[i].len = ctx->argv[idpos + 1 + (int)i].len;
	}
	rc = stream_append(s, fv, n / 2, a.id_given ? &a.id : NULL, a.seq_given, ctx->now_ms, &id);
	if (fv != stack)
		xfree(fv);
	if (rc == -1) {
		cmd_reply_error(ctx, "ERR The ID specified in XADD is equal or smaller than the target "
		    "stream top item");
		return;
	}
	if (rc != 0) {
		cmd_reply_error(ctx, "ERR Elements are too large to be stored");
		return;
	}
	cmd_stream_reply_id(ctx, &id);
	cmd_stream_signal_key(ctx, &ctx->argv[1]);
	if (a.trim.kind != STREAM_TRIM_NONE)
		stream_trim(s, &a.trim);
}

void
cmd_xtrim(struct cmd_ctx *ctx)
{
	struct add_args a;
	struct stream *s;
	int64_t deleted;
	bool wrong;

	if (parse_add_trim(ctx, &a, false) < 0)
		return;
	s = cmd_stream_write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	deleted = stream_trim(s, &a.trim);
	if (deleted)
		cmd_stream_signal_key(ctx, &ctx->argv[1]);
	resp_add_int(ctx->out, deleted);
}

void
cmd_xdel(struct cmd_ctx *ctx)
{
	struct stream_id stack[16], *ids;
	struct stream *s;
	int64_t deleted = 0;
	int n = ctx->argc - 2;
	bool wrong;

	s = cmd_stream_write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	ids = n <= 16 ? stack : xmalloc((size_t)n * sizeof(*ids));
	for (int j = 0; j < n; j++)
		if (!cmd_stream_parse_strict(ctx, j + 2, &ids[j]))
			goto out;
	for (int j = 0; j < n; j++)
		if (stream_delete(s, &ids[j]))
			deleted++;
	if (deleted)
		cmd_stream_signal_key(ctx, &ctx->argv[1]);
	resp_add_int(ctx->out, deleted);
out:
	if (ids != stack)
		xfree(ids);
}

/* ---- reads ---- */

static void
xrange_generic(struct cmd_ctx *ctx, bool rev)
{
	struct stream_id start, end;
	int64_t count = -1;
	struct stream *s;
	bool sx, ex, wrong;

	if (!cmd_stream_parse_interval(ctx, rev ? 3 : 2, &start, &sx, 0))
		return;
	if (sx && !stream_id_incr(&start)) {
		cmd_reply_error(ctx, "ERR invalid start ID for the interval");
		return;
	}
	if (!cmd_stream_parse_interval(ctx, rev ? 2 : 3, &end, &ex, UINT64_MAX))
		return;
	if (ex && !stream_id_decr(&end)) {
		cmd_reply_error(ctx, "ERR invalid end ID for the interval");
		return;
	}
	for (int j = 4; j < ctx->argc; j++) {
		if (cmd_arg_is(ctx, j, "COUNT") && ctx->argc - j - 1 >= 1) {
			if (!cmd_arg_i64(ctx, j + 1, &count))
				return;
			if (count < 0)
				count = 0;
			j++;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	s = cmd_stream_read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	if (count == 0) {
		resp_add_null_array(ctx->out);
		return;
	}
	cmd_stream_reply_range(ctx, s, &start, &end, rev, count < 0 ? 0 : (size_t)count);
}

void
cmd_xrange(struct cmd_ctx *ctx)
{
	xrange_generic(ctx, false);
}

void
cmd_xrevrange(struct cmd_ctx *ctx)
{
	xrange_generic(ctx, true);
}

void
cmd_xlen(struct cmd_ctx *ctx)
{
	struct stream *s;
	bool wrong;

	s = cmd_stream_read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	resp_add_int(ctx->out, s == NULL ? 0 : (int64_t)s->length);
}

/* ---- XREAD / XREADGROUP ---- */

/* Which consumer (by name) a group read serves, and whether it acknowledges. */
/* The consumer of a group read, created if needed; its seen time is refreshed. */
struct stream_consumer *
cmd_stream_group_consumer(struct cmd_ctx *ctx, struct group_read *gr)
{
	struct stream_consumer *c = stream_consumer_find(gr->g, gr->cname, gr->clen);

	if (c == NULL)
		c = stream_consumer_create(gr->g, gr->cname, gr->clen, ctx->now_ms);
	else
		c->seen_time = ctx->now_ms;
	return c;
}

/*
 * Serves the new entries after *after of s: plain (gr NULL) or to a group, creating pending
 * entries and moving the group's last id (streamReplyWithRange with a group). Replies the
 * array of entries.
 */
static void
serve_new(struct cmd_ctx *ctx, struct stream *s, const struct stream_id *after, size_t count,
    struct group_read *gr)
{
	struct stream_id start = *after, id;
	struct stream_consumer *c;
	struct stream_iter it;
	int64_t nf;
	size_t n;

	stream_id_incr(&start);
	if (gr == NULL) {
		cmd_stream_reply_range(ctx, s, &start, NULL, false, count);
		return;
	}
	c = cmd_stream_group_consumer(ctx, gr);
	n = range_count(s, &start, NULL, false, count);
	resp_add_array(ctx->out, n);
	stream_iter_start(&it, s, &start, NULL, false);
	for (size_t i = 0; i < n && stream_iter_next(&it, &id, &nf); i++) {
		stream_cg_advance(s, gr->g, &id);
		reply_entry(ctx, &it, &id, nf);
		if (!gr->noack)
			stream_deliver(gr->g, c, &id, ctx->now_ms);
	}
}

/* Serves a consumer's own pending entries from *start (XREADGROUP with an id). */
static void
serve_history(struct cmd_ctx *ctx, struct stream *s, const struct stream_id *start,
    size_t count, struct group_read *gr)
{
	struct stream_consumer *c = cmd_stream_group_consumer(ctx, gr);
	size_t i = stream_pel_seek(&c->pel, start), n = c->pel.n - i;

	if (count && n > count)
		n = count;
	resp_add_array(ctx->out, n);
	for (size_t k = 0; k < n; k++) {
		struct stream_nack *nack = c->pel.v[i + k];

		if (cmd_stream_reply_one(ctx, s, &nack->id)) {
			nack->delivery_time = ctx->now_ms;
			nack->delivery_count++;
		} else {
			resp_add_array(ctx->out, 2);
			cmd_stream_reply_id(ctx, &nack->id);
			resp_add_null_array(ctx->out);
		}
	}
}

/* A client blocked in XREAD / XREADGROUP: what it waits for. */
struct xread_wait {
	size_t count;
	bool group, noack;
	char *gname, *cname;
	size_t glen, clen;
	int n;
	struct {
		char *key;
		size_t klen;
		struct stream_id id;	/* serve ids after this (XREAD) */
	} keys[];
};

static void
xread_wait_free(void *arg)
{
	struct xread_wait *w = arg;

	for (int i = 0; i < w->n; i++)
		xfree(w->keys[i].key);
	xfree(w->gname);
	xfree(w->cname);
	xfree(w);
}

static char *
dup_bytes(const char *p, size_t n)
{
	char *d = xmalloc(n + 1);

	memcpy(d, p, n);
	d[n] = '\0';
	return d;
}

/* Serves one blocked stream read (block_fn): the first of its keys with something new. */
static bool
xread_serve(struct cmd_ctx *ctx, enum block_event ev, void *arg)
{
	struct xread_wait *w = arg;

	if (ev == BLOCK_TIMEOUT) {
		resp_add_null_array(ctx->out);
		return true;
	}
	for (int i = 0; i < w->n; i++) {
		struct obj *o = store_lookup_read(ctx->db, w->keys[i].key, w->keys[i].klen,
		    ctx->now_ms);
		struct group_read gr, *grp = NULL;
		struct stream_id after = w->keys[i].id;
		struct stream *s;

		if (o == NULL || obj_type(o) != OBJ_STREAM)
			continue;
		s = obj_ptr(o);
		if (w->group) {
			gr.g = stream_cg_find(s, w->gname, w->glen);
			if (gr.g == NULL) {
				cmd_reply_error(ctx, "NOGROUP the consumer group this client was "
				    "blocked on no longer exists");
				return true;
			}
			gr.cname = w->cname;
			gr.clen = w->clen;
			gr.noack = w->noack;
			grp = &gr;
			after = gr.g->last_id;
		}
		if (stream_id_cmp(&s->last_id, &after) <= 0)
			continue;
		if (ctx->out->proto == 2) {
			resp_add_array(ctx->out, 1);
			resp_add_array(ctx->out, 2);
		} else {
			resp_add_map(ctx->out, 1);
		}
		resp_add_bulk(ctx->out, w->keys[i].key, w->keys[i].klen);
		serve_new(ctx, s, &after, w->count, grp);
		return true;
	}
	return false;
}

static void
xread_generic(struct cmd_ctx *ctx, bool xreadgroup)
{
	struct stream_id stack[16], *ids = stack;
	struct stream_cg *gstack[16], **groups = NULL;
	const struct resp_arg *gname = NULL, *cname = NULL;
	struct resp_out tmp, *real = ctx->out;
	int64_t timeout = -1, count = 0;
	int streams_arg = 0, nstreams = 0;
	bool noack = false, wrong;
	size_t served = 0;

	for (int i = 1; i < ctx->argc; i++) {
		int more = ctx->argc - i - 1;

		if (cmd_arg_is(ctx, i, "BLOCK") && more) {
			if (ctx->flags & CMD_CTX_SCRIPT) {
				/* Redis refuses it from scripts (elsewhere BLOCK where blocking is
				 * denied just does not block), naming the command as it was typed. */
				cmd_reply_error(ctx, "ERR %.*s command is not allowed with BLOCK option "
				    "from scripts", (int)ctx->argv[0].len, ctx->argv[0].ptr);
				return;
			}
			i++;
			if (!cmd_stream_arg_i64_msg(ctx, i, &timeout, "timeout is not an integer or out of range"))
				return;
			if (timeout < 0) {
				cmd_reply_error(ctx, "ERR timeout is negative");
				return;
			}
		} else if (cmd_arg_is(ctx, i, "COUNT") && more) {
			i++;
			if (!cmd_arg_i64(ctx, i, &count))
				return;
			if (count < 0)
				count = 0;
		} else if (cmd_arg_is(ctx, i, "STREAMS") && more) {
			streams_arg = i + 1;
			nstreams = ctx->argc - streams_arg;
			if (nstreams % 2 != 0) {
				cmd_reply_error(ctx, "ERR Unbalanced XREAD list of streams: for each "
				    "stream key an ID or '$' must be specified.");
				return;
			}
			nstreams /= 2;
			break;
		} else if (cmd_arg_is(ctx, i, "GROUP") && more >= 2) {
			if (!xreadgroup) {
				cmd_reply_error(ctx, "ERR The GROUP option is only supported by "
				    "XREADGROUP. You called XREAD instead.");
				return;
			}
			gname = &ctx->argv[i + 1];
			cname = &ctx->argv[i + 2];
			i += 2;
		} else if (cmd_arg_is(ctx, i, "NOACK")) {
			if (!xreadgroup) {
				cmd_reply_error(ctx, "ERR The NOACK option is only supported by "
				    "XREADGROUP. You called XREAD instead.");
				return;
			}
			noack = true;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (streams_arg == 0) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (xreadgroup && gname == NULL) {
		cmd_reply_error(ctx, "ERR Missing GROUP option for XREADGROUP");
		return;
	}
	if (nstreams > 16)
		ids = xmalloc((size_t)nstreams * sizeof(*ids));
	if (gname != NULL)
		groups = nstreams > 16 ? xmalloc((size_t)nstreams * sizeof(*groups)) : gstack;

	for (int i = 0; i < nstreams; i++) {
		const struct resp_arg *key = &ctx->argv[streams_arg + i];
		const struct resp_arg *ida = &ctx->argv[streams_arg + nstreams + i];
		struct stream *s = cmd_stream_read_stream(ctx, key, &wrong);

		if (wrong)
			goto out;
		if (gname != NULL) {
			struct stream_cg *g = s ? stream_cg_find(s, gname->ptr, gname->len) : NULL;

			if (g == NULL) {
				cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group "
				    "'%.*s' in XREADGROUP with GROUP option", cmd_stream_cstr_len(key), key->ptr,
				    cmd_stream_cstr_len(gname), gname->ptr);
				goto out;
			}
			groups[i] = g;
		}
		if (cmd_stream_is_word1(ida, '$')) {
			if (xreadgroup) {
				cmd_reply_error(ctx, "ERR The $ ID is meaningless in the context of "
				    "XREADGROUP: you want to read the history of this consumer by "
				    "specifying a proper ID, or use the > ID to get new messages. The $ "
				    "ID would just return an empty result set.");
				goto out;
			}
			ids[i] = s ? s->last_id : ID_MIN;
			continue;
		}
		if (cmd_stream_is_word1(ida, '>')) {
			if (!xreadgroup) {
				cmd_reply_error(ctx, "ERR The > ID can be specified only when calling "
				    "XREADGROUP using the GROUP <group> <consumer> option.");
				goto out;
			}
			ids[i] = ID_MAX;
			continue;
		}
		if (!cmd_stream_parse_id(ctx, ida, &ids[i], 0, true, NULL, true))
			goto out;
	}

	/*
	 * What can be served now. XREAD counts the streams first (the reply's length) and then
	 * writes them; a group read changes the group as it serves (the same key twice is served
	 * once), so it writes into a side buffer and the header goes in front once known.
	 */
	if (groups != NULL) {
		memset(&tmp, 0, sizeof tmp);
		tmp.cap = 1024;
		tmp.buf = xmalloc(tmp.cap);
		tmp.proto = real->proto;
		tmp.make_room = resp_out_grow;
		ctx->out = &tmp;
	}
	for (int pass = groups != NULL; pass < 2; pass++) {
		for (int i = 0; i < nstreams; i++) {
			const struct resp_arg *key = &ctx->argv[streams_arg + i];
			struct obj *o = store_lookup_read(ctx->db, key->ptr, key->len, ctx->now_ms);
			struct stream_id after = ids[i], maxid;
			struct group_read gr;
			struct stream *s;
			bool now = false, history = false;

			if (o == NULL)
				continue;
			s = obj_ptr(o);
			if (groups != NULL) {
				if (after.ms != UINT64_MAX || after.seq != UINT64_MAX) {
					now = history = true;
				} else if (s->length && stream_edge_id(s, false, &maxid) &&
				    stream_id_cmp(&maxid, &groups[i]->last_id) > 0) {
					now = true;
					after = groups[i]->last_id;
				}
			} else if (s->length && stream_edge_id(s, false, &maxid) &&
			    stream_id_cmp(&maxid, &after) > 0) {
				now = true;
			}
			if (!now)
				continue;
			if (pass == 0 || groups != NULL)
				served++;
			if (pass == 0)
				continue;
			if (ctx->out->proto == 2)
				resp_add_array(ctx->out, 2);
			resp_add_bulk(ctx->out, key->ptr, key->len);
			if (groups == NULL) {
				serve_new(ctx, s, &after, (size_t)count, NULL);
				continue;
			}
			gr.g = groups[i];
			gr.cname = cname->ptr;
			gr.clen = cname->len;
			gr.noack = noack;
			if (history) {
				/* the history starts after the id, as streamReplyWithRange's start */
				struct stream_id from = after;

				stream_id_incr(&from);
				serve_history(ctx, s, &from, (size_t)count, &gr);
			} else {
				serve_new(ctx, s, &after, (size_t)count, &gr);
			}
		}
		if (pass == 0) {
			if (served == 0)
				break;
			if (ctx->out->proto == 2)
				resp_add_array(ctx->out, served);
			else
				resp_add_map(ctx->out, served);
		}
	}
	if (groups != NULL) {
		ctx->out = real;
		if (served) {
			if (real->proto == 2)
				resp_add_array(real, served);
			else
				resp_add_map(real, served);
			resp_add_raw(real, tmp.buf, tmp.len);
		}
		xfree(tmp.buf);
	}
	if (served)
		goto out;

	if (timeout != -1) {
		struct xread_wait *w;

		if (!block_allowed(ctx)) {
			resp_add_null_array(ctx->out);
			goto out;
		}
		w = xcalloc(1, sizeof(*w) + (size_t)nstreams * sizeof(w->keys[0]));
		w->count = count ? (size_t)count : XREAD_BLOCKED_COUNT;
		w->n = nstreams;
		for (int i = 0; i < nstreams; i++) {
			const struct resp_arg *key = &ctx->argv[streams_arg + i];

			w->keys[i].key = dup_bytes(key->ptr, key->len);
			w->keys[i].klen = key->len;
			w->keys[i].id = ids[i];
		}
		if (gname != NULL) {
			w->group = true;
			w->noack = noack;
			w->gname = dup_bytes(gname->ptr, gname->len);
			w->glen = gname->len;
			w->cname = dup_bytes(cname->ptr, cname->len);
			w->clen = cname->len;
		}
		block_on_keys(ctx, &ctx->argv[streams_arg], nstreams, timeout, xread_serve, w,
		    xread_wait_free);
		goto out;
	}
	resp_add_null_array(ctx->out);
out:
	if (ids != stack)
		xfree(ids);
	if (groups != gstack)
		xfree(groups);
}

void
cmd_xread(struct cmd_ctx *ctx)
{
	xread_generic(ctx, false);
}

void
cmd_xreadgroup(struct cmd_ctx *ctx)
{
	xread_generic(ctx, true);
}
