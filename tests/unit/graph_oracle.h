/* graph_oracle.h -- synthetic assembly graphs for the graph, cleaning and
 * threading tests: the string oracle's unitigs (dbg_oracle.h) of haplotype
 * sequences, each added cov times, as dy_contigs_t with their end masks
 * (solid (k+1)-mers, by string): nothing of dactyl's counting, compaction or
 * merge is used. */
#ifndef GRAPH_ORACLE_H
#define GRAPH_ORACLE_H
#include <stdlib.h>
#include <string.h>
#include "dbg_oracle.h"
#include "dy_graph.h"

typedef struct {
	const char *seq;
	int cov;
} hap_t;

/* The oracle's unitigs of the haplotypes as dy_contigs_t, with end masks. */
static inline int oracle_contigs(const hap_t *h, int nh, int k, dy_contigs_t *out)
{
	orc_dbg_t g;
	orc_utg_t *u = NULL;
	int64_t n, i;
	int j, c, b;
	orc_dbg_init(&g, k, 1);
	for (j = 0; j < nh; ++j)
		for (c = 0; c < h[j].cov; ++c) orc_dbg_add(&g, h[j].seq, strlen(h[j].seq), 0);
	orc_dbg_finish(&g);
	if ((n = orc_unitigs(&g, &u)) < 0) { orc_dbg_free(&g); return -1; }
	memset(out, 0, sizeof *out);
	out->n = (size_t)n;
	out->a = (dy_contig_t *)calloc((size_t)n + 1, sizeof *out->a);
	for (i = 0; i < n; ++i) {
		dy_contig_t *t = &out->a[i];
		size_t len = strlen(u[i].seq);
		char e[130];
		t->seq = u[i].seq, u[i].seq = NULL;
		t->len = len, t->n_kmers = len - (size_t)k + 1, t->cov = u[i].cov, t->circular = u[i].circ;
		for (b = 0; b < 4 && !t->circular; ++b) {
			e[0] = "ACGT"[b], memcpy(e + 1, t->seq, (size_t)k), e[k + 1] = 0;
			if (orc_set_count(&g.ed, e) >= 1) t->ext[0] |= (uint8_t)(1 << b);
			memcpy(e, t->seq + len - (size_t)k, (size_t)k), e[k] = "ACGT"[b], e[k + 1] = 0;
			if (orc_set_count(&g.ed, e) >= 1) t->ext[1] |= (uint8_t)(1 << b);
		}
	}
	orc_utg_free(u, n);
	orc_dbg_free(&g);
	return 0;
}

#endif
