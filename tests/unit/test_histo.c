/* test_histo.c -- histogram fill against known counts, and the automatic
 * threshold on synthetic spectra (kernels/histo.c states the rule). */
#include <math.h>
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"

#define HMAX 200

/* k-mer i gets count 1 + i % 257 (some beyond hmax); brute-force bins. */
static int test_fill(void)
{
	dy_ht_t *h = dy_ht_init(21, 0, 3);
	uint64_t want[HMAX + 1], got[HMAX + 1], seed = 5;
	int i, c, t;
	DY_CHECK(h);
	memset(want, 0, sizeof want);
	for (i = 0; i < 3000; ++i) {
		dy_kmer_t x = dy_kmer_canon(((dy_kmer_t)dy_test_rand(&seed)) & dy_kmer_mask(21), 21);
		int cnt = 1 + i % 257;
		if (dy_ht_find(h, x) >= 0) continue; /* keep counts exact */
		for (c = 0; c < cnt; ++c) DY_CHECK(dy_ht_add(h, x, -1, -1) == DY_OK);
		++want[cnt >= HMAX ? HMAX : cnt];
	}
	for (t = 1; t <= 3; ++t) {
		memset(got, 0xFF, sizeof got); /* overwritten, hist[0] included */
		dy_histo_fill(h, got, HMAX, t);
		DY_CHECK(memcmp(got, want, sizeof want) == 0);
	}
	got[0] = got[1] = 7;
	dy_histo_fill(h, got, 1, 2); /* one bin holds everything */
	DY_CHECK(got[0] == 0 && got[1] == dy_ht_size(h));
	dy_ht_destroy(h);
	return 0;
}

/* Spectrum: an error tail e*q^(c-1), plus normal peaks (height, mean). */
static void spectrum(uint64_t *hist, double e, double q, int n_peaks, const double *hgt, const double *mean)
{
	int c, i;
	hist[0] = 0;
	for (c = 1; c <= HMAX; ++c) {
		double v = e * pow(q, c - 1);
		for (i = 0; i < n_peaks; ++i) {
			double z = (c - mean[i]) / (0.35 * mean[i]);
			v += hgt[i] * exp(-0.5 * z * z);
		}
		hist[c] = (uint64_t)v;
	}
}

/* Brute force of "first valley": first local minimum from c = 1. */
static int first_local_min(const uint64_t *hist)
{
	int c;
	for (c = 1; c < HMAX && hist[c] > hist[c + 1]; ++c) {}
	return c;
}

static int test_empty(void)
{
	uint64_t hist[HMAX + 1];
	memset(hist, 0, sizeof hist);
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	DY_CHECK(dy_histo_threshold(hist, 1) == 1);
	DY_CHECK(dy_histo_threshold(hist, 2) == 1);
	return 0;
}

/* Error-free reads of a linear genome: a few count-1/2 k-mers at the ends. */
static int test_error_free(void)
{
	uint64_t hist[HMAX + 1];
	double h = 5000, mu = 40;
	spectrum(hist, 0, 0, 1, &h, &mu);
	hist[1] = 2, hist[2] = 3, hist[3] = 2;
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	hist[1] = 400; /* still far below the peak */
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	return 0;
}

static int test_errors(void)
{
	static const double cov[] = { 20, 40, 80 };
	uint64_t hist[HMAX + 1];
	size_t i;
	for (i = 0; i < 3; ++i) {
		double h = 1e5, mu = cov[i];
		int t;
		spectrum(hist, 2e6, 0.08, 1, &h, &mu); /* ~1% errors: huge count-1 bin */
		t = dy_histo_threshold(hist, HMAX);
		DY_CHECK(t == first_local_min(hist));
		DY_CHECK(t >= 2 && t <= 8);
	}
	return 0;
}

/* Piecewise-linear spectrum through the knots (c, value), 0 beyond. */
static void knots(uint64_t *hist, const int *c, const double *v, int n)
{
	int i, x;
	memset(hist, 0, (HMAX + 1) * sizeof *hist);
	for (i = 0; i + 1 < n; ++i)
		for (x = c[i]; x <= c[i + 1]; ++x)
			hist[x] = (uint64_t)(v[i] + (v[i + 1] - v[i]) * (x - c[i]) / (c[i + 1] - c[i]));
}

/* Heterozygous: peaks at c/2 and c.  Whichever is higher, the threshold is
 * the error valley, never the dip between the two peaks. */
static int test_heterozygous(void)
{
	static const int kc[] = { 1, 2, 3, 5, 15, 22, 30, 60 };
	static const double kv[] = { 1e6, 2e5, 5e4, 1.2e4, 3e4, 5e3, 1e5, 0 };
	uint64_t hist[HMAX + 1];
	double h1[2] = { 1.5e5, 1e5 }, mu[2] = { 30, 60 };
	int t, c, lo = 1;
	spectrum(hist, 2e6, 0.1, 2, h1, mu); /* het peak higher */
	t = dy_histo_threshold(hist, HMAX);
	DY_CHECK(t >= 2 && t <= 10 && t == first_local_min(hist));
	knots(hist, kc, kv, 8); /* hom peak main, dip at 22 deeper than the valley at 5 */
	for (c = 1; c <= 30; ++c) if (hist[c] < hist[lo]) lo = c;
	DY_CHECK(lo == 22); /* the argmin rule would cut there ... */
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 5); /* ... the first valley does not */
	spectrum(hist, 0, 0, 2, h1, mu); /* error-free diploid: keep everything */
	hist[1] = 10;
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	return 0;
}

/* No valley (falls all the way), and a huge last bin that is no peak. */
static int test_degenerate(void)
{
	uint64_t hist[HMAX + 1];
	double h = 1e5, mu = 40;
	int c;
	for (c = 0; c <= HMAX; ++c) hist[c] = c ? 1000000 / c : 0;
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	spectrum(hist, 2e6, 0.08, 1, &h, &mu);
	hist[HMAX] = 1e9;
	DY_CHECK(dy_histo_threshold(hist, HMAX) == first_local_min(hist));
	memset(hist, 0, sizeof hist);
	hist[1] = 100, hist[2] = 100, hist[3] = 100; /* flat: no valley */
	DY_CHECK(dy_histo_threshold(hist, HMAX) == 1);
	return 0;
}

/* Spectra from counted reads: 40x of a 50 kb linear genome, 100 bp reads,
 * substitution errors at err_per_mille; returns the threshold. */
static int simulated_threshold_x(int err_per_mille, uint64_t seed, int times, dy_thresh_t *th)
{
	enum { G = 50000, L = 100, N = G * 40 / L };
	dy_kmer_opt_t o = { 31, 19, 0 };
	dy_ht_t *h = dy_ht_init(31, 0, 6);
	dy_buf_t d = {0, 0, NULL};
	uint64_t hist[HMAX + 1];
	char *g = malloc(G), r[L];
	int i, j, t = -1;
	if (!h || !g) goto end;
	for (i = 0; i < G; ++i) g[i] = "ACGT"[dy_test_rand(&seed) & 3];
	for (i = 0; i < N; ++i) {
		int pos = (int)(dy_test_rand(&seed) % (G - L + 1)), rc = dy_test_rand(&seed) & 1;
		for (j = 0; j < L; ++j) {
			int b = dy_nt4_table[(uint8_t)g[pos + j]];
			if (dy_test_rand(&seed) % 1000 < (uint64_t)err_per_mille) b = (b + 1 + dy_test_rand(&seed) % 3) & 3;
			r[rc ? L - 1 - j : j] = "ACGT"[rc ? 3 - b : b];
		}
		for (j = 0; j < times; ++j)
			if (dy_skm_scan(&o, r, L, 1, &d, NULL) < 0) goto end;
	}
	if (dy_ht_count_skm(h, d.a, d.n, 2) < 0) goto end;
	dy_histo_fill(h, hist, HMAX, 2);
	t = dy_histo_threshold_ex(hist, HMAX, th);
end:
	dy_ht_destroy(h), dy_buf_free(&d), free(g);
	return t;
}

static int simulated_threshold(int err_per_mille, uint64_t seed)
{
	dy_thresh_t th;
	return simulated_threshold_x(err_per_mille, seed, 1, &th);
}

/* Every read given 2 or 3 times: every count a multiple of 2 or 3; the
 * threshold scales with it (the plain first valley would fall to 1). */
static int test_repeated_reads(void)
{
	dy_thresh_t th1, th2, th3;
	int t1 = simulated_threshold_x(5, 71, 1, &th1);
	int t2 = simulated_threshold_x(5, 71, 2, &th2);
	int t3 = simulated_threshold_x(5, 71, 3, &th3);
	DY_CHECK(t1 >= 2 && th1.period == 1 && !(th1.warn & DY_TH_WPERIOD));
	DY_CHECK(t2 == 2 * t1 && th2.period == 2 && (th2.warn & DY_TH_WPERIOD));
	DY_CHECK(t3 == 3 * t1 && th3.period == 3 && (th3.warn & DY_TH_WPERIOD));
	DY_CHECK(th2.peak > 2 * t2 && th2.how != NULL);
	return 0;
}

static int test_simulated(void)
{
	int t0 = simulated_threshold(0, 61), t1 = simulated_threshold(1, 62);
	int t5 = simulated_threshold(5, 63), t10 = simulated_threshold(10, 64);
	DY_CHECK(t0 == 1); /* the genome ends (count 1, 2, ...) survive */
	DY_CHECK(t1 >= 2 && t1 <= 6);
	DY_CHECK(t5 >= 2 && t5 <= 6);
	DY_CHECK(t10 >= 2 && t10 <= 6);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_fill, nfail);
	DY_RUN(test_empty, nfail);
	DY_RUN(test_error_free, nfail);
	DY_RUN(test_errors, nfail);
	DY_RUN(test_heterozygous, nfail);
	DY_RUN(test_degenerate, nfail);
	DY_RUN(test_simulated, nfail);
	DY_RUN(test_repeated_reads, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
