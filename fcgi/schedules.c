/* schedules.c: a workflow's schedules (cron expressions in an IANA time zone, with the
 * run's inputs): list, create, read, change, delete, and the preview that explains an
 * expression. Each answer carries the expression in words and its next fire times
 * (shared/cron.c); the row keeps the next fire, which jobd (jobd/schedfire.c) fires. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cron.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "launch.h"
#include "uuid.h"
#include "webhook.h"

#define SCHEDULE_PREVIEW_FIRES	5

#define SCHEDULE_JSON \
	"json_build_object('id', s.id, 'workflow_id', s.workflow_id, 'name', s.name, " \
	"'cron', s.cron, 'timezone', s.timezone, 'inputs', s.inputs, 'enabled', s.enabled, " \
	"'missed', s.missed, 'next_fire_at', s.next_fire_at, 'last_fire_at', s.last_fire_at, " \
	"'created_at', s.created_at, 'updated_at', s.updated_at)"
#define SCHEDULE_SCOPE \
	"s.id = $1 AND w.id = s.workflow_id AND ($2::uuid IS NULL OR w.owner_id = $2)"
/* A next fire given as Unix seconds, or NULL. */
#define SCHEDULE_AT(n)	"to_timestamp(" n "::double precision)"

static const char SQL_SCHEDS_LIST[] =
	"SELECT json_build_object('items', COALESCE(json_agg(" SCHEDULE_JSON
	" ORDER BY s.created_at, s.id) FILTER (WHERE s.id IS NOT NULL), '[]')) "
	"FROM workflows w LEFT JOIN schedules s ON s.workflow_id = w.id "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2) GROUP BY w.id";
static const char SQL_SCHED_WORKFLOW[] =
	"SELECT definition FROM workflows WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_SCHED_INSERT[] =
	"INSERT INTO schedules AS s (id, workflow_id, name, cron, timezone, inputs, enabled, "
	"missed, next_fire_at) SELECT $3, w.id, COALESCE($4, ''), $5, $6, $7::jsonb, $8::boolean, "
	"COALESCE($9, 'run_once'), " SCHEDULE_AT("$10") " FROM workflows w WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2) AND (SELECT count(*) FROM schedules c "
	"WHERE c.workflow_id = w.id) < " WEBHOOK_XSTR(WEBHOOK_PER_WORKFLOW)
	" RETURNING " SCHEDULE_JSON;
/* The schedule with what a change is checked against: cron, zone, enabled, inputs, and the
 * workflow's definition. */
static const char SQL_SCHED_GET[] =
	"SELECT " SCHEDULE_JSON ", s.cron, s.timezone, s.enabled, s.inputs, w.definition "
	"FROM schedules s, workflows w WHERE " SCHEDULE_SCOPE;
static const char SQL_SCHED_UPDATE[] =
	"UPDATE schedules s SET name = COALESCE($3, s.name), cron = $4, timezone = $5, "
	"inputs = $6::jsonb, enabled = $7::boolean, missed = COALESCE($8, s.missed), "
	"next_fire_at = " SCHEDULE_AT("$9") ", updated_at = now() FROM workflows w WHERE "
	SCHEDULE_SCOPE " RETURNING " SCHEDULE_JSON;
static const char SQL_SCHED_DELETE[] =
	"DELETE FROM schedules s USING workflows w WHERE " SCHEDULE_SCOPE " RETURNING s.id";

/* A schedule's settings as a create or change leaves them. */
struct sched_spec {
	const char	*cron;
	const char	*zone;
	json_object	*inputs;	/* borrowed */
	int		 enabled;
	struct cron	 parsed;
	char		 next[24];	/* the next fire in Unix seconds, or "" (none) */
};

/* Checks the expression and the zone of "sp" and computes its next fire. Returns 0, or -1
 * after answering 422. */
static int
sched_spec_check(struct req *rq, struct sched_spec *sp)
{
	char		 err[160];
	int64_t		 next;

	if (cron_parse(sp->cron, &sp->parsed, err, sizeof(err)) == -1)
		return resp_invalid(rq, "cron", err), -1;
	if (cron_zone_check(sp->zone) == -1)
		return resp_invalid(rq, "timezone", "is not an IANA time zone name (such as UTC "
		    "or Europe/Paris)"), -1;
	sp->next[0] = '\0';
	if (sp->enabled && cron_next(&sp->parsed, sp->zone, (int64_t)time(NULL), &next) == 0)
		snprintf(sp->next, sizeof(sp->next), "%lld", (long long)next);
	return 0;
}

/* Checks the inputs of "sp" against the input nodes of workflow definition "def_text" (what
 * the runs will be checked against when they fire). Returns 0, or -1 after answering 422. */
static int
sched_inputs_check(struct req *rq, const char *def_text, const struct sched_spec *sp)
{
	json_object	*def = json_tokener_parse(def_text), *errors = jsonh_new_array();
	enum launch_rc	 lrc;
	int		 answered = 1;

	if (def == NULL)
		resp_problem(rq, 500, "the stored definition is unreadable", NULL);
	else if ((lrc = launch_check_workflow(def, sp->inputs, errors)) != LAUNCH_OK)
		resp_problem(rq, 422, lrc == LAUNCH_TOO_LARGE ? "the workflow is too large "
		    "to run; edit it" : "the inputs do not match the input node", errors);
	else
		answered = 0;
	json_object_put(def);
	json_object_put(errors);
	return answered ? -1 : 0;
}

/* Writes Unix time "t" as RFC 3339 UTC into "out". */
static void
sched_time(int64_t t, char *out, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(out, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, len, "%lld", (long long)t);
}

/* Adds "description" and the next SCHEDULE_PREVIEW_FIRES fire times of "c" in "zone" to
 * object "o". */
static void
sched_explain(json_object *o, const struct cron *c, const char *zone)
{
	json_object	*fires = jsonh_new_array();
	char		 words[CRON_DESC_MAX], line[CRON_DESC_MAX + CRON_ZONE_MAX + 4];
	char		 when[32];
	int64_t		 t = (int64_t)time(NULL);
	int		 i;

	cron_describe(c, words, sizeof(words));
	snprintf(line, sizeof(line), "%s, %s", words, zone);
	json_object_object_add(o, "description", jsonh_new_string(line));
	for (i = 0; i < SCHEDULE_PREVIEW_FIRES && cron_next(c, zone, t, &t) == 0; i++) {
		sched_time(t, when, sizeof(when));
		json_object_array_add(fires, jsonh_new_string(when));
	}
	json_object_object_add(o, "next_fires", fires);
}

/* Adds the explanation to schedule object "o" (from its own cron and timezone). */
static void
sched_explain_row(json_object *o)
{
	const char	*expr = jsonh_get_string(o, "cron"), *zone = jsonh_get_string(o, "timezone");
	struct cron	 c;
	char		 err[160];

	if (expr != NULL && zone != NULL && cron_parse(expr, &c, err, sizeof(err)) == 0)
		sched_explain(o, &c, zone);
	else {
		/* Stored before a rule tightened: say so rather than fail the whole list. */
		json_object_object_add(o, "description", jsonh_new_string("invalid expression"));
		json_object_object_add(o, "next_fires", jsonh_new_array());
	}
}

/* Answers "status" with the schedule (or, "list", the {items} of schedules) in column 0 of
 * "res", explained. */
static int
sched_answer(struct req *rq, int status, PGresult *res, int list)
{
	json_object	*o, *items;
	size_t		 i;
	int		 rc;

	if ((o = db_json(res, 0, 0)) == NULL)
		return resp_problem(rq, 500, "the stored schedule is unreadable", NULL);
	if (!list)
		sched_explain_row(o);
	else if ((items = jsonh_get_typed(o, "items", json_type_array)) != NULL)
		for (i = 0; i < json_object_array_length(items); i++)
			sched_explain_row(json_object_array_get_idx(items, i));
	rc = resp_json(rq, status, o);
	json_object_put(o);
	return rc;
}

/* Runs "sql" with "n" "params" for one row and answers it explained ("list": a list). */
static int
sched_row(struct req *rq, int status, const char *sql, int n, const char *const *params,
    int list)
{
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = db_row(rq->app->db, sql, n, params, &res)) != DB_OK)
		return resp_db_error(rq, drc);
	rc = sched_answer(rq, status, res, list);
	PQclear(res);
	return rc;
}

int
schedules_list(struct req *rq)
{
	return sched_row(rq, 200, SQL_SCHEDS_LIST, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, 1);
}

int
schedules_get(struct req *rq)
{
	return sched_row(rq, 200, SQL_SCHED_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, 0);
}

int
schedules_create(struct req *rq)
{
	json_object	*body = rq->json, *empty = jsonh_new_object();
	json_object	*en = jsonh_get_typed(body, "enabled", json_type_boolean);
	PGresult	*wf = NULL;
	struct sched_spec sp;
	char		 id[UUID_STRLEN + 1];
	enum db_rc	 drc;
	int		 rc = 0;

	memset(&sp, 0, sizeof(sp));
	sp.cron = jsonh_get_string(body, "cron");
	sp.zone = jsonh_get_string(body, "timezone");
	if (sp.zone == NULL)
		sp.zone = "UTC";
	if ((sp.inputs = jsonh_get_typed(body, "inputs", json_type_object)) == NULL)
		sp.inputs = empty;
	sp.enabled = en == NULL || json_object_get_boolean(en);
	if (sched_spec_check(rq, &sp) == -1)
		goto out;
	if ((drc = db_row(rq->app->db, SQL_SCHED_WORKFLOW, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &wf)) != DB_OK) {
		rc = resp_db_error(rq, drc);
		goto out;
	}
	if (sched_inputs_check(rq, PQgetvalue(wf, 0, 0), &sp) == -1)
		goto out;
	if (uuid_new(id) == -1) {
		rc = resp_problem(rq, 503, "no randomness available", NULL);
		goto out;
	}
	PQclear(wf);
	wf = NULL;
	drc = db_row(rq->app->db, SQL_SCHED_INSERT, 10, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), id, jsonh_get_string(body, "name"), sp.cron, sp.zone,
	    jsonh_str(sp.inputs), sp.enabled ? "true" : "false",
	    jsonh_get_string(body, "missed"), sp.next[0] ? sp.next : NULL }, &wf);
	if (drc == DB_OK)
		rc = sched_answer(rq, 201, wf, 0);
	else if (drc == DB_NOTFOUND)	/* the workflow was there: it has its fill */
		rc = resp_problem(rq, 409, "a workflow has at most "
		    WEBHOOK_XSTR(WEBHOOK_PER_WORKFLOW) " schedules; delete one first", NULL);
	else
		rc = resp_db_error(rq, drc);
out:
	PQclear(wf);
	json_object_put(empty);
	return rc;
}

int
schedules_patch(struct req *rq)
{
	json_object	*body = rq->json, *stored = NULL;
	json_object	*en = jsonh_get_typed(body, "enabled", json_type_boolean);
	PGresult	*cur = NULL;
	struct sched_spec sp;
	enum db_rc	 drc;
	int		 rc = 0;

	if ((drc = db_row(rq->app->db, SQL_SCHED_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &cur)) != DB_OK)
		return resp_db_error(rq, drc);
	memset(&sp, 0, sizeof(sp));
	if ((sp.cron = jsonh_get_string(body, "cron")) == NULL)
		sp.cron = PQgetvalue(cur, 0, 1);
	if ((sp.zone = jsonh_get_string(body, "timezone")) == NULL)
		sp.zone = PQgetvalue(cur, 0, 2);
	sp.enabled = en != NULL ? json_object_get_boolean(en) : PQgetvalue(cur, 0, 3)[0] == 't';
	if ((sp.inputs = jsonh_get_typed(body, "inputs", json_type_object)) == NULL &&
	    (sp.inputs = stored = db_json(cur, 0, 4)) == NULL) {
		rc = resp_problem(rq, 500, "the stored schedule is unreadable", NULL);
		goto out;
	}
	if (sched_spec_check(rq, &sp) == -1 ||
	    sched_inputs_check(rq, PQgetvalue(cur, 0, 5), &sp) == -1)
		goto out;
	rc = sched_row(rq, 200, SQL_SCHED_UPDATE, 9, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), jsonh_get_string(body, "name"), sp.cron, sp.zone,
	    jsonh_str(sp.inputs), sp.enabled ? "true" : "false",
	    jsonh_get_string(body, "missed"), sp.next[0] ? sp.next : NULL }, 0);
out:
	json_object_put(stored);
	PQclear(cur);
	return rc;
}

int
schedules_delete(struct req *rq)
{
	return resp_delete(rq, SQL_SCHED_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
schedules_preview(struct req *rq)
{
	struct sched_spec sp;
	json_object	*o;
	int		 rc;

	memset(&sp, 0, sizeof(sp));
	sp.cron = jsonh_get_string(rq->json, "cron");
	if ((sp.zone = jsonh_get_string(rq->json, "timezone")) == NULL)
		sp.zone = "UTC";
	if (sched_spec_check(rq, &sp) == -1)
		return 0;
	o = jsonh_new_object();
	sched_explain(o, &sp.parsed, sp.zone);
	rc = resp_json(rq, 200, o);
	json_object_put(o);
	return rc;
}
