/*
 * check_geo: the geohash arithmetic and the search of storage/geo.c: scores and positions as
 * redis-server 7.0.15 computes them (values taken from a live server), the GEOHASH strings,
 * distances and their four-decimal text, coordinates' "human" text, neighbour cells across
 * the antimeridian and the poles, the step estimate, the cells of a search near the edges, and
 * the search itself against a brute-force scan.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/geo.h"
#include "storage/obj.h"
#include "storage/t_zset.h"

/* ---- scores, positions, geohash strings (expected values from redis-server 7.0.15) ---- */

static const struct {
	double lon, lat;
	uint64_t score;
	const char *hash;
} enc_cases[] = {
	{ 13.361389, 38.115556, 3479099956230698ULL, "sqc8b49rny0" },
	{ 15.087269, 37.502669, 3479447370796909ULL, "sqdtr74hyu0" },
};

START_TEST(test_encode_known)
{
	double xy[2];
	char h[GEO_HASH_STR_LEN];

	ck_assert_uint_eq(geo_score(enc_cases[_i].lon, enc_cases[_i].lat), enc_cases[_i].score);
	geo_hash_string((double)enc_cases[_i].score, h);
	ck_assert_int_eq(memcmp(h, enc_cases[_i].hash, GEO_HASH_STR_LEN), 0);
	geo_decode_score((double)enc_cases[_i].score, xy);
	ck_assert(fabs(xy[0] - enc_cases[_i].lon) < 1e-5);
	ck_assert(fabs(xy[1] - enc_cases[_i].lat) < 1e-5);
}
END_TEST

/* Any score decodes: GEOPOS / GEOHASH of members ZADD gave odd scores (x86-64 conversion). */
static const struct {
	double score;
	const char *lon, *lat, *hash;
} odd_cases[] = {
	{ 3479099956230698.0, "13.36138933897018433", "38.11555639549629859", "sqc8b49rny0" },
	{ -5.7, "180", "85.0511287799999991", "bp05b5048p0" },
	{ 1e19, "180", "85.0511287799999991", "bp05b5048p0" },
	{ 2e19, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200" },
	{ INFINITY, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200" },
	{ -INFINITY, "180", "-85.05112751263942528", "00bh0hbj200" },
	{ -1e19, "180", "-85.05112751263942528", "00bh0hbj200" },
	{ 4503599627370496.0, "-179.99999731779098511", "85.0511287799999991", "bp05b5048p0" },
	{ 9007199254740993.0, "180", "-85.05112751263942528", "00bh0hbj200" },
	{ 1e300, "-179.99999731779098511", "-85.05112751263942528", "00bh0hbj200" },
};

START_TEST(test_decode_odd_scores)
{
	char buf[400], h[GEO_HASH_STR_LEN];
	double xy[2];
	size_t n;

	geo_decode_score(odd_cases[_i].score, xy);
	n = geo_fmt_coord(buf, sizeof buf, xy[0]);
	ck_assert_str_eq((buf[n] = '\0', buf), odd_cases[_i].lon);
	n = geo_fmt_coord(buf, sizeof buf, xy[1]);
	ck_assert_str_eq((buf[n] = '\0', buf), odd_cases[_i].lat);
	geo_hash_string(odd_cases[_i].score, h);
	ck_assert_int_eq(memcmp(h, odd_cases[_i].hash, GEO_HASH_STR_LEN), 0);
}
END_TEST

/* Decoding the score of a point gives the centre of its cell: within half a cell. */
START_TEST(test_roundtrip)
{
	const double half_lon = 360.0 / (1 << 27), half_lat = 170.10225756 / (1 << 27);
	uint64_t s = 88172645463325252ULL;

	for (int i = 0; i < 20000; i++) {
		double lon, lat, xy[2];

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		lon = -180 + (double)(s >> 11) / 9007199254740992.0 * 360;
		lat = GEO_LAT_MIN + (double)((s * 2654435761ULL) >> 11) / 9007199254740992.0 *
		    (GEO_LAT_MAX - GEO_LAT_MIN);
		geo_decode_score((double)geo_score(lon, lat), xy);
		ck_assert_msg(fabs(xy[0] - lon) <= half_lon * 1.0000001, "lon %.17g -> %.17g", lon,
		    xy[0]);
		ck_assert_msg(fabs(xy[1] - lat) <= half_lat * 1.0000001, "lat %.17g -> %.17g", lat,
		    xy[1]);
		ck_assert(geo_score(lon, lat) < (1ULL << 52));
	}
}
END_TEST

/* The top edges: offset 2^26 sets a bit above the 52 (Redis keeps it), and still decodes to
 * the edge. Outside the limits nothing encodes. */
START_TEST(test_encode_limits)
{
	struct geo_hash h;
	double xy[2];

	ck_assert_uint_eq(geo_score(-180, GEO_LAT_MIN), 0);
	ck_assert(geo_score(180, 0) >= (1ULL << 52));
	geo_decode_score((double)geo_score(180, GEO_LAT_MAX), xy);
	ck_assert(xy[0] == 180 && xy[1] == GEO_LAT_MAX);
	ck_assert(!geo_encode_wgs84(180.0000001, 0, 26, &h));
	ck_assert(!geo_encode_wgs84(0, 85.06, 26, &h));
	ck_assert(!geo_encode_wgs84(0, 0, 0, &h));
	ck_assert(!geo_encode_wgs84(0, 0, 33, &h));
}
END_TEST

/* ---- distances and reply text ---- */

START_TEST(test_distance)
{
	char buf[32];
	size_t n;
	double pa[2], pb[2];

	geo_decode_score(3479099956230698.0, pa);
	geo_decode_score(3479447370796909.0, pb);
	n = geo_fmt_distance(buf, geo_distance(pa[0], pa[1], pb[0], pb[1]));
	ck_assert_str_eq((buf[n] = '\0', buf), "166274.1516");
	n = geo_fmt_distance(buf, geo_distance(pa[0], pa[1], pb[0], pb[1]) / 1000);
	ck_assert_str_eq((buf[n] = '\0', buf), "166.2742");
	ck_assert(geo_distance(pa[0], pa[1], pa[0], pa[1]) == 0);
	/* Same meridian: exactly the latitude formula. */
	ck_assert(geo_distance(10, 20, 10, 30) == geo_lat_distance(20, 30));
	ck_assert(fabs(geo_distance(0, 0, 180, 0) - M_PI * GEO_EARTH_RADIUS) < 1e-6);
	ck_assert(fabs(geo_distance(-179.5, 0, 179.5, 0) - geo_distance(0, 0, 1, 0)) < 1e-6);
}
END_TEST

static const struct {
	double d;
	const char *text;
} dist_text[] = {
	{ 0, "0.0000" }, { -0.0, "0.0000" }, { 0.00004, "0.0000" }, { 0.0001, "0.0001" },
	{ 6.0642951598391699e-05, "0.0001" }, { 0.01, "0.0100" }, { 0.775, "0.7750" },
	{ 1, "1.0000" }, { 1234.56789, "1234.5679" }, { 12.34565, "12.3456" },
	{ 20037508.342789244, "20037508.3428" }, { -0.01, "-0.0100" }, { -12.5, "-12.5000" },
};

START_TEST(test_fmt_distance)
{
	char buf[32];
	size_t n = geo_fmt_distance(buf, dist_text[_i].d);

	buf[n] = '\0';
	ck_assert_str_eq(buf, dist_text[_i].text);
}
END_TEST

static const struct {
	double d;
	const char *text;
} coord_text[] = {
	{ 0, "0" }, { -0.0, "0" }, { 1.5, "1.5" }, { -180, "-180" }, { 0.1, "0.10000000000000001" },
	{ 85.05112878, "85.0511287799999991" }, { INFINITY, "inf" }, { -INFINITY, "-inf" },
	{ 1e-18, "0" }, { -1e-18, "0" }, { 100, "100" },
};

START_TEST(test_fmt_coord)
{
	char buf[400];
	size_t n = geo_fmt_coord(buf, sizeof buf, coord_text[_i].d);

	buf[n] = '\0';
	ck_assert_str_eq(buf, coord_text[_i].text);
}
END_TEST

/* ---- cells ---- */

/* Neighbours wrap around: east of the last column is the first, north of the top row the
 * bottom row (Redis does not stop at the poles). */
START_TEST(test_neighbors_wrap)
{
	struct geo_hash h;
	struct geo_neighbors n;
	struct geo_area a, c;

	ck_assert(geo_encode_wgs84(179.99, 0, 10, &h));
	geo_neighbors(&h, &n);
	ck_assert(geo_decode_wgs84(n.east, &a));
	ck_assert(a.lon.min == -180);
	ck_assert(geo_decode_wgs84(n.north_east, &a));
	ck_assert(a.lon.min == -180);
	ck_assert(geo_decode_wgs84(n.west, &a) && geo_decode_wgs84(h, &c));
	ck_assert(a.lon.max == c.lon.min && a.lat.min == c.lat.min);

	ck_assert(geo_encode_wgs84(-179.99, 85.05, 10, &h));
	geo_neighbors(&h, &n);
	ck_assert(geo_decode_wgs84(n.north, &a));
	ck_assert(a.lat.min == GEO_LAT_MIN);
	ck_assert(geo_decode_wgs84(n.west, &a));
	ck_assert(a.lon.max == 180);
	ck_assert(geo_decode_wgs84(n.south, &a) && geo_decode_wgs84(h, &c));
	ck_assert(a.lat.max == c.lat.min && a.lon.min == c.lon.min);
	ck_assert_uint_eq(n.south.step, 10);
}
END_TEST

static const struct {
	double metres, lat;
	unsigned step;
} step_cases[] = {
	{ 0, 0, 26 }, { 1000, 0, 14 }, { 1000, 66, 14 }, { 1000, 70, 13 }, { 1000, -85, 12 },
	{ 1, 0, 24 }, { 0.001, 0, 26 }, { 5e6, 0, 2 }, { 1e7, 0, 1 }, { 1e7, 85, 1 },
	{ INFINITY, 0, 1 }, { 20037726.37, 0, 1 }, { 20037726.36, 0, 1 }, { 10018863.19, 0, 1 },
};

START_TEST(test_step_for_radius)
{
	ck_assert_uint_eq(geo_step_for_radius(step_cases[_i].metres, step_cases[_i].lat),
	    step_cases[_i].step);
}
END_TEST

/* The nine cells of a small search in open country are the centre and its eight neighbours,
 * all of one step; near a cell edge the one-step-coarser rule applies. */
START_TEST(test_cells_open)
{
	struct geo_shape s = { .kind = GEO_SHAPE_CIRCLE, .xy = { 10.0, 48.0 }, .conversion = 1,
	    .radius = 1000 };
	struct geo_hash c[9], h;
	double b[4];

	geo_cells_for_shape(&s, c, b);
	ck_assert(b[0] < 10 && b[2] > 10 && b[1] < 48 && b[3] > 48);
	ck_assert(fabs((b[3] - b[1]) / 2 - 1000 / GEO_EARTH_RADIUS * 180 / M_PI) < 1e-12);
	ck_assert(geo_encode_wgs84(10, 48, c[0].step, &h));
	ck_assert_uint_eq(h.bits, c[0].bits);
	ck_assert(c[0].step == 14 || c[0].step == 13);
	/* Every bounding-box corner lies in one of the non-empty cells. */
	for (int k = 0; k < 4; k++) {
		double lon = b[k & 1 ? 2 : 0], lat = b[k & 2 ? 3 : 1];
		bool found = false;

		ck_assert(geo_encode_wgs84(lon, lat, c[0].step, &h));
		for (int i = 0; i < 9; i++)
			found |= (c[i].step != 0 && c[i].bits == h.bits);
		ck_assert_msg(found, "corner %d not covered", k);
	}
}
END_TEST

/* A huge radius at step 1: neighbours repeat, and nothing is dropped below step 2. */
START_TEST(test_cells_huge)
{
	struct geo_shape s = { .kind = GEO_SHAPE_CIRCLE, .xy = { 0.0, 0.0 }, .conversion = 1000,
	    .radius = 10000 };
	struct geo_hash c[9];
	int nonzero = 0;

	geo_cells_for_shape(&s, c, NULL);
	ck_assert_uint_eq(c[0].step, 1);
	for (int i = 0; i < 9; i++)
		nonzero += c[i].step != 0;
	ck_assert_int_eq(nonzero, 9);
	ck_assert(c[1].bits == c[2].bits);	/* north and south wrap to the same row */
}
END_TEST

/* ---- search against brute force ---- */

struct pt {
	double lon, lat;
};

/* The index i of a point named "p<i>" (names in a result are not NUL-terminated). */
static size_t
point_index(const struct geo_result *r, const struct geo_point *p)
{
	const char *m = geo_point_name(r, p);
	size_t idx = 0;

	ck_assert(p->name_len >= 2 && m[0] == 'p');
	for (size_t i = 1; i < p->name_len; i++)
		idx = idx * 10 + (size_t)(m[i] - '0');
	return idx;
}

static struct tzset
make_points(struct pt *pts, size_t n, double lon0, double lat0, double span, uint64_t seed)
{
	struct tzset z = tzset_new(n, 0);

	for (size_t i = 0; i < n; i++) {
		char m[16];
		int len = snprintf(m, sizeof m, "p%zu", i), out;
		double lon, lat;

		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		lon = lon0 + ((double)(seed >> 11) / 9007199254740992.0 - 0.5) * span;
		lat = lat0 + ((double)((seed * 2654435761ULL) >> 11) / 9007199254740992.0 - 0.5) *
		    span;
		if (lon > 180)
			lon -= 360;
		if (lon < -180)
			lon += 360;
		if (lat > GEO_LAT_MAX)
			lat = GEO_LAT_MAX;
		if (lat < GEO_LAT_MIN)
			lat = GEO_LAT_MIN;
		pts[i].lon = lon;
		pts[i].lat = lat;
		tzset_add(&z, (double)geo_score(lon, lat), m, (size_t)len, 0, &out, NULL);
	}
	return z;
}

static const struct {
	double lon, lat, span, size;
	enum geo_shape_kind kind;
} search_cases[] = {
	{ 10, 48, 2, 20, GEO_SHAPE_CIRCLE },
	{ 10, 48, 2, 35, GEO_SHAPE_BOX },
	{ -73.9, 40.7, 0.5, 3, GEO_SHAPE_CIRCLE },
	{ 179.9, 10, 1, 15, GEO_SHAPE_CIRCLE },		/* across the antimeridian */
	{ -179.95, -20, 1, 25, GEO_SHAPE_BOX },
	{ 0, 0, 0.2, 4, GEO_SHAPE_CIRCLE },		/* the equator and prime meridian */
	{ 20, 84.9, 0.6, 10, GEO_SHAPE_CIRCLE },	/* near the northern limit */
	{ -60, -84.95, 0.5, 12, GEO_SHAPE_BOX },
	{ 30, 70, 4, 80, GEO_SHAPE_CIRCLE },
	{ 5, 5, 60, 3000, GEO_SHAPE_CIRCLE },		/* large: coarse cells */
};

START_TEST(test_search_vs_scan)
{
	enum { N = 3000 };
	struct pt *pts = xmalloc(N * sizeof *pts);
	struct tzset z = make_points(pts, N, search_cases[_i].lon, search_cases[_i].lat,
	    search_cases[_i].span, 0x1234567ULL + (uint64_t)_i);
	struct geo_shape s = { .kind = search_cases[_i].kind,
	    .xy = { search_cases[_i].lon, search_cases[_i].lat }, .conversion = 1000,
	    .radius = search_cases[_i].size, .width = search_cases[_i].size,
	    .height = search_cases[_i].size * 0.7 };
	struct geo_result r = { 0 };
	bool *seen = xcalloc(N, sizeof *seen);
	size_t inside = 0;

	geo_search(&z, &s, 0, &r);
	for (size_t i = 0; i < r.n; i++) {
		size_t idx = point_index(&r, &r.pts[i]);

		ck_assert_msg(!seen[idx], "point found twice");
		seen[idx] = true;
	}
	for (size_t i = 0; i < N; i++) {
		double xy[2], d;
		bool in = geo_shape_contains(&s, (double)geo_score(pts[i].lon, pts[i].lat), xy, &d);

		inside += in;
		ck_assert_msg(in == seen[i], "case %d point %zu (%.6f,%.6f) inside %d found %d",
		    _i, i, pts[i].lon, pts[i].lat, in, seen[i]);
	}
	ck_assert_uint_eq(inside, r.n);
	ck_assert_msg(r.n > 5 && r.n < N, "case %d: %zu points inside: a weak case", _i, r.n);

	/* Sorted: non-decreasing distances both ways. */
	geo_result_sort(&r, false, r.n);
	for (size_t i = 1; i < r.n; i++)
		ck_assert(r.pts[i - 1].dist <= r.pts[i].dist);
	geo_result_sort(&r, true, r.n);
	for (size_t i = 1; i < r.n; i++)
		ck_assert(r.pts[i - 1].dist >= r.pts[i].dist);
	geo_result_free(&r);

	/* ANY: stops at the limit, with points that are inside. */
	geo_search(&z, &s, 3, &r);
	ck_assert_uint_eq(r.n, 3);
	for (size_t i = 0; i < r.n; i++) {
		ck_assert(seen[point_index(&r, &r.pts[i])]);
	}
	geo_result_free(&r);
	xfree(seen);
	xfree(pts);
	tzset_payload_free(z.enc, z.p);
}
END_TEST

/* Equal distances keep the search order (the stable sort Redis gets from glibc's qsort). */
START_TEST(test_sort_stable)
{
	struct geo_result r = { 0 };
	const double d[] = { 5, 1, 3, 1, 5, 1, 0, 3 };
	size_t n = sizeof d / sizeof d[0];
	int order_asc[] = { 6, 1, 3, 5, 2, 7, 0, 4 }, order_desc[] = { 0, 4, 2, 7, 1, 3, 5, 6 };

	for (int pass = 0; pass < 2; pass++) {
		r.n = 0;
		r.cap = n;
		r.pts = xcalloc(n, sizeof *r.pts);
		for (size_t i = 0; i < n; i++) {
			r.pts[i].dist = d[i];
			r.pts[i].score = (double)i;
		}
		r.n = n;
		geo_result_sort(&r, pass == 1, n);
		for (size_t i = 0; i < n; i++)
			ck_assert_int_eq((int)r.pts[i].score, pass ? order_desc[i] : order_asc[i]);
		geo_result_free(&r);
	}
}
END_TEST

/* A partial sort (COUNT below the number found) puts the keep nearest points first, in
 * order, for every keep; the rest may stay unordered. Many equal distances on purpose. */
START_TEST(test_sort_partial)
{
	enum { N = 97 };
	struct geo_result r = { 0 };
	uint64_t s = 42;

	for (size_t keep = 1; keep <= N; keep++) {
		for (int pass = 0; pass < 2; pass++) {
			bool desc = pass == 1;

			r.pts = xcalloc(N, sizeof *r.pts);
			r.n = r.cap = N;
			for (size_t i = 0; i < N; i++) {
				s ^= s << 13;
				s ^= s >> 7;
				s ^= s << 17;
				r.pts[i].dist = (double)(s % 13);
				r.pts[i].score = (double)i;
			}
			geo_result_sort(&r, desc, keep);
			for (size_t i = 1; i < keep; i++)
				ck_assert(desc ? r.pts[i - 1].dist >= r.pts[i].dist :
				    r.pts[i - 1].dist <= r.pts[i].dist);
			for (size_t i = keep; i < N; i++)
				ck_assert(desc ? r.pts[keep - 1].dist >= r.pts[i].dist :
				    r.pts[keep - 1].dist <= r.pts[i].dist);
			/* A permutation: every point still there once. */
			{
				bool seen[N] = { false };

				for (size_t i = 0; i < N; i++) {
					ck_assert(!seen[(size_t)r.pts[i].score]);
					seen[(size_t)r.pts[i].score] = true;
				}
			}
			geo_result_free(&r);
		}
	}
}
END_TEST

/* Points on a listpack zset with integer members: names are copied, not borrowed. */
START_TEST(test_search_listpack_int_members)
{
	struct tzset z = tzset_new(3, 0);
	struct geo_shape s = { .kind = GEO_SHAPE_CIRCLE, .xy = { 2.35, 48.85 }, .conversion = 1,
	    .radius = 50000 };
	struct geo_result r = { 0 };
	int out;

	tzset_add(&z, (double)geo_score(2.35, 48.85), "12345", 5, 0, &out, NULL);
	tzset_add(&z, (double)geo_score(2.36, 48.86), "-7", 2, 0, &out, NULL);
	tzset_add(&z, (double)geo_score(2.34, 48.84), "name", 4, 0, &out, NULL);
	ck_assert_int_eq(z.enc, OBJ_ENC_LISTPACK);
	geo_search(&z, &s, 0, &r);
	ck_assert_uint_eq(r.n, 3);
	geo_result_sort(&r, false, r.n);
	ck_assert_int_eq(memcmp(geo_point_name(&r, &r.pts[0]), "12345", 5), 0);
	tzset_payload_free(z.enc, z.p);	/* the result outlives the zset */
	for (size_t i = 0; i < r.n; i++)
		ck_assert(r.pts[i].name_len == 5 || r.pts[i].name_len == 2 ||
		    r.pts[i].name_len == 4);
	ck_assert(memcmp(geo_point_name(&r, &r.pts[1]), "-7", 2) == 0 ||
	    memcmp(geo_point_name(&r, &r.pts[1]), "name", 4) == 0);
	geo_result_free(&r);
}
END_TEST

#define NCASES(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
geo_suite(void)
{
	Suite *s = suite_create("geo");
	TCase *tc;

	tc = tcase_create("encoding");
	tcase_add_loop_test(tc, test_encode_known, 0, NCASES(enc_cases));
	tcase_add_loop_test(tc, test_decode_odd_scores, 0, NCASES(odd_cases));
	tcase_add_test(tc, test_roundtrip);
	tcase_add_test(tc, test_encode_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("distance_text");
	tcase_add_test(tc, test_distance);
	tcase_add_loop_test(tc, test_fmt_distance, 0, NCASES(dist_text));
	tcase_add_loop_test(tc, test_fmt_coord, 0, NCASES(coord_text));
	suite_add_tcase(s, tc);

	tc = tcase_create("cells");
	tcase_add_test(tc, test_neighbors_wrap);
	tcase_add_loop_test(tc, test_step_for_radius, 0, NCASES(step_cases));
	tcase_add_test(tc, test_cells_open);
	tcase_add_test(tc, test_cells_huge);
	suite_add_tcase(s, tc);

	tc = tcase_create("search");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_search_vs_scan, 0, NCASES(search_cases));
	tcase_add_test(tc, test_sort_stable);
	tcase_add_test(tc, test_sort_partial);
	tcase_add_test(tc, test_search_listpack_int_members);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(geo_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
