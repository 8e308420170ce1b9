/* workflows.c: /workflows: list (keyset pages, q), create, get, PUT (optimistic concurrency
 * on version; retention_days kept when absent), delete; every saved definition kept as a
 * version: list, get, restore. Definitions are validated by shared/wf.c before any write. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apimetrics.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "uuid.h"
#include "wf.h"
#include "workflows.h"

#define WF_FIELDS(t) \
	"'id', " t ".id, 'owner_id', " t ".owner_id, 'name', " t ".name, " \
	"'description', " t ".description, 'version', " t ".version, " \
	"'retention_days', " t ".retention_days, " \
	"'created_at', " t ".created_at, 'updated_at', " t ".updated_at"
#define WF_JSON(t) "json_build_object(" WF_FIELDS(t) ", 'definition', " t ".definition)"

static const char SQL_WFS_LIST[] =
	"SELECT json_build_object(" WF_FIELDS("w") "), " LIST_SQL_KEYS("w") " FROM workflows w "
	"WHERE ($1::uuid IS NULL OR w.owner_id = $1) AND " LIST_SQL_CURSOR("w") " AND "
	"($5::text IS NULL OR strpos(lower(w.name), lower($5)) > 0)" LIST_SQL_ORDER("w");
/* Read by id through the per-process cache (resp_cached_read): the owner, then the answer. */
static const char SQL_WF_GET[] =
	"SELECT w.owner_id, " WF_JSON("w") " FROM workflows w WHERE w.id = $1";
/* Keeps the row "w" of a statement's CTE as a version by author $AUTHOR with message $MSG. */
#define WF_KEEP_VERSION(author, msg) \
	", v AS (INSERT INTO workflow_versions (workflow_id, version, name, description, " \
	"definition, author_id, message) SELECT id, version, name, description, definition, " \
	author "::uuid, " msg " FROM w) SELECT " WF_JSON("w") " FROM w"
static const char SQL_WF_INSERT[] =
	"WITH w AS (INSERT INTO workflows AS w (id, owner_id, name, description, definition) "
	"VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING w.*)" WF_KEEP_VERSION("$2", "''");
static const char SQL_WF_UPDATE[] =
	"WITH w AS (UPDATE workflows AS w SET name = $3, description = $4, definition = "
	"$5::jsonb, version = version + 1, updated_at = now(), retention_days = CASE WHEN "
	"$7::boolean THEN $8::int ELSE w.retention_days END WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2) AND w.version = $6::int RETURNING w.*)"
	WF_KEEP_VERSION("$9", "$10");
static const char SQL_WF_VERSIONS[] =
	"SELECT json_build_object('items', COALESCE(json_agg(json_build_object('version', "
	"v.version, 'name', v.name, 'author_id', v.author_id, 'author', u.username, "
	"'message', v.message, 'created_at', v.created_at, 'nodes', "
	"jsonb_array_length(v.definition->'nodes'), 'edges', "
	"jsonb_array_length(COALESCE(v.definition->'edges', '[]'))) ORDER BY v.version DESC) "
	"FILTER (WHERE v.version IS NOT NULL), '[]'), 'next_before', CASE WHEN "
	"count(v.version) = $4::int THEN min(v.version) END) "
	"FROM workflows w LEFT JOIN LATERAL (SELECT * FROM workflow_versions x WHERE "
	"x.workflow_id = w.id AND ($3::int IS NULL OR x.version < $3::int) ORDER BY x.version "
	"DESC LIMIT $4::int) v ON true LEFT JOIN users u ON u.id = v.author_id "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2) GROUP BY w.id";
static const char SQL_WF_VERSION_GET[] =
	"SELECT json_build_object('version', v.version, 'name', v.name, 'description', "
	"v.description, 'definition', v.definition, 'author_id', v.author_id, 'author', "
	"u.username, 'message', v.message, 'created_at', v.created_at) FROM workflows w "
	"JOIN workflow_versions v ON v.workflow_id = w.id LEFT JOIN users u ON "
	"u.id = v.author_id WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2) AND "
	"v.version = $3::int";
static const char SQL_WF_RESTORE[] =
	"WITH o AS (SELECT * FROM workflow_versions WHERE workflow_id = $1 AND version = "
	"$3::int), w AS (UPDATE workflows AS w SET name = o.name, description = o.description, "
	"definition = o.definition, version = w.version + 1, updated_at = now() FROM o "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2) AND w.version = $4::int "
	"RETURNING w.*)" WF_KEEP_VERSION("$5", "$6");
static const char SQL_WF_VERSION[] =
	"SELECT version FROM workflows WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_WF_DELETE[] =
	"DELETE FROM workflows WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2) "
	"RETURNING id";

int
workflows_check_definition(struct req *rq, json_object *def)
{
	json_object	*errors = jsonh_new_array();
	struct wf	*wf = NULL;
	int		 rc = 0;

	if (wf_limits_check(def, errors) == -1) {
		resp_problem(rq, 413, "the workflow definition is too large", errors);
		rc = -1;
	} else if (wf_parse(def, &wf, errors) == -1) {
		resp_problem(rq, 422, "the workflow definition is invalid", errors);
		rc = -1;
	}
	wf_free(wf);
	json_object_put(errors);
	return rc;
}

int
workflows_list(struct req *rq)
{
	return list_page(rq, SQL_WFS_LIST, req_owner_filter(rq));
}

int
workflows_insert(struct req *rq, const char *name, const char *description,
    json_object *def)
{
	char	 id[UUID_STRLEN + 1];

	if (uuid_new(id) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	return resp_row(rq, 201, SQL_WF_INSERT, 5, (const char *[]){ id, rq->user.user_id,
	    name, description ? description : "", jsonh_str(def) });
}

int
workflows_create(struct req *rq)
{
	json_object	*def = jsonh_get_typed(rq->json, "definition", json_type_object);

	if (workflows_check_definition(rq, def) == -1)
		return 0;
	return workflows_insert(rq, jsonh_get_string(rq->json, "name"),
	    jsonh_get_string(rq->json, "description"), def);
}

enum db_rc
workflows_read(struct req *rq, const char *id, char owner[UUID_STRLEN + 1], char **json)
{
	return resp_cached_read(rq, SQL_WF_GET, id, owner, json);
}

int
workflows_get(struct req *rq)
{
	return resp_cached_row(rq, SQL_WF_GET);
}

int
workflows_put(struct req *rq)
{
	json_object	*body = rq->json, *keep;
	const char	*desc, *msg;
	char		 version[16], days[16];
	int		 has_days, rc;

	if (workflows_check_definition(rq, jsonh_get_typed(body, "definition",
	    json_type_object)) == -1)
		return 0;
	snprintf(version, sizeof(version), "%d",
	    json_object_get_int(json_object_object_get(body, "version")));
	if ((desc = jsonh_get_string(body, "description")) == NULL)
		desc = "";
	/* retention_days absent: kept as it is; null: the global setting. */
	has_days = json_object_object_get_ex(body, "retention_days", &keep);
	snprintf(days, sizeof(days), "%d", json_object_get_int(keep));
	if ((msg = jsonh_get_string(body, "message")) == NULL)
		msg = "";
	rc = resp_versioned_update(rq, SQL_WF_UPDATE, 10, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), jsonh_get_string(body, "name"), desc,
	    jsonh_str(jsonh_get_typed(body, "definition", json_type_object)), version,
	    has_days ? "true" : "false", keep != NULL ? days : NULL, rq->user.user_id, msg },
	    SQL_WF_VERSION);
	/* Every process's cached workflow goes, before this answer is complete (libfcgi ends
	 * it when the handler returns): a run started next snapshots the new version. */
	api_metrics_auth_changed();
	return rc;
}

/* Reads path argument "i" as a version number into "out" (at most 10 digits, no sign).
 * Returns 0, or -1 after answering 404. */
static int
workflows_version_arg(struct req *rq, size_t i, char out[16])
{
	size_t	 n = strspn(rq->args[i], "0123456789");

	if (n == 0 || n > 9 || rq->args[i][n] != '\0')
		return resp_problem(rq, 404, "no such version", NULL), -1;
	memcpy(out, rq->args[i], n + 1);
	return 0;
}

int
workflows_versions(struct req *rq)
{
	char	 before[16], limit[16] = "50";
	int	 rc;

	if ((rc = req_query(rq, "before", before, sizeof(before))) == -1 ||
	    (rc == 1 && (strspn(before, "0123456789") != strlen(before) || before[0] == '\0')))
		return resp_invalid(rq, "before", "must be a version number");
	if (rc == 0)
		before[0] = '\0';
	if ((rc = req_query(rq, "limit", limit, sizeof(limit))) == -1 || (rc == 1 &&
	    (strspn(limit, "0123456789") != strlen(limit) || atoi(limit) < 1 ||
	    atoi(limit) > 200)))
		return resp_invalid(rq, "limit", "must be a whole number from 1 to 200");
	if (rc == 0)
		snprintf(limit, sizeof(limit), "50");
	return resp_row(rq, 200, SQL_WF_VERSIONS, 4, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), before[0] != '\0' ? before : NULL, limit });
}

int
workflows_version_get(struct req *rq)
{
	char	 v[16];

	if (workflows_version_arg(rq, 1, v) == -1)
		return 0;
	return resp_row(rq, 200, SQL_WF_VERSION_GET, 3, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), v });
}

int
workflows_restore(struct req *rq)
{
	PGresult	*res = NULL;
	json_object	*old;
	const char	*msg;
	char		 v[16], current[16], dflt[64];
	enum db_rc	 drc;
	int		 ok;

	if (workflows_version_arg(rq, 1, v) == -1)
		return 0;
	/* The version must exist and still be a valid definition (node types change). */
	drc = db_row(rq->app->db, SQL_WF_VERSION_GET, 3, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), v }, &res);
	if (drc != DB_OK)
		return drc == DB_NOTFOUND ? resp_problem(rq, 404, "no such version", NULL) :
		    resp_db_error(rq, drc);
	old = db_json(res, 0, 0);
	PQclear(res);
	ok = workflows_check_definition(rq, jsonh_get_typed(old, "definition",
	    json_type_object)) == 0;
	json_object_put(old);
	if (!ok)
		return 0;
	snprintf(current, sizeof(current), "%d",
	    json_object_get_int(json_object_object_get(rq->json, "version")));
	snprintf(dflt, sizeof(dflt), "restored version %s", v);
	if ((msg = jsonh_get_string(rq->json, "message")) == NULL || msg[0] == '\0')
		msg = dflt;
	ok = resp_versioned_update(rq, SQL_WF_RESTORE, 6, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), v, current, rq->user.user_id, msg }, SQL_WF_VERSION);
	api_metrics_auth_changed();	/* as workflows_put */
	return ok;
}

int
workflows_delete(struct req *rq)
{
	int	 rc;

	rc = resp_delete(rq, SQL_WF_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
	api_metrics_auth_changed();	/* as workflows_put */
	return rc;
}
