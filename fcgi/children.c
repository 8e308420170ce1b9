/* children.c: GET /executions/{id}/children: the child executions that one node of a run
 * started (a map's items, a sub-workflow's run), in item order, the latest child of each item
 * (a node run again starts an item again), with the count of each status over all of them. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "nitems.h"
#include "wf.h"

#define CHILDREN_DEFAULT_LIMIT	100
#define CHILDREN_MAX_LIMIT	500
#define CHILDREN_XSTR(x)	CHILDREN_STR(x)
#define CHILDREN_STR(x)		#x

/* $1 the parent, $2 the owner filter, $3 the node, $4 the last item of the page before (NULL:
 * none), $5 the page's size, $6 a status or NULL. A sub-workflow's children have no item:
 * they come as one, the latest. */
static const char SQL_CHILDREN[] =
	"WITH p AS (SELECT id FROM executions WHERE id = $1 AND "
	"($2::uuid IS NULL OR owner_id = $2)), "
	"c AS (SELECT DISTINCT ON (COALESCE(e.parent_item, -1)) e.* FROM executions e, p "
	"WHERE e.parent_execution_id = p.id AND e.parent_node = $3 "
	"ORDER BY COALESCE(e.parent_item, -1), e.created_at DESC), "
	"page AS (SELECT * FROM c WHERE ($4::int IS NULL OR COALESCE(parent_item, -1) > $4) AND "
	"($6::text IS NULL OR status = $6) ORDER BY COALESCE(parent_item, -1) LIMIT $5::int + 1) "
	"SELECT (SELECT count(*) FROM p), json_build_object("
	"'counts', (SELECT COALESCE(json_object_agg(status, n), '{}'::json) FROM "
	"(SELECT status, count(*) AS n FROM c GROUP BY status) s), "
	"'total', (SELECT count(*) FROM c), "
	"'items', COALESCE((SELECT json_agg(json_build_object('item', parent_item, 'id', id, "
	"'status', status, 'error', error, 'start_time', start_time, 'end_time', end_time, "
	"'created_at', created_at) ORDER BY COALESCE(parent_item, -1)) FROM (SELECT * FROM page "
	"ORDER BY COALESCE(parent_item, -1) LIMIT $5::int) x), '[]'::json)), "
	"(SELECT count(*) FROM page) > $5::int, "
	"(SELECT COALESCE(parent_item, -1) FROM page ORDER BY COALESCE(parent_item, -1) "
	"OFFSET $5::int - 1 LIMIT 1)";

static const char *const child_statuses[] = {
	"queued", "running", "waiting", "succeeded", "failed", "cancelled",
};

/* Reads integer parameter "name" within [min, max] into "*v" (kept when absent). Returns 0,
 * or -1 after answering 422. */
static int
children_int(struct req *rq, const char *name, long min, long max, long *v)
{
	char	 s[24], *end;
	long	 n;

	switch (req_query(rq, name, s, sizeof(s))) {
	case 0:
		return 0;
	case 1:
		n = strtol(s, &end, 10);
		if (s[0] != '\0' && *end == '\0' && n >= min && n <= max) {
			*v = n;
			return 0;
		}
		break;
	}
	return resp_invalid(rq, name, min < 0 ? "must be an integer from -1 to 1000000" :
	    "must be an integer from 1 to " CHILDREN_XSTR(CHILDREN_MAX_LIMIT)), -1;
}

int
executions_children(struct req *rq)
{
	char		 node[WF_MAX_ID + 1], status[16], after[24], limit[24];
	const char	*st = NULL;
	long		 a = -2, l = CHILDREN_DEFAULT_LIMIT;
	PGresult	*res = NULL;
	json_object	*o;
	enum db_rc	 drc;
	size_t		 i;
	int		 rc;

	if (req_query_decoded(rq, "node", node, sizeof(node)) != 1 || node[0] == '\0')
		return resp_invalid(rq, "node", "the id of the run's node (1 to 64 bytes) is "
		    "required");
	switch (req_query(rq, "status", status, sizeof(status))) {
	case 1:
		for (i = 0; i < NITEMS(child_statuses); i++)
			if (strcmp(status, child_statuses[i]) == 0)
				st = status;
		if (st != NULL)
			break;
		/* FALLTHROUGH */
	case -1:
		return resp_invalid(rq, "status",
		    "must be queued, running, waiting, succeeded, failed or cancelled");
	}
	if (children_int(rq, "after", -1, 1000000, &a) == -1 ||
	    children_int(rq, "limit", 1, CHILDREN_MAX_LIMIT, &l) == -1)
		return 0;
	snprintf(after, sizeof(after), "%ld", a);
	snprintf(limit, sizeof(limit), "%ld", l);
	drc = db_row(rq->app->db, SQL_CHILDREN, 6, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), node, a >= -1 ? after : NULL, limit, st }, &res);
	if (drc == DB_OK && strcmp(PQgetvalue(res, 0, 0), "0") == 0)
		drc = DB_NOTFOUND;
	if (drc != DB_OK) {
		PQclear(res);
		return resp_db_error(rq, drc);
	}
	o = db_json(res, 0, 1);
	json_object_object_add(o, "node", jsonh_new_string(node));
	json_object_object_add(o, "next_after", PQgetvalue(res, 0, 2)[0] == 't' ?
	    jsonh_new_int64(strtoll(PQgetvalue(res, 0, 3), NULL, 10)) : NULL);
	PQclear(res);
	rc = resp_json(rq, 200, o);
	json_object_put(o);
	return rc;
}
