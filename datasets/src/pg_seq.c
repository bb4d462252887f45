/* pg_seq.c -- random bases, reverse complement and mutation. */
#include "pg.h"

static const char BASES[4] = { 'A', 'C', 'G', 'T' };

/* One base: G or C with probability gc, each of the pair equally likely. */
char pg_base(pg_rng_t *r, double gc)
{
	int strong = pg_rng_unif(r) < gc, coin = (int)(pg_rng_next(r) >> 63);
	return strong ? (coin ? 'G' : 'C') : (coin ? 'T' : 'A');
}

void pg_rand_seq(pg_rng_t *r, double gc, char *out, uint64_t n)
{
	for (uint64_t i = 0; i < n; ++i) out[i] = pg_base(r, gc);
}

static char comp(char c)
{
	switch (c) {
	case 'A': return 'T';
	case 'C': return 'G';
	case 'G': return 'C';
	case 'T': return 'A';
	default: return 'N';
	}
}

void pg_revcomp(char *s, uint64_t n)
{
	for (uint64_t i = 0, j = n; i < j; ++i) {
		char a = comp(s[i]);
		s[i] = comp(s[--j]);
		s[j] = a;
	}
}

static char other_base(pg_rng_t *r, char b)
{
	int k = 0;
	while (k < 3 && BASES[k] != b) ++k;
	return BASES[(k + 1 + (int)pg_rng_below(r, 3)) & 3];
}

uint64_t pg_mutate(pg_rng_t *r, const char *src, uint64_t n, double d, double gc,
                   int indel_ok, char *out, uint64_t *outn)
{
	uint64_t i = 0, o = 0, ev = 0;
	while (i < n) {
		if (d <= 0.0 || pg_rng_unif(r) >= d) { out[o++] = src[i++]; continue; }
		++ev;
		uint64_t k = pg_rng_below(r, 100), l = 1 + pg_rng_below(r, 3);
		if (!indel_ok || k < 85) {            /* substitution */
			out[o++] = other_base(r, src[i++]);
		} else if (k < 93) {                  /* insertion after this base */
			out[o++] = src[i++];
			while (l--) out[o++] = pg_base(r, gc);
		} else {                              /* deletion of l bases */
			i += l < n - i ? l : n - i;
		}
	}
	*outn = o;
	return ev;
}
