/*
 * cmd_string.c: the string and bitmap commands (rows in string.def): GET/SET and their
 * variants, counters, ranges, SETBIT/GETBIT/BITCOUNT/BITPOS/BITOP, BITFIELD and LCS.
 *
 * Data flow: dispatch (server/dispatch.c) has checked arity and the right to write; a handler
 * parses its arguments in Redis 7.0's order, so that the first error Redis would report is the
 * one replied, runs the operation through storage/t_string.h, and replies. Every write
 * signals the keys it changed exactly when Redis' t_string.c and bitops.c call
 * signalModifiedKey, so WATCH aborts a transaction in the same cases.
 *
 * Lookups: writes look keys up with cmd_lookup_write, also where Redis reads inside a write
 * (SET GET, GETSET, GETDEL, GETEX): a replica must see what its primary saw, expired keys
 * included. Those reads count INFO's keyspace hits and misses as Redis' lookupKeyRead does.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/store.h"
#include "storage/t_string.h"

#define ERR_NOT_INT		"ERR value is not an integer or out of range"
#define ERR_NOT_FLOAT		"ERR value is not a valid float"
#define ERR_BIT_OFFSET		"ERR bit offset is not an integer or out of range"
#define ERR_BIT_VALUE		"ERR bit is not an integer or out of range"
#define ERR_TOO_BIG		"ERR string exceeds maximum allowed size (proto-max-bulk-len)"
#define ERR_BF_TYPE		"ERR Invalid bitfield type. Use something like i16 u8. " \
				"Note that u64 is not supported but i64 is."

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* Replies with the value of string o as a bulk string. */
static void
reply_string(struct cmd_ctx *ctx, const struct obj *o)
{
	char ibuf[TSTR_INT_BUF];
	const char *p;
	size_t len;

	if (obj_encoding(o) == OBJ_ENC_INT) {
		resp_add_bulk_i64(ctx->out, obj_int(o));
		return;
	}
	p = tstr_get(o, ibuf, &len);
	resp_add_bulk(ctx->out, p, len);
}

/* Replies with the error of a failed storage operation. */
static void
reply_tstr_error(struct cmd_ctx *ctx, enum tstr_result rc)
{
	switch (rc) {
	case TSTR_OK:
		break;
	case TSTR_WRONGTYPE:
		cmd_reply_wrongtype(ctx);
		break;
	case TSTR_NOT_INT:
		cmd_reply_error(ctx, ERR_NOT_INT);
		break;
	case TSTR_OVERFLOW:
		cmd_reply_error(ctx, "ERR increment or decrement would overflow");
		break;
	case TSTR_NOT_FLOAT:
		cmd_reply_error(ctx, ERR_NOT_FLOAT);
		break;
	case TSTR_NAN_INF:
		cmd_reply_error(ctx, "ERR increment would produce NaN or Infinity");
		break;
	case TSTR_LCS_TOO_LONG:
		cmd_reply_error(ctx, "ERR String too long for LCS");
		break;
	case TSTR_LCS_TOO_BIG:
		cmd_reply_error(ctx, "ERR Insufficient memory, transient memory for LCS exceeds "
		    "proto-max-bulk-len");
		break;
	}
}

/*
 * Redis' checkStringLength: a string of size + append bytes must fit proto-max-bulk-len
 * (without wrapping). Replies and returns false if not. The primary is never refused.
 */
static bool
check_string_length(struct cmd_ctx *ctx, uint64_t size, uint64_t append)
{
	uint64_t total = size + append;

	if (cmd_from_primary(ctx))
		return true;
	if (total > ctx->srv->cfg->proto_max_bulk_len || total < size || total > INT64_MAX) {
		cmd_reply_error(ctx, ERR_TOO_BIG);
		return false;
	}
	return true;
}

/* Options of SET (and, the EX..PXAT/PERSIST subset, of GETEX). */
enum {
	OPT_NX		= 1 << 0,
	OPT_XX		= 1 << 1,
	OPT_GET		= 1 << 2,
	OPT_KEEPTTL	= 1 << 3,
	OPT_PERSIST	= 1 << 4,
	OPT_EX		= 1 << 5,
	OPT_PX		= 1 << 6,
	OPT_EXAT	= 1 << 7,
	OPT_PXAT	= 1 << 8,
};

#define OPT_ANY_EXPIRE (OPT_EX | OPT_PX | OPT_EXAT | OPT_PXAT)

/*
 * Parses SET's options (set true, from argv[3]) or GETEX's (from argv[2]) as Redis'
 * parseExtendedStringArgumentsOrReply: an option that conflicts with one seen before, or that
 * the command does not take, is a syntax error. Sets *flags and *expire (the time argument, or
 * NULL). Replies and returns false on error.
 */
static bool
parse_ext_args(struct cmd_ctx *ctx, bool set, unsigned *flags, const struct resp_arg **expire)
{
	static const struct {
		const char *word;
		unsigned flag;
		unsigned conflicts;
	} timed[] = {
		{ "EX", OPT_EX, OPT_KEEPTTL | OPT_PERSIST | OPT_EXAT | OPT_PX | OPT_PXAT },
		{ "PX", OPT_PX, OPT_KEEPTTL | OPT_PERSIST | OPT_EX | OPT_EXAT | OPT_PXAT },
		{ "EXAT", OPT_EXAT, OPT_KEEPTTL | OPT_PERSIST | OPT_EX | OPT_PX | OPT_PXAT },
		{ "PXAT", OPT_PXAT, OPT_KEEPTTL | OPT_PERSIST | OPT_EX | OPT_EXAT | OPT_PX },
	};

	*flags = 0;
	*expire = NULL;
	for (int j = set ? 3 : 2; j < ctx->argc; j++) {
		const struct resp_arg *a = &ctx->argv[j];
		bool more = j + 1 < ctx->argc;
		size_t t;

		if (set && cmd_word_is(a, "NX") && !(*flags & OPT_XX)) {
			*flags |= OPT_NX;
			continue;
		}
		if (set && cmd_word_is(a, "XX") && !(*flags & OPT_NX)) {
			*flags |= OPT_XX;
			continue;
		}
		if (set && cmd_word_is(a, "GET")) {
			*flags |= OPT_GET;
			continue;
		}
		if (set && cmd_word_is(a, "KEEPTTL") && !(*flags & (OPT_PERSIST | OPT_ANY_EXPIRE))) {
			*flags |= OPT_KEEPTTL;
			continue;
		}
		if (!set && cmd_word_is(a, "PERSIST") && !(*flags & (OPT_KEEPTTL | OPT_ANY_EXPIRE))) {
			*flags |= OPT_PERSIST;
			continue;
		}
		for (t = 0; t < sizeof(timed) / sizeof(timed[0]); t++)
			if (cmd_word_is(a, timed[t].word))
				break;
		if (t < sizeof(timed) / sizeof(timed[0]) && !(*flags & timed[t].conflicts) && more) {
			*flags |= timed[t].flag;
			*expire = &ctx->argv[++j];
			continue;
		}
		cmd_reply_syntax_error(ctx);
		return false;
	}
	return true;
}

/*
 * Redis' getExpireMillisecondsOrReply: turns the time argument of EX/PX (relative to now) or
 * EXAT/PXAT (absolute) into an absolute unix ms time. Non-positive times and overflows are
 * "invalid expire time in '<cmd>' command". Replies and returns false on error.
 */
static bool
expire_ms(struct cmd_ctx *ctx, const struct resp_arg *arg, unsigned flags, const char *cmd,
    int64_t *out)
{
	bool seconds = (flags & (OPT_EX | OPT_EXAT)) != 0;
	int64_t ms;

	if (!num_parse_i64(arg->ptr, arg->len, &ms)) {
		cmd_reply_error(ctx, ERR_NOT_INT);
		return false;
	}
	if (ms <= 0 || (seconds && ms > INT64_MAX / 1000))
		goto invalid;
	if (seconds)
		ms *= 1000;
	if (flags & (OPT_EX | OPT_PX)) {
		/* Redis' sum wraps negative on overflow, which it then rejects. */
		if (ms > INT64_MAX - ctx->now_ms)
			goto invalid;
		ms += ctx->now_ms;
	}
	if (ms <= 0)
		goto invalid;
	*out = ms;
	return true;
invalid:
	cmd_reply_error(ctx, "ERR invalid expire time in '%s' command", cmd);
	return false;
}

/*
 * Replies with key's value as GET does (null if absent). Returns false if the key holds
 * another type (WRONGTYPE replied). A write's read: see lookup_counted.
 */
static bool
reply_get(struct cmd_ctx *ctx, const struct resp_arg *key, struct obj **op)
{
	struct obj *o = cmd_lookup_write_counted(ctx, key);

	*op = o;
	if (o == NULL) {
		resp_add_null(ctx->out);
		return true;
	}
	if (obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return false;
	}
	reply_string(ctx, o);
	return true;
}

/*
 * SET, SETEX, PSETEX and SETNX (Redis' setGenericCommand). ok and abort are the replies when
 * the value was set or when NX/XX prevented it (NULL: +OK and a null bulk).
 */
static void
set_generic(struct cmd_ctx *ctx, unsigned flags, const struct resp_arg *val,
    const struct resp_arg *expire, const char *cmd, const char *ok, const char *abort)
{
	const struct resp_arg *key = &ctx->argv[1];
	int64_t when = OBJ_NO_EXPIRE;
	struct obj *o;
	bool found;

	if (expire != NULL && !expire_ms(ctx, expire, flags, cmd, &when))
		return;
	if ((flags & OPT_GET) && !reply_get(ctx, key, &o))
		return;
	/* Without NX or XX the old value does not matter: tstr_set replaces it. */
	found = (flags & (OPT_NX | OPT_XX)) && cmd_lookup_write(ctx, key) != NULL;
	if (((flags & OPT_NX) && found) || ((flags & OPT_XX) && !found)) {
		if (flags & OPT_GET)
			return;
		if (abort != NULL)
			resp_add_raw(ctx->out, abort, strlen(abort));
		else
			resp_add_null(ctx->out);
		return;
	}
	if (flags & OPT_KEEPTTL)
		when = STORE_KEEP_TTL;
	tstr_set(ctx->db, key->ptr, key->len, val->ptr, val->len, when, ctx->now_ms);
	signal_key(ctx, key);
	if (flags & OPT_GET)
		return;
	if (ok != NULL)
		resp_add_raw(ctx->out, ok, strlen(ok));
	else
		cmd_reply_ok(ctx);
}

void
cmd_set(struct cmd_ctx *ctx)
{
	const struct resp_arg *expire;
	unsigned flags;

	if (!parse_ext_args(ctx, true, &flags, &expire))
		return;
	set_generic(ctx, flags, &ctx->argv[2], expire, "set", NULL, NULL);
}

void
cmd_setnx(struct cmd_ctx *ctx)
{
	set_generic(ctx, OPT_NX, &ctx->argv[2], NULL, "setnx", RESP_C_ONE, RESP_C_ZERO);
}

void
cmd_setex(struct cmd_ctx *ctx)
{
	set_generic(ctx, OPT_EX, &ctx->argv[3], &ctx->argv[2], "setex", NULL, NULL);
}

void
cmd_psetex(struct cmd_ctx *ctx)
{
	set_generic(ctx, OPT_PX, &ctx->argv[3], &ctx->argv[2], "psetex", NULL, NULL);
}

void
cmd_get(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);

	if (o == NULL)
		resp_add_null(ctx->out);
	else if (obj_type(o) != OBJ_STRING)
		cmd_reply_wrongtype(ctx);
	else
		reply_string(ctx, o);
}

void
cmd_getset(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *val = &ctx->argv[2];
	struct obj *o;

	if (!reply_get(ctx, key, &o))
		return;
	tstr_set(ctx->db, key->ptr, key->len, val->ptr, val->len, OBJ_NO_EXPIRE, ctx->now_ms);
	signal_key(ctx, key);
}

void
cmd_getdel(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o;

	if (!reply_get(ctx, key, &o) || o == NULL)
		return;
	if (store_delete(ctx->db, key->ptr, key->len, ctx->now_ms))
		signal_key(ctx, key);
}

void
cmd_getex(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *expire;
	int64_t when = 0;
	unsigned flags;
	struct obj *o;

	if (!parse_ext_args(ctx, false, &flags, &expire))
		return;
	o = cmd_lookup_write_counted(ctx, key);
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	if (obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	if (expire != NULL && !expire_ms(ctx, expire, flags, "getex", &when))
		return;
	reply_string(ctx, o);
	/*
	 * An absolute time already past deletes the key, except on a replica (Redis'
	 * checkAlreadyExpired), where the primary's DEL is awaited.
	 */
	if ((flags & (OPT_EXAT | OPT_PXAT)) && when <= ctx->now_ms &&
	    ctx->srv->cfg->replicaof_host == NULL) {
		store_delete(ctx->db, key->ptr, key->len, ctx->now_ms);
		signal_key(ctx, key);
	} else if (expire != NULL) {
		store_set_expire(ctx->db, o, when);
		signal_key(ctx, key);
	} else if ((flags & OPT_PERSIST) && obj_expire(o) != OBJ_NO_EXPIRE) {
		store_set_expire(ctx->db, o, OBJ_NO_EXPIRE);
		signal_key(ctx, key);
	}
}

/* MGET prefetches the bucket lines of this many keys ahead of the one it looks up. */
#define MGET_PREFETCH 8

void
cmd_mget(struct cmd_ctx *ctx)
{
	int ahead = ctx->argc < 1 + MGET_PREFETCH ? ctx->argc : 1 + MGET_PREFETCH;

	/* At a million keys each lookup waits for memory; started together, the waits overlap. */
	for (int j = 1; j < ahead; j++)
		store_prefetch(ctx->db, ctx->argv[j].ptr, ctx->argv[j].len);
	resp_add_array(ctx->out, (size_t)ctx->argc - 1);
	for (int j = 1; j < ctx->argc; j++) {
		struct obj *o;

		if (j + MGET_PREFETCH < ctx->argc)
			store_prefetch(ctx->db, ctx->argv[j + MGET_PREFETCH].ptr,
			    ctx->argv[j + MGET_PREFETCH].len);
		o = cmd_lookup_read(ctx, &ctx->argv[j]);

		if (o == NULL || obj_type(o) != OBJ_STRING)
			resp_add_null(ctx->out);
		else
			reply_string(ctx, o);
	}
}

static void
mset_generic(struct cmd_ctx *ctx, bool nx)
{
	if (ctx->argc % 2 == 0) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for '%s' command",
		    nx ? "msetnx" : "mset");
		return;
	}
	if (nx) {
		for (int j = 1; j < ctx->argc; j += 2) {
			if (cmd_lookup_write(ctx, &ctx->argv[j]) != NULL) {
				resp_add_const(ctx->out, RESP_C_ZERO);
				return;
			}
		}
	}
	for (int j = 1; j < ctx->argc; j += 2) {
		const struct resp_arg *key = &ctx->argv[j], *val = &ctx->argv[j + 1];

		tstr_set(ctx->db, key->ptr, key->len, val->ptr, val->len, OBJ_NO_EXPIRE,
		    ctx->now_ms);
		signal_key(ctx, key);
	}
	if (nx)
		resp_add_const(ctx->out, RESP_C_ONE);
	else
		cmd_reply_ok(ctx);
}

void
cmd_mset(struct cmd_ctx *ctx)
{
	mset_generic(ctx, false);
}

void
cmd_msetnx(struct cmd_ctx *ctx)
{
	mset_generic(ctx, true);
}

void
cmd_strlen(struct cmd_ctx *ctx)
{
	struct obj *o = cmd_lookup_read(ctx, &ctx->argv[1]);

	if (o == NULL)
		resp_add_const(ctx->out, RESP_C_ZERO);
	else if (obj_type(o) != OBJ_STRING)
		cmd_reply_wrongtype(ctx);
	else
		resp_add_int(ctx->out, (int64_t)tstr_len(o));
}

/* GETRANGE and SUBSTR. */
void
cmd_getrange(struct cmd_ctx *ctx)
{
	int64_t start, end;
	char ibuf[TSTR_INT_BUF];
	const char *p;
	size_t len, from, n;
	struct obj *o;

	if (!cmd_arg_i64(ctx, 2, &start) || !cmd_arg_i64(ctx, 3, &end))
		return;
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_BULK);
		return;
	}
	if (obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	p = tstr_get(o, ibuf, &len);
	n = tstr_range(len, start, end, &from);
	resp_add_bulk(ctx->out, p + from, n);
}

void
cmd_append(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *val = &ctx->argv[2];
	struct obj *o = cmd_lookup_write(ctx, key);
	enum tstr_result rc;
	size_t newlen;

	if (o != NULL) {
		if (obj_type(o) != OBJ_STRING) {
			cmd_reply_wrongtype(ctx);
			return;
		}
		if (!check_string_length(ctx, tstr_len(o), val->len))
			return;
	}
	rc = tstr_append(ctx->db, key->ptr, key->len, val->ptr, val->len, ctx->now_ms, &newlen);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	signal_key(ctx, key);
	resp_add_int(ctx->out, (int64_t)newlen);
}

void
cmd_setrange(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1], *val = &ctx->argv[3];
	enum tstr_result rc;
	int64_t offset;
	size_t newlen;
	struct obj *o;

	if (!cmd_arg_i64(ctx, 2, &offset))
		return;
	if (offset < 0) {
		cmd_reply_error(ctx, "ERR offset is out of range");
		return;
	}
	o = cmd_lookup_write(ctx, key);
	if (o != NULL && obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	if (val->len == 0) {
		resp_add_int(ctx->out, o != NULL ? (int64_t)tstr_len(o) : 0);
		return;
	}
	if (!check_string_length(ctx, (uint64_t)offset, val->len))
		return;
	rc = tstr_setrange(ctx->db, key->ptr, key->len, (uint64_t)offset, val->ptr, val->len,
	    ctx->now_ms, &newlen);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	signal_key(ctx, key);
	resp_add_int(ctx->out, (int64_t)newlen);
}

static void
incr_generic(struct cmd_ctx *ctx, int64_t incr)
{
	const struct resp_arg *key = &ctx->argv[1];
	enum tstr_result rc;
	int64_t v;

	rc = tstr_incrby(ctx->db, key->ptr, key->len, incr, ctx->now_ms, &v);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	signal_key(ctx, key);
	resp_add_int(ctx->out, v);
}

void
cmd_incr(struct cmd_ctx *ctx)
{
	incr_generic(ctx, 1);
}

void
cmd_decr(struct cmd_ctx *ctx)
{
	incr_generic(ctx, -1);
}

void
cmd_incrby(struct cmd_ctx *ctx)
{
	int64_t incr;

	if (cmd_arg_i64(ctx, 2, &incr))
		incr_generic(ctx, incr);
}

void
cmd_decrby(struct cmd_ctx *ctx)
{
	int64_t incr;

	if (!cmd_arg_i64(ctx, 2, &incr))
		return;
	if (incr == INT64_MIN) {
		cmd_reply_error(ctx, "ERR decrement would overflow");
		return;
	}
	incr_generic(ctx, -incr);
}

void
cmd_incrbyfloat(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	char buf[TSTR_LD_BUF];
	enum tstr_result rc;
	long double incr;
	size_t len;

	if (!tstr_parse_ld(ctx->argv[2].ptr, ctx->argv[2].len, &incr)) {
		/* Redis checks the stored value (type, then number) before the increment. */
		struct obj *o = cmd_lookup_write(ctx, key);

		if (o != NULL && obj_type(o) != OBJ_STRING)
			cmd_reply_wrongtype(ctx);
		else
			cmd_reply_error(ctx, ERR_NOT_FLOAT);
		return;
	}
	rc = tstr_incrbyfloat(ctx->db, key->ptr, key->len, incr, ctx->now_ms, buf, &len);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	signal_key(ctx, key);
	resp_add_bulk(ctx->out, buf, len);
}

/* LCS key1 key2 [LEN] [IDX] [MINMATCHLEN len] [WITHMATCHLEN] */
void
cmd_lcs(struct cmd_ctx *ctx)
{
	char ibuf_a[TSTR_INT_BUF], ibuf_b[TSTR_INT_BUF];
	const char *a = "", *b = "";
	size_t alen = 0, blen = 0;
	bool getlen = false, getidx = false, withmatchlen = false;
	int64_t minmatchlen = 0;
	struct obj *oa, *ob;
	struct tstr_lcs l;
	enum tstr_result rc;

	oa = cmd_lookup_read(ctx, &ctx->argv[1]);
	ob = cmd_lookup_read(ctx, &ctx->argv[2]);
	if ((oa != NULL && obj_type(oa) != OBJ_STRING) ||
	    (ob != NULL && obj_type(ob) != OBJ_STRING)) {
		cmd_reply_error(ctx, "ERR The specified keys must contain string values");
		return;
	}
	if (oa != NULL)
		a = tstr_get(oa, ibuf_a, &alen);
	if (ob != NULL)
		b = tstr_get(ob, ibuf_b, &blen);
	for (int j = 3; j < ctx->argc; j++) {
		const struct resp_arg *opt = &ctx->argv[j];

		if (cmd_word_is(opt, "IDX")) {
			getidx = true;
		} else if (cmd_word_is(opt, "LEN")) {
			getlen = true;
		} else if (cmd_word_is(opt, "WITHMATCHLEN")) {
			withmatchlen = true;
		} else if (cmd_word_is(opt, "MINMATCHLEN") && j + 1 < ctx->argc) {
			if (!cmd_arg_i64(ctx, ++j, &minmatchlen))
				return;
			if (minmatchlen < 0)
				minmatchlen = 0;
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	if (getlen && getidx) {
		cmd_reply_error(ctx,
		    "ERR If you want both the length and indexes, please just use IDX.");
		return;
	}
	rc = tstr_lcs(a, alen, b, blen, !getlen && !getidx, getidx, minmatchlen,
	    ctx->srv->cfg->proto_max_bulk_len, &l);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	if (getidx) {
		resp_add_map(ctx->out, 2);
		resp_add_bulk(ctx->out, "matches", 7);
		resp_add_array(ctx->out, l.nm);
		for (size_t i = 0; i < l.nm; i++) {
			const struct tstr_lcs_match *m = &l.m[i];

			resp_add_array(ctx->out, withmatchlen ? 3 : 2);
			resp_add_array(ctx->out, 2);
			resp_add_int(ctx->out, m->a_start);
			resp_add_int(ctx->out, m->a_end);
			resp_add_array(ctx->out, 2);
			resp_add_int(ctx->out, m->b_start);
			resp_add_int(ctx->out, m->b_end);
			if (withmatchlen)
				resp_add_int(ctx->out, m->len);
		}
		resp_add_bulk(ctx->out, "len", 3);
		resp_add_int(ctx->out, l.len);
	} else if (getlen) {
		resp_add_int(ctx->out, l.len);
	} else {
		resp_add_bulk(ctx->out, l.str, l.len);
	}
	tstr_lcs_free(&l);
}

/* Bitmaps. */

/*
 * Redis' getBitOffsetFromArgument: a non-negative integer below 8 * proto-max-bulk-len (any
 * size for the primary). With hash and bits > 0, "#n" means n * bits (BITFIELD). Replies and
 * returns false on error.
 */
static bool
parse_bit_offset(struct cmd_ctx *ctx, int i, bool hash, unsigned bits, uint64_t *out)
{
	const struct resp_arg *a = &ctx->argv[i];
	bool usehash = hash && bits > 0 && a->len > 0 && a->ptr[0] == '#';
	int64_t off;

	if (!num_parse_i64(a->ptr + usehash, a->len - usehash, &off))
		goto err;
	if (usehash)
		off = (int64_t)((uint64_t)off * bits);	/* wraps as Redis' multiply does */
	if (off < 0 ||
	    (!cmd_from_primary(ctx) && (uint64_t)(off >> 3) >= ctx->srv->cfg->proto_max_bulk_len))
		goto err;
	*out = (uint64_t)off;
	return true;
err:
	cmd_reply_error(ctx, ERR_BIT_OFFSET);
	return false;
}

void
cmd_getbit(struct cmd_ctx *ctx)
{
	uint64_t off;
	struct obj *o;

	if (!parse_bit_offset(ctx, 2, false, 0, &off))
		return;
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o != NULL && obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	resp_add_int(ctx->out, tstr_getbit(o, off));
}

void
cmd_setbit(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	uint64_t off;
	int64_t on;
	int old;
	struct obj *o;
	bool grows;

	if (!parse_bit_offset(ctx, 2, false, 0, &off))
		return;
	if (!num_parse_i64(ctx->argv[3].ptr, ctx->argv[3].len, &on) || (on & ~1) != 0) {
		cmd_reply_error(ctx, ERR_BIT_VALUE);
		return;
	}
	o = cmd_lookup_write(ctx, key);
	if (o != NULL && obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	grows = o == NULL || tstr_len(o) <= (off >> 3);
	if (tstr_setbit(ctx->db, key->ptr, key->len, off, (int)on, ctx->now_ms, &old) != TSTR_OK) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	/* Redis signals only a key created, grown or whose bit flipped. */
	if (grows || old != on)
		signal_key(ctx, key);
	resp_add_int(ctx->out, old);
}

/* Parses BYTE|BIT at argv[i]; replies and returns false on anything else. */
static bool
parse_bit_unit(struct cmd_ctx *ctx, int i, bool *bit_unit)
{
	if (cmd_word_is(&ctx->argv[i], "bit"))
		*bit_unit = true;
	else if (cmd_word_is(&ctx->argv[i], "byte"))
		*bit_unit = false;
	else {
		cmd_reply_syntax_error(ctx);
		return false;
	}
	return true;
}

/* BITCOUNT key [start end [BYTE|BIT]] */
void
cmd_bitcount(struct cmd_ctx *ctx)
{
	char ibuf[TSTR_INT_BUF];
	const unsigned char *p;
	int64_t start = 0, end = 0;
	bool bit_unit = false;
	struct obj *o;
	size_t len;

	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	if (ctx->argc != 2 && ctx->argc != 4 && ctx->argc != 5) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc >= 4) {
		if (!cmd_arg_i64(ctx, 2, &start) || !cmd_arg_i64(ctx, 3, &end))
			return;
		/* Redis answers an inverted negative range before looking at the unit. */
		if (start < 0 && end < 0 && start > end) {
			resp_add_const(ctx->out, RESP_C_ZERO);
			return;
		}
		if (ctx->argc == 5 && !parse_bit_unit(ctx, 4, &bit_unit))
			return;
	}
	p = (const unsigned char *)tstr_get(o, ibuf, &len);
	resp_add_int(ctx->out, tstr_bitcount(p, len, ctx->argc >= 4, start, end, bit_unit));
}

/* BITPOS key bit [start [end [BYTE|BIT]]] */
void
cmd_bitpos(struct cmd_ctx *ctx)
{
	char ibuf[TSTR_INT_BUF];
	const unsigned char *p;
	int64_t bit, start = 0, end = 0;
	bool bit_unit = false;
	struct obj *o;
	size_t len;

	if (!cmd_arg_i64(ctx, 2, &bit))
		return;
	if (bit != 0 && bit != 1) {
		cmd_reply_error(ctx, "ERR The bit argument must be 1 or 0.");
		return;
	}
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_int(ctx->out, bit ? -1 : 0);
		return;
	}
	if (obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	if (ctx->argc > 6) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc >= 4) {
		if (!cmd_arg_i64(ctx, 3, &start))
			return;
		if (ctx->argc == 6 && !parse_bit_unit(ctx, 5, &bit_unit))
			return;
		if (ctx->argc >= 5 && !cmd_arg_i64(ctx, 4, &end))
			return;
	}
	p = (const unsigned char *)tstr_get(o, ibuf, &len);
	resp_add_int(ctx->out, tstr_bitpos(p, len, (int)bit, ctx->argc >= 4, start,
	    ctx->argc >= 5, end, bit_unit));
}

/* BITOP AND|OR|XOR|NOT destkey key [key ...] */
void
cmd_bitop(struct cmd_ctx *ctx)
{
	const struct resp_arg *dest = &ctx->argv[2];
	size_t nsrc = (size_t)ctx->argc - 3, outlen;
	const char **srcs;
	size_t *slens;
	enum tstr_bitop op;
	enum tstr_result rc;
	bool existed;

	if (cmd_word_is(&ctx->argv[1], "and"))
		op = TSTR_BITOP_AND;
	else if (cmd_word_is(&ctx->argv[1], "or"))
		op = TSTR_BITOP_OR;
	else if (cmd_word_is(&ctx->argv[1], "xor"))
		op = TSTR_BITOP_XOR;
	else if (cmd_word_is(&ctx->argv[1], "not"))
		op = TSTR_BITOP_NOT;
	else {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (op == TSTR_BITOP_NOT && nsrc != 1) {
		cmd_reply_error(ctx, "ERR BITOP NOT must be called with a single source key.");
		return;
	}
	srcs = xmalloc(nsrc * sizeof(*srcs));
	slens = xmalloc(nsrc * sizeof(*slens));
	for (size_t i = 0; i < nsrc; i++) {
		const struct resp_arg *k = &ctx->argv[3 + i];

		/* Redis reads the sources with lookupKeyRead: count them. */
		(void)cmd_lookup_write_counted(ctx, k);
		srcs[i] = k->ptr;
		slens[i] = k->len;
	}
	existed = cmd_lookup_write(ctx, dest) != NULL;
	rc = tstr_bitop(ctx->db, op, dest->ptr, dest->len, srcs, slens, nsrc, ctx->now_ms,
	    &outlen);
	xfree(slens);
	xfree(srcs);
	if (rc != TSTR_OK) {
		reply_tstr_error(ctx, rc);
		return;
	}
	/* An empty result deletes dest: a change only if dest was there. */
	if (outlen > 0 || existed)
		signal_key(ctx, dest);
	resp_add_int(ctx->out, (int64_t)outlen);
}

/*
 * Redis' getBitfieldTypeFromArgument: "i1".."i64" or "u1".."u63" (the width read as a C
 * string). Replies and returns false on error.
 */
static bool
parse_bf_type(struct cmd_ctx *ctx, int i, bool *sign, unsigned *bits)
{
	const struct resp_arg *a = &ctx->argv[i];
	const char *nul;
	size_t n;
	int64_t v;

	if (a->len == 0 || (a->ptr[0] != 'i' && a->ptr[0] != 'u'))
		goto err;
	*sign = a->ptr[0] == 'i';
	nul = memchr(a->ptr + 1, '\0', a->len - 1);
	n = nul != NULL ? (size_t)(nul - a->ptr - 1) : a->len - 1;
	if (!num_parse_i64(a->ptr + 1, n, &v) || v < 1 || v > (*sign ? 64 : 63))
		goto err;
	*bits = (unsigned)v;
	return true;
err:
	cmd_reply_error(ctx, ERR_BF_TYPE);
	return false;
}

/* BITFIELD ops kept on the stack up to this many; more are allocated. */
#define BF_STACK_OPS 8

/*
 * BITFIELD and BITFIELD_RO (readonly: only GET may run). Every subcommand is parsed, in order,
 * before anything is read or written, so an error anywhere leaves the key untouched.
 */
static void
bitfield_generic(struct cmd_ctx *ctx, bool readonly)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct tstr_bf_op stack_ops[BF_STACK_OPS], *ops = stack_ops;
	struct tstr_bf_result stack_res[BF_STACK_OPS], *res = stack_res;
	size_t nops = 0, cap = BF_STACK_OPS;
	enum tstr_overflow overflow = TSTR_OVERFLOW_WRAP;
	uint64_t highest = 0;
	bool writes = false, dirty = false, changed = false;
	struct obj *o;

	for (int j = 2; j < ctx->argc; j++) {
		int rem = ctx->argc - j - 1;
		struct tstr_bf_op op;

		memset(&op, 0, sizeof(op));
		if (cmd_word_is(&ctx->argv[j], "get") && rem >= 2) {
			op.op = TSTR_BF_GET;
		} else if (cmd_word_is(&ctx->argv[j], "set") && rem >= 3) {
			op.op = TSTR_BF_SET;
		} else if (cmd_word_is(&ctx->argv[j], "incrby") && rem >= 3) {
			op.op = TSTR_BF_INCRBY;
		} else if (cmd_word_is(&ctx->argv[j], "overflow") && rem >= 1) {
			const struct resp_arg *t = &ctx->argv[++j];

			if (cmd_word_is(t, "wrap"))
				overflow = TSTR_OVERFLOW_WRAP;
			else if (cmd_word_is(t, "sat"))
				overflow = TSTR_OVERFLOW_SAT;
			else if (cmd_word_is(t, "fail"))
				overflow = TSTR_OVERFLOW_FAIL;
			else {
				cmd_reply_error(ctx, "ERR Invalid OVERFLOW type specified");
				goto out_free;
			}
			continue;
		} else {
			cmd_reply_syntax_error(ctx);
			goto out_free;
		}
		if (!parse_bf_type(ctx, j + 1, &op.sign, &op.bits) ||
		    !parse_bit_offset(ctx, j + 2, true, op.bits, &op.offset))
			goto out_free;
		if (op.op != TSTR_BF_GET) {
			writes = true;
			if (highest < op.offset + op.bits - 1)
				highest = op.offset + op.bits - 1;
			if (!cmd_arg_i64(ctx, j + 3, &op.value))
				goto out_free;
		}
		op.overflow = overflow;
		if (nops == cap) {
			cap *= 2;
			if (ops == stack_ops) {
				ops = xmalloc(cap * sizeof(*ops));
				memcpy(ops, stack_ops, sizeof(stack_ops));
			} else {
				ops = xrealloc(ops, cap * sizeof(*ops));
			}
		}
		ops[nops++] = op;
		j += op.op == TSTR_BF_GET ? 2 : 3;
	}
	if (nops > BF_STACK_OPS)
		res = xmalloc(nops * sizeof(*res));
	if (!writes) {
		o = cmd_lookup_read(ctx, key);
	} else {
		if (readonly) {
			cmd_reply_error(ctx, "ERR BITFIELD_RO only supports the GET subcommand");
			goto out_free;
		}
		o = cmd_lookup_write(ctx, key);
		dirty = o == NULL || (o != NULL && obj_type(o) == OBJ_STRING &&
		    tstr_len(o) <= (highest >> 3));
	}
	if (o != NULL && obj_type(o) != OBJ_STRING) {
		cmd_reply_wrongtype(ctx);
		goto out_free;
	}
	if (tstr_bitfield(ctx->db, key->ptr, key->len, ops, nops, ctx->now_ms, res) != TSTR_OK) {
		cmd_reply_wrongtype(ctx);
		goto out_free;
	}
	resp_add_array(ctx->out, nops);
	for (size_t i = 0; i < nops; i++) {
		if (res[i].null) {
			resp_add_null(ctx->out);
			continue;
		}
		resp_add_int(ctx->out, res[i].value);
		if (ops[i].op != TSTR_BF_GET && (dirty || res[i].changed))
			changed = true;
	}
	if (changed)
		signal_key(ctx, key);
out_free:
	if (ops != stack_ops)
		xfree(ops);
	if (res != stack_res)
		xfree(res);
}

void
cmd_bitfield(struct cmd_ctx *ctx)
{
	bitfield_generic(ctx, false);
}

void
cmd_bitfield_ro(struct cmd_ctx *ctx)
{
	bitfield_generic(ctx, true);
}
