/*
 * check_commands.c: the command table built from commands.def: lookup, subcommands, arity,
 * and the consistency rules every row must follow.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "replica/commands/cmd.h"

static struct resp_arg
arg(const char *s)
{
	struct resp_arg a = { (char *)s, strlen(s) };

	return a;
}

static void
setup(void)
{
	cmd_table_init();
}

static void
teardown(void)
{
	cmd_table_free();
}

START_TEST(lookup_is_case_insensitive)
{
	struct resp_arg argv[2] = { arg("PiNg"), arg("x") };
	const struct cmd_def *container, *d;

	d = cmd_lookup(argv, 1, &container);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->name, "ping");
	ck_assert_ptr_null(container);
	d = cmd_lookup(argv, 2, &container);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->fullname, "ping");
}
END_TEST

START_TEST(lookup_unknown)
{
	struct resp_arg argv[1] = { arg("nosuchcommand") };
	struct resp_arg prefix[1] = { arg("pin") };
	struct resp_arg longer[1] = { arg("pingx") };
	const struct cmd_def *container;

	ck_assert_ptr_null(cmd_lookup(argv, 1, &container));
	ck_assert_ptr_null(container);
	ck_assert_ptr_null(cmd_lookup(prefix, 1, &container));
	ck_assert_ptr_null(cmd_lookup(longer, 1, &container));
}
END_TEST

START_TEST(lookup_subcommands)
{
	struct resp_arg ok[3] = { arg("client"), arg("SETNAME"), arg("x") };
	struct resp_arg bad[2] = { arg("CLIENT"), arg("foo") };
	struct resp_arg alone[1] = { arg("client") };
	const struct cmd_def *container, *d;

	d = cmd_lookup(ok, 3, &container);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->fullname, "client|setname");
	ck_assert_ptr_nonnull(d->parent);
	ck_assert_str_eq(d->parent->name, "client");

	ck_assert_ptr_null(cmd_lookup(bad, 2, &container));
	ck_assert_ptr_nonnull(container);
	ck_assert_str_eq(container->name, "client");

	/* A container alone resolves to itself, and fails its arity of -2. */
	d = cmd_lookup(alone, 1, &container);
	ck_assert_ptr_nonnull(d);
	ck_assert_ptr_null(d->proc);
	ck_assert(!cmd_arity_ok(d, 1));
}
END_TEST

START_TEST(arity_rules)
{
	const struct cmd_def *echo = cmd_find("echo", 4);
	const struct cmd_def *ping = cmd_find("ping", 4);

	ck_assert_ptr_nonnull(echo);
	ck_assert(!cmd_arity_ok(echo, 1));
	ck_assert(cmd_arity_ok(echo, 2));
	ck_assert(!cmd_arity_ok(echo, 3));
	ck_assert(cmd_arity_ok(ping, 1));
	ck_assert(cmd_arity_ok(ping, 5));
}
END_TEST

START_TEST(every_row_is_consistent)
{
	for (size_t i = 0; i < cmd_table_size(); i++) {
		const struct cmd_def *d = cmd_table_row(i);

		ck_assert_msg(d->id == (int)i, "%s: id", d->name);
		/* Only a container may lack a handler, and a container must hold subcommands. */
		if (d->proc == NULL)
			ck_assert_msg(d->nsubs > 0, "%s has no handler and no subcommands", d->name);
		ck_assert_msg(!((d->flags & CMD_WRITE) && (d->flags & CMD_READONLY)),
		    "%s is both write and readonly", d->name);
		ck_assert_msg(d->arity != 0, "%s: arity 0", d->name);
		if (d->parent_name != NULL) {
			ck_assert_ptr_nonnull(d->parent);
			ck_assert_int_eq(strcmp(d->parent->name, d->parent_name), 0);
		}
		if (d->first_key != 0)
			ck_assert_msg(d->key_step > 0, "%s: key step", d->name);
		ck_assert_msg(d->summary != NULL && d->group != NULL && d->since != NULL,
		    "%s: docs", d->name);
		/* Names are unique among siblings. */
		for (size_t j = 0; j < i; j++) {
			const struct cmd_def *e = cmd_table_row(j);

			ck_assert_msg(!(strcmp(d->name, e->name) == 0 && d->parent == e->parent),
			    "%s listed twice", d->fullname);
		}
	}
}
END_TEST

START_TEST(acl_categories_follow_flags)
{
	const struct cmd_def *dbsize = cmd_find("dbsize", 6);
	const struct cmd_def *info = cmd_find("info", 4);
	uint32_t a = cmd_acl_categories(dbsize);

	ck_assert(a & ACL_READ);
	ck_assert(a & ACL_FAST);
	ck_assert(a & ACL_KEYSPACE);
	ck_assert(!(a & ACL_SLOW));
	a = cmd_acl_categories(info);
	ck_assert(a & ACL_SLOW);
	ck_assert(a & ACL_DANGEROUS);
	ck_assert(!(a & ACL_FAST));
}
END_TEST

static Suite *
commands_suite(void)
{
	Suite *s = suite_create("commands");
	TCase *tc = tcase_create("table");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, lookup_is_case_insensitive);
	tcase_add_test(tc, lookup_unknown);
	tcase_add_test(tc, lookup_subcommands);
	tcase_add_test(tc, arity_rules);
	tcase_add_test(tc, every_row_is_consistent);
	tcase_add_test(tc, acl_categories_follow_flags);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(commands_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
