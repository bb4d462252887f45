/* stats.c -- `dactyl stats contigs.fa ...`: the contig metrics a user checks
 * first (seqkit stats' and QUAST's basic rows), from any FASTA, ours or a
 * peer's, plain or gzip, without MPI.  Reads, alignments and text are
 * refused by name: a FASTQ or a BAM given by mistake must not print a row
 * of zeros. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "dactyl.h"
#include "dy_priv.h"
#include "reads.h"

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Nx and Lx of lengths sorted longest first (stride: bytes between them):
 * the length, and the count, of the sequences that together reach pct% of
 * the total. */
void dy_nx(const uint64_t *len, size_t n, size_t stride, int pct, uint64_t *tot, uint64_t *nx, uint64_t *lx)
{
	const char *p = (const char *)len;
	uint64_t s = 0;
	size_t i;
	*tot = 0, *nx = 0, *lx = 0;
	for (i = 0; i < n; ++i) *tot += *(const uint64_t *)(p + i * stride);
	for (i = 0; i < n; ++i) {
		uint64_t l = *(const uint64_t *)(p + i * stride);
		if (100 * (s += l) >= (uint64_t)pct * *tot) { *nx = l, *lx = i + 1; break; }
	}
}

typedef struct {
	uint64_t *len;
	size_t n, m;
	uint64_t gc, acgt;   /* over the counted sequences */
} seqs_t;

static int push(seqs_t *s, uint64_t l, uint64_t gc, uint64_t acgt, int min_len)
{
	if (l < (uint64_t)min_len) return 0;
	if (s->n == s->m) {
		size_t m = s->m ? 2 * s->m : 1024;
		uint64_t *t = realloc(s->len, m * sizeof *t);
		if (t == NULL) return -1;
		s->len = t, s->m = m;
	}
	s->len[s->n++] = l, s->gc += gc, s->acgt += acgt;
	return 0;
}

/* What the first bytes say a file is, when it is not FASTA; NULL if FASTA
 * (or empty). raw: the bytes on disk, txt: after gzip inflation.  Binary
 * formats by the reader's own magic-byte table (reads.c). */
static const char *not_fasta(const unsigned char *raw, int nraw, const unsigned char *txt, int ntxt,
                             char *buf, size_t len)
{
	const char *bin = dy_fmt_unsupported(raw, (size_t)nraw, 0);
	int i = 0;
	if (bin == NULL) bin = dy_fmt_unsupported(txt, (size_t)ntxt, 1);
	if (bin) {
		snprintf(buf, len, "a %s file", bin);
		return buf;
	}
	while (i < ntxt && (txt[i] == ' ' || txt[i] == '\t' || txt[i] == '\r' || txt[i] == '\n')) ++i;
	if (i == ntxt) return NULL;   /* empty: no sequences */
	if (txt[i] == '>') return NULL;
	if (ntxt - i >= 4 && (memcmp(txt + i, "@HD\t", 4) == 0 || memcmp(txt + i, "@SQ\t", 4) == 0)) return "SAM";
	if (txt[i] == '@') return "FASTQ (reads, not an assembly)";
	return "not FASTA (no '>' header first)";
}

/* One file into s. Returns 0, or -1 with the reason printed. */
static int read_fasta(const char *path, int min_len, seqs_t *s)
{
	unsigned char raw[8], buf[1 << 16];
	char kind[64];
	uint64_t cur = 0, gc = 0, acgt = 0;
	int in_seq = 0, bol = 1, got, c, nraw = 0, first = 1, zerr;
	const char *what, *zmsg;
	FILE *fr;
	gzFile fp;
	if ((fr = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "[E::stats] %s: cannot open: %s\n", path, strerror(errno));
		return -1;
	}
	nraw = (int)fread(raw, 1, sizeof raw, fr);
	fclose(fr);
	if ((fp = gzopen(path, "r")) == NULL) {
		fprintf(stderr, "[E::stats] %s: cannot open\n", path);
		return -1;
	}
	/* a byte-level walk: '>' at line start opens a record, other bytes are bases */
	while ((got = gzread(fp, buf, sizeof buf)) > 0) {
		if (first && (what = not_fasta(raw, nraw, buf, got, kind, sizeof kind)) != NULL) {
			fprintf(stderr, "[E::stats] %s: is %s: dactyl stats takes FASTA (plain or gzip)\n", path, what);
			gzclose(fp);
			return -1;
		}
		first = 0;
		for (c = 0; c < got; ++c) {
			unsigned char b = buf[c];
			if (bol && b == '>') {
				if (in_seq && push(s, cur, gc, acgt, min_len) < 0) goto nomem;
				in_seq = 2, cur = gc = acgt = 0;   /* 2: inside the header line */
			} else if (b == '\n') {
				if (in_seq == 2) in_seq = 1;
			} else if (in_seq == 1 && b != '\r') {
				++cur;
				b &= 0xdf;   /* upper case */
				if (b == 'G' || b == 'C') ++gc, ++acgt;
				else if (b == 'A' || b == 'T') ++acgt;
			}
			bol = buf[c] == '\n';
		}
	}
	if (in_seq && push(s, cur, gc, acgt, min_len) < 0) goto nomem;
	zmsg = gzerror(fp, &zerr);
	if (got < 0 || zerr != Z_OK) {
		fprintf(stderr, "[E::stats] %s: %s\n", path, zerr == Z_ERRNO ? strerror(errno) : zmsg);
		gzclose(fp);
		return -1;
	}
	gzclose(fp);
	return 0;
nomem:
	fprintf(stderr, "[E::stats] %s: out of memory\n", path);
	gzclose(fp);
	return -1;
}

static void usage(FILE *fp)
{
	fprintf(fp, "Usage: dactyl stats [--min-len INT] <contigs.fa[.gz]> [...]\n"
	        "Contig statistics of FASTA files (plain or gzip), one tab-separated row per file:\n"
	        "  file  seqs  total  min  max  N50  L50  N90  L90  GC%% (of the A/C/G/T bases)\n"
	        "Options:\n"
	        "  --min-len INT   count only sequences of at least INT bases [0]\n"
	        "  -h, --help      this help\n");
}

int dy_stats_main(int argc, char *argv[])
{
	static const struct option lo[] = { { "min-len", required_argument, 0, 'l' }, { "help", no_argument, 0, 'h' },
	                                    { 0, 0, 0, 0 } };
	int c, i, min_len = 0, rc = 0;
	optind = 0, opterr = 0;
	while ((c = getopt_long(argc, argv, ":l:h", lo, NULL)) >= 0) {
		char *end;
		long v;
		switch (c) {
		case 'h': usage(stdout); return 0;
		case 'l':
			v = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || v < 0 || v > 1000000000L) {
				fprintf(stderr, "[E::stats] --min-len needs a whole number >= 0, got '%s'\n", optarg);
				return 1;
			}
			min_len = (int)v;
			break;
		case ':': fprintf(stderr, "[E::stats] option '%s' needs a value\n", argv[optind - 1]); return 1;
		default: fprintf(stderr, "[E::stats] unknown option '%s'\n", argv[optind - 1]); usage(stderr); return 1;
		}
	}
	if (optind == argc) { usage(stderr); return 1; }
	printf("file\tseqs\ttotal\tmin\tmax\tN50\tL50\tN90\tL90\tGC%%\n");
	for (i = optind; i < argc; ++i) {
		seqs_t s = { NULL, 0, 0, 0, 0 };
		uint64_t tot, n50, l50, n90, l90;
		if (read_fasta(argv[i], min_len, &s) < 0) { rc = 1; free(s.len); continue; }
		qsort(s.len, s.n, sizeof *s.len, cmp_desc);
		dy_nx(s.len, s.n, sizeof *s.len, 50, &tot, &n50, &l50);
		dy_nx(s.len, s.n, sizeof *s.len, 90, &tot, &n90, &l90);
		printf("%s\t%zu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\t%.2f\n", argv[i], s.n,
		       (unsigned long long)tot, (unsigned long long)(s.n ? s.len[s.n - 1] : 0),
		       (unsigned long long)(s.n ? s.len[0] : 0), (unsigned long long)n50, (unsigned long long)l50,
		       (unsigned long long)n90, (unsigned long long)l90, s.acgt ? 100.0 * s.gc / s.acgt : 0.0);
		free(s.len);
	}
	return rc;
}
