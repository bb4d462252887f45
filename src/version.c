/* version.c -- `dactyl version`: ours, then the libraries' (a bug report needs them). */
#include <stdio.h>
#include <string.h>
#include <hwloc.h>
#include <htslib/hts.h>
#include <zlib.h>
#include "dy_priv.h"

/* The version, then the libraries it runs with (a bug report needs them):
 * each as the running library reports it, with the one built against. */
int dy_print_version(void)
{
	char mpi[MPI_MAX_LIBRARY_VERSION_STRING] = "";
	int len = 0;
	unsigned hw = hwloc_get_api_version();
	MPI_Get_library_version(mpi, &len);   /* MPI-3: allowed before MPI_Init */
	mpi[strcspn(mpi, ",\n")] = '\0';      /* "Open MPI v4.1.4, package: ..." -> its first part */
	printf("dactyl %s\n", DY_VERSION);
	printf("htslib %s\nhwloc API %u.%u.%u (built with %u.%u.%u)\n%s (MPI %d.%d)\nzlib %s (built with %s)\n",
	       hts_version(), hw >> 16, (hw >> 8) & 0xff, hw & 0xff, HWLOC_API_VERSION >> 16,
	       (HWLOC_API_VERSION >> 8) & 0xff, HWLOC_API_VERSION & 0xff, mpi, MPI_VERSION, MPI_SUBVERSION,
	       zlibVersion(), ZLIB_VERSION);
	return 0;
}
