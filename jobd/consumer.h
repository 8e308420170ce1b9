/* consumer.h: one worker's membership of the queue's consumer group: XREADGROUP for new
 * entries (no more than its owner has room for), its own pending entries after a start or a
 * reconnect, and XAUTOCLAIM of entries idle longer than a lease (their holder stopped
 * refreshing them: it died). Entries are handed to the owner through a callback; the owner
 * acknowledges them. Knows nothing of executions. */
#ifndef FRAGENT_CONSUMER_H
#define FRAGENT_CONSUMER_H

#include <stddef.h>

#include "redisconn.h"

struct consumer;
struct event_base;
struct rlink;

/* A queue entry: its id and execution_id field (NULL when it has none). Borrowed for the
 * callback's duration. */
struct consumer_entry {
	const char	*entry_id;
	const char	*exec_id;
};

struct consumer_config {
	struct event_base	*base;
	const struct redis_url	*redis;		/* for the blocking read's own connection */
	struct rlink		*link;		/* XGROUP, XAUTOCLAIM */
	const char		*name;		/* consumer name in the group */
	long			 lease_ms;	/* idle time after which entries are reclaimed */
	/* How many more entries the owner takes now; 0 pauses reading (consumer_resume). */
	size_t			(*room)(void *arg);
	/* Entries read or reclaimed, in stream order. */
	void			(*entries)(void *arg, const struct consumer_entry *e, size_t n);
	void			*arg;
};

/* Creates the group if needed and starts reading. Returns NULL when libevent cannot make
 * its timers. */
struct consumer	*consumer_start(const struct consumer_config *cfg);
/* Reads again if it paused for lack of room. */
void		 consumer_resume(struct consumer *c);
/* Stops reading and frees; NULL-safe. */
void		 consumer_stop(struct consumer *c);

#endif
