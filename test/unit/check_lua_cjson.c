/*
 * check_lua_cjson: unit tests of the cjson library of Redis scripts (lua/lib_cjson.c).
 *
 * The yardstick is redis-server 7.0.15 (Debian 12's build). Every expected value in the case
 * tables below was observed on it: each chunk was sent with EVAL, the server's settings reset
 * to the defaults after each, and the reply recorded. A WANT_ERR text is the Lua error as the
 * script saw it, which Redis wraps as "ERR <text> script: <sha>, on @user_script:1."; a long
 * result is recorded as its length and FNV-1a hash. Here each chunk runs in a fresh Lua state
 * opened as Redis opens its own (base, table, string, math, then the library), loaded under
 * the chunk name "@user_script" so error positions read the same.
 *
 * Beside the tables: the library's opening contract, settings that persist between chunks and
 * stay private to cjson.new() tables, and decoder fuzzing (random, mutated and truncated
 * input) that must never crash and must keep decode and encode consistent with each other.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "lua/script_libs.h"

/* ---------------------------------------------------------------------------------------- */
/* Test plumbing. */

enum want {
	WANT_STR,	/* the chunk returns exactly these bytes */
	WANT_ERR,	/* the chunk raises exactly this message */
	WANT_HASH	/* the chunk returns len bytes whose FNV-1a hash is hash */
};

struct lua_case {
	const char	*src;
	int		 dump;	/* run after DUMP_PRELUDE, which defines D() */
	enum want	 kind;
	const char	*want;
	size_t		 len;
	uint64_t	 hash;
};

/*
 * D(v) renders a decoded value deterministically: table keys sorted (by type name, then
 * value), cjson.null as null, numbers with 17 digits, strings with %q.
 */
#define DUMP_PRELUDE \
	"local function D(v) local t=type(v) if t=='table' then local ks={} for k in pairs(v) " \
	"do ks[#ks+1]=k end table.sort(ks,function(a,b) if type(a)~=type(b) then return " \
	"type(a)<type(b) end return a<b end) local o={} for _,k in ipairs(ks) do " \
	"o[#o+1]=D(k)..'='..D(v[k]) end return '{'..table.concat(o,',')..'}' elseif " \
	"v==cjson.null then return 'null' elseif t=='number' then return " \
	"string.format('%.17g',v) elseif t=='string' then return string.format('%q',v) else " \
	"return tostring(v) end end "

static void
open_lib(lua_State *L, lua_CFunction f, const char *name)
{
	lua_pushcfunction(L, f);
	lua_pushstring(L, name);
	lua_call(L, 1, 0);
}

/* Returns a new state with Redis' set of libraries and cjson. */
static lua_State *
new_state(void)
{
	lua_State *L = luaL_newstate();

	ck_assert_ptr_nonnull(L);
	open_lib(L, luaopen_base, "");
	open_lib(L, luaopen_table, LUA_TABLIBNAME);
	open_lib(L, luaopen_string, LUA_STRLIBNAME);
	open_lib(L, luaopen_math, LUA_MATHLIBNAME);
	open_lib(L, script_open_cjson, "cjson");
	ck_assert_int_eq(lua_gettop(L), 0);
	return L;
}

/*
 * Runs the n bytes at src as a chunk named "@user_script". Returns 0 with the result on top
 * of the stack, or 1 with the error message there.
 */
static int
run_chunk(lua_State *L, const char *src, size_t n)
{
	if (luaL_loadbuffer(L, src, n, "@user_script") != 0)
		return 1;
	return lua_pcall(L, 0, 1, 0) != 0;
}

static uint64_t
fnv1a(const char *p, size_t n)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* Runs one table row in a fresh state and checks its result. */
static void
check_case(const struct lua_case *c)
{
	lua_State *L = new_state();
	luaL_Buffer b;
	const char *got;
	size_t len;
	int failed;

	luaL_buffinit(L, &b);
	if (c->dump)
		luaL_addstring(&b, DUMP_PRELUDE);
	luaL_addstring(&b, c->src);
	luaL_pushresult(&b);
	got = lua_tolstring(L, -1, &len);
	failed = run_chunk(L, got, len);
	ck_assert_msg(lua_type(L, -1) == LUA_TSTRING, "%s: result is a %s", c->src,
	    luaL_typename(L, -1));
	got = lua_tolstring(L, -1, &len);
	switch (c->kind) {
	case WANT_STR:
	case WANT_ERR:
		ck_assert_msg(failed == (c->kind == WANT_ERR), "%s: %s: %s", c->src,
		    failed ? "raised" : "returned", got);
		ck_assert_msg(len == c->len && memcmp(got, c->want, len) == 0,
		    "%s: got %s, want %s", c->src, got, c->want);
		break;
	case WANT_HASH:
		ck_assert_msg(!failed, "%s: raised %s", c->src, got);
		ck_assert_msg(len == c->len && fnv1a(got, len) == c->hash,
		    "%s: got %zu bytes hashing to %016llx, want %zu and %016llx", c->src, len,
		    (unsigned long long)fnv1a(got, len), c->len, (unsigned long long)c->hash);
		break;
	}
	lua_close(L);
}

/* ---------------------------------------------------------------------------------------- */
/* Tables of chunks and the replies redis-server 7.0.15 gave them. */

static const struct lua_case fields_cases[] = {
	{ "local t={} for k,v in pairs(cjson) do t[#t+1]=k..'='..type(v) end return table.concat(t,' ')",
	    0, WANT_STR, "_NAME=string encode=function decode_max_depth=function _VERSION=string decode_invalid_number"
	    "s=function encode_keep_buffer=function null=userdata encode_number_precision=function new=fu"
	    "nction encode_max_depth=function encode_invalid_numbers=function decode=function encode_spar"
	    "se_array=function", 293, 0 },
	{ "local t={} for k,v in pairs(cjson.new()) do t[#t+1]=k..'='..type(v) end return table.concat("
	    "t,' ')",
	    0, WANT_STR, "_NAME=string encode=function decode_max_depth=function _VERSION=string decode_invalid_number"
	    "s=function encode_keep_buffer=function null=userdata encode_number_precision=function new=fu"
	    "nction encode_max_depth=function encode_invalid_numbers=function decode=function encode_spar"
	    "se_array=function", 293, 0 },
	{ "return cjson._NAME..' '..cjson._VERSION..' '..tostring(cjson.null)..' '..type(cjson.null)",
	    0, WANT_STR, "cjson 2.1.0 userdata: (nil) userdata", 36, 0 },
	{ "local c=cjson.new() return tostring(c==cjson)..tostring(c.null==cjson.null)..c._VERSION..tos"
	    "tring(c.encode==cjson.encode)",
	    0, WANT_STR, "falsetrue2.1.0false", 19, 0 },
	{ "local c=cjson.new(1,2,3) local d=c.new() return c._NAME..d._NAME..tostring(c~=d)",
	    0, WANT_STR, "cjsoncjsontrue", 14, 0 },
	{ "return tostring(cjson.decode('null')==cjson.null)..tostring(cjson.null==nil)",
	    0, WANT_STR, "truefalse", 9, 0 },
};

static const struct lua_case encode_cases[] = {
	{ "return cjson.encode('abc')",
	    0, WANT_STR, "\"abc\"", 5, 0 },
	{ "return cjson.encode('')",
	    0, WANT_STR, "\"\"", 2, 0 },
	{ "return cjson.encode(true)",
	    0, WANT_STR, "true", 4, 0 },
	{ "return cjson.encode(false)",
	    0, WANT_STR, "false", 5, 0 },
	{ "return cjson.encode(nil)",
	    0, WANT_STR, "null", 4, 0 },
	{ "return cjson.encode(cjson.null)",
	    0, WANT_STR, "null", 4, 0 },
	{ "return cjson.encode(0)",
	    0, WANT_STR, "0", 1, 0 },
	{ "return cjson.encode(-0)",
	    0, WANT_STR, "-0", 2, 0 },
	{ "return cjson.encode(1)",
	    0, WANT_STR, "1", 1, 0 },
	{ "return cjson.encode(-1)",
	    0, WANT_STR, "-1", 2, 0 },
	{ "return cjson.encode(0.1)",
	    0, WANT_STR, "0.1", 3, 0 },
	{ "return cjson.encode(1/3)",
	    0, WANT_STR, "0.33333333333333", 16, 0 },
	{ "return cjson.encode(-2/3)",
	    0, WANT_STR, "-0.66666666666667", 17, 0 },
	{ "return cjson.encode(100)",
	    0, WANT_STR, "100", 3, 0 },
	{ "return cjson.encode(1e14)",
	    0, WANT_STR, "1e+14", 5, 0 },
	{ "return cjson.encode(1e15)",
	    0, WANT_STR, "1e+15", 5, 0 },
	{ "return cjson.encode(1e16)",
	    0, WANT_STR, "1e+16", 5, 0 },
	{ "return cjson.encode(123456789012345)",
	    0, WANT_STR, "1.2345678901234e+14", 19, 0 },
	{ "return cjson.encode(1234567890123456)",
	    0, WANT_STR, "1.2345678901235e+15", 19, 0 },
	{ "return cjson.encode(2^53)",
	    0, WANT_STR, "9.007199254741e+15", 18, 0 },
	{ "return cjson.encode(2^63)",
	    0, WANT_STR, "9.2233720368548e+18", 19, 0 },
	{ "return cjson.encode(-2^63)",
	    0, WANT_STR, "-9.2233720368548e+18", 20, 0 },
	{ "return cjson.encode(2^1023*1.9999)",
	    0, WANT_STR, "1.7976032502056e+308", 20, 0 },
	{ "return cjson.encode(1e300)",
	    0, WANT_STR, "1e+300", 6, 0 },
	{ "return cjson.encode(-1e300)",
	    0, WANT_STR, "-1e+300", 7, 0 },
	{ "return cjson.encode(1e-300)",
	    0, WANT_STR, "1e-300", 6, 0 },
	{ "return cjson.encode(5e-324)",
	    0, WANT_STR, "4.9406564584125e-324", 20, 0 },
	{ "return cjson.encode(2.2250738585072014e-308)",
	    0, WANT_STR, "2.2250738585072e-308", 20, 0 },
	{ "return cjson.encode(3.14159265358979)",
	    0, WANT_STR, "3.1415926535898", 15, 0 },
	{ "return cjson.encode(0.000001)",
	    0, WANT_STR, "1e-06", 5, 0 },
	{ "return cjson.encode(0.0000001)",
	    0, WANT_STR, "1e-07", 5, 0 },
	{ "return cjson.encode(1e21)",
	    0, WANT_STR, "1e+21", 5, 0 },
	{ "return cjson.encode(12345.678)",
	    0, WANT_STR, "12345.678", 9, 0 },
	{ "return cjson.encode(255/256)",
	    0, WANT_STR, "0.99609375", 10, 0 },
	{ "return cjson.encode(1e100)",
	    0, WANT_STR, "1e+100", 6, 0 },
	{ "return cjson.encode(99999999999999)",
	    0, WANT_STR, "99999999999999", 14, 0 },
	{ "return cjson.encode(999999999999999)",
	    0, WANT_STR, "1e+15", 5, 0 },
	{ "return cjson.encode('\\0\\1\\2\\3\\4\\5\\6\\7\\8\\9\\10\\11\\12\\13\\14\\15\\16\\17\\18\\19"
	    "\\20\\21\\22\\23\\24\\25\\26\\27\\28\\29\\30\\31')",
	    0, WANT_STR, "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u00"
	    "0f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001"
	    "c\\u001d\\u001e\\u001f\"", 174, 0 },
	{ "return cjson.encode(' !\"#$%&\\'()*+,-./0123456789:;<=>\?@[\\\\]^_`{|}~\\127')",
	    0, WANT_STR, "\" !\\\"#$%&'()*+,-.\\/0123456789:;<=>\?@[\\\\]^_`{|}~\\u007f\"", 54, 0 },
	{ "return cjson.encode('\\128\\129\\200\\255 caf\\195\\169 \\226\\130\\172')",
	    0, WANT_STR, "\"\200\201\310\377 caf\303\251 \342\202\254\"", 16, 0 },
	{ "local t={} for i=0,255 do t[#t+1]=string.char(i) end return cjson.encode(table.concat(t))",
	    0, WANT_HASH, NULL, 406, UINT64_C(0x14373b271770ca10) },
	{ "return cjson.encode(string.rep('a/b', 1000))",
	    0, WANT_HASH, NULL, 4002, UINT64_C(0x112eacfec7ee1965) },
	{ "return cjson.encode({['a\"b']='c\\\\d', ['\\n']='/'})",
	    0, WANT_STR, "{\"a\\\"b\":\"c\\\\d\",\"\\n\":\"\\/\"}", 25, 0 },
	{ "return cjson.encode({})",
	    0, WANT_STR, "{}", 2, 0 },
	{ "return cjson.encode({1,2,3})",
	    0, WANT_STR, "[1,2,3]", 7, 0 },
	{ "return cjson.encode({'a','b',{}})",
	    0, WANT_STR, "[\"a\",\"b\",{}]", 12, 0 },
	{ "return cjson.encode({{},{{}},{{{}}}})",
	    0, WANT_STR, "[{},[{}],[[{}]]]", 16, 0 },
	{ "return cjson.encode({1,nil,3})",
	    0, WANT_STR, "[1,null,3]", 10, 0 },
	{ "return cjson.encode({nil,nil,3})",
	    0, WANT_STR, "[null,null,3]", 13, 0 },
	{ "return cjson.encode({[1]=1,[3]=3})",
	    0, WANT_STR, "[1,null,3]", 10, 0 },
	{ "return cjson.encode({[10]=1})",
	    0, WANT_STR, "[null,null,null,null,null,null,null,null,null,1]", 48, 0 },
	{ "return cjson.encode({[11]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({[1]=1,[20]=2})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({[1]=1,[2]=2,[3]=3,[21]=4})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({[0]=1})",
	    0, WANT_STR, "{\"0\":1}", 7, 0 },
	{ "return cjson.encode({[-1]=1})",
	    0, WANT_STR, "{\"-1\":1}", 8, 0 },
	{ "return cjson.encode({[1.5]=1})",
	    0, WANT_STR, "{\"1.5\":1}", 9, 0 },
	{ "return cjson.encode({[2^31-1]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({[2^31]=1})",
	    0, WANT_STR, "{\"2147483648\":1}", 16, 0 },
	{ "return cjson.encode({[1e300]=1})",
	    0, WANT_STR, "{\"1e+300\":1}", 12, 0 },
	{ "return cjson.encode({1,2,[2^31]=3})",
	    0, WANT_STR, "{\"1\":1,\"2\":2,\"2147483648\":3}", 28, 0 },
	{ "return cjson.encode({1,2,[2^40]=3})",
	    0, WANT_STR, "{\"1\":1,\"2\":2,\"1099511627776\":3}", 31, 0 },
	{ "return cjson.encode({[2^53]='x'})",
	    0, WANT_STR, "{\"9.007199254741e+15\":\"x\"}", 26, 0 },
	{ "return cjson.encode({a=1})",
	    0, WANT_STR, "{\"a\":1}", 7, 0 },
	{ "return cjson.encode({a={b={c={}}}})",
	    0, WANT_STR, "{\"a\":{\"b\":{\"c\":{}}}}", 20, 0 },
	{ "return cjson.encode({1,2,a=3})",
	    0, WANT_STR, "{\"1\":1,\"2\":2,\"a\":3}", 19, 0 },
	{ "return cjson.encode({x=cjson.null})",
	    0, WANT_STR, "{\"x\":null}", 10, 0 },
	{ "return cjson.encode({true,false})",
	    0, WANT_STR, "[true,false]", 12, 0 },
	{ "return cjson.encode({[1]='a',['1']='b'})",
	    0, WANT_STR, "{\"1\":\"a\",\"1\":\"b\"}", 17, 0 },
	{ "return cjson.encode({['']=''})",
	    0, WANT_STR, "{\"\":\"\"}", 7, 0 },
	{ "return cjson.encode({[0.1]=0.1})",
	    0, WANT_STR, "{\"0.1\":0.1}", 11, 0 },
	{ "return cjson.encode({[-0.5]=1})",
	    0, WANT_STR, "{\"-0.5\":1}", 10, 0 },
	{ "return cjson.encode({[1/3]=1})",
	    0, WANT_STR, "{\"0.33333333333333\":1}", 22, 0 },
	{ "return cjson.encode({[100]=1,[99]=2})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({a=1,b=2,c=3,d=4,e=5})",
	    0, WANT_STR, "{\"a\":1,\"c\":3,\"b\":2,\"e\":5,\"d\":4}", 31, 0 },
	{ "return cjson.encode({name='x',list={1,2,3},nested={k='v'},flag=true})",
	    0, WANT_STR, "{\"flag\":true,\"nested\":{\"k\":\"v\"},\"name\":\"x\",\"list\":[1,2,3]}", 58, 0 },
	{ "local t={} for i=1,20 do t['k'..i]=i end return cjson.encode(t)",
	    0, WANT_STR, "{\"k16\":16,\"k19\":19,\"k11\":11,\"k17\":17,\"k15\":15,\"k20\":20,\"k10\":10,\"k8\":8,\"k1"
	    "\":1,\"k12\":12,\"k3\":3,\"k2\":2,\"k9\":9,\"k13\":13,\"k18\":18,\"k14\":14,\"k6\":6,\"k7\":"
	    "7,\"k4\":4,\"k5\":5}", 163, 0 },
	{ "local t={} for i=1,100 do t[i]=i*1.5 end return cjson.encode(t)",
	    0, WANT_HASH, NULL, 429, UINT64_C(0x8765fb0250580aef) },
	{ "local t={} for i=1,30 do t[i*2]=i end return cjson.encode(t)",
	    0, WANT_STR, "[null,1,null,2,null,3,null,4,null,5,null,6,null,7,null,8,null,9,null,10,null,11,null,12,null"
	    ",13,null,14,null,15,null,16,null,17,null,18,null,19,null,20,null,21,null,22,null,23,null,24,"
	    "null,25,null,26,null,27,null,28,null,29,null,30]", 232, 0 },
	{ "local t={1,2,3} t[2]=nil return cjson.encode(t)",
	    0, WANT_STR, "[1,null,3]", 10, 0 },
	{ "local t={} t[3]=1 t[1]=2 return cjson.encode(t)",
	    0, WANT_STR, "[2,null,1]", 10, 0 },
};

static const struct lua_case encode_errors_cases[] = {
	{ "return cjson.encode()",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode' (expected 1 argument)", 64, 0 },
	{ "return cjson.encode(1,2)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode' (expected 1 argument)", 64, 0 },
	{ "return cjson.encode(nil,nil)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode' (expected 1 argument)", 64, 0 },
	{ "return cjson.encode(function() end)",
	    0, WANT_ERR, "user_script:1: Cannot serialise function: type not supported", 60, 0 },
	{ "return cjson.encode(coroutine.create(function() end))",
	    0, WANT_ERR, "user_script:1: Cannot serialise thread: type not supported", 58, 0 },
	{ "return cjson.encode({function() end})",
	    0, WANT_ERR, "user_script:1: Cannot serialise function: type not supported", 60, 0 },
	{ "return cjson.encode({a=function() end})",
	    0, WANT_ERR, "user_script:1: Cannot serialise function: type not supported", 60, 0 },
	{ "return cjson.encode({[true]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise boolean: table key must be a number or string", 77, 0 },
	{ "return cjson.encode({[{}]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: table key must be a number or string", 75, 0 },
	{ "return cjson.encode({[function() end]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise function: table key must be a number or string", 78, 0 },
	{ "return cjson.encode({[1]=1,[true]=2})",
	    0, WANT_ERR, "user_script:1: Cannot serialise boolean: table key must be a number or string", 77, 0 },
	{ "return cjson.encode(1/0)",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode(-1/0)",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode(0/0)",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({1/0})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({a=-1/0})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({[1/0]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({[-1/0]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({1,2,[3.5]=0,[4]=1/0})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "return cjson.encode({[12]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({{[100]=1}})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({a={[100]=1}})",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "return cjson.encode({[11]=1,[1]=1,[2]=2,[3]=3,[4]=4,[5]=5})",
	    0, WANT_STR, "[1,2,3,4,5,null,null,null,null,null,1]", 38, 0 },
	{ "local t={} t[1]=t return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "local t={} t.a=t return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "return cjson.encode(cjson.encode)",
	    0, WANT_ERR, "user_script:1: Cannot serialise function: type not supported", 60, 0 },
};

static const struct lua_case config_cases[] = {
	{ "cjson.encode_number_precision(1) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.3,-0.7,1e+300,1e+05,0.1,5e-324,9e+15,1e+02,-0]", 49, 0 },
	{ "cjson.encode_number_precision(2) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.33,-0.67,1e+300,1.2e+05,0.1,4.9e-324,9e+15,1e+02,-0]", 55, 0 },
	{ "cjson.encode_number_precision(3) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.333,-0.667,1e+300,1.23e+05,0.1,4.94e-324,9.01e+15,100,-0]", 60, 0 },
	{ "cjson.encode_number_precision(4) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.3333,-0.6667,1e+300,1.235e+05,0.1,4.941e-324,9.007e+15,100,-0]", 65, 0 },
	{ "cjson.encode_number_precision(5) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.33333,-0.66667,1e+300,1.2346e+05,0.1,4.9407e-324,9.0072e+15,100,-0]", 70, 0 },
	{ "cjson.encode_number_precision(6) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.333333,-0.666667,1e+300,123457,0.1,4.94066e-324,9.0072e+15,100,-0]", 69, 0 },
	{ "cjson.encode_number_precision(7) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.3333333,-0.6666667,1e+300,123456.8,0.1,4.940656e-324,9.007199e+15,100,-0]", 76, 0 },
	{ "cjson.encode_number_precision(8) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.33333333,-0.66666667,1e+300,123456.79,0.1,4.9406565e-324,9.0071993e+15,100,-0]", 81, 0 },
	{ "cjson.encode_number_precision(9) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-"
	    "324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.333333333,-0.666666667,1e+300,123456.789,0.1,4.94065646e-324,9.00719925e+15,100,-0]", 86, 0 },
	{ "cjson.encode_number_precision(10) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e"
	    "-324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.3333333333,-0.6666666667,1e+300,123456.789,0.1,4.940656458e-324,9.007199255e+15,100,-0]", 90, 0 },
	{ "cjson.encode_number_precision(11) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e"
	    "-324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.33333333333,-0.66666666667,1e+300,123456.789,0.1,4.9406564584e-324,9.0071992547e+15,100,-"
	    "0]", 94, 0 },
	{ "cjson.encode_number_precision(12) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e"
	    "-324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.333333333333,-0.666666666667,1e+300,123456.789,0.1,4.94065645841e-324,9.00719925474e+15,1"
	    "00,-0]", 98, 0 },
	{ "cjson.encode_number_precision(13) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e"
	    "-324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.3333333333333,-0.6666666666667,1e+300,123456.789,0.1,4.940656458412e-324,9.007199254741e+"
	    "15,100,-0]", 102, 0 },
	{ "cjson.encode_number_precision(14) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e"
	    "-324, 2^53, 100, -0})",
	    0, WANT_STR, "[0.33333333333333,-0.66666666666667,1e+300,123456.789,0.1,4.9406564584125e-324,9.00719925474"
	    "1e+15,100,-0]", 105, 0 },
	{ "local r=cjson.encode_number_precision(0) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(15) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(-1) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision('x') return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (number expected, got string)", 89, 0 },
	{ "local r=cjson.encode_number_precision({}) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (number expected, got table)", 88, 0 },
	{ "local r=cjson.encode_number_precision(true) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (number expected, got boolean)", 90, 0 },
	{ "local r=cjson.encode_number_precision(1.9) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "1 0.3", 5, 0 },
	{ "local r=cjson.encode_number_precision('5') return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "5 0.33333", 9, 0 },
	{ "local r=cjson.encode_number_precision(' 7 ') return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "7 0.3333333", 11, 0 },
	{ "local r=cjson.encode_number_precision(2^32+3) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "3 0.333", 7, 0 },
	{ "local r=cjson.encode_number_precision(2^31) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(1e300) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(0/0) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(1/0) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_number_precision' (expected integer between 1 and "
	    "14)", 95, 0 },
	{ "local r=cjson.encode_number_precision(-2^32+2) return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "2 0.33", 6, 0 },
	{ "local r=cjson.encode_number_precision('0x0a') return tostring(r)..' '..cjson.encode(1/3)",
	    0, WANT_STR, "10 0.3333333333", 15, 0 },
	{ "cjson.encode_number_precision(1) return cjson.encode({9,-9,10,99,-99,100,-100,99999,100000,0"
	    ",-0,99999999999999,-99999999999999,100000000000000,12345678901234,2^53,-2^63,0.5,-1.5e-7})",
	    0, WANT_STR, "[9,-9,1e+01,1e+02,-1e+02,1e+02,-1e+02,1e+05,1e+05,0,0,1e+14,-1e+14,1e+14,1e+13,9e+15,-9e+18,"
	    "0.5,-1e-07]", 103, 0 },
	{ "cjson.encode_number_precision(2) return cjson.encode({9,-9,10,99,-99,100,-100,99999,100000,0"
	    ",-0,99999999999999,-99999999999999,100000000000000,12345678901234,2^53,-2^63,0.5,-1.5e-7})",
	    0, WANT_STR, "[9,-9,10,99,-99,1e+02,-1e+02,1e+05,1e+05,0,0,1e+14,-1e+14,1e+14,1.2e+13,9e+15,-9.2e+18,0.5,-"
	    "1.5e-07]", 100, 0 },
	{ "cjson.encode_number_precision(5) return cjson.encode({9,-9,10,99,-99,100,-100,99999,100000,0"
	    ",-0,99999999999999,-99999999999999,100000000000000,12345678901234,2^53,-2^63,0.5,-1.5e-7})",
	    0, WANT_STR, "[9,-9,10,99,-99,100,-100,99999,1e+05,0,0,1e+14,-1e+14,1e+14,1.2346e+13,9.0072e+15,-9.2234e+1"
	    "8,0.5,-1.5e-07]", 107, 0 },
	{ "cjson.encode_number_precision(14) return cjson.encode({9,-9,10,99,-99,100,-100,99999,100000,"
	    "0,-0,99999999999999,-99999999999999,100000000000000,12345678901234,2^53,-2^63,0.5,-1.5e-7})",
	    0, WANT_STR, "[9,-9,10,99,-99,100,-100,99999,100000,0,0,99999999999999,-99999999999999,1e+14,1234567890123"
	    "4,9.007199254741e+15,-9.2233720368548e+18,0.5,-1.5e-07]", 147, 0 },
	{ "return tostring(cjson.encode_number_precision(5,6))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'encode_number_precision' (found too many arguments)", 86, 0 },
	{ "return tostring(cjson.encode_number_precision(nil))..tostring(cjson.encode_number_precision("
	    "))",
	    0, WANT_STR, "1414", 4, 0 },
	{ "cjson.encode_number_precision(3) return cjson.encode({[1/3]=1})",
	    0, WANT_STR, "{\"0.333\":1}", 11, 0 },
	{ "local r=cjson.encode_invalid_numbers(true) return tostring(r)..' '..cjson.encode({1/0,-1/0,0"
	    "/0,-(0/0),1.5})",
	    0, WANT_STR, "true [inf,-inf,nan,nan,1.5]", 27, 0 },
	{ "cjson.encode_invalid_numbers(true) return cjson.encode({[1/0]=1})",
	    0, WANT_STR, "{\"inf\":1}", 9, 0 },
	{ "cjson.encode_invalid_numbers(true) return cjson.encode({[-1/0]='x'})",
	    0, WANT_STR, "{\"-inf\":\"x\"}", 12, 0 },
	{ "local r=cjson.encode_invalid_numbers(false) return tostring(r)..' '..cjson.encode({1/0,-1/0,"
	    "0/0,-(0/0),1.5})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "cjson.encode_invalid_numbers(false) return cjson.encode({[1/0]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "cjson.encode_invalid_numbers(false) return cjson.encode({[-1/0]='x'})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "local r=cjson.encode_invalid_numbers('on') return tostring(r)..' '..cjson.encode({1/0,-1/0,0"
	    "/0,-(0/0),1.5})",
	    0, WANT_STR, "true [inf,-inf,nan,nan,1.5]", 27, 0 },
	{ "cjson.encode_invalid_numbers('on') return cjson.encode({[1/0]=1})",
	    0, WANT_STR, "{\"inf\":1}", 9, 0 },
	{ "cjson.encode_invalid_numbers('on') return cjson.encode({[-1/0]='x'})",
	    0, WANT_STR, "{\"-inf\":\"x\"}", 12, 0 },
	{ "local r=cjson.encode_invalid_numbers('off') return tostring(r)..' '..cjson.encode({1/0,-1/0,"
	    "0/0,-(0/0),1.5})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "cjson.encode_invalid_numbers('off') return cjson.encode({[1/0]=1})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "cjson.encode_invalid_numbers('off') return cjson.encode({[-1/0]='x'})",
	    0, WANT_ERR, "user_script:1: Cannot serialise number: must not be NaN or Inf", 62, 0 },
	{ "local r=cjson.encode_invalid_numbers('null') return tostring(r)..' '..cjson.encode({1/0,-1/0"
	    ",0/0,-(0/0),1.5})",
	    0, WANT_STR, "null [null,null,null,null,1.5]", 30, 0 },
	{ "cjson.encode_invalid_numbers('null') return cjson.encode({[1/0]=1})",
	    0, WANT_STR, "{\"null\":1}", 10, 0 },
	{ "cjson.encode_invalid_numbers('null') return cjson.encode({[-1/0]='x'})",
	    0, WANT_STR, "{\"null\":\"x\"}", 12, 0 },
	{ "return tostring(cjson.encode_invalid_numbers('maybe'))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option 'maybe')", 83, 0 },
	{ "return tostring(cjson.encode_invalid_numbers(1))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option '1')", 79, 0 },
	{ "return tostring(cjson.encode_invalid_numbers({}))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_invalid_numbers' (string expected, got table)", 87, 0 },
	{ "return tostring(cjson.encode_invalid_numbers('ON'))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_invalid_numbers' (invalid option 'ON')", 80, 0 },
	{ "return tostring(cjson.encode_invalid_numbers(nil))",
	    0, WANT_STR, "false", 5, 0 },
	{ "return tostring(cjson.encode_invalid_numbers(true, 1))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'encode_invalid_numbers' (found too many arguments)", 85, 0 },
	{ "return tostring(cjson.encode_invalid_numbers())",
	    0, WANT_STR, "false", 5, 0 },
	{ "cjson.encode_invalid_numbers('on') cjson.encode_number_precision(3) return cjson.encode({1/0"
	    ", math.huge, -math.huge, 1/3})",
	    0, WANT_STR, "[inf,inf,-inf,0.333]", 20, 0 },
	{ "local r=cjson.encode_keep_buffer(true) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_STR, "true [1,\"a\",{\"b\":2}]", 20, 0 },
	{ "local r=cjson.encode_keep_buffer(false) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_STR, "false [1,\"a\",{\"b\":2}]", 21, 0 },
	{ "local r=cjson.encode_keep_buffer('on') return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_STR, "true [1,\"a\",{\"b\":2}]", 20, 0 },
	{ "local r=cjson.encode_keep_buffer('off') return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_STR, "false [1,\"a\",{\"b\":2}]", 21, 0 },
	{ "local r=cjson.encode_keep_buffer(nil) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_STR, "true [1,\"a\",{\"b\":2}]", 20, 0 },
	{ "local r=cjson.encode_keep_buffer('x') return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_keep_buffer' (invalid option 'x')", 75, 0 },
	{ "local r=cjson.encode_keep_buffer(0) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_keep_buffer' (invalid option '0')", 75, 0 },
	{ "local r=cjson.encode_keep_buffer({}) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_keep_buffer' (string expected, got table)", 83, 0 },
	{ "return tostring(cjson.encode_keep_buffer(true,true))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'encode_keep_buffer' (found too many arguments)", 81, 0 },
	{ "local a=cjson.encode(string.rep('x',5000)) local b=cjson.encode({1}) cjson.encode_keep_buffe"
	    "r(false) local c=cjson.encode(string.rep('y',3000)) local d=cjson.encode({2}) cjson.encode_k"
	    "eep_buffer(true) local e=cjson.encode({3}) return #a..b..#c..d..e..tostring(cjson.encode_kee"
	    "p_buffer())",
	    0, WANT_STR, "5002[1]3002[2][3]true", 21, 0 },
	{ "cjson.encode_keep_buffer(false) pcall(cjson.encode, {1, function() end}) return cjson.encode"
	    "({1,2})",
	    0, WANT_STR, "[1,2]", 5, 0 },
	{ "pcall(cjson.encode, {string.rep('z',10000), function() end}) return cjson.encode({1,2})",
	    0, WANT_STR, "[1,2]", 5, 0 },
	{ "local a,b,c=cjson.encode_sparse_array() return tostring(a)..' '..tostring(b)..' '..tostring("
	    "c)",
	    0, WANT_STR, "false 2 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true) return tostring(a)..' '..tostring(b)..' '..tostr"
	    "ing(c)",
	    0, WANT_STR, "true 2 10", 9, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(false) return tostring(a)..' '..tostring(b)..' '..tost"
	    "ring(c)",
	    0, WANT_STR, "false 2 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array('on') return tostring(a)..' '..tostring(b)..' '..tostr"
	    "ing(c)",
	    0, WANT_STR, "true 2 10", 9, 0 },
	{ "local a,b,c=cjson.encode_sparse_array('off') return tostring(a)..' '..tostring(b)..' '..tost"
	    "ring(c)",
	    0, WANT_STR, "false 2 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,0) return tostring(a)..' '..tostring(b)..' '..tos"
	    "tring(c)",
	    0, WANT_STR, "true 0 10", 9, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,1) return tostring(a)..' '..tostring(b)..' '..tos"
	    "tring(c)",
	    0, WANT_STR, "true 1 10", 9, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(false,1) return tostring(a)..' '..tostring(b)..' '..to"
	    "string(c)",
	    0, WANT_STR, "false 1 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(false,0) return tostring(a)..' '..tostring(b)..' '..to"
	    "string(c)",
	    0, WANT_STR, "false 0 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,3,0) return tostring(a)..' '..tostring(b)..' '..t"
	    "ostring(c)",
	    0, WANT_STR, "true 3 0", 8, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(false,2,20) return tostring(a)..' '..tostring(b)..' '."
	    ".tostring(c)",
	    0, WANT_STR, "false 2 20", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(nil,nil,5) return tostring(a)..' '..tostring(b)..' '.."
	    "tostring(c)",
	    0, WANT_STR, "false 2 5", 9, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(nil,5) return tostring(a)..' '..tostring(b)..' '..tost"
	    "ring(c)",
	    0, WANT_STR, "false 5 10", 10, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,2147483647,2147483647) return tostring(a)..' '..t"
	    "ostring(b)..' '..tostring(c)",
	    0, WANT_STR, "true 2147483647 2147483647", 26, 0 },
	{ "local a,b,c=cjson.encode_sparse_array('x') return tostring(a)..' '..tostring(b)..' '..tostri"
	    "ng(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option 'x')", 76, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(1) return tostring(a)..' '..tostring(b)..' '..tostring"
	    "(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (invalid option '1')", 76, 0 },
	{ "local a,b,c=cjson.encode_sparse_array({}) return tostring(a)..' '..tostring(b)..' '..tostrin"
	    "g(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (string expected, got table)", 84, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,-1) return tostring(a)..' '..tostring(b)..' '..to"
	    "string(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147"
	    "483647)", 99, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,'a') return tostring(a)..' '..tostring(b)..' '..t"
	    "ostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'encode_sparse_array' (number expected, got string)", 85, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,1,-1) return tostring(a)..' '..tostring(b)..' '.."
	    "tostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147"
	    "483647)", 99, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,1,{}) return tostring(a)..' '..tostring(b)..' '.."
	    "tostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #3 to 'encode_sparse_array' (number expected, got table)", 84, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,1,1,1) return tostring(a)..' '..tostring(b)..' '."
	    ".tostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #4 to 'encode_sparse_array' (found too many arguments)", 82, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(false,2^31) return tostring(a)..' '..tostring(b)..' '."
	    ".tostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147"
	    "483647)", 99, 0 },
	{ "local a,b,c=cjson.encode_sparse_array(true,1.5,2.5) return tostring(a)..' '..tostring(b)..' "
	    "'..tostring(c)",
	    0, WANT_STR, "true 1 2", 8, 0 },
	{ "local a,b,c=cjson.encode_sparse_array('on',nil,-5) return tostring(a)..' '..tostring(b)..' '"
	    "..tostring(c)",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_sparse_array' (expected integer between 0 and 2147"
	    "483647)", 99, 0 },
	{ "pcall(cjson.encode_sparse_array, true, -1) local a,b,c=cjson.encode_sparse_array() return to"
	    "string(a)..' '..tostring(b)..' '..tostring(c)",
	    0, WANT_STR, "true 2 10", 9, 0 },
	{ "pcall(cjson.encode_sparse_array, true, 5, -1) local a,b,c=cjson.encode_sparse_array() return"
	    " tostring(a)..' '..tostring(b)..' '..tostring(c)",
	    0, WANT_STR, "true 5 10", 9, 0 },
	{ "cjson.encode_sparse_array(true) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4},{"
	    "[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v) e"
	    "nd return table.concat(r,' ')",
	    0, WANT_STR, "{\"11\":1} [null,null,null,1] [1,2,null,4] [null,1,2] [null,null,null,null,1,1,1]", 79, 0 },
	{ "cjson.encode_sparse_array(true,0) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4}"
	    ",{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v)"
	    " end return table.concat(r,' ')",
	    0, WANT_STR, "[null,null,null,null,null,null,null,null,null,null,1] [null,null,null,1] [1,2,null,4] [null,"
	    "1,2] [null,null,null,null,1,1,1]", 124, 0 },
	{ "cjson.encode_sparse_array(false,0) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4"
	    "},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v"
	    ") end return table.concat(r,' ')",
	    0, WANT_STR, "[null,null,null,null,null,null,null,null,null,null,1] [null,null,null,1] [1,2,null,4] [null,"
	    "1,2] [null,null,null,null,1,1,1]", 124, 0 },
	{ "cjson.encode_sparse_array(true,1) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4}"
	    ",{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v)"
	    " end return table.concat(r,' ')",
	    0, WANT_STR, "{\"11\":1} [null,null,null,1] [1,2,null,4] [null,1,2] [null,null,null,null,1,1,1]", 79, 0 },
	{ "cjson.encode_sparse_array(false,1) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4"
	    "},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v"
	    ") end return table.concat(r,' ')",
	    0, WANT_STR, "Cannot serialise table: excessively sparse array [null,null,null,1] [1,2,null,4] [null,1,2] "
	    "[null,null,null,null,1,1,1]", 119, 0 },
	{ "cjson.encode_sparse_array(true,3) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4}"
	    ",{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v)"
	    " end return table.concat(r,' ')",
	    0, WANT_STR, "{\"11\":1} [null,null,null,1] [1,2,null,4] [null,1,2] [null,null,null,null,1,1,1]", 79, 0 },
	{ "cjson.encode_sparse_array(true,2,0) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,"
	    "4},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring("
	    "v) end return table.concat(r,' ')",
	    0, WANT_STR, "{\"11\":1} {\"4\":1} [1,2,null,4] [null,1,2] {\"5\":1,\"6\":1,\"7\":1}", 60, 0 },
	{ "cjson.encode_sparse_array(false,1,100) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,n"
	    "il,4},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostri"
	    "ng(v) end return table.concat(r,' ')",
	    0, WANT_STR, "[null,null,null,null,null,null,null,null,null,null,1] [null,null,null,1] [1,2,null,4] [null,"
	    "1,2] [null,null,null,null,1,1,1]", 124, 0 },
	{ "cjson.encode_sparse_array(true,2147483647) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1"
	    ",2,nil,4},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=to"
	    "string(v) end return table.concat(r,' ')",
	    0, WANT_STR, "[null,null,null,null,null,null,null,null,null,null,1] [null,null,null,1] [1,2,null,4] [null,"
	    "1,2] [null,null,null,null,1,1,1]", 124, 0 },
	{ "cjson.encode_sparse_array(false, 2147483647, 0) local t={} for i=1,3 do t[i]=i end t[100]=1 "
	    "return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise table: excessively sparse array", 63, 0 },
	{ "cjson.encode_sparse_array(true, 1073741824, 0) local t={} for i=1,3 do t[i]=i end t[21474836"
	    "47]=1 return cjson.encode(t)",
	    0, WANT_STR, "{\"1\":1,\"2\":2,\"3\":3,\"2147483647\":1}", 34, 0 },
	{ "cjson.encode_sparse_array(true, 1073741824, 0) local t={1,2} t[2147483647]=1 return cjson.en"
	    "code(t)",
	    0, WANT_STR, "{\"1\":1,\"2\":2,\"2147483647\":1}", 28, 0 },
	{ "local r=cjson.encode_max_depth() return tostring(r)..' '..tostring(cjson.encode_max_depth())",
	    0, WANT_STR, "1000 1000", 9, 0 },
	{ "local r=cjson.encode_max_depth(1) return tostring(r)..' '..tostring(cjson.encode_max_depth()"
	    ")",
	    0, WANT_STR, "1 1", 3, 0 },
	{ "local r=cjson.encode_max_depth(5) return tostring(r)..' '..tostring(cjson.encode_max_depth()"
	    ")",
	    0, WANT_STR, "5 5", 3, 0 },
	{ "local r=cjson.encode_max_depth('7') return tostring(r)..' '..tostring(cjson.encode_max_depth"
	    "())",
	    0, WANT_STR, "7 7", 3, 0 },
	{ "local r=cjson.encode_max_depth(2147483647) return tostring(r)..' '..tostring(cjson.encode_ma"
	    "x_depth())",
	    0, WANT_STR, "2147483647 2147483647", 21, 0 },
	{ "local r=cjson.encode_max_depth(0) return tostring(r)..' '..tostring(cjson.encode_max_depth()"
	    ")",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.encode_max_depth(-1) return tostring(r)..' '..tostring(cjson.encode_max_depth("
	    "))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.encode_max_depth(2^31) return tostring(r)..' '..tostring(cjson.encode_max_dept"
	    "h())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.encode_max_depth(2^32+5) return tostring(r)..' '..tostring(cjson.encode_max_de"
	    "pth())",
	    0, WANT_STR, "5 5", 3, 0 },
	{ "local r=cjson.encode_max_depth(1e300) return tostring(r)..' '..tostring(cjson.encode_max_dep"
	    "th())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.encode_max_depth(0/0) return tostring(r)..' '..tostring(cjson.encode_max_depth"
	    "())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.encode_max_depth('x') return tostring(r)..' '..tostring(cjson.encode_max_depth"
	    "())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got string)", 82, 0 },
	{ "local r=cjson.encode_max_depth({}) return tostring(r)..' '..tostring(cjson.encode_max_depth("
	    "))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'encode_max_depth' (number expected, got table)", 81, 0 },
	{ "local r=cjson.encode_max_depth(1.5) return tostring(r)..' '..tostring(cjson.encode_max_depth"
	    "())",
	    0, WANT_STR, "1 1", 3, 0 },
	{ "local r=cjson.encode_max_depth(nil) return tostring(r)..' '..tostring(cjson.encode_max_depth"
	    "())",
	    0, WANT_STR, "1000 1000", 9, 0 },
	{ "return tostring(cjson.encode_max_depth(1,2))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'encode_max_depth' (found too many arguments)", 79, 0 },
	{ "local r=cjson.decode_max_depth() return tostring(r)..' '..tostring(cjson.decode_max_depth())",
	    0, WANT_STR, "1000 1000", 9, 0 },
	{ "local r=cjson.decode_max_depth(1) return tostring(r)..' '..tostring(cjson.decode_max_depth()"
	    ")",
	    0, WANT_STR, "1 1", 3, 0 },
	{ "local r=cjson.decode_max_depth(5) return tostring(r)..' '..tostring(cjson.decode_max_depth()"
	    ")",
	    0, WANT_STR, "5 5", 3, 0 },
	{ "local r=cjson.decode_max_depth('7') return tostring(r)..' '..tostring(cjson.decode_max_depth"
	    "())",
	    0, WANT_STR, "7 7", 3, 0 },
	{ "local r=cjson.decode_max_depth(2147483647) return tostring(r)..' '..tostring(cjson.decode_ma"
	    "x_depth())",
	    0, WANT_STR, "2147483647 2147483647", 21, 0 },
	{ "local r=cjson.decode_max_depth(0) return tostring(r)..' '..tostring(cjson.decode_max_depth()"
	    ")",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.decode_max_depth(-1) return tostring(r)..' '..tostring(cjson.decode_max_depth("
	    "))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.decode_max_depth(2^31) return tostring(r)..' '..tostring(cjson.decode_max_dept"
	    "h())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.decode_max_depth(2^32+5) return tostring(r)..' '..tostring(cjson.decode_max_de"
	    "pth())",
	    0, WANT_STR, "5 5", 3, 0 },
	{ "local r=cjson.decode_max_depth(1e300) return tostring(r)..' '..tostring(cjson.decode_max_dep"
	    "th())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.decode_max_depth(0/0) return tostring(r)..' '..tostring(cjson.decode_max_depth"
	    "())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (expected integer between 1 and 2147483"
	    "647)", 96, 0 },
	{ "local r=cjson.decode_max_depth('x') return tostring(r)..' '..tostring(cjson.decode_max_depth"
	    "())",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (number expected, got string)", 82, 0 },
	{ "local r=cjson.decode_max_depth({}) return tostring(r)..' '..tostring(cjson.decode_max_depth("
	    "))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_max_depth' (number expected, got table)", 81, 0 },
	{ "local r=cjson.decode_max_depth(1.5) return tostring(r)..' '..tostring(cjson.decode_max_depth"
	    "())",
	    0, WANT_STR, "1 1", 3, 0 },
	{ "local r=cjson.decode_max_depth(nil) return tostring(r)..' '..tostring(cjson.decode_max_depth"
	    "())",
	    0, WANT_STR, "1000 1000", 9, 0 },
	{ "return tostring(cjson.decode_max_depth(1,2))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'decode_max_depth' (found too many arguments)", 79, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"1\"))",
	    1, WANT_STR, "false 1", 7, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-1\"))",
	    1, WANT_STR, "false -1", 8, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0\"))",
	    1, WANT_STR, "false 0", 7, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-0\"))",
	    1, WANT_STR, "false -0", 8, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0.5\")"
	    ")",
	    1, WANT_STR, "false 0.5", 9, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"01\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-01\")"
	    ")",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"00\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0x10\""
	    "))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-0x1\""
	    "))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"+1\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"nan\")"
	    ")",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"NaN\")"
	    ")",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-nan\""
	    "))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"inf\")"
	    ")",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-inf\""
	    "))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"Infini"
	    "ty\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-Infin"
	    "ity\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"1e5\")"
	    ")",
	    1, WANT_STR, "false 100000", 12, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"1.\"))",
	    1, WANT_STR, "false 1", 7, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-.5\")"
	    ")",
	    1, WANT_STR, "false -0.5", 10, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\".5\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0e1\")"
	    ")",
	    1, WANT_STR, "false 0", 7, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0.0e-1"
	    "\"))",
	    1, WANT_STR, "false 0", 7, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"[1,+2]"
	    "\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 4", 68, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"[01]\""
	    "))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 2", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-x\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"-\\128"
	    "\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"0\\128"
	    "\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 2", 70, 0 },
	{ "return tostring(cjson.decode_invalid_numbers(true))",
	    0, WANT_STR, "true", 4, 0 },
	{ "return tostring(cjson.decode_invalid_numbers('on'))",
	    0, WANT_STR, "true", 4, 0 },
	{ "return tostring(cjson.decode_invalid_numbers('off'))",
	    0, WANT_STR, "false", 5, 0 },
	{ "return tostring(cjson.decode_invalid_numbers('x'))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_invalid_numbers' (invalid option 'x')", 79, 0 },
	{ "return tostring(cjson.decode_invalid_numbers(1))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_invalid_numbers' (invalid option '1')", 79, 0 },
	{ "return tostring(cjson.decode_invalid_numbers({}))",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode_invalid_numbers' (string expected, got table)", 87, 0 },
	{ "return tostring(cjson.decode_invalid_numbers(nil))",
	    0, WANT_STR, "true", 4, 0 },
	{ "return tostring(cjson.decode_invalid_numbers(1,2))",
	    0, WANT_ERR, "user_script:1: bad argument #2 to 'decode_invalid_numbers' (found too many arguments)", 85, 0 },
	{ "cjson.decode_invalid_numbers('off') local a=pcall(cjson.decode,'nan') cjson.decode_invalid_n"
	    "umbers('on') return tostring(a)..D(cjson.decode('[nan]'))",
	    1, WANT_STR, "false{1=nan}", 12, 0 },
};

static const struct lua_case decode_cases[] = {
	{ "return D(cjson.decode(\"true\"))",
	    1, WANT_STR, "true", 4, 0 },
	{ "return D(cjson.decode(\"false\"))",
	    1, WANT_STR, "false", 5, 0 },
	{ "return D(cjson.decode(\"null\"))",
	    1, WANT_STR, "null", 4, 0 },
	{ "return D(cjson.decode(\"0\"))",
	    1, WANT_STR, "0", 1, 0 },
	{ "return D(cjson.decode(\"-0\"))",
	    1, WANT_STR, "-0", 2, 0 },
	{ "return D(cjson.decode(\"1\"))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(\"-1\"))",
	    1, WANT_STR, "-1", 2, 0 },
	{ "return D(cjson.decode(\"1.5\"))",
	    1, WANT_STR, "1.5", 3, 0 },
	{ "return D(cjson.decode(\"-1.5e3\"))",
	    1, WANT_STR, "-1500", 5, 0 },
	{ "return D(cjson.decode(\"1E2\"))",
	    1, WANT_STR, "100", 3, 0 },
	{ "return D(cjson.decode(\"1e-2\"))",
	    1, WANT_STR, "0.01", 4, 0 },
	{ "return D(cjson.decode(\"1e+2\"))",
	    1, WANT_STR, "100", 3, 0 },
	{ "return D(cjson.decode(\"0.1\"))",
	    1, WANT_STR, "0.10000000000000001", 19, 0 },
	{ "return D(cjson.decode(\"123456789012345678901234567890\"))",
	    1, WANT_STR, "1.2345678901234568e+29", 22, 0 },
	{ "return D(cjson.decode(\"1e400\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"-1e400\"))",
	    1, WANT_STR, "-inf", 4, 0 },
	{ "return D(cjson.decode(\"1e-400\"))",
	    1, WANT_STR, "0", 1, 0 },
	{ "return D(cjson.decode(\"5e-324\"))",
	    1, WANT_STR, "4.9406564584124654e-324", 23, 0 },
	{ "return D(cjson.decode(\"2.5e-324\"))",
	    1, WANT_STR, "4.9406564584124654e-324", 23, 0 },
	{ "return D(cjson.decode(\"0x10\"))",
	    1, WANT_STR, "16", 2, 0 },
	{ "return D(cjson.decode(\"0X1f\"))",
	    1, WANT_STR, "31", 2, 0 },
	{ "return D(cjson.decode(\"-0x10\"))",
	    1, WANT_STR, "-16", 3, 0 },
	{ "return D(cjson.decode(\"0x1p4\"))",
	    1, WANT_STR, "16", 2, 0 },
	{ "return D(cjson.decode(\"+1\"))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(\"+0x10\"))",
	    1, WANT_STR, "16", 2, 0 },
	{ "return D(cjson.decode(\"01\"))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(\"-01\"))",
	    1, WANT_STR, "-1", 2, 0 },
	{ "return D(cjson.decode(\"00\"))",
	    1, WANT_STR, "0", 1, 0 },
	{ "return D(cjson.decode(\"1.\"))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(\".5\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"-.5\"))",
	    1, WANT_STR, "-0.5", 4, 0 },
	{ "return D(cjson.decode(\"-\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "return D(cjson.decode(\"+\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 1", 69, 0 },
	{ "return D(cjson.decode(\"1e\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 2", 70, 0 },
	{ "return D(cjson.decode(\"1e+\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 2", 70, 0 },
	{ "return D(cjson.decode(\"1x\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 2", 70, 0 },
	{ "return D(cjson.decode(\"0x\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 2", 70, 0 },
	{ "return D(cjson.decode(\"nan\"))",
	    1, WANT_STR, "nan", 3, 0 },
	{ "return D(cjson.decode(\"NaN\"))",
	    1, WANT_STR, "nan", 3, 0 },
	{ "return D(cjson.decode(\"-nan\"))",
	    1, WANT_STR, "-nan", 4, 0 },
	{ "return D(cjson.decode(\"+nan\"))",
	    1, WANT_STR, "nan", 3, 0 },
	{ "return D(cjson.decode(\"inf\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"Inf\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"INF\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"infinity\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"Infinity\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"-inf\"))",
	    1, WANT_STR, "-inf", 4, 0 },
	{ "return D(cjson.decode(\"-Infinity\"))",
	    1, WANT_STR, "-inf", 4, 0 },
	{ "return D(cjson.decode(\"+inf\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"+infinity\"))",
	    1, WANT_STR, "inf", 3, 0 },
	{ "return D(cjson.decode(\"nan(123)\"))",
	    1, WANT_STR, "nan", 3, 0 },
	{ "return D(cjson.decode(\"nul\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"tru\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"fals\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"truex\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 5", 70, 0 },
	{ "return D(cjson.decode(\"nullnull\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_NULL at character 5", 63, 0 },
	{ "return D(cjson.decode(\"n\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"t\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"f\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"i\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"N\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"I\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"x\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"#\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"'a'\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode(\"  1  \"))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(\"\\t\\n\\r 2 \\r\\n\"))",
	    1, WANT_STR, "2", 1, 0 },
	{ "return D(cjson.decode(\"1 2\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_NUMBER at character 3", 65, 0 },
	{ "return D(cjson.decode(\"[1]]\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_ARR_END at character 4", 66, 0 },
	{ "return D(cjson.decode(\"{}}\"))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_OBJ_END at character 3", 66, 0 },
	{ "return D(cjson.decode(\"\\f1\"))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid token at character 1", 68, 0 },
	{ "return D(cjson.decode([[\"\"]]))",
	    1, WANT_STR, "\"\"", 2, 0 },
	{ "return D(cjson.decode([[\"abc\"]]))",
	    1, WANT_STR, "\"abc\"", 5, 0 },
	{ "return D(cjson.decode([[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]]))",
	    1, WANT_STR, "\"\\\"\\\\/\010\014\\\n\\r\t\"", 14, 0 },
	{ "return D(cjson.decode([[\"\\u0000\"]]))",
	    1, WANT_STR, "\"\\000\"", 6, 0 },
	{ "return D(cjson.decode([[\"\\u0041\\u00e9\\u20ac\"]]))",
	    1, WANT_STR, "\"A\303\251\342\202\254\"", 8, 0 },
	{ "return D(cjson.decode([[\"\\u00E9\\u00c9\"]]))",
	    1, WANT_STR, "\"\303\251\303\211\"", 6, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\\ude00\"]]))",
	    1, WANT_STR, "\"\360\237\230\200\"", 6, 0 },
	{ "return D(cjson.decode([[\"\\uD834\\uDD1E\"]]))",
	    1, WANT_STR, "\"\360\235\204\236\"", 6, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ud83dx\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\\u0041\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ude00\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\\ud83d\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\\\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\ud83d\\u12\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\u12g4\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\u12\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\u\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"\\x\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid escape code at character 2", 74, 0 },
	{ "return D(cjson.decode([[\"\\a\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid escape code at character 2", 74, 0 },
	{ "return D(cjson.decode([[\"\\\\]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 4", 79, 0 },
	{ "return D(cjson.decode([[\"\\]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid escape code at character 2", 74, 0 },
	{ "return D(cjson.decode([[\"abc]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 5", 79, 0 },
	{ "return D(cjson.decode([[\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 2", 79, 0 },
	{ "return D(cjson.decode([[\"a\\u0062c\"]]))",
	    1, WANT_STR, "\"abc\"", 5, 0 },
	{ "return D(cjson.decode([[\"\\u007f\\u0080\\u07ff\\u0800\\uffff\"]]))",
	    1, WANT_STR, "\"\177\302\200\337\277\340\240\200\357\277\277\"", 13, 0 },
	{ "return D(cjson.decode([[\"\\udbff\\udfff\"]]))",
	    1, WANT_STR, "\"\364\217\277\277\"", 6, 0 },
	{ "return D(cjson.decode([[\"\\ud800\\udc00\"]]))",
	    1, WANT_STR, "\"\360\220\200\200\"", 6, 0 },
	{ "return D(cjson.decode([[\"tab\tin\"]]))",
	    1, WANT_STR, "\"tab\tin\"", 8, 0 },
	{ "return D(cjson.decode([[\"x\\/y\"]]))",
	    1, WANT_STR, "\"x/y\"", 5, 0 },
	{ "return D(cjson.decode([[\"\\U0041\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid escape code at character 2", 74, 0 },
	{ "return D(cjson.decode([[\"\\u004\"]]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid unicode escape code at character 2", 82, 0 },
	{ "return D(cjson.decode([[\"a\"b]]))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 4", 70, 0 },
	{ "return D(cjson.decode([[\"a\" \"b\"]]))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_STRING at character 5", 65, 0 },
	{ "return D(cjson.decode('\"\\1\\2\\31\\127\\128\\255\"'))",
	    1, WANT_STR, "\"\001\002\037\177\200\377\"", 8, 0 },
	{ "return D(cjson.decode('\"a\\0b\"'))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 3", 79, 0 },
	{ "return D(cjson.decode('\"' .. string.rep('\\\\u00e9', 1000) .. '\"'))",
	    1, WANT_HASH, NULL, 2002, UINT64_C(0xabb4ad50c4e30585) },
	{ "return D(cjson.decode('\"' .. string.rep('\\\\ud83d\\\\ude00x', 500) .. '\"'))",
	    1, WANT_HASH, NULL, 2502, UINT64_C(0xef2c81a0159abf01) },
	{ "return cjson.decode('\"'..string.rep('ab\\\\n', 3000)..'\"')",
	    0, WANT_HASH, NULL, 9000, UINT64_C(0x41854184f002208d) },
	{ "return D(cjson.decode([==[[]]==]))",
	    1, WANT_STR, "{}", 2, 0 },
	{ "return D(cjson.decode([==[{}]==]))",
	    1, WANT_STR, "{}", 2, 0 },
	{ "return D(cjson.decode([==[[1,2,3]]==]))",
	    1, WANT_STR, "{1=1,2=2,3=3}", 13, 0 },
	{ "return D(cjson.decode([==[[ 1 , 2 , 3 ]]==]))",
	    1, WANT_STR, "{1=1,2=2,3=3}", 13, 0 },
	{ "return D(cjson.decode([==[[[],[[]],{}]]==]))",
	    1, WANT_STR, "{1={},2={1={}},3={}}", 20, 0 },
	{ "return D(cjson.decode([==[{\"a\":1}]==]))",
	    1, WANT_STR, "{\"a\"=1}", 7, 0 },
	{ "return D(cjson.decode([==[{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}]==]))",
	    1, WANT_STR, "{\"a\"=1,\"b\"={1=true,2=false,3=null},\"c\"={\"d\"=\"e\"}}", 49, 0 },
	{ "return D(cjson.decode([==[{\"a\":1,\"a\":2}]==]))",
	    1, WANT_STR, "{\"a\"=2}", 7, 0 },
	{ "return D(cjson.decode([==[{\"\":0}]==]))",
	    1, WANT_STR, "{\"\"=0}", 6, 0 },
	{ "return D(cjson.decode([==[[null,null]]==]))",
	    1, WANT_STR, "{1=null,2=null}", 15, 0 },
	{ "return D(cjson.decode([==[[1,null]]==]))",
	    1, WANT_STR, "{1=1,2=null}", 12, 0 },
	{ "return D(cjson.decode([==[{\"a\":null}]==]))",
	    1, WANT_STR, "{\"a\"=null}", 10, 0 },
	{ "return D(cjson.decode([==[{\"1\":1,\"2\":2}]==]))",
	    1, WANT_STR, "{\"1\"=1,\"2\"=2}", 13, 0 },
	{ "return D(cjson.decode([==[[1,]]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_ARR_END at character 4", 64, 0 },
	{ "return D(cjson.decode([==[[,1]]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_COMMA at character 2", 62, 0 },
	{ "return D(cjson.decode([==[[1 2]]==]))",
	    1, WANT_ERR, "user_script:1: Expected comma or array end but found T_NUMBER at character 4", 76, 0 },
	{ "return D(cjson.decode([==[[1]==]))",
	    1, WANT_ERR, "user_script:1: Expected comma or array end but found T_END at character 3", 73, 0 },
	{ "return D(cjson.decode([==[[]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_END at character 2", 60, 0 },
	{ "return D(cjson.decode([==[]]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_ARR_END at character 1", 64, 0 },
	{ "return D(cjson.decode([==[{]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_END at character 2", 72, 0 },
	{ "return D(cjson.decode([==[}]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_OBJ_END at character 1", 64, 0 },
	{ "return D(cjson.decode([==[{\"a\"}]==]))",
	    1, WANT_ERR, "user_script:1: Expected colon but found T_OBJ_END at character 5", 64, 0 },
	{ "return D(cjson.decode([==[{\"a\":}]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_OBJ_END at character 6", 64, 0 },
	{ "return D(cjson.decode([==[{\"a\" 1}]==]))",
	    1, WANT_ERR, "user_script:1: Expected colon but found T_NUMBER at character 6", 63, 0 },
	{ "return D(cjson.decode([==[{\"a\":1,}]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_OBJ_END at character 8", 76, 0 },
	{ "return D(cjson.decode([==[{,}]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_COMMA at character 2", 74, 0 },
	{ "return D(cjson.decode([==[{1:2}]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_NUMBER at character 2", 75, 0 },
	{ "return D(cjson.decode([==[{\"a\":1 \"b\":2}]==]))",
	    1, WANT_ERR, "user_script:1: Expected comma or object end but found T_STRING at character 8", 77, 0 },
	{ "return D(cjson.decode([==[{\"a\":1,\"b\"]==]))",
	    1, WANT_ERR, "user_script:1: Expected colon but found T_END at character 11", 61, 0 },
	{ "return D(cjson.decode([==[{null:1}]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_NULL at character 2", 73, 0 },
	{ "return D(cjson.decode([==[[1]x]==]))",
	    1, WANT_ERR, "user_script:1: Expected the end but found invalid token at character 4", 70, 0 },
	{ "return D(cjson.decode([==[[1],]==]))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_COMMA at character 4", 64, 0 },
	{ "return D(cjson.decode([==[{}[]]==]))",
	    1, WANT_ERR, "user_script:1: Expected the end but found T_ARR_BEGIN at character 3", 68, 0 },
	{ "return D(cjson.decode([==[[1:2]]==]))",
	    1, WANT_ERR, "user_script:1: Expected comma or array end but found T_COLON at character 3", 75, 0 },
	{ "return D(cjson.decode([==[{\"a\"::1}]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_COLON at character 6", 62, 0 },
	{ "return D(cjson.decode([==[[-]]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found invalid number at character 2", 69, 0 },
	{ "return D(cjson.decode([==[[1,,2]]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_COMMA at character 4", 62, 0 },
	{ "return D(cjson.decode([==[[true false]]==]))",
	    1, WANT_ERR, "user_script:1: Expected comma or array end but found T_BOOLEAN at character 7", 77, 0 },
	{ "return D(cjson.decode([==[{\"a\":[}]==]))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_OBJ_END at character 7", 64, 0 },
	{ "return D(cjson.decode([==[[{]]==]))",
	    1, WANT_ERR, "user_script:1: Expected object key string but found T_ARR_END at character 3", 76, 0 },
	{ "return D(cjson.decode([==[[nan,inf,-inf]]==]))",
	    1, WANT_STR, "{1=nan,2=inf,3=-inf}", 20, 0 },
	{ "return D(cjson.decode([==[[0x10,+5,007]]==]))",
	    1, WANT_STR, "{1=16,2=5,3=7}", 14, 0 },
	{ "return D(cjson.decode([==[{\"k\":\"\\u00e9\"}]==]))",
	    1, WANT_STR, "{\"k\"=\"\303\251\"}", 10, 0 },
	{ "return D(cjson.decode([==[[1e5,-0,0.5]]==]))",
	    1, WANT_STR, "{1=100000,2=-0,3=0.5}", 21, 0 },
	{ "return D(cjson.decode([==[[[[[[[[[[[1]]]]]]]]]]]==]))",
	    1, WANT_STR, "{1={1={1={1={1={1={1={1={1={1=1}}}}}}}}}}", 41, 0 },
	{ "return D(cjson.decode([==[{\"a\":{\"b\":{\"c\":{\"d\":{}}}}}]==]))",
	    1, WANT_STR, "{\"a\"={\"b\"={\"c\"={\"d\"={}}}}}", 26, 0 },
	{ "return D(cjson.decode([==[[\"a\",{\"b\":[\"c\",{\"d\":null}]}]]==]))",
	    1, WANT_STR, "{1=\"a\",2={\"b\"={1=\"c\",2={\"d\"=null}}}}", 36, 0 },
	{ "return D(cjson.decode(' \\t\\n\\r[1]\\r\\n\\t '))",
	    1, WANT_STR, "{1=1}", 5, 0 },
	{ "return D(cjson.decode())",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (expected 1 argument)", 64, 0 },
	{ "return D(cjson.decode(1,2))",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (expected 1 argument)", 64, 0 },
	{ "return D(cjson.decode(nil))",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (string expected, got nil)", 69, 0 },
	{ "return D(cjson.decode({}))",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (string expected, got table)", 71, 0 },
	{ "return D(cjson.decode(true))",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (string expected, got boolean)", 73, 0 },
	{ "return D(cjson.decode(function() end))",
	    1, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (string expected, got function)", 74, 0 },
	{ "return D(cjson.decode(123))",
	    1, WANT_STR, "123", 3, 0 },
	{ "return D(cjson.decode(-1.5))",
	    1, WANT_STR, "-1.5", 4, 0 },
	{ "return D(cjson.decode(''))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_END at character 1", 60, 0 },
	{ "return D(cjson.decode(' '))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_END at character 2", 60, 0 },
	{ "return D(cjson.decode('\\0'))",
	    1, WANT_ERR, "user_script:1: Expected value but found T_END at character 1", 60, 0 },
	{ "return D(cjson.decode('\\0\\0'))",
	    1, WANT_ERR, "user_script:1: JSON parser does not support UTF-16 or UTF-32", 60, 0 },
	{ "return D(cjson.decode('1\\0'))",
	    1, WANT_ERR, "user_script:1: JSON parser does not support UTF-16 or UTF-32", 60, 0 },
	{ "return D(cjson.decode('\\0001'))",
	    1, WANT_ERR, "user_script:1: JSON parser does not support UTF-16 or UTF-32", 60, 0 },
	{ "return D(cjson.decode('[1]\\0garbage'))",
	    1, WANT_STR, "{1=1}", 5, 0 },
	{ "return D(cjson.decode('1 \\0 x'))",
	    1, WANT_STR, "1", 1, 0 },
	{ "return D(cjson.decode(' \\0'))",
	    1, WANT_ERR, "user_script:1: JSON parser does not support UTF-16 or UTF-32", 60, 0 },
	{ "return D(cjson.decode('\"a\\0b\"'))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 3", 79, 0 },
	{ "return D(cjson.decode('[\"a\\0\"]'))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 4", 79, 0 },
	{ "return D(cjson.decode('\"ab\\0'))",
	    1, WANT_ERR, "user_script:1: Expected value but found unexpected end of string at character 4", 79, 0 },
};

static const struct lua_case depth_cases[] = {
	{ "local t={} for i=1,999 do t={t} end return cjson.encode(t)",
	    0, WANT_HASH, NULL, 2000, UINT64_C(0x60b9e0d7cc2ede55) },
	{ "local t={} for i=1,1000 do t={t} end return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "local t=1 for i=1,1000 do t={t} end return cjson.encode(t)",
	    0, WANT_HASH, NULL, 2001, UINT64_C(0xf114105f9a8ecc5c) },
	{ "local t=1 for i=1,1001 do t={t} end return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "local t=1 for i=1,1000 do t={a=t} end return 'len '..string.len(cjson.encode(t))",
	    0, WANT_STR, "len 6001", 8, 0 },
	{ "local t=1 for i=1,1001 do t={a=t} end return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "cjson.encode_max_depth(3) local r={pcall(cjson.encode,{{{1}}})} local s={pcall(cjson.encode,"
	    "{{{{1}}}})} return tostring(r[2])..' '..tostring(s[2])",
	    0, WANT_STR, "[[[1]]] Cannot serialise, excessive nesting (4)", 47, 0 },
	{ "cjson.encode_max_depth(1) return cjson.encode({1,{}})",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (2)", 54, 0 },
	{ "cjson.encode_max_depth(1) return cjson.encode({1,2,'x'})",
	    0, WANT_STR, "[1,2,\"x\"]", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x[1]=n x=n en"
	    "d return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (7998)", 57, 0 },
	{ "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x.a=n x=n end"
	    " return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (4000)", 57, 0 },
	{ "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x[1]=n x[2]=1"
	    ".5 x=n end return cjson.encode(t)",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (7998)", 57, 0 },
	{ "cjson.encode_max_depth(7997) local t=1 for i=1,7997 do t={t} end return 'len '..string.len(c"
	    "json.encode(t))",
	    0, WANT_STR, "len 15995", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t=1 for i=1,7997 do t={t} end return 'len '..string.len"
	    "(cjson.encode(t))",
	    0, WANT_STR, "len 15995", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t=1 for i=1,7998 do t={t} end return 'len '..string.len"
	    "(cjson.encode(t))",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (7998)", 57, 0 },
	{ "cjson.encode_max_depth(100000) local t=1 for i=1,3999 do t={a=t} end return 'len '..string.l"
	    "en(cjson.encode(t))",
	    0, WANT_STR, "len 23995", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t=1 for i=1,4000 do t={a=t} end return 'len '..string.l"
	    "en(cjson.encode(t))",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (4000)", 57, 0 },
	{ "cjson.encode_max_depth(100000) local t='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' for i=1,7997 do t={t} end return 'l"
	    "en '..string.len(cjson.encode(t))",
	    0, WANT_STR, "len 16103", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t=string.rep('y',5000) for i=1,3999 do t={a=t} end retu"
	    "rn 'len '..string.len(cjson.encode(t))",
	    0, WANT_STR, "len 28996", 9, 0 },
	{ "cjson.encode_max_depth(100000) local t=1 for i=1,3998 do t={a=t} end return 'len '..string.l"
	    "en(cjson.encode({t}))",
	    0, WANT_STR, "len 23991", 9, 0 },
	{ "return cjson.encode(cjson.decode(string.rep('[',1000)..string.rep(']',1000)))",
	    0, WANT_HASH, NULL, 2000, UINT64_C(0x60b9e0d7cc2ede55) },
	{ "return cjson.decode(string.rep('[',1001)..string.rep(']',1001))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (1001) at character 1001", 77, 0 },
	{ "return cjson.decode(string.rep('[',2000))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (1001) at character 1001", 77, 0 },
	{ "return cjson.decode(string.rep('{\"a\":',1001))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (1001) at character 5001", 77, 0 },
	{ "return 'len '..string.len(cjson.encode(cjson.decode(string.rep('{\"a\":',1000)..'1'..string."
	    "rep('}',1000))))",
	    0, WANT_STR, "len 6001", 8, 0 },
	{ "cjson.decode_max_depth(2) return cjson.encode(cjson.decode('[[1]]'))",
	    0, WANT_STR, "[[1]]", 5, 0 },
	{ "cjson.decode_max_depth(2) return cjson.encode(cjson.decode('[[[1]]]'))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (3) at character 3", 71, 0 },
	{ "cjson.decode_max_depth(1) return cjson.encode(cjson.decode('{\"a\":{}}'))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (2) at character 6", 71, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[',9000))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (7999) at character 7999", 77, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":',9000))",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (4000) at character 19996", 78, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[',7998))",
	    0, WANT_ERR, "user_script:1: Expected value but found T_END at character 7999", 63, 0 },
	{ "cjson.decode_max_depth(100000) return 'len '..string.len(cjson.encode(cjson.decode(string.re"
	    "p('[',7998)..string.rep(']',7998))))",
	    0, WANT_ERR, "user_script:1: Cannot serialise, excessive nesting (1001)", 57, 0 },
	{ "cjson.decode_max_depth(100000) cjson.encode_max_depth(100000) return 'len '..string.len(cjso"
	    "n.encode(cjson.decode(string.rep('[',7997)..'\"\\\\u00e9\"'..string.rep(']',7997))))",
	    0, WANT_STR, "len 15998", 9, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":',3999)..'1'..string.r"
	    "ep('}',3999)) and 'ok'",
	    0, WANT_STR, "ok", 2, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":[',2000)..'1'..string."
	    "rep(']}',2000)) and 'ok'",
	    0, WANT_STR, "ok", 2, 0 },
	{ "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[{\"a\":',2700)..'1'..string."
	    "rep('}]',2700)) and 'ok'",
	    0, WANT_ERR, "user_script:1: Found too many nested data structures (5333) at character 15997", 78, 0 },
};

static const struct lua_case misc_cases[] = {
	{ "local s='{\"a\":[1,2,3,{\"b\":null}],\"c\":\"\\\\u00e9\"}' return cjson.encode(cjson.decode("
	    "s))",
	    0, WANT_STR, "{\"a\":[1,2,3,{\"b\":null}],\"c\":\"\303\251\"}", 33, 0 },
	{ "return cjson.encode(cjson.decode('[1e300,-1e-300,0.1,123456789012345678]'))",
	    0, WANT_STR, "[1e+300,-1e-300,0.1,1.2345678901235e+17]", 40, 0 },
	{ "local c=cjson.new() c.encode_number_precision(3) return c.encode(1/3)..' '..cjson.encode(1/3"
	    ")",
	    0, WANT_STR, "0.333 0.33333333333333", 22, 0 },
	{ "local c=cjson.new() c.decode_invalid_numbers(false) return tostring(pcall(c.decode,'nan')).."
	    "' '..tostring(cjson.decode('nan'))",
	    0, WANT_STR, "false nan", 9, 0 },
	{ "local c=cjson.new() local d=c.new() c.encode_max_depth(1) return tostring(pcall(c.encode,{{}"
	    "}))..' '..d.encode({{}})",
	    0, WANT_STR, "false [{}]", 10, 0 },
	{ "local e=cjson.encode return e({1})",
	    0, WANT_STR, "[1]", 3, 0 },
	{ "local d=cjson.decode return d()",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'd' (expected 1 argument)", 59, 0 },
	{ "local c=cjson.new() return c.decode()",
	    0, WANT_ERR, "user_script:1: bad argument #1 to 'decode' (expected 1 argument)", 64, 0 },
	{ "return cjson.encode({cjson.decode('[1,2]'), cjson.decode('{\"x\":[]}')})",
	    0, WANT_STR, "[[1,2],{\"x\":{}}]", 16, 0 },
	{ "local t={} for i=1,1000 do t[i]={i, tostring(i), {k=i}} end local s=cjson.encode(t) return '"
	    "len '..string.len(s)..' '..cjson.encode(cjson.decode(s)[1000])",
	    0, WANT_STR, "len 21680 [1000,\"1000\",{\"k\":1000}]", 34, 0 },
	{ "local ok,e=pcall(cjson.encode) return e",
	    0, WANT_STR, "bad argument #1 to '\?' (expected 1 argument)", 44, 0 },
	{ "local ok,e=pcall(cjson.decode,'[1,2') return e",
	    0, WANT_STR, "Expected comma or array end but found T_END at character 5", 58, 0 },
};
#define N_CASES(t)	((int)(sizeof t / sizeof t[0]))

START_TEST(fields_case) { check_case(&fields_cases[_i]); } END_TEST
START_TEST(encode_case) { check_case(&encode_cases[_i]); } END_TEST
START_TEST(encode_error_case) { check_case(&encode_errors_cases[_i]); } END_TEST
START_TEST(config_case) { check_case(&config_cases[_i]); } END_TEST
START_TEST(decode_case) { check_case(&decode_cases[_i]); } END_TEST
START_TEST(depth_case) { check_case(&depth_cases[_i]); } END_TEST
START_TEST(misc_case) { check_case(&misc_cases[_i]); } END_TEST

/* ---------------------------------------------------------------------------------------- */
/* The opening contract and settings' lifetime. */

START_TEST(open_contract)
{
	lua_State *L = luaL_newstate();

	open_lib(L, luaopen_base, "");
	lua_pushinteger(L, 7);
	ck_assert_int_eq(script_open_cjson(L), 1);
	ck_assert_int_eq(lua_gettop(L), 2);
	ck_assert_int_eq(lua_type(L, -1), LUA_TTABLE);
	lua_getglobal(L, "cjson");
	ck_assert(lua_rawequal(L, -1, -2));
	ck_assert_int_eq(lua_tointeger(L, 1), 7);
	lua_getfield(L, -1, "null");
	ck_assert_int_eq(lua_type(L, -1), LUA_TLIGHTUSERDATA);
	ck_assert_ptr_null(lua_touserdata(L, -1));
	lua_close(L);
}
END_TEST

/* Chunks run one after another in one state; the replies were observed on redis-server. */
static const struct {
	const char *src;
	const char *want;
} persist_steps[] = {
	{ "cjson.encode_number_precision(3) return 'set'", "set" },
	{ "return cjson.encode(1/3)", "0.333" },
	{ "local c=cjson.new() c.encode_number_precision(5) return c.encode(1/3)..' '.."
	  "cjson.encode(1/3)..' '..tostring(cjson.encode_number_precision())", "0.33333 0.333 3" },
	{ "cjson.encode_number_precision(14) return cjson.encode(1/3)", "0.33333333333333" },
	{ "cjson.encode_sparse_array(true) cjson.encode_invalid_numbers('null') "
	  "cjson.decode_invalid_numbers(false) cjson.decode_max_depth(2) cjson.encode_max_depth(2) "
	  "return 'x'", "x" },
	{ "local a,b,c = cjson.encode_sparse_array() return table.concat({tostring(a),b,c,"
	  "tostring(cjson.encode_invalid_numbers()),tostring(cjson.decode_invalid_numbers()),"
	  "cjson.decode_max_depth(),cjson.encode_max_depth(),tostring(pcall(cjson.decode,"
	  "'[[[1]]]'))},' ')", "true 2 10 null false 2 2 false" },
};

START_TEST(settings_persist)
{
	lua_State *L = new_state();
	size_t i;

	for (i = 0; i < sizeof persist_steps / sizeof persist_steps[0]; i++) {
		ck_assert_msg(run_chunk(L, persist_steps[i].src, strlen(persist_steps[i].src)) == 0,
		    "%s: %s", persist_steps[i].src, lua_tostring(L, -1));
		ck_assert_str_eq(lua_tostring(L, -1), persist_steps[i].want);
		lua_pop(L, 1);
	}
	lua_close(L);
}
END_TEST

/* Encoding reuses a kept buffer, and one lost to an error, without mixing their contents. */
START_TEST(buffer_reuse)
{
	static const char *const src =
	    "local big = string.rep('\\1', 20000) "
	    "for i = 1, 50 do "
	    "  local ok = pcall(cjson.encode, {big, i, function() end}) "
	    "  if ok then return 'encoded a function' end "
	    "  local s = cjson.encode({i}) "
	    "  if s ~= '[' .. i .. ']' then return s end "
	    "  cjson.encode_keep_buffer(i % 3 ~= 0) "
	    "  if #cjson.encode(big) ~= 120002 then return 'bad length' end "
	    "end "
	    "return 'ok'";
	lua_State *L = new_state();

	ck_assert_int_eq(run_chunk(L, src, strlen(src)), 0);
	ck_assert_str_eq(lua_tostring(L, -1), "ok");
	lua_close(L);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Fuzzing. */

/*
 * Called with one string: decodes it; a failure must carry one of the decoder's messages. A
 * success must encode (NaN and infinities allowed), decode again and encode once more to a
 * value equal to the first round trip's. Returns "err", "ok" or what went wrong.
 */
static const char fuzz_src[] =
    "local s = ... "
    "cjson.encode_invalid_numbers(true) "
    "local function D(v) local t=type(v) if t=='table' then local ks={} for k in pairs(v) "
    "do ks[#ks+1]=k end table.sort(ks) local o={} for _,k in ipairs(ks) do "
    "o[#o+1]=string.format('%q',k)..'='..D(v[k]) end return '{'..table.concat(o,',')..'}' "
    "elseif t=='number' then return string.format('%.17g',v) elseif t=='string' then "
    "return string.format('%q',v) else return tostring(v) end end "
    "local ok, v = pcall(cjson.decode, s) "
    "if not ok then "
    "  if v:find('^Expected .* but found .* at character %d+$') or "
    "     v:find('^Found too many nested data structures') or "
    "     v == 'JSON parser does not support UTF-16 or UTF-32' then return 'err' end "
    "  return 'bad error: ' .. v "
    "end "
    "local ok1, e1 = pcall(cjson.encode, v) "
    "if not ok1 then return 'encode failed: ' .. e1 end "
    "local ok2, v2 = pcall(cjson.decode, e1) "
    "if not ok2 then return 'decode of ' .. e1 .. ' failed: ' .. v2 end "
    "local e2 = cjson.encode(v2) "
    "local v3 = cjson.decode(e2) "
    "if D(v2) ~= D(v3) then return 'round trip changed ' .. e1 end "
    "return 'ok'";

struct fuzz {
	lua_State	*L;
	uint64_t	 rng;
	unsigned	 ok, err;
};

static uint64_t
fuzz_next(struct fuzz *f)
{
	f->rng ^= f->rng << 13;
	f->rng ^= f->rng >> 7;
	f->rng ^= f->rng << 17;
	return f->rng;
}

static void
fuzz_init(struct fuzz *f, uint64_t seed)
{
	f->L = new_state();
	f->rng = seed;
	f->ok = f->err = 0;
	ck_assert_int_eq(luaL_loadbuffer(f->L, fuzz_src, sizeof fuzz_src - 1, "=fuzz"), 0);
}

/* Feeds n bytes to the fuzz function and checks its verdict. */
static void
fuzz_feed(struct fuzz *f, const char *s, size_t n)
{
	const char *verdict;

	lua_pushvalue(f->L, 1);
	lua_pushlstring(f->L, s, n);
	ck_assert_msg(lua_pcall(f->L, 1, 1, 0) == 0, "fuzz chunk raised %s", lua_tostring(f->L, -1));
	verdict = lua_tostring(f->L, -1);
	if (strcmp(verdict, "ok") == 0)
		f->ok++;
	else if (strcmp(verdict, "err") == 0)
		f->err++;
	else
		ck_abort_msg("input \"%.*s\": %s", (int)n, s, verdict);
	lua_pop(f->L, 1);
	ck_assert_int_eq(lua_gettop(f->L), 1);
}

static const char *const fuzz_docs[] = {
	"{\"a\":[1,2.5,-3e2,true,false,null],\"b\":{\"c\":\"d\\u00e9\\n\"},\"e\":[]}",
	"[\"\\ud83d\\ude00\",\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",{\"\":{}},[[[]]],0x1F,nan,-inf]",
	"{\"k\":[{\"x\":1e308},{\"y\":-0},{\"z\":\"\\u0000\"}],\"s\":\"plain text\"}",
	"[1, 2 ,3\t,\n4\r]",
};

START_TEST(fuzz_random)
{
	static const char alphabet[] = "{}[]\",:0123456789-+.eExXtrueflsnaiINu\\/ \t\n\r";
	struct fuzz f;
	char buf[96];
	size_t n, i;
	int round;

	fuzz_init(&f, UINT64_C(0x9e3779b97f4a7c15));
	for (round = 0; round < 20000; round++) {
		/* Mostly short inputs, which decode often enough to exercise encode. */
		n = fuzz_next(&f) % (1 + fuzz_next(&f) % sizeof buf);
		for (i = 0; i < n; i++) {
			uint64_t r = fuzz_next(&f);

			buf[i] = (r & 7) == 0 ? (char)(r >> 8) :
			    alphabet[(r >> 8) % (sizeof alphabet - 1)];
		}
		fuzz_feed(&f, buf, n);
	}
	/* The generator must reach both outcomes, or the test proves little. */
	ck_assert_uint_gt(f.ok, 100);
	ck_assert_uint_gt(f.err, 1000);
	lua_close(f.L);
}
END_TEST

/* Every strict prefix of a document that opens an object or array fails; the whole passes. */
START_TEST(fuzz_truncated)
{
	struct fuzz f;
	size_t d, n, len;

	fuzz_init(&f, 1);
	for (d = 0; d < sizeof fuzz_docs / sizeof fuzz_docs[0]; d++) {
		len = strlen(fuzz_docs[d]);
		for (n = 0; n < len; n++) {
			unsigned before = f.err;

			fuzz_feed(&f, fuzz_docs[d], n);
			ck_assert_msg(f.err == before + 1, "prefix %zu of %s decoded", n, fuzz_docs[d]);
		}
		fuzz_feed(&f, fuzz_docs[d], len);
		ck_assert_uint_eq(f.ok, d + 1);
	}
	lua_close(f.L);
}
END_TEST

/* Documents with one byte replaced, inserted or removed, many times over. */
START_TEST(fuzz_mutated)
{
	struct fuzz f;
	char buf[256];
	size_t d, len, at;
	int round, k;

	fuzz_init(&f, UINT64_C(0x1234567887654321));
	for (round = 0; round < 4000; round++) {
		d = fuzz_next(&f) % (sizeof fuzz_docs / sizeof fuzz_docs[0]);
		len = strlen(fuzz_docs[d]);
		memcpy(buf, fuzz_docs[d], len);
		for (k = 0; k < 1 + (int)(fuzz_next(&f) % 3); k++) {
			uint64_t r = fuzz_next(&f);

			at = (size_t)(r % (len + 1));
			switch ((r >> 32) % 3) {
			case 0:
				if (at < len)
					buf[at] = (char)(r >> 40);
				break;
			case 1:
				if (len < sizeof buf - 1) {
					memmove(buf + at + 1, buf + at, len - at);
					buf[at] = (char)(r >> 40);
					len++;
				}
				break;
			default:
				if (at < len) {
					memmove(buf + at, buf + at + 1, len - at - 1);
					len--;
				}
				break;
			}
		}
		fuzz_feed(&f, buf, len);
	}
	ck_assert_uint_gt(f.ok, 100);
	ck_assert_uint_gt(f.err, 1000);
	lua_close(f.L);
}
END_TEST

/*
 * Random Lua values, nested tables with keys of every type included, go through encode; what
 * encodes must decode again, and what does not must fail with one of the encoder's messages.
 */
START_TEST(fuzz_encode)
{
	static const char src[] =
	    "math.randomseed(12345) "
	    "cjson.encode_invalid_numbers(true) cjson.encode_sparse_array(true) "
	    "local leaves = { function() return math.random() * 10 ^ math.random(-320, 320) end, "
	    "  function() return math.random(-5, 30) end, "
	    "  function() local t = {} for i = 1, math.random(0, 12) do "
	    "    t[i] = string.char(math.random(0, 255)) end return table.concat(t) end, "
	    "  function() return math.random(2) == 1 end, "
	    "  function() return cjson.null end, "
	    "  function() return ({1/0, -1/0, 0/0, 2^31, 2^53, -0})[math.random(6)] end, "
	    "  function() return print end } "
	    "local keys = { function() return math.random(1, 40) end, "
	    "  function() return 'k' .. math.random(9) end, "
	    "  function() return math.random() end, function() return true end, "
	    "  function() return 2^31 end, function() return 1/0 end } "
	    "local function gen(depth) "
	    "  if depth > 6 or math.random(3) == 1 then "
	    "    return leaves[math.random(#leaves)]() end "
	    "  local t = {} "
	    "  for i = 1, math.random(0, 6) do "
	    "    local k = keys[math.random(#keys)]() t[k] = gen(depth + 1) end "
	    "  return t "
	    "end "
	    "local ok_n, err_n = 0, 0 "
	    "for round = 1, 3000 do "
	    "  local v = gen(1) "
	    "  local ok, e = pcall(cjson.encode, v) "
	    "  if ok then "
	    "    local ok2, w = pcall(cjson.decode, e) "
	    "    if not ok2 then return 'cannot decode ' .. e .. ': ' .. w end "
	    "    ok_n = ok_n + 1 "
	    "  else "
	    "    if not (e:find('^Cannot serialise %a+: ') or e:find('^Cannot serialise, excessive')) "
	    "    then return 'bad error: ' .. e end "
	    "    err_n = err_n + 1 "
	    "  end "
	    "end "
	    "if ok_n < 500 or err_n < 100 then return ok_n .. ' ' .. err_n end "
	    "return 'ok'";
	lua_State *L = new_state();

	ck_assert_int_eq(run_chunk(L, src, sizeof src - 1), 0);
	ck_assert_str_eq(lua_tostring(L, -1), "ok");
	lua_close(L);
}
END_TEST

static Suite *
cjson_suite(void)
{
	Suite *s = suite_create("lua_cjson");
	TCase *tc;

	tc = tcase_create("fields");
	tcase_add_test(tc, open_contract);
	tcase_add_loop_test(tc, fields_case, 0, N_CASES(fields_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_loop_test(tc, encode_case, 0, N_CASES(encode_cases));
	tcase_add_loop_test(tc, encode_error_case, 0, N_CASES(encode_errors_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, decode_case, 0, N_CASES(decode_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("config");
	tcase_add_loop_test(tc, config_case, 0, N_CASES(config_cases));
	tcase_add_test(tc, settings_persist);
	tcase_add_test(tc, buffer_reuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("depth");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, depth_case, 0, N_CASES(depth_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_loop_test(tc, misc_case, 0, N_CASES(misc_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("fuzz");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, fuzz_random);
	tcase_add_test(tc, fuzz_truncated);
	tcase_add_test(tc, fuzz_mutated);
	tcase_add_test(tc, fuzz_encode);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cjson_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
