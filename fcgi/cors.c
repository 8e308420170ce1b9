/* cors.c: CORS from an allow-list: exact origins only, no wildcard, no credentials (the
 * refresh cookie is SameSite=Strict and never crosses sites anyway). */
#include "config.h"

#include <string.h>

#include "cors.h"

bool
cors_origin_allowed(const char *allow, const char *origin)
{
	const char	*p = allow, *e;
	size_t		 n;

	if (origin == NULL || (n = strlen(origin)) == 0 || allow == NULL)
		return false;
	while (*p != '\0') {
		while (*p == ' ' || *p == ',')
			p++;
		e = p + strcspn(p, " ,");
		if ((size_t)(e - p) == n && strncmp(p, origin, n) == 0)
			return true;
		p = e;
	}
	return false;
}

void
cors_apply(struct req *rq)
{
	const char	*origin = req_param(rq, "HTTP_ORIGIN");

	if (origin == NULL)
		return;
	req_header_add(rq, "Vary: Origin");
	if (!cors_origin_allowed(config_get(&rq->app->cfg, CONFIG_CORS_ORIGINS), origin) ||
	    strpbrk(origin, "\r\n") != NULL)
		return;
	req_header_add(rq, "Access-Control-Allow-Origin: %s", origin);
	req_header_add(rq, "Access-Control-Expose-Headers: X-Request-Id, Allow");
}

int
cors_preflight(struct req *rq, const char *allow)
{
	const char	*origin = req_param(rq, "HTTP_ORIGIN");

	if (!cors_origin_allowed(config_get(&rq->app->cfg, CONFIG_CORS_ORIGINS), origin))
		return resp_problem(rq, 403, "origin not allowed", NULL);
	req_header_add(rq, "Access-Control-Allow-Methods: %s", allow);
	req_header_add(rq, "Access-Control-Allow-Headers: Authorization, Content-Type, "
	    "Last-Event-ID");
	req_header_add(rq, "Access-Control-Max-Age: 600");
	return resp_no_content(rq);
}
