/* histo.c -- the k-mer count histogram and the automatic solid threshold.
 *
 * Threshold rule (dy_histo_threshold), for hist[1..hmax] (the last bin
 * collects every count >= hmax, so it is never a valley or a peak):
 *   1. walk down from count 1 while the spectrum keeps falling: the first
 *      c with hist[c] <= hist[c+1] is the first valley v.  If v == 1 (no
 *      fall at all) or the walk reaches the last bin, return 1;
 *   2. the main peak c* = argmax of hist over (v, hmax).  If hist[c*] is
 *      not above hist[v] there is no coverage peak beyond the valley:
 *      return 1 (keep everything);
 *   3. if hist[1] < hist[c*] the low end is no error component -- for
 *      error-free reads of a linear genome the count-1 k-mers are the
 *      genome ends, which must survive: return 1;
 *   4. else return v.
 * Why the first valley and not the argmin over [1, c*]: on a heterozygous
 * genome the main peak may be the homozygous one, and the dip between the
 * heterozygous and homozygous peaks can be deeper than the error valley;
 * the argmin would then throw away every heterozygous k-mer.  Why the
 * peak is looked for only beyond the valley: with many errors the error
 * tail at count 2 is higher than the coverage peak itself.  The walk
 * trusts that real spectra are smooth at low counts (millions of k-mers
 * per bin); a tiny, noisy spectrum may stop a bin early, which keeps more
 * k-mers, the safe side.
 *
 * Reads given twice (the same file named twice, duplicated libraries) make
 * every count even: bin 1 is empty, step 1 stops at once and every error
 * k-mer would be kept.  So the rule runs on the spectrum folded by the
 * period d of the counts (the largest d <= 8 that divides all but 0.5% of
 * them) and the threshold is scaled back by d; dy_thresh_t says so, and
 * flags the other shapes a user should hear about (no coverage peak, a
 * peak close to the threshold, a shallow valley).
 */
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include "dy_kern.h"

/* Partitions a..b-1, read raw: a slot id a k-mer cost a guess and a step
 * through the partitions' offsets (a tenth of `dactyl count` on bact). */
static void fill_range(const dy_ht_t *h, size_t a, size_t b, uint64_t *hist, int hmax)
{
	const int S = dy_ht_words(h);
	size_t p, i, cap, n;
	for (p = a; p < b; ++p) {
		const uint64_t *e = dy_ht_part_raw(h, p, &cap, &n);
		for (i = 0; i < cap; ++i) {
			uint32_t c = (uint32_t)e[i * (size_t)S + (size_t)S - 1];   /* 0: empty */
			if (c) ++hist[c >= (uint32_t)hmax ? hmax : (int)c];
		}
	}
}

void dy_histo_fill(const dy_ht_t *h, uint64_t *hist, int hmax, int n_threads)
{
	size_t np = dy_ht_nparts(h), nb = (size_t)hmax + 1;
	int T = n_threads < 1 ? 1 : n_threads, t;
	uint64_t *loc;
	if (hmax < 1) {
		if (hmax == 0) hist[0] = 0;
		return;
	}
	memset(hist, 0, nb * sizeof *hist);
	loc = T > 1 ? (uint64_t *)calloc((size_t)T * nb, sizeof *loc) : NULL;
	if (loc == NULL) { /* one thread, or no memory for per-thread bins */
		fill_range(h, 0, np, hist, hmax);
		return;
	}
#pragma omp parallel for schedule(static, 1) num_threads(T)
	for (t = 0; t < T; ++t)
		fill_range(h, np * t / T, np * (t + 1) / T, loc + (size_t)t * nb, hmax);
	for (t = 0; t < T; ++t) {
		size_t c;
		for (c = 1; c < nb; ++c) hist[c] += loc[(size_t)t * nb + c];
	}
	free(loc);
}

/* The first-valley rule on hist[1..hmax] (steps 1-4 of the header). */
static int first_valley(const uint64_t *hist, int hmax, const char **how)
{
	int v, c, peak;
	for (v = 1; v + 1 < hmax && hist[v] > hist[v + 1]; ++v) {}
	if (v == 1 || v + 1 >= hmax) {
		*how = v == 1 ? "no error component (the spectrum does not fall from count 1)"
		              : "no valley (the spectrum falls all the way)";
		return 1;
	}
	for (peak = v + 1, c = v + 2; c < hmax; ++c)
		if (hist[c] > hist[peak]) peak = c;
	if (hist[peak] <= hist[v]) { *how = "no coverage peak beyond the first valley"; return 1; }
	if (hist[1] < hist[peak]) { *how = "no error component (count 1 below the coverage peak)"; return 1; }
	*how = "first valley of the spectrum";
	return v;
}

/* The largest d in 2..8 such that fewer than 1 in 200 of the distinct
 * k-mers below hmax have a count that is not a multiple of d, or 1. */
static int count_period(const uint64_t *hist, int hmax)
{
	uint64_t tot = 0, off;
	int d, c, best = 1;
	for (c = 1; c < hmax; ++c) tot += hist[c];
	if (tot == 0) return 1;
	for (d = 2; d <= 8 && 2 * d < hmax; ++d) {
		for (off = 0, c = 1; c < hmax; ++c)
			if (c % d) off += hist[c];
		if (off * 200 < tot) best = d;
	}
	return best;
}

int dy_histo_threshold_ex(const uint64_t *hist, int hmax, dy_thresh_t *th)
{
	int d, c, n, peak, t;
	uint64_t *fold;
	memset(th, 0, sizeof *th);
	th->period = 1;
	if (hmax < 3) {
		th->threshold = 1, th->how = "histogram too short";
		return 1;
	}
	d = count_period(hist, hmax);
	if (d == 1) {
		t = first_valley(hist, hmax, &th->how);
	} else {
		/* Every count a multiple of d: the reads were given d times (a
		 * file named twice, duplicated reads).  Bin 1 is then empty and
		 * the plain rule would keep every error; run it on the spectrum
		 * folded by d (hist[d], hist[2d], ...) and scale back. */
		n = hmax / d;
		fold = (uint64_t *)calloc((size_t)n + 1, sizeof *fold);
		if (fold == NULL) { t = first_valley(hist, hmax, &th->how); d = 1; }
		else {
			for (c = 1; c <= n; ++c) fold[c] = hist[c * d];
			t = first_valley(fold, n, &th->how) * d;
			free(fold);
		}
		th->period = d;
		if (d > 1) th->warn |= DY_TH_WPERIOD;
	}
	th->threshold = t < 1 ? 1 : t;
	/* the coverage peak: the highest bin above the threshold (multiples of d) */
	for (peak = 0, c = th->threshold + 1; c < hmax; ++c)
		if (c % d == 0 && (peak == 0 || hist[c] > hist[peak])) peak = c;
	th->peak = peak;
	if (peak == 0 || hist[peak] == 0 || peak + d >= hmax) th->warn |= DY_TH_WNOPEAK;
	else {
		if (peak < 4 * th->threshold) th->warn |= DY_TH_WLOWCOV;
		if (th->threshold > 1 && 2 * hist[th->threshold] > hist[peak]) th->warn |= DY_TH_WSHALLOW;
	}
	return th->threshold;
}

int dy_histo_threshold(const uint64_t *hist, int hmax)
{
	dy_thresh_t th;
	return dy_histo_threshold_ex(hist, hmax, &th);
}
