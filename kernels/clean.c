/* clean.c -- one cleaning round (dy_clean_round, dy_graph.h): tips,
 * bubbles, broken bubbles, low coverage against the neighbourhood, erroneous connections,
 * each followed by a compaction so that the next operation sees unitigs.
 *
 * Tips go first so that an error near an arm does not hide a bubble;
 * bubbles before the coverage rules so that an allele is folded into its
 * partner rather than cut as "low coverage"; erroneous connections last,
 * once tips and bubbles no longer stand beside them. */
#include <string.h>
#include "dy_graph.h"

int dy_clean_round(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                   dy_popset_t *pop, dy_clean_stats_t *d, uint64_t *n_removed)
{
	uint64_t tips = 0, arms = 0, broken = 0, low = 0, ec = 0;
	int st;
	*n_removed = 0;
	if ((st = dy_clean_tips(g, o, n_threads, &tips, d)) < 0 ||
	    (st = dy_graph_compact(g, pop, n_threads, NULL)) < 0 ||
	    (st = dy_clean_bubbles(g, o, hom, n_threads, pop, &arms, d)) < 0 ||
	    (st = dy_graph_compact(g, pop, n_threads, NULL)) < 0 ||
	    (st = dy_clean_broken(g, o, hom, n_threads, pop, &broken, d)) < 0 ||
	    (st = dy_graph_compact(g, pop, n_threads, NULL)) < 0 ||
	    (st = dy_clean_low_cov(g, o, hom, n_threads, &low, d)) < 0 ||
	    (st = dy_graph_compact(g, pop, n_threads, NULL)) < 0 ||
	    (st = dy_clean_err_links(g, o, n_threads, &ec, d)) < 0 ||
	    (st = dy_graph_compact(g, pop, n_threads, NULL)) < 0)
		return st;
	*n_removed = tips + arms + broken + low + ec;
	return DY_OK;
}
