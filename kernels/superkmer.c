/* superkmer.c -- cut reads into super-k-mer records (dy_skm_scan, dy_kern.h).
 *
 * For each ACGT run of a read (any other byte breaks it; case is ignored)
 * the m-mer hashes are rolled forward and the minimum over each k-mer's
 * k-m+1 m-mers is taken blockwise (scan_run), O(1) per base in fixed
 * arrays on the stack: no scratch allocation.
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

#define TILE 1024           /* k-mers a tile: 3 x 9 KiB of hashes on the stack */
#define PAD 128             /* >= the largest window, w = k - m + 1 <= DY_KMAX */

/* Append the record of the k-mers starting at a..b of run s[0..len). */
static int emit(const char *s, size_t len, int k, size_t a, size_t b,
                uint64_t mz, size_t q, int n_ranks, int sample, dy_buf_t *dest)
{
	int lf = a > 0, rf = b + k < len, ret;
	size_t st = a - lf, n = b + k + rf - st, i;
	dy_buf_t *d = &dest[dy_mzr_owner(mz, n_ranks)];
	uint8_t *p;
	/* the pilot's sample: whole minimizers, so every k-mer kept is counted in full */
	if (sample && dy_hash64(mz ^ 0x94d049bb133111ebULL) >> (64 - sample)) return DY_OK;
	if (n > UINT32_MAX) return DY_ELIMIT;
	if (d->m - d->n < dy_skm_size((uint32_t)n) && (ret = dy_buf_reserve(d, dy_skm_size((uint32_t)n))) < 0) return ret;
	p = d->a + d->n;
	p[0] = (uint8_t)n, p[1] = (uint8_t)(n >> 8), p[2] = (uint8_t)(n >> 16), p[3] = (uint8_t)(n >> 24);
	p[4] = (uint8_t)(lf | rf << 1 | (q + 1 <= DY_SKM_QMAX ? q + 1 : 0) << 2);
	p += DY_SKM_HDR;
	/* four bases a byte, whole bytes first (the bases are ACGT: codes 0-3) */
	for (i = 0, s += st; i + 4 <= n; i += 4)
		p[i >> 2] = (uint8_t)(dy_nt4_table[(uint8_t)s[i]] | dy_nt4_table[(uint8_t)s[i + 1]] << 2 |
		                      dy_nt4_table[(uint8_t)s[i + 2]] << 4 | dy_nt4_table[(uint8_t)s[i + 3]] << 6);
	if (i < n) {
		unsigned v = 0, j;
		for (j = 0; i + j < n; ++j) v |= (unsigned)dy_nt4_table[(uint8_t)s[i + j]] << (2 * j);
		p[i >> 2] = (uint8_t)v;
	}
	d->n += dy_skm_size((uint32_t)n);
	return DY_OK;
}

/* Cut one ACGT run s[0..len), len >= k, into super-k-mers.
 *
 * The window minima come from van Herk / Gil-Werman over tiles of TILE
 * k-mers: the m-mer hashes of a tile in an array, their minima from the
 * start of each block of w = k - m + 1 and to its end, and a window's
 * minimum is min(to the end of its first block, from the start of its
 * second): three comparisons a base and no data-dependent branch, where
 * the monotone deque mispredicted on most bases (the cut was a third of
 * the pilot's time).  A tile's last w - 1 hashes open the next one. */
static int scan_run(const dy_kmer_opt_t *o, const char *s, size_t len,
                    int n_ranks, dy_buf_t *dest)
{
	const int k = o->k, m = o->m, shift = 2 * (m - 1);
	const size_t w = (size_t)(k - m + 1), nk = len - (size_t)k + 1;
	const uint64_t mmask = (1ULL << (2 * m)) - 1;
	uint64_t fw = 0, rv = 0, cur = 0, h[TILE + PAD], pre[TILE + PAD], suf[TILE + PAD];
	size_t j, t0, start = 0, qcur = 0;
	int ret;
	for (j = 0; j + 1 < (size_t)m; ++j) {
		uint64_t b = dy_nt4_table[(uint8_t)s[j]];
		fw = ((fw << 2) | b) & mmask;
		rv = (rv >> 2) | ((3 - b) << shift);
	}
	for (t0 = 0; t0 < nk; t0 += TILE) {
		const size_t T = nk - t0 < TILE ? nk - t0 : TILE, need = T + w - 1;
		size_t q, c, i;
		if (t0) memcpy(h, h + TILE, (w - 1) * sizeof *h);   /* the last tile was full */
		for (q = t0 ? w - 1 : 0; q < need; ++q) {   /* m-mer t0 + q ends at base t0 + q + m - 1 */
			uint64_t b = dy_nt4_table[(uint8_t)s[t0 + q + (size_t)m - 1]];
			fw = ((fw << 2) | b) & mmask;
			rv = (rv >> 2) | ((3 - b) << shift);
			h[q] = dy_hash64(fw < rv ? fw : rv);
		}
		for (q = 0, c = 0; q < need; ++q, c = c + 1 == w ? 0 : c + 1)
			pre[q] = c == 0 || h[q] < pre[q - 1] ? h[q] : pre[q - 1];
		for (q = need, c = (need - 1) % w; q-- > 0; c = c == 0 ? w - 1 : c - 1)
			suf[q] = q == need - 1 || c == w - 1 || h[q] < suf[q + 1] ? h[q] : suf[q + 1];
		for (i = 0; i < T; ++i) {
			uint64_t a = suf[i], b = pre[i + w - 1], v = a < b ? a : b;   /* k-mer t0 + i */
			if (t0 + i == 0 || v != cur) {
				if (t0 + i && (ret = emit(s, len, k, start, t0 + i - 1, cur, qcur, n_ranks, o->sample, dest)) < 0)
					return ret;
				/* where the record's first k-mer has its minimizer, for
				 * the receiver: w compares a record, not w hashes */
				start = t0 + i, cur = v;
				for (qcur = 0; h[i + qcur] != v; ++qcur) {}
			}
		}
	}
	return emit(s, len, k, start, len - k, cur, qcur, n_ranks, o->sample, dest);
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
