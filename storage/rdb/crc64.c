/*
 * crc64.c: CRC-64/Jones (see crc64.h), table driven, eight bytes per step.
 *
 * The loader checks the CRC of whole RDB transfers, gigabytes long, so a byte-at-a-time loop
 * would cost seconds: "slicing by 8" keeps eight tables, where table k holds the CRC of a byte
 * followed by k zero bytes, and folds eight input bytes with eight independent lookups. The
 * tables (16 KiB) are derived from the polynomial once, under pthread_once, because the loader
 * thread and the main thread may both make the first call.
 */
#include <pthread.h>

#include "storage/rdb/crc64.h"

/* 0xad93d23594c935a9 with its bits reversed: the reflected algorithm shifts right. */
#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL

static uint64_t crc_tab[8][256];
static pthread_once_t crc_once = PTHREAD_ONCE_INIT;

static void
crc_tab_init(void)
{
	for (unsigned i = 0; i < 256; i++) {
		uint64_t c = i;

		for (int b = 0; b < 8; b++)
			c = (c & 1) ? (c >> 1) ^ CRC64_POLY_REFLECTED : c >> 1;
		crc_tab[0][i] = c;
	}
	for (unsigned i = 0; i < 256; i++)
		for (int k = 1; k < 8; k++)
			crc_tab[k][i] = crc_tab[0][crc_tab[k - 1][i] & 0xff] ^ (crc_tab[k - 1][i] >> 8);
}

uint64_t
crc64_update(uint64_t crc, const void *p, size_t n)
{
	const unsigned char *s = p;

	pthread_once(&crc_once, crc_tab_init);
	while (n >= 8) {
		/* Little-endian assembly by hand: correct whatever the host's byte order. */
		uint64_t v = crc ^ ((uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 |
		    (uint64_t)s[3] << 24 | (uint64_t)s[4] << 32 | (uint64_t)s[5] << 40 |
		    (uint64_t)s[6] << 48 | (uint64_t)s[7] << 56);

		crc = crc_tab[7][v & 0xff] ^ crc_tab[6][(v >> 8) & 0xff] ^
		    crc_tab[5][(v >> 16) & 0xff] ^ crc_tab[4][(v >> 24) & 0xff] ^
		    crc_tab[3][(v >> 32) & 0xff] ^ crc_tab[2][(v >> 40) & 0xff] ^
		    crc_tab[1][(v >> 48) & 0xff] ^ crc_tab[0][v >> 56];
		s += 8;
		n -= 8;
	}
	while (n-- > 0)
		crc = crc_tab[0][(crc ^ *s++) & 0xff] ^ (crc >> 8);
	return crc;
}
