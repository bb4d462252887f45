/* palmgen -- deterministic generator of date-palm-style genomes.
 * Usage: palmgen --help. Same options and seed give the same bytes on any
 * machine: all randomness comes from pg_rng.h, never rand() or libm. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg.h"

static void usage(FILE *fp)
{
	fprintf(fp,
"Usage: palmgen [options] -o genome.fa\n"
"Generate a synthetic plant-like genome (date palm defaults) and its truth.\n\n"
"Genome:\n"
"  -L, --length SIZE       total haploid length, k/M/G suffixes [1M]\n"
"  -c, --chroms INT        chromosomes (lengths vary +-20%%) [1]\n"
"  -g, --gc FLOAT          GC fraction (date palm ~0.38) [0.38]\n"
"  -s, --seed INT          random seed [1]\n"
"      --prefix STR        chromosome name prefix [chr]\n"
"Transposable elements:\n"
"  -t, --te-frac FLOAT     fraction of the genome in TE copies (date palm ~0.5) [0.45]\n"
"  -f, --families INT      TE families in the library [40]\n"
"      --fam-len MIN-MAX   consensus length range [500-10000]\n"
"      --ltr-frac FLOAT    share of families that are LTR retrotransposons [0.7]\n"
"      --plain-frac FLOAT  share of families without terminal repeats [0]\n"
"                          (the rest alternate DNA transposons with TIRs and LINEs)\n"
"      --div MIN-MAX       copy divergence from consensus, oldest copies most [0-0.2]\n"
"      --frag FLOAT        probability a copy is a fragment / solo LTR [0.5]\n"
"      --nest FLOAT        probability a copy is inserted into an older TE [0.3]\n"
"      --rounds INT        insertion rounds (ages) [8]\n"
"Other repeats:\n"
"  -m, --micro-frac FLOAT  fraction in microsatellites and satellite arrays [0.03]\n"
"      --segdup INT        segmental duplications [0]\n"
"      --segdup-len MIN-MAX  their length [5000-30000]\n"
"      --segdup-div FLOAT  their maximal substitution rate [0.02]\n"
"Diploid:\n"
"  -H, --het FLOAT         heterozygosity of haplotype 2; 0 = haploid [0]\n"
"      --indel-frac FLOAT  share of heterozygous sites that are indels (1-6 bp) [0.15]\n"
"Outputs:\n"
"  -o, --out FILE          haplotype 1 FASTA (required)\n"
"      --hap2 FILE         haplotype 2 FASTA (required with --het)\n"
"      --het-truth FILE    every hap1/hap2 difference, TSV (required with --het)\n"
"      --repeats FILE      every repeat piece with its origin, TSV\n"
"      --library FILE      the TE family consensus sequences, FASTA\n"
"      --stats FILE        measured features, key<TAB>value\n"
"  -h, --help              this help\n");
}

static int parse_size(const char *s, uint64_t *v)
{
	char *end;
	errno = 0;
	double x = strtod(s, &end);
	double mul = *end == 'k' || *end == 'K' ? 1e3 : *end == 'm' || *end == 'M' ? 1e6
	           : *end == 'g' || *end == 'G' ? 1e9 : 1.0;
	if (mul != 1.0) ++end;
	if (errno || end == s || *end || x < 0) return -1;
	*v = (uint64_t)(x * mul + 0.5);
	return 0;
}

static int parse_frac(const char *s, double *v, double max)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return errno || end == s || *end || *v < 0.0 || *v > max ? -1 : 0;
}

static int parse_int(const char *s, int *v, int min)
{
	char *end;
	errno = 0;
	long x = strtol(s, &end, 10);
	if (errno || end == s || *end || x < min || x > 1000000) return -1;
	*v = (int)x;
	return 0;
}

static int parse_range_u(const char *s, uint32_t *lo, uint32_t *hi)
{
	uint64_t a, b;
	char buf[64], *dash;
	if (strlen(s) >= sizeof buf) return -1;
	strcpy(buf, s);
	if (!(dash = strchr(buf, '-'))) return -1;
	*dash = 0;
	if (parse_size(buf, &a) < 0 || parse_size(dash + 1, &b) < 0 || a > b || b > 100000000) return -1;
	*lo = (uint32_t)a, *hi = (uint32_t)b;
	return 0;
}

static int parse_range_f(const char *s, double *lo, double *hi)
{
	char buf[64], *dash;
	if (strlen(s) >= sizeof buf) return -1;
	strcpy(buf, s);
	if (!(dash = strchr(buf, '-'))) return -1;
	*dash = 0;
	return parse_frac(buf, lo, 0.5) < 0 || parse_frac(dash + 1, hi, 0.5) < 0 || *lo > *hi ? -1 : 0;
}

static void opt_init(pg_opt_t *o)
{
	memset(o, 0, sizeof *o);
	o->len = 1000000, o->n_chr = 1, o->gc = 0.38;
	o->te_frac = 0.45, o->n_fam = 40, o->fam_min = 500, o->fam_max = 10000;
	o->ltr_frac = 0.7, o->plain_frac = 0.0, o->div_min = 0.0, o->div_max = 0.2;
	o->frag = 0.5, o->nest = 0.3, o->rounds = 8, o->micro_frac = 0.03;
	o->n_segdup = 0, o->sd_min = 5000, o->sd_max = 30000, o->sd_div = 0.02;
	o->het = 0.0, o->indel_frac = 0.15, o->seed = 1, o->prefix = "chr";
}

enum { O_FAMLEN = 256, O_LTR, O_PLAIN, O_DIV, O_FRAG, O_NEST, O_ROUNDS, O_SD, O_SDLEN,
       O_SDDIV, O_INDEL, O_PREFIX, O_HAP2, O_TRUTH, O_REP, O_LIB, O_STATS };

static const struct option LONG[] = {
	{ "length", 1, 0, 'L' }, { "chroms", 1, 0, 'c' }, { "gc", 1, 0, 'g' },
	{ "seed", 1, 0, 's' }, { "prefix", 1, 0, O_PREFIX }, { "te-frac", 1, 0, 't' },
	{ "families", 1, 0, 'f' }, { "fam-len", 1, 0, O_FAMLEN }, { "ltr-frac", 1, 0, O_LTR },
	{ "plain-frac", 1, 0, O_PLAIN }, { "div", 1, 0, O_DIV }, { "frag", 1, 0, O_FRAG },
	{ "nest", 1, 0, O_NEST }, { "rounds", 1, 0, O_ROUNDS }, { "micro-frac", 1, 0, 'm' },
	{ "segdup", 1, 0, O_SD }, { "segdup-len", 1, 0, O_SDLEN }, { "segdup-div", 1, 0, O_SDDIV },
	{ "het", 1, 0, 'H' }, { "indel-frac", 1, 0, O_INDEL }, { "out", 1, 0, 'o' },
	{ "hap2", 1, 0, O_HAP2 }, { "het-truth", 1, 0, O_TRUTH }, { "repeats", 1, 0, O_REP },
	{ "library", 1, 0, O_LIB }, { "stats", 1, 0, O_STATS }, { "help", 0, 0, 'h' },
	{ 0, 0, 0, 0 }
};

/* Parse one option into o or the output paths; returns -1 on a bad value. */
static int set_opt(pg_opt_t *o, const char **out, int c, const char *a)
{
	uint64_t u;
	switch (c) {
	case 'L': return parse_size(a, &o->len) < 0 || o->len < 1000 ? -1 : 0;
	case 'c': return parse_int(a, &o->n_chr, 1);
	case 'g': return parse_frac(a, &o->gc, 1.0);
	case 's': if (parse_size(a, &u) < 0) return -1; o->seed = u; return 0;
	case 't': return parse_frac(a, &o->te_frac, 0.95);
	case 'f': return parse_int(a, &o->n_fam, 0);
	case 'm': return parse_frac(a, &o->micro_frac, 0.5);
	case 'H': return parse_frac(a, &o->het, 0.2);
	case O_FAMLEN: return parse_range_u(a, &o->fam_min, &o->fam_max) < 0 || o->fam_min < 100 ? -1 : 0;
	case O_LTR: return parse_frac(a, &o->ltr_frac, 1.0);
	case O_PLAIN: return parse_frac(a, &o->plain_frac, 1.0);
	case O_DIV: return parse_range_f(a, &o->div_min, &o->div_max);
	case O_FRAG: return parse_frac(a, &o->frag, 1.0);
	case O_NEST: return parse_frac(a, &o->nest, 1.0);
	case O_ROUNDS: return parse_int(a, &o->rounds, 1);
	case O_SD: return parse_int(a, &o->n_segdup, 0);
	case O_SDLEN: return parse_range_u(a, &o->sd_min, &o->sd_max) < 0 || o->sd_min < 1 ? -1 : 0;
	case O_SDDIV: return parse_frac(a, &o->sd_div, 0.5);
	case O_INDEL: return parse_frac(a, &o->indel_frac, 1.0);
	case O_PREFIX: o->prefix = a; return 0;
	case 'o': out[0] = a; return 0;
	case O_HAP2: out[1] = a; return 0;
	case O_TRUTH: out[2] = a; return 0;
	case O_REP: out[3] = a; return 0;
	case O_LIB: out[4] = a; return 0;
	case O_STATS: out[5] = a; return 0;
	}
	return -1;
}

static const char *check_opt(const pg_opt_t *o, const char **out)
{
	if (!out[0]) return "an output FASTA is required (-o)";
	if (o->het > 0.0 && (!out[1] || !out[2])) return "--het needs --hap2 and --het-truth";
	if (o->het == 0.0 && (out[1] || out[2])) return "--hap2/--het-truth need --het > 0";
	if (o->te_frac > 0.0 && o->n_fam < 1) return "--te-frac > 0 needs --families >= 1";
	if (o->ltr_frac + o->plain_frac > 1.0) return "--ltr-frac + --plain-frac must be <= 1";
	if ((uint64_t)o->n_chr * 2000 > o->len) return "chromosomes must be at least 2 kb: fewer --chroms";
	return NULL;
}

/* Measured features, "key<kv>value" items separated by `sep`. */
static void report(FILE *fp, const char *kv, const char *sep, const pg_genome_t *g,
                   const pg_opt_t *o, uint64_t snp, uint64_t indel)
{
	uint64_t len, gc, cb[PG_NCLS];
	pg_measure(g, &len, &gc, cb);
	double L = (double)len;
	fprintf(fp, "length%s%llu%schromosomes%s%d%sgc%s%.4f%ste_frac%s%.4f%smicro_frac%s%.4f%s"
	        "tandem_frac%s%.4f%ssegdup_frac%s%.4f%ssnps%s%llu%sindels%s%llu%s"
	        "heterozygosity%s%.5f%sseed%s%llu\n",
	        kv, (unsigned long long)len, sep, kv, g->n_chr, sep, kv, gc / L, sep, kv, cb[PG_TE] / L,
	        sep, kv, cb[PG_MICRO] / L, sep, kv, cb[PG_TANDEM] / L, sep, kv, cb[PG_SEGDUP] / L,
	        sep, kv, (unsigned long long)snp, sep, kv, (unsigned long long)indel, sep, kv,
	        (double)(snp + indel) / L, sep, kv, (unsigned long long)o->seed);
}

int main(int argc, char *argv[])
{
	pg_opt_t o;
	pg_genome_t g;
	const char *out[6] = { 0 }, *err;
	uint64_t snp = 0, indel = 0;
	int c;

	opt_init(&o);
	memset(&g, 0, sizeof g);
	while ((c = getopt_long(argc, argv, "L:c:g:s:t:f:m:H:o:h", LONG, NULL)) >= 0) {
		if (c == 'h') { usage(stdout); return 0; }
		if (c == '?' || set_opt(&o, out, c, optarg) < 0) {
			if (c != '?') fprintf(stderr, "palmgen: bad value '%s' for option %s\n", optarg, argv[optind - 1]);
			fprintf(stderr, "Try 'palmgen --help'.\n");
			return 1;
		}
	}
	if (optind < argc) { fprintf(stderr, "palmgen: unexpected argument '%s'\n", argv[optind]); return 1; }
	if ((err = check_opt(&o, out))) { fprintf(stderr, "palmgen: %s\n", err); return 1; }

	if (pg_build(&g, &o) < 0) return 1;
	if (pg_write_fasta(out[0], g.chr, g.n_chr) < 0) return 1;
	if (o.het > 0.0 && pg_hap2(&g, &o, out[1], out[2], &snp, &indel) < 0) return 1;
	if (out[3] && pg_write_repeats(out[3], &g) < 0) return 1;
	if (out[4] && pg_write_library(out[4], &g) < 0) return 1;
	if (out[5]) {
		FILE *fp = fopen(out[5], "w");
		if (!fp) { perror(out[5]); return 1; }
		report(fp, "\t", "\n", &g, &o, snp, indel);
		if (fclose(fp) != 0) { fprintf(stderr, "palmgen: error writing %s\n", out[5]); return 1; }
	}
	fprintf(stderr, "[palmgen] ");
	report(stderr, "=", " ", &g, &o, snp, indel);
	return 0;
}
