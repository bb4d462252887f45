/* test_budget -- the memory budget's checks before the build (src/budget.c):
 * rank 0 merges, cleans and resolves the whole graph alone, so at many ranks
 * its share, not the per-rank one, is what a budget must hold; the smallest
 * workable budget it names must then pass every rank's check; other ranks
 * pass where rank 0 fails (the status sync tells them). */
#include <string.h>
#include <stdio.h>
#include "dy_priv.h"
#include "dy_test.h"

static double mib_in(const char *msg)
{
	const char *p = strstr(msg, "smallest workable budget is about ");
	double v = 0;
	char unit[8] = "";
	if (p == NULL || sscanf(p + strlen("smallest workable budget is about "), "%lf %3s", &v, unit) != 2) return -1;
	return strcmp(unit, "GiB") == 0 ? v * 1024 : v;
}

static void setup(dy_opt_t *o, dy_ctx_t *c, dy_run_t *run, int rank, int n_ranks, double mem_mib)
{
	memset(o, 0, sizeof *o), memset(c, 0, sizeof *c), memset(run, 0, sizeof *run);
	o->kmer.k = 31;
	o->io.mem = mem_mib * 1048576.0;
	o->io.asked_batch = o->io.batch_bytes = (size_t)1 << 20;
	o->io.asked_round = o->io.round_bytes = (size_t)4 << 20;
	o->io.asked_cache = o->io.cache_bytes = 0;   /* no read cache */
	c->rank = rank, c->n_ranks = n_ranks;
	run->n_solid_global = 2000000000ull;         /* 2 G solid k-mers over the job */
	run->ht_bytes = (size_t)64 << 20;            /* this rank's table: small, many ranks */
}

static int test_rank0_binds_at_many_ranks(void)
{
	dy_opt_t o;
	dy_ctx_t c;
	dy_run_t run;
	dy_err_t err;
	double want;
	int r;
	/* 4096 ranks: 2 G solid k-mers are ~32 MiB of graph a rank, but rank 0
	 * alone holds the whole graph: gigabytes */
	setup(&o, &c, &run, 1, 4096, 2048);
	memset(&err, 0, sizeof err);
	DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_OK);   /* rank 1: fits */
	setup(&o, &c, &run, 0, 4096, 2048);
	memset(&err, 0, sizeof err);
	DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_ELIMIT);
	DY_CHECK(strstr(err.msg, "rank 0 merges and cleans the whole graph alone: 2000.0 M solid k-mers") != NULL);
	DY_CHECK(strstr(err.msg, "more ranks do not shrink rank 0's share") != NULL);
	want = mib_in(err.msg);
	DY_CHECK(want > 2048);
	DY_CHECK(want > dy_mem_rank0(2e9) / 1048576.0);   /* at least the share it named */
	/* the budget it names holds rank 0 and every other rank */
	for (r = 0; r < 3; ++r) {
		setup(&o, &c, &run, r, 4096, want);
		memset(&err, 0, sizeof err);
		DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_OK);
	}
	/* and a little less than it does not hold rank 0 */
	setup(&o, &c, &run, 0, 4096, want * 0.97);
	memset(&err, 0, sizeof err);
	DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_ELIMIT);
	return 0;
}

static int test_per_rank_binds_at_few_ranks(void)
{
	dy_opt_t o;
	dy_ctx_t c;
	dy_run_t run;
	dy_err_t err;
	/* 2 ranks: the per-rank graph (1 G solid k-mers each) comes first, on every rank */
	setup(&o, &c, &run, 1, 2, 8192);
	memset(&err, 0, sizeof err);
	DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_ELIMIT);
	DY_CHECK(strstr(err.msg, "the graph of 2000.0 M solid k-mers needs about") != NULL);
	/* no budget: nothing refused */
	setup(&o, &c, &run, 0, 4096, 0);
	memset(&err, 0, sizeof err);
	DY_CHECK(dy_budget_before_build(&o, &c, &run, &err) == DY_OK);
	return 0;
}

int main(void)
{
	int nfail = 0;
	DY_RUN(test_rank0_binds_at_many_ranks, nfail);
	DY_RUN(test_per_rank_binds_at_few_ranks, nfail);
	return nfail ? EXIT_FAILURE : EXIT_SUCCESS;
}
