/* test_minimizer.c -- dy_mzr_kmer against a string-level brute force, and
 * strand-blindness of the value and the owner. */
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"

/* min over m-substrings of hash(lexicographically smaller strand) */
static uint64_t brute_mzr(const char *s, int k, int m)
{
	uint64_t best = UINT64_MAX;
	char f[32], r[32];
	int i;
	for (i = 0; i + m <= k; ++i) {
		uint64_t v;
		memcpy(f, s + i, m), f[m] = 0;
		dy_test_revcomp(f, m, r);
		v = dy_hash64((uint64_t)dy_test_encode(strcmp(f, r) < 0 ? f : r, m));
		if (v < best) best = v;
	}
	return best;
}

static int test_brute_force(void)
{
	static const int km[][2] = { {15, 7}, {21, 11}, {31, 15}, {31, 19}, {33, 17},
	                             {47, 31}, {63, 23}, {63, 31}, {15, 15}, {17, 1},
	                             {32, 15}, {32, 31}, {32, 1}, {33, 31}, {63, 1} };
	uint64_t seed = 7;
	char s[64], r[64];
	size_t t;
	int it, i;
	for (t = 0; t < sizeof km / sizeof km[0]; ++t) {
		dy_kmer_opt_t o = { km[t][0], km[t][1], 0 };
		for (it = 0; it < 3000; ++it) {
			dy_kmer_t x;
			uint64_t v;
			for (i = 0; i < o.k; ++i) s[i] = "ACGT"[dy_test_rand(&seed) & 3];
			s[o.k] = 0;
			x = dy_test_encode(s, o.k);
			v = dy_mzr_kmer(&o, x);
			DY_CHECK(v == brute_mzr(s, o.k, o.m));
			dy_test_revcomp(s, o.k, r);
			DY_CHECK(dy_mzr_kmer(&o, dy_test_encode(r, o.k)) == v); /* strand-blind */
			DY_CHECK(dy_mzr_kmer(&o, dy_kmer_canon(x, o.k)) == v);
			for (i = 1; i <= 64; i *= 4) {
				int w = dy_mzr_owner(v, i);
				DY_CHECK(w >= 0 && w < i);
			}
		}
	}
	return 0;
}

/* Wide k-mers: dy_mzr_kmerw against the same brute force, and equal to
 * dy_mzr_kmer where both apply. */
static int test_brute_force_wide(void)
{
	static const int km[][2] = { {65, 31}, {95, 7}, {99, 25}, {127, 31}, {127, 7}, {63, 31}, {31, 15} };
	uint64_t seed = 17;
	char s[DY_KMAX + 1], r[DY_KMAX + 1];
	size_t t;
	int it, i;
	for (t = 0; t < sizeof km / sizeof km[0]; ++t) {
		dy_kmer_opt_t o = { km[t][0], km[t][1], 0 };
		for (it = 0; it < 1000; ++it) {
			dy_kmerw_t x = { 0, 0 }, y = { 0, 0 }, m = dy_kmerw_mask(o.k);
			uint64_t v;
			for (i = 0; i < o.k; ++i) s[i] = "ACGT"[dy_test_rand(&seed) & 3];
			s[o.k] = 0;
			dy_test_revcomp(s, o.k, r);
			for (i = 0; i < o.k; ++i) x = dy_kmerw_push(x, dy_nt4_table[(uint8_t)s[i]], m);
			for (i = 0; i < o.k; ++i) y = dy_kmerw_push(y, dy_nt4_table[(uint8_t)r[i]], m);
			v = dy_mzr_kmerw(&o, x);
			DY_CHECK(v == brute_mzr(s, o.k, o.m) && dy_mzr_kmerw(&o, y) == v);
			if (o.k <= DY_KNARROW) DY_CHECK(dy_mzr_kmer(&o, dy_test_encode(s, o.k)) == v);
		}
	}
	return 0;
}

/* Owners spread over ranks: no rank is starved for random k-mers. */
static int test_owner_spread(void)
{
	dy_kmer_opt_t o = { 31, 19, 0 };
	uint64_t seed = 8, n[7] = {0};
	int it, r;
	for (it = 0; it < 7000; ++it) {
		dy_kmer_t x = ((dy_kmer_t)dy_test_rand(&seed) << 64 | dy_test_rand(&seed)) & dy_kmer_mask(31);
		++n[dy_mzr_owner(dy_mzr_kmer(&o, x), 7)];
	}
	for (r = 0; r < 7; ++r) DY_CHECK(n[r] > 700 && n[r] < 1300);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_brute_force, nfail);
	DY_RUN(test_brute_force_wide, nfail);
	DY_RUN(test_owner_spread, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
