/*
 * reply.c: the reply queue behind conn->out.
 *
 * Handlers write through the protocol writer into conn->out, which always describes the tail
 * chunk of the queue. When the tail is full the writer calls make_room, which seals the tail
 * and appends a fresh chunk: a pooled SERVER_CHUNK_BYTES chunk, or an exact-size one for a big
 * payload. Written chunks go back to the server's free list, so a connection that is idle
 * holds no reply memory and a busy one allocates nothing in steady state.
 */
#include <string.h>

#include "replica/log.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"

/* Free chunks kept for reuse: enough for many busy clients, bounded so a burst is returned. */
#define REPLY_POOL_MAX 256

struct reply_chunk *
reply_chunk_get(struct server *srv, size_t need)
{
	struct reply_chunk *ch;

	if (need <= SERVER_CHUNK_BYTES && srv->free_chunks != NULL) {
		ch = srv->free_chunks;
		srv->free_chunks = ch->next;
		srv->nfree_chunks--;
	} else {
		size_t cap = need <= SERVER_CHUNK_BYTES ? SERVER_CHUNK_BYTES : need;

		ch = xmalloc(sizeof(*ch) + cap);
		ch->cap = cap;
	}
	ch->next = NULL;
	ch->len = 0;
	return ch;
}

void
reply_chunk_put(struct server *srv, struct reply_chunk *ch)
{
	if (ch->cap == SERVER_CHUNK_BYTES && srv->nfree_chunks < REPLY_POOL_MAX) {
		ch->next = srv->free_chunks;
		srv->free_chunks = ch;
		srv->nfree_chunks++;
	} else {
		xfree(ch);
	}
}

void
reply_pool_free(struct server *srv)
{
	while (srv->free_chunks != NULL) {
		struct reply_chunk *ch = srv->free_chunks;

		srv->free_chunks = ch->next;
		xfree(ch);
	}
	srv->nfree_chunks = 0;
}

void
reply_sync(struct conn *c)
{
	if (c->tail != NULL && c->tail->len != c->out.len) {
		c->reply_bytes += c->out.len - c->tail->len;
		c->tail->len = c->out.len;
	}
}

static void
make_room(struct resp_out *o, size_t need)
{
	struct conn *c = o->ctx;
	struct reply_chunk *ch;

	reply_sync(c);
	ch = reply_chunk_get(c->srv, need);
	if (c->tail != NULL)
		c->tail->next = ch;
	else
		c->head = ch;
	c->tail = ch;
	o->buf = ch->data;
	o->len = 0;
	o->cap = ch->cap;
}

void
reply_init(struct conn *c)
{
	c->out.buf = NULL;
	c->out.len = 0;
	c->out.cap = 0;
	c->out.proto = 2;
	c->out.make_room = make_room;
	c->out.ctx = c;
}

void
reply_release_sent(struct conn *c)
{
	while (c->head != NULL && c->sent == c->head->len) {
		struct reply_chunk *ch = c->head;

		if (ch == c->tail && c->out.len != ch->len)
			break;	/* the writer has appended since the last sync */
		c->head = ch->next;
		c->sent = 0;
		if (ch == c->tail) {
			c->tail = NULL;
			c->out.buf = NULL;
			c->out.len = 0;
			c->out.cap = 0;
		}
		reply_chunk_put(c->srv, ch);
	}
}

void
reply_free(struct conn *c)
{
	while (c->head != NULL) {
		struct reply_chunk *ch = c->head;

		c->head = ch->next;
		reply_chunk_put(c->srv, ch);
	}
	c->tail = NULL;
	c->sent = 0;
	c->reply_bytes = 0;
	c->out.buf = NULL;
	c->out.len = c->out.cap = 0;
}

void
reply_check_limits(struct conn *c, int64_t now_ms)
{
	const struct cfg_obuf_limit *lim = &c->srv->cfg->obuf[CFG_CLASS_NORMAL];
	bool hard, soft;

	reply_sync(c);
	if (c->reply_bytes > c->srv->stats.client_max_output_buffer)
		c->srv->stats.client_max_output_buffer = c->reply_bytes;
	hard = lim->hard != 0 && c->reply_bytes >= lim->hard;
	soft = lim->soft != 0 && c->reply_bytes >= lim->soft;
	if (soft) {
		if (c->obuf_soft_since_ms == 0)
			c->obuf_soft_since_ms = now_ms;
		else if (now_ms - c->obuf_soft_since_ms > lim->soft_seconds * 1000)
			hard = true;
	} else {
		c->obuf_soft_since_ms = 0;
	}
	if (hard && !(c->flags & CONN_CLOSE_ASAP)) {
		log_warning("Client id=%llu addr=%s scheduled to be closed ASAP for overcoming of "
		    "output buffer limits.", (unsigned long long)c->id, c->addr);
		conn_close_async(c);
	}
}
