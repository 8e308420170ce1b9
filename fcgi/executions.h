/* executions.h: what the handlers that start executions share (executions.c, chat.c,
 * control.c): the answer to a launch (shared/launch.h). */
#ifndef FRAGENT_EXECUTIONS_H
#define FRAGENT_EXECUTIONS_H

#include <json-c/json.h>
#include <libpq-fe.h>

#include "crypto.h"
#include "db.h"
#include "launch.h"

struct req;

/* Answers the outcome of a launch: 202 with the execution of "row" (LAUNCH_OK; also
 * LAUNCH_REPLAYED, with "Idempotent-Replayed: true"), 404, 422 titled "invalid" with
 * "errors", 422 naming Idempotency-Key (LAUNCH_KEY_REUSED), 413 with "errors", 500, 503, or
 * the database error "drc". Returns what resp_* returns. */
int	executions_answer(struct req *rq, enum launch_rc lrc, enum db_rc drc,
	    json_object *errors, PGresult *row, const char *invalid);
#define EXECUTIONS_STR_(x)	#x
#define EXECUTIONS_XSTR(x)	EXECUTIONS_STR_(x)
#define EXECUTIONS_DELETE_MAX	1000	/* executions one POST /executions/delete deletes */
#define EXECUTIONS_WAIT_MAX	30	/* seconds a POST …/executions may wait for the end
					 * (under nginx's 60-s FastCGI read timeout) */

/* The trigger of a run the request starts: "api" with an API key, else "manual". */
const char	*executions_trigger(const struct req *rq);
/* Reads the request's Idempotency-Key header into "l" (none: NULL) with the fingerprint of
 * the request (SHA-256 of method, path and body, in hex) kept in "fingerprint". Returns 0,
 * or -1 after answering 422 for a key that is not 1-LAUNCH_KEY_MAX printable ASCII
 * characters. */
int	executions_idempotency(struct req *rq, struct launch *l,
	    char fingerprint[2 * CRYPTO_SHA256_LEN + 1]);

#endif
