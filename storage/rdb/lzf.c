/*
 * lzf.c: LZF compression and decompression (format and contract in lzf.h).
 *
 * The compressor is greedy: at each position it hashes the next three bytes (with the byte
 * before them still in the 32-bit rolling hash value), looks up the last position that hashed
 * to the same slot, and emits a back reference if that position lies within 8 KiB and its three
 * bytes really match; otherwise it emits a literal. Every choice below (the hash, which
 * positions enter the table after a match, how far a match is extended, when to give up for
 * lack of room) is liblzf's as Redis compiles it, because DUMP payloads must be byte-identical.
 */
#include <stdint.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/rdb/lzf.h"

#define LZF_HLOG	16
#define LZF_HSIZE	(1u << LZF_HLOG)
#define LZF_MAX_LIT	32		/* longest literal run */
#define LZF_MAX_OFF	(1u << 13)	/* farthest back reference */
#define LZF_MAX_REF	264		/* longest back reference */

/* liblzf's VERY_FAST slot of a rolling hash value: the upper bytes minus five times the value. */
static inline uint32_t
slot_of(uint32_t h)
{
	return ((h >> (24 - LZF_HLOG)) - h * 5) & (LZF_HSIZE - 1);
}

/*
 * Length of the match between in+ref and in+ip, whose first three bytes are equal. liblzf
 * extends up to maxlen bytes, but when maxlen > 16 its unrolled loop first compares up to
 * index 18 unconditionally, so a match near the end of the input may run past maxlen (never
 * past the input): the limit below reproduces that.
 */
static size_t
match_len(const unsigned char *in, size_t ref, size_t ip, size_t maxlen)
{
	size_t limit, len = 3;

	if (maxlen > 16)
		limit = maxlen > 19 ? maxlen : 19;
	else
		limit = maxlen > 3 ? maxlen : 3;
	while (len < limit && in[ref + len] == in[ip + len])
		len++;
	return len;
}

size_t
lzf_compress(const void *in_data, size_t in_len, void *out_data, size_t out_len)
{
	const unsigned char *in = in_data;
	unsigned char *out = out_data;
	size_t ip = 0, op = 1, lit = 0;	/* op starts past the first run's control byte */
	uint32_t *tab, h;

	if (in_len == 0 || out_len == 0 || in_len > UINT32_MAX)
		return 0;
	/*
	 * Slot value 0 means empty. Position 0 is never a valid reference either (liblzf requires
	 * ref > in), so storing it as 0 loses nothing.
	 */
	tab = xcalloc(LZF_HSIZE, sizeof *tab);
	h = in_len >= 2 ? (uint32_t)in[0] << 8 | in[1] : 0;
	while (ip + 2 < in_len) {
		uint32_t *slot;
		size_t ref;

		h = h << 8 | in[ip + 2];
		slot = &tab[slot_of(h)];
		ref = *slot;
		*slot = (uint32_t)ip;
		if (ref > 0 && ref < ip && ip - ref - 1 < LZF_MAX_OFF && in[ref] == in[ip] &&
		    in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
			size_t off = ip - ref - 1, maxlen = in_len - ip - 2, len;

			if (maxlen > LZF_MAX_REF)
				maxlen = LZF_MAX_REF;
			/* Room for the longest reference and the next run's control byte. */
			if (op - (lit == 0) + 4 >= out_len)
				goto fail;
			if (lit > 0)
				out[op - lit - 1] = (unsigned char)(lit - 1);
			else
				op--;	/* the reserved control byte goes unused */
			len = match_len(in, ref, ip, maxlen);
			if (len - 2 < 7) {
				out[op++] = (unsigned char)((off >> 8) + ((len - 2) << 5));
			} else {
				out[op++] = (unsigned char)((off >> 8) + (7 << 5));
				out[op++] = (unsigned char)(len - 2 - 7);
			}
			out[op++] = (unsigned char)off;
			lit = 0;
			op++;
			ip += len;
			if (ip + 2 >= in_len)
				break;
			/* Only the two positions before the next one enter the table (VERY_FAST). */
			ip -= 2;
			h = (uint32_t)in[ip] << 8 | in[ip + 1];
			h = h << 8 | in[ip + 2];
			tab[slot_of(h)] = (uint32_t)ip;
			ip++;
			h = h << 8 | in[ip + 2];
			tab[slot_of(h)] = (uint32_t)ip;
			ip++;
		} else {
			if (op >= out_len)
				goto fail;
			lit++;
			out[op++] = in[ip++];
			if (lit == LZF_MAX_LIT) {
				out[op - lit - 1] = (unsigned char)(lit - 1);
				lit = 0;
				op++;
			}
		}
	}
	/* At most two input bytes are left: two literals and perhaps a control byte. */
	if (op + 3 > out_len)
		goto fail;
	while (ip < in_len) {
		lit++;
		out[op++] = in[ip++];
		if (lit == LZF_MAX_LIT) {
			out[op - lit - 1] = (unsigned char)(lit - 1);
			lit = 0;
			op++;
		}
	}
	if (lit > 0)
		out[op - lit - 1] = (unsigned char)(lit - 1);
	else
		op--;
	xfree(tab);
	return op;

fail:
	xfree(tab);
	return 0;
}

/*
 * Decodes the instruction at in[*ip]: advances *ip and sets *n (bytes it produces) and *back
 * (0 for a literal run, else how far back the copy starts). Returns false if it is truncated.
 */
static bool
next_op(const unsigned char *in, size_t in_len, size_t *ip, size_t *n, size_t *back)
{
	unsigned ctrl = in[(*ip)++];

	if (ctrl < 32) {
		*n = ctrl + 1;
		*back = 0;
		return *n <= in_len - *ip;
	}
	*n = ctrl >> 5;
	if (*ip >= in_len)
		return false;
	if (*n == 7) {
		*n += in[(*ip)++];
		if (*ip >= in_len)
			return false;
	}
	*n += 2;
	*back = ((size_t)(ctrl & 0x1f) << 8) + in[(*ip)++] + 1;
	return true;
}

size_t
lzf_decompress(const void *in_data, size_t in_len, void *out_data, size_t out_len)
{
	const unsigned char *in = in_data;
	unsigned char *out = out_data;
	size_t ip = 0, op = 0;

	while (ip < in_len) {
		size_t n, back;

		if (!next_op(in, in_len, &ip, &n, &back) || n > out_len - op)
			return 0;
		if (back == 0) {
			memcpy(out + op, in + ip, n);
			ip += n;
		} else if (back > op) {
			return 0;
		} else if (back >= n) {
			memcpy(out + op, out + op - back, n);
		} else {
			/* Overlapping copy: each byte may be one this copy just wrote. */
			for (size_t i = 0; i < n; i++)
				out[op + i] = out[op - back + i];
		}
		op += n;
	}
	return op;
}

bool
lzf_decompressed_len(const void *in_data, size_t in_len, size_t *out_len)
{
	const unsigned char *in = in_data;
	size_t ip = 0, op = 0;

	while (ip < in_len) {
		size_t n, back;

		if (!next_op(in, in_len, &ip, &n, &back) || back > op)
			return false;
		if (back == 0)
			ip += n;
		op += n;
	}
	*out_len = op;
	return true;
}
