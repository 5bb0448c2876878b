/*
 * server: the libevent front end. Listeners, client connections, their query and reply
 * buffers, dispatch into the command table, the cron, INFO.
 *
 * Data flow of a request: conn_on_read (conn.c) reads into conn->qbuf, resp_parse cuts argv
 * views, server_dispatch (dispatch.c) finds the command and checks it, the handler writes its
 * reply into conn->out (reply.c), and conn_flush writes the replies of the whole batch at the
 * end of the read callback, arming EV_WRITE only when the socket is full.
 */
#ifndef REPLICANT_SERVER_H
#define REPLICANT_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <event2/event.h>
#include <event2/event_struct.h>

#include "protocol/resp.h"
#include "replica/config.h"

struct cmd_def;
struct store;
struct script_engine;
struct multi_state;
struct watch;

/* The Redis version replicant answers as (INFO redis_version, redis.REDIS_VERSION in Lua). */
#define REDIS_COMPAT_VERSION "7.0.15"
#define REDIS_COMPAT_VERSION_NUM 0x0007000f

/* Replies are queued in chunks of this size; query buffers start at this size too. */
#define SERVER_CHUNK_BYTES	(16 * 1024)
/* At most this many requests are run per read event, so one pipelining client cannot starve
 * the others; the rest run in a later loop iteration (memcached's reqs_per_event). */
#define SERVER_REQS_PER_EVENT	128

/* One queued piece of reply. Chunks of SERVER_CHUNK_BYTES come from a free list. */
struct reply_chunk {
	struct reply_chunk *next;
	size_t len;		/* bytes written into data */
	size_t cap;
	char data[];
};

enum {
	CONN_CLOSE_AFTER_REPLY	= 1 << 0,	/* QUIT, protocol error: close once the queue drained */
	CONN_CLOSE_ASAP		= 1 << 1,	/* on the close list: no more reads or writes */
	CONN_UNIX		= 1 << 2,	/* accepted on the unix socket */
	CONN_AUTHED		= 1 << 3,
	CONN_WRITE_ARMED	= 1 << 4,	/* EV_WRITE is pending */
	CONN_NO_EVICT		= 1 << 5,
	CONN_NO_TOUCH		= 1 << 6,
	CONN_READ_PAUSED	= 1 << 7,	/* input left after SERVER_REQS_PER_EVENT: resumed by an active event */
	CONN_PEER_EOF		= 1 << 8,	/* the peer shut its side: answer what is buffered, then close */
};

/* One client connection. Owned by the server's list; freed only by the close path. */
struct conn {
	uint64_t id;
	int fd;
	unsigned flags;
	struct server *srv;
	struct conn *prev, *next;	/* server's list of clients */
	struct conn *close_next;	/* server's close list */
	struct event ev_read;
	struct event ev_write;

	/* input */
	struct reply_chunk *qchunk;	/* holds qbuf; NULL while idle */
	char *qbuf;			/* qchunk->data, or NULL */
	size_t qcap, qlen;		/* buffer size, bytes in it */
	size_t qpos;			/* start of the first request not yet run */
	struct resp_parser parser;

	/* output: out describes the tail chunk; chunks before it are sealed */
	struct resp_out out;
	struct reply_chunk *head, *tail;
	size_t sent;			/* bytes of head already written */
	uint64_t reply_bytes;		/* queued and not yet written */
	int64_t obuf_soft_since_ms;	/* since when the soft output limit is exceeded; 0 = not */

	/* session */
	int db;
	struct multi_state *multi;	/* MULTI queue and WATCHed keys; NULL when unused */
	int resp;			/* 2 or 3 */
	char *name;			/* CLIENT SETNAME; NULL = none */
	const struct cmd_def *last_cmd;
	size_t argv_mem;		/* bytes of the running command's arguments (CLIENT LIST argv-mem) */
	int64_t ctime_ms;
	int64_t last_interaction_ms;
	char addr[64];			/* peer, "ip:port" or "path:0" */
	char laddr[64];			/* local end */
	struct blocked *blocked;	/* waiting on keys (block.c); NULL = runs requests */
};

struct listener {
	struct server *srv;
	int fd;
	bool unix_socket;
	struct event ev;
};

struct server_stats {
	uint64_t connections_received;
	uint64_t commands_processed;
	uint64_t rejected_connections;
	uint64_t net_input_bytes;
	uint64_t net_output_bytes;
	uint64_t reads_processed;
	uint64_t writes_processed;
	uint64_t error_replies;
	uint64_t keyspace_hits;
	uint64_t keyspace_misses;
	uint64_t expired_keys;
	/* instantaneous_ops_per_sec: samples of commands_processed taken by the cron */
	uint64_t ops_samples[16];
	int64_t ops_sample_time_ms;
	uint64_t ops_sample_count;
	int ops_sample_idx;
	size_t client_max_input_buffer;	/* largest query buffer seen recently */
	size_t client_max_output_buffer;
};

/* The running server. One per process, owned by main. */
struct server {
	struct config *cfg;
	struct event_base *base;
	struct listener listeners[CFG_MAX_BIND + 1];
	int nlisteners;
	struct event ev_cron;
	struct event ev_close;		/* activated when the close list is non-empty */
	struct event ev_sigterm, ev_sigint;

	struct conn *clients;		/* all connections */
	size_t nclients;
	struct conn *close_list;
	uint64_t next_client_id;

	struct reply_chunk *free_chunks;	/* SERVER_CHUNK_BYTES chunks ready for reuse */
	size_t nfree_chunks;

	struct store *store;		/* the keyspace */
	struct script_engine *scripts;	/* Lua (cmd_script.c) */
	bool script_busy;		/* a script ran past busy-reply-threshold: others get -BUSY */
	struct watch *watched_keys;	/* every client's WATCHed keys (multi.c) */
	size_t nwatched;
	struct blocked *blocked_head, *blocked_tail;	/* blocked clients, oldest first (block.c) */
	size_t nblocked;
	struct event ev_unblock;	/* serves blocked clients whose keys were written */
	bool ev_unblock_ready;		/* ev_unblock is assigned */
	struct server_stats stats;
	uint64_t *cmd_calls;		/* per command row: calls */
	uint64_t *cmd_usec;		/* per command row: microseconds spent */

	int64_t start_ms;
	int64_t lastsave;		/* unix seconds */
	int64_t cron_loops;
	char run_id[41];
	char executable[4096];
	bool shutdown_asap;
};

/*
 * Opens the listeners of cfg (TCP on each bind address, the unix socket if any) and sets up
 * the event loop, cron and signal handlers. Returns true, or false with a message in err;
 * on false, call server_free. srv borrows cfg, which must outlive it.
 */
bool server_init(struct server *srv, struct config *cfg, char *err, size_t errlen);
/*
 * While a script runs past busy-reply-threshold (srv->script_busy), reads and answers the
 * other clients outside the event loop (libevent's loop cannot be re-entered): accepts new
 * connections, reads every readable client but running, and runs what they sent, which
 * dispatch answers with -BUSY unless the command is allowed while busy (SCRIPT KILL, ...).
 * Does not block.
 */
void server_serve_while_busy(struct server *srv, struct conn *running);
/* Runs the event loop until SIGTERM/SIGINT or shutdown_asap. */
void server_run(struct server *srv);
/* Closes every connection and listener and frees what server_init allocated. */
void server_free(struct server *srv);

/* Current unix time in milliseconds / microseconds. */
int64_t server_time_ms(void);
int64_t server_time_us(void);

/* conn.c */
/* Accepts fd as a new client (takes fd). */
void conn_accept(struct server *srv, int fd, bool unix_socket);
/* Schedules c to be freed from the close event; no reads or writes happen after this. */
void conn_close_async(struct conn *c);
/* Frees c now. Only the close path and server_free call this. */
void conn_free(struct conn *c);
/* Reads what c's socket has and runs it, as the read event does. */
void conn_read_ready(struct conn *c);
/* Writes as much of c's queued reply as the socket takes; arms EV_WRITE if some is left. */
void conn_flush(struct conn *c);
/* Runs the requests buffered in c, at most SERVER_REQS_PER_EVENT. */
void conn_process_input(struct conn *c);
/* Writes c's CLIENT LIST line (without newline) into buf, NUL-terminated and truncated to len;
 * returns the length it needed. */
size_t conn_describe(const struct conn *c, int64_t now_ms, char *buf, size_t len);
/* The query-buffer chunk of c is handed back when c has no pending input. */
void conn_release_qbuf(struct conn *c);

/*
 * block.c: clients blocked on keys (XREAD BLOCK; the list and zset blocking commands can use
 * it too). A blocked conn runs no further request until it is unblocked; what it sent meanwhile
 * stays buffered, as in Redis. A write to one of its keys (block_signal_key, raised by
 * cmd_signal_modified) makes it ready, and once the running event callback is over (the whole
 * command, EXEC or replicated batch that wrote) its block_fn is asked to serve it.
 */
struct cmd_ctx;
struct db;
enum block_event {
	BLOCK_READY,		/* one of the keys was written */
	BLOCK_TIMEOUT,		/* the timeout passed */
};
/*
 * Serves a blocked client. ctx is set up as for a handler run by the conn (its db, reply sink,
 * time; argv NULL, argc 0). On BLOCK_READY: reply and return true to be unblocked, or return
 * false to keep waiting. On BLOCK_TIMEOUT: write the timeout reply; the return is ignored.
 */
typedef bool (*block_fn)(struct cmd_ctx *ctx, enum block_event ev, void *arg);
/* True if the running command may block its client (a client command outside MULTI/EXEC and
 * outside a script). */
bool block_allowed(const struct cmd_ctx *ctx);
/*
 * Blocks ctx's conn on keys[0..nkeys) of ctx's db (copied) for timeout_ms (0: no timeout),
 * with fn and arg to serve it; arg is freed with arg_free (may be NULL) when it is unblocked.
 * The handler must not reply: fn will. block_allowed(ctx) must be true.
 */
void block_on_keys(struct cmd_ctx *ctx, const struct resp_arg *keys, int nkeys,
    int64_t timeout_ms, block_fn fn, void *arg, void (*arg_free)(void *));
/* Key key of db was written: the clients blocked on it will be asked to serve. Costs one
 * comparison when no client is blocked. */
void block_signal_key(struct server *srv, struct db *db, const char *key, size_t klen);
/* c is going away: drops its blocked state without replying. */
void block_conn_free(struct conn *c);

/* reply.c: the queue behind conn->out */
/* Sets up c->out so handlers can write into it (chunks come from the server's free list). */
void reply_init(struct conn *c);
/* Seals the tail so that head..tail describe every queued byte. */
void reply_sync(struct conn *c);
/* Drops the fully written head chunks back into the free list. */
void reply_release_sent(struct conn *c);
/* Frees every queued chunk. */
void reply_free(struct conn *c);
/* Frees the server's free list. */
void reply_pool_free(struct server *srv);
/* Returns a chunk with at least need bytes of capacity (a pooled one when need fits). */
struct reply_chunk *reply_chunk_get(struct server *srv, size_t need);
/* Takes ch back: into the pool if it is a standard chunk and the pool has room, else freed. */
void reply_chunk_put(struct server *srv, struct reply_chunk *ch);
/* Checks c's queued reply against its class's output buffer limits; closes c if exceeded. */
void reply_check_limits(struct conn *c, int64_t now_ms);

/* dispatch.c */
/* Runs one request (argv/argc views) from client c: lookup, checks, handler, statistics. */
void server_dispatch(struct conn *c, struct resp_arg *argv, int argc);

/* info.c */
/* Appends the INFO text for the sections named in argv (as the INFO command takes them). */
void server_info(struct server *srv, struct resp_arg *argv, int argc, char **text, size_t *len);

#endif
