/* policy.c: the step policy (see policy.h). */
#include "config.h"

#include "jsonh.h"
#include "policy.h"

bool
policy_will_retry(const struct wf_policy *p, int tries)
{
	return tries <= p->retries;
}

bool
policy_continues(const struct wf_policy *p, int tries)
{
	return !policy_will_retry(p, tries) && p->continue_on_error && !p->error_branch;
}

bool
policy_branches(const struct wf_policy *p, int tries)
{
	return !policy_will_retry(p, tries) && p->error_branch;
}

long
policy_backoff_ms(const struct wf_policy *p, int tries, uint64_t rnd)
{
	long	 d = p->retry_backoff_ms;
	int	 i;

	if (d <= 0)
		return 0;
	for (i = 1; i < tries && d < POLICY_BACKOFF_CAP_MS; i++)
		d *= 2;
	if (d > POLICY_BACKOFF_CAP_MS)
		d = POLICY_BACKOFF_CAP_MS;
	return d / 2 + (long)(rnd % (uint64_t)(d / 2 + 1));
}

json_object *
policy_error_output(json_object *out, const char *err)
{
	json_object	*wrapped = jsonh_new_object();

	json_object_object_add(wrapped, "error", jsonh_new_string(err));
	if (out != NULL)
		json_object_object_add(wrapped, "output", json_object_get(out));
	return wrapped;
}

json_object *
policy_branch_output(const char *node_id, int attempt, int tries, json_object *out,
    const char *err)
{
	json_object	*o = jsonh_new_object();

	json_object_object_add(o, "error", jsonh_new_string(err));
	json_object_object_add(o, "node", jsonh_new_string(node_id));
	json_object_object_add(o, "attempt", jsonh_new_int(attempt));
	json_object_object_add(o, "tries", jsonh_new_int(tries));
	if (out != NULL)
		json_object_object_add(o, "output", json_object_get(out));
	return o;
}
