/* dy_test.h -- the tiny unit-test harness: static int test_*() functions
 * return 0 on success; DY_RUN counts failures; main returns EXIT_FAILURE if
 * any failed.  Random inputs come from dy_test_rand with fixed seeds. */
#ifndef DY_TEST_H
#define DY_TEST_H
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>

#define DY_CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	return 1; } } while (0)

#define DY_RUN(fn, nfail) do { int r_ = fn(); \
	fprintf(stderr, "%s %s\n", r_ ? "FAIL" : "ok  ", #fn); (nfail) += r_ != 0; } while (0)

/* xorshift64*: deterministic from the seed on every machine */
static inline uint64_t dy_test_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* String reverse complement of s[0..n) into out (n+1 bytes): the oracle
 * the bit-level k-mer code is checked against. */
static inline void dy_test_revcomp(const char *s, size_t n, char *out)
{
	size_t i;
	for (i = 0; i < n; ++i) {
		char c = s[n - 1 - i];
		out[i] = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
	}
	out[n] = 0;
}

/* 2-bit code of an ACGT string, first base highest (dy_kmer.h layout). */
static inline unsigned __int128 dy_test_encode(const char *s, int n)
{
	unsigned __int128 x = 0;
	int i;
	for (i = 0; i < n; ++i)
		x = x << 2 | (unsigned)(s[i] == 'A' ? 0 : s[i] == 'C' ? 1 : s[i] == 'G' ? 2 : 3);
	return x;
}
#endif
