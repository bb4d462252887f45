/* test_compact.c -- dy_compact_run against the brute-force graph of
 * dbg_oracle.h: genomes -> per-rank tables (dy_ht_add) -> fragments of every
 * rank, checked record by record (every solid k-mer in exactly one
 * fragment, steps follow the unitig rule, ends stop for a reason, end bytes
 * and coverage right) and, with one rank, equal to the brute-force unitigs. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "dbg_oracle_ht.h"

typedef struct {
	char *seq;        /* bases */
	uint32_t n;
	int circ, end[2]; /* end bytes: mask of the solid extension bases */
	uint64_t cov;
} tfrag_t;

/* Decode records (the wire format of dy_kern.h, read independently). */
static int64_t decode(const uint8_t *b, size_t len, tfrag_t **out)
{
	size_t off = 0, n = 0, m = 0;
	tfrag_t *f = NULL;
	while (off < len) {
		uint32_t i, nb;
		if (len - off < 16) return -1;
		nb = b[off] | b[off + 1] << 8 | b[off + 2] << 16 | (uint32_t)b[off + 3] << 24;
		if (len - off - 16 < (nb + 3) / 4 || b[off + 7] != 0) return -1;
		if (n == m) f = (tfrag_t *)realloc(f, (m = m ? 2 * m : 64) * sizeof *f);
		f[n].n = nb, f[n].circ = b[off + 4], f[n].end[0] = b[off + 5], f[n].end[1] = b[off + 6];
		f[n].cov = 0;
		for (i = 0; i < 8; ++i) f[n].cov |= (uint64_t)b[off + 8 + i] << (8 * i);
		f[n].seq = (char *)malloc(nb + 1);
		for (i = 0; i < nb; ++i) f[n].seq[i] = "ACGT"[(b[off + 16 + i / 4] >> (2 * (i % 4))) & 3];
		f[n].seq[nb] = 0;
		off += 16 + (nb + 3) / 4, ++n;
	}
	*out = f;
	return (int64_t)n;
}

static void free_frags(tfrag_t *f, int64_t n)
{
	int64_t i;
	for (i = 0; i < n; ++i) free(f[i].seq);
	free(f);
}

typedef struct {
	dy_kmer_opt_t o;
	orc_dbg_t g;
	int n_ranks;
	uint8_t *seen;      /* per oracle k-mer */
} env_t;

static int owner_of(const env_t *e, const char *x)
{
	return e->n_ranks > 1 ? dy_mzr_owner(dy_mzr_kmerw(&e->o, orc_encode_w(x, e->o.k)), e->n_ranks) : 0;
}

/* One end (side 0: left end, first k-mer; 1: right end, last k-mer). */
static int check_end(const env_t *e, const tfrag_t *f, int side, int rank)
{
	int k = e->o.k, d;
	const char *x = side ? f->seq + f->n - k : f->seq;
	char ext = 0, y[130];
	int b;
	d = orc_deg(&e->g, x, side, &ext);
	DY_CHECK(__builtin_popcount(f->end[side]) == d && f->end[side] < 16);
	if (d == 1) DY_CHECK("ACGT"[__builtin_ctz(f->end[side])] == ext);
	for (b = 0; b < 4; ++b) { /* every solid extension, not only at degree 1 */
		char z[130];
		if (side) memcpy(z, x, (size_t)k), z[k] = "ACGT"[b];
		else z[0] = "ACGT"[b], memcpy(z + 1, x, (size_t)k);
		DY_CHECK(((f->end[side] >> b) & 1) == (orc_set_count(&e->g.ed, z) >= e->g.t));
	}
	/* stopped for a reason: the step is not taken, or leads off this rank */
	DY_CHECK(!orc_takes(&e->g, x, side, y) || owner_of(e, y) != rank);
	return 0;
}

static int check_frag(env_t *e, const tfrag_t *f, int rank)
{
	int k = e->o.k;
	uint32_t i, L = f->n - (uint32_t)k + 1;
	uint64_t cov = 0;
	char y[130];
	DY_CHECK(f->n >= (uint32_t)k && (f->circ & ~1) == 0);
	if (f->circ) DY_CHECK(strncmp(f->seq + L, f->seq, (size_t)k - 1) == 0);
	for (i = 0; i < L; ++i) {
		const char *x = f->seq + i;
		int64_t id = orc_set_find(&e->g.km, x);
		DY_CHECK(id >= 0 && e->g.km.cnt[id] >= e->g.t);   /* solid */
		DY_CHECK(!e->seen[id]);                             /* in one fragment only */
		e->seen[id] = 1, cov += e->g.km.cnt[id];
		DY_CHECK(owner_of(e, x) == rank);
		if (i + 1 < L || f->circ) {                        /* a step of the rule */
			DY_CHECK(orc_takes(&e->g, x, 1, y));
			DY_CHECK(strncmp(y, f->seq + (i + 1) % L, (size_t)k) == 0);
		}
	}
	DY_CHECK(cov == f->cov);
	if (!f->circ) DY_CHECK(check_end(e, f, 0, rank) == 0 && check_end(e, f, 1, rank) == 0);
	else DY_CHECK(f->end[0] == 0 && f->end[1] == 0);
	return 0;
}

/* n_ranks=1: the fragments, canonical and sorted, are the oracle's unitigs. */
static int same_as_unitigs(const env_t *e, tfrag_t *f, int64_t nf)
{
	orc_utg_t *u, *v = (orc_utg_t *)calloc((size_t)nf + 1, sizeof *v);
	int64_t i, nu = orc_unitigs(&e->g, &u);
	int r = 0;
	DY_CHECK(nu == nf);
	for (i = 0; i < nf; ++i) {
		v[i].seq = f[i].seq, v[i].circ = f[i].circ;
		if (f[i].circ) orc_canon_circular(f[i].seq, e->o.k);
		else orc_canon_linear(f[i].seq);
	}
	qsort(v, (size_t)nf, sizeof *v, orc_cmp_utg);
	for (i = 0; i < nf && r == 0; ++i)
		r = strcmp(u[i].seq, v[i].seq) != 0 || u[i].circ != v[i].circ;
	orc_utg_free(u, nu), free(v);
	DY_CHECK(r == 0);
	return 0;
}

typedef struct {
	const char *seq[4];
	int circ[4], copies[4], n_seq;
	uint32_t t;
} input_t;

/* Compact every rank of one input with n_ranks ranks; check everything. */
static int run_case(const input_t *in, int k, int n_ranks)
{
	env_t e;
	dy_ht_t *h[4];
	uint64_t n_solid = 0, i;
	int r, s, c, ret = 0;
	memset(&e, 0, sizeof e);
	e.o.k = k, e.o.m = k >= 31 ? 15 : 11, e.n_ranks = n_ranks;
	orc_dbg_init(&e.g, k, in->t);
	for (r = 0; r < n_ranks; ++r) h[r] = dy_ht_init(k, 0, 3);
	for (s = 0; s < in->n_seq; ++s)
		for (c = 0; c < in->copies[s]; ++c) {
			size_t len = strlen(in->seq[s]);
			orc_dbg_add(&e.g, in->seq[s], len, in->circ[s]);
			DY_CHECK(orc_ht_add_seq(h, n_ranks, &e.o, in->seq[s], len, in->circ[s]) == 0);
		}
	orc_dbg_finish(&e.g);
	e.seen = (uint8_t *)calloc(e.g.km.n + 1, 1);
	for (r = 0; r < n_ranks && ret == 0; ++r) {
		dy_buf_t b1 = { 0, 0, NULL }, b3 = { 0, 0, NULL };
		dy_compact_stats_t st1, st3;
		tfrag_t *f = NULL;
		int64_t nf, nc = 0, j;
		DY_CHECK(dy_compact_run(h[r], &e.o, in->t, n_ranks, r, 1, &b1, &st1) == DY_OK);
		DY_CHECK(dy_compact_run(h[r], &e.o, in->t, n_ranks, r, 3, &b3, &st3) == DY_OK);
		DY_CHECK(b1.n == b3.n && (b1.n == 0 || memcmp(b1.a, b3.a, b1.n) == 0));
		DY_CHECK((nf = decode(b1.a, b1.n, &f)) >= 0);
		DY_CHECK(st1.n_frag == (uint64_t)nf && st3.n_frag == st1.n_frag);
		for (j = 0; j < nf && ret == 0; ++j) ret = check_frag(&e, &f[j], r), nc += f[j].circ;
		DY_CHECK(ret == 0 && st1.n_circular == (uint64_t)nc);
		n_solid += st1.n_solid;
		if (n_ranks == 1) ret = same_as_unitigs(&e, f, nf);
		free_frags(f, nf), dy_buf_free(&b1), dy_buf_free(&b3);
	}
	for (i = 0; i < e.g.km.n && ret == 0; ++i) /* every solid k-mer was placed */
		if (e.g.km.cnt[i] >= in->t && !e.seen[i]) ret = 1;
	DY_CHECK(ret == 0);
	for (i = 0, s = 0; i < e.g.km.n; ++i) n_solid -= e.g.km.cnt[i] >= in->t;
	DY_CHECK(n_solid == 0);
	for (r = 0; r < n_ranks; ++r) dy_ht_destroy(h[r]);
	orc_dbg_free(&e.g), free(e.seen);
	return 0;
}

static int run_all_ranks(const input_t *in, int k)
{
	int nr;
	for (nr = 1; nr <= 3; ++nr) DY_CHECK(run_case(in, k, nr) == 0);
	return 0;
}

static char *cat(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = (char *)malloc(la + lb + 1);
	memcpy(s, a, la), memcpy(s + la, b, lb + 1);
	return s;
}

static int test_random_linear(void)
{
	uint64_t seed = 101;
	char *g = orc_random_seq(3000, &seed);
	input_t in = { { g }, { 0 }, { 1 }, 1, 1 };
	int r = run_all_ranks(&in, 21) || run_all_ranks(&in, 63) || run_all_ranks(&in, 95) ||
	        run_all_ranks(&in, 127);
	free(g);
	return r;
}

/* Repeats longer than k (one reverse-complemented), homopolymers (a
 * k-mer whose neighbour is itself), a tandem repeat and a hairpin (a
 * segment followed by its reverse complement). */
static int test_repeats(void)
{
	uint64_t seed = 202;
	char *g = orc_random_seq(4000, &seed), *rep = orc_random_seq(70, &seed);
	char *p = orc_random_seq(40, &seed), *prc = (char *)malloc(41);
	/* alone, C^k's only neighbour on either side is itself */
	const char *poly = "CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC";
	input_t in = { { g, p, poly }, { 0, 0, 0 }, { 1, 1, 1 }, 3, 1 };
	int r;
	memcpy(g + 500, rep, 70), memcpy(g + 1500, rep, 70);
	orc_revcomp(rep, 70, g + 2500), g[2570] = 'A'; /* revcomp wrote a NUL */
	memset(g + 3000, 'A', 45);
	for (r = 0; r < 60; ++r) g[3200 + r] = "ACG"[r % 3];
	orc_revcomp(p, 40, prc);
	free(p), p = cat(prc, prc), orc_revcomp(prc, 40, p + 40); /* p = rc(x) . x */
	in.seq[1] = p;
	r = run_all_ranks(&in, 21) || run_all_ranks(&in, 31) || run_all_ranks(&in, 65);
	free(g), free(rep), free(p), free(prc);
	return r;
}

static int test_circular(void)
{
	uint64_t seed = 303;
	char *g = orc_random_seq(1500, &seed);
	input_t in = { { g }, { 1 }, { 1 }, 1, 1 };
	int r = run_all_ranks(&in, 21) || run_all_ranks(&in, 31);
	free(g);
	return r;
}

/* Two haplotypes differing by SNPs: bubbles, every SNP k-mer solid. */
static int test_heterozygous(void)
{
	uint64_t seed = 404;
	char *a = orc_random_seq(2500, &seed), *b = strdup(a);
	size_t i;
	int r;
	for (i = 100; i < 2400; i += 100 + dy_test_rand(&seed) % 150)
		b[i] = "ACGT"[(orc_code(a[i]) + 1 + dy_test_rand(&seed) % 3) & 3];
	{
		input_t in = { { a, b }, { 0, 0 }, { 1, 1 }, 2, 1 };
		r = run_all_ranks(&in, 21);
	}
	/* threshold 2: the first haplotype twice, the second once: its SNP
	 * k-mers and edges fall below the threshold, dead ends appear */
	{
		input_t in = { { a, b }, { 0, 0 }, { 2, 1 }, 2, 2 };
		r = r || run_all_ranks(&in, 31) || run_all_ranks(&in, 101);
	}
	free(a), free(b);
	return r;
}

/* An empty table and a table with one k-mer. */
static int test_tiny(void)
{
	dy_kmer_opt_t o = { 21, 11, 0 };
	dy_ht_t *h = dy_ht_init(21, 0, 2);
	dy_buf_t b = { 0, 0, NULL };
	dy_compact_stats_t st;
	DY_CHECK(dy_compact_run(h, &o, 1, 1, 0, 2, &b, &st) == DY_OK);
	DY_CHECK(b.n == 0 && st.n_frag == 0 && st.n_solid == 0);
	DY_CHECK(dy_ht_add(h, orc_encode("ACGTACGTACGTACGTACGTT", 21), 2, -1) == DY_OK);
	DY_CHECK(dy_compact_run(h, &o, 1, 1, 0, 2, &b, &st) == DY_OK);
	DY_CHECK(b.n == 16 + 6 && st.n_frag == 1 && st.n_solid == 1);
	DY_CHECK(b.a[0] == 21 && b.a[4] == 0 && b.a[8] == 1);
	DY_CHECK(dy_compact_run(h, &o, 2, 1, 0, 2, &b, &st) == DY_OK); /* count 1 < 2 */
	DY_CHECK(b.n == 22 && st.n_solid == 0);
	DY_CHECK(dy_compact_run(h, &o, 1, 2, 2, 1, &b, &st) == DY_EARG);
	dy_buf_free(&b), dy_ht_destroy(h);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_tiny, nfail);
	DY_RUN(test_random_linear, nfail);
	DY_RUN(test_repeats, nfail);
	DY_RUN(test_circular, nfail);
	DY_RUN(test_heterozygous, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
