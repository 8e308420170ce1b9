/* store.h: the run store, where the engine keeps what must survive a crash: the claim and
 * lease of each execution, every step attempt, final states. An implementation fills
 * struct store_ops (store_pg.c: PostgreSQL; the unit suites: an in-memory model with the same
 * guards). store.c adds what every implementation shares: group commit of step ends and
 * final states, written together once per loop turn by store_flush.
 *
 * Guards (every implementation enforces them): a claim takes an execution that is queued, or
 * running with an expired or released lease; every write of a holder (step start and end,
 * final state, renewal) applies only while the execution is running and leased to "owner";
 * a finished execution never changes again. */
#ifndef FRAGENT_STORE_H
#define FRAGENT_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "trace.h"
#include "uuid.h"

#define STORE_OWNER_MAX	320
#define STORE_FLUSH_MAX	1024	/* ends written by one statement at the most */

enum store_rc {
	STORE_OK,
	STORE_NOTFOUND,		/* no such row, or the guard refused */
	STORE_INVALID,		/* the store refused the values (bad id, bad JSON) */
	STORE_FAILED,		/* the store is unreachable or failed: nothing is known */
	STORE__MAX
};

/* One queue entry offered for claiming. */
struct store_claim_req {
	const char	*id;		/* execution id */
	const char	*entry;		/* its queue entry id */
};

/* One execution taken by a claim. The JSON members are owned by the claim batch. */
struct store_claim {
	char		 id[UUID_STRLEN + 1];
	json_object	*definition;
	json_object	*inputs;
	int		 attempt;	/* claims so far, this one included */
	int		 abandons;	/* times a holder lost it without releasing it */
	char		 trigger[16];	/* what started it (manual, api, webhook, …) */
	long long	 start_ms;	/* its first start, unix milliseconds */
	char		 traceparent[TRACE_PARENT_SIZE];	/* the run's parent span; "" none */
	/* A replay: the execution it replays ("" none) and how ({from_node, offline,
	 * input_changed, definition_changed}; owned by the batch, NULL when none). */
	char		 replay_of[UUID_STRLEN + 1];
	json_object	*replay;
};

struct store_claims {
	struct store_claim	*rows;
	size_t			 n;
};

/* Why a claim took nothing. */
/* How an execution ended: what its terminal event says. */
struct store_outcome {
	char		 status[16];	/* succeeded, failed or cancelled; else still open */
	char		 error[512];	/* "" when none */
	json_object	*results;	/* owned (store_outcome_clear); NULL when none */
};

struct store_why {
	char	 status[16];	/* queued, running, succeeded, failed, cancelled */
	bool	 has_owner;	/* lease_owner is set ('' counts: cancellation settled) */
	char	 owner[STORE_OWNER_MAX];
	bool	 expired;	/* the lease ran out (or there is none) */
	char	 entry[48];	/* the queue entry of the last claim ("" when unknown) */
};

/* What an earlier attempt left of node "node_id": used on resume. */
struct store_earlier {
	char		 node_id[72];
	int		 last_attempt;
	bool		 succeeded;
	json_object	*output;	/* latest success (owned by the array) */
	long long	 tokens;	/* model tokens its attempts used */
	double		 cost_usd;	/* their estimated cost (0 when the model has no price) */
};

/* The end of one network step attempt, queued for the next flush. The caller owns the
 * struct and keeps it (and what it points to) alive until "done" ran or it is unqueued. */
struct store_step_end {
	const char		*execution_id;
	const char		*node_id;
	int			 attempt;
	const char		*status;	/* succeeded or failed */
	json_object		*output;	/* borrowed, may be NULL */
	const char		*error;		/* may be NULL */
	json_object		*exchanges;	/* borrowed: its calls (tape.h), may be NULL */
	const char		*replay_source;	/* in a replay (tape_source), else NULL */
	/* Called once flushed: STORE_OK when the end was written, STORE_NOTFOUND when the
	 * guard refused it (the execution is no longer running here), else STORE_FAILED. */
	void			(*done)(struct store_step_end *e, enum store_rc rc);
	struct store_step_end	*next;		/* store.c */
	bool			 queued;
};

/* The final state of one execution, with its last CPU-only step rows, queued likewise. */
struct store_exec_end {
	const char		*execution_id;
	/* succeeded or failed; or waiting: the attempt parked (end_time stays unset) */
	const char		*status;
	json_object		*results;	/* borrowed, may be NULL */
	const char		*error;		/* may be NULL */
	json_object		*steps;		/* borrowed array of CPU-only rows, may be NULL */
	/* Called once flushed: "settled" when this end was written (false: the guard refused,
	 * e.g. cancelled meanwhile or no longer leased here). */
	void			(*done)(struct store_exec_end *e, enum store_rc rc, bool settled);
	struct store_exec_end	*next;
	bool			 queued;
};

struct store;

/* What an implementation provides. Each call is one round trip (one statement or one
 * transaction); none keeps a pointer to its arguments. */
struct store_ops {
	/* Claims the executions of "reqs" for the store's owner with a lease of "lease_ms";
	 * fills "out" with those taken (store_claims_clear frees them). */
	enum store_rc	(*claim)(struct store *s, const struct store_claim_req *reqs, size_t n,
			    long lease_ms, struct store_claims *out);
	/* Reads why execution "id" was not taken. STORE_NOTFOUND: no such execution. */
	enum store_rc	(*why)(struct store *s, const char *id, struct store_why *out);
	/* Reads how execution "id" ended (store_outcome_clear frees "out"). STORE_NOTFOUND:
	 * no such execution. */
	enum store_rc	(*outcome)(struct store *s, const char *id, struct store_outcome *out);
	/* On resume: marks the steps a lost holder left running as failed, then lists per node
	 * the last attempt and latest success. "*out" is freed by store_earlier_free. */
	enum store_rc	(*resume)(struct store *s, const char *id, struct store_earlier **out,
			    size_t *n);
	/* Inserts a running attempt of network node "node_id" with "input"; sets "attempt".
	 * The same round trip first writes "rows" (finished CPU-only attempts, as step_rows
	 * takes them; NULL or empty: none), under the same guard: nothing is written unless
	 * the execution is running and held by the owner. */
	enum store_rc	(*step_start)(struct store *s, const char *id, const char *node_id,
			    json_object *input, json_object *rows, int *attempt);
	/* Writes finished CPU-only attempts ("rows": [{node_id, attempt, status, input,
	 * output, error, started_at, finished_at, exchanges, replay_source}]); rows already
	 * there are kept.
	 * STORE_NOTFOUND: the execution is no longer held by the owner (nothing written). */
	enum store_rc	(*step_rows)(struct store *s, const char *id, json_object *rows);
	/* Records node "node_id" skipped (once). */
	enum store_rc	(*step_skip)(struct store *s, const char *id, const char *node_id);
	/* Writes the ends of "n" network attempts in one durable statement; sets applied[i]
	 * for those written (the others' executions are no longer held). */
	enum store_rc	(*steps_end)(struct store *s, struct store_step_end *const *ends,
			    size_t n, bool *applied);
	/* Writes "n" final states in one durable statement; sets settled[i] for those written. */
	enum store_rc	(*execs_end)(struct store *s, struct store_exec_end *const *ends,
			    size_t n, bool *settled);
	/* Marks cancelled: never-started nodes "pending" (rows), then running attempts, with
	 * "why" as their error. */
	enum store_rc	(*cancel_steps)(struct store *s, const char *id,
			    const char *const *pending, size_t npending, const char *why);
	/* Takes the settlement of cancelled execution "id" (exactly one taker publishes its
	 * event): sets "taken". */
	enum store_rc	(*cancel_take)(struct store *s, const char *id, bool *taken);
	/* Renews the leases of "ids" held by the owner; alive[i] tells which still are. */
	enum store_rc	(*renew)(struct store *s, const char *const *ids, size_t n,
			    long lease_ms, bool *alive);
	/* Gives back the leases of "ids" held by the owner (they are claimable at once and do
	 * not count as abandoned). */
	enum store_rc	(*release)(struct store *s, const char *const *ids, size_t n);
	/* Reads the recording of execution "id" for a replay: the last attempt of each of its
	 * nodes that ended, as [{node_id, status, output, error, exchanges}] ("*out", a new
	 * array; empty when "id" has none). */
	enum store_rc	(*recording)(struct store *s, const char *id, json_object **out);
	/* Frees the implementation. */
	void		(*free)(struct store *s);
};

struct store {
	const struct store_ops	*ops;
	char			 owner[STORE_OWNER_MAX];	/* the lease owner */
	/* Group commit (store.c). */
	struct store_step_end	*step_ends, *step_settling;
	struct store_exec_end	*exec_ends, *exec_settling;
	void			(*want_flush)(void *arg);	/* something was queued */
	void			*want_flush_arg;
};

/* Prepares the shared part of "s" for owner "owner" ("want_flush(arg)" is called when a
 * write is queued and no flush is due yet). */
void	store_init(struct store *s, const struct store_ops *ops, const char *owner,
	    void (*want_flush)(void *), void *arg);
/* Frees "s" through its implementation; NULL-safe. Queued writes are dropped unwritten. */
void	store_free(struct store *s);

/* Queues "e" (not queued yet) for the next flush. */
void	store_step_end_queue(struct store *s, struct store_step_end *e);
void	store_exec_end_queue(struct store *s, struct store_exec_end *e);
/* Takes "e" out of the queue (or the flush in progress) without calling "done"; harmless
 * when it is not queued. */
void	store_step_end_unqueue(struct store *s, struct store_step_end *e);
void	store_exec_end_unqueue(struct store *s, struct store_exec_end *e);
/* Writes the queued step ends in one statement and calls their "done" in queue order (a
 * "done" may queue final states or unqueue other entries), then the queued final states
 * likewise. */
void	store_flush(struct store *s);

/* Frees a claim batch's rows; NULL-safe. */
void	store_claims_clear(struct store_claims *c);
/* Frees what "o" holds; NULL-safe. */
void	store_outcome_clear(struct store_outcome *o);
/* Frees what "resume" returned; NULL-safe. */
void	store_earlier_free(struct store_earlier *e, size_t n);

/* A PostgreSQL store: "db" for durable writes, "db_fast" (synchronous_commit off) for what
 * may be redone after a database crash (claims, CPU-only rows, running rows, skips). Both
 * borrowed. Never NULL. */
struct db;
struct store	*store_pg_new(struct db *db, struct db *db_fast, const char *owner,
		    void (*want_flush)(void *), void *arg);

#endif
