/* dactyl.h -- the public API of dactyl, a distributed de Bruijn graph assembler.
 *
 * One options struct, dy_opt_t, flows from the command line to every phase;
 * each kernel receives only its own sub-struct.  Typical use (see
 * tests/example.c):
 *
 *     dy_opt_t o;
 *     dy_opt_init(&o);
 *     o.kmer.k = 31;
 *     if (dy_opt_check(&o, msg, sizeof msg) < 0) { report(msg); }
 *
 * Every function that can fail returns an int: 0 (DY_OK) on success and a
 * negative DY_E* code on failure.  Readers follow kseq: -1 at end of input,
 * < -1 on error.  The library never exits and never prints on its own except
 * through dy_log (src/log.c).
 */
#ifndef DACTYL_H
#define DACTYL_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DY_VERSION "0.1.0"

#if defined(__GNUC__)
#define DY_RESULT_USED __attribute__((warn_unused_result))
#else
#define DY_RESULT_USED
#endif

/* What an input file holds (dy_io_opt_t.role). */
#define DY_IN_SINGLE 0   /* single reads (a positional file, -r) */
#define DY_IN_MATE1  1   /* first mates (-1); the next input holds the second mates (-2) */
#define DY_IN_MATE2  2
#define DY_IN_INTER  3   /* mates interleaved: records 2i and 2i+1 are a pair (--12) */

/* Return codes.  -1 is reserved for "end of input" by readers. */
#define DY_OK        0
#define DY_EOF      -1   /* end of input (readers only) */
#define DY_ENOMEM   -2   /* allocation failed */
#define DY_EIO      -3   /* read/write/open failure, truncated compressed data */
#define DY_EFORMAT  -4   /* malformed record */
#define DY_EARG     -5   /* bad option or option conflict */
#define DY_ENOKMER  -6   /* input has no k-mer (empty, or every read shorter than k) */
#define DY_EMPI     -7   /* MPI call failed */
#define DY_ELIMIT   -8   /* a size limit was exceeded */
#define DY_EPEER    -9   /* another rank failed; that rank reports why */
#define DY_ESTOPPED -10  /* stopped on request (SIGUSR1) after a checkpoint: --resume goes on */

/* Short name of a return code ("DY_EFORMAT"). */
const char *dy_strerror(int code);

/* Where an error happened: filled by the code that saw it, printed once by
 * the top of the phase. */
typedef struct {
	char file[512];     /* input or output path, "" if none */
	int64_t record;     /* 1-based record number within file, -1 if unknown */
	int64_t offset;     /* byte offset (uncompressed) of the record, -1 if unknown */
	char msg[512];      /* reason, one line, no trailing newline */
} dy_err_t;

/* ---- options ----------------------------------------------------------- */

typedef struct {
	int k;              /* k-mer length: odd, DY_KMIN..DY_KMAX; 0 = choose from the reads (default) */
	int m;              /* minimizer length: odd, 7..min(k-2,31); 0 = choose from k */
	int sample;         /* internal (the pilot): keep only the super-k-mers of 1 minimizer
	                     * value in 2^sample; 0 = all */
} dy_kmer_opt_t;

typedef struct {
	int min_count;      /* solid k-mer threshold; 0 = first valley of the histogram */
	int hist_max;       /* last histogram bin, holds every count >= hist_max (default 10000) */
	int part_log2;      /* log2 of radix partitions of each rank's table (default 10) */
	int sieve;          /* 1 = k-mers seen once take no table entry (--singleton-filter): a Bloom
	                     * filter admits a k-mer at its second occurrence, a second pass over the
	                     * reads counts those exactly; the count-1 bin is then estimated */
} dy_count_opt_t;

typedef struct {
	int n_in;           /* number of input files */
	char **in;          /* input paths (FASTA/FASTQ, plain, gzip or BGZF; SAM, BAM, CRAM); not owned */
	const int *role;    /* per input, DY_IN_*: a DY_IN_MATE1 is followed by its DY_IN_MATE2;
	                     * NULL = every input single; not owned */
	const uint64_t *share_recs; /* [rank * n_in + i]: records of each paired or interleaved input in
	                     * each rank's byte share (dy_reads_count_shares, gathered), so a rank
	                     * reads whole pairs; NULL until known (the reader then only checks) */
	const char *out_dir;/* output directory (default "dactyl-out") */
	size_t batch_bytes; /* read batch per rank per round, bytes of sequence (default 32 MiB) */
	size_t round_bytes; /* all-to-all send buffer per rank per round (default 64 MiB) */
	size_t cache_bytes; /* reads kept in memory (2 bits a base) for the later passes, per rank;
	                     * past it they are read again (default 1 GiB; 0 = off) */
	int force;          /* 1 = a finished result in out_dir may be replaced (--force) */
	int resume;         /* 1 = continue from out_dir's checkpoint, if any (--resume) */
	int keep_ck;        /* 1 = keep the checkpoints after success (--keep-checkpoints) */
	int no_ck;          /* 1 = write no checkpoint (--no-checkpoints): a killed run starts again */
	int phase_peaks;    /* 1 = reset the RSS high-water mark at each phase (--phase-peaks) */
	int threads;        /* htslib decoding threads for SAM/BAM/CRAM inputs (set from -t) */
	double mem;         /* memory budget per rank, bytes (-m, --mem); 0 = the rank's share of the node
	                     * or of the Slurm allocation; in (0, 1): that fraction of the share */
	size_t asked_batch, asked_round, asked_cache;   /* as given, before the budget cut them */
} dy_io_opt_t;

typedef struct {
	int threads;        /* OpenMP threads per rank; 0 = OMP_NUM_THREADS or cores in cpuset */
	int pin;            /* 1 = pin each thread to one core of the process cpuset with hwloc */
	int verbose;        /* log level: 0 error, 1 warn, 2 info (default), 3 debug */
	double progress_s;  /* seconds between progress lines when stderr is no terminal; 0 = none (30) */
	const char *preset; /* --preset NAME given, or NULL (applied before the other options) */
} dy_run_opt_t;

/* The assembly graph after the merge, and its cleaning (kernels/clean_*.c).
 * Lengths are in k-mers as multiples of k; coverages are mean k-mer counts. */
typedef struct {
	int clean;          /* 1 = clean the graph (default); 0 = the raw unitigs */
	int max_rounds;     /* cleaning rounds at most; a round that changes nothing ends it (10) */
	double tip_len;     /* tips of up to tip_len * k k-mers (2.0) ... */
	double tip_ratio;   /* ... whose coverage is at most tip_ratio x the branch they leave (0.5) */
	double bubble_len;  /* bubble arms of up to bubble_len * k k-mers (8.0) */
	double bubble_cov;  /* pop only when the arms together are <= bubble_cov x homozygous coverage (1.5) */
	double bubble_ident;/* and the arms are at least this similar (edit distance; 0.8) */
	double err_ratio;   /* an arm or link below err_ratio x its alternative is an error (0.2) */
	double low_ratio;   /* a short node below low_ratio x its neighbourhood goes (0.2) */
	double hom_cov;     /* homozygous k-mer coverage; 0 = from the spectrum (genome profile) */
	int resolve;        /* 1 = split short repeats the reads span (default); 0 = no second read pass */
	int resolve_reads;  /* reads that must pair a way in with a way out (2) */
	int resolve_passes; /* read passes at most; one that splits nothing ends them (3) */
} dy_graph_opt_t;

typedef struct {
	int min_len;        /* shortest contig written to contigs.fa, bases (200) */
} dy_out_opt_t;

typedef struct {
	dy_kmer_opt_t kmer;
	dy_count_opt_t count;
	dy_graph_opt_t graph;
	dy_out_opt_t out;
	dy_io_opt_t io;
	dy_run_opt_t run;
} dy_opt_t;

/* Set the defaults. Never fails. */
void dy_opt_init(dy_opt_t *o);

/* Apply a named preset ("bact", "plant-het"). Returns DY_OK or DY_EARG for an
 * unknown name. */
int dy_opt_preset(dy_opt_t *o, const char *name) DY_RESULT_USED;
/* What a preset sets, as options ("-k 41"); "?" for an unknown name. */
const char *dy_opt_preset_sets(const char *name);

/* Resolve automatic values (m from k) and reject bad values or conflicts.
 * Returns DY_OK or DY_EARG with a one-line reason in msg. */
int dy_opt_check(dy_opt_t *o, char *msg, size_t msg_len) DY_RESULT_USED;

/* The minimizer length used for k when none is given. */
int dy_opt_default_m(int k);

#ifdef __cplusplus
}
#endif
#endif
