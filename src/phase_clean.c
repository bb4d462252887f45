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
#include <omp.h>
#include "dy_priv.h"
#include "dy_graph.h"
#include "reads.h"

/* splits a pass must make for another pass to be worth a read of the input */
#define RESOLVE_AGAIN 1000

static void log_round(int r, uint64_t n, const dy_clean_stats_t *d, size_t nodes)
{
	dy_log(DY_LOG_INFO, "clean", "round %d: %llu nodes removed: %llu tips (%llu k-mers), %llu bubble arms "
	       "popped (%llu alleles, %llu errors, %llu of them broken arms; %llu bubbles left as repeat copies, "
	       "%llu as too diverged), %llu low-coverage nodes, %llu erroneous connections; %zu nodes left", r,
	       (unsigned long long)n, (unsigned long long)d->tips, (unsigned long long)d->tip_kmers,
	       (unsigned long long)(d->allele_arms + d->error_arms),
	       (unsigned long long)d->allele_arms, (unsigned long long)d->error_arms, (unsigned long long)d->broken_arms,
	       (unsigned long long)d->bubbles_kept_repeat, (unsigned long long)d->bubbles_kept_diverged,
	       (unsigned long long)d->low_cov, (unsigned long long)d->err_links, nodes);
}

static void add_stats(dy_clean_stats_t *t, const dy_clean_stats_t *d)
{
	t->tips += d->tips, t->tip_kmers += d->tip_kmers;
	t->bubbles += d->bubbles, t->allele_arms += d->allele_arms, t->error_arms += d->error_arms;
	t->bubble_kmers += d->bubble_kmers, t->bubbles_kept_repeat += d->bubbles_kept_repeat;
	t->bubbles_kept_diverged += d->bubbles_kept_diverged, t->broken_arms += d->broken_arms;
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
		++run->clean_rounds;   /* every round, the ones after repeat splits too */
		log_round(r, n, &d, g->n);
		if (n == 0) break;
	}
	return st;
}

int dy_phase_clean(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	dy_err_t err;
	int st = DY_OK;
	double t0 = dy_realtime();
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, "clean");
	if (c->rank == 0) {
		dy_contigs_t raw = run->contigs;
		double hom = o->graph.hom_cov > 0 ? o->graph.hom_cov : run->prof.fit_ok ? run->prof.hom_cov : 0;
		run->hom_cov = hom;
		memset(&run->contigs, 0, sizeof run->contigs);
		run->n_raw = raw.n;
		st = dy_graph_from_contigs(&raw, o->kmer.k, c->n_threads, &run->g);
		run->contigs.n_frag_in = raw.n_frag_in, run->contigs.n_glued = raw.n_glued;
		dy_contigs_free(&raw);   /* the graph holds the sequences now, packed */
		if (st == DY_OK) {
			run->n_dangling = run->g.n_dangling;
			if (run->g.n_dangling)
				dy_log_warn("%llu extension bits of the unitigs lead to no unitig end (inconsistent "
				            "edge counts); dropped", (unsigned long long)run->g.n_dangling);
			if (o->graph.clean) {
				if (hom <= 0)
					dy_log_warn("no homozygous coverage (no genome profile and no --hom-cov): "
					            "only error bubbles are popped");
				else
					dy_log(DY_LOG_INFO, "clean", "%zu unitigs; bubbles popped when their arms together are "
					       "<= %.2f x the homozygous coverage %.1f (%s)", run->g.n, o->graph.bubble_cov, hom,
					       o->graph.hom_cov > 0 ? "--hom-cov" : "genome profile");
				st = clean(o, c, &run->g, hom, run);
			}
		}
		if (st < 0) dy_err_set(&err, "", "building or cleaning the assembly graph failed (%s)", dy_strerror(st));
		run->t_rank0_alone += dy_realtime() - t0;
		run->t_clean += dy_realtime() - t0;
	}
	st = dy_status_sync(c, st, &err, "clean");
	dy_phase_end(c, run);
	return st;
}

/* Rank 0: the graph as contigs, links and popped arms naming their contig. */
static int finish(const dy_ctx_t *c, dy_run_t *run)
{
	int64_t *map = (int64_t *)malloc((run->g.n + 1) * sizeof *map);
	size_t i;
	int st = map ? DY_OK : DY_ENOMEM;
	if (st == DY_OK) st = dy_graph_to_contigs(&run->g, c->n_threads, &run->contigs, &run->links, map);
	if (st == DY_OK)
		for (i = 0; i < run->pop.n; ++i)
			run->pop.a[i].host = run->pop.a[i].host >= 0 ? map[run->pop.a[i].host] : -1;
	free(map);
	dy_graph_free(&run->g);
	if (st == DY_OK)
		dy_log(DY_LOG_INFO, "clean", "%llu unitigs -> %zu contigs, %zu links, %zu popped bubble arms",
		       (unsigned long long)run->n_raw, run->contigs.n, run->links.n, run->pop.n);
	return st;
}

/* Every rank: the junctions rank 0 chose, then the votes of this rank's
 * reads, counted straight into j->votes (atomic increments: a vote is rare
 * next to the bases scanned, and per-thread copies would cost threads x
 * junctions x 64 bytes). */
static int vote(const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run, dy_junc_t *j, dy_err_t *err)
{
	dy_reader_t *rd = NULL;
	dy_rcache_cursor_t cur;
	dy_batch_t b;
	int st, T = c->n_threads, fail = DY_OK;
	memset(&b, 0, sizeof b);
	if ((st = dy_junc_index(j)) < 0) { dy_err_set(err, "", "out of memory indexing junctions"); return st; }
	if (dy_rcache_complete(run->rc)) dy_rcache_rewind(&cur);
	else if ((st = dy_reads_open(&o->io, c->rank, c->n_ranks, &rd, err)) < 0) goto end;
	while (fail == DY_OK && (st = rd ? dy_reads_next(rd, o->io.batch_bytes, &b, err)
	                                  : dy_rcache_next(run->rc, &cur, o->io.batch_bytes, &b)) == DY_OK) {
		long i;
#pragma omp parallel num_threads(T)
		{
			uint8_t *scr = NULL;
			size_t cap = 0;
#pragma omp for schedule(dynamic, 256)
			for (i = 0; i < (long)b.n; ++i) {
				if (b.len[i] > cap) {
					uint8_t *p = (uint8_t *)realloc(scr, b.len[i]);
					if (p == NULL) {
#pragma omp atomic write
						fail = DY_ENOMEM;
						continue;
					}
					scr = p, cap = b.len[i];
				}
				dy_junc_scan(j, b.seq + b.off[i], b.len[i], scr, j->votes);
			}
			free(scr);
		}
	}
	if (st == DY_EOF) st = DY_OK;
	if (st == DY_OK && fail < 0) st = fail;
	if (st == DY_ENOMEM && (rd == NULL || fail < 0)) dy_err_set(err, "", "out of memory scanning the reads for junctions");
end:
	dy_reads_close(rd);
	dy_batch_free(&b);
	return st;
}

/* One pass: rank 0 chooses the junctions, every rank votes with its reads,
 * rank 0 splits.  *split (every rank) = junctions split; 0 ends the passes. */
static int resolve_pass(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run, int pass,
                        uint32_t max_len, uint64_t *split, uint64_t *n_junc, dy_err_t *err)
{
	dy_junc_t j;
	uint64_t n = 0, nb = 0;
	int st = DY_OK;
	double t0 = dy_realtime();
	memset(&j, 0, sizeof j);
	*split = 0;
	if (c->rank == 0) st = dy_junc_select(&run->g, max_len, &j);
	run->t_rank0_alone += dy_realtime() - t0;
	n = j.n, nb = j.n_bases;
	if ((st = dy_status_sync(c, st, err, "resolve")) < 0) goto out;
	MPI_Bcast(&n, 1, MPI_UINT64_T, 0, c->comm);
	MPI_Bcast(&nb, 1, MPI_UINT64_T, 0, c->comm);
	*n_junc = n;
	if (n == 0) {
		if (c->rank == 0 && pass == 1)
			dy_log(DY_LOG_INFO, "resolve", "no junction short enough for the reads to span: no second read pass");
		goto out;
	}
	if (c->rank != 0) {
		j.k = o->kmer.k, j.n = n, j.n_bases = nb;
		j.len = (uint32_t *)malloc(n * sizeof *j.len);
		j.off = (uint64_t *)malloc(n * sizeof *j.off);
		j.seq = (uint8_t *)malloc(nb + 1);
		if (!j.len || !j.off || !j.seq) st = DY_ENOMEM, dy_err_set(err, "", "out of memory for junctions");
	}
	if ((st = dy_status_sync(c, st, err, "resolve")) < 0) goto out;
	dy_bcast_big(j.len, n * sizeof *j.len, c->comm);
	dy_bcast_big(j.off, n * sizeof *j.off, c->comm);
	dy_bcast_big(j.seq, nb, c->comm);
	st = vote(o, c, run, &j, err);
	if ((st = dy_status_sync(c, st, err, "resolve")) < 0) goto out;
	dy_reduce_u32_big(&j.votes[0][0], n * 16, c->comm);
	if (c->rank == 0) {
		dy_junc_stats_t js;
		t0 = dy_realtime();
		st = dy_junc_resolve(&run->g, &j, (uint32_t)o->graph.resolve_reads, &js);
		if (st == DY_OK) st = dy_graph_compact(&run->g, &run->pop, c->n_threads, NULL);
		*split = js.split, run->n_junctions += n, run->js.split += js.split;
		if (st == DY_OK)
			dy_log(DY_LOG_INFO, "resolve", "pass %d: %llu short repeats (junctions of at most %u bases) looked "
			       "up in the reads: %llu split into one copy per way through; left: %llu with unequal ways in "
			       "and out, %llu with a way the reads do not continue, %llu continued two ways, %llu with "
			       "crossing reads, %llu looping onto themselves; %zu nodes", pass, (unsigned long long)n,
			       max_len, (unsigned long long)js.split, (unsigned long long)js.one_sided,
			       (unsigned long long)js.weak, (unsigned long long)js.ambiguous,
			       (unsigned long long)js.crossed, (unsigned long long)js.deferred, run->g.n);
		/* the copies may have freed bubbles and tips from the repeat */
		if (st == DY_OK && js.split) st = clean(o, c, &run->g, run->hom_cov, run);
		run->t_rank0_alone += dy_realtime() - t0;
		if (st < 0) dy_err_set(err, "", "resolving short repeats failed (%s)", dy_strerror(st));
	}
	st = dy_status_sync(c, st, err, "resolve");
	MPI_Bcast(split, 1, MPI_UINT64_T, 0, c->comm);
out:
	dy_junc_free(&j);
	return st;
}

int dy_phase_resolve(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	dy_err_t err;
	uint64_t in[2], tot[2], split = 1, nj = 1;
	uint32_t max_len;
	int st = DY_OK, pass;
	double t0;
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, "resolve");
	/* a read must hold a junction and one base beyond each end */
	in[0] = run->n_records, in[1] = run->n_bases;
	MPI_Allreduce(in, tot, 2, MPI_UINT64_T, MPI_SUM, c->comm);
	max_len = tot[0] ? (uint32_t)(tot[1] / tot[0]) : 0;
	max_len = max_len > 2 ? max_len - 2 : 0;
	if (o->graph.clean && o->graph.resolve && (uint32_t)o->kmer.k <= max_len)
		/* another pass (a read scan) only while the last one split >= 5% of its
		 * junctions and >= RESOLVE_AGAIN of them: a pass costs a read of the input */
		for (pass = 1; st == DY_OK && (pass == 1 || (split * 20 >= nj && split >= RESOLVE_AGAIN)) &&
		     pass <= o->graph.resolve_passes; ++pass) {
			st = resolve_pass(o, c, run, pass, max_len, &split, &nj, &err);
			run->resolve_passes = pass;
		}
	if (st < 0) goto out;   /* a failed pass was reported, on every rank alike */
	t0 = dy_realtime();
	if (c->rank == 0) {
		st = finish(c, run);
		if (st < 0) dy_err_set(&err, "", "writing the graph as contigs failed (%s)", dy_strerror(st));
	}
	run->t_rank0_alone += dy_realtime() - t0;
	st = dy_status_sync(c, st, &err, "resolve");
out:
	dy_phase_end(c, run);
	return st;
}
