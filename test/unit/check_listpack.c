/*
 * check_listpack: the packed formats (storage/listpack.c, storage/intset.c, storage/ziplist.c).
 *
 * Byte compatibility is pinned by blobs taken from real servers: DUMP payloads of a Redis 7.0.15
 * (listpack hash, zset and list node, intset; unwrapped with rdb_load_string, LZF included) and
 * ziplists from the Redis 6.2.16 RDB fixture. The walkers that read hostile bytes (lp_validate,
 * intset_validate, ziplist_to_listpack, zipmap_to_listpack) run on copies placed against a
 * PROT_NONE page on either side, on every truncation and every single-bit flip, so an
 * out-of-bounds read kills the test.
 */
#include <sys/mman.h>

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/intset.h"
#include "storage/listpack.h"
#include "storage/rdb/rdb_value.h"
#include "storage/ziplist.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/*
 * An assertion for the hot loops: libcheck records every passing ck_assert (a write to the
 * parent per call), which would dominate the run time of the exhaustive loops.
 */
#define QUICK(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s:%d: failed: %s", __FILE__, __LINE__, #c);	\
} while (0)

/*
 * DUMP payloads from redis-server 7.0.15 with the default thresholds, of values built by
 * HSET h (the pairs of hash_el, in order), ZADD z (zset_el's members and scores), SADD s 1 -5
 * 70000 3 2^40 -2^33 and RPUSH l a 1 -70000 hello 4096. The hash and the intset are
 * LZF-compressed RDB strings.
 */
static const unsigned char dump_hash[] = {
	0x10, 0xc3, 0x40, 0x82, 0x40, 0xf8, 0x1f, 0xf8, 0x00, 0x00, 0x00, 0x18, 0x00, 0x84,
	0x6e, 0x61, 0x6d, 0x65, 0x05, 0x89, 0x72, 0x65, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x6e,
	0x74, 0x0a, 0x81, 0x6e, 0x02, 0x2a, 0x01, 0x83, 0x6e, 0x65, 0x67, 0x1c, 0x04, 0xd0,
	0x00, 0x02, 0x83, 0x77, 0x31, 0x36, 0x04, 0xf1, 0x00, 0x80, 0x03, 0x83, 0x77, 0x32,
	0x34, 0x04, 0xf2, 0xff, 0xff, 0x7f, 0x04, 0x83, 0x77, 0x33, 0x32, 0x04, 0xf3, 0x20,
	0x3b, 0x08, 0x80, 0x05, 0x83, 0x77, 0x36, 0x34, 0x04, 0xf4, 0xff, 0x80, 0x00, 0x1a,
	0x7f, 0x09, 0x86, 0x6e, 0x6f, 0x74, 0x69, 0x6e, 0x74, 0x07, 0x83, 0x30, 0x30, 0x37,
	0x04, 0x81, 0x65, 0x02, 0x80, 0x01, 0x83, 0x62, 0x69, 0x67, 0x04, 0xbf, 0x78, 0xe0,
	0x35, 0x00, 0x01, 0x40, 0x84, 0x20, 0x45, 0x04, 0x32, 0x05, 0xe0, 0x40, 0x79, 0xe0,
	0x36, 0x00, 0x06, 0x42, 0x7f, 0x01, 0xc0, 0x80, 0x02, 0xff, 0x0a, 0x00, 0x9c, 0x8b,
	0xd8, 0xe3, 0xc1, 0x10, 0xba, 0x1a,
};

static const unsigned char dump_zset[] = {
	0x11, 0x36, 0x36, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x86, 0x62, 0x6f, 0x74, 0x74, 0x6f,
	0x6d, 0x07, 0x84, 0x2d, 0x69, 0x6e, 0x66, 0x05, 0x81, 0x7a, 0x02, 0x00, 0x01, 0x81,
	0x61, 0x02, 0x83, 0x31, 0x2e, 0x35, 0x04, 0x81, 0x63, 0x02, 0x03, 0x01, 0x83, 0x74,
	0x65, 0x6e, 0x04, 0xf4, 0x00, 0xe4, 0x0b, 0x54, 0x02, 0x00, 0x00, 0x00, 0x09, 0xff,
	0x0a, 0x00, 0x79, 0x1e, 0x39, 0xc4, 0xc9, 0x36, 0xa0, 0xba,
};

static const unsigned char dump_intset[] = {
	0x0b, 0xc3, 0x29, 0x38, 0x04, 0x08, 0x00, 0x00, 0x00, 0x06, 0x20, 0x03, 0x40, 0x00,
	0x04, 0xfe, 0xff, 0xff, 0xff, 0xfb, 0x20, 0x03, 0x40, 0x00, 0x00, 0x01, 0x40, 0x10,
	0x20, 0x00, 0x00, 0x03, 0x20, 0x03, 0x40, 0x00, 0x01, 0x70, 0x11, 0xc0, 0x11, 0x20,
	0x00, 0x20, 0x0a, 0x0a, 0x00, 0xa2, 0xa7, 0xd9, 0xac, 0x28, 0xf3, 0xe4, 0x29,
};

static const unsigned char dump_list[] = {
	0x12, 0x01, 0x02, 0x1c, 0x1c, 0x00, 0x00, 0x00, 0x05, 0x00, 0x81, 0x61, 0x02, 0x01,
	0x01, 0xf2, 0x90, 0xee, 0xfe, 0x04, 0x85, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x06, 0xf1,
	0x00, 0x10, 0x03, 0xff, 0x0a, 0x00, 0xb7, 0x4c, 0xcc, 0x6f, 0xcd, 0xe4, 0xa0, 0xe9,
};


/* The intset inside dump_intset, and the one of SADD s16 5 1 -3 on the same server. */
static const unsigned char redis_intset[] = {
	0x08, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfe, 0xff,
	0xff, 0xff, 0xfb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x70, 0x11,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
};

static const unsigned char redis_intset16[] = {
	0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xfd, 0xff, 0x01, 0x00, 0x05, 0x00,
};

/*
 * Ziplists from test/fixtures/redis-6.2.16.rdb, named after their keys (quicklist nodes for the
 * lists). list:ints holds -100000 + 7919 * i for i < 300.
 */
static const unsigned char zl_list_ints[] = {
	0xdf, 0x05, 0x00, 0x00, 0xd9, 0x05, 0x00, 0x00, 0x2c, 0x01, 0x00, 0xf0, 0x60, 0x79,
	0xfe, 0x05, 0xf0, 0x4f, 0x98, 0xfe, 0x05, 0xf0, 0x3e, 0xb7, 0xfe, 0x05, 0xf0, 0x2d,
	0xd6, 0xfe, 0x05, 0xf0, 0x1c, 0xf5, 0xfe, 0x05, 0xf0, 0x0b, 0x14, 0xff, 0x05, 0xf0,
	0xfa, 0x32, 0xff, 0x05, 0xf0, 0xe9, 0x51, 0xff, 0x05, 0xf0, 0xd8, 0x70, 0xff, 0x05,
	0xc0, 0xc7, 0x8f, 0x04, 0xc0, 0xb6, 0xae, 0x04, 0xc0, 0xa5, 0xcd, 0x04, 0xc0, 0x94,
	0xec, 0x04, 0xc0, 0x83, 0x0b, 0x04, 0xc0, 0x72, 0x2a, 0x04, 0xc0, 0x61, 0x49, 0x04,
	0xc0, 0x50, 0x68, 0x04, 0xf0, 0x3f, 0x87, 0x00, 0x05, 0xf0, 0x2e, 0xa6, 0x00, 0x05,
	0xf0, 0x1d, 0xc5, 0x00, 0x05, 0xf0, 0x0c, 0xe4, 0x00, 0x05, 0xf0, 0xfb, 0x02, 0x01,
	0x05, 0xf0, 0xea, 0x21, 0x01, 0x05, 0xf0, 0xd9, 0x40, 0x01, 0x05, 0xf0, 0xc8, 0x5f,
	0x01, 0x05, 0xf0, 0xb7, 0x7e, 0x01, 0x05, 0xf0, 0xa6, 0x9d, 0x01, 0x05, 0xf0, 0x95,
	0xbc, 0x01, 0x05, 0xf0, 0x84, 0xdb, 0x01, 0x05, 0xf0, 0x73, 0xfa, 0x01, 0x05, 0xf0,
	0x62, 0x19, 0x02, 0x05, 0xf0, 0x51, 0x38, 0x02, 0x05, 0xf0, 0x40, 0x57, 0x02, 0x05,
	0xf0, 0x2f, 0x76, 0x02, 0x05, 0xf0, 0x1e, 0x95, 0x02, 0x05, 0xf0, 0x0d, 0xb4, 0x02,
	0x05, 0xf0, 0xfc, 0xd2, 0x02, 0x05, 0xf0, 0xeb, 0xf1, 0x02, 0x05, 0xf0, 0xda, 0x10,
	0x03, 0x05, 0xf0, 0xc9, 0x2f, 0x03, 0x05, 0xf0, 0xb8, 0x4e, 0x03, 0x05, 0xf0, 0xa7,
	0x6d, 0x03, 0x05, 0xf0, 0x96, 0x8c, 0x03, 0x05, 0xf0, 0x85, 0xab, 0x03, 0x05, 0xf0,
	0x74, 0xca, 0x03, 0x05, 0xf0, 0x63, 0xe9, 0x03, 0x05, 0xf0, 0x52, 0x08, 0x04, 0x05,
	0xf0, 0x41, 0x27, 0x04, 0x05, 0xf0, 0x30, 0x46, 0x04, 0x05, 0xf0, 0x1f, 0x65, 0x04,
	0x05, 0xf0, 0x0e, 0x84, 0x04, 0x05, 0xf0, 0xfd, 0xa2, 0x04, 0x05, 0xf0, 0xec, 0xc1,
	0x04, 0x05, 0xf0, 0xdb, 0xe0, 0x04, 0x05, 0xf0, 0xca, 0xff, 0x04, 0x05, 0xf0, 0xb9,
	0x1e, 0x05, 0x05, 0xf0, 0xa8, 0x3d, 0x05, 0x05, 0xf0, 0x97, 0x5c, 0x05, 0x05, 0xf0,
	0x86, 0x7b, 0x05, 0x05, 0xf0, 0x75, 0x9a, 0x05, 0x05, 0xf0, 0x64, 0xb9, 0x05, 0x05,
	0xf0, 0x53, 0xd8, 0x05, 0x05, 0xf0, 0x42, 0xf7, 0x05, 0x05, 0xf0, 0x31, 0x16, 0x06,
	0x05, 0xf0, 0x20, 0x35, 0x06, 0x05, 0xf0, 0x0f, 0x54, 0x06, 0x05, 0xf0, 0xfe, 0x72,
	0x06, 0x05, 0xf0, 0xed, 0x91, 0x06, 0x05, 0xf0, 0xdc, 0xb0, 0x06, 0x05, 0xf0, 0xcb,
	0xcf, 0x06, 0x05, 0xf0, 0xba, 0xee, 0x06, 0x05, 0xf0, 0xa9, 0x0d, 0x07, 0x05, 0xf0,
	0x98, 0x2c, 0x07, 0x05, 0xf0, 0x87, 0x4b, 0x07, 0x05, 0xf0, 0x76, 0x6a, 0x07, 0x05,
	0xf0, 0x65, 0x89, 0x07, 0x05, 0xf0, 0x54, 0xa8, 0x07, 0x05, 0xf0, 0x43, 0xc7, 0x07,
	0x05, 0xf0, 0x32, 0xe6, 0x07, 0x05, 0xf0, 0x21, 0x05, 0x08, 0x05, 0xf0, 0x10, 0x24,
	0x08, 0x05, 0xf0, 0xff, 0x42, 0x08, 0x05, 0xf0, 0xee, 0x61, 0x08, 0x05, 0xf0, 0xdd,
	0x80, 0x08, 0x05, 0xf0, 0xcc, 0x9f, 0x08, 0x05, 0xf0, 0xbb, 0xbe, 0x08, 0x05, 0xf0,
	0xaa, 0xdd, 0x08, 0x05, 0xf0, 0x99, 0xfc, 0x08, 0x05, 0xf0, 0x88, 0x1b, 0x09, 0x05,
	0xf0, 0x77, 0x3a, 0x09, 0x05, 0xf0, 0x66, 0x59, 0x09, 0x05, 0xf0, 0x55, 0x78, 0x09,
	0x05, 0xf0, 0x44, 0x97, 0x09, 0x05, 0xf0, 0x33, 0xb6, 0x09, 0x05, 0xf0, 0x22, 0xd5,
	0x09, 0x05, 0xf0, 0x11, 0xf4, 0x09, 0x05, 0xf0, 0x00, 0x13, 0x0a, 0x05, 0xf0, 0xef,
	0x31, 0x0a, 0x05, 0xf0, 0xde, 0x50, 0x0a, 0x05, 0xf0, 0xcd, 0x6f, 0x0a, 0x05, 0xf0,
	0xbc, 0x8e, 0x0a, 0x05, 0xf0, 0xab, 0xad, 0x0a, 0x05, 0xf0, 0x9a, 0xcc, 0x0a, 0x05,
	0xf0, 0x89, 0xeb, 0x0a, 0x05, 0xf0, 0x78, 0x0a, 0x0b, 0x05, 0xf0, 0x67, 0x29, 0x0b,
	0x05, 0xf0, 0x56, 0x48, 0x0b, 0x05, 0xf0, 0x45, 0x67, 0x0b, 0x05, 0xf0, 0x34, 0x86,
	0x0b, 0x05, 0xf0, 0x23, 0xa5, 0x0b, 0x05, 0xf0, 0x12, 0xc4, 0x0b, 0x05, 0xf0, 0x01,
	0xe3, 0x0b, 0x05, 0xf0, 0xf0, 0x01, 0x0c, 0x05, 0xf0, 0xdf, 0x20, 0x0c, 0x05, 0xf0,
	0xce, 0x3f, 0x0c, 0x05, 0xf0, 0xbd, 0x5e, 0x0c, 0x05, 0xf0, 0xac, 0x7d, 0x0c, 0x05,
	0xf0, 0x9b, 0x9c, 0x0c, 0x05, 0xf0, 0x8a, 0xbb, 0x0c, 0x05, 0xf0, 0x79, 0xda, 0x0c,
	0x05, 0xf0, 0x68, 0xf9, 0x0c, 0x05, 0xf0, 0x57, 0x18, 0x0d, 0x05, 0xf0, 0x46, 0x37,
	0x0d, 0x05, 0xf0, 0x35, 0x56, 0x0d, 0x05, 0xf0, 0x24, 0x75, 0x0d, 0x05, 0xf0, 0x13,
	0x94, 0x0d, 0x05, 0xf0, 0x02, 0xb3, 0x0d, 0x05, 0xf0, 0xf1, 0xd1, 0x0d, 0x05, 0xf0,
	0xe0, 0xf0, 0x0d, 0x05, 0xf0, 0xcf, 0x0f, 0x0e, 0x05, 0xf0, 0xbe, 0x2e, 0x0e, 0x05,
	0xf0, 0xad, 0x4d, 0x0e, 0x05, 0xf0, 0x9c, 0x6c, 0x0e, 0x05, 0xf0, 0x8b, 0x8b, 0x0e,
	0x05, 0xf0, 0x7a, 0xaa, 0x0e, 0x05, 0xf0, 0x69, 0xc9, 0x0e, 0x05, 0xf0, 0x58, 0xe8,
	0x0e, 0x05, 0xf0, 0x47, 0x07, 0x0f, 0x05, 0xf0, 0x36, 0x26, 0x0f, 0x05, 0xf0, 0x25,
	0x45, 0x0f, 0x05, 0xf0, 0x14, 0x64, 0x0f, 0x05, 0xf0, 0x03, 0x83, 0x0f, 0x05, 0xf0,
	0xf2, 0xa1, 0x0f, 0x05, 0xf0, 0xe1, 0xc0, 0x0f, 0x05, 0xf0, 0xd0, 0xdf, 0x0f, 0x05,
	0xf0, 0xbf, 0xfe, 0x0f, 0x05, 0xf0, 0xae, 0x1d, 0x10, 0x05, 0xf0, 0x9d, 0x3c, 0x10,
	0x05, 0xf0, 0x8c, 0x5b, 0x10, 0x05, 0xf0, 0x7b, 0x7a, 0x10, 0x05, 0xf0, 0x6a, 0x99,
	0x10, 0x05, 0xf0, 0x59, 0xb8, 0x10, 0x05, 0xf0, 0x48, 0xd7, 0x10, 0x05, 0xf0, 0x37,
	0xf6, 0x10, 0x05, 0xf0, 0x26, 0x15, 0x11, 0x05, 0xf0, 0x15, 0x34, 0x11, 0x05, 0xf0,
	0x04, 0x53, 0x11, 0x05, 0xf0, 0xf3, 0x71, 0x11, 0x05, 0xf0, 0xe2, 0x90, 0x11, 0x05,
	0xf0, 0xd1, 0xaf, 0x11, 0x05, 0xf0, 0xc0, 0xce, 0x11, 0x05, 0xf0, 0xaf, 0xed, 0x11,
	0x05, 0xf0, 0x9e, 0x0c, 0x12, 0x05, 0xf0, 0x8d, 0x2b, 0x12, 0x05, 0xf0, 0x7c, 0x4a,
	0x12, 0x05, 0xf0, 0x6b, 0x69, 0x12, 0x05, 0xf0, 0x5a, 0x88, 0x12, 0x05, 0xf0, 0x49,
	0xa7, 0x12, 0x05, 0xf0, 0x38, 0xc6, 0x12, 0x05, 0xf0, 0x27, 0xe5, 0x12, 0x05, 0xf0,
	0x16, 0x04, 0x13, 0x05, 0xf0, 0x05, 0x23, 0x13, 0x05, 0xf0, 0xf4, 0x41, 0x13, 0x05,
	0xf0, 0xe3, 0x60, 0x13, 0x05, 0xf0, 0xd2, 0x7f, 0x13, 0x05, 0xf0, 0xc1, 0x9e, 0x13,
	0x05, 0xf0, 0xb0, 0xbd, 0x13, 0x05, 0xf0, 0x9f, 0xdc, 0x13, 0x05, 0xf0, 0x8e, 0xfb,
	0x13, 0x05, 0xf0, 0x7d, 0x1a, 0x14, 0x05, 0xf0, 0x6c, 0x39, 0x14, 0x05, 0xf0, 0x5b,
	0x58, 0x14, 0x05, 0xf0, 0x4a, 0x77, 0x14, 0x05, 0xf0, 0x39, 0x96, 0x14, 0x05, 0xf0,
	0x28, 0xb5, 0x14, 0x05, 0xf0, 0x17, 0xd4, 0x14, 0x05, 0xf0, 0x06, 0xf3, 0x14, 0x05,
	0xf0, 0xf5, 0x11, 0x15, 0x05, 0xf0, 0xe4, 0x30, 0x15, 0x05, 0xf0, 0xd3, 0x4f, 0x15,
	0x05, 0xf0, 0xc2, 0x6e, 0x15, 0x05, 0xf0, 0xb1, 0x8d, 0x15, 0x05, 0xf0, 0xa0, 0xac,
	0x15, 0x05, 0xf0, 0x8f, 0xcb, 0x15, 0x05, 0xf0, 0x7e, 0xea, 0x15, 0x05, 0xf0, 0x6d,
	0x09, 0x16, 0x05, 0xf0, 0x5c, 0x28, 0x16, 0x05, 0xf0, 0x4b, 0x47, 0x16, 0x05, 0xf0,
	0x3a, 0x66, 0x16, 0x05, 0xf0, 0x29, 0x85, 0x16, 0x05, 0xf0, 0x18, 0xa4, 0x16, 0x05,
	0xf0, 0x07, 0xc3, 0x16, 0x05, 0xf0, 0xf6, 0xe1, 0x16, 0x05, 0xf0, 0xe5, 0x00, 0x17,
	0x05, 0xf0, 0xd4, 0x1f, 0x17, 0x05, 0xf0, 0xc3, 0x3e, 0x17, 0x05, 0xf0, 0xb2, 0x5d,
	0x17, 0x05, 0xf0, 0xa1, 0x7c, 0x17, 0x05, 0xf0, 0x90, 0x9b, 0x17, 0x05, 0xf0, 0x7f,
	0xba, 0x17, 0x05, 0xf0, 0x6e, 0xd9, 0x17, 0x05, 0xf0, 0x5d, 0xf8, 0x17, 0x05, 0xf0,
	0x4c, 0x17, 0x18, 0x05, 0xf0, 0x3b, 0x36, 0x18, 0x05, 0xf0, 0x2a, 0x55, 0x18, 0x05,
	0xf0, 0x19, 0x74, 0x18, 0x05, 0xf0, 0x08, 0x93, 0x18, 0x05, 0xf0, 0xf7, 0xb1, 0x18,
	0x05, 0xf0, 0xe6, 0xd0, 0x18, 0x05, 0xf0, 0xd5, 0xef, 0x18, 0x05, 0xf0, 0xc4, 0x0e,
	0x19, 0x05, 0xf0, 0xb3, 0x2d, 0x19, 0x05, 0xf0, 0xa2, 0x4c, 0x19, 0x05, 0xf0, 0x91,
	0x6b, 0x19, 0x05, 0xf0, 0x80, 0x8a, 0x19, 0x05, 0xf0, 0x6f, 0xa9, 0x19, 0x05, 0xf0,
	0x5e, 0xc8, 0x19, 0x05, 0xf0, 0x4d, 0xe7, 0x19, 0x05, 0xf0, 0x3c, 0x06, 0x1a, 0x05,
	0xf0, 0x2b, 0x25, 0x1a, 0x05, 0xf0, 0x1a, 0x44, 0x1a, 0x05, 0xf0, 0x09, 0x63, 0x1a,
	0x05, 0xf0, 0xf8, 0x81, 0x1a, 0x05, 0xf0, 0xe7, 0xa0, 0x1a, 0x05, 0xf0, 0xd6, 0xbf,
	0x1a, 0x05, 0xf0, 0xc5, 0xde, 0x1a, 0x05, 0xf0, 0xb4, 0xfd, 0x1a, 0x05, 0xf0, 0xa3,
	0x1c, 0x1b, 0x05, 0xf0, 0x92, 0x3b, 0x1b, 0x05, 0xf0, 0x81, 0x5a, 0x1b, 0x05, 0xf0,
	0x70, 0x79, 0x1b, 0x05, 0xf0, 0x5f, 0x98, 0x1b, 0x05, 0xf0, 0x4e, 0xb7, 0x1b, 0x05,
	0xf0, 0x3d, 0xd6, 0x1b, 0x05, 0xf0, 0x2c, 0xf5, 0x1b, 0x05, 0xf0, 0x1b, 0x14, 0x1c,
	0x05, 0xf0, 0x0a, 0x33, 0x1c, 0x05, 0xf0, 0xf9, 0x51, 0x1c, 0x05, 0xf0, 0xe8, 0x70,
	0x1c, 0x05, 0xf0, 0xd7, 0x8f, 0x1c, 0x05, 0xf0, 0xc6, 0xae, 0x1c, 0x05, 0xf0, 0xb5,
	0xcd, 0x1c, 0x05, 0xf0, 0xa4, 0xec, 0x1c, 0x05, 0xf0, 0x93, 0x0b, 0x1d, 0x05, 0xf0,
	0x82, 0x2a, 0x1d, 0x05, 0xf0, 0x71, 0x49, 0x1d, 0x05, 0xf0, 0x60, 0x68, 0x1d, 0x05,
	0xf0, 0x4f, 0x87, 0x1d, 0x05, 0xf0, 0x3e, 0xa6, 0x1d, 0x05, 0xf0, 0x2d, 0xc5, 0x1d,
	0x05, 0xf0, 0x1c, 0xe4, 0x1d, 0x05, 0xf0, 0x0b, 0x03, 0x1e, 0x05, 0xf0, 0xfa, 0x21,
	0x1e, 0x05, 0xf0, 0xe9, 0x40, 0x1e, 0x05, 0xf0, 0xd8, 0x5f, 0x1e, 0x05, 0xf0, 0xc7,
	0x7e, 0x1e, 0x05, 0xf0, 0xb6, 0x9d, 0x1e, 0x05, 0xf0, 0xa5, 0xbc, 0x1e, 0x05, 0xf0,
	0x94, 0xdb, 0x1e, 0x05, 0xf0, 0x83, 0xfa, 0x1e, 0x05, 0xf0, 0x72, 0x19, 0x1f, 0x05,
	0xf0, 0x61, 0x38, 0x1f, 0x05, 0xf0, 0x50, 0x57, 0x1f, 0x05, 0xf0, 0x3f, 0x76, 0x1f,
	0x05, 0xf0, 0x2e, 0x95, 0x1f, 0x05, 0xf0, 0x1d, 0xb4, 0x1f, 0x05, 0xf0, 0x0c, 0xd3,
	0x1f, 0x05, 0xf0, 0xfb, 0xf1, 0x1f, 0x05, 0xf0, 0xea, 0x10, 0x20, 0x05, 0xf0, 0xd9,
	0x2f, 0x20, 0x05, 0xf0, 0xc8, 0x4e, 0x20, 0x05, 0xf0, 0xb7, 0x6d, 0x20, 0x05, 0xf0,
	0xa6, 0x8c, 0x20, 0x05, 0xf0, 0x95, 0xab, 0x20, 0x05, 0xf0, 0x84, 0xca, 0x20, 0x05,
	0xf0, 0x73, 0xe9, 0x20, 0x05, 0xf0, 0x62, 0x08, 0x21, 0x05, 0xf0, 0x51, 0x27, 0x21,
	0x05, 0xf0, 0x40, 0x46, 0x21, 0x05, 0xf0, 0x2f, 0x65, 0x21, 0x05, 0xf0, 0x1e, 0x84,
	0x21, 0x05, 0xf0, 0x0d, 0xa3, 0x21, 0x05, 0xf0, 0xfc, 0xc1, 0x21, 0x05, 0xf0, 0xeb,
	0xe0, 0x21, 0x05, 0xf0, 0xda, 0xff, 0x21, 0x05, 0xf0, 0xc9, 0x1e, 0x22, 0x05, 0xf0,
	0xb8, 0x3d, 0x22, 0x05, 0xf0, 0xa7, 0x5c, 0x22, 0x05, 0xf0, 0x96, 0x7b, 0x22, 0x05,
	0xf0, 0x85, 0x9a, 0x22, 0xff,
};

/* list:plain, without its 5000-byte entry of "P" (bytes 20..5019): small, P..., tail. */
static const unsigned char zl_list_plain_head[] = {
	0xa7, 0x13, 0x00, 0x00, 0x9c, 0x13, 0x00, 0x00, 0x03, 0x00, 0x00, 0x05, 0x73, 0x6d,
	0x61, 0x6c, 0x6c, 0x07, 0x53, 0x88,
};

static const unsigned char zl_list_plain_tail[] = {
	0xfe, 0x8b, 0x13, 0x00, 0x00, 0x04, 0x74, 0x61, 0x69, 0x6c, 0xff,
};

/* list:small (129 bytes, 7 entries) */
static const unsigned char zl_list_small[] = {
	0x81, 0x00, 0x00, 0x00, 0x7e, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x01, 0x61, 0x03,
	0x01, 0x62, 0x03, 0xf2, 0x02, 0xf3, 0x02, 0xfe, 0xfd, 0x03, 0x40, 0x64, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78, 0x78,
	0x67, 0x00, 0xff,
};

static const char *const zl_list_small_el[] = {
	"a",
	"b",
	"1",
	"2",
	"-3",
	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	"",
};
static const size_t zl_list_small_len[] = {
	1, 1, 1, 1, 2, 100, 0,
};
/* hash:small (43 bytes, 6 entries) */
static const unsigned char zl_hash_small[] = {
	0x2b, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x04, 0x6e, 0x61,
	0x6d, 0x65, 0x06, 0x09, 0x72, 0x65, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x6e, 0x74, 0x0b,
	0x01, 0x6e, 0x03, 0xfe, 0x2a, 0x03, 0x05, 0x65, 0x6d, 0x70, 0x74, 0x79, 0x07, 0x00,
	0xff,
};

static const char *const zl_hash_small_el[] = {
	"name",
	"replicant",
	"n",
	"42",
	"empty",
	"",
};
static const size_t zl_hash_small_len[] = {
	4, 9, 1, 2, 5, 0,
};
/* geo:cities (49 bytes, 4 entries) */
static const unsigned char zl_geo[] = {
	0x31, 0x00, 0x00, 0x00, 0x26, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x07, 0x50, 0x61,
	0x6c, 0x65, 0x72, 0x6d, 0x6f, 0x09, 0xe0, 0x2a, 0x7a, 0x07, 0x15, 0x39, 0x5c, 0x0c,
	0x00, 0x0a, 0x07, 0x43, 0x61, 0x74, 0x61, 0x6e, 0x69, 0x61, 0x09, 0xe0, 0x6d, 0x0f,
	0x8d, 0xf8, 0x89, 0x5c, 0x0c, 0x00, 0xff,
};

static const char *const zl_geo_el[] = {
	"Palermo",
	"3479099956230698",
	"Catania",
	"3479447370796909",
};
static const size_t zl_geo_len[] = {
	7, 16, 7, 16,
};
/* zset:small (85 bytes, 12 entries) */
static const unsigned char zl_zset_small[] = {
	0x55, 0x00, 0x00, 0x00, 0x4f, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x06, 0x62, 0x6f,
	0x74, 0x74, 0x6f, 0x6d, 0x08, 0x04, 0x2d, 0x69, 0x6e, 0x66, 0x06, 0x01, 0x63, 0x03,
	0xfe, 0xfe, 0x03, 0x01, 0x62, 0x03, 0xf1, 0x02, 0x01, 0x61, 0x03, 0x03, 0x31, 0x2e,
	0x35, 0x05, 0x04, 0x68, 0x75, 0x67, 0x65, 0x06, 0x17, 0x31, 0x2e, 0x30, 0x30, 0x30,
	0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x31, 0x65,
	0x2b, 0x33, 0x30, 0x30, 0x19, 0x03, 0x74, 0x6f, 0x70, 0x05, 0x03, 0x69, 0x6e, 0x66,
	0xff,
};

static const char *const zl_zset_small_el[] = {
	"bottom",
	"-inf",
	"c",
	"-2",
	"b",
	"0",
	"a",
	"1.5",
	"huge",
	"1.0000000000000001e+300",
	"top",
	"inf",
};
static const size_t zl_zset_small_len[] = {
	6, 4, 1, 2, 1, 1, 1, 3, 4, 23, 3, 3,
};


/* ---- helpers ---- */

/* A copy of some bytes with an inaccessible page right after (or right before) it. */
struct guard {
	unsigned char	*map;
	size_t		 maplen;
	unsigned char	*p;
};

static void
guard_put(struct guard *g, const void *src, size_t n, int before)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t data = (n + pg - 1) / pg * pg;

	if (data == 0)
		data = pg;
	g->maplen = data + pg;
	g->map = mmap(NULL, g->maplen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	QUICK(g->map != MAP_FAILED);
	if (before) {
		QUICK(mprotect(g->map, pg, PROT_NONE) == 0);
		g->p = g->map + pg;
	} else {
		QUICK(mprotect(g->map + data, pg, PROT_NONE) == 0);
		g->p = g->map + data - n;
	}
	if (n > 0)
		memcpy(g->p, src, n);
}

static void
guard_free(struct guard *g)
{
	munmap(g->map, g->maplen);
}

static size_t
unhex(unsigned char *dst, const char *hex)
{
	size_t n = 0;
	unsigned x;

	for (; hex[0] != '\0'; hex += 2) {
		if (hex[0] == ' ') {
			hex--;
			continue;
		}
		ck_assert_int_eq(sscanf(hex, "%2x", &x), 1);
		dst[n++] = (unsigned char)x;
	}
	return n;
}

static unsigned char *
lp_from(const char *const *el, const size_t *len, size_t n)
{
	unsigned char *lp;
	size_t i, cap = LP_EMPTY_SIZE;

	/* Sized up front: a realloc per append costs much under ASan. */
	for (i = 0; i < n; i++)
		cap += len[i] + 10;
	lp = lp_new(cap);
	for (i = 0; i < n; i++)
		lp = lp_append(lp, el[i], len[i]);
	return lp;
}

/* Checks lp against the n strings, walking both ways, by value, by lp_eq and by lp_seek. */
static void
check_lp_is(const unsigned char *lp, const char *const *el, const size_t *len, size_t n)
{
	const unsigned char *p, *s;
	char buf[LP_INTBUF];
	size_t i, l, count;

	QUICK(lp_validate(lp, lp_bytes(lp), &count));
	QUICK(count == n);
	QUICK(lp_length(lp) == n);
	for (i = 0, p = lp_first(lp); p != NULL; p = lp_next(lp, p), i++) {
		QUICK(i < n);
		s = lp_get_str(p, &l, buf);
		QUICK(l == len[i]);
		QUICK(l == 0 || memcmp(s, el[i], l) == 0);
		QUICK(lp_eq(p, el[i], len[i]));
		QUICK(p == lp_seek(lp, (long)i));
		QUICK(p == lp_seek(lp, (long)i - (long)n));
	}
	QUICK(i == n);
	for (p = lp_last(lp); p != NULL; p = lp_prev(lp, p)) {
		QUICK(i > 0);
		i--;
		QUICK(lp_eq(p, el[i], len[i]));
	}
	QUICK(i == 0);
	QUICK(lp_seek(lp, (long)n) == NULL);
	QUICK(lp_seek(lp, -(long)n - 1) == NULL);
}

/* Unwraps a DUMP payload: checks the trailer and type byte, returns the RDB string after it. */
static void
dump_unwrap(const unsigned char *d, size_t len, unsigned type, struct rdb_string *out)
{
	size_t pos = 1;

	ck_assert(rdb_dump_verify(d, len));
	ck_assert_uint_eq(d[0], type);
	ck_assert(rdb_load_string(d, len, &pos, out));
	ck_assert_uint_eq(pos, len - RDB_DUMP_TRAILER);
}

/*
 * Validates every truncation and every single-bit flip of the valid listpack lp, against a guard
 * page on each side. Flips of the header, of a back length and of the terminator must be
 * refused; other flips may give a valid listpack, which must then walk consistently.
 */
static void
lp_corrupt_all(const unsigned char *lp)
{
	size_t size = lp_bytes(lp), i, n, count, walked;
	unsigned char *must;
	const unsigned char *p;
	struct guard g;
	int side, bit;

	/* Which bytes are structural: header, back lengths, terminator. */
	must = xcalloc(size, 1);
	memset(must, 1, LP_HDR_SIZE);
	must[size - 1] = 1;
	for (p = lp_first(lp); p != NULL; p = lp_next(lp, p)) {
		size_t es = lp_entry_size(p), bl;

		/* Every back length byte but the first has the high bit set. */
		for (bl = 1; bl < 5 && p[es - bl] & 128; bl++)
			;
		for (i = es - bl; i < es; i++)
			must[(size_t)(p - lp) + i] = 1;
	}
	for (side = 0; side < 2; side++) {
		for (n = 0; n < size; n++) {
			guard_put(&g, lp, n, side);
			if (lp_validate(g.p, n, NULL))
				ck_abort_msg("truncated to %zu accepted", n);
			if (n >= LP_EMPTY_SIZE) {
				/* Header patched to the cut size, a terminator at the cut. */
				g.p[0] = n & 0xff;
				g.p[1] = (n >> 8) & 0xff;
				g.p[2] = (n >> 16) & 0xff;
				g.p[3] = (n >> 24) & 0xff;
				g.p[n - 1] = 0xFF;
				if (lp_validate(g.p, n, NULL))
					ck_abort_msg("cut to %zu with a fixed header accepted", n);
			}
			guard_free(&g);
		}
		guard_put(&g, lp, size, side);
		for (i = 0; i < size; i++) {
			for (bit = 0; bit < 8; bit++) {
				g.p[i] ^= (unsigned char)(1u << bit);
				if (lp_validate(g.p, size, &count)) {
					if (must[i])
						ck_abort_msg("flip of byte %zu bit %d accepted",
						    i, bit);
					walked = 0;
					for (p = lp_first(g.p); p != NULL; p = lp_next(g.p, p))
						walked++;
					QUICK(walked == count);
					for (p = lp_last(g.p); p != NULL; p = lp_prev(g.p, p))
						walked--;
					QUICK(walked == 0);
				}
				g.p[i] ^= (unsigned char)(1u << bit);
			}
		}
		QUICK(lp_validate(g.p, size, NULL));
		guard_free(&g);
	}
	xfree(must);
}

/* A string of n bytes of c (caller frees). */
static char *
rep(char c, size_t n)
{
	char *s = xmalloc(n + 1);

	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* ---- listpack: encodings ---- */

/* Each value's whole entry as Redis writes it: encoding, data, back length. */
static const struct {
	const char	*s;
	const char	*hex;
	bool		 isint;
} enc_cases[] = {
	{ "0", "00 01", true },
	{ "127", "7f 01", true },
	{ "128", "c0 80 02", true },
	{ "-1", "df ff 02", true },
	{ "4095", "cf ff 02", true },
	{ "-4096", "d0 00 02", true },
	{ "4096", "f1 00 10 03", true },
	{ "-4097", "f1 ff ef 03", true },
	{ "32767", "f1 ff 7f 03", true },
	{ "-32768", "f1 00 80 03", true },
	{ "32768", "f2 00 80 00 04", true },
	{ "-32769", "f2 ff 7f ff 04", true },
	{ "8388607", "f2 ff ff 7f 04", true },
	{ "-8388608", "f2 00 00 80 04", true },
	{ "8388608", "f3 00 00 80 00 05", true },
	{ "-8388609", "f3 ff ff 7f ff 05", true },
	{ "2147483647", "f3 ff ff ff 7f 05", true },
	{ "-2147483648", "f3 00 00 00 80 05", true },
	{ "2147483648", "f4 00 00 00 80 00 00 00 00 09", true },
	{ "-2147483649", "f4 ff ff ff 7f ff ff ff ff 09", true },
	{ "9223372036854775807", "f4 ff ff ff ff ff ff ff 7f 09", true },
	{ "-9223372036854775808", "f4 00 00 00 00 00 00 00 80 09", true },
	/* Not canonical integers: strings. */
	{ "", "80 01", false },
	{ "-0", "82 2d 30 03", false },
	{ "01", "82 30 31 03", false },
	{ "+1", "82 2b 31 03", false },
	{ " 1", "82 20 31 03", false },
	{ "1 ", "82 31 20 03", false },
	{ "-", "81 2d 02", false },
	{ "1.0", "83 31 2e 30 04", false },
	{ "9223372036854775808",
	  "93 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 38 14", false },
	{ "-9223372036854775809",
	  "94 2d 39 32 32 33 33 37 32 30 33 36 38 35 34 37 37 35 38 30 39 15", false },
	{ "12345678901234567890",
	  "94 31 32 33 34 35 36 37 38 39 30 31 32 33 34 35 36 37 38 39 30 15", false },
};

START_TEST(test_lp_encodings)
{
	unsigned char want[64], *lp, *p;
	const char *s = enc_cases[_i].s;
	size_t n = unhex(want, enc_cases[_i].hex), len = strlen(s), other;
	char obuf[NUM_I64_MAX_CHARS];
	int64_t v, parsed;

	lp = lp_append(lp_new(0), s, len);
	ck_assert_uint_eq(lp_bytes(lp), LP_EMPTY_SIZE + n);
	ck_assert_mem_eq(lp + LP_HDR_SIZE, want, n);
	ck_assert_uint_eq(lp[LP_HDR_SIZE + n], 0xFF);
	p = lp_first(lp);
	ck_assert_uint_eq(lp_entry_size(p), n);
	ck_assert(lp_get_int(p, &v) == enc_cases[_i].isint);
	ck_assert(lp_eq(p, s, len));
	ck_assert_ptr_eq(lp_find(lp, p, s, len, 0), p);
	check_lp_is(lp, &s, &len, 1);
	if (enc_cases[_i].isint) {
		/* lp_append_int / prepend_int / insert_int / replace_int write the same bytes. */
		ck_assert(num_parse_i64(s, len, &parsed));
		ck_assert(v == parsed);
		lp_free(lp);
		lp = lp_append_int(lp_new(0), v);
		ck_assert_mem_eq(lp + LP_HDR_SIZE, want, n);
		lp_free(lp);
		lp = lp_prepend_int(lp_new(0), v);
		ck_assert_mem_eq(lp + LP_HDR_SIZE, want, n);
		lp = lp_insert_int(lp, lp_first(lp), v, LP_AFTER, &p);
		ck_assert_ptr_eq(p, lp_seek(lp, 1));
		ck_assert_mem_eq(p, want, n);
		lp = lp_replace(lp, &p, "x", 1);
		lp = lp_replace_int(lp, &p, v);
		ck_assert_mem_eq(p, want, n);
		ck_assert_uint_eq(lp_length(lp), 2);
		/* Other integers are not equal: the neighbours of v, and v as a string prefix. */
		other = num_fmt_i64(obuf, v == INT64_MAX ? v - 1 : v + 1);
		ck_assert(!lp_eq(p, obuf, other));
		ck_assert_ptr_null(lp_find(lp, lp_first(lp), obuf, other, 0));
		ck_assert(!lp_eq(p, s, len - 1));
		ck_assert(!lp_eq(p, "x", 1));
	} else
		ck_assert(!lp_get_int(p, &v));
	lp_free(lp);
}
END_TEST

/* Strings across the 6/12/32-bit length and the 1/2/3/4-byte back length boundaries. */
static const struct {
	size_t		 len;
	const char	*hdr;	/* encoding bytes */
	const char	*back;	/* back length bytes */
} str_cases[] = {
	{ 63, "bf", "40" },
	{ 64, "e0 40", "42" },
	{ 125, "e0 7d", "7f" },
	{ 126, "e0 7e", "01 80" },
	{ 4095, "ef ff", "20 81" },
	{ 4096, "f0 00 10 00 00", "20 85" },
	{ 16377, "f0 f9 3f 00 00", "7f fe" },
	{ 16378, "f0 fa 3f 00 00", "00 ff ff" },
	{ 2097145, "f0 f9 ff 1f 00", "7f ff fe" },
	{ 2097146, "f0 fa ff 1f 00", "00 ff ff ff" },
};

START_TEST(test_lp_strings)
{
	unsigned char hdr[8], back[8], *lp, *p;
	size_t len = str_cases[_i].len, hl, bl, l;
	const unsigned char *s;
	char *str = rep('s', len);
	const char *el[3] = { "a", str, "b" };
	size_t lens[3] = { 1, len, 1 };
	int64_t v;

	hl = unhex(hdr, str_cases[_i].hdr);
	bl = unhex(back, str_cases[_i].back);
	lp = lp_from(el, lens, 3);
	p = lp_seek(lp, 1);
	ck_assert_mem_eq(p, hdr, hl);
	ck_assert_uint_eq(lp_entry_size(p), hl + len + bl);
	ck_assert_mem_eq(p + hl + len, back, bl);
	s = lp_get(p, &l, &v);
	ck_assert_ptr_eq(s, p + hl);
	ck_assert_uint_eq(l, len);
	check_lp_is(lp, el, lens, 3);
	ck_assert_ptr_eq(lp_find(lp, lp_first(lp), str, len, 0), p);
	ck_assert_ptr_eq(lp_find(lp, lp_first(lp), "b", 1, 0), lp_last(lp));
	str[len - 1] = 't';
	ck_assert(!lp_eq(p, str, len));
	ck_assert(!lp_eq(p, str, len - 1));
	/* Replacing the long entry by a short one and back. */
	lp = lp_replace(lp, &p, "mid", 3);
	ck_assert(lp_eq(lp_seek(lp, 1), "mid", 3));
	ck_assert(lp_validate(lp, lp_bytes(lp), NULL));
	lp = lp_replace(lp, &p, str, len);
	ck_assert(lp_eq(lp_seek(lp, 1), str, len));
	ck_assert(lp_eq(lp_last(lp), "b", 1));
	ck_assert(lp_validate(lp, lp_bytes(lp), NULL));
	if (len < 5000)
		lp_corrupt_all(lp);
	lp_free(lp);
	xfree(str);
}
END_TEST

/* ---- listpack: real blobs from Redis 7.0.15 ---- */

static const char *const hash_el[] = {
	"name", "replicant", "n", "42", "neg", "-4096", "w16", "-32768", "w24", "8388607",
	"w32", "-2147483648", "w64", "9223372036854775807", "notint", "007", "e", "",
	"big", NULL, "big2", NULL, "127", "128",
};
static const char *const zset_el[] = {
	"bottom", "-inf", "z", "0", "a", "1.5", "c", "3", "ten", "10000000000",
};
static const char *const list_el[] = { "a", "1", "-70000", "hello", "4096" };

static void
redis_blob_case(const unsigned char *dump, size_t dlen, unsigned type, const char *const *el0,
    size_t n)
{
	struct rdb_string rs;
	const char *el[32];
	size_t lens[32], i, pos, count;
	unsigned char *lp;
	char *x63 = rep('x', 63), *y64 = rep('y', 64);

	ck_assert_uint_le(n, 32);
	for (i = 0; i < n; i++) {
		el[i] = el0[i] != NULL ? el0[i] : i == 19 ? x63 : y64;
		lens[i] = strlen(el[i]);
	}
	if (type == RDB_TYPE_LIST_QUICKLIST_2) {
		uint64_t nodes, container;

		/* One node, a packed container, then the listpack as a string. */
		ck_assert(rdb_dump_verify(dump, dlen));
		pos = 1;
		ck_assert(rdb_load_len(dump, dlen, &pos, &nodes));
		ck_assert_uint_eq(nodes, 1);
		ck_assert(rdb_load_len(dump, dlen, &pos, &container));
		ck_assert_uint_eq(container, RDB_QUICKLIST_NODE_PACKED);
		ck_assert(rdb_load_string(dump, dlen, &pos, &rs));
	} else
		dump_unwrap(dump, dlen, type, &rs);
	ck_assert(lp_validate((const unsigned char *)rs.ptr, rs.len, &count));
	ck_assert_uint_eq(count, n);
	lp = lp_from(el, lens, n);
	ck_assert_uint_eq(lp_bytes(lp), rs.len);
	ck_assert_mem_eq(lp, rs.ptr, rs.len);
	check_lp_is((const unsigned char *)rs.ptr, el, lens, n);
	if (type != RDB_TYPE_LIST_QUICKLIST_2)
		ck_assert(lp_unique(lp, 2));
	lp_corrupt_all(lp);
	lp_free(lp);
	rdb_string_free(&rs);
	xfree(x63);
	xfree(y64);
}

START_TEST(test_lp_redis_hash)
{
	redis_blob_case(dump_hash, sizeof(dump_hash), RDB_TYPE_HASH_LISTPACK, hash_el,
	    NELEM(hash_el));
}
END_TEST

START_TEST(test_lp_redis_zset)
{
	redis_blob_case(dump_zset, sizeof(dump_zset), RDB_TYPE_ZSET_LISTPACK, zset_el,
	    NELEM(zset_el));
}
END_TEST

START_TEST(test_lp_redis_list)
{
	redis_blob_case(dump_list, sizeof(dump_list), RDB_TYPE_LIST_QUICKLIST_2, list_el,
	    NELEM(list_el));
}
END_TEST

/* ---- listpack: modifications against a model ---- */

#define MODEL_MAX	24

struct model {
	char	*el[MODEL_MAX];
	size_t	 len[MODEL_MAX];
	size_t	 n;
};

static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 33;
}

/* A value from a pool that crosses every encoding. */
static void
rand_value(char *buf, size_t *len)
{
	static const char *const ints[] = {
		"0", "1", "127", "128", "-1", "4095", "4096", "-4096", "-4097", "32767", "32768",
		"-32769", "8388607", "8388608", "-8388609", "2147483647", "2147483648",
		"-2147483649", "9223372036854775807", "-9223372036854775808", "01", "-0", "",
	};
	static const size_t lens[] = { 1, 5, 63, 64, 125, 126, 127, 300, 4095, 4096 };
	size_t i;

	if (rng() % 2) {
		i = rng() % NELEM(ints);
		*len = strlen(ints[i]);
		memcpy(buf, ints[i], *len);
	} else {
		*len = lens[rng() % NELEM(lens)];
		for (i = 0; i < *len; i++)
			buf[i] = (char)('a' + (i + *len) % 26);
		buf[0] = (char)('a' + rng() % 26);
	}
}

static void
model_insert(struct model *m, size_t at, const char *s, size_t len)
{
	memmove(m->el + at + 1, m->el + at, (m->n - at) * sizeof(m->el[0]));
	memmove(m->len + at + 1, m->len + at, (m->n - at) * sizeof(m->len[0]));
	m->el[at] = xmalloc(len + 1);
	memcpy(m->el[at], s, len);
	m->len[at] = len;
	m->n++;
}

static void
model_delete(struct model *m, size_t at, size_t k)
{
	size_t i;

	for (i = at; i < at + k; i++)
		xfree(m->el[i]);
	memmove(m->el + at, m->el + at + k, (m->n - at - k) * sizeof(m->el[0]));
	memmove(m->len + at, m->len + at + k, (m->n - at - k) * sizeof(m->len[0]));
	m->n -= k;
}

START_TEST(test_lp_model)
{
	static char buf[4096];
	struct model m = { .n = 0 };
	unsigned char *lp = lp_new(16), *p, *q, *fresh;
	size_t len, at, k, i;
	int64_t v;
	int op, step;

	rng_state = 12345 + (uint64_t)_i;
	for (step = 0; step < 1000; step++) {
		rand_value(buf, &len);
		at = m.n > 0 ? rng() % m.n : 0;
		op = (int)(rng() % 9);
		if (m.n >= MODEL_MAX - 2 && op < 5)
			op = 5;
		switch (op) {
		case 0:		/* append */
			lp = lp_append(lp, buf, len);
			model_insert(&m, m.n, buf, len);
			break;
		case 1:		/* prepend */
			lp = lp_prepend(lp, buf, len);
			model_insert(&m, 0, buf, len);
			break;
		case 2:		/* insert before / after an entry */
		case 3:
			if (m.n == 0)
				continue;
			p = lp_seek(lp, (long)at);
			lp = lp_insert(lp, p, buf, len, op == 2 ? LP_BEFORE : LP_AFTER, &q);
			at += op == 3;
			model_insert(&m, at, buf, len);
			QUICK(q == lp_seek(lp, (long)at));
			break;
		case 4:		/* integer insert */
			v = (int64_t)(rng() % 100000) - 50000;
			len = num_fmt_i64(buf, v);
			if (m.n == 0) {
				lp = lp_append_int(lp, v);
				model_insert(&m, 0, buf, len);
				break;
			}
			p = lp_seek(lp, (long)at - (long)m.n);	/* negative index */
			lp = lp_insert_int(lp, p, v, LP_BEFORE, &q);
			model_insert(&m, at, buf, len);
			QUICK(q == lp_seek(lp, (long)at));
			break;
		case 5:		/* replace */
			if (m.n == 0)
				continue;
			p = lp_seek(lp, (long)at);
			lp = lp_replace(lp, &p, buf, len);
			QUICK(p == lp_seek(lp, (long)at));
			model_delete(&m, at, 1);
			model_insert(&m, at, buf, len);
			break;
		case 6:		/* delete one */
			if (m.n == 0)
				continue;
			p = lp_seek(lp, (long)at);
			lp = lp_delete(lp, p, &q);
			model_delete(&m, at, 1);
			QUICK(q == (at < m.n ? lp_seek(lp, (long)at) : NULL));
			break;
		case 7:		/* delete a range by index, maybe past the end */
			if (m.n == 0)
				continue;
			k = rng() % 5;
			if (rng() % 2)
				lp = lp_delete_range(lp, (long)at, k);
			else
				lp = lp_delete_range(lp, (long)at - (long)m.n, k);
			model_delete(&m, at, at + k > m.n ? m.n - at : k);
			break;
		default:	/* delete a range by entry */
			if (m.n == 0)
				continue;
			k = rng() % 4;
			lp = lp_delete_range_p(lp, lp_seek(lp, (long)at), k);
			model_delete(&m, at, at + k > m.n ? m.n - at : k);
			break;
		}
		check_lp_is(lp, (const char *const *)m.el, m.len, m.n);
		/* Whatever the history, the bytes are those of appending the same values. */
		fresh = lp_from((const char *const *)m.el, m.len, m.n);
		QUICK(lp_bytes(fresh) == lp_bytes(lp));
		QUICK(memcmp(fresh, lp, lp_bytes(lp)) == 0);
		lp_free(fresh);
	}
	/* A copy is exact. */
	fresh = lp_dup(lp);
	QUICK(memcmp(fresh, lp, lp_bytes(lp)) == 0);
	lp_free(fresh);
	for (i = 0; i < m.n; i++)
		xfree(m.el[i]);
	lp_free(lp);
}
END_TEST

START_TEST(test_lp_insert_from_itself)
{
	unsigned char *lp = lp_new(0), *p;
	const unsigned char *s;
	char *big = rep('q', 200);
	size_t len, i;
	int64_t v;

	/* Values that are views into the listpack itself must survive its reallocation. */
	lp = lp_append(lp, big, 200);
	for (i = 0; i < 6; i++) {
		s = lp_get(lp_first(lp), &len, &v);
		lp = lp_append(lp, s, len);
		s = lp_get(lp_last(lp), &len, &v);
		lp = lp_prepend(lp, s, len);
	}
	p = lp_seek(lp, 3);
	s = lp_get(lp_first(lp), &len, &v);
	lp = lp_replace(lp, &p, s, len);
	ck_assert_uint_eq(lp_length(lp), 13);
	for (p = lp_first(lp); p != NULL; p = lp_next(lp, p))
		ck_assert(lp_eq(p, big, 200));
	lp_free(lp);
	xfree(big);
}
END_TEST

START_TEST(test_lp_empty)
{
	unsigned char *lp = lp_new(100), *p;
	static const unsigned char empty[] = { 7, 0, 0, 0, 0, 0, 0xFF };
	size_t count = 99;

	ck_assert_uint_eq(lp_bytes(lp), LP_EMPTY_SIZE);
	ck_assert_mem_eq(lp, empty, sizeof(empty));
	ck_assert_uint_eq(lp_length(lp), 0);
	ck_assert_ptr_null(lp_first(lp));
	ck_assert_ptr_null(lp_last(lp));
	ck_assert_ptr_null(lp_seek(lp, 0));
	ck_assert_ptr_null(lp_seek(lp, -1));
	ck_assert_ptr_null(lp_find(lp, NULL, "a", 1, 0));
	ck_assert(lp_validate(lp, lp_bytes(lp), &count));
	ck_assert_uint_eq(count, 0);
	ck_assert(lp_unique(lp, 1));
	lp = lp_delete_range(lp, 0, 5);
	ck_assert_uint_eq(lp_bytes(lp), LP_EMPTY_SIZE);
	/* Emptied by deletes: the same 7 bytes. */
	lp = lp_append(lp, "x", 1);
	lp = lp_prepend_int(lp, 5);
	lp = lp_delete(lp, lp_first(lp), &p);
	ck_assert(lp_eq(p, "x", 1));
	lp = lp_delete(lp, p, &p);
	ck_assert_ptr_null(p);
	ck_assert_mem_eq(lp, empty, sizeof(empty));
	lp_free(lp);
	lp_free(NULL);
}
END_TEST

/* ---- listpack: seek and find ---- */

START_TEST(test_lp_seek_find)
{
	static const char *const el[] = { "a", "1", "1", "b", "b", "c", "-5", "x" };
	size_t lens[NELEM(el)], i;
	unsigned char *lp, *p;

	for (i = 0; i < NELEM(el); i++)
		lens[i] = strlen(el[i]);
	lp = lp_from(el, lens, NELEM(el));
	for (i = 0; i < NELEM(el); i++) {
		ck_assert(lp_eq(lp_seek(lp, (long)i), el[i], lens[i]));
		ck_assert_ptr_eq(lp_seek(lp, (long)i), lp_seek(lp, (long)i - 8));
	}
	ck_assert_ptr_null(lp_seek(lp, 8));
	ck_assert_ptr_null(lp_seek(lp, -9));
	ck_assert_ptr_null(lp_seek(lp, 1000));
	ck_assert_ptr_null(lp_seek(lp, -1000));
	p = lp_first(lp);
	ck_assert_ptr_eq(lp_find(lp, p, "1", 1, 0), lp_seek(lp, 1));
	/* skip 1 compares entries 0, 2, 4, 6 (the fields of a field-value listpack). */
	ck_assert_ptr_eq(lp_find(lp, p, "1", 1, 1), lp_seek(lp, 2));
	ck_assert_ptr_eq(lp_find(lp, p, "b", 1, 1), lp_seek(lp, 4));
	ck_assert_ptr_null(lp_find(lp, p, "c", 1, 1));
	ck_assert_ptr_null(lp_find(lp, p, "x", 1, 1));
	ck_assert_ptr_eq(lp_find(lp, lp_seek(lp, 1), "c", 1, 1), lp_seek(lp, 5));
	ck_assert_ptr_eq(lp_find(lp, lp_seek(lp, 1), "x", 1, 1), lp_seek(lp, 7));
	ck_assert_ptr_eq(lp_find(lp, p, "x", 1, 6), lp_seek(lp, 7));
	ck_assert_ptr_eq(lp_find(lp, p, "b", 1, 2), lp_seek(lp, 3));	/* 0, 3, 6 */
	ck_assert_ptr_null(lp_find(lp, p, "c", 1, 2));
	ck_assert_ptr_eq(lp_find(lp, p, "-5", 2, 2), lp_seek(lp, 6));
	/* Integers compare by value with canonical spellings only. */
	ck_assert_ptr_null(lp_find(lp, p, "01", 2, 0));
	ck_assert_ptr_null(lp_find(lp, p, "-05", 3, 0));
	ck_assert_ptr_null(lp_find(lp, p, "1 ", 2, 0));
	ck_assert_ptr_null(lp_find(lp, p, "", 0, 0));
	ck_assert_ptr_null(lp_find(lp, NULL, "a", 1, 0));
	ck_assert_ptr_null(lp_find(lp, p, "d", 1, 0));
	lp_free(lp);
}
END_TEST

START_TEST(test_lp_count_saturation)
{
	/* Room for all of it: a realloc per append costs minutes under ASan. */
	unsigned char *lp = lp_new(156600), *p;
	size_t i, count;
	int64_t v;

	for (i = 0; i < 65534; i++)
		lp = lp_append_int(lp, (int64_t)(i % 100));
	ck_assert_uint_eq(lp[4] | lp[5] << 8, 65534);
	lp = lp_append(lp, "last", 4);
	ck_assert_uint_eq(lp[4] | lp[5] << 8, 65535);
	ck_assert_uint_eq(lp_length(lp), 65535);
	for (; i < 66600; i++)
		lp = lp_prepend_int(lp, 7);
	ck_assert_uint_eq(lp[4] | lp[5] << 8, 65535);
	ck_assert_uint_eq(lp_length(lp), 66601);
	ck_assert(lp_validate(lp, lp_bytes(lp), &count));
	ck_assert_uint_eq(count, 66601);
	/* Seeks without a known count: forward for >= 0, backward for < 0. */
	ck_assert(lp_eq(lp_seek(lp, -1), "last", 4));
	ck_assert(lp_eq(lp_seek(lp, 66600), "last", 4));
	ck_assert_ptr_null(lp_seek(lp, 66601));
	ck_assert_ptr_null(lp_seek(lp, -66602));
	ck_assert(lp_get_int(lp_seek(lp, -66601), &v) && v == 7);
	ck_assert(lp_get_int(lp_seek(lp, -2), &v) && v == 65533 % 100);
	/* Deleting keeps the count unknown, as Redis does, and lp_length right. */
	lp = lp_delete_range(lp, 0, 10000);
	ck_assert_uint_eq(lp_length(lp), 56601);
	p = lp_first(lp);
	lp = lp_delete(lp, p, NULL);
	ck_assert_uint_eq(lp_length(lp), 56600);
	ck_assert(lp_validate(lp, lp_bytes(lp), &count));
	ck_assert_uint_eq(count, 56600);
	ck_assert(lp_eq(lp_last(lp), "last", 4));
	/* A header count that is not saturated must be right. */
	lp[4] = 1;
	lp[5] = 0;
	ck_assert(!lp_validate(lp, lp_bytes(lp), NULL));
	lp_free(lp);
}
END_TEST

/* ---- listpack: validation ---- */

START_TEST(test_lp_validate_built)
{
	static const char *const el[] = {
		"", "0", "-1", "127", "128", "4096", "-32769", "8388608", "2147483648",
		"-9223372036854775808", "str", "01",
	};
	size_t lens[NELEM(el)], i;
	unsigned char *lp;

	for (i = 0; i < NELEM(el); i++)
		lens[i] = strlen(el[i]);
	lp = lp_from(el, lens, NELEM(el));
	lp_corrupt_all(lp);
	lp_free(lp);
}
END_TEST

START_TEST(test_lp_validate_malformed)
{
	static const struct {
		const char *hex;
		bool ok;
	} cases[] = {
		{ "07000000 0000 ff", true },
		{ "07000000 0100 ff", false },		/* count 1, no entry */
		{ "07000000 ffff ff", true },		/* saturated count of nothing */
		{ "08000000 0000 ff ff", false },	/* terminator before the end */
		{ "06000000 0000", false },		/* too short */
		{ "09000000 0100 0001 ff", true },
		{ "09000000 0100 0002 ff", false },	/* back length wrong */
		{ "09000000 0100 0081 ff", false },	/* back length not Redis' bytes */
		{ "09000000 0100 f501 ff", false },	/* unknown encoding */
		{ "09000000 0100 fe01 ff", false },
		{ "0a000000 0100 c08002 ff", true },
		{ "0a000000 0100 e00102 ff", false },	/* 12-bit string past the end */
		{ "0b000000 0100 f0010000 ff", false },	/* 32-bit string header cut */
		{ "0e000000 0100 f001000000 41 06 ff", true },
		{ "0e000000 0100 f0010000ff 41 06 ff", false },
		{ "0e000000 0100 f401020304 05 06 ff", false },	/* 64-bit int cut */
		{ "0b000000 0100 833132 03 ff", false },	/* string over its back length */
		{ "0c000000 0100 823132 03 ff", false },	/* header says 12, 11 bytes given */
		{ "0b000000 0100 823132 03 ff", true },		/* "12" stored as a string */
	};
	unsigned char buf[64];
	struct guard g;
	size_t n, i;
	int side;

	for (i = 0; i < NELEM(cases); i++) {
		n = unhex(buf, cases[i].hex);
		/* The header total is what the case says; size is the bytes given. */
		for (side = 0; side < 2; side++) {
			guard_put(&g, buf, n, side);
			ck_assert_msg(lp_validate(g.p, n, NULL) == cases[i].ok, "case %zu", i);
			guard_free(&g);
		}
	}
}
END_TEST

START_TEST(test_lp_validate_fuzz)
{
	static const char *const el[] = { "a", "-1", "4096", "hello world", "12345678" };
	size_t lens[NELEM(el)], i, n, size, count, walked;
	unsigned char *lp;
	const unsigned char *p;
	struct guard g;
	int k;

	for (i = 0; i < NELEM(el); i++)
		lens[i] = strlen(el[i]);
	lp = lp_from(el, lens, NELEM(el));
	size = lp_bytes(lp);
	guard_put(&g, lp, size, 0);
	rng_state = 99;
	/* Several random bytes changed at once, past what single flips reach. */
	for (n = 0; n < 200000; n++) {
		memcpy(g.p, lp, size);
		for (k = 0; k < 1 + (int)(rng() % 4); k++)
			g.p[LP_HDR_SIZE + rng() % (size - LP_HDR_SIZE - 1)] = (unsigned char)rng();
		if (!lp_validate(g.p, size, &count))
			continue;
		walked = 0;
		for (p = lp_first(g.p); p != NULL; p = lp_next(g.p, p)) {
			char buf[LP_INTBUF];
			size_t l;

			(void)lp_get_str(p, &l, buf);
			walked++;
		}
		QUICK(walked == count);
	}
	guard_free(&g);
	lp_free(lp);
}
END_TEST

START_TEST(test_lp_unique)
{
	static const char *const pairs[] = { "f1", "v", "f2", "v", "3", "v", "f4", "f1" };
	size_t lens[200], i;
	const char *el[200];
	char names[200][8];
	unsigned char *lp;
	/* "12" as a string entry and 12 as an integer entry: equal values. */
	static const unsigned char mixed[] = {
		0x0d, 0, 0, 0, 2, 0, 0x82, '1', '2', 0x03, 0x0c, 0x01, 0xff,
	};

	for (i = 0; i < NELEM(pairs); i++)
		lens[i] = strlen(pairs[i]);
	lp = lp_from(pairs, lens, NELEM(pairs));
	ck_assert(lp_unique(lp, 2));	/* fields f1 f2 3 f4 */
	ck_assert(!lp_unique(lp, 1));	/* v repeats */
	lp = lp_append(lp, "3", 1);
	lp = lp_append(lp, "x", 1);
	ck_assert(!lp_unique(lp, 2));
	lp_free(lp);
	ck_assert(lp_validate(mixed, sizeof(mixed), NULL));
	ck_assert(!lp_unique(mixed, 1));
	/* Past the pairwise threshold, through the table. */
	for (i = 0; i < 200; i++) {
		lens[i] = (size_t)snprintf(names[i], sizeof(names[i]), i % 2 ? "m%zu" : "%zu",
		    i);
		el[i] = names[i];
	}
	lp = lp_from(el, lens, 200);
	ck_assert(lp_unique(lp, 1));
	ck_assert(lp_unique(lp, 2));
	lp = lp_append(lp, "198", 3);
	ck_assert(!lp_unique(lp, 1));
	ck_assert(!lp_unique(lp, 2));	/* entries 198 and 200 are both fields */
	lp = lp_delete_range(lp, -1, 1);
	lp = lp_append(lp, "x", 1);
	lp = lp_append(lp, "m199", 4);
	ck_assert(!lp_unique(lp, 1));
	ck_assert(lp_unique(lp, 2));	/* m199 is at an odd index */
	lp_free(lp);
}
END_TEST

/* ---- intset ---- */

static void
intset_check(const unsigned char *is, const int64_t *want, size_t n, unsigned width)
{
	size_t i, pos, count;

	ck_assert_uint_eq(intset_len(is), n);
	ck_assert_uint_eq(is[0] | is[1] << 8 | is[2] << 16 | (unsigned)is[3] << 24, width);
	ck_assert_uint_eq(intset_bytes(is), 8 + n * width);
	ck_assert(intset_validate(is, intset_bytes(is), &count));
	ck_assert_uint_eq(count, n);
	for (i = 0; i < n; i++) {
		ck_assert(intset_get(is, i) == want[i]);
		ck_assert(intset_find(is, want[i], &pos));
		ck_assert_uint_eq(pos, i);
	}
	if (n > 0) {
		ck_assert(intset_min(is) == want[0]);
		ck_assert(intset_max(is) == want[n - 1]);
	}
}

START_TEST(test_intset_redis)
{
	static const int64_t adds[] = { 1, -5, 70000, 3, INT64_C(1) << 40, -(INT64_C(1) << 33) };
	static const int64_t sorted[] = { -(INT64_C(1) << 33), -5, 1, 3, 70000, INT64_C(1) << 40 };
	static const unsigned char empty[] = { 2, 0, 0, 0, 0, 0, 0, 0 };
	unsigned char *is = intset_new(), *d;
	struct rdb_string rs;
	size_t i;

	ck_assert_mem_eq(is, empty, 8);
	ck_assert(!intset_validate(is, 8, NULL));	/* empty: refused, as Redis does */
	for (i = 0; i < NELEM(adds); i++)
		ck_assert(intset_add(&is, adds[i]));
	intset_check(is, sorted, NELEM(sorted), 8);
	dump_unwrap(dump_intset, sizeof(dump_intset), RDB_TYPE_SET_INTSET, &rs);
	ck_assert_uint_eq(rs.len, intset_bytes(is));
	ck_assert_mem_eq(rs.ptr, is, rs.len);
	rdb_string_free(&rs);
	ck_assert_mem_eq(redis_intset, is, sizeof(redis_intset));
	d = intset_dup(is);
	ck_assert_mem_eq(d, is, intset_bytes(is));
	intset_free(d);
	intset_free(is);
	is = intset_new();
	ck_assert(intset_add(&is, 5));
	ck_assert(intset_add(&is, 1));
	ck_assert(intset_add(&is, -3));
	ck_assert(!intset_add(&is, 1));
	ck_assert_uint_eq(intset_bytes(is), sizeof(redis_intset16));
	ck_assert_mem_eq(is, redis_intset16, sizeof(redis_intset16));
	intset_free(is);
	intset_free(NULL);
}
END_TEST

START_TEST(test_intset_upgrade)
{
	unsigned char *is = intset_new();
	size_t pos;
	int64_t want[8];

	ck_assert(intset_add(&is, 2));
	ck_assert(intset_add(&is, 1));
	ck_assert(intset_add(&is, INT16_MAX));
	ck_assert(intset_add(&is, INT16_MIN));
	want[0] = INT16_MIN, want[1] = 1, want[2] = 2, want[3] = INT16_MAX;
	intset_check(is, want, 4, 2);
	/* A value past 16 bits at the end, then one below 32 bits at the front. */
	ck_assert(intset_add(&is, INT16_MAX + 1));
	want[4] = INT16_MAX + 1;
	intset_check(is, want, 5, 4);
	ck_assert(intset_add(&is, INT16_MIN - 1));
	memmove(want + 1, want, 5 * sizeof(want[0]));
	want[0] = INT16_MIN - 1;
	intset_check(is, want, 6, 4);
	ck_assert(intset_add(&is, (int64_t)INT32_MIN - 1));
	memmove(want + 1, want, 6 * sizeof(want[0]));
	want[0] = (int64_t)INT32_MIN - 1;
	intset_check(is, want, 7, 8);
	ck_assert(intset_add(&is, INT64_MAX));
	want[7] = INT64_MAX;
	intset_check(is, want, 8, 8);
	/* Never narrower again. */
	ck_assert(intset_remove(&is, (int64_t)INT32_MIN - 1));
	ck_assert(intset_remove(&is, INT64_MAX));
	ck_assert(!intset_remove(&is, INT64_MAX));
	ck_assert(!intset_remove(&is, 3));
	intset_check(is, want + 1, 6, 8);
	ck_assert(!intset_find(is, 0, &pos));
	ck_assert_uint_eq(pos, 2);
	ck_assert(!intset_find(is, INT64_MIN, &pos));
	ck_assert_uint_eq(pos, 0);
	ck_assert(!intset_find(is, INT64_MAX, &pos));
	ck_assert_uint_eq(pos, 6);
	ck_assert(!intset_find(is, 3, NULL));
	while (intset_len(is) > 0)
		ck_assert(intset_remove(&is, intset_max(is)));
	ck_assert_uint_eq(intset_bytes(is), 8);
	intset_free(is);
	/* A value too wide for the width is absent without a search. */
	is = intset_new();
	ck_assert(intset_add(&is, 7));
	ck_assert(!intset_find(is, INT64_C(1) << 40, NULL));
	ck_assert(!intset_remove(&is, INT64_C(1) << 40));
	intset_free(is);
}
END_TEST

START_TEST(test_intset_search)
{
	unsigned char *is = intset_new();
	size_t i, pos;

	rng_state = 7;
	for (i = 0; i < 1000; i++)
		(void)intset_add(&is, (int64_t)(rng() % 3000) * 2);
	for (i = 0; i < intset_len(is); i++) {
		int64_t v = intset_get(is, i);

		QUICK(i == 0 || intset_get(is, i - 1) < v);
		QUICK(intset_find(is, v, &pos) && pos == i);
		QUICK(!intset_find(is, v + 1, &pos) && pos == i + 1);
		QUICK(!intset_find(is, v - 1, &pos) && pos == i);
	}
	QUICK(intset_validate(is, intset_bytes(is), NULL));
	intset_free(is);
}
END_TEST

START_TEST(test_intset_validate)
{
	static const struct {
		const char *hex;
		bool ok;
	} cases[] = {
		{ "02000000 01000000 0500", true },
		{ "02000000 00000000", false },			/* empty */
		{ "03000000 01000000 050000", false },		/* width 3 */
		{ "00000000 01000000", false },			/* width 0 */
		{ "10000000 01000000 05000000000000000000000000000000", false },
		{ "02000000 02000000 0500", false },		/* length past size */
		{ "02000000 01000000 050000", false },		/* size past length */
		{ "02000000 02000000 05000500", false },	/* duplicate */
		{ "02000000 02000000 05000400", false },	/* descending */
		{ "02000000 02000000 0400ffff", false },	/* -1 after 4 */
		{ "02000000 02000000 ffff0400", true },
		{ "04000000 02000000 00000080 ffffff7f", true },
		{ "08000000 01000000 0000000000000080", true },
		{ "02000000 ffffffff 0500", false },		/* length overflowing */
		{ "020000", false },
	};
	unsigned char buf[64];
	struct guard g;
	size_t n, i, cut;
	int side;

	for (i = 0; i < NELEM(cases); i++) {
		n = unhex(buf, cases[i].hex);
		for (side = 0; side < 2; side++) {
			guard_put(&g, buf, n, side);
			ck_assert_msg(intset_validate(g.p, n, NULL) == cases[i].ok, "case %zu", i);
			guard_free(&g);
			if (!cases[i].ok)
				continue;
			for (cut = 0; cut < n; cut++) {
				guard_put(&g, buf, cut, side);
				ck_assert(!intset_validate(g.p, cut, NULL));
				guard_free(&g);
			}
		}
	}
	/* Every truncation of the real one. */
	for (side = 0; side < 2; side++)
		for (cut = 0; cut < sizeof(redis_intset); cut++) {
			guard_put(&g, redis_intset, cut, side);
			ck_assert(!intset_validate(g.p, cut, NULL));
			guard_free(&g);
		}
}
END_TEST

/* ---- ziplist and zipmap ---- */

/* Converts the ziplist (against guard pages) and checks the result against the values. */
static void
zl_case(const unsigned char *zl, size_t size, const char *const *el, const size_t *len, size_t n)
{
	unsigned char *lp, *want;
	struct guard g;
	size_t count = 0;
	int side;

	want = lp_from(el, len, n);
	for (side = 0; side < 2; side++) {
		guard_put(&g, zl, size, side);
		lp = ziplist_to_listpack(g.p, size, &count);
		ck_assert_ptr_nonnull(lp);
		ck_assert_uint_eq(count, n);
		check_lp_is(lp, el, len, n);
		ck_assert_uint_eq(lp_bytes(lp), lp_bytes(want));
		ck_assert_mem_eq(lp, want, lp_bytes(want));
		lp_free(lp);
		guard_free(&g);
	}
	lp_free(want);
}

/*
 * Every truncation of the valid ziplist is refused; every single-bit flip is refused or
 * converts to a valid listpack; never a read outside the blob.
 */
static void
zl_corrupt_all(const unsigned char *zl, size_t size)
{
	unsigned char *lp;
	struct guard g;
	size_t i, n, count;
	int side, bit;

	for (side = 0; side < 2; side++) {
		for (n = 0; n < size; n++) {
			guard_put(&g, zl, n, side);
			QUICK(ziplist_to_listpack(g.p, n, NULL) == NULL);
			if (n >= 11) {
				g.p[0] = n & 0xff;
				g.p[1] = (n >> 8) & 0xff;
				g.p[2] = (n >> 16) & 0xff;
				g.p[3] = (n >> 24) & 0xff;
				g.p[n - 1] = 0xFF;
				if (ziplist_to_listpack(g.p, n, NULL) != NULL)
					ck_abort_msg("cut to %zu with a fixed header accepted", n);
			}
			guard_free(&g);
		}
		guard_put(&g, zl, size, side);
		for (i = 0; i < size; i++) {
			for (bit = 0; bit < 8; bit++) {
				g.p[i] ^= (unsigned char)(1u << bit);
				lp = ziplist_to_listpack(g.p, size, &count);
				if (lp != NULL) {
					if (i < 10 || i == size - 1)
						ck_abort_msg("flip of byte %zu bit %d accepted",
						    i, bit);
					QUICK(lp_validate(lp, lp_bytes(lp), NULL));
					QUICK(lp_length(lp) == count);
					lp_free(lp);
				}
				g.p[i] ^= (unsigned char)(1u << bit);
			}
		}
		guard_free(&g);
	}
}

static size_t
lens_of(const char *const *el, size_t *len, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		len[i] = strlen(el[i]);
	return n;
}

START_TEST(test_ziplist_redis)
{
	static const struct {
		const unsigned char *zl;
		size_t size;
		const char *const *el;
		const size_t *len;
		size_t n;
	} cases[] = {
		{ zl_hash_small, sizeof(zl_hash_small), zl_hash_small_el, zl_hash_small_len,
		  NELEM(zl_hash_small_el) },
		{ zl_zset_small, sizeof(zl_zset_small), zl_zset_small_el, zl_zset_small_len,
		  NELEM(zl_zset_small_el) },
		{ zl_list_small, sizeof(zl_list_small), zl_list_small_el, zl_list_small_len,
		  NELEM(zl_list_small_el) },
		{ zl_geo, sizeof(zl_geo), zl_geo_el, zl_geo_len, NELEM(zl_geo_el) },
	};

	zl_case(cases[_i].zl, cases[_i].size, cases[_i].el, cases[_i].len, cases[_i].n);
	zl_corrupt_all(cases[_i].zl, cases[_i].size);
}
END_TEST

START_TEST(test_ziplist_redis_large)
{
	char names[300][16], *el[300], *p5000;
	const char *pel[3];
	size_t len[300], i, size;
	unsigned char *zl;

	/* list:ints, 300 entries of 16 and 24-bit integers. */
	for (i = 0; i < 300; i++) {
		len[i] = num_fmt_i64(names[i], -100000 + 7919 * (int64_t)i);
		el[i] = names[i];
	}
	zl_case(zl_list_ints, sizeof(zl_list_ints), (const char *const *)el, len, 300);
	/* list:plain: a 5000-byte entry, so the next one has a 5-byte prevlen. */
	size = sizeof(zl_list_plain_head) + 5000 + sizeof(zl_list_plain_tail);
	zl = xmalloc(size);
	memcpy(zl, zl_list_plain_head, sizeof(zl_list_plain_head));
	memset(zl + sizeof(zl_list_plain_head), 'P', 5000);
	memcpy(zl + sizeof(zl_list_plain_head) + 5000, zl_list_plain_tail,
	    sizeof(zl_list_plain_tail));
	p5000 = rep('P', 5000);
	pel[0] = "small", pel[1] = p5000, pel[2] = "tail";
	zl_case(zl, size, pel, (size_t[]){ 5, 5000, 4 }, 3);
	/* The 5-byte prevlen must match the entry before it. */
	zl[size - 10] ^= 1;
	ck_assert_ptr_null(ziplist_to_listpack(zl, size, NULL));
	xfree(zl);
	xfree(p5000);
}
END_TEST

/* A ziplist writer for the tests, choosing each entry's encoding explicitly. */
struct zlw {
	unsigned char	*p;
	size_t		 len;
	size_t		 prev;	/* size of the last entry */
	size_t		 last;	/* offset of the last entry */
	size_t		 n;
};

static void
zlw_bytes(struct zlw *w, const void *s, size_t n)
{
	w->p = xrealloc(w->p, w->len + n);
	memcpy(w->p + w->len, s, n);
	w->len += n;
}

static void
zlw_entry(struct zlw *w, const unsigned char *enc, size_t enclen, const void *data, size_t dlen)
{
	unsigned char pl[5];
	size_t start = w->len;

	if (w->prev < 254) {
		pl[0] = (unsigned char)w->prev;
		zlw_bytes(w, pl, 1);
	} else {
		pl[0] = 0xFE;
		pl[1] = w->prev & 0xff;
		pl[2] = (w->prev >> 8) & 0xff;
		pl[3] = (w->prev >> 16) & 0xff;
		pl[4] = (w->prev >> 24) & 0xff;
		zlw_bytes(w, pl, 5);
	}
	zlw_bytes(w, enc, enclen);
	zlw_bytes(w, data, dlen);
	w->last = start;
	w->prev = w->len - start;
	w->n++;
}

static void
zlw_str(struct zlw *w, const char *s, size_t len, int width)
{
	unsigned char e[5];

	if (width == 6) {
		e[0] = (unsigned char)len;
		zlw_entry(w, e, 1, s, len);
	} else if (width == 14) {
		e[0] = 0x40 | (unsigned char)(len >> 8);
		e[1] = len & 0xff;
		zlw_entry(w, e, 2, s, len);
	} else {
		e[0] = 0x80;
		e[1] = (len >> 24) & 0xff;
		e[2] = (len >> 16) & 0xff;
		e[3] = (len >> 8) & 0xff;
		e[4] = len & 0xff;
		zlw_entry(w, e, 5, s, len);
	}
}

static void
zlw_int(struct zlw *w, unsigned char enc, int64_t v, size_t bytes)
{
	unsigned char d[8];
	uint64_t u = (uint64_t)v;
	size_t i;

	for (i = 0; i < bytes; i++)
		d[i] = (u >> (8 * i)) & 0xff;
	zlw_entry(w, &enc, 1, d, bytes);
}

static unsigned char *
zlw_finish(struct zlw *w, size_t *size)
{
	unsigned char end = 0xFF;
	size_t tail = w->n > 0 ? w->last : 10;

	zlw_bytes(w, &end, 1);
	w->p[0] = w->len & 0xff;
	w->p[1] = (w->len >> 8) & 0xff;
	w->p[2] = (w->len >> 16) & 0xff;
	w->p[3] = (w->len >> 24) & 0xff;
	w->p[4] = tail & 0xff;
	w->p[5] = (tail >> 8) & 0xff;
	w->p[6] = (tail >> 16) & 0xff;
	w->p[7] = (tail >> 24) & 0xff;
	w->p[8] = w->n & 0xff;
	w->p[9] = (w->n >> 8) & 0xff;
	*size = w->len;
	return w->p;
}

static void
zlw_init(struct zlw *w)
{
	static const unsigned char hdr[10];

	memset(w, 0, sizeof(*w));
	zlw_bytes(w, hdr, sizeof(hdr));
}

START_TEST(test_ziplist_encodings)
{
	static const char *const el[] = {
		"-128", "127", "-32768", "32767", "-8388608", "8388607", "-2147483648",
		"2147483647", "-9223372036854775808", "9223372036854775807", "0", "12", "7",
		"short", "fourteen-bit", "thirty-two-bit", "", "01", "300",
	};
	const char *all[NELEM(el) + 1];
	size_t len[NELEM(el) + 1], size, count;
	unsigned char *zl, *lp, e;
	char *big = rep('B', 20000);
	struct zlw w;

	lens_of(el, len, NELEM(el));
	zlw_init(&w);
	zlw_int(&w, 0xFE, -128, 1);
	zlw_int(&w, 0xFE, 127, 1);
	zlw_int(&w, 0xC0, -32768, 2);
	zlw_int(&w, 0xC0, 32767, 2);
	zlw_int(&w, 0xF0, -8388608, 3);
	zlw_int(&w, 0xF0, 8388607, 3);
	zlw_int(&w, 0xD0, INT32_MIN, 4);
	zlw_int(&w, 0xD0, INT32_MAX, 4);
	zlw_int(&w, 0xE0, INT64_MIN, 8);
	zlw_int(&w, 0xE0, INT64_MAX, 8);
	zlw_int(&w, 0xF1, 0, 0);
	zlw_int(&w, 0xFD, 0, 0);
	zlw_int(&w, 0xF8, 0, 0);
	zlw_str(&w, "short", 5, 6);
	zlw_str(&w, "fourteen-bit", 12, 14);
	zlw_str(&w, "thirty-two-bit", 14, 32);
	zlw_str(&w, "", 0, 6);
	zlw_str(&w, "01", 2, 6);
	zlw_str(&w, "300", 3, 14);	/* an integer in a string encoding: still 300 */
	zl = zlw_finish(&w, &size);
	zl_case(zl, size, el, len, NELEM(el));
	zl_corrupt_all(zl, size);
	/* Unknown integer encodings. */
	for (e = 0xC1; e != 0; e++) {
		unsigned char *bad;

		if (e == 0xD0 || e == 0xE0 || e == 0xF0 || e == 0xFE || (e >= 0xF1 && e <= 0xFD))
			continue;
		bad = xmalloc(size);
		memcpy(bad, zl, size);
		bad[w.last + 1] = e;	/* the last entry's encoding byte (1-byte prevlen) */
		ck_assert_ptr_null(ziplist_to_listpack(bad, size, NULL));
		xfree(bad);
	}
	xfree(zl);
	/* A 32-bit string long enough to need it, and a 5-byte prevlen after it. */
	zlw_init(&w);
	zlw_str(&w, big, 20000, 32);
	zlw_int(&w, 0xFE, -1, 1);
	zl = zlw_finish(&w, &size);
	all[0] = big, all[1] = "-1";
	zl_case(zl, size, all, (size_t[]){ 20000, 2 }, 2);
	/* Saturated count accepted; a wrong count, a wrong tail offset refused. */
	zl[8] = zl[9] = 0xFF;
	lp = ziplist_to_listpack(zl, size, &count);
	ck_assert_ptr_nonnull(lp);
	ck_assert_uint_eq(count, 2);
	lp_free(lp);
	zl[8] = 3, zl[9] = 0;
	ck_assert_ptr_null(ziplist_to_listpack(zl, size, NULL));
	zl[8] = 2;
	zl[4]++;
	ck_assert_ptr_null(ziplist_to_listpack(zl, size, NULL));
	zl[4]--;
	ck_assert_ptr_nonnull(lp = ziplist_to_listpack(zl, size, NULL));
	lp_free(lp);
	xfree(zl);
	/* The empty ziplist converts to the empty listpack. */
	zlw_init(&w);
	zl = zlw_finish(&w, &size);
	lp = ziplist_to_listpack(zl, size, &count);
	ck_assert_ptr_nonnull(lp);
	ck_assert_uint_eq(count, 0);
	ck_assert_uint_eq(lp_bytes(lp), LP_EMPTY_SIZE);
	lp_free(lp);
	xfree(zl);
	xfree(big);
}
END_TEST

START_TEST(test_zipmap)
{
	static const struct {
		const char *hex;
		size_t pairs;	/* 0: refused */
	} cases[] = {
		/* zmlen 2: "foo" -> "bar" (1 free byte), "n" -> "12" */
		{ "02 03666f6f 03 01 626172 00 01 6e 02 00 3132 ff", 2 },
		{ "fe 03666f6f 03 01 626172 00 01 6e 02 00 3132 ff", 2 },	/* count unknown */
		{ "03 03666f6f 03 01 626172 00 01 6e 02 00 3132 ff", 0 },	/* count wrong */
		{ "02 03666f6f 03 01 626172 00 03 666f6f 02 00 3132 ff", 0 },	/* duplicate */
		{ "00 ff", 0 },	/* empty */
		{ "01 01 61 00 00 ff", 1 },	/* empty value */
		{ "01 01 61 01 05 62 ff", 0 },	/* free past end */
		{ "01 01 61 ff 00 62 ff", 0 },	/* bad length */
		{ "01 fe 01000000 61 01 00 62 ff", 1 },	/* 5-byte length */
		{ "01 fe 01000000 61 fe 02000000 00 6263 ff", 1 },
		{ "01 fe 01000000 61 fe 020000 ff", 0 },
		{ "01 05 61 ff", 0 },
		{ "01 01 61 01 00 62", 0 },	/* no terminator */
		{ "01 01 61 01 00 62 ff ff", 0 },	/* 0xFF as a length */
	};
	unsigned char buf[64], *lp;
	struct guard g;
	size_t n, i, pairs, cut;
	int side;

	for (i = 0; i < NELEM(cases); i++) {
		n = unhex(buf, cases[i].hex);
		for (side = 0; side < 2; side++) {
			guard_put(&g, buf, n, side);
			lp = zipmap_to_listpack(g.p, n, &pairs);
			guard_free(&g);
			if (cases[i].pairs == 0) {
				ck_assert_msg(lp == NULL, "case %zu accepted", i);
				continue;
			}
			ck_assert_msg(lp != NULL, "case %zu refused", i);
			ck_assert_uint_eq(pairs, cases[i].pairs);
			ck_assert_uint_eq(lp_length(lp), 2 * pairs);
			ck_assert(lp_validate(lp, lp_bytes(lp), NULL));
			lp_free(lp);
			for (cut = 0; cut < n; cut++) {
				guard_put(&g, buf, cut, side);
				ck_assert_ptr_null(zipmap_to_listpack(g.p, cut, NULL));
				guard_free(&g);
			}
		}
	}
	/* The values, in order; integers become integer entries. */
	n = unhex(buf, cases[0].hex);
	lp = zipmap_to_listpack(buf, n, NULL);
	{
		static const char *const want[] = { "foo", "bar", "n", "12" };
		size_t wl[4];

		lens_of(want, wl, 4);
		check_lp_is(lp, want, wl, 4);
		ck_assert_uint_eq(lp_seek(lp, 3)[0], 12);
	}
	lp_free(lp);
}
END_TEST

/* A zipmap of 300 pairs (pair 7 with a 300-byte value: a 5-byte length); dup renames the last. */
static size_t
zm_build(unsigned char *zm, bool dup)
{
	size_t n = 0, i;
	char f[16];
	int fl;

	zm[n++] = 254;
	for (i = 0; i < 300; i++) {
		fl = snprintf(f, sizeof(f), "field%zu", dup && i == 299 ? (size_t)0 : i);
		zm[n++] = (unsigned char)fl;
		memcpy(zm + n, f, (size_t)fl);
		n += (size_t)fl;
		if (i == 7) {
			zm[n++] = 254;
			zm[n++] = 300 & 0xff;
			zm[n++] = 300 >> 8;
			zm[n++] = 0;
			zm[n++] = 0;
			zm[n++] = 0;
			memset(zm + n, 'v', 300);
			n += 300;
		} else {
			zm[n++] = 1;
			zm[n++] = 2;	/* free bytes after the value */
			zm[n++] = 'v';
			zm[n++] = 'x';
			zm[n++] = 'x';
		}
	}
	zm[n++] = 0xFF;
	return n;
}

START_TEST(test_zipmap_many)
{
	unsigned char *zm = xmalloc(8000), *lp;
	size_t n, pairs;

	n = zm_build(zm, false);
	lp = zipmap_to_listpack(zm, n, &pairs);
	ck_assert_ptr_nonnull(lp);
	ck_assert_uint_eq(pairs, 300);
	ck_assert(lp_unique(lp, 2));
	ck_assert(lp_eq(lp_seek(lp, 0), "field0", 6));
	ck_assert(lp_eq(lp_seek(lp, 1), "v", 1));
	ck_assert(lp_eq(lp_seek(lp, -2), "field299", 8));
	ck_assert_uint_eq(lp_entry_size(lp_seek(lp, 15)), 2 + 300 + 2);
	lp_free(lp);
	n = zm_build(zm, true);
	ck_assert_ptr_null(zipmap_to_listpack(zm, n, NULL));
	xfree(zm);
}
END_TEST

static Suite *
listpack_suite(void)
{
	Suite *s = suite_create("packed");
	TCase *tc;

	tc = tcase_create("listpack_encoding");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lp_encodings, 0, (int)NELEM(enc_cases));
	tcase_add_loop_test(tc, test_lp_strings, 0, (int)NELEM(str_cases));
	tcase_add_test(tc, test_lp_redis_hash);
	tcase_add_test(tc, test_lp_redis_zset);
	tcase_add_test(tc, test_lp_redis_list);
	suite_add_tcase(s, tc);

	tc = tcase_create("listpack_modify");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_lp_model, 0, 4);
	tcase_add_test(tc, test_lp_insert_from_itself);
	tcase_add_test(tc, test_lp_empty);
	tcase_add_test(tc, test_lp_seek_find);
	tcase_add_test(tc, test_lp_count_saturation);
	tcase_add_test(tc, test_lp_unique);
	suite_add_tcase(s, tc);

	tc = tcase_create("listpack_validate");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_lp_validate_built);
	tcase_add_test(tc, test_lp_validate_malformed);
	tcase_add_test(tc, test_lp_validate_fuzz);
	suite_add_tcase(s, tc);

	tc = tcase_create("intset");
	tcase_add_test(tc, test_intset_redis);
	tcase_add_test(tc, test_intset_upgrade);
	tcase_add_test(tc, test_intset_search);
	tcase_add_test(tc, test_intset_validate);
	suite_add_tcase(s, tc);

	tc = tcase_create("ziplist");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_ziplist_redis, 0, 4);
	tcase_add_test(tc, test_ziplist_redis_large);
	tcase_add_test(tc, test_ziplist_encodings);
	tcase_add_test(tc, test_zipmap);
	tcase_add_test(tc, test_zipmap_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(listpack_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
