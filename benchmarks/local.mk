# benchmarks/: one program per subsystem, built by every `make` so that none can rot.
noinst_LIBRARIES += %D%/libbench.a
%C%_libbench_a_SOURCES = %D%/bench.c %D%/bench.h

BENCH_LDADD = benchmarks/libbench.a storage/base/libbase.a

BENCH_PROGS += %D%/bench_resp
%C%_bench_resp_SOURCES = %D%/bench_resp.c
%C%_bench_resp_LDADD = protocol/libprotocol.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_base
%C%_bench_base_SOURCES = %D%/bench_base.c
%C%_bench_base_LDADD = $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_match
%C%_bench_match_SOURCES = %D%/bench_match.c
%C%_bench_match_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_storage
%C%_bench_storage_SOURCES = %D%/bench_storage.c
%C%_bench_storage_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_rdb
%C%_bench_rdb_SOURCES = %D%/bench_rdb.c
%C%_bench_rdb_CPPFLAGS = $(AM_CPPFLAGS) -DBENCH_FIXTURES_DIR='"$(abs_top_srcdir)/test/fixtures"'
%C%_bench_rdb_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_listpack
%C%_bench_listpack_SOURCES = %D%/bench_listpack.c
%C%_bench_listpack_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_hash
%C%_bench_hash_SOURCES = %D%/bench_hash.c
%C%_bench_hash_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_list
%C%_bench_list_SOURCES = %D%/bench_list.c
%C%_bench_list_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_set
%C%_bench_set_SOURCES = %D%/bench_set.c
%C%_bench_set_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_zset
%C%_bench_zset_SOURCES = %D%/bench_zset.c
%C%_bench_zset_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_hll
%C%_bench_hll_SOURCES = %D%/bench_hll.c
%C%_bench_hll_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_sort
%C%_bench_sort_SOURCES = %D%/bench_sort.c
%C%_bench_sort_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_geo
%C%_bench_geo_SOURCES = %D%/bench_geo.c
%C%_bench_geo_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_stream
%C%_bench_stream_SOURCES = %D%/bench_stream.c
%C%_bench_stream_LDADD = storage/libstorage.a $(BENCH_LDADD)

BENCH_PROGS += %D%/bench_lua
%C%_bench_lua_SOURCES = %D%/bench_lua.c
%C%_bench_lua_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(LUA_CFLAGS)
%C%_bench_lua_LDADD = $(REPLICA_LIBS) $(BENCH_LDADD)

noinst_PROGRAMS += $(BENCH_PROGS)
