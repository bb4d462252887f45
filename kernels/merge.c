/* merge.c -- glue fragment records into unitigs (dy_merge_run, dy_kern.h).
 *
 * Every fragment end is indexed by (canonical end k-mer, side of that
 * k-mer facing out).  An end of degree 1 names its neighbour k-mer; when
 * the neighbour's facing side is itself an indexed end of degree 1, the two
 * ends are linked.  Both ends apply the same rule, so links come in pairs
 * (chain.c ignores any that do not) and chain.c turns them into chains and
 * cycles of fragments; each becomes one contig,
 * written in canonical orientation and sorted, so that the bytes depend
 * only on the set of fragments.  As in compaction, a step from a k-mer to
 * itself (or its reverse complement) is never taken. */
#include <stdlib.h>
#include <string.h>
#include "dy_kern.h"
#include "chain.h"

#define FRAG_HDR 16              /* u32 n, u8 flags, u8 left, u8 right, u8 pad, u64 cov */
#define NO_SIDE  2               /* side[] of an end that is not indexed */

/* below this many items a team of threads costs more than the work */
#define PAR_MIN 1024

typedef struct {
	const uint8_t *p;          /* packed bases */
	uint64_t cov;
	uint32_t n;                /* bases */
	uint8_t circ, end[2];      /* end[0] left byte, end[1] right byte */
} frag_t;

/* The end index: open addressing in 2^PART_LOG2 partitions by the top bits
 * of the hash, so each partition is filled by one thread without locks. */
#define PART_LOG2 8
typedef struct {
	uint64_t base[(1 << PART_LOG2) + 1];  /* first slot of each partition */
	int64_t *slot;                        /* end id (2*frag + end) or -1 */
	const dy_kmer_t *key;                 /* canonical end k-mer, by end id (k <= 63) ... */
	const dy_kmerw_t *keyw;               /* ... or wide (k > 63): one of the two is set */
	const uint8_t *side;                  /* outward side of key, by end id */
	uint8_t *dup;                         /* 1: key seen twice, never glue */
} eidx_t;

static inline int pbase(const uint8_t *p, uint64_t i)
{
	return (p[i >> 2] >> ((i & 3) << 1)) & 3;
}

/* k-mers are handled wide here (rank 0, a few per fragment end); they are
 * stored narrow when k <= DY_KNARROW to halve the index. */
static dy_kmerw_t frag_kmer(const frag_t *f, uint64_t i, int k)
{
	dy_kmerw_t x = { 0, 0 }, m = dy_kmerw_mask(k);
	int j;
	for (j = 0; j < k; ++j) x = dy_kmerw_push(x, pbase(f->p, i + j), m);
	return x;
}

static inline dy_kmerw_t key_at(const eidx_t *x, uint64_t e)
{
	return x->keyw ? x->keyw[e] : dy_kmerw_of(x->key[e]);
}

static inline uint64_t end_hash(dy_kmerw_t c, int side)
{
	return dy_hash64((c.hi ? dy_kmerw_hash(c) : dy_kmer_hash(c.lo)) + (uint64_t)side);
}

/* ---- parsing ----------------------------------------------------------- */

static uint64_t rd_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	while (n-- > 0) v = v << 8 | p[n];
	return v;
}

/* Split the records; *n_frag = how many.  With f == NULL only count. */
static int parse(const uint8_t *b, size_t len, int k, frag_t *f, size_t *n_frag)
{
	size_t off = 0, m = 0;
	while (off < len) {
		uint64_t n, pk;
		if (len - off < FRAG_HDR) return DY_EFORMAT;
		n = rd_le(b + off, 4), pk = (n + 3) >> 2;
		if (n < (uint64_t)k || (b[off + 4] & ~1u) != 0) return DY_EFORMAT;
		if (b[off + 5] > 15 || b[off + 6] > 15) return DY_EFORMAT;
		if (pk > len - off - FRAG_HDR) return DY_EFORMAT;
		if (f) {
			f[m].n = (uint32_t)n, f[m].circ = b[off + 4] & 1;
			f[m].end[0] = b[off + 5], f[m].end[1] = b[off + 6];
			f[m].cov = rd_le(b + off + 8, 8), f[m].p = b + off + FRAG_HDR;
		}
		off += FRAG_HDR + pk, ++m;
	}
	*n_frag = m;
	return DY_OK;
}

/* ---- end index --------------------------------------------------------- */

/* Canonical k-mer and outward side of every end (eside NO_SIDE for the
 * ends of circular fragments, which glue to nothing). */
static void end_keys(const frag_t *f, int64_t nf, int k, dy_kmer_t *key, dy_kmerw_t *keyw,
                     uint8_t *side, int n_threads)
{
	int64_t i;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) if (nf >= PAR_MIN)
	for (i = 0; i < nf; ++i) {
		int e;
		for (e = 0; e < 2; ++e) {
			dy_kmerw_t x = frag_kmer(&f[i], e ? f[i].n - k : 0, k), c = dy_kmerw_canon(x, k);
			if (keyw) keyw[2 * i + e] = c;
			else key[2 * i + e] = c.lo;
			side[2 * i + e] = f[i].circ ? NO_SIDE : (uint8_t)(dy_kmerw_eq(c, x) ^ (e == 0));
		}
	}
}

static size_t part_of(uint64_t h) { return (size_t)(h >> (64 - PART_LOG2)); }

/* Insert the ends listed in ord[] (one partition) into that partition. */
static void fill_part(eidx_t *x, size_t p, const uint64_t *ord, size_t n)
{
	uint64_t mask = x->base[p + 1] - x->base[p] - 1;
	int64_t *s = x->slot + x->base[p];
	size_t i;
	for (i = 0; i < n; ++i) {
		uint64_t e = ord[i], j = end_hash(key_at(x, e), x->side[e]) & mask;
		for (; s[j] >= 0; j = (j + 1) & mask)
			if (dy_kmerw_eq(key_at(x, (uint64_t)s[j]), key_at(x, e)) && x->side[s[j]] == x->side[e]) break;
		if (s[j] >= 0) x->dup[s[j]] = 1; /* a k-mer in two fragments: glue neither */
		else s[j] = (int64_t)e;
	}
}

/* Build the index over ends 0..ne-1 with eside != NO_SIDE. */
static int eidx_build(eidx_t *x, size_t ne, int n_threads)
{
	size_t cnt[1 << PART_LOG2] = { 0 }, st[(1 << PART_LOG2) + 1], e, p, np = 1 << PART_LOG2;
	uint64_t *ord = (uint64_t *)malloc((ne ? ne : 1) * sizeof *ord);
	int64_t ip;
	if (ord == NULL) return DY_ENOMEM;
	for (e = 0; e < ne; ++e)
		if (x->side[e] != NO_SIDE) ++cnt[part_of(end_hash(key_at(x, e), x->side[e]))];
	for (p = 0, st[0] = 0, x->base[0] = 0; p < np; ++p) {
		uint64_t cap = 4; /* load <= 1/2 */
		while (cap < 2 * cnt[p]) cap <<= 1;
		x->base[p + 1] = x->base[p] + cap, st[p + 1] = st[p] + cnt[p];
	}
	for (e = 0; e < ne; ++e) /* counting sort: ends of a partition in id order */
		if (x->side[e] != NO_SIDE) ord[st[part_of(end_hash(key_at(x, e), x->side[e]))]++] = e;
	x->slot = (int64_t *)malloc(x->base[np] * sizeof *x->slot);
	if (x->slot == NULL) { free(ord); return DY_ENOMEM; }
	memset(x->slot, 0xff, x->base[np] * sizeof *x->slot);
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1) if (ne >= PAR_MIN)
	for (ip = 0; ip < (int64_t)np; ++ip)
		fill_part(x, (size_t)ip, ord + st[ip] - cnt[ip], cnt[ip]);
	free(ord);
	return DY_OK;
}

/* End id holding (c, side), or -1 if none (or if it is ambiguous). */
static int64_t eidx_get(const eidx_t *x, dy_kmerw_t c, int side)
{
	uint64_t h = end_hash(c, side);
	size_t p = part_of(h);
	uint64_t mask = x->base[p + 1] - x->base[p] - 1, j = h & mask;
	const int64_t *s = x->slot + x->base[p];
	for (; s[j] >= 0; j = (j + 1) & mask)
		if (dy_kmerw_eq(key_at(x, (uint64_t)s[j]), c) && x->side[s[j]] == side)
			return x->dup[s[j]] ? -1 : s[j];
	return -1;
}

/* ---- links between ends ------------------------------------------------ */

/* The end glued to end id e (fragment e/2, end e&1), or -1. */
static int64_t glue_end(const eidx_t *x, const frag_t *f, int64_t e, int k)
{
	const frag_t *g = &f[e >> 1];
	int right = (int)(e & 1), ext = __builtin_ctz(g->end[right] | 16u), t;
	dy_kmerw_t c, y, z;
	int64_t o;
	if (x->side[e] == NO_SIDE || x->dup[e] || __builtin_popcount(g->end[right]) != 1) return -1;
	c = key_at(x, (uint64_t)e);
	if (right) { /* last k-1 bases + ext, entered by its left side */
		y = dy_kmerw_push(frag_kmer(g, g->n - k, k), ext, dy_kmerw_mask(k));
		t = 0;
	} else {     /* ext + first k-1 bases, entered by its right side */
		y = dy_kmerw_prepend(frag_kmer(g, 0, k), ext, k);
		t = 1;
	}
	z = dy_kmerw_canon(y, k);
	if (dy_kmerw_eq(z, c)) return -1; /* a step from a k-mer to itself is not taken */
	if ((o = eidx_get(x, z, t ^ !dy_kmerw_eq(z, y))) < 0) return -1;
	return __builtin_popcount(f[o >> 1].end[o & 1]) == 1 ? o : -1;
}

static void find_links(const eidx_t *x, const frag_t *f, int64_t ne, int k,
                       int64_t *link, int n_threads)
{
	int64_t e;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) if (ne >= PAR_MIN)
	for (e = 0; e < ne; ++e) link[e] = glue_end(x, f, e, k);
}

/* ---- contigs ----------------------------------------------------------- */

/* Write the chain's fragments, overlapping by k-1, into b; return length. */
static uint64_t concat(const frag_t *f, const uint64_t *ent, uint64_t m, int k, uint8_t *b)
{
	uint64_t i, j, len = 0;
	for (i = 0; i < m; ++i) {
		const frag_t *g = &f[DY_CHAIN_NODE(ent[i])];
		int rev = DY_CHAIN_ORIENT(ent[i]);
		for (j = i ? (uint64_t)k - 1 : 0; j < g->n; ++j)
			b[len++] = (uint8_t)(rev ? 3 - pbase(g->p, g->n - 1 - j) : pbase(g->p, j));
	}
	return len;
}

/* Linear: the smaller of b and its reverse complement; returns 1 if that
 * is the reverse complement. */
static int canon_linear(const uint8_t *b, uint64_t len, char *s)
{
	uint64_t i;
	int rev = 0;
	for (i = 0; i < len; ++i) {
		int r = 3 - b[len - 1 - i];
		if (b[i] != r) { rev = r < b[i]; break; }
	}
	for (i = 0; i < len; ++i) s[i] = dy_nt_char[rev ? 3 - b[len - 1 - i] : b[i]];
	s[len] = 0;
	return rev;
}

/* Circular (L = len-k+1 k-mers, period L): start at the smallest canonical
 * k-mer, in its canonical orientation. */
static void canon_circular(const uint8_t *b, uint64_t len, int k, char *s)
{
	uint64_t L = len - k + 1, i, p = 0, q;
	dy_kmerw_t x = { 0, 0 }, r = { 0, 0 }, best = { 0, 0 }, mask = dy_kmerw_mask(k);
	int rev = 0;
	for (i = 0; i < len; ++i) {
		x = dy_kmerw_push(x, b[i], mask);
		r = dy_kmerw_prepend(r, 3 - b[i], k);
		if (i + 1 < (uint64_t)k) continue;
		if (i + 1 - k == 0 || dy_kmerw_lt(x, best) || dy_kmerw_lt(r, best)) {
			int rv = dy_kmerw_lt(r, x);
			best = rv ? r : x, p = i + 1 - k, rev = rv;
		}
	}
	/* the reverse strand reads window p as window L-1-p */
	q = rev ? L - 1 - p : p;
	for (i = 0; i < len; ++i) {
		uint64_t j = (q + i) % L;
		s[i] = dy_nt_char[rev ? 3 - b[len - 1 - j] : b[j]];
	}
	s[len] = 0;
}

static int make_contig(const frag_t *f, const uint64_t *ent, uint64_t m, int circ, int k,
                       uint8_t **scratch, uint64_t *scap, dy_contig_t *c)
{
	uint64_t i, len = 0;
	for (i = 0; i < m; ++i) len += f[DY_CHAIN_NODE(ent[i])].n - (i ? (uint64_t)k - 1 : 0);
	if (len > *scap) {
		uint8_t *p = (uint8_t *)realloc(*scratch, len);
		if (p == NULL) return DY_ENOMEM;
		*scratch = p, *scap = len;
	}
	if ((c->seq = (char *)malloc(len + 1)) == NULL) return DY_ENOMEM;
	concat(f, ent, m, k, *scratch);
	c->ext[0] = c->ext[1] = 0;
	if (circ) canon_circular(*scratch, len, k, c->seq);
	else {
		/* the chain's outer ends: the first entry's entry side, the last's exit side */
		const frag_t *a = &f[DY_CHAIN_NODE(ent[0])], *z = &f[DY_CHAIN_NODE(ent[m - 1])];
		uint8_t l = DY_CHAIN_ORIENT(ent[0]) ? dy_mask_comp(a->end[1]) : a->end[0];
		uint8_t r = DY_CHAIN_ORIENT(ent[m - 1]) ? dy_mask_comp(z->end[0]) : z->end[1];
		if (canon_linear(*scratch, len, c->seq)) c->ext[0] = dy_mask_comp(r), c->ext[1] = dy_mask_comp(l);
		else c->ext[0] = l, c->ext[1] = r;
	}
	c->len = len, c->n_kmers = len - k + 1, c->circular = circ, c->cov = 0;
	for (i = 0; i < m; ++i) c->cov += f[DY_CHAIN_NODE(ent[i])].cov;
	return DY_OK;
}

/* One contig per chain, then one per circular fragment (in input order). */
static int make_contigs(const frag_t *f, int64_t nf, const dy_chain_t *ch, int k,
                        dy_contig_t *a, int n_threads)
{
	int64_t i, j = (int64_t)ch->n, nc;
	int ret = DY_OK;
	uint64_t *circ = (uint64_t *)malloc((nf ? nf : 1) * sizeof *circ);
	if (circ == NULL) return DY_ENOMEM;
	for (i = 0; i < nf; ++i) /* a one-entry "chain" per circular fragment */
		if (f[i].circ) circ[j++ - (int64_t)ch->n] = (uint64_t)i << 1;
	nc = j;
#pragma omp parallel num_threads(n_threads) if (nc >= PAR_MIN / 16)
	{
		uint8_t *scr = NULL;
		uint64_t scap = 0;
#pragma omp for schedule(dynamic, 16)
		for (i = 0; i < nc; ++i) {
			int r, path = i < (int64_t)ch->n;
			const uint64_t *e = path ? ch->ent + ch->off[i] : circ + (i - (int64_t)ch->n);
			uint64_t m = path ? ch->off[i + 1] - ch->off[i] : 1;
			int cyc = !path || i >= (int64_t)(ch->n - ch->n_cycles);
			if ((r = make_contig(f, e, m, cyc, k, &scr, &scap, &a[i])) < 0) {
#pragma omp atomic write
				ret = r;
			}
		}
		free(scr);
	}
	free(circ);
	return ret;
}

static int cmp_contig(const void *pa, const void *pb)
{
	const dy_contig_t *a = (const dy_contig_t *)pa, *b = (const dy_contig_t *)pb;
	int c;
	if (a->len != b->len) return a->len > b->len ? -1 : 1;
	if ((c = strcmp(a->seq, b->seq)) != 0) return c;
	if (a->circular != b->circular) return a->circular - b->circular;
	return a->cov < b->cov ? -1 : a->cov > b->cov;
}

/* ---- entry point ------------------------------------------------------- */

static uint64_t count_glued(const dy_chain_t *ch)
{
	uint64_t n = 0, i;
	for (i = 0; i < ch->n; ++i) { /* m-1 joins in a path, m in a cycle: 2 ends each */
		uint64_t m = ch->off[i + 1] - ch->off[i];
		n += 2 * (i >= ch->n - ch->n_cycles ? m : m - 1);
	}
	return n;
}

int dy_merge_run(const uint8_t *frags, size_t len, int k, int n_threads,
                 dy_contigs_t *out)
{
	frag_t *f = NULL;
	size_t nf = 0, i, n_circ = 0;
	eidx_t x;
	dy_kmer_t *key = NULL;
	dy_kmerw_t *keyw = NULL;
	uint8_t *side = NULL, *act = NULL;
	int64_t *link = NULL;
	dy_chain_t ch;
	int ret;

	memset(out, 0, sizeof *out), memset(&x, 0, sizeof x), memset(&ch, 0, sizeof ch);
	if (k < DY_KMIN || k > DY_KMAX || (k & 1) == 0) return DY_EARG;
	if (n_threads < 1) n_threads = 1;
	if ((ret = parse(frags, len, k, NULL, &nf)) < 0) return ret;
	ret = DY_ENOMEM;
	f = (frag_t *)malloc((nf ? nf : 1) * sizeof *f);
	if (k <= DY_KNARROW) key = (dy_kmer_t *)malloc((2 * nf + 1) * sizeof *key);
	else keyw = (dy_kmerw_t *)malloc((2 * nf + 1) * sizeof *keyw);
	side = (uint8_t *)malloc(2 * nf + 1);
	x.dup = (uint8_t *)calloc(2 * nf + 1, 1);
	link = (int64_t *)malloc((2 * nf + 1) * sizeof *link);
	act = (uint8_t *)malloc(nf + 1);
	if (!f || (!key && !keyw) || !side || !x.dup || !link || !act) goto fail;
	if ((ret = parse(frags, len, k, f, &nf)) < 0) goto fail;
	end_keys(f, (int64_t)nf, k, key, keyw, side, n_threads);
	x.key = key, x.keyw = keyw, x.side = side;
	if ((ret = eidx_build(&x, 2 * nf, n_threads)) < 0) goto fail;
	find_links(&x, f, 2 * (int64_t)nf, k, link, n_threads);
	for (i = 0; i < nf; ++i) act[i] = !f[i].circ, n_circ += f[i].circ;
	if ((ret = dy_chain_run(link, act, nf, n_threads, &ch)) < 0) goto fail;

	ret = DY_ENOMEM;
	out->n_frag_in = nf, out->n_glued = count_glued(&ch);
	if ((out->a = (dy_contig_t *)calloc(ch.n + n_circ + 1, sizeof *out->a)) == NULL) goto fail;
	out->n = ch.n + n_circ;
	if ((ret = make_contigs(f, (int64_t)nf, &ch, k, out->a, n_threads)) < 0) goto fail;
	qsort(out->a, out->n, sizeof *out->a, cmp_contig);
	ret = DY_OK;
fail:
	free(f), free(key), free(keyw), free(side), free(x.dup), free(x.slot), free(link), free(act);
	dy_chain_free(&ch);
	if (ret < 0) dy_contigs_free(out);
	return ret;
}

void dy_contigs_free(dy_contigs_t *c)
{
	size_t i;
	if (c == NULL) return;
	for (i = 0; i < c->n; ++i) free(c->a[i].seq);
	free(c->a);
	memset(c, 0, sizeof *c);
}
