/* dbresp.c: turning database results and failures into API responses; transactions. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "authdb.h"
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

int
resp_delete(struct req *rq, const char *sql, int n, const char *const *params)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;

	if ((drc = db_row(rq->app->db, sql, n, params, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	PQclear(res);
	return resp_no_content(rq);
}

int
resp_update_missed(struct req *rq, const char *sql_version)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	char		 detail[96];
	int		 rc;

	drc = db_row(rq->app->db, sql_version, 2,
	    (const char *[]){ rq->args[0], req_owner_filter(rq) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	snprintf(detail, sizeof(detail), "stale version: the current version is %s",
	    PQgetvalue(res, 0, 0));
	rc = resp_problem(rq, 409, detail, NULL);
	PQclear(res);
	return rc;
}

int
resp_versioned_update(struct req *rq, const char *sql, int n, const char *const *params,
    const char *sql_version)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	drc = db_row(rq->app->db, sql, n, params, &res);
	if (drc == DB_NOTFOUND)
		rc = resp_update_missed(rq, sql_version);
	else if (drc != DB_OK)
		rc = resp_db_error(rq, drc);
	else
		rc = resp_raw_json(rq, 200, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
db_begin(struct req *rq)
{
	return db_exec(rq->app->db, "BEGIN", 0, NULL, NULL);
}

int
db_commit(struct req *rq)
{
	return db_exec(rq->app->db, "COMMIT", 0, NULL, NULL);
}

void
db_rollback(struct req *rq)
{
	db_exec(rq->app->db, "ROLLBACK", 0, NULL, NULL);
}

enum db_rc
resp_cached_read(struct req *rq, const char *sql, const char *id,
    char owner[UUID_STRLEN + 1], char **json)
{
	const char	*only = req_owner_filter(rq);
	enum db_rc	 drc;

	*json = NULL;
	drc = authdb_row(rq->app->auth, rq->app->db, sql, id, time(NULL), owner, json);
	/* Another user's row is as unknown as a missing one. */
	if (drc == DB_OK && only != NULL && strcmp(owner, only) != 0)
		drc = DB_NOTFOUND;
	if (drc != DB_OK) {
		free(*json);
		*json = NULL;
	}
	return drc;
}

int
resp_cached_row(struct req *rq, const char *sql)
{
	char		 owner[UUID_STRLEN + 1], *json;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = resp_cached_read(rq, sql, rq->args[0], owner, &json)) != DB_OK)
		return resp_db_error(rq, drc);
	rc = resp_raw_json(rq, 200, json, strlen(json));
	free(json);
	return rc;
}
