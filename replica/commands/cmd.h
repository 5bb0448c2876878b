/*
 * cmd: the command table and what a command handler sees.
 *
 * replica/commands/commands.def lists every command once (name, arity, flags, keys, handler).
 * From that one list come dispatch (server/dispatch.c), COMMAND and its subcommands, the
 * read-only rejection and, later, what Lua's redis.call may run. A handler only carries the
 * semantics: arity, authentication and the right to write were checked before it runs.
 */
#ifndef REPLICANT_CMD_H
#define REPLICANT_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/resp.h"
#include "storage/obj.h"

struct server;
struct conn;
struct db;

/* Command flags; their names (COMMAND INFO) are in cmd_table.c. */
enum {
	CMD_WRITE	= 1 << 0,
	CMD_READONLY	= 1 << 1,
	CMD_DENYOOM	= 1 << 2,
	CMD_ADMIN	= 1 << 3,
	CMD_PUBSUB	= 1 << 4,
	CMD_NOSCRIPT	= 1 << 5,
	CMD_BLOCKING	= 1 << 6,
	CMD_LOADING	= 1 << 7,	/* may run while a full sync is loading */
	CMD_STALE	= 1 << 8,	/* may run while the link is down and serve-stale is off */
	CMD_SKIP_MONITOR = 1 << 9,
	CMD_SKIP_SLOWLOG = 1 << 10,
	CMD_FAST	= 1 << 11,
	CMD_NO_AUTH	= 1 << 12,	/* may run before AUTH */
	CMD_MAY_REPLICATE = 1 << 13,
	CMD_NO_MULTI	= 1 << 14,
	CMD_ALLOW_BUSY	= 1 << 15,
	CMD_SENTINEL	= 1 << 16,
	CMD_NO_MANDATORY_KEYS = 1 << 17,
	CMD_PROTECTED	= 1 << 18,
	CMD_NO_ASYNC_LOADING = 1 << 19,
	CMD_MOVABLEKEYS	= 1 << 20,	/* derived by cmd_table_init from the key specs */
};

/*
 * A key spec as Redis 7 describes where a command's keys are (COMMAND INFO, COMMAND GETKEYS).
 * Built by cmd_table_init from a row's key-spec column.
 */
enum cmd_ks_begin { CMD_KS_INDEX, CMD_KS_KEYWORD, CMD_KS_BEGIN_UNKNOWN };
enum cmd_ks_find { CMD_KS_RANGE, CMD_KS_KEYNUM, CMD_KS_FIND_UNKNOWN };

struct cmd_keyspec {
	char *flags;			/* space-separated ("RW access delete") */
	char *notes;			/* NULL or the spec's notes */
	enum cmd_ks_begin begin;
	int index;			/* CMD_KS_INDEX: argv position */
	char *keyword;			/* CMD_KS_KEYWORD: the word, searched from startfrom */
	int startfrom;			/* (negative: from the end, backwards) */
	enum cmd_ks_find find;
	int lastkey, keystep, limit;	/* CMD_KS_RANGE */
	int keynumidx, firstkey;	/* CMD_KS_KEYNUM (keystep shared) */
};

/* ACL categories a row names explicitly; the rest (@read, @write, @fast, @slow, @admin,
 * @dangerous, @pubsub, @blocking) follow from the flags, as in Redis. */
enum {
	ACL_KEYSPACE	= 1 << 0,
	ACL_STRING	= 1 << 1,
	ACL_LIST	= 1 << 2,
	ACL_SET		= 1 << 3,
	ACL_SORTEDSET	= 1 << 4,
	ACL_HASH	= 1 << 5,
	ACL_STREAM	= 1 << 6,
	ACL_BITMAP	= 1 << 7,
	ACL_HYPERLOGLOG	= 1 << 8,
	ACL_GEO		= 1 << 9,
	ACL_CONNECTION	= 1 << 10,
	ACL_TRANSACTION	= 1 << 11,
	ACL_SCRIPTING	= 1 << 12,
	ACL_DANGEROUS	= 1 << 13,
	/* implied by flags */
	ACL_READ	= 1 << 16,
	ACL_WRITE	= 1 << 17,
	ACL_FAST	= 1 << 18,
	ACL_SLOW	= 1 << 19,
	ACL_ADMIN	= 1 << 20,
	ACL_PUBSUB	= 1 << 21,
	ACL_BLOCKING	= 1 << 22,
};

/* What a handler sees. Borrowed for the duration of the call. */
struct cmd_ctx {
	struct server *srv;
	struct conn *conn;		/* the client; never NULL for client commands */
	struct resp_arg *argv;		/* views into the query buffer: copy what must outlive the call */
	int argc;
	struct resp_out *out;		/* the reply goes here */
	int64_t now_ms;			/* the time of this command (unix ms) */
	struct db *db;			/* the selected database */
	int *dbnum;			/* where SELECT stores its choice: the conn's, or a script's */
	unsigned flags;			/* CMD_CTX_* */
};

enum {
	CMD_CTX_SCRIPT	= 1 << 0,	/* run by a script's redis.call: never blocks */
};

/*
 * True for a command of the primary's stream: it is applied whatever the client limits say
 * (Redis' mustObeyClient). The stream runs handlers without a client connection.
 */
static inline bool
cmd_from_primary(const struct cmd_ctx *ctx)
{
	return ctx->conn == NULL;
}

typedef void (*cmd_proc)(struct cmd_ctx *ctx);

struct cmd_def {
	const char *name;		/* lower case; a subcommand's own name ("setname") */
	const char *parent_name;	/* NULL for a top-level command */
	cmd_proc proc;			/* NULL for a container that needs a subcommand */
	int arity;			/* argc exactly, or at least -arity when negative */
	uint32_t flags;
	uint32_t acl;			/* explicit ACL categories */
	int first_key, last_key, key_step;	/* Redis' legacy key positions (0 0 0: none) */
	/*
	 * The key specs. Short form: the flags of one spec at first_key..last_key step key_step
	 * ("RO access"), or NULL for none. Long form, when it holds a '|': specs separated by ';',
	 * each "FLAGS|BEGIN|FIND[|notes=TEXT]" with BEGIN "index:N", "keyword:WORD,STARTFROM" or
	 * "unknown" and FIND "range:LASTKEY,STEP,LIMIT", "keynum:KEYNUMIDX,FIRSTKEY,STEP" or
	 * "unknown", as Redis' COMMAND INFO shows them.
	 */
	const char *key_flags;
	const char *tips;		/* command tips, space-separated, or NULL */
	const char *group;		/* COMMAND DOCS group ("string", "server", ...) */
	const char *since;		/* Redis version that introduced it */
	const char *summary;		/* one line for COMMAND DOCS */

	/* filled by cmd_table_init */
	char fullname[48];		/* "client|setname" */
	const struct cmd_def *parent;
	const struct cmd_def **subs;	/* sorted by name */
	size_t nsubs;
	int id;				/* index in the table, for per-command statistics */
	struct cmd_keyspec *specs;	/* parsed from key_flags */
	size_t nspecs;
};

/*
 * The keys of the command line argv[0..argc) for def, as Redis' COMMAND GETKEYS finds them from
 * the key specs. Stores up to max argv positions in pos and returns how many keys there are,
 * or -1 if a spec cannot be applied to this line (a bad numkeys, a key past the end).
 */
int cmd_get_keys(const struct cmd_def *def, const struct resp_arg *argv, int argc, int *pos,
    int max);

/*
 * Key finders for commands whose key specs are incomplete (Redis' getkeys_proc), used by
 * cmd_get_keys when the specs fail; same contract (cmd_sort.c).
 */
int cmd_sort_getkeys(const struct resp_arg *argv, int argc, int *pos, int max);
int cmd_sort_ro_getkeys(const struct resp_arg *argv, int argc, int *pos, int max);

/* Builds the lookup index and the subcommand lists. Call once before any lookup. */
void cmd_table_init(void);
/* Frees what cmd_table_init allocated. */
void cmd_table_free(void);
/* cmd_script.c: creates and frees srv's Lua engine (srv->scripts). */
void cmd_script_init(struct server *srv);
void cmd_script_free(struct server *srv);
/* Number of rows, and row i (0 <= i < cmd_table_size()). */
size_t cmd_table_size(void);
const struct cmd_def *cmd_table_row(size_t i);

/*
 * Finds the command for argv as Redis' lookupCommand does: the top-level command by argv[0]
 * (case-insensitive), then, if it has subcommands and argc >= 2, the subcommand by argv[1].
 * Returns NULL if argv[0] is unknown, or if argv[0] is a container and argv[1] is not one of
 * its subcommands; *container is then set to the container's row (else NULL).
 */
const struct cmd_def *cmd_lookup(const struct resp_arg *argv, int argc,
    const struct cmd_def **container);
/* Finds a top-level command by name, case-insensitive; NULL if unknown. */
const struct cmd_def *cmd_find(const char *name, size_t len);
/* True when argc satisfies def's arity. */
bool cmd_arity_ok(const struct cmd_def *def, int argc);

/* The ACL categories of def, explicit and implied, as ACL_* bits. */
uint32_t cmd_acl_categories(const struct cmd_def *def);

/* Argument helpers: each replies with Redis' exact error and returns false on failure. */
bool cmd_arg_i64(struct cmd_ctx *ctx, int i, int64_t *out);
/*
 * Redis' getRangeLongFromObjectOrReply: an integer in [min, max]. msg, when not NULL, is the
 * whole error ("ERR count should be greater than 0") replacing both of Redis' default errors.
 */
bool cmd_arg_i64_range(struct cmd_ctx *ctx, int i, int64_t min, int64_t max, const char *msg,
    int64_t *out);
/*
 * Redis' getDoubleFromObject rules: strtod over the whole argument, no leading space, no NaN, no
 * overflow. Returns false (no reply) if a is not such a number.
 */
bool cmd_parse_double(const struct resp_arg *a, double *out);
/* Length of a up to its first NUL byte: Redis reads option words and %s texts as C strings. */
size_t cmd_arg_cstrlen(const struct resp_arg *a);
/* True if a is word ignoring case, compared as Redis' strcasecmp does (a stops at a NUL, so
 * "NX\0junk" is NX). */
bool cmd_word_is(const struct resp_arg *a, const char *word);
/* cmd_word_is for argument i. */
bool cmd_arg_is(const struct cmd_ctx *ctx, int i, const char *word);
/*
 * Parses a SCAN-family cursor as Redis does (strtoul: optional sign, digits, up to a NUL; ""
 * is 0). Returns false for anything else: the caller replies "ERR invalid cursor".
 */
bool cmd_parse_cursor(const struct resp_arg *a, uint64_t *out);
void cmd_reply_error(struct cmd_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cmd_reply_syntax_error(struct cmd_ctx *ctx);
void cmd_reply_ok(struct cmd_ctx *ctx);
void cmd_reply_help(struct cmd_ctx *ctx, const char *const *lines);

/*
 * Keyspace access for handlers (cmd_db.c). The lookups count INFO's keyspace_hits/misses as
 * Redis does; every change to a key must be signalled so that WATCH sees it.
 */
struct obj *cmd_lookup_read(struct cmd_ctx *ctx, const struct resp_arg *key);
/* A counted read that leaves the key's access time alone (Redis' LOOKUP_NOTOUCH: EXISTS, TYPE,
 * TTL, OBJECT). */
struct obj *cmd_lookup_peek(struct cmd_ctx *ctx, const struct resp_arg *key);
/* The write path's lookup; not counted. */
struct obj *cmd_lookup_write(struct cmd_ctx *ctx, const struct resp_arg *key);
/* The write path's lookup, counted: a write command's own read (SET GET, GETDEL, BITOP). */
struct obj *cmd_lookup_write_counted(struct cmd_ctx *ctx, const struct resp_arg *key);
/*
 * cmd_lookup_read (or, with write, cmd_lookup_write) that also checks the type: returns false
 * after replying WRONGTYPE if key holds another type; else true with *o the value or NULL.
 */
bool cmd_lookup_typed(struct cmd_ctx *ctx, const struct resp_arg *key, enum obj_type type,
    bool write, struct obj **o);
/* Key key of db was changed, deleted or its TTL altered (Redis' signalModifiedKey). */
void cmd_signal_modified(struct cmd_ctx *ctx, struct db *db, const char *key, size_t klen);
/* Every key of db (or of every db when db is NULL) may have changed: FLUSHDB, FLUSHALL, SWAPDB. */
void cmd_signal_flushed(struct cmd_ctx *ctx, struct db *db);
/* Databases a and b are about to be swapped (SWAPDB): call before the swap. */
void cmd_signal_swapped(struct cmd_ctx *ctx, struct db *a, struct db *b);
/* "-WRONGTYPE Operation against a key holding the wrong kind of value" */
void cmd_reply_wrongtype(struct cmd_ctx *ctx);

/* Handlers, one per row of commands.def (see the cmd_*.c files). */
#define CMD(name, parent, proc, arity, flags, first, last, step, acl, kflags, tips, group, since, summary) \
	void proc(struct cmd_ctx *ctx);
#define CMD_CONTAINER(name, arity, flags, acl, group, since, summary)
#include "replica/commands/commands.def"
#undef CMD
#undef CMD_CONTAINER

#endif
