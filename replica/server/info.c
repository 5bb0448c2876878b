/*
 * info.c: the INFO text. Field names are redis-server 7.0's, so monitoring tools read
 * replicant as they read Redis; sections that have nothing to report yet still appear with the
 * fields Redis always prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lua/script.h"
#include "replica/commands/cmd.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/store.h"

struct text {
	char *buf;
	size_t len, cap;
};

static void __attribute__((format(printf, 2, 3)))
text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)(n > 0 ? n : 0);
		t->buf = xrealloc(t->buf, t->cap);
	}
	t->len += (size_t)n;
}

/* Formats bytes as Redis' bytesToHuman does ("895.36K", "6.49M", "0B"). */
static void
human(char *buf, size_t len, double n)
{
	static const char units[] = "KMGTPE";

	if (n < 1024) {
		snprintf(buf, len, "%lluB", (unsigned long long)n);
		return;
	}
	for (int i = 0; units[i] != '\0'; i++) {
		n /= 1024;
		if (n < 1024 || units[i + 1] == '\0') {
			snprintf(buf, len, "%.2f%c", n, units[i]);
			return;
		}
	}
}

static size_t
rss_bytes(void)
{
	long pages = 0, resident = 0;
	FILE *fp = fopen("/proc/self/statm", "r");

	if (fp == NULL)
		return 0;
	if (fscanf(fp, "%ld %ld", &pages, &resident) != 2)
		resident = 0;
	fclose(fp);
	return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

static void
section_server(struct server *srv, struct text *t, int64_t now_us)
{
	struct utsname u;
	int64_t uptime = (now_us / 1000 - srv->start_ms) / 1000;

	uname(&u);
	text_printf(t, "# Server\r\n"
	    "redis_version:%s\r\n"
	    "replicant_version:%s\r\n"
	    "redis_git_sha1:00000000\r\n"
	    "redis_git_dirty:0\r\n"
	    "redis_build_id:0\r\n"
	    "redis_mode:standalone\r\n"
	    "os:%s %s %s\r\n"
	    "arch_bits:%d\r\n"
	    "monotonic_clock:POSIX clock_gettime\r\n"
	    "multiplexing_api:%s\r\n"
	    "atomicvar_api:c11-builtin\r\n"
	    "gcc_version:%d.%d.%d\r\n"
	    "process_id:%ld\r\n"
	    "process_supervised:no\r\n"
	    "run_id:%s\r\n"
	    "tcp_port:%d\r\n"
	    "server_time_usec:%lld\r\n"
	    "uptime_in_seconds:%lld\r\n"
	    "uptime_in_days:%lld\r\n"
	    "hz:%d\r\n"
	    "configured_hz:%d\r\n"
	    "lru_clock:%lld\r\n"
	    "executable:%s\r\n"
	    "config_file:%s\r\n"
	    "io_threads_active:0\r\n",
	    REDIS_COMPAT_VERSION, PACKAGE_VERSION, u.sysname, u.release, u.machine,
	    (int)(sizeof(void *) * 8), event_base_get_method(srv->base),
#ifdef __GNUC__
	    __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__,
#else
	    0, 0, 0,
#endif
	    (long)getpid(), srv->run_id, srv->cfg->port, (long long)now_us, (long long)uptime,
	    (long long)(uptime / 86400), srv->cfg->hz, srv->cfg->hz,
	    (long long)((now_us / 1000000) & ((1 << 24) - 1)), srv->executable,
	    srv->cfg->config_file ? srv->cfg->config_file : "");
}

static void
section_clients(struct server *srv, struct text *t)
{
	text_printf(t, "# Clients\r\n"
	    "connected_clients:%zu\r\n"
	    "cluster_connections:0\r\n"
	    "maxclients:%d\r\n"
	    "client_recent_max_input_buffer:%zu\r\n"
	    "client_recent_max_output_buffer:%zu\r\n"
	    "blocked_clients:%zu\r\n"
	    "tracking_clients:0\r\n"
	    "clients_in_timeout_table:0\r\n",
	    srv->nclients, srv->cfg->maxclients, srv->stats.client_max_input_buffer,
	    srv->stats.client_max_output_buffer, srv->nblocked);
}

static void
section_memory(struct server *srv, struct text *t)
{
	int64_t used = mem_used();
	size_t rss = rss_bytes();
	long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
	double total = (double)pages * (double)psize;
	size_t lua = script_lua_memory(srv->scripts);
	size_t scripts = script_bodies_memory(srv->scripts);
	char h_used[32], h_rss[32], h_total[32], h_lua[32], h_scripts[32];

	human(h_used, sizeof(h_used), (double)used);
	human(h_rss, sizeof(h_rss), (double)rss);
	human(h_total, sizeof(h_total), total);
	human(h_lua, sizeof(h_lua), (double)lua);
	human(h_scripts, sizeof(h_scripts), (double)scripts);
	text_printf(t, "# Memory\r\n"
	    "used_memory:%lld\r\n"
	    "used_memory_human:%s\r\n"
	    "used_memory_rss:%zu\r\n"
	    "used_memory_rss_human:%s\r\n"
	    "total_system_memory:%.0f\r\n"
	    "total_system_memory_human:%s\r\n"
	    "used_memory_lua:%zu\r\n"
	    "used_memory_vm_eval:%zu\r\n"
	    "used_memory_lua_human:%s\r\n"
	    "used_memory_scripts_eval:%zu\r\n"
	    "number_of_cached_scripts:%zu\r\n"
	    "number_of_functions:0\r\n"
	    "number_of_libraries:0\r\n"
	    "used_memory_vm_functions:0\r\n"
	    "used_memory_vm_total:%zu\r\n"
	    "used_memory_vm_total_human:%s\r\n"
	    "used_memory_functions:0\r\n"
	    "used_memory_scripts:%zu\r\n"
	    "used_memory_scripts_human:%s\r\n"
	    "maxmemory:0\r\n"
	    "maxmemory_human:0B\r\n"
	    "maxmemory_policy:noeviction\r\n"
	    "mem_fragmentation_ratio:%.2f\r\n"
	    "mem_allocator:libc\r\n",
	    (long long)used, h_used, rss, h_rss, total, h_total, lua, lua, h_lua, scripts,
	    script_count(srv->scripts), lua, h_lua, scripts, h_scripts,
	    used > 0 ? (double)rss / (double)used : 0.0);
}

static void
section_stats(struct server *srv, struct text *t)
{
	const struct server_stats *s = &srv->stats;
	uint64_t ops = 0;

	for (size_t i = 0; i < sizeof(s->ops_samples) / sizeof(s->ops_samples[0]); i++)
		ops += s->ops_samples[i];
	ops /= sizeof(s->ops_samples) / sizeof(s->ops_samples[0]);
	text_printf(t, "# Stats\r\n"
	    "total_connections_received:%llu\r\n"
	    "total_commands_processed:%llu\r\n"
	    "instantaneous_ops_per_sec:%llu\r\n"
	    "total_net_input_bytes:%llu\r\n"
	    "total_net_output_bytes:%llu\r\n"
	    "rejected_connections:%llu\r\n"
	    "expired_keys:%llu\r\n"
	    "evicted_keys:0\r\n"
	    "keyspace_hits:%llu\r\n"
	    "keyspace_misses:%llu\r\n"
	    "total_error_replies:%llu\r\n"
	    "total_reads_processed:%llu\r\n"
	    "total_writes_processed:%llu\r\n",
	    (unsigned long long)s->connections_received,
	    (unsigned long long)s->commands_processed, (unsigned long long)ops,
	    (unsigned long long)s->net_input_bytes, (unsigned long long)s->net_output_bytes,
	    (unsigned long long)s->rejected_connections, (unsigned long long)s->expired_keys,
	    (unsigned long long)s->keyspace_hits, (unsigned long long)s->keyspace_misses,
	    (unsigned long long)s->error_replies, (unsigned long long)s->reads_processed,
	    (unsigned long long)s->writes_processed);
}

static void
section_replication(struct server *srv, struct text *t)
{
	const struct config *cfg = srv->cfg;

	if (cfg->replicaof_host == NULL) {
		text_printf(t, "# Replication\r\nrole:master\r\n");
	} else {
		text_printf(t, "# Replication\r\n"
		    "role:slave\r\n"
		    "master_host:%s\r\n"
		    "master_port:%d\r\n"
		    "master_link_status:down\r\n"
		    "master_last_io_seconds_ago:-1\r\n"
		    "master_sync_in_progress:0\r\n"
		    "slave_read_repl_offset:0\r\n"
		    "slave_repl_offset:0\r\n"
		    "master_link_down_since_seconds:-1\r\n"
		    "slave_priority:100\r\n"
		    "slave_read_only:%d\r\n"
		    "replica_announced:1\r\n",
		    cfg->replicaof_host, cfg->replicaof_port, cfg->replica_read_only ? 1 : 0);
	}
	text_printf(t, "connected_slaves:0\r\n"
	    "master_failover_state:no-failover\r\n"
	    "master_replid:%s\r\n"
	    "master_replid2:0000000000000000000000000000000000000000\r\n"
	    "master_repl_offset:0\r\n"
	    "second_repl_offset:-1\r\n"
	    "repl_backlog_active:0\r\n"
	    "repl_backlog_size:1048576\r\n"
	    "repl_backlog_first_byte_offset:0\r\n"
	    "repl_backlog_histlen:0\r\n", srv->run_id);
}

static void
section_cpu(struct text *t)
{
	struct rusage self;

	getrusage(RUSAGE_SELF, &self);
	text_printf(t, "# CPU\r\n"
	    "used_cpu_sys:%ld.%06ld\r\n"
	    "used_cpu_user:%ld.%06ld\r\n"
	    "used_cpu_sys_children:0.000000\r\n"
	    "used_cpu_user_children:0.000000\r\n",
	    (long)self.ru_stime.tv_sec, (long)self.ru_stime.tv_usec,
	    (long)self.ru_utime.tv_sec, (long)self.ru_utime.tv_usec);
}

static void
section_keyspace(struct server *srv, struct text *t)
{
	text_printf(t, "# Keyspace\r\n");
	for (int i = 0; i < srv->cfg->databases; i++) {
		struct db *db = store_db(srv->store, (unsigned)i);
		size_t keys = store_db_size(db);

		if (keys > 0)
			text_printf(t, "db%d:keys=%zu,expires=%zu,avg_ttl=%lld\r\n", i, keys,
			    store_db_expires(db), (long long)store_db_avg_ttl(db));
	}
}

enum {
	SEC_SERVER = 1 << 0, SEC_CLIENTS = 1 << 1, SEC_MEMORY = 1 << 2, SEC_STATS = 1 << 3,
	SEC_REPLICATION = 1 << 4, SEC_CPU = 1 << 5, SEC_KEYSPACE = 1 << 6,
	SEC_DEFAULT = 0x7f,
};

static const struct {
	const char *name;
	unsigned bit;
} sections[] = {
	{ "server", SEC_SERVER }, { "clients", SEC_CLIENTS }, { "memory", SEC_MEMORY },
	{ "stats", SEC_STATS }, { "replication", SEC_REPLICATION }, { "cpu", SEC_CPU },
	{ "keyspace", SEC_KEYSPACE }, { "default", SEC_DEFAULT }, { "all", SEC_DEFAULT },
	{ "everything", SEC_DEFAULT },
};

void
server_info(struct server *srv, struct resp_arg *argv, int argc, char **text, size_t *len)
{
	struct text t = { xmalloc(4096), 0, 4096 };
	unsigned want = argc == 0 ? SEC_DEFAULT : 0;
	int64_t now_us = server_time_us();
	bool first = true;

	for (int i = 0; i < argc; i++)
		for (size_t k = 0; k < sizeof(sections) / sizeof(sections[0]); k++)
			if (strlen(sections[k].name) == argv[i].len &&
			    strncasecmp(sections[k].name, argv[i].ptr, argv[i].len) == 0)
				want |= sections[k].bit;
	t.buf[0] = '\0';
#define SECTION(bit, call) \
	if (want & (bit)) { \
		if (!first) \
			text_printf(&t, "\r\n"); \
		first = false; \
		call; \
	}
	SECTION(SEC_SERVER, section_server(srv, &t, now_us));
	SECTION(SEC_CLIENTS, section_clients(srv, &t));
	SECTION(SEC_MEMORY, section_memory(srv, &t));
	SECTION(SEC_STATS, section_stats(srv, &t));
	SECTION(SEC_REPLICATION, section_replication(srv, &t));
	SECTION(SEC_CPU, section_cpu(&t));
	SECTION(SEC_KEYSPACE, section_keyspace(srv, &t));
#undef SECTION
	*text = t.buf;
	*len = t.len;
}
