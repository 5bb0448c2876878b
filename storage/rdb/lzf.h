/*
 * lzf: the LZF compression that RDB strings use, producing the same bytes as the liblzf that
 * Redis bundles, built as Redis builds it (HLOG 16, VERY_FAST, no ULTRA_FAST, CHECK_INPUT).
 *
 * Data flow: rdb_value.c compresses strings longer than 20 bytes for DUMP and decompresses
 * LZF-encoded strings of RESTORE payloads and RDB files.
 *
 * Stream format (decoded by lzf_decompress):
 *   000LLLLL <L+1 bytes>           a run of L+1 (1..32) literal bytes
 *   LLLooooo oooooooo              copy L+2 (3..8) bytes from o+1 (1..8192) bytes back
 *   111ooooo LLLLLLLL oooooooo     copy L+9 (9..264) bytes from o+1 bytes back
 *
 * One difference from Redis is deliberate: liblzf leaves its hash table uninitialised (Redis
 * builds it with INIT_HTAB 0), so a stale slot left on the stack by an earlier call may, rarely,
 * offer a match that a clean table would not, and Redis' output then depends on its history.
 * lzf_compress starts from an empty table every time, which is the output Redis gives whenever
 * no stale slot happens to verify.
 */
#ifndef REPLICANT_LZF_H
#define REPLICANT_LZF_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Compresses the in_len bytes at in into out (room for out_len bytes). Returns the compressed
 * length, or 0 when in_len or out_len is 0, in_len exceeds 4 GiB - 1, or the result would not
 * fit in out_len bytes (out's contents are then unspecified). Allocates a 256 KiB hash table for
 * the call (xcalloc) and frees it before returning.
 */
size_t lzf_compress(const void *in, size_t in_len, void *out, size_t out_len);

/*
 * Decompresses the in_len bytes at in into out (room for out_len bytes). Returns the number of
 * bytes written, or 0 if the stream is malformed (truncated, or a copy reaching before the start
 * of the output) or its output would exceed out_len: liblzf's results, so a caller that expects
 * n bytes checks the result == n. Allocates nothing.
 */
size_t lzf_decompress(const void *in, size_t in_len, void *out, size_t out_len);

/*
 * Walks the stream at in without writing and returns true with *out_len set to what
 * lzf_decompress would produce, or false if the stream is malformed. Lets a caller size (or
 * refuse) the output before allocating, since a corrupt header can claim any length.
 */
bool lzf_decompressed_len(const void *in, size_t in_len, size_t *out_len);

#endif
