/*
 * rdb_value.c: RDB lengths and strings, and the DUMP payload around them (see rdb_value.h).
 *
 * Length prefix (the top two bits of the first byte):
 *   00xxxxxx                6-bit length
 *   01xxxxxx xxxxxxxx       14-bit length, big endian
 *   10000000 + 4 bytes      32-bit length, big endian
 *   10000001 + 8 bytes      64-bit length, big endian
 *   11xxxxxx                not a length: a special string encoding follows
 *                           (0 INT8, 1 INT16, 2 INT32 little endian; 3 LZF: clen, len, blob)
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/obj.h"
#include "storage/rdb/crc64.h"
#include "storage/rdb/lzf.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_string.h"

#define RDB_ENCVAL	3
#define RDB_ENC_INT8	0
#define RDB_ENC_INT16	1
#define RDB_ENC_INT32	2
#define RDB_ENC_LZF	3
#define RDB_32BITLEN	0x80
#define RDB_64BITLEN	0x81

/* Longest string Redis tries as an integer, and the shortest it tries to compress. */
#define RDB_INT_MAX_CHARS	11
#define RDB_LZF_MIN_LEN		21

size_t
rdb_save_len(unsigned char *dst, uint64_t len)
{
	if (len < (1 << 6)) {
		dst[0] = (unsigned char)len;
		return 1;
	}
	if (len < (1 << 14)) {
		dst[0] = (unsigned char)(0x40 | len >> 8);
		dst[1] = (unsigned char)len;
		return 2;
	}
	if (len <= UINT32_MAX) {
		dst[0] = RDB_32BITLEN;
		for (int i = 0; i < 4; i++)
			dst[1 + i] = (unsigned char)(len >> (24 - 8 * i));
		return 5;
	}
	dst[0] = RDB_64BITLEN;
	for (int i = 0; i < 8; i++)
		dst[1 + i] = (unsigned char)(len >> (56 - 8 * i));
	return 9;
}

/* Writes v as INT8/INT16/INT32 if it fits one; returns the bytes written, or 0. */
static size_t
save_int(unsigned char *dst, int64_t v)
{
	uint32_t u = (uint32_t)v;
	size_t n;

	if (v >= INT8_MIN && v <= INT8_MAX) {
		dst[0] = RDB_ENCVAL << 6 | RDB_ENC_INT8;
		n = 1;
	} else if (v >= INT16_MIN && v <= INT16_MAX) {
		dst[0] = RDB_ENCVAL << 6 | RDB_ENC_INT16;
		n = 2;
	} else if (v >= INT32_MIN && v <= INT32_MAX) {
		dst[0] = RDB_ENCVAL << 6 | RDB_ENC_INT32;
		n = 4;
	} else {
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		dst[1 + i] = (unsigned char)(u >> (8 * i));
	return 1 + n;
}

/*
 * Writes s/len LZF-compressed if that saves at least 5 bytes (Redis' threshold); returns the
 * bytes written, or 0. The blob is compressed past room for both length prefixes, then moved
 * down behind the prefixes once its length is known.
 */
static size_t
save_lzf(unsigned char *dst, const void *s, size_t len)
{
	unsigned char *blob = dst + 1 + 2 * RDB_LEN_MAX;
	size_t clen, n;

	if (len <= 4)
		return 0;
	clen = lzf_compress(s, len, blob, len - 4);
	if (clen == 0)
		return 0;
	dst[0] = RDB_ENCVAL << 6 | RDB_ENC_LZF;
	n = 1 + rdb_save_len(dst + 1, clen);
	n += rdb_save_len(dst + n, len);
	memmove(dst + n, blob, clen);
	return n + clen;
}

size_t
rdb_save_string(unsigned char *dst, const void *s, size_t len)
{
	size_t n;

	if (len <= RDB_INT_MAX_CHARS) {
		int64_t v;

		if (num_parse_i64(s, len, &v) && (n = save_int(dst, v)) > 0)
			return n;
	}
	if (len >= RDB_LZF_MIN_LEN && (n = save_lzf(dst, s, len)) > 0)
		return n;
	n = rdb_save_len(dst, len);
	if (len > 0)
		memcpy(dst + n, s, len);
	return n + len;
}

/*
 * Appends the DUMP trailer to the n payload bytes at p (room for RDB_DUMP_TRAILER more): the
 * version, 2 bytes little endian, then the CRC-64 of everything before the CRC. Returns the
 * new length.
 */
static size_t
put_trailer(unsigned char *p, size_t n, unsigned ver)
{
	uint64_t crc;

	p[n++] = ver & 0xff;
	p[n++] = (unsigned char)(ver >> 8);
	crc = crc64_update(0, p, n);
	for (int i = 0; i < 8; i++)
		p[n++] = (unsigned char)(crc >> (8 * i));
	return n;
}

size_t
rdb_dump_string(unsigned char *dst, const void *s, size_t len)
{
	size_t n = 0;

	dst[n++] = RDB_TYPE_STRING;
	n += rdb_save_string(dst + n, s, len);
	return put_trailer(dst, n, RDB_VERSION);
}

bool
rdb_dump_verify(const void *payload, size_t len)
{
	const unsigned char *p = payload, *t;
	uint64_t crc = 0;
	unsigned ver;

	if (len < RDB_DUMP_TRAILER)
		return false;
	t = p + len - RDB_DUMP_TRAILER;
	ver = (unsigned)t[0] | (unsigned)t[1] << 8;
	if (ver > RDB_RESTORE_VERSION_MAX)
		return false;
	for (int i = 7; i >= 0; i--)
		crc = crc << 8 | t[2 + i];
	return crc64_update(0, p, len - 8) == crc;
}

void
rdb_string_free(struct rdb_string *s)
{
	xfree(s->heap);
	s->heap = NULL;
	s->ptr = NULL;
	s->len = 0;
}

/*
 * Reads a length prefix. Returns true and sets *v and *enc (true: *v is a special encoding
 * number, not a length), or false if the bytes end too soon or the marker is unknown.
 */
static bool
load_len(const unsigned char *p, size_t len, size_t *pos, uint64_t *v, bool *enc)
{
	unsigned char b;
	int nbytes;

	if (*pos >= len)
		return false;
	b = p[(*pos)++];
	*enc = false;
	switch (b >> 6) {
	case RDB_ENCVAL:
		*enc = true;
		/* FALLTHROUGH */
	case 0:
		*v = b & 0x3f;
		return true;
	case 1:
		if (*pos >= len)
			return false;
		*v = (uint64_t)(b & 0x3f) << 8 | p[(*pos)++];
		return true;
	}
	if (b == RDB_32BITLEN)
		nbytes = 4;
	else if (b == RDB_64BITLEN)
		nbytes = 8;
	else
		return false;
	if (len - *pos < (size_t)nbytes)
		return false;
	*v = 0;
	for (int i = 0; i < nbytes; i++)
		*v = *v << 8 | p[(*pos)++];
	return true;
}

static bool
load_int(const unsigned char *p, size_t len, size_t *pos, uint64_t kind, struct rdb_string *out)
{
	size_t n = kind == RDB_ENC_INT8 ? 1 : kind == RDB_ENC_INT16 ? 2 : 4;
	uint32_t u = 0;
	int64_t v;

	if (len - *pos < n)
		return false;
	for (size_t i = 0; i < n; i++)
		u |= (uint32_t)p[*pos + i] << (8 * i);
	*pos += n;
	if (n == 1)
		v = (int8_t)u;
	else if (n == 2)
		v = (int16_t)u;
	else
		v = (int32_t)u;
	out->len = num_fmt_i64(out->ibuf, v);
	out->ptr = out->ibuf;
	return true;
}

static bool
load_lzf(const unsigned char *p, size_t len, size_t *pos, struct rdb_string *out)
{
	uint64_t clen, ulen;
	size_t have;
	bool enc;

	if (!load_len(p, len, pos, &clen, &enc) || !load_len(p, len, pos, &ulen, &enc))
		return false;
	if (clen > len - *pos)
		return false;
	/*
	 * liblzf reports every failure as output length 0, so a blob that claims length 0
	 * "decompresses" whatever it holds. Otherwise the blob must produce exactly ulen bytes.
	 */
	if (ulen == 0) {
		*pos += clen;
		out->ptr = out->ibuf;
		out->len = 0;
		return true;
	}
	if (!lzf_decompressed_len(p + *pos, clen, &have) || have != ulen)
		return false;
	out->heap = xmalloc(have);
	if (lzf_decompress(p + *pos, clen, out->heap, have) != have) {
		rdb_string_free(out);
		return false;
	}
	*pos += clen;
	out->ptr = out->heap;
	out->len = have;
	return true;
}

bool
rdb_load_string(const unsigned char *p, size_t len, size_t *pos, struct rdb_string *out)
{
	uint64_t v;
	bool enc;

	out->heap = NULL;
	out->ptr = NULL;
	out->len = 0;
	if (!load_len(p, len, pos, &v, &enc))
		return false;
	if (enc) {
		switch (v) {
		case RDB_ENC_INT8:
		case RDB_ENC_INT16:
		case RDB_ENC_INT32:
			return load_int(p, len, pos, v, out);
		case RDB_ENC_LZF:
			return load_lzf(p, len, pos, out);
		default:
			return false;
		}
	}
	if (v > len - *pos)
		return false;
	out->ptr = (const char *)p + *pos;
	out->len = (size_t)v;
	*pos += (size_t)v;
	return true;
}

bool
rdb_restore_type_ok(unsigned t)
{
	return t <= 7 || (t >= 9 && t <= 25);
}

enum rdb_restore_result
rdb_restore_string(const void *payload, size_t len, struct rdb_string *out)
{
	const unsigned char *p = payload;
	size_t pos = 1;

	out->heap = NULL;
	out->ptr = NULL;
	out->len = 0;
	if (len < 1 || !rdb_restore_type_ok(p[0]))
		return RDB_RESTORE_BAD;
	if (p[0] != RDB_TYPE_STRING)
		return RDB_RESTORE_TYPE;
	return rdb_load_string(p, len, &pos, out) ? RDB_RESTORE_OK : RDB_RESTORE_BAD;
}

/* ---- rdb_buf ---- */

unsigned char *
rdb_buf_reserve(struct rdb_buf *b, size_t n)
{
	if (b->cap - b->len < n) {
		size_t cap = b->cap < 64 ? 64 : b->cap;

		while (cap - b->len < n)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	return b->p + b->len;
}

void
rdb_buf_put(struct rdb_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return;
	memcpy(rdb_buf_reserve(b, n), p, n);
	b->len += n;
}

void
rdb_buf_put_byte(struct rdb_buf *b, unsigned char c)
{
	*rdb_buf_reserve(b, 1) = c;
	b->len++;
}

void
rdb_buf_put_len(struct rdb_buf *b, uint64_t len)
{
	b->len += rdb_save_len(rdb_buf_reserve(b, RDB_LEN_MAX), len);
}

void
rdb_buf_put_string(struct rdb_buf *b, const void *s, size_t len)
{
	b->len += rdb_save_string(rdb_buf_reserve(b, RDB_STRING_BOUND(len)), s, len);
}

void
rdb_buf_put_i64_string(struct rdb_buf *b, int64_t v)
{
	char buf[NUM_I64_MAX_CHARS];

	rdb_buf_put_string(b, buf, num_fmt_i64(buf, v));
}

void
rdb_buf_put_i64le(struct rdb_buf *b, int64_t v)
{
	unsigned char *d = rdb_buf_reserve(b, 8);
	uint64_t u = (uint64_t)v;

	for (int i = 0; i < 8; i++)
		d[i] = (unsigned char)(u >> (8 * i));
	b->len += 8;
}

void
rdb_buf_put_double(struct rdb_buf *b, double d)
{
	int64_t v;

	memcpy(&v, &d, sizeof v);
	rdb_buf_put_i64le(b, v);
}

void
rdb_buf_free(struct rdb_buf *b)
{
	xfree(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---- readers ---- */

bool
rdb_load_len(const unsigned char *p, size_t len, size_t *pos, uint64_t *out)
{
	bool enc;

	return load_len(p, len, pos, out, &enc) && !enc;
}

bool
rdb_load_i64le(const unsigned char *p, size_t len, size_t *pos, int64_t *out)
{
	uint64_t u = 0;

	if (len - *pos < 8)
		return false;
	for (int i = 7; i >= 0; i--)
		u = u << 8 | p[*pos + (size_t)i];
	*pos += 8;
	*out = (int64_t)u;
	return true;
}

bool
rdb_load_double(const unsigned char *p, size_t len, size_t *pos, double *out)
{
	int64_t v;

	if (!rdb_load_i64le(p, len, pos, &v))
		return false;
	memcpy(out, &v, sizeof *out);
	return true;
}

bool
rdb_load_double_str(const unsigned char *p, size_t len, size_t *pos, double *out)
{
	char buf[256], *end;
	unsigned n;

	if (len - *pos < 1)
		return false;
	n = p[(*pos)++];
	switch (n) {
	case 253:
		*out = NAN;
		return true;
	case 254:
		*out = INFINITY;
		return true;
	case 255:
		*out = -INFINITY;
		return true;
	}
	if (len - *pos < n)
		return false;
	memcpy(buf, p + *pos, n);
	buf[n] = '\0';
	*pos += n;
	/* Redis reads it with strtod and does not check the end: neither does this. */
	*out = strtod(buf, &end);
	return true;
}

/* ---- every type ---- */

void
rdb_dump_obj(struct rdb_buf *b, const struct obj *o)
{
	unsigned ver = RDB_VERSION;

	switch (obj_type(o)) {
	case OBJ_STRING: {
		char ibuf[TSTR_INT_BUF];
		const char *s;
		size_t len;

		s = tstr_get(o, ibuf, &len);
		rdb_buf_put_byte(b, RDB_TYPE_STRING);
		rdb_buf_put_string(b, s, len);
		break;
	}
	case OBJ_HASH:
		ver = rdb_save_hash(b, o);
		break;
	case OBJ_LIST:
		ver = rdb_save_list(b, o);
		break;
	case OBJ_SET:
		ver = rdb_save_set(b, o);
		break;
	case OBJ_ZSET:
		ver = rdb_save_zset(b, o);
		break;
	case OBJ_STREAM:
		ver = rdb_save_stream(b, o);
		break;
	default:
		assert(!"rdb_dump_obj: type without a codec");
		return;
	}
	rdb_buf_reserve(b, RDB_DUMP_TRAILER);
	b->len = put_trailer(b->p, b->len, ver);
}

enum rdb_restore_result
rdb_load_object(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out, struct rdb_string *str)
{
	str->heap = NULL;
	str->ptr = NULL;
	str->len = 0;
	switch (type) {
	case RDB_TYPE_STRING:
		if (!rdb_load_string(p, len, pos, str))
			return RDB_RESTORE_BAD;
		tstr_value(out, str->ptr, str->len);
		return RDB_RESTORE_OK;
	case RDB_TYPE_HASH:
	case RDB_TYPE_HASH_ZIPMAP:
	case RDB_TYPE_HASH_ZIPLIST:
	case RDB_TYPE_HASH_LISTPACK:
	case RDB_TYPE_HASH_METADATA_PRE_GA:
	case RDB_TYPE_HASH_LISTPACK_EX_PRE_GA:
	case RDB_TYPE_HASH_METADATA:
	case RDB_TYPE_HASH_LISTPACK_EX:
		return rdb_load_hash(type, p, len, pos, deep, out);
	case RDB_TYPE_LIST:
	case RDB_TYPE_LIST_ZIPLIST:
	case RDB_TYPE_LIST_QUICKLIST:
	case RDB_TYPE_LIST_QUICKLIST_2:
		return rdb_load_list(type, p, len, pos, deep, out);
	case RDB_TYPE_SET:
	case RDB_TYPE_SET_INTSET:
	case RDB_TYPE_SET_LISTPACK:
		return rdb_load_set(type, p, len, pos, deep, out);
	case RDB_TYPE_ZSET:
	case RDB_TYPE_ZSET_2:
	case RDB_TYPE_ZSET_ZIPLIST:
	case RDB_TYPE_ZSET_LISTPACK:
		return rdb_load_zset(type, p, len, pos, deep, out);
	case RDB_TYPE_STREAM_LISTPACKS:
	case RDB_TYPE_STREAM_LISTPACKS_2:
	case RDB_TYPE_STREAM_LISTPACKS_3:
		return rdb_load_stream(type, p, len, pos, deep, out);
	default:
		return RDB_RESTORE_TYPE;
	}
}
