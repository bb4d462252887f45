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
 * Offsets given to the parser: absolute bytes for plain files, uncompressed
 * bytes from the start for gzip and for BGZF read from the start, and
 * uncompressed bytes from the first block of the share for a BGZF share that
 * starts inside the file (the absolute value is unknown there, so errors
 * carry offset -1 and the compressed offset of the block in the message).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
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
	z_stream z;
	unsigned char *in;
	int64_t *limit;      /* the parser's limit, set when stop is met */
	uint64_t bytes_in;
	char msg[256];
} src_t;

struct dy_reader_s {
	int n_files, n_parts, i_part, threads;
	file_t *files;
	dy_part_t *parts;
	int part_open, err;  /* err: sticky error code */
	int64_t part_start;  /* where the open part's reading began: byte, or BGZF block, offset */
	src_t src;
	dy_fx_t fx;
	dy_sam_t *sam;       /* the open part, when its file is SAM, BAM or CRAM */
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

/* Inflate the next bytes of a gzip or BGZF part. */
static int64_t gz_read(src_t *s, void *buf, size_t len)
{
	const char *what = s->kind == K_BGZF ? "BGZF" : "gzip";
	if (len > (size_t)1 << 30) len = (size_t)1 << 30;
	for (;;) {
		size_t got;
		int ret;
		if (s->z.avail_in == 0 && !s->eof) {
			int64_t n = read_fd(s->fd, s->in, IN_CHUNK);
			if (n < 0) {
				snprintf(s->msg, sizeof s->msg, "%s", strerror(errno));
				return DY_EIO;
			}
			if (n == 0) s->eof = 1;
			s->z.next_in = s->in, s->z.avail_in = (uInt)n;
			s->off += n, s->bytes_in += (uint64_t)n;
		}
		if (!s->in_member) {
			if (s->z.avail_in == 0 && s->eof) {
				/* a BGZF file ends with an empty member; without it, it was cut at a block boundary */
				if (s->kind == K_BGZF && s->n_members > 0 && s->member_out > 0) {
					snprintf(s->msg, sizeof s->msg, "truncated BGZF data (no end-of-file block)");
					return DY_EIO;
				}
				return 0;
			}
			if (s->n_members > 0 && s->z.avail_in > 0 && s->z.next_in[0] != 0x1f) {
				snprintf(s->msg, sizeof s->msg, "the bytes at compressed offset %lld, after a complete "
				         "gzip member, are not gzip data (trailing garbage)",
				         (long long)(s->off - (int64_t)s->z.avail_in));
				return DY_EIO;
			}
			s->member_start = s->off - (int64_t)s->z.avail_in;
			if (s->member_start >= s->stop && *s->limit == INT64_MAX)
				*s->limit = s->pos0 + s->produced;
			if (inflateReset(&s->z) != Z_OK) {
				snprintf(s->msg, sizeof s->msg, "zlib inflateReset failed");
				return DY_EIO;
			}
			s->in_member = 1, s->member_out = 0, ++s->n_members;
		}
		if (s->z.avail_in == 0 && s->eof) {
			snprintf(s->msg, sizeof s->msg, "truncated %s data", what);
			return DY_EIO;
		}
		s->z.next_out = buf, s->z.avail_out = (uInt)len;
		ret = inflate(&s->z, Z_NO_FLUSH);
		got = len - s->z.avail_out;
		s->member_out += (int64_t)got, s->produced += (int64_t)got;
		if (ret == Z_STREAM_END) s->in_member = 0;
		else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			snprintf(s->msg, sizeof s->msg, "corrupt %s data (%s)", what, s->z.msg ? s->z.msg : "inflate failed");
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
	if (s->z_ready) inflateEnd(&s->z);
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
	if (inflateInit2(&s->z, 15 + 16) != Z_OK) { errno = ENOMEM; goto fail; } /* gzip wrapper only */
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

int dy_reads_open(const dy_io_opt_t *io, int rank, int n_ranks, dy_reader_t **rp, dy_err_t *err)
{
	dy_reader_t *r = 0;
	int64_t *size = 0;
	int *whole = 0, i, ret = DY_ENOMEM;
	*rp = 0;
	if (io == 0 || io->n_in < 0 || (io->n_in > 0 && io->in == 0) || n_ranks < 1 || rank < 0 || rank >= n_ranks) {
		set_err(err, "", -1, -1, "dy_reads_open: bad arguments");
		return DY_EARG;
	}
	if ((r = calloc(1, sizeof *r)) == 0) goto fail_mem;
	r->src.fd = -1;
	r->n_files = io->n_in;
	r->threads = io->threads;
	if (io->n_in > 0) {
		r->files = calloc((size_t)io->n_in, sizeof *r->files);
		size = calloc((size_t)io->n_in, sizeof *size);
		whole = calloc((size_t)io->n_in, sizeof *whole);
		if (r->files == 0 || size == 0 || whole == 0) goto fail_mem;
	}
	for (i = 0; i < io->n_in; ++i) { /* every rank checks every file, so all fail alike */
		r->files[i].path = io->in[i];
		if ((ret = probe(&r->files[i], err)) < 0) goto fail;
		size[i] = r->files[i].size;
		/* a gzip stream can only be entered at its start; SAM is read whole for now */
		whole[i] = r->files[i].sam ? !r->files[i].sam_split : r->files[i].kind == K_GZIP;
	}
	if ((ret = dy_split_plan(io->n_in, size, whole, rank, n_ranks, &r->parts, &r->n_parts)) < 0) goto fail_mem;
	for (i = 0; i < r->n_parts; ++i) r->st.bytes_share += (uint64_t)(r->parts[i].end - r->parts[i].beg);
	free(size), free(whole);
	*rp = r;
	return DY_OK;
fail_mem:
	ret = DY_ENOMEM;
	set_err(err, "", -1, -1, "out of memory");
fail:
	free(size), free(whole);
	dy_reads_close(r);
	return ret;
}

/* ---- reading ----------------------------------------------------------- */

static void part_close(dy_reader_t *r)
{
	if (r->sam) {
		r->st.bytes_in += dy_sam_close(r->sam);
		r->sam = NULL;
		r->part_open = 0;
		return;
	}
	r->st.bytes_in += r->src.bytes_in;
	src_close(&r->src);
	dy_fx_free(&r->fx);
	r->part_open = 0;
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
static int part_open(dy_reader_t *r, dy_err_t *err)
{
	const dy_part_t *p = &r->parts[r->i_part];
	const file_t *f = &r->files[p->file];
	src_t *s = &r->src;
	int64_t start = p->beg, stop = p->end < f->size ? p->end : INT64_MAX;
	int fmt = 0, ret, e = 0;
	if (f->sam) {
		if ((ret = dy_sam_open(&r->sam, f->path, f->sam, p->beg, p->end, f->size, r->threads, err)) < 0) return ret;
		r->part_open = 1;
		++r->st.n_files;
		return DY_OK;
	}
	if (p->beg > 0 && (fmt = sniff_format(r, f, err)) < 0) return fmt == DY_EOF ? DY_EOF : fmt;
	if ((ret = src_open(s, f->path, f->kind, &r->fx.limit)) < 0) goto fail_src;
	if (p->beg > 0 && f->kind == K_BGZF) { /* enter at the first block at or after beg */
		if ((start = dy_bgzf_find(s->fd, p->beg, f->size, &e)) < 0) {
			snprintf(s->msg, sizeof s->msg, "%s", strerror(e));
			ret = e == ENOMEM ? DY_ENOMEM : DY_EIO;
			goto fail_src;
		}
		if (start >= p->end) goto empty; /* no block starts in the share: the next share reads it */
	}
	if ((ret = src_seek(s, start)) < 0) goto fail_src;
	r->part_start = start;
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
	dy_fx_init(&r->fx, src_read, s, s->pos0);
	r->fx.fmt = fmt;
	r->part_open = 1;
	++r->st.n_files;
	if (f->kind == K_PLAIN) r->fx.limit = stop; /* BGZF: set by gz_read when it meets stop */
	else s->stop = stop;
	if (p->beg > 0 && (ret = dy_fx_sync(&r->fx)) != DY_OK) return ret; /* DY_EOF: empty share; errors go through reads_next */
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

/* Fill err from a parser error in the current part.  In a share that starts
 * inside the file, the record number and offset are counted again from the
 * start of the file, so the message points where an editor would. */
static int parse_err(dy_reader_t *r, int ret, dy_err_t *err)
{
	const dy_part_t *p = &r->parts[r->i_part];
	const file_t *f = &r->files[p->file];
	const char *why = r->src.msg[0] ? r->src.msg : r->fx.msg[0] ? r->fx.msg : "read failed";
	char keep[sizeof r->fx.msg];
	uint64_t before = 0;
	int64_t origin = 0;
	if (p->beg == 0) {
		set_err(err, f->path, (int64_t)r->fx.n_rec + 1, r->fx.rec_pos, "%s", why);
		return ret;
	}
	snprintf(keep, sizeof keep, "%s", why);
	if (count_before(f, r->part_start, &before, &origin) == DY_OK)
		set_err(err, f->path, (int64_t)(before + r->fx.n_rec) + 1, origin + r->fx.rec_pos, "%s", keep);
	else if (f->kind == K_BGZF) /* cannot count: say where the share is, and that it could not */
		set_err(err, f->path, -1, -1, "%s (record %llu of the share that starts at the BGZF block at "
		        "compressed offset %lld; the records before it could not be counted)", keep,
		        (unsigned long long)r->fx.n_rec + 1, (long long)r->part_start);
	else
		set_err(err, f->path, -1, r->fx.rec_pos, "%s (record %llu of the share that starts at byte %lld; "
		        "the records before it could not be counted)", keep, (unsigned long long)r->fx.n_rec + 1,
		        (long long)r->part_start);
	return ret;
}

static int push(dy_batch_t *b, size_t off, size_t len)
{
	if (b->n == b->m) {
		size_t m = b->m ? b->m * 2 : 256;
		size_t *o = realloc(b->off, m * sizeof *o);
		uint32_t *l;
		if (o == 0) return DY_ENOMEM;
		b->off = o;
		if ((l = realloc(b->len, m * sizeof *l)) == 0) return DY_ENOMEM;
		b->len = l, b->m = m;
	}
	b->off[b->n] = off, b->len[b->n++] = (uint32_t)len;
	return DY_OK;
}

int dy_reads_next(dy_reader_t *r, size_t max_bases, dy_batch_t *b, dy_err_t *err)
{
	/* bound the count too, so a run of empty reads cannot grow a batch without end */
	size_t cap = max_bases ? max_bases : 1;
	int ret;
	b->n = 0, b->n_bases = 0;
	if (r->err) return r->err;
	while (b->n_bases < cap && b->n < cap) {
		dy_fxbuf_t sb;
		if (!r->part_open) {
			if (r->i_part == r->n_parts) break;
			if ((ret = part_open(r, err)) == DY_EOF) {
				if (r->part_open) part_close(r);
				++r->i_part;
				continue;
			}
			if (ret < 0) {
				if (r->part_open) parse_err(r, ret, err), part_close(r);
				goto fail;
			}
		}
		sb.l = b->n_bases, sb.m = b->m_bases, sb.s = b->seq;
		ret = r->sam ? dy_sam_next(r->sam, &sb, err) : dy_fx_next(&r->fx, &sb);
		b->seq = sb.s, b->m_bases = sb.m;
		if (ret == DY_EOF) {
			part_close(r);
			++r->i_part;
			continue;
		}
		if (ret < 0) {
			if (!r->sam) parse_err(r, ret, err);   /* reads_sam.c filled err itself */
			part_close(r);
			goto fail;
		}
		if (push(b, b->n_bases, sb.l - b->n_bases) < 0) {
			ret = DY_ENOMEM;
			set_err(err, r->files[r->parts[r->i_part].file].path, -1, -1, "out of memory");
			goto fail;
		}
		r->st.n_records++, r->st.n_bases += sb.l - b->n_bases;
		b->n_bases = sb.l;
	}
	return b->n ? DY_OK : DY_EOF;
fail:
	r->err = ret;
	return ret;
}

void dy_reads_stats(const dy_reader_t *r, dy_reads_stats_t *st)
{
	*st = r->st;
	if (r->part_open) st->bytes_in += r->src.bytes_in;
}

void dy_reads_close(dy_reader_t *r)
{
	if (r == 0) return;
	if (r->part_open) part_close(r);
	else src_close(&r->src);
	free(r->files), free(r->parts), free(r);
}

void dy_batch_free(dy_batch_t *b)
{
	if (b == 0) return;
	free(b->off), free(b->len), free(b->seq);
	memset(b, 0, sizeof *b);
}
