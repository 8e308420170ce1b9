/* usercache.c: users' access state cached per process, invalidated by notification (see
 * usercache.h). An invalidated user keeps a tombstone naming the generation of its last
 * invalidation, so that a fill begun before it is recognised and refused. */
#include "config.h"

#include <stdlib.h>

#include "strmap.h"
#include "usercache.h"
#include "uuid.h"
#include "xalloc.h"

struct usercache_entry {
	struct user_state	 st;
	time_t			 at;		/* when it was read */
	unsigned long		 dropped;	/* generation of its last invalidation, 0: none */
	int			 valid;		/* 0: a tombstone */
};

struct usercache {
	struct strmap		*users;		/* user id → struct usercache_entry */
	unsigned long		 gen;		/* counts invalidations and resets */
	unsigned long		 reset_gen;	/* generation of the last reset */
	unsigned long		 session;	/* bound notification session, 0: none */
};

struct usercache *
usercache_new(void)
{
	struct usercache	*uc;

	uc = xcalloc(1, sizeof(*uc));
	uc->users = strmap_new();
	return uc;
}

void
usercache_free(struct usercache *uc)
{
	if (uc == NULL)
		return;
	strmap_free(uc->users, free);
	free(uc);
}

int
usercache_get(const struct usercache *uc, const char *user_id, time_t now,
    struct user_state *out)
{
	const struct usercache_entry	*e = strmap_get(uc->users, user_id);

	if (e == NULL || !e->valid || uc->session == 0 || now < e->at ||
	    now - e->at >= USERCACHE_MAX_AGE)
		return 0;
	*out = e->st;
	return 1;
}

unsigned long
usercache_ticket(const struct usercache *uc)
{
	return uc->gen;
}

void
usercache_reset(struct usercache *uc)
{
	strmap_clear(uc->users, free);
	uc->reset_gen = ++uc->gen;
}

int
usercache_put(struct usercache *uc, const char *user_id, const struct user_state *st,
    unsigned long ticket, time_t now)
{
	struct usercache_entry	*e = strmap_get(uc->users, user_id);

	if (uc->session == 0 || ticket < uc->reset_gen || (e != NULL && e->dropped > ticket))
		return -1;
	if (e == NULL) {
		if (strmap_len(uc->users) >= USERCACHE_MAX) {
			/* Starting over refuses fills under way too: the ticket predates it. */
			usercache_reset(uc);
			return -1;
		}
		e = xcalloc(1, sizeof(*e));
		strmap_put(uc->users, user_id, e, NULL);
	}
	e->st = *st;
	e->at = now;
	e->valid = 1;
	return 0;
}

void
usercache_invalidate(struct usercache *uc, const char *user_id)
{
	struct usercache_entry	*e = strmap_get(uc->users, user_id);

	uc->gen++;
	if (e == NULL) {
		if (strmap_len(uc->users) >= USERCACHE_MAX) {
			/* No room for the tombstone: forget everything instead. */
			usercache_reset(uc);
			return;
		}
		e = xcalloc(1, sizeof(*e));
		strmap_put(uc->users, user_id, e, NULL);
	}
	e->valid = 0;
	e->dropped = uc->gen;
}

int
usercache_notify(struct usercache *uc, const char *payload)
{
	if (payload != NULL && uuid_valid(payload)) {
		usercache_invalidate(uc, payload);
		return 1;
	}
	usercache_reset(uc);
	return 0;
}

int
usercache_bind(struct usercache *uc, unsigned long session)
{
	if (session == uc->session)
		return 0;
	uc->session = session;
	usercache_reset(uc);
	return 1;
}

unsigned long
usercache_session(const struct usercache *uc)
{
	return uc->session;
}
