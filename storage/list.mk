# The list type: storage, RDB codec, commands, tests and benchmark. (Merged into the folders'
# local.mk files once the type has landed.)
storage_libstorage_a_SOURCES += storage/t_list.c storage/t_list.h storage/rdb/rdb_list.c
