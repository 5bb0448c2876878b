/*
 * args.c: argument helpers for handlers. Each parser answers with Redis' exact error text on
 * failure, so no handler formats a number error by hand.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

bool
cmd_arg_i64(struct cmd_ctx *ctx, int i, int64_t *out)
{
	if (num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, out))
		return true;
	cmd_reply_error(ctx, "ERR value is not an integer or out of range");
	return false;
}

bool
cmd_arg_i64_range(struct cmd_ctx *ctx, int i, int64_t min, int64_t max, const char *msg,
    int64_t *out)
{
	if (!num_parse_i64(ctx->argv[i].ptr, ctx->argv[i].len, out)) {
		cmd_reply_error(ctx, "%s", msg != NULL ? msg :
		    "ERR value is not an integer or out of range");
		return false;
	}
	if (*out < min || *out > max) {
		if (msg != NULL)
			cmd_reply_error(ctx, "%s", msg);
		else
			cmd_reply_error(ctx, "ERR value is out of range, value must between %lld and "
			    "%lld", (long long)min, (long long)max);
		return false;
	}
	return true;
}

bool
cmd_parse_double(const struct resp_arg *a, double *out)
{
	char stack[128], *buf = a->len < sizeof stack ? stack : xmalloc(a->len + 1);
	char *end;
	bool ok;

	memcpy(buf, a->ptr, a->len);
	buf[a->len] = '\0';
	errno = 0;
	*out = strtod(buf, &end);
	ok = a->len > 0 && !isspace((unsigned char)buf[0]) && (size_t)(end - buf) == a->len &&
	    !(errno == ERANGE && (*out == HUGE_VAL || *out == -HUGE_VAL || *out == 0)) &&
	    !isnan(*out);
	if (buf != stack)
		xfree(buf);
	return ok;
}

size_t
cmd_arg_cstrlen(const struct resp_arg *a)
{
	const char *nul = memchr(a->ptr, '\0', a->len);

	return nul ? (size_t)(nul - a->ptr) : a->len;
}

bool
cmd_word_is(const struct resp_arg *a, const char *word)
{
	size_t n = strlen(word);

	return cmd_arg_cstrlen(a) == n && strncasecmp(a->ptr, word, n) == 0;
}

bool
cmd_arg_is(const struct cmd_ctx *ctx, int i, const char *word)
{
	return cmd_word_is(&ctx->argv[i], word);
}

void
cmd_reply_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n >= (int)sizeof(msg))
		n = sizeof(msg) - 1;
	resp_add_error(ctx->out, msg, (size_t)n);
}

void
cmd_reply_syntax_error(struct cmd_ctx *ctx)
{
	resp_add_const(ctx->out, "-ERR syntax error\r\n");
}

void
cmd_reply_ok(struct cmd_ctx *ctx)
{
	resp_add_const(ctx->out, RESP_C_OK);
}

void
cmd_reply_help(struct cmd_ctx *ctx, const char *const *lines)
{
	static const char *const tail[] = { "HELP", "    Prints this help." };
	const char *name = ctx->argv[0].ptr;
	char first[128];
	size_t n = 0;
	int len;

	while (lines[n] != NULL)
		n++;
	len = snprintf(first, sizeof(first), "%.*s <subcommand> [<arg> [value] [opt] ...]. "
	    "Subcommands are:", (int)ctx->argv[0].len, name);
	for (int i = 0; i < len && first[i] != ' '; i++)
		if (first[i] >= 'a' && first[i] <= 'z')
			first[i] = (char)(first[i] - 'a' + 'A');
	resp_add_array(ctx->out, n + 3);
	resp_add_simple(ctx->out, first, (size_t)len);
	for (size_t i = 0; i < n; i++)
		resp_add_simple(ctx->out, lines[i], strlen(lines[i]));
	for (size_t i = 0; i < 2; i++)
		resp_add_simple(ctx->out, tail[i], strlen(tail[i]));
}
