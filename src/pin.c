/* pin.c -- one OpenMP thread per core, chosen inside the cpuset the
 * launcher gave this process (mpirun --map-by slot:PE=N, srun -c N), so a
 * rank never strays onto another rank's cores.  Cores, not PUs: two
 * hyperthreads of one core share its L1/L2, which the k-mer tables are
 * sized for. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdlib.h>
#include <hwloc.h>
#include <hwloc/glibc-sched.h>
#include <omp.h>
#include <stdio.h>
#include <string.h>
#include "dy_priv.h"

/* The binding chosen for each thread number, kept for dy_pin_refresh, and
 * the process cpuset for the test fault that undoes it. */
static cpu_set_t *bind_of, bind_all;
static int n_bind;

/* Cores (or, failing that, PUs) that intersect the process cpuset. */
static int cores_in(hwloc_topology_t topo, hwloc_const_cpuset_t set, hwloc_obj_t *out, int max)
{
	int n = 0, depth = hwloc_get_type_depth(topo, HWLOC_OBJ_CORE);
	hwloc_obj_t obj = NULL;
	if (depth < 0) depth = hwloc_get_type_depth(topo, HWLOC_OBJ_PU);
	while ((obj = hwloc_get_next_obj_by_depth(topo, depth, obj)) != NULL)
		if (hwloc_bitmap_intersects(obj->cpuset, set) && n < max) out[n++] = obj;
	return n;
}

/* Load the topology and this process's cpuset. DY_ENOMEM (nothing to free),
 * DY_EIO (topology loaded but the cpuset unreadable: destroy topo, free *set)
 * or DY_OK. */
static int open_cpuset(hwloc_topology_t *topo, hwloc_bitmap_t *set)
{
	if ((*set = hwloc_bitmap_alloc()) == NULL) return DY_ENOMEM;
	if (hwloc_topology_init(topo) < 0) { hwloc_bitmap_free(*set); return DY_ENOMEM; }
	if (hwloc_topology_load(*topo) < 0 || hwloc_get_cpubind(*topo, *set, HWLOC_CPUBIND_PROCESS) < 0)
		return DY_EIO;
	return DY_OK;
}

static void close_cpuset(hwloc_topology_t topo, hwloc_bitmap_t set)
{
	hwloc_topology_destroy(topo);
	hwloc_bitmap_free(set);
}

int dy_pin_ncores(void)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t set;
	hwloc_obj_t objs[4096];
	int n = 1, st = open_cpuset(&topo, &set);
	if (st == DY_ENOMEM) return 1;
	if (st == DY_OK) n = cores_in(topo, set, objs, 4096);
	close_cpuset(topo, set);
	return n > 0 ? n : 1;
}

/* Where the launcher gave every rank of a node the same cpuset (mpirun
 * --bind-to none, or oversubscribed), ranks would pin their threads onto
 * the same first cores: share the cores out by local rank instead. */
static int share_out(hwloc_obj_t *objs, int n_core, int lrank, int lsize)
{
	int lo, hi;
	if (lsize <= 1) return n_core;
	if (n_core < lsize) {
		objs[0] = objs[lrank % n_core];
		return 1;
	}
	lo = (int)((long)lrank * n_core / lsize), hi = (int)((long)(lrank + 1) * n_core / lsize);
	memmove(objs, objs + lo, (hi - lo) * sizeof *objs);
	return hi - lo;
}

int dy_pin_cpuset_hash(unsigned long long *h)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t set;
	char s[1024] = "";
	const char *p;
	int st = open_cpuset(&topo, &set);
	*h = 1469598103934665603ULL;
	if (st == DY_ENOMEM) return DY_ENOMEM;
	if (st == DY_OK) hwloc_bitmap_list_snprintf(s, sizeof s, set);
	for (p = s; *p; ++p) *h = (*h ^ (unsigned char)*p) * 1099511628211ULL;
	close_cpuset(topo, set);
	return DY_OK;
}

int dy_pin_threads(dy_ctx_t *c, int n_threads, int pin, int lrank, int lsize)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t set;
	hwloc_obj_t objs[4096];
	int n_core = 0, fail = 0, len = 0, t, st;
	char setstr[128] = "?";
	snprintf(c->binding, sizeof c->binding, "not pinned");
	if (!pin) return DY_OK;
	if ((st = open_cpuset(&topo, &set)) == DY_ENOMEM) return DY_ENOMEM;
	if (st < 0) {
		snprintf(c->binding, sizeof c->binding, "not pinned (hwloc cannot read the cpuset)");
		goto out;
	}
	hwloc_bitmap_list_snprintf(setstr, sizeof setstr, set);
	n_core = cores_in(topo, set, objs, 4096);
	if (n_core == 0) goto out;
	n_core = share_out(objs, n_core, lrank, lsize);
	free(bind_of), n_bind = 0;
	if ((bind_of = (cpu_set_t *)calloc((size_t)n_threads, sizeof *bind_of)) != NULL) n_bind = n_threads;
	hwloc_cpuset_to_glibc_sched_affinity(topo, set, &bind_all, sizeof bind_all);
	if (n_threads > n_core)
		dy_log_warn("%d threads but %d core(s) for this rank in cpuset {%s}%s: threads will share cores",
		            n_threads, n_core, setstr, lsize > 1 ? " (shared with other ranks of this node)" : "");
#pragma omp parallel num_threads(n_threads) reduction(+:fail)
	{
		int tid = omp_get_thread_num();
		hwloc_bitmap_t s = hwloc_bitmap_dup(objs[tid % n_core]->cpuset);
		hwloc_bitmap_and(s, s, set);     /* stay inside what the launcher allowed */
		hwloc_bitmap_singlify(s);        /* one PU: no migration between hyperthreads */
		if (hwloc_set_cpubind(topo, s, HWLOC_CPUBIND_THREAD) < 0) fail += 1;
		else if (bind_of) hwloc_cpuset_to_glibc_sched_affinity(topo, s, &bind_of[tid], sizeof *bind_of);
		hwloc_bitmap_free(s);
	}
	if (fail) free(bind_of), bind_of = NULL, n_bind = 0;   /* nothing to hold */
	len = snprintf(c->binding, sizeof c->binding, "cpuset {%s}:", setstr);
	for (t = 0; t < n_threads && len < (int)sizeof c->binding - 16; ++t)
		len += snprintf(c->binding + len, sizeof c->binding - len, " t%d->core%u", t,
		                objs[t % n_core]->logical_index);
	if (fail) snprintf(c->binding, sizeof c->binding, "pinning failed for %d threads", fail);
out:
	close_cpuset(topo, set);
	return DY_OK;
}

int dy_pin_refresh(void)
{
	int moved = 0;
	if (n_bind == 0) return 0;
	/* cheap: one getaffinity a thread a phase; a thread that has left its
	 * core (a new pool, or anything that rebound it) goes back to it */
#pragma omp parallel num_threads(n_bind) reduction(+:moved)
	{
		int t = omp_get_thread_num();
		cpu_set_t cur;
		CPU_ZERO(&cur);
		if (t < n_bind && (sched_getaffinity(0, sizeof cur, &cur) != 0 || !CPU_EQUAL(&cur, &bind_of[t])) &&
		    sched_setaffinity(0, sizeof bind_of[t], &bind_of[t]) == 0)
			++moved;
	}
	return moved;
}

void dy_pin_loosen(void)
{
	if (n_bind == 0) return;
#pragma omp parallel num_threads(n_bind)
	sched_setaffinity(0, sizeof bind_all, &bind_all);
}

/* Which host each rank runs on, as runs of ranks ("h1 (ranks 0-1), h2
 * (ranks 2-3)"), then every rank's binding, printed by rank 0 in rank
 * order.  Collective: rank 0 says first whether it could make room, so a
 * failed allocation there skips the log on every rank instead of leaving
 * the others in a gather. */
void dy_pin_log(const dy_ctx_t *c)
{
	char me[MPI_MAX_PROCESSOR_NAME] = "", *hosts = NULL, *binds = NULL, line[1024];
	int len = 0, i, j, n, nh = 0, ok = 1;
	size_t used = 0;
	MPI_Get_processor_name(me, &len);
	if (c->rank == 0) {
		hosts = calloc((size_t)c->n_ranks, sizeof me);
		binds = calloc((size_t)c->n_ranks, sizeof c->binding);
		ok = hosts && binds;
	}
	MPI_Bcast(&ok, 1, MPI_INT, 0, c->comm);
	if (ok) {
		MPI_Gather(me, sizeof me, MPI_CHAR, hosts, sizeof me, MPI_CHAR, 0, c->comm);
		MPI_Gather(c->binding, sizeof c->binding, MPI_CHAR, binds, sizeof c->binding, MPI_CHAR, 0, c->comm);
	}
	if (c->rank == 0 && ok) {
		line[0] = '\0';
		for (i = 0; i < c->n_ranks; i = j) {
			const char *h = hosts + (size_t)i * sizeof me;
			for (j = i + 1; j < c->n_ranks && strcmp(h, hosts + (size_t)j * sizeof me) == 0; ++j) {}
			for (n = 0; n < i && strcmp(h, hosts + (size_t)n * sizeof me) != 0; ++n) {}
			if (n == i) ++nh;   /* a host not seen before */
			if (used + 8 >= sizeof line) continue;   /* cut below: thousands of hosts */
			if (j - i > 1) used += (size_t)snprintf(line + used, sizeof line - used, "%s%s (ranks %d-%d)",
			                                        i ? ", " : "", h, i, j - 1);
			else used += (size_t)snprintf(line + used, sizeof line - used, "%s%s (rank %d)", i ? ", " : "", h, i);
		}
		if (used + 8 >= sizeof line) strcpy(line + sizeof line - 8, " ...");
		dy_log(DY_LOG_INFO, "hosts", "%d rank(s) on %d host(s): %s", c->n_ranks, nh, line);
		for (i = 0; i < c->n_ranks; ++i)
			dy_log(DY_LOG_INFO, "pin", "rank %d: %s", i, binds + (size_t)i * sizeof c->binding);
	}
	free(hosts), free(binds);
}
