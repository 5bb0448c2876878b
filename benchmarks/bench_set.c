/*
 * bench_set: benchmarks of the set type (storage/t_set.c): SADD's insert and SISMEMBER's
 * lookup on a small intset (100 integers), a small listpack (100 short strings) and a large
 * hashtable (1M members). Run `bench_set -h` for the flags; bench.h describes the harness.
 *
 * SetAdd: one op adds one new member; a small set is rebuilt from empty every 100 adds (the
 * rebuild is part of the cost, as SADD on fresh keys pays it), the large one grows to 1M members
 * and is freed outside the timer. SetIsMember: one op is one lookup of a present member, the
 * members visited in a fixed shuffled order; the 1M-member set is built once per process.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "storage/base/mem.h"
#include "storage/t_set.h"

#define SMALL 100
#define LARGE 1000000
#define MEMBER_MAX 24

enum kind { K_INTSET, K_LISTPACK, K_HASHTABLE };

struct fixture {
	char (*ints)[MEMBER_MAX];	/* "0".."99" */
	char (*strs)[MEMBER_MAX];	/* "m0".."m99" */
	char (*large)[MEMBER_MAX];	/* "member:0000000".. */
	uint32_t *order;		/* a shuffled 0..LARGE-1 */
	struct tset small_is, small_lp, big;
	bool built;
};

static struct fixture fx;

static void
make_members(void)
{
	uint64_t x = 88172645463325252ULL;

	if (fx.ints != NULL)
		return;
	fx.ints = xmalloc(SMALL * sizeof *fx.ints);
	fx.strs = xmalloc(SMALL * sizeof *fx.strs);
	fx.large = xmalloc(LARGE * sizeof *fx.large);
	fx.order = xmalloc(LARGE * sizeof *fx.order);
	for (int i = 0; i < SMALL; i++) {
		snprintf(fx.ints[i], MEMBER_MAX, "%d", i);
		snprintf(fx.strs[i], MEMBER_MAX, "m%d", i);
	}
	for (uint32_t i = 0; i < LARGE; i++) {
		snprintf(fx.large[i], MEMBER_MAX, "member:%07u", i);
		fx.order[i] = i;
	}
	for (uint32_t i = LARGE - 1; i > 0; i--) {
		uint32_t j, t;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		j = (uint32_t)(x % (i + 1));
		t = fx.order[i];
		fx.order[i] = fx.order[j];
		fx.order[j] = t;
	}
}

/* Member i of the members of kind k. */
static const char *
member(enum kind k, size_t i)
{
	return k == K_INTSET ? fx.ints[i] : k == K_LISTPACK ? fx.strs[i] : fx.large[i];
}

static void
build(struct tset *t, enum kind k, size_t n)
{
	tset_init(t, member(k, 0), strlen(member(k, 0)), 1);
	for (size_t i = 0; i < n; i++)
		tset_add(t, member(k, i), strlen(member(k, i)));
}

static void
bench_add(struct bench *b, enum kind k)
{
	size_t cap = k == K_HASHTABLE ? LARGE : SMALL, i = 0;
	struct tset t;

	make_members();
	tset_init(&t, member(k, 0), strlen(member(k, 0)), 1);
	bench_reset_timer(b);
	for (uint64_t n = 0; n < b->n; n++) {
		if (i == cap) {
			if (k == K_HASHTABLE)
				bench_stop_timer(b);
			tset_free(&t);
			tset_init(&t, member(k, 0), strlen(member(k, 0)), 1);
			if (k == K_HASHTABLE)
				bench_start_timer(b);
			i = 0;
		}
		bench_keep(tset_add(&t, member(k, i), strlen(member(k, i))));
		i++;
	}
	bench_stop_timer(b);
	tset_free(&t);
}

static void
bench_ismember(struct bench *b, enum kind k)
{
	size_t cap = k == K_HASHTABLE ? LARGE : SMALL, j = 0;
	struct tset *t;

	make_members();
	if (!fx.built) {
		build(&fx.small_is, K_INTSET, SMALL);
		build(&fx.small_lp, K_LISTPACK, SMALL);
		build(&fx.big, K_HASHTABLE, LARGE);
		fx.built = true;
	}
	t = k == K_INTSET ? &fx.small_is : k == K_LISTPACK ? &fx.small_lp : &fx.big;
	bench_reset_timer(b);
	for (uint64_t n = 0; n < b->n; n++) {
		const char *s = member(k, fx.order[j] % cap);

		bench_keep(tset_has(t, s, strlen(s)));
		if (++j == LARGE)
			j = 0;
	}
}

static void
bench_add_intset(struct bench *b)
{
	bench_add(b, K_INTSET);
}

static void
bench_add_listpack(struct bench *b)
{
	bench_add(b, K_LISTPACK);
}

static void
bench_add_hashtable(struct bench *b)
{
	bench_add(b, K_HASHTABLE);
}

static void
bench_ismember_intset(struct bench *b)
{
	bench_ismember(b, K_INTSET);
}

static void
bench_ismember_listpack(struct bench *b)
{
	bench_ismember(b, K_LISTPACK);
}

static void
bench_ismember_hashtable(struct bench *b)
{
	bench_ismember(b, K_HASHTABLE);
}

static const struct bench_def benches[] = {
	{ "BenchmarkSetAdd/intset_100", bench_add_intset },
	{ "BenchmarkSetAdd/listpack_100", bench_add_listpack },
	{ "BenchmarkSetAdd/hashtable_1M", bench_add_hashtable },
	{ "BenchmarkSetIsMember/intset_100", bench_ismember_intset },
	{ "BenchmarkSetIsMember/listpack_100", bench_ismember_listpack },
	{ "BenchmarkSetIsMember/hashtable_1M", bench_ismember_hashtable },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
