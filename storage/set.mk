# The set type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_set.c storage/t_set.h storage/rdb/rdb_set.c
replica_libreplica_a_SOURCES += replica/commands/cmd_set.c

check_PROGRAMS += test/unit/check_set
test_unit_check_set_SOURCES = test/unit/check_set.c
test_unit_check_set_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_set_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

INTEGRATION_TESTS += test/integration/test_diff_set.py

BENCH_PROGS += benchmarks/bench_set
benchmarks_bench_set_SOURCES = benchmarks/bench_set.c
benchmarks_bench_set_LDADD = storage/libstorage.a $(BENCH_LDADD)
