/* step.c: the attempts of one node within a run (see run_int.h), under the node's step policy
 * (policy.h). A CPU-only attempt (its node has no side effects) is kept in the run's rows and
 * written with the others of its scheduling pass; a network attempt is recorded as running
 * before its side effect, and its end is committed through the store's group commit before
 * anything that depends on it starts. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "clock.h"
#include "jsonh.h"
#include "log.h"
#include "metrics.h"
#include "otlp.h"
#include "budget.h"
#include "policy.h"
#include "run_int.h"
#include "utf8.h"
#include "xalloc.h"

static int	step_start(struct step *st);
static void	step_ended(struct step *st, json_object *out, const char *err);
static void	step_ended_clean(struct step *st, json_object *out, const char *err);

static const struct wf_node *
step_node(const struct step *st)
{
	return &st->run->wf->nodes[st->node];
}

static bool
step_network(const struct step *st)
{
	return wf_types[step_node(st)->type]->network;
}

/* Ends the span of the try of "st" (if open): an error with "err". */
static void
step_span_end(struct step *st, const char *err)
{
	otlp_span_end(&st->span, err != NULL ? TRACE_STATUS_ERROR : TRACE_STATUS_UNSET, err);
}

/* Starts the span of a try of "st", a child of its run's. */
static void
step_span_start(struct step *st)
{
	const struct wf_node	*n = step_node(st);
	char			 name[TRACE_NAME_MAX];

	snprintf(name, sizeof(name), "%s %s", wf_types[n->type]->name, n->id);
	if (!otlp_span_start(&st->span, &st->run->span.ctx, name, TRACE_KIND_INTERNAL))
		return;
	trace_span_attr_str(&st->span, "fragent.execution_id", st->run->id);
	trace_span_attr_str(&st->span, "fragent.node_id", n->id);
	trace_span_attr_str(&st->span, "fragent.node_type", wf_types[n->type]->name);
	trace_span_attr_int(&st->span, "fragent.try", st->tries);
}

static void
step_free(struct step *st)
{
	if (st == NULL)
		return;
	step_span_end(st, "stopped");
	store_step_end_unqueue(st->run->ctx->store, &st->end);
	json_object_put(st->end.output);
	json_object_put(st->end_out);
	free(st->end_err);
	clock_timer_free(st->run->ctx->clock, st->timer);
	json_object_put(st->input);
	tape_deck_clear(&st->deck);
	free(st);
}

void
step_abort(struct step *st)
{
	struct run		*r = st->run;
	const struct node_impl	*impl = r->ctx->nodes[step_node(st)->type];

	if (st->pending && impl->abort != NULL)
		impl->abort(&st->call);
	r->steps[st->node] = NULL;
	r->nactive--;
	step_free(st);
}

/* The step is over (its node completed): it leaves the run. */
static void
step_detach(struct step *st)
{
	st->run->steps[st->node] = NULL;
	st->run->nactive--;
	step_free(st);
}

/* Keeps finished CPU-only attempt "st" in the run's rows (written with the others of its
 * scheduling pass by run_pump, or with the final state) and publishes its node.started, now
 * that its attempt number is known. */
static void
step_record_row(struct step *st, const char *status, json_object *out, const char *err)
{
	struct run	*r = st->run;
	json_object	*row = jsonh_new_object();
	char		 now[40];

	st->attempt = ++r->attempts[st->node];
	log_timestamp(now, sizeof(now));
	json_object_object_add(row, "node_id", jsonh_new_string(step_node(st)->id));
	json_object_object_add(row, "attempt", jsonh_new_int(st->attempt));
	json_object_object_add(row, "status", jsonh_new_string(status));
	json_object_object_add(row, "input", json_object_get(st->input));
	json_object_object_add(row, "output", json_object_get(out));
	json_object_object_add(row, "error", err != NULL ? jsonh_new_string(err) : NULL);
	json_object_object_add(row, "started_at", jsonh_new_string(st->started));
	json_object_object_add(row, "finished_at", jsonh_new_string(now));
	json_object_object_add(row, "exchanges", json_object_get(st->deck.log));
	json_object_object_add(row, "replay_source", jsonh_string_or_null(
	    tape_source(&st->deck)));
	json_object_array_add(r->rows, row);
	run_event(r, EV_NODE_STARTED, run_node_fields(r, st->node, st->attempt));
}

/* The policy attempt "st" ends under: its node's, or, once the run's budget refused it a
 * model call, none (no retry, no continue_on_error, no error branch: the run fails). */
static const struct wf_policy *
step_policy(const struct step *st)
{
	static const struct wf_policy spent = { 0 };

	return st->over_budget ? &spent : &step_node(st)->policy;
}

/* The node succeeded (or failed under continue_on_error, "err" then set) with "out": publish
 * and resolve its outgoing edges. */
static void
step_succeeded(struct step *st, json_object *out, const char *err)
{
	struct run	*r = st->run;
	size_t		 k = st->node;
	json_object	*f;

	f = run_node_fields(r, k, st->attempt);
	json_object_object_add(f, "output", json_object_get(out));
	if (err != NULL)
		json_object_object_add(f, "error", jsonh_new_string(err));
	run_event(r, EV_NODE_COMPLETED, f);
	run_ctx_add(r, k, out);
	step_detach(st);
	sched_complete(&r->sched, k, run_handles(r, k, out));
}

/* The node failed for good with "err" (and "out", a partial output or NULL) and has an error
 * branch: the step stays failed, its output is the error, the input of that branch, and
 * only the edges from "error" are taken. */
static void
step_branched(struct step *st, json_object *out, const char *err)
{
	struct run	*r = st->run;
	size_t		 k = st->node;
	json_object	*f, *in;

	in = policy_branch_output(step_node(st)->id, st->attempt, st->tries, out, err);
	f = run_node_fields(r, k, st->attempt);
	json_object_object_add(f, "error", jsonh_new_string(err));
	json_object_object_add(f, "will_retry", jsonh_new_boolean(false));
	json_object_object_add(f, "error_branch", jsonh_new_boolean(true));
	run_event(r, EV_NODE_FAILED, f);
	run_ctx_add(r, k, in);
	json_object_put(in);
	step_detach(st);
	sched_complete(&r->sched, k, 1u << WF_HANDLE_ERROR);
}

/* The attempt failed with "err" and will not continue: retry after a back-off, or fail the
 * run. */
static void
step_failed(struct step *st, const char *err)
{
	struct run		*r = st->run;
	const struct wf_node	*n = step_node(st);
	json_object		*f;
	bool			 retry = policy_will_retry(step_policy(st), st->tries);
	long			 ms;

	f = run_node_fields(r, st->node, st->attempt);
	json_object_object_add(f, "error", jsonh_new_string(err));
	json_object_object_add(f, "will_retry", jsonh_new_boolean(retry));
	if (retry) {
		metrics_inc(M_STEP_RETRIES, n->type, 0);
		ms = policy_backoff_ms(step_policy(st), st->tries, r->ctx->rand(r->ctx->arg));
		json_object_object_add(f, "retry_in_ms", jsonh_new_int64(ms));
		run_event(r, EV_NODE_FAILED, f);
		clock_timer_add(r->ctx->clock, st->timer, ms);
		return;
	}
	run_event(r, EV_NODE_FAILED, f);
	run_fail(r, n->id, err);
}

/* Resolves an attempt that ended with "out"/"err" and was recorded: the node completed
 * (continue_on_error included), takes its error branch, is retried after a back-off, or
 * fails the run. Never frees the run; the caller pumps. */
static void
step_resolve(struct step *st, json_object *out, const char *err)
{
	json_object	*wrapped;
	uint64_t	 ms = clock_now_ms(st->run->ctx->clock) - st->started_ms;

	metrics_observe(M_STEP_DURATION, step_node(st)->type, metrics_run_status(err == NULL ?
	    "succeeded" : "failed"), ms * 1000);
	if (err == NULL)
		step_succeeded(st, out, NULL);
	else if (policy_continues(step_policy(st), st->tries)) {
		wrapped = policy_error_output(out, err);
		step_succeeded(st, wrapped, err);
		json_object_put(wrapped);
	} else if (policy_branches(step_policy(st), st->tries))
		step_branched(st, out, err);
	else
		step_failed(st, err);
}

/* A CPU-only attempt ended: record it in the rows and resolve it. */
static void
step_cpu_ended(struct step *st, json_object *out, const char *err)
{
	const struct wf_policy	*p = step_policy(st);
	json_object		*wrapped;

	if (err == NULL)
		step_record_row(st, "succeeded", out, NULL);
	else if (policy_continues(p, st->tries)) {
		wrapped = policy_error_output(out, err);
		step_record_row(st, "succeeded", wrapped, err);
		json_object_put(wrapped);
	} else if (policy_branches(p, st->tries)) {
		/* The row takes the attempt number that follows the last one. */
		wrapped = policy_branch_output(step_node(st)->id, st->run->attempts[st->node] + 1,
		    st->tries, out, err);
		step_record_row(st, "failed", wrapped, err);
		json_object_put(wrapped);
	} else
		step_record_row(st, "failed", out, err);
	step_resolve(st, out, err);
}

/* The store wrote (or failed to write) the end of network attempt "e": go on. */
static void
step_on_end_written(struct store_step_end *e, enum store_rc rc)
{
	struct step	*st = (struct step *)((char *)e - offsetof(struct step, end));
	struct run	*r = st->run;
	json_object	*out = st->end_out;
	char		*err = st->end_err;

	st->end_out = NULL;
	st->end_err = NULL;
	json_object_put(st->end.output);
	st->end.output = NULL;
	if (rc == STORE_NOTFOUND)
		run_lost(r);		/* cancelled or taken over meanwhile */
	else if (rc != STORE_OK)
		run_drop(r, "cannot record a step");
	else {
		step_resolve(st, out, err);
		run_pump(r);
	}
	json_object_put(out);
	free(err);
}

/* A network attempt ended with "out" (handed over) and "err": queue its end for the store's
 * next flush, which writes the ends of every attempt answered in this loop turn with one
 * durable commit, then goes on with each. */
static void
step_network_ended(struct step *st, json_object *out, const char *err)
{
	bool	 ok = err == NULL || policy_continues(step_policy(st), st->tries);

	st->end_out = out;
	if (err != NULL)
		st->end_err = xstrdup(err);
	st->end.execution_id = st->run->id;
	st->end.node_id = step_node(st)->id;
	st->end.attempt = st->attempt;
	st->end.status = ok ? "succeeded" : "failed";
	if (err != NULL && ok)
		st->end.output = policy_error_output(out, err);
	else if (err != NULL && policy_branches(step_policy(st), st->tries))
		st->end.output = policy_branch_output(step_node(st)->id, st->attempt, st->tries,
		    out, err);
	else
		st->end.output = json_object_get(out);
	st->end.error = st->end_err;
	st->end.exchanges = st->deck.log;
	st->end.replay_source = tape_source(&st->deck);
	st->end.done = step_on_end_written;
	store_step_end_queue(st->run->ctx->store, &st->end);
}

/* What a node answered, made storable: "out" (taken) comes back with NUL and ill-formed
 * UTF-8 replaced (a server or a model chooses its bytes, and PostgreSQL must be able to store
 * the step, or it could never be recorded and would run again at every lease), its objects'
 * members in the order jsonb keeps them (what depends on it then sees the same value whether
 * it was just made or read back: a resume, a replay); "*err" is pointed at a cleaned copy in
 * "b" when it needs one. */
static json_object *
step_storable(json_object *out, const char **err, struct buf *b)
{
	if (*err != NULL && !utf8_storable(*err, strlen(*err))) {
		utf8_clean(*err, strlen(*err), b);
		*err = b->data;
	}
	return jsonh_stored_order(jsonh_make_storable(out));
}

/* An attempt in flight ended (its node answered or timed out; "out" handed over): record it
 * the node's way and go on. */
static void
step_ended(struct step *st, json_object *out, const char *err)
{
	struct buf	 b;

	buf_init(&b);
	out = step_storable(out, &err, &b);
	step_ended_clean(st, out, err);
	buf_clear(&b);
}

/* The same once "out" and "err" are storable. */
static void
step_ended_clean(struct step *st, json_object *out, const char *err)
{
	struct run	*r = st->run;

	step_span_end(st, err);
	st->pending = false;
	clock_timer_del(r->ctx->clock, st->timer);
	if (step_network(st)) {
		step_network_ended(st, out, err);
		return;
	}
	step_cpu_ended(st, out, err);
	json_object_put(out);
	run_pump(r);
}

/* The node waits for an answer from outside the run (NODE_WAIT; "about" says what it waits
 * for): its attempt is recorded waiting, it leaves the run's active steps without completing
 * (what depends on it stays unresolved), and the run parks once nothing else runs
 * (run_pump). */
static void
step_waiting(struct step *st, json_object *about)
{
	struct run	*r = st->run;
	json_object	*f, *row;

	step_record_row(st, "waiting", NULL, NULL);
	row = json_object_array_get_idx(r->rows, json_object_array_length(r->rows) - 1);
	json_object_object_add(row, "finished_at", NULL);
	f = run_node_fields(r, st->node, st->attempt);
	if (about != NULL)
		json_object_object_add(f, "approval", json_object_get(about));
	run_event(r, EV_NODE_WAITING, f);
	log_info(&r->ids, "node \"%s\" waits for an answer", step_node(st)->id);
	r->nwaiting++;
	step_detach(st);
}

/* A node that answered NODE_PENDING ended (node_call.done). */
static void
step_on_done(struct node_call *c, json_object *out, const char *err)
{
	step_ended(c->owner, out, err);
}

/* The step's timer: a timeout while in flight, the end of a back-off otherwise. */
static void
step_on_timer(void *arg)
{
	struct step	*st = arg;
	struct run	*r = st->run;
	char		 err[96];

	if (st->pending) {
		r->ctx->nodes[step_node(st)->type]->abort(&st->call);
		snprintf(err, sizeof(err), "timed out after %ld ms", st->call.timeout_ms);
		step_ended(st, NULL, err);
		return;
	}
	if (step_start(st) == 0)
		run_pump(r);
}

/* The time an attempt of "st" may take: its timeout_ms, capped for a CPU-only node by the
 * expression limit. */
static long
step_limit_ms(const struct step *st)
{
	long	 t = step_node(st)->policy.timeout_ms, cap = st->run->ctx->cpu_limit_ms;

	if (step_network(st) || cap <= 0 || (t > 0 && t < cap))
		return t;
	return cap;
}

/* node_call.budget_check: a model call estimated at "tokens" and "cost_usd" must keep the
 * agent ("own") and the run within their budgets; a refused one fails the run whatever the
 * node's policy. */
static int
step_budget_check(struct node_call *c, const struct budget_limits *own,
    const struct budget_use *own_used, long long tokens, double cost_usd, char *err,
    size_t errlen)
{
	struct step	*st = c->owner;

	if ((own == NULL || budget_allows_call(own, own_used, tokens, cost_usd, "the agent's",
	    err, errlen) == 0) && budget_allows_call(&st->run->budget, &st->run->used, tokens,
	    cost_usd, "the run's", err, errlen) == 0)
		return 0;
	st->over_budget = true;
	return -1;
}

/* node_call.budget_spend: what a model call used, added to the run's and published. */
static void
step_budget_spend(struct node_call *c, long long tokens, double cost_usd)
{
	struct step	*st = c->owner;

	st->run->used.tokens += tokens;
	st->run->used.cost_usd += cost_usd;
	run_usage_event(st->run);
}

/* Runs the node of "st", a type answered from outside the run as a whole (recorded_whole):
 * a replay answers it from the original's outcome when its type, config, input and the run's
 * input are the same; otherwise it runs, noted as live. */
static enum node_rc
step_run_recorded(struct step *st, json_object **out, char *err, size_t errlen)
{
	struct run		*r = st->run;
	const struct wf_node	*n = step_node(st);
	json_object		*resp, *in = NULL;
	const char		*e;
	char			 key[TAPE_KEY_LEN + 1];

	json_object_object_get_ex(r->ctx_json, "input", &in);
	tape_keyf(TAPE_NODE, key, "%s\n%s\n%s\n%s", wf_types[n->type]->name,
	    jsonh_str(n->config), jsonh_str(st->input), jsonh_str(in));
	if (tape_play(&st->deck, TAPE_NODE, key, &resp)) {
		if ((e = jsonh_get_string(resp, "error")) != NULL) {
			snprintf(err, errlen, "%s", e);
			return NODE_ERROR;
		}
		*out = json_object_get(json_object_object_get(resp, "output"));
		return NODE_OK;
	}
	if (tape_refuses(&st->deck, wf_types[n->type]->name, err, errlen))
		return NODE_ERROR;
	tape_note(&st->deck, TAPE_NODE, key, NULL);
	return r->ctx->nodes[n->type]->run(&st->call, out, err, errlen);
}

/* Starts one try of step "st". Returns 0, or -1 when the run was freed. An attempt that
 * answers at once is resolved before this returns; the caller pumps. */
static int
step_start(struct step *st)
{
	struct run		*r = st->run;
	const struct wf_node	*n = step_node(st);
	json_object		*out = NULL;
	const char		*fail;
	struct buf		 b;
	char			 err[512];
	enum node_rc		 rc;
	enum store_rc		 src;

	st->tries++;
	log_timestamp(st->started, sizeof(st->started));
	st->started_ms = clock_now_ms(r->ctx->clock);
	if (step_network(st)) {
		/* The CPU-only rows of this pass go with the start: one round trip before the
		 * request leaves rather than two. */
		src = r->ctx->store->ops->step_start(r->ctx->store, r->id, n->id, st->input,
		    r->rows, &st->attempt);
		if (src != STORE_OK) {
			run_drop(r, src == STORE_NOTFOUND ? "no longer leased here" :
			    "cannot record a step start");
			return -1;
		}
		run_rows_written(r);
		r->attempts[st->node] = st->attempt;
		run_event(r, EV_NODE_STARTED, run_node_fields(r, st->node, st->attempt));
	}
	memset(&st->call, 0, sizeof(st->call));
	st->call.node = n;
	st->call.execution_id = r->id;
	st->call.ctx = r->ctx_json;
	st->call.input = st->input;
	st->call.env = r->ctx->env;
	st->call.timeout_ms = step_limit_ms(st);
	st->call.done = step_on_done;
	st->call.budget_check = step_budget_check;
	st->call.budget_spend = step_budget_spend;
	st->call.owner = st;
	tape_deck_clear(&st->deck);
	tape_deck_init(&st->deck, r->replaying ? &r->tape : NULL, n->id, r->offline);
	st->call.tape = &st->deck;
	step_span_start(st);
	st->call.trace = st->span.ctx;
	err[0] = '\0';
	if (wf_types[n->type]->recorded_whole)
		rc = step_run_recorded(st, &out, err, sizeof(err));
	else
		rc = r->ctx->nodes[n->type]->run(&st->call, &out, err, sizeof(err));
	if (rc == NODE_PENDING) {
		st->pending = true;
		/* A CPU-only node's limit is its evaluator's (the sandbox's): the timer here is a
		 * backstop. */
		clock_timer_add(r->ctx->clock, st->timer, st->call.timeout_ms +
		    (step_network(st) ? 0 : r->ctx->cpu_backstop_ms));
		return 0;
	}
	if (rc == NODE_WAIT) {
		step_span_end(st, NULL);
		step_waiting(st, out);
		json_object_put(out);
		return 0;
	}
	/* Answered at once. A network attempt's end still goes through the store (the run goes
	 * on from the flush); a CPU-only one is resolved now and the caller's pump goes on. */
	fail = rc == NODE_OK ? NULL : (err[0] ? err : "failed");
	buf_init(&b);
	out = step_storable(out, &fail, &b);
	step_span_end(st, fail);
	if (step_network(st))
		step_network_ended(st, out, fail);
	else {
		step_cpu_ended(st, out, fail);
		json_object_put(out);
	}
	buf_clear(&b);
	return 0;
}

/* The step input: outputs of the direct predecessors that were not skipped, by node id (an
 * input node gets the execution's inputs). */
static json_object *
step_input(struct run *r, size_t k)
{
	json_object	*in, *entry, *out;
	size_t		 e;

	if (r->wf->nodes[k].type == WF_NODE_INPUT) {
		json_object_object_get_ex(r->ctx_json, "input", &out);
		return json_object_get(out);
	}
	in = jsonh_new_object();
	for (e = 0; e < r->wf->nedges; e++) {
		const struct wf_edge *ed = &r->wf->edges[e];

		if (ed->target != k || r->sched.edge[e] != 1)
			continue;
		out = NULL;
		if (json_object_object_get_ex(r->ctx_json, r->wf->nodes[ed->source].id, &entry))
			json_object_object_get_ex(entry, "output", &out);
		json_object_object_add(in, r->wf->nodes[ed->source].id, json_object_get(out));
	}
	return in;
}

int
step_begin(struct run *r, size_t k)
{
	struct step	*st;
	char		 err[256];

	if (budget_allows_step(&r->budget, &r->used, run_elapsed_ms(r), err, sizeof(err)) ==
	    -1) {
		run_fail_budget(r, err);
		return 0;
	}
	r->used.steps++;
	if (r->budget.max_steps > 0)
		run_usage_event(r);
	st = xcalloc(1, sizeof(*st));
	if ((st->timer = clock_timer_new(r->ctx->clock, step_on_timer, st)) == NULL) {
		free(st);
		run_drop(r, "cannot make a timer");
		return -1;
	}
	st->run = r;
	st->node = k;
	st->input = step_input(r, k);
	r->steps[k] = st;
	r->nactive++;
	return step_start(st);
}
