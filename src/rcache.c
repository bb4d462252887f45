/* rcache.c -- this rank's reads kept in memory, 2 bits a base, so that the
 * phases after the first read of the input (the count after the pilot, the
 * repeat resolution after the count) do not inflate and parse it again.
 *
 * Only what the k-mer phases see is kept: the ACGT runs of each read (any
 * other byte breaks k-mers anyway), those of at least DY_KMIN bases, each
 * as a length and its packed bases.  The cache is filled batch by batch
 * while a phase reads the files; past its budget it empties itself and says
 * so (the later phases then read the files again: the same result, later).
 * It is complete when the share was read to its end within the budget.
 * The runs come back in batches, in the order they were read. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "reads.h"

static void drop_(dy_rcache_t *c);

struct dy_rcache_s {
	size_t budget;            /* bytes at most */
	int over, complete;
	dy_buf_t len;             /* u32 per run */
	dy_buf_t pk;              /* packed runs, each starting on a byte */
	uint64_t n_records, n_bases;   /* of the reads, as the reader counted them */
};

dy_rcache_t *dy_rcache_init(size_t budget)
{
	dy_rcache_t *c = (dy_rcache_t *)calloc(1, sizeof *c);
	if (c) c->budget = budget;
	return c;
}

void dy_rcache_free(dy_rcache_t *c)
{
	if (c == NULL) return;
	dy_buf_free(&c->len), dy_buf_free(&c->pk);
	free(c);
}

void dy_rcache_drop(dy_rcache_t *c)
{
	if (c) drop_(c);
}

static void drop_(dy_rcache_t *c)
{
	c->over = 1, c->complete = 0;
	dy_buf_free(&c->len), dy_buf_free(&c->pk);
}

void dy_rcache_add(dy_rcache_t *c, const dy_batch_t *b)
{
	size_t i;
	if (c == NULL || c->over || b == NULL) return;
	c->n_records += b->n, c->n_bases += b->n_bases;
	for (i = 0; i < b->n; ++i) {
		const char *s = b->seq + b->off[i];
		uint32_t L = b->len[i], a = 0, e;
		while (a < L) {
			uint32_t n, j;
			uint8_t *p;
			while (a < L && dy_nt4_table[(uint8_t)s[a]] > 3) ++a;
			for (e = a; e < L && dy_nt4_table[(uint8_t)s[e]] <= 3; ++e) {}
			n = e - a;
			if (n >= DY_KMIN) {
				if (c->len.n + c->pk.n + 4 + (n + 3) / 4 > c->budget ||
				    dy_buf_reserve(&c->len, 4) < 0 || dy_buf_reserve(&c->pk, (n + 3) / 4) < 0) {
					drop_(c);
					return;
				}
				memcpy(c->len.a + c->len.n, &n, 4), c->len.n += 4;
				p = c->pk.a + c->pk.n;
				memset(p, 0, (n + 3) / 4);
				for (j = 0; j < n; ++j) p[j >> 2] |= (uint8_t)(dy_nt4_table[(uint8_t)s[a + j]] << ((j & 3) << 1));
				c->pk.n += (n + 3) / 4;
			}
			a = e;
		}
	}
}

void dy_rcache_done(dy_rcache_t *c)
{
	if (c && !c->over) c->complete = 1;
}

int dy_rcache_complete(const dy_rcache_t *c)
{
	return c != NULL && c->complete;
}

void dy_rcache_stats(const dy_rcache_t *c, uint64_t *n_records, uint64_t *n_bases, size_t *bytes)
{
	*n_records = c ? c->n_records : 0, *n_bases = c ? c->n_bases : 0;
	*bytes = c ? c->len.n + c->pk.n : 0;
}

void dy_rcache_rewind(dy_rcache_cursor_t *cur)
{
	cur->run = 0, cur->pk = 0;
}

int dy_rcache_next(const dy_rcache_t *c, dy_rcache_cursor_t *cur, size_t max_bases, dy_batch_t *b)
{
	size_t nr = c->len.n / 4;
	b->n = 0, b->n_bases = 0;
	if (max_bases == 0) max_bases = 1;
	while (cur->run < nr && b->n_bases < max_bases) {
		uint32_t n, j;
		const uint8_t *p = c->pk.a + cur->pk;
		memcpy(&n, c->len.a + 4 * cur->run, 4);
		if (b->n == b->m) {
			size_t m = b->m ? 2 * b->m : 4096;
			size_t *off = (size_t *)realloc(b->off, m * sizeof *off);
			uint32_t *len;
			if (off == NULL) return DY_ENOMEM;
			b->off = off;
			if ((len = (uint32_t *)realloc(b->len, m * sizeof *len)) == NULL) return DY_ENOMEM;
			b->len = len, b->m = m;
		}
		if (b->n_bases + n > b->m_bases) {
			size_t m = 2 * (b->n_bases + n);
			char *seq = (char *)realloc(b->seq, m);
			if (seq == NULL) return DY_ENOMEM;
			b->seq = seq, b->m_bases = m;
		}
		b->off[b->n] = b->n_bases, b->len[b->n] = n;
		for (j = 0; j < n; ++j) b->seq[b->n_bases + j] = dy_nt_char[(p[j >> 2] >> ((j & 3) << 1)) & 3];
		b->n_bases += n, ++b->n;
		cur->pk += (n + 3) / 4, ++cur->run;
	}
	return b->n ? DY_OK : DY_EOF;
}
