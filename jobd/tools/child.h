/* child.h: child executions started by a tool (run_workflow, ask_agent): started through
 * jobd/childrun.c with the calling execution as parent, watched until they end, cancelled
 * with the caller. */
#ifndef FRAGENT_CHILD_H
#define FRAGENT_CHILD_H

#include <json-c/json.h>

#include "launch.h"
#include "tool.h"

/* Makes the tool's result from the child's final "status", "results" (borrowed, may be
 * NULL) and "error" (may be NULL). Returns a new reference. */
typedef json_object *(*child_result_fn)(const char *status, json_object *results,
	    const char *error);

/* Starts "l" (its scope and parent are set here: the caller's owner and execution) and waits
 * at most "timeout_s" seconds (0: 300) on the loop for it to end. Returns TOOL_PENDING
 * (t->done is then called with shape's result), or TOOL_ERROR with "err". */
enum tool_rc	child_start(struct tool_call *t, struct launch *l, long timeout_s,
		    child_result_fn shape, char *err, size_t errlen);
/* Stops waiting and cancels the child (row and running jobd). */
void		child_abort(struct tool_call *t);

#endif
