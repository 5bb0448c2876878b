/*
 * mem.c: the fatal-on-OOM allocator wrappers and their counters (see mem.h).
 *
 * Each thread counts into its own thread-local block, so the hot path pays no atomic operation.
 * Blocks are registered once per thread in a fixed table so that mem_used() can sum them; a thread
 * that exits leaves its block (it is static storage), which keeps the sum right when memory
 * allocated by the loader thread is freed by the main thread.
 */
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"

#define MEM_MAX_THREADS 64

static struct mem_counters thread_blocks[MEM_MAX_THREADS];
static struct mem_counters overflow_block;	/* shared by threads past the table, not exact */
static atomic_int thread_count;
static _Thread_local struct mem_counters *self;

static struct mem_counters *
counters(void)
{
	if (self == NULL) {
		int i = atomic_fetch_add(&thread_count, 1);
		self = i < MEM_MAX_THREADS ? &thread_blocks[i] : &overflow_block;
	}
	return self;
}

static void
oom(size_t n)
{
	fprintf(stderr, "replicant: out of memory allocating %zu bytes\n", n);
	fflush(stderr);
	abort();
}

static void
count_alloc(void *p, size_t n)
{
	struct mem_counters *c = counters();

	c->allocs++;
	c->bytes += n;
	c->used += (int64_t)malloc_usable_size(p);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	count_alloc(p, n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (p == NULL)
		oom(nmemb * size);
	count_alloc(p, nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	size_t old = p ? malloc_usable_size(p) : 0;
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	counters()->used -= (int64_t)old;
	count_alloc(q, n);
	return q;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

void
xfree(void *p)
{
	struct mem_counters *c;

	if (p == NULL)
		return;
	c = counters();
	c->frees++;
	c->used -= (int64_t)malloc_usable_size(p);
	free(p);
}

size_t
xsize(const void *p)
{
	return p ? malloc_usable_size((void *)p) : 0;
}

struct mem_counters
mem_thread_counters(void)
{
	return *counters();
}

int64_t
mem_used(void)
{
	int n = atomic_load(&thread_count);
	int64_t sum = overflow_block.used;

	if (n > MEM_MAX_THREADS)
		n = MEM_MAX_THREADS;
	for (int i = 0; i < n; i++)
		sum += thread_blocks[i].used;
	return sum;
}
