# perf/: scripts behind make bench, bench-all, profile and bench-compare.
# They run from the build directory and write only under its artifacts/ (out-of-tree and
# distcheck safe); docs/PERFORMANCE.md explains them and perf/e2e.sh (run by hand).
EXTRA_DIST += \
	%D%/bench.sh \
	%D%/compare.sh \
	%D%/profile.sh \
	%D%/e2e.sh

# make bench BENCHFLAGS='-bench Get -benchtime 100x'
BENCHFLAGS =
# make profile bench=BenchmarkName [kind=cpu|mem|allocs] [benchtime=1000x]
kind = cpu
benchtime =

.PHONY: bench bench-all profile bench-compare

bench: $(BENCH_PROGS)
	@$(SHELL) $(top_srcdir)/%D%/bench.sh $(BENCH_PROGS) -- $(BENCHFLAGS)

bench-all: $(BENCH_PROGS)
	@$(SHELL) $(top_srcdir)/%D%/bench.sh --save artifacts/bench --count 5 \
		$(BENCH_PROGS) -- $(BENCHFLAGS)

profile: $(BENCH_PROGS)
	@if test -z '$(bench)'; then \
		echo 'usage: make profile bench=BenchmarkName [kind=cpu|mem|allocs]' >&2; exit 2; fi
	@$(SHELL) $(top_srcdir)/%D%/profile.sh --kind '$(kind)' --out artifacts/profiles \
		--benchtime '$(benchtime)' '$(bench)' $(BENCH_PROGS)

bench-compare:
	@if test -z '$(base)' || test -z '$(head)'; then \
		echo 'usage: make bench-compare base=A.txt head=B.txt' >&2; exit 2; fi
	@$(SHELL) $(top_srcdir)/%D%/compare.sh --out artifacts/bench/benchstat.diff \
		'$(base)' '$(head)'
