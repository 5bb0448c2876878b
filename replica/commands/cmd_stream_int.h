/*
 * cmd_stream_int.h: what the two halves of the stream commands share (cmd_stream.c: entries,
 * XREAD; cmd_stream_group.c: consumer groups, XINFO): argument parsers with Redis' errors,
 * lookups and reply helpers. Private to those two files.
 */
#ifndef REPLICANT_CMD_STREAM_INT_H
#define REPLICANT_CMD_STREAM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "replica/commands/cmd.h"
#include "storage/t_stream.h"

#define ERR_INVALID_ID	"ERR Invalid stream ID specified as stream command argument"
#define ID_MIN		((struct stream_id){ 0, 0 })
#define ID_MAX		((struct stream_id){ UINT64_MAX, UINT64_MAX })

/* A group read's target: the group, the consumer's name, NOACK. */
struct group_read {
	struct stream_cg *g;
	const char *cname;
	size_t clen;
	bool noack;
};

/* getLongLongFromObjectOrReply with a custom message ("ERR <msg>"). */
bool cmd_stream_arg_i64_msg(struct cmd_ctx *ctx, int i, int64_t *out, const char *msg);
struct stream *cmd_stream_create_stream(struct cmd_ctx *ctx, const struct resp_arg *key);
int cmd_stream_cstr_len(const struct resp_arg *a);
/* The consumer of a group read, created if needed; its seen time is refreshed. */
struct stream_consumer *cmd_stream_group_consumer(struct cmd_ctx *ctx, struct group_read *gr);
/* True if a is the one-character word c, compared as Redis' strcmp does (up to a NUL). */
bool cmd_stream_is_word1(const struct resp_arg *a, char c);
/*
 * Redis' streamGenericParseIDOrReply: "-", "+" (unless strict), "<ms>", "<ms>-<seq>", and with
 * seq_given non-NULL "<ms>-*". Replies the error when reply is set.
 */
bool cmd_stream_parse_id(struct cmd_ctx *ctx, const struct resp_arg *a, struct stream_id *id,
    uint64_t missing, bool strict, bool *seq_given, bool reply);
/* An interval bound: "(" makes it exclusive (then strict), as streamParseIntervalIDOrReply. */
bool cmd_stream_parse_interval(struct cmd_ctx *ctx, int i, struct stream_id *id, bool *excl,
    uint64_t missing);
bool cmd_stream_parse_strict(struct cmd_ctx *ctx, int i, struct stream_id *id);
/* The stream at key for reading: NULL with *wrong false if absent, NULL with the WRONGTYPE
 * reply and *wrong true if another type. */
struct stream *cmd_stream_read_stream(struct cmd_ctx *ctx, const struct resp_arg *key,
    bool *wrong);
void cmd_stream_reply_id(struct cmd_ctx *ctx, const struct stream_id *id);
/* Replies entry id alone (no array around it); false if it does not exist. */
bool cmd_stream_reply_one(struct cmd_ctx *ctx, const struct stream *s, const struct stream_id *id);
/* The array of entries in [start, end] (at most count; 0 = all); returns how many. */
size_t cmd_stream_reply_range(struct cmd_ctx *ctx, const struct stream *s,
    const struct stream_id *start, const struct stream_id *end, bool rev, size_t count);
/* addReplySubcommandSyntaxError */
void cmd_stream_reply_subcommand_error(struct cmd_ctx *ctx);
/*
 * The group named argv[2] of the stream at argv[1] (*sp set to the stream, or NULL), as
 * XPENDING, XCLAIM and XAUTOCLAIM read it; NULL after replying WRONGTYPE or NOGROUP.
 */
struct stream_cg *cmd_stream_group_or_reply(struct cmd_ctx *ctx, struct stream **sp);
void cmd_stream_signal_key(struct cmd_ctx *ctx, const struct resp_arg *key);
struct stream *cmd_stream_write_stream(struct cmd_ctx *ctx, const struct resp_arg *key,
    bool *wrong);

#endif
