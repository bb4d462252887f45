/* phase.c -- per-phase wall time and peak memory, max and min over ranks. */
#include <string.h>
#include "dy_priv.h"

void dy_phase_begin(dy_run_t *run, const char *name)
{
	dy_phase_t *p = &run->ph[run->n_ph];
	memset(p, 0, sizeof *p);
	p->name = name;
	p->rss_in = dy_rss_now();
	p->hwm_in = dy_rss_hwm();
	p->rss_ph = dy_rss_reset();   /* 0 (--phase-peaks), or -1: no reset */
	p->wall = dy_realtime();
	dy_fault_at(name);
	{
		int moved = dy_pin_refresh();
		if (moved) dy_log_debug("phase %s: %d thread(s) had left the core they were pinned to: bound again", name, moved);
	}
}

void dy_phase_end(const dy_ctx_t *c, dy_run_t *run)
{
	dy_phase_t *p = &run->ph[run->n_ph];
	double t[2], tmax[2], tmin[2];
	p->wall = dy_realtime() - p->wall;
	p->rss = dy_peakrss();
	if (p->rss_ph == 0) p->rss_ph = dy_rss_hwm();
	else {   /* no reset: the phase's own peak is known only where it raised the mark */
		long long h = dy_rss_hwm();
		p->rss_ph = h > p->hwm_in ? h : -1;
	}
	t[0] = p->wall, t[1] = (double)p->rss;
	MPI_Reduce(t, tmax, 2, MPI_DOUBLE, MPI_MAX, 0, c->comm);
	MPI_Reduce(t, tmin, 2, MPI_DOUBLE, MPI_MIN, 0, c->comm);
	if (c->rank == 0)
		dy_log(DY_LOG_INFO, p->name, "phase done in %.3f s (max over %d ranks; min %.3f s), "
		       "peak RSS max %.1f MiB, min %.1f MiB", tmax[0], c->n_ranks, tmin[0],
		       tmax[1] / 1048576.0, tmin[1] / 1048576.0);
	if (run->n_ph + 1 < DY_MAX_PHASE) ++run->n_ph;
}
