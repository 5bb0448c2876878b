/*
 * check_script: the Lua engine (lua/script.c) on its own, with a host whose redis.call answers
 * what the test sets: the conversions of every reply type into Lua and back, errors raised and
 * caught, the script cache and its shebang rules, the sandbox, math.random's sequence (the
 * first values a fresh redis-server 7.0.15 gives), and hostile replies (nesting far deeper than
 * Lua's stack) that must end in an error reply, not a crash.
 *
 * Expected replies were taken from redis-server 7.0.15 where a real command can produce the
 * same reply; test_diff_script.py compares everything else against a live server.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua/script.h"
#include "storage/base/mem.h"

/* What the fake host answers to the next redis.call, and what it was called with. */
static const char *host_reply;
static size_t host_reply_len;
static char last_argv[256];
static int host_calls;

static void
fake_call(void *run_arg, struct resp_arg *argv, int argc, struct resp_out *out)
{
	size_t n = 0;

	(void)run_arg;
	host_calls++;
	last_argv[0] = '\0';
	for (int i = 0; i < argc && n + argv[i].len + 2 < sizeof last_argv; i++) {
		memcpy(last_argv + n, argv[i].ptr, argv[i].len);
		n += argv[i].len;
		last_argv[n++] = '|';
	}
	last_argv[n] = '\0';
	resp_add_raw(out, host_reply, host_reply_len);
}

static bool
fake_exists(const struct resp_arg *argv, int argc)
{
	(void)argc;
	return argv[0].len == 3 && memcmp(argv[0].ptr, "get", 3) == 0;
}

static const struct script_host host = {
	.call = fake_call,
	.log = NULL,
	.log_level = SCRIPT_LOG_DEBUG,
	.command_exists = fake_exists,
	.version = "7.0.15",
	.version_num = 0x0007000f,
};

/* A host whose busy function kills the running script at its third call. */
static struct script_engine *busy_eng;
static int busy_calls;

static void
kill_on_third(void *run_arg)
{
	(void)run_arg;
	if (++busy_calls == 3)
		ck_assert(script_kill(busy_eng));
}

static const struct script_host busy_host = {
	.call = fake_call,
	.busy = kill_on_third,
	.log_level = SCRIPT_LOG_DEBUG,
	.command_exists = fake_exists,
	.version = "7.0.15",
	.version_num = 0x0007000f,
};

static struct script_engine *eng;
static struct resp_out out;

static void
setup(void)
{
	eng = script_engine_new(&host);
	out.buf = xmalloc(64);
	out.cap = 64;
	out.len = 0;
	out.proto = 2;
	out.make_room = resp_out_grow;
	host_calls = 0;
}

static void
teardown(void)
{
	script_engine_free(eng);
	xfree(out.buf);
}

/* Runs body (loading it) with the host answering reply; returns the reply, NUL-terminated. */
static const char *
run(const char *body, const char *reply, int proto)
{
	char err[512];
	struct script *s;

	host_reply = reply != NULL ? reply : "+OK\r\n";
	host_reply_len = strlen(host_reply);
	out.len = 0;
	out.proto = proto;
	s = script_load(eng, body, strlen(body), err, sizeof err);
	if (s == NULL) {
		resp_add_error(&out, err, strlen(err));
	} else {
		script_eval(eng, s, NULL, 0, NULL, 0, &out, NULL);
	}
	resp_add_raw(&out, "", 1);
	return out.buf;
}

static const struct {
	const char *body;
	const char *reply;	/* what redis.call returns, NULL when unused */
	int proto;
	const char *want;
} conv[] = {
	/* Lua to RESP */
	{ "return 1", NULL, 2, ":1\r\n" },
	{ "return -3.99", NULL, 2, ":-3\r\n" },
	{ "return 1e300", NULL, 2, ":-9223372036854775808\r\n" },
	{ "return 'a'", NULL, 2, "$1\r\na\r\n" },
	{ "return true", NULL, 2, ":1\r\n" },
	{ "return false", NULL, 2, "$-1\r\n" },
	{ "return false", NULL, 3, "_\r\n" },
	{ "return nil", NULL, 3, "_\r\n" },
	{ "redis.setresp(3) return false", NULL, 3, "#f\r\n" },
	{ "redis.setresp(3) return true", NULL, 2, ":1\r\n" },
	{ "return {1, 'b', {false}}", NULL, 2, "*3\r\n:1\r\n$1\r\nb\r\n*1\r\n$-1\r\n" },
	{ "return {1, nil, 3}", NULL, 2, "*1\r\n:1\r\n" },
	{ "return {ok = 'a\\r\\nb'}", NULL, 2, "+a  b\r\n" },
	{ "return {err = 'X y\\r\\n'}", NULL, 2, "-X y\r\n" },
	{ "return {double = 2.5}", NULL, 2, "$3\r\n2.5\r\n" },
	{ "return {double = 2.5}", NULL, 3, ",2.5\r\n" },
	{ "return {big_number = '12'}", NULL, 3, "(12\r\n" },
	{ "return {verbatim_string = {format = 'md', string = 'x'}}", NULL, 3, "=5\r\nmd :x\r\n" },
	{ "return {map = {a = 1}}", NULL, 2, "*2\r\n$1\r\na\r\n:1\r\n" },
	{ "return {map = {a = 1}}", NULL, 3, "%1\r\n$1\r\na\r\n:1\r\n" },
	{ "return {set = {a = true}}", NULL, 3, "~1\r\n$1\r\na\r\n" },
	/* RESP to Lua, and back */
	{ "return redis.call('x')", ":42\r\n", 2, ":42\r\n" },
	{ "return redis.call('x')", "$3\r\nabc\r\n", 2, "$3\r\nabc\r\n" },
	{ "return type(redis.call('x'))", "$-1\r\n", 2, "$7\r\nboolean\r\n" },
	{ "return type(redis.call('x'))", "*-1\r\n", 2, "$7\r\nboolean\r\n" },
	{ "return redis.call('x')['ok']", "+PONG\r\n", 2, "$4\r\nPONG\r\n" },
	{ "return redis.pcall('x')['err']", "-WRONGTYPE bad\r\n", 2, "$13\r\nWRONGTYPE bad\r\n" },
	{ "return redis.pcall('x')['err']", "-NOCODE\r\n", 2, "$10\r\nERR NOCODE\r\n" },
	{ "return redis.pcall('x')", "-E m\r\n", 2, "-E m\r\n" },
	{ "return redis.call('x')", "*2\r\n:1\r\n*1\r\n$1\r\nz\r\n", 2,
	    "*2\r\n:1\r\n*1\r\n$1\r\nz\r\n" },
	{ "return redis.call('x')['map']['k']", "%1\r\n$1\r\nk\r\n$1\r\nv\r\n", 2, "$1\r\nv\r\n" },
	{ "return tostring(redis.call('x')['set']['m'])", "~1\r\n$1\r\nm\r\n", 2, "$4\r\ntrue\r\n" },
	{ "return type(redis.call('x'))", "_\r\n", 2, "$3\r\nnil\r\n" },
	{ "return tostring(redis.call('x'))", "#t\r\n", 2, "$4\r\ntrue\r\n" },
	{ "return redis.call('x')['double'] * 2", ",1.25\r\n", 2, ":2\r\n" },
	{ "return tostring(redis.call('x')['double'])", ",inf\r\n", 2, "$3\r\ninf\r\n" },
	{ "return redis.call('x')['big_number']", "(123\r\n", 2, "$3\r\n123\r\n" },
	{ "return redis.call('x')['verbatim_string']['format']", "=7\r\ntxt:abc\r\n", 2,
	    "$3\r\ntxt\r\n" },
	{ "return redis.call('x')", "|1\r\n+a\r\n+b\r\n:7\r\n", 2, ":7\r\n" },
	/* errors */
	{ "return redis.call('x')", "-WRONGTYPE bad\r\n", 2,
	    "-WRONGTYPE bad script: 6ed4eeb0e9e5a52b8d0a7c8ba0e0c1d4c0f0c4f3" },
	{ "error('boom')", NULL, 2, "-ERR user_script:1: boom script: " },
	{ "error({})", NULL, 2, "-ERR unknown error script: " },
	{ "return 1 +", NULL, 2,
	    "-ERR Error compiling script (new function): user_script:1: unexpected symbol" },
	{ "#!lua flags=bogus\nreturn 1", NULL, 2,
	    "-ERR Unexpected flag in script shebang: bogus\r\n" },
	{ "#!lua\nerror('x')", NULL, 2, "-ERR user_script:2: x script: " },
	/* sandbox */
	{ "x = 1", NULL, 2, "-ERR user_script:1: Attempt to modify a readonly table script: " },
	{ "return nope", NULL, 2,
	    "-ERR user_script:1: Script attempted to access nonexistent global variable 'nope'" },
	{ "rawset(string, 'x', 1)", NULL, 2, "-ERR Attempt to modify a readonly table script: " },
	{ "return type(rawget(string, 'format'))", NULL, 2, "$8\r\nfunction\r\n" },
	{ "return {type(print), type(os), type(io), type(debug), type(require)}", NULL, 2,
	    "-ERR user_script:1: Script attempted to access nonexistent global variable 'print'" },
	{ "return ('abc'):upper()", NULL, 2, "$3\r\nABC\r\n" },
	{ "getmetatable('').__index.upper = nil", NULL, 2,
	    "-ERR user_script:1: Attempt to modify a readonly table script: " },
	/* the API */
	{ "return redis.sha1hex('abc')", NULL, 2,
	    "$40\r\na9993e364706816aba3e25717850c26c9cd0d89d\r\n" },
	{ "return redis.acl_check_cmd('get')", NULL, 2, ":1\r\n" },
	{ "return redis.acl_check_cmd('nosuch')", NULL, 2,
	    "-ERR Invalid command passed to redis.acl_check_cmd() script: " },
	{ "return redis.setresp(5)", NULL, 2, "-ERR RESP version must be 2 or 3. script: " },
	{ "return redis.REDIS_VERSION .. redis.REDIS_VERSION_NUM", NULL, 2,
	    "$12\r\n7.0.15458767\r\n" },
};

/* The error replies carry the SHA-1 of the body: the table gives only their start. */
START_TEST(conversions)
{
	const char *got = run(conv[_i].body, conv[_i].reply, conv[_i].proto);
	const char *want = conv[_i].want;

	if (strncmp(want, "-WRONGTYPE bad script: ", 23) == 0)
		want = "-WRONGTYPE bad script: ";
	ck_assert_msg(strncmp(got, want, strlen(want)) == 0, "%s: got %s want %s", conv[_i].body,
	    got, want);
	if (want[0] != '-')
		ck_assert_str_eq(got, want);
}
END_TEST

START_TEST(call_arguments)
{
	run("return redis.call('get', 1, 2.5, 'x', 1e20, -0.0)", "+OK\r\n", 2);
	ck_assert_str_eq(last_argv, "get|1|2.5|x|1e+20|-0|");
	run("return redis.pcall('get', {})", "+OK\r\n", 2);
	ck_assert_str_eq(out.buf,
	    "-ERR Lua redis lib command arguments must be strings or integers\r\n");
	ck_assert_int_eq(host_calls, 1);
	run("return redis.call()", NULL, 2);
	ck_assert_msg(strstr(out.buf, "Please specify at least one argument") != NULL, "%s", out.buf);
}
END_TEST

START_TEST(keys_and_argv)
{
	static char k1[] = "k1", k2[] = "k\0z", a1[] = "a1";
	static const char body[] = "return {KEYS[1], KEYS[2], ARGV[1], #KEYS, #ARGV}";
	struct resp_arg k[2] = { { k1, 2 }, { k2, 3 } };
	struct resp_arg a[1] = { { a1, 2 } };
	char err[128];
	struct script *s = script_load(eng, body, sizeof body - 1, err, sizeof err);

	ck_assert_ptr_nonnull(s);
	out.len = 0;
	script_eval(eng, s, k, 2, a, 1, &out, NULL);
	ck_assert_uint_eq(out.len, 37);
	ck_assert(memcmp(out.buf, "*5\r\n$2\r\nk1\r\n$3\r\nk\0z\r\n$2\r\na1\r\n:2\r\n:1\r\n", 37) == 0);
}
END_TEST

START_TEST(cache_and_flush)
{
	char err[128];
	struct script *s = script_load(eng, "return 1", 8, err, sizeof err), *t;

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->sha, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
	ck_assert_ptr_eq(script_find(eng, "E0E1F9FABFC9D4800C877A703B823AC0578FF8DB", 40), s);
	ck_assert_ptr_null(script_find(eng, "e0e1f9fabfc9d4800c877a703b823ac0578ff8d", 39));
	ck_assert_ptr_eq(script_find_body(eng, "return 1", 8), s);
	t = script_load(eng, "return 1", 8, err, sizeof err);
	ck_assert_ptr_eq(s, t);
	ck_assert_uint_eq(script_count(eng), 1);
	ck_assert_uint_eq(script_body_flags("#!lua flags=no-writes\n", 22), SCRIPT_FLAG_NO_WRITES);
	ck_assert_uint_eq(script_body_flags("return 1", 8), SCRIPT_FLAG_EVAL_COMPAT);
	ck_assert_uint_eq(script_body_flags("#!lua", 5), SCRIPT_FLAG_EVAL_COMPAT);
	/* Hundreds of scripts: the table grows and still finds each. */
	for (int i = 0; i < 500; i++) {
		char body[32];
		int n = snprintf(body, sizeof body, "return %d -- many", i);

		ck_assert_ptr_nonnull(script_load(eng, body, (size_t)n, err, sizeof err));
	}
	ck_assert_uint_eq(script_count(eng), 501);
	ck_assert_ptr_eq(script_find_body(eng, "return 1", 8), s);
	script_flush(eng);
	ck_assert_uint_eq(script_count(eng), 0);
	ck_assert_ptr_null(script_find(eng, "e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 40));
	ck_assert_str_eq(run("return 2", NULL, 2), ":2\r\n");
}
END_TEST

/* A fresh redis-server 7.0.15 answers these two scripts, in this order, with 40 and
 * 0.84048536971234 (observed). */
START_TEST(math_random_sequence)
{
	ck_assert_str_eq(run("return math.random(100)", NULL, 2), ":40\r\n");
	ck_assert_str_eq(run("return tostring(math.random())", NULL, 2),
	    "$16\r\n0.84048536971234\r\n");
}
END_TEST

/* Replies nested deeper than Lua's stack allows end the script with an error. */
START_TEST(hostile_nesting)
{
	size_t depth = 100000, n = depth * 4 + 5;
	char *deep = xmalloc(n);

	for (size_t i = 0; i < depth; i++)
		memcpy(deep + 4 * i, "*1\r\n", 4);
	memcpy(deep + 4 * depth, ":1\r\n", 5);
	run("return redis.call('x')", deep, 2);
	ck_assert_msg(strstr(out.buf, "stack") != NULL, "%.80s", out.buf);
	/* The engine still works afterwards. */
	ck_assert_str_eq(run("return 'alive'", NULL, 2), "$5\r\nalive\r\n");
	xfree(deep);
	run("local t = {} t[1] = t return t", NULL, 2);
	ck_assert_msg(strstr(out.buf, "reached lua stack limit") != NULL, "no limit error");
}
END_TEST

/* SCRIPT KILL through the busy hook: the script ends with Redis' error, pcall or not. */
START_TEST(kill_from_busy_hook)
{
	static const char *const bodies[] = {
		"while true do end",
		"while true do pcall(function() while true do end end) end",
		"local ok = true while ok do ok = pcall(error, 'x') or true end",
	};
	char err[128];

	busy_eng = script_engine_new(&busy_host);
	for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
		struct script *sc = script_load(busy_eng, bodies[i], strlen(bodies[i]), err, sizeof err);

		ck_assert_ptr_nonnull(sc);
		busy_calls = 0;
		out.len = 0;
		script_eval(busy_eng, sc, NULL, 0, NULL, 0, &out, NULL);
		resp_add_raw(&out, "", 1);
		ck_assert_msg(strncmp(out.buf, "-ERR Script killed by user with SCRIPT KILL... script: ",
		    55) == 0, "%s", out.buf);
		ck_assert_int_ge(busy_calls, 3);
		ck_assert(!script_kill(busy_eng));	/* nothing runs any more */
	}
	/* The next script runs normally: the kill does not outlive its run. */
	out.len = 0;
	{
		struct script *sc = script_load(busy_eng, "return 7", 8, err, sizeof err);

		script_eval(busy_eng, sc, NULL, 0, NULL, 0, &out, NULL);
	}
	ck_assert_uint_eq(out.len, 4);
	ck_assert(memcmp(out.buf, ":7\r\n", 4) == 0);
	script_engine_free(busy_eng);
}
END_TEST

static Suite *
script_suite(void)
{
	Suite *s = suite_create("script");
	TCase *tc = tcase_create("engine");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, conversions, 0, (int)(sizeof conv / sizeof conv[0]));
	tcase_add_test(tc, call_arguments);
	tcase_add_test(tc, keys_and_argv);
	tcase_add_test(tc, cache_and_flush);
	tcase_add_test(tc, math_random_sequence);
	tcase_add_test(tc, hostile_nesting);
	tcase_add_test(tc, kill_from_busy_hook);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(script_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
