# Packed encodings shared by the collection types and the RDB decoder: listpack, intset,
# ziplist/zipmap (read only). (Merged into storage/local.mk once landed.)
storage_libstorage_a_SOURCES += storage/listpack.h storage/intset.h storage/ziplist.h
