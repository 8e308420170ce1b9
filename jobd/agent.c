/* agent.c: the agent's reasoning loop (see agent.h): one model call per iteration through
 * jobd/llm/client.c, the tool calls of an answer run concurrently (jobd/tools/), their
 * results appended in call order, streamed text batched on a 50 ms timer. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "agent.h"
#include "otlp.h"
#include "buf.h"
#include "env.h"
#include "jschema.h"
#include "jsonh.h"
#include "metrics.h"
#include "tape.h"
#include "tools/tool.h"
#include "xalloc.h"

#define AGENT_TOKEN_FLUSH	(16L << 10)	/* flush at once past this many bytes */

/* One tool call of the current round. */
struct agent_tool {
	struct agent_run	*run;
	struct tool_call	 t;
	json_object		*args;		/* holds a reference */
	char			 id[LLM_MAX_ID];
	char			 name[LLM_MAX_ID];
	char			*text;		/* the result as the model sees it */
	int			 is_error;
	int			 pending;
	struct trace_span	 span;		/* the call's (empty: none) */
	char			 key[TAPE_KEY_LEN + 1];	/* going out: noted when it ends */
};

struct agent_run {
	struct agent_env	 env;
	struct node_env		 nenv;		/* what tools get */
	const struct llm_provider *p;
	char			 url[2048];
	char			*api_key;
	char			*system;
	const char		*model;		/* in "config" */
	json_object		*config;	/* holds a reference */
	json_object		*history;	/* holds a reference; may be NULL */
	json_object		*transcript;
	json_object		*tools;		/* declarations */
	json_object		*schema;	/* output_schema (in "config") or NULL */
	json_object		*calls;		/* usage of each model call */
	double			 temperature;
	bool			 has_temperature, stream;
	long			 max_tokens;
	int			 max_iter, iter, repaired;
	long			 prompt_tokens, completion_tokens, ntools;
	struct budget_limits	 limits;	/* config "budget" */
	struct budget_use	 used;
	long long		 last_call_tokens;	/* prompt and completion of the last call */
	long			 started_ms, call_ms;
	struct llmc		*call;
	char			 call_key[TAPE_KEY_LEN + 1];	/* the live call's */
	/* A model call answered from the recording: its answer, handed over on the loop. */
	struct event		*replay_timer;
	json_object		*replayed;
	struct agent_tool	*round;
	size_t			 nround, left;
	struct event		*tok_timer;
	struct buf		 tok;
	bool			 tok_first;	/* this call's first text went out */
	agent_tokens_fn		 on_tokens;
	agent_done_fn		 done;
	void			*arg;
	char			 model_seen[LLM_MAX_ID];
	struct trace_span	 span;		/* the model call in flight (empty: none) */
};

static int	agent_call_model(struct agent_run *r, char *err, size_t errlen);
static void	agent_next(struct agent_run *r);

static long
agent_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---------------------------------------------------------------- config */

int
agent_config_check(json_object *c, char *err, size_t errlen)
{
	json_object	*v;
	const char	*s;

	if (!json_object_is_type(c, json_type_object))
		return snprintf(err, errlen, "configuration: must be an object"), -1;
	if (llm_provider_find(jsonh_get_string(c, "provider")) == NULL)
		return snprintf(err, errlen, "provider: must be one of "
		    DESC_PROVIDER_NAMES_JSON), -1;
	s = jsonh_get_string(c, "model");
	if (s == NULL || *s == '\0' || strlen(s) > 200)
		return snprintf(err, errlen, "model: a name of 1 to 200 characters is required"),
		    -1;
	s = jsonh_get_string(c, "base_url");
	if (s != NULL && *s != '\0' && strncmp(s, "http://", 7) != 0 &&
	    strncmp(s, "https://", 8) != 0)
		return snprintf(err, errlen, "base_url: must be an http(s) URL"), -1;
	if (s != NULL && strlen(s) > 1024)
		return snprintf(err, errlen, "base_url: too long"), -1;
	v = json_object_object_get(c, "max_iterations");
	if (v != NULL && (!json_object_is_type(v, json_type_int) || json_object_get_int(v) < 1 ||
	    json_object_get_int(v) > AGENT_MAX_ITERATIONS))
		return snprintf(err, errlen, "max_iterations: must be 1 to %d",
		    AGENT_MAX_ITERATIONS), -1;
	v = json_object_object_get(c, "temperature");
	if (v != NULL && ((!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int)) || json_object_get_double(v) < 0 ||
	    json_object_get_double(v) > 2))
		return snprintf(err, errlen, "temperature: must be 0 to 2"), -1;
	v = json_object_object_get(c, "output_schema");
	if (v != NULL && !json_object_is_type(v, json_type_object) &&
	    !json_object_is_type(v, json_type_null))
		return snprintf(err, errlen, "output_schema: must be a JSON Schema object"), -1;
	v = json_object_object_get(c, "tools");
	if (v != NULL && !json_object_is_type(v, json_type_array))
		return snprintf(err, errlen, "tools: must be a list of tool names"), -1;
	return 0;
}

/* The system prompt, with the JSON instruction when an output schema is set. */
static char *
agent_system(json_object *c, json_object *schema)
{
	const char	*s = jsonh_get_string(c, "system_prompt");
	struct buf	 b;

	buf_init(&b);
	if (s != NULL)
		buf_puts(&b, s);
	if (schema != NULL)
		buf_printf(&b, "%sYour final answer must be only a JSON value, with no prose and "
		    "no code fences, valid against this JSON Schema:\n%s", b.len ? "\n\n" : "",
		    jsonh_str(schema));
	return buf_take(&b);
}

/* Fills the run's settings from the configuration. Returns 0 or -1 with a message. */
static int
agent_setup(struct agent_run *r, char *err, size_t errlen)
{
	json_object	*c = r->config, *v;
	const char	*base;

	if (agent_config_check(c, err, errlen) == -1)
		return -1;
	r->p = llm_provider_find(jsonh_get_string(c, "provider"));
	r->model = jsonh_get_string(c, "model");
	base = jsonh_get_string(c, "base_url");
	if (r->p->url(base != NULL && *base != '\0' ? base : r->p->def->default_base_url,
	    r->url, sizeof(r->url)) == -1)
		return snprintf(err, errlen, "base_url: too long"), -1;
	v = json_object_object_get(c, "max_iterations");
	r->max_iter = v != NULL ? json_object_get_int(v) : AGENT_DEFAULT_ITERATIONS;
	if ((v = json_object_object_get(c, "temperature")) != NULL) {
		r->has_temperature = true;
		r->temperature = json_object_get_double(v);
	}
	if ((v = jsonh_get_typed(c, "max_tokens", json_type_int)) != NULL)
		r->max_tokens = (long)json_object_get_int64(v);
	v = jsonh_get_typed(c, "stream", json_type_boolean);
	r->stream = v == NULL || json_object_get_boolean(v);
	r->schema = jsonh_get_typed(c, "output_schema", json_type_object);
	if ((r->tools = tool_declarations(json_object_object_get(c, "tools"), err, errlen))
	    == NULL)
		return -1;
	r->system = agent_system(c, r->schema);
	return 0;
}

/* ---------------------------------------------------------------- ending */

static void
agent_round_clear(struct agent_run *r)
{
	size_t	 i;

	for (i = 0; i < r->nround; i++) {
		struct agent_tool *a = &r->round[i];

		if (a->pending && tool_impls[a->t.kind]->abort != NULL)
			tool_impls[a->t.kind]->abort(&a->t);
		otlp_span_end(&a->span, TRACE_STATUS_ERROR, "stopped");
		json_object_put(a->args);
		free(a->text);
	}
	free(r->round);
	r->round = NULL;
	r->nround = r->left = 0;
}

static void
agent_free(struct agent_run *r)
{
	if (r == NULL)
		return;
	otlp_span_end(&r->span, TRACE_STATUS_ERROR, "cancelled");
	llmc_cancel(r->call);
	agent_round_clear(r);
	if (r->tok_timer != NULL)
		event_free(r->tok_timer);
	if (r->replay_timer != NULL)
		event_free(r->replay_timer);
	json_object_put(r->replayed);
	buf_clear(&r->tok);
	if (r->api_key != NULL) {
		memset(r->api_key, 0, strlen(r->api_key));
		free(r->api_key);
	}
	free(r->system);
	json_object_put(r->config);
	json_object_put(r->history);
	json_object_put(r->transcript);
	json_object_put(r->tools);
	json_object_put(r->calls);
	free(r);
}

void
agent_result_clear(struct agent_result *res)
{
	if (res == NULL)
		return;
	json_object_put(res->output);
	json_object_put(res->transcript);
	json_object_put(res->usage);
	memset(res, 0, sizeof(*res));
}

static void
agent_flush_tokens(struct agent_run *r)
{
	if (r->tok.len > 0 && r->on_tokens != NULL)
		r->on_tokens(r->arg, r->tok.data, r->tok.len);
	buf_reset(&r->tok);
}

/* Ends the run with "output" (handed over; NULL on failure) or "err"; frees the run. */
static void
agent_finish(struct agent_run *r, json_object *output, const char *err)
{
	struct agent_result	 res;
	json_object		*u = jsonh_new_object();

	event_del(r->tok_timer);
	agent_flush_tokens(r);
	json_object_object_add(u, "provider", jsonh_new_string(r->p->def->name));
	json_object_object_add(u, "model", jsonh_new_string(r->model_seen[0] ?
	    r->model_seen : r->model));
	json_object_object_add(u, "prompt_tokens", jsonh_new_int64(r->prompt_tokens));
	json_object_object_add(u, "completion_tokens",
	    jsonh_new_int64(r->completion_tokens));
	json_object_object_add(u, "latency_ms",
	    jsonh_new_int64(agent_now_ms() - r->started_ms));
	json_object_object_add(u, "iterations", jsonh_new_int(r->iter));
	json_object_object_add(u, "tool_calls", jsonh_new_int64(r->ntools));
	json_object_object_add(u, "calls", r->calls);
	r->calls = NULL;
	res.output = output;
	res.transcript = r->transcript;
	r->transcript = NULL;
	res.usage = u;
	r->done(r->arg, &res, err);
	agent_free(r);
}

/* ---------------------------------------------------------------- tokens */

static void
agent_on_tok_timer(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	agent_flush_tokens(arg);
}

static void
agent_on_delta(void *arg, const char *text, size_t len)
{
	struct agent_run	*r = arg;
	struct timeval		 tv = { 0, AGENT_TOKEN_BATCH_MS * 1000 };

	if (r->on_tokens == NULL)
		return;
	buf_append(&r->tok, text, len);
	/* The first text of a call goes out at once (time to first token); the rest in
	 * batches. */
	if (!r->tok_first || r->tok.len >= (size_t)AGENT_TOKEN_FLUSH) {
		r->tok_first = true;
		event_del(r->tok_timer);
		agent_flush_tokens(r);
	} else if (!evtimer_pending(r->tok_timer, NULL))
		evtimer_add(r->tok_timer, &tv);
}

/* ---------------------------------------------------------------- tools */

/* Appends the round's results (in call order) and calls the model again. */
static void
agent_round_done(struct agent_run *r)
{
	json_object	*m;
	size_t		 i;

	for (i = 0; i < r->nround; i++) {
		struct agent_tool *a = &r->round[i];

		m = jsonh_new_object();
		json_object_object_add(m, "role", jsonh_new_string("tool"));
		json_object_object_add(m, "tool_call_id", jsonh_new_string(a->id));
		json_object_object_add(m, "name", jsonh_new_string(a->name));
		json_object_object_add(m, "content", jsonh_new_string(a->text));
		json_object_object_add(m, "is_error", jsonh_new_boolean(a->is_error));
		json_object_array_add(r->transcript, m);
	}
	agent_round_clear(r);
	agent_next(r);
}

/* Tool call "a" ended with "result" (taken) or "err": its text for the model. A call that
 * went out is noted in the recording. The result's members are put in stored order, so that
 * the model sees the same text whether it was just made or read back in a replay. */
static void
agent_tool_settle(struct agent_tool *a, json_object *result, const char *err)
{
	json_object	*resp;

	otlp_span_end(&a->span, err != NULL ? TRACE_STATUS_ERROR : TRACE_STATUS_UNSET, err);
	result = jsonh_stored_order(jsonh_make_storable(result));
	if (a->key[0] != '\0') {
		resp = jsonh_new_object();
		json_object_object_add(resp, "result", json_object_get(result));
		json_object_object_add(resp, "error", jsonh_string_or_null(err));
		tape_note(a->run->env.tape, TAPE_TOOL, a->key, resp);
		json_object_put(resp);
		a->key[0] = '\0';
	}
	a->text = tool_result_text(result, err, &a->is_error);
	json_object_put(result);
}

/* Looks tool call "a" up in the recording: true when it answered it (the call is settled);
 * else the key is kept to note the call when it ends. */
static bool
agent_tool_replayed(struct agent_run *r, struct agent_tool *a, json_object *args)
{
	json_object	*resp;
	char		 err[320];

	tape_keyf(TAPE_TOOL, a->key, "%s\n%s", a->name, jsonh_str(args));
	if (tape_play(r->env.tape, TAPE_TOOL, a->key, &resp)) {
		a->key[0] = '\0';
		r->ntools++;
		agent_tool_settle(a, json_object_get(json_object_object_get(resp, "result")),
		    jsonh_get_string(resp, "error"));
		return true;
	}
	if (tape_refuses(r->env.tape, TAPE_TOOL, err, sizeof(err))) {
		a->key[0] = '\0';
		agent_tool_settle(a, NULL, err);
		return true;
	}
	return false;
}

/* Starts the span of tool call "a" under the step's (GenAI's execute_tool) when tracing is
 * on; the tool gets it as its context. */
static void
agent_tool_span(struct agent_run *r, struct agent_tool *a)
{
	char	 name[TRACE_NAME_MAX];

	if (!trace_ctx_valid(&r->env.trace))
		return;
	snprintf(name, sizeof(name), "execute_tool %.100s", a->name);
	if (!otlp_span_start(&a->span, &r->env.trace, name, TRACE_KIND_INTERNAL))
		return;
	trace_span_attr_str(&a->span, "gen_ai.tool.name", a->name);
	trace_span_attr_str(&a->span, "gen_ai.tool.call.id", a->id);
	a->t.trace = a->span.ctx;
}

static void
agent_on_tool(struct tool_call *t, json_object *result, const char *err)
{
	struct agent_tool	*a = t->owner;
	struct agent_run	*r = a->run;

	a->pending = 0;
	agent_tool_settle(a, result, err);
	if (--r->left == 0)
		agent_round_done(r);
}

/* Starts tool call "c" (canonical {id, name, arguments}) as round member "a". */
static void
agent_tool_start(struct agent_run *r, struct agent_tool *a, json_object *c)
{
	json_object	*args = json_object_object_get(c, "arguments"), *res = NULL;
	const char	*name = jsonh_get_string(c, "name");
	char		 err[512];
	size_t		 i;
	int		 allowed = 0;

	a->run = r;
	llm_copy_id(a->id, jsonh_get_string(c, "id"));
	llm_copy_id(a->name, name);
	a->t.kind = TOOL_CALCULATOR;
	for (i = 0; i < json_object_array_length(r->tools); i++)
		if (name != NULL && strcmp(name, jsonh_get_string(json_object_array_get_idx(
		    r->tools, i), "name")) == 0)
			allowed = 1;
	if (!allowed || tool_lookup(name, &a->t.kind) == -1) {
		snprintf(err, sizeof(err), "unknown tool \"%.100s\"", name ? name : "");
		agent_tool_settle(a, NULL, err);
		return;
	}
	if (!json_object_is_type(args, json_type_object)) {
		agent_tool_settle(a, NULL, "the arguments are not a JSON object");
		return;
	}
	if (tool_args_check(a->t.kind, args, err, sizeof(err)) == -1) {
		agent_tool_settle(a, NULL, err);
		return;
	}
	if (agent_tool_replayed(r, a, args))
		return;
	a->args = json_object_get(args);
	a->t.args = a->args;
	a->t.env = &r->nenv;
	a->t.owner_id = r->env.owner_id;
	a->t.execution_id = r->env.execution_id;
	a->t.done = agent_on_tool;
	a->t.owner = a;
	r->ntools++;
	agent_tool_span(r, a);
	switch (tool_impls[a->t.kind]->run(&a->t, &res, err, sizeof(err))) {
	case TOOL_OK:
		agent_tool_settle(a, res, NULL);
		break;
	case TOOL_PENDING:
		a->pending = 1;
		r->left++;
		break;
	default:
		agent_tool_settle(a, NULL, err);
		break;
	}
}

/* Runs every tool call of the assistant message "m" concurrently. */
static void
agent_tools_run(struct agent_run *r, json_object *calls)
{
	size_t	 i, n = json_object_array_length(calls);

	r->round = xcalloc(n, sizeof(*r->round));
	r->nround = n;
	r->left = 1;		/* held until every call started */
	for (i = 0; i < n; i++)
		agent_tool_start(r, &r->round[i], json_object_array_get_idx(calls, i));
	if (--r->left == 0)
		agent_round_done(r);
}

/* ---------------------------------------------------------------- model */

json_object *
agent_answer_json(const char *text)
{
	const char	*s = text, *e;
	json_object	*v = NULL;
	char		 err[64];
	size_t		 n;

	if (text == NULL)
		return NULL;
	while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
		s++;
	n = strlen(s);
	if (strncmp(s, "```", 3) == 0 && (e = strrchr(s, '`')) != NULL && e - s >= 5 &&
	    strncmp(e - 2, "```", 3) == 0) {
		s += 3;
		while (*s != '\n' && s < e - 2)	/* the language tag */
			s++;
		n = (size_t)(e - 2 - s);
	}
	if (jsonh_parse(s, n, &v, err, sizeof(err)) == -1)
		return NULL;
	return v != NULL ? v : json_object_new_null();
}

/* The final answer "text": checked against the output schema when there is one. */
static void
agent_final(struct agent_run *r, const char *text)
{
	json_object	*v, *errors, *m;
	char		 msg[1024];

	if (r->schema == NULL) {
		agent_finish(r, jsonh_new_string(text), NULL);
		return;
	}
	errors = jsonh_new_array();
	if ((v = agent_answer_json(text)) == NULL)
		snprintf(msg, sizeof(msg), "the answer is not JSON");
	else if (jschema_validate(r->schema, v, "answer", errors) == -1)
		snprintf(msg, sizeof(msg), "%s", jsonh_str(errors));
	else {
		json_object_put(errors);
		agent_finish(r, json_object_is_type(v, json_type_null) ? NULL : v, NULL);
		return;
	}
	json_object_put(errors);
	json_object_put(v);
	if (r->repaired) {
		char	 e[1100];

		snprintf(e, sizeof(e), "the final answer does not match output_schema after one "
		    "repair attempt: %s", msg);
		agent_finish(r, NULL, e);
		return;
	}
	r->repaired = 1;
	m = jsonh_new_object();
	json_object_object_add(m, "role", jsonh_new_string("user"));
	json_object_object_add(m, "content", jsonh_new_string(
	    "Your answer is not valid against the required JSON Schema. Reply again with only "
	    "the JSON value."));
	json_object_array_add(r->transcript, m);
	agent_next(r);
}

/* Gives tool calls without an id one ("call_<iteration>_<n>"), as providers require. */
static void
agent_fix_ids(struct agent_run *r, json_object *calls)
{
	json_object	*c;
	const char	*id;
	char		 buf[48];
	size_t		 i;

	for (i = 0; i < json_object_array_length(calls); i++) {
		c = json_object_array_get_idx(calls, i);
		id = jsonh_get_string(c, "id");
		if (id == NULL || *id == '\0') {
			snprintf(buf, sizeof(buf), "call_%d_%zu", r->iter, i);
			json_object_object_add(c, "id", jsonh_new_string(buf));
		}
	}
}

/* Adds what a call used to the agent's budget use and tells the run's. */
static void
agent_budget_spend(struct agent_run *r, long long prompt, long long completion)
{
	double	 cost = r->env.priced ? budget_cost(prompt, completion, r->env.price_prompt,
		    r->env.price_completion) : 0;

	r->last_call_tokens = prompt + completion;
	r->used.tokens += prompt + completion;
	r->used.cost_usd += cost;
	if (r->env.budget_spend != NULL)
		r->env.budget_spend(r->env.budget_arg, prompt + completion, cost);
}

/* Whether the next call, whose request body is "len" bytes, is within the budgets. Its
 * prompt is estimated at a token per 4 bytes of the request, and never below what the last
 * call used (the conversation only grows); its completion is unknown, so a call is refused
 * only when its prompt alone would pass a limit. Returns 0, or -1 with "err". */
static int
agent_budget_check(struct agent_run *r, size_t len, char *err, size_t errlen)
{
	long long	 est = (long long)(len / 4);
	double		 cost;

	if (r->last_call_tokens > est)
		est = r->last_call_tokens;
	cost = r->env.priced ? budget_cost(est, 0, r->env.price_prompt,
	    r->env.price_completion) : -1;
	if (r->env.budget_check != NULL)
		return r->env.budget_check(r->env.budget_arg, &r->limits, &r->used, est, cost,
		    err, errlen);
	return budget_allows_call(&r->limits, &r->used, est, cost, "the agent's", err, errlen);
}

static void
agent_record_call(struct agent_run *r, const struct llm_reply *rep, int ok)
{
	json_object	*u = jsonh_new_object();
	size_t		 model = metrics_model(r->p->def->name, r->model);

	metrics_add(M_LLM_REQUESTS, model, 0, llmc_attempts(r->call));
	if (!ok)
		metrics_inc(M_LLM_ERRORS, model, 0);
	else {
		metrics_add(M_LLM_TOKENS, model, 0, rep->usage.prompt_tokens);
		metrics_add(M_LLM_TOKENS, model, 1, rep->usage.completion_tokens);
	}
	json_object_object_add(u, "iteration", jsonh_new_int(r->iter));
	json_object_object_add(u, "latency_ms", jsonh_new_int64(agent_now_ms() -
	    r->call_ms));
	json_object_object_add(u, "attempts", jsonh_new_int(llmc_attempts(r->call)));
	json_object_object_add(u, "ok", jsonh_new_boolean(ok));
	if (ok) {
		json_object_object_add(u, "prompt_tokens",
		    jsonh_new_int64(rep->usage.prompt_tokens));
		json_object_object_add(u, "completion_tokens",
		    jsonh_new_int64(rep->usage.completion_tokens));
		json_object_object_add(u, "finish",
		    jsonh_new_string(llm_finish_names[rep->finish]));
		r->prompt_tokens += rep->usage.prompt_tokens;
		r->completion_tokens += rep->usage.completion_tokens;
		agent_budget_spend(r, rep->usage.prompt_tokens, rep->usage.completion_tokens);
		if (rep->model[0] != '\0')
			memcpy(r->model_seen, rep->model, sizeof(r->model_seen));
	}
	json_object_array_add(r->calls, u);
}

/* The model answered with assistant message "m" (taken): the final answer, or tool calls
 * to run. */
static void
agent_answer(struct agent_run *r, json_object *m)
{
	json_object	*calls;
	const char	*text;
	char		 e[600];

	json_object_array_add(r->transcript, m);
	calls = jsonh_get_typed(m, "tool_calls", json_type_array);
	if (calls == NULL) {
		text = jsonh_get_string(m, "content");
		agent_final(r, text != NULL ? text : "");
		return;
	}
	agent_fix_ids(r, calls);
	if (r->iter >= r->max_iter) {
		snprintf(e, sizeof(e), "the agent reached max_iterations (%d) without a final "
		    "answer", r->max_iter);
		agent_finish(r, NULL, e);
		return;
	}
	agent_tools_run(r, calls);
}

/* Notes a model call that went out and its answer, message "m" of reply "rep". */
static void
agent_note_call(struct agent_run *r, const struct llm_reply *rep, json_object *m)
{
	json_object	*resp = jsonh_new_object(), *u = jsonh_new_object();

	json_object_object_add(u, "prompt_tokens", jsonh_new_int64(rep->usage.prompt_tokens));
	json_object_object_add(u, "completion_tokens",
	    jsonh_new_int64(rep->usage.completion_tokens));
	json_object_object_add(resp, "message", json_object_get(m));
	json_object_object_add(resp, "usage", u);
	json_object_object_add(resp, "finish", jsonh_new_string(llm_finish_names[rep->finish]));
	json_object_object_add(resp, "model", jsonh_new_string(rep->model));
	tape_note(r->env.tape, TAPE_MODEL, r->call_key, resp);
	json_object_put(resp);
}

static void
agent_on_model(void *arg, struct llm_reply *rep, int rc, const char *err)
{
	struct agent_run	*r = arg;
	json_object		*m;
	char			 e[600];

	agent_record_call(r, rep, rc == 0);
	r->call = NULL;		/* the client frees itself after this callback */
	otlp_span_end(&r->span, rc == -1 ? TRACE_STATUS_ERROR : TRACE_STATUS_UNSET,
	    rc == -1 ? err : NULL);
	if (rc == -1) {
		snprintf(e, sizeof(e), "model call %d failed: %s", r->iter, err);
		agent_finish(r, NULL, e);
		return;
	}
	/* In stored order: a replay reads it back from the recording, and must send the same
	 * requests from it. */
	m = jsonh_stored_order(llm_reply_message(rep));
	agent_note_call(r, rep, m);
	agent_answer(r, m);
}

/* A model call answered from the recording: its answer goes on as a live one would, its
 * text streamed at once; it costs nothing and is counted as replayed. */
static void
agent_on_replayed(evutil_socket_t fd, short what, void *arg)
{
	struct agent_run	*r = arg;
	json_object		*resp = r->replayed, *m, *u = jsonh_new_object();
	const char		*text, *model;

	(void)fd;
	(void)what;
	r->replayed = NULL;
	m = json_object_get(jsonh_get_typed(resp, "message", json_type_object));
	if (m == NULL)
		m = jsonh_new_object();
	json_object_object_add(u, "iteration", jsonh_new_int(r->iter));
	json_object_object_add(u, "latency_ms", jsonh_new_int64(agent_now_ms() - r->call_ms));
	json_object_object_add(u, "attempts", jsonh_new_int(0));
	json_object_object_add(u, "ok", jsonh_new_boolean(true));
	json_object_object_add(u, "replayed", jsonh_new_boolean(true));
	json_object_object_add(u, "finish",
	    json_object_get(json_object_object_get(resp, "finish")));
	json_object_array_add(r->calls, u);
	if ((model = jsonh_get_string(resp, "model")) != NULL && *model != '\0')
		snprintf(r->model_seen, sizeof(r->model_seen), "%s", model);
	if ((text = jsonh_get_string(m, "content")) != NULL && *text != '\0')
		agent_on_delta(r, text, strlen(text));
	json_object_put(resp);
	agent_answer(r, m);
}

/* Looks the model call with request body "body" up in the recording: 1 when it answers it
 * (handed over on the loop), 0 when it must go out (its key kept to note it), -1 when an
 * offline replay refuses it ("err"). */
static int
agent_model_replayed(struct agent_run *r, const struct buf *body, char *err, size_t errlen)
{
	struct timeval	 now = { 0, 0 };
	json_object	*resp;

	tape_keyf(TAPE_MODEL, r->call_key, "%s\n%.*s", r->url, (int)body->len, body->data);
	if (tape_play(r->env.tape, TAPE_MODEL, r->call_key, &resp)) {
		r->replayed = json_object_get(resp);
		r->call_ms = agent_now_ms();
		evtimer_add(r->replay_timer, &now);
		return 1;
	}
	return tape_refuses(r->env.tape, TAPE_MODEL, err, errlen) ? -1 : 0;
}

/* The messages sent: memory, then this run's transcript. A new reference. */
static json_object *
agent_messages(struct agent_run *r)
{
	json_object	*all = jsonh_new_array();
	size_t		 i;

	for (i = 0; r->history != NULL && i < json_object_array_length(r->history); i++)
		json_object_array_add(all, json_object_get(json_object_array_get_idx(r->history,
		    i)));
	for (i = 0; i < json_object_array_length(r->transcript); i++)
		json_object_array_add(all, json_object_get(json_object_array_get_idx(
		    r->transcript, i)));
	return all;
}

/* Sends the next model call. Returns 0, or -1 with a message in "err" (nothing started). */
/* Starts the span of a model call (OpenTelemetry's GenAI names) under the step's when tracing
 * is on. Returns its traceparent, written into "tp", or NULL. */
static const char *
agent_span_start(struct agent_run *r, char tp[TRACE_PARENT_SIZE])
{
	char	 name[TRACE_NAME_MAX];

	if (!trace_ctx_valid(&r->env.trace))
		return NULL;
	snprintf(name, sizeof(name), "chat %s", r->model);
	if (!otlp_span_start(&r->span, &r->env.trace, name, TRACE_KIND_CLIENT))
		return NULL;
	trace_span_attr_str(&r->span, "gen_ai.system", r->p->def->name);
	trace_span_attr_str(&r->span, "gen_ai.request.model", r->model);
	trace_span_attr_int(&r->span, "fragent.iteration", r->iter);
	trace_format(&r->span.ctx, tp);
	return tp;
}

static int
agent_call_model(struct agent_run *r, char *err, size_t errlen)
{
	struct llm_request	 lr;
	struct llmc_req		 rq;
	struct buf		 body;
	json_object		*msgs = agent_messages(r);
	char			 tp[TRACE_PARENT_SIZE];

	r->iter++;
	memset(&lr, 0, sizeof(lr));
	lr.model = r->model;
	lr.system = r->system;
	lr.messages = msgs;
	lr.tools = json_object_array_length(r->tools) > 0 ? r->tools : NULL;
	lr.temperature = r->temperature;
	lr.has_temperature = r->has_temperature;
	lr.max_tokens = r->max_tokens;
	lr.stream = r->stream;
	/* A provider without a JSON mode ignores it (the prompt asks for JSON anyway). */
	lr.json_mode = r->schema != NULL && jsonh_get_string(r->schema, "type") != NULL &&
	    strcmp(jsonh_get_string(r->schema, "type"), "object") == 0;
	buf_init(&body);
	if (r->p->build(&lr, &body, err, errlen) == -1) {
		json_object_put(msgs);
		buf_clear(&body);
		return -1;
	}
	json_object_put(msgs);
	switch (agent_model_replayed(r, &body, err, errlen)) {
	case 1:
		buf_clear(&body);
		return 0;
	case -1:
		buf_clear(&body);
		return -1;
	default:
		break;
	}
	if (agent_budget_check(r, body.len, err, errlen) == -1) {
		buf_clear(&body);
		return -1;
	}
	memset(&rq, 0, sizeof(rq));
	rq.provider = r->p;
	rq.url = r->url;
	rq.api_key = r->api_key;
	rq.allow = r->env.allow;
	rq.body = body.data;
	rq.stream = r->stream;
	rq.opts = r->env.llm;
	rq.on_delta = agent_on_delta;
	rq.done = agent_on_model;
	rq.arg = r;
	r->call_ms = agent_now_ms();
	r->tok_first = false;
	rq.traceparent = agent_span_start(r, tp);
	r->call = llmc_start(r->env.base, r->env.http, &rq, err, errlen);
	if (r->call == NULL)
		otlp_span_end(&r->span, TRACE_STATUS_ERROR, err);
	buf_clear(&body);
	return r->call != NULL ? 0 : -1;
}

/* Calls the model again from within the loop; a failure ends the run. */
static void
agent_next(struct agent_run *r)
{
	char	 err[256];

	if (agent_call_model(r, err, sizeof(err)) == -1)
		agent_finish(r, NULL, err);
}

/* ---------------------------------------------------------------- API */

struct agent_run *
agent_start(const struct agent_env *env, const struct agent_spec *spec, char *err,
    size_t errlen)
{
	struct agent_run	*r;
	json_object		*m;

	r = xcalloc(1, sizeof(*r));
	r->env = *env;
	r->nenv.base = env->base;
	r->nenv.http = env->http;
	r->nenv.allow = env->allow;
	r->nenv.db = env->db;
	r->nenv.redis = env->redis;
	r->nenv.sandbox = env->sandbox;
	r->config = json_object_get(spec->config);
	r->history = json_object_get(spec->history);
	r->transcript = jsonh_new_array();
	r->calls = jsonh_new_array();
	r->on_tokens = spec->on_tokens;
	r->done = spec->done;
	r->arg = spec->arg;
	r->started_ms = agent_now_ms();
	buf_init(&r->tok);
	if (agent_setup(r, err, errlen) == -1)
		goto fail;
	budget_read(jsonh_get_typed(r->config, "budget", json_type_object), &r->limits);
	if (spec->api_key != NULL)
		r->api_key = xstrdup(spec->api_key);
	if ((r->tok_timer = evtimer_new(env->base, agent_on_tok_timer, r)) == NULL ||
	    (r->replay_timer = evtimer_new(env->base, agent_on_replayed, r)) == NULL) {
		snprintf(err, errlen, "cannot make a timer");
		goto fail;
	}
	m = jsonh_new_object();
	json_object_object_add(m, "role", jsonh_new_string("user"));
	json_object_object_add(m, "content", jsonh_new_string(spec->prompt ?
	    spec->prompt : ""));
	json_object_array_add(r->transcript, m);
	if (agent_call_model(r, err, errlen) == -1)
		goto fail;
	return r;
fail:
	agent_free(r);
	return NULL;
}

void
agent_cancel(struct agent_run *r)
{
	agent_free(r);
}
