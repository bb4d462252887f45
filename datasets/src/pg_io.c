/* pg_io.c -- writers for the genome, the repeat truth and the TE library,
 * and the measured features printed in the summary. */
#include <stdio.h>
#include <stdlib.h>
#include "pg.h"

#define LINE 80

int pg_fasta_put(FILE *fp, const char *name, const char *s, uint64_t n)
{
	if (fprintf(fp, ">%s\n", name) < 0) return -1;
	for (uint64_t i = 0; i < n; i += LINE) {
		size_t l = n - i < LINE ? (size_t)(n - i) : LINE;
		if (fwrite(s + i, 1, l, fp) != l || fputc('\n', fp) == EOF) return -1;
	}
	return 0;
}

static int close_checked(FILE *fp, const char *fn, int err)
{
	if (fclose(fp) != 0 || err) {
		fprintf(stderr, "palmgen: error writing %s\n", fn);
		return -1;
	}
	return 0;
}

int pg_write_fasta(const char *fn, const pg_chr_t *c, int n)
{
	FILE *fp = fopen(fn, "w");
	int err = 0;
	if (!fp) { perror(fn); return -1; }
	for (int i = 0; i < n && !err; ++i) err = pg_fasta_put(fp, c[i].name, c[i].s, c[i].n) < 0;
	return close_checked(fp, fn, err);
}

static const char *CLS[PG_NCLS] = { "TE", "micro", "tandem", "segdup" };

/* repeats.tsv: one row per piece, 0-based half-open coordinates (BED-like).
 * copy ties the pieces of one inserted copy; host is the TE copy it was
 * inserted into ("." if none); cons_beg/cons_end is the part of the family
 * consensus it came from (micro/tandem: 0 and the unit length; segdup: 0 and
 * the duplicated length); div is its measured divergence from that source. */
int pg_write_repeats(const char *fn, const pg_genome_t *g)
{
	FILE *fp = fopen(fn, "w");
	int err = 0;
	if (!fp) { perror(fn); return -1; }
	fprintf(fp, "chrom\tstart\tend\tclass\tname\tcopy\tstrand\tkind\thost\tcons_beg\tcons_end\tdiv\n");
	for (int i = 0; i < g->n_chr; ++i) {
		const pg_chr_t *c = &g->chr[i];
		for (size_t j = 0; j < c->nf; ++j) {
			const pg_feat_t *f = &c->f[j];
			char host[16] = ".";
			if (f->host >= 0) snprintf(host, sizeof host, "%d", f->host);
			if (fprintf(fp, "%s\t%llu\t%llu\t%s\t%s\t%u\t%c\t%c\t%s\t%u\t%u\t%.4f\n", c->name,
			            (unsigned long long)f->beg, (unsigned long long)f->end, CLS[(int)f->cls],
			            g->names[f->name], f->copy, f->strand, f->kind, host, f->cbeg,
			            f->cend, (double)f->div) < 0) err = 1;
		}
	}
	return close_checked(fp, fn, err);
}

int pg_write_library(const char *fn, const pg_genome_t *g)
{
	FILE *fp = fopen(fn, "w");
	int err = 0;
	char name[256];
	if (!fp) { perror(fn); return -1; }
	for (int i = 0; i < g->n_fam && !err; ++i) {
		const pg_fam_t *f = &g->fam[i];
		snprintf(name, sizeof name, "%s len=%u terminal_repeat=%u", g->names[f->name], f->len, f->tr);
		err = pg_fasta_put(fp, name, f->seq, f->len) < 0;
	}
	return close_checked(fp, fn, err);
}

/* Bases covered by each class: union of intervals, so overlapping pieces
 * (a TE inside a segmental duplication) are not counted twice. */
void pg_measure(const pg_genome_t *g, uint64_t *len, uint64_t *gc, uint64_t cls_bases[PG_NCLS])
{
	*len = *gc = 0;
	for (int k = 0; k < PG_NCLS; ++k) cls_bases[k] = 0;
	for (int i = 0; i < g->n_chr; ++i) {
		const pg_chr_t *c = &g->chr[i];
		*len += c->n;
		for (uint64_t j = 0; j < c->n; ++j) *gc += c->s[j] == 'G' || c->s[j] == 'C';
		for (int k = 0; k < PG_NCLS; ++k) {
			uint64_t reach = 0;         /* features are sorted by start */
			for (size_t j = 0; j < c->nf; ++j) {
				const pg_feat_t *f = &c->f[j];
				if (f->cls != k || f->end <= reach) continue;
				cls_bases[k] += f->end - (f->beg > reach ? f->beg : reach);
				reach = f->end;
			}
		}
	}
}
