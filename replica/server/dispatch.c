/*
 * dispatch.c: from argv to a handler. The one place that applies the command table's rules,
 * in redis-server's order: lookup (unknown command or subcommand), arity, authentication,
 * then the right to write. Handlers run only after every check passed.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/store.h"

#define ERR_NOAUTH	"NOAUTH Authentication required."
#define ERR_READONLY	"READONLY You can't write against a read only replica."
#define ERR_BUSY	"BUSY Redis is busy running a script. You can only call SCRIPT KILL or " \
			"SHUTDOWN NOSAVE."

/*
 * Answers a command refused before it ran, with msg the whole error ("ERR ...", "NOAUTH ...").
 * As in Redis, a refused EXEC discards the transaction and says why in an EXECABORT error
 * (without msg's "ERR " code); any other refusal marks an open transaction as failed.
 */
static void
reject(struct conn *c, const struct cmd_def *def, const char *msg, size_t len)
{
	if (def != NULL && def->proc == cmd_exec) {
		char buf[600];
		int n;

		if (len >= 4 && memcmp(msg, "ERR ", 4) == 0) {
			msg += 4;
			len -= 4;
		}
		n = snprintf(buf, sizeof(buf), "EXECABORT Transaction discarded because of: %.*s",
		    (int)len, msg);
		if (n >= (int)sizeof(buf))
			n = sizeof(buf) - 1;
		multi_reset(c);
		resp_add_error(&c->out, buf, (size_t)n);
	} else {
		multi_flag_error(c);
		resp_add_error(&c->out, msg, len);
	}
	c->srv->stats.error_replies++;
	reply_check_limits(c, server_time_ms());
}

/* Length of an argument as printf's "%.*s" would print it (up to a NUL), at most max. */
static int
c_len(const struct resp_arg *a, size_t max)
{
	size_t n = cmd_arg_cstrlen(a);

	return (int)(n < max ? n : max);
}

static void
reply_unknown(struct conn *c, struct resp_arg *argv, int argc, const struct cmd_def *container)
{
	char msg[512];
	int n;

	if (container != NULL) {
		char upper[64];
		int len = c_len(&argv[0], sizeof(upper) - 1);

		for (int i = 0; i < len; i++)
			upper[i] = (char)toupper((unsigned char)argv[0].ptr[i]);
		upper[len] = '\0';
		n = snprintf(msg, sizeof(msg), "ERR unknown subcommand '%.*s'. Try %s HELP.",
		    c_len(&argv[1], 128), argv[1].ptr, upper);
	} else {
		size_t args = 0;
		char list[300];

		list[0] = '\0';
		for (int i = 1; i < argc && args < 128; i++)
			args += (size_t)snprintf(list + args, sizeof(list) - args, "'%.*s' ",
			    c_len(&argv[i], 128 - args), argv[i].ptr);
		n = snprintf(msg, sizeof(msg),
		    "ERR unknown command '%.*s', with args beginning with: %s",
		    c_len(&argv[0], 128), argv[0].ptr, list);
	}
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	reject(c, NULL, msg, (size_t)n);
}

void
server_dispatch(struct conn *c, struct resp_arg *argv, int argc)
{
	struct server *srv = c->srv;
	const struct cmd_def *container, *def;
	struct cmd_ctx ctx;

	def = cmd_lookup(argv, argc, &container);
	if (def == NULL) {
		reply_unknown(c, argv, argc, container);
		return;
	}
	c->last_cmd = def;
	if (!cmd_arity_ok(def, argc)) {
		char msg[128];
		int n = snprintf(msg, sizeof(msg), "ERR wrong number of arguments for '%s' command",
		    def->fullname);

		reject(c, def, msg, (size_t)n);
		return;
	}
	if (!(c->flags & CONN_AUTHED) && !(def->flags & CMD_NO_AUTH)) {
		reject(c, def, ERR_NOAUTH, sizeof(ERR_NOAUTH) - 1);
		return;
	}
	if ((def->flags & CMD_WRITE) && srv->cfg->replica_read_only) {
		reject(c, def, ERR_READONLY, sizeof(ERR_READONLY) - 1);
		return;
	}
	/* While a script runs long, only what may run beside it (SCRIPT KILL, AUTH, MULTI...). */
	if (srv->script_busy && !(def->flags & CMD_ALLOW_BUSY)) {
		reject(c, def, ERR_BUSY, sizeof(ERR_BUSY) - 1);
		return;
	}
	if (srv->script_busy && def->proc == cmd_exec) {
		/* Redis would run the queue inside the script; here the transaction waits, intact,
		 * for an EXEC after the script. */
		resp_add_error(&c->out, ERR_BUSY, sizeof(ERR_BUSY) - 1);
		srv->stats.error_replies++;
		return;
	}
	if (multi_active(c)) {
		if (def->flags & CMD_NO_MULTI) {
			static const char nomulti[] = "ERR Command not allowed inside a transaction";

			reject(c, def, nomulti, sizeof(nomulti) - 1);
			return;
		}
		if (def->proc != cmd_exec && def->proc != cmd_discard && def->proc != cmd_multi &&
		    def->proc != cmd_watch && def->proc != cmd_quit && def->proc != cmd_reset) {
			multi_queue(c, def, argv, argc);
			reply_check_limits(c, server_time_ms());
			return;
		}
	}

	ctx.srv = srv;
	ctx.conn = c;
	ctx.argv = argv;
	ctx.argc = argc;
	ctx.out = &c->out;
	ctx.now_ms = server_time_ms();
	ctx.db = store_db(srv->store, (unsigned)c->db);
	ctx.dbnum = &c->db;
	ctx.flags = 0;
	for (int i = 0; i < argc; i++)
		c->argv_mem += argv[i].len;
	def->proc(&ctx);
	c->argv_mem = 0;
	srv->stats.commands_processed++;
	srv->cmd_calls[def->id]++;
	reply_check_limits(c, ctx.now_ms);
}
