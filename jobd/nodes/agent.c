/* agent.c: the agent node type: loads the agent (one the execution's owner may use),
 * renders the node's prompt over the context in the sandbox, opens its credential, loads its
 * buffer memory and runs the reasoning loop (jobd/agent.c) on the worker's loop; streamed
 * text goes out as node.token events (batched every 50 ms); at the end the step's usage
 * (tokens, model, latency, the whole transcript) is recorded and the turn appended to
 * memory. Its output is the answer: text, or JSON when the agent has an output_schema. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(agent,
	.title = "Agent",
	.description = "Runs an agent (LLM, system prompt, tools, memory) on `prompt`, a "
	    "template over the context; its output is the final answer (JSON with an "
	    "output_schema). Tokens stream as node.token events.",
	.category = "ai",
	.config_schema = WF_SCHEMA("\"agent_id\":" WF_UUID_STR("Agent") ","
	    "\"prompt\":" WF_TEMPLATE_STR("Prompt (template)") ","
	    "\"session_id\":{\"type\":\"string\",\"maxLength\":1024,"
	    "\"title\":\"Memory session (template)\"},",
	    ",\"required\":[\"agent_id\",\"prompt\"]"),
	.outputs = WF_OUT_DEFAULT,
	.network = true,
	.templates = WF_NAMES("prompt", "session_id"));

#ifdef JOBD_BUILD
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "credential.h"
#include "db.h"
#include "events.h"
#include "jsonh.h"
#include "log.h"
#include "memory.h"
#include "node.h"
#include "sandbox.h"
#include "tape.h"
#include "uuid.h"
#include "xalloc.h"

#define AGENT_DEFAULT_WINDOW	20

/* The agent, when the execution's owner may use it (own agent, or an admin's run), and its
 * model's prices (for the cost budgets) when it has one. */
#define SQL_AGENT_FOR_RUN \
	"SELECT a.owner_id::text, a.configuration, e.session_id, p.prompt_per_mtok, " \
	"p.completion_per_mtok FROM agents a " \
	"JOIN executions e ON e.id = $2::uuid " \
	"LEFT JOIN model_prices p ON p.model = a.configuration->>'model' " \
	"WHERE a.id = $1::uuid AND (a.owner_id = e.owner_id " \
	"OR EXISTS (SELECT 1 FROM users u WHERE u.id = e.owner_id AND u.role = 'admin'))"
#define SQL_STEP_USAGE \
	"UPDATE execution_steps SET usage = $3::jsonb WHERE execution_id = $1::uuid " \
	"AND node_id = $2 AND status = 'running'"

struct agent_node {
	struct node_call	*c;
	struct sandbox_req	*req;		/* rendering the prompt (and session) */
	struct agent_run	*run;
	json_object		*cfg;		/* the agent's configuration */
	char			 agent_id[UUID_STRLEN + 1];
	char			 owner_id[UUID_STRLEN + 1];
	bool			 priced;	/* the model has prices (USD per million tokens) */
	double			 price_prompt, price_completion;
	char			 session[130];
	int			 window;	/* buffer memory: messages kept; 0: none */
	char			*prompt;
};

static void
agent_node_free(struct agent_node *a)
{
	if (a == NULL)
		return;
	sandbox_cancel(a->req);
	agent_cancel(a->run);
	json_object_put(a->cfg);
	free(a->prompt);
	free(a);
}

/* Publishes a batch of streamed text as a node.token event. */
static void
agent_node_tokens(void *arg, const char *text, size_t len)
{
	struct agent_node	*a = arg;
	json_object		*f;

	if (a->c->env->redis == NULL || a->c->execution_id == NULL)
		return;
	f = jsonh_new_object();
	json_object_object_add(f, "node_id", jsonh_new_string(a->c->node->id));
	json_object_object_add(f, "text", jsonh_new_string_len(text, (int)len));
	(void)events_publish(a->c->env->redis, a->c->execution_id, EV_NODE_TOKEN, f);
	json_object_put(f);
}

/* Records usage + transcript on the running step row and the turn in memory. */
static void
agent_node_record(struct agent_node *a, struct agent_result *res)
{
	struct node_call	*c = a->c;
	json_object		*turn, *m, *last;
	char			 err[160];
	size_t			 n;

	json_object_object_add(res->usage, "transcript", json_object_get(res->transcript));
	if (c->execution_id != NULL && db_exec(c->env->db, SQL_STEP_USAGE, 3,
	    (const char *[]){ c->execution_id, c->node->id, jsonh_str(res->usage) }, NULL) !=
	    DB_OK)
		log_warn(LOG_IDS(NULL, c->execution_id), "node %s: cannot record the usage",
		    c->node->id);
	/* A replay leaves memory as it is: it replays what the original read. */
	if (a->window == 0 || res->output == NULL || c->execution_id == NULL ||
	    (c->tape != NULL && c->tape->replaying))
		return;
	/* The turn kept: the user's message and the final answer. */
	turn = jsonh_new_array();
	json_object_array_add(turn, json_object_get(json_object_array_get_idx(res->transcript,
	    0)));
	n = json_object_array_length(res->transcript);
	last = json_object_array_get_idx(res->transcript, n - 1);
	if (n > 1 && jsonh_get_string(last, "content") != NULL) {
		m = jsonh_new_object();
		json_object_object_add(m, "role", jsonh_new_string("assistant"));
		json_object_object_add(m, "content",
		    jsonh_new_string(jsonh_get_string(last, "content")));
		json_object_array_add(turn, m);
	}
	if (memory_save(c->env->db, a->agent_id, a->session, c->execution_id, c->node->id, turn,
	    err, sizeof(err)) == -1)
		log_warn(LOG_IDS(NULL, c->execution_id), "node %s: %s", c->node->id, err);
	json_object_put(turn);
}

static void
agent_node_done(void *arg, struct agent_result *res, const char *err)
{
	struct agent_node	*a = arg;
	struct node_call	*c = a->c;
	json_object		*out = res->output;

	a->run = NULL;		/* the run frees itself after this callback */
	agent_node_record(a, res);
	res->output = NULL;
	agent_result_clear(res);
	c->priv = NULL;
	agent_node_free(a);
	c->done(c, err == NULL ? out : NULL, err);
	if (err != NULL)
		json_object_put(out);
}

/* Loads the agent row. Returns its configuration (a new reference) or NULL with "err". */
static json_object *
agent_node_load(struct agent_node *a, char *err, size_t errlen)
{
	PGresult	*res = NULL;
	json_object	*cfg = NULL;
	const char	*s;

	switch (db_row(a->c->env->db, SQL_AGENT_FOR_RUN, 2,
	    (const char *[]){ a->agent_id, a->c->execution_id }, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
	case DB_INVALID:
		snprintf(err, errlen, "agent %s not found", a->agent_id);
		return NULL;
	default:
		snprintf(err, errlen, "cannot read agent %s", a->agent_id);
		return NULL;
	}
	snprintf(a->owner_id, sizeof(a->owner_id), "%s", PQgetvalue(res, 0, 0));
	cfg = db_json(res, 0, 1);
	if ((s = db_text(res, 0, 2)) != NULL)
		snprintf(a->session, sizeof(a->session), "%s", s);
	if ((a->priced = db_text(res, 0, 3) != NULL && db_text(res, 0, 4) != NULL)) {
		a->price_prompt = strtod(db_text(res, 0, 3), NULL);
		a->price_completion = strtod(db_text(res, 0, 4), NULL);
	}
	PQclear(res);
	return cfg;
}

/* Takes the rendered prompt and session id (a template overriding the execution's) from
 * the sandbox's results "res". */
static void
agent_node_rendered(struct agent_node *a, json_object *res)
{
	json_object	*v = json_object_array_get_idx(res, 0);
	const char	*s;

	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : jsonh_str(v);
	a->prompt = xstrdup(s);
	if (json_object_array_length(res) > 1) {
		v = json_object_array_get_idx(res, 1);
		s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) :
		    jsonh_str(v);
		snprintf(a->session, sizeof(a->session), "%.128s", s);
	}
}

/* Memory settings of "cfg": the window of a buffer memory with a session, else 0. */
static int
agent_node_window(struct agent_node *a, json_object *cfg)
{
	json_object	*mem = jsonh_get_typed(cfg, "memory", json_type_object), *w;
	const char	*type = jsonh_get_string(mem, "type");

	if (type == NULL || strcmp(type, "buffer") != 0 || a->session[0] == '\0')
		return 0;
	w = jsonh_get_typed(mem, "window", json_type_int);
	if (w == NULL)
		return AGENT_DEFAULT_WINDOW;
	if (json_object_get_int(w) < 1)
		return 1;
	return json_object_get_int(w) > MEMORY_MAX_WINDOW ? MEMORY_MAX_WINDOW :
	    json_object_get_int(w);
}

/* Loads the agent's memory into "*hist" (NULL: none): in a replay, what the original read.
 * Returns 0 or -1 with "err". */
static int
agent_node_memory(struct agent_node *a, json_object **hist, char *err, size_t errlen)
{
	struct node_call	*c = a->c;
	json_object		*resp;
	char			 key[TAPE_KEY_LEN + 1];

	*hist = NULL;
	tape_keyf(TAPE_MEMORY, key, "%s\n%s\n%d", a->agent_id, a->session, a->window);
	if (tape_play(c->tape, TAPE_MEMORY, key, &resp)) {
		*hist = json_object_get(jsonh_get_typed(resp, "messages", json_type_array));
		return 0;
	}
	/* Memory is ours, not the network's: an offline replay reads it too. */
	if (memory_load(c->env->db, a->agent_id, a->session, a->window, hist, err, errlen) ==
	    -1)
		return -1;
	resp = jsonh_new_object();
	json_object_object_add(resp, "messages", json_object_get(*hist));
	tape_note(c->tape, TAPE_MEMORY, key, resp);
	json_object_put(resp);
	return 0;
}

/* The agent runtime's budget hooks, handed on to the step's (node_call). */
static int
agent_node_budget_check(void *arg, const struct budget_limits *own,
    const struct budget_use *own_used, long long tokens, double cost_usd, char *err,
    size_t errlen)
{
	struct node_call	*c = arg;

	if (c->budget_check == NULL)
		return budget_allows_call(own, own_used, tokens, cost_usd, "the agent's", err,
		    errlen);
	return c->budget_check(c, own, own_used, tokens, cost_usd, err, errlen);
}

static void
agent_node_budget_spend(void *arg, long long tokens, double cost_usd)
{
	struct node_call	*c = arg;

	if (c->budget_spend != NULL)
		c->budget_spend(c, tokens, cost_usd);
}

/* With the prompt rendered: credential, memory, then the run. Returns 0 or -1 with "err". */
static int
agent_node_start(struct agent_node *a, char *err, size_t errlen)
{
	struct node_call	*c = a->c;
	struct agent_env	 env;
	struct agent_spec	 spec;
	json_object		*hist = NULL;
	const char		*cred;
	char			*key = NULL;
	int			 rc = -1;

	if ((cred = jsonh_get_string(a->cfg, "credential_id")) != NULL && *cred != '\0' &&
	    cred_secret(c->env->db, cred, a->owner_id, &key, err, errlen) == -1)
		goto out;
	if ((a->window = agent_node_window(a, a->cfg)) > 0 &&
	    agent_node_memory(a, &hist, err, errlen) == -1)
		goto out;
	memset(&env, 0, sizeof(env));
	env.base = c->env->base;
	env.http = c->env->http;
	env.allow = c->env->allow;
	env.db = c->env->db;
	env.redis = c->env->redis;
	env.sandbox = c->env->sandbox;
	env.llm.total_timeout_ms = c->timeout_ms;
	env.owner_id = a->owner_id;
	env.execution_id = c->execution_id;
	env.trace = c->trace;
	env.priced = a->priced;
	env.price_prompt = a->price_prompt;
	env.price_completion = a->price_completion;
	env.budget_check = agent_node_budget_check;
	env.budget_spend = agent_node_budget_spend;
	env.budget_arg = c;
	env.tape = c->tape;
	memset(&spec, 0, sizeof(spec));
	spec.config = a->cfg;
	spec.api_key = key;
	spec.prompt = a->prompt;
	spec.history = hist;
	spec.on_tokens = agent_node_tokens;
	spec.done = agent_node_done;
	spec.arg = a;
	if ((a->run = agent_start(&env, &spec, err, errlen)) != NULL)
		rc = 0;
out:
	cred_secret_free(key);
	json_object_put(hist);
	return rc;
}

/* The sandbox rendered the prompt: start the run, or fail the step. */
static void
agent_node_on_render(void *arg, json_object *res, const char *rerr)
{
	struct agent_node	*a = arg;
	struct node_call	*c = a->c;
	char			 err[512];

	a->req = NULL;
	if (rerr == NULL) {
		agent_node_rendered(a, res);
		if (agent_node_start(a, err, sizeof(err)) == 0) {
			json_object_put(res);
			return;
		}
	}
	json_object_put(res);
	c->priv = NULL;
	agent_node_free(a);
	c->done(c, NULL, rerr != NULL ? rerr : err);
}

/* Sends the prompt and the session id templates to the sandbox. Returns 0 or -1. */
static int
agent_node_render(struct agent_node *a, char *err, size_t errlen)
{
	struct node_call	*c = a->c;
	const char		*session = jsonh_get_string(c->node->config, "session_id");

	if ((a->req = node_eval_req(c, err, errlen)) == NULL ||
	    sandbox_req_add(a->req, SANDBOX_TEMPLATE, jsonh_get_string(c->node->config,
	    "prompt"), err, errlen) == -1 ||
	    (session != NULL && sandbox_req_add(a->req, SANDBOX_TEMPLATE, session, err,
	    errlen) == -1))
		return -1;
	sandbox_req_submit(a->req, c->timeout_ms, agent_node_on_render, a);
	return 0;
}

static enum node_rc
agent_node_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	struct agent_node	*a;
	const char		*id = jsonh_get_string(c->node->config, "agent_id");

	(void)out;
	if (c->env->db == NULL || c->execution_id == NULL) {
		snprintf(err, errlen, "agents need the engine's database connection");
		return NODE_ERROR;
	}
	if (id == NULL || !uuid_valid(id)) {
		snprintf(err, errlen, "agent_id must be an agent's id");
		return NODE_ERROR;
	}
	a = xcalloc(1, sizeof(*a));
	a->c = c;
	snprintf(a->agent_id, sizeof(a->agent_id), "%s", id);
	if ((a->cfg = agent_node_load(a, err, errlen)) == NULL ||
	    agent_node_render(a, err, errlen) == -1) {
		agent_node_free(a);
		return NODE_ERROR;
	}
	c->priv = a;
	return NODE_PENDING;
}

static void
agent_node_abort(struct node_call *c)
{
	agent_node_free(c->priv);
	c->priv = NULL;
}

NODE_IMPL(agent, agent_node_run, agent_node_abort);
#endif
