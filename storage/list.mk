# The list type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_list.c storage/t_list.h storage/quicklist.c \
	storage/quicklist.h storage/rdb/rdb_list.c
replica_libreplica_a_SOURCES += replica/commands/cmd_list.c

check_PROGRAMS += test/unit/check_list
test_unit_check_list_SOURCES = test/unit/check_list.c
test_unit_check_list_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_list_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

INTEGRATION_TESTS += test/integration/test_diff_list.py

BENCH_PROGS += benchmarks/bench_list
benchmarks_bench_list_SOURCES = benchmarks/bench_list.c
benchmarks_bench_list_LDADD = storage/libstorage.a $(BENCH_LDADD)
