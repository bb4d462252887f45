/* split.h -- which rank reads which bytes of which input file.
 *
 * Every rank computes the same plan from the file sizes and from which files
 * are splittable, without messages:
 *   1. files that cannot be split (plain gzip: a stream has no entry point
 *      but its start) are dealt whole, largest first (ties: lower index) to
 *      the least-loaded rank (ties: lowest rank);
 *   2. the splittable files (plain, BGZF), laid end to end in input order,
 *      form one byte space that is cut into consecutive ranges, one per rank
 *      in rank order, sized so that every rank's load (bytes on disk) comes
 *      as close to equal as the whole files allow (water filling).
 * A range [beg, end) of a file is turned into records by the rule in fastx.h:
 * ranges of neighbouring ranks meet at the same offsets, so every record is
 * read exactly once.  Ranks may get no part at all.
 */
#ifndef DY_SPLIT_H
#define DY_SPLIT_H

#include <stdint.h>

typedef struct {
	int file;            /* index into the input files */
	int64_t beg, end;    /* byte range on disk; beg == 0: from the start, end == size: to the end */
} dy_part_t;

/* This rank's parts, in file order then offset order, into *parts (malloc'd,
 * caller frees; NULL when there are none). Returns DY_OK or DY_ENOMEM. */
int dy_split_plan(int n_files, const int64_t *size, const int *whole,
                  int rank, int n_ranks, dy_part_t **parts, int *n_parts);

#endif
