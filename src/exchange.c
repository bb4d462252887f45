/* exchange.c -- super-k-mers to their owners, in bounded all-to-all rounds.
 *
 * Each destination gets at most cap = round_bytes / n_ranks bytes of whole
 * records per round (a single record larger than cap travels alone), so a
 * rank's send and receive buffers stay near round_bytes whatever the input
 * size.  No per-k-mer messages: one MPI_Alltoall of counts and one
 * MPI_Alltoallv of bytes per round. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"

struct dy_xchg_s {
	MPI_Comm comm;
	int P;
	size_t cap;            /* bytes per destination per round */
	dy_buf_t *pend;        /* pending records per destination */
	size_t *done;          /* bytes of pend[d] already sent */
	int *scnt, *sdsp, *rcnt, *rdsp;
	dy_buf_t sbuf, rbuf;
	size_t fail_bytes;     /* the allocation that failed, for the message */
};

dy_xchg_t *dy_xchg_init(MPI_Comm comm, size_t round_bytes)
{
	dy_xchg_t *x = calloc(1, sizeof *x);
	if (x == NULL) return NULL;
	x->comm = comm;
	MPI_Comm_size(comm, &x->P);
	x->cap = round_bytes / (size_t)x->P;
	if (x->cap < 4096) x->cap = 4096;
	if (x->cap > INT_MAX / 2) x->cap = INT_MAX / 2;
	if (x->cap > dy_test_mpi_chunk(x->cap) / (size_t)x->P) x->cap = dy_test_mpi_chunk(x->cap) / (size_t)x->P;
	if (x->cap < 64) x->cap = 64;   /* a record larger than cap still travels alone */
	x->pend = calloc(x->P, sizeof *x->pend);
	x->done = calloc(x->P, sizeof *x->done);
	x->scnt = calloc(4 * (size_t)x->P, sizeof(int));
	if (!x->pend || !x->done || !x->scnt) { dy_xchg_destroy(x); return NULL; }
	x->sdsp = x->scnt + x->P, x->rcnt = x->sdsp + x->P, x->rdsp = x->rcnt + x->P;
	return x;
}

void dy_xchg_destroy(dy_xchg_t *x)
{
	int d;
	if (x == NULL) return;
	if (x->pend)
		for (d = 0; d < x->P; ++d) dy_buf_free(&x->pend[d]);
	dy_buf_free(&x->sbuf), dy_buf_free(&x->rbuf);
	free(x->pend), free(x->done), free(x->scnt), free(x);
}

size_t dy_xchg_fail_bytes(const dy_xchg_t *x) { return x->fail_bytes; }

dy_buf_t *dy_xchg_pending(dy_xchg_t *x, int d) { return &x->pend[d]; }

int dy_xchg_empty(const dy_xchg_t *x)
{
	int d;
	for (d = 0; d < x->P; ++d)
		if (x->done[d] < x->pend[d].n) return 0;
	return 1;
}

/* Bytes of whole super-k-mer records from p[0..n) that fit in cap (at least one). */
static size_t take_records(const uint8_t *p, size_t n, size_t cap)
{
	size_t off = 0;
	while (off + DY_SKM_HDR <= n) {
		uint32_t nb;
		size_t sz;
		memcpy(&nb, p + off, 4);
		sz = dy_skm_size(nb);
		if (off > 0 && off + sz > cap) break;
		off += sz;
	}
	return off < n ? off : n;
}

/* A local failure (too big, no memory) still takes part in the collectives,
 * sending nothing, so that no rank waits forever; the caller's status sync
 * then stops everyone. */
int dy_xchg_round(dy_xchg_t *x, const uint8_t **recv, size_t *recv_len, uint64_t *sent)
{
	size_t tot = 0, rtot = 0, len;
	int d, st = DY_OK, rst = DY_OK, all;
	if (x->P == 1) {
		/* one rank: the round is counted where it was cut, no copy (it
		 * stays valid until the next round appends, after the counting;
		 * memcpy of every record was ~4% of a -np 1 count) */
		if (x->done[0] == x->pend[0].n) { *recv = NULL, *recv_len = 0; return DY_OK; }
		len = take_records(x->pend[0].a + x->done[0], x->pend[0].n - x->done[0], x->cap);
		*recv = x->pend[0].a + x->done[0], *recv_len = len;
		x->done[0] += len;
		if (x->done[0] == x->pend[0].n) x->pend[0].n = x->done[0] = 0;   /* reused by the next round's cutting */
		if (sent) *sent += len;
		return DY_OK;
	}
	for (d = 0; d < x->P; ++d) {
		len = take_records(x->pend[d].a + x->done[d], x->pend[d].n - x->done[d], x->cap);
		if (len > INT_MAX || tot + len > INT_MAX) { st = DY_ELIMIT; len = 0; }
		x->scnt[d] = (int)len, x->sdsp[d] = (int)tot;
		tot += len;
	}
	x->sbuf.n = 0;
	if (st == DY_OK && dy_buf_reserve(&x->sbuf, tot + 1) < 0) st = DY_ENOMEM, x->fail_bytes = tot + 1;
	if (st != DY_OK) {
		memset(x->scnt, 0, x->P * sizeof(int)), memset(x->sdsp, 0, x->P * sizeof(int));
		tot = 0;
	}
	for (d = 0; d < x->P; ++d) {
		if (x->scnt[d]) memcpy(x->sbuf.a + x->sdsp[d], x->pend[d].a + x->done[d], x->scnt[d]);
		x->done[d] += x->scnt[d];
		if (x->done[d] == x->pend[d].n) x->pend[d].n = x->done[d] = 0; /* reuse the memory */
	}
	if (MPI_Alltoall(x->scnt, 1, MPI_INT, x->rcnt, 1, MPI_INT, x->comm) != MPI_SUCCESS)
		return DY_EMPI;
	for (d = 0; d < x->P; ++d) {
		if (rtot + (size_t)x->rcnt[d] > INT_MAX) { rst = DY_ELIMIT; break; }
		x->rdsp[d] = (int)rtot, rtot += x->rcnt[d];
	}
	x->rbuf.n = 0;
	if (rst == DY_OK && (dy_fault_nomem() || dy_buf_reserve(&x->rbuf, rtot + 1) < 0)) {
		rst = DY_ENOMEM;
		x->fail_bytes = rtot + 1;
	}
	/* every rank learns whether every receiver can take its round before
	 * any byte moves: a receiver that cannot (over 2 GiB, no memory) makes
	 * all ranks skip the round and return the error, nobody waits */
	if (MPI_Allreduce(&rst, &all, 1, MPI_INT, MPI_MIN, x->comm) != MPI_SUCCESS) return DY_EMPI;
	/* the ranks that failed say so; the others only follow (DY_EPEER), so
	 * the message comes from the rank that saw the failure */
	if (all < 0) return st < 0 ? st : rst < 0 ? rst : DY_EPEER;
	if (MPI_Alltoallv(x->sbuf.a, x->scnt, x->sdsp, MPI_BYTE, x->rbuf.a, x->rcnt, x->rdsp,
	                  MPI_BYTE, x->comm) != MPI_SUCCESS)
		return DY_EMPI;
	x->rbuf.n = rtot;
	*recv = x->rbuf.a, *recv_len = rtot;
	if (sent) *sent += tot;
	return st;
}

#define BIG_PIECE ((size_t)1 << 30)

void dy_bcast_big(void *buf, size_t bytes, MPI_Comm comm)
{
	size_t off, len;
	for (off = 0; off < bytes; off += len) {
		size_t piece = dy_test_mpi_chunk(BIG_PIECE);
		len = bytes - off < piece ? bytes - off : piece;
		MPI_Bcast((char *)buf + off, (int)len, MPI_BYTE, 0, comm);
	}
}

void dy_reduce_u32_big(uint32_t *buf, size_t n, MPI_Comm comm)
{
	int rank;
	size_t off, len;
	MPI_Comm_rank(comm, &rank);
	for (off = 0; off < n; off += len) {
		size_t piece = dy_test_mpi_chunk(BIG_PIECE) / 4 + 1;
		len = n - off < piece ? n - off : piece;
		MPI_Reduce(rank == 0 ? MPI_IN_PLACE : buf + off, rank == 0 ? buf + off : NULL, (int)len,
		           MPI_UINT32_T, MPI_SUM, 0, comm);
	}
}
