/*
 * rdb_load.c: the RDB file decoder (see rdb_load.h): header, opcodes, keys; values through
 * rdb_load_object.
 *
 * The input is appended to one buffer; items (an opcode with its operands, or a key with its
 * value) are decoded from the front as they become complete and their bytes are dropped. The
 * small readers below tell "not enough bytes yet" (STEP_NEED) from "malformed" (STEP_BAD);
 * values, decoded by codecs that read from a complete buffer, take a failure for "not enough
 * yet" until the input ends. An item that needs more is tried again only once the bytes waiting
 * for it have doubled, so a large value costs a logarithmic number of attempts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/obj.h"
#include "storage/rdb/crc64.h"
#include "storage/rdb/rdb_load.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"

/* Opcodes (the bytes that are not value types). */
#define OP_SLOT_INFO	244	/* Valkey 8: slot id, slot size, expires slot size */
#define OP_FUNCTION2	245
#define OP_FUNCTION_PRE_GA 246
#define OP_MODULE_AUX	247
#define OP_IDLE		248
#define OP_FREQ		249
#define OP_AUX		250
#define OP_RESIZEDB	251
#define OP_EXPIRETIME_MS 252
#define OP_EXPIRETIME	253
#define OP_SELECTDB	254
#define OP_EOF		255

/* The newest RDB version this decoder reads (Redis 7.4 and 8.x write 12). */
#define RDB_LOAD_VERSION_MAX 12
#define HEADER_LEN 9
#define FILE_CHUNK (64 * 1024)

enum step { STEP_OK, STEP_NEED, STEP_BAD };

struct rdb_loader {
	struct store *dst;
	struct db *db;
	int64_t now_ms;
	bool offline;

	unsigned char *buf;	/* unconsumed input is buf[pos .. len) */
	size_t pos, len, cap;
	size_t retry_at;	/* a value that did not decode: retry when this many bytes wait */
	bool header_done;
	enum rdb_load_status status;
	uint64_t crc;

	/* set by opcodes, used by the next key */
	int64_t expire;
	int64_t idle;

	struct rdb_load_stats st;
	char err[160];
};

/* A cursor over [p, p + len). */
struct rd {
	const unsigned char *p;
	size_t len;
	size_t pos;
};

static enum step
rd_need(const struct rd *r, size_t n)
{
	return r->len - r->pos >= n ? STEP_OK : STEP_NEED;
}

/* A length, or (*enc true) a special string encoding number. */
static enum step
rd_len(struct rd *r, uint64_t *v, bool *enc)
{
	unsigned c;

	if (rd_need(r, 1) != STEP_OK)
		return STEP_NEED;
	c = r->p[r->pos];
	*enc = false;
	switch (c >> 6) {
	case 0:
		*v = c & 0x3f;
		r->pos += 1;
		return STEP_OK;
	case 1:
		if (rd_need(r, 2) != STEP_OK)
			return STEP_NEED;
		*v = (uint64_t)(c & 0x3f) << 8 | r->p[r->pos + 1];
		r->pos += 2;
		return STEP_OK;
	case 3:
		*enc = true;
		*v = c & 0x3f;
		r->pos += 1;
		return STEP_OK;
	}
	if (c != 0x80 && c != 0x81)
		return STEP_BAD;
	{
		size_t n = c == 0x80 ? 4 : 8;
		uint64_t x = 0;

		if (rd_need(r, 1 + n) != STEP_OK)
			return STEP_NEED;
		for (size_t i = 0; i < n; i++)
			x = x << 8 | r->p[r->pos + 1 + i];
		*v = x;
		r->pos += 1 + n;
	}
	return STEP_OK;
}

static enum step
rd_plain_len(struct rd *r, uint64_t *v)
{
	bool enc;
	enum step s = rd_len(r, v, &enc);

	return s == STEP_OK && enc ? STEP_BAD : s;
}

static enum step
rd_skip(struct rd *r, uint64_t n)
{
	if (r->len - r->pos < n)
		return STEP_NEED;
	r->pos += (size_t)n;
	return STEP_OK;
}

/* Steps over one RDB string without decoding it. */
static enum step
rd_string(struct rd *r)
{
	uint64_t v, clen, ulen;
	bool enc;
	enum step s;

	if ((s = rd_len(r, &v, &enc)) != STEP_OK)
		return s;
	if (!enc)
		return rd_skip(r, v);
	switch (v) {
	case 0:
		return rd_skip(r, 1);
	case 1:
		return rd_skip(r, 2);
	case 2:
		return rd_skip(r, 4);
	case 3:
		if ((s = rd_plain_len(r, &clen)) != STEP_OK || (s = rd_plain_len(r, &ulen)) != STEP_OK)
			return s;
		return rd_skip(r, clen);
	default:
		return STEP_BAD;
	}
}

static enum step
rd_u64le(struct rd *r, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (rd_need(r, n) != STEP_OK)
		return STEP_NEED;
	for (size_t i = n; i-- > 0;)
		x = x << 8 | r->p[r->pos + i];
	r->pos += n;
	*v = x;
	return STEP_OK;
}

/*
 * Steps over a stream value (types 15, 19, 21: Redis' rdbLoadObject layout), checking that it
 * is well formed as far as its framing goes, so that parse_key knows the whole value is
 * buffered before rdb_load_stream decodes it.
 */
static enum step
rd_stream(struct rd *r, unsigned type)
{
	uint64_t n, m, k, v;
	enum step s;

#define TRY(x) do { if ((s = (x)) != STEP_OK) return s; } while (0)
	TRY(rd_plain_len(r, &n));		/* listpack nodes: master id, listpack */
	for (uint64_t i = 0; i < n; i++) {
		TRY(rd_string(r));
		TRY(rd_string(r));
	}
	TRY(rd_plain_len(r, &v));		/* length */
	TRY(rd_plain_len(r, &v));		/* last id */
	TRY(rd_plain_len(r, &v));
	if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
		for (int i = 0; i < 5; i++)	/* first id, max deleted id, entries added */
			TRY(rd_plain_len(r, &v));
	}
	TRY(rd_plain_len(r, &n));		/* consumer groups */
	for (uint64_t i = 0; i < n; i++) {
		TRY(rd_string(r));		/* name */
		TRY(rd_plain_len(r, &v));	/* last delivered id */
		TRY(rd_plain_len(r, &v));
		if (type >= RDB_TYPE_STREAM_LISTPACKS_2)
			TRY(rd_plain_len(r, &v));	/* entries read */
		TRY(rd_plain_len(r, &m));	/* pending entries: id, delivery time, count */
		for (uint64_t j = 0; j < m; j++) {
			TRY(rd_skip(r, 16 + 8));
			TRY(rd_plain_len(r, &v));
		}
		TRY(rd_plain_len(r, &m));	/* consumers */
		for (uint64_t j = 0; j < m; j++) {
			TRY(rd_string(r));	/* name */
			TRY(rd_skip(r, type >= RDB_TYPE_STREAM_LISTPACKS_3 ? 16 : 8));
			TRY(rd_plain_len(r, &k));	/* its pending ids */
			if (k > (r->len - r->pos) / 16)
				return STEP_NEED;
			TRY(rd_skip(r, 16 * k));
		}
	}
#undef TRY
	return STEP_OK;
}

static void
fail(struct rdb_loader *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(l->err, sizeof l->err, fmt, ap);
	va_end(ap);
	l->status = RDB_LOAD_ERROR;
}

/* Drops n bytes from the front of the buffer, summing them into the checksum. */
static void
consume(struct rdb_loader *l, size_t n)
{
	l->crc = crc64_update(l->crc, l->buf + l->pos, n);
	l->pos += n;
	l->st.bytes += n;
}

static enum step
parse_header(struct rdb_loader *l)
{
	const unsigned char *h = l->buf + l->pos;
	int version = 0;

	if (l->len - l->pos < HEADER_LEN)
		return STEP_NEED;
	if (memcmp(h, "REDIS", 5) != 0) {
		fail(l, "Wrong signature trying to load DB from file");
		return STEP_BAD;
	}
	for (int i = 5; i < HEADER_LEN; i++) {
		if (h[i] < '0' || h[i] > '9') {
			fail(l, "Can't handle RDB format version %.4s", (const char *)h + 5);
			return STEP_BAD;
		}
		version = version * 10 + (h[i] - '0');
	}
	if (version < 1 || version > RDB_LOAD_VERSION_MAX) {
		fail(l, "Can't handle RDB format version %d", version);
		return STEP_BAD;
	}
	l->st.version = version;
	consume(l, HEADER_LEN);
	l->header_done = true;
	return STEP_OK;
}

static void
aux_field(struct rdb_loader *l, const struct rdb_string *k, const struct rdb_string *v)
{
	if (k->len == 7 && memcmp(k->ptr, "repl-id", 7) == 0 && v->len == 40) {
		memcpy(l->st.repl_id, v->ptr, 40);
		l->st.repl_id[40] = '\0';
	} else if (k->len == 11 && memcmp(k->ptr, "repl-offset", 11) == 0) {
		int64_t off;

		if (num_parse_i64(v->ptr, v->len, &off))
			l->st.repl_offset = off;
	}
}

/* AUX: two strings. */
static enum step
parse_aux(struct rdb_loader *l, struct rd *r)
{
	size_t k0 = r->pos, v0;
	struct rdb_string k, v;
	enum step s;

	if ((s = rd_string(r)) != STEP_OK)
		return s;
	v0 = r->pos;
	if ((s = rd_string(r)) != STEP_OK)
		return s;
	if (!rdb_load_string(r->p, v0, &k0, &k))
		return STEP_BAD;
	if (!rdb_load_string(r->p, r->pos, &v0, &v)) {
		rdb_string_free(&k);
		return STEP_BAD;
	}
	aux_field(l, &k, &v);
	rdb_string_free(&k);
	rdb_string_free(&v);
	return STEP_OK;
}

/*
 * A key and its value of type `type` at r (after the type byte). final: no more input will
 * come, so a value that does not decode is malformed.
 */
static enum step
parse_key(struct rdb_loader *l, struct rd *r, unsigned type, bool final)
{
	size_t k0 = r->pos, kend, vpos, vend;
	struct rdb_string key, str;
	struct obj_value v;
	enum rdb_restore_result res;
	enum step s;

	if ((s = rd_string(r)) != STEP_OK)
		return s;
	kend = r->pos;
	vend = r->len;
	if (type == RDB_TYPE_STREAM_LISTPACKS || type == RDB_TYPE_STREAM_LISTPACKS_2 ||
	    type == RDB_TYPE_STREAM_LISTPACKS_3) {
		/* The framing walk says whether the whole value is here: the codec then decodes
		 * exactly those bytes, and a value it refuses is malformed, not short. */
		if ((s = rd_stream(r, type)) != STEP_OK)
			return s;
		vend = r->pos;
		r->pos = kend;
		final = true;
	}
	if (type == RDB_TYPE_MODULE_2 || type == 6) {
		fail(l, "The RDB file contains module data, which replicant cannot load");
		return STEP_BAD;
	}
	vpos = kend;
	res = rdb_load_object(type, r->p, vend, &vpos, false, &v, &str);
	if (res == RDB_RESTORE_TYPE) {
		fail(l, "Unknown RDB value type %u", type);
		return STEP_BAD;
	}
	if (res == RDB_RESTORE_BAD) {
		if (final) {
			fail(l, "Bad data format in the value of a key of type %u (offset %llu)", type,
			    (unsigned long long)(l->st.bytes + (kend - l->pos)));
			return STEP_BAD;
		}
		return STEP_NEED;
	}
	r->pos = vpos;
	if (!rdb_load_string(r->p, kend, &k0, &key)) {
		if (res == RDB_RESTORE_OK)
			obj_value_discard(&v);
		rdb_string_free(&str);
		return STEP_BAD;
	}
	if (res == RDB_RESTORE_EMPTY) {
		l->st.empty++;
	} else if (l->offline && l->expire != OBJ_NO_EXPIRE && l->expire < l->now_ms) {
		obj_value_discard(&v);
		l->st.expired++;
	} else if (store_lookup_any(l->db, key.ptr, key.len) != NULL) {
		obj_value_discard(&v);
		fail(l, "Duplicated key in the RDB file (db %u)", store_db_id(l->db));
		s = STEP_BAD;
	} else {
		struct obj *o = store_set_value(l->db, key.ptr, key.len, &v, l->expire, l->now_ms);

		if (l->idle >= 0)
			obj_set_idle_seconds(o, l->idle, l->now_ms);
		l->st.keys++;
	}
	rdb_string_free(&str);
	rdb_string_free(&key);
	return s;
}

/* One item at the front of the buffer. */
static enum step
parse_item(struct rdb_loader *l, bool final)
{
	struct rd r = { l->buf + l->pos, l->len - l->pos, 1 };
	uint64_t a, b;
	unsigned op;
	enum step s = STEP_OK;

	if (r.len == 0 || (r.len < l->retry_at && !final))
		return STEP_NEED;
	op = r.p[0];
	switch (op) {
	case OP_EOF:
		if (l->st.version >= 5) {
			uint64_t want, got;

			if (rd_u64le(&r, 8, &want) != STEP_OK)
				return STEP_NEED;
			got = crc64_update(l->crc, r.p, 1);
			if (want != 0 && want != got) {
				fail(l, "Wrong RDB checksum expected: (%016llx) got (%016llx)",
				    (unsigned long long)want, (unsigned long long)got);
				return STEP_BAD;
			}
		}
		consume(l, r.pos);
		l->status = RDB_LOAD_DONE;
		return STEP_OK;
	case OP_SELECTDB:
		if ((s = rd_plain_len(&r, &a)) != STEP_OK)
			break;
		if (a >= store_ndb(l->dst)) {
			fail(l, "The RDB file was created with a server configured to handle more than "
			    "%u databases", store_ndb(l->dst));
			return STEP_BAD;
		}
		l->db = store_db(l->dst, (unsigned)a);
		break;
	case OP_RESIZEDB:
		if ((s = rd_plain_len(&r, &a)) != STEP_OK || (s = rd_plain_len(&r, &b)) != STEP_OK)
			break;
		/* A hint only: a hostile size must not make us allocate for it. */
		if (a <= (uint64_t)64 << 20)
			store_db_expand(l->db, (size_t)a);
		break;
	case OP_AUX:
		s = parse_aux(l, &r);
		break;
	case OP_EXPIRETIME_MS:
		if ((s = rd_u64le(&r, 8, &a)) == STEP_OK)
			l->expire = (int64_t)a;
		break;
	case OP_EXPIRETIME:
		if ((s = rd_u64le(&r, 4, &a)) == STEP_OK)
			l->expire = (int64_t)a * 1000;
		break;
	case OP_IDLE:
		if ((s = rd_plain_len(&r, &a)) == STEP_OK)
			l->idle = a > INT64_MAX ? INT64_MAX : (int64_t)a;
		break;
	case OP_FREQ:
		s = rd_skip(&r, 1);	/* LFU only; replicant has no LFU policy */
		break;
	case OP_FUNCTION2:
		if ((s = rd_string(&r)) == STEP_OK)
			l->st.functions++;
		break;
	case OP_SLOT_INFO:
		for (int i = 0; i < 3 && s == STEP_OK; i++)
			s = rd_plain_len(&r, &a);
		break;
	case OP_MODULE_AUX:
		fail(l, "The RDB file contains module data, which replicant cannot load");
		return STEP_BAD;
	case OP_FUNCTION_PRE_GA:
		fail(l, "Pre-release function format not supported");
		return STEP_BAD;
	default:
		s = parse_key(l, &r, op, final);
		if (s == STEP_OK) {
			l->expire = OBJ_NO_EXPIRE;
			l->idle = -1;
		}
		break;
	}
	if (s == STEP_BAD && l->status != RDB_LOAD_ERROR)
		fail(l, "Malformed RDB at offset %llu (opcode %u)", (unsigned long long)l->st.bytes,
		    op);
	if (s == STEP_OK) {
		consume(l, r.pos);
		l->retry_at = 0;
	} else if (s == STEP_NEED) {
		/* Try this item again once the bytes waiting for it have doubled. */
		l->retry_at = 2 * r.len;
	}
	return s;
}

static enum rdb_load_status
run(struct rdb_loader *l, bool final)
{
	while (l->status == RDB_LOAD_MORE) {
		enum step s = l->header_done ? parse_item(l, final) : parse_header(l);

		if (s == STEP_NEED)
			break;
	}
	if (l->status == RDB_LOAD_MORE && final)
		fail(l, "Short read loading the RDB file (%llu bytes in)",
		    (unsigned long long)l->st.bytes);
	/* Keep only the unconsumed bytes, at the front. */
	if (l->pos > 0) {
		memmove(l->buf, l->buf + l->pos, l->len - l->pos);
		l->len -= l->pos;
		l->pos = 0;
	}
	return l->status;
}

struct rdb_loader *
rdb_loader_new(struct store *dst, int64_t now_ms)
{
	struct rdb_loader *l = xcalloc(1, sizeof *l);

	l->dst = dst;
	l->db = store_db(dst, 0);
	l->now_ms = now_ms;
	l->offline = store_get_mode(dst) == STORE_OFFLINE;
	l->expire = OBJ_NO_EXPIRE;
	l->idle = -1;
	l->st.repl_offset = -1;
	l->status = RDB_LOAD_MORE;
	return l;
}

void
rdb_loader_free(struct rdb_loader *l)
{
	if (l == NULL)
		return;
	xfree(l->buf);
	xfree(l);
}

enum rdb_load_status
rdb_loader_feed(struct rdb_loader *l, const void *p, size_t n)
{
	if (l->status != RDB_LOAD_MORE)
		return l->status;
	if (l->cap - l->len < n) {
		size_t cap = l->cap < FILE_CHUNK ? FILE_CHUNK : l->cap;

		while (cap - l->len < n)
			cap *= 2;
		l->buf = xrealloc(l->buf, cap);
		l->cap = cap;
	}
	memcpy(l->buf + l->len, p, n);
	l->len += n;
	return run(l, false);
}

enum rdb_load_status
rdb_loader_finish(struct rdb_loader *l)
{
	if (l->status != RDB_LOAD_MORE)
		return l->status;
	return run(l, true);
}

const char *
rdb_loader_error(const struct rdb_loader *l)
{
	return l->err;
}

const struct rdb_load_stats *
rdb_loader_stats(const struct rdb_loader *l)
{
	return &l->st;
}

bool
rdb_load_file(const char *path, struct store *dst, int64_t now_ms, struct rdb_load_stats *st,
    char *err, size_t errlen)
{
	struct rdb_loader *l;
	unsigned char *chunk;
	enum rdb_load_status status = RDB_LOAD_MORE;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0) {
		snprintf(err, errlen, "Can't open %s: %s", path, strerror(errno));
		return false;
	}
	l = rdb_loader_new(dst, now_ms);
	chunk = xmalloc(FILE_CHUNK);
	while (status == RDB_LOAD_MORE) {
		ssize_t n = read(fd, chunk, FILE_CHUNK);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(l->err, sizeof l->err, "Error reading %s: %s", path, strerror(errno));
			status = RDB_LOAD_ERROR;
			break;
		}
		status = n == 0 ? rdb_loader_finish(l) : rdb_loader_feed(l, chunk, (size_t)n);
	}
	close(fd);
	xfree(chunk);
	ok = status == RDB_LOAD_DONE;
	if (!ok)
		snprintf(err, errlen, "%s", l->err);
	*st = l->st;
	rdb_loader_free(l);
	return ok;
}
