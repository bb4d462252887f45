/* log.h -- one logging API with levels (hts_log style).
 *
 * Rank 0 prints progress and summaries as  [M::func::wall*cpu] message;
 * every rank prints its warnings and errors, tagged with its rank when
 * there is more than one.  errno is preserved. Thread-safe (one fprintf). */
#ifndef DY_LOG_H
#define DY_LOG_H

enum { DY_LOG_ERROR = 0, DY_LOG_WARN = 1, DY_LOG_INFO = 2, DY_LOG_DEBUG = 3 };

/* Set this process's rank, rank count and level; starts the wall clock. */
void dy_log_init(int rank, int n_ranks, int level);
int dy_log_level(void);
void dy_log(int level, const char *func, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define dy_log_error(...) dy_log(DY_LOG_ERROR, __func__, __VA_ARGS__)
#define dy_log_warn(...)  dy_log(DY_LOG_WARN,  __func__, __VA_ARGS__)
#define dy_log_info(...)  dy_log(DY_LOG_INFO,  __func__, __VA_ARGS__)
#define dy_log_debug(...) dy_log(DY_LOG_DEBUG, __func__, __VA_ARGS__)

/* Draw text as a progress bar on the last line of stderr (a terminal), or
 * clear it (NULL); the next log line replaces it. Rank 0, main thread. */
void dy_log_bar(const char *text);

/* Wall seconds since dy_log_init, CPU seconds of this process. */
double dy_realtime(void);
double dy_cputime(void);

/* rss.c: resident memory in bytes: the peak since the start (resets
 * included), the current RSS and the high-water mark since the last reset
 * (-1 if /proc cannot tell), and a reset of that mark to the current RSS
 * (0, or -1 where the kernel does not allow it). */
long long dy_peakrss(void);
long long dy_rss_now(void);
long long dy_rss_hwm(void);
int dy_rss_reset(void);
void dy_rss_allow_reset(int on);   /* off by default: a reset hides the process's peak from `time` */

#endif
