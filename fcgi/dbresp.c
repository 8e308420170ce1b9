/* dbresp.c: turning database results and failures into API responses. */
#include "config.h"

#include "db.h"
#include "handlers.h"

int
resp_db_error(struct req *rq, int db_rc)
{
	switch (db_rc) {
	case DB_NOTFOUND:
		return resp_problem(rq, 404, "not found", NULL);
	case DB_CONFLICT:
		return resp_problem(rq, 409, "conflicts with an existing resource", NULL);
	case DB_INVALID:
		return resp_problem(rq, 422, "the database refused a value", NULL);
	case DB_UNAVAILABLE:
		return resp_problem(rq, 503, "database unavailable", NULL);
	default:
		return resp_problem(rq, 500, "database error", NULL);
	}
}

/* Answers a single row of JSON text from "sql" with "status". */
int
resp_row(struct req *rq, int status, const char *sql, int n, const char *const *params)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = db_row(rq->app->db, sql, n, params, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	rc = resp_raw_json(rq, status, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

