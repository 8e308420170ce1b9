/* sse.c: Server-Sent Events over evhttp, fed by XREAD BLOCK on the execution's events stream. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "db.h"
#include "events.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "sse.h"
#include "uuid.h"

#define SSE_PREFIX	"/api/v1/executions/"
#define SSE_SUFFIX	"/events"
#define SSE_BLOCK_MS	"15000"		/* also the heartbeat interval */

static const char SQL_EXEC_STATUS[] =
	"SELECT status, error, results FROM executions WHERE id = $1";

struct sse {
	struct event_base	*base;
	struct evhttp		*http;
	struct redis_url	 url;
	struct redis_conn	*sync;		/* EXISTS checks */
	struct db		*db;
};

/* One subscriber: an open response and its own Redis connection for the blocking read. */
struct sse_sub {
	struct sse		*sse;
	struct evhttp_request	*req;		/* NULL once the response ended or the client left */
	redisAsyncContext	*ac;
	char			 key[96];
	char			 exec_id[UUID_STRLEN + 1];
	char			 last_id[48];
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

/* Ends the response (if still open) and releases the Redis connection; the disconnect
 * callback frees "sub". */
static void
sse_sub_end(struct sse_sub *sub)
{
	if (sub->req != NULL) {
		evhttp_connection_set_closecb(evhttp_request_get_connection(sub->req), NULL, NULL);
		evhttp_send_reply_end(sub->req);
		sub->req = NULL;
	}
	if (sub->ac != NULL)
		redisAsyncDisconnect(sub->ac);
	else
		free(sub);
}

static void
sse_on_client_close(struct evhttp_connection *conn, void *arg)
{
	struct sse_sub	*sub = arg;

	(void)conn;
	sub->req = NULL;	/* evhttp frees the request */
	sse_sub_end(sub);
}

/* Writes one SSE frame. */
static void
sse_send(struct sse_sub *sub, const char *id, const char *type, const char *data)
{
	struct evbuffer	*b = evbuffer_new();

	if (id != NULL)
		evbuffer_add_printf(b, "id: %s\n", id);
	evbuffer_add_printf(b, "event: %s\ndata: %s\n\n", type, data);
	evhttp_send_reply_chunk(sub->req, b);
	evbuffer_free(b);
}

static void	sse_read(struct sse_sub *sub);

/* Writes the entries of an XREAD reply; returns 1 when a terminal event was among them. */
static int
sse_write_entries(struct sse_sub *sub, redisReply *entries)
{
	size_t		 i, j;
	const char	*type, *data;

	for (i = 0; i < entries->elements; i++) {
		redisReply	*e = entries->element[i], *f;

		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2)
			continue;
		f = e->element[1];
		type = data = NULL;
		for (j = 0; f->type == REDIS_REPLY_ARRAY && j + 1 < f->elements; j += 2) {
			if (strcmp(f->element[j]->str, "type") == 0)
				type = f->element[j + 1]->str;
			else if (strcmp(f->element[j]->str, "data") == 0)
				data = f->element[j + 1]->str;
		}
		snprintf(sub->last_id, sizeof(sub->last_id), "%s", e->element[0]->str);
		if (type == NULL || data == NULL)
			continue;
		sse_send(sub, sub->last_id, type, data);
		if (event_is_terminal(type))
			return 1;
	}
	return 0;
}

static void
sse_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct sse_sub	*sub = arg;
	redisReply	*r = reply;

	(void)ac;
	if (r == NULL || sub->req == NULL)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		log_warn(LOG_IDS(NULL, sub->exec_id), "XREAD: %s", r->str);
		sse_sub_end(sub);
		return;
	}
	if (r->type == REDIS_REPLY_NIL) {
		struct evbuffer	*b = evbuffer_new();

		evbuffer_add_printf(b, ": heartbeat\n\n");
		evhttp_send_reply_chunk(sub->req, b);
		evbuffer_free(b);
	} else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->elements == 2 &&
	    sse_write_entries(sub, r->element[0]->element[1])) {
		sse_sub_end(sub);
		return;
	}
	sse_read(sub);
}

static void
sse_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct sse_sub	*sub = ac->data;

	(void)status;
	sub->ac = NULL;
	sse_sub_end(sub);	/* ends the response if Redis went away; frees sub */
}

static void
sse_on_connect(const redisAsyncContext *ac, int status)
{
	struct sse_sub	*sub = ac->data;

	if (status == REDIS_OK)
		return;
	sub->ac = NULL;		/* hiredis frees it */
	sse_sub_end(sub);
}

static void
sse_read(struct sse_sub *sub)
{
	const char	*argv[] = { "XREAD", "COUNT", "100", "BLOCK", SSE_BLOCK_MS, "STREAMS",
	    sub->key, sub->last_id };

	redisAsyncCommandArgv(sub->ac, sse_on_reply, sub, 8, argv, NULL);
}

/* The events of an execution whose stream expired: one terminal event from its row. */
static void
sse_replay_final(struct evhttp_request *req, const char *exec_id, PGresult *row)
{
	json_object	*d = json_object_new_object();
	struct evbuffer	*b = evbuffer_new();
	const char	*status = PQgetvalue(row, 0, 0);
	char		 type[64];

	snprintf(type, sizeof(type), "execution.%s",
	    strcmp(status, "succeeded") == 0 ? "completed" : status);
	json_object_object_add(d, "type", json_object_new_string(type));
	json_object_object_add(d, "execution_id", json_object_new_string(exec_id));
	json_object_object_add(d, "status", json_object_new_string(status));
	json_object_object_add(d, "error", jsonh_string_or_null(db_text(row, 0, 1)));
	json_object_object_add(d, "results", db_json(row, 0, 2));
	json_object_object_add(d, "replayed", json_object_new_boolean(1));
	evbuffer_add_printf(b, "event: %s\ndata: %s\n\n", type, jsonh_str(d));
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
	json_object_put(d);
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
	snprintf(sub->exec_id, sizeof(sub->exec_id), "%s", id);
	queue_events_key(id, sub->key, sizeof(sub->key));
	snprintf(sub->last_id, sizeof(sub->last_id), "%s",
	    last != NULL && sse_valid_event_id(last) ? last : "0");
	if ((sub->ac = redis_async_open(&s->url, s->base)) == NULL) {
		free(sub);
		sse_problem(req, 503, "Service Unavailable", "event store unavailable");
		return;
	}
	sub->ac->data = sub;
	redisAsyncSetConnectCallback(sub->ac, sse_on_connect);
	redisAsyncSetDisconnectCallback(sub->ac, sse_on_disconnect);
	evhttp_add_header(h, "Content-Type", "text/event-stream");
	evhttp_add_header(h, "Cache-Control", "no-cache");
	evhttp_add_header(h, "X-Accel-Buffering", "no");
	evhttp_send_reply_start(req, 200, "OK");
	sub->req = req;
	evhttp_connection_set_closecb(evhttp_request_get_connection(req), sse_on_client_close, sub);
	sse_read(sub);
}

/* True when the execution ended and its events stream is gone (expired). */
static int
sse_stream_expired(struct sse *s, const char *id, PGresult *row)
{
	const char	*status = PQgetvalue(row, 0, 0);
	redisReply	*r;
	char		 key[96];
	const char	*argv[2] = { "EXISTS", key };
	int		 gone;

	if (strcmp(status, "queued") == 0 || strcmp(status, "running") == 0)
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

	if (path == NULL || sse_path_id(path, id) == -1) {
		sse_problem(req, 404, "Not Found", "no such route");
		return;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET");
		sse_problem(req, 405, "Method Not Allowed", "method not allowed on this route");
		return;
	}
	drc = db_row(s->db, SQL_EXEC_STATUS, 1, (const char *[]){ id }, &row);
	if (drc == DB_NOTFOUND)
		sse_problem(req, 404, "Not Found", "not found");
	else if (drc != DB_OK)
		sse_problem(req, 503, "Service Unavailable", "database unavailable");
	else if (sse_stream_expired(s, id, row))
		sse_replay_final(req, id, row);
	else
		sse_subscribe(s, req, id);
	PQclear(row);
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
	if ((s->sync = redis_conn_new(url)) == NULL || (s->http = evhttp_new(base)) == NULL ||
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
	if (s->http != NULL)
		evhttp_free(s->http);
	redis_conn_free(s->sync);
	free(s);
}
