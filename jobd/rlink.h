/* rlink.h: an asynchronous Redis connection on a libevent loop that reconnects by itself,
 * for fire-and-forget commands (events, XACK) and short requests (XAUTOCLAIM). Commands go
 * out in order on one connection, pipelined: nothing waits for a round trip. */
#ifndef FRAGENT_RLINK_H
#define FRAGENT_RLINK_H

#include <stddef.h>

#include "redisconn.h"

struct event_base;
struct rlink;

/* Opens a link to "url" on "base" (connects at once, reconnects after a loss). Returns NULL
 * when libevent refuses its timer. */
struct rlink	*rlink_new(struct event_base *base, const struct redis_url *url);
/* Closes at once (pending replies get NULL); NULL-safe. */
void		 rlink_free(struct rlink *l);
/* Sends a command given as an argument vector (copied). "cb" (may be NULL) gets the reply,
 * or NULL when the connection was lost first. Returns 0, or -1 when not connected (the
 * command is dropped and "cb" is not called). */
int		 rlink_cmd(struct rlink *l, redisCallbackFn *cb, void *arg, int argc,
		    const char **argv, const size_t *argvlen);
/* Commands sent and not yet answered. */
long		 rlink_pending(const struct rlink *l);

#endif
