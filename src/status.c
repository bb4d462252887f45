/* status.c -- failure is settled together: one collective per phase. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "dy_priv.h"

void dy_err_set(dy_err_t *e, const char *file, const char *fmt, ...)
{
	va_list ap;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->record = -1, e->offset = -1;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

static void report(const dy_err_t *e, const char *where, int code)
{
	char loc[128] = "";
	if (e == NULL || e->msg[0] == '\0') {
		dy_log(DY_LOG_ERROR, where, "failed (%s)", dy_strerror(code));
		return;
	}
	if (e->record > 0 && e->offset >= 0)
		snprintf(loc, sizeof loc, "record %lld (byte %lld): ", (long long)e->record, (long long)e->offset);
	else if (e->record > 0)
		snprintf(loc, sizeof loc, "record %lld: ", (long long)e->record);
	else if (e->offset >= 0)
		snprintf(loc, sizeof loc, "record at byte %lld: ", (long long)e->offset);
	if (e->file[0])
		dy_log(DY_LOG_ERROR, where, "%s: %s%s", e->file, loc, e->msg);
	else
		dy_log(DY_LOG_ERROR, where, "%s%s", loc, e->msg);
}

int dy_status_sync(const dy_ctx_t *c, int code, const dy_err_t *err, const char *where)
{
	/* One MINLOC: the lowest rank that saw a failure itself speaks and its
	 * code is everyone's; a rank that only learnt of another's failure
	 * (DY_EPEER) speaks only when no such rank exists. */
	struct { int key, code; } in, out;
	in.key = code >= 0 ? 2 * c->n_ranks : code == DY_EPEER ? c->n_ranks + c->rank : c->rank;
	in.code = code < 0 ? code : 0;
	if (MPI_Allreduce(&in, &out, 1, MPI_2INT, MPI_MINLOC, c->comm) != MPI_SUCCESS) {
		/* no collective can be reached: the only safe way out */
		dy_log(DY_LOG_ERROR, where, "MPI_Allreduce failed; aborting all ranks");
		MPI_Abort(c->comm, 2);
	}
	if (out.key >= 2 * c->n_ranks) return DY_OK;
	if (out.key % c->n_ranks == c->rank) report(err, where, code);
	return out.code;
}
