/* executions.c: POST /workflows/{id}/executions (a run started through shared/launch.c, which
 * checks the inputs against the input node and stores the definition snapshot), listing
 * executions and reading one with its steps. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "launch.h"
#include "listing.h"
#include "log.h"
#include "nitems.h"
#include "queue.h"
#include "uuid.h"

static const char SQL_EXEC_GET[] =
	"SELECT json_build_object(" LAUNCH_EXEC_FIELDS ", 'steps', COALESCE((SELECT json_agg("
	"json_build_object('node_id', s.node_id, 'status', s.status, 'attempt', s.attempt, "
	"'input', s.input, 'output', s.output, 'error', s.error, 'usage', s.usage, "
	"'started_at', s.started_at, 'finished_at', s.finished_at) "
	"ORDER BY s.started_at, s.node_id, s.attempt) "
	"FROM execution_steps s WHERE s.execution_id = e.id), '[]'::json)) "
	"FROM executions e WHERE e.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2)";
static const char SQL_EXECS_LIST[] =
	"SELECT " LAUNCH_EXEC_JSON ", " LIST_SQL_KEYS("e") " FROM executions e WHERE "
	"($1::uuid IS NULL OR e.owner_id = $1) AND " LIST_SQL_CURSOR("e") " AND "
	"$5::text IS NULL AND ($6::uuid IS NULL OR e.workflow_id = $6) AND "
	"($7::text IS NULL OR e.status = $7)" LIST_SQL_ORDER("e");

static const char *const exec_statuses[] = {
	"queued", "running", "succeeded", "failed", "cancelled",
};

int
executions_answer(struct req *rq, enum launch_rc lrc, enum db_rc drc, json_object *errors,
    PGresult *row, const char *invalid)
{
	switch (lrc) {
	case LAUNCH_REPLAYED:
		req_header_add(rq, "Idempotent-Replayed: true");
		/* FALLTHROUGH */
	case LAUNCH_OK:
		return resp_raw_json(rq, 202, PQgetvalue(row, 0, 0),
		    (size_t)PQgetlength(row, 0, 0));
	case LAUNCH_KEY_REUSED:
		return resp_invalid(rq, "Idempotency-Key", "was used for another request "
		    "(another body or route) in the last " LAUNCH_XSTR(LAUNCH_KEY_TTL_HOURS)
		    " hours");
	case LAUNCH_NOTFOUND:
		return resp_db_error(rq, DB_NOTFOUND);
	case LAUNCH_INVALID:
		return resp_problem(rq, 422, invalid, errors);
	case LAUNCH_TOO_LARGE:
		return resp_problem(rq, 413, "the workflow's definition is too large to run; "
		    "edit it", errors);
	case LAUNCH_UNREADABLE:
		return resp_problem(rq, 500, "the stored definition is unreadable", NULL);
	case LAUNCH_NO_RANDOM:
		return resp_problem(rq, 503, "no randomness available", NULL);
	case LAUNCH_DB:
		break;
	}
	return resp_db_error(rq, drc);
}

int
executions_idempotency(struct req *rq, struct launch *l,
    char fingerprint[2 * CRYPTO_SHA256_LEN + 1])
{
	const char	*key = req_param(rq, "HTTP_IDEMPOTENCY_KEY");
	unsigned char	 digest[CRYPTO_SHA256_LEN];
	struct buf	 id;
	size_t		 n, i;

	l->idempotency_key = l->fingerprint = NULL;
	if (key == NULL)
		return 0;
	n = strlen(key);
	for (i = 0; i < n && key[i] >= 0x20 && key[i] < 0x7f; i++)
		continue;
	if (n == 0 || n > LAUNCH_KEY_MAX || i < n)
		return resp_invalid(rq, "Idempotency-Key", "must be 1 to "
		    LAUNCH_XSTR(LAUNCH_KEY_MAX) " printable ASCII characters"), -1;
	buf_init(&id);
	buf_printf(&id, "%s\n%s\n", rq->method, rq->path);
	buf_append(&id, rq->body.data != NULL ? rq->body.data : "", rq->body.len);
	crypto_sha256(id.data, id.len, digest);
	buf_clear(&id);
	crypto_hex(digest, sizeof(digest), fingerprint);
	l->idempotency_key = key;
	l->fingerprint = fingerprint;
	return 0;
}

int
executions_create(struct req *rq)
{
	json_object	*errors;
	PGresult	*row = NULL;
	struct launch	 l = { .kind = LAUNCH_WORKFLOW };
	char		 fingerprint[2 * CRYPTO_SHA256_LEN + 1];
	enum launch_rc	 lrc;
	enum db_rc	 drc = DB_OK;
	int		 rc;

	if (executions_idempotency(rq, &l, fingerprint) == -1)
		return 0;
	errors = jsonh_new_array();
	l.target_id = rq->args[0];
	l.scope = req_owner_filter(rq);
	l.owner_id = rq->user.user_id;
	l.inputs = jsonh_get_typed(rq->json, "inputs", json_type_object);
	lrc = launch_start(rq->app->db, &l, queue_enqueue_port, rq->app->redis, errors, &row,
	    &drc);
	rc = executions_answer(rq, lrc, drc, errors, row, "the inputs do not match the input node");
	PQclear(row);
	json_object_put(errors);
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
	for (i = 0; i < NITEMS(exec_statuses); i++)
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
	return resp_row(rq, 200, SQL_EXEC_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
