/*
 * listpack: a packed sequence of strings and integers in one allocation, byte for byte Redis'
 * listpack format, so that an RDB listpack blob (hash, zset, set, list node) can be adopted after
 * lp_validate instead of being rebuilt, and DUMP writes the bytes Redis would.
 *
 * Layout: total bytes (uint32 LE), element count (uint16 LE, 65535 = "count by walking"), the
 * entries, and a terminator byte 0xFF. Each entry is an encoding byte(s), the data, and a
 * backward length (1 to 5 bytes) that lets the walk go from the end to the front. A string that
 * is a canonical integer (Redis' string2ll rules, at most 20 bytes) is stored as an integer in
 * the smallest of Redis' integer encodings, exactly as Redis' lpInsert does; lp_get gives it back
 * as an integer and lp_get_str as its decimal text, so callers see the same bytes they stored.
 *
 * An entry is named by a pointer to its first byte (unsigned char *p). Any call that modifies
 * the listpack may move it: every modifier returns the listpack's new address, and entry
 * pointers taken before the call are invalid afterwards unless the modifier hands back a new
 * one (the *p / *newp / *next out-parameters).
 *
 * Used by t_hash.c, t_list.c (small lists and quicklist nodes), t_set.c, t_zset.c and the RDB
 * decoder. Allocation through storage/base/mem.h.
 */
#ifndef REPLICANT_LISTPACK_H
#define REPLICANT_LISTPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of an empty listpack: header (6) and terminator (1). */
#define LP_HDR_SIZE	6
#define LP_EMPTY_SIZE	7
/* Room lp_get_str needs to print an integer entry. */
#define LP_INTBUF	21

enum lp_where { LP_BEFORE, LP_AFTER };

/* Returns a new empty listpack with room for capacity bytes (a hint; 0 is fine). */
unsigned char *lp_new(size_t capacity);
/* Frees lp (NULL is accepted). */
void lp_free(unsigned char *lp);
/* Returns a copy of lp (same bytes, exactly sized). */
unsigned char *lp_dup(const unsigned char *lp);
/* Returns lp's total size in bytes, from its header. */
size_t lp_bytes(const unsigned char *lp);
/*
 * Returns the number of entries (walks the listpack when the header count is saturated; unlike
 * Redis' lpLength it never writes the count back, so reading leaves the bytes as they are).
 */
size_t lp_length(const unsigned char *lp);

/* Entry navigation. Each returns NULL when there is no such entry. */
unsigned char *lp_first(const unsigned char *lp);
unsigned char *lp_last(const unsigned char *lp);
unsigned char *lp_next(const unsigned char *lp, const unsigned char *p);
unsigned char *lp_prev(const unsigned char *lp, const unsigned char *p);
/* Entry at index (0 is the first; -1 the last, as Redis' negative indexes). */
unsigned char *lp_seek(const unsigned char *lp, long index);

/*
 * Reads entry p. For a string entry returns a pointer to its bytes (inside lp) and sets *len;
 * for an integer entry returns NULL and sets *ival.
 */
const unsigned char *lp_get(const unsigned char *p, size_t *len, int64_t *ival);
/* As lp_get, but an integer entry is printed in decimal into buf (LP_INTBUF bytes): never NULL. */
const unsigned char *lp_get_str(const unsigned char *p, size_t *len, char *buf);
/* True if entry p holds an integer (an integer entry), and sets *v. */
bool lp_get_int(const unsigned char *p, int64_t *v);
/* True if entry p equals the len bytes at s (compares integers by value, without printing). */
bool lp_eq(const unsigned char *p, const void *s, size_t len);
/* Returns the size of entry p in bytes (encoding, data and back length). */
size_t lp_entry_size(const unsigned char *p);

/*
 * Returns the first entry at or after p whose value equals s/len, comparing p and then every
 * (skip + 1)-th entry after it (skip 1 compares the fields of a field-value listpack); NULL if
 * none. p may be NULL (nothing found).
 */
unsigned char *lp_find(const unsigned char *lp, const unsigned char *p, const void *s, size_t len,
    unsigned skip);

/*
 * Adds a string (stored as an integer when it is one) or an integer at the end / the front.
 * In every call that stores s/len (here, lp_insert, lp_replace), s may be a view into lp itself:
 * it is copied before lp moves.
 */
unsigned char *lp_append(unsigned char *lp, const void *s, size_t len);
unsigned char *lp_append_int(unsigned char *lp, int64_t v);
unsigned char *lp_prepend(unsigned char *lp, const void *s, size_t len);
unsigned char *lp_prepend_int(unsigned char *lp, int64_t v);

/*
 * Inserts s/len before or after entry p (p must be an entry of lp). Returns the new lp and,
 * if newp is not NULL, sets *newp to the inserted entry.
 */
unsigned char *lp_insert(unsigned char *lp, unsigned char *p, const void *s, size_t len,
    enum lp_where where, unsigned char **newp);
unsigned char *lp_insert_int(unsigned char *lp, unsigned char *p, int64_t v, enum lp_where where,
    unsigned char **newp);

/* Replaces the value of entry *p; *p is updated to the entry's new address. */
unsigned char *lp_replace(unsigned char *lp, unsigned char **p, const void *s, size_t len);
unsigned char *lp_replace_int(unsigned char *lp, unsigned char **p, int64_t v);

/*
 * Deletes entry p. If next is not NULL, sets *next to the entry that followed p (NULL if p was
 * the last).
 */
unsigned char *lp_delete(unsigned char *lp, unsigned char *p, unsigned char **next);
/* Deletes up to n entries starting at entry p (in one move of the tail). */
unsigned char *lp_delete_range_p(unsigned char *lp, unsigned char *p, size_t n);
/* Deletes up to n entries starting at index (negative counts from the end). */
unsigned char *lp_delete_range(unsigned char *lp, long index, size_t n);

/*
 * True if no two of the entries at positions 0, step, 2 * step ... are equal (step 1: every
 * entry, for a set; step 2: the fields of a field-value or member-score listpack), equal as
 * lp_eq means it (an integer entry equals a string entry holding its decimal text). The RDB
 * loader and RESTORE call it to refuse a blob with a repeated member, as Redis does. lp must be
 * valid (lp_validate); step > 0. Allocates a temporary table above a few entries.
 */
bool lp_unique(const unsigned char *lp, unsigned step);

/*
 * Checks that the size bytes at lp are a well-formed listpack: header size equal to size,
 * every entry's encoding known and in bounds, each back length matching its entry, the
 * terminator last, and the header count right unless saturated. Never reads outside
 * [lp, lp + size). Returns true and sets *count (may be NULL) to the number of entries.
 * This is what lets the RDB loader and RESTORE adopt a listpack blob as it is.
 */
bool lp_validate(const unsigned char *lp, size_t size, size_t *count);

#endif
