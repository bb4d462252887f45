/* clean_bubble.c -- pop bubbles (dy_clean_bubbles, dy_graph.h), and the
 * banded edit distance that says whether two arms are alike.
 *
 * A bubble is a source end e with two or more arms that meet again at one
 * sink end s: each arm a single node entered from e only and leaving to s
 * only.  After the merge a heterozygous SNP, a small indel, a sequencing
 * error, and a chain of SNPs closer than k (one longer arm: at k = 63 half
 * of the k-mers of a 1%-heterozygous genome touch a SNP) all look like this;
 * nested bubbles become simple ones once the inner one is popped and the
 * graph is compacted, which is why cleaning runs in rounds.
 *
 * The best-covered arm stays (ties: the smaller sequence read from e) and
 * takes the coverage of the arms popped into it (Platanus: the merged
 * unitig regains diploid coverage).  Another arm is popped when it is like
 * the kept one (edit distance <= (1 - bubble_ident) x the longer arm) and
 *   - the two together are at most bubble_cov x the homozygous coverage:
 *     two alleles, each about half of it (Platanus' 1.5x gate; two copies
 *     of a repeat at full coverage each fail it and both stay), or
 *   - it is below err_ratio x the kept arm: a sequencing error, which may
 *     sit on a repeat whose coverage fails the gate, or
 *   - both flanks (source and sink nodes) are single-copy (<= 1.25 hom) and
 *     the arms together are <= 2 hom: two repeat copies always share the
 *     sequence that flanks their difference, at twice the coverage, so arms
 *     between single-copy flanks are alleles, and their sum only says how
 *     deep the reads happen to be at that site (the 1.5x gate alone cut
 *     the upper tail of the allelic bubbles, ~1% at 20x).
 * Each bubble is found from both its ends; only the end with the smaller
 * id acts.  Arms of different bubbles are different nodes, so every bubble
 * is decided on its own, in parallel, and applied in source order.
 */
#include <stdlib.h>
#include <string.h>
#include "dy_graph.h"

#define PAR_MIN 1024
#define MAX_ARMS 4                 /* an end has at most 4 edges */
/* Flanks at most this x hom are single-copy; between such flanks the arms
 * may together reach UNIQUE_GATE x hom (the local depth of a 150 bp window
 * strays far more than a unitig's mean does). */
#define UNIQUE_FLANK 1.25
#define UNIQUE_GATE 2.0

/* ---- edit distance ------------------------------------------------------ */

static int edit_band(const uint8_t *a, size_t la, const uint8_t *b, size_t lb, int d, int *row)
{
	/* row[j - i + d] holds D[i][j] for |j - i| <= d; cells outside are > d */
	const int W = 2 * d + 1, INF = d + 1;
	size_t i;
	int t, best;
	int *prev = row, *cur = row + W;
	for (t = 0; t < W; ++t) {
		long j = (long)t - d;
		prev[t] = j >= 0 && j <= d && (size_t)j <= lb ? (int)j : INF;
	}
	for (i = 1; i <= la; ++i) {
		best = INF;
		for (t = 0; t < W; ++t) {
			long j = (long)i + t - d;
			int v = INF;
			if (j < 0 || (size_t)j > lb) { cur[t] = INF; continue; }
			if (j == 0) v = (int)i;
			else {
				int sub = prev[t] + (a[i - 1] != b[j - 1]);             /* D[i-1][j-1] */
				int del = t + 1 < W ? prev[t + 1] + 1 : INF;           /* D[i-1][j] */
				int ins = t > 0 ? cur[t - 1] + 1 : INF;                /* D[i][j-1] */
				v = sub < del ? sub : del;
				v = v < ins ? v : ins;
			}
			cur[t] = v < INF ? v : INF;
			if (cur[t] < best) best = cur[t];
		}
		if (best > d) return INF;   /* every path is already over the band */
		{ int *tmp = prev; prev = cur, cur = tmp; }
	}
	t = (int)((long)lb - (long)la + d);
	return t >= 0 && t < W ? prev[t] : INF;
}

int dy_edit_within(const uint8_t *a, size_t la, const uint8_t *b, size_t lb, int max_d)
{
	int d, r = max_d + 1, *row;
	if (max_d < 0) return 0;
	/* a common prefix or suffix never costs an edit */
	while (la && lb && *a == *b) ++a, ++b, --la, --lb;
	while (la && lb && a[la - 1] == b[lb - 1]) --la, --lb;
	if ((la > lb ? la - lb : lb - la) > (size_t)max_d) return max_d + 1;
	if (la == 0 || lb == 0) return (int)(la + lb);
	row = (int *)malloc(2 * (2 * (size_t)max_d + 1) * sizeof *row);
	if (row == NULL) return max_d + 1;       /* the safe side: not alike */
	/* small bands first: alleles differ by a few edits */
	for (d = 4; ; d *= 4) {
		if (d > max_d) d = max_d;
		r = edit_band(a, la, b, lb, d, row);
		if (r <= d || d == max_d) break;
	}
	free(row);
	return r <= max_d ? r : max_d + 1;
}

/* ---- bubbles ------------------------------------------------------------ */

typedef struct {
	uint8_t *a, *b;
	size_t ca, cb;
} scratch_t;

/* Node of end f read inward into buf. */
static int read_arm(const dy_graph_t *g, int64_t f, uint8_t **buf, size_t *cap)
{
	uint64_t len = g->node[f >> 1].len, i;
	if (len > *cap) {
		uint8_t *p = (uint8_t *)realloc(*buf, len);
		if (p == NULL) return DY_ENOMEM;
		*buf = p, *cap = len;
	}
	for (i = 0; i < len; ++i) (*buf)[i] = (uint8_t)dy_gbase_from(g, f, i);
	return DY_OK;
}

/* -1, 0, 1: arm entered at f1 against arm entered at f2, by sequence. */
static int arm_cmp(const dy_graph_t *g, int64_t f1, int64_t f2)
{
	uint64_t l1 = g->node[f1 >> 1].len, l2 = g->node[f2 >> 1].len, i;
	for (i = 0; i < l1 && i < l2; ++i) {
		int x = dy_gbase_from(g, f1, i), y = dy_gbase_from(g, f2, i);
		if (x != y) return x < y ? -1 : 1;
	}
	return l1 < l2 ? -1 : l1 > l2;
}

/* What the bubbles from source end e decide: into[arm node] = kept node,
 * kind[arm node], entry[arm node] = the end it is entered by. */
typedef struct {
	int64_t *into, *entry;
	uint8_t *kind;
} verdict_t;

typedef struct { uint64_t bubbles, repeat, diverged; } bstat_t;

static int bubbles_at(const dy_graph_t *g, const dy_graph_opt_t *o, double hom, int64_t e,
                      uint64_t max_kmers, verdict_t *vd, scratch_t *sc, bstat_t *bs)
{
	int64_t arm[MAX_ARMS], sink[MAX_ARMS];
	int n = 0, b, i, j, ret;
	uint8_t used[MAX_ARMS] = { 0 };
	size_t src = (size_t)(e >> 1);
	if (g->node[src].dead || g->node[src].circ || dy_gdeg(g, e) < 2) return DY_OK;
	for (b = 0; b < 4; ++b) {
		int64_t f = g->adj[e][b], x, s;
		size_t w;
		if (f < 0) continue;
		w = (size_t)(f >> 1);
		if (w == src || g->node[w].circ || g->node[w].n_kmers > max_kmers) continue;
		if (dy_gdeg(g, f) != 1 || dy_gdeg(g, x = f ^ 1) != 1) continue;
		for (s = -1, i = 0; i < 4; ++i)
			if (g->adj[x][i] >= 0) s = g->adj[x][i];
		if ((size_t)(s >> 1) == w || s <= e) continue;   /* the smaller end acts */
		arm[n] = f, sink[n] = s, ++n;
	}
	for (i = 0; i < n; ++i) {
		int64_t grp[MAX_ARMS], keep;
		int m = 0, q, unique;
		double ck;
		if (used[i]) continue;
		for (j = i; j < n; ++j)
			if (!used[j] && sink[j] == sink[i]) grp[m++] = arm[j], used[j] = 1;
		if (m < 2) continue;
		for (keep = grp[0], q = 1; q < m; ++q) {
			double c1 = dy_gnode_cov(g, (size_t)(grp[q] >> 1)), c0 = dy_gnode_cov(g, (size_t)(keep >> 1));
			if (c1 > c0 || (c1 == c0 && arm_cmp(g, grp[q], keep) < 0)) keep = grp[q];
		}
		ck = dy_gnode_cov(g, (size_t)(keep >> 1));
		/* both flanks single-copy: the arms cannot be two copies of a repeat
		 * (their shared sequence would flank them at twice the coverage) */
		unique = hom > 0 && dy_gnode_cov(g, src) <= UNIQUE_FLANK * hom &&
		         dy_gnode_cov(g, (size_t)(sink[i] >> 1)) <= UNIQUE_FLANK * hom;
		if ((ret = read_arm(g, keep, &sc->a, &sc->ca)) < 0) return ret;
		{
			int popped = 0, rep = 0, div = 0;
			for (q = 0; q < m; ++q) {
				int64_t p = grp[q];
				size_t la = g->node[keep >> 1].len, lb = g->node[p >> 1].len, lmax = la > lb ? la : lb;
				int maxd = (int)((1.0 - o->bubble_ident) * (double)lmax);
				double cp = dy_gnode_cov(g, (size_t)(p >> 1));
				int allele = hom > 0 && (cp + ck <= o->bubble_cov * hom ||
				                         (unique && cp + ck <= UNIQUE_GATE * hom));
				int error = cp <= o->err_ratio * ck;
				if (p == keep) continue;
				if (!allele && !error) { rep = 1; continue; }
				if ((ret = read_arm(g, p, &sc->b, &sc->cb)) < 0) return ret;
				if (dy_edit_within(sc->a, la, sc->b, lb, maxd) > maxd) { div = 1; continue; }
				vd->into[p >> 1] = keep >> 1, vd->entry[p >> 1] = p;
				vd->kind[p >> 1] = (uint8_t)(error ? DY_POP_ERROR : DY_POP_ALLELE);
				popped = 1;
			}
			bs->bubbles += (uint64_t)popped;
			bs->repeat += (uint64_t)(!popped && rep);
			bs->diverged += (uint64_t)(!popped && !rep && div);
		}
	}
	return DY_OK;
}

static int pop_push(dy_popset_t *ps, const dy_graph_t *g, int64_t f, int64_t host, int kind)
{
	dy_popped_t *p;
	uint64_t i, len = g->node[f >> 1].len;
	if (ps->n == ps->m) {
		size_t m = ps->m ? 2 * ps->m : 256;
		dy_popped_t *a = (dy_popped_t *)realloc(ps->a, m * sizeof *a);
		if (a == NULL) return DY_ENOMEM;
		ps->a = a, ps->m = m;
	}
	p = &ps->a[ps->n];
	if ((p->seq = (char *)malloc(len + 1)) == NULL) return DY_ENOMEM;
	for (i = 0; i < len; ++i) p->seq[i] = dy_nt_char[dy_gbase_from(g, f, i)];
	p->seq[len] = 0;
	p->len = len, p->cov = g->node[f >> 1].cov, p->n_kmers = g->node[f >> 1].n_kmers;
	p->host = host, p->kind = kind;
	++ps->n;
	return DY_OK;
}

typedef int (*decide_f)(const dy_graph_t *, const dy_graph_opt_t *, double, int64_t, uint64_t,
                        verdict_t *, scratch_t *, bstat_t *);

/* Decide at every end in parallel (each arm is decided by one end only),
 * record the popped arms, then fold them in node order. */
static int pop_all(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads, decide_f decide,
                   int broken, dy_popset_t *pop, uint64_t *n_removed, dy_clean_stats_t *st)
{
	size_t n = g->n, v, pop_n0 = pop ? pop->n : 0;
	uint64_t max_kmers = (uint64_t)(o->bubble_len * g->k), removed = 0;
	uint64_t nb = 0, nrep = 0, ndiv = 0;
	verdict_t vd;
	int ret = DY_OK;
	int64_t ie;
	*n_removed = 0;
	if (n_threads < 1) n_threads = 1;
	vd.into = (int64_t *)malloc((n + 1) * sizeof *vd.into);
	vd.entry = (int64_t *)malloc((n + 1) * sizeof *vd.entry);
	vd.kind = (uint8_t *)calloc(n + 1, 1);
	if (vd.into == NULL || vd.entry == NULL || vd.kind == NULL) { ret = DY_ENOMEM; goto end; }
	memset(vd.into, 0xff, (n + 1) * sizeof *vd.into);
#pragma omp parallel num_threads(n_threads) if (n >= PAR_MIN) reduction(+:nb, nrep, ndiv)
	{
		scratch_t sc = { NULL, NULL, 0, 0 };
		bstat_t bs = { 0, 0, 0 };
#pragma omp for schedule(dynamic, 1024)
		for (ie = 0; ie < 2 * (int64_t)n; ++ie) {
			int r = decide(g, o, hom, ie, max_kmers, &vd, &sc, &bs);
			if (r < 0) {
#pragma omp atomic write
				ret = r;
			}
		}
		nb += bs.bubbles, nrep += bs.repeat, ndiv += bs.diverged;
		free(sc.a), free(sc.b);
	}
	if (ret < 0) goto end;
	/* record every popped arm before any is removed, then apply in node order */
	for (v = 0; v < n && pop; ++v)
		if (vd.into[v] >= 0 && (ret = pop_push(pop, g, vd.entry[v], vd.into[v], vd.kind[v])) < 0) goto end;
	for (v = 0; v < n; ++v) {
		if (vd.into[v] < 0) continue;
		g->node[vd.into[v]].cov += g->node[v].cov;
		if (st) {
			st->bubble_kmers += g->node[v].n_kmers, st->broken_arms += (uint64_t)broken;
			if (vd.kind[v] == DY_POP_ERROR) ++st->error_arms;
			else ++st->allele_arms;
		}
		dy_graph_kill(g, v);
		++removed;
	}
	if (st && !broken) st->bubbles += nb, st->bubbles_kept_repeat += nrep, st->bubbles_kept_diverged += ndiv;
	*n_removed = removed;
end:
	if (ret < 0 && pop) { /* nothing changed: drop what was recorded */
		for (v = pop_n0; v < pop->n; ++v) free(pop->a[v].seq);
		pop->n = pop_n0;
	}
	free(vd.into), free(vd.entry), free(vd.kind);
	return ret;
}

int dy_clean_bubbles(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                     dy_popset_t *pop, uint64_t *n_removed, dy_clean_stats_t *st)
{
	return pop_all(g, o, hom, n_threads, bubbles_at, 0, pop, n_removed, st);
}

/* ---- broken bubbles ----------------------------------------------------- */

/* The arms leaving source end e that dead-end (their far end has no edge),
 * each folded into the best-covered arm of e that goes on (or, when every
 * arm dead-ends, into the longest), when alike as far as the shorter
 * reaches. */
static int broken_at(const dy_graph_t *g, const dy_graph_opt_t *o, double hom, int64_t e,
                     uint64_t max_kmers, verdict_t *vd, scratch_t *sc, bstat_t *bs)
{
	int64_t dead[MAX_ARMS], keep = -1;
	int nd = 0, b, q, ret;
	size_t src = (size_t)(e >> 1);
	double ck = 0;
	if (g->node[src].dead || g->node[src].circ || dy_gdeg(g, e) < 2) return DY_OK;
	int64_t longest = -1;
	int goes_on = 0;   /* an arm, eligible as keep or not, that does not dead-end */
	for (b = 0; b < 4; ++b) {
		int64_t f = g->adj[e][b];
		size_t w;
		double c;
		if (f < 0) continue;
		w = (size_t)(f >> 1);
		if (w == src || g->node[w].circ || dy_gdeg(g, f) != 1) {
			goes_on |= w == src || g->node[w].circ || dy_gdeg(g, f ^ 1) > 0;
			continue;
		}
		goes_on |= dy_gdeg(g, f ^ 1) > 0;
		c = dy_gnode_cov(g, w);
		if (dy_gdeg(g, f ^ 1) == 0) {
			/* every arm dead-ends (the end of the sequence): the longest stays */
			const dy_gnode_t *l = longest >= 0 ? &g->node[longest >> 1] : NULL;
			if (l == NULL || g->node[w].n_kmers > l->n_kmers || (g->node[w].n_kmers == l->n_kmers &&
			    (c > dy_gnode_cov(g, (size_t)(longest >> 1)) ||
			     (c == dy_gnode_cov(g, (size_t)(longest >> 1)) && arm_cmp(g, f, longest) < 0))))
				longest = f;
			if (g->node[w].n_kmers <= max_kmers) dead[nd++] = f;
			continue;
		}
		if (keep < 0 || c > ck || (c == ck && arm_cmp(g, f, keep) < 0)) keep = f, ck = c;
	}
	if (keep < 0 && !goes_on) keep = longest, ck = longest >= 0 ? dy_gnode_cov(g, (size_t)(longest >> 1)) : 0;
	if (nd == 0 || keep < 0) return DY_OK;
	if ((ret = read_arm(g, keep, &sc->a, &sc->ca)) < 0) return ret;
	for (q = 0; q < nd; ++q) {
		int64_t p = dead[q];
		size_t la = g->node[keep >> 1].len, lb = g->node[p >> 1].len, l = la < lb ? la : lb;
		int maxd = (int)((1.0 - o->bubble_ident) * (double)l);
		double cp = dy_gnode_cov(g, (size_t)(p >> 1));
		if (p == keep || (keep == longest && g->node[p >> 1].n_kmers >= g->node[keep >> 1].n_kmers)) continue;
		/* no sink: the source alone says whether this is single-copy sequence */
		int unique = hom > 0 && dy_gnode_cov(g, src) <= UNIQUE_FLANK * hom;
		int allele = hom > 0 && (cp + ck <= o->bubble_cov * hom || (unique && cp + ck <= UNIQUE_GATE * hom));
		int error = cp <= o->err_ratio * ck;
		if (!allele && !error) { ++bs->repeat; continue; }
		if ((ret = read_arm(g, p, &sc->b, &sc->cb)) < 0) return ret;
		/* both start with the source's k-1 bases: compare what follows, as far as both go */
		if (l < (size_t)g->k || dy_edit_within(sc->a, l, sc->b, l, maxd) > maxd) { ++bs->diverged; continue; }
		vd->into[p >> 1] = keep >> 1, vd->entry[p >> 1] = p;
		vd->kind[p >> 1] = (uint8_t)(error ? DY_POP_ERROR : DY_POP_ALLELE);
		++bs->bubbles;
	}
	return DY_OK;
}

int dy_clean_broken(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                    dy_popset_t *pop, uint64_t *n_removed, dy_clean_stats_t *st)
{
	return pop_all(g, o, hom, n_threads, broken_at, 1, pop, n_removed, st);
}
