/* test_count.c -- dy_ht_count_skm against the reference counter (1, 2 and
 * 4 threads: identical tables, slot by slot) and against a brute-force
 * count of (canonical k-mer, canonical neighbours) taken from the reads. */
#include <string.h>
#include "dy_test.h"
#include "dy_kern.h"
#include "dy_kern_ref.h"

typedef struct { dy_kmerw_t x; int l, r; } tup_t;           /* one occurrence */
typedef struct { dy_kmerw_t x; uint32_t cnt, e[2][4]; } ent_t; /* oracle entry */

typedef struct {
	char *seq;          /* reads, concatenated */
	size_t *off, n, len;
} reads_t;

static int cmp_tup(const void *a, const void *b)
{
	const tup_t *p = a, *q = b;
	return dy_kmerw_lt(p->x, q->x) ? -1 : dy_kmerw_lt(q->x, p->x);
}

/* Reads from a random genome with a repeated segment, both strands,
 * substitution errors, now and then an N or a lower-case base. */
static void simulate(reads_t *R, size_t glen, size_t n_reads, int err_per_mille, uint64_t seed)
{
	char *g = malloc(glen);
	size_t i, j;
	for (i = 0; i < glen; ++i) g[i] = "ACGT"[dy_test_rand(&seed) & 3];
	memcpy(g + glen / 2, g + glen / 4, 300); /* a repeat longer than any k */
	R->seq = malloc(n_reads * 150), R->off = malloc((n_reads + 1) * sizeof *R->off);
	R->n = n_reads, R->len = 0;
	for (i = 0; i < n_reads; ++i) {
		size_t len = 60 + dy_test_rand(&seed) % 91, pos = dy_test_rand(&seed) % (glen - len + 1);
		int rc = dy_test_rand(&seed) & 1;
		char *s = R->seq + R->len;
		for (j = 0; j < len; ++j) {
			char c = rc ? "TGCA"[dy_nt4_table[(uint8_t)g[pos + len - 1 - j]]] : g[pos + j];
			uint64_t r = dy_test_rand(&seed) % 1000;
			if (r < (uint64_t)err_per_mille) c = "ACGT"[(dy_nt4_table[(uint8_t)c] + 1 + r % 3) & 3];
			else if (r == 999) c = 'N';
			else if (r == 998) c = (char)(c + 32);
			s[j] = c;
		}
		R->off[i] = R->len, R->len += len;
	}
	R->off[n_reads] = R->len;
	free(g);
}

/* s[0..n) equals its reverse complement (case-blind) */
static int is_palindrome(const char *s, int n)
{
	int i;
	for (i = 0; i < n; ++i) {
		int a = dy_nt4_table[(uint8_t)s[i]], b = dy_nt4_table[(uint8_t)s[n - 1 - i]];
		if (a > 3 || b > 3 || a != 3 - b) return 0;
	}
	return 1;
}

/* Brute force over the reads: sorted distinct entries with full counts. */
static ent_t *brute(const reads_t *R, int k, size_t *n_ent)
{
	tup_t *t = malloc(R->len * sizeof *t);
	ent_t *e = malloc(R->len * sizeof *e);
	size_t i, n = 0, j, q;
	for (i = 0; i < R->n; ++i) {
		const char *s = R->seq + R->off[i];
		size_t len = R->off[i + 1] - R->off[i];
		for (j = 0; j + k <= len; ++j) {
			dy_kmerw_t x = { 0, 0 }, c, m = dy_kmerw_mask(k);
			int ok = 1, l, r, fw;
			for (q = j; q < j + k; ++q) ok &= dy_nt4_table[(uint8_t)s[q]] < 4, x = dy_kmerw_push(x, dy_nt4_table[(uint8_t)s[q]] & 3, m);
			if (!ok) continue;
			l = j ? dy_nt4_table[(uint8_t)s[j - 1]] : 4, r = j + k < len ? dy_nt4_table[(uint8_t)s[j + k]] : 4;
			/* an edge counts the occurrences of its (k+1)-mer: a palindromic
			 * one has x at both ends and is counted once, from its left k-mer */
			if (l < 4 && is_palindrome(s + j - 1, k + 1)) l = 4;
			c = dy_kmerw_canon(x, k), fw = dy_kmerw_eq(c, x);
			t[n].x = c;
			t[n].l = fw ? l : (r < 4 ? 3 - r : 4), t[n].r = fw ? r : (l < 4 ? 3 - l : 4);
			++n;
		}
	}
	qsort(t, n, sizeof *t, cmp_tup);
	for (i = 0, *n_ent = 0; i < n; ++i) {
		ent_t *u = &e[*n_ent];
		if (i == 0 || !dy_kmerw_eq(t[i].x, t[i - 1].x)) memset(u, 0, sizeof *u), u->x = t[i].x, ++*n_ent;
		else --u;
		++u->cnt;
		if (t[i].l < 4) ++u->e[0][t[i].l];
		if (t[i].r < 4) ++u->e[1][t[i].r];
	}
	free(t);
	return e;
}

static int same_slot(const dy_ht_t *a, const dy_ht_t *b, size_t id)
{
	dy_kmerw_t x, y;
	uint32_t c, d, e, f;
	int ia = dy_ht_slotw(a, id, &x, &c, &e), ib = dy_ht_slotw(b, id, &y, &d, &f);
	return ia == ib && (!ia || (dy_kmerw_eq(x, y) && c == d && e == f));
}

static int matches_entry(const dy_ht_t *h, const ent_t *u)
{
	uint32_t cnt, edges;
	int s, b;
	int64_t id = dy_ht_findw(h, u->x);
	if (id < 0 || !dy_ht_slot(h, (size_t)id, NULL, &cnt, &edges) || cnt != u->cnt) return 0;
	for (s = 0; s < 2; ++s)
		for (b = 0; b < 4; ++b)
			if ((uint32_t)dy_edge_get(edges, s, b) != (u->e[s][b] < 15 ? u->e[s][b] : 15)) return 0;
	return 1;
}

/* Scan the reads to n_ranks buffers; count each with the reference and
 * with 1, 2, 4 threads; compare tables and the brute force. */
static int check_count(int k, int m, int plog, int n_ranks, size_t glen, size_t n_reads, uint64_t seed)
{
	dy_kmer_opt_t o = { k, m, 0 };
	dy_buf_t dest[4];
	reads_t R;
	ent_t *want;
	size_t n_want, i, total = 0, id;
	int r, t;
	memset(dest, 0, sizeof dest);
	simulate(&R, glen, n_reads, 5, seed);
	for (i = 0; i < R.n; ++i)
		DY_CHECK(dy_skm_scan(&o, R.seq + R.off[i], R.off[i + 1] - R.off[i], n_ranks, dest, NULL) == DY_OK);
	want = brute(&R, k, &n_want);
	for (r = 0; r < n_ranks; ++r) {
		dy_ht_t *ref = dy_ht_init(k, m, plog);
		DY_CHECK(ref && dy_ht_count_skm_ref(ref, dest[r].a, dest[r].n) == DY_OK);
		for (t = 1; t <= 4; t *= 2) {
			dy_ht_t *h = dy_ht_init(k, m, plog);
			DY_CHECK(h && dy_ht_count_skm(h, dest[r].a, dest[r].n, t) == DY_OK);
			DY_CHECK(dy_ht_capacity(h) == dy_ht_capacity(ref) && dy_ht_size(h) == dy_ht_size(ref));
			for (id = 0; id < dy_ht_capacity(h); ++id) DY_CHECK(same_slot(h, ref, id));
			dy_ht_destroy(h);
		}
		for (i = 0; i < n_want; ++i) /* each k-mer lives at its owner, complete */
			if (dy_mzr_owner(dy_mzr_kmerw(&o, want[i].x), n_ranks) == r)
				DY_CHECK(matches_entry(ref, &want[i]));
		total += dy_ht_size(ref);
		dy_ht_destroy(ref);
		dy_buf_free(&dest[r]);
	}
	DY_CHECK(total == n_want);
	free(want), free(R.seq), free(R.off);
	return 0;
}

static int test_k21(void) { return check_count(21, 11, 4, 1, 20000, 4000, 41); }
static int test_k31(void) { return check_count(31, 19, 6, 3, 20000, 4000, 42); }
static int test_k33(void) { return check_count(33, 17, 3, 2, 20000, 3000, 43); }
static int test_k63(void) { return check_count(63, 31, 5, 4, 20000, 3000, 44); }
static int test_k95(void) { return check_count(95, 31, 4, 2, 20000, 3000, 47); }
static int test_k127(void) { return check_count(127, 25, 3, 3, 20000, 3000, 48); }
static int test_part0(void) { return check_count(15, 7, 0, 1, 5000, 1000, 45); }
/* more than one chunk of 2^20 k-mers */
static int test_chunks(void) { return check_count(31, 19, 8, 1, 200000, 16000, 46); }

/* Records longer than the counter's on-stack base buffer (a tandem repeat
 * is one super-k-mer: every window holds every phase of the unit), beside
 * short ones, at narrow and wide k: the same table as the reference, every
 * k-mer counted. */
static int test_long_records(void)
{
	static const int ks[3] = { 31, 63, 95 };
	int ki, t;
	for (ki = 0; ki < 3; ++ki) {
		int k = ks[ki];
		dy_kmer_opt_t o = { k, dy_mzr_default_m(k), 0 };
		dy_buf_t d = {0, 0, NULL};
		char read[3000];
		dy_ht_t *ref = dy_ht_init(k, 0, 3);
		uint64_t nk = 0, got = 0;
		size_t i, id, off = 0, longest = 0;
		for (i = 0; i < 1400; ++i) read[i] = "ACGTTGC"[i % 7];
		for (; i < 3000; ++i) read[i] = "ACGT"[(i * 2654435761u >> 13) & 3];
		DY_CHECK(ref);
		DY_CHECK(dy_skm_scan(&o, read, 3000, 1, &d, &nk) == DY_OK);
		DY_CHECK(dy_skm_scan(&o, read + 700, 1500, 1, &d, &nk) == DY_OK);
		while (off < d.n) {
			uint32_t n;
			memcpy(&n, d.a + off, 4);
			if (n > longest) longest = n;
			off += dy_skm_size(n);
		}
		DY_CHECK(longest > 1000);
		DY_CHECK(dy_ht_count_skm_ref(ref, d.a, d.n) == DY_OK);
		for (t = 1; t <= 2; ++t) {
			dy_ht_t *h = dy_ht_init(k, 0, 3);
			DY_CHECK(h && dy_ht_count_skm(h, d.a, d.n, t) == DY_OK);
			DY_CHECK(dy_ht_capacity(h) == dy_ht_capacity(ref) && dy_ht_size(h) == dy_ht_size(ref));
			for (id = 0, got = 0; id < dy_ht_capacity(h); ++id) {
				uint32_t c = 0;
				DY_CHECK(same_slot(h, ref, id));
				if (dy_ht_slot(h, id, NULL, &c, NULL)) got += c;
			}
			DY_CHECK(got == nk);
			dy_ht_destroy(h);
		}
		dy_ht_destroy(ref), dy_buf_free(&d);
	}
	return 0;
}

/* Counts add up over calls, and edge counters saturate consistently. */
static int test_accumulate(void)
{
	dy_kmer_opt_t o = { 15, 7, 0 };
	dy_buf_t d = {0, 0, NULL};
	dy_ht_t *h = dy_ht_init(15, 7, 2), *ref = dy_ht_init(15, 7, 2);
	const char *s = "ACGTTGCAAGGCTTACCGA";
	size_t id;
	int i;
	DY_CHECK(h && ref);
	DY_CHECK(dy_skm_scan(&o, s, strlen(s), 1, &d, NULL) == DY_OK);
	for (i = 0; i < 20; ++i) {
		DY_CHECK(dy_ht_count_skm(h, d.a, d.n, 2) == DY_OK);
		DY_CHECK(dy_ht_count_skm_ref(ref, d.a, d.n) == DY_OK);
	}
	DY_CHECK(dy_ht_size(h) == 5);
	for (id = 0; id < dy_ht_capacity(h); ++id) {
		uint32_t cnt, edges;
		DY_CHECK(same_slot(h, ref, id));
		if (dy_ht_slot(h, id, NULL, &cnt, &edges)) {
			DY_CHECK(cnt == 20);
			DY_CHECK(((edges >> 16) & 0xFFFF) == 0 || __builtin_popcount(edges >> 16) == 4);
		}
	}
	dy_ht_destroy(h), dy_ht_destroy(ref), dy_buf_free(&d);
	return 0;
}

/* Malformed buffers: DY_EFORMAT and nothing counted. */
static int test_bad_records(void)
{
	dy_ht_t *h = dy_ht_init(15, 7, 2);
	uint8_t ok[5 + 4] = { 15, 0, 0, 0, 0, 0x1B, 0x1B, 0x1B, 0x1B };
	uint8_t buf[64];
	DY_CHECK(h);
	DY_CHECK(dy_ht_count_skm(h, ok, 0, 2) == DY_OK && dy_ht_size(h) == 0);
	memcpy(buf, ok, 9), memcpy(buf + 9, ok, 9);
	DY_CHECK(dy_ht_count_skm(h, buf, 17, 2) == DY_EFORMAT);          /* truncated */
	DY_CHECK(dy_ht_count_skm(h, buf, 12, 2) == DY_EFORMAT);          /* short header */
	buf[13] = 10 << 2;              /* bad flags: minimizer at q = 9, past k - m */
	DY_CHECK(dy_ht_count_skm(h, buf, 18, 2) == DY_EFORMAT);
	DY_CHECK(dy_ht_count_skm_ref(h, buf, 18) == DY_EFORMAT);
	buf[13] = 0xFF;
	DY_CHECK(dy_ht_count_skm(h, buf, 18, 2) == DY_EFORMAT);
	buf[13] = 1;                                                       /* flank: no k-mer left */
	DY_CHECK(dy_ht_count_skm(h, buf, 18, 2) == DY_EFORMAT);
	DY_CHECK(dy_ht_count_skm_ref(h, buf, 18) == DY_EFORMAT);
	buf[9] = 14, buf[13] = 0;                                          /* n < k */
	DY_CHECK(dy_ht_count_skm(h, buf, 18, 2) == DY_EFORMAT);
	DY_CHECK(dy_ht_size(h) == 0);
	DY_CHECK(dy_ht_count_skm(h, ok, 9, 2) == DY_OK && dy_ht_size(h) == 1);
	dy_ht_destroy(h);
	return 0;
}

/* Count buf in about `pieces` calls, each of whole records. */
static int count_pieces(dy_ht_t *h, const dy_buf_t *b, int pieces, int T)
{
	size_t off = 0;
	while (off < b->n) {
		size_t end = off, want = b->n / (size_t)pieces + 1;
		while (end < b->n && end - off < want) {
			const uint8_t *p = b->a + end;
			end += dy_skm_size((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		}
		if (dy_ht_count_skm(h, b->a + off, end - off, T) != DY_OK) return -1;
		off = end;
	}
	return 0;
}

/* The sieve (two passes) against the brute force, on reads with errors:
 * every k-mer seen twice or more at its owner with its exact count and
 * edges, any other entry a true singleton of count 1, most singletons kept
 * out, the same table for 1, 2 and 4 threads, and the sketches merged over
 * the ranks equal to the one of a single rank, near the true count. */
static int check_sieve(int k, int m, int plog, int n_ranks, size_t glen, size_t n_reads, uint64_t seed)
{
	dy_kmer_opt_t o = { k, m, 0 };
	dy_buf_t dest[4], one = { 0, 0, NULL };
	reads_t R;
	ent_t *want;
	size_t n_want, i, j, id, n_solid = 0, n_kept = 0;
	uint8_t merged[DY_HLL_N], single[DY_HLL_N];
	double est;
	int r, t;
	memset(dest, 0, sizeof dest), memset(merged, 0, sizeof merged);
	simulate(&R, glen, n_reads, 5, seed);
	for (i = 0; i < R.n; ++i) {
		DY_CHECK(dy_skm_scan(&o, R.seq + R.off[i], R.off[i + 1] - R.off[i], n_ranks, dest, NULL) == DY_OK);
		DY_CHECK(dy_skm_scan(&o, R.seq + R.off[i], R.off[i + 1] - R.off[i], 1, &one, NULL) == DY_OK);
	}
	want = brute(&R, k, &n_want);
	for (i = 0; i < n_want; ++i) n_solid += want[i].cnt >= 2;
	for (r = 0; r < n_ranks; ++r) {
		dy_ht_t *first = NULL;
		for (t = 1; t <= 4; t *= 2) {
			dy_ht_t *h = dy_ht_init(k, m, plog);
			size_t n2 = 0, n_r = 0;
			DY_CHECK(h && dy_ht_sieve_begin(h) == DY_OK && dy_ht_mode(h) == DY_HT_SIEVE);
			DY_CHECK(count_pieces(h, &dest[r], 5, t) == 0);
			DY_CHECK(dy_ht_sieve_end(h) == DY_OK && dy_ht_mode(h) == DY_HT_RECOUNT);
			DY_CHECK(count_pieces(h, &dest[r], 3, t) == 0);
			dy_ht_recount_end(h);
			DY_CHECK(dy_ht_mode(h) == DY_HT_COUNT && dy_ht_hll(h) != NULL);
			for (i = 0; i < n_want; ++i) {
				if (dy_mzr_owner(dy_mzr_kmerw(&o, want[i].x), n_ranks) != r) continue;
				++n_r;
				if (want[i].cnt >= 2) { DY_CHECK(matches_entry(h, &want[i])); ++n2; }
				else if (dy_ht_findw(h, want[i].x) >= 0) DY_CHECK(matches_entry(h, &want[i]));   /* let through: exact */
			}
			for (id = 0, j = 0; id < dy_ht_capacity(h); ++id) {
				uint32_t c;
				if (dy_ht_slot(h, id, NULL, &c, NULL)) ++j, n2 -= c >= 2;
			}
			DY_CHECK(n2 == 0);                 /* no entry of count >= 2 the brute force lacks */
			DY_CHECK(j * 4 < n_r * 3 || n_r < 100);   /* the singletons, most of the k-mers here, mostly out */
			if (first == NULL) {
				first = h, n_kept += j;
				for (i = 0; i < DY_HLL_N; ++i)
					if (merged[i] < dy_ht_hll(h)[i]) merged[i] = dy_ht_hll(h)[i];
			} else {
				DY_CHECK(dy_ht_capacity(h) == dy_ht_capacity(first));
				for (id = 0; id < dy_ht_capacity(h); ++id) DY_CHECK(same_slot(h, first, id));
				DY_CHECK(memcmp(dy_ht_hll(h), dy_ht_hll(first), DY_HLL_N) == 0);
				dy_ht_destroy(h);
			}
		}
		dy_ht_destroy(first);
		dy_buf_free(&dest[r]);
	}
	{   /* one rank's sketch: the merge of the ranks' */
		dy_ht_t *h = dy_ht_init(k, m, plog);
		DY_CHECK(h && dy_ht_sieve_begin(h) == DY_OK && count_pieces(h, &one, 2, 2) == 0 && dy_ht_sieve_end(h) == DY_OK);
		memcpy(single, dy_ht_hll(h), sizeof single);
		dy_ht_destroy(h);
	}
	DY_CHECK(memcmp(single, merged, sizeof merged) == 0);
	est = dy_hll_estimate(merged);
	DY_CHECK(est > 0.95 * (double)n_want && est < 1.05 * (double)n_want);
	DY_CHECK(n_kept >= n_solid && n_kept < n_solid + (n_want - n_solid) / 5);
	free(want), free(R.seq), free(R.off), dy_buf_free(&one);
	return 0;
}

static int test_sieve_k31(void) { return check_sieve(31, 19, 6, 3, 20000, 4000, 51); }
static int test_sieve_k21(void) { return check_sieve(21, 11, 0, 1, 20000, 4000, 52); }
static int test_sieve_k63(void) { return check_sieve(63, 31, 4, 2, 20000, 3000, 53); }
static int test_sieve_k95(void) { return check_sieve(95, 31, 3, 2, 20000, 3000, 54); }

int main(void)
{
	int nfail = 0;
	DY_RUN(test_k21, nfail);
	DY_RUN(test_k31, nfail);
	DY_RUN(test_k33, nfail);
	DY_RUN(test_k63, nfail);
	DY_RUN(test_k95, nfail);
	DY_RUN(test_k127, nfail);
	DY_RUN(test_part0, nfail);
	DY_RUN(test_chunks, nfail);
	DY_RUN(test_long_records, nfail);
	DY_RUN(test_accumulate, nfail);
	DY_RUN(test_bad_records, nfail);
	DY_RUN(test_sieve_k31, nfail);
	DY_RUN(test_sieve_k21, nfail);
	DY_RUN(test_sieve_k63, nfail);
	DY_RUN(test_sieve_k95, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
