/* pg_rng.h -- the generator's only source of randomness.
 *
 * xoshiro256** seeded through splitmix64 (Blackman & Vigna). Integer-only, so
 * the same (seed, stream) gives the same numbers on any machine and compiler;
 * rand() and libm are never used for that reason. Each independent part of the
 * genome (a chromosome, the TE library, the second haplotype...) draws from
 * its own stream, so changing one part's parameters does not shift the others.
 */
#ifndef PG_RNG_H
#define PG_RNG_H

#include <stdint.h>

typedef struct { uint64_t s[4]; } pg_rng_t;

static inline uint64_t pg_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Seed stream `stream` of generator `seed`; streams are decorrelated by
 * running both numbers through splitmix64. */
static inline void pg_rng_seed(pg_rng_t *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed, y;
	y = pg_splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ULL);
	for (int i = 0; i < 4; ++i) r->s[i] = pg_splitmix64(&y);
}

static inline uint64_t pg_rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static inline uint64_t pg_rng_next(pg_rng_t *r)
{
	uint64_t *s = r->s, res = pg_rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
	s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
	s[2] ^= t; s[3] = pg_rotl(s[3], 45);
	return res;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; the tiny bias
 * for huge n is irrelevant here and it is exact integer arithmetic). */
static inline uint64_t pg_rng_below(pg_rng_t *r, uint64_t n)
{
	return (uint64_t)(((unsigned __int128)pg_rng_next(r) * n) >> 64);
}

/* Uniform integer in [lo, hi], lo <= hi. */
static inline uint64_t pg_rng_range(pg_rng_t *r, uint64_t lo, uint64_t hi)
{
	return lo + pg_rng_below(r, hi - lo + 1);
}

/* Uniform double in [0, 1): 53 random bits times 2^-53, exact in IEEE. */
static inline double pg_rng_unif(pg_rng_t *r)
{
	return (double)(pg_rng_next(r) >> 11) * 0x1.0p-53;
}

#endif
