/* superkmer.c -- cut reads into super-k-mer records (dy_skm_scan, dy_kern.h).
 *
 * For each ACGT run of a read (any other byte breaks it; case is ignored)
 * the m-mer hashes are rolled forward and the minimum over each k-mer's
 * k-m+1 m-mers is kept with a monotone deque, O(1) amortised per base:
 * the deque holds increasing hashes of the m-mers still in the window, so
 * its front is the window minimum.  The window is at most 63 m-mers, so
 * the deque lives in a fixed ring on the stack: no scratch allocation.
 *
 * A super-k-mer is a maximal run of consecutive k-mers whose minimizer
 * VALUES are equal (values, not positions: a value that moves inside the
 * window keeps the run going, which makes records longer and does not
 * change the owner).  Its record carries the base before its first k-mer
 * and the base after its last one when they are in the same ACGT run, so
 * the owner sees every (k+1)-mer touching its k-mers.
 */
#include <string.h>
#include "dy_kern.h"

#define RING 128            /* > the largest window, 63 - 1 + 1 + 1 */

typedef struct {
	uint64_t v[RING];       /* hashes, increasing from head to tail */
	size_t pos[RING];       /* m-mer start positions */
	size_t head, tail;      /* unmasked counters: size = tail - head */
} deque_t;

static inline void dq_push(deque_t *d, uint64_t v, size_t pos)
{
	while (d->tail != d->head && d->v[(d->tail - 1) % RING] >= v) --d->tail;
	d->v[d->tail % RING] = v, d->pos[d->tail % RING] = pos;
	++d->tail;
}

/* Window minimum over m-mers starting at >= lo. */
static inline uint64_t dq_min(deque_t *d, size_t lo)
{
	while (d->pos[d->head % RING] < lo) ++d->head;
	return d->v[d->head % RING];
}

/* Append the record of the k-mers starting at a..b of run s[0..len). */
static int emit(const char *s, size_t len, int k, size_t a, size_t b,
                uint64_t mz, int n_ranks, int sample, dy_buf_t *dest)
{
	int lf = a > 0, rf = b + k < len, ret;
	size_t st = a - lf, n = b + k + rf - st, i;
	dy_buf_t *d = &dest[dy_mzr_owner(mz, n_ranks)];
	uint8_t *p;
	/* the pilot's sample: whole minimizers, so every k-mer kept is counted in full */
	if (sample && dy_hash64(mz ^ 0x94d049bb133111ebULL) >> (64 - sample)) return DY_OK;
	if (n > UINT32_MAX) return DY_ELIMIT;
	if ((ret = dy_buf_reserve(d, dy_skm_size((uint32_t)n))) < 0) return ret;
	p = d->a + d->n;
	p[0] = (uint8_t)n, p[1] = (uint8_t)(n >> 8), p[2] = (uint8_t)(n >> 16), p[3] = (uint8_t)(n >> 24);
	p[4] = (uint8_t)(lf | rf << 1);
	p += DY_SKM_HDR;
	memset(p, 0, dy_skm_size((uint32_t)n) - DY_SKM_HDR);
	for (i = 0; i < n; ++i)
		p[i >> 2] |= (uint8_t)(dy_nt4_table[(uint8_t)s[st + i]] << ((i & 3) << 1));
	d->n += dy_skm_size((uint32_t)n);
	return DY_OK;
}

/* Cut one ACGT run s[0..len), len >= k, into super-k-mers. */
static int scan_run(const dy_kmer_opt_t *o, const char *s, size_t len,
                    int n_ranks, dy_buf_t *dest)
{
	const int k = o->k, m = o->m, shift = 2 * (m - 1);
	const uint64_t mmask = (1ULL << (2 * m)) - 1;
	uint64_t fw = 0, rv = 0, cur = 0;
	size_t j, start = 0;
	deque_t d;
	int ret;
	d.head = d.tail = 0;
	for (j = 0; j < len; ++j) {
		uint64_t b = dy_nt4_table[(uint8_t)s[j]], v;
		fw = ((fw << 2) | b) & mmask;
		rv = (rv >> 2) | ((3 - b) << shift);
		if (j + 1 < (size_t)m) continue;
		dq_push(&d, dy_hash64(fw < rv ? fw : rv), j + 1 - m);
		if (j + 1 < (size_t)k) continue;
		v = dq_min(&d, j + 1 - k); /* k-mer starting at j+1-k */
		if (j + 1 == (size_t)k) cur = v;
		else if (v != cur) {
			if ((ret = emit(s, len, k, start, j - k, cur, n_ranks, o->sample, dest)) < 0) return ret;
			start = j + 1 - k, cur = v;
		}
	}
	return emit(s, len, k, start, len - k, cur, n_ranks, o->sample, dest);
}

int dy_skm_scan(const dy_kmer_opt_t *o, const char *seq, size_t len,
                int n_ranks, dy_buf_t *dest, uint64_t *n_kmers)
{
	size_t i = 0, r;
	int ret;
	if (o->k < DY_KMIN || o->k > DY_KMAX || o->m < 1 || o->m > 31 || o->m > o->k || n_ranks < 1 ||
	    o->sample < 0 || o->sample > 32)
		return DY_EARG;
	while (i < len) {
		while (i < len && dy_nt4_table[(uint8_t)seq[i]] > 3) ++i;
		for (r = i; r < len && dy_nt4_table[(uint8_t)seq[r]] <= 3; ++r) {}
		if (r - i >= (size_t)o->k) {
			if ((ret = scan_run(o, seq + i, r - i, n_ranks, dest)) < 0) return ret;
			if (n_kmers) *n_kmers += r - i - o->k + 1;
		}
		i = r;
	}
	return DY_OK;
}
