/* example.c -- the smallest use of the library API (built and run by
 * `make check`): options, then the kernels on one read, no MPI. */
#include <stdio.h>
#include <string.h>
#include "dactyl.h"
#include "dy_kern.h"

int main(void)
{
	const char *read = "ACGTTGCAAGGCTTAGCCATGACGTACGATCGATCGGGATCCATGCAAGTCCGTAGCTAGGCTTAAC";
	dy_opt_t o;
	dy_buf_t dest[1] = { { 0, 0, NULL } };
	dy_ht_t *h;
	uint64_t nk = 0, hist[17];
	char msg[256];
	int st;
	dy_opt_init(&o);
	o.io.n_in = 1;                     /* dy_opt_check wants an input */
	o.kmer.k = 21;
	if ((st = dy_opt_check(&o, msg, sizeof msg)) < 0) { fprintf(stderr, "%s\n", msg); return 1; }
	/* one rank: every super-k-mer goes to dest[0] */
	if ((st = dy_skm_scan(&o.kmer, read, strlen(read), 1, dest, &nk)) < 0) return 1;
	if ((h = dy_ht_init(o.kmer.k, o.kmer.m, 2)) == NULL) return 1;
	if ((st = dy_ht_count_skm(h, dest[0].a, dest[0].n, 1)) < 0) return 1;
	dy_histo_fill(h, hist, 16, 1);
	printf("%llu k-mers, %zu distinct, %llu seen once\n", (unsigned long long)nk, dy_ht_size(h),
	       (unsigned long long)hist[1]);
	st = nk == strlen(read) - 20 && dy_ht_size(h) == nk && hist[1] == nk ? 0 : 1;
	dy_ht_destroy(h);
	dy_buf_free(&dest[0]);
	return st;
}
