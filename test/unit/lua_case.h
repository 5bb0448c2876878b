/*
 * lua_case: the table-driven runner the Lua library suites share (check_lua_bit,
 * check_lua_struct, check_lua_cmsgpack). A case is the body of a Lua function and the
 * serialised pcall results redis-server 7.0.15 gave for it with EVAL: the pcall status, then
 * each value (numbers with %.17g, printable strings quoted, other strings in hex, tables as
 * their sorted key=value pairs, cut at depth 8), so results and error texts compare whole.
 */
#ifndef REPLICANT_TEST_LUA_CASE_H
#define REPLICANT_TEST_LUA_CASE_H

#include <lua.h>

struct lua_case {
	const char *body;
	const char *want;
};

/* A new state with base, table, string and math opened as Redis opens them, then the library
 * open (as the global name). Fails the running test if the state cannot be made. */
lua_State *lua_case_state(lua_CFunction open, const char *name);

/* Runs c in a fresh state with the library, in a one-line chunk named "@user_script", and
 * fails the running test (naming case idx) unless the serialised results equal c->want. */
void lua_case_run(const struct lua_case *c, int idx, lua_CFunction open, const char *name);

#endif
