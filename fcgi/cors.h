/* cors.h: cross-origin requests from the configured allow-list (FRAGENT_CORS_ORIGINS). */
#ifndef FRAGENT_CORS_H
#define FRAGENT_CORS_H

#include <stdbool.h>

#include "req.h"

/* True when "origin" is exactly one of the comma- or space-separated origins of
 * "allow". */
bool	cors_origin_allowed(const char *allow, const char *origin);
/* Adds Access-Control-Allow-Origin (and Vary, Expose-Headers) to the response of "rq" when
 * its Origin is allowed. */
void	cors_apply(struct req *rq);
/* Answers a preflight (OPTIONS) for a known path whose methods are "allow": 204 with the
 * CORS headers for an allowed origin, 403 otherwise. Returns 0. */
int	cors_preflight(struct req *rq, const char *allow);

#endif
