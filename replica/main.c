/*
 * main.c: wires replicant together: configuration, log, command table, server. Nothing else
 * lives here; start reading at replica/server/conn.c for the request path.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "replica/commands/cmd.h"
#include "replica/config.h"
#include "replica/log.h"
#include "replica/server/server.h"
#include "storage/hll.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_load.h"

static void
usage(FILE *fp)
{
	fprintf(fp,
	    "Usage: replicant [/path/to/replicant.conf] [options]\n"
	    "       replicant -v or --version\n"
	    "       replicant -h or --help\n"
	    "\n"
	    "Options are configuration directives given as --name value, e.g.\n"
	    "       replicant --port 6380 --replicaof 127.0.0.1 6379\n"
	    "       replicant replicant.conf --loglevel verbose\n");
}

static bool
daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return false;
	if (pid > 0)
		exit(0);
	setsid();
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	return true;
}

static void
write_pidfile(const char *path)
{
	FILE *fp = fopen(path, "w");

	if (fp == NULL) {
		log_warning("Failed to write PID file: %s", strerror(errno));
		return;
	}
	fprintf(fp, "%ld\n", (long)getpid());
	fclose(fp);
}

/*
 * Loads dir/dbfilename into the keyspace if the file exists, as redis-server does at start-up.
 * Returns false (after logging why) if it exists but cannot be loaded: Redis then exits.
 */
static bool
load_dump(struct server *srv, const struct config *cfg)
{
	struct rdb_load_stats st;
	int64_t t0 = server_time_us();
	char err[256];

	if (access(cfg->dbfilename, F_OK) != 0)
		return true;
	if (!rdb_load_file(cfg->dbfilename, srv->store, t0 / 1000, &st, err, sizeof err)) {
		log_warning("Fatal error loading the DB (%s): %s. Exiting.", cfg->dbfilename, err);
		return false;
	}
	log_notice("Done loading RDB, keys loaded: %llu, keys expired: %llu.",
	    (unsigned long long)st.keys, (unsigned long long)st.expired);
	log_notice("DB loaded from disk: %.3f seconds", (double)(server_time_us() - t0) / 1e6);
	return true;
}

int
main(int argc, char **argv)
{
	struct config cfg;
	struct server srv;
	char err[2048];
	int status = 0;

	if (argc == 2 && (!strcmp(argv[1], "-v") || !strcmp(argv[1], "--version"))) {
		printf("replicant v=%s (Redis protocol 7.0 compatible)\n", PACKAGE_VERSION);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	cfg_init(&cfg);
	if (!cfg_load_args(&cfg, argc, argv, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		cfg_free(&cfg);
		return 1;
	}
	if (cfg.daemonize && !daemonize()) {
		fprintf(stderr, "Can't daemonize: %s\n", strerror(errno));
		cfg_free(&cfg);
		return 1;
	}
	if (!log_open(cfg.logfile, cfg.loglevel, cfg.replicaof_host ? 'S' : 'M')) {
		fprintf(stderr, "Can't open the log file: %s\n", strerror(errno));
		cfg_free(&cfg);
		return 1;
	}
	if (cfg.pidfile != NULL && cfg.pidfile[0] != '\0')
		write_pidfile(cfg.pidfile);

	obj_limits = (struct obj_limits){
		.hash_max_listpack_entries = cfg.hash_max_listpack_entries,
		.hash_max_listpack_value = cfg.hash_max_listpack_value,
		.list_max_listpack_size = cfg.list_max_listpack_size,
		.list_compress_depth = cfg.list_compress_depth,
		.set_max_intset_entries = cfg.set_max_intset_entries,
		.set_max_listpack_entries = cfg.set_max_listpack_entries,
		.set_max_listpack_value = cfg.set_max_listpack_value,
		.zset_max_listpack_entries = cfg.zset_max_listpack_entries,
		.zset_max_listpack_value = cfg.zset_max_listpack_value,
	};
	hll_sparse_max_bytes = (size_t)cfg.hll_sparse_max_bytes;
	cmd_table_init();
	log_notice("replicant %s starting, pid=%ld", PACKAGE_VERSION, (long)getpid());
	if (!server_init(&srv, &cfg, err, sizeof(err))) {
		log_warning("%s", err);
		status = 1;
		goto out;
	}
	if (!load_dump(&srv, &cfg)) {
		status = 1;
		goto out;
	}
	if (cfg.replicaof_host != NULL)
		log_warning("Configured to follow %s:%d, but replication is not built yet: serving "
		    "without a primary", cfg.replicaof_host, cfg.replicaof_port);
	log_notice("Ready to accept connections");
	server_run(&srv);
	log_warning("replicant is now ready to exit, bye bye...");
out:
	server_free(&srv);
	cmd_table_free();
	if (cfg.pidfile != NULL && cfg.pidfile[0] != '\0')
		unlink(cfg.pidfile);
	log_close();
	cfg_free(&cfg);
	return status;
}
