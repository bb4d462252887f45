/* share.c -- each round's reads shared out over the ranks before cutting.
 *
 * A plain gzip file has no entry point but its start, so one rank reads it
 * whole (so do SAM files and pairs holding one): at -np 4 on two such files
 * two ranks would read nothing and cut nothing, and the two readers would
 * cut everything.  Each round, once every rank has taken its batch, ranks
 * holding more bases than their fair part hand the rest, raw, to the ranks
 * holding fewer, and every rank cuts about the same number of bases.  What
 * stays with the reader is inflating and parsing (one thread a stream,
 * ISA-L's inflater where installed: the cheap part).
 *
 * The plan needs one Allgather of (bases, reads) per rank and nothing else:
 * every rank computes it alike.  Of the round's T bases, rank j's fair part
 * is floor((j+1)T/P) - floor(jT/P).  Each rank keeps its reads up to its
 * part; the reads past it, laid end to end over the ranks in rank order,
 * fill the ranks short of their part, in rank order.  A read goes by the
 * position of its first base, a pair by its first mate's.  A rank's
 * received reads follow its kept ones, by source rank, so the batches
 * depend on the inputs and the rank count only.  A round within 1/8 of the
 * mean (the byte-range shares of plain and BGZF files) moves nothing.
 *
 * On the wire a read is 4 bytes of length (little-endian), 1 of mate, then
 * its bases as read. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "share.h"

#define REC_HDR 5

struct dy_share_s {
	MPI_Comm comm;
	int P, rank;
	uint64_t *all;      /* 3P: bases, reads, bytes on the wire of each rank's batch */
	int *scnt, *sdsp, *rcnt, *rdsp;
	dy_buf_t sbuf, rbuf;
	dy_share_stats_t st;
};

dy_share_t *dy_share_init(MPI_Comm comm)
{
	dy_share_t *s = calloc(1, sizeof *s);
	if (s == NULL) return NULL;
	s->comm = comm;
	MPI_Comm_size(comm, &s->P), MPI_Comm_rank(comm, &s->rank);
	s->all = calloc(3 * (size_t)s->P, sizeof *s->all);
	s->scnt = calloc(4 * (size_t)s->P, sizeof(int));
	if (s->all == NULL || s->scnt == NULL) { dy_share_destroy(s); return NULL; }
	s->sdsp = s->scnt + s->P, s->rcnt = s->sdsp + s->P, s->rdsp = s->rcnt + s->P;
	return s;
}

void dy_share_destroy(dy_share_t *s)
{
	if (s == NULL) return;
	dy_buf_free(&s->sbuf), dy_buf_free(&s->rbuf);
	free(s->all), free(s->scnt), free(s);
}

void dy_share_stats(const dy_share_t *s, dy_share_stats_t *st)
{
	if (s) *st = s->st;
	else memset(st, 0, sizeof *st);
}

/* Reads in the unit starting at read i: a pair (mate 1 then 2) moves whole. */
static size_t unit_len(const dy_batch_t *b, size_t i)
{
	return b->mate && b->mate[i] == 1 && i + 1 < b->n && b->mate[i + 1] == 2 ? 2 : 1;
}

/* Append one read to b. */
static int append(dy_batch_t *b, size_t *end, const uint8_t *seq, uint32_t len, unsigned mate)
{
	if (b->n == b->m && dy_batch_grow(b) < 0) return DY_ENOMEM;
	if (*end + len > b->m_bases) {
		size_t m = 2 * (*end + len) + 64;
		char *p = realloc(b->seq, m);
		if (p == NULL) return DY_ENOMEM;
		b->seq = p, b->m_bases = m;
	}
	memcpy(b->seq + *end, seq, len);
	b->off[b->n] = *end, b->len[b->n] = len, b->mate[b->n++] = (uint8_t)mate;
	*end += len, b->n_bases += len;
	return DY_OK;
}

int dy_share_round(dy_share_t *s, dy_batch_t *b, int have)
{
	const int P = s->P, me = s->rank;
	uint64_t mine[3] = { 0, 0, 0 }, T = 0, mx = 0, mn = UINT64_MAX, pos = 0, u_me = 0, fair_me = 0, dstart = 0;
	size_t i, i0, tot = 0, rtot = 0;
	int st = DY_OK, rst = DY_OK, all_st, j;
	if (!have) b->n = 0, b->n_bases = 0;
	for (i = 0; i < b->n; ++i) mine[0] += b->len[i];
	mine[1] = b->n, mine[2] = mine[0] + REC_HDR * mine[1];
	if (P == 1) return DY_OK;
	if (MPI_Allgather(mine, 3, MPI_UINT64_T, s->all, 3, MPI_UINT64_T, s->comm) != MPI_SUCCESS) return DY_EMPI;
	for (j = 0; j < P; ++j) {
		uint64_t n = s->all[3 * j];
		T += n, mx = n > mx ? n : mx, mn = n < mn ? n : mn;
		/* a batch that could not travel in one Alltoallv: nobody moves
		 * (every rank sees it alike) */
		if (s->all[3 * j + 2] > INT_MAX / 2) return DY_OK;
	}
	if (T == 0 || (mx - mn) * 8 * (uint64_t)P <= T) return DY_OK;
	/* my fair part, and where my surplus starts in the ranks' surpluses end to end */
#define FAIR_END(q) ((uint64_t)(((unsigned __int128)T * (uint64_t)((q) + 1)) / (uint64_t)P))
	for (j = 0; j <= me; ++j) {
		uint64_t fair = FAIR_END(j) - (j ? FAIR_END(j - 1) : 0), n = s->all[3 * j];
		if (j < me) u_me += n > fair ? n - fair : 0;
		else fair_me = fair;
	}
	/* my reads from the first one past my fair part go out; the
	 * destinations come in rank order, so each one's bytes are contiguous */
	memset(s->scnt, 0, (size_t)P * sizeof(int));
	for (i = 0; i < b->n; i += unit_len(b, i)) {
		if (pos >= fair_me) break;
		pos += b->len[i] + (unit_len(b, i) == 2 ? b->len[i + 1] : 0);
	}
	i0 = i;
	s->sbuf.n = 0;
	if (i0 < b->n && dy_buf_reserve(&s->sbuf, mine[2]) < 0) st = DY_ENOMEM;
	for (j = 0; st == DY_OK && i < b->n; i += unit_len(b, i)) {
		/* surplus position u: in the deficit of the first rank j whose
		 * deficits, end to end, reach past it */
		uint64_t u = u_me + (pos - fair_me);
		size_t r, nr = unit_len(b, i);
		for (;;) {
			uint64_t fair = FAIR_END(j) - (j ? FAIR_END(j - 1) : 0), n = s->all[3 * j];
			uint64_t def = n < fair ? fair - n : 0;
			if (u < dstart + def || j == P - 1) break;
			dstart += def, ++j;
		}
		for (r = 0; r < nr; ++r) {
			uint32_t len = b->len[i + r];
			uint8_t h[REC_HDR];
			h[0] = (uint8_t)len, h[1] = (uint8_t)(len >> 8), h[2] = (uint8_t)(len >> 16), h[3] = (uint8_t)(len >> 24);
			h[4] = b->mate ? b->mate[i + r] : 0;
			memcpy(s->sbuf.a + s->sbuf.n, h, REC_HDR), s->sbuf.n += REC_HDR;
			memcpy(s->sbuf.a + s->sbuf.n, b->seq + b->off[i + r], len), s->sbuf.n += len;
			s->scnt[j] += REC_HDR + (int)len;
			pos += len;
			s->st.reads_out++, s->st.bases_out += len;
		}
	}
#undef FAIR_END
	if (st != DY_OK) memset(s->scnt, 0, (size_t)P * sizeof(int));
	for (j = 0; j < P; ++j) s->sdsp[j] = (int)tot, tot += (size_t)s->scnt[j];
	if (MPI_Alltoall(s->scnt, 1, MPI_INT, s->rcnt, 1, MPI_INT, s->comm) != MPI_SUCCESS) return DY_EMPI;
	for (j = 0; j < P; ++j) {
		if (rtot + (size_t)s->rcnt[j] > INT_MAX) { rst = DY_ELIMIT; break; }
		s->rdsp[j] = (int)rtot, rtot += (size_t)s->rcnt[j];
	}
	s->rbuf.n = 0;
	if (rst == DY_OK && dy_buf_reserve(&s->rbuf, rtot + 1) < 0) rst = DY_ENOMEM;
	if (st == DY_OK) st = rst;
	/* nobody moves a byte unless every rank can take its part */
	if (MPI_Allreduce(&st, &all_st, 1, MPI_INT, MPI_MIN, s->comm) != MPI_SUCCESS) return DY_EMPI;
	if (all_st < 0) {
		s->st.reads_out = 0, s->st.bases_out = 0;   /* nothing went: the run stops here anyway */
		return st < 0 ? st : DY_EPEER;
	}
	if (MPI_Alltoallv(s->sbuf.a, s->scnt, s->sdsp, MPI_BYTE, s->rbuf.a, s->rcnt, s->rdsp, MPI_BYTE,
	                  s->comm) != MPI_SUCCESS)
		return DY_EMPI;
	++s->st.rounds_moved;
	{	/* keep reads [0, i0), then append what came, by source rank */
		size_t end = 0, off = 0;
		b->n = i0, b->n_bases = 0;
		for (i = 0; i < i0; ++i) {
			b->n_bases += b->len[i];
			if (b->off[i] + b->len[i] > end) end = b->off[i] + b->len[i];
		}
		while (off + REC_HDR <= rtot) {
			const uint8_t *h = s->rbuf.a + off;
			uint32_t len = h[0] | (uint32_t)h[1] << 8 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 24;
			if ((st = append(b, &end, h + REC_HDR, len, h[4])) < 0) return st;
			off += REC_HDR + len;
			s->st.reads_in++, s->st.bases_in += len;
		}
	}
	return DY_OK;
}
