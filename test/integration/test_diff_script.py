#!/usr/bin/env python3
"""test_diff_script: Lua scripting (EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT) against
redis-server 7.0.

Every reply is compared byte for byte with a redis-server given the same data and the same
commands, in RESP2 and in RESP3:
- a table of scripts covering the conversions in both directions (every reply type of RESP2
  and RESP3 read by redis.call, with and without redis.setresp(3); every Lua type returned,
  the status/error/double/map/set/big_number/verbatim tables), the redis.* API and its argument
  errors, the sandbox (globals locked, missing globals, removed functions, protected library
  tables), errors raised and caught (pcall, redis.pcall, error tables), compile errors, shebang
  flags, math.random's generator, KEYS/ARGV, SELECT inside a script;
- the cases of the script libraries (script_cases_*.py: bit, struct, cjson, cmsgpack);
- a seeded random run of read commands over every type, each sent directly and through
  redis.call (the reply converted to Lua and back), with and without RESP3 inside the script;
- writes from scripts on a writable server (standalone redis vs --replica-read-only no), and
  the read-only rules on a replica (a real redis replica of a primary vs replicant read-only
  over the same dump file): READONLY from redis.call and redis.pcall, *_RO, shebang flags;
- the script cache (SCRIPT LOAD/EXISTS/FLUSH, EVALSHA in any case, NOSCRIPT).

Run: REPLICANT=./replicant python3 test/integration/test_diff_script.py
Environment: DIFF_SEED (default fixed), DIFF_OPS (random read commands per protocol).
"""

import importlib
import os
import random
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

# Replies nested thousands deep (a table that contains itself) are read recursively.
sys.setrecursionlimit(50000)

DEFAULT_SEED = 4242
DEFAULT_OPS = 600

# The same data on both servers (written as commands, so both encode it their own way).
SETUP = [
    ("SET", "s", "hello"),
    ("SET", "n", "10"),
    ("SET", "f", "3.5"),
    ("SET", "bin", b"a\x00b\r\nc"),
    ("RPUSH", "l", "a", "b", "c", "1", "2"),
    ("HSET", "h", "f1", "v1", "f2", "2", "f3", "3.25"),
    ("SADD", "st", "x", "y", "z"),
    ("SADD", "si", "1", "2", "3"),
    ("ZADD", "z", "1", "a", "2.5", "b", "-3", "c", "inf", "d"),
    ("XADD", "x", "1-1", "f", "v"),
    ("XADD", "x", "2-1", "g", "w", "h", "u"),
    ("PFADD", "hll", "a", "b", "c"),
    ("SET", "ttl", "v", "EX", "1000"),
    ("SELECT", "3"),
    ("SET", "s", "in-db-3"),
    ("SELECT", "0"),
]

# (script, keys, args): scripts whose replies must be byte-identical.
CASES = [
    # returns of every Lua type
    ("return 1", [], []),
    ("return -7", [], []),
    ("return 3.99", [], []),
    ("return -3.99", [], []),
    ("return 1e30", [], []),
    ("return -1e30", [], []),
    ("return 0/0", [], []),
    ("return 2^53", [], []),
    ("return 'str'", [], []),
    ("return ''", [], []),
    ("return 'a\\0b'", [], []),
    ("return true", [], []),
    ("return false", [], []),
    ("return nil", [], []),
    ("return", [], []),
    ("return {}", [], []),
    ("return {1, 2, 3, 'a', nil, 4}", [], []),
    ("return {1, {2, {3, {'deep'}}}, false, true}", [], []),
    ("return {a = 1, b = 2}", [], []),
    ("return {ok = 'fine'}", [], []),
    ("return {ok = 'two\\r\\nlines'}", [], []),
    ("return {ok = 'nul\\0cut'}", [], []),
    ("return {err = 'bad thing'}", [], []),
    ("return {err = '-bad thing'}", [], []),
    ("return {err = 'MYCODE bad thing'}", [], []),
    ("return {err = 'trailing\\r\\n'}", [], []),
    ("return {err = 'mid\\ndle'}", [], []),
    ("return {err = 5}", [], []),
    ("return {ok = 5}", [], []),
    ("return {double = 3.5}", [], []),
    ("return {double = 1/0}", [], []),
    ("return {double = -1/0}", [], []),
    ("return {double = 'x'}", [], []),
    ("return {big_number = '123456789012345678901234567890'}", [], []),
    ("return {big_number = 'a\\r\\nb'}", [], []),
    ("return {verbatim_string = {format = 'txt', string = 'hello'}}", [], []),
    ("return {verbatim_string = {format = 'mk', string = 'x'}}", [], []),
    ("return {verbatim_string = {format = 'markdown', string = 'x'}}", [], []),
    ("return {verbatim_string = {format = 'txt'}}", [], []),
    ("return {map = {}}", [], []),
    ("return {map = {a = 1}}", [], []),
    ("return {map = {a = {1, 2}}}", [], []),
    ("return {set = {}}", [], []),
    ("return {set = {a = true}}", [], []),
    ("return {set = {a = false}}", [], []),
    ("return {err = 'e', ok = 'o'}", [], []),
    ("return {ok = 'o', double = 1}", [], []),
    ("return function() end", [], []),
    ("return coroutine.create(function() end)", [], []),
    ("return redis.status_reply('X')", [], []),
    ("return redis.status_reply('')", [], []),
    ("return redis.error_reply('X')", [], []),
    ("return redis.error_reply('ERR X')", [], []),
    ("return redis.error_reply('-CODE msg')", [], []),
    ("return redis.error_reply('-')", [], []),
    ("return redis.error_reply('')", [], []),
    ("return redis.error_reply()", [], []),
    ("return redis.error_reply(1)", [], []),
    ("return redis.status_reply()", [], []),
    ("return redis.status_reply(1, 2)", [], []),
    ("return type(redis.error_reply('x'))", [], []),
    ("return redis.error_reply('x')['err']", [], []),
    # KEYS and ARGV
    ("return {KEYS[1], ARGV[1], #KEYS, #ARGV}", ["k1"], ["a1"]),
    ("return KEYS", ["a", "b", "c"], []),
    ("return ARGV", [], ["x", "", "z"]),
    ("return #KEYS + #ARGV", [], []),
    ("KEYS[1] = 'changed'; return KEYS[1]", ["k"], []),
    # redis.call and redis.pcall: every reply shape
    ("return redis.call('get', 's')", [], []),
    ("return redis.call('get', KEYS[1])", ["bin"], []),
    ("return redis.call('get', 'nokey')", [], []),
    ("return type(redis.call('get', 'nokey'))", [], []),
    ("return redis.call('incrby', 'nokey', 0)", [], []),
    ("return redis.call('type', 's')", [], []),
    ("return type(redis.call('type', 's'))", [], []),
    ("return redis.call('type', 's')['ok']", [], []),
    ("return redis.call('ping')", [], []),
    ("return redis.call('lrange', 'l', 0, -1)", [], []),
    ("return redis.call('lrange', 'l', '0', '-1')", [], []),
    ("return redis.call('lrange', 'l', 0.5, 2)", [], []),
    ("return redis.call('hgetall', 'h')", [], []),
    ("return redis.call('zrange', 'z', 0, -1, 'withscores')", [], []),
    ("return redis.call('zscore', 'z', 'b')", [], []),
    ("return redis.call('zscore', 'z', 'nope')", [], []),
    ("return redis.call('smembers', 'si')", [], []),
    ("return redis.call('xrange', 'x', '-', '+')", [], []),
    ("return redis.call('exists', 's', 'n', 'nokey')", [], []),
    ("return redis.call('strlen', 'bin')", [], []),
    ("return redis.call('ttl', 's')", [], []),
    ("return redis.call('object', 'encoding', 'n')", [], []),
    ("return redis.call('lpos', 'l', 'zz')", [], []),
    ("return redis.call('blpop', 'nolist', 0)", [], []),
    ("return redis.call('xread', 'block', 0, 'streams', 'x', '$')", [], []),
    ("return redis.call('incrbyfloat', 'f', 0)", [], []),
    ("return redis.call('pfcount', 'hll')", [], []),
    ("return redis.call('echo', 'x\\0y')", [], []),
    ("return redis.call('GET', 's')", [], []),
    ("return redis.call('Get', 's')", [], []),
    ("return redis.call('get', 's', 'extra')", [], []),
    ("return redis.call('nosuch')", [], []),
    ("return redis.call('client', 'nosuchsub')", [], []),
    ("return redis.call('client')", [], []),
    ("return redis.call()", [], []),
    ("return redis.pcall()", [], []),
    ("return redis.call('get', {})", [], []),
    ("return redis.call('get', true)", [], []),
    ("return redis.call('get', nil)", [], []),
    ("return redis.pcall('get', {})", [], []),
    ("return redis.call('incr', 's')", [], []),
    ("return redis.pcall('incr', 's')", [], []),
    ("return redis.pcall('incr', 's')['err']", [], []),
    ("local t = redis.pcall('incr', 's'); local n = 0; "
     "for k, v in pairs(t) do n = n + 1 end; return n", [], []),
    ("return redis.pcall('lpush', 's', 'x')", [], []),
    ("return redis.pcall('nosuch')", [], []),
    ("return redis.pcall('get')", [], []),
    ("return redis.call('eval', 'return 1', 0)", [], []),
    ("return redis.call('multi')", [], []),
    ("return redis.call('watch', 'c')", [], []),
    ("return redis.call('script', 'load', 'return 1')", [], []),
    ("return redis.call('client', 'id')", [], []),
    ("return redis.call('select', 3)", [], []),
    ("redis.call('select', 3); return redis.call('get', 's')", [], []),
    ("redis.call('select', 3); return redis.call('dbsize')", [], []),
    ("return redis.call('get', 's')", [], []),
    ("return redis.call('select', 99)", [], []),
    ("return redis.call('get', 12345678901234567890)", [], []),
    ("return redis.call('echo', 0.1)", [], []),
    ("return redis.call('echo', 1/3)", [], []),
    ("return redis.call('echo', -0.0)", [], []),
    ("return redis.call('echo', 1e300 * 10)", [], []),
    ("return redis.call('echo', 100)", [], []),
    # RESP3 inside the script
    ("redis.setresp(3); return redis.call('hgetall', 'h')", [], []),
    ("redis.setresp(3); local r = redis.call('hgetall', 'h'); return r['map']['f1']", [], []),
    ("redis.setresp(3); return type(redis.call('hgetall', 'h')['map'])", [], []),
    ("redis.setresp(3); return redis.call('smembers', 'st')['set']['x']", [], []),
    ("redis.setresp(3); return redis.call('zscore', 'z', 'b')", [], []),
    ("redis.setresp(3); return redis.call('zscore', 'z', 'b')['double']", [], []),
    ("redis.setresp(3); return redis.call('zscore', 'z', 'd')", [], []),
    ("redis.setresp(3); return redis.call('zscore', 'z', 'none')", [], []),
    ("redis.setresp(3); return type(redis.call('get', 'nokey'))", [], []),
    ("redis.setresp(3); return redis.call('get', 'nokey')", [], []),
    ("redis.setresp(3); return redis.call('zrange', 'z', 0, -1, 'withscores')", [], []),
    ("redis.setresp(3); return redis.call('zpopmin', 'nozset')", [], []),
    ("redis.setresp(3); return redis.call('xinfo', 'stream', 'x')", [], []),
    ("redis.setresp(3); return redis.call('lpos', 'l', 'zz')", [], []),
    ("redis.setresp(3); return true", [], []),
    ("redis.setresp(3); return false", [], []),
    ("redis.setresp(3); return nil", [], []),
    ("redis.setresp(2); return false", [], []),
    ("return redis.setresp(3)", [], []),
    ("return redis.setresp(4)", [], []),
    ("return redis.setresp()", [], []),
    ("return redis.setresp('3')", [], []),
    # the redis.* API
    ("return redis.sha1hex('')", [], []),
    ("return redis.sha1hex('abc')", [], []),
    ("return redis.sha1hex(123)", [], []),
    ("return redis.sha1hex()", [], []),
    ("return redis.sha1hex('a', 'b')", [], []),
    ("return redis.log(redis.LOG_WARNING, 'from a script', 1, 2)", [], []),
    ("return redis.log(redis.LOG_DEBUG, 'quiet')", [], []),
    ("return redis.log(redis.LOG_WARNING)", [], []),
    ("return redis.log('x', 'y')", [], []),
    ("return redis.log(7, 'y')", [], []),
    ("return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}", [], []),
    ("return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, "
     "redis.REPL_ALL}", [], []),
    ("return redis.set_repl(redis.REPL_ALL)", [], []),
    ("return redis.set_repl(8)", [], []),
    ("return redis.set_repl()", [], []),
    ("return redis.replicate_commands()", [], []),
    ("return redis.breakpoint()", [], []),
    ("return redis.debug('x')", [], []),
    ("return redis.acl_check_cmd('get', 'x')", [], []),
    ("return redis.acl_check_cmd('nosuch')", [], []),
    ("return redis.acl_check_cmd()", [], []),
    ("return redis.REDIS_VERSION", [], []),
    ("return redis.REDIS_VERSION_NUM", [], []),
    # errors
    ("return 1 +", [], []),
    ("this is not lua", [], []),
    ("error('boom')", [], []),
    ("error('boom', 0)", [], []),
    ("error('boom', 2)", [], []),
    ("error({err = 'MY boom'})", [], []),
    ("error({err = 'MY boom', source = 'src', line = 7})", [], []),
    ("error(42)", [], []),
    ("error(true)", [], []),
    ("local x = nil; return x.field", [], []),
    ("return #nil", [], []),
    ("return ('x'):bad()", [], []),
    ("return redis.call('incr', 's')", [], []),
    ("local ok, e = pcall(function() return redis.call('incr', 's') end); return {tostring(ok), e}",
     [], []),
    ("local ok, e = pcall(error, 'plain'); return {tostring(ok), e}", [], []),
    ("local ok, e = pcall(error, {err = 'T x'}); return {tostring(ok), e}", [], []),
    ("local ok, e = pcall(error, {other = 1}); return {tostring(ok), type(e)}", [], []),
    ("local ok, a, b = pcall(function() return 1, 2 end); return {tostring(ok), a, b}", [], []),
    ("return pcall()", [], []),
    ("return {xpcall(function() error('x') end, function(e) return 'handled: ' .. e end)}",
     [], []),
    ("\n\nerror('line three')", [], []),
    ("local function f() error('inner') end\nlocal function g() f() end\ng()", [], []),
    # the sandbox
    ("x = 5", [], []),
    ("return y", [], []),
    ("return _G.y", [], []),
    ("_G.x = 1", [], []),
    ("string.foo = 1", [], []),
    ("string.upper = nil", [], []),
    ("redis.call = nil", [], []),
    ("math.pi = 3", [], []),
    ("rawset(_G, 'x', 1)", [], []),
    ("return rawget(_G, 'y')", [], []),
    ("return type(rawget(_G, 'redis'))", [], []),
    ("return type(rawget(string, 'upper'))", [], []),
    ("local n = 0; for k in pairs(string) do n = n + 1 end; return n", [], []),
    ("local n = 0; for k in pairs(redis) do n = n + 1 end; return n", [], []),
    ("local n = 0; for k in pairs(math) do n = n + 1 end; return n", [], []),
    ("local n = 0; for k in pairs(table) do n = n + 1 end; return n", [], []),
    ("local t = {}; for k in pairs(_G) do t[#t + 1] = k end; table.sort(t); return t", [], []),
    ("local t = {}; for k in pairs(redis) do t[#t + 1] = k end; table.sort(t); return t", [], []),
    ("return next(string) ~= nil", [], []),
    ("return type(print)", [], []),
    ("return type(loadfile)", [], []),
    ("return type(dofile)", [], []),
    ("return type(os)", [], []),
    ("return type(io)", [], []),
    ("return type(debug)", [], []),
    ("return type(require)", [], []),
    ("return type(package)", [], []),
    ("return type(module)", [], []),
    ("return {type(cjson), type(bit), type(cmsgpack), type(struct)}", [], []),
    ("return {type(loadstring), type(load), type(setfenv), type(getfenv), type(newproxy), "
     "type(gcinfo), type(coroutine), type(unpack), type(select), type(collectgarbage)}", [], []),
    ("return loadstring('return 1 + 1')()", [], []),
    ("return loadstring('x = 1')()", [], []),
    ("return type(__redis__err__handler)", [], []),
    ("return _VERSION", [], []),
    ("local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}); return t.hi",
     [], []),
    ("return ('abc'):upper()", [], []),
    ("return string.format('%5.2f|%d|%s|%q', 3.14159, 42, 'x', 'a\\nb')", [], []),
    ("return tostring(1/3)", [], []),
    ("return tostring(123456789012)", [], []),
    ("return tonumber('0x10')", [], []),
    ("return table.concat({1, 2, 3}, ',')", [], []),
    ("local t = {3, 1, 2}; table.sort(t); return t", [], []),
    ("return {string.byte('AB', 1, 2)}", [], []),
    ("return {math.floor(3.7), math.max(1, 5, 3), math.fmod(7, 3)}", [], []),
    ("return select('#', 1, 2, 3)", [], []),
    ("return {unpack({1, 2, 3})}", [], []),
    ("local co = coroutine.wrap(function() coroutine.yield(1) return 2 end); "
     "return {co(), co()}", [], []),
    ("return string.rep('ab', 3)", [], []),
    ("return #string.rep('x', 100000)", [], []),
    ("local t = {}; t[1] = t; return t", [], []),
    # shebang flags
    ("#!lua\nreturn 1", [], []),
    ("#!lua flags=no-writes\nreturn redis.call('get', 's')", [], []),
    ("#!lua flags=no-writes\nreturn redis.call('set', 's', 'x')", [], []),
    ("#!lua flags=no-writes\nreturn redis.pcall('set', 's', 'x')", [], []),
    ("#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 2",
     [], []),
    ("#!lua flags=\nreturn 3", [], []),
    ("#!lua flags=no-writes,bogus\nreturn 1", [], []),
    ("#!lua x=1\nreturn 1", [], []),
    ("#!luax\nreturn 1", [], []),
    ("#!lua", [], []),
    ("#!\nreturn 1", [], []),
    ("#!lua flags=no-writes\nerror('line two')", [], []),
    # math.random: Redis' generator, state carried across scripts
    ("return math.random(100)", [], []),
    ("return tostring(math.random())", [], []),
    ("return {math.random(5, 10), math.random(5, 10), math.random(5, 10)}", [], []),
    ("math.randomseed(42); return {math.random(1000), math.random(1000)}", [], []),
    ("return math.random(0)", [], []),
    ("return math.random(3, 1)", [], []),
    ("return math.random(1, 2, 3)", [], []),
    ("return math.random('x')", [], []),
    ("math.randomseed(-7); return tostring(math.random())", [], []),
    ("return math.randomseed()", [], []),
]

# Scripts that write: compared on writable servers (and the state after them).
WRITE_CASES = [
    ("return redis.call('set', KEYS[1], ARGV[1])", ["w1"], ["v1"]),
    ("redis.call('incr', 'w2'); redis.call('incr', 'w2'); return redis.call('get', 'w2')", [], []),
    ("redis.call('rpush', 'w3', 1, 2, 3); return redis.call('lrange', 'w3', 0, -1)", [], []),
    ("redis.call('select', 5); redis.call('set', 'w4', 'db5'); return redis.call('dbsize')", [],
     []),
    ("return redis.call('get', 'w4')", [], []),
    ("redis.call('set', 'w5', 'x'); return redis.call('incr', 'w5')", [], []),
    ("return redis.pcall('hset', 'w6', 'f')", [], []),
    ("redis.call('del', 'w1'); return redis.call('exists', 'w1')", [], []),
    ("#!lua\nreturn redis.call('set', 'w7', 'x')", [], []),
    ("return redis.call('expire', 'w2', 100)", [], []),
]

# Read-only rules: compared between a redis replica and replicant read-only (same data).
READONLY_CASES = [
    ("return redis.call('set', 's', 'x')", [], []),
    ("return redis.pcall('set', 's', 'x')", [], []),
    ("return redis.pcall('set', 's', 'x')['err']", [], []),
    ("return redis.call('incr', 's')", [], []),
    ("return redis.call('get', 's')", [], []),
    ("return redis.call('del', 'nokey')", [], []),
    ("#!lua\nreturn 1", [], []),
    ("#!lua\nreturn redis.call('get', 's')", [], []),
    ("#!lua flags=no-writes\nreturn redis.call('get', 's')", [], []),
    ("#!lua flags=no-writes\nreturn redis.call('set', 's', 'y')", [], []),
    ("#!lua flags=allow-stale\nreturn 1", [], []),
]


def library_cases():
    """The CASES of the script_cases_<lib>.py modules beside this file."""
    out = []
    for name in ("bit", "struct", "cjson", "cmsgpack"):
        mod = importlib.import_module("script_cases_" + name)
        out += [(name,) + tuple(c) for c in mod.CASES]
    return out


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def eval_args(script, keys, args):
    return ["EVAL", script, str(len(keys))] + list(keys) + list(args)


def fill(c):
    for cmd in SETUP:
        r = c.call(*cmd)
        if r.startswith(b"-"):
            raise h.HarnessError("setup %r: %r" % (cmd, r))


def pair(*replicant_args):
    rs = h.redis()
    ps = h.replicant(*replicant_args)
    return rs, ps


def compare_cases(m, cases, r, p, label):
    for case in cases:
        script, keys, args = case[-3:]
        cmd = eval_args(script, keys, args)
        m.expect("%s %r" % (label, case), r.call(*cmd), p.call(*cmd))


def test_cases_resp2_and_resp3():
    rs, ps = pair("--replica-read-only", "no")
    m = h.Mismatches()
    for proto in (2, 3):
        r, p = rs.client(), ps.client()
        if proto == 3:
            m.expect("HELLO 3 proto", b"3" in r.call("HELLO", "3"), b"3" in p.call("HELLO", "3"))
        fill(r)
        fill(p)
        compare_cases(m, CASES, r, p, "RESP%d" % proto)
        r.call("FLUSHALL")
        p.call("FLUSHALL")
    m.done()


def test_library_cases():
    rs, ps = pair("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()
    compare_cases(m, library_cases(), r, p, "lib")
    m.done()


def random_read(rnd):
    """A random read command over the SETUP keys (and missing ones, and wrong types). Not
    "st" (Redis 7.0 keeps small string sets as hashtables, in another order than replicant's
    7.2-style listpacks) nor "ttl" (its PTTL moves between the two reads)."""
    key = rnd.choice(["s", "n", "f", "bin", "l", "h", "si", "z", "x", "hll", "nokey"])
    i = lambda: str(rnd.randint(-4, 4))  # noqa: E731
    choices = [
        ("GET", key), ("STRLEN", key), ("TYPE", key), ("EXISTS", key, "s"),
        ("TTL", key), ("PTTL", key), ("GETRANGE", key, i(), i()), ("GETBIT", key, "3"),
        ("BITCOUNT", key), ("LRANGE", key, i(), i()), ("LLEN", key), ("LINDEX", key, i()),
        ("LPOS", key, rnd.choice(["a", "1", "q"])), ("HGETALL", key), ("HGET", key, "f1"),
        ("HMGET", key, "f1", "nof", "f3"), ("HKEYS", key), ("HLEN", key),
        ("HRANDFIELD", key, "0"), ("SMEMBERS", key), ("SISMEMBER", key, "x"),
        ("SMISMEMBER", key, "x", "q"), ("SCARD", key), ("SINTER", key, "si"),
        ("ZRANGE", key, i(), i(), "WITHSCORES"), ("ZSCORE", key, rnd.choice(["a", "b", "d"])),
        ("ZMSCORE", key, "a", "q"), ("ZRANK", key, "b"), ("ZCARD", key),
        ("ZRANGEBYSCORE", key, "-inf", "+inf", "WITHSCORES"), ("ZCOUNT", key, "0", "3"),
        ("XRANGE", key, "-", "+"), ("XLEN", key), ("XREVRANGE", key, "+", "-", "COUNT", "1"),
        ("PFCOUNT", key), ("DUMP", key), ("MGET", key, "s"),
        ("DBSIZE",), ("ECHO", key), ("PING",), ("LCS", "s", "bin"),
        ("SUBSTR", key, "0", "2"), ("XINFO", "STREAM", key), ("ZRANDMEMBER", key, "0"),
        ("GEOPOS", key, "a"), ("SORT", key, "ALPHA"), ("SORT_RO", key, "LIMIT", "0", "2"),
        ("BITPOS", key, "1"), ("TOUCH", key), ("OBJECT", "REFCOUNT", key),
    ]
    return rnd.choice(choices)


def lua_quote(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


def test_random_reads_through_redis_call():
    seed, ops = settings()
    rnd = random.Random(seed)
    rs, ps = pair("--replica-read-only", "no")
    m = h.Mismatches()
    for proto in (2, 3):
        r, p = rs.client(), ps.client()
        if proto == 3:
            r.call("HELLO", "3")
            p.call("HELLO", "3")
        fill(r)
        fill(p)
        for _ in range(ops):
            cmd = random_read(rnd)
            m.expect("direct %r" % (cmd,), r.call(*cmd), p.call(*cmd))
            pre = rnd.choice(["", "", "redis.setresp(3); "])
            call = rnd.choice(["call", "pcall"])
            wrap = rnd.choice(["%s", "%s", "type(%s)", "{%s}"])
            body = "return " + wrap % ("redis.%s(%s)" % (call, ", ".join(
                lua_quote(a) for a in cmd)))
            ev = eval_args(pre + body, [], [])
            m.expect("eval %r" % (pre + body,), r.call(*ev), p.call(*ev))
        r.call("FLUSHALL")
        p.call("FLUSHALL")
    m.done()


def test_writes_from_scripts():
    rs, ps = pair("--replica-read-only", "no")
    m = h.Mismatches()
    r, p = rs.client(), ps.client()
    fill(r)
    fill(p)
    compare_cases(m, WRITE_CASES, r, p, "write")
    for k in ("w1", "w2", "w3", "w5", "w6", "w7"):
        for cmd in (("TYPE", k), ("DUMP", k), ("TTL", k)):
            m.expect("after %r" % (cmd,), r.call(*cmd), p.call(*cmd))
    m.expect("db5", r.call("SELECT", "5") + r.call("GET", "w4"),
             p.call("SELECT", "5") + p.call("GET", "w4"))
    # MULTI/EXEC around scripts; WATCH sees a script's write
    for c in (r, p):
        c.call("SELECT", "0")
    for cmd in (("MULTI",), ("EVAL", "return redis.call('incr', 'm1')", "0"),
                ("EVAL", "return redis.call('get', 'm1')", "0"), ("EXEC",)):
        m.expect("multi %r" % (cmd,), r.call(*cmd), p.call(*cmd))
    r2, p2 = rs.client(), ps.client()
    for cmd in (("WATCH", "m1"), ("MULTI",), ("GET", "m1")):
        m.expect("watch %r" % (cmd,), r.call(*cmd), p.call(*cmd))
    m.expect("other client's script", r2.call("EVAL", "return redis.call('incr', 'm1')", "0"),
             p2.call("EVAL", "return redis.call('incr', 'm1')", "0"))
    m.expect("watched EXEC", r.call("EXEC"), p.call("EXEC"))
    m.done()


def wait_synced(replica_client):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if b"master_link_status:up" in replica_client.call("INFO", "replication"):
            return
        time.sleep(0.05)
    raise h.HarnessError("redis replica did not sync")


def test_readonly_replica_rules():
    src = h.redis()
    c = src.client()
    fill(c)
    h.eq(c.call("SAVE"), b"+OK\r\n", "SAVE")
    dirs = [h.tmpdir() for _ in range(2)]
    for d in dirs:
        shutil.copy(os.path.join(src.dir, "dump.rdb"), d)
    primary = h.redis("--dir", dirs[0], "--dbfilename", "dump.rdb")
    replica = h.redis("--replicaof", "127.0.0.1", str(primary.port))
    rc = replica.client()
    wait_synced(rc)
    ps = h.replicant("--dir", dirs[1], "--dbfilename", "dump.rdb", "--replicaof", "127.0.0.1",
                     str(h.free_port()))
    m = h.Mismatches()
    for proto in (2, 3):
        r, p = replica.client(), ps.client()
        if proto == 3:
            r.call("HELLO", "3")
            p.call("HELLO", "3")
        compare_cases(m, READONLY_CASES, r, p, "RESP%d replica" % proto)
        for script, keys, args in READONLY_CASES[:4] + READONLY_CASES[7:]:
            cmd = ["EVAL_RO", script, str(len(keys))] + keys + args
            m.expect("EVAL_RO %r" % script, r.call(*cmd), p.call(*cmd))
            sha = r.call("SCRIPT", "LOAD", script)
            m.expect("SCRIPT LOAD %r" % script, sha, p.call("SCRIPT", "LOAD", script))
            sha = sha.split(b"\r\n")[1]
            for name in ("EVALSHA", "EVALSHA_RO"):
                cmd = [name, sha, "0"]
                m.expect("%s %r" % (name, script), r.call(*cmd), p.call(*cmd))
    m.done()


def test_script_cache():
    rs, ps = pair("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()
    seq = [
        ("SCRIPT", "LOAD", "return 'cached'"),
        ("SCRIPT", "LOAD", "return 1 +"),
        ("SCRIPT", "LOAD", "#!lua flags=bogus\nreturn 1"),
        ("SCRIPT", "EXISTS", "1e3f5db45e5b4e8bf4c1bb1a0b5d7a9f6d2e2b3c"),
        ("EVALSHA", "0000000000000000000000000000000000000000", "0"),
        ("EVALSHA", "short", "0"),
        ("EVALSHA_RO", "short", "0"),
        ("EVAL", "return 'via eval'", "0"),
        ("SCRIPT", "EXISTS", "a", "b"),
        ("SCRIPT", "FLUSH", "x"),
        ("SCRIPT", "FLUSH", "ASYNC", "x"),
        ("SCRIPT", "KILL"),
        ("SCRIPT", "KILL", "x"),
        ("SCRIPT", "HELP"),
        ("SCRIPT", "NOSUCH"),
        ("SCRIPT", "DEBUG", "maybe"),
        ("SCRIPT", "DEBUG", "NO"),
        ("SCRIPT",),
        ("EVAL", "return 1"),
        ("EVAL", "return 1", "x"),
        ("EVAL", "return 1", "2", "a"),
        ("EVAL", "return 1", "-1"),
        ("EVAL", "return 1", "99999999999999999999"),
        ("EVAL", "return {KEYS[1], ARGV[1]}", "1", "k", "a"),
    ]
    for cmd in seq:
        m.expect("%r" % (cmd,), r.call(*cmd), p.call(*cmd))
    for body in ("return 'cached'", "return 'via eval'"):
        sha = r.call("SCRIPT", "LOAD", body).split(b"\r\n")[1].decode()
        for variant in (sha, sha.upper()):
            for cmd in (("EVALSHA", variant, "0"), ("EVALSHA_RO", variant, "0"),
                        ("SCRIPT", "EXISTS", variant, "nope")):
                m.expect("%r" % (cmd,), r.call(*cmd), p.call(*cmd))
    for mode in ((), ("SYNC",), ("ASYNC",)):
        m.expect("flush %r" % (mode,), r.call("SCRIPT", "FLUSH", *mode),
                 p.call("SCRIPT", "FLUSH", *mode))
        m.expect("gone after flush", r.call("EVALSHA", sha, "0"), p.call("EVALSHA", sha, "0"))
        r.call("SCRIPT", "LOAD", "return 'via eval'")
        p.call("SCRIPT", "LOAD", "return 'via eval'")
    # (SCRIPT's subcommands are compared as a set by test_command_table.py)
    m.expect("COMMAND INFO", r.call("COMMAND", "INFO", "eval", "evalsha_ro", "eval_ro"),
             p.call("COMMAND", "INFO", "eval", "evalsha_ro", "eval_ro"))
    m.expect("COMMAND GETKEYS", r.call("COMMAND", "GETKEYS", "EVAL", "x", "2", "a", "b", "c"),
             p.call("COMMAND", "GETKEYS", "EVAL", "x", "2", "a", "b", "c"))
    m.done()


def test_hostile_scripts_keep_the_server_up():
    """Scripts that recurse, allocate, loop over errors or nest deeply must leave replicant
    serving (the replies are compared where Redis' are deterministic)."""
    rs, ps = pair("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()
    for script in (
        "local function f() return f() + 1 end; return f()",
        "local t = {}; for i = 1, 200000 do t[i] = i end; return #t",
        "local s = ''; for i = 1, 2000 do s = s .. 'x' end; return #s",
        "local t = {}; local c = t; for i = 1, 10000 do c[1] = {}; c = c[1] end; return t",
        "for i = 1, 1000 do pcall(redis.call, 'nosuch') end; return 'ok'",
        "return string.rep('x', 1000000)",
        "return redis.call('lrange', 'l', 0, -1)",
        "local r = {}; for i = 1, 1000 do r[i] = redis.call('ping') end; return #r",
    ):
        m.expect(script, r.call("EVAL", script, "0"), p.call("EVAL", script, "0"))
    m.expect("still serving", b"+PONG\r\n", p.call("PING"))
    m.done()


def test_busy_script_and_script_kill():
    """A script past busy-reply-threshold: other clients get -BUSY (commands allowed while busy
    still run), SCRIPT KILL stops it (also when it catches errors with pcall), and refuses
    with -UNKILLABLE once the script wrote; every reply compared with redis-server's."""
    rs, ps = pair("--replica-read-only", "no", "--busy-reply-threshold", "100")
    h.eq(rs.client().call("CONFIG", "SET", "busy-reply-threshold", "100"), b"+OK\r\n", "CONFIG")
    m = h.Mismatches()
    for label, loop in (("plain", "while true do end"),
                        ("pcall", "while true do pcall(function() while true do end end) end")):
        got = {}
        for name, srv in (("redis", rs), ("replicant", ps)):
            a, b = srv.client(), srv.client()
            a.send(h.mbulk("EVAL", loop, "0"))
            time.sleep(0.4)
            seq = [b.call("PING"), b.call("GET", "s"), b.call("SET", "s", "x"),
                   b.call("MULTI"), b.call("PING"), b.call("DISCARD"),
                   b.call("SCRIPT", "KILL")]
            seq.append(a.read_reply(timeout=10))
            seq.append(b.call("PING"))
            seq.append(b.call("SCRIPT", "KILL"))
            got[name] = seq
        for i, (x, y) in enumerate(zip(got["redis"], got["replicant"])):
            m.expect("%s step %d" % (label, i), x, y)
    # A script that wrote cannot be killed: it runs to its end.
    script = "redis.call('set', 'w', '1') local n = 0 for i = 1, 100000000 do n = n + 1 end return n"
    got = {}
    for name, srv in (("redis", rs), ("replicant", ps)):
        a, b = srv.client(), srv.client()
        a.send(h.mbulk("EVAL", script, "0"))
        time.sleep(0.3)
        seq = [b.call("SCRIPT", "KILL")]
        seq.append(a.read_reply(timeout=60))
        seq.append(b.call("GET", "w"))
        got[name] = seq
    for i, (x, y) in enumerate(zip(got["redis"], got["replicant"])):
        m.expect("unkillable step %d" % i, x, y)
    m.done()


if __name__ == "__main__":
    h.run(globals())
