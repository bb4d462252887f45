/* pg_chrom.c -- insert a batch of sequences into a chromosome and carry its
 * annotations along: a feature with an insertion strictly inside it is split
 * into pieces (this is how nested TEs arise), every piece keeps its copy id. */
#include <stdlib.h>
#include <string.h>
#include "pg.h"

static int cmp_ins(const void *a, const void *b)
{
	const pg_ins_t *x = a, *y = b;
	if (x->pos != y->pos) return x->pos < y->pos ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int cmp_feat(const void *a, const void *b)
{
	const pg_feat_t *x = a, *y = b;
	if (x->beg != y->beg) return x->beg < y->beg ? -1 : 1;
	if (x->end != y->end) return x->end < y->end ? -1 : 1;
	if (x->cls != y->cls) return x->cls - y->cls;
	return x->copy < y->copy ? -1 : x->copy > y->copy;
}

void pg_sort_feats(pg_chr_t *c)
{
	qsort(c->f, c->nf, sizeof(pg_feat_t), cmp_feat);
}

/* Number of events with pos <= x (events sorted by pos). */
static size_t upper(const pg_ins_t *ev, size_t n, uint64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ev[mid].pos <= x) lo = mid + 1; else hi = mid;
	}
	return lo;
}

void pg_insert_batch(pg_chr_t *c, pg_ins_t *ev, size_t n, const char *pool,
                     const pg_feat_t *bf)
{
	if (n == 0) return;
	qsort(ev, n, sizeof(pg_ins_t), cmp_ins);
	/* pre[i]: bases inserted by events 0..i-1, i.e. the shift of event i */
	uint64_t *pre = pg_malloc((n + 1) * sizeof(uint64_t));
	int32_t *host = pg_malloc(n * sizeof(int32_t));
	pre[0] = 0;
	for (size_t i = 0; i < n; ++i) pre[i + 1] = pre[i] + ev[i].len, host[i] = -1;

	char *s = pg_malloc(c->n + pre[n]);
	uint64_t from = 0, o = 0;
	for (size_t i = 0; i < n; ++i) {
		memcpy(s + o, c->s + from, ev[i].pos - from), o += ev[i].pos - from, from = ev[i].pos;
		memcpy(s + o, pool + ev[i].off, ev[i].len), o += ev[i].len;
	}
	memcpy(s + o, c->s + from, c->n - from);
	free(c->s);
	c->s = s, c->n += pre[n];

	/* move old features, splitting those that receive an insertion */
	pg_feat_t *nf = NULL;
	size_t nn = 0, mn = 0;
	for (size_t j = 0; j < c->nf; ++j) {
		pg_feat_t f = c->f[j];
		uint64_t b = f.beg, e = f.end;
		size_t k = upper(ev, n, b);
		while (k < n && ev[k].pos < e) {
			uint64_t cut = ev[k].pos;
			pg_feat_t p = f;
			p.beg = b + pre[k], p.end = cut + pre[k];
			pg_feat_push(&nf, &nn, &mn, &p);
			size_t k2 = upper(ev, n, cut);
			if (f.cls == PG_TE)
				for (size_t t = k; t < k2; ++t) host[t] = (int32_t)f.copy;
			b = cut, k = k2;
		}
		f.beg = b + pre[k], f.end = e + pre[k];
		pg_feat_push(&nf, &nn, &mn, &f);
	}
	/* features of the inserted blocks */
	for (size_t i = 0; i < n; ++i) {
		uint64_t base = ev[i].pos + pre[i];
		for (size_t t = 0; t < ev[i].nf; ++t) {
			pg_feat_t f = bf[ev[i].f0 + t];
			f.beg += base, f.end += base;
			if (f.cls != PG_SEGDUP && f.host < 0) f.host = host[i];
			pg_feat_push(&nf, &nn, &mn, &f);
		}
	}
	free(c->f);
	c->f = nf, c->nf = nn, c->mf = mn;
	pg_sort_feats(c);
	free(pre);
	free(host);
}
