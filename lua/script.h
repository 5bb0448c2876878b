/*
 * script: the Lua 5.1 engine behind EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT.
 *
 * One Lua state per engine, sandboxed as Redis 7.0 sandboxes its own: base, table, string, math
 * and the libraries of script_libs.h; no io, os, package, loadfile, dofile or print; globals
 * locked (reading an unknown global or writing any global is an error); math.random from
 * Redis' 48-bit generator. Scripts are compiled once and cached under the SHA-1 of their body.
 *
 * The engine knows no command: redis.call and redis.pcall hand their arguments to the host's
 * call function (replica/commands/cmd_script.c), which runs them through the command table and
 * writes the reply into a buffer the engine owns; the engine reads that reply back into Lua
 * values (protocol's resp_read_item), and turns the script's return value into the caller's
 * reply, with Redis' conversion rules in both directions.
 *
 * Start reading at script_eval.
 */
#ifndef REPLICANT_SCRIPT_H
#define REPLICANT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/resp.h"

/* Flags a script declares in a "#!lua flags=..." first line (Redis' script flags). */
enum {
	SCRIPT_FLAG_NO_WRITES	= 1 << 0,
	SCRIPT_FLAG_ALLOW_OOM	= 1 << 1,
	SCRIPT_FLAG_ALLOW_STALE	= 1 << 2,
	SCRIPT_FLAG_NO_CLUSTER	= 1 << 3,
	SCRIPT_FLAG_ALLOW_CROSS_SLOT = 1 << 4,
	SCRIPT_FLAG_EVAL_COMPAT	= 1 << 5,	/* no shebang: Redis' compatibility mode */
};

/* redis.log levels, Redis' numbering. */
enum { SCRIPT_LOG_DEBUG, SCRIPT_LOG_VERBOSE, SCRIPT_LOG_NOTICE, SCRIPT_LOG_WARNING };

/* What the engine needs from its host. */
struct script_host {
	/*
	 * Runs argv[0..argc) (views into engine memory, valid for the call) as a command of the
	 * running script and writes its reply into out, whose proto is the script's RESP version
	 * (2 unless it called redis.setresp(3)). A command refused before it runs is answered
	 * with the error a script gets ("-ERR Unknown Redis command called from script", ...).
	 * run_arg is the argument given to script_eval.
	 */
	void (*call)(void *run_arg, struct resp_arg *argv, int argc, struct resp_out *out);
	/* redis.log: a message at level (SCRIPT_LOG_*). May be NULL. */
	void (*log)(int level, const char *msg, size_t len);
	/* Lowest level redis.log writes (the server's verbosity). */
	int log_level;
	/*
	 * Called about every 100,000 Lua instructions of a running script (may be NULL): the
	 * host's chance to serve other clients while a script runs long. It may call
	 * script_kill; run_arg is the argument given to script_eval.
	 */
	void (*busy)(void *run_arg);
	/* True if argv[0] (and argv[1] for a container) names a command (redis.acl_check_cmd). */
	bool (*command_exists)(const struct resp_arg *argv, int argc);
	/* redis.REDIS_VERSION and REDIS_VERSION_NUM: the Redis version this server answers as. */
	const char *version;
	int version_num;
};

/* A cached script. Owned by the engine; valid until script_flush or script_engine_free. */
struct script {
	char sha[41];		/* lower-case hex SHA-1 of the body, NUL-terminated */
	unsigned flags;		/* SCRIPT_FLAG_* */
	size_t body_len;
	struct script *next;	/* hash chain */
	int ref;		/* the compiled function in the Lua registry */
};

struct script_engine;

/* Creates an engine for host (borrowed; must outlive the engine). */
struct script_engine *script_engine_new(const struct script_host *host);
/* Frees e and every script. */
void script_engine_free(struct script_engine *e);
/* SCRIPT FLUSH: drops every script and starts a fresh Lua state. */
void script_flush(struct script_engine *e);

/* Returns the script whose SHA-1 is the 40 hex digits at sha (any case), or NULL. */
struct script *script_find(struct script_engine *e, const char *sha, size_t len);
/* Returns the cached script with this body, or NULL. */
struct script *script_find_body(struct script_engine *e, const char *body, size_t len);
/*
 * The SCRIPT_FLAG_* that body's "#!lua" line declares, without compiling it: EVAL_COMPAT when
 * it has none, or a malformed one (script_load then reports the error).
 */
unsigned script_body_flags(const char *body, size_t len);
/*
 * Returns the script with this body, compiling and caching it if new. On a shebang or
 * compile error returns NULL with Redis' error (without '-' or CRLF) in err, NUL-terminated.
 */
struct script *script_load(struct script_engine *e, const char *body, size_t len, char *err,
    size_t errlen);

/*
 * Runs s with KEYS = keys[0..nkeys) and ARGV = args[0..nargs) and writes its reply, or its
 * error, into out (the caller's protocol). run_arg goes to the host's call function. Commands
 * the script runs see the time now_ms. Not re-entrant: a script cannot run a script.
 */
void script_eval(struct script_engine *e, struct script *s, const struct resp_arg *keys,
    int nkeys, const struct resp_arg *args, int nargs, struct resp_out *out, void *run_arg);

/*
 * Stops the running script at its next instruction count check with Redis' error "Script
 * killed by user with SCRIPT KILL..." (which pcall cannot catch for good: the check then runs
 * on every line). Returns false if no script runs.
 */
bool script_kill(struct script_engine *e);
/* True while a script runs (for the host: a command from a script must not block). */
bool script_running(const struct script_engine *e);
/* Number of cached scripts, bytes of their bodies, and bytes the Lua state holds (INFO). */
size_t script_count(const struct script_engine *e);
size_t script_bodies_memory(const struct script_engine *e);
size_t script_lua_memory(const struct script_engine *e);

#endif
