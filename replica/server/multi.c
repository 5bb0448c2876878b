/*
 * multi.c: MULTI/EXEC/DISCARD/WATCH/UNWATCH (see multi.h).
 */
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/store.h"

struct queued {
	const struct cmd_def *def;
	int argc;
	struct resp_arg *argv;		/* views into buf */
	char *buf;
};

/* One WATCHed key of one client. Lives on the server's list and on the client's. */
struct watch {
	struct watch *next, *prev;	/* server's list */
	struct watch *cnext;		/* client's list */
	struct conn *c;
	struct db *db;
	size_t klen;
	char key[];
};

struct multi_state {
	bool in_multi;
	bool errored;			/* a command was refused while queueing */
	bool dirty;			/* a WATCHed key changed */
	struct queued *cmds;
	size_t n, cap;
	struct watch *watched;
};

static struct multi_state *
state(struct conn *c)
{
	if (c->multi == NULL)
		c->multi = xcalloc(1, sizeof(*c->multi));
	return c->multi;
}

bool
multi_active(const struct conn *c)
{
	return c->multi != NULL && c->multi->in_multi;
}

void
multi_flag_error(struct conn *c)
{
	if (multi_active(c))
		c->multi->errored = true;
}

void
multi_queue(struct conn *c, const struct cmd_def *def, const struct resp_arg *argv, int argc)
{
	struct multi_state *m = state(c);
	struct queued *q;
	size_t bytes = 0;
	char *p;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->cmds = xrealloc(m->cmds, m->cap * sizeof(*m->cmds));
	}
	q = &m->cmds[m->n++];
	for (int i = 0; i < argc; i++)
		bytes += argv[i].len;
	q->def = def;
	q->argc = argc;
	q->argv = xmalloc(sizeof(*q->argv) * (size_t)argc);
	q->buf = p = xmalloc(bytes ? bytes : 1);
	for (int i = 0; i < argc; i++) {
		memcpy(p, argv[i].ptr, argv[i].len);
		q->argv[i].ptr = p;
		q->argv[i].len = argv[i].len;
		p += argv[i].len;
	}
	resp_add_const(&c->out, RESP_C_QUEUED);
}

static void
drop_queue(struct multi_state *m)
{
	for (size_t i = 0; i < m->n; i++) {
		xfree(m->cmds[i].argv);
		xfree(m->cmds[i].buf);
	}
	xfree(m->cmds);
	m->cmds = NULL;
	m->n = m->cap = 0;
	m->in_multi = m->errored = false;
}

static void
unwatch_all(struct conn *c)
{
	struct server *srv = c->srv;
	struct multi_state *m = c->multi;

	while (m->watched != NULL) {
		struct watch *w = m->watched;

		m->watched = w->cnext;
		if (w->prev != NULL)
			w->prev->next = w->next;
		else
			srv->watched_keys = w->next;
		if (w->next != NULL)
			w->next->prev = w->prev;
		srv->nwatched--;
		xfree(w);
	}
	m->dirty = false;
}

void
multi_reset(struct conn *c)
{
	if (c->multi == NULL)
		return;
	drop_queue(c->multi);
	unwatch_all(c);
	xfree(c->multi);
	c->multi = NULL;
}

void
multi_touch_key(struct server *srv, struct db *db, const char *key, size_t klen)
{
	if (srv->nwatched == 0)
		return;
	for (struct watch *w = srv->watched_keys; w != NULL; w = w->next)
		if (w->db == db && w->klen == klen && memcmp(w->key, key, klen) == 0)
			w->c->multi->dirty = true;
}

void
multi_touch_db(struct server *srv, struct db *db, struct db *with)
{
	for (struct watch *w = srv->watched_keys; w != NULL; w = w->next) {
		struct db *other;

		if (db != NULL && w->db != db && w->db != with)
			continue;
		/* After SWAPDB a key of db holds what with held, and the other way round. */
		other = w->db == db ? with : w->db == with ? db : NULL;
		if (store_lookup_any(w->db, w->key, w->klen) != NULL ||
		    (other != NULL && store_lookup_any(other, w->key, w->klen) != NULL))
			w->c->multi->dirty = true;
	}
}

void
cmd_multi(struct cmd_ctx *ctx)
{
	struct multi_state *m = state(ctx->conn);

	if (m->in_multi) {
		cmd_reply_error(ctx, "ERR MULTI calls can not be nested");
		return;
	}
	m->in_multi = true;
	cmd_reply_ok(ctx);
}

void
cmd_discard(struct cmd_ctx *ctx)
{
	struct conn *c = ctx->conn;

	if (!multi_active(c)) {
		cmd_reply_error(ctx, "ERR DISCARD without MULTI");
		return;
	}
	multi_reset(c);
	cmd_reply_ok(ctx);
}

void
cmd_exec(struct cmd_ctx *ctx)
{
	struct conn *c = ctx->conn;
	struct multi_state *m = c->multi;

	if (!multi_active(c)) {
		cmd_reply_error(ctx, "ERR EXEC without MULTI");
		return;
	}
	if (m->errored) {
		resp_add_const(ctx->out,
		    "-EXECABORT Transaction discarded because of previous errors.\r\n");
		multi_reset(c);
		return;
	}
	if (m->dirty) {
		resp_add_null_array(ctx->out);
		multi_reset(c);
		return;
	}
	/* Nothing a queued command does can reach this queue: MULTI, EXEC, WATCH... are not
	 * queued, so the loop may run over m->cmds directly. */
	unwatch_all(c);
	resp_add_array(ctx->out, m->n);
	for (size_t i = 0; i < m->n; i++) {
		struct cmd_ctx sub = *ctx;

		sub.argv = m->cmds[i].argv;
		sub.argc = m->cmds[i].argc;
		/* Dispatch refused every write before queueing it if clients may not write (the
		 * transaction then ends in EXECABORT), and that setting cannot change meanwhile. */
		sub.db = store_db(ctx->srv->store, (unsigned)c->db);
		m->cmds[i].def->proc(&sub);
		ctx->srv->stats.commands_processed++;
		ctx->srv->cmd_calls[m->cmds[i].def->id]++;
	}
	multi_reset(c);
}

void
cmd_watch(struct cmd_ctx *ctx)
{
	struct conn *c = ctx->conn;
	struct server *srv = ctx->srv;
	struct multi_state *m;

	if (multi_active(c)) {
		cmd_reply_error(ctx, "ERR WATCH inside MULTI is not allowed");
		return;
	}
	m = state(c);
	for (int i = 1; i < ctx->argc; i++) {
		const struct resp_arg *k = &ctx->argv[i];
		struct watch *w;
		bool seen = false;

		for (w = m->watched; w != NULL && !seen; w = w->cnext)
			seen = w->db == ctx->db && w->klen == k->len && memcmp(w->key, k->ptr, k->len) == 0;
		if (seen)
			continue;
		w = xmalloc(sizeof(*w) + k->len);
		w->c = c;
		w->db = ctx->db;
		w->klen = k->len;
		memcpy(w->key, k->ptr, k->len);
		w->cnext = m->watched;
		m->watched = w;
		w->prev = NULL;
		w->next = srv->watched_keys;
		if (srv->watched_keys != NULL)
			srv->watched_keys->prev = w;
		srv->watched_keys = w;
		srv->nwatched++;
	}
	cmd_reply_ok(ctx);
}

void
cmd_unwatch(struct cmd_ctx *ctx)
{
	if (ctx->conn->multi != NULL && !multi_active(ctx->conn))
		unwatch_all(ctx->conn);
	cmd_reply_ok(ctx);
}
