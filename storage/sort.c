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

/* ---- the full sort: a stable merge sort ---- */

static void
merge_sort(struct sort_item *v, struct sort_item *tmp, size_t n, unsigned flags)
{
	size_t h = n / 2, i = 0, j = h, k = 0;

	if (n < 8) {
		for (size_t m = 1; m < n; m++) {
			struct sort_item x = v[m];
			size_t l = m;

			for (; l > 0 && sort_compare(&v[l - 1], &x, flags) > 0; l--)
				v[l] = v[l - 1];
			v[l] = x;
		}
		return;
	}
	merge_sort(v, tmp, h, flags);
	merge_sort(v + h, tmp, n - h, flags);
	while (i < h && j < n) {
		if (sort_compare(&v[i], &v[j], flags) <= 0)
			tmp[k++] = v[i++];
		else
			tmp[k++] = v[j++];
	}
	while (i < h)
		tmp[k++] = v[i++];
	/* v[j..n) is already in place. */
	memcpy(v, tmp, k * sizeof(*v));
}

/* ---- the partial sort: Redis' pqsort, on indices ---- */

struct pq {
	struct sort_item *v;
	unsigned flags;
	ptrdiff_t first, last;
};

static int
pq_cmp(const struct pq *q, ptrdiff_t a, ptrdiff_t b)
{
	return sort_compare(&q->v[a], &q->v[b], q->flags);
}

static void
pq_swap(const struct pq *q, ptrdiff_t a, ptrdiff_t b)
{
	struct sort_item t = q->v[a];

	q->v[a] = q->v[b];
	q->v[b] = t;
}

static void
pq_vecswap(const struct pq *q, ptrdiff_t a, ptrdiff_t b, ptrdiff_t n)
{
	for (ptrdiff_t i = 0; i < n; i++)
		pq_swap(q, a + i, b + i);
}

static ptrdiff_t
pq_med3(const struct pq *q, ptrdiff_t a, ptrdiff_t b, ptrdiff_t c)
{
	if (pq_cmp(q, a, b) < 0)
		return pq_cmp(q, b, c) < 0 ? b : pq_cmp(q, a, c) < 0 ? c : a;
	return pq_cmp(q, b, c) > 0 ? b : pq_cmp(q, a, c) < 0 ? a : c;
}

/* True if positions lo..lo+n-1 hold none of first..last (pqsort's pruning test, which also
 * handles an empty range, last = first - 1, as Redis' byte-pointer test does). */
static bool
pq_outside(const struct pq *q, ptrdiff_t lo, ptrdiff_t n)
{
	return (q->first < lo && q->last < lo) || (q->first >= lo + n && q->last >= lo + n);
}

static void
pq_sort(const struct pq *q, ptrdiff_t lo, ptrdiff_t n)
{
	ptrdiff_t pa, pb, pc, pd, pl, pm, pn, r;
	int c;

	for (;;) {
		if (n < 7) {
			for (pm = lo + 1; pm < lo + n; pm++)
				for (pl = pm; pl > lo && pq_cmp(q, pl - 1, pl) > 0; pl--)
					pq_swap(q, pl, pl - 1);
			return;
		}
		pm = lo + n / 2;
		if (n > 7) {
			pl = lo;
			pn = lo + n - 1;
			if (n > 40) {
				ptrdiff_t d = n / 8;

				pl = pq_med3(q, pl, pl + d, pl + 2 * d);
				pm = pq_med3(q, pm - d, pm, pm + d);
				pn = pq_med3(q, pn - 2 * d, pn - d, pn);
			}
			pm = pq_med3(q, pl, pm, pn);
		}
		pq_swap(q, lo, pm);
		pa = pb = lo + 1;
		pc = pd = lo + n - 1;
		for (;;) {
			while (pb <= pc && (c = pq_cmp(q, pb, lo)) <= 0) {
				if (c == 0)
					pq_swap(q, pa++, pb);
				pb++;
			}
			while (pb <= pc && (c = pq_cmp(q, pc, lo)) >= 0) {
				if (c == 0)
					pq_swap(q, pc, pd--);
				pc--;
			}
			if (pb > pc)
				break;
			pq_swap(q, pb++, pc--);
		}
		pn = lo + n;
		r = pa - lo < pb - pa ? pa - lo : pb - pa;
		pq_vecswap(q, lo, pb - r, r);
		r = pd - pc < pn - pd - 1 ? pd - pc : pn - pd - 1;
		pq_vecswap(q, pb, pn - r, r);
		if ((r = pb - pa) > 1 && !pq_outside(q, lo, r))
			pq_sort(q, lo, r);
		if ((r = pd - pc) <= 1)
			return;
		lo = pn - r;
		n = r;
		if (pq_outside(q, lo, n))
			return;
	}
}

void
sort_items(struct sort_item *v, size_t n, unsigned flags, bool partial, int64_t first,
    int64_t last)
{
	if (n < 2)
		return;
	if (partial) {
		struct pq q = { v, flags, (ptrdiff_t)first, (ptrdiff_t)last };

		pq_sort(&q, 0, (ptrdiff_t)n);
	} else {
		struct sort_item *tmp = xmalloc(n * sizeof(*tmp));

		merge_sort(v, tmp, n, flags);
		xfree(tmp);
	}
}
