/* budget.c -- the memory budget per rank (-m, --mem) and the one memory
 * model, shared with dactyl plan (src/plan.c gives the runs it was
 * calibrated on).
 *
 * The budget bounds what a rank holds: the buffers are cut to fit it at the
 * start (read batch <= 1/32 of it, exchange round <= 1/16, read cache <=
 * 1/8; results do not depend on them), and a job it cannot hold is refused
 * as soon as that shows, with the smallest budget that works and the ranks
 * that would do at this one:
 *   - at the start, when the buffers at their smallest do not fit;
 *   - after the pilot (no -k), from its estimate of the distinct k-mers;
 *   - in the count, after every round, from this rank's table as it is
 *     (an allocation, so before the memory is touched), projected to the
 *     end of its reads;
 *   - after the histogram, from the solid k-mers the build will hold, and
 *     on rank 0 from the whole graph it merges and cleans alone (more
 *     ranks do not shrink that share: the message says so).
 * The default is the rank's share of the node's memory (the ranks on the
 * node share it evenly), or of the Slurm allocation (SLURM_MEM_PER_CPU x
 * SLURM_CPUS_PER_TASK, or SLURM_MEM_PER_NODE shared by the node's ranks).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dy_priv.h"
#include "reads.h"

#define MEAN_LOAD 0.62    /* the staggered partitions' load, measured: 35 and 64 B per distinct k-mer */
#define SKEW 1.1          /* a rank owns up to 10% more than its share */
#define RUNTIME_B 30e6    /* MPI, htslib, hwloc, the binary */
#define MIN_BATCH ((size_t)1 << 20)
#define MIN_ROUND ((size_t)4 << 20)
#define MIN_TABLE 16e6
/* Rank 0's own share, bytes a solid k-mer of the whole job: the gathered
 * fragments, the unitigs and the graph cleaning and resolving walk.  Its
 * phase peaks (stats.json phase_peak_rss_bytes with --phase-peaks, rank 0 over rank 1, 2 ranks)
 * measured +0.4 MiB on bact (5.0 M solid, 439 unitigs) and +33.6 MiB on
 * bact-dip (7.8 M solid, 115,663 unitigs: 4.5 B a solid k-mer, most in
 * resolve); heap freed by the count absorbs part of it, so 1.3x that. */
#define RANK0_B 6.0

double dy_mem_fixed(const dy_io_opt_t *io)
{
	return 2.0 * (double)io->round_bytes + 7.0 * (double)io->batch_bytes + RUNTIME_B;
}

double dy_mem_table(int k, double distinct)
{
	double entry = 8.0 * (k <= 31 ? 2 : k <= DY_KNARROW ? 3 : 5);   /* key words, count and edges */
	return entry * SKEW * distinct / MEAN_LOAD;
}

double dy_mem_graph(int k, double solid)
{
	return (k <= DY_KNARROW ? 58.0 : 115.0) * SKEW * solid;
}

double dy_mem_rank0(double solid_all)
{
	return RANK0_B * solid_all;
}

double dy_mem_reads(const dy_io_opt_t *io, double bases)
{
	return io->cache_bytes ? fmin((double)io->cache_bytes, SKEW * bases / 4) : 0;
}

static double env_mb(const char *name)
{
	const char *v = getenv(name);
	char *end;
	double d;
	if (v == NULL || *v == 0) return 0;
	d = strtod(v, &end);
	return end != v && d > 0 ? d * 1048576.0 : 0;   /* Slurm gives megabytes; a unit suffix is allowed */
}

static void gib(double b, char *s, size_t len)
{
	/* rounded up: a budget named as the smallest must work when given */
	if (b >= 1073741824.0) snprintf(s, len, "%.2f GiB", ceil(b / 1073741824.0 * 100) / 100);
	else snprintf(s, len, "%.0f MiB", ceil(b / 1048576.0));
}

/* The buffers as a budget of m cuts them: batch <= m/32, round <= m/16,
 * cache <= m/8, from the sizes asked for. */
static void cut(dy_io_opt_t *io, double m)
{
	io->batch_bytes = io->asked_batch, io->round_bytes = io->asked_round, io->cache_bytes = io->asked_cache;
	if ((double)io->batch_bytes > m / 32) io->batch_bytes = (size_t)(m / 32) > MIN_BATCH ? (size_t)(m / 32) : MIN_BATCH;
	if ((double)io->round_bytes > m / 16) io->round_bytes = (size_t)(m / 16) > MIN_ROUND ? (size_t)(m / 16) : MIN_ROUND;
	if ((double)io->cache_bytes > m / 8) io->cache_bytes = (size_t)(m / 8);
}

/* What a rank needs at a budget of m (which sets the buffers) for a table
 * of table bytes, bases read (for the cache) and a graph of graph bytes. */
static double need_at(const dy_io_opt_t *io0, double m, double table, double bases, double graph)
{
	dy_io_opt_t io = *io0;
	double reads;
	cut(&io, m);
	reads = dy_mem_reads(&io, bases);
	return fmax(dy_mem_fixed(&io) + reads + table, reads + table + graph);
}

/* The smallest budget m with need_at(m) <= m (the buffers shrink with it). */
static double smallest(const dy_io_opt_t *io, double table, double bases, double graph)
{
	double lo = table + graph, hi = lo + dy_mem_fixed(io) + (double)io->asked_cache + 64e6;
	int i;
	for (i = 0; i < 60; ++i) {
		double mid = (lo + hi) / 2;
		if (need_at(io, mid, table, bases, graph) <= mid) hi = mid; else lo = mid;
	}
	return hi;
}

/* Rank 0 once the tables are freed, at a budget of m: the runtime, its
 * read cache (cut by m) and its own share of the graph; and the smallest m
 * that holds it. */
static double need0_at(const dy_io_opt_t *io0, double m, double bases, double rank0)
{
	dy_io_opt_t io = *io0;
	cut(&io, m);
	return RUNTIME_B + dy_mem_reads(&io, bases) + rank0;
}

static double smallest0(const dy_io_opt_t *io, double bases, double rank0)
{
	double lo = RUNTIME_B + rank0, hi = lo + (double)io->asked_cache + 64e6;
	int i;
	for (i = 0; i < 60; ++i) {
		double mid = (lo + hi) / 2;
		if (need0_at(io, mid, bases, rank0) <= mid) hi = mid; else lo = mid;
	}
	return hi;
}

int dy_budget_init(dy_opt_t *o, const dy_ctx_t *c, dy_err_t *err)
{
	MPI_Comm node;
	int local = 1, st = DY_OK;
	double share = 0, frac = o->io.mem > 0 && o->io.mem < 1 ? o->io.mem : 0, fixed;
	char from[256] = "", a[32], b[32];
	MPI_Comm_split_type(c->comm, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &node);
	MPI_Comm_size(node, &local);
	MPI_Comm_free(&node);
	{
		double per_cpu = env_mb("SLURM_MEM_PER_CPU"), per_node = env_mb("SLURM_MEM_PER_NODE");
		const char *cpt = getenv("SLURM_CPUS_PER_TASK");
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		if (per_cpu > 0) {
			int n = cpt && atoi(cpt) > 0 ? atoi(cpt) : 1;
			share = per_cpu * n;
			snprintf(from, sizeof from, "SLURM_MEM_PER_CPU x %d CPU(s) per task", n);
		} else if (per_node > 0) {
			share = per_node / local;
			snprintf(from, sizeof from, "SLURM_MEM_PER_NODE shared by %d rank(s) on the node", local);
		} else if (pages > 0 && psz > 0) {
			share = (double)pages * (double)psz / local;
			snprintf(from, sizeof from, "the node's memory shared by %d rank(s) on it", local);
		}
	}
	if (o->io.mem == 0 || frac > 0) {
		o->io.mem = share * (frac > 0 ? frac : 1);
		if (frac > 0) {
			char f[320];
			snprintf(f, sizeof f, "%g of %.250s", frac, from);
			snprintf(from, sizeof from, "%.250s", f);
		}
	} else snprintf(from, sizeof from, "--mem");
	if (o->io.mem <= 0) return DY_OK;   /* nothing known: no budget */
	{	/* the buffers fit the budget: results do not depend on their sizes */
		size_t batch = o->io.batch_bytes, round = o->io.round_bytes, cache = o->io.cache_bytes;
		o->io.asked_batch = batch, o->io.asked_round = round, o->io.asked_cache = cache;
		cut(&o->io, o->io.mem);
		if (c->rank == 0 && (batch != o->io.batch_bytes || round != o->io.round_bytes || cache != o->io.cache_bytes))
			dy_log(DY_LOG_INFO, "mem", "to fit the budget: read batches %zu MiB, exchange rounds %zu MiB, read "
			       "cache %zu MiB per rank", o->io.batch_bytes >> 20, o->io.round_bytes >> 20, o->io.cache_bytes >> 20);
	}
	fixed = dy_mem_fixed(&o->io);
	gib(o->io.mem, a, sizeof a);
	if (c->rank == 0) dy_log(DY_LOG_INFO, "mem", "memory budget %s per rank (%s)", a, from);
	if (fixed + MIN_TABLE > o->io.mem) {
		gib(smallest(&o->io, MIN_TABLE, 0, 0), b, sizeof b);
		dy_err_set(err, "", "the memory budget of %s per rank (%s) cannot hold even the buffers: the smallest "
		           "workable budget is about %s per rank, before any k-mer", a, from, b);
		st = DY_ELIMIT;
	}
	return st;
}

/* The message for a job the budget cannot hold: what it needs (a table,
 * the bases of the read cache, a graph, per rank, at this number of ranks),
 * the smallest budget, and the ranks that would do at this one. */
static int refuse(const dy_opt_t *o, const dy_ctx_t *c, double table, double bases, double graph,
                  const char *what, int extrapolated, dy_err_t *err)
{
	/* from part of the reads, the table is extrapolated linearly: distinct
	 * k-mers grow more slowly than the reads (the genome's saturate, only the
	 * errors' keep coming), so the figure is high (bench/mem-budget.sh, bact
	 * at -k 31: 1414 MiB named after 2% of the reads, 587 MiB peak) */
	const char *why = extrapolated ? " (extrapolated from the reads read so far; the table grows more "
	                  "slowly than the reads, so less may do)" : "";
	char a[32], b[32];
	long r = c->n_ranks;
	gib(o->io.mem, a, sizeof a);
	gib(smallest(&o->io, table, bases, graph), b, sizeof b);
	/* the ranks that would do: the per-rank shares shrink, the buffers do not */
	while (r < 1000000 && need_at(&o->io, o->io.mem, table * c->n_ranks / r, bases * c->n_ranks / r,
	                              graph * c->n_ranks / r) > o->io.mem) r += r / 8 + 1;
	if (r < 1000000)
		dy_err_set(err, "", "%s: more than the memory budget of %s per rank; the smallest workable budget is "
		           "about %s per rank at %d rank(s), or about %ld rank(s) at this budget%s", what, a, b,
		           c->n_ranks, r, why);
	else
		dy_err_set(err, "", "%s: more than the memory budget of %s per rank; the smallest workable budget is "
		           "about %s per rank%s", what, a, b, why);
	return DY_ELIMIT;
}

int dy_budget_after_pilot(const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run, dy_err_t *err)
{
	double d, s, table, reads, fixed = dy_mem_fixed(&o->io), graph;
	char what[200], t[32];
	dy_pilot_kmers(run, o->kmer.k, &d, &s);
	table = dy_mem_table(o->kmer.k, d / c->n_ranks);
	reads = dy_mem_reads(&o->io, run->pilot.bases / c->n_ranks);
	graph = dy_mem_graph(o->kmer.k, DY_MEM_UNSEEN * s / c->n_ranks);
	if (o->io.mem <= 0 || d <= 0 || fmax(fixed + reads + table, reads + table + graph) <= o->io.mem) return DY_OK;
	gib(table, t, sizeof t);
	snprintf(what, sizeof what, "the pilot expects %.1f M distinct k-mers at k=%d, a table of about %s per rank",
	         d / 1e6, o->kmer.k, t);
	return refuse(o, c, table, run->pilot.bases / c->n_ranks, graph, what, 0, err);
}

int dy_budget_count(const dy_opt_t *o, const dy_ctx_t *c, size_t table, double round_end, size_t cache,
                    double done, dy_err_t *err)
{
	double fixed = dy_mem_fixed(&o->io), end = fmax((double)table, round_end);
	char what[200], t[32];
	if (o->io.mem <= 0 || fixed + (double)table + (double)cache <= o->io.mem) return DY_OK;
	/* the table at the end of the reads: a round refused part-way would
	 * still add the rest of its records, at the rate its pieces did */
	end = done > 0.01 ? end / done : end * 100;
	gib((double)table, t, sizeof t);
	snprintf(what, sizeof what, "this rank's k-mer table reached %s after %.0f%% of its reads", t, 100 * done);
	/* the bases behind the cache as the cache holds them (2 bits each) */
	return refuse(o, c, end, (double)cache * 4 / done, 0, what, 1, err);
}

int dy_budget_before_build(const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run, dy_err_t *err)
{
	double graph = dy_mem_graph(o->kmer.k, (double)run->n_solid_global / c->n_ranks);
	double bases = run->rc ? (double)run->n_bases : 0, reads = dy_mem_reads(&o->io, bases);
	char what[200], g[32];
	double rank0 = dy_mem_rank0((double)run->n_solid_global);
	if (o->io.mem <= 0) return DY_OK;
	if ((double)run->ht_bytes + reads + graph > o->io.mem) {
		gib(graph, g, sizeof g);
		snprintf(what, sizeof what, "the graph of %.1f M solid k-mers needs about %s per rank beside the k-mer table",
		         run->n_solid_global / 1e6, g);
		return refuse(o, c, (double)run->ht_bytes, bases, graph, what, 0, err);
	}
	/* rank 0 alone, once the tables are freed: the runtime, its read cache
	 * and the whole graph (the other ranks learn it from the status sync) */
	/* the read cache stays for the merge only when resolve reads it (main.c) */
	if (!(o->graph.clean && o->graph.resolve && o->graph.resolve_passes > 0)) bases = 0;
	if (c->rank == 0 && need0_at(&o->io, o->io.mem, bases, rank0) > o->io.mem) {
		char a[32], b[32];
		gib(rank0, g, sizeof g);
		gib(o->io.mem, a, sizeof a);
		gib(smallest0(&o->io, bases, rank0), b, sizeof b);
		dy_err_set(err, "", "rank 0 merges and cleans the whole graph alone: %.1f M solid k-mers need about %s on "
		           "rank 0 beside its read cache, more than the memory budget of %s per rank; the smallest "
		           "workable budget is about %s per rank (more ranks do not shrink rank 0's share; a smaller "
		           "--read-cache-mb does)", run->n_solid_global / 1e6, g, a, b);
		return DY_ELIMIT;
	}
	return DY_OK;
}
