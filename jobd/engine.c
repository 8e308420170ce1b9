/* engine.c: the workflow runner of jobd (see engine.h). Every state change is a guarded UPDATE,
 * so a finished execution never goes back to running. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "engine.h"
#include "events.h"
#include "jsonh.h"
#include "log.h"
#include "nodes/node.h"
#include "wf.h"

static const char SQL_CLAIM[] =
	"UPDATE executions SET status = 'running', attempt = attempt + 1, "
	"start_time = COALESCE(start_time, now()) "
	"WHERE id = $1 AND status IN ('queued', 'running') RETURNING definition, inputs, attempt";
static const char SQL_ABANDON_STEPS[] =
	"UPDATE execution_steps SET status = 'failed', error = 'worker lost during the step', "
	"finished_at = now() WHERE execution_id = $1 AND status = 'running'";
static const char SQL_DONE_STEPS[] =
	"SELECT node_id, output FROM execution_steps "
	"WHERE execution_id = $1 AND status = 'succeeded'";
static const char SQL_STEP_START[] =
	"INSERT INTO execution_steps (execution_id, node_id, attempt, status, input) "
	"SELECT $1, $2, COALESCE(max(attempt), 0) + 1, 'running', $3::jsonb "
	"FROM execution_steps WHERE execution_id = $1 AND node_id = $2 RETURNING attempt";
static const char SQL_STEP_END[] =
	"UPDATE execution_steps SET status = $4, output = $5::jsonb, error = $6, "
	"finished_at = now() WHERE execution_id = $1 AND node_id = $2 AND attempt = $3::int "
	"AND status = 'running'";
static const char SQL_EXEC_END[] =
	"UPDATE executions SET status = $2, results = $3::jsonb, error = $4, end_time = now() "
	"WHERE id = $1 AND status = 'running'";

/* The state of one run. */
struct run {
	struct engine	*eng;
	const char	*id;
	struct log_ids	 ids;
	struct wf	*wf;
	json_object	*ctx;		/* {input, <node_id>: {output}} */
	json_object	*done;		/* node_id -> output of steps completed earlier */
	json_object	*results;	/* output node id -> value */
	char		 error[512];
};

/* Adds a node's output to the context. An input node's fields are also reachable directly
 * (".in.topic" as well as ".in.output.topic"). */
static void
run_ctx_add(struct run *r, const struct wf_node *n, json_object *output)
{
	json_object	*entry;

	if (n->type == WF_NODE_INPUT && json_object_is_type(output, json_type_object))
		entry = jsonh_copy(output);
	else
		entry = json_object_new_object();
	json_object_object_add(entry, "output", json_object_get(output));
	json_object_object_add(r->ctx, n->id, entry);
	if (n->type == WF_NODE_OUTPUT)
		json_object_object_add(r->results, n->id, json_object_get(output));
}

/* The node's step input: the outputs of its direct predecessors, by node id. */
static json_object *
run_step_input(struct run *r, size_t idx)
{
	json_object	*in = json_object_new_object(), *entry, *out;
	size_t		 e;

	if (r->wf->nodes[idx].type == WF_NODE_INPUT) {
		json_object_put(in);
		json_object_object_get_ex(r->ctx, "input", &out);
		return json_object_get(out);
	}
	for (e = 0; e < r->wf->nedges; e++) {
		const struct wf_node *src = &r->wf->nodes[r->wf->edges[e].source];

		if (r->wf->edges[e].target != idx)
			continue;
		out = NULL;
		if (json_object_object_get_ex(r->ctx, src->id, &entry))
			json_object_object_get_ex(entry, "output", &out);
		json_object_object_add(in, src->id, json_object_get(out));
	}
	return in;
}

/* Records the end of a step. Returns 0, or -1 when Postgres failed. */
static int
run_step_end(struct run *r, const char *node_id, const char *attempt, const char *status,
    json_object *output, const char *error)
{
	return db_exec(r->eng->db, SQL_STEP_END, 6, (const char *[]){ r->id, node_id, attempt,
	    status, error ? NULL : jsonh_str(output), error }, NULL) == DB_OK ? 0 : -1;
}

/* Runs one node: records the step, runs it, records the outcome, publishes events.
 * Returns 0 on success, 1 when the node failed, -1 when Postgres failed. */
static int
run_node(struct run *r, size_t idx)
{
	const struct wf_node	*n = &r->wf->nodes[idx];
	json_object		*input, *output = NULL, *ev;
	PGresult		*res = NULL;
	char			 attempt[16], err[512];
	int			 rc;

	input = run_step_input(r, idx);
	if (db_row(r->eng->db, SQL_STEP_START, 3, (const char *[]){ r->id, n->id,
	    jsonh_str(input) }, &res) != DB_OK) {
		json_object_put(input);
		return -1;
	}
	snprintf(attempt, sizeof(attempt), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	ev = json_object_new_object();
	json_object_object_add(ev, "node_id", json_object_new_string(n->id));
	json_object_object_add(ev, "node_type", json_object_new_string(wf_types[n->type].name));
	json_object_object_add(ev, "attempt", json_object_new_int(atoi(attempt)));
	events_publish(r->eng->redis, r->id, EV_NODE_STARTED, ev);
	err[0] = '\0';
	rc = node_runners[n->type](n, r->ctx, &output, err, sizeof(err)) == 0 ? 0 : 1;
	if (run_step_end(r, n->id, attempt, rc == 0 ? "succeeded" : "failed", output,
	    rc == 0 ? NULL : err) == -1)
		rc = -1;
	else if (rc == 0) {
		json_object_object_add(ev, "output", json_object_get(output));
		events_publish(r->eng->redis, r->id, EV_NODE_COMPLETED, ev);
		run_ctx_add(r, n, output);
	} else {
		json_object_object_add(ev, "error", json_object_new_string(err));
		events_publish(r->eng->redis, r->id, EV_NODE_FAILED, ev);
		snprintf(r->error, sizeof(r->error), "node \"%s\" failed: %s", n->id, err);
		log_info(&r->ids, "%s", r->error);
	}
	json_object_put(ev);
	json_object_put(output);
	json_object_put(input);
	return rc;
}

/* Loads the outputs of steps completed by earlier attempts into r->done. */
static int
run_load_done(struct run *r)
{
	PGresult	*res = NULL;
	int		 i;

	if (db_exec(r->eng->db, SQL_ABANDON_STEPS, 1, (const char *[]){ r->id }, NULL) != DB_OK ||
	    db_exec(r->eng->db, SQL_DONE_STEPS, 1, (const char *[]){ r->id }, &res) != DB_OK)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		json_object_object_add(r->done, PQgetvalue(res, i, 0), db_json(res, i, 1));
	PQclear(res);
	return 0;
}

/* Settles the execution's final state and publishes the terminal event. */
static enum engine_rc
run_finish(struct run *r, int failed)
{
	json_object	*ev = json_object_new_object();
	const char	*status = failed ? "failed" : "succeeded";

	if (db_exec(r->eng->db, SQL_EXEC_END, 4, (const char *[]){ r->id, status,
	    failed ? NULL : jsonh_str(r->results), failed ? r->error : NULL }, NULL) != DB_OK) {
		json_object_put(ev);
		return ENGINE_RETRY;
	}
	json_object_object_add(ev, "status", json_object_new_string(status));
	if (failed)
		json_object_object_add(ev, "error", json_object_new_string(r->error));
	else
		json_object_object_add(ev, "results", json_object_get(r->results));
	events_publish(r->eng->redis, r->id,
	    failed ? EV_EXECUTION_FAILED : EV_EXECUTION_COMPLETED, ev);
	json_object_put(ev);
	log_info(&r->ids, "execution %s", status);
	return ENGINE_DONE;
}

/* Runs every node in topological order, reusing completed ones. */
static enum engine_rc
run_nodes(struct run *r)
{
	json_object	*prev;
	size_t		 k;
	int		 rc;

	for (k = 0; k < r->wf->nnodes; k++) {
		const struct wf_node *n = &r->wf->nodes[r->wf->order[k]];

		if (json_object_object_get_ex(r->done, n->id, &prev)) {
			run_ctx_add(r, n, prev);
			continue;
		}
		if ((rc = run_node(r, r->wf->order[k])) == -1)
			return ENGINE_RETRY;
		if (rc == 1)
			return run_finish(r, 1);
	}
	return run_finish(r, 0);
}

/* Claims the execution and prepares the run. Returns 1 when claimed, 0 when there is nothing
 * to run, -1 when Postgres failed. */
static int
run_claim(struct run *r)
{
	PGresult	*res = NULL;
	json_object	*def, *inputs, *errors, *ev;
	enum db_rc	 drc;
	int		 rc = 1;

	drc = db_row(r->eng->db, SQL_CLAIM, 1, (const char *[]){ r->id }, &res);
	if (drc == DB_NOTFOUND || drc == DB_INVALID)
		return 0;
	if (drc != DB_OK)
		return -1;
	def = db_json(res, 0, 0);
	inputs = db_json(res, 0, 1);
	r->ctx = json_object_new_object();
	json_object_object_add(r->ctx, "input", inputs);
	ev = json_object_new_object();
	json_object_object_add(ev, "attempt", json_object_new_int(atoi(PQgetvalue(res, 0, 2))));
	events_publish(r->eng->redis, r->id, EV_EXECUTION_STARTED, ev);
	json_object_put(ev);
	errors = json_object_new_array();
	if (wf_parse(def, &r->wf, errors) == -1) {
		snprintf(r->error, sizeof(r->error), "invalid definition: %s", jsonh_str(errors));
		rc = 2;
	}
	json_object_put(errors);
	json_object_put(def);
	PQclear(res);
	return rc;
}

enum engine_rc
engine_run(struct engine *eng, const char *execution_id)
{
	struct run	 r;
	enum engine_rc	 rc = ENGINE_RETRY;

	memset(&r, 0, sizeof(r));
	r.eng = eng;
	r.id = execution_id;
	r.ids.execution_id = execution_id;
	r.done = json_object_new_object();
	r.results = json_object_new_object();
	switch (run_claim(&r)) {
	case 0:
		log_info(&r.ids, "nothing to run (finished, cancelled or unknown)");
		rc = ENGINE_DONE;
		break;
	case 1:
		if (run_load_done(&r) == 0)
			rc = run_nodes(&r);
		break;
	case 2:
		rc = run_finish(&r, 1);
		break;
	}
	wf_free(r.wf);
	json_object_put(r.ctx);
	json_object_put(r.done);
	json_object_put(r.results);
	return rc;
}
