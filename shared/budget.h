/* budget.h: run budgets: limits on model tokens, estimated cost, steps and wall time, set on a
 * workflow (its definition's "budget") and on an agent (its configuration's "budget"), and
 * the checks the engine makes against what a run used so far. A limit of 0 is none. */
#ifndef FRAGENT_BUDGET_H
#define FRAGENT_BUDGET_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

/* The JSON Schema of a workflow's budget; an agent's has the members up to max_cost_usd. */
#define BUDGET_AGENT_PROPS \
	"\"max_tokens\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000000000," \
	"\"title\":\"Max model tokens (prompt and completion)\"}," \
	"\"max_cost_usd\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":1000000," \
	"\"title\":\"Max estimated cost (USD, from the model prices)\"}"
#define BUDGET_AGENT_SCHEMA \
	"{\"type\":\"object\",\"additionalProperties\":false,\"title\":\"Budget\"," \
	"\"properties\":{" BUDGET_AGENT_PROPS "}}"
#define BUDGET_RUN_SCHEMA \
	"{\"type\":\"object\",\"additionalProperties\":false,\"title\":\"Budget\"," \
	"\"properties\":{" BUDGET_AGENT_PROPS "," \
	"\"max_steps\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000000," \
	"\"title\":\"Max steps (every attempt counts)\"}," \
	"\"max_duration_ms\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":604800000," \
	"\"title\":\"Max wall time (ms)\"}}}"

struct budget_limits {
	long long	 max_tokens;
	double		 max_cost_usd;
	long		 max_steps;
	long long	 max_duration_ms;
};

/* What a run (or one agent step) used so far. */
struct budget_use {
	long long	 tokens;
	double		 cost_usd;
	long		 steps;
};

/* Reads the limits of "o" (a budget object already checked against its schema; NULL: none). */
void	budget_read(json_object *o, struct budget_limits *l);
/* Whether any limit is set. */
bool	budget_any(const struct budget_limits *l);
/* Whether a model call estimated at "tokens" and "cost_usd" (negative: unknown, the model
 * has no price) keeps "u" within "l"; when it does not, "err" says which limit ("who" names
 * the budget: "the run's", "the agent's"). Returns 0 when allowed, -1 otherwise. */
int	budget_allows_call(const struct budget_limits *l, const struct budget_use *u,
	    long long tokens, double cost_usd, const char *who, char *err, size_t errlen);
/* Whether one more step at "elapsed_ms" into the run keeps "u" within "l"; else "err".
 * Returns 0 when allowed, -1 otherwise. */
int	budget_allows_step(const struct budget_limits *l, const struct budget_use *u,
	    long long elapsed_ms, char *err, size_t errlen);
/* The cost in USD of "prompt" and "completion" tokens at the prices per million tokens. */
double	budget_cost(long long prompt, long long completion, double prompt_per_mtok,
	    double completion_per_mtok);
/* The usage as JSON {tokens, cost_usd, steps, budget: {limits set}}: a new reference. */
json_object *budget_json(const struct budget_limits *l, const struct budget_use *u);

#endif
