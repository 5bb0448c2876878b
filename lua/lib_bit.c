/*
 * lib_bit: the "bit" library of Redis' Lua scripts, behaving as the LuaBitOp 1.0.2 that
 * redis-server 7.0.15 embeds (with the CVE-2024-31449 fix to bit.tohex that Debian carries).
 *
 * Every function works on 32-bit words and returns a signed 32-bit result as a Lua number:
 * tobit, bnot, band, bor, bxor, lshift, rshift, arshift, rol, ror, bswap and tohex. script.c
 * opens it into each Lua state through script_open_bit() (script_libs.h). Start at word_arg(),
 * which fixes how any Lua value becomes a word; the operations are plain C on uint32_t, written
 * so that no shift count reaches 32 and no signed value is shifted or converted out of range.
 */
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua/script_libs.h"

/*
 * 2^52 + 2^51. Adding it to a double whose magnitude is below 2^51 leaves the integer nearest
 * to it (ties to even) in the low bits of the sum's mantissa; LuaBitOp keeps the low 32 bits
 * of the sum's representation, which also decides what NaN, infinities and huge values become.
 */
#define WORD_BIAS 6755399441055744.0

/*
 * Returns argument idx as a 32-bit word. A value Lua cannot read as a number raises
 * "bad argument #idx to 'f' (number expected, got <type>)"; the test is made only when the
 * word is 0, since any other word proves the argument was a number.
 */
static uint32_t
word_arg(lua_State *L, int idx)
{
	double biased = lua_tonumber(L, idx) + WORD_BIAS;
	uint64_t repr;
	uint32_t w;

	memcpy(&repr, &biased, sizeof repr);
	w = (uint32_t)(repr & 0xffffffffu);
	if (w == 0 && !lua_isnumber(L, idx))
		luaL_typerror(L, idx, "number");
	return w;
}

/* Pushes w read as a two's complement signed word; returns 1 (the count of results). */
static int
push_word(lua_State *L, uint32_t w)
{
	double v = (double)w;

	if (w & 0x80000000u)
		v -= 4294967296.0;
	lua_pushnumber(L, v);
	return 1;
}

/* Returns the shift count argument: its word reduced to 0..31, as LuaBitOp does. */
static unsigned
count_arg(lua_State *L, int idx)
{
	return word_arg(L, idx) & 31u;
}

static int
bit_tobit(lua_State *L)
{
	return push_word(L, word_arg(L, 1));
}

static int
bit_bnot(lua_State *L)
{
	return push_word(L, ~word_arg(L, 1));
}

/*
 * band, bor and bxor take one or more arguments. The first is read first, then the others
 * from the last one down, so that with several bad arguments the error names the same one
 * as Redis (the highest).
 */
static int
bit_band(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	for (int i = lua_gettop(L); i > 1; i--)
		w &= word_arg(L, i);
	return push_word(L, w);
}

static int
bit_bor(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	for (int i = lua_gettop(L); i > 1; i--)
		w |= word_arg(L, i);
	return push_word(L, w);
}

static int
bit_bxor(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	for (int i = lua_gettop(L); i > 1; i--)
		w ^= word_arg(L, i);
	return push_word(L, w);
}

static int
bit_lshift(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	return push_word(L, w << count_arg(L, 2));
}

static int
bit_rshift(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	return push_word(L, w >> count_arg(L, 2));
}

/* Arithmetic shift: the vacated high bits take the sign bit's value. */
static int
bit_arshift(lua_State *L)
{
	uint32_t w = word_arg(L, 1);
	unsigned n = count_arg(L, 2);
	uint32_t r = w >> n;

	if ((w & 0x80000000u) && n != 0)
		r |= ~(UINT32_C(0xffffffff) >> n);
	return push_word(L, r);
}

static int
bit_rol(lua_State *L)
{
	uint32_t w = word_arg(L, 1);
	unsigned n = count_arg(L, 2);

	return push_word(L, n == 0 ? w : (w << n) | (w >> (32 - n)));
}

static int
bit_ror(lua_State *L)
{
	uint32_t w = word_arg(L, 1);
	unsigned n = count_arg(L, 2);

	return push_word(L, n == 0 ? w : (w >> n) | (w << (32 - n)));
}

static int
bit_bswap(lua_State *L)
{
	uint32_t w = word_arg(L, 1);

	w = (w >> 24) | ((w >> 8) & 0xff00u) | ((w & 0xff00u) << 8) | (w << 24);
	return push_word(L, w);
}

/*
 * tohex(x [, n]): the low |n| hex digits of x (n defaults to 8 and is capped at 8), upper
 * case when n is negative. n is read as a word too. Its magnitude is taken in unsigned
 * arithmetic, so the most negative word gives 2^31 and thus 8 digits, as the LuaBitOp with
 * the CVE-2024-31449 fix does (the unfixed one negated it as a signed int).
 */
static int
bit_tohex(lua_State *L)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	uint32_t w = word_arg(L, 1);
	const char *digits = lower;
	uint32_t nw = lua_isnone(L, 2) ? 8 : word_arg(L, 2);
	unsigned n;
	char out[8];

	if (nw & 0x80000000u) {
		digits = upper;
		nw = 0u - nw;
	}
	n = nw > 8 ? 8 : (unsigned)nw;
	for (unsigned i = n; i > 0; i--) {
		out[i - 1] = digits[w & 15u];
		w >>= 4;
	}
	lua_pushlstring(L, out, n);
	return 1;
}

static const luaL_Reg bit_funcs[] = {
	{ "tobit", bit_tobit },
	{ "bnot", bit_bnot },
	{ "band", bit_band },
	{ "bor", bit_bor },
	{ "bxor", bit_bxor },
	{ "lshift", bit_lshift },
	{ "rshift", bit_rshift },
	{ "arshift", bit_arshift },
	{ "rol", bit_rol },
	{ "ror", bit_ror },
	{ "bswap", bit_bswap },
	{ "tohex", bit_tohex },
	{ NULL, NULL }
};

/*
 * Creates the table "bit" (or fills the one already there) with luaL_register, which also
 * records it in the registry's _LOADED table, sets it as the global "bit", leaves it on the
 * stack and returns 1.
 */
int
script_open_bit(lua_State *L)
{
	luaL_register(L, "bit", bit_funcs);
	return 1;
}
