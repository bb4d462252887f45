/* minimizer.c -- the minimizer value of a k-mer (dy_kern.h).
 *
 * The value is the minimum, over the k-m+1 m-mers of the k-mer, of
 * dy_hash64(canonical m-mer).  The m-mers of rc(x) are the reverse
 * complements of those of x, so the canonical m-mers and hence the value
 * are the same on both strands: a k-mer and its reverse complement always
 * land on the same owner.  m <= 31 keeps an m-mer in one u64.
 *
 * superkmer.c computes the same value for every k-mer of a read with a
 * sliding window; this function is the per-k-mer form used to find the
 * owner of a neighbour k-mer (compaction) and by the tests as an oracle.
 * Precondition: 1 <= o->m <= min(o->k, 31) (dy_opt_check resolves m = 0).
 */
#include "dy_kern.h"

/* The m-mer of x at base i is x >> 2(k-m-i); its reverse complement is the
 * m-mer of rc(x) at base k-m-i, rc(x) >> 2i: one reverse complement of the
 * k-mer serves every m-mer.  T is u64 up to k = 32, else the 128-bit type. */
#define MZR_BODY(T, x, r) do { \
	for (i = 0; i + m <= k; ++i) { \
		uint64_t fw = (uint64_t)((x) >> (2 * (k - m - i))) & mmask; \
		uint64_t rv = (uint64_t)((r) >> (2 * i)) & mmask; \
		uint64_t v = dy_hash64(fw < rv ? fw : rv); \
		best = v < best ? v : best; \
	} \
} while (0)

uint64_t dy_mzr_kmer(const dy_kmer_opt_t *o, dy_kmer_t x)
{
	int k = o->k, m = o->m, i;
	uint64_t mmask = m >= 32 ? ~0ULL : (1ULL << (2 * m)) - 1, best = UINT64_MAX;
	if (k <= 32) {
		uint64_t x1 = (uint64_t)x, r1 = dy_rev2_64(~x1) >> (64 - 2 * k);
		MZR_BODY(uint64_t, x1, r1);
	} else {
		dy_kmer_t r = dy_kmer_rc(x, k);
		MZR_BODY(dy_kmer_t, x, r);
	}
	return best;
}

/* (x >> s) of a wide k-mer, low 64 bits */
static inline uint64_t kw_shr(dy_kmerw_t x, int s)
{
	if (s >= 128) return (uint64_t)(x.hi >> (s - 128));
	if (s == 0) return (uint64_t)x.lo;
	return (uint64_t)((x.lo >> s) | (x.hi << (128 - s)));
}

uint64_t dy_mzr_kmerw(const dy_kmer_opt_t *o, dy_kmerw_t x)
{
	int k = o->k, m = o->m, i;
	uint64_t mmask = m >= 32 ? ~0ULL : (1ULL << (2 * m)) - 1, best = UINT64_MAX;
	dy_kmerw_t r = dy_kmerw_rc(x, k);
	for (i = 0; i + m <= k; ++i) {
		uint64_t fw = kw_shr(x, 2 * (k - m - i)) & mmask, rv = kw_shr(r, 2 * i) & mmask;
		uint64_t v = dy_hash64(fw < rv ? fw : rv);
		best = v < best ? v : best;
	}
	return best;
}

int dy_mzr_default_m(int k)
{
	int m = (k / 2) | 1;
	return m < 7 ? 7 : m > 31 ? 31 : m;
}
