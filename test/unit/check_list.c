/*
 * check_list: the list type (storage/t_list.c, quicklist.c, rdb/rdb_list.c): both conversions
 * at their exact thresholds, quicklist node splits and merges at the size limits (the node
 * layouts Redis 7.4's quicklist.c builds for the same steps), inserts and deletes across
 * nodes, plain nodes, a randomized comparison with a plain array model under several fills,
 * the payload hooks, and the RDB codec (round trips, every list type byte, damaged input).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/quicklist.h"
#include "storage/rdb/rdb_value.h"
#include "storage/store.h"
#include "storage/t_list.h"

static struct store *st;
static struct db *db;

static void
setup(void)
{
	st = store_new(1, 7);
	db = store_db(st, 0);
	obj_limits.list_max_listpack_size = -2;
}

static void
teardown(void)
{
	store_free(st);
	obj_limits.list_max_listpack_size = -2;
}

static struct obj *
get(const char *key)
{
	return store_lookup_any(db, key, strlen(key));
}

static struct obj *
mk(const char *key)
{
	return tlist_create(db, key, strlen(key), 0);
}

/* Pushes the NUL-terminated strings of a NULL-terminated array at the tail. */
static void
push_all(struct obj *o, const char *const *v)
{
	for (; *v != NULL; v++) {
		tlist_grow(o, strlen(*v), 1);
		tlist_push(o, *v, strlen(*v), false);
	}
}

/*
 * Checks o's quicklist invariants (links, counts, node sizes) and that its nodes hold
 * exactly the entry counts of want (a string like "2 3 4", "P" for a plain node).
 */
static void
check_ql(const struct quicklist *ql, const char *want)
{
	const struct ql_node *n, *prev = NULL;
	char got[512];
	size_t off = 0, total = 0, len = 0;

	got[0] = '\0';
	for (n = ql->head; n != NULL; prev = n, n = n->next) {
		ck_assert_ptr_eq(n->prev, prev);
		ck_assert_uint_gt(n->count, 0);
		if (n->plain) {
			ck_assert_uint_eq(n->count, 1);
		} else {
			ck_assert_uint_eq(n->sz, lp_bytes(n->entry));
			ck_assert_uint_eq(n->count, lp_length(n->entry));
		}
		total += n->count;
		len++;
		if (n->plain)
			off += (size_t)snprintf(got + off, sizeof(got) - off, "%sP", off ? " " : "");
		else
			off += (size_t)snprintf(got + off, sizeof(got) - off, "%s%u", off ? " " : "",
			    (unsigned)n->count);
	}
	ck_assert_ptr_eq(ql->tail, prev);
	ck_assert_uint_eq(ql->count, total);
	ck_assert_uint_eq(ql->len, len);
	if (want != NULL)
		ck_assert_str_eq(got, want);
}

static void
check_nodes(struct obj *o, const char *want)
{
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	check_ql(obj_ptr(o), want);
}

/* Asserts that o reads as the strings of want (space-separated), both ways. */
static void
check_content(struct obj *o, const char *want)
{
	char buf[4096], rev[4096];
	struct tlist_iter it;
	struct tlist_entry e;
	size_t off = 0;
	char *words[512];
	size_t nw = 0;

	snprintf(rev, sizeof(rev), "%s", want);
	for (char *t = strtok(rev, " "); t != NULL; t = strtok(NULL, " "))
		words[nw++] = t;
	ck_assert_uint_eq(tlist_length(o), nw);
	buf[0] = '\0';
	tlist_iter_init(&it, o, 0, true);
	while (tlist_next(&it, &e)) {
		char ib[32];

		if (e.s == NULL) {
			snprintf(ib, sizeof(ib), "%lld", (long long)e.v);
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s", off ? " " : "",
			    ib);
		} else {
			off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%.*s",
			    off ? " " : "", (int)e.len, (const char *)e.s);
		}
	}
	ck_assert_str_eq(buf, want);
	/* backwards: element i from the tail is words[nw - 1 - i] */
	tlist_iter_init(&it, o, -1, false);
	for (size_t i = 0; i < nw; i++) {
		ck_assert(tlist_next(&it, &e));
		ck_assert(tlist_entry_eq(&e, words[nw - 1 - i], strlen(words[nw - 1 - i])));
	}
	ck_assert(!tlist_next(&it, &e));
}

/* ---- conversions ---- */

/* A listpack becomes a quicklist exactly when Redis 7.2 would: bytes + new > 8192. */
START_TEST(test_grow_at_byte_limit)
{
	struct obj *o = mk("l");
	char v[100];

	memset(v, 'x', sizeof(v));
	for (int i = 0; i < 200; i++) {
		size_t before;
		bool lp = obj_encoding(o) == OBJ_ENC_LISTPACK;

		before = lp ? lp_bytes(obj_ptr(o)) : 0;
		tlist_grow(o, sizeof(v), 1);
		if (lp)
			ck_assert_int_eq(obj_encoding(o), before + sizeof(v) > 8192 ?
			    OBJ_ENC_QUICKLIST : OBJ_ENC_LISTPACK);
		tlist_push(o, v, sizeof(v), false);
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	check_nodes(o, NULL);
	ck_assert_uint_eq(tlist_length(o), 200);
}
END_TEST

/* Positive fill: entries per node (and 8 KiB at most); shrinks back at half the count. */
START_TEST(test_count_limit_both_ways)
{
	struct obj *o = mk("l");

	obj_limits.list_max_listpack_size = 128;
	for (int i = 0; i < 128; i++) {
		tlist_grow(o, 1, 1);
		tlist_push(o, "a", 1, false);
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	tlist_grow(o, 1, 1);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	tlist_push(o, "b", 1, false);
	check_nodes(o, "128 1");
	/* two nodes never shrink */
	tlist_del_range(o, -1, 1);
	tlist_shrink(o);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	check_nodes(o, "128");
	/* one node: not until it holds at most half the limit */
	tlist_del_range(o, 0, 63);
	tlist_shrink(o);
	check_nodes(o, "65");
	tlist_del_range(o, 0, 1);
	tlist_shrink(o);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(tlist_length(o), 64);
}
END_TEST

/* Byte fill: a single node shrinks back to a listpack at 4096 bytes (half of -2's 8 KiB). */
START_TEST(test_shrink_at_half_size)
{
	struct obj *o = mk("l");
	char v[1000];

	memset(v, 'y', sizeof(v));
	for (int i = 0; i < 9; i++) {
		tlist_grow(o, sizeof(v), 1);
		tlist_push(o, v, sizeof(v), false);
	}
	check_nodes(o, "8 1");
	tlist_del_range(o, -1, 1);
	tlist_shrink(o);
	check_nodes(o, "8");
	while (tlist_length(o) > 1) {
		const struct quicklist *ql = obj_ptr(o);
		size_t sz;

		if (obj_encoding(o) == OBJ_ENC_LISTPACK)
			break;
		tlist_del_range(o, 0, 1);
		sz = ql->head->sz;
		tlist_shrink(o);
		ck_assert_int_eq(obj_encoding(o), sz <= 4096 ? OBJ_ENC_LISTPACK :
		    OBJ_ENC_QUICKLIST);
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_LISTPACK);
	ck_assert_uint_eq(lp_length(obj_ptr(o)), 4);
}
END_TEST

/* An element larger than a node gets a plain node; a plain node never shrinks to a listpack. */
START_TEST(test_plain_nodes)
{
	struct obj *o = mk("l");
	char *big = xmalloc(9000), small[] = "s";

	memset(big, 'B', 9000);
	tlist_grow(o, 1, 1);
	tlist_push(o, small, 1, false);
	tlist_grow(o, 9000, 1);
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	tlist_push(o, big, 9000, false);
	tlist_push(o, small, 1, false);
	tlist_push(o, big, 8192, true);		/* exactly the limit: still packed */
	check_nodes(o, "1 1 P 1");
	/* LSET a plain element to a small one: it joins a packed node */
	ck_assert(tlist_set(o, 2, "t", 1));
	check_nodes(o, "1 1 2");
	/* LSET a packed element to a large one: split around a new plain node */
	ck_assert(tlist_set(o, 2, big, 9000));
	check_nodes(o, "1 1 P 1");
	/* LINSERT a large element in the middle of a node: split */
	tlist_del_range(o, 0, 4);
	push_all(o, (const char *const[]){ "a", "b", "c", NULL });
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	ck_assert(tlist_insert(o, "b", 1, big, 9000, true));
	check_nodes(o, "2 P 1");
	tlist_del_range(o, 2, 1);
	tlist_shrink(o);
	check_nodes(o, "2 1");
	/* the plain node as the only node does not become a listpack */
	tlist_del_range(o, 0, 3);
	tlist_push(o, big, 9000, false);
	tlist_shrink(o);
	check_nodes(o, "P");
	xfree(big);
}
END_TEST

/* ---- splits and merges (fill 4: four entries per node) ---- */

static struct obj *
mk12(void)
{
	struct obj *o = mk("l");

	obj_limits.list_max_listpack_size = 4;
	push_all(o, (const char *const[]){ "a", "b", "c", "d", "e", "f", "g", "h", "i", "j",
	    "k", "l", NULL });
	check_nodes(o, "4 4 4");
	return o;
}

START_TEST(test_split_middle)
{
	struct obj *o = mk12();

	ck_assert(tlist_insert(o, "b", 1, "X", 1, true));
	check_nodes(o, "2 3 4 4");
	check_content(o, "a b X c d e f g h i j k l");
	ck_assert(tlist_insert(o, "k", 1, "Y", 1, false));
	check_nodes(o, "2 3 4 3 2");
	check_content(o, "a b X c d e f g h i j Y k l");
}
END_TEST

START_TEST(test_insert_at_node_edges)
{
	struct obj *o = mk12();

	/* after the last of a full node, next full: a new node between */
	ck_assert(tlist_insert(o, "d", 1, "X", 1, true));
	check_nodes(o, "4 1 4 4");
	/* after the last of a full node, next has room: prepended there */
	ck_assert(tlist_insert(o, "X", 1, "Y", 1, false));
	check_nodes(o, "4 2 4 4");
	ck_assert(tlist_insert(o, "e", 1, "Z", 1, false));
	check_nodes(o, "4 3 4 4");
	check_content(o, "a b c d Y X Z e f g h i j k l");
	/* before the first of a full node whose previous node has room: appended there */
	ck_assert(tlist_insert(o, "e", 1, "W", 1, false));
	check_nodes(o, "4 4 4 4");
	check_content(o, "a b c d Y X Z W e f g h i j k l");
}
END_TEST

START_TEST(test_split_then_merge)
{
	struct obj *o = mk12();

	ck_assert_uint_eq(tlist_remove(o, "c", 1, false, 0), 1);
	ck_assert_uint_eq(tlist_remove(o, "d", 1, false, 0), 1);
	check_nodes(o, "2 4 4");
	ck_assert(tlist_insert(o, "f", 1, "X", 1, true));
	check_nodes(o, "4 3 4");
	check_content(o, "a b e f X g h i j k l");
}
END_TEST

/*
 * Merging at the byte limit (fill -2): after a split, the left part merges with a neighbour
 * when their sizes less one listpack header (7 bytes) fit 8192 bytes (Redis 7.2+; 7.0
 * subtracted 11). Node A holds one string of alen bytes, B "b" and an 8170-byte string (8187
 * bytes: full), and "X" goes in after "b": B splits into [b] (10 bytes) and [X big] (8187).
 * [b] merges into A first when A + 10 - 7 <= 8192, that is when A is at most 8189 bytes;
 * otherwise it merges with [X big] (10 + 8187 - 7 = 8190).
 */
START_TEST(test_merge_byte_limit)
{
	static const struct {
		size_t alen;	/* A's element: A is alen + 14 bytes when alen > 4095 */
		const char *want;
	} cases[] = {
		{ 8175, "2 2" },	/* A 8189 bytes: merged */
		{ 8176, "1 3" },	/* A 8190 bytes: 7.0 would merge it, 7.2+ does not */
		{ 100, "2 2" },
	};
	char *big = xmalloc(8200);

	memset(big, 'M', 8200);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct quicklist *ql = ql_new();
		unsigned char *a = lp_append(lp_new(0), big, cases[i].alen);
		unsigned char *b = lp_append(lp_append(lp_new(0), "b", 1), big, 8170);
		struct ql_pos pos;

		if (cases[i].alen > 4095)
			ck_assert_uint_eq(lp_bytes(a), cases[i].alen + 14);
		ck_assert_uint_eq(lp_bytes(b), 8187);
		ql_append_listpack(ql, a);
		ql_append_listpack(ql, b);
		ck_assert(ql_seek(ql, 1, &pos));
		ql_insert(ql, -2, &pos, "X", 1, true);
		check_ql(ql, cases[i].want);
		ql_free(ql);
	}
	xfree(big);
}
END_TEST

/* Deletions across node boundaries, from both ends. */
START_TEST(test_delete_across_nodes)
{
	struct obj *o = mk12();

	tlist_del_range(o, 2, 7);
	check_nodes(o, "2 3");
	check_content(o, "a b j k l");
	tlist_del_range(o, -4, 2);
	check_nodes(o, "1 2");
	check_content(o, "a k l");
	tlist_del_range(o, -1, 100);
	check_content(o, "a k");
	tlist_del_range(o, 5, 1);
	check_content(o, "a k");

	o = mk("m");
	push_all(o, (const char *const[]){ "x", "a", "x", "x", "b", "x", "x", "c", "x", NULL });
	obj_limits.list_max_listpack_size = 2;
	tlist_grow(o, 10000, 1);	/* force a quicklist */
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	ck_assert_uint_eq(tlist_remove(o, "x", 1, true, 3), 3);
	check_content(o, "x a x x b c");
	ck_assert_uint_eq(tlist_remove(o, "x", 1, false, 0), 3);
	check_content(o, "a b c");
}
END_TEST

/* ---- random operations against an array model ---- */

struct model {
	char **s;
	size_t *len;
	size_t n;
};

static void
model_insert(struct model *m, size_t at, const char *s, size_t len)
{
	m->s = xrealloc(m->s, (m->n + 1) * sizeof(*m->s));
	m->len = xrealloc(m->len, (m->n + 1) * sizeof(*m->len));
	memmove(m->s + at + 1, m->s + at, (m->n - at) * sizeof(*m->s));
	memmove(m->len + at + 1, m->len + at, (m->n - at) * sizeof(*m->len));
	m->s[at] = xmalloc(len + 1);
	memcpy(m->s[at], s, len);
	m->len[at] = len;
	m->n++;
}

static void
model_delete(struct model *m, size_t at)
{
	xfree(m->s[at]);
	memmove(m->s + at, m->s + at + 1, (m->n - at - 1) * sizeof(*m->s));
	memmove(m->len + at, m->len + at + 1, (m->n - at - 1) * sizeof(*m->len));
	m->n--;
}

static void
model_check(struct obj *o, const struct model *m)
{
	struct tlist_iter it;
	struct tlist_entry e;
	size_t i = 0;

	ck_assert_uint_eq(tlist_length(o), m->n);
	tlist_iter_init(&it, o, 0, true);
	while (tlist_next(&it, &e)) {
		ck_assert_uint_lt(i, m->n);
		ck_assert_msg(tlist_entry_eq(&e, m->s[i], m->len[i]), "element %zu differs", i);
		i++;
	}
	ck_assert_uint_eq(i, m->n);
	if (obj_encoding(o) == OBJ_ENC_QUICKLIST)
		check_nodes(o, NULL);
	if (m->n > 0) {
		size_t k = (size_t)rand() % m->n;

		ck_assert(tlist_index(o, (int64_t)k - (int64_t)m->n, &e));
		ck_assert(tlist_entry_eq(&e, m->s[k], m->len[k]));
	}
}

static size_t
random_value(char *buf)
{
	switch (rand() % 6) {
	case 0:
		return (size_t)sprintf(buf, "%d", rand() % 2000 - 1000);
	case 1:
		return (size_t)sprintf(buf, "%lld", (long long)rand() * 4000000000LL);
	case 2: {
		size_t n = 1000 + (size_t)rand() % 3000;

		memset(buf, 'a' + rand() % 26, n);
		return n;
	}
	case 3:
		if (rand() % 8 == 0) {
			size_t n = 8000 + (size_t)rand() % 1500;

			memset(buf, 'P', n);
			return n;
		}
		/* fall through */
	default: {
		size_t n = 1 + (size_t)rand() % 4;

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)('a' + rand() % 3);
		return n;
	}
	}
}

static const int fills[] = { -2, -1, 3, 1, 0, -5 };

START_TEST(test_random_model)
{
	struct model m = { 0 };
	char *buf = xmalloc(10000);
	struct obj *o;

	srand(1000 + (unsigned)_i);
	obj_limits.list_max_listpack_size = fills[_i];
	o = mk("r");
	for (int step = 0; step < 1500; step++) {
		size_t len = random_value(buf);
		int op = rand() % 10;

		if (m.n > 400)
			op = 3;
		switch (op) {
		case 0:
		case 1:
		case 2: {
			bool head = rand() % 2;

			tlist_grow(o, len, 1);
			tlist_push(o, buf, len, head);
			model_insert(&m, head ? 0 : m.n, buf, len);
			break;
		}
		case 3: {
			int64_t start, cnt = 1 + rand() % 40;

			if (m.n == 0)
				break;
			start = rand() % 2 ? (int64_t)((size_t)rand() % m.n) :
			    -(int64_t)(1 + (size_t)rand() % m.n);
			tlist_del_range(o, start, cnt);
			for (size_t at = start < 0 ? (size_t)((int64_t)m.n + start) : (size_t)start,
			    k = 0; k < (size_t)cnt && at < m.n; k++)
				model_delete(&m, at);
			break;
		}
		case 4: {
			size_t at;

			if (m.n == 0)
				break;
			at = (size_t)rand() % m.n;
			tlist_grow(o, len, 1);
			ck_assert(tlist_set(o, (int64_t)at, buf, len));
			xfree(m.s[at]);
			m.s[at] = xmalloc(len);
			memcpy(m.s[at], buf, len);
			m.len[at] = len;
			tlist_shrink(o);
			break;
		}
		case 5:
		case 6: {
			size_t at;
			bool after = rand() % 2;

			if (m.n == 0)
				break;
			at = (size_t)rand() % m.n;
			/* the first element equal to element at is the pivot */
			for (size_t k = 0; k < at; k++)
				if (m.len[k] == m.len[at] && memcmp(m.s[k], m.s[at], m.len[k]) == 0) {
					at = k;
					break;
				}
			tlist_grow(o, len, 1);
			ck_assert(tlist_insert(o, m.s[at], m.len[at], buf, len, after));
			model_insert(&m, after ? at + 1 : at, buf, len);
			break;
		}
		case 7: {
			bool tail = rand() % 2;
			uint64_t limit = (uint64_t)rand() % 3;
			size_t want = 0;

			len = (size_t)sprintf(buf, "%c", 'a' + rand() % 3);
			if (!tail) {
				for (size_t k = 0; k < m.n;) {
					if (m.len[k] != len || memcmp(m.s[k], buf, len) != 0) {
						k++;
						continue;
					}
					model_delete(&m, k);
					if (++want == limit)
						break;
				}
			} else {
				for (size_t k = m.n; k-- > 0;) {
					if (m.len[k] != len || memcmp(m.s[k], buf, len) != 0)
						continue;
					model_delete(&m, k);
					if (++want == limit)
						break;
				}
			}
			ck_assert_uint_eq(tlist_remove(o, buf, len, tail, limit), want);
			if (tlist_length(o) > 0)
				tlist_shrink(o);
			break;
		}
		default:
			if (m.n > 0)
				tlist_shrink(o);
			break;
		}
		model_check(o, &m);
	}
	while (m.n > 0)
		model_delete(&m, 0);
	xfree(m.s);
	xfree(m.len);
	xfree(buf);
}
END_TEST

/* ---- payload hooks ---- */

START_TEST(test_dup_and_mem)
{
	struct obj *o = mk("l");
	char v[600];
	void *d;

	memset(v, 'q', sizeof(v));
	for (int i = 0; i < 30; i++) {
		tlist_grow(o, sizeof(v), 1);
		tlist_push(o, v, sizeof(v), i % 2);
	}
	ck_assert_int_eq(obj_encoding(o), OBJ_ENC_QUICKLIST);
	d = tlist_payload_dup(OBJ_ENC_QUICKLIST, obj_ptr(o));
	ck_assert_uint_eq(((struct quicklist *)d)->count, 30);
	ck_assert_uint_eq(((struct quicklist *)d)->len, ((struct quicklist *)obj_ptr(o))->len);
	ck_assert_uint_eq(tlist_payload_mem(OBJ_ENC_QUICKLIST, d),
	    tlist_payload_mem(OBJ_ENC_QUICKLIST, obj_ptr(o)));
	ck_assert_uint_gt(tlist_payload_mem(OBJ_ENC_QUICKLIST, d), 30 * sizeof(v));
	tlist_payload_free(OBJ_ENC_QUICKLIST, d);
	tlist_payload_free(OBJ_ENC_LISTPACK, NULL);
}
END_TEST

/* ---- RDB codec ---- */

/* DUMP-like bytes of o: type byte and value (no trailer). */
static struct rdb_buf
save(struct obj *o)
{
	struct rdb_buf b = { 0 };

	ck_assert_uint_eq(rdb_save_list(&b, o), RDB_VERSION);
	return b;
}

static void
load_ok(const unsigned char *p, size_t len, const char *key)
{
	struct obj_value v;
	size_t pos = 1;

	ck_assert_int_eq(rdb_load_list(p[0], p, len, &pos, true, &v), RDB_RESTORE_OK);
	ck_assert_uint_eq(pos, len);
	store_set_value(db, key, strlen(key), &v, OBJ_NO_EXPIRE, 0);
}

START_TEST(test_rdb_round_trip)
{
	struct obj *o = mk("l"), *c;
	struct rdb_buf b, b2;
	char *big = xmalloc(9000);

	memset(big, 'Z', 9000);
	push_all(o, (const char *const[]){ "a", "12", "-7", "bcd", NULL });
	b = save(o);
	ck_assert_uint_eq(b.p[0], RDB_TYPE_LIST_QUICKLIST_2);
	load_ok(b.p, b.len, "c");
	c = get("c");
	ck_assert_int_eq(obj_encoding(c), OBJ_ENC_LISTPACK);
	check_content(c, "a 12 -7 bcd");
	b2 = save(c);
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert(memcmp(b.p, b2.p, b.len) == 0);
	rdb_buf_free(&b);
	rdb_buf_free(&b2);

	/* a quicklist with a plain node stays a quicklist, node for node */
	tlist_grow(o, 9000, 1);
	tlist_push(o, big, 9000, false);
	tlist_push(o, "end", 3, false);
	check_nodes(o, "4 P 1");
	b = save(o);
	load_ok(b.p, b.len, "d");
	check_nodes(get("d"), "4 P 1");
	b2 = save(get("d"));
	ck_assert_uint_eq(b2.len, b.len);
	ck_assert(memcmp(b.p, b2.p, b.len) == 0);
	rdb_buf_free(&b);
	rdb_buf_free(&b2);
	xfree(big);
}
END_TEST

/* Every truncation of a valid value, and every single-bit flip, fails cleanly or loads. */
START_TEST(test_rdb_damaged)
{
	struct obj *o = mk("l");
	struct rdb_buf b;
	char v[40];

	memset(v, 'v', sizeof(v));
	for (int i = 0; i < 50; i++) {
		tlist_grow(o, sizeof(v), 1);
		tlist_push(o, v, sizeof(v) - (size_t)(i % 7), false);
	}
	b = save(o);
	for (size_t n = 1; n < b.len; n++) {
		struct obj_value val;
		size_t pos = 1;

		ck_assert_int_eq(rdb_load_list(b.p[0], b.p, n, &pos, true, &val),
		    RDB_RESTORE_BAD);
	}
	for (size_t i = 1; i < b.len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			unsigned char *p = xmalloc(b.len);
			struct obj_value val;
			size_t pos = 1;

			memcpy(p, b.p, b.len);
			p[i] ^= (unsigned char)(1u << bit);
			if (rdb_load_list(p[0], p, b.len, &pos, true, &val) == RDB_RESTORE_OK)
				obj_value_discard(&val);
			xfree(p);
		}
	}
	rdb_buf_free(&b);
}
END_TEST

/* The older list types: RDB_TYPE_LIST, RDB_TYPE_LIST_ZIPLIST, RDB_TYPE_LIST_QUICKLIST. */
START_TEST(test_rdb_old_types)
{
	/* a ziplist of "a", 5 (an int entry) and "bc" */
	static const unsigned char zl[] = {
		20, 0, 0, 0, 15, 0, 0, 0, 3, 0,
		0x00, 0x01, 'a',
		0x03, 0xf6,
		0x02, 0x02, 'b', 'c',
		0xff,
	};
	unsigned char buf[64];
	struct obj_value v;
	size_t pos, n;

	/* RDB_TYPE_LIST: three strings, one LZF-free int-encoded (INT8 7) */
	n = 0;
	buf[n++] = RDB_TYPE_LIST;
	buf[n++] = 3;
	buf[n++] = 1; buf[n++] = 'x';
	buf[n++] = 0xc0; buf[n++] = 7;
	buf[n++] = 2; buf[n++] = 'y'; buf[n++] = 'z';
	load_ok(buf, n, "t1");
	ck_assert_int_eq(obj_encoding(get("t1")), OBJ_ENC_LISTPACK);
	check_content(get("t1"), "x 7 yz");

	/* RDB_TYPE_LIST_ZIPLIST: Redis 7.2 keeps a quicklist */
	n = 0;
	buf[n++] = RDB_TYPE_LIST_ZIPLIST;
	buf[n++] = sizeof(zl);
	memcpy(buf + n, zl, sizeof(zl));
	n += sizeof(zl);
	load_ok(buf, n, "t10");
	check_nodes(get("t10"), "3");
	check_content(get("t10"), "a 5 bc");

	/* RDB_TYPE_LIST_QUICKLIST: two ziplist nodes, one of them empty (skipped) */
	n = 0;
	buf[n++] = RDB_TYPE_LIST_QUICKLIST;
	buf[n++] = 2;
	buf[n++] = sizeof(zl);
	memcpy(buf + n, zl, sizeof(zl));
	n += sizeof(zl);
	buf[n++] = 11;
	memcpy(buf + n, (const unsigned char[]){ 11, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0xff }, 11);
	n += 11;
	load_ok(buf, n, "t14");
	ck_assert_int_eq(obj_encoding(get("t14")), OBJ_ENC_LISTPACK);
	check_content(get("t14"), "a 5 bc");

	/* empty lists: RDB_RESTORE_EMPTY */
	pos = 1;
	ck_assert_int_eq(rdb_load_list(RDB_TYPE_LIST, (const unsigned char[]){ 1, 0 }, 2, &pos,
	    true, &v), RDB_RESTORE_EMPTY);
	pos = 1;
	ck_assert_int_eq(rdb_load_list(RDB_TYPE_LIST_QUICKLIST_2,
	    (const unsigned char[]){ 18, 1, 2, 7, 7, 0, 0, 0, 0, 0, 0xff }, 11, &pos, true, &v),
	    RDB_RESTORE_EMPTY);
	/* an unknown container, a zero-length node */
	pos = 1;
	ck_assert_int_eq(rdb_load_list(RDB_TYPE_LIST_QUICKLIST_2,
	    (const unsigned char[]){ 18, 1, 3, 1, 'a' }, 5, &pos, true, &v), RDB_RESTORE_BAD);
	pos = 1;
	ck_assert_int_eq(rdb_load_list(RDB_TYPE_LIST_QUICKLIST_2,
	    (const unsigned char[]){ 18, 1, 1, 0 }, 4, &pos, true, &v), RDB_RESTORE_BAD);
	/* a plain node */
	pos = 1;
	ck_assert_int_eq(rdb_load_list(RDB_TYPE_LIST_QUICKLIST_2,
	    (const unsigned char[]){ 18, 1, 1, 2, 'h', 'i' }, 6, &pos, true, &v), RDB_RESTORE_OK);
	ck_assert_int_eq(v.enc, OBJ_ENC_QUICKLIST);
	ck_assert(((struct quicklist *)v.ptr)->head->plain);
	obj_value_discard(&v);
}
END_TEST

static Suite *
list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc;

	tc = tcase_create("conversions");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_grow_at_byte_limit);
	tcase_add_test(tc, test_count_limit_both_ways);
	tcase_add_test(tc, test_shrink_at_half_size);
	tcase_add_test(tc, test_plain_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("nodes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_split_middle);
	tcase_add_test(tc, test_insert_at_node_edges);
	tcase_add_test(tc, test_split_then_merge);
	tcase_add_test(tc, test_merge_byte_limit);
	tcase_add_test(tc, test_delete_across_nodes);
	suite_add_tcase(s, tc);

	tc = tcase_create("model");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random_model, 0, (int)(sizeof(fills) / sizeof(fills[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("hooks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_dup_and_mem);
	suite_add_tcase(s, tc);

	tc = tcase_create("rdb");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rdb_round_trip);
	tcase_add_test(tc, test_rdb_damaged);
	tcase_add_test(tc, test_rdb_old_types);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(list_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
