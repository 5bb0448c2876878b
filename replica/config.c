/*
 * config.c: replicant's options, read as Redis 7.0 reads its own (see config.h).
 *
 * Start-up: cfg_load_args() turns the command line into the text of one config file as
 * redis-server's main() does (the file, stdin, a newline, then one line per --name with its
 * values quoted by buf_add_repr), and load_text() applies that text line by line as
 * loadServerConfigFromString does: split_words() cuts a line as sdssplitargs does, the first word
 * names a row of `opts`, and cfg_set() parses and applies the rest. CONFIG GET and CONFIG SET use
 * the same table through cfg_get() and cfg_set().
 *
 * Start reading at `opts`: one row per name CONFIG GET lists, each with its setter, getter,
 * bounds and the field it fills; an alias row only points at its primary row.
 *
 * Every message is Redis', byte for byte. Where Redis turns a number into garbage instead of an
 * error, this file does not: a memory value past 2^64 saturates (Redis' multiplication wraps),
 * and a soft_seconds past INT_MAX is refused (Redis truncates it to an int). A config file that
 * opens but cannot be read (a directory) is an error here, where Redis reads it as empty.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* else PACKAGE_NAME, PACKAGE_VERSION come from DEFS */
#endif

#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "replica/config.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

#define FATAL_BANNER "\n*** FATAL CONFIG FILE ERROR (" PACKAGE_NAME " " PACKAGE_VERSION ") ***\n"

/* Deeper includes are refused; Redis recurses until the stack overflows. */
#define INCLUDE_DEPTH_MAX 16
/* Redis' memtoull copies the digits into a 128-byte buffer and refuses longer numbers. */
#define MEMORY_DIGITS_MAX 127
/* Long enough for any reason a setter gives (the longest is strerror's). */
#define REASON_MAX 256

/* Flags of a row beyond the public enum cfg_flag. */
#define F_EMPTY_NULL (1u << 8)	/* string option: "" stores NULL (Redis' EMPTY_STRING_IS_NULL) */
#define F_PUBLIC (CFG_F_IMMUTABLE | CFG_F_PROTECTED | CFG_F_SENSITIVE | CFG_F_MULTI)

/* Bytes written up to a limit while counting all of them: cfg_get's snprintf-like contract. */
struct sink {
	char *buf;
	size_t len;
	size_t need;
};

/* A growable NUL-terminated byte string. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

struct opt;
typedef bool opt_set_fn(struct config *c, const struct opt *o, int argc, const char *const *argv,
    char *err, size_t errlen);
typedef void opt_get_fn(const struct config *c, const struct opt *o, struct sink *s);

enum opt_id {
	O_PORT,
	O_BIND,
	O_TCP_BACKLOG,
	O_UNIXSOCKET,
	O_UNIXSOCKETPERM,
	O_REPLICAOF,
	O_SLAVEOF,
	O_MASTERAUTH,
	O_MASTERUSER,
	O_REQUIREPASS,
	O_MAXCLIENTS,
	O_TIMEOUT,
	O_TCP_KEEPALIVE,
	O_PROTO_MAX_BULK_LEN,
	O_CLIENT_QUERY_BUFFER_LIMIT,
	O_CLIENT_OUTPUT_BUFFER_LIMIT,
	O_REPLICA_READ_ONLY,
	O_SLAVE_READ_ONLY,
	O_REPLICA_SERVE_STALE_DATA,
	O_SLAVE_SERVE_STALE_DATA,
	O_DATABASES,
	O_HZ,
	O_DIR,
	O_LOGFILE,
	O_LOGLEVEL,
	O_DAEMONIZE,
	O_PIDFILE,
	O_DBFILENAME,
	O_HASH_MAX_LISTPACK_ENTRIES,
	O_HASH_MAX_ZIPLIST_ENTRIES,
	O_HASH_MAX_LISTPACK_VALUE,
	O_HASH_MAX_ZIPLIST_VALUE,
	O_LIST_MAX_LISTPACK_SIZE,
	O_LIST_MAX_ZIPLIST_SIZE,
	O_LIST_COMPRESS_DEPTH,
	O_SET_MAX_INTSET_ENTRIES,
	O_SET_MAX_LISTPACK_ENTRIES,
	O_SET_MAX_LISTPACK_VALUE,
	O_ZSET_MAX_LISTPACK_ENTRIES,
	O_ZSET_MAX_ZIPLIST_ENTRIES,
	O_ZSET_MAX_LISTPACK_VALUE,
	O_ZSET_MAX_ZIPLIST_VALUE,
	O_HLL_SPARSE_MAX_BYTES,
	O_BUSY_REPLY_THRESHOLD,
	O_LUA_TIME_LIMIT,
	O_COUNT
};

struct opt {
	const char *name;
	enum opt_id primary;	/* the row that carries the behaviour: itself unless an alias */
	unsigned flags;		/* enum cfg_flag | F_* */
	opt_set_fn *set;	/* validates everything, then changes c; NULL on alias rows */
	opt_get_fn *get;
	size_t off;		/* offsetof the field, for the generic setters */
	int64_t min, max;	/* bounds of numeric options, inclusive */
};

static opt_set_fn set_int, set_i64, set_octal, set_memory, set_bool, set_string, set_hz,
    set_loglevel, set_bind, set_replicaof, set_obuf, set_dir, set_dbfilename;
static opt_get_fn get_int, get_i64, get_octal, get_memory, get_bool, get_string, get_loglevel,
    get_bind, get_replicaof, get_obuf, get_dir;

#define FIELD(f) .off = offsetof(struct config, f)
#define ROW(id, nm, fl, setf, getf, ...) \
	[id] = { .name = nm, .primary = id, .flags = fl, .set = setf, .get = getf, __VA_ARGS__ }
#define INT(id, nm, fl, f, lo, hi) ROW(id, nm, fl, set_int, get_int, FIELD(f), .min = lo, .max = hi)
#define I64(id, nm, fl, f, lo, hi) ROW(id, nm, fl, set_i64, get_i64, FIELD(f), .min = lo, .max = hi)
#define MEMORY(id, nm, fl, f, lo, hi) \
	ROW(id, nm, fl, set_memory, get_memory, FIELD(f), .min = lo, .max = hi)
#define BOOL(id, nm, fl, f) ROW(id, nm, fl, set_bool, get_bool, FIELD(f))
#define STRING(id, nm, fl, f) ROW(id, nm, fl, set_string, get_string, FIELD(f))
#define ALIAS(id, nm, of) [id] = { .name = nm, .primary = of }

/* Flags, bounds and empty-string handling as Redis 7.0's static_configs[]. */
static const struct opt opts[O_COUNT] = {
	INT(O_PORT, "port", 0, port, 0, 65535),
	ROW(O_BIND, "bind", CFG_F_MULTI, set_bind, get_bind),
	INT(O_TCP_BACKLOG, "tcp-backlog", CFG_F_IMMUTABLE, tcp_backlog, 0, INT_MAX),
	STRING(O_UNIXSOCKET, "unixsocket", CFG_F_IMMUTABLE | F_EMPTY_NULL, unixsocket),
	ROW(O_UNIXSOCKETPERM, "unixsocketperm", CFG_F_IMMUTABLE, set_octal, get_octal,
	    FIELD(unixsocketperm), .min = 0, .max = 0777),
	ROW(O_REPLICAOF, "replicaof", CFG_F_IMMUTABLE | CFG_F_MULTI, set_replicaof, get_replicaof),
	ALIAS(O_SLAVEOF, "slaveof", O_REPLICAOF),
	STRING(O_MASTERAUTH, "masterauth", CFG_F_SENSITIVE | F_EMPTY_NULL, masterauth),
	STRING(O_MASTERUSER, "masteruser", CFG_F_SENSITIVE | F_EMPTY_NULL, masteruser),
	STRING(O_REQUIREPASS, "requirepass", CFG_F_SENSITIVE | F_EMPTY_NULL, requirepass),
	/* Redis stores an unsigned int; the field is an int (see set_int). */
	INT(O_MAXCLIENTS, "maxclients", 0, maxclients, 1, UINT_MAX),
	INT(O_TIMEOUT, "timeout", 0, timeout, 0, INT_MAX),
	INT(O_TCP_KEEPALIVE, "tcp-keepalive", 0, tcp_keepalive, 0, INT_MAX),
	MEMORY(O_PROTO_MAX_BULK_LEN, "proto-max-bulk-len", 0, proto_max_bulk_len,
	    1024 * 1024, INT64_MAX),
	MEMORY(O_CLIENT_QUERY_BUFFER_LIMIT, "client-query-buffer-limit", 0,
	    client_query_buffer_limit, 1024 * 1024, INT64_MAX),
	ROW(O_CLIENT_OUTPUT_BUFFER_LIMIT, "client-output-buffer-limit", CFG_F_MULTI, set_obuf,
	    get_obuf),
	BOOL(O_REPLICA_READ_ONLY, "replica-read-only", 0, replica_read_only),
	ALIAS(O_SLAVE_READ_ONLY, "slave-read-only", O_REPLICA_READ_ONLY),
	BOOL(O_REPLICA_SERVE_STALE_DATA, "replica-serve-stale-data", 0, replica_serve_stale_data),
	ALIAS(O_SLAVE_SERVE_STALE_DATA, "slave-serve-stale-data", O_REPLICA_SERVE_STALE_DATA),
	INT(O_DATABASES, "databases", CFG_F_IMMUTABLE, databases, 1, INT_MAX),
	ROW(O_HZ, "hz", 0, set_hz, get_int, FIELD(hz), .min = 0, .max = INT_MAX),
	ROW(O_DIR, "dir", CFG_F_PROTECTED, set_dir, get_dir),
	STRING(O_LOGFILE, "logfile", CFG_F_IMMUTABLE, logfile),
	ROW(O_LOGLEVEL, "loglevel", 0, set_loglevel, get_loglevel),
	BOOL(O_DAEMONIZE, "daemonize", CFG_F_IMMUTABLE, daemonize),
	STRING(O_PIDFILE, "pidfile", CFG_F_IMMUTABLE | F_EMPTY_NULL, pidfile),
	ROW(O_DBFILENAME, "dbfilename", CFG_F_PROTECTED, set_dbfilename, get_string,
	    FIELD(dbfilename)),
	/* Encoding thresholds; the "ziplist" names are Redis' aliases from before 7.0. */
	I64(O_HASH_MAX_LISTPACK_ENTRIES, "hash-max-listpack-entries", 0, hash_max_listpack_entries,
	    0, LONG_MAX),
	ALIAS(O_HASH_MAX_ZIPLIST_ENTRIES, "hash-max-ziplist-entries", O_HASH_MAX_LISTPACK_ENTRIES),
	I64(O_HASH_MAX_LISTPACK_VALUE, "hash-max-listpack-value", 0, hash_max_listpack_value,
	    0, LONG_MAX),
	ALIAS(O_HASH_MAX_ZIPLIST_VALUE, "hash-max-ziplist-value", O_HASH_MAX_LISTPACK_VALUE),
	I64(O_LIST_MAX_LISTPACK_SIZE, "list-max-listpack-size", 0, list_max_listpack_size,
	    INT_MIN, INT_MAX),
	ALIAS(O_LIST_MAX_ZIPLIST_SIZE, "list-max-ziplist-size", O_LIST_MAX_LISTPACK_SIZE),
	I64(O_LIST_COMPRESS_DEPTH, "list-compress-depth", 0, list_compress_depth, 0, INT_MAX),
	I64(O_SET_MAX_INTSET_ENTRIES, "set-max-intset-entries", 0, set_max_intset_entries,
	    0, LONG_MAX),
	I64(O_SET_MAX_LISTPACK_ENTRIES, "set-max-listpack-entries", 0, set_max_listpack_entries,
	    0, LONG_MAX),
	I64(O_SET_MAX_LISTPACK_VALUE, "set-max-listpack-value", 0, set_max_listpack_value,
	    0, LONG_MAX),
	I64(O_ZSET_MAX_LISTPACK_ENTRIES, "zset-max-listpack-entries", 0, zset_max_listpack_entries,
	    0, LONG_MAX),
	ALIAS(O_ZSET_MAX_ZIPLIST_ENTRIES, "zset-max-ziplist-entries", O_ZSET_MAX_LISTPACK_ENTRIES),
	I64(O_ZSET_MAX_LISTPACK_VALUE, "zset-max-listpack-value", 0, zset_max_listpack_value,
	    0, LONG_MAX),
	ALIAS(O_ZSET_MAX_ZIPLIST_VALUE, "zset-max-ziplist-value", O_ZSET_MAX_LISTPACK_VALUE),
	I64(O_BUSY_REPLY_THRESHOLD, "busy-reply-threshold", 0, busy_reply_threshold, 0, LONG_MAX),
	ALIAS(O_LUA_TIME_LIMIT, "lua-time-limit", O_BUSY_REPLY_THRESHOLD),
	MEMORY(O_HLL_SPARSE_MAX_BYTES, "hll-sparse-max-bytes", 0, hll_sparse_max_bytes, 0, LONG_MAX),
};

/* Indexed by enum cfg_loglevel: Redis 7.0's four levels ("nothing" came with 7.2). */
static const char *const loglevel_names[] = { "debug", "verbose", "notice", "warning" };

/* Indexed by enum cfg_client_class; CONFIG GET prints Redis' "slave" for the replica class. */
static const char *const class_names[] = { "normal", "slave", "pubsub" };

/* Hz outside these bounds is accepted and clamped, as Redis' CONFIG_MIN_HZ / CONFIG_MAX_HZ. */
#define HZ_MIN 1
#define HZ_MAX 500

/* ---- small helpers ---- */

static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static void *
field(struct config *c, const struct opt *o)
{
	return (char *)c + o->off;
}

static const void *
cfield(const struct config *c, const struct opt *o)
{
	return (const char *)c + o->off;
}

static void
sink_put(struct sink *s, const char *p, size_t n)
{
	if (s->need + 1 < s->len) {
		size_t room = s->len - 1 - s->need;

		memcpy(s->buf + s->need, p, n < room ? n : room);
	}
	s->need += n;
}

static void
sink_puts(struct sink *s, const char *p)
{
	sink_put(s, p, strlen(p));
}

static void
sink_i64(struct sink *s, int64_t v)
{
	char d[NUM_I64_MAX_CHARS];

	sink_put(s, d, num_fmt_i64(d, v));
}

static void
sink_u64(struct sink *s, uint64_t v)
{
	char d[NUM_I64_MAX_CHARS];

	sink_put(s, d, num_fmt_u64(d, v));
}

static void
buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
buf_adds(struct buf *b, const char *p)
{
	buf_add(b, p, strlen(p));
}

/* Appends s double-quoted with sdscatrepr's escapes, so that split_words reads it back whole. */
static void
buf_add_repr(struct buf *b, const char *s)
{
	buf_add(b, "\"", 1);
	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;
		char esc[5];

		switch (ch) {
		case '\\':
		case '"':
			esc[0] = '\\';
			esc[1] = (char)ch;
			buf_add(b, esc, 2);
			break;
		case '\n': buf_add(b, "\\n", 2); break;
		case '\r': buf_add(b, "\\r", 2); break;
		case '\t': buf_add(b, "\\t", 2); break;
		case '\a': buf_add(b, "\\a", 2); break;
		case '\b': buf_add(b, "\\b", 2); break;
		default:
			if (ch >= 0x20 && ch < 0x7f) {
				buf_add(b, (const char *)&ch, 1);
			} else {
				snprintf(esc, sizeof esc, "\\x%02x", ch);
				buf_add(b, esc, 4);
			}
			break;
		}
	}
	buf_add(b, "\"", 1);
}

static int
hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The blanks sdssplitargs skips between words (isspace in the C locale). */
static bool
is_blank(char ch)
{
	return ch == ' ' || (ch >= '\t' && ch <= '\r');
}

/*
 * Splits line into words as Redis' sdssplitargs does: blanks separate words; "double quotes"
 * take \n \r \t \b \a \xHH and \<any> escapes, 'single quotes' only \'; a closing quote must be
 * followed by a blank or the end. Returns the number of words and sets *words to one xmalloc'd
 * block holding the pointer array and the strings (free it with xfree), or returns -1 on
 * unbalanced quotes (nothing to free).
 */
static int
split_words(const char *line, char ***words)
{
	size_t n = strlen(line);
	size_t maxw = n / 2 + 1;	/* a word and its separator take at least 2 bytes */
	char **v = xmalloc((maxw + 1) * sizeof *v + n + maxw + 1);
	char *out = (char *)(v + maxw + 1);
	const char *p = line;
	int argc = 0;

	for (;;) {
		bool inq = false, insq = false, done = false;

		while (*p != '\0' && is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		v[argc++] = out;
		while (!done) {
			if (inq) {
				if (p[0] == '\\' && p[1] == 'x' && hex_value(p[2]) >= 0 &&
				    hex_value(p[3]) >= 0) {
					*out++ = (char)(hex_value(p[2]) * 16 + hex_value(p[3]));
					p += 3;
				} else if (p[0] == '\\' && p[1] != '\0') {
					p++;
					switch (*p) {
					case 'n': *out++ = '\n'; break;
					case 'r': *out++ = '\r'; break;
					case 't': *out++ = '\t'; break;
					case 'b': *out++ = '\b'; break;
					case 'a': *out++ = '\a'; break;
					default: *out++ = *p; break;
					}
				} else if (*p == '"') {
					if (p[1] != '\0' && !is_blank(p[1]))
						goto unbalanced;
					done = true;
				} else if (*p == '\0') {
					goto unbalanced;
				} else {
					*out++ = *p;
				}
			} else if (insq) {
				if (p[0] == '\\' && p[1] == '\'') {
					p++;
					*out++ = '\'';
				} else if (*p == '\'') {
					if (p[1] != '\0' && !is_blank(p[1]))
						goto unbalanced;
					done = true;
				} else if (*p == '\0') {
					goto unbalanced;
				} else {
					*out++ = *p;
				}
			} else {
				switch (*p) {
				case ' ':
				case '\n':
				case '\r':
				case '\t':
				case '\0':
					done = true;
					break;
				case '"':
					inq = true;
					break;
				case '\'':
					insq = true;
					break;
				default:
					*out++ = *p;
					break;
				}
			}
			if (*p != '\0')
				p++;
		}
		*out++ = '\0';
	}
	v[argc] = NULL;
	*words = v;
	return argc;

unbalanced:
	xfree(v);
	return -1;
}

/* ---- setters and getters, one pair per value syntax ---- */

static bool
parse_int(const struct opt *o, const char *s, int64_t *v, char *err, size_t errlen)
{
	if (!num_parse_i64(s, strlen(s), v)) {
		seterr(err, errlen, "argument couldn't be parsed into an integer");
		return false;
	}
	if (*v < o->min || *v > o->max) {
		seterr(err, errlen, "argument must be between %lld and %lld inclusive",
		    (long long)o->min, (long long)o->max);
		return false;
	}
	return true;
}

/* maxclients' range reaches UINT_MAX; such values are kept as INT_MAX, still "unlimited". */
static bool
set_int(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	int64_t v;

	if (!parse_int(o, argv[0], &v, err, errlen))
		return false;
	*(int *)field(c, o) = v > INT_MAX ? INT_MAX : (int)v;
	return true;
}

static void
get_int(const struct config *c, const struct opt *o, struct sink *s)
{
	sink_i64(s, *(const int *)cfield(c, o));
}

static bool
set_i64(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	int64_t v;

	(void)argc;
	if (!parse_int(o, argv[0], &v, err, errlen))
		return false;
	*(int64_t *)field(c, o) = v;
	return true;
}

static void
get_i64(const struct config *c, const struct opt *o, struct sink *s)
{
	sink_i64(s, *(const int64_t *)cfield(c, o));
}

static bool
set_hz(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	if (!set_int(c, o, argc, argv, err, errlen))
		return false;
	if (c->hz < HZ_MIN)
		c->hz = HZ_MIN;
	if (c->hz > HZ_MAX)
		c->hz = HZ_MAX;
	return true;
}

/* Redis parses octal with strtoll: leading blanks and a sign pass, and "" reads 0. */
static bool
set_octal(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(argv[0], &end, 8);
	if (errno != 0 || *end != '\0') {
		seterr(err, errlen, "argument couldn't be parsed as an octal number");
		return false;
	}
	if (v < o->min || v > o->max) {
		seterr(err, errlen, "argument must be between %llo and %llo inclusive",
		    (unsigned long long)o->min, (unsigned long long)o->max);
		return false;
	}
	*(int *)field(c, o) = (int)v;
	return true;
}

static void
get_octal(const struct config *c, const struct opt *o, struct sink *s)
{
	char d[16];

	sink_put(s, d, (size_t)snprintf(d, sizeof d, "%o", (unsigned)*(const int *)cfield(c, o)));
}

static bool
set_memory(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	uint64_t v;

	if (!cfg_parse_memory(argv[0], &v)) {
		seterr(err, errlen, "argument must be a memory value");
		return false;
	}
	if (v < (uint64_t)o->min || v > (uint64_t)o->max) {
		seterr(err, errlen, "argument must be between %lld and %lld inclusive",
		    (long long)o->min, (long long)o->max);
		return false;
	}
	*(uint64_t *)field(c, o) = v;
	return true;
}

static void
get_memory(const struct config *c, const struct opt *o, struct sink *s)
{
	sink_u64(s, *(const uint64_t *)cfield(c, o));
}

static bool
set_bool(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	bool v;

	if (strcasecmp(argv[0], "yes") == 0) {
		v = true;
	} else if (strcasecmp(argv[0], "no") == 0) {
		v = false;
	} else {
		seterr(err, errlen, "argument must be 'yes' or 'no'");
		return false;
	}
	*(bool *)field(c, o) = v;
	return true;
}

static void
get_bool(const struct config *c, const struct opt *o, struct sink *s)
{
	sink_puts(s, *(const bool *)cfield(c, o) ? "yes" : "no");
}

static bool
set_string(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	char **f = field(c, o);

	xfree(*f);
	*f = (o->flags & F_EMPTY_NULL) && argv[0][0] == '\0' ? NULL : xstrdup(argv[0]);
	return true;
}

/* Redis' isValidDBfilename: a file name, not a path. */
static bool
set_dbfilename(struct config *c, const struct opt *o, int argc, const char *const *argv,
    char *err, size_t errlen)
{
	if (strchr(argv[0], '/') != NULL) {
		seterr(err, errlen, "dbfilename can't be a path, just a filename");
		return false;
	}
	return set_string(c, o, argc, argv, err, errlen);
}

static void
get_string(const struct config *c, const struct opt *o, struct sink *s)
{
	const char *v = *(char *const *)cfield(c, o);

	sink_puts(s, v != NULL ? v : "");
}

static bool
set_loglevel(struct config *c, const struct opt *o, int argc, const char *const *argv,
    char *err, size_t errlen)
{
	size_t n = sizeof loglevel_names / sizeof loglevel_names[0];

	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(argv[0], loglevel_names[i]) == 0) {
			c->loglevel = (enum cfg_loglevel)i;
			return true;
		}
	}
	seterr(err, errlen, "argument(s) must be one of the following: "
	    "debug, verbose, notice, warning");
	return false;
}

static void
get_loglevel(const struct config *c, const struct opt *o, struct sink *s)
{
	sink_puts(s, loglevel_names[c->loglevel]);
}

/* A single empty word means no address at all, as in Redis. */
static bool
set_bind(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	if (argc > CFG_MAX_BIND) {
		seterr(err, errlen, "Too many bind addresses specified.");
		return false;
	}
	if (argc == 1 && argv[0][0] == '\0')
		argc = 0;
	for (int i = 0; i < c->nbind; i++) {
		xfree(c->bind[i]);
		c->bind[i] = NULL;
	}
	for (int i = 0; i < argc; i++)
		c->bind[i] = xstrdup(argv[i]);
	c->nbind = argc;
	return true;
}

static void
get_bind(const struct config *c, const struct opt *o, struct sink *s)
{
	for (int i = 0; i < c->nbind; i++) {
		if (i > 0)
			sink_put(s, " ", 1);
		sink_puts(s, c->bind[i]);
	}
}

/* "no one" (any case) clears it. The port is read with strtol, as Redis does: "" is port 0. */
static bool
set_replicaof(struct config *c, const struct opt *o, int argc, const char *const *argv,
    char *err, size_t errlen)
{
	char *end;
	long port;

	if (argc != 2) {
		seterr(err, errlen, "wrong number of arguments");
		return false;
	}
	if (strcasecmp(argv[0], "no") == 0 && strcasecmp(argv[1], "one") == 0) {
		xfree(c->replicaof_host);
		c->replicaof_host = NULL;
		return true;
	}
	port = strtol(argv[1], &end, 10);
	if (port < 0 || port > 65535 || *end != '\0') {
		seterr(err, errlen, "Invalid master port");
		return false;
	}
	xfree(c->replicaof_host);
	c->replicaof_host = xstrdup(argv[0]);
	c->replicaof_port = (int)port;
	return true;
}

static void
get_replicaof(const struct config *c, const struct opt *o, struct sink *s)
{
	if (c->replicaof_host == NULL)
		return;
	sink_puts(s, c->replicaof_host);
	sink_put(s, " ", 1);
	sink_i64(s, c->replicaof_port);
}

static int
class_by_name(const char *name)
{
	if (strcasecmp(name, "normal") == 0)
		return CFG_CLASS_NORMAL;
	if (strcasecmp(name, "replica") == 0 || strcasecmp(name, "slave") == 0)
		return CFG_CLASS_REPLICA;
	if (strcasecmp(name, "pubsub") == 0)
		return CFG_CLASS_PUBSUB;
	return -1;
}

/*
 * Any number of "class hard soft soft_seconds" groups; all are checked before any is applied.
 * soft_seconds is read with strtoll as Redis does (blanks, '+', "" pass).
 */
static bool
set_obuf(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	struct cfg_obuf_limit v[CFG_CLASS_COUNT];
	bool given[CFG_CLASS_COUNT] = { false };

	if (argc % 4 != 0) {
		seterr(err, errlen, "Wrong number of arguments in buffer limit configuration.");
		return false;
	}
	for (int i = 0; i < argc; i += 4) {
		int class = class_by_name(argv[i]);
		uint64_t hard, soft;
		long long secs;
		char *end;

		if (class < 0) {
			seterr(err, errlen,
			    "Invalid client class specified in buffer limit configuration.");
			return false;
		}
		errno = 0;
		secs = strtoll(argv[i + 3], &end, 10);
		if (!cfg_parse_memory(argv[i + 1], &hard) || !cfg_parse_memory(argv[i + 2], &soft) ||
		    errno != 0 || *end != '\0' || secs < 0 || secs > INT_MAX) {
			seterr(err, errlen, "Error in hard, soft or soft_seconds setting in "
			    "buffer limit configuration.");
			return false;
		}
		v[class].hard = hard;
		v[class].soft = soft;
		v[class].soft_seconds = secs;
		given[class] = true;
	}
	for (int i = 0; i < CFG_CLASS_COUNT; i++) {
		if (given[i])
			c->obuf[i] = v[i];
	}
	return true;
}

static void
get_obuf(const struct config *c, const struct opt *o, struct sink *s)
{
	for (int i = 0; i < CFG_CLASS_COUNT; i++) {
		if (i > 0)
			sink_put(s, " ", 1);
		sink_puts(s, class_names[i]);
		sink_put(s, " ", 1);
		sink_u64(s, c->obuf[i].hard);
		sink_put(s, " ", 1);
		sink_u64(s, c->obuf[i].soft);
		sink_put(s, " ", 1);
		sink_i64(s, c->obuf[i].soft_seconds);
	}
}

/*
 * Redis changes directory as soon as it reads `dir`, and reports chdir's own error; the field
 * keeps the absolute path so that CONFIG GET prints what Redis' getcwd() would.
 */
static bool
set_dir(struct config *c, const struct opt *o, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	char cwd[PATH_MAX];

	if (chdir(argv[0]) == -1) {
		seterr(err, errlen, "%s", strerror(errno));
		return false;
	}
	xfree(c->dir);
	c->dir = xstrdup(getcwd(cwd, sizeof cwd) != NULL ? cwd : argv[0]);
	return true;
}

static void
get_dir(const struct config *c, const struct opt *o, struct sink *s)
{
	char cwd[PATH_MAX];

	if (c->dir != NULL)
		sink_puts(s, c->dir);
	else if (getcwd(cwd, sizeof cwd) != NULL)
		sink_puts(s, cwd);
}

/* ---- the option table's public face ---- */

void
cfg_init(struct config *c)
{
	memset(c, 0, sizeof *c);
	c->port = 6379;
	c->bind[0] = xstrdup("127.0.0.1");
	c->bind[1] = xstrdup("-::1");
	c->nbind = 2;
	c->tcp_backlog = 511;
	c->replicaof_port = 6379;
	c->maxclients = 10000;
	c->tcp_keepalive = 300;
	c->proto_max_bulk_len = 512ULL * 1024 * 1024;
	c->client_query_buffer_limit = 1024ULL * 1024 * 1024;
	c->obuf[CFG_CLASS_NORMAL] = (struct cfg_obuf_limit){ 0, 0, 0 };
	c->obuf[CFG_CLASS_REPLICA] = (struct cfg_obuf_limit){ 256ULL << 20, 64ULL << 20, 60 };
	c->obuf[CFG_CLASS_PUBSUB] = (struct cfg_obuf_limit){ 32ULL << 20, 8ULL << 20, 60 };
	c->replica_read_only = true;
	c->replica_serve_stale_data = true;
	c->databases = 16;
	c->hz = 10;
	c->dbfilename = xstrdup("dump.rdb");
	c->hash_max_listpack_entries = 512;
	c->hash_max_listpack_value = 64;
	c->list_max_listpack_size = -2;
	c->list_compress_depth = 0;
	c->set_max_intset_entries = 512;
	c->set_max_listpack_entries = 128;
	c->set_max_listpack_value = 64;
	c->zset_max_listpack_entries = 128;
	c->zset_max_listpack_value = 64;
	c->hll_sparse_max_bytes = 3000;
	c->busy_reply_threshold = 5000;
	c->logfile = xstrdup("");
	c->loglevel = CFG_LOG_NOTICE;
}

void
cfg_free(struct config *c)
{
	xfree(c->config_file);
	for (int i = 0; i < c->nbind; i++)
		xfree(c->bind[i]);
	xfree(c->unixsocket);
	xfree(c->replicaof_host);
	xfree(c->masterauth);
	xfree(c->masteruser);
	xfree(c->requirepass);
	xfree(c->dir);
	xfree(c->logfile);
	xfree(c->pidfile);
	xfree(c->dbfilename);
	memset(c, 0, sizeof *c);
}

size_t
cfg_count(void)
{
	return O_COUNT;
}

const char *
cfg_name(size_t i)
{
	return opts[i].name;
}

int
cfg_lookup(const char *name)
{
	for (int i = 0; i < O_COUNT; i++) {
		if (strcasecmp(name, opts[i].name) == 0)
			return i;
	}
	return -1;
}

size_t
cfg_primary(size_t i)
{
	return opts[i].primary;
}

unsigned
cfg_flags(size_t i)
{
	return opts[opts[i].primary].flags & F_PUBLIC;
}

size_t
cfg_get(const struct config *c, size_t i, char *buf, size_t len)
{
	const struct opt *o = &opts[opts[i].primary];
	struct sink s = { buf, len, 0 };

	o->get(c, o, &s);
	if (len > 0)
		buf[s.need < len ? s.need : len - 1] = '\0';
	return s.need;
}

bool
cfg_set(struct config *c, const char *name, int argc, const char *const *argv, char *err,
    size_t errlen)
{
	int i = cfg_lookup(name);
	const struct opt *o;
	char **words;
	int n;
	bool ok;

	if (i < 0) {
		seterr(err, errlen, "Bad directive or wrong number of arguments");
		return false;
	}
	o = &opts[opts[i].primary];
	if (!(o->flags & CFG_F_MULTI)) {
		if (argc != 1) {
			seterr(err, errlen, "wrong number of arguments");
			return false;
		}
		return o->set(c, o, argc, argv, err, errlen);
	}
	if (argc != 1 || argv[0][0] == '\0')
		return o->set(c, o, argc, argv, err, errlen);
	/* One word holding several ("--bind 'a b'", CONFIG SET's value): Redis splits it, and a
	 * word with unbalanced quotes splits into nothing. */
	n = split_words(argv[0], &words);
	if (n < 0)
		return o->set(c, o, 0, argv, err, errlen);
	ok = o->set(c, o, n, (const char *const *)words, err, errlen);
	xfree(words);
	return ok;
}

bool
cfg_parse_memory(const char *s, uint64_t *out)
{
	static const struct {
		const char *unit;
		uint64_t mul;
	} units[] = {
		{ "", 1 }, { "b", 1 },
		{ "k", 1000 }, { "kb", 1024 },
		{ "m", 1000 * 1000 }, { "mb", 1024 * 1024 },
		{ "g", 1000 * 1000 * 1000 }, { "gb", 1024 * 1024 * 1024 },
	};
	const char *u = s;
	uint64_t v = 0, mul = 0;

	while (*u >= '0' && *u <= '9')
		u++;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcasecmp(u, units[i].unit) == 0) {
			mul = units[i].mul;
			break;
		}
	}
	if (mul == 0 || u - s > MEMORY_DIGITS_MAX)
		return false;
	for (const char *p = s; p < u; p++) {
		unsigned d = (unsigned)(*p - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	*out = v > UINT64_MAX / mul ? UINT64_MAX : v * mul;
	return true;
}

/* ---- loading a file and the command line ---- */

/* Appends the rest of fp to b; false (errno set) on a read error. */
static bool
read_stream(FILE *fp, struct buf *b)
{
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(b, chunk, n);
	return !ferror(fp);
}

/* Appends the file at path to b, or sets err to the line Redis logs before exiting. */
static bool
read_path(const char *path, struct buf *b, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "r");
	bool ok;

	if (fp == NULL) {
		seterr(err, errlen, "Fatal error, can't open config file '%s': %s", path,
		    strerror(errno));
		return false;
	}
	ok = read_stream(fp, b);
	if (!ok)
		seterr(err, errlen, "Fatal error, can't read config file '%s': %s", path,
		    strerror(errno));
	fclose(fp);
	return ok;
}

/* Reads an include: a path, or a glob whose matches are read in order (none is not an error). */
static bool
read_include(const char *path, struct buf *b, char *err, size_t errlen)
{
	glob_t g;
	bool ok = true;

	if (strpbrk(path, "*?[") == NULL)
		return read_path(path, b, err, errlen);
	if (glob(path, 0, NULL, &g) != 0)
		return true;
	for (size_t i = 0; ok && i < g.gl_pathc; i++)
		ok = read_path(g.gl_pathv[i], b, err, errlen);
	globfree(&g);
	return ok;
}

static void
fatal_line(char *err, size_t errlen, size_t linenum, const char *line, const char *reason)
{
	seterr(err, errlen, FATAL_BANNER "Reading the configuration file, at line %zu\n>>> '%s'\n%s",
	    linenum, line, reason);
}

static bool load_text(struct config *c, const char *text, int depth, char *err, size_t errlen);

/* Applies one trimmed, non-blank, non-comment line. */
static bool
load_line(struct config *c, char *line, size_t linenum, int depth, char *err, size_t errlen)
{
	char reason[REASON_MAX];
	struct buf inc = { 0 };
	char **w;
	int n = split_words(line, &w);
	bool ok = true;

	if (n < 0) {
		fatal_line(err, errlen, linenum, line, "Unbalanced quotes in configuration line");
		return false;
	}
	if (n == 0)
		goto out;
	if (cfg_lookup(w[0]) >= 0) {
		ok = cfg_set(c, w[0], n - 1, (const char *const *)w + 1, reason, sizeof reason);
		if (!ok)
			fatal_line(err, errlen, linenum, line, reason);
	} else if (strcasecmp(w[0], "include") == 0 && n == 2) {
		if (depth >= INCLUDE_DEPTH_MAX) {
			fatal_line(err, errlen, linenum, line, "include nesting is too deep");
			ok = false;
		} else {
			ok = read_include(w[1], &inc, err, errlen) &&
			    load_text(c, inc.p != NULL ? inc.p : "", depth + 1, err, errlen);
		}
	} else {
		fatal_line(err, errlen, linenum, line, "Bad directive or wrong number of arguments");
		ok = false;
	}
out:
	xfree(inc.p);
	xfree(w);
	return ok;
}

/* Applies text line by line; an error in an included file names that file's line. */
static bool
load_text(struct config *c, const char *text, int depth, char *err, size_t errlen)
{
	const char *p = text;
	size_t linenum = 0;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		const char *s = p, *e = p + len;
		char *line;
		bool ok;

		linenum++;
		while (s < e && strchr(" \t\r\n", *s) != NULL)
			s++;
		while (e > s && strchr(" \t\r\n", e[-1]) != NULL)
			e--;
		if (s < e && *s != '#') {
			line = xstrndup(s, (size_t)(e - s));
			ok = load_line(c, line, linenum, depth, err, errlen);
			xfree(line);
			if (!ok)
				return false;
		}
		if (nl == NULL)
			return true;
		p = nl + 1;
	}
}

/* Redis checks at the end of loading that the log file can be opened, creating it. */
static bool
check_logfile(const struct config *c, char *err, size_t errlen)
{
	FILE *fp;

	if (c->logfile[0] == '\0')
		return true;
	fp = fopen(c->logfile, "a");
	if (fp == NULL) {
		seterr(err, errlen, FATAL_BANNER "Can't open the log file: %s", strerror(errno));
		return false;
	}
	fclose(fp);
	return true;
}

bool
cfg_load_string(struct config *c, const char *text, const char *origin, char *err, size_t errlen)
{
	return load_text(c, text, 0, err, errlen) && check_logfile(c, err, errlen);
}

/*
 * Redis' getAbsolutePath: blanks trimmed; a relative name is joined to the current directory
 * after dropping one directory for each leading "../". Returns new (xfree).
 */
static char *
absolute_path(const char *name)
{
	char cwd[PATH_MAX];
	const char *s = name, *e = name + strlen(name);
	struct buf b = { 0 };

	while (s < e && strchr(" \r\n\t", *s) != NULL)
		s++;
	while (e > s && strchr(" \r\n\t", e[-1]) != NULL)
		e--;
	if (*s == '/' || getcwd(cwd, sizeof cwd) == NULL)
		return xstrndup(s, (size_t)(e - s));
	buf_adds(&b, cwd);
	if (b.len > 0 && b.p[b.len - 1] != '/')
		buf_add(&b, "/", 1);
	while (e - s >= 3 && strncmp(s, "../", 3) == 0) {
		s += 3;
		if (b.len > 1) {
			b.len--;
			while (b.p[b.len - 1] != '/')
				b.len--;
			b.p[b.len] = '\0';
		}
	}
	buf_add(&b, s, (size_t)(e - s));
	return b.p;
}

/* Whether arg is one word as a config line (a "--name" alone, or "--name value" in one arg). */
static bool
is_single_word(const char *arg)
{
	char **w;
	int n = split_words(arg, &w);

	if (n < 0)
		return false;
	xfree(w);
	return n == 1;
}

bool
cfg_load_args(struct config *c, int argc, char **argv, char *err, size_t errlen)
{
	struct buf text = { 0 }, options = { 0 };
	bool from_file = false, from_stdin = false, line_has_value = true, ok = false;
	int j = 1;

	if (argc < 2)
		return true;
	if (argv[1][0] != '-') {
		xfree(c->config_file);
		c->config_file = absolute_path(argv[1]);
		from_file = true;
		j = 2;
	}
	/* As redis-server's main(): a name opens a line, unless the previous name still waits
	 * for its value ("--loglevel --x" sets loglevel to "--x"); other words are its values. */
	for (; j < argc; j++) {
		const char *a = argv[j];

		if (a[0] == '-' && a[1] == '\0' && (j == 1 || j == argc - 1)) {
			from_stdin = true;
		} else if (line_has_value && a[0] == '-' && a[1] == '-') {
			if (options.len > 0)
				buf_add(&options, "\n", 1);
			buf_adds(&options, a + 2);
			buf_add(&options, " ", 1);
			line_has_value = !is_single_word(a);
		} else {
			buf_add_repr(&options, a);
			buf_add(&options, " ", 1);
			line_has_value = true;
		}
	}
	buf_add(&text, "", 0);
	if (from_file && !read_path(c->config_file, &text, err, errlen))
		goto out;
	if (from_stdin && !read_stream(stdin, &text)) {
		seterr(err, errlen, "Fatal error, can't read config from stdin: %s",
		    strerror(errno));
		goto out;
	}
	buf_add(&text, "\n", 1);
	if (options.len > 0)
		buf_add(&text, options.p, options.len);
	ok = load_text(c, text.p, 0, err, errlen) && check_logfile(c, err, errlen);
out:
	xfree(text.p);
	xfree(options.p);
	return ok;
}
