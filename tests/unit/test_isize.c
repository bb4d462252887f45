/* test_isize.c -- read pairs placed on contigs (kernels/isize.c) against
 * the truth of their construction: pairs cut from a random genome at known
 * fragment starts and lengths, with and without substitutions, on contigs
 * held in either orientation, FR and RF layouts, mates in either order;
 * a read inside a repeat that two contigs share is not placed; and the
 * summary's percentiles, bounds and histogram against a direct count. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"

#define GLEN 30000
#define RLEN 100

static char genome[GLEN + 1];

static void rand_seq(char *s, size_t n, uint64_t *seed)
{
	size_t i;
	for (i = 0; i < n; ++i) s[i] = "ACGT"[dy_test_rand(seed) & 3];
	s[n] = 0;
}

/* Contigs: genome[0, 12000) as is, genome[12000, 30000) reverse-complemented
 * (contigs come in canonical orientation, either strand of the genome), and
 * a third that repeats genome[2000, 3000) between random flanks. */
static int make_contigs(dy_contigs_t *cs, uint64_t *seed)
{
	cs->n = 3;
	cs->a = (dy_contig_t *)calloc(3, sizeof *cs->a);
	if (cs->a == NULL) return -1;
	cs->a[0].len = 12000, cs->a[0].seq = (char *)malloc(12001);
	cs->a[1].len = 18000, cs->a[1].seq = (char *)malloc(18001);
	cs->a[2].len = 3000, cs->a[2].seq = (char *)malloc(3001);
	if (!cs->a[0].seq || !cs->a[1].seq || !cs->a[2].seq) return -1;
	memcpy(cs->a[0].seq, genome, 12000), cs->a[0].seq[12000] = 0;
	dy_test_revcomp(genome + 12000, 18000, cs->a[1].seq);
	rand_seq(cs->a[2].seq, 1000, seed);
	memcpy(cs->a[2].seq + 1000, genome + 2000, 1000);
	rand_seq(cs->a[2].seq + 2000, 1000, seed);
	return 0;
}

/* A mate: genome[beg, beg + RLEN), reverse-complemented if rev, with
 * substitutions at rate err (per 1000). */
static void mate(char *out, size_t beg, int rev, unsigned err, uint64_t *seed)
{
	size_t i;
	if (rev) dy_test_revcomp(genome + beg, RLEN, out);
	else memcpy(out, genome + beg, RLEN), out[RLEN] = 0;
	for (i = 0; i < RLEN; ++i)
		if (dy_test_rand(seed) % 1000 < err) out[i] = "ACGT"[(strchr("ACGT", out[i]) - "ACGT" + 1 + (int)(dy_test_rand(seed) % 3)) & 3];
}

static int test_pairs(void)
{
	uint64_t seed = 7;
	dy_contigs_t cs;
	dy_cix_t ix;
	int layout, n_ok = 0, n_try = 0;
	memset(&cs, 0, sizeof cs);
	rand_seq(genome, GLEN, &seed);
	DY_CHECK(make_contigs(&cs, &seed) == 0);
	DY_CHECK(dy_cix_build(&cs, 31, 3, 0, 2, &ix) == DY_OK);
	DY_CHECK(ix.n > 0 && ix.n < 30000 / 4);
	for (layout = 0; layout < 2; ++layout) {   /* FR, then RF */
		int t;
		for (t = 0; t < 400; ++t) {
			char m1[RLEN + 1], m2[RLEN + 1];
			dy_place_t p1, p2;
			int64_t ins = -1;
			size_t I = 150 + dy_test_rand(&seed) % 600, s;
			int contig = (int)(dy_test_rand(&seed) & 1), swap = (int)(dy_test_rand(&seed) & 1), ori;
			unsigned err = t % 2 ? 20 : 0;
			/* a fragment inside one contig's stretch of the genome, away from the repeat */
			size_t lo = contig ? 12000 : 3100, hi = contig ? GLEN : 12000;
			s = lo + dy_test_rand(&seed) % (hi - lo - I);
			if (layout == 0) mate(m1, s, 0, err, &seed), mate(m2, s + I - RLEN, 1, err, &seed);
			else mate(m1, s, 1, err, &seed), mate(m2, s + I - RLEN, 0, err, &seed);
			if (swap) { char x[RLEN + 1]; memcpy(x, m1, sizeof x), memcpy(m1, m2, sizeof x), memcpy(m2, x, sizeof x); }
			++n_try;
			if (!dy_cix_place(&ix, m1, RLEN, &p1) || !dy_cix_place(&ix, m2, RLEN, &p2)) continue;
			DY_CHECK(p1.ctg == contig && p2.ctg == contig);
			ori = dy_isize_pair(&p1, RLEN, &p2, RLEN, &ins);
			/* RF mates facing away with I <= 2 RLEN overlap as an FR pair would */
			if (layout == 1 && I <= 2 * RLEN) continue;
			if (ori != (layout == 0 ? DY_ORI_FR : DY_ORI_RF) || ins != (int64_t)I) {
				fprintf(stderr, "layout %d contig %d I %zu s %zu swap %d: ori %d ins %lld\n", layout, contig, I, s,
				        swap, ori, (long long)ins);
				return 1;
			}
			++n_ok;
		}
	}
	/* nearly every pair is placed: 70 k-mers a read, 1 in 8 indexed */
	DY_CHECK(n_ok > n_try * 8 / 10);
	{	/* a read inside the repeat (genome[2000, 3000), also in contig 2) names no place */
		char m[RLEN + 1];
		dy_place_t p;
		mate(m, 2400, 0, 0, &seed);
		DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 0 && p.ctg == -1);
		/* one across the repeat's edge is placed by its unique half, on contig 0 */
		mate(m, 2950, 1, 0, &seed);
		DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 1 && p.ctg == 0 && p.beg == 2950 && p.rev == 1);
		/* a chimera of two contigs is not placed */
		memcpy(m, genome + 5000, RLEN / 2), memcpy(m + RLEN / 2, genome + 20000, RLEN / 2);
		DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 0);
		/* a read that runs into other sequence (an adapter with a contig of its
		 * own): placed by its larger part, where that part says it starts */
		memcpy(m, genome + 20000, 35), memcpy(m + 35, genome + 6000, RLEN - 35), m[RLEN] = 0;
		DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 1 && p.ctg == 0 && p.beg == 6000 - 35 && p.rev == 0);
		/* a pair on two contigs, or on one strand, gives no FR/RF insert */
		{
			dy_place_t a = { 0, 100, 0, 1 }, b = { 1, 300, 1, 1 }, c = { 0, 300, 0, 1 };
			int64_t v;
			DY_CHECK(dy_isize_pair(&a, RLEN, &b, RLEN, &v) < 0);
			DY_CHECK(dy_isize_pair(&a, RLEN, &c, RLEN, &v) == DY_ORI_FF);
		}
	}
	dy_cix_free(&ix);
	dy_contigs_free(&cs);
	return 0;
}

/* A contig far above the median coverage (a collapsed repeat, an adapter)
 * is left out of the index with max_cov, kept without. */
static int test_cov_cap(void)
{
	uint64_t seed = 11;
	dy_contigs_t cs;
	dy_cix_t ix;
	dy_place_t p;
	char m[RLEN + 1];
	int c;
	memset(&cs, 0, sizeof cs);
	rand_seq(genome, GLEN, &seed);
	DY_CHECK(make_contigs(&cs, &seed) == 0);
	for (c = 0; c < 3; ++c) cs.a[c].n_kmers = cs.a[c].len - 30, cs.a[c].cov = cs.a[c].n_kmers * (c == 2 ? 200 : 20);
	memcpy(m, cs.a[2].seq + 100, RLEN), m[RLEN] = 0;   /* from contig 2's own flank */
	DY_CHECK(dy_cix_build(&cs, 31, 2, 0, 1, &ix) == DY_OK);
	DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 1 && p.ctg == 2 && p.beg == 100);
	dy_cix_free(&ix);
	DY_CHECK(dy_cix_build(&cs, 31, 2, 4.0, 1, &ix) == DY_OK);
	DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 0);
	memcpy(m, genome + 7000, RLEN);   /* contig 0, at the median: still there */
	DY_CHECK(dy_cix_place(&ix, m, RLEN, &p) == 1 && p.ctg == 0 && p.beg == 7000);
	dy_cix_free(&ix);
	dy_contigs_free(&cs);
	return 0;
}

/* Index the same contigs with 1 and 4 threads: the same entries. */
static int test_threads(void)
{
	uint64_t seed = 9;
	dy_contigs_t cs;
	dy_cix_t a, b;
	memset(&cs, 0, sizeof cs);
	rand_seq(genome, GLEN, &seed);
	DY_CHECK(make_contigs(&cs, &seed) == 0);
	DY_CHECK(dy_cix_build(&cs, 25, 2, 0, 1, &a) == DY_OK && dy_cix_build(&cs, 25, 2, 0, 4, &b) == DY_OK);
	DY_CHECK(a.n == b.n && a.n > 0 && memcmp(a.a, b.a, a.n * sizeof *a.a) == 0);
	dy_cix_free(&a), dy_cix_free(&b);
	dy_contigs_free(&cs);
	return 0;
}

static int test_summary(void)
{
	int64_t v[1000], c[1000];
	dy_isize_dist_t d;
	uint64_t sum = 0, b, seed = 3;
	size_t i, n = 1000, in = 0;
	for (i = 0; i < n; ++i) v[i] = 300 + (int64_t)(dy_test_rand(&seed) % 201);   /* 300..500 */
	v[0] = 5, v[1] = 100000;   /* outliers */
	memcpy(c, v, sizeof v);
	dy_isize_summary(v, n, &d);
	for (i = 0; i + 1 < n; ++i) DY_CHECK(v[i] <= v[i + 1]);
	/* nearest rank: at least p of the values at or below, fewer below */
	{
		const double q[5] = { 0.05, 0.25, 0.5, 0.75, 0.95 };
		const int64_t got[5] = { d.p5, d.p25, d.p50, d.p75, d.p95 };
		int j;
		for (j = 0; j < 5; ++j) {
			size_t le = 0, lt = 0;
			for (i = 0; i < n; ++i) le += c[i] <= got[j], lt += c[i] < got[j];
			DY_CHECK((double)le >= q[j] * (double)n && (double)lt < q[j] * (double)n);
		}
	}
	DY_CHECK(d.p50 >= 390 && d.p50 <= 410);
	DY_CHECK(d.lo == (d.p25 - 2 * (d.p75 - d.p25) < 1 ? 1 : d.p25 - 2 * (d.p75 - d.p25)));
	DY_CHECK(d.hi == d.p75 + 2 * (d.p75 - d.p25));
	for (i = 0; i < n; ++i) in += c[i] >= d.lo && c[i] <= d.hi;
	DY_CHECK(d.n_used == in && in == n - 2);   /* both outliers out, the rest in */
	for (b = 0; b < d.n_bins; ++b) sum += d.hist[b];
	DY_CHECK(sum == d.n_used && d.n_bins <= DY_ISIZE_BINS && d.from <= 300 && d.from + (int64_t)d.n_bins * d.bin > 500);
	DY_CHECK(d.mean > 390 && d.mean < 410 && d.sd > 50 && d.sd < 65);   /* uniform on 201 values: sd 58 */
	dy_isize_summary(v, 0, &d);
	DY_CHECK(d.n_used == 0 && d.n_bins == 0);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_pairs, nfail);
	DY_RUN(test_threads, nfail);
	DY_RUN(test_cov_cap, nfail);
	DY_RUN(test_summary, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
