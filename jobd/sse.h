/* sse.h: jobd's Server-Sent Events listener for GET /api/v1/executions/{id}/events. */
#ifndef FRAGENT_SSE_H
#define FRAGENT_SSE_H

#include "redisconn.h"

struct event_base;
struct db;
struct sse;

/* Listens on "addr":"port". Each subscriber gets the stored events of the execution after its
 * Last-Event-ID, then live ones, a heartbeat comment every 15 s, and the end of the response
 * after the terminal event. Returns NULL when the address cannot be bound. */
struct sse	*sse_start(struct event_base *base, const char *addr, int port,
		    const struct redis_url *url, struct db *db);
/* Closes the listener and every subscriber; NULL-safe. */
void		 sse_stop(struct sse *s);

/* True when "id" looks like a Redis stream id ("ms-seq"). */
int		 sse_valid_event_id(const char *id);

#endif
