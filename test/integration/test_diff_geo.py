#!/usr/bin/env python3
"""test_diff_geo: seeded random differential test of the geo commands against redis-server 7.0.

A fresh standalone redis-server and a fresh replicant (`--replica-read-only no`) receive the
same random sequence of every geo command over a few colliding keys (geo zsets, a zset with
arbitrary ZADD scores, a string for WRONGTYPE), in RESP2 and then RESP3. Points are random
worldwide, clustered around a few centres (so that searches find something), and on the
limits (longitude +-180, latitude +-85.05112878, the equator, the antimeridian); bulk GEOADDs
push keys past 128 members and long member names past 64 bytes (the zset encodings). Searches
centre on members, on points near them, or anywhere, with radii and boxes from 0 to
thousands of km in every unit and case, every option in random order, and malformed forms
(errors). Replies are compared byte for byte, with no tolerance: coordinates, distances,
hashes, and the order of results, also without ASC/DESC (replicant walks the cells and the
zset in Redis' order) and among equal distances (points sharing a spot are common here: with
COUNT Redis sorts partially with its own quicksort, whose placement of equal keys replicant
reproduces; a full sort is glibc's stable one). STORE/STOREDIST destinations are compared
with ZRANGE WITHSCORES, OBJECT ENCODING and TTL. At the end the whole keyspace is compared.

Run: REPLICANT=./replicant python3 test/integration/test_diff_geo.py
Environment: DIFF_SEED (default fixed), DIFF_OPS (ops of the RESP2 run; RESP3 runs a third).
"""

import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

DEFAULT_SEED = 5150
DEFAULT_OPS = 3000

LAT_MAX = 85.05112878
GKEYS = [b"g1", b"g2", b"g3", b"gbig"]
DSTKEYS = [b"d1", b"d2"]
ODDKEY = b"odd"          # a zset with arbitrary scores: every member still has a position
STRKEY = b"str"
ALLKEYS = GKEYS + DSTKEYS + [ODDKEY, STRKEY, b"missing"]

CENTRES = [(13.36, 38.11), (-73.98, 40.75), (179.95, 0.5), (-179.9, -30.0), (0.0, 0.0),
           (151.2, -33.87), (25.0, 84.9), (-100.0, -85.0), (2.35, 48.85)]
EDGE_LON = [b"180", b"-180", b"179.9999999", b"-179.9999999", b"0", b"-0", b"180.0", b"1e-300"]
EDGE_LAT = [b"85.05112878", b"-85.05112878", b"85.05112877", b"0", b"-0", b"85", b"-85",
            b"0.00000001"]
BAD_LON = [b"180.0000001", b"-181", b"abc", b"", b"nan", b"1e400", b" 1", b"inf"]
BAD_LAT = [b"85.05112879", b"-90", b"90", b"x", b"-inf"]
UNITS = [b"m", b"km", b"ft", b"mi", b"M", b"KM", b"Ft", b"mI"]
BAD_UNITS = [b"meters", b"", b"k", b"m\x00x", b"kmm"]
NAMES = [b"a", b"b", b"c", b"Palermo", b"Catania", b"", b"1", b"-7", b"123456", b"x y",
         b"\xff\x00"]
ODD_SCORES = [b"-5.7", b"1e19", b"2e19", b"inf", b"-inf", b"-1e19", b"4503599627370496",
              b"9007199254740993", b"1e300", b"0", b"1", b"3.5", b"4503599627370495"]


def fmt(rng, x):
    """A coordinate as a client might send it."""
    c = rng.random()
    if c < 0.4:
        return b"%.6f" % x
    if c < 0.7:
        return repr(x).encode()
    if c < 0.85:
        return b"%.3f" % x
    return b"%.12g" % x


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
        self.names = {k: [] for k in GKEYS}

    def fail(self, what, cmd, a, b):
        lines = ["seed %d resp%d: %s" % (self.seed, 3 if self.resp3 else 2, what),
                 "  command: %r" % (cmd,), "  redis:     %r" % a[:3000],
                 "  replicant: %r" % b[:3000], "  last commands:"]
        lines += ["    %r" % (c,) for c in self.hist[-15:]]
        raise AssertionError("\n".join(lines))

    def both(self, *cmd):
        self.hist.append(cmd)
        name = cmd[0] if isinstance(cmd[0], str) else cmd[0].decode()
        self.seen.add(name.upper())
        return self.r.call(*cmd), self.p.call(*cmd)

    def exact(self, *cmd):
        a, b = self.both(*cmd)
        if a != b:
            self.fail("reply differs", cmd, a, b)
        return a

    # ---- generators ----

    def point(self):
        """A (lon, lat) pair of argument bytes; bad ones now and then."""
        rng = self.rng
        x = rng.random()
        if x < 0.02:
            return rng.choice(BAD_LON), fmt(rng, rng.uniform(-80, 80))
        if x < 0.04:
            return fmt(rng, rng.uniform(-170, 170)), rng.choice(BAD_LAT)
        if x < 0.12:
            return rng.choice(EDGE_LON), rng.choice(EDGE_LAT)
        if x < 0.35:
            return (fmt(rng, rng.uniform(-180, 180)),
                    fmt(rng, rng.uniform(-LAT_MAX, LAT_MAX)))
        lon, lat = rng.choice(CENTRES)
        spread = rng.choice([0.01, 0.1, 1, 3])
        lon = lon + rng.uniform(-spread, spread)
        lat = lat + rng.uniform(-spread, spread)
        if lon > 180:
            lon -= 360
        if lon < -180:
            lon += 360
        lat = max(-LAT_MAX, min(LAT_MAX, lat))
        return fmt(rng, lon), fmt(rng, lat)

    def name(self, key=None):
        """A member name: mostly one the key was given (when it is a geo key)."""
        rng = self.rng
        if key in self.names and self.names[key] and rng.random() < 0.8:
            return rng.choice(self.names[key])
        x = rng.random()
        if x < 0.5:
            return rng.choice(NAMES)
        if x < 0.92:
            return b"p%d" % rng.randint(0, 500)
        return b"L" * rng.randint(60, 90) + b"%d" % rng.randint(0, 9)

    def refresh_names(self):
        """The members each geo key holds now (read from redis-server, not compared)."""
        for k in GKEYS:
            r = h.decode(self.r.call(b"ZRANGE", k, b"0", b"-1"))
            self.names[k] = [x.v for x in r.v] if r.t in "*~" else []

    def gkey(self):
        x = self.rng.random()
        if x < 0.03:
            return self.rng.choice([STRKEY, b"missing"])
        if x < 0.08:
            return ODDKEY
        return self.rng.choice(GKEYS)

    def unit(self):
        if self.rng.random() < 0.03:
            return self.rng.choice(BAD_UNITS)
        return self.rng.choice(UNITS)

    def size(self):
        rng = self.rng
        x = rng.random()
        if x < 0.03:
            return rng.choice([b"-1", b"abc", b"", b"nan"])
        if x < 0.06:
            return rng.choice([b"0", b"0.0", b"1e-9", b"inf", b"40000000", b"1e300"])
        # log-uniform from 10 m to 5000 km, written in a random unit
        metres = 10 ** rng.uniform(1, 6.7)
        return b"%.6g" % metres

    # ---- checks ----

    def check_key(self, key):
        a = self.exact("TYPE", key)
        if a not in (b"+zset\r\n",):
            return
        self.exact("OBJECT", "ENCODING", key)
        self.exact("ZRANGE", key, "0", "-1", "WITHSCORES")

    # ---- commands ----

    def geoadd(self, key, bulk=False):
        rng = self.rng
        args = [b"GEOADD", key]
        for _ in range(rng.choice([0, 0, 0, 1, 1, 2])):
            args.append(rng.choice([b"NX", b"XX", b"CH", b"nx", b"ch"]))
        n = rng.randint(60, 140) if bulk else rng.randint(1, 4)
        for _ in range(n):
            lon, lat = self.point() if not bulk else self.good_point()
            m = self.name(key) if not bulk else b"b%d" % rng.randint(0, 1000)
            args += [lon, lat, m]
            if key in self.names and m not in self.names[key] and len(self.names[key]) < 400:
                self.names[key].append(m)
        x = rng.random()
        if x < 0.03:
            args.pop()                      # not a multiple of three
        elif x < 0.05:
            args = args[:2] + [b"CH", b"CH"]
        self.exact(*args)

    def good_point(self):
        while True:
            lon, lat = self.point()
            try:
                lo, la = float(lon), float(lat)
            except ValueError:
                continue
            if -180 <= lo <= 180 and -LAT_MAX <= la <= LAT_MAX and lon.strip() == lon \
                    and lon and lat and b"nan" not in lon.lower():
                return lon, lat

    def centre_args(self, key):
        """FROMMEMBER/FROMLONLAT arguments (GEOSEARCH)."""
        rng = self.rng
        if rng.random() < 0.45:
            return [rng.choice([b"FROMMEMBER", b"frommember"]), self.name(key)]
        lon, lat = self.point()
        return [rng.choice([b"FROMLONLAT", b"fromlonlat"]), lon, lat]

    def shape_args(self):
        rng = self.rng
        if rng.random() < 0.5:
            return [rng.choice([b"BYRADIUS", b"byradius"]), self.size(), self.unit()]
        return [rng.choice([b"BYBOX", b"bybox"]), self.size(), self.size(), self.unit()]

    def options(self, store=False):
        """Random search options, valid or not (WITH* rarely when storing: an error)."""
        rng = self.rng
        opts = []
        for _ in range(rng.randint(0, 4)):
            x = rng.random()
            if store and x < 0.37 and rng.random() < 0.9:
                continue
            if x < 0.15:
                opts.append(rng.choice([b"WITHDIST", b"withdist"]))
            elif x < 0.27:
                opts.append(b"WITHCOORD")
            elif x < 0.37:
                opts.append(b"WITHHASH")
            elif x < 0.55:
                opts.append(rng.choice([b"ASC", b"DESC", b"asc"]))
            elif x < 0.79:
                opts += [b"COUNT", rng.choice([b"1", b"2", b"5", b"10", b"50", b"1000"])]
                if rng.random() < 0.3:
                    opts.append(b"ANY")
            elif x < 0.8:
                opts += [b"COUNT", rng.choice([b"0", b"-1", b"x", b"1.5"])]
            elif x < 0.81:
                opts.append(b"ANY")
            elif x < 0.82:
                opts.append(rng.choice([b"junk", b"STORE", b"COUNT"]))
        return opts

    def geosearch(self):
        rng = self.rng
        key = self.gkey()
        args = [b"GEOSEARCH", key]
        parts = []
        x = rng.random()
        if x > 0.03:
            parts.append(self.centre_args(key))
        if x < 0.02 or x > 0.06:
            parts.append(self.shape_args())
        if rng.random() < 0.02:
            parts.append(self.centre_args(key))   # both FROMs, or twice
        if rng.random() < 0.02:
            parts.append(self.shape_args())
        opts = self.options()
        parts.append(opts)
        rng.shuffle(parts)
        for p in parts:
            args += p
        self.exact(*args)

    def geosearchstore(self):
        rng = self.rng
        dst = rng.choice(DSTKEYS + [rng.choice(GKEYS)] if rng.random() < 0.05 else DSTKEYS)
        key = self.gkey()
        args = [b"GEOSEARCHSTORE", dst, key]
        parts = [self.centre_args(key), self.shape_args()]
        opts = self.options(store=True)
        if rng.random() < 0.5:
            opts.append(rng.choice([b"STOREDIST", b"storedist"]))
        parts.append(opts)
        rng.shuffle(parts)
        for p in parts:
            args += p
        self.stored(args, dst)

    def stored(self, args, dst):
        self.exact(*args)
        self.exact(b"ZRANGE", dst, b"0", b"-1", b"WITHSCORES")
        self.exact(b"OBJECT", b"ENCODING", dst)
        self.exact(b"TTL", dst)

    def georadius(self):
        rng = self.rng
        key = self.gkey()
        bymember = rng.random() < 0.4
        ro = rng.random() < 0.4
        name = (b"GEORADIUSBYMEMBER" if bymember else b"GEORADIUS") + (b"_RO" if ro else b"")
        if rng.random() < 0.1:
            name = name.lower()
        args = [name, key]
        if bymember:
            args.append(self.name(key))
        else:
            args += list(self.point())
        args += [self.size(), self.unit()]
        store = None
        if rng.random() < 0.3 and not ro:
            store = rng.choice(DSTKEYS)
        opts = self.options(store=store is not None)
        if store is not None or rng.random() < 0.05:
            store = store or rng.choice(DSTKEYS)
            pos = rng.randint(0, len(opts))
            opts[pos:pos] = [rng.choice([b"STORE", b"STOREDIST", b"store"]), store]
        args += opts
        if store is not None and not ro:
            self.stored(args, store)
        else:
            self.exact(*args)

    def step(self):
        rng = self.rng
        x = rng.random()
        key = self.gkey()
        if x < 0.15:
            self.geoadd(key)
        elif x < 0.16:
            self.geoadd(rng.choice(GKEYS), bulk=True)
        elif x < 0.23:
            self.exact(b"GEOPOS", key, *[self.name(key) for _ in range(rng.randint(1, 4))])
        elif x < 0.29:
            self.exact(b"GEOHASH", key, *[self.name(key) for _ in range(rng.randint(1, 4))])
        elif x < 0.36:
            args = [b"GEODIST", key, self.name(key), self.name(key)]
            if rng.random() < 0.6:
                args.append(self.unit())
            if rng.random() < 0.03:
                args.append(b"extra")
            self.exact(*args)
        elif x < 0.58:
            self.geosearch()
        elif x < 0.68:
            self.geosearchstore()
        elif x < 0.82:
            self.georadius()
        elif x < 0.85:
            self.exact(b"ZADD", ODDKEY, rng.choice(ODD_SCORES), self.name())
        elif x < 0.88:
            k = rng.choice(GKEYS)
            m = self.name(k)
            self.exact(b"ZREM", k, m)
        elif x < 0.885:
            self.exact(b"DEL", rng.choice(GKEYS + DSTKEYS))
        elif x < 0.89:
            # A destination with a TTL or of another type: STORE replaces both.
            dst = rng.choice(DSTKEYS)
            if rng.random() < 0.5:
                self.exact(b"SET", dst, b"v")
            self.exact(b"EXPIRE", dst, b"1000")
        elif x < 0.9:
            self.exact(b"COMMAND", b"GETKEYS", b"GEORADIUS", b"k", b"1", b"2", b"3", b"km",
                       rng.choice([b"STORE", b"STOREDIST"]), b"dst")
        else:
            self.check_key(rng.choice(ALLKEYS))

    def run(self):
        self.exact("SET", STRKEY, "v")
        self.exact("GEOADD", "gbig", *[x for i in range(150) for x in
                                       (b"%.6f" % (2 + i * 0.01), b"%.6f" % (48 + i * 0.005),
                                        b"seed%d" % i)])
        self.names[b"gbig"] += [b"seed%d" % i for i in range(0, 150, 7)]
        for i in range(self.nops):
            if i % 25 == 0:
                self.refresh_names()
            self.step()
        for k in ALLKEYS:
            self.check_key(k)


REQUIRED = set("""GEOADD GEOPOS GEOHASH GEODIST GEOSEARCH GEOSEARCHSTORE GEORADIUS
    GEORADIUS_RO GEORADIUSBYMEMBER GEORADIUSBYMEMBER_RO""".split())


def settings():
    return h.diff_settings(DEFAULT_SEED, DEFAULT_OPS)


def test_random_geo_resp2():
    seed, ops = settings()
    d = Diff(seed, ops, False)
    d.run()
    if ops >= DEFAULT_OPS:
        missing = REQUIRED - d.seen
        h.check(not missing, "commands never sent: %s" % " ".join(sorted(missing)))


def test_random_geo_resp3():
    seed, ops = settings()
    Diff(seed, max(50, ops // 3), True).run()


def test_fixed_cases():
    """Known answers and edge cases, each compared byte for byte in both protocols."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    m = h.Mismatches()
    for proto in (2, 3):
        r, p = rs.client(), ps.client()
        if proto == 3:
            r.call("HELLO", "3")
            p.call("HELLO", "3")

        def both(*cmd):
            a, b = r.call(*cmd), p.call(*cmd)
            m.expect("resp%d %r" % (proto, cmd)[:160], a, b)

        both("FLUSHALL")
        both("GEOADD", "Sicily", "13.361389", "38.115556", "Palermo", "15.087269",
             "37.502669", "Catania")
        both("GEODIST", "Sicily", "Palermo", "Catania")
        both("GEOHASH", "Sicily", "Palermo", "Catania", "nope")
        both("GEOPOS", "Sicily", "Palermo", "nope")
        both("GEOSEARCH", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200", "km", "ASC",
             "WITHCOORD", "WITHDIST", "WITHHASH")
        both("GEORADIUS", "Sicily", "15", "37", "200", "km", "WITHDIST", "DESC")
        # The limits: poles of the Mercator range and the antimeridian.
        both("GEOADD", "edge", "180", "85.05112878", "ne", "-180", "-85.05112878", "sw",
             "179.9999999", "0", "e", "-179.9999999", "0", "w")
        both("GEOPOS", "edge", "ne", "sw", "e", "w")
        both("GEOHASH", "edge", "ne", "sw", "e", "w")
        both("ZRANGE", "edge", "0", "-1", "WITHSCORES")
        both("GEOSEARCH", "edge", "FROMLONLAT", "180", "0", "BYRADIUS", "100", "km", "ASC",
             "WITHDIST")
        both("GEOSEARCH", "edge", "FROMMEMBER", "w", "BYBOX", "50", "50", "km", "WITHDIST")
        both("GEOSEARCH", "edge", "FROMLONLAT", "0", "0", "BYRADIUS", "25000", "km", "ASC",
             "WITHDIST")
        both("GEOADD", "edge", "180.0000001", "0", "bad")
        both("GEOADD", "edge", "0", "85.05112879", "bad")
        # Arbitrary scores (ZADD) still decode, as Redis' x86-64 conversion does.
        both("ZADD", "odd", "-5.7", "a", "1e19", "b", "2e19", "c", "inf", "d", "-inf", "e")
        both("GEOPOS", "odd", "a", "b", "c", "d", "e")
        both("GEOHASH", "odd", "a", "b", "c", "d", "e")
        both("GEODIST", "odd", "a", "e", "mi")
        # Equal distances: many members on a few spots, so that COUNT cuts through ties and
        # the partial sort's placement of equal keys shows (more than 40 found: median of 9).
        args = ["GEOADD", "ties"]
        for i in range(90):
            k = (i * 7) % 6
            args += ["%.4f" % (10 + (k % 3) * 0.01 - (k // 3) * 0.02), "50", "t%d" % i]
        both(*args)
        for count in ("1", "3", "5", "17", "40", "41", "89", "90", "200"):
            for order in ("ASC", "DESC"):
                both("GEOSEARCH", "ties", "FROMLONLAT", "10", "50", "BYRADIUS", "10", "km",
                     "COUNT", count, order, "WITHDIST")
                both("GEORADIUS", "ties", "10.005", "50", "10", "km", "COUNT", count, order)
        both("GEOSEARCH", "ties", "FROMLONLAT", "10", "50", "BYBOX", "10", "10", "km", "ASC")
        both("GEOSEARCH", "ties", "FROMLONLAT", "10", "50", "BYBOX", "10", "10", "km")
        # Errors in Redis' order.
        both("GEOSEARCH", "Sicily", "FROMMEMBER", "nope", "BYRADIUS", "-1", "km")
        both("GEOSEARCH", "nokey", "FROMMEMBER", "nope", "BYRADIUS", "-1", "km")
        both("GEOSEARCH", "Sicily", "BYBOX", "1", "2", "km")
        both("geoSearch", "Sicily", "FROMLONLAT", "1", "2")
        both("GEOSEARCH", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km", "ANY")
        both("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "1", "2", "BYRADIUS", "1", "km",
             "WITHHASH")
        both("GEORADIUS", "Sicily", "15", "37", "200", "km", "STORE", "d", "WITHCOORD")
        both("GEORADIUS_RO", "Sicily", "15", "37", "200", "km", "STORE", "d")
        both("GEORADIUSBYMEMBER", "Sicily", "nope", "200", "km")
        both("GEORADIUSBYMEMBER", "nokey", "nope", "x", "y", "STORE", "d")
        both("GEOADD", "Sicily", "NX", "XX", "1", "1", "x")
        both("GEOADD", "Sicily", "CH", "NX")
        both("GEODIST", "Sicily", "Palermo", "Catania", "parsecs")
        both("GEODIST", "Sicily", "Palermo", "Catania", "km", "x")
        both("SET", "s", "v")
        both("GEOPOS", "s", "a")
        both("GEODIST", "s", "a", "b", "km")
        both("GEOADD", "s", "1", "1", "a")
        both("GEOADD", "s", "1", "100", "a")
        both("GEOSEARCHSTORE", "s", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "1", "m")
        both("EXISTS", "s")
        both("GEOSEARCHSTORE", "d", "Sicily", "FROMLONLAT", "15", "37", "BYRADIUS", "200",
             "km", "STOREDIST")
        both("ZRANGE", "d", "0", "-1", "WITHSCORES")
        both("OBJECT", "ENCODING", "d")
        both("COMMAND", "GETKEYS", "GEORADIUS", "k", "1", "2", "3", "km", "STORE", "x",
             "STOREDIST", "y")
        both("COMMAND", "GETKEYS", "GEOSEARCHSTORE", "dst", "src", "FROMMEMBER", "m",
             "BYRADIUS", "1", "m")
        r.close()
        p.close()
    m.done()


def test_store_encodings():
    """GEOSEARCHSTORE results: 128 members and 64-byte names decide listpack or skiplist."""
    rs, ps = h.redis(), h.replicant("--replica-read-only", "no")
    r, p = rs.client(), ps.client()
    m = h.Mismatches()

    def both(*cmd):
        a, b = r.call(*cmd), p.call(*cmd)
        m.expect(repr(cmd)[:120], a, b)

    for n, namelen in ((128, 5), (129, 5), (10, 64), (10, 65)):
        both("DEL", "src", "dst")
        args = ["GEOADD", "src"]
        for i in range(n):
            args += ["%.6f" % (10 + i * 0.001), "%.6f" % (50 + (i % 7) * 0.001),
                     ("m%d" % i).ljust(namelen, "x")]
        both(*args)
        both("OBJECT", "ENCODING", "src")
        both("GEOSEARCHSTORE", "dst", "src", "FROMLONLAT", "10", "50", "BYRADIUS", "100", "km")
        both("OBJECT", "ENCODING", "dst")
        both("ZRANGE", "dst", "0", "-1", "WITHSCORES")
        both("GEORADIUS", "src", "10", "50", "100", "km", "STOREDIST", "dst", "COUNT", "20")
        both("OBJECT", "ENCODING", "dst")
        both("ZRANGE", "dst", "0", "-1", "WITHSCORES")
        both("DUMP", "dst")
    m.done()


if __name__ == "__main__":
    h.run(globals())
