/*
 * bench.c: the harness behind bench.h, with Go's testing.B semantics and output format.
 *
 * bench_main parses the flags, then runs each selected benchmark -count times. One measurement
 * calls the benchmark with n = 1, then predicts from the elapsed time how many iterations fill
 * -benchtime (x1.2, at most x100 the last n, rounded up to 1, 2, 3 or 5 x 10^k) and calls it again,
 * until a call lasts at least -benchtime; with -benchtime Nx the second call runs exactly N.
 * Each result is one line in `go test -bench` format, after Go's header (goos, goarch, pkg, cpu)
 * and before Go's closing PASS / ok lines, so benchstat and perf/compare.sh read the output as is.
 *
 * Only the timed region counts: the clock (CLOCK_MONOTONIC) and the calling thread's allocator
 * counters (storage/base/mem.h) are sampled at each timer start and stop. When the build sees
 * valgrind's callgrind.h, the same start and stop toggle callgrind's cost collection, so
 * perf/profile.sh (callgrind with --collect-atstart=no) profiles exactly what is timed.
 */
#include <sys/utsname.h>

#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_CALLGRIND_TOGGLE() CALLGRIND_TOGGLE_COLLECT
#endif
#endif
#ifndef BENCH_CALLGRIND_TOGGLE
#define BENCH_CALLGRIND_TOGGLE() do { } while (0)
#endif

#define NS_PER_SEC	1000000000ULL
#define MAX_N		1000000000ULL	/* Go's cap on b.N */

struct bench_opts {
	const char *pattern;		/* -bench; NULL selects every benchmark */
	uint64_t benchtime_ns;		/* -benchtime as a duration */
	uint64_t benchtime_n;		/* -benchtime Nx; 0 when a duration was given */
	unsigned long count;		/* -count */
	bool list;			/* -list: print the selected names only */
};

static uint64_t now_ns(void);
static uint64_t round_up_125(uint64_t n);
static bool parse_duration(const char *s, uint64_t *ns);
static bool parse_benchtime(const char *s, struct bench_opts *o);
static int parse_flags(int argc, char **argv, struct bench_opts *o);
static void usage(FILE *f, const char *prog);
static void print_header(const char *prog);
static void print_value(double x, const char *unit);
static void print_result(const struct bench *b);
static void timed_run(struct bench *b, bench_fn fn, uint64_t n);
static void measure(struct bench *b, bench_fn fn, const struct bench_opts *o);

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Rounds n up to 1, 2, 3 or 5 times a power of ten, as Go's testing package did. */
static uint64_t
round_up_125(uint64_t n)
{
	uint64_t base = 1;

	while (base <= n / 10)
		base *= 10;
	if (n <= base)
		return base;
	if (n <= 2 * base)
		return 2 * base;
	if (n <= 3 * base)
		return 3 * base;
	if (n <= 5 * base)
		return 5 * base;
	return 10 * base;
}

/* Parses a Go duration such as "1s", "500ms", "1.5s", "2m30s" or "0". */
static bool
parse_duration(const char *s, uint64_t *ns)
{
	static const struct {
		const char *name;
		double ns;
	} units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 },
		{ "s", 1e9 }, { "m", 60e9 }, { "h", 3600e9 },
	};
	double total = 0;

	if (strcmp(s, "0") == 0) {
		*ns = 0;
		return true;
	}
	if (*s == '\0')
		return false;
	while (*s != '\0') {
		char *end;
		double v;
		size_t best = 0, best_len = 0;

		if ((*s < '0' || *s > '9') && *s != '.')
			return false;
		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno != 0 || v < 0)
			return false;
		s = end;
		/* Longest unit name that matches, so "ms" is not read as "m" then "s". */
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t len = strlen(units[i].name);

			if (len > best_len && strncmp(s, units[i].name, len) == 0) {
				best = i;
				best_len = len;
			}
		}
		if (best_len == 0)
			return false;
		total += v * units[best].ns;
		s += best_len;
	}
	if (total > 1e18)
		return false;
	*ns = (uint64_t)total;
	return true;
}

static bool
parse_benchtime(const char *s, struct bench_opts *o)
{
	size_t len = strlen(s);

	if (len > 1 && s[len - 1] == 'x') {
		char *end;
		unsigned long long n;

		if (s[0] < '0' || s[0] > '9')
			return false;
		errno = 0;
		n = strtoull(s, &end, 10);
		if (errno != 0 || end != s + len - 1 || n == 0)
			return false;
		o->benchtime_n = n;
		o->benchtime_ns = 0;
		return true;
	}
	if (!parse_duration(s, &o->benchtime_ns))
		return false;
	o->benchtime_n = 0;
	return true;
}

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
	    "usage: %s [-bench regexp] [-benchtime d|Nx] [-count n] [-benchmem] [-list [regexp]]\n"
	    "  -bench regexp   run the benchmarks whose name matches (POSIX ERE; default all)\n"
	    "  -benchtime d    run each benchmark for at least d (1s, 500ms) or exactly Nx times\n"
	    "  -count n        run each benchmark n times (default 1)\n"
	    "  -benchmem       accepted for go test compatibility (memory is always reported)\n"
	    "  -list [regexp]  print the names of the selected benchmarks and exit\n", prog);
}

/*
 * Accepts -flag value, -flag=value, --flag and Go's -test.flag spellings. Returns -1 when the
 * benchmarks should run, or the exit status to return at once (0 after -h, 2 on a bad flag).
 */
static int
parse_flags(int argc, char **argv, struct bench_opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		char name[32];
		size_t len;

		if (arg[0] != '-' || arg[1] == '\0') {
			fprintf(stderr, "%s: unexpected argument: %s\n", argv[0], arg);
			goto bad;
		}
		arg += arg[1] == '-' ? 2 : 1;
		if (strncmp(arg, "test.", 5) == 0)
			arg += 5;
		len = strcspn(arg, "=");
		if (len >= sizeof(name)) {
			fprintf(stderr, "%s: unknown flag: %s\n", argv[0], argv[i]);
			goto bad;
		}
		memcpy(name, arg, len);
		name[len] = '\0';
		val = arg[len] == '=' ? arg + len + 1 : NULL;

		if (strcmp(name, "h") == 0 || strcmp(name, "help") == 0) {
			usage(stdout, argv[0]);
			return 0;
		}
		if (strcmp(name, "benchmem") == 0)
			continue;
		if (strcmp(name, "list") == 0) {
			o->list = true;
			/* Go's -list takes a pattern; here it is optional and falls back to -bench. */
			if (val == NULL && i + 1 < argc && argv[i + 1][0] != '-')
				val = argv[++i];
			if (val != NULL)
				o->pattern = val;
			continue;
		}
		if (strcmp(name, "bench") != 0 && strcmp(name, "benchtime") != 0 &&
		    strcmp(name, "count") != 0) {
			fprintf(stderr, "%s: unknown flag: %s\n", argv[0], argv[i]);
			goto bad;
		}
		if (val == NULL) {
			if (i + 1 >= argc) {
				fprintf(stderr, "%s: flag needs an argument: %s\n", argv[0], argv[i]);
				goto bad;
			}
			val = argv[++i];
		}
		if (strcmp(name, "bench") == 0) {
			o->pattern = val;
		} else if (strcmp(name, "benchtime") == 0) {
			if (!parse_benchtime(val, o)) {
				fprintf(stderr, "%s: invalid -benchtime %s (want a duration "
				    "like 1s or 500ms, or Nx)\n", argv[0], val);
				goto bad;
			}
		} else {
			char *end;

			errno = 0;
			o->count = strtoul(val, &end, 10);
			if (errno != 0 || *end != '\0' || end == val || val[0] == '-' ||
			    o->count == 0) {
				fprintf(stderr, "%s: invalid -count %s\n", argv[0], val);
				goto bad;
			}
		}
	}
	return -1;
bad:
	usage(stderr, argv[0]);
	return 2;
}

/* Go's header, printed once before the first result. */
static void
print_header(const char *prog)
{
	struct utsname u;
	const char *arch = "unknown";
	char line[512], *model = NULL;
	FILE *f;

	if (uname(&u) == 0) {
		if (strcmp(u.machine, "x86_64") == 0)
			arch = "amd64";
		else if (strcmp(u.machine, "aarch64") == 0)
			arch = "arm64";
		else if (strcmp(u.machine, "i686") == 0 || strcmp(u.machine, "i386") == 0)
			arch = "386";
		else
			arch = u.machine;
	}
	printf("goos: linux\ngoarch: %s\npkg: replicant/%s\n", arch, prog);
	if ((f = fopen("/proc/cpuinfo", "r")) != NULL) {
		while (fgets(line, sizeof(line), f) != NULL) {
			if (strncmp(line, "model name", 10) == 0 &&
			    (model = strchr(line, ':')) != NULL) {
				model += 1 + strspn(model + 1, " \t");
				model[strcspn(model, "\n")] = '\0';
				break;
			}
		}
		fclose(f);
		if (model != NULL)
			printf("cpu: %s\n", model);
	}
}

/* Go's prettyPrint: ten places for the whole part, four significant digits for small values. */
static void
print_value(double x, const char *unit)
{
	double y = x < 0 ? -x : x;

	if (y == 0 || y >= 999.95)
		printf("\t%10.0f %s", x, unit);
	else if (y >= 99.995)
		printf("\t%12.1f %s", x, unit);
	else if (y >= 9.9995)
		printf("\t%13.2f %s", x, unit);
	else if (y >= 0.99995)
		printf("\t%14.3f %s", x, unit);
	else if (y >= 0.099995)
		printf("\t%15.4f %s", x, unit);
	else if (y >= 0.0099995)
		printf("\t%16.5f %s", x, unit);
	else if (y >= 0.00099995)
		printf("\t%17.6f %s", x, unit);
	else
		printf("\t%18.7f %s", x, unit);
}

/* The part of a result line after the name, in the order Go prints it. */
static void
print_result(const struct bench *b)
{
	double ns = (double)b->elapsed_ns / (double)b->n;
	double secs = (double)b->elapsed_ns / 1e9;
	const char *units[BENCH_MAX_METRICS];
	int nunits = 0;

	printf("%8" PRIu64, b->n);
	for (int i = 0; i < b->nmetrics; i++)
		if (strcmp(b->metric_units[i], "ns/op") == 0)
			ns = b->metric_values[i];
	if (ns != 0)
		print_value(ns, "ns/op");
	if (b->set_bytes > 0 && secs > 0)
		printf("\t%7.2f MB/s", (double)b->set_bytes * (double)b->n / 1e6 / secs);
	/* Custom metrics sorted by unit, as Go sorts its Extra map. */
	for (int i = 0; i < b->nmetrics; i++) {
		const char *u = b->metric_units[i];
		int j;

		if (strcmp(u, "ns/op") == 0)
			continue;
		for (j = nunits; j > 0 && strcmp(units[j - 1], u) > 0; j--)
			units[j] = units[j - 1];
		units[j] = u;
		nunits++;
	}
	for (int k = 0; k < nunits; k++)
		for (int i = 0; i < b->nmetrics; i++)
			if (b->metric_units[i] == units[k])
				print_value(b->metric_values[i], units[k]);
	printf("\t%8" PRIu64 " B/op\t%8" PRIu64 " allocs/op\n", b->bytes / b->n, b->allocs / b->n);
}

void
bench_start_timer(struct bench *b)
{
	struct mem_counters c;

	if (b->timer_on)
		return;
	b->timer_on = 1;
	c = mem_thread_counters();
	b->start_allocs = c.allocs;
	b->start_bytes = c.bytes;
	BENCH_CALLGRIND_TOGGLE();
	b->start_ns = now_ns();
}

void
bench_stop_timer(struct bench *b)
{
	uint64_t t = now_ns();
	struct mem_counters c;

	if (!b->timer_on)
		return;
	BENCH_CALLGRIND_TOGGLE();
	c = mem_thread_counters();
	b->elapsed_ns += t - b->start_ns;
	b->allocs += c.allocs - b->start_allocs;
	b->bytes += c.bytes - b->start_bytes;
	b->timer_on = 0;
}

void
bench_reset_timer(struct bench *b)
{
	if (b->timer_on) {
		struct mem_counters c = mem_thread_counters();

		b->start_allocs = c.allocs;
		b->start_bytes = c.bytes;
		b->start_ns = now_ns();
	}
	b->elapsed_ns = 0;
	b->allocs = 0;
	b->bytes = 0;
	b->nmetrics = 0;
}

void
bench_set_bytes(struct bench *b, uint64_t n)
{
	b->set_bytes = n;
}

void
bench_report_metric(struct bench *b, double v, const char *unit)
{
	for (int i = 0; i < b->nmetrics; i++) {
		if (strcmp(b->metric_units[i], unit) == 0) {
			b->metric_values[i] = v;
			return;
		}
	}
	if (b->nmetrics == BENCH_MAX_METRICS) {
		fprintf(stderr, "bench: more than %d metrics reported\n", BENCH_MAX_METRICS);
		abort();
	}
	b->metric_units[b->nmetrics] = unit;
	b->metric_values[b->nmetrics] = v;
	b->nmetrics++;
}

/*
 * One call of the benchmark with b->n = n, timed from its start unless it stops the timer.
 * Kept out of line so that profiles name it as the harness's only way into a benchmark.
 */
static __attribute__((noinline)) void
timed_run(struct bench *b, bench_fn fn, uint64_t n)
{
	b->n = n;
	b->timer_on = 0;
	b->elapsed_ns = 0;
	b->allocs = 0;
	b->bytes = 0;
	b->nmetrics = 0;
	bench_start_timer(b);
	fn(b);
	bench_stop_timer(b);
}

/* Go's launch(): n = 1 first, then grow n until one run lasts -benchtime, or run exactly Nx. */
static void
measure(struct bench *b, bench_fn fn, const struct bench_opts *o)
{
	memset(b, 0, sizeof(*b));
	timed_run(b, fn, 1);
	if (o->benchtime_n > 0) {
		if (o->benchtime_n > 1)
			timed_run(b, fn, o->benchtime_n);
		return;
	}
	while (b->elapsed_ns < o->benchtime_ns && b->n < MAX_N) {
		uint64_t last = b->n, prev_ns = b->elapsed_ns ? b->elapsed_ns : 1;
		/* Multiply before dividing: for fast functions n and ns are close. */
		double want = (double)o->benchtime_ns * (double)last / (double)prev_ns;
		uint64_t n = want >= (double)MAX_N ? MAX_N : (uint64_t)want;

		n += n / 5;
		if (n > 100 * last)
			n = 100 * last;
		if (n < last + 1)
			n = last + 1;
		n = round_up_125(n);
		if (n > MAX_N)
			n = MAX_N;
		timed_run(b, fn, n);
	}
}

int
bench_main(int argc, char **argv, const struct bench_def *defs, size_t n)
{
	struct bench_opts o = { NULL, NS_PER_SEC, 0, 1, false };
	const char *prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	uint64_t t0 = now_ns();
	char procs[24] = "";
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	bool header = false, *selected;
	size_t width = 0;
	regex_t re;
	int rc;

	if ((rc = parse_flags(argc, argv, &o)) >= 0)
		return rc;
	if (o.pattern != NULL && strcmp(o.pattern, "") != 0) {
		if ((rc = regcomp(&re, o.pattern, REG_EXTENDED | REG_NOSUB)) != 0) {
			char msg[256];

			regerror(rc, &re, msg, sizeof(msg));
			fprintf(stderr, "%s: invalid regexp for -bench: %s: %s\n", argv[0],
			    o.pattern, msg);
			return 2;
		}
	} else {
		o.pattern = NULL;
	}
	/* Go appends -GOMAXPROCS to each name unless it is 1. */
	if (ncpu > 1)
		snprintf(procs, sizeof(procs), "-%ld", ncpu);
	/* Select up front and free the regex, so that its memory is not in heap profiles. */
	selected = xcalloc(n ? n : 1, sizeof(*selected));
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(defs[i].name) + strlen(procs);

		if (o.pattern != NULL && regexec(&re, defs[i].name, 0, NULL, 0) != 0)
			continue;
		selected[i] = true;
		if (o.list)
			printf("%s\n", defs[i].name);
		if (len > width)
			width = len;
	}
	if (o.pattern != NULL)
		regfree(&re);
	if (o.list)
		goto out;

	for (size_t i = 0; i < n; i++) {
		struct bench b;

		if (!selected[i])
			continue;
		if (!header) {
			print_header(prog);
			header = true;
		}
		for (unsigned long c = 0; c < o.count; c++) {
			char label[256];

			snprintf(label, sizeof(label), "%s%s", defs[i].name, procs);
			printf("%-*s\t", (int)width, label);
			fflush(stdout);
			measure(&b, defs[i].fn, &o);
			print_result(&b);
			fflush(stdout);
		}
	}
	if (!header)
		fprintf(stderr, "testing: warning: no tests to run\n");
	printf("PASS\nok  \treplicant/%s\t%.3fs\n", prog, (double)(now_ns() - t0) / 1e9);
out:
	xfree(selected);
	fflush(stdout);
	return 0;
}
