/* tool.h: what jobd runs when an agent calls a tool of the catalogue (shared/tools.h): one
 * file per tool in jobd/tools/, whose implementation (under #ifdef JOBD_BUILD) ends with
 * TOOL_IMPL; tool_impls is made from Makefile.am's TOOL_SRCS. Like a node, a tool answers
 * at once (CPU-only tools run inline on the loop) or returns TOOL_PENDING and reports
 * through its call's "done". A tool that fails gives an error text, which the agent hands
 * to the model as the tool's result: a tool error never fails the step. */
#ifndef FRAGENT_TOOL_H
#define FRAGENT_TOOL_H

#include <stddef.h>

#include <json-c/json.h>

#include "env.h"
#include "tools.h"
#include "trace.h"

#define TOOL_MAX_RESULT	(64L << 10)	/* bytes of a result shown to the model */

enum tool_rc {
	TOOL_OK,	/* "result" holds a new reference */
	TOOL_ERROR,	/* "err" holds the reason, for the model */
	TOOL_PENDING,	/* the answer comes through call->done */
	TOOL__RC_MAX
};

/* One invocation, owned by the agent node. */
struct tool_call {
	enum tool_kind		 kind;
	json_object		*args;		/* borrowed; already valid against the schema */
	const struct node_env	*env;		/* the worker's loop, HTTP client, SSRF policy */
	const char		*owner_id;	/* the agent's owner (borrowed) */
	const char		*execution_id;	/* the calling execution (borrowed) */
	long			 timeout_ms;
	void			*priv;		/* an asynchronous tool's own state */
	/* Called exactly once by a TOOL_PENDING tool, on the loop: "result" is handed over,
	 * "err" is NULL on success. Not called after abort. */
	void			(*done)(struct tool_call *t, json_object *result, const char *err);
	void			*owner;		/* the agent's bookkeeping */
	/* The call's span (empty: tracing off): the traceparent of the http_request tool's
	 * request and the parent of a child run's spans. */
	struct trace_ctx	 trace;
};

struct tool_impl {
	/* Starts "t". Returns TOOL_OK/TOOL_ERROR with "result"/"err" set, or TOOL_PENDING. */
	enum tool_rc	(*run)(struct tool_call *t, json_object **result, char *err,
			    size_t errlen);
	/* Stops a pending call at once and frees "t->priv"; NULL for inline tools. */
	void		(*abort)(struct tool_call *t);
};

/* Defines the implementation of tool "n" (the file's name): "run", and "abort" (NULL for
 * a tool that never answers TOOL_PENDING). */
#define TOOL_IMPL(n, run, abort) \
	const struct tool_impl tool_impl_##n = { (run), (abort) }

#define TOOL_IMPL_DECL(n, N)	extern const struct tool_impl tool_impl_##n;
DESC_TOOLS(TOOL_IMPL_DECL)
#undef TOOL_IMPL_DECL

/* Every tool's implementation, indexed by enum tool_kind (registry.c). */
extern const struct tool_impl *const tool_impls[TOOL__MAX];

struct fetch_result;
/* The http_request tool's result for response "r" (a new reference): {status, content_type,
 * body, truncated}, a JSON body parsed, text cut to 32 KiB, every string storable. */
json_object	*tool_http_result(const struct fetch_result *r);

/* Checks "args" against the input schema of tool "k". Returns 0, or -1 with the problems
 * (for the model) in "err". */
int		tool_args_check(enum tool_kind k, json_object *args, char *err, size_t errlen);
/* The declarations {name, description, input_schema} of the tools named in the array
 * "names", for the model (a new reference), or NULL with a message when one is unknown or
 * not available in this build. */
json_object	*tool_declarations(json_object *names, char *err, size_t errlen);
/* The text the model gets for a tool's "result" (compact JSON) or error "err" (as
 * {"error": …}, with "*is_error" set); over TOOL_MAX_RESULT it is replaced by an error.
 * Returns a heap string (caller frees), never NULL. */
char		*tool_result_text(json_object *result, const char *err, int *is_error);

/* Evaluates the arithmetic "expr" (+ - * / % ^, parentheses, unary minus, decimals with
 * exponents, pi, e, and sqrt abs min max round floor ceil ln log10 exp). Returns 0 with the
 * value in "out", or -1 with a message for the model in "err". */
int		calc_eval(const char *expr, double *out, char *err, size_t errlen);

#endif
