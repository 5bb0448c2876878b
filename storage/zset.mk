# The zset type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_zset.c storage/t_zset.h storage/rdb/rdb_zset.c
