/* test_merge.c -- genomes -> per-rank tables -> dy_compact_run on every
 * rank -> dy_merge_run, compared byte for byte with the brute-force unitigs
 * of dbg_oracle.h, for 1, 2 and 4 ranks, 1 and 2 threads, records in any
 * order; plus the two properties users rely on: a repeat-free genome gives
 * itself back, a circular one gives one circular contig from its smallest
 * k-mer. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "dbg_oracle_ht.h"

typedef struct {
	const char *seq[4];
	int circ[4], n_seq;
} genome_t;

static dy_kmer_opt_t kopt(int k)
{
	dy_kmer_opt_t o = { k, k >= 31 ? 15 : 11, 0 };
	return o;
}

/* Fragments of every rank, concatenated in rank order. */
static int fragments(const genome_t *g, int k, int n_ranks, int n_threads, dy_buf_t *out)
{
	dy_kmer_opt_t o = kopt(k);
	dy_ht_t *h[4];
	int r, s, ret = 0;
	for (r = 0; r < n_ranks; ++r) h[r] = dy_ht_init(k, 0, 3);
	for (s = 0; s < g->n_seq && ret == 0; ++s)
		ret = orc_ht_add_seq(h, n_ranks, &o, g->seq[s], strlen(g->seq[s]), g->circ[s]);
	for (r = 0; r < n_ranks && ret == 0; ++r)
		ret = dy_compact_run(h[r], &o, 1, n_ranks, r, n_threads, out, NULL);
	for (r = 0; r < n_ranks; ++r) dy_ht_destroy(h[r]);
	return ret;
}

/* The records of b in a random order. */
static void shuffle_records(dy_buf_t *b, uint64_t *seed)
{
	size_t n = 0, off, i, *at = (size_t *)malloc((b->n / 16 + 1) * sizeof *at);
	uint8_t *c = (uint8_t *)malloc(b->n + 1), *p = c;
	for (off = 0; off < b->n; ++n) {
		uint32_t nb = b->a[off] | b->a[off + 1] << 8 | b->a[off + 2] << 16 | (uint32_t)b->a[off + 3] << 24;
		at[n] = off, off += 16 + (nb + 3) / 4;
	}
	for (i = n; i > 1; --i) {
		size_t j = dy_test_rand(seed) % i, t = at[i - 1];
		at[i - 1] = at[j], at[j] = t;
	}
	for (i = 0; i < n; ++i) {
		uint32_t nb = b->a[at[i]] | b->a[at[i] + 1] << 8 | b->a[at[i] + 2] << 16 | (uint32_t)b->a[at[i] + 3] << 24;
		memcpy(p, b->a + at[i], 16 + (nb + 3) / 4), p += 16 + (nb + 3) / 4;
	}
	memcpy(b->a, c, b->n);
	free(c), free(at);
}

static int same_as_oracle(const dy_contigs_t *c, const orc_utg_t *u, int64_t nu, int k)
{
	int64_t i;
	DY_CHECK((int64_t)c->n == nu);
	for (i = 0; i < nu; ++i) {
		const dy_contig_t *t = &c->a[i];
		DY_CHECK(strcmp(t->seq, u[i].seq) == 0);
		DY_CHECK(t->len == strlen(u[i].seq) && t->n_kmers == t->len - (uint64_t)k + 1);
		DY_CHECK(t->circular == u[i].circ && t->cov == u[i].cov);
	}
	return 0;
}

/* Merged output = oracle unitigs for every rank count, thread count and
 * record order. */
static int check_genome(const genome_t *g, int k, uint64_t *seed)
{
	static const int nr[3] = { 1, 2, 4 };
	orc_dbg_t d;
	orc_utg_t *u;
	int64_t nu;
	int s, i, t;
	orc_dbg_init(&d, k, 1);
	for (s = 0; s < g->n_seq; ++s) orc_dbg_add(&d, g->seq[s], strlen(g->seq[s]), g->circ[s]);
	orc_dbg_finish(&d);
	DY_CHECK((nu = orc_unitigs(&d, &u)) >= 0);
	for (i = 0; i < 3; ++i)
		for (t = 1; t <= 2; ++t) {
			dy_buf_t b = { 0, 0, NULL };
			dy_contigs_t c;
			int r;
			DY_CHECK(fragments(g, k, nr[i], t, &b) == DY_OK);
			if (t == 2) shuffle_records(&b, seed);
			DY_CHECK(dy_merge_run(b.a, b.n, k, t, &c) == DY_OK);
			r = same_as_oracle(&c, u, nu, k);
			DY_CHECK(c.n_frag_in >= c.n && (nr[i] > 1 || c.n_glued == 0));
			dy_contigs_free(&c), dy_buf_free(&b);
			DY_CHECK(r == 0);
		}
	orc_utg_free(u, nu), orc_dbg_free(&d);
	return 0;
}

/* Repeats (one reverse-complemented), a homopolymer on its own, a hairpin,
 * a heterozygous copy and a small circle: every kind of end. */
static int test_vs_oracle(void)
{
	static const int ks[5] = { 21, 31, 63, 65, 127 };
	uint64_t seed = 5;
	int i;
	for (i = 0; i < 5; ++i) {
		int k = ks[i];
		char *g = orc_random_seq(6000, &seed), *rep = orc_random_seq(100, &seed);
		char *h = strdup(g), *c = orc_random_seq(700, &seed), *pal = (char *)malloc(161);
		const char *poly = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
		genome_t gn = { { g, h, c, pal }, { 0, 0, 1, 0 }, 4 };
		size_t j;
		memcpy(g + 1000, rep, 100), memcpy(g + 3000, rep, 100);
		orc_revcomp(rep, 100, g + 4000), g[4100] = 'A';
		for (j = 0; j < 6000; j += 200 + dy_test_rand(&seed) % 400) /* second haplotype */
			h[j] = "ACGT"[(orc_code(g[j]) + 1) & 3];
		memcpy(pal, rep, 80), orc_revcomp(rep, 80, pal + 80);  /* x . rc(x) */
		DY_CHECK(check_genome(&gn, k, &seed) == 0);
		gn.seq[3] = poly;
		DY_CHECK(check_genome(&gn, k, &seed) == 0);
		free(g), free(h), free(c), free(rep), free(pal);
	}
	return 0;
}

/* 20 kb without repeats: one linear contig, the genome on its smaller strand. */
static int test_repeat_free(void)
{
	static const int ks[4] = { 21, 31, 63, 127 };
	uint64_t seed = 77;
	char *g = orc_random_seq(20000, &seed), *r = (char *)malloc(20001);
	int i, nr, t;
	orc_revcomp(g, 20000, r);
	for (i = 0; i < 4; ++i)
		for (nr = 1; nr <= 4; nr *= 2)
			for (t = 1; t <= 2; ++t) {
				genome_t gn = { { g }, { 0 }, 1 };
				dy_buf_t b = { 0, 0, NULL };
				dy_contigs_t c;
				DY_CHECK(fragments(&gn, ks[i], nr, t, &b) == DY_OK);
				DY_CHECK(dy_merge_run(b.a, b.n, ks[i], t, &c) == DY_OK);
				DY_CHECK(c.n == 1 && !c.a[0].circular && c.a[0].len == 20000);
				DY_CHECK(strcmp(c.a[0].seq, strcmp(g, r) < 0 ? g : r) == 0);
				DY_CHECK(c.a[0].cov == 20000 - (uint64_t)ks[i] + 1);
				dy_contigs_free(&c), dy_buf_free(&b);
			}
	free(g), free(r);
	return 0;
}

/* A circular genome of G bases: one circular contig of G+k-1 bases, which
 * reads the genome (either strand) from its smallest canonical k-mer. */
static int test_circular_genome(void)
{
	static const int ks[4] = { 21, 31, 63, 99 };
	uint64_t seed = 99;
	size_t G = 5000, j;
	char *g = orc_random_seq(G, &seed), *gg = (char *)malloc(2 * G + 1), *rr = (char *)malloc(2 * G + 1);
	int i, nr;
	memcpy(gg, g, G), memcpy(gg + G, g, G), gg[2 * G] = 0;
	orc_revcomp(gg, 2 * G, rr);
	for (i = 0; i < 4; ++i)
		for (nr = 1; nr <= 4; nr *= 2) {
			int k = ks[i];
			genome_t gn = { { g }, { 1 }, 1 };
			dy_buf_t b = { 0, 0, NULL };
			dy_contigs_t c;
			char best[130], cur[130];
			for (j = 0; j < G; ++j) { /* smallest canonical k-mer, brute force */
				orc_canon(gg + j, (size_t)k, cur);
				if (j == 0 || strncmp(cur, best, (size_t)k) < 0) memcpy(best, cur, (size_t)k);
			}
			DY_CHECK(fragments(&gn, k, nr, 2, &b) == DY_OK);
			DY_CHECK(dy_merge_run(b.a, b.n, k, 2, &c) == DY_OK);
			DY_CHECK(c.n == 1 && c.a[0].circular && c.a[0].len == G + (size_t)k - 1);
			DY_CHECK(c.a[0].n_kmers == G && c.a[0].cov == G);
			DY_CHECK(strncmp(c.a[0].seq, best, (size_t)k) == 0);
			DY_CHECK(strstr(gg, c.a[0].seq) != NULL || strstr(rr, c.a[0].seq) != NULL);
			dy_contigs_free(&c), dy_buf_free(&b);
		}
	free(g), free(gg), free(rr);
	return 0;
}

/* Hand-made records: glue across a reverse-complemented end, a circular
 * record, and malformed input. */
static void put_frag(dy_buf_t *b, const char *s, int circ, int l, int r, uint64_t cov)
{
	size_t n = strlen(s), i;
	uint8_t h[16] = { 0 }, *bases = (uint8_t *)malloc(n + 1), *pk = (uint8_t *)malloc(n / 4 + 1);
	for (i = 0; i < 4; ++i) h[i] = (uint8_t)(n >> (8 * i));
	for (i = 0; i < 8; ++i) h[8 + i] = (uint8_t)(cov >> (8 * i));
	h[4] = (uint8_t)circ, h[5] = (uint8_t)l, h[6] = (uint8_t)r;
	for (i = 0; i < n; ++i) bases[i] = (uint8_t)orc_code(s[i]);
	dy_pack2(bases, n, pk);
	if (dy_buf_push(b, h, 16) == 0 && dy_buf_push(b, pk, (n + 3) / 4) == 0) { /* tested below */ }
	free(bases), free(pk);
}

static int test_records(void)
{
	const int k = 15;
	/* a = ACGTTGCATGCAAGTC (16); b continues a by "GATT" on the reverse strand:
	 * a's last 14 + 'G' = CGTTGCATGCAAGTCG... written as rc in b */
	const char *a = "ACGTTGCATGCAAGTC";
	char fw[64], b[64], want[64], wrc[64];
	dy_buf_t buf = { 0, 0, NULL };
	dy_contigs_t c;
	strcpy(fw, "GTTGCATGCAAGTCGATT");          /* overlaps a by k-1 = 14 */
	orc_revcomp(fw, strlen(fw), b);
	put_frag(&buf, a, 0, 0, 1 << orc_code('G'), 2);  /* right end: ext G */
	/* b is fw reversed: its RIGHT end is fw's left end, ext = comp(a[1]); its
	 * left end (fw's right end) branches to A and C (fw's view: T and G) */
	put_frag(&buf, b, 0, 1 << 0 | 1 << 1, 1 << orc_code(orc_comp(a[1])), 3);
	put_frag(&buf, "CGAACGAACGAACGAACG", 1, 0, 0, 4); /* circular, 4 k-mers, period 4 */
	DY_CHECK(dy_merge_run(buf.a, buf.n, k, 2, &c) == DY_OK);
	strcpy(want, "ACGTTGCATGCAAGTCGATT");
	orc_revcomp(want, strlen(want), wrc);
	DY_CHECK(c.n == 2 && c.n_frag_in == 3 && c.n_glued == 2);
	DY_CHECK(strcmp(c.a[0].seq, strcmp(want, wrc) < 0 ? want : wrc) == 0 && c.a[0].cov == 5);
	/* the contig's end masks, in its written orientation: a's left end (none)
	 * and fw's right end (T, G), swapped and complemented if written reversed */
	if (strcmp(want, wrc) < 0) DY_CHECK(c.a[0].ext[0] == 0 && c.a[0].ext[1] == (1 << 3 | 1 << 2));
	else DY_CHECK(c.a[0].ext[0] == (1 << 0 | 1 << 1) && c.a[0].ext[1] == 0);
	DY_CHECK(c.a[1].ext[0] == 0 && c.a[1].ext[1] == 0);
	DY_CHECK(c.a[1].circular && c.a[1].len == 18 && c.a[1].cov == 4);
	DY_CHECK(strcmp(c.a[1].seq, "AACGAACGAACGAACGAA") == 0); /* from its smallest k-mer */
	dy_contigs_free(&c);
	/* malformed: truncated, shorter than k, bad degree; and bad k */
	DY_CHECK(dy_merge_run(buf.a, buf.n - 1, k, 1, &c) == DY_EFORMAT && c.n == 0);
	buf.n = 0, put_frag(&buf, "ACGTACGTACGTAC", 0, 0, 0, 1);
	DY_CHECK(dy_merge_run(buf.a, buf.n, k, 1, &c) == DY_EFORMAT);
	buf.n = 0, put_frag(&buf, "ACGTACGTACGTACG", 0, 16, 0, 1);
	DY_CHECK(dy_merge_run(buf.a, buf.n, k, 1, &c) == DY_EFORMAT);
	DY_CHECK(dy_merge_run(buf.a, buf.n, 16, 1, &c) == DY_EARG);
	DY_CHECK(dy_merge_run(NULL, 0, k, 1, &c) == DY_OK && c.n == 0);
	dy_contigs_free(&c), dy_buf_free(&buf);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_records, nfail);
	DY_RUN(test_vs_oracle, nfail);
	DY_RUN(test_repeat_free, nfail);
	DY_RUN(test_circular_genome, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
