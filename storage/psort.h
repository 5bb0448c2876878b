/*
 * psort: the two sorts whose tie orders are visible in Redis' replies, for any element type.
 *
 * SORT and the geo searches reply with elements that compare equal in the order Redis' sort
 * leaves them: a stable sort when everything is sorted (glibc's qsort is a merge sort), and
 * Redis' own partial quicksort (pqsort: Bentley and McIlroy's three-way quicksort that skips the
 * partitions outside the wanted range) under LIMIT or COUNT. Matching Redis byte for byte means
 * running the same algorithm step for step; this file holds the one copy (storage/sort.c and
 * storage/geo.c use it).
 */
#ifndef REPLICANT_PSORT_H
#define REPLICANT_PSORT_H

#include <stddef.h>

/* Compares two elements as qsort's function does; arg is the caller's. */
typedef int (*psort_cmp)(const void *a, const void *b, void *arg);

/* Sorts the n elements of size bytes at base, stably (equal elements keep their order). */
void psort_stable(void *base, size_t n, size_t size, psort_cmp cmp, void *arg);

/*
 * Redis' pqsort: sorts far enough that positions [first, last] hold the elements a full sort
 * would put there, leaving equal elements exactly where Redis' pqsort leaves them. An empty
 * range (last < first) is accepted, as in Redis.
 */
void psort_partial(void *base, size_t n, size_t size, psort_cmp cmp, void *arg,
    ptrdiff_t first, ptrdiff_t last);

#endif
