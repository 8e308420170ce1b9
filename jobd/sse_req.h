/* sse_req.h: what a request to jobd's event stream listener asks for — the execution of
 * GET /api/v1/executions/{id}/events and where to resume (Last-Event-ID) — parsed without
 * any I/O, so that hostile input is judged in one place (and fuzzed: tests/fuzz). */
#ifndef FRAGENT_SSE_REQ_H
#define FRAGENT_SSE_REQ_H

#include <stdbool.h>

#include "uuid.h"

#define SSE_EVENT_ID_MAX	41	/* "ms-seq", each at most 20 digits */

struct sse_req {
	char	 exec_id[UUID_STRLEN + 1];
	/* A valid Last-Event-ID, else "0" (from the start). */
	char	 last_id[SSE_EVENT_ID_MAX + 1];
	/* For an id "0-n" of a replay from the database: n (saturated), else 0. */
	long	 replay_after;
};

enum sse_req_rc {
	SSE_REQ_OK,
	SSE_REQ_NOT_FOUND,	/* not the events path of an execution: 404 */
	SSE_REQ_METHOD,		/* the path, but not GET: 405 */
	SSE_REQ__MAX
};

/* Parses a request: "path" (may be NULL), whether its method is GET, and its Last-Event-ID
 * header "last_event_id" (may be NULL; an invalid one means from the start). Fills "out"
 * only on SSE_REQ_OK. */
enum sse_req_rc	 sse_req_parse(const char *path, bool is_get, const char *last_event_id,
		    struct sse_req *out);
/* True when "id" is a Redis stream id "ms-seq" (1 to 20 digits each). */
bool		 sse_valid_event_id(const char *id);

#endif
