/* isize.c -- where read pairs fall on the contigs, and the insert-size
 * distribution of a library (dy_kern.h).
 *
 * The contigs are indexed by a sample of their k-mers (k <= 31, canonical,
 * kept when the low `shift` bits of their hash are 0, so a sample is the
 * same whatever the contig's orientation): an array of (hash, contig,
 * position, strand) sorted by hash, from which every k-mer seen twice is
 * removed, so a hit names one place.  The hash (an invertible mixer) stands
 * for the k-mer; its top bits index a directory of the array, so a lookup
 * is one or two cache misses, not a binary search over the whole array.
 * A read is placed by its sampled k-mers: each hit gives a contig, a strand
 * and where the read would start; the largest group of hits that agree
 * (same contig and strand, starts within SLACK bases: an indel shifts it a
 * little) places the read if it holds more than half of the hits.  So
 * a read that runs into an adapter (whose k-mers may form a contig of their
 * own) or over a repeat copy's edge is placed by its larger part, and one
 * split evenly between two places is not placed.
 * Sequencing errors only lose hits: the k-mers they touch are not in the
 * contigs.  A pair placed on one contig gives its orientation and insert:
 * FR (forward mate first, the Illumina paired-end layout), RF (outward, the
 * mate-pair layout) or FF (both on one strand). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"

#define SLACK 8      /* bases two agreeing hits may put the read's start apart */
#define MAX_HITS 64  /* hits looked at per read: enough to outvote an adapter */

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int ent_cmp(const void *a, const void *b)
{
	const dy_cix_ent_t *x = (const dy_cix_ent_t *)a, *y = (const dy_cix_ent_t *)b;
	if (x->h != y->h) return x->h < y->h ? -1 : 1;
	if (x->ctg != y->ctg) return x->ctg < y->ctg ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Sampled k-mers of one contig into out (NULL: count only). */
static size_t scan_contig(const dy_contig_t *ct, uint32_t id, int k, uint64_t mask, double cap, dy_cix_ent_t *out)
{
	const uint64_t km = k >= 32 ? ~0ULL : (1ULL << (2 * k)) - 1;
	const int sh = 2 * (k - 1);
	uint64_t fw = 0, rc = 0, i;
	size_t n = 0;
	int l = 0;
	if (ct->len > 0x7fffffffULL) return 0;   /* positions are 31 bits: such a contig is not sampled */
	if (cap > 0 && ct->n_kmers && (double)ct->cov > cap * (double)ct->n_kmers) return 0;
	for (i = 0; i < ct->len; ++i) {
		int c = dy_nt4_table[(uint8_t)ct->seq[i]];
		uint64_t cn;
		if (c > 3) { l = 0, fw = rc = 0; continue; }
		fw = (fw << 2 | (uint64_t)c) & km;
		rc = rc >> 2 | (uint64_t)(3 - c) << sh;
		if (++l < k || fw == rc) continue;
		cn = fw < rc ? fw : rc;
		if (dy_hash64(cn) & mask) continue;
		if (out) {
			out[n].h = dy_hash64(cn), out[n].ctg = id;
			out[n].pos = (uint32_t)((i + 1 - (uint64_t)k) << 1 | (fw != cn));
		}
		++n;
	}
	return n;
}

/* The length-weighted median of the contigs' mean k-mer coverage. */
static double median_cov(const dy_contigs_t *cs)
{
	double *c, med = 0;
	uint64_t tot = 0, run = 0;
	size_t i, n = 0;
	if ((c = (double *)malloc((cs->n + 1) * 2 * sizeof *c)) == NULL) return 0;
	for (i = 0; i < cs->n; ++i)
		if (cs->a[i].n_kmers) c[2 * n] = (double)cs->a[i].cov / (double)cs->a[i].n_kmers,
		                      c[2 * n + 1] = (double)cs->a[i].n_kmers, tot += cs->a[i].n_kmers, ++n;
	qsort(c, n, 2 * sizeof *c, dbl_cmp);
	for (i = 0; i < n && 2 * run < tot; ++i) run += (uint64_t)c[2 * i + 1], med = c[2 * i];
	free(c);
	return med;
}

int dy_cix_build(const dy_contigs_t *cs, int k, int shift, double max_cov, int n_threads, dy_cix_t *ix)
{
	/* contig ids are 32 bits: past 2^32 - 1 contigs (sorted longest first) the rest are left out */
	const size_t nc = cs->n < 0xffffffffULL ? cs->n : 0xffffffffULL;
	size_t *at, i, j, n = 0, w;
	long c;
	double cap;
	memset(ix, 0, sizeof *ix);
	ix->k = k > 31 ? 31 : k, ix->mask = (1ULL << shift) - 1;
	/* contigs far above the usual coverage (collapsed repeats, adapters in
	 * untrimmed reads) are left out: they would outvote a read's true place */
	cap = max_cov > 0 ? max_cov * median_cov(cs) : 0;
	if ((at = (size_t *)malloc((nc + 1) * sizeof *at)) == NULL) return DY_ENOMEM;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64)
	for (c = 0; c < (long)nc; ++c) at[c] = scan_contig(&cs->a[c], (uint32_t)c, ix->k, ix->mask, cap, NULL);
	for (i = 0; i < nc; ++i) { size_t t = at[i]; at[i] = n, n += t; }
	if (n && (ix->a = (dy_cix_ent_t *)malloc(n * sizeof *ix->a)) == NULL) { free(at); return DY_ENOMEM; }
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64)
	for (c = 0; c < (long)nc; ++c) scan_contig(&cs->a[c], (uint32_t)c, ix->k, ix->mask, cap, ix->a + at[c]);
	free(at);
	qsort(ix->a, n, sizeof *ix->a, ent_cmp);
	/* a k-mer twice in the contigs names no single place: drop every copy */
	for (i = 0, w = 0; i < n;) {
		size_t e = i + 1;
		while (e < n && ix->a[e].h == ix->a[i].h) ++e;
		if (e == i + 1) ix->a[w++] = ix->a[i];
		i = e;
	}
	ix->n = w;
	/* the directory: about four entries a bucket */
	for (ix->bits = 1; ix->bits < 40 && ((size_t)1 << ix->bits) * 4 < w; ++ix->bits) {}
	if ((ix->dir = (size_t *)malloc((((size_t)1 << ix->bits) + 1) * sizeof *ix->dir)) == NULL) return DY_ENOMEM;
	for (i = 0, j = 0; j <= ((size_t)1 << ix->bits); ++j) {
		while (i < w && (ix->a[i].h >> (64 - ix->bits)) < j) ++i;
		ix->dir[j] = i;
	}
	return DY_OK;
}

void dy_cix_free(dy_cix_t *ix)
{
	free(ix->a), free(ix->dir);
	memset(ix, 0, sizeof *ix);
}

static const dy_cix_ent_t *find(const dy_cix_t *ix, uint64_t h)
{
	size_t i, b = (size_t)(h >> (64 - ix->bits));
	if (ix->n == 0) return NULL;
	for (i = ix->dir[b]; i < ix->dir[b + 1] && ix->a[i].h <= h; ++i)
		if (ix->a[i].h == h) return &ix->a[i];
	return NULL;
}

int dy_cix_place(const dy_cix_t *ix, const char *seq, uint32_t len, dy_place_t *pl)
{
	const int k = ix->k, sh = 2 * (k - 1);
	const uint64_t km = (1ULL << (2 * k)) - 1;
	dy_place_t hit[MAX_HITS];
	uint64_t fw = 0, rc = 0;
	uint32_t i;
	int l = 0, n = 0, a, b, best = -1, best_n = 0;
	pl->ctg = -1, pl->beg = 0, pl->rev = 0, pl->hits = 0;
	for (i = 0; i < len && n < MAX_HITS; ++i) {
		int c = dy_nt4_table[(uint8_t)seq[i]], rev;
		uint64_t cn, h;
		int64_t p;
		const dy_cix_ent_t *e;
		if (c > 3) { l = 0, fw = rc = 0; continue; }
		fw = (fw << 2 | (uint64_t)c) & km;
		rc = rc >> 2 | (uint64_t)(3 - c) << sh;
		if (++l < k || fw == rc) continue;
		cn = fw < rc ? fw : rc;
		if (((h = dy_hash64(cn)) & ix->mask) || (e = find(ix, h)) == NULL) continue;
		/* the read's k-mer at offset o = i + 1 - k is the contig's at p, on the
		 * same strand when both are (or neither is) the canonical one */
		p = (int64_t)(e->pos >> 1);
		rev = (int)(e->pos & 1) != (fw != cn);
		hit[n].ctg = (int64_t)e->ctg, hit[n].rev = rev, hit[n].hits = 0;
		hit[n].beg = rev ? p - ((int64_t)len - (int64_t)(i + 1)) : p - (int64_t)(i + 1 - (uint32_t)k);
		++n;
	}
	/* the largest agreeing group, the first such in read order */
	for (a = 0; a < n; ++a) {
		int m = 0;
		for (b = 0; b < n; ++b)
			m += hit[b].ctg == hit[a].ctg && hit[b].rev == hit[a].rev &&
			     hit[b].beg <= hit[a].beg + SLACK && hit[b].beg >= hit[a].beg - SLACK;
		if (m > best_n) best = a, best_n = m;
	}
	if (best < 0 || 2 * best_n <= n) return 0;
	*pl = hit[best];
	pl->hits = best_n;
	return 1;
}

int dy_isize_pair(const dy_place_t *a, uint32_t la, const dy_place_t *b, uint32_t lb, int64_t *ins)
{
	const dy_place_t *f, *r;
	uint32_t lf, lr;
	*ins = 0;
	if (a->ctg < 0 || a->ctg != b->ctg) return -1;
	if (a->rev == b->rev) return DY_ORI_FF;
	f = a->rev ? b : a, r = a->rev ? a : b;
	lf = a->rev ? lb : la, lr = a->rev ? la : lb;
	if (f->beg <= r->beg + (int64_t)lr) {   /* the forward mate starts before the reverse one ends */
		*ins = r->beg + (int64_t)lr - f->beg;
		return DY_ORI_FR;
	}
	*ins = f->beg + (int64_t)lf - r->beg;
	return DY_ORI_RF;
}

const char *dy_isize_ori_name(int ori)
{
	static const char *name[3] = { "FR", "RF", "FF" };
	return ori >= 0 && ori < 3 ? name[ori] : "none";
}

static int i64_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* nearest rank: the smallest value with at least q of the n at or below it */
static int64_t quant(const int64_t *v, size_t n, double q)
{
	size_t i = (size_t)(q * (double)n + 0.999999);
	return v[i ? i - 1 : 0];
}

void dy_isize_summary(int64_t *v, size_t n, dy_isize_dist_t *d)
{
	int64_t iqr, lo, hi, w = 1, from;
	double s = 0, s2 = 0;
	size_t i, m = 0;
	memset(d, 0, sizeof *d);
	if (n == 0) return;
	qsort(v, n, sizeof *v, i64_cmp);
	d->p5 = quant(v, n, 0.05), d->p25 = quant(v, n, 0.25), d->p50 = quant(v, n, 0.50);
	d->p75 = quant(v, n, 0.75), d->p95 = quant(v, n, 0.95);
	/* outliers as BWA bounds them: beyond two interquartile ranges of the quartiles */
	iqr = d->p75 - d->p25;
	lo = d->p25 - 2 * iqr, hi = d->p75 + 2 * iqr;
	if (lo < 1) lo = 1;
	for (i = 0; i < n; ++i)
		if (v[i] >= lo && v[i] <= hi) s += (double)v[i], ++m;
	d->n_used = m, d->lo = lo, d->hi = hi;
	if (m == 0) return;
	d->mean = s / (double)m;
	for (i = 0; i < n; ++i)
		if (v[i] >= lo && v[i] <= hi) s2 += ((double)v[i] - d->mean) * ((double)v[i] - d->mean);
	d->sd = m > 1 ? sqrt(s2 / (double)(m - 1)) : 0.0;
	/* a histogram of at most DY_ISIZE_BINS bins of 1, 2 or 5 x 10^j bases */
	for (;;) {
		int64_t t[3] = { w, 2 * w, 5 * w };
		int j, found = 0;
		for (j = 0; j < 3 && !found; ++j)
			if ((hi - (lo / t[j]) * t[j]) / t[j] < DY_ISIZE_BINS) w = t[j], found = 1;
		if (found) break;
		w *= 10;
	}
	from = (lo / w) * w;
	d->bin = w, d->from = from;
	for (i = 0; i < n; ++i)
		if (v[i] >= lo && v[i] <= hi) {
			size_t b = (size_t)((v[i] - from) / w);
			d->hist[b]++;
			if (b + 1 > d->n_bins) d->n_bins = b + 1;
		}
}
