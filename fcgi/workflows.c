/* workflows.c: /workflows handlers: list (keyset pages), create (validated definition), get. */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "uuid.h"
#include "validate.h"
#include "wf.h"

#define WF_JSON \
	"json_build_object('id', id, 'name', name, 'description', description, " \
	"'definition', definition, 'version', version, 'created_at', created_at, " \
	"'updated_at', updated_at)"

static const char SQL_WF_GET[] =
	"SELECT " WF_JSON " FROM workflows WHERE id = $1";
static const char SQL_WF_INSERT[] =
	"INSERT INTO workflows (id, name, description, definition) "
	"VALUES ($1, $2, $3, $4::jsonb) RETURNING " WF_JSON;
/* $1/$2: the cursor (microseconds since the epoch, id) or NULLs; $3: page size + 1. */
static const char SQL_WF_LIST[] =
	"SELECT json_build_object('id', id, 'name', name, 'description', description, "
	"'version', version, 'created_at', created_at, 'updated_at', updated_at), "
	"(extract(epoch FROM created_at) * 1000000)::bigint, id "
	"FROM workflows WHERE $1::bigint IS NULL OR (created_at, id) < "
	"(timestamptz 'epoch' + $1::bigint * interval '1 microsecond', $2::uuid) "
	"ORDER BY created_at DESC, id DESC LIMIT $3::int";

static const struct field_spec wf_fields[] = {
	{ "name", json_type_string, true, 200, 1 },
	{ "description", json_type_string, false, 2000, 0 },
	{ "definition", json_type_object, true, 0, 0 },
};

/* Parses "limit" (1-100, default 50) and "cursor" ("<micros>.<uuid>") from the query;
 * "id" has room for a UUID.
 * Returns 0, or -1 after answering 422. */
static int
list_params(struct req *rq, int *limit, char *micros, size_t mlen, char *id)
{
	char		 v[128], *dot, *end;
	json_object	*errors = json_object_new_array();
	long		 l;
	int		 rc = 0;

	*limit = 50;
	micros[0] = id[0] = '\0';
	switch (req_query(rq, "limit", v, sizeof(v))) {
	case 1:
		l = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || l < 1 || l > 100)
			wf_error_add(errors, "limit", "must be an integer from 1 to 100");
		else
			*limit = (int)l;
		break;
	case -1:
		wf_error_add(errors, "limit", "must be an integer from 1 to 100");
		break;
	}
	if (req_query(rq, "cursor", v, sizeof(v)) != 0) {
		dot = strchr(v, '.');
		if (dot == NULL || dot == v || (size_t)(dot - v) >= mlen ||
		    strspn(v, "0123456789") != (size_t)(dot - v) || !uuid_valid(dot + 1))
			wf_error_add(errors, "cursor", "is not a cursor this API returned");
		else {
			memcpy(micros, v, (size_t)(dot - v));
			micros[dot - v] = '\0';
			memcpy(id, dot + 1, UUID_STRLEN + 1);
		}
	}
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "invalid query parameters", errors);
		rc = -1;
	}
	json_object_put(errors);
	return rc;
}

int
workflows_list(struct req *rq)
{
	char		 micros[24], id[UUID_STRLEN + 1], lim[8];
	PGresult	*res = NULL;
	struct buf	 b;
	int		 limit, rows, i, rc, failed;
	enum db_rc	 drc;

	if (list_params(rq, &limit, micros, sizeof(micros), id) == -1)
		return 0;
	snprintf(lim, sizeof(lim), "%d", limit + 1);
	drc = db_exec(rq->app->db, SQL_WF_LIST, 3, (const char *[]){
	    micros[0] ? micros : NULL, micros[0] ? id : NULL, lim }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	buf_init(&b);
	rows = PQntuples(res);
	failed = buf_puts(&b, "{\"items\":[");
	for (i = 0; i < rows && i < limit; i++)
		failed |= buf_printf(&b, "%s%s", i > 0 ? "," : "", PQgetvalue(res, i, 0));
	if (rows > limit)
		failed |= buf_printf(&b, "],\"next_cursor\":\"%s.%s\"}",
		    PQgetvalue(res, limit - 1, 1), PQgetvalue(res, limit - 1, 2));
	else
		failed |= buf_puts(&b, "],\"next_cursor\":null}");
	rc = failed ? resp_problem(rq, 503, "out of memory", NULL) :
	    resp_raw_json(rq, 200, b.data, b.len);
	buf_clear(&b);
	PQclear(res);
	return rc;
}

int
workflows_create(struct req *rq)
{
	json_object	*body = NULL, *errors = NULL, *def;
	struct wf	*wf = NULL;
	const char	*desc;
	char		 id[UUID_STRLEN + 1];
	int		 rc;

	if (req_json_body(rq, 0, &body) == -1)
		return 0;
	errors = json_object_new_array();
	if (validate_body(body, wf_fields, sizeof(wf_fields) / sizeof(wf_fields[0]),
	    errors) == -1) {
		rc = resp_problem(rq, 422, "the workflow is invalid", errors);
		goto out;
	}
	def = jsonh_get_typed(body, "definition", json_type_object);
	if (wf_parse(def, &wf, errors) == -1) {
		rc = resp_problem(rq, 422, "the workflow definition is invalid", errors);
		goto out;
	}
	if ((desc = jsonh_get_string(body, "description")) == NULL)
		desc = "";
	if (uuid_new(id) == -1) {
		rc = resp_problem(rq, 503, "no randomness available", NULL);
		goto out;
	}
	rc = resp_row(rq, 201, SQL_WF_INSERT, 4, (const char *[]){ id,
	    jsonh_get_string(body, "name"), desc, jsonh_str(def) });
out:
	wf_free(wf);
	json_object_put(errors);
	json_object_put(body);
	return rc;
}

int
workflows_get(struct req *rq)
{
	if (!uuid_valid(rq->args[0]))
		return resp_problem(rq, 404, "not found", NULL);
	return resp_row(rq, 200, SQL_WF_GET, 1, (const char *[]){ rq->args[0] });
}
