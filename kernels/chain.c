/* chain.c -- maximal chains and cycles of a two-sided link graph (chain.h).
 *
 * A walk along a path is a chain of dependent loads that miss the cache at
 * every step, so walks are few and overlapped:
 *   measure  threads take blocks of nodes; each free side (a path end) is
 *            claimed (an atomic flag per node) and walked to the other end,
 *            which is claimed in turn, so a path is walked once -- twice
 *            only when two threads start from its two ends at once, and
 *            then the walk from the smaller side id keeps it.  Its length
 *            is stored at its first node (the end with the smaller side id);
 *   place    a prefix sum over nodes places every path by its first node;
 *   write    the paths are walked again from their first side, writing
 *            their entries.
 * Each thread keeps LANES walks in flight, one step of each in turn with
 * the next node prefetched, so a thread waits on LANES loads at once.
 * Nodes left unvisited lie on cycles; those are walked sequentially in
 * node order.  Nothing depends on the thread count.
 * Memory per node: 16 (usable links) + 1 (claims, then visits) + 8 (path
 * lengths, freed before the output is allocated) or 8 (output), plus 16
 * per path (offsets, first sides). */
#include <stdlib.h>
#include <string.h>
#include "dactyl.h"
#include "chain.h"

/* below this many items a team of threads costs more than the work */
#define PAR_MIN 1024
/* walks a thread keeps in flight */
#define LANES 16
/* nodes a thread takes at a time when it looks for path ends */
#define BLK 4096

typedef struct {
	const int64_t *link;
	const uint8_t *active;
	int64_t n2;                /* 2n: number of sides */
	int64_t *use;              /* usable links: use[a] = follow(a), or -1 */
} graph_t;

/* The side linked to side a under the rules of chain.h, or -1. */
static inline int64_t follow(const graph_t *g, int64_t a)
{
	int64_t b = g->link[a];
	if (b < 0 || b >= g->n2 || b == a || g->link[b] != a) return -1;
	if (g->active && (!g->active[a >> 1] || !g->active[b >> 1])) return -1;
	return b;
}

/* Resolve every link once, streaming, so that a walk costs one random
 * access per node instead of three (its links, its partner's, activity). */
static void resolve(graph_t *g, int n_threads)
{
	int64_t a;
#pragma omp parallel for num_threads(n_threads) schedule(static) if (g->n2 >= 2 * PAR_MIN)
	for (a = 0; a < g->n2; ++a) g->use[a] = follow(g, a);
}

typedef struct {
	int64_t a;        /* the side by which the walk entered its current node */
	int64_t start;    /* measure: the free side it started from; write: -1 */
	uint64_t len;     /* nodes entered so far */
	uint64_t *ent;    /* write: where the entries go */
} lane_t;

/* Where a thread finds path ends: sides cur..lim-1, then the next block. */
typedef struct {
	int64_t cur, lim;
} cursor_t;

/* The next unclaimed path end (a free side of an active node), claimed, or
 * -1 when every block has been taken. */
static int64_t next_end(const graph_t *g, uint8_t *claim, cursor_t *cu, int64_t *next_blk)
{
	for (;;) {
		int64_t b;
		for (; cu->cur < cu->lim; ++cu->cur) {
			int64_t a = cu->cur;
			if (g->use[a] >= 0 || (g->active && !g->active[a >> 1])) continue;
			if (__atomic_exchange_n(&claim[a >> 1], 1, __ATOMIC_RELAXED)) continue;
			++cu->cur;
			return a;
		}
		b = __atomic_fetch_add(next_blk, BLK, __ATOMIC_RELAXED);
		if (2 * b >= g->n2) return -1;
		cu->cur = 2 * b, cu->lim = 2 * b + 2 * BLK < g->n2 ? 2 * b + 2 * BLK : g->n2;
	}
}

/* A measuring walk has reached the last node of its path through side a:
 * claim that end; if the walk from the other end holds it too, the walk
 * from the smaller side keeps the path.  The keeper stores the length at
 * the first node: plen = len << 1 | the side the path is entered by. */
static void path_done(uint8_t *claim, const lane_t *l, uint64_t *plen)
{
	int64_t e = l->a ^ 1, f = l->start < e ? l->start : e;
	if ((e >> 1) != (l->start >> 1) && __atomic_exchange_n(&claim[e >> 1], 1, __ATOMIC_RELAXED)
	    && l->start > e)
		return; /* the walk from e keeps it */
	plen[f >> 1] = l->len << 1 | (uint64_t)(f & 1);
}

/* Measure every path: LANES walks in flight per thread. */
static void count_paths(const graph_t *g, uint8_t *claim, uint64_t *plen, int n_threads)
{
	int64_t next_blk = 0;
#pragma omp parallel num_threads(n_threads) if (g->n2 >= 2 * PAR_MIN)
	{
		lane_t L[LANES];
		cursor_t cu = { 0, 0 };
		int nl = 0, j;
		int64_t s;
		while (nl < LANES && (s = next_end(g, claim, &cu, &next_blk)) >= 0)
			L[nl].a = L[nl].start = s, L[nl].len = 1, ++nl;
		while (nl > 0) {
			for (j = 0; j < nl;) {
				lane_t *l = &L[j];
				int64_t b = g->use[l->a ^ 1];
				if (b >= 0) {
					__builtin_prefetch(&g->use[b ^ 1]);
					l->a = b, ++l->len, ++j;
					continue;
				}
				path_done(claim, l, plen);
				if ((s = next_end(g, claim, &cu, &next_blk)) >= 0) {
					__builtin_prefetch(&g->use[s ^ 1]);
					l->a = l->start = s, l->len = 1, ++j;
				} else L[j] = L[--nl];
			}
		}
	}
}

/* Write the paths (their starts in first[], their places in c->off);
 * LANES walks in flight per thread; mark the nodes in vis if it is set. */
static void write_paths(const graph_t *g, const dy_chain_t *c, const int64_t *first,
                        uint8_t *vis, int n_threads)
{
	int64_t next = 0, np = (int64_t)c->n;
#pragma omp parallel num_threads(n_threads) if (c->off[np] >= PAR_MIN)
	{
		lane_t L[LANES];
		int nl = 0, j;
		int64_t p;
		while (nl < LANES && (p = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED)) < np)
			L[nl].a = first[p], L[nl].len = 0, L[nl].ent = c->ent + c->off[p], ++nl;
		while (nl > 0) {
			for (j = 0; j < nl;) {
				lane_t *l = &L[j];
				int64_t b = g->use[l->a ^ 1];
				l->ent[l->len++] = (uint64_t)l->a; /* node << 1 | side entered = orientation */
				if (vis) vis[l->a >> 1] = 1;
				if (b >= 0) {
					__builtin_prefetch(&g->use[b ^ 1]);
					l->a = b, ++j;
					continue;
				}
				if ((p = __atomic_fetch_add(&next, 1, __ATOMIC_RELAXED)) < np) {
					__builtin_prefetch(&g->use[first[p] ^ 1]);
					l->a = first[p], l->len = 0, l->ent = c->ent + c->off[p], ++j;
				} else L[j] = L[--nl];
			}
		}
	}
}

/* Grow the offsets array to hold at least m+1 entries. */
static int grow_off(dy_chain_t *c, size_t *cap, size_t m)
{
	uint64_t *p;
	size_t nc;
	if (m + 1 <= *cap) return DY_OK;
	nc = *cap + (*cap >> 1) + 16;
	if (nc < m + 1) nc = m + 1;
	if ((p = (uint64_t *)realloc(c->off, nc * sizeof *p)) == NULL) return DY_ENOMEM;
	c->off = p, *cap = nc;
	return DY_OK;
}

/* Walk the cycle through node i (every side of it is linked) from its left
 * side, append it to c and mark its nodes. */
static uint64_t walk_cycle(const graph_t *g, int64_t i, uint8_t *vis, uint64_t *ent)
{
	int64_t a = 2 * i;
	uint64_t len = 0;
	do {
		vis[a >> 1] = 1;
		ent[len++] = (uint64_t)a;
		a = g->use[a ^ 1];
	} while (a >= 0 && !vis[a >> 1]); /* the guard only matters for corrupt links */
	return len;
}

int dy_chain_run(const int64_t *link, const uint8_t *active, size_t n,
                 int n_threads, dy_chain_t *out)
{
	graph_t g = { link, active, 2 * (int64_t)n, NULL };
	uint64_t *plen = NULL, n_act = n, tot = 0;
	int64_t *first = NULL, i;
	uint8_t *vis = NULL;
	size_t cap = 0, m = 0;
	int ret = DY_ENOMEM;

	memset(out, 0, sizeof *out);
	if (n_threads < 1) n_threads = 1;
	plen = (uint64_t *)calloc(n ? n : 1, sizeof *plen);
	vis = (uint8_t *)calloc(n ? n : 1, 1); /* claims first, then visits */
	g.use = (int64_t *)malloc((2 * n + 1) * sizeof *g.use);
	if (plen == NULL || vis == NULL || g.use == NULL) goto fail;
	resolve(&g, n_threads);
	count_paths(&g, vis, plen, n_threads);
	if (active)
		for (i = 0, n_act = 0; i < (int64_t)n; ++i) n_act += active[i] != 0;

	for (i = 0; i < (int64_t)n; ++i) m += plen[i] != 0;
	if (grow_off(out, &cap, m) < 0) goto fail;
	if ((first = (int64_t *)malloc((m ? m : 1) * sizeof *first)) == NULL) goto fail;
	for (i = 0, m = 0; i < (int64_t)n; ++i) { /* paths in order of first node */
		if (plen[i] == 0) continue;
		out->off[m] = tot, tot += plen[i] >> 1;
		first[m++] = 2 * i + (int64_t)(plen[i] & 1);
	}
	out->off[m] = tot, out->n = m;
	free(plen), plen = NULL; /* before the output: the peak stays lower */
	if ((out->ent = (uint64_t *)malloc((n_act ? n_act : 1) * sizeof *out->ent)) == NULL) goto fail;
	if (tot < n_act) memset(vis, 0, n); /* cycles remain: mark what paths take */
	write_paths(&g, out, first, tot < n_act ? vis : NULL, n_threads);

	for (i = 0; i < (int64_t)n && tot < n_act; ++i) { /* what is left lies on cycles */
		if (vis[i] || (active && !active[i])) continue;
		if (grow_off(out, &cap, out->n + 1) < 0) goto fail;
		tot += walk_cycle(&g, i, vis, out->ent + tot);
		out->off[++out->n] = tot, ++out->n_cycles;
	}
	ret = DY_OK;
fail:
	free(plen), free(first), free(vis), free(g.use);
	if (ret < 0) dy_chain_free(out);
	return ret;
}

void dy_chain_free(dy_chain_t *c)
{
	free(c->off), free(c->ent);
	memset(c, 0, sizeof *c);
}
