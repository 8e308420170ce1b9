/* child.h: child executions started by a tool (run_workflow, ask_agent): inserted with the
 * calling execution as parent, queued, polled until they end, cancelled with the caller. */
#ifndef FRAGENT_CHILD_H
#define FRAGENT_CHILD_H

#include <json-c/json.h>

#include "tool.h"

/* Makes the tool's result from the child's final "status", "results" (borrowed, may be
 * NULL) and "error" (may be NULL). Returns a new reference. */
typedef json_object *(*child_result_fn)(const char *status, json_object *results,
	    const char *error);

/* Inserts the child with "insert_sql" (which must RETURN a row, and match nothing when the
 * target is not the caller's), "n" parameters "params" of which params[0] is filled with the
 * new execution id; queues it and waits at most "timeout_s" seconds (0: 300) on the loop.
 * Returns TOOL_PENDING (t->done is called with shape's result), or TOOL_ERROR with "err". */
enum tool_rc	child_start(struct tool_call *t, const char *insert_sql, int n,
		    const char **params, long timeout_s, child_result_fn shape, char *err,
		    size_t errlen);
/* Stops waiting and cancels the child (row and running jobd). */
void		child_abort(struct tool_call *t);

#endif
