/*
 * check_stream: the stream type (storage/t_stream.c) and its RDB codec
 * (storage/rdb/rdb_stream.c): ids, appends (automatic, "<ms>-*" and explicit ids, node splits
 * by entry count and bytes, same-field compression), iteration both ways over node edges,
 * deletion (tombstones, node removal, first and max-deleted ids, a re-added id after XSETID),
 * trimming (MAXLEN and MINID, exact, approximate, LIMIT), consumer groups and pending entries,
 * the lag and read-counter rules, the radix-tree node count, COPY, and the codec: a redis-server
 * 7.0.15 DUMP payload decoded and written back byte for byte, round trips with groups, the
 * 5.0 and 7.2 formats, and malformed input (truncated at every byte, flipped bytes, broken
 * references) that must fail cleanly.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_stream.h"

#define NOW 1700000000000LL

static struct store *st;
static struct db *db;

static void
setup(void)
{
	st = store_new(1, 7);
	db = store_db(st, 0);
}

static void
teardown(void)
{
	store_free(st);
}

/* A new stream stored as key (the store owns it). */
static struct stream *
new_key(const char *key, struct obj **op)
{
	struct obj_value v;
	struct obj *o;

	stream_value_new(&v);
	o = store_set_value(db, key, strlen(key), &v, OBJ_NO_EXPIRE, 0);
	if (op != NULL)
		*op = o;
	return obj_ptr(o);
}

static struct stream_id
ID(uint64_t ms, uint64_t seq)
{
	struct stream_id id = { ms, seq };

	return id;
}

static int
add(struct stream *s, uint64_t ms, uint64_t seq, const char *f, const char *v)
{
	struct stream_str fv[2] = { { f, strlen(f) }, { v, strlen(v) } };
	struct stream_id id = ID(ms, seq), got;

	return stream_append(s, fv, 1, &id, true, NOW, &got);
}

/* The live ids of s in order (or reverse), into out; returns how many. */
static size_t
ids_of(const struct stream *s, bool rev, struct stream_id *out, size_t max)
{
	struct stream_iter it;
	struct stream_id id;
	int64_t nf;
	size_t n = 0;

	stream_iter_start(&it, s, NULL, NULL, rev);
	while (stream_iter_next(&it, &id, &nf)) {
		if (n < max)
			out[n] = id;
		n++;
	}
	return n;
}

/* ---- ids ---- */

START_TEST(test_ids)
{
	static const struct {
		struct stream_id id;
		const char *text;
	} fmt[] = {
		{ { 0, 0 }, "0-0" }, { { 1, 2 }, "1-2" },
		{ { UINT64_MAX, UINT64_MAX }, "18446744073709551615-18446744073709551615" },
	};
	char buf[STREAM_ID_STRLEN];
	unsigned char raw[16];
	struct stream_id id, back;

	for (size_t i = 0; i < sizeof fmt / sizeof fmt[0]; i++) {
		size_t n = stream_id_fmt(buf, &fmt[i].id);

		ck_assert_uint_eq(n, strlen(fmt[i].text));
		ck_assert(memcmp(buf, fmt[i].text, n) == 0);
		stream_id_encode(raw, &fmt[i].id);
		stream_id_decode(raw, &back);
		ck_assert(stream_id_cmp(&back, &fmt[i].id) == 0);
	}
	id = ID(1, UINT64_MAX);
	ck_assert(stream_id_incr(&id) && id.ms == 2 && id.seq == 0);
	ck_assert(stream_id_decr(&id) && id.ms == 1 && id.seq == UINT64_MAX);
	id = ID(UINT64_MAX, UINT64_MAX);
	ck_assert(!stream_id_incr(&id) && id.ms == 0 && id.seq == 0);
	ck_assert(!stream_id_decr(&id) && id.ms == UINT64_MAX && id.seq == UINT64_MAX);
	/* big endian: the byte order is the id order */
	stream_id_encode(raw, &(struct stream_id){ 1, 0 });
	ck_assert_uint_eq(raw[7], 1);
	ck_assert_uint_eq(raw[15], 0);
	ck_assert_int_lt(stream_id_cmp(&(struct stream_id){ 1, 9 }, &(struct stream_id){ 2, 0 }), 0);
}
END_TEST

/* ---- appends ---- */

START_TEST(test_append_ids)
{
	struct stream *s = stream_new();
	struct stream_str fv[2] = { { "f", 1 }, { "v", 1 } };
	struct stream_id got, use;

	/* automatic: now_ms, then the next sequence while the clock stands still or goes back */
	ck_assert_int_eq(stream_append(s, fv, 1, NULL, false, 100, &got), 0);
	ck_assert(got.ms == 100 && got.seq == 0);
	ck_assert_int_eq(stream_append(s, fv, 1, NULL, false, 100, &got), 0);
	ck_assert(got.ms == 100 && got.seq == 1);
	ck_assert_int_eq(stream_append(s, fv, 1, NULL, false, 50, &got), 0);
	ck_assert(got.ms == 100 && got.seq == 2);
	/* "<ms>-*": the next sequence of the same ms, or 0 for a new one */
	use = ID(100, 0);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, false, 0, &got), 0);
	ck_assert(got.ms == 100 && got.seq == 3);
	use = ID(200, 77);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, false, 0, &got), 0);
	ck_assert(got.ms == 200 && got.seq == 0);
	use = ID(150, 0);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, false, 0, &got), -1);
	/* explicit: must be above the top */
	use = ID(200, 0);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, true, 0, &got), -1);
	use = ID(200, 1);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, true, 0, &got), 0);
	ck_assert_uint_eq(s->length, 6);
	ck_assert_uint_eq(s->entries_added, 6);
	ck_assert(stream_id_cmp(&s->first_id, &(struct stream_id){ 100, 0 }) == 0);
	ck_assert(stream_id_cmp(&s->last_id, &(struct stream_id){ 200, 1 }) == 0);
	/* "<ms>-*" at the last sequence of an ms */
	s->last_id = ID(300, UINT64_MAX);
	use = ID(300, 0);
	ck_assert_int_eq(stream_append(s, fv, 1, &use, false, 0, &got), -1);
	stream_free(s);
}
END_TEST

/* Entries of a node: master count + deleted count, and the flags of entry i. */
static int64_t
node_int(const unsigned char *lp, long idx)
{
	int64_t v = -1;

	ck_assert(lp_get_int(lp_seek(lp, idx), &v));
	return v;
}

START_TEST(test_append_nodes)
{
	struct stream *s = stream_new();
	char big[3000];
	struct stream_str fv[4] = { { "a", 1 }, { "1", 1 }, { "b", 1 }, { "2", 1 } };
	struct stream_id got;

	for (int i = 0; i < STREAM_NODE_MAX_ENTRIES; i++)
		ck_assert_int_eq(stream_append(s, fv, 2, NULL, false, NOW + i, &got), 0);
	ck_assert_uint_eq(s->nnodes, 1);
	ck_assert_int_eq(node_int(s->nodes[0].lp, 0), STREAM_NODE_MAX_ENTRIES);
	/* master entry: count, deleted, 2 fields, a, b, 0; first entry flags: same fields */
	ck_assert_int_eq(node_int(s->nodes[0].lp, 2), 2);
	ck_assert_int_eq(node_int(s->nodes[0].lp, 5), 0);
	ck_assert_int_eq(node_int(s->nodes[0].lp, 6), STREAM_FLAG_SAMEFIELDS);
	ck_assert_int_eq(stream_append(s, fv, 2, NULL, false, NOW + 1000, &got), 0);
	ck_assert_uint_eq(s->nnodes, 2);
	ck_assert(stream_id_cmp(&s->nodes[1].master, &got) == 0);
	/* other fields: the entry carries its own field names */
	fv[0].ptr = "z";
	ck_assert_int_eq(stream_append(s, fv, 2, NULL, false, NOW + 1001, &got), 0);
	{
		const unsigned char *lp = s->nodes[1].lp;
		long second = 6 + 2 + 3 + 1;	/* master (6), entry 1 (flags ms seq v v lpcount) */

		ck_assert_int_eq(node_int(lp, second), 0);
	}
	/* bytes: a big value closes the node */
	memset(big, 'x', sizeof big);
	fv[1].ptr = big;
	fv[1].len = sizeof big;
	ck_assert_int_eq(stream_append(s, fv, 2, NULL, false, NOW + 1002, &got), 0);
	ck_assert_int_eq(stream_append(s, fv, 2, NULL, false, NOW + 1003, &got), 0);
	ck_assert_uint_eq(s->nnodes, 3);
	ck_assert_uint_eq(s->length, STREAM_NODE_MAX_ENTRIES + 4);
	stream_free(s);
}
END_TEST

/* ---- iteration ---- */

START_TEST(test_iterate)
{
	struct stream *s = stream_new();
	struct stream_id ids[400], a, b, id;
	struct stream_iter it;
	char fbuf[LP_INTBUF], vbuf[LP_INTBUF];
	int64_t nf;
	size_t n;

	for (int i = 0; i < 250; i++) {
		char v[16];

		snprintf(v, sizeof v, "%d", i);
		ck_assert_int_eq(add(s, 10 + (uint64_t)i / 3, (uint64_t)i % 3, i % 2 ? "odd" : "even",
		    v), 0);
	}
	ck_assert_uint_eq(s->nnodes, 3);
	n = ids_of(s, false, ids, 400);
	ck_assert_uint_eq(n, 250);
	for (size_t i = 1; i < n; i++)
		ck_assert_int_lt(stream_id_cmp(&ids[i - 1], &ids[i]), 0);
	n = ids_of(s, true, ids, 400);
	ck_assert_uint_eq(n, 250);
	ck_assert(stream_id_cmp(&ids[0], &(struct stream_id){ 10 + 249 / 3, 249 % 3 }) == 0);
	/* a range over a node edge, both ways, and the fields */
	a = ID(10 + 93 / 3, 0);		/* entry 93 */
	b = ID(10 + 106 / 3, 1);	/* entry 106 */
	for (int rev = 0; rev < 2; rev++) {
		size_t k = 0;
		int64_t expect = rev ? 106 : 93;

		stream_iter_start(&it, s, &a, &b, rev);
		while (stream_iter_next(&it, &id, &nf)) {
			const unsigned char *f, *v;
			size_t fl, vl;
			int64_t val;

			char want[16];

			ck_assert_int_eq(nf, 1);
			stream_iter_field(&it, &f, &fl, &v, &vl, fbuf, vbuf);
			val = (int64_t)(id.ms - 10) * 3 + (int64_t)id.seq;
			ck_assert_int_eq(val, expect);
			expect += rev ? -1 : 1;
			ck_assert(fl == (val % 2 ? 3u : 4u));
			snprintf(want, sizeof want, "%d", (int)val);
			ck_assert(vl == strlen(want) && memcmp(v, want, vl) == 0);
			k++;
		}
		ck_assert_uint_eq(k, 14);
	}
	/* empty ranges */
	stream_iter_start(&it, s, &b, &a, false);
	ck_assert(!stream_iter_next(&it, &id, &nf));
	a = ID(1, 0);
	b = ID(2, 0);
	stream_iter_start(&it, s, &a, &b, true);
	ck_assert(!stream_iter_next(&it, &id, &nf));
	stream_free(s);
}
END_TEST

/* ---- deletion and trimming ---- */

START_TEST(test_delete)
{
	struct stream *s = stream_new();
	struct stream_id ids[8], id;

	for (uint64_t i = 1; i <= 5; i++)
		ck_assert_int_eq(add(s, i, 0, "f", "v"), 0);
	id = ID(3, 0);
	ck_assert(stream_delete(s, &id));
	ck_assert(!stream_delete(s, &id));
	ck_assert(!stream_exists(s, &id));
	ck_assert(stream_id_cmp(&s->max_deleted, &id) == 0);
	ck_assert_int_eq(node_int(s->nodes[0].lp, 0), 4);
	ck_assert_int_eq(node_int(s->nodes[0].lp, 1), 1);
	id = ID(1, 0);
	ck_assert(stream_delete(s, &id));
	ck_assert(stream_id_cmp(&s->first_id, &(struct stream_id){ 2, 0 }) == 0);
	ck_assert(stream_id_cmp(&s->max_deleted, &(struct stream_id){ 3, 0 }) == 0);
	ck_assert_uint_eq(ids_of(s, false, ids, 8), 3);
	/* the top deleted, the last id lowered (XSETID) and the same id added again */
	id = ID(5, 0);
	ck_assert(stream_delete(s, &id));
	s->last_id = ID(4, 0);
	ck_assert_int_eq(add(s, 5, 0, "f", "again"), 0);
	ck_assert(stream_exists(s, &id));
	ck_assert(stream_delete(s, &id));
	ck_assert(!stream_exists(s, &id));
	/* the last live entries go: the node goes */
	id = ID(2, 0);
	ck_assert(stream_delete(s, &id));
	id = ID(4, 0);
	ck_assert(stream_delete(s, &id));
	ck_assert_uint_eq(s->length, 0);
	ck_assert_uint_eq(s->nnodes, 0);
	ck_assert(s->first_id.ms == 0 && s->first_id.seq == 0);
	stream_free(s);
}
END_TEST

START_TEST(test_trim)
{
	static const struct {
		enum stream_trim_kind kind;
		bool approx;
		int64_t limit, maxlen;
		uint64_t minid_ms;
		int64_t removed;
	} cases[] = {
		{ STREAM_TRIM_MAXLEN, false, 0, 250, 0, 0 },
		{ STREAM_TRIM_MAXLEN, false, 0, 100, 0, 150 },
		{ STREAM_TRIM_MAXLEN, true, 0, 100, 0, 100 },	/* whole nodes only */
		{ STREAM_TRIM_MAXLEN, true, 50, 0, 0, 0 },	/* LIMIT below a node */
		{ STREAM_TRIM_MAXLEN, true, 200, 0, 0, 200 },
		{ STREAM_TRIM_MAXLEN, false, 0, 0, 0, 250 },
		{ STREAM_TRIM_MINID, false, 0, 0, 1000 + 42, 42 },
		{ STREAM_TRIM_MINID, true, 0, 0, 1000 + 142, 100 },
		{ STREAM_TRIM_MINID, false, 0, 0, 1, 0 },
	};

	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct stream *s = stream_new();
		struct stream_trim t = { cases[c].kind, cases[c].approx, cases[c].limit,
		    cases[c].maxlen, { cases[c].minid_ms, 0 } };
		struct stream_id first;

		for (uint64_t i = 0; i < 250; i++)
			ck_assert_int_eq(add(s, 1000 + i, 0, "f", "v"), 0);
		ck_assert_int_eq(stream_trim(s, &t), cases[c].removed);
		ck_assert_uint_eq(s->length, 250 - (uint64_t)cases[c].removed);
		ck_assert_uint_eq(ids_of(s, false, NULL, 0), s->length);
		if (s->length) {
			ck_assert(stream_edge_id(s, true, &first));
			ck_assert(stream_id_cmp(&first, &s->first_id) == 0);
			ck_assert_uint_eq(first.ms, 1000 + (uint64_t)cases[c].removed);
		}
		stream_free(s);
	}
}
END_TEST

/* ---- groups ---- */

START_TEST(test_groups)
{
	struct stream *s = stream_new();
	struct stream_cg *g;
	struct stream_consumer *a, *b;
	struct stream_id id;
	int64_t lag;

	for (uint64_t i = 1; i <= 4; i++)
		ck_assert_int_eq(add(s, i, 0, "f", "v"), 0);
	ck_assert_ptr_nonnull(stream_cg_create(s, "zz", 2, &(struct stream_id){ 0, 0 }, -1));
	g = stream_cg_create(s, "g", 1, &(struct stream_id){ 0, 0 }, 0);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_null(stream_cg_create(s, "g", 1, &(struct stream_id){ 0, 0 }, 0));
	ck_assert_ptr_nonnull(stream_cg_create(s, "a", 1, &(struct stream_id){ 0, 0 }, 0));
	/* rax order: bytes, then shorter first */
	ck_assert_mem_eq(s->groups[0]->name, "a", 1);
	ck_assert_mem_eq(s->groups[1]->name, "g", 1);
	ck_assert_mem_eq(s->groups[2]->name, "zz", 2);
	ck_assert_ptr_eq(stream_cg_find(s, "g", 1), g);
	ck_assert(stream_cg_lag(s, g, &lag) && lag == 4);

	a = stream_consumer_create(g, "alice", 5, NOW);
	b = stream_consumer_create(g, "al", 2, NOW);
	ck_assert_ptr_null(stream_consumer_create(g, "al", 2, NOW));
	ck_assert_ptr_eq(g->consumers[0], b);
	for (uint64_t i = 1; i <= 3; i++) {
		id = ID(i, 0);
		stream_cg_advance(s, g, &id);
		stream_deliver(g, i == 2 ? b : a, &id, NOW + (int64_t)i);
	}
	ck_assert_int_eq(g->entries_read, 3);
	ck_assert(stream_cg_lag(s, g, &lag) && lag == 1);
	ck_assert_uint_eq(g->pel.n, 3);
	ck_assert_uint_eq(a->pel.n, 2);
	/* redelivery to another consumer moves the nack */
	id = ID(1, 0);
	stream_deliver(g, b, &id, NOW + 9);
	ck_assert_uint_eq(a->pel.n, 1);
	ck_assert_uint_eq(b->pel.n, 2);
	ck_assert_ptr_eq(stream_pel_find(&g->pel, &id)->consumer, b);
	ck_assert_int_eq(stream_pel_find(&g->pel, &id)->delivery_time, NOW + 9);
	ck_assert(stream_ack(g, &id));
	ck_assert(!stream_ack(g, &id));
	ck_assert_uint_eq(b->pel.n, 1);
	/* a deleted entry ahead of the group: the counter can no longer be trusted */
	id = ID(4, 0);
	ck_assert(stream_delete(s, &id));
	ck_assert(stream_range_has_tombstones(s, &g->last_id, NULL));
	ck_assert(!stream_cg_lag(s, g, &lag) || lag >= 0);
	/* deleting a consumer drops its pending entries from the group */
	stream_consumer_delete(g, b);
	ck_assert_uint_eq(g->pel.n, 1);
	ck_assert_uint_eq(g->nconsumers, 1);
	stream_cg_destroy(s, stream_cg_find(s, "zz", 2));
	ck_assert_uint_eq(s->ngroups, 2);
	stream_free(s);
}
END_TEST

START_TEST(test_estimate)
{
	struct stream *s = stream_new();
	struct stream_id id;

	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 5, 0 }), 0);
	for (uint64_t i = 1; i <= 5; i++)
		ck_assert_int_eq(add(s, i, 0, "f", "v"), 0);
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 5, 0 }), 5);
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 1, 0 }), 1);
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 0, 5 }), 0);
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 3, 0 }),
	    STREAM_ENTRIES_READ_INVALID);
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 9, 0 }),
	    STREAM_ENTRIES_READ_INVALID);
	id = ID(2, 0);
	ck_assert(stream_delete(s, &id));
	ck_assert_int_eq(stream_estimate_distance(s, &(struct stream_id){ 1, 0 }),
	    STREAM_ENTRIES_READ_INVALID);
	stream_free(s);
}
END_TEST

START_TEST(test_rax_nodes)
{
	struct stream *s = stream_new();

	ck_assert_uint_eq(stream_rax_nodes(s), 1);
	stream_node_push(s, &(struct stream_id){ 1, 0 }, NULL);
	ck_assert_uint_eq(stream_rax_nodes(s), 2);
	/* 15 bytes in common: a compressed root, a 2-way node and two leaves */
	stream_node_push(s, &(struct stream_id){ 1, 1 }, NULL);
	ck_assert_uint_eq(stream_rax_nodes(s), 4);
	/* differing in the first byte: a 2-way root, then compressed tails and leaves */
	s->nodes[1].master = ID(UINT64_MAX, 0);
	ck_assert_uint_eq(stream_rax_nodes(s), 5);
	s->nnodes = 0;
	xfree(s->nodes);
	s->nodes = NULL;
	s->cap = 0;
	stream_free(s);
}
END_TEST

/* ---- COPY and the RDB codec ---- */

/* DUMP of redis-server 7.0.15 after XADD u 1-1 f v; XADD u 2-1 a b c d; XADD u 3-0 f w;
 * XDEL u 2-1, without the trailer. */
static const unsigned char redis_dump[] = {
	0x13, 0x01, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x01, 0x3f, 0x3f, 0x00, 0x00, 0x00, 0x18, 0x00, 0x02, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x81, 0x66, 0x02, 0x00, 0x01, 0x02, 0x01, 0x00, 0x01, 0x00, 0x01, 0x81, 0x76,
	0x02, 0x04, 0x01, 0x01, 0x01, 0x01, 0x01, 0x00, 0x01, 0x02, 0x01, 0x81, 0x61, 0x02, 0x81,
	0x62, 0x02, 0x81, 0x63, 0x02, 0x81, 0x64, 0x02, 0x08, 0x01, 0x02, 0x01, 0x02, 0x01, 0xdf,
	0xff, 0x02, 0x81, 0x77, 0x02, 0x04, 0x01, 0xff, 0x02, 0x03, 0x00, 0x01, 0x01, 0x02, 0x01,
	0x03, 0x00,
};

static struct obj *
load(const unsigned char *p, size_t len, const char *key, enum rdb_restore_result want)
{
	struct obj_value v;
	size_t pos = 1;
	enum rdb_restore_result rc = rdb_load_stream(p[0], p, len, &pos, true, &v);

	ck_assert_int_eq(rc, want);
	if (rc != RDB_RESTORE_OK)
		return NULL;
	return store_set_value(db, key, strlen(key), &v, OBJ_NO_EXPIRE, 0);
}

START_TEST(test_rdb_redis_payload)
{
	struct rdb_buf b = { 0 };
	struct obj *o = load(redis_dump, sizeof redis_dump, "u", RDB_RESTORE_OK);
	struct stream *s = obj_ptr(o);
	struct stream_id ids[4];

	ck_assert_uint_eq(s->length, 2);
	ck_assert_uint_eq(ids_of(s, false, ids, 4), 2);
	ck_assert(stream_id_cmp(&ids[0], &(struct stream_id){ 1, 1 }) == 0);
	ck_assert(stream_id_cmp(&ids[1], &(struct stream_id){ 3, 0 }) == 0);
	ck_assert(stream_id_cmp(&s->max_deleted, &(struct stream_id){ 2, 1 }) == 0);
	ck_assert_uint_eq(s->entries_added, 3);
	ck_assert_uint_eq(rdb_save_stream(&b, o), RDB_VERSION);
	ck_assert_uint_eq(b.len, sizeof redis_dump);
	ck_assert(memcmp(b.p, redis_dump, b.len) == 0);
	rdb_buf_free(&b);
}
END_TEST

/* A stream with two nodes, a tombstone and two groups with consumers and pending entries. */
static struct obj *
rich(const char *key)
{
	struct obj *o;
	struct stream *s = new_key(key, &o);
	struct stream_cg *g;
	struct stream_consumer *c1, *c2;
	struct stream_id id;

	for (uint64_t i = 1; i <= 130; i++)
		ck_assert_int_eq(add(s, i, i % 3, i % 5 ? "f" : "other", "value"), 0);
	id = ID(7, 1);
	ck_assert(stream_delete(s, &id));
	g = stream_cg_create(s, "grp", 3, &(struct stream_id){ 0, 0 }, 0);
	stream_cg_create(s, "empty", 5, &(struct stream_id){ 3, 0 }, -1);
	c1 = stream_consumer_create(g, "c1", 2, NOW);
	c2 = stream_consumer_create(g, "c2", 2, NOW + 5);
	stream_consumer_create(g, "idle", 4, NOW + 6);
	for (uint64_t i = 1; i <= 10; i++) {
		id = ID(i, i % 3);
		stream_cg_advance(s, g, &id);
		stream_deliver(g, i % 2 ? c1 : c2, &id, NOW + (int64_t)i);
	}
	return o;
}

START_TEST(test_rdb_roundtrip)
{
	struct rdb_buf a = { 0 }, b = { 0 };
	struct obj *o = rich("r"), *back;
	void *copy;

	rdb_save_stream(&a, o);
	back = load(a.p, a.len, "back", RDB_RESTORE_OK);
	rdb_save_stream(&b, back);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert(memcmp(a.p, b.p, a.len) == 0);
	/* COPY gives the same bytes, and is independent */
	copy = tstream_payload_dup(OBJ_ENC_STREAM, obj_ptr(o));
	{
		struct obj_value v = { .type = OBJ_STREAM, .enc = OBJ_ENC_STREAM, .ptr = copy };
		struct obj *c = store_set_value(db, "copy", 4, &v, OBJ_NO_EXPIRE, 0);

		rdb_buf_free(&b);
		rdb_save_stream(&b, c);
		ck_assert(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
		ck_assert(stream_ack(((struct stream *)obj_ptr(c))->groups[1], &(struct stream_id){ 1, 1 }));
		ck_assert_uint_eq(((struct stream *)obj_ptr(o))->groups[1]->pel.n, 10);
	}
	ck_assert_uint_gt(tstream_payload_mem(OBJ_ENC_STREAM, obj_ptr(o)), 130);
	rdb_buf_free(&a);
	rdb_buf_free(&b);
}
END_TEST

/*
 * Rewrites a type-19 payload p as type 15 (no first id, max deleted id, entries added, entries
 * read) or 21 (a consumer active time after each seen time). Walks the layout with the
 * codec's own readers.
 */
static void
convert(const unsigned char *p, size_t len, unsigned type, struct rdb_buf *out)
{
	size_t pos = 1, mark;
	uint64_t n, v, ng, np, nc;
	struct rdb_string str;

	rdb_buf_put_byte(out, (unsigned char)type);
	ck_assert(rdb_load_len(p, len, &pos, &n));
	for (uint64_t i = 0; i < 2 * n; i++) {
		ck_assert(rdb_load_string(p, len, &pos, &str));
		rdb_string_free(&str);
	}
	for (int i = 0; i < 3; i++)
		ck_assert(rdb_load_len(p, len, &pos, &v));
	rdb_buf_put(out, p + 1, pos - 1);
	mark = pos;
	for (int i = 0; i < 5; i++)
		ck_assert(rdb_load_len(p, len, &pos, &v));
	if (type != RDB_TYPE_STREAM_LISTPACKS)
		rdb_buf_put(out, p + mark, pos - mark);
	mark = pos;
	ck_assert(rdb_load_len(p, len, &pos, &ng));
	rdb_buf_put(out, p + mark, pos - mark);
	for (uint64_t g = 0; g < ng; g++) {
		mark = pos;
		ck_assert(rdb_load_string(p, len, &pos, &str));
		rdb_string_free(&str);
		ck_assert(rdb_load_len(p, len, &pos, &v) && rdb_load_len(p, len, &pos, &v));
		rdb_buf_put(out, p + mark, pos - mark);
		mark = pos;
		ck_assert(rdb_load_len(p, len, &pos, &v));
		if (type != RDB_TYPE_STREAM_LISTPACKS)
			rdb_buf_put(out, p + mark, pos - mark);
		mark = pos;
		ck_assert(rdb_load_len(p, len, &pos, &np));
		for (uint64_t k = 0; k < np; k++) {
			pos += 24;
			ck_assert(rdb_load_len(p, len, &pos, &v));
		}
		ck_assert(rdb_load_len(p, len, &pos, &nc));
		rdb_buf_put(out, p + mark, pos - mark);
		for (uint64_t c = 0; c < nc; c++) {
			mark = pos;
			ck_assert(rdb_load_string(p, len, &pos, &str));
			rdb_string_free(&str);
			pos += 8;
			rdb_buf_put(out, p + mark, pos - mark);
			if (type == RDB_TYPE_STREAM_LISTPACKS_3)
				rdb_buf_put_i64le(out, NOW + 100);
			mark = pos;
			ck_assert(rdb_load_len(p, len, &pos, &np));
			pos += 16 * np;
			rdb_buf_put(out, p + mark, pos - mark);
		}
	}
	ck_assert_uint_eq(pos, len);
}

START_TEST(test_rdb_old_new_formats)
{
	struct rdb_buf a = { 0 }, b = { 0 };
	struct obj *o = rich("r"), *back;
	struct stream *s;

	rdb_save_stream(&a, o);
	/* 5.0 to 6.2: the metadata is derived */
	convert(a.p, a.len, RDB_TYPE_STREAM_LISTPACKS, &b);
	back = load(b.p, b.len, "old", RDB_RESTORE_OK);
	s = obj_ptr(back);
	ck_assert_uint_eq(s->entries_added, s->length);
	ck_assert(stream_id_cmp(&s->first_id, &(struct stream_id){ 1, 1 }) == 0);
	ck_assert_uint_eq(s->groups[1]->pel.n, 10);
	ck_assert_int_eq(s->groups[0]->entries_read, STREAM_ENTRIES_READ_INVALID);
	rdb_buf_free(&b);
	/* 7.2+: consumer active times */
	convert(a.p, a.len, RDB_TYPE_STREAM_LISTPACKS_3, &b);
	back = load(b.p, b.len, "new", RDB_RESTORE_OK);
	s = obj_ptr(back);
	ck_assert_int_eq(s->groups[1]->consumers[0]->active_time, NOW + 100);
	rdb_buf_free(&b);
	/* and back to 7.0's bytes */
	rdb_save_stream(&b, back);
	ck_assert(a.len == b.len && memcmp(a.p, b.p, a.len) == 0);
	rdb_buf_free(&a);
	rdb_buf_free(&b);
}
END_TEST

START_TEST(test_rdb_truncated_flipped)
{
	struct rdb_buf a = { 0 };
	struct obj *o = rich("r");
	unsigned char *copy;

	rdb_save_stream(&a, o);
	for (size_t cut = 1; cut < a.len; cut++)
		load(a.p, cut, "t", RDB_RESTORE_BAD);
	copy = xmalloc(a.len);
	for (size_t i = 1; i < a.len; i++) {
		for (int bit = 0; bit < 8; bit += 3) {
			struct obj_value v;
			size_t pos = 1;

			memcpy(copy, a.p, a.len);
			copy[i] ^= (unsigned char)(1 << bit);
			/* anything may decode, but nothing may crash or leak */
			if (rdb_load_stream(copy[0], copy, a.len, &pos, true, &v) == RDB_RESTORE_OK)
				tstream_payload_free(OBJ_ENC_STREAM, v.ptr);
		}
	}
	xfree(copy);
	rdb_buf_free(&a);
}
END_TEST

/* Hand-built type-19 payloads around the redis_dump nodes, each broken in one way. */
START_TEST(test_rdb_rejects)
{
	static const unsigned char master[16] = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };
	const unsigned char *lp = redis_dump + 20;
	size_t lplen = 0x3f;
	int which;

	for (which = 0; which < 8; which++) {
		struct rdb_buf b = { 0 };
		unsigned char raw[16];

		rdb_buf_put_byte(&b, RDB_TYPE_STREAM_LISTPACKS_2);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_string(&b, master, which == 0 ? 15 : 16);
		rdb_buf_put_string(&b, lp, lplen);
		rdb_buf_put_len(&b, which == 1 ? 3 : 2);	/* length */
		rdb_buf_put_len(&b, which == 2 ? 2 : 3);	/* last id */
		rdb_buf_put_len(&b, 0);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, 2);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, 3);
		rdb_buf_put_len(&b, which == 3 ? 2 : 1);	/* groups */
		rdb_buf_put_string(&b, "g", 1);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, 1);
		rdb_buf_put_len(&b, which == 4 ? 2 : 1);	/* pending: 1-1 (twice) */
		stream_id_encode(raw, &(struct stream_id){ 1, 1 });
		for (int k = 0; k < (which == 4 ? 2 : 1); k++) {
			rdb_buf_put(&b, raw, 16);
			rdb_buf_put_i64le(&b, NOW);
			rdb_buf_put_len(&b, 1);
		}
		rdb_buf_put_len(&b, 1);				/* consumers */
		rdb_buf_put_string(&b, "c", 1);
		rdb_buf_put_i64le(&b, NOW);
		rdb_buf_put_len(&b, which == 5 ? 0 : 1);	/* its pending (5: none) */
		if (which != 5) {
			if (which == 6)
				stream_id_encode(raw, &(struct stream_id){ 2, 2 });
			rdb_buf_put(&b, raw, 16);
		}
		if (which == 3) {				/* the same group again */
			rdb_buf_put_string(&b, "g", 1);
			for (int k = 0; k < 3; k++)
				rdb_buf_put_len(&b, 1);
			rdb_buf_put_len(&b, 0);
			rdb_buf_put_len(&b, 0);
		}
		load(b.p, b.len, "x", which == 7 ? RDB_RESTORE_OK : RDB_RESTORE_BAD);
		rdb_buf_free(&b);
	}
	/* a node whose entry count disagrees with its entries */
	{
		unsigned char bad[sizeof redis_dump];
		size_t pos = 1;
		struct obj_value v;

		memcpy(bad, redis_dump, sizeof bad);
		bad[20 + 6] = 0x03;	/* count 3 live */
		ck_assert_int_eq(rdb_load_stream(bad[0], bad, sizeof bad, &pos, true, &v),
		    RDB_RESTORE_BAD);
	}
}
END_TEST

static Suite *
stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc;

	tc = tcase_create("ids_append");
	tcase_add_test(tc, test_ids);
	tcase_add_test(tc, test_append_ids);
	tcase_add_test(tc, test_append_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("iterate_delete_trim");
	tcase_add_test(tc, test_iterate);
	tcase_add_test(tc, test_delete);
	tcase_add_test(tc, test_trim);
	suite_add_tcase(s, tc);

	tc = tcase_create("groups");
	tcase_add_test(tc, test_groups);
	tcase_add_test(tc, test_estimate);
	tcase_add_test(tc, test_rax_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("rdb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rdb_redis_payload);
	tcase_add_test(tc, test_rdb_roundtrip);
	tcase_add_test(tc, test_rdb_old_new_formats);
	tcase_add_test(tc, test_rdb_truncated_flipped);
	tcase_add_test(tc, test_rdb_rejects);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(stream_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
