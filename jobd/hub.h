/* hub.h: one shared reader per execution for the SSE listener: the execution's events
 * stream, read by one XREAD BLOCK, feeds every subscriber of that execution, each from its
 * own Last-Event-ID, with no loss and no duplicate. Each event is encoded as a Server-Sent
 * Events frame once, and every subscriber's answer references that frame instead of copying
 * it. A hub keeps the frames it read (bounded) so a late subscriber catches up from memory.
 * The hubs' blocking reads share a few Redis connections (each XREAD names the streams of
 * up to 64 hubs), so the executions watched at once never cost Redis a client each. */
#ifndef FRAGENT_HUB_H
#define FRAGENT_HUB_H

#include "redisconn.h"

struct event_base;
struct evbuffer;
struct rlink;
struct hub_set;
struct hub;

/* One subscriber; the caller owns the storage and keeps it until on_end ran or it left. */
struct hub_sub {
	/* An event, as its frame shared by every subscriber: append it by reference
	 * (evbuffer_add_buffer_reference), never change it. */
	void		(*on_event)(struct hub_sub *s, struct evbuffer *frame);
	/* The events passed to on_event since the last call are one delivery (those of one
	 * read from Redis, or the catch-up of a new subscriber): time to send them together.
	 * Runs before on_end when the delivery ended with the terminal event. */
	void		(*on_flush)(struct hub_sub *s);
	/* No event for 15 s (looked at every 5 s): time for a heartbeat comment. */
	void		(*on_idle)(struct hub_sub *s);
	/* The stream ended (after the terminal event) or failed ("error" non-NULL); the
	 * subscriber is detached already and may be freed. */
	void		(*on_end)(struct hub_sub *s, const char *error);
	void		*arg;
	/* Owned by the hub. */
	struct hub	*hub;
	struct hub_sub	*next;
	char		 cursor[48];	/* last event id delivered */
};

/* The hubs of one loop ("base"), reading from Redis at "url"; "link" (on the same loop,
 * kept until hub_set_free) carries the CLIENT UNBLOCK that lets a new hub join a read in
 * flight. Returns NULL when out of memory. */
struct hub_set	*hub_set_new(struct event_base *base, const struct redis_url *url,
		    struct rlink *link);
/* Ends every subscriber (on_end with an error) and frees; NULL-safe. */
void		 hub_set_free(struct hub_set *hs);
/* Attaches "s" to execution "exec_id"'s hub, creating it when needed, to receive every event
 * after "last_id" ("0": from the start). Events already read are delivered before this
 * returns; on_end may run before it returns too. Returns 0, or -1 when out of memory. */
int		 hub_subscribe(struct hub_set *hs, const char *exec_id, const char *last_id,
		    struct hub_sub *s);
/* Detaches "s" (no more callbacks); a hub left without subscribers closes. */
void		 hub_unsubscribe(struct hub_sub *s);
/* Hubs open and subscribers attached (for logs and tests). */
void		 hub_set_stats(const struct hub_set *hs, size_t *hubs, size_t *subs);
/* Compares two stream ids "ms-seq" numerically (<0, 0, >0). */
int		 hub_id_cmp(const char *a, const char *b);

#endif
