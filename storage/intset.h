/*
 * intset: a sorted array of distinct integers in one allocation, byte for byte Redis' intset
 * (encoding width uint32 LE: 2, 4 or 8; length uint32 LE; then the values, little endian, in
 * ascending order), so an RDB SET_INTSET blob is adopted after intset_validate and DUMP writes
 * Redis' bytes. The width grows to fit a new value and never shrinks, as in Redis.
 *
 * Used by t_set.c (small sets of integers) and the RDB decoder. Modifiers may move the intset:
 * they take a pointer to the caller's pointer and update it.
 */
#ifndef REPLICANT_INTSET_H
#define REPLICANT_INTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Returns a new empty intset (width 2). */
unsigned char *intset_new(void);
/* Frees is (NULL is accepted). */
void intset_free(unsigned char *is);
/* Returns an exact copy. */
unsigned char *intset_dup(const unsigned char *is);
/* Returns the number of values. */
size_t intset_len(const unsigned char *is);
/* Returns the size in bytes (header and values). */
size_t intset_bytes(const unsigned char *is);
/* Returns the value at position pos (0 <= pos < intset_len), in ascending order. */
int64_t intset_get(const unsigned char *is, size_t pos);
/* True if v is present; sets *pos (may be NULL) to its position, or to where it would go. */
bool intset_find(const unsigned char *is, int64_t v, size_t *pos);
/* Adds v; returns false if it was already present (*is unchanged then). */
bool intset_add(unsigned char **is, int64_t v);
/* Removes v; returns false if it was absent. */
bool intset_remove(unsigned char **is, int64_t v);
/* Smallest and largest value (intset_len > 0). */
int64_t intset_min(const unsigned char *is);
int64_t intset_max(const unsigned char *is);
/*
 * Checks that the size bytes at is form a valid intset: a known width, a length that matches
 * size exactly, values strictly ascending. Returns true and sets *count (may be NULL).
 * An empty intset is refused, as Redis' intsetValidateIntegrity does (no empty set is saved).
 */
bool intset_validate(const unsigned char *is, size_t size, size_t *count);

#endif
