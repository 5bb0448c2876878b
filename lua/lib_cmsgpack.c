/*
 * lib_cmsgpack: the "cmsgpack" library of Redis' Lua scripts, behaving as the lua-cmsgpack
 * 0.4.0 that redis-server 7.0.15 embeds: pack, unpack, unpack_one, unpack_limit and the
 * _NAME, _VERSION, _COPYRIGHT and _DESCRIPTION strings. script.c opens it into each Lua state
 * through script_open_cmsgpack() (script_libs.h).
 *
 * Encoding (start at lib_pack): numbers that are whole and fit in 64 bits become the smallest
 * MessagePack integer, other numbers a float 32 when that loses nothing, else a float 64; a
 * table whose keys are exactly 1..n becomes an array (so {} is an empty array), any other
 * table a map in lua_next order; a table nested 16 levels inside an argument becomes nil,
 * which also ends cycles; functions and other values become nil. An encoding is built on the
 * C stack, or when longer than 2 KiB written a second time into a userdata of the length the
 * first pass counted, so no C memory is held across a Lua error and the buffer takes no stack
 * slot of its own (see encode_arg).
 *
 * Decoding (start at unpack_values) accepts what the Redis copy accepts: every MessagePack
 * type except bin, ext and fixext; integers come back as Lua numbers through the same
 * conversions (a uint 64 above 2^63 wraps negative).
 *
 * Redis' copy checks the Lua stack before each push and names the function in the "stack
 * overflow (...)" error; a C function may use 8000 slots. Both coders use the stack exactly as
 * the copy does, slot for slot, and make the same checks with the same texts, so deep input
 * fails at the same depth with the same error. That limit also bounds the decoder's C
 * recursion: every level holds a table on the stack.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua/script_libs.h"

/* A table at this nesting level (an argument of pack is level 0) encodes as nil. */
#define MP_MAX_NESTING 16

/* Encodings up to this long are built on the C stack, longer ones in a userdata. */
#define ENC_SMALL 2048

/* The messages of the Redis copy's stack checks, part of the errors scripts see. */
#define MSG_PACK_ARG "in function mp_check"
#define MSG_IS_ARRAY "in function table_is_an_array"
#define MSG_ENC_ARRAY "in function mp_encode_lua_table_as_array"
#define MSG_ENC_MAP "in function mp_encode_lua_table_as_map"
#define MSG_DEC_VALUE \
	"too many return values at once; use unpack_one or unpack_limit instead."
#define MSG_DEC_ARRAY "in function mp_decode_to_lua_array"
#define MSG_UNPACK "in function mp_unpack_full"

/*
 * Where encoded bytes go: p holds cap bytes. Bytes past cap are dropped but still counted, so
 * after an overrun len is the length the whole encoding needs.
 */
struct mp_out {
	unsigned char *p;
	size_t len;
	size_t cap;
};

/* The decoder's view of the input; err is sticky and stops every level above. */
enum mp_in_err {
	MP_IN_OK,
	MP_IN_EOF,		/* the input ends inside a value */
	MP_IN_BADFMT		/* a first byte the library does not decode */
};

struct mp_in {
	const unsigned char *p;
	size_t left;
	enum mp_in_err err;
};

static void out_put(struct mp_out *, const void *, size_t);
static void out_tagged(struct mp_out *, unsigned char, uint64_t, int);
static void out_container(struct mp_out *, unsigned char, unsigned char,
    unsigned char, uint64_t);
static void encode_string(struct mp_out *, const char *, size_t);
static void encode_integer(struct mp_out *, int64_t);
static void encode_double(struct mp_out *, double);
static void encode_number(struct mp_out *, double);
static int table_is_array(lua_State *, int);
static void encode_table(lua_State *, struct mp_out *, int, int);
static void encode_value(lua_State *, struct mp_out *, int, int);
static void encode_arg(lua_State *, int);
static int lib_pack(lua_State *);
static uint64_t read_be(const unsigned char *, int);
static int64_t wrap_i64(uint64_t);
static int in_need(struct mp_in *, size_t);
static void decode_array(lua_State *, struct mp_in *, uint64_t);
static void decode_map(lua_State *, struct mp_in *, uint64_t);
static void decode_value(lua_State *, struct mp_in *);
static int unpack_values(lua_State *, lua_Integer, lua_Integer);
static int lib_unpack(lua_State *);
static int lib_unpack_one(lua_State *);
static int lib_unpack_limit(lua_State *);

/* ---- encoding ---- */

/* Appends n bytes if they fit, and counts them; the count saturates at SIZE_MAX. */
static void
out_put(struct mp_out *o, const void *s, size_t n)
{
	if (o->len <= o->cap && n <= o->cap - o->len)
		memcpy(o->p + o->len, s, n);
	o->len = n > SIZE_MAX - o->len ? SIZE_MAX : o->len + n;
}

/* Appends the type byte tag, then the low nbytes bytes of v in network order. */
static void
out_tagged(struct mp_out *o, unsigned char tag, uint64_t v, int nbytes)
{
	unsigned char b[9];
	int i;

	b[0] = tag;
	for (i = 0; i < nbytes; i++)
		b[1 + i] = (unsigned char)(v >> (8 * (nbytes - 1 - i)));
	out_put(o, b, (size_t)nbytes + 1);
}

/*
 * Appends the header of an array or map of n entries: fix (fixbase | n) up to 15, then the
 * 16-bit form, then the 32-bit form, which keeps only the low 32 bits of n as Redis' does.
 */
static void
out_container(struct mp_out *o, unsigned char fixbase, unsigned char tag16,
    unsigned char tag32, uint64_t n)
{
	unsigned char b;

	if (n <= 15) {
		b = (unsigned char)(fixbase | n);
		out_put(o, &b, 1);
	} else if (n <= 0xffff)
		out_tagged(o, tag16, n, 2);
	else
		out_tagged(o, tag32, n, 4);
}

/* Appends a string as fixstr, str 8, str 16 or str 32 (length kept to its low 32 bits). */
static void
encode_string(struct mp_out *o, const char *s, size_t len)
{
	unsigned char b;

	if (len < 32) {
		b = (unsigned char)(0xa0 | len);
		out_put(o, &b, 1);
	} else if (len <= 0xff)
		out_tagged(o, 0xd9, len, 1);
	else if (len <= 0xffff)
		out_tagged(o, 0xda, len, 2);
	else
		out_tagged(o, 0xdb, len, 4);
	out_put(o, s, len);
}

/*
 * Appends n in the smallest form: fixint, uint 8/16/32/64 when n >= 0, negative fixint or
 * int 8/16/32/64 otherwise (uint 64 for 2^32 and up, never int 64 for positives).
 */
static void
encode_integer(struct mp_out *o, int64_t n)
{
	uint64_t u = (uint64_t)n;
	unsigned char b;

	if (n >= 0) {
		if (n <= 127) {
			b = (unsigned char)n;
			out_put(o, &b, 1);
		} else if (n <= 0xff)
			out_tagged(o, 0xcc, u, 1);
		else if (n <= 0xffff)
			out_tagged(o, 0xcd, u, 2);
		else if (n <= 0xffffffffLL)
			out_tagged(o, 0xce, u, 4);
		else
			out_tagged(o, 0xcf, u, 8);
	} else {
		if (n >= -32) {
			b = (unsigned char)(u & 0xff);
			out_put(o, &b, 1);
		} else if (n >= -128)
			out_tagged(o, 0xd0, u, 1);
		else if (n >= -32768)
			out_tagged(o, 0xd1, u, 2);
		else if (n >= -2147483648LL)
			out_tagged(o, 0xd2, u, 4);
		else
			out_tagged(o, 0xd3, u, 8);
	}
}

/*
 * Appends d as a float 32 when converting it to float and back gives d (infinities included),
 * else as a float 64 (NaN always, with its bits as Lua holds them). Out-of-range values are
 * kept away from the float conversion, whose result C leaves undefined.
 */
static void
encode_double(struct mp_out *o, double d)
{
	uint64_t bits64;
	uint32_t bits32;
	float f;

	if (!isnan(d) && (isinf(d) || fabs(d) <= FLT_MAX)) {
		f = (float)d;
		if ((double)f == d) {
			memcpy(&bits32, &f, sizeof bits32);
			out_tagged(o, 0xca, bits32, 4);
			return;
		}
	}
	memcpy(&bits64, &d, sizeof bits64);
	out_tagged(o, 0xcb, bits64, 8);
}

/*
 * Appends a Lua number: as an integer when it is whole and within [-2^63, 2^63), as Redis'
 * copy decides (so -0 is the integer 0 and 2^63 a float), else as encode_double does.
 */
static void
encode_number(struct mp_out *o, double n)
{
	if (isfinite(n) && floor(n) == n && n >= -9223372036854775808.0 &&
	    n < 9223372036854775808.0)
		encode_integer(o, (int64_t)n);
	else
		encode_double(o, n);
}

/*
 * Returns 1 when the keys of the table at idx are exactly the integers 1..n (n may be 0), else
 * 0. Keys are walked with lua_next; a key that is not a number, not whole, below 1 or above
 * INT_MAX disqualifies the table. Leaves the stack as it found it.
 */
static int
table_is_array(lua_State *L, int idx)
{
	int top = lua_gettop(L), count = 0, max = 0;
	double k;

	luaL_checkstack(L, 2, MSG_IS_ARRAY);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		if (lua_type(L, -1) != LUA_TNUMBER)
			goto not_array;
		k = lua_tonumber(L, -1);
		if (!(k >= 1 && k <= INT_MAX && floor(k) == k))
			goto not_array;
		if ((int)k > max)
			max = (int)k;
		count++;
	}
	return max == count;

not_array:
	lua_settop(L, top);
	return 0;
}

/*
 * Appends the table at idx (an absolute index) as an array or a map; its entries are encoded
 * at level + 1. Entries are pushed as Redis' copy pushes them (an array element on top; a map
 * key, its value and a copy of the key, the copy being what is encoded), so stack checks fail
 * at the same depth.
 */
static void
encode_table(lua_State *L, struct mp_out *o, int idx, int level)
{
	size_t len, j, count;

	if (table_is_array(L, idx)) {
		len = lua_objlen(L, idx);
		out_container(o, 0x90, 0xdc, 0xdd, len);
		luaL_checkstack(L, 1, MSG_ENC_ARRAY);
		for (j = 1; j <= len; j++) {
			lua_pushnumber(L, (lua_Number)j);
			lua_gettable(L, idx);
			encode_value(L, o, lua_gettop(L), level + 1);
			lua_pop(L, 1);
		}
		return;
	}

	luaL_checkstack(L, 3, MSG_ENC_MAP);
	count = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		count++;
	}
	out_container(o, 0x80, 0xde, 0xdf, count);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pushvalue(L, -2);
		encode_value(L, o, lua_gettop(L), level + 1);
		lua_pop(L, 1);
		encode_value(L, o, lua_gettop(L), level + 1);
		lua_pop(L, 1);
	}
}

/*
 * Appends the value at idx (an absolute index) found at nesting level (0 for an argument of
 * pack). Leaves the stack as it found it. Raises a Lua error only when a stack check fails.
 */
static void
encode_value(lua_State *L, struct mp_out *o, int idx, int level)
{
	int t = lua_type(L, idx);
	const char *s;
	size_t len;
	unsigned char b;

	if (t == LUA_TTABLE && level == MP_MAX_NESTING)
		t = LUA_TNIL;
	switch (t) {
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		encode_string(o, s, len);
		break;
	case LUA_TBOOLEAN:
		b = lua_toboolean(L, idx) ? 0xc3 : 0xc2;
		out_put(o, &b, 1);
		break;
	case LUA_TNUMBER:
		encode_number(o, lua_tonumber(L, idx));
		break;
	case LUA_TTABLE:
		encode_table(L, o, idx, level);
		break;
	default:
		b = 0xc0;
		out_put(o, &b, 1);
		break;
	}
}

/*
 * Pushes the encoding of argument i of pack as a string. The first pass runs on a copy of the
 * argument pushed on top, as Redis' copy encodes it, and writes into a buffer on the C stack:
 * most values fit, and a Lua error cannot leak it. A longer encoding is written again, this
 * time into a userdata of the size the first pass counted, reading the argument in place while
 * the userdata takes the copy's slot, so both passes use the stack as the copy does; the
 * userdata then replaces argument i, which keeps it alive while the string is made. The passes
 * see the same table unless Lua code ran in between (only a collection could run it); a
 * length that changed is written again.
 */
static void
encode_arg(lua_State *L, int i)
{
	unsigned char small[ENC_SMALL];
	struct mp_out first, again;
	unsigned char *buf;
	size_t need;

	first = (struct mp_out){ small, 0, sizeof small };
	lua_pushvalue(L, i);
	encode_value(L, &first, lua_gettop(L), 0);
	lua_pop(L, 1);
	if (first.len <= first.cap) {
		lua_pushlstring(L, (const char *)small, first.len);
		return;
	}

	for (need = first.len;; need = again.len) {
		buf = lua_newuserdata(L, need);
		again = (struct mp_out){ buf, 0, need };
		encode_value(L, &again, i, 0);
		if (again.len == need)
			break;
		lua_pop(L, 1);
	}
	lua_replace(L, i);
	lua_pushlstring(L, (const char *)buf, need);
}

/*
 * cmsgpack.pack(v1, ...): returns the encodings of its arguments concatenated. Raises
 * "bad argument #0 to 'pack' (...)" with no argument, or with more arguments than the stack
 * can hold twice over.
 */
static int
lib_pack(lua_State *L)
{
	int nargs = lua_gettop(L), i;

	if (nargs == 0)
		return luaL_argerror(L, 0, "MessagePack pack needs input.");
	if (!lua_checkstack(L, nargs))
		return luaL_argerror(L, 0, "Too many arguments for MessagePack pack.");
	for (i = 1; i <= nargs; i++) {
		luaL_checkstack(L, 1, MSG_PACK_ARG);
		encode_arg(L, i);
	}
	lua_concat(L, nargs);
	return 1;
}

/* ---- decoding ---- */

/* Returns the n bytes at p read as a big-endian unsigned number. */
static uint64_t
read_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Returns u read as a two's complement 64-bit number (the wrap Redis' casts give). */
static int64_t
wrap_i64(uint64_t u)
{
	if (u <= INT64_MAX)
		return (int64_t)u;
	return -(int64_t)(~u) - 1;
}

/* Returns 1 when n more bytes are there, else sets the sticky EOF error and returns 0. */
static int
in_need(struct mp_in *c, size_t n)
{
	if (c->left < n) {
		c->err = MP_IN_EOF;
		return 0;
	}
	return 1;
}

/*
 * Pushes a table and decodes n values into it at keys 1..n. On error returns with the table
 * and whatever is above it left on the stack (the caller raises).
 */
static void
decode_array(lua_State *L, struct mp_in *c, uint64_t n)
{
	uint64_t i;

	lua_newtable(L);
	luaL_checkstack(L, 1, MSG_DEC_ARRAY);
	for (i = 1; i <= n; i++) {
		lua_pushnumber(L, (lua_Number)i);
		decode_value(L, c);
		if (c->err != MP_IN_OK)
			return;
		lua_rawset(L, -3);
	}
}

/*
 * Pushes a table and decodes n key/value pairs into it. A nil or NaN key raises Lua's own
 * "table index is nil/NaN"; a nil value leaves the key out. On a decode error returns as
 * decode_array does.
 */
static void
decode_map(lua_State *L, struct mp_in *c, uint64_t n)
{
	uint64_t i;

	lua_newtable(L);
	for (i = 0; i < n; i++) {
		decode_value(L, c);
		if (c->err != MP_IN_OK)
			return;
		decode_value(L, c);
		if (c->err != MP_IN_OK)
			return;
		lua_rawset(L, -3);
	}
}

/*
 * Decodes one value at the cursor and pushes it, advancing the cursor past it. On truncated
 * input or an unknown first byte sets c->err (pushing nothing more for the bad value).
 */
static void
decode_value(lua_State *L, struct mp_in *c)
{
	const unsigned char *p;
	size_t hdr, len;
	uint64_t u;
	uint32_t bits32;
	uint64_t bits64;
	float f;
	double d;
	int b;

	if (!in_need(c, 1))
		return;
	luaL_checkstack(L, 1, MSG_DEC_VALUE);
	p = c->p;
	b = p[0];
	switch (b) {
	case 0xc0:
		lua_pushnil(L);
		hdr = 1;
		break;
	case 0xc2:
	case 0xc3:
		lua_pushboolean(L, b == 0xc3);
		hdr = 1;
		break;
	case 0xcc:
	case 0xcd:
	case 0xce:
	case 0xcf:
		hdr = 1 + ((size_t)1 << (b - 0xcc));
		if (!in_need(c, hdr))
			return;
		lua_pushnumber(L, (lua_Number)wrap_i64(read_be(p + 1, (int)hdr - 1)));
		break;
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3:
		hdr = 1 + ((size_t)1 << (b - 0xd0));
		if (!in_need(c, hdr))
			return;
		u = read_be(p + 1, (int)hdr - 1);
		if (hdr < 9 && (u >> (8 * (hdr - 1) - 1)) != 0)
			u |= ~(uint64_t)0 << (8 * (hdr - 1));
		lua_pushnumber(L, (lua_Number)wrap_i64(u));
		break;
	case 0xca:
		hdr = 5;
		if (!in_need(c, hdr))
			return;
		bits32 = (uint32_t)read_be(p + 1, 4);
		memcpy(&f, &bits32, sizeof f);
		lua_pushnumber(L, (lua_Number)f);
		break;
	case 0xcb:
		hdr = 9;
		if (!in_need(c, hdr))
			return;
		bits64 = read_be(p + 1, 8);
		memcpy(&d, &bits64, sizeof d);
		lua_pushnumber(L, d);
		break;
	case 0xd9:
	case 0xda:
	case 0xdb:
		hdr = 1 + ((size_t)1 << (b - 0xd9));
		if (!in_need(c, hdr))
			return;
		len = (size_t)read_be(p + 1, (int)hdr - 1);
		if (c->left - hdr < len) {
			c->err = MP_IN_EOF;
			return;
		}
		lua_pushlstring(L, (const char *)p + hdr, len);
		hdr += len;
		break;
	case 0xdc:
	case 0xdd:
	case 0xde:
	case 0xdf:
		hdr = (b & 1) ? 5 : 3;
		if (!in_need(c, hdr))
			return;
		u = read_be(p + 1, (int)hdr - 1);
		c->p += hdr;
		c->left -= hdr;
		if (b <= 0xdd)
			decode_array(L, c, u);
		else
			decode_map(L, c, u);
		return;
	default:
		if (b < 0x80) {
			lua_pushnumber(L, (lua_Number)b);
			hdr = 1;
		} else if (b >= 0xe0) {
			lua_pushnumber(L, (lua_Number)(b - 256));
			hdr = 1;
		} else if ((b & 0xe0) == 0xa0) {
			len = (size_t)(b & 0x1f);
			if (!in_need(c, 1 + len))
				return;
			lua_pushlstring(L, (const char *)p + 1, len);
			hdr = 1 + len;
		} else if ((b & 0xf0) == 0x90 || (b & 0xf0) == 0x80) {
			c->p += 1;
			c->left -= 1;
			if ((b & 0xf0) == 0x90)
				decode_array(L, c, (uint64_t)(b & 0x0f));
			else
				decode_map(L, c, (uint64_t)(b & 0x0f));
			return;
		} else {
			/* 0xc1, bin 8/16/32 (0xc4-0xc6), ext and fixext. */
			c->err = MP_IN_BADFMT;
			return;
		}
		break;
	}
	c->p += hdr;
	c->left -= hdr;
}

/*
 * The common body of the unpack functions, for the string argument 1 (a number is accepted and
 * read as its string form, as luaL_checklstring does). limit == 0 and offset == 0 together mean
 * "decode every value and return them all"; otherwise at most limit values are decoded from
 * byte offset on and the offset where decoding stopped (-1 at the end of the input) comes
 * first in the results. Raises on a negative or too large offset or limit, on truncated or
 * undecodable input, and when the results overflow the stack.
 */
static int
unpack_values(lua_State *L, lua_Integer limit, lua_Integer offset)
{
	struct mp_in c;
	const char *s;
	size_t len;
	int all = limit == 0 && offset == 0, n;

	s = luaL_checklstring(L, 1, &len);
	/* The Redis copy reports the input length where the limit belongs; scripts see that. */
	if (offset < 0 || limit < 0)
		return luaL_error(L,
		    "Invalid request to unpack with offset of %d and limit of %d.",
		    (int)offset, (int)len);
	if ((size_t)offset > len)
		return luaL_error(L, "Start offset %d greater than input length %d.",
		    (int)offset, (int)len);
	if (all)
		limit = INT_MAX;

	c.p = (const unsigned char *)s + offset;
	c.left = len - (size_t)offset;
	c.err = MP_IN_OK;
	for (n = 0; c.left > 0 && n < limit; n++) {
		decode_value(L, &c);
		if (c.err == MP_IN_EOF)
			return luaL_error(L, "Missing bytes in input.");
		if (c.err == MP_IN_BADFMT)
			return luaL_error(L, "Bad data format in input.");
	}
	if (all)
		return n;

	luaL_checkstack(L, 1, MSG_UNPACK);
	lua_pushinteger(L, c.left == 0 ? -1 : (lua_Integer)(len - c.left));
	lua_insert(L, 2);
	return n + 1;
}

/*
 * cmsgpack.unpack(s): returns every value encoded in s, in order (nothing for ""). Arguments
 * after the first are ignored but stay on the stack, as in Redis' copy.
 */
static int
lib_unpack(lua_State *L)
{
	return unpack_values(L, 0, 0);
}

/* cmsgpack.unpack_one(s [, offset]): returns the next offset (or -1) and one value. */
static int
lib_unpack_one(lua_State *L)
{
	lua_Integer offset = luaL_optinteger(L, 2, 0);

	if (lua_gettop(L) > 1)
		lua_settop(L, 1);
	return unpack_values(L, 1, offset);
}

/*
 * cmsgpack.unpack_limit(s, limit [, offset]): returns the next offset (or -1) and up to limit
 * values; limit 0 with offset 0 behaves as unpack.
 */
static int
lib_unpack_limit(lua_State *L)
{
	lua_Integer limit = luaL_checkinteger(L, 2);
	lua_Integer offset = luaL_optinteger(L, 3, 0);

	if (lua_gettop(L) > 1)
		lua_settop(L, 1);
	return unpack_values(L, limit, offset);
}

/* ---- the library table ---- */

/* In the Redis copy's order: the order fields are set in decides the order pairs() walks. */
static const luaL_Reg cmsgpack_fns[] = {
	{ "pack", lib_pack },
	{ "unpack", lib_unpack },
	{ "unpack_one", lib_unpack_one },
	{ "unpack_limit", lib_unpack_limit },
	{ NULL, NULL }
};

/*
 * Creates the cmsgpack table (the functions, then _NAME, _VERSION, _COPYRIGHT and
 * _DESCRIPTION), sets it as the global "cmsgpack", leaves it on the stack and returns 1.
 */
int
script_open_cmsgpack(lua_State *L)
{
	const luaL_Reg *r;

	lua_newtable(L);
	for (r = cmsgpack_fns; r->name != NULL; r++) {
		lua_pushcfunction(L, r->func);
		lua_setfield(L, -2, r->name);
	}
	lua_pushliteral(L, "cmsgpack");
	lua_setfield(L, -2, "_NAME");
	lua_pushliteral(L, "lua-cmsgpack 0.4.0");
	lua_setfield(L, -2, "_VERSION");
	lua_pushliteral(L, "Copyright (C) 2012, Salvatore Sanfilippo");
	lua_setfield(L, -2, "_COPYRIGHT");
	lua_pushliteral(L, "MessagePack C implementation for Lua");
	lua_setfield(L, -2, "_DESCRIPTION");
	lua_pushvalue(L, -1);
	lua_setglobal(L, "cmsgpack");
	return 1;
}
