/*
 * crc64: the CRC-64 that Redis puts at the end of RDB files and DUMP payloads: "CRC-64/Jones"
 * (polynomial 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor).
 * crc64_update(0, "123456789", 9) is 0xe9c6d914c4b8d9ca.
 *
 * Data flow: the DUMP/RESTORE trailer (rdb_value.c) and the RDB loader's end-of-file check feed
 * bytes through crc64_update, chaining the returned value into the next call.
 */
#ifndef REPLICANT_CRC64_H
#define REPLICANT_CRC64_H

#include <stddef.h>
#include <stdint.h>

/*
 * Returns the CRC of the bytes already summed into crc (0 to start) followed by the n bytes at p.
 * Pure; safe from any thread (its lookup tables are built once, on first use).
 */
uint64_t crc64_update(uint64_t crc, const void *p, size_t n);

#endif
