/* router.h: the route table (method + path pattern → handler, who may call it, and what the
 * OpenAPI document says of it) and dispatch with CORS, authentication, 401/403/404/405. */
#ifndef FRAGENT_ROUTER_H
#define FRAGENT_ROUTER_H

#include "req.h"

typedef int (*route_handler)(struct req *);

/* Who may call a route: anyone, or an authenticated principal of at least a role. */
enum route_access {
	ACCESS_PUBLIC,
	ACCESS_VIEWER,
	ACCESS_EDITOR,
	ACCESS_ADMIN,
	ACCESS__MAX
};

struct route {
	const char		*method;
	const char		*pattern;	/* "/api/v1/workflows/{id}": {…} captures one segment */
	route_handler		 handler;
	enum route_access	 access;
	/* A summary (for GET /openapi.json); the request body's component schema (schemas.c;
	 * NULL: the route takes no body), which the router validates the body with before the
	 * handler runs; the answer's component schema (NULL: none or problem only); and every
	 * status the route can answer, space-separated ("200 401 404"). */
	const char		*summary;
	const char		*request;
	const char		*response;
	const char		*statuses;
};

/* Matches "path" against "pattern", storing captures in "rq". Returns 1 on a match, else 0. */
int	router_match(const char *pattern, const char *path, struct req *rq);
/* Finds the route of "rq" in "routes" ("n" entries) and runs it: answers CORS preflights,
 * 404 for an unknown path, 405 with Allow for a known path with another method, 401 without
 * valid credentials, 403 below the route's role, 404 for an {id} that is no UUID, and for a
 * route with a request schema 400/411/413/415 for a body that cannot be read and 422 (each
 * field named) for one its schema refuses or that holds a NUL character; the handler then
 * finds the body in rq->json. Returns the handler's result (0 when the router answered). */
int	router_dispatch(const struct route *routes, size_t n, struct req *rq);

#endif
