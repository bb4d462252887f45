/* dy_graph.h -- the assembly graph after the merge, and its cleaning
 * (kernels/graph.c, clean_tip.c, clean_bubble.c, clean_cov.c): pure compute,
 * no MPI, no I/O, like every kernel (dy_kern.h).
 *
 * Nodes are unitigs: a sequence of len >= k bases (2-bit packed in one store
 * for the whole graph), its k-mer count sum and number of k-mers.  Each node
 * v has two ends, e = 2v (left) and e = 2v + 1 (right).  A walk leaves v
 * through one end and enters the next node w through one of w's ends:
 * through w's left end it reads w forward, through w's right end it reads
 * the reverse complement of w.  Edges are the (k-1)-overlaps of the solid
 * (k+1)-mers: adj[e][b] is the end entered when leaving through e with the
 * OUTWARD base b (the base after v at the right end; at the left end, the
 * complement of the base before v, i.e. the next base read on rc(v)), or -1.
 * Every edge is stored at both of its ends, so adj[adj[e][b]][b'] == e for
 * one b'.  An edge may join an end to itself (a palindromic (k+1)-mer) or
 * the two ends of one node (a loop).
 *
 * Cleaning operations look at a bounded neighbourhood of each node, decide
 * on the graph as it was when the operation started (so the order in which
 * nodes are looked at cannot matter), break ties by sequence, and return
 * what they removed.  They leave dead nodes behind; dy_graph_compact then
 * merges every maximal non-branching path of the live nodes into one node,
 * so that each operation sees unitigs again.
 *
 * Example (src/phase_clean.c does this):
 *     dy_graph_t g;
 *     dy_graph_from_contigs(&raw, k, n_threads, &g);
 *     do {
 *         n = dy_clean_tips(&g, &go, hom, &st);  dy_graph_compact(&g, &pop);
 *         ...
 *     } while (n);
 *     dy_graph_to_contigs(&g, &out, &links);
 */
#ifndef DY_GRAPH_H
#define DY_GRAPH_H

#include "dy_kern.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	uint64_t off;          /* first base in the graph's packed store */
	uint64_t len;          /* bases, >= k */
	uint64_t n_kmers;      /* len - k + 1 */
	uint64_t cov;          /* k-mer count sum, plus what popped bubble arms gave it */
	uint8_t circ;          /* circular: the last k-1 bases wrap onto the first; no edges */
	uint8_t dead;          /* removed by cleaning (until the next compaction) */
} dy_gnode_t;

typedef struct {
	int k;
	size_t n;              /* nodes */
	dy_gnode_t *node;
	uint8_t *seq;          /* packed bases, base i at byte i>>2, bits 2*(i&3) */
	uint64_t seq_len, seq_cap; /* bases stored, bases of room */
	int64_t (*adj)[4];     /* 2n ends x 4 outward bases: the end entered, or -1 */
	uint64_t n_dangling;   /* extension bits that led to no node end (inconsistent counts) */
} dy_graph_t;

/* A popped bubble arm, kept for bubbles.fa: its sequence (in the walking
 * direction of the bubble), its k-mer count sum, and the node it was folded
 * into (followed through compactions; -1 if that node was removed later). */
typedef struct {
	char *seq;
	uint64_t len, cov, n_kmers;
	int64_t host;
	int kind;              /* DY_POP_ALLELE (coverage gate) or DY_POP_ERROR (error arm) */
} dy_popped_t;

#define DY_POP_ALLELE 1
#define DY_POP_ERROR  2

typedef struct {
	size_t n, m;
	dy_popped_t *a;
} dy_popset_t;

/* ---- the graph (kernels/graph.c) ------------------------------------ */

/* Mean k-mer coverage of node v. */
static inline double dy_gnode_cov(const dy_graph_t *g, size_t v)
{
	return g->node[v].n_kmers ? (double)g->node[v].cov / (double)g->node[v].n_kmers : 0.0;
}

/* Base i of node v (0 = first, in the node's own orientation). */
static inline int dy_gbase(const dy_graph_t *g, size_t v, uint64_t i)
{
	uint64_t p = g->node[v].off + i;
	return (g->seq[p >> 2] >> ((p & 3) << 1)) & 3;
}

/* Base i of node v read inward from end e (e = 2v: forward; 2v+1: reverse
 * complement). */
static inline int dy_gbase_from(const dy_graph_t *g, int64_t e, uint64_t i)
{
	size_t v = (size_t)(e >> 1);
	return (e & 1) ? 3 - dy_gbase(g, v, g->node[v].len - 1 - i) : dy_gbase(g, v, i);
}

/* Live edges of end e (0..4). */
static inline int dy_gdeg(const dy_graph_t *g, int64_t e)
{
	int b, d = 0;
	for (b = 0; b < 4; ++b) d += g->adj[e][b] >= 0;
	return d;
}

/* The graph of the unitigs in c (each with its end masks, dy_merge_run):
 * node i is c->a[i]; an extension bit becomes an edge to the node end whose
 * first k-mer read inward is the neighbour k-mer.  DY_OK, DY_ENOMEM or
 * DY_EARG (bad k). */
int dy_graph_from_contigs(const dy_contigs_t *c, int k, int n_threads, dy_graph_t *g) DY_RESULT_USED;
void dy_graph_free(dy_graph_t *g);

/* Mark v dead and remove every edge at its ends (from both sides). */
void dy_graph_kill(dy_graph_t *g, size_t v);

/* Merge every maximal non-branching path of live nodes into one node (a
 * node end with one edge, to an end with one edge, of another node or of
 * the other side of the same node), drop dead nodes, and renumber; paths
 * become linear nodes, closed paths circular ones.  Coverage sums add.
 * Hosts of pop (may be NULL) follow their node.  *changed (may be NULL) = 1
 * if any node was merged or dropped.  DY_OK or DY_ENOMEM (g unchanged). */
int dy_graph_compact(dy_graph_t *g, dy_popset_t *pop, int n_threads, int *changed) DY_RESULT_USED;

/* A link of the written graph: node a leaves through its right end when
 * ao = 0 ('+'), its left end when ao = 1 ('-'); node b is entered through
 * its left end when bo = 0, its right end when bo = 1. */
typedef struct {
	uint64_t a, b;
	uint8_t ao, bo;
} dy_glink_t;

typedef struct {
	size_t n;
	dy_glink_t *a;
} dy_glinks_t;

/* The live nodes as contigs, each in canonical orientation (the smaller
 * strand; a circular one from its smallest canonical k-mer), sorted longest
 * first then by sequence, as dy_merge_run writes them; the links between
 * them in those numbers (0-based, in the order of out), each link once, in
 * its canonical direction, sorted.  links may be NULL.  DY_OK or DY_ENOMEM. */
int dy_graph_to_contigs(const dy_graph_t *g, int n_threads, dy_contigs_t *out,
                        dy_glinks_t *links, int64_t *node_to_contig) DY_RESULT_USED;
void dy_glinks_free(dy_glinks_t *l);

void dy_popset_free(dy_popset_t *p);

/* ---- cleaning (kernels/clean_*.c) ------------------------------------ */

typedef struct {
	uint64_t tips, tip_kmers;            /* dead-end nodes removed, their k-mers */
	uint64_t bubbles, allele_arms, error_arms, bubble_kmers; /* bubbles popped, arms by kind */
	uint64_t broken_arms;                /* of those arms, dead-ending ones (broken bubbles) */
	uint64_t bubbles_kept_repeat;        /* bubbles left alone: arms too well covered (repeat copies) */
	uint64_t bubbles_kept_diverged;      /* bubbles left alone: arms not similar enough */
	uint64_t low_cov, low_cov_kmers;     /* nodes below their neighbourhood's coverage */
	uint64_t err_links, err_link_kmers;  /* short weak nodes joining well-covered parts */
} dy_clean_stats_t;

/* Tips: a node with one end free and the other attached, of at most
 * tip_len * k k-mers, whose coverage is at most tip_ratio x the best other
 * branch at every junction it hangs from.
 *
 * Every dy_clean_* returns DY_OK or DY_ENOMEM (then nothing was changed),
 * sets *n_removed to the number of nodes it removed and adds to st (may be
 * NULL). */
int dy_clean_tips(dy_graph_t *g, const dy_graph_opt_t *o, int n_threads,
                  uint64_t *n_removed, dy_clean_stats_t *st) DY_RESULT_USED;

/* Bubbles: two or more single-node arms (each of at most bubble_len * k
 * k-mers) from one node end to another.  The best-covered arm stays and
 * takes the popped arms' coverage; another arm is popped if it is similar
 * (identity >= bubble_ident by edit distance) and either the two together
 * are at most bubble_cov x hom (alleles, not repeat copies) or it is below
 * err_ratio x the kept arm (an error).  Popped arms go to pop (may be NULL).
 * *n_removed counts the arms popped. */
int dy_clean_bubbles(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                     dy_popset_t *pop, uint64_t *n_removed, dy_clean_stats_t *st) DY_RESULT_USED;

/* Broken bubbles: an arm of at most bubble_len * k k-mers that dead-ends
 * (an allele, or an error, whose path a coverage gap cut), beside an arm of
 * the same source end that goes on (or a longer one when all dead-end):
 * folded into the best-covered such arm
 * under the same coverage and similarity rules as a bubble (similarity over
 * the length both arms have).  *n_removed counts the arms folded. */
int dy_clean_broken(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                    dy_popset_t *pop, uint64_t *n_removed, dy_clean_stats_t *st) DY_RESULT_USED;

/* Low coverage against the neighbourhood: a node of at most tip_len * k
 * k-mers with coverage below low_ratio x min(the length-weighted mean of
 * its neighbours, 2 hom); an isolated one, below low_ratio x hom. */
int dy_clean_low_cov(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                     uint64_t *n_removed, dy_clean_stats_t *st) DY_RESULT_USED;

/* Erroneous connections: a node of at most 2 tip_len * k k-mers attached at
 * both ends, where every junction it joins has another branch, and whose
 * coverage is below err_ratio x the best other branch at each of its two
 * sides. */
int dy_clean_err_links(dy_graph_t *g, const dy_graph_opt_t *o, int n_threads,
                       uint64_t *n_removed, dy_clean_stats_t *st) DY_RESULT_USED;

/* One round (kernels/clean.c): tips, bubbles, low coverage, erroneous
 * connections, each followed by dy_graph_compact.  *n_removed = nodes
 * removed in all; d (not NULL) gets what each removed.  DY_OK or DY_ENOMEM. */
int dy_clean_round(dy_graph_t *g, const dy_graph_opt_t *o, double hom, int n_threads,
                   dy_popset_t *pop, dy_clean_stats_t *d, uint64_t *n_removed) DY_RESULT_USED;

/* ---- short repeats resolved by the reads (kernels/thread.c) ---------- */

/* Junctions: short nodes with two or more ways in or out, their sequences
 * (codes 0..3; what rank 0 sends every rank), an index of the first k-mer
 * of each and of its reverse complement, and the reads' votes. */
typedef struct {
	int k;
	size_t n;              /* junctions */
	uint64_t n_bases;
	int64_t *node;         /* graph node of each (rank 0) */
	uint32_t *len;         /* bases of each */
	uint64_t *off;         /* into seq */
	uint8_t *seq;          /* every junction's bases */
	uint64_t mask;         /* index slots - 1 */
	int64_t *slot;         /* entry 2i (junction i) or 2i+1 (its reverse complement), or -1 */
	uint64_t *ent;         /* hash of each entry's first k-mer */
	uint64_t *filt;        /* bit set over the last 32 bases of each entry's first k-mer: */
	int filt_shift;        /* most read k-mers are turned away by one bit, unhashed */
	uint32_t (*votes)[16]; /* votes[i][x*4+y]: reads with base x before, y after junction i */
} dy_junc_t;

/* The junctions of g: live nodes of at most max_len bases with an edge at
 * each end and two or more at one.  DY_OK or DY_ENOMEM. */
int dy_junc_select(const dy_graph_t *g, uint32_t max_len, dy_junc_t *j) DY_RESULT_USED;

/* Build the index and zeroed votes over j->n, len, off, seq (and k).
 * DY_OK or DY_ENOMEM. */
int dy_junc_index(dy_junc_t *j) DY_RESULT_USED;

/* Add the votes of one read seq[0..len) (any bytes; non-ACGT breaks) to
 * votes (n x 16; atomic increments, so threads may share it); scratch holds
 * len bytes (one per thread).
 * A junction counts only where the read holds it and a base on each side. */
void dy_junc_scan(const dy_junc_t *j, const char *seq, size_t len, uint8_t *scratch,
                  uint32_t (*votes)[16]);

/* Split every junction whose votes (j->votes, summed over all reads) pair
 * its ways in and out one to one, each pair seen by >= min_reads reads and
 * every other pair by at most a tenth of the weakest; the coverage is
 * shared by the votes; st says what became of each junction.  Compact
 * afterwards.
 * DY_OK or DY_ENOMEM. */
typedef struct {
	uint64_t split;        /* junctions split into one copy per way through */
	uint64_t one_sided;    /* not as many ways in as out (or only one way on a side) */
	uint64_t weak;         /* a way in that no min_reads reads continue */
	uint64_t ambiguous;    /* a way in that reads continue two ways */
	uint64_t crossed;      /* other pairs seen by more than a tenth of the weakest */
	uint64_t deferred;     /* a way loops back onto the junction itself */
} dy_junc_stats_t;
int dy_junc_resolve(dy_graph_t *g, const dy_junc_t *j, uint32_t min_reads, dy_junc_stats_t *st) DY_RESULT_USED;
void dy_junc_free(dy_junc_t *j);

/* Edit distance of a[0..la) and b[0..lb) if it is at most max_d, else
 * max_d + 1 (banded, O((la + lb) max_d)). */
int dy_edit_within(const uint8_t *a, size_t la, const uint8_t *b, size_t lb, int max_d);

#ifdef __cplusplus
}
#endif
#endif
