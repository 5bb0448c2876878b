/*
 * check_config.c: the config module (replica/config.c) against Redis 7.0.15's behaviour.
 *
 * Expected texts were taken from a live redis-server 7.0.15 (`redis-server --port abc`, a file
 * with a bad line, CONFIG GET/SET on a running server); the banner differs only in naming
 * replicant. One TCase per concern: defaults, options from a file and from argv, errors with
 * their line, the command line's own rules, include, memory units, booleans, cfg_set keeping
 * the old value on failure, cfg_get round trips, and the name table.
 *
 * Tests that touch files work in a fresh directory under $TMPDIR (or /tmp) made by the fixture.
 */
#ifdef HAVE_CONFIG_H
#include <config.h>	/* else PACKAGE_NAME, PACKAGE_VERSION come from DEFS */
#endif

#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replica/config.h"

#define BANNER "\n*** FATAL CONFIG FILE ERROR (" PACKAGE_NAME " " PACKAGE_VERSION ") ***\n"
#define AT(n, line) "Reading the configuration file, at line " #n "\n>>> '" line "'\n"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define ERRLEN 4096

/* ---- fixture: a scratch directory, and the directory we started in ---- */

/* Short, so that messages naming files in it fit the test's buffers. */
static char tmpdir[256];
static char startdir[PATH_MAX];

static void
setup(void)
{
	const char *base = getenv("TMPDIR");
	char made[PATH_MAX], real[PATH_MAX];
	int n;

	ck_assert_ptr_nonnull(getcwd(startdir, sizeof startdir));
	n = snprintf(made, sizeof made, "%s/check_config.XXXXXX", base != NULL ? base : "/tmp");
	ck_assert(n > 0 && (size_t)n < sizeof made);
	ck_assert_ptr_nonnull(mkdtemp(made));
	/* mkdtemp may return a path through a symlink; getcwd would not. */
	ck_assert_ptr_nonnull(realpath(made, real));
	ck_assert_uint_lt(strlen(real), sizeof tmpdir);
	strcpy(tmpdir, real);
}

static void
remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char sub[PATH_MAX * 2];

	if (d == NULL) {
		unlink(path);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		remove_tree(sub);
	}
	closedir(d);
	rmdir(path);
}

static void
teardown(void)
{
	ck_assert_int_eq(chdir(startdir), 0);
	remove_tree(tmpdir);
}

static const char *
tmp_path(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", tmpdir, name);

	ck_assert(n > 0 && (size_t)n < len);
	return buf;
}

static void
write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
}

/* ---- helpers ---- */

/* Returns option name's CONFIG GET text in buf. */
static const char *
getv(const struct config *c, const char *name, char *buf, size_t len)
{
	int i = cfg_lookup(name);

	ck_assert_msg(i >= 0, "no option %s", name);
	cfg_get(c, (size_t)i, buf, len);
	return buf;
}

static void
assert_get(const struct config *c, const char *name, const char *want)
{
	char buf[ERRLEN];

	ck_assert_msg(strcmp(getv(c, name, buf, sizeof buf), want) == 0,
	    "%s: got '%s', want '%s'", name, buf, want);
}

/* Every option's value, joined: compared before and after a failed call. */
static void
snapshot(const struct config *c, char *out, size_t len)
{
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < cfg_count(); i++) {
		char v[1024];

		cfg_get(c, i, v, sizeof v);
		used += (size_t)snprintf(out + used, len - used, "%s=%s\n", cfg_name(i), v);
		ck_assert_uint_lt(used, len);
	}
}

static bool
load(struct config *c, const char *text, char *err)
{
	err[0] = '\0';
	return cfg_load_string(c, text, "test", err, ERRLEN);
}

static bool
load_argv(struct config *c, int argc, const char **argv, char *err)
{
	err[0] = '\0';
	return cfg_load_args(c, argc, (char **)argv, err, ERRLEN);
}

/* ---- defaults ---- */

static const struct {
	const char *name;
	const char *value;
} defaults[] = {
	{ "port", "6379" },
	{ "bind", "127.0.0.1 -::1" },
	{ "tcp-backlog", "511" },
	{ "unixsocket", "" },
	{ "unixsocketperm", "0" },
	{ "replicaof", "" },
	{ "slaveof", "" },
	{ "masterauth", "" },
	{ "masteruser", "" },
	{ "requirepass", "" },
	{ "maxclients", "10000" },
	{ "timeout", "0" },
	{ "tcp-keepalive", "300" },
	{ "proto-max-bulk-len", "536870912" },
	{ "client-query-buffer-limit", "1073741824" },
	{ "client-output-buffer-limit",
	    "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" },
	{ "replica-read-only", "yes" },
	{ "slave-read-only", "yes" },
	{ "replica-serve-stale-data", "yes" },
	{ "slave-serve-stale-data", "yes" },
	{ "databases", "16" },
	{ "hz", "10" },
	{ "logfile", "" },
	{ "loglevel", "notice" },
	{ "daemonize", "no" },
	{ "pidfile", "" },
	{ "dbfilename", "dump.rdb" },
	{ "hash-max-listpack-entries", "512" },
	{ "hash-max-ziplist-entries", "512" },
	{ "hash-max-listpack-value", "64" },
	{ "hash-max-ziplist-value", "64" },
	{ "list-max-listpack-size", "-2" },
	{ "list-max-ziplist-size", "-2" },
	{ "list-compress-depth", "0" },
	{ "set-max-intset-entries", "512" },
	{ "set-max-listpack-entries", "128" },
	{ "set-max-listpack-value", "64" },
	{ "zset-max-listpack-entries", "128" },
	{ "zset-max-ziplist-entries", "128" },
	{ "zset-max-listpack-value", "64" },
	{ "zset-max-ziplist-value", "64" },
	{ "hll-sparse-max-bytes", "3000" },
	{ "busy-reply-threshold", "5000" },
	{ "lua-time-limit", "5000" },
};

START_TEST(test_defaults)
{
	struct config c;
	char cwd[PATH_MAX];

	cfg_init(&c);
	for (size_t i = 0; i < NELEM(defaults); i++)
		assert_get(&c, defaults[i].name, defaults[i].value);
	/* every name but dir is in the table above */
	ck_assert_uint_eq(NELEM(defaults) + 1, cfg_count());
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	assert_get(&c, "dir", cwd);
	ck_assert_ptr_null(c.dir);
	ck_assert_ptr_null(c.config_file);
	ck_assert_ptr_nonnull(c.logfile);
	ck_assert_int_eq(c.nbind, 2);
	ck_assert_int_eq(c.loglevel, CFG_LOG_NOTICE);
	ck_assert_uint_eq(c.obuf[CFG_CLASS_REPLICA].hard, 256u << 20);
	cfg_free(&c);
	ck_assert_ptr_null(c.logfile);
	ck_assert_int_eq(c.nbind, 0);
}
END_TEST

/* ---- every option from a file and from argv ---- */

static const struct {
	const char *text;	/* a config file */
	const char *name;	/* read back */
	const char *want;
} good[] = {
	{ "port 6380", "port", "6380" },
	{ "port 0", "port", "0" },
	{ "PORT 65535", "port", "65535" },
	{ "bind 10.0.0.1", "bind", "10.0.0.1" },
	{ "bind 10.0.0.1 -::1 *", "bind", "10.0.0.1 -::1 *" },
	{ "bind \"10.0.0.1 10.0.0.2\"", "bind", "10.0.0.1 10.0.0.2" },
	{ "bind \"\"", "bind", "" },
	{ "bind", "bind", "" },
	{ "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16", "bind",
	    "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16" },
	{ "tcp-backlog 128", "tcp-backlog", "128" },
	{ "unixsocket /tmp/r.sock", "unixsocket", "/tmp/r.sock" },
	{ "unixsocket /tmp/r.sock\nunixsocket \"\"", "unixsocket", "" },
	{ "unixsocketperm 700", "unixsocketperm", "700" },
	{ "unixsocketperm 0777", "unixsocketperm", "777" },
	{ "unixsocketperm 0", "unixsocketperm", "0" },
	{ "unixsocketperm \"\"", "unixsocketperm", "0" },
	{ "replicaof 10.0.0.5 6380", "replicaof", "10.0.0.5 6380" },
	{ "replicaof 10.0.0.5 6380", "slaveof", "10.0.0.5 6380" },
	{ "SlaveOf h 1", "replicaof", "h 1" },
	{ "replicaof h 0", "replicaof", "h 0" },
	{ "replicaof h 1\nreplicaof NO ONE", "replicaof", "" },
	{ "replicaof \"h 7\"", "replicaof", "h 7" },
	{ "masterauth s3cret", "masterauth", "s3cret" },
	{ "masterauth x\nmasterauth ''", "masterauth", "" },
	{ "masteruser repl", "masteruser", "repl" },
	{ "requirepass \"pa ss\\t\\x41\"", "requirepass", "pa ss\tA" },
	{ "requirepass 'it\\'s'", "requirepass", "it's" },
	{ "maxclients 1", "maxclients", "1" },
	{ "maxclients 4294967295", "maxclients", "2147483647" },
	{ "timeout 30", "timeout", "30" },
	{ "tcp-keepalive 0", "tcp-keepalive", "0" },
	{ "proto-max-bulk-len 1mb", "proto-max-bulk-len", "1048576" },
	{ "proto-max-bulk-len 2GB", "proto-max-bulk-len", "2147483648" },
	{ "proto-max-bulk-len 9223372036854775807", "proto-max-bulk-len", "9223372036854775807" },
	{ "client-query-buffer-limit 1048576", "client-query-buffer-limit", "1048576" },
	{ "client-query-buffer-limit 4gb", "client-query-buffer-limit", "4294967296" },
	{ "client-output-buffer-limit normal 1mb 512kb 10", "client-output-buffer-limit",
	    "normal 1048576 524288 10 slave 268435456 67108864 60 pubsub 33554432 8388608 60" },
	{ "client-output-buffer-limit replica 1 2 3 pubsub 4 5 6", "client-output-buffer-limit",
	    "normal 0 0 0 slave 1 2 3 pubsub 4 5 6" },
	{ "client-output-buffer-limit SLAVE 0 0 0", "client-output-buffer-limit",
	    "normal 0 0 0 slave 0 0 0 pubsub 33554432 8388608 60" },
	{ "client-output-buffer-limit \"pubsub 1k 2k 3\"", "client-output-buffer-limit",
	    "normal 0 0 0 slave 268435456 67108864 60 pubsub 1000 2000 3" },
	{ "client-output-buffer-limit normal mb kb +7", "client-output-buffer-limit",
	    "normal 0 0 7 slave 268435456 67108864 60 pubsub 33554432 8388608 60" },
	{ "client-output-buffer-limit normal 99999999999999999999 1 2147483647",
	    "client-output-buffer-limit",
	    "normal 18446744073709551615 1 2147483647 slave 268435456 67108864 60 "
	    "pubsub 33554432 8388608 60" },
	{ "replica-read-only no", "replica-read-only", "no" },
	{ "slave-read-only no", "replica-read-only", "no" },
	{ "replica-read-only NO", "slave-read-only", "no" },
	{ "replica-serve-stale-data no", "replica-serve-stale-data", "no" },
	{ "slave-serve-stale-data no", "replica-serve-stale-data", "no" },
	{ "databases 1", "databases", "1" },
	{ "hz 100", "hz", "100" },
	{ "hz 0", "hz", "1" },
	{ "hz 501", "hz", "500" },
	{ "logfile /dev/null", "logfile", "/dev/null" },
	{ "logfile /dev/null\nlogfile ''", "logfile", "" },
	{ "loglevel debug", "loglevel", "debug" },
	{ "loglevel VERBOSE", "loglevel", "verbose" },
	{ "loglevel warning", "loglevel", "warning" },
	{ "loglevel debug\nloglevel notice", "loglevel", "notice" },
	{ "daemonize yes", "daemonize", "yes" },
	{ "pidfile /var/run/r.pid", "pidfile", "/var/run/r.pid" },
	{ "pidfile /var/run/r.pid\npidfile \"\"", "pidfile", "" },
	{ "port 1\nport 2", "port", "2" },
	{ "  # comment\n\n\tport 7 \r\n#port 8\n", "port", "7" },
	{ "port 9\n\n", "port", "9" },
	{ "\v port 10", "port", "10" },
	{ "", "port", "6379" },
};

START_TEST(test_file_options)
{
	struct config c;
	char err[ERRLEN];

	cfg_init(&c);
	ck_assert_msg(load(&c, good[_i].text, err), "'%s': %s", good[_i].text, err);
	assert_get(&c, good[_i].name, good[_i].want);
	cfg_free(&c);
}
END_TEST

/* The same rows as command-line options: "port 6380" is replicant --port 6380. */
START_TEST(test_argv_options)
{
	const char *text = good[_i].text;
	char copy[512], err[ERRLEN], *save = NULL;
	const char *argv[32];
	int argc = 0;
	struct config c;

	/* quotes, escapes and several lines only make sense in a file */
	if (strpbrk(text, "\"'\n\\\t\v") != NULL || text[0] == '\0' || text[0] == ' ')
		return;
	snprintf(copy, sizeof copy, "--%s", text);
	argv[argc++] = "replicant";
	for (char *w = strtok_r(copy, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	cfg_init(&c);
	ck_assert_msg(load_argv(&c, argc, argv, err), "'%s': %s", text, err);
	assert_get(&c, good[_i].name, good[_i].want);
	ck_assert_ptr_null(c.config_file);
	cfg_free(&c);
}
END_TEST

START_TEST(test_fields)
{
	struct config c;
	char err[ERRLEN];

	cfg_init(&c);
	ck_assert(load(&c, "port 7000\nbind a b\nreplicaof h 6390\nrequirepass p\n"
	    "maxclients 5\nclient-output-buffer-limit pubsub 1 2 3\nloglevel warning\n"
	    "slave-read-only no\ndaemonize yes\nunixsocketperm 755\nhz 20\n", err));
	ck_assert_int_eq(c.port, 7000);
	ck_assert_int_eq(c.nbind, 2);
	ck_assert_str_eq(c.bind[0], "a");
	ck_assert_str_eq(c.bind[1], "b");
	ck_assert_ptr_null(c.bind[2]);
	ck_assert_str_eq(c.replicaof_host, "h");
	ck_assert_int_eq(c.replicaof_port, 6390);
	ck_assert_str_eq(c.requirepass, "p");
	ck_assert_ptr_null(c.masterauth);
	ck_assert_int_eq(c.maxclients, 5);
	ck_assert_uint_eq(c.obuf[CFG_CLASS_PUBSUB].hard, 1);
	ck_assert_uint_eq(c.obuf[CFG_CLASS_PUBSUB].soft, 2);
	ck_assert_int_eq(c.obuf[CFG_CLASS_PUBSUB].soft_seconds, 3);
	ck_assert_int_eq(c.loglevel, CFG_LOG_WARNING);
	ck_assert(!c.replica_read_only);
	ck_assert(c.replica_serve_stale_data);
	ck_assert(c.daemonize);
	ck_assert_int_eq(c.unixsocketperm, 0755);
	ck_assert_int_eq(c.hz, 20);
	/* an empty string clears the NULL-when-unset options, but logfile stays "" */
	ck_assert(load(&c, "requirepass \"\"\nbind \"\"\nlogfile \"\"", err));
	ck_assert_ptr_null(c.requirepass);
	ck_assert_int_eq(c.nbind, 0);
	ck_assert_ptr_null(c.bind[0]);
	ck_assert_str_eq(c.logfile, "");
	cfg_free(&c);
}
END_TEST

/* ---- errors: the whole message, with the line number and the line ---- */

static const struct {
	const char *text;
	const char *want;
} bad[] = {
	{ "port abc", AT(1, "port abc") "argument couldn't be parsed into an integer" },
	{ "# comment\n\nport 70000", AT(3, "port 70000")
	    "argument must be between 0 and 65535 inclusive" },
	{ "port -0", AT(1, "port -0") "argument couldn't be parsed into an integer" },
	{ "port 080", AT(1, "port 080") "argument couldn't be parsed into an integer" },
	{ "port +80", AT(1, "port +80") "argument couldn't be parsed into an integer" },
	{ "port \" 80\"", AT(1, "port \" 80\"") "argument couldn't be parsed into an integer" },
	{ "port 99999999999999999999", AT(1, "port 99999999999999999999")
	    "argument couldn't be parsed into an integer" },
	{ "foo bar", AT(1, "foo bar") "Bad directive or wrong number of arguments" },
	{ "port", AT(1, "port") "wrong number of arguments" },
	{ "port 1 2", AT(1, "port 1 2") "wrong number of arguments" },
	{ "port 6379 # inline comment", AT(1, "port 6379 # inline comment")
	    "wrong number of arguments" },
	{ "port \"abc", AT(1, "port \"abc") "Unbalanced quotes in configuration line" },
	{ "port \"a\"b", AT(1, "port \"a\"b") "Unbalanced quotes in configuration line" },
	{ "port 'a", AT(1, "port 'a") "Unbalanced quotes in configuration line" },
	{ "  PORT   x  ", AT(1, "PORT   x") "argument couldn't be parsed into an integer" },
	{ "\tport 1\r\nfoo", AT(2, "foo") "Bad directive or wrong number of arguments" },
	{ "daemonize maybe", AT(1, "daemonize maybe") "argument must be 'yes' or 'no'" },
	{ "daemonize", AT(1, "daemonize") "wrong number of arguments" },
	{ "slave-read-only 1", AT(1, "slave-read-only 1") "argument must be 'yes' or 'no'" },
	{ "loglevel loud", AT(1, "loglevel loud") "argument(s) must be one of the following: "
	    "debug, verbose, notice, warning" },
	{ "maxclients -1", AT(1, "maxclients -1")
	    "argument must be between 1 and 4294967295 inclusive" },
	{ "maxclients 0", AT(1, "maxclients 0")
	    "argument must be between 1 and 4294967295 inclusive" },
	{ "maxclients 4294967296", AT(1, "maxclients 4294967296")
	    "argument must be between 1 and 4294967295 inclusive" },
	{ "timeout -1", AT(1, "timeout -1")
	    "argument must be between 0 and 2147483647 inclusive" },
	{ "tcp-keepalive -1", AT(1, "tcp-keepalive -1")
	    "argument must be between 0 and 2147483647 inclusive" },
	{ "tcp-backlog 2147483648", AT(1, "tcp-backlog 2147483648")
	    "argument must be between 0 and 2147483647 inclusive" },
	{ "databases 0", AT(1, "databases 0")
	    "argument must be between 1 and 2147483647 inclusive" },
	{ "hz -1", AT(1, "hz -1") "argument must be between 0 and 2147483647 inclusive" },
	{ "proto-max-bulk-len 1.5mb", AT(1, "proto-max-bulk-len 1.5mb")
	    "argument must be a memory value" },
	{ "proto-max-bulk-len -1mb", AT(1, "proto-max-bulk-len -1mb")
	    "argument must be a memory value" },
	{ "proto-max-bulk-len 100", AT(1, "proto-max-bulk-len 100")
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "proto-max-bulk-len 99999999999999999999", AT(1, "proto-max-bulk-len 99999999999999999999")
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "proto-max-bulk-len 17179869184gb", AT(1, "proto-max-bulk-len 17179869184gb")
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "proto-max-bulk-len \"\"", AT(1, "proto-max-bulk-len \"\"")
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "client-query-buffer-limit 1000kb", AT(1, "client-query-buffer-limit 1000kb")
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "client-query-buffer-limit 1tb", AT(1, "client-query-buffer-limit 1tb")
	    "argument must be a memory value" },
	{ "client-output-buffer-limit foo 1 2 3", AT(1, "client-output-buffer-limit foo 1 2 3")
	    "Invalid client class specified in buffer limit configuration." },
	{ "client-output-buffer-limit master 1 2 3", AT(1, "client-output-buffer-limit master 1 2 3")
	    "Invalid client class specified in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1 2", AT(1, "client-output-buffer-limit normal 1 2")
	    "Wrong number of arguments in buffer limit configuration." },
	{ "client-output-buffer-limit \"normal 1 2 3 pubsub\"",
	    AT(1, "client-output-buffer-limit \"normal 1 2 3 pubsub\"")
	    "Wrong number of arguments in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1 2 -1", AT(1, "client-output-buffer-limit normal 1 2 -1")
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1x 2 3", AT(1, "client-output-buffer-limit normal 1x 2 3")
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1 -2 3", AT(1, "client-output-buffer-limit normal 1 -2 3")
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1 2 3x", AT(1, "client-output-buffer-limit normal 1 2 3x")
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "client-output-buffer-limit normal 1 2 2147483648",
	    AT(1, "client-output-buffer-limit normal 1 2 2147483648")
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17",
	    AT(1, "bind 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17")
	    "Too many bind addresses specified." },
	{ "replicaof a", AT(1, "replicaof a") "wrong number of arguments" },
	{ "replicaof", AT(1, "replicaof") "wrong number of arguments" },
	{ "replicaof a 1 2", AT(1, "replicaof a 1 2") "wrong number of arguments" },
	{ "replicaof a 65536", AT(1, "replicaof a 65536") "Invalid master port" },
	{ "replicaof a 1x", AT(1, "replicaof a 1x") "Invalid master port" },
	{ "slaveof a -1", AT(1, "slaveof a -1") "Invalid master port" },
	{ "unixsocketperm 999", AT(1, "unixsocketperm 999")
	    "argument couldn't be parsed as an octal number" },
	{ "unixsocketperm 7a", AT(1, "unixsocketperm 7a")
	    "argument couldn't be parsed as an octal number" },
	{ "unixsocketperm 1000", AT(1, "unixsocketperm 1000")
	    "argument must be between 0 and 777 inclusive" },
	{ "unixsocketperm -1", AT(1, "unixsocketperm -1")
	    "argument must be between 0 and 777 inclusive" },
	{ "dir /nonexistent-dir-of-check-config", AT(1, "dir /nonexistent-dir-of-check-config")
	    "No such file or directory" },
	{ "dir a b", AT(1, "dir a b") "wrong number of arguments" },
	{ "requirepass", AT(1, "requirepass") "wrong number of arguments" },
	{ "include", AT(1, "include") "Bad directive or wrong number of arguments" },
	{ "include a b", AT(1, "include a b") "Bad directive or wrong number of arguments" },
	{ "port 1\nhz 5\n\n# x\nloglevel debug\nsave \"\"", AT(6, "save \"\"")
	    "Bad directive or wrong number of arguments" },
	{ "logfile /nonexistent-dir-of-check-config/r.log",
	    "Can't open the log file: No such file or directory" },
};

START_TEST(test_file_errors)
{
	struct config c;
	char err[ERRLEN], want[ERRLEN];

	cfg_init(&c);
	snprintf(want, sizeof want, BANNER "%s", bad[_i].want);
	ck_assert_msg(!load(&c, bad[_i].text, err), "'%s' loaded", bad[_i].text);
	ck_assert_str_eq(err, want);
	cfg_free(&c);
}
END_TEST

/* Errors from the command line, with the lines redis-server makes of it. */
static const struct {
	const char *argv[20];
	const char *want;
} bad_argv[] = {
	{ { "--port", "abc" }, AT(2, "port \"abc\"") "argument couldn't be parsed into an integer" },
	{ { "--foo", "bar" }, AT(2, "foo \"bar\"") "Bad directive or wrong number of arguments" },
	{ { "--maxclients", "-1" }, AT(2, "maxclients \"-1\"")
	    "argument must be between 1 and 4294967295 inclusive" },
	{ { "--port" }, AT(2, "port") "wrong number of arguments" },
	{ { "--daemonize" }, AT(2, "daemonize") "wrong number of arguments" },
	{ { "--port", "6380", "abc" }, AT(2, "port \"6380\" \"abc\"") "wrong number of arguments" },
	{ { "--port abc" }, AT(2, "port abc") "argument couldn't be parsed into an integer" },
	{ { "--requirepass", "a b", "--maxclients", "0" }, AT(3, "maxclients \"0\"")
	    "argument must be between 1 and 4294967295 inclusive" },
	{ { "--maxclients", "a b" }, AT(2, "maxclients \"a b\"")
	    "argument couldn't be parsed into an integer" },
	{ { "--maxclients", "a\x01\"\\\n\xff" }, AT(2, "maxclients \"a\\x01\\\"\\\\\\n\\xff\"")
	    "argument couldn't be parsed into an integer" },
	{ { "--port", "\"abc" }, AT(2, "port \"\\\"abc\"")
	    "argument couldn't be parsed into an integer" },
	{ { "--loglevel", "--daemonize" }, AT(2, "loglevel \"--daemonize\"")
	    "argument(s) must be one of the following: debug, verbose, notice, warning" },
	{ { "--port", "6379", "--port", "a" }, AT(3, "port \"a\"")
	    "argument couldn't be parsed into an integer" },
	{ { "--bind 'a b" }, AT(2, "bind 'a b") "Unbalanced quotes in configuration line" },
	{ { "--bind", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
	    "16", "17" }, AT(2, "bind \"1\" \"2\" \"3\" \"4\" \"5\" \"6\" \"7\" \"8\" \"9\" \"10\" \"11\" "
	    "\"12\" \"13\" \"14\" \"15\" \"16\" \"17\"") "Too many bind addresses specified." },
	{ { "-x" }, AT(2, "\"-x\"") "Bad directive or wrong number of arguments" },
	{ { "--port", "1", "-", "--hz", "2", "x" }, AT(2, "port \"1\" \"-\"")
	    "wrong number of arguments" },
	{ { "--replicaof", "h" }, AT(2, "replicaof \"h\"") "wrong number of arguments" },
	{ { "--replicaof", "h 99999" }, AT(2, "replicaof \"h 99999\"") "Invalid master port" },
};

START_TEST(test_argv_errors)
{
	const char *argv[24] = { "replicant" };
	int argc = 1;
	struct config c;
	char err[ERRLEN], want[ERRLEN];

	while (bad_argv[_i].argv[argc - 1] != NULL) {
		argv[argc] = bad_argv[_i].argv[argc - 1];
		argc++;
	}
	cfg_init(&c);
	snprintf(want, sizeof want, BANNER "%s", bad_argv[_i].want);
	ck_assert_msg(!load_argv(&c, argc, argv, err), "row %d loaded", _i);
	ck_assert_str_eq(err, want);
	cfg_free(&c);
}
END_TEST

/* A message longer than err is cut, NUL-terminated, and never overruns. */
START_TEST(test_error_truncated)
{
	struct config c;
	char err[32];

	memset(err, 'z', sizeof err);
	cfg_init(&c);
	ck_assert(!cfg_load_string(&c, "port abc", NULL, err, 16));
	ck_assert_uint_eq(strlen(err), 15);
	ck_assert_int_eq(memcmp(err, BANNER, 15), 0);
	ck_assert_int_eq(err[16], 'z');
	ck_assert(!cfg_load_string(&c, "port abc", NULL, NULL, 0));
	cfg_free(&c);
}
END_TEST

/* ---- the command line's own rules ---- */

START_TEST(test_argv_file_and_options)
{
	struct config c;
	char path[PATH_MAX], err[ERRLEN];
	const char *argv[] = { "replicant", path, "--port", "6390", "--bind", "a", "b", "--hz",
	    "20" };

	write_file(tmp_path(path, sizeof path, "r.conf"), "port 1\nhz 5\nmaxclients 7\n");
	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(argv), argv, err), "%s", err);
	assert_get(&c, "port", "6390");
	assert_get(&c, "bind", "a b");
	assert_get(&c, "hz", "20");
	assert_get(&c, "maxclients", "7");
	ck_assert_str_eq(c.config_file, path);
	cfg_free(&c);
}
END_TEST

/* Option lines follow the file after one more newline, whether the file ends with one or not. */
START_TEST(test_argv_line_numbers)
{
	static const struct {
		const char *file;
		const char *want;
	} rows[] = {
		{ "port 1\nport 2", AT(3, "port \"x\"") },
		{ "port 1\nport 2\n", AT(4, "port \"x\"") },
		{ "port 1\n\n# c\n", AT(5, "port \"x\"") },
		{ "", AT(2, "port \"x\"") },
	};
	struct config c;
	char path[PATH_MAX], err[ERRLEN], want[ERRLEN];
	const char *argv[] = { "replicant", path, "--port", "x" };

	tmp_path(path, sizeof path, "n.conf");
	for (size_t i = 0; i < NELEM(rows); i++) {
		write_file(path, rows[i].file);
		cfg_init(&c);
		snprintf(want, sizeof want, BANNER "%sargument couldn't be parsed into an integer",
		    rows[i].want);
		ck_assert(!load_argv(&c, NELEM(argv), argv, err));
		ck_assert_str_eq(err, want);
		cfg_free(&c);
	}
}
END_TEST

START_TEST(test_argv_file_errors)
{
	struct config c;
	char path[PATH_MAX], err[ERRLEN], want[ERRLEN];
	const char *missing[] = { "replicant", "nope.conf", "--port", "1" };
	const char *relative[] = { "replicant", "../d/r.conf" };
	const char *isdir[] = { "replicant", "d" };

	ck_assert_int_eq(chdir(tmpdir), 0);
	cfg_init(&c);
	ck_assert(!load_argv(&c, NELEM(missing), missing, err));
	snprintf(want, sizeof want,
	    "Fatal error, can't open config file '%s/nope.conf': No such file or directory", tmpdir);
	ck_assert_str_eq(err, want);
	cfg_free(&c);

	/* config_file is absolute, "../" folded into the current directory as Redis does */
	ck_assert_int_eq(mkdir(tmp_path(path, sizeof path, "d"), 0700), 0);
	write_file(tmp_path(path, sizeof path, "d/r.conf"), "port a\n");
	ck_assert_int_eq(chdir(tmp_path(path, sizeof path, "d")), 0);
	cfg_init(&c);
	ck_assert(!load_argv(&c, NELEM(relative), relative, err));
	ck_assert_str_eq(err, BANNER AT(1, "port a") "argument couldn't be parsed into an integer");
	ck_assert_str_eq(c.config_file, tmp_path(path, sizeof path, "d/r.conf"));
	cfg_free(&c);

	/* a directory opens but cannot be read: refused (Redis would read it as empty) */
	ck_assert_int_eq(chdir(tmpdir), 0);
	cfg_init(&c);
	ck_assert(!load_argv(&c, NELEM(isdir), isdir, err));
	snprintf(want, sizeof want, "Fatal error, can't read config file '%s/d': Is a directory",
	    tmpdir);
	ck_assert_str_eq(err, want);
	cfg_free(&c);
}
END_TEST

START_TEST(test_argv_quirks)
{
	struct config c;
	char path[PATH_MAX], err[ERRLEN];
	/* after a file, words without "--" still make lines: `"port" "6381"` */
	const char *bare[] = { "replicant", path, "port", "6381" };
	/* a lone name takes the next argument as its value even if it starts with "--" */
	const char *dashes[] = { "replicant", "--requirepass", "--x", "--port", "6382" };
	/* "--name value" in one argument is one raw line */
	const char *joined[] = { "replicant", "--bind 10.0.0.1 10.0.0.2", "--port", "6383" };
	/* a value is quoted whole: the escapes come back unchanged */
	const char *quoted[] = { "replicant", "--requirepass", "a \"b\"\\\n\t\x01\xe9" };
	/* no file: nothing but options */
	const char *none[] = { "replicant" };

	write_file(tmp_path(path, sizeof path, "q.conf"), "hz 11\n");
	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(bare), bare, err), "%s", err);
	assert_get(&c, "port", "6381");
	assert_get(&c, "hz", "11");
	cfg_free(&c);

	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(dashes), dashes, err), "%s", err);
	assert_get(&c, "requirepass", "--x");
	assert_get(&c, "port", "6382");
	cfg_free(&c);

	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(joined), joined, err), "%s", err);
	assert_get(&c, "bind", "10.0.0.1 10.0.0.2");
	assert_get(&c, "port", "6383");
	cfg_free(&c);

	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(quoted), quoted, err), "%s", err);
	assert_get(&c, "requirepass", quoted[2]);
	cfg_free(&c);

	cfg_init(&c);
	ck_assert(load_argv(&c, NELEM(none), none, err));
	assert_get(&c, "port", "6379");
	ck_assert_ptr_null(c.config_file);
	cfg_free(&c);
}
END_TEST

/* "-" first or last reads stdin after the file and before the options. */
START_TEST(test_argv_stdin)
{
	struct config c;
	char path[PATH_MAX], in[PATH_MAX], err[ERRLEN];
	const char *file_stdin_opts[] = { "replicant", path, "--hz", "30", "-" };
	const char *only_stdin[] = { "replicant", "-" };
	const char *stdin_first[] = { "replicant", "-", "--port", "5" };
	const char *middle[] = { "replicant", path, "-", "--port", "3" };

	write_file(tmp_path(path, sizeof path, "s.conf"), "port 1\nhz 12\n");
	write_file(tmp_path(in, sizeof in, "stdin"), "port 2\nhz 13\nmaxclients 9\n");

	ck_assert_ptr_nonnull(freopen(in, "r", stdin));
	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(file_stdin_opts), file_stdin_opts, err), "%s", err);
	assert_get(&c, "port", "2");
	assert_get(&c, "hz", "30");
	assert_get(&c, "maxclients", "9");
	cfg_free(&c);

	ck_assert_ptr_nonnull(freopen(in, "r", stdin));
	cfg_init(&c);
	ck_assert_msg(load_argv(&c, NELEM(stdin_first), stdin_first, err), "%s", err);
	assert_get(&c, "port", "5");
	assert_get(&c, "hz", "13");
	ck_assert_ptr_null(c.config_file);
	cfg_free(&c);

	write_file(in, "\nport x\n");
	ck_assert_ptr_nonnull(freopen(in, "r", stdin));
	cfg_init(&c);
	ck_assert(!load_argv(&c, NELEM(only_stdin), only_stdin, err));
	ck_assert_str_eq(err, BANNER AT(2, "port x") "argument couldn't be parsed into an integer");
	cfg_free(&c);

	/* in the middle, "-" is just a word, as in redis-server */
	cfg_init(&c);
	ck_assert(!load_argv(&c, NELEM(middle), middle, err));
	ck_assert_str_eq(err, BANNER AT(4, "\"-\"") "Bad directive or wrong number of arguments");
	cfg_free(&c);
}
END_TEST

/* ---- include ---- */

START_TEST(test_include)
{
	struct config c;
	char a[512], g[512], text[2048], err[ERRLEN], want[ERRLEN];

	write_file(tmp_path(a, sizeof a, "a.conf"), "port 2\nhz 20\n");
	write_file(tmp_path(g, sizeof g, "1.inc"), "maxclients 11\n");
	write_file(tmp_path(g, sizeof g, "2.inc"), "maxclients 12\ntimeout 5\n");
	snprintf(text, sizeof text, "port 1\ninclude %s\nport 3\nINCLUDE %s/*.inc\n"
	    "include %s/*.none\n", a, tmpdir, tmpdir);
	cfg_init(&c);
	ck_assert_msg(load(&c, text, err), "%s", err);
	assert_get(&c, "port", "3");
	assert_get(&c, "hz", "20");
	assert_get(&c, "maxclients", "12");
	assert_get(&c, "timeout", "5");
	cfg_free(&c);

	/* an error in an included file names that file's line */
	write_file(a, "\nport x\n");
	snprintf(text, sizeof text, "port 1\ninclude %s\n", a);
	cfg_init(&c);
	ck_assert(!load(&c, text, err));
	ck_assert_str_eq(err, BANNER AT(2, "port x") "argument couldn't be parsed into an integer");
	cfg_free(&c);

	cfg_init(&c);
	ck_assert(!load(&c, "include /nonexistent-dir-of-check-config/x.conf", err));
	ck_assert_str_eq(err, "Fatal error, can't open config file "
	    "'/nonexistent-dir-of-check-config/x.conf': No such file or directory");
	cfg_free(&c);

	/* a file that includes itself stops instead of recursing forever */
	snprintf(text, sizeof text, "include %s", a);
	write_file(a, text);
	cfg_init(&c);
	ck_assert(!load(&c, text, err));
	snprintf(want, sizeof want, BANNER "Reading the configuration file, at line 1\n"
	    ">>> 'include %s'\ninclude nesting is too deep", a);
	ck_assert_str_eq(err, want);
	cfg_free(&c);
}
END_TEST

/* ---- dir and logfile touch the file system, as in Redis ---- */

START_TEST(test_dir)
{
	struct config c;
	char sub[PATH_MAX], cwd[PATH_MAX], err[ERRLEN], text[PATH_MAX + 16];
	const char *v[1];

	ck_assert_int_eq(mkdir(tmp_path(sub, sizeof sub, "sub"), 0700), 0);
	snprintf(text, sizeof text, "dir %s", tmpdir);
	cfg_init(&c);
	ck_assert_msg(load(&c, text, err), "%s", err);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_str_eq(cwd, tmpdir);
	assert_get(&c, "dir", tmpdir);

	/* relative to the directory just set; stored absolute */
	ck_assert_msg(load(&c, "dir sub\nlogfile r.log", err), "%s", err);
	assert_get(&c, "dir", sub);
	ck_assert_int_eq(access(tmp_path(text, sizeof text, "sub/r.log"), F_OK), 0);

	/* a failed chdir changes nothing */
	v[0] = "missing";
	ck_assert(!cfg_set(&c, "dir", 1, v, err, sizeof err));
	ck_assert_str_eq(err, "No such file or directory");
	assert_get(&c, "dir", sub);
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
	ck_assert_str_eq(cwd, sub);
	cfg_free(&c);
}
END_TEST

/* ---- memory values ---- */

static const struct {
	const char *s;
	bool ok;
	uint64_t v;
} memory[] = {
	{ "0", true, 0 },
	{ "1", true, 1 },
	{ "100", true, 100 },
	{ "1b", true, 1 },
	{ "1B", true, 1 },
	{ "1k", true, 1000 },
	{ "1K", true, 1000 },
	{ "1kb", true, 1024 },
	{ "1KB", true, 1024 },
	{ "1kB", true, 1024 },
	{ "1Kb", true, 1024 },
	{ "1m", true, 1000000 },
	{ "1M", true, 1000000 },
	{ "1mb", true, 1048576 },
	{ "1Mb", true, 1048576 },
	{ "1g", true, 1000000000 },
	{ "1G", true, 1000000000 },
	{ "1gb", true, 1073741824 },
	{ "1GB", true, 1073741824 },
	{ "512mb", true, 536870912 },
	{ "05mb", true, 5242880 },
	{ "00", true, 0 },
	{ "", true, 0 },
	{ "mb", true, 0 },
	{ "18446744073709551615", true, UINT64_MAX },
	{ "18446744073709551616", true, UINT64_MAX },
	{ "99999999999999999999999999", true, UINT64_MAX },
	{ "17179869183gb", true, 17179869183ULL << 30 },
	{ "17179869184gb", true, UINT64_MAX },
	{ "18446744073709551615kb", true, UINT64_MAX },
	{ "18446744073709551b", true, 18446744073709551ULL },
	{ "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "111111111111111111111111111111111111111111", true, UINT64_MAX },	/* 127 digits */
	{ "1111111111111111111111111111111111111111111111111111111111111111111111111111111111111"
	  "1111111111111111111111111111111111111111111", false, 0 },		/* 128 digits */
	{ "-1", false, 0 },
	{ "-1mb", false, 0 },
	{ "-0", false, 0 },
	{ "+1", false, 0 },
	{ " 1", false, 0 },
	{ "1 ", false, 0 },
	{ "1 mb", false, 0 },
	{ "1.5mb", false, 0 },
	{ "1tb", false, 0 },
	{ "1kbb", false, 0 },
	{ "1bb", false, 0 },
	{ "0x10", false, 0 },
	{ "1e6", false, 0 },
	{ "mb1", false, 0 },
	{ "1mb ", false, 0 },
	{ "b1", false, 0 },
};

START_TEST(test_memory)
{
	uint64_t v = 12345;

	ck_assert_msg(cfg_parse_memory(memory[_i].s, &v) == memory[_i].ok, "'%s'", memory[_i].s);
	if (memory[_i].ok)
		ck_assert_msg(v == memory[_i].v, "'%s': %llu", memory[_i].s, (unsigned long long)v);
	else
		ck_assert_uint_eq(v, 12345);
}
END_TEST

/* ---- booleans, through every boolean name ---- */

START_TEST(test_booleans)
{
	static const char *const names[] = { "replica-read-only", "slave-read-only",
	    "replica-serve-stale-data", "slave-serve-stale-data", "daemonize" };
	static const struct {
		const char *word;
		const char *want;	/* NULL = refused */
	} words[] = {
		{ "yes", "yes" }, { "YES", "yes" }, { "Yes", "yes" }, { "no", "no" }, { "NO", "no" },
		{ "nO", "no" }, { "1", NULL }, { "0", NULL }, { "true", NULL }, { "y", NULL },
		{ "", NULL }, { "yes ", NULL }, { "yess", NULL },
	};
	struct config c;
	char err[ERRLEN], before[1024];

	cfg_init(&c);
	for (size_t n = 0; n < NELEM(names); n++) {
		for (size_t w = 0; w < NELEM(words); w++) {
			const char *v[1] = { words[w].word };

			getv(&c, names[n], before, sizeof before);
			err[0] = '\0';
			if (words[w].want != NULL) {
				ck_assert(cfg_set(&c, names[n], 1, v, err, sizeof err));
				assert_get(&c, names[n], words[w].want);
			} else {
				ck_assert(!cfg_set(&c, names[n], 1, v, err, sizeof err));
				ck_assert_str_eq(err, "argument must be 'yes' or 'no'");
				assert_get(&c, names[n], before);
			}
		}
	}
	/* an alias and its primary are one value */
	ck_assert(load(&c, "replica-read-only yes\nslave-read-only no", err));
	assert_get(&c, "replica-read-only", "no");
	ck_assert(!c.replica_read_only);
	cfg_free(&c);
}
END_TEST

/* ---- cfg_set: a failure leaves every option as it was ---- */

static const struct {
	const char *name;
	const char *argv[20];
	const char *err;
} set_bad[] = {
	{ "port", { "abc" }, "argument couldn't be parsed into an integer" },
	{ "port", { "1", "2" }, "wrong number of arguments" },
	{ "port", { NULL }, "wrong number of arguments" },
	{ "maxclients", { "0" }, "argument must be between 1 and 4294967295 inclusive" },
	{ "hz", { "-5" }, "argument must be between 0 and 2147483647 inclusive" },
	{ "proto-max-bulk-len", { "1k" },
	    "argument must be between 1048576 and 9223372036854775807 inclusive" },
	{ "client-query-buffer-limit", { "x" }, "argument must be a memory value" },
	{ "unixsocketperm", { "8" }, "argument couldn't be parsed as an octal number" },
	{ "loglevel", { "loud" }, "argument(s) must be one of the following: "
	    "debug, verbose, notice, warning" },
	{ "daemonize", { "on" }, "argument must be 'yes' or 'no'" },
	{ "bind", { "1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17" },
	    "Too many bind addresses specified." },
	{ "bind", { "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
	    "16", "17" }, "Too many bind addresses specified." },
	{ "client-output-buffer-limit", { "normal 1 2 3 pubsub x 2 3" },
	    "Error in hard, soft or soft_seconds setting in buffer limit configuration." },
	{ "client-output-buffer-limit", { "normal", "1", "2", "3", "bogus", "1", "2", "3" },
	    "Invalid client class specified in buffer limit configuration." },
	{ "client-output-buffer-limit", { "normal 1 2 3 pubsub" },
	    "Wrong number of arguments in buffer limit configuration." },
	{ "replicaof", { "other 99999" }, "Invalid master port" },
	{ "slaveof", { "other", "1x" }, "Invalid master port" },
	{ "replicaof", { "other" }, "wrong number of arguments" },
	{ "replicaof", { "" }, "wrong number of arguments" },
	{ "replicaof", { "'unbalanced" }, "wrong number of arguments" },
	{ "dir", { "/nonexistent-dir-of-check-config" }, "No such file or directory" },
	{ "requirepass", { "a", "b" }, "wrong number of arguments" },
	{ "no-such-option", { "1" }, "Bad directive or wrong number of arguments" },
	{ "", { "1" }, "Bad directive or wrong number of arguments" },
};

START_TEST(test_set_failure_keeps_config)
{
	static char before[16384], after[16384];
	struct config c;
	char err[ERRLEN];
	int argc = 0;

	while (set_bad[_i].argv[argc] != NULL)
		argc++;
	cfg_init(&c);
	ck_assert(load(&c, "replicaof h 1\nrequirepass pw\nbind x y\ndir /\n"
	    "client-output-buffer-limit normal 7 8 9\nunixsocket /tmp/s\nloglevel debug", err));
	snapshot(&c, before, sizeof before);
	ck_assert(!cfg_set(&c, set_bad[_i].name, argc, set_bad[_i].argv, err, sizeof err));
	ck_assert_str_eq(err, set_bad[_i].err);
	snapshot(&c, after, sizeof after);
	ck_assert_str_eq(after, before);
	cfg_free(&c);
}
END_TEST

START_TEST(test_set)
{
	struct config c;
	char err[ERRLEN];
	const char *one[1], *two[2];

	cfg_init(&c);
	/* CONFIG SET passes multi-word values as one word */
	one[0] = "a  'b c'";
	ck_assert(cfg_set(&c, "BIND", 1, one, err, sizeof err));
	ck_assert_int_eq(c.nbind, 2);
	ck_assert_str_eq(c.bind[1], "b c");
	one[0] = "";
	ck_assert(cfg_set(&c, "bind", 1, one, err, sizeof err));
	ck_assert_int_eq(c.nbind, 0);
	/* a word with unbalanced quotes splits into nothing, as in Redis */
	one[0] = "'a";
	ck_assert(cfg_set(&c, "bind", 1, one, err, sizeof err));
	ck_assert_int_eq(c.nbind, 0);
	ck_assert(cfg_set(&c, "bind", 0, NULL, err, sizeof err));
	ck_assert_int_eq(c.nbind, 0);
	one[0] = "pubsub 1 2 3";
	ck_assert(cfg_set(&c, "client-output-buffer-limit", 1, one, err, sizeof err));
	ck_assert_uint_eq(c.obuf[CFG_CLASS_PUBSUB].soft, 2);
	/* replacing strings frees the old ones (the sanitizers check) */
	two[0] = "h1";
	two[1] = "1";
	ck_assert(cfg_set(&c, "slaveof", 2, two, err, sizeof err));
	two[0] = "h2";
	ck_assert(cfg_set(&c, "replicaof", 2, two, err, sizeof err));
	assert_get(&c, "replicaof", "h2 1");
	two[0] = "no";
	two[1] = "one";
	ck_assert(cfg_set(&c, "replicaof", 2, two, err, sizeof err));
	ck_assert_ptr_null(c.replicaof_host);
	one[0] = "p1";
	ck_assert(cfg_set(&c, "requirepass", 1, one, err, sizeof err));
	one[0] = "p2";
	ck_assert(cfg_set(&c, "requirepass", 1, one, err, sizeof err));
	ck_assert_str_eq(c.requirepass, "p2");
	/* argv is borrowed: the config keeps copies */
	{
		char word[] = "mutable";

		one[0] = word;
		ck_assert(cfg_set(&c, "masteruser", 1, one, err, sizeof err));
		word[0] = 'X';
		ck_assert_str_eq(c.masteruser, "mutable");
	}
	cfg_free(&c);
}
END_TEST

/* ---- cfg_get: what it prints reads back to the same value ---- */

START_TEST(test_get_round_trip)
{
	struct config a, b;
	char err[ERRLEN], v[1024], w[1024];
	const char *one[1] = { v };

	cfg_init(&a);
	ck_assert(load(&a, good[_i].text, err));
	for (size_t i = 0; i < cfg_count(); i++) {
		cfg_get(&a, i, v, sizeof v);
		/* Redis cannot read an unset replicaof back either: "" is no host and port */
		if (cfg_primary(i) == (size_t)cfg_lookup("replicaof") && v[0] == '\0')
			continue;
		cfg_init(&b);
		ck_assert_msg(cfg_set(&b, cfg_name(i), 1, one, err, sizeof err), "%s '%s': %s",
		    cfg_name(i), v, err);
		cfg_get(&b, i, w, sizeof w);
		ck_assert_msg(strcmp(v, w) == 0, "%s: '%s' read back as '%s'", cfg_name(i), v, w);
		cfg_free(&b);
	}
	cfg_free(&a);
}
END_TEST

START_TEST(test_get_truncation)
{
	static const char full[] = "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 "
	    "8388608 60";
	struct config c;
	char buf[16];
	size_t i = (size_t)cfg_lookup("client-output-buffer-limit");

	cfg_init(&c);
	memset(buf, 'z', sizeof buf);
	ck_assert_uint_eq(cfg_get(&c, i, buf, 10), strlen(full));
	ck_assert_str_eq(buf, "normal 0 ");
	ck_assert_int_eq(buf[10], 'z');
	ck_assert_uint_eq(cfg_get(&c, i, NULL, 0), strlen(full));
	ck_assert_uint_eq(cfg_get(&c, i, buf, 1), strlen(full));
	ck_assert_str_eq(buf, "");
	ck_assert_uint_eq(cfg_get(&c, (size_t)cfg_lookup("port"), buf, 5), 4);
	ck_assert_str_eq(buf, "6379");
	ck_assert_uint_eq(cfg_get(&c, (size_t)cfg_lookup("port"), buf, 4), 4);
	ck_assert_str_eq(buf, "637");
	cfg_free(&c);
}
END_TEST

/* ---- the names CONFIG GET lists, with Redis 7.0's flags ---- */

START_TEST(test_names)
{
	static const struct {
		const char *name;
		const char *primary;
		unsigned flags;
	} names[] = {
		{ "port", "port", 0 },
		{ "bind", "bind", CFG_F_MULTI },
		{ "tcp-backlog", "tcp-backlog", CFG_F_IMMUTABLE },
		{ "unixsocket", "unixsocket", CFG_F_IMMUTABLE },
		{ "unixsocketperm", "unixsocketperm", CFG_F_IMMUTABLE },
		{ "replicaof", "replicaof", CFG_F_IMMUTABLE | CFG_F_MULTI },
		{ "slaveof", "replicaof", CFG_F_IMMUTABLE | CFG_F_MULTI },
		{ "masterauth", "masterauth", CFG_F_SENSITIVE },
		{ "masteruser", "masteruser", CFG_F_SENSITIVE },
		{ "requirepass", "requirepass", CFG_F_SENSITIVE },
		{ "maxclients", "maxclients", 0 },
		{ "timeout", "timeout", 0 },
		{ "tcp-keepalive", "tcp-keepalive", 0 },
		{ "proto-max-bulk-len", "proto-max-bulk-len", 0 },
		{ "client-query-buffer-limit", "client-query-buffer-limit", 0 },
		{ "client-output-buffer-limit", "client-output-buffer-limit", CFG_F_MULTI },
		{ "replica-read-only", "replica-read-only", 0 },
		{ "slave-read-only", "replica-read-only", 0 },
		{ "replica-serve-stale-data", "replica-serve-stale-data", 0 },
		{ "slave-serve-stale-data", "replica-serve-stale-data", 0 },
		{ "databases", "databases", CFG_F_IMMUTABLE },
		{ "hz", "hz", 0 },
		{ "dir", "dir", CFG_F_PROTECTED },
		{ "logfile", "logfile", CFG_F_IMMUTABLE },
		{ "loglevel", "loglevel", 0 },
		{ "daemonize", "daemonize", CFG_F_IMMUTABLE },
		{ "pidfile", "pidfile", CFG_F_IMMUTABLE },
		{ "dbfilename", "dbfilename", CFG_F_PROTECTED },
		{ "hash-max-listpack-entries", "hash-max-listpack-entries", 0 },
		{ "hash-max-ziplist-entries", "hash-max-listpack-entries", 0 },
		{ "hash-max-listpack-value", "hash-max-listpack-value", 0 },
		{ "hash-max-ziplist-value", "hash-max-listpack-value", 0 },
		{ "list-max-listpack-size", "list-max-listpack-size", 0 },
		{ "list-max-ziplist-size", "list-max-listpack-size", 0 },
		{ "list-compress-depth", "list-compress-depth", 0 },
		{ "set-max-intset-entries", "set-max-intset-entries", 0 },
		{ "set-max-listpack-entries", "set-max-listpack-entries", 0 },
		{ "set-max-listpack-value", "set-max-listpack-value", 0 },
		{ "zset-max-listpack-entries", "zset-max-listpack-entries", 0 },
		{ "zset-max-ziplist-entries", "zset-max-listpack-entries", 0 },
		{ "zset-max-listpack-value", "zset-max-listpack-value", 0 },
		{ "zset-max-ziplist-value", "zset-max-listpack-value", 0 },
		{ "hll-sparse-max-bytes", "hll-sparse-max-bytes", 0 },
		{ "busy-reply-threshold", "busy-reply-threshold", 0 },
		{ "lua-time-limit", "busy-reply-threshold", 0 },
	};
	char upper[64];

	ck_assert_uint_eq(cfg_count(), NELEM(names));
	for (size_t i = 0; i < NELEM(names); i++) {
		int k = cfg_lookup(names[i].name);

		ck_assert_msg(k >= 0, "%s missing", names[i].name);
		ck_assert_str_eq(cfg_name((size_t)k), names[i].name);
		ck_assert_uint_eq(cfg_primary((size_t)k), (size_t)cfg_lookup(names[i].primary));
		ck_assert_msg(cfg_flags((size_t)k) == names[i].flags, "%s flags %u", names[i].name,
		    cfg_flags((size_t)k));
		for (size_t j = 0; j <= strlen(names[i].name); j++)
			upper[j] = (char)(names[i].name[j] >= 'a' && names[i].name[j] <= 'z' ?
			    names[i].name[j] - 32 : names[i].name[j]);
		ck_assert_int_eq(cfg_lookup(upper), k);
	}
	ck_assert_int_eq(cfg_lookup("include"), -1);
	ck_assert_int_eq(cfg_lookup("port "), -1);
	ck_assert_int_eq(cfg_lookup(""), -1);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, test_defaults);
	suite_add_tcase(s, tc);

	tc = tcase_create("options");
	tcase_add_loop_test(tc, test_file_options, 0, NELEM(good));
	tcase_add_loop_test(tc, test_argv_options, 0, NELEM(good));
	tcase_add_test(tc, test_fields);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_file_errors, 0, NELEM(bad));
	tcase_add_loop_test(tc, test_argv_errors, 0, NELEM(bad_argv));
	tcase_add_test(tc, test_error_truncated);
	suite_add_tcase(s, tc);

	tc = tcase_create("command_line");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_argv_file_and_options);
	tcase_add_test(tc, test_argv_line_numbers);
	tcase_add_test(tc, test_argv_file_errors);
	tcase_add_test(tc, test_argv_quirks);
	tcase_add_test(tc, test_argv_stdin);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_include);
	tcase_add_test(tc, test_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_loop_test(tc, test_memory, 0, NELEM(memory));
	suite_add_tcase(s, tc);

	tc = tcase_create("booleans");
	tcase_add_test(tc, test_booleans);
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_add_loop_test(tc, test_set_failure_keeps_config, 0, NELEM(set_bad));
	tcase_add_test(tc, test_set);
	suite_add_tcase(s, tc);

	tc = tcase_create("get");
	tcase_add_loop_test(tc, test_get_round_trip, 0, NELEM(good));
	tcase_add_test(tc, test_get_truncation);
	suite_add_tcase(s, tc);

	tc = tcase_create("names");
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);

	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
