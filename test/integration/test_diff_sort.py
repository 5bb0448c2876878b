#!/usr/bin/env python3
"""test_diff_sort: seeded random differential test of SORT and SORT_RO (issue 5, item 4)
against redis-server 7.0.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`) receive the
same random sequence of writes (lists, sets and sorted sets of numbers and strings, weight
strings w_<element>, hashes h_<element> with a numeric field f and a text field g, keys of the
wrong type in their place) and SORT / SORT_RO commands with random options in random order: BY
(a string pattern, hash fields, a constant, patterns naming nothing), LIMIT (negative, past the
end, huge, not a number), GET (#, strings, hash fields, patterns without '*'), ASC/DESC, ALPHA,
STORE (then LRANGE, TYPE, EXISTS and OBJECT ENCODING of the destination), and syntax errors.
Lists sometimes grow past 40 and 128 elements (Redis' partial quicksort picks pivots by a
ninther past 40; the stored list becomes a quicklist past 128).

Replies are compared byte for byte, except where Redis' order is free:
  a set that is not an intset, or a sorted set, sorted ALPHA BY (equal weights keep the
  iteration order, a hash table's in 7.0), or a set read BY a constant without STORE: the rows
  compared sorted (GET rows as tuples), or only their count when LIMIT picks some of them; a
  STORE of such a sort is compared by its count and the destination then deleted on both
  (and, as rows picked by LIMIT may differ, CONFIG RESETSTAT realigns the keyspace counters).
  OBJECT ENCODING of a stored list: 7.0 says "quicklist" where replicant says "listpack".
Before every SORT both servers run INCRBYFLOAT on a scratch key: Redis 7.0 reads weights with
strtod without clearing errno, so an ERANGE left by an earlier command would fail a later numeric
SORT on redis-server only (a stale-state bug replicant does not copy).
Lists and intsets are always exact: Redis sorts with glibc's stable qsort, or its pqsort for BY
with LIMIT, and replicant reproduces both, so even tied elements come out in the same order.
At the end the sorted sets' encodings (SORT converts them to skip lists) and INFO's
keyspace_hits/misses (every pattern lookup counts) are compared. Fixed tests: COMMAND INFO and
GETKEYS of SORT / SORT_RO; ties under both orderings over lists of 5 to 300 elements; strtod's
reading of weights and its errors; NULs in elements and patterns; STORE's WATCH signal and
deletion of the destination; expired weight keys; a read-only replicant serving a dump file
(SORT_RO answers, SORT gets -READONLY).

Run: REPLICANT=./replicant python3 test/integration/test_diff_sort.py [name-substring ...]
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; RESP3 runs a third).
"""

import os
import random
import shutil
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 5150
DEFAULT_OPS = 3000

LISTS = [b"L0", b"L1", b"L2"]          # L0 numbers only, L1 (and Z0) nearly so; L2 mixed
SETS = [b"S0", b"S1"]                  # S0 small integers only (an intset on both servers)
ZSETS = [b"Z0", b"Z1"]
SOURCES = LISTS + SETS + ZSETS
STR_KEY = b"str"
HASH_KEY = b"hh"
MISSING = b"nokey"
DSTS = [b"dst", b"dst2", b"L2", b"w_1", b"h_2", b"S1"]

NUMS = [str(i).encode() for i in range(-5, 30)] + [
    b"1.5", b"-0", b"0", b"2.50", b" 7", b"1e3", b"0x10", b"inf", b"-inf", b"3.0", b"007",
    b"9223372036854775807", b"-9223372036854775808", b"1e-5", b"12345678901234567890"]
STRS = [b"a", b"b", b"c", b"ab", b"ba", b"B", b"Z", b"", b"caf\xc3\xa9", b"\xff", b"x y",
        b"a-b", b"*", b"#", b"1a", b"nan", b"abc", b"a\xc3"]
WEIGHT_BAD = [b"abc", b"1e400", b"nan", b"1x", b"1e-320"]

BY_PATTERNS = [b"w_*", b"w_*", b"h_*->f", b"h_*->g", b"nosort", b"#", b"nothing_*",
               b"w_*->", b"h_*->", b"*", b"w_*->f", b"h_*->nofield", b"W_*"]
GET_PATTERNS = [b"#", b"w_*", b"h_*->f", b"h_*->g", b"nostar", b"w_*->", b"h_*->f->x",
                b"nothing_*"]


class Mismatch(AssertionError):
    pass


def show(b, n=300):
    s = repr(bytes(b))[2:-1]
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


class Diff:
    def __init__(self, seed, nops, resp3):
        self.seed = seed
        self.nops = nops
        self.resp3 = resp3
        self.rng = random.Random("%d/sort/resp%d" % (seed, 3 if resp3 else 2))
        self.rs = h.redis()
        self.ps = h.replicant("--replica-read-only", "no")
        self.conns = [(self.rs.client(), self.ps.client())]
        self.hist = []
        self.stats = {"exact": 0, "unordered": 0, "count": 0, "error": 0, "store": 0}
        if resp3:
            for c in self.conns[0]:
                h.check(c.call("HELLO", "3").startswith(b"%"), "HELLO 3")

    @staticmethod
    def read(c):
        try:
            return c.read_reply()
        except socket.timeout:
            return b"<timeout>"
        except ConnectionError:
            return b"<closed>"

    def both(self, *args):
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.hist.append(args)
        del self.hist[:-15]
        req = h.mbulk(*args)
        rc, pc = self.conns[0]
        rc.send(req)
        pc.send(req)
        return self.read(rc), self.read(pc)

    def fail(self, why, rr, pr):
        lines = ["SORT DIFF MISMATCH (seed=%d ops=%d resp%d) at op %d: %s" % (
            self.seed, self.nops, 3 if self.resp3 else 2, self.op, why),
            "  redis:     %s" % show(rr), "  replicant: %s" % show(pr), "  last commands:"]
        lines += ["    " + " ".join(show(a, 80) for a in args) for args in self.hist]
        if not self.ps.alive():
            lines.append("  replicant died:\n" + self.ps.log_text())
        raise Mismatch("\n".join(lines))

    def exact(self, *args):
        rr, pr = self.both(*args)
        if rr != pr:
            self.fail("replies differ", rr, pr)
        return rr

    # ---- data ----

    def elem(self, key):
        r = self.rng.random()
        if key == b"S0":
            return str(self.rng.randint(-5, 60)).encode()
        if key == b"L0" or r < 0.6 or (key in (b"L1", b"Z0") and r < 0.995):
            return self.rng.choice(NUMS)
        return self.rng.choice(STRS)

    def weight(self):
        r = self.rng.random()
        if r < 0.04:
            return self.rng.choice(WEIGHT_BAD)
        if r < 0.6:
            return str(self.rng.randint(-10, 10)).encode()
        if r < 0.8:
            return str(self.rng.randint(-1000, 1000) / 8).encode()
        return self.rng.choice(STRS)

    def target(self):
        """An element whose weight key or hash the next write touches."""
        return self.rng.choice(NUMS + STRS)

    def write(self):
        rng = self.rng
        r = rng.random()
        if r < 0.25:
            k = rng.choice(LISTS)
            n = rng.randint(1, 8) if rng.random() < 0.9 else rng.randint(40, 150)
            if h.decode(self.exact("LLEN", k)).v > 300:
                self.exact("LTRIM", k, "0", str(rng.randint(0, 50)))
            self.exact(rng.choice(["RPUSH", "LPUSH"]), k, *[self.elem(k) for _ in range(n)])
        elif r < 0.30:
            k = rng.choice(LISTS)
            self.exact("LPOP", k, str(rng.randint(1, 10)))
        elif r < 0.40:
            k = rng.choice(SETS)
            self.exact("SADD", k, *[self.elem(k) for _ in range(rng.randint(1, 8))])
        elif r < 0.43:
            k = rng.choice(SETS)
            self.exact("SREM", k, *[self.elem(k) for _ in range(rng.randint(1, 4))])
        elif r < 0.52:
            k = rng.choice(ZSETS)
            args = []
            for _ in range(rng.randint(1, 6)):
                args += [str(rng.randint(-5, 5)), self.elem(k)]
            self.exact("ZADD", k, *args)
        elif r < 0.55:
            k = rng.choice(ZSETS)
            self.exact("ZREM", k, *[self.elem(k) for _ in range(rng.randint(1, 4))])
        elif r < 0.80:
            self.exact("SET", b"w_" + self.target(), self.weight())
        elif r < 0.85:
            self.exact("DEL", b"w_" + self.target(), b"h_" + self.target())
        elif r < 0.97:
            e = self.target()
            self.exact("HSET", b"h_" + e, "f", self.weight(), "g", rng.choice(STRS + NUMS))
        else:
            # A weight key of the wrong type: a missing weight for BY and GET.
            self.exact("DEL", b"w_" + self.target())
            self.exact("RPUSH", b"w_" + self.target(), "x")

    # ---- SORT ----

    def sort_cmd(self):
        """A random SORT / SORT_RO line: (args, key)."""
        rng = self.rng
        ro = rng.random() < 0.25
        r = rng.random()
        key = rng.choice(SOURCES) if r < 0.93 else rng.choice([MISSING, STR_KEY, HASH_KEY])
        opts = []
        if rng.random() < 0.55:
            opts.append([b"BY", rng.choice(BY_PATTERNS)])
        if rng.random() < 0.4:
            lr = rng.random()
            if lr < 0.7:
                limit = (str(rng.randint(-3, 20)).encode(), str(rng.randint(-3, 20)).encode())
            elif lr < 0.85:
                limit = rng.choice([(b"0", b"9223372036854775807"),
                                    (b"9223372036854775807", b"5"),
                                    (b"-9223372036854775808", b"-9223372036854775808"),
                                    (b"1", b"0"), (b"0", b"-1"), (b"0", b"1")])
            else:
                limit = rng.choice([(b"x", b"1"), (b"1", b"1.5"), (b"", b"3"),
                                    (b"99999999999999999999", b"1")])
            opts.append([b"LIMIT", limit[0], limit[1]])
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
            opts.append([b"GET", rng.choice(GET_PATTERNS)])
        if rng.random() < 0.4:
            opts.append([b"DESC" if rng.random() < 0.6 else rng.choice([b"ASC", b"asc"])])
        if rng.random() < 0.45:
            opts.append([rng.choice([b"ALPHA", b"alpha"])])
        if rng.random() < 0.3:
            opts.append([b"STORE", rng.choice(DSTS)])
        if rng.random() < 0.03:
            opts.append(rng.choice([[b"LIMIT", b"1"], [b"BY"], [b"FOO"], [b"GET"], [b"STORE"]]))
        rng.shuffle(opts)
        args = [b"SORT_RO" if ro else b"SORT", key] + [w for o in opts for w in o]
        return args, key

    @staticmethod
    def parse(args):
        """The options as Redis' parser takes them (junk words included): (by, dontsort,
        alpha, store, limit, getop), the last BY and STORE winning."""
        by = store = limit = None
        dontsort = alpha = False
        getop = 0
        ro = args[0] == b"SORT_RO"
        j = 2
        while j < len(args):
            w, left = args[j].lower(), len(args) - j - 1
            if w == b"alpha":
                alpha = True
            elif w == b"limit" and left >= 2:
                limit = (args[j + 1], args[j + 2])
                j += 2
            elif w == b"store" and left >= 1 and not ro:
                store = args[j + 1]
                j += 1
            elif w == b"by" and left >= 1:
                by = args[j + 1]
                dontsort = dontsort or b"*" not in by.split(b"\x00")[0]
                j += 1
            elif w == b"get" and left >= 1:
                getop += 1
                j += 1
            j += 1
        return by, dontsort, alpha, store, limit, getop

    def free_order(self, key, by, dontsort, alpha, store):
        """True if Redis' order of this sort depends on its hash-table iteration order."""
        kind = self.exact("TYPE", key)
        if kind == b"+list\r\n" or kind == b"+none\r\n" or key == b"S0":
            return False
        if kind not in (b"+set\r\n", b"+zset\r\n"):
            return False
        if dontsort:
            return kind == b"+set\r\n" and store is None
        return alpha and by is not None

    def step_sort(self):
        args, key = self.sort_cmd()
        by, dontsort, alpha, store, limit, getop = self.parse(args)
        free = self.free_order(key, by, dontsort, alpha, store)
        self.reset_errno()
        rr, pr = self.both(*args)
        if rr[:1] == b"-" or pr[:1] == b"-" or not free:
            if rr != pr:
                self.fail("replies differ", rr, pr)
            self.stats["error" if rr[:1] == b"-" else "exact"] += 1
            if store is not None and rr[:1] == b":":
                self.stats["store"] += 1
                self.check_dst(store)
            return
        if store is not None:
            if rr != pr:
                self.fail("STORE counts differ", rr, pr)
            self.exact("DEL", store)
            if limit is not None and getop > 0:
                self.exact("CONFIG", "RESETSTAT")
            self.stats["count"] += 1
            return
        a, b = h.decode(rr), h.decode(pr)
        if a.t != b.t or len(a.v) != len(b.v):
            self.fail("reply shapes differ", rr, pr)
        if limit is not None:
            # The GET lookups of different rows hit and miss differently.
            if getop > 0:
                self.exact("CONFIG", "RESETSTAT")
            self.stats["count"] += 1
            return
        w = max(getop, 1)
        rows = [sorted(tuple(repr(x.v) for x in r.v[i:i + w]) for i in range(0, len(r.v), w))
                for r in (a, b)]
        if rows[0] != rows[1]:
            self.fail("rows differ (compared unordered)", rr, pr)
        self.stats["unordered"] += 1

    def reset_errno(self):
        """Redis 7.0 reads weights with strtod without clearing errno first, so an ERANGE left
        by an earlier command (a weight of 1e400) fails the next numeric SORT whose elements
        it parses as text (a set's). INCRBYFLOAT clears errno (string2ld) and is harmless."""
        self.exact("INCRBYFLOAT", "errno:reset", "0")

    def check_dst(self, dst):
        self.exact("LRANGE", dst, "0", "-1")
        self.exact("TYPE", dst)
        self.exact("EXISTS", dst)
        self.exact("TTL", dst)
        rr, pr = self.both("OBJECT", "ENCODING", dst)
        if rr != pr and not (rr == b"$9\r\nquicklist\r\n" and pr == b"$8\r\nlistpack\r\n"):
            self.fail("OBJECT ENCODING of the destination", rr, pr)

    def step(self):
        r = self.rng.random()
        if r < 0.45:
            self.write()
        else:
            self.step_sort()

    def setup(self):
        self.exact("SET", STR_KEY, "a string")
        self.exact("HSET", HASH_KEY, "f", "1")
        self.exact("SET", b"dst", "old")
        self.exact("EXPIRE", b"dst", "1000")
        for e in NUMS + STRS:
            if self.rng.random() < 0.7:
                self.exact("SET", b"w_" + e, self.weight())
            if self.rng.random() < 0.5:
                self.exact("HSET", b"h_" + e, "f", self.weight(), "g", self.rng.choice(STRS))
        for k in LISTS:
            self.exact("RPUSH", k, *[self.elem(k) for _ in range(12)])
        for k in SETS:
            self.exact("SADD", k, *[self.elem(k) for _ in range(12)])
        for k in ZSETS:
            args = []
            for i in range(10):
                args += [str(self.rng.randint(-3, 3)), self.elem(k)]
            self.exact("ZADD", k, *args)

    def run(self):
        self.setup()
        for self.op in range(self.nops):
            self.step()
        for k in ZSETS:
            self.exact("OBJECT", "ENCODING", k)
            self.exact("ZRANGE", k, "0", "-1", "WITHSCORES")

    def keyspace_stats(self):
        out = []
        for c in self.conns[0]:
            c.send(h.mbulk(b"INFO", b"stats"))
            text = h.decode(self.read(c)).v
            out.append([ln for ln in text.split(b"\r\n") if ln.startswith(b"keyspace_")])
        return out

    def close(self):
        for c in self.conns[0]:
            c.close()


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def test_random_ops_resp2():
    seed, nops = settings()
    d = Diff(seed, nops, False)
    d.run()
    rs, ps = d.keyspace_stats()
    h.eq(ps, rs, "INFO keyspace_hits/misses")
    d.close()
    h.check(nops < 1000 or min(d.stats.values()) > 0, "cases seen: %r" % d.stats)
    print("# resp2: %d ops, %r" % (nops, d.stats))


def test_random_ops_resp3():
    seed, nops = settings()
    d = Diff(seed + 1, max(1, nops // 3), True)
    d.run()
    d.close()
    print("# resp3: %d ops, %r" % (max(1, nops // 3), d.stats))


GETKEYS_LINES = [
    "sort a", "sort a store b", "sort a store b store c", "sort a limit 1 2 store b",
    "sort a by store store b", "sort a get store", "sort a store", "sort a STORE b get # by x",
    "sort a limit store x store b", "sort_ro a", "sort_ro a store b", "sort a alpha desc",
    "sort", "sort_ro",
]


def test_command_rows():
    """COMMAND INFO / GETKEYS of SORT and SORT_RO as redis-server answers them."""
    rs, ps = h.redis(), h.replicant()
    with rs.client() as rc, ps.client() as pc:
        for name in ("sort", "sort_ro"):
            h.eq(pc.call("COMMAND", "INFO", name), rc.call("COMMAND", "INFO", name),
                 "COMMAND INFO " + name)
        for line in GETKEYS_LINES:
            args = ["COMMAND", "GETKEYS"] + line.split()
            h.eq(pc.call(*args), rc.call(*args), "COMMAND GETKEYS " + line)


def test_ties_and_orders():
    """Fixed cases where only Redis' exact algorithms give its order: ALPHA BY with missing
    weights over lists long enough for the partial quicksort's ninther, with LIMIT windows."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    rng = random.Random(7)
    with rs.client() as rc, ps.client() as pc:
        def same(*args):
            a, b = rc.call(*args), pc.call(*args)
            h.eq(b, a, " ".join(x if isinstance(x, str) else repr(x) for x in args))

        for n in (5, 7, 8, 40, 41, 100, 300):
            k = "t%d" % n
            same("RPUSH", k, *[str(rng.randint(0, n // 2)) for _ in range(n)])
            for i in range(0, n, 3):
                same("SET", "tw_%d" % i, str(rng.randint(0, 3)))
            for start, count in ((0, 1), (1, 5), (n // 2, 10), (n - 3, 10), (0, n), (3, -1)):
                for extra in ([], ["DESC"]):
                    same("SORT", k, "BY", "tw_*", "ALPHA", "LIMIT", str(start), str(count),
                         *extra)
                    same("SORT", k, "BY", "tw_*", "LIMIT", str(start), str(count), *extra)
            same("SORT", k, "BY", "tw_*", "ALPHA")
            same("SORT", k, "BY", "tw_*", "ALPHA", "DESC", "GET", "#", "GET", "tw_*")
            same("SORT", k, "BY", "tw_*", "ALPHA", "STORE", "out")
            same("LRANGE", "out", "0", "-1")
        # Embedded NULs: ALPHA without STORE compares up to the NUL, with STORE every byte.
        same("RPUSH", "nul", "a\x00b", "a", "a\x00a", "b", "\x00")
        same("SORT", "nul", "ALPHA")
        same("SORT", "nul", "ALPHA", "STORE", "nulout")
        same("LRANGE", "nulout", "0", "-1")
        same("SORT", "nul", "BY", "no\x00*", "LIMIT", "1", "2")
        same("SORT", "nul", "GET", "#\x00x", "GET", "x*\x00y")
        # Numbers as strtod reads them, and the errors.
        same("RPUSH", "num", " 5", "", "0x10", "inf", "-inf", "3", "5\x00junk")
        same("SORT", "num")
        same("SORT", "num", "DESC", "LIMIT", "1", "3")
        for bad in ("1e400", "1e-320", "nan", "5 ", "abc"):
            same("RPUSH", "bad" + bad, "1", bad)
            same("SORT", "bad" + bad)
            same("SORT", "bad" + bad, "ALPHA")
            same("SORT", "bad" + bad, "STORE", "x")
            same("EXISTS", "x")
            same("INCRBYFLOAT", "errno:reset", "0")   # see reset_errno
        # A set sorted BY a constant with STORE is sorted ALPHA (and binary).
        same("SADD", "set", "b", "a", "10", "9", "\xff", "B")
        same("SORT", "set", "BY", "nosort", "STORE", "sout")
        same("LRANGE", "sout", "0", "-1")
        # An empty result deletes the destination.
        same("SET", "victim", "v")
        same("SORT", "nokey", "STORE", "victim")
        same("EXISTS", "victim")
        same("SORT", "set", "ALPHA", "LIMIT", "10", "1", "STORE", "sout")
        same("EXISTS", "sout")
        # Destructive conversion of a listpack sorted set.
        same("ZADD", "zz", "1", "a", "2", "b")
        same("OBJECT", "ENCODING", "zz")
        same("SORT_RO", "zz", "BY", "nosort", "DESC", "LIMIT", "0", "1")
        same("OBJECT", "ENCODING", "zz")


def test_watch_and_expiry():
    """STORE signals its destination (a WATCHing EXEC aborts), also when an empty result
    deletes it; an expired weight or GET key reads as missing on both servers."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    with rs.client() as r1, rs.client() as r2, ps.client() as p1, ps.client() as p2:
        def same(c1, c2, *args):
            a, b = c1.call(*args), c2.call(*args)
            h.eq(b, a, " ".join(args))
            return a

        same(r1, p1, "RPUSH", "src", "3", "1", "2")
        for dst, src in (("d1", "src"), ("d1", "nokey"), ("d1", "nokey"), ("other", "src")):
            same(r1, p1, "WATCH", "d1")
            same(r2, p2, "SORT", src, "STORE", dst)
            same(r1, p1, "MULTI")
            same(r1, p1, "PING")
            same(r1, p1, "EXEC")
        same(r1, p1, "SET", "w_1", "10")
        same(r1, p1, "SET", "w_2", "5", "PX", "30")
        same(r1, p1, "SET", "w_3", "7")
        same(r1, p1, "SORT", "src", "BY", "w_*", "GET", "w_*")
        time.sleep(0.1)
        same(r1, p1, "SORT", "src", "BY", "w_*", "GET", "w_*")
        same(r1, p1, "SORT", "src", "BY", "w_*", "GET", "w_*", "STORE", "d2")
        same(r1, p1, "LRANGE", "d2", "0", "-1")
        same(r1, p1, "EXISTS", "w_2")


def test_read_only_replica():
    """A read-only replicant serving a dump file (replication itself is not built yet): SORT_RO
    with BY/GET answers as redis-server over the same data, SORT gets -READONLY."""
    rs = h.redis()
    with rs.client() as r:
        r.call("RPUSH", "src", *[str(i * 7 % 23) for i in range(60)])
        r.call("ZADD", "z", *[x for i in range(20) for x in (str(i % 4), "m%d" % i)])
        for i in range(0, 23, 2):
            r.call("SET", "w_%d" % i, str(i % 5))
            r.call("HSET", "h_%d" % i, "f", "v%d" % i)
        h.eq(r.call("SAVE"), b"+OK\r\n", "SAVE")
    d = h.tmpdir()
    shutil.copy(os.path.join(rs.dir, "dump.rdb"), d)
    rep = h.replicant("--dir", d, "--dbfilename", "dump.rdb")
    with rs.client() as r, rep.client() as c:
        for line in (("SORT_RO", "src", "BY", "w_*", "GET", "#", "GET", "h_*->f"),
                     ("SORT_RO", "src", "BY", "w_*", "ALPHA", "LIMIT", "5", "20", "DESC"),
                     ("SORT_RO", "z", "BY", "nosort", "LIMIT", "2", "5", "GET", "w_*"),
                     ("OBJECT", "ENCODING", "z"),
                     ("SORT_RO", "src", "STORE", "x")):
            h.eq(c.call(*line), r.call(*line), " ".join(line))
        h.eq(c.call("SORT", "src"), b"-READONLY You can't write against a read only "
             b"replica.\r\n", "SORT on a read-only replica")


if __name__ == "__main__":
    h.run(globals())
