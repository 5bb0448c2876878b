# test/: check suites per module (unit/) and tests against real servers (integration/).
CHECK_LDADD = $(CHECK_LIBS)
AM_TESTS_ENVIRONMENT = \
	CK_DEFAULT_TIMEOUT=$${CK_DEFAULT_TIMEOUT:-60}; export CK_DEFAULT_TIMEOUT; \
	top_srcdir='$(abs_top_srcdir)'; export top_srcdir; \
	top_builddir='$(abs_top_builddir)'; export top_builddir; \
	FIXTURES_DIR='$(abs_top_srcdir)/test/fixtures'; export FIXTURES_DIR; \
	REPLICANT='$(abs_top_builddir)/replicant'; export REPLICANT; \
	REDIS_SERVER='$(REDIS_SERVER)'; export REDIS_SERVER; \
	REDIS_CLI='$(REDIS_CLI)'; export REDIS_CLI; \
	REDIS_BENCHMARK='$(REDIS_BENCHMARK)'; export REDIS_BENCHMARK;

check_PROGRAMS += test/unit/check_base
test_unit_check_base_SOURCES = test/unit/check_base.c
test_unit_check_base_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_base_LDADD = storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_protocol
test_unit_check_protocol_SOURCES = test/unit/check_protocol.c
test_unit_check_protocol_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_protocol_LDADD = protocol/libprotocol.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_config
test_unit_check_config_SOURCES = test/unit/check_config.c
test_unit_check_config_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_config_LDADD = replica/libconfig.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_match
test_unit_check_match_SOURCES = test/unit/check_match.c
test_unit_check_match_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_match_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_rdb_value
test_unit_check_rdb_value_SOURCES = test/unit/check_rdb_value.c
test_unit_check_rdb_value_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_rdb_value_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_dict
test_unit_check_dict_SOURCES = test/unit/check_dict.c
test_unit_check_dict_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_dict_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_store
test_unit_check_store_SOURCES = test/unit/check_store.c
test_unit_check_store_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_store_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_string
test_unit_check_string_SOURCES = test/unit/check_string.c
test_unit_check_string_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_string_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

TESTS += $(check_PROGRAMS)

# Integration tests: python3 scripts that start real redis-server and replicant processes.
TEST_EXTENSIONS = .py
PY_LOG_COMPILER = $(PYTHON3)
INTEGRATION_TESTS = \
	test/integration/test_server.py \
	test/integration/test_config.py \
	test/integration/test_diff_strings.py \
	test/integration/test_command_table.py \
	test/integration/test_rdb_fixtures.py \
	test/integration/test_diff_hash.py \
	test/integration/test_diff_list.py \
	test/integration/test_diff_set.py \
	test/integration/test_diff_zset.py \
	test/integration/test_diff_hll.py \
	test/integration/test_diff_sort.py \
	test/integration/test_diff_geo.py \
	test/integration/test_diff_stream.py \
	test/integration/test_diff_script.py
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) test/integration/harness.py test/fixtures \
	test/integration/script_cases_bit.py test/integration/script_cases_struct.py \
	test/integration/script_cases_cjson.py test/integration/script_cases_cmsgpack.py

check_PROGRAMS += test/unit/check_commands
test_unit_check_commands_SOURCES = test/unit/check_commands.c
test_unit_check_commands_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LIBEVENT_CFLAGS)
test_unit_check_commands_LDADD = $(REPLICA_LIBS) $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_rdb_load
test_unit_check_rdb_load_SOURCES = test/unit/check_rdb_load.c
test_unit_check_rdb_load_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_rdb_load_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_listpack
test_unit_check_listpack_SOURCES = test/unit/check_listpack.c
test_unit_check_listpack_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_listpack_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_hash
test_unit_check_hash_SOURCES = test/unit/check_hash.c
test_unit_check_hash_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_hash_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_list
test_unit_check_list_SOURCES = test/unit/check_list.c
test_unit_check_list_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_list_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_set
test_unit_check_set_SOURCES = test/unit/check_set.c
test_unit_check_set_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_set_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_zset
test_unit_check_zset_SOURCES = test/unit/check_zset.c
test_unit_check_zset_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_zset_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_hll
test_unit_check_hll_SOURCES = test/unit/check_hll.c
test_unit_check_hll_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_hll_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_sort
test_unit_check_sort_SOURCES = test/unit/check_sort.c
test_unit_check_sort_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_sort_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_geo
test_unit_check_geo_SOURCES = test/unit/check_geo.c
test_unit_check_geo_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_geo_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_stream
test_unit_check_stream_SOURCES = test/unit/check_stream.c
test_unit_check_stream_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
test_unit_check_stream_LDADD = storage/libstorage.a storage/base/libbase.a $(CHECK_LDADD)

# lua/: the engine with a fake host, and each library Redis gives scripts.
check_PROGRAMS += test/unit/check_script
test_unit_check_script_SOURCES = test/unit/check_script.c
test_unit_check_script_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LUA_CFLAGS)
test_unit_check_script_LDADD = lua/libscript.a protocol/libprotocol.a storage/base/libbase.a \
	$(LUA_LIBS) $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_lua_bit
test_unit_check_lua_bit_SOURCES = test/unit/check_lua_bit.c test/unit/lua_case.c \
	test/unit/lua_case.h
test_unit_check_lua_bit_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LUA_CFLAGS)
test_unit_check_lua_bit_LDADD = lua/libscript.a protocol/libprotocol.a storage/base/libbase.a \
	$(LUA_LIBS) $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_lua_struct
test_unit_check_lua_struct_SOURCES = test/unit/check_lua_struct.c test/unit/lua_case.c \
	test/unit/lua_case.h
test_unit_check_lua_struct_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LUA_CFLAGS)
test_unit_check_lua_struct_LDADD = lua/libscript.a protocol/libprotocol.a storage/base/libbase.a \
	$(LUA_LIBS) $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_lua_cjson
test_unit_check_lua_cjson_SOURCES = test/unit/check_lua_cjson.c
test_unit_check_lua_cjson_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LUA_CFLAGS)
test_unit_check_lua_cjson_LDADD = lua/libscript.a protocol/libprotocol.a storage/base/libbase.a \
	$(LUA_LIBS) $(CHECK_LDADD)

check_PROGRAMS += test/unit/check_lua_cmsgpack
test_unit_check_lua_cmsgpack_SOURCES = test/unit/check_lua_cmsgpack.c test/unit/lua_case.c \
	test/unit/lua_case.h
test_unit_check_lua_cmsgpack_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) $(LUA_CFLAGS)
test_unit_check_lua_cmsgpack_LDADD = lua/libscript.a protocol/libprotocol.a \
	storage/base/libbase.a $(LUA_LIBS) $(CHECK_LDADD)
