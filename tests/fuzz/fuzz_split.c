/* fuzz_split.c -- libFuzzer target over the share rules: the parser's
 * sync/limit rule at many random cut points, and the share plan.
 *
 * Input: byte 0 = number of shares (1..16), bytes 1..16 = cut points (each
 * scaled into the text), byte 17 = a read chunk size; the rest is the text.
 * It traps when
 *   - the text parses whole without error, yet the shares between sorted
 *     cut points (each synced at its start, stopped at its end) do not give
 *     back every record exactly once, in order, or one of them fails;
 *   - dy_split_plan, for file sizes and gzip flags taken from the same
 *     bytes, gives a byte of a splittable file to no rank or to two, splits
 *     a whole (gzip) file, or gives parts out of order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "fastx.h"
#include "split.h"

typedef struct { const uint8_t *p; size_t n, at, chunk; } mem_t;

static int64_t mem_read(void *src, void *buf, size_t len)
{
	mem_t *m = src;
	size_t k = m->n - m->at;
	if (k > len) k = len;
	if (k > m->chunk) k = m->chunk;
	if (k) memcpy(buf, m->p + m->at, k);
	m->at += k;
	return (int64_t)k;
}

typedef struct { uint8_t *a; size_t n, m; } bytes_t;

static void put(bytes_t *b, const void *p, size_t n)
{
	if (b->n + n > b->m) {
		b->m = (b->n + n) * 2 + 64;
		if ((b->a = realloc(b->a, b->m)) == NULL) abort();
	}
	if (n) memcpy(b->a + b->n, p, n);
	b->n += n;
}

/* Records of text[from..) up to limit (synced first if from > 0) into out:
 * each as its length then its bases. Returns the last code. */
static int share(const uint8_t *p, size_t n, size_t from, int64_t limit, size_t chunk, int fmt, bytes_t *out)
{
	mem_t m = { p + from, n - from, 0, chunk };
	dy_fxbuf_t seq = { 0, 0, 0 };
	dy_fx_t fx;
	int ret = DY_OK;
	dy_fx_init(&fx, mem_read, &m, (int64_t)from);
	fx.limit = limit, fx.fmt = fmt;
	if (from > 0) ret = dy_fx_sync(&fx);
	while (ret == DY_OK) {
		uint32_t l;
		seq.l = 0;
		if ((ret = dy_fx_next(&fx, &seq)) != DY_OK) break;
		l = (uint32_t)seq.l;
		put(out, &l, 4), put(out, seq.s, seq.l);
	}
	free(seq.s), dy_fx_free(&fx);
	return ret;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void check_plan(const uint8_t *d)
{
	int n_files = 1 + d[0] % 6, n_ranks = 1 + d[1] % 9, i, r, j;
	int64_t size[6], cover[6];
	int whole[6];
	for (i = 0; i < n_files; ++i) {
		size[i] = (int64_t)d[2 + i] * (d[8 + i] % 4 ? 1 : 1000003);
		whole[i] = d[8 + i] & 1;
		cover[i] = 0;
	}
	for (r = 0; r < n_ranks; ++r) {
		dy_part_t *p = NULL;
		int np = 0;
		if (dy_split_plan(n_files, size, whole, r, n_ranks, &p, &np) < 0) abort();
		for (j = 0; j < np; ++j) {
			const dy_part_t *q = &p[j];
			if (q->file < 0 || q->file >= n_files || q->beg < 0 || q->end > size[q->file] || q->beg > q->end)
				__builtin_trap();
			if (whole[q->file] && (q->beg != 0 || q->end != size[q->file])) __builtin_trap();
			if (j > 0 && (p[j - 1].file > q->file || (p[j - 1].file == q->file && p[j - 1].end > q->beg)))
				__builtin_trap();
			/* splittable parts of a file come in rank order, end to end */
			if (!whole[q->file]) {
				if (q->beg != cover[q->file]) __builtin_trap();
				cover[q->file] = q->end;
			} else cover[q->file] += size[q->file] + 1;   /* counted once below */
		}
		free(p);
	}
	for (i = 0; i < n_files; ++i)
		if (whole[i] ? cover[i] != size[i] + 1 : cover[i] != size[i]) __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bytes_t all = { 0, 0, 0 }, parts = { 0, 0, 0 };
	int64_t cut[17];
	int n_cut, i, fmt, ret;
	size_t chunk;
	if (size < 18) return 0;
	check_plan(data);
	n_cut = data[0] % 16;
	chunk = 1 + data[17] % 97;
	const uint8_t *p = data + 18;
	size_t n = size - 18;
	if (n == 0) return 0;
	fmt = p[0] == '>' ? '>' : '@';
	if (share(p, n, 0, INT64_MAX, chunk, fmt, &all) == DY_EOF) {
		/* cuts in 1..n-1: a share from 0 is the first one (a later share
		 * starting at 0 would read the file from its start, as rank 0 does) */
		for (i = 0; i < n_cut; ++i) cut[i] = 1 + (int64_t)((size_t)data[1 + i] * (n - 1) / 256);
		qsort(cut, (size_t)n_cut, sizeof *cut, cmp64);
		for (i = 0; i <= n_cut; ++i) {
			size_t from = i == 0 ? 0 : (size_t)cut[i - 1];
			int64_t lim = i == n_cut ? INT64_MAX : cut[i];
			if (i > 0 && from >= n) break;
			if ((ret = share(p, n, from, lim, chunk, fmt, &parts)) != DY_EOF) __builtin_trap();
		}
		if (parts.n != all.n || (all.n && memcmp(parts.a, all.a, all.n) != 0)) __builtin_trap();
	}
	free(all.a), free(parts.a);
	return 0;
}
