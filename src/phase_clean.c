/* phase_clean.c -- rank 0 turns the raw unitigs into the assembly graph,
 * cleans it in rounds, and makes the contigs, links and popped bubbles the
 * writers need.
 *
 * Rounds (dy_clean_round: tips, bubbles, low coverage, erroneous
 * connections, each followed by a compaction) run until one changes nothing
 * or --clean-rounds is reached.  Every operation looks only at a bounded
 * neighbourhood of each node (the shape that lets cleaning move off rank 0
 * later).
 *
 * The homozygous coverage that gates bubble popping is --hom-cov, else the
 * genome profile's (histo phase); without either only error arms are popped. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "dy_graph.h"

static void log_round(int r, uint64_t n, const dy_clean_stats_t *d, size_t nodes)
{
	dy_log(DY_LOG_INFO, "clean", "round %d: %llu nodes removed: %llu tips (%llu k-mers), %llu bubble arms "
	       "popped (%llu alleles, %llu errors; %llu bubbles left as repeat copies, %llu as too diverged), "
	       "%llu low-coverage nodes, %llu erroneous connections; %zu nodes left", r, (unsigned long long)n,
	       (unsigned long long)d->tips, (unsigned long long)d->tip_kmers,
	       (unsigned long long)(d->allele_arms + d->error_arms),
	       (unsigned long long)d->allele_arms, (unsigned long long)d->error_arms,
	       (unsigned long long)d->bubbles_kept_repeat, (unsigned long long)d->bubbles_kept_diverged,
	       (unsigned long long)d->low_cov, (unsigned long long)d->err_links, nodes);
}

static void add_stats(dy_clean_stats_t *t, const dy_clean_stats_t *d)
{
	t->tips += d->tips, t->tip_kmers += d->tip_kmers;
	t->bubbles += d->bubbles, t->allele_arms += d->allele_arms, t->error_arms += d->error_arms;
	t->bubble_kmers += d->bubble_kmers, t->bubbles_kept_repeat += d->bubbles_kept_repeat;
	t->bubbles_kept_diverged += d->bubbles_kept_diverged;
	t->low_cov += d->low_cov, t->low_cov_kmers += d->low_cov_kmers;
	t->err_links += d->err_links, t->err_link_kmers += d->err_link_kmers;
}

/* The cleaning rounds; DY_OK or DY_ENOMEM. */
static int clean(const dy_opt_t *o, const dy_ctx_t *c, dy_graph_t *g, double hom, dy_run_t *run)
{
	int r, st = DY_OK;
	for (r = 1; r <= o->graph.max_rounds; ++r) {
		dy_clean_stats_t d;
		uint64_t n = 0;
		memset(&d, 0, sizeof d);
		if ((st = dy_clean_round(g, &o->graph, hom, c->n_threads, &run->pop, &d, &n)) < 0) return st;
		add_stats(&run->cst, &d);
		run->clean_rounds = r;
		log_round(r, n, &d, g->n);
		if (n == 0) break;
	}
	return st;
}

int dy_phase_clean(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	dy_err_t err;
	dy_graph_t g;
	int st = DY_OK;
	double t0 = dy_realtime();
	memset(&err, 0, sizeof err), memset(&g, 0, sizeof g);
	dy_phase_begin(run, "clean");
	if (c->rank == 0) {
		dy_contigs_t raw = run->contigs;
		int64_t *map = NULL;
		size_t i;
		double hom = o->graph.hom_cov > 0 ? o->graph.hom_cov : run->prof.fit_ok ? run->prof.hom_cov : 0;
		run->hom_cov = hom;
		memset(&run->contigs, 0, sizeof run->contigs);
		run->n_raw = raw.n;
		st = dy_graph_from_contigs(&raw, o->kmer.k, c->n_threads, &g);
		run->contigs.n_frag_in = raw.n_frag_in, run->contigs.n_glued = raw.n_glued;
		dy_contigs_free(&raw);   /* the graph holds the sequences now, packed */
		if (st == DY_OK) {
			run->n_dangling = g.n_dangling;
			if (g.n_dangling)
				dy_log_warn("%llu extension bits of the unitigs lead to no unitig end (inconsistent "
				            "edge counts); dropped", (unsigned long long)g.n_dangling);
			if (o->graph.clean) {
				if (hom <= 0)
					dy_log_warn("no homozygous coverage (no genome profile and no --hom-cov): "
					            "only error bubbles are popped");
				else
					dy_log(DY_LOG_INFO, "clean", "%zu unitigs; bubbles popped when their arms together are "
					       "<= %.2f x the homozygous coverage %.1f (%s)", g.n, o->graph.bubble_cov, hom,
					       o->graph.hom_cov > 0 ? "--hom-cov" : "genome profile");
				st = clean(o, c, &g, hom, run);
			}
		}
		if (st == DY_OK && (map = (int64_t *)malloc((g.n + 1) * sizeof *map)) == NULL) st = DY_ENOMEM;
		if (st == DY_OK) st = dy_graph_to_contigs(&g, c->n_threads, &run->contigs, &run->links, map);
		if (st == DY_OK)   /* popped arms name the contig they were folded into */
			for (i = 0; i < run->pop.n; ++i)
				run->pop.a[i].host = run->pop.a[i].host >= 0 ? map[run->pop.a[i].host] : -1;
		free(map);
		dy_graph_free(&g);
		if (st < 0) dy_err_set(&err, "", "building or cleaning the assembly graph failed (%s)", dy_strerror(st));
		else dy_log(DY_LOG_INFO, "clean", "%zu unitigs -> %zu contigs, %zu links, %zu popped bubble arms",
		            run->n_raw, run->contigs.n, run->links.n, run->pop.n);
		run->t_rank0_alone += dy_realtime() - t0;
		run->t_clean = dy_realtime() - t0;
	}
	st = dy_status_sync(c, st, &err, "clean");
	dy_phase_end(c, run);
	return st;
}
