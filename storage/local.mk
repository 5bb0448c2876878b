# storage/: the data (libc, zstd and storage/base only).
noinst_LIBRARIES += %D%/libstorage.a
%C%_libstorage_a_SOURCES = \
	%D%/match.c %D%/match.h
