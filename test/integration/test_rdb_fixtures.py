#!/usr/bin/env python3
"""test_rdb_fixtures: replicant loads the RDB files written by real Redis and Valkey servers
(test/fixtures/*.rdb, RDB versions 9 to 12) at start-up and serves exactly what those servers
held, as listed in each file's .expected.jsonl (format in test/fixtures/README.md).

For every key: TYPE, the value read back through the type's own read command (GET, LRANGE,
SMEMBERS, ZRANGE WITHSCORES, HGETALL), the key's PEXPIRETIME, and for hashes with field expiry
HPEXPIRETIME of each such field. Scores are compared as numbers (the files' servers print them in
two styles). DBSIZE of each database must equal the number of keys listed for it. Streams: the
entries (XRANGE), XLEN, the last id (XINFO STREAM), and each consumer group's last delivered id
and pending entries (XINFO GROUPS, XPENDING with their consumers and delivery counts).

Also: a copy of a fixture cut short, one with a flipped byte in a value and one with a broken
checksum must each stop start-up with exit status 1 and a reason in the log, never a crash.

Run: REPLICANT=./replicant python3 test/integration/test_rdb_fixtures.py [name-substring ...]
"""

import glob
import json
import os
import re
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, decode, eq  # noqa: E402

FIXTURES = os.environ.get("FIXTURES_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def b(s):
    """A fixture string (one code point a byte) as bytes."""
    return s.encode("latin-1")


def fixture_names():
    return sorted(os.path.basename(p)[:-4] for p in glob.glob(os.path.join(FIXTURES, "*.rdb")))


def expected(name):
    keys, functions = [], []
    with open(os.path.join(FIXTURES, name + ".expected.jsonl"), encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            o = json.loads(line)
            if "functions" in o:
                functions = o["functions"]
            else:
                keys.append(o)
    return keys, functions


def start_with(path, name="dump.rdb", wait=True):
    d = harness.tmpdir()
    shutil.copy(path, os.path.join(d, name))
    return harness.replicant("--dir", d, "--dbfilename", name, wait=wait)


def score(v):
    return float(v.decode() if isinstance(v, bytes) else v)


def check_key(c, e):
    key = b(e["key"])
    what = "db %d key %r" % (e["db"], e["key"][:60])
    t = e["type"]
    eq(decode(c.call("TYPE", key)).v, t.encode(), what + " TYPE")
    if t == "string":
        eq(decode(c.call("GET", key)).v, b(e["value"]), what)
    elif t == "list":
        got = [x.v for x in decode(c.call("LRANGE", key, "0", "-1")).v]
        eq(got, [b(x) for x in e["value"]], what)
    elif t == "set":
        got = sorted(x.v for x in decode(c.call("SMEMBERS", key)).v)
        eq(got, sorted(b(x) for x in e["value"]), what)
    elif t == "zset":
        r = decode(c.call("ZRANGE", key, "0", "-1", "WITHSCORES")).v
        got = [(r[i].v, score(r[i + 1].v)) for i in range(0, len(r), 2)]
        eq(got, [(b(m), score(s)) for m, s in e["value"]], what)
    elif t == "hash":
        r = decode(c.call("HGETALL", key)).v
        got = sorted((r[i].v, r[i + 1].v) for i in range(0, len(r), 2))
        eq(got, sorted((b(f), b(v)) for f, v in e["value"]), what)
        for f, ms in (e.get("field_expire_ms") or {}).items():
            r = decode(c.call("HPEXPIRETIME", key, "FIELDS", "1", b(f)))
            eq([x.v for x in r.v], [ms], what + " HPEXPIRETIME " + f)
    elif t == "stream":
        check_stream(c, key, e["value"], what)
    else:
        raise AssertionError("unknown type in fixture: %r" % t)
    want = e["expire_ms"] if e["expire_ms"] is not None else -1
    eq(decode(c.call("PEXPIRETIME", key)).v, want, what + " PEXPIRETIME")


def pairs(reply):
    """An XINFO map reply (RESP2: a flat array) as a dict of bytes keys."""
    v = reply.v
    return {v[i].v: v[i + 1] for i in range(0, len(v), 2)}


def check_stream(c, key, want, what):
    r = decode(c.call("XRANGE", key, "-", "+")).v
    got = [(x.v[0].v, [f.v for f in x.v[1].v]) for x in r]
    eq(got, [(b(i), [b(f) for f in fv]) for i, fv in want["entries"]], what + " entries")
    eq(decode(c.call("XLEN", key)).v, want["length"], what + " XLEN")
    info = pairs(decode(c.call("XINFO", "STREAM", key)))
    eq(info[b"last-generated-id"].v, b(want["last_id"]), what + " last id")
    groups = [pairs(g) for g in decode(c.call("XINFO", "GROUPS", key)).v]
    eq([g[b"name"].v for g in groups], [b(g["name"]) for g in want["groups"]], what + " groups")
    for g, w in zip(groups, want["groups"]):
        gw = what + " group " + w["name"]
        eq(g[b"last-delivered-id"].v, b(w["last_delivered_id"]), gw + " last delivered id")
        eq(g[b"pending"].v, len(w["pending"]), gw + " pending count")
        r = decode(c.call("XPENDING", key, b(w["name"]), "-", "+", "1000000")).v
        got = [(x.v[0].v, x.v[1].v, x.v[3].v) for x in r]
        eq(got, [(b(i), b(n), d) for i, n, d in w["pending"]], gw + " pending")


def check_fixture(name):
    keys, _ = expected(name)
    srv = start_with(os.path.join(FIXTURES, name + ".rdb"))
    # Start-up accepts connections before the load ends (they wait for it): read the log after.
    with srv.client() as c:
        c.call("PING")
    log = srv.log_text()
    check("Done loading RDB, keys loaded: %d," % len(keys) in log,
          "%s: wrong key count in the log:\n%s" % (name, log))
    with srv.client() as c:
        per_db = {}
        for e in keys:
            per_db[e["db"]] = per_db.get(e["db"], 0) + 1
        for db in range(16):
            c.call("SELECT", str(db))
            eq(decode(c.call("DBSIZE")).v, per_db.get(db, 0), "%s: DBSIZE of db %d" % (name, db))
        cur = None
        for e in sorted(keys, key=lambda e: e["db"]):
            if e["db"] != cur:
                c.call("SELECT", str(e["db"]))
                cur = e["db"]
            check_key(c, e)
    srv.stop()


def make_test(name):
    def t():
        check_fixture(name)
    t.__name__ = "test_load_" + re.sub(r"\W", "_", name)
    return t


for _n in fixture_names():
    _t = make_test(_n)
    globals()[_t.__name__] = _t


def must_refuse(data, what):
    d = harness.tmpdir()
    path = os.path.join(d, "bad.rdb")
    with open(path, "wb") as f:
        f.write(data)
    srv = start_with(path, wait=False)
    rc = srv.wait_exit(30)
    log = srv.log_text()
    srv.stop()
    eq(rc, 1, "%s: exit status (log: %s)" % (what, log[-500:]))
    check("Fatal error loading the DB" in log, "%s: no reason in the log:\n%s" % (what, log))


def test_refuses_damaged_files():
    data = open(os.path.join(FIXTURES, "redis-7.0.15.rdb"), "rb").read()
    for cut in (5, 9, 100, len(data) // 2, len(data) - 9, len(data) - 1):
        must_refuse(data[:cut], "cut at %d" % cut)
    bad = bytearray(data)
    bad[-3] ^= 0x40
    must_refuse(bytes(bad), "checksum")
    bad = bytearray(data)
    bad[len(data) // 3] ^= 0x55
    must_refuse(bytes(bad), "flipped byte")
    must_refuse(b"REDIS0099" + data[9:], "future version")


if __name__ == "__main__":
    harness.run(globals(), need_redis=False)
