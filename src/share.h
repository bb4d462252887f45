/* share.h -- each round's reads shared out over the ranks before cutting
 * (share.c). */
#ifndef DY_SHARE_H
#define DY_SHARE_H

#include <mpi.h>
#include "reads.h"

typedef struct dy_share_s dy_share_t;

/* What sharing did on this rank so far. */
typedef struct {
	uint64_t rounds_moved;         /* rounds in which any rank handed reads over (same on every rank) */
	uint64_t reads_out, bases_out; /* handed to other ranks */
	uint64_t reads_in, bases_in;   /* taken from other ranks */
} dy_share_stats_t;

dy_share_t *dy_share_init(MPI_Comm comm);
void dy_share_destroy(dy_share_t *s);

/* Collective, once a round on every rank.  b is this rank's batch of the
 * round (have = 0: none, b is emptied); on return it holds this rank's fair
 * part of all the ranks' batches: its own reads up to its part, then reads
 * handed over by the ranks above theirs, by source rank.  A pair moves
 * whole.  The result depends only on the batches and the rank count.
 * DY_OK; DY_ENOMEM or DY_ELIMIT (this rank could not take part: nothing
 * moved, b holds its own reads) or DY_EPEER (another rank could not);
 * DY_EMPI. */
int dy_share_round(dy_share_t *s, dy_batch_t *b, int have);

void dy_share_stats(const dy_share_t *s, dy_share_stats_t *st);

#endif
