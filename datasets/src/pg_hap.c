/* pg_hap.c -- the second haplotype: haplotype 1 plus SNPs and small indels
 * at the requested heterozygosity, and a truth table of every difference.
 *
 * Truth table (TSV, 1-based positions):
 *   chrom pos hap2_chrom hap2_pos type ref alt
 * SNP: ref/alt are single bases at pos (hap1) and hap2_pos (hap2).
 * DEL: bases pos..pos+len-1 of hap1 are absent; alt is "-"; hap2_pos is the
 *      hap2 position of the base that follows the deletion.
 * INS: alt is inserted just before hap1 base pos; ref is "-"; hap2_pos is the
 *      first inserted base.
 * Sites are at least one base apart, so applying the table to haplotype 1
 * reproduces haplotype 2 exactly (tests/datasets checks this). */
#include <stdio.h>
#include <stdlib.h>
#include "pg.h"

#define STREAM_HAP 0x4a9

int pg_hap2(const pg_genome_t *g, const pg_opt_t *o, const char *fa, const char *tsv,
            uint64_t *n_snp, uint64_t *n_indel)
{
	FILE *ff = fopen(fa, "w"), *ft = fopen(tsv, "w");
	pg_rng_t r;
	int ret = -1;
	char name[300];
	/* gaps uniform in [1, 2/het - 1]: mean 1/het, and no libm involved */
	uint64_t span = (uint64_t)(2.0 / o->het + 0.5);
	if (span < 3) span = 3;
	*n_snp = *n_indel = 0;
	if (!ff || !ft) { perror(!ff ? fa : tsv); goto fail; }
	pg_rng_seed(&r, o->seed, STREAM_HAP);
	fprintf(ft, "chrom\tpos\thap2_chrom\thap2_pos\ttype\tref\talt\n");
	for (int ci = 0; ci < g->n_chr; ++ci) {
		const pg_chr_t *c = &g->chr[ci];
		char *h = pg_malloc(c->n * 2 + 64);
		uint64_t i = 0, o2 = 0, next = pg_rng_range(&r, 1, span - 1) - 1;
		snprintf(name, sizeof name, "%s_h2", c->name);
		while (i < c->n) {
			if (i < next) { h[o2++] = c->s[i++]; continue; }
			uint64_t l = pg_rng_unif(&r) < 0.5 ? 1 : 1 + pg_rng_below(&r, 6);
			int indel = pg_rng_unif(&r) < o->indel_frac;
			if (indel && (pg_rng_next(&r) >> 63) && i + l < c->n) {   /* deletion */
				fprintf(ft, "%s\t%llu\t%s\t%llu\tDEL\t%.*s\t-\n", c->name,
				        (unsigned long long)i + 1, name, (unsigned long long)o2 + 1,
				        (int)l, c->s + i);
				i += l, ++*n_indel;
			} else if (indel) {                                       /* insertion */
				fprintf(ft, "%s\t%llu\t%s\t%llu\tINS\t-\t", c->name,
				        (unsigned long long)i + 1, name, (unsigned long long)o2 + 1);
				for (uint64_t k = 0; k < l; ++k) fputc(h[o2++] = pg_base(&r, o->gc), ft);
				fputc('\n', ft);
				h[o2++] = c->s[i++], ++*n_indel;
			} else {                                                  /* SNP */
				static const char *other[4] = { "CGT", "AGT", "ACT", "ACG" };
				char b = c->s[i];
				int k = b == 'A' ? 0 : b == 'C' ? 1 : b == 'G' ? 2 : 3;
				h[o2] = other[k][pg_rng_below(&r, 3)];
				fprintf(ft, "%s\t%llu\t%s\t%llu\tSNP\t%c\t%c\n", c->name,
				        (unsigned long long)i + 1, name, (unsigned long long)o2 + 1, b, h[o2]);
				++o2, ++i, ++*n_snp;
			}
			/* the next site starts at least one unchanged base later */
			next = i + pg_rng_range(&r, 1, span - 1);
		}
		int e = pg_fasta_put(ff, name, h, o2);
		free(h);
		if (e < 0) goto fail;
	}
	ret = 0;
fail:
	if (ff && fclose(ff) != 0) ret = -1;
	if (ft && fclose(ft) != 0) ret = -1;
	return ret;
}
