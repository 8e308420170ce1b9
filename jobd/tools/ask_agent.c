/* ask_agent.c: the ask_agent tool (multi-agent teams): another agent of the same owner runs
 * on the model's message as a child chat execution (in → agent → answer, like
 * POST /agents/{id}/chat, with its memory session when one is given); returns {answer}. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "child.h"
#include "jsonh.h"

#define ASK_TIMEOUT_S	300

/* The definition is built in SQL so that the agent id is checked as a uuid first. */
#define SQL_ASK_AGENT \
	"INSERT INTO executions (id, workflow_id, workflow_version, definition, inputs, " \
	"owner_id, kind, agent_id, session_id, parent_execution_id) " \
	"SELECT $1::uuid, NULL, 0, jsonb_build_object('nodes', jsonb_build_array(" \
	"jsonb_build_object('id', 'in', 'type', 'input', 'config', '{}'::jsonb), " \
	"jsonb_build_object('id', 'agent', 'type', 'agent', 'config', jsonb_build_object(" \
	"'agent_id', a.id, 'prompt', '{{ .input.message }}')), " \
	"jsonb_build_object('id', 'answer', 'type', 'output', 'config', " \
	"jsonb_build_object('value', '{{ .agent.output }}'))), 'edges', jsonb_build_array(" \
	"jsonb_build_object('source', 'in', 'target', 'agent'), " \
	"jsonb_build_object('source', 'agent', 'target', 'answer'))), " \
	"jsonb_build_object('message', $3::text), a.owner_id, 'chat', a.id, $4, $5::uuid " \
	"FROM agents a WHERE a.id = $2::uuid AND a.owner_id = $6::uuid RETURNING id"

static json_object *
ask_agent_result(const char *status, json_object *results, const char *error)
{
	json_object	*o = json_object_new_object();

	if (strcmp(status, "succeeded") == 0)
		json_object_object_add(o, "answer",
		    jsonh_copy(json_object_object_get(results, "answer")));
	else {
		json_object_object_add(o, "status", json_object_new_string(status));
		json_object_object_add(o, "error", jsonh_string_or_null(error));
	}
	return o;
}

enum tool_rc
tool_ask_agent_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	const char	*params[6];

	(void)result;
	params[0] = NULL;
	params[1] = jsonh_get_string(t->args, "agent_id");
	params[2] = jsonh_get_string(t->args, "message");
	params[3] = jsonh_get_string(t->args, "session_id");
	params[4] = t->execution_id;
	params[5] = t->owner_id;
	if (params[1] == NULL || params[2] == NULL || t->owner_id == NULL) {
		snprintf(err, errlen, "\"agent_id\" and \"message\" are required");
		return TOOL_ERROR;
	}
	return child_start(t, SQL_ASK_AGENT, 6, params, ASK_TIMEOUT_S, ask_agent_result, err,
	    errlen);
}

void
tool_ask_agent_abort(struct tool_call *t)
{
	child_abort(t);
}
