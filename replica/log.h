/*
 * log: replicant's log lines, in redis-server's format so the same tools read both:
 *
 *   12345:S 27 Nov 2026 18:58:50.123 * Ready to accept connections
 *
 * Lines below the configured level are dropped. Logging happens at the boundary that decides
 * (a connection closed, a link dropped, start-up), never at every level an error passes through.
 */
#ifndef REPLICANT_LOG_H
#define REPLICANT_LOG_H

#include "replica/config.h"

/* Directs the log to path (NULL or "" = standard output) at the given level; role_char is the
 * letter after the pid ('M' with no primary, 'S' following one). Returns false if the file
 * cannot be opened (errno set). */
bool log_open(const char *path, enum cfg_loglevel level, char role_char);
void log_set_role(char role_char);
void log_close(void);

void log_msg(enum cfg_loglevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...)   log_msg(CFG_LOG_DEBUG, __VA_ARGS__)
#define log_verbose(...) log_msg(CFG_LOG_VERBOSE, __VA_ARGS__)
#define log_notice(...)  log_msg(CFG_LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_msg(CFG_LOG_WARNING, __VA_ARGS__)

#endif
