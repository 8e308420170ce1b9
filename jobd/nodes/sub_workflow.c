/* sub_workflow.c: the sub_workflow node type: another workflow of the same owner run as a
 * child execution (jobd/childrun.c) with inputs rendered from the node's template tree, waited
 * for without holding a thread; outputs {execution_id, results}. A node started again (the
 * run resumed after a crash) takes up the child it started before instead of a second one. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(sub_workflow,
	.title = "Sub-workflow",
	.description = "Runs another workflow of the same owner as a child execution (its "
	    "version current at the start) with `inputs` (JSON whose strings are templates), "
	    "waits for it without holding a thread and outputs {execution_id, results}. The "
	    "child's failure fails the node; cancelling either run cancels the other.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"workflow_id\":" WF_UUID_STR("Workflow to run") ","
	    "\"inputs\":{\"type\":\"object\",\"maxProperties\":64,"
	    "\"title\":\"Inputs (JSON whose strings are templates)\"},",
	    ",\"required\":[\"workflow_id\"]"),
	.recorded_whole = true,
	.outputs = WF_OUT_DEFAULT,
	.network = true,
	.template_trees = WF_NAMES("inputs"));

#ifdef JOBD_BUILD
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "childrun.h"
#include "db.h"
#include "jsonh.h"
#include "node.h"
#include "sandbox.h"
#include "xalloc.h"

/* The child this node started last in this execution (a resumed run's). */
#define SQL_SUB_LAST \
	"SELECT id, status, results, error FROM executions WHERE parent_execution_id = $1::uuid " \
	"AND parent_node = $2 ORDER BY created_at DESC LIMIT 1"

struct sub_call {
	struct node_call	*c;
	struct sandbox_req	*req;		/* while the inputs render */
	struct childwatch	*watch;		/* while the child runs */
	char			 owner[UUID_STRLEN + 1];
};

static void
sub_free(struct sub_call *s, int cancel)
{
	if (s == NULL)
		return;
	sandbox_cancel(s->req);
	childwatch_free(s->watch, cancel);
	free(s);
}

/* The node's output for a child that succeeded. */
static json_object *
sub_output(const char *id, json_object *results)
{
	json_object	*o = jsonh_new_object();

	json_object_object_add(o, "execution_id", jsonh_new_string(id));
	json_object_object_add(o, "results", results != NULL ? json_object_get(results) :
	    jsonh_new_object());
	return o;
}

/* Ends the call with "out" or "err". */
static void
sub_end(struct sub_call *s, json_object *out, const char *err)
{
	struct node_call	*c = s->c;

	c->priv = NULL;
	sub_free(s, 0);
	c->done(c, out, err);
}

static void
sub_on_end(void *arg, size_t slot, const char *id, const char *status, json_object *results,
    const char *error)
{
	struct sub_call	*s = arg;
	char		 err[512];

	(void)slot;
	if (strcmp(status, "succeeded") == 0) {
		sub_end(s, sub_output(id, results), NULL);
		return;
	}
	if (strcmp(status, "cancelled") == 0) {
		/* Cancelling the child cancels the parent: the row, then the word that makes
		 * the worker running it (this one) abort this call. */
		childwatch_free(s->watch, 0);
		s->watch = NULL;
		childrun_cancel(s->c->env, s->c->execution_id);
		return;
	}
	snprintf(err, sizeof(err), "the sub-workflow's run %s failed: %s", id,
	    error != NULL ? error : "no reason given");
	sub_end(s, NULL, err);
}

/* Starts the child with "inputs"; returns 0, or -1 with "err". */
static int
sub_launch(struct sub_call *s, json_object *inputs, char *err, size_t errlen)
{
	struct node_call	*c = s->c;
	struct launch		 l = { .kind = LAUNCH_WORKFLOW };
	char			 id[UUID_STRLEN + 1];

	l.target_id = jsonh_get_string(c->node->config, "workflow_id");
	l.inputs = inputs;
	l.trigger = "workflow";
	l.parent_node = c->node->id;
	if (childrun_launch(c->env, &l, c->execution_id, s->owner, &c->trace, id, err,
	    errlen) == -1)
		return -1;
	s->watch = childwatch_new(c->env, sub_on_end, s);
	childwatch_add(s->watch, 0, id);
	return 0;
}

static void
sub_on_inputs(void *arg, json_object *results, const char *error)
{
	struct sub_call	*s = arg;
	json_object	*inputs;
	size_t		 i = 0;
	char		 err[512];

	s->req = NULL;
	if (results == NULL) {
		sub_end(s, NULL, error != NULL ? error : "the inputs did not render");
		return;
	}
	inputs = node_eval_rebuild_tree(json_object_object_get(s->c->node->config, "inputs"),
	    results, &i);
	json_object_put(results);
	if (sub_launch(s, inputs, err, sizeof(err)) == -1)
		sub_end(s, NULL, err);
	json_object_put(inputs);
}

/* Takes up the child started by an earlier claim of this run: 1 when one is running again
 * (watched) or succeeded ("*out" set), 0 when there is none to take. */
static int
sub_adopt(struct sub_call *s, json_object **out)
{
	struct node_call	*c = s->c;
	PGresult		*res = NULL;
	json_object		*results;
	const char		*st;
	int			 taken = 0;

	if (db_row(c->env->db, SQL_SUB_LAST, 2, (const char *[]){ c->execution_id,
	    c->node->id }, &res) != DB_OK) {
		PQclear(res);
		return 0;
	}
	st = PQgetvalue(res, 0, 1);
	if (strcmp(st, "succeeded") == 0) {
		results = db_json(res, 0, 2);
		*out = sub_output(PQgetvalue(res, 0, 0), results);
		json_object_put(results);
		taken = 1;
	} else if (strcmp(st, "queued") == 0 || strcmp(st, "running") == 0 ||
		    strcmp(st, "waiting") == 0) {
		s->watch = childwatch_new(c->env, sub_on_end, s);
		childwatch_add(s->watch, 0, PQgetvalue(res, 0, 0));
		taken = 1;
	}
	PQclear(res);
	return taken;
}

static enum node_rc
sub_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*tree = jsonh_get_typed(c->node->config, "inputs", json_type_object);
	struct sub_call	*s = xcalloc(1, sizeof(*s));

	*out = NULL;
	s->c = c;
	if (childrun_prepare(c->env, c->execution_id, s->owner, err, errlen) == -1)
		goto fail;
	if (sub_adopt(s, out)) {
		if (*out == NULL) {
			c->priv = s;
			return NODE_PENDING;
		}
		sub_free(s, 0);
		return NODE_OK;
	}
	if (tree == NULL) {
		if (sub_launch(s, NULL, err, errlen) == -1)
			goto fail;
		c->priv = s;
		return NODE_PENDING;
	}
	if ((s->req = node_eval_req(c, err, errlen)) == NULL)
		goto fail;
	if (node_eval_add_tree(s->req, tree, err, errlen) == -1)
		goto fail;
	c->priv = s;
	sandbox_req_submit(s->req, c->timeout_ms, sub_on_inputs, s);
	return NODE_PENDING;
fail:
	sub_free(s, 0);
	return NODE_ERROR;
}

static void
sub_abort(struct node_call *c)
{
	sub_free(c->priv, 1);
	c->priv = NULL;
}

NODE_IMPL(sub_workflow, sub_run, sub_abort);
#endif
