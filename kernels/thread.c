/* thread.c -- resolve short repeats with the reads that span them
 * (dy_junc_*, dy_graph.h): Platanus' "k-mer extension" and SPAdes' read
 * threading, in their simplest form.
 *
 * After cleaning, a k-mer shared by two places of the genome (two copies of
 * a young transposon that agree over k bases, a microsatellite, an allele
 * that happens to match a repeat) is a junction node: two ways in, two ways
 * out, and the contigs break on either side although every read that spans
 * it says which way in goes with which way out.
 *
 * A junction is a live node with an edge at each end, two or more at one of
 * them, at most max_len bases long (a read must hold it and one base beyond
 * each end).  Each rank scans its reads for every junction's sequence and
 * its reverse complement (an index of their first k-mers, then a base-by-
 * base check, so a hash collision costs a comparison, never a wrong vote),
 * and votes for the pair (base before, base after) in the junction's
 * orientation: those bases name the edges a read entered and left by.  The
 * votes are summed over ranks; rank 0 then splits a junction into one copy
 * per way through when the votes pair its ways in and out one to one (each
 * pair seen by >= min_reads reads, any other pair by at most a tenth of the
 * weakest), sharing its coverage by the votes.  Ways are named by bases, so
 * a junction beside another one split in the same pass still finds its ways
 * (now ends of copies); only a junction that loops onto itself is left.
 * Compaction then joins each copy with its two sides; another pass finds
 * the junctions that only a split made short or simple enough.
 */
#include <stdlib.h>
#include <string.h>
#include "dy_graph.h"

#define PAR_MIN 256

void dy_junc_free(dy_junc_t *j)
{
	if (j == NULL) return;
	free(j->node), free(j->len), free(j->off), free(j->seq), free(j->slot), free(j->ent), free(j->votes), free(j->filt);
	memset(j, 0, sizeof *j);
}

int dy_junc_select(const dy_graph_t *g, uint32_t max_len, dy_junc_t *j)
{
	size_t v, n = 0, m = 0;
	uint64_t nb = 0;
	memset(j, 0, sizeof *j);
	j->k = g->k;
	for (v = 0; v < g->n; ++v) {
		const dy_gnode_t *u = &g->node[v];
		int d0, d1;
		if (u->dead || u->circ || u->len > max_len) continue;
		d0 = dy_gdeg(g, 2 * (int64_t)v), d1 = dy_gdeg(g, 2 * (int64_t)v + 1);
		if (d0 == 0 || d1 == 0 || (d0 < 2 && d1 < 2)) continue;
		++n, nb += u->len;
	}
	j->n = n, j->n_bases = nb;
	j->node = (int64_t *)malloc((n + 1) * sizeof *j->node);
	j->len = (uint32_t *)malloc((n + 1) * sizeof *j->len);
	j->off = (uint64_t *)malloc((n + 1) * sizeof *j->off);
	j->seq = (uint8_t *)malloc(nb + 1);
	if (!j->node || !j->len || !j->off || !j->seq) { dy_junc_free(j); return DY_ENOMEM; }
	for (v = 0, nb = 0; v < g->n; ++v) {
		const dy_gnode_t *u = &g->node[v];
		int d0, d1;
		uint64_t i;
		if (u->dead || u->circ || u->len > max_len) continue;
		d0 = dy_gdeg(g, 2 * (int64_t)v), d1 = dy_gdeg(g, 2 * (int64_t)v + 1);
		if (d0 == 0 || d1 == 0 || (d0 < 2 && d1 < 2)) continue;
		j->node[m] = (int64_t)v, j->len[m] = (uint32_t)u->len, j->off[m] = nb;
		for (i = 0; i < u->len; ++i) j->seq[nb + i] = (uint8_t)dy_gbase(g, v, i);
		nb += u->len, ++m;
	}
	return DY_OK;
}

/* The filter's bit of a k-mer whose last (up to) 32 bases pack into lo, as
 * the low 64 bits of the scan's rolling k-mer: a multiply-shift, ~1 ns,
 * where the full hash of a 63-mer and a probe cost ~10 per read base. */
#define FILT_PER_ENTRY 32   /* bits per entry: ~3% of the read k-mers pass to the hash */
static inline uint64_t filt_bit(const dy_junc_t *j, uint64_t lo)
{
	return (lo * 0x9E3779B97F4A7C15ULL) >> j->filt_shift;
}

/* The low 64 bits of the k bases at s packed as the scan's rolling k-mer. */
static uint64_t bases_lo(const uint8_t *s, int k)
{
	uint64_t x = 0;
	int i;
	for (i = k > 32 ? k - 32 : 0; i < k; ++i) x = x << 2 | s[i];
	return x;
}

/* Hash of the k bases at s (codes 0..3), as the scan's rolling k-mer has it. */
static uint64_t bases_hash(const uint8_t *s, int k)
{
	int i;
	if (k <= DY_KNARROW) {
		dy_kmer_t x = 0;
		for (i = 0; i < k; ++i) x = x << 2 | s[i];
		return dy_kmer_hash(x);
	} else {
		dy_kmerw_t x = { 0, 0 }, m = dy_kmerw_mask(k);
		for (i = 0; i < k; ++i) x = dy_kmerw_push(x, s[i], m);
		return dy_kmerw_hash(x);
	}
}

int dy_junc_index(dy_junc_t *j)
{
	size_t i, cap = 16, fbits = 4096;
	uint8_t *rc = NULL;
	uint32_t maxl = 0;
	int lg = 12;
	while (fbits < FILT_PER_ENTRY * 2 * j->n && lg < 30) fbits <<= 1, ++lg;
	j->filt_shift = 64 - lg;
	if ((j->filt = (uint64_t *)calloc(fbits / 64, sizeof *j->filt)) == NULL) return DY_ENOMEM;
	j->votes = (uint32_t (*)[16])calloc(j->n + 1, sizeof *j->votes);
	if (j->votes == NULL) return DY_ENOMEM;
	while (cap < 4 * j->n) cap <<= 1;
	j->mask = cap - 1;
	j->slot = (int64_t *)malloc(cap * sizeof *j->slot);
	j->ent = (uint64_t *)malloc((2 * j->n + 1) * sizeof *j->ent);
	for (i = 0; i < j->n; ++i) maxl = j->len[i] > maxl ? j->len[i] : maxl;
	rc = (uint8_t *)malloc((size_t)maxl + 1);
	if (j->slot == NULL || j->ent == NULL || rc == NULL) { free(rc); return DY_ENOMEM; }
	memset(j->slot, 0xff, cap * sizeof *j->slot);
	for (i = 0; i < j->n; ++i) {
		const uint8_t *s = j->seq + j->off[i];
		uint32_t L = j->len[i], q;
		int o;
		for (q = 0; q < L; ++q) rc[q] = (uint8_t)(3 - s[L - 1 - q]);
		for (o = 0; o < 2; ++o) {   /* entry 2i: the sequence; 2i+1: its reverse complement */
			uint64_t h = bases_hash(o ? rc : s, j->k), p = h & j->mask, e = 2 * i + (uint64_t)o;
			uint64_t f = filt_bit(j, bases_lo(o ? rc : s, j->k));
			j->filt[f >> 6] |= 1ULL << (f & 63);
			j->ent[e] = h;
			while (j->slot[p] >= 0) p = (p + 1) & j->mask;
			j->slot[p] = (int64_t)e;
		}
	}
	free(rc);
	return DY_OK;
}

/* Does read r (codes) hold entry e at position at? */
static int holds(const dy_junc_t *j, uint64_t e, const uint8_t *r, size_t at)
{
	const uint8_t *s = j->seq + j->off[e >> 1];
	uint32_t L = j->len[e >> 1], q;
	if (e & 1) {
		for (q = 0; q < L; ++q)
			if (r[at + q] != 3 - s[L - 1 - q]) return 0;
	} else if (memcmp(r + at, s, L) != 0) return 0;
	return 1;
}

void dy_junc_scan(const dy_junc_t *j, const char *seq, size_t len, uint8_t *scratch,
                  uint32_t (*votes)[16])
{
	const int k = j->k;
	size_t i, st = 0;
	if (j->n == 0 || len < (size_t)k + 2) return;
	for (i = 0; i < len; ++i) scratch[i] = dy_nt4_table[(uint8_t)seq[i]];
	/* every ACGT run; a junction must sit strictly inside one (a base each side) */
	for (i = 0; i <= len; ++i) {
		size_t a, q;
		dy_kmer_t x = 0, m = k <= DY_KNARROW ? dy_kmer_mask(k) : 0;
		dy_kmerw_t xw = { 0, 0 }, mw = dy_kmerw_mask(k);
		if (i < len && scratch[i] < 4) continue;
		if (i - st < (size_t)k + 2) { st = i + 1; continue; }
		/* the k-mer at a rolls in base by base; a starts after the run's first base */
		for (q = st; q < st + (size_t)k; ++q) {
			if (k <= DY_KNARROW) x = ((x << 2) | scratch[q]) & m;
			else xw = dy_kmerw_push(xw, scratch[q], mw);
		}
		for (a = st + 1; a + (size_t)k < i; ++a) {
			uint64_t h, p, f;
			int64_t e;
			if (k <= DY_KNARROW) x = ((x << 2) | scratch[a + (size_t)k - 1]) & m, f = filt_bit(j, (uint64_t)x);
			else xw = dy_kmerw_push(xw, scratch[a + (size_t)k - 1], mw), f = filt_bit(j, (uint64_t)xw.lo);
			if (!((j->filt[f >> 6] >> (f & 63)) & 1)) continue;
			h = k <= DY_KNARROW ? dy_kmer_hash(x) : dy_kmerw_hash(xw);
			p = h & j->mask;
			for (; (e = j->slot[p]) >= 0; p = (p + 1) & j->mask) {
				uint32_t L = j->len[e >> 1];
				int bx, by;
				if (j->ent[e] != h || a + L >= i || !holds(j, (uint64_t)e, scratch, a)) continue;
				/* the bases around it, in the junction's own orientation */
				if (e & 1) bx = 3 - scratch[a + L], by = 3 - scratch[a - 1];
				else bx = scratch[a - 1], by = scratch[a + L];
				__atomic_fetch_add(&votes[e >> 1][bx * 4 + by], 1u, __ATOMIC_RELAXED);
			}
		}
		st = i + 1;
	}
}

/* The pairing of the votes v of a junction with left ways A and right ways
 * B (masks of bases): pair[x] = y, or -1 if it does not pair one to one. */
/* Why a junction was not split (dy_junc_stats_t). */
enum { WHY_OK, WHY_SHAPE, WHY_WEAK, WHY_AMBIG, WHY_CROSS };

static int pairing(const uint32_t *v, unsigned A, unsigned B, uint32_t min_reads, int *pair, int *why)
{
	uint32_t weakest = UINT32_MAX, cross = 0;
	unsigned used = 0;
	int x, y, n = 0;
	*why = WHY_SHAPE;
	if (__builtin_popcount(A) != __builtin_popcount(B) || __builtin_popcount(A) < 2) return 0;
	for (x = 0; x < 4; ++x) {
		int best = -1;
		pair[x] = -1;
		if (!((A >> x) & 1)) continue;
		for (y = 0; y < 4; ++y)
			if (((B >> y) & 1) && v[x * 4 + y] >= min_reads) {
				if (best >= 0) { *why = WHY_AMBIG; return 0; }   /* two ways out for one way in */
				best = y;
			}
		if (best < 0) { *why = WHY_WEAK; return 0; }
		if ((used >> best) & 1) { *why = WHY_AMBIG; return 0; }
		used |= 1u << best, pair[x] = best, ++n;
		if (v[x * 4 + best] < weakest) weakest = v[x * 4 + best];
	}
	for (x = 0; x < 4; ++x)
		for (y = 0; y < 4; ++y)
			if (((A >> x) & 1) && ((B >> y) & 1) && pair[x] != y) cross += v[x * 4 + y];
	if (10 * cross > weakest) { *why = WHY_CROSS; return 0; }
	*why = WHY_OK;
	return n;
}

/* Point the edge of end a that leads to end from at end to instead. */
static void redirect(dy_graph_t *g, int64_t a, int64_t from, int64_t to)
{
	int b;
	for (b = 0; b < 4; ++b)
		if (g->adj[a][b] == from) g->adj[a][b] = to;
}

/* The ways into junction node v (bases before it, in its orientation: the
 * left end's outward bases complemented) and out of it (bases after). */
static void ways(const dy_graph_t *g, int64_t v, unsigned *A, unsigned *B)
{
	int x;
	*A = *B = 0;
	for (x = 0; x < 4; ++x) {
		if (g->adj[2 * v][3 - x] >= 0) *A |= 1u << x;
		if (g->adj[2 * v + 1][x] >= 0) *B |= 1u << x;
	}
}

static void count_why(dy_junc_stats_t *st, int why)
{
	st->one_sided += why == WHY_SHAPE, st->weak += why == WHY_WEAK;
	st->ambiguous += why == WHY_AMBIG, st->crossed += why == WHY_CROSS;
}

int dy_junc_resolve(dy_graph_t *g, const dy_junc_t *j, uint32_t min_reads, dy_junc_stats_t *st)
{
	size_t i, extra = 0, nn;
	int pair[4], why, n;
	unsigned A, B;
	memset(st, 0, sizeof *st);
	/* room first: each split junction of m ways adds m - 1 nodes */
	for (i = 0; i < j->n; ++i) {
		ways(g, j->node[i], &A, &B);
		if ((n = pairing(j->votes[i], A, B, min_reads, pair, &why)) > 0) extra += (size_t)n - 1;
		else count_why(st, why);
	}
	if (extra == 0) return DY_OK;
	{
		dy_gnode_t *nv = (dy_gnode_t *)realloc(g->node, (g->n + extra + 1) * sizeof *nv);
		int64_t (*na)[4];
		if (nv == NULL) return DY_ENOMEM;
		g->node = nv;
		if ((na = (int64_t (*)[4])realloc(g->adj, (2 * (g->n + extra) + 1) * sizeof *na)) == NULL) return DY_ENOMEM;
		g->adj = na;
	}
	nn = g->n;
	for (i = 0; i < j->n; ++i) {
		int64_t v = j->node[i], in[4], out[4];
		uint64_t tot = 0, cov = g->node[v].cov, kc = 0;
		int x, c, bad = 0;
		A = 0, B = 0;
		for (x = 0; x < 4; ++x) {
			in[x] = g->adj[2 * v][3 - x], out[x] = g->adj[2 * v + 1][x];
			if (in[x] >= 0) A |= 1u << x, bad |= (in[x] >> 1) == v;
			if (out[x] >= 0) B |= 1u << x, bad |= (out[x] >> 1) == v;
		}
		if ((n = pairing(j->votes[i], A, B, min_reads, pair, &why)) == 0) continue;   /* counted above */
		if (bad) { ++st->deferred; continue; }
		for (x = 0; x < 4; ++x)
			if (pair[x] >= 0) tot += j->votes[i][x * 4 + pair[x]];
		for (x = 0, c = 0; x < 4; ++x) {
			int64_t w;
			uint64_t share;
			int b;
			if (pair[x] < 0) continue;
			/* the first way keeps node v, the others get copies */
			w = c == 0 ? v : (int64_t)nn++;
			share = c == n - 1 ? cov - kc : cov * j->votes[i][x * 4 + pair[x]] / tot;
			kc += share;
			if (w != v) g->node[w] = g->node[v];
			g->node[w].cov = share;
			for (b = 0; b < 4; ++b) g->adj[2 * w][b] = g->adj[2 * w + 1][b] = -1;
			g->adj[2 * w][3 - x] = in[x], g->adj[2 * w + 1][pair[x]] = out[pair[x]];
			redirect(g, in[x], 2 * v, 2 * w);
			redirect(g, out[pair[x]], 2 * v + 1, 2 * w + 1);
			++c;
		}
		++st->split;
	}
	g->n = nn;
	return DY_OK;
}
