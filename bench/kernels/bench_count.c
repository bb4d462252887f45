/* bench_count -- the counting kernel alone (no I/O, no MPI): cut simulated
 * reads into super-k-mers, then count them with the reference counter and
 * with dy_ht_count_skm in the same run; report both as k-mers per second
 * and their ratio.  Validation first: the two tables must be identical
 * (size, capacity, every slot), else INVALID and no figure.
 *
 *   bench_count [GENOME_MB] [COVERAGE] [THREADS] [K] [REPEATS] [REF]   (default 2 30 2 31 3 1)
 *   REF 0 skips the reference (minutes at 5 Mb): no validation, UNVALIDATED
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <omp.h>
#include "dy_kern.h"
#include "dy_kern_ref.h"
#include "bench_util.h"

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
	return rng;
}

int main(int argc, char *argv[])
{
	size_t G = (size_t)((argc > 1 ? atof(argv[1]) : 2) * 1e6), L = 150, i, nr;
	double cov = argc > 2 ? atof(argv[2]) : 30, t, tref, tf[64];
	int T = argc > 3 ? atoi(argv[3]) : 2, k = argc > 4 ? atoi(argv[4]) : 31, R = argc > 5 ? atoi(argv[5]) : 3, r, with_ref = argc > 6 ? atoi(argv[6]) : 1;
	dy_kmer_opt_t o = { k, dy_mzr_default_m(k), 0 };
	dy_buf_t rec = { 0, 0, NULL };
	uint64_t nk = 0;
	char *g = malloc(G), read[160];
	dy_ht_t *ref, *h = NULL;
	if (g == NULL || R < 1 || R > 64) return 2;
	for (i = 0; i < G; ++i) g[i] = "ACGT"[rnd() & 3];
	nr = (size_t)(cov * G / L);
	for (i = 0; i < nr; ++i) {   /* 0.5% substitutions, like Illumina's worst case */
		size_t p = rnd() % (G - L), j;
		memcpy(read, g + p, L);
		for (j = 0; j < L; ++j)
			if (rnd() % 200 == 0) read[j] = "ACGT"[rnd() & 3];
		if (dy_skm_scan(&o, read, L, 1, &rec, &nk) < 0) return 2;
	}
	ref = dy_ht_init(k, o.m, 10);
	t = bench_now();
	if (with_ref && dy_ht_count_skm_ref(ref, rec.a, rec.n) < 0) return 2;
	tref = bench_now() - t;
	for (r = 0; r < R; ++r) {
		dy_ht_destroy(h);
		h = dy_ht_init(k, o.m, 10);
		t = bench_now();
		if (dy_ht_count_skm(h, rec.a, rec.n, T) < 0) return 2;
		tf[r] = bench_now() - t;
	}
	if (with_ref && !bench_same_table(ref, h)) {
		printf("INVALID: dy_ht_count_skm differs from the reference counter\n");
		return 1;
	}
	qsort(tf, R, sizeof *tf, bench_cmp_d);
	printf("count kernel, k=%d m=%d, %.1f Mb genome x %.0f, %llu k-mers in %.1f MiB of records, %zu distinct, %.1f bytes/k-mer: %s\n",
	       k, o.m, G / 1e6, cov, (unsigned long long)nk, rec.n / 1048576.0, dy_ht_size(h),
	       (double)dy_ht_bytes(h) / dy_ht_size(h), with_ref ? "VALID" : "UNVALIDATED (no reference)");
	if (with_ref) printf("reference (1 thread): %.2f s, %.1f M k-mers/s\n", tref, nk / tref / 1e6);
	printf("dy_ht_count_skm (%d threads), %d runs: min %.2f s, median %.2f s, max %.2f s; median %.1f M k-mers/s",
	       T, R, tf[0], tf[R / 2], tf[R - 1], nk / tf[R / 2] / 1e6);
	if (with_ref) printf(" = %.2fx the reference", tref / tf[R / 2]);
	printf("\n");
	dy_ht_destroy(h), dy_ht_destroy(ref);
	dy_buf_free(&rec);
	free(g);
	return 0;
}
