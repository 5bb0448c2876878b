/*
 * bench_lua: benchmarks of the Lua engine (lua/script.c) through the scripting commands
 * (replica/commands/cmd_script.c), as a client's EVAL/EVALSHA runs them minus the socket:
 * the command handler, the cached script's run, redis.call through the command table into
 * storage, the reply converted into Lua values and the script's result back into RESP.
 *
 *   BenchmarkLuaEvalsha/return_1     the fixed cost of a run (KEYS/ARGV set-up, pcall, reply)
 *   BenchmarkLuaEvalsha/get          return redis.call('GET', KEYS[1]) on a 16-byte value
 *   BenchmarkLuaEvalsha/hgetall_10   return redis.call('HGETALL', KEYS[1]): 20-element array
 *                                    read into a Lua table and written back
 *   BenchmarkLuaEvalsha/loop_100_get 100 redis.call('GET') per run, summing the lengths
 *   BenchmarkLuaEval/cached          EVAL of a cached body (SHA-1 of the body + lookup + run)
 *   BenchmarkLuaScriptLoad/new       SCRIPT LOAD of a new body each time (SHA-1 + compile)
 *
 * Allocations per op count Lua's own (its allocator goes through storage/base/mem.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "lua/script.h"
#include "replica/commands/cmd.h"
#include "replica/config.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/store.h"
#include "storage/t_string.h"

static struct server srv;
static struct config cfg;
static struct resp_out out;
static bool ready;

static struct resp_arg
arg(const char *s)
{
	struct resp_arg a = { (char *)s, strlen(s) };

	return a;
}

/* Runs handler over argv once, into out (reset first). */
static void
run_cmd(cmd_proc proc, struct resp_arg *argv, int argc)
{
	int dbnum = 0;
	struct cmd_ctx ctx = {
		.srv = &srv, .conn = NULL, .argv = argv, .argc = argc, .out = &out,
		.now_ms = 0, .db = store_db(srv.store, 0), .dbnum = &dbnum, .flags = 0,
	};

	out.len = 0;
	proc(&ctx);
}

static void
setup(void)
{
	struct db *db;

	if (ready)
		return;
	ready = true;
	cfg_init(&cfg);
	srv.cfg = &cfg;
	cmd_table_init();
	srv.store = store_new(STORE_DEFAULT_DBS, 1);
	srv.cmd_calls = xcalloc(cmd_table_size(), sizeof *srv.cmd_calls);
	cmd_script_init(&srv);
	db = store_db(srv.store, 0);
	tstr_set(db, "str", 3, "0123456789abcdef", 16, OBJ_NO_EXPIRE, 0);
	out.buf = xmalloc(16384);
	out.cap = 16384;
	out.proto = 2;
	out.make_room = resp_out_grow;
	{
		/* Written through HSET, as the primary's stream writes it. */
		static const char *const hset[] = {
			"HSET", "hash", "field:0", "v0", "field:1", "v1", "field:2", "v2", "field:3",
			"v3", "field:4", "v4", "field:5", "v5", "field:6", "v6", "field:7", "v7",
			"field:8", "v8", "field:9", "v9",
		};
		struct resp_arg argv[22];

		for (int i = 0; i < 22; i++)
			argv[i] = arg(hset[i]);
		run_cmd(cmd_hset, argv, 22);
	}
}

/* Loads body and returns its SHA-1 (checks that the script answers expect first). */
static void
load(const char *body, char sha[41], const char *expect)
{
	struct resp_arg argv[3] = { arg("SCRIPT"), arg("LOAD"), arg(body) };
	struct resp_arg ev[4];

	run_cmd(cmd_script_load, argv, 3);
	if (out.len < 46 || out.buf[0] != '$') {
		fprintf(stderr, "SCRIPT LOAD failed: %.*s\n", (int)out.len, out.buf);
		abort();
	}
	memcpy(sha, out.buf + 5, 40);
	sha[40] = '\0';
	ev[0] = arg("EVALSHA");
	ev[1] = arg(sha);
	ev[2] = arg("1");
	ev[3] = arg(strstr(body, "HGETALL") != NULL ? "hash" : "str");
	run_cmd(cmd_evalsha, ev, 4);
	if (out.len < strlen(expect) || memcmp(out.buf, expect, strlen(expect)) != 0) {
		fprintf(stderr, "unexpected reply for %s: %.*s\n", body, (int)out.len, out.buf);
		abort();
	}
}

static void
bench_evalsha(struct bench *b, const char *body, const char *key, const char *expect)
{
	char sha[41];
	struct resp_arg ev[4];

	setup();
	load(body, sha, expect);
	ev[0] = arg("EVALSHA");
	ev[1] = arg(sha);
	ev[2] = arg("1");
	ev[3] = arg(key);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		run_cmd(cmd_evalsha, ev, 4);
}

static void
bench_return_1(struct bench *b)
{
	bench_evalsha(b, "return 1", "str", ":1\r\n");
}

static void
bench_get(struct bench *b)
{
	bench_evalsha(b, "return redis.call('GET', KEYS[1])", "str", "$16\r\n0123456789abcdef");
}

static void
bench_hgetall(struct bench *b)
{
	bench_evalsha(b, "return redis.call('HGETALL', KEYS[1])", "hash", "*20\r\n");
}

static void
bench_loop_get(struct bench *b)
{
	bench_evalsha(b, "local n = 0 for i = 1, 100 do n = n + #redis.call('GET', KEYS[1]) end "
	    "return n", "str", ":1600\r\n");
}

static void
bench_eval_cached(struct bench *b)
{
	static const char body[] = "return redis.call('GET', KEYS[1])";
	struct resp_arg ev[4] = { arg("EVAL"), arg(body), arg("1"), arg("str") };

	setup();
	run_cmd(cmd_eval, ev, 4);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		run_cmd(cmd_eval, ev, 4);
}

static void
bench_script_load_new(struct bench *b)
{
	char body[96];
	struct resp_arg argv[3] = { arg("SCRIPT"), arg("LOAD"), { body, 0 } };
	static uint64_t serial;

	setup();
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		argv[2].len = (size_t)snprintf(body, sizeof body,
		    "local n = %llu return redis.call('GET', KEYS[1]) .. n",
		    (unsigned long long)serial++);
		run_cmd(cmd_script_load, argv, 3);
		if ((i & 4095) == 4095) {
			/* Keep the cache (and Lua's registry) from growing without bound. */
			bench_stop_timer(b);
			script_flush(srv.scripts);
			bench_start_timer(b);
		}
	}
}

static const struct bench_def benches[] = {
	{ "BenchmarkLuaEvalsha/return_1", bench_return_1 },
	{ "BenchmarkLuaEvalsha/get", bench_get },
	{ "BenchmarkLuaEvalsha/hgetall_10", bench_hgetall },
	{ "BenchmarkLuaEvalsha/loop_100_get", bench_loop_get },
	{ "BenchmarkLuaEval/cached", bench_eval_cached },
	{ "BenchmarkLuaScriptLoad/new", bench_script_load_new },
};

int
main(int argc, char **argv)
{
	int rc = bench_main(argc, argv, benches, sizeof benches / sizeof benches[0]);

	if (ready) {
		cmd_script_free(&srv);
		store_free(srv.store);
		xfree(srv.cmd_calls);
		cmd_table_free();
		cfg_free(&cfg);
		xfree(out.buf);
	}
	return rc;
}
