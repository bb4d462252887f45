/* clean_tip.c -- remove tips (dy_clean_tips, dy_graph.h).
 *
 * A tip is a dead end: a node with one free end and one attached end, at
 * most tip_len * k k-mers long (2k: the reach of a sequencing error near a
 * read end, as in Velvet and MEGAHIT).  It goes only when, at every
 * junction it hangs from, another branch is clearly better covered
 * (coverage <= tip_ratio x the best other branch, Platanus' branch cut):
 * a free end with no alternative is the end of the sequence, not a tip,
 * and two alleles ending side by side (comparable coverage) both stay.
 * Isolated nodes are not tips.  Every decision reads the graph as it was
 * when the call started; the removals are applied afterwards in node order.
 */
#include <stdlib.h>
#include "dy_graph.h"

#define PAR_MIN 1024

/* Best coverage among the other branches at junction end f (not back to a). */
static double best_other(const dy_graph_t *g, int64_t f, int64_t a)
{
	double best = 0;
	int b;
	for (b = 0; b < 4; ++b) {
		int64_t h = g->adj[f][b];
		if (h >= 0 && h != a) {
			double c = dy_gnode_cov(g, (size_t)(h >> 1));
			if (c > best) best = c;
		}
	}
	return best;
}

static int is_tip(const dy_graph_t *g, size_t v, uint64_t max_kmers, double ratio)
{
	const dy_gnode_t *u = &g->node[v];
	int d0, d1, b, n = 0;
	int64_t a;
	double cv;
	if (u->dead || u->circ || u->n_kmers > max_kmers) return 0;
	d0 = dy_gdeg(g, 2 * (int64_t)v), d1 = dy_gdeg(g, 2 * (int64_t)v + 1);
	if ((d0 == 0) == (d1 == 0)) return 0;
	a = d0 ? 2 * (int64_t)v : 2 * (int64_t)v + 1;
	cv = dy_gnode_cov(g, v);
	for (b = 0; b < 4; ++b) {
		int64_t f = g->adj[a][b];
		double best;
		if (f < 0) continue;
		if ((size_t)(f >> 1) == v) return 0;   /* a loop onto itself: not a dead end */
		best = best_other(g, f, a);
		if (best <= 0 || cv > ratio * best) return 0;
		++n;
	}
	return n > 0;
}

int dy_clean_tips(dy_graph_t *g, const dy_graph_opt_t *o, int n_threads,
                  uint64_t *n_removed, dy_clean_stats_t *st)
{
	size_t n = g->n, v;
	uint64_t max_kmers = (uint64_t)(o->tip_len * g->k), removed = 0;
	uint8_t *kill = (uint8_t *)calloc(n + 1, 1);
	int64_t iv;
	*n_removed = 0;
	if (kill == NULL) return DY_ENOMEM;   /* nothing removed: the graph stays as it was */
	if (n_threads < 1) n_threads = 1;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) if (n >= PAR_MIN)
	for (iv = 0; iv < (int64_t)n; ++iv) kill[iv] = (uint8_t)is_tip(g, (size_t)iv, max_kmers, o->tip_ratio);
	for (v = 0; v < n; ++v) {
		if (!kill[v]) continue;
		if (st) ++st->tips, st->tip_kmers += g->node[v].n_kmers;
		dy_graph_kill(g, v);
		++removed;
	}
	free(kill);
	*n_removed = removed;
	return DY_OK;
}
