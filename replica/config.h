/*
 * config: replicant's options, from a redis.conf-style file and the command line.
 *
 * `replicant [file] [--name value ...]` reads the file first, then each --name as if it were one
 * more line of the file, as redis-server does. Every option has Redis' default, its value syntax
 * (memory units like 512mb, yes/no booleans) and, on error, Redis' message naming the line.
 * CONFIG GET reads the options back through cfg_get() in Redis' text form; CONFIG SET goes
 * through cfg_lookup(), cfg_flags() and cfg_set().
 *
 * Used by main.c at start-up and by the server's CONFIG command, on the main thread only.
 */
#ifndef REPLICANT_CONFIG_H
#define REPLICANT_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_BIND 16

/* loglevel; "nothing" is Redis 7.2's, accepted here too. */
enum cfg_loglevel { CFG_LOG_DEBUG, CFG_LOG_VERBOSE, CFG_LOG_NOTICE, CFG_LOG_WARNING, CFG_LOG_NOTHING };

/* The client classes of client-output-buffer-limit. */
enum cfg_client_class { CFG_CLASS_NORMAL, CFG_CLASS_REPLICA, CFG_CLASS_PUBSUB, CFG_CLASS_COUNT };

struct cfg_obuf_limit {
	uint64_t hard;		/* bytes; 0 = no limit */
	uint64_t soft;		/* bytes; 0 = no limit */
	int64_t soft_seconds;	/* how long the soft limit may be exceeded */
};

/*
 * Every field is owned by the struct: strings are xmalloc'd, NULL when unset unless stated.
 * Read the fields freely; change them only through cfg_set() so that strings are freed and
 * values validated.
 */
struct config {
	char *config_file;		/* absolute path of the file given on the command line, or NULL */
	int port;			/* 6379; 0 = no TCP listener */
	char *bind[CFG_MAX_BIND];	/* "127.0.0.1" "-::1"; a leading '-' means "skip if unavailable" */
	int nbind;			/* 0..CFG_MAX_BIND; 0 = listen nowhere on TCP */
	int tcp_backlog;		/* 511 */
	char *unixsocket;		/* NULL = none */
	int unixsocketperm;		/* 0 = umask default; octal in the file */
	char *replicaof_host;		/* NULL = no primary */
	int replicaof_port;		/* 0..65535; meaningful only with replicaof_host */
	char *masterauth;
	char *masteruser;
	char *requirepass;		/* NULL = no password */
	int maxclients;			/* 10000; Redis allows up to 4294967295, kept here as at most INT_MAX */
	int timeout;			/* seconds idle before a client is closed; 0 = never */
	int tcp_keepalive;		/* 300 seconds */
	uint64_t proto_max_bulk_len;	/* 512mb; 1mb..INT64_MAX */
	uint64_t client_query_buffer_limit; /* 1gb; 1mb..INT64_MAX */
	struct cfg_obuf_limit obuf[CFG_CLASS_COUNT]; /* normal 0 0 0, replica 256mb 64mb 60, pubsub 32mb 8mb 60 */
	bool replica_read_only;		/* yes */
	bool replica_serve_stale_data;	/* yes */
	int databases;			/* 16 */
	int hz;				/* 10; a value set outside 1..500 is clamped, as Redis does */
	char *dir;			/* absolute working directory, already chdir()ed to; NULL = never set */
	char *logfile;			/* "" = standard output; never NULL */
	enum cfg_loglevel loglevel;	/* notice */
	bool daemonize;			/* no */
	char *pidfile;			/* NULL = none */
	char *dbfilename;		/* "dump.rdb": loaded from dir at start-up if present */
	/* encoding thresholds (storage's struct obj_limits), Redis' defaults */
	int64_t hash_max_listpack_entries;	/* 512 (redis.conf ships 128; the server default is 512) */
	int64_t hash_max_listpack_value;	/* 64 */
	int64_t list_max_listpack_size;		/* -2 */
	int64_t list_compress_depth;		/* 0 */
	int64_t set_max_intset_entries;		/* 512 */
	int64_t set_max_listpack_entries;	/* 128 */
	int64_t set_max_listpack_value;		/* 64 */
	int64_t zset_max_listpack_entries;	/* 128 */
	int64_t zset_max_listpack_value;	/* 64 */
	uint64_t hll_sparse_max_bytes;		/* 3000: a sparse HyperLogLog past this becomes dense */
	/* ms a script runs before other clients get -BUSY and SCRIPT KILL works; 0 = never */
	int64_t busy_reply_threshold;		/* 5000 (alias lua-time-limit) */
};

/* What CONFIG SET and the command log must know about an option (cfg_flags). */
enum cfg_flag {
	CFG_F_IMMUTABLE = 1 << 0,	/* CONFIG SET answers "can't set immutable config" */
	CFG_F_PROTECTED = 1 << 1,	/* CONFIG SET answers "can't set protected config"
					 * (Redis' enable-protected-configs defaults to no) */
	CFG_F_SENSITIVE = 1 << 2,	/* a secret: redact the value in SLOWLOG, MONITOR, logs */
	CFG_F_MULTI = 1 << 3,		/* takes several words; one word is split (see cfg_set) */
};

/* Fills c with Redis' defaults (bind as redis.conf ships it: 127.0.0.1 -::1). Free with cfg_free. */
void cfg_init(struct config *c);
/* Frees what c owns and zero-fills it. */
void cfg_free(struct config *c);

/*
 * Loads the command line into c (initialised by cfg_init), as redis-server 7.0's main() does:
 * argv[0] is the program; argv[1], unless it starts with '-', is the config file; every later
 * "--name" starts a line "name" and each following argument is appended to it quoted, so
 * "--port 6380 --bind a b" yields the lines `port "6380"` and `bind "a" "b"`; a "-" as the first
 * or last argument appends standard input after the file. The text applied is the file, stdin,
 * a newline, then those lines, so an option's line number counts the file's lines plus one.
 * Handles neither -v/--version nor -h/--help: main does, before calling this.
 *
 * Returns true, or false with err holding the text Redis writes to stderr before exiting 1,
 * minus its final newline: a "*** FATAL CONFIG FILE ERROR ***" block (which starts with a blank
 * line) or "Fatal error, can't open config file '<abs path>': <reason>" (a log line in Redis).
 * fprintf(stderr, "%s\n", err) then exit(1) reproduces Redis' bytes. err is NUL-terminated and
 * truncated to errlen; 1024 bytes hold any message but one echoing a longer line. On failure c
 * holds the options applied so far; it must still be freed with cfg_free.
 * Side effects: `dir` chdir()s at once, as in Redis, so later relative paths (include, logfile)
 * resolve against it; at the end a non-empty logfile is opened for appending (created) to check
 * it, as Redis does.
 */
bool cfg_load_args(struct config *c, int argc, char **argv, char *err, size_t errlen);

/*
 * Applies the text of a config file as Redis' loadServerConfigFromString does: lines split on
 * '\n', trimmed, '#' comment and blank lines skipped, words split like redis-cli arguments
 * (quotes, \n \xHH escapes), option names case-insensitive, `include <path or glob>` read in
 * place. `origin` is for the caller's own logs: Redis' message names no source, so err does not.
 * Returns true, or false with err as for cfg_load_args (the line number, the line, the reason).
 * Same side effects as cfg_load_args.
 */
bool cfg_load_string(struct config *c, const char *text, const char *origin, char *err, size_t errlen);

/*
 * Sets one option from its words (argv[0] is the value's first word; a value word holding a NUL
 * byte is cut there). name is case-insensitive and may be an alias. An option with CFG_F_MULTI
 * given exactly one non-empty word splits it like a config line, so CONFIG SET can pass its
 * value string as argc 1 ("bind" "a b"); others need exactly one word. Applies the option
 * whatever its cfg_flags: CONFIG SET checks those first.
 * Returns true, or false with Redis' reason in err (e.g. "argument couldn't be parsed into an
 * integer"; for an unknown name "Bad directive or wrong number of arguments"), and then c is
 * unchanged. Strings are copied: argv is only borrowed. `dir` chdir()s (see cfg_load_args).
 */
bool cfg_set(struct config *c, const char *name, int argc, const char *const *argv,
    char *err, size_t errlen);

/*
 * Number of option names CONFIG GET knows, aliases (slaveof, slave-read-only,
 * slave-serve-stale-data) included as Redis 7.0 lists them; their names are cfg_name(0..n-1).
 */
size_t cfg_count(void);
/* Returns option i's name (static storage); i < cfg_count(). */
const char *cfg_name(size_t i);
/* Returns the index of the option called name (any case; an alias has its own index), or -1. */
int cfg_lookup(const char *name);
/* Returns the index of the option that alias i stands for (i itself for a primary name): two
 * indexes name the same option when their cfg_primary is equal (CONFIG SET's duplicate check). */
size_t cfg_primary(size_t i);
/* Returns option i's enum cfg_flag bits; i < cfg_count(). */
unsigned cfg_flags(size_t i);
/*
 * Writes option i's value as Redis 7.0's CONFIG GET prints it into buf (NUL-terminated,
 * truncated to len; buf may be NULL when len is 0) and returns the full length it needed, as
 * snprintf does. i < cfg_count(). dir never set reads the current directory.
 */
size_t cfg_get(const struct config *c, size_t i, char *buf, size_t len);

/*
 * Parses a memory amount as Redis' memtoull does: digits (leading zeros allowed, none at all
 * reads 0) then an optional unit b, k (1000), kb (1024), m, mb, g, gb in any case; no sign, no
 * space, no fraction. A value past UINT64_MAX saturates to UINT64_MAX (Redis' strtoull
 * saturates, its multiplication wraps). Returns true and sets *out, or false if malformed.
 */
bool cfg_parse_memory(const char *s, uint64_t *out);

#endif
