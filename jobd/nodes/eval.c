/* eval.c: what the node types that evaluate expressions or templates share: a sandbox
 * request over the node's context (every expression of a node in one request), kept in
 * c->priv while it runs, and its abort; JSON whose string leaves are templates. */
#include "config.h"

#include "jsonh.h"
#include "node.h"
#include "sandbox.h"

struct sandbox_req *
node_eval_req(struct node_call *c, char *err, size_t errlen)
{
	return sandbox_req_new(c->env->sandbox, c->ctx, err, errlen);
}

enum node_rc
node_eval_submit(struct node_call *c, struct sandbox_req *r,
    void (*done)(void *, json_object *, const char *))
{
	c->priv = r;
	sandbox_req_submit(r, c->timeout_ms, done, c);
	return NODE_PENDING;
}

enum node_rc
node_eval_one(struct node_call *c, int kind, const char *text,
    void (*done)(void *, json_object *, const char *), char *err, size_t errlen)
{
	struct sandbox_req	*r;

	if ((r = node_eval_req(c, err, errlen)) == NULL)
		return NODE_ERROR;
	if (sandbox_req_add(r, (enum sandbox_kind)kind, text, err, errlen) == -1) {
		sandbox_cancel(r);
		return NODE_ERROR;
	}
	return node_eval_submit(c, r, done != NULL ? done : node_eval_done);
}

void
node_eval_done(void *arg, json_object *results, const char *err)
{
	struct node_call	*c = arg;
	json_object		*out = NULL;

	c->priv = NULL;
	if (results != NULL)
		out = json_object_get(json_object_array_get_idx(results, 0));
	json_object_put(results);
	c->done(c, out, err);
}

void
node_eval_abort(struct node_call *c)
{
	sandbox_cancel(c->priv);
	c->priv = NULL;
}

int
node_eval_add_tree(struct sandbox_req *r, json_object *tree, char *err, size_t errlen)
{
	size_t	 i;

	if (json_object_is_type(tree, json_type_string))
		return sandbox_req_add(r, SANDBOX_TEMPLATE, json_object_get_string(tree), err,
		    errlen);
	if (json_object_is_type(tree, json_type_object)) {
		json_object_object_foreach(tree, k, m) {
			(void)k;
			if (node_eval_add_tree(r, m, err, errlen) == -1)
				return -1;
		}
	} else if (json_object_is_type(tree, json_type_array))
		for (i = 0; i < json_object_array_length(tree); i++)
			if (node_eval_add_tree(r, json_object_array_get_idx(tree, i), err,
			    errlen) == -1)
				return -1;
	return 0;
}

json_object *
node_eval_rebuild_tree(json_object *tree, json_object *res, size_t *i)
{
	json_object	*out;
	size_t		 k;

	if (json_object_is_type(tree, json_type_string))
		return json_object_get(json_object_array_get_idx(res, (*i)++));
	if (json_object_is_type(tree, json_type_object)) {
		out = jsonh_new_object();
		json_object_object_foreach(tree, key, m)
			json_object_object_add(out, key, node_eval_rebuild_tree(m, res, i));
		return out;
	}
	if (json_object_is_type(tree, json_type_array)) {
		out = jsonh_new_array();
		for (k = 0; k < json_object_array_length(tree); k++)
			json_object_array_add(out, node_eval_rebuild_tree(json_object_array_get_idx(tree, k),
			    res, i));
		return out;
	}
	return json_object_get(tree);
}
