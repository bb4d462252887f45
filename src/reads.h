/* reads.h -- this rank's share of the input reads, in bounded batches.
 *
 * Formats: FASTA (multi-line) and FASTQ (4-line records), each plain, gzip or
 * BGZF, detected from content (not the name).  Sharing between ranks:
 *   - plain and BGZF files are split by byte range (compressed offsets for
 *     BGZF) at record boundaries: every record is read by exactly one rank;
 *   - plain gzip cannot be split: whole files are dealt to ranks, largest
 *     first to the least-loaded rank (ties: lowest rank).
 * Every rank computes the same plan from the file sizes alone: no messages.
 * Lower-case bases are upper-cased; other bytes are passed through (the
 * k-mer scan treats anything but ACGT as a break).
 *
 * Errors fill dy_err_t (file, record number if known, byte offset, reason)
 * and return DY_EIO / DY_EFORMAT / DY_ENOMEM; nothing is printed.
 */
#ifndef DY_READS_H
#define DY_READS_H

#include <stdint.h>
#include <stddef.h>
#include "dactyl.h"

typedef struct dy_reader_s dy_reader_t;

/* A batch of reads: read i is seq[off[i] .. off[i]+len[i]), not NUL-terminated. */
typedef struct {
	size_t n, m;         /* reads in batch, allocated */
	size_t *off;
	uint32_t *len;
	char *seq;           /* concatenated sequences */
	size_t n_bases, m_bases;
} dy_batch_t;

typedef struct {
	uint64_t n_records;  /* records read by this rank */
	uint64_t n_bases;    /* bases read by this rank */
	uint64_t n_files;    /* files (or file parts) this rank touched */
	uint64_t bytes_in;   /* bytes read from disk (compressed where compressed) */
} dy_reads_stats_t;

/* Open this rank's share of io->in[0..n_in). Checks that every file exists
 * and is readable (on every rank, so every rank fails alike). */
int dy_reads_open(const dy_io_opt_t *io, int rank, int n_ranks,
                  dy_reader_t **r, dy_err_t *err) DY_RESULT_USED;

/* Fill b with whole records until at least max_bases bases are held or the
 * share is exhausted. Returns DY_OK with b->n > 0, DY_EOF when nothing is
 * left, or an error (< -1). b is reset at each call. */
int dy_reads_next(dy_reader_t *r, size_t max_bases, dy_batch_t *b, dy_err_t *err) DY_RESULT_USED;

void dy_reads_stats(const dy_reader_t *r, dy_reads_stats_t *st);
void dy_reads_close(dy_reader_t *r);
void dy_batch_free(dy_batch_t *b);

#endif
