/* exec.h: one execution run by a worker: claim and lease, resume from completed steps, drive
 * the scheduler, run node attempts with timeout/retry/back-off, record every attempt, publish
 * events, and settle the final status (guarded: a finished execution never goes back). */
#ifndef FRAGENT_EXEC_H
#define FRAGENT_EXEC_H

struct worker;
struct exec;

enum exec_rc {
	EXEC_STARTED,	/* running; the entry is acknowledged when it ends */
	EXEC_ACK,	/* nothing to run (finished, cancelled, unknown): acknowledge now */
	EXEC_KEEP,	/* leased by a live worker, or Postgres down: leave it pending */
	EXEC__MAX
};

/* Claims the executions "ids" of one queue read in one statement; the exec_start calls that
 * follow use those claims (an id not claimed is then refused without another query) until
 * exec_claims_clear. A failed statement leaves exec_start to claim one by one. */
void		 exec_claim_many(struct worker *w, const char *const *ids, size_t n);
void		 exec_claims_clear(struct worker *w);
/* Claims execution "exec_id" of queue entry "entry_id" for "w" and starts it. */
enum exec_rc	 exec_start(struct worker *w, const char *exec_id, const char *entry_id);
/* The execution was cancelled (control message or heartbeat): stops in-flight work at once,
 * marks running and pending steps cancelled, publishes execution.cancelled, acknowledges,
 * and frees "ex". */
void		 exec_cancel(struct exec *ex);
/* Stops local work without touching the execution's state, which stays pending for another
 * worker (shutdown, lost lease); frees "ex". Running step rows are left for the next owner
 * to mark. */
void		 exec_release(struct exec *ex);
/* Writes the final states of the executions that ended since the last call (one statement),
 * then publishes their terminal events, acknowledges and frees them. Runs from the worker's
 * settle event, activated when an execution ends. */
void		 exec_settle_ended(struct worker *w);
/* Writes the ends of the network steps answered since the last call (one durable
 * statement), then goes on with each of their executions (events, dependants). Runs from
 * the same settle event, before exec_settle_ended. */
void		 exec_settle_steps(struct worker *w);
/* The execution's id and its queue entry's id (borrowed). */
const char	*exec_id(const struct exec *ex);
const char	*exec_entry(const struct exec *ex);
/* The heartbeat found the execution no longer leased to this worker: find out why and act
 * (cancelled: exec_cancel; otherwise exec_release). */
void		 exec_lease_lost(struct exec *ex);
/* Next in the worker's hash chain (the worker owns the table). */
struct exec	**exec_next(struct exec *ex);

#endif
