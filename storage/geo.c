/*
 * geo.c: geohash encoding and decoding, neighbour cells, the cells a search covers, the
 * haversine distance, and the search of a zset for the points inside a shape (see geo.h).
 *
 * Everything here reproduces Redis 7.0's geohash.c / geohash_helper.c / geo.c numerically:
 * the same constants, the same order of floating-point operations and the same integer
 * wrap-arounds, because a last-bit difference moves a point across a search boundary or
 * changes a printed coordinate.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/geo.h"
#include "storage/psort.h"
#include "storage/t_zset.h"

/* Degrees to radians as Redis computes it: multiply by pi / 180 (and divide to go back). */
#define DEG_RAD_FACTOR	(M_PI / 180.0)
/* Half the Web Mercator world width in metres: geo_step_for_radius' yardstick. */
#define MERCATOR_MAX	20037726.37

static inline double
deg_rad(double deg)
{
	return deg * DEG_RAD_FACTOR;
}

static inline double
rad_deg(double rad)
{
	return rad / DEG_RAD_FACTOR;
}

static const struct geo_range wgs84_lon = { GEO_LONG_MIN, GEO_LONG_MAX };
static const struct geo_range wgs84_lat = { GEO_LAT_MIN, GEO_LAT_MAX };

/* Spreads the 32 bits of v to the even bit positions of a 64-bit word. */
static uint64_t
spread_bits(uint64_t v)
{
	v = (v | (v << 16)) & 0x0000FFFF0000FFFFULL;
	v = (v | (v << 8)) & 0x00FF00FF00FF00FFULL;
	v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FULL;
	v = (v | (v << 2)) & 0x3333333333333333ULL;
	v = (v | (v << 1)) & 0x5555555555555555ULL;
	return v;
}

/* Gathers the even bit positions of v into its low 32 bits. */
static uint64_t
gather_bits(uint64_t v)
{
	v &= 0x5555555555555555ULL;
	v = (v | (v >> 1)) & 0x3333333333333333ULL;
	v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0FULL;
	v = (v | (v >> 4)) & 0x00FF00FF00FF00FFULL;
	v = (v | (v >> 8)) & 0x0000FFFF0000FFFFULL;
	v = (v | (v >> 16)) & 0x00000000FFFFFFFFULL;
	return v;
}

bool
geo_encode(const struct geo_range *lonr, const struct geo_range *latr, double lon, double lat,
    unsigned step, struct geo_hash *h)
{
	double lat_off, lon_off;

	if (step == 0 || step > 32 || (lonr->min == 0 && lonr->max == 0) ||
	    (latr->min == 0 && latr->max == 0))
		return false;
	h->bits = 0;
	h->step = (uint8_t)step;
	if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN)
		return false;
	if (lat < latr->min || lat > latr->max || lon < lonr->min || lon > lonr->max)
		return false;
	lat_off = (lat - latr->min) / (latr->max - latr->min);
	lon_off = (lon - lonr->min) / (lonr->max - lonr->min);
	lat_off *= (double)(1ULL << step);
	lon_off *= (double)(1ULL << step);
	/* Redis hands the offsets to 32-bit parameters: truncation, and at the top of a range
	 * (offset 2^step) a bit above the cell's 2 * step bits, which is kept. */
	h->bits = spread_bits((uint32_t)lat_off) | (spread_bits((uint32_t)lon_off) << 1);
	return true;
}

bool
geo_encode_wgs84(double lon, double lat, unsigned step, struct geo_hash *h)
{
	return geo_encode(&wgs84_lon, &wgs84_lat, lon, lat, step, h);
}

uint64_t
geo_align52(struct geo_hash h)
{
	return h.bits << (52 - h.step * 2);
}

uint64_t
geo_score(double lon, double lat)
{
	struct geo_hash h = { 0, 0 };

	geo_encode_wgs84(lon, lat, GEO_STEP_MAX, &h);
	return geo_align52(h);
}

static bool
decode_area(const struct geo_range *lonr, const struct geo_range *latr, struct geo_hash h,
    struct geo_area *a)
{
	uint32_t ilat, ilon;
	double lat_scale, lon_scale, cells;

	if (h.bits == 0 && h.step == 0)
		return false;
	ilat = (uint32_t)gather_bits(h.bits);
	ilon = (uint32_t)gather_bits(h.bits >> 1);
	lat_scale = latr->max - latr->min;
	lon_scale = lonr->max - lonr->min;
	cells = (double)(1ULL << h.step);
	/* ilat + 1 is 32-bit arithmetic in Redis: it wraps for the all-ones value. */
	a->lat.min = latr->min + (ilat * 1.0 / cells) * lat_scale;
	a->lat.max = latr->min + ((uint32_t)(ilat + 1) * 1.0 / cells) * lat_scale;
	a->lon.min = lonr->min + (ilon * 1.0 / cells) * lon_scale;
	a->lon.max = lonr->min + ((uint32_t)(ilon + 1) * 1.0 / cells) * lon_scale;
	return true;
}

bool
geo_decode_wgs84(struct geo_hash h, struct geo_area *a)
{
	return decode_area(&wgs84_lon, &wgs84_lat, h, a);
}

/*
 * (uint64_t)d as GCC compiles it for x86-64, where the conversion of an out-of-range value is
 * undefined in C but fixed by the instructions: below 2^63 a signed truncation (whose
 * "invalid" result is 2^63), at or above 2^63 a truncation of d - 2^63 with the top bit
 * flipped. Redis converts scores this way before decoding them.
 */
static uint64_t
score_to_u64(double d)
{
	const double two63 = 9223372036854775808.0;

	if (!(d >= two63)) {
		if (d >= -two63 && d < two63)
			return (uint64_t)(int64_t)d;
		return 1ULL << 63;
	}
	d -= two63;
	if (d < two63)
		return (uint64_t)(int64_t)d ^ (1ULL << 63);
	return 0;
}

void
geo_decode_score(double score, double xy[2])
{
	struct geo_hash h = { score_to_u64(score), GEO_STEP_MAX };
	struct geo_area a;

	decode_area(&wgs84_lon, &wgs84_lat, h, &a);	/* step 26: never "no cell" */
	xy[0] = (a.lon.min + a.lon.max) / 2;
	if (xy[0] > GEO_LONG_MAX)
		xy[0] = GEO_LONG_MAX;
	if (xy[0] < GEO_LONG_MIN)
		xy[0] = GEO_LONG_MIN;
	xy[1] = (a.lat.min + a.lat.max) / 2;
	if (xy[1] > GEO_LAT_MAX)
		xy[1] = GEO_LAT_MAX;
	if (xy[1] < GEO_LAT_MIN)
		xy[1] = GEO_LAT_MIN;
}

void
geo_hash_string(double score, char buf[GEO_HASH_STR_LEN])
{
	static const char alphabet[] = "0123456789bcdefghjkmnpqrstuvwxyz";
	/* The standard geohash spans latitudes -90..90, not the Mercator limits: re-encode. */
	static const struct geo_range lonr = { -180, 180 }, latr = { -90, 90 };
	struct geo_hash h = { 0, 0 };
	double xy[2];

	geo_decode_score(score, xy);
	geo_encode(&lonr, &latr, xy[0], xy[1], GEO_STEP_MAX, &h);
	for (int i = 0; i < 10; i++)
		buf[i] = alphabet[(h.bits >> (52 - (i + 1) * 5)) & 0x1f];
	/* 52 bits make 10 characters and 2 bits: the 11th is always '0', as in Redis. */
	buf[10] = '0';
}

/*
 * Moves cell h by d (-1, 0, 1) cells along the longitude (odd bits, lat false) or the latitude
 * (even bits), wrapping around at the edges of the grid.
 */
static void
move_cell(struct geo_hash *h, int d, bool lat)
{
	uint64_t odd = h->bits & 0xaaaaaaaaaaaaaaaaULL;
	uint64_t even = h->bits & 0x5555555555555555ULL;
	unsigned shift = 64 - h->step * 2;
	uint64_t *mv = lat ? &even : &odd;
	/* The other coordinate's bits, set, so that a carry runs straight through them. */
	uint64_t fill = (lat ? 0xaaaaaaaaaaaaaaaaULL : 0x5555555555555555ULL) >> shift;

	if (d == 0)
		return;
	if (d > 0) {
		*mv = *mv + (fill + 1);
	} else {
		*mv |= fill;
		*mv = *mv - (fill + 1);
	}
	*mv &= (lat ? 0x5555555555555555ULL : 0xaaaaaaaaaaaaaaaaULL) >> shift;
	h->bits = odd | even;
}

static struct geo_hash
moved(const struct geo_hash *h, int dlon, int dlat)
{
	struct geo_hash r = *h;

	move_cell(&r, dlon, false);
	move_cell(&r, dlat, true);
	return r;
}

void
geo_neighbors(const struct geo_hash *h, struct geo_neighbors *n)
{
	n->east = moved(h, 1, 0);
	n->west = moved(h, -1, 0);
	n->south = moved(h, 0, -1);
	n->north = moved(h, 0, 1);
	n->north_west = moved(h, -1, 1);
	n->north_east = moved(h, 1, 1);
	n->south_east = moved(h, 1, -1);
	n->south_west = moved(h, -1, -1);
}

double
geo_lat_distance(double lat1, double lat2)
{
	return GEO_EARTH_RADIUS * fabs(deg_rad(lat2) - deg_rad(lat1));
}

double
geo_distance(double lon1, double lat1, double lon2, double lat2)
{
	double lat1r, lat2r, u, v, a;

	v = sin((deg_rad(lon2) - deg_rad(lon1)) / 2);
	/* Same meridian: the haversine reduces to the latitude difference (Redis' shortcut,
	 * which also decides the last bits of such distances). */
	if (v == 0.0)
		return geo_lat_distance(lat1, lat2);
	lat1r = deg_rad(lat1);
	lat2r = deg_rad(lat2);
	u = sin((lat2r - lat1r) / 2);
	a = u * u + cos(lat1r) * cos(lat2r) * v * v;
	return 2.0 * GEO_EARTH_RADIUS * asin(sqrt(a));
}

unsigned
geo_step_for_radius(double metres, double lat)
{
	int step = 1;

	if (metres == 0)
		return GEO_STEP_MAX;
	while (metres < MERCATOR_MAX) {
		metres *= 2;
		step++;
	}
	step -= 2;
	/* Meridians converge towards the poles: take larger cells there. */
	if (lat > 66 || lat < -66) {
		step--;
		if (lat > 80 || lat < -80)
			step--;
	}
	if (step < 1)
		step = 1;
	if (step > GEO_STEP_MAX)
		step = GEO_STEP_MAX;
	return (unsigned)step;
}

bool
geo_shape_contains(const struct geo_shape *s, double score, double xy[2], double *dist)
{
	double pt[2], d;

	geo_decode_score(score, pt);
	if (s->kind == GEO_SHAPE_CIRCLE) {
		d = geo_distance(s->xy[0], s->xy[1], pt[0], pt[1]);
		if (d > s->radius * s->conversion)
			return false;
	} else {
		double w = s->width * s->conversion, h = s->height * s->conversion;

		/* The cheap latitude test first, then the east-west extent along the
		 * point's own parallel, as Redis' geohashGetDistanceIfInRectangle. */
		if (geo_lat_distance(pt[1], s->xy[1]) > h / 2)
			return false;
		if (geo_distance(pt[0], pt[1], s->xy[0], pt[1]) > w / 2)
			return false;
		d = geo_distance(s->xy[0], s->xy[1], pt[0], pt[1]);
	}
	xy[0] = pt[0];
	xy[1] = pt[1];
	*dist = d;
	return true;
}

/* The shape's bounding box: min lon, min lat, max lon, max lat (Redis' geohashBoundingBox). */
static void
bounding_box(const struct geo_shape *s, double b[4])
{
	double lon = s->xy[0], lat = s->xy[1];
	double height = s->conversion * (s->kind == GEO_SHAPE_CIRCLE ? s->radius : s->height / 2);
	double width = s->conversion * (s->kind == GEO_SHAPE_CIRCLE ? s->radius : s->width / 2);
	const double lat_delta = rad_deg(height / GEO_EARTH_RADIUS);
	const double lon_delta_top =
	    rad_deg(width / GEO_EARTH_RADIUS / cos(deg_rad(lat + lat_delta)));
	const double lon_delta_bottom =
	    rad_deg(width / GEO_EARTH_RADIUS / cos(deg_rad(lat - lat_delta)));
	/* The widest parallel is the one nearer the equator. */
	bool south = lat < 0;

	b[0] = south ? lon - lon_delta_bottom : lon - lon_delta_top;
	b[2] = south ? lon + lon_delta_bottom : lon + lon_delta_top;
	b[1] = lat - lat_delta;
	b[3] = lat + lat_delta;
}

static const struct geo_hash no_cell = { 0, 0 };

void
geo_cells_for_shape(const struct geo_shape *s, struct geo_hash cells[9], double bounds[4])
{
	double b[4], lon = s->xy[0], lat = s->xy[1], metres;
	struct geo_hash h = { 0, 0 };
	struct geo_neighbors n;
	struct geo_area area, north, south, east, west;
	unsigned steps;
	bool decrease = false;

	bounding_box(s, b);
	if (bounds != NULL)
		memcpy(bounds, b, sizeof b);
	/* A box is covered through the circle through its corners. */
	metres = s->kind == GEO_SHAPE_CIRCLE ? s->radius :
	    sqrt((s->width / 2) * (s->width / 2) + (s->height / 2) * (s->height / 2));
	metres *= s->conversion;
	steps = geo_step_for_radius(metres, lat);

	geo_encode_wgs84(lon, lat, steps, &h);
	geo_neighbors(&h, &n);
	geo_decode_wgs84(h, &area);
	/* Near a cell's edge the estimated step may leave part of the box outside the nine
	 * cells: one step coarser then. */
	geo_decode_wgs84(n.north, &north);
	geo_decode_wgs84(n.south, &south);
	geo_decode_wgs84(n.east, &east);
	geo_decode_wgs84(n.west, &west);
	if (north.lat.max < b[3] || south.lat.min > b[1] || east.lon.max < b[2] ||
	    west.lon.min > b[0])
		decrease = true;
	if (steps > 1 && decrease) {
		steps--;
		geo_encode_wgs84(lon, lat, steps, &h);
		geo_neighbors(&h, &n);
		geo_decode_wgs84(h, &area);
	}
	/* Drop the neighbours the box cannot reach. */
	if (steps >= 2) {
		if (area.lat.min < b[1])
			n.south = n.south_west = n.south_east = no_cell;
		if (area.lat.max > b[3])
			n.north = n.north_east = n.north_west = no_cell;
		if (area.lon.min < b[0])
			n.west = n.south_west = n.north_west = no_cell;
		if (area.lon.max > b[2])
			n.east = n.south_east = n.north_east = no_cell;
	}
	cells[0] = h;
	cells[1] = n.north;
	cells[2] = n.south;
	cells[3] = n.east;
	cells[4] = n.west;
	cells[5] = n.north_east;
	cells[6] = n.north_west;
	cells[7] = n.south_east;
	cells[8] = n.south_west;
}

void
geo_cell_scores(struct geo_hash h, uint64_t *min, uint64_t *max)
{
	*min = geo_align52(h);
	h.bits++;
	*max = geo_align52(h);
}

/* ---- The search ---- */

static void
result_add(struct geo_result *r, const double xy[2], double dist, double score, const char *m,
    size_t len)
{
	struct geo_point *p;

	if (r->n == r->cap) {
		r->cap = r->cap == 0 ? 32 : r->cap * 2;
		r->pts = xrealloc(r->pts, r->cap * sizeof *r->pts);
	}
	if (r->names == NULL || r->names_cap - r->names_len < len) {
		size_t cap = r->names_cap == 0 ? 512 : r->names_cap;

		while (cap - r->names_len < len)
			cap *= 2;
		r->names = xrealloc(r->names, cap);
		r->names_cap = cap;
	}
	if (len > 0)
		memcpy(r->names + r->names_len, m, len);
	p = &r->pts[r->n++];
	p->lon = xy[0];
	p->lat = xy[1];
	p->dist = dist;
	p->score = score;
	p->name_off = r->names_len;
	p->name_len = len;
	r->names_len += len;
}

static bool
limit_reached(const struct geo_result *r, size_t limit)
{
	return limit > 0 && r->n >= limit;
}

/* Adds the members of z with scores in [min, max) that lie inside shape. */
static void
search_cell(const struct tzset *z, const struct geo_shape *shape, uint64_t min, uint64_t max,
    size_t limit, struct geo_result *r)
{
	struct tzset_range range = { (double)min, (double)max, false, true };
	struct tzset_iter it;
	const char *m;
	size_t len;
	double score, xy[2], dist;

	tzset_iter_score(&it, z, &range, false);
	while (tzset_iter_next(&it, &m, &len, &score)) {
		if (!tzset_lte_max(score, &range))
			break;
		if (geo_shape_contains(shape, score, xy, &dist))
			result_add(r, xy, dist, score, m, len);
		if (limit_reached(r, limit))
			break;
	}
}

size_t
geo_search(const struct tzset *z, const struct geo_shape *shape, size_t limit,
    struct geo_result *r)
{
	struct geo_hash cells[9];
	size_t before = r->n;
	int last = 0;

	geo_cells_for_shape(shape, cells, NULL);
	for (int i = 0; i < 9; i++) {
		uint64_t min, max;

		if (cells[i].bits == 0 && cells[i].step == 0)
			continue;
		/* Huge radii make neighbours coincide: skip a cell equal to the one searched
		 * just before (Redis compares only once that one is not the centre). */
		if (last != 0 && cells[i].bits == cells[last].bits &&
		    cells[i].step == cells[last].step)
			continue;
		if (limit_reached(r, limit))
			break;
		geo_cell_scores(cells[i], &min, &max);
		search_cell(z, shape, min, max, limit, r);
		last = i;
	}
	return r->n - before;
}

const char *
geo_point_name(const struct geo_result *r, const struct geo_point *p)
{
	return r->names + p->name_off;
}

/* -1, 0, 1 as a is nearer, as near, farther than b (reversed for desc). */
static int
cmp_dist(const struct geo_point *a, const struct geo_point *b, bool desc)
{
	int c = a->dist > b->dist ? 1 : a->dist == b->dist ? 0 : -1;

	return desc ? -c : c;
}

/* psort's comparison: by distance, reversed for DESC (arg points to the bool). */
static int
cmp_dist_arg(const void *a, const void *b, void *arg)
{
	return cmp_dist(a, b, *(const bool *)arg);
}

void
geo_result_sort(struct geo_result *r, bool desc, size_t keep)
{
	/* glibc's qsort (stable) for a full sort, Redis' pqsort under COUNT: their tie orders
	 * are in the reply. */
	if (keep >= r->n)
		psort_stable(r->pts, r->n, sizeof *r->pts, cmp_dist_arg, &desc);
	else if (keep > 0)
		psort_partial(r->pts, r->n, sizeof *r->pts, cmp_dist_arg, &desc, 0,
		    (ptrdiff_t)keep - 1);
}

void
geo_result_free(struct geo_result *r)
{
	xfree(r->pts);
	xfree(r->names);
	memset(r, 0, sizeof *r);
}

/* ---- Reply text ---- */

size_t
geo_fmt_distance(char *buf, double d)
{
	long long v;
	unsigned long long u;
	char digits[24];
	size_t nd = 0, len = 0;

	if (d == 0) {
		memcpy(buf, "0.0000", 6);
		return 6;
	}
	v = llrint(d * 10000.0);
	if (v < 0) {
		buf[len++] = '-';
		u = v == LLONG_MIN ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)-v;
	} else {
		u = (unsigned long long)v;
	}
	do {
		digits[nd++] = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	while (nd < 5)
		digits[nd++] = '0';	/* at least one integer digit before the point */
	while (nd > 4)
		buf[len++] = digits[--nd];
	buf[len++] = '.';
	while (nd > 0)
		buf[len++] = digits[--nd];
	return len;
}

size_t
geo_fmt_coord(char *buf, size_t cap, double d)
{
	int n;
	size_t len;

	if (isinf(d)) {
		memcpy(buf, d > 0 ? "inf" : "-inf", d > 0 ? 3 : 4);
		return d > 0 ? 3 : 4;
	}
	n = snprintf(buf, cap, "%.17Lf", (long double)d);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	len = (size_t)n;
	if (memchr(buf, '.', len) != NULL) {
		while (buf[len - 1] == '0')
			len--;
		if (buf[len - 1] == '.')
			len--;
	}
	if (len == 2 && buf[0] == '-' && buf[1] == '0') {
		buf[0] = '0';
		len = 1;
	}
	return len;
}
