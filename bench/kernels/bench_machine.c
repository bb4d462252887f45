/* bench_machine -- the machine as hwloc sees it, one JSON object on stdout:
 * packages, cores, PUs, NUMA nodes and their memory, and each cache level
 * (size of one cache, how many, how many PUs share one).  bench/run sizes
 * its kernels' tables from the L2 and last-level figures printed here.
 *
 *   bench_machine
 */
#include <stdio.h>
#include <hwloc.h>

static int count(hwloc_topology_t t, hwloc_obj_type_t ty)
{
	int n = hwloc_get_nbobjs_by_type(t, ty);
	return n < 0 ? 0 : n;
}

int main(void)
{
	hwloc_topology_t t;
	hwloc_obj_t o;
	hwloc_uint64_t mem = 0;
	int lv, first = 1, i, n;
	static const hwloc_obj_type_t caches[] = { HWLOC_OBJ_L1CACHE, HWLOC_OBJ_L2CACHE, HWLOC_OBJ_L3CACHE,
	                                           HWLOC_OBJ_L4CACHE, HWLOC_OBJ_L5CACHE };
	if (hwloc_topology_init(&t) < 0 || hwloc_topology_load(t) < 0) {
		fprintf(stderr, "bench_machine: hwloc cannot read this machine's topology\n");
		return 1;
	}
	n = count(t, HWLOC_OBJ_NUMANODE);
	for (i = 0; i < n; ++i)
		if ((o = hwloc_get_obj_by_type(t, HWLOC_OBJ_NUMANODE, (unsigned)i)) != NULL && o->attr)
			mem += o->attr->numanode.local_memory;
	printf("{\"hwloc_version\": \"%s\", \"packages\": %d, \"cores\": %d, \"pus\": %d, \"numa_nodes\": %d, \"numa_memory_bytes\": %llu, \"caches\": [",
	       HWLOC_VERSION, count(t, HWLOC_OBJ_PACKAGE), count(t, HWLOC_OBJ_CORE), count(t, HWLOC_OBJ_PU), n,
	       (unsigned long long)mem);
	for (lv = 0; lv < 5; ++lv) {
		int nc = count(t, caches[lv]);
		if (nc == 0) continue;
		o = hwloc_get_obj_by_type(t, caches[lv], 0);
		if (o == NULL || o->attr == NULL) continue;
		printf("%s{\"level\": %d, \"type\": \"%s\", \"bytes\": %llu, \"count\": %d, \"pus_per_cache\": %d}",
		       first ? "" : ", ", lv + 1,
		       o->attr->cache.type == HWLOC_OBJ_CACHE_DATA ? "data" :
		       o->attr->cache.type == HWLOC_OBJ_CACHE_INSTRUCTION ? "instruction" : "unified",
		       (unsigned long long)o->attr->cache.size, nc, hwloc_bitmap_weight(o->cpuset));
		first = 0;
	}
	printf("]}\n");
	hwloc_topology_destroy(t);
	return 0;
}
