/* test_reads.c -- the reader: shares over any number of ranks read every
 * record exactly once, formats and compressions, bad input named and typed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>
#include <htslib/bgzf.h>
#include <htslib/hts_log.h>
#include "dy_test.h"
#include "dactyl.h"
#include "reads.h"
#include "reads_fix.h"

static char g_dir[256];

/* ---- fixtures ---------------------------------------------------------- */

/* n reads from seed: lengths 0..299 (some empty), bases with lower case, N and
 * IUPAC codes. Writes the file text into txt and the expected upper-cased
 * sequences, one per line, into want. fasta: multi-line with varying width. */
static void gen_reads(uint64_t seed, int n, int fasta, str_t *txt, str_t *want)
{
	static const char alpha[] = "ACGTACGTACGTacgtNnRy";
	char line[400], name[64];
	int i, j;
	for (i = 0; i < n; ++i) {
		int len = (int)(dy_test_rand(&seed) % 300);
		if (i % 17 == 3) len = 0;
		for (j = 0; j < len; ++j) line[j] = alpha[dy_test_rand(&seed) % (sizeof alpha - 1)];
		line[len] = 0;
		snprintf(name, sizeof name, "%c%s%d extra words\n", fasta ? '>' : '@', "read", i);
		puts_(txt, name);
		if (fasta) {
			int w = 1 + (int)(dy_test_rand(&seed) % 80);
			for (j = 0; j < len; j += w) {
				put(txt, line + j, (size_t)(len - j < w ? len - j : w));
				puts_(txt, "\n");
			}
		} else {
			puts_(txt, line);
			puts_(txt, "\n+\n");
			for (j = 0; j < len; ++j) line[j] = (char)('!' + (dy_test_rand(&seed) % 41));
			if (len > 0 && i % 5 == 0) line[0] = '@'; /* quality lines that look like headers */
			if (len > 1 && i % 7 == 0) line[1] = '+';
			put(txt, line, (size_t)len);
			puts_(txt, "\n");
		}
	}
	/* want: parse txt back the obvious way (independent of the reader) */
	{
		const char *p = txt->s, *end = txt->s + txt->l;
		int in_seq = 0, k = 0;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t ln = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (fasta) {
				if (ln && p[0] == '>') { if (in_seq) puts_(want, "\n"); in_seq = 1; }
				else for (j = 0; j < (int)ln; ++j) { char c = p[j]; if (c >= 'a' && c <= 'z') c -= 32; put(want, &c, 1); }
			} else {
				if (k % 4 == 1) {
					for (j = 0; j < (int)ln; ++j) { char c = p[j]; if (c >= 'a' && c <= 'z') c -= 32; put(want, &c, 1); }
					puts_(want, "\n");
				}
				++k;
			}
			p += ln + 1;
		}
		if (fasta && in_seq) puts_(want, "\n");
	}
}

static void path_of(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", g_dir, name);
}

enum { PLAIN, GZ, GZ2, BGZ, BGZ64 }; /* BGZ: 700-byte blocks, BGZ64: htslib's full blocks */
static const char *kind_name[] = { "plain", "gzip", "gzip2", "bgzf", "bgzf64" };

static int make_file(const char *name, int kind, const str_t *txt, char *path, size_t n)
{
	path_of(path, n, name);
	if (kind == PLAIN) return write_plain(path, txt->s, txt->l);
	if (kind == GZ) return write_gz(path, txt->s, txt->l, 1);
	if (kind == GZ2) return write_gz(path, txt->s, txt->l, 3);
	return write_bgzf(path, txt->s, txt->l, kind == BGZ ? 700 : (size_t)1 << 30);
}

/* Every record exactly once, in order, for 1..7 and 50 ranks. */
static int test_shares_exact(void)
{
	static const int ranks[] = { 1, 2, 3, 4, 5, 6, 7, 50 };
	static const int nrec[] = { 600, 9, 1, 5000 };
	int fasta, kind, ni, ri;
	for (fasta = 0; fasta < 2; ++fasta)
		for (ni = 0; ni < 4; ++ni)
			for (kind = 0; kind <= BGZ64; ++kind) {
				str_t txt = {0}, want = {0};
				char path[512], name[64], *files[1];
				gen_reads(11 + (uint64_t)ni * 7 + (uint64_t)fasta, nrec[ni], fasta, &txt, &want);
				snprintf(name, sizeof name, "s%d_%d.%s.%s", ni, kind, fasta ? "fa" : "fq", kind_name[kind]);
				DY_CHECK(make_file(name, kind, &txt, path, sizeof path) == 0);
				files[0] = path;
				for (ri = 0; ri < 8; ++ri) {
					str_t got = {0};
					uint64_t n = 0;
					size_t maxb = ri % 2 ? 1000 : 1;
					DY_CHECK(read_all(files, 1, ranks[ri], maxb, &got, &n) == DY_OK);
					if (got.l != want.l || (got.l && memcmp(got.s, want.s, got.l) != 0)) {
						fprintf(stderr, "  %s with %d ranks: records differ\n", name, ranks[ri]);
						return 1;
					}
					DY_CHECK(n == (uint64_t)nrec[ni]);
					free(got.s);
				}
				free(txt.s), free(want.s);
			}
	return 0;
}

/* Several files of every kind at once (and an empty one): the union is exact. */
static int test_shares_multi(void)
{
	str_t want = {0};
	char paths[6][512], *files[6];
	int i, nr;
	for (i = 0; i < 6; ++i) {
		str_t txt = {0};
		char name[32];
		int kind = i == 5 ? PLAIN : i % 4;
		if (i < 5) gen_reads(100 + (uint64_t)i, 150 + 40 * i, i % 2, &txt, &want);
		snprintf(name, sizeof name, "m%d.%s", i, kind_name[kind]);
		DY_CHECK(make_file(name, kind, &txt, paths[i], sizeof paths[i]) == 0);
		files[i] = paths[i];
		free(txt.s);
	}
	sort_lines(&want);
	for (nr = 1; nr <= 9; ++nr) {
		str_t got = {0};
		DY_CHECK(read_all(files, 6, nr, 5000, &got, 0) == DY_OK);
		sort_lines(&got);
		DY_CHECK(got.l == want.l && memcmp(got.s, want.s, got.l) == 0);
		free(got.s);
	}
	free(want.s);
	return 0;
}

/* Hand-written content: case, N, IUPAC codes, multi-line FASTA, CRLF, empty reads. */
static int test_content(void)
{
	static const struct { const char *text, *want; } c[] = {
		{ "@r1\nacgtNNacgt\n+\nIIIIIIIIII\n@r2\nACGTRYKMacgt\n+\nIIIIIIIIIIII\n@r3\n\n+\n\n",
		  "ACGTNNACGT\nACGTRYKMACGT\n\n" },
		{ ">c1 desc\nacgt\nNNNN\nAcGt\n>c2\n>c3\n\nGATTACA\nn\n", "ACGTNNNNACGT\n\nGATTACAN\n" },
		{ "@r1\r\nacgt\r\n+\r\nIIII\r\n@r2\r\nNNNN\r\n+\r\n####", "ACGT\nNNNN\n" },
		{ "\n\n>x\nAC\n\n\nGT\n", "ACGT\n" },
		{ "@a\nAC\n+\n@@\n\n\n@b\nGG\n+\n++\n\n", "AC\nGG\n" },
	};
	size_t i;
	for (i = 0; i < sizeof c / sizeof c[0]; ++i) {
		int nr, kind;
		for (kind = 0; kind < 4; ++kind) {
			str_t txt = {0};
			char path[512], name[32], *files[1];
			puts_(&txt, c[i].text);
			snprintf(name, sizeof name, "c%zu.%s", i, kind_name[kind]);
			DY_CHECK(make_file(name, kind, &txt, path, sizeof path) == 0);
			files[0] = path;
			for (nr = 1; nr <= 6; ++nr) {
				str_t got = {0};
				DY_CHECK(read_all(files, 1, nr, 3, &got, 0) == DY_OK);
				if (strcmp(got.s ? got.s : "", c[i].want) != 0) {
					fprintf(stderr, "  case %zu %s %d ranks: got [%s]\n", i, kind_name[kind], nr, got.s);
					return 1;
				}
				free(got.s);
			}
			free(txt.s);
		}
	}
	return 0;
}

/* The first error over all ranks (ranks read in turn, as if in parallel). */
static int first_error(char **files, int n_files, int n_ranks, dy_err_t *err)
{
	int r, ret, first = DY_OK;
	for (r = 0; r < n_ranks; ++r) {
		str_t got = {0};
		dy_err_t e;
		ret = read_share(files, n_files, r, n_ranks, 1000, &got, &e, 0);
		free(got.s);
		if (ret != DY_OK && first == DY_OK) first = ret, *err = e;
	}
	return first;
}

static const char *fixture_dir(void)
{
	static char dir[512];
	const char *f = __FILE__, *p = strstr(f, "unit/test_reads.c");
	snprintf(dir, sizeof dir, "%.*sbadinput", p ? (int)(p - f) : 0, f);
	if (p == 0) snprintf(dir, sizeof dir, "tests/badinput");
	return dir;
}

/* The committed fixtures: code, message, file name, record number. */
static int test_badinput_fixtures(void)
{
	static const struct { const char *name; int code; const char *msg; int64_t rec; } c[] = {
		{ "empty.fq", DY_OK, "", 0 },
		{ "blank.fa", DY_OK, "", 0 },
		{ "lower-n.fq", DY_OK, "", 0 },
		{ "lower-n.fa", DY_OK, "", 0 },
		{ "crlf.fq", DY_OK, "", 0 },
		{ "good.fq.gz", DY_OK, "", 0 },
		{ "junk.bin", DY_EFORMAT, "expected '@' or '>' at start of record", 1 },
		{ "text.txt", DY_EFORMAT, "expected '@' or '>' at start of record", 1 },
		{ "qual-mismatch.fq", DY_EFORMAT, "quality length 99 != sequence length 100", 2 },
		{ "no-plus.fq", DY_EFORMAT, "missing '+' line", 1 },
		{ "truncated-record.fq", DY_EFORMAT, "unexpected end of file inside a record", 2 },
		{ "seq-starts-at.fq", DY_EFORMAT, "sequence line starts with '@'", 1 },
		{ "bad-header.fq", DY_EFORMAT, "expected '@' at start of record", 2 },
		{ "truncated.fq.gz", DY_EIO, "truncated gzip data", -2 },
		{ "truncated-trailer.fq.gz", DY_EIO, "truncated gzip data", -2 },
		{ "corrupt-crc.fq.gz", DY_EIO, "corrupt gzip data (incorrect data check)", -2 },
	};
	size_t i;
	for (i = 0; i < sizeof c / sizeof c[0]; ++i) {
		char path[1024], *files[1] = { path };
		dy_err_t err;
		int ret;
		snprintf(path, sizeof path, "%s/%s", fixture_dir(), c[i].name);
		if (file_size(path) < 0) {
			fprintf(stderr, "  missing fixture %s (run from the repository root)\n", path);
			return 1;
		}
		ret = first_error(files, 1, 1, &err);
		if (ret != c[i].code || (ret && (strstr(err.msg, c[i].msg) == 0 || strcmp(err.file, path) != 0
		                                 || (c[i].rec != -2 && err.record != c[i].rec)))) {
			fprintf(stderr, "  %s: got %d record %lld [%s] [%s]\n", c[i].name, ret,
			        (long long)err.record, err.file, err.msg);
			return 1;
		}
		if (ret && c[i].rec > 0 && err.offset < 0) return 1; /* read from the start: offset known */
	}
	return 0;
}

/* Bad records anywhere in a long file are found whatever the number of ranks. */
static int test_bad_any_split(void)
{
	static const struct { const char *bad, *msg, *msg_last; } c[] = {
		{ "@x\nACGT\n+\nIII\n", "quality length 3 != sequence length 4", 0 },
		{ "@x\nACGT\nIIII\n", "missing '+' line", 0 },
		{ "@x\n", "sequence line starts with '@'", "unexpected end of file inside a record" },
		{ "junk line\n", "at start of record", 0 },
		{ "@x\n+\nIIII\n", "sequence line starts with '+'", 0 },
		{ "@x\nAC\n+\n", "quality length", "unexpected end of file inside a record" },
	};
	size_t i;
	for (i = 0; i < sizeof c / sizeof c[0]; ++i) {
		int at, nr, kind;
		for (at = 0; at < 3; ++at) { /* the bad record first, in the middle, last */
			str_t a = {0}, b = {0}, want = {0}, all = {0};
			const char *msg = at == 2 && c[i].msg_last ? c[i].msg_last : c[i].msg;
			gen_reads(7, 40, 0, &a, &want);
			gen_reads(8, 40, 0, &b, &want);
			if (at == 0) puts_(&all, c[i].bad);
			puts_(&all, a.s);
			if (at == 1) puts_(&all, c[i].bad);
			puts_(&all, b.s);
			if (at == 2) puts_(&all, c[i].bad);
			for (kind = PLAIN; kind <= BGZ; kind += BGZ) { /* the splittable kinds */
				char path[512], name[32], *files[1];
				snprintf(name, sizeof name, "bad%zu_%d.%s", i, at, kind_name[kind]);
				DY_CHECK(make_file(name, kind, &all, path, sizeof path) == 0);
				files[0] = path;
				for (nr = 1; nr <= 40; nr += nr < 8 ? 1 : 11) {
					dy_err_t err;
					int ret = first_error(files, 1, nr, &err);
					if (ret != DY_EFORMAT || strstr(err.msg, msg) == 0 || strcmp(err.file, path) != 0) {
						fprintf(stderr, "  %s with %d ranks: got %d [%s]\n", name, nr, ret, err.msg);
						return 1;
					}
				}
			}
			free(a.s), free(b.s), free(want.s), free(all.s);
		}
	}
	return 0;
}

/* gzip and BGZF cut in the middle, in the trailer, at a block boundary. */
static int test_truncated(void)
{
	str_t txt = {0}, want = {0};
	char full[512], cut[512], *files[1] = { cut };
	int k, how, nr;
	gen_reads(99, 800, 0, &txt, &want);
	for (k = 0; k < 2; ++k) {
		int kind = k ? BGZ : GZ;
		int64_t sz, len[3];
		DY_CHECK(make_file(k ? "full.bgzf" : "full.gz", kind, &txt, full, sizeof full) == 0);
		sz = file_size(full);
		len[0] = sz / 2, len[1] = sz - 4, len[2] = sz - 28; /* 28: the BGZF end-of-file block */
		for (how = 0; how < (k ? 3 : 2); ++how) {
			path_of(cut, sizeof cut, "cut.gz");
			DY_CHECK(cut_file(full, cut, len[how]) == 0);
			for (nr = 1; nr <= 6; ++nr) {
				dy_err_t err;
				int ret = first_error(files, 1, nr, &err);
				if (ret != DY_EIO || strstr(err.msg, "truncated") == 0 || strcmp(err.file, cut) != 0) {
					fprintf(stderr, "  %s cut %d, %d ranks: got %d [%s]\n", kind_name[kind], how, nr, ret, err.msg);
					return 1;
				}
			}
		}
	}
	free(txt.s), free(want.s);
	return 0;
}

/* A missing file or a directory fails dy_reads_open on every rank, naming it. */
static int test_missing(void)
{
	char good[512], missing[512];
	char *files[2][3] = { { good, missing, g_dir }, { good, g_dir, missing } };
	str_t txt = {0}, want = {0};
	int r, i;
	gen_reads(5, 20, 0, &txt, &want);
	DY_CHECK(make_file("ok.fq", PLAIN, &txt, good, sizeof good) == 0);
	path_of(missing, sizeof missing, "no-such.fq");
	for (i = 0; i < 2; ++i)
		for (r = 0; r < 4; ++r) {
			dy_io_opt_t io;
			dy_reader_t *rd = 0;
			dy_err_t err;
			memset(&io, 0, sizeof io);
			io.n_in = 3, io.in = files[i];
			DY_CHECK(dy_reads_open(&io, r, 4, &rd, &err) == DY_EIO && rd == 0);
			DY_CHECK(strstr(err.msg, i ? "Is a directory" : "No such file or directory") != 0);
			DY_CHECK(strcmp(err.file, files[i][1]) == 0);
		}
	free(txt.s), free(want.s);
	return 0;
}

/* No input files: nothing to read. Many ranks, few bytes: most shares empty. */
static int test_empty_plan(void)
{
	dy_io_opt_t io;
	dy_reader_t *r = 0;
	dy_batch_t b;
	dy_err_t err;
	memset(&io, 0, sizeof io);
	memset(&b, 0, sizeof b);
	DY_CHECK(dy_reads_open(&io, 0, 1, &r, &err) == DY_OK);
	DY_CHECK(dy_reads_next(r, 100, &b, &err) == DY_EOF && b.n == 0);
	dy_reads_close(r);
	DY_CHECK(dy_reads_open(&io, 3, 2, &r, &err) == DY_EARG);
	return 0;
}

int main(void)
{
	int nfail = 0;
	const char *tmp = getenv("TMPDIR");
	char cmd[300];
	snprintf(g_dir, sizeof g_dir, "%s/dy_reads_XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (mkdtemp(g_dir) == 0) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	hts_set_log_level(HTS_LOG_OFF);
	DY_RUN(test_shares_exact, nfail);
	DY_RUN(test_shares_multi, nfail);
	DY_RUN(test_content, nfail);
	DY_RUN(test_badinput_fixtures, nfail);
	DY_RUN(test_bad_any_split, nfail);
	DY_RUN(test_truncated, nfail);
	DY_RUN(test_missing, nfail);
	DY_RUN(test_empty_plan, nfail);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
	if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
