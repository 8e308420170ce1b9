/* child.c: what run_workflow and ask_agent share: a child execution started from a tool
 * call (through shared/launch.c, with parent_execution_id), waited for without
 * blocking the loop (its row is polled every 200 ms; a child waiting for a human approval is
 * still going), cancelled with the calling step, and refused past CHILD_MAX_DEPTH nested runs
 * (an agent calling itself). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "child.h"
#include "db.h"
#include "env.h"
#include "jsonh.h"
#include "queue.h"
#include "rlink.h"
#include "uuid.h"
#include "xalloc.h"

#define CHILD_MAX_DEPTH		4
#define CHILD_POLL_MS		200
#define CHILD_DEFAULT_S		300

#define SQL_CHILD_DEPTH \
	"WITH RECURSIVE up(id, parent, d) AS (SELECT id, parent_execution_id, 0 FROM executions " \
	"WHERE id = $1::uuid UNION ALL SELECT e.id, e.parent_execution_id, up.d + 1 FROM " \
	"executions e JOIN up ON e.id = up.parent WHERE up.d < 16) SELECT max(d) FROM up"
#define SQL_CHILD_STATUS \
	"SELECT status, results, error FROM executions WHERE id = $1::uuid"
#define SQL_CHILD_CANCEL \
	"UPDATE executions SET status = 'cancelled', end_time = now() WHERE id = $1::uuid " \
	"AND status IN ('queued', 'running', 'waiting')"

struct child {
	struct tool_call	*t;
	struct event		*poll;
	char			 id[UUID_STRLEN + 1];
	long			 deadline;	/* CLOCK_MONOTONIC ms */
	child_result_fn		 shape;
};

static long
child_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void
child_free(struct child *ch)
{
	if (ch == NULL)
		return;
	if (ch->poll != NULL)
		event_free(ch->poll);
	free(ch);
}

/* Cancels the child: the row first (the truth), then a word to the jobd running it. */
static void
child_cancel_run(struct child *ch)
{
	const struct node_env	*env = ch->t->env;
	char			 msg[96];
	const char		*argv[] = { "PUBLISH", QUEUE_CONTROL_CHANNEL, msg };

	db_exec(env->db, SQL_CHILD_CANCEL, 1, (const char *[]){ ch->id }, NULL);
	snprintf(msg, sizeof(msg), "%s %s", QUEUE_CONTROL_CANCEL, ch->id);
	if (env->redis != NULL)
		(void)rlink_cmd(env->redis, NULL, NULL, 3, argv, NULL);
}

/* Ends the tool call with "result" or "err" and frees the child. */
static void
child_end(struct child *ch, json_object *result, const char *err)
{
	struct tool_call	*t = ch->t;

	t->priv = NULL;
	child_free(ch);
	t->done(t, result, err);
}

static void
child_on_poll(evutil_socket_t fd, short what, void *arg)
{
	struct child	*ch = arg;
	struct timeval	 tv = { 0, CHILD_POLL_MS * 1000 };
	PGresult	*res = NULL;
	const char	*st;
	char		 err[128];

	(void)fd;
	(void)what;
	if (db_row(ch->t->env->db, SQL_CHILD_STATUS, 1, (const char *[]){ ch->id }, &res) ==
	    DB_OK && (st = db_text(res, 0, 0)) != NULL && strcmp(st, "queued") != 0 &&
	    strcmp(st, "running") != 0 && strcmp(st, "waiting") != 0) {
		json_object	*results = db_json(res, 0, 1);
		const char	*e = db_text(res, 0, 2);
		json_object	*out = ch->shape(st, results, e);

		json_object_put(results);
		PQclear(res);
		child_end(ch, out, NULL);
		return;
	}
	PQclear(res);
	if (child_now_ms() > ch->deadline) {
		child_cancel_run(ch);
		snprintf(err, sizeof(err), "execution %s did not end in time and was cancelled",
		    ch->id);
		child_end(ch, NULL, err);
		return;
	}
	evtimer_add(ch->poll, &tv);
}

/* Refuses a run nested too deep under the calling execution. */
static int
child_depth_ok(struct tool_call *t, char *err, size_t errlen)
{
	PGresult	*res = NULL;
	int		 d = 0;

	if (db_row(t->env->db, SQL_CHILD_DEPTH, 1, (const char *[]){ t->execution_id }, &res) !=
	    DB_OK) {
		snprintf(err, errlen, "cannot read the calling execution");
		return -1;
	}
	if (db_text(res, 0, 0) != NULL)
		d = atoi(db_text(res, 0, 0));
	PQclear(res);
	if (d + 1 >= CHILD_MAX_DEPTH) {
		snprintf(err, errlen, "runs may nest at most %d deep", CHILD_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* launch.h's queue port over jobd's asynchronous link. */
static int
child_enqueue(void *link, const char *id)
{
	const char	*argv[QUEUE_ENQUEUE_ARGC];

	queue_enqueue_argv(argv, id);
	return rlink_cmd(link, NULL, NULL, QUEUE_ENQUEUE_ARGC, argv, NULL);
}

/* Writes why launch "lrc" failed into "err": the first problem of "errors" when there is one. */
static void
child_launch_error(enum launch_rc lrc, json_object *errors, char *err, size_t errlen)
{
	json_object	*first = json_object_array_get_idx(errors, 0);

	switch (lrc) {
	case LAUNCH_NOTFOUND:
		snprintf(err, errlen, "not found (or not yours)");
		break;
	case LAUNCH_INVALID:
	case LAUNCH_TOO_LARGE:
		snprintf(err, errlen, "%s: %s: %s", lrc == LAUNCH_INVALID ? "invalid" :
		    "the workflow is too large to run", first != NULL ?
		    jsonh_get_string(first, "field") : "?", first != NULL ?
		    jsonh_get_string(first, "message") : "?");
		break;
	default:
		snprintf(err, errlen, "cannot start the run");
		break;
	}
}

enum tool_rc
child_start(struct tool_call *t, struct launch *l, long timeout_s, child_result_fn shape,
    char *err, size_t errlen)
{
	struct child	*ch = NULL;
	struct timeval	 tv = { 0, CHILD_POLL_MS * 1000 };
	char		 tp[TRACE_PARENT_SIZE];
	PGresult	*row = NULL;
	json_object	*errors;
	enum launch_rc	 lrc;

	if (t->env == NULL || t->env->db == NULL || t->env->redis == NULL ||
	    t->execution_id == NULL || t->owner_id == NULL) {
		snprintf(err, errlen, "child runs are not available here");
		return TOOL_ERROR;
	}
	if (child_depth_ok(t, err, errlen) == -1)
		return TOOL_ERROR;
	ch = xcalloc(1, sizeof(*ch));
	if ((ch->poll = evtimer_new(t->env->base, child_on_poll, ch)) == NULL) {
		snprintf(err, errlen, "cannot make a timer");
		child_free(ch);
		return TOOL_ERROR;
	}
	ch->t = t;
	ch->shape = shape;
	ch->deadline = child_now_ms() + (timeout_s > 0 ? timeout_s : CHILD_DEFAULT_S) * 1000;
	l->scope = t->owner_id;
	l->owner_id = NULL;
	l->parent_id = t->execution_id;
	l->trigger = "tool";
	/* The child's spans go under the tool call's, in the parent's trace. */
	if (trace_format(&t->trace, tp) == 0)
		l->traceparent = tp;
	errors = jsonh_new_array();
	lrc = launch_start(t->env->db, l, child_enqueue, t->env->redis, errors, &row, NULL);
	if (lrc != LAUNCH_OK) {
		child_launch_error(lrc, errors, err, errlen);
		json_object_put(errors);
		child_free(ch);
		return TOOL_ERROR;
	}
	json_object_put(errors);
	snprintf(ch->id, sizeof(ch->id), "%s", PQgetvalue(row, 0, 1));
	PQclear(row);
	evtimer_add(ch->poll, &tv);
	t->priv = ch;
	return TOOL_PENDING;
}

void
child_abort(struct tool_call *t)
{
	struct child	*ch = t->priv;

	if (ch == NULL)
		return;
	child_cancel_run(ch);
	t->priv = NULL;
	child_free(ch);
}
