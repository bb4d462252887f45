/* dy_kmer.h -- 2-bit packed k-mers, canonical form, hashing.
 *
 * A k-mer of length k (odd, DY_KMIN..DY_KMAX) is held in a dy_kmer_t with
 * two bits per base, the LAST base in the lowest two bits:
 *     A=0 C=1 G=2 T=3;  "ACG" (k=3) == 0b00'01'10 == 6
 * so appending base b is  x = ((x << 2) | b) & dy_kmer_mask(k).
 * The complement of base b is 3 - b.  The canonical form of x is
 * min(x, rc(x)); k is odd, so no k-mer is its own reverse complement.
 *
 * All functions here are static inline, pure and thread-safe.
 *
 * Example:
 *     dy_kmer_t x = 0, m = dy_kmer_mask(k);
 *     for (i = 0; i < len; ++i) {
 *         int b = dy_nt4_table[(uint8_t)seq[i]];
 *         if (b > 3) { l = 0; continue; }       // N breaks the k-mer
 *         x = ((x << 2) | b) & m;
 *         if (++l >= k) use(dy_kmer_canon(x, k));
 *     }
 */
#ifndef DY_KMER_H
#define DY_KMER_H

#include <stdint.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DY_KMIN 15      /* smallest supported k */
#define DY_KMAX 127     /* largest supported k: 254 bits of a dy_kmerw_t */
#define DY_KNARROW 63   /* largest k a dy_kmer_t holds (126 bits of 128) */

/* One k-mer of k <= DY_KNARROW, 2 bits per base, last base lowest. Bits
 * above 2k are zero. */
typedef unsigned __int128 dy_kmer_t;

/* One k-mer of any k <= DY_KMAX, the same layout over 256 bits: the value
 * is hi * 2^128 + lo.  The kernels use it above DY_KNARROW only, so that
 * smaller k keep their one- and two-word arithmetic. */
typedef struct {
	unsigned __int128 lo, hi;
} dy_kmerw_t;

/* A/a->0 C/c->1 G/g->2 T/t->3; every other byte (N, IUPAC, '-') -> 4. */
extern const uint8_t dy_nt4_table[256];

/* "ACGT"[b] for b in 0..3. */
extern const char dy_nt_char[4];

/* Mask of the low 2k bits. */
static inline dy_kmer_t dy_kmer_mask(int k)
{
	return (((dy_kmer_t)1) << (2 * k)) - 1;
}

/* Reverse the order of the 32 two-bit groups of a 64-bit word. */
static inline uint64_t dy_rev2_64(uint64_t x)
{
	x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
	x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
	return __builtin_bswap64(x);
}

/* Reverse complement of a k-mer. */
static inline dy_kmer_t dy_kmer_rc(dy_kmer_t x, int k)
{
	uint64_t lo = (uint64_t)x, hi = (uint64_t)(x >> 64);
	/* reverse all 64 groups, complement, then drop the 64-k unused groups */
	dy_kmer_t r = ((dy_kmer_t)dy_rev2_64(~lo) << 64) | dy_rev2_64(~hi);
	return r >> (2 * (64 - k));
}

/* The smaller of x and its reverse complement. */
static inline dy_kmer_t dy_kmer_canon(dy_kmer_t x, int k)
{
	dy_kmer_t r = dy_kmer_rc(x, k);
	return r < x ? r : x;
}

/* Base i of x, counted from the FIRST base (i = 0) of a k-mer. */
static inline int dy_kmer_base(dy_kmer_t x, int k, int i)
{
	return (int)((x >> (2 * (k - 1 - i))) & 3);
}

/* An invertible 64-bit mixer (splitmix64's finaliser): distinct in, distinct out. */
static inline uint64_t dy_hash64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Hash of a k-mer (any k); equal k-mers hash equal on every machine. */
static inline uint64_t dy_kmer_hash(dy_kmer_t x)
{
	return dy_hash64((uint64_t)x ^ dy_hash64((uint64_t)(x >> 64) + 0x9e3779b97f4a7c15ULL));
}

/* ---- wide k-mers (k up to DY_KMAX) --------------------------------- */

static inline dy_kmerw_t dy_kmerw_mask(int k)
{
	dy_kmerw_t m;
	if (k >= 64) {
		m.lo = ~(unsigned __int128)0;
		m.hi = k >= 128 ? ~(unsigned __int128)0 : (((unsigned __int128)1) << (2 * (k - 64))) - 1;
	} else {
		m.lo = (((unsigned __int128)1) << (2 * k)) - 1;
		m.hi = 0;
	}
	return m;
}

static inline int dy_kmerw_eq(dy_kmerw_t a, dy_kmerw_t b)
{
	return a.lo == b.lo && a.hi == b.hi;
}

static inline int dy_kmerw_lt(dy_kmerw_t a, dy_kmerw_t b)
{
	return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
}

/* x.b: append base b (the first base falls off), k bases kept. */
static inline dy_kmerw_t dy_kmerw_push(dy_kmerw_t x, int b, dy_kmerw_t mask)
{
	dy_kmerw_t y;
	y.hi = ((x.hi << 2) | (x.lo >> 126)) & mask.hi;
	y.lo = ((x.lo << 2) | (unsigned __int128)b) & mask.lo;
	return y;
}

/* b.x: prepend base b at the first place (the last base falls off). */
static inline dy_kmerw_t dy_kmerw_prepend(dy_kmerw_t x, int b, int k)
{
	dy_kmerw_t y;
	int s = 2 * (k - 1);
	y.lo = (x.lo >> 2) | (x.hi << 126);
	y.hi = x.hi >> 2;
	if (s >= 128) y.hi |= (unsigned __int128)b << (s - 128);
	else y.lo |= (unsigned __int128)b << s;
	return y;
}

static inline dy_kmerw_t dy_kmerw_rc(dy_kmerw_t x, int k)
{
	/* reverse all 128 groups and complement, then drop the 128-k unused groups */
	unsigned __int128 rl = ((unsigned __int128)dy_rev2_64(~(uint64_t)x.hi) << 64) | dy_rev2_64(~(uint64_t)(x.hi >> 64));
	unsigned __int128 rh = ((unsigned __int128)dy_rev2_64(~(uint64_t)x.lo) << 64) | dy_rev2_64(~(uint64_t)(x.lo >> 64));
	int s = 2 * (128 - k);
	dy_kmerw_t y;
	if (s == 0) { y.lo = rl, y.hi = rh; }
	else if (s < 128) { y.lo = (rl >> s) | (rh << (128 - s)); y.hi = rh >> s; }
	else { y.lo = rh >> (s - 128); y.hi = 0; }
	return y;
}

static inline dy_kmerw_t dy_kmerw_canon(dy_kmerw_t x, int k)
{
	dy_kmerw_t r = dy_kmerw_rc(x, k);
	return dy_kmerw_lt(r, x) ? r : x;
}

/* Base i of x, counted from the first base (i = 0). */
static inline int dy_kmerw_base(dy_kmerw_t x, int k, int i)
{
	int s = 2 * (k - 1 - i);
	return (int)((s >= 128 ? x.hi >> (s - 128) : x.lo >> s) & 3);
}

/* Hash of a wide k-mer; for a k-mer that fits a dy_kmer_t it is not the
 * same as dy_kmer_hash (the two are never mixed in one table). */
static inline uint64_t dy_kmerw_hash(dy_kmerw_t x)
{
	return dy_hash64(dy_kmer_hash(x.lo) ^ dy_hash64(dy_kmer_hash(x.hi) + 0x632be59bd9b4e019ULL));
}

/* A narrow k-mer widened. */
static inline dy_kmerw_t dy_kmerw_of(dy_kmer_t x)
{
	dy_kmerw_t y;
	y.lo = x, y.hi = 0;
	return y;
}

#ifdef __cplusplus
}
#endif
#endif
