/*
 * cmd_command.c: COMMAND and its subcommands, generated from the command table, so clients,
 * proxies and redis-cli see each command's arity, flags, key positions and ACL categories.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/match.h"

static const struct {
	uint32_t bit;
	const char *name;
} flag_names[] = {
	{ CMD_WRITE, "write" }, { CMD_READONLY, "readonly" }, { CMD_DENYOOM, "denyoom" },
	{ CMD_ADMIN, "admin" }, { CMD_PUBSUB, "pubsub" }, { CMD_NOSCRIPT, "noscript" },
	{ CMD_BLOCKING, "blocking" }, { CMD_LOADING, "loading" }, { CMD_STALE, "stale" },
	{ CMD_SKIP_MONITOR, "skip_monitor" }, { CMD_SKIP_SLOWLOG, "skip_slowlog" },
	{ CMD_FAST, "fast" }, { CMD_NO_AUTH, "no_auth" }, { CMD_MAY_REPLICATE, "may_replicate" },
	{ CMD_SENTINEL, "sentinel" }, { CMD_NO_MANDATORY_KEYS, "no_mandatory_keys" },
	{ CMD_PROTECTED, "protected" }, { CMD_NO_ASYNC_LOADING, "no_async_loading" },
	{ CMD_NO_MULTI, "no_multi" }, { CMD_ALLOW_BUSY, "allow_busy" },
	{ CMD_MOVABLEKEYS, "movablekeys" },	/* Redis lists it after the others */
};

/* In Redis' ACL category order, which is the order COMMAND INFO lists them in. */
static const struct {
	uint32_t bit;
	const char *name;
} acl_names[] = {
	{ ACL_KEYSPACE, "keyspace" }, { ACL_READ, "read" }, { ACL_WRITE, "write" },
	{ ACL_SET, "set" }, { ACL_SORTEDSET, "sortedset" }, { ACL_LIST, "list" },
	{ ACL_HASH, "hash" }, { ACL_STRING, "string" }, { ACL_BITMAP, "bitmap" },
	{ ACL_HYPERLOGLOG, "hyperloglog" }, { ACL_GEO, "geo" }, { ACL_STREAM, "stream" },
	{ ACL_PUBSUB, "pubsub" }, { ACL_ADMIN, "admin" }, { ACL_FAST, "fast" },
	{ ACL_SLOW, "slow" }, { ACL_BLOCKING, "blocking" }, { ACL_DANGEROUS, "dangerous" },
	{ ACL_CONNECTION, "connection" }, { ACL_TRANSACTION, "transaction" },
	{ ACL_SCRIPTING, "scripting" },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
add_cstr(struct resp_out *o, const char *s)
{
	resp_add_bulk(o, s, strlen(s));
}

/* Counts the space-separated words of s (NULL counts as none). */
static size_t
count_words(const char *s)
{
	size_t n = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (*s != ' ' && (s[1] == ' ' || s[1] == '\0'))
			n++;
	return n;
}

/* Emits each space-separated word of s as a simple string (status) or a bulk string. */
static void
add_words(struct resp_out *o, const char *s, bool status)
{
	while (s != NULL && *s != '\0') {
		size_t n = strcspn(s, " ");

		if (status)
			resp_add_simple(o, s, n);
		else
			resp_add_bulk(o, s, n);
		s += n;
		s += strspn(s, " ");
	}
}

static void
add_key_spec(struct resp_out *o, const struct cmd_keyspec *ks)
{
	resp_add_map(o, ks->notes != NULL ? 4 : 3);
	if (ks->notes != NULL) {
		add_cstr(o, "notes");
		add_cstr(o, ks->notes);
	}
	add_cstr(o, "flags");
	resp_add_set(o, count_words(ks->flags));
	add_words(o, ks->flags, true);
	add_cstr(o, "begin_search");
	resp_add_map(o, 2);
	add_cstr(o, "type");
	switch (ks->begin) {
	case CMD_KS_INDEX:
		add_cstr(o, "index");
		add_cstr(o, "spec");
		resp_add_map(o, 1);
		add_cstr(o, "index");
		resp_add_int(o, ks->index);
		break;
	case CMD_KS_KEYWORD:
		add_cstr(o, "keyword");
		add_cstr(o, "spec");
		resp_add_map(o, 2);
		add_cstr(o, "keyword");
		add_cstr(o, ks->keyword);
		add_cstr(o, "startfrom");
		resp_add_int(o, ks->startfrom);
		break;
	case CMD_KS_BEGIN_UNKNOWN:
		add_cstr(o, "unknown");
		add_cstr(o, "spec");
		resp_add_map(o, 0);
		break;
	}
	add_cstr(o, "find_keys");
	resp_add_map(o, 2);
	add_cstr(o, "type");
	switch (ks->find) {
	case CMD_KS_RANGE:
		add_cstr(o, "range");
		add_cstr(o, "spec");
		resp_add_map(o, 3);
		add_cstr(o, "lastkey");
		resp_add_int(o, ks->lastkey);
		add_cstr(o, "keystep");
		resp_add_int(o, ks->keystep);
		add_cstr(o, "limit");
		resp_add_int(o, ks->limit);
		break;
	case CMD_KS_KEYNUM:
		add_cstr(o, "keynum");
		add_cstr(o, "spec");
		resp_add_map(o, 3);
		add_cstr(o, "keynumidx");
		resp_add_int(o, ks->keynumidx);
		add_cstr(o, "firstkey");
		resp_add_int(o, ks->firstkey);
		add_cstr(o, "keystep");
		resp_add_int(o, ks->keystep);
		break;
	case CMD_KS_FIND_UNKNOWN:
		add_cstr(o, "unknown");
		add_cstr(o, "spec");
		resp_add_map(o, 0);
		break;
	}
}

static void
add_key_specs(struct resp_out *o, const struct cmd_def *d)
{
	resp_add_set(o, d->nspecs);
	for (size_t i = 0; i < d->nspecs; i++)
		add_key_spec(o, &d->specs[i]);
}

static void
add_command_info(struct resp_out *o, const struct cmd_def *d)
{
	uint32_t acl = cmd_acl_categories(d);
	size_t n = 0;

	resp_add_array(o, 10);
	add_cstr(o, d->fullname);
	resp_add_int(o, d->arity);
	for (size_t i = 0; i < NELEM(flag_names); i++)
		n += (d->flags & flag_names[i].bit) != 0;
	resp_add_set(o, n);
	for (size_t i = 0; i < NELEM(flag_names); i++)
		if (d->flags & flag_names[i].bit)
			resp_add_simple(o, flag_names[i].name, strlen(flag_names[i].name));
	resp_add_int(o, d->first_key);
	resp_add_int(o, d->last_key);
	resp_add_int(o, d->key_step);
	/* A container (no handler of its own) shows only @slow, as Redis does. */
	if (d->proc == NULL)
		acl = ACL_SLOW;
	n = 0;
	for (size_t i = 0; i < NELEM(acl_names); i++)
		n += (acl & acl_names[i].bit) != 0;
	resp_add_set(o, n);
	for (size_t i = 0; i < NELEM(acl_names); i++) {
		if (acl & acl_names[i].bit) {
			char buf[32];
			int len = snprintf(buf, sizeof(buf), "@%s", acl_names[i].name);

			resp_add_simple(o, buf, (size_t)len);
		}
	}
	resp_add_set(o, count_words(d->tips));
	add_words(o, d->tips, false);
	add_key_specs(o, d);
	/* Redis: an empty set when there are none, else an array (a plain array in RESP2). */
	if (d->nsubs == 0)
		resp_add_set(o, 0);
	else
		resp_add_array(o, d->nsubs);
	for (size_t i = 0; i < d->nsubs; i++)
		add_command_info(o, d->subs[i]);
}

static size_t
count_top_level(void)
{
	size_t n = 0;

	for (size_t i = 0; i < cmd_table_size(); i++)
		n += cmd_table_row(i)->parent == NULL;
	return n;
}

void
cmd_command(struct cmd_ctx *ctx)
{
	resp_add_array(ctx->out, count_top_level());
	for (size_t i = 0; i < cmd_table_size(); i++)
		if (cmd_table_row(i)->parent == NULL)
			add_command_info(ctx->out, cmd_table_row(i));
}

void
cmd_command_count(struct cmd_ctx *ctx)
{
	resp_add_int(ctx->out, (int64_t)count_top_level());
}

/* Finds "name" or "container|sub" as COMMAND INFO and DOCS take them. */
static const struct cmd_def *
find_by_fullname(const struct resp_arg *a)
{
	const char *bar = memchr(a->ptr, '|', a->len);
	const struct cmd_def *d;

	if (bar == NULL)
		return cmd_find(a->ptr, a->len);
	d = cmd_find(a->ptr, (size_t)(bar - a->ptr));
	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < d->nsubs; i++) {
		size_t n = a->len - (size_t)(bar - a->ptr) - 1;

		if (strncasecmp(d->subs[i]->name, bar + 1, n) == 0 && d->subs[i]->name[n] == '\0')
			return d->subs[i];
	}
	return NULL;
}

void
cmd_command_info(struct cmd_ctx *ctx)
{
	if (ctx->argc == 2) {
		cmd_command(ctx);
		return;
	}
	resp_add_array(ctx->out, (size_t)(ctx->argc - 2));
	for (int i = 2; i < ctx->argc; i++) {
		const struct cmd_def *d = find_by_fullname(&ctx->argv[i]);

		if (d != NULL)
			add_command_info(ctx->out, d);
		else
			resp_add_null(ctx->out);
	}
}

static void
add_command_docs(struct resp_out *o, const struct cmd_def *d)
{
	add_cstr(o, d->fullname);
	resp_add_map(o, d->nsubs ? 4 : 3);
	add_cstr(o, "summary");
	add_cstr(o, d->summary);
	add_cstr(o, "since");
	add_cstr(o, d->since);
	add_cstr(o, "group");
	add_cstr(o, d->group);
	if (d->nsubs) {
		add_cstr(o, "subcommands");
		resp_add_map(o, d->nsubs);
		for (size_t i = 0; i < d->nsubs; i++)
			add_command_docs(o, d->subs[i]);
	}
}

void
cmd_command_docs(struct cmd_ctx *ctx)
{
	size_t n = 0;

	if (ctx->argc == 2) {
		resp_add_map(ctx->out, count_top_level());
		for (size_t i = 0; i < cmd_table_size(); i++)
			if (cmd_table_row(i)->parent == NULL)
				add_command_docs(ctx->out, cmd_table_row(i));
		return;
	}
	for (int i = 2; i < ctx->argc; i++)
		n += find_by_fullname(&ctx->argv[i]) != NULL;
	resp_add_map(ctx->out, n);
	for (int i = 2; i < ctx->argc; i++) {
		const struct cmd_def *d = find_by_fullname(&ctx->argv[i]);

		if (d != NULL)
			add_command_docs(ctx->out, d);
	}
}

static bool
acl_category_bit(const struct resp_arg *a, uint32_t *bit)
{
	for (size_t i = 0; i < NELEM(acl_names); i++) {
		if (strlen(acl_names[i].name) == a->len &&
		    strncasecmp(acl_names[i].name, a->ptr, a->len) == 0) {
			*bit = acl_names[i].bit;
			return true;
		}
	}
	return false;
}

/* COMMAND LIST's filter: which rows it keeps. */
struct list_filter {
	enum { ALL, NONE, ACLCAT, PATTERN } kind;
	uint32_t cat;
	struct glob g;
};

static bool
list_keeps(const struct list_filter *f, const struct cmd_def *d)
{
	switch (f->kind) {
	case ALL:
		return true;
	case NONE:
		return false;
	case ACLCAT:
		return (cmd_acl_categories(d) & f->cat) != 0;
	case PATTERN:
		return glob_match(&f->g, d->fullname, strlen(d->fullname));
	}
	return false;
}

void
cmd_command_list(struct cmd_ctx *ctx)
{
	struct list_filter f = { .kind = ALL };
	size_t n = 0;

	if (ctx->argc == 5 && cmd_arg_is(ctx, 2, "FILTERBY")) {
		if (cmd_arg_is(ctx, 3, "MODULE")) {
			f.kind = NONE;		/* no command comes from a module */
		} else if (cmd_arg_is(ctx, 3, "ACLCAT")) {
			/* An unknown category matches nothing. */
			f.kind = acl_category_bit(&ctx->argv[4], &f.cat) ? ACLCAT : NONE;
		} else if (cmd_arg_is(ctx, 3, "PATTERN")) {
			f.kind = PATTERN;
			glob_compile(&f.g, ctx->argv[4].ptr, ctx->argv[4].len, true);
		} else {
			cmd_reply_syntax_error(ctx);
			return;
		}
	} else if (ctx->argc != 2) {
		cmd_reply_syntax_error(ctx);
		return;
	}
	/* Two passes, so the reply needs no buffer however many rows the table has. */
	for (size_t i = 0; i < cmd_table_size(); i++)
		n += list_keeps(&f, cmd_table_row(i));
	resp_add_array(ctx->out, n);
	for (size_t i = 0; i < cmd_table_size(); i++)
		if (list_keeps(&f, cmd_table_row(i)))
			add_cstr(ctx->out, cmd_table_row(i)->fullname);
}

void
cmd_command_getkeys(struct cmd_ctx *ctx)
{
	const struct cmd_def *container, *d;
	struct resp_arg *argv = ctx->argv + 2;
	int argc = ctx->argc - 2, n, small[16], *pos = small;
	bool has_keys = false;

	d = cmd_lookup(argv, argc, &container);
	if (d == NULL) {
		cmd_reply_error(ctx, "ERR Invalid command specified");
		return;
	}
	for (size_t i = 0; i < d->nspecs; i++)
		has_keys |= strstr(d->specs[i].flags, "not_key") == NULL;
	if (!has_keys) {
		cmd_reply_error(ctx, "ERR The command has no key arguments");
		return;
	}
	if (!cmd_arity_ok(d, argc)) {
		cmd_reply_error(ctx, "ERR Invalid number of arguments specified for command");
		return;
	}
	n = cmd_get_keys(d, argv, argc, small, (int)NELEM(small));
	if (n > (int)NELEM(small)) {
		pos = xmalloc((size_t)n * sizeof *pos);
		cmd_get_keys(d, argv, argc, pos, n);
	}
	if (n <= 0) {
		cmd_reply_error(ctx, "ERR Invalid arguments specified for command");
	} else {
		resp_add_array(ctx->out, (size_t)n);
		for (int i = 0; i < n; i++)
			resp_add_bulk(ctx->out, argv[pos[i]].ptr, argv[pos[i]].len);
	}
	if (pos != small)
		xfree(pos);
}

void
cmd_command_help(struct cmd_ctx *ctx)
{
	static const char *const lines[] = {
		"(no subcommand)",
		"    Return details about all Redis commands.",
		"COUNT",
		"    Return the total number of commands in this Redis server.",
		"LIST",
		"    Return a list of all commands in this Redis server.",
		"INFO [<command-name> ...]",
		"    Return details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"DOCS [<command-name> ...]",
		"    Return documentation details about multiple Redis commands.",
		"    If no command names are given, documentation details for all",
		"    commands are returned.",
		"GETKEYS <full-command>",
		"    Return the keys from a full Redis command.",
		NULL,
	};

	cmd_reply_help(ctx, lines);
}
