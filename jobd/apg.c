/* apg.c: libpq's non-blocking connect and pipeline mode driven by libevent (see apg.h).
 * Every query is followed by its own sync point, so its answer is: its result(s), a NULL,
 * then PGRES_PIPELINE_SYNC; the queries sent form a FIFO matched against that sequence. */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "apg.h"
#include "log.h"
#include "metrics.h"
#include "nitems.h"
#include "xalloc.h"

#define APG_CONNECT_MS		10000	/* a connection not made by then is given up */
#define APG_BACKOFF_MIN_MS	100
#define APG_BACKOFF_MAX_MS	5000

struct apg_query {
	struct apg_query	*next;
	const char		*sql;
	int			 n;
	char			**params;
	apg_cb			*cb;		/* may be NULL */
	void			*arg;
	int			 setup;		/* a setup statement: its failure drops the session */
	PGresult		*res;		/* its first result, once arrived */
	int			 ended;		/* its results are in; its sync point is next */
};

/* Queries in order, appended at the tail. */
struct apg_fifo {
	struct apg_query	*head;
	struct apg_query	**tail;		/* &head when empty */
};

enum apg_state {
	APG_DOWN,		/* waiting for the back-off before the next attempt */
	APG_CONNECTING,
	APG_UP,
};

struct apg {
	struct event_base	*base;
	char			*url;
	struct apg_hooks	 hooks;
	PGconn			*conn;
	enum apg_state		 state;
	struct event		*rev;		/* socket readable (UP) */
	struct event		*wev;		/* socket writable, while output is pending (UP) */
	struct event		*cev;		/* the socket event PQconnectPoll asked for */
	struct event		*tev;		/* back-off, connect deadline, deferred loss */
	struct apg_fifo		 waiting;	/* queued while connecting */
	struct apg_fifo		 sent;		/* sent, not yet answered */
	unsigned long		 sessions;
	long			 backoff_ms;
};

static void	apg_connect(struct apg *a);

/* ---------------------------------------------------------------- queries */

static void
apg_query_free(struct apg_query *q)
{
	int	 i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		free(q->params[i]);
	free(q->params);
	PQclear(q->res);
	free(q);
}

static void
apg_fifo_init(struct apg_fifo *f)
{
	f->head = NULL;
	f->tail = &f->head;
}

static void
apg_fifo_push(struct apg_fifo *f, struct apg_query *q)
{
	q->next = NULL;
	*f->tail = q;
	f->tail = &q->next;
}

/* Takes the oldest query off "f", or NULL. */
static struct apg_query *
apg_fifo_pop(struct apg_fifo *f)
{
	struct apg_query	*q = f->head;

	if (q != NULL && (f->head = q->next) == NULL)
		f->tail = &f->head;
	return q;
}

/* Answers "q" (taken off every list) and frees it. */
static void
apg_answer(struct apg_query *q, const PGresult *res)
{
	if (q->cb != NULL)
		q->cb(res, q->arg);
	apg_query_free(q);
}

/* Answers every query waiting or sent with NULL. Callbacks may queue new queries; those
 * are refused (the connection is down), so the loop ends. */
static void
apg_fail_all(struct apg *a)
{
	struct apg_query	*q;

	while ((q = apg_fifo_pop(&a->sent)) != NULL || (q = apg_fifo_pop(&a->waiting)) != NULL)
		apg_answer(q, NULL);
}

/* ---------------------------------------------------------------- connection */

static void
apg_events_free(struct apg *a)
{
	struct event	**evs[] = { &a->rev, &a->wev, &a->cev };
	size_t		  i;

	for (i = 0; i < NITEMS(evs); i++)
		if (*evs[i] != NULL) {
			event_free(*evs[i]);
			*evs[i] = NULL;
		}
}

/* Arms the timer to fire in "ms" milliseconds. */
static void
apg_timer(struct apg *a, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(a->tev, &tv);
}

/* The session (or the attempt to make one) is over: everything in flight fails, and the
 * next attempt comes after the back-off. */
static void
apg_lost(struct apg *a, const char *why)
{
	int	 was_up = a->state == APG_UP;

	if (a->state == APG_DOWN)
		return;
	log_warn(NULL, "events listener: postgres %s: %s", was_up ? "connection lost" :
	    "connect failed", why);
	metrics_inc(M_DB_ERRORS, 0, 0);
	apg_events_free(a);
	PQfinish(a->conn);
	a->conn = NULL;
	a->state = APG_DOWN;
	evtimer_del(a->tev);
	apg_timer(a, a->backoff_ms);
	a->backoff_ms = a->backoff_ms * 2 > APG_BACKOFF_MAX_MS ? APG_BACKOFF_MAX_MS :
	    a->backoff_ms * 2;
	if (was_up && a->hooks.on_session != NULL)
		a->hooks.on_session(0, a->hooks.arg);
	apg_fail_all(a);
}

/* Sends "q" and its sync point. Returns 0, or -1 when libpq refused (the connection broke). */
static int
apg_send(struct apg *a, struct apg_query *q)
{
	if (PQsendQueryParams(a->conn, q->sql, q->n, NULL, (const char *const *)q->params,
	    NULL, NULL, 0) != 1 || PQpipelineSync(a->conn) != 1)
		return -1;
	apg_fifo_push(&a->sent, q);
	return 0;
}

/* Pushes buffered output; waits for the socket when it would block. A failure is handled on
 * the next loop turn, so that no callback runs inside apg_query. */
static void
apg_flush(struct apg *a)
{
	switch (PQflush(a->conn)) {
	case 0:
		break;
	case 1:
		event_add(a->wev, NULL);
		break;
	default:
		apg_timer(a, 0);
	}
}

/* Takes the results that arrived, answering each query after its sync point. */
static void
apg_drain(struct apg *a)
{
	struct apg_query	*q;
	PGresult		*r;
	ExecStatusType		 st;

	while (a->state == APG_UP && (q = a->sent.head) != NULL && !PQisBusy(a->conn)) {
		r = PQgetResult(a->conn);
		if (!q->ended) {
			if (r == NULL)
				q->ended = 1;
			else if (q->res == NULL)
				q->res = r;
			else
				PQclear(r);
			continue;
		}
		st = r != NULL ? PQresultStatus(r) : PGRES_FATAL_ERROR;
		PQclear(r);
		if (st != PGRES_PIPELINE_SYNC) {
			apg_lost(a, "out of step with the server");
			return;
		}
		apg_fifo_pop(&a->sent);
		st = q->res != NULL ? PQresultStatus(q->res) : PGRES_FATAL_ERROR;
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
			log_warn(NULL, "events listener: postgres: %s", q->res != NULL ?
			    PQresultErrorMessage(q->res) : "no result");
			if (q->setup) {
				apg_query_free(q);
				apg_lost(a, "a setup statement failed");
				return;
			}
		}
		apg_answer(q, st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK ? q->res : NULL);
	}
}

/* The socket has data: results, notifications, or the end of the connection. */
static void
apg_on_read(evutil_socket_t fd, short what, void *arg)
{
	struct apg	*a = arg;
	PGnotify	*n;

	(void)fd;
	(void)what;
	if (PQconsumeInput(a->conn) != 1) {
		apg_lost(a, PQerrorMessage(a->conn));
		return;
	}
	apg_drain(a);
	while (a->state == APG_UP && (n = PQnotifies(a->conn)) != NULL) {
		if (a->hooks.on_notify != NULL)
			a->hooks.on_notify(n->relname, n->extra, a->hooks.arg);
		PQfreemem(n);
	}
}

/* The socket takes more of what was queued. */
static void
apg_on_write(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	apg_flush(arg);
}

/* Quietly drops server notices. */
static void
apg_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* The connection is made: pipeline mode, setup statements, then what waited. */
static void
apg_ready(struct apg *a)
{
	struct apg_query	*q;
	size_t			 i;

	apg_events_free(a);
	evtimer_del(a->tev);
	PQsetNoticeProcessor(a->conn, apg_notice, NULL);
	if (PQsetnonblocking(a->conn, 1) != 0 || PQenterPipelineMode(a->conn) != 1 ||
	    (a->rev = event_new(a->base, PQsocket(a->conn), EV_READ | EV_PERSIST,
	    apg_on_read, a)) == NULL ||
	    (a->wev = event_new(a->base, PQsocket(a->conn), EV_WRITE, apg_on_write, a)) == NULL ||
	    event_add(a->rev, NULL) != 0) {
		apg_lost(a, "cannot enter pipeline mode");
		return;
	}
	a->state = APG_UP;
	a->backoff_ms = APG_BACKOFF_MIN_MS;
	if (a->sessions++ > 0)
		metrics_inc(M_DB_RECONNECTS, 0, 0);
	for (i = 0; a->hooks.setup != NULL && a->hooks.setup[i] != NULL; i++) {
		q = xcalloc(1, sizeof(*q));
		q->sql = a->hooks.setup[i];
		q->setup = 1;
		if (apg_send(a, q) == -1) {
			free(q);
			apg_lost(a, "cannot send a setup statement");
			return;
		}
	}
	if (a->hooks.on_session != NULL)
		a->hooks.on_session(a->sessions, a->hooks.arg);
	while (a->state == APG_UP && (q = apg_fifo_pop(&a->waiting)) != NULL) {
		if (apg_send(a, q) == -1) {
			apg_answer(q, NULL);
			apg_lost(a, PQerrorMessage(a->conn));
			return;
		}
	}
	if (a->state == APG_UP)
		apg_flush(a);
}

/* Waits on the socket for what PQconnectPoll asked. */
static void
apg_poll_wait(struct apg *a, short what);

/* One step of the connection's making, driven by PQconnectPoll. */
static void
apg_on_connect_io(evutil_socket_t fd, short what, void *arg)
{
	struct apg	*a = arg;

	(void)fd;
	(void)what;
	switch (PQconnectPoll(a->conn)) {
	case PGRES_POLLING_READING:
		apg_poll_wait(a, EV_READ);
		break;
	case PGRES_POLLING_WRITING:
		apg_poll_wait(a, EV_WRITE);
		break;
	case PGRES_POLLING_OK:
		apg_ready(a);
		break;
	default:
		apg_lost(a, PQerrorMessage(a->conn));
	}
}

static void
apg_poll_wait(struct apg *a, short what)
{
	if (a->cev != NULL)
		event_free(a->cev);
	/* The socket may change between polls (another address is tried). */
	if ((a->cev = event_new(a->base, PQsocket(a->conn), what, apg_on_connect_io, a)) ==
	    NULL || event_add(a->cev, NULL) != 0)
		apg_lost(a, "cannot wait for the socket");
}

/* Starts an attempt to connect. */
static void
apg_connect(struct apg *a)
{
	/* NULL only when libpq could not allocate the connection. */
	if ((a->conn = PQconnectStart(a->url)) == NULL)
		xalloc_die(0);
	a->state = APG_CONNECTING;
	if (PQstatus(a->conn) == CONNECTION_BAD) {
		apg_lost(a, PQerrorMessage(a->conn));
		return;
	}
	apg_timer(a, APG_CONNECT_MS);
	apg_poll_wait(a, EV_WRITE);	/* as libpq says: first wait as if asked to write */
}

/* Back-off over (connect again), connect deadline passed, or a send failed (deferred). */
static void
apg_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct apg	*a = arg;

	(void)fd;
	(void)what;
	if (a->state == APG_DOWN)
		apg_connect(a);
	else
		apg_lost(a, a->state == APG_CONNECTING ? "timed out" : "cannot send");
}

/* ---------------------------------------------------------------- interface */

struct apg *
apg_new(struct event_base *base, const char *url, const struct apg_hooks *hooks)
{
	struct apg	*a;

	a = xcalloc(1, sizeof(*a));
	a->base = base;
	a->hooks = *hooks;
	a->backoff_ms = APG_BACKOFF_MIN_MS;
	apg_fifo_init(&a->waiting);
	apg_fifo_init(&a->sent);
	a->url = xstrdup(url);
	if ((a->tev = evtimer_new(base, apg_on_timer, a)) == NULL) {
		free(a->url);
		free(a);
		return NULL;
	}
	apg_connect(a);
	return a;
}

void
apg_free(struct apg *a)
{
	if (a == NULL)
		return;
	apg_events_free(a);
	PQfinish(a->conn);
	a->conn = NULL;
	a->state = APG_DOWN;
	apg_fail_all(a);
	event_free(a->tev);
	free(a->url);
	free(a);
}

/* A query record holding copies of the "n" (>= 0) "params". */
static struct apg_query *
apg_query_new(const char *sql, int n, const char *const *params, apg_cb *cb, void *arg)
{
	struct apg_query	*q;

	assert(n >= 0);
	q = xcalloc(1, sizeof(*q));
	q->sql = sql;
	q->cb = cb;
	q->arg = arg;
	if (n > 0)
		q->params = xcalloc((size_t)n, sizeof(*q->params));
	for (q->n = 0; q->n < n; q->n++)
		if (params[q->n] != NULL)
			q->params[q->n] = xstrdup(params[q->n]);
	return q;
}

int
apg_query(struct apg *a, const char *sql, int n, const char *const *params, apg_cb *cb,
    void *arg)
{
	struct apg_query	*q;

	if (a->state == APG_DOWN)
		return -1;
	q = apg_query_new(sql, n, params, cb, arg);
	if (a->state == APG_CONNECTING) {
		apg_fifo_push(&a->waiting, q);
		return 0;
	}
	if (apg_send(a, q) == -1) {
		apg_query_free(q);
		apg_timer(a, 0);	/* the loss is handled on the next loop turn */
		return -1;
	}
	apg_flush(a);
	return 0;
}

unsigned long
apg_session(const struct apg *a)
{
	return a->state == APG_UP ? a->sessions : 0;
}
