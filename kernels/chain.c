/* chain.c -- maximal chains and cycles of a two-sided link graph (chain.h).
 *
 * Paths are found in parallel: every path end walks to the other end, and
 * only the end with the smaller side id keeps the path, so each path is
 * counted once without any shared state.  A prefix sum over nodes then
 * places every path in the output by its first node, and a second walk
 * writes it.  Nodes left unvisited lie on cycles; those are walked
 * sequentially in node order.  Nothing depends on the thread count.
 * Memory: 33 bytes per node (usable links, path lengths, marks, output). */
#include <stdlib.h>
#include <string.h>
#include "dactyl.h"
#include "chain.h"

/* below this many items a team of threads costs more than the work */
#define PAR_MIN 1024

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

/* Walk a path entering its first node through the free side a; write the
 * entries to ent (if not NULL) and the exit side of the last node to *end.
 * Returns the number of nodes. */
static uint64_t walk_path(const graph_t *g, int64_t a, uint64_t *ent, int64_t *end)
{
	uint64_t len = 0;
	for (;;) {
		int64_t b;
		if (ent) ent[len] = (uint64_t)a; /* node << 1 | side entered = orientation */
		++len;
		if ((b = g->use[a ^ 1]) < 0) break;
		a = b;
	}
	*end = a ^ 1;
	return len;
}

/* Side through which the path starting at node i is walked, or -1 if node
 * i does not start a path: it must be an end, and its free side must be
 * smaller than the free side at the other end. */
static int64_t path_start(const graph_t *g, int64_t i, uint64_t *len)
{
	int s;
	if (g->active && !g->active[i]) return -1;
	for (s = 0; s < 2; ++s) {
		int64_t a = 2 * i + s, end;
		if (g->use[a] >= 0) continue;
		*len = walk_path(g, a, NULL, &end);
		if (a < end) return a;
	}
	return -1;
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

/* Count active nodes; at each path's first node i, plen[i] = its length
 * << 1 | the side it is entered by (0 elsewhere). */
static uint64_t count_paths(const graph_t *g, int64_t n, uint64_t *plen, int n_threads)
{
	uint64_t n_act = 0;
	int64_t i;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 1024) reduction(+:n_act) if (n >= PAR_MIN)
	for (i = 0; i < n; ++i) {
		uint64_t len = 0;
		int64_t a = path_start(g, i, &len);
		plen[i] = a >= 0 ? len << 1 | (uint64_t)(a & 1) : 0;
		n_act += !g->active || g->active[i];
	}
	return n_act;
}

/* Write the paths (their starts in plen-order) and mark their nodes. */
static void write_paths(const graph_t *g, const dy_chain_t *c, const int64_t *first,
                        uint8_t *vis, int n_threads)
{
	int64_t j, np = (int64_t)c->n;
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 64) if (c->off[np] >= PAR_MIN)
	for (j = 0; j < np; ++j) {
		uint64_t len, k, *ent = c->ent + c->off[j];
		int64_t end;
		len = walk_path(g, first[j], ent, &end);
		for (k = 0; k < len; ++k) vis[ent[k] >> 1] = 1; /* each node on one path only */
	}
}

int dy_chain_run(const int64_t *link, const uint8_t *active, size_t n,
                 int n_threads, dy_chain_t *out)
{
	graph_t g = { link, active, 2 * (int64_t)n, NULL };
	uint64_t *plen = NULL, n_act, tot = 0;
	int64_t *first = NULL, i;
	uint8_t *vis = NULL;
	size_t cap = 0, m = 0;
	int ret = DY_ENOMEM;

	memset(out, 0, sizeof *out);
	if (n_threads < 1) n_threads = 1;
	plen = (uint64_t *)malloc((n ? n : 1) * sizeof *plen);
	vis = (uint8_t *)calloc(n ? n : 1, 1);
	g.use = (int64_t *)malloc((2 * n + 1) * sizeof *g.use);
	if (plen == NULL || vis == NULL || g.use == NULL) goto fail;
	resolve(&g, n_threads);
	n_act = count_paths(&g, (int64_t)n, plen, n_threads);

	for (i = 0; i < (int64_t)n; ++i) m += plen[i] != 0;
	if (grow_off(out, &cap, m) < 0) goto fail;
	if ((first = (int64_t *)malloc((m ? m : 1) * sizeof *first)) == NULL) goto fail;
	if ((out->ent = (uint64_t *)malloc((n_act ? n_act : 1) * sizeof *out->ent)) == NULL) goto fail;
	for (i = 0, m = 0; i < (int64_t)n; ++i) { /* paths in order of first node */
		if (plen[i] == 0) continue;
		out->off[m] = tot, tot += plen[i] >> 1;
		first[m++] = 2 * i + (int64_t)(plen[i] & 1);
	}
	out->off[m] = tot, out->n = m;
	write_paths(&g, out, first, vis, n_threads);

	for (i = 0; i < (int64_t)n; ++i) { /* what is left lies on cycles */
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
