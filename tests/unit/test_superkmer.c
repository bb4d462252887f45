/* test_superkmer.c -- dy_skm_scan: decode every record and compare with a
 * brute force over the read. */
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"

#define MAXR 2000

/* one k-mer occurrence: canonical k-mer and its canonical neighbours (4 = none) */
typedef struct { dy_kmer_t x; int l, r; } tup_t;

static int comp(int b) { return b > 3 ? 4 : 3 - b; }

static int cmp_tup(const void *a, const void *b)
{
	const tup_t *p = a, *q = b;
	if (p->x != q->x) return p->x < q->x ? -1 : 1;
	if (p->l != q->l) return p->l - q->l;
	return p->r - q->r;
}

/* Canonical orientation at the string level: compare the window with its
 * reverse complement base by base. */
static tup_t make_tup(const uint8_t *b, int k, int l, int r)
{
	tup_t t;
	int i, fw = 1;
	for (i = 0; i < k; ++i)
		if (b[i] != 3 - b[k - 1 - i]) { fw = b[i] < 3 - b[k - 1 - i]; break; }
	t.x = 0;
	for (i = 0; i < k; ++i) t.x = t.x << 2 | (fw ? b[i] : 3 - b[k - 1 - i]);
	t.l = fw ? l : comp(r), t.r = fw ? r : comp(l);
	return t;
}

static dy_kmer_t fwd_kmer(const uint8_t *b, int k)
{
	dy_kmer_t x = 0;
	int i;
	for (i = 0; i < k; ++i) x = x << 2 | b[i];
	return x;
}

/* A read of ACGT in both cases, with N and other breaks now and then. */
static size_t rand_read(uint64_t *s, char *seq)
{
	size_t len = 1 + dy_test_rand(s) % MAXR, i;
	int nrate = (int)(dy_test_rand(s) % 4); /* 0: no breaks at all */
	for (i = 0; i < len; ++i) {
		uint64_t r = dy_test_rand(s);
		seq[i] = "ACGTacgt"[r & 7];
		if (nrate && (r >> 8) % 200 < (uint64_t)nrate) seq[i] = "NnR-.@"[(r >> 20) % 6];
	}
	if (dy_test_rand(s) % 8 == 0) /* low complexity: one long minimizer run */
		for (i = 0; i < len / 2; ++i) seq[i] = 'A';
	return len;
}

/* Brute force: every window of k ACGT bases, neighbours from the read. */
static size_t brute(const char *seq, size_t len, int k, tup_t *out)
{
	uint8_t b[MAXR];
	size_t i, n = 0;
	for (i = 0; i < len; ++i) b[i] = dy_nt4_table[(uint8_t)seq[i]];
	for (i = 0; i + k <= len; ++i) {
		int j, ok = 1;
		for (j = 0; j < k; ++j) ok &= b[i + j] < 4;
		if (ok) out[n++] = make_tup(b + i, k, i ? b[i - 1] : 4, i + k < len ? b[i + k] : 4);
	}
	return n;
}

static uint32_t get_u32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Decode dest[rank]; check each record; append tuples, and the forward
 * k-mers in order to fw (if not NULL).  Returns -1 on a malformed record. */
static long decode(const dy_kmer_opt_t *o, const dy_buf_t *d, int rank, int n_ranks,
                   tup_t *out, size_t *n_out, dy_kmer_t *fw, size_t *n_fw)
{
	size_t off = 0, n_rec = 0;
	uint8_t b[MAXR];
	uint64_t prev_mz = 0;
	int prev_rf = 0;
	while (off < d->n) {
		uint32_t n, i, lf, rf;
		unsigned q;
		uint64_t mz;
		if (d->n - off < 5) return -1;
		n = get_u32(d->a + off), lf = d->a[off + 4] & 1, rf = d->a[off + 4] >> 1 & 1;
		q = d->a[off + 4] >> 2;
		if (n > MAXR || n < (uint32_t)o->k + lf + rf) return -1;
		if (d->n - off - 5 < (n + 3) / 4) return -1;
		dy_unpack2(d->a + off + 5, n, b);
		mz = dy_mzr_kmer(o, fwd_kmer(b + lf, o->k));
		/* flags bits 2-7: q + 1, the m-mer at lf + q is the first k-mer's
		 * minimizer; absent only where q + 1 cannot be held */
		if (q == 0 && o->k - o->m + 1 <= DY_SKM_QMAX) return -1;
		if (q > (unsigned)(o->k - o->m + 1)) return -1;
		if (q) {
			uint64_t fm = 0, rm = 0;
			int j;
			for (j = 0; j < o->m; ++j) fm = fm << 2 | b[lf + q - 1 + j];
			for (j = o->m - 1; j >= 0; --j) rm = rm << 2 | (3u - b[lf + q - 1 + j]);
			if (dy_hash64(fm < rm ? fm : rm) != mz) return -1;
		}
		if (dy_mzr_owner(mz, n_ranks) != rank) return -1;
		if (n_ranks == 1 && prev_rf && mz == prev_mz) return -1; /* not maximal */
		if (n_ranks == 1 && prev_rf && !lf) return -1; /* lost a flank */
		for (i = lf; i + o->k + rf <= n; ++i) {
			if (dy_mzr_kmer(o, fwd_kmer(b + i, o->k)) != mz) return -1;
			out[(*n_out)++] = make_tup(b + i, o->k, i ? b[i - 1] : 4, i + o->k < n ? b[i + o->k] : 4);
			if (fw) fw[(*n_fw)++] = fwd_kmer(b + i, o->k);
		}
		prev_mz = mz, prev_rf = rf;
		off += 5 + (n + 3) / 4;
		++n_rec;
	}
	return (long)n_rec;
}

static int check_one(const dy_kmer_opt_t *o, int n_ranks, uint64_t seed, int n_reads)
{
	static char seq[MAXR];
	static tup_t want[MAXR], got[MAXR];
	static dy_kmer_t fw[MAXR];
	dy_buf_t dest[8];
	int it, r;
	for (it = 0; it < n_reads; ++it) {
		size_t len = rand_read(&seed, seq), n_want, n_got = 0, n_fw = 0, i;
		uint64_t n_k = 0;
		memset(dest, 0, sizeof dest);
		DY_CHECK(dy_skm_scan(o, seq, len, n_ranks, dest, &n_k) == DY_OK);
		n_want = brute(seq, len, o->k, want);
		DY_CHECK(n_k == n_want);
		for (r = 0; r < n_ranks; ++r)
			DY_CHECK(decode(o, &dest[r], r, n_ranks, got, &n_got, n_ranks == 1 ? fw : NULL, &n_fw) >= 0);
		DY_CHECK(n_got == n_want);
		if (n_ranks == 1) { /* records in read order: the k-mers in read order */
			size_t j = 0;
			uint8_t b[MAXR];
			for (i = 0; i < len; ++i) b[i] = dy_nt4_table[(uint8_t)seq[i]];
			for (i = 0; i + o->k <= len; ++i) {
				int q, ok = 1;
				for (q = 0; q < o->k; ++q) ok &= b[i + q] < 4;
				if (ok) DY_CHECK(fw[j++] == fwd_kmer(b + i, o->k));
			}
		}
		qsort(want, n_want, sizeof *want, cmp_tup);
		qsort(got, n_got, sizeof *got, cmp_tup);
		for (i = 0; i < n_want; ++i)
			DY_CHECK(want[i].x == got[i].x && want[i].l == got[i].l && want[i].r == got[i].r);
		for (r = 0; r < n_ranks; ++r) dy_buf_free(&dest[r]);
	}
	return 0;
}

static int test_k15_m7(void)  { dy_kmer_opt_t o = {15, 7, 0};  return check_one(&o, 1, 21, 300) || check_one(&o, 5, 22, 300); }
static int test_k31_m19(void) { dy_kmer_opt_t o = {31, 19, 0}; return check_one(&o, 1, 23, 300) || check_one(&o, 8, 24, 300); }
static int test_k33_m15(void) { dy_kmer_opt_t o = {33, 15, 0}; return check_one(&o, 1, 25, 300) || check_one(&o, 3, 26, 300); }
static int test_k63_m31(void) { dy_kmer_opt_t o = {63, 31, 0}; return check_one(&o, 1, 27, 200) || check_one(&o, 4, 28, 200); }
static int test_k63_m11(void) { dy_kmer_opt_t o = {63, 11, 0}; return check_one(&o, 1, 29, 200) || check_one(&o, 2, 30, 200); }
/* a window of 61 m-mers: blocks and tiles (1024 k-mers) misaligned at every size */
static int test_k63_m3(void)  { dy_kmer_opt_t o = {63, 3, 0};  return check_one(&o, 1, 31, 200) || check_one(&o, 3, 32, 200); }

static int test_edge_cases(void)
{
	dy_kmer_opt_t o = {15, 7, 0}, bad = {15, 0, 0};
	dy_buf_t d[2];
	uint64_t n = 0;
	memset(d, 0, sizeof d);
	DY_CHECK(dy_skm_scan(&o, "", 0, 2, d, &n) == DY_OK && n == 0 && d[0].n + d[1].n == 0);
	DY_CHECK(dy_skm_scan(&o, "ACGTACGTACGTAC", 14, 2, d, &n) == DY_OK && n == 0); /* < k */
	DY_CHECK(dy_skm_scan(&o, "NNNNNNNNNNNNNNNNNNNN", 20, 2, d, &n) == DY_OK && n == 0);
	DY_CHECK(dy_skm_scan(&o, "ACGTACGTNACGTACGTACGT", 21, 2, d, NULL) == DY_OK && d[0].n + d[1].n == 0);
	DY_CHECK(dy_skm_scan(&o, "ACGTACGTACGTACG", 15, 2, d, &n) == DY_OK && n == 1);
	DY_CHECK(d[0].n + d[1].n == 5 + 4); /* one record, no flanks */
	DY_CHECK(dy_skm_scan(&bad, "ACGTACGTACGTACG", 15, 2, d, &n) == DY_EARG);
	DY_CHECK(dy_skm_scan(&o, "ACGTACGTACGTACG", 15, 0, d, &n) == DY_EARG);
	dy_buf_free(&d[0]), dy_buf_free(&d[1]);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_k15_m7, nfail);
	DY_RUN(test_k31_m19, nfail);
	DY_RUN(test_k33_m15, nfail);
	DY_RUN(test_k63_m31, nfail);
	DY_RUN(test_k63_m11, nfail);
	DY_RUN(test_k63_m3, nfail);
	DY_RUN(test_edge_cases, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
