/* bench_util.h -- what the kernel benchmarks share: the clock, sorting the
 * repeats' times, and the table comparison that validates a count against
 * its reference (size, capacity, every slot). */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H
#include <time.h>
#include "dy_kern.h"

static inline double bench_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static inline int bench_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static inline int bench_same_table(const dy_ht_t *a, const dy_ht_t *b)
{
	size_t i;
	if (dy_ht_size(a) != dy_ht_size(b) || dy_ht_capacity(a) != dy_ht_capacity(b)) return 0;
	for (i = 0; i < dy_ht_capacity(a); ++i) {
		dy_kmer_t x = 0, y = 0;
		uint32_t c1 = 0, c2 = 0, e1 = 0, e2 = 0;
		int f1 = dy_ht_slot(a, i, &x, &c1, &e1), f2 = dy_ht_slot(b, i, &y, &c2, &e2);
		if (f1 != f2 || x != y || c1 != c2 || e1 != e2) return 0;
	}
	return 1;
}
#endif
