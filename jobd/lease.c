/* lease.c: the lease protocol (see lease.h for the rules). */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lease.h"

void
lease_owner_make(char out[STORE_OWNER_MAX], const char *consumer, int index, uint64_t rnd)
{
	char	 host[64];

	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	snprintf(out, STORE_OWNER_MAX, "%s/%s/%ld/%llx/w%d", consumer, host, (long)getpid(),
	    (unsigned long long)rnd, index);
}

long
lease_renew_every_ms(const struct lease *l)
{
	return l->lease_ms / 3 > 0 ? l->lease_ms / 3 : 1;
}

/* True when an execution last confirmed at "confirmed" may no longer be ours by the next
 * renewal: stop it now. */
static bool
lease_fence_due(const struct lease *l, uint64_t confirmed, uint64_t now)
{
	uint64_t	 next = now + (uint64_t)lease_renew_every_ms(l) + (uint64_t)l->lease_ms / 10;

	return next >= confirmed + (uint64_t)l->lease_ms;
}

void
lease_renew(const struct lease *l, const char *const *ids, size_t n, uint64_t now_ms,
    uint64_t *confirmed_ms, enum lease_state *state)
{
	bool		 alive[STORE_FLUSH_MAX];
	enum store_rc	 rc;
	size_t		 off, k, i;

	for (off = 0; off < n; off += k) {
		k = n - off < STORE_FLUSH_MAX ? n - off : STORE_FLUSH_MAX;
		memset(alive, 0, sizeof(alive));
		rc = l->store->ops->renew(l->store, ids + off, k, l->lease_ms, alive);
		for (i = off; i < off + k; i++) {
			if (rc == STORE_OK && alive[i - off]) {
				confirmed_ms[i] = now_ms;	/* the statement's sending time */
				state[i] = LEASE_HELD;
			} else if (rc == STORE_OK)
				state[i] = LEASE_LOST;
			else
				state[i] = lease_fence_due(l, confirmed_ms[i], now_ms) ?
				    LEASE_FENCED : LEASE_HELD;
		}
	}
}

enum lease_refusal
lease_refusal(const struct store_why *why, const char *owner, const char *entry)
{
	bool	 mine = why->has_owner && strcmp(why->owner, owner) == 0;
	bool	 holder_entry = why->entry[0] != '\0' && strcmp(why->entry, entry) == 0;

	if (strcmp(why->status, "succeeded") == 0 || strcmp(why->status, "failed") == 0)
		return holder_entry ? LEASE_REFUSAL_END : LEASE_REFUSAL_ACK;
	/* Parked until an answer queues it again (which appends a new entry). */
	if (strcmp(why->status, "waiting") == 0)
		return LEASE_REFUSAL_ACK;
	if (strcmp(why->status, "cancelled") == 0) {
		/* Settled already (''), never run, its holder gone, or ours: settle (again) here. */
		if (!why->has_owner || why->owner[0] == '\0' || why->expired || mine)
			return LEASE_REFUSAL_CANCEL;
		/* A live holder settles it and acknowledges its own entry. */
		return holder_entry ? LEASE_REFUSAL_KEEP : LEASE_REFUSAL_ACK;
	}
	if (strcmp(why->status, "running") == 0 && why->has_owner && !why->expired && !mine)
		return holder_entry ? LEASE_REFUSAL_KEEP : LEASE_REFUSAL_ACK;
	/* Queued, or running and claimable (ours included: a claim takes back our own lease):
	 * the claim raced another or failed; try later. */
	return LEASE_REFUSAL_KEEP;
}

bool
lease_poisoned(const struct lease *l, int abandons)
{
	return abandons > l->max_abandons;
}
