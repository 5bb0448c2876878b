/*
 * cmd_stream.c: the stream commands (rows in stream.def). Reads: XRANGE, XREVRANGE, XLEN, XREAD
 * (with BLOCK through replica/server/block.c), XINFO, XPENDING. Writes, as a primary propagates
 * them or a client sends them with replica-read-only no: XADD, XDEL, XTRIM, XSETID, XGROUP,
 * XACK, XCLAIM, XAUTOCLAIM, XREADGROUP. Replies and errors are redis-server 7.0.15's
 * (src/t_stream.c); the data structure is storage/t_stream.c.
 *
 * Replies whose length Redis patches afterwards (deferred lengths) are built in two steps here:
 * the entries are counted or collected first, then written.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/listpack.h"
#include "storage/store.h"
#include "storage/t_stream.h"

#define ERR_INVALID_ID	"ERR Invalid stream ID specified as stream command argument"
/* Entries a blocked XREAD without COUNT is served at most (Redis' XREAD_BLOCKED_DEFAULT_COUNT). */
#define XREAD_BLOCKED_COUNT	1000

static const struct stream_id ID_MIN = { 0, 0 };
static const struct stream_id ID_MAX = { UINT64_MAX, UINT64_MAX };

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
static bool
parse_id(struct cmd_ctx *ctx, const struct resp_arg *a, struct stream_id *id, uint64_t missing,
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

static bool
parse_strict(struct cmd_ctx *ctx, int i, struct stream_id *id)
{
	return parse_id(ctx, &ctx->argv[i], id, 0, true, NULL, true);
}

/* An interval bound: "(" makes it exclusive (then strict), as streamParseIntervalIDOrReply. */
static bool
parse_interval(struct cmd_ctx *ctx, int i, struct stream_id *id, bool *excl, uint64_t missing)
{
	const struct resp_arg *a = &ctx->argv[i];

	*excl = a->len > 1 && a->ptr[0] == '(';
	if (*excl) {
		struct resp_arg t = *a;

		t.ptr++;
		t.len--;
		return parse_id(ctx, &t, id, missing, true, NULL, true);
	}
	return parse_id(ctx, a, id, missing, false, NULL, true);
}

/* getLongLongFromObjectOrReply with a custom message ("ERR <msg>"). */
static bool
arg_i64_msg(struct cmd_ctx *ctx, int i, int64_t *out, const char *msg)
{
	if (num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, out))
		return true;
	cmd_reply_error(ctx, "ERR %s", msg);
	return false;
}

/* addReplySubcommandSyntaxError */
static void
reply_subcommand_error(struct cmd_ctx *ctx)
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
static bool
is_word1(const struct resp_arg *a, char c)
{
	return a->len >= 1 && a->ptr[0] == c && cmd_arg_cstrlen(a) == 1;
}

static int
cstr_len(const struct resp_arg *a)
{
	return (int)cmd_arg_cstrlen(a);
}

/* ---- lookups ---- */

/* The stream at key for reading: NULL with *wrong false if absent, NULL with the WRONGTYPE
 * reply and *wrong true if another type. */
static struct stream *
read_stream(struct cmd_ctx *ctx, const struct resp_arg *key, bool *wrong)
{
	struct obj *o = cmd_lookup_read(ctx, key);

	*wrong = false;
	if (o == NULL)
		return NULL;
	if (obj_type(o) != OBJ_STREAM) {
		cmd_reply_wrongtype(ctx);
		*wrong = true;
		return NULL;
	}
	return obj_ptr(o);
}

static struct stream *
write_stream(struct cmd_ctx *ctx, const struct resp_arg *key, bool *wrong)
{
	struct obj *o = cmd_lookup_write(ctx, key);

	*wrong = false;
	if (o == NULL)
		return NULL;
	if (obj_type(o) != OBJ_STREAM) {
		cmd_reply_wrongtype(ctx);
		*wrong = true;
		return NULL;
	}
	return obj_ptr(o);
}

static struct stream *
create_stream(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	struct obj_value v;

	stream_value_new(&v);
	return obj_ptr(store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE,
	    ctx->now_ms));
}

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* ---- replies ---- */

static void
reply_id(struct cmd_ctx *ctx, const struct stream_id *id)
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
	reply_id(ctx, id);
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
static bool
reply_one(struct cmd_ctx *ctx, const struct stream *s, const struct stream_id *id)
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
static size_t
reply_range(struct cmd_ctx *ctx, const struct stream *s, const struct stream_id *start,
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

		if (xadd && is_word1(o, '*')) {
			break;
		} else if (cmd_word_is(o, "maxlen") && more) {
			const struct resp_arg *nx = &ctx->argv[i + 1];

			if (a->trim.kind != STREAM_TRIM_NONE) {
				cmd_reply_error(ctx, "ERR syntax error, MAXLEN and MINID options at the "
				    "same time are not compatible");
				return -1;
			}
			a->trim.approx = false;
			if (more >= 2 && is_word1(nx, '~')) {
				a->trim.approx = true;
				i++;
			} else if (more >= 2 && is_word1(nx, '=')) {
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
			if (more >= 2 && is_word1(nx, '~')) {
				a->trim.approx = true;
				i++;
			} else if (more >= 2 && is_word1(nx, '=')) {
				i++;
			}
			if (!parse_strict(ctx, i + 1, &a->trim.minid))
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
			if (!parse_id(ctx, o, &a->id, 0, true, &a->seq_given, true))
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
	if (ctx->conn == NULL) {
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
	s = write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		if (a.nomkstream) {
			resp_add_null(ctx->out);
			return;
		}
		s = create_stream(ctx, &ctx->argv[1]);
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
	reply_id(ctx, &id);
	signal_key(ctx, &ctx->argv[1]);
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
	s = write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	deleted = stream_trim(s, &a.trim);
	if (deleted)
		signal_key(ctx, &ctx->argv[1]);
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

	s = write_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	if (s == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	ids = n <= 16 ? stack : xmalloc((size_t)n * sizeof(*ids));
	for (int j = 0; j < n; j++)
		if (!parse_strict(ctx, j + 2, &ids[j]))
			goto out;
	for (int j = 0; j < n; j++)
		if (stream_delete(s, &ids[j]))
			deleted++;
	if (deleted)
		signal_key(ctx, &ctx->argv[1]);
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

	if (!parse_interval(ctx, rev ? 3 : 2, &start, &sx, 0))
		return;
	if (sx && !stream_id_incr(&start)) {
		cmd_reply_error(ctx, "ERR invalid start ID for the interval");
		return;
	}
	if (!parse_interval(ctx, rev ? 2 : 3, &end, &ex, UINT64_MAX))
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
	s = read_stream(ctx, &ctx->argv[1], &wrong);
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
	reply_range(ctx, s, &start, &end, rev, count < 0 ? 0 : (size_t)count);
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

	s = read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	resp_add_int(ctx->out, s == NULL ? 0 : (int64_t)s->length);
}

/* ---- XREAD / XREADGROUP ---- */

/* Which consumer (by name) a group read serves, and whether it acknowledges. */
struct group_read {
	struct stream_cg *g;
	const char *cname;
	size_t clen;
	bool noack;
};

/* The consumer of a group read, created if needed; its seen time is refreshed. */
static struct stream_consumer *
group_consumer(struct cmd_ctx *ctx, struct group_read *gr)
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
		reply_range(ctx, s, &start, NULL, false, count);
		return;
	}
	c = group_consumer(ctx, gr);
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
	struct stream_consumer *c = group_consumer(ctx, gr);
	size_t i = stream_pel_seek(&c->pel, start), n = c->pel.n - i;

	if (count && n > count)
		n = count;
	resp_add_array(ctx->out, n);
	for (size_t k = 0; k < n; k++) {
		struct stream_nack *nack = c->pel.v[i + k];

		if (reply_one(ctx, s, &nack->id)) {
			nack->delivery_time = ctx->now_ms;
			nack->delivery_count++;
		} else {
			resp_add_array(ctx->out, 2);
			reply_id(ctx, &nack->id);
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

/* make_room of a side reply buffer (xmalloc'd, grown geometrically). */
static void
tmp_grow(struct resp_out *o, size_t need)
{
	size_t cap = o->cap * 2;

	while (cap - o->len < need)
		cap *= 2;
	o->buf = xrealloc(o->buf, cap);
	o->cap = cap;
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
			i++;
			if (!arg_i64_msg(ctx, i, &timeout, "timeout is not an integer or out of range"))
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
		struct stream *s = read_stream(ctx, key, &wrong);

		if (wrong)
			goto out;
		if (gname != NULL) {
			struct stream_cg *g = s ? stream_cg_find(s, gname->ptr, gname->len) : NULL;

			if (g == NULL) {
				cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group "
				    "'%.*s' in XREADGROUP with GROUP option", cstr_len(key), key->ptr,
				    cstr_len(gname), gname->ptr);
				goto out;
			}
			groups[i] = g;
		}
		if (is_word1(ida, '$')) {
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
		if (is_word1(ida, '>')) {
			if (!xreadgroup) {
				cmd_reply_error(ctx, "ERR The > ID can be specified only when calling "
				    "XREADGROUP using the GROUP <group> <consumer> option.");
				goto out;
			}
			ids[i] = ID_MAX;
			continue;
		}
		if (!parse_id(ctx, ida, &ids[i], 0, true, NULL, true))
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
		tmp.make_room = tmp_grow;
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
			reply_subcommand_error(ctx);
			return false;
		}
	}
	s = write_stream(ctx, &ctx->argv[2], &wrong);
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
			    cstr_len(&ctx->argv[3]), ctx->argv[3].ptr, cstr_len(&ctx->argv[2]),
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
		reply_subcommand_error(ctx);
		return;
	}
	if (is_word1(&ctx->argv[4], '$'))
		id = s ? s->last_id : ID_MIN;
	else if (!parse_strict(ctx, 4, &id))
		return;
	if (s == NULL) {
		s = create_stream(ctx, &ctx->argv[2]);
		signal_key(ctx, &ctx->argv[2]);
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
		reply_subcommand_error(ctx);
		return;
	}
	if (is_word1(&ctx->argv[4], '$'))
		id = s->last_id;
	else if (!parse_id(ctx, &ctx->argv[4], &id, 0, false, NULL, true))
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

	if (!parse_strict(ctx, 2, &id))
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
			if (!parse_strict(ctx, i + 1, &maxdel))
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
	s = write_stream(ctx, &ctx->argv[1], &wrong);
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

	s = read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	g = s ? stream_cg_find(s, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	ids = n <= 16 ? stack : xmalloc((size_t)n * sizeof(*ids));
	for (int j = 0; j < n; j++)
		if (!parse_strict(ctx, j + 3, &ids[j]))
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
	bool wrong, justinfo = ctx->argc == 3;

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
		if (!parse_interval(ctx, si, &start, &sx, 0))
			return;
		if (sx && !stream_id_incr(&start)) {
			cmd_reply_error(ctx, "ERR invalid start ID for the interval");
			return;
		}
		if (!parse_interval(ctx, si + 1, &end, &ex, UINT64_MAX))
			return;
		if (ex && !stream_id_decr(&end)) {
			cmd_reply_error(ctx, "ERR invalid end ID for the interval");
			return;
		}
		if (si + 3 < ctx->argc)
			consumer = &ctx->argv[si + 3];
	}
	s = read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	g = s ? stream_cg_find(s, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL) {
		cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group '%.*s'",
		    cstr_len(&ctx->argv[1]), ctx->argv[1].ptr, cstr_len(&ctx->argv[2]),
		    ctx->argv[2].ptr);
		return;
	}
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
		reply_id(ctx, &g->pel.v[0]->id);
		reply_id(ctx, &g->pel.v[g->pel.n - 1]->id);
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
				reply_id(ctx, &nack->id);
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
	bool force = false, justid = false, wrong;
	const struct resp_arg *name = &ctx->argv[3];
	size_t nclaimed = 0;
	struct stream_cg *g;
	struct stream *s;
	int j, last_id_arg;

	s = read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	g = s ? stream_cg_find(s, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL) {
		cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group '%.*s'",
		    cstr_len(&ctx->argv[1]), ctx->argv[1].ptr, cstr_len(&ctx->argv[2]),
		    ctx->argv[2].ptr);
		return;
	}
	if (!arg_i64_msg(ctx, 4, &minidle, "Invalid min-idle-time argument for XCLAIM"))
		return;
	if (minidle < 0)
		minidle = 0;
	ids = xmalloc((size_t)(ctx->argc - 5) * sizeof(*ids));
	claimed = xmalloc((size_t)(ctx->argc - 5) * sizeof(*claimed));
	for (j = 5; j < ctx->argc; j++)
		if (!parse_id(ctx, &ctx->argv[j], &ids[j - 5], 0, true, NULL, false))
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
			if (!arg_i64_msg(ctx, j, &dtime, "Invalid IDLE option argument for XCLAIM"))
				goto out;
			dtime = ctx->now_ms - dtime;
		} else if (cmd_arg_is(ctx, j, "TIME") && more) {
			j++;
			if (!arg_i64_msg(ctx, j, &dtime, "Invalid TIME option argument for XCLAIM"))
				goto out;
		} else if (cmd_arg_is(ctx, j, "RETRYCOUNT") && more) {
			j++;
			if (!arg_i64_msg(ctx, j, &retry,
			    "Invalid RETRYCOUNT option argument for XCLAIM"))
				goto out;
		} else if (cmd_arg_is(ctx, j, "LASTID") && more) {
			j++;
			if (!parse_strict(ctx, j, &last))
				goto out;
		} else {
			cmd_reply_error(ctx, "ERR Unrecognized XCLAIM option '%.*s'",
			    cstr_len(&ctx->argv[j]), ctx->argv[j].ptr);
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
			consumer = group_consumer(ctx, &(struct group_read){ g, name->ptr, name->len,
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
			reply_id(ctx, &claimed[k]);
		else
			reply_one(ctx, s, &claimed[k]);
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
	bool sx, justid = false, wrong;
	struct stream_cg *g;
	struct stream *s;

	if (!arg_i64_msg(ctx, 4, &minidle, "Invalid min-idle-time argument for XAUTOCLAIM"))
		return;
	if (minidle < 0)
		minidle = 0;
	if (!parse_interval(ctx, 5, &start, &sx, 0))
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
	s = read_stream(ctx, &ctx->argv[1], &wrong);
	if (wrong)
		return;
	g = s ? stream_cg_find(s, ctx->argv[2].ptr, ctx->argv[2].len) : NULL;
	if (g == NULL) {
		cmd_reply_error(ctx, "NOGROUP No such key '%.*s' or consumer group '%.*s'",
		    cstr_len(&ctx->argv[1]), ctx->argv[1].ptr, cstr_len(&ctx->argv[2]),
		    ctx->argv[2].ptr);
		return;
	}
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
			consumer = group_consumer(ctx, &(struct group_read){ g, ctx->argv[3].ptr,
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
	reply_id(ctx, &next);
	resp_add_array(ctx->out, nclaimed);
	for (size_t k = 0; k < nclaimed; k++) {
		if (justid)
			reply_id(ctx, &claimed[k]);
		else
			reply_one(ctx, s, &claimed[k]);
	}
	resp_add_array(ctx->out, ndeleted);
	for (size_t k = 0; k < ndeleted; k++)
		reply_id(ctx, &deleted[k]);
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
	struct stream *s = read_stream(ctx, &ctx->argv[2], &wrong);

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
	reply_id(ctx, &g->last_id);
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
		reply_id(ctx, &nack->id);
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
			reply_id(ctx, &c->pel.v[k]->id);
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
			reply_subcommand_error(ctx);
			return;
		}
		full = true;
	}
	if (optc == 3) {
		if (!cmd_arg_is(ctx, 4, "count")) {
			reply_subcommand_error(ctx);
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
	reply_id(ctx, &s->last_id);
	bulk_cstr(ctx, "max-deleted-entry-id");
	reply_id(ctx, &s->max_deleted);
	bulk_cstr(ctx, "entries-added");
	resp_add_int(ctx->out, (int64_t)s->entries_added);
	bulk_cstr(ctx, "recorded-first-entry-id");
	reply_id(ctx, &s->first_id);
	if (!full) {
		struct stream_id id;

		bulk_cstr(ctx, "groups");
		resp_add_int(ctx->out, (int64_t)s->ngroups);
		bulk_cstr(ctx, "first-entry");
		if (!stream_edge_id(s, true, &id) || !reply_one(ctx, s, &id))
			resp_add_null(ctx->out);
		bulk_cstr(ctx, "last-entry");
		if (!stream_edge_id(s, false, &id) || !reply_one(ctx, s, &id))
			resp_add_null(ctx->out);
		return;
	}
	bulk_cstr(ctx, "entries");
	reply_range(ctx, s, NULL, NULL, false, (size_t)count);
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
		reply_id(ctx, &g->last_id);
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
		    cstr_len(&ctx->argv[3]), ctx->argv[3].ptr, cstr_len(&ctx->argv[2]),
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
