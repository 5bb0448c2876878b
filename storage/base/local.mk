# storage/base: allocation with counters, checked number conversions, byte strings.
noinst_LIBRARIES += %D%/libbase.a
%C%_libbase_a_SOURCES = \
	%D%/mem.c %D%/mem.h \
	%D%/num.c %D%/num.h \
	%D%/sha1.c %D%/sha1.h
