/* wf.c: the table of node types (each type's descriptor lives in its file of jobd/nodes/),
 * and parsing and validation of workflow definitions (configs against their types' schemas,
 * the expressions their descriptors name, edges and handles, acyclicity). */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "budget.h"
#include "expr.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "nodetype.h"
#include "wf.h"
#include "xalloc.h"

void
wf_error_add(json_object *errors, const char *field, const char *fmt, ...)
{
	json_object	*row;
	char		 msg[512];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((row = jsonh_new_object()) == NULL)
		return;
	json_object_object_add(row, "field", jsonh_new_string(field));
	json_object_object_add(row, "message", jsonh_new_string(msg));
	/* Fields and messages quote names from the request, cut to a buffer's size: a cut
	 * may split a UTF-8 character, which the answer's JSON could not carry. */
	json_object_array_add(errors, jsonh_make_storable(row));
}

/* ---------------------------------------------------------------- node types */

const char *const wf_handle_names[WF_HANDLE__MAX] = {
	[WF_HANDLE_DEFAULT] = "default",
	[WF_HANDLE_TRUE] = "true",
	[WF_HANDLE_FALSE] = "false",
	[WF_HANDLE_ERROR] = "error",
	[WF_HANDLE_APPROVED] = "approved",
	[WF_HANDLE_REJECTED] = "rejected",
};

/* One expression gathered by the compile pass, and where it was found. */
struct wf_gathered {
	char		*program;
	char		 field[160];
	size_t		 node;
};

/* The expressions of a definition, compiled together once gathered (expr_check_batch). */
struct wf_batch {
	struct wf_gathered	*items;
	size_t			 n, cap;
};

/* A pass over the expressions of one node's config (wf_check_members). */
struct wf_pass {
	json_object	*errors;	/* NULL: count only (wf_limits_check) */
	bool		 compile;	/* the second pass: check what the first measured */
	enum expr_mode	 mode;		/* how deeply the second pass checks */
	struct wf_batch	*batch;		/* compile pass: where expressions are gathered */
	size_t		 node;		/* the node being checked */
	size_t		 exprs;		/* expressions seen in this pass, all nodes */
	size_t		 bytes;		/* their bytes */
	size_t		 node_exprs;	/* of the node being checked */
};

/* Appends a row to the pass's errors, if it lists any. */
static void __attribute__((format(printf, 3, 4)))
wf_pass_error(struct wf_pass *p, const char *field, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	if (p->errors == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	wf_error_add(p->errors, field, "%s", msg);
}

/* Counts "n" expressions of "bytes" bytes, the longest "longest", found at "field". */
static void
wf_pass_count(struct wf_pass *p, const char *field, size_t n, size_t bytes, size_t longest)
{
	p->exprs += n;
	p->bytes += bytes;
	p->node_exprs += n;
	if (longest > EXPR_MAX_PROGRAM)
		wf_pass_error(p, field, "has an expression of %zu bytes; one has at most %d",
		    longest, EXPR_MAX_PROGRAM);
}

/* Gathers program "prog" ("len" bytes) found at "field" for the batch. */
static void
wf_gather(struct wf_pass *p, const char *field, const char *prog, size_t len)
{
	struct wf_batch		*b = p->batch;
	struct wf_gathered	*g;

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->items = xreallocarray(b->items, b->cap, sizeof(*b->items));
	}
	g = &b->items[b->n];
	g->program = xstrndup(prog, len);
	snprintf(g->field, sizeof(g->field), "%s", field);
	g->node = p->node;
	b->n++;
}

struct wf_gather_tag {
	struct wf_pass	*p;
	const char	*field;
};

/* expr_template_each's callback: gathers one {{ … }} expression. */
static int
wf_gather_tag(void *arg, const char *expr, size_t len)
{
	struct wf_gather_tag	*t = arg;

	if (len == 0) {
		wf_pass_error(t->p, t->field, "empty {{ }} expression");
		return 0;
	}
	wf_gather(t->p, t->field, expr, len);
	return 0;
}

/* Measures (first pass) or checks (second) the template "tmpl" found at "field"; compiles
 * are gathered for one batch when the pass has one. */
static void
wf_check_template_str(const char *tmpl, const char *field, struct wf_pass *p)
{
	struct wf_gather_tag	 t = { p, field };
	size_t			 n = 0, bytes = 0, longest = 0;
	char			 err[256];

	if (!p->compile) {
		/* An unclosed tag is the compile's to report. */
		(void)expr_template_measure(tmpl, &n, &bytes, &longest);
		wf_pass_count(p, field, n, bytes, longest);
	} else if (p->batch != NULL) {
		/* -1: an unclosed tag, which the syntax check words. */
		if (expr_template_each(tmpl, wf_gather_tag, &t) == -1 &&
		    expr_template_check(tmpl, EXPR_SYNTAX, err, sizeof(err)) == -1)
			wf_pass_error(p, field, "%s", err);
	} else if (expr_template_check(tmpl, p->mode, err, sizeof(err)) == -1)
		wf_pass_error(p, field, "%s", err);
}

/* Checks config member "key", when a string, as a template. */
static void
wf_check_template_field(size_t i, json_object *config, const char *key, struct wf_pass *p)
{
	json_object	*v;
	char		 field[96];

	if (!json_object_object_get_ex(config, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return;		/* presence and type are the schema's business */
	snprintf(field, sizeof(field), "nodes[%zu].config.%s", i, key);
	wf_check_template_str(json_object_get_string(v), field, p);
}

/* Checks member "key" of "obj", when a string, as a jq program; "obj" is node "i"'s config
 * ("at" NULL) or the member of it at path "at". */
static void
wf_check_jq_field(size_t i, json_object *obj, const char *at, const char *key,
    struct wf_pass *p)
{
	json_object	*v;
	char		 field[128], err[256];
	size_t		 len;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return;
	snprintf(field, sizeof(field), "nodes[%zu].config.%s%s%s", i, at != NULL ? at : "",
	    at != NULL ? "." : "", key);
	len = (size_t)json_object_get_string_len(v);
	if (!p->compile)
		wf_pass_count(p, field, 1, len, len);
	else if (p->batch != NULL)
		wf_gather(p, field, json_object_get_string(v), len);
	else if (expr_check(json_object_get_string(v), p->mode, err, sizeof(err)) == -1)
		wf_pass_error(p, field, "%s", err);
}

/* Checks every string leaf of "v" as a template; "field" names "v". */
static void
wf_check_tree(json_object *v, const char *field, struct wf_pass *p, int depth)
{
	char	 sub[160];
	size_t	 k;

	if (v == NULL)
		return;
	if (depth > WF_MAX_TREE_DEPTH) {
		if (!p->compile)
			wf_pass_error(p, field, "is nested more than %d levels deep",
			    WF_MAX_TREE_DEPTH);
		return;
	}
	if (json_object_is_type(v, json_type_string))
		wf_check_template_str(json_object_get_string(v), field, p);
	else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, m) {
			snprintf(sub, sizeof(sub), "%s.%s", field, key);
			wf_check_tree(m, sub, p, depth + 1);
		}
	} else if (json_object_is_type(v, json_type_array))
		for (k = 0; k < json_object_array_length(v); k++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", field, k);
			wf_check_tree(json_object_array_get_idx(v, k), sub, p, depth + 1);
		}
}

/* Checks config member "key", when an object, as a JSON Schema an author wrote: it passes the
 * meta-schema in the first pass, before any value meets it. */
static void
wf_check_schema_field(size_t i, json_object *config, const char *key, struct wf_pass *p)
{
	json_object	*schema;
	char		 field[96];

	schema = jsonh_get_typed(config, key, json_type_object);
	if (schema == NULL || p->compile || p->errors == NULL)
		return;
	snprintf(field, sizeof(field), "nodes[%zu].config.%s", i, key);
	(void)jsmeta_check(schema, field, p->errors);
}

/* Checks the members of "config" (node "i", of type "t") that its descriptor names as
 * templates, template trees, jq programs and schemas, in pass "p". */
static void
wf_check_members(const struct wf_type_def *t, size_t i, json_object *config,
    struct wf_pass *p)
{
	const char *const	*k;
	json_object		*v;
	char			 field[96];
	size_t			 c;

	for (k = t->templates; k != NULL && *k != NULL; k++)
		wf_check_template_field(i, config, *k, p);
	for (k = t->template_trees; k != NULL && *k != NULL; k++)
		if (json_object_object_get_ex(config, *k, &v)) {
			snprintf(field, sizeof(field), "nodes[%zu].config.%s", i, *k);
			wf_check_tree(v, field, p, 0);
		}
	for (k = t->programs; k != NULL && *k != NULL; k++)
		wf_check_jq_field(i, config, NULL, *k, p);
	for (k = t->schemas; k != NULL && *k != NULL; k++)
		wf_check_schema_field(i, config, *k, p);
	if (t->cases != NULL && (v = jsonh_get_typed(config, t->cases, json_type_array)) != NULL)
		for (c = 0; c < json_object_array_length(v); c++) {
			snprintf(field, sizeof(field), "%s[%zu]", t->cases, c);
			wf_check_jq_field(i, json_object_array_get_idx(v, c), field, "expr", p);
		}
}

/* Checks the case names of node "i" of type "t" (the schema checked their form): each is
 * unique and none is a named handle. Returns 0, or -1 after adding errors to "errors". */
static int
wf_check_cases(const struct wf_type_def *t, size_t i, json_object *config,
    json_object *errors)
{
	json_object	*cases;
	const char	*name, *other;
	char		 field[96];
	size_t		 k, j, h;
	int		 rc = 0;

	if (t->cases == NULL ||
	    (cases = jsonh_get_typed(config, t->cases, json_type_array)) == NULL)
		return 0;
	for (k = 0; k < json_object_array_length(cases); k++) {
		if ((name = jsonh_get_string(json_object_array_get_idx(cases, k), "name")) == NULL)
			continue;
		snprintf(field, sizeof(field), "nodes[%zu].config.%s[%zu].name", i, t->cases, k);
		for (h = 0; h < WF_HANDLE__MAX; h++)
			if (strcmp(name, wf_handle_names[h]) == 0) {
				wf_error_add(errors, field, "\"%s\" is the name of a handle every "
				    "node may have; choose another", name);
				rc = -1;
			}
		for (j = 0; j < k; j++) {
			other = jsonh_get_string(json_object_array_get_idx(cases, j), "name");
			if (other != NULL && strcmp(other, name) == 0) {
				wf_error_add(errors, field, "duplicate case name \"%s\" (as "
				    "%s[%zu])", name, t->cases, j);
				rc = -1;
				break;
			}
		}
	}
	return rc;
}

/* The node types' descriptors, one per file of jobd/nodes/ (desclist.h). */
const struct wf_type_def *const wf_types[WF_NODE__MAX] = {
#define WF_TYPE_ROW(n, N)	[WF_NODE_##N] = &wf_type_##n,
	DESC_NODE_TYPES(WF_TYPE_ROW)
#undef WF_TYPE_ROW
};

/* The parsed schemas of wf_types, built once per process. */
static json_object	*wf_schemas[WF_NODE__MAX];
static pthread_once_t	 wf_schemas_once = PTHREAD_ONCE_INIT;

static void
wf_schemas_init(void)
{
	size_t	 i;

	for (i = 0; i < WF_NODE__MAX; i++)
		wf_schemas[i] = jschema_parse(wf_types[i]->config_schema);
}

bool
wf_type_has_handle(enum wf_node_type t, enum wf_handle h)
{
	const char *const	*o;

	if (h == WF_HANDLE_ERROR)
		return true;
	for (o = wf_types[t]->outputs; *o != NULL; o++)
		if (strcmp(*o, wf_handle_names[h]) == 0)
			return true;
	return false;
}

int
wf_node_handle(enum wf_node_type t, json_object *config, const char *name)
{
	json_object	*cases;
	size_t		 h, k, n;

	if (name == NULL)
		name = wf_handle_names[WF_HANDLE_DEFAULT];
	for (h = 0; h < WF_HANDLE__MAX; h++)
		if (strcmp(name, wf_handle_names[h]) == 0)
			return wf_type_has_handle(t, (enum wf_handle)h) ? (int)h : -1;
	if (wf_types[t]->cases == NULL ||
	    (cases = jsonh_get_typed(config, wf_types[t]->cases, json_type_array)) == NULL)
		return -1;
	n = json_object_array_length(cases);
	for (k = 0; k < n && k < WF_MAX_CASES; k++) {
		const char *c = jsonh_get_string(json_object_array_get_idx(cases, k), "name");

		if (c != NULL && strcmp(c, name) == 0)
			return (int)WF_HANDLE_CASE(k);
	}
	return -1;
}

int
wf_type_lookup(const char *name, enum wf_node_type *out)
{
	size_t	 i;

	for (i = 0; i < WF_NODE__MAX; i++)
		if (strcmp(wf_types[i]->name, name) == 0) {
			*out = (enum wf_node_type)i;
			return 0;
		}
	return -1;
}

/* True when "id" is an identifier jq can address as .id: [A-Za-z_][A-Za-z0-9_]*. */
static bool
wf_id_valid(const char *id)
{
	size_t	 i, n = strlen(id);

	if (n == 0 || n > WF_MAX_ID || (id[0] >= '0' && id[0] <= '9'))
		return false;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= 'A' && id[i] <= 'Z') ||
		    (id[i] >= '0' && id[i] <= '9') || id[i] == '_'))
			return false;
	/* "input" is the context key of the execution's inputs. */
	return strcmp(id, "input") != 0;
}

long
wf_node_index(const struct wf *wf, const char *id)
{
	size_t	 i;

	for (i = 0; i < wf->nnodes; i++)
		if (strcmp(wf->nodes[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Checks node "n" (index "i")'s config in pass "p". The first pass checks its size, its
 * type's schema and the measuring part of wf_check_members, with the node's expression
 * cap; the second runs the compiling part. Rows carry the node id in their message.
 * Returns 0, or -1 after adding errors. */
static int
wf_check_config(size_t i, const struct wf_node *n, struct wf_pass *p, json_object *errors)
{
	json_object	*found = jsonh_new_array();
	char		 path[64];
	size_t		 k;
	int		 rc;

	if (found == NULL)
		return -1;
	p->errors = found;
	p->node_exprs = 0;
	p->node = i;
	snprintf(path, sizeof(path), "nodes[%zu].config", i);
	if (p->compile)
		wf_check_members(wf_types[n->type], i, n->config, p);
	else if (jsonh_size(n->config, WF_MAX_NODE_BYTES) > WF_MAX_NODE_BYTES)
		wf_error_add(found, path, "is over %d bytes as JSON", WF_MAX_NODE_BYTES);
	else {
		pthread_once(&wf_schemas_once, wf_schemas_init);
		if (jschema_validate(wf_schemas[n->type], n->config, path, found) == 0 &&
		    wf_check_cases(wf_types[n->type], i, n->config, found) == 0)
			wf_check_members(wf_types[n->type], i, n->config, p);
		if (p->node_exprs > WF_MAX_NODE_EXPRS)
			wf_error_add(found, path, "has %zu expressions; a node has at most %d",
			    p->node_exprs, WF_MAX_NODE_EXPRS);
	}
	for (k = 0; k < json_object_array_length(found); k++) {
		json_object *row = json_object_array_get_idx(found, k);

		wf_error_add(errors, jsonh_get_string(row, "field"), "node \"%s\": %s", n->id,
		    jsonh_get_string(row, "message"));
	}
	rc = json_object_array_length(found) == 0 ? 0 : -1;
	p->errors = NULL;
	json_object_put(found);
	return rc;
}

/* Reads the policy members of a validated config into "n->policy" (defaults when absent). */
static void
wf_policy_read(struct wf_node *n)
{
	json_object	*v;

	n->policy.timeout_ms = WF_DEFAULT_TIMEOUT_MS;
	n->policy.retries = 0;
	n->policy.retry_backoff_ms = WF_DEFAULT_BACKOFF_MS;
	n->policy.continue_on_error = false;
	n->policy.error_branch = false;		/* set by the edges */
	if (json_object_object_get_ex(n->config, "timeout_ms", &v))
		n->policy.timeout_ms = (long)json_object_get_int64(v);
	if (json_object_object_get_ex(n->config, "retries", &v))
		n->policy.retries = json_object_get_int(v);
	if (json_object_object_get_ex(n->config, "retry_backoff_ms", &v))
		n->policy.retry_backoff_ms = (long)json_object_get_int64(v);
	if (json_object_object_get_ex(n->config, "continue_on_error", &v))
		n->policy.continue_on_error = json_object_get_boolean(v);
}

/* Parses one node at index "i" into "n", checking its config in the first pass "p".
 * Returns 0, or -1 after adding errors. */
static int
wf_parse_node(struct wf *wf, size_t i, json_object *jn, struct wf_pass *p,
    json_object *errors)
{
	struct wf_node	*n = &wf->nodes[i];
	const char	*id, *type;
	json_object	*config;
	char		 field[64];
	size_t		 j;

	snprintf(field, sizeof(field), "nodes[%zu]", i);
	if (!json_object_is_type(jn, json_type_object)) {
		wf_error_add(errors, field, "must be an object");
		return -1;
	}
	snprintf(field, sizeof(field), "nodes[%zu].id", i);
	if ((id = jsonh_get_string(jn, "id")) == NULL || !wf_id_valid(id)) {
		wf_error_add(errors, field, "must be 1-%d letters, digits or _, not starting "
		    "with a digit, and not \"input\"", WF_MAX_ID);
		return -1;
	}
	for (j = 0; j < i; j++)
		if (wf->nodes[j].id != NULL && strcmp(wf->nodes[j].id, id) == 0) {
			wf_error_add(errors, field, "duplicate node id \"%s\"", id);
			return -1;
		}
	n->id = id;
	snprintf(field, sizeof(field), "nodes[%zu].type", i);
	if ((type = jsonh_get_string(jn, "type")) == NULL || wf_type_lookup(type, &n->type)) {
		wf_error_add(errors, field, "node \"%s\": unknown node type", id);
		return -1;
	}
	config = jsonh_get_typed(jn, "config", json_type_object);
	snprintf(field, sizeof(field), "nodes[%zu].config", i);
	if (config == NULL) {
		wf_error_add(errors, field, "node \"%s\": must be an object", id);
		return -1;
	}
	n->config = config;
	if (wf_check_config(i, n, p, errors) == -1) {
		n->config = NULL;	/* not compiled in the second pass */
		return -1;
	}
	wf_policy_read(n);
	return 0;
}

/* Writes the handles of node "n" to "buf" ("size" bytes) as a list: its type's named ones,
 * its case handles, error. */
static void
wf_handle_list(const struct wf_node *n, char *buf, size_t size)
{
	const struct wf_type_def	*t = wf_types[n->type];
	const char *const		*o;
	json_object			*cases;
	const char			*c;
	size_t				 k, len = 0;

	buf[0] = '\0';
	for (o = t->outputs; *o != NULL && len < size; o++)
		len += (size_t)snprintf(buf + len, size - len, "%s, ", *o);
	cases = t->cases != NULL ? jsonh_get_typed(n->config, t->cases, json_type_array) : NULL;
	for (k = 0; cases != NULL && k < json_object_array_length(cases) && len < size; k++)
		if ((c = jsonh_get_string(json_object_array_get_idx(cases, k), "name")) != NULL)
			len += (size_t)snprintf(buf + len, size - len, "%s, ", c);
	if (len < size)
		snprintf(buf + len, size - len, "%s", wf_handle_names[WF_HANDLE_ERROR]);
}

/* Parses edge "i". Returns 0, or -1 after adding errors. */
static int
wf_parse_edge(struct wf *wf, size_t i, json_object *je, json_object *errors)
{
	const char	*s, *t;
	long		 si, ti;
	int		 h;
	char		 field[64], list[256];

	snprintf(field, sizeof(field), "edges[%zu]", i);
	if (!json_object_is_type(je, json_type_object)) {
		wf_error_add(errors, field, "must be an object");
		return -1;
	}
	s = jsonh_get_string(je, "source");
	t = jsonh_get_string(je, "target");
	snprintf(field, sizeof(field), "edges[%zu].source", i);
	if (s == NULL || (si = wf_node_index(wf, s)) < 0) {
		wf_error_add(errors, field, "must name an existing node");
		return -1;
	}
	snprintf(field, sizeof(field), "edges[%zu].target", i);
	if (t == NULL || (ti = wf_node_index(wf, t)) < 0) {
		wf_error_add(errors, field, "must name an existing node");
		return -1;
	}
	if (wf_types[wf->nodes[ti].type]->entry) {
		wf_error_add(errors, field, "%s node \"%s\" cannot have incoming edges",
		    wf_types[wf->nodes[ti].type]->name, t);
		return -1;
	}
	if (si == ti) {
		wf_error_add(errors, field, "node \"%s\" cannot connect to itself", s);
		return -1;
	}
	snprintf(field, sizeof(field), "edges[%zu].source_handle", i);
	h = wf_node_handle(wf->nodes[si].type, wf->nodes[si].config,
	    jsonh_get_string(je, "source_handle"));
	if (h == -1) {
		wf_handle_list(&wf->nodes[si], list, sizeof(list));
		wf_error_add(errors, field, "node \"%s\" (%s) has no such handle; it has: %s",
		    s, wf_types[wf->nodes[si].type]->name, list);
		return -1;
	}
	wf->edges[i].handle = (unsigned)h;
	if (h == WF_HANDLE_ERROR)
		wf->nodes[si].policy.error_branch = true;
	wf->edges[i].source = (size_t)si;
	wf->edges[i].target = (size_t)ti;
	return 0;
}

/* Orders the nodes topologically (Kahn). Returns 0, or -1 after reporting a cycle. */
static int
wf_sort(struct wf *wf, json_object *errors)
{
	size_t	*indeg, i, e, head = 0, tail = 0;
	int	 rc = -1;

	indeg = xcalloc(wf->nnodes + 1, sizeof(*indeg));
	for (e = 0; e < wf->nedges; e++)
		indeg[wf->edges[e].target]++;
	for (i = 0; i < wf->nnodes; i++)
		if (indeg[i] == 0)
			wf->order[tail++] = i;
	while (head < tail) {
		i = wf->order[head++];
		for (e = 0; e < wf->nedges; e++)
			if (wf->edges[e].source == i && --indeg[wf->edges[e].target] == 0)
				wf->order[tail++] = wf->edges[e].target;
	}
	if (tail == wf->nnodes)
		rc = 0;
	else
		for (i = 0; i < wf->nnodes; i++)
			if (indeg[i] > 0) {
				char	 field[64];

				snprintf(field, sizeof(field), "nodes[%zu]", i);
				wf_error_add(errors, field, "node \"%s\" is part of a cycle",
				    wf->nodes[i].id);
			}
	free(indeg);
	return rc;
}

/* Checks the number of nodes of each type against its bounds. */
static int
wf_check_counts(const struct wf *wf, json_object *errors)
{
	size_t	 count[WF_NODE__MAX] = { 0 }, i, results = 0;
	int	 rc = 0;

	for (i = 0; i < wf->nnodes; i++) {
		count[wf->nodes[i].type]++;
		results += wf_types[wf->nodes[i].type]->result;
	}
	if (results == 0) {
		wf_error_add(errors, "nodes", "needs at least 1 output or respond node (whose "
		    "output is a result), has 0");
		rc = -1;
	}
	for (i = 0; i < WF_NODE__MAX; i++) {
		const struct wf_type_def *t = wf_types[i];

		if (count[i] < t->min_count || (t->max_count && count[i] > t->max_count)) {
			if (t->max_count == t->min_count)
				wf_error_add(errors, "nodes", "needs exactly %zu %s node(s), has %zu",
				    t->min_count, t->name, count[i]);
			else
				wf_error_add(errors, "nodes", "needs at least %zu %s node(s), has %zu",
				    t->min_count, t->name, count[i]);
			rc = -1;
		}
	}
	return rc;
}

/* Checks the two arrays and their sizes; allocates the model. */
static struct wf *
wf_alloc(json_object *def, json_object **jnodes, json_object **jedges, json_object *errors)
{
	struct wf	*wf;
	size_t		 nn, ne;

	if (def == NULL || !json_object_is_type(def, json_type_object)) {
		wf_error_add(errors, "definition", "must be an object with nodes and edges");
		return NULL;
	}
	*jnodes = jsonh_get_typed(def, "nodes", json_type_array);
	*jedges = jsonh_get_typed(def, "edges", json_type_array);
	if (*jnodes == NULL)
		wf_error_add(errors, "definition.nodes", "must be an array");
	if (*jedges == NULL && json_object_object_get_ex(def, "edges", NULL))
		wf_error_add(errors, "definition.edges", "must be an array");
	if (*jnodes == NULL || (*jedges == NULL && json_object_object_get_ex(def, "edges", NULL)))
		return NULL;
	nn = json_object_array_length(*jnodes);
	ne = *jedges ? json_object_array_length(*jedges) : 0;
	wf = xcalloc(1, sizeof(*wf));
	wf->nodes = xcalloc(nn + 1, sizeof(*wf->nodes));
	wf->edges = xcalloc(ne + 1, sizeof(*wf->edges));
	wf->order = xcalloc(nn + 1, sizeof(*wf->order));
	wf->def = json_object_get(def);
	wf->nnodes = nn;
	wf->nedges = ne;
	return wf;
}

/* Counts the expressions of every node of "jnodes" whose type and config are readable. */
static void
wf_limits_count(json_object *jnodes, struct wf_pass *p)
{
	json_object		*jn, *config;
	enum wf_node_type	 t;
	const char		*type;
	size_t			 i;

	for (i = 0; i < json_object_array_length(jnodes); i++) {
		jn = json_object_array_get_idx(jnodes, i);
		if ((type = jsonh_get_string(jn, "type")) == NULL || wf_type_lookup(type, &t) ||
		    (config = jsonh_get_typed(jn, "config", json_type_object)) == NULL)
			continue;
		wf_check_members(wf_types[t], i, config, p);
	}
}

int
wf_limits_check(json_object *def, json_object *errors)
{
	struct wf_pass	 p = { NULL, false, EXPR_SYNTAX, NULL, 0, 0, 0, 0 };
	json_object	*jnodes, *jedges;
	size_t		 n;
	int		 rc = 0;

	if (def == NULL || !json_object_is_type(def, json_type_object))
		return 0;	/* wf_parse says what is wrong */
	if (jsonh_size(def, WF_MAX_BYTES) > WF_MAX_BYTES) {
		wf_error_add(errors, "definition", "is over %d bytes as JSON", WF_MAX_BYTES);
		rc = -1;
	}
	jnodes = jsonh_get_typed(def, "nodes", json_type_array);
	jedges = jsonh_get_typed(def, "edges", json_type_array);
	if (jnodes != NULL && (n = json_object_array_length(jnodes)) > WF_MAX_NODES) {
		wf_error_add(errors, "definition.nodes", "has %zu nodes; a definition has at most "
		    "%d", n, WF_MAX_NODES);
		rc = -1;
	}
	if (jedges != NULL && (n = json_object_array_length(jedges)) > WF_MAX_EDGES) {
		wf_error_add(errors, "definition.edges", "has %zu edges; a definition has at most "
		    "%d", n, WF_MAX_EDGES);
		rc = -1;
	}
	if (jnodes != NULL)
		wf_limits_count(jnodes, &p);
	if (p.exprs > WF_MAX_EXPRS) {
		wf_error_add(errors, "definition", "has %zu expressions (jq programs and {{ }}); a "
		    "definition has at most %d", p.exprs, WF_MAX_EXPRS);
		rc = -1;
	}
	if (p.bytes > WF_MAX_EXPRS_BYTES) {
		wf_error_add(errors, "definition", "has %zu bytes of expressions; a definition has "
		    "at most %d", p.bytes, WF_MAX_EXPRS_BYTES);
		rc = -1;
	}
	return rc;
}

/* Compiles what "b" gathered with few compiles (expr_check_batch) and reports each program
 * that does not compile under its node. Returns 0, or -1 after adding errors. */
static int
wf_compile_gathered(struct wf *wf, struct wf_batch *b, json_object *errors)
{
	struct expr_item	*items;
	size_t			 i, unchecked = 0;
	int			 rc = 0;

	items = xcalloc(b->n + 1, sizeof(*items));
	for (i = 0; i < b->n; i++) {
		items[i].program = b->items[i].program;
		items[i].tag = i;
	}
	(void)expr_check_batch(items, b->n, WF_MAX_COMPILES);
	for (i = 0; i < b->n; i++) {
		const struct wf_gathered *g = &b->items[items[i].tag];

		if (items[i].rc == -1)
			wf_error_add(errors, g->field, "node \"%s\": %s", wf->nodes[g->node].id,
			    items[i].err);
		unchecked += items[i].rc == -2;
		rc |= items[i].rc != 0 ? -1 : 0;
	}
	if (unchecked > 0)
		wf_error_add(errors, "definition", "%zu expressions were not compiled: checking "
		    "stopped after %d compiles; fix those listed first", unchecked,
		    WF_MAX_COMPILES);
	free(items);
	return rc;
}

/* Checks (compiles, in "mode" EXPR_COMPILE) the expressions of every node that passed the
 * first pass (the second pass): gathered, then compiled together. Returns 0, or -1 after
 * adding errors. */
static int
wf_compile_nodes(struct wf *wf, enum expr_mode mode, json_object *errors)
{
	struct wf_batch	 batch = { NULL, 0, 0 };
	struct wf_pass	 p = { NULL, true, mode, mode == EXPR_COMPILE ? &batch : NULL, 0, 0,
			    0, 0 };
	size_t		 i;
	int		 rc = 0;

	for (i = 0; i < wf->nnodes; i++)
		if (wf->nodes[i].config != NULL &&
		    wf_check_config(i, &wf->nodes[i], &p, errors) == -1)
			rc = -1;
	if (p.batch != NULL && batch.n > 0 && wf_compile_gathered(wf, &batch, errors) == -1)
		rc = -1;
	for (i = 0; i < batch.n; i++)
		free(batch.items[i].program);
	free(batch.items);
	return rc;
}

int
wf_parse(json_object *def, struct wf **out, json_object *errors)
{
	return wf_parse_opts(def, 0, out, errors);
}

/* Checks the definition's run budget ("budget", optional) against its schema. Returns 0, or
 * -1 after adding errors. */
static int
wf_check_budget(json_object *def, json_object *errors)
{
	json_object	*b, *schema;
	int		 rc;

	if (!json_object_object_get_ex(def, "budget", &b))
		return 0;
	schema = jschema_parse(BUDGET_RUN_SCHEMA);
	rc = jschema_validate(schema, b, "budget", errors);
	json_object_put(schema);
	return rc;
}

int
wf_parse_opts(json_object *def, unsigned flags, struct wf **out, json_object *errors)
{
	struct wf_pass	 p = { NULL, false, EXPR_SYNTAX, NULL, 0, 0, 0, 0 };
	json_object	*jnodes, *jedges = NULL;
	struct wf	*wf;
	size_t		 i;
	int		 bad = 0;

	*out = NULL;
	if (wf_limits_check(def, errors) == -1 ||
	    (wf = wf_alloc(def, &jnodes, &jedges, errors)) == NULL)
		return -1;
	for (i = 0; i < wf->nnodes; i++)
		if (wf_parse_node(wf, i, json_object_array_get_idx(jnodes, i), &p, errors) == -1)
			bad = 1;
	/* Compiles come after every node's caps: their cost is bounded before it is paid. */
	if (wf_compile_nodes(wf, (flags & WF_PARSE_NO_COMPILE) ? EXPR_SYNTAX : EXPR_COMPILE,
	    errors) == -1 || bad) {
		wf_free(wf);
		return -1;
	}
	for (i = 0; i < wf->nedges; i++)
		if (wf_parse_edge(wf, i, json_object_array_get_idx(jedges, i), errors) == -1)
			bad = 1;
	if (wf_check_counts(wf, errors) == -1 || wf_check_budget(def, errors) == -1)
		bad = 1;
	if (bad || wf_sort(wf, errors) == -1) {
		wf_free(wf);
		return -1;
	}
	*out = wf;
	return 0;
}

void
wf_free(struct wf *wf)
{
	if (wf == NULL)
		return;
	json_object_put(wf->def);
	free(wf->nodes);
	free(wf->edges);
	free(wf->order);
	free(wf);
}
