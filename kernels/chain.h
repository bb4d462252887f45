/* chain.h -- maximal chains and cycles of a two-sided link graph (private
 * to kernels/: compaction links k-mers, merge links fragments).
 *
 * n nodes, each with two sides, side 0 (left) and side 1 (right); side id
 * a = 2*node + side.  link[a] is the side a is linked to, or -1.  A link is
 * used only when it is symmetric (link[link[a]] == a), joins two distinct
 * sides (a hairpin link[a] == a is dropped) and both nodes are active; a
 * link from one side of a node to its other side makes a 1-node cycle.
 * With these rules every active node lies on exactly one maximal chain
 * (path) or cycle, so the result does not depend on how it is found.
 *
 * Example:
 *     dy_chain_t c;
 *     if (dy_chain_run(link, NULL, n, 4, &c) < 0) goto fail;
 *     for (i = 0; i < c.n; ++i)            // c.ent[c.off[i] .. c.off[i+1])
 *         use(c.ent + c.off[i], c.off[i+1] - c.off[i], i >= c.n - c.n_cycles);
 *     dy_chain_free(&c);
 */
#ifndef DY_CHAIN_H
#define DY_CHAIN_H

#include <stdint.h>
#include <stddef.h>

/* An entry of a chain: node << 1 | orientation, orientation 0 = the node is
 * traversed from its left side to its right side. */
#define DY_CHAIN_NODE(e)   ((e) >> 1)
#define DY_CHAIN_ORIENT(e) ((int)((e) & 1))

typedef struct {
	size_t n;          /* chains and cycles; paths first, then cycles */
	size_t n_cycles;   /* the last n_cycles of them are cycles */
	uint64_t *off;     /* n+1 offsets into ent */
	uint64_t *ent;     /* entries, see DY_CHAIN_NODE/DY_CHAIN_ORIENT */
} dy_chain_t;

/* Find every maximal chain and cycle among the active nodes (active may be
 * NULL: all active).  Paths come in increasing order of their first node
 * (each walked from its end with the smaller side id), cycles in increasing
 * order of their smallest node (walked from it, orientation 0): the output
 * is the same for every n_threads.  link has 2n entries; values outside
 * -1..2n-1 count as -1.  DY_OK or DY_ENOMEM; on failure out is empty.
 * Thread-safe for distinct outputs. */
int dy_chain_run(const int64_t *link, const uint8_t *active, size_t n,
                 int n_threads, dy_chain_t *out);
void dy_chain_free(dy_chain_t *c);

#endif
