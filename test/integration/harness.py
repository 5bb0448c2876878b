"""harness: what replicant's integration tests share.

Each test_*.py file imports this module to start replicant and a real redis-server on free
loopback ports, talk to them over raw sockets (one RESP reply at a time, as raw bytes, so replies
can be compared byte for byte), and run its test_* functions as a small TAP-like runner.

Python 3 standard library only. Everything that waits has a deadline, so a hung or crashed
server fails a test instead of hanging `make check`. Every process started here is stopped by
its PID (SIGTERM, then SIGKILL) when its test file ends, whether the tests passed or not.

Environment (set by test/local.mk): REPLICANT (default ./replicant), REDIS_SERVER (default
redis-server), REDIS_CLI, REDIS_BENCHMARK.
"""

import atexit
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback

REPLICANT = os.environ.get("REPLICANT") or "./replicant"
REDIS_SERVER = os.environ.get("REDIS_SERVER") or "redis-server"
REDIS_CLI = os.environ.get("REDIS_CLI") or "redis-cli"
REDIS_BENCHMARK = os.environ.get("REDIS_BENCHMARK") or "redis-benchmark"

# Seconds: how long a server may take to accept connections, how long one reply may take,
# how long a stopped server may take to exit before SIGKILL, how long one test may run.
START_TIMEOUT = 10.0
REPLY_TIMEOUT = 5.0
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:")
STOP_TIMEOUT = 5.0
TEST_TIMEOUT = 30

_procs = []        # every Server started and not yet stopped
_tmpdirs = []      # every directory made by tmpdir()
_problems = []     # sanitizer reports found in stopped replicants' logs, for the runner


class HarnessError(Exception):
    """A server did not start, or a peer broke the protocol."""


class Skip(Exception):
    """Raised by a test that cannot run here (a tool is missing): reported as skipped."""


class TestTimeout(Exception):
    """Raised by SIGALRM when one test runs longer than TEST_TIMEOUT."""


# ---- temporary files and ports ----

def tmpdir():
    """Returns a new directory removed when the test file ends."""
    d = tempfile.mkdtemp(prefix="replicant-it-")
    _tmpdirs.append(d)
    return d


def free_port():
    """Returns a loopback TCP port that was free a moment ago (the kernel picked it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def which(path):
    """The absolute path of an executable (a path or a name on PATH), or None."""
    if os.sep in path:
        return os.path.abspath(path) if os.access(path, os.X_OK) else None
    return shutil.which(path)


# ---- servers ----

class Server:
    """One replicant or redis-server process listening on 127.0.0.1:port.

    args are extra command-line words after the port options; conf, when given, is written
    to a config file passed first (replicant FILE --port P ...). The process runs in its own
    temporary directory with its output in log_path.
    """

    def __init__(self, kind, args=(), conf=None, port=None, wait=True, _retry=True):
        self.kind = kind
        self.dir = tmpdir()
        self.port = port or free_port()
        self.log_path = os.path.join(self.dir, "server.log")
        if kind == "redis":
            exe = which(REDIS_SERVER)
            if exe is None:
                raise HarnessError("redis-server not found: %s" % REDIS_SERVER)
            cmd = [exe]
        else:
            exe = which(REPLICANT)
            if exe is None:
                raise HarnessError("replicant not found: %s" % REPLICANT)
            cmd = [exe]
        if conf is not None:
            conf_path = os.path.join(self.dir, "server.conf")
            with open(conf_path, "w") as f:
                f.write(conf)
            cmd.append(conf_path)
        cmd += ["--port", str(self.port), "--bind", "127.0.0.1"]
        if kind == "redis":
            cmd += ["--save", "", "--appendonly", "no", "--daemonize", "no"]
        cmd += [str(a) for a in args]
        self.cmd = cmd
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=self.dir, stdin=subprocess.DEVNULL,
            stdout=self.log, stderr=subprocess.STDOUT)
        self.pid = self.proc.pid
        _procs.append(self)
        if wait:
            try:
                self.wait_ready()
            except HarnessError:
                # Another process may have taken the free port first: retry once elsewhere.
                if port is None and _retry and "in use" in self.log_text():
                    self.stop()
                    self.__init__(kind, args, conf, None, wait, _retry=False)
                    return
                raise

    def wait_ready(self, timeout=START_TIMEOUT):
        """Polls until the server accepts a TCP connection; raises if it exits or times out."""
        deadline = time.monotonic() + timeout
        delay = 0.005
        while True:
            rc = self.proc.poll()
            if rc is not None:
                raise HarnessError("%s exited with status %d before accepting connections:\n%s"
                    % (self.kind, rc, self.log_text()))
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1.0):
                    return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise HarnessError("%s did not accept connections within %.0f s:\n%s"
                    % (self.kind, timeout, self.log_text()))
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def log_text(self):
        """The server's output so far (for failure messages), at most its last 4 KB."""
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except OSError:
            return ""
        return data[-4096:].decode("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def signal(self, sig):
        if self.alive():
            os.kill(self.pid, sig)

    def wait_exit(self, timeout):
        """Returns the exit status, or None if the process still runs after timeout seconds."""
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """SIGTERM, then SIGKILL after STOP_TIMEOUT. Returns the exit status."""
        rc = self.proc.poll()
        if rc is None:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            rc = self.wait_exit(STOP_TIMEOUT)
            if rc is None:
                try:
                    os.kill(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                rc = self.proc.wait()
        if self in _procs:
            _procs.remove(self)
            if self.kind == "replicant":
                self._check_sanitizers()
        self.log.close()
        return rc

    def _check_sanitizers(self):
        """Records an ASan/UBSan/LSan report in the log (a build with --enable-asan writes
        them there) so the runner fails the test that started this process."""
        try:
            with open(self.log_path, "rb") as f:
                data = f.read()
        except OSError:
            return
        for mark in SANITIZER_MARKS:
            i = data.find(mark)
            if i >= 0:
                start = data.rfind(b"\n", 0, max(0, i - 200)) + 1
                _problems.append("sanitizer report in %s (%s):\n%s" % (self.log_path,
                    " ".join(self.cmd), data[start:start + 3000].decode("utf-8", "replace")))
                return

    def rss_kb(self, field="VmRSS"):
        """A size from /proc/PID/status in kB: VmRSS (resident now) or VmHWM (peak resident);
        None where /proc is missing."""
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def client(self, **kw):
        return Client(self.port, **kw)


def replicant(*args, **kw):
    """Starts replicant with extra args (e.g. "--maxclients", 3) and waits until it serves."""
    return Server("replicant", args, **kw)


def redis(*args, **kw):
    """Starts redis-server with the same kind of args and waits until it serves."""
    return Server("redis", args, **kw)


def stop_all():
    """Stops every server still running (used by the runner and at exit)."""
    for p in list(_procs):
        try:
            p.stop()
        except Exception:
            pass


def _cleanup():
    stop_all()
    for d in _tmpdirs:
        shutil.rmtree(d, ignore_errors=True)
    del _tmpdirs[:]


atexit.register(_cleanup)


def run_tool(argv, timeout=30, input=None):
    """Runs a command line tool; returns CompletedProcess (bytes). Fails the test on a timeout."""
    return subprocess.run(argv, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        timeout=timeout)


# ---- RESP ----

class Incomplete(Exception):
    pass


_SIMPLE = b"+-:_,#("
_BLOB = b"$=!"
_AGG = b"*~>"
_PAIRS = b"%|"


def resp_end(buf, pos=0):
    """The offset just past the one complete RESP2/RESP3 reply at buf[pos:], or None if it is
    not complete yet. Raises HarnessError on bytes that are no RESP reply. An attribute (|)
    counts together with the reply it annotates."""
    try:
        return _end(buf, pos)
    except Incomplete:
        return None


def _end(buf, pos):
    if pos >= len(buf):
        raise Incomplete()
    t = buf[pos:pos + 1]
    e = buf.find(b"\r\n", pos)
    if e < 0:
        if len(buf) - pos > 1 << 20:
            raise HarnessError("reply header without CRLF: %r" % bytes(buf[pos:pos + 64]))
        raise Incomplete()
    head = bytes(buf[pos + 1:e])
    nxt = e + 2
    if t and t in _SIMPLE:
        return nxt
    try:
        n = int(head)
    except ValueError:
        if t and t in _AGG + _PAIRS and head == b"?":
            raise HarnessError("streamed aggregates are not supported")
        raise HarnessError("not a RESP reply: %r" % bytes(buf[pos:pos + 64]))
    if t and t in _BLOB:
        if n < 0:
            return nxt
        if len(buf) < nxt + n + 2:
            raise Incomplete()
        if buf[nxt + n:nxt + n + 2] != b"\r\n":
            raise HarnessError("bulk string not ended by CRLF: %r" % bytes(buf[pos:pos + 64]))
        return nxt + n + 2
    if t and t in _AGG + _PAIRS:
        if n < 0:
            return nxt
        for _ in range(n * 2 if t in _PAIRS else n):
            nxt = _end(buf, nxt)
        if t == b"|":
            return _end(buf, nxt)
        return nxt
    raise HarnessError("not a RESP reply: %r" % bytes(buf[pos:pos + 64]))


class R:
    """A decoded reply: t is the type byte ('+', '-', ':', '$', '*', '%', '~', '_', ...), v the
    value (bytes for strings and errors, int, None for nulls, a list of R for aggregates, with
    maps flattened to key, value, key, value)."""

    def __init__(self, t, v):
        self.t = t
        self.v = v

    def __eq__(self, o):
        return isinstance(o, R) and self.t == o.t and self.v == o.v

    def __repr__(self):
        return "R(%r, %r)" % (self.t, self.v)

    def pairs(self):
        """A map's or a flat key-value array's items as a list of (key bytes, R) pairs."""
        return [(self.v[i].v, self.v[i + 1]) for i in range(0, len(self.v), 2)]


def decode(raw):
    """Decodes the one reply in raw (bytes) into an R tree."""
    r, end = _decode(raw, 0)
    if end != len(raw):
        raise HarnessError("trailing bytes after reply: %r" % raw[end:end + 64])
    return r


def _decode(buf, pos):
    t = chr(buf[pos])
    e = buf.index(b"\r\n", pos)
    head = buf[pos + 1:e]
    nxt = e + 2
    if t in "+-,#(":
        return R(t, head), nxt
    if t == ":":
        return R(t, int(head)), nxt
    if t == "_":
        return R(t, None), nxt
    n = int(head)
    if t in "$=!":
        if n < 0:
            return R(t, None), nxt
        return R(t, buf[nxt:nxt + n]), nxt + n + 2
    if n < 0:
        return R(t, None), nxt
    items = []
    for _ in range(n * 2 if t in "%|" else n):
        it, nxt = _decode(buf, nxt)
        items.append(it)
    if t == "|":
        inner, nxt = _decode(buf, nxt)
        return R("|", [R("%", items), inner]), nxt
    return R(t, items), nxt


def mbulk(*args):
    """The multibulk request for args (str or bytes)."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if isinstance(a, str):
            a = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def inline(*args):
    """The inline request for args (no quoting: for words without blanks or quotes)."""
    return b" ".join(a.encode() if isinstance(a, str) else a for a in args) + b"\r\n"


class Client:
    """A raw socket to a server, reading one RESP reply at a time as raw bytes."""

    def __init__(self, port=None, unix_path=None, timeout=REPLY_TIMEOUT, nodelay=True):
        self.timeout = timeout
        if unix_path is not None:
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.settimeout(timeout)
            self.sock.connect(unix_path)
        else:
            self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
            if nodelay:
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = bytearray()
        self.pos = 0

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.close()

    def send(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.sock.sendall(data)

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise socket.timeout("timed out")
        self.sock.settimeout(left)
        data = self.sock.recv(1 << 20)
        if not data:
            return False
        if self.pos > (1 << 20):
            del self.buf[:self.pos]
            self.pos = 0
        self.buf += data
        return True

    def read_reply(self, timeout=None):
        """The raw bytes of the next complete reply. Raises socket.timeout if none arrives in
        time (the partial bytes stay buffered), ConnectionError if the peer closed first."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while True:
            end = resp_end(self.buf, self.pos)
            if end is not None:
                raw = bytes(self.buf[self.pos:end])
                self.pos = end
                return raw
            try:
                more = self._fill(deadline)
            except ConnectionResetError:
                more = False
            if not more:
                raise ConnectionError("connection closed; unread bytes %r"
                    % bytes(self.buf[self.pos:self.pos + 200]))

    def read_replies(self, n, timeout=None):
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        return [self.read_reply(max(0.001, deadline - time.monotonic())) for _ in range(n)]

    def call(self, *args):
        """Sends args as one multibulk request and returns the raw reply."""
        self.send(mbulk(*args))
        return self.read_reply()

    def read_until_close(self, timeout=None):
        """Everything the peer sends until it closes (returned as bytes, buffered bytes first).
        Raises socket.timeout if it does not close in time."""
        deadline = time.monotonic() + (timeout if timeout is not None else self.timeout)
        while True:
            try:
                if not self._fill(deadline):
                    break
            except ConnectionResetError:
                break
        raw = bytes(self.buf[self.pos:])
        self.pos = len(self.buf)
        return raw

    def is_closed(self, timeout=1.0):
        """True if the peer closed (EOF or reset) within timeout with no more data."""
        try:
            return self.read_until_close(timeout) == b""
        except socket.timeout:
            return False


# ---- the runner ----

def _on_alarm(signum, frame):
    raise TestTimeout("test ran longer than %d s" % TEST_TIMEOUT)


def diff_settings(default_seed, default_ops):
    """The seeded differential tests' DIFF_SEED and DIFF_OPS (unset or empty: the defaults),
    as (seed, ops)."""
    return (int(os.environ.get("DIFF_SEED") or default_seed),
            int(os.environ.get("DIFF_OPS") or default_ops))


def parse_diff_argv():
    """For the differential tests' command line: --ops N, --seed S and --keep-going set
    DIFF_OPS, DIFF_SEED and DIFF_KEEP_GOING; the other words stay in sys.argv and name tests."""
    rest = [sys.argv[0]]
    argv = sys.argv[1:]
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--ops", "--seed") and i + 1 < len(argv):
            os.environ["DIFF_OPS" if a == "--ops" else "DIFF_SEED"] = argv[i + 1]
            i += 2
            continue
        if a == "--keep-going":
            os.environ["DIFF_KEEP_GOING"] = "1"
        else:
            rest.append(a)
        i += 1
    sys.argv[:] = rest


def run(namespace, need_redis=True, need_tools=()):
    """Runs the test_* functions of namespace (a module's globals()) in the order they are
    defined, prints "ok N - name" or "not ok N - name" with the traceback, stops every server
    after each test, and exits 0 if all passed, 1 otherwise, 77 (skip) if redis-server or one
    of need_tools is missing."""
    tests = [f for n, f in namespace.items() if n.startswith("test_") and callable(f)]
    tests.sort(key=lambda f: f.__code__.co_firstlineno)
    only = sys.argv[1:]
    if only:
        tests = [f for f in tests if any(o in f.__name__ for o in only)]
    if need_redis and which(REDIS_SERVER) is None:
        print("1..0 # SKIP redis-server not found (%s)" % REDIS_SERVER)
        sys.exit(77)
    for t in need_tools:
        if which(t) is None:
            print("1..0 # SKIP %s not found" % t)
            sys.exit(77)
    if which(REPLICANT) is None:
        print("Bail out! replicant not found: %s (set REPLICANT)" % REPLICANT)
        sys.exit(1)
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    print("1..%d" % len(tests))
    sys.stdout.flush()
    failed = 0
    started = time.monotonic()
    for i, f in enumerate(tests, 1):
        name = f.__name__[5:]
        t0 = time.monotonic()
        signal.alarm(TEST_TIMEOUT)
        skip = None
        try:
            f()
            ok = True
        except Skip as e:
            ok = True
            skip = str(e)
        except BaseException as e:
            if isinstance(e, KeyboardInterrupt):
                raise
            ok = False
            tb = traceback.format_exc()
        finally:
            signal.alarm(0)
            stop_all()
        if _problems:
            if ok:
                ok = False
                tb = ""
            tb += "\n".join(_problems)
            del _problems[:]
        took = time.monotonic() - t0
        if ok and skip:
            print("ok %d - %s # SKIP %s" % (i, name, skip))
        elif ok:
            print("ok %d - %s (%.2f s)" % (i, name, took))
        else:
            failed += 1
            print("not ok %d - %s (%.2f s)" % (i, name, took))
            for line in tb.rstrip("\n").split("\n"):
                print("#   " + line)
        sys.stdout.flush()
    print("# %d passed, %d failed in %.1f s" % (len(tests) - failed, failed,
        time.monotonic() - started))
    _cleanup()
    sys.exit(1 if failed else 0)


# ---- assertions ----

def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


def eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what or "mismatch", got, want))


class Mismatches:
    """Collects differences so one test reports all of them, then fails if there were any."""

    def __init__(self):
        self.items = []

    def add(self, what, want, got):
        self.items.append((what, want, got))

    def expect(self, what, want, got):
        """Records a difference; lists of equal length are compared item by item."""
        if want == got:
            return
        if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
            for i, (w, g) in enumerate(zip(want, got)):
                if w != g:
                    self.add("%s [reply %d]" % (what, i + 1), w, g)
        else:
            self.add(what, want, got)

    def done(self):
        if self.items:
            lines = ["%d difference(s) from redis-server:" % len(self.items)]
            for what, want, got in self.items:
                lines.append("  %s\n    redis:     %s\n    replicant: %s"
                    % (what, _short(want), _short(got)))
            raise AssertionError("\n".join(lines))


def _short(v):
    s = repr(v)
    return s if len(s) <= 1500 else s[:1500] + "...(%d chars)" % len(s)
