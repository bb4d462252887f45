/* stats.c -- `dactyl stats contigs.fa`: the contig metrics a user checks
 * first, from any FASTA (ours or a peer's), without MPI. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "dactyl.h"
#include "dy_priv.h"

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

void dy_n50(const uint64_t *len, size_t n, size_t stride, uint64_t *tot, uint64_t *n50, uint64_t *l50)
{
	const char *p = (const char *)len;
	uint64_t s = 0;
	size_t i;
	*tot = 0, *n50 = 0, *l50 = 0;
	for (i = 0; i < n; ++i) *tot += *(const uint64_t *)(p + i * stride);
	for (i = 0; i < n; ++i) {
		uint64_t l = *(const uint64_t *)(p + i * stride);
		if (2 * (s += l) >= *tot) { *n50 = l, *l50 = i + 1; break; }
	}
}

int dy_stats_main(int argc, char *argv[])
{
	uint64_t *len = NULL, tot = 0, n50 = 0, l50 = 0, n = 0, m = 0, cur = 0;
	gzFile fp;
	char buf[1 << 16];
	int in_seq = 0, c, bol = 1;
	if (argc != 2) {
		fprintf(stderr, "Usage: dactyl stats <contigs.fa[.gz]>\n");
		return 1;
	}
	if ((fp = gzopen(argv[1], "r")) == NULL) {
		fprintf(stderr, "[E::stats] %s: cannot open\n", argv[1]);
		return 1;
	}
	/* a byte-level walk: '>' at line start opens a record, other bytes are bases */
	for (;;) {
		int got = gzread(fp, buf, sizeof buf);
		if (got <= 0) break;
		for (c = 0; c < got; ++c) {
			if (bol && buf[c] == '>') {
				if (in_seq) {
					if (n == m && (len = realloc(len, (m = m ? 2 * m : 1024) * sizeof *len)) == NULL) goto nomem;
					len[n++] = cur;
				}
				in_seq = 2, cur = 0;   /* 2: inside the header line */
			} else if (buf[c] == '\n') {
				if (in_seq == 2) in_seq = 1;
			} else if (in_seq == 1 && buf[c] != '\r') ++cur;
			bol = buf[c] == '\n';
		}
	}
	if (in_seq) {
		if (n == m && (len = realloc(len, (m + 1) * sizeof *len)) == NULL) goto nomem;
		len[n++] = cur;
	}
	{
		int zerr;
		const char *zmsg = gzerror(fp, &zerr);
		if (zerr != Z_OK) {
			fprintf(stderr, "[E::stats] %s: %s\n", argv[1], zmsg);
			gzclose(fp), free(len);
			return 1;
		}
	}
	gzclose(fp);
	qsort(len, n, sizeof *len, cmp_desc);
	dy_n50(len, n, sizeof *len, &tot, &n50, &l50);
	printf("file\tcontigs\ttotal_len\tlargest\tN50\tL50\n%s\t%llu\t%llu\t%llu\t%llu\t%llu\n", argv[1],
	       (unsigned long long)n, (unsigned long long)tot, (unsigned long long)(n ? len[0] : 0),
	       (unsigned long long)n50, (unsigned long long)l50);
	free(len);
	return 0;
nomem:
	fprintf(stderr, "[E::stats] out of memory\n");
	gzclose(fp);
	return 1;
}
