/* pg_repeats.c -- the TE family library and the copies drawn from it, plus
 * microsatellites and satellite (tandem) arrays. */
#include <stdio.h>
#include <string.h>
#include "pg.h"

#define STREAM_LIB 0x11b

/* Family types in library order: the most abundant families come first and,
 * as in palm genomes, they are LTR retrotransposons (Copia/Gypsy). */
static char fam_type(int i, const pg_opt_t *o)
{
	int n_ltr = (int)(o->ltr_frac * o->n_fam + 0.5);
	int n_plain = (int)(o->plain_frac * o->n_fam + 0.5);
	if (i < n_ltr) return 'L';
	if (i < n_ltr + n_plain) return 'R';
	return (i - n_ltr - n_plain) % 2 == 0 ? 'T' : 'N';
}

void pg_make_library(pg_genome_t *g, const pg_opt_t *o)
{
	pg_rng_t r;
	pg_rng_seed(&r, o->seed, STREAM_LIB);
	g->n_fam = o->n_fam;
	g->fam = pg_malloc((size_t)(o->n_fam ? o->n_fam : 1) * sizeof(pg_fam_t));
	for (int i = 0; i < o->n_fam; ++i) {
		pg_fam_t *f = &g->fam[i];
		/* lengths skewed towards short families: min + span * u^2 */
		double u = pg_rng_unif(&r);
		uint32_t len = o->fam_min + (uint32_t)((o->fam_max - o->fam_min) * u * u);
		f->type = fam_type(i, o);
		f->len = len;
		f->seq = pg_malloc(len);
		pg_rand_seq(&r, o->gc, f->seq, len);
		f->tr = 0;
		if (f->type == 'L') {          /* LTR: 10-20% of the element, each end */
			f->tr = len / 10 + (uint32_t)pg_rng_below(&r, len / 10 + 1);
			if (f->tr < 100) f->tr = 100 < len / 3 ? 100 : len / 3;
			memcpy(f->seq + len - f->tr, f->seq, f->tr);
		} else if (f->type == 'T') {   /* terminal inverted repeats, 20-200 bp */
			f->tr = 20 + (uint32_t)pg_rng_below(&r, 181);
			if (f->tr > len / 3) f->tr = len / 3;
			memcpy(f->seq + len - f->tr, f->seq, f->tr);
			pg_revcomp(f->seq + len - f->tr, f->tr);
		} else if (f->type == 'N') {   /* LINE: poly-A tail of 10-30 bp */
			f->tr = 10 + (uint32_t)pg_rng_below(&r, 21);
			if (f->tr > len / 3) f->tr = len / 3;
			memset(f->seq + len - f->tr, 'A', f->tr);
		}
		static const char *tn[] = { "LTR", "TIR", "LINE", "REP" };
		char name[64];
		snprintf(name, sizeof name, "fam%03d_%s", i + 1,
		         tn[f->type == 'L' ? 0 : f->type == 'T' ? 1 : f->type == 'N' ? 2 : 3]);
		f->name = pg_name_add(g, name);
	}
}

static void pool_reserve(char **pool, uint64_t *pm, uint64_t need)
{
	if (need <= *pm) return;
	while (*pm < need) *pm = *pm ? *pm * 2 : 1 << 20;
	*pool = pg_realloc(*pool, *pm);
}

/* Family chosen with weight 1/(i+1): a few families dominate, as in plants. */
static int pick_family(pg_rng_t *r, int n)
{
	double tot = 0.0, x;
	for (int i = 0; i < n; ++i) tot += 1.0 / (i + 1);
	x = pg_rng_unif(r) * tot;
	for (int i = 0; i < n; ++i)
		if ((x -= 1.0 / (i + 1)) < 0.0) return i;
	return n - 1;
}

uint64_t pg_te_copy(pg_genome_t *g, const pg_opt_t *o, pg_rng_t *r, double d,
                    char **pool, uint64_t *pn, uint64_t *pm, pg_feat_t *f)
{
	int fi = pick_family(r, g->n_fam);
	const pg_fam_t *fa = &g->fam[fi];
	uint32_t cb = 0, ce = fa->len;
	char kind = 'F';
	if (pg_rng_unif(r) < o->frag) {
		uint32_t l = fa->len / 10 + (uint32_t)pg_rng_below(r, fa->len * 8 / 10 + 1);
		if (l < 50) l = fa->len < 50 ? fa->len : 50;
		kind = 'f';
		if (fa->type == 'L' && pg_rng_below(r, 3) == 0) {
			ce = fa->tr, kind = 's';      /* solo LTR left by LTR-LTR recombination */
		} else if (fa->type == 'N') {
			cb = fa->len - l;             /* LINEs are 5'-truncated */
		} else {
			cb = (uint32_t)pg_rng_below(r, fa->len - l + 1), ce = cb + l;
		}
	}
	pool_reserve(pool, pm, *pn + 2 * (uint64_t)(ce - cb) + 8);
	char *out = *pool + *pn;
	uint64_t n, ev = pg_mutate(r, fa->seq + cb, ce - cb, d, o->gc, 1, out, &n);
	if (n == 0) out[0] = fa->seq[cb], n = 1;
	f->strand = '+';
	if (pg_rng_next(r) >> 63) pg_revcomp(out, n), f->strand = '-';
	*pn += n;
	f->beg = 0, f->end = n, f->cls = PG_TE, f->kind = kind, f->name = fa->name;
	f->copy = g->next_copy++, f->host = -1, f->cbeg = cb, f->cend = ce;
	f->div = (float)((double)ev / (double)(ce - cb));
	return n;
}

/* A microsatellite (unit 1-6 bp, 15-300 bp) or a satellite array (unit
 * 20-400 bp, up to 20 kb and at most `cap`), each unit copy mutated a little. */
uint64_t pg_micro_copy(pg_genome_t *g, const pg_opt_t *o, pg_rng_t *r, int sat, uint64_t cap,
                       char **pool, uint64_t *pn, uint64_t *pm, pg_feat_t *f)
{
	uint32_t ul = sat ? 20 + (uint32_t)pg_rng_below(r, 381) : 1 + (uint32_t)pg_rng_below(r, 6);
	uint64_t tot = sat ? ul * 2 + pg_rng_below(r, 20000) : 15 + pg_rng_below(r, 286);
	double d = sat ? 0.01 + 0.04 * pg_rng_unif(r) : 0.02;
	if (cap < ul * 2) cap = ul * 2;
	if (tot > cap) tot = cap;
	char unit[400], name[64];
	pg_rand_seq(r, o->gc, unit, ul);
	pool_reserve(pool, pm, *pn + 2 * tot + ul * 2 + 16);
	uint64_t o0 = *pn, ev = 0, src = 0;
	while (*pn - o0 < tot) {
		uint64_t n;
		ev += pg_mutate(r, unit, ul, d, o->gc, 1, *pool + *pn, &n);
		*pn += n, src += ul;
	}
	*pn = o0 + tot;                      /* trim the last unit to the exact length */
	if (sat) snprintf(name, sizeof name, "sat%u", ul);
	else snprintf(name, sizeof name, "(%.*s)n", (int)ul, unit);
	f->beg = 0, f->end = tot, f->cls = sat ? PG_TANDEM : PG_MICRO, f->kind = 'F';
	f->name = pg_name_add(g, name), f->copy = g->next_copy++, f->host = -1;
	f->cbeg = 0, f->cend = ul, f->strand = '+';
	f->div = (float)((double)ev / (double)src);
	return tot;
}
