/* wf.h: the workflow model: node types (with their config schemas, handles and run policy),
 * parsing and validation of a definition into a DAG. */
#ifndef FRAGENT_WF_H
#define FRAGENT_WF_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#define WF_MAX_NODES	500
#define WF_MAX_EDGES	2000
#define WF_MAX_ID	64

enum wf_node_type {
	WF_NODE_INPUT,
	WF_NODE_OUTPUT,
	WF_NODE_TEMPLATE,
	WF_NODE_TRANSFORM,
	WF_NODE_CONDITION,
	WF_NODE_MERGE,
	WF_NODE_DELAY,
	WF_NODE_HTTP_REQUEST,
	WF_NODE_AGENT,
	WF_NODE__MAX
};

/* The output handles an edge may leave from ("source_handle"; absent means default). */
enum wf_handle {
	WF_HANDLE_DEFAULT,
	WF_HANDLE_TRUE,
	WF_HANDLE_FALSE,
	WF_HANDLE__MAX
};

extern const char *const wf_handle_names[WF_HANDLE__MAX];

/* What the model knows of a node type. The API's GET /node-types serialises these. */
struct wf_type_def {
	const char	*name;
	const char	*title;
	const char	*description;
	const char	*category;	/* "flow", "data", "network" */
	const char	*config_schema;	/* JSON Schema (text) of "config", policy included */
	const char	*const *outputs;	/* handle names, NULL-terminated */
	size_t		 min_count;	/* per workflow */
	size_t		 max_count;	/* 0: unlimited */
	bool		 network;	/* waits on the network or a clock (runs asynchronously) */
	/* Checks what a schema cannot (templates and jq programs, as deep as wf_parse_opts's
	 * "flags" say); appends {field, message} rows for "node_index" to "errors". NULL when
	 * the schema says everything. */
	void		(*check)(size_t node_index, json_object *config, unsigned flags,
			    json_object *errors);
};

extern const struct wf_type_def wf_types[WF_NODE__MAX];

/* How a node is run: read from the config members of the same names. */
struct wf_policy {
	long	 timeout_ms;		/* per attempt; default WF_DEFAULT_TIMEOUT_MS */
	int	 retries;		/* extra attempts after a failure; default 0 */
	long	 retry_backoff_ms;	/* first back-off, doubled each retry; default 500 */
	bool	 continue_on_error;	/* a final failure becomes output {error} */
};

#define WF_DEFAULT_TIMEOUT_MS	300000L
#define WF_DEFAULT_BACKOFF_MS	500L

struct wf_node {
	const char		*id;		/* borrowed from the definition */
	enum wf_node_type	 type;
	json_object		*config;	/* borrowed; always an object */
	struct wf_policy	 policy;
};

struct wf_edge {
	size_t		 source;
	size_t		 target;
	enum wf_handle	 handle;
};

struct wf {
	json_object	*def;		/* holds a reference */
	struct wf_node	*nodes;
	size_t		 nnodes;
	struct wf_edge	*edges;
	size_t		 nedges;
	size_t		*order;		/* node indices in a topological order */
};

/* Looks up a node type by name. Returns 0 with "out" set, or -1 when unknown. */
int	wf_type_lookup(const char *name, enum wf_node_type *out);
/* True when node type "t" has output handle "h". */
bool	wf_type_has_handle(enum wf_node_type t, enum wf_handle h);
/* Validates the definition "def" and builds its DAG. Every problem found is appended to the
 * JSON array "errors" as {field, message}. Returns 0 with a new model in "out" (free with
 * wf_free), or -1 with "out" NULL when anything was wrong. */
int	wf_parse(json_object *def, struct wf **out, json_object *errors);
/* wf_parse_opts flags. WF_PARSE_NO_COMPILE: expressions and templates get the compile-free
 * check (expr_syntax_check: tokens, balance, deny rules) instead of a jq compile each, for
 * definitions the API has validated already (jobd) and for the fuzz harness. */
#define WF_PARSE_NO_COMPILE	0x1u
/* wf_parse with "flags" (WF_PARSE_*). */
int	wf_parse_opts(json_object *def, unsigned flags, struct wf **out, json_object *errors);
/* Frees a model; NULL-safe. */
void	wf_free(struct wf *wf);
/* Index of the node called "id", or -1. */
long	wf_node_index(const struct wf *wf, const char *id);
/* Appends {field, message} to the JSON array "errors" (printf-style message). */
void	wf_error_add(json_object *errors, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
