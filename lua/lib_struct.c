/*
 * lib_struct: the "struct" library of Redis' Lua scripts, behaving as the struct 0.2 library
 * (struct.c 1.7 with Redis' offset and overflow fixes) that redis-server 7.0.15 embeds, as it
 * runs on x86-64 Linux.
 *
 *   struct.pack(fmt, v1, v2, ...)       returns the values packed into a string
 *   struct.unpack(fmt, data [, init])   returns the values read from data starting at byte
 *                                       init (default 1), then the position after the last
 *   struct.size(fmt)                    returns the size of a fixed-size format
 *
 * A format is read up to its first NUL byte, one option at a time:
 *   >  <      big / little endian from here on (the default is the machine's)
 *   ![n]      align later items to at most n bytes (a power of 2; default 8, initially 1)
 *   x         one padding byte
 *   b B       signed / unsigned char (1 byte)     h H   short (2)     l L   long (8)
 *   T         size_t (8)                          i[n] I[n]   integer of n bytes (default 4,
 *                                                 at most 32; any n, not only powers of 2)
 *   f d       float (4) / double (8), in the machine's representation
 *   c[n]      n bytes of a string (default 1); c0 packs a whole string, and unpacks as many
 *             bytes as the value read just before it says
 *   s         a NUL-terminated string
 *   ' '       ignored
 * Sizes are those of the LP64 ABI Redis is built for, fixed here so that results do not
 * depend on the host. Items are aligned to min(size, n of the last '!'), except c and s.
 *
 * script.c opens it into each Lua state through script_open_struct() (script_libs.h). Start
 * reading at struct_unpack(). Redis' copy converts out-of-range doubles to integers and shifts
 * 64-bit words by 64 or more, which C leaves undefined; the x86-64 results it gets there are
 * computed explicitly by dbl_to_u64(), dbl_to_i64() and int_from_bytes().
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua/script_libs.h"

#define ORDER_BIG	0
#define ORDER_LITTLE	1

/* Largest n of an i[n] / I[n] option. */
#define INT_MAX_BYTES	32
/* Alignment of a bare '!': that of a double on x86-64. */
#define ALIGN_DEFAULT	8

/* Where a walk through a format stands, and the byte order and alignment set so far. */
struct fmt_walk {
	const char *next;	/* next format byte; the walk ends at a NUL */
	int order;		/* ORDER_BIG or ORDER_LITTLE */
	size_t align;		/* a power of 2, at least 1 */
};

/* Returns the byte order of this machine's integers and floating-point numbers. */
static int
host_order(void)
{
	const uint16_t probe = 1;
	unsigned char first;

	memcpy(&first, &probe, 1);
	return first == 1 ? ORDER_LITTLE : ORDER_BIG;
}

static void
walk_init(struct fmt_walk *w, const char *fmt)
{
	w->next = fmt;
	w->order = host_order();
	w->align = 1;
}

/* ASCII-only classes: Redis runs these through ctype in the C locale. */
static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alnum(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * Reads the decimal count at the walk's position, or returns dflt when there is none. A count
 * above INT_MAX raises "integral size overflow".
 */
static int
walk_count(lua_State *L, struct fmt_walk *w, int dflt)
{
	int n = 0;

	if (!is_digit((unsigned char)*w->next))
		return dflt;
	do {
		int digit = *w->next++ - '0';

		if (n > (INT_MAX - digit) / 10)
			luaL_error(L, "integral size overflow");
		n = n * 10 + digit;
	} while (is_digit((unsigned char)*w->next));
	return n;
}

/*
 * Returns the byte size of option opt, reading its count from the walk for c, i and I;
 * options without a size of their own (s, control options, unknown bytes) give 0. Raises an
 * error for an i/I count above INT_MAX_BYTES.
 */
static size_t
opt_size(lua_State *L, struct fmt_walk *w, int opt)
{
	int n;

	switch (opt) {
	case 'b': case 'B': case 'x':
		return 1;
	case 'h': case 'H':
		return 2;
	case 'f':
		return 4;
	case 'l': case 'L': case 'T': case 'd':
		return 8;
	case 'c':
		return (size_t)walk_count(L, w, 1);
	case 'i': case 'I':
		n = walk_count(L, w, 4);
		if (n > INT_MAX_BYTES)
			luaL_error(L, "integral size %d is larger than limit of %d", n,
			    INT_MAX_BYTES);
		return (size_t)n;
	default:
		return 0;
	}
}

/*
 * Returns the padding that puts an item of option opt and size size at a multiple of
 * min(size, alignment) past pos. Sizes that are not powers of 2 (i3) get the same arithmetic
 * as in Redis, which then aligns to a mask rather than a multiple; pos wraps as a size_t.
 */
static size_t
opt_pad(const struct fmt_walk *w, size_t pos, int opt, size_t size)
{
	if (size == 0 || opt == 'c')
		return 0;
	if (size > w->align)
		size = w->align;
	return (size - (pos & (size - 1))) & (size - 1);
}

/*
 * Applies a control option (' ', '<', '>', '!'); any other opt raises "bad argument #1 to
 * 'f' (invalid format option 'o')".
 */
static void
walk_control(lua_State *L, struct fmt_walk *w, int opt)
{
	int a;

	switch (opt) {
	case ' ':
		break;
	case '>':
		w->order = ORDER_BIG;
		break;
	case '<':
		w->order = ORDER_LITTLE;
		break;
	case '!':
		a = walk_count(L, w, ALIGN_DEFAULT);
		if (a <= 0 || (a & (a - 1)) != 0)
			luaL_error(L, "alignment %d is not a power of 2", a);
		w->align = (size_t)a;
		break;
	default:
		luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
	}
}

/*
 * Returns d truncated to an int64_t, or INT64_MIN when d is NaN or out of range: what the
 * x86-64 conversion instruction gives and therefore what Redis' casts produce.
 */
static int64_t
dbl_to_i64(double d)
{
	if (d >= -9223372036854775808.0 && d < 9223372036854775808.0)
		return (int64_t)d;
	return INT64_MIN;
}

/*
 * Returns d converted to a uint64_t as GCC's x86-64 code does it: below 2^63 (and NaN) through
 * the signed conversion, from 2^63 on by converting d - 2^63 and setting the top bit, so that
 * values of 2^64 and above (and +inf) come out as 0.
 */
static uint64_t
dbl_to_u64(double d)
{
	if (!(d >= 9223372036854775808.0))
		return (uint64_t)dbl_to_i64(d);
	return (uint64_t)dbl_to_i64(d - 9223372036854775808.0) ^ (UINT64_C(1) << 63);
}

/* Returns v read as a two's complement 64-bit integer. */
static lua_Integer
u64_to_integer(uint64_t v)
{
	if (v <= (uint64_t)INT64_MAX)
		return (lua_Integer)v;
	return (lua_Integer)(-(int64_t)(UINT64_MAX - v) - 1);
}

/* Reverses the n bytes at b, which are in host order, when order differs from it. */
static void
order_bytes(unsigned char *b, size_t n, int order)
{
	if (order == host_order() || n < 2)
		return;
	for (size_t i = 0, j = n - 1; i < j; i++, j--) {
		unsigned char t = b[i];

		b[i] = b[j];
		b[j] = t;
	}
}

/*
 * Appends argument arg as a size-byte integer in the given order. Negative numbers go through
 * the signed conversion, others through the unsigned one (see dbl_to_u64); the 64-bit result
 * fills the low 8 bytes and zeros the rest.
 */
static void
pack_int(lua_State *L, luaL_Buffer *b, int arg, int order, size_t size)
{
	double n = luaL_checknumber(L, arg);
	uint64_t v = n < 0 ? (uint64_t)dbl_to_i64(n) : dbl_to_u64(n);
	char out[INT_MAX_BYTES];

	for (size_t i = 0; i < size; i++) {
		size_t at = order == ORDER_LITTLE ? i : size - 1 - i;

		out[at] = (char)(v & 0xff);
		v >>= 8;
	}
	luaL_addlstring(b, out, size);
}

/*
 * Returns the size-byte integer at p in the given order. Bytes are shifted into a 64-bit word,
 * so past 8 bytes only the 8 least significant survive. A signed value is sign-extended from
 * bit (8 * size - 1) taken modulo 64, as x86-64 reduces the shift count in Redis' code: for
 * i9 that is bit 7, for i16 bit 63, for i0 no bit at all (the word is 0).
 */
static double
int_from_bytes(const unsigned char *p, int order, int is_signed, size_t size)
{
	uint64_t v = 0;
	uint64_t sign;

	for (size_t i = 0; i < size; i++) {
		size_t at = order == ORDER_BIG ? i : size - 1 - i;

		v = (v << 8) | p[at];
	}
	if (!is_signed)
		return (double)v;
	sign = UINT64_MAX << ((size * 8 - 1) & 63);
	if (v & sign)
		v |= sign;
	return (double)u64_to_integer(v);
}

/*
 * struct.pack(fmt, ...): returns one string. A missing value raises "bad argument #k to
 * 'pack' (number expected, got nil)": the nil pushed below the buffer stands for the first
 * absent argument. A string shorter than its c count raises "string too short" against the
 * argument after it, as Redis' copy does.
 */
static int
struct_pack(lua_State *L)
{
	struct fmt_walk w;
	luaL_Buffer b;
	int arg = 2;
	size_t total = 0;
	int opt;

	walk_init(&w, luaL_checkstring(L, 1));
	lua_pushnil(L);
	luaL_buffinit(L, &b);
	while ((opt = (unsigned char)*w.next) != '\0') {
		size_t size, pad;

		w.next++;
		size = opt_size(L, &w, opt);
		pad = opt_pad(&w, total, opt, size);
		total += pad;
		while (pad-- > 0)
			luaL_addchar(&b, '\0');
		switch (opt) {
		case 'b': case 'B': case 'h': case 'H': case 'l': case 'L':
		case 'T': case 'i': case 'I':
			pack_int(L, &b, arg++, w.order, size);
			break;
		case 'x':
			luaL_addchar(&b, '\0');
			break;
		case 'f': {
			float f = (float)luaL_checknumber(L, arg++);
			unsigned char out[sizeof f];

			memcpy(out, &f, sizeof f);
			order_bytes(out, sizeof out, w.order);
			luaL_addlstring(&b, (const char *)out, sizeof out);
			break;
		}
		case 'd': {
			double d = luaL_checknumber(L, arg++);
			unsigned char out[sizeof d];

			memcpy(out, &d, sizeof d);
			order_bytes(out, sizeof out, w.order);
			luaL_addlstring(&b, (const char *)out, sizeof out);
			break;
		}
		case 'c': case 's': {
			size_t len;
			const char *s = luaL_checklstring(L, arg++, &len);

			if (size == 0)
				size = len;
			luaL_argcheck(L, len >= size, arg, "string too short");
			luaL_addlstring(&b, s, size);
			if (opt == 's') {
				luaL_addchar(&b, '\0');
				size++;
			}
			break;
		}
		default:
			walk_control(L, &w, opt);
		}
		total += size;
	}
	luaL_pushresult(&b);
	return 1;
}

/*
 * struct.unpack(fmt, data [, init]): returns each value read, then the 1-based position
 * after the last byte read. init goes through the int64 conversion of dbl_to_i64() and then
 * size_t arithmetic, as in Redis: 0 is refused, negative values wrap to huge positions (which
 * an empty format returns as given, and others refuse as "data string too short").
 * Results stay on the stack above the arguments, so the "stack overflow (too many results)"
 * limit falls at the same count as in Redis.
 */
static int
struct_unpack(lua_State *L)
{
	struct fmt_walk w;
	size_t len;
	const char *data;
	size_t pos;
	int nres = 0;
	int opt;

	walk_init(&w, luaL_checkstring(L, 1));
	data = luaL_checklstring(L, 2, &len);
	pos = (size_t)dbl_to_i64(luaL_optnumber(L, 3, 1));
	luaL_argcheck(L, pos > 0, 3, "offset must be 1 or greater");
	pos--;
	while ((opt = (unsigned char)*w.next) != '\0') {
		const unsigned char *at;
		size_t size;

		w.next++;
		size = opt_size(L, &w, opt);
		pos += opt_pad(&w, pos, opt, size);
		luaL_argcheck(L, size <= len && pos <= len - size, 2, "data string too short");
		luaL_checkstack(L, 2, "too many results");
		at = (const unsigned char *)data + pos;
		switch (opt) {
		case 'b': case 'h': case 'l': case 'i':
		case 'B': case 'H': case 'L': case 'T': case 'I':
			lua_pushnumber(L, int_from_bytes(at, w.order,
			    opt >= 'a' && opt <= 'z', size));
			nres++;
			break;
		case 'x':
			break;
		case 'f': {
			unsigned char in[sizeof(float)];
			float f;

			memcpy(in, at, sizeof in);
			order_bytes(in, sizeof in, w.order);
			memcpy(&f, in, sizeof f);
			lua_pushnumber(L, (double)f);
			nres++;
			break;
		}
		case 'd': {
			unsigned char in[sizeof(double)];
			double d;

			memcpy(in, at, sizeof in);
			order_bytes(in, sizeof in, w.order);
			memcpy(&d, in, sizeof d);
			lua_pushnumber(L, d);
			nres++;
			break;
		}
		case 'c':
			if (size == 0) {
				/* c0: the count is the previous result, which may be a
				 * numeric string. */
				if (nres == 0 || !lua_isnumber(L, -1))
					luaL_error(L, "format 'c0' needs a previous size");
				size = (size_t)dbl_to_u64(lua_tonumber(L, -1));
				lua_pop(L, 1);
				nres--;
				luaL_argcheck(L, size <= len && pos <= len - size, 2,
				    "data string too short");
			}
			lua_pushlstring(L, (const char *)at, size);
			nres++;
			break;
		case 's': {
			const unsigned char *end = memchr(at, '\0', len - pos);

			if (end == NULL)
				luaL_error(L, "unfinished string in data");
			size = (size_t)(end - at) + 1;
			lua_pushlstring(L, (const char *)at, size - 1);
			nres++;
			break;
		}
		default:
			walk_control(L, &w, opt);
		}
		pos += size;
	}
	lua_pushinteger(L, u64_to_integer(pos + 1));
	return nres + 1;
}

/*
 * struct.size(fmt): returns the bytes pack(fmt, ...) produces. s and c0 raise "has no fixed
 * size"; as in Redis, letters and digits that are no option count 0 bytes instead of raising.
 */
static int
struct_size(lua_State *L)
{
	struct fmt_walk w;
	size_t pos = 0;
	int opt;

	walk_init(&w, luaL_checkstring(L, 1));
	while ((opt = (unsigned char)*w.next) != '\0') {
		size_t size;

		w.next++;
		size = opt_size(L, &w, opt);
		pos += opt_pad(&w, pos, opt, size);
		if (opt == 's')
			luaL_argerror(L, 1, "option 's' has no fixed size");
		else if (opt == 'c' && size == 0)
			luaL_argerror(L, 1, "option 'c0' has no fixed size");
		if (!is_alnum(opt))
			walk_control(L, &w, opt);
		pos += size;
	}
	lua_pushinteger(L, u64_to_integer(pos));
	return 1;
}

static const luaL_Reg struct_funcs[] = {
	{ "pack", struct_pack },
	{ "unpack", struct_unpack },
	{ "size", struct_size },
	{ NULL, NULL }
};

/*
 * Creates the table "struct" (or fills the one already there) with luaL_register, which also
 * records it in the registry's _LOADED table, sets it as the global "struct", leaves it on the
 * stack and returns 1.
 */
int
script_open_struct(lua_State *L)
{
	luaL_register(L, "struct", struct_funcs);
	return 1;
}
