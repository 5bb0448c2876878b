/*
 * mem: allocation for every module of replicant.
 *
 * Failure to allocate is fatal: the process logs and aborts, because a replica that dies can
 * resynchronise, while ENOMEM threaded through hundreds of call sites cannot be tested. Every
 * allocation is counted per thread, so benchmarks can report allocations and bytes per operation
 * and INFO can report used_memory (the sum over all threads, from malloc_usable_size).
 */
#ifndef REPLICANT_MEM_H
#define REPLICANT_MEM_H

#include <stddef.h>
#include <stdint.h>

/* Counters of the calling thread, cumulative since the thread started. */
struct mem_counters {
	uint64_t allocs;	/* successful xmalloc/xcalloc/xrealloc calls that allocated */
	uint64_t frees;		/* xfree calls on a non-NULL pointer */
	uint64_t bytes;		/* bytes requested by those allocations */
	int64_t used;		/* usable bytes allocated minus usable bytes freed by this thread */
};

/* Returns new memory of at least n bytes (n == 0 is treated as 1); never NULL. Free with xfree. */
void *xmalloc(size_t n);
/* Returns new zero-filled memory for nmemb * size bytes; aborts on overflow; never NULL. */
void *xcalloc(size_t nmemb, size_t size);
/* Takes p (may be NULL) and returns it resized to n bytes; p is invalid afterwards. Never NULL. */
void *xrealloc(void *p, size_t n);
/* Returns a new NUL-terminated copy of the n bytes at s. Free with xfree. */
char *xstrndup(const char *s, size_t n);
/* Returns a new copy of the NUL-terminated string s. Free with xfree. */
char *xstrdup(const char *s);
/* Takes p (may be NULL) and frees it. */
void xfree(void *p);
/* Returns the usable size of an allocation made here (0 for NULL). */
size_t xsize(const void *p);

/* Returns a copy of the calling thread's counters. */
struct mem_counters mem_thread_counters(void);
/* Returns the bytes in use summed over every thread that has allocated (INFO used_memory). */
int64_t mem_used(void);

#endif
