/* workflows.c: /workflows: list (keyset pages, q), create, get, PUT (optimistic concurrency
 * on version; retention_days kept when absent), delete. Definitions are validated by
 * shared/wf.c before any write. */
#include "config.h"

#include <stdio.h>
#include <string.h>

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
static const char SQL_WF_GET[] =
	"SELECT " WF_JSON("w") " FROM workflows w WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2)";
static const char SQL_WF_INSERT[] =
	"INSERT INTO workflows AS w (id, owner_id, name, description, definition) "
	"VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING " WF_JSON("w");
static const char SQL_WF_UPDATE[] =
	"UPDATE workflows AS w SET name = $3, description = $4, definition = $5::jsonb, "
	"version = version + 1, updated_at = now(), retention_days = CASE WHEN $7::boolean "
	"THEN $8::int ELSE w.retention_days END WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2) AND w.version = $6::int RETURNING " WF_JSON("w");
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

int
workflows_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_WF_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
workflows_put(struct req *rq)
{
	json_object	*body = rq->json, *keep;
	const char	*desc;
	char		 version[16], days[16];
	int		 has_days;

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
	return resp_versioned_update(rq, SQL_WF_UPDATE, 8, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), jsonh_get_string(body, "name"), desc,
	    jsonh_str(jsonh_get_typed(body, "definition", json_type_object)), version,
	    has_days ? "true" : "false", keep != NULL ? days : NULL }, SQL_WF_VERSION);
}

int
workflows_delete(struct req *rq)
{
	return resp_delete(rq, SQL_WF_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
