/*
 * check_lua_struct: unit tests of the Lua "struct" library (lua/lib_struct.c).
 *
 * The yardstick is redis-server 7.0.15 (Debian's 7.0.15-1~deb12u10). Each table row is the
 * body of a Lua function; run_case() (test/unit/lua_case.c) wraps it in a one-line chunk named "@user_script" that
 * pcalls it and serialises what comes back: the pcall status, then each value (numbers with
 * %.17g, printable strings quoted, other strings in hex), so results and error texts are
 * compared whole. Every expected string in the tables was observed on redis-server 7.0.15 by
 * sending the same chunk with EVAL; none was written by hand.
 *
 * "random" throws random formats, data, offsets and values at pack, unpack and size and
 * accepts only a result or one of the library's own errors (reads past a string's end show
 * under ASan and valgrind); "roundtrip" packs random values and checks that unpack gives
 * them back, ends exactly at the end, agrees with size, and refuses every shorter prefix.
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
	return lua_case_state(script_open_struct, "struct");
}

static void
run_case(const struct lua_case *c, int idx)
{
	lua_case_run(c, idx, script_open_struct, "struct");
}

static const struct lua_case pack_cases[] = {
	/* pack: integer options, both orders. */
	{ "return struct.pack('<b', 1), struct.pack('>b', -1), struct.pack('B', 255), "
	    "struct.pack('b', 300), struct.pack('b', -129), struct.pack('B', '12')",
	    "true x01 xff xff \",\" x7f x0c" },
	{ "return struct.pack('<h', 1), struct.pack('>h', 1), struct.pack('<H', 65535), "
	    "struct.pack('>h', -2), struct.pack('<h', -2^40-1), struct.pack('>H', 70000)",
	    "true x0100 x0001 xffff xfffe xffff x1170" },
	{ "return struct.pack('<l', 1), struct.pack('>l', -2), struct.pack('<L', 2^53+1), "
	    "struct.pack('>L', 2^63), struct.pack('<T', 5), struct.pack('>T', -1)",
	    "true x0100000000000000 xfffffffffffffffe x0000000000002000 x8000000000000000 "
	    "x0500000000000000 xffffffffffffffff" },
	{ "return struct.pack('<i', 1), struct.pack('>i', -1), struct.pack('<I', 2^32-1), "
	    "struct.pack('>I', 2^32), struct.pack('<i2', 258), struct.pack('>i2', 258)",
	    "true x01000000 xffffffff xffffffff x00000000 x0201 x0102" },
	{ "return struct.pack('<i1', -1), struct.pack('<i3', -1), struct.pack('>i3', 0x123456), "
	    "struct.pack('<i5', 2^33+1), struct.pack('>i7', -3), struct.pack('<i8', -2^62)",
	    "true xff xffffff x123456 x0100000002 xfffffffffffffd x00000000000000c0" },
	{ "return struct.pack('<I16', -1), struct.pack('>I16', -2), struct.pack('<i9', 2^40), "
	    "struct.pack('>i12', -1), struct.pack('<i32', 1), struct.pack('>i32', -1)",
	    "true xffffffffffffffff0000000000000000 x0000000000000000fffffffffffffffe "
	    "x000000000001000000 x00000000ffffffffffffffff "
	    "x0100000000000000000000000000000000000000000000000000000000000000 "
	    "x000000000000000000000000000000000000000000000000ffffffffffffffff" },
	{ "return struct.pack('<i0', 5), struct.pack('>I0', 5), struct.pack('i0i0', 1, 2), "
	    "struct.pack('<i', 0.9), struct.pack('<i', -0.9), struct.pack('<I4', 1.9)",
	    "true \"\" \"\" \"\" x00000000 x00000000 x01000000" },
	/* pack: out-of-range values (x86-64 conversions). */
	{ "return struct.pack('<L', 2^64), struct.pack('<L', 2^64+2^60), struct.pack('<L', "
	    "1/0), struct.pack('<L', 0/0), struct.pack('<l', -1/0), struct.pack('<l', -2^64)",
	    "true x0000000000000000 x0000000000000000 x0000000000000000 x0000000000000080 "
	    "x0000000000000080 x0000000000000080" },
	{ "return struct.pack('<l', -0.5), struct.pack('<L', 2^63), struct.pack('<L', "
	    "2^63+4096), struct.pack('<l', 2^63), struct.pack('<l', -2^63), struct.pack('<L', "
	    "-1.9)",
	    "true x0000000000000000 x0000000000000080 x0010000000000080 x0000000000000080 "
	    "x0000000000000080 xffffffffffffffff" },
	{ "return struct.pack('<L', 2^64-2048), struct.pack('<l', -2^63-4096), "
	    "struct.pack('<i', 2^40+3), struct.pack('<i', 1e300), struct.pack('<i', -1e300), "
	    "struct.pack('<b', 0/0)",
	    "true x00f8ffffffffffff x0000000000000080 x03000000 x00000000 x00000000 x00" },
	{ "return struct.pack('>L', 1.9), struct.pack('>L', 18446744073709549568), "
	    "struct.pack('>l', -(0/0)), struct.pack('>I3', 2^24+2^23)",
	    "true x0000000000000001 xfffffffffffff800 x8000000000000000 x800000" },
	/* pack: floats. */
	{ "return struct.pack('<f', 1.5), struct.pack('>f', 1.5), struct.pack('<f', 1e300), "
	    "struct.pack('<f', -1e300), struct.pack('<f', 0/0), struct.pack('<f', -0.0)",
	    "true x0000c03f x3fc00000 x0000807f x000080ff x0000c0ff x00000000" },
	{ "return struct.pack('<f', 0.1), struct.pack('>f', 1e-50), struct.pack('<f', "
	    "3.4028234663852886e38), struct.pack('<f', 3.4028235677973366e38), struct.pack('<f', "
	    "3.4028235677973362e38), struct.pack('<f', 1/0)",
	    "true xcdcccc3d x00000000 xffff7f7f x0000807f xffff7f7f x0000807f" },
	{ "return struct.pack('<d', -0.0), struct.pack('>d', 1.5), struct.pack('<d', 0/0), "
	    "struct.pack('>d', -1/0), struct.pack('<d', 2^-1074), struct.pack('d', '2.5')",
	    "true x0000000000000080 x3ff8000000000000 x000000000000f8ff x7ff0000000000000 "
	    "x0100000000000000 x0000000000000440" },
	{ "return struct.pack('f', 1), struct.pack('d', 1)",
	    "true x0000803f x000000000000f03f" },
	/* pack: strings, padding, spaces. */
	{ "return struct.pack('s', 'a\\0b'), struct.pack('s', ''), struct.pack('s', 12), "
	    "struct.pack('ss', 'a', 'b'), struct.pack('c0', 'abc'), struct.pack('c0', '')",
	    "true x61006200 x00 x313200 x61006200 \"abc\" \"\"" },
	{ "return struct.pack('c2', 'abc'), struct.pack('c', 'abc'), struct.pack('c', 12), "
	    "struct.pack('c3', 1.5), struct.pack('c1c2c3', 'a', 'bb', 'ccc'), struct.pack('c00', "
	    "'xy')",
	    "true \"ab\" \"a\" \"1\" \"1.5\" \"abbccc\" \"xy\"" },
	{ "return struct.pack('x'), struct.pack('xxx'), struct.pack('b x h', 1, 2), "
	    "struct.pack('  b  ', 7), struct.pack(''), struct.pack('', 1, 2)",
	    "true x00 x000000 x01000200 x07 \"\" \"\"" },
	{ "return struct.pack('b\\0b', 1, 2), struct.pack('<>b', 1), struct.pack('><h', 1)",
	    "true x01 x01 x0100" },
	/* pack: alignment. */
	{ "return struct.pack('!4 b i', 1, 2), struct.pack('!4 b i3', 1, 2), struct.pack('!4 bb "
	    "i3', 1, 2, 3), struct.pack('!4 bbb i3', 1, 2, 3, 4)",
	    "true x0100000002000000 x010000020000 x0102030000 x010203040000" },
	{ "return struct.pack('! b d', 1, 2), struct.pack('!2 b d', 1, 2), struct.pack('!8 b x "
	    "h', 1, 2), struct.pack('!8 b h b l', 1, 2, 3, 4), struct.pack('!1 b d', 1, 2)",
	    "true x01000000000000000000000000000040 x01000000000000000040 x01000200 "
	    "x01000200030000000400000000000000 x010000000000000040" },
	{ "return struct.pack('!16 b i16', 1, 2), struct.pack('!32 b i32', 1, 2), "
	    "struct.pack('!64 b i32', 1, 2), struct.pack('!4 b c3 h', 1, 'abc', 2), "
	    "struct.pack('!4 b s h', 1, 'ab', 2)",
	    "true x0100000000000000000000000000000002000000000000000000000000000000 "
	    "x01000000000000000000000000000000000000000000000000000000000000000200000000000000000"
	    "000000000000000000000000000000000000000000000 "
	    "x01000000000000000000000000000000000000000000000000000000000000000200000000000000000"
	    "000000000000000000000000000000000000000000000 x016162630200 x016162000200" },
	{ "return struct.pack('!4 b f', 1, 1), struct.pack('!8 b T', 1, 1), struct.pack('!8 h "
	    "i5', 1, 2), struct.pack('!8 bb i6', 1, 2, 3), struct.pack('!2 b !8 d', 1, 2), "
	    "struct.pack('!1073741824 b d', 1, 2)",
	    "true x010000000000803f x01000000000000000100000000000000 x0100000000000200000000 "
	    "x010200000000030000000000 x01000000000000000000000000000040 "
	    "x01000000000000000000000000000040" },
	/* pack: errors. */
	{ "return struct.pack('i33', 1)",
	    "false \"user_script:1: integral size 33 is larger than limit of 32\"" },
	{ "return struct.pack('I99', 1)",
	    "false \"user_script:1: integral size 99 is larger than limit of 32\"" },
	{ "return struct.pack('i99999999999', 1)",
	    "false \"user_script:1: integral size overflow\"" },
	{ "return struct.pack('c2147483648', 'x')",
	    "false \"user_script:1: integral size overflow\"" },
	{ "return struct.pack('c2147483647', 'x')",
	    "false \"user_script:1: bad argument #3 to 'pack' (string too short)\"" },
	{ "return struct.pack('z', 1)",
	    "false \"user_script:1: bad argument #1 to 'pack' (invalid format option 'z')\"" },
	{ "return struct.pack('b5', 1)",
	    "false \"user_script:1: bad argument #1 to 'pack' (invalid format option '5')\"" },
	{ "return struct.pack('b\\255', 1)",
	    "false x757365725f7363726970743a313a2062616420617267756d656e7420233120746f20277061636"
	    "b272028696e76616c696420666f726d6174206f7074696f6e2027ff2729" },
	{ "return struct.pack('#')",
	    "false \"user_script:1: bad argument #1 to 'pack' (invalid format option '#')\"" },
	{ "return struct.pack('!3', 1)",
	    "false \"user_script:1: alignment 3 is not a power of 2\"" },
	{ "return struct.pack('!0')",
	    "false \"user_script:1: alignment 0 is not a power of 2\"" },
	{ "return struct.pack('!2147483647')",
	    "false \"user_script:1: alignment 2147483647 is not a power of 2\"" },
	{ "return struct.pack('!2147483648')",
	    "false \"user_script:1: integral size overflow\"" },
	{ "return struct.pack('c5', 'ab')",
	    "false \"user_script:1: bad argument #3 to 'pack' (string too short)\"" },
	{ "return struct.pack('bc5', 1, 'ab')",
	    "false \"user_script:1: bad argument #4 to 'pack' (string too short)\"" },
	{ "return struct.pack('b', 'x')",
	    "false \"user_script:1: bad argument #2 to 'pack' (number expected, got string)\"" },
	{ "return struct.pack('b')",
	    "false \"user_script:1: bad argument #2 to 'pack' (number expected, got nil)\"" },
	{ "return struct.pack('bb', 1)",
	    "false \"user_script:1: bad argument #3 to 'pack' (number expected, got nil)\"" },
	{ "return struct.pack('bbb', 1)",
	    "false \"user_script:1: bad argument #3 to 'pack' (number expected, got nil)\"" },
	{ "return struct.pack('s', {})",
	    "false \"user_script:1: bad argument #2 to 'pack' (string expected, got table)\"" },
	{ "return struct.pack('c0', nil)",
	    "false \"user_script:1: bad argument #2 to 'pack' (string expected, got nil)\"" },
	{ "return struct.pack('d', true)",
	    "false \"user_script:1: bad argument #2 to 'pack' (number expected, got boolean)\"" },
	{ "return struct.pack('f', 'x')",
	    "false \"user_script:1: bad argument #2 to 'pack' (number expected, got string)\"" },
	{ "return struct.pack()",
	    "false \"user_script:1: bad argument #1 to 'pack' (string expected, got no value)\"" },
	{ "return struct.pack(nil, 1)",
	    "false \"user_script:1: bad argument #1 to 'pack' (string expected, got nil)\"" },
	{ "return struct.pack({}, 1)",
	    "false \"user_script:1: bad argument #1 to 'pack' (string expected, got table)\"" },
	{ "return struct.pack(123)",
	    "false \"user_script:1: bad argument #1 to 'pack' (invalid format option '1')\"" },
	{ "return struct.pack('b z', 1)",
	    "false \"user_script:1: bad argument #1 to 'pack' (invalid format option 'z')\"" },
	/* pack: long outputs (buffer flushes). */
	{ "local t = {} for i = 1, 7000 do t[i] = i end local s = struct.pack(string.rep('b', "
	    "7000), unpack(t)) local h = 0 for i = 1, #s do h = (h * 31 + s:byte(i)) % 1000000007 "
	    "end return #s, h",
	    "true 7000 963684392" },
	{ "local t = {} for i = 1, 3000 do t[i] = i * 1.5 end local s = struct.pack('!8' .. "
	    "string.rep('bd', 1500), unpack(t)) local h = 0 for i = 1, #s do h = (h * 31 + "
	    "s:byte(i)) % 1000000007 end return #s, h",
	    "true 24000 497022765" },
	{ "local s = struct.pack('c0 s c9000', string.rep('a', 100000), string.rep('b', 20000), "
	    "string.rep('c', 9001)) return #s, s:sub(99999, 100002), s:sub(-3)",
	    "true 129001 \"aabb\" \"ccc\"" },
};

static const struct lua_case unpack_cases[] = {
	/* unpack: integers. */
	{ "return struct.unpack('<b', '\\255'), struct.unpack('B', '\\255'), "
	    "struct.unpack('<h', '\\255\\127'), struct.unpack('<H', '\\255\\255'), "
	    "struct.unpack('>h', '\\128\\0')",
	    "true -1 255 32767 65535 -32768 3" },
	{ "return struct.unpack('<l', '\\1\\0\\0\\0\\0\\0\\0\\0'), struct.unpack('>l', "
	    "'\\128\\0\\0\\0\\0\\0\\0\\0'), struct.unpack('>L', '\\128\\0\\0\\0\\0\\0\\0\\0x'), "
	    "struct.unpack('<I8', '\\255\\255\\255\\255\\255\\255\\255\\255'), "
	    "struct.unpack('<i8', '\\255\\255\\255\\255\\255\\255\\255\\255')",
	    "true 1 -9.2233720368547758e+18 9.2233720368547758e+18 1.8446744073709552e+19 -1 9" },
	{ "return struct.unpack('<T', '\\1\\2\\3\\4\\5\\6\\7\\8'), struct.unpack('>T', "
	    "'\\1\\2\\3\\4\\5\\6\\7\\8'), struct.unpack('i', '\\1\\0\\0\\0'), struct.unpack('>I', "
	    "'\\255\\0\\0\\1'), struct.unpack('>i3', '\\255\\255\\254'), struct.unpack('<I3', "
	    "'\\1\\2\\3')",
	    "true 5.784376957523072e+17 72623859790382848 1 4278190081 -2 197121 4" },
	{ "return struct.unpack('<i9', string.rep('\\255', 9)), struct.unpack('<i9', "
	    "'\\0\\0\\0\\0\\0\\0\\0\\128\\0'), struct.unpack('<i9', "
	    "'\\0\\0\\0\\0\\0\\0\\0\\0\\128'), struct.unpack('<i9', "
	    "'\\1\\0\\0\\0\\0\\0\\0\\0\\255'), struct.unpack('<I9', "
	    "'\\1\\0\\0\\0\\0\\0\\0\\0\\255')",
	    "true -1 -128 0 1 1 10" },
	{ "return struct.unpack('<i16', string.rep('\\255', 8) .. string.rep('\\0', 8)), "
	    "struct.unpack('<i16', string.rep('\\0', 8) .. string.rep('\\255', 8)), "
	    "struct.unpack('<i16', string.rep('\\0', 15) .. '\\128')",
	    "true -1 0 0 17" },
	{ "return struct.unpack('<i12', string.rep('\\0', 11) .. '\\1'), struct.unpack('<i12', "
	    "string.rep('\\0', 7) .. '\\128' .. string.rep('\\0', 4)), struct.unpack('>i12', "
	    "string.rep('\\0', 4) .. '\\128' .. string.rep('\\0', 7)), struct.unpack('<i10', "
	    "string.rep('\\0', 9) .. '\\64')",
	    "true 0 -2147483648 -2147483648 0 11" },
	{ "return struct.unpack('<i0', ''), struct.unpack('<I0', 'abc'), struct.unpack('<i32', "
	    "string.rep('\\255', 32)), struct.unpack('<i31', string.rep('\\255', 31)), "
	    "struct.unpack('>i31', '\\64' .. string.rep('\\0', 30)), struct.unpack('>i9', "
	    "'\\0\\255\\255\\255\\255\\255\\255\\255\\128')",
	    "true 0 0 -1 -1 0 -128 10" },
	{ "return struct.unpack('<I7', '\\255\\255\\255\\255\\255\\255\\255'), "
	    "struct.unpack('<i7', '\\255\\255\\255\\255\\255\\255\\255'), struct.unpack('>i5', "
	    "'\\128\\0\\0\\0\\0'), struct.unpack('<i6', '\\0\\0\\0\\0\\0\\128'), "
	    "struct.unpack('>I9', '\\255\\0\\0\\0\\0\\0\\0\\0\\1')",
	    "true 72057594037927936 -1 -549755813888 -140737488355328 1 10" },
	/* unpack: floats. */
	{ "return struct.unpack('<f', '\\0\\0\\192\\255'), struct.unpack('>f', "
	    "'\\63\\192\\0\\0'), struct.unpack('<f', '\\205\\204\\204\\61'), struct.unpack('>d', "
	    "'\\63\\248\\0\\0\\0\\0\\0\\0'), struct.unpack('<d', '\\0\\0\\0\\0\\0\\0\\240\\127'), "
	    "struct.unpack('<d', '\\1\\0\\0\\0\\0\\0\\0\\0')",
	    "true -nan 1.5 0.10000000149011612 1.5 inf 4.9406564584124654e-324 9" },
	{ "return struct.unpack('f', string.rep('\\255', 4)), struct.unpack('>d', "
	    "'\\128\\0\\0\\0\\0\\0\\0\\0'), struct.unpack('<f', '\\0\\0\\128\\127'), "
	    "struct.unpack('<f', '\\1\\0\\0\\0')",
	    "true -nan -0 inf 1.4012984643248171e-45 5" },
	/* unpack: strings and c0. */
	{ "return struct.unpack('bc0', '\\2abc'), struct.unpack('c1c0', '2abc'), "
	    "struct.unpack('c5c0', '1e300'), struct.unpack('c3c0', 'infabc'), "
	    "struct.unpack('c4c0', '-0.5abc')",
	    "true \"ab\" \"ab\" \"\" \"\" \"\" 5" },
	{ "return struct.unpack('c4c0', '2e19abc'), struct.unpack('c3c0', ' 2 abc'), "
	    "struct.unpack('bxc0', '\\2abc'), struct.unpack('b<c0', '\\2abc'), "
	    "struct.unpack('bbc0', '\\2\\1abc'), struct.unpack('bc0', '\\0abc')",
	    "true \"\" \"ab\" \"bc\" \"ab\" 2 \"\" 2" },
	{ "return struct.unpack('c2c0', '-1abc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('c4c0', '1e19abc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('c3c0', 'nanabc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('c5c0', '0x02abc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('c0', 'abc')",
	    "false \"user_script:1: format 'c0' needs a previous size\"" },
	{ "return struct.unpack('xc0', 'abc')",
	    "false \"user_script:1: format 'c0' needs a previous size\"" },
	{ "return struct.unpack('bc0', '\\5abc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('bc0c0', '\\1\\1abc')",
	    "false \"user_script:1: format 'c0' needs a previous size\"" },
	{ "return struct.unpack('c3', 'abc'), struct.unpack('c', 'abc'), struct.unpack('c2', "
	    "'abc', 2), struct.unpack('c0c', '', 1), struct.unpack('c2147483647', 'ab', 3)",
	    "false \"user_script:1: format 'c0' needs a previous size\"" },
	{ "return struct.unpack('c2147483647', 'abc')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('ss', 'ab\\0cd\\0e'), struct.unpack('s', 'ab\\0'), "
	    "struct.unpack('s', '\\0'), struct.unpack('bs', '\\1\\0')",
	    "true \"ab\" \"ab\" \"\" 1 \"\" 3" },
	{ "return struct.unpack('s', 'abc')",
	    "false \"user_script:1: unfinished string in data\"" },
	{ "return struct.unpack('bs', 'x')",
	    "false \"user_script:1: unfinished string in data\"" },
	{ "return struct.unpack('s', '')",
	    "false \"user_script:1: unfinished string in data\"" },
	/* unpack: offsets. */
	{ "return struct.unpack('c2', 'abc', 2), struct.unpack('c2', 'abc', 1.9), "
	    "struct.unpack('c2', 'abc', '2'), struct.unpack('c2', 'abc', nil), struct.unpack('b', "
	    "'abc', 3)",
	    "true \"bc\" \"ab\" \"bc\" \"ab\" 99 4" },
	{ "return struct.unpack('', ''), struct.unpack('', 'abc', -5), struct.unpack('', 'abc', "
	    "0/0), struct.unpack('', '', 1e300), struct.unpack('', '', -1e300), struct.unpack('', "
	    "'abc', 100)",
	    "true 1 -5 -9.2233720368547758e+18 -9.2233720368547758e+18 -9.2233720368547758e+18 "
	    "100" },
	{ "return struct.unpack('', '', 2^63), struct.unpack('', '', 2^53), struct.unpack('', "
	    "'', -2^63), struct.unpack(' ', 'abc', 4), struct.unpack('', 'x', 0.99 + 1)",
	    "true -9.2233720368547758e+18 9007199254740992 -9.2233720368547758e+18 4 1" },
	{ "return struct.unpack('!8 d', string.rep('\\0', 8), -1)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('!4 i', 'ab\\0\\0\\1\\0\\0\\0', -1)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('!4 b i', 'a\\0\\0\\0\\1\\0\\0\\0'), struct.unpack('!4 b i', "
	    "'ab\\0\\0\\0\\1\\0\\0\\0', 2), struct.unpack('!4 i', 'ab\\0\\0\\1\\0\\0\\0', 2)",
	    "true 97 98 1 9" },
	{ "return struct.unpack('c2', 'abc', 3)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('c2', 'abc', 0)",
	    "false \"user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)\"" },
	{ "return struct.unpack('c2', 'abc', 0.5)",
	    "false \"user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)\"" },
	{ "return struct.unpack('c2', 'abc', -0.5)",
	    "false \"user_script:1: bad argument #3 to 'unpack' (offset must be 1 or greater)\"" },
	{ "return struct.unpack('c2', 'abc', 'x')",
	    "false \"user_script:1: bad argument #3 to 'unpack' (number expected, got string)\"" },
	{ "return struct.unpack('c2', 'abc', {})",
	    "false \"user_script:1: bad argument #3 to 'unpack' (number expected, got table)\"" },
	{ "return struct.unpack('c2', 'abc', 3, 'extra')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('x', 'abc', 2^63)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('b', 'a', 2^64)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('b', 'a', -2^63)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('b', 'a', 2^53)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('b', 'a', -1)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('<', 'abc', 10)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('<', 'abc', 4)",
	    "true 4" },
	{ "return struct.unpack('z', 'abc', 10)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	/* unpack: errors. */
	{ "return struct.unpack('z', 'abc')",
	    "false \"user_script:1: bad argument #1 to 'unpack' (invalid format option 'z')\"" },
	{ "return struct.unpack('b\\255', 'abc')",
	    "false x757365725f7363726970743a313a2062616420617267756d656e7420233120746f2027756e706"
	    "1636b272028696e76616c696420666f726d6174206f7074696f6e2027ff2729" },
	{ "return struct.unpack('b9', 'abc')",
	    "false \"user_script:1: bad argument #1 to 'unpack' (invalid format option '9')\"" },
	{ "return struct.unpack('bb', 'x')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('d', 123)",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('i', '\\1\\2\\3')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('!4 bi', '\\1\\2\\3\\4\\5\\6\\7')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (data string too short)\"" },
	{ "return struct.unpack('b')",
	    "false \"user_script:1: bad argument #2 to 'unpack' (string expected, got no value)\"" },
	{ "return struct.unpack(nil, 'a')",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got nil)\"" },
	{ "return struct.unpack('b', {})",
	    "false \"user_script:1: bad argument #2 to 'unpack' (string expected, got table)\"" },
	{ "return struct.unpack(123, '\\1\\2\\3')",
	    "false \"user_script:1: bad argument #1 to 'unpack' (invalid format option '1')\"" },
	{ "return struct.unpack()",
	    "false \"user_script:1: bad argument #1 to 'unpack' (string expected, got no value)\"" },
	{ "return struct.unpack('i33', string.rep('a', 64))",
	    "false \"user_script:1: integral size 33 is larger than limit of 32\"" },
	{ "return struct.unpack('!6', 'a')",
	    "false \"user_script:1: alignment 6 is not a power of 2\"" },
	{ "return struct.unpack('c99999999999', 'a')",
	    "false \"user_script:1: integral size overflow\"" },
	{ "return struct.unpack('b\\0z', '\\7')",
	    "true 7 2" },
	/* unpack: the result-count limit of the Lua stack. */
	{ "return #{struct.unpack(string.rep('b', 7997), string.rep('a', 7997))}",
	    "true 7998" },
	{ "return #{struct.unpack(string.rep('b', 7998), string.rep('a', 7998))}",
	    "false \"user_script:1: stack overflow (too many results)\"" },
	{ "return #{struct.unpack(string.rep('b', 7996), string.rep('a', 7997), 1)}",
	    "true 7997" },
	{ "return #{struct.unpack(string.rep('b', 7997), string.rep('a', 7997), 1)}",
	    "false \"user_script:1: stack overflow (too many results)\"" },
	{ "return #{struct.unpack(string.rep('b', 7995), string.rep('a', 7997), 1, 2)}",
	    "true 7996" },
	{ "return #{struct.unpack(string.rep('b', 7996), string.rep('a', 7997), 1, 2)}",
	    "false \"user_script:1: stack overflow (too many results)\"" },
	{ "return #{struct.unpack(string.rep('x', 100000) .. 'b', string.rep('a', 100001))}",
	    "true 2" },
	{ "return struct.unpack('b', 'a', 1, unpack({}, 1, 7995))",
	    "true 97 2" },
	{ "return struct.unpack('b', 'a', 1, unpack({}, 1, 7996))",
	    "false \"user_script:1: stack overflow (too many results)\"" },
	{ "return #{struct.unpack(string.rep('c0', 5000), '')}",
	    "false \"user_script:1: format 'c0' needs a previous size\"" },
	{ "local t = {struct.unpack('b' .. string.rep('c0b', 3000), string.rep('\\0', 3001))} "
	    "return #t, t[1], t[2], t[#t]",
	    "true 3002 \"\" \"\" 3002" },
	/* round trips. */
	{ "local s = struct.pack('>!4 b h i l d f s c3 B', -1, 300, 70000, -2^40, 1.25, 0.5, "
	    "'str', 'xyz', 200) return #s, struct.unpack('>!4 b h i l d f s c3 B', s)",
	    "true 36 -1 300 70000 -1099511627776 1.25 0.5 \"str\" \"xyz\" 200 37" },
	{ "local s = struct.pack('<i3 I5 bc0', -5, 2^39, 5, 'hello') return #s, "
	    "struct.unpack('<i3 I5 bc0', s)",
	    "true 14 -5 549755813888 \"hello\" 15" },
	{ "local v = {} for i = 1, 32 do v[i] = struct.unpack('<i' .. i, struct.pack('<i' .. i, "
	    "-12345)) end return unpack(v)",
	    "true -57 -12345 -12345 -12345 -12345 -12345 -12345 -12345 -57 -12345 -12345 -12345 "
	    "-12345 -12345 -12345 -12345 -57 -12345 -12345 -12345 -12345 -12345 -12345 -12345 -57 "
	    "-12345 -12345 -12345 -12345 -12345 -12345 -12345" },
	{ "local v = {} for i = 1, 32 do v[i] = struct.unpack('>I' .. i, struct.pack('>I' .. i, "
	    "2^53 - 1)) end return unpack(v)",
	    "true 255 65535 16777215 4294967295 1099511627775 281474976710655 9007199254740991 "
	    "9007199254740991 9007199254740991 9007199254740991 9007199254740991 9007199254740991 "
	    "9007199254740991 9007199254740991 9007199254740991 9007199254740991 9007199254740991 "
	    "9007199254740991 9007199254740991 9007199254740991 9007199254740991 9007199254740991 "
	    "9007199254740991 9007199254740991 9007199254740991 9007199254740991 9007199254740991 "
	    "9007199254740991 9007199254740991 9007199254740991 9007199254740991 9007199254740991" },
};

static const struct lua_case size_cases[] = {
	/* size. */
	{ "return struct.size('b'), struct.size('B'), struct.size('h'), struct.size('H'), "
	    "struct.size('l'), struct.size('L'), struct.size('T'), struct.size('i'), "
	    "struct.size('I'), struct.size('f'), struct.size('d'), struct.size('x')",
	    "true 1 1 2 2 8 8 8 4 4 4 8 1" },
	{ "return struct.size('c'), struct.size('c7'), struct.size('i3'), struct.size('i32'), "
	    "struct.size('i0'), struct.size(''), struct.size(' '), struct.size('<>'), "
	    "struct.size('c2147483647')",
	    "true 1 7 3 32 0 0 0 0 2147483647" },
	{ "return struct.size('!4 b i'), struct.size('! b d'), struct.size('!2 b d'), "
	    "struct.size('b x h'), struct.size('!4 b i3 b i3'), struct.size('!8 bb i6'), "
	    "struct.size('!4 b c3 h')",
	    "true 8 16 10 4 10 12 6" },
	{ "return struct.size('z'), struct.size('5'), struct.size('bz'), struct.size('A'), "
	    "struct.size('!4 b z i'), struct.size(12), struct.size('b\\0b'), struct.size('!8 b "
	    "i16')",
	    "true 0 0 1 0 8 0 1 24" },
	{ "return struct.size(string.rep('c2147483647', 100)), struct.size(string.rep('!8 b d', "
	    "1000))",
	    "true 214748364700 16000" },
	{ "return struct.size('#')",
	    "false \"user_script:1: bad argument #1 to 'size' (invalid format option '#')\"" },
	{ "return struct.size('\\255')",
	    "false x757365725f7363726970743a313a2062616420617267756d656e7420233120746f202773697a6"
	    "5272028696e76616c696420666f726d6174206f7074696f6e2027ff2729" },
	{ "return struct.size('b s')",
	    "false \"user_script:1: bad argument #1 to 'size' (option 's' has no fixed size)\"" },
	{ "return struct.size('c0')",
	    "false \"user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)\"" },
	{ "return struct.size('bc00')",
	    "false \"user_script:1: bad argument #1 to 'size' (option 'c0' has no fixed size)\"" },
	{ "return struct.size('!3')",
	    "false \"user_script:1: alignment 3 is not a power of 2\"" },
	{ "return struct.size('i33')",
	    "false \"user_script:1: integral size 33 is larger than limit of 32\"" },
	{ "return struct.size('c99999999999')",
	    "false \"user_script:1: integral size overflow\"" },
	{ "return struct.size()",
	    "false \"user_script:1: bad argument #1 to 'size' (string expected, got no value)\"" },
	{ "return struct.size({})",
	    "false \"user_script:1: bad argument #1 to 'size' (string expected, got table)\"" },
	{ "return struct.size('!')",
	    "true 0" },
};

static const struct lua_case library_cases[] = {
	/* the library table itself and the names Lua reports in errors. */
	{ "local t = {} for k, v in pairs(struct) do t[#t + 1] = k .. ':' .. type(v) end "
	    "table.sort(t) return table.concat(t, ' ')",
	    "true \"pack:function size:function unpack:function\"" },
	{ "local f = struct.size return f('#')",
	    "false \"user_script:1: bad argument #1 to 'f' (invalid format option '#')\"" },
	{ "return pcall(struct.pack, 'z')",
	    "true false \"bad argument #1 to '?' (invalid format option 'z')\"" },
	{ "return struct:size()",
	    "false \"user_script:1: calling 'size' on bad self (string expected, got table)\"" },
	{ "return select('#', struct.unpack('bxb', '\\1\\2\\3')), select('#', struct.pack('bb', "
	    "1, 2, 3))",
	    "true 3 1" },
};

START_TEST(pack_case)
{
	run_case(&pack_cases[_i], _i);
}
END_TEST

START_TEST(unpack_case)
{
	run_case(&unpack_cases[_i], _i);
}
END_TEST

START_TEST(size_case)
{
	run_case(&size_cases[_i], _i);
}
END_TEST

START_TEST(library_case)
{
	run_case(&library_cases[_i], _i);
}
END_TEST

/* script_open_struct leaves exactly its table on the stack, as the global and _LOADED.struct. */
START_TEST(open_leaves_table)
{
	lua_State *L = luaL_newstate();

	lua_pushinteger(L, 42);
	ck_assert_int_eq(script_open_struct(L), 1);
	ck_assert_int_eq(lua_gettop(L), 2);
	ck_assert_int_eq(lua_type(L, -1), LUA_TTABLE);
	lua_getglobal(L, "struct");
	ck_assert(lua_rawequal(L, -1, -2));
	lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
	lua_getfield(L, -1, "struct");
	ck_assert(lua_rawequal(L, -1, -3));
	lua_settop(L, 2);
	lua_getfield(L, -1, "unpack");
	ck_assert_int_eq(lua_type(L, -1), LUA_TFUNCTION);
	ck_assert_int_eq((int)lua_tointeger(L, 1), 42);
	lua_close(L);
}
END_TEST

/* ---------------------------------------------------------------------------------------- */
/* Random input. */

static uint64_t rng_state = UINT64_C(0x2545f4914f6cdd1d);

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t
rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

/* Pushes struct.<name> (and the table below it). */
static void
push_func(lua_State *L, const char *name)
{
	lua_getglobal(L, "struct");
	lua_getfield(L, -1, name);
}

/* Fails unless the error at the top of the stack is one the library raises. */
static void
check_error(lua_State *L, int rc)
{
	static const char *const known[] = { "bad argument #", "integral size ",
	    "alignment ", "format 'c0' needs a previous size", "unfinished string in data",
	    "stack overflow (too many results)", "calling '" };
	const char *msg = lua_tostring(L, -1);

	ck_assert_int_eq(rc, LUA_ERRRUN);
	ck_assert_ptr_nonnull(msg);
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strncmp(msg, known[i], strlen(known[i])) == 0)
			return;
	ck_abort_msg("unexpected error: %s", msg);
}

/*
 * Pushes a random format: options, counts, control bytes, bytes that are no option, and NUL
 * (the last piece, one byte long), after which the library must ignore the rest.
 */
static void
push_random_format(lua_State *L)
{
	static const char *const pieces[] = { "b", "B", "h", "H", "l", "L", "T", "i", "I", "f",
	    "d", "x", "c", "s", " ", "<", ">", "!", "i3", "I5", "i9", "I16", "i32", "i33", "c0",
	    "c2", "c9", "!2", "!4", "!8", "!3", "z", "9", "\377", "#", "c2147483647",
	    "i99999999999", "\0" };
	luaL_Buffer b;
	size_t n = rng_below(10);

	luaL_buffinit(L, &b);
	for (size_t i = 0; i < n; i++) {
		size_t k = rng_below(sizeof pieces / sizeof pieces[0]);

		luaL_addlstring(&b, pieces[k], k == sizeof pieces / sizeof pieces[0] - 1 ? 1 :
		    strlen(pieces[k]));
	}
	luaL_pushresult(&b);
}

/* Pushes random bytes, mostly NULs, small numbers and digits (c0 counts read as text). */
static void
push_random_data(lua_State *L)
{
	static const unsigned char bytes[] = { 0, 0, 0, 1, 2, 3, 7, '1', '2', '9', '-', 'e',
	    127, 128, 255 };
	char data[48];
	size_t n = rng_below(sizeof data + 1);

	for (size_t i = 0; i < n; i++)
		data[i] = (char)bytes[rng_below(sizeof bytes)];
	lua_pushlstring(L, data, n);
}

/* Pushes a random argument of any type, numbers out of every range included. */
static void
push_random_value(lua_State *L)
{
	static const double nums[] = { 0.0, -0.0, 1.0, -1.0, 2.5, 255.0, -129.0, 65536.0,
	    4294967296.0, 9007199254740993.0, 9223372036854775808.0, 18446744073709551616.0,
	    -9223372036854775808.0, -1e300, 1e300, INFINITY, -INFINITY, NAN, 3.5e38, 1e-320 };

	switch (rng_below(8)) {
	case 0:
		lua_pushnil(L);
		break;
	case 1:
		lua_newtable(L);
		break;
	case 2:
		push_random_data(L);
		break;
	case 3:
		lua_pushstring(L, rng_below(2) ? "12" : "0x10");
		break;
	default:
		lua_pushnumber(L, nums[rng_below(sizeof nums / sizeof nums[0])]);
	}
}

START_TEST(random_calls)
{
	static const double offsets[] = { 1.0, 2.0, 3.0, 9.0, 40.0, 0.0, -1.0, 0.5, 1.5,
	    9223372036854775808.0, -9223372036854775808.0, NAN, INFINITY };
	lua_State *L = state_new();

	for (int iter = 0; iter < 30000; iter++) {
		int base = lua_gettop(L), rc, argc;

		switch (rng_below(3)) {
		case 0:
			push_func(L, "unpack");
			push_random_format(L);
			push_random_data(L);
			argc = 2;
			if (rng_below(3) == 0) {
				lua_pushnumber(L, offsets[rng_below(sizeof offsets /
				    sizeof offsets[0])]);
				argc++;
			}
			break;
		case 1:
			push_func(L, "pack");
			push_random_format(L);
			argc = 1 + (int)rng_below(7);
			for (int i = 1; i < argc; i++)
				push_random_value(L);
			break;
		default:
			push_func(L, "size");
			push_random_format(L);
			argc = 1;
		}
		rc = lua_pcall(L, argc, LUA_MULTRET, 0);
		if (rc != 0)
			check_error(L, rc);
		lua_settop(L, base);
	}
	lua_close(L);
}
END_TEST

/* An option of a round-trip format and the range of values that survive it exactly. */
struct rt_opt {
	const char *opt;
	char kind;		/* 'i' integer, 'f' float, 'd' double, 'c' 3-byte string, 0 none */
	double lo, hi;		/* integer range */
};

static const struct rt_opt rt_opts[] = {
	{ "b", 'i', -128, 127 },
	{ "B", 'i', 0, 255 },
	{ "h", 'i', -32768, 32767 },
	{ "H", 'i', 0, 65535 },
	{ "i", 'i', -2147483648.0, 2147483647.0 },
	{ "I", 'i', 0, 4294967295.0 },
	{ "i3", 'i', -8388608, 8388607 },
	{ "I5", 'i', 0, 1099511627775.0 },
	{ "l", 'i', -9007199254740992.0, 9007199254740992.0 },
	{ "L", 'i', 0, 9007199254740992.0 },
	{ "T", 'i', 0, 9007199254740992.0 },
	/* Past 8 bytes the sign bit read back is bit (8n - 1) mod 64: bit 7 for i9. */
	{ "i9", 'i', -128, 127 },
	{ "i16", 'i', -9007199254740992.0, 9007199254740992.0 },
	{ "I16", 'i', 0, 9007199254740992.0 },
	{ "f", 'f', 0, 0 },
	{ "d", 'd', 0, 0 },
	{ "c3", 'c', 0, 0 },
	{ "x", 0, 0, 0 },
	{ " ", 0, 0, 0 },
	{ "<", 0, 0, 0 },
	{ ">", 0, 0, 0 },
	{ "!2", 0, 0, 0 },
	{ "!4", 0, 0, 0 },
	{ "!", 0, 0, 0 },
};

/* Pushes a random value option o packs and unpacks unchanged; returns 0 if o takes none. */
static int
push_rt_value(lua_State *L, const struct rt_opt *o)
{
	char s[3];

	switch (o->kind) {
	case 'i':
		lua_pushnumber(L, o->lo + (double)(rng_next() % ((uint64_t)(o->hi - o->lo) + 1)));
		return 1;
	case 'f':
		lua_pushnumber(L, (double)((int)rng_below(8193) - 4096) / 4.0);
		return 1;
	case 'd':
		lua_pushnumber(L, ldexp((double)(int64_t)(rng_next() >> 11) *
		    (rng_below(2) ? 1 : -1), (int)rng_below(600) - 300));
		return 1;
	case 'c':
		for (size_t i = 0; i < sizeof s; i++)
			s[i] = (char)rng_next();
		lua_pushlstring(L, s, sizeof s);
		return 1;
	default:
		return 0;
	}
}

/* Returns the number at index idx, failing if it is not one. */
static double
number_at(lua_State *L, int idx)
{
	ck_assert_int_eq(lua_type(L, idx), LUA_TNUMBER);
	return lua_tonumber(L, idx);
}

START_TEST(roundtrip)
{
	lua_State *L = state_new();

	for (int iter = 0; iter < 2000; iter++) {
		char fmt[160];
		size_t flen = 0, plen;
		int nopts = 1 + (int)rng_below(10), nvals = 0, packed, base;
		const char *p;

		/* Stack: the values at 1..nvals, then the library table and the packed string. */
		lua_settop(L, 0);
		for (int i = 0; i < nopts; i++) {
			const struct rt_opt *o = &rt_opts[rng_below(sizeof rt_opts /
			    sizeof rt_opts[0])];

			memcpy(fmt + flen, o->opt, strlen(o->opt));
			flen += strlen(o->opt);
			nvals += push_rt_value(L, o);
		}
		fmt[flen] = '\0';
		push_func(L, "pack");
		lua_pushstring(L, fmt);
		for (int i = 1; i <= nvals; i++)
			lua_pushvalue(L, i);
		if (lua_pcall(L, nvals + 1, 1, 0) != 0)
			ck_abort_msg("pack '%s': %s", fmt, lua_tostring(L, -1));
		packed = lua_gettop(L);
		p = lua_tolstring(L, packed, &plen);

		push_func(L, "size");
		lua_pushstring(L, fmt);
		ck_assert_int_eq(lua_pcall(L, 1, 1, 0), 0);
		ck_assert_msg(number_at(L, -1) == (double)plen, "size '%s'", fmt);
		lua_settop(L, packed);

		/* Whole, then shifted by 8 bytes (alignment is at most 8) with bytes after it. */
		for (int shifted = 0; shifted < 2; shifted++) {
			base = lua_gettop(L);
			push_func(L, "unpack");
			lua_pushstring(L, fmt);
			if (shifted) {
				lua_pushliteral(L, "12345678");
				lua_pushvalue(L, packed);
				lua_pushliteral(L, "tail");
				lua_concat(L, 3);
				lua_pushnumber(L, 9);
			} else
				lua_pushvalue(L, packed);
			if (lua_pcall(L, shifted ? 3 : 2, LUA_MULTRET, 0) != 0)
				ck_abort_msg("unpack '%s': %s", fmt, lua_tostring(L, -1));
			ck_assert_int_eq(lua_gettop(L) - base - 1, nvals + 1);
			for (int i = 1; i <= nvals; i++)
				ck_assert_msg(lua_rawequal(L, i, base + 1 + i),
				    "unpack '%s': value %d", fmt, i);
			ck_assert(number_at(L, -1) == (double)plen + (shifted ? 9 : 1));
			lua_settop(L, packed);
		}

		/* Every shorter prefix is refused. */
		for (size_t k = 0; k < plen; k++) {
			push_func(L, "unpack");
			lua_pushstring(L, fmt);
			lua_pushlstring(L, p, k);
			ck_assert_int_eq(lua_pcall(L, 2, LUA_MULTRET, 0), LUA_ERRRUN);
			ck_assert_msg(strstr(lua_tostring(L, -1), "(data string too short)") != NULL,
			    "unpack '%s' of %zu bytes: %s", fmt, k, lua_tostring(L, -1));
			lua_settop(L, packed);
		}
	}
	lua_close(L);
}
END_TEST

static Suite *
lua_struct_suite(void)
{
	Suite *s = suite_create("lua_struct");
	TCase *tc;

	tc = tcase_create("pack");
	tcase_add_loop_test(tc, pack_case, 0, (int)(sizeof pack_cases / sizeof pack_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("unpack");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, unpack_case, 0,
	    (int)(sizeof unpack_cases / sizeof unpack_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("size");
	tcase_add_loop_test(tc, size_case, 0, (int)(sizeof size_cases / sizeof size_cases[0]));
	suite_add_tcase(s, tc);

	tc = tcase_create("library");
	tcase_add_loop_test(tc, library_case, 0,
	    (int)(sizeof library_cases / sizeof library_cases[0]));
	tcase_add_test(tc, open_leaves_table);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, random_calls);
	tcase_add_test(tc, roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(lua_struct_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
