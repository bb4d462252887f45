/* dy_priv.h -- the driver's private header (the role of minimap2's mmpriv.h):
 * the MPI context, the per-run record every phase fills, and the phases. */
#ifndef DY_PRIV_H
#define DY_PRIV_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <mpi.h>
#include <sched.h>
#include <stdio.h>
#include "dactyl.h"
#include "dy_kern.h"
#include "dy_graph.h"
#include "log.h"

typedef struct {
	MPI_Comm comm;
	int rank, n_ranks;
	int n_threads;          /* OpenMP threads of this rank */
	char binding[256];      /* this rank's thread binding, for the log and stats */
	cpu_set_t cpus;         /* the process's CPUs before threads were pinned */
} dy_ctx_t;

#define DY_MAX_PHASE 10

typedef struct {
	const char *name;
	double wall;            /* seconds on this rank */
	long long rss;          /* peak RSS of this rank from the start to the end of the phase */
	long long rss_in;       /* RSS at the start of the phase */
	long long rss_ph;       /* peak RSS inside the phase; -1 unknown (no reset, and the mark did not rise) */
	long long hwm_in;       /* the high-water mark at the start */
} dy_phase_t;

/* What a run measured; rank-local unless said otherwise. */
typedef struct {
	dy_phase_t ph[DY_MAX_PHASE];
	int n_ph;
	double t_start;
	uint64_t n_records, n_bases;   /* reads and bases this rank cut into super-k-mers */
	uint64_t n_read;               /* reads this rank read from the input (or the read cache) */
	uint64_t n_shared_in, n_shared_out, bases_shared_in;   /* reads handed over to it, by it (share.c) */
	uint64_t share_rounds;         /* rounds that moved reads (same on every rank) */
	uint64_t n_kmer_occ;           /* k-mer occurrences this rank sent */
	uint64_t n_kmer_counted;       /* k-mer occurrences this rank's table counted (the k-mers it owns) */
	uint64_t n_kmer_counted_global, part_max_occ;   /* rank 0: over all ranks; the busiest partition's */
	uint64_t n_rounds;             /* all-to-all rounds (same on every rank) */
	uint64_t bytes_sent;           /* super-k-mer bytes this rank sent */
	uint64_t n_distinct;           /* distinct k-mers in this rank's table */
	uint64_t n_distinct_global;    /* over all ranks */
	int n_whole_inputs;            /* inputs one rank reads whole (dy_reads_whole_inputs); 0 if none */
	uint64_t part_n, part_max;     /* rank 0: the job's table partitions, and the most k-mers one holds */
	uint64_t n_solid_global;       /* k-mers with count >= min_count, all ranks */
	size_t ht_bytes;               /* this rank's table memory */
	int sieve;                     /* the count kept k-mers seen once out (--singleton-filter) */
	double distinct_est;           /* then: the distinct k-mers, all ranks, estimated (HyperLogLog) */
	size_t sieve_peak_bytes;       /* then: this rank's filters and table at the end of the first pass */
	uint64_t *hist;                /* global histogram, hist_max + 1 bins (every rank) */
	int min_count;                 /* threshold used */
	int min_count_auto;            /* 1 if chosen from the histogram */
	dy_thresh_t th;                /* how the automatic threshold was chosen */
	int th_lowered;                /* the threshold the genome profile suggests (<= the valley) */
	double th_lost, th_errs;       /* its genome k-mers lost below it, error k-mers kept */
	dy_compact_stats_t frag;       /* this rank's fragments */
	uint64_t frag_bytes;           /* this rank's fragment bytes */
	dy_profile_t prof;             /* genome profile from the global spectrum (every rank) */
	dy_profile_t prof_pilot;       /* the k=31 pilot's (rank 0), its size scaled to the whole genome */
	double kmer_est;               /* distinct k-mers the pilot expects at k, all ranks (0: no pilot) */
	struct {                       /* the pilot's sampled k=31 spectrum (every rank), for dy_pilot_kmers */
		double distinct, solid;    /* k-mers in the sample, all and >= the threshold */
		double f, L;               /* sampling factor (2^s), mean read length */
		double occ;                /* k-mer occurrences of all reads (not only the sample's) */
		double reads, bases;       /* all ranks' */
	} pilot;
	int k_used;                    /* the assembly's k */
	dy_contigs_t contigs;          /* rank 0 only: raw unitigs after merge, contigs after clean */
	dy_glinks_t links;             /* rank 0 only: links between the contigs (graph.gfa) */
	dy_popset_t pop;               /* rank 0 only: popped bubble arms (bubbles.fa) */
	dy_graph_t g;                  /* rank 0 only: the graph from clean until resolve ends */
	uint64_t n_junctions;          /* short repeats looked up in the reads */
	dy_junc_stats_t js;            /* what became of them (split: all passes) */
	int resolve_passes;            /* read passes run */
	dy_clean_stats_t cst;          /* what cleaning removed, all rounds */
	int clean_rounds;              /* rounds run */
	double hom_cov;                /* homozygous coverage the bubble gate used (0: none) */
	uint64_t n_raw;                /* raw unitigs */
	uint64_t n_dangling;           /* extension bits that found no unitig end */
	double t_clean;                /* rank 0's graph and cleaning seconds */
	int k_auto;                    /* k was chosen by the pilot */
	struct dy_rcache_s *rc;        /* this rank's reads in memory (reads.h), NULL if off */
	char k_why[512];               /* why */
	double t_rank0_alone;          /* rank 0's merge + clean + write seconds */
	int ck_from;                   /* the checkpoint this run resumed after (DY_CK_*), 0 if none */
	uint64_t *share_recs;          /* o->io.share_recs, owned here (pairs.c) */
	uint64_t *file_recs, *file_bases;   /* per input: records and bases this rank read (all ranks'
	                                     * on rank 0 once write_all has summed them) */
	uint64_t *file_skip;           /* per input: SAM/BAM/CRAM records skipped (secondary,
	                                * supplementary, QC-fail), as file_recs */
	int n_rg, *rg_first;           /* read-group slots (reads.h: dy_reads_rg_layout) */
	uint64_t *rg_recs, *rg_bases;  /* per slot, as file_recs */
	struct dy_isize_s *isize;      /* rank 0 only: per input, its library's insert sizes (phase_insert.c) */
} dy_run_t;

/* phase_insert.c: the insert sizes of each paired library, from its first
 * DY_ISIZE_PAIRS pairs placed on the contigs (rank 0; nothing without pairs). */
#define DY_ISIZE_PAIRS 100000
typedef struct dy_isize_s {
	int library;                   /* 1 at a paired or interleaved input that was looked at */
	uint64_t pairs;                /* pairs looked at */
	uint64_t placed;               /* both mates placed on one contig */
	uint64_t ori[3];               /* of those, DY_ORI_FR, _RF, _FF */
	int main_ori;                  /* the most frequent; -1 if none placed */
	dy_isize_dist_t d;             /* inserts of the main orientation (FR or RF) */
} dy_isize_t;
int dy_phase_insert(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run);

/* stats.c: `dactyl stats FASTA...`, and the one Nx definition: total, Nx and
 * Lx (x = pct) of n lengths sorted longest first, each a uint64_t stride
 * bytes apart. */
int dy_stats_main(int argc, char *argv[]);
void dy_nx(const uint64_t *len, size_t n, size_t stride, int pct, uint64_t *tot, uint64_t *nx, uint64_t *lx);

/* opt.c */
int dy_opt_parse(int argc, char *argv[], dy_opt_t *o, char *msg, size_t len);
void dy_asm_usage(FILE *fp, const dy_opt_t *defaults);
/* fromstats.c: with --from-stats FILE in argv, a new argv (returns 1): the
 * options FILE's "repeat" record keeps, then argv's others, then "--" and
 * FILE's *n_from_file inputs; 0 without --from-stats; < 0 with msg. */
int dy_from_stats(int argc, char *argv[], int *nargc, char ***nargv, int *n_from_file, char *msg, size_t len);
void dy_from_stats_free(int argc, char **argv);

/* Every option a result depends on, as the command line spells it
 * ("--kmer=0 --minimizer=0 ..."): the checkpoint manifest compares it, and
 * stats.json keeps it so that the run can be repeated (--from-stats). */
void dy_opt_line(const dy_opt_t *o, char *b, size_t len);
/* The inputs' roles as letters (s, 1, 2, i), for records that repeat a run. */
void dy_opt_roles(const dy_io_opt_t *io, char *b, size_t len);
int dy_opt_strip(int argc, char *argv[], int optc, char **out);
/* fromstats.c: does the stats.json at path record this same run (its
 * "repeat": the options line, the inputs by absolute path)? 1 or 0. */
int dy_stats_same_run(const char *path, const char *opt_line, const dy_io_opt_t *io);
/* A size with a unit ("64G", "1.5T", "512MiB"); with fraction, also a bare
 * number in (0, 1).  Returns 0, or -1 (a bare number >= 1 is refused: bytes
 * or gigabytes, only a unit says). */
int dy_parse_size(const char *s, double *out, int fraction);

/* status.c: every phase ends here. All ranks learn whether any failed; the
 * lowest failing rank prints its error once. Returns the (common) code. */
int dy_status_sync(const dy_ctx_t *c, int code, const dy_err_t *err, const char *where);
/* Paired inputs: every rank's records per share (reads.h), gathered into
 * run->share_recs and set as o->io.share_recs; then the mates' counts are
 * checked.  Nothing to do without pairs.  Collective. */
int dy_pairs_index(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run);
/* Log the libraries (rank 0, from run->file_recs summed over the ranks). */
void dy_pairs_log(const dy_opt_t *o, const dy_run_t *run);
void dy_err_set(dy_err_t *e, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* phase.c: timing and memory of each phase, summarised over ranks. */
void dy_phase_begin(dy_run_t *run, const char *name);

/* fault.c: test-only failure injection (DACTYL_TEST_FAULT); no effect unless set */
void dy_fault_init(int rank);
void dy_fault_at(const char *phase);
int dy_fault_nomem(void);
/* dflt, or less under DACTYL_TEST_MPI_CHUNK: the largest piece of one MPI transfer */
size_t dy_test_mpi_chunk(size_t dflt);
void dy_phase_end(const dy_ctx_t *c, dy_run_t *run);

/* pin.c: pin OpenMP threads with hwloc inside this process's cpuset. When
 * lsize > 1 ranks of one node share that same cpuset, local rank lrank
 * takes its own slice of its cores. */
int dy_pin_threads(dy_ctx_t *c, int n_threads, int pin, int lrank, int lsize);
/* Bind each OpenMP thread of the team again to the core dy_pin_threads
 * chose for its thread number, where it has left it (OpenMP does not
 * promise one pool for every region); the number of threads bound again.
 * Called at the start of every phase (dy_phase_begin). */
int dy_pin_refresh(void);
/* Test only (DACTYL_TEST_FAULT=unpin): every thread on the process cpuset. */
void dy_pin_loosen(void);
/* Collective: rank 0 logs each rank's host and binding. */
void dy_pin_log(const dy_ctx_t *c);
/* version.c: print the version and the libraries' (dactyl version). */
int dy_print_version(void);
/* FNV hash of this process's cpuset, to see whether ranks share one. */
int dy_pin_cpuset_hash(unsigned long long *h);
/* Cores in the process cpuset (>= 1). */
int dy_pin_ncores(void);

/* exchange.c: all-to-all rounds of whole records with bounded buffers. */
typedef struct dy_xchg_s dy_xchg_t;
dy_xchg_t *dy_xchg_init(MPI_Comm comm, size_t round_bytes);
void dy_xchg_destroy(dy_xchg_t *x);
/* Pending records for destination d (appended by the caller). */
dy_buf_t *dy_xchg_pending(dy_xchg_t *x, int d);
/* 1 if every pending buffer has been sent. */
int dy_xchg_empty(const dy_xchg_t *x);
/* One round: send up to the per-destination cap of whole records from each
 * pending buffer; receive into *recv (valid until the next round).
 * Collective. DY_OK or DY_EMPI / DY_ENOMEM / DY_ELIMIT. */
/* The size of the buffer whose allocation made the last round fail (DY_ENOMEM). */
size_t dy_xchg_fail_bytes(const dy_xchg_t *x);
int dy_xchg_round(dy_xchg_t *x, const uint8_t **recv, size_t *recv_len, uint64_t *sent);

/* The phases, in order. Each is collective and returns the common status. */
int dy_phase_count(const dy_opt_t *o, const dy_ctx_t *c, dy_ht_t *h, dy_run_t *run);
/* phase_pilot.c: a sampled count at k = 31 chooses o->kmer.k (and m). */
int dy_phase_pilot(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run);
/* The k for homozygous k-mer coverage h31 at k = 31, mean read length L,
 * error rate err, repeat share rep of the k=31 k-mers; why says so in one line. */
int dy_choose_k(double h31, double L, double err, int het, double rep, char *why, size_t why_len);
/* Distinct and solid k-mers to expect at k from the pilot's spectrum: the
 * solid ones stay, the error ones scale with the k-mers that cover a base,
 * (L - k + 1) k / L.  0 when there was no pilot or the reads are shorter than k. */
void dy_pilot_kmers(const dy_run_t *run, int k, double *distinct, double *solid);
/* budget.c: the memory model (bytes per rank) and the budget's checks; each
 * check returns DY_OK or DY_ELIMIT with err saying what and the smallest
 * budget that works, for the caller's dy_status_sync. */
double dy_mem_fixed(const dy_io_opt_t *io);           /* buffers and runtime */
double dy_mem_table(int k, double distinct);          /* a table of that many distinct k-mers */
double dy_mem_graph(int k, double solid);             /* the build's nodes */
double dy_mem_rank0(double solid_all);                /* what rank 0 alone adds: merge, cleaning, resolve */
#define DY_MEM_UNSEEN 1.4   /* solid k-mers at k per solid k-mer the pilot counts at 31 (palm-mini: 48.8 M / 35.4 M) */
double dy_mem_reads(const dy_io_opt_t *io, double bases);   /* the read cache */
/* Resolve the budget (o->io.mem: the default or a fraction of it), cut the
 * buffers to fit it, refuse one that cannot hold them (collective). */
int dy_budget_init(dy_opt_t *o, const dy_ctx_t *c, dy_err_t *err);
int dy_budget_after_pilot(const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run, dy_err_t *err);
/* In the count: table: this rank's table now; round_end: the table projected to the end
 * of the round being counted (0 between rounds); done: the fraction of the
 * reads read.  The smallest budget named is projected from them. */
int dy_budget_count(const dy_opt_t *o, const dy_ctx_t *c, size_t table, double round_end, size_t cache,
                    double done, dy_err_t *err);
int dy_budget_before_build(const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run, dy_err_t *err);
/* plan.c: `dactyl plan`, what to ask the scheduler for (collective). */
int dy_plan_main(int argc, char *argv[], dy_ctx_t *c);
int dy_phase_histo(const dy_opt_t *o, const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run);
int dy_phase_build(const dy_opt_t *o, const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run, dy_buf_t *frags);
int dy_phase_merge(const dy_opt_t *o, const dy_ctx_t *c, dy_buf_t *frags, dy_run_t *run);
int dy_phase_clean(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run);
int dy_phase_resolve(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run);

/* exchange.c: a broadcast from rank 0, and a sum of uint32 at rank 0, of
 * any size (in pieces under 2^31 bytes). */
void dy_bcast_big(void *buf, size_t bytes, MPI_Comm comm);
void dy_reduce_u32_big(uint32_t *buf, size_t n, MPI_Comm comm);

/* write.c: rank 0's outputs, each to DIR/.NAME.tmp, published together. */
/* Rank 0, first: DIR is a directory or absent, and holds no finished result
 * unless force.  Then dy_out_prepare creates it and clears old temporaries. */
int dy_out_check(const char *dir, int force, int resume, dy_err_t *err);
int dy_out_prepare(const char *dir, dy_err_t *err);
int dy_write_contigs(const char *dir, const dy_contigs_t *cs, int min_len, dy_err_t *err);
int dy_write_gfa(const char *dir, const dy_contigs_t *cs, const dy_glinks_t *links, int k, dy_err_t *err);
int dy_write_bubbles(const char *dir, const dy_popset_t *pop, dy_err_t *err);
int dy_write_histo(const char *dir, const uint64_t *hist, int hmax, int min_count, int count1_est, dy_err_t *err);
int dy_write_stats(const char *dir, const dy_opt_t *o, const dy_opt_t *user, const dy_ctx_t *c, const dy_run_t *run,
                   const double *ph_wall, const long long *ph_rss, const uint64_t *per_rank,
                   dy_err_t *err);
/* Per-rank figures gathered for stats.json, DY_NRANKSTAT per rank. */
#define DY_NRANKSTAT 13
#define DY_RANKSTAT_NAMES { "reads", "bases", "kmer_occurrences", "bytes_sent", "distinct_kmers", \
	"table_bytes", "solid_kmers", "fragments", "fragment_bytes", "reads_read", "reads_handed_in", \
	"kmers_counted", "table_peak_bytes" }
/* Rename every written temporary output into place (contigs.fa only when
 * with_contigs), stats.json last; all or none. */
int dy_out_publish(const char *dir, int with_contigs, dy_err_t *err);
/* Temporary outputs of an unfinished run are removed. */
void dy_out_cleanup(const char *dir);

/* ckpt.c: checkpoints at phase boundaries (asm), and --resume.  Each is
 * the state after the phase it names. */
#define DY_CK_NONE  0
#define DY_CK_COUNT 1   /* the k-mer tables and the histogram */
#define DY_CK_BUILD 2   /* each rank's fragments */
#define DY_CK_MERGE 3   /* rank 0's raw unitigs */
#define DY_CK_GRAPH 4   /* rank 0's contigs, links and popped bubbles: only the writing is left */
static inline const char *dy_ck_name(int phase)
{
	static const char *const names[] = { "none", "count", "build", "merge", "graph" };
	return phase >= DY_CK_NONE && phase <= DY_CK_GRAPH ? names[phase] : "?";
}
/* Rank 0, before anything in the output folder is touched: a checkpoint
 * there is refused without --resume or --force, and with --resume checked
 * against this run (version, ranks, options, inputs' names, sizes and
 * times); *phase = the one to resume after (DY_CK_NONE: none). */
int dy_ck_probe(const dy_opt_t *user, int n_ranks, int *phase, dy_err_t *err);
/* Rank 0: forget out's checkpoint (a forced fresh start). */
void dy_ck_discard(const char *out);
/* Collective: write the checkpoint after phase (user: the options as given,
 * for the manifest; o: as resolved).  Returns the common status. */
int dy_ck_save(int phase, const dy_opt_t *user, const dy_opt_t *o, const dy_ctx_t *c, const dy_run_t *run,
               const dy_ht_t *h, const dy_buf_t *frags);
/* Collective: load what rank 0's probe found (*phase = DY_CK_NONE if
 * nothing): the run record, o's k and m, and the table (*h) or the
 * fragments.  Returns the common status. */
int dy_ck_load(dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run, dy_ht_t **h, dy_buf_t *frags, int *phase);
/* Collective: remove the checkpoints of a finished run. */
void dy_ck_done(const dy_opt_t *o, const dy_ctx_t *c);

/* progress.c: rank 0 shows how far a long phase has gone (done and total
 * summed over ranks by the caller): a bar on a terminal, else a line every
 * --progress seconds.  unit: "B" or "bases"; what: "of input read", ... */
typedef struct {
	const char *phase, *unit, *what;
	double t0, last, every;
	int on, bar, drawn, lines, final;
	uint64_t done, total, shown;   /* the last figures given, the last shown in a line */
} dy_prog_t;
void dy_prog_begin(dy_prog_t *p, const dy_opt_t *o, const dy_ctx_t *c, const char *phase, const char *unit,
                   const char *what);
void dy_prog_update(dy_prog_t *p, uint64_t done, uint64_t total);
void dy_prog_end(dy_prog_t *p);

/* stop.c: SIGUSR1 asks a run to stop at its next checkpoint. */
void dy_stop_init(void);
int dy_stop_asked(void);
/* Collective, after the checkpoint of phase: DY_ESTOPPED on every rank if
 * any rank was asked to stop, else DY_OK. */
int dy_stop_after(const dy_ctx_t *c, int phase);

#endif
