/* nodetype.h: what a node type's file (jobd/nodes/<name>.c) writes to describe the type: the
 * NODE_TYPE_DEF macro and the pieces of schema every type shares. The same file is compiled
 * twice: into the catalogue, part of libfragent (the API, the validator, the tests), where
 * NODE_TYPE_DEF defines the descriptor wf_type_<name>; and into jobd with JOBD_BUILD
 * defined, where the descriptor is only declared (libfragent's is linked) and the file's
 * implementation, under #ifdef JOBD_BUILD, defines node_impl_<name> (jobd/nodes/node.h). */
#ifndef FRAGENT_NODETYPE_H
#define FRAGENT_NODETYPE_H

#include <stddef.h>

#include "wf.h"

#define WF_NODE_DECL(n, N)	extern const struct wf_type_def wf_type_##n;
DESC_NODE_TYPES(WF_NODE_DECL)
#undef WF_NODE_DECL

/* Defines the descriptor of node type "n" (the file's name) with the designated initializers
 * that follow (struct wf_type_def, without .name). */
#ifdef JOBD_BUILD
#define NODE_TYPE_DEF(n, ...)	extern const struct wf_type_def wf_type_##n
#else
#define NODE_TYPE_DEF(n, ...) \
	const struct wf_type_def wf_type_##n = { .name = #n, __VA_ARGS__ }
#endif

/* A NULL-terminated list of names (handles, config members). */
#define WF_NAMES(...)		((const char *const []){ __VA_ARGS__, NULL })
/* The outputs of a type with one output handle. */
#define WF_OUT_DEFAULT		WF_NAMES("default")

/* Policy members every node type accepts in its config (see struct wf_policy). */
#define WF_POLICY_PROPS \
	"\"timeout_ms\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":86400000," \
	"\"title\":\"Timeout (ms) per attempt\"}," \
	"\"retries\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10," \
	"\"title\":\"Retries after a failure\"}," \
	"\"retry_backoff_ms\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":3600000," \
	"\"title\":\"First back-off (ms), doubled per retry, with jitter\"}," \
	"\"continue_on_error\":{\"type\":\"boolean\"," \
	"\"title\":\"On final failure, output {error} and go on\"}"
/* A config schema: the members "props" (each followed by a comma), the policy members, and
 * "req" (empty, or ",\"required\":[…]"); nothing else is allowed. */
#define WF_SCHEMA(props, req) \
	"{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{" props \
	WF_POLICY_PROPS "}" req "}"
/* A template member titled "title". */
#define WF_TEMPLATE_STR(title) \
	"{\"type\":\"string\",\"maxLength\":65536,\"title\":\"" title "\"}"
/* A jq program member titled "title". */
#define WF_JQ_STR(title) \
	"{\"type\":\"string\",\"minLength\":1,\"maxLength\":4096,\"title\":\"" title "\"}"
/* An id (a UUID) member titled "title". */
#define WF_UUID_STR(title) \
	"{\"type\":\"string\",\"pattern\":\"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-" \
	"[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$\",\"title\":\"" title "\"}"

#endif
