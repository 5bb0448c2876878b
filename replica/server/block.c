/*
 * block.c: clients blocked on keys (see server.h). XREAD BLOCK (cmd_stream.c) is the first
 * user; BLPOP, BZPOPMIN and kin can block through the same calls.
 *
 * Flow: a handler that cannot answer calls block_on_keys, which parks the conn (conn.c runs no
 * more of its requests) with a copy of its keys and an optional timer. cmd_signal_modified
 * calls block_signal_key for every key a write changes: each blocked conn waiting on that key
 * is marked ready and the server's unblock event is activated, so serving happens after the
 * writing command (or EXEC, or replicated batch) is over, as Redis' handleClientsBlockedOnKeys
 * runs after call(). serve_ready then asks each ready conn's block_fn, oldest blocked first.
 * Unblocking flushes the reply and resumes the conn's buffered requests.
 *
 * The blocked list is walked on each write only while some client is blocked: a server with
 * no blocked client pays one comparison per write.
 */
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/store.h"

struct block_key {
	char *key;
	size_t klen;
};

struct blocked {
	struct conn *c;
	struct blocked *prev, *next;	/* server list, oldest first */
	struct db *db;
	struct event timer;
	bool has_timer;
	bool ready;
	block_fn fn;
	void *arg;
	void (*arg_free)(void *);
	int nkeys;
	struct block_key keys[];
};

bool
block_allowed(const struct cmd_ctx *ctx)
{
	return ctx->conn != NULL && !multi_active(ctx->conn) && !(ctx->flags & CMD_CTX_SCRIPT);
}

static void
unlink_blocked(struct server *srv, struct blocked *b)
{
	if (b->prev != NULL)
		b->prev->next = b->next;
	else
		srv->blocked_head = b->next;
	if (b->next != NULL)
		b->next->prev = b->prev;
	else
		srv->blocked_tail = b->prev;
	srv->nblocked--;
}

static void
free_blocked(struct blocked *b)
{
	if (b->has_timer)
		event_del(&b->timer);
	if (b->arg_free != NULL)
		b->arg_free(b->arg);
	for (int i = 0; i < b->nkeys; i++)
		xfree(b->keys[i].key);
	xfree(b);
}

/* Unblocks c after its block_fn replied: sends the reply, resumes its buffered requests. */
static void
unblock(struct conn *c)
{
	struct blocked *b = c->blocked;

	unlink_blocked(c->srv, b);
	c->blocked = NULL;
	free_blocked(b);
	conn_flush(c);
	if (!(c->flags & CONN_CLOSE_ASAP) && c->qpos < c->qlen) {
		c->flags |= CONN_READ_PAUSED;
		event_active(&c->ev_read, EV_READ, 0);
	}
}

/* Calls b's block_fn for ev; true if it replied for good. */
static bool
run(struct blocked *b, enum block_event ev)
{
	struct conn *c = b->c;
	struct cmd_ctx ctx;
	bool done;

	memset(&ctx, 0, sizeof ctx);
	ctx.srv = c->srv;
	ctx.conn = c;
	ctx.out = &c->out;
	ctx.now_ms = server_time_ms();
	ctx.db = b->db;
	ctx.dbnum = &c->db;
	done = b->fn(&ctx, ev, b->arg);
	reply_check_limits(c, ctx.now_ms);
	return done || ev == BLOCK_TIMEOUT;
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct blocked *b = arg;

	(void)fd;
	(void)what;
	b->has_timer = false;
	run(b, BLOCK_TIMEOUT);
	unblock(b->c);
}

/*
 * Serves the ready clients, oldest first. A client served here may write (XREADGROUP) and
 * make others ready: they are served in the same pass when they come later in the list, else
 * by the next activation.
 */
static void
serve_ready(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	struct blocked *b, *next;

	(void)fd;
	(void)what;
	for (b = srv->blocked_head; b != NULL; b = next) {
		next = b->next;
		if (!b->ready)
			continue;
		b->ready = false;
		if (b->c->flags & CONN_CLOSE_ASAP)
			continue;
		if (run(b, BLOCK_READY))
			unblock(b->c);
	}
}

void
block_on_keys(struct cmd_ctx *ctx, const struct resp_arg *keys, int nkeys, int64_t timeout_ms,
    block_fn fn, void *arg, void (*arg_free)(void *))
{
	struct server *srv = ctx->srv;
	struct conn *c = ctx->conn;
	struct blocked *b;

	b = xcalloc(1, sizeof(*b) + (size_t)nkeys * sizeof(b->keys[0]));
	b->c = c;
	b->db = ctx->db;
	b->fn = fn;
	b->arg = arg;
	b->arg_free = arg_free;
	b->nkeys = nkeys;
	for (int i = 0; i < nkeys; i++) {
		b->keys[i].key = xmalloc(keys[i].len ? keys[i].len : 1);
		memcpy(b->keys[i].key, keys[i].ptr, keys[i].len);
		b->keys[i].klen = keys[i].len;
	}
	if (timeout_ms > 0) {
		struct timeval tv;

		tv.tv_sec = (time_t)(timeout_ms / 1000);
		tv.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
		evtimer_assign(&b->timer, srv->base, on_timeout, b);
		evtimer_add(&b->timer, &tv);
		b->has_timer = true;
	}
	if (!srv->ev_unblock_ready) {
		event_assign(&srv->ev_unblock, srv->base, -1, 0, serve_ready, srv);
		srv->ev_unblock_ready = true;
	}
	b->prev = srv->blocked_tail;
	if (srv->blocked_tail != NULL)
		srv->blocked_tail->next = b;
	else
		srv->blocked_head = b;
	srv->blocked_tail = b;
	srv->nblocked++;
	c->blocked = b;
}

void
block_signal_key(struct server *srv, struct db *db, const char *key, size_t klen)
{
	bool any = false;

	if (srv->nblocked == 0)
		return;
	for (struct blocked *b = srv->blocked_head; b != NULL; b = b->next) {
		if (b->ready || b->db != db)
			continue;
		for (int i = 0; i < b->nkeys; i++) {
			if (b->keys[i].klen == klen && memcmp(b->keys[i].key, key, klen) == 0) {
				b->ready = true;
				any = true;
				break;
			}
		}
	}
	if (any)
		event_active(&srv->ev_unblock, EV_TIMEOUT, 0);
}

void
block_conn_free(struct conn *c)
{
	struct blocked *b = c->blocked;

	if (b == NULL)
		return;
	unlink_blocked(c->srv, b);
	c->blocked = NULL;
	free_blocked(b);
}
