/* test_thread.c -- short repeats resolved by the reads that span them.
 *
 * Two sequences A and B share a 40 bp segment (a short repeat, k = 31): the
 * graph has an X junction there and four contigs.  Reads from A and B that
 * span the shared segment pair each way in with its way out: the junction
 * is split and A and B come back whole.  Reads too short to span it, or
 * reads that cross (chimeric pairs as often as true ones), leave the graph
 * as it was. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "graph_oracle.h"

#define K 31

/* Every read of length rl starting every step bases of s, both strands. */
static void tile(const char *s, size_t rl, size_t step, char ***reads, size_t *n, size_t *m)
{
	size_t len = strlen(s), i;
	for (i = 0; i + rl <= len; i += step) {
		if (*n + 2 > *m) *m = *m ? 2 * *m : 256, *reads = (char **)realloc(*reads, *m * sizeof **reads);
		(*reads)[*n] = strndup(s + i, rl);
		(*reads)[*n + 1] = (char *)malloc(rl + 1);
		orc_revcomp(s + i, rl, (*reads)[*n + 1]);
		*n += 2;
	}
}

/* Build the graph of A and B, vote with the reads, resolve, and return the
 * contigs of the compacted graph; *split = junctions split. */
static int run(const char *A, const char *B, char **reads, size_t nr, uint32_t min_reads,
               dy_contigs_t *out, uint64_t *split, size_t *n_junc)
{
	hap_t h[2] = { { A, 10 }, { B, 10 } };
	dy_contigs_t raw;
	dy_graph_t g;
	dy_junc_t j;
	dy_junc_stats_t js;
	uint8_t *scr = (uint8_t *)malloc(1000);
	size_t i;
	if (oracle_contigs(h, 2, K, &raw) < 0 || dy_graph_from_contigs(&raw, K, 1, &g) != DY_OK) return -1;
	dy_contigs_free(&raw);
	if (dy_junc_select(&g, 148, &j) != DY_OK || dy_junc_index(&j) != DY_OK) return -1;
	*n_junc = j.n;
	for (i = 0; i < nr; ++i) dy_junc_scan(&j, reads[i], strlen(reads[i]), scr, j.votes);
	if (dy_junc_resolve(&g, &j, min_reads, &js) != DY_OK) return -1;
	*split = js.split;
	if (dy_graph_compact(&g, NULL, 2, NULL) != DY_OK) return -1;
	if (dy_graph_to_contigs(&g, 2, out, NULL, NULL) != DY_OK) return -1;
	dy_junc_free(&j), dy_graph_free(&g), free(scr);
	return 0;
}

static int has(const dy_contigs_t *c, const char *s)
{
	size_t i, n = strlen(s);
	char *r = (char *)malloc(n + 1);
	int f = 0;
	orc_revcomp(s, n, r);
	for (i = 0; i < c->n; ++i) f |= strcmp(c->a[i].seq, s) == 0 || strcmp(c->a[i].seq, r) == 0;
	free(r);
	return f;
}

static void free_reads(char **r, size_t n)
{
	size_t i;
	for (i = 0; i < n; ++i) free(r[i]);
	free(r);
}

static int test_x_junction(void)
{
	uint64_t seed = 501;
	char *A = orc_random_seq(1000, &seed), *B = orc_random_seq(1000, &seed), **reads = NULL;
	size_t nr = 0, mr = 0, nj;
	uint64_t split;
	dy_contigs_t c;
	memcpy(B + 480, A + 480, 40);   /* the shared 40 bp: 10 k-mers in both */
	tile(A, 150, 7, &reads, &nr, &mr), tile(B, 150, 7, &reads, &nr, &mr);
	DY_CHECK(run(A, B, reads, nr, 2, &c, &split, &nj) == 0);
	DY_CHECK(nj == 1 && split == 1);
	DY_CHECK(c.n == 2 && has(&c, A) && has(&c, B));
	dy_contigs_free(&c);
	/* the same at a threshold no pair reaches: nothing split, four contigs and the junction */
	DY_CHECK(run(A, B, reads, nr, 1000, &c, &split, &nj) == 0 && split == 0 && c.n == 5);
	dy_contigs_free(&c);
	free_reads(reads, nr);
	/* reads of 41 bp cannot hold the 40 bp junction and a base on each
	 * side: no vote, no split */
	reads = NULL, nr = mr = 0;
	tile(A, 41, 1, &reads, &nr, &mr), tile(B, 41, 1, &reads, &nr, &mr);
	DY_CHECK(run(A, B, reads, nr, 2, &c, &split, &nj) == 0 && split == 0 && c.n == 5);
	dy_contigs_free(&c);
	free_reads(reads, nr);
	/* chimeric reads (A's left with B's right) as often as true ones: crossed */
	reads = NULL, nr = mr = 0;
	{
		char *AB = (char *)malloc(1001), *BA = (char *)malloc(1001);
		memcpy(AB, A, 500), memcpy(AB + 500, B + 500, 501);
		memcpy(BA, B, 500), memcpy(BA + 500, A + 500, 501);
		tile(A, 150, 7, &reads, &nr, &mr), tile(B, 150, 7, &reads, &nr, &mr);
		tile(AB, 150, 7, &reads, &nr, &mr), tile(BA, 150, 7, &reads, &nr, &mr);
		DY_CHECK(run(A, B, reads, nr, 2, &c, &split, &nj) == 0 && split == 0 && c.n == 5);
		dy_contigs_free(&c);
		free(AB), free(BA);
	}
	free_reads(reads, nr);
	free(A), free(B);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_x_junction, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
