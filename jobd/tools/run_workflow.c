/* run_workflow.c: the run_workflow tool: another workflow of the agent's owner as a child
 * execution with the model's inputs; returns {status, results, error}. */
#include "config.h"

#include <stdio.h>

#include "child.h"
#include "jsonh.h"

/* The workflow must be the agent owner's; the child belongs to that owner too. */
#define SQL_RUN_WORKFLOW \
	"INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs, " \
	"owner_id, parent_execution_id) SELECT $1::uuid, w.id, w.version, w.definition, " \
	"$3::jsonb, w.owner_id, $4::uuid FROM workflows w WHERE w.id = $2::uuid " \
	"AND w.owner_id = $5::uuid RETURNING id"

static json_object *
run_workflow_result(const char *status, json_object *results, const char *error)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "status", json_object_new_string(status));
	json_object_object_add(o, "results", jsonh_copy(results));
	json_object_object_add(o, "error", jsonh_string_or_null(error));
	return o;
}

enum tool_rc
tool_run_workflow_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	json_object	*inputs = jsonh_get_typed(t->args, "inputs", json_type_object);
	json_object	*to = jsonh_get_typed(t->args, "timeout_s", json_type_int);
	const char	*params[5];

	(void)result;
	params[0] = NULL;	/* the child's id, filled by child_start */
	params[1] = jsonh_get_string(t->args, "workflow_id");
	params[2] = inputs != NULL ? jsonh_str(inputs) : "{}";
	params[3] = t->execution_id;
	params[4] = t->owner_id;
	if (params[1] == NULL || t->owner_id == NULL) {
		snprintf(err, errlen, "\"workflow_id\" is required");
		return TOOL_ERROR;
	}
	return child_start(t, SQL_RUN_WORKFLOW, 5, params, to != NULL ?
	    (long)json_object_get_int64(to) : 0, run_workflow_result, err, errlen);
}

void
tool_run_workflow_abort(struct tool_call *t)
{
	child_abort(t);
}
