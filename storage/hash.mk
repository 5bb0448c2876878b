# The hash type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_hash.c storage/t_hash.h storage/rdb/rdb_hash.c
