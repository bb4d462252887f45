/* opt.c -- defaults, presets, checks, and the `dactyl asm` command line. */
#include <ctype.h>
#include <math.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "dactyl.h"
#include "dy_priv.h"
#include "dy_kern.h"

const char *dy_strerror(int code)
{
	switch (code) {
	case DY_OK: return "DY_OK";
	case DY_EOF: return "DY_EOF";
	case DY_ENOMEM: return "DY_ENOMEM";
	case DY_EIO: return "DY_EIO";
	case DY_EFORMAT: return "DY_EFORMAT";
	case DY_EARG: return "DY_EARG";
	case DY_ENOKMER: return "DY_ENOKMER";
	case DY_EMPI: return "DY_EMPI";
	case DY_ELIMIT: return "DY_ELIMIT";
	case DY_EPEER: return "DY_EPEER";
	case DY_ESTOPPED: return "DY_ESTOPPED";
	}
	return "DY_E?";
}

void dy_opt_init(dy_opt_t *o)
{
	memset(o, 0, sizeof *o);
	o->kmer.k = 0;                    /* chosen from the reads by a pilot count */
	o->kmer.m = 0;                    /* from k, in dy_opt_check */
	o->count.min_count = 0;           /* first valley */
	o->count.hist_max = 10000;
	o->count.part_log2 = 10;
	o->io.out_dir = "dactyl-out";
	o->io.batch_bytes = 32u << 20;
	o->io.round_bytes = 64u << 20;
	o->io.cache_bytes = (size_t)1 << 30;
	o->run.threads = 0;
	o->run.pin = 1;
	o->run.verbose = 2;
	o->run.progress_s = 30;
	o->graph.clean = 1;
	o->graph.max_rounds = 10;
	o->graph.tip_len = 2.0;
	o->graph.tip_ratio = 0.5;
	o->graph.bubble_len = 8.0;
	o->graph.bubble_cov = 1.5;
	o->graph.bubble_ident = 0.8;
	o->graph.err_ratio = 0.2;
	o->graph.low_ratio = 0.2;
	o->graph.hom_cov = 0;
	o->graph.resolve = 1;
	o->graph.resolve_reads = 2;
	o->graph.resolve_passes = 3;
	o->out.min_len = 200;
}

/* What each preset sets, as the command line would say it (shown in the log). */
static const struct { const char *name; int k; const char *sets; } presets[] = {
	{ "bact", 31, "-k 31" },
	/* a heterozygous, repetitive plant: longer k resolves more repeat copies */
	{ "plant-het", 41, "-k 41" },
	{ NULL, 0, NULL }
};

int dy_opt_preset(dy_opt_t *o, const char *name)
{
	int i;
	for (i = 0; presets[i].name; ++i)
		if (strcmp(name, presets[i].name) == 0) {
			o->kmer.k = presets[i].k;
			return DY_OK;
		}
	return DY_EARG;
}

const char *dy_opt_preset_sets(const char *name)
{
	int i;
	for (i = 0; presets[i].name; ++i)
		if (strcmp(name, presets[i].name) == 0) return presets[i].sets;
	return "?";
}

int dy_opt_default_m(int k) { return dy_mzr_default_m(k); }

int dy_opt_check(dy_opt_t *o, char *msg, size_t len)
{
	int k = o->kmer.k;
	if (k != 0 && (k < DY_KMIN || k > DY_KMAX || k % 2 == 0)) {
		snprintf(msg, len, "k must be odd and between %d and %d, or 0 to choose (got %d)", DY_KMIN, DY_KMAX, k);
		return DY_EARG;
	}
	if (o->io.no_ck && (o->io.resume || o->io.keep_ck)) {
		snprintf(msg, len, "--no-checkpoints writes no checkpoint: --%s needs them", o->io.resume ? "resume" : "keep-checkpoints");
		return DY_EARG;
	}
	if (k == 0 && o->kmer.m != 0) {
		snprintf(msg, len, "--minimizer needs -k (with k chosen from the reads, m follows it)");
		return DY_EARG;
	}
	if (o->kmer.m == 0 && k) o->kmer.m = dy_opt_default_m(k);
	if (k && (o->kmer.m < 7 || o->kmer.m > 31 || o->kmer.m % 2 == 0 || o->kmer.m > k - 2)) {
		snprintf(msg, len, "minimizer length must be odd, between 7 and min(31, k-2) (got %d)", o->kmer.m);
		return DY_EARG;
	}
	/* an edge is solid when its 4-bit counter reaches the threshold: above
	 * DY_EDGE_MAX a saturated edge could lead to a k-mer below it */
	if (o->count.min_count < 0 || o->count.min_count > DY_EDGE_MAX) {
		snprintf(msg, len, "--min-count must be between 0 (automatic) and %d (got %d)",
		         DY_EDGE_MAX, o->count.min_count);
		return DY_EARG;
	}
	if (o->count.sieve && o->count.min_count == 1) {
		snprintf(msg, len, "--singleton-filter keeps no k-mer seen once: --min-count 1 needs them (give 2 "
		         "or more, or 0 for automatic)");
		return DY_EARG;
	}
	if (o->count.hist_max < 16 || o->count.hist_max > 1000000) {
		snprintf(msg, len, "--hist-max must be between 16 and 1000000 (got %d)", o->count.hist_max);
		return DY_EARG;
	}
	if (o->count.part_log2 < 0 || o->count.part_log2 > 16) {
		snprintf(msg, len, "--partitions-log2 must be between 0 and 16 (got %d)", o->count.part_log2);
		return DY_EARG;
	}
	if (o->io.batch_bytes < 4096 || o->io.round_bytes < 4096 || o->io.round_bytes > (1u << 30)) {
		snprintf(msg, len, "--batch-mb must be positive and --round-mb between 1 and 1024");
		return DY_EARG;
	}
	{   /* a buffer larger than the node cannot be meant: refuse before it fails halfway */
		long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
		double mem = pages > 0 && psz > 0 ? (double)pages * (double)psz : 0;
		if (mem > 0 && ((double)o->io.batch_bytes > mem || (double)o->io.cache_bytes > mem)) {
			snprintf(msg, len, "--%s %zu is more than this node's memory (%.0f MiB)",
			         (double)o->io.batch_bytes > mem ? "batch-mb" : "read-cache-mb",
			         ((double)o->io.batch_bytes > mem ? o->io.batch_bytes : o->io.cache_bytes) >> 20,
			         mem / 1048576.0);
			return DY_EARG;
		}
	}
	if (o->run.threads < 0 || o->run.threads > 4096) {
		snprintf(msg, len, "-t must be between 0 (automatic) and 4096 (got %d)", o->run.threads);
		return DY_EARG;
	}
	if (o->graph.bubble_ident > 1 || o->graph.tip_ratio > 1 || o->graph.err_ratio > 1 || o->graph.low_ratio > 1) {
		snprintf(msg, len, "--bubble-identity, --tip-ratio, --error-ratio and --low-ratio must be between 0 and 1");
		return DY_EARG;
	}
	if (o->graph.resolve_reads < 1 || o->graph.resolve_reads > 1000000) {
		snprintf(msg, len, "--resolve-reads must be between 1 and 1000000 (got %d)", o->graph.resolve_reads);
		return DY_EARG;
	}
	if (o->graph.resolve_passes < 0 || o->graph.resolve_passes > 100) {
		snprintf(msg, len, "--resolve-passes must be between 0 and 100 (got %d)", o->graph.resolve_passes);
		return DY_EARG;
	}
	if (o->graph.max_rounds > 1000) {
		snprintf(msg, len, "--clean-rounds must be between 0 and 1000 (got %d)", o->graph.max_rounds);
		return DY_EARG;
	}
	if (o->io.n_in < 1) {
		snprintf(msg, len, "no input file given");
		return DY_EARG;
	}
	if (o->io.out_dir == NULL || o->io.out_dir[0] == '\0') {
		snprintf(msg, len, "output directory name is empty");
		return DY_EARG;
	}
	if (strlen(o->io.out_dir) > 3800) {   /* room for DIR/checkpoint/.rRANK.PHASE.tmp in a path */
		snprintf(msg, len, "output directory name is %zu bytes long; at most 3800", strlen(o->io.out_dir));
		return DY_EARG;
	}
	return DY_OK;
}

/* Whole positive number, or -1. Rejects "31x", "", "-3". */
static long parse_num(const char *s)
{
	char *end;
	long v;
	if (s == NULL || *s == '\0') return -1;
	v = strtol(s, &end, 10);
	return *end || v < 0 ? -1 : v;
}

enum { O_MINCOUNT = 256, O_PIN, O_BATCH, O_ROUND, O_PART, O_HMAX, O_PRESET, O_NOCLEAN, O_MINLEN,
       O_ROUNDS, O_TIPLEN, O_TIPRATIO, O_BUBLEN, O_BUBCOV, O_BUBID, O_ERRRATIO, O_LOWRATIO, O_HOMCOV,
       O_NORESOLVE, O_RESREADS, O_RESPASSES, O_CACHE, O_FORCE, O_RESUME, O_KEEPCK, O_NOCK, O_PHPEAK, O_PROGRESS, O_KLIST, O_FROMSTATS,
       O_MINIMIZER, O_INTER, O_SIEVE };

static const struct option long_opts[] = {
	{ "kmer", required_argument, 0, 'k' },
	{ "minimizer", required_argument, 0, O_MINIMIZER },
	{ "mem", required_argument, 0, 'm' },
	{ "threads", required_argument, 0, 't' },
	{ "out", required_argument, 0, 'o' },
	{ "verbose", required_argument, 0, 'v' },
	{ "help", no_argument, 0, 'h' },
	{ "12", required_argument, 0, O_INTER },
	{ "read", required_argument, 0, 'r' },
	{ "min-count", required_argument, 0, O_MINCOUNT },
	{ "pin", required_argument, 0, O_PIN },
	{ "batch-mb", required_argument, 0, O_BATCH },
	{ "round-mb", required_argument, 0, O_ROUND },
	{ "partitions-log2", required_argument, 0, O_PART },
	{ "hist-max", required_argument, 0, O_HMAX },
	{ "singleton-filter", no_argument, 0, O_SIEVE },
	{ "preset", required_argument, 0, O_PRESET },
	{ "no-clean", no_argument, 0, O_NOCLEAN },
	{ "min-len", required_argument, 0, O_MINLEN },
	{ "min-contig-len", required_argument, 0, O_MINLEN },   /* MEGAHIT's spelling */
	{ "k-list", required_argument, 0, O_KLIST },
	{ "from-stats", required_argument, 0, O_FROMSTATS },   /* taken by src/fromstats.c: here only a second one */
	{ "clean-rounds", required_argument, 0, O_ROUNDS },
	{ "tip-len", required_argument, 0, O_TIPLEN },
	{ "tip-ratio", required_argument, 0, O_TIPRATIO },
	{ "bubble-len", required_argument, 0, O_BUBLEN },
	{ "bubble-cov", required_argument, 0, O_BUBCOV },
	{ "bubble-identity", required_argument, 0, O_BUBID },
	{ "error-ratio", required_argument, 0, O_ERRRATIO },
	{ "low-ratio", required_argument, 0, O_LOWRATIO },
	{ "hom-cov", required_argument, 0, O_HOMCOV },
	{ "no-resolve", no_argument, 0, O_NORESOLVE },
	{ "resolve-reads", required_argument, 0, O_RESREADS },
	{ "resolve-passes", required_argument, 0, O_RESPASSES },
	{ "read-cache-mb", required_argument, 0, O_CACHE },
	{ "force", no_argument, 0, O_FORCE },
	{ "resume", no_argument, 0, O_RESUME },
	{ "continue", no_argument, 0, O_RESUME },   /* MEGAHIT's spelling */
	{ "keep-checkpoints", no_argument, 0, O_KEEPCK },
	{ "no-checkpoints", no_argument, 0, O_NOCK },
	{ "phase-peaks", no_argument, 0, O_PHPEAK },
	{ "progress", required_argument, 0, O_PROGRESS },
	{ 0, 0, 0, 0 }
};

static const char *opt_name(int c)
{
	const struct option *p;
	for (p = long_opts; p->name; ++p)
		if (p->val == c) return p->name;
	return "?";
}

void dy_asm_usage(FILE *fp, const dy_opt_t *d)
{
	fprintf(fp,
	"Usage: dactyl asm [options] [-1 R1.fq -2 R2.fq]... [--12 FILE]... [-r FILE]... [FILE]...\n"
	"       (run under mpirun/srun: every rank reads its share of the inputs)\n"
	"Inputs (FASTQ or FASTA: plain, gzip or BGZF; SAM, BAM, CRAM):\n"
	"  -1 FILE, -2 FILE    first and second mates of a paired library, repeatable: the n-th -1 pairs\n"
	"                      with the n-th -2 (lanes in order); mates must come in the same order, with\n"
	"                      the same names (/1 /2 suffixes and Casava comments aside); each pair is\n"
	"                      read by one rank\n"
	"  --12 FILE           interleaved pairs: records 1 and 2 are mates, then 3 and 4, ...; a SAM,\n"
	"                      BAM or CRAM pairs by its flags (READ1 then READ2, as samtools import\n"
	"                      writes; 'samtools collate' for a sorted one); without --12 it is read\n"
	"                      as single reads\n"
	"  -r, --read FILE     single reads; a FILE without an option is the same\n"
	"Output:\n"
	"  -o, --out DIR       output directory [%s]\n"
	"  --force             replace the finished result DIR holds (without it, such a DIR is refused;\n"
	"                      the old result stays until the new one is complete)\n"
	"  --preset NAME       bact (-k 31) | plant-het (-k 41); options given on the command line win,\n"
	"                      before or after it\n"
	"  --from-stats FILE   repeat the run a stats.json describes: its inputs, its options, then the\n"
	"                      ones given here (e.g. -o, -t, or a changed option)\n"
	"K-mers and counting:\n"
	"  -k, --kmer INT      k-mer length, odd, %d..%d; 0 = chosen from the reads and the k-mer spectrum [%d]\n"
	"  --k-list LIST       multi-k (MEGAHIT's option): not supported yet, refused\n"
	"  --minimizer INT     minimizer length, odd, 7..min(31,k-2); 0 = about k/2 [0]\n"
	"  --min-count INT     solid k-mer threshold, 1..15; 0 = first valley of the k-mer histogram [0]\n"
	"  --hist-max INT      last k-mer histogram bin [%d]\n"
	"  --partitions-log2 INT  radix partitions of each rank's k-mer table [%d]\n"
	"  --singleton-filter  k-mers seen once (most are errors) take no table entry: a Bloom filter\n"
	"                      admits a k-mer at its second occurrence and a second pass over the reads\n"
	"                      (from the read cache when they fit) counts those exactly; counts >= 2 are\n"
	"                      unchanged, the count-1 bin is estimated (HyperLogLog, ~1%%) and the\n"
	"                      threshold is at least 2; smaller tables, more time\n"
	"Threads, memory and I/O (per rank):\n"
	"  -t, --threads INT   OpenMP threads per rank; 0 = OMP_NUM_THREADS, else cores in the rank's cpuset [0]\n"
	"  --pin core|none     pin threads to cores with hwloc, inside the launcher's cpuset [core]\n"
	"  -m, --mem SIZE      memory budget per rank (64G, 1.5T; below 1: that fraction of the share);\n"
	"                      buffers shrink to fit it, and a job it cannot hold is refused as soon as\n"
	"                      that shows, with the smallest budget that works [the rank's share of the\n"
	"                      node's memory, or of the Slurm allocation]\n"
	"  --batch-mb INT      bases read per rank per round at most, MiB [%zu]\n"
	"  --round-mb INT      all-to-all send buffer per rank per round, MiB [%zu]\n"
	"  --read-cache-mb INT reads kept in memory (2 bits a base) for the pilot, count and resolve\n"
	"                      passes, per rank; past it the input is read again; 0 = off [%zu]\n"
	"Checkpoints:\n"
	"  --resume            continue the unfinished run in DIR from its last checkpoint (same inputs,\n"
	"                      options and number of ranks; threads may differ); without a checkpoint\n"
	"                      it starts from the beginning.  --continue is the same.  SIGUSR1 stops\n"
	"                      a run at its next count, build or merge checkpoint (exit status 75)\n"
	"                      for a later --resume; after the merge it finishes instead\n"
	"  --keep-checkpoints  keep DIR/checkpoint after success (removed by default)\n"
	"  --no-checkpoints    write none (no checkpoint I/O; a killed run starts again, SIGUSR1 is\n"
	"                      ignored); not with --resume or --keep-checkpoints\n"
	"Logging:\n"
	"  --phase-peaks       stats.json's phase_peak_rss_bytes: each phase's own peak, by resetting\n"
	"                      the kernel's high-water mark at its start (`time` then sees only the\n"
	"                      last phase's peak); without it, known only where a phase raised the peak\n"
	"  -v, --verbose INT   0 errors, 1 warnings, 2 progress, 3 debug [%d]\n"
	"  --progress SEC      seconds between progress lines of the count when stderr is not a terminal\n"
	"                      (a Slurm log); on a terminal a bar; 0 = none [%g]\n"
	"  -h, --help          this help\n"
	"Graph and contigs:\n"
	"  --min-len INT       shortest contig in contigs.fa, bases (graph.gfa has every node) [%d];\n"
	"                      --min-contig-len is the same (MEGAHIT's spelling)\n"
	"  --no-clean          no graph cleaning: contigs are the raw unitigs of the solid k-mers\n"
	"  --clean-rounds INT  cleaning rounds at most [%d]\n"
	"  --tip-len F         tips of up to F x k k-mers ... [%.1f]\n"
	"  --tip-ratio F       ... whose coverage is at most F x the branch they leave [%.2f]\n"
	"  --bubble-len F      bubble arms of up to F x k k-mers [%.1f]\n"
	"  --bubble-cov F      pop a bubble only if its arms together are <= F x homozygous coverage [%.2f]\n"
	"  --bubble-identity F ... and its arms are at least F identical [%.2f]\n"
	"  --error-ratio F     an arm or link below F x its alternative is an error, popped anywhere [%.2f]\n"
	"  --low-ratio F       a short node below F x its neighbourhood's coverage is removed [%.2f]\n"
	"  --hom-cov F         homozygous k-mer coverage; 0 = from the k-mer spectrum [0]\n"
	"  --no-resolve        do not read the reads again to split short repeats they span\n"
	"  --resolve-reads INT reads that must pair a way into a short repeat with a way out [%d]\n"
	"  --resolve-passes INT read passes at most to split short repeats (0 = none; another pass only\n"
	"                      while the last one split >= 5%% of its junctions and >= 1000) [%d]\n"

	"Outputs (written under a temporary name, renamed when complete):\n"
	"  DIR/contigs.fa  DIR/contigs.fa.fai  DIR/graph.gfa  DIR/bubbles.fa  DIR/kmer-histogram.tsv  DIR/stats.json\n"
	"  DIR/checkpoint/  (asm, while it runs) after the count, fragments, merge and graph; every rank\n"
	"                   writes its own files there, so DIR must be one folder for all ranks\n",
	d->io.out_dir, DY_KMIN, DY_KMAX, d->kmer.k, d->count.hist_max, d->count.part_log2,
	d->io.batch_bytes >> 20, d->io.round_bytes >> 20, d->io.cache_bytes >> 20, d->run.verbose, d->run.progress_s,
	d->out.min_len, d->graph.max_rounds, d->graph.tip_len, d->graph.tip_ratio, d->graph.bubble_len,
	d->graph.bubble_cov, d->graph.bubble_ident, d->graph.err_ratio, d->graph.low_ratio,
	d->graph.resolve_reads, d->graph.resolve_passes);
}

/* Every option a result depends on, as the command line spells it; the I/O
 * sizes, threads, pinning and verbosity change no result and may differ. */
void dy_opt_line(const dy_opt_t *o, char *b, size_t len)
{
	const dy_graph_opt_t *g = &o->graph;
	snprintf(b, len, "--kmer=%d --minimizer=%d --min-count=%d --hist-max=%d --partitions-log2=%d "
	         "--singleton-filter=%d --clean=%d --clean-rounds=%d --tip-len=%.17g --tip-ratio=%.17g --bubble-len=%.17g "
	         "--bubble-cov=%.17g --bubble-identity=%.17g --error-ratio=%.17g --low-ratio=%.17g "
	         "--hom-cov=%.17g --resolve=%d --resolve-reads=%d --resolve-passes=%d --min-len=%d",
	         o->kmer.k, o->kmer.m, o->count.min_count, o->count.hist_max, o->count.part_log2,
	         o->count.sieve, g->clean, g->max_rounds, g->tip_len, g->tip_ratio, g->bubble_len, g->bubble_cov,
	         g->bubble_ident, g->err_ratio, g->low_ratio, g->hom_cov, g->resolve, g->resolve_reads,
	         g->resolve_passes, o->out.min_len);
}

/* The inputs' roles, a letter each: s single, 1 and 2 mates, i interleaved. */
void dy_opt_roles(const dy_io_opt_t *io, char *b, size_t len)
{
	int i;
	size_t o = 0;
	for (i = 0; i < io->n_in && o + 1 < len; ++i)
		b[o++] = "s12i"[io->role ? io->role[i] : DY_IN_SINGLE];
	b[o] = 0;
}

/* A user's argument as a message may quote it: one line of printable bytes
 * (others as \xNN), cut at 64 bytes. */
static const char *shown(const char *s, char *buf, size_t len)
{
	size_t i, o = 0;
	for (i = 0; s[i] && o + 8 < len; ++i) {
		unsigned char c = (unsigned char)s[i];
		if (i == 64) { memcpy(buf + o, "...", 3), o += 3; break; }
		if (c >= 32 && c < 127) buf[o++] = (char)c;
		else o += (size_t)snprintf(buf + o, len - o, "\\x%02x", c);
	}
	buf[o] = 0;
	return buf;
}

int dy_parse_size(const char *s, double *out, int fraction)
{
	char *end;
	double v = strtod(s, &end), unit = 0;
	if (end == s || !(v > 0) || !isfinite(v)) return -1;
	switch (toupper((unsigned char)*end)) {
	case 'K': unit = 1024.0; break;
	case 'M': unit = 1048576.0; break;
	case 'G': unit = 1073741824.0; break;
	case 'T': unit = 1099511627776.0; break;
	default: break;
	}
	if (unit > 0) {
		++end;
		if (toupper((unsigned char)*end) == 'I') ++end;
		if (toupper((unsigned char)*end) == 'B') ++end;
	}
	if (*end) return -1;
	if (unit == 0 && !(fraction && v < 1)) return -1;   /* bytes or gigabytes? a unit says */
	*out = unit > 0 ? v * unit : v;
	return 0;
}

/* argv without the option whose getopt value is optc (and its argument),
 * as getopt itself reads the line: abbreviations, "-t4", "--threads=4" and
 * "--" are seen as the real parse sees them.  Elements are matched by
 * pointer, because getopt permutes its copy.  out holds argc + 1 pointers;
 * returns the count kept (argv[0] included), -1 when out of memory. */
int dy_opt_strip(int argc, char *argv[], int optc, char **out)
{
	char **cp = malloc(((size_t)argc + 1) * sizeof *cp), **drop = calloc((size_t)argc + 1, sizeof *drop);
	int c, i, j, n = 0, n_drop = 0;
	if (cp == NULL || drop == NULL) { free(cp), free(drop); return -1; }
	memcpy(cp, argv, (size_t)argc * sizeof *cp);
	cp[argc] = NULL;
	optind = 0, opterr = 0;
	while ((c = getopt_long(argc, cp, ":k:m:t:o:v:h1:2:r:", long_opts, NULL)) >= 0) {
		if (c != optc || optarg == NULL) continue;
		/* the value is its own element ("-t 4") or the end of the option's ("-t4", "--threads=4") */
		if (optind >= 2 && cp[optind - 1] == optarg) drop[n_drop++] = cp[optind - 2];
		drop[n_drop++] = cp[optind - 1];
	}
	for (i = 0; i < argc; ++i) {
		for (j = 0; j < n_drop && drop[j] != argv[i]; ++j) {}
		if (j == n_drop || i == 0) out[n++] = argv[i];
	}
	out[n] = NULL;
	free(cp), free(drop);
	optind = 0;
	return n;
}

/* The inputs as the options gave them (-1, -2, --12, -r and the positional
 * files), in order.  They live as long as the process, like the argv they
 * point into; a new parse starts them again. */
static struct { int n, m, *kind; char **path; char **in; int *role; } ins;
/* Every parse's input table stays valid while the process runs (an earlier
 * parse's options may still be in use: plan, --from-stats, the fuzzer's
 * two parses), and is freed at exit. */
static struct { size_t n, m; void **a; } kept;

static void free_kept(void)
{
	size_t i;
	for (i = 0; i < kept.n; ++i) free(kept.a[i]);
	free(kept.a), free(ins.kind), free(ins.path);
	memset(&kept, 0, sizeof kept);
}

static int keep(void *p)
{
	if (kept.n == kept.m) {
		size_t m = kept.m ? 2 * kept.m : 16;
		void **a = realloc(kept.a, m * sizeof *a);
		if (a == NULL) return -1;
		if (kept.a == NULL) atexit(free_kept);
		kept.a = a, kept.m = m;
	}
	kept.a[kept.n++] = p;
	return 0;
}

static int in_push(int kind, char *path)
{
	if (ins.n == ins.m) {
		int m = ins.m ? 2 * ins.m : 16, *k = realloc(ins.kind, (size_t)m * sizeof *k);
		char **p;
		if (k == NULL) return -1;
		ins.kind = k;
		if ((p = realloc(ins.path, (size_t)m * sizeof *p)) == NULL) return -1;
		ins.path = p, ins.m = m;
	}
	ins.kind[ins.n] = kind, ins.path[ins.n++] = path;
	return 0;
}

/* io.in and io.role from the inputs given: the i-th -1 file is followed by
 * the i-th -2 file (lanes in order), at the place of the -1. */
/* The same file under two names (./a.fq and a.fq, a link): by path, then by
 * device and inode where both exist (a missing file is reported later). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	if (strcmp(a, b) == 0) return 1;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int in_layout(dy_opt_t *o, char *msg, size_t len)
{
	int i, j, n1 = 0, n2 = 0, n = 0, i2 = 0;
	char q[300];
	for (i = 0; i < ins.n; ++i) n1 += ins.kind[i] == '1', n2 += ins.kind[i] == '2';
	if (n1 != n2) {
		snprintf(msg, len, "%d file(s) of first mates (-1) but %d of second mates (-2): give them in pairs, "
		         "-1 A_R1.fq -2 A_R2.fq for each lane", n1, n2);
		return DY_EARG;
	}
	ins.in = malloc(((size_t)ins.n + 1) * sizeof *ins.in);
	ins.role = malloc(((size_t)ins.n + 1) * sizeof *ins.role);
	if (ins.in == NULL || ins.role == NULL || keep(ins.in) < 0) {
		free(ins.in), free(ins.role);
		ins.in = NULL, ins.role = NULL;
		snprintf(msg, len, "out of memory");
		return DY_ENOMEM;
	}
	if (keep(ins.role) < 0) {   /* ins.in is kept: freed at exit */
		free(ins.role), ins.role = NULL;
		snprintf(msg, len, "out of memory");
		return DY_ENOMEM;
	}
	for (i = 0; i < ins.n; ++i) {
		int k = ins.kind[i];
		if (k == '2') continue;
		ins.in[n] = ins.path[i];
		ins.role[n++] = k == '1' ? DY_IN_MATE1 : k == O_INTER ? DY_IN_INTER : DY_IN_SINGLE;
		if (k != '1') continue;
		while (ins.kind[i2] != '2') ++i2;   /* its -2: the one with the same rank among the -2 */
		ins.in[n] = ins.path[i2++];
		ins.role[n++] = DY_IN_MATE2;
		if (same_file(ins.in[n - 1], ins.in[n - 2])) {
			snprintf(msg, len, "-1 and -2 name the same file '%s': give the first mates' file and the "
			         "second mates' file", shown(ins.in[n - 1], q, sizeof q));
			return DY_EARG;
		}
	}
	for (i = 0; i < n; ++i)   /* a mate file read twice would pair wrongly or count twice */
		for (j = i + 1; j < n; ++j)
			if ((ins.role[i] != DY_IN_SINGLE || ins.role[j] != DY_IN_SINGLE) && same_file(ins.in[i], ins.in[j])) {
				snprintf(msg, len, "'%s' is given twice, once as paired reads: give each paired file once",
				         shown(ins.in[i], q, sizeof q));
				return DY_EARG;
			}
	ins.n = 0;   /* the next parse starts again */
	o->io.n_in = n;
	o->io.in = ins.in;
	o->io.role = ins.role;
	for (i = 0; i < n && ins.role[i] == DY_IN_SINGLE; ++i) {}
	if (i == n) o->io.role = NULL;   /* all single: as before roles existed */
	return DY_OK;
}

/* Parse argv into o. Returns DY_OK, 1 for --help, or DY_EARG with msg. */
int dy_opt_parse(int argc, char *argv[], dy_opt_t *o, char *msg, size_t len)
{
	char q[300];
	int c;
	long v;
	/* a preset first, wherever it is: the options given beside it win.  On a
	 * copy of argv: getopt moves the operands to its end as it goes, and the
	 * real parse must see them where the user put them */
	{
		char **cp = malloc(((size_t)argc + 1) * sizeof *cp);
		if (cp == NULL) { snprintf(msg, len, "out of memory"); return DY_ENOMEM; }
		memcpy(cp, argv, (size_t)argc * sizeof *cp);
		cp[argc] = NULL;
		optind = 0, opterr = 0;
		while ((c = getopt_long(argc, cp, ":k:m:t:o:v:h1:2:r:", long_opts, NULL)) >= 0)
			if (c == O_PRESET) {
				if (dy_opt_preset(o, optarg) < 0) {
					snprintf(msg, len, "unknown preset '%s' (bact, plant-het)", shown(optarg, q, sizeof q));
					free(cp);
					return DY_EARG;
				}
				o->run.preset = optarg;
			}
		free(cp);
	}
	/* optind = 0, not 1: glibc then resets all of getopt's state, including the
	 * rest of a grouped short option ("-hk31") a previous parse stopped in */
	optind = 0;
	ins.n = 0;
	while ((c = getopt_long(argc, argv, ":k:m:t:o:v:h1:2:r:", long_opts, NULL)) >= 0) {
		v = optarg ? parse_num(optarg) : 0;
		switch (c) {
		case 'h': return 1;
		case 'o': o->io.out_dir = optarg; continue;
		case '1': case '2': case 'r': case O_INTER:
			if (in_push(c, optarg) < 0) { snprintf(msg, len, "out of memory"); return DY_ENOMEM; }
			continue;
		case O_PRESET: continue;
		case O_FROMSTATS:
			snprintf(msg, len, "--from-stats must be given once and spelled out in full (--from-stats FILE)");
			return DY_EARG;
		case O_KLIST:
			snprintf(msg, len, "--k-list: multi-k assembly is not supported yet; give one -k, or none to "
			         "let dactyl choose k from the reads");
			return DY_EARG;
		case O_PIN:
			if (strcmp(optarg, "none") == 0) o->run.pin = 0;
			else if (strcmp(optarg, "core") == 0) o->run.pin = 1;
			else { snprintf(msg, len, "--pin takes 'core' or 'none', got '%s'", shown(optarg, q, sizeof q)); return DY_EARG; }
			continue;
		case O_NOCLEAN: o->graph.clean = 0; continue;
		case O_SIEVE: o->count.sieve = 1; continue;
		case 'm':
			if (dy_parse_size(optarg, &o->io.mem, 1) < 0) {
				snprintf(msg, len, "option --mem needs a size with a unit (K, M, G, T: 64G) or a fraction "
				         "below 1 of the rank's share of the node, got '%s'", shown(optarg, q, sizeof q));
				return DY_EARG;
			}
			continue;
		case O_FORCE: o->io.force = 1; continue;
		case O_RESUME: o->io.resume = 1; continue;
		case O_KEEPCK: o->io.keep_ck = 1; continue;
		case O_NOCK: o->io.no_ck = 1; continue;
		case O_PHPEAK: o->io.phase_peaks = 1; continue;
		case O_NORESOLVE: o->graph.resolve = 0; continue;
		case O_TIPLEN: case O_TIPRATIO: case O_BUBLEN: case O_BUBCOV: case O_BUBID:
		case O_ERRRATIO: case O_LOWRATIO: case O_HOMCOV: case O_PROGRESS: {
			char *end;
			double d = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(d >= 0 && d <= 1e6)) {
				snprintf(msg, len, "option --%s needs a number >= 0, got '%s'", opt_name(c), shown(optarg, q, sizeof q));
				return DY_EARG;
			}
			if (c == O_TIPLEN) o->graph.tip_len = d;
			else if (c == O_TIPRATIO) o->graph.tip_ratio = d;
			else if (c == O_BUBLEN) o->graph.bubble_len = d;
			else if (c == O_BUBCOV) o->graph.bubble_cov = d;
			else if (c == O_BUBID) o->graph.bubble_ident = d;
			else if (c == O_ERRRATIO) o->graph.err_ratio = d;
			else if (c == O_LOWRATIO) o->graph.low_ratio = d;
			else if (c == O_PROGRESS) o->run.progress_s = d;
			else o->graph.hom_cov = d;
			continue;
		}
		case ':': snprintf(msg, len, "option '%s' needs a value", shown(argv[optind - 1], q, sizeof q)); return DY_EARG;
		case '?': snprintf(msg, len, "unknown option '%s'", shown(argv[optind - 1], q, sizeof q)); return DY_EARG;
		}
		if (v < 0 || v > 1000000000L) {
			snprintf(msg, len, "option --%s needs a whole number, got '%s'", opt_name(c), shown(optarg, q, sizeof q));
			return DY_EARG;
		}
		switch (c) {
		case 'k': o->kmer.k = (int)v; break;
		case O_MINIMIZER: o->kmer.m = (int)v; break;       /* 0: from k */
		case 't': o->run.threads = (int)v; break;  /* 0: from the environment or cpuset */
		case 'v': o->run.verbose = (int)v; break;
		case O_MINCOUNT: o->count.min_count = (int)v; break;
		case O_BATCH: o->io.batch_bytes = (size_t)v << 20; break;
		case O_ROUND: o->io.round_bytes = (size_t)v << 20; break;
		case O_PART: o->count.part_log2 = (int)v; break;
		case O_HMAX: o->count.hist_max = (int)v; break;
		case O_MINLEN: o->out.min_len = (int)v; break;
		case O_ROUNDS: o->graph.max_rounds = (int)v; break;
		case O_RESREADS: o->graph.resolve_reads = (int)v; break;
		case O_RESPASSES: o->graph.resolve_passes = (int)v; break;
		case O_CACHE: o->io.cache_bytes = (size_t)v << 20; break;
		}
	}
	for (; optind < argc; ++optind)   /* the positional files: single reads, after the others */
		if (in_push('r', argv[optind]) < 0) { snprintf(msg, len, "out of memory"); return DY_ENOMEM; }
	return in_layout(o, msg, len);
}
