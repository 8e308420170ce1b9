/* userwatch.c: the listener's user cache over asynchronous reads (see userwatch.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authdb.h"
#include "log.h"
#include "pgshare.h"
#include "usercache.h"
#include "userwatch.h"
#include "xalloc.h"

/* Reads of one user that each lost the race with a notification before the caller is told
 * the database cannot say. */
#define USERWATCH_TRIES	3

struct userwatch {
	struct usercache	*cache;
	struct pgshare		*reads;
};

/* One caller waiting for a read. */
struct userwatch_wait {
	struct userwatch	*w;
	userwatch_cb		*cb;
	void			*arg;
	int			 tries;
	char			 user_id[UUID_STRLEN + 1];
};

struct userwatch *
userwatch_new(struct apg *db)
{
	struct userwatch	*w;

	w = xcalloc(1, sizeof(*w));
	if ((w->cache = usercache_new()) == NULL ||
	    (w->reads = pgshare_new(db, AUTHDB_SQL_USER)) == NULL) {
		userwatch_free(w);
		return NULL;
	}
	return w;
}

void
userwatch_free(struct userwatch *w)
{
	if (w == NULL)
		return;
	pgshare_free(w->reads);
	usercache_free(w->cache);
	free(w);
}

static int	userwatch_read(struct userwatch_wait *uw);

/* A read of the user answered (NULL: failed): store it and tell the caller. */
static void
userwatch_on_read(const struct pgshare_answer *ans, void *arg)
{
	struct userwatch_wait	*uw = arg;
	struct user_state	 st;
	time_t			 now = time(NULL);

	memset(&st, 0, sizeof(st));
	if (ans->res == NULL || (PQntuples(ans->res) > 0 &&
	    authdb_state_cols(ans->res, 0, 0, &st) == -1)) {
		uw->cb(NULL, uw->arg);
		free(uw);
		return;
	}
	/* Stored unless a notification of the user (or a new session) came after the read was
	 * sent: then the read may predate the change, and it is made again. */
	if (usercache_put(uw->w->cache, uw->user_id, &st, ans->tag, now) == -1 &&
	    (usercache_get(uw->w->cache, uw->user_id, now, &st) != 1)) {
		if (uw->tries < USERWATCH_TRIES && userwatch_read(uw) == 0)
			return;
		log_warn(NULL, "events listener: user %s kept changing while read", uw->user_id);
		uw->cb(NULL, uw->arg);
		free(uw);
		return;
	}
	uw->cb(&st, uw->arg);
	free(uw);
}

/* Sends (or joins) a read for "uw". Returns 0, or -1 when nothing could be sent. */
static int
userwatch_read(struct userwatch_wait *uw)
{
	uw->tries++;
	return pgshare_get(uw->w->reads, uw->user_id, usercache_ticket(uw->w->cache),
	    userwatch_on_read, uw);
}

int
userwatch_get(struct userwatch *w, const char *user_id, time_t now, userwatch_cb *cb,
    void *arg)
{
	struct userwatch_wait	*uw;
	struct user_state	 st;

	if (!uuid_valid(user_id))
		return -1;
	if (usercache_get(w->cache, user_id, now, &st)) {
		cb(&st, arg);
		return 1;
	}
	/* While the connection is being made the read waits for it; the session's start then
	 * resets the cache, so the read is made again after the LISTEN. */
	uw = xcalloc(1, sizeof(*uw));
	uw->w = w;
	uw->cb = cb;
	uw->arg = arg;
	snprintf(uw->user_id, sizeof(uw->user_id), "%s", user_id);
	if (userwatch_read(uw) == -1) {
		free(uw);
		return -1;
	}
	return 0;
}

void
userwatch_session(struct userwatch *w, unsigned long session)
{
	usercache_bind(w->cache, session);
	pgshare_forget(w->reads, NULL);
}

void
userwatch_notify(struct userwatch *w, const char *payload)
{
	if (usercache_notify(w->cache, payload))
		pgshare_forget(w->reads, payload);
	else
		pgshare_forget(w->reads, NULL);
}
