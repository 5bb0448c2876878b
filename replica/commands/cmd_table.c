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

static struct cmd_def table[] = {
#define CMD(name, parent, proc, arity, flags, first, last, step, acl, kflags, tips, group, since, summary) \
	{ name, parent, proc, arity, flags, acl, first, last, step, kflags, tips, group, since, summary, \
	  "", NULL, NULL, 0, 0 },
#define CMD_CONTAINER(name, arity, flags, acl, group, since, summary) \
	{ name, NULL, NULL, arity, flags, acl, 0, 0, 0, NULL, NULL, group, since, summary, \
	  "", NULL, NULL, 0, 0 },
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

void
cmd_table_init(void)
{
	for (size_t i = 0; i < NROWS; i++) {
		struct cmd_def *d = &table[i];

		d->id = (int)i;
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
	if (def->flags & CMD_READONLY)
		acl |= ACL_READ;
	if (def->flags & CMD_ADMIN)
		acl |= ACL_ADMIN | ACL_DANGEROUS;
	if (def->flags & CMD_PUBSUB)
		acl |= ACL_PUBSUB;
	if (def->flags & CMD_BLOCKING)
		acl |= ACL_BLOCKING;
	acl |= (def->flags & CMD_FAST) ? ACL_FAST : ACL_SLOW;
	return acl;
}
