/* compact.c -- fragments from a rank's solid k-mers (dy_compact_run, dy_kern.h).
 *
 * Each solid k-mer is a node of chain.c with its canonical left and right
 * sides.  Side s of x is linked to side t of y when x has exactly one solid
 * edge on s, it leads to y (facing side t), y is owned by this rank and
 * solid, y has exactly one solid edge on t, and y != x.  Both k-mers apply
 * the same rule, and the two ends of an edge hold the same count, so links
 * are symmetric; chain.c drops any that are not (inconsistent counters).
 * Every chain becomes one fragment record; every cycle a circular one.
 *
 * Most of a table's k-mers are sequencing errors below the threshold, so
 * the graph is built over the solid k-mers only, numbered densely in slot
 * order: a bitmap of solid slots with a prefix count per 64-bit word maps a
 * slot to its number.  Memory: a quarter of a byte per slot, and per solid
 * k-mer 8 (slot) + 16 (links) + 2 (ends) bytes, plus chain.c's 33 while it
 * runs. */
#include <stdlib.h>
#include <string.h>
#ifdef _OPENMP
#include <omp.h>
#endif
#include "dy_kern.h"
#include "chain.h"

#define FRAG_HDR 16   /* u32 n, u8 flags, u8 left, u8 right, u8 pad, u64 cov */

/* below this many items a team of threads costs more than the work */
#define PAR_MIN 1024

typedef struct {
	const dy_ht_t *h;
	const dy_kmer_opt_t *o;
	uint32_t t;            /* solid threshold, >= 1 */
	int k, n_ranks, rank;
	uint64_t *bits;        /* bit j of word w: slot 64w+j is solid */
	uint64_t *rank0;       /* solid slots before word w */
	uint64_t *slot;        /* slot of each solid k-mer, by number */
	uint64_t n_solid;
} ctx_t;

static int is_solid(const ctx_t *c, size_t j)
{
	uint32_t cnt;
	return dy_ht_slot(c->h, j, NULL, &cnt, NULL) && cnt >= c->t;
}

/* Number of the solid k-mer in slot j, or -1 if slot j is not solid. */
static int64_t number_of(const ctx_t *c, uint64_t j)
{
	uint64_t w = c->bits[j >> 6], below = w & ((1ULL << (j & 63)) - 1);
	if (!(w >> (j & 63) & 1)) return -1;
	return (int64_t)(c->rank0[j >> 6] + (uint64_t)__builtin_popcountll(below));
}

/* Fill bits, rank0, slot and n_solid.  DY_OK or DY_ENOMEM. */
static int number_solid(ctx_t *c, int n_threads)
{
	uint64_t cap = dy_ht_capacity(c->h), nw = (cap + 63) >> 6, w, tot = 0;
	int64_t iw;
	c->bits = (uint64_t *)calloc(nw + 1, sizeof *c->bits);
	c->rank0 = (uint64_t *)malloc((nw + 1) * sizeof *c->rank0);
	if (c->bits == NULL || c->rank0 == NULL) return DY_ENOMEM;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (cap >= PAR_MIN)
	for (iw = 0; iw < (int64_t)nw; ++iw) {
		uint64_t j, m = 0;
		for (j = (uint64_t)iw << 6; j < cap && j < ((uint64_t)iw + 1) << 6; ++j)
			if (is_solid(c, j)) m |= 1ULL << (j & 63);
		c->bits[iw] = m;
	}
	for (w = 0; w < nw; ++w) c->rank0[w] = tot, tot += (uint64_t)__builtin_popcountll(c->bits[w]);
	c->rank0[nw] = c->n_solid = tot;
	if ((c->slot = (uint64_t *)malloc((tot + 1) * sizeof *c->slot)) == NULL) return DY_ENOMEM;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (cap >= PAR_MIN)
	for (iw = 0; iw < (int64_t)nw; ++iw) {
		uint64_t m = c->bits[iw], r = c->rank0[iw];
		for (; m; m &= m - 1) c->slot[r++] = ((uint64_t)iw << 6) + (uint64_t)__builtin_ctzll(m);
	}
	return DY_OK;
}

/* Number of solid edges of side s, capped at 2; *ext = the base of the
 * last one found (the only one when the degree is 1). */
static int side_degree(uint32_t edges, int s, uint32_t t, int *ext)
{
	int b, d = 0;
	for (b = 0; b < 4; ++b)
		if (dy_edge_solid(edges, s, b, t)) ++d, *ext = b;
	return d < 2 ? d : 2;
}

/* The k-mer across side s of canonical x via base b, canonical, and the
 * side of it that faces x. */
static dy_kmer_t neighbour(dy_kmer_t x, int k, int s, int b, int *facing)
{
	dy_kmer_t y, c;
	if (s) y = ((x << 2) | (dy_kmer_t)b) & dy_kmer_mask(k);   /* x.b: enter y on its left */
	else y = ((dy_kmer_t)b << (2 * (k - 1))) | (x >> 2);     /* b.x: enter y on its right */
	c = dy_kmer_canon(y, k);
	*facing = (s ? 0 : 1) ^ (c != y);
	return c;
}

/* Side id of y linked to side s of x (degree 1 there, via base b), or -1. */
static int64_t link_side(const ctx_t *c, dy_kmer_t x, int s, int b)
{
	uint32_t cnt, edges;
	int t, ext;
	int64_t j;
	dy_kmer_t y = neighbour(x, c->k, s, b, &t);
	if (y == x) return -1; /* a step from a k-mer to itself is not taken */
	/* a rank's table holds only the k-mers it owns (they were counted at
	 * their owner), so a k-mer found here is this rank's: no owner check */
	if ((j = dy_ht_find(c->h, y)) < 0) return -1;
	if (!dy_ht_slot(c->h, (size_t)j, NULL, &cnt, &edges) || cnt < c->t) return -1;
	if (side_degree(edges, t, c->t, &ext) != 1) return -1;
	return 2 * number_of(c, (uint64_t)j) + t;
}

/* End bytes (degree << 2 | ext) and links of every solid k-mer. */
static void find_links(const ctx_t *c, uint8_t *eb, int64_t *link, int n_threads)
{
	int64_t i, n = (int64_t)c->n_solid;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) if (n >= PAR_MIN)
	for (i = 0; i < n; ++i) {
		dy_kmer_t x;
		uint32_t edges;
		int s;
		dy_ht_slot(c->h, c->slot[i], &x, NULL, &edges);
		for (s = 0; s < 2; ++s) {
			int ext = 0, d = side_degree(edges, s, c->t, &ext);
			eb[2 * i + s] = (uint8_t)(d << 2 | (d == 1 ? ext : 0));
			link[2 * i + s] = d == 1 ? link_side(c, x, s, ext) : -1;
		}
	}
}

/* The end byte e of a canonical side as the fragment sees it: where the
 * fragment reads the end k-mer reversed (orient 1), the base beyond it is
 * complemented. */
static uint8_t end_byte(uint8_t e, int orient)
{
	return orient && (e >> 2) == 1 ? (uint8_t)((e & ~3u) | (3 - (e & 3))) : e;
}

/* Append the record of one chain (m entries) to b. */
static int write_frag(const ctx_t *c, const uint8_t *eb, const uint64_t *ent, uint64_t m,
                      int circ, dy_buf_t *b)
{
	uint64_t n = m + c->k - 1, i, cov = 0, pk = (n + 3) >> 2;
	uint8_t *p, *q;
	int ret, j;
	if (n > UINT32_MAX) return DY_ELIMIT;
	if ((ret = dy_buf_reserve(b, FRAG_HDR + pk)) < 0) return ret;
	p = b->a + b->n, q = p + FRAG_HDR;
	memset(p, 0, FRAG_HDR + pk);
	for (i = 0; i < m; ++i) {
		uint32_t cnt;
		dy_kmer_t x;
		dy_ht_slot(c->h, c->slot[DY_CHAIN_NODE(ent[i])], &x, &cnt, NULL);
		if (DY_CHAIN_ORIENT(ent[i])) x = dy_kmer_rc(x, c->k);
		cov += cnt;
		for (j = i ? c->k - 1 : 0; j < c->k; ++j) { /* the first k-mer whole, then last bases */
			uint64_t pos = i + (uint64_t)j;
			q[pos >> 2] |= (uint8_t)(dy_kmer_base(x, c->k, j) << ((pos & 3) << 1));
		}
	}
	for (j = 0; j < 4; ++j) p[j] = (uint8_t)(n >> (8 * j));
	for (j = 0; j < 8; ++j) p[8 + j] = (uint8_t)(cov >> (8 * j));
	p[4] = (uint8_t)circ;
	if (!circ) { /* left end leaves by the side it was entered; right by the other */
		uint64_t f = ent[0], l = ent[m - 1];
		p[5] = end_byte(eb[f], DY_CHAIN_ORIENT(f));
		p[6] = end_byte(eb[l ^ 1], DY_CHAIN_ORIENT(l));
	}
	b->n += FRAG_HDR + pk;
	return DY_OK;
}

/* Pass 2: one record per chain; contiguous blocks of chains per thread,
 * concatenated in thread order, so the output is in chain order. */
static int write_all(const ctx_t *c, const uint8_t *eb, const dy_chain_t *ch,
                     dy_buf_t *out, int n_threads)
{
	dy_buf_t *tb = (dy_buf_t *)calloc((size_t)n_threads, sizeof *tb);
	int ret = DY_OK, t;
	if (tb == NULL) return DY_ENOMEM;
#pragma omp parallel num_threads(n_threads) if (ch->off[ch->n] >= PAR_MIN)
	{
		int64_t i, tid = 0;
#ifdef _OPENMP
		tid = omp_get_thread_num();
#endif
#pragma omp for schedule(static)
		for (i = 0; i < (int64_t)ch->n; ++i) {
			int r = write_frag(c, eb, ch->ent + ch->off[i], ch->off[i + 1] - ch->off[i],
			                   i >= (int64_t)(ch->n - ch->n_cycles), &tb[tid]);
			if (r < 0) {
#pragma omp atomic write
				ret = r;
			}
		}
	}
	for (t = 0; t < n_threads; ++t) {
		if (ret == DY_OK) ret = dy_buf_push(out, tb[t].a, tb[t].n);
		dy_buf_free(&tb[t]);
	}
	free(tb);
	return ret;
}

int dy_compact_run(const dy_ht_t *h, const dy_kmer_opt_t *o, uint32_t min_count,
                   int n_ranks, int rank, int n_threads,
                   dy_buf_t *out, dy_compact_stats_t *st)
{
	ctx_t c;
	size_t out_n0 = out->n;
	int64_t *link = NULL;
	uint8_t *eb = NULL;
	dy_chain_t ch;
	int ret;

	memset(&ch, 0, sizeof ch), memset(&c, 0, sizeof c);
	c.h = h, c.o = o, c.t = min_count ? min_count : 1, c.k = dy_ht_k(h);
	c.n_ranks = n_ranks, c.rank = rank;
	if (o->k != c.k || n_ranks < 1 || rank < 0 || rank >= n_ranks) return DY_EARG;
	if (n_ranks > 1 && (o->m < 1 || o->m > o->k || o->m > 31)) return DY_EARG;
	if (n_threads < 1) n_threads = 1;
	if ((ret = number_solid(&c, n_threads)) < 0) goto fail;
	ret = DY_ENOMEM;
	link = (int64_t *)malloc((2 * c.n_solid + 1) * sizeof *link);
	eb = (uint8_t *)malloc(2 * c.n_solid + 1);
	if (link == NULL || eb == NULL) goto fail;
	find_links(&c, eb, link, n_threads);
	free(c.bits), free(c.rank0), c.bits = c.rank0 = NULL; /* numbers are not needed now */
	if ((ret = dy_chain_run(link, NULL, c.n_solid, n_threads, &ch)) < 0) goto fail;
	free(link), link = NULL;
	if ((ret = write_all(&c, eb, &ch, out, n_threads)) < 0) goto fail;
	if (st) st->n_solid = c.n_solid, st->n_frag = ch.n, st->n_circular = ch.n_cycles;
fail:
	if (ret < 0) out->n = out_n0; /* no half-written records */
	free(link), free(eb), free(c.bits), free(c.rank0), free(c.slot);
	dy_chain_free(&ch);
	return ret;
}
