/* input.c: the input node; its output is the execution's inputs. */
#include "config.h"

#include "node.h"

enum node_rc
node_input_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*in = NULL;

	(void)err;
	(void)errlen;
	json_object_object_get_ex(c->ctx, "input", &in);
	*out = json_object_get(in);
	return NODE_OK;
}
