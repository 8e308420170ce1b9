/* env.h: what a worker lends the node types and tools it runs (jobd/nodes/, jobd/tools/):
 * its loop, HTTP client, SSRF policy, database connection, Redis link and sandbox pool. The
 * worker owns every member; a node or tool borrows them for one call. */
#ifndef FRAGENT_ENV_H
#define FRAGENT_ENV_H

struct db;
struct event_base;
struct httpc;
struct rlink;
struct sandbox_pool;
struct ssrf_allow;

struct node_env {
	struct event_base	*base;
	struct httpc		*http;
	const struct ssrf_allow	*allow;
	struct db		*db;		/* fast one: agent rows, credentials, memory */
	struct rlink		*redis;		/* the agent's node.token events */
	struct sandbox_pool	*sandbox;	/* where expressions and templates run */
};

#endif
