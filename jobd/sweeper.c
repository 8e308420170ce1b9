/* sweeper.c: periodic re-enqueue of executions the queue lost (see sweeper.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "approval.h"
#include "db.h"
#include "launch.h"
#include "log.h"
#include "queue.h"
#include "sweeper.h"
#include "xalloc.h"

#define SWEEP_AGE	"$1::bigint * interval '1 millisecond'"

/* FOR UPDATE SKIP LOCKED: several jobd instances sweep without stepping on each other;
 * enqueued_at makes an execution wait a whole period before it is swept again. */
static const char SQL_SWEEP[] =
	"UPDATE executions SET enqueued_at = now() WHERE id IN ("
	"SELECT id FROM executions WHERE end_time IS NULL AND "
	"COALESCE(enqueued_at, created_at) < now() - " SWEEP_AGE " AND "
	"((status = 'queued' AND $2::boolean) OR "
	"(status = 'running' AND lease_expires_at < now() - " SWEEP_AGE ")) "
	"ORDER BY created_at LIMIT 500 "
	"FOR UPDATE SKIP LOCKED) RETURNING id";

/* Idempotency keys are kept LAUNCH_KEY_TTL_SQL; older ones are cleared, a batch a sweep. */
static const char SQL_KEYS_PURGE[] =
	"UPDATE executions SET idempotency_key = NULL, idempotency_fingerprint = NULL "
	"WHERE id IN (SELECT id FROM executions WHERE idempotency_key IS NOT NULL AND "
	"created_at < now() - " LAUNCH_KEY_TTL_SQL " LIMIT 1000 FOR UPDATE SKIP LOCKED)";

/* Approvals of waiting executions whose deadline passed, oldest first. */
static const char SQL_DEADLINES[] =
	"SELECT a.execution_id::text, a.node_id FROM approvals a JOIN executions e ON "
	"e.id = a.execution_id WHERE a.state = 'pending' AND a.deadline < now() AND "
	"e.status = 'waiting' ORDER BY a.deadline LIMIT 100";

struct sweeper {
	const struct jobd_settings	*set;
	struct event			*ev;
	struct db			*db;
	struct redis_conn		*redis;
};

/* The consumer group's lag: entries in the stream not delivered to any consumer yet. */
static long
sweeper_lag(struct sweeper *sw)
{
	const char	*argv[] = { "XINFO", "GROUPS", QUEUE_STREAM };
	redisReply	*r = redis_conn_cmd(sw->redis, 3, argv, NULL);
	long		 lag = -1;
	size_t		 g, k;

	for (g = 0; r != NULL && r->type == REDIS_REPLY_ARRAY && g < r->elements; g++) {
		redisReply	*m = r->element[g];
		int		 ours = 0;
		long		 v = -1;

		for (k = 0; m->type == REDIS_REPLY_ARRAY && k + 1 < m->elements; k += 2) {
			if (m->element[k]->type != REDIS_REPLY_STRING)
				continue;
			if (strcmp(m->element[k]->str, "name") == 0 &&
			    m->element[k + 1]->type == REDIS_REPLY_STRING)
				ours = strcmp(m->element[k + 1]->str, QUEUE_GROUP) == 0;
			else if (strcmp(m->element[k]->str, "lag") == 0 &&
			    m->element[k + 1]->type == REDIS_REPLY_INTEGER)
				v = (long)m->element[k + 1]->integer;
		}
		if (ours)
			lag = v;
	}
	freeReplyObject(r);
	return lag;
}

/* Rejects the approvals whose deadline passed, each the guarded way an answer is given (a
 * person's answer or another instance's sweep may come first: then nothing is written). */
static void
sweeper_deadlines(struct sweeper *sw)
{
	PGresult	*res = NULL;
	int		 i, n = 0;

	if (db_exec(sw->db, SQL_DEADLINES, 0, NULL, &res) != DB_OK)
		return;
	for (i = 0; i < PQntuples(res); i++)
		n += approval_answer(sw->db, sw->redis, PQgetvalue(res, i, 0),
		    PQgetvalue(res, i, 1), false, APPROVAL_DEADLINE_COMMENT, NULL, NULL) ==
		    APPROVAL_OK;
	if (n > 0)
		log_info(NULL, "sweeper: %d approval(s) rejected at their deadline", n);
	PQclear(res);
}

static void
sweeper_run(evutil_socket_t fd, short what, void *arg)
{
	struct sweeper	*sw = arg;
	PGresult	*res = NULL;
	char		 age[24];
	int		 i, n = 0;

	(void)fd;
	(void)what;
	snprintf(age, sizeof(age), "%ld", sw->set->sweep_ms);
	/* A queued execution is only suspect when the queue has nothing undelivered: during a
	 * backlog, old queued rows are simply waiting their turn. */
	if (db_exec(sw->db, SQL_SWEEP, 2, (const char *[]){ age,
	    sweeper_lag(sw) == 0 ? "true" : "false" }, &res) != DB_OK)
		return;
	for (i = 0; i < PQntuples(res); i++)
		if (queue_enqueue(sw->redis, PQgetvalue(res, i, 0)) == 0)
			n++;
	if (PQntuples(res) > 0)
		log_warn(NULL, "sweeper: re-enqueued %d of %d executions the queue had lost", n,
		    PQntuples(res));
	PQclear(res);
	(void)db_exec(sw->db, SQL_KEYS_PURGE, 0, NULL, NULL);
	sweeper_deadlines(sw);
}

struct sweeper *
sweeper_start(struct event_base *base, const struct jobd_settings *set)
{
	struct sweeper	*sw;
	struct timeval	 tv = { set->sweep_ms / 1000, (set->sweep_ms % 1000) * 1000 };

	sw = xcalloc(1, sizeof(*sw));
	sw->set = set;
	if ((sw->db = db_new(set->db_url)) == NULL ||
	    (sw->redis = redis_conn_new(&set->redis)) == NULL ||
	    (sw->ev = event_new(base, -1, EV_PERSIST, sweeper_run, sw)) == NULL ||
	    event_add(sw->ev, &tv) != 0) {
		sweeper_stop(sw);
		return NULL;
	}
	return sw;
}

void
sweeper_stop(struct sweeper *sw)
{
	if (sw == NULL)
		return;
	if (sw->ev != NULL)
		event_free(sw->ev);
	db_free(sw->db);
	redis_conn_free(sw->redis);
	free(sw);
}
