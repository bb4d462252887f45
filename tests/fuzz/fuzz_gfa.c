/* fuzz_gfa.c -- libFuzzer target over the writers of graph.gfa and
 * contigs.fa(.fai) (src/write.c): contigs and links made from the input are
 * written into a scratch folder and read back by the strict parsers below
 * (independent of the writer), which must find exactly what was written.
 *
 * Input: byte 0 = k (odd, 15..127), byte 1 = --min-len; then per contig 3
 * bytes (length over k, coverage, flags) and its bases, 4 a byte; then
 * links, 3 bytes each (a, b, orientations).  Checked:
 *   - graph.gfa: one H line, one S line per contig in order (name contig_N,
 *     the sequence, LN = length, KC = k-mer count sum, DP = KC / k-mers to
 *     one decimal), one L line per link with the right names, orientations
 *     and overlap (k-1)M, nothing else;
 *   - contigs.fa: the contigs of at least min-len bases, in order, named as
 *     in the GFA, with len= and cov= as in the GFA and " circular" when so;
 *     the .fai holds one line per record with its length and offsets. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dy_priv.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long m;
	if (fp == NULL) return NULL;
	fseek(fp, 0, SEEK_END), m = ftell(fp), fseek(fp, 0, SEEK_SET);
	if ((s = malloc((size_t)m + 1)) == NULL) abort();
	if (fread(s, 1, (size_t)m, fp) != (size_t)m) abort();
	s[m] = 0, *n = (size_t)m;
	fclose(fp);
	return s;
}

/* the next line of *p (NUL-terminated in place), or NULL at the end */
static char *line(char **p)
{
	char *s = *p, *e;
	if (*s == 0) return NULL;
	if ((e = strchr(s, '\n')) == NULL) __builtin_trap();   /* every line ends with '\n' */
	*e = 0, *p = e + 1;
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char dir[64];
	dy_contigs_t cs;
	dy_glinks_t links;
	dy_err_t err;
	size_t i, n, at;
	int k, min_len;
	char path[128], want[512], *text, *p, *l;
	uint64_t off;
	if (size < 2) return 0;
	if (dir[0] == 0) {
		snprintf(dir, sizeof dir, "/tmp/fuzz_gfa.XXXXXX");
		if (mkdtemp(dir) == NULL) abort();
	}
	k = 15 + 2 * (data[0] % 57), min_len = data[1] * 2;
	memset(&cs, 0, sizeof cs), memset(&links, 0, sizeof links);
	cs.a = calloc(64, sizeof *cs.a), links.a = calloc(64, sizeof *links.a);
	if (!cs.a || !links.a) abort();
	for (at = 2; at + 3 <= size && cs.n < 64 && data[at] != 0xff; ) {   /* 0xff ends the contigs */
		dy_contig_t *t = &cs.a[cs.n++];
		t->len = (uint64_t)k + data[at] % 200, t->circular = data[at + 2] & 1;
		t->n_kmers = t->circular ? t->len : t->len - (uint64_t)k + 1;
		t->cov = (uint64_t)data[at + 1] * t->n_kmers + (data[at + 2] >> 1);
		if ((t->seq = malloc(t->len + 1)) == NULL) abort();
		at += 3;
		for (i = 0; i < t->len; ++i) t->seq[i] = "ACGT"[(at + i / 4 < size ? (size_t)(data[at + i / 4] >> (2 * (i & 3))) : i) & 3];
		t->seq[t->len] = 0;
		at += (t->len + 3) / 4;
	}
	for (++at; cs.n > 0 && at + 3 <= size && links.n < 64; at += 3) {
		dy_glink_t *g = &links.a[links.n++];
		g->a = data[at] % cs.n, g->b = data[at + 1] % cs.n, g->ao = data[at + 2] & 1, g->bo = (data[at + 2] >> 1) & 1;
	}
	memset(&err, 0, sizeof err);
	if (dy_write_gfa(dir, &cs, &links, k, &err) != DY_OK) __builtin_trap();
	if (dy_write_contigs(dir, &cs, min_len, &err) != DY_OK) __builtin_trap();

	/* graph.gfa */
	snprintf(path, sizeof path, "%s/.graph.gfa.tmp", dir);
	if ((text = slurp(path, &n)) == NULL) __builtin_trap();
	p = text;
	if ((l = line(&p)) == NULL || strcmp(l, "H\tVN:Z:1.0") != 0) __builtin_trap();
	for (i = 0; i < cs.n; ++i) {
		const dy_contig_t *t = &cs.a[i];
		uint64_t c10 = (t->cov * 10 + t->n_kmers / 2) / t->n_kmers;
		snprintf(want, sizeof want, "S\tcontig_%zu\t", i + 1);
		if ((l = line(&p)) == NULL || strncmp(l, want, strlen(want)) != 0) __builtin_trap();
		l += strlen(want);
		if (strncmp(l, t->seq, t->len) != 0 || l[t->len] != '\t') __builtin_trap();
		snprintf(want, sizeof want, "LN:i:%llu\tKC:i:%llu\tDP:f:%llu.%llu", (unsigned long long)t->len,
		         (unsigned long long)t->cov, (unsigned long long)(c10 / 10), (unsigned long long)(c10 % 10));
		if (strcmp(l + t->len + 1, want) != 0) __builtin_trap();
	}
	for (i = 0; i < links.n; ++i) {
		const dy_glink_t *g = &links.a[i];
		snprintf(want, sizeof want, "L\tcontig_%llu\t%c\tcontig_%llu\t%c\t%dM", (unsigned long long)g->a + 1,
		         g->ao ? '-' : '+', (unsigned long long)g->b + 1, g->bo ? '-' : '+', k - 1);
		if ((l = line(&p)) == NULL || strcmp(l, want) != 0) __builtin_trap();
	}
	if (line(&p) != NULL) __builtin_trap();
	free(text);

	/* contigs.fa and its index */
	snprintf(path, sizeof path, "%s/.contigs.fa.tmp", dir);
	if ((text = slurp(path, &n)) == NULL) __builtin_trap();
	{
		char fai[160], *ftext, *fp_;
		size_t fn;
		snprintf(fai, sizeof fai, "%s/.contigs.fa.fai.tmp", dir);
		if ((ftext = slurp(fai, &fn)) == NULL) __builtin_trap();
		p = text, fp_ = ftext, off = 0;
		for (i = 0; i < cs.n && cs.a[i].len >= (uint64_t)min_len; ++i) {
			const dy_contig_t *t = &cs.a[i];
			uint64_t c10 = (t->cov * 10 + t->n_kmers / 2) / t->n_kmers;
			size_t hl;
			snprintf(want, sizeof want, ">contig_%zu len=%llu cov=%llu.%llu%s", i + 1, (unsigned long long)t->len,
			         (unsigned long long)(c10 / 10), (unsigned long long)(c10 % 10), t->circular ? " circular" : "");
			if ((l = line(&p)) == NULL || strcmp(l, want) != 0) __builtin_trap();
			hl = strlen(l) + 1;
			if ((l = line(&p)) == NULL || strcmp(l, t->seq) != 0) __builtin_trap();
			/* NAME LENGTH OFFSET LINEBASES LINEWIDTH */
			snprintf(want, sizeof want, "contig_%zu\t%llu\t%llu\t%llu\t%llu", i + 1, (unsigned long long)t->len,
			         (unsigned long long)(off + hl), (unsigned long long)t->len, (unsigned long long)t->len + 1);
			if ((l = line(&fp_)) == NULL || strcmp(l, want) != 0) __builtin_trap();
			off += hl + t->len + 1;
		}
		if (line(&p) != NULL || line(&fp_) != NULL) __builtin_trap();
		free(ftext);
	}
	free(text);
	dy_contigs_free(&cs);
	free(links.a);
	return 0;
}
