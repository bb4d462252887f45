/* bench_a2a -- the all-to-all limit of this MPI job: MPI_Alltoall of
 * TOTAL_MB per rank, cut evenly over the ranks (dactyl's count rounds send
 * one buffer per rank the same way), best of the repeats.  Rank 0 prints one
 * JSON object: GB/s per rank counts only the bytes that leave the rank.
 *
 *   mpirun -np N bench_a2a [TOTAL_MB] [REPEATS]     (default 64 5)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>

int main(int argc, char *argv[])
{
	int rank, n, r, reps;
	double mb, best = 1e30, t;
	size_t per;
	char *s, *d;
	MPI_Init(&argc, &argv);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &n);
	mb = argc > 1 ? atof(argv[1]) : 64;
	reps = argc > 2 ? atoi(argv[2]) : 5;
	if (mb <= 0 || reps < 1) reps = 5, mb = 64;
	per = (size_t)(mb * 1048576.0 / n);
	s = malloc(per * (size_t)n), d = malloc(per * (size_t)n);
	if (s == NULL || d == NULL || per > (size_t)1 << 30) MPI_Abort(MPI_COMM_WORLD, 2);
	memset(s, rank & 0xff, per * (size_t)n), memset(d, 0, per * (size_t)n);
	MPI_Alltoall(s, (int)per, MPI_BYTE, d, (int)per, MPI_BYTE, MPI_COMM_WORLD);   /* warm-up */
	for (r = 0; r < reps; ++r) {
		MPI_Barrier(MPI_COMM_WORLD);
		t = MPI_Wtime();
		MPI_Alltoall(s, (int)per, MPI_BYTE, d, (int)per, MPI_BYTE, MPI_COMM_WORLD);
		t = MPI_Wtime() - t;
		MPI_Allreduce(MPI_IN_PLACE, &t, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
		if (t < best) best = t;
	}
	for (r = 0; r < n; ++r)
		if ((unsigned char)d[(size_t)r * per] != (unsigned char)(r & 0xff)) MPI_Abort(MPI_COMM_WORLD, 1);
	if (rank == 0) {
		char lib[MPI_MAX_LIBRARY_VERSION_STRING];
		int len, i;
		MPI_Get_library_version(lib, &len);
		for (i = 0; i < len; ++i)
			if (lib[i] == '"' || lib[i] == '\\' || (unsigned char)lib[i] < 32) lib[i] = ' ';
		while (len > 0 && lib[len - 1] == ' ') --len;
		lib[len] = 0;
		printf("{\"ranks\": %d, \"bytes_per_rank\": %zu, \"best_s\": %.6f, \"GBps_per_rank\": %s%.3f, \"mpi_library\": \"%s\"}\n",
		       n, per * (size_t)n, best, "", n > 1 ? (double)per * (n - 1) / best / 1e9 : 0.0, lib);
	}
	free(s), free(d);
	MPI_Finalize();
	return 0;
}
