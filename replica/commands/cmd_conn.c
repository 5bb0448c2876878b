/*
 * cmd_conn.c: the connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO and
 * CLIENT's subcommands. They act on the calling connection (struct conn), so they see the
 * server's structures; everything about the data goes through storage instead.
 */
#include <stdio.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"
#include "storage/store.h"

void
cmd_ping(struct cmd_ctx *ctx)
{
	if (ctx->argc > 2) {
		cmd_reply_error(ctx, "ERR wrong number of arguments for 'ping' command");
		return;
	}
	if (ctx->argc == 2)
		resp_add_bulk(ctx->out, ctx->argv[1].ptr, ctx->argv[1].len);
	else
		resp_add_const(ctx->out, RESP_C_PONG);
}

void
cmd_echo(struct cmd_ctx *ctx)
{
	resp_add_bulk(ctx->out, ctx->argv[1].ptr, ctx->argv[1].len);
}

void
cmd_quit(struct cmd_ctx *ctx)
{
	cmd_reply_ok(ctx);
	ctx->conn->flags |= CONN_CLOSE_AFTER_REPLY;
}

void
cmd_reset(struct cmd_ctx *ctx)
{
	struct conn *c = ctx->conn;

	multi_reset(c);
	c->db = 0;
	c->resp = 2;
	c->out.proto = 2;
	xfree(c->name);
	c->name = NULL;
	c->flags &= ~(CONN_NO_EVICT | CONN_NO_TOUCH);
	if (ctx->srv->cfg->requirepass != NULL)
		c->flags &= ~CONN_AUTHED;
	resp_add_simple(ctx->out, "RESET", 5);
}

void
cmd_select(struct cmd_ctx *ctx)
{
	int64_t db;

	if (!num_parse_i64(ctx->argv[1].ptr, ctx->argv[1].len, &db)) {
		cmd_reply_error(ctx, "ERR value is not an integer or out of range");
		return;
	}
	if (db < 0 || db >= ctx->srv->cfg->databases) {
		cmd_reply_error(ctx, "ERR DB index is out of range");
		return;
	}
	*ctx->dbnum = (int)db;
	ctx->db = store_db(ctx->srv->store, (unsigned)db);
	cmd_reply_ok(ctx);
}

/* Checks a user/password pair against the configuration, as Redis' default user does. */
static bool
credentials_ok(const struct config *cfg, const struct resp_arg *user, const struct resp_arg *pass)
{
	if (user != NULL && !(user->len == 7 && memcmp(user->ptr, "default", 7) == 0))
		return false;
	if (cfg->requirepass == NULL)
		return true;
	return pass->len == strlen(cfg->requirepass) &&
	    memcmp(pass->ptr, cfg->requirepass, pass->len) == 0;
}

void
cmd_auth(struct cmd_ctx *ctx)
{
	const struct config *cfg = ctx->srv->cfg;

	if (ctx->argc > 3) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	if (ctx->argc == 2 && cfg->requirepass == NULL) {
		cmd_reply_error(ctx, "ERR AUTH <password> called without any password configured "
		    "for the default user. Are you sure your configuration is correct?");
		return;
	}
	if (!credentials_ok(cfg, ctx->argc == 3 ? &ctx->argv[1] : NULL, &ctx->argv[ctx->argc - 1])) {
		cmd_reply_error(ctx, "WRONGPASS invalid username-password pair or user is disabled.");
		return;
	}
	ctx->conn->flags |= CONN_AUTHED;
	cmd_reply_ok(ctx);
}

/* Redis accepts client names of printable characters without spaces. */
static bool
valid_client_name(const struct resp_arg *a)
{
	for (size_t i = 0; i < a->len; i++)
		if (a->ptr[i] < '!' || a->ptr[i] > '~')
			return false;
	return true;
}

static void
set_name(struct conn *c, const struct resp_arg *a)
{
	xfree(c->name);
	c->name = a->len ? xstrndup(a->ptr, a->len) : NULL;
}

static void
add_bulk_str(struct resp_out *o, const char *s)
{
	resp_add_bulk(o, s, strlen(s));
}

void
cmd_hello(struct cmd_ctx *ctx)
{
	struct conn *c = ctx->conn;
	const struct resp_arg *user = NULL, *pass = NULL, *name = NULL;
	int64_t ver = 0;

	if (ctx->argc >= 2) {
		if (!num_parse_i64(ctx->argv[1].ptr, ctx->argv[1].len, &ver)) {
			cmd_reply_error(ctx, "ERR Protocol version is not an integer or out of range");
			return;
		}
		if (ver < 2 || ver > 3) {
			cmd_reply_error(ctx, "NOPROTO unsupported protocol version");
			return;
		}
	}
	for (int i = 2; i < ctx->argc; i++) {
		int more = ctx->argc - i - 1;

		if (cmd_arg_is(ctx, i, "AUTH") && more >= 2) {
			user = &ctx->argv[i + 1];
			pass = &ctx->argv[i + 2];
			i += 2;
		} else if (cmd_arg_is(ctx, i, "SETNAME") && more >= 1) {
			name = &ctx->argv[i + 1];
			i++;
		} else {
			cmd_reply_error(ctx, "ERR Syntax error in HELLO option '%.*s'",
			    (int)ctx->argv[i].len, ctx->argv[i].ptr);
			return;
		}
	}
	if (user != NULL) {
		if (!credentials_ok(ctx->srv->cfg, user, pass)) {
			cmd_reply_error(ctx,
			    "WRONGPASS invalid username-password pair or user is disabled.");
			return;
		}
		c->flags |= CONN_AUTHED;
	}
	if (!(c->flags & CONN_AUTHED)) {
		cmd_reply_error(ctx, "NOAUTH HELLO must be called with the client already "
		    "authenticated, otherwise the HELLO AUTH <user> <pass> option can be used "
		    "to authenticate the client and select the RESP protocol version at the same time");
		return;
	}
	if (name != NULL) {
		if (!valid_client_name(name)) {
			cmd_reply_error(ctx, "ERR Client names cannot contain spaces, newlines or "
			    "special characters.");
			return;
		}
		set_name(c, name);
	}
	if (ver != 0) {
		c->resp = (int)ver;
		c->out.proto = (int)ver;
	}
	resp_add_map(ctx->out, 7);
	add_bulk_str(ctx->out, "server");
	add_bulk_str(ctx->out, "redis");
	add_bulk_str(ctx->out, "version");
	add_bulk_str(ctx->out, REDIS_COMPAT_VERSION);
	add_bulk_str(ctx->out, "proto");
	resp_add_int(ctx->out, c->resp);
	add_bulk_str(ctx->out, "id");
	resp_add_int(ctx->out, (int64_t)c->id);
	add_bulk_str(ctx->out, "mode");
	add_bulk_str(ctx->out, "standalone");
	add_bulk_str(ctx->out, "role");
	add_bulk_str(ctx->out, ctx->srv->cfg->replicaof_host ? "replica" : "master");
	add_bulk_str(ctx->out, "modules");
	resp_add_array(ctx->out, 0);
}

void
cmd_client_id(struct cmd_ctx *ctx)
{
	resp_add_int(ctx->out, (int64_t)ctx->conn->id);
}

void
cmd_client_setname(struct cmd_ctx *ctx)
{
	if (!valid_client_name(&ctx->argv[2])) {
		cmd_reply_error(ctx,
		    "ERR Client names cannot contain spaces, newlines or special characters.");
		return;
	}
	set_name(ctx->conn, &ctx->argv[2]);
	cmd_reply_ok(ctx);
}

void
cmd_client_getname(struct cmd_ctx *ctx)
{
	if (ctx->conn->name != NULL)
		add_bulk_str(ctx->out, ctx->conn->name);
	else
		resp_add_null(ctx->out);
}

/* Appends c's CLIENT LIST line and a newline to *buf (grown with xrealloc). */
static void
append_line(const struct conn *c, int64_t now, char **buf, size_t *len, size_t *cap)
{
	size_t need;

	for (;;) {
		need = conn_describe(c, now, *buf + *len, *cap - *len);
		if (*len + need + 2 <= *cap)
			break;
		*cap = (*cap + need + 2) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	*len += need;
	(*buf)[(*len)++] = '\n';
}

enum client_type { CT_ANY, CT_NORMAL, CT_MASTER, CT_REPLICA, CT_PUBSUB };

static bool
parse_client_type(struct cmd_ctx *ctx, int i, enum client_type *t)
{
	if (cmd_arg_is(ctx, i, "normal"))
		*t = CT_NORMAL;
	else if (cmd_arg_is(ctx, i, "master"))
		*t = CT_MASTER;
	else if (cmd_arg_is(ctx, i, "replica") || cmd_arg_is(ctx, i, "slave"))
		*t = CT_REPLICA;
	else if (cmd_arg_is(ctx, i, "pubsub"))
		*t = CT_PUBSUB;
	else {
		cmd_reply_error(ctx, "ERR Unknown client type '%.*s'", (int)ctx->argv[i].len,
		    ctx->argv[i].ptr);
		return false;
	}
	return true;
}

/* Every connection here is a normal client (the primary link is not a struct conn). */
static bool
type_matches(enum client_type t)
{
	return t == CT_ANY || t == CT_NORMAL;
}

void
cmd_client_list(struct cmd_ctx *ctx)
{
	enum client_type type = CT_ANY;
	uint64_t *ids = NULL;
	size_t nids = 0, len = 0, cap = 1024;
	char *buf;
	int64_t now = ctx->now_ms;

	if (ctx->argc == 4 && cmd_arg_is(ctx, 2, "TYPE")) {
		if (!parse_client_type(ctx, 3, &type))
			return;
	} else if (ctx->argc > 3 && cmd_arg_is(ctx, 2, "ID")) {
		ids = xmalloc(sizeof(*ids) * (size_t)(ctx->argc - 3));
		for (int i = 3; i < ctx->argc; i++) {
			int64_t id;

			if (!num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, &id) || id <= 0) {
				cmd_reply_error(ctx, "ERR Invalid client ID");
				xfree(ids);
				return;
			}
			ids[nids++] = (uint64_t)id;
		}
	} else if (ctx->argc != 2) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	buf = xmalloc(cap);
	if (ids != NULL) {
		for (size_t k = 0; k < nids; k++)
			for (struct conn *c = ctx->srv->clients; c != NULL; c = c->next)
				if (c->id == ids[k])
					append_line(c, now, &buf, &len, &cap);
	} else {
		for (struct conn *c = ctx->srv->clients; c != NULL; c = c->next)
			if (type_matches(type))
				append_line(c, now, &buf, &len, &cap);
	}
	resp_add_verbatim(ctx->out, "txt", buf, len);
	xfree(buf);
	xfree(ids);
}

void
cmd_client_info(struct cmd_ctx *ctx)
{
	size_t len = 0, cap = 512;
	char *buf = xmalloc(cap);

	append_line(ctx->conn, ctx->now_ms, &buf, &len, &cap);
	resp_add_verbatim(ctx->out, "txt", buf, len);
	xfree(buf);
}

/* The filters of CLIENT KILL's new form. */
struct kill_filter {
	uint64_t id;
	enum client_type type;
	const struct resp_arg *addr, *laddr, *user;
	bool skipme;
};

static bool
arg_eq_str(const struct resp_arg *a, const char *s)
{
	return a->len == strlen(s) && memcmp(a->ptr, s, a->len) == 0;
}

static bool
kill_matches(const struct kill_filter *f, const struct conn *c, const struct conn *self)
{
	if (f->skipme && c == self)
		return false;
	if (f->id != 0 && c->id != f->id)
		return false;
	if (!type_matches(f->type))
		return false;
	if (f->addr != NULL && !arg_eq_str(f->addr, c->addr))
		return false;
	if (f->laddr != NULL && !arg_eq_str(f->laddr, c->laddr))
		return false;
	if (f->user != NULL && !arg_eq_str(f->user, "default"))
		return false;
	return true;
}

static void
kill_conn(struct conn *c, struct conn *self)
{
	if (c == self)
		c->flags |= CONN_CLOSE_AFTER_REPLY;
	else
		conn_close_async(c);
}

void
cmd_client_kill(struct cmd_ctx *ctx)
{
	struct kill_filter f = { 0, CT_ANY, NULL, NULL, NULL, true };
	int64_t killed = 0;

	if (ctx->argc == 3) {
		/* Old form: CLIENT KILL addr:port. */
		for (struct conn *c = ctx->srv->clients; c != NULL; c = c->next) {
			if (!(c->flags & CONN_CLOSE_ASAP) && arg_eq_str(&ctx->argv[2], c->addr)) {
				kill_conn(c, ctx->conn);
				cmd_reply_ok(ctx);
				return;
			}
		}
		cmd_reply_error(ctx, "ERR No such client");
		return;
	}
	for (int i = 2; i < ctx->argc; i += 2) {
		const struct resp_arg *v;

		if (i + 1 >= ctx->argc) {
			cmd_reply_syntax_error(ctx);
			return;
		}
		v = &ctx->argv[i + 1];
		if (cmd_arg_is(ctx, i, "ID")) {
			int64_t id;

			if (!num_parse_i64(v->ptr, v->len, &id) || id <= 0) {
				cmd_reply_error(ctx, "ERR client-id should be greater than 0");
				return;
			}
			f.id = (uint64_t)id;
		} else if (cmd_arg_is(ctx, i, "TYPE")) {
			if (!parse_client_type(ctx, i + 1, &f.type))
				return;
		} else if (cmd_arg_is(ctx, i, "ADDR")) {
			f.addr = v;
		} else if (cmd_arg_is(ctx, i, "LADDR")) {
			f.laddr = v;
		} else if (cmd_arg_is(ctx, i, "USER")) {
			if (!arg_eq_str(v, "default")) {
				cmd_reply_error(ctx, "ERR No such user '%.*s'", (int)v->len, v->ptr);
				return;
			}
			f.user = v;
		} else if (cmd_arg_is(ctx, i, "SKIPME")) {
			if (cmd_arg_is(ctx, i + 1, "yes"))
				f.skipme = true;
			else if (cmd_arg_is(ctx, i + 1, "no"))
				f.skipme = false;
			else {
				cmd_reply_syntax_error(ctx);
				return;
			}
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	}
	for (struct conn *c = ctx->srv->clients; c != NULL; c = c->next) {
		if (!(c->flags & CONN_CLOSE_ASAP) && kill_matches(&f, c, ctx->conn)) {
			kill_conn(c, ctx->conn);
			killed++;
		}
	}
	resp_add_int(ctx->out, killed);
}

/* CLIENT NO-EVICT / NO-TOUCH on|off. */
static void
client_flag(struct cmd_ctx *ctx, unsigned flag)
{
	if (cmd_arg_is(ctx, 2, "on"))
		ctx->conn->flags |= flag;
	else if (cmd_arg_is(ctx, 2, "off"))
		ctx->conn->flags &= ~flag;
	else {
		cmd_reply_syntax_error(ctx);
		return;
	}
	cmd_reply_ok(ctx);
}

void
cmd_client_no_evict(struct cmd_ctx *ctx)
{
	client_flag(ctx, CONN_NO_EVICT);
}

void
cmd_client_no_touch(struct cmd_ctx *ctx)
{
	client_flag(ctx, CONN_NO_TOUCH);
}

void
cmd_client_help(struct cmd_ctx *ctx)
{
	static const char *const lines[] = {
		"GETNAME",
		"    Return the name of the current connection.",
		"ID",
		"    Return the ID of the current connection.",
		"INFO",
		"    Return information about the current client connection.",
		"KILL <ip:port>",
		"    Kill connection made from <ip:port>.",
		"KILL <option> <value> [<option> <value> [...]]",
		"    Kill connections. Options are:",
		"    * ADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made from the specified address",
		"    * LADDR (<ip:port>|<unixsocket>:0)",
		"      Kill connections made to specified local address",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Kill connections by type.",
		"    * USER <username>",
		"      Kill connections authenticated by <username>.",
		"    * SKIPME (YES|NO)",
		"      Skip killing current connection (default: yes).",
		"    * ID <client-id>",
		"      Kill connections by client id.",
		"LIST [options ...]",
		"    Return information about client connections. Options:",
		"    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
		"      Return clients of specified type.",
		"NO-EVICT (ON|OFF)",
		"    Protect current client connection from eviction.",
		"NO-TOUCH (ON|OFF)",
		"    Will not touch LRU/LFU stats when this mode is on.",
		"SETNAME <name>",
		"    Assign the name <name> to the current connection.",
		NULL,
	};

	cmd_reply_help(ctx, lines);
}
