/* sse.c: the event stream listener (evhttp), which also hands the public webhook route
 * (WEBHOOK_PATH_PREFIX) to hooks.c. Nothing on its loop waits for a server: a
 * request goes through asynchronous steps — the API key's owner, the execution's owner and
 * status (reads shared by every request for the same key while in flight), whether an ended
 * execution's stream still exists, the user's current state (cached, kept exact by the
 * listener's LISTEN) — then becomes a stream fed by the execution's hub (sse_stream.c) or,
 * for a stream that expired, a replay from Postgres. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>
#include <event2/util.h>

#include "apg.h"
#include "authdb.h"
#include "fgconfig.h"
#include "hooks.h"
#include "hub.h"
#include "jsonh.h"
#include "log.h"
#include "metrics.h"
#include "pgshare.h"
#include "queue.h"
#include "rlink.h"
#include "sse.h"
#include "sse_req.h"
#include "sse_stream.h"
#include "sse_wire.h"
#include "usercache.h"
#include "userwatch.h"
#include "webhook.h"
#include "xalloc.h"

/* $1 execution id → owner, status, error, results, and whether it ended more than
 * SSE_SETTLED ago (see sse_on_exec). */
#define SSE_SETTLED	"1 minute"
static const char SQL_EXEC[] =
	"SELECT owner_id, status, error, results, COALESCE(end_time < now() - interval '"
	SSE_SETTLED "', false) FROM executions WHERE id = $1::uuid";

static const char *const sse_setup[] = { AUTHDB_SQL_LISTEN, NULL };

/* Connections the kernel queues before the loop accepts them: libevent's default (128)
 * makes a burst of subscribers wait for SYN retransmissions (one second, then three…). */
#define SSE_BACKLOG	4096
/* Out of descriptors, the listener stops accepting this long (the connections stay queued;
 * open streams ending free descriptors). */
#define SSE_STARVED_PAUSE_MS	50
/* Pauses, and streams refused for their user's limit, are logged at most once in this long. */
#define SSE_REPORT_S		60

struct sse {
	struct event_base	*base;
	struct evhttp		*http;
	struct jwt_key		 jwt;		/* checks subscribers' access tokens */
	unsigned long		 user_streams;	/* FRAGENT_SSE_USER_STREAMS */
	struct apg		*db;		/* the listener's connection, LISTENing */
	struct userwatch	*users;
	struct pgshare		*execs;		/* SQL_EXEC by execution id */
	struct pgshare		*keys;		/* AUTHDB_SQL_KEY by key hash */
	struct rlink		*redis;		/* EXISTS checks */
	struct hub_set		*hubs;		/* one shared reader per execution */
	struct sse_streams	*streams;
	struct hooks		*hooks;		/* the public /hooks/ route */
	struct event		*recheck;	/* every stream's user, now and then */
	struct evconnlistener	*lev;		/* the listening socket */
	struct event		*resume;	/* accepts again after a pause */
	unsigned long		 pauses;	/* since the last report */
	time_t			 next_report;	/* monotonic seconds; 0: at the first pause */
	unsigned long		 refusals;	/* streams refused since the last report */
	time_t			 next_refusal_report;	/* as next_report */
	int			 stopping;	/* what still waits is answered 503 */
};

/* The process's listener (one a process): libevent hands its accept errors to a callback
 * whose argument is evhttp's, so they find it here. */
static struct sse	*sse_listening;

/* A check of one user's open streams under way. */
struct sse_recheck {
	struct sse		*s;
	char			 user_id[UUID_STRLEN + 1];
};

/* A request on its way to an answer. */
struct sse_pend {
	struct sse		*s;
	struct evhttp_request	*req;		/* NULL once the client left */
	struct sse_req		 sr;
	struct auth_cred	 cred;
	char			 user_id[UUID_STRLEN + 1];
	int			 found;		/* the execution exists */
	char			 owner_id[UUID_STRLEN + 1];	/* "": none (made before
							 * accounts: admins only) */
	char			 status[16];
	char			*error;		/* for a replay */
	json_object		*results;	/* for a replay */
	int			 replay;	/* ended long ago and its stream is gone */
};

/* ---------------------------------------------------------------- pending requests */

static void
sse_pend_free(struct sse_pend *p)
{
	free(p->error);
	json_object_put(p->results);
	free(p);
}

/* The client left before its answer: the step under way drops the request. */
static void
sse_pend_on_close(struct evhttp_connection *conn, void *arg)
{
	struct sse_pend	*p = arg;

	(void)conn;
	/* Unanswered, the request is left to us (detached), else the connection frees it. */
	if (p->req != NULL && evhttp_request_get_connection(p->req) == NULL)
		evhttp_request_free(p->req);
	p->req = NULL;
}

/* Hands the request back (no close callback any more) for the answer. */
static struct evhttp_request *
sse_pend_take(struct sse_pend *p)
{
	struct evhttp_request	*req = p->req;

	evhttp_connection_set_closecb(evhttp_request_get_connection(req), NULL, NULL);
	p->req = NULL;
	return req;
}

static void	sse_pend_fail(struct sse_pend *p, int status);

/* True (and "p" is gone) when the client left, or the listener is stopping (then 503). */
static int
sse_pend_gone(struct sse_pend *p)
{
	if (p->req == NULL)
		sse_pend_free(p);
	else if (p->s->stopping)
		sse_pend_fail(p, 503);
	else
		return 0;
	return 1;
}

/* Answers a problem and frees "p". */
static void
sse_pend_fail(struct sse_pend *p, int status)
{
	struct evhttp_request	*req = sse_pend_take(p);

	switch (status) {
	case 401:
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
		    "Bearer realm=\"fragent\"");
		sse_wire_problem(req, 401, "Unauthorized",
		    "missing, invalid or expired credentials");
		break;
	case 404:
		sse_wire_problem(req, 404, "Not Found", "not found");
		break;
	case 429:
		/* A stream ends with its run: one may be free again soon. */
		evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", "5");
		sse_wire_problem(req, 429, "Too Many Requests",
		    "too many open event streams: close a run view or wait for one to end "
		    "(FRAGENT_SSE_USER_STREAMS)");
		break;
	default:
		sse_wire_problem(req, 503, "Service Unavailable", "database unavailable");
	}
	sse_pend_free(p);
}

/* ---------------------------------------------------------------- the steps */

/* The steps of an execution to replay (NULL: unreadable): the whole answer at once. */
static void
sse_on_steps(const PGresult *res, void *arg)
{
	struct sse_pend		*p = arg;
	struct evhttp_request	*req;
	struct evbuffer		*b;

	if (sse_pend_gone(p))
		return;
	if ((b = evbuffer_new()) == NULL) {
		sse_pend_fail(p, 503);
		return;
	}
	req = sse_pend_take(p);
	sse_wire_replay(b, p->sr.exec_id, p->sr.replay_after, p->status, p->error, p->results,
	    res);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "text/event-stream");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-cache");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	sse_pend_free(p);
}

/* True (and the next report is SSE_REPORT_S away) when a report due at "*next" (monotonic
 * seconds; 0: at once) may be logged now. */
static bool
sse_report_due(time_t *next)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < *next)
		return false;
	*next = now.tv_sec + SSE_REPORT_S;
	return true;
}

/* The user of "p" holds as many streams as they may: 429 (counted, and logged now and then:
 * a client retrying at once must not flood the log). */
static void
sse_refuse(struct sse_pend *p)
{
	struct sse	*s = p->s;

	metrics_inc(M_SSE_REFUSED, 0, 0);
	s->refusals++;
	if (sse_report_due(&s->next_refusal_report)) {
		log_warn(LOG_IDS(NULL, p->sr.exec_id), "event streams refused: user %s holds %lu "
		    "already, the limit (FRAGENT_SSE_USER_STREAMS); %lu refused since the last "
		    "report", p->user_id, s->user_streams, s->refusals);
		s->refusals = 0;
	}
	sse_pend_fail(p, 429);
}

/* Last step: the user's current state decides; then a replay or a stream. */
static void
sse_on_user(const struct user_state *st, void *arg)
{
	struct sse_pend	*p = arg;
	int		 code;

	if (sse_pend_gone(p))
		return;
	if (st == NULL) {
		sse_pend_fail(p, 503);
		return;
	}
	if ((code = sse_may_watch(&p->cred, p->user_id, st, p->found ? p->owner_id : NULL))
	    != 0) {
		sse_pend_fail(p, code);
		return;
	}
	if (p->replay) {
		/* Steps unreadable: the replay goes out without them, as it always did. */
		if (apg_query(p->s->db, SSE_WIRE_SQL_STEPS, 1, (const char *[]){ p->sr.exec_id },
		    sse_on_steps, p) == -1)
			sse_on_steps(NULL, p);
		return;
	}
	if (sse_stream_open(p->s->streams, p->req, p->sr.exec_id, p->sr.last_id, &p->cred,
	    p->user_id, p->owner_id) == -1) {
		sse_refuse(p);
		return;
	}
	p->req = NULL;		/* the stream's now */
	sse_pend_free(p);
}

static void
sse_check_user(struct sse_pend *p)
{
	if (userwatch_get(p->s->users, p->user_id, time(NULL), sse_on_user, p) == -1)
		sse_pend_fail(p, 503);
}

/* Whether the ended execution's stream still exists (0: expired, replay it). */
static void
sse_on_exists(redisAsyncContext *ac, void *reply, void *arg)
{
	struct sse_pend	*p = arg;
	redisReply	*r = reply;

	(void)ac;
	if (sse_pend_gone(p))
		return;
	p->replay = r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer == 0;
	sse_check_user(p);
}

/* Copies what a replay needs of execution row "res". */
static void
sse_keep_ending(struct sse_pend *p, const PGresult *res)
{
	const char	*error = db_text(res, 0, 2);

	p->error = error != NULL ? xstrdup(error) : NULL;
	p->results = db_json(res, 0, 3);
}

/* The execution's row. A stream that ended a while ago and is gone from Redis (expired) is
 * replayed from Postgres. Just after the end, a missing stream is one whose events are still
 * on their way (jobd commits the final status before its pipelined XADDs reach Redis), and a
 * replay (ids 0-n) followed by a resume on the live stream (Redis ids) would repeat every
 * event, so the subscriber waits for the stream instead. */
static void
sse_on_exec(const struct pgshare_answer *ans, void *arg)
{
	struct sse_pend	*p = arg;
	char		 key[96];
	const char	*argv[2] = { "EXISTS", key };

	if (sse_pend_gone(p))
		return;
	if (ans->res == NULL) {
		sse_pend_fail(p, 503);
		return;
	}
	if (PQntuples(ans->res) == 0) {
		sse_check_user(p);	/* 401 before 404 */
		return;
	}
	p->found = 1;
	snprintf(p->owner_id, sizeof(p->owner_id), "%s", PQgetvalue(ans->res, 0, 0));
	snprintf(p->status, sizeof(p->status), "%s", PQgetvalue(ans->res, 0, 1));
	if (strcmp(p->status, "queued") == 0 || strcmp(p->status, "running") == 0 ||
	    strcmp(p->status, "waiting") == 0 ||
	    PQgetvalue(ans->res, 0, 4)[0] != 't' ||
	    queue_events_key(p->sr.exec_id, key, sizeof(key)) == -1) {
		sse_check_user(p);
		return;
	}
	sse_keep_ending(p, ans->res);
	/* Redis unreachable: wait on the stream, whose hub reports the failure. */
	if (rlink_cmd(p->s->redis, sse_on_exists, p, 2, argv, NULL) == -1)
		sse_check_user(p);
}

static void
sse_find_exec(struct sse_pend *p)
{
	if (pgshare_get(p->s->execs, p->sr.exec_id, 0, sse_on_exec, p) == -1)
		sse_pend_fail(p, 503);
}

/* The API key's row: its owner, and whether its last use is due to be recorded. */
static void
sse_on_key(const struct pgshare_answer *ans, void *arg)
{
	struct sse_pend	*p = arg;

	if (sse_pend_gone(p))
		return;
	if (ans->res == NULL) {
		sse_pend_fail(p, 503);
		return;
	}
	if (PQntuples(ans->res) == 0 || !uuid_valid(PQgetvalue(ans->res, 0, 0))) {
		sse_pend_fail(p, 401);
		return;
	}
	snprintf(p->user_id, sizeof(p->user_id), "%s", PQgetvalue(ans->res, 0, 0));
	if (ans->index == 0 && PQgetvalue(ans->res, 0, 4)[0] == 't')
		apg_query(p->s->db, AUTHDB_SQL_KEY_TOUCH, 1, (const char *[]){ p->cred.key_hash },
		    NULL, NULL);
	sse_find_exec(p);
}

/* ---------------------------------------------------------------- the listener */

/* A request arrives: checks that need no I/O, then the first asynchronous step. */
static void
sse_handle(struct evhttp_request *req, void *arg)
{
	struct sse		*s = arg;
	struct sse_pend		*p;
	struct sse_req		 sr;
	struct auth_cred	 cred;
	const char		*path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));

	if (path != NULL && strncmp(path, WEBHOOK_PATH_PREFIX,
	    sizeof(WEBHOOK_PATH_PREFIX) - 1) == 0) {
		if (s->stopping)
			sse_wire_problem(req, 503, "Service Unavailable", "stopping");
		else
			hooks_handle(s->hooks, req);
		return;
	}
	switch (sse_req_parse(path,
	    evhttp_request_get_command(req) == EVHTTP_REQ_GET, evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Last-Event-ID"), &sr)) {
	case SSE_REQ_OK:
		break;
	case SSE_REQ_METHOD:
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
		sse_wire_problem(req, 405, "Method Not Allowed",
		    "method not allowed on this route");
		return;
	default:
		sse_wire_problem(req, 404, "Not Found", "no such route");
		return;
	}
	if (auth_parse(&s->jwt, evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization"), time(NULL), &cred) != AUTH_OK) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
		    "Bearer realm=\"fragent\"");
		sse_wire_problem(req, 401, "Unauthorized",
		    "missing, invalid or expired credentials");
		return;
	}
	p = xcalloc(1, sizeof(*p));
	p->s = s;
	p->req = req;
	p->sr = sr;
	p->cred = cred;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req), sse_pend_on_close, p);
	if (!cred.api_key) {
		snprintf(p->user_id, sizeof(p->user_id), "%s", cred.user_id);
		sse_find_exec(p);
	} else if (pgshare_get(s->keys, cred.key_hash, 0, sse_on_key, p) == -1)
		sse_pend_fail(p, 503);
}

/* ---------------------------------------------------------------- revocation */

/* The current state of a user with open streams: ends what it may no longer watch. */
static void
sse_on_recheck(const struct user_state *st, void *arg)
{
	struct sse_recheck	*rc = arg;

	/* Unknown (database unreachable): the streams stay; the next session checks again. */
	if (st != NULL && !rc->s->stopping)
		sse_streams_check(rc->s->streams, rc->user_id, st);
	free(rc);
}

/* Checks the streams of "user_id" against its current state. */
static void
sse_recheck_user(const char *user_id, void *arg)
{
	struct sse_recheck	*rc;

	rc = xmalloc(sizeof(*rc));
	rc->s = arg;
	snprintf(rc->user_id, sizeof(rc->user_id), "%s", user_id);
	if (userwatch_get(rc->s->users, rc->user_id, time(NULL), sse_on_recheck, rc) == -1)
		free(rc);
}

/* The listener's connection began a session or lost it (apg hook). */
static void
sse_on_session(unsigned long session, void *arg)
{
	struct sse	*s = arg;

	userwatch_session(s->users, session);
	/* Notifications may have been missed meanwhile: every stream's user again. */
	if (session != 0)
		sse_streams_each_user(s->streams, sse_recheck_user, s);
}

/* A notification (apg hook): a user changed, or (any other payload) everyone may have. */
static void
sse_on_notify(const char *channel, const char *payload, void *arg)
{
	struct sse	*s = arg;

	if (strcmp(channel, USERCACHE_CHANNEL) != 0)
		return;
	userwatch_notify(s->users, payload);
	if (payload != NULL && uuid_valid(payload)) {
		if (sse_streams_has(s->streams, payload))
			sse_recheck_user(payload, s);
	} else
		sse_streams_each_user(s->streams, sse_recheck_user, s);
}

/* A bound on staleness should the connection die without notice (see USERCACHE_MAX_AGE). */
static void
sse_on_recheck_timer(evutil_socket_t fd, short what, void *arg)
{
	struct sse	*s = arg;

	(void)fd;
	(void)what;
	sse_streams_each_user(s->streams, sse_recheck_user, s);
}

/* ---------------------------------------------------------------- start and stop */

/* Loads the JWT key the API signs with (FRAGENT_JWT_KEY or its file) and the limit of one
 * user's streams. Returns 0 or -1. */
static int
sse_load_settings(struct sse *s)
{
	struct config	 cfg;
	char		 err[256];
	int		 rc;

	if (config_load(&cfg, err, sizeof(err)) == -1) {
		log_error(NULL, "events listener: %s", err);
		return -1;
	}
	if ((rc = jwt_key_load(&s->jwt, &cfg, err, sizeof(err))) == -1)
		log_error(NULL, "events listener: JWT key: %s", err);
	s->user_streams = (unsigned long)config_num(&cfg, CONFIG_SSE_USER_STREAMS);
	config_clear(&cfg);
	return rc;
}

/* accept(2) failed otherwise than "try again" (libevent's listener stays enabled, and out of
 * descriptors the queued connection would wake the loop again at once, at full CPU): stops
 * accepting for SSE_STARVED_PAUSE_MS and says so now and then. */
static void
sse_on_accept_error(struct evconnlistener *lev, void *arg)
{
	const struct timeval	 pause = { 0, SSE_STARVED_PAUSE_MS * 1000 };
	struct sse		*s = sse_listening;
	int			 err = EVUTIL_SOCKET_ERROR();

	(void)arg;
	if (s == NULL || s->lev != lev)
		return;
	evconnlistener_disable(lev);
	evtimer_add(s->resume, &pause);
	metrics_inc(M_ACCEPT_PAUSES, 0, 0);
	s->pauses++;
	if (sse_report_due(&s->next_report)) {
		log_warn(NULL, "events listener: accept: %s: new connections wait until open "
		    "ones close (%lu pauses of %d ms)", evutil_socket_error_to_string(err),
		    s->pauses, SSE_STARVED_PAUSE_MS);
		s->pauses = 0;
	}
}

static void
sse_on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct sse	*s = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(s->lev);
}

/* Binds "addr":"port" (an address, IPv4 or IPv6) with a deep accept queue, with
 * SO_REUSEPORT when "shared". Returns 0 or -1. */
static int
sse_listen(struct sse *s, const char *addr, int port, bool shared)
{
	struct sockaddr_storage	 sa;
	struct evconnlistener	*lev;
	char			 hp[320];
	int			 len = (int)sizeof(sa), n;

	n = snprintf(hp, sizeof(hp), strchr(addr, ':') != NULL ? "[%s]:%d" : "%s:%d", addr,
	    port);
	if (n < 0 || (size_t)n >= sizeof(hp) ||
	    evutil_parse_sockaddr_port(hp, (struct sockaddr *)&sa, &len) != 0)
		return -1;
	if ((lev = evconnlistener_new_bind(s->base, NULL, NULL, LEV_OPT_REUSEABLE |
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC | (shared ? LEV_OPT_REUSEABLE_PORT : 0),
	    SSE_BACKLOG, (struct sockaddr *)&sa, len)) == NULL)
		return -1;
	if (evhttp_bind_listener(s->http, lev) == NULL) {
		evconnlistener_free(lev);
		return -1;
	}
	s->lev = lev;
	sse_listening = s;
	evconnlistener_set_error_cb(lev, sse_on_accept_error);
	return 0;
}

/* Opens the connections and tables. Returns 0 or -1. */
static int
sse_open(struct sse *s, const struct redis_url *url, const char *db_url)
{
	struct apg_hooks	 hooks = { sse_setup, sse_on_session, sse_on_notify, s };
	struct timeval		 tv = { USERCACHE_MAX_AGE, 0 };

	if ((s->db = apg_new(s->base, db_url, &hooks)) == NULL ||
	    (s->users = userwatch_new(s->db)) == NULL ||
	    (s->execs = pgshare_new(s->db, SQL_EXEC)) == NULL ||
	    (s->keys = pgshare_new(s->db, AUTHDB_SQL_KEY)) == NULL ||
	    (s->redis = rlink_new(s->base, url)) == NULL ||
	    (s->hubs = hub_set_new(s->base, url, s->redis)) == NULL ||
	    (s->streams = sse_streams_new(s->hubs, s->user_streams)) == NULL ||
	    (s->hooks = hooks_new(s->base, s->db, db_url, s->redis, url)) == NULL ||
	    (s->recheck = event_new(s->base, -1, EV_PERSIST, sse_on_recheck_timer, s)) ==
	    NULL || event_add(s->recheck, &tv) != 0 ||
	    (s->resume = evtimer_new(s->base, sse_on_resume, s)) == NULL)
		return -1;
	return 0;
}

struct sse *
sse_start(struct event_base *base, const char *addr, int port, bool shared,
    const struct redis_url *url, const char *db_url)
{
	struct sse	*s;

	s = xcalloc(1, sizeof(*s));
	s->base = base;
	if (sse_load_settings(s) == -1) {
		free(s);
		return NULL;
	}
	if (sse_open(s, url, db_url) == -1 || (s->http = evhttp_new(base)) == NULL ||
	    sse_listen(s, addr, port, shared) == -1) {
		log_error(NULL, "cannot listen on %s:%d", addr, port);
		sse_stop(s);
		return NULL;
	}
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	/* Only webhooks have bodies; nginx caps them too. */
	evhttp_set_max_body_size(s->http, WEBHOOK_BODY_MAX);
	evhttp_set_max_headers_size(s->http, 65536);
	evhttp_set_gencb(s->http, sse_handle, s);
	log_info(NULL, "events listener on %s:%d%s", addr, port,
	    shared ? " (port shared with the other listener processes)" : "");
	return s;
}

void
sse_stop(struct sse *s)
{
	if (s == NULL)
		return;
	s->stopping = 1;
	if (sse_listening == s)
		sse_listening = NULL;
	if (s->recheck != NULL)
		event_free(s->recheck);
	if (s->resume != NULL)
		event_free(s->resume);
	/* Webhook callers and streams first (each ends); then every read in flight is answered
	 * (requests still waiting get 503) before the tables they use go; connections last. */
	hooks_stop(s->hooks);
	hub_set_free(s->hubs);
	rlink_free(s->redis);
	apg_free(s->db);
	hooks_free(s->hooks);
	pgshare_free(s->keys);
	pgshare_free(s->execs);
	userwatch_free(s->users);
	sse_streams_free(s->streams);
	if (s->http != NULL)
		evhttp_free(s->http);
	explicit_bzero(&s->jwt, sizeof(s->jwt));
	free(s);
}
