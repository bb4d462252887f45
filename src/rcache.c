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
 * The runs come back in batches, in the order they were read.
 *
 * Pairs stay pairs, for the phases that place mates (insert sizes,
 * scaffolding): each run carries a tag (the first run of its read, and
 * which mate the read is), and a mate also keeps its length and where each
 * of its runs starts (a read with no run kept keeps an empty one), so a
 * mate comes back whole, at its own length, with N where a base was not
 * kept.  Pair i of the rank is its i-th pair of mates: an id without a
 * message. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "reads.h"

static void drop_(dy_rcache_t *c);

#define TAG_FIRST 1u              /* the first run of its read */
#define TAG_MATE(t) ((t) >> 1 & 3u)

struct dy_rcache_s {
	size_t budget;            /* bytes at most */
	int over, complete;
	dy_buf_t len;             /* u32 per run */
	dy_buf_t pk;              /* packed runs, each starting on a byte */
	dy_buf_t tag;             /* u8 per run: TAG_FIRST | mate << 1 */
	dy_buf_t ms;              /* u32s of a mate: its length, then each run's start */
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
	dy_buf_free(&c->len), dy_buf_free(&c->pk), dy_buf_free(&c->tag), dy_buf_free(&c->ms);
	free(c);
}

void dy_rcache_drop(dy_rcache_t *c)
{
	if (c) drop_(c);
}

static void drop_(dy_rcache_t *c)
{
	c->over = 1, c->complete = 0;
	dy_buf_free(&c->len), dy_buf_free(&c->pk), dy_buf_free(&c->tag), dy_buf_free(&c->ms);
}

static size_t held(const dy_rcache_t *c) { return c->len.n + c->pk.n + c->tag.n + c->ms.n; }

/* One run (n bases of s, starting at a of its read) with its tag. */
static int keep_run(dy_rcache_t *c, const char *s, uint32_t a, uint32_t n, unsigned tag)
{
	uint32_t j;
	uint8_t *p;
	size_t need = 4 + (n + 3) / 4 + 1 + (TAG_MATE(tag) ? 4 : 0);
	if (held(c) + need > c->budget || dy_buf_reserve(&c->len, 4) < 0 || dy_buf_reserve(&c->pk, (n + 3) / 4) < 0 ||
	    dy_buf_reserve(&c->tag, 1) < 0 || dy_buf_reserve(&c->ms, 4) < 0)
		return -1;
	memcpy(c->len.a + c->len.n, &n, 4), c->len.n += 4;
	c->tag.a[c->tag.n++] = (uint8_t)tag;
	if (TAG_MATE(tag)) memcpy(c->ms.a + c->ms.n, &a, 4), c->ms.n += 4;
	p = c->pk.a + c->pk.n;
	memset(p, 0, (n + 3) / 4);
	for (j = 0; j < n; ++j) p[j >> 2] |= (uint8_t)(dy_nt4_table[(uint8_t)s[a + j]] << ((j & 3) << 1));
	c->pk.n += (n + 3) / 4;
	return 0;
}

void dy_rcache_add(dy_rcache_t *c, const dy_batch_t *b)
{
	size_t i;
	if (c == NULL || c->over || b == NULL) return;
	c->n_records += b->n, c->n_bases += b->n_bases;
	for (i = 0; i < b->n; ++i) {
		const char *s = b->seq + b->off[i];
		uint32_t L = b->len[i], a = 0, e;
		unsigned mate = b->mate ? b->mate[i] & 3u : 0, tag = TAG_FIRST | mate << 1;
		if (mate) {   /* its length first */
			if (held(c) + 4 > c->budget || dy_buf_reserve(&c->ms, 4) < 0) goto over;
			memcpy(c->ms.a + c->ms.n, &L, 4), c->ms.n += 4;
		}
		while (a < L) {
			uint32_t n;
			while (a < L && dy_nt4_table[(uint8_t)s[a]] > 3) ++a;
			for (e = a; e < L && dy_nt4_table[(uint8_t)s[e]] <= 3; ++e) {}
			n = e - a;
			if (n >= DY_KMIN) {
				if (keep_run(c, s, a, n, tag) < 0) goto over;
				tag &= ~TAG_FIRST;
			}
			a = e;
		}
		if (mate && (tag & TAG_FIRST) && keep_run(c, s, 0, 0, tag) < 0) goto over;   /* no run: an empty one */
	}
	return;
over:
	drop_(c);
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
	*bytes = c ? held(c) : 0;
}

void dy_rcache_rewind(dy_rcache_cursor_t *cur)
{
	cur->run = 0, cur->pk = 0, cur->ms = 0;
}

static int room(dy_batch_t *b, size_t n)
{
	if (b->n == b->m && dy_batch_grow(b) < 0) return DY_ENOMEM;
	if (b->n_bases + n > b->m_bases) {
		size_t m = 2 * (b->n_bases + n);
		char *seq = (char *)realloc(b->seq, m);
		if (seq == NULL) return DY_ENOMEM;
		b->seq = seq, b->m_bases = m;
	}
	return DY_OK;
}

static void unpack(const uint8_t *p, uint32_t n, char *out)
{
	uint32_t j;
	for (j = 0; j < n; ++j) out[j] = dy_nt_char[(p[j >> 2] >> ((j & 3) << 1)) & 3];
}

int dy_rcache_next(const dy_rcache_t *c, dy_rcache_cursor_t *cur, size_t max_bases, dy_batch_t *b)
{
	size_t nr = c->len.n / 4;
	b->n = 0, b->n_bases = 0;
	if (max_bases == 0) max_bases = 1;
	while (cur->run < nr && b->n_bases < max_bases) {
		uint32_t n;
		unsigned tag = c->tag.a[cur->run];
		memcpy(&n, c->len.a + 4 * cur->run, 4);
		cur->ms += TAG_MATE(tag) ? ((tag & TAG_FIRST) ? 8 : 4) : 0;
		if (n > 0) {   /* an empty run only holds a mate's place */
			if (room(b, n) < 0) return DY_ENOMEM;
			b->off[b->n] = b->n_bases, b->len[b->n] = n, b->mate[b->n] = 0;
			unpack(c->pk.a + cur->pk, n, b->seq + b->n_bases);
			b->n_bases += n, ++b->n;
		}
		cur->pk += (n + 3) / 4, ++cur->run;
	}
	return b->n ? DY_OK : DY_EOF;
}

int dy_rcache_next_mates(const dy_rcache_t *c, dy_rcache_cursor_t *cur, size_t max_bases, dy_batch_t *b)
{
	size_t nr = c->len.n / 4;
	b->n = 0, b->n_bases = 0;
	if (max_bases == 0) max_bases = 1;
	/* stop only before a first mate, so a batch holds whole pairs */
	while (cur->run < nr && (b->n_bases < max_bases || TAG_MATE(c->tag.a[cur->run]) == 2)) {
		uint32_t n, L, at;
		unsigned tag = c->tag.a[cur->run];
		char *s;
		if (TAG_MATE(tag) == 0) {   /* a single read's run */
			memcpy(&n, c->len.a + 4 * cur->run, 4);
			cur->pk += (n + 3) / 4, ++cur->run;
			continue;
		}
		memcpy(&L, c->ms.a + cur->ms, 4), cur->ms += 4;
		if (room(b, L) < 0) return DY_ENOMEM;
		s = b->seq + b->n_bases;
		memset(s, 'N', L);
		do {   /* the runs of this mate */
			memcpy(&n, c->len.a + 4 * cur->run, 4);
			memcpy(&at, c->ms.a + cur->ms, 4), cur->ms += 4;
			unpack(c->pk.a + cur->pk, n, s + at);
			cur->pk += (n + 3) / 4, ++cur->run;
		} while (cur->run < nr && !(c->tag.a[cur->run] & TAG_FIRST));
		b->off[b->n] = b->n_bases, b->len[b->n] = L, b->mate[b->n] = (uint8_t)TAG_MATE(tag);
		b->n_bases += L, ++b->n;
	}
	return b->n ? DY_OK : DY_EOF;
}
