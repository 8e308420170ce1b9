/* node.h: what jobd runs for each node type; one file per type in jobd/nodes/. A node either
 * answers at once (input, merge) or returns NODE_PENDING and reports later through its call's
 * "done", never blocking the loop: the types that evaluate expressions or templates send them
 * to the worker's sandbox (template, output, transform, condition; http_request and agent
 * before their transfer), delay waits on a timer, http_request and agent on the network. */
#ifndef FRAGENT_NODE_H
#define FRAGENT_NODE_H

#include <stddef.h>

#include <json-c/json.h>

#include "wf.h"

struct event_base;
struct httpc;
struct ssrf_allow;
struct db;
struct rlink;
struct sandbox_pool;
struct sandbox_req;

/* What asynchronous nodes may use: the worker's loop, its HTTP client and the SSRF policy. */
struct node_env {
	struct event_base	*base;
	struct httpc		*http;
	const struct ssrf_allow	*allow;
	struct db		*db;		/* the worker's fast one (agent rows, credentials, memory) */
	struct rlink		*redis;		/* the worker's (agent: node.token events) */
	struct sandbox_pool	*sandbox;	/* where expressions and templates run */
};

enum node_rc {
	NODE_OK,	/* "out" holds the output (a new reference; NULL is JSON null) */
	NODE_ERROR,	/* "err" holds the reason; "out" may hold a partial output */
	NODE_PENDING,	/* the answer comes through call->done */
	NODE__MAX
};

/* One attempt of one node, owned by the engine (exec.c). */
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
};

struct node_impl {
	/* Starts "c". Returns NODE_OK/NODE_ERROR with "out"/"err" set, or NODE_PENDING. */
	enum node_rc	(*run)(struct node_call *c, json_object **out, char *err, size_t errlen);
	/* Stops a pending call at once and frees "c->priv"; NULL for inline types. */
	void		(*abort)(struct node_call *c);
};

/* Indexed by enum wf_node_type. */
extern const struct node_impl node_impls[WF_NODE__MAX];

enum node_rc	node_input_run(struct node_call *, json_object **, char *, size_t);
enum node_rc	node_output_run(struct node_call *, json_object **, char *, size_t);
enum node_rc	node_template_run(struct node_call *, json_object **, char *, size_t);
enum node_rc	node_transform_run(struct node_call *, json_object **, char *, size_t);
enum node_rc	node_condition_run(struct node_call *, json_object **, char *, size_t);
/* The abort of the four types above: drops their sandbox request (c->priv). */
void		node_eval_abort(struct node_call *);
enum node_rc	node_merge_run(struct node_call *, json_object **, char *, size_t);
enum node_rc	node_delay_run(struct node_call *, json_object **, char *, size_t);
void		node_delay_abort(struct node_call *);
enum node_rc	node_http_run(struct node_call *, json_object **, char *, size_t);
void		node_http_abort(struct node_call *);
struct fetch_result;
/* The http_request node's answer to response "r" under its "config": "*out" a new
 * {status, headers, body} (a JSON body parsed; every string storable) or NULL, and "err" ""
 * or why the attempt failed (no response; a 4xx/5xx unless fail_on_status is false). */
void		node_http_outcome(json_object *config, const struct fetch_result *r,
		    json_object **out, char *err, size_t errlen);
enum node_rc	node_agent_run(struct node_call *, json_object **, char *, size_t);
void		node_agent_abort(struct node_call *);

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
/* The sandbox's answer for "arg" (a node_call): clears c->priv, calls c->done with the first
 * result or the error. */
void		node_eval_done(void *arg, json_object *results, const char *err);

#endif
