#!/bin/sh
# bench.sh: runs benchmark programs (benchmarks/bench_*) and prints their Go-format results.
#
#   perf/bench.sh [--save DIR] [--count N] PROG... [-- FLAG...]
#
# Each PROG runs once with the FLAGs after "--" (the harness's -bench, -benchtime, -count ...).
# --count N passes -count N. --save DIR also writes each program's output to
# DIR/<subsystem>_bench.txt, subsystem being the program's name without "bench_" (bench_resp ->
# DIR/resp_bench.txt), the files perf/compare.sh and benchstat read. `make bench` runs every
# program once; `make bench-all` runs --save artifacts/bench --count 5. Exits non-zero if a
# program fails; the others still run.
set -u

usage() {
	echo "usage: $0 [--save DIR] [--count N] PROG... [-- FLAG...]" >&2
	exit 2
}

save=
count=
progs=
nprogs=0
while [ $# -gt 0 ]; do
	case $1 in
	--save)
		[ $# -ge 2 ] || usage
		save=$2
		shift 2
		;;
	--count)
		[ $# -ge 2 ] || usage
		count=$2
		shift 2
		;;
	--)
		shift
		break
		;;
	-h|--help)
		usage
		;;
	-*)
		echo "$0: unknown option $1" >&2
		usage
		;;
	*)
		# Program paths never contain newlines; keep them in a newline-separated list.
		progs="$progs$1
"
		nprogs=$((nprogs + 1))
		shift
		;;
	esac
done
[ "$nprogs" -gt 0 ] || usage
# What is left in "$@" are the harness flags.
if [ -n "$count" ]; then
	set -- -count "$count" "$@"
fi
if [ -n "$save" ]; then
	mkdir -p "$save" || exit 1
fi

status=0
old_ifs=$IFS
IFS='
'
for prog in $progs; do
	IFS=$old_ifs
	case $prog in
	*/*) path=$prog ;;
	*) path=./$prog ;;
	esac
	if [ ! -x "$path" ]; then
		echo "$0: $prog: not built (run make first)" >&2
		status=1
		continue
	fi
	name=$(basename "$prog")
	if [ -n "$save" ]; then
		out="$save/${name#bench_}_bench.txt"
		# The pipe hides the program's status: keep it in a file beside the output.
		{ "$path" "$@"; echo $? >"$out.rc"; } | tee "$out.tmp"
		rc=$(cat "$out.rc")
		rm -f "$out.rc"
		if [ "$rc" -eq 0 ]; then
			mv "$out.tmp" "$out"
			echo "# saved $out" >&2
		else
			rm -f "$out.tmp"
		fi
	else
		"$path" "$@"
		rc=$?
	fi
	if [ "$rc" -ne 0 ]; then
		echo "$0: $prog exited with status $rc" >&2
		status=1
	fi
done
exit $status
