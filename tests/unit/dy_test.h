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
#endif
