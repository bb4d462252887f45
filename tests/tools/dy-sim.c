/* dy-sim -- the tests' deterministic genome and read simulator.
 *
 *   dy-sim genome LEN SEED [REPLEN COPIES]   random genome, FASTA on stdout;
 *                                            with REPLEN/COPIES, one random
 *                                            segment of REPLEN bases appears
 *                                            COPIES times (a repeat > k)
 *   dy-sim reads FASTA RLEN COV SEED [ERR] [circular]
 *                                            reads on both strands, FASTQ on
 *                                            stdout; the first and last RLEN
 *                                            bases of each sequence are always
 *                                            covered, so error-free reads
 *                                            hold every k-mer of the genome
 *
 * xorshift64* from the seed: the same bytes on every machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint64_t rng;
static uint64_t rnd(void)
{
	rng ^= rng >> 12; rng ^= rng << 25; rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1DULL;
}

static int genome(long len, long rep, long copies)
{
	char *g = malloc(len + 1), *r = NULL;
	long i, c;
	if (g == NULL) return 1;
	for (i = 0; i < len; ++i) g[i] = "ACGT"[rnd() & 3];
	if (rep > 0 && copies > 0 && rep * copies < len) {
		r = malloc(rep);
		for (i = 0; i < rep; ++i) r[i] = "ACGT"[rnd() & 3];
		for (c = 0; c < copies; ++c)   /* evenly spaced copies */
			memcpy(g + (len / copies) * c + (len / copies - rep) / 2, r, rep);
		free(r);
	}
	printf(">genome len=%ld\n", len);
	for (i = 0; i < len; i += 80) printf("%.*s\n", (int)(len - i < 80 ? len - i : 80), g + i);
	free(g);
	return 0;
}

static void emit(const char *g, long glen, long pos, int rlen, int strand, double err, long id, int circ)
{
	static const char comp[256] = { ['A'] = 'T', ['C'] = 'G', ['G'] = 'C', ['T'] = 'A' };
	char s[100000];
	int i;
	for (i = 0; i < rlen; ++i) s[i] = g[circ ? (pos + i) % glen : pos + i];
	if (strand)
		for (i = 0; i < rlen / 2 + 1 && i <= rlen - 1 - i; ++i) {
			char a = comp[(unsigned char)s[i]], b = comp[(unsigned char)s[rlen - 1 - i]];
			s[i] = b, s[rlen - 1 - i] = a;
		}
	for (i = 0; i < rlen; ++i)
		if (err > 0 && (double)(rnd() >> 11) / 9007199254740992.0 < err)
			s[i] = "ACGT"[(strchr("ACGT", s[i]) - "ACGT" + 1 + rnd() % 3) & 3];
	printf("@r%ld pos=%ld strand=%c\n%.*s\n+\n", id, pos, strand ? '-' : '+', rlen, s);
	for (i = 0; i < rlen; ++i) putchar('I');
	putchar('\n');
}

static int reads(const char *fn, int rlen, double cov, double err, int circ)
{
	FILE *fp = fopen(fn, "r");
	char line[1 << 16], *g = NULL;
	long n = 0, m = 0, id = 0;
	int more = 1;
	if (fp == NULL) { perror(fn); return 1; }
	if (rlen < 1 || rlen > 99999) return 1;
	while (more) {
		more = fgets(line, sizeof line, fp) != NULL;
		if (!more || line[0] == '>') {
			if (n >= rlen) {   /* one sequence is complete */
				long nr = (long)(cov * n / rlen), i, span = circ ? n : n - rlen + 1;
				emit(g, n, 0, rlen, 0, err, id++, circ);
				emit(g, n, n - rlen, rlen, 1, err, id++, circ);
				for (i = 2; i < nr; ++i) emit(g, n, (long)(rnd() % span), rlen, (int)(rnd() & 1), err, id++, circ);
			}
			n = 0;
			continue;
		}
		for (char *p = line; *p && *p != '\n'; ++p) {
			if (n == m && (g = realloc(g, m = m ? 2 * m : 1 << 20)) == NULL) return 1;
			g[n++] = *p;
		}
	}
	fclose(fp);
	free(g);
	return 0;
}

int main(int argc, char *argv[])
{
	if (argc >= 4 && strcmp(argv[1], "genome") == 0) {
		rng = strtoull(argv[3], 0, 10) * 2654435761ULL + 88172645463325252ULL;
		return genome(atol(argv[2]), argc > 5 ? atol(argv[4]) : 0, argc > 5 ? atol(argv[5]) : 0);
	}
	if (argc >= 6 && strcmp(argv[1], "reads") == 0) {
		rng = strtoull(argv[5], 0, 10) * 2654435761ULL + 88172645463325252ULL;
		return reads(argv[2], atoi(argv[3]), atof(argv[4]), argc > 6 ? atof(argv[6]) : 0.0,
		             argc > 7 && strcmp(argv[7], "circular") == 0);
	}
	fprintf(stderr, "usage: dy-sim genome LEN SEED [REPLEN COPIES] | dy-sim reads FASTA RLEN COV SEED [ERR] [circular]\n");
	return 1;
}
