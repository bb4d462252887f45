/* bench_limits -- the physical limits of this machine for this job, the
 * yardsticks bench/run divides each kernel's rate by:
 *   triad    STREAM-like a[i] = b[i] + s*c[i] over arrays 8x the last-level
 *            cache (GB/s, 24 bytes per element, best of the repeats, as STREAM);
 *   random   independent random 8-byte reads into a table 8x the LLC
 *            (M reads/s over all threads: the ceiling of a hash-table insert
 *            that misses every cache), and dependent ones on one thread
 *            (ns per access: the memory latency);
 *   inflate  zlib inflate of each gzip file on one core (MB/s of output).
 * One JSON object on stdout.
 *
 *   bench_limits THREADS LLC_BYTES [FILE.gz ...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <omp.h>
#include <zlib.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double triad(size_t n, int T, int reps)
{
	double *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b), *c = malloc(n * sizeof *c), best = 1e30, s = 3.0;
	int r;
	if (a == NULL || b == NULL || c == NULL) return -1;
#pragma omp parallel for num_threads(T) schedule(static)
	for (size_t i = 0; i < n; ++i) a[i] = 0, b[i] = 1.0, c[i] = 2.0;   /* first touch by the thread that uses it */
	for (r = 0; r < reps; ++r) {
		double t = now();
#pragma omp parallel for num_threads(T) schedule(static)
		for (size_t i = 0; i < n; ++i) a[i] = b[i] + s * c[i];
		t = now() - t;
		if (t < best) best = t;
	}
	if (a[n / 2] != 7.0) best = -1;   /* keeps the loop and checks it */
	free(a), free(b), free(c);
	return best > 0 ? 24.0 * (double)n / best / 1e9 : -1;
}

static uint64_t xs(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* Independent random reads: each thread sums table[random index]. */
static double random_rate(const uint64_t *t, size_t mask, int T, uint64_t per_thread, uint64_t *sink)
{
	double s = now();
	uint64_t sum = 0;
#pragma omp parallel num_threads(T) reduction(+:sum)
	{
		uint64_t st = 0x9E3779B97F4A7C15ULL * (uint64_t)(omp_get_thread_num() + 1), i;
		for (i = 0; i < per_thread; i += 4) {   /* four in flight, as an insert loop has */
			uint64_t a = xs(&st), b = xs(&st), c = xs(&st), d = xs(&st);
			sum += t[a & mask] + t[b & mask] + t[c & mask] + t[d & mask];
		}
	}
	s = now() - s;
	*sink += sum;
	return (double)per_thread * T / s / 1e6;
}

/* Dependent reads on one thread: a random cyclic permutation, followed. */
static double latency_ns(uint64_t *t, size_t n, uint64_t steps)
{
	size_t i, p = 0;
	uint64_t st = 12345;
	double s;
	for (i = 0; i < n; ++i) t[i] = i;
	for (i = n - 1; i > 0; --i) {   /* Sattolo: one cycle through every slot */
		size_t j = (size_t)(xs(&st) % i), x = t[i];
		t[i] = t[j], t[j] = x;
	}
	s = now();
	for (i = 0; i < steps; ++i) p = t[p];
	s = now() - s;
	if (p == (size_t)-1) return -1;   /* keeps the chase */
	return s / (double)steps * 1e9;
}

static double inflate_rate(const char *fn, double *in_mb)
{
	gzFile fp = gzopen(fn, "rb");
	static char buf[1 << 20];
	double t = now(), out = 0;
	int n;
	FILE *f;
	if (fp == NULL) return -1;
	gzbuffer(fp, 1 << 20);
	while ((n = gzread(fp, buf, sizeof buf)) > 0) out += n;
	t = now() - t;
	if (n < 0) { gzclose(fp); return -1; }
	gzclose(fp);
	*in_mb = 0;
	if ((f = fopen(fn, "rb")) != NULL) {
		fseek(f, 0, SEEK_END);
		*in_mb = (double)ftell(f) / 1e6;
		fclose(f);
	}
	return out / 1e6 / t;
}

int main(int argc, char *argv[])
{
	int T = argc > 1 ? atoi(argv[1]) : 1, i;
	double llc = argc > 2 ? atof(argv[2]) : 32e6, bytes = 8 * llc, tr, ra, lat;
	size_t n, tn = 1;
	uint64_t *tab, sink = 0;
	if (T < 1 || T > 1024 || llc <= 0) {
		fprintf(stderr, "usage: bench_limits THREADS LLC_BYTES [FILE.gz ...]\n");
		return 2;
	}
	if (bytes < 256e6) bytes = 256e6;
	n = (size_t)(bytes / 3 / sizeof(double));
	tr = triad(n, T, 5);
	while ((double)tn * 8 < bytes) tn <<= 1;
	if ((tab = malloc(tn * sizeof *tab)) == NULL) return 2;
#pragma omp parallel for num_threads(T) schedule(static)
	for (size_t j = 0; j < tn; ++j) tab[j] = j;
	ra = random_rate(tab, tn - 1, T, 1u << 24, &sink);
	lat = latency_ns(tab, tn, 1u << 22);
	free(tab);
	printf("{\"threads\": %d, \"llc_bytes\": %.0f, \"triad_array_bytes\": %zu, \"triad_GBps\": %.3f, "
	       "\"random_table_bytes\": %zu, \"random_Mreads_per_s\": %.2f, \"latency_ns\": %.1f, \"inflate\": [",
	       T, llc, n * sizeof(double), tr, tn * sizeof *tab, ra, lat);
	for (i = 3; i < argc; ++i) {
		double in = 0, r = inflate_rate(argv[i], &in);
		printf("%s{\"file\": \"%s\", \"MBps_out\": %.2f, \"MB_in\": %.2f}", i > 3 ? ", " : "", argv[i], r, in);
	}
	printf("], \"sink\": %llu}\n", (unsigned long long)(sink & 1));
	return tr > 0 && lat > 0 ? 0 : 1;
}
