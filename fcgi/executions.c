/* executions.c: starting a workflow (inputs checked against the input node, the definition
 * snapshot stored, then enqueued), listing executions and reading one with its steps. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "listing.h"
#include "log.h"
#include "queue.h"
#include "uuid.h"
#include "validate.h"
#include "wf.h"

static const char SQL_EXEC_WORKFLOW[] =
	"SELECT w.definition, w.version FROM workflows w WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2)";
static const char SQL_EXEC_INSERT[] =
	"INSERT INTO executions AS e (id, workflow_id, workflow_version, definition, inputs, "
	"owner_id) VALUES ($1, $2, $3::int, $4::jsonb, $5::jsonb, $6) RETURNING " EXEC_JSON;
static const char SQL_EXEC_UNDO[] =
	"DELETE FROM executions WHERE id = $1 AND status = 'queued'";
static const char SQL_EXEC_GET[] =
	"SELECT json_build_object(" EXEC_FIELDS ", 'steps', COALESCE((SELECT json_agg("
	"json_build_object('node_id', s.node_id, 'status', s.status, 'attempt', s.attempt, "
	"'input', s.input, 'output', s.output, 'error', s.error, 'usage', s.usage, "
	"'started_at', s.started_at, 'finished_at', s.finished_at) "
	"ORDER BY s.started_at, s.node_id, s.attempt) "
	"FROM execution_steps s WHERE s.execution_id = e.id), '[]'::json)) "
	"FROM executions e WHERE e.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2)";
static const char SQL_EXECS_LIST[] =
	"SELECT " EXEC_JSON ", " LIST_SQL_KEYS("e") " FROM executions e WHERE "
	"($1::uuid IS NULL OR e.owner_id = $1) AND " LIST_SQL_CURSOR("e") " AND "
	"$5::text IS NULL AND ($6::uuid IS NULL OR e.workflow_id = $6) AND "
	"($7::text IS NULL OR e.status = $7)" LIST_SQL_ORDER("e");

static const struct field_spec exec_fields[] = {
	{ "inputs", json_type_object, false, 0, 0 },
};
static const char *const exec_statuses[] = {
	"queued", "running", "succeeded", "failed", "cancelled",
};

/* Checks "inputs" against the `schema` of the definition's input node, when it has one; a
 * schema stored before the meta-schema existed is checked first. */
static void
executions_check_inputs(json_object *def, json_object *inputs, json_object *errors)
{
	json_object	*nodes = jsonh_get_typed(def, "nodes", json_type_array), *n, *schema;
	const char	*type;
	char		 field[64];
	size_t		 i;

	for (i = 0; nodes != NULL && i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		if ((type = jsonh_get_string(n, "type")) == NULL || strcmp(type, "input") != 0)
			continue;
		schema = jsonh_get_typed(jsonh_get_typed(n, "config", json_type_object),
		    "schema", json_type_object);
		snprintf(field, sizeof(field), "definition.nodes[%zu].config.schema", i);
		if (schema != NULL && jsmeta_check(schema, field, errors) == 0)
			jschema_validate(schema, inputs, "inputs", errors);
	}
}

/* Checks the stored definition "def" against the caps (one stored before they existed may be
 * over them) and "inputs" (NULL: none, which runs as {}) against its input node. Returns 0,
 * or -1 after answering 413 or 422. */
static int
executions_check(struct req *rq, json_object *def, json_object *inputs)
{
	json_object	*errors = json_object_new_array(), *empty = NULL;
	int		 rc = -1;

	if (wf_limits_check(def, errors) == -1) {
		resp_problem(rq, 413, "the workflow's definition is too large to run; edit it",
		    errors);
		goto out;
	}
	if (inputs == NULL)
		inputs = empty = json_object_new_object();
	executions_check_inputs(def, inputs, errors);
	if (json_object_array_length(errors) > 0)
		resp_problem(rq, 422, "the inputs do not match the input node", errors);
	else
		rc = 0;
out:
	json_object_put(empty);
	json_object_put(errors);
	return rc;
}

/* Stores the execution of the workflow row "wf" and, once stored, enqueues it. */
static int
executions_start(struct req *rq, PGresult *wf, json_object *inputs)
{
	PGresult	*res = NULL;
	char		 id[UUID_STRLEN + 1];
	enum db_rc	 drc;
	int		 rc;

	if (uuid_new(id) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	drc = db_row(rq->app->db, SQL_EXEC_INSERT, 6, (const char *[]){ id, rq->args[0],
	    PQgetvalue(wf, 0, 1), PQgetvalue(wf, 0, 0), inputs ? jsonh_str(inputs) : "{}",
	    rq->user.user_id }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	if (queue_enqueue(rq->app->redis, id) == -1) {
		/* Nothing runs it: take the row back so the client's retry is the only copy. */
		db_exec(rq->app->db, SQL_EXEC_UNDO, 1, (const char *[]){ id }, NULL);
		PQclear(res);
		return resp_problem(rq, 503, "the execution queue is unavailable", NULL);
	}
	log_debug(LOG_IDS(rq->request_id, id), "execution queued for workflow %s",
	    rq->args[0]);
	rc = resp_raw_json(rq, 202, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
executions_create(struct req *rq)
{
	json_object	*body = NULL, *errors = NULL, *def = NULL, *inputs;
	PGresult	*wf = NULL;
	enum db_rc	 drc;
	int		 rc;

	if (req_id_arg(rq) == -1 || req_json_body(rq, 1, &body) == -1)
		return 0;
	errors = json_object_new_array();
	if (body != NULL && validate_body(body, exec_fields, 1, errors) == -1) {
		rc = resp_problem(rq, 422, "the execution request is invalid", errors);
		goto out;
	}
	inputs = jsonh_get_typed(body, "inputs", json_type_object);
	drc = db_row(rq->app->db, SQL_EXEC_WORKFLOW, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &wf);
	if (drc != DB_OK) {
		rc = resp_db_error(rq, drc);
		goto out;
	}
	if ((def = db_json(wf, 0, 0)) == NULL) {
		rc = resp_problem(rq, 500, "the stored definition is unreadable", NULL);
		goto out;
	}
	rc = 0;
	if (executions_check(rq, def, inputs) == 0)
		rc = executions_start(rq, wf, inputs);
out:
	PQclear(wf);
	json_object_put(def);
	json_object_put(errors);
	json_object_put(body);
	return rc;
}

/* Reads the workflow_id and status filters. Returns 0, or -1 after answering 422. */
static int
executions_filters(struct req *rq, char *wf, size_t wflen, char *status, size_t stlen)
{
	size_t	 i;
	int	 found = 0;

	wf[0] = status[0] = '\0';
	if (req_query(rq, "workflow_id", wf, wflen) != 0 && !uuid_valid(wf))
		return resp_invalid(rq, "workflow_id", "must be a UUID"), -1;
	if (req_query(rq, "status", status, stlen) == 0)
		return 0;
	for (i = 0; i < sizeof(exec_statuses) / sizeof(exec_statuses[0]); i++)
		found |= strcmp(status, exec_statuses[i]) == 0;
	if (!found)
		return resp_invalid(rq, "status",
		    "must be queued, running, succeeded, failed or cancelled"), -1;
	return 0;
}

int
executions_list(struct req *rq)
{
	struct list_params	 lp;
	PGresult		*res = NULL;
	char			 wf[UUID_STRLEN + 8], status[16];
	enum db_rc		 drc;
	int			 rc;

	if (list_params_parse(rq, &lp, 0) == -1 ||
	    executions_filters(rq, wf, sizeof(wf), status, sizeof(status)) == -1)
		return 0;
	drc = db_exec(rq->app->db, SQL_EXECS_LIST, 7, (const char *[]){ req_owner_filter(rq),
	    list_micros(&lp), list_cursor_id(&lp), lp.limit_plus_one, NULL,
	    wf[0] ? wf : NULL, status[0] ? status : NULL }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = list_respond(rq, res, &lp);
	PQclear(res);
	return rc;
}

int
executions_get(struct req *rq)
{
	if (req_id_arg(rq) == -1)
		return 0;
	return resp_row(rq, 200, SQL_EXEC_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
