/* run_workflow.c: the run_workflow tool: another workflow of the agent's owner as a child
 * execution with the model's inputs; returns {status, results, error}. */
#include "config.h"

#include "tools.h"

TOOL_DEF(run_workflow,
	.title = "Run workflow",
	.description = "Starts another workflow of the same owner with the given inputs, "
	    "waits for it (up to timeout_s) and returns {status, results, error}.",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"workflow_id\"],"
	    "\"properties\":{"
	    "\"workflow_id\":{\"type\":\"string\",\"pattern\":\"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
	    "[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\",\"title\":\"Workflow id\"},"
	    "\"inputs\":{\"type\":\"object\",\"title\":\"Inputs\"},"
	    "\"timeout_s\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3600,"
	    "\"default\":300,\"title\":\"Timeout (s)\"}}}");

#ifdef JOBD_BUILD
#include <stdio.h>

#include "child.h"
#include "jsonh.h"

static json_object *
run_workflow_result(const char *status, json_object *results, const char *error)
{
	json_object	*o = jsonh_new_object();

	json_object_object_add(o, "status", jsonh_new_string(status));
	json_object_object_add(o, "results", jsonh_copy(results));
	json_object_object_add(o, "error", jsonh_string_or_null(error));
	return o;
}

/* The workflow must be the agent owner's; the child belongs to that owner too. */
static enum tool_rc
run_workflow_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	json_object	*to = jsonh_get_typed(t->args, "timeout_s", json_type_int);
	struct launch	 l = { .kind = LAUNCH_WORKFLOW };

	(void)result;
	l.target_id = jsonh_get_string(t->args, "workflow_id");
	l.inputs = jsonh_get_typed(t->args, "inputs", json_type_object);
	if (l.target_id == NULL) {
		snprintf(err, errlen, "\"workflow_id\" is required");
		return TOOL_ERROR;
	}
	return child_start(t, &l, to != NULL ? (long)json_object_get_int64(to) : 0,
	    run_workflow_result, err, errlen);
}

static void
run_workflow_abort(struct tool_call *t)
{
	child_abort(t);
}

TOOL_IMPL(run_workflow, run_workflow_run, run_workflow_abort);
#endif
