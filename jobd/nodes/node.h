/* node.h: what jobd runs for each node type. A node type is one file in jobd/nodes/ holding
 * its descriptor (NODE_TYPE_DEF, shared/nodetype.h) and, under #ifdef JOBD_BUILD, its
 * implementation (NODE_IMPL below); Makefile.am's NODE_TYPE_SRCS lists the files, and
 * node_impls is made from that list. A node either answers at once (input, merge) or returns
 * NODE_PENDING and reports later through its call's "done", never blocking the loop: the
 * types that evaluate expressions or templates send them to the worker's sandbox (template,
 * output, transform, condition, switch; http_request and agent before their transfer), delay
 * waits on a timer, http_request and agent on the network. */
#ifndef FRAGENT_NODE_H
#define FRAGENT_NODE_H

#include <stddef.h>

#include <json-c/json.h>

#include "budget.h"
#include "env.h"
#include "trace.h"
#include "wf.h"

struct sandbox_req;
struct tape_deck;

enum node_rc {
	NODE_OK,	/* "out" holds the output (a new reference; NULL is JSON null) */
	NODE_ERROR,	/* "err" holds the reason; "out" may hold a partial output */
	NODE_PENDING,	/* the answer comes through call->done */
	/* The node waits for an answer from outside the run (approval): "out" (a new reference,
	 * may be NULL) says what it waits for; the run parks once nothing else runs. */
	NODE_WAIT,
	NODE__MAX
};

/* One attempt of one node, owned by the engine (jobd/step.c). */
struct node_call {
	const struct wf_node	*node;
	json_object		*ctx;		/* borrowed: {input, <node_id>: {output}} */
	json_object		*input;		/* borrowed: {<predecessor id>: output} */
	const char		*execution_id;	/* borrowed */
	const struct node_env	*env;
	long			 timeout_ms;	/* the engine also enforces it */
	void			*priv;		/* an asynchronous node's own state */
	/* Called exactly once by a NODE_PENDING node when it ends, on the loop: "out" is handed
	 * over (may be NULL), "err" is NULL on success. Not called after abort. */
	void			(*done)(struct node_call *c, json_object *out, const char *err);
	void			*owner;		/* the engine's step */
	/* The attempt's span (empty: tracing off): the parent of the node's outbound requests,
	 * which carry it on as their traceparent. */
	struct trace_ctx	 trace;
	/* The budgets: a model call estimated at "tokens" and "cost_usd" (negative: unknown) is
	 * allowed (0) or refused (-1, "err" says which limit; the run then fails whatever the
	 * node's policy) by "own" (the agent's limits and use, may be NULL) and the run's;
	 * what a call used is added to the run's (and published). */
	int			(*budget_check)(struct node_call *c,
				    const struct budget_limits *own,
				    const struct budget_use *own_used, long long tokens,
				    double cost_usd, char *err, size_t errlen);
	void			(*budget_spend)(struct node_call *c, long long tokens,
				    double cost_usd);
	/* The attempt's recording (jobd/tape.h): every outbound call is looked up in it first
	 * (a replay answers it from the original's) and noted in it. Never NULL in a run. */
	struct tape_deck	*tape;
};

struct node_impl {
	/* Starts "c". Returns NODE_OK/NODE_ERROR with "out"/"err" set, or NODE_PENDING. */
	enum node_rc	(*run)(struct node_call *c, json_object **out, char *err, size_t errlen);
	/* Stops a pending call at once and frees "c->priv"; NULL for inline types. */
	void		(*abort)(struct node_call *c);
};

/* Defines the implementation of node type "n" (the file's name): "run", and "abort" (NULL
 * for a type that never answers NODE_PENDING). */
#define NODE_IMPL(n, run, abort) \
	const struct node_impl node_impl_##n = { (run), (abort) }

#define NODE_IMPL_DECL(n, N)	extern const struct node_impl node_impl_##n;
DESC_NODE_TYPES(NODE_IMPL_DECL)
#undef NODE_IMPL_DECL

/* Every node type's implementation, indexed by enum wf_node_type (nodes.c). */
extern const struct node_impl *const node_impls[WF_NODE__MAX];

struct fetch_result;
/* The http_request node's answer to response "r" under its "config": "*out" a new
 * {status, headers, body} (a JSON body parsed; every string storable) or NULL, and "err" ""
 * or why the attempt failed (no response; a 4xx/5xx unless fail_on_status is false). */
void		node_http_outcome(json_object *config, const struct fetch_result *r,
		    json_object **out, char *err, size_t errlen);

/* For the node types that evaluate (jobd/nodes/eval.c). A new sandbox request over c->ctx,
 * or NULL with "err". */
struct sandbox_req *node_eval_req(struct node_call *c, char *err, size_t errlen);
/* Submits "r" for "c" with c->timeout_ms as its limit and keeps it in c->priv until "done"
 * (a sandbox_done_fn whose "arg" is "c") or node_eval_abort. Returns NODE_PENDING. */
enum node_rc	node_eval_submit(struct node_call *c, struct sandbox_req *r,
		    void (*done)(void *, json_object *, const char *));
/* Starts one item ("kind": enum sandbox_kind); "done" (NULL: node_eval_done, the first
 * result is the output as is) gets the answer. Returns NODE_PENDING, or NODE_ERROR with
 * "err". */
enum node_rc	node_eval_one(struct node_call *c, int kind, const char *text,
		    void (*done)(void *, json_object *, const char *), char *err, size_t errlen);
/* Adds every string leaf of "tree" to "r" as a template, depth first (the order
 * node_eval_rebuild_tree takes them back in). Returns 0 or -1 with "err". */
int		node_eval_add_tree(struct sandbox_req *r, json_object *tree, char *err,
		    size_t errlen);
/* "tree" with each string leaf replaced by the next rendered value of "res" (from "*i"): a
 * new value. */
json_object	*node_eval_rebuild_tree(json_object *tree, json_object *res, size_t *i);
/* The abort of the types that evaluate: drops their sandbox request (c->priv). */
void		node_eval_abort(struct node_call *c);
/* The sandbox's answer for "arg" (a node_call): clears c->priv, calls c->done with the first
 * result or the error. */
void		node_eval_done(void *arg, json_object *results, const char *err);

#endif
