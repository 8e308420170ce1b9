/* replay.c: POST /executions/{id}/replay (a new execution answered from the recording of an
 * ended one: shared/launch.c's launch_replay, jobd/tape.h) and GET
 * /executions/{id}/replay-diff (a replay beside its original, node by node: where each output
 * came from and whether it is the same). */
#include "config.h"

#include <string.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "workflows.h"

/* The last attempt of each node of the replay ($1) and of its original, side by side; the
 * row's second column says whether $1 is a replay at all. */
#define REPLAY_LAST(exec) \
	"SELECT DISTINCT ON (node_id) node_id, status, output, replay_source, exchanges " \
	"FROM execution_steps WHERE execution_id = " exec " ORDER BY node_id, attempt DESC"
#define REPLAY_CALLS(source) \
	"(SELECT count(*) FROM jsonb_array_elements(COALESCE(r.exchanges, '[]')) z " \
	"WHERE z->>'source' = '" source "')"
static const char SQL_REPLAY_DIFF[] =
	"WITH x AS (SELECT id, replay_of, replay FROM executions WHERE id = $1 AND "
	"($2::uuid IS NULL OR owner_id = $2)), "
	"r AS (" REPLAY_LAST("$1") "), "
	"o AS (" REPLAY_LAST("(SELECT replay_of FROM x)") ") "
	"SELECT json_build_object('original_id', x.replay_of, 'replay_id', x.id, 'nodes', "
	"COALESCE((SELECT json_agg(json_build_object('node_id', COALESCE(r.node_id, o.node_id), "
	"'status', r.status, 'original_status', o.status, 'same_output', CASE WHEN r.node_id "
	"IS NULL OR o.node_id IS NULL THEN NULL ELSE r.status = o.status AND r.output IS NOT "
	"DISTINCT FROM o.output END, 'replay_source', r.replay_source, "
	"'calls_live', " REPLAY_CALLS("live") ", 'calls_recorded', " REPLAY_CALLS("recording")
	") ORDER BY COALESCE(r.node_id, o.node_id)) FROM r FULL JOIN o ON r.node_id = o.node_id), "
	"'[]'::json)), x.replay IS NOT NULL FROM x";

int
executions_replay(struct req *rq)
{
	struct launch_replay	 r = { .offline = -1 };
	json_object		*errors, *v;
	PGresult		*row = NULL;
	enum launch_rc		 lrc;
	enum db_rc		 drc = DB_OK;
	int			 rc;

	r.original_id = rq->args[0];
	r.scope = req_owner_filter(rq);
	r.from_node = jsonh_get_string(rq->json, "from_node");
	r.inputs = jsonh_get_typed(rq->json, "input", json_type_object);
	r.definition = jsonh_get_typed(rq->json, "definition", json_type_object);
	r.traceparent = rq->traceparent[0] != '\0' ? rq->traceparent : NULL;
	if ((v = jsonh_get_typed(rq->json, "offline", json_type_boolean)) != NULL)
		r.offline = json_object_get_boolean(v);
	if (r.definition != NULL && workflows_check_definition(rq, r.definition) == -1)
		return 0;
	errors = jsonh_new_array();
	lrc = launch_replay(rq->app->db, &r, queue_enqueue_port, rq->app->redis, errors, &row,
	    &drc);
	if (lrc == LAUNCH_OK)
		log_info(LOG_IDS(rq->request_id, rq->args[0]), "replay queued");
	rc = executions_answer(rq, lrc, drc, errors, row, "the replay is invalid");
	PQclear(row);
	json_object_put(errors);
	return rc;
}

int
executions_replay_diff(struct req *rq)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, SQL_REPLAY_DIFF, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	if (PQgetvalue(res, 0, 1)[0] != 't')
		rc = resp_problem(rq, 404, "this execution is not a replay", NULL);
	else
		rc = resp_raw_json(rq, 200, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}
