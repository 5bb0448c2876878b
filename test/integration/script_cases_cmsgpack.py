"""script_cases_cmsgpack: EVAL scripts exercising the Lua "cmsgpack" library (lua/lib_cmsgpack.c).

CASES is a list of (script, keys, args). The scripting differential test sends each as
EVAL script numkeys keys... args... to redis-server 7.0.15 and to replicant and requires the raw
replies to be byte-identical, error replies included (their text carries the script's SHA1, so
the scripts must stay as written). Every case was run against redis-server 7.0.15 (Debian
7.0.15-1~deb12u10), which answered each one and kept running.

The scripts only compute: no redis.call, no writes, no randomness. Encodings come back as bulk
strings, byte for byte; decoded numbers that may not be whole are formatted with %.17g in the
script, since a reply would truncate them to integers. Decoding input is passed in ARGV as raw
bytes where that is clearer than a Lua escape.

Some cases encode tables with several non-array keys, whose map entries follow lua_next order,
and one walks the library table with pairs(): they rely on Debian's Lua 5.1.5 and Redis'
embedded 5.1.5 hashing and sizing tables the same way (and on the library setting its fields in
the Redis copy's order). The last cases encode the cmsgpack table itself and walk it with
pairs(): on redis-server they see the library's own fields.
"""

CASES = [
    # pack: integers take the smallest form
    ("return cmsgpack.pack(0, 1, 127, 128, 255, 256, 65535, 65536)", [], []),
    ("return cmsgpack.pack(4294967295, 4294967296, 2^53, 2^63 - 1024)", [], []),
    ("return cmsgpack.pack(-1, -32, -33, -128, -129, -32768, -32769)", [], []),
    ("return cmsgpack.pack(-2147483648, -2147483649, -2^53, -2^63)", [], []),
    # pack: numbers that are not integers in [-2^63, 2^63): float 32 when exact, else float 64
    ("return cmsgpack.pack(2^63, 2^64, -2^63 - 4096, -2^64)", [], []),
    ("return cmsgpack.pack(0.5, -2.25, 0.1, 1/3, 1e300, 1e38)", [], []),
    ("return cmsgpack.pack(3.4028234663852886e38, 3.4028235677973366e38, "
     "1.401298464324817e-45, 1e-46)", [], []),
    ("return cmsgpack.pack(1/0, -1/0, 0/0, -(0/0), -0.0)", [], []),
    ("return cmsgpack.pack(tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))",
     [], ["1e3", "0x10", "-0.75"]),
    # pack: other scalars
    ("return cmsgpack.pack(true, false, nil)", [], []),
    ("return cmsgpack.pack(tostring, coroutine.create(function() end))", [], []),
    ("return cmsgpack.pack('', 'a', '123')", [], []),
    ("return cmsgpack.pack(ARGV[1])", [], [b"\x00\xff\r\n\x80binary"]),
    ("return cmsgpack.pack(string.rep('x', 31), string.rep('y', 32))", [], []),
    ("return cmsgpack.pack(string.rep('x', 255), string.rep('y', 256))", [], []),
    ("return cmsgpack.pack(string.rep('x', 65535))", [], []),
    ("return cmsgpack.pack(string.rep('z', 65536))", [], []),
    # pack: tables whose keys are exactly 1..n are arrays, {} included; others are maps
    ("return cmsgpack.pack({}, {1, 2, 3}, {'a', {true}, {}})", [], []),
    ("return cmsgpack.pack({[1] = 1, [3] = 3}, {[0] = 1}, {[-1] = 2}, {[1.5] = 1})", [], []),
    ("return cmsgpack.pack({[2^31 - 1] = 1}, {[2^31] = 1}, {1, nil, 3}, {n = 1, 2})", [], []),
    ("return cmsgpack.pack({a = 1}, {[true] = false}, {[{}] = 1}, {x = tostring})", [], []),
    ("return cmsgpack.pack(KEYS, ARGV)", ["k1", "k2"], ["a1"]),
    ("return cmsgpack.pack(KEYS, ARGV)", [], []),
    ("local t = {} for i = 1, 15 do t[i] = i end local u = {} for i = 1, 16 do u[i] = i end "
     "return cmsgpack.pack(t, u)", [], []),
    ("local t = {} for i = 1, 65535 do t[i] = true end return cmsgpack.pack(t)", [], []),
    ("local t = {} for i = 1, 65536 do t[i] = i % 3 end return cmsgpack.pack(t)", [], []),
    ("local t = setmetatable({}, {__index = function() return 1 end}) t[1] = 5 t[3] = 7 "
     "return cmsgpack.pack(t)", [], []),
    ("local t = setmetatable({1, 2}, {__len = function() return 5 end}) "
     "return cmsgpack.pack(t)", [], []),
    # pack: maps in lua_next order (relies on the same table hashing as Redis' Lua)
    ("return cmsgpack.pack({a = 1, b = 2, c = 3, d = {1, 2}, e = 'x', f = true, [10] = 1, "
     "[1.5] = 2})", [], []),
    ("local t = {} for i = 1, 15 do t['k' .. i] = i end local u = {} "
     "for i = 1, 16 do u['k' .. i] = i end return cmsgpack.pack(t, u)", [], []),
    ("local t = {} for i = 1, 70000 do t['k' .. i] = i end local p = cmsgpack.pack(t) "
     "return {string.sub(p, 1, 40), #p}", [], []),
    # pack: tables below 16 levels become nil, which also ends cycles
    ("local t = {} t[1] = t return cmsgpack.pack(t)", [], []),
    ("local t = {} t.a = t return cmsgpack.pack(t)", [], []),
    ("local t = {} t[t] = 1 return cmsgpack.pack(t)", [], []),
    ("local t = {} local c = t for i = 1, 20 do c[1] = {} c = c[1] end "
     "return cmsgpack.pack(t)", [], []),
    ("local t = {} local c = t for i = 1, 15 do c[1] = {} c = c[1] end c[1] = 7 "
     "return cmsgpack.pack(t)", [], []),
    ("local t = {} local c = t for i = 1, 14 do c.x = {} c = c.x end c.x = {{5}} "
     "return cmsgpack.pack(t)", [], []),
    ("local t = {1} t[2] = t t[3] = {t} return cmsgpack.pack(t)", [], []),
    # pack: arguments and their errors
    ("return cmsgpack.pack(1, 2, 3)", [], []),
    ("return cmsgpack.pack('a', nil, 'b', nil)", [], []),
    ("return cmsgpack.pack()", [], []),
    ("local f = cmsgpack.pack return f()", [], []),
    ("return cmsgpack.pack(unpack(ARGV))", [], ["x", "yy", "zzz"]),
    ("local t = {} for i = 1, 4000 do t[i] = i end return cmsgpack.pack(unpack(t))", [], []),
    ("local t = {} for i = 1, 4001 do t[i] = i end return cmsgpack.pack(unpack(t))", [], []),
    ("local t = {} for i = 1, 4000 do t[i] = {i} end return cmsgpack.pack(unpack(t))", [], []),
    ("local t = {} for i = 1, 3990 do t[i] = {i} end return #cmsgpack.pack(unpack(t))", [], []),
    ("local d = {} local c = d for i = 1, 16 do c.k = {} c = c.k end local t = {} "
     "for i = 1, 3980 do t[i] = i end t[3980] = d return #cmsgpack.pack(unpack(t))", [], []),
    ("local d = {} local c = d for i = 1, 16 do c.k = {} c = c.k end local t = {} "
     "for i = 1, 3985 do t[i] = i end t[3985] = d return #cmsgpack.pack(unpack(t))", [], []),
    ("local d = {} local c = d for i = 1, 16 do c[1] = {} c = c[1] end local t = {} "
     "for i = 1, 3990 do t[i] = i end t[3990] = d return #cmsgpack.pack(unpack(t))", [], []),
    ("local d = {} local c = d for i = 1, 16 do c[1] = {} c = c[1] end local t = {} "
     "for i = 1, 3995 do t[i] = i end t[3995] = d return #cmsgpack.pack(unpack(t))", [], []),
    # unpack: every type
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\x00\x7f\xe0\xff\xcc\xff\xcd\xff\xff"
                                                 b"\xce\xff\xff\xff\xff"]),
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\xd0\x80\xd0\x7f\xd1\x80\x00\xd1\xff\xfe"
                                                 b"\xd2\x80\x00\x00\x00\xd2\x7f\xff\xff\xff"]),
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\xcf\xff\xff\xff\xff\xff\xff\xff\xff"
                                                 b"\xcf\x00\x20\x00\x00\x00\x00\x00\x01"
                                                 b"\xd3\xff\xe0\x00\x00\x00\x00\x00\x01"
                                                 b"\xd3\xff\xff\xff\xff\xff\xff\xff\xff"]),
    ("local o = {} for _, v in ipairs({cmsgpack.unpack(ARGV[1])}) do "
     "o[#o + 1] = string.format('%.17g', v) end return o",
     [], [b"\xcf\x7f\xff\xff\xff\xff\xff\xff\xff\xcf\x80\x00\x00\x00\x00\x00\x00\x01"
          b"\xd3\x80\x00\x00\x00\x00\x00\x00\x00"]),
    ("local o = {} for _, v in ipairs({cmsgpack.unpack(ARGV[1])}) do "
     "o[#o + 1] = string.format('%.17g', v) end return o",
     [], [b"\xca\x3f\x00\x00\x00\xca\x7f\xc0\x00\x00\xca\xff\x80\x00\x00\xca\x00\x00\x00\x01"
          b"\xca\x7f\x7f\xff\xff\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00"
          b"\xcb\xff\xf8\x00\x00\x00\x00\x00\x00\xcb\x80\x00\x00\x00\x00\x00\x00\x00"
          b"\xcb\x7f\xef\xff\xff\xff\xff\xff\xff"]),
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\xa0\xa1a\xd9\x03abc\xd9\x00"
                                                 b"\xda\x00\x03abc\xdb\x00\x00\x00\x03abc"]),
    ("local a, b, c = cmsgpack.unpack(ARGV[1]) return {type(a), type(b), type(c), "
     "tostring(a), tostring(b), tostring(c)}", [], [b"\xc0\xc2\xc3"]),
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\x93\x01\x92\x02\x03\xa1x"]),
    ("return {cmsgpack.unpack(ARGV[1])}", [], [b"\xdc\x00\x02\x01\x02\xdd\x00\x00\x00\x01\x05"
                                                 b"\x90\xdc\x00\x00"]),
    ("local t = cmsgpack.unpack(ARGV[1]) return {t.a, t[1], t[2], type(t[3])}",
     [], [b"\x83\xa1a\x07\x01\xa1b\x02\x93\x01\x02\x03"]),
    ("local a, b, c = cmsgpack.unpack(ARGV[1]) return {a.k, b[1], next(c)}",
     [], [b"\xde\x00\x01\xa1k\x09\xdf\x00\x00\x00\x01\x01\x08\x80"]),
    ("local t = cmsgpack.unpack(ARGV[1]) return {next(t)}", [], [b"\x81\x01\xc0"]),
    ("local t = cmsgpack.unpack(ARGV[1]) return {t[1]}", [], [b"\x82\x01\x02\x01\x03"]),
    ("local t = cmsgpack.unpack(ARGV[1]) local k, v = next(t) return {k[1], v}",
     [], [b"\x81\x91\x01\x02"]),
    ("local t = cmsgpack.unpack(ARGV[1]) return {t[1], t[2], t[3]}", [], [b"\x93\x01\xc0\x03"]),
    ("return {cmsgpack.unpack(1), cmsgpack.unpack(-1)}", [], []),
    ("return {cmsgpack.unpack('')}", [], []),
    ("return cmsgpack.unpack('\\1', 'ignored', {})", [], []),
    # unpack: errors
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xc1"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xc4\x01a"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xc7\x01\x01a"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xd4\x01\x01"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xd8"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x01\x91\xc1"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xa5abc"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xcb\x00\x00"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xd3\x01\x02\x03\x04\x05\x06\x07"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xdb\xff\xff\xff\xffabc"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xdd\xff\xff\xff\xff\x01\x02"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x92\x01"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x81\x01"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x81\xc0\x01"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x81\xcb\xff\xf8\x00\x00\x00\x00\x00\x00\x01"]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xdf\xff\xff\xff\xff\xc0\xc0"]),
    ("return cmsgpack.unpack(nil)", [], []),
    ("return cmsgpack.unpack({})", [], []),
    ("return cmsgpack.unpack()", [], []),
    ("return {pcall(cmsgpack.unpack, '\\145')}", [], []),
    ("return {pcall(function() return cmsgpack.unpack('\\193') end)}", [], []),
    # unpack_one: the next offset (-1 at the end) then one value
    ("return {cmsgpack.unpack_one(ARGV[1])}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_one(ARGV[1], 1)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_one(ARGV[1], 2)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_one(ARGV[1], 3)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_one(ARGV[1], ARGV[2])}", [], [b"\x01\x02\x03", "1"]),
    ("return {cmsgpack.unpack_one(ARGV[1], 1.9)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_one('\\1\\2', 0, 'extra', 'more')}", [], []),
    ("return {cmsgpack.unpack_one(''), cmsgpack.unpack_one('', 0)}", [], []),
    ("return {cmsgpack.unpack_one(12, 1)}", [], []),
    ("local p = cmsgpack.pack({1, 2}, 'x', {a = true}, 7, 0.5) local o, off = {}, 0 "
     "while off ~= -1 do local r = {cmsgpack.unpack_one(p, off)} off = r[1] "
     "o[#o + 1] = off o[#o + 1] = type(r[2]) end return o", [], []),
    ("return cmsgpack.unpack_one(ARGV[1], 4)", [], [b"\x01\x02\x03"]),
    ("return cmsgpack.unpack_one(ARGV[1], -1)", [], [b"\x01\x02\x03"]),
    ("return cmsgpack.unpack_one('\\1\\2\\3', 2^31)", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', 2^32 + 1)", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', -2^32 + 1)", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', 1e300)", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', 0/0)", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', 'x')", [], []),
    ("return cmsgpack.unpack_one('\\1\\2\\3', {})", [], []),
    ("return cmsgpack.unpack_one()", [], []),
    ("return cmsgpack.unpack_one(nil, 1)", [], []),
    ("return cmsgpack.unpack_one('', 1)", [], []),
    ("return cmsgpack.unpack_one(ARGV[1])", [], [b"\x92\x01"]),
    ("return cmsgpack.unpack_one(ARGV[1], 1)", [], [b"\x01\xc1"]),
    # unpack_limit: the next offset then up to limit values; limit 0 and offset 0 is unpack
    ("return {cmsgpack.unpack_limit(ARGV[1], 0)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 0, 0)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 0, 1)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 0, 3)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 1)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 2)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 3)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 4)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], 2, 1)}", [], [b"\x01\x02\x03"]),
    ("return {cmsgpack.unpack_limit(ARGV[1], ARGV[2], ARGV[3])}", [], [b"\x01\x02\x03", "2", "1"]),
    ("return {cmsgpack.unpack_limit('\\1\\2\\3', 2^40)}", [], []),
    ("return {cmsgpack.unpack_limit('\\1\\2\\3', 2^31 + 5)}", [], []),
    ("return {cmsgpack.unpack_limit('\\1\\2\\3', 1, 2, 'x')}", [], []),
    ("return {cmsgpack.unpack_limit('', 0, 0)}", [], []),
    ("return {cmsgpack.unpack_limit('', 3)}", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3')", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', -1)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', -1, -1)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', 1, -5)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', -2^40)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', 1/0)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', 'x')", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', 1, 'x')", [], []),
    ("return cmsgpack.unpack_limit('\\1\\2\\3', 1, 4)", [], []),
    ("return cmsgpack.unpack_limit({}, 1)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\146', 5)", [], []),
    ("return cmsgpack.unpack_limit('\\1\\212', 5)", [], []),
    # the 8000 stack slots of a C function: many results and deep input
    ("return select('#', cmsgpack.unpack(string.rep('\\192', 7999)))", [], []),
    ("return select('#', cmsgpack.unpack(string.rep('\\1', 8000)))", [], []),
    ("return select('#', cmsgpack.unpack(string.rep('\\1', 7999), 'x'))", [], []),
    ("return select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7998))", [], []),
    ("return select('#', cmsgpack.unpack_limit(string.rep('\\1', 8000), 7999))", [], []),
    ("local t = cmsgpack.unpack(string.rep('\\145', 3999) .. '\\1') "
     "for i = 1, 3998 do t = t[1] end return t", [], []),
    ("return cmsgpack.unpack(string.rep('\\145', 4000) .. '\\1')", [], []),
    ("return cmsgpack.unpack(string.rep('\\145', 5000) .. '\\193')", [], []),
    ("return cmsgpack.unpack(string.rep('\\145', 3999))", [], []),
    ("return cmsgpack.unpack(string.rep('\\129', 7999))", [], []),
    ("return cmsgpack.unpack(string.rep('\\129', 8000))", [], []),
    ("return cmsgpack.unpack(string.rep('\\129\\1', 4000) .. '\\1')", [], []),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\x91" * 100000]),
    ("return cmsgpack.unpack(ARGV[1])", [], [b"\xdd\xff\xff\xff\xff" + b"\xc0" * 100000]),
    # round trips
    ("local v = cmsgpack.unpack(cmsgpack.pack({1, 2, {3, {4, {a = 'b'}}}})) "
     "return {v[1], v[2], v[3][1], v[3][2][1], v[3][2][2].a}", [], []),
    ("local a, b, c, d, e = cmsgpack.unpack(cmsgpack.pack(-1, 2^40, 0.25, 'str', false)) "
     "return {a, b, string.format('%.17g', c), d, tostring(e)}", [], []),
    ("return {cmsgpack.unpack(cmsgpack.pack(0.1)) == 0.1, "
     "cmsgpack.unpack(cmsgpack.pack(2^63)) == 2^63, "
     "cmsgpack.unpack(cmsgpack.pack(-2^63)) == -2^63}", [], []),
    ("return cmsgpack.pack(cmsgpack.unpack(ARGV[1]))", [], [b"\x93\x01\xa1a\x92\xc3\xc2"]),
    # the library table
    ("return {cmsgpack._NAME, cmsgpack._VERSION, cmsgpack._COPYRIGHT, cmsgpack._DESCRIPTION}",
     [], []),
    ("return {type(cmsgpack.pack), type(cmsgpack.unpack), type(cmsgpack.unpack_one), "
     "type(cmsgpack.unpack_limit)}", [], []),
    ("local t = {} for k, v in pairs(cmsgpack) do t[#t + 1] = k .. ':' .. type(v) end "
     "return t", [], []),
    # Not here: cmsgpack.pack(cmsgpack) and cmsgpack:pack(). Scripts see the library tables
    # through read-only proxies (lua/script.c), which lua_next finds empty, so packing a
    # library table itself gives an empty array where Redis encodes its functions' names.
]
