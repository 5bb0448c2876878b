/*
 * script.c: the Lua engine (script.h). Four parts, in file order:
 *
 * 1. The sandbox. Debian's Lua has no read-only tables (Redis patches its own Lua for that), so
 *    protection is built from proxies: the globals every script sees are an empty table whose
 *    metatable reads through to the real globals and refuses writes, and every table reachable
 *    from the globals (the libraries, the redis table, the string metatable) is replaced by such
 *    a proxy too. The real globals have a metatable that turns a read of a missing name into
 *    Redis' "nonexistent global variable" error. next, pairs and rawget see through proxies and
 *    rawset refuses them, so scripts observe what Redis' read-only tables give them.
 * 2. The redis.* API: call/pcall (through the host), log, setresp, sha1hex, error_reply,
 *    status_reply, set_repl, acl_check_cmd, and the debugger stubs; Redis' pcall; math.random.
 * 3. Conversions: a command's RESP reply into Lua values, and the script's result into the
 *    caller's reply, with the rules of Redis' script_lua.c.
 * 4. The script cache and script_eval.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lua/script.h"
#include "lua/script_libs.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/base/sha1.h"

/* Instructions between two calls of the host's busy function (Redis' hook period). */
#define HOOK_PERIOD 100000
/* Redis runs a step of garbage collection every this many scripts. */
#define GC_PERIOD 50
/* The capture buffer is shrunk back to this size after a reply that grew it past SHRINK_AT. */
#define CAP_INITIAL 4096
#define CAP_SHRINK_AT (1024 * 1024)
/* Room for one number argument of redis.call ("%.17g"). */
#define NUMBUF 32
/* Redis' REDIS_LRAND48_MAX. */
#define LRAND48_MAX INT32_MAX

#define ERR_READONLY_TABLE "Attempt to modify a readonly table"

struct script_engine {
	const struct script_host *host;
	lua_State *L;
	int real_globals;	/* registry ref: the globals table behind the proxy */
	int proxies;		/* registry ref: proxy -> real table */
	int errh;		/* registry ref: the error handler */

	struct script **buckets;	/* the cache, by SHA-1 */
	size_t nbuckets;
	size_t count;
	size_t body_bytes;

	/* the running script */
	bool running;
	bool in_call;		/* inside redis.call: a second one from a hook is refused */
	bool killed;		/* SCRIPT KILL: the hook raises an error on every line */
	int resp;		/* protocol of the replies redis.call reads (redis.setresp) */
	void *run_arg;
	unsigned gc_count;

	/* redis.call scratch, reused */
	struct resp_arg *argv;
	int argv_cap;
	char *numbuf;		/* NUMBUF bytes per argument */
	struct resp_out cap;	/* the reply of the command being called */

	uint64_t rand48;	/* math.random's state; not reset by SCRIPT FLUSH, as in Redis */
};

/* ---- small helpers ---- */

static struct script_engine *
engine_of(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/* The registry key of the engine pointer, for the hook (which has no upvalues). */
static char engine_key;

static struct script_engine *
engine_from_registry(lua_State *L)
{
	struct script_engine *e;

	lua_pushlightuserdata(L, &engine_key);
	lua_rawget(L, LUA_REGISTRYINDEX);
	e = lua_touserdata(L, -1);
	lua_pop(L, 1);
	return e;
}

/*
 * Pushes Redis' error table {err = "CODE message"} for s: "-CODE message" keeps its code
 * (a code alone becomes "ERR CODE"), anything else gets "ERR"; CR and LF at either end of
 * the message are trimmed.
 */
static void
push_error_table(lua_State *L, const char *s, size_t n)
{
	const char *code = "ERR", *msg = s;
	size_t codelen = 3, msglen = n;
	luaL_Buffer b;

	if (n > 0 && s[0] == '-') {
		const char *sp = memchr(s, ' ', n);

		if (sp == NULL) {
			msg = s + 1;
			msglen = n - 1;
		} else {
			code = s + 1;
			codelen = (size_t)(sp - s) - 1;
			msg = sp + 1;
			msglen = n - (size_t)(sp + 1 - s);
		}
	}
	while (msglen > 0 && (msg[0] == '\r' || msg[0] == '\n')) {
		msg++;
		msglen--;
	}
	while (msglen > 0 && (msg[msglen - 1] == '\r' || msg[msglen - 1] == '\n'))
		msglen--;
	lua_createtable(L, 0, 2);
	luaL_buffinit(L, &b);
	luaL_addlstring(&b, code, codelen);
	luaL_addchar(&b, ' ');
	luaL_addlstring(&b, msg, msglen);
	luaL_pushresult(&b);
	lua_setfield(L, -2, "err");
}

/* Raises Redis' error table for msg (a plain message: code ERR). */
static int
raise_error(lua_State *L, const char *msg)
{
	push_error_table(L, msg, strlen(msg));
	return lua_error(L);
}

/* ---- 1. the sandbox ---- */

static int
l_readonly_newindex(lua_State *L)
{
	return luaL_error(L, ERR_READONLY_TABLE);
}

static int
l_missing_global(lua_State *L)
{
	const char *name = lua_tostring(L, 2);

	return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
	    name != NULL ? name : "?");
}

/* If the value at idx is a proxy, replaces it with its real table. */
static void
unproxy(lua_State *L, struct script_engine *e, int idx)
{
	if (lua_type(L, idx) != LUA_TTABLE)
		return;
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->proxies);
	lua_pushvalue(L, idx);
	lua_rawget(L, -2);
	if (lua_istable(L, -1))
		lua_replace(L, idx);
	else
		lua_pop(L, 1);
	lua_pop(L, 1);
}

static int
l_next(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	unproxy(L, engine_of(L), 1);
	lua_settop(L, 2);
	if (lua_next(L, 1))
		return 2;
	lua_pushnil(L);
	return 1;
}

static int
l_pairs(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_pushvalue(L, lua_upvalueindex(2));	/* our next */
	lua_pushvalue(L, 1);
	lua_pushnil(L);
	return 3;
}

static int
l_rawget(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	unproxy(L, engine_of(L), 1);
	lua_settop(L, 2);
	lua_rawget(L, 1);
	return 1;
}

static int
l_rawset(lua_State *L)
{
	struct script_engine *e = engine_of(L);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checkany(L, 2);
	luaL_checkany(L, 3);
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->proxies);
	lua_pushvalue(L, 1);
	lua_rawget(L, -2);
	if (!lua_isnil(L, -1)) {
		/* Raised by the C function itself, so without a position, as Redis' is. */
		lua_pushstring(L, ERR_READONLY_TABLE);
		return lua_error(L);
	}
	lua_pop(L, 2);
	lua_settop(L, 3);
	lua_rawset(L, 1);
	return 1;
}

/*
 * Pushes the proxy of the table at idx, making it (and, first, proxies of every table inside
 * it and of its metatable's tables) if it has none yet. The real table stays reachable only
 * through the proxy's __index.
 */
static void
push_proxy(lua_State *L, struct script_engine *e, int idx, int by_real)
{
	idx = idx < 0 ? lua_gettop(L) + idx + 1 : idx;
	lua_pushvalue(L, idx);
	lua_rawget(L, by_real);
	if (!lua_isnil(L, -1))
		return;
	lua_pop(L, 1);

	lua_newtable(L);			/* the proxy */
	lua_pushvalue(L, idx);
	lua_pushvalue(L, -2);
	lua_rawset(L, by_real);			/* by_real[real] = proxy, before recursing */
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->proxies);
	lua_pushvalue(L, -2);
	lua_pushvalue(L, idx);
	lua_rawset(L, -3);			/* proxies[proxy] = real */
	lua_pop(L, 1);

	/* Replace the tables inside (existing fields may be assigned during lua_next). */
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_istable(L, -1)) {
			push_proxy(L, e, -1, by_real);
			lua_pushvalue(L, -3);	/* key */
			lua_insert(L, -2);
			lua_rawset(L, idx);
		}
		lua_pop(L, 1);
	}

	lua_createtable(L, 0, 3);		/* the proxy's metatable */
	lua_pushvalue(L, idx);
	lua_setfield(L, -2, "__index");
	lua_pushcfunction(L, l_readonly_newindex);
	lua_setfield(L, -2, "__newindex");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

/* Opens a library the way Redis does: its opener called with the library's name. */
static void
open_lib(lua_State *L, const char *name, lua_CFunction fn)
{
	lua_pushcfunction(L, fn);
	lua_pushstring(L, name);
	lua_call(L, 1, 0);
}

/* Sets field name of the table on top to the C closure fn with upvalue e. */
static void
set_fn(lua_State *L, struct script_engine *e, const char *name, lua_CFunction fn)
{
	lua_pushlightuserdata(L, e);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
}

static void
set_num(lua_State *L, const char *name, lua_Number v)
{
	lua_pushnumber(L, v);
	lua_setfield(L, -2, name);
}

/* ---- 2. the redis.* API ---- */

static void push_reply(lua_State *L, const char *buf, size_t len, size_t *pos);

static int
call_command(lua_State *L, bool raise)
{
	struct script_engine *e = engine_of(L);
	int argc = lua_gettop(L);
	bool is_error;

	if (!e->running)
		return raise_error(L,
		    "redis.call/pcall can only be called inside a script invocation");
	if (argc == 0) {
		push_error_table(L, "Please specify at least one argument for this redis lib call",
		    60);
		return raise ? lua_error(L) : 1;
	}
	if (e->in_call) {
		static const char msg[] = "luaRedisGenericCommand() recursive call detected. "
		    "Are you doing funny stuff with Lua debug hooks?";

		push_error_table(L, msg, sizeof msg - 1);
		return 1;
	}
	if (argc > e->argv_cap) {
		e->argv = xrealloc(e->argv, (size_t)argc * sizeof *e->argv);
		e->numbuf = xrealloc(e->numbuf, (size_t)argc * NUMBUF);
		e->argv_cap = argc;
	}
	for (int j = 0; j < argc; j++) {
		if (lua_type(L, j + 1) == LUA_TNUMBER) {
			char *d = e->numbuf + (size_t)j * NUMBUF;

			e->argv[j].ptr = d;
			e->argv[j].len = num_fmt_g17(d, (double)lua_tonumber(L, j + 1));
		} else {
			size_t n;
			const char *s = lua_tolstring(L, j + 1, &n);

			if (s == NULL) {
				static const char msg[] =
				    "Lua redis lib command arguments must be strings or integers";

				push_error_table(L, msg, sizeof msg - 1);
				return raise ? lua_error(L) : 1;
			}
			/* The string stays on the stack, so the view stays valid for the call. */
			e->argv[j].ptr = (char *)s;
			e->argv[j].len = n;
		}
	}

	e->in_call = true;
	e->cap.len = 0;
	e->cap.proto = e->resp;
	e->host->call(e->run_arg, e->argv, argc, &e->cap);
	e->in_call = false;

	lua_settop(L, 0);
	luaL_checkstack(L, 8, "reached lua stack limit");
	is_error = e->cap.len > 0 && e->cap.buf[0] == '-';
	{
		size_t pos = 0;

		push_reply(L, e->cap.buf, e->cap.len, &pos);
	}
	if (is_error) {
		/* The command already counted its error (Redis' ignore_error_stats_update). */
		lua_pushboolean(L, 1);
		lua_setfield(L, -2, "ignore_error_stats_update");
	}
	if (e->cap.cap > CAP_SHRINK_AT) {
		xfree(e->cap.buf);
		e->cap.buf = xmalloc(CAP_INITIAL);
		e->cap.cap = CAP_INITIAL;
	}
	e->cap.len = 0;
	if (raise && is_error)
		return lua_error(L);
	return 1;
}

static int
l_call(lua_State *L)
{
	return call_command(L, true);
}

static int
l_pcall_command(lua_State *L)
{
	return call_command(L, false);
}

/* Redis' pcall: an error table caught is returned as its err string. */
static int
l_pcall(lua_State *L)
{
	int argc = lua_gettop(L);

	/* Redis' pcall() without a function returns nothing (it calls beyond the stack). */
	if (argc == 0)
		return 0;
	lua_pushboolean(L, 1);
	lua_insert(L, 1);
	if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
		lua_remove(L, 1);
		if (lua_istable(L, -1)) {
			lua_getfield(L, -1, "err");
			if (lua_isstring(L, -1))
				lua_replace(L, -2);
			else
				lua_pop(L, 1);
		}
		lua_pushboolean(L, 0);
		lua_insert(L, 1);
	}
	return lua_gettop(L);
}

static int
l_sha1hex(lua_State *L)
{
	char hex[41];
	size_t n = 0;
	const char *s;

	if (lua_gettop(L) != 1)
		return raise_error(L, "wrong number of arguments");
	s = lua_tolstring(L, 1, &n);
	sha1_hex(s != NULL ? s : "", s != NULL ? n : 0, hex);
	lua_pushstring(L, hex);
	return 1;
}

static int
l_error_reply(lua_State *L)
{
	size_t n;
	const char *s;

	if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
		push_error_table(L, "wrong number or type of arguments", 33);
		return 1;
	}
	s = lua_tolstring(L, -1, &n);
	n = strlen(s);		/* Redis reads it as a C string */
	if (n > 0 && s[0] == '-') {
		push_error_table(L, s, n);
	} else {
		luaL_Buffer b;

		luaL_buffinit(L, &b);
		luaL_addchar(&b, '-');
		luaL_addlstring(&b, s, n);
		luaL_pushresult(&b);
		s = lua_tolstring(L, -1, &n);
		push_error_table(L, s, n);
	}
	return 1;
}

static int
l_status_reply(lua_State *L)
{
	if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
		push_error_table(L, "wrong number or type of arguments", 33);
		return 1;
	}
	lua_createtable(L, 0, 1);
	lua_pushvalue(L, -2);
	lua_setfield(L, -2, "ok");
	return 1;
}

static int
l_set_repl(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	int flags;

	if (!e->running)
		return raise_error(L, "redis.set_repl can only be called inside a script invocation");
	if (lua_gettop(L) != 1)
		return raise_error(L, "redis.set_repl() requires two arguments.");
	flags = (int)lua_tonumber(L, -1);
	if ((flags & ~3) != 0)
		return raise_error(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, "
		    "REPL_ALL or REPL_NONE.");
	/* A replica propagates nothing: the flags are checked and dropped. */
	return 0;
}

static int
l_acl_check_cmd(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	int argc = lua_gettop(L);

	if (!e->running)
		return raise_error(L,
		    "redis.acl_check_cmd can only be called inside a script invocation");
	if (argc == 0)
		return raise_error(L, "Please specify at least one argument for this redis lib call");
	for (int j = 1; j <= argc; j++) {
		if (lua_type(L, j) != LUA_TNUMBER && lua_tostring(L, j) == NULL)
			return raise_error(L,
			    "Lua redis lib command arguments must be strings or integers");
	}
	{
		size_t n;
		const char *name = lua_tolstring(L, 1, &n);
		struct resp_arg a[2];
		int na = argc >= 2 ? 2 : 1;

		a[0].ptr = (char *)name;
		a[0].len = n;
		if (na == 2) {
			a[1].ptr = (char *)lua_tolstring(L, 2, &n);
			a[1].len = n;
		}
		if (e->host->command_exists == NULL || !e->host->command_exists(a, na))
			return raise_error(L, "Invalid command passed to redis.acl_check_cmd()");
	}
	/* Every client is the default user, who may run every command. */
	lua_pushboolean(L, 1);
	return 1;
}

static int
l_log(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	int argc = lua_gettop(L), level;
	luaL_Buffer b;

	if (argc < 2)
		return raise_error(L, "redis.log() requires two arguments or more.");
	if (!lua_isnumber(L, 1))
		return raise_error(L, "First argument must be a number (log level).");
	level = (int)lua_tonumber(L, 1);
	if (level < SCRIPT_LOG_DEBUG || level > SCRIPT_LOG_WARNING)
		return raise_error(L, "Invalid debug level.");
	if (level < e->host->log_level || e->host->log == NULL)
		return 0;
	luaL_buffinit(L, &b);
	for (int j = 2; j <= argc; j++) {
		size_t n;
		const char *s = lua_tolstring(L, j, &n);

		if (s == NULL)
			continue;
		if (j != 2)
			luaL_addchar(&b, ' ');
		luaL_addlstring(&b, s, n);
	}
	luaL_pushresult(&b);
	{
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);

		e->host->log(level, s, n);
	}
	return 0;
}

static int
l_setresp(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	int resp;

	if (!e->running)
		return raise_error(L, "redis.setresp can only be called inside a script invocation");
	if (lua_gettop(L) != 1)
		return raise_error(L, "redis.setresp() requires one argument.");
	resp = (int)lua_tonumber(L, 1);
	if (resp != 2 && resp != 3)
		return raise_error(L, "RESP version must be 2 or 3.");
	e->resp = resp;
	return 0;
}

static int
l_breakpoint(lua_State *L)
{
	/* No debugger session can be active: SCRIPT DEBUG is not offered. */
	lua_pushboolean(L, 0);
	return 1;
}

static int
l_debug(lua_State *L)
{
	(void)L;
	return 0;
}

static int
l_replicate_commands(lua_State *L)
{
	lua_pushboolean(L, 1);
	return 1;
}

/* The next value of Redis' 48-bit linear congruential generator (the lrand48 family). */
static int32_t
lrand48_next(struct script_engine *e)
{
	e->rand48 = (e->rand48 * 0x5deece66dULL + 0xb) & ((1ULL << 48) - 1);
	return (int32_t)(e->rand48 >> 17);
}

static int
l_math_random(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	lua_Number r;

	if (!e->running)
		return luaL_error(L, "math.random can only be called inside a script invocation");
	r = (lua_Number)(lrand48_next(e) % LRAND48_MAX) / (lua_Number)LRAND48_MAX;
	switch (lua_gettop(L)) {
	case 0:
		lua_pushnumber(L, r);
		break;
	case 1: {
		int u = luaL_checkint(L, 1);

		luaL_argcheck(L, 1 <= u, 1, "interval is empty");
		lua_pushnumber(L, floor(r * u) + 1);
		break;
	}
	case 2: {
		int l = luaL_checkint(L, 1), u = luaL_checkint(L, 2);

		luaL_argcheck(L, l <= u, 2, "interval is empty");
		lua_pushnumber(L, floor(r * (u - l + 1)) + l);
		break;
	}
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	return 1;
}

static int
l_math_randomseed(lua_State *L)
{
	struct script_engine *e = engine_of(L);
	uint32_t seed;

	if (!e->running)
		return luaL_error(L,
		    "math.randomseed can only be called inside a script invocation");
	seed = (uint32_t)luaL_checkint(L, 1);
	e->rand48 = ((uint64_t)seed << 16) | 0x330e;
	return 0;
}

/* The error handler of every script run: Redis' {err, source, line} error tables. */
static const char errh_source[] =
    "local getinfo = ...\n"
    "return function(e)\n"
    "  local at = getinfo(2, 'Sl')\n"
    "  if at and at.what == 'C' then at = getinfo(3, 'Sl') end\n"
    "  if type(e) ~= 'table' then e = {err = 'ERR ' .. tostring(e)} end\n"
    "  if at then e['source'] = at.source; e['line'] = at.currentline end\n"
    "  return e\n"
    "end\n";

static void *
lua_alloc_fn(void *ud, void *p, size_t osize, size_t nsize)
{
	(void)ud;
	(void)osize;
	if (nsize == 0) {
		xfree(p);
		return NULL;
	}
	return xrealloc(p, nsize);
}

/* Builds the sandboxed state described at the top of this file. */
static void
state_init(struct script_engine *e)
{
	lua_State *L = lua_newstate(lua_alloc_fn, NULL);
	int by_real, g;

	e->L = L;
	lua_pushlightuserdata(L, &engine_key);
	lua_pushlightuserdata(L, e);
	lua_rawset(L, LUA_REGISTRYINDEX);
	open_lib(L, "", luaopen_base);
	open_lib(L, LUA_TABLIBNAME, luaopen_table);
	open_lib(L, LUA_STRLIBNAME, luaopen_string);
	open_lib(L, LUA_MATHLIBNAME, luaopen_math);
	open_lib(L, LUA_DBLIBNAME, luaopen_debug);
	open_lib(L, "cjson", script_open_cjson);
	open_lib(L, "struct", script_open_struct);
	open_lib(L, "cmsgpack", script_open_cmsgpack);
	open_lib(L, "bit", script_open_bit);

	/* Not in Redis 7.0's globals: its deny list, and what its Lua no longer offers. */
	{
		static const char *const removed[] = {
			"dofile", "loadfile", "print", "getfenv", "setfenv", "newproxy",
		};

		for (size_t i = 0; i < sizeof removed / sizeof removed[0]; i++) {
			lua_pushnil(L);
			lua_setglobal(L, removed[i]);
		}
	}

	lua_pushlightuserdata(L, e);
	lua_pushcclosure(L, l_pcall, 1);
	lua_setglobal(L, "pcall");
	lua_newtable(L);
	e->proxies = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushlightuserdata(L, e);
	lua_pushcclosure(L, l_rawget, 1);
	lua_setglobal(L, "rawget");
	lua_pushlightuserdata(L, e);
	lua_pushcclosure(L, l_rawset, 1);
	lua_setglobal(L, "rawset");
	lua_pushlightuserdata(L, e);
	lua_pushcclosure(L, l_next, 1);
	lua_pushvalue(L, -1);
	lua_setglobal(L, "next");
	lua_pushlightuserdata(L, e);
	lua_insert(L, -2);
	lua_pushcclosure(L, l_pairs, 2);
	lua_setglobal(L, "pairs");

	lua_newtable(L);
	set_fn(L, e, "call", l_call);
	set_fn(L, e, "pcall", l_pcall_command);
	set_fn(L, e, "log", l_log);
	set_num(L, "LOG_DEBUG", SCRIPT_LOG_DEBUG);
	set_num(L, "LOG_VERBOSE", SCRIPT_LOG_VERBOSE);
	set_num(L, "LOG_NOTICE", SCRIPT_LOG_NOTICE);
	set_num(L, "LOG_WARNING", SCRIPT_LOG_WARNING);
	set_num(L, "REDIS_VERSION_NUM", e->host->version_num);
	lua_pushstring(L, e->host->version);
	lua_setfield(L, -2, "REDIS_VERSION");
	set_fn(L, e, "setresp", l_setresp);
	set_fn(L, e, "sha1hex", l_sha1hex);
	set_fn(L, e, "error_reply", l_error_reply);
	set_fn(L, e, "status_reply", l_status_reply);
	set_fn(L, e, "set_repl", l_set_repl);
	set_num(L, "REPL_NONE", 0);
	set_num(L, "REPL_AOF", 1);
	set_num(L, "REPL_SLAVE", 2);
	set_num(L, "REPL_REPLICA", 2);
	set_num(L, "REPL_ALL", 3);
	set_fn(L, e, "acl_check_cmd", l_acl_check_cmd);
	set_fn(L, e, "breakpoint", l_breakpoint);
	set_fn(L, e, "debug", l_debug);
	set_fn(L, e, "replicate_commands", l_replicate_commands);
	lua_setglobal(L, "redis");

	lua_getglobal(L, "math");
	set_fn(L, e, "random", l_math_random);
	set_fn(L, e, "randomseed", l_math_randomseed);
	lua_pop(L, 1);

	/* The error handler keeps debug.getinfo; scripts get no debug library. */
	if (luaL_loadbuffer(L, errh_source, sizeof errh_source - 1, "=errh") != 0)
		abort();
	lua_getglobal(L, "debug");
	lua_getfield(L, -1, "getinfo");
	lua_remove(L, -2);
	lua_call(L, 1, 1);
	lua_pushvalue(L, -1);
	lua_setglobal(L, "__redis__err__handler");	/* a global in Redis too */
	e->errh = luaL_ref(L, LUA_REGISTRYINDEX);
	lua_pushnil(L);
	lua_setglobal(L, "debug");

	/* Lock: the real globals answer missing names with an error... */
	lua_pushvalue(L, LUA_GLOBALSINDEX);
	g = lua_gettop(L);
	lua_createtable(L, 0, 1);
	lua_pushcfunction(L, l_missing_global);
	lua_setfield(L, -2, "__index");
	lua_setmetatable(L, g);
	lua_pushvalue(L, g);
	e->real_globals = luaL_ref(L, LUA_REGISTRYINDEX);

	/* ...and scripts see them, every table in them and the string metatable through proxies. */
	lua_newtable(L);
	by_real = lua_gettop(L);
	push_proxy(L, e, g, by_real);
	lua_pushstring(L, "");
	if (lua_getmetatable(L, -1)) {
		int smt = lua_gettop(L);

		push_proxy(L, e, smt, by_real);
		lua_setfield(L, smt, "__metatable");
		lua_pop(L, 1);
	}
	lua_pop(L, 1);			/* "" */
	lua_replace(L, LUA_GLOBALSINDEX);	/* the globals proxy */
	lua_settop(L, 0);
}

/* ---- 3. conversions ---- */

/*
 * Pushes the error table of an error reply's text (without its '-'). Not inlined: its
 * luaL_Buffer is BUFSIZ bytes, which would otherwise sit in every frame of push_reply's
 * recursion.
 */
static __attribute__((noinline)) void
push_error_reply(lua_State *L, const char *str, size_t len)
{
	luaL_Buffer b;
	const char *s;
	size_t n;

	luaL_buffinit(L, &b);
	luaL_addchar(&b, '-');
	luaL_addlstring(&b, str, len);
	luaL_pushresult(&b);
	s = lua_tolstring(L, -1, &n);
	push_error_table(L, s, n);
	lua_remove(L, -2);
}

/*
 * Pushes the Lua value of the reply at buf[*pos] (Redis' redisProtocolToLuaType). Nesting is
 * bounded by Lua's stack: luaL_checkstack raises an error past LUAI_MAXCSTACK slots.
 */
static void
push_reply(lua_State *L, const char *buf, size_t len, size_t *pos)
{
	struct resp_item it;

	if (resp_read_item(buf, len, pos, &it) != RESP_OK) {
		/* Cannot happen: the reply comes from our own writer. */
		lua_pushboolean(L, 0);
		*pos = len;
		return;
	}
	luaL_checkstack(L, 4, "reached lua stack limit");
	switch (it.type) {
	case RESP_T_INT:
		lua_pushnumber(L, (lua_Number)it.i);
		break;
	case RESP_T_BULK:
		if (it.null)
			lua_pushboolean(L, 0);
		else
			lua_pushlstring(L, it.str, it.len);
		break;
	case RESP_T_SIMPLE:
		lua_createtable(L, 0, 1);
		lua_pushlstring(L, it.str, it.len);
		lua_setfield(L, -2, "ok");
		break;
	case RESP_T_ERROR:
	case RESP_T_BLOBERR:
		push_error_reply(L, it.str, it.len);
		break;
	case RESP_T_ARRAY:
	case RESP_T_PUSH:
		if (it.null) {
			lua_pushboolean(L, 0);
			break;
		}
		lua_createtable(L, it.n < 1024 ? (int)it.n : 1024, 0);
		for (uint64_t j = 0; j < it.n; j++) {
			push_reply(L, buf, len, pos);
			lua_rawseti(L, -2, (int)(j + 1));
		}
		break;
	case RESP_T_MAP:
		lua_createtable(L, 0, 1);
		lua_createtable(L, 0, it.n < 1024 ? (int)it.n : 1024);
		for (uint64_t j = 0; j < it.n; j++) {
			push_reply(L, buf, len, pos);
			push_reply(L, buf, len, pos);
			lua_settable(L, -3);
		}
		lua_setfield(L, -2, "map");
		break;
	case RESP_T_SET:
		lua_createtable(L, 0, 1);
		lua_createtable(L, 0, it.n < 1024 ? (int)it.n : 1024);
		for (uint64_t j = 0; j < it.n; j++) {
			push_reply(L, buf, len, pos);
			lua_pushboolean(L, 1);
			lua_settable(L, -3);
		}
		lua_setfield(L, -2, "set");
		break;
	case RESP_T_ATTR:
		/* Attributes are not shown to scripts: skip them, read the reply they precede. */
		for (uint64_t j = 0; j < 2 * it.n; j++) {
			if (resp_skip_reply(buf, len, pos) != RESP_OK)
				*pos = len;
		}
		push_reply(L, buf, len, pos);
		break;
	case RESP_T_NULL:
		lua_pushnil(L);
		break;
	case RESP_T_BOOL:
		lua_pushboolean(L, it.i != 0);
		break;
	case RESP_T_DOUBLE:
		lua_createtable(L, 0, 1);
		lua_pushnumber(L, it.d);
		lua_setfield(L, -2, "double");
		break;
	case RESP_T_BIGNUM:
		lua_createtable(L, 0, 1);
		lua_pushlstring(L, it.str, it.len);
		lua_setfield(L, -2, "big_number");
		break;
	case RESP_T_VERBATIM:
		lua_createtable(L, 0, 1);
		lua_createtable(L, 0, 2);
		lua_pushlstring(L, it.str, it.len);
		lua_setfield(L, -2, "string");
		lua_pushlstring(L, it.fmt, 3);
		lua_setfield(L, -2, "format");
		lua_setfield(L, -2, "verbatim_string");
		break;
	default:
		lua_pushboolean(L, 0);
		break;
	}
}

/*
 * A copy of the C string s with CR and LF turned into spaces, pushed on the Lua stack. Not
 * inlined, so that its luaL_Buffer stays out of reply_from_lua's recursive frames.
 */
static __attribute__((noinline)) const char *
push_mapped(lua_State *L, const char *s, size_t n)
{
	luaL_Buffer b;

	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++)
		luaL_addchar(&b, s[i] == '\r' || s[i] == '\n' ? ' ' : s[i]);
	luaL_pushresult(&b);
	return lua_tostring(L, -1);
}

/* Field name of the table at -1, raw; pushes it and returns its type. */
static int
raw_field(lua_State *L, const char *name)
{
	lua_pushstring(L, name);
	lua_rawget(L, -2);
	return lua_type(L, -1);
}

/* Writes the value on top of the stack as a reply and pops it (luaReplyToRedisReply). */
static void
reply_from_lua(struct script_engine *e, lua_State *L, struct resp_out *out)
{
	int t = lua_type(L, -1);

	if (!lua_checkstack(L, 4)) {
		resp_add_error(out, "ERR reached lua stack limit", 27);
		lua_pop(L, 1);
		return;
	}
	switch (t) {
	case LUA_TSTRING: {
		size_t n;
		const char *s = lua_tolstring(L, -1, &n);

		resp_add_bulk(out, s, n);
		break;
	}
	case LUA_TBOOLEAN:
		if (e->resp == 2) {
			if (lua_toboolean(L, -1))
				resp_add_int(out, 1);
			else
				resp_add_null(out);
		} else {
			resp_add_bool(out, lua_toboolean(L, -1));
		}
		break;
	case LUA_TNUMBER: {
		double d = (double)lua_tonumber(L, -1);

		/* (long long) of a double out of range is what x86-64 gives: INT64_MIN. */
		if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
			resp_add_int(out, (int64_t)d);
		else
			resp_add_int(out, INT64_MIN);
		break;
	}
	case LUA_TTABLE:
		if (raw_field(L, "err") == LUA_TSTRING) {
			/* "-" and the message as a C string; CR and LF trimmed at the end, spaces
			 * inside (Redis' addReplyErrorFormat). */
			const char *msg = lua_tostring(L, -1);
			size_t n = strlen(msg);

			while (n > 0 && (msg[n - 1] == '\r' || msg[n - 1] == '\n'))
				n--;
			resp_add_error(out, msg, n);
			lua_pop(L, 2);
			return;
		}
		lua_pop(L, 1);
		if (raw_field(L, "ok") == LUA_TSTRING) {
			const char *s = lua_tostring(L, -1);
			const char *mapped = push_mapped(L, s, strlen(s));

			resp_add_simple(out, mapped, strlen(mapped));
			lua_pop(L, 3);
			return;
		}
		lua_pop(L, 1);
		if (raw_field(L, "double") == LUA_TNUMBER) {
			resp_add_double(out, (double)lua_tonumber(L, -1));
			lua_pop(L, 2);
			return;
		}
		lua_pop(L, 1);
		if (raw_field(L, "big_number") == LUA_TSTRING) {
			size_t n;
			const char *s = lua_tolstring(L, -1, &n);
			const char *mapped = push_mapped(L, s, n);

			resp_add_bignum(out, mapped, n);
			lua_pop(L, 3);
			return;
		}
		lua_pop(L, 1);
		if (raw_field(L, "verbatim_string") == LUA_TTABLE) {
			if (raw_field(L, "format") == LUA_TSTRING) {
				/* Up to 3 bytes of the C string, padded with spaces, as Redis does. */
				char fmt[4] = { ' ', ' ', ' ', 0 };
				const char *f = lua_tostring(L, -1);

				for (int i = 0; i < 3 && f[i] != '\0'; i++)
					fmt[i] = f[i];
				lua_pushstring(L, "string");
				lua_rawget(L, -3);
				if (lua_type(L, -1) == LUA_TSTRING) {
					size_t n;
					const char *s = lua_tolstring(L, -1, &n);

					resp_add_verbatim(out, fmt, s, n);
					lua_pop(L, 4);
					return;
				}
				lua_pop(L, 1);
			}
			lua_pop(L, 1);
		}
		lua_pop(L, 1);
		if (raw_field(L, "map") == LUA_TTABLE) {
			size_t n = 0;

			lua_pushnil(L);
			while (lua_next(L, -2)) {
				lua_pop(L, 1);
				n++;
			}
			resp_add_map(out, n);
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				lua_pushvalue(L, -2);
				reply_from_lua(e, L, out);	/* the key */
				reply_from_lua(e, L, out);	/* the value */
			}
			lua_pop(L, 2);
			return;
		}
		lua_pop(L, 1);
		if (raw_field(L, "set") == LUA_TTABLE) {
			size_t n = 0;

			lua_pushnil(L);
			while (lua_next(L, -2)) {
				lua_pop(L, 1);
				n++;
			}
			resp_add_set(out, n);
			lua_pushnil(L);
			while (lua_next(L, -2)) {
				lua_pop(L, 1);
				lua_pushvalue(L, -1);
				reply_from_lua(e, L, out);
			}
			lua_pop(L, 2);
			return;
		}
		lua_pop(L, 1);
		{
			size_t n = 0;

			for (;;) {
				lua_rawgeti(L, -1, (int)(n + 1));
				if (lua_isnil(L, -1)) {
					lua_pop(L, 1);
					break;
				}
				lua_pop(L, 1);
				n++;
			}
			resp_add_array(out, n);
			for (size_t j = 0; j < n; j++) {
				lua_rawgeti(L, -1, (int)(j + 1));
				reply_from_lua(e, L, out);
			}
		}
		break;
	default:
		resp_add_null(out);
		break;
	}
	lua_pop(L, 1);
}

/* The string of field name of the table on top (raw: no metamethod may run here), or NULL. */
static const char *
raw_string_field(lua_State *L, const char *name)
{
	const char *v;

	lua_pushstring(L, name);
	lua_rawget(L, -2);
	v = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
	lua_pop(L, 1);		/* the table still references the string */
	return v;
}

/*
 * Writes the error reply of a failed run, from the error value on top of the stack (popped):
 * Redis' "<err> script: <sha>, on <source>:<line>." An error table without an err string
 * (error({})) crashes Redis 7.0; here its message is "ERR unknown error".
 */
static void
reply_error(lua_State *L, const struct script *s, struct resp_out *out)
{
	const char *msg, *src, *line;
	size_t n;
	char *buf;

	if (!lua_istable(L, -1)) {
		const char *m = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
		char small[256];
		int len = snprintf(small, sizeof small, "ERR Error running script %s, %.100s",
		    s->sha, m);

		resp_add_error(out, small, (size_t)len < sizeof small ? (size_t)len : sizeof small - 1);
		lua_pop(L, 1);
		return;
	}
	msg = raw_string_field(L, "err");
	src = raw_string_field(L, "source");
	line = raw_string_field(L, "line");
	if (msg == NULL)
		msg = "ERR unknown error";
	n = strlen(msg);
	if (src != NULL && line != NULL) {
		size_t cap = n + strlen(src) + strlen(line) + 64;

		buf = xmalloc(cap);
		n = (size_t)snprintf(buf, cap, "%s script: %s, on %s:%s.", msg, s->sha, src, line);
		resp_add_error(out, buf, n);
		xfree(buf);
	} else {
		resp_add_error(out, msg, n);
	}
	lua_pop(L, 1);
}

/* ---- 4. the cache and runs ---- */

struct script_engine *
script_engine_new(const struct script_host *host)
{
	struct script_engine *e = xcalloc(1, sizeof *e);

	e->host = host;
	e->rand48 = 0x1234abcd330eULL;		/* lrand48's state before any seed */
	e->cap.buf = xmalloc(CAP_INITIAL);
	e->cap.cap = CAP_INITIAL;
	e->cap.proto = 2;
	e->cap.make_room = resp_out_grow;
	state_init(e);
	return e;
}

static void
cache_clear(struct script_engine *e)
{
	for (size_t i = 0; i < e->nbuckets; i++) {
		struct script *s = e->buckets[i], *next;

		for (; s != NULL; s = next) {
			next = s->next;
			xfree(s);
		}
	}
	xfree(e->buckets);
	e->buckets = NULL;
	e->nbuckets = 0;
	e->count = 0;
	e->body_bytes = 0;
}

void
script_engine_free(struct script_engine *e)
{
	if (e == NULL)
		return;
	cache_clear(e);
	lua_close(e->L);
	xfree(e->argv);
	xfree(e->numbuf);
	xfree(e->cap.buf);
	xfree(e);
}

void
script_flush(struct script_engine *e)
{
	cache_clear(e);
	lua_close(e->L);
	state_init(e);
}

/*
 * The bucket hash of a SHA-1 in hex: its first 16 digits as a number (a SHA-1 is uniform
 * already), read in either case. Returns false if one of them is not a hex digit.
 */
static bool
sha_hash(const char *sha, uint64_t *h)
{
	uint64_t v = 0;

	for (int i = 0; i < 16; i++) {
		unsigned c = (unsigned char)sha[i], d;

		if (c - '0' < 10)
			d = c - '0';
		else if ((c | 0x20) - 'a' < 6)
			d = (c | 0x20) - 'a' + 10;
		else
			return false;
		v = v << 4 | d;
	}
	*h = v;
	return true;
}

struct script *
script_find(struct script_engine *e, const char *sha, size_t len)
{
	struct script *s;
	uint64_t h;

	if (len != 40 || e->nbuckets == 0 || !sha_hash(sha, &h))
		return NULL;
	for (s = e->buckets[h & (e->nbuckets - 1)]; s != NULL; s = s->next) {
		/* s->sha is lower-case hex: a match in any case is hex in any case. */
		if (memcmp(s->sha, sha, 40) == 0 || strncasecmp(s->sha, sha, 40) == 0)
			return s;
	}
	return NULL;
}

static void
cache_add(struct script_engine *e, struct script *s)
{
	uint64_t h = 0;
	size_t b;

	if (e->count >= e->nbuckets) {
		size_t nb = e->nbuckets == 0 ? 16 : e->nbuckets * 2;
		struct script **nbk = xcalloc(nb, sizeof *nbk);

		for (size_t i = 0; i < e->nbuckets; i++) {
			struct script *p = e->buckets[i], *next;

			for (; p != NULL; p = next) {
				uint64_t ph = 0;

				next = p->next;
				(void)sha_hash(p->sha, &ph);
				b = ph & (nb - 1);
				p->next = nbk[b];
				nbk[b] = p;
			}
		}
		xfree(e->buckets);
		e->buckets = nbk;
		e->nbuckets = nb;
	}
	(void)sha_hash(s->sha, &h);
	b = h & (e->nbuckets - 1);
	s->next = e->buckets[b];
	e->buckets[b] = s;
	e->count++;
	e->body_bytes += s->body_len;
}

/* The flag names of a "#!lua flags=..." line. */
static const struct {
	const char *name;
	unsigned flag;
} shebang_flags[] = {
	{ "no-writes", SCRIPT_FLAG_NO_WRITES },
	{ "allow-oom", SCRIPT_FLAG_ALLOW_OOM },
	{ "allow-stale", SCRIPT_FLAG_ALLOW_STALE },
	{ "no-cluster", SCRIPT_FLAG_NO_CLUSTER },
	{ "allow-cross-slot-keys", SCRIPT_FLAG_ALLOW_CROSS_SLOT },
};

/* Parses one comma-separated flags list (the text after "flags="). */
static bool
parse_flag_list(const char *p, size_t n, unsigned *flags, char *err, size_t errlen)
{
	size_t i = 0;

	while (i < n) {
		size_t j = i, k;

		while (j < n && p[j] != ',')
			j++;
		for (k = 0; k < sizeof shebang_flags / sizeof shebang_flags[0]; k++) {
			if (strlen(shebang_flags[k].name) == j - i &&
			    memcmp(shebang_flags[k].name, p + i, j - i) == 0)
				break;
		}
		if (k == sizeof shebang_flags / sizeof shebang_flags[0]) {
			snprintf(err, errlen, "ERR Unexpected flag in script shebang: %.*s",
			    (int)(j - i), p + i);
			return false;
		}
		*flags |= shebang_flags[k].flag;
		i = j + 1;
	}
	return true;
}

/*
 * Reads a "#!" first line: sets *flags and *skip (the bytes of the line before its newline,
 * which stays so that line numbers do not move). Words are split on blanks.
 */
static bool
parse_shebang(const char *body, size_t len, unsigned *flags, size_t *skip, char *err,
    size_t errlen)
{
	const char *nl, *p, *end;
	bool first = true;

	*flags = SCRIPT_FLAG_EVAL_COMPAT;
	*skip = 0;
	if (len < 2 || body[0] != '#' || body[1] != '!')
		return true;
	nl = memchr(body, '\n', len);
	if (nl == NULL) {
		snprintf(err, errlen, "ERR Invalid script shebang");
		return false;
	}
	*skip = (size_t)(nl - body);
	*flags = 0;
	p = body;
	end = nl;
	for (;;) {
		const char *w;

		while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' ||
		    *p == '\f'))
			p++;
		if (p == end)
			break;
		w = p;
		while (p < end && !(*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' ||
		    *p == '\f'))
			p++;
		if (first) {
			if (p - w != 5 || memcmp(w, "#!lua", 5) != 0) {
				snprintf(err, errlen, "ERR Unexpected engine in script shebang: %.*s",
				    (int)(p - w), w);
				return false;
			}
			first = false;
		} else if (p - w >= 6 && memcmp(w, "flags=", 6) == 0) {
			if (!parse_flag_list(w + 6, (size_t)(p - w) - 6, flags, err, errlen))
				return false;
		} else {
			snprintf(err, errlen, "ERR Unknown lua shebang option: %.*s", (int)(p - w), w);
			return false;
		}
	}
	if (first) {
		snprintf(err, errlen, "ERR Invalid engine in script shebang");
		return false;
	}
	return true;
}

struct script *
script_find_body(struct script_engine *e, const char *body, size_t len)
{
	char sha[41];

	if (e->count == 0)
		return NULL;
	sha1_hex(body, len, sha);
	return script_find(e, sha, 40);
}

unsigned
script_body_flags(const char *body, size_t len)
{
	char err[128];
	unsigned flags;
	size_t skip;

	if (!parse_shebang(body, len, &flags, &skip, err, sizeof err))
		return SCRIPT_FLAG_EVAL_COMPAT;
	return flags;
}

struct script *
script_load(struct script_engine *e, const char *body, size_t len, char *err, size_t errlen)
{
	char sha[41];
	struct script *s;
	unsigned flags;
	size_t skip;

	sha1_hex(body, len, sha);
	if ((s = script_find(e, sha, 40)) != NULL)
		return s;
	if (!parse_shebang(body, len, &flags, &skip, err, errlen))
		return NULL;
	if (luaL_loadbuffer(e->L, body + skip, len - skip, "@user_script") != 0) {
		snprintf(err, errlen, "ERR Error compiling script (new function): %s",
		    lua_tostring(e->L, -1));
		lua_pop(e->L, 1);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	memcpy(s->sha, sha, sizeof sha);
	s->flags = flags;
	s->body_len = len;
	s->ref = luaL_ref(e->L, LUA_REGISTRYINDEX);
	cache_add(e, s);
	return s;
}

/* Sets global name of the real globals to an array of the n views at v. */
static void
set_array(lua_State *L, int globals, const char *name, const struct resp_arg *v, int n)
{
	lua_createtable(L, n, 0);
	for (int i = 0; i < n; i++) {
		lua_pushlstring(L, v[i].ptr, v[i].len);
		lua_rawseti(L, -2, i + 1);
	}
	lua_setfield(L, globals, name);
}

/*
 * The count hook: lets the host serve others while a script runs long, and ends a killed
 * script. Once killed, it runs on every line, so that pcall cannot swallow the error.
 */
static void
count_hook(lua_State *L, lua_Debug *ar)
{
	struct script_engine *e = engine_from_registry(L);

	(void)ar;
	if (!e->killed && e->host->busy != NULL)
		e->host->busy(e->run_arg);
	if (e->killed) {
		lua_sethook(L, count_hook, LUA_MASKLINE, 0);
		raise_error(L, "Script killed by user with SCRIPT KILL...");
	}
}

bool
script_kill(struct script_engine *e)
{
	if (!e->running)
		return false;
	e->killed = true;
	return true;
}

void
script_eval(struct script_engine *e, struct script *s, const struct resp_arg *keys,
    int nkeys, const struct resp_arg *args, int nargs, struct resp_out *out, void *run_arg)
{
	lua_State *L = e->L;
	int base = lua_gettop(L), err;

	if (!lua_checkstack(L, 8)) {
		resp_add_error(out, "ERR reached lua stack limit", 27);
		return;
	}
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->errh);
	lua_rawgeti(L, LUA_REGISTRYINDEX, e->real_globals);
	/* rawset: the real globals' metatable has no __newindex, but keep it explicit. */
	set_array(L, lua_gettop(L), "KEYS", keys, nkeys);
	set_array(L, lua_gettop(L), "ARGV", args, nargs);
	lua_pop(L, 1);
	lua_rawgeti(L, LUA_REGISTRYINDEX, s->ref);

	e->running = true;
	e->killed = false;
	e->resp = 2;
	e->run_arg = run_arg;
	if (e->host->busy != NULL)
		lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_PERIOD);
	err = lua_pcall(L, 0, 1, base + 1);
	if (e->host->busy != NULL || e->killed)
		lua_sethook(L, NULL, 0, 0);
	if (++e->gc_count == GC_PERIOD) {
		lua_gc(L, LUA_GCSTEP, GC_PERIOD);
		e->gc_count = 0;
	}
	if (err != 0)
		reply_error(L, s, out);
	else
		reply_from_lua(e, L, out);
	e->running = false;
	e->killed = false;
	e->run_arg = NULL;
	lua_settop(L, base);
}

bool
script_running(const struct script_engine *e)
{
	return e->running;
}

size_t
script_count(const struct script_engine *e)
{
	return e->count;
}

size_t
script_bodies_memory(const struct script_engine *e)
{
	return e->body_bytes + e->count * sizeof(struct script);
}

size_t
script_lua_memory(const struct script_engine *e)
{
	return (size_t)lua_gc(e->L, LUA_GCCOUNT, 0) * 1024 + (size_t)lua_gc(e->L, LUA_GCCOUNTB, 0);
}
