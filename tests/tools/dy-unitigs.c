/* dy-unitigs -- brute-force unitigs of the solid de Bruijn graph of reads,
 * from strings (tests/unit/dbg_oracle.h), for the end-to-end oracle test.
 *
 *   dy-unitigs K T READS.fq|READS.fa [...]
 *       k-mers and (k+1)-mers of every ACGT run of every read (any other
 *       byte breaks a run; lower case counts), canonical, counted in sorted
 *       string arrays; a k-mer is solid at count >= T, an edge at (k+1)-mer
 *       count >= T.  Prints every unitig (canonical, sorted longest first
 *       then by sequence, as dactyl writes contigs.fa) as
 *           >u_N len=L kc=SUM [circular]
 *       Exit 2 on bad use, 3 if the unitig rule is inconsistent.
 *
 * Shares no code with dactyl's kernels: only dy_kmer.h's types come in
 * through the header, and no function of them is called. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../unit/dbg_oracle.h"

static void add_run(orc_dbg_t *g, const char *s, size_t n)
{
	if (n >= (size_t)g->k) orc_dbg_add(g, s, n, 0);
}

/* Add the ACGT runs of one read. */
static void add_read(orc_dbg_t *g, char *s, size_t n)
{
	size_t i, st = 0;
	for (i = 0; i < n; ++i) s[i] = (char)toupper((unsigned char)s[i]);
	for (i = 0; i <= n; ++i) {
		int acgt = i < n && (s[i] == 'A' || s[i] == 'C' || s[i] == 'G' || s[i] == 'T');
		if (acgt) continue;
		add_run(g, s + st, i - st);
		st = i + 1;
	}
}

static int load(orc_dbg_t *g, const char *fn)
{
	FILE *fp = fopen(fn, "r");
	char *line = NULL, *seq = NULL;
	size_t cap = 0, n = 0, scap = 0;
	ssize_t len;
	long ln = 0;
	int fastq = -1;
	if (fp == NULL) { perror(fn); return -1; }
	while ((len = getline(&line, &cap, fp)) >= 0) {
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
		++ln;
		if (fastq < 0) fastq = line[0] == '@';
		if (fastq) {
			if (ln % 4 == 2) add_read(g, line, (size_t)len);
			continue;
		}
		if (line[0] == '>') {
			add_read(g, seq ? seq : line, seq ? n : 0);
			n = 0;
			continue;
		}
		if (n + (size_t)len + 1 > scap) {
			scap = 2 * (n + (size_t)len + 1);
			seq = (char *)realloc(seq, scap);
		}
		memcpy(seq + n, line, (size_t)len), n += (size_t)len;
	}
	if (fastq == 0 && seq) add_read(g, seq, n);
	free(line), free(seq);
	fclose(fp);
	return 0;
}

int main(int argc, char *argv[])
{
	orc_dbg_t g;
	orc_utg_t *u = NULL;
	int64_t n, i;
	int k, t, a;
	if (argc < 4) {
		fprintf(stderr, "usage: dy-unitigs K T READS.fq|fa [...]\n");
		return 2;
	}
	k = atoi(argv[1]), t = atoi(argv[2]);
	if (k < 3 || k > 127 || t < 1) { fprintf(stderr, "dy-unitigs: bad K or T\n"); return 2; }
	orc_dbg_init(&g, k, (uint32_t)t);
	for (a = 3; a < argc; ++a)
		if (load(&g, argv[a]) < 0) return 2;
	orc_dbg_finish(&g);
	if ((n = orc_unitigs(&g, &u)) < 0) { fprintf(stderr, "dy-unitigs: inconsistent unitig rule\n"); return 3; }
	for (i = 0; i < n; ++i)
		printf(">u_%lld len=%zu kc=%llu%s\n%s\n", (long long)i + 1, strlen(u[i].seq),
		       (unsigned long long)u[i].cov, u[i].circ ? " circular" : "", u[i].seq);
	orc_utg_free(u, n);
	orc_dbg_free(&g);
	return 0;
}
