/*
 * server.c: the event loop's fixed parts: listeners, the accept path, the close list, the
 * cron (idle timeouts, output-limit timers, ops/sec samples) and signals.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "replica/commands/cmd.h"
#include "replica/log.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"
#include "storage/store.h"

int64_t
server_time_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint64_t
monotonic_us(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int64_t
server_time_ms(void)
{
	return server_time_us() / 1000;
}

static void
on_accept(evutil_socket_t fd, short what, void *arg)
{
	struct listener *l = arg;

	/* Accept a bounded batch per event, as Redis' MAX_ACCEPTS_PER_CALL. */
	for (int i = 0; i < 1000; i++) {
		int cfd = accept(fd, NULL, NULL);

		if (cfd < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warning("Accepting client connection: %s", strerror(errno));
			return;
		}
		conn_accept(l->srv, cfd, l->unix_socket);
	}
}

void
server_serve_while_busy(struct server *srv, struct conn *running)
{
	size_t n = 0, cap = (size_t)srv->nlisteners + srv->nclients;
	struct pollfd *fds = xmalloc(cap * sizeof *fds);
	struct conn **conns = xmalloc(cap * sizeof *conns);
	struct conn *c;
	int ready;

	for (int i = 0; i < srv->nlisteners; i++) {
		fds[n].fd = srv->listeners[i].fd;
		fds[n].events = POLLIN;
		conns[n++] = NULL;
	}
	for (c = srv->clients; c != NULL && n < cap; c = c->next) {
		/* running's query buffer holds the script's own request: never touch it */
		if (c == running || (c->flags & (CONN_CLOSE_ASAP | CONN_PEER_EOF)))
			continue;
		fds[n].fd = c->fd;
		fds[n].events = POLLIN;
		conns[n++] = c;
	}
	ready = poll(fds, (nfds_t)n, 0);
	for (size_t i = 0; ready > 0 && i < n; i++) {
		if (fds[i].revents == 0)
			continue;
		ready--;
		if (conns[i] == NULL)
			on_accept(fds[i].fd, EV_READ, &srv->listeners[i]);
		else if (!(conns[i]->flags & CONN_CLOSE_ASAP))
			conn_read_ready(conns[i]);
	}
	xfree(fds);
	xfree(conns);
}

/* Opens a TCP listener on addr:port. Returns the fd, or -1 with a reason in err. */
static int
listen_tcp(const char *addr, int port, int backlog, char *err, size_t errlen)
{
	struct addrinfo hints, *res = NULL, *ai;
	char portstr[16];
	int fd = -1, rc, yes = 1;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST;
	snprintf(portstr, sizeof(portstr), "%d", port);
	rc = getaddrinfo(addr, portstr, &hints, &res);
	if (rc != 0) {
		snprintf(err, errlen, "%s", gai_strerror(rc));
		errno = EADDRNOTAVAIL;
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    ai->ai_protocol);
		if (fd < 0)
			continue;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
		if (ai->ai_family == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, backlog) == 0)
			break;
		snprintf(err, errlen, "%s", strerror(errno));
		rc = errno;
		close(fd);
		errno = rc;
		fd = -1;
	}
	freeaddrinfo(res);
	return fd;
}

static int
listen_unix(const char *path, int perm, int backlog, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path)) {
		snprintf(err, errlen, "unix socket path too long");
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	strcpy(sa.sun_path, path);
	unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, backlog) < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (perm != 0)
		chmod(path, (mode_t)perm);
	return fd;
}

static void
add_listener(struct server *srv, int fd, bool unix_socket)
{
	struct listener *l = &srv->listeners[srv->nlisteners++];

	l->fd = fd;
	l->unix_socket = unix_socket;
	l->srv = srv;
	event_assign(&l->ev, srv->base, fd, EV_READ | EV_PERSIST, on_accept, l);
	event_add(&l->ev, NULL);
}

static void
on_close_list(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;

	while (srv->close_list != NULL) {
		struct conn *c = srv->close_list;

		srv->close_list = c->close_next;
		conn_free(c);
	}
}

static void
on_cron(evutil_socket_t fd, short what, void *arg)
{
	struct server *srv = arg;
	int64_t now = server_time_ms();
	struct server_stats *s = &srv->stats;
	int timeout = srv->cfg->timeout;

	srv->cron_loops++;
	/* instantaneous_ops_per_sec: one sample every 100 ms, averaged over 16. */
	if (now - s->ops_sample_time_ms >= 100) {
		int64_t dt = now - s->ops_sample_time_ms;
		uint64_t ops = s->commands_processed - s->ops_sample_count;

		if (s->ops_sample_time_ms != 0 && dt > 0) {
			s->ops_samples[s->ops_sample_idx] = ops * 1000 / (uint64_t)dt;
			s->ops_sample_idx = (s->ops_sample_idx + 1) %
			    (int)(sizeof(s->ops_samples) / sizeof(s->ops_samples[0]));
		}
		s->ops_sample_time_ms = now;
		s->ops_sample_count = s->commands_processed;
	}
	/* Background work on the keyspace, each with a time budget: a quarter of a cron tick for
	 * active expiry, as Redis' slow cycle; 1 ms of rehashing. */
	if (store_get_mode(srv->store) == STORE_OFFLINE)
		s->expired_keys += store_expire_cycle(srv->store, now,
		    (uint64_t)(250000 / (srv->cfg->hz > 0 ? srv->cfg->hz : 10)));
	store_rehash_step(srv->store, 1000);
	for (struct conn *c = srv->clients; c != NULL; c = c->next) {
		if (c->flags & CONN_CLOSE_ASAP)
			continue;
		if (timeout > 0 && now - c->last_interaction_ms > (int64_t)timeout * 1000) {
			log_verbose("Closing idle client id=%llu addr=%s",
			    (unsigned long long)c->id, c->addr);
			conn_close_async(c);
			continue;
		}
		if (c->reply_bytes > 0)
			reply_check_limits(c, now);
	}
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct server *srv = arg;

	log_warning("Received %s scheduling shutdown...", sig == SIGINT ? "SIGINT" : "SIGTERM");
	srv->shutdown_asap = true;
	event_base_loopbreak(srv->base);
}

static void
make_run_id(char out[41])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[20];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	ssize_t got = fd >= 0 ? read(fd, raw, sizeof(raw)) : -1;

	if (fd >= 0)
		close(fd);
	if (got != (ssize_t)sizeof(raw)) {
		uint64_t x = (uint64_t)server_time_us() ^ ((uint64_t)getpid() << 32);

		for (size_t i = 0; i < sizeof(raw); i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			raw[i] = (unsigned char)(x >> 56);
		}
	}
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[2 * i] = hex[raw[i] >> 4];
		out[2 * i + 1] = hex[raw[i] & 15];
	}
	out[40] = '\0';
}

bool
server_init(struct server *srv, struct config *cfg, char *err, size_t errlen)
{
	struct timeval tv;
	char why[256];
	ssize_t n;

	memset(srv, 0, sizeof(*srv));
	srv->cfg = cfg;
	srv->base = event_base_new();
	if (srv->base == NULL) {
		snprintf(err, errlen, "cannot create the event loop");
		return false;
	}
	srv->start_ms = server_time_ms();
	srv->lastsave = srv->start_ms / 1000;
	make_run_id(srv->run_id);
	n = readlink("/proc/self/exe", srv->executable, sizeof(srv->executable) - 1);
	srv->executable[n > 0 ? n : 0] = '\0';
	srv->cmd_calls = xcalloc(cmd_table_size(), sizeof(*srv->cmd_calls));
	srv->store = store_new((unsigned)cfg->databases, (uint64_t)server_time_us() ^ (uint64_t)getpid());
	cmd_script_init(srv);
	store_set_clock(srv->store, monotonic_us, NULL);
	/* Without a primary to follow, or with writes allowed, replicant expires keys itself as a
	 * Redis primary does; following a primary it waits for the primary's DEL. */
	store_set_mode(srv->store, cfg->replicaof_host == NULL || !cfg->replica_read_only ?
	    STORE_OFFLINE : STORE_REPLICA);

	if (cfg->port != 0) {
		for (int i = 0; i < cfg->nbind; i++) {
			const char *addr = cfg->bind[i];
			bool optional = addr[0] == '-';
			int fd;

			if (optional)
				addr++;
			fd = listen_tcp(addr, cfg->port, cfg->tcp_backlog, why, sizeof(why));
			if (fd < 0) {
				if (optional && (errno == EADDRNOTAVAIL || errno == EAFNOSUPPORT ||
				    errno == EPROTONOSUPPORT || errno == ESOCKTNOSUPPORT ||
				    errno == EINVAL))
					continue;
				snprintf(err, errlen, "Failed listening on port %d (tcp), aborting: "
				    "%s: %s", cfg->port, addr, why);
				return false;
			}
			add_listener(srv, fd, false);
		}
	}
	if (cfg->unixsocket != NULL) {
		int fd = listen_unix(cfg->unixsocket, cfg->unixsocketperm, cfg->tcp_backlog, why,
		    sizeof(why));

		if (fd < 0) {
			snprintf(err, errlen, "Failed opening Unix socket %s: %s", cfg->unixsocket,
			    why);
			return false;
		}
		add_listener(srv, fd, true);
	}
	if (srv->nlisteners == 0) {
		snprintf(err, errlen, "Configured to not listen anywhere, exiting.");
		return false;
	}

	event_assign(&srv->ev_close, srv->base, -1, 0, on_close_list, srv);
	event_assign(&srv->ev_cron, srv->base, -1, EV_PERSIST, on_cron, srv);
	tv.tv_sec = 0;
	tv.tv_usec = 1000000 / (cfg->hz > 0 ? cfg->hz : 10);
	event_add(&srv->ev_cron, &tv);
	evsignal_assign(&srv->ev_sigterm, srv->base, SIGTERM, on_signal, srv);
	evsignal_assign(&srv->ev_sigint, srv->base, SIGINT, on_signal, srv);
	evsignal_add(&srv->ev_sigterm, NULL);
	evsignal_add(&srv->ev_sigint, NULL);
	signal(SIGPIPE, SIG_IGN);
	return true;
}

void
server_run(struct server *srv)
{
	while (!srv->shutdown_asap)
		if (event_base_loop(srv->base, 0) != 0)
			break;
}

void
server_free(struct server *srv)
{
	while (srv->clients != NULL)
		conn_free(srv->clients);
	srv->close_list = NULL;
	for (int i = 0; i < srv->nlisteners; i++) {
		if (event_initialized(&srv->listeners[i].ev))
			event_del(&srv->listeners[i].ev);
		close(srv->listeners[i].fd);
	}
	if (srv->cfg != NULL && srv->cfg->unixsocket != NULL && srv->nlisteners > 0)
		unlink(srv->cfg->unixsocket);
	srv->nlisteners = 0;
	if (srv->base != NULL) {
		struct event *evs[] = { &srv->ev_cron, &srv->ev_close, &srv->ev_sigterm, &srv->ev_sigint };

		for (size_t i = 0; i < sizeof(evs) / sizeof(evs[0]); i++)
			if (event_initialized(evs[i]))
				event_del(evs[i]);
		event_base_free(srv->base);
		srv->base = NULL;
	}
	reply_pool_free(srv);
	cmd_script_free(srv);
	store_free(srv->store);
	srv->store = NULL;
	xfree(srv->cmd_calls);
	srv->cmd_calls = NULL;
}
