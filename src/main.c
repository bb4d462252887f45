/* main.c -- `dactyl asm|count|stats|version`: the only place that exits. */
#define _GNU_SOURCE
#include <malloc.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <htslib/hts_log.h>
#include "dy_priv.h"
#include "reads.h"

static int threads_default(int from_opt)
{
	const char *env = getenv("OMP_NUM_THREADS");
	if (from_opt > 0) return from_opt;
	if (env && atoi(env) > 0) return atoi(env);   /* the environment sets defaults only */
	return dy_pin_ncores();
}

/* Per-rank figures and per-phase times to rank 0, then rank 0 writes. */
static int write_all(const dy_opt_t *o, const dy_opt_t *user, const dy_ctx_t *c, dy_run_t *run, int with_contigs)
{
	uint64_t mine[DY_NRANKSTAT], *per = NULL;
	double wall[DY_MAX_PHASE] = { 0 }, *walls = NULL;
	long long rss[3 * DY_MAX_PHASE] = { 0 }, *rsss = NULL;   /* peak so far, at the start, inside */
	dy_err_t err;
	double t0 = dy_realtime();
	int st = DY_OK, i;
	memset(&err, 0, sizeof err);
	dy_fault_at("write");
	mine[0] = run->n_records, mine[1] = run->n_bases, mine[2] = run->n_kmer_occ;
	mine[3] = run->bytes_sent, mine[4] = run->n_distinct, mine[5] = run->ht_bytes;
	mine[6] = run->frag.n_solid, mine[7] = run->frag.n_frag, mine[8] = run->frag_bytes;
	mine[9] = run->n_read, mine[10] = run->n_shared_in, mine[11] = run->n_kmer_counted;
	/* the sieve's filters and table peak at the end of its first pass */
	mine[12] = run->sieve && run->sieve_peak_bytes > run->ht_bytes ? run->sieve_peak_bytes : run->ht_bytes;
	for (i = 0; i < run->n_ph; ++i) {
		wall[i] = run->ph[i].wall, rss[i] = run->ph[i].rss;
		rss[DY_MAX_PHASE + i] = run->ph[i].rss_in, rss[2 * DY_MAX_PHASE + i] = run->ph[i].rss_ph;
	}
	if (c->rank == 0) {
		per = calloc((size_t)c->n_ranks * DY_NRANKSTAT, sizeof *per);
		walls = calloc((size_t)c->n_ranks * DY_MAX_PHASE, sizeof *walls);
		rsss = calloc((size_t)c->n_ranks * 3 * DY_MAX_PHASE, sizeof *rsss);
		if (!per || !walls || !rsss) st = DY_ENOMEM;
	}
	st = dy_status_sync(c, st, &err, "write");
	if (st < 0) goto out;
	/* the libraries: every rank's reads of each input, summed on rank 0 */
	MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : run->file_recs, run->file_recs, o->io.n_in, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : run->file_bases, run->file_bases, o->io.n_in, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : run->file_skip, run->file_skip, o->io.n_in, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	if (run->n_rg > 0) {
		MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : run->rg_recs, run->rg_recs, run->n_rg, MPI_UINT64_T, MPI_SUM, 0, c->comm);
		MPI_Reduce(c->rank == 0 ? MPI_IN_PLACE : run->rg_bases, run->rg_bases, run->n_rg, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	}
	if (c->rank == 0) dy_pairs_log(o, run);
	MPI_Gather(mine, DY_NRANKSTAT, MPI_UINT64_T, per, DY_NRANKSTAT, MPI_UINT64_T, 0, c->comm);
	MPI_Gather(wall, DY_MAX_PHASE, MPI_DOUBLE, walls, DY_MAX_PHASE, MPI_DOUBLE, 0, c->comm);
	MPI_Gather(rss, 3 * DY_MAX_PHASE, MPI_LONG_LONG, rsss, 3 * DY_MAX_PHASE, MPI_LONG_LONG, 0, c->comm);
	if (c->rank == 0) {
		const char *d = o->io.out_dir;
		st = dy_write_histo(d, run->hist, o->count.hist_max, run->min_count, run->sieve, &err);
		if (st == DY_OK && with_contigs) st = dy_write_contigs(d, &run->contigs, o->out.min_len, &err);
		if (st == DY_OK && with_contigs) st = dy_write_gfa(d, &run->contigs, &run->links, o->kmer.k, &err);
		if (st == DY_OK && with_contigs) st = dy_write_bubbles(d, &run->pop, &err);
		run->t_rank0_alone += dy_realtime() - t0;
		if (st == DY_OK) st = dy_write_stats(d, o, user, c, run, walls, rsss, per, &err);
		if (st == DY_OK) st = dy_out_publish(d, with_contigs, &err);
		if (st < 0) dy_out_cleanup(d);
	}
	st = dy_status_sync(c, st, &err, "write");
out:
	free(per), free(walls), free(rsss);
	return st;
}

/* What the run learns of its inputs. */
static void inputs_free(dy_run_t *run)
{
	free(run->file_recs), free(run->file_bases), free(run->file_skip), free(run->share_recs);
	free(run->rg_first), free(run->rg_recs), free(run->rg_bases);
	run->file_recs = run->file_bases = run->file_skip = run->share_recs = NULL;
	run->rg_first = NULL, run->rg_recs = run->rg_bases = NULL;
}

/* asm and count share everything up to the histogram. */
static int run_pipeline(const dy_opt_t *o_in, dy_ctx_t *c, int assemble)
{
	dy_opt_t oo = *o_in, *o = &oo;   /* k may be chosen below */
	dy_run_t run;
	dy_buf_t frags = { 0, 0, NULL };
	dy_ht_t *h = NULL;
	dy_err_t err;
	int st = DY_OK, from = DY_CK_NONE;
	memset(&run, 0, sizeof run), memset(&err, 0, sizeof err);
	run.t_start = dy_realtime();
	/* the inputs are checked (they exist, can be read, are a format we read)
	 * before anything in the output folder is touched */
	run.rg_first = calloc((size_t)o->io.n_in + 1, sizeof *run.rg_first);
	{
		dy_reader_t *r = NULL;
		st = dy_reads_open(&o->io, c->rank, c->n_ranks, &r, &err);
		if (st == DY_OK && run.rg_first == NULL) st = DY_ENOMEM, dy_err_set(&err, "", "out of memory");
		if (st == DY_OK) run.n_rg = dy_reads_rg_layout(r, run.rg_first);
		dy_reads_close(r);
		if (st < 0) free(run.rg_first), run.rg_first = NULL;
		if ((st = dy_status_sync(c, st, &err, "reads")) < 0) { inputs_free(&run); return st; }
	}
	if (c->rank == 0) {
		int i;
		for (i = 0; i < o->io.n_in; ++i)
			switch (dy_reads_pairs_unused(&o->io, i)) {
			case 1:
				dy_log(DY_LOG_INFO, "reads", "%s: its records are mates (flags READ1, READ2), read here as single "
				       "reads; give it with --12 to keep the pairs (insert sizes in stats.json)", o->io.in[i]);
				break;
			case 2:
				dy_log(DY_LOG_INFO, "reads", "%s: its records are mates (flags READ1, READ2), sorted by position and "
				       "read here as single reads; 'samtools collate' then --12 would keep the pairs", o->io.in[i]);
				break;
			}
	}
	dy_fault_at("output");
	{	/* --resume where this same run has finished (a job requeued after its end): nothing to do */
		int done = 0;
		if (c->rank == 0 && o->io.resume && !o->io.force) {
			char p[4096], line[1024];
			snprintf(p, sizeof p, "%s/stats.json", o->io.out_dir);
			dy_opt_line(o_in, line, sizeof line);
			if ((done = dy_stats_same_run(p, line, &o_in->io)))
				dy_log(DY_LOG_INFO, "resume", "%s holds the finished result of this same run (options and "
				       "inputs as its stats.json records them): nothing to resume", o->io.out_dir);
		}
		MPI_Bcast(&done, 1, MPI_INT, 0, c->comm);
		if (done) { inputs_free(&run); return DY_OK; }
	}
	/* which records of paired inputs each rank reads; mates that do not pair
	 * up are refused here, before the output folder is touched */
	run.file_recs = calloc((size_t)o->io.n_in + 1, sizeof *run.file_recs);
	run.file_bases = calloc((size_t)o->io.n_in + 1, sizeof *run.file_bases);
	run.file_skip = calloc((size_t)o->io.n_in + 1, sizeof *run.file_skip);
	run.rg_recs = calloc((size_t)run.n_rg + 1, sizeof *run.rg_recs);
	run.rg_bases = calloc((size_t)run.n_rg + 1, sizeof *run.rg_bases);
	st = run.file_recs && run.file_bases && run.file_skip && run.rg_recs && run.rg_bases ? DY_OK : DY_ENOMEM;
	if (st == DY_ENOMEM) dy_err_set(&err, "", "out of memory");
	if ((st = dy_status_sync(c, st, &err, "reads")) < 0 || (st = dy_pairs_index(o, c, &run)) < 0) {
		inputs_free(&run);
		return st;
	}
	if (c->rank == 0) {
		/* a finished result, then a checkpoint, are looked at before anything is touched */
		st = dy_out_check(o->io.out_dir, o->io.force, o->io.resume, &err);
		if (st == DY_OK) st = dy_ck_probe(o_in, c->n_ranks, &from, &err);
		if (st == DY_OK) st = dy_out_prepare(o->io.out_dir, &err);
		if (st == DY_OK && !o->io.resume) dy_ck_discard(o->io.out_dir);   /* forced fresh start */
	}
	if ((st = dy_status_sync(c, st, &err, "output")) < 0) { inputs_free(&run); return st; }
	if ((st = dy_ck_load(o, c, &run, &h, &frags, &from)) < 0) goto out;
	if (from == DY_CK_NONE) {
		/* the reads stay in memory for the later passes (the pilot's, the
		 * sieve's second, resolve's) when they fit */
		if (o->io.cache_bytes && (o->kmer.k == 0 || o->count.sieve || (assemble && o->graph.clean && o->graph.resolve))) {
			/* every rank has a cache or none: the count phase agrees on its state collectively */
			if ((run.rc = dy_rcache_init(o->io.cache_bytes)) == NULL) st = DY_ENOMEM;
			if ((st = dy_status_sync(c, st, &err, "count")) < 0) goto out;
		}
		if (o->kmer.k == 0) {
			run.k_auto = 1;
			if ((st = dy_phase_pilot(o, c, &run)) < 0) goto out;
			st = dy_budget_after_pilot(o, c, &run, &err);
			if ((st = dy_status_sync(c, st, &err, "mem")) < 0) goto out;
		}
		if ((h = dy_ht_init(o->kmer.k, o->kmer.m, o->count.part_log2)) == NULL) st = DY_ENOMEM;
		if ((st = dy_status_sync(c, st, &err, "count")) < 0) goto out;
		if ((st = dy_phase_count(o, c, h, &run)) < 0) goto out;
		if ((st = dy_phase_histo(o, c, h, &run)) < 0) goto out;
		if (!assemble) dy_rcache_free(run.rc), run.rc = NULL;
		if (assemble && (st = dy_ck_save(DY_CK_COUNT, o_in, o, c, &run, h, NULL)) < 0) goto out;
		if (assemble && !o->io.no_ck && (st = dy_stop_after(c, DY_CK_COUNT)) < 0) goto out;
	}
	/* a resumed run reads the reads again where the cache would have served
	 * them: no result depends on which */
	if (assemble && from < DY_CK_BUILD) {
		/* refused here, the count's checkpoint stays: --resume with a larger --mem goes on */
		st = dy_budget_before_build(o, c, &run, &err);
		if ((st = dy_status_sync(c, st, &err, "mem")) < 0) goto out;
		if ((st = dy_phase_build(o, c, h, &run, &frags)) < 0) goto out;
		if (!(o->graph.clean && o->graph.resolve && o->graph.resolve_passes > 0))
			dy_rcache_free(run.rc), run.rc = NULL;   /* no later pass reads it */
		dy_ht_destroy(h), h = NULL;  /* the table's memory is free before rank 0 merges */
		if ((st = dy_ck_save(DY_CK_BUILD, o_in, o, c, &run, NULL, &frags)) < 0) goto out;
		if (!o->io.no_ck && (st = dy_stop_after(c, DY_CK_BUILD)) < 0) goto out;
	}
	if (assemble && from < DY_CK_MERGE) {
		if ((st = dy_phase_merge(o, c, &frags, &run)) < 0) goto out;
		if ((st = dy_ck_save(DY_CK_MERGE, o_in, o, c, &run, NULL, NULL)) < 0) goto out;
		if (!o->io.no_ck && (st = dy_stop_after(c, DY_CK_MERGE)) < 0) goto out;
	}
	if (assemble && from < DY_CK_GRAPH) {
		if ((st = dy_phase_clean(o, c, &run)) < 0) goto out;
		if ((st = dy_phase_resolve(o, c, &run)) < 0) goto out;
		if ((st = dy_phase_insert(o, c, &run)) < 0) goto out;
		if ((st = dy_ck_save(DY_CK_GRAPH, o_in, o, c, &run, NULL, NULL)) < 0) goto out;
	}
	st = write_all(o, o_in, c, &run, assemble);
	if (st == DY_OK && assemble && !o->io.keep_ck) dy_ck_done(o, c);
	if (st == DY_OK && c->rank == 0) {
		double wall = dy_realtime() - run.t_start;
		dy_log(DY_LOG_INFO, "asm", "rank 0 alone (merge, graph cleaning and write): %.3f s, %.1f%% of the wall time",
		            run.t_rank0_alone, wall > 0 ? 100.0 * run.t_rank0_alone / wall : 0.0);
		if (assemble) {
			size_t i, n = 0;   /* sorted longest first: those of --min-len bases or more */
			for (i = 0; i < run.contigs.n && run.contigs.a[i].len >= (uint64_t)o->out.min_len; ++i) ++n;
			dy_log(DY_LOG_INFO, "asm", "%zu contigs written to %s/contigs.fa (%zu nodes in graph.gfa)",
			       n, o->io.out_dir, run.contigs.n);
		}
	}
out:
	if (st < 0 && c->rank == 0) dy_out_cleanup(o->io.out_dir);
	dy_ht_destroy(h);
	dy_buf_free(&frags);
	dy_contigs_free(&run.contigs);
	dy_glinks_free(&run.links);
	dy_popset_free(&run.pop);
	dy_graph_free(&run.g);
	dy_rcache_free(run.rc);
	free(run.hist);
	free(run.isize);
	inputs_free(&run);
	return st;
}

/* Ranks on one node with one and the same cpuset share its cores out. */
static int pin_all(dy_ctx_t *c, const dy_opt_t *o)
{
	MPI_Comm node;
	unsigned long long h = 0, lo, hi;
	int lrank = 0, lsize = 1, st, same;
	dy_err_t err;
	memset(&err, 0, sizeof err);
	dy_pin_cpuset_hash(&h);
	sched_getaffinity(0, sizeof c->cpus, &c->cpus);  /* before thread 0 (this thread) is pinned */
	MPI_Comm_split_type(c->comm, MPI_COMM_TYPE_SHARED, c->rank, MPI_INFO_NULL, &node);
	MPI_Comm_rank(node, &lrank);
	MPI_Comm_size(node, &lsize);
	/* one cpuset for all ranks of the node iff the smallest and largest hash agree */
	MPI_Allreduce(&h, &lo, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, node);
	MPI_Allreduce(&h, &hi, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, node);
	MPI_Comm_free(&node);
	same = lo == hi;
	st = dy_pin_threads(c, c->n_threads, o->run.pin, same ? lrank : 0, same ? lsize : 1);
	if (st < 0) dy_err_set(&err, "", "cannot read the topology to pin threads (%s)", dy_strerror(st));
	return dy_status_sync(c, st, &err, "pin");
}

/* The same file given twice is read twice (a user may mean it, e.g. to
 * weight a library), but it is more often a slip: say so. */
static void warn_twice(const dy_opt_t *o)
{
	struct stat *st = calloc((size_t)o->io.n_in, sizeof *st);
	int i, j;
	if (st == NULL) return;
	for (i = 0; i < o->io.n_in; ++i) {
		if (stat(o->io.in[i], &st[i]) < 0) continue;   /* the reader reports it */
		for (j = 0; j < i; ++j)
			if (st[j].st_ino == st[i].st_ino && st[j].st_dev == st[i].st_dev && st[j].st_ino) {
				dy_log(DY_LOG_WARN, "asm", "input %d (%s) is the same file as input %d (%s): its reads "
				       "are counted twice", i + 1, o->io.in[i], j + 1, o->io.in[j]);
				break;
			}
	}
	free(st);
}

static int cmd_asm(int argc, char *argv[], dy_ctx_t *c, int assemble)
{
	dy_opt_t o, d;
	char msg[512] = "", **fargv = NULL;
	int r, fargc = 0, n_file = 0, usage_on_error;
	dy_opt_init(&o), dy_opt_init(&d);
	/* every rank parses the same argv (and reads the same --from-stats
	 * file), so every rank reaches the same verdict */
	r = dy_from_stats(argc, argv, &fargc, &fargv, &n_file, msg, sizeof msg);
	{	/* the file is read on every rank: one that cannot read it stops them all */
		int bad = r < 0, any = 0;
		MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_MAX, c->comm);
		if (any && !bad) {
			snprintf(msg, sizeof msg, "--from-stats: another rank cannot read the file (every rank reads it: "
			         "it must be on a file system all nodes see)");
			dy_from_stats_free(fargc, fargv), fargc = 0, fargv = NULL;
			r = DY_EIO;
		}
	}
	if (r == 1) argc = fargc, argv = fargv, r = DY_OK;
	usage_on_error = r == DY_OK;   /* a --from-stats file that cannot be used is no usage mistake */
	if (r == DY_OK) r = dy_opt_parse(argc, argv, &o, msg, sizeof msg);
	if (r == 1) {   /* --help: success, but no run summary */
		if (c->rank == 0) dy_asm_usage(stdout, &d);
		dy_from_stats_free(fargc, fargv);
		return 1;
	}
	if (r == DY_OK && n_file && o.io.n_in != n_file) {
		snprintf(msg, sizeof msg, "--from-stats takes the inputs from its file (%d); give none on the command "
		         "line (%d given)", n_file, o.io.n_in - n_file);
		r = DY_EARG;
	}
	if (r == DY_OK) r = dy_opt_check(&o, msg, sizeof msg);
	if (r == DY_OK && !assemble && (o.io.resume || o.io.keep_ck)) {
		snprintf(msg, sizeof msg, "--resume and --keep-checkpoints are for dactyl asm (a count has no checkpoint)");
		r = DY_EARG;
	}
	dy_log_init(c->rank, c->n_ranks, o.run.verbose);
	dy_rss_allow_reset(o.io.phase_peaks);
	if (r < 0) {
		if (c->rank == 0) {
			dy_log(DY_LOG_ERROR, assemble ? "asm" : "count", "%s", msg);
			if (o.io.n_in == 0 && usage_on_error) dy_asm_usage(stderr, &d);
		}
		dy_from_stats_free(fargc, fargv);
		return r;
	}
	if (c->rank == 0) warn_twice(&o);
	c->n_threads = threads_default(o.run.threads);
	o.run.threads = c->n_threads;
	o.io.threads = c->n_threads;
	omp_set_num_threads(c->n_threads);
	if ((r = pin_all(c, &o)) < 0) { dy_from_stats_free(fargc, fargv); return r; }
	{
		dy_err_t err;
		memset(&err, 0, sizeof err);
		r = dy_budget_init(&o, c, &err);
		if ((r = dy_status_sync(c, r, &err, "mem")) < 0) { dy_from_stats_free(fargc, fargv); return r; }
	}
	if (c->rank == 0 && n_file)
		dy_log(DY_LOG_INFO, "asm", "--from-stats: the options and the %d input(s) of an earlier run, then "
		       "those of this command line", n_file);
	if (c->rank == 0)
		dy_log(DY_LOG_INFO, "asm", "dactyl %s: %d ranks x %d threads, %s%d, m=%d, %d input file(s)",
		            DY_VERSION, c->n_ranks, c->n_threads, o.kmer.k ? "k=" : "k chosen from the reads (-k ",
		            o.kmer.k, o.kmer.m, o.io.n_in);
	if (c->rank == 0 && o.run.preset)
		dy_log(DY_LOG_INFO, "asm", "preset %s sets %s; an option given on the command line wins over it",
		       o.run.preset, dy_opt_preset_sets(o.run.preset));
	if (dy_log_level() >= DY_LOG_INFO) dy_pin_log(c);
	r = run_pipeline(&o, c, assemble);
	dy_from_stats_free(fargc, fargv);   /* o points into it until here */
	return r;
}

static int usage(FILE *fp)
{
	fprintf(fp, "dactyl %s -- a distributed de Bruijn graph assembler\n\n"
	        "Usage: mpirun -np N dactyl <command> [options]\n"
	        "Commands:\n"
	        "  asm      assemble reads into contigs\n"
	        "  count    count k-mers only (k-mer histogram and stats)\n"
	        "  plan     what to ask the scheduler for: k-mers, memory per rank, time, #SBATCH lines\n"
	        "  stats    contig statistics of FASTA files: N50, N90, GC (no MPI needed)\n"
	        "  version  print the version and the libraries' (also --version)\n", DY_VERSION);
	return fp == stdout ? 0 : 1;
}




int main(int argc, char *argv[])
{
	dy_ctx_t c;
	int st, provided, rc, i;
	double rt, ct;
	if (argc < 2) return usage(stderr);
	/* htslib would print its own lines for what the reader reports once, with the file and record */
	hts_set_log_level(HTS_LOG_OFF);
	if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) return dy_print_version();
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) return usage(stdout);
	if (strcmp(argv[1], "stats") == 0) return dy_stats_main(argc - 1, argv + 1);
	if (strcmp(argv[1], "asm") != 0 && strcmp(argv[1], "count") != 0 && strcmp(argv[1], "plan") != 0) {
		fprintf(stderr, "[E::main] unknown command '%s'\n", argv[1]);
		return usage(stderr);
	}
	dy_stop_init();   /* before MPI_Init, slow at scale: a warning then must not kill the rank */
	memset(&c, 0, sizeof c);
	/* The k-mer tables grow by reallocation, partition by partition; served
	 * by mmap, every free is an munmap with a TLB shootdown across the
	 * threads (11% of the count phase's samples). Keep them on the heap. */
	mallopt(M_MMAP_THRESHOLD, 1 << 30);
	if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
		fprintf(stderr, "[E::main] MPI_Init_thread failed\n");
		return 1;
	}
	if (provided < MPI_THREAD_FUNNELED) {  /* OpenMP threads live beside MPI calls of the main thread */
		fprintf(stderr, "[E::main] this MPI library does not offer MPI_THREAD_FUNNELED\n");
		MPI_Finalize();
		return 1;
	}
	c.comm = MPI_COMM_WORLD;
	MPI_Comm_rank(c.comm, &c.rank);
	MPI_Comm_size(c.comm, &c.n_ranks);
	dy_log_init(c.rank, c.n_ranks, DY_LOG_INFO);
	dy_fault_init(c.rank);
	dy_stop_init();   /* again after MPI_Init, in case it set its own */
	st = strcmp(argv[1], "plan") == 0 ? dy_plan_main(argc - 1, argv + 1, &c)
	     : cmd_asm(argc - 1, argv + 1, &c, strcmp(argv[1], "asm") == 0);
	rc = st == DY_ESTOPPED ? 75 : st < 0 ? 1 : 0;   /* 75: EX_TEMPFAIL, a rerun with --resume goes on */
	if (c.rank == 0 && st == DY_OK && dy_log_level() >= DY_LOG_INFO) {
		rt = dy_realtime(), ct = dy_cputime();
		fprintf(stderr, "[M::main] Version: %s\n[M::main] CMD:", DY_VERSION);
		for (i = 0; i < argc; ++i) fprintf(stderr, " %s", argv[i]);
		fprintf(stderr, "\n[M::main] Real time: %.3f sec; CPU (rank 0): %.3f sec; Peak RSS (rank 0): %.3f GB\n",
		        rt, ct, dy_peakrss() / 1073741824.0);
	}
	MPI_Finalize();
	return rc;
}
