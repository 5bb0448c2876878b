# protocol/: the RESP codec (libc and storage/base only).
noinst_LIBRARIES += %D%/libprotocol.a
%C%_libprotocol_a_SOURCES = \
	%D%/resp.h \
	%D%/resp_parse.c \
	%D%/resp_reply.c \
	%D%/resp_write.c
