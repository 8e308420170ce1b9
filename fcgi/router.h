/* router.h: the route table (method + path pattern → handler) and dispatch with 404/405. */
#ifndef FRAGENT_ROUTER_H
#define FRAGENT_ROUTER_H

#include "req.h"

typedef int (*route_handler)(struct req *);

struct route {
	const char	*method;
	const char	*pattern;	/* "/api/v1/workflows/{id}": {…} captures one segment */
	route_handler	 handler;
};

/* Matches "path" against "pattern", storing captures in "rq". Returns 1 on a match, else 0. */
int	router_match(const char *pattern, const char *path, struct req *rq);
/* Finds the route of "rq" in "routes" ("n" entries) and runs it, answering 404 for an unknown
 * path and 405 with Allow for a known path with another method. Returns the handler's result. */
int	router_dispatch(const struct route *routes, size_t n, struct req *rq);

#endif
