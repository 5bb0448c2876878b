#!/bin/sh
# compare.sh: compares two sets of Go-format benchmark results, as benchstat does.
#
#   perf/compare.sh [--out FILE] [--alpha A] BASE.txt HEAD.txt
#
# BASE and HEAD are outputs of the benchmark programs (make bench-all saves them in
# artifacts/bench/), each benchmark usually repeated with -count 5 or more. For every metric
# (ns/op, B/op, allocs/op, MB/s and any custom unit) and benchmark name, prints the median of the
# old and the new samples with their spread (largest distance from the median, in %), the delta of
# the medians, and a two-sided Mann-Whitney U test over the samples: when p >= A (default 0.05)
# the delta column shows "~", as benchstat does: no difference can be claimed from these samples.
# Then the geometric mean of the ratios over the benchmarks present in both files. The report
# also goes to FILE (default artifacts/bench/benchstat.diff). Needs python3 only.
set -u
PYTHON=${PYTHON3:-python3}
command -v "$PYTHON" >/dev/null 2>&1 || { echo "$0: python3 is required" >&2; exit 1; }
exec "$PYTHON" - "$@" <<'EOF'
import math
import os
import re
import sys

USAGE = "usage: compare.sh [--out FILE] [--alpha A] BASE.txt HEAD.txt"

# Metrics in the order benchstat prints them; other units follow in name order.
ORDER = ["ns/op", "MB/s", "B/op", "allocs/op"]
TITLES = {"ns/op": "time/op", "MB/s": "speed", "B/op": "alloc/op", "allocs/op": "allocs/op"}
LINE = re.compile(r"^(Benchmark\S*)\s+(\d+)\s+(.*)$")


def parse(path):
    """Returns {unit: {name: [values...]}} and the names in first-seen order."""
    data, names = {}, []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = LINE.match(line.rstrip("\n"))
            if not m:
                continue
            name, fields = m.group(1), m.group(3).split()
            if len(fields) % 2:
                continue
            if name not in names:
                names.append(name)
            for i in range(0, len(fields), 2):
                try:
                    v = float(fields[i])
                except ValueError:
                    continue
                data.setdefault(fields[i + 1], {}).setdefault(name, []).append(v)
    return data, names


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def ranks(values):
    """Mid-ranks (1-based) of values, ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return r


def mann_whitney(xs, ys):
    """Two-sided p-value of the Mann-Whitney U test of xs against ys.

    Exact for small samples (the distribution of the rank sum of xs over every way of choosing
    len(xs) of the pooled mid-ranks, which also handles ties); a normal approximation with tie
    and continuity corrections beyond. Returns 1.0 when either sample is empty."""
    n1, n2 = len(xs), len(ys)
    if n1 == 0 or n2 == 0:
        return 1.0
    pooled = list(xs) + list(ys)
    r = ranks(pooled)
    n = n1 + n2
    w = sum(r[:n1])
    mean = n1 * (n + 1) / 2
    if n <= 30:
        # Doubled ranks are integers; count subsets of size n1 by their doubled rank sum.
        dr = [int(round(2 * x)) for x in r]
        total = sum(dr)
        ways = [[0] * (total + 1) for _ in range(n1 + 1)]
        ways[0][0] = 1
        for d in dr:
            for k in range(n1, 0, -1):
                row, prev = ways[k], ways[k - 1]
                for s in range(total, d - 1, -1):
                    if prev[s - d]:
                        row[s] += prev[s - d]
        obs = abs(2 * w - 2 * mean)
        extreme = sum(c for s, c in enumerate(ways[n1]) if c and abs(s - 2 * mean) >= obs - 1e-9)
        return min(1.0, extreme / math.comb(n, n1))
    u = w - n1 * (n1 + 1) / 2
    ties = {}
    for v in pooled:
        ties[v] = ties.get(v, 0) + 1
    t = sum(c ** 3 - c for c in ties.values())
    var = n1 * n2 / 12 * ((n + 1) - t / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u - n1 * n2 / 2) - 0.5) / math.sqrt(var)
    return min(1.0, math.erfc(max(z, 0) / math.sqrt(2)))


def fmt_value(v, unit):
    """Four significant digits with an SI-like scale, in the manner of benchstat."""
    if unit == "ns/op":
        for scale, suffix in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
            if abs(v) >= scale:
                return "%.4g%s" % (v / scale, suffix)
        return "%.4gns" % v
    if unit == "B/op":
        for scale, suffix in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
            if abs(v) >= scale:
                return "%.4g%s" % (v / scale, suffix)
        return "%.4gB" % v
    if unit == "MB/s":
        return "%.4gMB/s" % v
    return "%.4g" % v


def cell(xs, unit):
    if not xs:
        return "-"
    m = median(xs)
    spread = max(abs(x - m) for x in xs)
    pct = "±%.0f%%" % (100 * spread / m) if m else "±0%"
    return "%s %s" % (fmt_value(m, unit), pct)


def main(argv):
    out = os.path.join("artifacts", "bench", "benchstat.diff")
    alpha = 0.05
    args = []
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--out", "--alpha") and i + 1 < len(argv):
            if a == "--out":
                out = argv[i + 1]
            else:
                alpha = float(argv[i + 1])
            i += 2
            continue
        if a in ("-h", "--help") or a.startswith("-"):
            print(USAGE, file=sys.stderr)
            return 2
        args.append(a)
        i += 1
    if len(args) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    try:
        (old, old_names), (new, new_names) = parse(args[0]), parse(args[1])
    except OSError as e:
        print("compare.sh: %s" % e, file=sys.stderr)
        return 1
    if not old_names or not new_names:
        print("compare.sh: no benchmark results in %s" % (args[0] if not old_names else args[1]),
              file=sys.stderr)
        return 1
    names = old_names + [n for n in new_names if n not in old_names]
    units = [u for u in ORDER if u in old or u in new]
    units += sorted(u for u in set(old) | set(new) if u not in ORDER)

    lines = ["base: %s" % args[0], "head: %s" % args[1],
             "delta: change of the medians; ~ when the Mann-Whitney U test gives p >= %g" % alpha]
    for unit in units:
        rows, ratios = [], []
        for name in names:
            xs, ys = old.get(unit, {}).get(name, []), new.get(unit, {}).get(name, [])
            if not xs and not ys:
                continue
            delta, note = "", ""
            if xs and ys:
                p = mann_whitney(xs, ys)
                mo, mn = median(xs), median(ys)
                if mo > 0 and mn > 0:
                    ratios.append(mn / mo)
                if p >= alpha:
                    delta = "~"
                elif mo == 0:
                    delta = "+Inf%" if mn > 0 else "~"
                else:
                    delta = "%+.2f%%" % (100 * (mn - mo) / mo)
                note = "(p=%.3f n=%d+%d)" % (p, len(xs), len(ys))
            rows.append((re.sub(r"^Benchmark", "", name), cell(xs, unit), cell(ys, unit),
                         delta, note))
        if not rows:
            continue
        if len(ratios) > 1:
            g = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            rows.append(("[Geo mean]", "", "", "%+.2f%%" % (100 * (g - 1)), ""))
        title = TITLES.get(unit, unit)
        head = ("name", "old " + title, "new " + title, "delta", "")
        w = [max(len(r[k]) for r in rows + [head]) for k in range(5)]
        lines.append("")
        for r in [head] + rows:
            lines.append(("%-*s  %-*s  %-*s  %*s  %s" % (w[0], r[0], w[1], r[1], w[2], r[2],
                                                       w[3], r[3], r[4])).rstrip())
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    d = os.path.dirname(out)
    if d:
        os.makedirs(d, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    print("# saved %s" % out, file=sys.stderr)
    return 0


sys.exit(main(sys.argv[1:]))
EOF
