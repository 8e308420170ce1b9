/* cancel.c: cancellation of an execution (see run.h). The API sets the row cancelled and
 * announces it on the control channel; the worker running it stops in-flight work at once,
 * records running and never-started steps as cancelled, and whoever takes the settlement in
 * the store (exactly one worker) publishes execution.cancelled. */
#include "config.h"

#include <stdlib.h>

#include "log.h"
#include "run_int.h"
#include "xalloc.h"

/* The ids of the nodes of "r" that never started and never completed (borrowed from its
 * workflow) into "out" (room for r->wf->nnodes). Returns how many. A CPU-only node in flight
 * (its expression in the sandbox) has no running row: it counts as never started. */
static size_t
cancel_never_started(struct run *r, const char **out)
{
	size_t	 k, n = 0;

	for (k = 0; k < r->wf->nnodes; k++) {
		enum sched_state s = r->sched.state[k];

		if (s == SCHED_DONE || s == SCHED_SKIPPED ||
		    (s == SCHED_RUNNING && r->steps[k] != NULL && r->steps[k]->pending &&
		    wf_types[r->wf->nodes[k].type]->network) ||
		    json_object_object_get_ex(r->done, r->wf->nodes[k].id, NULL))
			continue;
		out[n++] = r->wf->nodes[k].id;
	}
	return n;
}

void
cancel_mark(const struct run_ctx *ctx, const char *id, struct run *r)
{
	const char	**pending = NULL;
	json_object	*f;
	size_t		 n = 0;
	bool		 taken = false;

	if (r != NULL && r->wf != NULL && r->steps != NULL) {
		pending = xcalloc(r->wf->nnodes + 1, sizeof(*pending));
		n = cancel_never_started(r, pending);
	}
	ctx->store->ops->cancel_steps(ctx->store, id, pending, n, "cancelled");
	free(pending);
	if (ctx->store->ops->cancel_take(ctx->store, id, &taken) == STORE_OK && taken) {
		f = event_end_fields("cancelled", NULL, NULL);
		ctx->publish(ctx->arg, id, EV_EXECUTION_CANCELLED, f);
		json_object_put(f);
		log_info(LOG_IDS(NULL, id), "execution cancelled");
	}
}

void
run_cancel(struct run *r)
{
	size_t	 k;

	/* Stop in-flight work first (HTTP transfers close their sockets now). "pending" stays
	 * set: those steps have a running row, which cancel_steps marks. Aborting twice (again
	 * in run_free) is harmless. */
	for (k = 0; r->wf != NULL && r->steps != NULL && k < r->wf->nnodes; k++)
		if (r->steps[k] != NULL && r->steps[k]->pending &&
		    r->ctx->nodes[r->wf->nodes[k].type]->abort != NULL)
			r->ctx->nodes[r->wf->nodes[k].type]->abort(&r->steps[k]->call);
	cancel_mark(r->ctx, r->id, r);
	run_count_end(r, "cancelled");
	r->ctx->ack(r->ctx->arg, r->entry);
	for (k = 0; r->wf != NULL && r->steps != NULL && k < r->wf->nnodes; k++)
		if (r->steps[k] != NULL)
			r->steps[k]->pending = false;	/* aborted above */
	run_free(r);
}

void
run_settle_cancelled(const struct run_ctx *ctx, const char *id)
{
	cancel_mark(ctx, id, NULL);
}
