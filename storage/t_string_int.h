/*
 * t_string_int: raw string helpers shared by t_string.c and t_bitmap.c (private to storage/).
 */
#ifndef REPLICANT_T_STRING_INT_H
#define REPLICANT_T_STRING_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "storage/obj.h"
#include "storage/t_string.h"

struct db;

/* Returns the bytes r can hold without reallocating. */
size_t tstr_raw_cap(const struct tstr_raw *r);
/*
 * Takes r and returns it grown to len bytes, zero-filled past the old length (r may move).
 * greedy: reserve extra room (APPEND) as sds does.
 */
struct tstr_raw *tstr_raw_grow(struct tstr_raw *r, size_t len, bool greedy);
/*
 * Makes the string value of key (*op, NULL if absent) a raw payload of at least minlen bytes,
 * creating the key if absent, keeping its TTL; updates *op and returns the payload (owned by the
 * key; after growing it, store it back with obj_set_ptr).
 */
struct tstr_raw *tstr_unshare(struct db *db, const char *key, size_t klen, struct obj **op,
    size_t minlen, int64_t now_ms);

#endif
