/*
 * cmd_keys.c: keyspace commands, whatever the type of the keys: existence and type, TTLs,
 * KEYS/SCAN/RANDOMKEY, OBJECT and MEMORY USAGE, DUMP/RESTORE, and the writes that delete,
 * expire, rename, move, copy or flush keys.
 *
 * Rows are in keys.def. Every reply and error follows Redis 7.0.15 (db.c, expire.c, object.c,
 * cluster.c) in its checks' order, so a client sees the same first error Redis would give.
 * Reads go through cmd_lookup_read, or peek() for Redis' LOOKUP_NOTOUCH lookups; writes
 * through cmd_lookup_write and store.h, signalling each changed key for WATCH.
 */
#include <ctype.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/match.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_string.h"

#define ERR_NO_SUCH_KEY	"-ERR no such key\r\n"
#define ERR_SAME_OBJECT	"-ERR source and destination objects are the same\r\n"
#define ERR_DB_RANGE	"-ERR DB index is out of range\r\n"
#define ERR_BUSYKEY	"-BUSYKEY Target key name already exists.\r\n"

static bool
offline(const struct cmd_ctx *ctx)
{
	return store_get_mode(ctx->srv->store) == STORE_OFFLINE;
}

/*
 * Redis' getIntFromObjectOrReply: an int64, then the int range. With msg, every failure
 * answers msg; without, Redis' two generic errors.
 */
static bool
arg_int(struct cmd_ctx *ctx, int i, int *out, const char *msg)
{
	int64_t v;

	if (!num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, &v)) {
		cmd_reply_error(ctx, "ERR %s", msg ? msg : "value is not an integer or out of range");
		return false;
	}
	if (v < INT_MIN || v > INT_MAX) {
		if (msg)
			cmd_reply_error(ctx, "ERR %s", msg);
		else
			cmd_reply_error(ctx, "ERR value is out of range, value must between %d and %d",
			    INT_MIN, INT_MAX);
		return false;
	}
	*out = (int)v;
	return true;
}

/* The db with index id, or NULL (after replying "DB index is out of range"). */
static struct db *
db_by_index(struct cmd_ctx *ctx, int id)
{
	if (id < 0 || (unsigned)id >= store_ndb(ctx->srv->store)) {
		resp_add_const(ctx->out, ERR_DB_RANGE);
		return NULL;
	}
	return store_db(ctx->srv->store, (unsigned)id);
}

/* ---- existence, type, TTL ---- */

void
cmd_exists(struct cmd_ctx *ctx)
{
	int64_t n = 0;

	for (int i = 1; i < ctx->argc; i++)
		n += cmd_lookup_peek(ctx, &ctx->argv[i]) != NULL;
	resp_add_int(ctx->out, n);
}

void
cmd_touch(struct cmd_ctx *ctx)
{
	int64_t n = 0;

	for (int i = 1; i < ctx->argc; i++)
		n += cmd_lookup_read(ctx, &ctx->argv[i]) != NULL;
	resp_add_int(ctx->out, n);
}

void
cmd_type(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_peek(ctx, &ctx->argv[1]);
	const char *name = o ? obj_type_name(obj_type(o)) : "none";

	resp_add_simple(ctx->out, name, strlen(name));
}

/* TTL, PTTL, EXPIRETIME, PEXPIRETIME (Redis' ttlGenericCommand). */
static void
ttl_generic(struct cmd_ctx *ctx, bool ms, bool absolute)
{
	struct obj *o = cmd_lookup_peek(ctx, &ctx->argv[1]);
	int64_t when, ttl;

	if (o == NULL) {
		resp_add_int(ctx->out, -2);
		return;
	}
	when = obj_expire(o);
	if (when == OBJ_NO_EXPIRE) {
		resp_add_int(ctx->out, -1);
		return;
	}
	ttl = absolute ? when : when - ctx->now_ms;
	if (ttl < 0)
		ttl = 0;
	if (!ms)	/* to the nearest second, without overflow near INT64_MAX (as Redis' build) */
		ttl = (int64_t)(((uint64_t)ttl + 500) / 1000);
	resp_add_int(ctx->out, ttl);
}

void
cmd_ttl(struct cmd_ctx *ctx)
{
	ttl_generic(ctx, false, false);
}

void
cmd_pttl(struct cmd_ctx *ctx)
{
	ttl_generic(ctx, true, false);
}

void
cmd_expiretime(struct cmd_ctx *ctx)
{
	ttl_generic(ctx, false, true);
}

void
cmd_pexpiretime(struct cmd_ctx *ctx)
{
	ttl_generic(ctx, true, true);
}

/* ---- KEYS, SCAN, RANDOMKEY ---- */

/* Keys gathered for a reply: the store's objects, valid until the command changes the db. */
struct key_list {
	const struct obj **v;
	size_t n, cap;
	const struct glob *match;	/* NULL: every key */
	const char *type;		/* SCAN TYPE (up to a NUL), or NULL */
	size_t type_len;
	struct cmd_ctx *ctx;
};

static void
key_list_push(struct key_list *l, const struct obj *o)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = o;
}

static void
key_list_reply(struct cmd_ctx *ctx, const struct key_list *l)
{
	resp_add_array(ctx->out, l->n);
	for (size_t i = 0; i < l->n; i++) {
		size_t klen;
		const char *k = obj_key(l->v[i], &klen);

		resp_add_bulk(ctx->out, k, klen);
	}
}

/* store_scan callback: keeps the keys that pass the pattern and the type filter. */
static void
key_list_filter(struct obj *o, void *arg)
{
	struct key_list *l = arg;

	if (l->match != NULL) {
		size_t klen;
		const char *k = obj_key(o, &klen);

		if (!glob_match(l->match, k, klen))
			return;
	}
	if (l->type != NULL) {
		const char *name = obj_type_name(obj_type(o));

		/* Redis looks each candidate up to learn its type: a keyspace hit. */
		l->ctx->srv->stats.keyspace_hits++;
		if (strlen(name) != l->type_len || strncasecmp(name, l->type, l->type_len) != 0)
			return;
	}
	key_list_push(l, o);
}

void
cmd_keys(struct cmd_ctx *ctx)
{
	struct key_list l = { .ctx = ctx };
	struct glob g;
	const char *key;
	size_t klen;

	glob_compile(&g, ctx->argv[1].ptr, ctx->argv[1].len, false);
	if (glob_is_exact(&g, &key, &klen)) {
		/* Redis walks every key; one lookup finds the only one that can match. */
		struct obj *o = store_lookup_peek(ctx->db, key, klen, ctx->now_ms);

		if (o != NULL)
			key_list_push(&l, o);
	} else {
		if (!glob_is_match_all(&g))
			l.match = &g;
		store_scan(ctx->db, 0, SIZE_MAX, ctx->now_ms, key_list_filter, &l);
	}
	key_list_reply(ctx, &l);
	xfree(l.v);
}

/*
 * A SCAN cursor as Redis reads it with strtoul(): an optional sign (a negative value wraps),
 * decimal digits, up to the first NUL; leading space, trailing junk and overflow are invalid,
 * the empty string is 0.
 */
bool
cmd_parse_cursor(const struct resp_arg *a, uint64_t *out)
{
	const char *s = a->ptr;
	size_t n = cmd_arg_cstrlen(a), i = 0;
	uint64_t v = 0;
	bool neg = false;

	if (n == 0) {
		*out = 0;
		return true;
	}
	if (isspace((unsigned char)s[0]))
		return false;
	if (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-';
		i++;
	}
	if (i == n || !isdigit((unsigned char)s[i]))
		return false;
	for (; i < n && isdigit((unsigned char)s[i]); i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (i != n)
		return false;
	*out = neg ? (uint64_t)0 - v : v;
	return true;
}

void
cmd_scan(struct cmd_ctx *ctx)
{
	struct key_list l = { .ctx = ctx };
	uint64_t cursor;
	int64_t count = 10;
	struct glob g;

	if (!cmd_parse_cursor(&ctx->argv[1], &cursor)) {
		cmd_reply_error(ctx, "ERR invalid cursor");
		return;
	}
	for (int i = 2; i < ctx->argc; i += 2) {
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

			/* A later MATCH replaces an earlier one, as in Redis. */
			glob_compile(&g, p->ptr, p->len, false);
			l.match = glob_is_match_all(&g) ? NULL : &g;
		} else if (more && cmd_arg_is(ctx, i, "type")) {
			l.type = ctx->argv[i + 1].ptr;
			l.type_len = cmd_arg_cstrlen(&ctx->argv[i + 1]);
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	cursor = store_scan(ctx->db, cursor, (size_t)count, ctx->now_ms, key_list_filter, &l);
	resp_add_array(ctx->out, 2);
	/* Redis replies with the unsigned cursor cast to a signed long long. */
	resp_add_bulk_i64(ctx->out, (int64_t)cursor);
	key_list_reply(ctx, &l);
	xfree(l.v);
}

void
cmd_randomkey(struct cmd_ctx *ctx)
{
	struct obj *o = store_random_key(ctx->db, ctx->now_ms);
	const char *k;
	size_t klen;

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	k = obj_key(o, &klen);
	resp_add_bulk(ctx->out, k, klen);
}

/* ---- OBJECT, MEMORY USAGE ---- */

void
cmd_object_encoding(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_peek(ctx, &ctx->argv[2]);
	const char *name;

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	name = obj_encoding_name(obj_encoding(o));
	resp_add_bulk(ctx->out, name, strlen(name));
}

/*
 * Redis counts references; replicant does not share values, so storage answers what Redis
 * would for the same value and history (obj_refcount: shared small integers, COPY's private
 * duplicate).
 */
void
cmd_object_refcount(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_peek(ctx, &ctx->argv[2]);

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	resp_add_int(ctx->out, obj_refcount(o));
}

void
cmd_object_idletime(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_peek(ctx, &ctx->argv[2]);

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	resp_add_int(ctx->out, obj_idle_seconds(o, ctx->now_ms));
}

/* Access frequency exists only under an LFU policy; replicant's policy is noeviction. */
void
cmd_object_freq(struct cmd_ctx *ctx)
{
	if (cmd_lookup_peek(ctx, &ctx->argv[2]) == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	cmd_reply_error(ctx, "ERR An LFU maxmemory policy is not selected, access frequency not "
	    "tracked. Please note that when switching between policies at runtime LRU and LFU data "
	    "will take some time to adjust.");
}

void
cmd_object_help(struct cmd_ctx *ctx)
{
	static const char *const lines[] = {
		"ENCODING <key>",
		"    Return the kind of internal representation used in order to store the value",
		"    associated with a <key>.",
		"FREQ <key>",
		"    Return the access frequency index of the <key>. The returned integer is",
		"    proportional to the logarithm of the recent access frequency of the key.",
		"IDLETIME <key>",
		"    Return the idle time of the <key>, that is the approximated number of",
		"    seconds elapsed since the last access to the key.",
		"REFCOUNT <key>",
		"    Return the number of references of the value associated with the specified",
		"    <key>.",
		NULL,
	};

	cmd_reply_help(ctx, lines);
}

void
cmd_memory_usage(struct cmd_ctx *ctx)
{
	struct obj *o;

	/* SAMPLES bounds the sampling of nested values; strings have none to sample. */
	for (int i = 3; i < ctx->argc; i++) {
		int64_t samples;

		if (!cmd_arg_is(ctx, i, "samples") || i + 1 >= ctx->argc) {
			cmd_reply_syntax_error(ctx);
			return;
		}
		if (!cmd_arg_i64(ctx, i + 1, &samples))
			return;
		if (samples < 0) {
			cmd_reply_syntax_error(ctx);
			return;
		}
		i++;
	}
	/* Redis reads the table directly here: an expired key not yet removed still counts. */
	o = store_lookup_any(ctx->db, ctx->argv[2].ptr, ctx->argv[2].len);
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	resp_add_int(ctx->out, (int64_t)obj_mem_usage(o));
}

void
cmd_memory_help(struct cmd_ctx *ctx)
{
	static const char *const lines[] = {
		"DOCTOR",
		"    Return memory problems reports.",
		"MALLOC-STATS",
		"    Return internal statistics report from the memory allocator.",
		"PURGE",
		"    Attempt to purge dirty pages for reclamation by the allocator.",
		"STATS",
		"    Return information about the memory usage of the server.",
		"USAGE <key> [SAMPLES <count>]",
		"    Return memory in bytes used by <key> and its value. Nested values are",
		"    sampled up to <count> times (default: 5, 0 means sample all).",
		NULL,
	};

	cmd_reply_help(ctx, lines);
}

/* ---- DUMP, RESTORE ---- */

void
cmd_dump(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);
	struct rdb_buf b = { 0 };

	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	rdb_dump_obj(&b, o);
	resp_add_bulk(ctx->out, b.p, b.len);
	rdb_buf_free(&b);
}

void
cmd_restore(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *payload = &ctx->argv[3];
	const unsigned char *pl = (const unsigned char *)payload->ptr;
	int64_t ttl, idle = -1, freq = -1;
	bool replace = false, absttl = false, deleted = false;
	struct rdb_string str;
	struct obj_value v;
	struct obj *o;
	size_t pos;

	for (int i = 4; i < ctx->argc; i++) {
		bool more = ctx->argc - i - 1 >= 1;

		if (cmd_arg_is(ctx, i, "replace")) {
			replace = true;
		} else if (cmd_arg_is(ctx, i, "absttl")) {
			absttl = true;
		} else if (cmd_arg_is(ctx, i, "idletime") && more && freq == -1) {
			if (!cmd_arg_i64(ctx, i + 1, &idle))
				return;
			if (idle < 0) {
				cmd_reply_error(ctx, "ERR Invalid IDLETIME value, must be >= 0");
				return;
			}
			i++;
		} else if (cmd_arg_is(ctx, i, "freq") && more && idle == -1) {
			if (!cmd_arg_i64(ctx, i + 1, &freq))
				return;
			if (freq < 0 || freq > 255) {
				cmd_reply_error(ctx, "ERR Invalid FREQ value, must be >= 0 and <= 255");
				return;
			}
			i++;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (!replace && cmd_lookup_write(ctx, key) != NULL) {
		resp_add_const(ctx->out, ERR_BUSYKEY);
		return;
	}
	if (!cmd_arg_i64(ctx, 2, &ttl))
		return;
	if (ttl < 0) {
		cmd_reply_error(ctx, "ERR Invalid TTL value, must be >= 0");
		return;
	}
	if (!rdb_dump_verify(payload->ptr, payload->len)) {
		cmd_reply_error(ctx, "ERR DUMP payload version or checksum are wrong");
		return;
	}
	/* Like Redis, the value is read from the whole payload, trailer included. */
	pos = 1;
	if (payload->len < 1 || !rdb_restore_type_ok(pl[0]) ||
	    rdb_load_object(pl[0], pl, payload->len, &pos, true, &v, &str) != RDB_RESTORE_OK) {
		cmd_reply_error(ctx, "ERR Bad data format");
		return;
	}
	if (replace && store_lookup_any(ctx->db, key->ptr, key->len) != NULL) {
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
		deleted = true;
	}
	if (ttl != 0 && !absttl)	/* wraps on overflow, as Redis' addition does */
		ttl = (int64_t)((uint64_t)ttl + (uint64_t)ctx->now_ms);
	/* A TTL already past: nothing is created (a replica keeps it for the primary's DEL). */
	if (ttl != 0 && ttl <= ctx->now_ms && offline(ctx)) {
		if (deleted)
			cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
		obj_value_discard(&v);
		rdb_string_free(&str);
		cmd_reply_ok(ctx);
		return;
	}
	o = store_set_value(ctx->db, key->ptr, key->len, &v, ttl != 0 ? ttl : OBJ_NO_EXPIRE,
	    ctx->now_ms);
	rdb_string_free(&str);
	/* FREQ only applies under an LFU policy, which replicant never has. */
	if (idle >= 0)
		obj_set_idle_seconds(o, idle, ctx->now_ms);
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
	cmd_reply_ok(ctx);
}

/* ---- DEL, UNLINK, EXPIRE family, PERSIST ---- */

static void
del_generic(struct cmd_ctx *ctx)
{
	int64_t n = 0;

	for (int i = 1; i < ctx->argc; i++) {
		const struct resp_arg *k = &ctx->argv[i];
		bool present = store_lookup_any(ctx->db, k->ptr, k->len) != NULL;

		/* An expired key removed on the way counts as a change too, as in Redis. */
		n += store_delete(ctx->db, k->ptr, k->len, ctx->now_ms);
		if (present)
			cmd_signal_modified(ctx, ctx->db, k->ptr, k->len);
	}
	resp_add_int(ctx->out, n);
}

void
cmd_del(struct cmd_ctx *ctx)
{
	del_generic(ctx);
}

/* The value is freed at once: a string costs no more to free than to hand to a thread. */
void
cmd_unlink(struct cmd_ctx *ctx)
{
	del_generic(ctx);
}

enum {
	EXPIRE_NX = 1 << 0,
	EXPIRE_XX = 1 << 1,
	EXPIRE_GT = 1 << 2,
	EXPIRE_LT = 1 << 3,
};

/* Redis' parseExtendedExpireArgumentsOrReply: options from argv[3] on. */
static bool
expire_flags(struct cmd_ctx *ctx, unsigned *flags)
{
	for (int i = 3; i < ctx->argc; i++) {
		if (cmd_arg_is(ctx, i, "nx")) {
			*flags |= EXPIRE_NX;
		} else if (cmd_arg_is(ctx, i, "xx")) {
			*flags |= EXPIRE_XX;
		} else if (cmd_arg_is(ctx, i, "gt")) {
			*flags |= EXPIRE_GT;
		} else if (cmd_arg_is(ctx, i, "lt")) {
			*flags |= EXPIRE_LT;
		} else {
			cmd_reply_error(ctx, "ERR Unsupported option %.*s", (int)cmd_arg_cstrlen(&ctx->argv[i]),
			    ctx->argv[i].ptr);
			return false;
		}
	}
	if ((*flags & EXPIRE_NX) && (*flags & (EXPIRE_XX | EXPIRE_GT | EXPIRE_LT))) {
		cmd_reply_error(ctx, "ERR NX and XX, GT or LT options at the same time are not "
		    "compatible");
		return false;
	}
	if ((*flags & EXPIRE_GT) && (*flags & EXPIRE_LT)) {
		cmd_reply_error(ctx, "ERR GT and LT options at the same time are not compatible");
		return false;
	}
	return true;
}

/*
 * EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (Redis' expireGenericCommand): the time argument, in
 * seconds or ms, is relative to base (now) or absolute (base 0).
 */
static void
expire_generic(struct cmd_ctx *ctx, int64_t base, bool seconds, const char *name)
{
	const struct resp_arg *key = &ctx->argv[1];
	unsigned flags = 0;
	int64_t when, cur;
	struct obj *o;

	if (!expire_flags(ctx, &flags) || !cmd_arg_i64(ctx, 2, &when))
		return;
	if ((seconds && (when > INT64_MAX / 1000 || when < INT64_MIN / 1000)) ||
	    (seconds ? when * 1000 : when) > INT64_MAX - base) {
		cmd_reply_error(ctx, "ERR invalid expire time in '%s' command", name);
		return;
	}
	when = (seconds ? when * 1000 : when) + base;
	o = cmd_lookup_write(ctx, key);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	cur = obj_expire(o) == OBJ_NO_EXPIRE ? -1 : obj_expire(o);
	if (((flags & EXPIRE_NX) && cur != -1) || ((flags & EXPIRE_XX) && cur == -1) ||
	    ((flags & EXPIRE_GT) && (when <= cur || cur == -1)) ||
	    ((flags & EXPIRE_LT) && cur != -1 && when >= cur)) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	/* A time already past deletes the key, except on a replica (the primary sends a DEL). */
	if (when <= ctx->now_ms && offline(ctx))
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
	else
		store_set_expire(ctx->db, o, when);
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
	resp_add_const(ctx->out, RESP_C_ONE);
}

void
cmd_expire(struct cmd_ctx *ctx)
{
	expire_generic(ctx, ctx->now_ms, true, "expire");
}

void
cmd_pexpire(struct cmd_ctx *ctx)
{
	expire_generic(ctx, ctx->now_ms, false, "pexpire");
}

void
cmd_expireat(struct cmd_ctx *ctx)
{
	expire_generic(ctx, 0, true, "expireat");
}

void
cmd_pexpireat(struct cmd_ctx *ctx)
{
	expire_generic(ctx, 0, false, "pexpireat");
}

void
cmd_persist(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);

	if (o == NULL || obj_expire(o) == OBJ_NO_EXPIRE) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	store_set_expire(ctx->db, o, OBJ_NO_EXPIRE);
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
	resp_add_const(ctx->out, RESP_C_ONE);
}

/* ---- RENAME, RENAMENX, MOVE, COPY ---- */

static void
rename_generic(struct cmd_ctx *ctx, bool nx)
{
	const struct resp_arg *src = &ctx->argv[1], *dst = &ctx->argv[2];
	bool same = src->len == dst->len && memcmp(src->ptr, dst->ptr, src->len) == 0;

	switch (store_rename(ctx->db, src->ptr, src->len, dst->ptr, dst->len, nx, ctx->now_ms)) {
	case STORE_NOT_FOUND:
		resp_add_const(ctx->out, ERR_NO_SUCH_KEY);
		return;
	case STORE_EXISTS:
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	case STORE_OK:
		break;
	}
	if (!same) {
		cmd_signal_modified(ctx, ctx->db, src->ptr, src->len);
		cmd_signal_modified(ctx, ctx->db, dst->ptr, dst->len);
	}
	if (nx)
		resp_add_const(ctx->out, RESP_C_ONE);
	else
		cmd_reply_ok(ctx);
}

void
cmd_rename(struct cmd_ctx *ctx)
{
	rename_generic(ctx, false);
}

void
cmd_renamenx(struct cmd_ctx *ctx)
{
	rename_generic(ctx, true);
}

void
cmd_move(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct db *to;
	int id;

	if (!arg_int(ctx, 2, &id, NULL) || (to = db_by_index(ctx, id)) == NULL)
		return;
	if (to == ctx->db) {
		resp_add_const(ctx->out, ERR_SAME_OBJECT);
		return;
	}
	if (store_move(ctx->db, to, key->ptr, key->len, ctx->now_ms) != STORE_OK) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
	cmd_signal_modified(ctx, to, key->ptr, key->len);
	resp_add_const(ctx->out, RESP_C_ONE);
}

void
cmd_copy(struct cmd_ctx *ctx)
{
	const struct resp_arg *src = &ctx->argv[1], *dst = &ctx->argv[2];
	struct db *to = ctx->db;
	bool replace = false;

	for (int i = 3; i < ctx->argc; i++) {
		int id;

		if (cmd_arg_is(ctx, i, "replace")) {
			replace = true;
		} else if (cmd_arg_is(ctx, i, "db") && i + 1 < ctx->argc) {
			if (!arg_int(ctx, i + 1, &id, NULL) || (to = db_by_index(ctx, id)) == NULL)
				return;
			i++;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (to == ctx->db && src->len == dst->len && memcmp(src->ptr, dst->ptr, src->len) == 0) {
		resp_add_const(ctx->out, ERR_SAME_OBJECT);
		return;
	}
	/* Redis reads the source as a read (access time, keyspace hit or miss). */
	if (cmd_lookup_read(ctx, src) == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (store_copy(ctx->db, src->ptr, src->len, to, dst->ptr, dst->len, replace,
	    ctx->now_ms) != STORE_OK) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	cmd_signal_modified(ctx, to, dst->ptr, dst->len);
	resp_add_const(ctx->out, RESP_C_ONE);
}

/* ---- SWAPDB, FLUSHDB, FLUSHALL ---- */

void
cmd_swapdb(struct cmd_ctx *ctx)
{
	struct store *s = ctx->srv->store;
	int a, b;

	if (!arg_int(ctx, 1, &a, "invalid first DB index") ||
	    !arg_int(ctx, 2, &b, "invalid second DB index"))
		return;
	if (a < 0 || b < 0 || (unsigned)a >= store_ndb(s) || (unsigned)b >= store_ndb(s)) {
		resp_add_const(ctx->out, ERR_DB_RANGE);
		return;
	}
	if (a != b) {
		cmd_signal_swapped(ctx, store_db(s, (unsigned)a), store_db(s, (unsigned)b));
		store_swapdb(s, (unsigned)a, (unsigned)b);
	}
	cmd_reply_ok(ctx);
}

/*
 * Checks FLUSHDB/FLUSHALL's option, [SYNC|ASYNC]. Both free at once for now: ASYNC wants a
 * background thread that frees what store_flushdb_detach hands it, and that thread belongs to
 * the server (full sync needs the same one for the old keyspace), not to one command. The
 * reply is the same either way.
 */
static bool
flush_mode(struct cmd_ctx *ctx)
{
	if (ctx->argc == 1 ||
	    (ctx->argc == 2 && (cmd_arg_is(ctx, 1, "sync") || cmd_arg_is(ctx, 1, "async"))))
		return true;
	cmd_reply_syntax_error(ctx);
	return false;
}

void
cmd_flushdb(struct cmd_ctx *ctx)
{
	if (!flush_mode(ctx))
		return;
	cmd_signal_flushed(ctx, ctx->db);
	store_flushdb(ctx->db);
	cmd_reply_ok(ctx);
}

void
cmd_flushall(struct cmd_ctx *ctx)
{
	if (!flush_mode(ctx))
		return;
	cmd_signal_flushed(ctx, NULL);
	store_flushall(ctx->srv->store);
	cmd_reply_ok(ctx);
}
