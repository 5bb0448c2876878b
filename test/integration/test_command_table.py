#!/usr/bin/env python3
"""test_command_table: replicant's command table against redis-server 7.0.15's.

COMMAND INFO of every command replicant knows must equal redis-server's (sets compared as sets):
name, arity, flags (movablekeys included), legacy key positions, ACL categories, tips, key specs
(flags, notes, begin_search, find_keys) and, for containers, each subcommand replicant has.
Known differences, each deliberate:
  - commands newer than 7.0 (the hash field-expiry family, CLIENT NO-TOUCH): not compared;
  - ZRANK/ZREVRANK: arity -3, for 7.2's WITHSCORE;
  - containers list only the subcommands replicant implements.
COMMAND GETKEYS, which cluster clients use for movable-key commands, must answer as
redis-server for a set of command lines, errors included.

Run: REPLICANT=./replicant python3 test/integration/test_command_table.py
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import check, decode  # noqa: E402

# Deliberate differences (see the docstring).
ARITY_DIFFERS = {b"zrank", b"zrevrank"}
NEWER_THAN_70 = {b"hexpire", b"hpexpire", b"hexpireat", b"hpexpireat", b"hpersist", b"httl",
                 b"hpttl", b"hexpiretime", b"hpexpiretime", b"client|no-touch"}


def norm(r):
    """An R tree with sets and flags made order-free."""
    if r.t == "~":
        return ("~", tuple(sorted(repr(norm(x)) for x in r.v)))
    if isinstance(r.v, list):
        return (r.t, tuple(norm(x) for x in r.v))
    return (r.t, r.v)


def info_row(c, name):
    r = decode(c.call("COMMAND", "INFO", name))
    return r.v[0]


def compare_row(ours, theirs, name):
    o, t = list(ours.v), list(theirs.v)
    if name in ARITY_DIFFERS:
        o[1] = t[1]
    # Subcommands (index 9): compare only those replicant has, each in full.
    subs_o, subs_t = o[9].v, t[9].v
    o[9] = t[9] = None
    check([norm(x) if x is not None else None for x in o] ==
          [norm(x) if x is not None else None for x in t],
          "COMMAND INFO %s differs:\n ours:  %r\n redis: %r" % (name.decode(), ours, theirs))
    theirs_by_name = {s.v[0].v: s for s in subs_t}
    for s in subs_o:
        sub = s.v[0].v
        if sub in NEWER_THAN_70:
            continue
        check(sub in theirs_by_name, "subcommand %s unknown to redis-server" % sub.decode())
        compare_row(s, theirs_by_name[sub], sub)


def test_command_info_matches_redis():
    rep, red = harness.replicant(), harness.redis()
    with rep.client() as a, red.client() as b:
        names = [x.v for x in decode(a.call("COMMAND", "LIST")).v]
        check(len(names) > 100, "COMMAND LIST is short: %d" % len(names))
        newer = []
        for name in sorted(names):
            if b"|" in name:
                continue
            theirs = info_row(b, name)
            if theirs.v is None:
                newer.append(name)
                continue
            compare_row(info_row(a, name), theirs, name)
        check(set(newer) <= NEWER_THAN_70,
              "commands unknown to redis-server 7.0: %r" % newer)


GETKEYS_LINES = [
    "get k", "mget a b c", "mset a 1 b 2", "set k v get", "rename a b", "copy a b db 2",
    "bitop and d a b c", "zunionstore d 2 a b weights 1 2", "zunion 2 a b", "zinter 0 a",
    "zinter 5 a", "zinter x a", "zinter -1 a", "zdiffstore d 1 a", "zintercard 2 a b limit 3",
    "zmpop 2 a b min", "bzmpop 0 2 a b max", "zrangestore d s 0 -1", "sintercard 2 a b",
    "sinterstore d a b c", "smove a b m", "lmpop 2 a b left", "blmpop 0 1 a right",
    "lmove a b left right", "blpop a b 0", "brpoplpush a b 0", "rpoplpush a b", "del a b c",
    "exists a", "hset h f v", "object encoding k", "memory usage k", "touch a b",
    "sdiff a b", "sunion a", "zadd z 1 m", "getex k persist", "bitfield k get u8 0",
    "ping", "echo x", "lmpop 0 a left", "lmpop 3 a b left", "sort k", "sort k by x store d",
    "sort k store a get # store b limit 0 1", "sort_ro k by w", "pfcount a b", "pfmerge d a b",
]


def test_command_getkeys_matches_redis():
    rep, red = harness.replicant(), harness.redis()
    with rep.client() as a, red.client() as b:
        known = 0
        for line in GETKEYS_LINES:
            if info_row(a, line.split()[0]).v is None:
                continue    # not in this build (yet)
            known += 1
            args = ["COMMAND", "GETKEYS"] + line.split()
            ours, theirs = a.call(*args), b.call(*args)
            check(ours == theirs, "COMMAND GETKEYS %s:\n ours:  %r\n redis: %r"
                  % (line, ours, theirs))
        check(known >= 20, "only %d of the GETKEYS lines are known commands" % known)


if __name__ == "__main__":
    harness.run(globals())
