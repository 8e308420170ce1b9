/* template.c: the template node; renders config.template ({{ jq }} tags) over the context. */
#include "config.h"

#include "expr.h"
#include "jsonh.h"
#include "node.h"

int
node_template_run(const struct wf_node *n, json_object *ctx, json_object **out, char *err,
    size_t errlen)
{
	return expr_render(jsonh_get_string(n->config, "template"), ctx, out, err, errlen);
}
