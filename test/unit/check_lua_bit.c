/*
 * check_lua_bit: unit tests of the Lua "bit" library (lua/lib_bit.c).
 *
 * The yardstick is redis-server 7.0.15 (Debian's 7.0.15-1~deb12u10). Each table row is the
 * body of a Lua function; run_case() (test/unit/lua_case.c) wraps it in a one-line chunk named "@user_script" that
 * pcalls it and serialises what comes back: the pcall status, then each value (numbers with
 * %.17g, printable strings quoted, other strings in hex), so results and error texts are
 * compared whole. Every expected string in the tables was observed on redis-server 7.0.15 by
 * sending the same chunk with EVAL; none was written by hand.
 *
 * The "random" case checks every operation on random words against a model written here from
 * the definitions (one-bit steps, floor division, snprintf), and "open" pins what
 * script_open_bit() leaves on the stack and in the globals.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lua/script_libs.h"
#include "test/unit/lua_case.h"

/* The suite's library, in a fresh state per case (lua_case.h). */
static lua_State *
state_new(void)
{
	return lua_case_state(script_open_bit, "bit");
}

static void
run_case(const struct lua_case *c, int idx)
{
	lua_case_run(c, idx, script_open_bit, "bit");
}

static const struct lua_case convert_cases[] = {
	/* tobit: conversion of every kind of number and of numeric strings. */
	{ "return bit.tobit(0), bit.tobit(1), bit.tobit(-1), bit.tobit(2^31), bit.tobit(2^32), "
	    "bit.tobit(2^32+5)",
	    "true 0 1 -1 -2147483648 0 5" },
	{ "return bit.tobit(-2^31), bit.tobit(-2^31-1), bit.tobit(2^31-1), "
	    "bit.tobit(4294967295), bit.tobit(-4294967295)",
	    "true -2147483648 2147483647 2147483647 -1 1" },
	{ "return bit.tobit(2^51), bit.tobit(2^51+7), bit.tobit(2^52), bit.tobit(2^52+3), "
	    "bit.tobit(2^53), bit.tobit(2^53+2)",
	    "true 0 4 0 2 0 1" },
	{ "return bit.tobit(2^60+2^40+12345), bit.tobit(-2^60-12345), bit.tobit(2^63), "
	    "bit.tobit(2^64), bit.tobit(2^64+2^33)",
	    "true 48 96 0 0 2097152" },
	{ "return bit.tobit(1e300), bit.tobit(-1e300), bit.tobit(1/0), bit.tobit(-1/0), "
	    "bit.tobit(0/0), bit.tobit(-(0/0))",
	    "true -2013235812 -2013235812 0 0 0 0" },
	{ "return bit.tobit(-0.0), bit.tobit(0.5), bit.tobit(1.5), bit.tobit(2.5), "
	    "bit.tobit(3.5), bit.tobit(-0.5), bit.tobit(-1.5), bit.tobit(-2.5)",
	    "true 0 0 2 2 4 0 -2 -2" },
	{ "return bit.tobit(0.49999999999999994), bit.tobit(4294967295.5), "
	    "bit.tobit(2147483647.5), bit.tobit(-2147483648.5), bit.tobit(1e-300)",
	    "true 0 0 -2147483648 -2147483648 0" },
	{ "return bit.tobit(2^51-0.5), bit.tobit(2^51+0.5), bit.tobit(-2^51-0.5), "
	    "bit.tobit(2^52+0.5), bit.tobit(-2^52), bit.tobit(-2^53-2)",
	    "true 0 0 -1 0 0 4" },
	{ "return bit.tobit('12'), bit.tobit(' 0x10 '), bit.tobit('1e3'), bit.tobit('-7'), "
	    "bit.tobit('inf'), bit.tobit('nan'), bit.tobit('0')",
	    "true 12 16 1000 -7 0 0 0" },
	{ "return bit.tobit('x')",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got string)\"" },
	{ "return bit.tobit('')",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got string)\"" },
	{ "return bit.tobit({})",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got table)\"" },
	{ "return bit.tobit(nil)",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got nil)\"" },
	{ "return bit.tobit(true)",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got boolean)\"" },
	{ "return bit.tobit()",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got no value)\"" },
	{ "return bit.tobit(bit.band)",
	    "false \"user_script:1: bad argument #1 to 'tobit' (number expected, got function)\"" },
	{ "return bit.tobit(1, 'ignored', {})",
	    "true 1" },
	/* bnot. */
	{ "return bit.bnot(0), bit.bnot(-1), bit.bnot(5), bit.bnot(2^32), bit.bnot(2^31), "
	    "bit.bnot('7'), bit.bnot(0/0)",
	    "true -1 0 -6 -1 2147483647 -8 -1" },
	{ "return bit.bnot('x')",
	    "false \"user_script:1: bad argument #1 to 'bnot' (number expected, got string)\"" },
	{ "return bit.bnot()",
	    "false \"user_script:1: bad argument #1 to 'bnot' (number expected, got no value)\"" },
};

static const struct lua_case ops_cases[] = {
	/* band / bor / bxor. */
	{ "return bit.band(7), bit.band(0xff, 0x0f), bit.band(-1, 0x12345678, 0xff00ff), "
	    "bit.band(0xff, 2^32+0xf0), bit.band('255', ' 15 ')",
	    "true 7 15 3407992 240 15" },
	{ "return bit.bor(0), bit.bor(1, 2), bit.bor(1, 2, 4, 8, 2^31), bit.bor(0x0f0f, "
	    "'0xf0f0'), bit.bor(-2^31, 1)",
	    "true 0 3 -2147483633 65535 -2147483647" },
	{ "return bit.bxor(5), bit.bxor(5, 3), bit.bxor(-1, 0x55555555), bit.bxor(1, 1, 1), "
	    "bit.bxor(2^32+1, 2^33+3)",
	    "true 5 6 -1431655766 1 2" },
	{ "return bit.band()",
	    "false \"user_script:1: bad argument #1 to 'band' (number expected, got no value)\"" },
	{ "return bit.band('x')",
	    "false \"user_script:1: bad argument #1 to 'band' (number expected, got string)\"" },
	{ "return bit.band(1, 'x', {})",
	    "false \"user_script:1: bad argument #3 to 'band' (number expected, got table)\"" },
	{ "return bit.band('x', {})",
	    "false \"user_script:1: bad argument #1 to 'band' (number expected, got string)\"" },
	{ "return bit.band(1, nil)",
	    "false \"user_script:1: bad argument #2 to 'band' (number expected, got nil)\"" },
	{ "return bit.band(1, nil, 2)",
	    "false \"user_script:1: bad argument #2 to 'band' (number expected, got nil)\"" },
	{ "return bit.bor(1, 2, 'three')",
	    "false \"user_script:1: bad argument #3 to 'bor' (number expected, got string)\"" },
	{ "return bit.bor()",
	    "false \"user_script:1: bad argument #1 to 'bor' (number expected, got no value)\"" },
	{ "return bit.bxor(1, true)",
	    "false \"user_script:1: bad argument #2 to 'bxor' (number expected, got boolean)\"" },
	{ "return bit.bxor({}, 1)",
	    "false \"user_script:1: bad argument #1 to 'bxor' (number expected, got table)\"" },
	{ "return bit.band(1, unpack({}, 1, 7990))",
	    "false \"user_script:1: bad argument #7991 to 'band' (number expected, got nil)\"" },
	{ "return bit.bor(1, unpack({3,4,8}, 1, 7990))",
	    "false \"user_script:1: bad argument #7991 to 'bor' (number expected, got nil)\"" },
	{ "local t = {} for i = 1, 7000 do t[i] = 2^(i % 32) end return bit.bor(unpack(t)), "
	    "bit.band(-1, unpack(t, 1, 31)), bit.bxor(unpack(t))",
	    "true -1 0 33554430" },
	/* shifts. */
	{ "return bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), "
	    "bit.lshift(1, -1), bit.lshift(1, 2^32+4)",
	    "true 1 -2147483648 1 2 -2147483648 16" },
	{ "return bit.lshift(-1, 16), bit.lshift('3', '2'), bit.lshift(0x12345678, 8), "
	    "bit.lshift(1, 0/0), bit.lshift(1, 1/0), bit.lshift(1, 4.5)",
	    "true -65536 12 878082048 1 1 16" },
	{ "return bit.rshift(-1, 0), bit.rshift(-1, 1), bit.rshift(-1, 31), bit.rshift(-1, 32), "
	    "bit.rshift(0x80000000, 4), bit.rshift(256, -28)",
	    "true -1 2147483647 1 -1 134217728 16" },
	{ "return bit.arshift(-256, 4), bit.arshift(-1, 31), bit.arshift(0x7fffffff, 31), "
	    "bit.arshift(-8, 2), bit.arshift(-8, 0), bit.arshift(-8, 32)",
	    "true -16 -1 0 -2 -8 -8" },
	{ "return bit.arshift(2^31, 1), bit.arshift(2^31, 31), bit.arshift(5, -1), "
	    "bit.arshift(-5, 1), bit.arshift(0x40000000, 30)",
	    "true -1073741824 -1 0 -3 1" },
	{ "return bit.rol(0x12345678, 0), bit.rol(0x12345678, 4), bit.rol(0x12345678, 32), "
	    "bit.rol(0x12345678, 36), bit.rol(0x12345678, -4), bit.rol(-1, 7), bit.rol(1, 31)",
	    "true 305419896 591751041 305419896 591751041 -2128394905 -1 -2147483648" },
	{ "return bit.ror(0x12345678, 0), bit.ror(0x12345678, 4), bit.ror(0x12345678, 32), "
	    "bit.ror(0x12345678, 36), bit.ror(0x12345678, -4), bit.ror(1, 1), bit.ror(2^31, 31)",
	    "true 305419896 -2128394905 305419896 -2128394905 591751041 -2147483648 1" },
	{ "return bit.lshift(1)",
	    "false \"user_script:1: bad argument #2 to 'lshift' (number expected, got no value)\"" },
	{ "return bit.rshift(1, 'x')",
	    "false \"user_script:1: bad argument #2 to 'rshift' (number expected, got string)\"" },
	{ "return bit.arshift('x', 1)",
	    "false \"user_script:1: bad argument #1 to 'arshift' (number expected, got string)\"" },
	{ "return bit.rol(nil, 1)",
	    "false \"user_script:1: bad argument #1 to 'rol' (number expected, got nil)\"" },
	{ "return bit.ror(1, {})",
	    "false \"user_script:1: bad argument #2 to 'ror' (number expected, got table)\"" },
	{ "return bit.lshift()",
	    "false \"user_script:1: bad argument #1 to 'lshift' (number expected, got no value)\"" },
	/* bswap. */
	{ "return bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0x80), bit.bswap(2^32+1), "
	    "bit.bswap(0), bit.bswap(0x78563412), bit.bswap('0xff00')",
	    "true 2018915346 -1 -2147483648 16777216 0 305419896 16711680" },
	{ "return bit.bswap()",
	    "false \"user_script:1: bad argument #1 to 'bswap' (number expected, got no value)\"" },
	{ "return bit.bswap('x')",
	    "false \"user_script:1: bad argument #1 to 'bswap' (number expected, got string)\"" },
};

static const struct lua_case tohex_cases[] = {
	/* tohex. */
	{ "return bit.tohex(65535, -4), bit.tohex(1), bit.tohex(-1), bit.tohex(0x12345678, 4), "
	    "bit.tohex(0xabcdef, 0), bit.tohex(0xabcdef, -0.0)",
	    "true \"FFFF\" \"00000001\" \"ffffffff\" \"5678\" \"\" \"\"" },
	{ "return bit.tohex(0xabcdef, 8), bit.tohex(0xabcdef, 9), bit.tohex(0xabcdef, -8), "
	    "bit.tohex(0xabcdef, -9), bit.tohex(0xabcdef, 100), bit.tohex(0xabcdef, -100)",
	    "true \"00abcdef\" \"00abcdef\" \"00ABCDEF\" \"00ABCDEF\" \"00abcdef\" \"00ABCDEF\"" },
	{ "return bit.tohex(0xabcdef, 2^31), bit.tohex(0xabcdef, -2^31), bit.tohex(0xabcdef, "
	    "2^32), bit.tohex(0xabcdef, 2^32-1), bit.tohex(0xabcdef, 2^31-1), bit.tohex(0xabcdef, "
	    "-2^31+1)",
	    "true \"00ABCDEF\" \"00ABCDEF\" \"\" \"F\" \"00abcdef\" \"00ABCDEF\"" },
	{ "return bit.tohex(1.5), bit.tohex(0/0, 3), bit.tohex(2^32+0xfe, 2), bit.tohex('0xff', "
	    "'-2'), bit.tohex(-2^31), bit.tohex(2^31-1, -1)",
	    "true \"00000002\" \"000\" \"fe\" \"FF\" \"80000000\" \"F\"" },
	{ "return bit.tohex(0xabcdef, 1), bit.tohex(0xabcdef, 2), bit.tohex(0xabcdef, 3), "
	    "bit.tohex(0xabcdef, 5), bit.tohex(0xabcdef, 6), bit.tohex(0xabcdef, 7), "
	    "bit.tohex(0xabcdef, -5)",
	    "true \"f\" \"ef\" \"def\" \"bcdef\" \"abcdef\" \"0abcdef\" \"BCDEF\"" },
	{ "return bit.tohex(1, 'x')",
	    "false \"user_script:1: bad argument #2 to 'tohex' (number expected, got string)\"" },
	{ "return bit.tohex(1, nil)",
	    "false \"user_script:1: bad argument #2 to 'tohex' (number expected, got nil)\"" },
	{ "return bit.tohex('ff')",
	    "false \"user_script:1: bad argument #1 to 'tohex' (number expected, got string)\"" },
	{ "return bit.tohex()",
	    "false \"user_script:1: bad argument #1 to 'tohex' (number expected, got no value)\"" },
	{ "return bit.tohex(nil, 2)",
	    "false \"user_script:1: bad argument #1 to 'tohex' (number expected, got nil)\"" },
	{ "return bit.tohex(255, 2, 'extra')",
	    "true \"ff\"" },
};

static const struct lua_case library_cases[] = {
	/* the library table itself and the names Lua reports in errors. */
	{ "local t = {} for k, v in pairs(bit) do t[#t + 1] = k .. ':' .. type(v) end "
	    "table.sort(t) return table.concat(t, ' ')",
	    "true \"arshift:function band:function bnot:function bor:function bswap:function "
	    "bxor:function lshift:function rol:function ror:function rshift:function "
	    "tobit:function tohex:function\"" },
	{ "return bit._VERSION, bit.version, type(bit)",
	    "true nil nil \"table\"" },
	{ "local f = bit.tobit return f('x')",
	    "false \"user_script:1: bad argument #1 to 'f' (number expected, got string)\"" },
	{ "return pcall(bit.tobit, 'x')",
	    "true false \"bad argument #1 to '?' (number expected, got string)\"" },
	{ "return bit:band(1)",
	    "false \"user_script:1: calling 'band' on bad self (number expected, got table)\"" },
	{ "return select('#', bit.band(1, 2)), select('#', bit.tohex(1)), select('#', "
	    "bit.bnot(1, 2, 3))",
	    "true 1 1 1" },
	{ "return type(bit.tohex(5)), type(bit.tobit('5')), math.type",
	    "true \"string\" \"number\" nil" },
};

START_TEST(convert_case)
{
	run_case(&convert_cases[_i], _i);
}
END_TEST

START_TEST(ops_case)
{
	run_case(&ops_cases[_i], _i);
}
END_TEST

START_TEST(tohex_case)
{
	run_case(&tohex_cases[_i], _i);
}
END_TEST

START_TEST(library_case)
{
	run_case(&library_cases[_i], _i);
}
END_TEST

/* script_open_bit leaves exactly its table on the stack, as the global and _LOADED.bit. */
START_TEST(open_leaves_table)
{
	lua_State *L = luaL_newstate();

	lua_pushinteger(L, 42);
	ck_assert_int_eq(script_open_bit(L), 1);
	ck_assert_int_eq(lua_gettop(L), 2);
	ck_assert_int_eq(lua_type(L, -1), LUA_TTABLE);
	lua_getglobal(L, "bit");
	ck_assert(lua_rawequal(L, -1, -2));
	lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
	lua_getfield(L, -1, "bit");
	ck_assert(lua_rawequal(L, -1, -3));
	lua_settop(L, 2);
	lua_getfield(L, -1, "tohex");
	ck_assert_int_eq(lua_type(L, -1), LUA_TFUNCTION);
	ck_assert_int_eq((int)lua_tointeger(L, 1), 42);
	lua_close(L);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Random words against a model built from the definitions. */

static uint64_t rng_state = UINT64_C(0x9e3779b97f4a7c15);

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Returns the signed value of word w. */
static double
signed_of(uint32_t w)
{
	return w >= 0x80000000u ? (double)w - 4294967296.0 : (double)w;
}

/* Calls bit.<name> with the given numbers; returns its one result, failing on an error. */
static double
call_bit(lua_State *L, const char *name, int argc, const double *argv)
{
	double r;

	lua_getglobal(L, "bit");
	lua_getfield(L, -1, name);
	for (int i = 0; i < argc; i++)
		lua_pushnumber(L, argv[i]);
	if (lua_pcall(L, argc, 1, 0) != 0)
		ck_abort_msg("bit.%s raised %s", name, lua_tostring(L, -1));
	ck_assert_int_eq(lua_type(L, -1), LUA_TNUMBER);
	r = lua_tonumber(L, -1);
	lua_pop(L, 2);
	return r;
}

/* Shifts, rotations by one bit per step, and floor division stand for the C shifts. */
static uint32_t
model_shift(const char *op, uint32_t w, unsigned n)
{
	int64_t s = (int64_t)signed_of(w), p = INT64_C(1) << n, q;

	if (strcmp(op, "arshift") == 0) {
		q = s / p;
		if (s % p != 0 && s < 0)
			q--;
		return (uint32_t)(q & 0xffffffff);
	}
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(op, "lshift") == 0)
			w = (uint32_t)(((uint64_t)w * 2) & 0xffffffffu);
		else if (strcmp(op, "rshift") == 0)
			w /= 2;
		else if (strcmp(op, "rol") == 0)
			w = (uint32_t)(((uint64_t)w * 2) & 0xffffffffu) + (w / 0x80000000u);
		else
			w = w / 2 + (w % 2) * 0x80000000u;
	}
	return w;
}

START_TEST(random_words)
{
	static const char *const shifts[] = { "lshift", "rshift", "arshift", "rol", "ror" };
	lua_State *L = state_new();

	for (int iter = 0; iter < 20000; iter++) {
		uint32_t a = (uint32_t)rng_next(), b = (uint32_t)rng_next(), c = (uint32_t)rng_next();
		int n = (int)(rng_next() % 111) - 40, m = (int)(rng_next() % 25) - 12;
		unsigned count = (unsigned)(((n % 32) + 32) % 32);
		double frac = (double)(rng_next() % 4) / 4.0;
		double args[3] = { signed_of(a), signed_of(b), signed_of(c) };
		double nargs[2] = { signed_of(a), n };
		uint8_t bytes[4];
		char hex[16], want[16];
		size_t width = (size_t)(m < 0 ? -m : m);
		const char *got;

		ck_assert(call_bit(L, "tobit", 1, args) == signed_of(a));
		/* Fractions round to nearest, ties to even; large words wrap modulo 2^32. */
		args[0] = (double)(int32_t)(a >> 1) + frac;
		ck_assert(call_bit(L, "tobit", 1, args) ==
		    signed_of((uint32_t)(int64_t)nearbyint(args[0])));
		args[0] = signed_of(a) + 4294967296.0 * (double)(int)(rng_next() % 1000);
		ck_assert(call_bit(L, "tobit", 1, args) == signed_of(a));
		args[0] = signed_of(a);
		ck_assert(call_bit(L, "bnot", 1, args) == signed_of(~a));
		ck_assert(call_bit(L, "band", 3, args) == signed_of(a & b & c));
		ck_assert(call_bit(L, "bor", 3, args) == signed_of(a | b | c));
		ck_assert(call_bit(L, "bxor", 3, args) == signed_of(a ^ b ^ c));
		for (size_t k = 0; k < sizeof shifts / sizeof shifts[0]; k++)
			ck_assert_msg(call_bit(L, shifts[k], 2, nargs) ==
			    signed_of(model_shift(shifts[k], a, count)),
			    "bit.%s(%.0f, %d)", shifts[k], nargs[0], n);
		for (int k = 0; k < 4; k++)
			bytes[k] = (uint8_t)(a / (1u << (8 * k)) % 256);
		ck_assert(call_bit(L, "bswap", 1, args) == signed_of(bytes[0] * 16777216u +
		    bytes[1] * 65536u + bytes[2] * 256u + bytes[3]));

		snprintf(hex, sizeof hex, m < 0 ? "%08X" : "%08x", (unsigned)a);
		snprintf(want, sizeof want, "%s", hex + 8 - (width > 8 ? 8 : width));
		lua_getglobal(L, "bit");
		lua_getfield(L, -1, "tohex");
		lua_pushnumber(L, signed_of(a));
		lua_pushnumber(L, m);
		ck_assert_int_eq(lua_pcall(L, 2, 1, 0), 0);
		got = lua_tostring(L, -1);
		ck_assert_str_eq(got, want);
		lua_pop(L, 2);
	}
	lua_close(L);
}
END_TEST

/* Random values of every type in every argument position: a result or a Lua error. */
START_TEST(random_hostile)
{
	static const char *const funcs[] = { "tobit", "bnot", "band", "bor", "bxor", "lshift",
	    "rshift", "arshift", "rol", "ror", "bswap", "tohex" };
	static const double odd[] = { 0.0, -0.0, 1e300, -1e300, INFINITY, -INFINITY, NAN,
	    4294967296.0, 2147483648.0, -2147483648.0, 0.5, -2.5, 9007199254740993.0 };
	lua_State *L = state_new();

	for (int iter = 0; iter < 20000; iter++) {
		int argc = (int)(rng_next() % 5), rc;

		lua_getglobal(L, "bit");
		lua_getfield(L, -1, funcs[rng_next() % (sizeof funcs / sizeof funcs[0])]);
		for (int i = 0; i < argc; i++) {
			switch (rng_next() % 6) {
			case 0: lua_pushnil(L); break;
			case 1: lua_newtable(L); break;
			case 2: lua_pushstring(L, rng_next() % 2 ? "0x7f" : "x1"); break;
			case 3: lua_pushboolean(L, 1); break;
			default:
				lua_pushnumber(L, odd[rng_next() % (sizeof odd / sizeof odd[0])]);
			}
		}
		rc = lua_pcall(L, argc, 1, 0);
		ck_assert(rc == 0 || rc == LUA_ERRRUN);
		if (rc != 0)
			ck_assert_ptr_nonnull(strstr(lua_tostring(L, -1), "number expected"));
		else
			ck_assert(lua_isnumber(L, -1) || lua_type(L, -1) == LUA_TSTRING);
		lua_pop(L, 2);
	}
	lua_close(L);
}
END_TEST

static Suite *
lua_bit_suite(void)
{
	Suite *s = suite_create("lua_bit");
	TCase *tc;

	tc = tcase_create("convert");
	tcase_add_loop_test(tc, convert_case, 0,
	    (int)(sizeof convert_cases / sizeof convert_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("ops");
	tcase_add_loop_test(tc, ops_case, 0, (int)(sizeof ops_cases / sizeof ops_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("tohex");
	tcase_add_loop_test(tc, tohex_case, 0,
	    (int)(sizeof tohex_cases / sizeof tohex_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("library");
	tcase_add_loop_test(tc, library_case, 0,
	    (int)(sizeof library_cases / sizeof library_cases[0]));
	tcase_add_test(tc, open_leaves_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, random_words);
	tcase_add_test(tc, random_hostile);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lua_bit_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
