# Packed encodings shared by the collection types and the RDB decoder: listpack, intset,
# ziplist/zipmap (read only). (Merged into storage/local.mk once landed.)
storage_libstorage_a_SOURCES += storage/listpack.h storage/intset.h storage/ziplist.h
storage_libstorage_a_SOURCES += storage/listpack.c
storage_libstorage_a_SOURCES += storage/intset.c
storage_libstorage_a_SOURCES += storage/ziplist.c
check_PROGRAMS += test/unit/check_listpack
test_unit_check_listpack_SOURCES = test/unit/check_listpack.c
test_unit_check_listpack_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_listpack_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)
BENCH_PROGS += benchmarks/bench_listpack
benchmarks_bench_listpack_SOURCES = benchmarks/bench_listpack.c
benchmarks_bench_listpack_LDADD = storage/libstorage.a $(BENCH_LDADD)
