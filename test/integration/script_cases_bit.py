"""script_cases_bit: EVAL scripts exercising the Lua "bit" library (lua/lib_bit.c).

CASES is a list of (script, keys, args). The scripting differential test sends each as
EVAL script numkeys keys... args... to redis-server 7.0.15 and to replicant and requires the raw
replies to be byte-identical, error replies included (their text carries the script's SHA1, so
the scripts must stay as written). Every case was run against redis-server 7.0.15 (Debian
7.0.15-1~deb12u10), which answered each one and kept running.

The scripts only compute: no redis.call, no writes, no randomness. bit returns integral numbers,
which reach the client as integer replies. One case iterates the library table with pairs()
unsorted: it relies on Debian's Lua 5.1.5 and Redis' embedded one hashing strings the same
way and on the functions being registered in LuaBitOp's order.
"""

CASES = [
    # tobit: every kind of number and numeric string
    ("return bit.tobit(2^32 + 5)", [], []),
    ("return {bit.tobit(0), bit.tobit(-1), bit.tobit(2^31), bit.tobit(-2^31 - 1), "
     "bit.tobit(4294967295)}", [], []),
    ("return {bit.tobit(2^51 + 7), bit.tobit(2^52 + 3), bit.tobit(2^53 + 2), "
     "bit.tobit(2^60 + 2^40 + 12345), bit.tobit(-2^60 - 12345), bit.tobit(2^64 + 2^33)}",
     [], []),
    ("return {bit.tobit(1e300), bit.tobit(-1e300), bit.tobit(1/0), bit.tobit(-1/0), "
     "bit.tobit(0/0), bit.tobit(-0.0)}", [], []),
    ("return {bit.tobit(0.5), bit.tobit(1.5), bit.tobit(2.5), bit.tobit(-0.5), bit.tobit(-1.5), "
     "bit.tobit(-2.5), bit.tobit(4294967295.5), bit.tobit(2^51 + 0.5)}", [], []),
    ("return {bit.tobit(ARGV[1]), bit.tobit(ARGV[2]), bit.tobit(ARGV[3]), bit.tobit(ARGV[4])}",
     [], ["12", " 0x10 ", "1e3", "-7"]),
    ("return bit.tobit(ARGV[1])", [], ["abc"]),
    ("return bit.tobit(ARGV[1])", [], [b"\x00"]),
    ("return bit.tobit('')", [], []),
    ("return bit.tobit({})", [], []),
    ("return bit.tobit(nil)", [], []),
    ("return bit.tobit(true)", [], []),
    ("return bit.tobit()", [], []),
    ("return bit.tobit(bit.band)", [], []),
    # bnot
    ("return {bit.bnot(0), bit.bnot(-1), bit.bnot(5), bit.bnot(2^31), bit.bnot('7')}", [], []),
    ("return bit.bnot('x')", [], []),
    # band / bor / bxor, and which bad argument the error names
    ("return {bit.band(7), bit.band(0xff, 0x0f), bit.band(-1, 0x12345678, 0xff00ff), "
     "bit.band(0xff, 2^32 + 0xf0)}", [], []),
    ("return {bit.bor(0), bit.bor(1, 2, 4, 8, 2^31), bit.bor(0x0f0f, '0xf0f0')}", [], []),
    ("return {bit.bxor(5, 3), bit.bxor(-1, 0x55555555), bit.bxor(1, 1, 1)}", [], []),
    ("return bit.band(KEYS[1], KEYS[2], ARGV[1])", ["255", "60"], ["0x3c"]),
    ("return bit.band()", [], []),
    ("return bit.band(1, 'x', {})", [], []),
    ("return bit.band('x', {})", [], []),
    ("return bit.band(1, nil, 2)", [], []),
    ("return bit.bor(1, 2, 'three')", [], []),
    ("return bit.bxor(1, true)", [], []),
    ("return bit.band(1, unpack({}, 1, 7990))", [], []),
    ("local t = {} for i = 1, 7000 do t[i] = 2^(i % 32) end "
     "return {bit.bor(unpack(t)), bit.band(-1, unpack(t, 1, 31)), bit.bxor(unpack(t))}", [], []),
    # shifts and rotations: counts are taken modulo 32
    ("return {bit.lshift(1, 0), bit.lshift(1, 31), bit.lshift(1, 32), bit.lshift(1, 33), "
     "bit.lshift(1, -1), bit.lshift(-1, 16), bit.lshift(0x12345678, 8)}", [], []),
    ("return {bit.rshift(-1, 0), bit.rshift(-1, 1), bit.rshift(-1, 31), bit.rshift(-1, 32), "
     "bit.rshift(0x80000000, 4), bit.rshift(256, -28)}", [], []),
    ("return {bit.arshift(-256, 4), bit.arshift(-1, 31), bit.arshift(0x7fffffff, 31), "
     "bit.arshift(-8, 0), bit.arshift(-8, 32), bit.arshift(2^31, 31), bit.arshift(5, -1)}",
     [], []),
    ("return {bit.rol(0x12345678, 0), bit.rol(0x12345678, 4), bit.rol(0x12345678, 32), "
     "bit.rol(0x12345678, -4), bit.rol(-1, 7), bit.rol(1, 31)}", [], []),
    ("return {bit.ror(0x12345678, 0), bit.ror(0x12345678, 4), bit.ror(0x12345678, 36), "
     "bit.ror(0x12345678, -4), bit.ror(1, 1), bit.ror(2^31, 31)}", [], []),
    ("return bit.lshift(1, 0/0)", [], []),
    ("return bit.lshift(1)", [], []),
    ("return bit.rshift(1, 'x')", [], []),
    ("return bit.arshift('x', 1)", [], []),
    ("return bit.rol(nil, 1)", [], []),
    ("return bit.ror(1, {})", [], []),
    # bswap
    ("return {bit.bswap(0x12345678), bit.bswap(-1), bit.bswap(0x80), bit.bswap(2^32 + 1), "
     "bit.bswap('0xff00')}", [], []),
    ("return bit.bswap()", [], []),
    # tohex
    ("return bit.tohex(65535, -4)", [], []),
    ("return {bit.tohex(1), bit.tohex(-1), bit.tohex(0x12345678, 4), bit.tohex(0xabcdef, 0), "
     "bit.tohex(0xabcdef, 9), bit.tohex(0xabcdef, -8), bit.tohex(0xabcdef, -100)}", [], []),
    ("return {bit.tohex(0xabcdef, 2^31), bit.tohex(0xabcdef, -2^31), bit.tohex(0xabcdef, 2^32), "
     "bit.tohex(0xabcdef, 2^32 - 1), bit.tohex(0xabcdef, -2^31 + 1)}", [], []),
    ("return {bit.tohex(1.5), bit.tohex(0/0, 3), bit.tohex(2^32 + 0xfe, 2), "
     "bit.tohex('0xff', '-2'), bit.tohex(-2^31)}", [], []),
    ("return bit.tohex(tonumber(ARGV[1]), tonumber(ARGV[2]))", [], ["3735928559", "-6"]),
    ("return bit.tohex(1, 'x')", [], []),
    ("return bit.tohex(1, nil)", [], []),
    ("return bit.tohex('ff')", [], []),
    # the library table and the names Lua puts in errors
    ("local t = {} for k, v in pairs(bit) do t[#t + 1] = k .. ':' .. type(v) end "
     "table.sort(t) return t", [], []),
    ("local t = {} for k in pairs(bit) do t[#t + 1] = k end return t", [], []),
    ("return {type(bit), bit._VERSION == nil, bit.version == nil}", [], []),
    ("local f = bit.tobit return f('x')", [], []),
    ("return {pcall(bit.tobit, 'x')}", [], []),
    ("return bit:band(1)", [], []),
    ("return select('#', bit.band(1, 2), bit.tohex(1))", [], []),
]
