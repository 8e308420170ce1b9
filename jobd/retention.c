/* retention.c: periodic deletion of expired executions in bounded batches (retention.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "db.h"
#include "log.h"
#include "retention.h"
#include "xalloc.h"

#define RETENTION_STR_(x)	#x
#define RETENTION_XSTR(x)	RETENTION_STR_(x)
#define RETENTION_BATCH		500	/* rows one statement deletes, at most */
#define RETENTION_BATCHES	20	/* statements one tick runs, at most */
#define RETENTION_BUDGET_MS	200	/* a tick stops starting batches after this long */
#define RETENTION_BACKLOG_MS	1000	/* next tick while a backlog remains */

/* $1: FRAGENT_RETENTION_DAYS. The shortest retention in force bounds the walk of the
 * executions_ended index; each row then meets its own workflow's (or the global) age. A
 * parent with a child still running is kept: the cascade would delete the child under its
 * worker. SKIP LOCKED lets several jobd instances (and a running claim) pass each other. */
static const char SQL_PRUNE[] =
	"WITH m AS (SELECT LEAST(NULLIF($1::int, 0), (SELECT min(retention_days) FROM workflows "
	"WHERE retention_days > 0)) AS days) "
	"DELETE FROM executions WHERE id IN (SELECT e.id FROM executions e "
	"LEFT JOIN workflows w ON w.id = e.workflow_id, m "
	"WHERE e.end_time IS NOT NULL AND e.end_time < now() - m.days * interval '1 day' AND "
	"COALESCE(w.retention_days, $1::int) > 0 AND "
	"e.end_time < now() - COALESCE(w.retention_days, $1::int) * interval '1 day' AND "
	"NOT EXISTS (SELECT 1 FROM executions c WHERE c.parent_execution_id = e.id AND "
	"c.end_time IS NULL) "
	"ORDER BY e.end_time LIMIT " RETENTION_XSTR(RETENTION_BATCH) " "
	"FOR UPDATE OF e SKIP LOCKED)";

struct retention {
	const struct jobd_settings	*set;
	struct event			*ev;
	struct db			*db;
};

static long
retention_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Arms the next tick in "ms". */
static void
retention_arm(struct retention *rt, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (event_add(rt->ev, &tv) != 0)
		log_error(NULL, "retention: cannot arm the timer");
}

/* One statement. Returns the rows it deleted, or -1. */
static long
retention_batch(struct retention *rt, const char *days)
{
	PGresult	*res = NULL;
	long		 n;

	if (db_exec(rt->db, SQL_PRUNE, 1, (const char *[]){ days }, &res) != DB_OK)
		return -1;
	n = res != NULL ? strtol(PQcmdTuples(res), NULL, 10) : 0;
	PQclear(res);
	return n;
}

/* A tick: batches until one comes back short, RETENTION_BATCHES ran or the time budget is
 * spent; a full last batch means a backlog, and the next tick comes sooner. */
static void
retention_run(evutil_socket_t fd, short what, void *arg)
{
	struct retention	*rt = arg;
	char			 days[24];
	long			 start = retention_now_ms(), n = RETENTION_BATCH, total = 0;
	int			 i;

	(void)fd;
	(void)what;
	snprintf(days, sizeof(days), "%ld", rt->set->retention_days);
	for (i = 0; i < RETENTION_BATCHES && n == RETENTION_BATCH &&
	    retention_now_ms() - start < RETENTION_BUDGET_MS; i++) {
		if ((n = retention_batch(rt, days)) < 0)
			break;
		total += n;
	}
	if (total > 0)
		log_info(NULL, "retention: deleted %ld expired executions in %ld ms", total,
		    retention_now_ms() - start);
	retention_arm(rt, n == RETENTION_BATCH && rt->set->retention_ms > RETENTION_BACKLOG_MS ?
	    RETENTION_BACKLOG_MS : rt->set->retention_ms);
}

struct retention *
retention_start(struct event_base *base, const struct jobd_settings *set)
{
	struct retention	*rt;

	rt = xcalloc(1, sizeof(*rt));
	rt->set = set;
	if ((rt->db = db_new(set->db_url)) == NULL ||
	    (rt->ev = event_new(base, -1, 0, retention_run, rt)) == NULL) {
		retention_stop(rt);
		return NULL;
	}
	retention_arm(rt, set->retention_ms);
	return rt;
}

void
retention_stop(struct retention *rt)
{
	if (rt == NULL)
		return;
	if (rt->ev != NULL)
		event_free(rt->ev);
	db_free(rt->db);
	free(rt);
}
