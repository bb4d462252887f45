/* reads_sam.c -- reads from SAM, BAM and CRAM through htslib (see reads_sam.h).
 *
 * htslib decodes the records; what it does not give is an entry point into
 * an unindexed BAM at a byte offset, so this file finds record starts
 * itself (resync) and compares positions as canonical virtual offsets: a
 * position at the very end of a block is the same byte as offset 0 of the
 * next block, and both ranks that meet at a boundary must name it alike.
 * Block lengths come from the BGZF headers on disk (BSIZE, ISIZE), not from
 * htslib's reading state, so the comparison does not depend on how htslib
 * normalizes bgzf_tell.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <htslib/bgzf.h>
#include <htslib/cram.h>
#include <htslib/hts.h>
#include <htslib/sam.h>
#include <stdio.h>
#include "reads_sam.h"
#include "reads.h"

#define RESYNC_CHAIN 4                    /* records that must follow a candidate start */
#define RESYNC_MAX ((size_t)64 << 20)     /* inflated bytes scanned for a start at most */
#define REC_MAX (1u << 28)                /* longest BAM record believed (a 179 Mb read with qualities) */
#define SKIP_FLAGS (BAM_FSECONDARY | BAM_FSUPPLEMENTARY | BAM_FQCFAIL)

struct dy_sam_s {
	const char *path;
	int fmt, fd, err;
	htsFile *fp;
	sam_hdr_t *h;
	bam1_t *b;
	int32_t n_ref;
	int64_t size, beg, end;
	uint64_t stop;       /* canonical virtual offset where the share ends; UINT64_MAX: at EOF */
	int64_t c_addr;      /* one-block cache for canon(): address, inflated length, next address */
	int64_t c_isize, c_next;
	uint64_t n_rec, n_skip;
	uint64_t n_want;     /* CRAM share: records its containers hold; 0: to the end of the file */
	/* pairs (READ1/READ2 flags): a share does not start with a second mate
	 * (the share before it reads it) and reads one record past its end to
	 * complete a pair */
	int paired;
	int pending;         /* s->b holds a record read ahead, not yet returned */
	int want_mate;       /* the last record returned was a first mate */
	int finished;        /* the mate past the share's end was returned: nothing more */
	uint64_t n_drop;     /* a leading second mate left to the share before (0 or 1) */
	uint64_t n_past_skip;   /* records that are not reads passed after the share's end */
	uint64_t n_before;   /* CRAM: records in the containers before this share */
	int n_rg;            /* @RG lines in the header */
	int last_k;          /* the read group of the last read looked up, and its ID */
	char last_id[256];
	dy_err_t e;          /* the sticky error */
};

static uint32_t le32(const uint8_t *p) { return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

/* ---- format ------------------------------------------------------------ */

static int sam_header_line(const unsigned char *p, size_t n)
{
	static const char *tag[] = { "@HD\t", "@SQ\t", "@RG\t", "@PG\t", "@CO\t" };
	size_t i;
	for (i = 0; i < sizeof tag / sizeof *tag; ++i)
		if (n >= 4 && memcmp(p, tag[i], 4) == 0) return 1;
	return 0;
}

int dy_sam_sniff(const unsigned char *raw, size_t n_raw, const unsigned char *txt, size_t n_txt)
{
	size_t i, tabs = 0;
	if (n_raw >= 4 && memcmp(raw, "CRAM", 4) == 0) return DY_SAM_CRAM;
	if (txt && n_txt >= 4 && memcmp(txt, "BAM\1", 4) == 0) return DY_SAM_BAM;
	if (txt == NULL) txt = raw, n_txt = n_raw;
	if (sam_header_line(txt, n_txt)) return DY_SAM_SAM;
	if (n_txt == 0 || txt[0] == '@' || txt[0] == '>') return DY_SAM_NONE;
	/* a SAM file without a header: its first line has the 11 mandatory fields */
	for (i = 0; i < n_txt && txt[i] != '\n'; ++i) tabs += txt[i] == '\t';
	return tabs >= 10 ? DY_SAM_SAM : DY_SAM_NONE;
}

int dy_sam_splittable(int fmt, const unsigned char *raw, size_t n_raw)
{
	if (fmt == DY_SAM_BAM) return 1;
	return fmt == DY_SAM_CRAM && n_raw > 4 && raw[4] == 3;   /* the container header of 3.0 and 3.1 */
}

/* ---- BGZF blocks on disk ------------------------------------------------ */

static int64_t pread_all(int fd, void *buf, size_t len, int64_t off)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, off + (int64_t)got);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) break;
		got += (size_t)n;
	}
	return (int64_t)got;
}

/* The block at addr: its inflated length and the address after it. */
static int block_at(dy_sam_t *s, int64_t addr)
{
	uint8_t h[12], x[4096];
	size_t xlen, i;
	int64_t bsize = -1;
	if (addr == s->c_addr) return DY_OK;
	if (pread_all(s->fd, h, 12, addr) != 12 || h[0] != 0x1f || h[1] != 0x8b || !(h[3] & 4)) goto bad;
	xlen = le16(h + 10);
	if (xlen > sizeof x || pread_all(s->fd, x, xlen, addr + 12) != (int64_t)xlen) goto bad;
	for (i = 0; i + 4 <= xlen; i += 4 + le16(x + i + 2))
		if (x[i] == 'B' && x[i + 1] == 'C' && le16(x + i + 2) == 2 && i + 6 <= xlen) bsize = le16(x + i + 4) + 1;
	if (bsize < 0 || pread_all(s->fd, h, 4, addr + bsize - 4) != 4) goto bad;
	s->c_addr = addr, s->c_isize = le32(h), s->c_next = addr + bsize;
	return DY_OK;
bad:
	snprintf(s->e.msg, sizeof s->e.msg, "no valid BGZF block at compressed offset %lld", (long long)addr);
	return DY_EFORMAT;
}

/* The virtual offset delta inflated bytes after v, in canonical form (the
 * offset inside a block is below its length; empty blocks are passed). */
static int advance(dy_sam_t *s, uint64_t v, uint64_t delta, uint64_t *out)
{
	int64_t addr = (int64_t)(v >> 16);
	uint64_t o = (v & 0xffff) + delta;
	int ret;
	for (;;) {
		if (addr >= s->size) break;   /* the end of the file: no block to normalize into */
		if ((ret = block_at(s, addr)) < 0) return ret;
		if (o < (uint64_t)s->c_isize) break;
		if (s->c_isize == 0 && s->c_next >= s->size) break;   /* the EOF block */
		o -= (uint64_t)s->c_isize, addr = s->c_next;
	}
	if (o > 0xffff) {
		snprintf(s->e.msg, sizeof s->e.msg, "BGZF data ends inside a BAM record");
		return DY_EFORMAT;
	}
	*out = (uint64_t)addr << 16 | o;
	return DY_OK;
}

/* ---- finding a record start -------------------------------------------- */

/* Does p[0..n) start with one plausible BAM record?  1 (its length in *len),
 * 0 no, -1 more bytes needed to tell. */
static int rec_ok(const uint8_t *p, size_t n, int32_t n_ref, size_t *len)
{
	uint32_t bs, l_qname, n_cigar, l_seq, fixed, i;
	int32_t ref, pos, mref, mpos;
	const uint8_t *q, *end;
	if (n < 4) return -1;
	bs = le32(p);
	if (bs < 32 || bs > REC_MAX) return 0;
	if (n < 36) return -1;
	ref = (int32_t)le32(p + 4), pos = (int32_t)le32(p + 8);
	l_qname = p[12], n_cigar = le16(p + 16), l_seq = le32(p + 20);
	mref = (int32_t)le32(p + 24), mpos = (int32_t)le32(p + 28);
	if (ref < -1 || ref >= n_ref || mref < -1 || mref >= n_ref || pos < -1 || mpos < -1) return 0;
	if (l_qname < 1 || l_seq > (1u << 28)) return 0;
	fixed = 32 + l_qname + 4 * n_cigar + (l_seq + 1) / 2 + l_seq;
	if (fixed > bs) return 0;
	if (n < 36 + (size_t)l_qname) return -1;
	for (i = 0; i + 1 < l_qname; ++i)
		if (p[36 + i] < '!' || p[36 + i] > '~') return 0;
	if (p[36 + l_qname - 1] != 0) return 0;
	if (n < 4 + (size_t)bs) return -1;
	q = p + 36 + l_qname + 4 * n_cigar + (l_seq + 1) / 2;   /* qualities: all 0xff, or phred <= 93 */
	if (l_seq > 0 && q[0] != 0xff)
		for (i = 0; i < l_seq; ++i)
			if (q[i] > 93) return 0;
	for (q += l_seq, end = p + 4 + bs; q < end; ) {   /* the aux fields must fill the rest exactly */
		size_t sz;
		if (end - q < 3) return 0;
		if (!((q[0] >= 'A' && q[0] <= 'Z') || (q[0] >= 'a' && q[0] <= 'z'))) return 0;
		switch (q[2]) {
		case 'A': case 'c': case 'C': sz = 1; break;
		case 's': case 'S': sz = 2; break;
		case 'i': case 'I': case 'f': sz = 4; break;
		case 'Z': case 'H': {
			const uint8_t *z = memchr(q + 3, 0, (size_t)(end - q - 3));
			if (z == NULL) return 0;
			sz = (size_t)(z - q - 3) + 1;
			break;
		}
		case 'B': {
			size_t el, cnt;
			if (end - q < 8) return 0;
			switch (q[3]) {
			case 'c': case 'C': el = 1; break;
			case 's': case 'S': el = 2; break;
			case 'i': case 'I': case 'f': el = 4; break;
			default: return 0;
			}
			cnt = le32(q + 4);
			if (cnt > (size_t)(end - q)) return 0;
			sz = 5 + cnt * el;
			break;
		}
		default: return 0;
		}
		if (sz > (size_t)(end - q - 3)) return 0;
		q += 3 + sz;
	}
	*len = 4 + (size_t)bs;
	return 1;
}

/* Does a chain of plausible records start at p: RESYNC_CHAIN of them, or
 * fewer ending exactly at the end of the file?  1, 0, or -1 (more bytes). */
static int chain_ok(const uint8_t *p, size_t n, int eof, int32_t n_ref)
{
	size_t o = 0, len = 0;
	int k, r;
	for (k = 0; k < RESYNC_CHAIN; ++k) {
		if (o == n && eof) return k > 0;
		if ((r = rec_ok(p + o, n - o, n_ref, &len)) <= 0) return r < 0 && !eof ? -1 : 0;
		o += len;
	}
	return 1;
}

/* The canonical virtual offset of the first record starting at or after
 * from (itself canonical), or UINT64_MAX when none does. */
static int resync(dy_sam_t *s, uint64_t from, uint64_t *at)
{
	BGZF *z = NULL;
	uint8_t *buf = NULL;
	size_t n = 0, m = 0, o = 0;
	int eof = 0, ret = DY_EIO;
	if ((z = bgzf_open(s->path, "r")) == NULL) {
		snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(errno));
		goto out;
	}
	if (bgzf_seek(z, (int64_t)from, SEEK_SET) < 0) goto corrupt;
	for (;;) {
		int r = o < n || eof ? chain_ok(buf + o, n - o, eof, s->n_ref) : -1;
		if (r == -1 && n >= RESYNC_MAX) r = 0;   /* a candidate longer than the window is none */
		if (r == 1) break;
		if (r == 0) {
			if (++o < n) continue;
			if (eof) { *at = UINT64_MAX; ret = DY_OK; goto out; }   /* no record starts after from */
			if (n >= RESYNC_MAX) {
				snprintf(s->e.msg, sizeof s->e.msg, "no BAM record starts in the %zu MiB after BGZF block "
				         "%lld, so the file cannot be split between ranks there", RESYNC_MAX >> 20,
				         (long long)(from >> 16));
				ret = DY_EFORMAT;
				goto out;
			}
		}
		if (n == m) {   /* more bytes: double the window */
			uint8_t *nb;
			m = m ? 2 * m : (size_t)1 << 18;
			if ((nb = realloc(buf, m)) == NULL) { ret = DY_ENOMEM; snprintf(s->e.msg, sizeof s->e.msg, "out of memory"); goto out; }
			buf = nb;
		}
		{
			ssize_t got = bgzf_read(z, buf + n, m - n);
			if (got < 0) goto corrupt;
			if (got == 0) eof = 1;
			n += (size_t)got;
		}
	}
	ret = advance(s, from, o, at);
	goto out;
corrupt:
	snprintf(s->e.msg, sizeof s->e.msg, "corrupt or truncated BGZF data after compressed offset %lld",
	         (long long)(from >> 16));
	ret = DY_EIO;
out:
	free(buf);
	if (z) bgzf_close(z);
	return ret;
}

/* ---- CRAM containers ----------------------------------------------------- */

/* An ITF8 integer at p[0..n): bytes used, 0 if cut. */
static int itf8(const uint8_t *p, size_t n, int32_t *v)
{
	int len;
	uint32_t x;
	if (n == 0) return 0;
	len = p[0] < 0x80 ? 1 : p[0] < 0xc0 ? 2 : p[0] < 0xe0 ? 3 : p[0] < 0xf0 ? 4 : 5;
	if ((size_t)len > n) return 0;
	switch (len) {
	case 1: x = p[0]; break;
	case 2: x = (uint32_t)(p[0] & 0x3f) << 8 | p[1]; break;
	case 3: x = (uint32_t)(p[0] & 0x1f) << 16 | (uint32_t)p[1] << 8 | p[2]; break;
	case 4: x = (uint32_t)(p[0] & 0x0f) << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; break;
	default: x = (uint32_t)(p[0] & 0x0f) << 28 | (uint32_t)p[1] << 20 | (uint32_t)p[2] << 12
	             | (uint32_t)p[3] << 4 | (p[4] & 0x0f); break;
	}
	*v = (int32_t)x;
	return len;
}

/* An LTF8 integer: bytes used, 0 if cut (the value itself is not needed). */
static int ltf8_len(const uint8_t *p, size_t n)
{
	int len = 1;
	if (n == 0) return 0;
	while (len < 9 && (p[0] << (len - 1) & 0x80)) ++len;
	return (size_t)len <= n ? len : 0;
}

/* The container header at off: its whole size (header and blocks) and its
 * record count.  CRAM 3.x layout: int32 length, ITF8 reference, start,
 * span, records, LTF8 record counter, bases, ITF8 blocks, landmarks, CRC32. */
static int container_parse(const uint8_t *h, int64_t n, int64_t *size, int32_t *n_rec)
{
	size_t o = 4;
	int32_t v, i, k, len;
	int u;
	if (n < 4 + 9) return -1;
	len = (int32_t)le32(h);
	for (i = 0; i < 4; ++i) {   /* reference, start, span, records */
		if ((u = itf8(h + o, (size_t)n - o, &v)) == 0) return -1;
		o += (size_t)u;
	}
	*n_rec = v;
	for (i = 0; i < 2; ++i) {
		if ((u = ltf8_len(h + o, (size_t)n - o)) == 0) return -1;
		o += (size_t)u;
	}
	if ((u = itf8(h + o, (size_t)n - o, &v)) == 0) return -1;   /* blocks */
	o += (size_t)u;
	if ((u = itf8(h + o, (size_t)n - o, &k)) == 0 || k < 0) return -1;   /* landmarks */
	o += (size_t)u;
	for (i = 0; i < k; ++i) {
		if ((u = itf8(h + o, (size_t)n - o, &v)) == 0) return -1;
		o += (size_t)u;
	}
	o += 4;   /* CRC32 */
	if ((int64_t)o > n) return -1;
	if (len < 0 || *n_rec < 0) return -2;
	*size = (int64_t)o + len;
	return 0;
}

/* The container header at off: its whole size (header and blocks) and its
 * record count.  CRAM 3.x layout: int32 length, ITF8 reference, start,
 * span, records, LTF8 record counter, bases, ITF8 blocks, landmarks, CRC32.
 * A container of many slices has a long landmark list, so a header that
 * does not fit the first read is read again in a larger buffer. */
static int container_at(dy_sam_t *s, int64_t off, int64_t *size, int32_t *n_rec)
{
	uint8_t small[4096], *h = small, *big = NULL;
	size_t cap = sizeof small;
	int64_t n;
	int r;
	for (;;) {
		n = pread_all(s->fd, h, cap, off);
		r = container_parse(h, n, size, n_rec);
		if (r != -1 || n < (int64_t)cap || cap >= ((size_t)16 << 20)) break;
		cap *= 16;   /* cut by the buffer, not by the file: read more */
		free(big);
		if ((h = big = malloc(cap)) == NULL) {
			snprintf(s->e.msg, sizeof s->e.msg, "out of memory reading a CRAM container header");
			return DY_ENOMEM;
		}
	}
	free(big);
	if (r == 0 && off + *size <= s->size) return DY_OK;
	snprintf(s->e.msg, sizeof s->e.msg, "truncated or corrupt CRAM: no valid container header at byte %lld",
	         (long long)off);
	return DY_EFORMAT;
}

/* Where this share's containers start and how many records they hold: the
 * containers that start in [beg, end).  The first container after the
 * 26-byte file definition holds the SAM header, and no records. */
static int cram_share(dy_sam_t *s, int64_t *first)
{
	int64_t off = 26, size;
	int32_t n;
	int ret;
	*first = -1;
	while (off < s->size && off < s->end) {
		if ((ret = container_at(s, off, &size, &n)) < 0) return ret;
		if (off >= s->beg && n > 0) {
			if (*first < 0) *first = off;
			s->n_want += (uint64_t)n;
		} else if (off < s->beg)
			s->n_before += (uint64_t)n;
		off += size;
	}
	return DY_OK;
}

/* ---- reading ------------------------------------------------------------ */

static int fail(dy_sam_t *s, dy_err_t *err, int code)
{
	s->err = code;
	snprintf(s->e.file, sizeof s->e.file, "%s", s->path);
	if (err) *err = s->e;
	return code;
}

static int pair_start(dy_sam_t *s, int first_in_file, dy_err_t *err);

static const char *fmt_name(int fmt)
{
	return fmt == DY_SAM_BAM ? "BAM" : fmt == DY_SAM_CRAM ? "CRAM" : "SAM";
}

/* htslib allocates what a BAM header claims (text length, references)
 * before reading it.  Deflate inflates at most 1032:1, so a claim beyond
 * that for the file's size is corruption, refused before it costs gigabytes. */
static int bam_head_ok(dy_sam_t *s)
{
	BGZF *z = bgzf_open(s->path, "r");
	uint8_t b[1 << 16];
	uint64_t most = (uint64_t)s->size * 1032, l_text = 0, left;
	int ret = DY_EFORMAT;
	if (z == NULL) {
		snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(errno));
		return DY_EIO;
	}
	if (bgzf_read(z, b, 8) != 8) goto bad;
	if ((l_text = le32(b + 4)) > most) goto bad;
	for (left = l_text; left > 0; ) {
		size_t n = left < sizeof b ? (size_t)left : sizeof b;
		if (bgzf_read(z, b, n) != (ssize_t)n) goto bad;
		left -= n;
	}
	if (bgzf_read(z, b, 4) != 4 || (uint64_t)le32(b) * 9 > most) goto bad;
	ret = DY_OK;
	goto out;
bad:
	snprintf(s->e.msg, sizeof s->e.msg, "the BAM header cannot be read (truncated or corrupt file%s)",
	         l_text > most ? ": it claims more text than the file can hold" : "");
out:
	bgzf_close(z);
	return ret;
}

int dy_sam_open(dy_sam_t **sp, const char *path, int fmt, int64_t beg, int64_t end, int64_t size,
                int threads, int paired, dy_err_t *err)
{
	dy_sam_t *s = calloc(1, sizeof *s);
	int ret = DY_EIO;
	uint64_t v0, start = 0;
	*sp = NULL;
	if (s == NULL) {
		if (err) {
			snprintf(err->file, sizeof err->file, "%s", path);
			snprintf(err->msg, sizeof err->msg, "out of memory");
			err->record = err->offset = -1;
		}
		return DY_ENOMEM;
	}
	s->path = path, s->fmt = fmt, s->fd = -1, s->size = size, s->beg = beg, s->end = end;
	s->stop = UINT64_MAX, s->c_addr = -1, s->paired = paired;
	s->e.record = -1, s->e.offset = -1;
	if (fmt == DY_SAM_BAM && (ret = bam_head_ok(s)) < 0) goto fail;
	ret = DY_EIO;
	errno = 0;   /* htslib may fail without setting it */
	if ((s->fp = hts_open(path, "r")) == NULL) {
		snprintf(s->e.msg, sizeof s->e.msg, "htslib cannot open it as %s: %s", fmt_name(fmt),
		         errno ? strerror(errno) : "unknown format");
		goto fail;
	}
	/* SAM text stays on one thread: htslib's threaded parser fails a whole
	 * batch of lines at once, so the record named in an error would be wrong */
	if (threads > 1 && fmt != DY_SAM_SAM && hts_set_threads(s->fp, threads) < 0) {
		snprintf(s->e.msg, sizeof s->e.msg, "cannot start htslib's %d decoding threads", threads);
		goto fail;
	}
	if ((s->h = sam_hdr_read(s->fp)) == NULL) {
		snprintf(s->e.msg, sizeof s->e.msg, "the %s header cannot be read (truncated or corrupt file)", fmt_name(fmt));
		ret = DY_EFORMAT;
		goto fail;
	}
	if ((s->b = bam_init1()) == NULL) { ret = DY_ENOMEM; snprintf(s->e.msg, sizeof s->e.msg, "out of memory"); goto fail; }
	s->n_ref = sam_hdr_nref(s->h);
	if ((s->n_rg = sam_hdr_count_lines(s->h, "RG")) < 0) s->n_rg = 0;
	s->last_k = -1;
	if (paired) {   /* sorted by position, the mates of a pair lie apart */
		if (dy_sam_sorted(s)) {
			snprintf(s->e.msg, sizeof s->e.msg, "read as pairs (--12), but it is sorted by position (@HD "
			         "SO:coordinate), so the two records of a pair are not next to each other: 'samtools "
			         "collate' puts them together, or give it as single reads (-r)");
			ret = DY_EFORMAT;
			goto fail;
		}
	}
	if (fmt == DY_SAM_SAM) goto opened;
	if (hts_check_EOF(s->fp) == 0) {
		/* cut at a block or container boundary: htslib would read it as a shorter file */
		snprintf(s->e.msg, sizeof s->e.msg, "truncated %s (the end-of-file %s is missing)", fmt_name(fmt),
		         fmt == DY_SAM_BAM ? "block" : "container");
		goto fail;
	}
	if (fmt == DY_SAM_CRAM) {
		int64_t first;
		if (beg == 0 && end >= size) goto opened;
		if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
			snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(errno));
			goto fail;
		}
		if ((ret = cram_share(s, &first)) < 0) goto fail;
		if (s->n_want == 0) { ret = DY_EOF; goto fail; }
		/* no container has been read yet: the header came from its own container */
		if (cram_seek(s->fp->fp.cram, (off_t)first, SEEK_SET) < 0) {
			snprintf(s->e.msg, sizeof s->e.msg, "cannot seek to the CRAM container at byte %lld", (long long)first);
			goto fail;
		}
		if (paired && (ret = pair_start(s, s->n_before == 0, err)) < DY_EOF) goto fail;
		if (paired && ret == DY_EOF) s->finished = 1;   /* only records that are not reads */
		goto opened;
	}
	if (beg == 0 && end >= size) goto opened;
	if ((s->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(errno));
		goto fail;
	}
	if ((ret = advance(s, (uint64_t)bgzf_tell(s->fp->fp.bgzf), 0, &v0)) < 0) goto fail;
	start = v0;
	if (beg > 0) {   /* the first record at or after the first block at or after beg */
		int e = 0;
		int64_t blk = dy_bgzf_find(s->fd, beg, size, &e);
		if (blk < 0) { snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(e)); ret = DY_EIO; goto fail; }
		if (blk >= end) { ret = DY_EOF; goto fail; }
		if (((uint64_t)blk << 16) > v0 && (ret = resync(s, (uint64_t)blk << 16, &start)) < 0) goto fail;
	}
	if (end < size) {   /* where the next share starts, found as that share finds it */
		int e = 0;
		int64_t blk = dy_bgzf_find(s->fd, end, size, &e);
		if (blk < 0) { snprintf(s->e.msg, sizeof s->e.msg, "%s", strerror(e)); ret = DY_EIO; goto fail; }
		if (blk < size) {
			s->stop = v0;
			if (((uint64_t)blk << 16) > v0 && (ret = resync(s, (uint64_t)blk << 16, &s->stop)) < 0) goto fail;
		}
	}
	if (start == UINT64_MAX || start >= s->stop) { ret = DY_EOF; goto fail; }
	if (bgzf_seek(s->fp->fp.bgzf, (int64_t)start, SEEK_SET) < 0) {
		snprintf(s->e.msg, sizeof s->e.msg, "cannot seek to BGZF block %lld", (long long)(start >> 16));
		goto fail;
	}
	if (paired && (ret = pair_start(s, start == v0, err)) < DY_EOF) goto fail;
	if (paired && ret == DY_EOF) s->finished = 1;   /* only records that are not reads */
opened:
	*sp = s;
	return DY_OK;
fail:
	if (ret != DY_EOF) {
		snprintf(s->e.file, sizeof s->e.file, "%s", path);
		if (err) *err = s->e;
	}
	dy_sam_close(s);
	return ret;
}

/* 4-bit IUPAC codes: the complement is the code with its bits reversed. */
static const uint8_t comp4[16] = { 0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15 };

#define SEEN(s) ((s)->n_rec + (s)->n_skip + (s)->n_drop)   /* records of the share passed so far */
#define IS_MATE(f, w) (((f) & (BAM_FPAIRED | BAM_FREAD1 | BAM_FREAD2)) == (BAM_FPAIRED | (w)))

/* The next record that is a read into s->b: DY_OK, DY_EOF at the end of
 * the share (s->at_stop: at the next share's start, not the file's end)
 * or an error.  past: the share's end is passed (the mate after it). */
static int read_rec(dy_sam_t *s, int past, int *at_stop, dy_err_t *err)
{
	bam1_t *b = s->b;
	int r;
	*at_stop = 0;
	for (;;) {
		if (!past && s->n_want && SEEN(s) == s->n_want) return *at_stop = 1, DY_EOF;
		if (!past && s->stop != UINT64_MAX) {
			uint64_t v;
			if ((r = advance(s, (uint64_t)bgzf_tell(s->fp->fp.bgzf), 0, &v)) < 0) return fail(s, err, r);
			if (v == s->stop) return *at_stop = 1, DY_EOF;
			if (v > s->stop) {
				snprintf(s->e.msg, sizeof s->e.msg, "the next rank's share of this BAM starts at BGZF block %lld, "
				         "inside a record: splitting it between ranks failed (run with one rank, or bgzip "
				         "it again; please report this file)", (long long)(s->stop >> 16));
				return fail(s, err, DY_EFORMAT);
			}
		}
		if (s->fmt == DY_SAM_BAM) {
			/* htslib allocates the length a record claims before reading it: a
			 * corrupt one must not cost gigabytes (checked when the length is
			 * in the block at hand, through BGZF's public buffer fields) */
			BGZF *z = s->fp->fp.bgzf;
			(void)bgzf_peek(z);   /* loads the next block when this one is used up */
			if (z->block_length - z->block_offset >= 4 &&
			    le32((const uint8_t *)z->uncompressed_block + z->block_offset) > REC_MAX) {
				if (s->beg == 0) s->e.record = (int64_t)SEEN(s) + 1;
				snprintf(s->e.msg, sizeof s->e.msg, "corrupt BAM: a record claims %u bytes",
				         le32((const uint8_t *)z->uncompressed_block + z->block_offset));
				return fail(s, err, DY_EFORMAT);
			}
		}
		r = s->fmt == DY_SAM_BAM ? bam_read1(s->fp->fp.bgzf, b) : sam_read1(s->fp, s->h, b);
		if (r == -1) {
			if (s->n_want == 0 || past) return DY_EOF;
			snprintf(s->e.msg, sizeof s->e.msg, "the CRAM containers of this rank's share announce %llu "
			         "records, but only %llu of them could be read", (unsigned long long)s->n_want,
			         (unsigned long long)SEEN(s));
			return fail(s, err, DY_EFORMAT);
		}
		if (r < -1) {
			const char *why = s->fmt == DY_SAM_CRAM ? "truncated or corrupt CRAM, or its reference sequence "
			                  "cannot be found (REF_PATH, REF_CACHE)" : s->fmt == DY_SAM_BAM
			                  ? "truncated or corrupt BAM" : "malformed SAM line";
			if (s->beg == 0) {
				s->e.record = (int64_t)SEEN(s) + 1;
				snprintf(s->e.msg, sizeof s->e.msg, "cannot be decoded: %s", why);
			} else
				snprintf(s->e.msg, sizeof s->e.msg, "record %llu of the share that starts at compressed byte %lld "
				         "cannot be decoded: %s", (unsigned long long)SEEN(s) + 1, (long long)(s->beg), why);
			return fail(s, err, r == -2 && s->fmt != DY_SAM_SAM ? DY_EIO : DY_EFORMAT);
		}
		if (b->core.flag & SKIP_FLAGS) {
			if (!past) ++s->n_skip;   /* past the end they are the next share's to count */
			else ++s->n_past_skip;
			continue;
		}
		return DY_OK;
	}
}

/* Pairs at the share's start: a second mate there is the end of a pair
 * that started in the share before, which reads it (below); anything else
 * is kept for the first call. */
static int pair_start(dy_sam_t *s, int first_in_file, dy_err_t *err)
{
	int at_stop, r;
	if (first_in_file) return DY_OK;
	if ((r = read_rec(s, 0, &at_stop, err)) != DY_OK) return r;
	if (IS_MATE(s->b->core.flag, BAM_FREAD2)) s->n_drop = 1;
	else s->pending = 1;
	return DY_OK;
}

int dy_sam_next(dy_sam_t *s, dy_fxbuf_t *seq, dy_err_t *err)
{
	bam1_t *b = s->b;
	const uint8_t *q;
	uint32_t i, l;
	int r, at_stop = 0;
	if (s->err) return fail(s, err, s->err);
	if (s->finished) return DY_EOF;
	if (s->pending) s->pending = 0;
	else if ((r = read_rec(s, 0, &at_stop, err)) == DY_EOF && at_stop && s->paired) {
		/* the share ends: the mate of its last first mate is read past the end;
		 * a second mate there whose first is not ours would be read by nobody */
		int want = s->want_mate, dummy;
		s->finished = 1;
		if ((r = read_rec(s, 1, &dummy, err)) != DY_OK) return r;
		if (!want && !IS_MATE(b->core.flag, BAM_FREAD2)) return DY_EOF;   /* the next share's pair */
		if (!want) {
			if (s->beg == 0) s->e.record = (int64_t)(SEEN(s) + s->n_past_skip) + 1;
			snprintf(s->e.msg, sizeof s->e.msg, "record '%s' is a second mate (flag READ2) that does not follow "
			         "its first mate: a file read as pairs (--12) must hold the two records of each pair "
			         "together, READ1 then READ2 ('samtools collate' gives that order)", bam_get_qname(b));
			return fail(s, err, DY_EFORMAT);
		}
		/* the record after our last first mate, whatever it is: the reader checks it is the mate */
	} else if (r != DY_OK)
		return r;
	s->want_mate = s->paired && IS_MATE(b->core.flag, BAM_FREAD1);
	l = (uint32_t)b->core.l_qseq;
	if (l == 0) {
		if (s->beg == 0) s->e.record = (int64_t)SEEN(s) + 1;
		snprintf(s->e.msg, sizeof s->e.msg, "record '%s' has no sequence (SEQ '*'): its read cannot be counted",
		         bam_get_qname(b));
		return fail(s, err, DY_EFORMAT);
	}
	if (seq->m < seq->l + l) {
		size_t m = seq->l + l;
		char *ns;
		m += m >> 1;
		if ((ns = realloc(seq->s, m)) == NULL) {
			snprintf(s->e.msg, sizeof s->e.msg, "out of memory");
			return fail(s, err, DY_ENOMEM);
		}
		seq->s = ns, seq->m = m;
	}
	q = bam_get_seq(b);
	if (b->core.flag & BAM_FREVERSE)
		for (i = 0; i < l; ++i) seq->s[seq->l + i] = seq_nt16_str[comp4[bam_seqi(q, l - 1 - i)]];
	else
		for (i = 0; i < l; ++i) seq->s[seq->l + i] = seq_nt16_str[bam_seqi(q, i)];
	seq->l += l;
	++s->n_rec;
	return DY_OK;
}

int dy_sam_n_rg(const dy_sam_t *s) { return s->n_rg; }

int dy_sam_sorted(const dy_sam_t *s)
{
	kstring_t so = KS_INITIALIZE;
	int sorted = sam_hdr_find_tag_hd(s->h, "SO", &so) == 0 && strcmp(so.s, "coordinate") == 0;
	ks_free(&so);
	return sorted;
}

int dy_sam_rg(dy_sam_t *s)
{
	const uint8_t *aux = s->n_rg ? bam_aux_get(s->b, "RG") : NULL;
	const char *id = aux ? bam_aux2Z(aux) : NULL;
	size_t l;
	int k;
	if (id == NULL) return s->n_rg;
	/* consecutive reads mostly share a group: one compare, not a lookup */
	if (s->last_k >= 0 && strcmp(id, s->last_id) == 0) return s->last_k;
	if ((k = sam_hdr_line_index(s->h, "RG", id)) < 0) k = s->n_rg;   /* not in the header */
	if ((l = strlen(id)) < sizeof s->last_id) memcpy(s->last_id, id, l + 1), s->last_k = k;
	return k;
}

int dy_reads_read_groups(const char *path, dy_rg_t **rg, int *n)
{
	htsFile *fp = hts_open(path, "r");
	sam_hdr_t *h = fp ? sam_hdr_read(fp) : NULL;
	kstring_t ks = KS_INITIALIZE;
	int i, m, ret = DY_EFORMAT;
	static const char *tag[3] = { "ID", "LB", "SM" };
	*rg = NULL, *n = 0;
	if (h == NULL || (m = sam_hdr_count_lines(h, "RG")) < 0) goto out;
	if (m > 0 && (*rg = calloc((size_t)m, sizeof **rg)) == NULL) { ret = DY_ENOMEM; goto out; }
	for (i = 0; i < m; ++i) {
		char *f[3] = { (*rg)[i].id, (*rg)[i].lb, (*rg)[i].sm };
		const size_t sz[3] = { sizeof (*rg)[i].id, sizeof (*rg)[i].lb, sizeof (*rg)[i].sm };
		int t;
		for (t = 0; t < 3; ++t)
			if (sam_hdr_find_tag_pos(h, "RG", i, tag[t], &ks) == 0) snprintf(f[t], sz[t], "%s", ks.s);
	}
	*n = m, ret = DY_OK;
out:
	ks_free(&ks);
	if (h) sam_hdr_destroy(h);
	if (fp) hts_close(fp);
	return ret;
}

int dy_sam_mate(const dy_sam_t *s)
{
	uint16_t f = s->b->core.flag;
	return IS_MATE(f, BAM_FREAD1) ? 1 : IS_MATE(f, BAM_FREAD2) ? 2 : 0;
}

const char *dy_sam_name(const dy_sam_t *s, size_t *len)
{
	*len = s->b->core.l_qname > 0 ? (size_t)s->b->core.l_qname - 1 - s->b->core.l_extranul : 0;
	return bam_get_qname(s->b);
}

int64_t dy_sam_recno(const dy_sam_t *s)
{
	return s->beg == 0 ? (int64_t)(SEEN(s) + s->n_past_skip) : -1;
}

uint64_t dy_sam_skipped(const dy_sam_t *s) { return s->n_skip; }

uint64_t dy_sam_close(dy_sam_t *s)
{
	uint64_t bytes;
	if (s == NULL) return 0;
	bytes = (uint64_t)((s->end < s->size ? s->end : s->size) - s->beg);
	if (s->b) bam_destroy1(s->b);
	if (s->h) sam_hdr_destroy(s->h);
	if (s->fp) hts_close(s->fp);
	if (s->fd >= 0) close(s->fd);
	free(s);
	return bytes;
}
