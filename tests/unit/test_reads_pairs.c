/* test_reads_pairs.c -- paired reads (-1/-2) and interleaved pairs (--12):
 * at any number of ranks every pair is read by one rank, its two mates one
 * after the other, every pair exactly once; mates that do not pair up are
 * refused naming both files and the record.  The probe: every read's
 * sequence is unique, so a sequence tells which pair and mate it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "dy_test.h"
#include "dactyl.h"
#include "reads.h"
#include "reads_fix.h"

static char g_dir[256];

enum { N_PAIRS = 1500 };

/* Pair i, mate m (0, 1): a unique sequence of 40..199 bases whose first 12
 * bases spell i and m in base 4 (the rest random). */
static void mate_seq(uint64_t seed, int i, int m, char *s, int *len)
{
	static const char b[] = "ACGT";
	uint64_t x = seed ^ ((uint64_t)i * 2 + (uint64_t)m + 1) * 0x9E3779B97F4A7C15ULL;
	int j, v = i * 2 + m;
	*len = 40 + (int)(dy_test_rand(&x) % 160);
	for (j = 0; j < 12; ++j) s[j] = b[(v >> (2 * (11 - j))) & 3];
	for (; j < *len; ++j) s[j] = b[dy_test_rand(&x) % 4];
	s[*len] = 0;
}

static int seq_id(const char *s, size_t n)
{
	int j, v = 0;
	if (n < 12) return -1;
	for (j = 0; j < 12; ++j) v = v * 4 + (int)(strchr("ACGT", s[j]) - "ACGT");
	return v;
}

/* The mates as FASTQ records: style 0 "/1" "/2" names, 1 Casava 1.8 comments. */
static void put_rec(str_t *t, int i, int m, const char *seq, int len, int style)
{
	char h[128];
	int j;
	if (style == 0) snprintf(h, sizeof h, "@pair%d/%d\n", i, m + 1);
	else snprintf(h, sizeof h, "@M01:7:FC:1:%d:%d:%d %d:N:0:ACGT\n", 1 + i % 3, i, 1000 - i % 1000, m + 1);
	puts_(t, h);
	put(t, seq, (size_t)len);
	puts_(t, "\n+\n");
	for (j = 0; j < len; ++j) put(t, "I", 1);
	puts_(t, "\n");
}

/* Read every rank's share of io; check each rank returns whole pairs, mate
 * 1 then mate 2, and all ranks together every pair once. */
static int check_pairs(dy_io_opt_t *io, int n_ranks, int n_pairs, int *busy)
{
	uint64_t *recs = calloc((size_t)n_ranks * io->n_in, sizeof *recs);
	char *seen = calloc((size_t)n_pairs, 1);
	int r, i, fail = 0;
	*busy = 0;
	for (r = 0; r < n_ranks; ++r) {
		dy_err_t err;
		if (dy_reads_count_shares(io, r, n_ranks, recs + (size_t)r * io->n_in, &err) != DY_OK) {
			fprintf(stderr, "  count rank %d/%d: %s\n", r, n_ranks, err.msg);
			return 1;
		}
	}
	io->share_recs = recs;
	for (r = 0; r < n_ranks && !fail; ++r) {
		dy_reader_t *rd = NULL;
		dy_batch_t b;
		dy_err_t err;
		int ret, mine = 0;
		memset(&b, 0, sizeof b);
		if ((ret = dy_reads_open(io, r, n_ranks, &rd, &err)) < 0) {
			fprintf(stderr, "  open rank %d/%d: %s: %s\n", r, n_ranks, err.file, err.msg);
			fail = 1;
			break;
		}
		/* a tiny batch: pairs must not be cut by batch ends either */
		while ((ret = dy_reads_next(rd, 150, &b, &err)) == DY_OK) {
			size_t k;
			if (b.n % 2) { fprintf(stderr, "  rank %d: a batch of %zu reads\n", r, b.n); fail = 1; break; }
			for (k = 0; k < b.n; k += 2) {
				int a = seq_id(b.seq + b.off[k], b.len[k]), c = seq_id(b.seq + b.off[k + 1], b.len[k + 1]);
				if (a < 0 || a % 2 || c != a + 1 || a / 2 >= n_pairs || seen[a / 2]) {
					fprintf(stderr, "  rank %d/%d: reads %d, %d are not a new pair\n", r, n_ranks, a, c);
					fail = 1;
					break;
				}
				seen[a / 2] = 1, ++mine;
			}
			if (fail) break;
		}
		if (!fail && ret != DY_EOF) {
			fprintf(stderr, "  rank %d/%d: %d %s: %s\n", r, n_ranks, ret, err.file, err.msg);
			fail = 1;
		}
		*busy += mine > 0;
		dy_reads_close(rd);
		dy_batch_free(&b);
	}
	for (i = 0; i < n_pairs && !fail; ++i)
		if (!seen[i]) { fprintf(stderr, "  %d ranks: pair %d was read by none\n", n_ranks, i); fail = 1; }
	io->share_recs = NULL;
	free(recs), free(seen);
	return fail;
}

/* The files: a.fq/b.fq (mates), i.fq (interleaved), each as plain, gzip
 * and BGZF of small blocks. */
static int make_set(int style, str_t *a, str_t *b, str_t *in)
{
	char s[256];
	int i, m, len;
	for (i = 0; i < N_PAIRS; ++i)
		for (m = 0; m < 2; ++m) {
			mate_seq(7, i, m, s, &len);
			put_rec(m ? b : a, i, m, s, len, style);
			put_rec(in, i, m, s, len, style);
		}
	return 0;
}

static int write_kind(const char *name, int kind, const str_t *t, char *path, size_t n)
{
	snprintf(path, n, "%s/%s", g_dir, name);
	return kind == 0 ? write_plain(path, t->s, t->l) : kind == 1 ? write_gz(path, t->s, t->l, 1)
	       : write_bgzf(path, t->s, t->l, 900);
}

static int test_pairs_any_ranks(void)
{
	static const int ranks[] = { 1, 2, 3, 4, 5, 7, 16 };
	static const int roles2[] = { DY_IN_MATE1, DY_IN_MATE2 };
	static const int roles3[] = { DY_IN_MATE1, DY_IN_MATE2, DY_IN_INTER };
	int style, k1, k2, ri;
	for (style = 0; style < 2; ++style) {
		str_t a = { 0 }, b = { 0 }, in = { 0 };
		make_set(style, &a, &b, &in);
		for (k1 = 0; k1 < 3; ++k1)
			for (k2 = 0; k2 < 3; ++k2) {
				char pa[300], pb[300], pi[300], *files[3] = { pa, pb, pi };
				dy_io_opt_t io;
				DY_CHECK(write_kind("a.fq", k1, &a, pa, sizeof pa) == 0);
				DY_CHECK(write_kind("b.fq", k2, &b, pb, sizeof pb) == 0);
				DY_CHECK(write_kind("i.fq", k2, &in, pi, sizeof pi) == 0);
				for (ri = 0; ri < (int)(sizeof ranks / sizeof *ranks); ++ri) {
					int busy;
					memset(&io, 0, sizeof io);
					io.n_in = 2, io.in = files, io.role = roles2;   /* -1 a -2 b */
					DY_CHECK(check_pairs(&io, ranks[ri], N_PAIRS, &busy) == 0);
					/* split files are read by every rank (up to 7: 1500 pairs are enough) */
					if (k1 != 1 && k2 != 1 && ranks[ri] <= 7) DY_CHECK(busy == ranks[ri]);
					io.n_in = 1, io.in = files + 2, io.role = roles3 + 2;   /* --12 i */
					DY_CHECK(check_pairs(&io, ranks[ri], N_PAIRS, &busy) == 0);
					if (k2 != 1 && ranks[ri] <= 7) DY_CHECK(busy == ranks[ri]);
				}
			}
		free(a.s), free(b.s), free(in.s);
	}
	return 0;
}

/* Read every rank; the first error's message (all ranks must fail). */
static int first_error(dy_io_opt_t *io, int n_ranks, dy_err_t *e)
{
	uint64_t *recs = calloc((size_t)n_ranks * io->n_in, sizeof *recs);
	int r, ret = DY_OK, failed = 0;
	for (r = 0; r < n_ranks; ++r)
		if ((ret = dy_reads_count_shares(io, r, n_ranks, recs + (size_t)r * io->n_in, e)) < 0) { free(recs); return ret; }
	io->share_recs = recs;
	for (r = 0; r < n_ranks; ++r) {
		dy_reader_t *rd = NULL;
		dy_batch_t b;
		dy_err_t err;
		memset(&b, 0, sizeof b);
		if ((ret = dy_reads_open(io, r, n_ranks, &rd, &err)) == DY_OK)
			while ((ret = dy_reads_next(rd, 1000, &b, &err)) == DY_OK) {}
		if (ret < DY_EOF && !failed++) *e = err;
		dy_reads_close(rd);
		dy_batch_free(&b);
	}
	io->share_recs = NULL;
	free(recs);
	return failed ? DY_EFORMAT : DY_OK;
}

static int test_pairs_refused(void)
{
	static const int roles2[] = { DY_IN_MATE1, DY_IN_MATE2 }, inter[] = { DY_IN_INTER };
	str_t a = { 0 }, b = { 0 }, in = { 0 }, bs = { 0 }, sw = { 0 }, odd = { 0 };
	char pa[300], pb[300], *files[2] = { pa, pb };
	const char *p, *q;
	dy_io_opt_t io;
	dy_err_t e;
	int n_ranks;
	make_set(0, &a, &b, &in);
	/* b shorter by its last record; b with records 700 and 701 swapped; i.fq odd */
	p = b.s + b.l - 1;
	while (p > b.s && p[-1] != '@') --p;
	put(&bs, b.s, (size_t)(p - 1 - b.s));
	p = strstr(b.s, "@pair700/2"), q = strstr(b.s, "@pair701/2");
	put(&sw, b.s, (size_t)(p - b.s));
	put(&sw, q, (size_t)(strstr(b.s, "@pair702/2") - q));
	put(&sw, p, (size_t)(q - p));
	puts_(&sw, strstr(b.s, "@pair702/2"));
	put(&odd, in.s, (size_t)(strstr(in.s, "@pair1499/2") - in.s));
	for (n_ranks = 1; n_ranks <= 4; n_ranks += 3) {
		memset(&io, 0, sizeof io);
		io.n_in = 2, io.in = files, io.role = roles2;
		DY_CHECK(write_kind("a.fq", 0, &a, pa, sizeof pa) == 0 && write_kind("b.fq", 0, &bs, pb, sizeof pb) == 0);
		DY_CHECK(first_error(&io, n_ranks, &e) == DY_EFORMAT);
		DY_CHECK(strstr(e.msg, "do not pair up") && strstr(e.msg, "a.fq") && strstr(e.msg, "b.fq"));
		DY_CHECK(e.record == 1500);
		DY_CHECK(write_kind("b.fq", 2, &sw, pb, sizeof pb) == 0);   /* as BGZF */
		DY_CHECK(first_error(&io, n_ranks, &e) == DY_EFORMAT);
		DY_CHECK(strstr(e.msg, "not mates") && strstr(e.msg, "b.fq") && strstr(e.file, "a.fq"));
		DY_CHECK(strstr(e.msg, "record 701 ('pair700/1')") && strstr(e.msg, "('pair701/2')"));
		DY_CHECK(e.record == 701);
		io.n_in = 1, io.role = inter;
		DY_CHECK(write_kind("a.fq", 0, &odd, pa, sizeof pa) == 0);
		DY_CHECK(first_error(&io, n_ranks, &e) == DY_EFORMAT);
		DY_CHECK(strstr(e.msg, "odd number of records (2999)"));
	}
	free(a.s), free(b.s), free(in.s), free(bs.s), free(sw.s), free(odd.s);
	return 0;
}

int main(void)
{
	int nfail = 0;
	snprintf(g_dir, sizeof g_dir, "/tmp/dy_test_pairs.%d", (int)getpid());
	if (mkdir(g_dir, 0700) < 0) { perror(g_dir); return 1; }
	DY_RUN(test_pairs_any_ranks, nfail);
	DY_RUN(test_pairs_refused, nfail);
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
		if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", g_dir);
	}
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
