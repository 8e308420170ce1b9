/* wf.h: the workflow model: node types (with their config schemas, handles and run policy),
 * parsing and validation of a definition into a DAG. */
#ifndef FRAGENT_WF_H
#define FRAGENT_WF_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "desclist.h"

#define WF_MAX_ID	64

/* Caps on one definition, so that validating it costs a bounded time (docs/API.md,
 * "Limits"). Past a cap on the whole, the API answers 413; past one of a node, 422. One
 * expression has at most EXPR_MAX_PROGRAM bytes (expr.h). */
#define WF_MAX_BYTES		(512 * 1024)	/* the definition as compact JSON */
#define WF_MAX_NODES		500
#define WF_MAX_EDGES		2000
#define WF_MAX_EXPRS		1000		/* jq programs and {{ }} expressions */
#define WF_MAX_EXPRS_BYTES	(256 * 1024)	/* their bytes together */
#define WF_MAX_NODE_EXPRS	64		/* expressions of one node */
#define WF_MAX_NODE_BYTES	(128 * 1024)	/* one node's config as compact JSON */
#define WF_MAX_TREE_DEPTH	16		/* nesting of a JSON body whose strings are templates */
#define WF_MAX_COMPILES		32		/* jq compiles to check one definition's expressions */

/* The node types: one per file of jobd/nodes/ that Makefile.am lists in NODE_TYPE_SRCS, in
 * its order (desclist.h, generated from that list): WF_NODE_INPUT, WF_NODE_OUTPUT, … The
 * engine names the few it treats apart (input, output, condition). */
enum wf_node_type {
#define WF_NODE_ENUM(n, N)	WF_NODE_##N,
	DESC_NODE_TYPES(WF_NODE_ENUM)
#undef WF_NODE_ENUM
	WF_NODE__MAX
};

/* The named output handles an edge may leave from ("source_handle"; absent means default).
 * An edge's handle is a bit number of the scheduler's mask (jobd/scheduler.h): one of these,
 * or WF_HANDLE_CASE(k) for case k of a node whose type has case handles (a switch), named by
 * its config. Every node has "error", taken instead of the others when it fails for good. */
enum wf_handle {
	WF_HANDLE_DEFAULT,
	WF_HANDLE_TRUE,
	WF_HANDLE_FALSE,
	WF_HANDLE_ERROR,
	WF_HANDLE_APPROVED,
	WF_HANDLE_REJECTED,
	WF_HANDLE__MAX
};

extern const char *const wf_handle_names[WF_HANDLE__MAX];

/* Case handles of a node: at most WF_MAX_CASES, after the named ones in the mask. */
#define WF_MAX_CASES		16
#define WF_HANDLE_CASE(k)	((unsigned)WF_HANDLE__MAX + (unsigned)(k))
_Static_assert(WF_HANDLE__MAX + WF_MAX_CASES <= 32, "handle masks are 32-bit unsigned");

/* What the model knows of a node type: its descriptor, defined in the type's own file of
 * jobd/nodes/ with NODE_TYPE_DEF (nodetype.h). GET /node-types serialises these. */
struct wf_type_def {
	const char	*name;		/* the file's name; "type" in a definition */
	const char	*title;
	const char	*description;
	const char	*category;	/* "flow", "data", "network", "ai" */
	const char	*config_schema;	/* JSON Schema (text) of "config", policy included */
	const char	*const *outputs;	/* handle names, NULL-terminated ("error" aside) */
	/* The config member (an array of {name, …}) whose names are further output handles,
	 * WF_HANDLE_CASE(0), (1)… in order; or NULL. */
	const char	*cases;
	size_t		 min_count;	/* per workflow */
	size_t		 max_count;	/* 0: unlimited */
	bool		 network;	/* waits on the network or a clock (runs asynchronously) */
	/* Answered from outside the run as a whole (a child run, a person): a replay answers it
	 * from the original's output when its config and input are the same (jobd/tape.h). */
	bool		 recorded_whole;
	bool		 entry;		/* takes no incoming edge (the input node) */
	/* Its output is one of the execution's results, under the node's id (output, respond);
	 * a workflow has at least one such node. */
	bool		 result;
	/* Config members holding expressions or schemas, checked within the caps and compiled
	 * (wf_parse); each a NULL-terminated list of member names, or NULL. */
	const char	*const *templates;	/* strings: text with {{ jq }} tags */
	const char	*const *template_trees;	/* any JSON whose strings are templates */
	const char	*const *programs;	/* strings: jq programs */
	const char	*const *schemas;	/* objects: JSON Schemas (jsmeta's meta-schema) */
};

/* Every node type's descriptor, indexed by enum wf_node_type. */
extern const struct wf_type_def *const wf_types[WF_NODE__MAX];

/* How a node is run: read from the config members of the same names. */
struct wf_policy {
	long	 timeout_ms;		/* per attempt; default WF_DEFAULT_TIMEOUT_MS */
	int	 retries;		/* extra attempts after a failure; default 0 */
	long	 retry_backoff_ms;	/* first back-off, doubled each retry; default 500 */
	bool	 continue_on_error;	/* a final failure becomes output {error} */
	/* Not a config member: the node has edges from its "error" handle, which a final
	 * failure takes (continue_on_error then does not apply). */
	bool	 error_branch;
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
	unsigned	 handle;	/* enum wf_handle or WF_HANDLE_CASE(k): a mask bit */
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
/* True when node type "t" has output handle "h" (every type has "error"). */
bool	wf_type_has_handle(enum wf_node_type t, enum wf_handle h);
/* The handle called "name" (NULL: default) of a node of type "t" whose config is "config":
 * its bit number, a named handle of the type or the type's case handle of that name.
 * Returns -1 when the node has no such handle. */
int	wf_node_handle(enum wf_node_type t, json_object *config, const char *name);
/* Checks the caps on "def" as a whole (WF_MAX_BYTES, WF_MAX_NODES, WF_MAX_EDGES,
 * WF_MAX_EXPRS, WF_MAX_EXPRS_BYTES) without compiling anything; appends a {field, message}
 * row to "errors" for each cap passed. Returns 0, or -1 when "def" is too large. */
int	wf_limits_check(json_object *def, json_object *errors);
/* Validates the definition "def" and builds its DAG: the caps (wf_limits_check, then those
 * of each node) before anything is compiled. Every problem found is appended to the
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
/* Appends {field, message} to the JSON array "errors" (printf-style message), both made
 * storable (jsonh_make_storable: a character split by a cut becomes U+FFFD). */
void	wf_error_add(json_object *errors, const char *field, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif
