/*
 * cmd_zset_int.h: what the sorted set commands (cmd_zset.c) share with their set algebra
 * (cmd_zset_ops.c): argument parsers with Redis' errors, reply helpers, the store of a result.
 * Private to those two files.
 */
#ifndef REPLICANT_CMD_ZSET_INT_H
#define REPLICANT_CMD_ZSET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "replica/commands/cmd.h"
#include "storage/t_zset.h"

/* Receives one member and its score of a walk over a zset (borrowed for the call). */
typedef void (*cmd_zset_emit_fn)(const char *m, size_t len, double score, void *arg);

bool cmd_zset_arg_double(struct cmd_ctx *ctx, int i, const char *err, double *out);
void cmd_zset_reply_item(struct cmd_ctx *ctx, const char *m, size_t len, double score,
    bool withscores);
/* The header of n member(-score) items: flat in RESP2, pairs nested in RESP3. */
void cmd_zset_reply_items_hdr(struct cmd_ctx *ctx, size_t n, bool withscores);
void cmd_zset_signal_key(struct cmd_ctx *ctx, const struct resp_arg *key);
/* Stores a new zset z (taken) at key, replacing any value and TTL; returns the new value. */
struct obj *cmd_zset_store_zset(struct cmd_ctx *ctx, const struct resp_arg *key, struct tzset *z);

#endif
