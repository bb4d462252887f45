/* phase_pilot.c -- choose k when the user gave none.
 *
 * A pilot count at k = 31 over every read, but of a sample of the k-mers:
 * only the super-k-mers of 1 minimizer value in 2^s (s from the input size,
 * at least 3), so each k-mer kept is counted in full and the spectrum keeps
 * its shape at a fraction of the cost.  Its genome profile gives the
 * homozygous k-mer coverage h31 and whether a heterozygous peak stands; the
 * reads give their mean length L; the share of k-mer occurrences below the
 * solid threshold gives an error rate e (1 - (1-e)^31 of them are errors).
 * The homozygous coverage at another k is then about
 *     h(k) = h31 (L - k + 1) / (L - 31 + 1) (1 - e)^(k - 31)
 * and k is the largest odd value in [21, min(127, 0.6 L)] with h(k) >= T:
 * long enough to cross the repeats that length can cross, short enough
 * that heterozygous k-mers (at h/2) still stand clear of the errors and no
 * coverage gap opens.  T is 18 less 40 x the share of the k=31 k-mer
 * occurrences the profile puts in repeats (capped at 10%): a repetitive
 * genome gains more from a longer k than it loses to a lower coverage
 * (IDBA's and MEGAHIT's reason for iterating k upwards), a bacterium does
 * not.  Measured with the full pipeline: palm-mini (10% at k=31) is best
 * at k = 75-81 (genome fraction 87.6% at 63, 90.4% at 75, 91.4% at 81),
 * bact and bact-dip (1%, 0.3%) at 63 (NGA50 393k / 317k, against 299k /
 * 164k at 75).  A k just above 31 or 63 falls back to it, where the
 * narrower k-mer arithmetic is.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dy_priv.h"

#define PILOT_K 31
#define TARGET_HOM 18.0     /* homozygous k-mer coverage kept at k ... */
#define REPEAT_SLOPE 40.0   /* ... minus this x the repeat share of the k=31 k-mers ... */
#define REPEAT_CAP 0.10     /* ... counted up to 10%: 18 for a bacterium, 14 for a TE-rich plant */
#define K_LOW 21
#define NARROW_SLACK 8   /* k up to 8 above 31 or 63 falls back to it */

/* log2 of the sampling rate: 1 in 8 minimizers up to 1 GB of input, one
 * more halving per doubling above it, at most 1 in 4096. */
static int sample_log2(const dy_io_opt_t *io)
{
	double bytes = 0;
	int i, s = 3;
	for (i = 0; i < io->n_in; ++i) {
		struct stat sb;
		if (stat(io->in[i], &sb) == 0) bytes += (double)sb.st_size;
	}
	while (s < 12 && bytes > (double)(1ULL << 30) * (double)(1ULL << (s - 3))) ++s;
	return s;
}

int dy_choose_k(double h31, double L, double err, int het, double rep, char *why, size_t why_len)
{
	int k, kmax = (int)(0.6 * L), best = K_LOW;
	double h = 0, target = TARGET_HOM - REPEAT_SLOPE * (rep < REPEAT_CAP ? rep : REPEAT_CAP);
	if (kmax > DY_KMAX) kmax = DY_KMAX;
	if ((kmax & 1) == 0) --kmax;
	for (k = K_LOW; k <= kmax; k += 2) {
		double hk = h31 * (L - k + 1) / (L - PILOT_K + 1) * pow(1 - err, k - PILOT_K);
		if (hk >= target) best = k, h = hk;
	}
	/* a few bases of k beyond 31 or 63 buy little and cost the next wider
	 * arithmetic (table entries of 24 bytes instead of 16, 40 instead of 24;
	 * the count phase ~1.5x slower at k = 65 than at 63 on bact) */
	if (best > 31 && best <= 31 + NARROW_SLACK) best = 31, h = 0;
	if (best > DY_KNARROW && best <= DY_KNARROW + NARROW_SLACK) best = DY_KNARROW, h = 0;
	if (h == 0) h = h31 * (L - best + 1) / (L - PILOT_K + 1) * pow(1 - err, best - PILOT_K);
	snprintf(why, why_len, "reads of %.0f bp on average, homozygous k-mer coverage %.1f at k=%d%s, "
	         "repeats %.1f%% of its k-mers, error rate about %.2f%%: at k=%d it is about %.1f (the largest "
	         "k, up to 0.6 x the read length, keeping it >= %.1f%s)", L, h31, PILOT_K,
	         het ? " (heterozygous peak at half)" : "", 100 * rep, 100 * err, best, h, target,
	         h < target ? "; low coverage: the smallest k" : "");
	return best;
}

void dy_pilot_kmers(const dy_run_t *run, int k, double *distinct, double *solid)
{
	double L = run->pilot.L, d = run->pilot.distinct, sol = run->pilot.solid, f = run->pilot.f;
	*distinct = *solid = 0;
	if (!(L > k && L > PILOT_K)) return;
	*distinct = f * (sol + (d - sol) * (L - k + 1) * k / ((L - PILOT_K + 1) * PILOT_K));
	*solid = f * sol;
}

int dy_phase_pilot(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	dy_opt_t po = *o;
	dy_run_t pr;
	dy_ht_t *h = NULL;
	dy_err_t err;
	dy_profile_t prof;
	dy_thresh_t th;
	uint64_t *loc = NULL, *hist = NULL, in[2], tot[2];
	const int hmax = o->count.hist_max;
	char why[512];
	int st = DY_OK, t, i;
	memset(&pr, 0, sizeof pr), memset(&err, 0, sizeof err), memset(&prof, 0, sizeof prof);
	po.kmer.k = PILOT_K, po.kmer.m = dy_opt_default_m(PILOT_K);
	po.kmer.sample = c->rank == 0 ? sample_log2(&o->io) : 0;
	MPI_Bcast(&po.kmer.sample, 1, MPI_INT, 0, c->comm);   /* every rank keeps the same minimizers */
	pr.t_start = run->t_start;
	pr.rc = run->rc;   /* the pilot's reading fills the cache for the count */
	pr.file_recs = run->file_recs, pr.file_bases = run->file_bases, pr.file_skip = run->file_skip;   /* and learns the libraries */
	pr.n_rg = run->n_rg, pr.rg_first = run->rg_first, pr.rg_recs = run->rg_recs, pr.rg_bases = run->rg_bases;
	if (c->rank == 0)
		dy_log(DY_LOG_INFO, "pilot", "no -k: a pilot count at k=%d of 1 minimizer in %d chooses k",
		       PILOT_K, 1 << po.kmer.sample);
	if ((h = dy_ht_init(po.kmer.k, po.kmer.m, po.count.part_log2)) == NULL) st = DY_ENOMEM;
	if ((st = dy_status_sync(c, st, &err, "pilot")) < 0) goto out;
	/* no k-mer of length 31 at all (reads of 15-30 bp): the pilot says nothing, k falls back */
	if ((st = dy_phase_count(&po, c, h, &pr)) < 0) goto out;
	loc = calloc((size_t)hmax + 1, sizeof *loc), hist = calloc((size_t)hmax + 1, sizeof *hist);
	if (loc == NULL || hist == NULL) st = DY_ENOMEM, dy_err_set(&err, "", "out of memory");
	if ((st = dy_status_sync(c, st, &err, "pilot")) < 0) goto out;
	dy_histo_fill(h, loc, hmax, c->n_threads);
	MPI_Allreduce(loc, hist, hmax + 1, MPI_UINT64_T, MPI_SUM, c->comm);
	in[0] = pr.n_records, in[1] = pr.n_bases;
	MPI_Allreduce(in, tot, 2, MPI_UINT64_T, MPI_SUM, c->comm);
	t = dy_histo_threshold_ex(hist, hmax, &th);
	if (c->rank == 0 && pr.n_distinct_global > 0)
		(void)!dy_profile_fit_period(hist, hmax, PILOT_K, t, th.period, &prof);
	{
		/* the sample holds a share of the k-mer occurrences: the size scales by it */
		uint64_t occ_all = 0, occ_s = 0;
		MPI_Allreduce(&pr.n_kmer_occ, &occ_all, 1, MPI_UINT64_T, MPI_SUM, c->comm);
		for (i = 1; i <= hmax; ++i) occ_s += (uint64_t)i * hist[i];
		run->pilot.occ = (double)occ_all;
		if (c->rank == 0 && prof.fit_ok && occ_s > 0 && occ_all > 0) {
			run->prof_pilot = prof;
			run->prof_pilot.genome_size *= (double)occ_all / (double)occ_s;
		}
	}
	if (c->rank == 0) {
		/* rank 0 decides, every rank takes its k */
		double L = tot[0] ? (double)tot[1] / (double)tot[0] : 0, occ = 0, low = 0, e;
		for (i = 1; i <= hmax; ++i) occ += (double)i * (double)hist[i], low += i < t ? (double)i * hist[i] : 0;
		e = occ > 0 && low < occ ? 1 - pow(1 - low / occ, 1.0 / PILOT_K) : 0;
		if (!prof.fit_ok || L < PILOT_K + 2) {
			o->kmer.k = L >= 2 * PILOT_K ? PILOT_K : K_LOW;
			snprintf(why, sizeof why, "the pilot spectrum shows no coverage peak (reads of %.0f bp%s): "
			         "the default for such reads", L, pr.n_distinct_global ? "" : ", no k-mer of 31");
		} else o->kmer.k = dy_choose_k(prof.hom_cov, L, e, prof.het_peak_seen, prof.repeat_frac, why, sizeof why);
		if (o->kmer.k > (int)L) o->kmer.k = K_LOW;
		dy_log(DY_LOG_INFO, "pilot", "k=%d chosen: %s", o->kmer.k, why);
		snprintf(run->k_why, sizeof run->k_why, "%s", why);
	}
	MPI_Bcast(&o->kmer.k, 1, MPI_INT, 0, c->comm);
	o->kmer.m = dy_opt_default_m(o->kmer.k);
	{
		/* the spectrum, for the count's table at k (every rank has hist, t and tot) */
		double d = 0, sol = 0;
		for (i = 1; i <= hmax; ++i) d += (double)hist[i], sol += i >= t ? (double)hist[i] : 0;
		run->pilot.distinct = d, run->pilot.solid = sol;
		run->pilot.f = (double)(1ULL << po.kmer.sample);
		run->pilot.L = tot[0] ? (double)tot[1] / (double)tot[0] : 0;
		run->pilot.reads = (double)tot[0], run->pilot.bases = (double)tot[1];
		dy_pilot_kmers(run, o->kmer.k, &run->kmer_est, &sol);
	}
out:
	if (pr.n_ph > 0 && run->n_ph < DY_MAX_PHASE) run->ph[run->n_ph++] = pr.ph[0];
	/* the pilot read the input (the count reads its cache, or the input again) */
	run->n_read = pr.n_read, run->n_whole_inputs = pr.n_whole_inputs;
	run->n_shared_in = pr.n_shared_in, run->n_shared_out = pr.n_shared_out;
	run->bases_shared_in = pr.bases_shared_in, run->share_rounds = pr.share_rounds;
	dy_ht_destroy(h);
	free(loc), free(hist);
	return st;
}
