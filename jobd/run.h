/* run.h: one execution run by a worker: it is started from a claim, resumes from the steps
 * an earlier holder completed, drives the scheduler, runs node attempts under the step policy,
 * records them in the run store, publishes events, and ends through the store's group commit.
 * The engine (engine.c) owns the runs and hands them what they need in a struct run_ctx. */
#ifndef FRAGENT_RUN_H
#define FRAGENT_RUN_H

#include <stdint.h>

#include <json-c/json.h>

#include "events.h"
#include "nodes/node.h"
#include "store.h"

struct clock;
struct lease;
struct run;

/* What a run uses of its worker. Borrowed for the run's life. */
struct run_ctx {
	struct store		*store;
	struct clock		*clock;
	const struct lease	*lease;
	const struct node_impl	*const *nodes;	/* by enum wf_node_type */
	const struct node_env	*env;		/* handed to the nodes */
	long			 cpu_limit_ms;	/* see struct engine_config */
	long			 cpu_backstop_ms;
	/* Appends an event of execution "id" to its stream ("fields" borrowed). */
	void			(*publish)(void *arg, const char *id, enum event_type type,
				    json_object *fields);
	/* Acknowledges queue entry "entry". */
	void			(*ack)(void *arg, const char *entry);
	/* A random number (back-off jitter). */
	uint64_t		(*rand)(void *arg);
	/* Run "r" is about to be freed: take it out of the worker's table. */
	void			(*gone)(void *arg, struct run *r);
	void			*arg;
};

/* Prepares the run of claimed execution "claim" from queue entry "entry": parses the
 * definition snapshot and, on a resume, loads what earlier attempts completed. Returns NULL
 * when the store failed or memory ran out (the entry then stays pending for a later claim).
 * Nothing runs until run_go. */
struct run	*run_new(const struct run_ctx *ctx, const struct store_claim *claim,
		    const char *entry);
/* Starts what is ready (or fails the run at once when it cannot run: bad definition, given
 * up). The engine puts "r" in its table first: from here on "r" may end and be freed (through
 * ctx->gone) at any time. */
void		 run_go(struct run *r);
/* The execution was cancelled (control message or renewal): stops in-flight work at once,
 * marks running and never-started steps cancelled, publishes execution.cancelled if this
 * worker settles the cancellation, acknowledges, and frees "r". */
void		 run_cancel(struct run *r);
/* The store says the execution is no longer leased here: cancelled (run_cancel) or taken over
 * (stops locally without writing, frees "r"). */
void		 run_lost(struct run *r);
/* Stops local work without writing anything (lease fenced, worker stopping); the execution
 * stays pending for its next holder. Frees "r". */
void		 run_release(struct run *r, const char *why);
/* Settles the cancellation of execution "id" that is not running here (a claim found it
 * cancelled): marks its running steps, publishes execution.cancelled if this worker takes
 * it. */
void		 run_settle_cancelled(const struct run_ctx *ctx, const char *id);

const char	*run_id(const struct run *r);
const char	*run_entry(const struct run *r);
/* When the lease was last confirmed (clock ms): the engine's renewals update it. */
uint64_t	*run_confirmed(struct run *r);
/* Next in the engine's hash chain (the engine owns the table). */
struct run	**run_next(struct run *r);

#endif
