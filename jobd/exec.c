/* exec.c: the run of one execution on a worker (see exec.h). Every state change is a guarded
 * UPDATE; a step's outcome is committed before its dependants start; steps that succeeded in
 * an earlier attempt are reused, never run again. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/event.h>

#include "buf.h"
#include "db.h"
#include "events.h"
#include "exec.h"
#include "jsonh.h"
#include "log.h"
#include "nodes/node.h"
#include "sandbox.h"
#include "scheduler.h"
#include "uuid.h"
#include "wf.h"
#include "worker.h"

#define MS_INTERVAL	"$3::bigint * interval '1 millisecond'"

static const char SQL_CLAIM[] =
	"UPDATE executions SET status = 'running', attempt = attempt + 1, "
	"start_time = COALESCE(start_time, now()), lease_owner = $2, "
	"lease_expires_at = now() + " MS_INTERVAL " "
	"WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND "
	"(lease_expires_at IS NULL OR lease_expires_at < now()))) "
	"RETURNING definition, inputs, attempt";
/* The same for the entries of one queue read at once ($1: their ids). */
static const char SQL_CLAIM_MANY[] =
	"UPDATE executions SET status = 'running', attempt = attempt + 1, "
	"start_time = COALESCE(start_time, now()), lease_owner = $2, "
	"lease_expires_at = now() + " MS_INTERVAL " "
	"WHERE id = ANY($1::uuid[]) AND (status = 'queued' OR (status = 'running' AND "
	"(lease_expires_at IS NULL OR lease_expires_at < now()))) "
	"RETURNING definition, inputs, attempt, id::text";
static const char SQL_CLAIM_WHY[] =
	"SELECT status, lease_owner, (lease_expires_at IS NULL OR lease_expires_at < now()) "
	"FROM executions WHERE id = $1";
/* Whoever flips lease_owner to '' publishes execution.cancelled: exactly one does. */
static const char SQL_CANCEL_TAKE[] =
	"UPDATE executions SET lease_owner = '', lease_expires_at = NULL "
	"WHERE id = $1 AND status = 'cancelled' AND lease_owner IS DISTINCT FROM '' AND "
	"(lease_owner = $2 OR lease_expires_at IS NULL OR lease_expires_at < now()) RETURNING id";
static const char SQL_ABANDON_STEPS[] =
	"UPDATE execution_steps SET status = 'failed', error = 'worker lost during the step', "
	"finished_at = now() WHERE execution_id = $1 AND status = 'running'";
/* Per node: the last attempt number used, whether one succeeded, and the latest success. */
static const char SQL_EARLIER_STEPS[] =
	"SELECT node_id, max(attempt), bool_or(status = 'succeeded'), "
	"(array_agg(output ORDER BY attempt DESC) FILTER (WHERE status = 'succeeded'))[1] "
	"FROM execution_steps WHERE execution_id = $1 GROUP BY node_id";
static const char SQL_STEP_START[] =
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, input) "
	"SELECT $1, $2, COALESCE(max(attempt), 0) + 1, 'running', $3::jsonb "
	"FROM execution_steps WHERE execution_id = $1 AND node_id = $2 RETURNING attempt";
/* Finished CPU-only attempts, written together ($2 or $6: a JSON array of rows). A row
 * already there (written by a worker that lost the lease) is kept. */
#define STEP_ROWS(src, from, arg)					\
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, input, output, "\
	"error, started_at, finished_at) SELECT " src ", r.node_id, r.attempt, r.status, "	\
	"r.input, r.output, r.error, r.started_at, r.finished_at FROM " from		\
	"jsonb_to_recordset(" arg "::jsonb) AS r(node_id text, attempt int, status text, "	\
	"input jsonb, output jsonb, error text, started_at timestamptz, "		\
	"finished_at timestamptz) ON CONFLICT DO NOTHING"
static const char SQL_STEP_ROWS[] = STEP_ROWS("$1::uuid", "", "$2");
static const char SQL_STEP_END[] =
	"UPDATE execution_steps SET status = $4, output = $5::jsonb, error = $6, "
	"finished_at = now() WHERE execution_id = $1 AND node_id = $2 AND attempt = $3::int "
	"AND status = 'running'";
static const char SQL_STEP_SKIP[] =
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, finished_at) "
	"SELECT $1, $2, COALESCE(max(attempt), 0) + 1, 'skipped', now() FROM execution_steps "
	"WHERE execution_id = $1 AND node_id = $2 "
	"HAVING NOT COALESCE(bool_or(status = 'skipped'), false)";
static const char SQL_CANCEL_STEPS[] =
	"UPDATE execution_steps SET status = 'cancelled', error = $2, finished_at = now() "
	"WHERE execution_id = $1 AND status = 'running'";
static const char SQL_CANCEL_PENDING[] =
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, error, finished_at) "
	"SELECT $1, n, COALESCE((SELECT max(s.attempt) FROM execution_steps s "
	"WHERE s.execution_id = $1 AND s.node_id = n), 0) + 1, 'cancelled', "
	"'cancelled before it started', now() FROM unnest($2::text[]) AS n";
/* The ends of the network steps answered in one loop turn ($1: [{execution_id, node_id,
 * attempt, status, output, error}]), in one durable statement. */
static const char SQL_STEPS_END[] =
	"UPDATE execution_steps s SET status = d.status, output = d.output, error = d.error, "
	"finished_at = now() FROM jsonb_to_recordset($1::jsonb) AS d(execution_id uuid, "
	"node_id text, attempt int, status text, output jsonb, error text) "
	"WHERE s.execution_id = d.execution_id AND s.node_id = d.node_id AND "
	"s.attempt = d.attempt AND s.status = 'running'";
/* The final states of the executions that ended in one loop turn ($1: [{id, status, results,
 * error, steps}], $3: their ids, for the primary key) with their last CPU-only rows, in one
 * durable statement (one fsync); nothing is written for an execution no longer leased here
 * ($2). Returns the ids settled. */
static const char SQL_EXEC_END[] =
	"WITH d AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id uuid, status text, "
	"results jsonb, error text, steps jsonb)), "
	"e AS (UPDATE executions x SET status = d.status, results = d.results, error = d.error, "
	"end_time = now(), lease_owner = NULL, lease_expires_at = NULL FROM d "
	"WHERE x.id = ANY($3::uuid[]) AND x.id = d.id AND x.status = 'running' AND "
	"x.lease_owner = $2 "
	"RETURNING x.id, d.steps), "
	"s AS (" STEP_ROWS("e.id", "e, ", "e.steps") ") SELECT id::text FROM e";

/* One node's attempt (running), or the wait before its next attempt. */
struct step {
	struct exec		*ex;
	size_t			 node;
	int			 attempt;	/* execution_steps.attempt of the current try */
	int			 tries;		/* tries made in this run */
	int			 pending;	/* an asynchronous node is in flight */
	struct node_call	 call;
	json_object		*input;
	struct event		*timer;		/* timeout while running, back-off while waiting */
	char			 started[40];
	/* Answered, end not written yet: in w->step_ends, then w->step_settling. */
	struct step		*end_next;
	int			 ending;
	int			 end_written;	/* the current try's end row is committed */
	json_object		*end_out;
	char			*end_err;
};

struct exec {
	struct worker	*w;
	struct exec	*next;		/* hash chain of the worker's table */
	struct exec	*ending_next;	/* in w->ending, waiting for exec_settle_ended */
	int		 ending;
	char		 id[UUID_STRLEN + 1];
	char		 entry[48];
	struct log_ids	 ids;
	struct wf	*wf;
	struct sched	 sched;
	json_object	*ctx;		/* {input, <node_id>: {output}} */
	json_object	*done;		/* node_id -> output of steps completed earlier */
	json_object	*results;	/* output node id -> value */
	struct step	**steps;	/* per node, while running or waiting to retry */
	int		*attempts;	/* per node, the last attempt number used */
	json_object	*rows;		/* finished CPU-only attempts not written yet */
	size_t		 nactive;
	int		 failed;
	char		 error[512];
};

static void	exec_pump(struct exec *ex);
static int	step_start(struct step *st);

const char *
exec_id(const struct exec *ex)
{
	return ex->id;
}

const char *
exec_entry(const struct exec *ex)
{
	return ex->entry;
}

struct exec **
exec_next(struct exec *ex)
{
	return &ex->next;
}

/* ---------------------------------------------------------------- lifetime */

/* Takes "st" out of the worker's list of answered steps it is in (one of two). */
static void
step_end_unlink(struct step *st)
{
	struct step	**pp;
	int		 i;

	for (i = 0; i < 2; i++) {
		pp = i == 0 ? &st->ex->w->step_ends : &st->ex->w->step_settling;
		for (; *pp != NULL; pp = &(*pp)->end_next)
			if (*pp == st) {
				*pp = st->end_next;
				st->ending = 0;
				return;
			}
	}
}

static void
step_free(struct step *st)
{
	if (st == NULL)
		return;
	if (st->ending)
		step_end_unlink(st);
	json_object_put(st->end_out);
	free(st->end_err);
	if (st->timer != NULL)
		event_free(st->timer);
	json_object_put(st->input);
	free(st);
}

/* Stops step "st" wherever it is (in flight or waiting) and frees it. */
static void
step_abort(struct step *st)
{
	struct exec	*ex = st->ex;
	const struct node_impl *impl = &node_impls[ex->wf->nodes[st->node].type];

	if (st->pending && impl->abort != NULL)
		impl->abort(&st->call);
	ex->steps[st->node] = NULL;
	ex->nactive--;
	step_free(st);
}

/* Frees "ex" after taking it out of the worker. */
static void
exec_free(struct exec *ex)
{
	struct worker	*w = ex->w;
	size_t		 i;

	for (i = 0; ex->steps != NULL && ex->wf != NULL && i < ex->wf->nnodes; i++)
		if (ex->steps[i] != NULL)
			step_abort(ex->steps[i]);
	if (ex->ending) {
		struct exec	**p;

		for (p = &w->ending; *p != NULL; p = &(*p)->ending_next)
			if (*p == ex) {
				*p = ex->ending_next;
				break;
			}
	}
	if (ex->entry[0] != '\0')
		worker_table_remove(w, ex);
	sched_clear(&ex->sched);
	free(ex->steps);
	free(ex->attempts);
	json_object_put(ex->rows);
	wf_free(ex->wf);
	json_object_put(ex->ctx);
	json_object_put(ex->done);
	json_object_put(ex->results);
	free(ex);
	worker_exec_gone(w);
}

void
exec_release(struct exec *ex)
{
	log_info(&ex->ids, "released; left pending for another worker");
	exec_free(ex);
}

/* Postgres failed or the execution is no longer ours: stop, keep the entry pending. */
static void
exec_lost(struct exec *ex, const char *why)
{
	log_warn(&ex->ids, "%s; execution left to its next lease holder", why);
	exec_free(ex);
}

/* ---------------------------------------------------------------- events and context */

/* A new {node_id, node_type, attempt} object for a node event. */
static json_object *
exec_node_fields(struct exec *ex, size_t k, int attempt)
{
	json_object	*f = json_object_new_object();

	json_object_object_add(f, "node_id", json_object_new_string(ex->wf->nodes[k].id));
	json_object_object_add(f, "node_type",
	    json_object_new_string(wf_types[ex->wf->nodes[k].type].name));
	if (attempt > 0)
		json_object_object_add(f, "attempt", json_object_new_int(attempt));
	return f;
}

static void
exec_event(struct exec *ex, enum event_type type, json_object *fields)
{
	events_publish(ex->w->redis, ex->id, type, fields);
	json_object_put(fields);
}

/* Adds a node's output to the context. An input node's fields are also reachable directly
 * (".in.topic" as well as ".in.output.topic"). */
static void
exec_ctx_add(struct exec *ex, size_t k, json_object *output)
{
	const struct wf_node	*n = &ex->wf->nodes[k];
	json_object		*entry;

	if (n->type == WF_NODE_INPUT && json_object_is_type(output, json_type_object))
		entry = jsonh_copy(output);
	else
		entry = json_object_new_object();
	json_object_object_add(entry, "output", json_object_get(output));
	json_object_object_add(ex->ctx, n->id, entry);
	if (n->type == WF_NODE_OUTPUT)
		json_object_object_add(ex->results, n->id, json_object_get(output));
}

/* The step input: outputs of the direct predecessors that were not skipped, by node id. */
static json_object *
exec_step_input(struct exec *ex, size_t k)
{
	json_object	*in = json_object_new_object(), *entry, *out;
	size_t		 e;

	if (ex->wf->nodes[k].type == WF_NODE_INPUT) {
		json_object_put(in);
		json_object_object_get_ex(ex->ctx, "input", &out);
		return json_object_get(out);
	}
	for (e = 0; e < ex->wf->nedges; e++) {
		const struct wf_edge *ed = &ex->wf->edges[e];

		if (ed->target != k || ex->sched.edge[e] != 1)
			continue;
		out = NULL;
		if (json_object_object_get_ex(ex->ctx, ex->wf->nodes[ed->source].id, &entry))
			json_object_object_get_ex(entry, "output", &out);
		json_object_object_add(in, ex->wf->nodes[ed->source].id, json_object_get(out));
	}
	return in;
}

/* The handles node "k" takes with output "out". */
static unsigned
exec_handles(struct exec *ex, size_t k, json_object *out)
{
	bool	 truthy = out != NULL && !(json_object_is_type(out, json_type_boolean) &&
		    !json_object_get_boolean(out));

	return sched_handles(ex->wf->nodes[k].type, truthy);
}

/* Writes the finished CPU-only attempts held in ex->rows (on the fast connection: they have
 * no side effects and simply run again if the rows are lost). Returns 0, or -1 when Postgres
 * failed. */
static int
exec_flush_rows(struct exec *ex)
{
	enum db_rc	 drc;

	if (json_object_array_length(ex->rows) == 0)
		return 0;
	drc = db_exec(ex->w->db_fast, SQL_STEP_ROWS, 2, (const char *[]){ ex->id,
	    jsonh_str(ex->rows) }, NULL);
	json_object_put(ex->rows);
	ex->rows = json_object_new_array();
	return drc == DB_OK ? 0 : -1;
}

/* ---------------------------------------------------------------- ending */

/* Marks running and never-started steps cancelled, then publishes execution.cancelled if
 * this worker is the one that takes the cancellation (SQL_CANCEL_TAKE). */
static void
exec_mark_cancelled(struct worker *w, const char *id, struct exec *ex)
{
	struct buf	 arr;
	PGresult	*res = NULL;
	size_t		 k;

	/* Never-started steps first, then the running ones: a reader that sees a cancelled
	 * running step sees the rest too. */
	if (ex != NULL) {
		buf_init(&arr);
		buf_puts(&arr, "{");
		for (k = 0; k < ex->wf->nnodes; k++) {
			enum sched_state s = ex->sched.state[k];

			if (s == SCHED_DONE || s == SCHED_SKIPPED ||
			    (s == SCHED_RUNNING && ex->steps[k] != NULL && ex->steps[k]->pending &&
			    wf_types[ex->wf->nodes[k].type].network) ||
			    json_object_object_get_ex(ex->done, ex->wf->nodes[k].id, NULL))
				continue;
			/* Node ids are [A-Za-z0-9_]: safe as bare array elements. */
			buf_printf(&arr, "%s%s", arr.len > 1 ? "," : "", ex->wf->nodes[k].id);
		}
		buf_puts(&arr, "}");
		if (arr.len > 2)
			db_exec(w->db, SQL_CANCEL_PENDING, 2, (const char *[]){ id, arr.data }, NULL);
		buf_clear(&arr);
	}
	db_exec(w->db, SQL_CANCEL_STEPS, 2, (const char *[]){ id, "cancelled" }, NULL);
	if (db_row(w->db, SQL_CANCEL_TAKE, 2, (const char *[]){ id, w->owner }, &res) == DB_OK) {
		json_object	*f = json_object_new_object();

		json_object_object_add(f, "status", json_object_new_string("cancelled"));
		events_publish(w->redis, id, EV_EXECUTION_CANCELLED, f);
		json_object_put(f);
		log_info(LOG_IDS(NULL, id), "execution cancelled");
	}
	PQclear(res);
}

void
exec_cancel(struct exec *ex)
{
	size_t	 k;

	/* Stop in-flight work first (HTTP transfers close their sockets now). "pending" stays
	 * set: those steps have a running row, which SQL_CANCEL_STEPS marks. Aborting twice
	 * (again in exec_free) is harmless. */
	for (k = 0; ex->wf != NULL && ex->steps != NULL && k < ex->wf->nnodes; k++)
		if (ex->steps[k] != NULL && ex->steps[k]->pending)
			node_impls[ex->wf->nodes[k].type].abort(&ex->steps[k]->call);
	exec_mark_cancelled(ex->w, ex->id, ex->wf != NULL && ex->steps != NULL ? ex : NULL);
	worker_ack(ex->w, ex->entry);
	exec_free(ex);
}

/* Looks at why the final update matched nothing: cancelled meanwhile, or lost. */
static void
exec_end_refused(struct exec *ex)
{
	PGresult	*res = NULL;
	int		 cancelled;

	if (db_row(ex->w->db, SQL_CLAIM_WHY, 1, (const char *[]){ ex->id }, &res) != DB_OK) {
		exec_lost(ex, "cannot read the execution");
		return;
	}
	cancelled = strcmp(PQgetvalue(res, 0, 0), "cancelled") == 0;
	PQclear(res);
	if (cancelled) {
		exec_flush_rows(ex);	/* what did run is shown beside the cancelled rest */
		exec_cancel(ex);
	}
	else
		exec_lost(ex, "final update refused (no longer leased here)");
}

/* The final state is committed: publishes the terminal event, acknowledges and frees. */
static void
exec_ended(struct exec *ex)
{
	const char	*status = ex->failed ? "failed" : "succeeded";
	json_object	*f = json_object_new_object();

	json_object_object_add(f, "status", json_object_new_string(status));
	if (ex->failed)
		json_object_object_add(f, "error", json_object_new_string(ex->error));
	else
		json_object_object_add(f, "results", json_object_get(ex->results));
	exec_event(ex, ex->failed ? EV_EXECUTION_FAILED : EV_EXECUTION_COMPLETED, f);
	log_emit(ex->failed ? LOGL_INFO : LOGL_DEBUG, &ex->ids, "execution %s", status);
	worker_ack(ex->w, ex->entry);
	exec_free(ex);
}

/* Nothing runs any more: queue the final state for exec_settle_ended, which writes those of
 * every execution that ended in this loop turn together. */
static void
exec_finish(struct exec *ex)
{
	struct worker	*w = ex->w;

	if (ex->ending)
		return;
	ex->ending = 1;
	ex->ending_next = w->ending;
	w->ending = ex;
	event_active(w->settle_ev, EV_TIMEOUT, 1);
}

void
exec_settle_ended(struct worker *w)
{
	struct exec	*list = w->ending, *ex, *next;
	json_object	*batch, *o;
	struct buf	 ids;
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 i, settled;

	w->ending = NULL;
	if (list == NULL)
		return;
	batch = json_object_new_array();
	buf_init(&ids);
	buf_puts(&ids, "{");
	for (ex = list; ex != NULL; ex = ex->ending_next) {
		buf_printf(&ids, "%s%s", ids.len > 1 ? "," : "", ex->id);
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_string(ex->id));
		json_object_object_add(o, "status",
		    json_object_new_string(ex->failed ? "failed" : "succeeded"));
		json_object_object_add(o, "results", ex->failed ? NULL :
		    json_object_get(ex->results));
		json_object_object_add(o, "error", ex->failed ?
		    json_object_new_string(ex->error) : NULL);
		json_object_object_add(o, "steps", json_object_get(ex->rows));
		json_object_array_add(batch, o);
	}
	buf_puts(&ids, "}");
	drc = db_exec(w->db, SQL_EXEC_END, 3, (const char *[]){ jsonh_str(batch), w->owner,
	    ids.data }, &res);
	json_object_put(batch);
	buf_clear(&ids);
	for (ex = list; ex != NULL; ex = next) {
		next = ex->ending_next;
		ex->ending = 0;
		ex->ending_next = NULL;
		settled = 0;
		for (i = 0; drc == DB_OK && !settled && i < PQntuples(res); i++)
			settled = strcasecmp(PQgetvalue(res, i, 0), ex->id) == 0;
		if (drc != DB_OK)
			exec_lost(ex, "cannot record the final status");
		else if (settled)
			exec_ended(ex);
		else
			exec_end_refused(ex);
	}
	PQclear(res);
}

/* Fails the execution because node "node_id" failed with "err": stops every other step
 * (their running rows are marked cancelled); exec_pump then finishes. */
static void
exec_fail(struct exec *ex, const char *node_id, const char *err)
{
	size_t	 k;

	ex->failed = 1;
	snprintf(ex->error, sizeof(ex->error), "node \"%s\" failed: %s", node_id, err);
	for (k = 0; k < ex->wf->nnodes; k++)
		if (ex->steps[k] != NULL)
			step_abort(ex->steps[k]);
	db_exec(ex->w->db, SQL_CANCEL_STEPS, 2, (const char *[]){ ex->id,
	    "stopped: another step failed" }, NULL);
	log_info(&ex->ids, "%s", ex->error);
}

/* ---------------------------------------------------------------- steps */

static void
step_detach(struct step *st)
{
	st->ex->steps[st->node] = NULL;
	st->ex->nactive--;
	step_free(st);
}

/* Records attempt "st" ended with "status". A network node updates its running row durably
 * before anything that depends on it starts: an answer from the network was written with
 * the others of its loop turn already (exec_settle_steps), a timeout or an immediate
 * failure is written here. A CPU-only attempt is kept in ex->rows and written with the
 * others of the same scheduling pass (exec_pump, exec_finish).
 * Returns 0, or -1 when Postgres failed. */
static int
step_record(struct step *st, const char *status, json_object *out, const char *err)
{
	struct exec		*ex = st->ex;
	const struct wf_node	*n = &ex->wf->nodes[st->node];
	json_object		*row;
	char			 attempt[16], now[40];

	if (wf_types[n->type].network) {
		if (st->end_written)
			return 0;
		snprintf(attempt, sizeof(attempt), "%d", st->attempt);
		return db_exec(ex->w->db, SQL_STEP_END, 6, (const char *[]){ ex->id, n->id,
		    attempt, status, jsonh_str(out), err }, NULL) == DB_OK ? 0 : -1;
	}
	st->attempt = ++ex->attempts[st->node];
	log_timestamp(now, sizeof(now));
	row = json_object_new_object();
	json_object_object_add(row, "node_id", json_object_new_string(n->id));
	json_object_object_add(row, "attempt", json_object_new_int(st->attempt));
	json_object_object_add(row, "status", json_object_new_string(status));
	json_object_object_add(row, "input", json_object_get(st->input));
	json_object_object_add(row, "output", json_object_get(out));
	json_object_object_add(row, "error", err != NULL ? json_object_new_string(err) : NULL);
	json_object_object_add(row, "started_at", json_object_new_string(st->started));
	json_object_object_add(row, "finished_at", json_object_new_string(now));
	json_object_array_add(ex->rows, row);
	/* Published once the attempt number is known; still before its outcome. */
	exec_event(ex, EV_NODE_STARTED, exec_node_fields(ex, st->node, st->attempt));
	return 0;
}

/* The node succeeded (or failed with continue_on_error) with "out": record, publish, and
 * resolve its outgoing edges. Returns 0, or -1 when "ex" was freed. */
static int
step_succeeded(struct step *st, json_object *out, const char *err)
{
	struct exec	*ex = st->ex;
	size_t		 k = st->node;
	json_object	*f;

	if (step_record(st, "succeeded", out, err) == -1) {
		exec_lost(ex, "cannot record a step");
		return -1;
	}
	f = exec_node_fields(ex, k, st->attempt);
	json_object_object_add(f, "output", json_object_get(out));
	if (err != NULL)
		json_object_object_add(f, "error", json_object_new_string(err));
	exec_event(ex, EV_NODE_COMPLETED, f);
	exec_ctx_add(ex, k, out);
	step_detach(st);
	sched_complete(&ex->sched, k, exec_handles(ex, k, out));
	return 0;
}

/* The back-off before try number "tries + 1": exponential from retry_backoff_ms, capped at an
 * hour, with "equal jitter" (a random point in its upper half). */
static long
step_backoff_ms(struct step *st)
{
	const struct wf_policy	*p = &st->ex->wf->nodes[st->node].policy;
	long			 d = p->retry_backoff_ms;
	int			 i;

	for (i = 1; i < st->tries && d < 3600000L; i++)
		d *= 2;
	if (d > 3600000L)
		d = 3600000L;
	return d / 2 + (long)worker_rand(st->ex->w, (uint64_t)(d / 2 + 1));
}

/* True when a failed try of "st" is to be tried again. */
static bool
step_will_retry(const struct step *st)
{
	return st->tries <= st->ex->wf->nodes[st->node].policy.retries;
}

/* True when the try of "st" that failed counts as success: its last, under
 * continue_on_error. */
static bool
step_continues(const struct step *st)
{
	return !step_will_retry(st) && st->ex->wf->nodes[st->node].policy.continue_on_error;
}

/* The output a step continuing after an error records: {error, output} (new reference). */
static json_object *
step_error_output(json_object *out, const char *err)
{
	json_object	*wrapped = json_object_new_object();

	json_object_object_add(wrapped, "error", json_object_new_string(err));
	if (out != NULL)
		json_object_object_add(wrapped, "output", json_object_get(out));
	return wrapped;
}

/* The attempt failed with "err" (and maybe a partial "out"): retry later, continue, or fail
 * the execution. Returns 0, or -1 when "ex" was freed. */
static int
step_failed(struct step *st, json_object *out, const char *err)
{
	struct exec		*ex = st->ex;
	const struct wf_node	*n = &ex->wf->nodes[st->node];
	json_object		*f, *wrapped;
	long			 ms;
	int			 rc, retry = step_will_retry(st);

	if (step_continues(st)) {
		wrapped = step_error_output(out, err);
		rc = step_succeeded(st, wrapped, err);
		json_object_put(wrapped);
		return rc;
	}
	if (step_record(st, "failed", out, err) == -1) {
		exec_lost(ex, "cannot record a step");
		return -1;
	}
	f = exec_node_fields(ex, st->node, st->attempt);
	json_object_object_add(f, "error", json_object_new_string(err));
	json_object_object_add(f, "will_retry", json_object_new_boolean(retry));
	if (retry) {
		ms = step_backoff_ms(st);
		json_object_object_add(f, "retry_in_ms", json_object_new_int64(ms));
		exec_event(ex, EV_NODE_FAILED, f);
		struct timeval tv = { ms / 1000, (ms % 1000) * 1000 };
		evtimer_add(st->timer, &tv);
		return 0;
	}
	exec_event(ex, EV_NODE_FAILED, f);
	exec_fail(ex, n->id, err);
	return 0;
}

/* Routes an attempt's outcome. Returns 0, or -1 when "ex" was freed. */
static int
step_outcome(struct step *st, json_object *out, const char *err)
{
	return err == NULL ? step_succeeded(st, out, NULL) : step_failed(st, out, err);
}

/* An asynchronous node answered (node_call.done): the answer waits in w->step_ends for
 * exec_settle_steps, which writes the ends of every step answered in this loop turn with
 * one durable commit, then lets each execution go on. */
static void
step_on_done(struct node_call *c, json_object *out, const char *err)
{
	struct step	*st = c->owner;
	struct exec	*ex = st->ex;
	struct worker	*w = ex->w;

	st->pending = 0;
	evtimer_del(st->timer);
	if (!wf_types[ex->wf->nodes[st->node].type].network) {
		/* A CPU step (answered by the sandbox) has no running row to update: its outcome
		 * joins the pass's rows. */
		if (step_outcome(st, out, err) == 0)
			exec_pump(ex);
		json_object_put(out);
		return;
	}
	if (err != NULL && (st->end_err = strdup(err)) == NULL) {
		/* No memory to keep the error: record this one on its own. */
		if (step_outcome(st, out, err) == 0)
			exec_pump(ex);
		json_object_put(out);
		return;
	}
	st->end_out = out;
	st->ending = 1;
	st->end_next = w->step_ends;
	w->step_ends = st;
	event_active(w->settle_ev, EV_TIMEOUT, 1);
}

/* The row of answered step "st" as SQL_STEPS_END reads it (new reference): what
 * step_succeeded or step_failed will record for its answer. */
static json_object *
step_end_row(struct step *st)
{
	const struct wf_node	*n = &st->ex->wf->nodes[st->node];
	json_object		*row = json_object_new_object();
	bool			 ok = st->end_err == NULL || step_continues(st);

	json_object_object_add(row, "execution_id", json_object_new_string(st->ex->id));
	json_object_object_add(row, "node_id", json_object_new_string(n->id));
	json_object_object_add(row, "attempt", json_object_new_int(st->attempt));
	json_object_object_add(row, "status", json_object_new_string(ok ? "succeeded" :
	    "failed"));
	json_object_object_add(row, "output", st->end_err != NULL && ok ?
	    step_error_output(st->end_out, st->end_err) : json_object_get(st->end_out));
	json_object_object_add(row, "error", st->end_err != NULL ?
	    json_object_new_string(st->end_err) : NULL);
	return row;
}

void
exec_settle_steps(struct worker *w)
{
	struct step	*st;
	json_object	*batch, *out;
	enum db_rc	 drc;
	char		*err;

	if (w->step_ends == NULL)
		return;
	batch = json_object_new_array();
	for (st = w->step_ends; st != NULL; st = st->end_next)
		json_object_array_add(batch, step_end_row(st));
	drc = db_exec(w->db, SQL_STEPS_END, 1, (const char *[]){ jsonh_str(batch) }, NULL);
	json_object_put(batch);
	/* Going on with one step can free others of the list (a failure stops its siblings):
	 * step_free takes a freed one out of w->step_settling. */
	w->step_settling = w->step_ends;
	w->step_ends = NULL;
	while ((st = w->step_settling) != NULL) {
		w->step_settling = st->end_next;
		st->ending = 0;
		st->end_next = NULL;
		out = st->end_out;
		err = st->end_err;
		st->end_out = NULL;
		st->end_err = NULL;
		if (drc != DB_OK)
			exec_lost(st->ex, "cannot record a step");
		else {
			struct exec	*ex = st->ex;

			st->end_written = 1;
			if (step_outcome(st, out, err) == 0)
				exec_pump(ex);
		}
		json_object_put(out);
		free(err);
	}
}

/* The step's timer: a timeout while in flight, the end of a back-off otherwise. */
static void
step_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct step	*st = arg;
	struct exec	*ex = st->ex;
	char		 err[96];

	(void)fd;
	(void)what;
	if (st->pending) {
		node_impls[ex->wf->nodes[st->node].type].abort(&st->call);
		st->pending = 0;
		snprintf(err, sizeof(err), "timed out after %ld ms", st->call.timeout_ms);
		if (step_outcome(st, NULL, err) == 0)
			exec_pump(ex);
		return;
	}
	if (step_start(st) == 0)
		exec_pump(ex);
}

/* Starts one try of step "st". Returns 0, or -1 when "ex" was freed. */
static int
step_start(struct step *st)
{
	struct exec		*ex = st->ex;
	const struct wf_node	*n = &ex->wf->nodes[st->node];
	PGresult		*res = NULL;
	json_object		*out = NULL;
	struct timeval		 tv;
	char			 err[512];
	enum node_rc		 rc;
	int			 alive;

	st->tries++;
	st->end_written = 0;
	log_timestamp(st->started, sizeof(st->started));
	if (wf_types[n->type].network) {
		/* Recorded as running before the side effect. No fsync needed: a step that did not
		 * complete runs again on resume whether or not this row survived. Its end is
		 * written durably (step_record). */
		if (db_row(ex->w->db_fast, SQL_STEP_START, 3, (const char *[]){ ex->id, n->id,
		    jsonh_str(st->input) }, &res) != DB_OK) {
			exec_lost(ex, "cannot record a step start");
			return -1;
		}
		st->attempt = ex->attempts[st->node] = atoi(PQgetvalue(res, 0, 0));
		PQclear(res);
		exec_event(ex, EV_NODE_STARTED, exec_node_fields(ex, st->node, st->attempt));
	}
	memset(&st->call, 0, sizeof(st->call));
	st->call.node = n;
	st->call.execution_id = ex->id;
	st->call.ctx = ex->ctx;
	st->call.input = st->input;
	st->call.env = &ex->w->env;
	st->call.timeout_ms = wf_types[n->type].network ? n->policy.timeout_ms :
	    sandbox_timeout_ms(ex->w->env.sandbox, n->policy.timeout_ms);
	st->call.done = step_on_done;
	st->call.owner = st;
	err[0] = '\0';
	rc = node_impls[n->type].run(&st->call, &out, err, sizeof(err));
	if (rc == NODE_PENDING) {
		/* A CPU step's limit is the sandbox's; its timer here is a backstop. */
		long ms = st->call.timeout_ms + (wf_types[n->type].network ? 0 :
		    SANDBOX_BACKSTOP_MS);

		st->pending = 1;
		tv.tv_sec = ms / 1000;
		tv.tv_usec = (ms % 1000) * 1000;
		evtimer_add(st->timer, &tv);
		return 0;
	}
	alive = step_outcome(st, out, rc == NODE_OK ? NULL : (err[0] ? err : "failed"));
	json_object_put(out);
	return alive;
}

/* Creates the step of node "k" and starts its first try. Returns 0, or -1 when "ex" was
 * freed. */
static int
step_begin(struct exec *ex, size_t k)
{
	struct step	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL ||
	    (st->timer = evtimer_new(ex->w->base, step_on_timer, st)) == NULL) {
		free(st);
		exec_lost(ex, "out of memory");
		return -1;
	}
	st->ex = ex;
	st->node = k;
	st->input = exec_step_input(ex, k);
	ex->steps[k] = st;
	ex->nactive++;
	return step_start(st);
}

/* Records node "k" as skipped. Returns 0, or -1 when "ex" was freed. */
static int
exec_skip(struct exec *ex, size_t k)
{
	if (db_exec(ex->w->db_fast, SQL_STEP_SKIP, 2, (const char *[]){ ex->id,
	    ex->wf->nodes[k].id }, NULL) != DB_OK) {
		exec_lost(ex, "cannot record a skipped step");
		return -1;
	}
	ex->attempts[k]++;
	exec_event(ex, EV_NODE_SKIPPED, exec_node_fields(ex, k, 0));
	sched_skip(&ex->sched, k);
	return 0;
}

/* True when a step waits on the network, a clock or a back-off, not only on the sandbox. */
static bool
exec_waits_long(struct exec *ex)
{
	size_t	 k;

	for (k = 0; k < ex->wf->nnodes; k++)
		if (ex->steps[k] != NULL && !(ex->steps[k]->pending &&
		    !wf_types[ex->wf->nodes[k].type].network))
			return true;
	return false;
}

/* Starts everything that is resolved; finishes once nothing runs and nothing is left. */
static void
exec_pump(struct exec *ex)
{
	json_object	*prev;
	size_t		 k;
	bool		 skip;

	while (!ex->failed && sched_next(&ex->sched, &k, &skip)) {
		if (skip) {
			if (exec_skip(ex, k) == -1)
				return;
		} else if (json_object_object_get_ex(ex->done, ex->wf->nodes[k].id, &prev)) {
			/* Completed by an earlier attempt: reuse, never run again. */
			exec_ctx_add(ex, k, prev);
			sched_complete(&ex->sched, k, exec_handles(ex, k, prev));
		} else if (step_begin(ex, k) == -1)
			return;
	}
	if (ex->nactive > 0) {
		/* Waiting on the network, a clock or a back-off: write this pass's rows now (not
		 * for the sandbox alone: it answers within the loop turns that follow). */
		if (exec_waits_long(ex) && exec_flush_rows(ex) == -1)
			exec_lost(ex, "cannot record steps");
		return;
	}
	if (!ex->failed && !sched_finished(&ex->sched)) {
		ex->failed = 1;
		snprintf(ex->error, sizeof(ex->error), "internal error: scheduler stalled");
	}
	exec_finish(ex);
}

/* ---------------------------------------------------------------- claim */

/* The claim matched nothing: decide what to do with the queue entry. */
static enum exec_rc
exec_claim_refused(struct worker *w, const char *id)
{
	PGresult	*res = NULL;
	const char	*status, *owner;
	int		 expired;
	enum exec_rc	 rc = EXEC_KEEP;

	switch (db_row(w->db, SQL_CLAIM_WHY, 1, (const char *[]){ id }, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		return EXEC_ACK;
	default:
		return EXEC_KEEP;
	}
	status = PQgetvalue(res, 0, 0);
	owner = db_text(res, 0, 1);
	expired = PQgetvalue(res, 0, 2)[0] == 't';
	if (strcmp(status, "succeeded") == 0 || strcmp(status, "failed") == 0)
		rc = EXEC_ACK;
	else if (strcmp(status, "cancelled") == 0) {
		/* Cancelled before any worker ran it, or its worker died: settle it here. */
		if (owner == NULL || owner[0] == '\0' || expired || strcmp(owner, w->owner) == 0) {
			exec_mark_cancelled(w, id, NULL);
			rc = EXEC_ACK;
		}
	} else if (strcmp(status, "running") == 0 && owner != NULL &&
	    strcmp(owner, w->owner) == 0)
		rc = EXEC_ACK;	/* a duplicate entry of a run in progress here */
	PQclear(res);
	return rc;
}

/* Sets up the run from row "r" of a claim (definition, inputs, attempt). Returns 0, or -1
 * with ex->error set when the execution cannot run (it then fails). */
static int
exec_prepare(struct exec *ex, PGresult *row, int r)
{
	json_object	*def = db_json(row, r, 0), *errors = json_object_new_array(), *f;
	int		 attempt = atoi(PQgetvalue(row, r, 2)), rc = 0;
	PGresult	*res = NULL;
	long		 k;
	int		 i;

	json_object_object_add(ex->ctx, "input", db_json(row, r, 1));
	f = json_object_new_object();
	json_object_object_add(f, "attempt", json_object_new_int(attempt));
	exec_event(ex, EV_EXECUTION_STARTED, f);
	if (attempt > ex->w->set->max_attempts) {
		snprintf(ex->error, sizeof(ex->error), "given up after %d attempts", attempt - 1);
		rc = -1;
	} else if (wf_parse_opts(def, WF_PARSE_NO_COMPILE, &ex->wf, errors) == -1) {
		snprintf(ex->error, sizeof(ex->error), "invalid definition: %.400s",
		    jsonh_str(errors));
		rc = -1;
	} else if ((ex->attempts = calloc(ex->wf->nnodes + 1, sizeof(*ex->attempts))) == NULL) {
		snprintf(ex->error, sizeof(ex->error), "out of memory");
		rc = -2;
	} else if (attempt > 1) {
		/* A resumed run: steps the lost worker left running failed; reuse successes. */
		if (db_exec(ex->w->db, SQL_ABANDON_STEPS, 1, (const char *[]){ ex->id },
		    NULL) != DB_OK || db_exec(ex->w->db, SQL_EARLIER_STEPS, 1,
		    (const char *[]){ ex->id }, &res) != DB_OK) {
			snprintf(ex->error, sizeof(ex->error), "postgres");
			rc = -2;
		}
		for (i = 0; res != NULL && i < PQntuples(res); i++) {
			if ((k = wf_node_index(ex->wf, PQgetvalue(res, i, 0))) >= 0)
				ex->attempts[k] = atoi(PQgetvalue(res, i, 1));
			if (PQgetvalue(res, i, 2)[0] == 't')
				json_object_object_add(ex->done, PQgetvalue(res, i, 0),
				    db_json(res, i, 3));
		}
		PQclear(res);
	}
	json_object_put(errors);
	json_object_put(def);
	return rc;
}

/* Runs the execution claimed in row "r" of "claim" (not freed here). */
static enum exec_rc
exec_run_claimed(struct worker *w, const char *exec_id, const char *entry_id, PGresult *claim,
    int r)
{
	struct exec	*ex;
	int		 rc;

	if ((ex = calloc(1, sizeof(*ex))) == NULL)
		return EXEC_KEEP;
	ex->w = w;
	snprintf(ex->id, sizeof(ex->id), "%s", exec_id);
	snprintf(ex->entry, sizeof(ex->entry), "%s", entry_id);
	ex->ids.execution_id = ex->id;
	ex->ctx = json_object_new_object();
	ex->done = json_object_new_object();
	ex->results = json_object_new_object();
	ex->rows = json_object_new_array();
	worker_table_add(w, ex);
	rc = exec_prepare(ex, claim, r);
	if (rc == -2) {
		exec_lost(ex, "cannot load earlier steps");
		return EXEC_STARTED;
	}
	if (rc == -1 || sched_init(&ex->sched, ex->wf) == -1 ||
	    (ex->steps = calloc(ex->wf->nnodes + 1, sizeof(*ex->steps))) == NULL) {
		ex->failed = 1;
		if (ex->error[0] == '\0')
			snprintf(ex->error, sizeof(ex->error), "out of memory");
		exec_finish(ex);
		return EXEC_STARTED;
	}
	exec_pump(ex);
	return EXEC_STARTED;
}

void
exec_claim_many(struct worker *w, const char *const *ids, size_t n)
{
	struct buf	 arr;
	char		 lease[24];
	size_t		 i;

	exec_claims_clear(w);
	buf_init(&arr);
	buf_puts(&arr, "{");
	for (i = 0; i < n; i++)
		if (uuid_valid(ids[i]) && worker_table_find(w, ids[i]) == NULL)
			buf_printf(&arr, "%s%s", arr.len > 1 ? "," : "", ids[i]);
	buf_puts(&arr, "}");
	snprintf(lease, sizeof(lease), "%ld", w->set->lease_ms);
	if (arr.len > 2 && db_exec(w->db_fast, SQL_CLAIM_MANY, 3, (const char *[]){ arr.data,
	    w->owner, lease }, &w->claims) == DB_OK)
		w->claims_taken = 1;
	buf_clear(&arr);
}

void
exec_claims_clear(struct worker *w)
{
	PQclear(w->claims);
	w->claims = NULL;
	w->claims_taken = 0;
}

enum exec_rc
exec_start(struct worker *w, const char *exec_id, const char *entry_id)
{
	PGresult	*row = NULL;
	enum exec_rc	 rc;
	char		 lease[24];
	int		 i;

	if (!uuid_valid(exec_id))
		return EXEC_ACK;
	if (worker_table_find(w, exec_id) != NULL)
		return EXEC_ACK;	/* a duplicate entry of a run in progress here */
	if (w->claims_taken) {
		/* Claimed with the rest of its queue read (exec_claim_many), or refused. */
		for (i = 0; i < PQntuples(w->claims); i++)
			if (strcasecmp(PQgetvalue(w->claims, i, 3), exec_id) == 0)
				return exec_run_claimed(w, exec_id, entry_id, w->claims, i);
		return exec_claim_refused(w, exec_id);
	}
	snprintf(lease, sizeof(lease), "%ld", w->set->lease_ms);
	/* The claim needs no fsync: lost in a Postgres crash, the row is simply claimed again. */
	switch (db_row(w->db_fast, SQL_CLAIM, 3, (const char *[]){ exec_id, w->owner, lease },
	    &row)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		return exec_claim_refused(w, exec_id);
	case DB_INVALID:
		return EXEC_ACK;
	default:
		return EXEC_KEEP;
	}
	rc = exec_run_claimed(w, exec_id, entry_id, row, 0);
	PQclear(row);
	return rc;
}

void
exec_lease_lost(struct exec *ex)
{
	exec_end_refused(ex);
}
