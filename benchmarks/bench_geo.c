/*
 * bench_geo.c: GEOSEARCH's storage step on a 100k-point zset (a skip list): BYRADIUS and
 * BYBOX around a fixed centre, sized to find about 100 points, then sorted by distance as
 * GEOSEARCH ... ASC does. Reports points/op alongside ns/op, B/op and allocs/op (the result
 * array and the copied member names are the allocations).
 */
#include <stdio.h>

#include "benchmarks/bench.h"
#include "storage/geo.h"
#include "storage/obj.h"
#include "storage/t_zset.h"

#define NPOINTS 100000

/* Deterministic points: xorshift64*, uniform over 10 x 10 degrees of central Europe. */
static struct tzset
make_index(void)
{
	struct tzset z = tzset_new(NPOINTS, 0);
	uint64_t s = 0x9E3779B97F4A7C15ULL;

	for (size_t i = 0; i < NPOINTS; i++) {
		char m[32];
		int len = snprintf(m, sizeof m, "poi:%06zu", i);
		double lon, lat;
		int out;

		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		lon = 5.0 + (double)((s * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0 * 10;
		s ^= s >> 12;
		s ^= s << 25;
		s ^= s >> 27;
		lat = 43.0 + (double)((s * 0x2545F4914F6CDD1DULL) >> 11) / 9007199254740992.0 * 10;
		tzset_add(&z, (double)geo_score(lon, lat), m, (size_t)len, 0, &out, NULL);
	}
	return z;
}

static void
bench_search(struct bench *b, const struct geo_shape *shape)
{
	struct tzset z = make_index();
	size_t found = 0;

	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		struct geo_result r = { 0 };

		geo_search(&z, shape, 0, &r);
		geo_result_sort(&r, false, r.n);
		found += r.n;
		geo_result_free(&r);
	}
	bench_stop_timer(b);
	bench_report_metric(b, (double)found / (double)b->n, "points/op");
	tzset_payload_free(z.enc, z.p);
}

/* 100k points over ~870,000 km2: a 16.5 km radius holds about 100 of them. */
static void
bench_radius(struct bench *b)
{
	struct geo_shape s = { .kind = GEO_SHAPE_CIRCLE, .xy = { 10.0, 48.0 }, .conversion = 1000,
	    .radius = 16.5 };

	bench_search(b, &s);
}

static void
bench_box(struct bench *b)
{
	struct geo_shape s = { .kind = GEO_SHAPE_BOX, .xy = { 10.0, 48.0 }, .conversion = 1000,
	    .width = 29, .height = 29 };

	bench_search(b, &s);
}

static const struct bench_def benches[] = {
	{ "BenchmarkGeoSearch/byradius-100k", bench_radius },
	{ "BenchmarkGeoSearch/bybox-100k", bench_box },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, benches, sizeof(benches) / sizeof(benches[0]));
}
