/* pairs.c -- which records of paired inputs each rank reads (reads.h).
 *
 * One pass counts the records of every rank's byte share of each paired or
 * interleaved file; an all-gather gives every rank the same table, from
 * which each computes, with no further message, the records it reads:
 * whole pairs, both mates on the same rank. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "reads.h"

int dy_pairs_index(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	const int n = o->io.n_in;
	uint64_t *mine = NULL;
	dy_reader_t *r = NULL;
	dy_err_t err;
	double t0 = dy_realtime();
	int st = DY_OK;
	memset(&err, 0, sizeof err);
	if (!dy_reads_need_counts(&o->io)) return DY_OK;
	mine = calloc((size_t)n, sizeof *mine);
	run->share_recs = calloc((size_t)n * (size_t)c->n_ranks, sizeof *run->share_recs);
	if (mine == NULL || run->share_recs == NULL) st = DY_ENOMEM, dy_err_set(&err, "", "out of memory");
	if (st == DY_OK) st = dy_reads_count_shares(&o->io, c->rank, c->n_ranks, mine, &err);
	if ((st = dy_status_sync(c, st, &err, "pairs")) < 0) goto out;
	if (MPI_Allgather(mine, n, MPI_UINT64_T, run->share_recs, n, MPI_UINT64_T, c->comm) != MPI_SUCCESS) {
		st = DY_EMPI;
		goto out;
	}
	o->io.share_recs = run->share_recs;
	/* the mates' counts, checked alike on every rank before anything is written */
	st = dy_reads_open(&o->io, c->rank, c->n_ranks, &r, &err);
	dy_reads_close(r);
	if ((st = dy_status_sync(c, st, &err, "pairs")) < 0) goto out;
	if (c->rank == 0)
		dy_log(DY_LOG_INFO, "pairs", "records of the paired inputs counted in every rank's share in %.2f s: "
		       "each rank reads whole pairs", dy_realtime() - t0);
out:
	free(mine);
	return st;
}

/* A SAM-family input's read groups, a line each. */
static void log_rgs(const dy_opt_t *o, const dy_run_t *run, int i)
{
	dy_rg_row_t *rw;
	int n, k;
	if (dy_rg_rows(o->io.in[i], o->io.role && o->io.role[i] == DY_IN_INTER, run->rg_first, run->rg_recs,
	               run->rg_bases, i, &rw, &n) < 0) return;
	for (k = 0; k < n; ++k) {
		const dy_rg_t *g = &rw[k].g;
		char what[400];
		if (rw[k].none) snprintf(what, sizeof what, "reads without a read group");
		else snprintf(what, sizeof what, "read group %.120s%s%.120s%s%.120s%s", rw[k].known ? g->id : "?",
		              g->lb[0] ? " (library " : "", g->lb, g->sm[0] ? (g->lb[0] ? ", sample " : " (sample ") : "",
		              g->sm, g->lb[0] || g->sm[0] ? ")" : "");
		dy_log(DY_LOG_INFO, "library", "%s: %s: %llu reads, %llu pairs, %.1f Mbases, %.1f bp on average",
		       o->io.in[i], what, (unsigned long long)rw[k].reads, (unsigned long long)rw[k].pairs,
		       rw[k].bases / 1e6, rw[k].reads ? (double)rw[k].bases / (double)rw[k].reads : 0.0);
	}
	free(rw);
}

void dy_pairs_log(const dy_opt_t *o, const dy_run_t *run)
{
	int i;
	for (i = 0; i < o->io.n_in; ++i) {
		int role = o->io.role ? o->io.role[i] : DY_IN_SINGLE, two = role == DY_IN_MATE1;
		uint64_t n = run->file_recs[i] + (two ? run->file_recs[i + 1] : 0);
		uint64_t b = run->file_bases[i] + (two ? run->file_bases[i + 1] : 0);
		if (role == DY_IN_MATE2) continue;
		dy_log(DY_LOG_INFO, "library", "%s%s%s (%s): %llu reads, %llu pairs, %.1f Mbases, %.1f bp on average",
		       o->io.in[i], two ? " + " : "", two ? o->io.in[i + 1] : "",
		       two ? "paired" : role == DY_IN_INTER ? "interleaved pairs" : "single reads",
		       (unsigned long long)n, (unsigned long long)(role == DY_IN_SINGLE ? 0 : n / 2), b / 1e6,
		       n ? (double)b / (double)n : 0.0);
		log_rgs(o, run, i);
		if (run->file_skip && run->file_skip[i])
			dy_log(DY_LOG_INFO, "library", "%s: %llu records skipped (secondary, supplementary or QC-fail: "
			       "not reads)", o->io.in[i], (unsigned long long)run->file_skip[i]);
	}
}
