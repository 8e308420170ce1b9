/* sweeper.h: the safety net under the queue: re-enqueues executions that Postgres holds as
 * queued but no worker picked up in time (the API's XADD failed, or Redis lost the entry),
 * and running ones whose lease ran out long ago without a reclaim. Queued rows are only swept
 * while the consumer group has no undelivered entries (no backlog). Postgres is the truth;
 * duplicates in the stream are harmless (claims are guarded). It also clears idempotency
 * keys kept longer than shared/launch.h says, and answers "rejected" the approvals whose
 * deadline passed (shared/approval.h). */
#ifndef FRAGENT_SWEEPER_H
#define FRAGENT_SWEEPER_H

#include "settings.h"

struct event_base;
struct sweeper;

/* Sweeps every settings->sweep_ms on "base". Returns NULL when out of memory. */
struct sweeper	*sweeper_start(struct event_base *base, const struct jobd_settings *set);
/* Stops and frees; NULL-safe. */
void		 sweeper_stop(struct sweeper *sw);

#endif
