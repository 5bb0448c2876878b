/*
 * cmd_db.c: the keyspace as handlers see it: lookups that keep INFO's hit/miss counters, and
 * the modification signals that WATCH (replica/server/multi.c) and blocked clients
 * (replica/server/block.c) listen to.
 */
#include "replica/commands/cmd.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/store.h"

/* Counts a lookup in INFO's keyspace_hits / keyspace_misses and returns o. */
static struct obj *
counted(struct cmd_ctx *ctx, struct obj *o)
{
	if (o != NULL)
		ctx->srv->stats.keyspace_hits++;
	else
		ctx->srv->stats.keyspace_misses++;
	return o;
}

struct obj *
cmd_lookup_read(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	return counted(ctx, store_lookup_read(ctx->db, key->ptr, key->len, ctx->now_ms));
}

struct obj *
cmd_lookup_peek(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	return counted(ctx, store_lookup_peek(ctx->db, key->ptr, key->len, ctx->now_ms));
}

struct obj *
cmd_lookup_write_counted(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	return counted(ctx, cmd_lookup_write(ctx, key));
}

struct obj *
cmd_lookup_write(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	return store_lookup_write(ctx->db, key->ptr, key->len, ctx->now_ms);
}

bool
cmd_lookup_typed(struct cmd_ctx *ctx, const struct resp_arg *key, enum obj_type type, bool write,
    struct obj **o)
{
	*o = write ? cmd_lookup_write(ctx, key) : cmd_lookup_read(ctx, key);
	if (*o != NULL && obj_type(*o) != type) {
		cmd_reply_wrongtype(ctx);
		return false;
	}
	return true;
}

void
cmd_signal_modified(struct cmd_ctx *ctx, struct db *db, const char *key, size_t klen)
{
	multi_touch_key(ctx->srv, db, key, klen);
	block_signal_key(ctx->srv, db, key, klen);
}

void
cmd_signal_flushed(struct cmd_ctx *ctx, struct db *db)
{
	multi_touch_db(ctx->srv, db, NULL);
}

void
cmd_signal_swapped(struct cmd_ctx *ctx, struct db *a, struct db *b)
{
	multi_touch_db(ctx->srv, a, b);
}

void
cmd_reply_wrongtype(struct cmd_ctx *ctx)
{
	resp_add_const(ctx->out, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}
