/* wfio.c: POST /workflows/validate, GET /workflows/{id}/export, POST /workflows/import
 * (the export document: {"fragent_export": 1, name, description, definition}). */
#include "config.h"

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "workflows.h"

#define EXPORT_FORMAT	"1"

static const char SQL_WF_EXPORT[] =
	"SELECT json_build_object('fragent_export', " EXPORT_FORMAT ", 'name', w.name, "
	"'description', w.description, 'definition', w.definition) FROM workflows w "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2)";

int
workflows_validate(struct req *rq)
{
	static const char	 ok[] = "{\"valid\":true}";

	if (workflows_check_definition(rq, jsonh_get_typed(rq->json, "definition",
	    json_type_object)) == -1)
		return 0;
	return resp_raw_json(rq, 200, ok, sizeof(ok) - 1);
}

int
workflows_export(struct req *rq)
{
	return resp_row(rq, 200, SQL_WF_EXPORT, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
workflows_import(struct req *rq)
{
	json_object	*def = jsonh_get_typed(rq->json, "definition", json_type_object);

	if (workflows_check_definition(rq, def) == -1)
		return 0;
	return workflows_insert(rq, jsonh_get_string(rq->json, "name"),
	    jsonh_get_string(rq->json, "description"), def);
}
