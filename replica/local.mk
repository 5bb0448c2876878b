# replica/: the program. libevent and hiredis are used here only.
noinst_LIBRARIES += %D%/libconfig.a
%C%_libconfig_a_SOURCES = %D%/config.c %D%/config.h

noinst_LIBRARIES += %D%/libreplica.a
%C%_libreplica_a_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(HIREDIS_CFLAGS) $(LUA_CFLAGS)
%C%_libreplica_a_SOURCES = \
	%D%/log.c %D%/log.h \
	%D%/server/server.h \
	%D%/server/server.c \
	%D%/server/conn.c \
	%D%/server/reply.c \
	%D%/server/dispatch.c \
	%D%/server/info.c \
	%D%/server/multi.c %D%/server/multi.h \
	%D%/server/block.c \
	%D%/commands/cmd.h \
	%D%/commands/commands.def \
	%D%/commands/cmd_table.c \
	%D%/commands/args.c \
	%D%/commands/cmd_command.c \
	%D%/commands/cmd_conn.c \
	%D%/commands/cmd_server.c \
	%D%/commands/cmd_db.c \
	%D%/commands/keys.def %D%/commands/cmd_keys.c \
	%D%/commands/string.def %D%/commands/cmd_string.c \
	%D%/commands/cmd_hash.c %D%/commands/cmd_list.c %D%/commands/cmd_set.c \
	%D%/commands/cmd_zset.c %D%/commands/cmd_zset_ops.c %D%/commands/cmd_zset_int.h \
	%D%/commands/cmd_hll.c %D%/commands/cmd_sort.c \
	%D%/commands/cmd_geo.c %D%/commands/cmd_stream.c \
	%D%/commands/cmd_stream_group.c %D%/commands/cmd_stream_int.h \
	%D%/commands/hash.def %D%/commands/list.def %D%/commands/set.def %D%/commands/zset.def \
	%D%/commands/stream.def %D%/commands/hll.def %D%/commands/geo.def %D%/commands/sort.def \
	%D%/commands/script.def %D%/commands/cmd_script.c

REPLICA_LIBS = %D%/libreplica.a %D%/libconfig.a storage/libstorage.a lua/libscript.a \
	protocol/libprotocol.a storage/base/libbase.a $(LIBEVENT_LIBS) $(HIREDIS_LIBS) $(ZSTD_LIBS) \
	$(LUA_LIBS)

bin_PROGRAMS += replicant
replicant_SOURCES = %D%/main.c
replicant_CFLAGS = $(AM_CFLAGS) $(LIBEVENT_CFLAGS) $(HIREDIS_CFLAGS)
replicant_LDADD = $(REPLICA_LIBS)
