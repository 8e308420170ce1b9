/* sse_wire.h: what the event stream listener writes: Server-Sent Events frames, problem+json
 * answers, and the events of an execution whose stream expired, rebuilt from its rows. */
#ifndef FRAGENT_SSE_WIRE_H
#define FRAGENT_SSE_WIRE_H

#include <json-c/json.h>
#include <libpq-fe.h>

struct evbuffer;
struct evhttp_request;

/* $1 execution id → its steps in run order: node_id, status, attempt, output, error,
 * node_type, started_at, finished_at, and the execution's start_time and end_time. */
extern const char	 SSE_WIRE_SQL_STEPS[];

/* Appends one frame ("id" may be NULL) to "b". */
void	sse_wire_frame(struct evbuffer *b, const char *id, const char *type, const char *data);
/* Answers a problem+json error "status" "reason" with "detail" (before any stream started). */
void	sse_wire_problem(struct evhttp_request *req, int status, const char *reason,
	    const char *detail);
/* Appends the events of ended execution "exec_id" after replayed event number "after":
 * execution.started, each step of "steps" (rows of SSE_WIRE_SQL_STEPS; may be NULL), then
 * the terminal event for "status" with "error" (may be NULL) and "results" (borrowed, may
 * be NULL): the live payloads (events.c) with their times and "replayed": true. Ids are
 * "0-1", "0-2", … so that Last-Event-ID works on them too. */
void	sse_wire_replay(struct evbuffer *b, const char *exec_id, long after, const char *status,
	    const char *error, json_object *results, const PGresult *steps);

#endif
