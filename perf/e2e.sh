#!/bin/sh
# e2e.sh: replicant beside redis-server on this machine, measured in the same run.
#
#   perf/e2e.sh [--keys N] [--mixed M] [--no-streams] [--rounds R] [--quick] [--out DIR]
#               [--tests LIST] [--duration S] [--clients C] [--pipelines 1,16] [--replicant PATH]
#               [--replicant-args ARGS] [--redis-server PATH] [--redis-benchmark PATH] [--no-pin]
#
# Starts a redis-server (--save '' --appendonly no) and replicant (--port P --replica-read-only
# no, so that it accepts the writes that load it) on free loopback ports, loads the same data into
# both with pipelined writes (N strings of 16 bytes, default 1M; then M keys of each aggregate type
# with TTLs on half of them), and reports side by side: RSS and bytes per key; redis-benchmark
# throughput, p50/p99 latency and server CPU per request for PING, GET, MGET, HGETALL, LRANGE_100,
# ZRANGE and SMEMBERS at each pipeline depth with C clients; KEYS with a prefix pattern. Each
# figure is the median of R rounds, the two servers measured in turn within each round, and is
# also given as the ratio replicant / redis-server. The servers run on one CPU and
# redis-benchmark on another (taskset). The report goes to DIR (default artifacts/e2e) as
# e2e.md and e2e.json, with the servers' logs.
#
# A command that replicant rejects, or answers differently from redis-server on the same data,
# shows as n/a with the reason; load errors are counted per command. REPLICANT=/usr/bin/redis-server
# (or --replicant) runs redis-server on both sides, an A/A run that shows the noise of the machine.
# Only the processes started here are stopped, by PID, also on Ctrl-C or SIGTERM.
set -u
PYTHON=${PYTHON3:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "$0: python3 is required" >&2; exit 1; }
exec "$PYTHON" - "$@" <<'EOF'
import argparse
import datetime
import json
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# Commands measured with redis-benchmark. "space" names the key family that __rand_int__ draws
# from (-r), "unordered" says how to compare replies whose order Redis does not define, and
# "setup" is sent once per server before the run; its reply replaces "{setup}" in the command.
TESTS = {
    "PING": {"cmd": ["PING"]},
    "GET": {"cmd": ["GET", "key:__rand_int__"], "space": "keys"},
    "MGET": {"cmd": ["MGET"] + ["key:__rand_int__"] * 10, "space": "keys"},
    "HGETALL": {"cmd": ["HGETALL", "hash:__rand_int__"], "space": "mixed", "unordered": "pairs"},
    "LRANGE_100": {"cmd": ["LRANGE", "list:__rand_int__", "0", "99"], "space": "mixed"},
    "ZRANGE": {"cmd": ["ZRANGE", "zset:__rand_int__", "0", "-1", "WITHSCORES"], "space": "mixed"},
    "SMEMBERS": {"cmd": ["SMEMBERS", "set:__rand_int__"], "space": "mixed", "unordered": "items"},
    "EVALSHA": {"cmd": ["EVALSHA", "{setup}", "1", "key:__rand_int__"], "space": "keys",
                "setup": ["SCRIPT", "LOAD", "return redis.call('GET', KEYS[1])"]},
}
DEFAULT_TESTS = "PING,GET,MGET,HGETALL,LRANGE_100,ZRANGE,SMEMBERS,EVALSHA"

# Shapes of the mixed data set, per key.
HASH_FIELDS = 10
LIST_LEN = 100
SET_MEMBERS = 16
ZSET_MEMBERS = 32
STREAM_ENTRIES = 3


class RespError(Exception):
    pass


class ServerGone(Exception):
    pass


class Conn:
    """A blocking RESP2 client: enough to load data and probe replies."""

    def __init__(self, port, timeout=60):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.f = self.sock.makefile("rb", buffering=1 << 16)

    def close(self):
        self.f.close()
        self.sock.close()

    def read(self):
        line = self.f.readline()
        if not line.endswith(b"\r\n"):
            raise ServerGone("connection closed")
        t, rest = line[:1], line[1:-2]
        if t == b"+":
            return rest
        if t == b"-":
            return RespError(rest.decode(errors="replace"))
        if t == b":":
            return int(rest)
        if t == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            if len(data) != n + 2:
                raise ServerGone("connection closed")
            return data[:-2]
        if t == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ServerGone("protocol error: %r" % line[:40])

    def send(self, payload, count):
        """Sends encoded commands and returns their count replies."""
        self.sock.sendall(payload)
        return [self.read() for _ in range(count)]

    def call(self, *args):
        return self.send(encode(args), 1)[0]


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        if not isinstance(a, bytes):
            a = str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid):
    """CPU time used so far by a process, all threads, user and system, in nanoseconds.

    The sum of the threads' /proc schedstat run times: the utime+stime of /proc/PID/stat at
    nanosecond rather than clock-tick (10 ms) resolution, which short runs need. Falls back to
    /proc/PID/stat where schedstat is missing."""
    total, found = 0, False
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            try:
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    total += int(f.read().split()[0])
                    found = True
            except (OSError, ValueError, IndexError):
                pass
    except OSError:
        pass
    if found:
        return total
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1e9 / os.sysconf("SC_CLK_TCK")


def rss_bytes(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return None


class Target:
    """One server under test: how to start it, and its process once started."""

    def __init__(self, label, argv, cpu, logdir):
        self.label = label
        self.argv = argv
        self.cpu = cpu
        self.log_path = os.path.join(logdir, label + ".log")
        self.proc = None
        self.port = None
        self.cwd = None
        self.dead = None

    def start(self):
        pin = ["taskset", "-c", str(self.cpu)] if self.cpu is not None else []
        for _ in range(5):
            self.port = free_port()
            self.cwd = tempfile.mkdtemp(prefix="e2e-%s-" % self.label)
            log = open(self.log_path, "ab")
            # A session of its own: a terminal's Ctrl-C reaches this script, which stops it.
            self.proc = subprocess.Popen(pin + self.argv(self.port), cwd=self.cwd, stdout=log,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
            log.close()
            deadline = time.time() + 15
            while time.time() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    c = Conn(self.port, timeout=2)
                    ok = c.call("PING") == b"PONG"
                    c.close()
                    if ok:
                        return
                except (OSError, ServerGone):
                    pass
                time.sleep(0.05)
            self.stop()
            with open(self.log_path, errors="replace") as f:
                tail = f.read()[-2000:]
            if "already in use" not in tail:
                raise SystemExit("e2e: %s did not start (%s):\n%s" % (
                    self.label, " ".join(self.argv(self.port)), tail))
        raise SystemExit("e2e: %s: no free port after 5 tries" % self.label)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.cwd is not None:
            shutil.rmtree(self.cwd, ignore_errors=True)
            self.cwd = None

    def alive(self):
        if self.dead is None and self.proc.poll() is not None:
            self.dead = "server exited with status %s (see %s)" % (self.proc.returncode,
                                                                   self.log_path)
        return self.dead is None


# ---------------------------------------------------------------------------------------------
# The data set: generated once, sent identically to every server.

def key(family, i):
    return "%s:%012d" % (family, i)


def batches(commands, max_bytes=1 << 19):
    """Groups encoded commands into (payload, count, names) batches of about max_bytes."""
    buf, names, size = [], [], 0
    for args in commands:
        e = encode(args)
        buf.append(e)
        names.append(args[0])
        size += len(e)
        if size >= max_bytes:
            yield b"".join(buf), len(buf), names
            buf, names, size = [], [], 0
    if buf:
        yield b"".join(buf), len(buf), names


def string_commands(n):
    for i in range(n):
        yield ("SET", key("key", i), "v%015d" % i)


def mixed_commands(m, seed=42, rare=True):
    """rare: also streams and HyperLogLogs on every 10th index (--no-streams leaves them out)."""
    rnd = random.Random(seed)
    for i in range(m):
        ttl = 3600 + rnd.randrange(3600) if i % 2 else None
        h = key("hash", i)
        args = ["HSET", h]
        for f in range(HASH_FIELDS):
            args += ["field:%d" % f, "value:%010d:%d" % (i, f)]
        yield tuple(args)
        yield ("RPUSH", key("list", i)) + tuple("item:%d:%d" % (i, j) for j in range(LIST_LEN))
        yield ("SADD", key("set", i)) + tuple("member:%d:%d" % (i, j) for j in range(SET_MEMBERS))
        z = ["ZADD", key("zset", i)]
        for j in range(ZSET_MEMBERS):
            z += ["%.3f" % (rnd.random() * 1000), "m:%d:%d" % (i, j)]
        yield tuple(z)
        yield ("SET", key("ttlstr", i), "t%015d" % i, "EX", str(3600 + rnd.randrange(3600)))
        if rare and i % 10 == 0:
            for j in range(STREAM_ENTRIES):
                yield ("XADD", key("stream", i), "%d-%d" % (1700000000000 + j, 0), "f", str(j))
            yield ("PFADD", key("hll", i)) + tuple("e%d" % j for j in range(20))
        if ttl is not None:
            for fam in ("hash", "list", "set", "zset"):
                yield ("EXPIRE", key(fam, i), str(ttl))


def mixed_key_count(m, rare=True):
    return 5 * m + (2 * len(range(0, m, 10)) if rare else 0)


def load(target, payloads):
    """Sends the batches; returns (seconds, {command: errors}, first error per command).

    A writer thread sends while this thread reads the replies, so a server that stops reading
    while its replies wait (backpressure) cannot deadlock the load."""
    errors, first = {}, {}
    c = Conn(target.port, timeout=60)
    failed = []

    def writer():
        try:
            for payload, _, _ in payloads:
                c.sock.sendall(payload)
        except OSError as e:
            failed.append(e)

    t0 = time.time()
    th = threading.Thread(target=writer, daemon=True)
    th.start()
    try:
        for _, _, names in payloads:
            for name in names:
                reply = c.read()
                if isinstance(reply, RespError):
                    errors[name] = errors.get(name, 0) + 1
                    first.setdefault(name, str(reply)[:120])
    except (OSError, ServerGone) as e:
        errors["(connection)"] = 1
        first["(connection)"] = "%s%s" % (e, " (send: %s)" % failed[0] if failed else "")
    finally:
        if th.is_alive():
            # The reader gave up: unblock the writer.
            try:
                c.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        th.join(timeout=10)
        c.close()
    return time.time() - t0, errors, first


def info_field(target, field):
    try:
        c = Conn(target.port, timeout=10)
        reply = c.call("INFO", "memory")
        c.close()
    except (OSError, ServerGone):
        return None
    if not isinstance(reply, bytes):
        return None
    for line in reply.decode(errors="replace").splitlines():
        if line.startswith(field + ":"):
            try:
                return int(line.split(":", 1)[1])
            except ValueError:
                return None
    return None


def dbsize(target):
    try:
        c = Conn(target.port, timeout=10)
        reply = c.call("DBSIZE")
        c.close()
    except (OSError, ServerGone):
        return None
    return reply if isinstance(reply, int) else None


# ---------------------------------------------------------------------------------------------
# redis-benchmark runs.

def normalise(reply, unordered):
    if unordered == "items" and isinstance(reply, list):
        return sorted(reply, key=repr)
    if unordered == "pairs" and isinstance(reply, list):
        return sorted(zip(reply[0::2], reply[1::2]), key=repr)
    return reply


def probe(target, args, unordered=None):
    """The reply to one command on target, normalised; ("error", message) on an error."""
    try:
        c = Conn(target.port, timeout=30)
        reply = c.call(*args)
        c.close()
    except (OSError, ServerGone) as e:
        return ("error", "connection: %s" % e)
    if isinstance(reply, RespError):
        return ("error", str(reply))
    return ("ok", normalise(reply, unordered))


def run_benchmark(ctx, target, cmd, requests, pipeline, clients, space):
    """One redis-benchmark run against target; a dict of figures, or {"na": reason}."""
    if not target.alive():
        return {"na": target.dead}
    argv = ([] if ctx.client_cpu is None else ["taskset", "-c", str(ctx.client_cpu)])
    argv += [ctx.args.redis_benchmark, "-h", "127.0.0.1", "-p", str(target.port), "-c",
             str(clients), "-n", str(requests), "-P", str(pipeline), "--csv"]
    if space:
        argv += ["-r", str(space)]
    argv += cmd
    t0 = cpu_ns(target.proc.pid)
    try:
        r = subprocess.run(argv, capture_output=True, text=True,
                           timeout=max(120, 50 * ctx.args.duration))
    except subprocess.TimeoutExpired:
        return {"na": "redis-benchmark timed out"}
    if not target.alive():
        return {"na": target.dead}
    used_ns = cpu_ns(target.proc.pid) - t0
    rows = [l for l in r.stdout.splitlines() if l.startswith('"') and not l.startswith('"test"')]
    if r.returncode != 0 or not rows:
        msg = (r.stderr.strip() or r.stdout.strip() or "status %d" % r.returncode)
        return {"na": msg.splitlines()[-1][:120]}
    f = [x.strip('"') for x in rows[-1].split('","')]
    return {"rps": float(f[1]), "p50_ms": float(f[4]), "p99_ms": float(f[6]),
            "cpu_us": used_ns / 1e3 / requests}


def choose_requests(ctx, target, cmd, pipeline, clients, space):
    """Requests for a run of about --duration seconds, from a short warm-up run on target."""
    floor = clients * pipeline * 4
    if ctx.args.requests:
        return max(ctx.args.requests, floor)
    w = run_benchmark(ctx, target, cmd, max(floor, 2000), pipeline, clients, space)
    if "na" in w:
        return None
    n = int(w["rps"] * ctx.args.duration)
    return max(floor, (n // 1000) * 1000 or 1000)


# ---------------------------------------------------------------------------------------------
# Sections of the report. Each takes the context and returns (markdown lines, JSON value).
# Full-sync time and replication lag will be sections that start a redis-server primary and
# attach replicant and a redis-server replica to it; EVALSHA is already a test (--tests).

def fmt_bytes(v):
    if v is None:
        return "n/a"
    for scale, unit in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
        if v >= scale:
            return "%.1f %s" % (v / scale, unit)
    return "%d B" % v


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt_ratio(r):
    return "n/a" if r is None else "%.2f" % r


def section_memory(ctx):
    n, m = ctx.args.keys, ctx.args.mixed
    stages = [("empty", None, 0), ("strings", string_commands(n), n),
              ("mixed", mixed_commands(m, rare=not ctx.args.no_streams),
               mixed_key_count(m, rare=not ctx.args.no_streams))]
    payload_cache = {}
    data = {"stages": []}
    base = {}
    for stage, commands, nkeys in stages:
        if commands is not None:
            payload_cache[stage] = list(batches(commands))
        row = {"stage": stage, "keys": nkeys}
        for t in ctx.targets:
            res = {}
            if stage != "empty" and t.alive():
                secs, errors, first = load(t, payload_cache[stage])
                res.update(load_seconds=round(secs, 3), errors=errors, first_error=first)
            if t.alive():
                time.sleep(0.2)
                res.update(rss=rss_bytes(t.proc.pid), used_memory=info_field(t, "used_memory"),
                           dbsize=dbsize(t))
            else:
                res["na"] = t.dead
            row[t.label] = res
        data["stages"].append(row)
        payload_cache.pop(stage, None)

    lines = ["## Memory", "",
             "RSS after each stage (VmRSS); bytes per key = RSS growth of the stage / keys it "
             "added. Load time is through this script's pipelined client.", "",
             "| stage | keys | %s RSS | %s RSS | ratio | %s B/key | %s B/key | ratio | "
             "%s load s | %s load s |" % ((ctx.a.label, ctx.b.label) * 3),
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    # A stage whose load failed, and every later one, has no comparable memory figure.
    prev, broken = {}, set()
    for row in data["stages"]:
        per_key, shown = {}, {}
        for t in ctx.targets:
            res = row[t.label]
            rss = res.get("rss")
            if res.get("errors") or rss is None:
                broken.add(t.label)
            if t.label not in broken:
                shown[t.label] = rss
                if row["stage"] != "empty" and prev.get(t.label) is not None:
                    per_key[t.label] = (rss - prev[t.label]) / row["keys"]
            if row["stage"] != "empty":
                res["bytes_per_key"] = (round(per_key[t.label], 1) if t.label in per_key
                                        else None)
            prev[t.label] = rss
        a, b = ctx.a.label, ctx.b.label
        empty = row["stage"] == "empty"
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
            row["stage"], "{:,}".format(row["keys"]), fmt_bytes(shown.get(a)),
            fmt_bytes(shown.get(b)), fmt_ratio(ratio(shown.get(b), shown.get(a))),
            na_num(per_key.get(a), "%.0f", empty), na_num(per_key.get(b), "%.0f", empty),
            "" if empty else fmt_ratio(ratio(per_key.get(b), per_key.get(a))),
            row[a].get("load_seconds", ""), row[b].get("load_seconds", "")))
    notes = []
    for row in data["stages"]:
        for t in ctx.targets:
            for name, count in sorted(row[t.label].get("errors", {}).items()):
                notes.append("- %s, %s stage: %d %s commands failed (%s)" % (
                    t.label, row["stage"], count, name, row[t.label]["first_error"][name]))
    if notes:
        lines += ["", "Memory figures are n/a from the first stage whose load failed:", ""]
        lines += notes
    return lines, data


def na_num(v, fmt, blank=False):
    if blank:
        return ""
    return "n/a" if v is None else fmt % v


def space_size(ctx, space):
    return {"keys": ctx.args.keys, "mixed": ctx.args.mixed}.get(space)


def section_throughput(ctx):
    clients = ctx.args.clients
    runs = []
    for name in ctx.tests:
        spec = TESTS[name]
        for pipeline in ctx.args.pipelines:
            runs.append({"test": name, "pipeline": pipeline, "spec": spec})

    # Per server: the command line (after setup), or the reason it cannot run.
    for run in runs:
        spec = run["spec"]
        run["cmd"], run["na"] = {}, {}
        ref = None
        for t in ctx.targets:
            cmd = list(spec["cmd"])
            if "setup" in spec:
                kind, value = probe(t, spec["setup"])
                if kind == "error":
                    run["na"][t.label] = "%s: %s" % (spec["setup"][0], value)
                    continue
                cmd = [value.decode() if c == "{setup}" else c for c in cmd]
            got = probe(t, [c.replace("__rand_int__", "%012d" % 0) for c in cmd],
                        spec.get("unordered"))
            if got[0] == "error":
                run["na"][t.label] = got[1][:120]
                continue
            if ref is None:
                ref = got
            elif got != ref:
                run["na"][t.label] = "reply differs from %s's" % ctx.a.label
                continue
            run["cmd"][t.label] = cmd

    # Requests per run, from the first server that can run the command.
    for run in runs:
        run["requests"] = None
        space = space_size(ctx, run["spec"].get("space"))
        for t in ctx.targets:
            if t.label in run["cmd"]:
                run["requests"] = choose_requests(ctx, t, run["cmd"][t.label], run["pipeline"],
                                                  clients, space)
                if run["requests"]:
                    break

    samples = {}
    for rnd in range(ctx.args.rounds):
        for run in runs:
            space = space_size(ctx, run["spec"].get("space"))
            for t in ctx.targets:
                k = (run["test"], run["pipeline"], t.label)
                if t.label not in run["cmd"] or not run["requests"]:
                    continue
                res = run_benchmark(ctx, t, run["cmd"][t.label], run["requests"],
                                    run["pipeline"], clients, space)
                samples.setdefault(k, []).append(res)
        progress("round %d/%d done" % (rnd + 1, ctx.args.rounds))

    metrics = ("rps", "p50_ms", "p99_ms", "cpu_us")
    data = []
    for run in runs:
        entry = {"test": run["test"], "pipeline": run["pipeline"], "clients": clients,
                 "requests": run["requests"], "command": " ".join(run["spec"]["cmd"])}
        for t in ctx.targets:
            k = (run["test"], run["pipeline"], t.label)
            got = [s for s in samples.get(k, []) if "na" not in s]
            if t.label in run["na"]:
                entry[t.label] = {"na": run["na"][t.label]}
            elif not run["requests"]:
                entry[t.label] = {"na": "no calibration run succeeded"}
            elif not got:
                reasons = [s["na"] for s in samples.get(k, [])]
                entry[t.label] = {"na": reasons[0] if reasons else "not run"}
            else:
                med = {m: statistics.median(s[m] for s in got) for m in metrics}
                med["samples"] = got
                entry[t.label] = med
        entry["ratio"] = {m: ratio(entry[ctx.b.label].get(m), entry[ctx.a.label].get(m))
                          for m in metrics}
        data.append(entry)

    a, b = ctx.a.label, ctx.b.label
    lines = ["## Throughput, latency and CPU (redis-benchmark -c %d)" % clients, "",
             "Medians of %d round(s). rps: requests per second; p50/p99: latency in ms; CPU: the "
             "server's user+system time per request in µs." % ctx.args.rounds, "",
             "| command | -P | %s rps | %s rps | ratio | %s p50 | %s p50 | ratio | %s p99 | %s p99 "
             "| ratio | %s CPU | %s CPU | ratio |" % ((a, b) * 4),
             "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    notes = []
    for e in data:
        cells = []
        for m, fmt in (("rps", "{:,.0f}"), ("p50_ms", "{:.3f}"), ("p99_ms", "{:.3f}"),
                       ("cpu_us", "{:.2f}")):
            for lab in (a, b):
                v = e[lab].get(m)
                cells.append("n/a" if v is None else fmt.format(v))
            cells.append(fmt_ratio(e["ratio"][m]))
        lines.append("| %s | %d | %s |" % (e["test"], e["pipeline"], " | ".join(cells)))
        for lab in (a, b):
            if "na" in e[lab]:
                notes.append("- %s -P %d on %s: n/a: %s" % (e["test"], e["pipeline"], lab,
                                                            e[lab]["na"]))
    if notes:
        lines += [""] + notes
    return lines, data


def section_keys(ctx):
    n = ctx.args.keys
    # A prefix that matches about 1% of the strings (at least 1 key): key:<12 - d digits>*.
    d = 0
    while 10 ** (d + 1) <= max(1, n // 100):
        d += 1
    prefix_index = (n // 2) // 10 ** d
    prefix = "%0*d" % (12 - d, prefix_index)
    pattern = "key:%s*" % prefix
    lo, hi = prefix_index * 10 ** d, (prefix_index + 1) * 10 ** d
    expected = max(0, min(hi, n) - lo)
    entry = {"pattern": pattern, "expected_matches": expected, "keys": n}
    for t in ctx.targets:
        got = probe(t, ["KEYS", pattern])
        if got[0] == "error":
            entry[t.label] = {"na": got[1][:120]}
            continue
        if not isinstance(got[1], list) or len(got[1]) != expected:
            entry[t.label] = {"na": "returned %s keys, expected %d" % (
                len(got[1]) if isinstance(got[1], list) else "no", expected)}
            continue
        entry[t.label] = {}
    # KEYS is slow: one client, no pipelining, about --duration seconds of calls (at least 3).
    runnable = [t for t in ctx.targets if "na" not in entry[t.label]]
    calls = None
    if runnable:
        t0 = time.time()
        probe(runnable[0], ["KEYS", pattern])
        calls = max(3, min(1000, int(ctx.args.duration / max(time.time() - t0, 1e-4))))
    samples = {t.label: [] for t in runnable}
    for _ in range(ctx.args.rounds):
        for t in runnable:
            samples[t.label].append(run_benchmark(ctx, t, ["KEYS", pattern], calls, 1, 1, None))
    metrics = ("rps", "p50_ms", "p99_ms", "cpu_us")
    for t in runnable:
        got = [s for s in samples[t.label] if "na" not in s]
        if not got:
            entry[t.label] = {"na": samples[t.label][0]["na"]}
            continue
        entry[t.label] = {m: statistics.median(s[m] for s in got) for m in metrics}
        entry[t.label]["samples"] = got
    entry["ratio"] = {m: ratio(entry[ctx.b.label].get(m), entry[ctx.a.label].get(m))
                      for m in metrics}
    a, b = ctx.a.label, ctx.b.label
    lines = ["## KEYS %s (%s of %s strings match; redis-benchmark -c 1 -n %s)" % (
        pattern, "{:,}".format(expected), "{:,}".format(n), calls), "",
        "| figure | %s | %s | ratio |" % (a, b), "|---|--:|--:|--:|"]
    for m, label, fmt in (("rps", "calls/s", "{:,.1f}"), ("p50_ms", "p50 ms", "{:.3f}"),
                          ("p99_ms", "p99 ms", "{:.3f}"), ("cpu_us", "CPU µs/call", "{:,.0f}")):
        cells = []
        for lab in (a, b):
            v = entry[lab].get(m)
            cells.append("n/a" if v is None else fmt.format(v))
        lines.append("| %s | %s | %s | %s |" % (label, cells[0], cells[1],
                                                 fmt_ratio(entry["ratio"][m])))
    for lab in (a, b):
        if "na" in entry[lab]:
            lines.append("")
            lines.append("- KEYS on %s: n/a: %s" % (lab, entry[lab]["na"]))
    return lines, entry


SECTIONS = [("memory", section_memory), ("throughput", section_throughput),
            ("keys", section_keys)]


# ---------------------------------------------------------------------------------------------

def progress(msg):
    print("e2e: %s" % msg, file=sys.stderr, flush=True)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def governor(cpu):
    try:
        with open("/sys/devices/system/cpu/cpu%d/cpufreq/scaling_governor" % (cpu or 0)) as f:
            return f.read().strip()
    except OSError:
        return "n/a (no cpufreq)"


def version_of(path):
    try:
        r = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "unknown"


class Context:
    pass


def parse_args(argv):
    p = argparse.ArgumentParser(prog="e2e.sh", description="replicant beside redis-server")
    p.add_argument("--keys", type=int, help="strings to load (default 1000000)")
    p.add_argument("--mixed", type=int, help="keys of each aggregate type (default keys/100)")
    p.add_argument("--rounds", type=int, help="rounds; figures are medians (default 5)")
    p.add_argument("--quick", action="store_true", help="small sizes for a CI smoke run")
    p.add_argument("--duration", type=float, help="seconds per redis-benchmark run (default 1)")
    p.add_argument("--requests", type=int, help="fixed requests per run instead of --duration")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--pipelines", default="1,16")
    p.add_argument("--tests", default=DEFAULT_TESTS,
                   help="comma-separated, of: %s" % ",".join(TESTS))
    p.add_argument("--out", default=os.path.join("artifacts", "e2e"))
    p.add_argument("--replicant", default=os.environ.get("REPLICANT") or "./replicant")
    p.add_argument("--replicant-args", default="", help="extra arguments for replicant")
    p.add_argument("--redis-server", default=os.environ.get("REDIS_SERVER") or "redis-server")
    p.add_argument("--redis-benchmark",
                   default=os.environ.get("REDIS_BENCHMARK") or "redis-benchmark")
    p.add_argument("--no-pin", action="store_true", help="do not pin with taskset")
    p.add_argument("--no-streams", action="store_true",
                   help="leave streams and HyperLogLogs out of the mixed data set")
    a = p.parse_args(argv)
    if a.quick:
        a.keys = a.keys or 10000
        a.mixed = a.mixed or 100
        a.rounds = a.rounds or 1
        a.duration = a.duration or 0.1
        a.requests = a.requests or 2000
    a.keys = a.keys if a.keys is not None else 1000000
    a.mixed = a.mixed if a.mixed is not None else max(100, a.keys // 100)
    a.rounds = a.rounds or 5
    a.duration = a.duration or 1.0
    a.pipelines = [int(x) for x in a.pipelines.split(",") if x]
    if a.keys < 1 or a.mixed < 1 or a.rounds < 1 or not a.pipelines:
        p.error("--keys, --mixed, --rounds and --pipelines must be positive")
    a.tests = [t.strip().upper() for t in a.tests.split(",") if t.strip()]
    for t in a.tests:
        if t not in TESTS:
            p.error("unknown test %s (known: %s)" % (t, ",".join(TESTS)))
    for prog in (a.redis_server, a.redis_benchmark, a.replicant):
        if shutil.which(prog) is None:
            p.error("%s: not found or not executable (set REPLICANT, REDIS_SERVER or the "
                    "options)" % prog)
    return a


def main(argv):
    args = parse_args(argv)
    ctx = Context()
    ctx.args = args
    ctx.tests = args.tests
    os.makedirs(args.out, exist_ok=True)
    cpus = sorted(os.sched_getaffinity(0))
    if args.no_pin or len(cpus) < 2 or shutil.which("taskset") is None:
        server_cpu = ctx.client_cpu = None
    else:
        server_cpu, ctx.client_cpu = cpus[0], cpus[1]

    # Absolute: the servers run in temporary directories.
    redis_path = os.path.abspath(shutil.which(args.redis_server))
    repl_path = os.path.abspath(shutil.which(args.replicant))
    repl_extra = shlex.split(args.replicant_args)
    # replicant's --version is not relied upon: an unknown flag could start a server.
    # (Debian's redis-server is a link to redis-check-rdb: look at the name as given too.)
    repl_is_redis = any("redis-server" in os.path.basename(p)
                        for p in (args.replicant, repl_path, os.path.realpath(repl_path)))
    if repl_is_redis:
        # An A/A run: a redis-server on the replicant side must not save to disk either.
        repl_extra = ["--save", "", "--appendonly", "no"] + repl_extra

    ctx.a = Target("redis-server", lambda port: [redis_path, "--port", str(port), "--bind",
                                                 "127.0.0.1", "--save", "", "--appendonly",
                                                 "no", "--daemonize", "no"],
                   server_cpu, args.out)
    ctx.b = Target("replicant", lambda port: [repl_path, "--port", str(port), "--bind",
                                              "127.0.0.1", "--replica-read-only", "no"]
                   + repl_extra, server_cpu, args.out)
    ctx.targets = [ctx.a, ctx.b]
    for t in ctx.targets:
        if os.path.exists(t.log_path):
            os.unlink(t.log_path)

    started = datetime.datetime.now(datetime.timezone.utc)
    report = {
        "date": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "machine": {"nproc": os.cpu_count(), "cpu": cpu_model(), "kernel": os.uname().release,
                    "governor": governor(server_cpu), "server_cpu": server_cpu,
                    "client_cpu": ctx.client_cpu},
        "servers": {ctx.a.label: {"path": redis_path, "version": version_of(redis_path)},
                    ctx.b.label: {"path": repl_path, "version": version_of(repl_path)
                                  if repl_is_redis else "replicant"}},
        "config": {"keys": args.keys, "mixed": args.mixed, "rounds": args.rounds,
                   "duration": args.duration, "requests": args.requests,
                   "clients": args.clients, "pipelines": args.pipelines, "tests": ctx.tests},
        "sections": {},
    }
    md = []
    try:
        for t in ctx.targets:
            t.start()
            progress("%s on 127.0.0.1:%d, pid %d" % (t.label, t.port, t.proc.pid))
        report["servers"][ctx.a.label]["argv"] = ctx.a.argv(ctx.a.port)
        report["servers"][ctx.b.label]["argv"] = ctx.b.argv(ctx.b.port)
        for name, fn in SECTIONS:
            progress("section %s" % name)
            lines, data = fn(ctx)
            report["sections"][name] = data
            md += [""] + lines
    finally:
        for t in ctx.targets:
            t.stop()

    m = report["machine"]
    head = ["# replicant beside redis-server, %s" % report["date"], "",
            "- machine: %d CPUs, %s, kernel %s, governor %s" % (m["nproc"], m["cpu"],
                                                               m["kernel"], m["governor"]),
            "- pinning: %s" % ("servers on CPU %d, redis-benchmark on CPU %d" % (
                server_cpu, ctx.client_cpu) if server_cpu is not None else "none"),
            "- %s: %s (%s)" % (ctx.a.label, redis_path, report["servers"][ctx.a.label]["version"]),
            "- %s: %s (%s)" % (ctx.b.label, repl_path, report["servers"][ctx.b.label]["version"]),
            "- data: %s strings of 16 bytes; %s keys of each of hash (%d fields), list (%d), "
            "set (%d), zset (%d), string with TTL; %s; "
            "TTLs on half the aggregates" % ("{:,}".format(args.keys), "{:,}".format(args.mixed),
                                              HASH_FIELDS, LIST_LEN, SET_MEMBERS, ZSET_MEMBERS,
                                              "no streams or HyperLogLogs" if args.no_streams
                                              else "streams and HyperLogLogs on every 10th"),
            "- ratio = %s / %s (above 1: more rps, or more time, CPU or memory)" % (
                ctx.b.label, ctx.a.label)]
    text = "\n".join(head + md) + "\n"
    with open(os.path.join(args.out, "e2e.md"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(args.out, "e2e.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, default=str)
        f.write("\n")
    sys.stdout.write(text)
    progress("saved %s and %s" % (os.path.join(args.out, "e2e.md"),
                                  os.path.join(args.out, "e2e.json")))
    return 0


def on_term(signum, frame):
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, on_term)
signal.signal(signal.SIGHUP, on_term)
try:
    sys.exit(main(sys.argv[1:]))
except KeyboardInterrupt:
    print("e2e: interrupted", file=sys.stderr)
    sys.exit(130)
EOF
