/* pg_build.c -- plan and build every chromosome, then the segmental
 * duplications. The plan fixes every inserted base before anything is built,
 * so the background is exactly what remains and the total length is exact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pg.h"

#define STREAM_CHR(i, k) (0x1000 + (uint64_t)(i) * 16 + (k))
#define STREAM_SD 0x5d

typedef struct { uint64_t len, src_pick, pos_pick; int dest; } sd_plan_t;

/* Chromosome lengths: equal shares times 0.8-1.2, summing exactly to len. */
static void chr_lengths(const pg_opt_t *o, uint64_t *len)
{
	pg_rng_t r;
	uint64_t w[o->n_chr], tot = 0, used = 0;
	pg_rng_seed(&r, o->seed, 0xc5);
	for (int i = 0; i < o->n_chr; ++i) tot += (w[i] = 800 + pg_rng_below(&r, 401));
	for (int i = 0; i < o->n_chr; ++i) {
		len[i] = i + 1 < o->n_chr ? (uint64_t)((unsigned __int128)o->len * w[i] / tot) : o->len - used;
		used += len[i];
	}
}

/* Divergence of a copy inserted in round k of R: the oldest round (0) gets
 * the top of [div_min, div_max], the youngest the bottom. */
static double round_div(const pg_opt_t *o, pg_rng_t *r, int k)
{
	double span = o->div_max - o->div_min;
	return o->div_min + span * ((double)(o->rounds - k) - pg_rng_unif(r)) / o->rounds;
}

/* Pick an insertion point: inside an existing TE piece with probability
 * nest (never at its edges, so it really splits it), else anywhere. */
static uint64_t pick_pos(const pg_chr_t *c, const pg_opt_t *o, pg_rng_t *r,
                         const size_t *te, size_t n_te)
{
	if (n_te > 0 && pg_rng_unif(r) < o->nest) {
		const pg_feat_t *f = &c->f[te[pg_rng_below(r, n_te)]];
		if (f->end - f->beg >= 2) return f->beg + 1 + pg_rng_below(r, f->end - f->beg - 1);
	}
	return pg_rng_below(r, c->n + 1);
}

static void build_chr(pg_genome_t *g, const pg_opt_t *o, int ci, uint64_t len, uint64_t sd_bases)
{
	pg_chr_t *c = &g->chr[ci];
	pg_rng_t rte, rmi, rbg, rpos;
	pg_rng_seed(&rte, o->seed, STREAM_CHR(ci, 1));
	pg_rng_seed(&rmi, o->seed, STREAM_CHR(ci, 2));
	pg_rng_seed(&rbg, o->seed, STREAM_CHR(ci, 3));
	pg_rng_seed(&rpos, o->seed, STREAM_CHR(ci, 4));
	uint64_t te_t = (uint64_t)(o->te_frac * (double)len + 0.5);
	uint64_t mi_t = (uint64_t)(o->micro_frac * (double)len + 0.5);

	char *pool = NULL;
	uint64_t pn = 0, pm = 0;
	pg_ins_t *ev = NULL;
	size_t ne = 0, me = 0;
	pg_feat_t *bf = NULL;
	size_t nb = 0, mb = 0;
	for (int pass = 0; pass < 3; ++pass) {  /* TE copies, microsatellites, satellites */
		uint64_t target = pass == 0 ? te_t : pass == 1 ? mi_t / 2 : mi_t - mi_t / 2, got = 0;
		while (got < target) {
			pg_feat_t f;
			int k = (int)pg_rng_below(pass == 0 ? &rte : &rmi, (uint64_t)o->rounds);
			uint64_t off = pn, n;
			if (pass == 0) n = pg_te_copy(g, o, &rte, round_div(o, &rte, k), &pool, &pn, &pm, &f);
			else n = pg_micro_copy(g, o, &rmi, pass == 2, len / 50, &pool, &pn, &pm, &f);
			if (got + n > target) n = target - got, f.end = n, pn = off + n; /* exact total */
			got += n;
			if (ne == me) me = me ? me * 2 : 256, ev = pg_realloc(ev, me * sizeof(pg_ins_t));
			ev[ne] = (pg_ins_t){ 0, off, n, nb, 1, (uint32_t)ne, k };
			++ne;
			pg_feat_push(&bf, &nb, &mb, &f);
		}
	}
	c->n = len - te_t - mi_t - sd_bases;
	c->s = pg_malloc(c->n);
	pg_rand_seq(&rbg, o->gc, c->s, c->n);

	/* one batch per round, oldest first; positions are drawn against the
	 * chromosome as it is at that round, so younger copies nest in older */
	pg_ins_t *batch = pg_malloc((ne ? ne : 1) * sizeof(pg_ins_t));
	size_t *te = NULL;
	for (int k = 0; k < o->rounds; ++k) {
		size_t nbat = 0, n_te = 0;
		te = pg_realloc(te, (c->nf ? c->nf : 1) * sizeof(size_t));
		for (size_t j = 0; j < c->nf; ++j)
			if (c->f[j].cls == PG_TE) te[n_te++] = j;
		for (size_t i = 0; i < ne; ++i) {
			if (ev[i].round != k) continue;
			batch[nbat] = ev[i];
			batch[nbat++].pos = pick_pos(c, o, &rpos, te, n_te);
		}
		pg_insert_batch(c, batch, nbat, pool, bf);
	}
	free(te), free(batch), free(ev), free(bf), free(pool);
}

/* Copy a region with its annotations to a random place (maybe reversed,
 * with substitutions only, so annotation coordinates stay exact). */
static void segdup(pg_genome_t *g, const pg_opt_t *o, pg_rng_t *r, const sd_plan_t *p, int id)
{
	int si = 0, cands = 0;
	for (int i = 0; i < g->n_chr; ++i) cands += g->chr[i].n > p->len;
	if (cands == 0) return;
	for (int i = 0, k = (int)(p->src_pick % (uint64_t)cands); i < g->n_chr; ++i)
		if (g->chr[i].n > p->len && k-- == 0) { si = i; break; }
	pg_chr_t *sc = &g->chr[si], *dc = &g->chr[p->dest];
	uint64_t sb = pg_rng_below(r, sc->n - p->len + 1), se = sb + p->len, n;
	int rev = (int)(pg_rng_next(r) >> 63);
	double d = o->sd_div * pg_rng_unif(r);
	char *pool = pg_malloc(2 * p->len + 8), name[32];
	uint64_t ev = pg_mutate(r, sc->s + sb, p->len, d, o->gc, 0, pool, &n);
	if (rev) pg_revcomp(pool, n);
	snprintf(name, sizeof name, "SD%d", id);
	uint32_t nm = pg_name_add(g, name), cp = g->next_copy++;

	pg_feat_t *bf = NULL, sf = { sb, se, cp, nm, -1, 0, (uint32_t)p->len, 0.0f, PG_SEGDUP, '+', 'S' };
	size_t nb = 0, mb = 0;
	pg_feat_t df = sf;
	df.beg = 0, df.end = n, df.kind = 'D', df.strand = rev ? '-' : '+';
	df.div = (float)((double)ev / (double)p->len);
	pg_feat_push(&bf, &nb, &mb, &df);
	for (size_t j = 0; j < sc->nf; ++j) {     /* annotations of the source */
		pg_feat_t f = sc->f[j];
		if (f.cls == PG_SEGDUP || f.end <= sb || f.beg >= se) continue;
		f.beg = (f.beg > sb ? f.beg : sb) - sb, f.end = (f.end < se ? f.end : se) - sb;
		if (rev) {
			uint64_t b = p->len - f.end;
			f.end = p->len - f.beg, f.beg = b;
			f.strand = f.strand == '+' ? '-' : '+';
		}
		pg_feat_push(&bf, &nb, &mb, &f);
	}
	pg_feat_push(&sc->f, &sc->nf, &sc->mf, &sf);
	pg_sort_feats(sc);
	pg_ins_t ins = { p->pos_pick % (dc->n + 1), 0, n, 0, nb, 0, 0 };
	pg_insert_batch(dc, &ins, 1, pool, bf);
	free(bf), free(pool);
}

int pg_build(pg_genome_t *g, const pg_opt_t *o)
{
	uint64_t len[o->n_chr], sd_bases[o->n_chr];
	sd_plan_t sd[o->n_segdup > 0 ? o->n_segdup : 1];
	pg_rng_t rsd;
	char name[256];

	chr_lengths(o, len);
	pg_make_library(g, o);
	pg_rng_seed(&rsd, o->seed, STREAM_SD);
	memset(sd_bases, 0, sizeof sd_bases);
	for (int j = 0; j < o->n_segdup; ++j) {
		sd[j].len = pg_rng_range(&rsd, o->sd_min, o->sd_max);
		sd[j].dest = (int)pg_rng_below(&rsd, (uint64_t)o->n_chr);
		sd[j].src_pick = pg_rng_next(&rsd), sd[j].pos_pick = pg_rng_next(&rsd);
		sd_bases[sd[j].dest] += sd[j].len;
	}
	for (int j = 0; j < o->n_segdup; ++j) {
		int fits = 0;     /* a source must exist before any duplication is added */
		for (int i = 0; i < o->n_chr; ++i) fits |= len[i] - sd_bases[i] > sd[j].len;
		if (!fits) {
			fprintf(stderr, "palmgen: segmental duplication of %llu bp is longer than every "
			        "chromosome: lower --segdup-len\n", (unsigned long long)sd[j].len);
			return -1;
		}
	}
	g->n_chr = o->n_chr;
	g->chr = calloc((size_t)o->n_chr, sizeof(pg_chr_t));
	if (!g->chr) return -1;
	for (int i = 0; i < o->n_chr; ++i) {
		uint64_t te = (uint64_t)(o->te_frac * (double)len[i] + 0.5);
		uint64_t mi = (uint64_t)(o->micro_frac * (double)len[i] + 0.5);
		if (te + mi + sd_bases[i] + 1000 > len[i]) {
			fprintf(stderr, "palmgen: chromosome %d (%llu bp) cannot hold %llu bp of repeats "
			        "and duplications: lower --te-frac/--micro-frac/--segdup or raise --length\n",
			        i + 1, (unsigned long long)len[i],
			        (unsigned long long)(te + mi + sd_bases[i]));
			return -1;
		}
		snprintf(name, sizeof name, "%s%d", o->prefix, i + 1);
		g->chr[i].name = pg_strdup(name);
		build_chr(g, o, i, len[i], sd_bases[i]);
	}
	for (int j = 0; j < o->n_segdup; ++j) segdup(g, o, &rsd, &sd[j], j + 1);
	return 0;
}
