/* executions.c: POST /workflows/{id}/executions (a run started through shared/launch.c, which
 * checks the inputs against the input node and stores the definition snapshot), listing
 * executions and reading one with its steps. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "launch.h"
#include "listing.h"
#include "log.h"
#include "nitems.h"
#include "queue.h"
#include "uuid.h"

static const char SQL_EXEC_GET[] =
	"SELECT json_build_object(" LAUNCH_EXEC_FIELDS ", 'steps', COALESCE((SELECT json_agg("
	"json_build_object('node_id', s.node_id, 'status', s.status, 'attempt', s.attempt, "
	"'input', s.input, 'output', s.output, 'error', s.error, 'usage', s.usage, "
	"'started_at', s.started_at, 'finished_at', s.finished_at, 'replay_source', "
	"s.replay_source, 'calls', COALESCE(jsonb_array_length(s.exchanges), 0)) "
	"ORDER BY s.started_at, s.node_id, s.attempt) "
	"FROM execution_steps s WHERE s.execution_id = e.id), '[]'::json)) "
	"FROM executions e WHERE e.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2)";
static const char SQL_EXECS_LIST[] =
	"SELECT " LAUNCH_EXEC_JSON ", " LIST_SQL_KEYS("e") " FROM executions e WHERE "
	"($1::uuid IS NULL OR e.owner_id = $1) AND " LIST_SQL_CURSOR("e") " AND "
	"$5::text IS NULL AND ($6::uuid IS NULL OR e.workflow_id = $6) AND "
	"($7::text IS NULL OR e.status = $7) AND ($8::text IS NULL OR e.trigger = $8) AND "
	"($9::boolean IS NULL OR e.parent_execution_id IS NULL) AND "
	"($10::uuid IS NULL OR e.parent_execution_id = $10) AND "
	"($11::uuid IS NULL OR e.replay_of = $11)"
	LIST_SQL_ORDER("e");

/* The execution's JSON and whether it ended. */
static const char SQL_EXEC_ENDED[] =
	"SELECT " LAUNCH_EXEC_JSON ", e.end_time IS NOT NULL FROM executions e WHERE e.id = $1";

/* The longest "wait" between two looks at the row: under the Redis client's 2-s timeout. */
#define EXEC_WAIT_SLICE_MS	1000

static const char *const exec_statuses[] = {
	"queued", "running", "succeeded", "failed", "cancelled", "waiting",
};
static const char *const exec_triggers[] = {
	"manual", "api", "webhook", "schedule", "tool", "workflow", "replay",
};

/* Whether "s" is one of the "n" words of "set". */
static int
exec_one_of(const char *s, const char *const *set, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

int
executions_answer(struct req *rq, enum launch_rc lrc, enum db_rc drc, json_object *errors,
    PGresult *row, const char *invalid)
{
	switch (lrc) {
	case LAUNCH_REPLAYED:
		req_header_add(rq, "Idempotent-Replayed: true");
		/* FALLTHROUGH */
	case LAUNCH_OK:
		return resp_raw_json(rq, 202, PQgetvalue(row, 0, 0),
		    (size_t)PQgetlength(row, 0, 0));
	case LAUNCH_KEY_REUSED:
		return resp_invalid(rq, "Idempotency-Key", "was used for another request "
		    "(another body or route) in the last " LAUNCH_XSTR(LAUNCH_KEY_TTL_HOURS)
		    " hours");
	case LAUNCH_NOTFOUND:
		return resp_db_error(rq, DB_NOTFOUND);
	case LAUNCH_INVALID:
		return resp_problem(rq, 422, invalid, errors);
	case LAUNCH_TOO_LARGE:
		return resp_problem(rq, 413, "the workflow's definition is too large to run; "
		    "edit it", errors);
	case LAUNCH_UNREADABLE:
		return resp_problem(rq, 500, "the stored definition is unreadable", NULL);
	case LAUNCH_NO_RANDOM:
		return resp_problem(rq, 503, "no randomness available", NULL);
	case LAUNCH_NOT_ENDED:
		return resp_problem(rq, 409, "the execution has not ended: only an ended execution "
		    "can be replayed", NULL);
	case LAUNCH_DB:
		break;
	}
	return resp_db_error(rq, drc);
}

int
executions_idempotency(struct req *rq, struct launch *l,
    char fingerprint[2 * CRYPTO_SHA256_LEN + 1])
{
	const char	*key = req_param(rq, "HTTP_IDEMPOTENCY_KEY");
	unsigned char	 digest[CRYPTO_SHA256_LEN];
	struct buf	 id;
	size_t		 n, i;

	l->idempotency_key = l->fingerprint = NULL;
	if (key == NULL)
		return 0;
	n = strlen(key);
	for (i = 0; i < n && key[i] >= 0x20 && key[i] < 0x7f; i++)
		continue;
	if (n == 0 || n > LAUNCH_KEY_MAX || i < n)
		return resp_invalid(rq, "Idempotency-Key", "must be 1 to "
		    LAUNCH_XSTR(LAUNCH_KEY_MAX) " printable ASCII characters"), -1;
	buf_init(&id);
	buf_printf(&id, "%s\n%s\n", rq->method, rq->path);
	buf_append(&id, rq->body.data != NULL ? rq->body.data : "", rq->body.len);
	crypto_sha256(id.data, id.len, digest);
	buf_clear(&id);
	crypto_hex(digest, sizeof(digest), fingerprint);
	l->idempotency_key = key;
	l->fingerprint = fingerprint;
	return 0;
}

static long
exec_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Blocks until the execution's events stream has an entry after "*cursor" or "ms" pass,
 * moving "*cursor" past what it read. */
static void
exec_wait_events(struct req *rq, const char *key, char *cursor, size_t curlen, long ms)
{
	char		 block[24];
	const char	*argv[] = { "XREAD", "COUNT", "100", "BLOCK", block, "STREAMS", key,
			    cursor };
	redisReply	*r, *entries;
	struct timespec	 pause = { 0, 50 * 1000000L };

	snprintf(block, sizeof(block), "%ld", ms);
	r = redis_conn_cmd(rq->app->redis, 8, argv, NULL);
	if (r != NULL && r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2 &&
	    (entries = r->element[0]->element[1])->type == REDIS_REPLY_ARRAY &&
	    entries->elements > 0) {
		redisReply	*last = entries->element[entries->elements - 1];

		if (last->type == REDIS_REPLY_ARRAY && last->elements > 0 &&
		    last->element[0]->type == REDIS_REPLY_STRING)
			snprintf(cursor, curlen, "%s", last->element[0]->str);
	} else if (r == NULL || r->type == REDIS_REPLY_ERROR)
		nanosleep(&pause, NULL);	/* Redis away: the row is looked at anyway */
	if (r != NULL)
		freeReplyObject(r);
}

/* Answers execution "id" once it ended (200), or as it is after "wait_s" seconds (202):
 * the row is the truth, looked at after each batch of its events. */
static int
executions_wait(struct req *rq, const char *id, int wait_s, int replayed)
{
	PGresult	*res = NULL;
	char		 key[128], cursor[48] = "0";
	long		 deadline = exec_now_ms() + wait_s * 1000L, left;
	enum db_rc	 drc;
	int		 rc;

	if (queue_events_key(id, key, sizeof(key)) == -1)
		return resp_problem(rq, 500, "cannot name the events stream", NULL);
	for (;;) {
		PQclear(res);
		res = NULL;
		if ((drc = db_row(rq->app->db, SQL_EXEC_ENDED, 1, (const char *[]){ id },
		    &res)) != DB_OK)
			return resp_db_error(rq, drc);
		if (PQgetvalue(res, 0, 1)[0] == 't' || (left = deadline - exec_now_ms()) <= 0)
			break;
		exec_wait_events(rq, key, cursor, sizeof(cursor),
		    left < EXEC_WAIT_SLICE_MS ? left : EXEC_WAIT_SLICE_MS);
	}
	if (replayed)
		req_header_add(rq, "Idempotent-Replayed: true");
	rc = resp_raw_json(rq, PQgetvalue(res, 0, 1)[0] == 't' ? 200 : 202,
	    PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	return rc;
}

int
executions_create(struct req *rq)
{
	json_object	*errors, *workflow = NULL;
	PGresult	*row = NULL;
	struct launch	 l = { .kind = LAUNCH_WORKFLOW };
	char		 fingerprint[2 * CRYPTO_SHA256_LEN + 1], owner[UUID_STRLEN + 1], *json,
			 err[128];
	enum launch_rc	 lrc;
	enum db_rc	 drc = DB_OK;
	int		 rc, wait_s;

	if (executions_idempotency(rq, &l, fingerprint) == -1)
		return 0;
	/* The workflow through the per-process cache; not found there, the launch reads it
	 * (and answers 404). */
	if (workflows_read(rq, rq->args[0], owner, &json) == DB_OK) {
		if (jsonh_parse(json, strlen(json), &workflow, err, sizeof(err)) == -1)
			workflow = NULL;	/* then read by the launch, which says why */
		free(json);
	}
	errors = jsonh_new_array();
	l.workflow = workflow;
	l.target_id = rq->args[0];
	l.scope = req_owner_filter(rq);
	l.owner_id = rq->user.user_id;
	l.trigger = executions_trigger(rq);
	l.traceparent = rq->traceparent[0] != '\0' ? rq->traceparent : NULL;
	l.group = rq->app->launches;
	l.inputs = jsonh_get_typed(rq->json, "inputs", json_type_object);
	wait_s = json_object_get_int(json_object_object_get(rq->json, "wait"));
	lrc = launch_start(rq->app->db, &l, queue_enqueue_port, rq->app->redis, errors, &row,
	    &drc);
	if (wait_s > 0 && (lrc == LAUNCH_OK || lrc == LAUNCH_REPLAYED))
		rc = executions_wait(rq, PQgetvalue(row, 0, 1), wait_s, lrc == LAUNCH_REPLAYED);
	else
		rc = executions_answer(rq, lrc, drc, errors, row,
		    "the inputs do not match the input node");
	PQclear(row);
	json_object_put(errors);
	json_object_put(workflow);
	return rc;
}

const char *
executions_trigger(const struct req *rq)
{
	return rq->user.api_key ? "api" : "manual";
}

/* The list's filters, "" when absent. */
struct exec_filters {
	char	 workflow_id[UUID_STRLEN + 8];
	char	 status[16];
	char	 trigger[16];
	char	 parent[UUID_STRLEN + 8];	/* "none", or the run that started them */
	char	 replay_of[UUID_STRLEN + 8];	/* the run they replay */
};

/* Reads the workflow_id, status, trigger, parent and replay_of filters. Returns 0, or -1 after answering
 * 422. */
static int
executions_filters(struct req *rq, struct exec_filters *f)
{
	memset(f, 0, sizeof(*f));
	if (req_query(rq, "workflow_id", f->workflow_id, sizeof(f->workflow_id)) != 0 &&
	    !uuid_valid(f->workflow_id))
		return resp_invalid(rq, "workflow_id", "must be a UUID"), -1;
	if (req_query(rq, "status", f->status, sizeof(f->status)) != 0 &&
	    !exec_one_of(f->status, exec_statuses, NITEMS(exec_statuses)))
		return resp_invalid(rq, "status",
		    "must be queued, running, waiting, succeeded, failed or cancelled"), -1;
	if (req_query(rq, "trigger", f->trigger, sizeof(f->trigger)) != 0 &&
	    !exec_one_of(f->trigger, exec_triggers, NITEMS(exec_triggers)))
		return resp_invalid(rq, "trigger",
		    "must be manual, api, webhook, schedule, tool, workflow or replay"), -1;
	if (req_query(rq, "parent", f->parent, sizeof(f->parent)) != 0 &&
	    strcmp(f->parent, "none") != 0 && !uuid_valid(f->parent))
		return resp_invalid(rq, "parent", "must be none (runs that no other run "
		    "started) or the id of the run that started them"), -1;
	if (req_query(rq, "replay_of", f->replay_of, sizeof(f->replay_of)) != 0 &&
	    !uuid_valid(f->replay_of))
		return resp_invalid(rq, "replay_of", "must be the id of the run replayed"), -1;
	return 0;
}

int
executions_list(struct req *rq)
{
	struct list_params	 lp;
	PGresult		*res = NULL;
	struct exec_filters	 f;
	enum db_rc		 drc;
	int			 rc;

	if (list_params_parse(rq, &lp, 0) == -1 || executions_filters(rq, &f) == -1)
		return 0;
	drc = db_exec(rq->app->db, SQL_EXECS_LIST, 11, (const char *[]){ req_owner_filter(rq),
	    list_micros(&lp), list_cursor_id(&lp), lp.limit_plus_one, NULL,
	    f.workflow_id[0] ? f.workflow_id : NULL, f.status[0] ? f.status : NULL,
	    f.trigger[0] ? f.trigger : NULL, strcmp(f.parent, "none") == 0 ? "t" : NULL,
	    f.parent[0] && strcmp(f.parent, "none") != 0 ? f.parent : NULL,
	    f.replay_of[0] ? f.replay_of : NULL }, &res);
	if (drc != DB_OK)
		return resp_db_error(rq, drc);
	rc = list_respond(rq, res, &lp);
	PQclear(res);
	return rc;
}

int
executions_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_EXEC_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
