/* split.c -- the share plan (see split.h). */
#include <stdlib.h>
#include "dactyl.h"
#include "split.h"

/* Deal the whole files; load[r] gets their sizes. Returns a malloc'd owner
 * rank per file (-1 for splittable files) or NULL. */
static int *deal_whole(int n_files, const int64_t *size, const int *whole, int n_ranks, int64_t *load)
{
	int *owner = malloc((size_t)(n_files > 0 ? n_files : 1) * sizeof *owner);
	int i, r;
	if (owner == 0) return 0;
	for (i = 0; i < n_files; ++i) owner[i] = -1;
	for (;;) { /* quadratic, but inputs are files, not reads */
		int best = -1, dst = 0;
		for (i = 0; i < n_files; ++i)
			if (whole[i] && owner[i] < 0 && (best < 0 || size[i] > size[best])) best = i;
		if (best < 0) break;
		for (r = 1; r < n_ranks; ++r)
			if (load[r] < load[dst]) dst = r;
		owner[best] = dst, load[dst] += size[best];
	}
	return owner;
}

/* Quotas q[r] >= 0 with sum q = total, filling the least-loaded ranks first. */
static void water_fill(int n_ranks, const int64_t *load, int64_t total, int64_t *q)
{
	int64_t lo = 0, hi = 0, sum = 0;
	int r;
	for (r = 0; r < n_ranks; ++r)
		if (load[r] > hi) hi = load[r];
	hi += total; /* at level hi every rank gets >= total */
	while (lo < hi) { /* smallest level h with sum max(0, h - load) >= total */
		int64_t h = lo + (hi - lo) / 2, s = 0;
		for (r = 0; r < n_ranks && s < total; ++r)
			s += h > load[r] ? h - load[r] : 0;
		if (s >= total) hi = h; else lo = h + 1;
	}
	for (r = 0; r < n_ranks; ++r)
		sum += q[r] = lo > load[r] ? lo - load[r] : 0;
	for (r = n_ranks - 1; r >= 0 && sum > total; --r) /* at most one byte too many per rank */
		if (q[r] > 0) --q[r], --sum;
}

int dy_split_plan(int n_files, const int64_t *size, const int *whole,
                  int rank, int n_ranks, dy_part_t **parts, int *n_parts)
{
	int64_t *load = calloc(n_ranks, sizeof *load), *q = calloc(n_ranks, sizeof *q);
	int64_t total = 0, a = 0, b, at = 0;
	int *owner = 0, i, r, n = 0, ret = DY_ENOMEM;
	dy_part_t *p = 0;
	*parts = 0, *n_parts = 0;
	if (load == 0 || q == 0) goto fail;
	if ((owner = deal_whole(n_files, size, whole, n_ranks, load)) == 0) goto fail;
	if ((p = malloc((size_t)(n_files > 0 ? n_files : 1) * sizeof *p)) == 0) goto fail;
	for (i = 0; i < n_files; ++i)
		if (!whole[i]) total += size[i];
	water_fill(n_ranks, load, total, q);
	for (r = 0; r < rank; ++r) a += q[r];
	b = a + q[rank];
	for (i = 0; i < n_files; ++i) { /* at: offset of file i in the splittable byte space */
		if (whole[i]) {
			if (owner[i] == rank) p[n].file = i, p[n].beg = 0, p[n++].end = size[i];
			continue;
		}
		if (a < b && a < at + size[i] && b > at) {
			p[n].file = i;
			p[n].beg = a > at ? a - at : 0;
			p[n++].end = b < at + size[i] ? b - at : size[i];
		}
		at += size[i];
	}
	if (n == 0) free(p), p = 0;
	*parts = p, *n_parts = n, p = 0;
	ret = DY_OK;
fail:
	free(p), free(owner), free(load), free(q);
	return ret;
}
