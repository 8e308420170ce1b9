/* usercache.c: users' access state, API keys' owners and rows read by id cached per
 * process, invalidated by notification (see usercache.h). An invalidated user or row keeps a
 * tombstone naming the generation of its last invalidation, so that a fill begun before it
 * is recognised and refused; keys are dropped all at once, and a key fill begun before the
 * last drop is refused. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strmap.h"
#include "usercache.h"
#include "uuid.h"
#include "xalloc.h"

/* A user's state or a row: what was read, or a tombstone. */
struct usercache_entry {
	struct user_state	 st;		/* a user */
	char			 owner[UUID_STRLEN + 1];	/* a row: its owner ("": none) */
	char			*json;		/* a row: the answer */
	const void		*kind;		/* a row: what it is (usercache_row_get) */
	time_t			 at;		/* when it was read */
	unsigned long		 dropped;	/* generation of its last invalidation, 0: none */
	int			 valid;		/* 0: a tombstone */
};

struct usercache_key {
	char			 user_id[UUID_STRLEN + 1];
	time_t			 at;		/* when it was read */
	time_t			 touched;	/* when its use was last recorded */
};

struct usercache {
	struct strmap		*users;		/* user id → struct usercache_entry */
	struct strmap		*keys;		/* key hash → struct usercache_key */
	struct strmap		*rows;		/* row id → struct usercache_entry */
	unsigned long		 gen;		/* counts invalidations and resets */
	unsigned long		 reset_gen;	/* generation of the last reset */
	unsigned long		 keys_gen;	/* generation of the last drop of every key */
	unsigned long		 session;	/* bound notification session, 0: none */
};

struct usercache *
usercache_new(void)
{
	struct usercache	*uc;

	uc = xcalloc(1, sizeof(*uc));
	uc->users = strmap_new();
	uc->keys = strmap_new();
	uc->rows = strmap_new();
	return uc;
}

static void
usercache_entry_free(void *p)
{
	struct usercache_entry	*e = p;

	if (e != NULL)
		free(e->json);
	free(e);
}

void
usercache_free(struct usercache *uc)
{
	if (uc == NULL)
		return;
	strmap_free(uc->users, usercache_entry_free);
	strmap_free(uc->keys, free);
	strmap_free(uc->rows, usercache_entry_free);
	free(uc);
}

/* The entry of "id" in "m" when it may answer at "now", else NULL. */
static const struct usercache_entry *
usercache_fresh(const struct usercache *uc, const struct strmap *m, const char *id,
    time_t now)
{
	const struct usercache_entry	*e = strmap_get(m, id);

	if (e == NULL || !e->valid || uc->session == 0 || now < e->at ||
	    now - e->at >= USERCACHE_MAX_AGE)
		return NULL;
	return e;
}

/* The entry of "id" in "m" (at most "max" of them), made valid as read at "now", for the
 * caller to fill with a read begun at "ticket"; NULL when the fill is refused (see
 * usercache_put). */
static struct usercache_entry *
usercache_fill(struct usercache *uc, struct strmap *m, size_t max, const char *id,
    unsigned long ticket, time_t now)
{
	struct usercache_entry	*e = strmap_get(m, id);

	if (uc->session == 0 || ticket < uc->reset_gen || (e != NULL && e->dropped > ticket))
		return NULL;
	if (e == NULL) {
		if (strmap_len(m) >= max) {
			/* Starting over refuses fills under way too: the ticket predates it. */
			usercache_reset(uc);
			return NULL;
		}
		e = xcalloc(1, sizeof(*e));
		strmap_put(m, id, e, NULL);
	}
	e->at = now;
	e->valid = 1;
	return e;
}

/* Turns the entry of "id" in "m" (at most "max") into a tombstone of a new generation. */
static void
usercache_drop(struct usercache *uc, struct strmap *m, size_t max, const char *id)
{
	struct usercache_entry	*e = strmap_get(m, id);

	uc->gen++;
	if (e == NULL) {
		if (strmap_len(m) >= max) {
			/* No room for the tombstone: forget everything instead. */
			usercache_reset(uc);
			return;
		}
		e = xcalloc(1, sizeof(*e));
		strmap_put(m, id, e, NULL);
	}
	free(e->json);
	e->json = NULL;
	e->valid = 0;
	e->dropped = uc->gen;
}

int
usercache_get(const struct usercache *uc, const char *user_id, time_t now,
    struct user_state *out)
{
	const struct usercache_entry	*e = usercache_fresh(uc, uc->users, user_id, now);

	if (e == NULL)
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
	strmap_clear(uc->users, usercache_entry_free);
	strmap_clear(uc->keys, free);
	strmap_clear(uc->rows, usercache_entry_free);
	uc->reset_gen = ++uc->gen;
}

void
usercache_keys_reset(struct usercache *uc)
{
	strmap_clear(uc->keys, free);
	uc->keys_gen = ++uc->gen;
}

int
usercache_key_get(const struct usercache *uc, const char *hash, time_t now,
    char user_id[UUID_STRLEN + 1], time_t *touched)
{
	const struct usercache_key	*k = strmap_get(uc->keys, hash);

	if (k == NULL || uc->session == 0 || now < k->at || now - k->at >= USERCACHE_MAX_AGE)
		return 0;
	memcpy(user_id, k->user_id, UUID_STRLEN + 1);
	*touched = k->touched;
	return 1;
}

int
usercache_key_put(struct usercache *uc, const char *hash, const char *user_id,
    unsigned long ticket, time_t now, time_t touched)
{
	struct usercache_key	*k = strmap_get(uc->keys, hash);

	if (uc->session == 0 || ticket < uc->reset_gen || ticket < uc->keys_gen ||
	    !uuid_valid(user_id))
		return -1;
	if (k == NULL) {
		if (strmap_len(uc->keys) >= USERCACHE_MAX) {
			usercache_keys_reset(uc);
			return -1;
		}
		k = xcalloc(1, sizeof(*k));
		strmap_put(uc->keys, hash, k, NULL);
	}
	snprintf(k->user_id, sizeof(k->user_id), "%s", user_id);
	k->at = now;
	k->touched = touched;
	return 0;
}

void
usercache_key_touch(struct usercache *uc, const char *hash, time_t when)
{
	struct usercache_key	*k = strmap_get(uc->keys, hash);

	if (k != NULL)
		k->touched = when;
}

int
usercache_put(struct usercache *uc, const char *user_id, const struct user_state *st,
    unsigned long ticket, time_t now)
{
	struct usercache_entry	*e = usercache_fill(uc, uc->users, USERCACHE_MAX, user_id,
	    ticket, now);

	if (e == NULL)
		return -1;
	e->st = *st;
	return 0;
}

void
usercache_invalidate(struct usercache *uc, const char *user_id)
{
	usercache_drop(uc, uc->users, USERCACHE_MAX, user_id);
}

int
usercache_row_get(const struct usercache *uc, const void *kind, const char *id, time_t now,
    char owner[UUID_STRLEN + 1], char **json)
{
	const struct usercache_entry	*e = usercache_fresh(uc, uc->rows, id, now);

	if (e == NULL || e->kind != kind)
		return 0;
	memcpy(owner, e->owner, UUID_STRLEN + 1);
	*json = xstrdup(e->json);
	return 1;
}

int
usercache_row_put(struct usercache *uc, const void *kind, const char *id, const char *owner,
    const char *json, unsigned long ticket, time_t now)
{
	struct usercache_entry	*e;

	if (strlen(json) > USERCACHE_ROW_BYTES || (owner[0] != '\0' && !uuid_valid(owner)) ||
	    (e = usercache_fill(uc, uc->rows, USERCACHE_ROWS_MAX, id, ticket, now)) == NULL)
		return -1;
	free(e->json);
	e->json = xstrdup(json);
	e->kind = kind;
	snprintf(e->owner, sizeof(e->owner), "%s", owner);
	return 0;
}

void
usercache_row_invalidate(struct usercache *uc, const char *id)
{
	usercache_drop(uc, uc->rows, USERCACHE_ROWS_MAX, id);
}

/* A notification naming an entry of "m" (at most "max"): drops it, or resets everything when
 * the payload is no id. Returns 1 for one entry, 0 after a reset. */
static int
usercache_notified(struct usercache *uc, struct strmap *m, size_t max, const char *payload)
{
	if (payload != NULL && uuid_valid(payload)) {
		usercache_drop(uc, m, max, payload);
		return 1;
	}
	usercache_reset(uc);
	return 0;
}

int
usercache_row_notify(struct usercache *uc, const char *payload)
{
	return usercache_notified(uc, uc->rows, USERCACHE_ROWS_MAX, payload);
}

int
usercache_notify(struct usercache *uc, const char *payload)
{
	return usercache_notified(uc, uc->users, USERCACHE_MAX, payload);
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
