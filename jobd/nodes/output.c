/* output.c: the output node; renders config.value into the execution's results. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

int
node_output_run(const struct wf_node *n, json_object *ctx, json_object **out, char *err,
    size_t errlen)
{
	return expr_render(jsonh_get_string(n->config, "value"), ctx, out, err, errlen);
}
