/* test_reads_pairs.c -- paired reads (-1/-2) and interleaved pairs (--12):
 * at any number of ranks every pair is read by one rank, its two mates one
 * after the other, every pair exactly once; mates that do not pair up are
 * refused naming both files and the record; a BAM read as pairs (--12)
 * keeps them too, found by their flags.  The probe: every read's
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

/* The mates as FASTQ records: style 0 "/1" "/2" names, 1 Casava 1.8
 * comments, 2 and 3 SRA's fastq-dump names (with and without --readids). */
static void put_rec(str_t *t, int i, int m, const char *seq, int len, int style)
{
	char h[128];
	int j;
	if (style == 0) snprintf(h, sizeof h, "@pair%d/%d\n", i, m + 1);
	else if (style == 2) snprintf(h, sizeof h, "@SRR1.%d.%d\n", i + 1, m + 1);    /* fastq-dump --readids */
	else if (style == 3) snprintf(h, sizeof h, "@SRR1.%d len=%d\n", i + 1, len);  /* fastq-dump */
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
	for (style = 0; style < 4; ++style) {
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

static int first_error(dy_io_opt_t *io, int n_ranks, dy_err_t *e);

/* The probe id of the first read of a rank's share, read as single reads; -1 if none. */
static int first_read(char *path, int rank, int n_ranks)
{
	dy_io_opt_t io;
	dy_reader_t *rd = NULL;
	dy_batch_t b;
	dy_err_t err;
	int id = -1;
	memset(&io, 0, sizeof io), memset(&b, 0, sizeof b);
	io.n_in = 1, io.in = &path;
	if (dy_reads_open(&io, rank, n_ranks, &rd, &err) == DY_OK && dy_reads_next(rd, 1, &b, &err) == DY_OK)
		id = seq_id(b.seq + b.off[0], b.len[0]);
	dy_reads_close(rd);
	dy_batch_free(&b);
	return id;
}

/* ---- BAM read as pairs (--12): mates found by their flags ------------ */

static void put32(str_t *t, uint32_t v)
{
	char b[4] = { (char)(v & 0xff), (char)(v >> 8 & 0xff), (char)(v >> 16 & 0xff), (char)(v >> 24) };
	put(t, b, 4);
}

/* One unmapped BAM record (flag as given, no reference). */
static void put_bam_rec(str_t *t, const char *name, int flag, const char *seq, int len)
{
	static const char code[] = "=ACMGRSVTWYHKDBN";
	size_t ln = strlen(name) + 1;
	int j;
	put32(t, (uint32_t)(32 + ln + (size_t)(len + 1) / 2 + (size_t)len));
	put32(t, (uint32_t)-1), put32(t, (uint32_t)-1);              /* refID, pos */
	put32(t, (uint32_t)ln | 4680u << 16);                        /* l_read_name, mapq 0, bin */
	put32(t, (uint32_t)flag << 16);                              /* n_cigar 0, flag */
	put32(t, (uint32_t)len);
	put32(t, (uint32_t)-1), put32(t, (uint32_t)-1), put32(t, 0); /* mate refID, pos, tlen */
	put(t, name, ln);
	for (j = 0; j < len; j += 2) {
		char c = (char)((strchr(code, seq[j]) - code) << 4 | (j + 1 < len ? strchr(code, seq[j + 1]) - code : 0));
		put(t, &c, 1);
	}
	for (j = 0; j < len; ++j) put(t, "\x1e", 1);
}

/* Pairs as samtools import writes them (flags 77, 141); every 7th pair has
 * a secondary record between its mates (not a read: skipped).  drop1/drop2:
 * the first or second mate of that pair left out (-1: none); sec1: that
 * pair's first mate flagged secondary (the same bytes, but not a read);
 * rename2: that pair's second mate named otherwise. */
static void make_bam(str_t *t, int n_pairs, int drop1, int drop2, int sec1, int rename2)
{
	static const char text[] = "@HD\tVN:1.6\tSO:unsorted\n";
	char s[256], name[64];
	int i, len;
	t->l = 0;
	puts_(t, "BAM\1");
	put32(t, (uint32_t)strlen(text)), puts_(t, text), put32(t, 0);
	for (i = 0; i < n_pairs; ++i) {
		snprintf(name, sizeof name, "pair%d", i);
		mate_seq(7, i, 0, s, &len);
		if (i != drop1) put_bam_rec(t, name, i == sec1 ? 77 | 0x100 : 77, s, len);
		if (i % 7 == 3) put_bam_rec(t, name, 77 | 0x100, s, len);
		mate_seq(7, i, 1, s, &len);
		if (i == rename2) snprintf(name, sizeof name, "other%d", i);
		if (i != drop2) put_bam_rec(t, name, 141, s, len);
	}
}

static int test_bam_pairs(void)
{
	static const int ranks[] = { 1, 2, 3, 4, 5, 7, 16 }, blocks[] = { 900, 333, 20000 };
	static const int inter[] = { DY_IN_INTER };
	str_t t = { 0 };
	char path[300], *files[1] = { path };
	dy_io_opt_t io;
	dy_err_t e;
	int bi, ri, busy;
	snprintf(path, sizeof path, "%s/p.bam", g_dir);
	make_bam(&t, N_PAIRS, -1, -1, -1, -1);
	for (bi = 0; bi < 3; ++bi) {
		DY_CHECK(write_bgzf(path, t.s, t.l, (size_t)blocks[bi]) == 0);
		for (ri = 0; ri < (int)(sizeof ranks / sizeof *ranks); ++ri) {
			memset(&io, 0, sizeof io);
			io.n_in = 1, io.in = files, io.role = inter;
			DY_CHECK(check_pairs(&io, ranks[ri], N_PAIRS, &busy) == 0);
			if (bi < 2 && ranks[ri] <= 7) DY_CHECK(busy == ranks[ri]);
		}
	}
	/* a second mate without its first, a first without its second: refused
	 * at every number of ranks, wherever the shares fall */
	for (bi = 0; bi < 3; ++bi) {
		make_bam(&t, N_PAIRS, bi == 0 ? 700 : -1, bi == 1 ? 900 : -1, -1, bi == 2 ? 1100 : -1);
		DY_CHECK(write_bgzf(path, t.s, t.l, 333) == 0);
		for (ri = 0; ri < (int)(sizeof ranks / sizeof *ranks); ++ri) {
			memset(&io, 0, sizeof io);
			io.n_in = 1, io.in = files, io.role = inter;
			DY_CHECK(first_error(&io, ranks[ri], &e) == DY_EFORMAT);
			DY_CHECK(strstr(e.file, "p.bam") != NULL);
			if (bi == 0) DY_CHECK(strstr(e.msg, "'pair700'") && strstr(e.msg, "second mate"));
			else if (bi == 1) DY_CHECK(strstr(e.msg, "'pair901'") || strstr(e.msg, "'pair900'"));
			else DY_CHECK(strstr(e.msg, "'pair1100' is followed by the second mate (READ2) of another read, 'other1100'"));
			if (ri == 0 && bi < 2) DY_CHECK(e.record == (bi == 0 ? 1 + 2 * 700 + 100 : 1 + 2 * 901 + 129 - 1));
		}
	}
	/* the lone second mate as the first read of a share: the share before
	 * must see it (else nobody reads it).  Found on the good file read as
	 * single reads; a first mate made secondary keeps the bytes in place */
	make_bam(&t, N_PAIRS, -1, -1, -1, -1);
	DY_CHECK(write_bgzf(path, t.s, t.l, 333) == 0);
	{
		int n, r, x = -1, xn = 0;
		for (n = 2; n <= 16 && x < 0; ++n)
			for (r = 1; r < n && x < 0; ++r) {
				int id = first_read(path, r, n);
				if (id >= 0 && id % 2 == 1) x = id / 2, xn = n;
			}
		DY_CHECK(x >= 0);
		make_bam(&t, N_PAIRS, -1, -1, x, -1);
		DY_CHECK(write_bgzf(path, t.s, t.l, 333) == 0);
		memset(&io, 0, sizeof io);
		io.n_in = 1, io.in = files, io.role = inter;
		DY_CHECK(first_error(&io, xn, &e) == DY_EFORMAT);
		snprintf(path, sizeof path, "'pair%d'", x);
		DY_CHECK(strstr(e.msg, path) && strstr(e.msg, "does not follow its first mate"));
	}
	free(t.s);
	return 0;
}

/* Read every rank; the first error's message, DY_EFORMAT if any rank failed
 * (the run fails on every rank when one does: dy_status_sync). */
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
		{	/* fastq-dump names without --readids: SRR1.1 beside SRR1.2 are two spots, not mates */
			str_t sa = { 0 }, sb = { 0 };
			char s[256];
			int i, len;
			for (i = 0; i < 20; ++i) {
				mate_seq(7, i, 0, s, &len), put_rec(&sa, i, 0, s, len, 3);
				mate_seq(7, i + 1, 1, s, &len), put_rec(&sb, i + 1, 1, s, len, 3);
			}
			DY_CHECK(write_kind("a.fq", 0, &sa, pa, sizeof pa) == 0 && write_kind("b.fq", 0, &sb, pb, sizeof pb) == 0);
			DY_CHECK(first_error(&io, n_ranks, &e) == DY_EFORMAT);
			DY_CHECK(strstr(e.msg, "('SRR1.1') and record 1 of") && strstr(e.msg, "('SRR1.2') are not mates"));
			free(sa.s), free(sb.s);
		}
		io.n_in = 1, io.role = inter;
		DY_CHECK(write_kind("a.fq", 0, &odd, pa, sizeof pa) == 0);
		DY_CHECK(first_error(&io, n_ranks, &e) == DY_EFORMAT);
		DY_CHECK(strstr(e.msg, "odd number of records (2999)"));
	}
	free(a.s), free(b.s), free(in.s), free(bs.s), free(sw.s), free(odd.s);
	return 0;
}

/* ---- the read cache keeps pairs --------------------------------------- */

/* What the cache must give back for a mate: its bases where they lie in
 * ACGT runs of at least 15 (DY_KMIN), N elsewhere.  Written without the
 * cache's helpers. */
static void masked(const char *s, size_t n, char *out)
{
	size_t a = 0, e, j;
	while (a < n) {
		int acgt = strchr("ACGT", s[a]) != NULL;
		for (e = a; e < n && (strchr("ACGT", s[e]) != NULL) == acgt; ++e) {}
		for (j = a; j < e; ++j) out[j] = acgt && e - a >= 15 ? s[j] : 'N';
		a = e;
	}
}

/* Singles, then pairs with N inside, short pieces and mates with no piece
 * kept at all; every rank's reads go through a cache, whose mates must come
 * back as the pairs that rank read, in order. */
static int test_rcache_mates(void)
{
	static const int roles[] = { DY_IN_SINGLE, DY_IN_MATE1, DY_IN_MATE2, DY_IN_INTER };
	str_t a = { 0 }, b = { 0 }, in = { 0 }, sg = { 0 };
	char pa[300], pb[300], pi[300], ps[300], *files[4] = { ps, pa, pb, pi }, sq[256];
	int i, m, len, n_ranks, r;
	for (i = 0; i < N_PAIRS; ++i)
		for (m = 0; m < 2; ++m) {
			mate_seq(11, i, m, sq, &len);
			if (i % 5 == 1) memset(sq + 20, 'N', 3);                             /* a break */
			if (i % 7 == 2) memset(sq + 30, 'N', 1), sq[40] = 'R';               /* a 9-base piece */
			if (i % 11 == 3 && m == 1) memset(sq + 12, 'N', (size_t)len - 12);   /* nothing kept */
			if (i % 13 == 4 && m == 0) memset(sq + 12, 'N', (size_t)len - 24);   /* two short ends */
			put_rec(m ? &b : &a, i, m, sq, len, 0);
			put_rec(&in, i, m, sq, len, 0);
			if (m == 0 && i % 3 == 0) put_rec(&sg, i, m, sq, len, 1);
		}
	DY_CHECK(write_kind("s.fq", 0, &sg, ps, sizeof ps) == 0 && write_kind("a.fq", 2, &a, pa, sizeof pa) == 0 &&
	         write_kind("b.fq", 0, &b, pb, sizeof pb) == 0 && write_kind("i.fq", 2, &in, pi, sizeof pi) == 0);
	for (n_ranks = 1; n_ranks <= 4; n_ranks += 3) {
		uint64_t *recs = calloc((size_t)n_ranks * 4, sizeof *recs);
		dy_io_opt_t io;
		memset(&io, 0, sizeof io);
		io.n_in = 4, io.in = files, io.role = roles;
		for (r = 0; r < n_ranks; ++r) {
			dy_err_t err;
			DY_CHECK(dy_reads_count_shares(&io, r, n_ranks, recs + (size_t)r * 4, &err) == DY_OK);
		}
		io.share_recs = recs;
		for (r = 0; r < n_ranks; ++r) {
			dy_reader_t *rd = NULL;
			dy_rcache_t *c = dy_rcache_init((size_t)64 << 20), *tiny = dy_rcache_init(3000);
			dy_rcache_cursor_t cur;
			dy_batch_t bt, mb;
			dy_err_t err;
			str_t want = { 0 }, got = { 0 };
			size_t k, runs = 0, kept = 0, nb = 0;
			int ret;
			memset(&bt, 0, sizeof bt), memset(&mb, 0, sizeof mb);
			DY_CHECK(c && tiny && dy_reads_open(&io, r, n_ranks, &rd, &err) == DY_OK);
			while ((ret = dy_reads_next(rd, 700, &bt, &err)) == DY_OK) {
				dy_rcache_add(c, &bt), dy_rcache_add(tiny, &bt);
				for (k = 0; k < bt.n; ++k) {
					char o[256];
					size_t j;
					masked(bt.seq + bt.off[k], bt.len[k], o);
					for (j = 0; j < bt.len[k]; ++j) kept += o[j] != 'N';
					if (bt.mate[k] == 0) continue;
					DY_CHECK(bt.mate[k] == (k > 0 && bt.mate[k - 1] == 1 ? 2 : 1));
					put(&want, bt.mate[k] == 1 ? "1 " : "2 ", 2), put(&want, o, bt.len[k]), put(&want, "\n", 1);
				}
			}
			DY_CHECK(ret == DY_EOF);
			dy_rcache_done(c), dy_rcache_done(tiny);
			DY_CHECK(dy_rcache_complete(c) && !dy_rcache_complete(tiny));
			dy_rcache_rewind(&cur);
			while ((ret = dy_rcache_next_mates(c, &cur, 500, &mb)) == DY_OK) {
				DY_CHECK(mb.n % 2 == 0);   /* whole pairs in each batch */
				for (k = 0; k < mb.n; ++k) {
					put(&got, mb.mate[k] == 1 ? "1 " : "2 ", 2);
					put(&got, mb.seq + mb.off[k], mb.len[k]), put(&got, "\n", 1);
				}
				++nb;
			}
			DY_CHECK(ret == DY_EOF && nb > 1);
			DY_CHECK(want.l > 0);   /* every rank has pairs of its own */
			DY_CHECK(got.l == want.l && memcmp(got.s, want.s, want.l) == 0);
			/* the k-mer phases still see only the kept runs, none empty */
			dy_rcache_rewind(&cur);
			while (dy_rcache_next(c, &cur, 500, &mb) == DY_OK)
				for (k = 0; k < mb.n; ++k) {
					DY_CHECK(mb.len[k] >= 15);
					runs += mb.len[k];
				}
			DY_CHECK(runs == kept);
			dy_rcache_rewind(&cur);
			DY_CHECK(dy_rcache_next_mates(tiny, &cur, 500, &mb) == DY_EOF);
			dy_reads_close(rd);
			dy_rcache_free(c), dy_rcache_free(tiny);
			dy_batch_free(&bt), dy_batch_free(&mb);
			free(want.s), free(got.s);
		}
		free(recs);
	}
	free(a.s), free(b.s), free(in.s), free(sg.s);
	return 0;
}

int main(void)
{
	int nfail = 0;
	snprintf(g_dir, sizeof g_dir, "/tmp/dy_test_pairs.%d", (int)getpid());
	if (mkdir(g_dir, 0700) < 0) { perror(g_dir); return 1; }
	DY_RUN(test_pairs_any_ranks, nfail);
	DY_RUN(test_pairs_refused, nfail);
	DY_RUN(test_bam_pairs, nfail);
	DY_RUN(test_rcache_mates, nfail);
	{
		char cmd[300];
		snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
		if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", g_dir);
	}
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
