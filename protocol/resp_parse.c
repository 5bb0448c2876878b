/*
 * resp_parse.c: the incremental request parser (see resp.h).
 *
 * The server's read path hands resp_parse() the bytes of its query buffer from the start of the
 * next request; the parser returns one request as argument views into those bytes, or asks for
 * more. It follows Redis 7.0's processMultibulkBuffer and processInlineBuffer (networking.c)
 * byte for byte, quirks included, so that a client sees the same replies and the same protocol
 * errors as from a Redis server:
 *
 *  - A multibulk request starts with '*'; anything else is an inline request.
 *  - Lines are found the way Redis finds them, with strchr: '\r' ends a count or bulk header and
 *    '\n' an inline line, but a NUL byte stops the search, so a line with a NUL before its end
 *    never ends and the request fails once more than RESP_INLINE_MAX bytes are buffered.
 *  - After a header's '\r' one more byte must be present; it is skipped unchecked, as are the
 *    two bytes after each bulk's data.
 *  - Redis reports an over-long line only when more than RESP_INLINE_MAX bytes are buffered
 *    without its end, which depends on how reads were cut. Here a line of more than
 *    RESP_INLINE_MAX bytes is refused whatever the cut, which is what Redis does when the bytes
 *    come in small reads.
 *
 * The state machine (enum below) keeps offsets relative to the request start, never pointers,
 * because the caller may move its buffer between calls; the views are made when the request is
 * complete. Each byte is examined once however the request is cut into reads.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "protocol/resp.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

enum parse_state {
	ST_START = 0,	/* between requests (zero-filled) */
	ST_COUNT,	/* multibulk: reading "*<count>\r?" */
	ST_HDR,		/* multibulk: reading "$<len>\r?" at pos */
	ST_DATA,	/* multibulk: waiting for bulk_len + 2 bytes at pos */
	ST_INLINE,	/* inline: waiting for the '\n' ending the line */
	ST_ERR,		/* protocol error reported; sticky until reset */
};

enum line_result {
	LINE_FOUND,
	LINE_MORE,
	LINE_TOO_BIG,
};

/* Redis preallocates at most this many argument slots from an untrusted count. */
#define ARGV_PREALLOC_MAX 1024
#define ARGV_MIN 8
/* Lines up to this long are searched byte by byte, longer ones with memchr. */
#define SHORT_LINE 32

static enum resp_status
fail(struct resp_parser *p, const char *msg)
{
	snprintf(p->errbuf, sizeof p->errbuf, "ERR Protocol error: %s", msg);
	p->errstr = p->errbuf;
	p->state = ST_ERR;
	return RESP_ERR;
}

static enum resp_status
fail_expected(struct resp_parser *p, char got)
{
	char msg[32];

	/* Redis turns CR and LF in error replies into spaces. */
	if (got == '\r' || got == '\n')
		got = ' ';
	snprintf(msg, sizeof msg, "expected '$', got '%c'", got);
	return fail(p, msg);
}

static void
argv_reserve(struct resp_parser *p, size_t n)
{
	size_t cap = p->argv_cap ? p->argv_cap : ARGV_MIN;

	if (n <= p->argv_cap)
		return;
	while (cap < n)
		cap *= 2;
	p->argv = xrealloc(p->argv, cap * sizeof *p->argv);
	p->argv_cap = cap;
}

static void
argv_push(struct resp_parser *p, char *ptr, size_t len)
{
	if (p->argc == p->argv_cap)
		argv_reserve(p, p->argc + 1);
	p->argv[p->argc].ptr = ptr;
	p->argv[p->argc].len = len;
	p->argc++;
}

/*
 * Looks for the byte c that ends the line starting at p->pos, resuming at p->scan, over at most
 * RESP_INLINE_MAX + 1 bytes (a line may hold RESP_INLINE_MAX bytes before its end).
 * Returns LINE_FOUND with *at = the offset of c; LINE_MORE when the end may still come;
 * LINE_TOO_BIG when it cannot come in time (Redis: no end found in more than RESP_INLINE_MAX
 * buffered bytes).
 */
static enum line_result
find_line_end(struct resp_parser *p, const char *buf, size_t len, char c, size_t *at)
{
	size_t limit = p->pos + RESP_INLINE_MAX + 1;
	size_t end = len < limit ? len : limit;

	if (!p->nul && p->scan < end) {
		size_t i = p->scan, quick = end - i < SHORT_LINE ? end : i + SHORT_LINE;
		const char *hit;

		/* Count and bulk lines are a few bytes: a plain loop beats two memchr calls. */
		for (; i < quick; i++) {
			if (buf[i] == c) {
				p->scan = *at = i;
				return LINE_FOUND;
			}
			if (buf[i] == '\0') {
				p->nul = true;
				goto out;
			}
		}
		hit = memchr(buf + i, c, end - i);
		/* strchr in Redis would stop at a NUL: past it the line has no end. */
		if (memchr(buf + i, '\0', (hit ? (size_t)(hit - buf) : end) - i) != NULL) {
			p->nul = true;
		} else if (hit != NULL) {
			p->scan = *at = (size_t)(hit - buf);
			return LINE_FOUND;
		} else {
			p->scan = end;
		}
	}
out:
	if (len - p->pos > RESP_INLINE_MAX)
		return LINE_TOO_BIG;
	return LINE_MORE;
}

/*
 * The common case of a count or bulk line, "<prefix><digits>\r" with the byte after the '\r'
 * present and the digits a canonical number below 10^18, parsed in one pass. Returns false for
 * anything else (a sign, a leading zero, a long or incomplete line...), which the general path
 * then handles: for every line this accepts, the general path finds the same end and number.
 */
static bool
quick_line(const char *buf, size_t start, size_t len, int64_t *n, size_t *cr)
{
	size_t i = start + 1, stop = len - start > 19 ? start + 19 : len;
	int64_t v;

	if (i >= stop || buf[i] < '0' || buf[i] > '9')
		return false;
	v = buf[i++] - '0';
	if (v != 0) {
		while (i < stop && buf[i] >= '0' && buf[i] <= '9')
			v = v * 10 + (buf[i++] - '0');
	}
	if (i + 1 >= len || buf[i] != '\r')
		return false;
	*n = v;
	*cr = i;
	return true;
}

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* The bytes that end a run of plain bytes in a bare word: its end, or a quote. */
static bool
ends_bare_run(char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '\'';
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Splits the n bytes at s into arguments with Redis' sdssplitargs rules, unescaping in place
 * (an argument never grows, so the write position trails the read position).
 * Returns false on unbalanced quotes, or a closing quote followed by anything but a space.
 */
static bool
split_inline(struct resp_parser *p, char *s, size_t n)
{
	size_t i = 0;

	for (;;) {
		size_t start, w;
		int quote = 0;	/* 0, '"' or '\'' */
		bool done = false;

		while (i < n && is_space(s[i]))
			i++;
		if (i == n)
			return true;
		/* Most words have no quote: skip their bytes, which stay where they are. */
		start = i;
		while (i < n && !ends_bare_run(s[i]))
			i++;
		w = i;
		while (!done) {
			if (quote == '"') {
				if (i == n)
					return false;
				if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
				    hex_value(s[i + 2]) >= 0 && hex_value(s[i + 3]) >= 0) {
					s[w++] = (char)(hex_value(s[i + 2]) * 16 +
					    hex_value(s[i + 3]));
					i += 4;
				} else if (s[i] == '\\' && i + 1 < n) {
					switch (s[i + 1]) {
					case 'n': s[w++] = '\n'; break;
					case 'r': s[w++] = '\r'; break;
					case 't': s[w++] = '\t'; break;
					case 'b': s[w++] = '\b'; break;
					case 'a': s[w++] = '\a'; break;
					default: s[w++] = s[i + 1]; break;
					}
					i += 2;
				} else if (s[i] == '"') {
					if (i + 1 < n && !is_space(s[i + 1]))
						return false;
					done = true;
					i++;
				} else {
					s[w++] = s[i++];
				}
			} else if (quote == '\'') {
				if (i == n)
					return false;
				if (s[i] == '\\' && i + 1 < n && s[i + 1] == '\'') {
					s[w++] = '\'';
					i += 2;
				} else if (s[i] == '\'') {
					if (i + 1 < n && !is_space(s[i + 1]))
						return false;
					done = true;
					i++;
				} else {
					s[w++] = s[i++];
				}
			} else if (i == n) {
				done = true;
			} else {
				/* Only these end a bare word: not \v or \f, unlike isspace. */
				switch (s[i]) {
				case ' ':
				case '\n':
				case '\r':
				case '\t':
					done = true;
					break;
				case '"':
				case '\'':
					quote = s[i];
					break;
				default:
					s[w++] = s[i];
					break;
				}
				i++;
			}
		}
		argv_push(p, s + start, w - start);
	}
}

static enum resp_status
parse_inline(struct resp_parser *p, char *buf, size_t len, size_t *consumed)
{
	size_t nl, end;

	switch (find_line_end(p, buf, len, '\n', &nl)) {
	case LINE_MORE:
		return RESP_MORE;
	case LINE_TOO_BIG:
		return fail(p, "too big inline request");
	case LINE_FOUND:
		break;
	}
	end = nl;
	if (end > 0 && buf[end - 1] == '\r')
		end--;
	if (!split_inline(p, buf, end))
		return fail(p, "unbalanced quotes in request");
	*consumed = nl + 1;
	p->state = ST_START;
	return RESP_OK;
}

/*
 * Multibulk arguments are recorded as offsets from the request start while the request is
 * incomplete, since the caller may move the buffer between calls; this turns them into views.
 */
static void
argv_rebase(struct resp_parser *p, char *buf)
{
	for (size_t i = 0; i < p->argc; i++)
		p->argv[i].ptr = buf + (uintptr_t)p->argv[i].ptr;
}

static enum resp_status
parse_multibulk(struct resp_parser *p, char *buf, size_t len, const struct resp_limits *lim,
    size_t *consumed)
{
	size_t cr;
	int64_t n;

	if (p->state == ST_COUNT) {
		bool ok = true;

		if (!quick_line(buf, 0, len, &n, &cr)) {
			switch (find_line_end(p, buf, len, '\r', &cr)) {
			case LINE_MORE:
				return RESP_MORE;
			case LINE_TOO_BIG:
				return fail(p, "too big mbulk count string");
			case LINE_FOUND:
				break;
			}
			if (cr + 2 > len)
				return RESP_MORE;
			ok = num_parse_i64(buf + 1, cr - 1, &n);
		}
		if (!ok || n > INT_MAX)
			return fail(p, "invalid multibulk length");
		if (n > RESP_NOAUTH_MAX_ARGS && !lim->authenticated)
			return fail(p, "unauthenticated multibulk length");
		p->pos = p->scan = cr + 2;
		if (n <= 0) {
			*consumed = p->pos;
			p->state = ST_START;
			return RESP_OK;
		}
		p->mbulk_left = n;
		argv_reserve(p, n < ARGV_PREALLOC_MAX ? (size_t)n : ARGV_PREALLOC_MAX);
		p->state = ST_HDR;
	}

	while (p->mbulk_left > 0) {
		if (p->state == ST_HDR) {
			if (p->pos >= len || buf[p->pos] != '$' ||
			    !quick_line(buf, p->pos, len, &n, &cr)) {
				switch (find_line_end(p, buf, len, '\r', &cr)) {
				case LINE_MORE:
					return RESP_MORE;
				case LINE_TOO_BIG:
					return fail(p, "too big bulk count string");
				case LINE_FOUND:
					break;
				}
				if (cr + 2 > len)
					return RESP_MORE;
				if (buf[p->pos] != '$')
					return fail_expected(p, buf[p->pos]);
				if (!num_parse_i64(buf + p->pos + 1, cr - p->pos - 1, &n))
					n = -1;
			}
			if (n < 0 ||
			    (lim->max_bulk_len != 0 && (uint64_t)n > lim->max_bulk_len))
				return fail(p, "invalid bulk length");
			if (n > RESP_NOAUTH_MAX_BULK && !lim->authenticated)
				return fail(p, "unauthenticated bulk length");
			p->pos = cr + 2;
			p->bulk_len = n;
			if (n >= RESP_BIG_ARG) {
				uint64_t want = (uint64_t)p->pos + (uint64_t)n + 2;

				p->want = want > SIZE_MAX ? SIZE_MAX : (size_t)want;
			}
			p->state = ST_DATA;
		}
		if ((uint64_t)(len - p->pos) < (uint64_t)p->bulk_len + 2)
			return RESP_MORE;
		argv_push(p, (char *)(uintptr_t)p->pos, (size_t)p->bulk_len);
		p->pos += (size_t)p->bulk_len + 2;
		p->scan = p->pos;
		p->bulk_len = -1;
		p->mbulk_left--;
		p->state = ST_HDR;
	}
	argv_rebase(p, buf);
	*consumed = p->pos;
	p->state = ST_START;
	return RESP_OK;
}

enum resp_status
resp_parse(struct resp_parser *p, char *buf, size_t len, const struct resp_limits *lim,
    size_t *consumed)
{
	*consumed = 0;
	switch (p->state) {
	case ST_ERR:
		return RESP_ERR;
	case ST_START:
		if (len == 0)
			return RESP_MORE;
		p->argc = 0;
		p->scan = 0;
		p->pos = 0;
		p->nul = false;
		p->mbulk_left = 0;
		p->bulk_len = -1;
		p->want = 0;
		p->state = buf[0] == '*' ? ST_COUNT : ST_INLINE;
		break;
	default:
		break;
	}
	if (p->state == ST_INLINE)
		return parse_inline(p, buf, len, consumed);
	return parse_multibulk(p, buf, len, lim, consumed);
}

size_t
resp_parser_want(const struct resp_parser *p)
{
	return p->state == ST_HDR || p->state == ST_DATA ? p->want : 0;
}

void
resp_parser_reset(struct resp_parser *p)
{
	struct resp_arg *argv = p->argv;
	size_t cap = p->argv_cap;

	memset(p, 0, sizeof *p);
	p->argv = argv;
	p->argv_cap = cap;
}

void
resp_parser_free(struct resp_parser *p)
{
	xfree(p->argv);
	memset(p, 0, sizeof *p);
}
