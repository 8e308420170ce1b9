/* router.c: matching request paths against route patterns, then CORS, authentication, role,
 * path and request-body checks before the handler runs (see router.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "apimetrics.h"
#include "authdb.h"
#include "cors.h"
#include "jschema.h"
#include "jsonh.h"
#include "log.h"
#include "router.h"
#include "schemas.h"
#include "tracing.h"
#include "uuid.h"
#include "validate.h"

int
router_match(const char *pattern, const char *path, struct req *rq)
{
	const char	*p = pattern, *s = path, *pe, *se;
	size_t		 n, nargs = 0;

	while (*p != '\0' && *s != '\0') {
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		pe = strchr(p, '/');
		if (pe == NULL)
			pe = p + strlen(p);
		se = strchr(s, '/');
		if (se == NULL)
			se = s + strlen(s);
		if (*p == '{') {
			n = (size_t)(se - s);
			if (n == 0 || n >= sizeof(rq->args[0]) || nargs >= REQ_MAX_ARGS)
				return 0;
			memcpy(rq->args[nargs], s, n);
			rq->args[nargs++][n] = '\0';
		} else if (pe - p != se - s || strncmp(p, s, (size_t)(pe - p)) != 0)
			return 0;
		p = pe;
		s = se;
	}
	if (*p != '\0' || *s != '\0')
		return 0;
	rq->nargs = nargs;
	return 1;
}

/* Authenticates "rq" for a route of "access". Returns 0, or -1 after answering. */
static int
router_authorize(struct req *rq, enum route_access access)
{
	enum auth_rc	 arc;

	if (access == ACCESS_PUBLIC)
		return 0;
	authcache_epoch(rq->app->auth, api_metrics_auth_epoch());
	arc = authdb_authenticate(&rq->app->jwt, rq->app->auth, rq->app->db,
	    req_param(rq, "HTTP_AUTHORIZATION"), time(NULL), &rq->user);
	switch (arc) {
	case AUTH_OK:
		break;
	case AUTH_UNAVAILABLE:
		return resp_problem(rq, 503, "database unavailable", NULL), -1;
	default:
		return resp_problem_hdr(rq, 401, "missing, invalid or expired credentials",
		    NULL, "WWW-Authenticate: Bearer realm=\"fragent\"\r\n"), -1;
	}
	if ((int)rq->user.role + 1 < (int)access)
		return resp_problem(rq, 403, "your role may not do this", NULL), -1;
	return 0;
}

/* Refuses with 404 an {id} of route "r" that is no UUID (no row has it). Returns 0, or -1
 * after answering. */
static int
router_id(struct req *rq, const struct route *r)
{
	if (strstr(r->pattern, "{id}") == NULL || uuid_valid(rq->args[0]))
		return 0;
	return resp_problem(rq, 404, "not found", NULL), -1;
}

/* Reads the body of route "r" into rq->json and checks it against the route's request
 * schema. Returns 0, or -1 after answering. */
static int
router_body(struct req *rq, const struct route *r)
{
	json_object	*schema, *errors;
	int		 rc = 0;

	if (r->request == NULL)
		return 0;
	if (req_json_body(rq, schemas_body_optional(r->request), &rq->json) == -1)
		return -1;
	if (rq->json == NULL)
		return 0;
	if ((schema = schemas_resolved(r->request)) == NULL)
		return resp_problem(rq, 500, "the route's request schema is missing", NULL), -1;
	errors = jsonh_new_array();
	if (jschema_validate(schema, rq->json, "", errors) == 0)
		validate_no_nul(rq->json, "", errors);
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "the request body is invalid", errors);
		rc = -1;
	}
	json_object_put(errors);
	return rc;
}

int
router_dispatch(const struct route *routes, size_t n, struct req *rq)
{
	const struct route	*found = NULL;
	char			 allow[128] = "", hdr[160];
	size_t			 i;
	int			 path_known = 0;

	apitrace_begin(rq);
	cors_apply(rq);
	for (i = 0; i < n; i++) {
		if (!router_match(routes[i].pattern, rq->path, rq))
			continue;
		if (strcmp(routes[i].method, rq->method) == 0) {
			found = &routes[i];
			break;
		}
		path_known = 1;
		if (strstr(allow, routes[i].method) == NULL) {
			if (allow[0] != '\0')
				strncat(allow, ", ", sizeof(allow) - strlen(allow) - 1);
			strncat(allow, routes[i].method, sizeof(allow) - strlen(allow) - 1);
		}
	}
	if (found != NULL) {
		rq->route = found;
		if (router_authorize(rq, found->access) == -1 || router_id(rq, found) == -1 ||
		    router_body(rq, found) == -1)
			return 0;
		return found->handler(rq);
	}
	if (!path_known)
		return resp_problem(rq, 404, "no such route", NULL);
	if (strcmp(rq->method, "OPTIONS") == 0)
		return cors_preflight(rq, allow);
	snprintf(hdr, sizeof(hdr), "Allow: %s\r\n", allow);
	return resp_problem_hdr(rq, 405, "method not allowed on this route", NULL, hdr);
}
