/* phase_merge.c -- fragments to rank 0, glued there into contigs.
 *
 * Point-to-point in chunks of at most 1 GiB, so neither int counts nor a
 * rank's share limit the size; rank 0 places each rank's bytes in rank
 * order (the merge result does not depend on that order anyway). */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"

#define CHUNK ((size_t)1 << 30)

static int gather(const dy_ctx_t *c, dy_buf_t *frags, dy_buf_t *all, dy_err_t *err)
{
	uint64_t mine = frags->n, *sz = NULL, tot = 0;
	size_t off, len, chunk = dy_test_mpi_chunk(CHUNK);
	int r, st = DY_OK;
	if (c->rank == 0 && (sz = calloc(c->n_ranks, sizeof *sz)) == NULL) st = DY_ENOMEM;
	st = dy_status_sync(c, st, err, "gather");
	if (st < 0) goto out;
	MPI_Gather(&mine, 1, MPI_UINT64_T, sz, 1, MPI_UINT64_T, 0, c->comm);
	if (c->rank == 0) {
		for (r = 0; r < c->n_ranks; ++r) tot += sz[r];
		if (dy_buf_reserve(all, tot + 1) < 0)
			st = DY_ENOMEM, dy_err_set(err, "", "rank 0 cannot hold %.1f MiB of fragments", tot / 1048576.0);
	}
	st = dy_status_sync(c, st, err, "gather");
	if (st < 0) goto out;
	if (c->rank == 0) {
		memcpy(all->a, frags->a, frags->n), all->n = frags->n;
		for (r = 1; r < c->n_ranks; ++r)
			for (off = 0; off < sz[r]; off += len) {
				len = sz[r] - off < chunk ? sz[r] - off : chunk;
				MPI_Recv(all->a + all->n, (int)len, MPI_BYTE, r, 7, c->comm, MPI_STATUS_IGNORE);
				all->n += len;
			}
	} else {
		for (off = 0; off < mine; off += len) {
			len = mine - off < chunk ? mine - off : chunk;
			MPI_Send(frags->a + off, (int)len, MPI_BYTE, 0, 7, c->comm);
		}
	}
out:
	free(sz);
	return st;
}

int dy_phase_merge(const dy_opt_t *o, const dy_ctx_t *c, dy_buf_t *frags, dy_run_t *run)
{
	dy_buf_t all = { 0, 0, NULL };
	dy_err_t err;
	double t0;
	int st;
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, "gather");
	st = gather(c, frags, &all, &err);
	dy_buf_free(frags);  /* rank 0 holds a copy; others are done with theirs */
	dy_phase_end(c, run);
	if (st < 0) goto out;
	dy_phase_begin(run, "merge");
	t0 = dy_realtime();
	if (c->rank == 0) {
		st = dy_merge_run(all.a, all.n, o->kmer.k, c->n_threads, &run->contigs);
		if (st < 0) dy_err_set(&err, "", "merging fragments failed (%s)", dy_strerror(st));
		else dy_log(DY_LOG_INFO, "merge", "%llu fragments, %llu ends glued, %zu contigs",
		                 (unsigned long long)run->contigs.n_frag_in,
		                 (unsigned long long)run->contigs.n_glued, run->contigs.n);
		run->t_rank0_alone += dy_realtime() - t0;
	}
	dy_buf_free(&all);
	st = dy_status_sync(c, st, &err, "merge");
	dy_phase_end(c, run);
out:
	dy_buf_free(&all);
	return st;
}
