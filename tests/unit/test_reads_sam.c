/* test_reads_sam.c -- SAM, BAM and CRAM input: every read once, in read
 * orientation, over any number of ranks; secondary, supplementary and
 * QC-fail records skipped; damaged files named.  The files are written by
 * htslib from reads this test generates, and the expected sequences come
 * from the generator, not from the reader's decoding. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <htslib/hts_log.h>
#include <htslib/sam.h>
#include "dy_test.h"
#include "dactyl.h"
#include "reads.h"
#include "reads_fix.h"

static char g_dir[256];

static void path_of(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", g_dir, name); }

/* The complement of an IUPAC letter, spelled out (the reader uses a 4-bit table). */
static char comp(char c)
{
	static const char from[] = "ACGTRYKMSWBDHVN", to[] = "TGCAYRMKSWVHDBN";
	const char *p = strchr(from, c);
	return p ? to[p - from] : c;
}

enum { UNALIGNED = 1, NO_SEQ = 2 };

/* n reads from seed into a SAM/BAM/CRAM file (mode "wb", "wc", "w", "wb0"),
 * with the expected reads, one per line in file order, in want.  Every
 * seventh record is secondary, supplementary or QC-fail (its bases are not
 * expected); some reads are on the reverse strand (stored reverse
 * complemented); every 400th is 70,000 bases long so that records cross
 * BGZF blocks; some have aux tags, some no qualities.  what & UNALIGNED: no
 * reference in the header and every record unmapped (CRAM needs no
 * reference then); what & NO_SEQ: record 5 has SEQ '*'. */
static int write_reads(const char *path, const char *mode, uint64_t seed, int n, int what, str_t *want)
{
	static const char alpha[] = "ACGTACGTACGTACGTNRYKMSWBDHV";
	const char *text = what & UNALIGNED ? "@HD\tVN:1.6\tSO:unsorted\n@RG\tID:lib1\tSM:s\n"
	                                    : "@HD\tVN:1.6\tSO:unsorted\n@SQ\tSN:chr1\tLN:10000000\n@SQ\tSN:chr2\tLN:500\n";
	static const uint16_t skip[] = { BAM_FSECONDARY, BAM_FSUPPLEMENTARY, BAM_FQCFAIL };
	samFile *fp = sam_open(path, mode);
	sam_hdr_t *h = sam_hdr_parse(strlen(text), text);
	bam1_t *b = bam_init1();
	char *seq = malloc(70001), *rseq = malloc(70001), *qual = malloc(70001), name[64];
	int i, j, ret = -1;
	if (fp == 0 || h == 0 || b == 0 || seq == 0 || rseq == 0 || qual == 0) goto out;
	/* small CRAM containers, so that a few thousand reads make many */
	if (strcmp(mode, "wc") == 0 && (hts_set_opt(fp, CRAM_OPT_SEQS_PER_SLICE, 97) < 0 ||
	                                hts_set_opt(fp, CRAM_OPT_SLICES_PER_CONTAINER, 1) < 0)) goto out;
	if (sam_hdr_write(fp, h) < 0) goto out;
	for (i = 0; i < n; ++i) {
		int len = i % 400 == 399 ? 70000 : 1 + (int)(dy_test_rand(&seed) % 300);
		int rev = dy_test_rand(&seed) % 3 == 0, skipped = i % 7 == 6;
		uint16_t flag = (uint16_t)((i & 1 ? BAM_FREAD2 : BAM_FREAD1) | BAM_FPAIRED | (rev ? BAM_FREVERSE : 0));
		uint32_t cigar = (uint32_t)len << 4 | BAM_CMATCH;
		int mapped = !(what & UNALIGNED) && i % 3 != 0;
		for (j = 0; j < len; ++j) {
			seq[j] = alpha[dy_test_rand(&seed) % (sizeof alpha - 1)];
			qual[j] = (char)(dy_test_rand(&seed) % 42);
		}
		seq[len] = 0;
		for (j = 0; j < len; ++j) rseq[j] = comp(seq[len - 1 - j]);
		if (!mapped) flag |= BAM_FUNMAP;
		if (skipped) flag |= skip[(i / 7) % 3];
		if (what & NO_SEQ && i == 5) len = 0;
		snprintf(name, sizeof name, "r%d:%llu", i / 2, (unsigned long long)(seed % 100000));
		if (bam_set1(b, strlen(name), name, flag, mapped ? i % 2 : -1, mapped ? (hts_pos_t)(i * 7 % 400) : -1,
		             mapped ? 60 : 0, mapped ? 1 : 0, &cigar, -1, -1, 0, (size_t)len, rev ? rseq : seq,
		             i % 5 == 2 ? NULL : qual, 0) < 0)
			goto out;
		if (i % 3 == 1) {
			int32_t arr[3] = { 1, -2, 3 };
			int nm = i;
			if (bam_aux_append(b, "RG", 'Z', 5, (const uint8_t *)"lib1") < 0) goto out;
			if (bam_aux_append(b, "NM", 'i', 4, (const uint8_t *)&nm) < 0) goto out;
			if (bam_aux_update_array(b, "XB", 'i', 3, arr) < 0) goto out;
		}
		if (sam_write1(fp, h, b) < 0) goto out;
		if (!skipped) {
			put(want, seq, (size_t)len);
			put(want, "\n", 1);
		}
	}
	ret = 0;
out:
	if (fp && sam_close(fp) < 0) ret = -1;
	if (h) sam_hdr_destroy(h);
	if (b) bam_destroy1(b);
	free(seq), free(rseq), free(qual);
	return ret;
}

/* A BAM or CRAM split over 1..16 ranks gives every read once, in file
 * order, and is really split (several ranks read some). Aligned and
 * unaligned BAM, compressed and stored blocks, unaligned CRAM in small
 * containers, with FASTQ-sized batches and one read a batch. */
static int test_bam_cram_shares(void)
{
	static const struct { const char *mode; int what; } c[] = {
		{ "wb", 0 }, { "wb", UNALIGNED }, { "wb0", 0 }, { "wc", UNALIGNED } };
	size_t ci;
	for (ci = 0; ci < sizeof c / sizeof *c; ++ci) {
		char path[300], *files[1] = { path };
		str_t want = { 0, 0, 0 };
		int nr;
		path_of(path, sizeof path, c[ci].mode[1] == 'c' ? "reads.cram" : "reads.bam");
		DY_CHECK(write_reads(path, c[ci].mode, 11 + ci, 3000, c[ci].what, &want) == 0);
		for (nr = 1; nr <= 16; nr += nr < 6 ? 1 : 5) {
			str_t got = { 0, 0, 0 };
			uint64_t n_rec = 0;
			int r, busy = 0;
			DY_CHECK(read_all(files, 1, nr, nr % 2 ? 1 : 100000, &got, &n_rec) == DY_OK);
			if (got.l != want.l || memcmp(got.s, want.s, want.l) != 0) {
				fprintf(stderr, "  %s/%d at %d ranks: %zu bytes read, %zu expected\n", c[ci].mode, c[ci].what, nr, got.l, want.l);
				return 1;
			}
			for (r = 0; r < nr; ++r) {
				str_t one = { 0, 0, 0 };
				dy_err_t err;
				uint64_t k = 0;
				DY_CHECK(read_share(files, 1, r, nr, 1000, &one, &err, &k) == DY_OK);
				busy += k > 0;
				free(one.s);
			}
			DY_CHECK(busy >= (nr < 8 ? nr : 8));   /* >= 25 blocks or containers: up to 8 ranks all get some */
			free(got.s);
		}
		free(want.s);
	}
	return 0;
}

/* SAM and gzip'd SAM (read whole by one rank), and a BAM beside a FASTQ. */
static int test_sam_mixed(void)
{
	static const struct { const char *name, *mode; } c[] = { { "reads.sam", "w" }, { "reads.sam.gz", "wz" } };
	size_t ci;
	for (ci = 0; ci < sizeof c / sizeof *c; ++ci) {
		char path[300], *files[1] = { path };
		str_t want = { 0, 0, 0 };
		int nr;
		path_of(path, sizeof path, c[ci].name);
		DY_CHECK(write_reads(path, c[ci].mode, 21 + ci, 1200, UNALIGNED, &want) == 0);
		for (nr = 1; nr <= 3; nr += 2) {
			str_t got = { 0, 0, 0 };
			DY_CHECK(read_all(files, 1, nr, 5000, &got, 0) == DY_OK);
			if (got.l != want.l || memcmp(got.s, want.s, want.l) != 0) {
				fprintf(stderr, "  %s at %d ranks: %zu bytes read, %zu expected\n", c[ci].name, nr, got.l, want.l);
				return 1;
			}
			free(got.s);
		}
		free(want.s);
	}
	{   /* a BAM and a FASTQ in one run: the multiset of reads */
		char bam[300], fq[300], *files[2] = { fq, bam };
		str_t want = { 0, 0, 0 }, got = { 0, 0, 0 };
		FILE *f;
		path_of(bam, sizeof bam, "mixed.bam");
		path_of(fq, sizeof fq, "mixed.fq");
		DY_CHECK(write_reads(bam, "wb", 31, 900, 0, &want) == 0);
		DY_CHECK((f = fopen(fq, "w")) != 0);
		fputs("@a\nACGTTGCA\n+\nIIIIIIII\n@b\nGGGAAATTTCCC\n+\nIIIIIIIIIIII\n", f);
		DY_CHECK(fclose(f) == 0);
		puts_(&want, "ACGTTGCA\nGGGAAATTTCCC\n");
		sort_lines(&want);
		DY_CHECK(read_all(files, 2, 3, 700, &got, 0) == DY_OK);
		sort_lines(&got);
		DY_CHECK(got.l == want.l && memcmp(got.s, want.s, want.l) == 0);
		free(want.s), free(got.s);
	}
	return 0;
}

/* The first error over every rank's share, as the run would report it. */
static int first_error(char **files, int n_ranks, dy_err_t *err)
{
	int r, ret;
	for (r = 0; r < n_ranks; ++r) {
		str_t got = { 0, 0, 0 };
		ret = read_share(files, 1, r, n_ranks, 1000, &got, err, 0);
		free(got.s);
		if (ret != DY_OK) return ret;
	}
	return DY_OK;
}

/* A BAM or CRAM without its end-of-file block or container, one cut in the
 * middle, a BAM with a record without SEQ: errors naming the file (and the
 * record), at 1 and 4 ranks. */
static int test_damaged(void)
{
	static const struct { const char *mode, *name, *trunc; int what, eof; } c[] = {
		{ "wb", "full.bam", "truncated BAM", 0, 28 }, { "wc", "full.cram", "truncated CRAM", UNALIGNED, 38 } };
	char full[300], cut[300], noseq[300], *files[1];
	str_t want = { 0, 0, 0 };
	dy_err_t err;
	int64_t size;
	size_t ci;
	int nr;
	path_of(cut, sizeof cut, "cut.bin");
	path_of(noseq, sizeof noseq, "noseq.bam");
	for (ci = 0; ci < sizeof c / sizeof *c; ++ci) {
		path_of(full, sizeof full, c[ci].name);
		DY_CHECK(write_reads(full, c[ci].mode, 41, 2000, c[ci].what, &want) == 0);
		DY_CHECK((size = file_size(full)) > 100000);
		for (nr = 1; nr <= 4; nr += 3) {
			files[0] = cut;
			DY_CHECK(cut_file(full, cut, size - c[ci].eof) == 0);   /* the end-of-file block or container */
			DY_CHECK(first_error(files, nr, &err) < DY_EOF);
			DY_CHECK(strcmp(err.file, cut) == 0 && strstr(err.msg, c[ci].trunc) != 0);
			DY_CHECK(cut_file(full, cut, size / 2) == 0);
			DY_CHECK(first_error(files, nr, &err) < DY_EOF);
			DY_CHECK(strcmp(err.file, cut) == 0);
		}
		free(want.s), want.l = want.m = 0, want.s = 0;
	}
	DY_CHECK(write_reads(noseq, "wb", 42, 50, NO_SEQ, &want) == 0);
	files[0] = noseq;
	DY_CHECK(first_error(files, 1, &err) == DY_EFORMAT);
	DY_CHECK(strcmp(err.file, noseq) == 0 && err.record == 6 && strstr(err.msg, "no sequence") != 0);
	free(want.s);
	return 0;
}

int main(void)
{
	int nfail = 0;
	const char *tmp = getenv("TMPDIR");
	char cmd[300];
	snprintf(g_dir, sizeof g_dir, "%s/dy_reads_sam_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(g_dir) == 0) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	hts_set_log_level(HTS_LOG_OFF);
	DY_RUN(test_bam_cram_shares, nfail);
	DY_RUN(test_sam_mixed, nfail);
	DY_RUN(test_damaged, nfail);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
