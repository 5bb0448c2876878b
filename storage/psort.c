/*
 * psort.c: a stable merge sort and Redis' partial quicksort over elements of any size (see
 * psort.h). Elements are moved with memcpy through a small buffer; the callers sort at most a
 * few thousand small structs, so the generic moves cost little next to the comparisons.
 */
#include <stdbool.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/psort.h"

/* Largest element moved through a stack buffer; larger ones go in chunks. */
#define SWAP_CHUNK 64

static void
swap_elems(char *a, char *b, size_t size)
{
	char t[SWAP_CHUNK];

	while (size > 0) {
		size_t k = size < sizeof t ? size : sizeof t;

		memcpy(t, a, k);
		memcpy(a, b, k);
		memcpy(b, t, k);
		a += k;
		b += k;
		size -= k;
	}
}

/* ---- the stable sort: bottom-up merge through one scratch array ---- */

void
psort_stable(void *base, size_t n, size_t size, psort_cmp cmp, void *arg)
{
	char *src = base, *dst, *tmp;

	if (n < 2)
		return;
	dst = xmalloc(n * size);
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;

			/* Ties take the left run first: stable. */
			while (i < mid && j < hi) {
				if (cmp(src + j * size, src + i * size, arg) < 0)
					memcpy(dst + k++ * size, src + j++ * size, size);
				else
					memcpy(dst + k++ * size, src + i++ * size, size);
			}
			memcpy(dst + k * size, src + i * size, (mid - i) * size);
			k += mid - i;
			memcpy(dst + k * size, src + j * size, (hi - j) * size);
		}
		tmp = src;
		src = dst;
		dst = tmp;
	}
	if (src != base) {
		memcpy(base, src, n * size);
		xfree(src);
	} else {
		xfree(dst);
	}
}

/* ---- Redis' pqsort ---- */

struct pq {
	char *v;
	size_t size;
	psort_cmp cmp;
	void *arg;
	ptrdiff_t first, last;
};

static int
pq_cmp(const struct pq *q, ptrdiff_t a, ptrdiff_t b)
{
	return q->cmp(q->v + (size_t)a * q->size, q->v + (size_t)b * q->size, q->arg);
}

static void
pq_swap(const struct pq *q, ptrdiff_t a, ptrdiff_t b)
{
	swap_elems(q->v + (size_t)a * q->size, q->v + (size_t)b * q->size, q->size);
}

/* Swaps the n elements from a with the n from b, pairwise in order. */
static void
pq_vecswap(const struct pq *q, ptrdiff_t a, ptrdiff_t b, ptrdiff_t n)
{
	for (ptrdiff_t i = 0; i < n; i++)
		pq_swap(q, a + i, b + i);
}

/* The index of the median of three, with Bentley and McIlroy's tie rules. */
static ptrdiff_t
pq_med3(const struct pq *q, ptrdiff_t a, ptrdiff_t b, ptrdiff_t c)
{
	if (pq_cmp(q, a, b) < 0)
		return pq_cmp(q, b, c) < 0 ? b : pq_cmp(q, a, c) < 0 ? c : a;
	return pq_cmp(q, b, c) > 0 ? b : pq_cmp(q, a, c) < 0 ? a : c;
}

/* True if positions lo..lo+n-1 hold none of first..last (pqsort's pruning test, which also
 * handles an empty range, last = first - 1, as Redis' pointer test does). */
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
		/* Keys equal to the pivot gather at both ends, then move to the middle. */
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
		/* The smaller keys are [lo, lo + (pb - pa)), the larger the last pd - pc. */
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
psort_partial(void *base, size_t n, size_t size, psort_cmp cmp, void *arg, ptrdiff_t first,
    ptrdiff_t last)
{
	struct pq q = { base, size, cmp, arg, first, last };

	if (n > 1)
		pq_sort(&q, 0, (ptrdiff_t)n);
}
