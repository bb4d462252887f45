/* phase_build.c -- the global k-mer spectrum, the solid threshold, and each
 * rank's graph fragments. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"

/* One genome k-mer lost below the threshold (a gap in a contig) weighs as
 * much as this many error k-mers kept for cleaning (dy_profile_threshold). */
#define DY_GAP_WEIGHT 1000.0

/* Say what the spectrum looked like when it looks odd. */
static void log_spectrum(const dy_thresh_t *th, const dy_profile_t *prof, int is_auto)
{
	if (th->warn & DY_TH_WPERIOD)
		dy_log_warn("every k-mer count is a multiple of %d: were the same reads given %d times "
		            "(a file named twice)? The threshold is chosen on the spectrum folded by %d%s",
		            th->period, th->period, th->period, is_auto ? "" : " (not used: --min-count given)");
	if (th->warn & DY_TH_WNOPEAK)
		dy_log_warn("the k-mer spectrum shows no coverage peak above the threshold: coverage too low, "
		            "or k too large for these reads?");
	else if ((th->warn & DY_TH_WLOWCOV) && !(prof && prof->fit_ok))
		dy_log_warn("the coverage peak (count %d) is below 4x the threshold %d: low coverage, "
		            "expect a fragmented assembly (a smaller k raises k-mer coverage)", th->peak, th->threshold);
	else if (prof && prof->fit_ok && prof->hom_cov < 4 * th->threshold)
		/* the tallest peak of a diploid is often the heterozygous one: judge by the homozygous */
		dy_log_warn("the homozygous k-mer coverage %.1f is below 4x the threshold %d: low coverage, "
		            "expect a fragmented assembly (a smaller k raises k-mer coverage)", prof->hom_cov, th->threshold);
	if (th->warn & DY_TH_WSHALLOW)
		dy_log_warn("the valley at count %d is not below half the coverage peak: errors and genome "
		            "k-mers overlap (very high error rate, or low coverage)", th->threshold);
}

/* The genome's size, heterozygosity and repeats come from the k=31 pilot
 * when there was one: a short k estimates them better (the model counts a
 * heterozygous k-mer per site and position, which overlapping sites break
 * more often the longer k is); the coverages are the assembly k's. */
static void log_profile(const dy_run_t *run)
{
	const dy_profile_t *p = &run->prof, *g = run->prof_pilot.fit_ok ? &run->prof_pilot : p;
	if (!p->fit_ok) {
		dy_log_warn("no genome profile: the k-mer spectrum has no usable coverage peak");
		return;
	}
	dy_log(DY_LOG_INFO, "histo", "genome profile (k=%d): haploid size %.2f Mb, heterozygosity %.3f%%, repeats "
	       "%.1f%% of k-mers; at k=%d: homozygous k-mer coverage %.1f, heterozygous %.1f (%s)",
	       run->prof_pilot.fit_ok ? 31 : run->k_used, g->genome_size / 1e6, 100 * g->het_rate,
	       100 * g->repeat_frac, run->k_used, p->hom_cov, p->het_cov,
	       p->het_peak_seen ? "a heterozygous peak is seen" : "no heterozygous peak: haploid or nearly homozygous");
}

int dy_phase_histo(const dy_opt_t *o, const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run)
{
	const int hmax = o->count.hist_max;
	uint64_t *loc, peak_n = 0, solid = 0;
	dy_err_t err;
	int st = DY_OK, i, peak = 0;
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, "histo");
	run->k_used = o->kmer.k;
	loc = calloc(hmax + 1, sizeof *loc);
	run->hist = calloc(hmax + 1, sizeof *run->hist);
	if (loc == NULL || run->hist == NULL) st = DY_ENOMEM, dy_err_set(&err, "", "out of memory");
	st = dy_status_sync(c, st, &err, "histo");
	if (st == DY_OK) {
		dy_histo_fill(h, loc, hmax, c->n_threads);
		MPI_Allreduce(loc, run->hist, hmax + 1, MPI_UINT64_T, MPI_SUM, c->comm);
		if (run->sieve) {
			/* the tables hold only the filter's false positives of count 1:
			 * the bin is the estimated distinct k-mers less those seen twice
			 * or more (exact), the same for any number of ranks and threads */
			double more = 0;
			for (i = 2; i <= hmax; ++i) more += (double)run->hist[i];
			run->hist[1] = run->distinct_est > more ? (uint64_t)(run->distinct_est - more + 0.5) : 0;
			if (c->rank == 0)
				dy_log(DY_LOG_INFO, "histo", "count 1: %llu k-mers estimated (the singleton filter kept them "
				       "out; every count >= 2 is exact)", (unsigned long long)run->hist[1]);
		}
		run->min_count_auto = o->count.min_count == 0;
		dy_histo_threshold_ex(run->hist, hmax, &run->th);
		run->min_count = run->min_count_auto ? run->th.threshold : o->count.min_count;
		/* without a profile (no peak, or no memory) cleaning pops error bubbles only */
		{
			/* rank 0 fits the profile (to the spectrum folded by the count
			 * period when reads were given several times) and lowers the
			 * threshold; every rank takes its numbers, so no allocation
			 * failure on one rank can give ranks different solid k-mers */
			const int d = run->th.period;
			int r = DY_OK;
			if (c->rank == 0) {
				r = dy_profile_fit_period(run->hist, hmax, o->kmer.k, run->th.threshold, d, &run->prof);
				run->th_lowered = run->min_count;
				if (r == DY_OK && run->min_count_auto) {
					/* the valley is where errors and genome cross; below it, genome
					 * k-mers lost are gaps while error k-mers are only cleaned away */
					dy_profile_t pf = run->prof;
					uint64_t *hf_hist = d > 1 ? calloc((size_t)(hmax / d) + 1, sizeof *hf_hist) : run->hist;
					pf.het_cov /= d, pf.hom_cov /= d;
					for (i = 1; hf_hist && d > 1 && i <= hmax / d; ++i) hf_hist[i] = run->hist[i * d];
					if (hf_hist)
						run->th_lowered = d * dy_profile_threshold(hf_hist, hmax / d, &pf, run->min_count / d, 1,
						                                           DY_GAP_WEIGHT, &run->th_lost, &run->th_errs);
					if (d > 1) free(hf_hist);
				}
			}
			(void)r;
			MPI_Bcast(&run->prof, (int)sizeof run->prof, MPI_BYTE, 0, c->comm);
			MPI_Bcast(&run->th_lowered, 1, MPI_INT, 0, c->comm);
		}
		if (c->rank == 0) log_spectrum(&run->th, &run->prof, run->min_count_auto);
		if (run->min_count_auto && run->prof.fit_ok) {
			double lost = run->th_lost, errs = run->th_errs;
			int t = run->th_lowered;
			if (c->rank == 0) log_profile(run);
			if (t < run->min_count && c->rank == 0)
				dy_log(DY_LOG_INFO, "histo", "solid threshold lowered from the valley %d to %d: the genome "
				       "model expects %.0f genome k-mers below %d (each a gap), and %.0f error k-mers "
				       "kept for cleaning", run->min_count, t, lost, t, errs);
			if (t < run->min_count) run->th.lowered_from = run->min_count;
			run->min_count = t;
		}
		if (run->sieve && run->min_count < 2) {
			/* the k-mers seen once are not in the tables */
			if (c->rank == 0)
				dy_log(DY_LOG_INFO, "histo", "solid threshold %d raised to 2: --singleton-filter keeps no "
				       "k-mer seen once", run->min_count);
			run->min_count = 2;
		}
		if (run->min_count > DY_EDGE_MAX) {
			/* edge counters saturate at DY_EDGE_MAX: a higher threshold would
			 * let saturated edges lead to k-mers below it */
			if (c->rank == 0)
				dy_log_warn("first valley at count %d; using %d, the largest threshold edge "
				            "counters can follow", run->min_count, DY_EDGE_MAX);
			run->min_count = DY_EDGE_MAX;
		}
		for (i = 1; i <= hmax; ++i) {
			if (i >= run->min_count) solid += run->hist[i];
			if (i >= 2 && i < hmax && run->hist[i] > peak_n) peak_n = run->hist[i], peak = i;
		}
		run->n_solid_global = solid;
		if (c->rank == 0)
			dy_log(DY_LOG_INFO, "histo", "k-mer spectrum: main peak at count %d; solid threshold %d (%s); %llu solid k-mers",
			            peak, run->min_count, run->min_count_auto ? run->th.how : "--min-count",
			            (unsigned long long)solid);
		if (c->rank == 0 && !(run->min_count_auto && run->prof.fit_ok)) log_profile(run);
		if (solid == 0) {
			st = DY_ENOKMER;
			dy_err_set(&err, "", "no k-mer reaches the solid threshold %d: nothing to assemble "
			           "(lower --min-count?)", run->min_count);
			st = dy_status_sync(c, st, &err, "histo");
		}
	}
	free(loc);
	dy_phase_end(c, run);
	return st;
}

int dy_phase_build(const dy_opt_t *o, const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run, dy_buf_t *frags)
{
	dy_err_t err;
	uint64_t loc[3], tot[3];
	int st;
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, "build");
	st = dy_compact_run(h, &o->kmer, (uint32_t)run->min_count, c->n_ranks, c->rank,
	                    c->n_threads, frags, &run->frag);
	if (st < 0) dy_err_set(&err, "", "building graph fragments failed (%s)", dy_strerror(st));
	st = dy_status_sync(c, st, &err, "build");
	if (st == DY_OK) {
		run->frag_bytes = frags->n;
		loc[0] = run->frag.n_frag, loc[1] = run->frag.n_solid, loc[2] = frags->n;
		MPI_Reduce(loc, tot, 3, MPI_UINT64_T, MPI_SUM, 0, c->comm);
		if (c->rank == 0)
			dy_log(DY_LOG_INFO, "build", "%llu fragments over %llu solid k-mers (%.1f k-mers each), %.1f MiB to gather",
			            (unsigned long long)tot[0], (unsigned long long)tot[1],
			            tot[0] ? (double)tot[1] / tot[0] : 0.0, tot[2] / 1048576.0);
	}
	dy_phase_end(c, run);
	return st;
}
