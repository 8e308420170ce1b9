/* agent.h: the agent runtime's reasoning loop on a worker's event loop: system prompt +
 * memory + prompt → model → tool calls run concurrently → results appended → model again,
 * until a final answer or max_iterations; an optional output_schema makes the answer JSON
 * (validated, one repair round). Streamed text is handed out in batches (every 50 ms). It
 * knows nothing of Postgres or Redis: the agent node (jobd/nodes/agent.c) loads the agent,
 * its credential and its memory, and records what the run gives back. */
#ifndef FRAGENT_AGENT_H
#define FRAGENT_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "budget.h"
#include "llm/client.h"
#include "trace.h"

struct event_base;
struct httpc;
struct ssrf_allow;
struct db;
struct rlink;
struct sandbox_pool;
struct agent_run;
struct tape_deck;

#define AGENT_DEFAULT_ITERATIONS	10
#define AGENT_MAX_ITERATIONS		50
#define AGENT_TOKEN_BATCH_MS		50

/* What a run may use (borrowed; must outlive the run). */
struct agent_env {
	struct event_base	*base;
	struct httpc		*http;
	const struct ssrf_allow	*allow;		/* model calls and the http_request tool */
	struct db		*db;		/* for run_workflow and ask_agent (may be NULL) */
	struct rlink		*redis;		/* idem: queueing child executions */
	struct sandbox_pool	*sandbox;	/* for json_query */
	struct llmc_opts	 llm;		/* timeouts and retries of model calls */
	const char		*owner_id;	/* the agent's owner, for tools */
	const char		*execution_id;
	struct trace_ctx	 trace;		/* the step's span: parent of model calls */
	/* The model's prices (USD per million prompt and completion tokens), when it has one
	 * ("priced"), for the cost budgets. */
	bool			 priced;
	double			 price_prompt, price_completion;
	/* Asked before each model call with the agent's own limits and use (config "budget")
	 * and the call's estimate; -1 refuses the call ("err" says why). NULL: only the agent's
	 * own limits are checked. */
	int			(*budget_check)(void *arg, const struct budget_limits *own,
				    const struct budget_use *own_used, long long tokens,
				    double cost_usd, char *err, size_t errlen);
	/* Told what each model call used. May be NULL. */
	void			(*budget_spend)(void *arg, long long tokens, double cost_usd);
	void			*budget_arg;
	/* The step attempt's recording (jobd/tape.h): model and tool calls are answered from
	 * it when it has them and noted in it. May be NULL. */
	struct tape_deck	*tape;
};

/* The end of a run, handed to the callback; every member is a new reference the callee
 * owns (or NULL). On failure "output" is NULL and the rest is what was gathered so far. */
struct agent_result {
	json_object	*output;	/* the answer: a string, or JSON with output_schema */
	json_object	*transcript;	/* canonical messages of this run (tool calls included) */
	json_object	*usage;		/* {provider, model, prompt_tokens, completion_tokens,
					 *  latency_ms, iterations, tool_calls, calls: […]} */
};

/* Streamed answer text, batched: "len" bytes, valid UTF-8, in order. */
typedef void (*agent_tokens_fn)(void *arg, const char *text, size_t len);
/* Called once when the run ended: "err" NULL on success. Not called after agent_cancel. The
 * run frees itself after the callback returns. */
typedef void (*agent_done_fn)(void *arg, struct agent_result *res, const char *err);

struct agent_spec {
	json_object	*config;	/* agents.configuration (borrowed) */
	const char	*api_key;	/* decrypted credential or NULL (copied; wiped at the end) */
	const char	*prompt;	/* the user's message for this run */
	json_object	*history;	/* canonical messages from memory, or NULL (borrowed) */
	agent_tokens_fn	 on_tokens;	/* may be NULL */
	agent_done_fn	 done;
	void		*arg;
};

/* Checks "config" (provider, model, base_url, tools, max_iterations, output_schema, …).
 * Returns 0, or -1 with a message naming the field in "err". */
int		 agent_config_check(json_object *config, char *err, size_t errlen);
/* Starts a run of "spec" on "env". Returns it, or NULL with a message in "err" (nothing is
 * called then). */
struct agent_run *agent_start(const struct agent_env *env, const struct agent_spec *spec,
		    char *err, size_t errlen);
/* Stops a run at once: the model call in flight is aborted, pending tools are stopped, and
 * nothing more is called. NULL-safe. */
void		 agent_cancel(struct agent_run *r);
/* Frees what "res" holds; NULL-safe. */
void		 agent_result_clear(struct agent_result *res);
/* Extracts the JSON value of a final answer "text" (a bare value, or one fenced in ```json
 * … ```). Returns a new reference, or NULL when there is none. */
json_object	*agent_answer_json(const char *text);

#endif
