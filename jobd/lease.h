/* lease.h: the lease protocol, the one place that decides who runs an execution.
 *
 * PostgreSQL's clock decides: an execution is held by `lease_owner` (unique per worker thread
 * and process run) until `lease_expires_at`; only a claim finding it queued, released
 * (owner NULL) or expired takes it (store.h guards every write of a holder the same way).
 * The Redis pending list is only a hint of which entries may be orphaned.
 *
 * - Claim: a queue read's entries are claimed in one statement with a lease of L ms. A claim
 *   of a running execution whose lease expired with an owner set counts an abandon; past the
 *   limit the taker fails the execution instead of running it (a run that crashes workers
 *   ends).
 * - Renewal: every L/3 the holder renews all its leases in one statement and refreshes the
 *   idle time of their queue entries (so XAUTOCLAIM, which looks for entries idle longer than
 *   L, never picks a live run's entry). An execution missing from the renewal's answer was
 *   cancelled or taken over: the holder stops it locally (lease_renew says LEASE_LOST).
 * - Fencing: a holder that could not renew stops the execution locally, writing nothing,
 *   before its lease can have run out (LEASE_FENCED): after two missed renewals, at the
 *   latest 2L/3 + L/10 after the last confirmation, whose time is that of the statement's
 *   sending, earlier than the server's now().
 * - Refusal: a claim that took nothing asks why (lease_refusal): finished or unknown →
 *   acknowledge the entry; cancelled and unsettled → settle the cancellation here; held by a
 *   live holder → acknowledge it when it is a duplicate (another entry than the holder's),
 *   keep it pending when it is the holder's own (it is picked up again once the holder's
 *   lease runs out).
 * - Release: a worker that stops (SIGTERM past its grace period) gives its leases back; they
 *   are claimable at once and do not count as abandoned.
 * - Steps: a network step's running row and its end are written only while held; a step that
 *   outlives the lease keeps it through renewals; a step cut off by a lost lease is marked
 *   failed ("worker lost during the step") by the next holder and runs again. */
#ifndef FRAGENT_LEASE_H
#define FRAGENT_LEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct lease {
	struct store	*store;		/* borrowed */
	long		 lease_ms;
	int		 max_abandons;
};

enum lease_state {
	LEASE_HELD,	/* renewed */
	LEASE_LOST,	/* the store says it is no longer ours (cancelled or taken over) */
	LEASE_FENCED,	/* not renewed in time: stop locally, write nothing */
	LEASE__MAX
};

enum lease_refusal {
	LEASE_REFUSAL_ACK,	/* acknowledge the entry: nothing to run */
	LEASE_REFUSAL_KEEP,	/* leave it pending: someone may need it later */
	LEASE_REFUSAL_CANCEL,	/* cancelled and unsettled: settle it here, then acknowledge */
	/* Ended, and this is its holder's own entry, never acknowledged: the holder stopped
	 * between committing the end and publishing it. Publish the end unless the stream has
	 * it, then acknowledge. */
	LEASE_REFUSAL_END,
	LEASE_REFUSAL__MAX
};

/* Writes the lease owner of worker "index" of consumer "consumer" into "out": unique per
 * process run ("rnd" a random number), so that a restarted jobd never takes a dead one's
 * leases for its own. */
void			 lease_owner_make(char out[STORE_OWNER_MAX], const char *consumer,
			    int index, uint64_t rnd);
/* The period of renewals. */
long			 lease_renew_every_ms(const struct lease *l);
/* Renews the leases of the "n" executions "ids", last confirmed at confirmed_ms[i] (updated
 * for those renewed) at "now_ms", and says what became of each in state[i]. */
void			 lease_renew(const struct lease *l, const char *const *ids, size_t n,
			    uint64_t now_ms, uint64_t *confirmed_ms, enum lease_state *state);
/* What to do with queue entry "entry" of an execution that a claim by "owner" did not take,
 * given "why". */
enum lease_refusal	 lease_refusal(const struct store_why *why, const char *owner,
			    const char *entry);
/* True when an execution claimed with "abandons" abandons is to be failed, not run. */
bool			 lease_poisoned(const struct lease *l, int abandons);

#endif
