"""script_cases_cjson: EVAL scripts for the cjson library (lua/lib_cjson.c), compared byte for
byte between redis-server 7.0.15 and replicant by test_diff_script.py.

Each script is one line (so every error reads "user_script:1: ...") and mostly returns a
string: encode output, a decoded value rendered by D() below (keys sorted, numbers with 17
digits, strings with %q), a setting, or an error reply. They cover every function of the
library (encode, decode, new, the seven settings, null, _NAME, _VERSION), every error text,
number formatting at every precision, NaN/Inf policies, sparse arrays, the nesting limits
(including the Lua stack limit past raised settings) and malformed, truncated and odd input.

cjson's settings live in the Lua state and persist from one EVAL to the next on both servers.
So a script that changes a setting first shadows the global with a fresh table
("local cjson = cjson.new() ..."), and the few that change the global table's settings put
them back before returning; the last case checks that every global setting is at its
default, so a leak shows up as a mismatch.

A few encode cases have several keys in one object: their order is lua_next()'s, which is the
same on both servers because Debian's Lua 5.1.5 and Redis' embedded copy hash strings and
numbers the same way.
"""

import re

# D(v): a deterministic rendering of a decoded value.
D = (r"local function D(v) local t=type(v) if t=='table' then local ks={} for k in pairs(v) do ks[#ks+1]=k end "
     r"table.sort(ks,function(a,b) if type(a)~=type(b) then return type(a)<type(b) end return a<b end) "
     r"local o={} for _,k in ipairs(ks) do o[#o+1]=D(k)..'='..D(v[k]) end return '{'..table.concat(o,',')..'}' "
     r"elseif v==cjson.null then return 'null' elseif t=='number' then return string.format('%.17g',v) "
     r"elseif t=='string' then return string.format('%q',v) else return tostring(v) end end ")
E = "return cjson.encode(%s)"
SETTERS = re.compile(r"\b(encode_sparse_array|encode_max_depth|decode_max_depth|encode_number_precision|"
                     r"encode_keep_buffer|encode_invalid_numbers|decode_invalid_numbers)\b")
CASES = []


def add(group, script, keys=(), args=()):
    """Adds a case (group only labels it here); a script that names a setting function gets a
    private cjson table."""
    if SETTERS.search(script):
        script = "local cjson = cjson.new() " + script
    CASES.append((script, list(keys), list(args)))


def add_global(script, keys=(), args=()):
    """Adds a case that runs on the global cjson table as it is (it must restore settings)."""
    CASES.append((script, list(keys), list(args)))


# --- module fields
add('fields', "local t={} for k,v in pairs(cjson) do t[#t+1]=k..'='..type(v) end return table.concat(t,' ')")
add('fields', "local t={} for k,v in pairs(cjson.new()) do t[#t+1]=k..'='..type(v) end return table.concat(t,' ')")
add('fields', "return cjson._NAME..' '..cjson._VERSION..' '..tostring(cjson.null)..' '..type(cjson.null)")
add('fields', "local c=cjson.new() return tostring(c==cjson)..tostring(c.null==cjson.null)..c._VERSION..tostring(c.encode==cjson.encode)")
add('fields', "local c=cjson.new(1,2,3) local d=c.new() return c._NAME..d._NAME..tostring(c~=d)")
add('fields', "return tostring(cjson.decode('null')==cjson.null)..tostring(cjson.null==nil)")

# --- encode scalars
for v in ["'abc'", "''", "true", "false", "nil", "cjson.null", "0", "-0", "1", "-1", "0.1", "1/3", "-2/3", "100",
          "1e14", "1e15", "1e16", "123456789012345", "1234567890123456", "2^53", "2^63", "-2^63", "2^1023*1.9999",
          "1e300", "-1e300", "1e-300", "5e-324", "2.2250738585072014e-308", "3.14159265358979", "0.000001",
          "0.0000001", "1e21", "12345.678", "255/256", "1e100", "99999999999999", "999999999999999"]:
    add('enc_scalar', E % v)
add('enc_string', r"""return cjson.encode('\0\1\2\3\4\5\6\7\8\9\10\11\12\13\14\15\16\17\18\19\20\21\22\23\24\25\26\27\28\29\30\31')""")
add('enc_string', r"""return cjson.encode(' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~\127')""")
add('enc_string', r"""return cjson.encode('\128\129\200\255 caf\195\169 \226\130\172')""")
add('enc_string', r"""local t={} for i=0,255 do t[#t+1]=string.char(i) end return cjson.encode(table.concat(t))""")
add('enc_string', r"""return cjson.encode(string.rep('a/b', 1000))""")
add('enc_string', r"""return cjson.encode({['a"b']='c\\d', ['\n']='/'})""")

# --- encode tables
for v in ["{}", "{1,2,3}", "{'a','b',{}}", "{{},{{}},{{{}}}}", "{1,nil,3}", "{nil,nil,3}", "{[1]=1,[3]=3}",
          "{[10]=1}", "{[11]=1}", "{[1]=1,[20]=2}", "{[1]=1,[2]=2,[3]=3,[21]=4}", "{[0]=1}", "{[-1]=1}",
          "{[1.5]=1}", "{[2^31-1]=1}", "{[2^31]=1}", "{[1e300]=1}", "{1,2,[2^31]=3}", "{1,2,[2^40]=3}",
          "{[2^53]='x'}", "{a=1}", "{a={b={c={}}}}", "{1,2,a=3}", "{x=cjson.null}", "{true,false}",
          "{[1]='a',['1']='b'}", "{['']=''}", "{[0.1]=0.1}", "{[-0.5]=1}", "{[1/3]=1}", "{[100]=1,[99]=2}"]:
    add('enc_table', E % v)
add('enc_table', "return cjson.encode({a=1,b=2,c=3,d=4,e=5})")
add('enc_table', "return cjson.encode({name='x',list={1,2,3},nested={k='v'},flag=true})")
add('enc_table', "local t={} for i=1,20 do t['k'..i]=i end return cjson.encode(t)")
add('enc_table', "local t={} for i=1,100 do t[i]=i*1.5 end return cjson.encode(t)")
add('enc_table', "local t={} for i=1,30 do t[i*2]=i end return cjson.encode(t)")
add('enc_table', "local t={1,2,3} t[2]=nil return cjson.encode(t)")
add('enc_table', "local t={} t[3]=1 t[1]=2 return cjson.encode(t)")
# --- encode errors
for v in ["", "1,2", "nil,nil", "function() end", "coroutine.create(function() end)", "{function() end}",
          "{a=function() end}", "{[true]=1}", "{[{}]=1}", "{[function() end]=1}", "{[1]=1,[true]=2}",
          "1/0", "-1/0", "0/0", "{1/0}", "{a=-1/0}", "{[1/0]=1}", "{[-1/0]=1}", "{1,2,[3.5]=0,[4]=1/0}",
          "{[12]=1}", "{{[100]=1}}", "{a={[100]=1}}", "{[11]=1,[1]=1,[2]=2,[3]=3,[4]=4,[5]=5}"]:
    add('enc_error', E % v)
add('enc_error', "local t={} t[1]=t return cjson.encode(t)")
add('enc_error', "local t={} t.a=t return cjson.encode(t)")
add('enc_error', "return cjson.encode(cjson.encode)")

# --- encode depth
add('enc_depth', "local t={} for i=1,999 do t={t} end return cjson.encode(t)")
add('enc_depth', "local t={} for i=1,1000 do t={t} end return cjson.encode(t)")
add('enc_depth', "local t=1 for i=1,1000 do t={t} end return cjson.encode(t)")
add('enc_depth', "local t=1 for i=1,1001 do t={t} end return cjson.encode(t)")
add('enc_depth', "local t=1 for i=1,1000 do t={a=t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "local t=1 for i=1,1001 do t={a=t} end return cjson.encode(t)")
add('enc_depth', "cjson.encode_max_depth(3) local r={pcall(cjson.encode,{{{1}}})} local s={pcall(cjson.encode,{{{{1}}}})} return tostring(r[2])..' '..tostring(s[2])")
add('enc_depth', "cjson.encode_max_depth(1) return cjson.encode({1,{}})")
add('enc_depth', "cjson.encode_max_depth(1) return cjson.encode({1,2,'x'})")
add('enc_depth', "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x[1]=n x=n end return cjson.encode(t)")
add('enc_depth', "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x.a=n x=n end return cjson.encode(t)")
add('enc_depth', "cjson.encode_max_depth(100000) local t={} local x=t for i=1,9000 do local n={} x[1]=n x[2]=1.5 x=n end return cjson.encode(t)")
add('enc_depth', "cjson.encode_max_depth(7997) local t=1 for i=1,7997 do t={t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=1 for i=1,7997 do t={t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=1 for i=1,7998 do t={t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=1 for i=1,3999 do t={a=t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=1 for i=1,4000 do t={a=t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t='xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' for i=1,7997 do t={t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=string.rep('y',5000) for i=1,3999 do t={a=t} end return 'len '..string.len(cjson.encode(t))")
add('enc_depth', "cjson.encode_max_depth(100000) local t=1 for i=1,3998 do t={a=t} end return 'len '..string.len(cjson.encode({t}))")

# --- precision
for p in range(1, 15):
    add('precision', "cjson.encode_number_precision(%d) return cjson.encode({1/3, -2/3, 1e300, 123456.789, 0.1, 5e-324, 2^53, 100, -0})" % p)
for v in ["0", "15", "-1", "'x'", "{}", "true", "1.9", "'5'", "' 7 '", "2^32+3", "2^31", "1e300", "0/0", "1/0", "-2^32+2", "'0x0a'"]:
    add('precision', "local r=cjson.encode_number_precision(%s) return tostring(r)..' '..cjson.encode(1/3)" % v)
for p in [1, 2, 5, 14]:
    add('precision', "cjson.encode_number_precision(%d) return cjson.encode({9,-9,10,99,-99,100,-100,99999,100000,0,-0,99999999999999,-99999999999999,100000000000000,12345678901234,2^53,-2^63,0.5,-1.5e-7})" % p)
add('precision', "return tostring(cjson.encode_number_precision(5,6))")
add('precision', "return tostring(cjson.encode_number_precision(nil))..tostring(cjson.encode_number_precision())")
add('precision', "cjson.encode_number_precision(3) return cjson.encode({[1/3]=1})")

# --- invalid numbers (encode)
for m in ["true", "false", "'on'", "'off'", "'null'"]:
    add('enc_invalid', "local r=cjson.encode_invalid_numbers(%s) return tostring(r)..' '..cjson.encode({1/0,-1/0,0/0,-(0/0),1.5})" % m)
    add('enc_invalid', "cjson.encode_invalid_numbers(%s) return cjson.encode({[1/0]=1})" % m)
    add('enc_invalid', "cjson.encode_invalid_numbers(%s) return cjson.encode({[-1/0]='x'})" % m)
for v in ["'maybe'", "1", "{}", "'ON'", "nil"]:
    add('enc_invalid', "return tostring(cjson.encode_invalid_numbers(%s))" % v)
add('enc_invalid', "return tostring(cjson.encode_invalid_numbers(true, 1))")
add('enc_invalid', "return tostring(cjson.encode_invalid_numbers())")
add('enc_invalid', "cjson.encode_invalid_numbers('on') cjson.encode_number_precision(3) return cjson.encode({1/0, math.huge, -math.huge, 1/3})")

# --- keep buffer
for v in ["true", "false", "'on'", "'off'", "nil", "'x'", "0", "{}"]:
    add('keep_buffer', "local r=cjson.encode_keep_buffer(%s) return tostring(r)..' '..cjson.encode({1,'a',{b=2}})" % v)
add('keep_buffer', "return tostring(cjson.encode_keep_buffer(true,true))")
add('keep_buffer', "local a=cjson.encode(string.rep('x',5000)) local b=cjson.encode({1}) cjson.encode_keep_buffer(false) local c=cjson.encode(string.rep('y',3000)) local d=cjson.encode({2}) cjson.encode_keep_buffer(true) local e=cjson.encode({3}) return #a..b..#c..d..e..tostring(cjson.encode_keep_buffer())")
add('keep_buffer', "cjson.encode_keep_buffer(false) pcall(cjson.encode, {1, function() end}) return cjson.encode({1,2})")
add('keep_buffer', "pcall(cjson.encode, {string.rep('z',10000), function() end}) return cjson.encode({1,2})")

# --- sparse arrays
for args in ["", "true", "false", "'on'", "'off'", "true,0", "true,1", "false,1", "false,0", "true,3,0", "false,2,20",
             "nil,nil,5", "nil,5", "true,2147483647,2147483647"]:
    add('sparse', "local a,b,c=cjson.encode_sparse_array(%s) return tostring(a)..' '..tostring(b)..' '..tostring(c)" % args)
for args in ["'x'", "1", "{}", "true,-1", "true,'a'", "true,1,-1", "true,1,{}", "true,1,1,1", "false,2^31", "true,1.5,2.5", "'on',nil,-5"]:
    add('sparse', "local a,b,c=cjson.encode_sparse_array(%s) return tostring(a)..' '..tostring(b)..' '..tostring(c)" % args)
add('sparse', "pcall(cjson.encode_sparse_array, true, -1) local a,b,c=cjson.encode_sparse_array() return tostring(a)..' '..tostring(b)..' '..tostring(c)")
add('sparse', "pcall(cjson.encode_sparse_array, true, 5, -1) local a,b,c=cjson.encode_sparse_array() return tostring(a)..' '..tostring(b)..' '..tostring(c)")
for cfg in ["true", "true,0", "false,0", "true,1", "false,1", "true,3", "true,2,0", "false,1,100", "true,2147483647"]:
    add('sparse', "cjson.encode_sparse_array(%s) local r={} for _,t in ipairs({{[11]=1},{[4]=1},{1,2,nil,4},{[2]=1,[3]=2},{[5]=1,[6]=1,[7]=1}}) do local ok,v=pcall(cjson.encode,t) r[#r+1]=tostring(v) end return table.concat(r,' ')" % cfg)
add('sparse', "cjson.encode_sparse_array(false, 2147483647, 0) local t={} for i=1,3 do t[i]=i end t[100]=1 return cjson.encode(t)")
add('sparse', "cjson.encode_sparse_array(true, 1073741824, 0) local t={} for i=1,3 do t[i]=i end t[2147483647]=1 return cjson.encode(t)")
add('sparse', "cjson.encode_sparse_array(true, 1073741824, 0) local t={1,2} t[2147483647]=1 return cjson.encode(t)")

# --- max depth config
for f in ["encode_max_depth", "decode_max_depth"]:
    for v in ["", "1", "5", "'7'", "2147483647", "0", "-1", "2^31", "2^32+5", "1e300", "0/0", "'x'", "{}", "1.5", "nil"]:
        add('max_depth', "local r=cjson.%s(%s) return tostring(r)..' '..tostring(cjson.%s())" % (f, v, f))
    add('max_depth', "return tostring(cjson.%s(1,2))" % f)

# --- decode scalars
for j in ["true", "false", "null", "0", "-0", "1", "-1", "1.5", "-1.5e3", "1E2", "1e-2", "1e+2", "0.1", "123456789012345678901234567890",
          "1e400", "-1e400", "1e-400", "5e-324", "2.5e-324", "0x10", "0X1f", "-0x10", "0x1p4", "+1", "+0x10", "01", "-01", "00", "1.", ".5",
          "-.5", "-", "+", "1e", "1e+", "1x", "0x", "nan", "NaN", "-nan", "+nan", "inf", "Inf", "INF", "infinity", "Infinity", "-inf",
          "-Infinity", "+inf", "+infinity", "nan(123)", "nul", "tru", "fals", "truex", "nullnull", "n", "t", "f", "i", "N", "I", "x", "#",
          "'a'", "  1  ", "\\t\\n\\r 2 \\r\\n", "1 2", "[1]]", "{}}", "\\f1"]:
    add('dec_scalar', D + "return D(cjson.decode(\"%s\"))" % j)
# --- decode strings
for j in [r'""', r'"abc"', r'"\"\\\/\b\f\n\r\t"', r'"\u0000"', r'"\u0041\u00e9\u20ac"', r'"\u00E9\u00c9"', r'"\ud83d\ude00"',
          r'"\uD834\uDD1E"', r'"\ud83d"', r'"\ud83dx"', r'"\ud83d\u0041"', r'"\ude00"', r'"\ud83d\ud83d"', r'"\ud83d\"',
          r'"\ud83d\u12"', r'"\u12g4"', r'"\u12"', r'"\u"', r'"\x"', r'"\a"', r'"\\', '"\\', r'"abc', r'"', r'"a\u0062c"',
          r'"\u007f\u0080\u07ff\u0800\uffff"', r'"\udbff\udfff"', r'"\ud800\udc00"', r'"tab	in"', r'"x\/y"',
          r'"\U0041"', r'"\u004"', r'"a"b', r'"a" "b"']:
    add('dec_string', D + "return D(cjson.decode([[%s]]))" % j)
add('dec_string', D + r"""return D(cjson.decode('"\1\2\31\127\128\255"'))""")
add('dec_string', D + r"""return D(cjson.decode('"a\0b"'))""")
add('dec_string', D + r"""return D(cjson.decode('"' .. string.rep('\\u00e9', 1000) .. '"'))""")
add('dec_string', D + r"""return D(cjson.decode('"' .. string.rep('\\ud83d\\ude00x', 500) .. '"'))""")
add('dec_string', "return cjson.decode('\"'..string.rep('ab\\\\n', 3000)..'\"')")
# --- decode structures
for j in ['[]', '{}', '[1,2,3]', '[ 1 , 2 , 3 ]', '[[],[[]],{}]', '{"a":1}', '{"a":1,"b":[true,false,null],"c":{"d":"e"}}',
          '{"a":1,"a":2}', '{"":0}',  '[null,null]', '[1,null]', '{"a":null}', '{"1":1,"2":2}',
          '[1,]', '[,1]', '[1 2]', '[1', '[', ']', '{', '}', '{"a"}', '{"a":}', '{"a" 1}', '{"a":1,}', '{,}', '{1:2}',
          '{"a":1 "b":2}', '{"a":1,"b"', '{null:1}', '[1]x', '[1],', '{}[]', '[1:2]', '{"a"::1}', '[-]', '[1,,2]',
          '[true false]', '{"a":[}', '[{]', '[nan,inf,-inf]', '[0x10,+5,007]', '{"k":"\\u00e9"}', '[1e5,-0,0.5]',
          '[[[[[[[[[[1]]]]]]]]]]', '{"a":{"b":{"c":{"d":{}}}}}', '["a",{"b":["c",{"d":null}]}]']:
    add('dec_struct', D + "return D(cjson.decode([==[%s]==]))" % j)
add('dec_struct', D + r"return D(cjson.decode(' \t\n\r[1]\r\n\t '))")
# --- decode errors on args / encodings
for a in ["", "1,2", "nil", "{}", "true", "function() end", "123", "-1.5", "''", "' '", "'\\0'", "'\\0\\0'", "'1\\0'",
          "'\\0001'", "'[1]\\0garbage'", "'1 \\0 x'", "' \\0'", "'\"a\\0b\"'", "'[\"a\\0\"]'", "'\"ab\\0'"]:
    add('dec_args', D + "return D(cjson.decode(%s))" % a)
# --- decode invalid numbers off
for j in ["1", "-1", "0", "-0", "0.5", "01", "-01", "00", "0x10", "-0x1", "+1", "nan", "NaN", "-nan", "inf", "-inf", "Infinity",
          "-Infinity", "1e5", "1.", "-.5", ".5", "-", "0e1", "0.0e-1", "[1,+2]", "[01]", "-x", "-\\128", "0\\128"]:
    add('dec_invalid', D + "local r=cjson.decode_invalid_numbers(false) return tostring(r)..' '..D(cjson.decode(\"%s\"))" % j)
for v in ["true", "'on'", "'off'", "'x'", "1", "{}", "nil"]:
    add('dec_invalid', "return tostring(cjson.decode_invalid_numbers(%s))" % v)
add('dec_invalid', "return tostring(cjson.decode_invalid_numbers(1,2))")
add('dec_invalid', D + "cjson.decode_invalid_numbers('off') local a=pcall(cjson.decode,'nan') cjson.decode_invalid_numbers('on') return tostring(a)..D(cjson.decode('[nan]'))")
# --- decode depth
add('dec_depth', "return cjson.encode(cjson.decode(string.rep('[',1000)..string.rep(']',1000)))")
add('dec_depth', "return cjson.decode(string.rep('[',1001)..string.rep(']',1001))")
add('dec_depth', "return cjson.decode(string.rep('[',2000))")
add('dec_depth', "return cjson.decode(string.rep('{\"a\":',1001))")
add('dec_depth', "return 'len '..string.len(cjson.encode(cjson.decode(string.rep('{\"a\":',1000)..'1'..string.rep('}',1000))))")
add('dec_depth', "cjson.decode_max_depth(2) return cjson.encode(cjson.decode('[[1]]'))")
add('dec_depth', "cjson.decode_max_depth(2) return cjson.encode(cjson.decode('[[[1]]]'))")
add('dec_depth', "cjson.decode_max_depth(1) return cjson.encode(cjson.decode('{\"a\":{}}'))")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[',9000))")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":',9000))")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[',7998))")
add('dec_depth', "cjson.decode_max_depth(100000) return 'len '..string.len(cjson.encode(cjson.decode(string.rep('[',7998)..string.rep(']',7998))))")
add('dec_depth', "cjson.decode_max_depth(100000) cjson.encode_max_depth(100000) return 'len '..string.len(cjson.encode(cjson.decode(string.rep('[',7997)..'\"\\\\u00e9\"'..string.rep(']',7997))))")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":',3999)..'1'..string.rep('}',3999)) and 'ok'")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('{\"a\":[',2000)..'1'..string.rep(']}',2000)) and 'ok'")
add('dec_depth', "cjson.decode_max_depth(100000) return cjson.decode(string.rep('[{\"a\":',2700)..'1'..string.rep('}]',2700)) and 'ok'")
# --- round trips and misc
add('misc', "local s='{\"a\":[1,2,3,{\"b\":null}],\"c\":\"\\\\u00e9\"}' return cjson.encode(cjson.decode(s))")
add('misc', "return cjson.encode(cjson.decode('[1e300,-1e-300,0.1,123456789012345678]'))")
add('misc', "local c=cjson.new() c.encode_number_precision(3) return c.encode(1/3)..' '..cjson.encode(1/3)")
add('misc', "local c=cjson.new() c.decode_invalid_numbers(false) return tostring(pcall(c.decode,'nan'))..' '..tostring(cjson.decode('nan'))")
add('misc', "local c=cjson.new() local d=c.new() c.encode_max_depth(1) return tostring(pcall(c.encode,{{}}))..' '..d.encode({{}})")
add('misc', "local e=cjson.encode return e({1})")
add('misc', "local d=cjson.decode return d()")
add('misc', "local c=cjson.new() return c.decode()")
add('misc', "return cjson.encode({cjson.decode('[1,2]'), cjson.decode('{\"x\":[]}')})")
add('misc', "local t={} for i=1,1000 do t[i]={i, tostring(i), {k=i}} end local s=cjson.encode(t) return 'len '..string.len(s)..' '..cjson.encode(cjson.decode(s)[1000])")
add('misc', "local ok,e=pcall(cjson.encode) return e")
add('misc', "local ok,e=pcall(cjson.decode,'[1,2') return e")

# --- KEYS/ARGV, replies that are not strings (the Lua to RESP conversion of decoded values)
add('argv', "return cjson.encode({KEYS, ARGV})", ["k1", "k2"], ["a", "1", "\x00\xff\"\\"])
add('argv', "return cjson.decode(ARGV[1]).a", [], ['{"a":"from argv"}'])
add('argv', D + "return D(cjson.decode(ARGV[1]))", [], ['{"x":[1,2,{"y":null}],"z":"\\u00e9"}'])
add('argv', "return cjson.encode(cjson.decode(ARGV[1]))", [], ['[1e5,"\\ud83d\\ude00",{"k":[]}]'])
add('argv', "return cjson.decode(ARGV[1])", [], [b'"bin\\u0000ary"'])
add('argv', "return cjson.decode(ARGV[1])", [], ['[1,2,"three",[4,5],true]'])
add('argv', "return cjson.decode(ARGV[1])", [], ['[1,null,3]'])
add('argv', "return cjson.decode(ARGV[1])", [], ['{"ok":"fine"}'])
add('argv', "return cjson.decode(ARGV[1])", [], ['{"err":"custom error"}'])
add('argv', "return cjson.decode(ARGV[1])", [], ['3.99'])
add('argv', "return cjson.decode(ARGV[1])", [], ['false'])
add('argv', "return cjson.decode(ARGV[1])", [], ['null'])
add('argv', "return {cjson.decode('[]'), cjson.decode('{}'), cjson.null}", [], [])
add('argv', "return cjson.decode(ARGV[1])", [], ['{"a":1,'])
add('argv', "return cjson.decode(ARGV[1])", [], [b'\x00{}'])

# --- the global table's own settings, changed and put back
add_global("local old = cjson.encode_number_precision() cjson.encode_number_precision(4) "
           "local r = cjson.encode({math.pi, 1e10/3}) cjson.encode_number_precision(old) return r")
add_global("local ok, e = pcall(cjson.encode_max_depth, 0) return tostring(ok) .. ' ' .. e")
add_global("local a, b, c = cjson.encode_sparse_array() local ok, e = pcall(cjson.encode_sparse_array, true, -1) "
           "local a2 = cjson.encode_sparse_array() cjson.encode_sparse_array(a, b, c) "
           "return tostring(a2) .. ' ' .. e")
add_global("cjson.encode_invalid_numbers('null') local r = cjson.encode({0/0, 1/0}) "
           "cjson.encode_invalid_numbers(false) return r")
add_global("cjson.decode_invalid_numbers(false) local ok, e = pcall(cjson.decode, '0x10') "
           "cjson.decode_invalid_numbers(true) return e .. ' ' .. cjson.decode('0x10')")
add_global("cjson.encode_keep_buffer(false) local r = cjson.encode({1}) cjson.encode_keep_buffer(true) "
           "return r .. cjson.encode({2})")
add_global("cjson.decode_max_depth(2) local ok, e = pcall(cjson.decode, '[[[1]]]') cjson.decode_max_depth(1000) "
           "return e")
add_global("cjson.encode_max_depth(2) local ok, e = pcall(cjson.encode, {{{1}}}) cjson.encode_max_depth(1000) "
           "return e")
add_global("cjson.x = 1 return 'modified a library table'")
add_global("cjson.encode = nil return 'modified a library table'")
add_global("local c = cjson.new() c.x = 1 c.encode = nil return tostring(c.x) .. tostring(c.encode)")
add_global("local a, b, c = cjson.encode_sparse_array() return table.concat({tostring(a), b, c, "
           "cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision(), "
           "tostring(cjson.encode_keep_buffer()), tostring(cjson.encode_invalid_numbers()), "
           "tostring(cjson.decode_invalid_numbers())}, ' ')")
