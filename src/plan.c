/* plan.c -- `dactyl plan`: what to ask the scheduler for, before the job.
 *
 * It runs the pilot that `dactyl asm` runs without -k (phase_pilot.c: one
 * pass over every read, counting the k-mers of 1 minimizer in 2^s in full),
 * so the k it reports is the one asm would choose, and the spectrum gives
 * the distinct and solid k-mers at that k.  From those, the memory and time
 * of the job on a given layout follow from the model below; the output is
 * the estimate and the #SBATCH / srun / mpirun lines to use.
 *
 * The model, per rank of R, with d distinct and s solid k-mers at k, B
 * bases and O k-mer occurrences, is read from the code and calibrated on
 * two runs, -np 2 -t 1 on a 2-vCPU VM, dactyl 0.1.0:
 *   bact (200 Mbases, k = 63): pilot 2.9 s, count 8.6, build 1.5, rank 0
 *     0.4, resolve 0.5; peak 832 MB a rank (in the count), table 455 MB;
 *   palm-mini (1.2 Gbases, k = 81): pilot 16.6 s, count 86.6, build 40.1,
 *     rank 0 16.3, resolve 11.2; peak 7.9 GiB a rank (in the build), table
 *     5.2 GiB; 48.8 M solid k-mers where the pilot saw 35.4 M (the
 *     threshold falls with the coverage at a longer k, and repeats split).
 *   table  = entry(k) x 1.1 d / R / 0.62   entry 16, 24, 40 bytes for k <= 31,
 *            63, 127 (key words and one of count and edges); 0.62 the load of
 *            the staggered partitions measured (35 and 64 B per distinct
 *            k-mer); 1.1 for ranks that own more than their share
 *   fixed  = 2 round + 7 batch + 30 MB     exchange buffers, read batches, the
 *            runtime (MPI, htslib, hwloc) -- 352 MB at the defaults
 *   reads  = min(read cache, 1.1 B / R / 4)    2 bits a base, kept for resolve
 *   graph  = g(k) x 1.4 s x 1.1 / R        the build's nodes, once the count's
 *            buffers are gone: g 58 B up to k = 63, 115 B above; 1.4 for the
 *            solid k-mers the pilot does not see
 *   peak   = max(fixed + reads + table, reads + table + graph)
 *   rank 0 + 6 B x 1.4 s                   the fragments it merges, the contigs, cleaning
 *                                           and resolving (dy_mem_rank0, budget.c: measured)
 * and time, on C = R x T cores (s' = 1.4 s):
 *   pilot (no -k)  B / (34 M bases/s/core x C)
 *   count          O(k) / (6.8 M k-mers/s/core up to k = 63, 3.2 M above, x C)
 *   build          s' x (0.6 us up to k = 63, 1.65 us above) / C
 *   rank 0         s' x 300 ns               (merge and cleaning: serial)
 *   resolve        B / (54 M bases/s/core x C)
 * The request adds margin: memory x 1.25 (rounded up to a GiB), time x 2
 * plus 5 minutes (at least 10).  tests/plan checks the figures against a
 * run on other reads.
 */
#include <ctype.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "dy_priv.h"
#include "reads.h"

#define RATE_READ 34e6        /* bases/s/core the pilot reads (and parses) */
#define RATE_RESOLVE 54e6     /* bases/s/core of the resolve's pass over the kept reads */
#define T_RANK0 300e-9        /* seconds per solid k-mer of rank 0's merge and cleaning */

/* The k-dependent rates: narrow (k <= 63) and wide k-mer arithmetic. */
static double rate_count(int k) { return k <= DY_KNARROW ? 6.8e6 : 3.2e6; }   /* occurrences/s/core */
static double t_build(int k) { return k <= DY_KNARROW ? 0.6e-6 : 1.65e-6; }  /* core-s per solid k-mer */

typedef struct {
	long nodes, cores, ranks;     /* per node; 0 = choose (nodes) or this node's (cores) */
	double mem;                   /* bytes per node; 0 = this node's */
} plan_opt_t;

typedef struct {
	double table, fixed, reads, graph, peak, rank0, node;
	double t_pilot, t_count, t_build, t_rank0, t_resolve, t_all;
} plan_est_t;

static int plan_usage(FILE *fp)
{
	fprintf(fp,
	        "Usage: [mpirun -np N] dactyl plan [plan options] [asm options] FILE...\n\n"
	        "Reads the inputs once (the pilot dactyl asm runs without -k), estimates the distinct and\n"
	        "solid k-mers, the memory per rank and the time, and prints the #SBATCH lines and the\n"
	        "srun/mpirun lines for the job.  The asm options are those of the job (dactyl asm -h).\n\n"
	        "Plan options:\n"
	        "  --nodes N            nodes of the job (default: the fewest whose memory holds it)\n"
	        "  --cores-per-node C   cores of a compute node (default: this machine's)\n"
	        "  --ranks-per-node R   MPI ranks per node, C/R threads each (default: C/4, at least 1)\n"
	        "  --mem-per-node SIZE  memory of a compute node, e.g. 256G (default: this machine's)\n"
	        "  -h, --help           this help\n");
	return fp == stdout ? 0 : 1;
}

static int parse_count(const char *s, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < 1 || v > 10000000) return -1;
	*out = v;
	return 0;
}

/* Take the plan options out of argv (rest: the asm options, argv[0] kept). */
static int split_args(int argc, char *argv[], plan_opt_t *p, char **rest, int *n_rest, char *msg, size_t len)
{
	static const char *names[] = { "--nodes", "--cores-per-node", "--ranks-per-node", "--mem-per-node" };
	int i, j;
	*n_rest = 0;
	rest[(*n_rest)++] = argv[0];
	for (i = 1; i < argc; ++i) {
		const char *a = argv[i], *val = NULL;
		int which = -1;
		if (strcmp(a, "--") == 0) {   /* operands only from here on: they are asm's */
			while (i < argc) rest[(*n_rest)++] = argv[i++];
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) return 1;
		for (j = 0; j < 4; ++j) {
			size_t l = strlen(names[j]);
			if (strncmp(a, names[j], l) == 0 && (a[l] == 0 || a[l] == '=')) {
				which = j;
				val = a[l] == '=' ? a + l + 1 : i + 1 < argc ? argv[++i] : NULL;
				break;
			}
		}
		if (which < 0) {
			rest[(*n_rest)++] = argv[i];
			continue;
		}
		if (val == NULL) {
			snprintf(msg, len, "option %s needs a value", names[which]);
			return DY_EARG;
		}
		if (which == 3 ? dy_parse_size(val, &p->mem, 0) < 0
		    : parse_count(val, which == 0 ? &p->nodes : which == 1 ? &p->cores : &p->ranks) < 0) {
			snprintf(msg, len, "option %s needs %s, got '%.64s'", names[which],
			         which == 3 ? "a size such as 256G" : "a whole number of at least 1", val);
			return DY_EARG;
		}
	}
	rest[*n_rest] = NULL;
	return DY_OK;
}

static void estimate(const dy_opt_t *o, const dy_run_t *run, int k, int k_auto, double bases,
                     double n_ranks, double cores, plan_est_t *e)
{
	double d, s, L = run->pilot.L, occ;
	dy_pilot_kmers(run, k, &d, &s);
	occ = L > k ? run->pilot.occ * (L - k + 1) / (L - 31 + 1) : 0;
	memset(e, 0, sizeof *e);
	s *= DY_MEM_UNSEEN;
	e->table = dy_mem_table(k, d / n_ranks);   /* the model is budget.c's, shared with --mem */
	e->fixed = dy_mem_fixed(&o->io);
	e->reads = dy_mem_reads(&o->io, bases / n_ranks);
	e->graph = dy_mem_graph(k, s / n_ranks);
	e->peak = fmax(e->fixed + e->reads + e->table, e->reads + e->table + e->graph);
	e->rank0 = dy_mem_rank0(s);
	e->t_pilot = k_auto ? bases / (RATE_READ * cores) : 0;
	e->t_count = occ / (rate_count(k) * cores);
	e->t_build = s * t_build(k) / cores;
	e->t_rank0 = s * T_RANK0;
	e->t_resolve = o->graph.resolve ? bases / (RATE_RESOLVE * cores) : 0;
	e->t_all = e->t_pilot + e->t_count + e->t_build + e->t_rank0 + e->t_resolve;
}

/* A word for the shell: quoted unless it is plainly safe. */
static void put_word(FILE *fp, const char *w)
{
	const char *p;
	for (p = w; *p; ++p)
		if (!(isalnum((unsigned char)*p) || strchr("-_./=:,+@%", *p))) break;
	if (*p == 0 && *w) { fprintf(fp, " %s", w); return; }
	fputs(" '", fp);
	for (p = w; *p; ++p) {
		if (*p == '\'') fputs("'\\''", fp);
		else fputc(*p, fp);
	}
	fputc('\'', fp);
}

static void hms(double s, char *b, size_t len)
{
	long t = (long)ceil(s);
	snprintf(b, len, "%02ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

static void print_plan(FILE *fp, const dy_opt_t *o, const dy_run_t *run, int k, int k_auto, double bases,
                       double reads, long nodes, long rpn, long threads, const plan_est_t *e,
                       double mem_node, int n_rest, char **rest)
{
	double d, s, want = ceil(e->node * 1.25 / 1073741824.0), t_req = fmax(600, 2 * e->t_all + 300);
	double disk = 0;
	char tb[32];
	int i;
	dy_pilot_kmers(run, k, &d, &s);
	for (i = 0; i < o->io.n_in; ++i) {
		struct stat st;
		if (stat(o->io.in[i], &st) == 0) disk += (double)st.st_size;
	}
	fprintf(fp, "# dactyl plan: %d input file(s), %.1f MB on disk: %.2f M reads, %.1f Mbases, %.0f bp on average\n",
	        o->io.n_in, disk / 1e6, reads / 1e6, bases / 1e6, run->pilot.L);
	if (k_auto) fprintf(fp, "# k = %d, as dactyl asm chooses it: %s\n", k, run->k_why);
	else fprintf(fp, "# k = %d (given)\n", k);
	fprintf(fp, "# k-mers at k=%d: about %.1f M distinct; %.1f M solid at k=31 in the pilot (1 minimizer in %.0f), "
	        "the model allows %.1f M at k\n", k, d / 1e6, s / 1e6, run->pilot.f, DY_MEM_UNSEEN * s / 1e6);
	if (run->prof_pilot.fit_ok)
		fprintf(fp, "# genome: about %.1f Mb, homozygous k-mer coverage %.1f at k=31%s\n",
		        run->prof_pilot.genome_size / 1e6, run->prof_pilot.hom_cov,
		        run->prof_pilot.het_peak_seen ? ", a heterozygous peak at half of it" : "");
	fprintf(fp, "# layout: %ld node(s) x %ld rank(s) x %ld thread(s) = %ld cores\n", nodes, rpn, threads,
	        nodes * rpn * threads);
	fprintf(fp, "# memory per rank: %.2f GiB at its peak (k-mer table %.2f, buffers %.2f, reads %.2f, "
	        "graph %.2f after the count); rank 0 %.2f GiB more\n", e->peak / 1073741824.0,
	        e->table / 1073741824.0, e->fixed / 1073741824.0, e->reads / 1073741824.0, e->graph / 1073741824.0,
	        e->rank0 / 1073741824.0);
	fprintf(fp, "# memory per node: %.2f GiB of %.0f GiB; asking for %.0f GiB\n", e->node / 1073741824.0,
	        mem_node / 1073741824.0, want);
	hms(t_req, tb, sizeof tb);
	fprintf(fp, "# time: about %.0f s (pilot %.1f, count %.1f, build %.1f, rank 0 %.1f, resolve %.1f); "
	        "asking for %s\n", e->t_all, e->t_pilot, e->t_count, e->t_build, e->t_rank0, e->t_resolve, tb);
	fprintf(fp, "# (rates and bytes per k-mer measured on bact, 2 vCPUs, dactyl %s: see src/plan.c)\n", DY_VERSION);
	fprintf(fp, "#SBATCH --nodes=%ld\n#SBATCH --ntasks-per-node=%ld\n#SBATCH --cpus-per-task=%ld\n"
	        "#SBATCH --mem=%.0fG\n#SBATCH --time=%s\n", nodes, rpn, threads, want, tb);
	/* since Slurm 22.05 srun no longer inherits --cpus-per-task from the job */
	fprintf(fp, "srun --mpi=pmix --cpus-per-task=%ld --cpu-bind=cores dactyl asm -t %ld", threads, threads);
	for (i = 1; i < n_rest; ++i) put_word(fp, rest[i]);
	fprintf(fp, "\nmpirun -np %ld --map-by ppr:%ld:node:pe=%ld --bind-to core dactyl asm -t %ld",
	        nodes * rpn, rpn, threads, threads);
	for (i = 1; i < n_rest; ++i) put_word(fp, rest[i]);
	/* the same, as options to the job scripts (pipelines/slurm/, installed in
	 * share/dactyl/slurm/): sbatch's options win over their #SBATCH lines */
	fprintf(fp, "\nsbatch --nodes=%ld --ntasks-per-node=%ld --cpus-per-task=%ld --mem=%.0fG --time=%s "
	        "dactyl-requeue.sbatch", nodes, rpn, threads, want, tb);
	for (i = 1; i < n_rest; ++i) put_word(fp, rest[i]);
	fputc('\n', fp);
}

int dy_plan_main(int argc, char *argv[], dy_ctx_t *c)
{
	plan_opt_t p = { 0, 0, 0, 0 };
	dy_opt_t o, po;
	dy_run_t run;
	plan_est_t e;
	char msg[512] = "", **rest = calloc((size_t)argc + 1, sizeof *rest);
	int n_rest = 0, st, k, k_auto;
	long rpn, threads, nodes;
	double bases, reads, mem_node;
	dy_opt_init(&o);
	memset(&run, 0, sizeof run);
	if (rest == NULL) return DY_ENOMEM;
	st = split_args(argc, argv, &p, rest, &n_rest, msg, sizeof msg);
	if (st == 1) {
		if (c->rank == 0) plan_usage(stdout);
		free(rest);
		return 1;
	}
	if (st == DY_OK && (st = dy_opt_parse(n_rest, rest, &o, msg, sizeof msg)) == 1) {   /* e.g. --he */
		if (c->rank == 0) plan_usage(stdout);
		free(rest);
		return 1;
	}
	if (st == DY_OK) st = dy_opt_check(&o, msg, sizeof msg);
	if (st == DY_OK && o.io.n_in == 0) snprintf(msg, sizeof msg, "no input file given"), st = DY_EARG;
	dy_log_init(c->rank, c->n_ranks, o.run.verbose);
	if (st < 0) {
		if (c->rank == 0) dy_log(DY_LOG_ERROR, "plan", "%s", msg);
		free(rest);
		return st;
	}
	{
		long np = sysconf(_SC_NPROCESSORS_ONLN), pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		if (p.cores == 0) p.cores = np > 0 ? np : 1;
		mem_node = p.mem > 0 ? p.mem : pages > 0 && psz > 0 ? (double)pages * (double)psz : 0;
	}
	rpn = p.ranks ? p.ranks : p.cores / 4 > 0 ? p.cores / 4 : 1;
	if (rpn > p.cores) {
		if (c->rank == 0)
			dy_log(DY_LOG_ERROR, "plan", "--ranks-per-node %ld is more than the %ld cores per node", rpn, p.cores);
		free(rest);
		return DY_EARG;
	}
	threads = p.cores / rpn;
	/* the pilot, as asm runs it: this plan's own ranks and threads */
	c->n_threads = o.run.threads ? o.run.threads : omp_get_max_threads();
	omp_set_num_threads(c->n_threads);
	o.io.threads = c->n_threads;
	run.t_start = dy_realtime();
	if ((st = dy_pairs_index(&o, c, &run)) < 0) { free(rest), free(run.share_recs); return st; }
	po = o, po.kmer.k = 0, po.kmer.m = 0;
	if ((st = dy_phase_pilot(&po, c, &run)) < 0) { free(rest), free(run.share_recs); return st; }
	k_auto = o.kmer.k == 0;
	k = k_auto ? po.kmer.k : o.kmer.k;
	bases = run.pilot.bases, reads = run.pilot.reads;   /* every rank has the same figures */
	if (run.pilot.occ == 0 || run.pilot.distinct == 0) {
		if (c->rank == 0) dy_log(DY_LOG_ERROR, "plan", "no k-mer of length 31 in the input: nothing to plan for");
		free(rest), free(run.share_recs);
		return DY_ENOKMER;
	}
	if (c->rank != 0) { free(rest), free(run.share_recs); return DY_OK; }
	/* the fewest nodes whose memory holds the job, unless given */
	for (nodes = p.nodes ? p.nodes : 1; ; ++nodes) {
		estimate(&o, &run, k, k_auto, bases, (double)(nodes * rpn), (double)(nodes * rpn * threads), &e);
		e.node = (double)rpn * e.peak + e.rank0;
		if (p.nodes || e.node * 1.25 <= mem_node || nodes >= 100000) break;
	}
	{
		/* the printed lines set their own -t: the user's (which ran the pilot here) is left out */
		char **shown = malloc(((size_t)n_rest + 1) * sizeof *shown);
		int n_shown = shown ? dy_opt_strip(n_rest, rest, 't', shown) : -1;
		if (n_shown < 0) { free(shown), free(rest), free(run.share_recs); return DY_ENOMEM; }
		print_plan(stdout, &o, &run, k, k_auto, bases, reads, nodes, rpn, threads, &e, mem_node, n_shown, shown);
		free(shown);
	}
	free(rest), free(run.share_recs);
	if (e.node * 1.25 > mem_node) {
		dy_log(DY_LOG_ERROR, "plan", "the job does not fit: %.1f GiB per node (with the margin) is more than the "
		       "%.1f GiB of a node; %s", e.node * 1.25 / 1073741824.0, mem_node / 1073741824.0,
		       p.nodes ? "give more nodes, or fewer ranks per node" : "no layout up to 100000 nodes holds it");
		return DY_ELIMIT;
	}
	return DY_OK;
}
