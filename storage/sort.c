/*
 * sort.c: SORT's patterns, weights and orderings (see sort.h). The caller is
 * replica/commands/cmd_sort.c; start at sort_items.
 *
 * Why two sorting algorithms: SORT's comparison has ties between different elements (ALPHA
 * with BY gives every element whose weight key is missing the same weight), and Redis leaves
 * tied elements in whatever order its sort produces. Redis 7.0 calls libc's qsort for a full
 * sort (glibc's is a merge sort: ties keep their input order) and its own pqsort for BY with
 * LIMIT; reproducing both makes the reply of a list identical to Redis' even with ties.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/psort.h"
#include "storage/sort.h"

void
sort_pattern_parse(struct sort_pattern *p, const char *s, size_t len)
{
	size_t clen = strnlen(s, len);
	const char *star, *f = NULL;

	memset(p, 0, sizeof(*p));
	if (clen == 1 && s[0] == '#') {
		p->self = true;
		return;
	}
	star = memchr(s, '*', clen);
	if (star == NULL) {
		p->none = true;
		return;
	}
	/* The first "->" after the star, with at least one byte (before any NUL) after it. */
	for (const char *q = star + 1; q + 1 < s + clen; q++) {
		if (q[0] == '-' && q[1] == '>') {
			f = q;
			break;
		}
	}
	if (f != NULL && f + 2 < s + clen) {
		p->field = f + 2;
		p->fieldlen = len - (size_t)(f - s) - 2;
	}
	p->pre = s;
	p->prelen = (size_t)(star - s);
	p->post = star + 1;
	p->postlen = len - p->prelen - 1 - (p->field != NULL ? p->fieldlen + 2 : 0);
}

bool
sort_pattern_is_constant(const char *s, size_t len)
{
	return memchr(s, '*', strnlen(s, len)) == NULL;
}

size_t
sort_pattern_key(const struct sort_pattern *p, const char *e, size_t elen, char **buf,
    size_t *cap)
{
	size_t n = p->prelen + elen + p->postlen;

	if (n > *cap || *buf == NULL) {
		*cap = n > 64 ? n : 64;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf, p->pre, p->prelen);
	if (elen > 0)
		memcpy(*buf + p->prelen, e, elen);
	memcpy(*buf + p->prelen + elen, p->post, p->postlen);
	return n;
}

bool
sort_parse_score(const char *s, size_t len, double *out)
{
	char small[128], *buf = small, *end;
	bool ok;

	len = strnlen(s, len);
	if (len >= sizeof(small))
		buf = xmalloc(len + 1);
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	ok = *end == '\0' && errno != ERANGE && !isnan(*out);
	if (buf != small)
		xfree(buf);
	return ok;
}

/* memcmp, then the shorter first (Redis' compareStringObjects). */
static int
cmp_bytes(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0 || alen == blen)
		return c;
	return alen < blen ? -1 : 1;
}

/* strcmp over each text's bytes up to its first NUL (strcoll in the C locale). */
static int
cmp_cstr(const char *a, size_t alen, const char *b, size_t blen)
{
	return cmp_bytes(a, strnlen(a, alen), b, strnlen(b, blen));
}

int
sort_compare(const struct sort_item *a, const struct sort_item *b, unsigned flags)
{
	int (*cmp)(const char *, size_t, const char *, size_t) =
	    (flags & SORT_BINARY) ? cmp_bytes : cmp_cstr;
	int c;

	if (!(flags & SORT_ALPHA)) {
		if (a->score > b->score)
			c = 1;
		else if (a->score < b->score)
			c = -1;
		else
			c = cmp_bytes(a->s, a->len, b->s, b->len);
	} else if (flags & SORT_BY) {
		if (a->cmp == NULL || b->cmp == NULL)
			c = a->cmp == b->cmp ? 0 : a->cmp == NULL ? -1 : 1;
		else
			c = cmp(a->cmp, a->cmplen, b->cmp, b->cmplen);
	} else {
		c = cmp(a->s, a->len, b->s, b->len);
	}
	if (flags & SORT_DESC)
		return c < 0 ? 1 : c > 0 ? -1 : 0;
	return c;
}

/* psort's comparison: sort_compare with the flags arg points to. */
static int
cmp_items(const void *a, const void *b, void *arg)
{
	return sort_compare(a, b, *(const unsigned *)arg);
}

void
sort_items(struct sort_item *v, size_t n, unsigned flags, bool partial, int64_t first,
    int64_t last)
{
	if (n < 2)
		return;
	if (partial)
		psort_partial(v, n, sizeof *v, cmp_items, &flags, (ptrdiff_t)first, (ptrdiff_t)last);
	else
		psort_stable(v, n, sizeof *v, cmp_items, &flags);
}
