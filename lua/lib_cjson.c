/*
 * lib_cjson: the "cjson" library of Redis' Lua scripts, behaving as the lua-cjson 2.1.0 that
 * redis-server 7.0.15 embeds (with Redis' patches: a decode depth limit, stack checks on both
 * directions and overflow guards).
 *
 * The table holds encode, decode, the configuration functions (encode_sparse_array,
 * encode_max_depth, decode_max_depth, encode_number_precision, encode_keep_buffer,
 * encode_invalid_numbers, decode_invalid_numbers), new (a fresh table with its own settings),
 * null (the NULL light userdata JSON null decodes to) and the _NAME/_VERSION strings. script.c
 * opens it into each Lua state through script_open_cjson() (script_libs.h); the settings live
 * in a userdata shared as upvalue 1 by the closures of one table and persist across scripts.
 *
 * Start reading at cj_encode() and cj_decode(). Both recurse in C, one level per nested table,
 * bounded by the depth settings and by LUAI_MAXCSTACK through lua_checkstack(), at the very
 * depths where Redis' copy stops (a script can observe them in the error text). The encoder
 * builds its text in a userdata buffer and the decoder works on a userdata copy of its input,
 * so a Lua error in the middle leaves only garbage for the collector, never a C allocation.
 */
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <lauxlib.h>
#include <lua.h>

#include "lua/script_libs.h"
#include "storage/base/num.h"

/* Defaults of a new table, as Redis' copy has them. */
#define CJ_SPARSE_CONVERT	0
#define CJ_SPARSE_RATIO		2
#define CJ_SPARSE_SAFE		10
#define CJ_MAX_DEPTH		1000
#define CJ_PRECISION		14

/* encode_invalid_numbers settings: refuse, write nan/inf as printf does, write null. */
enum cj_badnum {
	CJ_BADNUM_OFF,
	CJ_BADNUM_ON,
	CJ_BADNUM_NULL
};

/* The settings of one cjson table. */
struct cj_config {
	int	sparse_convert;	/* encode an excessively sparse array as an object */
	int	sparse_ratio;	/* 0: never sparse; else max index / items that is too sparse */
	int	sparse_safe;	/* an array whose max index is at most this is never sparse */
	int	encode_max_depth;
	int	decode_max_depth;
	int	encode_badnum;	/* enum cj_badnum */
	int	decode_badnum;	/* accept NaN, Infinity, hex, '+' and leading zeros */
	int	precision;	/* significant digits of encoded numbers, 1 to 14 */
	int	keep_buffer;	/* keep the encode buffer for the next call */
};

/*
 * The encoder's output. The bytes live in a userdata at stack index CJ_ENC_BUF (below the
 * value being encoded), replaced by a larger copy when full.
 */
struct cj_enc {
	lua_State		*L;
	struct cj_config	*cfg;
	char			*p;
	size_t			 len;
	size_t			 cap;
};

#define CJ_ENC_BUF	1
#define CJ_ENC_MIN	256

/* Token kinds of the decoder; the names are part of the error texts scripts see. */
enum cj_tok {
	T_OBJ_BEGIN,
	T_OBJ_END,
	T_ARR_BEGIN,
	T_ARR_END,
	T_STRING,
	T_NUMBER,
	T_BOOLEAN,
	T_NULL,
	T_COLON,
	T_COMMA,
	T_END,
	T_ERROR
};

static const char *const cj_tok_name[] = {
	"T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER",
	"T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_ERROR"
};

struct cj_token {
	enum cj_tok	 type;
	size_t		 index;	/* offset of the token, or of the error, in the input */
	const char	*str;	/* T_STRING: decoded bytes; T_ERROR: the reason */
	size_t		 len;
	double		 num;	/* T_NUMBER */
	int		 boolean; /* T_BOOLEAN */
};

/*
 * The decoder's state. data is a NUL-terminated userdata copy of the input at stack index 1
 * (the argument's slot), so strings are unescaped in place: an escape never decodes to more
 * bytes than it spans.
 */
struct cj_dec {
	lua_State		*L;
	struct cj_config	*cfg;
	char			*data;
	char			*p;
	int			 depth;
};

static int	cj_new(lua_State *);
static void	cj_enc_value(struct cj_enc *, int);
static void	cj_dec_value(struct cj_dec *, struct cj_token *);

/* ---------------------------------------------------------------------------------------- */
/* Configuration functions. */

static struct cj_config *
cj_config(lua_State *L)
{
	return lua_touserdata(L, lua_upvalueindex(1));
}

/*
 * Raises "found too many arguments" on argument nargs + 1 if there are more than nargs, and
 * pads the missing ones with nil, which every option reads as "leave unchanged".
 */
static struct cj_config *
cj_config_args(lua_State *L, int nargs)
{
	luaL_argcheck(L, lua_gettop(L) <= nargs, nargs + 1, "found too many arguments");
	while (lua_gettop(L) < nargs)
		lua_pushnil(L);
	return cj_config(L);
}

/*
 * Keeps the low 32 bits of v as a two's complement int, as storing a lua_Integer into an int
 * does on Redis' platforms, without relying on an out-of-range conversion.
 */
static int
cj_low_int(lua_Integer v)
{
	uint32_t u = (uint32_t)(uint64_t)v;

	if (u <= (uint32_t)INT_MAX)
		return (int)u;
	return (int)(u - 2147483648u) + INT_MIN;
}

/*
 * Sets *setting from argument idx unless it is nil, and pushes the setting. Redis' copy
 * reports a value out of [min, max] on argument #1 whatever idx is; so does this.
 */
static void
cj_int_option(lua_State *L, int idx, int *setting, int min, int max)
{
	char msg[64];
	int v;

	if (!lua_isnil(L, idx)) {
		v = cj_low_int(luaL_checkinteger(L, idx));
		snprintf(msg, sizeof msg, "expected integer between %d and %d", min, max);
		luaL_argcheck(L, min <= v && v <= max, 1, msg);
		*setting = v;
	}
	lua_pushinteger(L, *setting);
}

/*
 * Sets *setting from argument idx unless it is nil: a boolean counts as 0 or 1, a string
 * must name one of options (its index is the setting). Pushes false/true for 0/1 and the
 * option's name otherwise.
 */
static void
cj_enum_option(lua_State *L, int idx, int *setting, const char *const *options)
{
	static const char *const onoff[] = { "off", "on", NULL };

	if (options == NULL)
		options = onoff;
	if (!lua_isnil(L, idx)) {
		if (lua_isboolean(L, idx))
			*setting = lua_toboolean(L, idx);
		else
			*setting = luaL_checkoption(L, idx, NULL, options);
	}
	if (*setting == 0 || *setting == 1)
		lua_pushboolean(L, *setting);
	else
		lua_pushstring(L, options[*setting]);
}

/*
 * cjson.encode_sparse_array([convert [, ratio [, safe]]]): returns the three settings. The
 * arguments are applied in order, so a bad ratio leaves a new convert in place, as in Redis.
 */
static int
cj_cfg_sparse_array(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 3);

	cj_enum_option(L, 1, &cfg->sparse_convert, NULL);
	cj_int_option(L, 2, &cfg->sparse_ratio, 0, INT_MAX);
	cj_int_option(L, 3, &cfg->sparse_safe, 0, INT_MAX);
	return 3;
}

/* cjson.encode_max_depth([depth]): returns the setting. */
static int
cj_cfg_encode_max_depth(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_int_option(L, 1, &cfg->encode_max_depth, 1, INT_MAX);
	return 1;
}

/* cjson.decode_max_depth([depth]): returns the setting. */
static int
cj_cfg_decode_max_depth(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_int_option(L, 1, &cfg->decode_max_depth, 1, INT_MAX);
	return 1;
}

/* cjson.encode_number_precision([digits]): returns the setting. */
static int
cj_cfg_precision(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_int_option(L, 1, &cfg->precision, 1, 14);
	return 1;
}

/*
 * cjson.encode_keep_buffer([on]): returns the setting. Turning it off drops the kept buffer
 * (held in the config userdata's environment table) for the collector.
 */
static int
cj_cfg_keep_buffer(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_enum_option(L, 1, &cfg->keep_buffer, NULL);
	if (!cfg->keep_buffer) {
		lua_getfenv(L, lua_upvalueindex(1));
		lua_pushnil(L);
		lua_rawseti(L, -2, 1);
		lua_pop(L, 1);
	}
	return 1;
}

/* cjson.encode_invalid_numbers([false|true|"off"|"on"|"null"]): returns the setting. */
static int
cj_cfg_encode_invalid(lua_State *L)
{
	static const char *const options[] = { "off", "on", "null", NULL };
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_enum_option(L, 1, &cfg->encode_badnum, options);
	return 1;
}

/* cjson.decode_invalid_numbers([on]): returns the setting. */
static int
cj_cfg_decode_invalid(lua_State *L)
{
	struct cj_config *cfg = cj_config_args(L, 1);

	cj_enum_option(L, 1, &cfg->decode_badnum, NULL);
	return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Encoding. */

/* Makes room for n more bytes, moving the text into a larger userdata when needed. */
static void
cj_enc_reserve(struct cj_enc *e, size_t n)
{
	size_t want, cap;
	char *p;

	if (e->cap - e->len >= n)
		return;
	if (n > SIZE_MAX / 2 - e->len)
		luaL_error(e->L, "not enough memory");
	want = e->len + n;
	cap = e->cap <= SIZE_MAX / 4 ? e->cap * 2 : want;
	if (cap < want)
		cap = want;
	p = lua_newuserdata(e->L, cap);
	memcpy(p, e->p, e->len);
	lua_replace(e->L, CJ_ENC_BUF);
	e->p = p;
	e->cap = cap;
}

static void
cj_enc_mem(struct cj_enc *e, const char *s, size_t n)
{
	cj_enc_reserve(e, n);
	memcpy(e->p + e->len, s, n);
	e->len += n;
}

static void
cj_enc_char(struct cj_enc *e, char c)
{
	cj_enc_reserve(e, 1);
	e->p[e->len++] = c;
}

/* Raises "Cannot serialise <type of the value at idx>: <reason>". */
static void
cj_enc_fail(struct cj_enc *e, int idx, const char *reason)
{
	luaL_error(e->L, "Cannot serialise %s: %s", luaL_typename(e->L, idx), reason);
}

/*
 * Returns how many bytes byte c takes in a JSON string: control bytes, DEL, '"', '\\' and
 * '/' are escaped, as Redis' copy does; every other byte, UTF-8 or not, passes as it is.
 */
static size_t
cj_esc_len(unsigned char c)
{
	switch (c) {
	case '\b': case '\t': case '\n': case '\f': case '\r':
	case '"': case '\\': case '/':
		return 2;
	case 0x7f:
		return 6;
	default:
		return c < 0x20 ? 6 : 1;
	}
}

/* Appends the string at stack index idx, quoted and escaped. */
static void
cj_enc_string(struct cj_enc *e, int idx)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s;
	size_t len, out, i;
	char *w;

	s = (const unsigned char *)lua_tolstring(e->L, idx, &len);
	if (len > (SIZE_MAX - 2) / 6)
		luaL_error(e->L, "not enough memory");
	out = 2;
	for (i = 0; i < len; i++)
		out += cj_esc_len(s[i]);
	cj_enc_reserve(e, out);
	w = e->p + e->len;
	*w++ = '"';
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (cj_esc_len(c) == 1) {
			*w++ = (char)c;
			continue;
		}
		*w++ = '\\';
		switch (c) {
		case '\b': *w++ = 'b'; break;
		case '\t': *w++ = 't'; break;
		case '\n': *w++ = 'n'; break;
		case '\f': *w++ = 'f'; break;
		case '\r': *w++ = 'r'; break;
		case '"': case '\\': case '/': *w++ = (char)c; break;
		default:
			*w++ = 'u';
			*w++ = '0';
			*w++ = '0';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
			break;
		}
	}
	*w++ = '"';
	e->len += out;
}

/* Powers of ten up to the largest precision: integers below cj_pow10[p] have at most p digits. */
static const double cj_pow10[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14
};

/*
 * Appends the number at stack index idx with printf's "%.<precision>g", after the
 * encode_invalid_numbers policy for NaN and infinities. A locale whose decimal point is a
 * comma is undone, as Redis' fpconv does.
 */
static void
cj_enc_number(struct cj_enc *e, int idx)
{
	double v = lua_tonumber(e->L, idx);
	char buf[32];
	int n, i;

	switch (e->cfg->encode_badnum) {
	case CJ_BADNUM_OFF:
		if (isinf(v) || isnan(v))
			cj_enc_fail(e, idx, "must not be NaN or Inf");
		break;
	case CJ_BADNUM_ON:
		/* printf may write "-nan"; Redis' copy always writes "nan". */
		if (isnan(v)) {
			cj_enc_mem(e, "nan", 3);
			return;
		}
		break;
	default:
		if (isinf(v) || isnan(v)) {
			cj_enc_mem(e, "null", 4);
			return;
		}
		break;
	}
	/*
	 * An integer of at most precision digits is what "%.<precision>g" prints it as, so the
	 * common case skips printf (-0 excepted: printf keeps its sign).
	 */
	if (v == floor(v) && fabs(v) < cj_pow10[e->cfg->precision] && (v != 0 || !signbit(v))) {
		cj_enc_reserve(e, NUM_I64_MAX_CHARS);
		e->len += num_fmt_i64(e->p + e->len, (int64_t)v);
		return;
	}
	n = snprintf(buf, sizeof buf, "%.*g", e->cfg->precision, v);
	for (i = 0; i < n; i++)
		if (buf[i] == ',')
			buf[i] = '.';
	cj_enc_mem(e, buf, (size_t)n);
}

/*
 * Converts an integral double k >= 1 to int as x86-64's truncating conversion does: values
 * past INT_MAX become INT_MIN. Redis' copy stores such keys into an int unchecked, and what it
 * then does with a table (array or object, which length) follows from that value.
 */
static int
cj_key_to_int(double k)
{
	return k < 2147483648.0 ? (int)k : INT_MIN;
}

/*
 * Returns the length to encode the table on top of the stack as an array with, or -1 for an
 * object: every key must be a number, integral and >= 1; the largest one is the length. An
 * excessively sparse array (by the encode_sparse_array settings) raises an error, or becomes
 * an object when convert is on.
 */
static int
cj_array_length(struct cj_enc *e)
{
	lua_State *L = e->L;
	struct cj_config *cfg = e->cfg;
	double k;
	int max = 0, items = 0;
	uint32_t scaled;

	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		if (lua_type(L, -2) == LUA_TNUMBER) {
			k = lua_tonumber(L, -2);
			if (k != 0 && floor(k) == k && k >= 1) {
				if (k > max)
					max = cj_key_to_int(k);
				items++;
				lua_pop(L, 1);
				continue;
			}
		}
		lua_pop(L, 2);
		return -1;
	}
	/* items * ratio wraps in 32 bits, as the int product does in Redis' copy. */
	scaled = (uint32_t)items * (uint32_t)cfg->sparse_ratio;
	if (cfg->sparse_ratio > 0 && max > cj_low_int((lua_Integer)scaled) &&
	    max > cfg->sparse_safe) {
		if (!cfg->sparse_convert)
			cj_enc_fail(e, -1, "excessively sparse array");
		return -1;
	}
	return max;
}

/*
 * Raises "Cannot serialise, excessive nesting (depth)" past encode_max_depth or when the Lua
 * stack cannot give a key and a value more. Redis' copy asks lua_checkstack() for 3 slots
 * with nothing below its argument; this encoder keeps its buffer in one slot more, so asking
 * for 2 fails at exactly the same depth. (A buffer growth at that very depth pushes one
 * transient slot past the two: lua_checkstack() leaves more than it was asked for below the
 * stack's end, so it is there.)
 */
static void
cj_enc_descend(struct cj_enc *e, int depth)
{
	if (depth <= e->cfg->encode_max_depth && lua_checkstack(e->L, 2)) {
		(void)lua_checkstack(e->L, 3);
		return;
	}
	luaL_error(e->L, "Cannot serialise, excessive nesting (%d)", depth);
}

static void
cj_enc_array(struct cj_enc *e, int depth, int length)
{
	int i;

	cj_enc_char(e, '[');
	for (i = 1; i <= length; i++) {
		if (i > 1)
			cj_enc_char(e, ',');
		lua_rawgeti(e->L, -1, i);
		cj_enc_value(e, depth);
		lua_pop(e->L, 1);
	}
	cj_enc_char(e, ']');
}

/* Keys come in lua_next() order; number keys are written as strings. */
static void
cj_enc_object(struct cj_enc *e, int depth)
{
	lua_State *L = e->L;
	int first = 1;

	cj_enc_char(e, '{');
	lua_pushnil(L);
	while (lua_next(L, -2) != 0) {
		if (!first)
			cj_enc_char(e, ',');
		first = 0;
		switch (lua_type(L, -2)) {
		case LUA_TNUMBER:
			cj_enc_char(e, '"');
			cj_enc_number(e, -2);
			cj_enc_mem(e, "\":", 2);
			break;
		case LUA_TSTRING:
			cj_enc_string(e, -2);
			cj_enc_char(e, ':');
			break;
		default:
			cj_enc_fail(e, -2, "table key must be a number or string");
		}
		cj_enc_value(e, depth);
		lua_pop(L, 1);
	}
	cj_enc_char(e, '}');
}

/* Appends the value on top of the stack; depth counts the tables around it. */
static void
cj_enc_value(struct cj_enc *e, int depth)
{
	lua_State *L = e->L;
	int length;

	switch (lua_type(L, -1)) {
	case LUA_TSTRING:
		cj_enc_string(e, -1);
		break;
	case LUA_TNUMBER:
		cj_enc_number(e, -1);
		break;
	case LUA_TBOOLEAN:
		if (lua_toboolean(L, -1))
			cj_enc_mem(e, "true", 4);
		else
			cj_enc_mem(e, "false", 5);
		break;
	case LUA_TTABLE:
		cj_enc_descend(e, ++depth);
		length = cj_array_length(e);
		if (length > 0)
			cj_enc_array(e, depth, length);
		else
			cj_enc_object(e, depth);
		break;
	case LUA_TNIL:
		cj_enc_mem(e, "null", 4);
		break;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, -1) == NULL) {
			cj_enc_mem(e, "null", 4);
			break;
		}
		/* FALLTHROUGH */
	default:
		cj_enc_fail(e, -1, "type not supported");
	}
}

/*
 * cjson.encode(value): returns the JSON text of value. Raises on a second argument, on
 * functions, userdata, threads and light userdata other than cjson.null, on keys that are
 * neither numbers nor strings, on NaN and infinities (unless encode_invalid_numbers says
 * otherwise), on excessively sparse arrays and past encode_max_depth.
 */
static int
cj_encode(lua_State *L)
{
	struct cj_enc e;

	e.L = L;
	e.cfg = cj_config(L);
	luaL_argcheck(L, lua_gettop(L) == 1, 1, "expected 1 argument");

	/* A kept buffer is taken out of the table while in use, so no other call shares it. */
	lua_getfenv(L, lua_upvalueindex(1));
	lua_rawgeti(L, -1, 1);
	if (lua_type(L, -1) == LUA_TUSERDATA) {
		lua_pushnil(L);
		lua_rawseti(L, -3, 1);
	} else {
		lua_pop(L, 1);
		lua_newuserdata(L, CJ_ENC_MIN);
	}
	lua_remove(L, -2);
	lua_insert(L, CJ_ENC_BUF);
	e.p = lua_touserdata(L, CJ_ENC_BUF);
	e.cap = lua_objlen(L, CJ_ENC_BUF);
	e.len = 0;

	cj_enc_value(&e, 0);
	lua_pushlstring(L, e.p, e.len);

	if (e.cfg->keep_buffer) {
		lua_getfenv(L, lua_upvalueindex(1));
		lua_pushvalue(L, CJ_ENC_BUF);
		lua_rawseti(L, -2, 1);
		lua_pop(L, 1);
	}
	return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Decoding. */

/* Marks tok as an error at the current position. */
static void
cj_tok_error(struct cj_dec *d, struct cj_token *tok, const char *reason)
{
	tok->type = T_ERROR;
	tok->index = (size_t)(d->p - d->data);
	tok->str = reason;
}

static int
cj_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Returns the 4 hex digits at s as a code unit, or -1 (a NUL among them is invalid too). */
static int
cj_hex4(const char *s)
{
	int v = 0, i, x;

	for (i = 0; i < 4; i++) {
		if ((x = cj_hex_digit(s[i])) < 0)
			return -1;
		v = v * 16 + x;
	}
	return v;
}

/*
 * Decodes the \uXXXX escape at d->p (a surrogate pair takes two) into UTF-8 at *w, advancing
 * both. Returns 0, or -1 for bad hex digits, a lone or reversed surrogate.
 */
static int
cj_dec_unicode(struct cj_dec *d, char **w)
{
	unsigned char *o = (unsigned char *)*w;
	int cp, low, n = 6;

	if ((cp = cj_hex4(d->p + 2)) < 0)
		return -1;
	if ((cp & 0xF800) == 0xD800) {
		if (cp & 0x400)
			return -1;
		if (d->p[6] != '\\' || d->p[7] != 'u')
			return -1;
		if ((low = cj_hex4(d->p + 8)) < 0 || (low & 0xFC00) != 0xDC00)
			return -1;
		cp = 0x10000 + (((cp & 0x3FF) << 10) | (low & 0x3FF));
		n = 12;
	}
	/* Everything needed was read: the bytes written below never pass d->p + n. */
	if (cp < 0x80) {
		*o++ = (unsigned char)cp;
	} else if (cp < 0x800) {
		*o++ = (unsigned char)(0xC0 | (cp >> 6));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (unsigned char)(0xE0 | (cp >> 12));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (unsigned char)(0xF0 | (cp >> 18));
		*o++ = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
		*o++ = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		*o++ = (unsigned char)(0x80 | (cp & 0x3F));
	}
	*w = (char *)o;
	d->p += n;
	return 0;
}

/* Reads the string whose opening quote is at d->p, unescaping it in place. */
static void
cj_dec_string(struct cj_dec *d, struct cj_token *tok)
{
	char *start, *w, c;

	start = w = ++d->p;
	while ((c = *d->p) != '"') {
		if (c == '\0') {
			cj_tok_error(d, tok, "unexpected end of string");
			return;
		}
		if (c == '\\') {
			switch (d->p[1]) {
			case '"': case '\\': case '/': c = d->p[1]; break;
			case 'b': c = '\b'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'f': c = '\f'; break;
			case 'r': c = '\r'; break;
			case 'u':
				if (cj_dec_unicode(d, &w) == 0)
					continue;
				cj_tok_error(d, tok, "invalid unicode escape code");
				return;
			default:
				cj_tok_error(d, tok, "invalid escape code");
				return;
			}
			d->p++;
		}
		*w++ = c;
		d->p++;
	}
	d->p++;
	tok->type = T_STRING;
	tok->str = start;
	tok->len = (size_t)(w - start);
}

/*
 * Returns 1 if the number-like text at p is something strict JSON forbids but strtod()
 * would take: a leading '+', hex, a leading zero, inf or nan. Other malformed numbers are
 * left for strtod() to reject.
 */
static int
cj_badnum_text(const char *p)
{
	if (*p == '+')
		return 1;
	if (*p == '-')
		p++;
	if (*p == '0')
		return (p[1] | 0x20) == 'x' || (p[1] >= '0' && p[1] <= '9');
	/* A byte >= 0x80 compares as a negative char in Redis' copy: an ordinary number. */
	if ((signed char)*p <= '9')
		return 0;
	return strncasecmp(p, "inf", 3) == 0 || strncasecmp(p, "nan", 3) == 0;
}

static void
cj_dec_number(struct cj_dec *d, struct cj_token *tok)
{
	char *end;

	tok->type = T_NUMBER;
	tok->num = strtod(d->p, &end);
	if (end == d->p)
		cj_tok_error(d, tok, "invalid number");
	else
		d->p = end;
}

/* Reads the next token; an error or the end leaves d->p on it. */
static void
cj_dec_token(struct cj_dec *d, struct cj_token *tok)
{
	static const enum cj_tok single[] = {
		['{'] = T_OBJ_BEGIN, ['}'] = T_OBJ_END, ['['] = T_ARR_BEGIN,
		[']'] = T_ARR_END, [','] = T_COMMA, [':'] = T_COLON
	};
	char c;

	while (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r')
		d->p++;
	tok->index = (size_t)(d->p - d->data);
	c = *d->p;
	switch (c) {
	case '\0':
		tok->type = T_END;
		return;
	case '{': case '}': case '[': case ']': case ',': case ':':
		tok->type = single[(unsigned char)c];
		d->p++;
		return;
	case '"':
		cj_dec_string(d, tok);
		return;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if (!d->cfg->decode_badnum && cj_badnum_text(d->p))
			cj_tok_error(d, tok, "invalid number");
		else
			cj_dec_number(d, tok);
		return;
	case 't': case 'f': case 'n': case 'i': case 'I': case 'N': case '+':
		break;
	default:
		cj_tok_error(d, tok, "invalid token");
		return;
	}
	if (strncmp(d->p, "true", 4) == 0) {
		tok->type = T_BOOLEAN;
		tok->boolean = 1;
		d->p += 4;
	} else if (strncmp(d->p, "false", 5) == 0) {
		tok->type = T_BOOLEAN;
		tok->boolean = 0;
		d->p += 5;
	} else if (strncmp(d->p, "null", 4) == 0) {
		tok->type = T_NULL;
		d->p += 4;
	} else if (d->cfg->decode_badnum && cj_badnum_text(d->p)) {
		cj_dec_number(d, tok);
	} else {
		cj_tok_error(d, tok, "invalid token");
	}
}

/* Raises "Expected <what> but found <token> at character <1-based offset>". */
static void
cj_dec_fail(struct cj_dec *d, const char *what, const struct cj_token *tok)
{
	const char *found = tok->type == T_ERROR ? tok->str : cj_tok_name[tok->type];

	luaL_error(d->L, "Expected %s but found %s at character %d", what, found,
	    (int)(tok->index + 1));
}

/*
 * Enters a nested object or array that needs slots free stack slots. The stack holds exactly
 * what Redis' copy holds at this point (the input's slot, then per level a table and, in an
 * object, a key), so lua_checkstack() fails at the same depth. The offset in the message is
 * 0-based, as Redis' copy prints it.
 */
static void
cj_dec_descend(struct cj_dec *d, int slots)
{
	d->depth++;
	if (d->depth <= d->cfg->decode_max_depth && lua_checkstack(d->L, slots))
		return;
	luaL_error(d->L, "Found too many nested data structures (%d) at character %d",
	    d->depth, (int)(d->p - d->data));
}

static void
cj_dec_object(struct cj_dec *d)
{
	lua_State *L = d->L;
	struct cj_token tok;

	cj_dec_descend(d, 3);
	lua_newtable(L);
	cj_dec_token(d, &tok);
	if (tok.type == T_OBJ_END) {
		d->depth--;
		return;
	}
	for (;;) {
		if (tok.type != T_STRING)
			cj_dec_fail(d, "object key string", &tok);
		lua_pushlstring(L, tok.str, tok.len);
		cj_dec_token(d, &tok);
		if (tok.type != T_COLON)
			cj_dec_fail(d, "colon", &tok);
		cj_dec_token(d, &tok);
		cj_dec_value(d, &tok);
		lua_rawset(L, -3);
		cj_dec_token(d, &tok);
		if (tok.type == T_OBJ_END) {
			d->depth--;
			return;
		}
		if (tok.type != T_COMMA)
			cj_dec_fail(d, "comma or object end", &tok);
		cj_dec_token(d, &tok);
	}
}

static void
cj_dec_array(struct cj_dec *d)
{
	lua_State *L = d->L;
	struct cj_token tok;
	int i;

	cj_dec_descend(d, 2);
	lua_newtable(L);
	cj_dec_token(d, &tok);
	if (tok.type == T_ARR_END) {
		d->depth--;
		return;
	}
	for (i = 1;; i++) {
		cj_dec_value(d, &tok);
		lua_rawseti(L, -2, i);
		cj_dec_token(d, &tok);
		if (tok.type == T_ARR_END) {
			d->depth--;
			return;
		}
		if (tok.type != T_COMMA)
			cj_dec_fail(d, "comma or array end", &tok);
		cj_dec_token(d, &tok);
	}
}

/* Pushes the value that starts with tok. */
static void
cj_dec_value(struct cj_dec *d, struct cj_token *tok)
{
	switch (tok->type) {
	case T_STRING:
		lua_pushlstring(d->L, tok->str, tok->len);
		break;
	case T_NUMBER:
		lua_pushnumber(d->L, tok->num);
		break;
	case T_BOOLEAN:
		lua_pushboolean(d->L, tok->boolean);
		break;
	case T_OBJ_BEGIN:
		cj_dec_object(d);
		break;
	case T_ARR_BEGIN:
		cj_dec_array(d);
		break;
	case T_NULL:
		lua_pushlightuserdata(d->L, NULL);
		break;
	default:
		cj_dec_fail(d, "value", tok);
	}
}

/*
 * cjson.decode(text): returns the value of the JSON text (a number argument is read as its
 * string). null becomes cjson.null; objects and arrays become tables. A NUL byte ends the
 * text as Redis' copy reads it. Raises on a second argument, on a NUL among the first two
 * bytes ("UTF-16 or UTF-32"), on syntax errors (with the 1-based offset) and past
 * decode_max_depth.
 */
static int
cj_decode(lua_State *L)
{
	struct cj_dec d;
	struct cj_token tok;
	const char *s;
	size_t len;

	luaL_argcheck(L, lua_gettop(L) == 1, 1, "expected 1 argument");
	d.L = L;
	d.cfg = cj_config(L);
	s = luaL_checklstring(L, 1, &len);
	if (len >= 2 && (s[0] == '\0' || s[1] == '\0'))
		luaL_error(L, "JSON parser does not support UTF-16 or UTF-32");

	/* The copy takes the argument's slot, so the stack is laid out as in Redis' copy. */
	d.data = lua_newuserdata(L, len + 1);
	memcpy(d.data, s, len);
	d.data[len] = '\0';
	lua_replace(L, 1);
	d.p = d.data;
	d.depth = 0;

	cj_dec_token(&d, &tok);
	cj_dec_value(&d, &tok);
	cj_dec_token(&d, &tok);
	if (tok.type != T_END)
		cj_dec_fail(&d, "the end", &tok);
	return 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Tables. */

/*
 * Pushes a new cjson table with default settings. The fields are set in the order Redis'
 * copy sets them, so pairs() walks the table in the same order.
 */
static void
cj_push_table(lua_State *L)
{
	static const luaL_Reg funcs[] = {
		{ "encode", cj_encode },
		{ "decode", cj_decode },
		{ "encode_sparse_array", cj_cfg_sparse_array },
		{ "encode_max_depth", cj_cfg_encode_max_depth },
		{ "decode_max_depth", cj_cfg_decode_max_depth },
		{ "encode_number_precision", cj_cfg_precision },
		{ "encode_keep_buffer", cj_cfg_keep_buffer },
		{ "encode_invalid_numbers", cj_cfg_encode_invalid },
		{ "decode_invalid_numbers", cj_cfg_decode_invalid },
		{ "new", cj_new },
		{ NULL, NULL }
	};
	struct cj_config *cfg;
	const luaL_Reg *f;

	lua_newtable(L);
	cfg = lua_newuserdata(L, sizeof *cfg);
	cfg->sparse_convert = CJ_SPARSE_CONVERT;
	cfg->sparse_ratio = CJ_SPARSE_RATIO;
	cfg->sparse_safe = CJ_SPARSE_SAFE;
	cfg->encode_max_depth = CJ_MAX_DEPTH;
	cfg->decode_max_depth = CJ_MAX_DEPTH;
	cfg->encode_badnum = CJ_BADNUM_OFF;
	cfg->decode_badnum = 1;
	cfg->precision = CJ_PRECISION;
	cfg->keep_buffer = 1;
	/* The environment table holds the kept encode buffer at [1]. */
	lua_newtable(L);
	lua_setfenv(L, -2);

	for (f = funcs; f->name != NULL; f++) {
		lua_pushvalue(L, -1);
		lua_pushcclosure(L, f->func, 1);
		lua_setfield(L, -3, f->name);
	}
	lua_pop(L, 1);

	lua_pushlightuserdata(L, NULL);
	lua_setfield(L, -2, "null");
	lua_pushliteral(L, "cjson");
	lua_setfield(L, -2, "_NAME");
	lua_pushliteral(L, "2.1.0");
	lua_setfield(L, -2, "_VERSION");
}

/* cjson.new(): returns a new cjson table whose settings are its own. */
static int
cj_new(lua_State *L)
{
	cj_push_table(L);
	return 1;
}

/* Contract in script_libs.h. */
int
script_open_cjson(lua_State *L)
{
	cj_push_table(L);
	lua_pushvalue(L, -1);
	lua_setglobal(L, "cjson");
	return 1;
}
