/*
 * check_lua_cmsgpack: unit tests of the Lua "cmsgpack" library (lua/lib_cmsgpack.c).
 *
 * The yardstick is redis-server 7.0.15 (Debian's 7.0.15-1~deb12u10). Each table row is the
 * body of a Lua function; run_case() (test/unit/lua_case.c) wraps it in a one-line chunk named "@user_script" that
 * pcalls it and serialises what comes back: the pcall status, then each value (numbers with
 * %.17g, printable strings quoted, other strings in hex, tables as their sorted key=value
 * pairs), so encodings, decoded values and error texts are compared whole. Every expected
 * string in the tables was observed on redis-server 7.0.15 by sending the same chunk with
 * EVAL; none was written by hand.
 *
 * The stack_limits and pack_args rows pin where deep input and many arguments overflow the
 * 8000 stack slots a C function may use: lib_cmsgpack.c uses the stack slot for slot as Redis'
 * copy does, and these rows fail if it uses one more or one less.
 *
 * Beyond the tables: "open" pins what script_open_cmsgpack() leaves on the stack and in the
 * globals; "numbers" checks pack against a model of the MessagePack number forms written here
 * from the specification and the copy's rules, and unpack(pack(x)) == x, for random numbers;
 * "fuzz" feeds random bytes and every prefix of random encodings to the three decoders, which
 * must either succeed or raise one of the library's errors, and must agree with one another.
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
	return lua_case_state(script_open_cmsgpack, "cmsgpack");
}

static void
run_case(const struct lua_case *c, int idx)
{
	lua_case_run(c, idx, script_open_cmsgpack, "cmsgpack");
}

static const struct lua_case pack_scalars_cases[] = {
	{ "return cmsgpack.pack(0), cmsgpack.pack(1), cmsgpack.pack(127), cmsgpack.pack(128), "
	    "cmsgpack.pack(255)",
	    "true x00 x01 x7f xcc80 xccff" },
	{ "return cmsgpack.pack(256), cmsgpack.pack(65535), cmsgpack.pack(65536), "
	    "cmsgpack.pack(4294967295)",
	    "true xcd0100 xcdffff xce00010000 xceffffffff" },
	{ "return cmsgpack.pack(4294967296), cmsgpack.pack(2^53), cmsgpack.pack(2^63-1024), "
	    "cmsgpack.pack(2^63), cmsgpack.pack(2^64)",
	    "true xcf0000000100000000 xcf0020000000000000 xcf7ffffffffffffc00 xca5f000000 xca5f800000" },
	{ "return cmsgpack.pack(-1), cmsgpack.pack(-32), cmsgpack.pack(-33), cmsgpack.pack(-128), "
	    "cmsgpack.pack(-129)",
	    "true xff xe0 xd0df xd080 xd1ff7f" },
	{ "return cmsgpack.pack(-32768), cmsgpack.pack(-32769), cmsgpack.pack(-2147483648), "
	    "cmsgpack.pack(-2147483649)",
	    "true xd18000 xd2ffff7fff xd280000000 xd3ffffffff7fffffff" },
	{ "return cmsgpack.pack(-2^53), cmsgpack.pack(-2^63), cmsgpack.pack(-2^63-4096), "
	    "cmsgpack.pack(-2^64)",
	    "true xd3ffe0000000000000 xd38000000000000000 xcbc3e0000000000002 xcadf800000" },
	{ "return cmsgpack.pack(0.5), cmsgpack.pack(-2.25), cmsgpack.pack(0.1), cmsgpack.pack(1/3), "
	    "cmsgpack.pack(1e300)",
	    "true xca3f000000 xcac0100000 xcb3fb999999999999a xcb3fd5555555555555 xcb7e37e43c8800759c" },
	{ "return cmsgpack.pack(3.4028234663852886e38), cmsgpack.pack(3.4028235677973366e38), "
	    "cmsgpack.pack(1e38), cmsgpack.pack(1.401298464324817e-45), cmsgpack.pack(1e-46)",
	    "true xca7f7fffff xcb47effffff0000000 xcb47d2ced32a16a1b1 xca00000001 xcb366244ce242c5561" },
	{ "return cmsgpack.pack(1/0), cmsgpack.pack(-1/0), cmsgpack.pack(0/0), "
	    "cmsgpack.pack(-(0/0)), cmsgpack.pack(-0.0)",
	    "true xca7f800000 xcaff800000 xcbfff8000000000000 xcb7ff8000000000000 x00" },
	{ "return cmsgpack.pack(true), cmsgpack.pack(false), cmsgpack.pack(nil), "
	    "cmsgpack.pack(tostring), cmsgpack.pack(coroutine.create(function() end))",
	    "true xc3 xc2 xc0 xc0 xc0" },
	{ "return cmsgpack.pack('123'), cmsgpack.pack(''), cmsgpack.pack('a\\0b')",
	    "true xa3313233 xa0 xa3610062" },
	{ "local o = {} for _, n in ipairs({31, 32, 255, 256, 65535, 65536}) do local p = "
	    "cmsgpack.pack(string.rep('x', n)) o[#o+1] = string.sub(p, 1, 6) o[#o+1] = #p end return "
	    "unpack(o)",
	    "true xbf7878787878 32 xd92078787878 34 xd9ff78787878 257 xda0100787878 259 xdaffff787878 "
	    "65538 xdb0001000078 65541" },
};

static const struct lua_case pack_tables_cases[] = {
	{ "return cmsgpack.pack({}), cmsgpack.pack({1, 2, 3}), cmsgpack.pack({'a', {true}, {}})",
	    "true x90 x93010203 x93a16191c390" },
	{ "return cmsgpack.pack({[1]=1, [3]=3}), cmsgpack.pack({[0]=1}), cmsgpack.pack({[-1]=2}), "
	    "cmsgpack.pack({[1.5]=1})",
	    "true x8201010303 x810001 x81ff02 x81ca3fc0000001" },
	{ "return cmsgpack.pack({[2^31-1]=1}), cmsgpack.pack({[2^31]=1}), cmsgpack.pack({1, nil, "
	    "3}), cmsgpack.pack({n=1, 2})",
	    "true x81ce7fffffff01 x81ce8000000001 x8201010303 x820102a16e01" },
	{ "return cmsgpack.pack({a=1}), cmsgpack.pack({[true]=false}), cmsgpack.pack({[{}]=1}), "
	    "cmsgpack.pack({x=tostring})",
	    "true x81a16101 x81c3c2 x819001 x81a178c0" },
	{ "return cmsgpack.pack({a=1, b=2, c=3, d={1, 2}, e='x', f=true, [10]=1, [1.5]=2})",
	    "true x88a161010a01a16303a16202a165a178a164920102ca3fc0000002a166c3" },
	{ "local t = {} for i = 1, 15 do t[i] = i end local u = {} for i = 1, 16 do u[i] = i end "
	    "return cmsgpack.pack(t), string.sub(cmsgpack.pack(u), 1, 4)",
	    "true x9f0102030405060708090a0b0c0d0e0f xdc001001" },
	{ "local t = {} for i = 1, 65535 do t[i] = true end local u = {} for i = 1, 65536 do u[i] = "
	    "true end return string.sub(cmsgpack.pack(t), 1, 4), string.sub(cmsgpack.pack(u), 1, 6), "
	    "#cmsgpack.pack(u)",
	    "true xdcffffc3 xdd00010000c3 65541" },
	{ "local t = {} for i = 1, 15 do t['k' .. i] = i end local u = {} for i = 1, 16 do u['k' .. "
	    "i] = i end return string.sub(cmsgpack.pack(t), 1, 1), string.sub(cmsgpack.pack(u), 1, 3)",
	    "true x8f xde0010" },
	{ "local t = {} for i = 1, 70000 do t['k' .. i] = i end return string.sub(cmsgpack.pack(t), "
	    "1, 5), #cmsgpack.pack(t)",
	    "true xdf00011170 697447" },
	{ "local t = setmetatable({}, {__index = function() return 1 end}) t[1] = 5 t[3] = 7 return "
	    "cmsgpack.pack(t)",
	    "true x8201050307" },
	{ "local t = setmetatable({1, 2}, {__len = function() return 5 end}) return cmsgpack.pack(t)",
	    "true x920102" },
	{ "local t = {} t[1] = t return cmsgpack.pack(t)",
	    "true x91919191919191919191919191919191c0" },
	{ "local t = {} t.a = t return cmsgpack.pack(t)",
	    "true "
	    "x81a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a16181a161c0" },
	{ "local t = {} t[t] = 1 return cmsgpack.pack(t)",
	    "true x81818181818181818181818181818181c001010101010101010101010101010101" },
	{ "local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end return cmsgpack.pack(t)",
	    "true x91919191919191919191919191919191c0" },
	{ "local t = {} local c = t for i = 1, 15 do c[1] = {} c = c[1] end c[1] = 7 return "
	    "cmsgpack.pack(t)",
	    "true x9191919191919191919191919191919107" },
	{ "local t = {} local c = t for i = 1, 20 do c.x = {} c = c.x end return cmsgpack.pack(t)",
	    "true "
	    "x81a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a178c0" },
	{ "local t = {} local c = t for i = 1, 14 do c.x = {} c = c.x end c.x = {{5}} return "
	    "cmsgpack.pack(t)",
	    "true "
	    "x81a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17881a17891c0" },
	{ "local t = {1} t[2] = t t[3] = {t} return #cmsgpack.pack(t), string.sub(cmsgpack.pack(t), "
	    "1, 12)",
	    "true 9346 x930193019301930193019301" },
};

static const struct lua_case pack_args_cases[] = {
	{ "return cmsgpack.pack(1, 2, 3), cmsgpack.pack({}, {}), cmsgpack.pack('a', nil, 'b'), "
	    "cmsgpack.pack(nil, nil)",
	    "true x010203 x9090 xa161c0a162 xc0c0" },
	{ "return cmsgpack.pack()",
	    "false \"user_script:1: bad argument #0 to 'pack' (MessagePack pack needs input.)\"" },
	{ "return cmsgpack:pack()",
	    "true "
	    "x88ac5f4445534352495054494f4ed9244d6573736167655061636b204320696d706c656d656e746174696f6e20666f72204c7561a47061636bc0a55f4e414d45a8636d73677061636ba6756e7061636bc0aa5f434f50595249474854d928436f707972696768742028432920323031322c2053616c7661746f72652053616e66696c6970706fa85f56455253494f4eb26c75612d636d73677061636b20302e342e30aa756e7061636b5f6f6e65c0ac756e7061636b5f6c696d6974c0" },
	{ "local f = cmsgpack.pack return f()",
	    "false \"user_script:1: bad argument #0 to 'f' (MessagePack pack needs input.)\"" },
	{ "local t = {} for i = 1, 3999 do t[i] = i end local p = cmsgpack.pack(unpack(t)) return "
	    "#p, string.sub(p, 1, 3), string.sub(p, -5)",
	    "true 11615 x010203 x0f9ecd0f9f" },
	{ "local t = {} for i = 1, 4000 do t[i] = i end return #cmsgpack.pack(unpack(t))",
	    "true 11618" },
	{ "local t = {} for i = 1, 4001 do t[i] = i end return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: bad argument #0 to 'pack' (Too many arguments for MessagePack "
	    "pack.)\"" },
	{ "local t = {} for i = 1, 4000 do t[i] = {i} end return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function table_is_an_array)\"" },
	{ "local t = {} for i = 1, 3990 do t[i] = {i} end return #cmsgpack.pack(unpack(t))",
	    "true 15578" },
	{ "local d = {} local c = d for i = 1, 16 do c.k = {} c = c.k end local t = {} for i = 1, "
	    "3983 do t[i] = i end t[3983] = d return #cmsgpack.pack(unpack(t))",
	    "true 11613" },
	{ "local d = {} local c = d for i = 1, 16 do c.k = {} c = c.k end local t = {} for i = 1, "
	    "3984 do t[i] = i end t[3984] = d return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function mp_encode_lua_table_as_map)\"" },
	{ "local d = {} local c = d for i = 1, 16 do c[1] = {} c = c[1] end local t = {} for i = 1, "
	    "3991 do t[i] = i end t[3991] = d return #cmsgpack.pack(unpack(t))",
	    "true 11605" },
	{ "local d = {} local c = d for i = 1, 16 do c[1] = {} c = c[1] end local t = {} for i = 1, "
	    "3992 do t[i] = i end t[3992] = d return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function table_is_an_array)\"" },
	{ "local d = {} local c = d for i = 1, 16 do c[{}] = {} c = c[next(c)] end local t = {} for "
	    "i = 1, 3983 do t[i] = i end t[3983] = d return #cmsgpack.pack(unpack(t))",
	    "true 11597" },
	{ "local d = {} local c = d for i = 1, 16 do c[{}] = {} c = c[next(c)] end local t = {} for "
	    "i = 1, 3984 do t[i] = i end t[3984] = d return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function table_is_an_array)\"" },
	{ "local d = {s = string.rep('x', 3000)} local c = d for i = 1, 15 do c.k = {} c = c.k end "
	    "local t = {} for i = 1, 3984 do t[i] = i end t[3984] = d return #cmsgpack.pack(unpack(t))",
	    "true 14618" },
	{ "local d = {s = string.rep('x', 3000)} local c = d for i = 1, 15 do c.k = {} c = c.k end "
	    "local t = {} for i = 1, 3985 do t[i] = i end t[3985] = d return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function mp_encode_lua_table_as_map)\"" },
	{ "local d = {string.rep('x', 3000)} local c = d for i = 1, 15 do c[2] = {} c = c[2] end "
	    "local t = {} for i = 1, 3984 do t[i] = i end t[3984] = d return #cmsgpack.pack(unpack(t))",
	    "true 14600" },
	{ "local d = {string.rep('x', 3000)} local c = d for i = 1, 15 do c[2] = {} c = c[2] end "
	    "local t = {} for i = 1, 3985 do t[i] = i end t[3985] = d return #cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function table_is_an_array)\"" },
	{ "local d = {1} local t = {} for i = 1, 3999 do t[i] = i end t[3999] = d return "
	    "#cmsgpack.pack(unpack(t))",
	    "true 11614" },
	{ "local d = {1} local t = {} for i = 1, 4000 do t[i] = i end t[4000] = d return "
	    "#cmsgpack.pack(unpack(t))",
	    "false \"user_script:1: stack overflow (in function table_is_an_array)\"" },
};

static const struct lua_case unpack_types_cases[] = {
	{ "return cmsgpack.unpack('')",
	    "true" },
	{ "return cmsgpack.unpack('\\0')",
	    "true 0" },
	{ "return cmsgpack.unpack('\\127')",
	    "true 127" },
	{ "return cmsgpack.unpack('\\128')",
	    "true {}" },
	{ "return cmsgpack.unpack('\\144')",
	    "true {}" },
	{ "return cmsgpack.unpack('\\160')",
	    "true \"\"" },
	{ "return cmsgpack.unpack('\\161a')",
	    "true \"a\"" },
	{ "return cmsgpack.unpack('\\191' .. string.rep('z', 31))",
	    "true \"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz\"" },
	{ "return cmsgpack.unpack('\\192')",
	    "true nil" },
	{ "return cmsgpack.unpack('\\194')",
	    "true false" },
	{ "return cmsgpack.unpack('\\195')",
	    "true true" },
	{ "return cmsgpack.unpack('\\202\\63\\0\\0\\0')",
	    "true 0.5" },
	{ "return cmsgpack.unpack('\\202\\127\\192\\0\\0')",
	    "true nan" },
	{ "return cmsgpack.unpack('\\202\\255\\128\\0\\0')",
	    "true -inf" },
	{ "return cmsgpack.unpack('\\202\\0\\0\\0\\1')",
	    "true 1.4012984643248171e-45" },
	{ "return cmsgpack.unpack('\\202\\127\\127\\255\\255')",
	    "true 3.4028234663852886e+38" },
	{ "return cmsgpack.unpack('\\203\\63\\240\\0\\0\\0\\0\\0\\0')",
	    "true 1" },
	{ "return cmsgpack.unpack('\\203\\255\\248\\0\\0\\0\\0\\0\\0')",
	    "true -nan" },
	{ "return cmsgpack.unpack('\\203\\127\\239\\255\\255\\255\\255\\255\\255')",
	    "true 1.7976931348623157e+308" },
	{ "return cmsgpack.unpack('\\203\\128\\0\\0\\0\\0\\0\\0\\0')",
	    "true -0" },
	{ "return cmsgpack.unpack('\\204\\255')",
	    "true 255" },
	{ "return cmsgpack.unpack('\\205\\255\\255')",
	    "true 65535" },
	{ "return cmsgpack.unpack('\\205\\1\\2')",
	    "true 258" },
	{ "return cmsgpack.unpack('\\206\\255\\255\\255\\255')",
	    "true 4294967295" },
	{ "return cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')",
	    "true -1" },
	{ "return cmsgpack.unpack('\\207\\127\\255\\255\\255\\255\\255\\255\\255')",
	    "true 9.2233720368547758e+18" },
	{ "return cmsgpack.unpack('\\207\\128\\0\\0\\0\\0\\0\\0\\1')",
	    "true -9.2233720368547758e+18" },
	{ "return cmsgpack.unpack('\\207\\0\\32\\0\\0\\0\\0\\0\\1')",
	    "true 9007199254740992" },
	{ "return cmsgpack.unpack('\\208\\128')",
	    "true -128" },
	{ "return cmsgpack.unpack('\\208\\127')",
	    "true 127" },
	{ "return cmsgpack.unpack('\\209\\128\\0')",
	    "true -32768" },
	{ "return cmsgpack.unpack('\\209\\255\\254')",
	    "true -2" },
	{ "return cmsgpack.unpack('\\209\\0\\255')",
	    "true 255" },
	{ "return cmsgpack.unpack('\\210\\128\\0\\0\\0')",
	    "true -2147483648" },
	{ "return cmsgpack.unpack('\\210\\255\\255\\255\\255')",
	    "true -1" },
	{ "return cmsgpack.unpack('\\210\\127\\255\\255\\255')",
	    "true 2147483647" },
	{ "return cmsgpack.unpack('\\211\\128\\0\\0\\0\\0\\0\\0\\0')",
	    "true -9.2233720368547758e+18" },
	{ "return cmsgpack.unpack('\\211\\255\\255\\255\\255\\255\\255\\255\\255')",
	    "true -1" },
	{ "return cmsgpack.unpack('\\211\\0\\0\\0\\0\\0\\0\\0\\1')",
	    "true 1" },
	{ "return cmsgpack.unpack('\\211\\255\\224\\0\\0\\0\\0\\0\\1')",
	    "true -9007199254740991" },
	{ "return cmsgpack.unpack('\\224')",
	    "true -32" },
	{ "return cmsgpack.unpack('\\255')",
	    "true -1" },
	{ "return cmsgpack.unpack('\\217\\3abc')",
	    "true \"abc\"" },
	{ "return cmsgpack.unpack('\\217\\0')",
	    "true \"\"" },
	{ "return cmsgpack.unpack('\\218\\0\\3abc')",
	    "true \"abc\"" },
	{ "return cmsgpack.unpack('\\219\\0\\0\\0\\3abc')",
	    "true \"abc\"" },
	{ "return cmsgpack.unpack('\\220\\0\\2\\1\\2')",
	    "true {1=1,2=2}" },
	{ "return cmsgpack.unpack('\\221\\0\\0\\0\\2\\1\\2')",
	    "true {1=1,2=2}" },
	{ "return cmsgpack.unpack('\\222\\0\\1\\1\\2')",
	    "true {1=2}" },
	{ "return cmsgpack.unpack('\\223\\0\\0\\0\\1\\161a\\2')",
	    "true {\"a\"=2}" },
	{ "return cmsgpack.unpack('\\220\\0\\0')",
	    "true {}" },
	{ "return cmsgpack.unpack('\\223\\0\\0\\0\\0')",
	    "true {}" },
	{ "return cmsgpack.unpack('\\129\\1\\192')",
	    "true {}" },
	{ "return cmsgpack.unpack('\\130\\1\\2\\1\\3')",
	    "true {1=3}" },
	{ "return cmsgpack.unpack('\\129\\145\\1\\2')",
	    "true {{1=1}=2}" },
	{ "return cmsgpack.unpack('\\147\\1\\192\\3')",
	    "true {1=1,3=3}" },
	{ "return cmsgpack.unpack('\\145\\145\\145\\161x')",
	    "true {1={1={1=\"x\"}}}" },
	{ "return cmsgpack.unpack('\\1\\2\\3')",
	    "true 1 2 3" },
	{ "return cmsgpack.unpack('\\1\\161a\\192\\195')",
	    "true 1 \"a\" nil true" },
	{ "return cmsgpack.unpack(1)",
	    "true 49" },
	{ "return cmsgpack.unpack(123)",
	    "true 49 50 51" },
	{ "return cmsgpack.unpack(-1)",
	    "true 45 49" },
	{ "return cmsgpack.unpack(1.5)",
	    "true 49 46 53" },
};

static const struct lua_case unpack_errors_cases[] = {
	{ "return cmsgpack.unpack('\\193')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\196\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\197\\0\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\198\\0\\0\\0\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\199\\1\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\200\\0\\1\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\201\\0\\0\\0\\1\\1a')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\212\\1\\1')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\213\\1\\1\\1')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\214\\1\\1\\1\\1\\1')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\215')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\216')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\1\\193')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\145\\193')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\129\\193\\1')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\129\\1\\193')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack('\\161')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\191')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\202\\63\\0\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\203\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\204')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\205\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\206\\1\\2\\3')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\207\\1\\2\\3\\4\\5\\6\\7')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\208')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\209\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\210\\1\\2\\3')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\211\\1\\2\\3\\4\\5\\6\\7')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\217')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\217\\3ab')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\218\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\218\\0\\3ab')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\219\\0\\0\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\219\\255\\255\\255\\255abc')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\220\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\220\\0\\2\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\221\\0\\0\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\221\\255\\255\\255\\255')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\222\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\222\\0\\1\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\223\\0\\0\\0')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\223\\0\\0\\0\\1\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\145')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\146\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\129')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\129\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\1\\2\\146\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack('\\129\\192\\1')",
	    "false \"table index is nil\"" },
	{ "return cmsgpack.unpack('\\129\\203\\255\\248\\0\\0\\0\\0\\0\\0\\1')",
	    "false \"table index is NaN\"" },
	{ "return cmsgpack.unpack('\\129\\202\\127\\192\\0\\0\\1')",
	    "false \"table index is NaN\"" },
	{ "return cmsgpack.unpack('\\223\\255\\255\\255\\255\\192\\192')",
	    "false \"table index is nil\"" },
	{ "return cmsgpack.unpack('\\145\\129\\192\\192')",
	    "false \"table index is nil\"" },
	{ "return cmsgpack.unpack('\\129\\192')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack(nil)",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got nil)\"" },
	{ "return cmsgpack.unpack({})",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got table)\"" },
	{ "return cmsgpack.unpack(true)",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got boolean)\"" },
	{ "return cmsgpack.unpack()",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got no value)\"" },
	{ "return cmsgpack.unpack('\\1', 'ignored', {})",
	    "true 1" },
	{ "local f = cmsgpack.unpack return f()",
	    "false \"user_script:1: bad argument #1 to 'f' (string expected, got no value)\"" },
};

static const struct lua_case unpack_one_cases[] = {
	{ "return cmsgpack.unpack_one('\\1\\2\\3')",
	    "true 1 1" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 1)",
	    "true 2 2" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 2)",
	    "true -1 3" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 3)",
	    "true -1" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 4)",
	    "false \"user_script:1: Start offset 4 greater than input length 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', -1)",
	    "false \"user_script:1: Invalid request to unpack with offset of -1 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 1.9)",
	    "true 2 2" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', '2')",
	    "true -1 3" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 'x')",
	    "false \"user_script:1: bad argument #2 to 'unpack_one' (number expected, got string)\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', nil)",
	    "true 1 1" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', {})",
	    "false \"user_script:1: bad argument #2 to 'unpack_one' (number expected, got table)\"" },
	{ "return cmsgpack.unpack_one()",
	    "false \"user_script:1: bad argument #1 to 'unpack_one' (string expected, got no value)\"" },
	{ "return cmsgpack.unpack_one('')",
	    "true -1" },
	{ "return cmsgpack.unpack_one('', 0)",
	    "true -1" },
	{ "return cmsgpack.unpack_one('', 1)",
	    "false \"user_script:1: Start offset 1 greater than input length 0.\"" },
	{ "return cmsgpack.unpack_one('\\146\\1')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack_one('\\1\\193', 1)",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack_one('\\1\\193', 0)",
	    "true 1 1" },
	{ "return cmsgpack.unpack_one('\\1\\2', 0, 'extra', 'more')",
	    "true 1 1" },
	{ "return cmsgpack.unpack_one(12, 1)",
	    "true -1 50" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 2^31)",
	    "false \"user_script:1: Start offset -2147483648 greater than input length 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 2^32 + 1)",
	    "false \"user_script:1: Start offset 1 greater than input length 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', -2^32 + 1)",
	    "false \"user_script:1: Invalid request to unpack with offset of 1 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 1e300)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 0/0)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', 1/0)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one('\\1\\2\\3', -1/0)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_one(nil, 1)",
	    "false \"user_script:1: bad argument #1 to 'unpack_one' (string expected, got nil)\"" },
	{ "return cmsgpack.unpack_one('\\145\\145\\1\\2', 0)",
	    "true 3 {1={1=1}}" },
	{ "return cmsgpack.unpack_one('\\147\\1\\2\\3\\161x', 4)",
	    "true -1 \"x\"" },
	{ "local p = cmsgpack.pack({1, 2}, 'x', {a = true}, nil, 0.5) local o, off = {}, 0 while off "
	    "~= -1 do local r = {cmsgpack.unpack_one(p, off)} off = r[1] o[#o + 1] = off o[#o + 1] = "
	    "r[2] end return unpack(o)",
	    "true 3 {1=1,2=2} 5 \"x\" 9 {\"a\"=true} 10 -1 0.5" },
};

static const struct lua_case unpack_limit_cases[] = {
	{ "return cmsgpack.unpack_limit('\\1\\2\\3')",
	    "false \"user_script:1: bad argument #2 to 'unpack_limit' (number expected, got no value)\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 0)",
	    "true 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 0, 0)",
	    "true 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)",
	    "true 1" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 0, 3)",
	    "true -1" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1)",
	    "true 1 1" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2)",
	    "true 2 1 2" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 3)",
	    "true -1 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 4)",
	    "true -1 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2, 1)",
	    "true -1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2, 2)",
	    "true -1 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', -1)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', -1, -1)",
	    "false \"user_script:1: Invalid request to unpack with offset of -1 and limit of 3.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1, -5)",
	    "false \"user_script:1: Invalid request to unpack with offset of -5 and limit of 3.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 'x')",
	    "false \"user_script:1: bad argument #2 to 'unpack_limit' (number expected, got string)\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1, 'x')",
	    "false \"user_script:1: bad argument #3 to 'unpack_limit' (number expected, got string)\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1, 4)",
	    "false \"user_script:1: Start offset 4 greater than input length 3.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1, 3)",
	    "true -1" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2^40)",
	    "true -1 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', -2^40)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1/0)",
	    "false \"user_script:1: Invalid request to unpack with offset of 0 and limit of 3.\"" },
	{ "return cmsgpack.unpack_limit({}, 1)",
	    "false \"user_script:1: bad argument #1 to 'unpack_limit' (string expected, got table)\"" },
	{ "return cmsgpack.unpack_limit(nil, 1)",
	    "false \"user_script:1: bad argument #1 to 'unpack_limit' (string expected, got nil)\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2^31)",
	    "true -1 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 2^31 + 5)",
	    "true -1 1 2 3" },
	{ "return cmsgpack.unpack_limit('\\1\\146', 5)",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\212', 5)",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', '2', '1')",
	    "true -1 2 3" },
	{ "return cmsgpack.unpack_limit('', 0, 0)",
	    "true" },
	{ "return cmsgpack.unpack_limit('', 3)",
	    "true -1" },
	{ "return cmsgpack.unpack_limit('\\1\\2\\3', 1, 2, 'x')",
	    "true -1 3" },
};

static const struct lua_case stack_limits_cases[] = {
	{ "return select('#', cmsgpack.unpack(string.rep('\\192', 7999)))",
	    "true 7999" },
	{ "return select('#', cmsgpack.unpack(string.rep('\\1', 8000)))",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return select('#', cmsgpack.unpack(string.rep('\\1', 7999), 'x'))",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return select('#', cmsgpack.unpack(string.rep('\\1', 7998), 'x'))",
	    "true 7998" },
	{ "return select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7998))",
	    "true 7999" },
	{ "return select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7999))",
	    "false \"user_script:1: stack overflow (in function mp_unpack_full)\"" },
	{ "return select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 0, 1))",
	    "true 1" },
	{ "local t = cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1') for i = 1, 3998 do t = t[1] "
	    "end return t[1]",
	    "true 1" },
	{ "return cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1')",
	    "false \"user_script:1: stack overflow (in function mp_decode_to_lua_array)\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 4000))",
	    "false \"user_script:1: stack overflow (in function mp_decode_to_lua_array)\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\193')",
	    "false \"user_script:1: stack overflow (in function mp_decode_to_lua_array)\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3999) .. '\\193')",
	    "false \"user_script:1: Bad data format in input.\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3999))",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "local t = cmsgpack.unpack(string.rep('\\145', 3998) .. '\\144', 'x') for i = 1, 3998 do t "
	    "= t[1] end return next(t)",
	    "true nil" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3999) .. '\\144', 'x')",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3999), 'x')",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1', 'x')",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return cmsgpack.unpack(string.rep('\\145', 3998) .. '\\1', 'x')",
	    "true {1={1={1={1={1={1={1={1={1={...}}}}}}}}}}" },
	{ "local t = cmsgpack.unpack(string.rep('\\129', 7997) .. '\\1' .. string.rep('\\1', 7997)) "
	    "local n = 0 while type(t) == 'table' do t = next(t) n = n + 1 end return n, t",
	    "true 7997 1" },
	{ "return cmsgpack.unpack(string.rep('\\129', 7998) .. '\\1' .. string.rep('\\1', 7998))",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return cmsgpack.unpack(string.rep('\\129', 7999))",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "return cmsgpack.unpack(string.rep('\\129', 8000))",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "return cmsgpack.unpack(string.rep('\\129', 7998))",
	    "false \"user_script:1: Missing bytes in input.\"" },
	{ "local t = cmsgpack.unpack(string.rep('\\129\\1', 3999) .. '\\1') local n = 0 while "
	    "type(t) == 'table' do t = t[1] n = n + 1 end return n, t",
	    "true 3999 1" },
	{ "return cmsgpack.unpack(string.rep('\\129\\1', 4000) .. '\\1')",
	    "false \"user_script:1: stack overflow (too many return values at once; use unpack_one or "
	    "unpack_limit instead.)\"" },
	{ "local r = {cmsgpack.unpack_one(string.rep('\\145', 3999) .. '\\1')} return r[1], "
	    "type(r[2])",
	    "true -1 \"table\"" },
	{ "return cmsgpack.unpack_one(string.rep('\\145', 4000) .. '\\1')",
	    "false \"user_script:1: stack overflow (in function mp_decode_to_lua_array)\"" },
};

static const struct lua_case roundtrip_cases[] = {
	{ "local v = cmsgpack.unpack(cmsgpack.pack({1, 2, {3, {4, {a = 'b'}}}})) return v[1], v[2], "
	    "v[3][1], v[3][2][1], v[3][2][2].a",
	    "true 1 2 3 4 \"b\"" },
	{ "local a, b, c, d, e = cmsgpack.unpack(cmsgpack.pack(-1, 2^40, 0.25, 'str', false)) return "
	    "a, b, c, d, e",
	    "true -1 1099511627776 0.25 \"str\" false" },
	{ "local v = cmsgpack.unpack(cmsgpack.pack({[1] = true, [2] = false, x = {}})) return v[1], "
	    "v[2], type(v.x), next(v.x)",
	    "true true false \"table\" nil" },
	{ "return cmsgpack.unpack(cmsgpack.pack(0.1)) == 0.1, cmsgpack.unpack(cmsgpack.pack(2^63)) "
	    "== 2^63, cmsgpack.unpack(cmsgpack.pack(-2^63)) == -2^63",
	    "true true true true" },
	{ "local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end local v = "
	    "cmsgpack.unpack(cmsgpack.pack(t)) local n = 0 while type(v) == 'table' do v = v[1] n = n "
	    "+ 1 end return n, v",
	    "true 16 nil" },
};

static const struct lua_case fields_cases[] = {
	{ "return cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION",
	    "true \"cmsgpack\" \"lua-cmsgpack 0.4.0\" \"Copyright (C) 2012, Salvatore Sanfilippo\" "
	    "\"MessagePack C implementation for Lua\"" },
	{ "local t = {} for k, v in pairs(cmsgpack) do t[#t + 1] = k .. ':' .. type(v) end return "
	    "table.concat(t, ' ')",
	    "true \"_DESCRIPTION:string pack:function _NAME:string unpack:function _COPYRIGHT:string "
	    "_VERSION:string unpack_one:function unpack_limit:function\"" },
	{ "return cmsgpack.pack(cmsgpack)",
	    "true "
	    "x88ac5f4445534352495054494f4ed9244d6573736167655061636b204320696d706c656d656e746174696f6e20666f72204c7561a47061636bc0a55f4e414d45a8636d73677061636ba6756e7061636bc0aa5f434f50595249474854d928436f707972696768742028432920323031322c2053616c7661746f72652053616e66696c6970706fa85f56455253494f4eb26c75612d636d73677061636b20302e342e30aa756e7061636b5f6f6e65c0ac756e7061636b5f6c696d6974c0" },
};

#define NCASES(t) ((int)(sizeof(t) / sizeof((t)[0])))

START_TEST(test_pack_scalars)
{
	run_case(&pack_scalars_cases[_i], _i);
}
END_TEST

START_TEST(test_pack_tables)
{
	run_case(&pack_tables_cases[_i], _i);
}
END_TEST

START_TEST(test_pack_args)
{
	run_case(&pack_args_cases[_i], _i);
}
END_TEST

START_TEST(test_unpack_types)
{
	run_case(&unpack_types_cases[_i], _i);
}
END_TEST

START_TEST(test_unpack_errors)
{
	run_case(&unpack_errors_cases[_i], _i);
}
END_TEST

START_TEST(test_unpack_one)
{
	run_case(&unpack_one_cases[_i], _i);
}
END_TEST

START_TEST(test_unpack_limit)
{
	run_case(&unpack_limit_cases[_i], _i);
}
END_TEST

START_TEST(test_stack_limits)
{
	run_case(&stack_limits_cases[_i], _i);
}
END_TEST

START_TEST(test_roundtrip)
{
	run_case(&roundtrip_cases[_i], _i);
}
END_TEST

START_TEST(test_fields)
{
	run_case(&fields_cases[_i], _i);
}
END_TEST

/* script_open_cmsgpack() returns 1 with the library table on the stack and in the global. */
START_TEST(test_open)
{
	static const char *const fns[] = { "pack", "unpack", "unpack_one", "unpack_limit" };
	lua_State *L = luaL_newstate();

	ck_assert_int_eq(script_open_cmsgpack(L), 1);
	ck_assert_int_eq(lua_gettop(L), 1);
	ck_assert_int_eq(lua_type(L, 1), LUA_TTABLE);
	lua_getglobal(L, "cmsgpack");
	ck_assert(lua_rawequal(L, 1, 2));
	lua_pop(L, 1);
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
		lua_getfield(L, 1, fns[i]);
		ck_assert_msg(lua_iscfunction(L, -1), "%s is not a C function", fns[i]);
		lua_pop(L, 1);
	}
	lua_getfield(L, 1, "_VERSION");
	ck_assert_str_eq(lua_tostring(L, -1), "lua-cmsgpack 0.4.0");
	lua_close(L);
}
END_TEST

/* ---- random numbers against a model of the number forms ---- */

static uint64_t rng_state;

/* xorshift64*: a fixed sequence per seed, so a failure replays. */
static uint64_t
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static uint64_t
rng_below(uint64_t n)
{
	return n == 0 ? 0 : rng_next() % n;
}

/* Writes into b the big-endian n-byte form of v after the tag; returns the total length. */
static size_t
model_tagged(unsigned char *b, unsigned char tag, uint64_t v, int n)
{
	b[0] = tag;
	for (int i = 0; i < n; i++)
		b[1 + i] = (unsigned char)(v >> (8 * (n - 1 - i)));
	return (size_t)n + 1;
}

/*
 * The encoding of the Lua number x, from the MessagePack forms and the copy's choices: a
 * whole number in [-2^63, 2^63) takes the first integer form whose range holds it, anything
 * else the float 32 form when float holds it exactly, else float 64.
 */
static size_t
model_number(unsigned char *b, double x)
{
	static const struct {
		double lo, hi;		/* inclusive range */
		int tag;		/* -1: the value is its own byte */
		int n;
	} forms[] = {
		{ 0, 127, -1, 0 },
		{ -32, -1, -1, 0 },
		{ 0, 255, 0xcc, 1 },
		{ 0, 65535, 0xcd, 2 },
		{ 0, 4294967295.0, 0xce, 4 },
		{ 0, 18446744073709551615.0, 0xcf, 8 },
		{ -128, -1, 0xd0, 1 },
		{ -32768, -1, 0xd1, 2 },
		{ -2147483648.0, -1, 0xd2, 4 },
		{ -9223372036854775808.0, -1, 0xd3, 8 },
	};
	int64_t i;
	uint64_t bits;
	uint32_t fbits;
	float f;

	if (x == x && x >= -9223372036854775808.0 && x < 9223372036854775808.0 &&
	    x == trunc(x)) {
		i = (int64_t)x;
		for (size_t k = 0; k < sizeof forms / sizeof forms[0]; k++) {
			if (x < forms[k].lo || x > forms[k].hi)
				continue;
			if (forms[k].tag < 0) {
				b[0] = (unsigned char)((uint64_t)i & 0xff);
				return 1;
			}
			return model_tagged(b, (unsigned char)forms[k].tag, (uint64_t)i, forms[k].n);
		}
		ck_abort_msg("no integer form for %.17g", x);
	}
	if (x != x || (!isinf(x) && fabs(x) > 3.4028234663852886e38)) {
		memcpy(&bits, &x, sizeof bits);
		return model_tagged(b, 0xcb, bits, 8);
	}
	f = (float)x;
	if ((double)f == x) {
		memcpy(&fbits, &f, sizeof fbits);
		return model_tagged(b, 0xca, fbits, 4);
	}
	memcpy(&bits, &x, sizeof bits);
	return model_tagged(b, 0xcb, bits, 8);
}

/* Returns a random number, weighted toward the edges of the integer and float forms. */
static double
random_number(void)
{
	static const double edges[] = { 0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295.0,
		4294967296.0, 9223372036854775808.0, 18446744073709551616.0, -1, -32, -33,
		-128, -129, -32768, -32769, -2147483648.0, -2147483649.0,
		-9223372036854775808.0, 3.4028234663852886e38, 1.17549435e-38 };
	uint64_t bits;
	uint32_t fbits;
	float f;
	double x;

	switch (rng_below(6)) {
	case 0:
		return edges[rng_below(sizeof edges / sizeof edges[0])] +
		    (double)((int64_t)rng_below(5) - 2);
	case 1:
		return (double)((int64_t)rng_next() >> rng_below(64));
	case 2:
		bits = rng_next();
		memcpy(&x, &bits, sizeof x);
		return x;
	case 3:
		fbits = (uint32_t)rng_next();
		memcpy(&f, &fbits, sizeof f);
		return (double)f;
	case 4:
		return ldexp((double)rng_below(1u << 20), (int)rng_below(140) - 70) *
		    (rng_below(2) ? -1 : 1);
	default:
		return (double)(int64_t)rng_below(1u << 16) / 4.0 - 8192;
	}
}

START_TEST(test_numbers)
{
	lua_State *L = state_new();
	unsigned char want[9];
	const char *got;
	size_t wlen, glen;
	double x, back;

	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int iter = 0; iter < 20000; iter++) {
		x = random_number();
		wlen = model_number(want, x);
		lua_getglobal(L, "cmsgpack");
		lua_getfield(L, -1, "pack");
		lua_pushnumber(L, x);
		ck_assert_int_eq(lua_pcall(L, 1, 1, 0), 0);
		got = lua_tolstring(L, -1, &glen);
		ck_assert_msg(glen == wlen && memcmp(got, want, wlen) == 0,
		    "pack(%.17g): %zu bytes, first 0x%02x; want %zu bytes, first 0x%02x", x, glen,
		    (unsigned char)got[0], wlen, want[0]);
		lua_getfield(L, -2, "unpack");
		lua_insert(L, -2);
		ck_assert_int_eq(lua_pcall(L, 1, LUA_MULTRET, 0), 0);
		ck_assert_int_eq(lua_gettop(L), 2);
		back = lua_tonumber(L, -1);
		ck_assert_msg(back == x || (back != back && x != x), "unpack(pack(%.17g)) = %.17g",
		    x, back);
		lua_settop(L, 0);
	}
	lua_close(L);
}
END_TEST

/* ---- fuzz ---- */

/* Outcome of one protected call: status, result count, error text (valid until the pop). */
struct outcome {
	int status;
	int nres;
	char err[96];
};

/*
 * Calls cmsgpack.<fn>(s, a, b) with nargs of those arguments; records the outcome and clears
 * the stack. A failure must carry one of the library's decoding errors.
 */
static struct outcome
call_decoder(lua_State *L, const char *fn, const char *s, size_t len, int nargs,
    lua_Integer a, lua_Integer b)
{
	static const char *const known[] = { "Missing bytes in input.",
		"Bad data format in input.", "table index is nil", "table index is NaN",
		"Start offset " };
	struct outcome o = { 0, 0, "" };
	const char *e;
	int ok = 0;

	lua_settop(L, 0);
	lua_getglobal(L, "cmsgpack");
	lua_getfield(L, 1, fn);
	lua_pushlstring(L, s, len);
	if (nargs > 1)
		lua_pushinteger(L, a);
	if (nargs > 2)
		lua_pushinteger(L, b);
	o.status = lua_pcall(L, nargs, LUA_MULTRET, 0);
	o.nres = lua_gettop(L) - 1;
	if (o.status != 0) {
		e = lua_tostring(L, -1);
		ck_assert_ptr_nonnull(e);
		for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
			ok |= strncmp(e, known[i], strlen(known[i])) == 0;
		ck_assert_msg(ok, "%s: unexpected error \"%s\"", fn, e);
		snprintf(o.err, sizeof o.err, "%s", e);
	}
	return o;
}

/*
 * Decodes s with unpack, with unpack_limit(s, 0, 0), and value by value with unpack_one: all
 * three must succeed with the same count or fail with the same error. Then one unpack_limit
 * call with a random limit and offset must succeed or fail cleanly, its next offset in range.
 */
static void
check_decoders(lua_State *L, const char *s, size_t len)
{
	struct outcome all, lim, one;
	lua_Integer off = 0, next, limit;
	int count = 0;

	all = call_decoder(L, "unpack", s, len, 1, 0, 0);
	lim = call_decoder(L, "unpack_limit", s, len, 3, 0, 0);
	ck_assert_int_eq(all.status, lim.status);
	ck_assert_int_eq(all.nres, lim.nres);
	ck_assert_str_eq(all.err, lim.err);

	for (;;) {
		one = call_decoder(L, "unpack_one", s, len, 2, off, 0);
		if (one.status != 0)
			break;
		next = lua_tointeger(L, 2);
		if (next == -1) {
			count += one.nres - 1;
			break;
		}
		ck_assert_int_eq(one.nres, 2);
		ck_assert_msg(next > off && (size_t)next < len, "unpack_one moved %d -> %d of %zu",
		    (int)off, (int)next, len);
		off = next;
		count++;
	}
	ck_assert_int_eq(one.status, all.status);
	ck_assert_str_eq(one.err, all.err);
	if (all.status == 0)
		ck_assert_int_eq(count, all.nres);

	limit = (lua_Integer)rng_below(5);
	off = (lua_Integer)rng_below(len + 2);
	lim = call_decoder(L, "unpack_limit", s, len, 3, limit, off);
	if (lim.status == 0 && (limit != 0 || off != 0)) {
		next = lua_tointeger(L, 2);
		ck_assert_msg(next == -1 || (next >= off && (size_t)next < len),
		    "unpack_limit(%d, %d) returned offset %d of %zu", (int)limit, (int)off,
		    (int)next, len);
		ck_assert_int_le(lim.nres - 1, (int)limit);
	}
	lua_settop(L, 0);
}

/* First bytes of every MessagePack type, so random input reaches every decoder branch. */
static const unsigned char type_bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x8f, 0x90,
	0x91, 0x92, 0x9f, 0xa0, 0xa1, 0xa3, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc7, 0xca,
	0xcb, 0xcc, 0xcd, 0xce, 0xcf, 0xd0, 0xd1, 0xd2, 0xd3, 0xd4, 0xd8, 0xd9, 0xda, 0xdb,
	0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff };

START_TEST(test_fuzz_random)
{
	lua_State *L = state_new();
	char buf[40];
	size_t len;

	rng_state = 0x243f6a8885a308d3ULL;
	for (int iter = 0; iter < 6000; iter++) {
		len = (size_t)rng_below(sizeof buf + 1);
		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(rng_below(10) < 6 ?
			    type_bytes[rng_below(sizeof type_bytes)] : rng_below(256));
		check_decoders(L, buf, len);
	}
	lua_close(L);
}
END_TEST

/*
 * Pushes a random value of at most depth more levels; sets *has_map when a map is among
 * them (maps may come back in another key order, arrays and scalars may not).
 */
static void
push_random_value(lua_State *L, int depth, int *has_map)
{
	static const char alphabet[] = "abcdefghij\0\xff";
	char s[300];
	size_t len;
	int n;

	switch (rng_below(depth > 0 ? 7 : 4)) {
	case 0:
		lua_pushnumber(L, random_number());
		break;
	case 1:
		len = (size_t)(rng_below(4) == 0 ? rng_below(sizeof s) : rng_below(40));
		for (size_t i = 0; i < len; i++)
			s[i] = alphabet[rng_below(sizeof alphabet - 1)];
		lua_pushlstring(L, s, len);
		break;
	case 2:
		lua_pushboolean(L, (int)rng_below(2));
		break;
	case 3:
		lua_pushnumber(L, (double)((int64_t)rng_below(400) - 200));
		break;
	case 4:
	case 5:
		n = (int)(rng_below(4) == 0 ? rng_below(20) : rng_below(5));
		lua_newtable(L);
		for (int i = 1; i <= n; i++) {
			push_random_value(L, depth - 1, has_map);
			lua_rawseti(L, -2, i);
		}
		break;
	default:
		n = (int)(rng_below(4) == 0 ? rng_below(20) : rng_below(5));
		lua_newtable(L);
		for (int i = 0; i < n; i++) {
			if (rng_below(2))
				lua_pushfstring(L, "k%d", (int)rng_below(30));
			else
				lua_pushnumber(L, (double)((int64_t)rng_below(40) - 10));
			push_random_value(L, depth - 1, has_map);
			lua_rawset(L, -3);
		}
		*has_map = 1;
		break;
	}
}

START_TEST(test_fuzz_truncated)
{
	lua_State *L = state_new();
	struct outcome o;
	const char *p, *again;
	size_t len, alen;
	char *copy;
	int has_map;

	rng_state = 0x13198a2e03707344ULL;
	for (int iter = 0; iter < 400; iter++) {
		has_map = 0;
		lua_settop(L, 0);
		lua_getglobal(L, "cmsgpack");
		lua_getfield(L, -1, "pack");
		push_random_value(L, 4, &has_map);
		ck_assert_int_eq(lua_pcall(L, 1, 1, 0), 0);
		p = lua_tolstring(L, -1, &len);
		copy = malloc(len);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, p, len);

		/* The whole encoding decodes to one value that encodes back the same. */
		lua_getfield(L, 1, "unpack");
		lua_pushvalue(L, 2);
		ck_assert_int_eq(lua_pcall(L, 1, LUA_MULTRET, 0), 0);
		ck_assert_int_eq(lua_gettop(L), 3);
		lua_getfield(L, 1, "pack");
		lua_insert(L, 3);
		ck_assert_int_eq(lua_pcall(L, 1, 1, 0), 0);
		again = lua_tolstring(L, -1, &alen);
		ck_assert_uint_eq(alen, len);
		if (!has_map)
			ck_assert(memcmp(again, copy, len) == 0);

		/* Every strict prefix is missing bytes, for every decoder. */
		for (size_t cut = 1; cut < len; cut++) {
			o = call_decoder(L, "unpack", copy, cut, 1, 0, 0);
			ck_assert_str_eq(o.err, "Missing bytes in input.");
			if (cut % 7 == 1)
				check_decoders(L, copy, cut);
		}
		check_decoders(L, copy, len);
		free(copy);
	}
	lua_close(L);
}
END_TEST

static Suite *
lua_cmsgpack_suite(void)
{
	const struct {
		const char *name;
		const TTest *test;
		int n;
	} tables[] = {
		{ "pack_scalars", test_pack_scalars, NCASES(pack_scalars_cases) },
		{ "pack_tables", test_pack_tables, NCASES(pack_tables_cases) },
		{ "pack_args", test_pack_args, NCASES(pack_args_cases) },
		{ "unpack_types", test_unpack_types, NCASES(unpack_types_cases) },
		{ "unpack_errors", test_unpack_errors, NCASES(unpack_errors_cases) },
		{ "unpack_one", test_unpack_one, NCASES(unpack_one_cases) },
		{ "unpack_limit", test_unpack_limit, NCASES(unpack_limit_cases) },
		{ "stack_limits", test_stack_limits, NCASES(stack_limits_cases) },
		{ "roundtrip", test_roundtrip, NCASES(roundtrip_cases) },
		{ "fields", test_fields, NCASES(fields_cases) },
	};
	Suite *s = suite_create("lua_cmsgpack");
	TCase *tc;

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		tc = tcase_create(tables[i].name);
		tcase_set_timeout(tc, 60);
		tcase_add_loop_test(tc, tables[i].test, 0, tables[i].n);
		suite_add_tcase(s, tc);
	}
	tc = tcase_create("open");
	tcase_add_test(tc, test_open);
	suite_add_tcase(s, tc);
	tc = tcase_create("numbers");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_numbers);
	suite_add_tcase(s, tc);
	tc = tcase_create("fuzz");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_fuzz_random);
	tcase_add_test(tc, test_fuzz_truncated);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lua_cmsgpack_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
