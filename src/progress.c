/* progress.c -- how far a long phase has gone, on rank 0.
 *
 * On a terminal a bar is redrawn in place (at most 4 times a second); in a
 * file or a pipe, as in a Slurm log, a plain line comes every --progress
 * seconds: phase, percent done, rate, time left.  mpirun hands a rank its
 * stderr through a pipe: when the launcher's own stderr (the parent's) is a
 * terminal, the rank draws the bar too.  -v 0 or 1, or
 * --progress 0, shows nothing.  The figures come from the caller, summed
 * over ranks by a collective it makes anyway. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "dy_priv.h"

/* stderr is a terminal, or a pipe to a launcher whose stderr is one */
static int on_terminal(void)
{
	char p[64], to[64];
	struct stat st;
	ssize_t n;
	if (isatty(2)) return 1;
	/* only under a launcher: `dactyl ... 2>&1 | tee log` from a terminal
	 * has a pipe too, but to tee, and its log wants lines */
	if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK")) return 0;
	if (fstat(2, &st) < 0 || !S_ISFIFO(st.st_mode)) return 0;
	snprintf(p, sizeof p, "/proc/%ld/fd/2", (long)getppid());
	if ((n = readlink(p, to, sizeof to - 1)) <= 0) return 0;
	to[n] = '\0';
	return strncmp(to, "/dev/pts/", 9) == 0 || strncmp(to, "/dev/tty", 8) == 0;
}

void dy_prog_begin(dy_prog_t *p, const dy_opt_t *o, const dy_ctx_t *c, const char *phase, const char *unit,
                   const char *what)
{
	memset(p, 0, sizeof *p);
	p->phase = phase, p->unit = unit, p->what = what;
	p->every = o->run.progress_s;
	p->on = c->rank == 0 && p->every > 0 && dy_log_level() >= DY_LOG_INFO;
	p->bar = p->on && on_terminal();
	p->t0 = p->last = dy_realtime();
}

/* 1234567 "B" -> "1.23 MB" */
static void human(char *b, size_t len, double v, const char *unit)
{
	static const char pre[] = "kMGTP";
	int i = -1;
	while (v >= 1000 && i < 4) v /= 1000, ++i;
	if (i < 0) snprintf(b, len, "%.0f %s", v, unit);
	else snprintf(b, len, "%.*f %c%s", v < 10 ? 2 : 1, v, pre[i], unit);
}

void dy_prog_update(dy_prog_t *p, uint64_t done, uint64_t total)
{
	const char *unit = p->unit, *what = p->what;
	double now = dy_realtime(), el = now - p->t0, frac, rate;
	char d[32], t[32], r[32], left[32] = "", line[256];
	if (!p->on || total == 0) return;
	p->done = done, p->total = total;
	if (now - p->last < (p->bar && p->every > 0.25 ? 0.25 : p->every) && !(p->final && p->lines)) return;
	p->last = now;
	if (done > total) done = total;
	frac = (double)done / (double)total;
	rate = el > 0 ? done / el : 0;
	human(d, sizeof d, (double)done, unit), human(t, sizeof t, (double)total, unit);
	human(r, sizeof r, rate, unit);
	if (done == total) snprintf(left, sizeof left, "0 s");
	else if (rate > 0) {
		double s = (total - done) / rate;
		if (s < 120) snprintf(left, sizeof left, "%.0f s", s);
		else if (s < 7200) snprintf(left, sizeof left, "%.0f min", s / 60);
		else snprintf(left, sizeof left, "%.1f h", s / 3600);
	} else snprintf(left, sizeof left, "?");
	if (p->bar) {
		char bar[31];
		int n = (int)(frac * 30), i;
		for (i = 0; i < 30; ++i) bar[i] = i < n ? '#' : '.';
		bar[30] = '\0';
		snprintf(line, sizeof line, "[%s] %-6s %5.1f%% [%s] %s/s, %s left", "progress", p->phase,
		         100 * frac, bar, r, left);
		dy_log_bar(line);
		p->drawn = 1;
	} else {
		dy_log(DY_LOG_INFO, p->phase, "progress: %.1f%% (%s of %s %s), %s/s, %s%s left", 100 * frac,
		       d, t, what, r, done == total ? "" : "about ", left);
		p->lines++, p->shown = done;
	}
}

void dy_prog_end(dy_prog_t *p)
{
	if (p->drawn) dy_log_bar(NULL);
	p->drawn = 0;
	/* a log that had lines ends with the last figure, not at the last 30 s mark */
	if (p->lines && p->shown != p->total) p->final = 1, dy_prog_update(p, p->done, p->total);
}
