# The zset type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_zset.c storage/t_zset.h storage/rdb/rdb_zset.c
replica_libreplica_a_SOURCES += replica/commands/cmd_zset.c
check_PROGRAMS += test/unit/check_zset
test_unit_check_zset_SOURCES = test/unit/check_zset.c
test_unit_check_zset_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_zset_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)
INTEGRATION_TESTS += test/integration/test_diff_zset.py
BENCH_PROGS += benchmarks/bench_zset
benchmarks_bench_zset_SOURCES = benchmarks/bench_zset.c
benchmarks_bench_zset_LDADD = storage/libstorage.a $(BENCH_LDADD)
