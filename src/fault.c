/* fault.c -- test-only failure injection, for the rank-failure tests
 * (tests/ranks).  Off unless the environment asks:
 *
 *   DACTYL_TEST_FAULT=KIND:PHASE:RANK
 *
 * makes rank RANK fail when it enters phase PHASE (a name of the log:
 * output, pilot, count, histo, build, gather, merge, clean, resolve, write).
 * KIND is one of
 *   abort   SIGABRT, as a crash would;
 *   kill    SIGKILL, as `kill -9` or the OOM killer would;
 *   exit    exit(3) without MPI_Finalize, as a library calling exit() would;
 *   nomem   the phase's next all-to-all receive buffer fails to allocate on
 *           that rank (the job must end cleanly, the message from that rank);
 *   stall   the rank waits at the start of the phase until it is asked to
 *           stop (SIGUSR1, src/stop.c) or 600 s pass, as a long phase would
 *           (tests/slurm: a job that reaches its time limit mid-phase);
 *   unpin   every OpenMP thread of the rank is let loose on the whole
 *           process cpuset, as threads a runtime starts afresh for a later
 *           region would be (the phase must bind them again: src/pin.c).
 * Nothing in a run's results depends on it; it only makes a rank fail.
 *
 *   DACTYL_TEST_MPI_CHUNK=BYTES
 *
 * shrinks the largest piece one MPI call moves (1 GiB, so that no int count
 * overflows) and the exchange's per-destination round, so that the code
 * that cuts transfers larger than 2 GiB into pieces runs on test data. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "dy_priv.h"

static int f_rank = -1, f_kind;   /* f_kind: 0 none, 'a'bort, 'k'ill, 'e'xit, 'n'omem, 's'tall */
static char f_phase[32];
static int f_armed;               /* nomem: this rank is inside the phase */

void dy_fault_init(int rank)
{
	const char *e = getenv("DACTYL_TEST_FAULT");
	char kind[16];
	int r;
	if (e == NULL || sscanf(e, "%15[a-z]:%31[a-z]:%d", kind, f_phase, &r) != 3 || r != rank) return;
	f_rank = rank;
	f_kind = strcmp(kind, "abort") == 0 ? 'a' : strcmp(kind, "kill") == 0 ? 'k' :
	         strcmp(kind, "exit") == 0 ? 'e' : strcmp(kind, "nomem") == 0 ? 'n' :
	         strcmp(kind, "stall") == 0 ? 's' : strcmp(kind, "unpin") == 0 ? 'u' : 0;
}

void dy_fault_at(const char *phase)
{
	f_armed = 0;
	if (f_kind == 0 || strcmp(phase, f_phase) != 0) return;
	fprintf(stderr, "[W::fault] rank %d: DACTYL_TEST_FAULT injects '%c' at phase %s\n", f_rank, f_kind, phase);
	switch (f_kind) {
	case 'a': abort();
	case 'k': raise(SIGKILL); pause(); break;
	case 'e': exit(3);
	case 'n': f_armed = 1; break;
	case 'u': dy_pin_loosen(); break;
	case 's': {
		int i;
		for (i = 0; i < 600 && !dy_stop_asked(); ++i) sleep(1);   /* seen within a second */
		break;
	}
	}
}

int dy_fault_nomem(void) { return f_armed; }

size_t dy_test_mpi_chunk(size_t dflt)
{
	static long long v = -1;
	if (v < 0) {
		const char *e = getenv("DACTYL_TEST_MPI_CHUNK");
		v = e ? atoll(e) : 0;
		if (v < 0) v = 0;
	}
	return v > 0 && (size_t)v < dflt ? (size_t)v : dflt;
}
