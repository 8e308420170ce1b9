/* rsub.h: one Redis channel subscription on a libevent loop that comes back by itself: after
 * a lost connection it subscribes again every second until it can, and says when it is
 * subscribed again (messages published meanwhile are lost: the owner looks again at what it
 * waits for). */
#ifndef FRAGENT_RSUB_H
#define FRAGENT_RSUB_H

#include <stddef.h>

#include "redisconn.h"

struct event_base;
struct rsub;

struct rsub_hooks {
	/* A message on the channel ("payload" of "len" bytes, borrowed for the call). */
	void	(*on_message)(const char *payload, size_t len, void *arg);
	/* The subscription is in force, the first time or again after a loss. May be NULL. */
	void	(*on_subscribed)(void *arg);
	void	*arg;
};

/* Subscribes to "channel" (a constant) of the Redis at "url" on "base". Never NULL. */
struct rsub	*rsub_new(struct event_base *base, const struct redis_url *url,
		    const char *channel, const struct rsub_hooks *hooks);
/* Closes the subscription (no callback runs after); NULL-safe. */
void		 rsub_free(struct rsub *s);

#endif
