/* phase_count.c -- read this rank's share, cut super-k-mers, ship them to
 * their owners in bounded rounds, and count what arrives.
 *
 * Reading (inflate + parse) is one thread's work per file, so it runs ahead:
 * while the OpenMP team cuts, exchanges and counts batch i, a reader thread
 * fills batch i+1 (two batches in memory, kt_pipeline's double buffer).
 * The reader may run on any core of the rank's cpuset; MPI stays on the
 * main thread. */
#define _GNU_SOURCE
#include <omp.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include "dy_priv.h"
#include "reads.h"
#include "share.h"

typedef struct {
	const dy_opt_t *o;
	const dy_ctx_t *c;
	dy_reader_t *rd;
	dy_xchg_t *x;
	dy_buf_t *tbuf;        /* n_threads x n_ranks scratch: thread t, destination d at t*P+d */
	dy_batch_t b;          /* the batch being cut */
	int eof;
	/* read-ahead */
	pthread_t th;
	int running;           /* th is reading into `next` */
	dy_batch_t next;
	int next_st;
	dy_err_t next_err;
	cpu_set_t cpus;        /* the process cpuset, taken before pinning */
	const dy_rcache_t *from;   /* read from this cache (complete) instead of the files */
	dy_rcache_cursor_t cur;
	dy_rcache_t *fill;         /* or keep what this rank cuts here (may be NULL) */
	pthread_t cth;             /* keeping the batch being cut in fill */
	int caching;
	dy_share_t *sh;            /* the round's reads shared out over the ranks (NULL at -np 1) */
	uint64_t n_cut, n_cut_bases;   /* reads and bases this rank cut */
	double t_wait, t_share, t_scan, t_xchg, t_count;   /* where this rank's time went */
	/* progress: bytes of the share on disk, or bases of the cache */
	uint64_t next_done, done, total;
	size_t cache_seen;         /* the read cache's bytes at the last budget check */
	const dy_ht_t *h;          /* the table the batches are sized from */
	size_t want;               /* bases of the batch being read (batch_size) */
} count_t;

/* The bases of the next batch: a quarter of this rank's table as it
 * stands, within [--batch-mb / 32, --batch-mb].  A batch and what is cut
 * from it (records, their staging per thread, the exchange) cost about six
 * times its bases, so the buffers follow the rank's share of k-mers
 * instead of a fixed multiple of --batch-mb: `tiny` (a 9.2 MiB table)
 * peaked at 52 MiB with 32 MiB batches, 31.6 MiB so (13.7 MiB of it the
 * runtime before the first read).  The first batch is small (the table is
 * empty), so the team does not wait for a whole batch to be inflated and
 * parsed before its first cut.  The table's bytes after a round are the
 * same for any thread count, so the batches and the results are too. */
static size_t batch_size(const dy_opt_t *o, size_t table_bytes)
{
	size_t b = o->io.batch_bytes, lo = b >> 5, w = table_bytes / 4;
	if (lo < 4096) lo = b < 4096 ? b : 4096;
	return w < lo ? lo : w > b ? b : w;
}

static void *read_ahead(void *arg)
{
	count_t *s = (count_t *)arg;
	size_t want = s->want;
	sched_setaffinity(0, sizeof s->cpus, &s->cpus);   /* not thread 0's core */
	if (s->from) { /* the reads kept in memory by an earlier phase */
		s->next_st = dy_rcache_next(s->from, &s->cur, want, &s->next);
		if (s->next_st == DY_ENOMEM) dy_err_set(&s->next_err, "", "out of memory reading the cached reads");
		if (s->next_st == DY_OK) s->next_done += s->next.n_bases;
		return NULL;
	}
	s->next_st = dy_reads_next(s->rd, want, &s->next, &s->next_err);
	{
		dy_reads_stats_t st;
		dy_reads_stats(s->rd, &st);
		s->next_done = st.bytes_in;
	}
	return NULL;
}

static void start_read(count_t *s)
{
	s->want = batch_size(s->o, dy_ht_bytes(s->h));   /* here: the reader runs beside the counting */
	s->running = pthread_create(&s->th, NULL, read_ahead, s) == 0;
	if (!s->running) read_ahead(s);   /* no thread: read in place */
}

/* Wait for the batch being read, swap it in, and start reading the next. */
static int take_batch(count_t *s, dy_err_t *err)
{
	dy_batch_t t;
	int st;
	if (s->running) pthread_join(s->th, NULL), s->running = 0;
	st = s->next_st;
	s->done = st == DY_EOF ? s->total : s->next_done;
	if (st < DY_EOF) *err = s->next_err;
	t = s->b, s->b = s->next, s->next = t;
	if (st == DY_OK) start_read(s);
	return st;
}

/* The read cache keeps what this rank cuts (after sharing), beside the
 * cutting: its own thread, free to run on any core, as the reader. */
static void *cache_add(void *arg)
{
	count_t *s = (count_t *)arg;
	sched_setaffinity(0, sizeof s->cpus, &s->cpus);
	dy_rcache_add(s->fill, &s->b);
	return NULL;
}

static void cache_start(count_t *s)
{
	if (s->fill == NULL || s->b.n == 0) return;
	s->caching = pthread_create(&s->cth, NULL, cache_add, s) == 0;
	if (!s->caching) dy_rcache_add(s->fill, &s->b);   /* no thread: in place */
}

/* s->b stays untouched until then */
static void cache_join(count_t *s)
{
	if (s->caching) pthread_join(s->cth, NULL), s->caching = 0;
}

/* Cut one batch into super-k-mers, in parallel; per-thread buffers are then
 * appended to the pending buffers in thread order. */
static int scan_batch(count_t *s, dy_run_t *run)
{
	const int P = s->c->n_ranks, nt = s->c->n_threads;
	const dy_batch_t *b = &s->b;
	uint64_t nk = 0;
	int fail = DY_OK, d, t;
	long i;
#pragma omp parallel num_threads(nt) reduction(+:nk)
	{
		dy_buf_t *mine = s->tbuf + (size_t)omp_get_thread_num() * P;
#pragma omp for schedule(static)   /* same record order every run: same table layout */
		for (i = 0; i < (long)b->n; ++i) {
			int r = dy_skm_scan(&s->o->kmer, b->seq + b->off[i], b->len[i], P, mine, &nk);
			if (r < 0) {
#pragma omp atomic write
				fail = r;
			}
		}
	}
	run->n_kmer_occ += nk;
	for (d = 0; d < P; ++d)
		for (t = 0; t < nt; ++t) {
			dy_buf_t *src = &s->tbuf[(size_t)t * P + d];
			if (fail == DY_OK && src->n && dy_buf_push(dy_xchg_pending(s->x, d), src->a, src->n) < 0)
				fail = DY_ENOMEM;
			src->n = 0;
		}
	return fail;
}

/* Count one round's records.  Under a budget, a round whose k-mers could
 * all be new might grow the table past it before the check after the round
 * (one round of 18 MiB grew it by ~110 MiB at -m 300M on reads of unique
 * k-mers: 363 MiB peak); then the round is counted in pieces whose worst
 * case fits half the room left, the table checked after each, so a job the
 * budget cannot hold is refused before the table outgrows it. */
static int count_round(count_t *s, dy_ht_t *h, const uint8_t *recv, size_t rlen, dy_err_t *err)
{
	const dy_opt_t *o = s->o;
	size_t off = 0, t0 = dy_ht_bytes(h);
	int st = DY_OK;
	while (st == DY_OK && off < rlen) {
		size_t len = rlen - off;
		if (o->io.mem > 0 && !o->kmer.sample) {
			/* every base of a record starts at most one k-mer: 4 a byte */
			double room = o->io.mem - dy_mem_fixed(&o->io) - (double)s->cache_seen - (double)dy_ht_bytes(h);
			double per_byte = dy_mem_table(o->kmer.k, 4.0), fit = room / 2 / per_byte;
			if ((double)len > fit) {
				size_t want = fit > 65536 ? (size_t)fit : 65536, n = 0;
				while (off + n + DY_SKM_HDR <= rlen && (n == 0 || n < want)) {   /* whole records */
					const uint8_t *p = recv + off + n;
					n += dy_skm_size((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
				}
				/* a malformed tail goes whole to the counter, which refuses it */
				len = n == 0 || n > rlen - off ? rlen - off : n;
			}
		}
		st = dy_ht_count_skm(h, recv + off, len, s->c->n_threads);
		if (st < 0) {
			dy_err_set(err, "", "counting received k-mers failed (%s)", dy_strerror(st));
			break;
		}
		off += len;
		if (off < rlen) {   /* a piece of the round: the table against the budget */
			size_t t = dy_ht_bytes(h);
			st = dy_budget_count(o, s->c, t, (double)t0 + (double)(t - t0) * (double)rlen / (double)off,
			                     s->cache_seen, s->total ? (double)s->done / (double)s->total : 1, err);
		}
	}
	return st;
}

/* This rank's part of one round: maybe read and cut a batch, then exchange
 * and count. Returns the local status; *done is 1 when nothing is left. */
static int one_round(count_t *s, dy_ht_t *h, dy_run_t *run, dy_err_t *err, int *done)
{
	const uint8_t *recv = NULL;
	size_t rlen = 0;
	int st = DY_OK, rs, got = 0;
	double t = dy_realtime();
	if (!s->eof && dy_xchg_empty(s->x)) {
		st = take_batch(s, err);
		s->t_wait += dy_realtime() - t, t = dy_realtime();
		if (st == DY_EOF) s->eof = 1, st = DY_OK;
		else got = st == DY_OK;
	}
	if (s->sh) {   /* every rank, every round: the reads shared out (a rank that holds none may get some) */
		rs = dy_share_round(s->sh, &s->b, got);
		if (st == DY_OK && rs < 0) {
			st = rs;
			if (rs == DY_ENOMEM) dy_err_set(err, "", "out of memory taking reads handed over by other ranks");
			else if (rs == DY_ELIMIT) dy_err_set(err, "", "the reads handed over in one round exceed 2 GiB");
			else if (rs != DY_EPEER) dy_err_set(err, "", "sharing reads among the ranks failed (%s)", dy_strerror(rs));
		}
		got = st == DY_OK && s->b.n > 0;
		s->t_share += dy_realtime() - t, t = dy_realtime();
	}
	if (got) {
		size_t i;
		cache_start(s);
		s->n_cut += s->b.n;
		for (i = 0; i < s->b.n; ++i) s->n_cut_bases += s->b.len[i];
		st = scan_batch(s, run);
		if (st < 0) dy_err_set(err, "", "cannot cut reads into super-k-mers (%s)", dy_strerror(st));
		s->t_scan += dy_realtime() - t, t = dy_realtime();
	}
	rs = dy_xchg_round(s->x, &recv, &rlen, &run->bytes_sent);
	s->t_xchg += dy_realtime() - t, t = dy_realtime();
	if (st == DY_OK && rs < 0) {
		st = rs;
		if (rs == DY_ENOMEM)
			dy_err_set(err, "", "out of memory for an all-to-all round (%zu bytes); "
			           "a smaller --batch-mb makes smaller rounds", dy_xchg_fail_bytes(s->x));
		else if (rs == DY_ELIMIT)
			dy_err_set(err, "", "an all-to-all round exceeds the 2 GiB an MPI count can hold");
		else if (rs != DY_EPEER)
			dy_err_set(err, "", "all-to-all round failed (%s)", dy_strerror(rs));
	}
	if (st == DY_OK && rlen > 0) st = count_round(s, h, recv, rlen, err);
	cache_join(s);
	s->t_count += dy_realtime() - t;
	*done = s->eof && dy_xchg_empty(s->x);
	return st;
}

static void log_totals(const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run)
{
	uint64_t loc[5], tot[5];
	run->n_distinct = dy_ht_size(h);
	run->ht_bytes = dy_ht_bytes(h);
	loc[0] = run->n_records, loc[1] = run->n_bases, loc[2] = run->n_kmer_occ;
	loc[3] = run->n_distinct, loc[4] = run->ht_bytes;
	MPI_Allreduce(loc, tot, 5, MPI_UINT64_T, MPI_SUM, c->comm);
	if (c->rank == 0 && !run->sieve)
		dy_log(DY_LOG_INFO, "count", "%llu reads, %llu bases, %llu k-mers in %llu rounds; %llu distinct k-mers, "
		            "%.1f bytes per distinct k-mer (tables %.1f MiB over all ranks)",
		            (unsigned long long)tot[0], (unsigned long long)tot[1],
		            (unsigned long long)tot[2], (unsigned long long)run->n_rounds,
		            (unsigned long long)tot[3], tot[3] ? (double)tot[4] / tot[3] : 0.0,
		            tot[4] / 1048576.0);
	else if (c->rank == 0)
		dy_log(DY_LOG_INFO, "count", "%llu reads, %llu bases, %llu k-mers in %llu rounds (two passes); about "
		            "%.0f distinct k-mers, %llu of them in the tables, %.1f bytes each (tables %.1f MiB over all "
		            "ranks, %.2f bytes per distinct k-mer)", (unsigned long long)tot[0], (unsigned long long)tot[1],
		            (unsigned long long)tot[2], (unsigned long long)run->n_rounds, run->distinct_est,
		            (unsigned long long)tot[3], tot[3] ? (double)tot[4] / tot[3] : 0.0, tot[4] / 1048576.0,
		            run->distinct_est > 0 ? tot[4] / run->distinct_est : 0.0);
	run->n_distinct_global = tot[3];
}

/* The load: k-mer occurrences and distinct k-mers over the ranks, k-mers
 * over every partition of the job (heavy minimizers show there), and the
 * ranks that read nothing, with why (rank 0 logs; stats.json has them). */
static void log_balance(const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run)
{
	uint64_t loc[5], mx[5], sum[2], big = 0, big_occ = 0, n, shared[2] = { 0, 0 }, sh_loc[2];
	size_t p, cap, np = dy_ht_nparts(h);
	/* 1: cut nothing; 2: read nothing of its own (but was handed reads) */
	int idle = run->n_records == 0 ? 1 : run->n_read == 0 ? 2 : 0, *all = NULL, i, n_idle = 0, n_fed = 0;
	char list[256] = "", fed[256] = "";
	run->n_kmer_counted = 0;
	for (p = 0; p < np; ++p) {
		uint64_t o = dy_ht_part_occ(h, p);
		dy_ht_part_raw(h, p, &cap, &n);
		if (n > big) big = n;
		if (o > big_occ) big_occ = o;
		run->n_kmer_counted += o;
	}
	loc[0] = run->n_kmer_occ, loc[1] = run->n_distinct, loc[2] = big, loc[3] = run->n_kmer_counted, loc[4] = big_occ;
	MPI_Reduce(loc, mx, 5, MPI_UINT64_T, MPI_MAX, 0, c->comm);
	MPI_Reduce(loc, sum, 1, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	MPI_Reduce(loc + 3, sum + 1, 1, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	if (c->rank == 0) all = calloc((size_t)c->n_ranks, sizeof *all);
	MPI_Gather(&idle, 1, MPI_INT, all, 1, MPI_INT, 0, c->comm);
	sh_loc[0] = run->n_shared_in, sh_loc[1] = run->bases_shared_in;
	MPI_Reduce(sh_loc, shared, 2, MPI_UINT64_T, MPI_SUM, 0, c->comm);
	if (c->rank != 0) return;
	run->part_n = (uint64_t)np * (uint64_t)c->n_ranks, run->part_max = mx[2];
	run->part_max_occ = mx[4], run->n_kmer_counted_global = sum[1];
	if (c->n_ranks > 1 || np > 1) {
		/* cut: the k-mers a rank's reads hold (its cutting); counted: the
		 * occurrences of the k-mers it owns (its counting) */
		double occ_mean = (double)sum[0] / c->n_ranks, cnt_mean = (double)sum[1] / c->n_ranks;
		double d_mean = (double)run->n_distinct_global / c->n_ranks, pn = (double)run->part_n;
		dy_log(DY_LOG_INFO, "count", "load over %d rank(s): k-mers cut max/mean %.2f, counted max/mean %.2f, "
		       "distinct max/mean %.2f; over %llu partitions: the largest holds %llu distinct k-mers (%.2fx the "
		       "mean), the busiest %llu occurrences (%.2fx the mean)",
		       c->n_ranks, occ_mean > 0 ? mx[0] / occ_mean : 0, cnt_mean > 0 ? mx[3] / cnt_mean : 0,
		       d_mean > 0 ? mx[1] / d_mean : 0, (unsigned long long)run->part_n, (unsigned long long)mx[2],
		       run->n_distinct_global ? mx[2] * pn / (double)run->n_distinct_global : 0,
		       (unsigned long long)mx[4], sum[1] ? mx[4] * pn / (double)sum[1] : 0);
	}
	for (i = 0; all && i < c->n_ranks; ++i)
		if (all[i]) {
			char *l0 = all[i] == 1 ? list : fed;
			size_t l = strlen(l0);
			int first = all[i] == 1 ? n_idle++ == 0 : n_fed++ == 0;
			if (l + 16 < sizeof list) snprintf(l0 + l, sizeof list - l, "%s%d", first ? "" : ", ", i);
			else if (l + 5 < sizeof list && l0[l - 1] != '.') snprintf(l0 + l, sizeof list - l, ", ...");
		}
	if (n_fed > 0)
		dy_log(DY_LOG_INFO, "count", "%d of %d ranks read no input of their own (rank %s): %d input(s) are read "
		       "whole by one rank each (plain gzip, SAM, or a pair with one), and the readers handed %llu reads "
		       "(%.1f Mbases) over to be cut; bgzip (or BAM) lets every rank read as well", n_fed, c->n_ranks, fed,
		       run->n_whole_inputs, (unsigned long long)shared[0], shared[1] / 1e6);
	else if (shared[0] > 0)
		dy_log(DY_LOG_INFO, "count", "reads handed over to even out the cutting: %llu (%.1f Mbases) in %llu round(s)",
		       (unsigned long long)shared[0], shared[1] / 1e6, (unsigned long long)run->share_rounds);
	if (n_idle > 0)
		dy_log(DY_LOG_WARN, "count", "%d of %d ranks cut no reads (rank %s): the inputs are too small to give "
		       "every rank a share", n_idle, c->n_ranks, list);
	free(all);
}

/* One pass over this rank's reads: cut, exchange and count every round.
 * again = 1: the sieve's second pass, over the same reads (from the cache
 * the first one filled, or the files again), filling nothing. */
static int count_pass(const dy_opt_t *o, const dy_ctx_t *c, dy_ht_t *h, dy_run_t *run, int again)
{
	count_t s;
	dy_err_t err;
	dy_reads_stats_t rst;
	dy_prog_t prog;
	int st = DY_OK, done = 0, all_done = 0;
	memset(&s, 0, sizeof s), memset(&err, 0, sizeof err);
	s.o = o, s.c = c, s.h = h;
	CPU_ZERO(&s.cpus);
	memcpy(&s.cpus, &c->cpus, sizeof s.cpus);
	if (dy_rcache_complete(run->rc)) s.from = run->rc;
	else if (run->rc && !again) s.fill = run->rc;
	dy_rcache_rewind(&s.cur);
	if (st == DY_OK) st = s.from ? DY_OK : dy_reads_open(&o->io, c->rank, c->n_ranks, &s.rd, &err);
	if (st == DY_OK) {
		s.x = dy_xchg_init(c->comm, o->io.round_bytes);
		s.tbuf = calloc((size_t)c->n_threads * c->n_ranks, sizeof(dy_buf_t));
		if (c->n_ranks > 1) s.sh = dy_share_init(c->comm);
		if (s.x == NULL || s.tbuf == NULL || (c->n_ranks > 1 && s.sh == NULL))
			st = DY_ENOMEM, dy_err_set(&err, "", "out of memory");
	}
	if (st == DY_OK) {
		if (s.from) {
			uint64_t rec;
			size_t bytes;
			dy_rcache_stats(s.from, &rec, &s.total, &bytes);
		} else {
			dy_reads_stats_t rs;
			dy_reads_stats(s.rd, &rs);
			s.total = rs.bytes_share;
		}
		start_read(&s);
	}
	st = dy_status_sync(c, st, &err, "reads");
	dy_prog_begin(&prog, o, c, run->ph[run->n_ph].name, s.from ? "bases" : "B",
	              s.from ? "read from memory" : "of input read");
	while (st == DY_OK && !all_done) {
		/* the one collective of a round: who is done, and how far all have read */
		uint64_t mine[3], all[3];
		st = one_round(&s, h, run, &err, &done);
		if (st == DY_OK && !o->kmer.sample && o->io.mem > 0) {   /* the table against the budget */
			uint64_t rec = 0, bas = 0;
			size_t cache = 0;
			if (s.fill) dy_rcache_stats(s.fill, &rec, &bas, &cache);
			s.cache_seen = cache;
			st = dy_budget_count(o, c, dy_ht_bytes(h), 0, cache, s.total ? (double)s.done / (double)s.total : 1, &err);
		}
		st = dy_status_sync(c, st, &err, "count");
		mine[0] = !done, mine[1] = s.done, mine[2] = s.total;
		MPI_Allreduce(mine, all, 3, MPI_UINT64_T, MPI_SUM, c->comm);
		all_done = all[0] == 0;
		++run->n_rounds;
		dy_prog_update(&prog, all[1], all[2]);
	}
	dy_prog_end(&prog);
	if (s.running) pthread_join(s.th, NULL);   /* an error elsewhere stopped us early */
	cache_join(&s);
	dy_log_debug("rank %d: waiting for reads %.3f s, sharing them %.3f s, cutting %.3f s, exchange %.3f s, "
	             "counting %.3f s", c->rank, s.t_wait, s.t_share, s.t_scan, s.t_xchg, s.t_count);
	run->n_records = s.n_cut, run->n_bases = s.n_cut_bases;
	{
		dy_share_stats_t sst;
		dy_share_stats(s.sh, &sst);
		/* from the cache, the pass that filled it (the pilot's) handed
		 * reads over, and this one evens out little */
		if (!s.from) run->n_shared_in = run->n_shared_out = run->bases_shared_in = run->share_rounds = 0;
		run->n_shared_in += sst.reads_in, run->n_shared_out += sst.reads_out;
		run->bases_shared_in += sst.bases_in, run->share_rounds += sst.rounds_moved;
	}
	if (s.rd) {
		run->n_whole_inputs = dy_reads_whole_inputs(s.rd);
		dy_reads_stats(s.rd, &rst);
		run->n_read = rst.n_records;
		if (run->file_recs) dy_reads_file_stats(s.rd, run->file_recs, run->file_bases, run->file_skip);
		if (run->rg_recs && dy_reads_rg_layout(s.rd, NULL) == run->n_rg) dy_reads_rg_stats(s.rd, run->rg_recs, run->rg_bases);
	}   /* from the cache: n_read stays what the pass that filled it read */
	/* the cache is whole once every rank has cut everything: a rank at the
	 * end of its share may still be handed reads */
	if (st == DY_OK) dy_rcache_done(s.fill);
	if (st == DY_OK && run->rc && !s.from) {
		/* every rank learns whether every rank's reads stayed in memory */
		uint64_t rec, bas;
		size_t bytes;
		int all_in = dy_rcache_complete(s.fill), all;
		MPI_Allreduce(&all_in, &all, 1, MPI_INT, MPI_LAND, c->comm);
		dy_rcache_stats(s.fill, &rec, &bas, &bytes);
		if (c->rank == 0 && all)
			dy_log(DY_LOG_INFO, o->kmer.sample ? "pilot" : "count", "reads kept in memory for the next "
			       "passes (%.1f MiB on rank 0)", bytes / 1048576.0);
		else if (c->rank == 0)
			dy_log(DY_LOG_INFO, o->kmer.sample ? "pilot" : "count", "the reads do not all fit the read "
			       "cache (--read-cache-mb %zu): the next passes read the input again", o->io.cache_bytes >> 20);
		if (!all) dy_rcache_drop(s.fill);
	}
	if (s.tbuf) {
		int i;
		for (i = 0; i < c->n_threads * c->n_ranks; ++i) dy_buf_free(&s.tbuf[i]);
		free(s.tbuf);
	}
	dy_xchg_destroy(s.x);
	dy_share_destroy(s.sh);
	dy_batch_free(&s.b);
	dy_batch_free(&s.next);
	dy_reads_close(s.rd);
	return st;
}

/* The sieve's estimate of the distinct k-mers: the ranks' sketches merged
 * (by maximum: the same for any number of ranks and threads). */
static int sieve_estimate(const dy_ctx_t *c, const dy_ht_t *h, dy_run_t *run, dy_err_t *err)
{
	uint8_t *all = (uint8_t *)malloc(DY_HLL_N);
	const uint8_t *mine = dy_ht_hll(h);
	int st = all && mine ? DY_OK : DY_ENOMEM;
	if (st < 0) dy_err_set(err, "", "out of memory merging the k-mer sketches");
	if ((st = dy_status_sync(c, st, err, "count")) == DY_OK) {
		MPI_Allreduce(mine, all, (int)DY_HLL_N, MPI_UINT8_T, MPI_MAX, c->comm);
		run->distinct_est = dy_hll_estimate(all);
	}
	free(all);
	return st;
}

int dy_phase_count(const dy_opt_t *o, const dy_ctx_t *c, dy_ht_t *h, dy_run_t *run)
{
	dy_err_t err;
	int st = DY_OK, sieve = o->count.sieve && !o->kmer.sample;
	memset(&err, 0, sizeof err);
	dy_phase_begin(run, o->kmer.sample ? "pilot" : "count");
	run->sieve = sieve, run->distinct_est = 0;
	if (sieve) {
		/* the filters grow with the k-mers; a table sized up front would hold
		 * every distinct k-mer, the very entries the sieve keeps out */
		if ((st = dy_ht_sieve_begin(h)) < 0) dy_err_set(&err, "", "out of memory for the singleton filter");
		if (st == DY_OK && c->rank == 0)
			dy_log(DY_LOG_INFO, "count", "--singleton-filter: a first pass admits the k-mers seen twice, "
			       "a second counts them");
	} else {
		/* a table sized from the pilot's estimate rehashes far less (growth was
		 * ~15% of the count at k = 63); 0.9 of it, the partitions past it grow */
		double want = o->kmer.sample ? 0 : 0.9 * run->kmer_est;
		st = want > 0 ? dy_ht_reserve(h, (size_t)(want / c->n_ranks)) : DY_OK;
		if (st < 0) dy_err_set(&err, "", "out of memory sizing the k-mer table for %.0f k-mers", want);
		else if (want > 0 && c->rank == 0)
			dy_log(DY_LOG_INFO, "count", "tables sized for %.1f M distinct k-mers (0.9 x the pilot's estimate at k=%d)",
			       want / 1e6, o->kmer.k);
	}
	if ((st = dy_status_sync(c, st, &err, "count")) == DY_OK) st = count_pass(o, c, h, run, 0);
	if (sieve && st == DY_OK) {
		uint64_t occ = run->n_kmer_occ, loc[2], tot[2];
		size_t peak = dy_ht_bytes(h);
		if ((st = dy_ht_sieve_end(h)) < 0) dy_err_set(&err, "", "out of memory shrinking the k-mer table");
		st = dy_status_sync(c, st, &err, "count");
		if (st == DY_OK) st = sieve_estimate(c, h, run, &err);
		if (st == DY_OK) {
			loc[0] = dy_ht_size(h), loc[1] = peak;
			MPI_Allreduce(loc, tot, 2, MPI_UINT64_T, MPI_SUM, c->comm);
			run->sieve_peak_bytes = peak;
			if (c->rank == 0)
				dy_log(DY_LOG_INFO, "count", "sieve: %llu k-mers seen twice or more (and the filter's false "
				       "positives) of about %.0f distinct (%.1f%%); filters and tables %.1f MiB over all ranks; "
				       "second pass", (unsigned long long)tot[0], run->distinct_est,
				       run->distinct_est > 0 ? 100.0 * tot[0] / run->distinct_est : 0.0, tot[1] / 1048576.0);
			st = count_pass(o, c, h, run, 1);
			run->n_kmer_occ = occ;   /* the same k-mers again: the first pass's figure */
		}
		if (st == DY_OK) dy_ht_recount_end(h);
	}
	if (st == DY_OK) {
		log_totals(c, h, run);
		if (!o->kmer.sample) log_balance(c, h, run);
		if (run->n_distinct_global == 0 && !o->kmer.sample && !(sieve && run->distinct_est > 0)) {
			st = DY_ENOKMER;
			dy_err_set(&err, "", "no k-mer of length %d in the input: every read is shorter than k "
			           "or broken by non-ACGT bases", o->kmer.k);
			st = dy_status_sync(c, st, &err, "count");
		}
	}
	dy_phase_end(c, run);
	return st;
}
