/*
 * cmd_table.c: the command table built from commands.def, and lookup by name.
 *
 * The rows are static data; cmd_table_init links subcommands to their containers and builds
 * a case-insensitive open-addressing index of the top-level names, so dispatch costs one hash
 * of argv[0] and one comparison.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "replica/commands/cmd.h"
#include "storage/base/mem.h"
#include "storage/base/num.h"

static struct cmd_def table[] = {
#define CMD(name, parent, proc, arity, flags, first, last, step, acl, kflags, tips, group, since, summary) \
	{ name, parent, proc, arity, flags, acl, first, last, step, kflags, tips, group, since, summary, \
	  "", NULL, NULL, 0, 0, NULL, 0 },
#define CMD_CONTAINER(name, arity, flags, acl, group, since, summary) \
	{ name, NULL, NULL, arity, flags, acl, 0, 0, 0, NULL, NULL, group, since, summary, \
	  "", NULL, NULL, 0, 0, NULL, 0 },
#include "replica/commands/commands.def"
#undef CMD
#undef CMD_CONTAINER
};

#define NROWS (sizeof(table) / sizeof(table[0]))
#define INDEX_SIZE 1024		/* power of two, well above twice the number of commands */

static const struct cmd_def *index_slots[INDEX_SIZE];

static uint32_t
hash_nocase(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 'A' && ch <= 'Z')
			ch = (unsigned char)(ch + ('a' - 'A'));
		h = (h ^ ch) * 16777619u;
	}
	return h;
}

static bool
name_eq(const char *name, const char *s, size_t len)
{
	return strncasecmp(name, s, len) == 0 && name[len] == '\0';
}

static int
cmp_by_name(const void *a, const void *b)
{
	const struct cmd_def *x = *(const struct cmd_def *const *)a;
	const struct cmd_def *y = *(const struct cmd_def *const *)b;

	return strcmp(x->name, y->name);
}

/* Parses "A,B[,C]" integers into v; returns how many were read. */
static int
parse_ints(const char *s, int *v, int max)
{
	int n = 0;

	while (n < max) {
		char *end;

		v[n++] = (int)strtol(s, &end, 10);
		if (*end != ',')
			break;
		s = end + 1;
	}
	return n;
}

/* One spec of the long form: "FLAGS|BEGIN|FIND[|notes=TEXT]" (s is a private copy). */
static void
parse_spec(struct cmd_keyspec *ks, char *s, const char *row)
{
	char *part[4] = { NULL, NULL, NULL, NULL };
	int n = 0, v[3];

	for (char *tok = s; tok != NULL && n < 4; n++) {
		part[n] = tok;
		tok = strchr(tok, '|');
		if (tok != NULL)
			*tok++ = '\0';
	}
	if (n < 3) {
		fprintf(stderr, "commands.def: bad key spec in %s\n", row);
		abort();
	}
	ks->flags = xstrdup(part[0]);
	ks->notes = part[3] != NULL && strncmp(part[3], "notes=", 6) == 0 ?
	    xstrdup(part[3] + 6) : NULL;
	if (strncmp(part[1], "index:", 6) == 0) {
		ks->begin = CMD_KS_INDEX;
		ks->index = atoi(part[1] + 6);
	} else if (strncmp(part[1], "keyword:", 8) == 0) {
		char *comma = strrchr(part[1], ',');

		ks->begin = CMD_KS_KEYWORD;
		ks->startfrom = comma != NULL ? atoi(comma + 1) : 1;
		if (comma != NULL)
			*comma = '\0';
		ks->keyword = xstrdup(part[1] + 8);
	} else {
		ks->begin = CMD_KS_BEGIN_UNKNOWN;
	}
	if (strncmp(part[2], "range:", 6) == 0 && parse_ints(part[2] + 6, v, 3) == 3) {
		ks->find = CMD_KS_RANGE;
		ks->lastkey = v[0];
		ks->keystep = v[1];
		ks->limit = v[2];
	} else if (strncmp(part[2], "keynum:", 7) == 0 && parse_ints(part[2] + 7, v, 3) == 3) {
		ks->find = CMD_KS_KEYNUM;
		ks->keynumidx = v[0];
		ks->firstkey = v[1];
		ks->keystep = v[2];
	} else {
		ks->find = CMD_KS_FIND_UNKNOWN;
	}
}

/* Builds d->specs from the row's key-spec column (see cmd.h) and derives CMD_MOVABLEKEYS. */
static void
build_specs(struct cmd_def *d)
{
	const char *src = d->key_flags;

	if (src == NULL || strchr(src, '|') == NULL) {
		if (d->first_key == 0)
			return;
		d->specs = xcalloc(1, sizeof *d->specs);
		d->nspecs = 1;
		d->specs[0].flags = xstrdup(src != NULL ? src : "");
		d->specs[0].begin = CMD_KS_INDEX;
		d->specs[0].index = d->first_key;
		d->specs[0].find = CMD_KS_RANGE;
		d->specs[0].lastkey = d->last_key < 0 ? d->last_key : d->last_key - d->first_key;
		d->specs[0].keystep = d->key_step;
		return;
	}
	for (const char *p = src; p != NULL; p = strchr(p, ';'), p = p != NULL ? p + 1 : NULL)
		d->nspecs++;
	d->specs = xcalloc(d->nspecs, sizeof *d->specs);
	for (size_t i = 0; i < d->nspecs; i++) {
		size_t n = strcspn(src, ";");
		char *copy = xmalloc(n + 1);

		memcpy(copy, src, n);
		copy[n] = '\0';
		parse_spec(&d->specs[i], copy, d->name);
		xfree(copy);
		src += n + (src[n] == ';');
		if (d->specs[i].begin != CMD_KS_INDEX || d->specs[i].find != CMD_KS_RANGE)
			d->flags |= CMD_MOVABLEKEYS;
	}
}

/*
 * Commands whose key specs cannot name every key (an "unknown" spec): Redis then falls back to
 * the command's own getkeys function, and so do we.
 */
static const struct {
	const char *name;
	int (*fn)(const struct resp_arg *argv, int argc, int *pos, int max);
} getkeys_fallback[] = {
	{ "sort", cmd_sort_getkeys },
	{ "sort_ro", cmd_sort_ro_getkeys },
};

static int keys_from_specs(const struct cmd_def *d, const struct resp_arg *argv, int argc,
    int *pos, int max);

int
cmd_get_keys(const struct cmd_def *d, const struct resp_arg *argv, int argc, int *pos, int max)
{
	int n = keys_from_specs(d, argv, argc, pos, max);

	if (n >= 0 || d->parent != NULL)
		return n;
	for (size_t i = 0; i < sizeof(getkeys_fallback) / sizeof(getkeys_fallback[0]); i++)
		if (strcmp(d->name, getkeys_fallback[i].name) == 0)
			return getkeys_fallback[i].fn(argv, argc, pos, max);
	return n;
}

static int
keys_from_specs(const struct cmd_def *d, const struct resp_arg *argv, int argc, int *pos, int max)
{
	int k = 0;

	for (size_t j = 0; j < d->nspecs; j++) {
		const struct cmd_keyspec *ks = &d->specs[j];
		int first = 0, last;

		if (strstr(ks->flags, "not_key") != NULL)
			continue;
		if (ks->begin == CMD_KS_INDEX) {
			first = ks->index;
		} else if (ks->begin == CMD_KS_KEYWORD) {
			int from = ks->startfrom > 0 ? ks->startfrom : argc + ks->startfrom;
			int to = ks->startfrom > 0 ? argc - 1 : 1;

			/* As Redis: the search stops before `to` (a keyword needs a key after it). */
			for (int i = from; i != to; i += from <= to ? 1 : -1) {
				if (i >= argc || i < 1)
					break;
				if (cmd_word_is(&argv[i], ks->keyword)) {
					first = i + 1;
					break;
				}
			}
			if (first == 0)
				continue;
		} else {
			return -1;
		}
		if (ks->find == CMD_KS_RANGE) {
			if (ks->lastkey >= 0)
				last = first + ks->lastkey;
			else if (ks->limit == 0)
				last = argc + ks->lastkey;
			else
				last = first + ((argc - first) / ks->limit + ks->lastkey);
		} else if (ks->find == CMD_KS_KEYNUM) {
			int64_t numkeys;
			int at = first + ks->keynumidx;

			if (ks->keynumidx >= argc || at >= argc ||
			    !num_parse_i64(argv[at].ptr, argv[at].len, &numkeys) || numkeys < 0 ||
			    numkeys > argc)
				return -1;
			first += ks->firstkey;
			last = first + (int)numkeys - 1;
		} else {
			return -1;
		}
		if (last >= argc || last < first || first >= argc)
			return -1;
		for (int i = first; i <= last && i < argc; i += ks->keystep > 0 ? ks->keystep : 1) {
			if (k < max)
				pos[k] = i;
			k++;
		}
	}
	return k;
}

void
cmd_table_init(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		struct cmd_def *d = &table[i];

		d->id = (int)i;
		build_specs(d);
		if (d->parent_name == NULL) {
			uint32_t h = hash_nocase(d->name, strlen(d->name)) & (INDEX_SIZE - 1);

			while (index_slots[h] != NULL)
				h = (h + 1) & (INDEX_SIZE - 1);
			index_slots[h] = d;
			strncpy(d->fullname, d->name, sizeof(d->fullname) - 1);
		}
	}
	for (size_t i = 0; i < NROWS; i++) {
		struct cmd_def *d = &table[i];
		struct cmd_def *p;

		if (d->parent_name == NULL)
			continue;
		p = (struct cmd_def *)cmd_find(d->parent_name, strlen(d->parent_name));
		d->parent = p;
		snprintf(d->fullname, sizeof(d->fullname), "%s|%s", p->name, d->name);
		p->subs = xrealloc((void *)p->subs, (p->nsubs + 1) * sizeof(*p->subs));
		p->subs[p->nsubs++] = d;
	}
	for (size_t i = 0; i < NROWS; i++)
		if (table[i].nsubs > 1)
			qsort((void *)table[i].subs, table[i].nsubs, sizeof(*table[i].subs), cmp_by_name);
}

void
cmd_table_free(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		xfree((void *)table[i].subs);
		table[i].subs = NULL;
		table[i].nsubs = 0;
		for (size_t j = 0; j < table[i].nspecs; j++) {
			xfree(table[i].specs[j].flags);
			xfree(table[i].specs[j].notes);
			xfree(table[i].specs[j].keyword);
		}
		xfree(table[i].specs);
		table[i].specs = NULL;
		table[i].nspecs = 0;
		table[i].flags &= ~(uint32_t)CMD_MOVABLEKEYS;
	}
	memset(index_slots, 0, sizeof(index_slots));
}

size_t
cmd_table_size(void)
{
	return NROWS;
}

const struct cmd_def *
cmd_table_row(size_t i)
{
	return &table[i];
}

const struct cmd_def *
cmd_find(const char *name, size_t len)
{
	uint32_t h = hash_nocase(name, len) & (INDEX_SIZE - 1);

	while (index_slots[h] != NULL) {
		if (name_eq(index_slots[h]->name, name, len))
			return index_slots[h];
		h = (h + 1) & (INDEX_SIZE - 1);
	}
	return NULL;
}

const struct cmd_def *
cmd_lookup(const struct resp_arg *argv, int argc, const struct cmd_def **container)
{
	const struct cmd_def *d = cmd_find(argv[0].ptr, argv[0].len);

	*container = NULL;
	if (d == NULL || d->nsubs == 0 || argc < 2)
		return d;
	for (size_t i = 0; i < d->nsubs; i++)
		if (name_eq(d->subs[i]->name, argv[1].ptr, argv[1].len))
			return d->subs[i];
	*container = d;
	return NULL;
}

bool
cmd_arity_ok(const struct cmd_def *def, int argc)
{
	return def->arity >= 0 ? argc == def->arity : argc >= -def->arity;
}

uint32_t
cmd_acl_categories(const struct cmd_def *def)
{
	uint32_t acl = def->acl;

	if (def->flags & CMD_WRITE)
		acl |= ACL_WRITE;
	if ((def->flags & CMD_READONLY) && !(def->acl & ACL_SCRIPTING))
		acl |= ACL_READ;	/* EVAL_RO and FCALL_RO are not @read in Redis */
	if (def->flags & CMD_ADMIN)
		acl |= ACL_ADMIN | ACL_DANGEROUS;
	if (def->flags & CMD_PUBSUB)
		acl |= ACL_PUBSUB;
	if (def->flags & CMD_BLOCKING)
		acl |= ACL_BLOCKING;
	acl |= (def->flags & CMD_FAST) ? ACL_FAST : ACL_SLOW;
	return acl;
}
