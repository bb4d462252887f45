/* test_chain.c -- dy_chain_run against a brute force on random link graphs:
 * paths, cycles, 1-node cycles, hairpins, asymmetric links, inactive nodes. */
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "dactyl.h"
#include "chain.h"

typedef struct {
	size_t n;
	int64_t *link;
	uint8_t *active;   /* NULL: all active */
} lgraph_t;

/* The oracle's idea of a usable link, written from chain.h's rules. */
static int64_t ref_follow(const lgraph_t *g, int64_t a)
{
	int64_t b = g->link[a];
	if (b < 0 || b >= 2 * (int64_t)g->n) return -1;
	if (b == a) return -1;                       /* hairpin */
	if (g->link[b] != a) return -1;              /* asymmetric */
	if (g->active && (!g->active[a / 2] || !g->active[b / 2])) return -1;
	return b;
}

static size_t uf_find(size_t *p, size_t x)
{
	while (p[x] != x) x = p[x] = p[p[x]];
	return x;
}

/* A random graph: a random partial matching of the sides, plus hairpins,
 * self links (1-node cycles), asymmetric links and inactive nodes. */
static void gen_graph(lgraph_t *g, size_t n, uint64_t *seed, int with_inactive)
{
	size_t i, n2 = 2 * n, *perm = (size_t *)malloc((n2 + 1) * sizeof *perm);
	int pr = (int)(dy_test_rand(seed) % 4); /* density of links */
	static const int dens[4] = { 30, 70, 95, 100 };
	g->n = n;
	g->link = (int64_t *)malloc((n2 + 1) * sizeof *g->link);
	g->active = with_inactive ? (uint8_t *)malloc(n + 1) : NULL;
	for (i = 0; i < n2; ++i) g->link[i] = -1, perm[i] = i;
	for (i = n2; i > 1; --i) { /* Fisher-Yates */
		size_t j = dy_test_rand(seed) % i, t = perm[i - 1];
		perm[i - 1] = perm[j], perm[j] = t;
	}
	for (i = 0; i + 1 < n2; i += 2)
		if ((int)(dy_test_rand(seed) % 100) < dens[pr])
			g->link[perm[i]] = (int64_t)perm[i + 1], g->link[perm[i + 1]] = (int64_t)perm[i];
	for (i = 0; i < n; ++i) {
		uint64_t r = dy_test_rand(seed) % 100;
		if (r < 3 && g->link[2 * i] < 0 && g->link[2 * i + 1] < 0) /* 1-node cycle */
			g->link[2 * i] = (int64_t)(2 * i + 1), g->link[2 * i + 1] = (int64_t)(2 * i);
		else if (r < 6 && g->link[2 * i] < 0)                        /* hairpin */
			g->link[2 * i] = (int64_t)(2 * i);
		else if (r < 8 && g->link[2 * i + 1] < 0)                    /* one-way link */
			g->link[2 * i + 1] = (int64_t)(dy_test_rand(seed) % n2);
		else if (r < 9 && g->link[2 * i + 1] < 0)                    /* out of range */
			g->link[2 * i + 1] = (int64_t)(n2 + dy_test_rand(seed) % 5);
	}
	if (g->active)
		for (i = 0; i < n; ++i) g->active[i] = dy_test_rand(seed) % 10 != 0;
	free(perm);
}

static void free_graph(lgraph_t *g)
{
	free(g->link), free(g->active);
}

/* Chain i of c follows usable links, is maximal, and has the right kind. */
static int check_one(const lgraph_t *g, const dy_chain_t *c, size_t i, uint8_t *seen)
{
	const uint64_t *e = c->ent + c->off[i];
	size_t j, len = c->off[i + 1] - c->off[i];
	int cyc = i >= c->n - c->n_cycles;
	int64_t entry0, exit_last;
	DY_CHECK(len >= 1);
	for (j = 0; j < len; ++j) {
		size_t v = DY_CHAIN_NODE(e[j]);
		DY_CHECK(v < g->n && !seen[v]);
		DY_CHECK(g->active == NULL || g->active[v]);
		seen[v] = 1;
		if (j + 1 < len) { /* exit side of v meets the entry side of the next */
			int64_t ex = (int64_t)(2 * v + 1 - DY_CHAIN_ORIENT(e[j]));
			DY_CHECK(ref_follow(g, ex) == (int64_t)e[j + 1]);
		}
	}
	entry0 = (int64_t)e[0];
	exit_last = (int64_t)(e[len - 1] ^ 1);
	if (cyc) DY_CHECK(ref_follow(g, exit_last) == entry0);
	else DY_CHECK(ref_follow(g, entry0) < 0 && ref_follow(g, exit_last) < 0);
	return 0;
}

/* Every active node once; components (union-find over usable links) match
 * chains one to one; cycles are the components where every side is linked. */
static int check_chains(const lgraph_t *g, const dy_chain_t *c)
{
	size_t i, j, n_comp = 0, n_full = 0, *p = (size_t *)malloc((g->n + 1) * sizeof *p);
	uint8_t *seen = (uint8_t *)calloc(g->n + 1, 1), *open = (uint8_t *)calloc(g->n + 1, 1);
	int r = 0;
	for (i = 0; i < g->n; ++i) p[i] = i;
	for (i = 0; i < 2 * g->n; ++i) {
		int64_t b = ref_follow(g, (int64_t)i);
		if (b < 0) { open[i / 2] = 1; continue; }
		p[uf_find(p, i / 2)] = uf_find(p, (size_t)b / 2);
	}
	for (i = 0; i < g->n; ++i) /* a component is "open" if one node has a free side */
		if (open[i]) open[uf_find(p, i)] = 1;
	for (i = 0; i < g->n; ++i)
		if ((g->active == NULL || g->active[i]) && uf_find(p, i) == i)
			++n_comp, n_full += !open[i];
	for (i = 0; i < c->n && r == 0; ++i) {
		size_t root = uf_find(p, DY_CHAIN_NODE(c->ent[c->off[i]]));
		r |= check_one(g, c, i, seen);
		for (j = c->off[i]; j < c->off[i + 1] && r == 0; ++j)
			if (uf_find(p, DY_CHAIN_NODE(c->ent[j])) != root) r = 1;
	}
	for (i = 0; i < g->n && r == 0; ++i)
		if ((g->active == NULL || g->active[i]) && !seen[i]) r = 1;
	free(p), free(seen), free(open);
	DY_CHECK(r == 0);
	DY_CHECK(c->n == n_comp);
	DY_CHECK(c->n_cycles == n_full);
	return 0;
}

static int same_chains(const dy_chain_t *a, const dy_chain_t *b)
{
	DY_CHECK(a->n == b->n && a->n_cycles == b->n_cycles);
	DY_CHECK(memcmp(a->off, b->off, (a->n + 1) * sizeof *a->off) == 0);
	DY_CHECK(memcmp(a->ent, b->ent, a->off[a->n] * sizeof *a->ent) == 0);
	return 0;
}

static int one_graph(size_t n, uint64_t *seed, int with_inactive)
{
	static const int nt[3] = { 1, 2, 4 };
	dy_chain_t c[3];
	lgraph_t g;
	int t, r = 0;
	gen_graph(&g, n, seed, with_inactive);
	for (t = 0; t < 3; ++t) DY_CHECK(dy_chain_run(g.link, g.active, g.n, nt[t], &c[t]) == DY_OK);
	r |= check_chains(&g, &c[0]);
	for (t = 1; t < 3 && r == 0; ++t) r |= same_chains(&c[0], &c[t]);
	for (t = 0; t < 3; ++t) dy_chain_free(&c[t]);
	free_graph(&g);
	return r;
}

static int test_random_graphs(void)
{
	uint64_t seed = 11;
	int i;
	for (i = 0; i < 400; ++i) {
		size_t n = i < 200 ? 1 + dy_test_rand(&seed) % 12 : 1 + dy_test_rand(&seed) % 5000;
		DY_CHECK(one_graph(n, &seed, i & 1) == 0);
	}
	return 0;
}

/* Many short paths, a few long ones and cycles over a random numbering,
 * with more threads than cores: walks from both ends of a path at once
 * must still keep it once, from its smaller end. */
static int test_threads_race(void)
{
	static const int nt[3] = { 1, 3, 8 };
	uint64_t seed = 12;
	size_t n = 200000, i, *perm = (size_t *)malloc(n * sizeof *perm);
	lgraph_t g;
	dy_chain_t c[3];
	int t, r = 0;
	g.n = n, g.active = NULL;
	g.link = (int64_t *)malloc(2 * n * sizeof *g.link);
	for (i = 0; i < 2 * n; ++i) g.link[i] = -1;
	for (i = 0; i < n; ++i) perm[i] = i;
	for (i = n; i > 1; --i) {
		size_t j = dy_test_rand(&seed) % i, x = perm[i - 1];
		perm[i - 1] = perm[j], perm[j] = x;
	}
	for (i = 0; i < n;) { /* chains of 1..8 nodes, one in 500 of 2000; every 97th a cycle */
		size_t len = dy_test_rand(&seed) % 500 == 0 ? 2000 : 1 + dy_test_rand(&seed) % 8, j;
		if (len > n - i) len = n - i;
		for (j = 0; j + 1 < len; ++j) { /* random sides: perm[i+j] -> perm[i+j+1] */
			int64_t a = (int64_t)(2 * perm[i + j] + 1 - (perm[i + j] & 1));
			int64_t b = (int64_t)(2 * perm[i + j + 1] + (perm[i + j + 1] & 1));
			g.link[a] = b, g.link[b] = a;
		}
		if (len > 2 && i % 97 == 0) {
			int64_t a = (int64_t)(2 * perm[i + len - 1] + 1 - (perm[i + len - 1] & 1));
			int64_t b = (int64_t)(2 * perm[i] + (perm[i] & 1));
			g.link[a] = b, g.link[b] = a;
		}
		i += len;
	}
	for (t = 0; t < 3; ++t) DY_CHECK(dy_chain_run(g.link, NULL, n, nt[t], &c[t]) == DY_OK);
	r |= check_chains(&g, &c[0]);
	for (t = 1; t < 3 && r == 0; ++t) r |= same_chains(&c[0], &c[t]);
	for (t = 0; t < 3; ++t) dy_chain_free(&c[t]);
	free_graph(&g), free(perm);
	DY_CHECK(r == 0);
	return 0;
}

/* Small graphs written out by hand: exact expected chains. */
static int test_fixed(void)
{
	/* 0:R-1:L, 1:R-2:R (2 reversed), 3 self cycle, 4 hairpin on L, 5 inactive linked to 4:R */
	int64_t link[12] = { -1, 2, 1, 5, -1, 3, 7, 6, 8, 10, 9, -1 };
	uint8_t act[6] = { 1, 1, 1, 1, 1, 0 };
	dy_chain_t c;
	DY_CHECK(dy_chain_run(link, act, 6, 2, &c) == DY_OK);
	DY_CHECK(c.n == 3 && c.n_cycles == 1);
	DY_CHECK(c.off[1] == 3 && c.ent[0] == 0 && c.ent[1] == 2 && c.ent[2] == 5); /* 0+ 1+ 2- */
	DY_CHECK(c.off[2] == 4 && c.ent[3] == 8);                                   /* 4+ alone */
	DY_CHECK(c.off[3] == 5 && c.ent[4] == 6);                                   /* cycle 3+ */
	dy_chain_free(&c);
	DY_CHECK(dy_chain_run(link, act, 0, 1, &c) == DY_OK && c.n == 0);
	dy_chain_free(&c);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_fixed, nfail);
	DY_RUN(test_random_graphs, nfail);
	DY_RUN(test_threads_race, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
