/* it_agent.c: the agent runtime through the real stack (nginx, fragent-api, Redis, jobd,
 * PostgreSQL) against tests/llmsrv, the scripted LLM vendor started here on a free port:
 * POST /agents/{id}/chat with a ReAct round trip (tokens as node.token events in order,
 * usage and transcript on the step), buffer memory across two executions of one session,
 * the agent node in a workflow, max_iterations, output_schema, a tool error handed to the
 * model, cancellation during a streamed answer,
 * ask_agent (a helper agent as a child chat) and run_workflow (a child workflow run), and
 * the credential's secret found at the vendor and nowhere else (answers, events, logs). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"

#include "buf.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "llmsrv_ctl.h"

#define SECRET	"sk-it-SECRET-7f3a9c21"

static struct llmsrv	 srv;
static char		 cred_id[UUID_STRLEN + 1];

/* Creates an agent of "model" (a scenario) with extra configuration members "extra". */
static void
make_agent(const char *model, const char *extra, char id[UUID_STRLEN + 1])
{
	it_create("/api/v1/agents", eng_fmt("{\"name\":\"it-%s\",\"configuration\":{\"provider\":"
	    "\"openai\",\"base_url\":\"%s/v1\",\"model\":\"%s\",\"credential_id\":\"%s\"%s}}",
	    model, srv.base, model, cred_id, extra), it_token(), id);
}

/* Chats with agent "agent" and copies the execution id; returns the answer (caller puts). */
static json_object *
chat(const char *agent, const char *body, char exec[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	json_object		*o;
	char			 path[128];

	/* "body" may live in eng_fmt's buffer: the path is built apart. */
	snprintf(path, sizeof(path), "/api/v1/agents/%s/chat", agent);
	ck_assert_int_eq(it_req("POST", path, body, it_token(), &r), 202);
	/* A chat is an execution of kind "chat" tied to the agent, with no workflow. */
	ck_assert_str_eq(jsonh_get_string(r.json, "kind"), "chat");
	ck_assert_str_eq(jsonh_get_string(r.json, "agent_id"), agent);
	ck_assert(json_object_is_type(json_object_object_get(r.json, "workflow_id"),
	    json_type_null));
	snprintf(exec, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	o = json_object_get(r.json);
	http_resp_clear(&r);
	return o;
}

static json_object *
wait_end(const char *exec, const char *status)
{
	json_object	*ex = eng_wait(exec, NULL, 30000);

	ck_assert_msg(ex != NULL, "execution %s did not end", exec);
	ck_assert_msg(strcmp(jsonh_get_string(ex, "status"), status) == 0, "want %s: %s",
	    status, jsonh_str(ex));
	return ex;
}

/* The concatenated text of the node.token events of "exec" (replayed from the stream),
 * and the whole event stream in "all". */
static void
token_text(const char *exec, struct buf *text, struct buf *all)
{
	struct http_resp	 r;
	const char		*p, *e;
	json_object		*d;
	char			 err[64];

	ck_assert_int_eq(http_sse(eng_fmt("/api/v1/executions/%s/events", exec), NULL, 10, &r),
	    0);
	buf_append(all, r.body.data, r.body.len);
	for (p = r.body.data; p != NULL && (p = strstr(p, "event: node.token\n")) != NULL;
	    p = e) {
		p = strstr(p, "data: ") + 6;
		e = strchr(p, '\n');
		d = NULL;
		ck_assert_int_eq(jsonh_parse(p, (size_t)(e - p), &d, err, sizeof(err)), 0);
		ck_assert_str_eq(jsonh_get_string(d, "node_id"), "agent");
		buf_puts(text, jsonh_get_string(d, "text"));
		json_object_put(d);
	}
	http_resp_clear(&r);
}

/* True when a file of the stack's log folder contains "needle". */
static int
logs_contain(const char *needle)
{
	const char	*state = getenv("FRAGENT_TEST_STATE_DIR");
	char		 dir[1024], path[2048], line[8192];
	struct dirent	*de;
	DIR		*d;
	FILE		*f;
	int		 found = 0;

	ck_assert_ptr_nonnull(state);
	snprintf(dir, sizeof(dir), "%s/log", state);
	ck_assert_ptr_nonnull(d = opendir(dir));
	while (!found && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (!found && fgets(line, sizeof(line), f) != NULL)
			found = strstr(line, needle) != NULL;
		fclose(f);
	}
	closedir(d);
	return found;
}

START_TEST(test_chat_react)
{
	char		 agent[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	json_object	*ans, *ex, *st, *u, *reqs;
	struct buf	 text, all;
	struct http_resp r;

	llmsrv_reset(&srv);
	make_agent("react", ",\"tools\":[\"calculator\",\"current_time\"],\"max_iterations\":5",
	    agent);
	ans = chat(agent, "{\"message\":\"What is 6*7, and what time is it in Paris?\"}", exec);
	ck_assert_str_eq(jsonh_get_string(ans, "kind"), "chat");
	ck_assert_ptr_nonnull(jsonh_get_string(ans, "session_id"));
	json_object_put(ans);
	ex = wait_end(exec, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "answer"),
	    "The answer is 42.");
	st = eng_step(ex, "agent");
	ck_assert_ptr_nonnull(st);
	u = json_object_object_get(st, "usage");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(u, "prompt_tokens")), 140);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(u, "completion_tokens")), 27);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(u, "tool_calls")), 2);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(u, "transcript")), 5);
	buf_init(&text);
	buf_init(&all);
	token_text(exec, &text, &all);
	ck_assert_str_eq(text.data, "I will compute and check the time.The answer is 42.");
	/* The secret reached the vendor, and nothing else. */
	reqs = llmsrv_requests(&srv, "react");
	ck_assert_uint_eq(json_object_array_length(reqs), 2);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(reqs, 0), "authorization"),
	    "Bearer " SECRET);
	json_object_put(reqs);
	ck_assert(strstr(jsonh_str(ex), "SECRET") == NULL);
	ck_assert(strstr(all.data, "SECRET") == NULL);
	ck_assert_int_eq(it_req("GET", eng_fmt("/api/v1/credentials/%s", cred_id), NULL,
	    it_token(), &r), 200);
	ck_assert(strstr(r.body.data, "SECRET") == NULL);
	http_resp_clear(&r);
	ck_assert_int_eq(logs_contain("SECRET"), 0);
	buf_clear(&text);
	buf_clear(&all);
	json_object_put(ex);
}
END_TEST

/* Two chats of one session: the second request carries the first exchange. */
START_TEST(test_buffer_memory)
{
	char		 agent[UUID_STRLEN + 1], exec[UUID_STRLEN + 1], session[64];
	json_object	*ex, *reqs, *msgs;
	const char	*s;

	llmsrv_reset(&srv);
	make_agent("memory", ",\"memory\":{\"type\":\"buffer\",\"window\":10}", agent);
	snprintf(session, sizeof(session), "it-%ld", eng_now_ms());
	json_object_put(chat(agent, eng_fmt("{\"message\":\"I am Ada.\",\"session_id\":\"%s\"}",
	    session), exec));
	json_object_put(wait_end(exec, "succeeded"));
	json_object_put(chat(agent, eng_fmt("{\"message\":\"What is my name?\","
	    "\"session_id\":\"%s\"}", session), exec));
	ex = wait_end(exec, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "answer"),
	    "Your name is Ada.");
	reqs = llmsrv_requests(&srv, "memory");
	ck_assert_uint_eq(json_object_array_length(reqs), 2);
	msgs = json_object_object_get(json_object_object_get(json_object_array_get_idx(reqs, 1),
	    "body"), "messages");
	ck_assert_uint_eq(json_object_array_length(msgs), 3);
	s = jsonh_str(msgs);
	ck_assert(strstr(s, "I am Ada.") < strstr(s, "Nice to meet you, Ada."));
	ck_assert(strstr(s, "Nice to meet you, Ada.") < strstr(s, "What is my name?"));
	json_object_put(reqs);
	json_object_put(ex);
}
END_TEST

/* The agent node inside a workflow, with its prompt rendered from the context. */
START_TEST(test_workflow_node)
{
	char		 agent[UUID_STRLEN + 1];
	json_object	*ex, *reqs, *m;

	llmsrv_reset(&srv);
	make_agent("echo", "", agent);
	ex = eng_run(eng_fmt("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"agent\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\",\"prompt\":"
	    "\"Greet {{ .in.name }}\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":"
	    "{\"value\":\"{{ .agent.output }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":"
	    "\"agent\"},{\"source\":\"agent\",\"target\":\"out\"}]}", agent), "{\"name\":\"Bob\"}",
	    "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "out"),
	    "Hello from the scripted model.");
	reqs = llmsrv_requests(&srv, "echo");
	m = json_object_array_get_idx(json_object_object_get(json_object_object_get(
	    json_object_array_get_idx(reqs, 0), "body"), "messages"), 0);
	ck_assert_str_eq(jsonh_get_string(m, "content"), "Greet Bob");
	json_object_put(reqs);
	json_object_put(ex);
}
END_TEST

START_TEST(test_max_iterations)
{
	char		 agent[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	json_object	*ex, *st;

	llmsrv_reset(&srv);
	make_agent("max_iter", ",\"tools\":[\"calculator\"],\"max_iterations\":2", agent);
	json_object_put(chat(agent, "{\"message\":\"loop\"}", exec));
	ex = wait_end(exec, "failed");
	st = eng_step(ex, "agent");
	ck_assert_msg(strstr(jsonh_get_string(st, "error"),
	    "the agent reached max_iterations (2) without a final answer") != NULL, "%s",
	    jsonh_str(st));
	json_object_put(ex);
}
END_TEST

/* Cancelling while the answer streams aborts the vendor request. */
START_TEST(test_cancel_streaming)
{
	char		 agent[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	json_object	*ex, *reqs;
	struct buf	 text, all;

	llmsrv_reset(&srv);
	make_agent("slow_stream", "", agent);
	json_object_put(chat(agent, "{\"message\":\"talk slowly\"}", exec));
	json_object_put(eng_wait(exec, "running", 10000));
	usleep(700000);
	ck_assert_int_eq(it_status("POST", eng_fmt("/api/v1/executions/%s/cancel", exec), NULL,
	    it_token()), 202);
	ex = wait_end(exec, "cancelled");
	usleep(300000);
	reqs = llmsrv_requests(&srv, "slow_stream");
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_array_get_idx(reqs,
	    0), "client_closed")));
	buf_init(&text);
	buf_init(&all);
	token_text(exec, &text, &all);
	ck_assert_uint_gt(text.len, 0);		/* some tokens streamed before the cancel */
	ck_assert_uint_lt(text.len, 60);
	buf_clear(&text);
	buf_clear(&all);
	json_object_put(reqs);
	json_object_put(ex);
}
END_TEST

/* Multi-agent: the lead asks a helper agent (a child chat execution) and gets its answer. */
START_TEST(test_ask_agent)
{
	char		 helper[UUID_STRLEN + 1], lead[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	char		 script[1024];
	json_object	*ex, *tr;
	const char	*tool;

	llmsrv_reset(&srv);
	make_agent("echo", "", helper);
	snprintf(script, sizeof(script), "{\"select\":\"turn\",\"responses\":["
	    "{\"tool_calls\":[{\"id\":\"c1\",\"name\":\"ask_agent\",\"arguments\":"
	    "{\"agent_id\":\"%s\",\"message\":\"Say hello\"}}]},"
	    "{\"text\":\"The helper greeted us.\"}]}", helper);
	ck_assert_int_eq(llmsrv_upload(&srv, "team_lead", script), 0);
	make_agent("team_lead", ",\"tools\":[\"ask_agent\"]", lead);
	json_object_put(chat(lead, "{\"message\":\"Ask the helper to greet.\"}", exec));
	ex = wait_end(exec, "succeeded");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(ex, "results"), "answer"),
	    "The helper greeted us.");
	tr = json_object_object_get(json_object_object_get(eng_step(ex, "agent"), "usage"),
	    "transcript");
	tool = jsonh_get_string(json_object_array_get_idx(tr, 2), "content");
	ck_assert_msg(strstr(tool, "Hello from the scripted model.") != NULL, "%s", tool);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE "
	    "parent_execution_id = $$%s$$::uuid AND agent_id = $$%s$$::uuid AND "
	    "status = $$succeeded$$", exec, helper)), "1");
	json_object_put(ex);
}
END_TEST

/* Has the scripted model of agent "name" call run_workflow once on a new workflow "def" with
 * "inputs" (JSON), then answer; waits for the chat to succeed. Returns the tool's result as
 * the model saw it (a new string) and the chat's id in "exec". */
static char *
run_workflow_tool(const char *name, const char *def, const char *inputs,
    char exec[UUID_STRLEN + 1])
{
	char		 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], script[2048];
	json_object	*ex, *tr;
	char		*tool;

	llmsrv_reset(&srv);
	eng_workflow(def, wf);
	snprintf(script, sizeof(script), "{\"select\":\"turn\",\"responses\":["
	    "{\"tool_calls\":[{\"id\":\"c1\",\"name\":\"run_workflow\",\"arguments\":"
	    "{\"workflow_id\":\"%s\",\"inputs\":%s,\"timeout_s\":30}}]},"
	    "{\"text\":\"Done.\"}]}", wf, inputs);
	ck_assert_int_eq(llmsrv_upload(&srv, name, script), 0);
	make_agent(name, ",\"tools\":[\"run_workflow\"]", agent);
	json_object_put(chat(agent, "{\"message\":\"Run it.\"}", exec));
	ex = wait_end(exec, "succeeded");
	tr = json_object_object_get(json_object_object_get(eng_step(ex, "agent"), "usage"),
	    "transcript");
	tool = strdup(jsonh_get_string(json_object_array_get_idx(tr, 2), "content"));
	json_object_put(ex);
	return tool;
}

/* A workflow as a tool: a child execution whose results come back to the model. */
START_TEST(test_run_workflow)
{
	char	 exec[UUID_STRLEN + 1], *tool;

	tool = run_workflow_tool("wf_runner", "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":"
	    "\"x={{ .in.x }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"out\"}]}",
	    "{\"x\":42}", exec);
	ck_assert_msg(strstr(tool, "\"status\":\"succeeded\"") != NULL &&
	    strstr(tool, "x=42") != NULL, "%s", tool);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE "
	    "parent_execution_id = $$%s$$::uuid", exec)), "1");
	free(tool);
}
END_TEST

/* run_workflow starts its child like the API does (shared/launch.c): inputs that do not match
 * the child's input node are refused with the field named, and nothing is stored. */
START_TEST(test_run_workflow_checks_inputs)
{
	char	 exec[UUID_STRLEN + 1], *tool;

	tool = run_workflow_tool("wf_checked", "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{\"schema\":{\"type\":\"object\",\"required\":[\"x\"],"
	    "\"properties\":{\"x\":{\"type\":\"integer\"}}}}},{\"id\":\"out\",\"type\":"
	    "\"output\",\"config\":{\"value\":\"{{ .in.x }}\"}}],\"edges\":[{\"source\":"
	    "\"in\",\"target\":\"out\"}]}", "{\"x\":\"not a number\"}", exec);
	ck_assert_msg(strstr(tool, "invalid: inputs.x") != NULL, "%s", tool);
	ck_assert_str_eq(it_sql(eng_fmt("SELECT count(*) FROM executions WHERE "
	    "parent_execution_id = $$%s$$::uuid", exec)), "0");
	free(tool);
}
END_TEST

/* output_schema through the stack: a valid JSON answer is the output; an invalid one fails
 * the step after one repair round. */
START_TEST(test_output_schema)
{
	char		 ok[UUID_STRLEN + 1], bad[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	const char	*schema = ",\"output_schema\":{\"type\":\"object\",\"required\":"
			    "[\"answer\"],\"properties\":{\"answer\":{\"type\":\"integer\"}}}";
	json_object	*ex, *res;

	llmsrv_reset(&srv);
	make_agent("schema_ok", schema, ok);
	json_object_put(chat(ok, "{\"message\":\"answer\"}", exec));
	ex = wait_end(exec, "succeeded");
	res = json_object_object_get(json_object_object_get(ex, "results"), "answer");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(res, "answer")), 42);
	json_object_put(ex);
	make_agent("schema_bad", schema, bad);
	json_object_put(chat(bad, "{\"message\":\"answer\"}", exec));
	ex = wait_end(exec, "failed");
	ck_assert(strstr(jsonh_get_string(eng_step(ex, "agent"), "error"),
	    "does not match output_schema after one repair attempt") != NULL);
	json_object_put(ex);
}
END_TEST

/* A failing tool is the model's business: the run still succeeds. */
START_TEST(test_tool_error)
{
	char		 agent[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	json_object	*ex, *tr, *m;

	llmsrv_reset(&srv);
	make_agent("tool_error", ",\"tools\":[\"calculator\"]", agent);
	json_object_put(chat(agent, "{\"message\":\"1/0?\"}", exec));
	ex = wait_end(exec, "succeeded");
	tr = json_object_object_get(json_object_object_get(eng_step(ex, "agent"), "usage"),
	    "transcript");
	m = json_object_array_get_idx(tr, 2);
	ck_assert(json_object_get_boolean(json_object_object_get(m, "is_error")));
	ck_assert(strstr(jsonh_get_string(m, "content"), "division by zero") != NULL);
	json_object_put(ex);
}
END_TEST

/* A workflow running agent "agent" once, with the run budget "budget" (JSON members). */
#define BUDGET_WF "{\"budget\":{%s},\"nodes\":[{\"id\":\"in\",\"type\":\"input\"," \
	"\"config\":{}},{\"id\":\"agent\",\"type\":\"agent\",\"config\":{\"agent_id\":\"%s\"," \
	"\"prompt\":\"loop\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"{{ .agent.output }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"agent\"}," \
	"{\"source\":\"agent\",\"target\":\"out\"}]}"

/* Runs BUDGET_WF with "budget" over agent "agent" (its retries must not matter), expects it
 * failed with "want" in its error after exactly "calls" model calls; copies the execution's
 * id into "id" (may be NULL). */
static void
budget_run(const char *budget, const char *agent, const char *want, int calls,
    char id[UUID_STRLEN + 1])
{
	json_object	*ex, *reqs;
	const char	*err;
	char		 def[2048];

	llmsrv_reset(&srv);
	snprintf(def, sizeof(def), BUDGET_WF, budget, agent);
	ex = eng_run(def, NULL, "failed");
	err = jsonh_get_string(ex, "error");
	ck_assert_msg(err != NULL && strstr(err, want) != NULL, "want \"%s\": %s", want,
	    jsonh_str(ex));
	ck_assert_int_eq(eng_steps(ex, "agent", "failed"), 1);
	if (id != NULL)
		snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(ex, "id"));
	reqs = llmsrv_requests(&srv, "budget_loop");
	ck_assert_int_eq((int)json_object_array_length(reqs), calls);
	json_object_put(reqs);
	json_object_put(ex);
}

/* A looping agent (a tool call every turn, 500 tokens a call) under a token budget of 1,300:
 * the third call, which would pass it, is never sent, whatever the node's retries; the run
 * fails naming the limit, and its usage went out live. */
START_TEST(test_budget_tokens)
{
	char		 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], exec[UUID_STRLEN + 1];
	struct http_resp r;
	json_object	*ex;

	make_agent("budget_loop", ",\"tools\":[\"calculator\"],\"max_iterations\":20", agent);
	budget_run("\"max_tokens\":1300", agent, "budget exceeded: the next model call (about "
	    "500 tokens) would pass the run's limit of 1300 tokens (1000 used)", 2, exec);
	/* a retry goes on from what the run used: one more call fits (1,000 + its estimate of
	 * the first prompt, about 200), the next does not */
	llmsrv_reset(&srv);
	ck_assert_int_eq(it_status("POST", eng_fmt("/api/v1/executions/%s/retry", exec), NULL,
	    it_token()), 202);
	ex = eng_wait(exec, "failed", 30000);
	ck_assert_msg(ex != NULL && strstr(jsonh_get_string(ex, "error"), "(1500 used)") != NULL,
	    "%s", ex != NULL ? jsonh_str(ex) : "no end");
	json_object_put(ex);
	{
		json_object *reqs = llmsrv_requests(&srv, "budget_loop");

		ck_assert_int_eq((int)json_object_array_length(reqs), 1);
		json_object_put(reqs);
	}
	/* the run's usage went out as execution.usage events */
	llmsrv_reset(&srv);
	eng_workflow(eng_fmt(BUDGET_WF, "\"max_tokens\":1200", agent), wf);
	eng_start(wf, NULL, exec);
	ex = eng_wait(exec, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	json_object_put(ex);
	ck_assert_int_eq(http_sse(eng_fmt("/api/v1/executions/%s/events", exec), NULL, 10, &r),
	    0);
	ck_assert_msg(strstr(r.body.data, "event: execution.usage\n") != NULL &&
	    strstr(r.body.data, "\"tokens\":1000") != NULL &&
	    strstr(r.body.data, "\"max_tokens\":1200") != NULL, "%s", r.body.data);
	http_resp_clear(&r);
	/* the agent's own budget, the same way */
	make_agent("budget_loop", ",\"tools\":[\"calculator\"],\"max_iterations\":20,"
	    "\"budget\":{\"max_tokens\":700}", agent);
	budget_run("\"max_steps\":10", agent, "would pass the agent's limit of 700 tokens "
	    "(500 used)", 1, NULL);
}
END_TEST

/* Cost budgets need the model's price; with one, the call that would pass is not made. */
START_TEST(test_budget_cost)
{
	char	 agent[UUID_STRLEN + 1];

	make_agent("budget_loop", ",\"tools\":[\"calculator\"],\"max_iterations\":20", agent);
	ck_assert_int_eq(it_status("PUT", "/api/v1/settings/model-prices", "{\"items\":[]}",
	    it_token()), 200);
	budget_run("\"max_cost_usd\":1", agent, "cost limit needs the model's price", 0, NULL);
	/* $1 and $2 per million: 0.0006 a call, so the third passes 0.0015 */
	ck_assert_int_eq(it_status("PUT", "/api/v1/settings/model-prices", "{\"items\":[{"
	    "\"model\":\"budget_loop\",\"prompt_per_mtok\":1,\"completion_per_mtok\":2}]}",
	    it_token()), 200);
	budget_run("\"max_cost_usd\":0.0015", agent, "would pass the run's limit of $0.001500 "
	    "($0.001200 used)", 2, NULL);
	ck_assert_int_eq(it_status("PUT", "/api/v1/settings/model-prices", "{\"items\":[]}",
	    it_token()), 200);
}
END_TEST

/* Steps and wall time, without a model; budgets refused when malformed, naming the field. */
START_TEST(test_budget_steps_time)
{
	json_object	*ex;
	struct http_resp r;
	long		 t0;

	ex = eng_run("{\"budget\":{\"max_steps\":2},\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}},{\"id\":\"a\",\"type\":\"template\",\"config\":{\"template\":\"x\"}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"y\"}}],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"a\"},{\"source\":\"a\",\"target\":\"out\"}]}", NULL,
	    "failed");
	ck_assert_msg(strstr(jsonh_get_string(ex, "error"), "the run's limit of 2 steps is spent")
	    != NULL, "%s", jsonh_str(ex));
	ck_assert_int_eq(eng_steps(ex, "out", NULL), 0);
	json_object_put(ex);
	t0 = eng_now_ms();
	ex = eng_run("{\"budget\":{\"max_duration_ms\":600},\"nodes\":[{\"id\":\"in\",\"type\":"
	    "\"input\",\"config\":{}},{\"id\":\"wait\",\"type\":\"delay\",\"config\":{\"ms\":"
	    "20000}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"y\"}}],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"wait\"},{\"source\":\"wait\",\"target\":\"out\"}]}",
	    NULL, "failed");
	ck_assert_msg(strstr(jsonh_get_string(ex, "error"), "limit of 600 ms of wall time") !=
	    NULL, "%s", jsonh_str(ex));
	ck_assert_msg(eng_now_ms() - t0 < 15000, "the delay was not stopped");
	json_object_put(ex);
	it_req("POST", "/api/v1/workflows", "{\"name\":\"b\",\"definition\":{\"budget\":{"
	    "\"max_tokens\":0},\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"y\"}}],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"out\"}]}}", it_token(), &r);
	it_assert_problem_at(&r, 422, "definition.budget.max_tokens");
	http_resp_clear(&r);
	it_req("POST", "/api/v1/workflows", "{\"name\":\"b\",\"definition\":{\"budget\":{"
	    "\"tokens\":5},\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
	    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"y\"}}],\"edges\":["
	    "{\"source\":\"in\",\"target\":\"out\"}]}}", it_token(), &r);
	ck_assert_int_eq(r.status, 422);
	http_resp_clear(&r);
	it_req("POST", "/api/v1/agents", "{\"name\":\"b\",\"configuration\":{\"provider\":"
	    "\"openai\",\"model\":\"m\",\"budget\":{\"max_cost_usd\":-1}}}", it_token(), &r);
	it_assert_problem_at(&r, 422, "configuration.budget.max_cost_usd");
	http_resp_clear(&r);
}
END_TEST

static void
setup(void)
{
	ck_assert_int_eq(llmsrv_start(&srv), 0);
	it_create("/api/v1/credentials", "{\"name\":\"it-llm\",\"provider\":\"openai\","
	    "\"secret\":\"" SECRET "\"}", it_token(), cred_id);
}

static void
teardown(void)
{
	llmsrv_stop(&srv);
}

int
main(void)
{
	Suite	*s = suite_create("agent");
	TCase	*tc = tcase_create("agent");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_agent: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chat_react);
	tcase_add_test(tc, test_buffer_memory);
	tcase_add_test(tc, test_workflow_node);
	tcase_add_test(tc, test_max_iterations);
	tcase_add_test(tc, test_cancel_streaming);
	tcase_add_test(tc, test_ask_agent);
	tcase_add_test(tc, test_run_workflow);
	tcase_add_test(tc, test_run_workflow_checks_inputs);
	tcase_add_test(tc, test_output_schema);
	tcase_add_test(tc, test_tool_error);
	tcase_add_test(tc, test_budget_tokens);
	tcase_add_test(tc, test_budget_cost);
	tcase_add_test(tc, test_budget_steps_time);
	suite_add_tcase(s, tc);
	return check_run(s);
}
