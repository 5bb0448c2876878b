/*
 * cmd_hash.c: the hash commands (rows in hash.def): HGET and the other reads, HSET and the
 * other writes, and Redis 7.4's field expiry (HEXPIRE family, HPERSIST, HTTL family).
 *
 * Data flow: dispatch has checked arity and the right to write; a handler parses its
 * arguments in Redis' order (7.0.15's t_hash.c for the 7.0 commands, 7.4's for field expiry),
 * so the first error Redis would report is the one replied, then works through
 * storage/t_hash.h and replies.
 *
 * Expired fields (see t_hash.h): a client on a replica sees them as absent, the primary's
 * stream sees every field it has not deleted itself (so its HINCRBY, HSETNX... act on the same
 * data as on the primary). In STORE_OFFLINE mode replicant is the primary: every lookup of a
 * hash first deletes its expired fields (and the key when none remains), which is what a Redis
 * primary's lazy and active field expiry amount to.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/match.h"
#include "storage/store.h"
#include "storage/t_hash.h"
#include "storage/t_string.h"

#define ERR_NOT_INT		"ERR value is not an integer or out of range"
#define ERR_FIELDS_MISSING \
	"ERR Mandatory argument FIELDS is missing or not at the right position"
#define ERR_NUMFIELDS_MATCH \
	"ERR The `numfields` parameter must match the number of arguments"
#define RESP_EMPTY_SCAN		"*2\r\n$1\r\n0\r\n*0\r\n"

/* The `now` that decides which fields a command sees (t_hash.h). */
static int64_t
view(const struct cmd_ctx *ctx)
{
	return cmd_from_primary(ctx) ? THASH_SEE_ALL : ctx->now_ms;
}

static bool
offline(const struct cmd_ctx *ctx)
{
	return store_get_mode(ctx->srv->store) == STORE_OFFLINE;
}

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/*
 * Finishes a lookup: a value of another type is answered with WRONGTYPE (returns false);
 * a hash has its expired fields removed in offline mode (*o becomes NULL if that emptied it).
 */
static bool
hash_check(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj **o)
{
	size_t n;

	if (*o == NULL)
		return true;
	if (obj_type(*o) != OBJ_HASH) {
		cmd_reply_wrongtype(ctx);
		return false;
	}
	*o = thash_expire_if_needed(ctx->db, *o, key->ptr, key->len, ctx->now_ms, &n);
	if (n > 0)
		signal_key(ctx, key);
	return true;
}

/* lookupKeyRead + checkType: false if WRONGTYPE was replied; *o is NULL for no key. */
static bool
lookup_read(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj **o)
{
	*o = cmd_lookup_read(ctx, key);
	return hash_check(ctx, key, o);
}

static bool
lookup_write(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj **o)
{
	*o = cmd_lookup_write(ctx, key);
	return hash_check(ctx, key, o);
}

/* Creates key as an empty hash (Redis' hashTypeLookupWriteOrCreate, after a miss). */
static struct obj *
create_hash(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	struct obj_value v;

	thash_value_new(&v);
	return store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
}

/* Deletes key if the hash o holds no field any more; returns true if it did. */
static bool
delete_if_empty(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj *o)
{
	if (thash_len(o) > 0)
		return false;
	store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
	return true;
}

/* ---- reads ---- */

static void
reply_field_value(struct cmd_ctx *ctx, struct obj *o, const struct resp_arg *f)
{
	char buf[THASH_BUF];
	struct thash_field hf;

	if (o != NULL && thash_get(o, f->ptr, f->len, view(ctx), buf, &hf))
		resp_add_bulk(ctx->out, hf.v, hf.vlen);
	else
		resp_add_null(ctx->out);
}

void
cmd_hget(struct cmd_ctx *ctx)
{
	struct obj *o;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	reply_field_value(ctx, o, &ctx->argv[2]);
}

void
cmd_hmget(struct cmd_ctx *ctx)
{
	struct obj *o;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	resp_add_array(ctx->out, (size_t)ctx->argc - 2);
	for (int i = 2; i < ctx->argc; i++)
		reply_field_value(ctx, o, &ctx->argv[i]);
}

enum { WANT_FIELD = 1, WANT_VALUE = 2 };

struct emit_ctx {
	struct cmd_ctx *ctx;
	unsigned what;
	bool pair;		/* RESP3 HRANDFIELD WITHVALUES: each pick is a 2-array */
	const struct glob *match;
};

static void
emit_cb(const struct thash_field *f, void *arg)
{
	struct emit_ctx *e = arg;

	if (e->pair)
		resp_add_array(e->ctx->out, 2);
	if (e->what & WANT_FIELD)
		resp_add_bulk(e->ctx->out, f->f, f->flen);
	if (e->what & WANT_VALUE)
		resp_add_bulk(e->ctx->out, f->v, f->vlen);
}

static void
getall(struct cmd_ctx *ctx, unsigned what)
{
	struct emit_ctx e = { ctx, what, false, NULL };
	struct obj *o;
	size_t n;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	n = o == NULL ? 0 : thash_live_len(o, view(ctx));
	if (what == (WANT_FIELD | WANT_VALUE))
		resp_add_map(ctx->out, n);
	else
		resp_add_array(ctx->out, n);
	if (o != NULL)
		thash_foreach(o, view(ctx), emit_cb, &e);
}

void
cmd_hgetall(struct cmd_ctx *ctx)
{
	getall(ctx, WANT_FIELD | WANT_VALUE);
}

void
cmd_hkeys(struct cmd_ctx *ctx)
{
	getall(ctx, WANT_FIELD);
}

void
cmd_hvals(struct cmd_ctx *ctx)
{
	getall(ctx, WANT_VALUE);
}

void
cmd_hlen(struct cmd_ctx *ctx)
{
	struct obj *o;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	/* Redis' HLEN counts expired fields not yet deleted (hashTypeLength(o, 0)). */
	resp_add_int(ctx->out, o == NULL ? 0 : (int64_t)thash_len(o));
}

void
cmd_hexists(struct cmd_ctx *ctx)
{
	char buf[THASH_BUF];
	struct thash_field hf;
	struct obj *o;
	bool found;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	found = o != NULL && thash_get(o, ctx->argv[2].ptr, ctx->argv[2].len, view(ctx), buf, &hf);
	resp_add_int(ctx->out, found);
}

void
cmd_hstrlen(struct cmd_ctx *ctx)
{
	char buf[THASH_BUF];
	struct thash_field hf;
	struct obj *o;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	if (o == NULL || !thash_get(o, ctx->argv[2].ptr, ctx->argv[2].len, view(ctx), buf, &hf)) {
		resp_add_int(ctx->out, 0);
		return;
	}
	resp_add_int(ctx->out, (int64_t)hf.vlen);
}

/* HSCAN's gathered strings: their bytes are copied (listpack integers are printed on the fly). */
struct scan_list {
	char *buf;
	size_t len, cap;
	size_t *ends;		/* end offset of each string in buf */
	size_t n, ncap;
	const struct glob *match;
	bool novalues;
};

static void
scan_push(struct scan_list *l, const char *p, size_t n)
{
	if (l->len + n > l->cap) {
		l->cap = (l->len + n) * 2 + 64;
		l->buf = xrealloc(l->buf, l->cap);
	}
	if (n > 0)
		memcpy(l->buf + l->len, p, n);
	l->len += n;
	if (l->n == l->ncap) {
		l->ncap = l->ncap ? 2 * l->ncap : 32;
		l->ends = xrealloc(l->ends, l->ncap * sizeof *l->ends);
	}
	l->ends[l->n++] = l->len;
}

static void
scan_cb(const struct thash_field *f, void *arg)
{
	struct scan_list *l = arg;

	if (l->match != NULL && !glob_match(l->match, f->f, f->flen))
		return;
	scan_push(l, f->f, f->flen);
	if (!l->novalues)
		scan_push(l, f->v, f->vlen);
}

/* HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES] */
void
cmd_hscan(struct cmd_ctx *ctx)
{
	struct scan_list l = { 0 };
	struct obj *o;
	uint64_t cursor;
	int64_t count = 10;
	struct glob g;
	size_t start = 0;

	if (!cmd_parse_cursor(&ctx->argv[2], &cursor)) {
		cmd_reply_error(ctx, "ERR invalid cursor");
		return;
	}
	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	if (o == NULL) {
		resp_add_raw(ctx->out, RESP_EMPTY_SCAN, sizeof RESP_EMPTY_SCAN - 1);
		return;
	}
	for (int i = 3; i < ctx->argc; ) {
		bool more = ctx->argc - i >= 2;

		if (more && cmd_arg_is(ctx, i, "count")) {
			if (!cmd_arg_i64(ctx, i + 1, &count))
				return;
			if (count < 1) {
				cmd_reply_syntax_error(ctx);
				return;
			}
			i += 2;
		} else if (more && cmd_arg_is(ctx, i, "match")) {
			const struct resp_arg *p = &ctx->argv[i + 1];

			glob_compile(&g, p->ptr, p->len, false);
			l.match = glob_is_match_all(&g) ? NULL : &g;
			i += 2;
		} else if (cmd_arg_is(ctx, i, "novalues")) {
			l.novalues = true;
			i++;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	cursor = thash_scan(o, cursor, (size_t)count, view(ctx), scan_cb, &l);
	resp_add_array(ctx->out, 2);
	resp_add_bulk_i64(ctx->out, (int64_t)cursor);
	resp_add_array(ctx->out, l.n);
	for (size_t i = 0; i < l.n; i++) {
		resp_add_bulk(ctx->out, l.buf + start, l.ends[i] - start);
		start = l.ends[i];
	}
	xfree(l.buf);
	xfree(l.ends);
}

/* HRANDFIELD key [count [WITHVALUES]] */
void
cmd_hrandfield(struct cmd_ctx *ctx)
{
	struct emit_ctx e = { ctx, WANT_FIELD, false, NULL };
	bool withvalues = false;
	int64_t count = 0;
	uint64_t n, size;
	struct obj *o;

	if (ctx->argc >= 3) {
		if (!cmd_arg_i64(ctx, 2, &count))
			return;
		if (count < -INT64_MAX) {
			cmd_reply_error(ctx, "ERR value is out of range, value must between "
			    "-9223372036854775807 and 9223372036854775807");
			return;
		}
		if (ctx->argc > 4 || (ctx->argc == 4 && !cmd_arg_is(ctx, 3, "withvalues"))) {
			cmd_reply_syntax_error(ctx);
			return;
		}
		if (ctx->argc == 4) {
			withvalues = true;
			if (count < -INT64_MAX / 2 || count > INT64_MAX / 2) {
				cmd_reply_error(ctx, "ERR value is out of range");
				return;
			}
		}
	}
	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	if (ctx->argc < 3) {
		if (o == NULL) {
			resp_add_null(ctx->out);
			return;
		}
		thash_random(ctx->db, o, 1, emit_cb, &e);
		return;
	}
	if (o == NULL || count == 0) {
		resp_add_array(ctx->out, 0);
		return;
	}
	size = thash_len(o);
	n = count < 0 ? (uint64_t)0 - (uint64_t)count : (uint64_t)count;
	if (count > 0 && n > size)
		n = size;
	if (withvalues) {
		e.what |= WANT_VALUE;
		e.pair = ctx->out->proto > 2;
	}
	resp_add_array(ctx->out, withvalues && !e.pair ? 2 * n : n);
	if (count > 0) {
		thash_random(ctx->db, o, count, emit_cb, &e);
		return;
	}
	/* Repeated picks, in batches: a client closed for its output buffer stops the walk
	 * (Redis checks CLIENT_CLOSE_ASAP the same way). */
	while (n > 0) {
		uint64_t batch = n < 1000 ? n : 1000;

		thash_random(ctx->db, o, -(int64_t)batch, emit_cb, &e);
		n -= batch;
		if (ctx->conn != NULL && (ctx->conn->flags & CONN_CLOSE_ASAP))
			break;
	}
}

/* ---- writes ---- */

/* HSET key field value [field value ...]; HMSET (the same, replying +OK) */
void
cmd_hset(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	size_t maxlen = 0, sumlen = 0;
	int64_t created = 0;
	struct obj *o;
	bool hset;

	hset = ctx->argv[0].len > 1 && (ctx->argv[0].ptr[1] == 's' || ctx->argv[0].ptr[1] == 'S');
	if (ctx->argc % 2 == 1) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for '%s' command",
		    hset ? "hset" : "hmset");
		return;
	}
	if (!lookup_write(ctx, key, &o))
		return;
	if (o == NULL)
		o = create_hash(ctx, key);
	for (int i = 2; i < ctx->argc; i++) {
		if (ctx->argv[i].len > maxlen)
			maxlen = ctx->argv[i].len;
		sumlen += ctx->argv[i].len;
	}
	thash_prepare(o, (size_t)(ctx->argc - 2) / 2, maxlen, sumlen);
	for (int i = 2; i < ctx->argc; i += 2)
		created += !thash_set(o, ctx->argv[i].ptr, ctx->argv[i].len, ctx->argv[i + 1].ptr,
		    ctx->argv[i + 1].len, 0);
	if (hset)
		resp_add_int(ctx->out, created);
	else
		cmd_reply_ok(ctx);
	signal_key(ctx, key);
}

void
cmd_hsetnx(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *f = &ctx->argv[2], *v = &ctx->argv[3];
	char buf[THASH_BUF];
	struct thash_field hf;
	struct obj *o;

	if (!lookup_write(ctx, key, &o))
		return;
	if (o != NULL && thash_get(o, f->ptr, f->len, view(ctx), buf, &hf)) {
		resp_add_int(ctx->out, 0);
		return;
	}
	if (o == NULL)
		o = create_hash(ctx, key);
	thash_prepare(o, 1, f->len > v->len ? f->len : v->len, f->len + v->len);
	thash_set(o, f->ptr, f->len, v->ptr, v->len, 0);
	resp_add_int(ctx->out, 1);
	signal_key(ctx, key);
}

void
cmd_hdel(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	int64_t deleted = 0;
	struct obj *o;

	if (!lookup_write(ctx, key, &o))
		return;
	if (o == NULL) {
		resp_add_int(ctx->out, 0);
		return;
	}
	for (int i = 2; i < ctx->argc; i++) {
		if (!thash_delete(o, ctx->argv[i].ptr, ctx->argv[i].len))
			continue;
		deleted++;
		if (delete_if_empty(ctx, key, o))
			break;
	}
	if (deleted > 0)
		signal_key(ctx, key);
	resp_add_int(ctx->out, deleted);
}

void
cmd_hincrby(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *f = &ctx->argv[2];
	char buf[THASH_BUF], out[NUM_I64_MAX_CHARS];
	struct thash_field hf;
	int64_t incr, value = 0;
	struct obj *o;
	size_t n;

	if (!cmd_arg_i64(ctx, 3, &incr))
		return;
	if (!lookup_write(ctx, key, &o))
		return;
	if (o != NULL && thash_get(o, f->ptr, f->len, view(ctx), buf, &hf) &&
	    !num_parse_i64(hf.v, hf.vlen, &value)) {
		cmd_reply_error(ctx, "ERR hash value is not an integer");
		return;
	}
	if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
	    (incr > 0 && value > 0 && incr > INT64_MAX - value)) {
		cmd_reply_error(ctx, "ERR increment or decrement would overflow");
		return;
	}
	value += incr;
	if (o == NULL)
		o = create_hash(ctx, key);
	n = num_fmt_i64(out, value);
	thash_set(o, f->ptr, f->len, out, n, THASH_KEEP_TTL);
	resp_add_int(ctx->out, value);
	signal_key(ctx, key);
}

void
cmd_hincrbyfloat(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *f = &ctx->argv[2];
	char buf[THASH_BUF], out[TSTR_LD_BUF];
	struct thash_field hf;
	long double incr, value = 0;
	struct obj *o;
	size_t n;

	if (!tstr_parse_ld(ctx->argv[3].ptr, ctx->argv[3].len, &incr)) {
		cmd_reply_error(ctx, "ERR value is not a valid float");
		return;
	}
	if (isnan(incr) || isinf(incr)) {
		cmd_reply_error(ctx, "ERR value is NaN or Infinity");
		return;
	}
	if (!lookup_write(ctx, key, &o))
		return;
	if (o != NULL && thash_get(o, f->ptr, f->len, view(ctx), buf, &hf) &&
	    !tstr_parse_ld(hf.v, hf.vlen, &value)) {
		cmd_reply_error(ctx, "ERR hash value is not a float");
		return;
	}
	value += incr;
	if (isnan(value) || isinf(value)) {
		cmd_reply_error(ctx, "ERR increment would produce NaN or Infinity");
		return;
	}
	n = tstr_fmt_ld(out, sizeof out, value);
	if (o == NULL)
		o = create_hash(ctx, key);
	thash_set(o, f->ptr, f->len, out, n, THASH_KEEP_TTL);
	resp_add_bulk(ctx->out, out, n);
	signal_key(ctx, key);
}

/* ---- field expiry ---- */

/*
 * Parses "FIELDS numfields field..." with FIELDS at argv[at - 1] and numfields at argv[at], as
 * Redis 7.4 does (numerr: the command's message for a bad count). Replies and returns false on
 * error.
 */
static bool
parse_fields(struct cmd_ctx *ctx, int at, const char *numerr)
{
	int64_t n;

	if (!cmd_arg_is(ctx, at - 1, "FIELDS")) {
		cmd_reply_error(ctx, ERR_FIELDS_MISSING);
		return false;
	}
	if (!num_parse_i64(ctx->argv[at].ptr, ctx->argv[at].len, &n) || n < 1) {
		cmd_reply_error(ctx, "ERR %s", numerr);
		return false;
	}
	if (n != (int64_t)ctx->argc - at - 1) {
		cmd_reply_error(ctx, ERR_NUMFIELDS_MATCH);
		return false;
	}
	return true;
}

/* Replies with an array of `code` for each field (the key does not exist). */
static void
reply_all(struct cmd_ctx *ctx, int first, int64_t code)
{
	resp_add_array(ctx->out, (size_t)(ctx->argc - first));
	for (int i = first; i < ctx->argc; i++)
		resp_add_int(ctx->out, code);
}

/*
 * HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT key time [NX|XX|GT|LT] FIELDS numfields field...
 * basetime is now for the relative forms, 0 for the absolute ones.
 */
static void
hexpire_generic(struct cmd_ctx *ctx, const char *name, int64_t basetime, bool seconds)
{
	const struct resp_arg *key = &ctx->argv[1];
	enum thash_cond cond = THASH_COND_NONE;
	int at = 4, updated = 0, deleted = 0;
	bool delete_past;
	int64_t when;
	struct obj *o;

	if (!lookup_write(ctx, key, &o))
		return;
	if (!cmd_arg_i64(ctx, 2, &when))
		return;
	if (when < 0) {
		cmd_reply_error(ctx, "ERR invalid expire time, must be >= 0");
		return;
	}
	if (seconds) {
		if (when > THASH_TTL_MAX_ABS / 1000) {
			cmd_reply_error(ctx, "ERR invalid expire time in '%s' command", name);
			return;
		}
		when *= 1000;
	}
	if (when > THASH_TTL_MAX_ABS - basetime) {
		cmd_reply_error(ctx, "ERR invalid expire time in '%s' command", name);
		return;
	}
	when += basetime;
	if (cmd_arg_is(ctx, 3, "nx"))
		cond = THASH_COND_NX;
	else if (cmd_arg_is(ctx, 3, "xx"))
		cond = THASH_COND_XX;
	else if (cmd_arg_is(ctx, 3, "gt"))
		cond = THASH_COND_GT;
	else if (cmd_arg_is(ctx, 3, "lt"))
		cond = THASH_COND_LT;
	if (cond != THASH_COND_NONE)
		at++;
	if (!parse_fields(ctx, at, "Parameter `numFields` should be greater than 0"))
		return;
	if (o == NULL) {
		reply_all(ctx, at + 1, THASH_EXP_NO_FIELD);
		return;
	}
	/* A replica never deletes a field: the primary's HDEL will. */
	delete_past = offline(ctx) && !cmd_from_primary(ctx);
	resp_add_array(ctx->out, (size_t)(ctx->argc - at - 1));
	for (int i = at + 1; i < ctx->argc; i++) {
		int rc = thash_set_expire(o, ctx->argv[i].ptr, ctx->argv[i].len, when, cond,
		    delete_past, ctx->now_ms);

		updated += rc == THASH_EXP_OK;
		deleted += rc == THASH_EXP_DELETED;
		resp_add_int(ctx->out, rc);
	}
	if (deleted > 0)
		delete_if_empty(ctx, key, o);
	if (updated + deleted > 0)
		signal_key(ctx, key);
}

void
cmd_hexpire(struct cmd_ctx *ctx)
{
	hexpire_generic(ctx, "hexpire", ctx->now_ms, true);
}

void
cmd_hpexpire(struct cmd_ctx *ctx)
{
	hexpire_generic(ctx, "hpexpire", ctx->now_ms, false);
}

void
cmd_hexpireat(struct cmd_ctx *ctx)
{
	hexpire_generic(ctx, "hexpireat", 0, true);
}

void
cmd_hpexpireat(struct cmd_ctx *ctx)
{
	hexpire_generic(ctx, "hpexpireat", 0, false);
}

/* HPERSIST key FIELDS numfields field... */
void
cmd_hpersist(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	bool changed = false;
	struct obj *o;

	if (!lookup_write(ctx, key, &o))
		return;
	if (!parse_fields(ctx, 3, "Number of fields must be a positive integer"))
		return;
	if (o == NULL) {
		reply_all(ctx, 4, THASH_EXP_NO_FIELD);
		return;
	}
	resp_add_array(ctx->out, (size_t)(ctx->argc - 4));
	for (int i = 4; i < ctx->argc; i++) {
		int rc = thash_persist(o, ctx->argv[i].ptr, ctx->argv[i].len, view(ctx));

		changed |= rc == THASH_EXP_OK;
		resp_add_int(ctx->out, rc);
	}
	if (changed)
		signal_key(ctx, key);
}

/* HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME key FIELDS numfields field... */
static void
httl_generic(struct cmd_ctx *ctx, int64_t basetime, bool seconds)
{
	struct obj *o;

	if (!lookup_read(ctx, &ctx->argv[1], &o))
		return;
	if (!parse_fields(ctx, 3, "Number of fields must be a positive integer"))
		return;
	if (o == NULL) {
		reply_all(ctx, 4, THASH_EXP_NO_FIELD);
		return;
	}
	resp_add_array(ctx->out, (size_t)(ctx->argc - 4));
	for (int i = 4; i < ctx->argc; i++) {
		int64_t when;
		int rc = thash_get_expire(o, ctx->argv[i].ptr, ctx->argv[i].len, view(ctx), &when);

		if (rc != THASH_EXP_OK)
			resp_add_int(ctx->out, rc);
		else if (seconds)
			resp_add_int(ctx->out, (when + 999 - basetime) / 1000);
		else
			resp_add_int(ctx->out, when - basetime);
	}
}

void
cmd_httl(struct cmd_ctx *ctx)
{
	httl_generic(ctx, ctx->now_ms, true);
}

void
cmd_hpttl(struct cmd_ctx *ctx)
{
	httl_generic(ctx, ctx->now_ms, false);
}

void
cmd_hexpiretime(struct cmd_ctx *ctx)
{
	httl_generic(ctx, 0, true);
}

void
cmd_hpexpiretime(struct cmd_ctx *ctx)
{
	httl_generic(ctx, 0, false);
}
