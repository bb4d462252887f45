/* reads.c -- this rank's share of the input reads (see reads.h).
 *
 * Files are read with POSIX I/O and decompressed with zlib rather than through
 * htslib's BGZF layer, for two reasons: a BGZF share must know the compressed
 * offset at which every gzip member starts (that is where shares meet), and a
 * truncated stream must be an error, never a quiet end of file (htslib 1.16
 * does fail on a cut gzip stream, but logs it itself, twice, and reports a
 * BGZF file cut at a block boundary only through bgzf_check_EOF).  One gzip
 * decoder serves both plain gzip and BGZF (a BGZF file is a series of gzip
 * members); zlib checks every member's CRC and length.
 *
 * Where ISA-L is installed (libisal-dev; the Makefile defines DY_HAVE_ISAL)
 * its igzip inflater takes zlib's place behind the same three calls
 * (zi_reset, zi_run, zi_end): 4.8x zlib's speed on bact's reads (1.40 s to
 * 0.29 s a file), and inflating was a seventh of `dactyl count`'s CPU.
 * It checks the same CRC and length, member by member.
 *
 * Offsets given to the parser: absolute bytes for plain files, uncompressed
 * bytes from the start for gzip and for BGZF read from the start, and
 * uncompressed bytes from the first block of the share for a BGZF share that
 * starts inside the file (the absolute value is unknown there, so errors
 * carry offset -1 and the compressed offset of the block in the message).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef DY_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif
#include "reads.h"
#include "fastx.h"
#include "split.h"
#include "reads_sam.h"

enum { K_PLAIN, K_GZIP, K_BGZF };

#define IN_CHUNK ((size_t)1 << 17)
#define BGZF_HDR 18             /* a BGZF member header with only the BC subfield */

typedef struct {
	const char *path;
	int kind;
	int sam;             /* DY_SAM_*: read through htslib (reads_sam.c) */
	int sam_split;       /* ... and can be split between ranks */
	int64_t size;
} file_t;

/* Byte source for the parser: one part of one file. */
typedef struct {
	int fd, kind;
	int64_t pos0;        /* parser offset of the first byte produced */
	int64_t stop;        /* BGZF: a member starting at or after this offset ends the share */
	int64_t produced;    /* bytes handed to the parser */
	int64_t off;         /* file offset of the next byte read */
	int64_t member_start, member_out;
	int in_member, n_members, z_ready, eof;
	/* the inflater's input: next_in, avail_in */
	unsigned char *next_in;
	size_t avail_in;
	const char *why;     /* the inflater's reason for corrupt data */
#ifdef DY_HAVE_ISAL
	struct inflate_state *is;
#else
	z_stream z;
#endif
	unsigned char *in;
	int64_t *limit;      /* the parser's limit, set when stop is met */
	uint64_t bytes_in;
	char msg[256];
} src_t;

/* One part to read: a byte share of a file, or, for mates, a run of records. */
typedef struct {
	int file;
	int64_t beg, end;    /* bytes on disk (end: the file's size for a part read to its quota) */
	int64_t nominal;     /* bytes of the share this part stands for (the load) */
	uint64_t skip;       /* records passed over first (they belong to the rank before) */
	uint64_t quota;      /* records read at most, UINT64_MAX for all; a pair run must have them all */
	int pair;            /* 0 single reads; 1 first mates (the mate stream has the second); 2 interleaved */
} rpart_t;

/* A sequence of parts read one after the other, one open at a time. */
typedef struct {
	rpart_t *parts;
	int n_parts, i_part;
	int part_open;
	int64_t part_start;  /* where the open part's reading began: byte, or BGZF block, offset */
	uint64_t n_part;     /* records returned from the open part */
	src_t src;
	dy_fx_t fx;
	dy_sam_t *sam;       /* the open part, when its file is SAM, BAM or CRAM */
} stream_t;

struct dy_reader_s {
	int n_files, threads;
	file_t *files;
	const int *role;
	stream_t main, mate; /* mate: the second mates of main's pair == 1 parts, in the same order */
	int err;             /* sticky error code */
	dy_fxbuf_t scratch;  /* skipped records */
	char name1[256];
	size_t name1_l;
	uint64_t *frec, *fbases;   /* per file: records and bases read */
	uint64_t *fskip;           /* per file: SAM/BAM/CRAM records that are not reads (secondary, ...) */
	int *rg_first;             /* per file: its first read-group slot (n_files + 1 prefix sums) */
	uint64_t *rg_recs, *rg_bases;   /* per slot: reads and bases of a read group */
	dy_reads_stats_t st;
};

static int set_err(dy_err_t *err, const char *path, int64_t rec, int64_t off, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int set_err(dy_err_t *err, const char *path, int64_t rec, int64_t off, const char *fmt, ...)
{
	va_list ap;
	if (err == 0) return 0;
	snprintf(err->file, sizeof err->file, "%s", path ? path : "");
	err->record = rec, err->offset = off;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return 0;
}

static int64_t read_fd(int fd, void *buf, size_t len)
{
	ssize_t n;
	do n = read(fd, buf, len); while (n < 0 && errno == EINTR);
	return n;
}

static int64_t pread_full(int fd, void *buf, size_t len, int64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, off + (int64_t)got);
		if (n < 0 && errno == EINTR) continue;
		if (n < 0) return -1;
		if (n == 0) break;
		got += (size_t)n;
	}
	return (int64_t)got;
}

/* ---- compression ------------------------------------------------------- */

/* Is p[0..n) the start of a BGZF member (gzip with a BC extra subfield)? */
static int is_bgzf_hdr(const unsigned char *p, size_t n)
{
	size_t xlen, i;
	if (n < 12 || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8 || !(p[3] & 4)) return 0;
	xlen = p[10] | (size_t)p[11] << 8;
	if (n < 12 + xlen) return 0;
	for (i = 12; i + 4 <= 12 + xlen; ) { /* walk the subfields */
		size_t slen = p[i + 2] | (size_t)p[i + 3] << 8;
		if (p[i] == 'B' && p[i + 1] == 'C' && slen == 2) return 1;
		i += 4 + slen;
	}
	return 0;
}

static int sniff_kind(const unsigned char *p, size_t n)
{
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) return is_bgzf_hdr(p, n) ? K_BGZF : K_GZIP;
	return K_PLAIN;
}

const char *dy_fmt_unsupported(const unsigned char *p, size_t n, int inflated)
{
	if (inflated) {
		if (n >= 4 && memcmp(p, "BAM\1", 4) == 0) return "BAM";
		if (n >= 4 && memcmp(p, "BCF", 3) == 0) return "BCF";
		return NULL;
	}
	if (n >= 4 && memcmp(p, "CRAM", 4) == 0) return "CRAM";
	if (n >= 3 && memcmp(p, "BZh", 3) == 0) return "bzip2-compressed";
	if (n >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0) return "xz-compressed";
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) return "zstd-compressed";
	if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0) return "zip";
	if (n >= 4 && memcmp(p, "\x89HDF", 4) == 0) return "HDF5 (FAST5?)";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x9d) return "compress(.Z)-compressed";
	return NULL;
}

/* The first bytes a gzip/BGZF file inflates to (for the BAM check). */
static size_t inflate_head(const unsigned char *p, size_t n, unsigned char *out, size_t m)
{
	z_stream z;
	size_t got;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 16) != Z_OK) return 0;
	z.next_in = (unsigned char *)p, z.avail_in = (uInt)n;
	z.next_out = out, z.avail_out = (uInt)m;
	inflate(&z, Z_SYNC_FLUSH);
	got = m - z.avail_out;
	inflateEnd(&z);
	return got;
}

/* Compressed offset of the first BGZF member starting at or after from, or
 * size if none. A header cut by the end of file is no member: the share before
 * reads through it and reports the truncation. */
int64_t dy_bgzf_find(int fd, int64_t from, int64_t size, int *err_no)
{
	/* the window holds IN_CHUNK candidate offsets plus the longest header after
	 * the last one, so every candidate is judged on its whole header */
	const size_t win = IN_CHUNK + 12 + 65535;
	unsigned char *b = malloc(win);
	int64_t at = from, ret = -1;
	if (b == 0) { *err_no = ENOMEM; return -1; }
	while (at < size) {
		int64_t n = pread_full(fd, b, win, at), i, last;
		if (n < 0) { *err_no = errno; goto out; }
		last = n < (int64_t)win ? n : (int64_t)IN_CHUNK; /* short read: end of file */
		for (i = 0; i < last; ++i)
			if (b[i] == 0x1f && is_bgzf_hdr(b + i, (size_t)(n - i))) { ret = at + i; goto out; }
		if (n < (int64_t)win) break;
		at += IN_CHUNK;
	}
	ret = size;
out:
	free(b);
	return ret;
}

/* ---- the inflater: zlib, or ISA-L where installed ---------------------- */

#ifdef DY_HAVE_ISAL
static int zi_init(src_t *s)
{
	if ((s->is = (struct inflate_state *)malloc(sizeof *s->is)) == NULL) return -1;
	isal_inflate_init(s->is);
	s->is->crc_flag = ISAL_GZIP;
	return 0;
}

static int zi_reset(src_t *s)
{
	isal_inflate_reset(s->is);
	s->is->crc_flag = ISAL_GZIP;   /* one gzip member, header and trailer checked */
	return 0;
}

/* Inflate into buf[0..len): 1 at the member's end, 0 for more, -1 corrupt. */
static int zi_run(src_t *s, void *buf, size_t len, size_t *got)
{
	struct inflate_state *z = s->is;
	int ret;
	if (len > UINT32_MAX) len = UINT32_MAX;
	if (s->avail_in > UINT32_MAX) s->avail_in = UINT32_MAX;   /* never: IN_CHUNK */
	z->next_in = s->next_in, z->avail_in = (uint32_t)s->avail_in;
	z->next_out = (uint8_t *)buf, z->avail_out = (uint32_t)len;
	ret = isal_inflate(z);
	/* at the end of a member ISA-L gives back the bytes it had buffered,
	 * so next_in is the next member's first byte, as with zlib */
	s->next_in = z->next_in, s->avail_in = z->avail_in;
	*got = len - z->avail_out;
	if (ret < 0) {
		s->why = ret == ISAL_INCORRECT_CHECKSUM ? "incorrect data check"
		       : ret == ISAL_INVALID_WRAPPER ? "incorrect header check"
		       : ret == ISAL_UNSUPPORTED_METHOD ? "unknown compression method"
		       : ret == ISAL_INVALID_LOOKBACK ? "invalid distance too far back"
		       : ret == ISAL_NEED_DICT ? "a preset dictionary is needed" : "invalid deflate data";
		return -1;
	}
	return z->block_state == ISAL_BLOCK_FINISH;
}

static void zi_end(src_t *s) { free(s->is), s->is = NULL; }
#else
static int zi_init(src_t *s)
{
	return inflateInit2(&s->z, 15 + 16) == Z_OK ? 0 : -1;   /* gzip wrapper only */
}

static int zi_reset(src_t *s) { return inflateReset(&s->z) == Z_OK ? 0 : -1; }

static int zi_run(src_t *s, void *buf, size_t len, size_t *got)
{
	int ret;
	if (len > UINT_MAX) len = UINT_MAX;
	s->z.next_in = s->next_in, s->z.avail_in = (uInt)s->avail_in;
	s->z.next_out = (Bytef *)buf, s->z.avail_out = (uInt)len;
	ret = inflate(&s->z, Z_NO_FLUSH);
	s->next_in = s->z.next_in, s->avail_in = s->z.avail_in;
	*got = len - s->z.avail_out;
	if (ret == Z_STREAM_END) return 1;
	if (ret != Z_OK && ret != Z_BUF_ERROR) {
		s->why = s->z.msg ? s->z.msg : "inflate failed";
		return -1;
	}
	return 0;
}

static void zi_end(src_t *s) { inflateEnd(&s->z); }
#endif

/* Inflate the next bytes of a gzip or BGZF part. */
static int64_t gz_read(src_t *s, void *buf, size_t len)
{
	const char *what = s->kind == K_BGZF ? "BGZF" : "gzip";
	if (len > (size_t)1 << 30) len = (size_t)1 << 30;
	for (;;) {
		size_t got;
		int ret;
		if (s->avail_in == 0 && !s->eof) {
			int64_t n = read_fd(s->fd, s->in, IN_CHUNK);
			if (n < 0) {
				snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
				return DY_EIO;
			}
			if (n == 0) s->eof = 1;
			s->next_in = s->in, s->avail_in = (size_t)n;
			s->off += n, s->bytes_in += (uint64_t)n;
		}
		if (!s->in_member) {
			if (s->avail_in == 0 && s->eof) {
				/* a BGZF file ends with an empty member; without it, it was cut at a block boundary */
				if (s->kind == K_BGZF && s->n_members > 0 && s->member_out > 0) {
					snprintf(s->msg, sizeof s->msg, "truncated BGZF data (no end-of-file block)");
					return DY_EIO;
				}
				return 0;
			}
			if (s->n_members > 0 && s->avail_in > 0 && s->next_in[0] != 0x1f) {
				snprintf(s->msg, sizeof s->msg, "the bytes at compressed offset %lld, after a complete "
				         "gzip member, are not gzip data (trailing garbage)",
				         (long long)(s->off - (int64_t)s->avail_in));
				return DY_EIO;
			}
			s->member_start = s->off - (int64_t)s->avail_in;
			if (s->member_start >= s->stop && *s->limit == INT64_MAX)
				*s->limit = s->pos0 + s->produced;
			if (zi_reset(s) < 0) {
				snprintf(s->msg, sizeof s->msg, "the inflater cannot be reset");
				return DY_EIO;
			}
			s->in_member = 1, s->member_out = 0, ++s->n_members;
		}
		if (s->avail_in == 0 && s->eof) {
			snprintf(s->msg, sizeof s->msg, "truncated %s data", what);
			return DY_EIO;
		}
		ret = zi_run(s, buf, len, &got);
		s->member_out += (int64_t)got, s->produced += (int64_t)got;
		if (ret == 1) s->in_member = 0;
		else if (ret < 0) {
			snprintf(s->msg, sizeof s->msg, "corrupt %s data (%s)", what, s->why);
			return DY_EIO;
		}
		if (got > 0) return (int64_t)got;
	}
}

static int64_t src_read(void *p, void *buf, size_t len)
{
	src_t *s = p;
	int64_t n;
	if (s->kind != K_PLAIN) return gz_read(s, buf, len);
	if ((n = read_fd(s->fd, buf, len)) < 0) { /* plain files: no stop, the parser limit is set at open */
		snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
		return DY_EIO;
	}
	s->bytes_in += (uint64_t)n, s->produced += n;
	return n;
}

static void src_close(src_t *s)
{
	if (s->z_ready) zi_end(s);
	if (s->fd >= 0) close(s->fd);
	free(s->in);
	memset(s, 0, sizeof *s);
	s->fd = -1;
}

/* Open path for reading from offset 0; src_seek moves to another start. */
static int src_open(src_t *s, const char *path, int kind, int64_t *limit)
{
	memset(s, 0, sizeof *s);
	s->kind = kind, s->stop = INT64_MAX, s->limit = limit;
	if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) goto fail;
	if (kind == K_PLAIN) return DY_OK;
	if ((s->in = malloc(IN_CHUNK)) == 0) goto fail;
	if (zi_init(s) < 0) { errno = ENOMEM; goto fail; }
	s->z_ready = 1;
	return DY_OK;
fail:
	snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
	return errno == ENOMEM ? DY_ENOMEM : DY_EIO;
}

/* Start at offset at (a member start for BGZF), before the first read. */
static int src_seek(src_t *s, int64_t at)
{
	if (lseek(s->fd, at, SEEK_SET) < 0) {
		snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
		return DY_EIO;
	}
	s->off = at;
	if (s->kind == K_PLAIN) s->pos0 = at;
	return DY_OK;
}

/* ---- open -------------------------------------------------------------- */

/* Check that a file can be read and learn its size and compression. */
static int probe(file_t *f, dy_err_t *err)
{
	unsigned char hdr[4096], head[4096];
	size_t n_head = 0;
	const char *what;
	struct stat st;
	int64_t n;
	int fd = -1, ret = DY_EIO;
	if (strcmp(f->path, "-") == 0) {
		set_err(err, "-", -1, -1, "reading from standard input is not supported: every rank reads its "
		        "share of a file by offset, so the reads must be in a file");
		return DY_EARG;
	}
	if ((fd = open(f->path, O_RDONLY | O_CLOEXEC)) < 0) goto fail_errno;
	if (fstat(fd, &st) < 0) goto fail_errno;
	if (S_ISDIR(st.st_mode)) { errno = EISDIR; goto fail_errno; }
	if (!S_ISREG(st.st_mode)) {
		set_err(err, f->path, -1, -1, "not a regular file (a pipe or device cannot be shared between ranks)");
		goto fail;
	}
	if ((n = pread_full(fd, hdr, sizeof hdr, 0)) < 0) goto fail_errno;
	f->size = st.st_size;
	f->kind = sniff_kind(hdr, (size_t)n);
	if (f->kind != K_PLAIN) n_head = inflate_head(hdr, (size_t)n, head, sizeof head);
	if ((f->sam = dy_sam_sniff(hdr, (size_t)n, f->kind != K_PLAIN ? head : NULL, n_head)) != DY_SAM_NONE) {
		/* a BAM is split by BGZF block; one in plain gzip has no blocks to split at */
		f->sam_split = dy_sam_splittable(f->sam, hdr, (size_t)n) && (f->sam != DY_SAM_BAM || f->kind == K_BGZF);
		close(fd);
		return DY_OK;
	}
	what = dy_fmt_unsupported(hdr, (size_t)n, 0);
	if (what == NULL && f->kind != K_PLAIN) what = dy_fmt_unsupported(head, n_head, 1);
	if (what) {
		set_err(err, f->path, -1, -1, "this is a %s file, which dactyl does not read: give FASTA or FASTQ "
		        "(plain, gzip or BGZF), SAM, BAM or CRAM", what);
		ret = DY_EFORMAT;
		goto fail;
	}
	close(fd);
	return DY_OK;
fail_errno:
	set_err(err, f->path, -1, -1, "%s", strerror(errno));
fail:
	if (fd >= 0) close(fd);
	return ret;
}

/* A pair (-1/-2) or an interleaved file can be split between ranks only
 * when its files can be entered mid-way: FASTQ/FASTA, plain or BGZF. */
static int pair_role(const dy_reader_t *r, int i)
{
	return r->role ? r->role[i] : DY_IN_SINGLE;
}

static int splittable(const file_t *f)
{
	return f->sam ? f->sam_split : f->kind != K_GZIP;
}

/* The share plan of one rank, as dy_split_plan makes it from the files'
 * weights: a pair weighs both its files and is planned on its first file
 * (the second weighs nothing there and follows it); a pair that cannot be
 * split is dealt whole. */
static int plan_rank(const dy_reader_t *r, int rank, int n_ranks, dy_part_t **parts, int *n_parts)
{
	int64_t *size = calloc((size_t)r->n_files + 1, sizeof *size);
	int *whole = calloc((size_t)r->n_files + 1, sizeof *whole), i, ret;
	if (size == NULL || whole == NULL) { free(size), free(whole); return DY_ENOMEM; }
	for (i = 0; i < r->n_files; ++i) {
		const file_t *f = &r->files[i];
		int role = pair_role(r, i);
		size[i] = f->size;
		whole[i] = !splittable(f);
		if (role == DY_IN_MATE1) {
			size[i] += r->files[i + 1].size;
			whole[i] = !splittable(f) || !splittable(&r->files[i + 1]);
		} else if (role == DY_IN_MATE2)
			size[i] = 0, whole[i] = 0;
	}
	ret = dy_split_plan(r->n_files, size, whole, rank, n_ranks, parts, n_parts);
	free(size), free(whole);
	return ret;
}

/* x of a pair's planned byte space [0, s1 + s2) as bytes of a file of size s. */
static int64_t scale(int64_t x, int64_t s, int64_t total)
{
	return total > 0 ? (int64_t)((__int128)x * s / total) : 0;
}

/* This rank's byte share of file i (mate: of the file following it) as
 * the plan gives it: -1 when it has none. */
static int share_of(const dy_part_t *p, int n, int i, int mate, const dy_reader_t *r, int64_t *beg, int64_t *end)
{
	int j;
	for (j = 0; j < n; ++j) {
		int64_t t, s;
		if (p[j].file != i) continue;
		if (pair_role(r, i) != DY_IN_MATE1) { *beg = p[j].beg, *end = p[j].end; return 0; }
		t = r->files[i].size + r->files[i + 1].size, s = r->files[i + mate].size;
		*beg = scale(p[j].beg, s, t), *end = p[j].end >= t ? s : scale(p[j].end, s, t);
		return 0;
	}
	return -1;
}

static int add_part(stream_t *m, int file, int64_t beg, int64_t end, int64_t nominal, uint64_t skip,
                    uint64_t quota, int pair)
{
	rpart_t *p = realloc(m->parts, ((size_t)m->n_parts + 1) * sizeof *p);
	if (p == NULL) return DY_ENOMEM;
	m->parts = p, p += m->n_parts++;
	p->file = file, p->beg = beg, p->end = end, p->nominal = nominal;
	p->skip = skip, p->quota = quota, p->pair = pair;
	return DY_OK;
}

/* Records of file i in the shares of ranks 0 .. rank-1. */
static uint64_t recs_before(const uint64_t *recs, int n_files, int rank, int i)
{
	uint64_t q = 0;
	int j;
	for (j = 0; j < rank; ++j) q += recs[(size_t)j * n_files + i];
	return q;
}

/* The rank j whose share of file i holds record number q (counted from 0),
 * and that share's first record number; -1 if no share does. */
static int share_with(const uint64_t *recs, int n_files, int n_ranks, int i, uint64_t q, uint64_t *first)
{
	uint64_t at = 0;
	int j;
	for (j = 0; j < n_ranks; ++j) {
		uint64_t c = recs[(size_t)j * n_files + i];
		if (q < at + c) { *first = at; return j; }
		at += c;
	}
	return -1;
}

/* The byte share of file i (mate: of the file after it) that rank j was planned. */
static int share_bytes(const dy_reader_t *r, int j, int n_ranks, int i, int mate, int64_t *beg, int64_t *end)
{
	dy_part_t *p = NULL;
	int n = 0, ret = plan_rank(r, j, n_ranks, &p, &n);
	if (ret < 0) return ret;
	ret = share_of(p, n, i, mate, r, beg, end) < 0 ? DY_ENOMEM : DY_OK;   /* it has records: it has a share */
	free(p);
	return ret;
}

/* This rank's parts.  Singles: its byte shares.  A split pair: its share of
 * the first file, with a quota of the records the count found there, and,
 * for the mate stream, the second file from the share holding the same
 * record number on, skipping to it.  A split interleaved file: the records
 * of its share, the first moved to an even number (a pair starts there)
 * and the last past the share's end to complete a pair. */
static int make_parts(dy_reader_t *r, const dy_io_opt_t *io, int rank, int n_ranks, dy_err_t *err)
{
	dy_part_t *p = NULL;
	int n = 0, k, ret;
	const uint64_t *recs = io->share_recs;
	const int nf = r->n_files;
	if ((ret = plan_rank(r, rank, n_ranks, &p, &n)) < 0) goto nomem;
	for (k = 0; k < n; ++k) {
		int i = p[k].file, role = pair_role(r, i), j;
		const file_t *f = &r->files[i];
		int64_t b1 = 0, e1 = 0, b2 = 0, e2 = 0;
		uint64_t q, first, c;
		if (role == DY_IN_MATE2) continue;   /* weighs nothing in the plan: it follows its first file */
		if (role == DY_IN_SINGLE) {
			if ((ret = add_part(&r->main, i, p[k].beg, p[k].end, p[k].end - p[k].beg, 0, UINT64_MAX, 0)) < 0) goto nomem;
			continue;
		}
		if (role == DY_IN_MATE1 && (!splittable(f) || !splittable(&r->files[i + 1]))) {   /* dealt whole */
			if ((ret = add_part(&r->main, i, 0, f->size, f->size, 0, UINT64_MAX, 1)) < 0 ||
			    (ret = add_part(&r->mate, i + 1, 0, r->files[i + 1].size, r->files[i + 1].size, 0, UINT64_MAX, 0)) < 0)
				goto nomem;
			continue;
		}
		if (role == DY_IN_INTER && !splittable(f)) {
			if ((ret = add_part(&r->main, i, 0, f->size, f->size, 0, UINT64_MAX, 2)) < 0) goto nomem;
			continue;
		}
		if (role == DY_IN_INTER && f->sam) {   /* pairs found by their flags (reads_sam.h): no counts */
			if ((ret = add_part(&r->main, i, p[k].beg, p[k].end, p[k].end - p[k].beg, 0, UINT64_MAX, 2)) < 0)
				goto nomem;
			continue;
		}
		if (recs == NULL) continue;   /* opened only to check the files */
		share_of(p, n, i, 0, r, &b1, &e1);
		c = recs[(size_t)rank * nf + i];
		q = recs_before(recs, nf, rank, i);
		if (role == DY_IN_MATE1) {
			int64_t mb = 0, me = 0;   /* this rank's own share of the second file: its load */
			if (c == 0) continue;
			if ((j = share_with(recs, nf, n_ranks, i + 1, q, &first)) < 0) continue;   /* counts checked at open */
			if ((ret = share_bytes(r, j, n_ranks, i, 1, &b2, &e2)) < 0) goto nomem;
			share_of(p, n, i, 1, r, &mb, &me);
			if ((ret = add_part(&r->main, i, b1, e1, e1 - b1, 0, c, 1)) < 0 ||
			    (ret = add_part(&r->mate, i + 1, b2, r->files[i + 1].size, me - mb, q - first, c, 0)) < 0)
				goto nomem;
			continue;
		}
		{	/* interleaved: records [lo, hi) with both ends even */
			uint64_t lo = (q + 1) & ~(uint64_t)1, hi = (q + c + 1) & ~(uint64_t)1;
			if (lo >= hi) continue;
			if ((j = share_with(recs, nf, n_ranks, i, lo, &first)) < 0) continue;
			if (j == rank) b2 = b1;
			else if ((ret = share_bytes(r, j, n_ranks, i, 0, &b2, &e2)) < 0) goto nomem;
			if ((ret = add_part(&r->main, i, b2, f->size, e1 - b1, lo - first, hi - lo, 2)) < 0) goto nomem;
		}
	}
	free(p);
	return DY_OK;
nomem:
	free(p);
	set_err(err, "", -1, -1, "out of memory");
	return DY_ENOMEM;
}

/* The mates pair up: both files of a pair hold as many records, an
 * interleaved file an even number.  From the counts, so every rank fails alike. */
static int check_counts(const dy_reader_t *r, const uint64_t *recs, int n_ranks, dy_err_t *err)
{
	int i;
	for (i = 0; i < r->n_files; ++i) {
		int role = pair_role(r, i);
		uint64_t a, b;
		if (role == DY_IN_MATE1 && splittable(&r->files[i]) && splittable(&r->files[i + 1])) {
			int lone = 0;
			a = recs_before(recs, r->n_files, n_ranks, i), b = recs_before(recs, r->n_files, n_ranks, i + 1);
			if (a == b) continue;
			lone = a < b ? i + 1 : i;
			set_err(err, r->files[lone].path, (int64_t)(a < b ? a : b) + 1, -1,
			        "the mate files do not pair up: %s has %llu records, %s has %llu, so this record has "
			        "no mate", r->files[i].path, (unsigned long long)a, r->files[i + 1].path, (unsigned long long)b);
			return DY_EFORMAT;
		} else if (role == DY_IN_INTER && splittable(&r->files[i]) && !r->files[i].sam) {
			a = recs_before(recs, r->n_files, n_ranks, i);
			if (a % 2 == 0) continue;
			set_err(err, r->files[i].path, (int64_t)a, -1, "interleaved pairs (--12), but the file holds an odd "
			        "number of records (%llu): the last has no mate", (unsigned long long)a);
			return DY_EFORMAT;
		}
	}
	return DY_OK;
}

static int reader_new(const dy_io_opt_t *io, dy_reader_t **rp, dy_err_t *err)
{
	dy_reader_t *r;
	int i, ret;
	*rp = 0;
	if ((r = calloc(1, sizeof *r)) == 0) goto fail_mem;
	r->main.src.fd = r->mate.src.fd = -1;
	r->n_files = io->n_in;
	r->threads = io->threads;
	r->role = io->role;
	if (io->n_in > 0) {
		r->files = calloc((size_t)io->n_in, sizeof *r->files);
		r->frec = calloc((size_t)io->n_in, sizeof *r->frec);
		r->fbases = calloc((size_t)io->n_in, sizeof *r->fbases);
		r->fskip = calloc((size_t)io->n_in, sizeof *r->fskip);
		if (r->files == 0 || r->frec == 0 || r->fbases == 0 || r->fskip == 0) goto fail_mem;
	}
	if ((r->rg_first = calloc((size_t)io->n_in + 1, sizeof *r->rg_first)) == 0) goto fail_mem;
	for (i = 0; i < io->n_in; ++i) { /* every rank checks every file, so all fail alike */
		r->files[i].path = io->in[i];
		if ((ret = probe(&r->files[i], err)) < 0) goto fail;
		if ((pair_role(r, i) == DY_IN_MATE1 || pair_role(r, i) == DY_IN_MATE2) && r->files[i].sam) {
			set_err(err, io->in[i], -1, -1, "a SAM, BAM or CRAM file holds both mates of its pairs (flags READ1, "
			        "READ2): give it with --12 to read it as pairs, or as single reads (-r or without an option)");
			ret = DY_EARG;
			goto fail;
		}
		r->rg_first[i + 1] = r->rg_first[i];
		if (r->files[i].sam) {   /* its header: whether it can pair, its read groups (and one slot for none) */
			dy_sam_t *sf = NULL;
			const file_t *f = &r->files[i];
			ret = dy_sam_open(&sf, f->path, f->sam, 0, f->size, f->size, 1, pair_role(r, i) == DY_IN_INTER, err);
			if (ret == DY_OK && dy_sam_n_rg(sf) > 0) r->rg_first[i + 1] += dy_sam_n_rg(sf) + 1;
			dy_sam_close(sf);
			if (ret < DY_EOF) goto fail;
		}
		if (pair_role(r, i) == DY_IN_MATE1 && (i + 1 >= io->n_in || io->role[i + 1] != DY_IN_MATE2)) {
			set_err(err, io->in[i], -1, -1, "dy_reads_open: a first-mates file without its second");
			ret = DY_EARG;
			goto fail;
		}
	}
	if ((r->rg_recs = calloc((size_t)r->rg_first[io->n_in] + 1, sizeof *r->rg_recs)) == 0 ||
	    (r->rg_bases = calloc((size_t)r->rg_first[io->n_in] + 1, sizeof *r->rg_bases)) == 0)
		goto fail_mem;
	*rp = r;
	return DY_OK;
fail_mem:
	ret = DY_ENOMEM;
	set_err(err, "", -1, -1, "out of memory");
fail:
	dy_reads_close(r);
	return ret;
}

int dy_reads_open(const dy_io_opt_t *io, int rank, int n_ranks, dy_reader_t **rp, dy_err_t *err)
{
	dy_reader_t *r = 0;
	int i, ret;
	*rp = 0;
	if (io == 0 || io->n_in < 0 || (io->n_in > 0 && io->in == 0) || n_ranks < 1 || rank < 0 || rank >= n_ranks) {
		set_err(err, "", -1, -1, "dy_reads_open: bad arguments");
		return DY_EARG;
	}
	if ((ret = reader_new(io, &r, err)) < 0) return ret;
	if (io->share_recs && (ret = check_counts(r, io->share_recs, n_ranks, err)) < 0) goto fail;
	if ((ret = make_parts(r, io, rank, n_ranks, err)) < 0) goto fail;
	for (i = 0; i < r->main.n_parts; ++i) r->st.bytes_share += (uint64_t)r->main.parts[i].nominal;
	for (i = 0; i < r->mate.n_parts; ++i) r->st.bytes_share += (uint64_t)r->mate.parts[i].nominal;
	*rp = r;
	return DY_OK;
fail:
	dy_reads_close(r);
	return ret;
}

int dy_reads_pairs_unused(const dy_io_opt_t *io, int i)
{
	file_t f;
	dy_sam_t *s = NULL;
	dy_fxbuf_t sb = { 0, 0, NULL };
	dy_err_t err;
	int paired = 0;
	if (io->role && io->role[i] != DY_IN_SINGLE) return 0;
	memset(&f, 0, sizeof f);
	f.path = io->in[i];
	if (probe(&f, &err) < 0 || !f.sam) return 0;
	if (dy_sam_open(&s, f.path, f.sam, 0, f.size, f.size, 1, 0, &err) == DY_OK && dy_sam_next(s, &sb, &err) == DY_OK)
		paired = dy_sam_mate(s) == 0 ? 0 : dy_sam_sorted(s) ? 2 : 1;
	dy_sam_close(s);
	free(sb.s);
	return paired;
}

int dy_reads_need_counts(const dy_io_opt_t *io)
{
	int i;
	for (i = 0; io->role && i < io->n_in; ++i)
		if (io->role[i] != DY_IN_SINGLE) return 1;
	return 0;
}

/* ---- reading ----------------------------------------------------------- */

static void part_close(dy_reader_t *r, stream_t *m)
{
	if (m->sam) {
		if (m->i_part < m->n_parts) r->fskip[m->parts[m->i_part].file] += dy_sam_skipped(m->sam);
		r->st.bytes_in += dy_sam_close(m->sam);
		m->sam = NULL;
		m->part_open = 0;
		return;
	}
	r->st.bytes_in += m->src.bytes_in;
	src_close(&m->src);
	dy_fx_free(&m->fx);
	m->part_open = 0;
}

/* The format of a file, from its first record, for a share that starts inside it. */
static int sniff_format(dy_reader_t *r, const file_t *f, dy_err_t *err)
{
	src_t s;
	dy_fx_t fx;
	int64_t lim = INT64_MAX;
	int ret = src_open(&s, f->path, f->kind, &lim);
	if (ret < 0) {
		set_err(err, f->path, -1, -1, "%s", s.msg);
		goto out;
	}
	dy_fx_init(&fx, src_read, &s, 0);
	if ((ret = dy_fx_sniff(&fx)) < DY_EOF)
		set_err(err, f->path, 1, fx.rec_pos, "%s", s.msg[0] ? s.msg : fx.msg);
	dy_fx_free(&fx);
out:
	r->st.bytes_in += s.bytes_in;
	src_close(&s);
	return ret;
}

/* Open the current part. DY_OK, DY_EOF (nothing to read in it) or an error. */
static int part_open(dy_reader_t *r, stream_t *m, dy_err_t *err)
{
	const rpart_t *p = &m->parts[m->i_part];
	const file_t *f = &r->files[p->file];
	src_t *s = &m->src;
	int64_t start = p->beg, stop = p->end < f->size ? p->end : INT64_MAX;
	int fmt = 0, ret, e = 0;
	m->n_part = 0;
	if (f->sam) {
		if ((ret = dy_sam_open(&m->sam, f->path, f->sam, p->beg, p->end, f->size, r->threads, p->pair == 2, err)) < 0)
			return ret;
		m->part_open = 1;
		++r->st.n_files;
		return DY_OK;
	}
	if (p->beg > 0 && (fmt = sniff_format(r, f, err)) < 0) return fmt == DY_EOF ? DY_EOF : fmt;
	if ((ret = src_open(s, f->path, f->kind, &m->fx.limit)) < 0) goto fail_src;
	if (p->beg > 0 && f->kind == K_BGZF) { /* enter at the first block at or after beg */
		if ((start = dy_bgzf_find(s->fd, p->beg, f->size, &e)) < 0) {
			snprintf(s->msg, sizeof s->msg, "%s", strerror(e));
			ret = e == ENOMEM ? DY_ENOMEM : DY_EIO;
			goto fail_src;
		}
		if (start >= p->end) goto empty; /* no block starts in the share: the next share reads it */
	}
	if ((ret = src_seek(s, start)) < 0) goto fail_src;
	m->part_start = start;
	if (f->kind == K_BGZF && stop != INT64_MAX) {
		/* the share ends where the next one starts: at the first block that
		 * bgzf_find recognizes after the range, found by the same search the
		 * next rank makes.  Stopping at any member start instead lost the
		 * records of a block whose header the next rank did not recognize
		 * (fuzz_input: a flipped byte in a BGZF extra field). */
		int64_t next = dy_bgzf_find(s->fd, p->end, f->size, &e);
		if (next < 0) {
			snprintf(s->msg, sizeof s->msg, "%s", strerror(e));
			ret = e == ENOMEM ? DY_ENOMEM : DY_EIO;
			goto fail_src;
		}
		stop = next < f->size ? next : INT64_MAX;
	}
	dy_fx_init(&m->fx, src_read, s, s->pos0);
	m->fx.fmt = fmt;
	m->fx.want_name = p->pair != 0 || m == &r->mate;   /* mates' names are compared */
	m->part_open = 1;
	++r->st.n_files;
	if (f->kind == K_PLAIN) m->fx.limit = stop; /* BGZF: set by gz_read when it meets stop */
	else s->stop = stop;
	if (p->beg > 0 && (ret = dy_fx_sync(&m->fx)) != DY_OK) return ret; /* DY_EOF: empty share; errors go through reads_next */
	return DY_OK;
empty:
	src_close(s);
	return DY_EOF;
fail_src:
	set_err(err, f->path, -1, -1, "%s", s->msg);
	r->st.bytes_in += s->bytes_in;
	src_close(s);
	return ret;
}

/* Records of f that come before the share whose reading began at start
 * (the records the shares before it return), and the uncompressed offset
 * where that share's parser offsets begin (start itself for a plain file).
 * Only on the error path: it reads the file up to there again. */
static int count_before(const file_t *f, int64_t start, uint64_t *n_rec, int64_t *origin)
{
	src_t s;
	dy_fx_t fx;
	dy_fxbuf_t seq = { 0, 0, 0 };
	int ret = src_open(&s, f->path, f->kind, &fx.limit);   /* BGZF: gz_read sets the limit at stop */
	if (ret < 0) { src_close(&s); return ret; }
	dy_fx_init(&fx, src_read, &s, 0);
	if (f->kind == K_PLAIN) fx.limit = start;
	else s.stop = start;
	while ((ret = dy_fx_next(&fx, &seq)) == DY_OK) seq.l = 0;
	/* past the limit a FASTQ reader also checks the next record: a fault
	 * there belongs to the failing share, not to the count */
	if (ret < DY_EOF && fx.rec_pos > fx.limit) ret = DY_EOF;
	*n_rec = fx.n_rec;
	*origin = f->kind == K_PLAIN ? 0 : fx.limit;
	free(seq.s), dy_fx_free(&fx), src_close(&s);
	return ret == DY_EOF && fx.limit != INT64_MAX ? DY_OK : ret < DY_EOF ? ret : DY_EIO;
}

/* The 1-based number in its file of the record the open part read last;
 * a share that starts inside the file counts the records before it again
 * (-1 when it cannot). */
static int64_t last_rec(const dy_reader_t *r, const stream_t *m)
{
	const rpart_t *p = &m->parts[m->i_part];
	uint64_t before = 0;
	int64_t origin = 0;
	if (m->sam) return dy_sam_recno(m->sam);
	if (p->beg == 0) return (int64_t)m->fx.n_rec;
	if (count_before(&r->files[p->file], m->part_start, &before, &origin) != DY_OK) return -1;
	return (int64_t)(before + m->fx.n_rec);
}

/* Fill err from a parser error in the current part.  In a share that starts
 * inside the file, the record number and offset are counted again from the
 * start of the file, so the message points where an editor would. */
static int parse_err(dy_reader_t *r, stream_t *m, int ret, dy_err_t *err)
{
	const rpart_t *p = &m->parts[m->i_part];
	const file_t *f = &r->files[p->file];
	const char *why = m->src.msg[0] ? m->src.msg : m->fx.msg[0] ? m->fx.msg : "read failed";
	char keep[sizeof m->fx.msg];
	uint64_t before = 0;
	int64_t origin = 0;
	if (p->beg == 0) {
		set_err(err, f->path, (int64_t)m->fx.n_rec + 1, m->fx.rec_pos, "%s", why);
		return ret;
	}
	snprintf(keep, sizeof keep, "%s", why);
	if (count_before(f, m->part_start, &before, &origin) == DY_OK)
		set_err(err, f->path, (int64_t)(before + m->fx.n_rec) + 1, origin + m->fx.rec_pos, "%s", keep);
	else if (f->kind == K_BGZF) /* cannot count: say where the share is, and that it could not */
		set_err(err, f->path, -1, -1, "%s (record %llu of the share that starts at the BGZF block at "
		        "compressed offset %lld; the records before it could not be counted)", keep,
		        (unsigned long long)m->fx.n_rec + 1, (long long)m->part_start);
	else
		set_err(err, f->path, -1, m->fx.rec_pos, "%s (record %llu of the share that starts at byte %lld; "
		        "the records before it could not be counted)", keep, (unsigned long long)m->fx.n_rec + 1,
		        (long long)m->part_start);
	return ret;
}

/* The next record of the stream's current part, appended to sb: DY_OK,
 * DY_EOF at the end of the part (the caller moves on: part_next), or an
 * error with err filled.  The part's skip is passed over first; its quota
 * ends it. */
static int part_rec(dy_reader_t *r, stream_t *m, dy_fxbuf_t *sb, dy_err_t *err)
{
	const rpart_t *p;
	int ret;
	if (m->i_part >= m->n_parts) return DY_EOF;
	p = &m->parts[m->i_part];
	if (!m->part_open) {
		if ((ret = part_open(r, m, err)) == DY_EOF) { if (m->part_open) part_close(r, m); goto ended; }
		if (ret < 0) {
			if (m->part_open) parse_err(r, m, ret, err), part_close(r, m);
			return ret;
		}
		while (m->fx.n_rec < p->skip && !m->sam) {   /* the records of the rank before */
			r->scratch.l = 0;
			if ((ret = dy_fx_next(&m->fx, &r->scratch)) == DY_EOF) goto short_part;
			if (ret < 0) { parse_err(r, m, ret, err); part_close(r, m); return ret; }
		}
	}
	if (m->n_part == p->quota) return DY_EOF;
	ret = m->sam ? dy_sam_next(m->sam, sb, err) : dy_fx_next(&m->fx, sb);
	if (ret == DY_EOF) {
		if (p->quota != UINT64_MAX) goto short_part;
		return DY_EOF;
	}
	if (ret < 0) {
		if (!m->sam) parse_err(r, m, ret, err);   /* reads_sam.c filled err itself */
		part_close(r, m);
		return ret;
	}
	if (m->sam && p->pair) {   /* mates' names are compared */
		size_t l;
		const char *nm = dy_sam_name(m->sam, &l);
		if (l > sizeof m->fx.name - 1) l = sizeof m->fx.name - 1;
		memcpy(m->fx.name, nm, l), m->fx.name_l = l;
	}
	++m->n_part;
	return DY_OK;
ended:
	if (p->quota == UINT64_MAX || p->quota == 0) return DY_EOF;
short_part:
	/* the count found more records here: the file changed while dactyl ran */
	set_err(err, r->files[p->file].path, -1, -1, "holds fewer records than when it was counted at the start "
	        "of the run (the file was changed or cut while dactyl read it)");
	if (m->part_open) part_close(r, m);
	return DY_EIO;
}

static void part_next(dy_reader_t *r, stream_t *m)
{
	if (m->part_open) part_close(r, m);
	++m->i_part;
}

/* Mates' names match: the same up to a /1 ending on the first mate and a /2
 * on the second, or .1 and .2 (SRA); Casava 1.8 puts the mate number in a
 * comment, which is not part of the name.  Only /1 is taken off the first and /2 off the second,
 * so swapped files (r/2 beside r/1) and a file given twice (r/1 beside r/1)
 * do not pair. */
static int names_match(const char *a, size_t la, const char *b, size_t lb)
{
	if (la >= 2 && a[la - 2] == '/' && a[la - 1] == '1') la -= 2;
	if (lb >= 2 && b[lb - 2] == '/' && b[lb - 1] == '2') lb -= 2;
	if (la == lb && memcmp(a, b, la) == 0) return 1;
	/* SRA's fastq-dump --readids: RUN.SPOT.1 and RUN.SPOT.2 (without it both
	 * mates are RUN.SPOT, equal above; SRR1.1 beside SRR1.2 are two spots,
	 * so the part before .1 must hold a '.' of its own) */
	return la == lb && la >= 4 && memcmp(a, b, la - 2) == 0 && a[la - 2] == '.' && a[la - 1] == '1' &&
	       b[lb - 2] == '.' && b[lb - 1] == '2' && memchr(a, '.', la - 2) != NULL;
}

static void shown_name(const char *s, size_t l, char *out, size_t m)
{
	size_t i, o = 0;
	for (i = 0; i < l && o + 5 < m; ++i) {
		unsigned char c = (unsigned char)s[i];
		if (i == 80) { memcpy(out + o, "...", 3), o += 3; break; }
		if (c >= 32 && c < 127) out[o++] = (char)c;
		else o += (size_t)snprintf(out + o, m - o, "\\x%02x", c);
	}
	out[o] = 0;
}

/* The mate just read does not match the first: name both files (or the
 * one interleaved file) and the record numbers. */
static int mate_err(dy_reader_t *r, stream_t *m2, int interleaved, dy_err_t *err)
{
	const rpart_t *p1 = &r->main.parts[r->main.i_part];
	const char *f1 = r->files[p1->file].path, *f2 = r->files[m2->parts[m2->i_part].file].path;
	char a[128], b[128];
	int64_t n1, n2 = last_rec(r, m2);
	shown_name(r->name1, r->name1_l, a, sizeof a);
	shown_name(m2->fx.name, m2->fx.name_l, b, sizeof b);
	if (interleaved && m2->sam) {   /* records between the mates (secondary, ...) are not counted: names, not numbers */
		set_err(err, f1, n2, -1, "read as pairs (--12), but the first mate (READ1) '%s' is followed by the second "
		        "mate (READ2) of another read, '%s': the two records of each pair must follow each other "
		        "('samtools collate' gives that order)", a, b);
		return DY_EFORMAT;
	}
	if (interleaved) {
		set_err(err, f1, n2, -1, "interleaved pairs (--12): records %lld and %lld are not mates ('%s' and '%s'; "
		        "records 2i-1 and 2i must be the two reads of a pair)", (long long)n2 - 1, (long long)n2, a, b);
		return DY_EFORMAT;
	}
	n1 = last_rec(r, &r->main);
	{	/* the same name with /2 first and /1 second, or /1 twice: the files given the wrong way */
		const char *x = r->name1, *y = m2->fx.name;
		size_t lx = r->name1_l, ly = m2->fx.name_l;
		int same = lx >= 2 && lx == ly && memcmp(x, y, lx - 1) == 0 && x[lx - 2] == '/' &&
		           (x[lx - 1] == '1' || x[lx - 1] == '2') && (y[ly - 1] == '1' || y[ly - 1] == '2');
		if (same && x[lx - 1] == '2' && y[ly - 1] == '1') {
			set_err(err, f1, n1, -1, "its record %lld ('%s') is a second mate and record %lld of %s ('%s') a "
			        "first one: -1 and -2 look swapped (-1 takes the /1 file)", (long long)n1, a, (long long)n2, f2, b);
			return DY_EFORMAT;
		}
		if (same && x[lx - 1] == y[ly - 1]) {
			set_err(err, f1, n1, -1, "its record %lld ('%s') and record %lld of %s ('%s') are the same mate: "
			        "-1 and -2 take the two files of a pair, /1 and /2", (long long)n1, a, (long long)n2, f2, b);
			return DY_EFORMAT;
		}
	}
	set_err(err, f1, n1, -1, "its record %lld ('%s') and record %lld of %s ('%s') are not mates: the two files "
	        "of a pair must list the mates in the same order", (long long)n1, a, (long long)n2, f2, b);
	return DY_EFORMAT;
}

static int push(dy_batch_t *b, size_t off, size_t len, int mate)
{
	if (b->n == b->m && dy_batch_grow(b) < 0) return DY_ENOMEM;
	b->mate[b->n] = (uint8_t)mate;
	b->off[b->n] = off, b->len[b->n++] = (uint32_t)len;
	return DY_OK;
}

int dy_batch_grow(dy_batch_t *b)
{
	size_t m = b->m ? b->m * 2 : 256;
	size_t *o = realloc(b->off, m * sizeof *o);
	uint32_t *l;
	uint8_t *k;
	if (o == 0) return DY_ENOMEM;
	b->off = o;
	if ((l = realloc(b->len, m * sizeof *l)) == 0) return DY_ENOMEM;
	b->len = l;
	if ((k = realloc(b->mate, m)) == 0) return DY_ENOMEM;
	b->mate = k, b->m = m;
	return DY_OK;
}

/* One record into b from stream m (mate: 0 a single read, 1 or 2 which mate
 * of a pair); DY_OK, DY_EOF (end of the part) or an error. */
static int take(dy_reader_t *r, stream_t *m, dy_batch_t *b, int mate, dy_err_t *err)
{
	dy_fxbuf_t sb;
	int ret, file;
	sb.l = b->n_bases, sb.m = b->m_bases, sb.s = b->seq;
	ret = part_rec(r, m, &sb, err);
	b->seq = sb.s, b->m_bases = sb.m;
	if (ret != DY_OK) return ret;
	file = m->parts[m->i_part].file;
	if (push(b, b->n_bases, sb.l - b->n_bases, mate) < 0) {
		set_err(err, r->files[file].path, -1, -1, "out of memory");
		return DY_ENOMEM;
	}
	r->st.n_records++, r->st.n_bases += sb.l - b->n_bases;
	r->frec[file]++, r->fbases[file] += sb.l - b->n_bases;
	if (m->sam && r->rg_first[file + 1] > r->rg_first[file]) {
		int k = dy_sam_rg(m->sam), last = r->rg_first[file + 1] - 1;
		int slot = r->rg_first[file] + k < last ? r->rg_first[file] + k : last;
		r->rg_recs[slot]++, r->rg_bases[slot] += sb.l - b->n_bases;
	}
	b->n_bases = sb.l;
	return DY_OK;
}

/* A SAM-family file read as pairs: the record just read is mate `want` by its flags. */
static int sam_mate_check(dy_reader_t *r, stream_t *m, int want, dy_err_t *err)
{
	char a[128];
	int got = dy_sam_mate(m->sam);
	if (got == want) return DY_OK;
	shown_name(m->fx.name, m->fx.name_l, a, sizeof a);
	set_err(err, r->files[m->parts[m->i_part].file].path, last_rec(r, m), -1, "read as pairs (--12), but record "
	        "'%s' is %s where a %s mate should be: the two records of each pair must follow each other, READ1 "
	        "then READ2 ('samtools collate' gives that order; a file of single reads is given with -r)", a,
	        got == 0 ? "not paired (no flags PAIRED, READ1 or READ2)" : got == 1 ? "a first mate (READ1)"
	        : "a second mate (READ2)", want == 1 ? "first" : "second");
	return DY_EFORMAT;
}

int dy_reads_next(dy_reader_t *r, size_t max_bases, dy_batch_t *b, dy_err_t *err)
{
	/* bound the count too, so a run of empty reads cannot grow a batch without end */
	size_t cap = max_bases ? max_bases : 1;
	int ret;
	b->n = 0, b->n_bases = 0;
	if (r->err) return r->err;
	while (b->n_bases < cap && b->n < cap && r->main.i_part < r->main.n_parts) {
		stream_t *m = &r->main, *m2;
		const rpart_t *p = &m->parts[m->i_part];
		int pair = p->pair;
		if ((ret = take(r, m, b, pair ? 1 : 0, err)) == DY_EOF) {
			if (pair == 1) {   /* the second file must end here too */
				dy_batch_t extra = { 0 };
				ret = take(r, &r->mate, &extra, 2, err);
				dy_batch_free(&extra);
				if (ret == DY_OK) {
					set_err(err, r->files[r->mate.parts[r->mate.i_part].file].path, last_rec(r, &r->mate), -1,
					        "the mate files do not pair up: %s ends after %llu records, this file goes on, so "
					        "this record has no mate", r->files[p->file].path, (unsigned long long)r->frec[p->file]);
					ret = DY_EFORMAT;
				}
				if (ret < DY_EOF) goto fail;
				part_next(r, &r->mate);
			}
			part_next(r, m);
			continue;
		}
		if (ret < 0) goto fail;
		if (pair == 0) continue;
		memcpy(r->name1, m->fx.name, m->fx.name_l), r->name1_l = m->fx.name_l;
		if (m->sam && (ret = sam_mate_check(r, m, 1, err)) < 0) goto fail;
		m2 = pair == 1 ? &r->mate : m;
		if ((ret = take(r, m2, b, 2, err)) == DY_EOF) {
			if (pair == 1)
				set_err(err, r->files[p->file].path, last_rec(r, m), -1, "the mate files do not pair up: %s ends "
				        "first, so this record has no mate",
				        r->files[r->mate.parts[r->mate.i_part < r->mate.n_parts ? r->mate.i_part : 0].file].path);
			else if (m->sam)
				set_err(err, r->files[p->file].path, last_rec(r, m), -1, "read as pairs (--12), but the file ends "
				        "after a first mate (READ1) without its second mate (READ2)");
			else
				set_err(err, r->files[p->file].path, last_rec(r, m), -1, "interleaved pairs (--12), but the file "
				        "ends after an odd number of records: this one has no mate");
			ret = DY_EFORMAT;
		}
		if (ret < 0) goto fail;
		if (m2->sam && (ret = sam_mate_check(r, m2, 2, err)) < 0) goto fail;
		if (!names_match(r->name1, r->name1_l, m2->fx.name, m2->fx.name_l)) {
			ret = mate_err(r, m2, pair == 2, err);
			goto fail;
		}
	}
	return b->n ? DY_OK : DY_EOF;
fail:
	if (r->main.part_open) part_close(r, &r->main);
	if (r->mate.part_open) part_close(r, &r->mate);
	r->err = ret;
	return ret;
}

int dy_reads_whole_inputs(const dy_reader_t *r)
{
	int i, n = 0;
	for (i = 0; i < r->n_files; ++i) {
		int role = pair_role(r, i);
		if (role == DY_IN_MATE2) continue;
		if (role == DY_IN_MATE1 ? !splittable(&r->files[i]) || !splittable(&r->files[i + 1]) : !splittable(&r->files[i]))
			++n;
	}
	return n;
}

void dy_reads_stats(const dy_reader_t *r, dy_reads_stats_t *st)
{
	*st = r->st;
	if (r->main.part_open && !r->main.sam) st->bytes_in += r->main.src.bytes_in;
	if (r->mate.part_open && !r->mate.sam) st->bytes_in += r->mate.src.bytes_in;
}

void dy_reads_file_stats(const dy_reader_t *r, uint64_t *recs, uint64_t *bases, uint64_t *skipped)
{
	int i;
	for (i = 0; i < r->n_files; ++i) {
		recs[i] = r->frec[i], bases[i] = r->fbases[i], skipped[i] = r->fskip[i];
		/* a share still open: what it skipped so far */
		if (r->main.part_open && r->main.sam && r->main.i_part < r->main.n_parts && r->main.parts[r->main.i_part].file == i)
			skipped[i] += dy_sam_skipped(r->main.sam);
	}
}

int dy_reads_rg_layout(const dy_reader_t *r, int *first)
{
	int i;
	if (first)
		for (i = 0; i <= r->n_files; ++i) first[i] = r->rg_first[i];
	return r->rg_first[r->n_files];
}

void dy_reads_rg_stats(const dy_reader_t *r, uint64_t *recs, uint64_t *bases)
{
	int i;
	for (i = 0; i < r->rg_first[r->n_files]; ++i) recs[i] = r->rg_recs[i], bases[i] = r->rg_bases[i];
}

int dy_rg_rows(const char *path, int inter, const int *first, const uint64_t *recs, const uint64_t *bases,
               int i, dy_rg_row_t **rows, int *n)
{
	dy_rg_t *rg = NULL;
	int n_rg = 0, k, slots = first ? first[i + 1] - first[i] : 0;
	*rows = NULL, *n = 0;
	if (slots == 0) return DY_OK;
	if ((*rows = calloc((size_t)slots, sizeof **rows)) == NULL) return DY_ENOMEM;
	/* the header read again for the names; if it changed, the slots still count */
	if (dy_reads_read_groups(path, &rg, &n_rg) < 0 || n_rg + 1 != slots) n_rg = slots - 1, free(rg), rg = NULL;
	for (k = 0; k < slots; ++k) {
		dy_rg_row_t *w = *rows + *n;
		uint64_t nr = recs[first[i] + k];
		if (k == n_rg && nr == 0) continue;
		if (k < n_rg && rg) w->g = rg[k];
		w->index = k, w->known = rg != NULL, w->none = k == n_rg;
		w->reads = nr, w->pairs = inter ? nr / 2 : 0, w->bases = bases[first[i] + k];
		++*n;
	}
	free(rg);
	return DY_OK;
}

static void stream_free(dy_reader_t *r, stream_t *m)
{
	if (m->part_open) part_close(r, m);
	else src_close(&m->src);
	free(m->parts);
}

void dy_reads_close(dy_reader_t *r)
{
	if (r == 0) return;
	stream_free(r, &r->main), stream_free(r, &r->mate);
	free(r->scratch.s), free(r->frec), free(r->fbases), free(r->fskip), free(r->files);
	free(r->rg_first), free(r->rg_recs), free(r->rg_bases), free(r);
}

/* Records of this rank's byte share of every paired or interleaved input
 * that can be split (the others: 0), read as single reads. */
int dy_reads_count_shares(const dy_io_opt_t *io, int rank, int n_ranks, uint64_t *recs, dy_err_t *err)
{
	dy_reader_t *r = NULL;
	dy_part_t *p = NULL;
	dy_batch_t b = { 0 };
	int n = 0, i, ret;
	for (i = 0; i < io->n_in; ++i) recs[i] = 0;
	if ((ret = reader_new(io, &r, err)) < 0) return ret;
	if ((ret = plan_rank(r, rank, n_ranks, &p, &n)) < 0) { set_err(err, "", -1, -1, "out of memory"); goto out; }
	for (i = 0; i < io->n_in; ++i) {
		int role = pair_role(r, i), mate;
		if (role == DY_IN_SINGLE || role == DY_IN_MATE2) continue;
		if (!splittable(&r->files[i]) || (role == DY_IN_MATE1 && !splittable(&r->files[i + 1]))) continue;
		if (r->files[i].sam) continue;   /* a SAM-family file pairs by its flags */
		for (mate = 0; mate <= (role == DY_IN_MATE1); ++mate) {
			int64_t beg, end;
			if (share_of(p, n, i, mate, r, &beg, &end) < 0 || beg >= end) continue;
			if ((ret = add_part(&r->main, i + mate, beg, end, end - beg, 0, UINT64_MAX, 0)) < 0) {
				set_err(err, "", -1, -1, "out of memory");
				goto out;
			}
		}
	}
	while ((ret = dy_reads_next(r, (size_t)1 << 22, &b, err)) == DY_OK) {}
	if (ret == DY_EOF) {
		ret = DY_OK;
		for (i = 0; i < io->n_in; ++i) recs[i] = r->frec[i];
	}
out:
	dy_batch_free(&b);
	free(p);
	dy_reads_close(r);
	return ret;
}

void dy_batch_free(dy_batch_t *b)
{
	if (b == 0) return;
	free(b->off), free(b->len), free(b->mate), free(b->seq);
	memset(b, 0, sizeof *b);
}
