/* policy.h: the step policy of a node (wf_policy, from its config): how long an attempt may
 * take, whether a failed attempt is tried again and after how long, and whether a final
 * failure lets the run go on. Pure functions: the engine (run.c) applies them. */
#ifndef FRAGENT_POLICY_H
#define FRAGENT_POLICY_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "wf.h"

#define POLICY_BACKOFF_CAP_MS	3600000L	/* an hour */

/* True when, after "tries" tries of which the last failed, another is to be made. */
bool		 policy_will_retry(const struct wf_policy *p, int tries);
/* True when the failure of try "tries" counts as success: it was the last one and the node
 * has continue_on_error but no error branch. */
bool		 policy_continues(const struct wf_policy *p, int tries);
/* True when the failure of try "tries" takes the node's error branch: it was the last one
 * and the node has edges from its "error" handle (then continue_on_error does not apply). */
bool		 policy_branches(const struct wf_policy *p, int tries);
/* The back-off before try "tries + 1": retry_backoff_ms doubled per earlier try, capped at
 * POLICY_BACKOFF_CAP_MS, with "equal jitter" (a point in the upper half chosen by "rnd", any
 * random number). */
long		 policy_backoff_ms(const struct wf_policy *p, int tries, uint64_t rnd);
/* The output a step that continues after error "err" records: {error, output} (output only
 * when "out" is not NULL). Returns a new reference. */
json_object	*policy_error_output(json_object *out, const char *err);
/* The output of node "node_id" whose try "tries" (attempt "attempt") failed with "err" and
 * took its error branch, the input of that branch: {error, node, attempt, tries, output}
 * (output only when "out" is not NULL). Returns a new reference. */
json_object	*policy_branch_output(const char *node_id, int attempt, int tries,
		    json_object *out, const char *err);

#endif
