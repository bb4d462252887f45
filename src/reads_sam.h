/* reads_sam.h -- reads from SAM, BAM and CRAM files, through htslib (private
 * to the reader, reads.c).
 *
 * Which records are reads: every record except secondary (0x100),
 * supplementary (0x800) and QC-fail (0x200) ones, so an aligned file gives
 * each read once, by its primary record or its unmapped one.  A record on the
 * reverse strand (0x10) holds the reverse complement of the read: it is
 * turned back.  A record without a sequence ('*') is an error: its read
 * cannot be counted, and a file of them (a BAM written without SEQ) would
 * assemble to nothing without saying why.
 *
 * Sharing between ranks: a BAM is split by compressed byte range like a BGZF
 * FASTQ.  A share [beg, end) reads the records that start at or after
 * S(beg) and before S(end), where S(x) is the first record start at or
 * after the first BGZF block at or after x (the header's end if that comes
 * later).  No index is needed: S is found by scanning the inflated bytes for
 * an offset where a chain of plausible records begins (block_size, refID and
 * mate refID within the header's references, a NUL-terminated printable
 * name, lengths that fit), four records long or ending exactly at the end of
 * the file.  A share that reads up to S(end) knows the true record starts:
 * if S(end) is not one of them, the split would lose or garble reads, so it
 * is an error naming the block, never a silent wrong answer.
 * A CRAM 3.x file is split by container: every rank walks the container
 * headers (a seek each, no decoding), a share reads the containers that
 * start in its byte range, and stops after the number of records their
 * headers announce.  SAM files and other CRAM versions are read whole by one
 * rank (dealt like plain gzip).
 *
 * Pairs (a file given with --12): the two records of a pair follow each
 * other, READ1 then READ2 (as samtools import, Picard and an aligner's
 * unsorted output write them; 'samtools collate' restores it).  A share
 * that starts inside the file leaves a leading second mate to the share
 * before, which reads one record past its end when its last record is a
 * first mate; a share whose end falls before a second mate whose first is
 * not its own fails (that read would be read by nobody), so a file that
 * does not pair fails at any number of ranks.
 */
#ifndef DY_READS_SAM_H
#define DY_READS_SAM_H

#include <stdint.h>
#include "dactyl.h"
#include "fastx.h"

enum { DY_SAM_NONE = 0, DY_SAM_SAM, DY_SAM_BAM, DY_SAM_CRAM };

typedef struct dy_sam_s dy_sam_t;

/* The SAM-family format of a file from its first bytes (raw) and, for a
 * gzip/BGZF file, the first bytes they inflate to (txt; NULL otherwise):
 * DY_SAM_* or DY_SAM_NONE. */
int dy_sam_sniff(const unsigned char *raw, size_t n_raw, const unsigned char *txt, size_t n_txt);

/* Can a file of format fmt whose first bytes are raw be split between
 * ranks?  BAM, and CRAM 3.x (by container); SAM and other CRAM versions
 * are read whole. */
int dy_sam_splittable(int fmt, const unsigned char *raw, size_t n_raw);

/* Open the share [beg, end) of a file of format fmt and size size (only a
 * splittable file may have beg > 0 or end < size).  threads > 1: htslib decodes with a
 * pool of that many threads.  paired: the share moves to whole pairs (above).  Returns DY_OK, DY_EOF (no record starts in
 * the share) or an error with err filled. */
int dy_sam_open(dy_sam_t **s, const char *path, int fmt, int64_t beg, int64_t end, int64_t size,
                int threads, int paired, dy_err_t *err) DY_RESULT_USED;

/* Append the next read's bases (upper-case IUPAC letters, read orientation)
 * to seq. DY_OK, DY_EOF or an error with err filled (every later call
 * returns it again). */
int dy_sam_next(dy_sam_t *s, dy_fxbuf_t *seq, dy_err_t *err) DY_RESULT_USED;

/* Of the read just returned: 1 a first mate (flags PAIRED, READ1), 2 a
 * second (PAIRED, READ2), 0 neither; its name (len bytes, no NUL counted);
 * its 1-based record number in the file, -1 in a share starting mid-file. */
int dy_sam_mate(const dy_sam_t *s);
const char *dy_sam_name(const dy_sam_t *s, size_t *len);
int64_t dy_sam_recno(const dy_sam_t *s);

/* Read groups: the @RG lines of the header, and the group of the read just
 * returned, by its RG tag: its line's index, or n_rg for none (no tag, or
 * an ID the header does not list). */
int dy_sam_n_rg(const dy_sam_t *s);
/* The header says @HD SO:coordinate. */
int dy_sam_sorted(const dy_sam_t *s);
int dy_sam_rg(dy_sam_t *s);

/* Records skipped (secondary, supplementary, QC-fail) so far. */
uint64_t dy_sam_skipped(const dy_sam_t *s);

/* Close; returns the compressed bytes read from disk (an estimate for CRAM/SAM: the file's share). */
uint64_t dy_sam_close(dy_sam_t *s);

/* Provided by reads.c: compressed offset of the first BGZF block starting at
 * or after from (size if none); -1 with *err_no set on a read failure. */
int64_t dy_bgzf_find(int fd, int64_t from, int64_t size, int *err_no);

#endif
