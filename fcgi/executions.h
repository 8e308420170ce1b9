/* executions.h: what the handlers that start executions share (executions.c, chat.c,
 * control.c): the answer to a launch (shared/launch.h). */
#ifndef FRAGENT_EXECUTIONS_H
#define FRAGENT_EXECUTIONS_H

#include <json-c/json.h>
#include <libpq-fe.h>

#include "db.h"
#include "launch.h"

struct req;

/* Answers the outcome of a launch: 202 with the execution of "row" (LAUNCH_OK), 404, 422
 * titled "invalid" with "errors", 413 with "errors", 500, 503, or the database error "drc".
 * Returns what resp_* returns. */
int	executions_answer(struct req *rq, enum launch_rc lrc, enum db_rc drc,
	    json_object *errors, PGresult *row, const char *invalid);

#endif
