/*
 * bench_match: benchmarks of glob matching (storage/match.c), one glob_match() call per op on
 * a pattern compiled once, as KEYS and SCAN MATCH use it: exact keys, literal prefixes, a
 * general pattern with brackets, and the explosive shapes Redis guards against (the "Automaton"
 * rows, after Go's name for them). The Raw rows run glob_match_raw(), which skips the compiled
 * filters, on the same inputs. Run `bench_match -h` for the flags; bench.h describes the harness.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/match.h"

/* A benchmark of a wrong answer measures nothing: stop. */
static void
expect(bool got, bool want, const char *pat, size_t plen)
{
	if (got != want) {
		fprintf(stderr, "bench_match: pattern %.*s: got %d\n", (int)plen, pat, got);
		abort();
	}
}

static void
run(struct bench *b, const char *pat, size_t plen, const char *s, size_t slen, bool want)
{
	struct glob g;

	glob_compile(&g, pat, plen, false);
	expect(glob_match(&g, s, slen), want, pat, plen);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		bool m = glob_match(&g, s, slen);

		bench_keep(m);
	}
}

static void
run_raw(struct bench *b, const char *pat, size_t plen, const char *s, size_t slen, bool want)
{
	expect(glob_match_raw(pat, plen, s, slen, false) != 0, want, pat, plen);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		int m = glob_match_raw(pat, plen, s, slen, false);

		bench_keep(m);
	}
}

#define RUN(b, pat, s, want) run(b, pat, strlen(pat), s, strlen(s), want)

static void
bench_simple_hit(struct bench *b)
{
	RUN(b, "user:1000", "user:1000", true);
}

static void
bench_simple_miss(struct bench *b)
{
	RUN(b, "user:1000", "user:1001", false);
}

static void
bench_simple_raw(struct bench *b)
{
	run_raw(b, "user:1000", 9, "user:1000", 9, true);
}

static void
bench_prefix_hit(struct bench *b)
{
	RUN(b, "user:*", "user:1000", true);
}

static void
bench_prefix_miss(struct bench *b)
{
	RUN(b, "user:*", "item:1000", false);
}

static void
bench_prefix_suffix(struct bench *b)
{
	RUN(b, "user:*:name", "user:1000:name", true);
}

static void
bench_glob_hit(struct bench *b)
{
	RUN(b, "u*r:[0-9]?0*", "user:1000", true);
}

static void
bench_glob_miss(struct bench *b)
{
	RUN(b, "u*r:[0-9]?0*", "user:x000", false);
}

static void
bench_glob_raw(struct bench *b)
{
	run_raw(b, "u*r:[0-9]?0*", 12, "user:1000", 9, true);
}

static void
bench_glob_compile(struct bench *b)
{
	static const char pat[] = "u*r:[0-9]?0*";

	for (uint64_t i = 0; i < b->n; i++) {
		struct glob g;

		glob_compile(&g, pat, sizeof pat - 1, false);
		bench_keep(&g);
	}
}

/* Buffers of 'a' for the automaton rows; patterns are built once. */
static char as[10000];
static char pat_buf[4096];

static size_t
repeat(const char *unit, int n, const char *tail)
{
	size_t ul = strlen(unit), tl = strlen(tail), len = 0;

	for (int i = 0; i < n; i++, len += ul)
		memcpy(pat_buf + len, unit, ul);
	memcpy(pat_buf + len, tail, tl);
	return len + tl;
}

static void
fill_as(void)
{
	memset(as, 'a', sizeof as);
}

static void
bench_automaton_stars(struct bench *b)
{
	fill_as();
	run(b, "*a*a*a*a*a*a*b", 14, as, 100, false);
}

static void
bench_automaton_stars_class(struct bench *b)
{
	fill_as();
	run(b, "*a*a*a*a*a*a*[b]", 16, as, 100, false);
}

static void
bench_automaton_stars_raw(struct bench *b)
{
	fill_as();
	run_raw(b, "*a*a*a*a*a*a*b", 14, as, 100, false);
}

static void
bench_automaton_stars_long(struct bench *b)
{
	fill_as();
	run(b, "*a*a*a*a*a*a*a*a*a*a*[b]", 24, as, sizeof as, false);
}

static void
bench_automaton_nesting(struct bench *b)
{
	size_t plen = repeat("*?", 1001, "");

	fill_as();
	run(b, pat_buf, plen, as, 2000, false);
}

static void
bench_automaton_quadratic(struct bench *b)
{
	size_t plen = repeat("a", 100, "[b]");

	memmove(pat_buf + 1, pat_buf, plen);
	pat_buf[0] = '*';
	fill_as();
	run(b, pat_buf, plen + 1, as, 1000, false);
}

static const struct bench_def benches[] = {
	{ "BenchmarkMatchPatternSimple/hit", bench_simple_hit },
	{ "BenchmarkMatchPatternSimple/miss", bench_simple_miss },
	{ "BenchmarkMatchPatternSimple/raw", bench_simple_raw },
	{ "BenchmarkMatchPatternPrefix/hit", bench_prefix_hit },
	{ "BenchmarkMatchPatternPrefix/miss", bench_prefix_miss },
	{ "BenchmarkMatchPatternPrefix/prefix_suffix", bench_prefix_suffix },
	{ "BenchmarkMatchPatternGlob/hit", bench_glob_hit },
	{ "BenchmarkMatchPatternGlob/miss", bench_glob_miss },
	{ "BenchmarkMatchPatternGlob/raw", bench_glob_raw },
	{ "BenchmarkMatchPatternGlob/compile", bench_glob_compile },
	{ "BenchmarkMatchPatternAutomaton/stars_100", bench_automaton_stars },
	{ "BenchmarkMatchPatternAutomaton/stars_class_100", bench_automaton_stars_class },
	{ "BenchmarkMatchPatternAutomaton/stars_raw_100", bench_automaton_stars_raw },
	{ "BenchmarkMatchPatternAutomaton/stars_class_10k", bench_automaton_stars_long },
	{ "BenchmarkMatchPatternAutomaton/nesting_cap_2000", bench_automaton_nesting },
	{ "BenchmarkMatchPatternAutomaton/quadratic_100x1000", bench_automaton_quadratic },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
