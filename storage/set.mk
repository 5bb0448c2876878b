# The set type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_set.c storage/t_set.h storage/rdb/rdb_set.c
