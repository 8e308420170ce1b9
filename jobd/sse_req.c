/* sse_req.c: parsing of an event stream request's path and Last-Event-ID (see sse_req.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sse_req.h"

#define SSE_PREFIX	"/api/v1/executions/"
#define SSE_SUFFIX	"/events"
#define SSE_DIGITS	"0123456789"

bool
sse_valid_event_id(const char *id)
{
	size_t	 a, b;

	if (id == NULL)
		return false;
	a = strspn(id, SSE_DIGITS);
	if (a == 0 || a > 20 || id[a] != '-')
		return false;
	b = strspn(id + a + 1, SSE_DIGITS);
	return b > 0 && b <= 20 && id[a + 1 + b] == '\0';
}

/* Extracts the execution id of "/api/v1/executions/{id}/events" into "out". Returns 0 or
 * -1. */
static int
sse_req_path_id(const char *path, char out[UUID_STRLEN + 1])
{
	size_t	 n = strlen(path), pl = strlen(SSE_PREFIX), sl = strlen(SSE_SUFFIX);

	if (n != pl + UUID_STRLEN + sl || strncmp(path, SSE_PREFIX, pl) != 0 ||
	    strcmp(path + pl + UUID_STRLEN, SSE_SUFFIX) != 0)
		return -1;
	memcpy(out, path + pl, UUID_STRLEN);
	out[UUID_STRLEN] = '\0';
	return uuid_valid(out) ? 0 : -1;
}

enum sse_req_rc
sse_req_parse(const char *path, bool is_get, const char *last_event_id, struct sse_req *out)
{
	char	 id[UUID_STRLEN + 1];
	long	 after = 0;

	if (path == NULL || sse_req_path_id(path, id) == -1)
		return SSE_REQ_NOT_FOUND;
	if (!is_get)
		return SSE_REQ_METHOD;
	memcpy(out->exec_id, id, sizeof(id));
	if (!sse_valid_event_id(last_event_id)) {
		snprintf(out->last_id, sizeof(out->last_id), "0");
		out->replay_after = 0;
		return SSE_REQ_OK;
	}
	snprintf(out->last_id, sizeof(out->last_id), "%s", last_event_id);
	if (strncmp(last_event_id, "0-", 2) == 0) {
		errno = 0;
		after = strtol(last_event_id + 2, NULL, 10);
		if (errno == ERANGE)
			after = LONG_MAX;	/* past every replayed event */
	}
	out->replay_after = after;
	return SSE_REQ_OK;
}
