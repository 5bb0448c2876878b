#!/usr/bin/env python3
"""test_diff_hash: seeded random differential test of the hash type (issue 4) against
redis-server 7.0.15, and direct checks of Redis 7.4's field expiry on replicant.

test_random_ops_resp2 / _resp3: a fresh standalone redis-server and a fresh replicant
(`--replica-read-only no`), both with hash-max-listpack-entries 128 and -value 64 (7.0.15's
compiled-in default is 512), receive the same random sequence of every 7.0 hash command over a
dozen colliding keys in db 0 and 1, with hashes of 0..300 fields and values up to 100 bytes so
that every conversion happens, integers and floats for HINCRBY/HINCRBYFLOAT, wrong types, bad
arguments and arity errors. Replies are compared byte for byte, except:
  HGETALL, HKEYS, HVALS   exactly for a listpack, as sorted fields / pairs for a hashtable
                          (whose iteration order is the table's)
  HSCAN                   exactly for a listpack (one reply, cursor 0); for a hashtable each
                          side is iterated to completion and the sets of pairs compared
  HRANDFIELD              shape, length, membership (and distinctness for a positive count)
  DUMP                    exactly for a listpack; a hashtable's payload is RESTOREd on the
                          other server and the result compared
  errors                  always byte for byte
OBJECT ENCODING is compared exactly (7.0.15 and 7.2+ choose hash encodings alike). COMMAND INFO
of every hash command is compared once. The run ends comparing every key (TYPE, HLEN, sorted
HGETALL, OBJECT ENCODING).

test_field_expiry: HEXPIRE and the rest cannot be compared with 7.0.15, so they are checked on
replicant alone against expectations derived from Redis 7.4's t_hash.c: replies and errors of
every command, NX/XX/GT/LT, the listpackex encoding and its conversion to a hashtable,
expired fields hidden and (offline mode) deleted on access with the key going with the last
field, HSET dropping a TTL and HINCRBY keeping it, HSCAN NOVALUES, and the DUMP types.

test_fixture_encodings: the RDB files of Redis 7.0.15, 7.4.1 and 8.0 (test/fixtures, or
FIXTURES_DIR) load with the encodings Redis picks, and their listpack blobs are adopted byte for
byte (DUMP gives back the file's bytes).

Run: REPLICANT=./replicant python3 test/integration/test_diff_hash.py [--ops N] [--seed S]
         [name-substring ...]
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run, default 3000; the RESP3
run does a third of that).
"""

import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 4404
DEFAULT_OPS = 3000
CONF = ("--hash-max-listpack-entries", "128", "--hash-max-listpack-value", "64")

KEYS = [b"h0", b"h1", b"h2", b"h3", b"h4", b"h5", b"big1", b"big2", b"", b"h\x00x",
        b"caf\xc3\xa9", b"s1"]
STRING_KEYS = [b"s1", b"str"]
INTS = [b"0", b"1", b"-1", b"10", b"-42", b"9223372036854775807", b"-9223372036854775808",
        b"9223372036854775806", b"007", b"1.5", b"abc", b"", b" 1", b"99999999999999999999",
        b"-0", b"+3"]
FLOATS = [b"0", b"1.5", b"-2.25", b"1e10", b"3.0e-3", b"inf", b"-inf", b"nan", b"abc",
          b"0.1", b"1e308", b"-1e308", b"5", b" 1", b"1.0.0", b"17"]


class Mismatch(AssertionError):
    pass


def show(b, n=300):
    s = repr(bytes(b))
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


def B(x):
    return x if isinstance(x, bytes) else str(x).encode()


class Diff:
    def __init__(self, seed, nops, resp3=False):
        self.seed, self.nops, self.resp3 = seed, nops, resp3
        self.rng = random.Random("%d/hash/resp%d" % (seed, 3 if resp3 else 2))
        self.rs = h.redis(*CONF)
        self.ps = h.replicant("--replica-read-only", "no", *CONF)
        self.rc, self.pc = self.rs.client(), self.ps.client()
        if resp3:
            for c in (self.rc, self.pc):
                h.check(c.call("HELLO", "3").startswith(b"%"), "HELLO 3")
        self.hist = []
        self.ncmd = 0
        self.db = 0
        self.sent = set()
        self.encs = set()

    def tag(self):
        return "seed=%d ops=%d resp%d" % (self.seed, self.nops, 3 if self.resp3 else 2)

    def both(self, *args):
        args = [B(a) for a in args]
        self.ncmd += 1
        self.hist.append(args)
        del self.hist[:-20]
        self.sent.add(args[0].upper().decode())
        req = h.mbulk(*args)
        self.rc.send(req)
        self.pc.send(req)
        return self.rc.read_reply(), self.pc.read_reply()

    def fail(self, why, rr, pr):
        lines = ["DIFF MISMATCH (%s) at command %d: %s" % (self.tag(), self.ncmd, why),
                 "  command:   %s" % b" ".join(self.hist[-1]).decode("latin-1")[:400],
                 "  redis:     %s" % show(rr), "  replicant: %s" % show(pr),
                 "  last commands:"]
        for a in self.hist[-20:]:
            lines.append("    " + show(b" ".join(a), 200))
        if not self.ps.alive():
            lines.append("  replicant died:\n" + self.ps.log_text())
        raise Mismatch("\n".join(lines))

    def exact(self, *args):
        rr, pr = self.both(*args)
        if rr != pr:
            self.fail("replies differ", rr, pr)
        return rr

    def encoding(self, key):
        """redis-server's encoding of key (unrecorded), or None."""
        r = h.decode(self.rc.call("OBJECT", "ENCODING", key))
        self.encs.add(r.v if r.t in "$+" else None)
        return r.v if r.t in "$+" else None

    def sorted_cmp(self, args, pairs):
        rr, pr = self.both(*args)
        if rr == pr:
            return rr
        if rr.startswith(b"-") or pr.startswith(b"-"):
            self.fail("replies differ", rr, pr)
        a, b = h.decode(rr), h.decode(pr)
        if a.t != b.t:
            self.fail("reply types differ", rr, pr)
        if pairs:
            av, bv = flat_pairs(a), flat_pairs(b)
        else:
            av, bv = sorted(x.v for x in a.v), sorted(x.v for x in b.v)
        if sorted(av) != sorted(bv):
            self.fail("replies differ (sorted)", rr, pr)
        return rr

    # ---- argument generators ----

    def key(self):
        return self.rng.choice(KEYS)

    def field(self):
        r = self.rng.random()
        if r < 0.75:
            return b"f%d" % self.rng.randrange(0, 40 if self.rng.random() < 0.7 else 300)
        if r < 0.85:
            return self.rng.choice([b"", b"a b", b"\x00\xff", b"123", b"-5", b"F"])
        return b"long" + b"x" * self.rng.choice([50, 60, 61, 70, 100])

    def value(self):
        r = self.rng.random()
        if r < 0.4:
            return b"v%d" % self.rng.randrange(1000)
        if r < 0.6:
            return self.rng.choice(INTS)
        if r < 0.7:
            return self.rng.choice(FLOATS)
        n = self.rng.choice([0, 1, 10, 63, 64, 65, 80, 100])
        return bytes(self.rng.choice(b"abcxyz019") for _ in range(n))

    def fields(self, lo=1, hi=5):
        return [self.field() for _ in range(self.rng.randint(lo, hi))]

    # ---- reads ----

    def g_hget(self):
        self.exact("HGET", self.key(), self.field())

    def g_hmget(self):
        self.exact("HMGET", self.key(), *self.fields())

    def g_getall(self):
        k = self.key()
        cmd = self.rng.choice(["HGETALL", "HKEYS", "HVALS"])
        if self.encoding(k) in (b"hashtable",):
            self.sorted_cmp((cmd, k), pairs=cmd == "HGETALL")
        else:
            self.exact(cmd, k)

    def g_small(self):
        c = self.rng.choice(["HLEN", "HEXISTS", "HSTRLEN", "TYPE", "EXISTS"])
        if c in ("HEXISTS", "HSTRLEN"):
            self.exact(c, self.key(), self.field())
        else:
            self.exact(c, self.key())

    def g_encoding(self):
        self.exact("OBJECT", "ENCODING", self.key())

    def g_hscan(self):
        k = self.key()
        opts = []
        if self.rng.random() < 0.4:
            opts += ["MATCH", self.rng.choice(["f1*", "*", "f?", "long*", "f[0-3]*", "nope"])]
        if self.rng.random() < 0.5:
            opts += ["COUNT", self.rng.choice(["1", "5", "100", "0", "-1", "x"])]
        if self.rng.random() < 0.05:
            opts += [self.rng.choice(["TYPE", "NOVALUES"]), "hash"]
        cursor = self.rng.choice(["0", "0", "0", "abc", "-1"])
        if self.encoding(k) != b"hashtable":
            self.exact("HSCAN", k, cursor, *opts)
            return
        rr, pr = self.both("HSCAN", k, cursor, *opts)
        if rr.startswith(b"-") or pr.startswith(b"-"):
            if rr != pr:
                self.fail("replies differ", rr, pr)
            return
        if cursor != "0":
            # Where a non-zero cursor points depends on the table: compare the shape only.
            a, b = h.decode(rr), h.decode(pr)
            if not (a.t == b.t == "*" and b.v[0].t == "$" and b.v[1].t == "*"):
                self.fail("HSCAN reply shapes differ", rr, pr)
            return
        a = scan_rest(self.rc, k, h.decode(rr), opts)
        b = scan_rest(self.pc, k, h.decode(pr), opts)
        if a != b:
            self.fail("HSCAN iterations differ: %d vs %d pairs" % (len(a), len(b)), rr, pr)

    def g_hrandfield(self):
        k = self.key()
        r = self.rng.random()
        if r < 0.2:
            args = ["HRANDFIELD", k]
        else:
            cnt = self.rng.choice([0, 1, 2, 5, 50, 200, 400, -1, -3, -50, -300, "x",
                                   "-9223372036854775808", "4611686018427387904"])
            args = ["HRANDFIELD", k, cnt]
            if self.rng.random() < 0.5:
                args.append(self.rng.choice(["WITHVALUES", "withvalues", "junk"]))
            if self.rng.random() < 0.03:
                args.append("extra")
        rr, pr = self.both(*args)
        if rr.startswith(b"-") or pr.startswith(b"-") or rr in (b"$-1\r\n", b"_\r\n", b"*0\r\n"):
            if rr != pr:
                self.fail("replies differ", rr, pr)
            return
        a, b = h.decode(rr), h.decode(pr)
        if a.t != b.t or (a.t == "*" and len(a.v) != len(b.v)):
            self.fail("HRANDFIELD shapes differ", rr, pr)
        content = dict(flat_pairs(h.decode(self.rc.call("HGETALL", k))))
        withvalues = len(args) == 4
        if a.t == "$":
            if b.v not in content:
                self.fail("HRANDFIELD gave a field not in the hash", rr, pr)
            return
        picks = []
        if withvalues and self.resp3:
            picks = [(x.v[0].v, x.v[1].v) for x in b.v]
        elif withvalues:
            picks = [(b.v[i].v, b.v[i + 1].v) for i in range(0, len(b.v), 2)]
        else:
            picks = [(x.v, None) for x in b.v]
        for f, v in picks:
            if f not in content or (withvalues and content[f] != v):
                self.fail("HRANDFIELD pick %s not in the hash" % show(f), rr, pr)
        if int(args[2]) > 0 and len(set(f for f, _ in picks)) != len(picks):
            self.fail("HRANDFIELD repeated a field for a positive count", rr, pr)

    def g_dump(self):
        k = self.key()
        enc = self.encoding(k)
        if enc != b"hashtable":
            self.exact("DUMP", k)
            return
        rr, pr = self.both("DUMP", k)
        # Each payload restored on the other server must give the same hash, and both
        # servers must choose the same encoding for it.
        encs = []
        for src, dst, other in ((rr, self.pc, self.rc), (pr, self.rc, self.pc)):
            p = h.decode(src).v
            got = dst.call("RESTORE", "tmp:restored", "0", p, "REPLACE")
            if got != b"+OK\r\n":
                self.fail("RESTORE of the other's DUMP answered %s" % show(got), rr, pr)
            want = sorted(flat_pairs(h.decode(other.call("HGETALL", k))))
            have = sorted(flat_pairs(h.decode(dst.call("HGETALL", "tmp:restored"))))
            enc2 = dst.call("OBJECT", "ENCODING", "tmp:restored")
            dst.call("DEL", "tmp:restored")
            encs.append(enc2)
            if want != have:
                self.fail("DUMP/RESTORE round trip changed the hash", rr, pr)
        if encs[0] != encs[1]:
            self.fail("RESTORE chose encodings %s (replicant), %s (redis)" % tuple(encs), rr, pr)

    # ---- writes ----

    def g_hset(self):
        k = self.key()
        cmd = self.rng.choice(["HSET", "HSET", "HSET", "HMSET"])
        n = self.rng.choice([1, 1, 2, 3, 5]) if self.rng.random() < 0.9 else \
            self.rng.choice([60, 127, 128, 129, 200])
        args = [cmd, k]
        for _ in range(n):
            args += [self.field(), self.value()]
        if self.rng.random() < 0.03:
            args.append(b"odd")
        self.exact(*args)

    def g_hsetnx(self):
        self.exact("HSETNX", self.key(), self.field(), self.value())

    def g_hdel(self):
        self.exact("HDEL", self.key(), *self.fields(1, 8))

    def g_hincrby(self):
        incr = self.rng.choice(INTS) if self.rng.random() < 0.3 else str(self.rng.randint(-100, 100))
        self.exact("HINCRBY", self.key(), self.field(), incr)

    def g_hincrbyfloat(self):
        incr = self.rng.choice(FLOATS) if self.rng.random() < 0.4 else \
            "%.3f" % self.rng.uniform(-100, 100)
        self.exact("HINCRBYFLOAT", self.key(), self.field(), incr)

    def g_keyspace(self):
        r = self.rng.random()
        k, k2 = self.key(), self.key()
        if r < 0.3:
            self.exact("DEL", k)
        elif r < 0.5:
            self.exact("COPY", k, k2, *(["REPLACE"] if self.rng.random() < 0.5 else []))
        elif r < 0.65:
            self.exact("RENAME", k, k2)
        elif r < 0.8:
            self.exact("SET", self.rng.choice(STRING_KEYS), "x")
        elif r < 0.9:
            self.exact("MOVE", k, "1")
        else:
            self.db = 1 - self.db
            self.exact("SELECT", self.db)

    def g_scan_type(self):
        """SCAN TYPE hash over the whole (small) keyspace, and MEMORY USAGE's shape."""
        rr, pr = self.both("SCAN", "0", "TYPE", self.rng.choice(["hash", "HASH", "string"]),
                           "COUNT", "1000")
        a, b = h.decode(rr), h.decode(pr)
        if a.v[0].v != b"0" or b.v[0].v != b"0" or \
                sorted(x.v for x in a.v[1].v) != sorted(x.v for x in b.v[1].v):
            self.fail("SCAN TYPE differs", rr, pr)
        rr, pr = self.both("MEMORY", "USAGE", self.key())
        if rr[:1] != pr[:1] or (rr[:1] == b":") != (pr[:1] == b":"):
            self.fail("MEMORY USAGE shapes differ", rr, pr)

    def g_arity(self):
        args = self.rng.choice([["HGET", "h0"], ["HSET", "h0", "f"], ["HMSET", "h0", "a", "1", "b"],
                                ["HSETNX", "h0", "f"], ["HDEL", "h0"], ["HLEN"],
                                ["HINCRBY", "h0", "f"], ["HSCAN", "h0"], ["HRANDFIELD"],
                                ["HMGET", "h0"], ["HSTRLEN", "h0", "f", "x"]])
        self.exact(*args)

    def g_grow(self):
        """Fills a key past the thresholds at once, or empties it field by field."""
        k = self.rng.choice([b"big1", b"big2", b"h5"])
        if self.rng.random() < 0.6:
            args = ["HSET", k]
            for i in range(self.rng.choice([100, 130, 250])):
                args += [b"f%d" % self.rng.randrange(300), self.value()]
            self.exact(*args)
        else:
            args = ["HDEL", k] + [b"f%d" % i for i in range(self.rng.randrange(100, 300))]
            self.exact(*args)

    def g_boundary(self):
        """Walks a hash across hash-max-listpack-entries one field at a time, by HSET, HSETNX
        or HINCRBY, comparing the encoding at each step."""
        k = self.rng.choice([b"big1", b"big2"])
        m = self.rng.choice([125, 126, 127, 128])
        self.exact("DEL", k)
        args = ["HSET", k]
        for i in range(m):
            args += [b"b%d" % i, b"%d" % i]
        self.exact(*args)
        self.exact("OBJECT", "ENCODING", k)
        for i in range(m, 130):
            c = self.rng.choice(["HSET", "HSETNX", "HINCRBY", "HINCRBYFLOAT"])
            self.exact(c, k, b"b%d" % i, b"1" if c.startswith("HINCR") else b"x")
            self.exact("OBJECT", "ENCODING", k)
        self.exact("HDEL", k, *[b"b%d" % i for i in range(0, 130, 2)])
        self.exact("OBJECT", "ENCODING", k)

    OPS = [(g_hget, 8), (g_hmget, 4), (g_getall, 5), (g_small, 8), (g_encoding, 4),
           (g_hscan, 3), (g_hrandfield, 4), (g_dump, 2), (g_hset, 14), (g_hsetnx, 3),
           (g_hdel, 6), (g_hincrby, 5), (g_hincrbyfloat, 4), (g_keyspace, 3), (g_arity, 1),
           (g_grow, 1), (g_boundary, 0.3), (g_scan_type, 0.5)]

    def run(self):
        print("# %s" % self.tag())
        sys.stdout.flush()
        gens, weights = zip(*self.OPS)
        start = time.monotonic()
        for c in ("hget", "hmget", "hgetall", "hkeys", "hvals", "hlen", "hexists", "hstrlen",
                  "hscan", "hrandfield", "hset", "hmset", "hsetnx", "hdel", "hincrby",
                  "hincrbyfloat"):
            self.exact("COMMAND", "INFO", c)
        for _ in range(self.nops):
            self.rng.choices(gens, weights)[0](self)
        self.final_compare()
        print("# %s: %d commands in %.1f s" % (self.tag(), self.ncmd, time.monotonic() - start))
        if self.nops >= 1000:
            h.check({b"listpack", b"hashtable"} <= self.encs,
                    "the run never met both encodings: %s" % self.encs)
        if not self.resp3 and self.nops >= 2000:
            missing = {"HGET", "HMGET", "HGETALL", "HKEYS", "HVALS", "HLEN", "HEXISTS",
                       "HSTRLEN", "HSCAN", "HRANDFIELD", "HSET", "HMSET", "HSETNX", "HDEL",
                       "HINCRBY", "HINCRBYFLOAT"} - self.sent
            h.check(not missing, "never sent %s" % missing)

    def final_compare(self):
        for db in (0, 1):
            self.exact("SELECT", db)
            self.sorted_cmp(("KEYS", "*"), pairs=False)
            for k in KEYS:
                self.exact("TYPE", k)
                self.exact("OBJECT", "ENCODING", k)
                if h.decode(self.rc.call("TYPE", k)).v == b"hash":
                    self.exact("HLEN", k)
                    self.sorted_cmp(("HGETALL", k), pairs=True)


def flat_pairs(r):
    """[(field, value)] of an HGETALL-like reply (RESP2 flat array or RESP3 map)."""
    v = r.v or []
    return [(v[i].v, v[i + 1].v) for i in range(0, len(v), 2)]


def scan_rest(c, key, first, opts):
    """Every (field, value) of an HSCAN iteration that started with reply first."""
    out = set()
    r = first
    while True:
        items = r.v[1].v
        out.update((items[i].v, items[i + 1].v) for i in range(0, len(items), 2))
        cursor = r.v[0].v
        if cursor == b"0":
            return out
        r = h.decode(c.call("HSCAN", key, cursor, *opts))


# ---- field expiry (Redis 7.4), replicant alone ----

class One:
    """A replicant and a client with reply assertions."""

    def __init__(self):
        self.s = h.replicant("--replica-read-only", "no", *CONF)
        self.c = self.s.client()

    def call(self, *args):
        return self.c.call(*[B(a) for a in args])

    def eq(self, want, *args):
        got = self.call(*args)
        if isinstance(want, list):
            want = b"*%d\r\n" % len(want) + b"".join(b":%d\r\n" % x for x in want)
        elif isinstance(want, int):
            want = b":%d\r\n" % want
        elif isinstance(want, str):
            want = want.encode()
        h.eq(got, want, " ".join(str(a) for a in args))
        return got

    def ints(self, *args):
        r = h.decode(self.call(*args))
        h.check(r.t == "*", "%s: %r" % (args, r))
        return [x.v for x in r.v]


def test_field_expiry():
    t = One()
    now = int(time.time())
    t.eq(3, "HSET", "h", "a", "1", "b", "2", "c", "3")
    t.eq("$8\r\nlistpack\r\n", "OBJECT", "ENCODING", "h")
    # Errors, in 7.4's order.
    t.eq("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n",
         "HEXPIRE", "h", "100", "NX", "FIELD", "1", "a")
    t.eq("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n",
         "HEXPIRE", "h", "100", "1", "a", "b")
    t.eq("-ERR Parameter `numFields` should be greater than 0\r\n",
         "HEXPIRE", "h", "100", "FIELDS", "0", "a")
    t.eq("-ERR Parameter `numFields` should be greater than 0\r\n",
         "HEXPIRE", "h", "100", "FIELDS", "x", "a")
    t.eq("-ERR The `numfields` parameter must match the number of arguments\r\n",
         "HEXPIRE", "h", "100", "FIELDS", "2", "a")
    t.eq("-ERR value is not an integer or out of range\r\n",
         "HEXPIRE", "h", "1.5", "FIELDS", "1", "a")
    t.eq("-ERR invalid expire time, must be >= 0\r\n", "HPEXPIRE", "h", "-1", "FIELDS", "1", "a")
    t.eq("-ERR invalid expire time in 'hexpire' command\r\n",
         "HEXPIRE", "h", "70368744177", "FIELDS", "1", "a")
    t.eq("-ERR invalid expire time in 'hpexpireat' command\r\n",
         "HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a")
    t.eq("-ERR Number of fields must be a positive integer\r\n", "HTTL", "h", "FIELDS", "-1", "a")
    t.eq("-ERR Number of fields must be a positive integer\r\n",
         "HPERSIST", "h", "FIELDS", "0", "a")
    t.eq("-ERR Mandatory argument FIELDS is missing or not at the right position\r\n",
         "HPTTL", "h", "FELDS", "1", "a")
    t.eq("-ERR wrong number of arguments for 'httl' command\r\n", "HTTL", "h", "FIELDS", "1")
    t.eq(3, "HSET", "s", "x", "y", "z", "w", "q", "r")
    t.call("DEL", "s")
    t.call("SET", "s", "x")
    t.eq("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
         "HEXPIRE", "s", "x", "FIELDS", "1", "a")
    t.eq("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
         "HTTL", "s", "FIELDS", "1", "a")
    # A missing key answers -2 per field.
    t.eq([-2, -2], "HEXPIRE", "nokey", "100", "FIELDS", "2", "a", "b")
    t.eq([-2], "HTTL", "nokey", "FIELDS", "1", "a")
    t.eq([-2], "HPERSIST", "nokey", "FIELDS", "1", "a")
    # Before any TTL: -1 for fields, -2 for others.
    t.eq([-1, -2], "HTTL", "h", "FIELDS", "2", "a", "zz")
    t.eq([-1, -2], "HPERSIST", "h", "FIELDS", "2", "a", "zz")
    # Set, then conditions.
    t.eq([1, -2], "HEXPIRE", "h", "100", "FIELDS", "2", "a", "zz")
    t.eq("$10\r\nlistpackex\r\n", "OBJECT", "ENCODING", "h")
    t.eq([100, -1], "HTTL", "h", "FIELDS", "2", "a", "b")
    ms = t.ints("HPTTL", "h", "FIELDS", "1", "a")[0]
    h.check(99000 < ms <= 100000, "HPTTL %d" % ms)
    at = t.ints("HEXPIRETIME", "h", "FIELDS", "1", "a")[0]
    h.check(now + 99 <= at <= now + 102, "HEXPIRETIME %d (now %d)" % (at, now))
    pat = t.ints("HPEXPIRETIME", "h", "FIELDS", "1", "a")[0]
    h.check(abs(pat - at * 1000) < 1000, "HPEXPIRETIME %d" % pat)
    t.eq([0, 1], "HEXPIRE", "h", "200", "NX", "FIELDS", "2", "a", "b")
    t.eq([0], "HEXPIRE", "h", "50", "GT", "FIELDS", "1", "c")
    t.eq([1], "HEXPIRE", "h", "50", "LT", "FIELDS", "1", "c")
    t.eq([0], "HEXPIRE", "h", "40", "GT", "FIELDS", "1", "c")
    t.eq([1], "HEXPIRE", "h", "400", "gt", "FIELDS", "1", "c")
    t.eq([1], "HEXPIRE", "h", "300", "XX", "FIELDS", "1", "c")
    t.eq([100, 200, 300], "HTTL", "h", "FIELDS", "3", "a", "b", "c")
    # HSET drops the TTL, HINCRBY keeps it.
    t.eq(0, "HSET", "h", "a", "10")
    t.eq(11, "HINCRBY", "h", "b", "9")
    t.eq([-1, 200], "HTTL", "h", "FIELDS", "2", "a", "b")
    t.eq([1, -1, -2], "HPERSIST", "h", "FIELDS", "3", "b", "a", "zz")
    t.eq([-1, -1, 300], "HTTL", "h", "FIELDS", "3", "a", "b", "c")
    # A past time deletes (offline mode is a primary); the last field takes the key along.
    t.eq([2], "HEXPIREAT", "h", "1", "FIELDS", "1", "a")
    t.eq(2, "HLEN", "h")
    t.eq([2, 2], "HPEXPIREAT", "h", "1000", "FIELDS", "2", "b", "c")
    t.eq(0, "EXISTS", "h")
    # Expiring for real: hidden at once, deleted on access.
    t.eq(3, "HSET", "e", "a", "1", "b", "2", "c", "3")
    t.eq([1, 1], "HPEXPIRE", "e", "30", "FIELDS", "2", "a", "b")
    time.sleep(0.1)
    t.eq("*2\r\n$1\r\nc\r\n$1\r\n3\r\n", "HGETALL", "e")
    t.eq(1, "HLEN", "e")
    t.eq("$-1\r\n", "HGET", "e", "a")
    t.eq([1], "HPEXPIRE", "e", "30", "FIELDS", "1", "c")
    time.sleep(0.1)
    t.eq(0, "HEXISTS", "e", "c")
    t.eq(0, "EXISTS", "e")
    # A hashtable with TTLs: conversion keeps them, HSCAN skips expired fields.
    args = ["HSET", "big"]
    for i in range(200):
        args += ["f%d" % i, "v%d" % i]
    t.eq(200, *args)
    t.eq("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "big")
    t.eq([1, 1], "HEXPIRE", "big", "1000", "FIELDS", "2", "f1", "f2")
    t.eq([1000], "HTTL", "big", "FIELDS", "1", "f1")
    t.eq([1], "HPEXPIRE", "big", "20", "FIELDS", "1", "f3")
    time.sleep(0.06)
    seen = set()
    cursor = b"0"
    while True:
        r = h.decode(t.call("HSCAN", "big", cursor, "COUNT", "50"))
        items = r.v[1].v
        seen.update(items[i].v for i in range(0, len(items), 2))
        cursor = r.v[0].v
        if cursor == b"0":
            break
    h.check(b"f3" not in seen and b"f1" in seen and len(seen) == 199, "HSCAN saw %d" % len(seen))
    t.eq(1, "HSET", "small", "k", "v")
    t.eq("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", "HSCAN", "small", "0", "NOVALUES")
    # listpackex converts to a hashtable with its TTLs.
    t.eq([1], "HEXPIRE", "small", "500", "FIELDS", "1", "k")
    t.eq(1, "HSET", "small", "long", "x" * 100)
    t.eq("$9\r\nhashtable\r\n", "OBJECT", "ENCODING", "small")
    t.eq([500, -1], "HTTL", "small", "FIELDS", "2", "k", "long")
    # DUMP types: 25 (listpackex) and 24 (hashtable with TTLs), RDB version 12.
    t.eq(2, "HSET", "lpx", "a", "1", "b", "2")
    t.eq([1], "HEXPIRE", "lpx", "500", "FIELDS", "1", "a")
    for key, typ in (("lpx", 25), ("small", 24), ("big", 24)):
        p = h.decode(t.call("DUMP", key)).v
        h.check(p[0] == typ and p[-10:-8] == b"\x0c\x00", "DUMP %s: %s" % (key, show(p, 60)))
    # COPY keeps field TTLs.
    t.eq(1, "COPY", "lpx", "lpx2")
    t.eq([500, -1], "HTTL", "lpx2", "FIELDS", "2", "a", "b")
    t.eq("$10\r\nlistpackex\r\n", "OBJECT", "ENCODING", "lpx2")
    t.eq(1, "COPY", "big", "big2")
    t.eq([1000, -1], "HTTL", "big2", "FIELDS", "2", "f1", "f5")


FIXTURES = os.environ.get("FIXTURES_DIR") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "fixtures")


def test_fixture_encodings():
    """The RDB files of real servers (test/fixtures): each hash gets the encoding Redis picks
    for it here, and a listpack blob is adopted as it is, so DUMP gives back the file's bytes."""
    import shutil
    want = {b"hash:small": b"listpack", b"hash:large": b"hashtable",
            b"hash:bigvalue": b"hashtable", b"hfe:small": b"listpackex",
            b"hfe:large": b"hashtable"}
    for name in ("redis-7.0.15", "redis-7.4.1", "redis-8.0-dev"):
        path = os.path.join(FIXTURES, name + ".rdb")
        if not os.path.exists(path):
            raise h.Skip("no fixture %s" % path)
        d = h.tmpdir()
        shutil.copy(path, os.path.join(d, "dump.rdb"))
        data = open(path, "rb").read()
        s = h.replicant("--dir", d, "--dbfilename", "dump.rdb", *CONF)
        c = s.client()
        for key, enc in want.items():
            if key.startswith(b"hfe:") and name == "redis-7.0.15":
                continue
            got = h.decode(c.call("OBJECT", "ENCODING", key)).v
            h.eq(got, enc, "%s %s encoding" % (name, key))
            if enc in (b"listpack", b"listpackex"):
                p = h.decode(c.call("DUMP", key)).v
                h.check(p[0] == (25 if enc == b"listpackex" else 16), "%s DUMP type" % key)
                h.check(bytes([len(key)]) + key + p[1:-10] in data,
                        "%s %s: DUMP differs from the file's bytes" % (name, key))
        s.stop()


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def test_random_ops_resp2():
    seed, ops = settings()
    Diff(seed, ops).run()


def test_random_ops_resp3():
    seed, ops = settings()
    Diff(seed, max(50, ops // 3), resp3=True).run()


if __name__ == "__main__":
    h.parse_diff_argv()
    h.TEST_TIMEOUT = max(h.TEST_TIMEOUT, 30 + settings()[1] // 100)
    h.run(globals())
