/* listing.c: list parameters and paged answers (see listing.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "listing.h"
#include "wf.h"

/* Parses the cursor "<micros>.<uuid>" of the query into "lp"; appends an error if bad. */
static void
list_cursor_parse(struct req *rq, struct list_params *lp, json_object *errors)
{
	char	 v[128], *dot;

	if (req_query(rq, "cursor", v, sizeof(v)) == 0)
		return;
	dot = strchr(v, '.');
	if (dot == NULL || dot == v || (size_t)(dot - v) >= sizeof(lp->micros) ||
	    strspn(v, "0123456789") != (size_t)(dot - v) || !uuid_valid(dot + 1)) {
		wf_error_add(errors, "cursor", "is not a cursor this API returned");
		return;
	}
	memcpy(lp->micros, v, (size_t)(dot - v));
	lp->micros[dot - v] = '\0';
	memcpy(lp->id, dot + 1, UUID_STRLEN + 1);
}

int
list_params_parse(struct req *rq, struct list_params *lp, int with_q)
{
	json_object	*errors = jsonh_new_array();
	char		 v[32], *end;
	long		 l;
	int		 rc = 0;

	memset(lp, 0, sizeof(*lp));
	lp->limit = 50;
	switch (req_query(rq, "limit", v, sizeof(v))) {
	case 1:
		l = strtol(v, &end, 10);
		if (*v == '\0' || *end != '\0' || l < 1 || l > 100)
			wf_error_add(errors, "limit", "must be an integer from 1 to 100");
		else
			lp->limit = (int)l;
		break;
	case -1:
		wf_error_add(errors, "limit", "must be an integer from 1 to 100");
		break;
	}
	snprintf(lp->limit_plus_one, sizeof(lp->limit_plus_one), "%d", lp->limit + 1);
	list_cursor_parse(rq, lp, errors);
	if (with_q && req_query_decoded(rq, "q", lp->q, sizeof(lp->q)) == -1)
		wf_error_add(errors, "q", "must be at most %d bytes of valid URL encoding",
		    LIST_MAX_Q);
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "invalid query parameters", errors);
		rc = -1;
	}
	json_object_put(errors);
	return rc;
}

const char *
list_micros(const struct list_params *lp)
{
	return lp->micros[0] ? lp->micros : NULL;
}

const char *
list_cursor_id(const struct list_params *lp)
{
	return lp->micros[0] ? lp->id : NULL;
}

const char *
list_q(const struct list_params *lp)
{
	return lp->q[0] ? lp->q : NULL;
}

int
list_respond(struct req *rq, PGresult *res, const struct list_params *lp)
{
	struct buf	 b;
	int		 rows = PQntuples(res), i, rc;

	buf_init(&b);
	buf_puts(&b, "{\"items\":[");
	for (i = 0; i < rows && i < lp->limit; i++) {
		if (i > 0)
			buf_puts(&b, ",");
		buf_puts(&b, PQgetvalue(res, i, 0));
	}
	if (rows > lp->limit) {
		buf_puts(&b, "],\"next_cursor\":\"");
		buf_puts(&b, PQgetvalue(res, lp->limit - 1, 1));
		buf_puts(&b, ".");
		buf_puts(&b, PQgetvalue(res, lp->limit - 1, 2));
		buf_puts(&b, "\"}");
	} else
		buf_puts(&b, "],\"next_cursor\":null}");
	rc = resp_raw_json(rq, 200, b.data, b.len);
	buf_clear(&b);
	return rc;
}

int
list_page(struct req *rq, const char *sql, const char *owner)
{
	struct list_params	 lp;
	PGresult		*res = NULL;
	enum db_rc		 drc;
	int			 rc;

	if (list_params_parse(rq, &lp, 1) == -1)
		return 0;
	drc = db_exec(rq->app->db, sql, 5, (const char *[]){ owner, list_micros(&lp),
	    list_cursor_id(&lp), lp.limit_plus_one, list_q(&lp) }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = list_respond(rq, res, &lp);
	PQclear(res);
	return rc;
}
