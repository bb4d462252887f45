/* clean_cov.c -- coverage judged against the neighbourhood, never against
 * one global cutoff (dy_clean_low_cov, dy_clean_err_links; dy_graph.h).
 *
 * Low coverage: a short node (<= tip_len * k k-mers) whose coverage is below
 * low_ratio x its neighbourhood: the length-weighted mean coverage of the
 * nodes joined to its ends (each weighing at most 1000 k-mers, as MEGAHIT's
 * local depth), capped at twice the homozygous coverage so that a unique
 * node beside a high-copy repeat is never judged against the repeat.  At
 * the default 0.2 a heterozygous node (half coverage) or a repeat is far
 * above the bar; a node seen in a handful of reads is not.  An isolated
 * short node has no neighbourhood: it goes when below low_ratio x hom
 * (error k-mers that joined nothing).
 *
 * Erroneous connections (SPAdes' "ec", MEGAHIT's weak links): a node of at
 * most 2 tip_len * k k-mers attached at both ends, where each junction it
 * joins offers another branch, and whose coverage is below err_ratio x the
 * best other branch on each of its two sides: a chimeric join between two
 * well-covered parts, usually a sequencing error shared by a few reads
 * that happens to bridge them.
 *
 * Both decide on the graph as it was when they started and remove in node
 * order, like the other operations.
 */
#include <stdlib.h>
#include "dy_graph.h"

#define PAR_MIN 1024
#define LOCAL_W 1000   /* k-mers of a neighbour counted, at most */

static int low_cov(const dy_graph_t *g, size_t v, uint64_t max_kmers, double ratio, double hom)
{
	const dy_gnode_t *u = &g->node[v];
	double sw = 0, sc = 0, local;
	int64_t e;
	int b;
	if (u->dead || u->circ || u->n_kmers > max_kmers) return 0;
	for (e = 2 * (int64_t)v; e <= 2 * (int64_t)v + 1; ++e)
		for (b = 0; b < 4; ++b) {
			int64_t f = g->adj[e][b];
			size_t w;
			double wt;
			if (f < 0 || (w = (size_t)(f >> 1)) == v) continue;
			wt = (double)(g->node[w].n_kmers < LOCAL_W ? g->node[w].n_kmers : LOCAL_W);
			sw += wt, sc += wt * dy_gnode_cov(g, w);
		}
	/* isolated: no neighbourhood to judge by; a short island well below the
	 * homozygous coverage is error debris (unjoined error k-mers) */
	if (sw <= 0) return hom > 0 && dy_gnode_cov(g, v) < ratio * hom;
	local = sc / sw;
	if (hom > 0 && local > 2 * hom) local = 2 * hom;
	return dy_gnode_cov(g, v) < ratio * local;
}

/* Best coverage of the other branches at the junctions end a joins, or 0
 * if some junction has no other branch (a is all there is there). */
static double alt_cov(const dy_graph_t *g, int64_t a)
{
	double worst = -1;
	int b, b2, n = 0;
	for (b = 0; b < 4; ++b) {
		int64_t f = g->adj[a][b];
		double best = 0;
		if (f < 0) continue;
		if ((f >> 1) == (a >> 1)) return 0;
		for (b2 = 0; b2 < 4; ++b2) {
			int64_t h = g->adj[f][b2];
			if (h >= 0 && h != a) {
				double c = dy_gnode_cov(g, (size_t)(h >> 1));
				if (c > best) best = c;
			}
		}
		if (best <= 0) return 0;
		if (worst < 0 || best < worst) worst = best;
		++n;
	}
	return n ? worst : 0;
}

static int err_link(const dy_graph_t *g, size_t v, uint64_t max_kmers, double ratio)
{
	const dy_gnode_t *u = &g->node[v];
	double c = dy_gnode_cov(g, v), l, r;
	if (u->dead || u->circ || u->n_kmers > max_kmers) return 0;
	if ((l = alt_cov(g, 2 * (int64_t)v)) <= 0 || (r = alt_cov(g, 2 * (int64_t)v + 1)) <= 0) return 0;
	return c < ratio * l && c < ratio * r;
}

/* kind 0: low coverage; 1: erroneous connection */
static int run(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads, int kind,
               uint64_t *n_removed, dy_clean_stats_t *st)
{
	size_t n = g->n, v;
	uint64_t max_kmers = (uint64_t)((kind ? 2 : 1) * o->tip_len * g->k), removed = 0;
	uint8_t *kill = (uint8_t *)calloc(n + 1, 1);
	int64_t iv;
	*n_removed = 0;
	if (kill == NULL) return DY_ENOMEM;
	if (n_threads < 1) n_threads = 1;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) if (n >= PAR_MIN)
	for (iv = 0; iv < (int64_t)n; ++iv)
		kill[iv] = (uint8_t)(kind ? err_link(g, (size_t)iv, max_kmers, o->err_ratio)
		                          : low_cov(g, (size_t)iv, max_kmers, o->low_ratio, hom));
	for (v = 0; v < n; ++v) {
		if (!kill[v]) continue;
		if (st && kind) ++st->err_links, st->err_link_kmers += g->node[v].n_kmers;
		if (st && !kind) ++st->low_cov, st->low_cov_kmers += g->node[v].n_kmers;
		dy_graph_kill(g, v);
		++removed;
	}
	free(kill);
	*n_removed = removed;
	return DY_OK;
}

int dy_clean_low_cov(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                     uint64_t *n_removed, dy_clean_stats_t *st)
{
	return run(g, o, hom, n_threads, 0, n_removed, st);
}

int dy_clean_err_links(dy_graph_t *g, const dy_graph_opt_t *o, int n_threads,
                       uint64_t *n_removed, dy_clean_stats_t *st)
{
	return run(g, o, 0, n_threads, 1, n_removed, st);
}
