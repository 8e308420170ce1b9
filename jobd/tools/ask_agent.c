/* ask_agent.c: the ask_agent tool (multi-agent teams): another agent of the same owner runs
 * on the model's message as a child chat execution (in → agent → answer, like
 * POST /agents/{id}/chat: shared/launch.c builds both, with its memory session when one is
 * given); returns {answer}. */
#include "config.h"

#include "tools.h"

TOOL_DEF(ask_agent,
	.title = "Ask agent",
	.description = "Sends a message to another agent of the same owner and returns {answer}.",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"agent_id\","
	    "\"message\"],\"properties\":{"
	    "\"agent_id\":{\"type\":\"string\",\"pattern\":\"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
	    "[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\",\"title\":\"Agent id\"},"
	    "\"message\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":65536,"
	    "\"title\":\"Message\"},"
	    "\"session_id\":{\"type\":\"string\",\"maxLength\":128,\"title\":\"Session\"}}}");

#ifdef JOBD_BUILD
#include <stdio.h>
#include <string.h>

#include "child.h"
#include "jsonh.h"

#define ASK_TIMEOUT_S	300

static json_object *
ask_agent_result(const char *status, json_object *results, const char *error)
{
	json_object	*o = jsonh_new_object();

	if (strcmp(status, "succeeded") == 0)
		json_object_object_add(o, "answer",
		    jsonh_copy(json_object_object_get(results, "answer")));
	else {
		json_object_object_add(o, "status", jsonh_new_string(status));
		json_object_object_add(o, "error", jsonh_string_or_null(error));
	}
	return o;
}

/* The agent must be the calling agent owner's; the child belongs to that owner too. */
static enum tool_rc
ask_agent_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	struct launch	 l = { .kind = LAUNCH_CHAT };

	(void)result;
	l.target_id = jsonh_get_string(t->args, "agent_id");
	l.message = jsonh_get_string(t->args, "message");
	l.session_id = jsonh_get_string(t->args, "session_id");
	if (l.target_id == NULL || l.message == NULL) {
		snprintf(err, errlen, "\"agent_id\" and \"message\" are required");
		return TOOL_ERROR;
	}
	return child_start(t, &l, ASK_TIMEOUT_S, ask_agent_result, err, errlen);
}

static void
ask_agent_abort(struct tool_call *t)
{
	child_abort(t);
}

TOOL_IMPL(ask_agent, ask_agent_run, ask_agent_abort);
#endif
