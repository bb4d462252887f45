/* rss.c -- a rank's resident memory: now, the peak since the start, and the
 * peak inside one phase.  The kernel keeps one high-water mark a process;
 * writing 5 to /proc/self/clear_refs (Linux >= 4.0) sets it back to the
 * current RSS, so a phase that resets it at its start reads its own peak at
 * its end.  The peak since the start survives the resets: each reset folds
 * the mark it clears into `folded` first.  Only with --phase-peaks: the
 * mark is also what `time` and wait4() report for the process, and after a
 * reset they would see the last phase's peak only. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include "log.h"

static long long folded;   /* the largest high-water mark cleared so far */
static int resets;         /* --phase-peaks: phases may reset the mark */

void dy_rss_allow_reset(int on) { resets = on; }

/* A "Vm...:  N kB" line of /proc/self/status, in bytes; -1 if unreadable. */
static long long status_kb(const char *key)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long long v = -1;
	size_t n = strlen(key);
	if (fp == NULL) return -1;
	while (fgets(line, sizeof line, fp))
		if (strncmp(line, key, n) == 0 && sscanf(line + n, " %lld", &v) == 1) break;
	fclose(fp);
	return v < 0 ? -1 : v * 1024;
}

long long dy_rss_now(void) { return status_kb("VmRSS:"); }
long long dy_rss_hwm(void) { return status_kb("VmHWM:"); }

int dy_rss_reset(void)
{
	long long h;
	FILE *fp;
	int ok;
	if (!resets) return -1;
	h = dy_rss_hwm();
	if (h > folded) folded = h;
	if ((fp = fopen("/proc/self/clear_refs", "w")) == NULL) return -1;
	ok = fputs("5", fp) >= 0;
	ok = (fclose(fp) == 0) && ok;
	return ok ? 0 : -1;
}

long long dy_peakrss(void)
{
	struct rusage r;
	long long p, h = dy_rss_hwm();
	getrusage(RUSAGE_SELF, &r);
	p = (long long)r.ru_maxrss * 1024;   /* Linux reports KiB */
	if (h > p) p = h;
	return folded > p ? folded : p;
}
