/* exec_delete.c: DELETE /executions/{id} (one ended execution) and POST /executions/delete
 * (the ended executions matching filters, a bounded batch per request). A delete takes the
 * execution's steps and the child runs it started with it (ON DELETE CASCADE); queued and
 * running executions, and ended ones with a child still running, are never deleted. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"

#define EXEC_DELETABLE(t) \
	t ".end_time IS NOT NULL AND NOT EXISTS (SELECT 1 FROM executions c WHERE " \
	"c.parent_execution_id = " t ".id AND c.end_time IS NULL)"

static const char SQL_DELETE_ONE[] =
	"DELETE FROM executions e WHERE e.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2) AND "
	EXEC_DELETABLE("e") " RETURNING e.id";
static const char SQL_STATUS[] =
	"SELECT status, end_time IS NULL FROM executions WHERE id = $1 AND "
	"($2::uuid IS NULL OR owner_id = $2)";

/* The filters of POST /executions/delete: $1 owner, $2 workflow_id, $3 status, $4 trigger,
 * $5 before (end_time earlier than). */
#define EXEC_MATCH \
	"($1::uuid IS NULL OR e.owner_id = $1) AND ($2::uuid IS NULL OR e.workflow_id = $2) " \
	"AND ($3::text IS NULL OR e.status = $3) AND ($4::text IS NULL OR e.trigger = $4) " \
	"AND ($5::timestamptz IS NULL OR e.end_time < $5) AND " EXEC_DELETABLE("e")
static const char SQL_DELETE_MATCHING[] =
	"DELETE FROM executions WHERE id IN (SELECT e.id FROM executions e WHERE " EXEC_MATCH
	" ORDER BY e.end_time LIMIT " EXECUTIONS_XSTR(EXECUTIONS_DELETE_MAX)
	" FOR UPDATE OF e SKIP LOCKED)";
static const char SQL_MORE[] =
	"SELECT EXISTS (SELECT 1 FROM executions e WHERE " EXEC_MATCH ")";

int
executions_delete(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	char		 detail[160];
	int		 rc;

	drc = db_row(rq->app->db, SQL_DELETE_ONE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res);
	PQclear(res);
	res = NULL;
	if (drc == DB_OK) {
		log_info(LOG_IDS(rq->request_id, rq->args[0]), "execution deleted");
		return resp_no_content(rq);
	}
	if (drc != DB_NOTFOUND)
		return resp_db_error(rq, drc);
	/* Missed: absent (404), or not ended, or a child still running (409). */
	if ((drc = db_row(rq->app->db, SQL_STATUS, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	if (PQgetvalue(res, 0, 1)[0] == 't')
		snprintf(detail, sizeof(detail), "the execution is %s: only an ended execution "
		    "can be deleted", PQgetvalue(res, 0, 0));
	else
		snprintf(detail, sizeof(detail), "a run this execution started is still "
		    "running: delete it once that run ends");
	rc = resp_problem(rq, 409, detail, NULL);
	PQclear(res);
	return rc;
}

int
executions_delete_matching(struct req *rq)
{
	json_object	*o;
	PGresult	*res = NULL;
	const char	*params[5];
	long		 n;
	enum db_rc	 drc;
	int		 rc;

	params[0] = req_owner_filter(rq);
	params[1] = jsonh_get_string(rq->json, "workflow_id");
	params[2] = jsonh_get_string(rq->json, "status");
	params[3] = jsonh_get_string(rq->json, "trigger");
	params[4] = jsonh_get_string(rq->json, "before");
	if ((drc = db_exec(rq->app->db, SQL_DELETE_MATCHING, 5, params, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	n = res != NULL ? strtol(PQcmdTuples(res), NULL, 10) : 0;
	PQclear(res);
	res = NULL;
	if ((drc = db_row(rq->app->db, SQL_MORE, 5, params, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	o = jsonh_new_object();
	json_object_object_add(o, "deleted", jsonh_new_int64(n));
	json_object_object_add(o, "more", jsonh_new_boolean(PQgetvalue(res, 0, 0)[0] == 't'));
	PQclear(res);
	log_info(LOG_IDS(rq->request_id, NULL), "%ld ended executions deleted", n);
	rc = resp_json(rq, 200, o);
	json_object_put(o);
	return rc;
}
