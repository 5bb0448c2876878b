"""script_cases_struct: EVAL scripts exercising the Lua "struct" library (lua/lib_struct.c).

CASES is a list of (script, keys, args). The scripting differential test sends each as
EVAL script numkeys keys... args... to redis-server 7.0.15 and to replicant and requires the raw
replies to be byte-identical, error replies included (their text carries the script's SHA1, so
the scripts must stay as written). Every case was run against redis-server 7.0.15 (Debian
7.0.15-1~deb12u10), which answered each one and kept running.

The scripts only compute: no redis.call, no writes, no randomness. struct.pack results come
back as binary bulk strings; unpacked numbers are mostly returned through tostring() or
string.format('%.17g'), since a Lua number reaches the client truncated to an integer. A few
cases return such numbers directly on purpose: 1.5 (truncated to 1), 2^64 (out of the integer
range: Redis 7.0 casts it as x86-64 does, to -2^63), 2^63 - 2^11 (the largest double below
2^63), and the many values of an unpack (only the first is returned). One case iterates the
library table with pairs() unsorted: it relies on Debian's Lua 5.1.5 and Redis' embedded one
hashing strings the same way and on pack, unpack and size being registered in that order.
"""

CASES = [
    # pack: integers in both byte orders, odd sizes, and values out of range
    ("return struct.pack('<i', 1)", [], []),
    ("return {struct.pack('<b', -1), struct.pack('B', 255), struct.pack('b', 300), "
     "struct.pack('<h', 1), struct.pack('>h', 1), struct.pack('>H', 70000)}", [], []),
    ("return {struct.pack('<l', 1), struct.pack('>l', -2), struct.pack('<L', 2^53 + 1), "
     "struct.pack('>L', 2^63), struct.pack('<T', 5), struct.pack('>T', -1)}", [], []),
    ("return {struct.pack('<i3', -1), struct.pack('>i3', 0x123456), struct.pack('<i5', 2^33 + 1), "
     "struct.pack('<I16', -1), struct.pack('>i12', -1), struct.pack('<i32', 1), "
     "struct.pack('<i0', 5)}", [], []),
    ("return {struct.pack('<L', 2^64), struct.pack('<L', 1/0), struct.pack('<L', 0/0), "
     "struct.pack('<l', -1/0), struct.pack('<l', -2^64), struct.pack('<L', 2^63 + 4096), "
     "struct.pack('<L', -1.9), struct.pack('<i', 1e300), struct.pack('<b', 0/0)}", [], []),
    ("return struct.pack('>I2 <I2 I2', ARGV[1], ARGV[2], ARGV[3])", [], ["258", "258", "0x10"]),
    # pack: floats
    ("return {struct.pack('<f', 1.5), struct.pack('>f', 1.5), struct.pack('<f', 1e300), "
     "struct.pack('<f', 0/0), struct.pack('<f', -0.0), struct.pack('<f', 0.1), "
     "struct.pack('<f', 3.4028235677973366e38), struct.pack('<f', 3.4028235677973362e38)}", [], []),
    ("return {struct.pack('<d', -0.0), struct.pack('>d', 1.5), struct.pack('<d', 0/0), "
     "struct.pack('>d', -1/0), struct.pack('<d', 2^-1074), struct.pack('d', '2.5')}", [], []),
    # pack: strings, padding, spaces, alignment
    ("return {struct.pack('s', 'a\\0b'), struct.pack('s', ''), struct.pack('s', 12), "
     "struct.pack('c0', 'abc'), struct.pack('c2', 'abc'), struct.pack('c', 12), "
     "struct.pack('c1c2c3', 'a', 'bb', 'ccc')}", [], []),
    ("return struct.pack('c0 s', ARGV[1], ARGV[2])", [], [b"\x00\xff\r\n", b"z\x00z"]),
    ("return {struct.pack('x'), struct.pack('b x h', 1, 2), struct.pack('  b  ', 7), "
     "struct.pack(''), struct.pack('b\\0b', 1, 2), struct.pack('<>b', 1)}", [], []),
    ("return {struct.pack('!4 b i', 1, 2), struct.pack('!4 b i3', 1, 2), "
     "struct.pack('!4 bbb i3', 1, 2, 3, 4), struct.pack('! b d', 1, 2), "
     "struct.pack('!2 b d', 1, 2), struct.pack('!8 b h b l', 1, 2, 3, 4)}", [], []),
    ("return {struct.pack('!16 b i16', 1, 2), struct.pack('!4 b c3 h', 1, 'abc', 2), "
     "struct.pack('!4 b s h', 1, 'ab', 2), struct.pack('!8 h i5', 1, 2), "
     "struct.pack('!2 b !8 d', 1, 2), struct.pack('!1073741824 b d', 1, 2)}", [], []),
    ("local t = {} for i = 1, 3000 do t[i] = i * 1.5 end "
     "return struct.pack('!8' .. string.rep('bd', 1500), unpack(t))", [], []),
    ("local s = struct.pack('c0 s c9000', string.rep('a', 100000), string.rep('b', 20000), "
     "string.rep('c', 9001)) return {#s, s:sub(99999, 100002), s:sub(-3)}", [], []),
    # pack: errors
    ("return struct.pack('i33', 1)", [], []),
    ("return struct.pack('i99999999999', 1)", [], []),
    ("return struct.pack('c2147483647', 'x')", [], []),
    ("return struct.pack('z', 1)", [], []),
    ("return struct.pack('b5', 1)", [], []),
    ("return struct.pack('b\\255', 1)", [], []),
    ("return struct.pack('!3', 1)", [], []),
    ("return struct.pack('!0')", [], []),
    ("return struct.pack('c5', 'ab')", [], []),
    ("return struct.pack('bc5', 1, 'ab')", [], []),
    ("return struct.pack('b', 'x')", [], []),
    ("return struct.pack('b')", [], []),
    ("return struct.pack('bbb', 1)", [], []),
    ("return struct.pack('s', {})", [], []),
    ("return struct.pack('d', true)", [], []),
    ("return struct.pack()", [], []),
    ("return struct.pack(123)", [], []),
    # unpack: integers (numbers beyond 2^53 through %.17g)
    ("return {struct.unpack('<b', '\\255'), struct.unpack('B', '\\255'), "
     "struct.unpack('<h', '\\255\\127'), struct.unpack('<H', '\\255\\255'), "
     "struct.unpack('>h', '\\128\\0'), struct.unpack('>i3', '\\255\\255\\254')}", [], []),
    ("return struct.unpack('bbb', 'abc')", [], []),
    ("return {struct.unpack('bbb', 'abc')}", [], []),
    ("return {struct.unpack('<I4 >I4 i2', ARGV[1])}", [],
     [b"\x01\x02\x03\x04\x01\x02\x03\x04\xfe\xff"]),
    ("local f = function(...) local t = {...} for i = 1, #t do t[i] = string.format('%.17g', t[i]) "
     "end return t end return f(struct.unpack('<I8', '\\255\\255\\255\\255\\255\\255\\255\\255'), "
     "struct.unpack('<i8', '\\255\\255\\255\\255\\255\\255\\255\\255'), "
     "struct.unpack('>l', '\\128\\0\\0\\0\\0\\0\\0\\0'), "
     "struct.unpack('<T', '\\1\\2\\3\\4\\5\\6\\7\\8'))",
     [], []),
    ("return struct.unpack('<I8', '\\255\\255\\255\\255\\255\\255\\255\\255')", [], []),
    ("return struct.unpack('<l', '\\0\\248\\255\\255\\255\\255\\255\\127')", [], []),
    ("return struct.unpack('>l', '\\127\\255\\255\\255\\255\\255\\247\\255')", [], []),
    ("return {struct.unpack('<i9', '\\0\\0\\0\\0\\0\\0\\0\\128\\0'), "
     "struct.unpack('<i9', '\\1\\0\\0\\0\\0\\0\\0\\0\\255'), "
     "struct.unpack('<i16', string.rep('\\255', 8) .. string.rep('\\0', 8)), "
     "struct.unpack('<i12', string.rep('\\0', 7) .. '\\128' .. string.rep('\\0', 4)), "
     "struct.unpack('<i0', ''), struct.unpack('<i31', string.rep('\\255', 31))}", [], []),
    # unpack: floats
    ("return {tostring(struct.unpack('<f', '\\0\\0\\192\\255')), "
     "tostring(struct.unpack('<f', '\\205\\204\\204\\61')), "
     "string.format('%.17g', struct.unpack('<f', '\\205\\204\\204\\61')), "
     "tostring(struct.unpack('<d', '\\0\\0\\0\\0\\0\\0\\240\\127')), "
     "tostring(struct.unpack('>d', '\\128\\0\\0\\0\\0\\0\\0\\0')), "
     "string.format('%.17g', struct.unpack('<d', '\\1\\0\\0\\0\\0\\0\\0\\0'))}", [], []),
    ("return struct.unpack('>d', '\\63\\248\\0\\0\\0\\0\\0\\0')", [], []),
    # unpack: strings, c0 counts (also from numeric strings)
    ("return {struct.unpack('bc0', '\\2abc')}", [], []),
    ("return {struct.unpack('c1c0', '2abc'), struct.unpack('c5c0', '1e300'), "
     "struct.unpack('c3c0', 'infabc'), struct.unpack('c4c0', '-0.5abc'), "
     "struct.unpack('c4c0', '2e19abc'), struct.unpack('c3c0', ' 2 abc')}", [], []),
    ("return {struct.unpack('bbc0', '\\2\\1abc')}", [], []),
    ("return {struct.unpack('s s', ARGV[1])}", [], [b"ab\x00\xff\r\n\x00tail"]),
    ("return struct.unpack('c2c0', '-1abc')", [], []),
    ("return struct.unpack('c4c0', '1e19abc')", [], []),
    ("return struct.unpack('c3c0', 'nanabc')", [], []),
    ("return struct.unpack('c0', 'abc')", [], []),
    ("return struct.unpack('xc0', 'abc')", [], []),
    ("return struct.unpack('bc0', '\\5abc')", [], []),
    ("return struct.unpack('s', 'abc')", [], []),
    ("return struct.unpack('bs', 'x')", [], []),
    # unpack: offsets
    ("return {struct.unpack('c2', 'abc', 2)}", [], []),
    ("return {struct.unpack('c2', 'abc', 1.9), struct.unpack('c2', 'abc', '2'), "
     "struct.unpack('b', 'abc', 3)}", [], []),
    ("return {struct.unpack('', 'abc', -5), struct.unpack('', 'abc', 100), "
     "tostring(struct.unpack('', 'abc', 0/0)), tostring(struct.unpack('', '', 1e300)), "
     "tostring(struct.unpack('', '', -1e300))}", [], []),
    ("return {struct.unpack('!8 d', string.rep('\\0', 8), -1)}", [], []),
    ("return struct.unpack('c2', 'abc', 3)", [], []),
    ("return struct.unpack('c2', 'abc', 0)", [], []),
    ("return struct.unpack('c2', 'abc', -0.5)", [], []),
    ("return struct.unpack('c2', 'abc', 'x')", [], []),
    ("return struct.unpack('b', 'a', 2^64)", [], []),
    ("return struct.unpack('b', 'a', -1)", [], []),
    ("return struct.unpack('<', 'abc', 10)", [], []),
    ("return struct.unpack('z', 'abc', 10)", [], []),
    # unpack: errors
    ("return struct.unpack('z', 'abc')", [], []),
    ("return struct.unpack('b\\255', 'abc')", [], []),
    ("return struct.unpack('bb', 'x')", [], []),
    ("return struct.unpack('d', 123)", [], []),
    ("return struct.unpack('!4 bi', '\\1\\2\\3\\4\\5\\6\\7')", [], []),
    ("return struct.unpack('b')", [], []),
    ("return struct.unpack(nil, 'a')", [], []),
    ("return struct.unpack('b', {})", [], []),
    ("return struct.unpack('i33', string.rep('a', 64))", [], []),
    ("return struct.unpack('!6', 'a')", [], []),
    ("return struct.unpack('c99999999999', 'a')", [], []),
    ("return struct.unpack(ARGV[1], ARGV[2])", [], ["<I4", b"\x01\x02\x03"]),
    # unpack: the result-count limit of the Lua stack
    ("return #{struct.unpack(string.rep('b', 7997), string.rep('a', 7997))}", [], []),
    ("return #{struct.unpack(string.rep('b', 7998), string.rep('a', 7998))}", [], []),
    ("return #{struct.unpack(string.rep('b', 7996), string.rep('a', 7997), 1)}", [], []),
    ("return #{struct.unpack(string.rep('b', 7997), string.rep('a', 7997), 1)}", [], []),
    ("return struct.unpack('b', 'a', 1, unpack({}, 1, 7996))", [], []),
    ("return #{struct.unpack(string.rep('x', 100000) .. 'b', string.rep('a', 100001))}", [], []),
    # round trips
    ("local s = struct.pack('>!4 b h i l d f s c3 B', -1, 300, 70000, -2^40, 1.25, 0.5, 'str', "
     "'xyz', 200) local t = {#s, struct.unpack('>!4 b h i l d f s c3 B', s)} "
     "for i = 1, #t do t[i] = tostring(t[i]) end return t", [], []),
    ("local v = {} for i = 1, 32 do v[i] = struct.unpack('<i' .. i, struct.pack('<i' .. i, "
     "-12345)) end return v", [], []),
    # size
    ("return struct.size('!4 b i')", [], []),
    ("return {struct.size('b'), struct.size('h'), struct.size('l'), struct.size('T'), "
     "struct.size('i'), struct.size('f'), struct.size('d'), struct.size('x'), struct.size('c7'), "
     "struct.size('i3'), struct.size('i0'), struct.size(''), struct.size('<>')}", [], []),
    ("return {struct.size('! b d'), struct.size('!2 b d'), struct.size('!4 b i3 b i3'), "
     "struct.size('!8 bb i6'), struct.size('z'), struct.size('5'), struct.size('!4 b z i'), "
     "struct.size(12), struct.size('b\\0b'), struct.size('c2147483647')}", [], []),
    ("return struct.size(string.rep('c2147483647', 100))", [], []),
    ("return struct.size(ARGV[1])", [], ["!8 b d b"]),
    ("return struct.size('#')", [], []),
    ("return struct.size('\\255')", [], []),
    ("return struct.size('b s')", [], []),
    ("return struct.size('c0')", [], []),
    ("return struct.size('!3')", [], []),
    ("return struct.size('i33')", [], []),
    ("return struct.size('c99999999999')", [], []),
    ("return struct.size()", [], []),
    # the library table and the names Lua puts in errors
    ("local t = {} for k, v in pairs(struct) do t[#t + 1] = k .. ':' .. type(v) end "
     "table.sort(t) return t", [], []),
    ("local t = {} for k in pairs(struct) do t[#t + 1] = k end return t", [], []),
    ("local f = struct.size return f('#')", [], []),
    ("return {pcall(struct.pack, 'z')}", [], []),
    ("return struct:size()", [], []),
]
