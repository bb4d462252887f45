/* pg.h -- palmgen internals: a deterministic generator of plant-like genomes.
 *
 * How a chromosome is made (pg_build.c):
 *   1. random background at the requested GC content;
 *   2. in `rounds` batches, oldest first, insert transposable-element copies,
 *      microsatellites and satellite arrays at random places; a share `nest`
 *      of them lands inside an older TE, which splits it into pieces (nesting);
 *      older rounds get more divergence, as old TE bursts do in real genomes;
 *   3. after all chromosomes exist, segmental duplications copy a region
 *      (with its annotations) to a random place;
 *   4. optionally a second haplotype with SNPs and small indels (pg_hap.c).
 * Every base added is planned up front, so the final length is exact.
 * Annotations ("features") are carried through every insertion, so the truth
 * tables describe the final coordinates exactly.
 */
#ifndef PG_H
#define PG_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include "pg_rng.h"

enum { PG_TE = 0, PG_MICRO, PG_TANDEM, PG_SEGDUP, PG_NCLS };

typedef struct {
	uint64_t len;          /* total genome length (haplotype 1), bases */
	int n_chr;             /* number of chromosomes */
	double gc;             /* GC fraction of background and new sequence */
	double te_frac;        /* fraction of the genome made of TE copies */
	int n_fam;             /* TE families in the library */
	uint32_t fam_min, fam_max; /* family consensus length range */
	double ltr_frac;       /* share of families that are LTR retrotransposons */
	double plain_frac;     /* share of families with no terminal structure */
	double div_min, div_max; /* copy divergence from consensus */
	double frag;           /* probability that a copy is a fragment */
	double nest;           /* probability that a copy lands inside an older TE */
	int rounds;            /* insertion rounds (ages) */
	double micro_frac;     /* fraction of microsatellites + satellite arrays (half each) */
	int n_segdup;          /* segmental duplications */
	uint32_t sd_min, sd_max; /* their length range */
	double sd_div;         /* their maximal substitution rate */
	double het;            /* heterozygosity of haplotype 2 (0: haploid) */
	double indel_frac;     /* share of heterozygous sites that are indels */
	uint64_t seed;
	const char *prefix;    /* chromosome name prefix */
} pg_opt_t;

typedef struct {
	uint64_t beg, end;     /* piece on the chromosome, 0-based, half-open */
	uint32_t copy;         /* copy id; all pieces of one copy share it */
	uint32_t name;         /* index into pg_genome_t.names */
	int32_t host;          /* TE copy this one was inserted into, -1 if none */
	uint32_t cbeg, cend;   /* part of the consensus the copy came from */
	float div;             /* measured divergence of the whole copy */
	char cls;              /* PG_TE ... PG_SEGDUP */
	char strand;           /* '+' or '-' */
	char kind;             /* 'F' full, 'f' fragment, 's' solo LTR, 'S' segdup source, 'D' duplicate */
} pg_feat_t;

typedef struct {
	char *name;
	char *s;               /* bases, upper case, not NUL-terminated */
	uint64_t n;
	pg_feat_t *f;
	size_t nf, mf;
} pg_chr_t;

typedef struct {
	char *seq;
	uint32_t len, tr;      /* consensus length; terminal repeat length (0: none) */
	char type;             /* 'L' LTR, 'T' TIR (DNA transposon), 'N' LINE, 'R' plain */
	uint32_t name;         /* index into names */
} pg_fam_t;

typedef struct {
	pg_chr_t *chr;
	int n_chr;
	pg_fam_t *fam;
	int n_fam;
	char **names;
	size_t n_names, m_names;
	uint32_t next_copy;
} pg_genome_t;

/* One planned insertion: `len` bases at pool[off], with features whose
 * coordinates are relative to the start of the inserted block. */
typedef struct {
	uint64_t pos;          /* insert before this base of the current sequence */
	uint64_t off, len;
	size_t f0, nf;         /* features in the batch's feature array */
	uint32_t idx;          /* tie-break: order of creation */
	int round;
} pg_ins_t;

/* pg_util.c: allocation that stops the program with a message on failure
 * (palmgen is a single-process tool with nothing to clean up). */
void *pg_malloc(size_t n);
void *pg_realloc(void *p, size_t n);
char *pg_strdup(const char *s);
uint32_t pg_name_add(pg_genome_t *g, const char *name);
void pg_feat_push(pg_feat_t **v, size_t *n, size_t *m, const pg_feat_t *f);

/* pg_seq.c */
char pg_base(pg_rng_t *r, double gc);
void pg_rand_seq(pg_rng_t *r, double gc, char *out, uint64_t n);
void pg_revcomp(char *s, uint64_t n);
/* Copy src into out with per-base mutation rate d (85% substitutions, 15%
 * indels of 1-3 bases); returns the number of mutation events and sets *outn.
 * out needs room for 2*n+8 bases. With indel_ok == 0 only substitutions. */
uint64_t pg_mutate(pg_rng_t *r, const char *src, uint64_t n, double d, double gc,
                   int indel_ok, char *out, uint64_t *outn);

/* pg_chrom.c: apply a batch of insertions to a chromosome, moving and
 * splitting its features; ev is sorted in place. */
void pg_insert_batch(pg_chr_t *c, pg_ins_t *ev, size_t n, const char *pool,
                     const pg_feat_t *bf);
void pg_sort_feats(pg_chr_t *c);

/* pg_repeats.c */
void pg_make_library(pg_genome_t *g, const pg_opt_t *o);
/* Append one TE copy to the pool; fills *f (coordinates relative). */
uint64_t pg_te_copy(pg_genome_t *g, const pg_opt_t *o, pg_rng_t *r, double d,
                    char **pool, uint64_t *pn, uint64_t *pm, pg_feat_t *f);
uint64_t pg_micro_copy(pg_genome_t *g, const pg_opt_t *o, pg_rng_t *r, int sat, uint64_t cap,
                       char **pool, uint64_t *pn, uint64_t *pm, pg_feat_t *f);

/* pg_build.c */
int pg_build(pg_genome_t *g, const pg_opt_t *o);

/* pg_hap.c: the second haplotype and its truth table (TSV, header line). */
int pg_hap2(const pg_genome_t *g, const pg_opt_t *o, const char *fa, const char *tsv,
            uint64_t *n_snp, uint64_t *n_indel);

/* pg_io.c */
int pg_fasta_put(FILE *fp, const char *name, const char *s, uint64_t n);
int pg_write_fasta(const char *fn, const pg_chr_t *c, int n);
int pg_write_repeats(const char *fn, const pg_genome_t *g);
int pg_write_library(const char *fn, const pg_genome_t *g);
void pg_measure(const pg_genome_t *g, uint64_t *len, uint64_t *gc, uint64_t cls_bases[PG_NCLS]);

#endif
