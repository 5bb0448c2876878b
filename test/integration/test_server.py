#!/usr/bin/env python3
"""test_server: replicant's server foundation against a real redis-server 7.0.

Most tests are differential: the same request bytes go to a redis-server and to a replicant
started with the same options, and the raw reply bytes must be identical (or, where a reply
holds ids, times or addresses, the same structure). The rest check limits and behaviours that
have one right answer: protocol errors close the connection, pipelines survive any split, the
output and query buffer limits, timeouts, the unix socket, signals, redis-cli and
redis-benchmark.

Run: REPLICANT=./replicant python3 test/integration/test_server.py [name-substring ...]
"""

import hashlib
import os
import re
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402
from harness import mbulk as M, inline as I  # noqa: E402


def pair(*args, **kw):
    """A redis-server and a replicant started with the same extra options."""
    return h.redis(*args, **kw), h.replicant(*args, **kw)


def session(server, requests, timeout=2.0):
    """Sends each request (bytes) on one new connection and reads one reply after each;
    returns the raw replies. A missing reply reads as "<timeout>", a closed connection as
    "<closed>" (and ends the session)."""
    out = []
    with server.client() as c:
        for rq in requests:
            c.send(rq)
            try:
                out.append(c.read_reply(timeout))
            except socket.timeout:
                out.append("<timeout>")
            except ConnectionError:
                out.append("<closed>")
                break
    return out


def shape(r, ignore=()):
    """A decoded reply with the values of map keys in ignore (and all integers and strings
    under them) replaced by their type, for comparing structure."""
    if r.t in "%|*~>" and r.v is not None:
        items = []
        for i, it in enumerate(r.v):
            if r.t in "%|" and i % 2 == 1 and r.v[i - 1].v in ignore:
                items.append(h.R(it.t, "<%s>" % it.t))
            else:
                items.append(shape(it, ignore))
        return h.R(r.t, items)
    return r


def hello_shape(raw):
    """HELLO's reply with the id and version values masked (they differ between servers)."""
    if raw in ("<timeout>", "<closed>") or raw.startswith(b"-"):
        return raw
    r = h.decode(raw)
    if r.t == "*":     # RESP2: a flat array of name, value
        r = h.R("%", r.v)
    return shape(r, ignore=(b"id", b"version"))


def client_fields(raw):
    """The name=value fields of a CLIENT INFO / CLIENT LIST line, in order."""
    text = h.decode(raw).v.decode()
    fields = []
    for word in text.strip().split(" "):
        k, _, v = word.partition("=")
        fields.append((k, v))
    return fields


def compare(mm, rows, redis_srv, rep_srv):
    """Runs each row (name, requests[, transform]) as a session on both servers and records
    every reply that differs after the optional transform."""
    for row in rows:
        name, reqs = row[0], row[1]
        tf = row[2] if len(row) > 2 else (lambda x: x)
        want = [tf(x) for x in session(redis_srv, reqs)]
        got = [tf(x) for x in session(rep_srv, reqs)]
        mm.expect(name, want, got)


LONG = "L" * 200
BIN = b"\x00\x01\r\n\xff\xfe bin"

# Differential rows, RESP2 unless a row says HELLO 3. Each row runs on its own connection.
BASIC_ROWS = [
    ("PING", [M("PING"), I("PING"), b"ping\n", b"  PiNg   \r\n"]),
    ("PING x", [M("PING", "x"), I("PING", "x"), M("PING", "")]),
    ("PING a b", [M("PING", "a", "b"), I("ping", "a", "b")]),
    ("ECHO", [M("ECHO"), I("ECHO"), M("ECHO", "x"), I("echo", "x"), M("ECHO", ""),
        M("ECHO", BIN), M("ECHO", "a", "b"), I("echo", "a", "b")]),
    ("inline quoting", [b'echo "a b"\r\n', b"echo 'a b'\r\n", b'echo "\\x41\\n\\t\\"z"\r\n',
        b"echo 'it\\'s'\r\n", b'echo ""\r\n', b'ECHO "" x\r\n']),
    ("empty inline lines are skipped", [b"\r\n\r\n\n  \r\nPING\r\n"]),
    ("empty multibulk is skipped", [b"*0\r\n*-1\r\nPING\r\n", b"*-2\r\nPING\r\n",
        b"*-1\r\n$4\r\nPING\r\n"]),
    ("unknown command", [M("foo"), M("foo", "a", "b"), I("foo", "bar"), M("foo", LONG),
        M("foo", "a" * 100, "b" * 100, "c"), M("foo", BIN), M("x" * 300), M("foo\r\nbar", "x"),
        M(""), M("foo", "it's"), I("$5"), I("+PING"), M("get|x", "a"), M("client|setname")]),
    ("wrong arity", [M("SELECT"), M("select", "1", "2"), I("select"), M("CLIENT"), I("client"),
        M("client", "setname"), M("client", "setname", "a", "b"), M("client", "getname", "x"),
        M("client", "id", "x"), M("config"), M("config", "get"), I("config", "get"),
        M("time", "x"), M("dbsize", "x"), M("command", "getkeys"), M("command", "count", "x"),
        M("hello", "3", "auth"), M("reset", "x")]),
    ("CLIENT subcommands", [M("CLIENT", "FOO"), M("client", "foo", "bar"), I("CLIENT", "FOO"),
        M("config", "foo"), M("command", "foo")]),
    ("SELECT", [M("SELECT", "99"), M("SELECT", "-1"), M("SELECT", "x"), M("SELECT", "16"),
        M("SELECT", "15"), M("SELECT", "0"), M("SELECT", " 1"), M("SELECT", "1 "),
        M("SELECT", "01"), M("SELECT", "99999999999999999999"), I("select", "3"), M("DBSIZE")]),
    ("AUTH without requirepass", [M("AUTH", "x"), M("AUTH", "a", "b", "c"), I("auth", "x"),
        M("AUTH", "default", "x"), M("AUTH", "nobody", "x"), M("AUTH", "")]),
    ("HELLO errors", [M("HELLO", "4"), M("HELLO", "1"), M("HELLO", "x"), M("HELLO", "-1"),
        M("HELLO", "3", "AUTH", "a", "b"), M("HELLO", "2", "SETNAME", "a b"),
        M("HELLO", "2", "foo"), M("HELLO", "3", "AUTH", "a"), M("HELLO", "3", "SETNAME"),
        M("HELLO", "2", "setname", "x\ny")]),
    ("CLIENT SETNAME/GETNAME", [M("CLIENT", "GETNAME"), M("CLIENT", "SETNAME", "a b"),
        M("CLIENT", "SETNAME", "a\nb"), M("CLIENT", "SETNAME", "\x7f"),
        M("CLIENT", "SETNAME", "caf\xe9"), M("CLIENT", "SETNAME", b"\x00"),
        M("CLIENT", "GETNAME"), M("CLIENT", "SETNAME", "ok-name!~"), M("CLIENT", "GETNAME"),
        I("client", "getname"), M("CLIENT", "SETNAME", ""), M("CLIENT", "GETNAME")]),
    ("CLIENT NO-EVICT", [M("CLIENT", "NO-EVICT", "on"), M("CLIENT", "NO-EVICT", "OFF"),
        M("CLIENT", "NO-EVICT", "maybe"), M("CLIENT", "NO-EVICT")]),
    ("CLIENT KILL", [M("CLIENT", "KILL", "1.2.3.4:5"), M("CLIENT", "KILL", "ID", "x"),
        M("CLIENT", "KILL", "ID", "999"), M("CLIENT", "KILL", "foo"),
        M("CLIENT", "KILL", "ID", "0"), M("CLIENT", "KILL", "ID", "-3"),
        M("CLIENT", "KILL", "ADDR", "1.2.3.4:5"), M("CLIENT", "KILL", "LADDR", "1.2.3.4:5"),
        M("CLIENT", "KILL", "TYPE", "bogus"), M("CLIENT", "KILL", "TYPE", "pubsub"),
        M("CLIENT", "KILL", "SKIPME", "maybe"), M("CLIENT", "KILL", "ID"),
        M("CLIENT", "KILL", "USER", "nobody"), M("CLIENT", "KILL", "ID", "999", "bogus", "x")]),
    ("CLIENT LIST filters", [M("CLIENT", "LIST", "TYPE", "bogus"), M("CLIENT", "LIST", "ID", "x"),
        M("CLIENT", "LIST", "ID", "99999"), M("CLIENT", "LIST", "foo"),
        M("CLIENT", "LIST", "TYPE", "pubsub"), M("CLIENT", "LIST", "ID"),
        M("CLIENT", "LIST", "TYPE")]),
    ("COMMAND GETKEYS errors", [M("COMMAND", "GETKEYS", "nosuchcmd"),
        M("COMMAND", "GETKEYS", "echo"), M("COMMAND", "GETKEYS", "ping", "x"),
        M("COMMAND", "GETKEYS", "select", "1", "2"), M("COMMAND", "GETKEYS", "client", "x"),
        M("COMMAND", "GETKEYS", "", "x")]),
    ("COMMAND INFO", [M("COMMAND", "INFO", "ping"), M("COMMAND", "INFO", "echo"),
        M("COMMAND", "INFO", "client|setname"), M("COMMAND", "INFO", "PING", "nosuch", "Echo"),
        M("COMMAND", "INFO", "nosuchcmd"), M("COMMAND", "INFO", "client|nosuch")]),
    ("DBSIZE, ROLE", [M("DBSIZE"), M("ROLE")]),
    ("RESET", [M("CLIENT", "SETNAME", "n"), M("SELECT", "3"), M("CLIENT", "NO-EVICT", "on"),
        M("RESET"), M("CLIENT", "GETNAME"), M("PING"), I("reset"), M("HELLO", "3", "SETNAME", "x"),
        M("RESET"), M("CLIENT", "GETNAME")], hello_shape),
    ("QUIT", [M("QUIT"), M("PING")]),
    ("QUIT inline with args", [I("quit", "now"), M("PING")]),
    ("QUIT pipelined: later requests unanswered", [M("PING") + M("QUIT") + M("PING")]),
]

HELLO_ROWS = [
    ("HELLO", [M("HELLO")], hello_shape),
    ("HELLO 2", [M("HELLO", "2")], hello_shape),
    ("HELLO 3 setname ok", [M("HELLO", "3", "setname", "ok"), M("CLIENT", "GETNAME")],
        hello_shape),
    ("HELLO 2 AUTH default x (nopass)", [M("HELLO", "2", "AUTH", "default", "x")], hello_shape),
    ("HELLO 3 then 2", [M("HELLO", "3"), M("HELLO", "2"), M("CLIENT", "GETNAME")], hello_shape),
]

# After HELLO 3, where RESP3 replies differ from RESP2 ones.
RESP3_ROWS = [
    ("RESP3 replies", [M("HELLO", "3"), M("CLIENT", "GETNAME"), M("PING"), M("PING", "x"),
        M("ECHO", "x"), M("CONFIG", "GET", "timeout"), M("CONFIG", "GET", "nosuch"),
        M("COMMAND", "INFO", "ping"), M("COMMAND", "INFO", "nosuch"),
        M("COMMAND", "INFO", "client|setname"), M("CLIENT", "SETNAME", "n"),
        M("CLIENT", "GETNAME"), M("CLIENT", "KILL", "ID", "999"), M("DBSIZE"), M("foo", "x"),
        M("CLIENT", "LIST", "ID", "99999"), M("ROLE"), M("HELLO", "2"),
        M("CLIENT", "GETNAME"), M("CLIENT", "SETNAME", ""), M("CLIENT", "GETNAME")],
        hello_shape),
]


def test_differential_basic():
    r, p = pair()
    mm = h.Mismatches()
    compare(mm, BASIC_ROWS, r, p)
    mm.done()


def test_differential_hello():
    r, p = pair()
    mm = h.Mismatches()
    compare(mm, HELLO_ROWS, r, p)
    mm.done()


def test_differential_resp3():
    r, p = pair("--timeout", "7")
    mm = h.Mismatches()
    compare(mm, RESP3_ROWS, r, p)
    mm.done()


def test_command_docs():
    # COMMAND DOCS carries replicant's own one-line summaries (Redis' documentation text is not
    # copied), so this compares the reply's shape with Redis': a map from each known name to a
    # map holding summary, since and group; unknown names are left out.
    r, p = pair()
    reqs = [M("COMMAND", "DOCS", "ping"), M("COMMAND", "DOCS", "echo", "nosuch"),
        M("COMMAND", "DOCS", "nosuch"), M("COMMAND", "DOCS", "client|setname")]
    want = session(r, reqs)
    got = session(p, reqs)
    for w, g, req in zip(want, got, reqs):
        rw, rg = h.decode(w), h.decode(g)
        h.eq(rg.t, rw.t, "type of %r" % req)
        h.eq([k for k, _ in rg.pairs()], [k for k, _ in rw.pairs()], "names in %r" % req)
        for (name, doc_w), (_, doc_g) in zip(rw.pairs(), rg.pairs()):
            keys_g = [k for k, _ in doc_g.pairs()]
            for key in (b"summary", b"since", b"group"):
                h.eq(key in keys_g, True, "%r has %r" % (name, key))
            since_w = dict(doc_w.pairs())[b"since"].v
            h.eq(dict(doc_g.pairs())[b"since"].v, since_w, "%r since" % name)
            h.eq(dict(doc_g.pairs())[b"group"].v, dict(doc_w.pairs())[b"group"].v,
                "%r group" % name)


def test_quit_closes():
    for s in pair():
        with s.client() as c:
            c.send(M("QUIT") + M("PING"))
            got = c.read_until_close(3)
            h.eq(got, b"+OK\r\n", "%s: QUIT then PING in one write" % s.kind)


def test_close_after_big_reply():
    # QUIT and a protocol error close the connection only after the replies queued before
    # them are written, even when those do not fit in the socket at once.
    big = "b" * (3 * 1024 * 1024)
    want = b"$%d\r\n%s\r\n" % (len(big), big.encode())
    for s in pair():
        for tail, last in ((M("QUIT"), b"+OK\r\n"),
                           (b"*1\r\n$x\r\n", b"-ERR Protocol error: invalid bulk length\r\n")):
            with s.client(timeout=10) as c:
                c.send(M("ECHO", big) + tail + M("PING"))
                got = c.read_until_close(10)
                h.check(got == want + last, "%s: %r after a 3 MB reply: got %d bytes ending %r"
                        % (s.kind, tail, len(got), got[-60:]))


def test_client_kill_other():
    mm = h.Mismatches()
    for s in pair():
        with s.client() as killer, s.client() as a, s.client() as b:
            aid = h.decode(a.call("CLIENT", "ID")).v
            binfo = dict(client_fields(b.call("CLIENT", "INFO")))
            mm.expect("%s: KILL ID" % s.kind, b":1\r\n",
                      killer.call("CLIENT", "KILL", "ID", str(aid)))
            mm.expect("%s: killed client closed" % s.kind, True, a.is_closed(2))
            mm.expect("%s: old-style KILL addr" % s.kind, b"+OK\r\n",
                      killer.call("CLIENT", "KILL", binfo["addr"]))
            mm.expect("%s: killed client closed" % s.kind, True, b.is_closed(2))
            mm.expect("%s: KILL ID again" % s.kind, b":0\r\n",
                      killer.call("CLIENT", "KILL", "ID", str(aid)))
            mm.expect("%s: SKIPME yes spares the caller" % s.kind, b":0\r\n",
                      killer.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"))
            mm.expect("%s: caller alive" % s.kind, b"+PONG\r\n", killer.call("PING"))
            killer.send(M("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no") + M("PING"))
            mm.expect("%s: SKIPME no kills the caller after its reply" % s.kind, b":1\r\n",
                      killer.read_until_close(3))
    mm.done()


def test_abrupt_disconnects():
    # Peers that vanish mid-request or mid-reply (RST) must not disturb the server.
    p = h.replicant()
    for data in (M("ECHO", "r" * 4000000), b"*3\r\n$4\r\nECHO\r\n$100\r\nabc",
                 M("PING") * 50000, b"ECHO 'unterminated"):
        c = p.client()
        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        try:
            c.send(data)
        except OSError:
            pass
        c.close()
    with p.client() as c:
        h.eq(c.call("PING"), b"+PONG\r\n", "PING after abrupt disconnects")
        wait_clients(p, 2).close()   # c and the poller: the others are gone
    h.check(p.alive(), "replicant exited")


def test_config_get():
    opts = ("--maxclients", "50", "--timeout", "7", "--proto-max-bulk-len", "2mb",
            "--client-query-buffer-limit", "3mb", "--replica-read-only", "no", "--tcp-keepalive",
            "60")
    r, p = pair(*opts)
    mm = h.Mismatches()
    names = ["maxclients", "timeout", "proto-max-bulk-len", "client-query-buffer-limit",
             "replica-read-only", "slave-read-only", "replica-serve-stale-data", "tcp-keepalive",
             "databases", "bind", "requirepass", "unixsocket", "MAXCLIENTS", "nosuch",
             "client-output-buffer-limit", "hz", "tcp-backlog", "masterauth", "masteruser",
             "replicaof", "loglevel", "daemonize", "pidfile", "logfile", "unixsocketperm"]
    compare(mm, [("CONFIG GET " + n, [M("CONFIG", "GET", n)]) for n in names], r, p)
    # Patterns: every pair replicant lists must be redis-server's; and these names must be there.
    for pat, must in [("*max*", ["maxclients", "proto-max-bulk-len"]),
                      ("*query-buffer*", ["client-query-buffer-limit"]),
                      ("replica-*", ["replica-read-only", "replica-serve-stale-data"]),
                      ("time?ut", ["timeout"]), ("[mt]*", ["maxclients", "timeout"])]:
        want = dict(h.decode(session(r, [M("CONFIG", "GET", pat)])[0]).pairs())
        got = dict(h.decode(session(p, [M("CONFIG", "GET", pat)])[0]).pairs())
        for k, v in got.items():
            if k in (b"set-max-listpack-entries", b"set-max-listpack-value"):
                continue    # Redis 7.2's options (replicant encodes sets as 7.2 does)
            mm.expect("CONFIG GET %s: %s" % (pat, k.decode()), want.get(k), v)
        for k in must:
            mm.expect("CONFIG GET %s lists %s" % (pat, k), True, k.encode() in got)
    # Several names in one call (7.0): the same pairs, in any order.
    multi = M("CONFIG", "GET", "maxclients", "timeout", "max*")
    want = sorted(h.decode(session(r, [multi])[0]).pairs(), key=lambda kv: kv[0])
    got = sorted(h.decode(session(p, [multi])[0]).pairs(), key=lambda kv: kv[0])
    want = [kv for kv in want if kv[0] in dict(got) or kv[0] in (b"maxclients", b"timeout")]
    mm.expect("CONFIG GET maxclients timeout max*", want, got)
    for s in (r, p):
        mm.expect("%s: CONFIG GET port" % s.kind, M("port", str(s.port)),
                  session(s, [M("CONFIG", "GET", "port")])[0])
    mm.done()


def test_time_shape():
    for s in pair():
        raw = session(s, [M("TIME")])[0]
        r = h.decode(raw)
        h.eq((r.t, len(r.v), [x.t for x in r.v]), ("*", 2, ["$", "$"]), "%s: TIME shape" % s.kind)
        sec, usec = int(r.v[0].v), int(r.v[1].v)
        h.check(abs(sec - time.time()) < 5, "%s: TIME %d is not now" % (s.kind, sec))
        h.check(0 <= usec < 1000000, "%s: TIME microseconds %d" % (s.kind, usec))
        h.check(re.fullmatch(rb"[0-9]+", r.v[1].v) is not None, "TIME usec digits")


def test_client_info_fields():
    r, p = pair()
    mm = h.Mismatches()
    reqs = [M("CLIENT", "SETNAME", "me"), M("SELECT", "2"), M("CLIENT", "INFO"),
            M("CLIENT", "LIST"), M("CLIENT", "LIST", "TYPE", "normal"), M("CLIENT", "ID")]
    want, got = session(r, reqs), session(p, reqs)
    mm.expect("replies before CLIENT INFO", want[:2], got[:2])
    for i, what in ((2, "CLIENT INFO"), (3, "CLIENT LIST"), (4, "CLIENT LIST TYPE normal")):
        wf, gf = client_fields(want[i]), client_fields(got[i])
        mm.expect(what + " field names", [k for k, _ in wf], [k for k, _ in gf])
        stable = ("name", "db", "flags", "sub", "psub", "ssub", "multi", "user", "redir", "resp",
                  "cmd", "argv-mem", "multi-mem", "obl", "oll", "omem", "events")
        mm.expect(what + " stable values", [kv for kv in wf if kv[0] in stable],
                  [kv for kv in gf if kv[0] in stable])
        gd = dict(gf)
        mm.expect(what + " ends with a newline", want[i].endswith(b"\n\r\n"),
                  got[i].endswith(b"\n\r\n"))
        h.check(re.fullmatch(r"127\.0\.0\.1:[0-9]+", gd.get("addr", "")) is not None,
                "replicant %s addr=%r" % (what, gd.get("addr")))
        mm.expect(what + " laddr", "127.0.0.1:%d" % p.port, gd.get("laddr"))
    # RESP3: a verbatim string "txt".
    reqs3 = [M("HELLO", "3"), M("CLIENT", "INFO"), M("CLIENT", "LIST")]
    for what, w, g in zip(("CLIENT INFO", "CLIENT LIST"), session(r, reqs3)[1:],
                          session(p, reqs3)[1:]):
        mm.expect("RESP3 %s reply type" % what, w[:1] + w[w.index(b"\r\n"):][2:6],
                  g[:1] + g[g.index(b"\r\n"):][2:6])
    cid = h.decode(got[5])
    h.eq(cid.t, ":", "CLIENT ID type")
    mm.expect("CLIENT INFO id = CLIENT ID", str(cid.v), dict(client_fields(got[2])).get("id"))
    mm.done()


# ---- 2. protocol errors ----

BIG_INLINE = b"x" * (70 * 1024)
BIG_COUNT = b"*" + b"1" * (70 * 1024)

PROTOCOL_ROWS = [
    ("*abc", b"*abc\r\n"),
    ("$abc", b"*1\r\n$abc\r\n"),
    ("$-5", b"*1\r\n$-5\r\n"),
    ("expected $", b"*1\r\nx\r\n"),
    ("expected $ after first arg", b"*2\r\n$4\r\nECHO\r\n:1\r\n"),
    ("*3000000000", b"*3000000000\r\n"),
    ("*+1", b"*+1\r\nPING\r\n"),
    ("* with space", b"* 1\r\n"),
    ("*1 then bulk length with sign", b"*1\r\n$+4\r\nPING\r\n"),
    ("unbalanced double quote", b'"unbalanced\r\n'),
    ("quote followed by text", b"'x'y\r\n"),
    ("double quote followed by text", b'echo "x"y\r\n'),
    ("70 KB inline without newline", BIG_INLINE),
    ("70 KB * count without CR", BIG_COUNT),
    ("70 KB $ count without CR", b"*1\r\n$" + b"1" * (70 * 1024)),
    ("bulk over proto-max-bulk-len", b"*2\r\n$4\r\necho\r\n$2000000\r\n"),
    ("answered before the error", M("PING") + I("echo", "x") + b"*abc\r\n" + M("PING")),
    ("300 pipelined then error", (M("PING", "p") + I("PING")) * 150 + b"*1\r\n$x\r\n"),
    ("error after a complete inline", b'PING\r\necho "a\r\n'),
]

AUTH_PROTOCOL_ROWS = [
    ("unauthenticated multibulk length", b"*11\r\n"),
    ("unauthenticated *10 is fine", b"*10\r\n" + b"$1\r\nx\r\n" * 10 + b"*11\r\n"),
    ("unauthenticated bulk length", b"*2\r\n$4\r\nauth\r\n$20000\r\n"),
    ("unauthenticated $16384 is fine", b"*2\r\n$4\r\necho\r\n$16384\r\n" + b"y" * 16384 +
        b"\r\n*2\r\n$4\r\necho\r\n$16385\r\n"),
]


def protocol_error(server, data):
    """Sends data on a new connection; returns what came back until the server closed, or
    adds "<still open>" if it did not close within 3 s."""
    with server.client() as c:
        try:
            c.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        try:
            return c.read_until_close(3)
        except socket.timeout:
            return bytes(c.buf[c.pos:]) + b"<still open>"


def run_protocol_rows(rows, *opts, auth=None):
    r, p = pair(*opts)
    mm = h.Mismatches()
    for name, data in rows:
        want = protocol_error(r, data)
        got = protocol_error(p, data)
        mm.expect(name, want, got)
        with p.client() as c:
            try:
                if auth:
                    c.call("AUTH", auth)
                mm.expect(name + ": then PING from another client", b"+PONG\r\n", c.call("PING"))
            except (OSError, ConnectionError) as e:
                mm.add(name + ": then PING from another client", b"+PONG\r\n", repr(e))
        if not p.alive():
            mm.add(name + ": replicant still running", True, p.log_text())
            break
    mm.done()


def test_protocol_errors():
    run_protocol_rows(PROTOCOL_ROWS, "--proto-max-bulk-len", "1mb")


def test_protocol_errors_unauthenticated():
    run_protocol_rows(AUTH_PROTOCOL_ROWS, "--requirepass", "secret", auth="secret")


# ---- 3. resumability and big inputs ----

PIPELINE = b"".join([
    M("PING"), I("PING"), M("PING", "hello"), M("ECHO", BIN), I("echo", "x"), b"\r\n",
    b'echo "a\\x42c" \'d e\'\r\n', M("ECHO", "y" * 40000), M("foo", LONG, "b"),
    M("SELECT", "3"), M("SELECT", "x"), M("CLIENT", "SETNAME", "split"), M("CLIENT", "GETNAME"),
    M("CLIENT", "KILL", "ID", "999"), M("COMMAND", "INFO", "echo"), b"*0\r\n",
    M("CONFIG", "GET", "maxclients"), M("ping", "a", "b"), M("DBSIZE"), M("ECHO", ""),
    I("echo", "z" * 3000), M("HELLO", "3", "SETNAME", "x"), M("CLIENT", "GETNAME"),
    M("ECHO", "resp3"), M("CONFIG", "GET", "timeout"), M("HELLO", "2"), M("CLIENT", "GETNAME"),
])
SENTINEL = M("ECHO", "__end__")
SENTINEL_REPLY = b"$7\r\n__end__\r\n"


def read_to_sentinel(c, timeout=10):
    out = []
    deadline = time.monotonic() + timeout
    while True:
        raw = c.read_reply(max(0.01, deadline - time.monotonic()))
        if raw == SENTINEL_REPLY:
            return out
        out.append(raw)


def pipeline_replies(server, chunks, every=1, pause=0.0):
    """Sends the pipeline as the given chunks (sleeping pause after every `every` chunks)
    followed by the sentinel, and returns the replies before the sentinel's."""
    with server.client() as c:
        for i, ch in enumerate(chunks):
            c.send(ch)
            if pause and i % every == every - 1:
                time.sleep(pause)
        c.send(SENTINEL)
        return [hello_shape(x) for x in read_to_sentinel(c)]


def test_pipeline_byte_at_a_time():
    r, p = pair()
    want = pipeline_replies(r, [PIPELINE])
    whole = pipeline_replies(p, [PIPELINE])
    h.eq(whole, want, "pipeline sent whole: replicant vs redis-server")
    # The 40 KB argument is sent in 4 KB pieces; the rest one byte per write.
    big = PIPELINE.index(b"y" * 40000)
    chunks = [PIPELINE[i:i + 1] for i in range(big)]
    chunks += [PIPELINE[i:min(i + 4096, big + 40000)] for i in range(big, big + 40000, 4096)]
    chunks += [PIPELINE[i:i + 1] for i in range(big + 40000, len(PIPELINE))]
    t0 = time.monotonic()
    bytewise = pipeline_replies(p, chunks, every=16, pause=0.0005)
    h.eq(bytewise, whole, "pipeline sent one byte at a time (%.1f s)" % (time.monotonic() - t0))


def test_pipeline_every_split():
    small = (M("PING") + I("echo", "ab") + M("ECHO", BIN) + b'echo "q\\x41" \'r\'\r\n' +
             M("SELECT", "x") + b"\n" + M("foo", "a"))
    r, p = pair()
    want = pipeline_replies(r, [small])
    h.check(len(want) == 6, "redis-server replies: %r" % want)
    bad = []
    with p.client() as c:
        for k in range(1, len(small)):
            c.send(small[:k])
            time.sleep(0.001)
            c.send(small[k:] + SENTINEL)
            got = [hello_shape(x) for x in read_to_sentinel(c, 5)]
            if got != want:
                bad.append((k, got))
    h.check(not bad, "splits that changed the replies (offset, replies): %r; want %r"
            % (bad[:3], want))


def test_10000_pipelined_pings():
    n = 10000
    reqs = b"".join(M("PING", str(i)) if i % 2 else I("PING", str(i)) for i in range(n))
    r, p = pair()
    for s in (p, r):
        with s.client() as c:
            c.send(reqs)
            got = c.read_replies(n, timeout=15)
            want = [b"$%d\r\n%d\r\n" % (len(str(i)), i) for i in range(n)]
            bad = [i for i in range(n) if got[i] != want[i]]
            h.check(not bad, "%s: %d replies out of order or wrong, first at %s: %r"
                    % (s.kind, len(bad), bad[:1], got[bad[0]] if bad else None))
            h.eq(c.call("PING"), b"+PONG\r\n", "%s: PING after the pipeline" % s.kind)


def test_half_closed_client_gets_every_reply():
    # A client that sends a long pipeline and then shuts down its side still gets every
    # reply: requests left over after one read event's batch must run before the EOF closes it.
    n = 10000
    reqs = b"".join(M("PING", str(i)) if i % 2 else I("PING", str(i)) for i in range(n))
    want = b"".join(b"$%d\r\n%d\r\n" % (len(str(i)), i) for i in range(n))
    for s in pair():
        for attempt in range(5):     # whether the EOF comes with the last batch is timing
            with s.client() as c:
                c.send(reqs)
                c.sock.shutdown(socket.SHUT_WR)
                got = c.read_until_close(10)
                h.check(got == want, "%s: %d of %d reply bytes before the close (%d of %d "
                        "replies)" % (s.kind, len(got), len(want), got.count(b"\r\n") // 2, n))


def test_20mb_echo():
    p = h.replicant()
    size = 20 * 1024 * 1024
    data = (b"0123456789abcdefghijklmnopqrstuvwxyz" * (size // 36 + 1))[:size - 3] + b"\r\n!"
    want_hash = hashlib.sha1(data).hexdigest()
    with p.client(timeout=20) as c:
        t0 = time.monotonic()
        c.send(b"*2\r\n$4\r\nECHO\r\n$%d\r\n" % size)
        for i in range(0, size, 1 << 20):
            c.send(data[i:i + (1 << 20)])
        c.send(b"\r\n")
        raw = c.read_reply(20)
        took = time.monotonic() - t0
        head = b"$%d\r\n" % size
        h.eq(raw[:len(head)], head, "reply header")
        h.eq(len(raw), len(head) + size + 2, "reply length")
        h.eq(hashlib.sha1(raw[len(head):-2]).hexdigest(), want_hash, "reply content hash")
        h.check(took < 10, "20 MB round trip took %.1f s" % took)
        for field in ("VmRSS", "VmHWM"):
            kb = p.rss_kb(field)
            h.check(kb is None or kb < 200 * 1024, "replicant %s %s kB after a 20 MB ECHO"
                    % (field, kb))
        h.eq(c.call("PING"), b"+PONG\r\n", "PING after the big ECHO")


# ---- 4. limits and behaviours ----

def wait_clients(server, n, timeout=3.0):
    """Polls CLIENT LIST on a new connection until the server counts n clients (that one
    included); returns that connection. A connection refused because the server has not yet
    noticed a client that just closed (maxclients still reached) is retried: the close and
    the new connection race on Redis as well."""
    deadline = time.monotonic() + timeout
    c = None
    while True:
        try:
            if c is None:
                c = server.client()
            lines = h.decode(c.call("CLIENT", "LIST")).v.decode().strip().split("\n")
            if len(lines) == n:
                return c
            detail = "%d clients listed" % len(lines)
        except (ConnectionError, h.HarnessError) as e:
            if c is not None:
                c.close()
            c = None
            detail = "connection failed: %s" % e
        if time.monotonic() > deadline:
            raise AssertionError("%s: %s, want %d" % (server.kind, detail, n))
        time.sleep(0.01)


def test_maxclients():
    for s in pair("--maxclients", "3"):
        first = wait_clients(s, 1)
        others = [s.client(), s.client()]
        for c in others:
            h.eq(c.call("PING"), b"+PONG\r\n", "%s: PING from client 2 or 3" % s.kind)
        with s.client() as fourth:
            h.eq(fourth.read_until_close(3), b"-ERR max number of clients reached\r\n",
                 "%s: fourth connection" % s.kind)
        for c in [first] + others:
            h.eq(c.call("PING"), b"+PONG\r\n", "%s: PING after the rejection" % s.kind)
        others[0].close()
        wait_clients(s, 3).close()   # first, others[1] and the poller: a slot was free again
        first.close()


def test_requirepass():
    r, p = pair("--requirepass", "secret")
    mm = h.Mismatches()
    rows = [
        ("NOAUTH", [M("PING"), I("ping"), M("ECHO", "x"), M("CLIENT", "GETNAME"),
                    M("HELLO", "3"), M("HELLO"), M("foo"), M("SELECT", "1"), M("COMMAND", "COUNT"),
                    M("ping", "a", "b")]),
        ("AUTH", [M("AUTH", "wrong"), M("AUTH", "default", "wrong"), M("AUTH", "nobody", "secret"),
                  M("AUTH", "a", "b", "c"), M("PING"), M("AUTH", "secret"), M("PING"),
                  M("AUTH", "wrong"), M("PING")]),
        ("AUTH default", [M("AUTH", "default", "secret"), M("PING")]),
        ("HELLO AUTH", [M("HELLO", "3", "AUTH", "default", "wrong"), M("PING"),
                        M("HELLO", "3", "AUTH", "default", "secret"), M("PING"),
                        M("CLIENT", "GETNAME")], hello_shape),
        ("HELLO 2 AUTH SETNAME", [M("HELLO", "2", "AUTH", "default", "secret", "SETNAME", "n"),
                                  M("CLIENT", "GETNAME")], hello_shape),
        ("RESET unauthenticates", [M("AUTH", "secret"), M("RESET"), M("PING")]),
        ("QUIT without AUTH", [M("QUIT")]),
    ]
    compare(mm, rows, r, p)
    mm.done()


def test_idle_timeout():
    servers = pair("--timeout", "1")
    idle = [s.client() for s in servers]
    active = [s.client() for s in servers]
    for c in idle:
        h.eq(c.call("PING"), b"+PONG\r\n", "idle client's first PING")
    closed_at = [None, None]
    t0 = time.monotonic()
    while time.monotonic() - t0 < 3.5:
        for i, s in enumerate(servers):
            h.eq(active[i].call("PING"), b"+PONG\r\n", "%s: active client at %.1f s"
                 % (s.kind, time.monotonic() - t0))
            if closed_at[i] is None and idle[i].is_closed(0.1):
                closed_at[i] = time.monotonic() - t0
    for i, s in enumerate(servers):
        h.check(closed_at[i] is not None and closed_at[i] <= 3.0,
                "%s: idle client closed at %s s, want within 3 s" % (s.kind, closed_at[i]))


def test_output_buffer_limit():
    payload = "e" * 65536
    for s in pair("--client-output-buffer-limit", "normal 1mb 0 0"):
        slow = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        slow.settimeout(10)
        slow.connect(("127.0.0.1", s.port))
        req = M("ECHO", payload)
        sent = 0
        try:
            for _ in range(200):
                slow.sendall(req)
                sent += 1
        except OSError:
            pass   # the server may close it while we still send
        other = s.client()
        h.eq(other.call("PING"), b"+PONG\r\n", "%s: other client while the slow one fills up"
             % s.kind)
        # The slow client was disconnected: it reads less than all replies, then EOF.
        total = 0
        deadline = time.monotonic() + 10
        closed = False
        try:
            while time.monotonic() < deadline:
                data = slow.recv(1 << 20)
                if not data:
                    closed = True
                    break
                total += len(data)
        except ConnectionResetError:
            closed = True
        except socket.timeout:
            pass
        slow.close()
        h.check(closed, "%s: slow client not disconnected (read %d bytes)" % (s.kind, total))
        h.check(total < 200 * (len(payload) + 10),
                "%s: slow client got all %d bytes of replies" % (s.kind, total))
        h.eq(other.call("PING"), b"+PONG\r\n", "%s: other client afterwards" % s.kind)
        other.close()


def test_query_buffer_limit():
    # Redis' minimum for both options is 1mb; a bulk of 2000000 bytes is valid under
    # proto-max-bulk-len 2mb, but 1.5 MB of it already exceed the 1 MB query buffer limit.
    for s in pair("--client-query-buffer-limit", "1mb", "--proto-max-bulk-len", "2mb"):
        with s.client() as c:
            try:
                c.send(b"*2\r\n$4\r\necho\r\n$2000000\r\n" + b"x" * 1500000)
            except (BrokenPipeError, ConnectionResetError):
                pass
            try:
                got = c.read_until_close(3)
            except socket.timeout:
                got = b"<still open>"
            h.eq(got, b"", "%s: half-sent 2 MB request over a 1 MB query buffer" % s.kind)
        with s.client() as c:
            # 800 KB of the same request stay under the limit: the connection stays open.
            c.send(b"*2\r\n$4\r\necho\r\n$2000000\r\n" + b"x" * 800000)
            h.check(not c.is_closed(0.5), "%s: 800 KB of a valid request closed" % s.kind)
        with s.client() as c:
            h.eq(c.call("PING"), b"+PONG\r\n", "%s: PING afterwards" % s.kind)


def test_unixsocket():
    mm = h.Mismatches()
    fields = {}
    for kind in ("redis", "replicant"):
        d = h.tmpdir()
        path = os.path.join(d, "s.sock")
        s = h.Server(kind, ["--unixsocket", path, "--unixsocketperm", "700"])
        deadline = time.monotonic() + 5
        while not os.path.exists(path) and time.monotonic() < deadline:
            time.sleep(0.01)
        with h.Client(unix_path=path) as c:
            mm.expect("%s: PING over the unix socket" % kind, b"+PONG\r\n", c.call("PING"))
            info = dict(client_fields(c.call("CLIENT", "INFO")))
            fields[kind] = {k: info.get(k) for k in ("addr", "laddr", "flags")}
            lst = h.decode(c.call("CLIENT", "LIST")).v.decode()
            mm.expect("%s: CLIENT LIST shows flags=U" % kind, True, "flags=U" in lst)
            mm.expect("%s: socket mode" % kind, 0o700, os.stat(path).st_mode & 0o777)
        s.stop()
        mm.expect("%s: socket removed on exit" % kind, False, os.path.exists(path))
    r, p = fields["redis"], fields["replicant"]
    want = {k: (v.replace(os.path.dirname(v), "DIR") if k != "flags" else v) for k, v in r.items()}
    got = {k: (v.replace(os.path.dirname(v), "DIR") if (v and k != "flags") else v)
           for k, v in p.items()}
    mm.expect("CLIENT INFO addr/laddr/flags over the unix socket", want, got)
    mm.done()


def signal_exit(sig):
    d = h.tmpdir()
    pidfile = os.path.join(d, "replicant.pid")
    p = h.replicant("--pidfile", pidfile)
    deadline = time.monotonic() + 5
    content = None
    while time.monotonic() < deadline:
        try:
            with open(pidfile) as f:
                content = f.read()
        except FileNotFoundError:
            pass
        if content and content.endswith("\n"):
            break
        time.sleep(0.01)
    h.eq(content, "%d\n" % p.pid, "pidfile content")
    c = p.client()
    h.eq(c.call("PING"), b"+PONG\r\n", "PING before the signal")
    t0 = time.monotonic()
    p.signal(sig)
    rc = p.wait_exit(5)
    h.check(rc is not None, "replicant still running 5 s after %s" % sig.name)
    h.eq(rc, 0, "exit status after %s" % sig.name)
    h.check(time.monotonic() - t0 < 5, "exit took too long")
    h.check(c.is_closed(1), "client connection not closed at exit")
    h.check(not os.path.exists(pidfile), "pidfile left behind after %s" % sig.name)


def test_sigterm():
    signal_exit(signal.SIGTERM)


def test_sigint():
    signal_exit(signal.SIGINT)


# ---- 6. tools ----

def need(tool):
    if h.which(tool) is None:
        raise h.Skip("%s not found" % tool)


def test_redis_cli():
    need(h.REDIS_CLI)
    p = h.replicant()
    res = h.run_tool([h.REDIS_CLI, "-p", str(p.port), "ping"], timeout=10)
    h.eq((res.returncode, res.stdout), (0, b"PONG\n"), "redis-cli ping")
    res = h.run_tool([h.REDIS_CLI, "-p", str(p.port), "--no-raw", "client", "info"], timeout=10)
    h.eq(res.returncode, 0, "redis-cli client info exit status")
    out = res.stdout.decode()
    # redis-cli prints CLIENT INFO's text as it is, even with --no-raw.
    h.check(re.fullmatch(r"id=[0-9]+ addr=127\.0\.0\.1:[0-9]+ .* cmd=client\|info .*\n", out)
            is not None, "redis-cli --no-raw client info printed %r" % out)
    res = h.run_tool([h.REDIS_CLI, "-p", str(p.port), "-3", "--no-raw", "client", "info"],
                     timeout=10)
    out3 = res.stdout.decode()
    h.check(res.returncode == 0 and re.fullmatch(r"id=[0-9]+ .* resp=3\n", out3) is not None,
            "redis-cli -3 --no-raw client info printed %r" % out3)
    res = h.run_tool([h.REDIS_CLI, "-p", str(p.port), "-3", "--no-raw", "client", "getname"],
                     timeout=10)
    h.eq((res.returncode, res.stdout), (0, b"(nil)\n"), "redis-cli -3 client getname")
    res = h.run_tool([h.REDIS_CLI, "-p", str(p.port), "echo", "a b"], timeout=10)
    h.eq((res.returncode, res.stdout), (0, b"a b\n"), "redis-cli echo")


def test_redis_benchmark():
    need(h.REDIS_BENCHMARK)
    p = h.replicant()
    res = h.run_tool([h.REDIS_BENCHMARK, "-p", str(p.port), "-t", "ping", "-n", "20000", "-q"],
                     timeout=30)
    out = res.stdout.decode("utf-8", "replace")
    h.eq(res.returncode, 0, "redis-benchmark exit status (output %r)" % out[-500:])
    for test in ("PING_INLINE", "PING_MBULK"):
        h.check(re.search(r"(^|[\r\n])%s: [0-9.]+ requests per second" % test, out) is not None,
                "no %s result in %r" % (test, out[-500:]))
    h.check(p.alive(), "replicant died under redis-benchmark")
    with p.client() as c:
        h.eq(c.call("PING"), b"+PONG\r\n", "PING after redis-benchmark")


if __name__ == "__main__":
    h.run(globals())
