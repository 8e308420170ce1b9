/* wfio.c: POST /workflows/validate, GET /workflows/{id}/export, POST /workflows/import
 * (the export document: {"fragent_export": 1, name, description, definition}). */
#include "config.h"

#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "nitems.h"
#include "validate.h"
#include "wf.h"
#include "workflows.h"

#define EXPORT_FORMAT	"1"

static const char SQL_WF_EXPORT[] =
	"SELECT json_build_object('fragent_export', " EXPORT_FORMAT ", 'name', w.name, "
	"'description', w.description, 'definition', w.definition) FROM workflows w "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2)";

static const struct field_spec validate_fields[] = {
	{ "definition", json_type_object, true, 0, 0 },
};
static const struct field_spec import_fields[] = {
	{ "fragent_export", json_type_int, true, 0, 0 },
	{ "name", json_type_string, true, 200, 1 },
	{ "description", json_type_string, false, 2000, 0 },
	{ "definition", json_type_object, true, 0, 0 },
};

/* Checks "body" against "f"; answers 422 when invalid. Returns 0 or -1. */
static int
wfio_fields(struct req *rq, json_object *body, const struct field_spec *f, size_t n)
{
	json_object	*errors = json_object_new_array();
	int		 rc = 0;

	validate_body(body, f, n, errors);
	if (json_object_object_get(body, "fragent_export") != NULL &&
	    json_object_get_int(json_object_object_get(body, "fragent_export")) != 1)
		wf_error_add(errors, "fragent_export", "must be 1 (the only export format)");
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "the document is invalid", errors);
		rc = -1;
	}
	json_object_put(errors);
	return rc;
}

int
workflows_validate(struct req *rq)
{
	static const char	 ok[] = "{\"valid\":true}";
	json_object		*body = NULL;
	int			 rc = 0;

	if (req_json_body(rq, 0, &body) == -1)
		return 0;
	if (wfio_fields(rq, body, validate_fields, NITEMS(validate_fields)) == 0 &&
	    workflows_check_definition(rq, jsonh_get_typed(body, "definition",
	    json_type_object)) == 0)
		rc = resp_raw_json(rq, 200, ok, sizeof(ok) - 1);
	json_object_put(body);
	return rc;
}

int
workflows_export(struct req *rq)
{
	if (req_id_arg(rq) == -1)
		return 0;
	return resp_row(rq, 200, SQL_WF_EXPORT, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
workflows_import(struct req *rq)
{
	json_object	*body = NULL, *def;
	int		 rc = 0;

	if (req_json_body(rq, 0, &body) == -1)
		return 0;
	if (wfio_fields(rq, body, import_fields, NITEMS(import_fields)) == 0) {
		def = jsonh_get_typed(body, "definition", json_type_object);
		if (workflows_check_definition(rq, def) == 0)
			rc = workflows_insert(rq, jsonh_get_string(body, "name"),
			    jsonh_get_string(body, "description"), def);
	}
	json_object_put(body);
	return rc;
}
