#!/usr/bin/env python3
"""test_diff_list: seeded random differential test of the list type (issue 4) against
redis-server 7.0.15.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`) receive the same
random sequence of every list command (LRANGE LINDEX LLEN LPOS LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP
LINSERT LSET LTRIM LREM LMOVE RPOPLPUSH LMPOP BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP) with argument
errors, plus TYPE, OBJECT ENCODING, DUMP, RESTORE, COPY, RENAME, DEL and MULTI/EXEC around them,
over a small pool of colliding keys (a few hold strings, for WRONGTYPE). Elements are short
strings, integers (edge values included) and strings of a few KB, so lists cross 128 entries and
the 8 KiB node limit in both directions. Every reply is compared byte for byte, except:
  OBJECT ENCODING  redis 7.0 says "quicklist" for every list; replicant, following Redis 7.2,
                   says "listpack" for small ones: "quicklist" from redis accepts either.
  MEMORY USAGE     shape only.
  DUMP             both payloads are parsed (RDB_TYPE_LIST_QUICKLIST_2: node count, containers,
                   entries per node). Where both servers have the same nodes the payloads must be
                   identical byte for byte. Node boundaries cannot always match: 7.0 never turns
                   a quicklist back into a listpack, never converts a listpack into a quicklist
                   at 7.2's slightly different threshold, and keeps an element over 8 KiB in a
                   listpack node where 7.2+ gives it a plain node. There each payload is RESTOREd
                   into the other server and both lists must read back equal (LRANGE 0 -1).
  damaged RESTORE  a payload with a flipped bit or cut short: both must refuse it, except that
                   redis (sanitize-dump-payload no) takes a listpack whose header is sound
                   while replicant checks every entry and refuses it: counted, not a failure.
At the end every key of every db is compared (TYPE, LRANGE 0 -1, and the DUMP rule above).
test_dump_nodes_match pins the node boundaries: lists built and changed the same way on both
servers (large pushes, then splits and merges) must DUMP identically after every command, but
for Redis 7.0's looser merge limit (see there). test_readonly_replica_refuses checks -READONLY.

Run: REPLICANT=./replicant python3 test/integration/test_diff_list.py [--ops N] [--seed S]
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; the RESP3 run does a
third of that).
"""

import collections
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 4242
DEFAULT_OPS = 4000
MAX_LEN = 1500          # a list longer than this is trimmed
KEYS = [b"l0", b"l1", b"l2", b"l3", b"l4", b"big", b"{t}a", b"{t}b", b"\x00l", b"s0", b"s1"]
STRINGS = [b"s0", b"s1"]
INT_EDGES = [b"0", b"-1", b"1", b"127", b"128", b"-128", b"4095", b"-4096", b"32767", b"-32768",
             b"8388607", b"-8388608", b"2147483647", b"-2147483648", b"9223372036854775807",
             b"-9223372036854775808", b"9223372036854775808", b"007", b"-0", b"1 ", b"+1",
             b"12345678901234567890", b"1e3", b"0x10"]
BAD_INTS = [b"abc", b"1.5", b"", b" 1", b"99999999999999999999", b"+", b"-"]
REQUIRED = set("""LRANGE LINDEX LLEN LPOS LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LINSERT LSET LTRIM
    LREM LMOVE RPOPLPUSH LMPOP BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP OBJECT DUMP RESTORE""".split())

EXACT = "exact"
ENCODING = "encoding"
SHAPE = "shape"


class Mismatch(AssertionError):
    pass


def show(b, n=300):
    s = repr(bytes(b))[2:-1]
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


# ---- DUMP payloads ----

def lzf_decompress(data, outlen):
    out = bytearray()
    i = 0
    while i < len(data):
        ctrl = data[i]
        i += 1
        if ctrl < 32:
            out += data[i:i + ctrl + 1]
            i += ctrl + 1
        else:
            ln = ctrl >> 5
            if ln == 7:
                ln += data[i]
                i += 1
            ref = len(out) - ((ctrl & 0x1f) << 8) - data[i] - 1
            i += 1
            for _ in range(ln + 2):
                out.append(out[ref])
                ref += 1
    if len(out) != outlen:
        raise ValueError("bad lzf")
    return bytes(out)


def rdb_len(b, pos):
    """(value, is_encoded, new pos)."""
    c = b[pos]
    t = c >> 6
    if t == 0:
        return c & 0x3f, False, pos + 1
    if t == 1:
        return ((c & 0x3f) << 8) | b[pos + 1], False, pos + 2
    if t == 3:
        return c & 0x3f, True, pos + 1
    if c == 0x80:
        return int.from_bytes(b[pos + 1:pos + 5], "big"), False, pos + 5
    if c == 0x81:
        return int.from_bytes(b[pos + 1:pos + 9], "big"), False, pos + 9
    raise ValueError("bad length")


def rdb_string(b, pos):
    n, enc, pos = rdb_len(b, pos)
    if not enc:
        return b[pos:pos + n], pos + n
    if n in (0, 1, 2):
        w = 1 << n
        return str(int.from_bytes(b[pos:pos + w], "little", signed=True)).encode(), pos + w
    if n == 3:
        clen, _, pos = rdb_len(b, pos)
        ulen, _, pos = rdb_len(b, pos)
        return lzf_decompress(b[pos:pos + clen], ulen), pos + clen
    raise ValueError("bad string encoding")


def dump_nodes(payload):
    """The nodes of a list DUMP payload: [(container, entries, bytes)], or None if it is not a
    quicklist 2."""
    if not payload or payload[0] != 18:
        return None
    n, _, pos = rdb_len(payload, 1)
    nodes = []
    for _ in range(n):
        cont, _, pos = rdb_len(payload, pos)
        data, pos = rdb_string(payload, pos)
        nodes.append((cont, 1 if cont == 1 else int.from_bytes(data[4:6], "little"), len(data)))
    return nodes


class Diff:
    def __init__(self, seed, nops, resp3=False):
        self.seed = seed
        self.nops = nops
        self.resp3 = resp3
        self.rng = random.Random("%d/list/resp%d" % (seed, 3 if resp3 else 2))
        self.rs = h.redis()
        self.ps = h.replicant("--replica-read-only", "no")
        self.rc = self.rs.client()
        self.pc = self.ps.client()
        self.hist = collections.deque(maxlen=20)
        self.ncmd = 0
        self.op = 0
        self.sent = set()
        self.in_multi = False
        self.dump_same = 0
        self.dump_roundtrip = 0
        self.lenient_restores = 0
        if resp3:
            for c in (self.rc, self.pc):
                h.check(c.call("HELLO", "3").startswith(b"%"), "HELLO 3 failed")

    def tag(self):
        return "seed=%d ops=%d resp%d" % (self.seed, self.nops, 3 if self.resp3 else 2)

    @staticmethod
    def read(c):
        try:
            return c.read_reply()
        except Exception as e:   # a timeout or a closed connection is a mismatch to report
            return b"<" + str(e).encode() + b">"

    def raw(self, c, *args):
        c.send(h.mbulk(*[a if isinstance(a, bytes) else str(a).encode() for a in args]))
        return self.read(c)

    def do(self, *args, mode=EXACT):
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.ncmd += 1
        self.hist.append((self.ncmd, self.op, args))
        name = args[0].upper()
        self.sent.add(name.decode())
        req = h.mbulk(*args)
        self.rc.send(req)
        self.pc.send(req)
        rr = self.read(self.rc)
        pr = self.read(self.pc)
        if self.in_multi and name not in (b"EXEC", b"DISCARD", b"MULTI"):
            mode = EXACT
        if name == b"MULTI" and rr == b"+OK\r\n":
            self.in_multi = True
        elif name in (b"EXEC", b"DISCARD"):
            self.in_multi = False
        why = self.compare(mode, rr, pr)
        if why is not None:
            self.fail(args, why, rr, pr)
        return rr, pr

    def compare(self, mode, rr, pr):
        if rr == pr:
            return None
        if mode == EXACT or rr.startswith(b"-") or pr.startswith(b"-"):
            return "replies differ"
        a, b = h.decode(rr), h.decode(pr)
        if mode == ENCODING:
            if a.v == b"quicklist" and b.v in (b"listpack", b"quicklist"):
                return None
            return "encodings differ"
        if mode == SHAPE:
            return None if a.t == b.t else "reply types differ"
        return "replies differ"

    def fail(self, args, why, rr, pr):
        lines = ["DIFF MISMATCH (%s) at op %d, command %d: %s" % (self.tag(), self.op,
                                                                  self.ncmd, why),
                 "  command:   %s" % " ".join(show(a, 100) for a in args),
                 "  redis:     %s" % show(rr, 2000),
                 "  replicant: %s" % show(pr, 2000),
                 "  last commands:"]
        for n, op, a in self.hist:
            lines.append("    %5d %5d %s" % (n, op, " ".join(show(x, 60) for x in a)))
        lines.append("  reproduce: REPLICANT=%s DIFF_SEED=%d DIFF_OPS=%d python3 %s" % (
            h.REPLICANT, self.seed, self.nops, os.path.abspath(__file__)))
        if pr.startswith(b"<") and not self.ps.alive():
            lines.append("  replicant died:\n" + self.ps.log_text())
        raise Mismatch("\n".join(lines))

    # ---- arguments ----

    def bad(self, p=0.05):
        return self.rng.random() < p

    def kw(self, s):
        return s if self.rng.random() < 0.8 else s.lower()

    def key(self):
        r = self.rng.random()
        if r < 0.05:
            return self.rng.choice(STRINGS)
        if r < 0.1:
            return b"missing"
        return self.rng.choice(KEYS[:9])

    def elem(self):
        r = self.rng.random()
        if r < 0.35:
            return self.rng.choice([b"a", b"b", b"c", b"x", b"yy", b"zzz"])
        if r < 0.55:
            return str(self.rng.randint(-300, 300)).encode()
        if r < 0.62:
            return self.rng.choice(INT_EDGES)
        if r < 0.9:
            return bytes(self.rng.choice(b"abcdefgh") for _ in range(self.rng.randint(5, 60)))
        if r < 0.98:
            return bytes([self.rng.randint(97, 122)]) * self.rng.randint(200, 3000)
        return bytes([self.rng.randint(97, 122)]) * self.rng.randint(8000, 9500)

    def index(self):
        r = self.rng.random()
        if self.bad(0.03):
            return self.rng.choice(BAD_INTS)
        if r < 0.4:
            return self.rng.randint(-10, 10)
        if r < 0.8:
            return self.rng.randint(-400, 400)
        return self.rng.choice([-9223372036854775808, 9223372036854775807, 2 ** 32, -2 ** 32])

    def where(self):
        if self.bad(0.03):
            return b"middle"
        return self.kw(self.rng.choice([b"LEFT", b"RIGHT"]))

    def timeout(self):
        if self.bad(0.05):
            return self.rng.choice([b"-1", b"abc", b"1e300", b"-0.5", b"inf", b"nan", b""])
        return self.rng.choice([b"0", b"0.01", b"1", b"0.5"])

    def count_arg(self):
        if self.bad(0.04):
            return self.rng.choice([b"-1", b"0", b"abc", b"9223372036854775808"])
        return str(self.rng.choice([1, 2, 3, 10, 50, 200, 2000])).encode()

    # ---- generators ----

    def g_lrange(self):
        self.do("LRANGE", self.key(), self.index(), self.index())

    def g_lrange_all(self):
        self.do("LRANGE", self.key(), 0, -1)

    def g_lindex(self):
        self.do("LINDEX", self.key(), self.index())

    def g_llen(self):
        self.do("LLEN", self.key())

    def g_lpos(self):
        args = ["LPOS", self.key(), self.elem()]
        for _ in range(self.rng.randint(0, 3)):
            opt = self.rng.choice([b"RANK", b"COUNT", b"MAXLEN"])
            args.append(self.kw(opt))
            if self.bad(0.04):
                continue
            if opt == b"RANK":
                v = self.rng.choice([1, 2, 3, -1, -2, -5, 0, -9223372036854775808,
                                     9223372036854775807])
            else:
                v = self.rng.choice([0, 1, 2, 5, 100, -1])
            args.append(v if not self.bad(0.03) else b"x")
        self.do(*args)

    def g_push(self):
        cmd = self.rng.choice([b"LPUSH", b"RPUSH", b"LPUSH", b"RPUSH", b"LPUSHX", b"RPUSHX"])
        n = self.rng.choice([1, 1, 2, 3, 5, 20, 60, 150])
        self.do(cmd, self.key(), *[self.elem() for _ in range(n)])

    def g_pop(self):
        cmd = self.rng.choice([b"LPOP", b"RPOP"])
        r = self.rng.random()
        if r < 0.5:
            self.do(cmd, self.key())
        elif r < 0.97:
            self.do(cmd, self.key(), self.count_arg())
        else:
            self.do(cmd, self.key(), 1, 2)

    def pivot(self, key):
        rr, _ = self.do("LINDEX", key, self.rng.randint(-50, 50))
        v = h.decode(rr).v
        if isinstance(v, bytes) and not rr.startswith(b"-"):
            return v
        return self.elem()

    def g_linsert(self):
        key = self.key()
        where = self.kw(self.rng.choice([b"BEFORE", b"AFTER"])) if not self.bad(0.03) else b"x"
        self.do("LINSERT", key, where, self.pivot(key), self.elem())

    def g_lset(self):
        key = self.key()
        self.do("LSET", key, self.index() if self.bad(0.3) else self.rng.randint(-60, 60),
                self.elem())

    def g_ltrim(self):
        key = self.key()
        if self.rng.random() < 0.7:
            self.do("LTRIM", key, self.rng.randint(0, 40), self.rng.randint(-40, -1))
        else:
            self.do("LTRIM", key, self.index(), self.index())

    def g_lrem(self):
        key = self.key()
        c = self.rng.choice([0, 1, 2, -1, -2, 5, -9223372036854775808])
        if self.bad(0.03):
            c = b"abc"
        self.do("LREM", key, c, self.pivot(key) if self.rng.random() < 0.7 else self.elem())

    def g_lmove(self):
        r = self.rng.random()
        if r < 0.5:
            self.do("LMOVE", self.key(), self.key(), self.where(), self.where())
        else:
            self.do("RPOPLPUSH", self.key(), self.key())

    def mpop_args(self):
        n = self.rng.randint(1, 3)
        keys = [self.key() for _ in range(n)]
        num = n
        if self.bad(0.05):
            num = self.rng.choice([0, -1, n + 2, b"x", 9223372036854775807])
        args = [num] + keys + [self.where()]
        if self.rng.random() < 0.6:
            args += [self.kw(b"COUNT"), self.count_arg()]
        if self.bad(0.03):
            args += [b"COUNT", b"2"]
        return args

    def g_lmpop(self):
        self.do("LMPOP", *self.mpop_args())

    def has_data(self, key):
        """True if key holds a non-empty list on redis-server (a blocking pop on it returns
        at once there)."""
        return self.raw(self.rc, "TYPE", key) == b"+list\r\n"

    def g_blocking(self):
        """A blocking form on keys that may be empty: sent as it is when its first key holds
        data (neither server blocks), else inside MULTI, where Redis may not block either."""
        r = self.rng.random()
        if r < 0.25:
            keys = [self.key() for _ in range(self.rng.randint(1, 3))]
            args = [self.rng.choice([b"BLPOP", b"BRPOP"])] + keys + [self.timeout()]
        elif r < 0.5:
            keys = [self.key()]
            args = [b"BLMOVE", keys[0], self.key(), self.where(), self.where(), self.timeout()]
        elif r < 0.7:
            keys = [self.key()]
            args = [b"BRPOPLPUSH", keys[0], self.key(), self.timeout()]
        else:
            margs = self.mpop_args()
            keys = margs[1:2]
            args = [b"BLMPOP", self.timeout()] + margs
        if self.in_multi or self.has_data(keys[0]):
            self.do(*args)
        else:
            self.do("MULTI")
            self.do(*args)
            self.do("EXEC")

    def g_blocking_empty(self):
        """Blocking pops on missing keys: both must answer at once, Redis in MULTI (where it
        cannot block either), replicant anywhere (it never waits)."""
        self.do("MULTI")
        r = self.rng.random()
        if r < 0.4:
            self.do("BLPOP", "nolist1", "nolist2", "0")
        elif r < 0.6:
            self.do("BLMOVE", "nolist1", "l0", "LEFT", "RIGHT", "0")
        elif r < 0.8:
            self.do("BRPOPLPUSH", "nolist1", "l0", "0")
        else:
            self.do("BLMPOP", "0", "2", "nolist1", "nolist2", "LEFT")
        self.do("EXEC")

    def g_multi(self):
        self.do("MULTI")
        for _ in range(self.rng.randint(1, 4)):
            self.rng.choice([Diff.g_push, Diff.g_pop, Diff.g_blocking, Diff.g_lrange,
                             Diff.g_linsert])(self)
        self.do("EXEC")

    def g_object(self):
        self.do("OBJECT", "ENCODING", self.key(), mode=ENCODING)

    def g_memory(self):
        self.do("MEMORY", "USAGE", self.key(), mode=SHAPE)

    def g_type(self):
        self.do("TYPE", self.key())

    def g_string(self):
        self.do("SET", self.rng.choice(STRINGS), self.elem())

    def g_del(self):
        self.do("DEL", self.key())

    def g_copy(self):
        if self.rng.random() < 0.5:
            self.do("COPY", self.key(), self.key(), "REPLACE")
        else:
            self.do("RENAME", self.key(), self.key())

    def g_dump(self):
        self.check_dump(self.key())

    def g_restore(self):
        """RESTOREs one server's DUMP of a list on both (same bytes to both)."""
        key = self.key()
        payload = h.decode(self.raw(self.rc, "DUMP", key)).v
        if payload is None:
            return
        self.do("RESTORE", b"restored", 0, payload, "REPLACE")
        self.do("LRANGE", b"restored", 0, -1)
        self.do("OBJECT", "ENCODING", b"restored", mode=ENCODING)
        self.do("DEL", b"restored")

    def g_bad_restore(self):
        """Corrupted and truncated list payloads must be refused the same way."""
        key = self.rng.choice(KEYS[:5])
        payload = h.decode(self.raw(self.rc, "DUMP", key)).v
        if payload is None or len(payload) < 14:
            return
        body = bytearray(payload[:-10])
        r = self.rng.random()
        if r < 0.5:
            body = body[:self.rng.randint(1, len(body) - 1)]
        else:
            i = self.rng.randint(1, len(body) - 1)
            body[i] ^= 1 << self.rng.randint(0, 7)
        trailer = payload[-10:-8]
        crcbody = bytes(body) + trailer
        args = [b"RESTORE", b"bad", b"0", crcbody + crc64(crcbody).to_bytes(8, "little"),
                b"REPLACE"]
        self.sent.add("RESTORE")
        rr = self.raw(self.rc, *args)
        pr = self.raw(self.pc, *args)
        if rr == b"+OK\r\n" and pr == b"-ERR Bad data format\r\n":
            # Redis checks only a listpack's header unless sanitize-dump-payload is on;
            # replicant validates every entry and refuses what Redis would read out of bounds.
            self.lenient_restores += 1
        elif rr != pr:
            self.fail(args, "RESTORE of a damaged payload answered differently", rr, pr)
        elif rr == b"+OK\r\n":
            self.do("LRANGE", b"bad", 0, -1)
        self.raw(self.rc, "DEL", b"bad")
        self.raw(self.pc, "DEL", b"bad")

    def check_dump(self, key):
        self.sent.add("DUMP")
        rr = self.raw(self.rc, "DUMP", key)
        pr = self.raw(self.pc, "DUMP", key)
        if rr == pr:
            if rr.startswith(b"$") and not rr.startswith(b"$-1"):
                self.dump_same += 1
            return
        a, b = h.decode(rr), h.decode(pr)
        if a.t != b.t or (a.v is None) != (b.v is None) or a.t == "-":
            self.fail([b"DUMP", key], "DUMP replies differ", rr, pr)
        na, nb = dump_nodes(a.v), dump_nodes(b.v)
        if na is None or nb is None:
            self.fail([b"DUMP", key], "not a list payload", rr, pr)
        if na == nb:
            self.fail([b"DUMP", key], "same nodes %r but different bytes" % (na,), rr, pr)
        # different node boundaries: each payload must restore on the other server
        want = self.raw(self.rc, "LRANGE", key, 0, -1)
        for c, payload in ((self.rc, b.v), (self.pc, a.v)):
            got = self.raw(c, "RESTORE", b"__rt", 0, payload, "REPLACE")
            if got != b"+OK\r\n":
                self.fail([b"RESTORE", b"__rt"], "cross RESTORE refused", rr, pr)
            got = self.raw(c, "LRANGE", b"__rt", 0, -1)
            self.raw(c, "DEL", b"__rt")
            if got != want:
                self.fail([b"DUMP", key], "cross RESTORE round trip differs", want, got)
        self.dump_roundtrip += 1

    def trim_long(self):
        for key in KEYS[:9]:
            rr, _ = self.do("LLEN", key)
            if rr.startswith(b":") and int(rr[1:-2]) > MAX_LEN:
                self.do("LTRIM", key, 0, self.rng.randint(50, 900))

    def run(self):
        print("# %s" % self.tag())
        sys.stdout.flush()
        gens, weights = zip(*_W)
        start = time.monotonic()
        for self.op in range(1, self.nops + 1):
            self.rng.choices(gens, weights)[0](self)
            if self.op % 50 == 0:
                self.trim_long()
        self.final_compare()
        print("# %s: %d commands in %.1f s; DUMP identical %d, compared by RESTORE %d; damaged "
              "payloads only redis took %d" % (self.tag(), self.ncmd, time.monotonic() - start,
                                               self.dump_same, self.dump_roundtrip,
                                               self.lenient_restores))
        missing = REQUIRED - self.sent
        if missing and self.nops >= 2000 and not self.resp3:
            raise AssertionError("the generator never sent %s" % " ".join(sorted(missing)))

    def final_compare(self):
        for db in range(16):
            self.do("SELECT", db)
            rr, _ = self.do("KEYS", "*", mode=SHAPE)
            ka = sorted(x.v for x in h.decode(rr).v)
            kb = sorted(x.v for x in h.decode(self.raw(self.pc, "KEYS", "*")).v)
            if ka != kb:
                self.fail([b"KEYS", b"*"], "key sets differ", repr(ka).encode(),
                          repr(kb).encode())
            for k in ka:
                rr, _ = self.do("TYPE", k)
                if rr == b"+list\r\n":
                    self.do("LRANGE", k, 0, -1)
                    self.do("OBJECT", "ENCODING", k, mode=ENCODING)
                    self.check_dump(k)
        self.do("SELECT", 0)


def crc64(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x95AC9329AC4BC9B5 if crc & 1 else 0)
    return crc


_W = [
    (Diff.g_lrange, 6), (Diff.g_lrange_all, 3), (Diff.g_lindex, 5), (Diff.g_llen, 3),
    (Diff.g_lpos, 5), (Diff.g_push, 16), (Diff.g_pop, 6), (Diff.g_linsert, 4), (Diff.g_lset, 4),
    (Diff.g_ltrim, 3), (Diff.g_lrem, 4), (Diff.g_lmove, 4), (Diff.g_lmpop, 3),
    (Diff.g_blocking, 4), (Diff.g_blocking_empty, 1), (Diff.g_multi, 1.5), (Diff.g_object, 3),
    (Diff.g_memory, 0.5), (Diff.g_type, 1), (Diff.g_string, 0.5), (Diff.g_del, 0.7),
    (Diff.g_copy, 0.7), (Diff.g_dump, 3), (Diff.g_restore, 1.5), (Diff.g_bad_restore, 1),
]


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def test_random_ops_resp2():
    seed, ops = settings()
    Diff(seed, ops).run()


def test_random_ops_resp3():
    seed, ops = settings()
    Diff(seed, max(50, ops // 3), resp3=True).run()


def merge_explains(ours, theirs):
    """True if redis 7.0's nodes are replicant's with some neighbours merged that only 7.0's
    merge rule joins: it allows a merged node of up to 8192 + 11 bytes of two listpacks, 7.2+
    up to 8192 + 7."""
    i = j = 0
    while i < len(ours) and j < len(theirs):
        if ours[i] == theirs[j]:
            i += 1
            j += 1
        elif (i + 1 < len(ours) and ours[i][0] == ours[i + 1][0] == 2 and
              ours[i][1] + ours[i + 1][1] == theirs[j][1] and
              8192 + 7 < ours[i][2] + ours[i + 1][2] <= 8192 + 11):
            i += 2
            j += 1
        else:
            return False
    return i == len(ours) and j == len(theirs)


def test_dump_nodes_match():
    """Lists built by large pushes, then changed by LINSERT (node splits and merges), LSET,
    LREM, LTRIM and pops while staying long enough never to be one node again: replicant's
    nodes are the ones Redis builds, so DUMP must be identical byte for byte after every
    command. The one known difference: Redis 7.0 merges two neighbours into a node of up to
    8203 bytes where 7.2+ (and replicant) stop at 8199; when that happens the trial stops
    (later splits follow other boundaries) and it must be the only difference."""
    seed, _ = settings()
    rng = random.Random("%d/nodes" % seed)
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    a, b = rs.client(), ps.client()
    identical = diverged = 0

    def both(*args):
        ra, rb = a.call(*args), b.call(*args)
        h.eq(rb, ra, " ".join(show(x, 40) for x in args))
        return ra

    for trial in range(8):
        key = b"q%d" % trial
        els = [bytes([97 + rng.randint(0, 25)]) * rng.choice([1, 5, 30, 200, 1000, 3000])
               if rng.random() < 0.7 else str(rng.randint(-10 ** 6, 10 ** 6)).encode()
               for _ in range(rng.randint(400, 2500))]
        both(rng.choice([b"RPUSH", b"LPUSH"]), key, *els)
        same = True
        for _ in range(60):
            r = rng.random()
            piv = h.decode(a.call("LINDEX", key, str(rng.randint(-150, 150)))).v
            if r < 0.4:
                both(b"LINSERT", key, rng.choice([b"BEFORE", b"AFTER"]), piv,
                     b"x" * rng.choice([1, 50, 700, 2000]))
            elif r < 0.6:
                both(b"LSET", key, str(rng.randint(-150, 150)).encode(),
                     b"y" * rng.choice([1, 20, 900, 4000]))
            elif r < 0.75:
                both(b"LREM", key, str(rng.choice([0, 1, -1, 2])).encode(), piv)
            elif r < 0.85:
                both(b"LTRIM", key, str(rng.randint(0, 5)).encode(),
                     str(-rng.randint(1, 5)).encode())
            else:
                both(rng.choice([b"LPOP", b"RPOP"]), key, str(rng.randint(1, 5)).encode())
            da, db = a.call("DUMP", key), b.call("DUMP", key)
            if da == db:
                continue
            na, nb = dump_nodes(h.decode(da).v), dump_nodes(h.decode(db).v)
            h.check(merge_explains(nb, na), "trial %d: nodes differ beyond 7.0's merge rule:"
                    "\n  redis:     %r\n  replicant: %r" % (trial, na, nb))
            same = False
            break
        if same:
            h.check(len(dump_nodes(h.decode(da).v)) > 1, "trial %d: one node" % trial)
            identical += 1
        else:
            diverged += 1
    print("# %d lists identical after every command, %d stopped at a 7.0-only merge" % (
        identical, diverged))
    h.check(identical >= 5, "too few identical lists")


def test_readonly_replica_refuses():
    """A read-only replica's client: reads answer, writes and blocking forms get -READONLY."""
    ps = h.replicant()
    c = ps.client()
    for cmd in (["LPUSH", "k", "a"], ["BLPOP", "k", "0"], ["BLMOVE", "a", "b", "LEFT", "LEFT",
                                                           "0"], ["LMPOP", "1", "k", "LEFT"]):
        got = c.call(*cmd)
        h.eq(got, b"-READONLY You can't write against a read only replica.\r\n", cmd[0])
    h.eq(c.call("LRANGE", "k", "0", "-1"), b"*0\r\n", "LRANGE")


if __name__ == "__main__":
    h.parse_diff_argv()
    h.TEST_TIMEOUT = max(h.TEST_TIMEOUT, 30 + settings()[1] // 100)
    h.run(globals())
