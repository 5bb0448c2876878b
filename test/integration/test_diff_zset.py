#!/usr/bin/env python3
"""test_diff_zset: seeded random differential test of the sorted set commands against
redis-server 7.0.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`) receive the
same random sequence of every zset command over a few colliding keys (zsets, two plain sets as
ZUNION/ZINTER/ZDIFF inputs, a string for WRONGTYPE), in RESP2 and then RESP3. Members are short,
numeric (listpack integer entries), or 60..100 bytes (past zset-max-listpack-value); bulk ZADDs
push zsets past 128 members (zset-max-listpack-entries) and removals shrink them. Scores are
integers, fractions, equal scores (order by member), +-inf, -0, huge integers (where Redis'
listpack text and reply text differ) and malformed ones (errors). Replies are compared byte
for byte, except:
  ZRANDMEMBER    shape, and every member (and score) must be in the zset
  ZSCAN          each side iterated to completion, the member/score pairs compared as sets
  BZPOP*/BZMPOP  sent inside MULTI when every key is empty (Redis would block otherwise)
  ZRANK/ZREVRANK WITHSCORE (7.2) checked against replicant's own ZRANK and ZSCORE
After writes OBJECT ENCODING is compared; DUMP is compared byte for byte (listpack blobs and
the tail-first ZSET_2 are deterministic) and each side's payload is RESTOREd on the other.
At the end the whole keyspace is compared.

Run: REPLICANT=./replicant python3 test/integration/test_diff_zset.py
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; RESP3 runs a third).
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 4242
DEFAULT_OPS = 3000

ZKEYS = [b"z1", b"z2", b"z3", b"z4", b"zbig", b"{z}dst"]
SKEYS = [b"s1", b"s2"]
STRKEY = b"str"
ALLKEYS = ZKEYS + SKEYS + [STRKEY, b"missing"]

SHORT = [b"a", b"b", b"c", b"d", b"e", b"aa", b"ab", b"b\x00", b"", b"Z", b"zz", b"m", b"n",
         b"\xff", b"caf\xc3\xa9"]
NUMERIC = [b"0", b"1", b"-1", b"7", b"10", b"007", b"-0", b"123456789", b"9223372036854775807",
           b"-9223372036854775808", b"12345678901234567890", b"1.5"]
SCORES = [b"0", b"1", b"2", b"3", b"-1", b"1.5", b"-2.5", b"0.1", b"0.30000000000000004",
          b"inf", b"-inf", b"+inf", b"-0", b"1e17", b"1e18", b"123456789012345678",
          b"4611686018427387904", b"-4611686018427387905", b"3.0", b"1e-5", b"5e300", b"2",
          b"2", b"1", b"1"]
BAD_SCORES = [b"abc", b"nan", b"", b" 1", b"1 ", b"1e400", b"0x", b"1.2.3"]
RANGE_BOUNDS = [b"-inf", b"+inf", b"inf", b"0", b"1", b"(1", b"2", b"(2", b"1.5", b"(-inf",
                b"3", b"-1", b"10", b"(0", b"abc", b"(", b"", b"nan", b" 1", b"1e400", b"(1e17"]
LEX_BOUNDS = [b"-", b"+", b"[a", b"(a", b"[b", b"(c", b"[", b"(", b"[zz", b"a", b"+x", b"-x",
              b"[m", b"(\xff", b"[1"]
INTS = [b"0", b"1", b"-1", b"2", b"5", b"-3", b"10", b"100", b"-100", b"200", b"abc", b"1.5",
        b"9223372036854775807", b"-9223372036854775808"]


def long_member(rng):
    return b"L" * rng.randint(60, 100) + str(rng.randint(0, 9)).encode()


class Diff:
    def __init__(self, seed, nops, resp3):
        self.rng = random.Random("%d/%d" % (seed, resp3))
        self.seed = seed
        self.nops = nops
        self.resp3 = resp3
        self.rs = h.redis()
        self.ps = h.replicant("--replica-read-only", "no")
        self.r = self.rs.client()
        self.p = self.ps.client()
        if resp3:
            self.r.call("HELLO", "3")
            self.p.call("HELLO", "3")
        self.hist = []
        self.sets_ok = h.decode(self.p.call("SADD", "probe", "x")).t == ":"
        self.p.call("DEL", "probe")
        self.seen = set()

    def fail(self, what, cmd, a, b):
        lines = ["seed %d resp%d: %s" % (self.seed, 3 if self.resp3 else 2, what),
                 "  command: %r" % (cmd,), "  redis:     %r" % a[:2000],
                 "  replicant: %r" % b[:2000], "  last commands:"]
        lines += ["    %r" % (c,) for c in self.hist[-15:]]
        raise AssertionError("\n".join(lines))

    def both(self, *cmd):
        self.hist.append(cmd)
        self.seen.add(cmd[0].upper() if isinstance(cmd[0], str) else cmd[0].decode().upper())
        return self.r.call(*cmd), self.p.call(*cmd)

    def exact(self, *cmd):
        a, b = self.both(*cmd)
        if a != b:
            self.fail("reply differs", cmd, a, b)
        return a

    # ---- generators ----

    def member(self):
        x = self.rng.random()
        if x < 0.55:
            return self.rng.choice(SHORT)
        if x < 0.8:
            return self.rng.choice(NUMERIC)
        if x < 0.9:
            return b"m%d" % self.rng.randint(0, 400)
        return long_member(self.rng)

    def score(self, bad=0.03):
        if self.rng.random() < bad:
            return self.rng.choice(BAD_SCORES)
        if self.rng.random() < 0.3:
            return b"%d" % self.rng.randint(-20, 20)
        return self.rng.choice(SCORES)

    def zkey(self):
        if self.rng.random() < 0.04:
            return self.rng.choice([STRKEY, b"missing"] + (SKEYS if self.sets_ok else []))
        return self.rng.choice(ZKEYS)

    def srckey(self):
        x = self.rng.random()
        if x < 0.15 and self.sets_ok:
            return self.rng.choice(SKEYS)
        if x < 0.2:
            return self.rng.choice([STRKEY, b"missing"])
        return self.rng.choice(ZKEYS)

    # ---- checks ----

    def check_key(self, key):
        a = self.exact("TYPE", key)
        if a != b"+zset\r\n":
            return
        self.exact("OBJECT", "ENCODING", key)
        self.exact("ZCARD", key)
        da, db = self.both("DUMP", key)
        if da != db:
            self.fail("DUMP differs", ("DUMP", key), da, db)
        # Each side's payload restored on the other must read back the same.
        pa, pb = h.decode(da).v, h.decode(db).v
        self.seen.add("RESTORE")
        self.r.call("RESTORE", b"__rt", "0", pb, "REPLACE")
        self.p.call("RESTORE", b"__rt", "0", pa, "REPLACE")
        self.exact("ZRANGE", b"__rt", "0", "-1", "WITHSCORES")
        self.exact("OBJECT", "ENCODING", b"__rt")
        self.exact("DEL", b"__rt")

    def zrandmember(self, key):
        args = [b"ZRANDMEMBER", key]
        if self.rng.random() < 0.8:
            args.append(self.rng.choice([b"1", b"3", b"-5", b"0", b"200", b"-300", b"abc",
                                         b"9223372036854775807", b"-9223372036854775808"]))
            if self.rng.random() < 0.5:
                args.append(self.rng.choice([b"WITHSCORES", b"WITHSCORES", b"bad"]))
        a, b = self.both(*args)
        ra, rb = h.decode(a), h.decode(b)
        if ra.t in "-_" or rb.t in "-_" or ra.v is None or rb.v is None:
            if a != b:
                self.fail("ZRANDMEMBER differs", args, a, b)
            return
        if ra.t != rb.t or (ra.t == "*" and len(ra.v) != len(rb.v)):
            self.fail("ZRANDMEMBER shape differs", args, a, b)
        full = h.decode(self.p.call("ZRANGE", key, "0", "-1", "WITHSCORES"))
        if full.t == "*" and full.v and full.v[0].t == "*":
            pairs = {x.v[0].v: x.v[1].v for x in full.v}
        else:
            pairs = {full.v[i].v: full.v[i + 1].v for i in range(0, len(full.v or []), 2)}
        items = rb.v if rb.t == "*" else [rb]
        ws = len(args) == 4
        flat = []
        for it in items:
            if it.t == "*":
                flat.extend(it.v)
            else:
                flat.append(it)
        step = 2 if ws else 1
        for i in range(0, len(flat), step):
            m = flat[i].v
            if m not in pairs:
                self.fail("ZRANDMEMBER member not in zset", args, a, b)
            if ws and flat[i + 1].v != pairs[m]:
                self.fail("ZRANDMEMBER score wrong", args, a, b)
        count = int(args[2]) if len(args) > 2 else 1
        if count > 0 and len(set(flat[i].v for i in range(0, len(flat), step))) != len(flat) // step:
            self.fail("ZRANDMEMBER repeated a member with a positive count", args, a, b)

    def zscan(self, key):
        extra = []
        if self.rng.random() < 0.4:
            extra += [b"MATCH", self.rng.choice([b"*", b"a*", b"m1*", b"L*", b"[a-c]"])]
        if self.rng.random() < 0.4:
            extra += [b"COUNT", self.rng.choice([b"1", b"5", b"100", b"0", b"abc"])]

        def full(c):
            cursor, got = b"0", set()
            for _ in range(10000):
                raw = c.call(b"ZSCAN", key, cursor, *extra)
                r = h.decode(raw)
                if r.t != "*":
                    return raw
                cursor = r.v[0].v
                it = r.v[1].v
                for i in range(0, len(it), 2):
                    got.add((it[i].v, it[i + 1].v))
                if cursor == b"0":
                    return got
            raise AssertionError("ZSCAN did not finish")

        self.hist.append((b"ZSCAN", key, b"...") + tuple(extra))
        self.seen.add("ZSCAN")
        a, b = full(self.r), full(self.p)
        if a != b:
            self.fail("ZSCAN differs", (b"ZSCAN", key) + tuple(extra), repr(a).encode(),
                      repr(b).encode())
        if self.rng.random() < 0.2:
            self.exact("ZSCAN", key, self.rng.choice([b"abc", b"1.5", b" 1"]))

    def blocking(self, cmd):
        nonempty = any(h.decode(self.r.call("ZCARD", k)).v for k in cmd[1:-1]
                       if isinstance(k, bytes) and k in ZKEYS)
        if cmd[0] == b"BZMPOP":
            nonempty = any(h.decode(self.r.call("ZCARD", k)).v for k in cmd if k in ZKEYS)
        if nonempty and self.rng.random() < 0.7:
            self.exact(*cmd)
            return
        self.exact("MULTI")
        self.exact(*cmd)
        self.exact("EXEC")

    def lex_ok(self, key):
        """Lex ranges assume equal scores: on a skip list with mixed scores the answer depends on
        the random node levels, so such keys are left out."""
        if self.r.call("OBJECT", "ENCODING", key) != b"$8\r\nskiplist\r\n":
            return True
        lo = h.decode(self.r.call("ZRANGE", key, "0", "0", "WITHSCORES")).v
        hi = h.decode(self.r.call("ZRANGE", key, "-1", "-1", "WITHSCORES")).v
        if lo and lo[0].t == "*":
            lo, hi = lo[0].v, hi[0].v
        return lo[1].v == hi[1].v

    def zrank_withscore(self, key):
        m = self.member()
        name = self.rng.choice([b"ZRANK", b"ZREVRANK"])
        self.hist.append((name, key, m, b"WITHSCORE"))
        got = h.decode(self.p.call(name, key, m, b"WITHSCORE"))
        rank = h.decode(self.p.call(name, key, m))
        score = self.p.call(b"ZSCORE", key, m)
        if rank.t == "-":
            if got.t != "-":
                self.fail("ZRANK WITHSCORE on a wrong type", (name, key, m), b"", repr(got).encode())
            return
        if rank.v is None:
            if got.v is not None or got.t not in "*_":
                self.fail("ZRANK WITHSCORE of a non-member", (name, key, m), b"", repr(got).encode())
            return
        want = [rank, h.decode(score)]
        if got.t != "*" or got.v != want:
            self.fail("ZRANK WITHSCORE", (name, key, m), repr(want).encode(), repr(got).encode())

    # ---- one random command ----

    def step(self):
        rng = self.rng
        x = rng.random()
        key = self.zkey()
        if x < 0.20:
            args = [b"ZADD", key]
            opts = []
            if rng.random() < 0.3:
                opts = rng.sample([b"NX", b"XX", b"GT", b"LT", b"CH", b"INCR"], rng.randint(1, 2))
            args += opts
            n = 1 if rng.random() < 0.6 else rng.randint(2, 6)
            if rng.random() < 0.05:
                n = rng.randint(60, 180)
            for _ in range(n):
                args += [self.score(), self.member()]
            if rng.random() < 0.02:
                args.append(b"x")
            self.exact(*args)
            if rng.random() < 0.3:
                self.check_key(key)
        elif x < 0.24:
            self.exact("ZINCRBY", key, self.score(), self.member())
        elif x < 0.29:
            self.exact("ZREM", key, *[self.member() for _ in range(rng.randint(1, 4))])
        elif x < 0.36:
            args = [b"ZRANGE", key]
            kind = rng.random()
            if kind < 0.4:
                args += [rng.choice(INTS), rng.choice(INTS)]
            elif kind < 0.75:
                args += [rng.choice(RANGE_BOUNDS), rng.choice(RANGE_BOUNDS), b"BYSCORE"]
            else:
                args += [rng.choice(LEX_BOUNDS), rng.choice(LEX_BOUNDS), b"BYLEX"]
                if not self.lex_ok(key):
                    return
            for o in rng.sample([b"REV", b"WITHSCORES", b"LIMIT"], rng.randint(0, 3)):
                args.append(o)
                if o == b"LIMIT":
                    args += [rng.choice(INTS[:9]), rng.choice(INTS[:9])]
            if rng.random() < 0.05:
                args.insert(rng.randint(4, len(args)), rng.choice([b"BYSCORE", b"bogus", b"REV"]))
            self.exact(*args)
        elif x < 0.40:
            name = rng.choice([b"ZRANGEBYSCORE", b"ZREVRANGEBYSCORE"])
            args = [name, key, rng.choice(RANGE_BOUNDS), rng.choice(RANGE_BOUNDS)]
            if rng.random() < 0.5:
                args.append(b"WITHSCORES")
            if rng.random() < 0.4:
                args += [b"LIMIT", rng.choice(INTS[:9]), rng.choice(INTS[:9])]
            self.exact(*args)
        elif x < 0.43:
            if not self.lex_ok(key):
                return
            name = rng.choice([b"ZRANGEBYLEX", b"ZREVRANGEBYLEX"])
            args = [name, key, rng.choice(LEX_BOUNDS), rng.choice(LEX_BOUNDS)]
            if rng.random() < 0.4:
                args += [b"LIMIT", rng.choice(INTS[:9]), rng.choice(INTS[:9])]
            if rng.random() < 0.05:
                args.append(b"WITHSCORES")
            self.exact(*args)
        elif x < 0.45:
            args = [b"ZREVRANGE", key, rng.choice(INTS), rng.choice(INTS)]
            if rng.random() < 0.5:
                args.append(b"WITHSCORES")
            self.exact(*args)
        elif x < 0.49:
            self.exact("ZSCORE", key, self.member())
        elif x < 0.51:
            self.exact("ZMSCORE", key, *[self.member() for _ in range(rng.randint(1, 4))])
        elif x < 0.54:
            self.exact(rng.choice(["ZRANK", "ZREVRANK"]), key, self.member())
        elif x < 0.55:
            self.zrank_withscore(key)
        elif x < 0.58:
            self.exact("ZCOUNT", key, rng.choice(RANGE_BOUNDS), rng.choice(RANGE_BOUNDS))
        elif x < 0.60:
            if not self.lex_ok(key):
                return
            self.exact("ZLEXCOUNT", key, rng.choice(LEX_BOUNDS), rng.choice(LEX_BOUNDS))
        elif x < 0.62:
            self.exact("ZCARD", key)
        elif x < 0.64:
            self.zscan(key)
        elif x < 0.66:
            self.zrandmember(key)
        elif x < 0.73:
            op = rng.choice([b"ZUNION", b"ZINTER", b"ZDIFF", b"ZINTERCARD", b"ZUNIONSTORE",
                             b"ZINTERSTORE", b"ZDIFFSTORE"])
            store = op.endswith(b"STORE")
            n = rng.randint(1, 3)
            keys = [self.srckey() for _ in range(n)]
            nk = b"%d" % n
            if rng.random() < 0.05:
                nk = rng.choice([b"0", b"-1", b"abc", b"%d" % (n + 2)])
            args = [op] + ([rng.choice(ZKEYS)] if store else []) + [nk] + keys
            if op in (b"ZUNION", b"ZINTER", b"ZUNIONSTORE", b"ZINTERSTORE"):
                if rng.random() < 0.4:
                    args += [b"WEIGHTS"] + [rng.choice([b"1", b"2", b"0.5", b"-1", b"0", b"inf",
                                                        b"abc"]) for _ in range(n)]
                if rng.random() < 0.4:
                    args += [b"AGGREGATE", rng.choice([b"SUM", b"MIN", b"MAX", b"max", b"avg"])]
            if op in (b"ZUNION", b"ZINTER", b"ZDIFF") and rng.random() < 0.5:
                args.append(b"WITHSCORES")
            if op == b"ZINTERCARD" and rng.random() < 0.5:
                args += [b"LIMIT", rng.choice([b"0", b"1", b"3", b"-1", b"abc"])]
            self.exact(*args)
            if store:
                self.check_key(args[1])
        elif x < 0.76:
            dst = rng.choice(ZKEYS)
            args = [b"ZRANGESTORE", dst, key]
            kind = rng.random()
            if kind < 0.4:
                args += [rng.choice(INTS), rng.choice(INTS)]
            elif kind < 0.75:
                args += [rng.choice(RANGE_BOUNDS), rng.choice(RANGE_BOUNDS), b"BYSCORE"]
            else:
                args += [rng.choice(LEX_BOUNDS), rng.choice(LEX_BOUNDS), b"BYLEX"]
                if not self.lex_ok(key):
                    return
            if rng.random() < 0.3:
                args.append(b"REV")
            if rng.random() < 0.3:
                args += [b"LIMIT", rng.choice(INTS[:9]), rng.choice(INTS[:9])]
            self.exact(*args)
            self.check_key(dst)
        elif x < 0.80:
            name = rng.choice([b"ZPOPMIN", b"ZPOPMAX"])
            args = [name, key]
            if rng.random() < 0.6:
                args.append(rng.choice([b"1", b"2", b"0", b"10", b"200", b"-1", b"abc"]))
            self.exact(*args)
        elif x < 0.82:
            n = rng.randint(1, 3)
            args = [b"ZMPOP", b"%d" % n] + [self.zkey() for _ in range(n)]
            args.append(rng.choice([b"MIN", b"MAX", b"min", b"bad"]))
            if rng.random() < 0.5:
                args += [b"COUNT", rng.choice([b"1", b"3", b"100", b"0", b"-1", b"abc"])]
            if rng.random() < 0.05:
                args[1] = rng.choice([b"0", b"-1", b"abc", b"9"])
            self.exact(*args)
        elif x < 0.84:
            name = rng.choice([b"BZPOPMIN", b"BZPOPMAX"])
            keys = [self.zkey() for _ in range(rng.randint(1, 3))]
            self.blocking([name] + keys + [rng.choice([b"0.01", b"0", b"1", b"-1", b"abc"])])
        elif x < 0.85:
            n = rng.randint(1, 2)
            args = [b"BZMPOP", rng.choice([b"0.01", b"0", b"-1", b"x"]), b"%d" % n]
            args += [self.zkey() for _ in range(n)]
            args.append(rng.choice([b"MIN", b"MAX"]))
            if rng.random() < 0.5:
                args += [b"COUNT", rng.choice([b"1", b"5", b"0"])]
            self.blocking(args)
        elif x < 0.88:
            name = rng.choice([b"ZREMRANGEBYSCORE", b"ZREMRANGEBYRANK", b"ZREMRANGEBYLEX"])
            if name == b"ZREMRANGEBYSCORE":
                a1, a2 = rng.choice(RANGE_BOUNDS), rng.choice(RANGE_BOUNDS)
            elif name == b"ZREMRANGEBYRANK":
                a1, a2 = rng.choice(INTS), rng.choice(INTS)
            else:
                a1, a2 = rng.choice(LEX_BOUNDS), rng.choice(LEX_BOUNDS)
                if not self.lex_ok(key):
                    return
            self.exact(name, key, a1, a2)
            self.check_key(key)
        elif x < 0.90 and self.sets_ok:
            self.exact("SADD", rng.choice(SKEYS), *[self.member() for _ in range(rng.randint(1, 5))])
        elif x < 0.92:
            # Grow a zset past the listpack limits in one go, or shrink it.
            if rng.random() < 0.6:
                args = [b"ZADD", rng.choice(ZKEYS)]
                for i in range(rng.randint(100, 200)):
                    args += [b"%d" % rng.randint(0, 50), b"m%d" % rng.randint(0, 400)]
                self.exact(*args)
            else:
                self.exact("ZREMRANGEBYRANK", rng.choice(ZKEYS), "0", b"%d" % rng.randint(0, 150))
        elif x < 0.94:
            self.check_key(rng.choice(ZKEYS))
        elif x < 0.95:
            self.exact(rng.choice(["DEL", "UNLINK"]), rng.choice(ZKEYS))
        elif x < 0.96:
            self.exact("COPY", rng.choice(ZKEYS), rng.choice(ZKEYS), *([b"REPLACE"] if rng.random() < 0.5 else []))
        elif x < 0.97:
            self.exact("RENAME", rng.choice(ZKEYS), rng.choice(ZKEYS))
        else:
            self.exact("TYPE", key)

    def run(self):
        self.exact("SET", STRKEY, "v")
        self.exact("ZADD", "zbig", *[b"%d" % (i % 7) if j == 0 else b"m%d" % i
                                     for i in range(150) for j in range(2)])
        for i in range(self.nops):
            self.step()
        for k in ALLKEYS:
            self.check_key(k)
            if k in ZKEYS:
                self.exact("ZRANGE", k, "0", "-1", "WITHSCORES")


REQUIRED = set("""ZADD ZINCRBY ZREM ZRANGE ZRANGEBYSCORE ZREVRANGEBYSCORE ZRANGEBYLEX
    ZREVRANGEBYLEX ZREVRANGE ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT ZCARD ZSCAN
    ZRANDMEMBER ZUNION ZINTER ZDIFF ZINTERCARD ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZRANGESTORE
    ZPOPMIN ZPOPMAX ZMPOP BZPOPMIN BZPOPMAX BZMPOP ZREMRANGEBYSCORE ZREMRANGEBYRANK
    ZREMRANGEBYLEX DUMP RESTORE""".split())


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def test_random_zset_resp2():
    seed, ops = settings()
    d = Diff(seed, ops, False)
    d.run()
    if ops >= DEFAULT_OPS:
        missing = REQUIRED - d.seen
        h.check(not missing, "commands never sent: %s" % " ".join(sorted(missing)))


def test_random_zset_resp3():
    seed, ops = settings()
    Diff(seed, max(50, ops // 3), True).run()


def test_encoding_thresholds():
    """Exact conversion points: 128 members, 64-byte members, and STORE results going back."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()

    def both(*cmd):
        a, b = r.call(*cmd), p.call(*cmd)
        m.expect(repr(cmd)[:120], a, b)

    for i in range(130):
        both("ZADD", "t", str(i % 5), "m%d" % i)
        both("OBJECT", "ENCODING", "t")
    both("ZADD", "v", "1", "x" * 64)
    both("OBJECT", "ENCODING", "v")
    both("ZADD", "v", "1", "y" * 65)
    both("OBJECT", "ENCODING", "v")
    both("ZADD", "w", "1", "y" * 65)
    both("OBJECT", "ENCODING", "w")
    both("ZREMRANGEBYRANK", "t", "0", "100")
    both("OBJECT", "ENCODING", "t")
    both("ZUNIONSTORE", "u", "1", "t")
    both("OBJECT", "ENCODING", "u")
    both("ZRANGESTORE", "rs", "zz", "0", "-1")
    for dst, src in (("rs", "t"), ("rv", "v")):
        both("ZRANGESTORE", dst, src, "0", "-1")
        both("OBJECT", "ENCODING", dst)
        both("DUMP", dst)
    m.done()


if __name__ == "__main__":
    h.run(globals())
