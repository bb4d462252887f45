/* dy-kcheck -- what the end-to-end tests assert on, computed by brute force
 * from strings (not from dactyl's kernels, so a kernel bug cannot hide).
 *
 *   dy-kcheck same GENOME.fa CONTIGS.fa
 *       exit 0 iff CONTIGS.fa holds exactly one sequence, equal to the one
 *       sequence of GENOME.fa or to its reverse complement
 *   dy-kcheck cmp K CONTIGS.fa REF.fa [REF2.fa ...] [--circular]
 *       prints: ref_kmers contig_kmers shared contig_only ref_only dup_in_contigs
 *       over canonical k-mers (REF sequences are circular with --circular)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

typedef unsigned __int128 km_t;
typedef struct { size_t n, m; km_t *a; } kv_t;
typedef struct { size_t n, m; char **s; size_t *l; } seqs_t;

static void push(kv_t *v, km_t x)
{
	if (v->n == v->m && (v->a = realloc(v->a, (v->m = v->m ? 2 * v->m : 1024) * sizeof *v->a)) == NULL) exit(2);
	v->a[v->n++] = x;
}

static int load(const char *fn, seqs_t *S)
{
	FILE *fp = fopen(fn, "r");
	char line[1 << 16];
	size_t cap = 0;
	if (fp == NULL) { perror(fn); exit(2); }
	while (fgets(line, sizeof line, fp)) {
		size_t len = strcspn(line, "\r\n");
		if (line[0] == '>') {
			if (S->n == S->m) {
				S->m = S->m ? 2 * S->m : 16;
				S->s = realloc(S->s, S->m * sizeof *S->s), S->l = realloc(S->l, S->m * sizeof *S->l);
			}
			S->s[S->n] = NULL, S->l[S->n++] = 0, cap = 0;
			continue;
		}
		if (S->n == 0) continue;
		if (S->l[S->n - 1] + len + 1 > cap) {
			cap = 2 * (S->l[S->n - 1] + len + 1);
			S->s[S->n - 1] = realloc(S->s[S->n - 1], cap);
		}
		memcpy(S->s[S->n - 1] + S->l[S->n - 1], line, len);
		S->l[S->n - 1] += len;
		S->s[S->n - 1][S->l[S->n - 1]] = 0;
	}
	fclose(fp);
	return 0;
}

static int code(char c) { return c == 'A' ? 0 : c == 'C' ? 1 : c == 'G' ? 2 : c == 'T' ? 3 : -1; }

static void revcomp(const char *s, size_t l, char *out)
{
	size_t i;
	for (i = 0; i < l; ++i) out[i] = "TGCA"[code(s[l - 1 - i]) & 3];
	out[l] = 0;
}

/* canonical k-mers of s (circular: also the windows across the end) */
static void kmers(const char *s, size_t l, int k, int circ, kv_t *v)
{
	size_t i, n = circ ? l : (l >= (size_t)k ? l - k + 1 : 0);
	for (i = 0; i < n; ++i) {
		km_t f = 0, r = 0;
		int j, ok = 1;
		for (j = 0; j < k; ++j) {
			int c = code(s[(i + j) % l]);
			if (c < 0) { ok = 0; break; }
			f = f << 2 | (km_t)c;
			r |= (km_t)(3 - c) << (2 * j);
		}
		if (ok) push(v, f < r ? f : r);
	}
}

static int cmpk(const void *a, const void *b)
{
	km_t x = *(const km_t *)a, y = *(const km_t *)b;
	return x < y ? -1 : x > y;
}

static size_t uniq(kv_t *v, size_t *dups)
{
	size_t i, j = 0;
	*dups = 0;
	qsort(v->a, v->n, sizeof *v->a, cmpk);
	for (i = 0; i < v->n; ++i) {
		if (j > 0 && v->a[j - 1] == v->a[i]) { ++*dups; continue; }
		v->a[j++] = v->a[i];
	}
	return v->n = j;
}

int main(int argc, char *argv[])
{
	seqs_t G = { 0 }, C = { 0 };
	if (argc == 4 && strcmp(argv[1], "same") == 0) {
		char *rc;
		load(argv[2], &G), load(argv[3], &C);
		if (G.n != 1 || C.n != 1) { fprintf(stderr, "dy-kcheck: %zu contigs, expected 1\n", C.n); return 1; }
		if (G.l[0] != C.l[0]) { fprintf(stderr, "dy-kcheck: contig length %zu != genome length %zu\n", C.l[0], G.l[0]); return 1; }
		rc = malloc(G.l[0] + 1);
		revcomp(G.s[0], G.l[0], rc);
		if (strcmp(C.s[0], G.s[0]) != 0 && strcmp(C.s[0], rc) != 0) { fprintf(stderr, "dy-kcheck: contig differs from the genome\n"); return 1; }
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "cmp") == 0) {
		kv_t ck = { 0 }, rk = { 0 };
		size_t i, j, sh = 0, d1, d2;
		int k = atoi(argv[2]), circ = strcmp(argv[argc - 1], "--circular") == 0, last = argc - circ;
		load(argv[3], &C);
		for (i = 0; i < C.n; ++i) kmers(C.s[i], C.l[i], k, 0, &ck);
		for (i = 4; i < (size_t)last; ++i) load(argv[i], &G);
		for (i = 0; i < G.n; ++i) kmers(G.s[i], G.l[i], k, circ, &rk);
		uniq(&ck, &d1), uniq(&rk, &d2);
		for (i = j = 0; i < ck.n && j < rk.n;) {
			if (ck.a[i] == rk.a[j]) ++sh, ++i, ++j;
			else if (ck.a[i] < rk.a[j]) ++i;
			else ++j;
		}
		printf("%zu %zu %zu %zu %zu %zu\n", rk.n, ck.n, sh, ck.n - sh, rk.n - sh, d1);
		return 0;
	}
	fprintf(stderr, "usage: dy-kcheck same GENOME.fa CONTIGS.fa | dy-kcheck cmp K CONTIGS.fa REF.fa... [--circular]\n");
	return 2;
}
