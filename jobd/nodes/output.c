/* output.c: the output node; renders config.value into the execution's results, in the
 * sandbox. */
#include "config.h"

#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

enum node_rc
node_output_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	(void)out;
	return node_eval_one(c, SANDBOX_TEMPLATE, jsonh_get_string(c->node->config, "value"),
	    NULL, err, errlen);
}
