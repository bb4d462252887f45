/* dbg_oracle.h -- brute-force de Bruijn helpers for the compaction and merge
 * tests: k-mers as strings in sorted arrays (no hashing, no bit tricks
 * beyond dy_kmer.h), edges as (k+1)-mers, unitigs by a plain string walk.
 * Obviously correct and slow; for genomes of a few tens of kb. */
#ifndef DBG_ORACLE_H
#define DBG_ORACLE_H
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include "dy_test.h"
#include "dy_kmer.h"

/* ---- strings ------------------------------------------------------------ */

static inline char orc_comp(char c)
{
	return c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
}

static inline void orc_revcomp(const char *s, size_t n, char *out)
{
	dy_test_revcomp(s, n, out);
}

/* canonical copy of s[0..n) into out (n+1 bytes): the smaller strand */
static inline void orc_canon(const char *s, size_t n, char *out)
{
	orc_revcomp(s, n, out);
	if (strncmp(s, out, n) < 0) memcpy(out, s, n);
}

static inline char *orc_random_seq(size_t len, uint64_t *seed)
{
	char *s = (char *)malloc(len + 1);
	size_t i;
	for (i = 0; i < len; ++i) s[i] = "ACGT"[dy_test_rand(seed) >> 62];
	s[len] = 0;
	return s;
}

static inline dy_kmer_t orc_encode(const char *s, int k)
{
	dy_kmer_t x = 0;
	int i;
	for (i = 0; i < k; ++i) x = x << 2 | (dy_kmer_t)(s[i] == 'A' ? 0 : s[i] == 'C' ? 1 : s[i] == 'G' ? 2 : 3);
	return x;
}

static inline int orc_code(char c)
{
	return c == 'A' ? 0 : c == 'C' ? 1 : c == 'G' ? 2 : 3;
}

/* ---- sorted string sets with counts ------------------------------------ */

typedef struct {
	int w;            /* string length */
	size_t n, m;
	char *a;          /* n records of w+1 bytes, NUL-terminated */
	uint32_t *cnt;
} orc_set_t;

static int orc_cmp_w;
static int orc_cmp_rec(const void *a, const void *b)
{
	return strncmp((const char *)a, (const char *)b, (size_t)orc_cmp_w);
}

static void orc_set_add(orc_set_t *s, const char *x)
{
	if (s->n == s->m) {
		s->m = s->m ? 2 * s->m : 1024;
		s->a = (char *)realloc(s->a, s->m * (size_t)(s->w + 1));
	}
	orc_canon(x, (size_t)s->w, s->a + s->n * (size_t)(s->w + 1));
	++s->n;
}

static void orc_set_finish(orc_set_t *s)
{
	size_t i, j = 0, W = (size_t)s->w + 1;
	orc_cmp_w = s->w;
	qsort(s->a, s->n, W, orc_cmp_rec);
	s->cnt = (uint32_t *)calloc(s->n + 1, sizeof *s->cnt);
	for (i = 0; i < s->n; ++i) {
		if (j > 0 && strncmp(s->a + (j - 1) * W, s->a + i * W, (size_t)s->w) == 0) {
			++s->cnt[j - 1];
			continue;
		}
		memmove(s->a + j * W, s->a + i * W, W);
		s->cnt[j++] = 1;
	}
	s->n = j;
}

/* index of canonical(x) or -1 */
static int64_t orc_set_find(const orc_set_t *s, const char *x)
{
	char c[130];
	size_t lo = 0, hi = s->n, W = (size_t)s->w + 1;
	orc_canon(x, (size_t)s->w, c);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strncmp(s->a + mid * W, c, (size_t)s->w);
		if (r == 0) return (int64_t)mid;
		if (r < 0) lo = mid + 1; else hi = mid;
	}
	return -1;
}

static uint32_t orc_set_count(const orc_set_t *s, const char *x)
{
	int64_t i = orc_set_find(s, x);
	return i < 0 ? 0 : s->cnt[i];
}

static void orc_set_free(orc_set_t *s)
{
	free(s->a), free(s->cnt);
	memset(s, 0, sizeof *s);
}

/* ---- the graph ------------------------------------------------------------ */

typedef struct {
	int k;
	uint32_t t;          /* solid threshold */
	orc_set_t km, ed;    /* k-mers and (k+1)-mers, canonical, with counts */
} orc_dbg_t;

static void orc_dbg_init(orc_dbg_t *g, int k, uint32_t t)
{
	memset(g, 0, sizeof *g);
	g->k = k, g->t = t, g->km.w = k, g->ed.w = k + 1;
}

/* Every k-mer and (k+1)-mer occurrence of seq (wrapping round if circ). */
static void orc_dbg_add(orc_dbg_t *g, const char *seq, size_t len, int circ)
{
	size_t i, k = (size_t)g->k, nw = circ ? len : len + 1 - k;
	char *t = (char *)malloc(len + k + 2);
	memcpy(t, seq, len);
	for (i = 0; i <= k; ++i) t[len + i] = seq[i % len];
	for (i = 0; len >= k && i < nw; ++i) orc_set_add(&g->km, t + i);
	for (i = 0; len > k && i < (circ ? len : len - k); ++i) orc_set_add(&g->ed, t + i);
	free(t);
}

static void orc_dbg_finish(orc_dbg_t *g)
{
	orc_set_finish(&g->km), orc_set_finish(&g->ed);
}

static void orc_dbg_free(orc_dbg_t *g)
{
	orc_set_free(&g->km), orc_set_free(&g->ed);
}

static int orc_solid(const orc_dbg_t *g, const char *x)
{
	return orc_set_count(&g->km, x) >= g->t;
}

/* Solid edges on side (0 left, 1 right) of the k-mer x as written; *ext =
 * the base of the last one.  Not capped. */
static int orc_deg(const orc_dbg_t *g, const char *x, int side, char *ext)
{
	char e[130];
	int b, d = 0, k = g->k;
	for (b = 0; b < 4; ++b) {
		if (side) memcpy(e, x, (size_t)k), e[k] = "ACGT"[b];
		else e[0] = "ACGT"[b], memcpy(e + 1, x, (size_t)k);
		if (orc_set_count(&g->ed, e) >= g->t) ++d, *ext = "ACGT"[b];
	}
	return d;
}

/* The neighbour of x (as written) across side via ext, written into y. */
static void orc_step(const char *x, int k, int side, char ext, char *y)
{
	if (side) memcpy(y, x + 1, (size_t)k - 1), y[k - 1] = ext;
	else y[0] = ext, memcpy(y + 1, x, (size_t)k - 1);
	y[k] = 0;
}

static int orc_same_canon(const char *x, const char *y, int k)
{
	char a[130], b[130];
	orc_canon(x, (size_t)k, a), orc_canon(y, (size_t)k, b);
	return strncmp(a, b, (size_t)k) == 0;
}

/* The unitig rule: the step from x across side is taken into y. */
static int orc_takes(const orc_dbg_t *g, const char *x, int side, char *y)
{
	char ext = 0, e2 = 0;
	if (orc_deg(g, x, side, &ext) != 1) return 0;
	orc_step(x, g->k, side, ext, y);
	if (!orc_solid(g, y) || orc_same_canon(x, y, g->k)) return 0;
	return orc_deg(g, y, !side, &e2) == 1;
}

/* ---- canonical contigs ---------------------------------------------------- */

typedef struct {
	char *seq;
	int circ;
	uint64_t cov;
} orc_utg_t;

/* Linear: in place, the smaller strand. */
static void orc_canon_linear(char *s)
{
	size_t n = strlen(s);
	char *r = (char *)malloc(n + 1);
	orc_revcomp(s, n, r);
	if (strcmp(r, s) < 0) memcpy(s, r, n);
	free(r);
}

/* Circular (L+k-1 bases, period L): in place, start at the smallest
 * canonical k-mer, in its canonical orientation. */
static void orc_canon_circular(char *s, int k)
{
	size_t n = strlen(s), L = n - (size_t)k + 1, i, best = 0;
	int best_rev = 0;
	char *r = (char *)malloc(n + 1), *o = (char *)malloc(n + 1);
	const char *bp;
	orc_revcomp(s, n, r);
	for (i = 0; i < L; ++i) { /* window i of s; on r it is window L-1-i */
		const char *f = s + i, *b = r + (L - 1 - i);
		int rev = strncmp(b, f, (size_t)k) < 0;
		const char *c = rev ? b : f;
		bp = best_rev ? r + (L - 1 - best) : s + best;
		if (i == 0 || strncmp(c, bp, (size_t)k) < 0) best = i, best_rev = rev;
	}
	bp = best_rev ? r : s;
	for (i = 0; i < n; ++i) o[i] = bp[((best_rev ? L - 1 - best : best) + i) % L];
	memcpy(s, o, n);
	free(r), free(o);
}

static int orc_cmp_utg(const void *pa, const void *pb)
{
	const orc_utg_t *a = (const orc_utg_t *)pa, *b = (const orc_utg_t *)pb;
	size_t la = strlen(a->seq), lb = strlen(b->seq);
	if (la != lb) return la > lb ? -1 : 1;
	return strcmp(a->seq, b->seq);
}

/* Extend buf (holding the walk so far, last k-mer at its end when dir = 1,
 * first k-mer at its start otherwise -- the left walk is built reversed)
 * from k-mer x as long as the rule allows; returns 1 if it came back to
 * the k-mer start (a cycle). Marks visited k-mers in vis. */
static int orc_extend(const orc_dbg_t *g, const char *start, int dir, char *buf, size_t *len,
                      uint8_t *vis, uint64_t *cov, int *bad)
{
	int k = g->k;
	char x[130], y[130];
	memcpy(x, start, (size_t)k), x[k] = 0;
	while (orc_takes(g, x, dir, y)) {
		int64_t id;
		if (strncmp(y, start, (size_t)k) == 0) return 1;
		id = orc_set_find(&g->km, y);
		if (vis[id]) { *bad = 1; return 0; } /* the rule gave a k-mer two places */
		vis[id] = 1, *cov += g->km.cnt[id];
		buf[(*len)++] = dir ? y[k - 1] : y[0];
		memcpy(x, y, (size_t)k + 1);
	}
	return 0;
}

/* Every unitig of the solid k-mers, canonical, sorted as dy_merge_run
 * sorts.  Returns the number, or -1 if the rule is inconsistent. */
static int64_t orc_unitigs(const orc_dbg_t *g, orc_utg_t **out)
{
	size_t i, n = 0, k = (size_t)g->k, W = k + 1, cap = g->km.n + 2;
	uint8_t *vis = (uint8_t *)calloc(g->km.n + 1, 1);
	char *r = (char *)malloc(cap + k), *l = (char *)malloc(cap + k);
	orc_utg_t *u = (orc_utg_t *)calloc(g->km.n + 1, sizeof *u);
	int bad = 0;
	for (i = 0; i < g->km.n && !bad; ++i) {
		const char *x = g->km.a + i * W;
		size_t rl = 0, ll = 0, j;
		uint64_t cov;
		int circ;
		if (vis[i] || g->km.cnt[i] < g->t) continue;
		vis[i] = 1, cov = g->km.cnt[i];
		circ = orc_extend(g, x, 1, r, &rl, vis, &cov, &bad);
		if (!circ) orc_extend(g, x, 0, l, &ll, vis, &cov, &bad);
		u[n].seq = (char *)malloc(ll + k + rl + 1);
		for (j = 0; j < ll; ++j) u[n].seq[j] = l[ll - 1 - j];
		memcpy(u[n].seq + ll, x, k), memcpy(u[n].seq + ll + k, r, rl);
		u[n].seq[ll + k + rl] = 0;
		/* a cycle of L = rl+1 k-mers is already L+k-1 bases: the next
		 * k-mer would be x again, so the last k-1 bases repeat the first */
		if (circ) orc_canon_circular(u[n].seq, (int)k);
		else orc_canon_linear(u[n].seq);
		u[n].circ = circ, u[n].cov = cov, ++n;
	}
	free(vis), free(r), free(l);
	if (bad) {
		for (i = 0; i < n; ++i) free(u[i].seq);
		free(u);
		return -1;
	}
	qsort(u, n, sizeof *u, orc_cmp_utg);
	*out = u;
	return (int64_t)n;
}

static void orc_utg_free(orc_utg_t *u, int64_t n)
{
	int64_t i;
	for (i = 0; i < n; ++i) free(u[i].seq);
	free(u);
}

#endif
