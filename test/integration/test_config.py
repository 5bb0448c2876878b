#!/usr/bin/env python3
"""test_config: start-up errors of replicant against redis-server 7.0's own.

A bad option on the command line or in a config file must stop replicant with exit status 1
and the message Redis prints for the same mistake (its "*** FATAL CONFIG FILE ERROR ***" block
naming the line, the line itself and the reason); only the banner's program name and version
may differ. Also: a missing config file, a port already in use, -v and --help.

Run: REPLICANT=./replicant python3 test/integration/test_config.py [name-substring ...]
"""

import os
import re
import socket
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness as h  # noqa: E402

BANNER = re.compile(rb"^\n\*\*\* FATAL CONFIG FILE ERROR \([^)]*\) \*\*\*\n")


def start_fails(kind, args, conf=None, timeout=5):
    """Runs the program with args (after the config file conf, if given) in a fresh directory
    and returns (exit status, stdout, stderr). A process still running after timeout seconds
    is killed and reported with status "<still running>"."""
    d = h.tmpdir()
    exe = h.which(h.REDIS_SERVER if kind == "redis" else h.REPLICANT)
    cmd = [exe]
    if conf is not None:
        path = os.path.join(d, "test.conf")
        with open(path, "w") as f:
            f.write(conf)
        cmd.append(path)
    cmd += args
    p = subprocess.Popen(cmd, cwd=d, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE)
    try:
        out, err = p.communicate(timeout=timeout)
        return p.returncode, out, err
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return "<still running>", out, err


def fatal_block(err):
    """stderr with the banner's "(Redis 7.0.15)" / "(replicant x.y)" masked and the newlines
    at its end dropped (test_fatal_block_bytes checks those)."""
    return BANNER.sub(b"\n*** FATAL CONFIG FILE ERROR (...) ***\n", err).rstrip(b"\n")


# Every row is a mistake redis-server 7.0 refuses too (so no row starts a real server).
# The port comes first so that, if a row were accepted, nothing listens on 6379.
BAD_ARGS = [
    ["--port", "abc"],
    ["--nosuchoption", "1"],
    ["--port", "70000"],
    ["--port", "-1"],
    ["--maxclients", "0"],
    ["--maxclients", "x"],
    ["--timeout", "-1"],
    ["--tcp-keepalive", "1.5"],
    ["--proto-max-bulk-len", "1kb"],
    ["--proto-max-bulk-len", "12qb"],
    ["--client-query-buffer-limit", "100"],
    ["--replica-read-only", "maybe"],
    ["--replica-serve-stale-data", "1"],
    ["--daemonize", "yes", "no"],
    ["--loglevel", "loud"],
    ["--client-output-buffer-limit", "normal 1mb"],
    ["--client-output-buffer-limit", "bogus 1mb 0 0"],
    ["--client-output-buffer-limit", "normal 1mb 2mb x"],
    ["--requirepass", "a", "b"],
    ["--replicaof", "localhost"],
    ["--unixsocketperm", "999"],
    ["--databases", "0"],
    ["--hz", "x"],
    ["--port", "1234", "--timeout", "x"],
    ["--dir", "/nonexistent/dir"],
]


def test_bad_command_line_options():
    mm = h.Mismatches()
    for args in BAD_ARGS:
        want = start_fails("redis", args)
        got = start_fails("replicant", args)
        what = " ".join(args)
        mm.expect(what + ": exit status", want[0], got[0])
        mm.expect(what + ": stderr", fatal_block(want[2]), fatal_block(got[2]))
    mm.done()


def test_fatal_block_bytes():
    # The whole of stderr, byte for byte but for the banner's name and version.
    rc, out, err = start_fails("replicant", ["--port", "abc"])
    h.eq(rc, 1, "exit status")
    h.check(BANNER.match(err) is not None, "no FATAL CONFIG FILE ERROR banner in %r" % err)
    h.eq(BANNER.sub(b"", err),
         b"Reading the configuration file, at line 2\n>>> 'port \"abc\"'\n"
         b"argument couldn't be parsed into an integer\n", "stderr after the banner")
    h.eq(out, b"", "stdout")


CONFS = [
    ("bad line 3", "port 7\n# a comment\ntimeout abc\nmaxclients 5\n", []),
    ("bad line 3 with options after it", "port 7\n\ntimeout abc\n", ["--maxclients", "5"]),
    ("good file, bad option", "port 7\ntimeout 5\n", ["--maxclients", "5", "--timeout", "x"]),
    ("unknown directive", "port 7\n\n  nosuch-directive yes\n", []),
    ("unbalanced quotes", 'port 7\n\nbind "127.0.0.1\n', []),
    ("wrong number of arguments", "port 7\ntimeout 1 2\n", []),
    ("CRLF lines", "port 7\r\n# c\r\ntimeout abc\r\n", []),
    ("quoted value", 'port 7\nrequirepass "a\\x41b" extra\n', []),
    ("case-insensitive names", "PORT 7\nTimeOut -5\n", []),
]


def test_bad_config_files():
    mm = h.Mismatches()
    for name, conf, args in CONFS:
        want = start_fails("redis", args, conf)
        got = start_fails("replicant", args, conf)
        mm.expect(name + ": exit status", want[0], got[0])
        mm.expect(name + ": stderr", fatal_block(want[2]), fatal_block(got[2]))
    mm.done()


def test_missing_config_file():
    path = os.path.join(h.tmpdir(), "missing.conf")
    for kind in ("redis", "replicant"):
        rc, out, err = start_fails(kind, [path, "--port", str(h.free_port())])
        h.eq(rc, 1, "%s: exit status" % kind)
        want = ("Fatal error, can't open config file '%s': No such file or directory" % path)
        h.check(want.encode() in out + err, "%s: %r not in %r" % (kind, want, out + err))


def test_port_in_use():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        rc, out, err = start_fails("replicant", ["--port", str(port), "--bind", "127.0.0.1"])
    h.eq(rc, 1, "exit status with the port in use")
    h.check(b"Address already in use" in out + err, "no reason given: %r" % (out + err))
    h.check(b"[warn]" not in err, "stray libevent warnings on stderr: %r" % err)


def test_version_and_help():
    for flag in ("-v", "--version"):
        rc, out, err = start_fails("replicant", [flag])
        h.eq(rc, 0, "%s exit status" % flag)
        h.check(re.match(rb"replicant v=\S+", out) is not None, "%s printed %r" % (flag, out))
    for flag in ("-h", "--help"):
        rc, out, err = start_fails("replicant", [flag])
        h.eq(rc, 0, "%s exit status" % flag)
        h.check(out.startswith(b"Usage: replicant"), "%s printed %r" % (flag, out[:200]))


def test_config_file_and_options_apply():
    # A good file plus options: the option given last wins, as in Redis.
    port = h.free_port()
    p = h.replicant("--timeout", "9", conf="timeout 3\nmaxclients 77\n# comment\n\n",
                    port=port)
    with p.client() as c:
        h.eq(c.call("CONFIG", "GET", "timeout"), h.mbulk("timeout", "9"), "timeout")
        h.eq(c.call("CONFIG", "GET", "maxclients"), h.mbulk("maxclients", "77"), "maxclients")
        h.eq(c.call("CONFIG", "GET", "port"), h.mbulk("port", str(port)), "port")


if __name__ == "__main__":
    h.run(globals())
