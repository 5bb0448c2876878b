/*
 * resp_reply.c: the reader of RESP2 and RESP3 replies (see resp.h).
 *
 * Two callers: the primary link (replica/sync/) reads the primary's handshake replies with it,
 * and the Lua engine (lua/) turns the reply a handler wrote with resp_write.c back into values
 * for redis.call. resp_read_item() reads one item, resp_skip_reply() checks that a whole reply
 * is there. Items are views into the caller's buffer; nothing is allocated.
 *
 * The primary's bytes are untrusted, so every byte is checked: the grammar is strict (Redis'
 * own integers, RESP3 doubles and bignums, t/f bools, empty nulls), a line ends only at CRLF
 * (a lone CR or LF inside a line is an error: no valid line holds one), lines are bounded and
 * a bulk length is compared with the bytes present without adding it to an offset first. The
 * outcome does not depend on where the input is cut: a line is refused for its length whether
 * its CRLF has arrived or not, so a prefix of a valid reply is always RESP_MORE.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/resp.h"
#include "storage/base/num.h"

/* Longest text of a number line (lengths, integers, bools, nulls): "-9223372036854775808". */
#define NUMBER_LINE_MAX		NUM_I64_MAX_CHARS
/*
 * Longest text of a double. Redis writes at most 24 bytes ("%.17g"); this leaves room for any
 * other sane spelling (even "%f" of DBL_MAX) while the copy for strtod stays on the stack.
 */
#define DOUBLE_LINE_MAX		384

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Finds the CRLF ending the line whose text starts at buf[start], start <= len. Returns RESP_OK
 * with *end at its CR, RESP_MORE when the line may still end within max bytes of text, and
 * RESP_ERR when a CR not followed by LF or an LF comes first, or the text is longer than max.
 */
static enum resp_status
find_crlf(const char *buf, size_t len, size_t start, size_t max, size_t *end)
{
	size_t avail = len - start;
	size_t scan = avail < max + 1 ? avail : max + 1;
	const char *s = buf + start;

	for (size_t i = 0; i < scan; i++) {
		if (s[i] == '\n')
			return RESP_ERR;
		if (s[i] != '\r')
			continue;
		if (i + 1 == avail)
			return RESP_MORE;
		if (s[i + 1] != '\n')
			return RESP_ERR;
		*end = start + i;
		return RESP_OK;
	}
	return avail > max ? RESP_ERR : RESP_MORE;
}

/* True if s[0..n) is "[+-]digits[.digits][(e|E)[+-]digits]". */
static bool
double_syntax(const char *s, size_t n)
{
	size_t i = 0, d;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		i++;
	for (d = i; i < n && is_digit(s[i]); i++)
		;
	if (i == d)
		return false;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		for (d = i; i < n && is_digit(s[i]); i++)
			;
		if (i == d)
			return false;
	}
	return i == n;
}

/*
 * Parses the double text s[0..n), n <= DOUBLE_LINE_MAX, into *out. Infinities and NaN only as
 * Redis spells them; a finite spelling that overflows to infinity is refused.
 */
static bool
parse_double(const char *s, size_t n, double *out)
{
	char copy[DOUBLE_LINE_MAX + 1];
	char *end;

	if (n == 3 && memcmp(s, "inf", 3) == 0) {
		*out = INFINITY;
		return true;
	}
	if (n == 4 && memcmp(s, "-inf", 4) == 0) {
		*out = -INFINITY;
		return true;
	}
	/* glibc's printf writes "-nan" for a NaN with its sign bit set. */
	if ((n == 3 && memcmp(s, "nan", 3) == 0) || (n == 4 && memcmp(s, "-nan", 4) == 0)) {
		*out = NAN;
		return true;
	}
	if (!double_syntax(s, n))
		return false;
	memcpy(copy, s, n);
	copy[n] = '\0';
	*out = strtod(copy, &end);
	return end == copy + n && isfinite(*out);
}

/* True if s[0..n) is "[+-]digits". */
static bool
bignum_syntax(const char *s, size_t n)
{
	size_t i = 0;

	if (n != 0 && (s[0] == '+' || s[0] == '-'))
		i++;
	if (i == n)
		return false;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return false;
	}
	return true;
}

/* Reads the text of a line item (the type byte at buf[at]) into r; *next past its CRLF. */
static enum resp_status
read_line_item(const char *buf, size_t len, size_t at, struct resp_item *r, size_t *next)
{
	size_t max, end, n;
	const char *s = buf + at + 1;
	enum resp_status st;

	switch (r->type) {
	case RESP_T_INT:
	case RESP_T_BOOL:
	case RESP_T_NULL:
		max = NUMBER_LINE_MAX;
		break;
	case RESP_T_DOUBLE:
		max = DOUBLE_LINE_MAX;
		break;
	default:
		max = RESP_INLINE_MAX;
		break;
	}
	if ((st = find_crlf(buf, len, at + 1, max, &end)) != RESP_OK)
		return st;
	n = end - (at + 1);
	switch (r->type) {
	case RESP_T_INT:
		if (!num_parse_i64(s, n, &r->i))
			return RESP_ERR;
		break;
	case RESP_T_BOOL:
		if (n != 1 || (s[0] != 't' && s[0] != 'f'))
			return RESP_ERR;
		r->i = s[0] == 't';
		break;
	case RESP_T_NULL:
		if (n != 0)
			return RESP_ERR;
		break;
	case RESP_T_DOUBLE:
		if (!parse_double(s, n, &r->d))
			return RESP_ERR;
		r->str = s;
		r->len = n;
		break;
	case RESP_T_BIGNUM:
		if (!bignum_syntax(s, n))
			return RESP_ERR;
		r->str = s;
		r->len = n;
		break;
	default:
		/* SIMPLE and ERROR: any bytes but CR and LF, which find_crlf refused. */
		r->str = s;
		r->len = n;
		break;
	}
	*next = end + 2;
	return RESP_OK;
}

/*
 * Reads a length header "<type><digits>\r\n" (the type byte at buf[at]) into *v and *next.
 * Returns RESP_ERR for a bad number, or a negative one other than -1 where nulls exist.
 */
static enum resp_status
read_length(const char *buf, size_t len, size_t at, bool null_ok, int64_t *v, size_t *next)
{
	size_t end;
	enum resp_status st;

	if ((st = find_crlf(buf, len, at + 1, NUMBER_LINE_MAX, &end)) != RESP_OK)
		return st;
	if (!num_parse_i64(buf + at + 1, end - (at + 1), v))
		return RESP_ERR;
	if (*v < 0 && !(*v == -1 && null_ok))
		return RESP_ERR;
	*next = end + 2;
	return RESP_OK;
}

/* Reads a bulk-like item ('$', '!', '='), the type byte at buf[at], into r. */
static enum resp_status
read_bulk_item(const char *buf, size_t len, size_t at, struct resp_item *r, size_t *next)
{
	int64_t v;
	uint64_t need;
	size_t data;
	enum resp_status st;

	st = read_length(buf, len, at, r->type == RESP_T_BULK, &v, &data);
	if (st != RESP_OK)
		return st;
	if (v == -1) {
		r->null = true;
		*next = data;
		return RESP_OK;
	}
	/* v + 2 cannot wrap in 64 bits; compare it with what is left rather than add offsets. */
	need = (uint64_t)v + 2;
	if (need > (uint64_t)(SIZE_MAX - data))
		return RESP_ERR;
	if (need > (uint64_t)(len - data))
		return RESP_MORE;
	if (buf[data + (size_t)v] != '\r' || buf[data + (size_t)v + 1] != '\n')
		return RESP_ERR;
	r->str = buf + data;
	r->len = (size_t)v;
	if (r->type == RESP_T_VERBATIM) {
		if (r->len < 4 || r->str[3] != ':')
			return RESP_ERR;
		memcpy(r->fmt, r->str, 3);
		r->fmt[3] = '\0';
		r->str += 4;
		r->len -= 4;
	}
	*next = data + (size_t)v + 2;
	return RESP_OK;
}

enum resp_status
resp_read_item(const char *buf, size_t len, size_t *pos, struct resp_item *it)
{
	struct resp_item r;
	size_t at = *pos, next = 0;
	int64_t v;
	enum resp_status st;

	if (at >= len)
		return at == len ? RESP_MORE : RESP_ERR;
	memset(&r, 0, sizeof r);
	r.type = (unsigned char)buf[at];
	switch (r.type) {
	case RESP_T_SIMPLE:
	case RESP_T_ERROR:
	case RESP_T_INT:
	case RESP_T_NULL:
	case RESP_T_BOOL:
	case RESP_T_DOUBLE:
	case RESP_T_BIGNUM:
		st = read_line_item(buf, len, at, &r, &next);
		break;
	case RESP_T_BULK:
	case RESP_T_BLOBERR:
	case RESP_T_VERBATIM:
		st = read_bulk_item(buf, len, at, &r, &next);
		break;
	case RESP_T_ARRAY:
	case RESP_T_MAP:
	case RESP_T_SET:
	case RESP_T_ATTR:
	case RESP_T_PUSH:
		st = read_length(buf, len, at, r.type == RESP_T_ARRAY, &v, &next);
		if (st == RESP_OK) {
			r.null = v == -1;
			r.n = r.null ? 0 : (uint64_t)v;
		}
		break;
	default:
		return RESP_ERR;
	}
	if (st != RESP_OK)
		return st;
	*it = r;
	*pos = next;
	return RESP_OK;
}

enum resp_status
resp_skip_reply(const char *buf, size_t len, size_t *pos)
{
	struct resp_item it;
	size_t at = *pos;
	uint64_t left = 1, add;
	enum resp_status st;

	while (left != 0) {
		if ((st = resp_read_item(buf, len, &at, &it)) != RESP_OK)
			return st;
		/* An attribute's pairs precede the item it describes, which left still counts. */
		if (it.type != RESP_T_ATTR)
			left--;
		switch (it.type) {
		case RESP_T_ARRAY:
		case RESP_T_SET:
		case RESP_T_PUSH:
			add = it.n;
			break;
		case RESP_T_MAP:
		case RESP_T_ATTR:
			/* n <= INT64_MAX, so 2n fits. */
			add = it.n * 2;
			break;
		default:
			add = 0;
			break;
		}
		if (add > UINT64_MAX - left)
			return RESP_ERR;
		left += add;
	}
	*pos = at;
	return RESP_OK;
}
