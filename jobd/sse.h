/* sse.h: jobd's Server-Sent Events listener for GET /api/v1/executions/{id}/events, which
 * never blocks its loop (asynchronous PostgreSQL and Redis only). */
#ifndef FRAGENT_SSE_H
#define FRAGENT_SSE_H

#include <stdbool.h>

#include "redisconn.h"

struct event_base;
struct sse;

/* Listens on "addr":"port", reading from Redis at "url" and PostgreSQL at "db_url"; with
 * "shared" the port is bound with SO_REUSEPORT, so that the other processes serving it
 * (FRAGENT_SSE_PROCS) share its new connections. Each subscriber gets the stored events of
 * the execution after its Last-Event-ID, then live ones, a heartbeat comment every 15 s, and
 * the end of the response after the terminal event, or as soon as its user may no longer
 * watch (demoted, disabled, deleted). Returns NULL when the address cannot be bound. */
struct sse	*sse_start(struct event_base *base, const char *addr, int port, bool shared,
		    const struct redis_url *url, const char *db_url);
/* Closes the listener and every subscriber (requests still waiting get 503); NULL-safe. */
void		 sse_stop(struct sse *s);

#endif
