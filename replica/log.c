/*
 * log.c: writes log lines (see log.h). The log is process state set once at start-up by main,
 * so it lives in this file rather than in every struct that wants to log.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "replica/log.h"

static struct {
	FILE *fp;
	enum cfg_loglevel level;
	char role;
} log_state = { NULL, CFG_LOG_NOTICE, 'M' };

bool
log_open(const char *path, enum cfg_loglevel level, char role_char)
{
	FILE *fp = stdout;

	if (path != NULL && path[0] != '\0') {
		fp = fopen(path, "a");
		if (fp == NULL)
			return false;
	}
	log_close();
	log_state.fp = fp;
	log_state.level = level;
	log_state.role = role_char;
	return true;
}

void
log_set_role(char role_char)
{
	log_state.role = role_char;
}

void
log_close(void)
{
	if (log_state.fp != NULL && log_state.fp != stdout)
		fclose(log_state.fp);
	log_state.fp = NULL;
}

void
log_msg(enum cfg_loglevel level, const char *fmt, ...)
{
	static const char marks[] = ".-*#";
	FILE *fp = log_state.fp ? log_state.fp : stdout;
	struct timeval tv;
	struct tm tm;
	char when[64];
	size_t n;
	va_list ap;

	if (level < log_state.level || level >= CFG_LOG_NOTHING)
		return;
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S.", &tm);
	snprintf(when + n, sizeof(when) - n, "%03d", (int)(tv.tv_usec / 1000));
	fprintf(fp, "%d:%c %s %c ", (int)getpid(), log_state.role, when, marks[level]);
	va_start(ap, fmt);
	vfprintf(fp, fmt, ap);
	va_end(ap);
	fputc('\n', fp);
	fflush(fp);
}
