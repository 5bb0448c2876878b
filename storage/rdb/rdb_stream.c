/*
 * rdb_stream.c: the stream type's RDB codec (see rdb_value.h). DUMP writes
 * RDB_TYPE_STREAM_LISTPACKS_2 as Redis 7.0 does: the node listpacks as they are (each behind
 * its 16-byte big-endian master id), the metadata, then each consumer group with its pending
 * entries and consumers. The loader takes types 15 (5.0 to 6.2), 19 (7.0) and 21 (7.2+, with
 * consumer active times), and trusts nothing: every node goes through stream_node_validate,
 * ids must increase across nodes, the length must match the live entries, and every pending
 * entry must belong to exactly one existing consumer.
 */
#include <string.h>

#include "storage/base/mem.h"
#include "storage/listpack.h"
#include "storage/obj.h"
#include "storage/rdb/rdb_value.h"
#include "storage/t_stream.h"

static void
put_id_raw(struct rdb_buf *b, const struct stream_id *id)
{
	unsigned char raw[16];

	stream_id_encode(raw, id);
	rdb_buf_put(b, raw, sizeof raw);
}

unsigned
rdb_save_stream(struct rdb_buf *b, const struct obj *o)
{
	const struct stream *s = obj_ptr(o);

	rdb_buf_put_byte(b, RDB_TYPE_STREAM_LISTPACKS_2);
	rdb_buf_put_len(b, s->nnodes);
	for (size_t i = 0; i < s->nnodes; i++) {
		unsigned char raw[16];

		stream_id_encode(raw, &s->nodes[i].master);
		rdb_buf_put_string(b, raw, sizeof raw);
		rdb_buf_put_string(b, s->nodes[i].lp, lp_bytes(s->nodes[i].lp));
	}
	rdb_buf_put_len(b, s->length);
	rdb_buf_put_len(b, s->last_id.ms);
	rdb_buf_put_len(b, s->last_id.seq);
	rdb_buf_put_len(b, s->first_id.ms);
	rdb_buf_put_len(b, s->first_id.seq);
	rdb_buf_put_len(b, s->max_deleted.ms);
	rdb_buf_put_len(b, s->max_deleted.seq);
	rdb_buf_put_len(b, s->entries_added);
	rdb_buf_put_len(b, s->ngroups);
	for (size_t i = 0; i < s->ngroups; i++) {
		const struct stream_cg *g = s->groups[i];

		rdb_buf_put_string(b, g->name, g->nlen);
		rdb_buf_put_len(b, g->last_id.ms);
		rdb_buf_put_len(b, g->last_id.seq);
		rdb_buf_put_len(b, (uint64_t)g->entries_read);
		rdb_buf_put_len(b, g->pel.n);
		for (size_t j = 0; j < g->pel.n; j++) {
			put_id_raw(b, &g->pel.v[j]->id);
			rdb_buf_put_i64le(b, g->pel.v[j]->delivery_time);
			rdb_buf_put_len(b, g->pel.v[j]->delivery_count);
		}
		rdb_buf_put_len(b, g->nconsumers);
		for (size_t j = 0; j < g->nconsumers; j++) {
			const struct stream_consumer *c = g->consumers[j];

			rdb_buf_put_string(b, c->name, c->nlen);
			rdb_buf_put_i64le(b, c->seen_time);
			rdb_buf_put_len(b, c->pel.n);
			for (size_t k = 0; k < c->pel.n; k++)
				put_id_raw(b, &c->pel.v[k]->id);
		}
	}
	return RDB_VERSION;
}

static bool
load_raw_id(const unsigned char *p, size_t len, size_t *pos, struct stream_id *id)
{
	if (len - *pos < 16)
		return false;
	stream_id_decode(p + *pos, id);
	*pos += 16;
	return true;
}

static bool
load_id(const unsigned char *p, size_t len, size_t *pos, struct stream_id *id)
{
	return rdb_load_len(p, len, pos, &id->ms) && rdb_load_len(p, len, pos, &id->seq);
}

/* The nodes and metadata; false if malformed. */
static bool
load_entries(unsigned type, const unsigned char *p, size_t len, size_t *pos, struct stream *s)
{
	struct stream_id last = { 0, 0 };
	uint64_t n, live = 0, total = 0;

	if (!rdb_load_len(p, len, pos, &n))
		return false;
	for (uint64_t i = 0; i < n; i++) {
		struct rdb_string key, blob;
		struct stream_id master, nlast;
		unsigned char *lp;
		bool ok;

		if (!rdb_load_string(p, len, pos, &key))
			return false;
		ok = key.len == 16;
		if (ok)
			stream_id_decode((const unsigned char *)key.ptr, &master);
		rdb_string_free(&key);
		if (!ok || (i > 0 && stream_id_cmp(&master, &last) <= 0))
			return false;
		if (!rdb_load_string(p, len, pos, &blob))
			return false;
		ok = stream_node_validate((const unsigned char *)blob.ptr, blob.len, &master,
		    i > 0 ? &last : NULL, &nlast, &live);
		if (!ok) {
			rdb_string_free(&blob);
			return false;
		}
		lp = xmalloc(blob.len);
		memcpy(lp, blob.ptr, blob.len);
		rdb_string_free(&blob);
		stream_node_push(s, &master, lp);
		last = nlast;
		total += live;
	}
	if (!rdb_load_len(p, len, pos, &s->length) || !load_id(p, len, pos, &s->last_id))
		return false;
	if (s->length != total || (n > 0 && stream_id_cmp(&s->last_id, &last) < 0))
		return false;
	if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
		if (!load_id(p, len, pos, &s->first_id) || !load_id(p, len, pos, &s->max_deleted) ||
		    !rdb_load_len(p, len, pos, &s->entries_added))
			return false;
	} else {
		s->entries_added = s->length;
		if (!stream_edge_id(s, true, &s->first_id))
			s->first_id.ms = s->first_id.seq = 0;
	}
	return true;
}

/* One consumer group; false if malformed. */
static bool
load_group(unsigned type, const unsigned char *p, size_t len, size_t *pos, struct stream *s)
{
	struct rdb_string name;
	struct stream_id last;
	struct stream_cg *g;
	uint64_t read, n, m;
	int64_t entries_read;

	if (!rdb_load_string(p, len, pos, &name))
		return false;
	if (!load_id(p, len, pos, &last)) {
		rdb_string_free(&name);
		return false;
	}
	if (type >= RDB_TYPE_STREAM_LISTPACKS_2) {
		if (!rdb_load_len(p, len, pos, &read)) {
			rdb_string_free(&name);
			return false;
		}
		entries_read = (int64_t)read;
		if (entries_read < STREAM_ENTRIES_READ_INVALID)
			entries_read = STREAM_ENTRIES_READ_INVALID;
	} else {
		entries_read = stream_estimate_distance(s, &last);
	}
	g = stream_cg_create(s, name.ptr, name.len, &last, entries_read);
	rdb_string_free(&name);
	if (g == NULL)
		return false;
	if (!rdb_load_len(p, len, pos, &n))
		return false;
	for (uint64_t i = 0; i < n; i++) {
		struct stream_nack *nack;
		struct stream_id id;
		int64_t when;
		uint64_t count;

		if (!load_raw_id(p, len, pos, &id) || !rdb_load_i64le(p, len, pos, &when) ||
		    !rdb_load_len(p, len, pos, &count))
			return false;
		nack = xmalloc(sizeof(*nack));
		nack->id = id;
		nack->delivery_time = when;
		nack->delivery_count = count;
		nack->consumer = NULL;
		if (!stream_pel_insert(&g->pel, nack)) {
			xfree(nack);
			return false;
		}
	}
	if (!rdb_load_len(p, len, pos, &m))
		return false;
	for (uint64_t i = 0; i < m; i++) {
		struct stream_consumer *c;
		int64_t seen, active = -1;

		if (!rdb_load_string(p, len, pos, &name))
			return false;
		if (!rdb_load_i64le(p, len, pos, &seen) ||
		    (type >= RDB_TYPE_STREAM_LISTPACKS_3 && !rdb_load_i64le(p, len, pos, &active))) {
			rdb_string_free(&name);
			return false;
		}
		c = stream_consumer_create(g, name.ptr, name.len, seen);
		rdb_string_free(&name);
		if (c == NULL)
			return false;
		c->active_time = active;
		if (!rdb_load_len(p, len, pos, &n))
			return false;
		for (uint64_t j = 0; j < n; j++) {
			struct stream_nack *nack;
			struct stream_id id;

			if (!load_raw_id(p, len, pos, &id))
				return false;
			nack = stream_pel_find(&g->pel, &id);
			if (nack == NULL || nack->consumer != NULL)
				return false;
			stream_nack_assign(nack, c);
		}
	}
	for (size_t i = 0; i < g->pel.n; i++)
		if (g->pel.v[i]->consumer == NULL)
			return false;
	return true;
}

enum rdb_restore_result
rdb_load_stream(unsigned type, const unsigned char *p, size_t len, size_t *pos, bool deep,
    struct obj_value *out)
{
	struct stream *s = stream_new();
	uint64_t ngroups;

	(void)deep;
	if (!load_entries(type, p, len, pos, s) || !rdb_load_len(p, len, pos, &ngroups))
		goto bad;
	for (uint64_t i = 0; i < ngroups; i++)
		if (!load_group(type, p, len, pos, s))
			goto bad;
	memset(out, 0, sizeof *out);
	out->type = OBJ_STREAM;
	out->enc = OBJ_ENC_STREAM;
	out->ptr = s;
	return RDB_RESTORE_OK;
bad:
	stream_free(s);
	return RDB_RESTORE_BAD;
}
