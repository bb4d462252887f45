/* fuzz_input.c -- libFuzzer target over the whole reader (src/reads.c):
 * probe, share plan, gzip and BGZF inflation, share sync and the parser,
 * through a real file (a memfd), read by 1 to 4 "ranks" in turn.
 *
 * A BGZF text that starts "BAM\1" is a BAM (reads_sam.c), split by block
 * and checked the same way.
 * Input: byte 0 picks how the text is stored (plain; gzip in one or two
 * members; BGZF with blocks of a size set by byte 1; either compressed form
 * with one byte flipped or cut short at a place set by byte 2); the rest is
 * the text.  Beyond "no crash", it traps when
 *   - the file reads without error by one rank, yet not by N ranks, or the N
 *     ranks' records, concatenated in rank order, differ from the one rank's
 *     (every record exactly once, in order);
 *   - the file fails for one rank, yet every one of N ranks reads its share
 *     without an error (bad input must be reported whatever the split).
 * Built with -DDY_FUZZING (fastx.c caps its buffers). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <htslib/hts_log.h>
#include "reads.h"

typedef struct { uint8_t *a; size_t n, m; } bytes_t;

static void put(bytes_t *b, const void *p, size_t n)
{
	if (b->n + n > b->m) {
		b->m = (b->n + n) * 2 + 64;
		if ((b->a = realloc(b->a, b->m)) == NULL) abort();
	}
	if (n) memcpy(b->a + b->n, p, n);
	b->n += n;
}

/* raw deflate of p[0..n) appended to out */
static void deflate_raw(bytes_t *out, const uint8_t *p, size_t n, int wbits)
{
	z_stream z;
	uint8_t buf[1 << 16];
	int ret;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
	z.next_in = (uint8_t *)p, z.avail_in = (uInt)n;
	do {
		z.next_out = buf, z.avail_out = sizeof buf;
		ret = deflate(&z, Z_FINISH);
		put(out, buf, sizeof buf - z.avail_out);
	} while (ret == Z_OK);
	deflateEnd(&z);
}

static void le32(bytes_t *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24) };
	put(b, x, 4);
}

/* one BGZF member holding p[0..n), n <= 60000 */
static void bgzf_block(bytes_t *out, const uint8_t *p, size_t n)
{
	static const uint8_t hdr[16] = { 31, 139, 8, 4, 0, 0, 0, 0, 0, 255, 6, 0, 'B', 'C', 2, 0 };
	bytes_t c = { 0, 0, 0 };
	size_t bsize;
	uint8_t bs[2];
	deflate_raw(&c, p, n, -15);
	bsize = 16 + 2 + c.n + 8 - 1;
	bs[0] = (uint8_t)bsize, bs[1] = (uint8_t)(bsize >> 8);
	put(out, hdr, 16), put(out, bs, 2), put(out, c.a, c.n);
	le32(out, (uint32_t)crc32(0, p, (uInt)n)), le32(out, (uint32_t)n);
	free(c.a);
}

typedef struct { bytes_t lens, seq; } recs_t;

/* Read the file as rank r of n; records appended to out. Returns the last code. */
static int read_share(const char *path, int r, int n, recs_t *out)
{
	dy_io_opt_t io;
	const char *in[1] = { path };
	dy_reader_t *rd = NULL;
	dy_batch_t b = { 0 };
	dy_err_t err;
	size_t i;
	int ret;
	memset(&io, 0, sizeof io);
	io.in = (char **)in, io.n_in = 1;
	if ((ret = dy_reads_open(&io, r, n, &rd, &err)) < 0) return ret;
	while ((ret = dy_reads_next(rd, 64, &b, &err)) == DY_OK)
		for (i = 0; i < b.n; ++i) {
			put(&out->lens, &b.len[i], 4);
			if (b.len[i]) put(&out->seq, b.seq + b.off[i], b.len[i]);
		}
	dy_batch_free(&b);
	dy_reads_close(rd);
	return ret;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bytes_t file = { 0, 0, 0 };
	recs_t one, many;
	char path[64];
	int mode, fd, n, r, ret1, bad, st;
	size_t blk, i, where;
	if (size < 3) return 0;
	hts_set_log_level(HTS_LOG_OFF);   /* BAM text goes through htslib, which would log each failure */
	mode = data[0] % 7, blk = 1 + (size_t)data[1] * 64, where = data[2];
	data += 3, size -= 3;
	switch (mode) {
	case 0: put(&file, data, size); break;
	case 1: case 2: /* gzip: one member, or two cut at a chosen byte */
		if (mode == 2 && size > 1) {
			deflate_raw(&file, data, where % size, 31);
			deflate_raw(&file, data + where % size, size - where % size, 31);
		} else deflate_raw(&file, data, size, 31);
		break;
	default: /* BGZF blocks of blk bytes, then the EOF block */
		for (i = 0; i < size; i += blk) bgzf_block(&file, data + i, size - i < blk ? size - i : blk);
		bgzf_block(&file, data, 0);
		break;
	}
	if (file.n > 0 && mode >= 5) { /* damage it: flip one byte, or cut it short */
		if (mode == 5) file.a[(where * 131) % file.n] ^= 0x55;
		else file.n = (where * 131) % file.n;
	}
	if ((fd = memfd_create("fuzz", 0)) < 0) abort();
	if (file.n && write(fd, file.a, file.n) != (ssize_t)file.n) abort();
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	memset(&one, 0, sizeof one);
	ret1 = read_share(path, 0, 1, &one);
	for (n = 2; n <= 4; ++n) {
		memset(&many, 0, sizeof many);
		bad = 0;
		for (r = 0; r < n; ++r)
			if ((st = read_share(path, r, n, &many)) < DY_EOF) bad = 1;
		if (ret1 == DY_EOF) {
			if (bad) __builtin_trap();   /* good for one rank, an error for several */
			if (many.lens.n != one.lens.n || many.seq.n != one.seq.n ||
			    (one.lens.n && memcmp(many.lens.a, one.lens.a, one.lens.n)) ||
			    (one.seq.n && memcmp(many.seq.a, one.seq.a, one.seq.n)))
				__builtin_trap();   /* a record lost, doubled, or changed by the split */
		} else if (!bad) __builtin_trap();   /* bad input that no rank reported */
		free(many.lens.a), free(many.seq.a);
	}
	free(one.lens.a), free(one.seq.a), free(file.a);
	close(fd);
	return 0;
}
