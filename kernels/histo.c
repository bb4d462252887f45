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
 */
#include <stdlib.h>
#include <string.h>
#include <omp.h>
#include "dy_kern.h"

static void fill_range(const dy_ht_t *h, size_t a, size_t b, uint64_t *hist, int hmax)
{
	size_t id;
	for (id = a; id < b; ++id) {
		uint32_t c;
		if (dy_ht_slot(h, id, NULL, &c, NULL))
			++hist[c >= (uint32_t)hmax ? hmax : (int)c];
	}
}

void dy_histo_fill(const dy_ht_t *h, uint64_t *hist, int hmax, int n_threads)
{
	size_t cap = dy_ht_capacity(h), nb = (size_t)hmax + 1;
	int T = n_threads < 1 ? 1 : n_threads, t;
	uint64_t *loc;
	if (hmax < 1) {
		if (hmax == 0) hist[0] = 0;
		return;
	}
	memset(hist, 0, nb * sizeof *hist);
	loc = T > 1 ? (uint64_t *)calloc((size_t)T * nb, sizeof *loc) : NULL;
	if (loc == NULL) { /* one thread, or no memory for per-thread bins */
		fill_range(h, 0, cap, hist, hmax);
		return;
	}
#pragma omp parallel for schedule(static, 1) num_threads(T)
	for (t = 0; t < T; ++t)
		fill_range(h, cap * t / T, cap * (t + 1) / T, loc + (size_t)t * nb, hmax);
	for (t = 0; t < T; ++t) {
		size_t c;
		for (c = 1; c < nb; ++c) hist[c] += loc[(size_t)t * nb + c];
	}
	free(loc);
}

int dy_histo_threshold(const uint64_t *hist, int hmax)
{
	int v, c, peak;
	for (v = 1; v + 1 < hmax && hist[v] > hist[v + 1]; ++v) {}
	if (v == 1 || v + 1 >= hmax) return 1;
	for (peak = v + 1, c = v + 2; c < hmax; ++c)
		if (hist[c] > hist[peak]) peak = c;
	if (hist[peak] <= hist[v] || hist[1] < hist[peak]) return 1;
	return v;
}
