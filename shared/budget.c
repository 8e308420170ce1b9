/* budget.c: run budgets (see budget.h): reading the limits, the checks, the cost estimate. */
#include "config.h"

#include <stdio.h>

#include "budget.h"
#include "jsonh.h"

void
budget_read(json_object *o, struct budget_limits *l)
{
	json_object	*v;

	*l = (struct budget_limits){ 0 };
	if (o == NULL || !json_object_is_type(o, json_type_object))
		return;
	if ((v = jsonh_get_typed(o, "max_tokens", json_type_int)) != NULL)
		l->max_tokens = json_object_get_int64(v);
	if ((v = json_object_object_get(o, "max_cost_usd")) != NULL &&
	    (json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		l->max_cost_usd = json_object_get_double(v);
	if ((v = jsonh_get_typed(o, "max_steps", json_type_int)) != NULL)
		l->max_steps = (long)json_object_get_int64(v);
	if ((v = jsonh_get_typed(o, "max_duration_ms", json_type_int)) != NULL)
		l->max_duration_ms = json_object_get_int64(v);
}

bool
budget_any(const struct budget_limits *l)
{
	return l->max_tokens > 0 || l->max_cost_usd > 0 || l->max_steps > 0 ||
	    l->max_duration_ms > 0;
}

int
budget_allows_call(const struct budget_limits *l, const struct budget_use *u,
    long long tokens, double cost_usd, const char *who, char *err, size_t errlen)
{
	if (l->max_tokens > 0 && u->tokens + tokens > l->max_tokens) {
		snprintf(err, errlen, "budget exceeded: the next model call (about %lld tokens) "
		    "would pass %s limit of %lld tokens (%lld used)", tokens, who, l->max_tokens,
		    u->tokens);
		return -1;
	}
	if (l->max_cost_usd > 0 && cost_usd < 0) {
		snprintf(err, errlen, "budget: %s cost limit needs the model's price (set one "
		    "in Settings, Model prices)", who);
		return -1;
	}
	if (l->max_cost_usd > 0 && u->cost_usd + cost_usd > l->max_cost_usd) {
		snprintf(err, errlen, "budget exceeded: the next model call (about $%.6f) would "
		    "pass %s limit of $%.6f ($%.6f used)", cost_usd, who, l->max_cost_usd,
		    u->cost_usd);
		return -1;
	}
	return 0;
}

int
budget_allows_step(const struct budget_limits *l, const struct budget_use *u,
    long long elapsed_ms, char *err, size_t errlen)
{
	if (l->max_steps > 0 && u->steps >= l->max_steps) {
		snprintf(err, errlen, "budget exceeded: the run's limit of %ld steps is spent",
		    l->max_steps);
		return -1;
	}
	if (l->max_duration_ms > 0 && elapsed_ms >= l->max_duration_ms) {
		snprintf(err, errlen, "budget exceeded: the run's limit of %lld ms of wall time "
		    "is spent", l->max_duration_ms);
		return -1;
	}
	return 0;
}

double
budget_cost(long long prompt, long long completion, double prompt_per_mtok,
    double completion_per_mtok)
{
	return ((double)prompt * prompt_per_mtok + (double)completion * completion_per_mtok) /
	    1e6;
}

json_object *
budget_json(const struct budget_limits *l, const struct budget_use *u)
{
	json_object	*o = jsonh_new_object(), *b = jsonh_new_object();

	json_object_object_add(o, "tokens", jsonh_new_int64(u->tokens));
	json_object_object_add(o, "cost_usd", jsonh_new_double(u->cost_usd));
	json_object_object_add(o, "steps", jsonh_new_int64(u->steps));
	if (l->max_tokens > 0)
		json_object_object_add(b, "max_tokens", jsonh_new_int64(l->max_tokens));
	if (l->max_cost_usd > 0)
		json_object_object_add(b, "max_cost_usd", jsonh_new_double(l->max_cost_usd));
	if (l->max_steps > 0)
		json_object_object_add(b, "max_steps", jsonh_new_int64(l->max_steps));
	if (l->max_duration_ms > 0)
		json_object_object_add(b, "max_duration_ms", jsonh_new_int64(l->max_duration_ms));
	json_object_object_add(o, "budget", b);
	return o;
}
