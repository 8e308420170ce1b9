/* approvals.c: human approvals (the approval node type; see shared/approval.h): the pending
 * requests the caller may answer (GET /approvals and its count, the navigation's badge), the
 * requests of one execution (GET /executions/{id}/approvals) and answering one (POST
 * /executions/{id}/approvals/{node}). Who may answer: admins; the user the node names; users
 * of the role it names; with neither named, the execution's owner. Someone who may answer
 * sees the request even on another user's execution (that is what it is for); anyone else
 * follows the executions' rules (another user's answers 404). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval.h"
#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "wf.h"
#include "log.h"

/* Over approvals "a" and executions "e"; $1 the caller's id, $2 its role. */
#define MAY		APPROVAL_MAY_ANSWER("$1::uuid", "$2::text")
#define APPROVAL_FROM	" FROM approvals a JOIN executions e ON e.id = a.execution_id " \
	"LEFT JOIN workflows w ON w.id = e.workflow_id LEFT JOIN users u ON u.id = e.owner_id " \
	"LEFT JOIN users b ON b.id = a.answered_by "
#define APPROVAL_JSON	"json_build_object('execution_id', a.execution_id, 'node_id', " \
	"a.node_id, 'workflow_id', e.workflow_id, 'workflow_name', w.name, 'owner_id', " \
	"e.owner_id, 'owner_name', u.username, 'role', a.role, 'user_id', a.user_id, " \
	"'message', a.message, 'input', a.input, 'deadline', a.deadline, 'state', a.state, " \
	"'answered_by', a.answered_by, 'answered_by_name', b.username, 'comment', a.comment, " \
	"'created_at', a.created_at, 'answered_at', a.answered_at, 'execution_status', " \
	"e.status, 'can_answer', a.state = 'pending' AND e.status = 'waiting' AND " MAY ")"
/* Pending and answerable: the execution waits (a request of a run still going elsewhere is
 * answered once the run parks). */
#define PENDING		" a.state = 'pending' AND e.status = 'waiting' AND " MAY

/* $1 id, $2 role, $3 µs, $4 execution id (the cursor), $5 limit + 1. Newest first. */
static const char SQL_PENDING[] =
	"SELECT " APPROVAL_JSON ", (extract(epoch FROM a.created_at) * 1000000)::bigint, "
	"a.execution_id" APPROVAL_FROM "WHERE" PENDING " AND ($3::bigint IS NULL OR "
	"(a.created_at, a.execution_id) < (timestamptz 'epoch' + $3::bigint * "
	"interval '1 microsecond', $4::uuid)) ORDER BY a.created_at DESC, a.execution_id DESC "
	"LIMIT $5::int";
static const char SQL_PENDING_COUNT[] =
	"SELECT count(*) FROM approvals a JOIN executions e ON e.id = a.execution_id WHERE"
	PENDING;
/* $3 the execution, $4 the caller's owner filter (NULL: an admin). Visible to whoever sees
 * the execution, and each request to whoever may answer it. */
static const char SQL_OF_EXEC[] =
	"SELECT COALESCE(json_agg(" APPROVAL_JSON " ORDER BY a.created_at, a.node_id), "
	"'[]'::json)" APPROVAL_FROM "WHERE a.execution_id = $3 AND "
	"($4::uuid IS NULL OR e.owner_id = $4 OR " MAY ")";
/* $1 the execution, $2 the caller's owner filter: the caller sees it. */
static const char SQL_EXEC_SEEN[] =
	"SELECT 1 FROM executions WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_ONE[] =
	"SELECT " APPROVAL_JSON APPROVAL_FROM "WHERE a.execution_id = $3 AND a.node_id = $4";
/* What an answer needs to know first: state, the execution's status, whether the caller may
 * answer and whether it sees the execution ($5 owner filter). */
static const char SQL_CHECK[] =
	"SELECT a.state, e.status, " MAY ", ($5::uuid IS NULL OR e.owner_id = $5) "
	"FROM approvals a JOIN executions e ON e.id = a.execution_id "
	"WHERE a.execution_id = $3 AND a.node_id = $4";

static const char *
approvals_role(const struct req *rq)
{
	return role_names[rq->user.role];
}

/* True when "s" may be a node id (wf.c: [A-Za-z_][A-Za-z0-9_]*, at most WF_MAX_ID bytes). */
static bool
approvals_node_valid(const char *s)
{
	static const char	 ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				    "0123456789_";
	size_t			 n = strlen(s);

	return n > 0 && n <= WF_MAX_ID && strspn(s, ok) == n && !(s[0] >= '0' && s[0] <= '9');
}

/* GET /approvals: the pending requests the caller may answer, newest first, paged. */
int
approvals_list(struct req *rq)
{
	struct list_params	 lp;
	PGresult		*res = NULL;
	enum db_rc		 drc;
	int			 rc;

	if (list_params_parse(rq, &lp, 0) == -1)
		return 0;
	drc = db_exec(rq->app->db, SQL_PENDING, 5, (const char *[]){ rq->user.user_id,
	    approvals_role(rq), list_micros(&lp), list_cursor_id(&lp), lp.limit_plus_one },
	    &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = list_respond(rq, res, &lp);
	PQclear(res);
	return rc;
}

/* GET /approvals/count: how many requests the caller may answer now. */
int
approvals_count(struct req *rq)
{
	PGresult	*res = NULL;
	json_object	*obj;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_PENDING_COUNT, 2, (const char *[]){ rq->user.user_id,
	    approvals_role(rq) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	obj = jsonh_new_object();
	json_object_object_add(obj, "count", jsonh_new_int64(strtoll(PQgetvalue(res, 0, 0),
	    NULL, 10)));
	PQclear(res);
	rc = resp_json(rq, 200, obj);
	json_object_put(obj);
	return rc;
}

/* GET /executions/{id}/approvals: the execution's requests with their answers. 404 when the
 * caller neither sees the execution nor may answer one of them. */
int
approvals_of_execution(struct req *rq)
{
	struct buf	 b;
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_OF_EXEC, 4, (const char *[]){ rq->user.user_id,
	    approvals_role(rq), rq->args[0], req_owner_filter(rq) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	if (strcmp(PQgetvalue(res, 0, 0), "[]") == 0) {
		/* None visible: 404 unless the execution is the caller's (it asks nothing). */
		PQclear(res);
		res = NULL;
		drc = db_row(rq->app->db, SQL_EXEC_SEEN, 2, (const char *[]){ rq->args[0],
		    req_owner_filter(rq) }, &res);
		PQclear(res);
		if (drc != DB_OK)
			return resp_db_error(rq, drc);
		return resp_raw_json(rq, 200, "{\"items\":[]}", 12);
	}
	buf_init(&b);
	buf_printf(&b, "{\"items\":%s}", PQgetvalue(res, 0, 0));
	PQclear(res);
	rc = resp_raw_json(rq, 200, b.data, b.len);
	buf_clear(&b);
	return rc;
}

/* Answers "rq" with the request of node "node" of execution "id" as it is now. */
static int
approvals_answer_one(struct req *rq, const char *id, const char *node, int status)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_ONE, 4, (const char *[]){ rq->user.user_id,
	    approvals_role(rq), id, node }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = resp_raw_json(rq, status, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

/* Checks that the caller may answer the request of node "node" of execution "id" now.
 * Returns 0, or -1 after answering 404 (no such request, or one the caller may not see),
 * 403 (seen, not the caller's to answer; nothing written) or 409 (answered, or the
 * execution does not wait). */
static int
approvals_may(struct req *rq, const char *id, const char *node)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	char		 detail[160];
	int		 rc = -1;

	drc = db_row(rq->app->db, SQL_CHECK, 5, (const char *[]){ rq->user.user_id,
	    approvals_role(rq), id, node, req_owner_filter(rq) }, &res);
	if (drc != DB_OK) {
		resp_db_error(rq, drc);
		return -1;
	}
	if (PQgetvalue(res, 0, 2)[0] != 't' && PQgetvalue(res, 0, 3)[0] != 't')
		resp_db_error(rq, DB_NOTFOUND);
	else if (PQgetvalue(res, 0, 2)[0] != 't')
		resp_problem(rq, 403, "you may not answer this approval: it asks another role "
		    "or user", NULL);
	else if (strcmp(PQgetvalue(res, 0, 0), "pending") != 0) {
		snprintf(detail, sizeof(detail), "the approval was %s already",
		    PQgetvalue(res, 0, 0));
		resp_problem(rq, 409, detail, NULL);
	} else if (strcmp(PQgetvalue(res, 0, 1), "waiting") != 0) {
		snprintf(detail, sizeof(detail), "the execution is %s, not waiting: the approval "
		    "cannot be answered now", PQgetvalue(res, 0, 1));
		resp_problem(rq, 409, detail, NULL);
	} else
		rc = 0;
	PQclear(res);
	return rc;
}

/* POST /executions/{id}/approvals/{node} {decision, comment}: answers the request; the
 * execution is queued again and goes on along the approved or rejected handle. 200 with the
 * answered request; 409 for a second answer. */
int
approvals_answer(struct req *rq)
{
	const char	*id = rq->args[0], *node = rq->args[1];
	const char	*decision = jsonh_get_string(rq->json, "decision");
	const char	*comment = jsonh_get_string(rq->json, "comment");

	if (!approvals_node_valid(node))
		return resp_db_error(rq, DB_NOTFOUND);
	if (approvals_may(rq, id, node) == -1)
		return 0;
	switch (approval_answer(rq->app->db, rq->app->redis, id, node,
	    strcmp(decision, "approve") == 0, comment, rq->user.user_id, NULL)) {
	case APPROVAL_OK:
		break;
	case APPROVAL_GONE:
		return resp_problem(rq, 409, "the approval was answered meanwhile", NULL);
	default:
		return resp_db_error(rq, DB_UNAVAILABLE);
	}
	log_info(LOG_IDS(rq->request_id, id), "approval of node %s answered by %s", node,
	    rq->user.user_id);
	return approvals_answer_one(rq, id, node, 200);
}
