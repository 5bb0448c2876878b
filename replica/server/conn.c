/*
 * conn.c: one client connection: accept, read, run requests, write, close.
 *
 * Start at conn_on_read. Bytes are read into a query buffer borrowed from the server's chunk
 * pool; resp_parse cuts requests into argv views into it; each runs through server_dispatch.
 * After the batch the consumed prefix is dropped once (not once per request), the replies are
 * written directly, and EV_WRITE is armed only if the socket could not take them all.
 * A connection is never freed inside its own callbacks: conn_close_async puts it on the close
 * list, which the server's close event empties.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "replica/commands/cmd.h"
#include "replica/log.h"
#include "replica/server/multi.h"
#include "replica/server/server.h"
#include "storage/base/mem.h"

/* Free space below which the buffer is compacted or grown before a read. */
#define CONN_READ_MIN 1024

static void conn_on_read(evutil_socket_t fd, short what, void *arg);
static void conn_on_write(evutil_socket_t fd, short what, void *arg);

static void
format_addr(const struct sockaddr_storage *ss, char *buf, size_t len, bool unix_socket,
    const char *unixpath)
{
	char ip[INET6_ADDRSTRLEN];

	if (unix_socket) {
		snprintf(buf, len, "%s:0", unixpath ? unixpath : "");
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%d", ip, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%d", ip, ntohs(s4->sin_port));
	}
}

static void
set_tcp_options(int fd, int keepalive)
{
	int yes = 1;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof(yes));
	if (keepalive > 0) {
		int idle = keepalive, intvl = keepalive / 3 > 0 ? keepalive / 3 : 1, cnt = 3;

		setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &yes, sizeof(yes));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof(intvl));
		setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof(cnt));
	}
}

void
conn_accept(struct server *srv, int fd, bool unix_socket)
{
	static const char maxerr[] = "-ERR max number of clients reached\r\n";
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	struct conn *c;
	int64_t now = server_time_ms();

	srv->stats.connections_received++;
	evutil_make_socket_nonblocking(fd);
	evutil_make_socket_closeonexec(fd);
	if (srv->nclients >= (size_t)srv->cfg->maxclients) {
		/* Best effort, as Redis: the client may not read it. */
		if (write(fd, maxerr, sizeof(maxerr) - 1) < 0) {
			/* nothing to do: the connection is closed below either way */
		}
		srv->stats.rejected_connections++;
		close(fd);
		return;
	}
	if (!unix_socket)
		set_tcp_options(fd, srv->cfg->tcp_keepalive);

	c = xcalloc(1, sizeof(*c));
	c->srv = srv;
	c->fd = fd;
	c->id = ++srv->next_client_id;
	c->resp = 2;
	c->ctime_ms = c->last_interaction_ms = now;
	if (unix_socket)
		c->flags |= CONN_UNIX;
	if (srv->cfg->requirepass == NULL)
		c->flags |= CONN_AUTHED;
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0)
		format_addr(&ss, c->addr, sizeof(c->addr), unix_socket, srv->cfg->unixsocket);
	sslen = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &sslen) == 0)
		format_addr(&ss, c->laddr, sizeof(c->laddr), unix_socket, srv->cfg->unixsocket);
	reply_init(c);

	event_assign(&c->ev_read, srv->base, fd, EV_READ | EV_PERSIST, conn_on_read, c);
	event_assign(&c->ev_write, srv->base, fd, EV_WRITE | EV_PERSIST, conn_on_write, c);
	event_add(&c->ev_read, NULL);

	c->next = srv->clients;
	if (srv->clients != NULL)
		srv->clients->prev = c;
	srv->clients = c;
	srv->nclients++;
}

void
conn_close_async(struct conn *c)
{
	struct server *srv = c->srv;

	if (c->flags & CONN_CLOSE_ASAP)
		return;
	c->flags |= CONN_CLOSE_ASAP;
	event_del(&c->ev_read);
	event_del(&c->ev_write);
	c->close_next = srv->close_list;
	srv->close_list = c;
	event_active(&srv->ev_close, EV_TIMEOUT, 0);
}

/* Argument slots a connection keeps between requests (more are freed once it is idle). */
#define CONN_ARGV_KEEP 1024

void
conn_release_qbuf(struct conn *c)
{
	if (c->qchunk != NULL)
		reply_chunk_put(c->srv, c->qchunk);
	c->qchunk = NULL;
	c->qbuf = NULL;
	c->qcap = c->qlen = c->qpos = 0;
}

void
conn_free(struct conn *c)
{
	struct server *srv = c->srv;

	event_del(&c->ev_read);
	event_del(&c->ev_write);
	close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		srv->clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	srv->nclients--;
	block_conn_free(c);
	multi_reset(c);
	conn_release_qbuf(c);
	reply_free(c);
	resp_parser_free(&c->parser);
	xfree(c->name);
	xfree(c);
}

/*
 * Makes room for the next read: drops the consumed prefix, and grows the buffer when the
 * request being parsed needs more than it can hold (to the exact size a big argument needs,
 * so its bytes are read in place and copied at most once).
 */
static void
prepare_qbuf(struct conn *c)
{
	size_t pending, want, need;
	struct reply_chunk *ch;

	if (c->qchunk == NULL) {
		c->qchunk = reply_chunk_get(c->srv, SERVER_CHUNK_BYTES);
		c->qbuf = c->qchunk->data;
		c->qcap = c->qchunk->cap;
		c->qlen = c->qpos = 0;
	}
	pending = c->qlen - c->qpos;
	want = resp_parser_want(&c->parser);
	need = want > pending + CONN_READ_MIN ? want : pending + CONN_READ_MIN;
	if (c->qcap - c->qlen >= CONN_READ_MIN && c->qpos + need <= c->qcap)
		return;
	if (need <= c->qcap) {
		memmove(c->qbuf, c->qbuf + c->qpos, pending);
	} else {
		/* Grow geometrically unless the exact size of a big argument is known. */
		size_t cap = want > pending ? want : c->qcap * 2;

		if (cap < need)
			cap = need;
		ch = reply_chunk_get(c->srv, cap);
		memcpy(ch->data, c->qbuf + c->qpos, pending);
		reply_chunk_put(c->srv, c->qchunk);
		c->qchunk = ch;
		c->qbuf = ch->data;
		c->qcap = ch->cap;
	}
	c->qpos = 0;
	c->qlen = pending;
}

void
conn_process_input(struct conn *c)
{
	struct resp_limits lim;
	int done = 0;

	lim.max_bulk_len = c->srv->cfg->proto_max_bulk_len;
	while (c->qpos < c->qlen && !(c->flags & (CONN_CLOSE_ASAP | CONN_CLOSE_AFTER_REPLY)) &&
	    c->blocked == NULL) {
		enum resp_status st;
		size_t used = 0;

		if (done == SERVER_REQS_PER_EVENT) {
			/* Let the other clients run; come back in the next loop iteration. */
			c->flags |= CONN_READ_PAUSED;
			event_active(&c->ev_read, EV_READ, 0);
			break;
		}
		lim.authenticated = (c->flags & CONN_AUTHED) != 0;
		st = resp_parse(&c->parser, c->qbuf + c->qpos, c->qlen - c->qpos, &lim, &used);
		if (st == RESP_MORE)
			break;
		if (st == RESP_ERR) {
			log_verbose("Protocol error (%s) from client: id=%llu addr=%s",
			    c->parser.errstr, (unsigned long long)c->id, c->addr);
			resp_add_error(&c->out, c->parser.errstr, strlen(c->parser.errstr));
			c->srv->stats.error_replies++;
			c->flags |= CONN_CLOSE_AFTER_REPLY;
			break;
		}
		if (c->parser.argc > 0) {
			server_dispatch(c, c->parser.argv, (int)c->parser.argc);
			done++;
		}
		c->qpos += used;
	}
	if (c->qpos == c->qlen && c->qchunk != NULL) {
		if (c->qcap > c->srv->stats.client_max_input_buffer)
			c->srv->stats.client_max_input_buffer = c->qcap;
		conn_release_qbuf(c);
		/* No request is under way: an argv array grown by a huge request goes too. */
		if (c->parser.argv_cap > CONN_ARGV_KEEP)
			resp_parser_free(&c->parser);
	}
}

static void
conn_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;
	struct server *srv = c->srv;
	ssize_t n;

	if (c->flags & CONN_CLOSE_ASAP)
		return;
	c->flags &= ~CONN_READ_PAUSED;
	if (c->flags & CONN_PEER_EOF)
		goto process;	/* only requests read before the peer's EOF are left */
	prepare_qbuf(c);
	n = read(fd, c->qbuf + c->qlen, c->qcap - c->qlen);
	if (n == 0) {
		log_verbose("Client closed connection id=%llu addr=%s", (unsigned long long)c->id,
		    c->addr);
		if (c->qlen == c->qpos) {
			conn_close_async(c);
			return;
		}
		/* A half-closed peer still reads: answer what it sent, then close. */
		c->flags |= CONN_PEER_EOF;
		event_del(&c->ev_read);
		goto process;
	}
	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			log_verbose("Reading from client: %s", strerror(errno));
			conn_close_async(c);
			return;
		}
		if (c->qlen == c->qpos) {
			conn_release_qbuf(c);
			return;
		}
	} else {
		c->qlen += (size_t)n;
		srv->stats.net_input_bytes += (uint64_t)n;
		srv->stats.reads_processed++;
		c->last_interaction_ms = server_time_ms();
	}
	if (c->qlen - c->qpos > srv->cfg->client_query_buffer_limit) {
		log_warning("Closing client that reached max query buffer length: id=%llu addr=%s "
		    "qbuf=%zu", (unsigned long long)c->id, c->addr, c->qlen - c->qpos);
		conn_close_async(c);
		return;
	}
process:
	conn_process_input(c);
	if ((c->flags & CONN_PEER_EOF) && !(c->flags & CONN_READ_PAUSED))
		c->flags |= CONN_CLOSE_AFTER_REPLY;
	conn_flush(c);
}

void
conn_read_ready(struct conn *c)
{
	conn_on_read(c->fd, EV_READ, c);
}

void
conn_flush(struct conn *c)
{
	struct iovec iov[64];
	struct reply_chunk *ch;
	int niov = 0;
	ssize_t n;

	if (c->flags & CONN_CLOSE_ASAP)
		return;
	reply_sync(c);
	while (c->reply_bytes > 0) {
		size_t off = c->sent;

		niov = 0;
		for (ch = c->head; ch != NULL && niov < 64; ch = ch->next) {
			if (ch->len > off) {
				iov[niov].iov_base = ch->data + off;
				iov[niov].iov_len = ch->len - off;
				niov++;
			}
			off = 0;
		}
		n = writev(c->fd, iov, niov);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				break;
			log_verbose("Error writing to client: %s", strerror(errno));
			conn_close_async(c);
			return;
		}
		c->srv->stats.net_output_bytes += (uint64_t)n;
		c->srv->stats.writes_processed++;
		c->reply_bytes -= (uint64_t)n;
		while (n > 0) {
			size_t left = c->head->len - c->sent;

			if ((size_t)n < left) {
				c->sent += (size_t)n;
				n = 0;
			} else {
				n -= (ssize_t)left;
				c->sent = c->head->len;
				if (c->head == c->tail)
					break;
				reply_release_sent(c);
			}
		}
	}
	reply_release_sent(c);
	if (c->reply_bytes > 0) {
		if (!(c->flags & CONN_WRITE_ARMED)) {
			event_add(&c->ev_write, NULL);
			c->flags |= CONN_WRITE_ARMED;
		}
		return;
	}
	if (c->flags & CONN_WRITE_ARMED) {
		event_del(&c->ev_write);
		c->flags &= ~CONN_WRITE_ARMED;
	}
	if (c->flags & CONN_CLOSE_AFTER_REPLY)
		conn_close_async(c);
}

static void
conn_on_write(evutil_socket_t fd, short what, void *arg)
{
	struct conn *c = arg;

	c->last_interaction_ms = server_time_ms();
	conn_flush(c);
}

size_t
conn_describe(const struct conn *c, int64_t now_ms, char *buf, size_t len)
{
	char flags[8];
	int nf = 0;
	size_t qbuf = c->qlen - c->qpos;
	size_t qfree = c->qchunk ? c->qcap - c->qlen : 0;
	int n;

	if (c->blocked != NULL)
		flags[nf++] = 'b';
	if (c->flags & CONN_CLOSE_AFTER_REPLY)
		flags[nf++] = 'c';
	if (c->flags & CONN_CLOSE_ASAP)
		flags[nf++] = 'A';
	if (c->flags & CONN_UNIX)
		flags[nf++] = 'U';
	if (c->flags & CONN_NO_EVICT)
		flags[nf++] = 'e';
	if (c->flags & CONN_NO_TOUCH)
		flags[nf++] = 'T';
	if (nf == 0)
		flags[nf++] = 'N';
	flags[nf] = '\0';
	n = snprintf(buf, len,
	    "id=%llu addr=%s laddr=%s fd=%d name=%s age=%lld idle=%lld flags=%s db=%d sub=0 "
	    "psub=0 ssub=0 multi=-1 qbuf=%zu qbuf-free=%zu argv-mem=%zu multi-mem=0 rbs=%zu rbp=%zu "
	    "obl=%zu oll=%zu omem=%llu tot-mem=%llu events=r%s cmd=%s user=default redir=-1 resp=%d",
	    (unsigned long long)c->id, c->addr, c->laddr, c->fd, c->name ? c->name : "",
	    (long long)((now_ms - c->ctime_ms) / 1000),
	    (long long)((now_ms - c->last_interaction_ms) / 1000), flags, c->db, qbuf, qfree,
	    c->argv_mem, c->qcap, c->qcap, c->tail ? c->out.len : 0, (size_t)0,
	    (unsigned long long)c->reply_bytes,
	    (unsigned long long)(sizeof(*c) + c->qcap + c->reply_bytes),
	    (c->flags & CONN_WRITE_ARMED) ? "w" : "",
	    c->last_cmd ? c->last_cmd->fullname : "NULL", c->resp);
	return n < 0 ? 0 : (size_t)n;
}
