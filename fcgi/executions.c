/* executions.c: starting a workflow (store the execution, enqueue it) and reading an execution. */
#include "config.h"

#include <stdio.h>

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "uuid.h"
#include "validate.h"
#include "wf.h"

#define EXEC_JSON \
	"json_build_object('id', e.id, 'workflow_id', e.workflow_id, " \
	"'workflow_version', e.workflow_version, 'status', e.status, 'inputs', e.inputs, " \
	"'results', e.results, 'error', e.error, 'attempt', e.attempt, " \
	"'created_at', e.created_at, 'start_time', e.start_time, 'end_time', e.end_time"

static const char SQL_EXEC_INSERT[] =
	"INSERT INTO executions AS e (id, workflow_id, workflow_version, definition, inputs) "
	"SELECT $1, w.id, w.version, w.definition, $2::jsonb FROM workflows w WHERE w.id = $3 "
	"RETURNING " EXEC_JSON ")";
static const char SQL_EXEC_UNDO[] =
	"DELETE FROM executions WHERE id = $1 AND status = 'queued'";
static const char SQL_EXEC_GET[] =
	"SELECT " EXEC_JSON ", 'steps', COALESCE((SELECT json_agg(json_build_object("
	"'node_id', s.node_id, 'status', s.status, 'attempt', s.attempt, 'input', s.input, "
	"'output', s.output, 'error', s.error, 'usage', s.usage, "
	"'started_at', s.started_at, 'finished_at', s.finished_at) "
	"ORDER BY s.started_at, s.node_id, s.attempt) "
	"FROM execution_steps s WHERE s.execution_id = e.id), '[]'::json)) "
	"FROM executions e WHERE e.id = $1";

static const struct field_spec exec_fields[] = {
	{ "inputs", json_type_object, false, 0, 0 },
};

/* Stores the execution and, once stored, enqueues it. */
static int
executions_start(struct req *rq, json_object *inputs)
{
	PGresult	*res = NULL;
	char		 id[UUID_STRLEN + 1];
	enum db_rc	 drc;
	int		 rc;

	if (uuid_new(id) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	drc = db_row(rq->app->db, SQL_EXEC_INSERT, 3,
	    (const char *[]){ id, inputs ? jsonh_str(inputs) : "{}", rq->args[0] }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	if (queue_enqueue(rq->app->redis, id) == -1) {
		/* Nothing runs it: take the row back so the client's retry is the only copy. */
		db_exec(rq->app->db, SQL_EXEC_UNDO, 1, (const char *[]){ id }, NULL);
		PQclear(res);
		return resp_problem(rq, 503, "the execution queue is unavailable", NULL);
	}
	log_info(LOG_IDS(rq->request_id, id), "execution queued for workflow %s",
	    rq->args[0]);
	rc = resp_raw_json(rq, 202, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
executions_create(struct req *rq)
{
	json_object	*body = NULL, *errors = NULL;
	int		 rc;

	if (!uuid_valid(rq->args[0]))
		return resp_problem(rq, 404, "not found", NULL);
	if (req_json_body(rq, 1, &body) == -1)
		return 0;
	errors = json_object_new_array();
	if (body != NULL && validate_body(body, exec_fields,
	    sizeof(exec_fields) / sizeof(exec_fields[0]), errors) == -1)
		rc = resp_problem(rq, 422, "the execution request is invalid", errors);
	else
		rc = executions_start(rq, jsonh_get_typed(body, "inputs", json_type_object));
	json_object_put(errors);
	json_object_put(body);
	return rc;
}

int
executions_get(struct req *rq)
{
	if (!uuid_valid(rq->args[0]))
		return resp_problem(rq, 404, "not found", NULL);
	return resp_row(rq, 200, SQL_EXEC_GET, 1, (const char *[]){ rq->args[0] });
}
