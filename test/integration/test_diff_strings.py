#!/usr/bin/env python3
"""test_diff_strings: seeded random differential test of the storage core (issue 3) against
redis-server 7.0.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`, so clients may
write) receive the same long random sequence of string, bitmap, keyspace, expiry and transaction
commands over ~30 colliding keys in db 0, 1 and 9, and every reply is compared: byte for byte,
except where the reply is legitimately free to differ:
  KEYS                      compared as sorted lists
  SCAN                      each side iterated to completion, the sets of keys compared
  RANDOMKEY                 null on both or a key on both, each key existing on both servers
  TTL, EXPIRETIME           +-1 s; PTTL, PEXPIRETIME +-TOL_MS (the servers set deadlines a few ms
                            apart); -1 and -2 exactly
  OBJECT IDLETIME, MEMORY USAGE   type and shape only
  EXEC                      element by element, each under its queued command's rule
  errors                    always byte for byte
Transactions: MULTI/EXEC/DISCARD with queued reads, writes and errors (EXECABORT), WATCH with the
key changed (or left alone) by a second connection or by the same one, UNWATCH. SCAN also runs
with hundreds of keys added or deleted between its calls (the table rehashes): every key present
throughout must come back, on each server.
Expiry is mostly long (no flakiness); a few short ones (PX 50, PXAT in the past, ...) are
tracked: their key is left alone, and db-wide reads of its db wait, until a deadline well past
the expiry, then both servers must agree the key is gone. At the end INFO keyspace's counts and
the whole keyspace of every db are compared (KEYS *, TYPE, GET, DUMP, PTTL).

The first mismatch fails the test with the seed, the op and command index, the command, both
replies and the last 20 commands sent (ending with it). The sequence depends only on the seed
(and on redis-server's replies, deterministic for it; only the absolute deadlines of the short
expiries follow the clock), so a failure reproduces with the printed seed.

Run: REPLICANT=./replicant python3 test/integration/test_diff_strings.py [--ops N] [--seed S]
         [--keep-going] [name-substring ...]
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; the RESP3 run does a
third of that), DIFF_KEEP_GOING=1 (do not stop at the first mismatch: report each command's first
mismatch and a count, re-aligning both keyspaces after each), DIFF_SELF=1 (compare redis-server
with a second redis-server: checks that the test itself is deterministic).
"""

import collections
import os
import random
import re
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 3031
DEFAULT_OPS = 5000
TOL_MS = 500            # allowed PTTL / PEXPIRETIME difference between the servers
SHORT_MARGIN = 0.15     # seconds waited past a short expiry before both must agree it is gone
MAX_LEN = 8192          # a value grown past this by APPEND / SETRANGE is reset to a short one
MAX_REPORTS = 200       # keep-going: stop after this many mismatches

EXACT = "exact"
SORTED = "sorted"
SHAPE = "shape"
RANDOMKEY = "randomkey"
SCANSHAPE = "scanshape"
KEYSPACE = "keyspace"
TTL_S = ("tol", 1)
TTL_MS = ("tol", TOL_MS)

DBS = (0, 1, 9)
KEYPOOL = [b"k0", b"k1", b"k2", b"k3", b"k4", b"k5", b"k6", b"k7", b"k8", b"k9",
           b"a", b"b", b"c", b"ab", b"abc", b"user:1", b"user:2", b"user:10", b"user:a",
           b"h[1]", b"h*", b"h?", b"h\\x", b"x y", b"\x00\xff", b"", b"{t}1", b"{t}2",
           b"L" * 60, b"caf\xc3\xa9"]
HOT = KEYPOOL[:12]

INT_EDGES = [b"9223372036854775807", b"-9223372036854775808", b"9223372036854775808",
             b"-9223372036854775809", b"-0", b"007", b" 1", b"1 ", b"+1", b"0", b"-1", b"10",
             b"9999", b"10000", b"18446744073709551615", b"0x10", b"1e3",
             b"12345678901234567890", b"-00", b"1\x00"]
FLOATS = [b"3.14", b"-0.5", b"1e10", b"1.5e-5", b"inf", b"-inf", b"nan", b"+inf",
          b"1.7976931348623157e308", b"0.1", b"5.0e3", b" 2.5", b".5", b"5.", b"1e400",
          b"0.30000000000000004", b"-0.0", b"3.0", b"1e-320", b"2.5 ", b"0x1p3"]
BAD_INTS = [b"abc", b"1.5", b"", b" 1", b"99999999999999999999", b"1e3", b"+", b"-", b"0x10"]
KEYS_PATTERNS = [b"*", b"k*", b"user:*", b"?", b"??", b"k?", b"[a-c]", b"[a-c]*", b"[^k]*",
                 b"h\\[1\\]", b"h\\*", b"h\\?", b"h\\\\x", b"*1*", b"user:[0-9]*", b"*:?",
                 b"[", b"[a", b"a[", b"\\", b"x y", b"{t}*", b"\\{t\\}*", b"*\xff*", b"L*",
                 b"*[", b"[]]", b"[a-]", b"[z-a]*", b"*a*b*c*", b"K*", b"user:1?", b"[k]?",
                 b"[\\]]*", b"*\\", b"caf*"]
ALPHA = b"abcde"
# Every command of issue 3 (OBJECT and MEMORY with their subcommand): a default-length run must
# have sent each of them.
REQUIRED = set("""GET MGET STRLEN GETRANGE SUBSTR GETBIT BITCOUNT BITPOS BITFIELD_RO LCS EXISTS
    TYPE TTL PTTL EXPIRETIME PEXPIRETIME KEYS SCAN RANDOMKEY DBSIZE TOUCH OBJECT_ENCODING
    OBJECT_REFCOUNT OBJECT_IDLETIME OBJECT_FREQ OBJECT_HELP MEMORY_USAGE DUMP SET SETEX PSETEX
    SETNX GETSET MSET MSETNX APPEND SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT GETDEL GETEX
    SETBIT BITOP BITFIELD DEL UNLINK EXPIRE PEXPIRE EXPIREAT PEXPIREAT PERSIST RENAME RENAMENX
    COPY MOVE SWAPDB FLUSHDB FLUSHALL RESTORE MULTI EXEC DISCARD WATCH UNWATCH SELECT""".split())
FAR = 4102444800        # 2100-01-01: absolute deadlines from here on are "long"


class Mismatch(AssertionError):
    pass


def show(b, n=600):
    """A readable form of a command argument or reply (bytes), cut after n characters."""
    s = repr(bytes(b))[2:-1]
    return s if len(s) <= n else s[:n] + "...(%d bytes)" % len(b)


def crc64(data):
    """Redis' CRC-64 (Jones polynomial, reflected), used by DUMP payloads."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x95AC9329AC4BC9B5 if crc & 1 else 0)
    return crc


class Diff:
    """One differential run: two servers, two connections to each (the main one and "other",
    used to change watched keys), the generator, and the comparison."""

    def __init__(self, seed, nops, resp3=False, keep_going=False, env_ops=None):
        self.seed = seed
        self.nops = nops
        self.env_ops = env_ops or nops     # the DIFF_OPS that reproduces this run
        self.resp3 = resp3
        self.keep_going = keep_going
        self.rng = random.Random("%d/resp%d" % (seed, 3 if resp3 else 2))
        self.rs = h.redis()
        if os.environ.get("DIFF_SELF") == "1":
            self.ps = h.redis()
        else:
            self.ps = h.replicant("--replica-read-only", "no")
        self.conns = [(self.rs.client(), self.ps.client()), (self.rs.client(), self.ps.client())]
        self.dbs = [0, 0]
        self.hist = collections.deque(maxlen=20)
        self.ncmd = 0
        self.op = 0
        self.busy = {}          # (db, key) -> (op index to check at, monotonic deadline)
        self.in_multi = [False, False]
        self.queued = [[], []]  # modes of commands queued by MULTI, per connection
        self.multi_db = [0, 0]  # the db before MULTI, restored when the transaction does not run
        self.payloads = []
        self.reports = collections.OrderedDict()
        self.nmismatch = 0
        self.resync_needed = False
        self.sent = set()
        if resp3:
            for rc, pc in self.conns:
                for c in (rc, pc):
                    raw = c.call("HELLO", "3")
                    h.check(raw.startswith(b"%"), "HELLO 3 answered %r" % raw[:200])
        self.seed_payloads()

    # ---- talking to both servers ----

    def tag(self):
        return "seed=%d ops=%d resp%d" % (self.seed, self.nops, 3 if self.resp3 else 2)

    @staticmethod
    def read(c):
        """The next raw reply, or a <...> marker for a missing or malformed one."""
        try:
            return c.read_reply()
        except socket.timeout:
            return b"<timeout>"
        except ConnectionError:
            return b"<closed>"
        except h.HarnessError as e:
            c.buf = bytearray()
            c.pos = 0
            return b"<bad reply: " + str(e).encode() + b">"

    def reconnect(self, conn):
        """Keep-going mode: a new replicant connection for pair conn after a reply went
        missing or wrong (the old one may be out of step)."""
        old = self.conns[conn][1]
        old.close()
        c = self.ps.client()
        if self.resp3:
            c.call("HELLO", "3")
        c.call("SELECT", str(self.dbs[conn]))
        self.conns[conn] = (self.conns[conn][0], c)

    def do(self, *args, mode=EXACT, conn=0):
        """Sends args to both servers on connection pair conn, compares the replies under
        mode, and returns redis-server's raw reply."""
        args = [a if isinstance(a, bytes) else str(a).encode() for a in args]
        self.ncmd += 1
        self.hist.append((self.ncmd, self.op, conn, self.dbs[conn], args))
        req = h.mbulk(*args)
        rc, pc = self.conns[conn]
        rc.send(req)
        pc.send(req)
        rr = self.read(rc)
        pr = self.read(pc)
        name = args[0].upper()
        if name in (b"OBJECT", b"MEMORY") and len(args) > 1:
            self.sent.add((name + b"_" + args[1].upper()).decode("latin-1"))
        else:
            self.sent.add(name.decode("latin-1"))
        if self.in_multi[conn] and name not in (b"EXEC", b"DISCARD", b"MULTI", b"WATCH"):
            if rr == b"+QUEUED\r\n":
                self.queued[conn].append(mode)
            mode = EXACT
        why = self.compare(mode, rr, pr)
        if why is None and mode == RANDOMKEY and not self.in_multi[conn]:
            why = self.check_randomkey(conn, rr, pr)
        self.track(conn, args, name, rr)
        if why is not None:
            self.mismatch(args, why, rr, pr)
        return rr

    def track(self, conn, args, name, rr):
        """Follows each connection's selected db and MULTI state from redis-server's replies."""
        if name == b"MULTI" and rr == b"+OK\r\n":
            self.in_multi[conn] = True
            self.queued[conn] = []
            self.multi_db[conn] = self.dbs[conn]
        elif name in (b"EXEC", b"DISCARD") and self.in_multi[conn]:
            self.in_multi[conn] = False
            if not rr.startswith(b"*") or rr.startswith(b"*-1") or name == b"DISCARD":
                self.dbs[conn] = self.multi_db[conn]
        elif name == b"SELECT" and (rr == b"+OK\r\n" or rr == b"+QUEUED\r\n"):
            self.dbs[conn] = int(args[1])

    def raw_one(self, c, *args):
        """One unrecorded request to one server (for checks and resyncs)."""
        c.send(h.mbulk(*args))
        return self.read(c)

    def compare(self, mode, rr, pr):
        """None if the replies agree under mode, else why not."""
        if rr == pr:
            return None
        if pr.startswith(b"<"):
            return "replicant gave no proper reply"
        if mode == EXACT or rr.startswith(b"-") or pr.startswith(b"-"):
            return "replies differ"
        try:
            a, b = h.decode(rr), h.decode(pr)
        except Exception as e:
            return "undecodable reply (%s)" % e
        return None if same(mode, a, b) else "replies differ (compared as %s)" % (mode,)

    def check_randomkey(self, conn, rr, pr):
        a, b = h.decode(rr), h.decode(pr)
        if a.v is None:
            return None
        rc, pc = self.conns[conn]
        for key in (a.v, b.v):
            for who, c in (("redis", rc), ("replicant", pc)):
                got = self.raw_one(c, "EXISTS", key)
                if got != b":1\r\n":
                    return "RANDOMKEY key %s: EXISTS on %s answered %s" % (show(key), who,
                                                                            show(got))
        return None

    def mismatch(self, args, why, rr, pr):
        self.nmismatch += 1
        lines = ["DIFF MISMATCH (%s) at op %d, command %d (conn %s, db %d): %s" % (
            self.tag(), self.op, self.ncmd, "main" if self.hist[-1][2] == 0 else "other",
            self.hist[-1][3], why),
            "  command:   %s" % " ".join(show(a) for a in args),
            "  redis:     %s" % show(rr),
            "  replicant: %s" % show(pr),
            "  last %d commands (cmd#, op#, conn, db: command):" % len(self.hist)]
        for n, op, conn, db, a in self.hist:
            lines.append("    %5d %5d %s db%d: %s" % (n, op, "main " if conn == 0 else "other", db,
                                                    " ".join(show(x, 100) for x in a)))
        lines.append("  reproduce: REPLICANT=%s DIFF_SEED=%d DIFF_OPS=%d python3 %s %s" % (
            h.REPLICANT, self.seed, self.env_ops, os.path.abspath(__file__),
            "resp3" if self.resp3 else "random_ops_resp2"))
        text = "\n".join(lines)
        if pr.startswith(b"<") and not self.ps.alive():
            raise Mismatch(text + "\n  replicant died:\n" + self.ps.log_text())
        if not self.keep_going:
            raise Mismatch(text)
        if pr.startswith(b"<"):
            self.reconnect(self.hist[-1][2])
        sig = b" ".join(args[:2] if args[0].upper() in (b"OBJECT", b"MEMORY") else args[:1])
        sig = sig.upper().decode("latin-1") + " / " + why
        if sig not in self.reports:
            self.reports[sig] = [0, text]
        self.reports[sig][0] += 1
        self.resync_needed = True
        if self.nmismatch >= MAX_REPORTS:
            raise Mismatch(self.summary())

    def summary(self):
        out = ["%d mismatch(es) of %d kind(s) (%s):" % (self.nmismatch, len(self.reports),
                                                        self.tag())]
        for sig, (n, text) in self.reports.items():
            out.append("== %s (x%d), first:\n%s" % (sig, n, text))
        return "\n".join(out)

    def resync(self):
        """Keep-going mode: after a mismatch, gives both servers redis-server's keyspace again
        (rewritten the same way on both) and both connections the same state."""
        self.resync_needed = False
        for conn in (0, 1):
            for c in self.conns[conn]:
                self.raw_one(c, "DISCARD")
                self.raw_one(c, "UNWATCH")
                self.raw_one(c, "SELECT", str(self.dbs[conn]))
            self.in_multi[conn] = False
        rc = self.conns[0][0]
        data = []
        for db in range(16):
            self.raw_one(rc, "SELECT", str(db))
            keys = h.decode(self.raw_one(rc, "KEYS", "*")).v
            for k in keys:
                v = h.decode(self.raw_one(rc, "GET", k.v)).v
                t = h.decode(self.raw_one(rc, "PEXPIRETIME", k.v)).v
                pttl = h.decode(self.raw_one(rc, "PTTL", k.v)).v
                if v is not None and (t == -1 or pttl > 5000):
                    data.append((db, k.v, v, t))
        self.raw_one(rc, "SELECT", str(self.dbs[0]))
        self.busy.clear()
        for srv in (self.rs, self.ps):
            with srv.client() as c:
                self.raw_one(c, "FLUSHALL")
                for db, k, v, t in data:
                    self.raw_one(c, "SELECT", str(db))
                    self.raw_one(c, "SET", k, v)
                    if t != -1:
                        self.raw_one(c, "PEXPIREAT", k, str(t))

    # ---- values and arguments ----

    def kw(self, s):
        """An option word, sometimes in lower case (options are case-insensitive)."""
        return s if self.rng.random() < 0.8 else s.lower()

    def bad(self, p=0.08):
        return self.rng.random() < p

    def letters(self, n, alpha=ALPHA):
        r = self.rng
        return bytes(r.choice(alpha) for _ in range(n))

    def value(self):
        """A value: integers (edge forms too), floats, binary, empty, short, the int/embstr
        boundary lengths (20/21, 44/45 bytes), or 1-2.5 KB (compressible or not)."""
        r = self.rng
        x = r.random()
        if x < 0.25:
            return str(r.randint(-1000, 1000)).encode()
        if x < 0.33:
            return r.choice(INT_EDGES)
        if x < 0.40:
            return str(r.randint(-2 ** 63, 2 ** 63 - 1)).encode()
        if x < 0.48:
            if r.random() < 0.5:
                return r.choice(FLOATS)
            return ("%.*f" % (r.randint(0, 6), r.uniform(-1e6, 1e6))).encode()
        if x < 0.55:
            return bytes(r.randint(0, 255) for _ in range(r.randint(1, 40)))
        if x < 0.59:
            return b""
        if x < 0.80:
            return self.letters(r.randint(1, 20))
        if x < 0.93:
            return self.letters(r.choice((19, 20, 21, 22, 43, 44, 45, 46)))
        if r.random() < 0.5:
            unit = self.letters(r.randint(1, 8))
            return (unit * 3000)[:r.randint(1024, 2500)]
        return self.letters(r.randint(1024, 2500), b"abcdefghijklmnopqrstuvwxyz0123456789")

    def ival(self, lo=-1000, hi=1000):
        """An integer argument in [lo, hi], sometimes an int64 limit or not an integer."""
        r = self.rng
        if self.bad(0.05):
            return r.choice(BAD_INTS)
        if r.random() < 0.1:
            return r.choice((b"9223372036854775807", b"-9223372036854775808", b"0", b"-1"))
        return str(r.randint(lo, hi)).encode()

    def index(self):
        """A range index (GETRANGE, BITCOUNT, BITPOS): small, large, int64 limits, invalid."""
        r = self.rng
        x = r.random()
        if x < 0.6:
            return str(r.randint(-30, 30)).encode()
        if x < 0.8:
            return str(r.randint(-3000, 3000)).encode()
        if x < 0.95:
            return r.choice((b"0", b"-1", b"9223372036854775807", b"-9223372036854775808",
                             b"-9223372036854775807", b"2147483648", b"-2147483649"))
        return r.choice(BAD_INTS)

    def bit_offset(self):
        """A bit offset up to 2 KB into a value (never one that would allocate 512 MB)."""
        r = self.rng
        if self.bad(0.04):
            return r.choice((b"-1", b"x", b"4294967296", b"1.5", b""))
        return str(r.choice((r.randint(0, 64), r.randint(0, 300), r.randint(0, 16383)))).encode()

    def key(self, db=None, avoid=()):
        """A key of the pool, never one with a pending short expiry in db (default: the main
        connection's db)."""
        r = self.rng
        db = self.dbs[0] if db is None else db
        for _ in range(50):
            k = r.choice(HOT) if r.random() < 0.6 else r.choice(KEYPOOL)
            if (db, k) not in self.busy and k not in avoid:
                return k
        for k in KEYPOOL:
            if (db, k) not in self.busy and k not in avoid:
                return k
        return b"spare"

    def keys(self, lo=1, hi=5):
        return [self.key() for _ in range(self.rng.randint(lo, hi))]

    def db_quiet(self, db=None):
        """True if no key of db waits for its short expiry (db-wide reads are exact then)."""
        db = self.dbs[0] if db is None else db
        return not any(d == db for d, _ in self.busy)

    # Relative TTLs are long (100 s and more) and drawn from a wide range, so that GT/LT
    # comparisons between deadlines set a few ms apart on the two servers never tie.
    def rel_s(self):
        return str(self.rng.randint(100, 10 ** 7)).encode()

    def rel_ms(self):
        return str(self.rng.randint(100000, 10 ** 10)).encode()

    def abs_s(self):
        return str(FAR + self.rng.randint(0, 10 ** 8)).encode()

    def abs_ms(self):
        return str(FAR * 1000 + self.rng.randint(0, 10 ** 11)).encode()

    def bad_time(self):
        return self.rng.choice((b"0", b"-1", b"-100", b"x", b"1.5", b"", b"9223372036854775807",
                                b"-9223372036854775808", b"9223372036854775", b" 10"))

    # ---- reads ----

    def g_get(self):
        if self.bad(0.03):
            return self.do(*self.rng.choice(([b"GET"], [b"GET", self.key(), b"x"])))
        self.do("GET", self.key())

    def g_mget(self):
        if self.bad(0.03):
            return self.do("MGET")
        self.do("MGET", *self.keys(1, 6))

    def g_strlen(self):
        if self.bad(0.03):
            return self.do("STRLEN")
        self.do("STRLEN", self.key())

    def g_getrange(self):
        cmd = self.rng.choice((b"GETRANGE", b"GETRANGE", b"SUBSTR"))
        if self.bad(0.05):
            return self.do(cmd, self.key(), self.index())
        self.do(cmd, self.key(), self.index(), self.index())

    def g_getbit(self):
        if self.bad(0.03):
            return self.do("GETBIT", self.key())
        self.do("GETBIT", self.key(), self.bit_offset())

    def range_args(self, unit_ok=True):
        r = self.rng
        x = r.random()
        if x < 0.3:
            return []
        a = [self.index(), self.index()]
        if unit_ok and r.random() < 0.5:
            a.append(self.kw(r.choice((b"BYTE", b"BIT"))))
        if self.bad(0.05):
            a = r.choice(([self.index()], a + [b"BYTE"], a[:2] + [b"FOO"], [b"x", b"1"]))
        return a

    def g_bitcount(self):
        self.do("BITCOUNT", self.key(), *self.range_args())

    def g_bitpos(self):
        r = self.rng
        bit = b"1" if r.random() < 0.5 else b"0"
        if self.bad(0.05):
            bit = r.choice((b"2", b"-1", b"x", b""))
        a = self.range_args()
        if a and r.random() < 0.3:
            a = a[:1]
        self.do("BITPOS", self.key(), bit, *a)

    def bf_type(self):
        r = self.rng
        if self.bad(0.04):
            return r.choice((b"u64", b"i65", b"i0", b"u0", b"x8", b"8", b"", b"I8", b"u-1"))
        if r.random() < 0.5:
            return r.choice((b"i8", b"u8", b"i16", b"u16", b"i32", b"u32", b"i64", b"u63",
                             b"u1", b"i1"))
        return ("%s%d" % (r.choice("iu"), r.randint(1, 63))).encode()

    def bf_offset(self):
        r = self.rng
        if self.bad(0.04):
            return r.choice((b"-1", b"x", b"#x", b"4294967296", b"#-1", b""))
        if r.random() < 0.3:
            return b"#%d" % r.randint(0, 100)
        return str(r.choice((r.randint(0, 64), r.randint(0, 2000)))).encode()

    def bf_ops(self, ro):
        r = self.rng
        ops = []
        for _ in range(r.randint(0 if self.bad(0.03) else 1, 4)):
            x = r.random()
            if ro or x < 0.35:
                ops += [self.kw(b"GET"), self.bf_type(), self.bf_offset()]
            elif x < 0.6:
                ops += [self.kw(b"SET"), self.bf_type(), self.bf_offset(),
                        self.ival(-200000, 200000)]
            elif x < 0.85:
                ops += [self.kw(b"INCRBY"), self.bf_type(), self.bf_offset(), self.ival(-300, 300)]
            else:
                ops += [self.kw(b"OVERFLOW"), r.choice((b"WRAP", b"SAT", b"FAIL", b"sat"))
                        if not self.bad(0.1) else b"BAD"]
        if self.bad(0.03):
            ops = ops[:-1] if ops else [b"FOO"]
        if ro and self.bad(0.05):
            ops += [b"SET", b"u8", b"0", b"1"]
        return ops

    def g_bitfield_ro(self):
        self.do("BITFIELD_RO", self.key(), *self.bf_ops(True))

    def g_lcs(self):
        r = self.rng
        if self.in_multi[0]:
            return self.g_get()             # no length guard inside MULTI
        k1, k2 = self.key(), self.key()
        n1 = h.decode(self.do("STRLEN", k1)).v
        n2 = h.decode(self.do("STRLEN", k2)).v
        if not isinstance(n1, int) or not isinstance(n2, int) or (n1 + 1) * (n2 + 1) > 4e6:
            return
        opts = []
        if r.random() < 0.3:
            opts.append([self.kw(b"LEN")])
        if r.random() < 0.4:
            opts.append([self.kw(b"IDX")])
        if r.random() < 0.3:
            opts.append([self.kw(b"MINMATCHLEN"), str(r.randint(0, 6)).encode()])
        if r.random() < 0.3:
            opts.append([self.kw(b"WITHMATCHLEN")])
        if self.bad(0.08):
            opts.append(r.choice(([b"FOO"], [b"MINMATCHLEN", b"x"], [b"MINMATCHLEN"],
                                  [b"LEN"], [b"IDX"], [b"MINMATCHLEN", b"-1"])))
        r.shuffle(opts)
        self.do("LCS", k1, k2, *[w for o in opts for w in o])

    def g_exists(self):
        if self.bad(0.03):
            return self.do("EXISTS")
        ks = self.keys(1, 5)
        if self.rng.random() < 0.3:
            ks.append(ks[0])
        self.do("EXISTS", *ks)

    def g_type(self):
        self.do("TYPE", self.key())

    def g_ttl(self):
        r = self.rng
        cmd, mode = r.choice(((b"TTL", TTL_S), (b"PTTL", TTL_MS), (b"EXPIRETIME", TTL_S),
                              (b"PEXPIRETIME", TTL_MS)))
        if self.bad(0.03):
            return self.do(cmd)
        self.do(cmd, self.key(), mode=mode)

    def pattern(self):
        r = self.rng
        if r.random() < 0.2:
            return r.choice(KEYPOOL)
        return r.choice(KEYS_PATTERNS)

    def g_keys(self):
        if not self.db_quiet():
            return self.g_get()
        if self.bad(0.03):
            return self.do("KEYS")
        self.do("KEYS", self.pattern(), mode=SORTED)

    def g_scan(self):
        r = self.rng
        if not self.db_quiet():
            return self.g_get()
        opts = []
        if r.random() < 0.5:
            opts.append([self.kw(b"MATCH"), self.pattern()])
        if r.random() < 0.5:
            opts.append([self.kw(b"COUNT"), str(r.randint(1, 40)).encode()])
        if r.random() < 0.3:
            opts.append([self.kw(b"TYPE"), r.choice((b"string", b"list", b"none", b"hash",
                                                     b"STRING", b"bogus"))])
        if self.bad(0.1):
            opts.append(r.choice(([b"COUNT", b"0"], [b"COUNT", b"x"], [b"COUNT", b"-1"],
                                  [b"MATCH"], [b"FOO", b"1"], [b"COUNT"], [b"TYPE"])))
        r.shuffle(opts)
        opts = [w for o in opts for w in o]
        if self.in_multi[0] or self.bad(0.05):
            cur = r.choice((b"0", b"x", b"-1", b"18446744073709551616", b"12345", b"1.5"))
            return self.do("SCAN", cur, *opts, mode=SCANSHAPE)
        self.scan_all(opts)

    def scan_all(self, opts):
        """SCAN from cursor 0 to the end on each server; the sets of keys must be equal."""
        args = [b"SCAN", b"0"] + opts
        first = self.do(*args, mode=SCANSHAPE)
        if first.startswith(b"-"):
            return
        sets = []
        for c in self.conns[0]:
            seen = set()
            cur = b"0"
            for _ in range(10000):
                raw = self.raw_one(c, b"SCAN", cur, *opts)
                try:
                    rep = h.decode(raw)
                    cur = rep.v[0].v
                    seen.update(x.v for x in rep.v[1].v)
                except Exception:
                    seen = "bad reply %s" % show(raw)
                    break
                if cur == b"0":
                    break
            else:
                seen = "did not finish in 10000 calls"
            sets.append(seen)
        if sets[0] != sets[1]:
            if isinstance(sets[0], set) and isinstance(sets[1], set):
                why = "SCAN to completion: only on redis %s, only on replicant %s" % (
                    sorted(sets[0] - sets[1]), sorted(sets[1] - sets[0]))
            else:
                why = "SCAN to completion: %s / %s" % (sets[0], sets[1])
            self.mismatch(args, why, repr(sorted(sets[0])).encode()
                          if isinstance(sets[0], set) else b"?",
                          repr(sorted(sets[1])).encode() if isinstance(sets[1], set) else b"?")

    def g_scan_rehash(self):
        """SCAN with writes between the calls that grow or shrink the db by hundreds of keys
        (bulk:N), so the table rehashes mid-iteration: on each server every key present from
        start to end must be returned, and nothing that never existed."""
        r = self.rng
        if not self.db_quiet() or self.in_multi[0]:
            return self.g_get()
        pre = set(x.v for x in h.decode(self.do("KEYS", "*", mode=SORTED)).v)
        bulk = sorted(k for k in pre if k.startswith(b"bulk:"))
        grow = not bulk or r.random() < 0.5
        base = r.randint(0, 10 ** 6)
        count = str(r.randint(1, 20)).encode()
        curs = [b"0", b"0"]
        seen = [set(), set()]
        done = [False, False]
        ever = set(pre)
        gone = set()
        args = [b"SCAN", b"0", b"COUNT", count]
        # A fixed number of write batches (whatever the cursors do), so that the sequence of
        # commands depends on the seed alone.
        batches = r.randint(5, 30)
        for step in range(100000):
            for i, c in enumerate(self.conns[0]):
                if done[i]:
                    continue
                raw = self.raw_one(c, b"SCAN", curs[i], b"COUNT", count)
                try:
                    rep_ = h.decode(raw)
                    curs[i] = rep_.v[0].v
                    seen[i].update(x.v for x in rep_.v[1].v)
                except Exception:
                    return self.mismatch(args, "SCAN during rehash: bad reply", raw, raw)
                done[i] = curs[i] == b"0"
            if all(done) and step >= batches:
                break
            if step >= batches:
                continue
            if grow:
                new = [b"bulk:%d" % (base + step * 20 + j) for j in range(20)]
                ever.update(new)
                self.do("MSET", *[w for k in new for w in (k, b"v")])
            elif not grow and bulk:
                batch, bulk = bulk[:25], bulk[25:]
                gone.update(batch)
                self.do(r.choice((b"DEL", b"UNLINK")), *batch)
        must = pre - gone
        for i, who in enumerate(("redis-server", "replicant")):
            if isinstance(seen[i], set) and (must - seen[i] or seen[i] - ever):
                why = "SCAN during rehash on %s: missed %s, never existed %s" % (
                    who, sorted(must - seen[i])[:20], sorted(seen[i] - ever)[:20])
                if i == 0:
                    raise Mismatch("test bug: " + why)
                return self.mismatch(args, why, b"", b"")

    def g_randomkey(self):
        if not self.db_quiet():
            return self.g_get()
        if self.bad(0.03):
            return self.do("RANDOMKEY", "x")
        self.do("RANDOMKEY", mode=RANDOMKEY)

    def g_dbsize(self):
        if not self.db_quiet():
            return self.g_get()
        self.do("DBSIZE")

    def g_touch(self):
        if self.bad(0.03):
            return self.do("TOUCH")
        self.do("TOUCH", *self.keys(1, 4))

    def g_object(self):
        r = self.rng
        x = r.random()
        if x < 0.45:
            self.do("OBJECT", self.kw(b"ENCODING"), self.key())
        elif x < 0.6:
            self.do("OBJECT", self.kw(b"REFCOUNT"), self.key())
        elif x < 0.75:
            self.do("OBJECT", self.kw(b"IDLETIME"), self.key(), mode=SHAPE)
        elif x < 0.82:
            self.do("OBJECT", self.kw(b"FREQ"), self.key(), mode=SHAPE)
        elif x < 0.87:
            self.do("OBJECT", self.kw(b"HELP"))
        else:
            self.do(*r.choice(([b"OBJECT"], [b"OBJECT", b"ENCODING"], [b"OBJECT", b"FOO", b"k1"],
                               [b"OBJECT", b"ENCODING", b"k1", b"k2"],
                               [b"OBJECT", b"HELP", b"x"])))

    def g_memory(self):
        r = self.rng
        if self.bad(0.1):
            return self.do(*r.choice(([b"MEMORY", b"USAGE"], [b"MEMORY", b"USAGE", b"k1",
                                      b"SAMPLES", b"x"], [b"MEMORY", b"USAGE", b"k1", b"FOO"],
                                      [b"MEMORY", b"USAGE", b"k1", b"SAMPLES"])))
        a = [b"MEMORY", self.kw(b"USAGE"), self.key()]
        if r.random() < 0.3:
            a += [self.kw(b"SAMPLES"), str(r.randint(0, 10)).encode()]
        self.do(*a, mode=SHAPE)

    def g_dump(self):
        if self.bad(0.03):
            return self.do("DUMP")
        rr = self.do("DUMP", self.key())
        if rr.startswith(b"$") and not rr.startswith(b"$-1") and len(self.payloads) < 60:
            self.payloads.append(h.decode(rr).v)

    # ---- writes ----

    def exp_opt(self, past_ok=False):
        """SET/GETEX expiry words: long relative, far absolute, or an invalid one."""
        r = self.rng
        x = r.random()
        if self.bad(0.1):
            return [self.kw(r.choice((b"EX", b"PX", b"EXAT", b"PXAT"))), self.bad_time()]
        if x < 0.3:
            return [self.kw(b"EX"), self.rel_s()]
        if x < 0.55:
            return [self.kw(b"PX"), self.rel_ms()]
        if x < 0.75:
            return [self.kw(b"EXAT"), self.abs_s()]
        if x < 0.9 or not past_ok:
            return [self.kw(b"PXAT"), self.abs_ms()]
        return [self.kw(b"EXAT"), str(r.randint(1, 1600000000)).encode()]

    def g_set(self):
        r = self.rng
        opts = []
        x = r.random()
        if x < 0.15:
            opts.append([self.kw(b"NX")])
        elif x < 0.3:
            opts.append([self.kw(b"XX")])
        if r.random() < 0.3:
            opts.append([self.kw(b"GET")])
        x = r.random()
        if x < 0.4:
            opts.append(self.exp_opt())
        elif x < 0.5:
            opts.append([self.kw(b"KEEPTTL")])
        if self.bad(0.1):
            opts.append(r.choice(([b"NX"], [b"XX"], [b"EX", b"100"], [b"PX", b"100000"],
                                  [b"KEEPTTL"], [b"FOO"], [b"EX"], [b"GET"], [b"PXAT", b"0"],
                                  [b"EXAT", b"9223372036854775807"])))
        r.shuffle(opts)
        args = [b"SET", self.key(), self.value()] + [w for o in opts for w in o]
        if self.bad(0.02):
            args = args[:2]
        self.do(*args)

    def g_setex(self):
        r = self.rng
        cmd = r.choice((b"SETEX", b"SETEX", b"PSETEX"))
        t = (self.rel_s() if cmd == b"SETEX" else self.rel_ms()) if not self.bad(0.1) \
            else self.bad_time()
        args = [cmd, self.key(), t, self.value()]
        if self.bad(0.03):
            args = args[:3]
        self.do(*args)

    def g_setnx(self):
        if self.bad(0.03):
            return self.do("SETNX", self.key())
        self.do("SETNX", self.key(), self.value())

    def g_getset(self):
        if self.bad(0.03):
            return self.do("GETSET", self.key())
        self.do("GETSET", self.key(), self.value())

    def g_mset(self):
        r = self.rng
        cmd = b"MSET" if r.random() < 0.7 else b"MSETNX"
        args = [cmd]
        for _ in range(r.randint(1, 5)):
            args += [self.key(), self.value()]
        if self.bad(0.04):
            args = args[:-1]
        self.do(*args)

    def check_len(self, k, rr):
        if not self.in_multi[0] and rr.startswith(b":") and int(rr[1:-2]) > MAX_LEN:
            self.do("SET", k, self.letters(5))

    def g_append(self):
        if self.bad(0.03):
            return self.do("APPEND", self.key())
        k = self.key()
        self.check_len(k, self.do("APPEND", k, self.value()))

    def g_setrange(self):
        r = self.rng
        k = self.key()
        off = str(r.choice((r.randint(0, 10), r.randint(0, 100), r.randint(0, 2048)))).encode()
        if self.bad(0.08):
            off = r.choice((b"-1", b"x", b"536870912", b"1073741824", b"1.5"))
        v = self.value() if r.random() < 0.9 else b""
        self.check_len(k, self.do("SETRANGE", k, off, v))

    def g_incr(self):
        r = self.rng
        x = r.random()
        k = self.key()
        if x < 0.2:
            self.do(r.choice((b"INCR", b"DECR")), k)
        elif x < 0.6:
            self.do(r.choice((b"INCRBY", b"DECRBY")), k, self.ival(-10 ** 6, 10 ** 6))
        elif x < 0.9:
            inc = r.choice(FLOATS) if r.random() < 0.3 else (
                "%.*f" % (r.randint(0, 5), r.uniform(-1000, 1000))).encode()
            if self.bad(0.05):
                inc = r.choice(BAD_INTS)
            self.do("INCRBYFLOAT", k, inc)
        else:
            self.do(*r.choice(([b"INCR"], [b"INCR", k, b"1"], [b"INCRBY", k],
                               [b"DECRBY", k, b"-9223372036854775808"],
                               [b"INCRBY", k, b"9223372036854775807"], [b"INCRBYFLOAT", k],
                               [b"DECR", k, k])))

    def g_getdel(self):
        if self.bad(0.03):
            return self.do("GETDEL")
        self.do("GETDEL", self.key())

    def g_getex(self):
        r = self.rng
        x = r.random()
        opts = []
        if x < 0.5:
            opts = self.exp_opt(past_ok=True)
        elif x < 0.65:
            opts = [self.kw(b"PERSIST")]
        if self.bad(0.1):
            opts += r.choice(([b"PERSIST"], [b"EX", b"100"], [b"FOO"], [b"EX"], [b"KEEPTTL"]))
        self.do("GETEX", self.key(), *opts)

    def g_setbit(self):
        r = self.rng
        bit = r.choice((b"0", b"1")) if not self.bad(0.05) else r.choice((b"2", b"x", b"-1"))
        self.do("SETBIT", self.key(), self.bit_offset(), bit)

    def g_bitop(self):
        r = self.rng
        op = r.choice((b"AND", b"OR", b"XOR", b"NOT", b"and", b"Or"))
        dst = self.key()
        srcs = self.keys(1, 1 if op.upper() == b"NOT" and not self.bad(0.2) else 4)
        if self.bad(0.05):
            op = r.choice((b"NAND", b"", b"XNOR"))
        if self.bad(0.03):
            srcs = []
        self.do("BITOP", op, dst, *srcs)

    def g_bitfield(self):
        self.do("BITFIELD", self.key(), *self.bf_ops(False))

    def g_del(self):
        cmd = self.rng.choice((b"DEL", b"DEL", b"UNLINK"))
        if self.bad(0.03):
            return self.do(cmd)
        self.do(cmd, *self.keys(1, 4))

    def g_expire(self):
        r = self.rng
        cmd = r.choice((b"EXPIRE", b"PEXPIRE", b"EXPIREAT", b"PEXPIREAT"))
        x = r.random()
        if x < 0.12:
            t = r.choice((b"0", b"-1", b"-1000"))          # deletes the key at once
        elif x < 0.2 and cmd.endswith(b"AT"):
            t = str(r.randint(1, 1600000000) * (1000 if cmd == b"PEXPIREAT" else 1)).encode()
        elif self.bad(0.08):
            t = self.bad_time()
        else:
            t = {b"EXPIRE": self.rel_s, b"PEXPIRE": self.rel_ms, b"EXPIREAT": self.abs_s,
                 b"PEXPIREAT": self.abs_ms}[cmd]()
        flags = []
        if r.random() < 0.4:
            flags = [self.kw(r.choice((b"NX", b"XX", b"GT", b"LT")))]
            if self.bad(0.15):
                flags.append(r.choice((b"NX", b"XX", b"GT", b"LT", b"FOO")))
        args = [cmd, self.key(), t] + flags
        if self.bad(0.02):
            args = args[:2]
        self.do(*args)

    def g_persist(self):
        if self.bad(0.03):
            return self.do("PERSIST")
        self.do("PERSIST", self.key())

    def g_rename(self):
        cmd = self.rng.choice((b"RENAME", b"RENAME", b"RENAMENX"))
        a = self.key()
        b = a if self.rng.random() < 0.1 else self.key()
        if self.bad(0.03):
            return self.do(cmd, a)
        self.do(cmd, a, b)

    def other_db(self):
        r = self.rng
        if self.bad(0.06):
            return r.choice((b"16", b"-1", b"x", b"", b"99999999999"))
        return str(r.choice(DBS) if r.random() < 0.95 else 5).encode()

    def g_copy(self):
        r = self.rng
        src = self.key()
        args = [b"COPY", src]
        db = self.dbs[0]
        opts = []
        if r.random() < 0.5:
            d = self.other_db()
            opts.append([self.kw(b"DB"), d])
            if d.isdigit() and int(d) < 16:
                db = int(d)
        if r.random() < 0.5:
            opts.append([self.kw(b"REPLACE")])
        if self.bad(0.05):
            opts.append(r.choice(([b"DB"], [b"FOO"], [b"DB", b"1", b"DB"])))
        r.shuffle(opts)
        dst = src if r.random() < 0.1 else self.key(db)
        if (db, dst) in self.busy:
            return
        self.do(*(args + [dst] + [w for o in opts for w in o]))

    def g_move(self):
        k = self.key()
        d = self.other_db()
        if d.isdigit() and int(d) < 16 and (int(d), k) in self.busy:
            return
        if self.bad(0.03):
            return self.do("MOVE", k)
        self.do("MOVE", k, d)

    def g_swapdb(self):
        if self.busy:
            return self.g_get()
        a = self.other_db()
        b = self.other_db()
        if self.bad(0.03):
            return self.do("SWAPDB", a)
        self.do("SWAPDB", a, b)

    def g_flushdb(self):
        if self.busy:
            return self.g_get()
        r = self.rng
        args = [b"FLUSHDB"]
        if r.random() < 0.4:
            args.append(self.kw(r.choice((b"SYNC", b"ASYNC"))))
        if self.bad(0.1):
            args.append(b"FOO")
        self.do(*args)

    def g_flushall(self):
        if self.busy:
            return self.g_get()
        r = self.rng
        args = [b"FLUSHALL"]
        if r.random() < 0.4:
            args.append(self.kw(r.choice((b"SYNC", b"ASYNC"))))
        self.do(*args)

    def bad_payload(self):
        r = self.rng
        p = bytearray(r.choice(self.payloads))
        x = r.random()
        if x < 0.25:
            p[-1] ^= 0x5a
        elif x < 0.45:
            p = p[:r.randint(0, len(p) - 1)]
        elif x < 0.6:
            # RDB version 13 with a correct CRC: refused for its version (replicant takes up to
            # 12, which 7.4+ primaries propagate; 7.0 only 10)
            body = p[:-10] + bytes((13, 0))
            p = body + crc64(body).to_bytes(8, "little")
        elif x < 0.8:
            # a correct CRC over a corrupt body
            body = bytearray(p[:-10])
            if len(body) > 1:
                body[1] ^= 0xff
            body += p[-10:-8]
            p = body + crc64(bytes(body)).to_bytes(8, "little")
        else:
            p = r.choice((b"", b"x", b"\x00" * 10, b"garbage-garbage-garbage"))
        return bytes(p)

    def g_restore(self):
        r = self.rng
        payload = r.choice(self.payloads) if not self.bad(0.12) else self.bad_payload()
        opts = []
        x = r.random()
        if x < 0.55:
            ttl = b"0"
        elif x < 0.75:
            ttl = self.rel_ms()
        elif x < 0.9:
            ttl = self.abs_ms()
            opts.append([self.kw(b"ABSTTL")])
        elif x < 0.95:
            ttl = str(r.randint(1, 1600000000000)).encode()
            opts.append([self.kw(b"ABSTTL")])
        else:
            ttl = r.choice((b"-1", b"x", b""))
        if r.random() < 0.5:
            opts.append([self.kw(b"REPLACE")])
        if r.random() < 0.15:
            opts.append([self.kw(b"IDLETIME"), self.ival(0, 100000)])
        elif r.random() < 0.15:
            opts.append([self.kw(b"FREQ"), self.ival(0, 255)])
        if self.bad(0.05):
            opts.append(r.choice(([b"FOO"], [b"IDLETIME"], [b"FREQ", b"256"], [b"IDLETIME", b"-1"],
                                  [b"FREQ", b"-1"], [b"IDLETIME", b"1", b"FREQ", b"1"])))
        r.shuffle(opts)
        args = [b"RESTORE", self.key(), ttl, payload] + [w for o in opts for w in o]
        if self.bad(0.02):
            args = args[:3]
        self.do(*args)

    def g_select(self):
        r = self.rng
        if self.bad(0.05) and not self.in_multi[0]:
            return self.do("SELECT", r.choice((b"16", b"-1", b"x", b"", b"1.0")))
        if self.in_multi[0] and self.busy:
            return self.g_get()
        self.do("SELECT", r.choice(DBS))

    def g_garbage(self):
        r = self.rng
        self.do(*r.choice(([b"GETT", b"k1"], [b"SETX", b"k1", b"v"], [b"BITCOUNTS"],
                           [b"EXPIRES", b"k1", b"10"], [b"STRLEN", b"a", b"b"],
                           [b"SETRANGE", b"k1", b"0"], [b"GETRANGE", b"k1", b"0"],
                           [b"RENAME", b"a"], [b"SETBIT", b"k1", b"0"], [b"PERSIST", b"a", b"b"],
                           [b"LCS", b"a"], [b"TYPE"], [b"DUMP", b"a", b"b"], [b"DBSIZE", b"x"],
                           [b"GETEX"], [b"BITOP", b"AND"], [b"BITFIELD"], [b"COPY", b"a"])))

    # ---- short expiry ----

    def g_short(self):
        """Gives a key a short or already passed deadline; the key is then left alone until
        check_due() confirms both servers dropped it."""
        r = self.rng
        if len(self.busy) >= 3 or self.in_multi[0]:
            return self.g_get()
        k = self.key()
        ttl = r.randint(20, 80)
        now_ms = int(time.time() * 1000)
        form = r.randrange(8)
        if form == 0:
            self.do("SET", k, self.value(), "PX", ttl)
        elif form == 1:
            self.do("PSETEX", k, ttl, self.value())
        elif form == 2:
            self.do("SET", k, self.value(), "PXAT", now_ms + ttl)
        elif form == 3:
            self.do("PEXPIRE", k, ttl)
        elif form == 4:
            self.do("PEXPIREAT", k, now_ms + ttl)
        elif form == 5:
            self.do("GETEX", k, "PX", ttl)
        elif form == 6:
            self.do("RESTORE", k, ttl, r.choice(self.payloads), "REPLACE")
        else:
            self.do("SET", k, self.value(), r.choice(("EXAT", "PXAT")), r.randint(1, 10 ** 9))
        self.busy[(self.dbs[0], k)] = (self.op + r.randint(20, 150),
                                       time.monotonic() + ttl / 1000.0 + SHORT_MARGIN)

    def check_due(self, force=False):
        for (db, k), (due, deadline) in sorted(self.busy.items()):
            if not force and self.op < due:
                continue
            left = deadline - time.monotonic()
            if left > 0:
                time.sleep(left)
            old = self.dbs[0]
            if db != old:
                self.do("SELECT", db)
            for args in (("EXISTS", k), ("GET", k), ("PTTL", k), ("TTL", k)):
                rr = self.do(*args)
                if rr not in (b":0\r\n", b"$-1\r\n", b"_\r\n", b":-2\r\n"):
                    raise Mismatch("test bug: redis-server still has short-lived key %s: %s"
                                   % (show(k), show(rr)))
            del self.busy[(db, k)]
            if db != old:
                self.do("SELECT", old)

    # ---- transactions ----

    TX_OPS = None       # filled below: generators usable inside MULTI

    def tx_body(self, n):
        for _ in range(n):
            self.rng.choices(self.TX_OPS[0], self.TX_OPS[1])[0](self)

    def exec_(self, conn=0):
        modes = list(self.queued[conn])
        self.do("EXEC", mode=("exec", modes), conn=conn)

    def other_write(self, db, k):
        """The other connection changes key k of db, or does something that may leave it
        untouched (a read, a failed SET NX, PERSIST without TTL, DEL of a missing key...): a
        WATCH of k must fail EXEC exactly when Redis' does."""
        r = self.rng
        if self.dbs[1] != db:
            self.do("SELECT", db, conn=1)
        k2 = self.key(db, avoid=(k,))
        d2 = r.choice([d for d in DBS if d != db])
        forms = [
            (6, ("SET", k, self.value())),
            (2, ("SET", k, self.value(), "NX")),
            (2, ("SET", k, self.value(), "XX", "GET")),
            (3, ("DEL", k)),
            (1, ("UNLINK", k, k2)),
            (1, ("GETDEL", k)),
            (2, ("EXPIRE", k, self.rel_s())),
            (1, ("EXPIRE", k, self.rel_s(), "XX")),
            (1, ("PEXPIRE", k, "-1")),
            (1, ("GETEX", k, "PERSIST")),
            (1, ("GETEX", k, "EX", self.rel_s())),
            (2, ("APPEND", k, self.value())),
            (2, ("PERSIST", k)),
            (2, ("INCR", k)),
            (1, ("INCRBYFLOAT", k, "1.5")),
            (2, ("SETBIT", k, self.bit_offset(), r.choice("01"))),
            (1, ("SETRANGE", k, str(r.randint(0, 20)), r.choice(("z", "")))),
            (1, ("BITFIELD", k, "SET", "u8", str(r.randint(0, 64)), str(r.randint(0, 255)))),
            (1, ("BITOP", "OR", k, k2)),
            (1, ("MSET", k2, "1", k, "2")),
            (1, ("RENAME", k, k2)),
            (1, ("RENAME", k2, k)),
            (1, ("COPY", k2, k, "REPLACE")),
            (1, ("COPY", k, k2)),
            (1, ("MOVE", k, str(d2))),
            (1, ("RESTORE", k, "0", r.choice(self.payloads), "REPLACE")),
            (3, ("GET", k)),
            (1, ("EXISTS", k)),
        ]
        if not self.busy:
            # A watched key is touched by SWAPDB if it exists in either db, by a flush if it
            # existed in the flushed db.
            forms += [(2, ("FLUSHDB",)), (3, ("SWAPDB", db, d2)), (1, ("SWAPDB", d2, db)),
                      (0.5, ("SWAPDB", db, db)), (0.5, ("FLUSHALL",)),
                      (1, ("FLUSHDB",) if r.random() < 0.5 else ("SWAPDB", d2, r.choice(DBS)))]
        args = r.choices([f for _, f in forms], [w for w, _ in forms])[0]
        if args[0] == "MOVE" and (d2, k) in self.busy:
            args = ("GET", k)
        self.do(*args, conn=1)

    def g_multi(self):
        r = self.rng
        if self.in_multi[0]:
            return
        x = r.random()
        n = r.randint(0, 6)
        if x < 0.25:
            self.do("MULTI")
            self.tx_body(n)
            self.exec_()
        elif x < 0.35:
            self.do("MULTI")
            self.tx_body(n)
            self.do("DISCARD")
        elif x < 0.45:
            self.do("MULTI")
            self.tx_body(r.randint(0, 3))
            self.do(*r.choice(([b"NOSUCHCMD", b"x"], [b"GET"], [b"SET", b"k1"],
                               [b"WATCH", b"k1"], [b"MULTI"], [b"EXPIRE", b"k1"])))
            self.tx_body(r.randint(0, 3))
            self.exec_() if r.random() < 0.8 else self.do("DISCARD")
        elif x < 0.8:
            # WATCH, then a change (or not) by another connection, or by this one
            db = self.dbs[0]
            watched = self.keys(1, 3)
            if not self.busy and r.random() < 0.2:
                # the watched key lives only in another db, which SWAPDB (or a flush of
                # that db, which must not matter) brings in
                d2 = r.choice([d for d in DBS if d != db])
                self.do("SET", watched[0], self.value())
                self.do("COPY", watched[0], watched[0], "DB", d2, "REPLACE")
                self.do("DEL", watched[0])
                self.do("WATCH", *watched)
                if self.dbs[1] != d2:
                    self.do("SELECT", d2, conn=1)
                self.do(*r.choice((("SWAPDB", db, d2), ("SWAPDB", d2, db), ("FLUSHDB",))),
                        conn=1)
                self.do("MULTI")
                self.tx_body(n)
                return self.exec_()
            self.do("WATCH", *watched)
            y = r.random()
            if y < 0.5:
                self.other_write(db, r.choice(watched))
            elif y < 0.6:
                self.other_write(db, self.key(avoid=watched))
            elif y < 0.7:
                self.do("UNWATCH")
                self.other_write(db, r.choice(watched))
            elif y < 0.8:
                self.g_set_on(r.choice(watched))
            elif y < 0.9:
                self.do("WATCH", self.key())
                self.g_get()
            else:
                self.do("SELECT", r.choice(DBS))
                self.other_write(db, r.choice(watched))
            self.do("MULTI")
            self.tx_body(n)
            if r.random() < 0.1:
                self.do("DISCARD")
                self.do("EXEC")
            else:
                self.exec_()
        else:
            self.do(*r.choice(([b"EXEC"], [b"DISCARD"], [b"UNWATCH"], [b"WATCH"],
                               [b"MULTI", b"x"], [b"EXEC", b"x"])))
            if r.random() < 0.5:
                self.do("MULTI")
                self.do("MULTI")
                self.tx_body(r.randint(0, 2))
                self.exec_()

    def g_set_on(self, k):
        self.do("SET", k, self.value())

    # ---- the run ----

    OPS = None          # filled below: (generators, weights)

    def seed_payloads(self):
        """DUMP payloads made by redis-server itself (in db 15, removed again) for RESTORE."""
        rc = self.conns[0][0]
        self.raw_one(rc, "SELECT", "15")
        values = [b"0", b"7", b"-1", b"300", b"70000", b"-2147483649", b"9223372036854775807",
                  b"", b"abc", b"3.14", b"x" * 44, b"y" * 45, b"\x00\xff\r\n", b"007", b"-0",
                  b"ab" * 600, self.letters(1500, b"abcdefghijklmnopqrstuvwxyz"),
                  bytes(range(256)), b"12345678901", b"1234567890123456789012"]
        for v in values:
            self.raw_one(rc, "SET", "__payload", v)
            raw = self.raw_one(rc, "DUMP", "__payload")
            self.payloads.append(h.decode(raw).v)
        self.raw_one(rc, "DEL", "__payload")
        self.raw_one(rc, "SELECT", "0")

    def run(self):
        print("# %s (DIFF_SEED / DIFF_OPS or --seed / --ops to change)" % self.tag())
        sys.stdout.flush()
        gens, weights = self.OPS
        start = time.monotonic()
        for self.op in range(1, self.nops + 1):
            if self.resync_needed:
                self.resync()
            self.check_due()
            if self.op in (self.nops // 4 + 1, self.nops // 2 + 1):
                # FLUSHDB and FLUSHALL are rare and wait for short expiries: make sure each
                # run has them
                self.check_due(force=True)
                self.g_flushdb() if self.op <= self.nops // 4 + 1 else self.g_flushall()
            self.rng.choices(gens, weights)[0](self)
        self.op += 1
        if self.resync_needed:
            self.resync()
        self.check_due(force=True)
        self.final_compare()
        took = time.monotonic() - start
        print("# %s: %d commands in %.1f s" % (self.tag(), self.ncmd, took))
        if self.reports:
            raise Mismatch(self.summary())
        missing = REQUIRED - self.sent
        if missing and self.nops >= 2000 and not self.resp3:
            raise AssertionError("the generator never sent %s (%s)" % (
                " ".join(sorted(missing)), self.tag()))

    def final_compare(self):
        """INFO keyspace's counts, and in every db: DBSIZE, KEYS *, and each key's TYPE, GET,
        DUMP and PTTL."""
        for conn in (0, 1):
            self.do("UNWATCH", conn=conn)
        self.do("INFO", "keyspace", mode=KEYSPACE)
        for db in range(16):
            self.do("SELECT", db)
            self.do("DBSIZE")
            rr = self.do("KEYS", "*", mode=SORTED)
            for k in sorted(x.v for x in h.decode(rr).v):
                self.do("TYPE", k)
                self.do("GET", k)
                self.do("DUMP", k)
                self.do("PTTL", k, mode=TTL_MS)


def same(mode, a, b):
    """Whether decoded replies a (redis) and b (replicant) agree under mode."""
    if mode == EXACT or a.t == "-" or b.t == "-":
        return a == b
    if mode == SORTED:
        if a.t != b.t or a.v is None or b.v is None:
            return a == b
        return sorted((x.t, x.v) for x in a.v) == sorted((x.t, x.v) for x in b.v)
    if mode == SHAPE:
        return shape(a) == shape(b)
    if mode == SCANSHAPE:
        return (a.t == b.t == "*" and len(a.v) == len(b.v) == 2 and a.v[0].t == b.v[0].t == "$"
                and a.v[1].t == b.v[1].t == "*")
    if mode == KEYSPACE:
        return a.t == b.t and keyspace_counts(a.v) == keyspace_counts(b.v)
    if mode == RANDOMKEY:
        return a.t == b.t and (a.v is None) == (b.v is None)
    if isinstance(mode, tuple) and mode[0] == "tol":
        if a.t != ":" or b.t != ":":
            return a == b
        if a.v < 0 or b.v < 0:
            return a.v == b.v
        return abs(a.v - b.v) <= mode[1]
    if isinstance(mode, tuple) and mode[0] == "exec":
        if a.t != b.t or a.v is None or b.v is None or a.t != "*":
            return a == b
        if len(a.v) != len(b.v) or len(a.v) != len(mode[1]):
            return a == b
        return all(same(m, x, y) for m, x, y in zip(mode[1], a.v, b.v))
    raise ValueError("unknown mode %r" % (mode,))


def keyspace_counts(text):
    """The dbN:keys=K,expires=E lines of INFO keyspace, without avg_ttl (an estimate)."""
    return re.findall(rb"(?m)^(db[0-9]+:keys=[0-9]+,expires=[0-9]+)", text or b"")


def shape(r):
    """The types of a reply tree, values dropped (aggregate lengths kept)."""
    if r.t in "*%~|>" and r.v is not None:
        return (r.t, tuple(shape(x) for x in r.v))
    return (r.t, r.v is None)


_W = [
    # reads
    (Diff.g_get, 6), (Diff.g_mget, 3), (Diff.g_strlen, 2), (Diff.g_getrange, 4),
    (Diff.g_getbit, 2), (Diff.g_bitcount, 3), (Diff.g_bitpos, 3), (Diff.g_bitfield_ro, 2),
    (Diff.g_lcs, 3), (Diff.g_exists, 3), (Diff.g_type, 2), (Diff.g_ttl, 5), (Diff.g_keys, 2),
    (Diff.g_scan, 2), (Diff.g_scan_rehash, 0.3), (Diff.g_randomkey, 1), (Diff.g_dbsize, 1),
    (Diff.g_touch, 1), (Diff.g_object, 3), (Diff.g_memory, 1), (Diff.g_dump, 2),
    # writes
    (Diff.g_set, 12), (Diff.g_setex, 2), (Diff.g_setnx, 1), (Diff.g_getset, 1), (Diff.g_mset, 3),
    (Diff.g_append, 3), (Diff.g_setrange, 2), (Diff.g_incr, 6), (Diff.g_getdel, 1),
    (Diff.g_getex, 3), (Diff.g_setbit, 3), (Diff.g_bitop, 2), (Diff.g_bitfield, 3),
    (Diff.g_del, 3), (Diff.g_expire, 6), (Diff.g_persist, 1), (Diff.g_rename, 2),
    (Diff.g_copy, 2), (Diff.g_move, 1), (Diff.g_swapdb, 0.4), (Diff.g_flushdb, 0.15),
    (Diff.g_flushall, 0.04), (Diff.g_restore, 2), (Diff.g_select, 3), (Diff.g_garbage, 0.5),
    (Diff.g_short, 0.8), (Diff.g_multi, 3),
]
Diff.OPS = ([g for g, _ in _W], [w for _, w in _W])
_NOT_TX = (Diff.g_multi, Diff.g_short, Diff.g_scan_rehash, Diff.g_swapdb, Diff.g_flushdb,
           Diff.g_flushall)
Diff.TX_OPS = ([g for g, _ in _W if g not in _NOT_TX], [w for g, w in _W if g not in _NOT_TX])


# ---- configuration and tests ----

def settings():
    seed, ops = h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)
    return seed, ops, os.environ.get("DIFF_KEEP_GOING") == "1"


def test_random_ops_resp2():
    seed, ops, keep = settings()
    Diff(seed, ops, keep_going=keep).run()


def test_random_ops_resp3():
    seed, ops, keep = settings()
    Diff(seed, max(50, ops // 3), resp3=True, keep_going=keep, env_ops=ops).run()


if __name__ == "__main__":
    h.parse_diff_argv()
    # One op is ~3 commands on each server; allow long local runs their time.
    h.TEST_TIMEOUT = max(h.TEST_TIMEOUT, 30 + settings()[1] // 100)
    h.run(globals())
