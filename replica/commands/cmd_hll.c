/*
 * cmd_hll.c: the HyperLogLog commands (rows in hll.def): PFADD, PFCOUNT, PFMERGE, PFDEBUG and
 * PFSELFTEST, over the string values that storage/hll.h reads and updates in Redis' format.
 *
 * Data flow: dispatch has checked arity and the right to write; a handler looks keys up, checks
 * each with hll_check in Redis' order (so the first error Redis reports is the one replied),
 * and changes values in place through hll.h. Writes signal the key exactly where Redis'
 * hyperloglog.c calls signalModifiedKey.
 *
 * PFCOUNT of one key stores the cardinality it computed in the value's cache, and a Redis
 * primary propagates that PFCOUNT to its replicas. replicant applies it when it comes from the
 * primary, so GET stays byte-exact; a client's PFCOUNT on a replica leaves the value alone (a
 * replica's data is the primary's), while in offline mode it updates the cache as a primary
 * does.
 */
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/hll.h"
#include "storage/store.h"

#define ERR_NOT_HLL	"-WRONGTYPE Key is not a valid HyperLogLog string value.\r\n"
#define ERR_CORRUPT	"-INVALIDOBJ Corrupted HLL object detected\r\n"
#define ERR_NO_KEY	"-ERR The specified key does not exist\r\n"
#define ERR_NOT_SPARSE	"-ERR HLL encoding is not sparse\r\n"
#define SELFTEST_ELEMENTS 1000000

/* May a read change the value's cache, as PFCOUNT does on a Redis primary? */
static bool
may_cache(const struct cmd_ctx *ctx)
{
	return cmd_from_primary(ctx) || store_get_mode(ctx->srv->store) == STORE_OFFLINE;
}

/* Redis' lookupKeyRead: for the primary's commands expired keys are still there. */
static struct obj *
lookup_read(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	return cmd_from_primary(ctx) ? cmd_lookup_write_counted(ctx, key) : cmd_lookup_read(ctx, key);
}

/* Replies with the error for a value that is not an HLL; returns false then. */
static bool
check_hll(struct cmd_ctx *ctx, const struct obj *o)
{
	switch (hll_check(o)) {
	case HLL_OK:
		return true;
	case HLL_WRONGTYPE:
		cmd_reply_wrongtype(ctx);
		return false;
	default:
		resp_add_const(ctx->out, ERR_NOT_HLL);
		return false;
	}
}

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

void
cmd_pfadd(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	struct obj *o = cmd_lookup_write(ctx, key);
	int updated = 0;

	if (o == NULL) {
		o = hll_create(ctx->db, key->ptr, key->len, ctx->now_ms);
		updated++;
	} else {
		if (!check_hll(ctx, o))
			return;
		o = hll_unshare(ctx->db, key->ptr, key->len, o, ctx->now_ms);
	}
	for (int j = 2; j < ctx->argc; j++) {
		int rc = hll_add(o, ctx->argv[j].ptr, ctx->argv[j].len);

		if (rc < 0) {
			/* As Redis: what changed before stays, unsignalled. */
			resp_add_const(ctx->out, ERR_CORRUPT);
			return;
		}
		updated += rc;
	}
	if (updated) {
		signal_key(ctx, key);
		hll_invalidate(o);
	}
	resp_add_int(ctx->out, updated ? 1 : 0);
}

/* PFCOUNT of several keys: the cardinality of their union; nothing is cached. */
static void
pfcount_union(struct cmd_ctx *ctx)
{
	uint8_t regs[HLL_REGISTERS];

	memset(regs, 0, sizeof regs);
	for (int j = 1; j < ctx->argc; j++) {
		struct obj *o = lookup_read(ctx, &ctx->argv[j]);
		const unsigned char *p;
		size_t len;

		if (o == NULL)
			continue;
		if (!check_hll(ctx, o))
			return;
		p = hll_bytes(o, &len);
		if (!hll_merge(regs, p, len)) {
			resp_add_const(ctx->out, ERR_CORRUPT);
			return;
		}
	}
	resp_add_int(ctx->out, (int64_t)hll_count_registers(regs));
}

void
cmd_pfcount(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	const unsigned char *p;
	struct obj *o;
	uint64_t card;
	size_t len;

	if (ctx->argc > 2) {
		pfcount_union(ctx);
		return;
	}
	if ((o = lookup_read(ctx, key)) == NULL) {
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	if (!check_hll(ctx, o))
		return;
	if (may_cache(ctx))
		o = hll_unshare(ctx->db, key->ptr, key->len, o, ctx->now_ms);
	p = hll_bytes(o, &len);
	if (!hll_cached(p, &card)) {
		if (!hll_count(p, len, &card)) {
			resp_add_const(ctx->out, ERR_CORRUPT);
			return;
		}
		if (may_cache(ctx)) {
			hll_set_cache(o, card);
			signal_key(ctx, key);
		}
	}
	resp_add_int(ctx->out, (int64_t)card);
}

void
cmd_pfmerge(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	uint8_t regs[HLL_REGISTERS];
	bool dense = false;
	struct obj *o;

	memset(regs, 0, sizeof regs);
	for (int j = 1; j < ctx->argc; j++) {
		const unsigned char *p;
		size_t len;

		if ((o = lookup_read(ctx, &ctx->argv[j])) == NULL)
			continue;
		if (!check_hll(ctx, o))
			return;
		p = hll_bytes(o, &len);
		/* A dense input makes the destination dense at once, as in Redis. */
		if (p[HLL_HDR_ENC] == HLL_ENC_DENSE)
			dense = true;
		if (!hll_merge(regs, p, len)) {
			resp_add_const(ctx->out, ERR_CORRUPT);
			return;
		}
	}
	if ((o = cmd_lookup_write(ctx, key)) == NULL)
		o = hll_create(ctx->db, key->ptr, key->len, ctx->now_ms);
	else
		o = hll_unshare(ctx->db, key->ptr, key->len, o, ctx->now_ms);
	if (dense && hll_to_dense(o) < 0) {
		resp_add_const(ctx->out, ERR_CORRUPT);
		return;
	}
	hll_store_registers(o, regs);
	signal_key(ctx, key);
	cmd_reply_ok(ctx);
}

static void
pfdebug_getreg(struct cmd_ctx *ctx, struct obj *o)
{
	const unsigned char *p;
	size_t len;

	if (hll_to_dense(o) < 0) {
		resp_add_const(ctx->out, ERR_CORRUPT);
		return;
	}
	p = hll_bytes(o, &len);
	resp_add_array(ctx->out, HLL_REGISTERS);
	for (unsigned i = 0; i < HLL_REGISTERS; i++)
		resp_add_int(ctx->out, hll_dense_get(p + HLL_HDR_SIZE, i));
}

static void
pfdebug_decode(struct cmd_ctx *ctx, const struct obj *o)
{
	size_t len, n;
	const unsigned char *p = hll_bytes(o, &len);
	char *s;

	if (p[HLL_HDR_ENC] != HLL_ENC_SPARSE) {
		resp_add_const(ctx->out, ERR_NOT_SPARSE);
		return;
	}
	s = hll_decode(p, len, &n);
	resp_add_bulk(ctx->out, s, n);
	xfree(s);
}

/* "ERR Unknown PFDEBUG subcommand '<name>'", the name read as a C string as Redis does. */
static void
pfdebug_unknown(struct cmd_ctx *ctx, const struct resp_arg *sub)
{
	static const char pre[] = "ERR Unknown PFDEBUG subcommand '";
	size_t n = cmd_arg_cstrlen(sub), len = sizeof pre - 1 + n + 1;
	char *msg = xmalloc(len);

	memcpy(msg, pre, sizeof pre - 1);
	memcpy(msg + sizeof pre - 1, sub->ptr, n);
	msg[len - 1] = '\'';
	resp_add_error(ctx->out, msg, len);
	xfree(msg);
}

void
cmd_pfdebug(struct cmd_ctx *ctx)
{
	const struct resp_arg *sub = &ctx->argv[1], *key = &ctx->argv[2];
	struct obj *o = cmd_lookup_write(ctx, key);
	size_t len;
	int rc;

	if (o == NULL) {
		resp_add_const(ctx->out, ERR_NO_KEY);
		return;
	}
	if (!check_hll(ctx, o))
		return;
	o = hll_unshare(ctx->db, key->ptr, key->len, o, ctx->now_ms);
	if (cmd_word_is(sub, "getreg")) {
		pfdebug_getreg(ctx, o);
	} else if (cmd_word_is(sub, "decode")) {
		pfdebug_decode(ctx, o);
	} else if (cmd_word_is(sub, "encoding")) {
		if (hll_bytes(o, &len)[HLL_HDR_ENC] == HLL_ENC_DENSE)
			resp_add_const(ctx->out, "+dense\r\n");
		else
			resp_add_const(ctx->out, "+sparse\r\n");
	} else if (cmd_word_is(sub, "todense")) {
		if ((rc = hll_to_dense(o)) < 0)
			resp_add_const(ctx->out, ERR_CORRUPT);
		else
			resp_add_int(ctx->out, rc);
	} else {
		pfdebug_unknown(ctx, sub);
	}
}

void
cmd_pfselftest(struct cmd_ctx *ctx)
{
	const char *err = hll_selftest((uint64_t)ctx->now_ms * 0x9e3779b97f4a7c15ULL,
	    SELFTEST_ELEMENTS);

	if (err != NULL)
		cmd_reply_error(ctx, "ERR %s", err);
	else
		cmd_reply_ok(ctx);
}
