/* bench_kern -- dactyl's kernels, each beside an obviously correct
 * reference in the same run, on the same bytes (no MPI, no file I/O inside
 * a timing).  Every kernel is validated against its reference before its
 * figure counts; one JSON object a line on stdout:
 *   {"kernel": NAME, "unit": U, "ref": RATE|null, "opt": RATE, "threads": T,
 *    "valid": true|false, ...details}
 *
 *   parse    FASTQ parse + 2-bit encode of the reads (GB/s of FASTQ):
 *            reference = a line-by-line parser with a switch per base;
 *            dactyl = dy_fx_next and a table lookup; same bases and codes
 *   cut      super-k-mer cutting (M k-mers/s): reference = every k-mer's
 *            minimizer from scratch (dy_mzr_kmer), a record where it changes;
 *            dactyl = dy_skm_scan; same k-mers and records
 *   count    counting at table sizes from L2-resident to 8x the last-level
 *            cache (M k-mer inserts/s, 16 M inserts each): reference =
 *            dy_ht_count_skm_ref on 1 thread, dactyl = dy_ht_count_skm on T
 *            threads; identical tables
 *   compact  solid k-mers to fragments (M solid k-mers/s) on the largest
 *            point's k-mers split over 4 ranks' tables, as a 4-rank run has
 *            them; no reference kernel (its oracle is the unit tests'
 *            brute-force unitigs): T threads against 1, same fragments
 *   merge    those fragments glued into unitigs (M fragments/s), T threads
 *            against 1, same contigs
 *
 *   bench_kern THREADS L2_BYTES LLC_BYTES READS.fq.gz [K]   (K default 31)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include "dy_kern.h"
#include "dy_kern_ref.h"
#include "bench_util.h"
#include "fastx.h"

#define PARSE_MAX (96u << 20)   /* FASTQ bytes taken from the file */
#define INSERTS (8u << 20)      /* k-mer occurrences a count point */
#define NR 4                    /* ranks the compaction and merge points split the k-mers over */

static uint64_t rng = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* ---- parse + encode --------------------------------------------------- */

typedef struct { const char *p; size_t n, off; } mem_t;
static int64_t mem_read(void *src, void *buf, size_t len)
{
	mem_t *m = src;
	size_t l = m->n - m->off < len ? m->n - m->off : len;
	memcpy(buf, m->p + m->off, l);
	m->off += l;
	return (int64_t)l;
}

typedef struct { uint64_t rec, bases, code[5]; } tally_t;

/* The reference: four lines a record, a switch per base. */
static void parse_ref(const char *s, size_t n, tally_t *t)
{
	size_t i = 0, line = 0;
	while (i < n) {
		const char *e = memchr(s + i, '\n', n - i);
		size_t j, end = e ? (size_t)(e - s) : n;
		if (line % 4 == 1) {
			++t->rec;
			for (j = i; j < end; ++j) {
				int c;
				switch (s[j]) {
				case 'A': case 'a': c = 0; break;
				case 'C': case 'c': c = 1; break;
				case 'G': case 'g': c = 2; break;
				case 'T': case 't': c = 3; break;
				case '\r': continue;
				default: c = 4;
				}
				++t->bases, ++t->code[c];
			}
		}
		++line, i = end + 1;
	}
}

static int parse_opt(const char *s, size_t n, tally_t *t)
{
	mem_t m = { s, n, 0 };
	dy_fx_t fx;
	dy_fxbuf_t b = { 0, 0, NULL };
	int ret;
	uint8_t *codes = NULL;
	size_t cm = 0;
	dy_fx_init(&fx, mem_read, &m, 0);
	while ((ret = dy_fx_next(&fx, &b)) == DY_OK) {
		size_t j;
		if (b.l > cm && (codes = realloc(codes, cm = b.l * 2)) == NULL) return -1;
		for (j = 0; j < b.l; ++j) codes[j] = dy_nt4_table[(uint8_t)b.s[j]];
		for (j = 0; j < b.l; ++j) ++t->code[codes[j] > 3 ? 4 : codes[j]];
		t->bases += b.l, ++t->rec, b.l = 0;
	}
	dy_fx_free(&fx), free(b.s), free(codes);
	return ret == DY_EOF ? 0 : -1;
}

/* ---- cutting ---------------------------------------------------------- */

/* Records of one buffer: how many, and the k-mers they hold. */
static void skm_tally(const dy_buf_t *b, int k, uint64_t *n_rec, uint64_t *n_kmer)
{
	size_t i = 0;
	while (i < b->n) {
		const uint8_t *p = b->a + i;
		uint32_t n = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		*n_kmer += n - (uint32_t)k + 1 - (p[4] & 1) - (p[4] >> 1 & 1);
		++*n_rec, i += dy_skm_size(n);
	}
}

/* The reference cutter: every k-mer's minimizer from scratch. */
static void cut_ref(const dy_kmer_opt_t *o, const char *s, size_t len, uint64_t *n_rec, uint64_t *n_kmer)
{
	size_t i = 0;
	while (i < len) {
		size_t j = i, p;
		dy_kmer_t x = 0, mask = dy_kmer_mask(o->k);
		uint64_t prev = 0;
		while (j < len && dy_nt4_table[(uint8_t)s[j]] < 4) ++j;
		for (p = i; p < j; ++p) {
			x = ((x << 2) | dy_nt4_table[(uint8_t)s[p]]) & mask;
			if (p + 1 >= i + (size_t)o->k) {
				uint64_t mz = dy_mzr_kmer(o, x);
				if (p + 1 == i + (size_t)o->k || mz != prev) ++*n_rec;
				prev = mz, ++*n_kmer;
			}
		}
		i = j + 1;
	}
}

/* ---- records for the count points --------------------------------------- */

/* Reads of 150 bp from a random genome of G bases, until INSERTS k-mers,
 * cut into n_ranks buffers.  Substitutions (0.5%, like Illumina's worst
 * case) only with err: at the small points their k-mers would swamp the
 * table size asked for. */
static int make_records(const dy_kmer_opt_t *o, size_t G, int err, int n_ranks, dy_buf_t *rec, uint64_t *nk)
{
	char *g = malloc(G + 150), read[150];
	size_t i;
	if (g == NULL) return -1;
	for (i = 0; i < G + 150; ++i) g[i] = "ACGT"[rnd() & 3];
	*nk = 0;
	while (*nk < INSERTS) {
		size_t p = rnd() % G, j;
		memcpy(read, g + p, 150);
		for (j = 0; err && j < 150; ++j)
			if (rnd() % 200 == 0) read[j] = "ACGT"[rnd() & 3];
		if (dy_skm_scan(o, read, 150, n_ranks, rec, nk) < 0) return -1;
	}
	free(g);
	return 0;
}

static int same_contigs(const dy_contigs_t *a, const dy_contigs_t *b)
{
	size_t i;
	if (a->n != b->n) return 0;
	for (i = 0; i < a->n; ++i)
		if (a->a[i].len != b->a[i].len || strcmp(a->a[i].seq, b->a[i].seq) != 0) return 0;
	return 1;
}

#define REPS 3
static double median(double *t)
{
	qsort(t, REPS, sizeof *t, bench_cmp_d);
	return t[REPS / 2];
}

static char *slurp_gz(const char *fn, size_t max, size_t *n)
{
	gzFile fp = gzopen(fn, "rb");
	char *s = malloc(max);
	int r = 0;
	*n = 0;
	if (fp == NULL || s == NULL) { if (fp) gzclose(fp); free(s); return NULL; }
	while (*n < max && (r = gzread(fp, s + *n, (unsigned)(max - *n < (1u << 30) ? max - *n : 1u << 30))) > 0) *n += (size_t)r;
	gzclose(fp);
	if (r < 0) { free(s); return NULL; }
	while (*n > 0 && s[*n - 1] != '\n') --*n;   /* whole lines only */
	return s;
}

/* FASTQ cut at a record start: the 4-line record boundary before n. */
static size_t whole_records(const char *s, size_t n)
{
	size_t lines = 0, i, last = 0;
	for (i = 0; i < n; ++i)
		if (s[i] == '\n' && ++lines % 4 == 0) last = i + 1;
	return last;
}

int main(int argc, char *argv[])
{
	int T = argc > 1 ? atoi(argv[1]) : 1, k = argc > 5 ? atoi(argv[5]) : 31, r, pi;
	double l2 = argc > 2 ? atof(argv[2]) : 1 << 20, llc = argc > 3 ? atof(argv[3]) : 32e6, t, tr, to[REPS];
	dy_kmer_opt_t o;
	size_t n = 0, i;
	char *fq;
	tally_t a, b;
	uint64_t rr = 0, rk = 0, or_ = 0, ok = 0;
	dy_buf_t cut = { 0, 0, NULL };
	dy_ht_t *tab[NR];
	dy_buf_t big_rec[NR];
	double targets[4];
	if (argc < 5 || T < 1 || k < DY_KMIN || k > DY_KNARROW) {
		fprintf(stderr, "usage: bench_kern THREADS L2_BYTES LLC_BYTES READS.fq.gz [K <= %d]\n", DY_KNARROW);
		return 2;
	}
	o.k = k, o.m = dy_mzr_default_m(k), o.sample = 0;
	memset(big_rec, 0, sizeof big_rec);
	if ((fq = slurp_gz(argv[4], PARSE_MAX, &n)) == NULL) {
		fprintf(stderr, "bench_kern: %s: cannot read it as gzip or plain FASTQ\n", argv[4]);
		return 2;
	}
	n = whole_records(fq, n);

	/* parse + encode */
	memset(&a, 0, sizeof a);
	t = bench_now(), parse_ref(fq, n, &a), tr = bench_now() - t;
	for (r = 0; r < REPS; ++r) {
		memset(&b, 0, sizeof b);
		t = bench_now();
		if (parse_opt(fq, n, &b) < 0) { fprintf(stderr, "bench_kern: %s: not FASTQ\n", argv[4]); return 2; }
		to[r] = bench_now() - t;
	}
	printf("{\"kernel\": \"parse\", \"unit\": \"GB/s\", \"ref\": %.4f, \"opt\": %.4f, \"threads\": 1, \"valid\": %s, \"bytes\": %zu, \"records\": %llu}\n",
	       n / tr / 1e9, n / median(to) / 1e9, memcmp(&a, &b, sizeof a) == 0 ? "true" : "false", n, (unsigned long long)a.rec);

	/* cutting: the same reads, whole */
	{
		mem_t m = { fq, n, 0 };
		dy_fx_t fx;
		dy_fxbuf_t s = { 0, 0, NULL };
		size_t *st = NULL, ns = 0, ms = 0, tot = 0;
		char *all = NULL;
		dy_fx_init(&fx, mem_read, &m, 0);
		/* all reads in one buffer, NUL-separated: the timings see no parser */
		while (dy_fx_next(&fx, &s) == DY_OK) {
			if (ns == ms && (st = realloc(st, (ms = ms ? 2 * ms : 1 << 16) * sizeof *st)) == NULL) return 2;
			st[ns++] = tot, tot += s.l + 1;
			if ((all = realloc(all, tot)) == NULL) return 2;
			memcpy(all + tot - s.l - 1, s.s, s.l), all[tot - 1] = 0, s.l = 0;
		}
		dy_fx_free(&fx), free(s.s);
		t = bench_now();
		for (i = 0; i < ns; ++i) cut_ref(&o, all + st[i], strlen(all + st[i]), &rr, &rk);
		tr = bench_now() - t;
		for (r = 0; r < REPS; ++r) {
			cut.n = 0, or_ = 0, ok = 0;
			t = bench_now();
			for (i = 0; i < ns; ++i)
				if (dy_skm_scan(&o, all + st[i], strlen(all + st[i]), 1, &cut, &ok) < 0) return 2;
			to[r] = bench_now() - t;
		}
		{
			uint64_t ok2 = 0;
			skm_tally(&cut, k, &or_, &ok2);
			printf("{\"kernel\": \"cut\", \"unit\": \"M k-mers/s\", \"ref\": %.3f, \"opt\": %.3f, \"threads\": 1, \"valid\": %s, \"kmers\": %llu, \"records\": %llu, \"record_bytes\": %zu}\n",
			       rk / tr / 1e6, ok / median(to) / 1e6, rr == or_ && rk == ok && ok2 == ok ? "true" : "false",
			       (unsigned long long)ok, (unsigned long long)or_, cut.n);
		}
		free(st), free(all);
	}
	free(fq), dy_buf_free(&cut);

	/* counting, from L2-resident to far beyond the LLC: about 24 bytes a
	 * distinct k-mer; the largest point has errors, as real reads do */
	targets[0] = l2 / 2, targets[1] = 4 * l2, targets[2] = llc / 2, targets[3] = 8 * llc;
	for (pi = 0; pi < 4; ++pi) {
		size_t G = (size_t)(targets[pi] / (pi == 3 ? 2.5 : 1.0) / 24);
		dy_buf_t rec = { 0, 0, NULL };
		uint64_t nk = 0;
		dy_ht_t *ref = dy_ht_init(k, o.m, 10), *h = NULL;
		int same;
		if (G < 2000) G = 2000;
		if (pi == 3) {   /* cut for NR ranks, counted here as one table */
			if (make_records(&o, G, 1, NR, big_rec, &nk) < 0) return 2;
			for (r = 0; r < NR; ++r)
				if (dy_buf_push(&rec, big_rec[r].a, big_rec[r].n) < 0) return 2;
		} else if (make_records(&o, G, 0, 1, &rec, &nk) < 0) return 2;
		if (ref == NULL) return 2;
		t = bench_now();
		if (dy_ht_count_skm_ref(ref, rec.a, rec.n) < 0) return 2;
		tr = bench_now() - t;
		for (r = 0; r < REPS; ++r) {
			dy_ht_destroy(h);
			if ((h = dy_ht_init(k, o.m, 10)) == NULL) return 2;
			t = bench_now();
			if (dy_ht_count_skm(h, rec.a, rec.n, T) < 0) return 2;
			to[r] = bench_now() - t;
		}
		same = bench_same_table(ref, h);
		printf("{\"kernel\": \"count\", \"point\": %d, \"unit\": \"M k-mers/s\", \"ref\": %.3f, \"opt\": %.3f, \"threads\": %d, \"valid\": %s, "
		       "\"target_bytes\": %.0f, \"table_bytes\": %zu, \"distinct\": %zu, \"inserts\": %llu, \"errors\": %s}\n",
		       pi, nk / tr / 1e6, nk / median(to) / 1e6, T, same ? "true" : "false", targets[pi],
		       dy_ht_bytes(h), dy_ht_size(h), (unsigned long long)nk, pi == 3 ? "true" : "false");
		dy_ht_destroy(ref), dy_ht_destroy(h), dy_buf_free(&rec);
	}

	/* compaction and merge over the largest point's NR tables (count >= 2:
	 * the errors go); fragments end at the k-mers of other ranks */
	{
		dy_buf_t f1 = { 0, 0, NULL }, fT = { 0, 0, NULL };
		dy_compact_stats_t s1, sT;
		dy_contigs_t c1, cT;
		double t1 = 0;
		memset(&s1, 0, sizeof s1), memset(&sT, 0, sizeof sT);
		for (r = 0; r < NR; ++r) {
			if ((tab[r] = dy_ht_init(k, o.m, 10)) == NULL || dy_ht_count_skm(tab[r], big_rec[r].a, big_rec[r].n, T) < 0) return 2;
			dy_buf_free(&big_rec[r]);
		}
		for (r = 0; r < NR; ++r) {
			t = bench_now();
			if (dy_compact_run(tab[r], &o, 2, NR, r, 1, &f1, &s1) < 0) return 2;
			t1 += bench_now() - t;
		}
		for (pi = 0; pi < REPS; ++pi) {
			fT.n = 0, memset(&sT, 0, sizeof sT), to[pi] = 0;
			for (r = 0; r < NR; ++r) {
				t = bench_now();
				if (dy_compact_run(tab[r], &o, 2, NR, r, T, &fT, &sT) < 0) return 2;
				to[pi] += bench_now() - t;
			}
		}
		printf("{\"kernel\": \"compact\", \"unit\": \"M solid k-mers/s\", \"ref\": null, \"opt\": %.3f, \"opt_1thread\": %.3f, \"threads\": %d, \"valid\": %s, \"solid\": %llu, \"fragments\": %llu}\n",
		       sT.n_solid / median(to) / 1e6, s1.n_solid / t1 / 1e6, T,
		       f1.n == fT.n && s1.n_frag == sT.n_frag && s1.n_solid == sT.n_solid ? "true" : "false",
		       (unsigned long long)sT.n_solid, (unsigned long long)sT.n_frag);
		t = bench_now();
		if (dy_merge_run(f1.a, f1.n, k, 1, &c1) < 0) return 2;
		t1 = bench_now() - t;
		for (r = 0; r < REPS; ++r) {
			t = bench_now();
			if (dy_merge_run(fT.a, fT.n, k, T, &cT) < 0) return 2;
			to[r] = bench_now() - t;
			if (r < REPS - 1) dy_contigs_free(&cT);
		}
		printf("{\"kernel\": \"merge\", \"unit\": \"M fragments/s\", \"ref\": null, \"opt\": %.3f, \"opt_1thread\": %.3f, \"threads\": %d, \"valid\": %s, \"fragments\": %llu, \"contigs\": %zu}\n",
		       sT.n_frag / median(to) / 1e6, s1.n_frag / t1 / 1e6, T, same_contigs(&c1, &cT) ? "true" : "false",
		       (unsigned long long)sT.n_frag, cT.n);
		dy_contigs_free(&c1), dy_contigs_free(&cT);
		dy_buf_free(&f1), dy_buf_free(&fT);
		for (r = 0; r < NR; ++r) dy_ht_destroy(tab[r]);
	}
	return 0;
}
