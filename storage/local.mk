# storage/: the data (libc, zstd and storage/base only). One library; each module's unit test
# links it with storage/base/libbase.a and nothing else.
noinst_LIBRARIES += %D%/libstorage.a
%C%_libstorage_a_SOURCES = \
	%D%/dict.c %D%/dict.h \
	%D%/obj.c %D%/obj.h %D%/kv.h \
	%D%/store.c %D%/store.h %D%/store_int.h \
	%D%/expire.c \
	%D%/t_string.c %D%/t_bitmap.c %D%/t_string.h %D%/t_string_int.h \
	%D%/match.c %D%/match.h
# The collection types (one module each) and the packed formats they share with the RDB decoder.
%C%_libstorage_a_SOURCES += \
	%D%/listpack.c %D%/listpack.h \
	%D%/intset.c %D%/intset.h \
	%D%/ziplist.c %D%/ziplist.h \
	%D%/t_hash.c %D%/t_hash.h \
	%D%/t_list.c %D%/t_list.h %D%/quicklist.c %D%/quicklist.h \
	%D%/t_set.c %D%/t_set.h \
	%D%/t_zset.c %D%/t_zset.h \
	%D%/hll.c %D%/hll.h \
	%D%/sort.c %D%/sort.h %D%/psort.c %D%/psort.h \
	%D%/geo.c %D%/geo.h \
	%D%/t_stream.c %D%/t_stream.h
# storage/rdb: RDB string values, the DUMP/RESTORE payload, LZF and CRC-64.
%C%_libstorage_a_SOURCES += \
	%D%/rdb/crc64.c %D%/rdb/crc64.h \
	%D%/rdb/lzf.c %D%/rdb/lzf.h \
	%D%/rdb/rdb_value.c %D%/rdb/rdb_value.h \
	%D%/rdb/rdb_hash.c %D%/rdb/rdb_list.c %D%/rdb/rdb_set.c %D%/rdb/rdb_zset.c \
	%D%/rdb/rdb_stream.c
# storage/rdb: whole RDB files (full sync, dump files on disk).
%C%_libstorage_a_SOURCES += %D%/rdb/rdb_load.c %D%/rdb/rdb_load.h
