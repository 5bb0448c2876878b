/*
 * bench: a small benchmark harness in the manner of Go's testing.B.
 *
 * A benchmark is a function that runs its body b->n times. The harness calls it with growing n
 * until one call takes at least -benchtime, then prints one line in Go's benchmark format:
 *
 *   BenchmarkStorageGet/hit-2   12000000   85.3 ns/op   0 B/op   0 allocs/op
 *
 * B/op and allocs/op come from the allocator's counters (storage/base/mem.h) of the calling
 * thread, so they count what replicant's own code allocates through xmalloc and friends.
 * Flags (each program): -bench REGEX, -benchtime Ns|Nx (default 1s), -count N, -benchmem
 * (accepted; memory columns are always printed), -list.
 *
 * A program is a table of definitions and a main that hands it over:
 *
 *   static const struct bench_def benches[] = {
 *           { "BenchmarkNumParseI64/small", bench_parse_small },
 *   };
 *   int main(int argc, char **argv)
 *   { return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0])); }
 *
 * A benchmark runs its operation b->n times; setup before the loop is excluded with
 * bench_reset_timer (or bench_stop_timer/bench_start_timer around it). The harness calls the same
 * function several times with growing n, so setup must be repeatable.
 */
#ifndef REPLICANT_BENCH_H
#define REPLICANT_BENCH_H

#include <stdint.h>
#include <stddef.h>

#define BENCH_MAX_METRICS 4

struct bench {
	uint64_t n;		/* iterations this call must run */
	/* private to the harness */
	int timer_on;
	uint64_t start_ns;
	uint64_t elapsed_ns;
	uint64_t start_allocs, allocs;
	uint64_t start_bytes, bytes;
	uint64_t set_bytes;	/* bytes processed per op, for MB/s; 0 if unset */
	int nmetrics;
	const char *metric_units[BENCH_MAX_METRICS];
	double metric_values[BENCH_MAX_METRICS];
};

typedef void (*bench_fn)(struct bench *b);

struct bench_def {
	const char *name;	/* "BenchmarkRESPParser/pipelined", Go's naming */
	bench_fn fn;
};

/* Runs the benchmarks of defs[0..n) selected by the command-line flags. Returns the exit status. */
int bench_main(int argc, char **argv, const struct bench_def *defs, size_t n);

/* Zeroes the elapsed time, memory counters and reported metrics: call after expensive setup. */
void bench_reset_timer(struct bench *b);
/* Pauses and resumes timing and memory counting around work that is not the operation. */
void bench_stop_timer(struct bench *b);
void bench_start_timer(struct bench *b);
/* Declares that one operation processes n bytes, so the line also reports MB/s. */
void bench_set_bytes(struct bench *b, uint64_t n);
/*
 * Adds a column "v unit" to this run's result line, as Go's b.ReportMetric does: unit borrows a
 * string that must outlive the run (a literal), by convention ending in "/op" and divided by
 * b->n by the caller (e.g. "bytes/key"). Reporting a unit again replaces its value; "ns/op"
 * replaces the measured time. At most BENCH_MAX_METRICS units per benchmark.
 */
void bench_report_metric(struct bench *b, double v, const char *unit);

/* Keeps the compiler from deleting a computation whose result is otherwise unused. */
#define bench_keep(v) __asm__ __volatile__("" : : "g"(v) : "memory")

#endif
