/* node.h: what jobd runs for each node type; one file per type in jobd/nodes/. */
#ifndef FRAGENT_NODE_H
#define FRAGENT_NODE_H

#include <stddef.h>

#include <json-c/json.h>

#include "wf.h"

/* Runs node "n" against the workflow context "ctx" ({input, <node_id>: {output}}).
 * Returns 0 with a new reference in "out" (NULL is JSON null), or -1 with a message in "err". */
typedef int (*node_run_fn)(const struct wf_node *n, json_object *ctx, json_object **out,
    char *err, size_t errlen);

int	node_input_run(const struct wf_node *, json_object *, json_object **, char *, size_t);
int	node_output_run(const struct wf_node *, json_object *, json_object **, char *, size_t);
int	node_template_run(const struct wf_node *, json_object *, json_object **, char *, size_t);

/* Indexed by enum wf_node_type. */
extern const node_run_fn node_runners[WF_NODE__MAX];

#endif
