/* sse_wire.c: frames, problem answers and replays of the event stream listener (see
 * sse_wire.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/http.h>

#include "db.h"
#include "jsonh.h"
#include "sse_wire.h"

const char SSE_WIRE_SQL_STEPS[] =
	"SELECT node_id, status, attempt, output, error FROM execution_steps "
	"WHERE execution_id = $1 ORDER BY started_at, attempt, node_id LIMIT 10000";

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

/* Appends replayed event number "n" (id "0-n") unless it is not after "after". */
static void
sse_wire_replay_one(struct evbuffer *b, const char *exec_id, long n, long after,
    const char *type, json_object *fields)
{
	json_object	*d;
	char		 id[32];

	if (n <= after)
		return;
	d = json_object_new_object();
	snprintf(id, sizeof(id), "0-%ld", n);
	json_object_object_add(d, "type", json_object_new_string(type));
	json_object_object_add(d, "execution_id", json_object_new_string(exec_id));
	json_object_object_add(d, "replayed", json_object_new_boolean(1));
	if (fields != NULL) {
		json_object_object_foreach(fields, k, v)
			json_object_object_add(d, k, json_object_get(v));
	}
	sse_wire_frame(b, id, type, jsonh_str(d));
	json_object_put(d);
}

/* Appends the events of step row "i" of "steps"; "n" counts the events so far. */
static void
sse_wire_replay_step(struct evbuffer *b, const char *exec_id, long *n, long after,
    const PGresult *steps, int i)
{
	json_object	*f = json_object_new_object();
	const char	*st = PQgetvalue(steps, i, 1);

	json_object_object_add(f, "node_id", json_object_new_string(PQgetvalue(steps, i, 0)));
	json_object_object_add(f, "attempt", json_object_new_int(atoi(PQgetvalue(steps, i, 2))));
	if (strcmp(st, "skipped") != 0)
		sse_wire_replay_one(b, exec_id, ++*n, after, "node.started", f);
	if (strcmp(st, "succeeded") == 0) {
		json_object_object_add(f, "output", db_json(steps, i, 3));
		sse_wire_replay_one(b, exec_id, ++*n, after, "node.completed", f);
	} else if (strcmp(st, "skipped") == 0)
		sse_wire_replay_one(b, exec_id, ++*n, after, "node.skipped", f);
	else if (strcmp(st, "failed") == 0 || strcmp(st, "cancelled") == 0) {
		json_object_object_add(f, "error", jsonh_string_or_null(db_text(steps, i, 4)));
		sse_wire_replay_one(b, exec_id, ++*n, after, "node.failed", f);
	}
	json_object_put(f);
}

void
sse_wire_replay(struct evbuffer *b, const char *exec_id, long after, const char *status,
    const char *error, json_object *results, const PGresult *steps)
{
	json_object	*f;
	long		 n = 0;
	int		 i;

	sse_wire_replay_one(b, exec_id, ++n, after, "execution.started", NULL);
	for (i = 0; steps != NULL && i < PQntuples(steps); i++)
		sse_wire_replay_step(b, exec_id, &n, after, steps, i);
	f = json_object_new_object();
	json_object_object_add(f, "status", json_object_new_string(status));
	json_object_object_add(f, "error", jsonh_string_or_null(error));
	json_object_object_add(f, "results", json_object_get(results));
	sse_wire_replay_one(b, exec_id, ++n, after, strcmp(status, "succeeded") == 0 ?
	    "execution.completed" : strcmp(status, "failed") == 0 ? "execution.failed" :
	    "execution.cancelled", f);
	json_object_put(f);
}
