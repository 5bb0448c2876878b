/*
 * t_string.c: string values (t_string.h): encodings, GET/SET helpers, APPEND, SETRANGE,
 * GETRANGE, the INCR family, INCRBYFLOAT and LCS. Bitmaps are in t_bitmap.c.
 *
 * A value that a command rewrites in place (APPEND on an existing key, SETRANGE, SETBIT, BITFIELD)
 * first becomes "raw", as Redis' dbUnshareStringValue makes it, so OBJECT ENCODING answers as
 * Redis does after the same history.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"
#include "storage/t_string_int.h"

/* Greedy growth of appended strings stops doubling here, as sds' SDS_MAX_PREALLOC. */
#define RAW_MAX_PREALLOC (1024 * 1024)

struct tstr_raw *
tstr_raw_new(const char *p, size_t len)
{
	struct tstr_raw *r = xmalloc(sizeof *r + len);

	r->len = len;
	if (p != NULL)
		memcpy(r->buf, p, len);
	else
		memset(r->buf, 0, len);
	return r;
}

struct tstr_raw *
tstr_raw_dup(const struct tstr_raw *r)
{
	return tstr_raw_new(r->buf, r->len);
}

size_t
tstr_raw_cap(const struct tstr_raw *r)
{
	return xsize(r) - sizeof *r;
}

struct tstr_raw *
tstr_raw_grow(struct tstr_raw *r, size_t len, bool greedy)
{
	size_t cap = tstr_raw_cap(r), want = len;

	if (len <= r->len)
		return r;
	if (len > cap) {
		if (greedy)
			want = len < RAW_MAX_PREALLOC ? len * 2 : len + RAW_MAX_PREALLOC;
		r = xrealloc(r, sizeof *r + want);
	}
	memset(r->buf + r->len, 0, len - r->len);
	r->len = len;
	return r;
}

void
tstr_value(struct obj_value *v, const char *p, size_t len)
{
	memset(v, 0, sizeof *v);
	v->type = OBJ_STRING;
	if (len <= 20 && num_parse_i64(p, len, &v->i)) {
		v->enc = OBJ_ENC_INT;
	} else if (len <= OBJ_EMBSTR_MAX) {
		v->enc = OBJ_ENC_EMBSTR;
		v->bytes = p;
		v->len = len;
	} else {
		v->enc = OBJ_ENC_RAW;
		v->ptr = tstr_raw_new(p, len);
	}
}

struct obj *
tstr_set(struct db *db, const char *key, size_t klen, const char *p, size_t len, int64_t expire,
    int64_t now_ms)
{
	struct obj_value v;

	tstr_value(&v, p, len);
	return store_set_value(db, key, klen, &v, expire, now_ms);
}

const char *
tstr_get(const struct obj *o, char ibuf[TSTR_INT_BUF], size_t *len)
{
	const struct tstr_raw *r;

	switch (obj_encoding(o)) {
	case OBJ_ENC_INT:
		*len = num_fmt_i64(ibuf, obj_int(o));
		return ibuf;
	case OBJ_ENC_EMBSTR:
		return obj_embstr(o, len);
	default:
		r = obj_ptr(o);
		*len = r->len;
		return r->buf;
	}
}

size_t
tstr_len(const struct obj *o)
{
	size_t len;
	int64_t v;

	switch (obj_encoding(o)) {
	case OBJ_ENC_INT:
		v = obj_int(o);
		return (v < 0) + num_digits_u64(v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v);
	case OBJ_ENC_EMBSTR:
		obj_embstr(o, &len);
		return len;
	default:
		return ((const struct tstr_raw *)obj_ptr(o))->len;
	}
}

size_t
tstr_range(size_t len, int64_t start, int64_t end, size_t *from)
{
	int64_t n = (int64_t)len;

	*from = 0;
	if (start < 0 && end < 0 && start > end)
		return 0;
	if (start < 0)
		start += n;
	if (end < 0)
		end += n;
	if (start < 0)
		start = 0;
	if (end < 0)
		end = 0;
	if (end >= n)
		end = n - 1;
	if (start > end || len == 0)
		return 0;
	*from = (size_t)start;
	return (size_t)(end - start + 1);
}

struct tstr_raw *
tstr_unshare(struct db *db, const char *key, size_t klen, struct obj **op, size_t minlen,
    int64_t now_ms)
{
	struct obj *o = *op;
	struct obj_value v;
	struct tstr_raw *r;

	if (o != NULL && obj_encoding(o) == OBJ_ENC_RAW) {
		r = obj_ptr(o);
	} else {
		char ibuf[TSTR_INT_BUF];
		size_t len = 0;
		const char *p = o ? tstr_get(o, ibuf, &len) : NULL;

		r = tstr_raw_new(p, len);
		memset(&v, 0, sizeof v);
		v.type = OBJ_STRING;
		v.enc = OBJ_ENC_RAW;
		v.ptr = r;
		/* Redis' dbOverwrite keeps the TTL of the key being rewritten. */
		o = store_set_value(db, key, klen, &v, STORE_KEEP_TTL, now_ms);
	}
	if (minlen > r->len) {
		r = tstr_raw_grow(r, minlen, false);
		obj_set_ptr(o, r);
	}
	*op = o;
	return r;
}

enum tstr_result
tstr_append(struct db *db, const char *key, size_t klen, const char *p, size_t n,
    int64_t now_ms, size_t *newlen)
{
	struct obj *o = store_lookup_write(db, key, klen, now_ms);
	struct tstr_raw *r;
	size_t old;

	if (o == NULL) {
		tstr_set(db, key, klen, p, n, OBJ_NO_EXPIRE, now_ms);
		*newlen = n;
		return TSTR_OK;
	}
	if (obj_type(o) != OBJ_STRING)
		return TSTR_WRONGTYPE;
	r = tstr_unshare(db, key, klen, &o, 0, now_ms);
	old = r->len;
	r = tstr_raw_grow(r, old + n, true);
	obj_set_ptr(o, r);
	if (n > 0)
		memcpy(r->buf + old, p, n);
	*newlen = r->len;
	return TSTR_OK;
}

enum tstr_result
tstr_setrange(struct db *db, const char *key, size_t klen, uint64_t offset, const char *p,
    size_t n, int64_t now_ms, size_t *newlen)
{
	struct obj *o = store_lookup_write(db, key, klen, now_ms);
	struct tstr_raw *r;

	if (o != NULL && obj_type(o) != OBJ_STRING)
		return TSTR_WRONGTYPE;
	if (n == 0) {
		*newlen = o ? tstr_len(o) : 0;
		return TSTR_OK;
	}
	r = tstr_unshare(db, key, klen, &o, (size_t)offset + n, now_ms);
	memcpy(r->buf + offset, p, n);
	*newlen = r->len;
	return TSTR_OK;
}

enum tstr_result
tstr_incrby(struct db *db, const char *key, size_t klen, int64_t incr, int64_t now_ms,
    int64_t *out)
{
	struct obj *o = store_lookup_write(db, key, klen, now_ms);
	struct obj_value v;
	int64_t value = 0;

	if (o != NULL) {
		char ibuf[TSTR_INT_BUF];
		const char *p;
		size_t len;

		if (obj_type(o) != OBJ_STRING)
			return TSTR_WRONGTYPE;
		p = tstr_get(o, ibuf, &len);
		if (obj_encoding(o) == OBJ_ENC_INT)
			value = obj_int(o);
		else if (!num_parse_i64(p, len, &value))
			return TSTR_NOT_INT;
	}
	if ((incr < 0 && value < 0 && incr < INT64_MIN - value) ||
	    (incr > 0 && value > 0 && incr > INT64_MAX - value))
		return TSTR_OVERFLOW;
	value += incr;
	*out = value;
	if (o != NULL && obj_encoding(o) == OBJ_ENC_INT) {
		obj_set_int(o, value);
		return TSTR_OK;
	}
	memset(&v, 0, sizeof v);
	v.type = OBJ_STRING;
	v.enc = OBJ_ENC_INT;
	v.i = value;
	store_set_value(db, key, klen, &v, STORE_KEEP_TTL, now_ms);
	return TSTR_OK;
}

bool
tstr_parse_ld(const char *p, size_t len, long double *out)
{
	char buf[TSTR_LD_BUF];
	char *end;
	long double v;

	if (len == 0 || len >= sizeof buf)
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	errno = 0;
	v = strtold(buf, &end);
	if (isspace((unsigned char)buf[0]) || *end != '\0' || (size_t)(end - buf) != len)
		return false;
	if (errno == ERANGE && (v == HUGE_VALL || v == -HUGE_VALL || fpclassify(v) == FP_ZERO))
		return false;
	if (errno == EINVAL || isnan(v))
		return false;
	*out = v;
	return true;
}

size_t
tstr_fmt_ld(char *buf, size_t size, long double v)
{
	int n;
	size_t l;

	if (isinf(v)) {
		if (size < 5)
			return 0;
		l = v > 0 ? 3 : 4;
		memcpy(buf, v > 0 ? "inf" : "-inf", l);
		return l;
	}
	n = snprintf(buf, size, "%.17Lf", v);
	if (n < 0 || (size_t)n + 1 > size)
		return 0;
	l = (size_t)n;
	if (memchr(buf, '.', l) != NULL) {
		while (buf[l - 1] == '0')
			l--;
		if (buf[l - 1] == '.')
			l--;
	}
	if (l == 2 && buf[0] == '-' && buf[1] == '0') {
		buf[0] = '0';
		l = 1;
	}
	return l;
}

enum tstr_result
tstr_incrbyfloat(struct db *db, const char *key, size_t klen, long double incr, int64_t now_ms,
    char *out, size_t *outlen)
{
	struct obj *o = store_lookup_write(db, key, klen, now_ms);
	long double value = 0;
	struct obj_value v;
	size_t len;

	if (o != NULL) {
		char ibuf[TSTR_INT_BUF];
		const char *p;

		if (obj_type(o) != OBJ_STRING)
			return TSTR_WRONGTYPE;
		if (obj_encoding(o) == OBJ_ENC_INT) {
			value = (long double)obj_int(o);
		} else {
			p = tstr_get(o, ibuf, &len);
			if (!tstr_parse_ld(p, len, &value))
				return TSTR_NOT_FLOAT;
		}
	}
	value += incr;
	if (isnan(value) || isinf(value))
		return TSTR_NAN_INF;
	len = tstr_fmt_ld(out, TSTR_LD_BUF, value);
	*outlen = len;
	/* Redis stores the text with createStringObject: embstr or raw, never int. */
	memset(&v, 0, sizeof v);
	v.type = OBJ_STRING;
	if (len <= OBJ_EMBSTR_MAX) {
		v.enc = OBJ_ENC_EMBSTR;
		v.bytes = out;
		v.len = len;
	} else {
		v.enc = OBJ_ENC_RAW;
		v.ptr = tstr_raw_new(out, len);
	}
	store_set_value(db, key, klen, &v, STORE_KEEP_TTL, now_ms);
	return TSTR_OK;
}

enum tstr_result
tstr_lcs(const char *a, size_t alen, const char *b, size_t blen, bool want_str, bool want_idx,
    int64_t minmatchlen, uint64_t max_table, struct tstr_lcs *out)
{
	uint32_t *t, i, j, idx, as, ae = 0, bs = 0, be = 0, w;
	uint64_t cells;
	size_t mcap = 0;

	memset(out, 0, sizeof *out);
	if (alen >= UINT32_MAX - 1 || blen >= UINT32_MAX - 1)
		return TSTR_LCS_TOO_LONG;
	cells = (uint64_t)(alen + 1) * (blen + 1);
	if (cells * sizeof *t > max_table)
		return TSTR_LCS_TOO_BIG;
	w = (uint32_t)blen + 1;
	t = xmalloc(cells * sizeof *t);
#define CELL(x, y) t[(size_t)(x) * w + (y)]
	for (i = 0; i <= alen; i++) {
		for (j = 0; j <= blen; j++) {
			if (i == 0 || j == 0)
				CELL(i, j) = 0;
			else if (a[i - 1] == b[j - 1])
				CELL(i, j) = CELL(i - 1, j - 1) + 1;
			else
				CELL(i, j) = CELL(i - 1, j) > CELL(i, j - 1) ?
				    CELL(i - 1, j) : CELL(i, j - 1);
		}
	}
	out->len = idx = CELL(alen, blen);
	if (!want_str && !want_idx)
		goto out_free_table;
	out->str = xmalloc(idx ? idx : 1);
	/*
	 * Walk back from the end; a range is open while matches are contiguous on both sides and is
	 * closed by a mismatch step or by reaching the start of either string, as Redis emits them.
	 */
	as = (uint32_t)alen;	/* alen: no open range */
	i = (uint32_t)alen;
	j = (uint32_t)blen;
	while (i > 0 && j > 0) {
		bool emit = false;

		if (a[i - 1] == b[j - 1]) {
			out->str[idx - 1] = a[i - 1];
			if (as == alen) {
				as = ae = i - 1;
				bs = be = j - 1;
			} else if (as == i && bs == j) {
				as--;
				bs--;
			} else {
				emit = true;
			}
			if (as == 0 || bs == 0)
				emit = true;
			idx--;
			i--;
			j--;
		} else {
			if (CELL(i - 1, j) > CELL(i, j - 1))
				i--;
			else
				j--;
			if (as != alen)
				emit = true;
		}
		if (emit) {
			uint32_t mlen = ae - as + 1;

			if (want_idx && (minmatchlen <= 0 || (int64_t)mlen >= minmatchlen)) {
				if (out->nm == mcap) {
					mcap = mcap ? mcap * 2 : 8;
					out->m = xrealloc(out->m, mcap * sizeof *out->m);
				}
				out->m[out->nm].a_start = as;
				out->m[out->nm].a_end = ae;
				out->m[out->nm].b_start = bs;
				out->m[out->nm].b_end = be;
				out->m[out->nm].len = mlen;
				out->nm++;
			}
			as = (uint32_t)alen;
		}
	}
#undef CELL
	if (!want_str) {
		xfree(out->str);
		out->str = NULL;
	}
out_free_table:
	xfree(t);
	return TSTR_OK;
}

void
tstr_lcs_free(struct tstr_lcs *l)
{
	xfree(l->str);
	xfree(l->m);
	memset(l, 0, sizeof *l);
}
