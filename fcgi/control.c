/* control.c: POST /executions/{id}/cancel (a guarded status change, then a word to jobd on
 * the control channel) and /retry (queued again through shared/launch.c). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "log.h"
#include "queue.h"

/* Returns the execution and the status it had. A waiting one (held by no worker, in no
 * queue entry) has its waiting steps cancelled here, and is appended to the queue so that a
 * worker settles it (execution.cancelled). */
static const char SQL_CANCEL[] =
	"WITH o AS (SELECT id, status FROM executions WHERE id = $1 FOR UPDATE), "
	"c AS (UPDATE executions AS e SET status = 'cancelled', end_time = now() FROM o "
	"WHERE e.id = o.id AND ($2::uuid IS NULL OR e.owner_id = $2) AND "
	"e.status IN ('queued', 'running', 'waiting') RETURNING " LAUNCH_EXEC_JSON " AS j, "
	"o.status), "
	"s AS (UPDATE execution_steps t SET status = 'cancelled', error = 'cancelled', "
	"finished_at = now() FROM c WHERE c.status = 'waiting' AND t.execution_id = $1 AND "
	"t.status = 'waiting') SELECT j, status FROM c";
static const char SQL_STATUS[] =
	"SELECT status FROM executions WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";

/* After a guarded update matched nothing: 404, or 409 naming the current status. */
static int
control_missed(struct req *rq, const char *what)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	char		 detail[128];
	int		 rc;

	drc = db_row(rq->app->db, SQL_STATUS, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	snprintf(detail, sizeof(detail), "the execution is %s: it cannot be %s",
	    PQgetvalue(res, 0, 0), what);
	rc = resp_problem(rq, 409, detail, NULL);
	PQclear(res);
	return rc;
}

int
executions_cancel(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_CANCEL, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res);
	if (drc == DB_NOTFOUND)
		return control_missed(rq, "cancelled");
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	if (strcmp(PQgetvalue(res, 0, 1), "waiting") == 0 &&
	    queue_enqueue(rq->app->redis, rq->args[0]) == -1)
		log_warn(LOG_IDS(rq->request_id, rq->args[0]),
		    "cancel of a waiting run not enqueued: execution.cancelled not published");
	if (queue_publish_cancel(rq->app->redis, rq->args[0]) == -1)
		log_warn(LOG_IDS(rq->request_id, rq->args[0]),
		    "cancel not published: jobd will notice between steps");
	log_info(LOG_IDS(rq->request_id, rq->args[0]), "execution cancelled");
	rc = resp_raw_json(rq, 202, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
executions_retry(struct req *rq)
{
	PGresult	*row = NULL;
	enum launch_rc	 lrc;
	enum db_rc	 drc = DB_OK;
	int		 rc;

	lrc = launch_retry(rq->app->db, rq->args[0], req_owner_filter(rq),
	    rq->traceparent[0] != '\0' ? rq->traceparent : NULL, queue_enqueue_port,
	    rq->app->redis, &row, &drc);
	if (lrc == LAUNCH_NOTFOUND)
		return control_missed(rq, "retried");
	if (lrc == LAUNCH_OK)
		log_info(LOG_IDS(rq->request_id, rq->args[0]), "execution queued again");
	rc = executions_answer(rq, lrc, drc, NULL, row, "the retry is invalid");
	PQclear(row);
	return rc;
}
