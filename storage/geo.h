/*
 * geo: the geohash arithmetic behind the GEO commands, bit for bit as Redis 7.0's, and the
 * search of a zset for the points inside a circle or a box.
 *
 * A geo point is a zset member whose score is a 52-bit geohash: longitude and latitude each cut
 * into 2^26 steps over [-180, 180] and [GEO_LAT_MIN, GEO_LAT_MAX] (the Web Mercator limits),
 * their bits interleaved (latitude in the even positions). A search (GEOSEARCH, GEORADIUS)
 * picks a geohash step from the radius, takes the cell of the centre and its eight
 * neighbours, walks the score range of each cell (storage/t_zset.h) and keeps the points whose
 * haversine distance puts them inside the shape. Every floating-point expression follows
 * Redis' order of operations, so that results, distances and the boundary cases agree.
 *
 * Data flow: replica/commands/cmd_geo.c parses the arguments, builds a struct geo_shape and
 * calls geo_search; the points come back in a struct geo_result for sorting and replying.
 */
#ifndef REPLICANT_GEO_H
#define REPLICANT_GEO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tzset;

#define GEO_STEP_MAX	26		/* 26 steps a coordinate: a 52-bit score */
#define GEO_LAT_MIN	-85.05112878
#define GEO_LAT_MAX	85.05112878
#define GEO_LONG_MIN	-180.0
#define GEO_LONG_MAX	180.0
#define GEO_EARTH_RADIUS 6372797.560856	/* metres, Redis' EARTH_RADIUS_IN_METERS */
#define GEO_HASH_STR_LEN 11		/* GEOHASH's string */

/* A geohash cell: bits holds 2 * step interleaved bits. bits == 0 && step == 0 is "no cell". */
struct geo_hash {
	uint64_t bits;
	uint8_t step;
};

struct geo_range {
	double min, max;
};

/* The rectangle a cell covers. */
struct geo_area {
	struct geo_range lon, lat;
};

/*
 * Encodes (lon, lat) into a cell of step steps (1..32) over the ranges given. Returns false
 * (h->bits 0) when the point is outside the ranges or outside the WGS84 limits above.
 */
bool geo_encode(const struct geo_range *lonr, const struct geo_range *latr, double lon,
    double lat, unsigned step, struct geo_hash *h);
/* geo_encode over the WGS84 ranges (GEO_LONG_*, GEO_LAT_*). */
bool geo_encode_wgs84(double lon, double lat, unsigned step, struct geo_hash *h);
/* The cell h shifted to a 52-bit score (Redis' geohashAlign52Bits). */
uint64_t geo_align52(struct geo_hash h);
/* The score GEOADD stores for (lon, lat), which must be within the WGS84 limits. */
uint64_t geo_score(double lon, double lat);
/* The rectangle of cell h over the WGS84 ranges; false for the "no cell" value. */
bool geo_decode_wgs84(struct geo_hash h, struct geo_area *a);
/*
 * The point a score stands for: the centre of its step-26 cell, clamped to the limits. Any
 * score decodes (Redis converts it to 64 bits as an x86-64 build does, emulated here without
 * undefined behaviour), so any zset member has a position.
 */
void geo_decode_score(double score, double xy[2]);
/* Writes the 11-character standard geohash of a score (GEOHASH) into buf (no NUL). */
void geo_hash_string(double score, char buf[GEO_HASH_STR_LEN]);

/* The cells one step away from h, in the order Redis lists them. */
struct geo_neighbors {
	struct geo_hash north, south, east, west, north_east, north_west, south_east, south_west;
};
void geo_neighbors(const struct geo_hash *h, struct geo_neighbors *n);

/* Haversine distance in metres between two points in degrees (Redis' geohashGetDistance). */
double geo_distance(double lon1, double lat1, double lon2, double lat2);
/* The distance along a meridian between two latitudes, in metres. */
double geo_lat_distance(double lat1, double lat2);
/* The geohash step Redis uses for a search of radius metres around latitude lat. */
unsigned geo_step_for_radius(double metres, double lat);

/* A search shape; sizes are in the request's unit, conversion turns them into metres. */
enum geo_shape_kind { GEO_SHAPE_CIRCLE, GEO_SHAPE_BOX };
struct geo_shape {
	enum geo_shape_kind kind;
	double xy[2];			/* centre: longitude, latitude */
	double conversion;		/* metres per unit */
	double radius;			/* GEO_SHAPE_CIRCLE */
	double width, height;		/* GEO_SHAPE_BOX */
};

/*
 * True if the point of score lies inside shape; sets xy to the point and *dist to its
 * distance from the centre in metres (both set only when inside, as Redis' geoWithinShape).
 */
bool geo_shape_contains(const struct geo_shape *s, double score, double xy[2], double *dist);
/*
 * The nine cells to search for shape, in Redis' order (centre, N, S, E, W, NE, NW, SE, SW);
 * cells that cannot hold a match are the "no cell" value. Returns the bounding box
 * (min lon, min lat, max lon, max lat) in bounds when not NULL.
 */
void geo_cells_for_shape(const struct geo_shape *s, struct geo_hash cells[9],
    double bounds[4]);
/* The half-open score interval [*min, *max) of the members inside cell h. */
void geo_cell_scores(struct geo_hash h, uint64_t *min, uint64_t *max);

/* A point found by geo_search. The member is at result->names + name_off. */
struct geo_point {
	double lon, lat;
	double dist;			/* metres from the centre */
	double score;
	size_t name_off, name_len;
};

/* The points a search found. Zero-filled = empty; free with geo_result_free. */
struct geo_result {
	struct geo_point *pts;
	size_t n, cap;
	char *names;			/* the members' bytes, copied */
	size_t names_len, names_cap;
};

/*
 * Appends to r every member of z inside shape, visiting the cells as Redis does (a cell equal
 * to the one searched just before is skipped), in zset order within a cell. With limit > 0
 * (COUNT ANY) the search stops once r holds limit points. Members are copied, so r stays valid
 * when z changes. Returns the number of points added.
 */
size_t geo_search(const struct tzset *z, const struct geo_shape *shape, size_t limit,
    struct geo_result *r);
/* The member bytes of point p of r (borrowed from r). */
const char *geo_point_name(const struct geo_result *r, const struct geo_point *p);
/*
 * Sorts r's points by distance, ascending or descending, as Redis sorts them for a reply of
 * keep points: all of them (keep >= r->n) with a stable sort, as the C library's qsort does
 * for Redis (equal distances keep the search order); fewer with Redis' partial quicksort, so
 * that only positions [0, keep) are in order, and equal distances end up where Redis puts them.
 */
void geo_result_sort(struct geo_result *r, bool desc, size_t keep);
/* Frees what r holds and zero-fills it. */
void geo_result_free(struct geo_result *r);

/*
 * Writes d with four decimals as Redis' fixedpoint_d2string does for distances (d * 10^4
 * rounded to the nearest integer, ties to even) into buf (at least 32 bytes); returns the
 * length.
 */
size_t geo_fmt_distance(char *buf, double d);
/*
 * Writes d as Redis' "human" long double text ("%.17Lf" with trailing zeros and a trailing
 * point removed, "-0" as "0"; "inf"/"-inf") into buf (at least 400 bytes); returns the length.
 */
size_t geo_fmt_coord(char *buf, size_t cap, double d);

#endif
