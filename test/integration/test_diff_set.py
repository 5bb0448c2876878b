#!/usr/bin/env python3
"""test_diff_set: seeded random differential test of the set commands (issue 4, item 4)
against redis-server 7.0.

A fresh standalone redis-server (sanitize-dump-payload yes, so RESTORE checks what replicant
checks) and a fresh replicant (`--replica-read-only no`) receive the same random sequence of
set commands over a few colliding keys, with members drawn to cross every threshold: integers
(small, wide, 64-bit edges), non-canonical integer text, short and long (> 64 bytes) strings,
sets grown past 128 and 512 members. Every reply is compared byte for byte, except:
  SMEMBERS SINTER SUNION SDIFF, SPOP count >= size     sorted (hashtable order is free)
  SSCAN                  each side iterated to completion, the members compared as sets
  SRANDMEMBER, SPOP      shape (length, distinctness) and membership; after a random SPOP both
                         servers get the same content back (the key rewritten on both)
  OBJECT ENCODING        replicant "listpack" may answer where 7.0 says "hashtable" (Redis 7.2
                         encodes small string sets as listpacks); nothing else is mapped
  DUMP                   byte for byte when both sides hold an intset; otherwise each side's
                         payload is RESTOREd on the other and the members compared
  errors                 always byte for byte
WATCH checks the keys each write signals: a second connection watches a key, the write runs,
and its EXEC must abort on both servers or on neither. Crafted RESTORE payloads (duplicates, empty
sets, bad intsets) must be refused alike.

Run: REPLICANT=./replicant python3 test/integration/test_diff_set.py [name-substring ...]
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; RESP3 runs a third).
"""

import os
import random
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 4242
DEFAULT_OPS = 3000

KEYS = [b"s0", b"s1", b"s2", b"s3", b"s4", b"{s}5"]
INT_KEYS = (b"s0", b"s1")
DSTS = [b"d0", b"d1", b"s0", b"s1"]
STR_KEY = b"str"
MISSING = b"nokey"
NEVER = b"never:written"  # absent for sure: the random commands on it are exact
ALL_KEYS = KEYS + [b"d0", b"d1", STR_KEY, MISSING]
INT_EDGES = [b"0", b"-1", b"1", b"32767", b"32768", b"-32768", b"-32769", b"65535",
             b"2147483647", b"2147483648", b"-2147483649", b"9223372036854775807",
             b"-9223372036854775808"]
NON_CANON = [b"007", b"-0", b"+5", b" 5", b"1.5", b"0x10", b"9223372036854775808", b"1e3"]
PATTERNS = [b"*", b"1*", b"*a*", b"?", b"[0-9]*", b"x*", b"-*", b"*5", b"", b"m[a-c]*"]


class Mismatch(AssertionError):
    pass


def show(b, n=300):
    s = repr(bytes(b))[2:-1]
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


def crc64(data):
    """Redis' CRC-64 (Jones polynomial, reflected), the DUMP payload checksum."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x95AC9329AC4BC9B5 if crc & 1 else 0)
    return crc


def dump_payload(body, version=10):
    p = body + struct.pack("<H", version)
    return p + struct.pack("<Q", crc64(p))


def rdb_str(s):
    assert len(s) < 64
    return bytes([len(s)]) + s


def items(raw):
    """The elements of an aggregate reply, as a sorted list of their values."""
    return sorted(x.v for x in h.decode(raw).v)


class Diff:
    def __init__(self, seed, nops, resp3):
        self.seed = seed
        self.nops = nops
        self.resp3 = resp3
        self.rng = random.Random("%d/set/resp%d" % (seed, 3 if resp3 else 2))
        self.rs = h.redis("--sanitize-dump-payload", "yes")
        self.ps = h.replicant("--replica-read-only", "no")
        self.conns = [(self.rs.client(), self.ps.client()), (self.rs.client(), self.ps.client())]
        self.hist = []
        self.fresh = 0
        self.sent = set()
        self.checked_intset_dump = 0
        self.roundtrips = 0
        self.encodings = set()
        if resp3:
            for pair in self.conns:
                for c in pair:
                    h.check(c.call("HELLO", "3").startswith(b"%"), "HELLO 3")

    # ---- talking to both servers ----

    @staticmethod
    def read(c):
        try:
            return c.read_reply()
        except socket.timeout:
            return b"<timeout>"
        except ConnectionError:
            return b"<closed>"

    def both(self, *args, conn=0):
        """Sends args to both servers; returns (redis reply, replicant reply), unchecked."""
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.hist.append(args)
        del self.hist[:-15]
        self.sent.add(args[0].upper())
        req = h.mbulk(*args)
        rc, pc = self.conns[conn]
        rc.send(req)
        pc.send(req)
        return self.read(rc), self.read(pc)

    def fail(self, why, rr, pr):
        lines = ["SET DIFF MISMATCH (seed=%d ops=%d resp%d) at op %d: %s" % (
            self.seed, self.nops, 3 if self.resp3 else 2, self.op, why),
            "  redis:     %s" % show(rr), "  replicant: %s" % show(pr), "  last commands:"]
        lines += ["    " + " ".join(show(a, 80) for a in args) for args in self.hist]
        if not self.ps.alive():
            lines.append("  replicant died:\n" + self.ps.log_text())
        raise Mismatch("\n".join(lines))

    def exact(self, *args, conn=0):
        rr, pr = self.both(*args, conn=conn)
        if rr != pr:
            self.fail("replies differ", rr, pr)
        return rr

    def sorted_(self, *args):
        rr, pr = self.both(*args)
        if rr == pr:
            return rr
        if rr[:1] in b"-<" or pr[:1] in b"-<" or rr[:1] != pr[:1]:
            self.fail("replies differ", rr, pr)
        if items(rr) != items(pr):
            self.fail("replies differ (compared sorted)", rr, pr)
        return rr

    def members(self, key):
        """The members of key on redis-server (sorted), checked equal on replicant."""
        rr, pr = self.both("SMEMBERS", key)
        if rr[:1] == b"-" or rr != pr and items(rr) != items(pr):
            self.fail("SMEMBERS differ", rr, pr)
        return items(rr) if rr[:1] != b"-" else None

    # ---- members ----

    def member(self, key=None):
        r = self.rng.random()
        if key in INT_KEYS:
            # Mostly integers: these keys stay intsets for long stretches.
            r = r * 0.5 if r < 0.97 else r
        if r < 0.35:
            return str(self.rng.randint(-20, 300)).encode()
        if r < 0.45:
            return self.rng.choice(INT_EDGES)
        if r < 0.50:
            return self.rng.choice(NON_CANON)
        if r < 0.85:
            return bytes(self.rng.choice(b"abcmx") for _ in range(self.rng.randint(1, 3)))
        if r < 0.95:
            return b"L" * self.rng.randint(60, 70) + str(self.rng.randint(0, 9)).encode()
        return self.rng.choice([b"", b"\x00\xff", b"caf\xc3\xa9", b"a b"])

    def fresh_members(self, n, kind):
        out = []
        for _ in range(n):
            self.fresh += 1
            if kind == "int":
                out.append(str(100000 + self.fresh).encode())
            elif kind == "wide":
                out.append(str(5000000000 + self.fresh).encode())
            elif kind == "long":
                out.append(b"W" * 66 + str(self.fresh).encode())
            else:
                out.append(b"f%d" % self.fresh)
        return out

    def key(self):
        r = self.rng.random()
        if r < 0.9:
            return self.rng.choice(KEYS)
        return self.rng.choice([STR_KEY, MISSING, b"d0"])

    # ---- checks ----

    def check_encoding(self, key):
        rr, pr = self.both("OBJECT", "ENCODING", key)
        if rr == pr:
            if rr[:1] != b"-" and rr[:1] != b"_" and rr != b"$-1\r\n":
                self.encodings.add(h.decode(pr).v)
            return
        if h.decode(rr).v == b"hashtable" and h.decode(pr).v == b"listpack":
            self.encodings.add(b"listpack")
            return
        self.fail("OBJECT ENCODING differs (only replicant listpack == 7.0 hashtable)", rr, pr)

    def check_dump(self, key):
        enc_r, enc_p = self.both("OBJECT", "ENCODING", key)
        rr, pr = self.both("DUMP", key)
        if rr[:1] in b"-_" or rr == b"$-1\r\n" or pr[:1] in b"-_" or pr == b"$-1\r\n":
            if rr != pr:
                self.fail("DUMP differs", rr, pr)
            return
        if self.both("TYPE", key)[0] != b"+set\r\n":
            if rr != pr:
                self.fail("DUMP differs", rr, pr)
            return
        if enc_r == enc_p and h.decode(enc_r).v == b"intset":
            if rr != pr:
                self.fail("DUMP of an intset differs", rr, pr)
            self.checked_intset_dump += 1
            return
        want = self.members(key)
        self.roundtrips += 1
        for src, dst, who in ((pr, 0, "replicant's DUMP on redis"),
                              (rr, 1, "redis' DUMP on replicant")):
            payload = h.decode(src).v
            c = self.conns[0][dst]
            c.send(h.mbulk(b"RESTORE", b"rt", b"0", payload, b"REPLACE"))
            got = self.read(c)
            if got != b"+OK\r\n":
                self.fail(who + ": RESTORE refused", rr, got)
            c.send(h.mbulk(b"SMEMBERS", b"rt"))
            got = self.read(c)
            if items(got) != want:
                self.fail(who + ": members differ after RESTORE", rr, got)
            c.send(h.mbulk(b"DEL", b"rt"))
            self.read(c)

    def check_scan(self, key, opts):
        """SSCAN to completion on each side with opts; the members must agree as sets."""
        rr, pr = self.both("SSCAN", key, "0", *opts)
        if rr[:1] == b"-" or pr[:1] == b"-":
            if rr != pr:
                self.fail("SSCAN error differs", rr, pr)
            return
        got = []
        for first, side in ((rr, 0), (pr, 1)):
            c = self.conns[0][side]
            seen = set()
            raw = first
            for _ in range(100000):
                r = h.decode(raw)
                if r.t != "*" or len(r.v) != 2 or r.v[0].t != "$" or r.v[1].t != "*":
                    self.fail("SSCAN reply shape", rr, pr)
                seen.update(x.v for x in r.v[1].v)
                cursor = r.v[0].v
                if cursor == b"0":
                    break
                c.send(h.mbulk(b"SSCAN", key, cursor, *opts))
                raw = self.read(c)
            got.append(seen)
        if got[0] != got[1]:
            self.fail("SSCAN members differ: only redis %r, only replicant %r" % (
                sorted(got[0] - got[1])[:5], sorted(got[1] - got[0])[:5]), rr, pr)

    def check_random(self, key, rr, pr, count):
        """SRANDMEMBER / SPOP replies: same shape on both sides, members of the set."""
        if rr[:1] == b"-" or pr[:1] == b"-" or rr[:1] != pr[:1]:
            if rr != pr:
                self.fail("replies differ", rr, pr)
            return None
        a, b = h.decode(rr), h.decode(pr)
        if count is None:
            if (a.v is None) != (b.v is None):
                self.fail("one side null", rr, pr)
            return a, b
        if len(a.v) != len(b.v):
            self.fail("reply lengths differ", rr, pr)
        if count > 0:
            for r in (a, b):
                vals = [x.v for x in r.v]
                if len(set(vals)) != len(vals):
                    self.fail("repeated members with a positive count", rr, pr)
        return a, b

    def rewrite(self, key, members):
        """Gives key the same members on both servers, written the same way."""
        self.exact("DEL", key)
        for i in range(0, len(members), 100):
            self.exact("SADD", key, *members[i:i + 100])

    def watched(self, key, *args, mode="exact"):
        """Runs a write while connection 1 WATCHes key; EXEC there must agree on both sides."""
        self.exact("WATCH", key, conn=1)
        if mode == "exact":
            self.exact(*args)
        else:
            self.sorted_(*args)
        self.exact("MULTI", conn=1)
        self.exact("PING", conn=1)
        self.exact("EXEC", conn=1)

    # ---- the generator ----

    def step(self):
        rng = self.rng
        k = self.key()
        op = rng.random()
        if op < 0.20:
            ms = [self.member(k) for _ in range(rng.randint(1, 6))]
            if rng.random() < 0.3:
                self.watched(k, "SADD", k, *ms)
            else:
                self.exact("SADD", k, *ms)
        elif op < 0.25:
            g = rng.choice(KEYS)
            kinds = ["int", "wide"] if g in INT_KEYS else ["int", "wide", "str", "long"]
            if h.decode(self.exact("SCARD", g)).v < 700:
                self.exact("SADD", g, *self.fresh_members(rng.randint(60, 200), rng.choice(kinds)))
        elif op < 0.33:
            ms = [self.member(k) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.3:
                self.watched(k, "SREM", k, *ms)
            else:
                self.exact("SREM", k, *ms)
        elif op < 0.37:
            self.exact("SISMEMBER", k, self.member())
        elif op < 0.40:
            self.exact("SMISMEMBER", k, *[self.member() for _ in range(rng.randint(1, 4))])
        elif op < 0.43:
            self.exact("SCARD", k)
        elif op < 0.47:
            self.sorted_("SMEMBERS", k)
        elif op < 0.51:
            opts = []
            if rng.random() < 0.5:
                opts += [b"MATCH", rng.choice(PATTERNS)]
            if rng.random() < 0.5:
                opts += [b"COUNT", str(rng.choice([3, 10, 50, 200])).encode()]
            self.check_scan(k, opts)
        elif op < 0.56:
            self.op_srandmember(k)
        elif op < 0.62:
            self.op_spop(k)
        elif op < 0.70:
            cmd = rng.choice([b"SINTER", b"SUNION", b"SDIFF"])
            keys = [self.key() for _ in range(rng.randint(1, 4))]
            self.sorted_(cmd, *keys)
        elif op < 0.73:
            keys = [self.key() for _ in range(rng.randint(1, 3))]
            args = [b"SINTERCARD", str(len(keys)).encode()] + keys
            if rng.random() < 0.5:
                args += [b"LIMIT", str(rng.choice([0, 1, 2, 5, 100])).encode()]
            self.exact(*args)
        elif op < 0.80:
            cmd = rng.choice([b"SINTERSTORE", b"SUNIONSTORE", b"SDIFFSTORE"])
            dst = rng.choice(DSTS)
            keys = [self.key() for _ in range(rng.randint(1, 3))]
            if rng.random() < 0.2:
                self.exact("EXPIRE", dst, "100000")
            self.watched(dst, cmd, dst, *keys)
            self.check_encoding(dst)
            rr, pr = self.both("TTL", dst)
            if rr != pr:
                self.fail("TTL after a STORE", rr, pr)
        elif op < 0.85:
            src, dst = self.key(), rng.choice(KEYS + [b"d1"])
            m = self.member()
            if rng.random() < 0.5:
                s = self.members(src) if src != STR_KEY else None
                if s:
                    m = rng.choice(s)
            self.exact("WATCH", dst, conn=1)
            self.exact("SMOVE", src, dst, m)
            self.exact("MULTI", conn=1)
            self.exact("PING", conn=1)
            self.exact("EXEC", conn=1)
            self.check_encoding(dst)
        elif op < 0.90:
            self.check_encoding(k)
        elif op < 0.94:
            self.check_dump(k)
        elif op < 0.97:
            self.op_errors(k)
        elif op < 0.985:
            self.exact("TYPE", k)
        else:
            self.exact("DEL", rng.choice(KEYS))

    def op_srandmember(self, k):
        rng = self.rng
        if rng.random() < 0.2:
            rr, pr = self.both("SRANDMEMBER", k)
            ab = self.check_random(k, rr, pr, None)
            if ab and ab[0].v is not None:
                s = self.members(k)
                if ab[0].v not in s or ab[1].v not in s:
                    self.fail("SRANDMEMBER gave a non-member", rr, pr)
            return
        count = rng.choice([1, 2, 3, 5, 10, 40, 100, 200, 600, -1, -3, -10, -200, 0])
        rr, pr = self.both("SRANDMEMBER", k, str(count))
        ab = self.check_random(k, rr, pr, count)
        if ab is None:
            return
        s = self.members(k) or []
        want = 0 if not s else (abs(count) if count < 0 else min(count, len(s)))
        for r, raw in ((ab[0], rr), (ab[1], pr)):
            if len(r.v) != want:
                self.fail("SRANDMEMBER %d length %d, want %d" % (count, len(r.v), want), rr, pr)
            if any(x.v not in s for x in r.v):
                self.fail("SRANDMEMBER gave a non-member", rr, pr)

    def op_spop(self, k):
        rng = self.rng
        before = self.members(k) if k not in (STR_KEY,) else None
        if rng.random() < 0.4:
            rr, pr = self.both("SPOP", k)
            count = None
        else:
            size = len(before or [])
            count = rng.choice([0, 1, 2, 5, max(1, size // 2), max(1, size - 1),
                                max(1, size - size // 6), size, size + 3])
            rr, pr = self.both("SPOP", k, str(count))
        ab = self.check_random(k, rr, pr, count)
        if ab is None or before is None:
            return
        if count is None:
            popped = [[ab[0].v], [ab[1].v]] if ab[0].v is not None else [[], []]
        else:
            popped = [[x.v for x in ab[0].v], [x.v for x in ab[1].v]]
        for p in popped:
            if p is None:
                continue
            if any(x not in before for x in p):
                self.fail("SPOP gave a non-member", rr, pr)
            if len(set(p)) != len(p):
                self.fail("SPOP gave a member twice", rr, pr)
        er, ep = self.both("OBJECT", "ENCODING", k)
        if er.endswith(b"intset\r\n") and not ep.endswith(b"intset\r\n"):
            # SPOP's case 3 keeps the few survivors of a hashtable in a new set: 7.0 creates it
            # from its first member (integers: an intset), 7.2 always as a listpack (a hashtable
            # past 128). Rewritten below so that both servers hold the same encoding again.
            popped[0] = None
        else:
            self.check_encoding(k)
        if popped[0] is None or sorted(popped[0]) != sorted(popped[1]):
            left = sorted(set(before) - set(popped[1]))
            self.rewrite(k, left)
        self.members(k)

    def op_errors(self, k):
        rng = self.rng
        cases = [
            (b"SADD", STR_KEY, b"x"), (b"SREM", STR_KEY, b"x"), (b"SCARD", STR_KEY),
            (b"SMEMBERS", STR_KEY), (b"SISMEMBER", STR_KEY, b"1"), (b"SMISMEMBER", STR_KEY, b"1"),
            (b"SPOP", k, b"-1"), (b"SPOP", k, b"abc"), (b"SPOP", k, b"1", b"2"),
            (b"SPOP", STR_KEY), (b"SPOP", STR_KEY, b"2"), (b"SPOP", NEVER),
            (b"SPOP", NEVER, b"3"), (b"SPOP", k, b"0"),
            (b"SRANDMEMBER", k, b"-9223372036854775808"), (b"SRANDMEMBER", k, b"1", b"2"),
            (b"SRANDMEMBER", k, b"x"), (b"SRANDMEMBER", STR_KEY), (b"SRANDMEMBER", NEVER),
            (b"SRANDMEMBER", NEVER, b"5"), (b"SRANDMEMBER", k, b"0"),
            (b"SSCAN", k, b"abc"), (b"SSCAN", k, b"0", b"COUNT", b"0"),
            (b"SSCAN", k, b"0", b"COUNT", b"x"), (b"SSCAN", k, b"0", b"TYPE", b"set"),
            (b"SSCAN", k, b"0", b"MATCH"), (b"SSCAN", STR_KEY, b"0"), (b"SSCAN", NEVER, b"0"),
            (b"SSCAN", STR_KEY, b"x"), (b"SSCAN", NEVER, b"0", b"COUNT", b"0"),
            (b"SINTERCARD", b"0", k), (b"SINTERCARD", b"x", k), (b"SINTERCARD", b"5", k),
            (b"SINTERCARD", b"1", k, b"LIMIT", b"-1"), (b"SINTERCARD", b"1", k, b"LIMIT"),
            (b"SINTERCARD", b"1", k, b"LIMIT", b"x"), (b"SINTERCARD", b"1", k, b"FOO", b"1"),
            (b"SINTERCARD", b"2", k, STR_KEY), (b"SINTERCARD", b"2", NEVER, STR_KEY),
            (b"SINTER", NEVER, STR_KEY), (b"SUNION", k, STR_KEY), (b"SDIFF", STR_KEY, k),
            (b"SINTERSTORE", b"d0", k, STR_KEY), (b"SUNIONSTORE", b"d0", STR_KEY),
            (b"SDIFFSTORE", b"d0", NEVER, STR_KEY), (b"SMOVE", k, STR_KEY, b"1"),
            (b"SMOVE", STR_KEY, k, b"1"), (b"SMOVE", NEVER, STR_KEY, b"1"),
            (b"SADD", k), (b"SMISMEMBER", k), (b"SINTERCARD", b"1"), (b"SMOVE", k, k),
            (b"SDIFF", NEVER, k), (b"SINTERSTORE", b"d1", NEVER, k),
        ]
        case = rng.choice(cases)
        if case[0] == b"SDIFF":
            self.sorted_(*case)
        else:
            self.exact(*case)

    def setup(self):
        self.exact("SET", STR_KEY, "a string")

    def run(self):
        self.setup()
        for self.op in range(self.nops):
            self.step()
        # Every key at the end: members, encoding, DUMP.
        for k in ALL_KEYS:
            self.sorted_("SMEMBERS", k) if k != STR_KEY else self.exact("TYPE", k)
            self.check_encoding(k)
            self.check_dump(k)

    def close(self):
        for pair in self.conns:
            for c in pair:
                c.close()


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


REQUIRED = set(b"""SMEMBERS SISMEMBER SMISMEMBER SCARD SSCAN SRANDMEMBER SINTER SUNION SDIFF
    SINTERCARD SADD SREM SPOP SMOVE SINTERSTORE SUNIONSTORE SDIFFSTORE OBJECT DUMP RESTORE
    WATCH EXEC""".split())


def test_random_ops_resp2():
    seed, nops = settings()
    d = Diff(seed, nops, False)
    d.run()
    d.close()
    missing = REQUIRED - d.sent - {b"RESTORE"}
    h.check(not missing or nops < 1000, "commands never sent: %s" % sorted(missing))
    h.check(nops < 1000 or {b"intset", b"listpack", b"hashtable"} <= d.encodings,
            "encodings seen: %s" % sorted(d.encodings))
    h.check(nops < 1000 or (d.checked_intset_dump > 0 and d.roundtrips > 0),
            "DUMP checks: %d intset, %d round trips" % (d.checked_intset_dump, d.roundtrips))
    print("# resp2: %d ops, encodings %s, %d intset DUMPs equal, %d RESTORE round trips" % (
        nops, b",".join(sorted(d.encodings)).decode(), d.checked_intset_dump, d.roundtrips))


def test_random_ops_resp3():
    seed, nops = settings()
    d = Diff(seed + 1, max(1, nops // 3), True)
    d.run()
    d.close()


def test_restore_payloads():
    """Crafted DUMP payloads: both servers accept or refuse them alike."""
    rs = h.redis("--sanitize-dump-payload", "yes")
    ps = h.replicant("--replica-read-only", "no")
    intset = struct.pack("<II", 2, 3) + struct.pack("<hhh", 1, 5, 9)
    cases = {
        "set": bytes([2, 3]) + rdb_str(b"a") + rdb_str(b"b") + rdb_str(b"1"),
        "set of ints": bytes([2, 2]) + rdb_str(b"7") + rdb_str(b"-3"),
        "set dup": bytes([2, 3]) + rdb_str(b"a") + rdb_str(b"b") + rdb_str(b"a"),
        "set int dup": bytes([2, 2]) + rdb_str(b"7") + rdb_str(b"7"),
        "set empty": bytes([2, 0]),
        "set short": bytes([2, 3]) + rdb_str(b"a"),
        "set count lies": bytes([2, 0x80, 0, 0, 1, 0]) + rdb_str(b"a"),
        "intset": bytes([11]) + rdb_str(intset),
        "intset unsorted": bytes([11]) + rdb_str(struct.pack("<II", 2, 3) +
                                                 struct.pack("<hhh", 1, 9, 5)),
        "intset dup": bytes([11]) + rdb_str(struct.pack("<II", 2, 2) + struct.pack("<hh", 4, 4)),
        "intset empty": bytes([11]) + rdb_str(struct.pack("<II", 2, 0)),
        "intset bad width": bytes([11]) + rdb_str(struct.pack("<II", 3, 1) + b"\x01\x00\x00"),
        "intset bad length": bytes([11]) + rdb_str(struct.pack("<II", 2, 4) +
                                                   struct.pack("<hhh", 1, 5, 9)),
    }
    with rs.client() as rc, ps.client() as pc:
        for name, body in sorted(cases.items()):
            for trunc in (None, -3):
                payload = dump_payload(body)
                if trunc is not None:
                    payload = dump_payload(body[:trunc]) if len(body) > 3 else payload
                req = h.mbulk(b"RESTORE", b"k", b"0", payload, b"REPLACE")
                rc.send(req)
                pc.send(req)
                rr, pr = rc.read_reply(), pc.read_reply()
                h.eq(pr, rr, "RESTORE %s%s" % (name, " truncated" if trunc else ""))
                if rr == b"+OK\r\n":
                    a, b = rc.call("SMEMBERS", "k"), pc.call("SMEMBERS", "k")
                    h.eq(items(b), items(a), "SMEMBERS after RESTORE %s" % name)
                    a, b = rc.call("OBJECT", "ENCODING", "k"), pc.call("OBJECT", "ENCODING", "k")
                    ok = a == b or (b"hashtable" in a and b"listpack" in b)
                    h.check(ok, "OBJECT ENCODING after RESTORE %s: %r vs %r" % (name, a, b))


def test_thresholds():
    """Exact crossings: 128 and 512 members, 64 and 65 bytes, both servers alike."""
    rs = h.redis()
    ps = h.replicant("--replica-read-only", "no")
    with rs.client() as rc, ps.client() as pc:
        def both(*args):
            a, b = rc.call(*args), pc.call(*args)
            return a, b

        def enc(key, want_redis, want_repl):
            a, b = both("OBJECT", "ENCODING", key)
            h.eq((a, b), (b"$%d\r\n%s\r\n" % (len(want_redis), want_redis),
                          b"$%d\r\n%s\r\n" % (len(want_repl), want_repl)), "encoding of " + key)

        for i in range(512):
            both("SADD", "ints", str(i))
        enc("ints", b"intset", b"intset")
        both("SADD", "ints", "512")
        enc("ints", b"hashtable", b"hashtable")
        for i in range(128):
            both("SADD", "strs", "m%d" % i)
        enc("strs", b"hashtable", b"listpack")
        both("SADD", "strs", "m128")
        enc("strs", b"hashtable", b"hashtable")
        both("SADD", "v64", "x" * 64)
        enc("v64", b"hashtable", b"listpack")
        both("SADD", "v65", "x" * 65)
        enc("v65", b"hashtable", b"hashtable")
        for i in range(127):
            both("SADD", "mix", str(i))
        both("SADD", "mix", "s")
        enc("mix", b"hashtable", b"listpack")
        for i in range(128):
            both("SADD", "mix2", str(i))
        both("SADD", "mix2", "s")
        enc("mix2", b"hashtable", b"hashtable")
        a, b = both("SINTERSTORE", "dst", "ints", "mix")
        h.eq(b, a, "SINTERSTORE")
        enc("dst", b"intset", b"intset")
        a, b = both("DUMP", "dst")
        h.eq(b, a, "DUMP of the SINTERSTORE intset")
        a, b = both("SPOP", "ints", "500")
        h.eq(len(h.decode(b).v), 500, "SPOP 500 length")
        # The 13 left move to a new set: 7.0 makes an intset of them, 7.2 a listpack.
        enc("ints", b"intset", b"listpack")


def test_keyspace_commands():
    """TYPE, COPY, RENAME, MOVE, SCAN TYPE, MEMORY USAGE and DEL on sets of each encoding."""
    rs = h.redis()
    ps = h.replicant("--replica-read-only", "no")
    with rs.client() as rc, ps.client() as pc:
        def both(*args):
            return rc.call(*args), pc.call(*args)

        def same(*args, sort=False):
            a, b = both(*args)
            if sort and a[:1] in b"*~" and a[:1] == b[:1]:
                h.eq(items(b), items(a), " ".join(map(str, args)))
            else:
                h.eq(b, a, " ".join(map(str, args)))

        same("SADD", "ints", "1", "2", "70000")
        same("SADD", "strs", "x", "y", "1")
        same("SADD", "big", *[str(i) for i in range(600)])
        same("SET", "plain", "v")
        for k in ("ints", "strs", "big"):
            same("TYPE", k)
            same("COPY", k, k + ":c")
            same("SMEMBERS", k + ":c", sort=True)
            a, b = both("OBJECT", "ENCODING", k + ":c")
            h.check(a == b or (b"hashtable" in a and b"listpack" in b), "COPY encoding %r %r"
                    % (a, b))
            same("SADD", k + ":c", "new")
            same("SISMEMBER", k, "new")
            same("RENAME", k + ":c", k + ":r")
            same("EXISTS", k + ":c")
            same("MOVE", k + ":r", "1")
            same("SELECT", "1")
            same("SCARD", k + ":r")
            same("SMEMBERS", k + ":r", sort=True)
            same("DEL", k + ":r")
            same("SELECT", "0")
            a, b = both("MEMORY", "USAGE", k)
            h.check(a[:1] == b[:1] == b":" and int(b[1:]) > 0, "MEMORY USAGE %r %r" % (a, b))
        a, b = both("SCAN", "0", "TYPE", "set", "COUNT", "1000")
        h.eq(sorted(x.v for x in h.decode(b).v[1].v), sorted(x.v for x in h.decode(a).v[1].v),
             "SCAN TYPE set")
        same("DEL", "ints", "strs", "big", "plain")
        same("DBSIZE")


if __name__ == "__main__":
    h.run(globals())
