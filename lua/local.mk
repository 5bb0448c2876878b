# lua/: the Lua 5.1 engine (script.c) and the libraries Redis gives scripts (lib_*.c).
# Depends on protocol, storage/base and Lua only.
noinst_LIBRARIES += %D%/libscript.a
%C%_libscript_a_CFLAGS = $(AM_CFLAGS) $(LUA_CFLAGS)
%C%_libscript_a_SOURCES = \
	%D%/script.c %D%/script.h %D%/script_libs.h \
	%D%/lib_bit.c %D%/lib_struct.c %D%/lib_cjson.c %D%/lib_cmsgpack.c
