/* reads_fix.h -- what the reader's unit tests share: a growable string,
 * file helpers, and running every rank's share of the reader one after the
 * other (test_reads.c, test_reads_sam.c). */
#ifndef DY_READS_FIX_H
#define DY_READS_FIX_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <htslib/bgzf.h>
#include "dactyl.h"
#include "reads.h"

/* ---- growable string --------------------------------------------------- */

typedef struct { size_t l, m; char *s; } str_t;

static inline void put(str_t *s, const char *p, size_t n)
{
	if (s->l + n + 1 > s->m) {
		s->m = (s->l + n + 1) * 2;
		s->s = realloc(s->s, s->m);
		if (s->s == 0) abort();
	}
	if (n) memcpy(s->s + s->l, p, n);
	s->l += n;
	s->s[s->l] = 0;
}

static inline void puts_(str_t *s, const char *p) { put(s, p, strlen(p)); }

static inline int64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) < 0 ? -1 : (int64_t)st.st_size;
}

static inline int cut_file(const char *src, const char *dst, int64_t len)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	int64_t i;
	int ret = 0;
	if (in == 0 || out == 0) ret = -1;
	for (i = 0; ret == 0 && i < len; ++i) {
		int c = fgetc(in);
		if (c == EOF || fputc(c, out) == EOF) ret = -1;
	}
	if (in) fclose(in);
	if (out && fclose(out) != 0) ret = -1;
	return ret;
}

/* ---- writing files --------------------------------------------------- */

static inline int write_plain(const char *path, const char *s, size_t n)
{
	FILE *fp = fopen(path, "wb");
	if (fp == 0) return -1;
	if (n && fwrite(s, 1, n, fp) != n) { fclose(fp); return -1; }
	return fclose(fp);
}

/* gzip with zlib; members > 1 writes that many concatenated members */
static inline int write_gz(const char *path, const char *s, size_t n, int members)
{
	size_t per = n / (size_t)members + 1, at = 0;
	int i;
	unlink(path);
	for (i = 0; i < members; ++i) {
		size_t k = n - at < per ? n - at : per;
		gzFile fp = gzopen(path, i ? "ab" : "wb");
		if (fp == 0) return -1;
		if (k && gzwrite(fp, s + at, (unsigned)k) != (int)k) { gzclose(fp); return -1; }
		if (gzclose(fp) != Z_OK) return -1;
		at += k;
	}
	return 0;
}

/* BGZF with htslib's writer, flushed every block bytes so there are many blocks */
static inline int write_bgzf(const char *path, const char *s, size_t n, size_t block)
{
	BGZF *fp = bgzf_open(path, "w");
	size_t at;
	if (fp == 0) return -1;
	for (at = 0; at < n; at += block) {
		size_t k = n - at < block ? n - at : block;
		if (bgzf_write(fp, s + at, k) != (ssize_t)k || bgzf_flush(fp) < 0) { bgzf_close(fp); return -1; }
	}
	return bgzf_close(fp);
}

/* ---- running the reader ------------------------------------------------ */

/* Read rank's share of files, appending sequences (one per line) to got.
 * Checks the batch bound on the way. Returns the first error code or DY_OK. */
static inline int read_share(char **files, int n_files, int rank, int n_ranks, size_t max_bases,
                      str_t *got, dy_err_t *err, uint64_t *n_rec)
{
	dy_io_opt_t io;
	dy_reader_t *r = 0;
	dy_batch_t b;
	dy_reads_stats_t st;
	int ret;
	size_t i;
	memset(&io, 0, sizeof io);
	memset(&b, 0, sizeof b);
	memset(err, 0, sizeof *err);
	io.n_in = n_files, io.in = files;
	if ((ret = dy_reads_open(&io, rank, n_ranks, &r, err)) < 0) return ret;
	while ((ret = dy_reads_next(r, max_bases, &b, err)) == DY_OK) {
		size_t last = b.n ? b.len[b.n - 1] : 0;
		if (b.n == 0) { ret = 100; break; }
		/* at least max_bases, plus at most one record: without the last read it was short */
		if (b.n > 1 && b.n_bases - last >= max_bases) { ret = 101; break; }
		if (b.n > max_bases) { ret = 102; break; }
		for (i = 0; i < b.n; ++i) {
			if (b.off[i] + b.len[i] > b.n_bases) { ret = 103; break; }
			put(got, b.seq + b.off[i], b.len[i]);
			puts_(got, "\n");
		}
		if (ret != DY_OK) break;
	}
	dy_reads_stats(r, &st);
	if (n_rec) *n_rec += st.n_records;
	dy_reads_close(r);
	dy_batch_free(&b);
	return ret == DY_EOF ? DY_OK : ret;
}

/* All ranks one after the other; got is the concatenation in rank order. */
static inline int read_all(char **files, int n_files, int n_ranks, size_t max_bases, str_t *got, uint64_t *n_rec)
{
	dy_err_t err;
	int r, ret;
	for (r = 0; r < n_ranks; ++r)
		if ((ret = read_share(files, n_files, r, n_ranks, max_bases, got, &err, n_rec)) != DY_OK) {
			fprintf(stderr, "  rank %d/%d: %d %s: record %lld offset %lld: %s\n", r, n_ranks, ret,
			        err.file, (long long)err.record, (long long)err.offset, err.msg);
			return ret;
		}
	return DY_OK;
}

static inline int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Sort the lines of s in place (for multi-file shares, where gzip files are dealt out). */
static inline void sort_lines(str_t *s)
{
	size_t n = 0, i, k = 0;
	char **v, *p, *copy;
	for (i = 0; i < s->l; ++i) n += s->s[i] == '\n';
	v = malloc((n + 1) * sizeof *v);
	copy = malloc(s->l + 1);
	memcpy(copy, s->s, s->l + 1);
	for (p = copy, i = 0; i < n; ++i) {
		char *nl = strchr(p, '\n');
		*nl = 0, v[i] = p, p = nl + 1;
	}
	qsort(v, n, sizeof *v, cmp_str);
	for (i = 0; i < n; ++i) {
		size_t l = strlen(v[i]);
		memcpy(s->s + k, v[i], l), k += l;
		s->s[k++] = '\n';
	}
	free(v), free(copy);
}

/* ---- tests ------------------------------------------------------------- */


#endif
