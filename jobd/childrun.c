/* childrun.c: child executions started by a running one (see childrun.h). A watch reads the
 * rows of the children it holds with one statement per look, soon after a child ended (a
 * map's children end one after the other) and less often while none does; a child waiting
 * for a human approval has not ended. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "childrun.h"
#include "db.h"
#include "jsonh.h"
#include "queue.h"
#include "rlink.h"
#include "xalloc.h"

#define CHILDWATCH_MIN_MS	20	/* the next look after one that found an end */
#define CHILDWATCH_MAX_MS	200	/* the slowest pace, while nothing ends */

/* The parent's nesting depth and owner. */
#define SQL_CHILDRUN_PARENT \
	"WITH RECURSIVE up(id, parent, d) AS (SELECT id, parent_execution_id, 0 FROM executions " \
	"WHERE id = $1::uuid UNION ALL SELECT e.id, e.parent_execution_id, up.d + 1 FROM " \
	"executions e JOIN up ON e.id = up.parent WHERE up.d < 16) " \
	"SELECT (SELECT max(d) FROM up), (SELECT owner_id FROM executions WHERE id = $1::uuid)"
#define SQL_CHILDRUN_CANCEL \
	"UPDATE executions SET status = 'cancelled', end_time = now() WHERE id = $1::uuid " \
	"AND status IN ('queued', 'running', 'waiting')"
#define SQL_CHILDRUN_ENDED \
	"SELECT id, status, results, error FROM executions WHERE id = ANY($1::uuid[]) AND " \
	"status IN ('succeeded', 'failed', 'cancelled')"

struct childwatch_entry {
	char	 id[UUID_STRLEN + 1];
	size_t	 slot;
};

struct childwatch {
	const struct node_env	*env;
	childwatch_fn		 fn;
	void			*arg;
	struct event		*timer;
	struct childwatch_entry	*v;
	size_t			 n, cap;
	long			 pace_ms;
	int			 looking;	/* calling "fn": a free is put off */
	int			 doomed;
};

int
childrun_prepare(const struct node_env *env, const char *parent_id,
    char owner[UUID_STRLEN + 1], char *err, size_t errlen)
{
	PGresult	*res = NULL;
	int		 d = 0;

	if (env == NULL || env->db == NULL || env->redis == NULL || parent_id == NULL) {
		snprintf(err, errlen, "child runs are not available here");
		return -1;
	}
	if (db_row(env->db, SQL_CHILDRUN_PARENT, 1, (const char *[]){ parent_id }, &res) !=
	    DB_OK || db_text(res, 0, 1) == NULL) {
		PQclear(res);
		snprintf(err, errlen, "cannot read the calling execution");
		return -1;
	}
	if (db_text(res, 0, 0) != NULL)
		d = atoi(db_text(res, 0, 0));
	snprintf(owner, UUID_STRLEN + 1, "%s", db_text(res, 0, 1));
	PQclear(res);
	if (d + 1 >= CHILDRUN_MAX_DEPTH) {
		snprintf(err, errlen, "runs may nest at most %d deep", CHILDRUN_MAX_DEPTH);
		return -1;
	}
	return 0;
}

/* launch.h's queue port over jobd's asynchronous link. */
static int
childrun_enqueue(void *link, const char *id)
{
	const char	*argv[QUEUE_ENQUEUE_ARGC];

	queue_enqueue_argv(argv, id);
	return rlink_cmd(link, NULL, NULL, QUEUE_ENQUEUE_ARGC, argv, NULL);
}

/* Writes why launch "lrc" failed into "err": the first problem of "errors" when there is one. */
static void
childrun_launch_error(enum launch_rc lrc, json_object *errors, char *err, size_t errlen)
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

int
childrun_launch(const struct node_env *env, struct launch *l, const char *parent_id,
    const char *owner, const struct trace_ctx *trace, char id[UUID_STRLEN + 1], char *err,
    size_t errlen)
{
	char		 tp[TRACE_PARENT_SIZE];
	PGresult	*row = NULL;
	json_object	*errors = jsonh_new_array();
	enum launch_rc	 lrc;

	l->scope = owner;
	l->owner_id = NULL;
	l->parent_id = parent_id;
	if (trace != NULL && trace_format(trace, tp) == 0)
		l->traceparent = tp;
	lrc = launch_start(env->db, l, childrun_enqueue, env->redis, errors, &row, NULL);
	if (lrc != LAUNCH_OK) {
		childrun_launch_error(lrc, errors, err, errlen);
		json_object_put(errors);
		return -1;
	}
	json_object_put(errors);
	snprintf(id, UUID_STRLEN + 1, "%s", PQgetvalue(row, 0, 1));
	PQclear(row);
	return 0;
}

void
childrun_cancel(const struct node_env *env, const char *id)
{
	char		 msg[96];
	const char	*argv[] = { "PUBLISH", QUEUE_CONTROL_CHANNEL, msg };

	db_exec(env->db, SQL_CHILDRUN_CANCEL, 1, (const char *[]){ id }, NULL);
	snprintf(msg, sizeof(msg), "%s %s", QUEUE_CONTROL_CANCEL, id);
	if (env->redis != NULL)
		(void)rlink_cmd(env->redis, NULL, NULL, 3, argv, NULL);
}

static void
childwatch_arm(struct childwatch *w)
{
	struct timeval	 tv = { w->pace_ms / 1000, (w->pace_ms % 1000) * 1000 };

	if (w->n > 0 && !w->doomed)
		evtimer_add(w->timer, &tv);
}

/* Removes the child "id"; returns its slot, or (size_t)-1 when it is not watched. */
static size_t
childwatch_take(struct childwatch *w, const char *id)
{
	size_t	 i, slot;

	for (i = 0; i < w->n; i++)
		if (strcmp(w->v[i].id, id) == 0) {
			slot = w->v[i].slot;
			w->v[i] = w->v[--w->n];
			return slot;
		}
	return (size_t)-1;
}

static void
childwatch_destroy(struct childwatch *w)
{
	event_free(w->timer);
	free(w->v);
	free(w);
}

/* The ids watched as a PostgreSQL array literal. */
static char *
childwatch_ids(const struct childwatch *w)
{
	char	*s = xmalloc(w->n * (UUID_STRLEN + 1) + 3), *p = s;
	size_t	 i;

	*p++ = '{';
	for (i = 0; i < w->n; i++) {
		if (i > 0)
			*p++ = ',';
		memcpy(p, w->v[i].id, UUID_STRLEN);
		p += UUID_STRLEN;
	}
	*p++ = '}';
	*p = '\0';
	return s;
}

static void
childwatch_look(evutil_socket_t fd, short what, void *arg)
{
	struct childwatch	*w = arg;
	PGresult		*res = NULL;
	json_object		*results;
	char			*ids;
	size_t			 slot;
	int			 r, ended = 0;

	(void)fd;
	(void)what;
	ids = childwatch_ids(w);
	/* A failed look is tried again at the next. */
	if (db_exec(w->env->db, SQL_CHILDRUN_ENDED, 1, (const char *[]){ ids }, &res) != DB_OK) {
		PQclear(res);
		res = NULL;
	}
	free(ids);
	w->looking = 1;
	for (r = 0; res != NULL && r < PQntuples(res) && !w->doomed; r++) {
		if ((slot = childwatch_take(w, PQgetvalue(res, r, 0))) == (size_t)-1)
			continue;
		ended = 1;
		results = db_json(res, r, 2);
		w->fn(w->arg, slot, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1), results,
		    db_text(res, r, 3));
		json_object_put(results);
	}
	w->looking = 0;
	PQclear(res);
	if (w->doomed) {
		childwatch_destroy(w);
		return;
	}
	w->pace_ms = ended ? CHILDWATCH_MIN_MS : w->pace_ms * 2 > CHILDWATCH_MAX_MS ?
	    CHILDWATCH_MAX_MS : w->pace_ms * 2;
	childwatch_arm(w);
}

struct childwatch *
childwatch_new(const struct node_env *env, childwatch_fn fn, void *arg)
{
	struct childwatch	*w = xcalloc(1, sizeof(*w));

	w->env = env;
	w->fn = fn;
	w->arg = arg;
	w->pace_ms = CHILDWATCH_MIN_MS;
	if ((w->timer = evtimer_new(env->base, childwatch_look, w)) == NULL)
		xalloc_die(0);
	return w;
}

void
childwatch_add(struct childwatch *w, size_t slot, const char *id)
{
	if (w->n == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 8;
		w->v = xreallocarray(w->v, w->cap, sizeof(*w->v));
	}
	snprintf(w->v[w->n].id, sizeof(w->v[w->n].id), "%s", id);
	w->v[w->n++].slot = slot;
	/* A new child is looked at soon: a short one ends within a few milliseconds. */
	w->pace_ms = CHILDWATCH_MIN_MS;
	if (!w->looking)
		childwatch_arm(w);
}

size_t
childwatch_count(const struct childwatch *w)
{
	return w->n;
}

void
childwatch_free(struct childwatch *w, int cancel)
{
	size_t	 i;

	if (w == NULL || w->doomed)
		return;
	if (cancel)
		for (i = 0; i < w->n; i++)
			childrun_cancel(w->env, w->v[i].id);
	w->n = 0;
	if (w->looking) {
		w->doomed = 1;
		return;
	}
	childwatch_destroy(w);
}
