#!/usr/bin/env python3
"""test_diff_hll: seeded random differential test of the HyperLogLog commands against
redis-server 7.0.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`) receive the
same random sequence of PFADD, PFCOUNT (one key and several), PFMERGE, PFDEBUG (GETREG, DECODE,
ENCODING, TODENSE, unknown subcommands, missing keys) over a few colliding keys, in RESP2 and
then RESP3. Elements are short strings, numbers, binary and long values; bulk PFADDs of
hundreds to thousands of elements cross hll-sparse-max-bytes (3000), so keys are sparse, dense,
and promoted mid-command; PFMERGE mixes sparse and dense sources. Every reply is compared byte
for byte (errors included), and after every command that may write (PFADD, PFMERGE, PFDEBUG,
and PFCOUNT, which caches the cardinality in the value as a primary does) GET of the key is
compared byte for byte, with OBJECT ENCODING and STRLEN.

Values that claim to be HLLs but are not are SET on both servers: short strings, wrong magic,
unknown encodings, dense of the wrong length, integers, sparse bodies that cover too few or too
many registers, and random byte mutations of real HLLs (sparse and dense). One PF command runs
on such a key and its reply and GET are compared, then the key is deleted (a corrupt sparse
body cut inside an XZERO opcode makes Redis read the byte after its string's end, which later
commands may see as something other than the NUL replicant reads; see storage/hll.c).

Run: REPLICANT=./replicant python3 test/integration/test_diff_hll.py
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; RESP3 runs a third).
"""

import os
import random
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 5150
DEFAULT_OPS = 3000

HKEYS = [b"h1", b"h2", b"h3", b"h4", b"{h}dst"]
STRKEY = b"str"
LISTKEY = b"lst"
BADKEY = b"bad"
MISSING = b"missing"

SHORT = [b"a", b"b", b"c", b"foo", b"bar", b"", b"\x00", b"\xff\xfe", b"caf\xc3\xa9", b"x y",
         b"0", b"1", b"-1", b"42", b"3.14", b"9223372036854775807", b"hello world"]
EMPTY_SPARSE = bytes.fromhex("48594c4c0100000000000000000000807fff")
BAD_VALUES = [
    b"", b"HYLL", b"abc", b"12345", b"-1234567890123456789",
    bytes.fromhex("48594c4c01"),
    bytes.fromhex("48594c4d0100000000000000000000807fff"),          # magic
    bytes.fromhex("48594c4c0200000000000000000000807fff"),          # encoding 2
    bytes.fromhex("48594c4cff00000000000000000000807fff"),          # encoding 255
    bytes.fromhex("48594c4c0000000000000000000000807fff"),          # dense, 18 bytes
    bytes.fromhex("48594c4c01000000000000000000008000"),            # one register
    bytes.fromhex("48594c4c010000000000000000000080"),              # no body
    bytes.fromhex("48594c4c0100000000000000000000807fff00"),        # one register too many
    bytes.fromhex("48594c4c0100000000000000000000807ffe00"),        # 16383 + z:1
    bytes.fromhex("48594c4c0100000000000000000000807ffe80"),        # 16383 + v:1,1
    bytes.fromhex("48594c4c0100000000000000000000807ffefc"),        # 16383 + v:32,1
    bytes.fromhex("48594c4c0100000000000000000000007ffefc"),        # valid cache 0
    bytes.fromhex("48594c4c0100000000000005000000007ffefc"),        # valid cache 5 (a lie)
    bytes.fromhex("48594c4c0100000000000000000000807ff3ff"),        # v:32,4 at the end
    bytes.fromhex("48594c4c0100000000000000000000807ff0ff"),        # too many: v:32,4
    bytes.fromhex("48594c4c0100000000000000000000807ffd8383"),      # 16382 + v:1,4 + v:1,4
    bytes.fromhex("48594c4c0100000000000000000000807fdd5f5f5f"),    # z runs past the end
    EMPTY_SPARSE[:5] + b"\x01\x02\x03" + EMPTY_SPARSE[8:],           # unused bytes set
    b"HYLL" + b"\x00" + b"\x00" * 11 + b"\x00" * 12288,               # dense, all zero
    b"HYLL" + b"\x00" + b"\x00" * 11 + b"\xff" * 12288,               # dense, all 63
    b"HYLL" + b"\x00" + b"\x00" * 11 + b"\xff" * 12287,               # dense, short by one
]


def ends_in_cut_xzero(v):
    """True if v is a sparse HLL whose last opcode is an XZERO missing its second byte: Redis
    reads the byte past its string there, which after a PFADD that split that opcode is the
    last byte it wrote rather than the NUL replicant reads (a known difference; see
    storage/hll.c). Only one register update may touch such a value."""
    if len(v) < 17 or v[:4] != b"HYLL" or v[4] != 1:
        return False
    i = 16
    while i < len(v):
        if v[i] & 0xc0 == 0x40:
            if i + 1 == len(v):
                return True
            i += 2
        else:
            i += 1
    return False


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


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
        self.seen = set()
        self.dense_seen = False
        self.promoted = False

    def fail(self, what, cmd, a, b):
        lines = ["seed %d resp%d: %s" % (self.seed, 3 if self.resp3 else 2, what),
                 "  command: %r" % (tuple(c[:200] if isinstance(c, bytes) else c for c in cmd),),
                 "  redis:     %r" % a[:2000], "  replicant: %r" % b[:2000],
                 "  last commands:"]
        lines += ["    %r" % (tuple(x[:80] if isinstance(x, bytes) else x for x in c),)
                  for c in self.hist[-15:]]
        raise AssertionError("\n".join(lines))

    def both(self, *cmd):
        self.hist.append(cmd)
        name = cmd[0].upper() if isinstance(cmd[0], str) else cmd[0].decode().upper()
        if name == "PFDEBUG":
            name += "_" + (cmd[1].upper() if isinstance(cmd[1], str) else cmd[1].decode().upper())
        self.seen.add(name)
        return self.r.call(*cmd), self.p.call(*cmd)

    def exact(self, *cmd):
        a, b = self.both(*cmd)
        if a != b:
            self.fail("reply differs", cmd, a, b)
        return a

    def check_value(self, key):
        """GET byte for byte (the point of it all), then the encoding and length."""
        a = self.exact("GET", key)
        if a.startswith(b"-"):
            return None
        v = h.decode(a).v
        if isinstance(v, bytes) and v[:4] == b"HYLL" and len(v) > 4:
            if v[4] == 0 and len(v) == 12304:
                self.dense_seen = True
        self.exact("OBJECT", "ENCODING", key)
        self.exact("STRLEN", key)
        return v

    # ---- generators ----

    def element(self):
        x = self.rng.random()
        if x < 0.4:
            return self.rng.choice(SHORT)
        if x < 0.8:
            return b"e%d" % self.rng.randint(0, 20000)
        if x < 0.9:
            return bytes(self.rng.randrange(256) for _ in range(self.rng.randint(1, 12)))
        return b"L" * self.rng.randint(40, 120) + b"%d" % self.rng.randint(0, 99)

    def hkey(self):
        x = self.rng.random()
        if x < 0.04:
            return self.rng.choice([STRKEY, LISTKEY, MISSING])
        return self.rng.choice(HKEYS)

    def bulk(self, key):
        n = self.rng.choice([50, 200, 500, 1000, 1700, 2500])
        base = self.rng.randint(0, 1000000)
        before = h.decode(self.r.call("PFDEBUG", "ENCODING", key)).v
        self.exact("PFADD", key, *[b"b%d" % (base + i) for i in range(n)])
        after = h.decode(self.r.call("PFDEBUG", "ENCODING", key)).v
        if before == b"sparse" and after == b"dense":
            self.promoted = True

    def bad_value(self):
        x = self.rng.random()
        if x < 0.5:
            return self.rng.choice(BAD_VALUES)
        # A random mutation of a real HLL value.
        src = self.rng.choice(HKEYS)
        v = h.decode(self.r.call("GET", src)).v
        if not isinstance(v, bytes) or len(v) < 16:
            v = EMPTY_SPARSE
        v = bytearray(v)
        for _ in range(self.rng.randint(1, 3)):
            y = self.rng.random()
            if y < 0.5 or len(v) <= 17:
                i = self.rng.randrange(len(v))
                v[i] = self.rng.randrange(256)
            elif y < 0.7:
                del v[self.rng.randrange(16, len(v))]
            elif y < 0.85:
                v.insert(self.rng.randrange(16, len(v) + 1), self.rng.randrange(256))
            else:
                del v[self.rng.randrange(17, len(v)):]
        return bytes(v)

    def pfdebug(self, key):
        sub = self.rng.choice([b"GETREG", b"getreg", b"DECODE", b"decode", b"ENCODING",
                               b"Encoding", b"TODENSE", b"todense", b"nope", b"decode\x00x"])
        a = self.exact("PFDEBUG", sub, key)
        return a

    def on_bad(self):
        """SET a non-HLL or corrupt value, run one command on it, compare, delete it."""
        v = self.bad_value()
        self.exact("SET", BADKEY, v)
        x = self.rng.random()
        other = self.rng.choice(HKEYS)
        cut = ends_in_cut_xzero(v)
        if cut and x >= 0.65 and x < 0.75:
            x = 0.3
        if x < 0.25:
            n = self.rng.randint(0, 1 if cut else 4)
            self.exact("PFADD", BADKEY, *[self.element() for _ in range(n)])
        elif x < 0.45:
            self.exact("PFCOUNT", BADKEY)
        elif x < 0.55:
            self.exact("PFCOUNT", other, BADKEY)
        elif x < 0.65:
            self.exact("PFMERGE", other, BADKEY)
            self.check_value(other)
        elif x < 0.75:
            self.exact("PFMERGE", BADKEY, other)
        else:
            self.pfdebug(BADKEY)
        self.check_value(BADKEY)
        self.exact("DEL", BADKEY)

    def step(self):
        rng = self.rng
        x = rng.random()
        key = self.hkey()
        if x < 0.30:
            n = rng.choice([0, 1, 1, 1, 2, 3, 5, 10])
            self.exact("PFADD", key, *[self.element() for _ in range(n)])
            self.check_value(key)
        elif x < 0.36:
            self.bulk(rng.choice(HKEYS))
            self.check_value(key)
        elif x < 0.50:
            self.exact("PFCOUNT", key)
            self.check_value(key)
        elif x < 0.58:
            keys = [self.hkey() for _ in range(rng.randint(2, 4))]
            self.exact("PFCOUNT", *keys)
        elif x < 0.68:
            keys = [self.hkey() for _ in range(rng.randint(0, 3))]
            self.exact("PFMERGE", key, *keys)
            self.check_value(key)
        elif x < 0.76:
            self.pfdebug(key)
            self.check_value(key)
        elif x < 0.84:
            self.on_bad()
        elif x < 0.88:
            self.exact(rng.choice(["DEL", "UNLINK"]), rng.choice(HKEYS))
        elif x < 0.90:
            self.exact("COPY", rng.choice(HKEYS), rng.choice(HKEYS), "REPLACE")
        elif x < 0.92:
            # A short string that is a valid empty HLL (embstr: PFADD makes it raw).
            self.exact("SET", rng.choice(HKEYS), EMPTY_SPARSE)
        elif x < 0.94:
            self.exact("APPEND", rng.choice(HKEYS), rng.choice([b"", b"\x80", b"\x00"]))
        else:
            self.exact("TYPE", key)
            self.exact("PFCOUNT", *HKEYS)

    def run(self):
        self.exact("SET", STRKEY, "v")
        self.exact("RPUSH", LISTKEY, "a")
        for i in range(self.nops):
            self.step()
        for k in HKEYS:
            self.check_value(k)
            self.exact("PFCOUNT", k)
            self.check_value(k)


REQUIRED = set("""PFADD PFCOUNT PFMERGE PFDEBUG_GETREG PFDEBUG_DECODE PFDEBUG_ENCODING
    PFDEBUG_TODENSE PFDEBUG_NOPE GET SET""".split())


def test_random_hll_resp2():
    seed, ops = settings()
    d = Diff(seed, ops, False)
    d.run()
    if ops >= DEFAULT_OPS:
        missing = REQUIRED - d.seen
        h.check(not missing, "commands never sent: %s" % " ".join(sorted(missing)))
        h.check(d.dense_seen and d.promoted, "no key became dense (promoted %r)" % d.promoted)


def test_random_hll_resp3():
    seed, ops = settings()
    Diff(seed, max(50, ops // 3), True).run()


def test_promotion_point():
    """One element at a time until dense: the exact PFADD that promotes, GET after each."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()
    for i in range(1800):
        cmd = ("PFADD", "pp", "e%d" % i)
        m.expect(repr(cmd), r.call(*cmd), p.call(*cmd))
        if i % 7 == 0 or i > 1670:
            m.expect("GET after %d" % i, r.call("GET", "pp"), p.call("GET", "pp"))
        if m.items:
            break
    m.expect("PFDEBUG ENCODING", r.call("PFDEBUG", "ENCODING", "pp"),
             p.call("PFDEBUG", "ENCODING", "pp"))
    m.expect("PFCOUNT", r.call("PFCOUNT", "pp"), p.call("PFCOUNT", "pp"))
    m.expect("GET", r.call("GET", "pp"), p.call("GET", "pp"))
    m.expect("PFSELFTEST", r.call("PFSELFTEST"), p.call("PFSELFTEST"))
    for cmd in (("PFADD",), ("PFDEBUG", "ENCODING"), ("PFDEBUG", "ENCODING", "pp", "x"),
                ("PFSELFTEST", "x"), ("PFDEBUG", "ENCODING", "nokey")):
        m.expect(repr(cmd), r.call(*cmd), p.call(*cmd))
    m.done()


def test_pfcount_on_replica():
    """A client's PFCOUNT on a replica answers without touching the value (GET stays the
    primary's bytes); offline, PFCOUNT caches the cardinality in the value as a primary does.
    The data comes from a redis-server dump (HLLs with invalid caches, sparse, dense, corrupt);
    the offline reference is a redis-server that loaded the same dump."""
    rs = h.redis()
    r = rs.client()
    r.call("PFADD", "sparse", "a", "b", "c")
    r.call("PFADD", "dense", *["e%d" % i for i in range(3000)])
    r.call("SET", "embstr", EMPTY_SPARSE)
    r.call("SET", "corrupt", bytes.fromhex("48594c4c01000000000000000000008000"))
    keys = ["sparse", "dense", "embstr", "corrupt"]
    before = {k: r.call("GET", k) for k in keys}
    h.eq(r.call("SAVE"), b"+OK\r\n", "SAVE")
    dirs = [h.tmpdir() for _ in range(3)]
    for d in dirs:
        shutil.copy(os.path.join(rs.dir, "dump.rdb"), d)
    m = h.Mismatches()

    ref = h.redis("--dir", dirs[0], "--dbfilename", "dump.rdb").client()
    rep = h.replicant("--dir", dirs[1], "--dbfilename", "dump.rdb", "--replicaof", "127.0.0.1",
                      str(h.free_port())).client()
    off = h.replicant("--dir", dirs[2], "--dbfilename", "dump.rdb").client()
    for k in keys:
        enc = rep.call("OBJECT", "ENCODING", k)
        m.expect("replica PFCOUNT " + k, ref.call("PFCOUNT", k), rep.call("PFCOUNT", k))
        m.expect("replica GET " + k, before[k], rep.call("GET", k))
        m.expect("replica OBJECT ENCODING " + k, enc, rep.call("OBJECT", "ENCODING", k))
        m.expect("offline PFCOUNT " + k, ref.call("PFCOUNT", k), off.call("PFCOUNT", k))
        m.expect("offline GET " + k, ref.call("GET", k), off.call("GET", k))
        m.expect("offline OBJECT ENCODING " + k, ref.call("OBJECT", "ENCODING", k),
                 off.call("OBJECT", "ENCODING", k))
    m.expect("replica PFCOUNT union", ref.call("PFCOUNT", *keys[:3]),
             rep.call("PFCOUNT", *keys[:3]))
    for cmd in (("PFADD", "sparse", "z"), ("PFMERGE", "x", "sparse"),
                ("PFDEBUG", "TODENSE", "sparse")):
        m.expect("replica " + repr(cmd), b"-READONLY You can't write against a read only "
                 b"replica.\r\n", rep.call(*cmd))
    m.done()


if __name__ == "__main__":
    h.run(globals())
