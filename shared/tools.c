/* tools.c: the tool catalogue (see tools.h). The schemas are JSON Schema 2020-12 within the
 * subset shared/jschema.c validates; tests/check_tools.c parses every one. */
#include "config.h"

#include <string.h>

#include "tools.h"

const struct tool_def tool_defs[TOOL__MAX] = {
	[TOOL_HTTP_REQUEST] = { "http_request", "HTTP request",
	    "Calls a public HTTP(S) URL and returns {status, headers, body}. Private, loopback "
	    "and link-local addresses are refused.",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"url\"],"
	    "\"properties\":{"
	    "\"method\":{\"type\":\"string\",\"enum\":[\"GET\",\"POST\",\"PUT\",\"PATCH\","
	    "\"DELETE\",\"HEAD\"],\"default\":\"GET\",\"title\":\"Method\"},"
	    "\"url\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":8192,"
	    "\"pattern\":\"^[Hh][Tt][Tt][Pp][Ss]?://\",\"title\":\"URL\"},"
	    "\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
	    "\"maxLength\":8192},\"title\":\"Headers\"},"
	    "\"body\":{\"type\":\"string\",\"maxLength\":1048576,\"title\":\"Body\"}}}" },
	[TOOL_CALCULATOR] = { "calculator", "Calculator",
	    "Evaluates an arithmetic expression (+ - * / % ^, parentheses, decimals, pi, e and "
	    "sqrt abs min max round floor ceil ln log10 exp) in double precision and returns "
	    "{result}.",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"expression\"],"
	    "\"properties\":{\"expression\":{\"type\":\"string\",\"minLength\":1,"
	    "\"maxLength\":1024,\"pattern\":\"^[-+*/%^().,0-9A-Za-z ]+$\","
	    "\"title\":\"Expression\",\"examples\":[\"(2 + 3) * 4.5\"]}}}" },
	[TOOL_JSON_QUERY] = { "json_query", "JSON query",
	    "Runs a jq program over a JSON document and returns {results}, the list of its "
	    "outputs.",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"query\","
	    "\"document\"],\"properties\":{"
	    "\"query\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,"
	    "\"title\":\"jq program\",\"examples\":[\".items | length\"]},"
	    "\"document\":{\"title\":\"JSON document\"}}}" },
	[TOOL_CURRENT_TIME] = { "current_time", "Current time",
	    "Returns the current date and time as {iso, unix, timezone} in the given IANA "
	    "time zone (UTC by default).",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
	    "\"timezone\":{\"type\":\"string\",\"maxLength\":64,"
	    "\"pattern\":\"^[A-Za-z0-9_+/-]+$\",\"default\":\"UTC\","
	    "\"title\":\"Time zone\",\"examples\":[\"Europe/Paris\"]}}}" },
	[TOOL_RUN_WORKFLOW] = { "run_workflow", "Run workflow",
	    "Starts another workflow of the same owner with the given inputs, waits for it "
	    "(up to timeout_s) and returns {status, results, error}.",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"workflow_id\"],"
	    "\"properties\":{"
	    "\"workflow_id\":{\"type\":\"string\",\"pattern\":\"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
	    "[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\",\"title\":\"Workflow id\"},"
	    "\"inputs\":{\"type\":\"object\",\"title\":\"Inputs\"},"
	    "\"timeout_s\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":3600,"
	    "\"default\":300,\"title\":\"Timeout (s)\"}}}" },
	[TOOL_ASK_AGENT] = { "ask_agent", "Ask agent",
	    "Sends a message to another agent of the same owner and returns {answer}.",
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"agent_id\","
	    "\"message\"],\"properties\":{"
	    "\"agent_id\":{\"type\":\"string\",\"pattern\":\"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-"
	    "[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\",\"title\":\"Agent id\"},"
	    "\"message\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":65536,"
	    "\"title\":\"Message\"},"
	    "\"session_id\":{\"type\":\"string\",\"maxLength\":128,\"title\":\"Session\"}}}" },
};

int
tool_lookup(const char *name, enum tool_kind *out)
{
	size_t	 i;

	for (i = 0; name != NULL && i < TOOL__MAX; i++)
		if (strcmp(tool_defs[i].name, name) == 0) {
			*out = (enum tool_kind)i;
			return 0;
		}
	return -1;
}
