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
 * order.  One pass over the table (a bitmap of solid slots, then one read
 * of each solid slot) copies every solid k-mer's key, count and edges into
 * a dense record array; after it the table is not read again.  Neighbours
 * are looked up in a small open-addressing index over the solid k-mers
 * (key hash -> number, with hash bits as a tag), which needs no minimizer
 * (the table's partition) and touches a few bytes per k-mer, not a slot
 * of the whole table; lookups go in batches with their memory prefetched.
 * A rank's table holds only the k-mers it owns (they were counted at their
 * owner), so a neighbour found in the index is this rank's: no owner check.
 * Memory per solid k-mer: 16 (record; 24 above k = 31, 40 above 63) + 16 (links) + 2
 * (end masks), plus 8-16 for the index while links are found and chain.c's
 * share while it runs, plus a quarter of a byte per table slot at first. */
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
/* k-mers whose neighbour lookups are staged and prefetched together */
#define QB 64
/* k-mers prefetched ahead when a fragment's records are read */
#define AHEAD 16

typedef struct {
	const dy_ht_t *h;
	uint32_t t;            /* solid threshold, >= 1 */
	int k, W, S;           /* k, key words (1 up to k = 31, else 2), words per record */
	uint64_t n_solid;
	uint64_t *rec;         /* by number: W key words (low first), edges << 32 | count */
	uint64_t *idx;         /* icap entries: 0 empty, else tag | number + 1 */
	uint64_t icap;         /* index size, 1.5 n_solid + 16: at most 2/3 full */
	int nb;                /* bits of number + 1 in an entry */
} ctx_t;

/* A k-mer of W words (1, 2 or 4, low first) as a wide one. */
static inline dy_kmerw_t words_w(const uint64_t *p, int W)
{
	dy_kmerw_t x;
	x.lo = W == 1 ? (dy_kmer_t)p[0] : ((dy_kmer_t)p[1] << 64 | p[0]);
	x.hi = W == 4 ? ((dy_kmer_t)p[3] << 64 | p[2]) : 0;
	return x;
}

static inline void w_words(dy_kmerw_t x, uint64_t *p)
{
	p[0] = (uint64_t)x.lo, p[1] = (uint64_t)(x.lo >> 64), p[2] = (uint64_t)x.hi, p[3] = (uint64_t)(x.hi >> 64);
}

static inline __attribute__((always_inline)) uint64_t idx_hash(int W, const uint64_t *key)
{
	if (W == 1) return dy_hash64(key[0]);
	if (W == 2) return dy_kmer_hash(((dy_kmer_t)key[1] << 64) | key[0]);
	return dy_kmerw_hash(words_w(key, 4));
}

/* The hash bits an entry keeps beside the number (none if it needs all 64). */
static inline uint64_t idx_tag(const ctx_t *c, uint64_t hash)
{
	return c->nb < 64 ? hash << c->nb : 0;
}

/* fastrange: the hash scaled onto [0, icap) */
static inline uint64_t idx_home(const ctx_t *c, uint64_t hash)
{
	return (uint64_t)(((unsigned __int128)hash * c->icap) >> 64);
}

static inline uint64_t idx_num_mask(const ctx_t *c)
{
	return c->nb < 64 ? (1ULL << c->nb) - 1 : ~0ULL;
}

/* Copy the solid slots of word iw of the bitmap to records r, r+1, ... */
static void copy_word(ctx_t *c, uint64_t iw, uint64_t m, uint64_t r)
{
	for (; m; m &= m - 1, ++r) {
		uint64_t *p = c->rec + r * (uint64_t)c->S;
		dy_kmerw_t x;
		uint64_t w[4];
		uint32_t cnt, edges;
		dy_ht_slotw(c->h, (iw << 6) + (uint64_t)__builtin_ctzll(m), &x, &cnt, &edges);
		w_words(x, w);
		memcpy(p, w, (size_t)c->W * sizeof *p);
		p[c->W] = (uint64_t)edges << 32 | cnt;
	}
}

/* Number the solid slots in slot order and fill rec and n_solid.  DY_OK or
 * DY_ENOMEM. */
static int number_solid(ctx_t *c, int n_threads)
{
	uint64_t cap = dy_ht_capacity(c->h), nw = (cap + 63) >> 6, w, tot = 0;
	uint64_t *bits = (uint64_t *)calloc(nw + 1, sizeof *bits);
	uint64_t *rank0 = (uint64_t *)malloc((nw + 1) * sizeof *rank0);
	int64_t iw;
	int ret = DY_ENOMEM;
	if (bits == NULL || rank0 == NULL) goto end;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (cap >= PAR_MIN)
	for (iw = 0; iw < (int64_t)nw; ++iw) {
		uint64_t j, m = 0;
		uint32_t cnt;
		for (j = (uint64_t)iw << 6; j < cap && j < ((uint64_t)iw + 1) << 6; ++j)
			if (dy_ht_slot(c->h, j, NULL, &cnt, NULL) && cnt >= c->t) m |= 1ULL << (j & 63);
		bits[iw] = m;
	}
	for (w = 0; w < nw; ++w) rank0[w] = tot, tot += (uint64_t)__builtin_popcountll(bits[w]);
	c->n_solid = tot;
	if ((c->rec = (uint64_t *)malloc((tot + 1) * (uint64_t)c->S * sizeof *c->rec)) == NULL) goto end;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (cap >= PAR_MIN)
	for (iw = 0; iw < (int64_t)nw; ++iw) copy_word(c, (uint64_t)iw, bits[iw], rank0[iw]);
	ret = DY_OK;
end:
	free(bits), free(rank0);
	return ret;
}

/* Insert entry e at its home slot or the next free one; threads may insert
 * at the same time. */
static inline void idx_put(uint64_t *idx, uint64_t cap, uint64_t pos, uint64_t e)
{
	for (;; pos = pos + 1 == cap ? 0 : pos + 1) {
		uint64_t z = 0;
		if (__atomic_load_n(&idx[pos], __ATOMIC_RELAXED) == 0 &&
		    __atomic_compare_exchange_n(&idx[pos], &z, e, 0, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return;
	}
}

/* Build the index of every solid k-mer.  DY_OK or DY_ENOMEM. */
static int build_index(ctx_t *c, int n_threads)
{
	uint64_t n = c->n_solid;
	int64_t i0;
	c->icap = n + (n >> 1) + 16;
	c->nb = n ? 64 - __builtin_clzll(n) : 1;
	if ((c->idx = (uint64_t *)calloc(c->icap, sizeof *c->idx)) == NULL) return DY_ENOMEM;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) if (n >= PAR_MIN)
	for (i0 = 0; i0 < (int64_t)n; i0 += QB) {
		uint64_t hs[QB], i, e = (uint64_t)i0 + QB < n ? (uint64_t)i0 + QB : n;
		for (i = (uint64_t)i0; i < e; ++i) {
			const uint64_t *p = c->rec + i * c->S;
			hs[i - (uint64_t)i0] = c->W == 1 ? idx_hash(1, p) : c->W == 2 ? idx_hash(2, p) : idx_hash(4, p);
			__builtin_prefetch(c->idx + idx_home(c, hs[i - (uint64_t)i0]), 1);
		}
		for (i = (uint64_t)i0; i < e; ++i) {
			uint64_t hash = hs[i - (uint64_t)i0];
			idx_put(c->idx, c->icap, idx_home(c, hash), idx_tag(c, hash) | (i + 1));
		}
	}
	return DY_OK;
}

/* The solid edges of side s as a mask (bit b: base b); *ext = the base of
 * the last one found (the only one when the degree is 1). */
static inline unsigned side_mask(uint32_t edges, int s, uint32_t t, int *ext)
{
	unsigned b, m = 0;
	for (b = 0; b < 4; ++b)
		if (dy_edge_solid(edges, s, (int)b, t)) m |= 1u << b, *ext = (int)b;
	return m;
}

static inline int side_degree(uint32_t edges, int s, uint32_t t, int *ext)
{
	return __builtin_popcount(side_mask(edges, s, t, ext));
}

/* The k-mer across side s of canonical x via base b, canonical, and the
 * side of it that faces x; W = 1 keeps u64 arithmetic. */
static inline __attribute__((always_inline))
dy_kmer_t neighbour(int W, dy_kmer_t x, int k, int s, int b, int *facing)
{
	dy_kmer_t y, c;
	if (W == 1) {
		uint64_t x1 = (uint64_t)x, y1, r1;
		if (s) y1 = ((x1 << 2) | (uint64_t)b) & ((1ULL << (2 * k)) - 1);
		else y1 = ((uint64_t)b << (2 * (k - 1))) | (x1 >> 2);
		r1 = dy_rev2_64(~y1) >> (64 - 2 * k);
		*facing = (s ? 0 : 1) ^ (r1 < y1);
		return r1 < y1 ? r1 : y1;
	}
	if (s) y = ((x << 2) | (dy_kmer_t)b) & dy_kmer_mask(k);   /* x.b: enter y on its left */
	else y = ((dy_kmer_t)b << (2 * (k - 1))) | (x >> 2);     /* b.x: enter y on its right */
	c = dy_kmer_canon(y, k);
	*facing = (s ? 0 : 1) ^ (c != y);
	return c;
}

/* neighbour() for wide k-mers */
static inline dy_kmerw_t neighbour_w(dy_kmerw_t x, int k, int s, int b, int *facing)
{
	dy_kmerw_t y = s ? dy_kmerw_push(x, b, dy_kmerw_mask(k)) : dy_kmerw_prepend(x, b, k), c;
	c = dy_kmerw_canon(y, k);
	*facing = (s ? 0 : 1) ^ !dy_kmerw_eq(c, y);
	return c;
}

typedef struct {
	uint64_t key[4], hash, pos; /* neighbour key, its hash, probe position */
	int64_t side;               /* the side 2i+s that asks */
	int t;                      /* the side of the neighbour that faces it */
} query_t;

/* End bytes and links of the k-mers i0..i1 (at most QB of them): their
 * neighbour lookups staged, home slots prefetched, then the records of the
 * candidates found prefetched, then resolved. */
static inline __attribute__((always_inline))
void links_block(const ctx_t *c, int W, uint64_t i0, uint64_t i1, uint8_t *eb, int64_t *link)
{
	const int S = W + 1;
	const uint64_t cap = c->icap, nmask = idx_num_mask(c);
	query_t q[2 * QB];
	int nq = 0, j;
	uint64_t i;
	for (i = i0; i < i1; ++i) {
		const uint64_t *p = c->rec + i * S;
		dy_kmer_t x = W == 1 ? (dy_kmer_t)p[0] : ((dy_kmer_t)p[1] << 64 | p[0]);
		dy_kmerw_t xw = W == 4 ? words_w(p, 4) : (dy_kmerw_t){ 0, 0 };
		uint32_t edges = (uint32_t)(p[W] >> 32);
		int s;
		for (s = 0; s < 2; ++s) {
			int ext = 0, t;
			unsigned msk = side_mask(edges, s, c->t, &ext);
			int d = __builtin_popcount(msk);
			dy_kmer_t y = 0;
			eb[2 * i + s] = (uint8_t)msk;
			link[2 * i + s] = -1;
			if (d != 1) continue;
			if (W < 4) {
				y = neighbour(W, x, c->k, s, ext, &t);
				if (y == x) continue; /* a step from a k-mer to itself is not taken */
				q[nq].key[0] = (uint64_t)y, q[nq].key[1] = (uint64_t)(y >> 64);
			} else {
				dy_kmerw_t yw = neighbour_w(xw, c->k, s, ext, &t);
				if (dy_kmerw_eq(yw, xw)) continue;
				w_words(yw, q[nq].key);
			}
			q[nq].t = t;
			q[nq].hash = idx_hash(W, q[nq].key);
			q[nq].pos = idx_home(c, q[nq].hash), q[nq].side = (int64_t)(2 * i + s);
			__builtin_prefetch(c->idx + q[nq].pos);
			++nq;
		}
	}
	for (j = 0; j < nq; ++j) { /* first entry with the right tag, or an empty one */
		uint64_t tag = idx_tag(c, q[j].hash), e;
		while ((e = c->idx[q[j].pos]) != 0 && (e & ~nmask) != tag)
			q[j].pos = q[j].pos + 1 == cap ? 0 : q[j].pos + 1;
		if (e) __builtin_prefetch(c->rec + ((e & nmask) - 1) * S);
	}
	for (j = 0; j < nq; ++j) {
		uint64_t tag = idx_tag(c, q[j].hash), e, pos = q[j].pos;
		for (; (e = c->idx[pos]) != 0; pos = pos + 1 == cap ? 0 : pos + 1) {
			const uint64_t *r;
			int ext;
			if ((e & ~nmask) != tag) continue;
			r = c->rec + ((e & nmask) - 1) * S;
			if (r[0] != q[j].key[0] || (W >= 2 && r[1] != q[j].key[1]) ||
			    (W == 4 && (r[2] != q[j].key[2] || r[3] != q[j].key[3]))) continue;
			if (side_degree((uint32_t)(r[W] >> 32), q[j].t, c->t, &ext) == 1)
				link[q[j].side] = 2 * (int64_t)((e & nmask) - 1) + q[j].t;
			break;
		}
	}
}

/* End bytes (degree << 2 | ext) and links of every solid k-mer. */
static void find_links(const ctx_t *c, uint8_t *eb, int64_t *link, int n_threads)
{
	int64_t i, n = (int64_t)c->n_solid;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 16) if (n >= PAR_MIN)
	for (i = 0; i < n; i += QB) {
		uint64_t e = (uint64_t)i + QB < (uint64_t)n ? (uint64_t)i + QB : (uint64_t)n;
		if (c->W == 1) links_block(c, 1, (uint64_t)i, e, eb, link);
		else if (c->W == 2) links_block(c, 2, (uint64_t)i, e, eb, link);
		else links_block(c, 4, (uint64_t)i, e, eb, link);
	}
}

/* The end mask e of a canonical side as the fragment sees it: where the
 * fragment reads the end k-mer reversed (orient 1), every base beyond it is
 * complemented (bit b moves to bit 3-b). */
static uint8_t end_byte(uint8_t e, int orient)
{
	return orient ? dy_mask_comp(e) : e;
}

/* Append the record of one chain (m entries) to b. */
static int write_frag(const ctx_t *c, const uint8_t *eb, const uint64_t *ent, uint64_t m,
                      int circ, dy_buf_t *b)
{
	const int k = c->k, S = c->S;
	uint64_t n = m + k - 1, i, cov = 0, pk = (n + 3) >> 2;
	uint8_t *p, *q;
	int ret, j;
	if (n > UINT32_MAX) return DY_ELIMIT;
	if ((ret = dy_buf_reserve(b, FRAG_HDR + pk)) < 0) return ret;
	p = b->a + b->n, q = p + FRAG_HDR;
	memset(p, 0, FRAG_HDR + pk);
	for (i = 0; i < m && i < AHEAD; ++i) __builtin_prefetch(c->rec + DY_CHAIN_NODE(ent[i]) * S);
	for (i = 0; i < m; ++i) {
		const uint64_t *r = c->rec + DY_CHAIN_NODE(ent[i]) * S;
		dy_kmerw_t x = words_w(r, c->W);
		uint64_t pos = i + (uint64_t)k - 1;
		int o = DY_CHAIN_ORIENT(ent[i]);
		if (i + AHEAD < m) __builtin_prefetch(c->rec + DY_CHAIN_NODE(ent[i + AHEAD]) * S);
		cov += (uint32_t)r[c->W];
		if (i == 0) { /* the first k-mer whole, then the last base of each */
			if (o) x = dy_kmerw_rc(x, k);
			for (j = 0; j < k; ++j)
				q[j >> 2] |= (uint8_t)(dy_kmerw_base(x, k, j) << ((j & 3) << 1));
			continue;
		}
		/* the last base of x read forward, or of rc(x): x's first, complemented */
		j = o ? 3 - dy_kmerw_base(x, k, 0) : (int)(r[0] & 3);
		q[pos >> 2] |= (uint8_t)(j << ((pos & 3) << 1));
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
	c.h = h, c.t = min_count ? min_count : 1, c.k = dy_ht_k(h);
	c.W = c.k <= 31 ? 1 : c.k <= DY_KNARROW ? 2 : 4, c.S = c.W + 1;
	if (o->k != c.k || n_ranks < 1 || rank < 0 || rank >= n_ranks) return DY_EARG;
	if (n_ranks > 1 && (o->m < 1 || o->m > o->k || o->m > 31)) return DY_EARG;
	if (n_threads < 1) n_threads = 1;
	if ((ret = number_solid(&c, n_threads)) < 0) goto fail;
	if ((ret = build_index(&c, n_threads)) < 0) goto fail;
	ret = DY_ENOMEM;
	link = (int64_t *)malloc((2 * c.n_solid + 1) * sizeof *link);
	eb = (uint8_t *)malloc(2 * c.n_solid + 1);
	if (link == NULL || eb == NULL) goto fail;
	find_links(&c, eb, link, n_threads);
	free(c.idx), c.idx = NULL; /* lookups are over */
	if ((ret = dy_chain_run(link, NULL, c.n_solid, n_threads, &ch)) < 0) goto fail;
	free(link), link = NULL;
	if ((ret = write_all(&c, eb, &ch, out, n_threads)) < 0) goto fail;
	if (st) st->n_solid = c.n_solid, st->n_frag = ch.n, st->n_circular = ch.n_cycles;
fail:
	if (ret < 0) out->n = out_n0; /* no half-written records */
	free(link), free(eb), free(c.rec), free(c.idx);
	dy_chain_free(&ch);
	return ret;
}
