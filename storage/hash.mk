# The hash type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_hash.c storage/t_hash.h storage/rdb/rdb_hash.c
replica_libreplica_a_SOURCES += replica/commands/cmd_hash.c
check_PROGRAMS += test/unit/check_hash
test_unit_check_hash_SOURCES = test/unit/check_hash.c
test_unit_check_hash_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_hash_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)
INTEGRATION_TESTS += test/integration/test_diff_hash.py
BENCH_PROGS += benchmarks/bench_hash
benchmarks_bench_hash_SOURCES = benchmarks/bench_hash.c
benchmarks_bench_hash_LDADD = storage/libstorage.a $(BENCH_LDADD)
