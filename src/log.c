/* log.c -- levels, rank tags and lh3-style timing prefixes. */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include "log.h"

/* Process-wide logging state: set once by dy_log_init before threads start. */
static int log_rank, log_nranks = 1, log_level = DY_LOG_INFO;
static double log_t0;
static atomic_int log_bar;   /* a progress bar is on the last line of stderr (rank 0); any thread may log */

static double now(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec * 1e-6;
}

void dy_log_init(int rank, int n_ranks, int level)
{
	log_rank = rank, log_nranks = n_ranks, log_level = level;
	if (log_t0 == 0.0) log_t0 = now();
}

int dy_log_level(void) { return log_level; }

double dy_realtime(void) { return now() - log_t0; }

double dy_cputime(void)
{
	struct rusage r;
	getrusage(RUSAGE_SELF, &r);
	return r.ru_utime.tv_sec + r.ru_stime.tv_sec + 1e-6 * (r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

void dy_log(int level, const char *func, const char *fmt, ...)
{
	static const char tag[] = "EWMD";
	char msg[2048], who[32] = "";
	int saved = errno;
	va_list ap;
	if (level > log_level) return;
	/* progress is rank 0's job; other ranks speak only of trouble (or when debugging) */
	if (log_rank != 0 && level == DY_LOG_INFO) return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (atomic_exchange(&log_bar, 0)) fputs("\r\033[K", stderr);   /* the line replaces the bar */
	if (log_nranks > 1 && (log_rank != 0 || level <= DY_LOG_WARN))
		snprintf(who, sizeof who, "rank %d: ", log_rank);
	if (level == DY_LOG_INFO)
		fprintf(stderr, "[M::%s::%.3f*%.2f] %s%s\n", func, dy_realtime(),
		        dy_cputime() / (dy_realtime() > 0.001 ? dy_realtime() : 0.001), who, msg);
	else
		fprintf(stderr, "[%c::%s] %s%s\n", tag[level], func, who, msg);
	errno = saved;
}

void dy_log_bar(const char *text)
{
	if (text) fprintf(stderr, "\r%s\033[K", text), atomic_store(&log_bar, 1);
	else if (atomic_exchange(&log_bar, 0)) fputs("\r\033[K", stderr);
	fflush(stderr);
}
