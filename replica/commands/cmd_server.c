/*
 * cmd_server.c: server commands: CONFIG, INFO, TIME, DBSIZE, ROLE, LASTSAVE.
 */
#include <stdio.h>
#include <string.h>

#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/match.h"
#include "storage/store.h"

void
cmd_config_get(struct cmd_ctx *ctx)
{
	size_t n = cfg_count(), found = 0;
	/* Per option: 0 = not asked for, else 1 + the argument that named it exactly (Redis
	 * echoes an exact name in the case it was given) or 1 + argc for a pattern match. */
	int *hit = xcalloc(n, sizeof(*hit));
	char small[256];

	for (int a = 2; a < ctx->argc; a++) {
		const struct resp_arg *pat = &ctx->argv[a];
		struct glob g;

		/* As Redis: a name without '[', '*' or '?' is looked up, not matched. */
		if (memchr(pat->ptr, '[', pat->len) == NULL && memchr(pat->ptr, '*', pat->len) == NULL &&
		    memchr(pat->ptr, '?', pat->len) == NULL) {
			char name[128];
			int i;

			if (pat->len >= sizeof(name) || memchr(pat->ptr, '\0', pat->len) != NULL)
				continue;
			memcpy(name, pat->ptr, pat->len);
			name[pat->len] = '\0';
			i = cfg_lookup(name);
			if (i >= 0 && !hit[i]) {
				hit[i] = 1 + a;
				found++;
			}
			continue;
		}
		glob_compile(&g, pat->ptr, pat->len, true);
		for (size_t i = 0; i < n; i++) {
			const char *name = cfg_name(i);

			if (!hit[i] && glob_match(&g, name, strlen(name))) {
				hit[i] = 1 + ctx->argc;
				found++;
			}
		}
	}
	resp_add_map(ctx->out, found);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		char *val = small;

		if (!hit[i])
			continue;
		len = cfg_get(ctx->srv->cfg, i, small, sizeof(small));
		if (len >= sizeof(small)) {
			val = xmalloc(len + 1);
			cfg_get(ctx->srv->cfg, i, val, len + 1);
		}
		if (hit[i] - 1 < ctx->argc)
			resp_add_bulk(ctx->out, ctx->argv[hit[i] - 1].ptr, ctx->argv[hit[i] - 1].len);
		else
			resp_add_bulk(ctx->out, cfg_name(i), strlen(cfg_name(i)));
		resp_add_bulk(ctx->out, val, len);
		if (val != small)
			xfree(val);
	}
	xfree(hit);
}

void
cmd_config_resetstat(struct cmd_ctx *ctx)
{
	struct server *srv = ctx->srv;

	memset(&srv->stats, 0, sizeof(srv->stats));
	memset(srv->cmd_calls, 0, cmd_table_size() * sizeof(*srv->cmd_calls));
	cmd_reply_ok(ctx);
}

void
cmd_config_help(struct cmd_ctx *ctx)
{
	static const char *const lines[] = {
		"GET <pattern>",
		"    Return parameters matching the glob-like <pattern> and their values.",
		"RESETSTAT",
		"    Reset statistics reported by the INFO command.",
		NULL,
	};

	cmd_reply_help(ctx, lines);
}

void
cmd_info(struct cmd_ctx *ctx)
{
	char *text;
	size_t len;

	server_info(ctx->srv, ctx->argv + 1, ctx->argc - 1, &text, &len);
	resp_add_verbatim(ctx->out, "txt", text, len);
	xfree(text);
}

void
cmd_time(struct cmd_ctx *ctx)
{
	int64_t us = server_time_us();

	resp_add_array(ctx->out, 2);
	resp_add_bulk_i64(ctx->out, us / 1000000);
	resp_add_bulk_i64(ctx->out, us % 1000000);
}

void
cmd_dbsize(struct cmd_ctx *ctx)
{
	resp_add_int(ctx->out, (int64_t)store_db_size(ctx->db));
}

void
cmd_role(struct cmd_ctx *ctx)
{
	const struct config *cfg = ctx->srv->cfg;

	if (cfg->replicaof_host == NULL) {
		resp_add_array(ctx->out, 3);
		resp_add_bulk(ctx->out, "master", 6);
		resp_add_int(ctx->out, 0);
		resp_add_array(ctx->out, 0);
		return;
	}
	/* Following a primary: replication is not connected yet, so the state is "connect". */
	resp_add_array(ctx->out, 5);
	resp_add_bulk(ctx->out, "slave", 5);
	resp_add_bulk(ctx->out, cfg->replicaof_host, strlen(cfg->replicaof_host));
	resp_add_int(ctx->out, cfg->replicaof_port);
	resp_add_bulk(ctx->out, "connect", 7);
	resp_add_int(ctx->out, -1);
}

void
cmd_lastsave(struct cmd_ctx *ctx)
{
	resp_add_int(ctx->out, ctx->srv->lastsave);
}
