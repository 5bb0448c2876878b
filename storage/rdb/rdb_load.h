/*
 * rdb_load: a whole RDB file (or a full sync's snapshot), fed in pieces as they arrive, decoded
 * into a store.
 *
 * Data flow: the replication link (or start-up, for a dump file on disk) calls rdb_loader_feed
 * with each block it receives and rdb_loader_finish when the input ends; the loader keeps the
 * bytes of the item it is in the middle of, decodes each complete key with rdb_load_object
 * (rdb_value.h and the per-type codecs) and stores it in the store it was given, a fresh one
 * that the caller swaps in when the load is done (store_swap). Nothing here touches the live
 * keyspace or any global state, so it runs on a loader thread.
 *
 * Every byte is hostile: lengths are checked against the bytes present, every value is
 * validated, the CRC-64 at the end is verified (unless the writer left it zero), and a
 * malformed file stops the load with a reason, never a crash. A value arriving in pieces is
 * decoded when it is complete; since the codecs read from one buffer, the loader retries a
 * value that did not decode only after the bytes buffered for it have doubled, which keeps the
 * retries linear in its size. A value that is corrupt rather than incomplete is therefore
 * reported once the input ends (rdb_loader_finish), or earlier if the bytes after it let
 * parsing resume.
 *
 * As a Redis replica does, a key whose TTL has passed is loaded in STORE_REPLICA mode (the
 * primary's DEL removes it) and skipped in STORE_OFFLINE mode. Module values cannot be held: one
 * stops the load.
 */
#ifndef REPLICANT_RDB_LOAD_H
#define REPLICANT_RDB_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct rdb_loader;

enum rdb_load_status {
	RDB_LOAD_MORE,		/* fine so far: feed more */
	RDB_LOAD_DONE,		/* the end-of-file opcode and checksum were read and checked */
	RDB_LOAD_ERROR,		/* malformed: see rdb_loader_error; feed no more */
};

struct rdb_load_stats {
	int version;			/* the header's RDB version */
	uint64_t bytes;			/* bytes consumed */
	uint64_t keys;			/* keys stored */
	uint64_t expired;		/* keys skipped because their TTL had passed (offline mode) */
	uint64_t empty;			/* empty collections skipped, as Redis skips them */
	uint64_t functions;		/* function libraries seen (kept by the Lua engine, later) */
	char repl_id[41];		/* aux "repl-id", "" if absent */
	int64_t repl_offset;		/* aux "repl-offset", -1 if absent */
};

/*
 * Returns a loader that stores into dst (borrowed; normally a fresh store of the live store's
 * size and mode) at the time now_ms (expiry decisions).
 */
struct rdb_loader *rdb_loader_new(struct store *dst, int64_t now_ms);
/* Frees l (not the store). */
void rdb_loader_free(struct rdb_loader *l);

/* Consumes the n bytes at p (copied as needed). After RDB_LOAD_DONE, further bytes are ignored. */
enum rdb_load_status rdb_loader_feed(struct rdb_loader *l, const void *p, size_t n);
/*
 * The input has ended: decodes what is still buffered. Returns RDB_LOAD_DONE, or RDB_LOAD_ERROR
 * (a truncated file is an error).
 */
enum rdb_load_status rdb_loader_finish(struct rdb_loader *l);

/* The reason of RDB_LOAD_ERROR ("" otherwise), valid while l lives. */
const char *rdb_loader_error(const struct rdb_loader *l);
/* What has been loaded so far. */
const struct rdb_load_stats *rdb_loader_stats(const struct rdb_loader *l);

/*
 * Loads the RDB file at path into dst in 64 KiB reads. Returns true with *st filled, or false
 * with the reason in err (including a file that cannot be read). dst holds what was loaded
 * before a failure.
 */
bool rdb_load_file(const char *path, struct store *dst, int64_t now_ms, struct rdb_load_stats *st,
    char *err, size_t errlen);

#endif
