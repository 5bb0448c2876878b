/*
 * bench_resp: benchmarks of the RESP codec (protocol/), the first and last step of every request:
 * resp_parse cutting requests out of a query buffer, and the resp_add_* encoders filling a reply
 * buffer. Run `bench_resp -h` for the flags; bench.h describes the harness. Every row must show
 * 0 allocs/op: the parser reuses its argv array and the writers only append.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmarks/bench.h"
#include "protocol/resp.h"
#include "storage/base/mem.h"

static const struct resp_limits client_limits = { 512 * 1024 * 1024, true };

/* Parses the requests in buf[0..len) over and over, one request per op. */
static void
parse_loop(struct bench *b, char *buf, size_t len, size_t nreq)
{
	struct resp_parser p;
	size_t off = 0, consumed;

	memset(&p, 0, sizeof p);
	/* Warm up: the argv array reaches its size before the timer starts. */
	if (resp_parse(&p, buf, len, &client_limits, &consumed) != RESP_OK)
		abort();
	bench_set_bytes(b, len / nreq);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		if (resp_parse(&p, buf + off, len - off, &client_limits, &consumed) != RESP_OK)
			abort();
		bench_keep(p.argv);
		off += consumed;
		if (off == len)
			off = 0;
	}
	bench_stop_timer(b);
	resp_parser_free(&p);
}

static void
bench_parse_get(struct bench *b)
{
	char req[] = "*2\r\n$3\r\nGET\r\n$8\r\nkey:0001\r\n";

	parse_loop(b, req, sizeof req - 1, 1);
}

static void
bench_parse_set_1k(struct bench *b)
{
	static const char head[] = "*3\r\n$3\r\nSET\r\n$8\r\nkey:0001\r\n$1024\r\n";
	size_t len = sizeof head - 1 + 1024 + 2;
	char *req = xmalloc(len);

	memcpy(req, head, sizeof head - 1);
	memset(req + sizeof head - 1, 'v', 1024);
	memcpy(req + len - 2, "\r\n", 2);
	parse_loop(b, req, len, 1);
	xfree(req);
}

static void
bench_parse_pipeline16(struct bench *b)
{
	static const char get[] = "*2\r\n$3\r\nGET\r\n$8\r\nkey:0000\r\n";
	size_t one = sizeof get - 1;
	char buf[16 * sizeof get];

	for (int i = 0; i < 16; i++) {
		memcpy(buf + i * one, get, one);
		buf[i * one + one - 4] = (char)('0' + i / 10);
		buf[i * one + one - 3] = (char)('0' + i % 10);
	}
	parse_loop(b, buf, 16 * one, 16);
}

static void
bench_parse_inline(struct bench *b)
{
	/* Plain words: unescaping in place leaves the buffer as it was, so it can be reparsed. */
	char req[] = "GET key:0001\r\n";

	parse_loop(b, req, sizeof req - 1, 1);
}

/* A reply buffer that is "sent" (emptied) when full, as a connection would flush it. */
struct flush_sink {
	struct resp_out o;
	char buf[16384];
};

static void
flush_make_room(struct resp_out *o, size_t need)
{
	if (need > o->cap)
		abort();
	o->len = 0;
}

static void
sink_init(struct flush_sink *s, int proto)
{
	memset(&s->o, 0, sizeof s->o);
	s->o.buf = s->buf;
	s->o.cap = sizeof s->buf;
	s->o.proto = proto;
	s->o.make_room = flush_make_room;
}

static void
bench_write_bulk_16(struct bench *b)
{
	static struct flush_sink s;
	static const char v[16] = "value:0123456789";

	sink_init(&s, 2);
	bench_set_bytes(b, sizeof v);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		resp_add_bulk(&s.o, v, sizeof v);
	bench_keep(s.o.len);
}

static void
bench_write_int(struct bench *b)
{
	static struct flush_sink s;

	sink_init(&s, 2);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		resp_add_int(&s.o, 1234567 + (int64_t)(i & 1023));
	bench_keep(s.o.len);
}

static void
bench_write_array_100_bulks(struct bench *b)
{
	static struct flush_sink s;
	static const char v[8] = "member00";

	sink_init(&s, 2);
	bench_set_bytes(b, 100 * sizeof v);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++) {
		resp_add_array(&s.o, 100);
		for (int j = 0; j < 100; j++)
			resp_add_bulk(&s.o, v, sizeof v);
	}
	bench_keep(s.o.len);
}

static void
bench_write_double(struct bench *b)
{
	static struct flush_sink s;

	sink_init(&s, 2);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		resp_add_double(&s.o, 3.14159 + (double)(i & 7));
	bench_keep(s.o.len);
}

/* Integral scores, common in sorted sets, skip snprintf. */
static void
bench_write_double_int(struct bench *b)
{
	static struct flush_sink s;

	sink_init(&s, 2);
	bench_reset_timer(b);
	for (uint64_t i = 0; i < b->n; i++)
		resp_add_double(&s.o, (double)(1000 + (i & 1023)));
	bench_keep(s.o.len);
}

static const struct bench_def defs[] = {
	{ "BenchmarkRESPParser/get", bench_parse_get },
	{ "BenchmarkRESPParser/set_1k", bench_parse_set_1k },
	{ "BenchmarkRESPParser/pipeline16", bench_parse_pipeline16 },
	{ "BenchmarkRESPParser/inline", bench_parse_inline },
	{ "BenchmarkRESPWriter/bulk_16", bench_write_bulk_16 },
	{ "BenchmarkRESPWriter/int", bench_write_int },
	{ "BenchmarkRESPWriter/array_100_bulks", bench_write_array_100_bulks },
	{ "BenchmarkRESPWriter/double", bench_write_double },
	{ "BenchmarkRESPWriter/double_int", bench_write_double_int },
};

int
main(int argc, char **argv)
{
	return bench_main(argc, argv, defs, sizeof defs / sizeof defs[0]);
}
