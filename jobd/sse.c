/* sse.c: Server-Sent Events over evhttp. Live streams come from one shared reader per
 * execution (hub.c); an execution whose stream expired is replayed from its Postgres steps. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "auth.h"
#include "db.h"
#include "events.h"
#include "fgconfig.h"
#include "hub.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "sse.h"
#include "uuid.h"

#define SSE_PREFIX	"/api/v1/executions/"
#define SSE_SUFFIX	"/events"

/* $2: the caller's user id, or NULL for an admin (another user's execution is 404). The
 * last column says whether it ended more than SSE_SETTLED ago (see sse_stream_expired). */
#define SSE_SETTLED	"1 minute"
static const char SQL_EXEC_STATUS[] =
	"SELECT status, error, results, COALESCE(end_time < now() - interval '" SSE_SETTLED
	"', false) FROM executions WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";

struct sse {
	struct event_base	*base;
	struct evhttp		*http;
	struct redis_url	 url;
	struct redis_conn	*sync;		/* EXISTS checks */
	struct db		*db;
	struct jwt_key		 jwt;		/* checks subscribers' access tokens */
	struct hub_set		*hubs;		/* one shared reader per execution */
};

/* One subscriber: an open response fed by the execution's hub. */
struct sse_sub {
	struct hub_sub		 hs;		/* first: the hub's callbacks get this */
	struct sse		*sse;
	struct evhttp_request	*req;
};

int
sse_valid_event_id(const char *id)
{
	size_t	 a = strspn(id, "0123456789");

	return a > 0 && a <= 20 && id[a] == '-' && strspn(id + a + 1, "0123456789") > 0 &&
	    strspn(id + a + 1, "0123456789") <= 20 && id[a + 1 + strspn(id + a + 1,
	    "0123456789")] == '\0';
}

/* Answers a plain problem+json error (before any stream started). */
static void
sse_problem(struct evhttp_request *req, int status, const char *reason, const char *detail)
{
	struct evbuffer	*b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/problem+json");
	evbuffer_add_printf(b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,"
	    "\"detail\":\"%s\"}", reason, status, detail);
	evhttp_send_reply(req, status, reason, b);
	evbuffer_free(b);
}

/* Appends one SSE frame to "b". */
static void
sse_frame(struct evbuffer *b, const char *id, const char *type, const char *data)
{
	if (id != NULL)
		evbuffer_add_printf(b, "id: %s\n", id);
	evbuffer_add_printf(b, "event: %s\ndata: %s\n\n", type, data);
}

static void
sse_on_event(struct hub_sub *hs, const char *id, const char *type, const char *data)
{
	struct sse_sub	*sub = (struct sse_sub *)hs;
	struct evbuffer	*b = evbuffer_new();

	sse_frame(b, id, type, data);
	evhttp_send_reply_chunk(sub->req, b);
	evbuffer_free(b);
}

static void
sse_on_idle(struct hub_sub *hs)
{
	struct sse_sub	*sub = (struct sse_sub *)hs;
	struct evbuffer	*b = evbuffer_new();

	evbuffer_add_printf(b, ": heartbeat\n\n");
	evhttp_send_reply_chunk(sub->req, b);
	evbuffer_free(b);
}

/* The stream ended (terminal event sent) or broke: end the response cleanly. */
static void
sse_on_end(struct hub_sub *hs, const char *error)
{
	struct sse_sub	*sub = (struct sse_sub *)hs;

	if (error != NULL)
		log_warn(NULL, "event stream ended early: %s", error);
	evhttp_connection_set_closecb(evhttp_request_get_connection(sub->req), NULL, NULL);
	evhttp_send_reply_end(sub->req);
	free(sub);
}

static void
sse_on_client_close(struct evhttp_connection *conn, void *arg)
{
	struct sse_sub	*sub = arg;

	(void)conn;
	hub_unsubscribe(&sub->hs);
	/* A client that went away mid-reply leaves the request detached from its connection
	 * (libevent then leaves it to us); otherwise the connection frees it. */
	if (evhttp_request_get_connection(sub->req) == NULL)
		evhttp_request_free(sub->req);
	free(sub);
}

static const char SQL_REPLAY_STEPS[] =
	"SELECT node_id, status, attempt, output, error FROM execution_steps "
	"WHERE execution_id = $1 ORDER BY started_at, attempt, node_id LIMIT 10000";

/* Appends replayed event number "n" (id "0-n") unless it is not after "after". */
static void
sse_replay_one(struct evbuffer *b, const char *exec_id, long n, long after, const char *type,
    json_object *fields)
{
	json_object	*d = json_object_new_object();
	char		 id[32];

	if (n > after) {
		snprintf(id, sizeof(id), "0-%ld", n);
		json_object_object_add(d, "type", json_object_new_string(type));
		json_object_object_add(d, "execution_id", json_object_new_string(exec_id));
		json_object_object_add(d, "replayed", json_object_new_boolean(1));
		if (fields != NULL) {
			json_object_object_foreach(fields, k, v)
				json_object_object_add(d, k, json_object_get(v));
		}
		sse_frame(b, id, type, jsonh_str(d));
	}
	json_object_put(d);
}

/* The events of an execution whose stream expired, rebuilt from its steps and row: ids are
 * "0-1", "0-2", … so Last-Event-ID works on them too. */
static void
sse_replay_final(struct sse *s, struct evhttp_request *req, const char *exec_id,
    PGresult *row)
{
	const char	*last = evhttp_find_header(evhttp_request_get_input_headers(req),
			    "Last-Event-ID");
	struct evbuffer	*b = evbuffer_new();
	const char	*status = PQgetvalue(row, 0, 0), *st;
	PGresult	*steps = NULL;
	json_object	*f;
	long		 n = 0, after = 0;
	int		 i;

	if (last != NULL && strncmp(last, "0-", 2) == 0 && sse_valid_event_id(last))
		after = atol(last + 2);
	sse_replay_one(b, exec_id, ++n, after, "execution.started", NULL);
	if (db_exec(s->db, SQL_REPLAY_STEPS, 1, (const char *[]){ exec_id }, &steps) == DB_OK)
		for (i = 0; i < PQntuples(steps); i++) {
			f = json_object_new_object();
			st = PQgetvalue(steps, i, 1);
			json_object_object_add(f, "node_id",
			    json_object_new_string(PQgetvalue(steps, i, 0)));
			json_object_object_add(f, "attempt",
			    json_object_new_int(atoi(PQgetvalue(steps, i, 2))));
			if (strcmp(st, "skipped") != 0)
				sse_replay_one(b, exec_id, ++n, after, "node.started", f);
			if (strcmp(st, "succeeded") == 0) {
				json_object_object_add(f, "output", db_json(steps, i, 3));
				sse_replay_one(b, exec_id, ++n, after, "node.completed", f);
			} else if (strcmp(st, "skipped") == 0)
				sse_replay_one(b, exec_id, ++n, after, "node.skipped", f);
			else if (strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0) {
				json_object_object_add(f, "error",
				    jsonh_string_or_null(db_text(steps, i, 4)));
				sse_replay_one(b, exec_id, ++n, after, "node.failed", f);
			}
			json_object_put(f);
		}
	PQclear(steps);
	f = json_object_new_object();
	json_object_object_add(f, "status", json_object_new_string(status));
	json_object_object_add(f, "error", jsonh_string_or_null(db_text(row, 0, 1)));
	json_object_object_add(f, "results", db_json(row, 0, 2));
	sse_replay_one(b, exec_id, ++n, after, strcmp(status, "succeeded") == 0 ?
	    "execution.completed" : strcmp(status, "failed") == 0 ? "execution.failed" :
	    "execution.cancelled", f);
	json_object_put(f);
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "text/event-stream");
	evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-cache");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

/* Extracts the execution id of "/api/v1/executions/{id}/events" into "out". Returns 0 or -1. */
static int
sse_path_id(const char *path, char *out)
{
	size_t	 n = strlen(path), pl = strlen(SSE_PREFIX), sl = strlen(SSE_SUFFIX);

	if (n != pl + UUID_STRLEN + sl || strncmp(path, SSE_PREFIX, pl) != 0 ||
	    strcmp(path + pl + UUID_STRLEN, SSE_SUFFIX) != 0)
		return -1;
	memcpy(out, path + pl, UUID_STRLEN);
	out[UUID_STRLEN] = '\0';
	return uuid_valid(out) ? 0 : -1;
}

/* Opens the stream for a subscriber of execution "id". */
static void
sse_subscribe(struct sse *s, struct evhttp_request *req, const char *id)
{
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	const char		*last = evhttp_find_header(evhttp_request_get_input_headers(req),
				    "Last-Event-ID");
	struct sse_sub		*sub;

	if ((sub = calloc(1, sizeof(*sub))) == NULL) {
		sse_problem(req, 503, "Service Unavailable", "out of memory");
		return;
	}
	sub->sse = s;
	sub->req = req;
	sub->hs.on_event = sse_on_event;
	sub->hs.on_idle = sse_on_idle;
	sub->hs.on_end = sse_on_end;
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-cache");
	evhttp_add_header(h, "X-Accel-Buffering", "no");
	evhttp_send_reply_start(req, 200, "OK");
	evhttp_connection_set_closecb(evhttp_request_get_connection(req), sse_on_client_close, sub);
	/* May deliver stored events and even end the response before it returns. */
	if (hub_subscribe(s->hubs, id, last != NULL && sse_valid_event_id(last) ? last : "0",
	    &sub->hs) == -1) {
		log_warn(LOG_IDS(NULL, id), "event store unavailable");
		sse_on_end(&sub->hs, "event store unavailable");
	}
}

/* True when the execution ended a while ago and its events stream is gone (expired).
 * Just after the end, a missing stream is one whose events are still on their way: jobd
 * commits the final status before its pipelined XADDs reach Redis. A replay then (ids
 * 0-n) followed by a resume on the live stream (Redis ids) would repeat every event, so a
 * subscriber waits for the stream instead. */
static int
sse_stream_expired(struct sse *s, const char *id, PGresult *row)
{
	const char	*status = PQgetvalue(row, 0, 0);
	redisReply	*r;
	char		 key[96];
	const char	*argv[2] = { "EXISTS", key };
	int		 gone;

	if (strcmp(status, "queued") == 0 || strcmp(status, "running") == 0 ||
	    strcmp(PQgetvalue(row, 0, 3), "t") != 0)
		return 0;
	queue_events_key(id, key, sizeof(key));
	r = redis_conn_cmd(s->sync, 2, argv, NULL);
	gone = r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer == 0;
	freeReplyObject(r);
	return gone;
}

static void
sse_handle(struct evhttp_request *req, void *arg)
{
	struct sse	*s = arg;
	const char	*path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	char		 id[UUID_STRLEN + 1];
	PGresult	*row = NULL;
	enum db_rc	 drc;
	struct principal who;

	if (path == NULL || sse_path_id(path, id) == -1) {
		sse_problem(req, 404, "Not Found", "no such route");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
		sse_problem(req, 405, "Method Not Allowed", "method not allowed on this route");
		return;
	}
	/* The same check as the API's (shared/auth.c): a JWT or an API key. */
	switch (auth_authenticate(&s->jwt, s->db, evhttp_find_header(
	    evhttp_request_get_input_headers(req), "Authorization"), time(NULL), &who)) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAILABLE:
		sse_problem(req, 503, "Service Unavailable", "database unavailable");
		return;
	default:
		evhttp_add_header(evhttp_request_get_output_headers(req), "WWW-Authenticate",
		    "Bearer realm=\"fragent\"");
		sse_problem(req, 401, "Unauthorized", "missing, invalid or expired credentials");
		return;
	}
	drc = db_row(s->db, SQL_EXEC_STATUS, 2, (const char *[]){ id,
	    who.role == ROLE_ADMIN ? NULL : who.user_id }, &row);
	if (drc == DB_NOTFOUND)
		sse_problem(req, 404, "Not Found", "not found");
	else if (drc != DB_OK)
		sse_problem(req, 503, "Service Unavailable", "database unavailable");
	else if (sse_stream_expired(s, id, row))
		sse_replay_final(s, req, id, row);
	else
		sse_subscribe(s, req, id);
	PQclear(row);
}

/* Loads the JWT key the API signs with (FRAGENT_JWT_KEY or its file). Returns 0 or -1. */
static int
sse_load_key(struct sse *s)
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
	config_clear(&cfg);
	return rc;
}

struct sse *
sse_start(struct event_base *base, const char *addr, int port, const struct redis_url *url,
    struct db *db)
{
	struct sse	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->base = base;
	s->url = *url;
	s->db = db;
	if (sse_load_key(s) == -1) {
		free(s);
		return NULL;
	}
	if ((s->sync = redis_conn_new(url)) == NULL || (s->hubs = hub_set_new(base, url)) == NULL ||
	    (s->http = evhttp_new(base)) == NULL ||
	    evhttp_bind_socket(s->http, addr, (ev_uint16_t)port) != 0) {
		log_error(NULL, "cannot listen on %s:%d", addr, port);
		sse_stop(s);
		return NULL;
	}
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(s->http, sse_handle, s);
	log_info(NULL, "events listener on %s:%d", addr, port);
	return s;
}

void
sse_stop(struct sse *s)
{
	if (s == NULL)
		return;
	hub_set_free(s->hubs);		/* ends every open stream */
	if (s->http != NULL)
		evhttp_free(s->http);
	redis_conn_free(s->sync);
	free(s);
}
