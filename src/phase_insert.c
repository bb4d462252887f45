/* phase_insert.c -- the insert-size distribution of each paired library,
 * from where its pairs fall on the contigs (kernels/isize.c).
 *
 * Rank 0 holds the contigs; it indexes a sample of their unique k-mers and
 * reads the first DY_ISIZE_PAIRS pairs of each paired or interleaved
 * library itself, as one rank would (the same pairs for any number of
 * ranks, so the figures are too).  A mate is placed by its sampled k-mers;
 * a pair counts where both mates fall on one contig, so inserts longer
 * than the contigs are missed: the placed fraction says how much of the
 * sample that leaves.  Nothing here changes the contigs. */
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "reads.h"

#define ISIZE_MAX_COV 4.0   /* contigs above 4x the median coverage (repeats, adapters) are not used */
#define ISIZE_SHIFT 4   /* index 1 in 16 of the contigs' k-mers: ~7 hits per 150 bp read at k = 31 */

/* The first n_pairs pairs of library i, read as one rank alone reads them. */
static int one_library(const dy_opt_t *o, const dy_run_t *run, int i, const dy_cix_t *ix,
                       int n_ranks, int n_threads, dy_isize_t *out, dy_err_t *err)
{
	const int two = o->io.role[i] == DY_IN_MATE1, nf = two ? 2 : 1;
	dy_io_opt_t io = o->io;
	uint64_t recs[2] = { 0, 0 };
	int64_t *ins[3] = { NULL, NULL, NULL };
	size_t n_ins[3] = { 0, 0, 0 }, cap = 0;
	int *pori = NULL;      /* per pair of a batch: its orientation (-1: not on one contig) and insert */
	int64_t *pins = NULL;
	dy_reader_t *rd = NULL;
	dy_batch_t b;
	int st, f, r, best = -1;
	double t_place = 0;
	memset(&b, 0, sizeof b);
	memset(out, 0, sizeof *out);
	out->main_ori = -1;
	/* a single rank's share is the whole file: the records of every share */
	for (f = 0; f < nf && run->share_recs; ++f)
		for (r = 0; r < n_ranks; ++r) recs[f] += run->share_recs[(size_t)r * (size_t)o->io.n_in + (size_t)(i + f)];
	io.n_in = nf, io.in = o->io.in + i, io.role = o->io.role + i, io.share_recs = recs;
	for (f = 0; f < 3; ++f)
		if ((ins[f] = (int64_t *)malloc(DY_ISIZE_PAIRS * sizeof *ins[f])) == NULL) { st = DY_ENOMEM; goto nomem; }
	if ((st = dy_reads_open(&io, 0, 1, &rd, err)) < 0) goto end;
	while (out->pairs < DY_ISIZE_PAIRS && (st = dy_reads_next(rd, (size_t)1 << 20, &b, err)) == DY_OK) {
		long np = (long)(b.n / 2), j;   /* mates are consecutive */
		double tq = dy_realtime();
		if (np > (long)(DY_ISIZE_PAIRS - out->pairs)) np = (long)(DY_ISIZE_PAIRS - out->pairs);
		if ((size_t)np > cap) {
			int *po = (int *)realloc(pori, (size_t)np * sizeof *pori);
			int64_t *pv = po ? (int64_t *)realloc(pins, (size_t)np * sizeof *pins) : NULL;
			if (po) pori = po;
			if (pv == NULL) { st = DY_ENOMEM; goto nomem; }
			pins = pv, cap = (size_t)np;
		}
#pragma omp parallel for num_threads(n_threads) schedule(dynamic, 256)
		for (j = 0; j < np; ++j) {
			dy_place_t p1, p2;
			size_t a = 2 * (size_t)j;
			pori[j] = -1;
			if (dy_cix_place(ix, b.seq + b.off[a], b.len[a], &p1) &&
			    dy_cix_place(ix, b.seq + b.off[a + 1], b.len[a + 1], &p2))
				pori[j] = dy_isize_pair(&p1, b.len[a], &p2, b.len[a + 1], &pins[j]);
		}
		for (j = 0; j < np; ++j) {   /* in read order: the figures do not depend on the threads */
			int ori = pori[j];
			if (ori < 0) continue;
			++out->placed, ++out->ori[ori];
			if (ori != DY_ORI_FF) ins[ori][n_ins[ori]++] = pins[j];
		}
		out->pairs += (uint64_t)np;
		t_place += dy_realtime() - tq;
	}
	if (st == DY_EOF || st == DY_OK) st = DY_OK;
	else goto end;
	dy_log(DY_LOG_DEBUG, "insert", "%s: %llu pairs placed in %.3f s", o->io.in[i], (unsigned long long)out->pairs, t_place);
	for (f = 0; f < 3; ++f)
		if (out->ori[f] && (best < 0 || out->ori[f] > out->ori[best])) best = f;
	out->main_ori = best;
	if (best >= 0 && best != DY_ORI_FF) dy_isize_summary(ins[best], n_ins[best], &out->d);
	goto end;
nomem:
	dy_err_set(err, "", "out of memory for the insert sizes");
end:
	for (f = 0; f < 3; ++f) free(ins[f]);
	free(pori), free(pins);
	dy_batch_free(&b);
	dy_reads_close(rd);
	return st;
}

int dy_phase_insert(const dy_opt_t *o, const dy_ctx_t *c, dy_run_t *run)
{
	dy_err_t err;
	dy_cix_t ix;
	int st = DY_OK, i;
	double t0;
	if (!dy_reads_need_counts(&o->io)) return DY_OK;   /* no paired library */
	memset(&err, 0, sizeof err);
	memset(&ix, 0, sizeof ix);
	dy_phase_begin(run, "insert");
	t0 = dy_realtime();
	if (c->rank == 0) {
		free(run->isize);
		if ((run->isize = (dy_isize_t *)calloc((size_t)o->io.n_in, sizeof *run->isize)) == NULL ||
		    dy_cix_build(&run->contigs, o->kmer.k, ISIZE_SHIFT, ISIZE_MAX_COV, c->n_threads, &ix) < 0) {
			st = DY_ENOMEM;
			dy_err_set(&err, "", "out of memory indexing the contigs for the insert sizes");
		}
		if (st == DY_OK)
			dy_log(DY_LOG_DEBUG, "insert", "%zu unique sampled %d-mers of the contigs indexed in %.3f s",
			       ix.n, ix.k, dy_realtime() - t0);
		for (i = 0; st == DY_OK && i < o->io.n_in; ++i) {
			dy_isize_t *s = &run->isize[i];
			if (o->io.role[i] != DY_IN_MATE1 && o->io.role[i] != DY_IN_INTER) continue;
			if ((st = one_library(o, run, i, &ix, c->n_ranks, c->n_threads, s, &err)) < 0) break;
			s->library = 1;
			if (s->main_ori == DY_ORI_FR || s->main_ori == DY_ORI_RF)
				dy_log(DY_LOG_INFO, "insert", "%s%s%s: %llu of the first %llu pairs on one contig (%llu FR, "
				       "%llu RF, %llu FF); %s inserts: median %lld, %.1f +- %.1f, 5-95%% %lld-%lld",
				       o->io.in[i], o->io.role[i] == DY_IN_MATE1 ? " + " : "",
				       o->io.role[i] == DY_IN_MATE1 ? o->io.in[i + 1] : "",
				       (unsigned long long)s->placed, (unsigned long long)s->pairs,
				       (unsigned long long)s->ori[0], (unsigned long long)s->ori[1], (unsigned long long)s->ori[2],
				       dy_isize_ori_name(s->main_ori), (long long)s->d.p50, s->d.mean, s->d.sd,
				       (long long)s->d.p5, (long long)s->d.p95);
			else
				dy_log(DY_LOG_INFO, "insert", "%s%s%s: no insert size: %llu of the first %llu pairs on one "
				       "contig facing each other", o->io.in[i], o->io.role[i] == DY_IN_MATE1 ? " + " : "",
				       o->io.role[i] == DY_IN_MATE1 ? o->io.in[i + 1] : "",
				       (unsigned long long)(s->ori[0] + s->ori[1]), (unsigned long long)s->pairs);
		}
		dy_cix_free(&ix);
		run->t_rank0_alone += dy_realtime() - t0;
	}
	st = dy_status_sync(c, st, &err, "insert");
	dy_phase_end(c, run);
	return st;
}
