/* schedfire.c: fires due workflow schedules (see schedfire.h).
 *
 * Each fire happens exactly once, however many jobd instances run and wherever one crashes:
 * - A fire is one transaction on a connection of our own: BEGIN; the earliest due schedule,
 *   locked FOR UPDATE SKIP LOCKED (another instance skips it and takes the next one; once we
 *   commit, the row no longer matches: under READ COMMITTED a row locked after a concurrent
 *   change is checked against the WHERE again in its newest version); launch_start's
 *   statements, which store the run; the UPDATE that advances next_fire_at; COMMIT. The run
 *   and the advance are committed together or not at all: a crash before COMMIT leaves the
 *   schedule due and no run, so the fire happens on a later tick, here or elsewhere.
 * - The run is queued only after COMMIT (launch_start's queue port here only remembers the
 *   id): a worker never reads an id whose row it cannot see yet, and a crash between COMMIT
 *   and the XADD leaves a queued row, which the sweeper queues (shared/launch.h).
 * - The run carries the idempotency key "fire:<Unix seconds of the due time>" under
 *   trigger_id = the schedule, unique per owner and trigger (sql/060_triggers.sql): a second
 *   insert of the same fire is refused by the index and answered as a replay. That covers
 *   what the lock cannot: a connection reset inside the transaction (db.c reconnects before
 *   the next statement, which then runs outside any transaction: we notice the new session
 *   and stop before advancing, and the next tick replays the fire and advances), and an API
 *   change computed before our COMMIT that writes back the fire we have just run.
 * Missed fires (jobd was away): the next fire is computed from max(now, due), so one run
 * starts however many fires were missed (missed = run_once), or none when the due time is
 * older than FIRE_GRACE_S (missed = skip). A launch that fails for good (the inputs no longer
 * match the input node, the workflow is over the caps) is logged with the schedule id and
 * the schedule advances all the same.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "cron.h"
#include "db.h"
#include "jsonh.h"
#include "launch.h"
#include "log.h"
#include "otlp.h"
#include "queue.h"
#include "schedfire.h"
#include "uuid.h"
#include "xalloc.h"

#define FIRE_TICK_S	1	/* how often due schedules are looked for */
#define FIRE_BATCH	50	/* fires per tick at most (a longer backlog: the next tick) */
#define FIRE_GRACE_S	60	/* missed = skip: a fire later than this is skipped */
#define FIRE_KEY_MAX	32	/* "fire:" and an int64, with the NUL */
#define FIRE_NUM_MAX	24	/* an int64 in decimal, with the NUL */

/* The earliest due schedule no other instance holds, with its due time and now as Unix
 * seconds (the database's clock, the one next_fire_at <= now() is judged by). */
static const char SQL_FIRE_DUE[] =
	"SELECT s.id, s.workflow_id, s.cron, s.timezone, s.inputs, s.missed = 'skip', "
	"floor(extract(epoch FROM s.next_fire_at))::bigint, "
	"floor(extract(epoch FROM now()))::bigint "
	"FROM schedules s WHERE s.enabled AND s.next_fire_at <= now() "
	"ORDER BY s.next_fire_at LIMIT 1 FOR UPDATE SKIP LOCKED";
/* $2 the next fire (NULL: none); $3 whether it ran, at $4. */
static const char SQL_FIRE_ADVANCE[] =
	"UPDATE schedules SET next_fire_at = to_timestamp($2::double precision), "
	"last_fire_at = CASE WHEN $3::boolean THEN to_timestamp($4::double precision) "
	"ELSE last_fire_at END WHERE id = $1";

/* The columns of SQL_FIRE_DUE. */
enum fire_col {
	FC_ID, FC_WORKFLOW, FC_CRON, FC_ZONE, FC_INPUTS, FC_SKIP, FC_DUE, FC_NOW, FC__MAX
};

struct schedfire {
	const struct jobd_settings	*set;
	struct event			*ev;
	struct db			*db;
	struct redis_conn		*redis;
	char				 stored[UUID_STRLEN + 1]; /* the fire's run, or "" */
};

/* launch_start's queue port during a fire: only remembers the run, queued after COMMIT. */
static int
schedfire_remember(void *arg, const char *id)
{
	struct schedfire	*sf = arg;

	snprintf(sf->stored, sizeof(sf->stored), "%s", id);
	return 0;
}

/* Why launch_start refused, in words. */
static const char *
schedfire_why(enum launch_rc lrc)
{
	switch (lrc) {
	case LAUNCH_NOTFOUND:
		return "the workflow is gone";
	case LAUNCH_INVALID:
		return "the inputs do not match the input node";
	case LAUNCH_TOO_LARGE:
		return "the workflow is over the caps";
	case LAUNCH_UNREADABLE:
		return "the stored definition is unreadable";
	case LAUNCH_DB:
		return "the database refused the run";
	default:
		return "launch failed";
	}
}

/* Writes into "out" (at least FIRE_NUM_MAX bytes) the fire after "due" of the schedule in
 * row "res", counted from max("now", "due"), as Unix seconds; "" when it never fires again. */
static void
schedfire_next(const PGresult *res, int64_t due, int64_t now, char *out, size_t len)
{
	const char	*id = PQgetvalue(res, 0, FC_ID), *zone = PQgetvalue(res, 0, FC_ZONE);
	struct cron	 c;
	char		 err[160];
	int64_t		 next;

	out[0] = '\0';
	if (cron_parse(PQgetvalue(res, 0, FC_CRON), &c, err, sizeof(err)) == -1) {
		log_error(NULL, "schedule %s: stored expression refused (%s): it stops firing",
		    id, err);
		return;
	}
	if (cron_next(&c, zone, now > due ? now : due, &next) == -1) {
		if (cron_zone_check(zone) == 0) {
			log_warn(NULL, "schedule %s: no fire within 10 years in %s: it stops "
			    "firing", id, zone);
			return;
		}
		/* Firing at a guessed time would start a run the expression never asked
		 * for: the schedule stops, and saving it again (the API computes its next
		 * fire) starts it once the zone reads. */
		log_error(NULL, "schedule %s: time zone %s cannot be read (tzdata missing or "
		    "the name gone from it): it stops firing until it is saved again", id, zone);
		return;
	}
	snprintf(out, len, "%lld", (long long)next);
}

/* Starts the run of fire "key" of the schedule in row "res", inside the current transaction
 * (a savepoint keeps a refused run from aborting it). Returns 0 when the schedule is to
 * advance (the run was stored, had been already, or is refused for good: logged), -1 when
 * the transaction is to roll back and the fire be retried (database away, no randomness). */
static int
schedfire_launch(struct schedfire *sf, const PGresult *res, const char *key)
{
	const char	*id = PQgetvalue(res, 0, FC_ID);
	json_object	*inputs = db_json(res, 0, FC_INPUTS), *errors = jsonh_new_array();
	struct launch	 l;
	struct trace_span span;
	char		 tp[TRACE_PARENT_SIZE];
	enum launch_rc	 lrc;
	enum db_rc	 drc = DB_OK;
	int		 rc = 0;

	memset(&l, 0, sizeof(l));
	/* A fire starts a trace of its own: this span is its root, the run's its child. */
	if (otlp_span_start(&span, NULL, "schedule fire", TRACE_KIND_INTERNAL)) {
		trace_span_attr_str(&span, "fragent.schedule_id", id);
		trace_format(&span.ctx, tp);
		l.traceparent = tp;
	}
	l.kind = LAUNCH_WORKFLOW;
	l.target_id = PQgetvalue(res, 0, FC_WORKFLOW);
	l.inputs = inputs;
	l.trigger = "schedule";
	l.trigger_id = id;
	l.idempotency_key = key;
	l.fingerprint = key;	/* the same fire is the same request */
	sf->stored[0] = '\0';
	if (db_exec(sf->db, "SAVEPOINT fire", 0, NULL, NULL) != DB_OK) {
		rc = -1;
		goto out;
	}
	lrc = launch_start(sf->db, &l, schedfire_remember, sf, errors, NULL, &drc);
	if (lrc == LAUNCH_OK)
		log_info(LOG_IDS(NULL, sf->stored), "schedule %s: %s started", id, key);
	else if (lrc == LAUNCH_REPLAYED || lrc == LAUNCH_KEY_REUSED)
		log_info(NULL, "schedule %s: %s had started its run already", id, key);
	else if (lrc == LAUNCH_NO_RANDOM || (lrc == LAUNCH_DB && drc == DB_UNAVAILABLE))
		rc = -1;
	else {
		log_warn(NULL, "schedule %s: %s not started (%s): %s", id, key,
		    schedfire_why(lrc), jsonh_str(errors));
		if (db_exec(sf->db, "ROLLBACK TO SAVEPOINT fire", 0, NULL, NULL) != DB_OK)
			rc = -1;
	}
	if (lrc != LAUNCH_OK)
		sf->stored[0] = '\0';
	else
		trace_span_attr_str(&span, "fragent.execution_id", sf->stored);
	otlp_span_end(&span, lrc == LAUNCH_OK || lrc == LAUNCH_REPLAYED ||
	    lrc == LAUNCH_KEY_REUSED ? TRACE_STATUS_UNSET : TRACE_STATUS_ERROR, NULL);
out:
	json_object_put(inputs);
	json_object_put(errors);
	return rc;
}

/* Fires the earliest due schedule no other instance holds, in one transaction, then queues
 * its run. Returns 1 when one was fired or skipped, 0 when none is due, -1 when the database
 * failed (rolled back: the fire is retried on a later tick). */
static int
schedfire_one(struct schedfire *sf)
{
	PGresult	*res = NULL;
	const char	*id;
	unsigned long	 session;
	char		 key[FIRE_KEY_MAX], next[FIRE_NUM_MAX], due_s[FIRE_NUM_MAX];
	int64_t		 due, now;
	int		 run, rc = -1;

	if (db_exec(sf->db, "BEGIN", 0, NULL, NULL) != DB_OK)
		return -1;
	session = db_session(sf->db);
	switch (db_row(sf->db, SQL_FIRE_DUE, 0, NULL, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
		rc = 0;
		goto out;
	default:
		goto out;
	}
	id = PQgetvalue(res, 0, FC_ID);
	due = strtoll(PQgetvalue(res, 0, FC_DUE), NULL, 10);
	now = strtoll(PQgetvalue(res, 0, FC_NOW), NULL, 10);
	run = PQgetvalue(res, 0, FC_SKIP)[0] != 't' || now - due <= FIRE_GRACE_S;
	schedfire_next(res, due, now, next, sizeof(next));
	snprintf(key, sizeof(key), "fire:%lld", (long long)due);
	snprintf(due_s, sizeof(due_s), "%lld", (long long)due);
	sf->stored[0] = '\0';
	if (run && schedfire_launch(sf, res, key) == -1)
		goto out;
	if (!run)
		log_info(NULL, "schedule %s: %s missed by %llds: skipped", id, key,
		    (long long)(now - due));
	/* A reset connection ran what followed BEGIN outside the transaction: stop before the
	 * advance; the next tick finds the fire due again and its key replays the run. */
	if (db_session(sf->db) != session) {
		log_warn(NULL, "schedule %s: connection lost during %s: retried", id, key);
		goto out;
	}
	if (db_exec(sf->db, SQL_FIRE_ADVANCE, 4, (const char *[]){ id, next[0] ? next : NULL,
	    run ? "true" : "false", due_s }, NULL) != DB_OK ||
	    db_session(sf->db) != session ||
	    db_exec(sf->db, "COMMIT", 0, NULL, NULL) != DB_OK)
		goto out;
	rc = 1;
	if (sf->stored[0] != '\0' && queue_enqueue(sf->redis, sf->stored) == -1)
		log_warn(LOG_IDS(NULL, sf->stored), "schedule %s: run stored but not queued (the "
		    "queue is unavailable): the sweeper will queue it", id);
out:
	if (rc != 1)
		(void)db_exec(sf->db, "ROLLBACK", 0, NULL, NULL);
	PQclear(res);
	return rc;
}

static void
schedfire_tick(evutil_socket_t fd, short what, void *arg)
{
	struct schedfire	*sf = arg;
	int			 i;

	(void)fd;
	(void)what;
	for (i = 0; i < FIRE_BATCH && schedfire_one(sf) == 1; i++)
		continue;
}

struct schedfire *
schedfire_start(struct event_base *base, const struct jobd_settings *set)
{
	struct schedfire	*sf;
	struct timeval		 tv = { FIRE_TICK_S, 0 };

	sf = xcalloc(1, sizeof(*sf));
	sf->set = set;
	if ((sf->db = db_new(set->db_url)) == NULL ||
	    (sf->redis = redis_conn_new(&set->redis)) == NULL ||
	    (sf->ev = event_new(base, -1, EV_PERSIST, schedfire_tick, sf)) == NULL ||
	    event_add(sf->ev, &tv) != 0) {
		schedfire_stop(sf);
		return NULL;
	}
	return sf;
}

void
schedfire_stop(struct schedfire *sf)
{
	if (sf == NULL)
		return;
	if (sf->ev != NULL)
		event_free(sf->ev);
	db_free(sf->db);
	redis_conn_free(sf->redis);
	free(sf);
}
