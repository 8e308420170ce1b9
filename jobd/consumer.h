/* consumer.h: reading the execution queue with a Redis consumer group on the event loop. */
#ifndef FRAGENT_CONSUMER_H
#define FRAGENT_CONSUMER_H

#include "redisconn.h"

struct event_base;
struct engine;
struct consumer;

/* Creates the group if needed and starts reading: first this consumer's own pending entries
 * (left by a crash), then new ones. Each entry runs through "eng" and is acknowledged once
 * the engine is done with it. Returns NULL on failure. */
struct consumer	*consumer_start(struct event_base *base, const struct redis_url *url,
		    const char *name, struct engine *eng);
/* Stops reading and frees; NULL-safe. An entry in progress finishes first (runs are inline). */
void		 consumer_stop(struct consumer *c);

#endif
