#!/bin/sh
# profile.sh: profiles one benchmark of the benchmark programs and prints a text top 20.
#
#   perf/profile.sh [--kind cpu|mem|allocs] [--out DIR] [--benchtime T] [--tool perf|callgrind]
#                   BENCHMARK PROG...
#
# BENCHMARK is a name as the programs print it without the -P suffix (BenchmarkStorageSet, or
# BenchmarkStorageSet/ttl); it selects that benchmark and its sub-benchmarks, or, when no name
# matches, is used as a -bench regular expression. The first PROG whose -list shows it is run:
# first natively (its ns/op, B/op and allocs/op, from the harness's counters), then under the
# profiler chosen by --kind:
#   cpu     perf record -g (DWARF call graphs) when this machine's perf can count instructions,
#           else callgrind,
#           which counts only the timed region (the harness toggles collection) and prints
#           instructions per op, the measure that repeats on a noisy machine; top 20 functions
#           by self and by inclusive cost.
#   mem     valgrind massif: the heap over time and the tree of the peak snapshot.
#   allocs  the harness's B/op and allocs/op, and valgrind dhat's top 20 allocation sites.
# Under valgrind the benchmark runs a fixed count (-benchtime Nx, about 20 ms of native time
# unless --benchtime says otherwise). Everything goes to DIR (default artifacts/profiles), named
# after the benchmark; the printed summary is also saved as <name>.<kind>.txt there.
# `make profile bench=NAME [kind=...]` runs this from the build directory.
set -u

usage() {
	echo "usage: $0 [--kind cpu|mem|allocs] [--out DIR] [--benchtime T] [--tool perf|callgrind] BENCHMARK PROG..." >&2
	exit 2
}

die() {
	echo "$0: $*" >&2
	exit 1
}

kind=cpu
out=artifacts/profiles
benchtime=
tool=
while [ $# -gt 0 ]; do
	case $1 in
	--kind|--out|--benchtime|--tool)
		[ $# -ge 2 ] || usage
		case $1 in
		--kind) kind=$2 ;;
		--out) out=$2 ;;
		--benchtime) benchtime=$2 ;;
		--tool) tool=$2 ;;
		esac
		shift 2
		;;
	-h|--help) usage ;;
	-*) echo "$0: unknown option $1" >&2; usage ;;
	*) break ;;
	esac
done
[ $# -ge 2 ] || usage
bench=$1
shift
case $kind in
cpu|mem|allocs) ;;
*) die "unknown kind '$kind' (cpu, mem or allocs)" ;;
esac
case $tool in
''|perf|callgrind) ;;
*) die "unknown tool '$tool' (perf or callgrind)" ;;
esac

# The exact name and its sub-benchmarks: escape the ERE metacharacters of the name.
escaped=$(printf '%s' "$bench" | sed 's/[].[^$\\*+?(){}|]/\\&/g')
prog=
regex=
for candidate in "^$escaped(/|\$)" "$bench"; do
	for p in "$@"; do
		case $p in
		*/*) path=$p ;;
		*) path=./$p ;;
		esac
		[ -x "$path" ] || die "$p: not built (run make first)"
		names=$("$path" -list "$candidate" 2>/dev/null) || continue
		if [ -n "$names" ]; then
			prog=$path
			regex=$candidate
			break 2
		fi
	done
done
[ -n "$prog" ] || die "no benchmark program has a benchmark matching '$bench'"
nbench=$(printf '%s\n' "$names" | wc -l)

safe=$(printf '%s' "$bench" | tr -c 'A-Za-z0-9_.-' '_')
mkdir -p "$out" || exit 1
summary=$out/$safe.$kind.txt
: >"$summary"

# say: prints and appends to the summary.
say() {
	printf '%s\n' "$*" | tee -a "$summary"
}

have() {
	command -v "$1" >/dev/null 2>&1
}

say "# $kind profile of $bench: $prog -bench '$regex' ($nbench benchmark(s))"
say "# native run, harness counters per op:"
"$prog" -bench "$regex" -benchtime 300ms >"$out/$safe.bench.txt" || die "$prog failed"
grep '^Benchmark' "$out/$safe.bench.txt" | tee -a "$summary"

# Iterations for a valgrind run: about 20 ms of native time, at least 10, at most 10^6.
if [ -n "$benchtime" ]; then
	vg_benchtime=$benchtime
else
	vg_benchtime=$(awk '
		/^Benchmark/ { for (i = 3; i < NF; i++) if ($(i + 1) == "ns/op" && $i > max) max = $i }
		END {
			n = max > 0 ? int(2e7 / max) : 1000
			if (n < 10) n = 10
			if (n > 1000000) n = 1000000
			print n "x"
		}' "$out/$safe.bench.txt")
fi
vg_n=$(printf '%s' "$vg_benchtime" | sed -n 's/^\([0-9][0-9]*\)x$/\1/p')

# Top 20 functions of callgrind_annotate, as file:function without directories or object,
# leaving out zero costs and the frames every benchmark has (libc start, main, the harness).
cg_top() {
	callgrind_annotate --auto=no --threshold=100 "$@" | awk '
		/file:function/ { on = 1; getline; next }
		on && /^[[:space:]]*$/ { exit }
		on && $1 != "." { sub(/ \[[^]]*\]$/, ""); print }' |
	    sed 's|  [^ ]*/\([^/ ]*:\)|  \1|' |
	    grep -v -E '  (bench\.c:|[^ ]*:main$|[^ ]*:\(below main\)|[^ ]*:__libc_start|\?\?\?:)' |
	    head -20
}

perf_counts() {
	have perf && perf stat -x, -e instructions -- true 2>&1 >/dev/null |
	    awk -F, '/instructions/ { if ($1 ~ /^[0-9]+$/) ok = 1 } END { exit !ok }'
}

# Top 20 of a perf report, without its empty trailing columns and the harness's frames.
perf_top() {
	perf report -i "$1" --stdio -g none --sort symbol "$2" 2>/dev/null >"$3"
	grep -v -e '^#' -e '^[[:space:]]*$' "$3" |
	    sed 's/[[:space:]]*-[[:space:]]*-[[:space:]]*$//' |
	    grep -v -E '\] (bench_main|main|_start|__libc_start[a-z_]*|measure|timed_run)( \(inlined\))?$' |
	    head -20
}

profile_cpu_perf() {
	event=
	perf_counts || event="-e cpu-clock"
	data=$out/$safe.perf.data
	# DWARF unwinding: -O2 code has no frame pointers, so -g alone loses the callers.
	say "# perf record --call-graph dwarf ${event:-(cycles)} for ${benchtime:-1s}"
	# shellcheck disable=SC2086
	perf record -q --call-graph dwarf $event -o "$data" -- "$prog" -bench "$regex" \
	    -benchtime "${benchtime:-1s}" >/dev/null || die "perf record failed"
	say "# top 20 by self cost"
	perf_top "$data" --no-children "$out/$safe.perf-self.txt" | tee -a "$summary"
	say "# top 20 by inclusive cost (children included)"
	perf_top "$data" --children "$out/$safe.perf-inclusive.txt" | tee -a "$summary"
	say "# full report: perf report -i $data"
}

profile_cpu_callgrind() {
	have valgrind || die "neither a usable perf nor valgrind is installed"
	cg=$out/$safe.callgrind.out
	say "# valgrind --tool=callgrind, -benchtime $vg_benchtime, timed region only"
	valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$cg" \
	    --log-file="$out/$safe.callgrind.log" \
	    "$prog" -bench "$regex" -benchtime "$vg_benchtime" >/dev/null ||
	    die "callgrind failed: see $out/$safe.callgrind.log"
	total=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$cg" | head -1)
	if [ "${total:-0}" -eq 0 ]; then
		# Built without valgrind/callgrind.h: collect inside the harness's timed calls.
		say "# (no collection toggles in this build: counting whole benchmark calls)"
		valgrind --tool=callgrind --toggle-collect='timed_run*' --callgrind-out-file="$cg" \
		    --log-file="$out/$safe.callgrind.log" \
		    "$prog" -bench "$regex" -benchtime "$vg_benchtime" >/dev/null ||
		    die "callgrind failed: see $out/$safe.callgrind.log"
		total=$(sed -n 's/^\(summary\|totals\): *\([0-9]*\).*/\2/p' "$cg" | head -1)
	fi
	if [ -n "$vg_n" ]; then
		# The harness runs n = 1 before n = N, for each selected benchmark.
		say "# instructions per op: $(awk -v t="$total" -v n="$vg_n" -v k="$nbench" \
		    'BEGIN { printf "%.1f", t / ((n + 1) * k) }') (Ir $total over $nbench x ($vg_n + 1) ops)"
	fi
	say "# top 20 by self cost (Ir)"
	cg_top "$cg" | tee -a "$summary"
	say "# top 20 by inclusive cost (Ir)"
	cg_top --inclusive=yes "$cg" | tee -a "$summary"
	say "# more: callgrind_annotate $cg (or kcachegrind)"
}

profile_mem() {
	have valgrind || die "valgrind is required for kind=mem"
	ms=$out/$safe.massif.out
	say "# valgrind --tool=massif, -benchtime $vg_benchtime (whole process: setup included)"
	valgrind --tool=massif --massif-out-file="$ms" --log-file="$out/$safe.massif.log" \
	    "$prog" -bench "$regex" -benchtime "$vg_benchtime" >/dev/null ||
	    die "massif failed: see $out/$safe.massif.log"
	ms_print "$ms" >"$out/$safe.massif.txt"
	awk '/^ *[KMG]?B$/ { on = 1 } on { print } /Detailed snapshots:/ { exit }' \
	    "$out/$safe.massif.txt" | tee -a "$summary"
	peak=$(sed -n 's/.*Detailed snapshots:.*[[ ]\([0-9][0-9]*\) (peak).*/\1/p' \
	    "$out/$safe.massif.txt")
	if [ -n "$peak" ]; then
		say "# peak snapshot $peak: where the heap was allocated (first 20 lines of the tree)"
		awk -v peak="$peak" '
			/^ *n +time/ { table = 1; next }
			table && $1 == peak && $2 ~ /^[0-9,]+$/ { print; found = 1; next }
			found && /^---/ { exit }
			found && /^[[:space:]]*$/ { exit }
			found && n++ < 20 { print }' "$out/$safe.massif.txt" | tee -a "$summary"
	fi
	say "# full report: $out/$safe.massif.txt"
}

profile_allocs() {
	say "# B/op and allocs/op above come from the harness's counters (timed region only)"
	if ! have valgrind; then
		say "# (valgrind not installed: no allocation sites)"
		return
	fi
	dh=$out/$safe.dhat.json
	say "# valgrind --tool=dhat, -benchtime $vg_benchtime"
	valgrind --tool=dhat --num-callers=40 --dhat-out-file="$dh" \
	    --log-file="$out/$safe.dhat.log" \
	    "$prog" -bench "$regex" -benchtime "$vg_benchtime" >/dev/null ||
	    die "dhat failed: see $out/$safe.dhat.log"
	"${PYTHON3:-python3}" - "$dh" <<'EOF' | tee -a "$summary"
import json
import re
import sys

# Frames of the allocator itself: a site is named by the first frame past them.
ALLOC = {"malloc", "calloc", "realloc", "free", "reallocarray", "xmalloc", "xcalloc",
         "xrealloc", "xstrdup", "xstrndup", "strdup", "strndup"}
d = json.load(open(sys.argv[1]))
ftbl = d["ftbl"]


def frame(i):
    m = re.match(r"0x[0-9A-Fa-f]+: (.+?) \((.*)\)$", ftbl[i])
    if not m:
        return ftbl[i], ""
    where = m.group(2)
    if where.startswith("in "):
        where = where.rsplit("/", 1)[-1]
    return m.group(1), where


sites = {}
outside = [0, 0]
for pp in d["pps"]:
    chain = [frame(i) for i in pp["fs"]]
    # Only allocations made inside a benchmark call (timed or its setup) name a site.
    if not any(f[0].startswith("timed_run") for f in chain):
        outside[0] += pp["tbk"]
        outside[1] += pp["tb"]
        continue
    while chain and chain[0][0] in ALLOC:
        chain.pop(0)
    key = " < ".join("%s (%s)" % f for f in chain[:3]) or "?"
    s = sites.setdefault(key, [0, 0])
    s[0] += pp["tbk"]
    s[1] += pp["tb"]
print("# top 20 allocation sites inside benchmark calls, by blocks (setup included)")
print("%10s %12s  %s" % ("blocks", "bytes", "site < caller < caller"))
for key, (blocks, nbytes) in sorted(sites.items(), key=lambda kv: -kv[1][0])[:20]:
    print("%10d %12d  %s" % (blocks, nbytes, key))
print("%10d %12d  (the harness, libc and start-up, outside benchmark calls)" % tuple(outside))
EOF
	say "# full profile: open $dh in /usr/libexec/valgrind/dh_view.html"
}

case $kind in
cpu)
	if [ "$tool" = perf ] || { [ -z "$tool" ] && perf_counts; }; then
		profile_cpu_perf
	else
		profile_cpu_callgrind
	fi
	;;
mem) profile_mem ;;
allocs) profile_allocs ;;
esac
echo "# saved $summary" >&2
