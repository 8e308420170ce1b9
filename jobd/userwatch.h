/* userwatch.h: users' access state for jobd's event stream listener: a usercache filled by
 * shared asynchronous reads on the listener's connection and kept exact by that
 * connection's LISTEN (the listener forwards its session changes and notifications here).
 * A read that raced with a notification of its user is read again, so an answer is never
 * older than the last notification handled. */
#ifndef FRAGENT_USERWATCH_H
#define FRAGENT_USERWATCH_H

#include <time.h>

#include "apg.h"
#include "auth.h"

struct userwatch;

/* The state of a user ("st" borrowed for the call), or NULL when the database could not
 * tell (unreachable, or the user kept changing while being read). */
typedef void	 userwatch_cb(const struct user_state *st, void *arg);

/* Reads on "db". Returns NULL when out of memory. */
struct userwatch	*userwatch_new(struct apg *db);
/* Frees; NULL-safe. Call it once nothing is in flight (after apg_free answered it all). */
void			 userwatch_free(struct userwatch *w);
/* Finds the state of "user_id" at "now". On a cache hit "cb" runs before this returns and
 * the result is 1; otherwise it is read, "cb" runs later exactly once, and the result is 0.
 * Returns -1 when it could not be read ("cb" never runs). */
int			 userwatch_get(struct userwatch *w, const char *user_id, time_t now,
			    userwatch_cb *cb, void *arg);
/* The listener's connection began session "session" (LISTEN already sent), or lost it (0):
 * everything cached is dropped. */
void			 userwatch_session(struct userwatch *w, unsigned long session);
/* A notification with "payload" arrived on the users' channel: that user (or, for a
 * payload that is no user id, everyone) is dropped. */
void			 userwatch_notify(struct userwatch *w, const char *payload);

#endif
