/* reads.h -- this rank's share of the input reads, in bounded batches.
 *
 * Formats: FASTA (multi-line) and FASTQ (4-line records), each plain, gzip or
 * BGZF, and SAM, BAM and CRAM through htslib (reads_sam.h: which records
 * are reads, how a BAM is split), detected from content (not the name).  Only regular files: a pipe
 * cannot be shared between ranks.  Sharing between ranks (split.h):
 *   - plain and BGZF files are split by byte range (compressed offsets for
 *     BGZF: a share starts at the first BGZF block at or after its range
 *     start) at record boundaries: every record is read by exactly one rank;
 *   - a BAM is split by BGZF block (reads_sam.h);
 *   - plain gzip cannot be split (a stream can only be entered at its start),
 *     nor, for now, SAM and CRAM: whole files are dealt to ranks, largest first to the least-loaded rank
 *     (ties: lowest rank); the byte ranges of the splittable files then top
 *     up the ranks with less to read.
 * Every rank computes the same plan from the file sizes and first bytes
 * alone: no messages.  Boundary rule (fastx.h): with B_r the start of rank r's
 * range, rank r > 0 skips to the first line starting after B_r and then to the
 * first record start (FASTA: a line starting '>'; FASTQ: a line starting '@'
 * whose next-but-one line starts '+'); every rank stops after the last record
 * starting at or before B_{r+1}.  Ranks may have nothing to read.
 * Lower-case bases are upper-cased; letters other than ACGT and '-', '.',
 * '*' are passed through (the k-mer scan treats anything but ACGT as a
 * break); any other byte in a sequence, or a quality byte outside '!'..'~',
 * is a format error (fastx.h).  An empty file holds no records; it is not
 * an error.  Formats that are not read (bzip2, xz, zstd, zip, BCF, stdin)
 * are named in the error.
 *
 * Errors fill dy_err_t and return DY_EIO (open/read failure, truncated or
 * corrupt gzip/BGZF data), DY_EFORMAT (malformed record, not FASTA/FASTQ),
 * DY_ELIMIT (a read over 2^32-1 bases) or DY_ENOMEM; nothing is printed.
 * record is 1-based from the start of the file and offset is the record's
 * uncompressed byte offset, whatever share the rank read: a share that
 * starts mid-file counts the records before it again on the error path
 * (only when it cannot, record is -1 and the message names the share's
 * start).  A malformed record is reported whatever the number of ranks (a
 * rank stopping at a boundary checks the record after it).
 */
#ifndef DY_READS_H
#define DY_READS_H

#include <stdint.h>
#include <stddef.h>
#include "dactyl.h"

typedef struct dy_reader_s dy_reader_t;

/* A batch of reads: read i is seq[off[i] .. off[i]+len[i]), not NUL-terminated;
 * mate[i] is 0 for a single read, 1 and 2 for the first and second mate of
 * a pair (which follow each other). */
typedef struct {
	size_t n, m;         /* reads in batch, allocated */
	size_t *off;
	uint32_t *len;
	uint8_t *mate;
	char *seq;           /* concatenated sequences */
	size_t n_bases, m_bases;
} dy_batch_t;

typedef struct {
	uint64_t n_records;  /* records read by this rank */
	uint64_t n_bases;    /* bases read by this rank */
	uint64_t n_files;    /* files (or file parts) this rank opened */
	uint64_t bytes_in;   /* bytes read from disk (compressed where compressed) */
	uint64_t bytes_share;   /* bytes on disk of this rank's share (bytes_in may pass it by a block) */
} dy_reads_stats_t;

/* Open this rank's share of io->in[0..n_in). Checks that every file exists
 * and is readable (on every rank, so every rank fails alike). */
int dy_reads_open(const dy_io_opt_t *io, int rank, int n_ranks,
                  dy_reader_t **r, dy_err_t *err) DY_RESULT_USED;

/* Fill b with whole records until at least max_bases bases (or max_bases
 * records, so empty reads cannot grow it without end; 0 counts as 1) are held
 * or the share is exhausted: n_bases < max_bases + the last record's length
 * (the last two for a pair: both mates of a pair are in the same batch, one
 * after the other).
 * Returns DY_OK with b->n > 0, DY_EOF when nothing is left, or an error (< -1),
 * which every later call returns again. b must start zeroed ({0}); it is
 * reset (not freed) at each call. Not thread-safe: one reader per thread. */
int dy_reads_next(dy_reader_t *r, size_t max_bases, dy_batch_t *b, dy_err_t *err) DY_RESULT_USED;

void dy_reads_stats(const dy_reader_t *r, dy_reads_stats_t *st);
/* Inputs (a pair counts once) that one rank reads whole: plain gzip, a SAM
 * file, or a pair with such a file.  The same on every rank. */
int dy_reads_whole_inputs(const dy_reader_t *r);
/* Records and bases read so far from each input file (n_in entries each). */
void dy_reads_file_stats(const dy_reader_t *r, uint64_t *recs, uint64_t *bases, uint64_t *skipped);

/* Read groups (the @RG lines of a SAM, BAM or CRAM header).  A file with
 * n > 0 of them has n + 1 slots: one per group in header order, and a last
 * one for reads with no group (no RG tag, or one the header does not list);
 * first[i] is file i's first slot (first[n_in] slots in all, the same on
 * every rank).  Reads and bases read so far per slot. */
int dy_reads_rg_layout(const dy_reader_t *r, int *first);
void dy_reads_rg_stats(const dy_reader_t *r, uint64_t *recs, uint64_t *bases);
typedef struct { char id[128], lb[128], sm[128]; } dy_rg_t;
/* A read group of an input as the log and stats.json report it. */
typedef struct dy_rg_row_s {
	dy_rg_t g;          /* its @RG fields; empty when the header could not be read again (known 0) */
	int index, known;   /* its place in the header */
	int none;           /* 1: the reads without a listed group (g empty) */
	uint64_t reads, pairs, bases;
} dy_rg_row_t;
/* The rows of input i (at path; inter: read as pairs) from slot counts laid
 * out as dy_reads_rg_layout's first: each @RG in header order (its names
 * read from the header again), then the reads without one if there are
 * any.  *n rows in *rows, freed by the caller; none when i has no slots.
 * DY_OK or DY_ENOMEM. */
int dy_rg_rows(const char *path, int inter, const int *first, const uint64_t *recs, const uint64_t *bases,
               int i, dy_rg_row_t **rows, int *n) DY_RESULT_USED;
/* The read groups of a SAM-family file's header (*rg freed by the caller). */
int dy_reads_read_groups(const char *path, dy_rg_t **rg, int *n) DY_RESULT_USED;

/* Pairs.  A paired library (io->role: -1/-2) is planned as one weight on
 * its first file; a rank reads its byte share of the first file and, of
 * the second, the records with the same numbers, wherever they lie: from
 * the share that holds the first of them on (skipping to it), as many as
 * it read of the first file.  An interleaved file (--12) is read by byte
 * share, moved to whole pairs: a share starting at an odd record number
 * leaves it to the rank before, which reads one record past its end.  The
 * numbers come from one pass that counts the records of every rank's share
 * (dy_reads_count_shares; the caller gathers the counts of all ranks into
 * io->share_recs).  Files that cannot be entered mid-way (plain gzip) are
 * dealt whole, both files of a pair to one rank.  Mates are returned one
 * after the other in the same batch (first, then second); their names must
 * match (up to a /1, /2 ending), else DY_EFORMAT names both records.  Mate
 * files of different lengths, or an odd interleaved file, are refused by
 * dy_reads_open from the counts, on every rank alike. */
int dy_reads_need_counts(const dy_io_opt_t *io);
/* Input i is a SAM, BAM or CRAM of single reads (not --12) whose first read
 * is a mate (flag READ1 or READ2): its pairs go unused.  1, or 2 when it is
 * sorted by position (its mates lie apart); 0 otherwise. */
int dy_reads_pairs_unused(const dy_io_opt_t *io, int i);
int dy_reads_count_shares(const dy_io_opt_t *io, int rank, int n_ranks, uint64_t *recs, dy_err_t *err) DY_RESULT_USED;

/* A format that is not FASTA or FASTQ, by its magic bytes (of the file, or,
 * with inflated, of the first bytes a gzip/BGZF file inflates to): its name
 * ("BAM", "zstd-compressed"), or NULL.  The reader asks after it has taken
 * SAM, BAM and CRAM (reads_sam.h); dactyl stats asks first. */
const char *dy_fmt_unsupported(const unsigned char *p, size_t n, int inflated);

/* ---- the reads kept in memory (rcache.c) ----------------------------- */

/* The ACGT runs (>= DY_KMIN bases) of this rank's reads, 2 bits a base, up
 * to a budget of bytes; past it the cache empties itself for good.  Mates
 * are kept as pairs (rcache.c). */
typedef struct dy_rcache_s dy_rcache_t;
typedef struct { size_t run, pk, ms; } dy_rcache_cursor_t;

dy_rcache_t *dy_rcache_init(size_t budget);
void dy_rcache_free(dy_rcache_t *c);
/* Keep the runs of batch b (nothing once over budget; c may be NULL). */
void dy_rcache_add(dy_rcache_t *c, const dy_batch_t *b);
/* The share was read to its end: complete if still within budget. */
void dy_rcache_done(dy_rcache_t *c);
/* Empty it for good (another rank's did not fit: all read the files again). */
void dy_rcache_drop(dy_rcache_t *c);
int dy_rcache_complete(const dy_rcache_t *c);
/* Reads and bases as the reader counted them; bytes held. */
void dy_rcache_stats(const dy_rcache_t *c, uint64_t *n_records, uint64_t *n_bases, size_t *bytes);
void dy_rcache_rewind(dy_rcache_cursor_t *cur);
/* The next runs into b (as dy_reads_next): DY_OK, DY_EOF or DY_ENOMEM. */
int dy_rcache_next(const dy_rcache_t *c, dy_rcache_cursor_t *cur, size_t max_bases, dy_batch_t *b);
/* The next mates into b, whole pairs, single reads passed over: each at its
 * length, its kept runs in place and N elsewhere (non-ACGT bases and runs
 * shorter than DY_KMIN); b->mate says which mate.  The i-th pair returned
 * from a rewound cursor is the i-th pair this rank read. */
int dy_rcache_next_mates(const dy_rcache_t *c, dy_rcache_cursor_t *cur, size_t max_bases, dy_batch_t *b);
void dy_reads_close(dy_reader_t *r);
void dy_batch_free(dy_batch_t *b);
/* Room for twice as many reads (off, len and mate together). */
int dy_batch_grow(dy_batch_t *b) DY_RESULT_USED;

#endif
