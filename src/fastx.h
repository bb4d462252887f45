/* fastx.h -- FASTA/FASTQ record parser over any byte source (klib style: it
 * knows nothing about files, compression or ranks).
 *
 * Usage:
 *     dy_fx_t fx;
 *     dy_fxbuf_t seq = {0};
 *     dy_fx_init(&fx, my_read, my_src, 0);
 *     while ((ret = dy_fx_next(&fx, &seq)) == DY_OK) { ... seq.s[start..seq.l) ... }
 *     if (ret < DY_EOF) report(fx.msg, fx.rec_pos);
 *     dy_fx_free(&fx); free(seq.s);
 *
 * Records: FASTQ is 4-line (header '@', sequence, '+' line, quality of the
 * same length; a sequence line may not start with '@' or '+', which keeps the
 * record-start rule of dy_fx_sync unambiguous); FASTA is a '>' header and any
 * number of sequence lines.  Blank lines between records are skipped, a
 * trailing '\r' is dropped from every line.  Sequence bytes must be letters
 * (upper-cased on the way out; any but ACGT later breaks k-mers like N) or
 * '-', '.', '*'; anything else, spaces and tabs included, is an error
 * naming the byte and column.  FASTQ quality bytes must be '!'..'~'.  The format is that of the first non-blank byte
 * of the source ('@' or '>'), unless set in fx->fmt before the first call.
 *
 * Splitting: a reader that starts inside a source calls dy_fx_sync once (with
 * fx->fmt set), and a reader that must stop sets fx->limit.  Rule: a reader
 * starting at offset B skips the line holding B and goes to the first record
 * start after it (FASTA: a line starting '>'; FASTQ: a line starting '@'
 * whose next-but-one line starts '+'); a reader with limit L returns the
 * records starting at or before L.  So readers whose ranges meet at B read
 * every record exactly once.  A FASTQ reader that stops at L also checks that
 * the record after L is well-formed enough that a reader starting at L syncs
 * to it, so bad input is reported whatever the split.
 */
#ifndef DY_FASTX_H
#define DY_FASTX_H

#include <stdint.h>
#include <stddef.h>
#include "dactyl.h"

/* Read up to len bytes into buf. Returns the count (> 0), 0 at the end of the
 * source, or a DY_E* code (< -1); the source keeps its own message. */
typedef int64_t (*dy_fx_read_f)(void *src, void *buf, size_t len);

/* Growable byte buffer; dy_fx_next appends to it. */
typedef struct {
	size_t l, m;
	char *s;
} dy_fxbuf_t;

typedef struct {
	dy_fx_read_f read;
	void *src;
	char *buf;           /* buffered bytes: buf[beg..end) not yet consumed */
	size_t beg, end, m;
	int64_t pos;         /* source offset of buf[0] */
	int is_eof;          /* the source returned 0 */
	int fmt;             /* '@' FASTQ, '>' FASTA, 0 = detect */
	int64_t limit;       /* records starting after this offset are not returned */
	uint64_t n_rec;      /* records returned so far */
	int64_t rec_pos;     /* offset of the current (or failing) record */
	int want_name;       /* 1: keep each record's name (its header up to the first blank) */
	size_t name_l;       /* ... in name[0..name_l), cut at 255 bytes */
	char name[256];
	char msg[256];       /* reason of the last error, "" for a source error */
} dy_fx_t;

/* Start reading src; pos0 is the source offset of its first byte (offsets in
 * rec_pos and limit use the same origin).  Never fails (buffers come later). */
void dy_fx_init(dy_fx_t *fx, dy_fx_read_f read, void *src, int64_t pos0);
void dy_fx_free(dy_fx_t *fx);

/* Look at the first non-blank byte without consuming it. Returns '@' or '>',
 * DY_EOF when the source is empty or blank, DY_EFORMAT, or a source error. */
int dy_fx_sniff(dy_fx_t *fx) DY_RESULT_USED;

/* Skip the (partial) line at the current position, then go to the first
 * record start (fx->fmt must be set). DY_OK, DY_EOF (no record left) or < -1. */
int dy_fx_sync(dy_fx_t *fx) DY_RESULT_USED;

/* Append the next record's sequence (upper-cased) to seq. Returns DY_OK,
 * DY_EOF (no more records, or the next starts after fx->limit), DY_EFORMAT,
 * DY_ELIMIT (a line or sequence too long), DY_ENOMEM, or a source error; on
 * error fx->rec_pos is the failing record's offset and fx->msg the reason. */
int dy_fx_next(dy_fx_t *fx, dy_fxbuf_t *seq) DY_RESULT_USED;

#endif
