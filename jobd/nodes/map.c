/* map.c: the map node type: another workflow of the same owner run once per item of an array
 * as child executions (jobd/childrun.c), at most `concurrency` at a time, with inputs
 * {item, index}; the outputs are collected in item order. What it holds is bounded by the
 * concurrency (the children watched) and the items and outputs themselves: a child is started
 * only when one ends. A node started again (the run resumed, or a retry) keeps the items whose
 * child succeeded before and runs the others again. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(map,
	.title = "Map",
	.description = "Runs another workflow of the same owner once per item of the array "
	    "that the jq program `items` gives, as child executions with inputs {item, index}, "
	    "at most `concurrency` at a time. Outputs {results, errors, succeeded, failed}, the "
	    "results in item order. `on_error`: stop (the first failed item cancels the others "
	    "and fails the node) or collect (a failed item's result is null and its error is "
	    "listed).",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"workflow_id\":" WF_UUID_STR("Workflow run per item") ","
	    "\"items\":" WF_JQ_STR("Items (a jq program giving an array)") ","
	    "\"concurrency\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200,"
	    "\"default\":10,\"title\":\"Items at a time\"},"
	    "\"on_error\":{\"type\":\"string\",\"enum\":[\"stop\",\"collect\"],"
	    "\"default\":\"stop\",\"title\":\"When an item fails\"},",
	    ",\"required\":[\"workflow_id\",\"items\"]"),
	.recorded_whole = true,
	.outputs = WF_OUT_DEFAULT,
	.network = true,
	.programs = WF_NAMES("items"));

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

#define MAP_MAX_ITEMS		100000
#define MAP_DEFAULT_CONCURRENCY	10

/* The children this node started before in this execution, the latest of each item last. */
#define SQL_MAP_EARLIER \
	"SELECT parent_item, id, status, results FROM executions WHERE parent_execution_id = " \
	"$1::uuid AND parent_node = $2 AND parent_item < $3::int ORDER BY parent_item, created_at"

enum map_item_state {
	MAP_TODO,
	MAP_RUNNING,
	MAP_DONE,
};

struct map_call {
	struct node_call	*c;
	struct sandbox_req	*req;		/* while the items are computed */
	struct childwatch	*watch;
	json_object		*items;		/* the array */
	json_object		*results;	/* one per item, null until it succeeds */
	json_object		*errors;	/* {index, execution_id, status, error} */
	unsigned char		*state;		/* enum map_item_state per item */
	size_t			 n, next, running, succeeded, failed;
	size_t			 concurrency;
	int			 collect;	/* on_error: collect */
	char			 owner[UUID_STRLEN + 1];
};

static void
map_free(struct map_call *m, int cancel)
{
	if (m == NULL)
		return;
	sandbox_cancel(m->req);
	childwatch_free(m->watch, cancel);
	json_object_put(m->items);
	json_object_put(m->results);
	json_object_put(m->errors);
	free(m->state);
	free(m);
}

/* Ends the call with "out" or "err"; with "cancel", the children still running are cancelled. */
static void
map_end(struct map_call *m, json_object *out, const char *err, int cancel)
{
	struct node_call	*c = m->c;

	c->priv = NULL;
	map_free(m, cancel);
	c->done(c, out, err);
}

static json_object *
map_output(struct map_call *m)
{
	json_object	*o = jsonh_new_object();

	json_object_object_add(o, "results", json_object_get(m->results));
	json_object_object_add(o, "errors", json_object_get(m->errors));
	json_object_object_add(o, "succeeded", jsonh_new_int64((int64_t)m->succeeded));
	json_object_object_add(o, "failed", jsonh_new_int64((int64_t)m->failed));
	return o;
}

/* Records item "i" as failed; under on_error stop, ends the call (returns -1). */
static int
map_item_failed(struct map_call *m, size_t i, const char *id, const char *status,
    const char *error)
{
	json_object	*e = jsonh_new_object();
	char		 err[512];

	m->state[i] = MAP_DONE;
	m->failed++;
	json_object_object_add(e, "index", jsonh_new_int64((int64_t)i));
	json_object_object_add(e, "execution_id", jsonh_string_or_null(id));
	json_object_object_add(e, "status", jsonh_new_string(status));
	json_object_object_add(e, "error", jsonh_string_or_null(error));
	json_object_array_add(m->errors, e);
	if (m->collect)
		return 0;
	snprintf(err, sizeof(err), "item %zu %s: %s", i, strcmp(status, "cancelled") == 0 ?
	    "was cancelled" : "failed", error != NULL ? error : "no reason given");
	map_end(m, NULL, err, 1);
	return -1;
}

/* Starts children until "concurrency" run or no item is left; ends the call when every item
 * is done. Returns -1 when the call ended. */
static int
map_fill(struct map_call *m)
{
	struct node_call	*c = m->c;
	struct launch		 l = { .kind = LAUNCH_WORKFLOW };
	json_object		*inputs;
	char			 id[UUID_STRLEN + 1], item[24], err[512];
	size_t			 i;
	int			 rc;

	l.target_id = jsonh_get_string(c->node->config, "workflow_id");
	l.trigger = "workflow";
	l.parent_node = c->node->id;
	while (m->running < m->concurrency && m->next < m->n) {
		if (m->state[i = m->next++] != MAP_TODO)
			continue;
		inputs = jsonh_new_object();
		json_object_object_add(inputs, "item",
		    json_object_get(json_object_array_get_idx(m->items, i)));
		json_object_object_add(inputs, "index", jsonh_new_int64((int64_t)i));
		snprintf(item, sizeof(item), "%zu", i);
		l.inputs = inputs;
		l.parent_item = item;
		l.traceparent = NULL;
		rc = childrun_launch(c->env, &l, c->execution_id, m->owner, &c->trace, id, err,
		    sizeof(err));
		json_object_put(inputs);
		if (rc == -1) {
			if (map_item_failed(m, i, NULL, "failed", err) == -1)
				return -1;
			continue;
		}
		m->state[i] = MAP_RUNNING;
		m->running++;
		childwatch_add(m->watch, i, id);
	}
	if (m->running == 0 && m->next >= m->n) {
		map_end(m, map_output(m), NULL, 0);
		return -1;
	}
	return 0;
}

static void
map_on_end(void *arg, size_t i, const char *id, const char *status, json_object *results,
    const char *error)
{
	struct map_call	*m = arg;

	m->running--;
	if (strcmp(status, "succeeded") == 0) {
		m->state[i] = MAP_DONE;
		m->succeeded++;
		json_object_array_put_idx(m->results, i, results != NULL ?
		    json_object_get(results) : jsonh_new_object());
	} else if (map_item_failed(m, i, id, status, error) == -1)
		return;
	(void)map_fill(m);
}

/* Takes up the children of an earlier claim: the items whose latest child succeeded are done,
 * those still running are watched; the others run again. */
static void
map_adopt(struct map_call *m)
{
	struct node_call	*c = m->c;
	PGresult		*res = NULL;
	char			 n[24];
	const char		*st;
	size_t			 i;
	int			 r;

	snprintf(n, sizeof(n), "%zu", m->n);
	if (db_exec(c->env->db, SQL_MAP_EARLIER, 3, (const char *[]){ c->execution_id,
	    c->node->id, n }, &res) != DB_OK) {
		PQclear(res);
		return;
	}
	/* Rows come by item, the latest last: each overrides the one before. */
	for (r = 0; r < PQntuples(res); r++) {
		i = strtoul(PQgetvalue(res, r, 0), NULL, 10);
		st = PQgetvalue(res, r, 2);
		json_object_array_put_idx(m->results, i, NULL);
		if (strcmp(st, "succeeded") == 0) {
			m->state[i] = MAP_DONE;
			json_object_array_put_idx(m->results, i, db_json(res, r, 3));
		} else if (strcmp(st, "queued") == 0 || strcmp(st, "running") == 0 ||
		    strcmp(st, "waiting") == 0)
			m->state[i] = MAP_RUNNING;
		else
			m->state[i] = MAP_TODO;
		/* The child's id, for a running one, is kept in the watch below. */
		if (m->state[i] == MAP_RUNNING && (r + 1 == PQntuples(res) ||
		    strcmp(PQgetvalue(res, r + 1, 0), PQgetvalue(res, r, 0)) != 0)) {
			childwatch_add(m->watch, i, PQgetvalue(res, r, 1));
			m->running++;
		}
	}
	for (i = 0; i < m->n; i++)
		if (m->state[i] == MAP_DONE)
			m->succeeded++;
	PQclear(res);
}

static void
map_on_items(void *arg, json_object *results, const char *error)
{
	struct map_call	*m = arg;
	json_object	*items;
	char		 err[128];
	size_t		 i;

	m->req = NULL;
	if (results == NULL) {
		map_end(m, NULL, error != NULL ? error : "the items could not be computed", 0);
		return;
	}
	items = json_object_array_get_idx(results, 0);
	if (!json_object_is_type(items, json_type_array)) {
		snprintf(err, sizeof(err), "items must give an array, not %s", items == NULL ?
		    "null" : json_type_to_name(json_object_get_type(items)));
		json_object_put(results);
		map_end(m, NULL, err, 0);
		return;
	}
	m->items = json_object_get(items);
	json_object_put(results);
	if ((m->n = json_object_array_length(m->items)) > MAP_MAX_ITEMS) {
		snprintf(err, sizeof(err), "items gave %zu items; at most %d are mapped", m->n,
		    MAP_MAX_ITEMS);
		map_end(m, NULL, err, 0);
		return;
	}
	m->results = jsonh_new_array();
	for (i = 0; i < m->n; i++)
		json_object_array_add(m->results, NULL);
	m->state = xcalloc(m->n + 1, 1);
	map_adopt(m);
	(void)map_fill(m);
}

static enum node_rc
map_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*conc = jsonh_get_typed(c->node->config, "concurrency", json_type_int);
	const char	*on_error = jsonh_get_string(c->node->config, "on_error");
	struct map_call	*m = xcalloc(1, sizeof(*m));

	(void)out;
	m->c = c;
	m->concurrency = conc != NULL ? (size_t)json_object_get_int64(conc) :
	    MAP_DEFAULT_CONCURRENCY;
	m->collect = on_error != NULL && strcmp(on_error, "collect") == 0;
	m->errors = jsonh_new_array();
	if (childrun_prepare(c->env, c->execution_id, m->owner, err, errlen) == -1 ||
	    (m->req = node_eval_req(c, err, errlen)) == NULL ||
	    sandbox_req_add(m->req, SANDBOX_EXPR, jsonh_get_string(c->node->config, "items"),
	    err, errlen) == -1) {
		map_free(m, 0);
		return NODE_ERROR;
	}
	m->watch = childwatch_new(c->env, map_on_end, m);
	c->priv = m;
	sandbox_req_submit(m->req, c->timeout_ms, map_on_items, m);
	return NODE_PENDING;
}

static void
map_abort(struct node_call *c)
{
	map_free(c->priv, 1);
	c->priv = NULL;
}

NODE_IMPL(map, map_run, map_abort);
#endif
