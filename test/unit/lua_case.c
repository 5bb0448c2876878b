/*
 * lua_case.c: the runner of lua_case.h. The serialiser is Lua code put before each body, so
 * what is compared is what a script sees, exactly as the same chunk gave it on redis-server.
 */
#include <check.h>
#include <string.h>

#include <lauxlib.h>
#include <lualib.h>

#include "test/unit/lua_case.h"

/* The chunk before each body; the body is followed by " end))". */
static const char prelude[] =
	"local function __s(v, d) local t = type(v) if t == 'number' then return "
	"string.format('%.17g', v) elseif t == 'string' then if string.find(v, '[^%w%p ]') or "
	"string.find(v, '[\\\\\"]') then return 'x' .. (string.gsub(v, '.', function(c) return "
	"string.format('%02x', string.byte(c)) end)) end return '\"' .. v .. '\"' elseif t == 'table' "
	"then if d > 8 then return '{...}' end local o = {} for k, x in pairs(v) do o[#o + 1] = __s(k, "
	"d + 1) .. '=' .. __s(x, d + 1) end table.sort(o) return '{' .. table.concat(o, ',') .. '}' "
	"end return tostring(v) end local function __r(...) local o = {} for i = 1, select('#', ...) "
	"do o[i] = __s((select(i, ...)), 0) end return table.concat(o, ' ') end return "
	"__r(pcall(function()";

lua_State *
lua_case_state(lua_CFunction open, const char *name)
{
	static const struct {
		lua_CFunction open;
		const char *name;
	} libs[] = {
		{ luaopen_base, "" },
		{ luaopen_table, LUA_TABLIBNAME },
		{ luaopen_string, LUA_STRLIBNAME },
		{ luaopen_math, LUA_MATHLIBNAME },
	};
	lua_State *L = luaL_newstate();

	ck_assert_ptr_nonnull(L);
	for (size_t i = 0; i < sizeof libs / sizeof libs[0]; i++) {
		lua_pushcfunction(L, libs[i].open);
		lua_pushstring(L, libs[i].name);
		lua_call(L, 1, 0);
	}
	lua_pushcfunction(L, open);
	lua_pushstring(L, name);
	lua_call(L, 1, 0);
	return L;
}

void
lua_case_run(const struct lua_case *c, int idx, lua_CFunction open, const char *name)
{
	lua_State *L = lua_case_state(open, name);
	const char *chunk = lua_pushfstring(L, "%s %s end))", prelude, c->body);
	const char *got;

	if (luaL_loadbuffer(L, chunk, strlen(chunk), "@user_script") != 0 ||
	    lua_pcall(L, 0, 1, 0) != 0)
		ck_abort_msg("case %d (%s) did not run: %s", idx, c->body, lua_tostring(L, -1));
	got = lua_tostring(L, -1);
	ck_assert_msg(got != NULL && strcmp(got, c->want) == 0,
	    "case %d: %s\n  got  %s\n  want %s", idx, c->body, got ? got : "(not a string)",
	    c->want);
	lua_close(L);
}
