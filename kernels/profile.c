/* profile.c -- a genome profile from the k-mer spectrum (dy_profile_fit,
 * dy_kern.h), what GenomeScope gives: the heterozygous and homozygous
 * coverage, the haploid genome size, the heterozygosity and the repeat
 * fraction.
 *
 * Model (GenomeScope's, simplified).  Above the solid threshold t the
 * spectrum is a sum of negative binomials at multiples of the haplotype
 * coverage L: component j (mean jL, size j*r, so its variance jL + jL^2/r
 * grows like that of j independent copies) holds the distinct k-mers seen
 * j times per haplotype: j = 1 heterozygous k-mers (on one haplotype only),
 * j = 2 homozygous single-copy ones, j >= 3 repeats (and heterozygous
 * repeats).  For a given (L, r) the amplitudes a_j >= 0 are a non-negative
 * least-squares fit (coordinate descent on the normal equations); (L, r) is
 * chosen on a grid around the peak the shape suggests.
 *
 * Which peak is which.  The tallest bin above t is either the homozygous
 * peak (a haploid genome, or a low heterozygosity) or the heterozygous one
 * (at k = 63 and 1% heterozygosity, half of the k-mers touch a SNP and the
 * heterozygous peak is the taller).  It is the heterozygous one when a true
 * peak (a local maximum clearly above the dip before it) stands at about
 * twice its coverage with at least a tenth of its height; the homozygous one
 * otherwise, with L at half of it (the fit then finds a_1 near 0 for a
 * haploid genome).  A haploid genome's two-copy repeats stand at 2x too,
 * but as a tail of a few percent, not a peak of a tenth.
 *
 * Estimates: haploid size = (k-mer occurrences at counts >= t, plus what the
 * fitted genome components put below t) / (2L); heterozygosity from the
 * share f = (a_1/2) / (a_1/2 + a_2) of a haplotype's k-mers that touch a
 * heterozygous site, f = 1 - (1 - h)^k; repeat fraction = share of the
 * occurrences not in components 1 and 2.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"

#define JMAX 8        /* components: heterozygous, homozygous, 6 repeat multiplicities */

static double nb_logpmf(int c, double mu, double size)
{
	return lgamma(c + size) - lgamma(size) - lgamma(c + 1.0) + size * log(size / (size + mu))
		+ c * log(mu / (size + mu));
}

typedef struct {
	const uint64_t *h;
	int lo, hi;       /* fitted bins: lo..hi */
	int J;
	double L, r, a[JMAX + 1], sse;
	double *phi;      /* J x (hi - lo + 1) */
} fit_t;

/* Fit the amplitudes for (L, r); fills a[1..J] and sse. */
static void fit_amp(fit_t *f)
{
	const int n = f->hi - f->lo + 1, J = f->J;
	double G[JMAX + 1][JMAX + 1], b[JMAX + 1];
	int j, l, c, it;
	for (j = 1; j <= J; ++j) {
		double mu = j * f->L, size = j * f->r;
		for (c = 0; c < n; ++c) f->phi[(j - 1) * n + c] = exp(nb_logpmf(f->lo + c, mu, size));
	}
	for (j = 1; j <= J; ++j) {
		for (b[j] = 0, c = 0; c < n; ++c) b[j] += (double)f->h[f->lo + c] * f->phi[(j - 1) * n + c];
		for (l = 1; l <= J; ++l) {
			for (G[j][l] = 0, c = 0; c < n; ++c) G[j][l] += f->phi[(j - 1) * n + c] * f->phi[(l - 1) * n + c];
		}
		f->a[j] = 0;
	}
	for (it = 0; it < 200; ++it) {
		double moved = 0;
		for (j = 1; j <= J; ++j) {
			double s = b[j], na;
			if (G[j][j] <= 0) continue;
			for (l = 1; l <= J; ++l)
				if (l != j) s -= G[j][l] * f->a[l];
			na = s / G[j][j];
			if (na < 0) na = 0;
			moved += fabs(na - f->a[j]);
			f->a[j] = na;
		}
		if (moved < 1e-9 * (1 + f->a[2])) break;
	}
	for (f->sse = 0, c = 0; c < n; ++c) {
		double m = 0, d;
		for (j = 1; j <= J; ++j) m += f->a[j] * f->phi[(j - 1) * n + c];
		d = (double)f->h[f->lo + c] - m;
		f->sse += d * d;
	}
}

/* A true peak at q: a local maximum (over +-10%) above the lowest bin
 * between from and q by 10%. */
static int is_peak(const uint64_t *h, int hmax, int from, int q)
{
	int w = q / 10 > 1 ? q / 10 : 1, c;
	uint64_t lo = h[q];
	if (q <= 1 || q + w >= hmax) return 0;
	for (c = q - w; c <= q + w; ++c)
		if (h[c] > h[q]) return 0;
	for (c = from < q ? from : q; c < q; ++c)
		if (h[c] < lo) lo = h[c];
	return (double)h[q] > 1.1 * (double)lo;
}

/* The best fit over the (L, r) grid around L0: fills *bf (a, L, r, sse). */
static int fit_grid(const uint64_t *hist, int hmax, int t, double L0, fit_t *bf)
{
	static const double rs[] = { 2, 4, 8, 16, 32, 64, 256, 4096 };
	int J = (int)((hmax - 2) / (L0 * 1.25)), lo = t, hi, il, ir;
	double best = -1;
	fit_t f;
	if (J > JMAX) J = JMAX;
	if (J < 2) return DY_ENOKMER;
	hi = (int)((J + 0.5) * L0 * 1.25);
	if (hi > hmax - 1) hi = hmax - 1;
	if (hi - lo < 4) return DY_ENOKMER;
	memset(&f, 0, sizeof f);
	f.h = hist, f.lo = lo, f.hi = hi, f.J = J;
	if ((f.phi = (double *)malloc((size_t)J * (size_t)(hi - lo + 1) * sizeof *f.phi)) == NULL) return DY_ENOMEM;
	for (il = 0; il <= 50; ++il)
		for (ir = 0; ir < (int)(sizeof rs / sizeof rs[0]); ++ir) {
			f.L = L0 * (0.75 + 0.01 * il), f.r = rs[ir];
			fit_amp(&f);
			if (best < 0 || f.sse < best) {
				best = f.sse;
				*bf = f;
			}
		}
	free(f.phi);
	bf->phi = NULL;
	return DY_OK;
}

/* Hom share below which the tallest peak is taken for the homozygous one:
 * a haploid genome's two-copy repeats are a few percent of its k-mers. */
#define MIN_HOM_SHARE 0.15

int dy_profile_fit(const uint64_t *hist, int hmax, int k, int t, dy_profile_t *p)
{
	int c, peak = 0, q = 0, j, ra, rb;
	double occ = 0, below = 0, uniq, f1;
	fit_t fa, fb, *bf;
	memset(p, 0, sizeof *p);
	memset(&fa, 0, sizeof fa), memset(&fb, 0, sizeof fb);
	if (t < 1) t = 1;
	for (c = t; c < hmax; ++c)
		if (c >= 2 && (peak == 0 || hist[c] > hist[peak])) peak = c;
	if (peak < 2 || hist[peak] == 0 || peak + 2 >= hmax) return DY_ENOKMER;
	/* A: the tallest peak is heterozygous, the homozygous one at twice it;
	 * B: the tallest is homozygous, heterozygous k-mers (if any) at half */
	ra = fit_grid(hist, hmax, t, peak, &fa);
	rb = fit_grid(hist, hmax, t, peak / 2.0, &fb);
	if (ra == DY_ENOMEM || rb == DY_ENOMEM) return DY_ENOMEM;
	if (ra < 0 && rb < 0) return DY_ENOKMER;
	for (c = (int)(1.6 * peak); c <= (int)(2.4 * peak) && c < hmax; ++c)
		if (q == 0 || hist[c] > hist[q]) q = c;
	if (ra == DY_OK && ((q && is_peak(hist, hmax, peak, q) && 10 * hist[q] >= hist[peak]) ||
	                    fa.a[2] >= MIN_HOM_SHARE * fa.a[1] || rb < 0))
		bf = &fa, p->het_peak_seen = 1;
	else bf = &fb, p->het_peak_seen = fb.a[1] >= MIN_HOM_SHARE * fb.a[2];
	p->het_cov = bf->L, p->hom_cov = 2 * bf->L, p->nb_size = bf->r;
	for (j = 1; j <= bf->J; ++j) p->amp[j] = bf->a[j];
	p->n_comp = bf->J;
	/* occurrences of the genome: bins >= t, plus the model's mass below t */
	for (c = t; c <= hmax; ++c) occ += (double)c * (double)hist[c];
	for (c = 1; c < t; ++c)
		for (j = 1; j <= bf->J; ++j) below += c * bf->a[j] * exp(nb_logpmf(c, j * bf->L, j * bf->r));
	occ += below;
	p->genome_size = occ / (2 * bf->L);
	f1 = bf->a[1] + bf->a[2] > 0 ? (bf->a[1] / 2) / (bf->a[1] / 2 + bf->a[2]) : 0;
	p->het_rate = f1 > 0 && f1 < 1 ? 1 - pow(1 - f1, 1.0 / k) : 0;
	uniq = bf->a[1] * bf->L + bf->a[2] * 2 * bf->L;
	p->repeat_frac = occ > 0 && uniq < occ ? 1 - uniq / occ : 0;
	p->fit_ok = 1;
	return DY_OK;
}

int dy_profile_fit_period(const uint64_t *hist, int hmax, int k, int t, int period, dy_profile_t *p)
{
	const int d = period > 1 ? period : 1, hf = hmax / d;
	uint64_t *f;
	int c, r;
	if (d == 1) return dy_profile_fit(hist, hmax, k, t, p);
	memset(p, 0, sizeof *p);
	if ((f = (uint64_t *)calloc((size_t)hf + 1, sizeof *f)) == NULL) return DY_ENOMEM;
	for (c = 1; c <= hf; ++c) f[c] = hist[c * d];
	r = dy_profile_fit(f, hf, k, t / d, p);
	free(f);
	if (p->fit_ok) p->het_cov *= d, p->hom_cov *= d;   /* sizes and rates are the same */
	return r;
}

/* Genomic k-mers the fitted model expects at count c. */
static double model_at(const dy_profile_t *p, int c)
{
	double m = 0;
	int j;
	for (j = 1; j <= p->n_comp; ++j)
		m += p->amp[j] * exp(nb_logpmf(c, j * p->het_cov, j * p->nb_size));
	return m;
}

int dy_profile_threshold(const uint64_t *hist, int hmax, const dy_profile_t *p, int t, int step,
                         double w, double *lost, double *errs)
{
	double best = -1;
	int c, bt = t;
	*lost = *errs = 0;
	if (!p->fit_ok || t <= 2 || step < 1 || hmax <= t) return t;
	/* cost(u) = w x genomic k-mers below u (each a gap) + error k-mers kept at u..t-1 */
	for (c = t; c >= 2; c -= step) {
		double gl = 0, er = 0, cost;
		int q;
		for (q = 1; q < c; ++q) gl += model_at(p, q);
		for (q = c; q < t; ++q) {
			double e = (double)hist[q] - model_at(p, q);
			er += e > 0 ? e : 0;
		}
		cost = w * gl + er;
		if (best < 0 || cost < best) best = cost, bt = c, *lost = gl, *errs = er;
	}
	return bt;
}
