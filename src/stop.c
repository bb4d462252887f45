/* stop.c -- a run asked to stop (SIGUSR1) ends at its next checkpoint.
 *
 * A batch system warns a job before its time limit (Slurm's --signal=USR1@300
 * to the tasks, or B:USR1@300 to the batch script, which passes it on); a kill
 * at the limit would lose the phase under way.  The handler only raises a
 * flag.  After each checkpoint the ranks agree on it (one small all-reduce:
 * the signal may have reached some ranks only) and, if any rank was asked,
 * all stop there with DY_ESTOPPED, exit status 75 (EX_TEMPFAIL): the same
 * command with --resume goes on from that checkpoint.  Only the count, build
 * and merge checkpoints stop: after the merge only rank 0's cleaning and the
 * writing are left, so a request then is met by finishing (exit 0). */
#include <signal.h>
#include <string.h>
#include "dy_priv.h"

static volatile sig_atomic_t stop_sig;

static void on_signal(int sig) { stop_sig = sig; }

void dy_stop_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;   /* reads and writes under way go on */
	sigaction(SIGUSR1, &sa, NULL);
}

int dy_stop_asked(void) { return stop_sig != 0; }

int dy_stop_after(const dy_ctx_t *c, int phase)
{
	int mine = stop_sig, any = 0;
	if (MPI_Allreduce(&mine, &any, 1, MPI_INT, MPI_MAX, c->comm) != MPI_SUCCESS) return DY_EMPI;
	if (any == 0) return DY_OK;
	if (c->rank == 0)
		dy_log(DY_LOG_WARN, "stop", "asked to stop (SIGUSR1): stopped after the %s checkpoint; the same "
		       "command with --resume goes on from there", dy_ck_name(phase));
	return DY_ESTOPPED;
}
