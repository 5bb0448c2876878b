/*
 * ziplist, zipmap: the packed formats that Redis before 7.0 wrote into RDB files (hash, zset and
 * list ziplists, quicklist nodes of RDB_TYPE_LIST_QUICKLIST, and the zipmap of very old hashes).
 * replicant never keeps them: the RDB decoder and RESTORE validate such a blob and convert it to
 * a listpack holding the same entries in the same order.
 *
 * Every function here reads hostile bytes: it never reads outside [p, p + size) and rejects
 * anything malformed.
 */
#ifndef REPLICANT_ZIPLIST_H
#define REPLICANT_ZIPLIST_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Validates the ziplist of size bytes at zl (header sizes, each entry's prevlen and encoding,
 * the end marker) and returns a new listpack with its entries, or NULL if it is malformed.
 * Sets *count (may be NULL) to the number of entries.
 */
unsigned char *ziplist_to_listpack(const unsigned char *zl, size_t size, size_t *count);

/*
 * Validates the zipmap of size bytes at zm and returns a new listpack of field, value, field,
 * value... in its order, or NULL if malformed (or if a field repeats). Sets *pairs (may be NULL)
 * to the number of field-value pairs.
 */
unsigned char *zipmap_to_listpack(const unsigned char *zm, size_t size, size_t *pairs);

#endif
