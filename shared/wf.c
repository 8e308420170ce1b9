/* wf.c: parsing and validation of workflow definitions (nodes, edges, acyclicity). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "jsonh.h"
#include "wf.h"

void
wf_error_add(json_object *errors, const char *field, const char *fmt, ...)
{
	json_object	*row;
	char		 msg[512];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if ((row = json_object_new_object()) == NULL)
		return;
	json_object_object_add(row, "field", json_object_new_string(field));
	json_object_object_add(row, "message", json_object_new_string(msg));
	json_object_array_add(errors, row);
}

/* Checks that config member "key" is a string holding a valid template. */
static void
wf_check_template_field(size_t i, json_object *config, const char *key, bool required,
    json_object *errors)
{
	json_object	*v;
	char		 field[96], err[256];

	snprintf(field, sizeof(field), "nodes[%zu].config.%s", i, key);
	if (!json_object_object_get_ex(config, key, &v) || v == NULL) {
		if (required)
			wf_error_add(errors, field, "is required");
		return;
	}
	if (!json_object_is_type(v, json_type_string)) {
		wf_error_add(errors, field, "must be a string");
		return;
	}
	if (json_object_get_string_len(v) > 65536) {
		wf_error_add(errors, field, "must be at most 65536 bytes");
		return;
	}
	if (expr_template_check(json_object_get_string(v), err, sizeof(err)) == -1)
		wf_error_add(errors, field, "%s", err);
}

static void
wf_check_input(size_t i, json_object *config, json_object *errors)
{
	(void)i;
	(void)config;
	(void)errors;
}

static void
wf_check_output(size_t i, json_object *config, json_object *errors)
{
	wf_check_template_field(i, config, "value", true, errors);
}

static void
wf_check_template(size_t i, json_object *config, json_object *errors)
{
	wf_check_template_field(i, config, "template", true, errors);
}

const struct wf_type_def wf_types[WF_NODE__MAX] = {
	[WF_NODE_INPUT] = { "input", "Input",
	    "Starts the workflow; its output is the execution's inputs.", 1, 1, wf_check_input },
	[WF_NODE_OUTPUT] = { "output", "Output",
	    "Renders `value` (a template) into the execution's results under the node id.",
	    1, 0, wf_check_output },
	[WF_NODE_TEMPLATE] = { "template", "Template",
	    "Renders `template`, text with {{ jq }} expressions over the context.",
	    0, 0, wf_check_template },
};

int
wf_type_lookup(const char *name, enum wf_node_type *out)
{
	size_t	 i;

	for (i = 0; i < WF_NODE__MAX; i++)
		if (strcmp(wf_types[i].name, name) == 0) {
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

/* Parses one node at index "i" into "n". Returns 0, or -1 after adding errors. */
static int
wf_parse_node(struct wf *wf, size_t i, json_object *jn, json_object *errors)
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
	j = json_object_array_length(errors);
	wf_types[n->type].check(i, config, errors);
	return json_object_array_length(errors) == j ? 0 : -1;
}

/* Parses edge "i". Returns 0, or -1 after adding errors. */
static int
wf_parse_edge(struct wf *wf, size_t i, json_object *je, json_object *errors)
{
	const char	*s, *t;
	long		 si, ti;
	char		 field[64];

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
	if (wf->nodes[ti].type == WF_NODE_INPUT) {
		wf_error_add(errors, field, "input node \"%s\" cannot have incoming edges", t);
		return -1;
	}
	if (si == ti) {
		wf_error_add(errors, field, "node \"%s\" cannot connect to itself", s);
		return -1;
	}
	snprintf(field, sizeof(field), "edges[%zu].source_handle", i);
	if (json_object_object_get_ex(je, "source_handle", NULL) &&
	    jsonh_get_string(je, "source_handle") != NULL) {
		wf_error_add(errors, field, "node \"%s\" (%s) has no named handles", s,
		    wf_types[wf->nodes[si].type].name);
		return -1;
	}
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

	if ((indeg = calloc(wf->nnodes + 1, sizeof(*indeg))) == NULL)
		return -1;
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
	size_t	 count[WF_NODE__MAX] = { 0 }, i;
	int	 rc = 0;

	for (i = 0; i < wf->nnodes; i++)
		count[wf->nodes[i].type]++;
	for (i = 0; i < WF_NODE__MAX; i++) {
		if (count[i] < wf_types[i].min_count ||
		    (wf_types[i].max_count && count[i] > wf_types[i].max_count)) {
			if (wf_types[i].max_count == wf_types[i].min_count)
				wf_error_add(errors, "nodes", "needs exactly %zu %s node(s), has %zu",
				    wf_types[i].min_count, wf_types[i].name, count[i]);
			else
				wf_error_add(errors, "nodes", "needs at least %zu %s node(s), has %zu",
				    wf_types[i].min_count, wf_types[i].name, count[i]);
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
	if (nn > WF_MAX_NODES || ne > WF_MAX_EDGES) {
		wf_error_add(errors, "definition", "at most %d nodes and %d edges",
		    WF_MAX_NODES, WF_MAX_EDGES);
		return NULL;
	}
	if ((wf = calloc(1, sizeof(*wf))) == NULL ||
	    (wf->nodes = calloc(nn + 1, sizeof(*wf->nodes))) == NULL ||
	    (wf->edges = calloc(ne + 1, sizeof(*wf->edges))) == NULL ||
	    (wf->order = calloc(nn + 1, sizeof(*wf->order))) == NULL) {
		wf_free(wf);
		wf_error_add(errors, "definition", "out of memory");
		return NULL;
	}
	wf->def = json_object_get(def);
	wf->nnodes = nn;
	wf->nedges = ne;
	return wf;
}

int
wf_parse(json_object *def, struct wf **out, json_object *errors)
{
	json_object	*jnodes, *jedges = NULL;
	struct wf	*wf;
	size_t		 i;
	int		 bad = 0;

	*out = NULL;
	if ((wf = wf_alloc(def, &jnodes, &jedges, errors)) == NULL)
		return -1;
	for (i = 0; i < wf->nnodes; i++)
		if (wf_parse_node(wf, i, json_object_array_get_idx(jnodes, i), errors) == -1)
			bad = 1;
	if (bad) {
		wf_free(wf);
		return -1;
	}
	for (i = 0; i < wf->nedges; i++)
		if (wf_parse_edge(wf, i, json_object_array_get_idx(jedges, i), errors) == -1)
			bad = 1;
	if (wf_check_counts(wf, errors) == -1)
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
