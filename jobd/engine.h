/* engine.h: the executions one worker runs: its table of runs, the claims of the queue
 * entries it is handed, lease renewals (lease.h), cancellations, the store's group commit
 * once per loop turn, and winding down. It does no I/O of its own: the run store, the clock,
 * the node implementations and the event/queue callbacks come from its creator (worker.c, or
 * a unit suite with fakes). */
#ifndef FRAGENT_ENGINE_H
#define FRAGENT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "events.h"
#include "nodes/node.h"

struct clock;
struct engine;
struct store;

/* A queue entry handed to the engine. */
struct engine_entry {
	const char	*entry_id;
	const char	*exec_id;
};

struct engine_config {
	long		 lease_ms;
	int		 max_abandons;	/* abandons tolerated before a run is failed */
	size_t		 max_inflight;	/* runs at once (the consumer reads no more) */
	/* A CPU-only node that answers later (its expressions run in the sandbox) gets at most
	 * "cpu_limit_ms" (0: its timeout_ms alone); the engine's own timer waits
	 * "cpu_backstop_ms" longer, so that the sandbox's message comes first. */
	long		 cpu_limit_ms;
	long		 cpu_backstop_ms;
};

struct engine_ports {
	struct store		*store;		/* owned by the engine from engine_new on */
	struct clock		*clock;		/* borrowed */
	const struct node_impl	*const *nodes;	/* by enum wf_node_type */
	const struct node_env	*env;		/* handed to the nodes */
	/* Appends an event to execution "id"'s stream ("fields" borrowed). */
	void			(*publish)(void *arg, const char *id, enum event_type type,
				    json_object *fields);
	/* For an ended execution whose holder stopped before publishing its end: appends
	 * terminal event "type" ("fields" borrowed) unless the stream already ends with one,
	 * then acknowledges queue entry "entry_id". */
	void			(*publish_end)(void *arg, const char *id, enum event_type type,
				    json_object *fields, const char *entry_id);
	/* Acknowledges queue entry "entry_id". */
	void			(*ack)(void *arg, const char *entry_id);
	/* Resets the idle time of the queue entries of the runs held (renewal). */
	void			(*refresh)(void *arg, const char *const *entry_ids, size_t n);
	/* A run left (finished, released or lost). */
	void			(*left)(void *arg);
	uint64_t		(*rand)(void *arg);
	void			*arg;
};

/* Creates the engine; it takes the store over (freed by engine_free) and starts renewing.
 * Returns NULL when the clock cannot make a timer (the store is then freed). */
struct engine	*engine_new(const struct engine_config *cfg, const struct engine_ports *ports);
/* Stops every run without writing and frees everything; NULL-safe. */
void		 engine_free(struct engine *e);
/* Takes queue entries: claims their executions in one statement and starts those taken;
 * acknowledges what needs no run (finished, duplicates) and leaves the rest pending. */
void		 engine_take(struct engine *e, const struct engine_entry *entries, size_t n);
/* Execution "exec_id" was cancelled: stops it if it runs here. */
void		 engine_cancel(struct engine *e, const char *exec_id);
/* Writes what waits in the store's group commit now (it is also written at the end of the
 * loop turn in which it was queued). */
void		 engine_flush(struct engine *e);
/* Gives back every lease at once and stops the runs without writing (their steps are left to
 * the next holder): the end of a SIGTERM's grace period. */
void		 engine_release_all(struct engine *e);
/* Runs in flight. */
size_t		 engine_inflight(const struct engine *e);
/* Room for more runs (0 when full). */
size_t		 engine_room(const struct engine *e);
/* True when execution "exec_id" runs here. */
bool		 engine_holds(const struct engine *e, const char *exec_id);

#endif
