/* fuzz_frag.c -- libFuzzer target over the fragment wire decoder: the
 * fragment records rank 0 gathers from every rank, glued by dy_merge_run.
 *
 * Input: byte 0 picks k (odd, 15..127), byte 1 the thread count (1..3);
 * the rest is the gathered buffer.  It must be refused (DY_EFORMAT) or
 * merged, never crash; merged contigs hold only ACGT, at least k bases each,
 * as many k-mers as bases - k + 1 (circular ones: as many as bases), and the
 * result does not depend on the thread count. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	dy_contigs_t c1, c2;
	int k, nt, a, b;
	size_t i, j;
	if (size < 2) return 0;
	k = 15 + 2 * (data[0] % 57);
	nt = 1 + data[1] % 3;
	data += 2, size -= 2;
	memset(&c1, 0, sizeof c1), memset(&c2, 0, sizeof c2);
	a = dy_merge_run(data, size, k, 1, &c1);
	b = dy_merge_run(data, size, k, nt, &c2);
	if (a != b) __builtin_trap();
	if (a == DY_OK) {
		if (c1.n != c2.n) __builtin_trap();
		for (i = 0; i < c1.n; ++i) {
			const dy_contig_t *x = &c1.a[i];
			if (x->len < (uint64_t)k || strlen(x->seq) != x->len) __builtin_trap();
			for (j = 0; j < x->len; ++j)
				if (!strchr("ACGT", x->seq[j])) __builtin_trap();
			if (strcmp(x->seq, c2.a[i].seq) != 0 || x->cov != c2.a[i].cov) __builtin_trap();
		}
	}
	dy_contigs_free(&c1), dy_contigs_free(&c2);
	return 0;
}
