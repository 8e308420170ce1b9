/* sse_stream.h: the open event streams of jobd's listener, each fed by its execution's hub
 * and filed under the user who opened it, so that a change of that user (demoted below what
 * the stream needs, disabled, deleted) ends its streams at once, and so that no user holds
 * more than their share of the process's descriptors. Also the one rule of who may watch an
 * execution, for opening and for checking again. */
#ifndef FRAGENT_SSE_STREAM_H
#define FRAGENT_SSE_STREAM_H

#include "auth.h"
#include "hub.h"

struct evhttp_request;
struct sse_streams;

/* Whether credentials "c" of "user_id", whose state is "st", may watch an execution owned by
 * "owner_id" ("" for none: admins only; NULL: no such execution). Returns 0 when allowed,
 * 401 when the credentials no longer hold, 404 when the execution is missing or not theirs
 * to see. */
int			 sse_may_watch(const struct auth_cred *c, const char *user_id,
			    const struct user_state *st, const char *owner_id);

/* The streams fed by "hubs", at most "per_user" open at once for one user (0: no limit).
 * NULL when out of memory. */
struct sse_streams	*sse_streams_new(struct hub_set *hubs, unsigned long per_user);
/* Frees; NULL-safe. The streams must have ended first (hub_set_free ends them). */
void			 sse_streams_free(struct sse_streams *ss);
/* Answers "req" with a stream of execution "exec_id" (owned by "owner_id") from after
 * "last_id", for credentials "c" of "user_id", already checked with sse_may_watch. Returns
 * 0: the stream owns "req" from now on; or -1, "req" untouched, when "user_id" already holds
 * as many streams as the limit allows. */
int			 sse_stream_open(struct sse_streams *ss, struct evhttp_request *req,
			    const char *exec_id, const char *last_id, const struct auth_cred *c,
			    const char *user_id, const char *owner_id);
/* Checks every stream of "user_id" against its current state "st" and ends those that
 * sse_may_watch no longer allows. */
void			 sse_streams_check(struct sse_streams *ss, const char *user_id,
			    const struct user_state *st);
/* True when "user_id" has open streams. */
int			 sse_streams_has(const struct sse_streams *ss, const char *user_id);
/* Calls "fn" with every user that has open streams; "fn" must not end streams. */
void			 sse_streams_each_user(const struct sse_streams *ss,
			    void (*fn)(const char *user_id, void *arg), void *arg);

#endif
