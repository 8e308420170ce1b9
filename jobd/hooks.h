/* hooks.h: the public webhook route /hooks/{token}, served on jobd's listener (sse.c hands
 * it the requests under WEBHOOK_PATH_PREFIX) without ever blocking the loop: the webhook is
 * looked up (one read shared by concurrent callers of one token), the caller authenticated,
 * the request turned into the run's input and stored as a queued execution (shared/launch.h's
 * statements, with the caller's Idempotency-Key), then answered 202 (async mode) or, in sync
 * mode, when the run ends (jobd announces every end on QUEUE_ENDED_CHANNEL) or its time
 * limit passes. A waiting caller costs a few hundred bytes and no process. */
#ifndef FRAGENT_HOOKS_H
#define FRAGENT_HOOKS_H

struct apg;
struct event_base;
struct evhttp_request;
struct redis_url;
struct rlink;

struct hooks;

/* Serves hooks with the listener's connections "db" (PostgreSQL: the webhooks' lookups) and
 * "redis" (the queue and the replay guard), borrowed and outliving the result, and its own
 * connections to PostgreSQL at "db_url" (storing runs) and to the Redis at "url" (the ends
 * of runs). Returns NULL when libevent refuses a timer. */
struct hooks	*hooks_new(struct event_base *base, struct apg *db, const char *db_url,
		    struct rlink *redis, const struct redis_url *url);
/* Answers "req", a request whose path starts with WEBHOOK_PATH_PREFIX. */
void		 hooks_handle(struct hooks *h, struct evhttp_request *req);
/* Answers every caller still waiting with 503; NULL-safe. Call it before the connections
 * and hubs go (their callbacks still due then free the calls). */
void		 hooks_stop(struct hooks *h);
/* Closes its connections and frees; NULL-safe. Call it after the listener's own "db" was
 * freed (apg_free answered its queries). */
void		 hooks_free(struct hooks *h);

#endif
