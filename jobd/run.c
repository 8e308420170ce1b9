/* run.c: the lifecycle of one execution on a worker (see run.h): preparation from a claim and
 * resume, the scheduler pump, and the end through the store's group commit. Every state change
 * is guarded in the store; steps that succeeded in an earlier attempt are reused, never run
 * again. Node attempts are step.c's, cancellation cancel.c's. */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "jsonh.h"
#include "lease.h"
#include "metrics.h"
#include "otlp.h"
#include "run_int.h"
#include "utf8.h"
#include "xalloc.h"

const char *
run_id(const struct run *r)
{
	return r->id;
}

const char *
run_entry(const struct run *r)
{
	return r->entry;
}

uint64_t *
run_confirmed(struct run *r)
{
	return &r->confirmed_ms;
}

struct run **
run_next(struct run *r)
{
	return &r->next;
}

/* ---------------------------------------------------------------- lifetime */

void
run_free(struct run *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	otlp_span_end(&r->span, r->failed ? TRACE_STATUS_ERROR : TRACE_STATUS_UNSET,
	    r->failed ? r->error : NULL);
	for (i = 0; r->steps != NULL && r->wf != NULL && i < r->wf->nnodes; i++)
		if (r->steps[i] != NULL)
			step_abort(r->steps[i]);
	store_exec_end_unqueue(r->ctx->store, &r->end);
	clock_timer_free(r->ctx->clock, r->deadline);
	if (r->going) {
		r->ctx->gone(r->ctx->arg, r);
		metrics_add(M_EXEC_INFLIGHT, 0, 0, -1);
	}
	sched_clear(&r->sched);
	free(r->steps);
	free(r->attempts);
	json_object_put(r->rows);
	wf_free(r->wf);
	json_object_put(r->ctx_json);
	json_object_put(r->done);
	json_object_put(r->results);
	json_object_put(r->reused);
	tape_clear(&r->tape);
	free(r);
}

void
run_release(struct run *r, const char *why)
{
	log_info(&r->ids, "%s; left pending for the next holder", why);
	run_free(r);
}

void
run_drop(struct run *r, const char *why)
{
	log_warn(&r->ids, "%s; execution left to its next lease holder", why);
	run_free(r);
}

/* ---------------------------------------------------------------- events and context */

json_object *
run_node_fields(struct run *r, size_t k, int attempt)
{
	return event_node_fields(r->wf->nodes[k].id, wf_types[r->wf->nodes[k].type]->name,
	    attempt);
}

void
run_event(struct run *r, enum event_type type, json_object *fields)
{
	r->ctx->publish(r->ctx->arg, r->id, type, fields);
	json_object_put(fields);
}

/* A replay from a step reuses the original's output "out" of node "k": node.completed says
 * so, for the run view. */
static void
run_reused_event(struct run *r, size_t k, json_object *out)
{
	json_object	*f = run_node_fields(r, k, r->attempts[k]);

	json_object_object_add(f, "output", json_object_get(out));
	json_object_object_add(f, "reused", json_object_new_boolean(1));
	run_event(r, EV_NODE_COMPLETED, f);
}

/* An input node's fields are also reachable directly (".in.topic" as well as
 * ".in.output.topic"). */
void
run_ctx_add(struct run *r, size_t k, json_object *output)
{
	const struct wf_node	*n = &r->wf->nodes[k];
	json_object		*entry;

	if (n->type == WF_NODE_INPUT && json_object_is_type(output, json_type_object))
		entry = jsonh_copy(output);
	else
		entry = jsonh_new_object();
	json_object_object_add(entry, "output", json_object_get(output));
	json_object_object_add(r->ctx_json, n->id, entry);
	if (wf_types[n->type]->result)
		json_object_object_add(r->results, n->id, json_object_get(output));
}

unsigned
run_handles(struct run *r, size_t k, json_object *out)
{
	return sched_handles(r->wf->nodes[k].type, out);
}

enum store_rc
run_flush_rows(struct run *r)
{
	enum store_rc	 rc;

	if (json_object_array_length(r->rows) == 0)
		return STORE_OK;
	rc = r->ctx->store->ops->step_rows(r->ctx->store, r->id, r->rows);
	run_rows_written(r);
	return rc;
}

void
run_rows_written(struct run *r)
{
	if (json_object_array_length(r->rows) == 0)
		return;
	json_object_put(r->rows);
	r->rows = jsonh_new_array();
}

/* ---------------------------------------------------------------- ending */

void
run_set_error(struct run *r, const char *fmt, ...)
{
	char		 tmp[2048];
	struct buf	 b;
	va_list		 ap;
	size_t		 n;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	/* A quoted message may hold NUL-free but ill-formed bytes, or be cut inside a
	 * character: the error is stored as text. */
	buf_init(&b);
	utf8_clean(tmp, strlen(tmp), &b);
	n = utf8_cut(b.data, b.len, sizeof(r->error) - 1);
	memcpy(r->error, b.data, n);
	r->error[n] = '\0';
	buf_clear(&b);
}

void
run_count_end(const struct run *r, const char *status)
{
	struct timespec	 now;
	long long	 ms;
	size_t		 st = metrics_run_status(status);

	clock_gettime(CLOCK_REALTIME, &now);
	ms = (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 - r->start_ms;
	metrics_inc(M_EXEC_ENDED, r->trigger, st);
	if (r->start_ms > 0)
		metrics_observe(M_EXEC_DURATION, st, 0, ms > 0 ? (uint64_t)ms * 1000 : 0);
}

/* The attempt parked (the execution is waiting for an answer) and that is committed:
 * publishes execution.waiting, acknowledges and frees. The answer queues the run again. */
static void
run_parked(struct run *r)
{
	json_object	*f = jsonh_new_object();

	json_object_object_add(f, "status", jsonh_new_string("waiting"));
	run_event(r, EV_EXECUTION_WAITING, f);
	metrics_inc(M_EXEC_PARKED, r->trigger, 0);
	log_info(&r->ids, "execution waiting for %zu answer(s)", r->nwaiting);
	r->ctx->ack(r->ctx->arg, r->entry);
	run_free(r);
}

/* The final state is committed: publishes the terminal event, acknowledges and frees. */
static void
run_ended(struct run *r)
{
	const char	*status = r->failed ? "failed" : "succeeded";

	if (!r->failed && r->nwaiting > 0) {
		run_parked(r);
		return;
	}

	run_event(r, event_end_type(status), event_end_fields(status,
	    r->failed ? r->error : NULL, r->failed ? NULL : r->results));
	log_emit(r->failed ? LOGL_INFO : LOGL_DEBUG, &r->ids, "execution %s", status);
	run_count_end(r, status);
	r->ctx->ack(r->ctx->arg, r->entry);
	run_free(r);
}

void
run_lost(struct run *r)
{
	struct store_why	 why;

	if (r->ctx->store->ops->why(r->ctx->store, r->id, &why) != STORE_OK) {
		run_drop(r, "cannot read the execution");
		return;
	}
	if (strcmp(why.status, "cancelled") == 0) {
		run_flush_rows(r);	/* what did run is shown beside the cancelled rest */
		run_cancel(r);
	} else
		run_drop(r, "no longer leased here");
}

/* The store wrote (or refused) the final state queued by run_finish. */
static void
run_on_end(struct store_exec_end *e, enum store_rc rc, bool settled)
{
	struct run	*r = (struct run *)((char *)e - offsetof(struct run, end));

	if (rc != STORE_OK)
		run_drop(r, "cannot record the final status");
	else if (settled)
		run_ended(r);
	else
		run_lost(r);
}

/* Nothing runs any more: queue the final state for the store's next flush, which writes those
 * of every execution that ended in this loop turn together. With nodes waiting for an answer
 * (and nothing failed), the state is "waiting": the attempt ends, the execution does not. */
static void
run_finish(struct run *r)
{
	bool	 parked = !r->failed && r->nwaiting > 0;

	if (r->end.queued)
		return;
	r->end.execution_id = r->id;
	r->end.status = r->failed ? "failed" : parked ? "waiting" : "succeeded";
	r->end.results = r->failed || parked ? NULL : r->results;
	r->end.error = r->failed ? r->error : NULL;
	r->end.steps = r->rows;
	r->end.done = run_on_end;
	store_exec_end_queue(r->ctx->store, &r->end);
}

/* Stops every step of failed run "r"; the running ones are recorded with "why". */
static void
run_stop_steps(struct run *r, const char *why)
{
	size_t	 k;

	for (k = 0; k < r->wf->nnodes; k++)
		if (r->steps[k] != NULL)
			step_abort(r->steps[k]);
	r->ctx->store->ops->cancel_steps(r->ctx->store, r->id, NULL, 0, why);
	log_info(&r->ids, "%s", r->error);
}

void
run_fail(struct run *r, const char *node_id, const char *err)
{
	r->failed = true;
	run_set_error(r, "node \"%s\" failed: %s", node_id, err);
	run_stop_steps(r, "stopped: another step failed");
}

void
run_fail_budget(struct run *r, const char *err)
{
	r->failed = true;
	run_set_error(r, "%s", err);
	run_stop_steps(r, "stopped: the run's budget is spent");
}

long long
run_elapsed_ms(const struct run *r)
{
	struct timespec	 now;

	if (r->start_ms <= 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &now);
	return (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000 - r->start_ms;
}

void
run_usage_event(struct run *r)
{
	run_event(r, EV_EXECUTION_USAGE, budget_json(&r->budget, &r->used));
}

/* The run's wall-time budget ran out: it fails, whatever is in flight. */
static void
run_on_deadline(void *arg)
{
	struct run	*r = arg;
	char		 err[160];

	if (r->failed)
		return;
	snprintf(err, sizeof(err), "budget exceeded: the run's limit of %lld ms of wall time "
	    "is spent", r->budget.max_duration_ms);
	run_fail_budget(r, err);
	run_pump(r);
}

/* ---------------------------------------------------------------- the pump */

/* Records node "k" as skipped. Returns 0, or -1 when "r" was freed. */
static int
run_skip(struct run *r, size_t k)
{
	if (r->ctx->store->ops->step_skip(r->ctx->store, r->id, r->wf->nodes[k].id) ==
	    STORE_FAILED) {
		run_drop(r, "cannot record a skipped step");
		return -1;
	}
	r->attempts[k]++;
	run_event(r, EV_NODE_SKIPPED, run_node_fields(r, k, 0));
	sched_skip(&r->sched, k);
	return 0;
}

/* True when a step of "r" waits on the network, a clock or a back-off, rather than on a
 * computation only. */
static bool
run_waits_long(const struct run *r)
{
	size_t	 k;

	for (k = 0; k < r->wf->nnodes; k++)
		if (r->steps[k] != NULL && (!r->steps[k]->pending ||
		    wf_types[r->wf->nodes[k].type]->network))
			return true;
	return false;
}

void
run_pump(struct run *r)
{
	json_object	*prev;
	size_t		 k;
	bool		 skip;

	while (!r->failed && sched_next(&r->sched, &k, &skip)) {
		if (skip) {
			if (run_skip(r, k) == -1)
				return;
		} else if (json_object_object_get_ex(r->done, r->wf->nodes[k].id, &prev)) {
			/* Completed by an earlier attempt (or, in a replay from a step, by the
			 * original): reuse, never run again. */
			if (json_object_object_get_ex(r->reused, r->wf->nodes[k].id, NULL))
				run_reused_event(r, k, prev);
			run_ctx_add(r, k, prev);
			sched_complete(&r->sched, k, run_handles(r, k, prev));
		} else if (step_begin(r, k) == -1)
			return;
	}
	if (r->nactive > 0) {
		/* Waiting on the network, a clock or a back-off: write this pass's rows now. A run
		 * waiting only for computations (sandboxed expressions) goes on first. */
		if (!run_waits_long(r))
			return;
		switch (run_flush_rows(r)) {
		case STORE_OK:
			break;
		case STORE_NOTFOUND:
			run_lost(r);
			break;
		default:
			run_drop(r, "cannot record steps");
			break;
		}
		return;
	}
	if (!r->failed && !sched_finished(&r->sched) && r->nwaiting == 0) {
		r->failed = true;
		run_set_error(r, "internal error: scheduler stalled");
	}
	run_finish(r);
}

/* ---------------------------------------------------------------- start */

/* Loads what earlier attempts left (a resumed run: after a crash or a retry): steps a lost
 * holder left running are failed, successes are reused. Returns 0 or -1. */
static int
run_resume(struct run *r)
{
	struct store_earlier	*e = NULL;
	size_t			 n = 0, i;
	long			 k;

	if (r->ctx->store->ops->resume(r->ctx->store, r->id, &e, &n) != STORE_OK)
		return -1;
	for (i = 0; i < n; i++) {
		if ((k = wf_node_index(r->wf, e[i].node_id)) >= 0)
			r->attempts[k] = e[i].last_attempt;
		if (e[i].succeeded)
			json_object_object_add(r->done, e[i].node_id, json_object_get(e[i].output));
		/* What earlier claims used counts against the budget. */
		r->used.tokens += e[i].tokens;
		r->used.cost_usd += e[i].cost_usd;
		r->used.steps += e[i].succeeded;
	}
	store_earlier_free(e, n);
	return 0;
}

/* Marks in "rerun" node "k" and every node downstream of it. */
static void
run_mark_downstream(const struct wf *wf, size_t k, bool *rerun)
{
	size_t	 e;

	if (rerun[k])
		return;
	rerun[k] = true;
	for (e = 0; e < wf->nedges; e++)
		if (wf->edges[e].source == k)
			run_mark_downstream(wf, wf->edges[e].target, rerun);
}

/* A replay from node "from" keeps the original's output of every node that is not
 * downstream of it (nor of an input node, when the input changed): such a node is done,
 * with a row saying so, written with the run's first rows. */
static void
run_replay_reuse(struct run *r, const char *from, bool input_changed)
{
	bool		*rerun = xcalloc(r->wf->nnodes + 1, sizeof(*rerun));
	json_object	*orig, *row;
	const char	*id, *status;
	char		 now[40];
	long		 f = wf_node_index(r->wf, from);
	size_t		 k;

	if (f < 0) {
		/* The API checked it; a definition without it replays everything. */
		free(rerun);
		return;
	}
	run_mark_downstream(r->wf, (size_t)f, rerun);
	for (k = 0; input_changed && k < r->wf->nnodes; k++)
		if (r->wf->nodes[k].type == WF_NODE_INPUT)
			run_mark_downstream(r->wf, k, rerun);
	log_timestamp(now, sizeof(now));
	for (k = 0; k < r->wf->nnodes; k++) {
		id = r->wf->nodes[k].id;
		if (rerun[k] || json_object_object_get_ex(r->done, id, NULL) ||
		    (orig = tape_node(&r->tape, id)) == NULL ||
		    (status = jsonh_get_string(orig, "status")) == NULL ||
		    strcmp(status, "succeeded") != 0)
			continue;
		json_object_object_add(r->done, id,
		    json_object_get(json_object_object_get(orig, "output")));
		json_object_object_add(r->reused, id, json_object_new_boolean(1));
		row = jsonh_new_object();
		json_object_object_add(row, "node_id", jsonh_new_string(id));
		json_object_object_add(row, "attempt", jsonh_new_int(++r->attempts[k]));
		json_object_object_add(row, "status", jsonh_new_string("succeeded"));
		json_object_object_add(row, "output",
		    json_object_get(json_object_object_get(orig, "output")));
		json_object_object_add(row, "exchanges",
		    json_object_get(json_object_object_get(orig, "exchanges")));
		json_object_object_add(row, "replay_source", jsonh_new_string("reused"));
		json_object_object_add(row, "started_at", jsonh_new_string(now));
		json_object_object_add(row, "finished_at", jsonh_new_string(now));
		json_object_array_add(r->rows, row);
		r->used.steps++;
	}
	free(rerun);
}

/* Loads the recording of the execution a replay replays ("claim" says which and how) and
 * what it reuses. Returns 0 or -1 (the store failed). */
static int
run_replay_prepare(struct run *r, const struct store_claim *claim)
{
	json_object	*rows = NULL, *v;
	const char	*from = jsonh_get_string(claim->replay, "from_node");

	if (r->ctx->store->ops->recording(r->ctx->store, claim->replay_of, &rows) != STORE_OK)
		return -1;
	tape_init(&r->tape, rows);
	json_object_put(rows);
	r->replaying = true;
	v = jsonh_get_typed(claim->replay, "offline", json_type_boolean);
	r->offline = v != NULL && json_object_get_boolean(v);
	if (from != NULL) {
		v = jsonh_get_typed(claim->replay, "input_changed", json_type_boolean);
		run_replay_reuse(r, from, v != NULL && json_object_get_boolean(v));
	}
	return 0;
}

/* Parses the snapshot and sets up the scheduler. Returns 0; -1 with r->error set when the
 * execution cannot run (it then fails); -2 when the store failed or memory ran out. */
static int
run_prepare(struct run *r, const struct store_claim *claim)
{
	json_object	*errors = jsonh_new_array();
	int		 rc = 0;

	if (lease_poisoned(r->ctx->lease, claim->abandons)) {
		run_set_error(r, "abandoned by its worker %d times (the run "
		    "may crash the engine); not run again", claim->abandons);
		rc = -1;
	} else if (wf_parse_opts(claim->definition, WF_PARSE_NO_COMPILE, &r->wf, errors) == -1) {
		/* The API compiled the expressions when the definition was saved; jobd never
		 * compiles jq (the sandbox does). */
		run_set_error(r, "invalid definition: %.400s",
		    jsonh_str(errors));
		rc = -1;
	} else {
		budget_read(json_object_object_get(claim->definition, "budget"), &r->budget);
		r->attempts = xcalloc(r->wf->nnodes + 1, sizeof(*r->attempts));
		r->steps = xcalloc(r->wf->nnodes + 1, sizeof(*r->steps));
		sched_init(&r->sched, r->wf);
		if (claim->attempt > 1 && run_resume(r) == -1)
			rc = -2;
		else if (claim->replay_of[0] != '\0' && run_replay_prepare(r, claim) == -1)
			rc = -2;
	}
	json_object_put(errors);
	return rc;
}

struct run *
run_new(const struct run_ctx *ctx, const struct store_claim *claim, const char *entry)
{
	struct run		*r;
	struct trace_ctx	 parent;
	int			 rc;

	r = xcalloc(1, sizeof(*r));
	r->ctx = ctx;
	snprintf(r->id, sizeof(r->id), "%s", claim->id);
	/* A run stored without a trace (webhook, schedule, tracing off then) starts its own. */
	trace_parse(claim->traceparent, &parent);
	if (otlp_span_start(&r->span, &parent, "execution", TRACE_KIND_INTERNAL)) {
		trace_span_attr_str(&r->span, "fragent.execution_id", r->id);
		trace_span_attr_int(&r->span, "fragent.attempt", claim->attempt);
	}
	snprintf(r->entry, sizeof(r->entry), "%s", entry);
	r->ids.execution_id = r->id;
	r->confirmed_ms = clock_now_ms(ctx->clock);
	r->ctx_json = jsonh_new_object();
	r->done = jsonh_new_object();
	r->results = jsonh_new_object();
	r->rows = jsonh_new_array();
	r->reused = jsonh_new_object();
	json_object_object_add(r->ctx_json, "input", json_object_get(claim->inputs));
	if ((rc = run_prepare(r, claim)) == -2) {
		run_drop(r, "cannot prepare the run");
		return NULL;
	}
	r->attempt = claim->attempt;
	r->failed = rc == -1;
	r->trigger = metrics_trigger(claim->trigger);
	r->start_ms = claim->start_ms;
	return r;
}

void
run_go(struct run *r)
{
	json_object	*f = jsonh_new_object();

	r->going = true;
	metrics_add(M_EXEC_INFLIGHT, 0, 0, 1);
	if (r->attempt == 1)
		metrics_inc(M_EXEC_STARTED, r->trigger, 0);
	json_object_object_add(f, "attempt", jsonh_new_int(r->attempt));
	run_event(r, EV_EXECUTION_STARTED, f);
	if (r->failed) {
		run_finish(r);
		return;
	}
	if (r->budget.max_duration_ms > 0 &&
	    (r->deadline = clock_timer_new(r->ctx->clock, run_on_deadline, r)) != NULL) {
		long long left = r->budget.max_duration_ms - run_elapsed_ms(r);

		clock_timer_add(r->ctx->clock, r->deadline, left > 0 ? (long)left : 0);
	}
	run_pump(r);
}
