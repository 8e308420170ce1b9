/* hooks.c: the public webhook route on jobd's listener (see hooks.h). A call goes through
 * asynchronous steps, one at a time: the webhook by token → (hmac) the replay guard in Redis
 * → the run stored (key expiry, insert, or the keyed execution) → the queue entry → the
 * answer, or in sync mode the wait: calls wait in a table by execution id until the run's
 * end is announced on QUEUE_ENDED_CHANNEL (one subscription for every caller), then read the
 * run's row, which is the truth (a lost announcement only makes a caller wait for its time
 * limit, after which the row decides too). A caller that leaves is dropped by the step
 * under way. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <hiredis/hiredis.h>

#include "apg.h"
#include "credential.h"
#include "crypto.h"
#include "hook_req.h"
#include "hooks.h"
#include "jsonh.h"
#include "launch.h"
#include "log.h"
#include "otlp.h"
#include "pgshare.h"
#include "queue.h"
#include "rlink.h"
#include "rsub.h"
#include "strmap.h"
#include "uuid.h"
#include "xalloc.h"

/* $1 token → the webhook and its workflow's definition. */
static const char SQL_HOOK[] =
	"SELECT h.id, h.workflow_id, w.owner_id, h.enabled, h.methods, h.auth_mode, h.secret, "
	"h.response_mode, h.timeout_ms, h.replay_window_s, w.definition, w.version "
	"FROM webhooks h JOIN workflows w ON w.id = h.workflow_id WHERE h.token = $1";
/* $1 execution → its status, error and results once ended. */
static const char SQL_HOOK_END[] =
	"SELECT status, error, results, end_time IS NOT NULL FROM executions WHERE id = $1";

#define HOOK_REPLAY_PREFIX	"fragent:hooksig:"
/* Connections that store runs: each commit waits for the disk, so one connection would
 * store one run at a time; with several, PostgreSQL commits them together. */
#define HOOKS_STORE_CONNS	4

struct hooks {
	struct event_base	*base;
	struct apg		*db;		/* the listener's: the webhooks' lookups */
	struct apg		*store[HOOKS_STORE_CONNS];	/* runs stored, rows read */
	unsigned		 next_store;
	struct rlink		*redis;
	struct rsub		*ended;		/* QUEUE_ENDED_CHANNEL: ids of ended runs */
	struct strmap		*waiting;	/* execution id → the calls waiting on it */
	struct pgshare		*lookup;	/* SQL_HOOK by token */
	LIST_HEAD(, hook_call)	 calls;
};

/* One caller. */
struct hook_call {
	struct hooks		*h;		/* NULL once orphaned by hooks_free */
	LIST_ENTRY(hook_call)	 entry;
	struct apg		*db;		/* one of h->store, for all of this call */
	struct evhttp_request	*req;		/* NULL once the client left */
	int			 busy;		/* a step's callback is due */
	char			 path[sizeof(WEBHOOK_PATH_PREFIX) + WEBHOOK_TOKEN_LEN];
	const char		*method;
	char			*body;
	size_t			 len;
	/* The webhook. */
	char			 hook_id[UUID_STRLEN + 1];
	char			 workflow_id[UUID_STRLEN + 1];
	char			 owner_id[UUID_STRLEN + 1];
	char			 version[16];
	int			 sync;
	long			 timeout_ms;
	json_object		*def;
	char			*def_text;
	/* The run. */
	char			 exec_id[UUID_STRLEN + 1];
	char			*key;		/* the caller's Idempotency-Key, or NULL */
	char			 fingerprint[2 * CRYPTO_SHA256_LEN + 1];
	int			 replayed;
	int			 waiting;	/* in h->waiting */
	struct hook_call	*wait_next;	/* the next call waiting on the same run */
	int			 timed_out;	/* the time limit passed: answer what is */
	struct event		*timer;
	/* The call's span (empty: tracing off), the parent of its run's. */
	struct trace_span	 span;
	char			 traceparent[TRACE_PARENT_SIZE];
};

static void	hook_wait_remove(struct hook_call *c);

/* ---------------------------------------------------------------- the call's life */

static void
hook_call_free(struct hook_call *c)
{
	otlp_span_end(&c->span, TRACE_STATUS_UNSET, NULL);
	hook_wait_remove(c);
	if (c->timer != NULL)
		event_free(c->timer);
	if (c->h != NULL)
		LIST_REMOVE(c, entry);
	json_object_put(c->def);
	free(c->def_text);
	free(c->body);
	free(c->key);
	free(c);
}

/* The client left: a step under way drops the call when it answers; a waiting call goes now. */
static void
hook_on_close(struct evhttp_connection *conn, void *arg)
{
	struct hook_call	*c = arg;

	(void)conn;
	if (c->req != NULL && evhttp_request_get_connection(c->req) == NULL)
		evhttp_request_free(c->req);
	c->req = NULL;
	if (!c->busy)
		hook_call_free(c);
}

/* Hands the request back (no close callback any more) for the answer. */
static struct evhttp_request *
hook_take(struct hook_call *c)
{
	struct evhttp_request	*req = c->req;

	evhttp_connection_set_closecb(evhttp_request_get_connection(req), NULL, NULL);
	c->req = NULL;
	return req;
}

/* A step's callback arrived: 1 (and "c" is gone) when nobody waits for the answer. */
static int
hook_gone(struct hook_call *c)
{
	c->busy = 0;
	if (c->req != NULL)
		return 0;
	hook_call_free(c);
	return 1;
}

/* Headers on every answer: the route is public and its bodies are the authors'. */
static void
hook_safe_headers(struct evhttp_request *req)
{
	struct evkeyvalq	*out = evhttp_request_get_output_headers(req);

	evhttp_add_header(out, "X-Content-Type-Options", "nosniff");
	evhttp_add_header(out, "Content-Security-Policy", "default-src 'none'; sandbox; "
	    "frame-ancestors 'none'");
	evhttp_add_header(out, "Cache-Control", "no-store");
}

/* Sends "b" with "status" to "req" and frees "b". */
static void
hook_send(struct evhttp_request *req, int status, const char *ctype, struct evbuffer *b)
{
	hook_safe_headers(req);
	if (ctype != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", ctype);
	evhttp_send_reply(req, status, NULL, b);
	evbuffer_free(b);
}

/* Answers "c" with problem "status" "title"/"detail" (members of "extra" added: borrowed,
 * may be NULL) and frees it. */
static void
hook_problem_ext(struct hook_call *c, int status, const char *title, const char *detail,
    json_object *extra)
{
	struct evhttp_request	*req = hook_take(c);
	json_object		*p = jsonh_new_object();
	struct evbuffer		*b = evbuffer_new();
	const char		*s;
	size_t			 n;

	json_object_object_add(p, "type", jsonh_new_string("about:blank"));
	json_object_object_add(p, "title", jsonh_new_string(title));
	json_object_object_add(p, "status", jsonh_new_int(status));
	json_object_object_add(p, "detail", jsonh_new_string(detail));
	if (extra != NULL) {
		json_object_object_foreach(extra, k, v)
			json_object_object_add(p, k, json_object_get(v));
	}
	s = jsonh_str_len(p, &n);
	if (b == NULL)
		xalloc_die(0);
	evbuffer_add(b, s, n);
	json_object_put(p);
	hook_send(req, status, "application/problem+json", b);
	hook_call_free(c);
}

/* The body of the 503 answered to callers when the listener stops. */
static struct evbuffer *
hook_stopping_body(void)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL)
		xalloc_die(0);
	evbuffer_add_printf(b, "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\","
	    "\"status\":503,\"detail\":\"the service is stopping\"}");
	return b;
}

static void
hook_problem(struct hook_call *c, int status, const char *title, const char *detail)
{
	hook_problem_ext(c, status, title, detail, NULL);
}

/* Answers 202: the execution's id and where to read it. */
static void
hook_accepted(struct hook_call *c, const char *status)
{
	struct evhttp_request	*req = hook_take(c);
	struct evbuffer		*b = evbuffer_new();
	char			 url[64];

	if (b == NULL)
		xalloc_die(0);
	snprintf(url, sizeof(url), "/api/v1/executions/%s", c->exec_id);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Location", url);
	if (c->replayed)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Idempotent-Replayed",
		    "true");
	evbuffer_add_printf(b, "{\"execution_id\":\"%s\",\"status\":\"%s\",\"url\":\"%s\"}",
	    c->exec_id, status, url);
	hook_send(req, 202, "application/json", b);
	hook_call_free(c);
}

/* ---------------------------------------------------------------- sync: the result */

/* Answers a run that ended "status" with "error"/"results" (text of the row). */
static void
hook_answer_end(struct hook_call *c, const char *status, const char *error, const char *res)
{
	struct evhttp_request	*req;
	struct hook_answer	 a;
	struct evbuffer		*b;
	json_object		*results = NULL, *extra;
	char			 detail[512];

	if (strcmp(status, "succeeded") != 0) {
		extra = jsonh_new_object();
		json_object_object_add(extra, "execution_id", jsonh_new_string(c->exec_id));
		json_object_object_add(extra, "execution_status", jsonh_new_string(status));
		snprintf(detail, sizeof(detail), "the workflow run %s: %s", status,
		    error != NULL && error[0] != '\0' ? error : "no reason given");
		hook_problem_ext(c, 500, "Workflow Run Failed", detail, extra);
		json_object_put(extra);
		return;
	}
	if (res != NULL)
		results = json_tokener_parse(res);
	hook_answer_make(c->def, results, &a);
	json_object_put(results);
	req = hook_take(c);
	if ((b = evbuffer_new()) == NULL)
		xalloc_die(0);
	evbuffer_add(b, a.body, a.len);
	json_object_object_foreach(a.headers, k, v)
		evhttp_add_header(evhttp_request_get_output_headers(req), k,
		    json_object_get_string(v));
	if (c->replayed)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Idempotent-Replayed",
		    "true");
	evhttp_add_header(evhttp_request_get_output_headers(req), "X-Fragent-Execution-Id",
	    c->exec_id);
	hook_send(req, a.status, evhttp_find_header(evhttp_request_get_output_headers(req),
	    "Content-Type") == NULL ? a.content_type : NULL, b);
	hook_answer_clear(&a);
	hook_call_free(c);
}

/* Adds "c" to the calls waiting on its run. */
static void
hook_wait_add(struct hook_call *c)
{
	if (c->waiting || c->h == NULL)
		return;
	c->wait_next = strmap_get(c->h->waiting, c->exec_id);
	strmap_put(c->h->waiting, c->exec_id, c, NULL);
	c->waiting = 1;
}

static void
hook_wait_remove(struct hook_call *c)
{
	struct hook_call	*head, **pp;

	if (!c->waiting || c->h == NULL)
		return;
	c->waiting = 0;
	head = strmap_get(c->h->waiting, c->exec_id);
	for (pp = &head; *pp != NULL; pp = &(*pp)->wait_next)
		if (*pp == c) {
			*pp = c->wait_next;
			break;
		}
	if (head == NULL)
		strmap_del(c->h->waiting, c->exec_id);
	else
		strmap_put(c->h->waiting, c->exec_id, head, NULL);
	c->wait_next = NULL;
}

static void	hook_look(struct hook_call *c);

/* The run's row: ended, it is the answer; else the call waits on, or after its time limit
 * gets 202. */
static void
hook_on_row(const PGresult *res, void *arg)
{
	struct hook_call	*c = arg;

	if (hook_gone(c))
		return;
	if (res == NULL || PQntuples(res) != 1) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	if (PQgetvalue(res, 0, 3)[0] == 't')
		hook_answer_end(c, PQgetvalue(res, 0, 0), PQgetisnull(res, 0, 1) ? NULL :
		    PQgetvalue(res, 0, 1), PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	else if (c->timed_out || c->h == NULL)
		hook_accepted(c, PQgetvalue(res, 0, 0));
	else
		hook_wait_add(c);
}

/* Looks at the run's row (its end was announced, the time ran out, or announcements may
 * have been missed). */
static void
hook_look(struct hook_call *c)
{
	hook_wait_remove(c);
	if (c->h == NULL || apg_query(c->db, SQL_HOOK_END, 1,
	    (const char *[]){ c->exec_id }, hook_on_row, c) == -1) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	c->busy = 1;
}

static void
hook_on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct hook_call	*c = arg;

	(void)fd;
	(void)what;
	c->timed_out = 1;
	if (!c->busy)		/* else the row under way decides */
		hook_look(c);
}

/* A run ended (QUEUE_ENDED_CHANNEL): the calls waiting on it look at its row. */
static void
hook_on_ended(const char *payload, size_t len, void *arg)
{
	struct hooks		*h = arg;
	struct hook_call	*c, *next;
	char			 id[UUID_STRLEN + 1];

	if (len != UUID_STRLEN)
		return;
	memcpy(id, payload, len);
	id[len] = '\0';
	if ((c = strmap_del(h->waiting, id)) == NULL)
		return;
	for (; c != NULL; c = next) {
		next = c->wait_next;
		c->waiting = 0;
		c->wait_next = NULL;
		hook_look(c);
	}
}

/* Subscribed (again, after a loss: ends may have been missed): every waiting call looks. */
static void
hook_on_subscribed(void *arg)
{
	struct hooks		*h = arg;
	struct hook_call	*c, *next;

	for (c = LIST_FIRST(&h->calls); c != NULL; c = next) {
		next = LIST_NEXT(c, entry);
		if (c->waiting)
			hook_look(c);
	}
}

/* Waits for the run's end (announced on QUEUE_ENDED_CHANNEL), at most the webhook's time
 * limit. A replayed key's run may have ended already: its row is read first. */
static void
hook_wait(struct hook_call *c)
{
	struct timeval	 tv = { c->timeout_ms / 1000, (c->timeout_ms % 1000) * 1000 };

	if ((c->timer = evtimer_new(c->h->base, hook_on_timeout, c)) == NULL ||
	    evtimer_add(c->timer, &tv) != 0) {
		hook_accepted(c, "queued");
		return;
	}
	if (c->replayed)
		hook_look(c);
	else
		hook_wait_add(c);
}

/* ---------------------------------------------------------------- storing the run */

/* The run is stored (or was, for the key): answer or wait. */
static void
hook_started(struct hook_call *c, const char *status)
{
	if (c->sync)
		hook_wait(c);
	else
		hook_accepted(c, status);
}

static void
hook_on_enqueued(redisAsyncContext *ac, void *reply, void *arg)
{
	(void)ac;
	(void)reply;	/* a lost entry is the sweeper's to queue again */
	(void)arg;
}

/* The execution the key started (launch_sql_keyed). */
static void
hook_on_keyed(const PGresult *res, void *arg)
{
	struct hook_call	*c = arg;

	if (hook_gone(c))
		return;
	if (res == NULL) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	if (PQntuples(res) == 0) {
		hook_problem(c, 409, "Conflict", "the execution this Idempotency-Key started "
		    "is being deleted; try again");
		return;
	}
	if (PQgetvalue(res, 0, 2)[0] != 't') {
		hook_problem(c, 422, "Unprocessable Content", "Idempotency-Key was used for "
		    "another request (another body) in the last "
		    LAUNCH_XSTR(LAUNCH_KEY_TTL_HOURS) " hours");
		return;
	}
	snprintf(c->exec_id, sizeof(c->exec_id), "%s", PQgetvalue(res, 0, 1));
	c->replayed = 1;
	hook_started(c, "queued");
}

static void
hook_on_inserted(const PGresult *res, void *arg)
{
	struct hook_call	*c = arg;
	const char		*argv[QUEUE_ENQUEUE_ARGC];

	if (hook_gone(c))
		return;
	if (res == NULL) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	if (PQntuples(res) == 0) {	/* the key was taken */
		if (apg_query(c->db, launch_sql_keyed, 4, (const char *[]){ c->owner_id,
		    c->key, c->fingerprint, c->hook_id }, hook_on_keyed, c) == -1) {
			hook_problem(c, 503, "Service Unavailable",
			    "the database is not available");
			return;
		}
		c->busy = 1;
		return;
	}
	queue_enqueue_argv(argv, c->exec_id);
	if (rlink_cmd(c->h->redis, hook_on_enqueued, NULL, QUEUE_ENQUEUE_ARGC, argv,
	    NULL) == -1)
		log_warn(LOG_IDS(NULL, c->exec_id), "execution stored but not queued (the queue "
		    "is unavailable): the sweeper will queue it");
	hook_started(c, "queued");
}

/* Starts the span of the call when tracing is on: in the caller's trace when it sent a valid
 * traceparent, else in a new one; its run's spans become its children. */
static void
hook_span_start(struct hook_call *c)
{
	struct trace_ctx	 in;
	char			 name[64];

	if (!otlp_enabled() || c->req == NULL)
		return;
	trace_parse(evhttp_find_header(evhttp_request_get_input_headers(c->req), "traceparent"),
	    &in);
	snprintf(name, sizeof(name), "%.16s /hooks/{token}", c->method);
	if (!otlp_span_start(&c->span, &in, name, TRACE_KIND_SERVER))
		return;
	trace_span_attr_str(&c->span, "http.request.method", c->method);
	trace_span_attr_str(&c->span, "http.route", "/hooks/{token}");
	trace_span_attr_str(&c->span, "fragent.webhook_id", c->hook_id);
	trace_span_attr_str(&c->span, "fragent.execution_id", c->exec_id);
	trace_format(&c->span.ctx, c->traceparent);
}

/* Stores the queued run of "inputs" (launch.h's statements). */
static void
hook_store(struct hook_call *c, json_object *inputs)
{
	const char	*key = c->key;
	int		 rc = 0;

	if (uuid_new(c->exec_id) == -1) {
		hook_problem(c, 503, "Service Unavailable", "no randomness available");
		return;
	}
	c->db = c->h->store[c->h->next_store++ % HOOKS_STORE_CONNS];
	hook_span_start(c);
	if (key != NULL)
		rc = apg_query(c->db, launch_sql_key_expire, 3, (const char *[]){
		    c->owner_id, key, c->hook_id }, NULL, NULL);
	if (rc == 0)
		rc = apg_query(c->db, launch_sql_insert, LAUNCH_INSERT_PARAMS, (const char *[]){ c->exec_id,
		    "workflow", c->workflow_id, c->version, c->def_text, jsonh_str(inputs),
		    c->owner_id, NULL, NULL, NULL, key, key != NULL ? c->fingerprint : NULL,
		    "webhook", c->hook_id, c->traceparent[0] != '\0' ? c->traceparent : NULL, NULL,
		    NULL },
		    hook_on_inserted, c);
	if (rc == -1) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	c->busy = 1;
}

/* Makes the run's input from the request, checks it against the workflow, stores the run. */
static void
hook_launch(struct hook_call *c)
{
	struct evhttp_request	*req = c->req;
	json_object		*inputs, *errors, *extra;
	char			 err[256];
	int			 status = 0;
	enum launch_rc		 lrc;

	inputs = hook_input(c->method, c->path, evhttp_uri_get_query(
	    evhttp_request_get_evhttp_uri(req)), evhttp_request_get_input_headers(req), c->body,
	    c->len, &status, err, sizeof(err));
	if (inputs == NULL) {
		hook_problem(c, status, status == 415 ? "Unsupported Media Type" :
		    "Bad Request", err);
		return;
	}
	errors = jsonh_new_array();
	if ((lrc = launch_check_workflow(c->def, inputs, errors)) != LAUNCH_OK) {
		extra = jsonh_new_object();
		json_object_object_add(extra, "errors", json_object_get(errors));
		hook_problem_ext(c, lrc == LAUNCH_TOO_LARGE ? 413 : 422, lrc == LAUNCH_TOO_LARGE ?
		    "Content Too Large" : "Unprocessable Content", lrc == LAUNCH_TOO_LARGE ?
		    "the workflow is too large to run" : "the request does not match the "
		    "workflow's input node", extra);
		json_object_put(extra);
	} else
		hook_store(c, inputs);
	json_object_put(errors);
	json_object_put(inputs);
}

/* ---------------------------------------------------------------- authentication */

/* SET NX of the signature: nil means it was seen within the window. */
static void
hook_on_replay_guard(redisAsyncContext *ac, void *reply, void *arg)
{
	struct hook_call	*c = arg;
	redisReply		*r = reply;

	(void)ac;
	if (hook_gone(c))
		return;
	if (r == NULL || r->type == REDIS_REPLY_ERROR) {
		hook_problem(c, 503, "Service Unavailable", "the queue is not available");
		return;
	}
	if (r->type == REDIS_REPLY_NIL) {
		hook_problem(c, 409, "Conflict", "this signed request was received already "
		    "(replay)");
		return;
	}
	hook_launch(c);
}

/* Authenticates the caller under the webhook's mode; "secret" is the opened one (or NULL).
 * Returns 0 when the call goes on (at once or after the replay guard), -1 once answered. */
static int
hook_authenticate(struct hook_call *c, enum hook_auth mode, const char *secret,
    long window_s)
{
	struct evkeyvalq	*in = evhttp_request_get_input_headers(c->req);
	struct hook_cred	 cred = { evhttp_find_header(in, WEBHOOK_SECRET_HEADER),
				    evhttp_find_header(in, WEBHOOK_TS_HEADER),
				    evhttp_find_header(in, WEBHOOK_SIG_HEADER) };
	char			 key[160], ttl[24];
	const char		*argv[] = { "SET", key, "1", "NX", "EX", ttl };

	switch (hook_auth_check(mode, secret, &cred, c->body, c->len, time(NULL), window_s)) {
	case HOOK_AUTH_OK:
		break;
	case HOOK_AUTH_MISSING:
		hook_problem(c, 401, "Unauthorized", mode == HOOK_AUTH_SECRET ?
		    "the " WEBHOOK_SECRET_HEADER " header is missing" : "the "
		    WEBHOOK_TS_HEADER " and " WEBHOOK_SIG_HEADER " headers are required");
		return -1;
	case HOOK_AUTH_STALE:
		hook_problem(c, 401, "Unauthorized", "the " WEBHOOK_TS_HEADER " is outside "
		    "the webhook's replay window");
		return -1;
	case HOOK_AUTH_BAD:
		hook_problem(c, 401, "Unauthorized", mode == HOOK_AUTH_SECRET ?
		    "wrong secret" : "the signature does not match");
		return -1;
	}
	if (mode != HOOK_AUTH_HMAC)
		return 0;
	/* Remembered for twice the window: a timestamp is accepted window_s either side. */
	snprintf(key, sizeof(key), HOOK_REPLAY_PREFIX "%s:%.100s", c->hook_id, cred.signature);
	snprintf(ttl, sizeof(ttl), "%ld", 2 * window_s);
	if (rlink_cmd(c->h->redis, hook_on_replay_guard, c, 6, argv, NULL) == -1) {
		hook_problem(c, 503, "Service Unavailable", "the queue is not available");
		return -1;
	}
	c->busy = 1;
	return 1;
}

/* ---------------------------------------------------------------- the webhook */

/* Copies what the call needs of the webhook row; answers and returns -1 when it is unfit. */
static int
hook_take_row(struct hook_call *c, const PGresult *res, enum hook_auth *mode, long *window)
{
	char	 allow[64];

	if (PQntuples(res) == 0) {
		hook_problem(c, 404, "Not Found", "no such webhook");
		return -1;
	}
	if (PQgetvalue(res, 0, 3)[0] != 't') {
		hook_problem(c, 410, "Gone", "this webhook is disabled");
		return -1;
	}
	if (!hook_method_allowed(PQgetvalue(res, 0, 4), c->method)) {
		snprintf(allow, sizeof(allow), "%.*s", (int)strcspn(PQgetvalue(res, 0, 4) + 1,
		    "}"), PQgetvalue(res, 0, 4) + 1);
		evhttp_add_header(evhttp_request_get_output_headers(c->req), "Allow", allow);
		hook_problem(c, 405, "Method Not Allowed", "this webhook does not accept the "
		    "method");
		return -1;
	}
	if (hook_auth_parse(PQgetvalue(res, 0, 5), mode) == -1 ||
	    !uuid_valid(PQgetvalue(res, 0, 2))) {
		hook_problem(c, 500, "Internal Server Error", "the webhook is unreadable");
		return -1;
	}
	snprintf(c->hook_id, sizeof(c->hook_id), "%s", PQgetvalue(res, 0, 0));
	snprintf(c->workflow_id, sizeof(c->workflow_id), "%s", PQgetvalue(res, 0, 1));
	snprintf(c->owner_id, sizeof(c->owner_id), "%s", PQgetvalue(res, 0, 2));
	snprintf(c->version, sizeof(c->version), "%s", PQgetvalue(res, 0, 11));
	c->sync = strcmp(PQgetvalue(res, 0, 7), "sync") == 0;
	c->timeout_ms = strtol(PQgetvalue(res, 0, 8), NULL, 10);
	*window = strtol(PQgetvalue(res, 0, 9), NULL, 10);
	c->def_text = xstrdup(PQgetvalue(res, 0, 10));
	if ((c->def = json_tokener_parse(c->def_text)) == NULL) {
		hook_problem(c, 500, "Internal Server Error", "the workflow is unreadable");
		return -1;
	}
	return 0;
}

static void
hook_on_webhook(const struct pgshare_answer *ans, void *arg)
{
	struct hook_call	*c = arg;
	enum hook_auth		 mode;
	char			*secret = NULL;
	const unsigned char	*mk;
	long			 window = 0;
	int			 rc;

	if (hook_gone(c))
		return;
	if (ans->res == NULL) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	if (hook_take_row(c, ans->res, &mode, &window) == -1)
		return;
	if (mode != HOOK_AUTH_NONE && ((mk = cred_master_key()) == NULL ||
	    (secret = webhook_open(mk, c->hook_id, PQgetvalue(ans->res, 0, 6))) == NULL)) {
		log_error(NULL, "webhook %s: its secret cannot be opened (master key?)",
		    c->hook_id);
		hook_problem(c, 500, "Internal Server Error", "the webhook's secret is "
		    "unreadable");
		return;
	}
	rc = hook_authenticate(c, mode, secret, window);
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	if (rc == 0)
		hook_launch(c);
}

/* ---------------------------------------------------------------- the request */

/* The method's name, or NULL for one a webhook never accepts. */
static const char *
hook_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET:
		return "GET";
	case EVHTTP_REQ_POST:
		return "POST";
	case EVHTTP_REQ_PUT:
		return "PUT";
	case EVHTTP_REQ_PATCH:
		return "PATCH";
	case EVHTTP_REQ_DELETE:
		return "DELETE";
	default:
		return NULL;
	}
}

/* Reads the Idempotency-Key and fingerprints the request with it. Returns 0, or -1 once
 * answered (a malformed key). */
static int
hook_key(struct hook_call *c)
{
	const char	*key = evhttp_find_header(evhttp_request_get_input_headers(c->req),
			    "Idempotency-Key");
	unsigned char	 digest[CRYPTO_SHA256_LEN];
	struct evbuffer	*b;
	size_t		 n, i;

	if (key == NULL)
		return 0;
	n = strlen(key);
	for (i = 0; i < n && key[i] >= 0x20 && key[i] < 0x7f; i++)
		continue;
	if (n == 0 || n > LAUNCH_KEY_MAX || i < n) {
		hook_problem(c, 422, "Unprocessable Content", "Idempotency-Key must be 1 to "
		    LAUNCH_XSTR(LAUNCH_KEY_MAX) " printable ASCII characters");
		return -1;
	}
	if ((b = evbuffer_new()) == NULL)
		xalloc_die(0);
	evbuffer_add_printf(b, "%s\n%s\n", c->method, c->path);
	evbuffer_add(b, c->body != NULL ? c->body : "", c->len);
	crypto_sha256(evbuffer_pullup(b, -1), evbuffer_get_length(b), digest);
	evbuffer_free(b);
	crypto_hex(digest, sizeof(digest), c->fingerprint);
	c->key = xstrdup(key);
	return 0;
}

void
hooks_handle(struct hooks *h, struct evhttp_request *req)
{
	struct hook_call	*c;
	struct evbuffer		*in = evhttp_request_get_input_buffer(req);
	char			 token[WEBHOOK_TOKEN_LEN + 1];

	c = xcalloc(1, sizeof(*c));
	c->h = h;
	c->req = req;
	LIST_INSERT_HEAD(&h->calls, c, entry);
	if (hook_token(evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req)), token) == -1) {
		hook_problem(c, 404, "Not Found", "no such webhook");
		return;
	}
	snprintf(c->path, sizeof(c->path), WEBHOOK_PATH_PREFIX "%s", token);
	if ((c->method = hook_method(req)) == NULL) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow",
		    "GET, POST, PUT, PATCH, DELETE");
		hook_problem(c, 405, "Method Not Allowed", "a webhook accepts GET, POST, PUT, "
		    "PATCH or DELETE");
		return;
	}
	if ((c->len = evbuffer_get_length(in)) > WEBHOOK_BODY_MAX) {
		hook_problem(c, 413, "Content Too Large", "the body exceeds 1 MiB");
		return;
	}
	c->body = xmalloc(c->len + 1);
	evbuffer_copyout(in, c->body, c->len);
	c->body[c->len] = '\0';
	if (hook_key(c) == -1)
		return;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req), hook_on_close, c);
	if (pgshare_get(h->lookup, token, 0, hook_on_webhook, c) == -1) {
		hook_problem(c, 503, "Service Unavailable", "the database is not available");
		return;
	}
	c->busy = 1;
}

/* ---------------------------------------------------------------- start and stop */

struct hooks *
hooks_new(struct event_base *base, struct apg *db, const char *db_url, struct rlink *redis,
    const struct redis_url *url)
{
	struct hooks		*h = xcalloc(1, sizeof(*h));
	struct rsub_hooks	 sh = { hook_on_ended, hook_on_subscribed, h };
	struct apg_hooks	 none = { NULL, NULL, NULL, NULL };
	size_t			 i;

	for (i = 0; i < HOOKS_STORE_CONNS; i++)
		if ((h->store[i] = apg_new(base, db_url, &none)) == NULL) {
			while (i > 0)
				apg_free(h->store[--i]);
			free(h);
			return NULL;
		}

	h->base = base;
	h->db = db;
	h->redis = redis;
	h->waiting = strmap_new();
	h->lookup = pgshare_new(db, SQL_HOOK);
	LIST_INIT(&h->calls);
	h->ended = rsub_new(base, url, QUEUE_ENDED_CHANNEL, &sh);
	return h;
}

void
hooks_stop(struct hooks *h)
{
	struct hook_call	*c;

	if (h == NULL)
		return;
	rsub_free(h->ended);
	h->ended = NULL;
	while ((c = LIST_FIRST(&h->calls)) != NULL) {
		hook_wait_remove(c);
		LIST_REMOVE(c, entry);
		c->h = NULL;
		if (c->req == NULL)
			continue;	/* left: its due callback frees it */
		evhttp_add_header(evhttp_request_get_output_headers(c->req), "Retry-After", "5");
		if (!c->busy) {
			hook_problem(c, 503, "Service Unavailable", "the service is stopping");
			continue;
		}
		/* A callback is due: answer now, it frees the call (no request any more). */
		c->busy = 1;
		hook_send(hook_take(c), 503, "application/problem+json", hook_stopping_body());
	}
}

void
hooks_free(struct hooks *h)
{
	size_t	 i;

	if (h == NULL)
		return;
	for (i = 0; i < HOOKS_STORE_CONNS; i++)
		apg_free(h->store[i]);	/* answers what is in flight: those calls go */
	pgshare_free(h->lookup);
	strmap_free(h->waiting, NULL);
	free(h);
}
