/* sse_wire.c: frames, problem answers and replays of the event stream listener (see
 * sse_wire.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "db.h"
#include "events.h"
#include "jsonh.h"
#include "sse_wire.h"

/* Times as the live events write them (log_timestamp: UTC, milliseconds). */
#define SSE_WIRE_TIME(col) \
	"to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"

/* The node types are read from the definition once (a join), not once per step. */
const char SSE_WIRE_SQL_STEPS[] =
	"WITH e AS (SELECT definition, start_time, end_time FROM executions WHERE id = $1), "
	"t AS (SELECT DISTINCT ON (n->>'id') n->>'id' AS id, n->>'type' AS type "
	"FROM e, jsonb_array_elements(e.definition->'nodes') n) "
	"SELECT s.node_id, s.status, s.attempt, s.output, s.error, t.type, "
	SSE_WIRE_TIME("s.started_at") ", " SSE_WIRE_TIME("s.finished_at") ", "
	SSE_WIRE_TIME("e.start_time") ", " SSE_WIRE_TIME("e.end_time") " "
	"FROM execution_steps s CROSS JOIN e LEFT JOIN t ON t.id = s.node_id "
	"WHERE s.execution_id = $1 ORDER BY s.started_at, s.attempt, s.node_id LIMIT 10000";

void
sse_wire_frame(struct evbuffer *b, const char *id, const char *type, const char *data)
{
	if (id != NULL)
		evbuffer_add_printf(b, "id: %s\n", id);
	evbuffer_add_printf(b, "event: %s\ndata: %s\n\n", type, data);
}

void
sse_wire_problem(struct evhttp_request *req, int status, const char *reason,
    const char *detail)
{
	struct evbuffer	*b = evbuffer_new();

	if (b == NULL) {
		evhttp_send_error(req, status, reason);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/problem+json");
	evbuffer_add_printf(b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,"
	    "\"detail\":\"%s\"}", reason, status, detail);
	evhttp_send_reply(req, status, reason, b);
	evbuffer_free(b);
}

/* Appends replayed event number "n" (id "0-n") of "type" at "when" (NULL: unknown) unless it
 * is not after "after". The payload is the live one (events.c) marked "replayed". */
static void
sse_wire_replay_one(struct evbuffer *b, const char *exec_id, long n, long after,
    enum event_type type, json_object *fields, const char *when)
{
	json_object	*d;
	char		 id[32];

	if (n <= after)
		return;
	d = event_build(exec_id, type, fields, when != NULL ? when : "");
	json_object_object_add(d, "replayed", jsonh_new_boolean(1));
	snprintf(id, sizeof(id), "0-%ld", n);
	sse_wire_frame(b, id, event_names[type], jsonh_str(d));
	json_object_put(d);
}

/* Appends the events of step row "i" of "steps"; "n" counts the events so far. */
static void
sse_wire_replay_step(struct evbuffer *b, const char *exec_id, long *n, long after,
    const PGresult *steps, int i)
{
	const char	*st = PQgetvalue(steps, i, 1), *type = db_text(steps, i, 5);
	const char	*started = db_text(steps, i, 6), *finished = db_text(steps, i, 7);
	json_object	*f = event_node_fields(PQgetvalue(steps, i, 0), type != NULL ? type : "",
	    atoi(PQgetvalue(steps, i, 2)));

	if (strcmp(st, "skipped") != 0)
		sse_wire_replay_one(b, exec_id, ++*n, after, EV_NODE_STARTED, f, started);
	if (strcmp(st, "succeeded") == 0) {
		json_object_object_add(f, "output", db_json(steps, i, 3));
		sse_wire_replay_one(b, exec_id, ++*n, after, EV_NODE_COMPLETED, f, finished);
	} else if (strcmp(st, "skipped") == 0)
		sse_wire_replay_one(b, exec_id, ++*n, after, EV_NODE_SKIPPED, f, finished);
	else if (strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0) {
		json_object_object_add(f, "error", jsonh_string_or_null(db_text(steps, i, 4)));
		sse_wire_replay_one(b, exec_id, ++*n, after, EV_NODE_FAILED, f, finished);
	}
	json_object_put(f);
}

void
sse_wire_replay(struct evbuffer *b, const char *exec_id, long after, const char *status,
    const char *error, json_object *results, const PGresult *steps)
{
	json_object	*f;
	const char	*start = NULL, *end = NULL;
	long		 n = 0;
	int		 i;

	if (steps != NULL && PQntuples(steps) > 0) {
		start = db_text(steps, 0, 8);
		end = db_text(steps, 0, 9);
	}
	sse_wire_replay_one(b, exec_id, ++n, after, EV_EXECUTION_STARTED, NULL, start);
	for (i = 0; steps != NULL && i < PQntuples(steps); i++)
		sse_wire_replay_step(b, exec_id, &n, after, steps, i);
	f = event_end_fields(status, error, results);
	sse_wire_replay_one(b, exec_id, ++n, after, event_end_type(status), f, end);
	json_object_put(f);
}
