/*
 * cmd_script.c: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (rows in script.def), and the
 * host side of the Lua engine (lua/script.h): the call function behind redis.call, which runs
 * a command from a script through the command table with the checks of Redis' scriptCall.
 *
 * Data flow: dispatch has checked the EVAL itself; cmd_eval finds or compiles the script,
 * applies the script-level rules (shebang flags against a read-only replica and *_RO), and
 * hands it to script_eval with a struct script_run. Each redis.call comes back here as
 * script_call: lookup, arity, the no-script flag, the write rules, then the handler runs on a
 * copy of the EVAL's context whose reply sink is the engine's buffer and whose SELECT changes
 * only the script's database, at the time the script started (Redis freezes the clock for a
 * script, so keys cannot expire in its middle).
 *
 * A script that runs past busy-reply-threshold turns the server busy: between stretches of the
 * script (the engine's count hook), the other clients are read outside the event loop and get
 * -BUSY, except for the commands allowed beside a script, SCRIPT KILL among them.
 *
 * Not here: FUNCTION/FCALL and SCRIPT DEBUG sessions.
 */
#include <stdio.h>
#include <string.h>

#include "lua/script.h"
#include "replica/commands/cmd.h"
#include "replica/log.h"
#include "replica/server/server.h"
#include "storage/base/num.h"
#include "storage/store.h"

#define ERR_NOSCRIPT "-NOSCRIPT No matching script. Please use EVAL.\r\n"

/* One run of a script: what script_call needs to know. */
struct script_run {
	struct cmd_ctx *caller;		/* the EVAL's context */
	const struct script *script;
	int db;				/* the script's selected database */
	bool read_only;			/* *_RO, or a no-writes script */
	bool dirty;			/* a write command ran */
};

/* The run in progress, for SCRIPT KILL (one server, one script at a time). */
static struct script_run *current_run;

static void
script_call(void *arg, struct resp_arg *argv, int argc, struct resp_out *out)
{
	struct script_run *run = arg;
	struct cmd_ctx *caller = run->caller, ctx;
	struct server *srv = caller->srv;
	const struct cmd_def *container, *def;

	def = cmd_lookup(argv, argc, &container);
	if (def == NULL || def->proc == NULL) {
		/* A container without its subcommand fails the arity test in Redis. */
		if (def == NULL)
			resp_add_const(out, "-ERR Unknown Redis command called from script\r\n");
		else
			resp_add_const(out,
			    "-ERR Wrong number of args calling Redis command from script\r\n");
		return;
	}
	if (!cmd_arity_ok(def, argc)) {
		resp_add_const(out, "-ERR Wrong number of args calling Redis command from script\r\n");
		return;
	}
	if (def->flags & CMD_NOSCRIPT) {
		resp_add_const(out, "-ERR This Redis command is not allowed from script\r\n");
		return;
	}
	if (run->read_only && (def->flags & (CMD_WRITE | CMD_MAY_REPLICATE))) {
		resp_add_const(out, "-ERR Write commands are not allowed from read-only scripts.\r\n");
		return;
	}
	if (def->flags & CMD_WRITE) {
		/* Once a script wrote, Redis lets it finish its writes whatever happens. */
		if (!run->dirty && caller->conn != NULL && srv->cfg->replica_read_only) {
			resp_add_const(out,
			    "-READONLY You can't write against a read only replica.\r\n");
			return;
		}
		run->dirty = true;
	}

	ctx = *caller;
	ctx.argv = argv;
	ctx.argc = argc;
	ctx.out = out;
	ctx.db = store_db(srv->store, (unsigned)run->db);
	ctx.dbnum = &run->db;
	ctx.flags |= CMD_CTX_SCRIPT;
	def->proc(&ctx);
	srv->stats.commands_processed++;
	srv->cmd_calls[def->id]++;
}

/*
 * Called every 100,000 Lua instructions: past busy-reply-threshold, the server turns busy and
 * serves the other clients (who get -BUSY, or run SCRIPT KILL) between stretches of the script.
 */
static void
script_busy(void *arg)
{
	struct script_run *run = arg;
	struct server *srv = run->caller->srv;
	int64_t elapsed, limit = srv->cfg->busy_reply_threshold;

	if (limit <= 0)
		return;
	elapsed = server_time_ms() - run->caller->now_ms;
	if (elapsed < limit)
		return;
	if (!srv->script_busy) {
		srv->script_busy = true;
		log_warning("Slow script detected: still in execution after %lld milliseconds. You "
		    "can try killing the script using the SCRIPT KILL command. Script name is: %s.",
		    (long long)elapsed, run->script->sha);
	}
	server_serve_while_busy(srv, run->caller->conn);
}

static void
script_log(int level, const char *msg, size_t len)
{
	log_msg((enum cfg_loglevel)level, "%.*s", (int)len, msg);
}

static bool
script_command_exists(const struct resp_arg *argv, int argc)
{
	const struct cmd_def *container;

	return cmd_lookup(argv, argc, &container) != NULL;
}

static const struct script_host host = {
	.call = script_call,
	.busy = script_busy,
	.log = script_log,
	.log_level = SCRIPT_LOG_DEBUG,		/* log_msg applies the configured level */
	.command_exists = script_command_exists,
	.version = REDIS_COMPAT_VERSION,
	.version_num = REDIS_COMPAT_VERSION_NUM,
};

void
cmd_script_init(struct server *srv)
{
	srv->scripts = script_engine_new(&host);
}

void
cmd_script_free(struct server *srv)
{
	script_engine_free(srv->scripts);
	srv->scripts = NULL;
}

/*
 * The flags of the script an EVAL names, as Redis reads them before the command runs (its
 * evalGetCommandFlags): the cached script's, else the body's shebang; EVAL_COMPAT when
 * EVALSHA names no cached script.
 */
static unsigned
named_script_flags(struct cmd_ctx *ctx, bool by_sha, struct script **cached)
{
	const struct resp_arg *a = &ctx->argv[1];

	*cached = by_sha ? script_find(ctx->srv->scripts, a->ptr, a->len) :
	    script_find_body(ctx->srv->scripts, a->ptr, a->len);
	if (*cached != NULL)
		return (*cached)->flags;
	return by_sha ? SCRIPT_FLAG_EVAL_COMPAT : script_body_flags(a->ptr, a->len);
}

/* EVAL and friends: the script's flags, numkeys, the script, the run. */
static void
eval_generic(struct cmd_ctx *ctx, bool by_sha, bool ro)
{
	struct server *srv = ctx->srv;
	struct script_run run;
	struct script *s;
	unsigned flags = named_script_flags(ctx, by_sha, &s);
	bool writes = !(flags & SCRIPT_FLAG_EVAL_COMPAT) && !(flags & SCRIPT_FLAG_NO_WRITES);
	int64_t numkeys;

	/* A script that declares it may write is a write command: a read-only replica refuses
	 * it as it refuses any write, before its arguments are looked at. */
	if (writes && ctx->conn != NULL && srv->cfg->replica_read_only) {
		resp_add_const(ctx->out, "-READONLY You can't write against a read only replica.\r\n");
		return;
	}
	if (!num_parse_i64(ctx->argv[2].ptr, ctx->argv[2].len, &numkeys)) {
		cmd_reply_error(ctx, "ERR value is not an integer or out of range");
		return;
	}
	if (numkeys > ctx->argc - 3) {
		cmd_reply_error(ctx, "ERR Number of keys can't be greater than number of args");
		return;
	}
	if (numkeys < 0) {
		cmd_reply_error(ctx, "ERR Number of keys can't be negative");
		return;
	}
	if (s == NULL && by_sha) {
		resp_add_const(ctx->out, ERR_NOSCRIPT);
		return;
	}
	if (s == NULL) {
		char err[512];

		s = script_load(srv->scripts, ctx->argv[1].ptr, ctx->argv[1].len, err, sizeof err);
		if (s == NULL) {
			cmd_reply_error(ctx, "%s", err);
			return;
		}
	}
	if (writes && ro) {
		cmd_reply_error(ctx, "ERR Can not execute a script with write flag using *_ro command.");
		return;
	}

	run.caller = ctx;
	run.script = s;
	run.db = *ctx->dbnum;
	run.read_only = ro || (!(s->flags & SCRIPT_FLAG_EVAL_COMPAT) &&
	    (s->flags & SCRIPT_FLAG_NO_WRITES));
	run.dirty = false;
	current_run = &run;
	script_eval(srv->scripts, s, ctx->argv + 3, (int)numkeys, ctx->argv + 3 + numkeys,
	    ctx->argc - 3 - (int)numkeys, ctx->out, &run);
	current_run = NULL;
	if (srv->script_busy) {
		srv->script_busy = false;
		log_warning("Slow script finished.");
	}
}

void
cmd_eval(struct cmd_ctx *ctx)
{
	eval_generic(ctx, false, false);
}

void
cmd_evalsha(struct cmd_ctx *ctx)
{
	eval_generic(ctx, true, false);
}

void
cmd_eval_ro(struct cmd_ctx *ctx)
{
	eval_generic(ctx, false, true);
}

void
cmd_evalsha_ro(struct cmd_ctx *ctx)
{
	eval_generic(ctx, true, true);
}

void
cmd_script_help(struct cmd_ctx *ctx)
{
	static const char *const help[] = {
		"DEBUG (YES|SYNC|NO)",
		"    Set the debug mode for subsequent scripts executed.",
		"EXISTS <sha1> [<sha1> ...]",
		"    Return information about the existence of the scripts in the script cache.",
		"FLUSH [ASYNC|SYNC]",
		"    Flush the Lua scripts cache. Very dangerous on replicas.",
		"    When called without the optional mode argument, the behavior is determined by the",
		"    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
		"    * ASYNC: Asynchronously flush the scripts cache.",
		"    * SYNC: Synchronously flush the scripts cache.",
		"KILL",
		"    Kill the currently executing Lua script.",
		"LOAD <script>",
		"    Load a script into the scripts cache without executing it.",
		NULL,
	};

	cmd_reply_help(ctx, help);
}

void
cmd_script_flush(struct cmd_ctx *ctx)
{
	if (ctx->argc == 3 && !cmd_arg_is(ctx, 2, "sync") &&
	    !cmd_arg_is(ctx, 2, "async")) {
		cmd_reply_error(ctx, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
		return;
	}
	if (ctx->argc > 3) {
		cmd_reply_error(ctx, "ERR SCRIPT FLUSH only support SYNC|ASYNC option");
		return;
	}
	/* ASYNC frees the same way: a script cache is small next to a keyspace. */
	script_flush(ctx->srv->scripts);
	cmd_reply_ok(ctx);
}

void
cmd_script_exists(struct cmd_ctx *ctx)
{
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int i = 2; i < ctx->argc; i++) {
		struct script *s = script_find(ctx->srv->scripts, ctx->argv[i].ptr, ctx->argv[i].len);

		resp_add_int(ctx->out, s != NULL);
	}
}

void
cmd_script_load(struct cmd_ctx *ctx)
{
	char err[512];
	struct script *s = script_load(ctx->srv->scripts, ctx->argv[2].ptr, ctx->argv[2].len, err,
	    sizeof err);

	if (s == NULL) {
		cmd_reply_error(ctx, "%s", err);
		return;
	}
	resp_add_bulk(ctx->out, s->sha, 40);
}

void
cmd_script_kill(struct cmd_ctx *ctx)
{
	/* Other clients are read during a script only once it runs past the threshold. */
	if (!ctx->srv->script_busy || current_run == NULL) {
		resp_add_const(ctx->out, "-NOTBUSY No scripts in execution right now.\r\n");
		return;
	}
	if (current_run->dirty) {
		resp_add_const(ctx->out, "-UNKILLABLE Sorry the script already executed write "
		    "commands against the dataset. You can either wait the script termination or "
		    "kill the server in a hard way using the SHUTDOWN NOSAVE command.\r\n");
		return;
	}
	script_kill(ctx->srv->scripts);
	cmd_reply_ok(ctx);
}

void
cmd_script_debug(struct cmd_ctx *ctx)
{
	if (!cmd_arg_is(ctx, 2, "no") && !cmd_arg_is(ctx, 2, "yes") &&
	    !cmd_arg_is(ctx, 2, "sync")) {
		cmd_reply_error(ctx, "ERR Use SCRIPT DEBUG YES/SYNC/NO");
		return;
	}
	if (cmd_arg_is(ctx, 2, "no")) {
		cmd_reply_ok(ctx);
		return;
	}
	/* The Lua debugger (a forked or blocking session with its own protocol) is not offered. */
	cmd_reply_error(ctx, "ERR SCRIPT DEBUG is not supported by this server");
}
