/*
 * script_libs: the libraries Redis gives its Lua scripts beside Lua's own base, table, string,
 * math and debug: bit (LuaBitOp), struct (binary packing), cjson (JSON) and cmsgpack
 * (MessagePack). Each behaves as the copy Redis embeds in deps/lua, byte for byte in what it
 * returns and in its error texts, so a script gives the same answer here as on redis-server.
 *
 * script.c opens them into every Lua state it creates, before it locks the globals.
 */
#ifndef REPLICANT_SCRIPT_LIBS_H
#define REPLICANT_SCRIPT_LIBS_H

#include <lua.h>

/*
 * Each creates its library table, stores it as the global of its name ("bit", "struct",
 * "cjson", "cmsgpack"), leaves it on the stack and returns 1, as a luaopen_* function does.
 */
int script_open_bit(lua_State *L);
int script_open_struct(lua_State *L);
int script_open_cjson(lua_State *L);
int script_open_cmsgpack(lua_State *L);

#endif
