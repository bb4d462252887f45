/* graph.c -- the assembly graph of the unitigs: build, kill, compact, and
 * back to canonical contigs (dy_graph.h).
 *
 * Build.  Every node end is indexed by the first k-mer read inward from it
 * (left end: the node's first k-mer; right end: the reverse complement of
 * its last one).  Leaving end e with outward base b reaches the k-mer
 * "last k-1 bases read towards e" + b, and that is the inward k-mer of the
 * end entered: one index lookup per extension bit.  The unitigs are
 * maximal, so the neighbour across a solid edge always starts a unitig; a
 * bit that finds no end is counted in n_dangling and dropped.  k-mers of
 * any k up to DY_GRAPH_KMAX are compared as words of 2-bit bases.
 *
 * Each node's bases start on a byte boundary of the packed store, so
 * threads can fill different nodes without sharing a byte.
 *
 * Compaction links an end with one live edge to the end it leads to when
 * that one has one live edge too, and hands the links to chain.c, which
 * returns every maximal path and cycle in an order that depends only on the
 * graph.  Each becomes one node; edges at the outer ends keep their
 * outward bases, so the adjacency is renumbered, not looked up again.
 */
#include <stdlib.h>
#include <string.h>
#include "dy_graph.h"
#include "chain.h"

#define DY_GRAPH_KMAX 127
#define KW 4                     /* words of a k-mer, up to DY_GRAPH_KMAX */
#define PAR_MIN 1024

typedef struct { uint64_t w[KW]; } kw_t;

static inline void kw_set(kw_t *x, int i, int b)
{
	x->w[i >> 5] |= (uint64_t)b << ((i & 31) << 1);
}

static inline uint64_t kw_hash(const kw_t *x)
{
	return dy_hash64(x->w[0] ^ dy_hash64(x->w[1] ^ dy_hash64(x->w[2] ^ dy_hash64(x->w[3] + 0x9e3779b97f4a7c15ULL))));
}

/* The inward k-mer of end e. */
static void inward_kmer(const dy_graph_t *g, int64_t e, kw_t *x)
{
	int i;
	memset(x, 0, sizeof *x);
	for (i = 0; i < g->k; ++i) kw_set(x, i, dy_gbase_from(g, e, (uint64_t)i));
}

/* The k-mer reached by leaving end e with outward base b: the last k-1
 * bases of the node read towards e (that is, read inward from e^1), then b. */
static void step_kmer(const dy_graph_t *g, int64_t e, int b, kw_t *x)
{
	uint64_t len = g->node[e >> 1].len, s = len - (uint64_t)g->k + 1;
	int i;
	memset(x, 0, sizeof *x);
	for (i = 0; i + 1 < g->k; ++i) kw_set(x, i, dy_gbase_from(g, e ^ 1, s + (uint64_t)i));
	kw_set(x, g->k - 1, b);
}

/* ---- the store ------------------------------------------------------- */

static inline uint64_t align4(uint64_t x) { return (x + 3) & ~(uint64_t)3; }

static inline void put_base(uint8_t *seq, uint64_t p, int b)
{
	seq[p >> 2] |= (uint8_t)(b << ((p & 3) << 1));
}

void dy_graph_free(dy_graph_t *g)
{
	if (g == NULL) return;
	free(g->node), free(g->seq), free(g->adj);
	memset(g, 0, sizeof *g);
}

void dy_popset_free(dy_popset_t *p)
{
	size_t i;
	if (p == NULL) return;
	for (i = 0; i < p->n; ++i) free(p->a[i].seq);
	free(p->a);
	memset(p, 0, sizeof *p);
}

void dy_glinks_free(dy_glinks_t *l)
{
	if (l == NULL) return;
	free(l->a);
	memset(l, 0, sizeof *l);
}

/* ---- build ----------------------------------------------------------- */

typedef struct {
	uint64_t mask;   /* slots - 1 */
	int64_t *slot;   /* end id or -1 */
	uint64_t *hash;  /* by end id */
} eindex_t;

static int64_t eindex_get(const eindex_t *ix, const dy_graph_t *g, const kw_t *x, uint64_t h)
{
	uint64_t j = h & ix->mask;
	for (; ix->slot[j] >= 0; j = (j + 1) & ix->mask) {
		int64_t e = ix->slot[j];
		kw_t y;
		if (ix->hash[e] != h) continue;
		inward_kmer(g, e, &y);
		if (memcmp(&y, x, sizeof y) == 0) return e;
	}
	return -1;
}

int dy_graph_from_contigs(const dy_contigs_t *c, int k, int n_threads, dy_graph_t *g)
{
	size_t n = c->n, i;
	uint64_t off = 0, cap = 4, dangling = 0;
	eindex_t ix = { 0, NULL, NULL };
	int64_t iv;
	memset(g, 0, sizeof *g);
	if (k < DY_KMIN || k > DY_GRAPH_KMAX || (k & 1) == 0) return DY_EARG;
	if (n_threads < 1) n_threads = 1;
	g->k = k, g->n = n;
	g->node = (dy_gnode_t *)calloc(n + 1, sizeof *g->node);
	g->adj = (int64_t (*)[4])malloc((2 * n + 1) * sizeof *g->adj);
	if (g->node == NULL || g->adj == NULL) goto nomem;
	for (i = 0; i < n; ++i) {
		dy_gnode_t *v = &g->node[i];
		v->off = off, v->len = c->a[i].len, v->n_kmers = c->a[i].n_kmers;
		v->cov = c->a[i].cov, v->circ = (uint8_t)c->a[i].circular;
		off += align4(v->len);
	}
	g->seq_len = g->seq_cap = off;
	if ((g->seq = (uint8_t *)calloc(off / 4 + 1, 1)) == NULL) goto nomem;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (n >= PAR_MIN)
	for (iv = 0; iv < (int64_t)n; ++iv) {
		const char *s = c->a[iv].seq;
		uint64_t j, o = g->node[iv].off;
		for (j = 0; j < g->node[iv].len; ++j) put_base(g->seq, o + j, dy_nt4_table[(uint8_t)s[j]] & 3);
	}
	while (cap < 4 * n) cap <<= 1;
	ix.mask = cap - 1;
	ix.slot = (int64_t *)malloc(cap * sizeof *ix.slot);
	ix.hash = (uint64_t *)malloc((2 * n + 1) * sizeof *ix.hash);
	if (ix.slot == NULL || ix.hash == NULL) goto nomem;
	memset(ix.slot, 0xff, cap * sizeof *ix.slot);
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 256) if (n >= PAR_MIN)
	for (iv = 0; iv < 2 * (int64_t)n; ++iv) {
		kw_t x;
		if (g->node[iv >> 1].circ) { ix.hash[iv] = 0; continue; }
		inward_kmer(g, iv, &x);
		ix.hash[iv] = kw_hash(&x);
	}
	/* one thread inserts, in end order: the layout is fixed by the graph */
	for (i = 0; i < 2 * n; ++i) {
		uint64_t j;
		if (g->node[i >> 1].circ) continue;
		for (j = ix.hash[i] & ix.mask; ix.slot[j] >= 0; j = (j + 1) & ix.mask) {}
		ix.slot[j] = (int64_t)i;
	}
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 256) if (n >= PAR_MIN) reduction(+:dangling)
	for (iv = 0; iv < 2 * (int64_t)n; ++iv) {
		const dy_contig_t *t = &c->a[iv >> 1];
		/* outward bases: the right mask as is; the left mask holds the
		 * bases before the node, whose complements are read outward */
		uint8_t m = t->circular ? 0 : (iv & 1) ? t->ext[1] : dy_mask_comp(t->ext[0]);
		int b;
		for (b = 0; b < 4; ++b) {
			kw_t y;
			int64_t f = -1;
			if ((m >> b) & 1) {
				step_kmer(g, iv, b, &y);
				f = eindex_get(&ix, g, &y, kw_hash(&y));
				if (f < 0) ++dangling;
			}
			g->adj[iv][b] = f;
		}
	}
	/* keep only edges seen from both ends (they always are, unless the
	 * counts were inconsistent): the graph stays symmetric */
	for (i = 0; i < 2 * n; ++i) {
		int b, b2, back;
		for (b = 0; b < 4; ++b) {
			int64_t f = g->adj[i][b];
			if (f < 0) continue;
			for (back = 0, b2 = 0; b2 < 4; ++b2) back |= g->adj[f][b2] == (int64_t)i;
			if (!back) g->adj[i][b] = -1, ++dangling;
		}
	}
	g->n_dangling = dangling;
	free(ix.slot), free(ix.hash);
	return DY_OK;
nomem:
	free(ix.slot), free(ix.hash);
	dy_graph_free(g);
	return DY_ENOMEM;
}

/* ---- kill and compact ------------------------------------------------ */

void dy_graph_kill(dy_graph_t *g, size_t v)
{
	int64_t e;
	int b, b2;
	g->node[v].dead = 1;
	for (e = 2 * (int64_t)v; e <= 2 * (int64_t)v + 1; ++e)
		for (b = 0; b < 4; ++b) {
			int64_t f = g->adj[e][b];
			if (f < 0) continue;
			for (b2 = 0; b2 < 4; ++b2)
				if (g->adj[f][b2] == e) g->adj[f][b2] = -1;
			g->adj[e][b] = -1;
		}
}

/* The one live edge of end e, or -1 if it has none or several. */
static int64_t only_edge(const dy_graph_t *g, int64_t e)
{
	int64_t f = -1;
	int b, d = 0;
	for (b = 0; b < 4; ++b)
		if (g->adj[e][b] >= 0) f = g->adj[e][b], ++d;
	return d == 1 ? f : -1;
}

int dy_graph_compact(dy_graph_t *g, dy_popset_t *pop, int n_threads, int *changed)
{
	const int k = g->k;
	size_t n = g->n, i, nn, live = 0;
	int64_t *link = (int64_t *)malloc((2 * n + 1) * sizeof *link);
	int64_t *emap = (int64_t *)malloc((2 * n + 1) * sizeof *emap);
	int64_t *vmap = (int64_t *)malloc((n + 1) * sizeof *vmap);
	uint8_t *act = (uint8_t *)malloc(n + 1);
	dy_gnode_t *nv = NULL;
	int64_t (*nadj)[4] = NULL;
	uint8_t *nseq = NULL;
	uint64_t noff = 0;
	dy_chain_t ch;
	int ret = DY_ENOMEM;
	int64_t ic;
	memset(&ch, 0, sizeof ch);
	if (n_threads < 1) n_threads = 1;
	if (link == NULL || emap == NULL || vmap == NULL || act == NULL) goto end;
	for (i = 0; i < n; ++i) act[i] = !g->node[i].dead, live += act[i];
	for (i = 0; i < 2 * n; ++i) {
		int64_t f = act[i >> 1] && !g->node[i >> 1].circ ? only_edge(g, (int64_t)i) : -1;
		link[i] = f >= 0 && f != (int64_t)i && only_edge(g, f) == (int64_t)i ? f : -1;
	}
	if ((ret = dy_chain_run(link, act, n, n_threads, &ch)) < 0) goto end;
	ret = DY_ENOMEM;
	nn = ch.n;
	nv = (dy_gnode_t *)calloc(nn + 1, sizeof *nv);
	nadj = (int64_t (*)[4])malloc((2 * nn + 1) * sizeof *nadj);
	if (nv == NULL || nadj == NULL) goto end;
	memset(emap, 0xff, (2 * n + 1) * sizeof *emap);
	memset(vmap, 0xff, (n + 1) * sizeof *vmap);
	for (ic = 0; ic < (int64_t)nn; ++ic) {
		const uint64_t *ent = ch.ent + ch.off[ic];
		uint64_t m = ch.off[ic + 1] - ch.off[ic], j, len = 0, cov = 0, nk = 0;
		int cyc = ic >= (int64_t)(ch.n - ch.n_cycles);
		for (j = 0; j < m; ++j) {
			const dy_gnode_t *u = &g->node[DY_CHAIN_NODE(ent[j])];
			len += u->len - (j ? (uint64_t)k - 1 : 0), cov += u->cov, nk += u->n_kmers;
			vmap[DY_CHAIN_NODE(ent[j])] = ic;
		}
		nv[ic].off = noff, nv[ic].len = len, nv[ic].cov = cov, nv[ic].n_kmers = nk;
		nv[ic].circ = (uint8_t)(cyc || (m == 1 && g->node[DY_CHAIN_NODE(ent[0])].circ));
		noff += align4(len);
		if (!cyc) { /* entry end of the first: 2v + orient; exit end of the last: the other */
			emap[2 * DY_CHAIN_NODE(ent[0]) + (uint64_t)DY_CHAIN_ORIENT(ent[0])] = 2 * ic;
			emap[2 * DY_CHAIN_NODE(ent[m - 1]) + 1 - (uint64_t)DY_CHAIN_ORIENT(ent[m - 1])] = 2 * ic + 1;
		}
	}
	if ((nseq = (uint8_t *)calloc(noff / 4 + 1, 1)) == NULL) goto end;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (nn >= PAR_MIN)
	for (ic = 0; ic < (int64_t)nn; ++ic) {
		const uint64_t *ent = ch.ent + ch.off[ic];
		uint64_t m = ch.off[ic + 1] - ch.off[ic], j, q, p = nv[ic].off;
		int cyc = ic >= (int64_t)(ch.n - ch.n_cycles), b;
		for (j = 0; j < m; ++j) {
			int64_t e = 2 * (int64_t)DY_CHAIN_NODE(ent[j]) + DY_CHAIN_ORIENT(ent[j]);
			const dy_gnode_t *u = &g->node[e >> 1];
			for (q = j ? (uint64_t)k - 1 : 0; q < u->len; ++q) put_base(nseq, p++, dy_gbase_from(g, e, q));
		}
		for (b = 0; b < 4; ++b) {
			int64_t in = cyc ? -1 : g->adj[2 * DY_CHAIN_NODE(ent[0]) + (uint64_t)DY_CHAIN_ORIENT(ent[0])][b];
			int64_t out = cyc ? -1 : g->adj[2 * DY_CHAIN_NODE(ent[m - 1]) + 1 - (uint64_t)DY_CHAIN_ORIENT(ent[m - 1])][b];
			nadj[2 * ic][b] = in >= 0 ? emap[in] : -1;
			nadj[2 * ic + 1][b] = out >= 0 ? emap[out] : -1;
		}
	}
	if (pop)
		for (i = 0; i < pop->n; ++i)
			if (pop->a[i].host >= 0) pop->a[i].host = vmap[pop->a[i].host];
	if (changed) *changed = nn != live || live != n;
	free(g->node), free(g->adj), free(g->seq);
	g->node = nv, g->adj = nadj, g->seq = nseq, g->n = nn, g->seq_len = g->seq_cap = noff;
	nv = NULL, nadj = NULL, nseq = NULL;
	ret = DY_OK;
end:
	free(link), free(emap), free(vmap), free(act), free(nv), free(nadj), free(nseq);
	dy_chain_free(&ch);
	return ret;
}

/* ---- canonical contigs ----------------------------------------------- */

/* Linear: 1 if the reverse complement of b[0..len) is the smaller strand. */
static int rc_smaller(const uint8_t *b, uint64_t len)
{
	uint64_t i;
	for (i = 0; i < len; ++i) {
		int r = 3 - b[len - 1 - i];
		if (b[i] != r) return r < b[i];
	}
	return 0;
}

/* Compare the k-mer of strand 0 (b) or 1 (rc of b) at window w. */
static int win_cmp(const uint8_t *b, uint64_t len, int k, uint64_t w1, int r1, uint64_t w2, int r2)
{
	int i;
	for (i = 0; i < k; ++i) {
		int x = r1 ? 3 - b[len - 1 - (w1 + (uint64_t)i)] : b[w1 + (uint64_t)i];
		int y = r2 ? 3 - b[len - 1 - (w2 + (uint64_t)i)] : b[w2 + (uint64_t)i];
		if (x != y) return x < y ? -1 : 1;
	}
	return 0;
}

/* Circular (L = len-k+1 k-mers, period L): start at the smallest canonical
 * k-mer, in its canonical orientation (as dy_merge_run). */
static void canon_circular(const uint8_t *b, uint64_t len, int k, char *s)
{
	uint64_t L = len - (uint64_t)k + 1, i, q, p = 0;
	int rev = 0;
	for (i = 0; i < L; ++i) {
		/* window i forward; on the reverse strand it is window L-1-i */
		int r = win_cmp(b, len, k, L - 1 - i, 1, i, 0) < 0;
		uint64_t w = r ? L - 1 - i : i;
		if (i == 0 || win_cmp(b, len, k, w, r, rev ? L - 1 - p : p, rev) < 0) p = i, rev = r;
	}
	q = rev ? L - 1 - p : p;
	for (i = 0; i < len; ++i) {
		uint64_t j = (q + i) % L;
		s[i] = dy_nt_char[rev ? 3 - b[len - 1 - j] : b[j]];
	}
	s[len] = 0;
}

typedef struct {
	dy_contig_t c;
	int64_t node;
	int rev;
} ordc_t;

static int cmp_ordc(const void *pa, const void *pb)
{
	const dy_contig_t *a = &((const ordc_t *)pa)->c, *b = &((const ordc_t *)pb)->c;
	int c;
	if (a->len != b->len) return a->len > b->len ? -1 : 1;
	if ((c = strcmp(a->seq, b->seq)) != 0) return c;
	if (a->circular != b->circular) return a->circular - b->circular;
	return a->cov < b->cov ? -1 : a->cov > b->cov;
}

static int cmp_link(const void *pa, const void *pb)
{
	const dy_glink_t *a = (const dy_glink_t *)pa, *b = (const dy_glink_t *)pb;
	if (a->a != b->a) return a->a < b->a ? -1 : 1;
	if (a->ao != b->ao) return a->ao - b->ao;
	if (a->b != b->b) return a->b < b->b ? -1 : 1;
	return a->bo - b->bo;
}

int dy_graph_to_contigs(const dy_graph_t *g, int n_threads, dy_contigs_t *out,
                        dy_glinks_t *links, int64_t *node_to_contig)
{
	size_t n = g->n, nl = 0, i, j;
	ordc_t *o = NULL;
	int64_t *c_of = (int64_t *)malloc((n + 1) * sizeof *c_of);
	uint8_t *rev = (uint8_t *)malloc(n + 1);
	int64_t iv;
	int ret = DY_ENOMEM;
	memset(out, 0, sizeof *out);
	if (links) memset(links, 0, sizeof *links);
	if (n_threads < 1) n_threads = 1;
	if (c_of == NULL || rev == NULL) goto fail;
	for (i = 0; i < n; ++i) nl += !g->node[i].dead;
	if ((o = (ordc_t *)calloc(nl + 1, sizeof *o)) == NULL) goto fail;
	for (i = 0, j = 0; i < n; ++i)
		if (!g->node[i].dead) o[j++].node = (int64_t)i;
#pragma omp parallel num_threads(n_threads) if (nl >= PAR_MIN / 16)
	{
		uint8_t *b = NULL;
		uint64_t bcap = 0;
#pragma omp for schedule(dynamic, 16)
		for (iv = 0; iv < (int64_t)nl; ++iv) {
			size_t v = (size_t)o[iv].node;
			const dy_gnode_t *u = &g->node[v];
			dy_contig_t *c = &o[iv].c;
			uint64_t q;
			if (u->len > bcap) {
				uint8_t *nb = (uint8_t *)realloc(b, u->len);
				if (nb == NULL) { c->seq = NULL; continue; }
				b = nb, bcap = u->len;
			}
			if ((c->seq = (char *)malloc(u->len + 1)) == NULL) continue;
			for (q = 0; q < u->len; ++q) b[q] = (uint8_t)dy_gbase(g, v, q);
			c->len = u->len, c->n_kmers = u->n_kmers, c->cov = u->cov, c->circular = u->circ;
			if (u->circ) { canon_circular(b, u->len, g->k, c->seq); continue; }
			o[iv].rev = rc_smaller(b, u->len);
			for (q = 0; q < u->len; ++q)
				c->seq[q] = dy_nt_char[o[iv].rev ? 3 - b[u->len - 1 - q] : b[q]];
			c->seq[u->len] = 0;
		}
		free(b);
	}
	for (i = 0; i < nl; ++i)
		if (o[i].c.seq == NULL) goto fail;
	qsort(o, nl, sizeof *o, cmp_ordc);
	memset(c_of, 0xff, (n + 1) * sizeof *c_of);
	for (i = 0; i < nl; ++i) c_of[o[i].node] = (int64_t)i, rev[o[i].node] = (uint8_t)o[i].rev;
	/* end masks in written orientation: right = outward bases of the right
	 * end; left = complements of the outward bases of the left end */
	for (i = 0; i < nl; ++i) {
		int64_t v = o[i].node;
		uint8_t m[2] = { 0, 0 };
		int s, b;
		for (s = 0; s < 2; ++s)
			for (b = 0; b < 4; ++b)
				if (g->adj[2 * v + s][b] >= 0) m[s] |= (uint8_t)(1u << b);
		m[0] = dy_mask_comp(m[0]);
		if (o[i].rev) o[i].c.ext[0] = dy_mask_comp(m[1]), o[i].c.ext[1] = dy_mask_comp(m[0]);
		else o[i].c.ext[0] = m[0], o[i].c.ext[1] = m[1];
	}
	if ((out->a = (dy_contig_t *)calloc(nl + 1, sizeof *out->a)) == NULL) goto fail;
	for (i = 0; i < nl; ++i) out->a[i] = o[i].c, o[i].c.seq = NULL;
	out->n = nl;
	if (links) {
		size_t m = 0, w = 0;
		for (i = 0; i < 2 * n; ++i)
			if (!g->node[i >> 1].dead) m += (size_t)dy_gdeg(g, (int64_t)i);
		if ((links->a = (dy_glink_t *)malloc((m + 1) * sizeof *links->a)) == NULL) goto fail;
		for (i = 0; i < 2 * n; ++i) {
			int b;
			if (g->node[i >> 1].dead) continue;
			for (b = 0; b < 4; ++b) {
				int64_t f = g->adj[i][b];
				dy_glink_t l, r;
				if (f < 0) continue;
				/* leaving through the written right end is '+' */
				l.a = (uint64_t)c_of[i >> 1], l.ao = (uint8_t)(((i & 1) ^ rev[i >> 1]) == 0);
				l.b = (uint64_t)c_of[f >> 1], l.bo = (uint8_t)(((f & 1) ^ rev[f >> 1]) == 1);
				r.a = l.b, r.ao = (uint8_t)(1 - l.bo), r.b = l.a, r.bo = (uint8_t)(1 - l.ao);
				links->a[w++] = cmp_link(&l, &r) <= 0 ? l : r;
			}
		}
		qsort(links->a, w, sizeof *links->a, cmp_link);
		for (i = 0, m = 0; i < w; ++i)   /* every edge was seen from both ends */
			if (m == 0 || cmp_link(&links->a[m - 1], &links->a[i]) != 0) links->a[m++] = links->a[i];
		links->n = m;
	}
	if (node_to_contig) memcpy(node_to_contig, c_of, n * sizeof *c_of);
	ret = DY_OK;
fail:
	if (o)
		for (i = 0; i < nl; ++i) free(o[i].c.seq);
	free(o), free(c_of), free(rev);
	if (ret < 0) {
		dy_contigs_free(out);
		if (links) dy_glinks_free(links);
	}
	return ret;
}
