/* test_graph.c -- the assembly graph and its cleaning on synthetic graphs.
 *
 * Each graph is made by the string oracle (dbg_oracle.h) from haplotype
 * sequences given with a coverage (every sequence added that many times):
 * its unitigs, coverage sums and end masks (solid (k+1)-mers, by string)
 * are the input; nothing of dactyl's counting, compaction or merge is used.
 * Then the graph is built, cleaned to the end, and its contigs compared
 * with what a user expects: a tip and an error bubble vanish, a SNP, an
 * indel and a chain of SNPs closer than k fold into one allele, and two
 * copies of a repeat at full coverage are never folded. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "graph_oracle.h"

#define K 31

static void default_opt(dy_graph_opt_t *o)
{
	memset(o, 0, sizeof *o);
	o->clean = 1, o->max_rounds = 10, o->tip_len = 2.0, o->tip_ratio = 0.5;
	o->bubble_len = 8.0, o->bubble_cov = 1.5, o->bubble_ident = 0.8;
	o->err_ratio = 0.2, o->low_ratio = 0.2;
}

/* Build, clean (rounds until nothing changes) and return the contigs. */
static int clean_haps(const hap_t *h, int nh, double hom, int clean, dy_contigs_t *out,
                      dy_popset_t *pop, int n_threads)
{
	dy_contigs_t raw;
	dy_graph_t g;
	dy_graph_opt_t o;
	int r;
	uint64_t n;
	default_opt(&o);
	if (oracle_contigs(h, nh, K, &raw) < 0) return -1;
	if (dy_graph_from_contigs(&raw, K, n_threads, &g) != DY_OK) return -1;
	dy_contigs_free(&raw);
	if (g.n_dangling) return -1;
	for (r = 0; clean && r < o.max_rounds; ++r) {
		if (dy_clean_round(&g, &o, hom, n_threads, pop, NULL, &n) != DY_OK) return -1;
		if (n == 0) break;
	}
	if (dy_graph_to_contigs(&g, n_threads, out, NULL, NULL) != DY_OK) return -1;
	dy_graph_free(&g);
	return 0;
}

/* canonical copy (the smaller strand), for comparisons */
static char *canon_dup(const char *s)
{
	size_t n = strlen(s);
	char *r = (char *)malloc(n + 1);
	orc_revcomp(s, n, r);
	if (strcmp(s, r) < 0) memcpy(r, s, n + 1);
	return r;
}

static int is_one_contig(const dy_contigs_t *c, const char *want)
{
	char *w = canon_dup(want);
	int ok = c->n == 1 && strcmp(c->a[0].seq, w) == 0;
	if (!ok) {
		size_t i;
		fprintf(stderr, "  expected 1 contig of %zu bp, got %zu:", strlen(want), c->n);
		for (i = 0; i < c->n && i < 8; ++i) fprintf(stderr, " %llu", (unsigned long long)c->a[i].len);
		fprintf(stderr, "\n");
	}
	free(w);
	return ok;
}

static char *mutate(const char *s, size_t pos, char to)
{
	char *t = strdup(s);
	t[pos] = to != t[pos] ? to : (to == 'A' ? 'C' : 'A');
	return t;
}

static char *delete(const char *s, size_t pos, size_t n)
{
	size_t len = strlen(s);
	char *t = (char *)malloc(len + 1);
	memcpy(t, s, pos), memcpy(t + pos, s + pos + n, len - pos - n + 1);
	return t;
}

static char other(char c) { return c == 'A' ? 'G' : c == 'C' ? 'T' : c == 'G' ? 'A' : 'C'; }

/* A tip: an error near the end of a read, seen twice, hangs off the genome. */
static int test_tip(void)
{
	uint64_t seed = 101;
	char *G = orc_random_seq(2000, &seed), *e = strndup(G + 500, 45);
	hap_t h[2];
	dy_contigs_t c;
	e[40] = other(e[40]);
	h[0].seq = G, h[0].cov = 20, h[1].seq = e, h[1].cov = 2;
	DY_CHECK(clean_haps(h, 2, 20, 0, &c, NULL, 1) == 0 && c.n == 3);  /* raw: split at the tip */
	dy_contigs_free(&c);
	DY_CHECK(clean_haps(h, 2, 20, 1, &c, NULL, 2) == 0 && is_one_contig(&c, G));
	dy_contigs_free(&c);
	free(G), free(e);
	return 0;
}

/* An error in the middle of two reads: a bubble whose weak arm is an error,
 * popped whatever the homozygous coverage (even unknown). */
static int test_error_bubble(void)
{
	uint64_t seed = 102;
	char *G = orc_random_seq(2000, &seed), *e = strndup(G + 900, 200);
	hap_t h[2];
	dy_contigs_t c;
	dy_popset_t pop = { 0, 0, NULL };
	e[100] = other(e[100]);
	h[0].seq = G, h[0].cov = 20, h[1].seq = e, h[1].cov = 2;
	DY_CHECK(clean_haps(h, 2, 0, 1, &c, &pop, 1) == 0 && is_one_contig(&c, G));
	DY_CHECK(pop.n == 1 && pop.a[0].kind == DY_POP_ERROR && pop.a[0].host == 0);
	dy_contigs_free(&c), dy_popset_free(&pop);
	free(G), free(e);
	return 0;
}

/* A heterozygous SNP (two haplotypes at half coverage each): one contig,
 * the better covered allele, and the other arm in the popped set. */
static int test_snp(void)
{
	uint64_t seed = 103;
	char *G = orc_random_seq(3000, &seed), *H = mutate(G, 1500, 'T');
	hap_t h[2];
	dy_contigs_t c;
	dy_popset_t pop = { 0, 0, NULL };
	h[0].seq = G, h[0].cov = 11, h[1].seq = H, h[1].cov = 9;
	DY_CHECK(clean_haps(h, 2, 20, 0, &c, NULL, 1) == 0 && c.n == 4);
	dy_contigs_free(&c);
	DY_CHECK(clean_haps(h, 2, 20, 1, &c, &pop, 2) == 0 && is_one_contig(&c, G));
	DY_CHECK(pop.n == 1 && pop.a[0].kind == DY_POP_ALLELE && pop.a[0].len == 2 * K - 1);
	/* the kept arm took the popped one's coverage: about 20 again */
	DY_CHECK(c.a[0].cov * 10 >= 19 * 10 * c.a[0].n_kmers - c.a[0].n_kmers);
	dy_contigs_free(&c), dy_popset_free(&pop);
	/* with no homozygous coverage known, alleles are not popped */
	DY_CHECK(clean_haps(h, 2, 0, 1, &c, NULL, 1) == 0 && c.n == 4);
	dy_contigs_free(&c);
	free(G), free(H);
	return 0;
}

/* A broken bubble: haplotype 2's reads stop 15 bp after its SNP, inside its
 * own k-mers (a coverage gap on that allele), so its arm dead-ends beside
 * haplotype 1's; both at half coverage, so no tip rule applies: it is
 * folded into haplotype 1's arm as an allele. */
static int test_broken_bubble(void)
{
	uint64_t seed = 109;
	char *G = orc_random_seq(3000, &seed), *H = mutate(G, 1500, 'T'), *h1, *H2 = mutate(G, 2500, 'C'), *h2;
	hap_t h[3];
	dy_contigs_t c;
	dy_popset_t pop = { 0, 0, NULL };
	size_t i;
	int broken = 0;
	/* haplotype 2 again from 2000 on, with a second SNP: haplotype 1's arm
	 * goes on to that bubble, it is not a dead end itself */
	h1 = strndup(H, 1515), h2 = strdup(H2 + 2000);
	h[0].seq = G, h[0].cov = 11, h[1].seq = h1, h[1].cov = 9, h[2].seq = h2, h[2].cov = 9;
	DY_CHECK(clean_haps(h, 3, 20, 0, &c, NULL, 1) == 0 && c.n == 6);  /* 3 + the second bubble */
	dy_contigs_free(&c);
	DY_CHECK(clean_haps(h, 3, 20, 1, &c, &pop, 2) == 0 && is_one_contig(&c, G));
	for (i = 0; i < pop.n; ++i) broken += pop.a[i].kind == DY_POP_ALLELE && pop.a[i].n_kmers == 15;
	DY_CHECK(pop.n == 2 && broken == 1);
	dy_contigs_free(&c), dy_popset_free(&pop);
	/* an unrelated dead end at the same place is not an allele: kept */
	{
		char *T = strndup(G, 1500), *u = orc_random_seq(40, &seed), *Tu = (char *)malloc(1541);
		memcpy(Tu, T, 1500), memcpy(Tu + 1500, u, 40), Tu[1540] = 0;
		h[1].seq = Tu;
		DY_CHECK(clean_haps(h, 3, 20, 1, &c, NULL, 1) == 0 && c.n == 3);
		dy_contigs_free(&c);
		free(T), free(u), free(Tu);
	}
	free(G), free(H), free(h1), free(H2), free(h2);
	return 0;
}

/* A 3 bp deletion on one haplotype: arms of different lengths. */
static int test_indel(void)
{
	uint64_t seed = 104;
	char *G = orc_random_seq(3000, &seed), *H = delete(G, 1500, 3);
	hap_t h[2];
	dy_contigs_t c;
	h[0].seq = G, h[0].cov = 11, h[1].seq = H, h[1].cov = 9;
	DY_CHECK(clean_haps(h, 2, 20, 1, &c, NULL, 1) == 0 && is_one_contig(&c, G));
	dy_contigs_free(&c);
	free(G), free(H);
	return 0;
}

/* Three SNPs within k of each other: one bubble with arms of 2k + 24. */
static int test_snp_chain(void)
{
	uint64_t seed = 105;
	char *G = orc_random_seq(3000, &seed), *H = mutate(G, 1500, 'A'), *H2, *H3;
	hap_t h[2];
	dy_contigs_t c;
	dy_popset_t pop = { 0, 0, NULL };
	H2 = mutate(H, 1510, 'C'), H3 = mutate(H2, 1524, 'G');
	h[0].seq = H3, h[0].cov = 11, h[1].seq = G, h[1].cov = 9;
	DY_CHECK(clean_haps(h, 2, 20, 1, &c, &pop, 1) == 0 && is_one_contig(&c, H3));
	DY_CHECK(pop.n == 1 && pop.a[0].len == 2 * K - 1 + 24);
	dy_contigs_free(&c), dy_popset_free(&pop);
	free(G), free(H), free(H2), free(H3);
	return 0;
}

/* Two copies of a 300 bp repeat that differ by one SNP, in a haploid genome
 * at 20x: the bubble's arms are at 20 each (full coverage), the gate says
 * repeat copies, and the graph stays as it was. */
static int test_repeat_not_popped(void)
{
	uint64_t seed = 106;
	char *G = orc_random_seq(4000, &seed);
	hap_t h[1];
	dy_contigs_t c0, c1;
	size_t i;
	memcpy(G + 2500, G + 1000, 300);
	G[2650] = other(G[1150]);
	h[0].seq = G, h[0].cov = 20;
	DY_CHECK(clean_haps(h, 1, 20, 0, &c0, NULL, 1) == 0 && c0.n >= 5);
	DY_CHECK(clean_haps(h, 1, 20, 1, &c1, NULL, 2) == 0 && c1.n == c0.n);
	for (i = 0; i < c0.n; ++i) DY_CHECK(strcmp(c0.a[i].seq, c1.a[i].seq) == 0);
	dy_contigs_free(&c1);
	/* the gate is what keeps them: judged against a homozygous coverage of
	 * 40, the same arms would pass for alleles and be folded */
	DY_CHECK(clean_haps(h, 1, 40, 1, &c1, NULL, 1) == 0 && c1.n < c0.n);
	dy_contigs_free(&c0), dy_contigs_free(&c1);
	free(G);
	return 0;
}

/* Several SNP bubbles, errors and tips together: the same contigs with 1
 * and 4 threads; the cleaned graph holds both haplotypes' shared sequence. */
static int test_mixed_threads(void)
{
	uint64_t seed = 107;
	char *G = orc_random_seq(20000, &seed), *H = strdup(G), *e1 = strndup(G + 3000, 60), *e2;
	hap_t h[4];
	dy_contigs_t a, b;
	size_t i;
	for (i = 500; i < 19500; i += 700) H[i] = other(H[i]);
	e1[50] = other(e1[50]);
	e2 = strndup(G + 8000, 150), e2[75] = other(e2[75]);
	h[0].seq = G, h[0].cov = 11, h[1].seq = H, h[1].cov = 9, h[2].seq = e1, h[2].cov = 2;
	h[3].seq = e2, h[3].cov = 1;
	DY_CHECK(clean_haps(h, 4, 20, 1, &a, NULL, 1) == 0);
	DY_CHECK(clean_haps(h, 4, 20, 1, &b, NULL, 4) == 0);
	DY_CHECK(a.n == b.n);
	for (i = 0; i < a.n; ++i) DY_CHECK(strcmp(a.a[i].seq, b.a[i].seq) == 0 && a.a[i].cov == b.a[i].cov);
	DY_CHECK(is_one_contig(&a, G));
	dy_contigs_free(&a), dy_contigs_free(&b);
	free(G), free(H), free(e1), free(e2);
	return 0;
}

/* Compaction: links of the written graph join (k-1)-overlaps, and a
 * circular genome stays one circular contig. */
static int test_links_and_circle(void)
{
	uint64_t seed = 108;
	char *G = orc_random_seq(3000, &seed), *H = mutate(G, 1500, 'T');
	hap_t h[2];
	dy_contigs_t raw, c;
	dy_glinks_t l;
	dy_graph_t g;
	size_t i;
	h[0].seq = G, h[0].cov = 11, h[1].seq = H, h[1].cov = 9;
	DY_CHECK(oracle_contigs(h, 2, K, &raw) == 0);
	DY_CHECK(dy_graph_from_contigs(&raw, K, 1, &g) == DY_OK && g.n == 4);
	DY_CHECK(dy_graph_to_contigs(&g, 1, &c, &l, NULL) == DY_OK && l.n == 4);
	for (i = 0; i < l.n; ++i) {
		const dy_glink_t *x = &l.a[i];
		char *a = strdup(c.a[x->a].seq), *b = strdup(c.a[x->b].seq);
		size_t la = strlen(a), lb = strlen(b);
		char *ra = (char *)malloc(la + 1), *rb = (char *)malloc(lb + 1);
		orc_revcomp(a, la, ra), orc_revcomp(b, lb, rb);
		/* a oriented, then b oriented, overlap by k-1 */
		DY_CHECK(strncmp((x->ao ? ra : a) + la - (K - 1), x->bo ? rb : b, K - 1) == 0);
		free(a), free(b), free(ra), free(rb);
	}
	/* every contig's masks are those of the raw unitigs (same graph) */
	DY_CHECK(c.n == raw.n);
	for (i = 0; i < c.n; ++i) DY_CHECK(strcmp(c.a[i].seq, raw.a[i].seq) == 0 &&
	                                   c.a[i].ext[0] == raw.a[i].ext[0] && c.a[i].ext[1] == raw.a[i].ext[1]);
	dy_contigs_free(&raw), dy_contigs_free(&c), dy_glinks_free(&l), dy_graph_free(&g);
	{ /* a circle: the genome followed by its own first k-1 bases */
		orc_dbg_t og;
		orc_utg_t *u = NULL;
		int64_t n;
		char *C = orc_random_seq(1000, &seed);
		orc_dbg_init(&og, K, 1);
		orc_dbg_add(&og, C, 1000, 1);
		orc_dbg_finish(&og);
		n = orc_unitigs(&og, &u);
		DY_CHECK(n == 1 && u[0].circ);
		memset(&raw, 0, sizeof raw);
		raw.n = 1, raw.a = (dy_contig_t *)calloc(1, sizeof *raw.a);
		raw.a[0].seq = strdup(u[0].seq), raw.a[0].len = strlen(u[0].seq), raw.a[0].circular = 1;
		raw.a[0].n_kmers = 1000, raw.a[0].cov = u[0].cov;
		DY_CHECK(dy_graph_from_contigs(&raw, K, 1, &g) == DY_OK);
		DY_CHECK(dy_graph_compact(&g, NULL, 1, NULL) == DY_OK);
		DY_CHECK(dy_graph_to_contigs(&g, 1, &c, NULL, NULL) == DY_OK);
		DY_CHECK(c.n == 1 && c.a[0].circular && strcmp(c.a[0].seq, u[0].seq) == 0);
		dy_contigs_free(&raw), dy_contigs_free(&c), dy_graph_free(&g);
		orc_utg_free(u, n), orc_dbg_free(&og), free(C);
	}
	free(G), free(H);
	return 0;
}

static int test_edit(void)
{
	const uint8_t a[] = { 0, 1, 2, 3, 0, 1, 2, 3, 0, 1 }, b[] = { 0, 1, 2, 0, 1, 2, 3, 3, 0, 1 };
	uint8_t x[300], y[300];
	int i;
	uint64_t seed = 9;
	DY_CHECK(dy_edit_within(a, 10, a, 10, 0) == 0);
	DY_CHECK(dy_edit_within(a, 10, b, 10, 5) == 2);         /* delete a[3], insert 3 */
	DY_CHECK(dy_edit_within(a, 10, b, 10, 1) == 2);         /* over the bound: bound + 1 */
	DY_CHECK(dy_edit_within(a, 10, b, 7, 5) == 3 || dy_edit_within(a, 10, b, 7, 5) <= 5);
	for (i = 0; i < 300; ++i) x[i] = y[i] = (uint8_t)(dy_test_rand(&seed) & 3);
	y[100] ^= 1, y[200] ^= 2;
	DY_CHECK(dy_edit_within(x, 300, y, 300, 60) == 2);
	DY_CHECK(dy_edit_within(x, 300, y + 5, 295, 60) == 7);  /* 5 deleted at the start, 2 substitutions */
	for (i = 0; i < 300; ++i) y[i] = (uint8_t)(dy_test_rand(&seed) & 3);
	DY_CHECK(dy_edit_within(x, 300, y, 300, 60) == 61);     /* unrelated sequences */
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_edit, nfail);
	DY_RUN(test_links_and_circle, nfail);
	DY_RUN(test_tip, nfail);
	DY_RUN(test_error_bubble, nfail);
	DY_RUN(test_snp, nfail);
	DY_RUN(test_indel, nfail);
	DY_RUN(test_broken_bubble, nfail);
	DY_RUN(test_snp_chain, nfail);
	DY_RUN(test_repeat_not_popped, nfail);
	DY_RUN(test_mixed_threads, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
