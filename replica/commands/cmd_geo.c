/*
 * cmd_geo.c: the geo commands (rows in geo.def): GEOADD, GEOPOS, GEODIST, GEOHASH, and the
 * searches GEOSEARCH, GEOSEARCHSTORE, GEORADIUS, GEORADIUSBYMEMBER and their _RO forms.
 *
 * Data flow: a geo index is a plain zset whose scores are 52-bit geohashes (storage/geo.h
 * does the arithmetic and the search; storage/t_zset.h the zset). A handler parses its
 * arguments in Redis 7.0's order, so that the first error Redis would report is the one
 * replied, and formats coordinates and distances as Redis does: coordinates as "human" long
 * doubles (a RESP3 double), distances with four decimals as bulk strings in both protocols.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/geo.h"
#include "storage/obj.h"
#include "storage/store.h"
#include "storage/t_zset.h"

/* Coordinates print within a few dozen bytes; an error holds two "%f" of up to 1e308. */
#define COORD_BUF	400
#define GEO_ERR_BUF	(2 * COORD_BUF + 64)

static void
signal_key(struct cmd_ctx *ctx, const struct resp_arg *key)
{
	cmd_signal_modified(ctx, ctx->db, key->ptr, key->len);
}

/* ---- Arguments, with Redis' errors ---- */

/* A double argument; msg (without "ERR ") replaces Redis' default error when given. */
static bool
arg_double(struct cmd_ctx *ctx, int i, const char *msg, double *out)
{
	if (cmd_parse_double(&ctx->argv[i], out))
		return true;
	cmd_reply_error(ctx, "ERR %s", msg != NULL ? msg : "value is not a valid float");
	return false;
}

/* argv[i], argv[i + 1] as a longitude, latitude pair within the geohash limits. */
static bool
arg_lonlat(struct cmd_ctx *ctx, int i, double xy[2])
{
	char msg[GEO_ERR_BUF];
	int n;

	if (!arg_double(ctx, i, NULL, &xy[0]) || !arg_double(ctx, i + 1, NULL, &xy[1]))
		return false;
	if (xy[0] < GEO_LONG_MIN || xy[0] > GEO_LONG_MAX || xy[1] < GEO_LAT_MIN ||
	    xy[1] > GEO_LAT_MAX) {
		/* Formatted here: cmd_reply_error's buffer is too short for "%f" of 1e308. */
		n = snprintf(msg, sizeof msg, "ERR invalid longitude,latitude pair %f,%f", xy[0],
		    xy[1]);
		resp_add_error(ctx->out, msg, n < 0 ? 0 : (size_t)n);
		return false;
	}
	return true;
}

/* A unit word (any case): its metres per unit, or a reply and a negative value. */
static double
arg_unit(struct cmd_ctx *ctx, int i)
{
	if (cmd_arg_is(ctx, i, "m"))
		return 1;
	if (cmd_arg_is(ctx, i, "km"))
		return 1000;
	if (cmd_arg_is(ctx, i, "ft"))
		return 0.3048;
	if (cmd_arg_is(ctx, i, "mi"))
		return 1609.34;
	cmd_reply_error(ctx, "ERR unsupported unit provided. please use M, KM, FT, MI");
	return -1;
}

/* argv[i] argv[i + 1]: radius and unit. */
static bool
arg_radius(struct cmd_ctx *ctx, int i, struct geo_shape *s)
{
	double r;

	if (!arg_double(ctx, i, "need numeric radius", &r))
		return false;
	if (r < 0) {
		cmd_reply_error(ctx, "ERR radius cannot be negative");
		return false;
	}
	s->radius = r;
	s->conversion = arg_unit(ctx, i + 1);
	return s->conversion >= 0;
}

/* argv[i] .. argv[i + 2]: width, height and unit. */
static bool
arg_box(struct cmd_ctx *ctx, int i, struct geo_shape *s)
{
	double w, h;

	if (!arg_double(ctx, i, "need numeric width", &w) ||
	    !arg_double(ctx, i + 1, "need numeric height", &h))
		return false;
	if (h < 0 || w < 0) {
		cmd_reply_error(ctx, "ERR height or width cannot be negative");
		return false;
	}
	s->width = w;
	s->height = h;
	s->conversion = arg_unit(ctx, i + 2);
	return s->conversion >= 0;
}

/* ---- Replies ---- */

/* A coordinate: a bulk string in RESP2, a double in RESP3, "human" text in both. */
static void
reply_coord(struct cmd_ctx *ctx, double d)
{
	char buf[COORD_BUF + 3];
	size_t n;

	if (ctx->out->proto == 3) {
		buf[0] = ',';
		n = geo_fmt_coord(buf + 1, COORD_BUF, d);
		memcpy(buf + 1 + n, "\r\n", 2);
		resp_add_raw(ctx->out, buf, n + 3);
	} else {
		n = geo_fmt_coord(buf, COORD_BUF, d);
		resp_add_bulk(ctx->out, buf, n);
	}
}

/* A distance: four decimals, a bulk string in both protocols. */
static void
reply_distance(struct cmd_ctx *ctx, double d)
{
	char buf[32];

	resp_add_bulk(ctx->out, buf, geo_fmt_distance(buf, d));
}

/* ---- GEOADD ---- */

void
cmd_geoadd(struct cmd_ctx *ctx)
{
	const struct resp_arg *key = &ctx->argv[1];
	int idx = 2, flags = 0, n, added = 0, updated = 0;
	bool ch = false;
	double *scores;
	struct obj *o;
	struct tzset z;

	for (; idx < ctx->argc; idx++) {
		if (cmd_arg_is(ctx, idx, "nx"))
			flags |= TZSET_ADD_NX;
		else if (cmd_arg_is(ctx, idx, "xx"))
			flags |= TZSET_ADD_XX;
		else if (cmd_arg_is(ctx, idx, "ch"))
			ch = true;
		else
			break;
	}
	n = ctx->argc - idx;
	/* No triple at all is ZADD's syntax error in Redis, which GEOADD calls. */
	if (n % 3 != 0 || n == 0 || ((flags & TZSET_ADD_NX) && (flags & TZSET_ADD_XX))) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	n /= 3;
	scores = xmalloc(sizeof *scores * (size_t)n);
	for (int j = 0; j < n; j++) {
		double xy[2];

		if (!arg_lonlat(ctx, idx + 3 * j, xy))
			goto out;
		scores[j] = (double)geo_score(xy[0], xy[1]);
	}
	if (!cmd_lookup_typed(ctx, key, OBJ_ZSET, true, &o))
		goto out;
	if (o == NULL) {
		struct obj_value v;

		if (flags & TZSET_ADD_XX)
			goto reply;
		z = tzset_new(1, ctx->argv[idx + 2].len);
		v = (struct obj_value){ .type = OBJ_ZSET, .enc = z.enc, .ptr = z.p };
		o = store_set_value(ctx->db, key->ptr, key->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
	}
	z = tzset_of(o);
	for (int j = 0; j < n; j++) {
		const struct resp_arg *m = &ctx->argv[idx + 3 * j + 2];
		int out;

		/* A geohash score is never NaN: tzset_add cannot fail here. */
		tzset_add(&z, scores[j], m->ptr, m->len, flags, &out, NULL);
		added += (out & TZSET_OUT_ADDED) != 0;
		updated += (out & TZSET_OUT_UPDATED) != 0;
	}
	tzset_put(o, &z);
reply:
	resp_add_int(ctx->out, ch ? added + updated : added);
out:
	xfree(scores);
	if (added || updated)
		signal_key(ctx, key);
}

/* ---- GEOPOS, GEOHASH, GEODIST ---- */

void
cmd_geopos(struct cmd_ctx *ctx)
{
	struct obj *o;
	struct tzset z;

	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o != NULL)
		z = tzset_of(o);
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int j = 2; j < ctx->argc; j++) {
		double score, xy[2];

		if (o == NULL || !tzset_score(&z, ctx->argv[j].ptr, ctx->argv[j].len, &score)) {
			resp_add_null_array(ctx->out);
			continue;
		}
		geo_decode_score(score, xy);
		resp_add_array(ctx->out, 2);
		reply_coord(ctx, xy[0]);
		reply_coord(ctx, xy[1]);
	}
}

void
cmd_geohash(struct cmd_ctx *ctx)
{
	struct obj *o;
	struct tzset z;

	if (!cmd_lookup_typed(ctx, &ctx->argv[1], OBJ_ZSET, false, &o))
		return;
	if (o != NULL)
		z = tzset_of(o);
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int j = 2; j < ctx->argc; j++) {
		char buf[GEO_HASH_STR_LEN];
		double score;

		if (o == NULL || !tzset_score(&z, ctx->argv[j].ptr, ctx->argv[j].len, &score)) {
			resp_add_null(ctx->out);
			continue;
		}
		geo_hash_string(score, buf);
		resp_add_bulk(ctx->out, buf, sizeof buf);
	}
}

void
cmd_geodist(struct cmd_ctx *ctx)
{
	double to_metres = 1, s1, s2, a[2], b[2];
	struct obj *o;
	struct tzset z;

	if (ctx->argc == 5) {
		to_metres = arg_unit(ctx, 4);
		if (to_metres < 0)
			return;
	} else if (ctx->argc > 5) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	o = cmd_lookup_read(ctx, &ctx->argv[1]);
	if (o == NULL) {
		resp_add_null(ctx->out);
		return;
	}
	if (obj_type(o) != OBJ_ZSET) {
		cmd_reply_wrongtype(ctx);
		return;
	}
	z = tzset_of(o);
	if (!tzset_score(&z, ctx->argv[2].ptr, ctx->argv[2].len, &s1) ||
	    !tzset_score(&z, ctx->argv[3].ptr, ctx->argv[3].len, &s2)) {
		resp_add_null(ctx->out);
		return;
	}
	geo_decode_score(s1, a);
	geo_decode_score(s2, b);
	reply_distance(ctx, geo_distance(a[0], a[1], b[0], b[1]) / to_metres);
}

/* ---- The searches ---- */

enum {
	SEARCH_COORDS = 1 << 0,		/* GEORADIUS: centre given as lon lat */
	SEARCH_MEMBER = 1 << 1,		/* GEORADIUSBYMEMBER: centre is a member */
	SEARCH_NOSTORE = 1 << 2,	/* the _RO forms: no STORE/STOREDIST */
	SEARCH_GEOSEARCH = 1 << 3,	/* GEOSEARCH's FROM... / BY... arguments */
	SEARCH_STORE = 1 << 4,		/* GEOSEARCHSTORE: destination first, STOREDIST a flag */
};

enum sort_order { SORT_NONE, SORT_ASC, SORT_DESC };

/* The parsed options of a search. */
struct search_opts {
	const struct resp_arg *storekey;
	bool storedist;
	bool withdist, withhash, withcoord, any;
	enum sort_order sort;
	int64_t count;			/* 0: unlimited */
};

/* The centre of a search from a member's position; false if it is not a member. */
static bool
member_position(const struct tzset *z, const struct resp_arg *m, double xy[2])
{
	double score;

	if (!tzset_score(z, m->ptr, m->len, &score))
		return false;
	geo_decode_score(score, xy);
	return true;
}

/*
 * Parses the options from argv[base] on, as Redis' georadiusGeneric, including GEOSEARCH's
 * FROMMEMBER/FROMLONLAT/BYRADIUS/BYBOX (which fill shape). z is the source (NULL when the key
 * is missing: FROMMEMBER is then accepted unchecked). Replies and returns false on an error.
 */
static bool
parse_search_opts(struct cmd_ctx *ctx, int base, int flags, const struct tzset *z,
    struct geo_shape *shape, struct search_opts *o)
{
	bool frommember = false, fromloc = false, byradius = false, bybox = false;
	bool geosearch = flags & SEARCH_GEOSEARCH;
	int left = ctx->argc - base;
	size_t namelen;

	for (int i = 0; i < left; i++) {
		int a = base + i;

		if (cmd_arg_is(ctx, a, "withdist")) {
			o->withdist = true;
		} else if (cmd_arg_is(ctx, a, "withhash")) {
			o->withhash = true;
		} else if (cmd_arg_is(ctx, a, "withcoord")) {
			o->withcoord = true;
		} else if (cmd_arg_is(ctx, a, "any")) {
			o->any = true;
		} else if (cmd_arg_is(ctx, a, "asc")) {
			o->sort = SORT_ASC;
		} else if (cmd_arg_is(ctx, a, "desc")) {
			o->sort = SORT_DESC;
		} else if (cmd_arg_is(ctx, a, "count") && i + 1 < left) {
			if (!cmd_arg_i64(ctx, a + 1, &o->count))
				return false;
			if (o->count <= 0) {
				cmd_reply_error(ctx, "ERR COUNT must be > 0");
				return false;
			}
			i++;
		} else if ((cmd_arg_is(ctx, a, "store") || cmd_arg_is(ctx, a, "storedist")) &&
		    i + 1 < left && !(flags & SEARCH_NOSTORE) && !geosearch) {
			o->storekey = &ctx->argv[a + 1];
			o->storedist = cmd_arg_is(ctx, a, "storedist");
			i++;
		} else if (cmd_arg_is(ctx, a, "storedist") && geosearch && (flags & SEARCH_STORE)) {
			o->storedist = true;
		} else if (cmd_arg_is(ctx, a, "frommember") && i + 1 < left && geosearch &&
		    !fromloc) {
			if (z != NULL && !member_position(z, &ctx->argv[a + 1], shape->xy)) {
				cmd_reply_error(ctx, "ERR could not decode requested zset member");
				return false;
			}
			frommember = true;
			i++;
		} else if (cmd_arg_is(ctx, a, "fromlonlat") && i + 2 < left && geosearch &&
		    !frommember) {
			if (!arg_lonlat(ctx, a + 1, shape->xy))
				return false;
			fromloc = true;
			i += 2;
		} else if (cmd_arg_is(ctx, a, "byradius") && i + 2 < left && geosearch && !bybox) {
			if (!arg_radius(ctx, a + 1, shape))
				return false;
			shape->kind = GEO_SHAPE_CIRCLE;
			byradius = true;
			i += 2;
		} else if (cmd_arg_is(ctx, a, "bybox") && i + 3 < left && geosearch && !byradius) {
			if (!arg_box(ctx, a + 1, shape))
				return false;
			shape->kind = GEO_SHAPE_BOX;
			bybox = true;
			i += 3;
		} else {
			cmd_reply_syntax_error(ctx);
			return false;
		}
	}
	if (o->storekey != NULL && (o->withdist || o->withhash || o->withcoord)) {
		cmd_reply_error(ctx, "ERR %s is not compatible with WITHDIST, WITHHASH and "
		    "WITHCOORD options",
		    (flags & SEARCH_STORE) ? "GEOSEARCHSTORE" : "STORE option in GEORADIUS");
		return false;
	}
	/* Redis names the command as the client spelt it. */
	namelen = cmd_arg_cstrlen(&ctx->argv[0]);
	if (geosearch && !frommember && !fromloc) {
		cmd_reply_error(ctx, "ERR exactly one of FROMMEMBER or FROMLONLAT can be specified "
		    "for %.*s", (int)namelen, ctx->argv[0].ptr);
		return false;
	}
	if (geosearch && !byradius && !bybox) {
		cmd_reply_error(ctx, "ERR exactly one of BYRADIUS and BYBOX can be specified "
		    "for %.*s", (int)namelen, ctx->argv[0].ptr);
		return false;
	}
	if (o->any && o->count == 0) {
		cmd_reply_error(ctx, "ERR the ANY argument requires COUNT argument");
		return false;
	}
	return true;
}

/* Stores the first n points of r at dst (scores: geohash, or distance in the request's unit
 * with STOREDIST), or deletes dst when n is 0; replies n. */
static void
store_result(struct cmd_ctx *ctx, const struct resp_arg *dst, struct geo_result *r, size_t n,
    bool storedist, double conversion)
{
	struct tzset z;
	struct obj_value v;
	size_t maxlen = 0;

	if (n == 0) {
		if (store_delete(ctx->db, dst->ptr, dst->len, ctx->now_ms))
			signal_key(ctx, dst);
		resp_add_const(ctx->out, RESP_C_ZERO);
		return;
	}
	for (size_t i = 0; i < n; i++)
		if (r->pts[i].name_len > maxlen)
			maxlen = r->pts[i].name_len;
	/* Redis builds a skip list and shrinks it to a listpack when it fits: the same pick. */
	z = tzset_new(n, maxlen);
	for (size_t i = 0; i < n; i++) {
		const struct geo_point *p = &r->pts[i];
		double score = storedist ? p->dist / conversion : p->score;

		tzset_insert_new(&z, score, geo_point_name(r, p), p->name_len);
	}
	v = (struct obj_value){ .type = OBJ_ZSET, .enc = z.enc, .ptr = z.p };
	store_set_value(ctx->db, dst->ptr, dst->len, &v, OBJ_NO_EXPIRE, ctx->now_ms);
	signal_key(ctx, dst);
	resp_add_int(ctx->out, (int64_t)n);
}

/* Replies the first n points of r with the options asked for. */
static void
reply_result(struct cmd_ctx *ctx, const struct geo_result *r, size_t n,
    const struct search_opts *o, double conversion)
{
	size_t extra = (size_t)o->withdist + o->withhash + o->withcoord;

	resp_add_array(ctx->out, n);
	for (size_t i = 0; i < n; i++) {
		const struct geo_point *p = &r->pts[i];

		if (extra > 0)
			resp_add_array(ctx->out, extra + 1);
		resp_add_bulk(ctx->out, geo_point_name(r, p), p->name_len);
		if (o->withdist)
			reply_distance(ctx, p->dist / conversion);
		if (o->withhash)
			resp_add_int(ctx->out, (int64_t)p->score);
		if (o->withcoord) {
			resp_add_array(ctx->out, 2);
			reply_coord(ctx, p->lon);
			reply_coord(ctx, p->lat);
		}
	}
}

/* The body of every search command: srcidx is the source key's position. */
static void
search_generic(struct cmd_ctx *ctx, int srcidx, int flags)
{
	struct search_opts o = { .sort = SORT_NONE };
	struct geo_shape shape = { .kind = GEO_SHAPE_CIRCLE, .conversion = 1 };
	struct geo_result r = { 0 };
	struct tzset z, *zp = NULL;
	struct obj *src;
	int base;
	size_t n;

	if (!cmd_lookup_typed(ctx, &ctx->argv[srcidx], OBJ_ZSET, false, &src))
		return;
	if (src != NULL) {
		z = tzset_of(src);
		zp = &z;
	}
	if (flags & SEARCH_COORDS) {
		base = 6;
		if (!arg_lonlat(ctx, 2, shape.xy) || !arg_radius(ctx, 4, &shape))
			return;
	} else if (flags & SEARCH_MEMBER) {
		/* Without the key only the options are checked: they decide the reply. */
		base = 5;
		if (zp != NULL) {
			if (!member_position(zp, &ctx->argv[2], shape.xy)) {
				cmd_reply_error(ctx, "ERR could not decode requested zset member");
				return;
			}
			if (!arg_radius(ctx, 3, &shape))
				return;
		}
	} else {
		base = 2;
		if (flags & SEARCH_STORE) {
			base = 3;
			o.storekey = &ctx->argv[1];
		}
	}
	if (!parse_search_opts(ctx, base, flags, zp, &shape, &o))
		return;

	if (zp == NULL) {
		if (o.storekey != NULL)
			store_result(ctx, o.storekey, &r, 0, false, 1);
		else
			resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		return;
	}
	/* COUNT keeps the nearest points, so it implies ASC unless ANY takes the first found. */
	if (o.count != 0 && o.sort == SORT_NONE && !o.any)
		o.sort = SORT_ASC;
	geo_search(zp, &shape, o.any ? (size_t)o.count : 0, &r);
	if (r.n == 0 && o.storekey == NULL) {
		resp_add_const(ctx->out, RESP_C_EMPTY_ARRAY);
		goto out;
	}
	n = o.count == 0 || r.n < (uint64_t)o.count ? r.n : (size_t)o.count;
	if (o.sort != SORT_NONE)
		geo_result_sort(&r, o.sort == SORT_DESC, n);
	if (o.storekey == NULL)
		reply_result(ctx, &r, n, &o, shape.conversion);
	else
		store_result(ctx, o.storekey, &r, n, o.storedist, shape.conversion);
out:
	geo_result_free(&r);
}

void
cmd_georadius(struct cmd_ctx *ctx)
{
	search_generic(ctx, 1, SEARCH_COORDS);
}

void
cmd_georadiusbymember(struct cmd_ctx *ctx)
{
	search_generic(ctx, 1, SEARCH_MEMBER);
}

void
cmd_georadius_ro(struct cmd_ctx *ctx)
{
	search_generic(ctx, 1, SEARCH_COORDS | SEARCH_NOSTORE);
}

void
cmd_georadiusbymember_ro(struct cmd_ctx *ctx)
{
	search_generic(ctx, 1, SEARCH_MEMBER | SEARCH_NOSTORE);
}

void
cmd_geosearch(struct cmd_ctx *ctx)
{
	search_generic(ctx, 1, SEARCH_GEOSEARCH);
}

void
cmd_geosearchstore(struct cmd_ctx *ctx)
{
	search_generic(ctx, 2, SEARCH_GEOSEARCH | SEARCH_STORE);
}
