# The stream type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_stream.c storage/t_stream.h storage/rdb/rdb_stream.c
