/* run_int.h: the inside of a run, shared by the files that implement it (run.c: lifecycle and
 * the scheduler pump; step.c: node attempts under the step policy; cancel.c: cancellation).
 * Nothing else includes it. */
#ifndef FRAGENT_RUN_INT_H
#define FRAGENT_RUN_INT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "budget.h"
#include "log.h"
#include "run.h"
#include "scheduler.h"
#include "store.h"
#include "tape.h"
#include "wf.h"

struct clock_timer;

/* One node's attempt (in flight), or the wait before its next attempt. */
struct step {
	struct run		*run;
	size_t			 node;
	int			 attempt;	/* execution_steps.attempt of the current try */
	int			 tries;		/* tries made in this run */
	bool			 pending;	/* the node answers later (call.done) */
	struct node_call	 call;
	json_object		*input;
	struct clock_timer	*timer;		/* timeout while in flight, back-off after */
	char			 started[40];
	uint64_t		 started_ms;	/* the try's start on the run's clock */
	/* A network attempt's answer, waiting for the store's flush (end.queued). */
	struct store_step_end	 end;
	json_object		*end_out;
	char			*end_err;
	char			 end_attempt_err[96];	/* a timeout's message */
	struct trace_span	 span;		/* the current try (empty: none) */
	bool			 over_budget;	/* the run's budget refused it a model call */
	struct tape_deck	 deck;		/* the current try's recording */
};

struct run {
	const struct run_ctx	*ctx;
	struct run		*next;		/* the engine's hash chain */
	char			 id[UUID_STRLEN + 1];
	char			 entry[48];
	uint64_t		 confirmed_ms;	/* lease last confirmed */
	int			 attempt;	/* claims so far, this one included */
	struct log_ids		 ids;
	struct wf		*wf;
	struct sched		 sched;
	json_object		*ctx_json;	/* {input, <node_id>: {output}} */
	json_object		*done;		/* node_id -> output of steps completed earlier */
	json_object		*results;	/* output node id -> value */
	struct step		**steps;	/* per node, while in flight or waiting to retry */
	int			*attempts;	/* per node, the last attempt number used */
	json_object		*rows;		/* finished CPU-only attempts not written yet */
	size_t			 nactive;
	size_t			 nwaiting;	/* nodes waiting for an outside answer */
	bool			 failed;
	char			 error[512];
	struct store_exec_end	 end;		/* the final state, queued in the store */
	bool			 going;		/* run_go was called: "gone" must be */
	size_t			 trigger;	/* what started it (metrics_trigger) */
	long long		 start_ms;	/* its first start, unix milliseconds */
	struct trace_span	 span;		/* this attempt's run, parent of its steps */
	/* The definition's budget and what this claim used of it (tokens and cost of model
	 * calls, nodes started); its wall time is armed on "deadline". */
	struct budget_limits	 budget;
	struct budget_use	 used;
	struct clock_timer	*deadline;
	/* A replay: the original's recording, whether a call it lacks is refused, and the
	 * nodes whose outputs it reuses (node id -> true). */
	bool			 replaying, offline;
	struct tape		 tape;
	json_object		*reused;
};
/* Counts the end of "r" ("status": succeeded, failed or cancelled) in the metrics. */
void		 run_count_end(const struct run *r, const char *status);

/* run.c */
/* Frees "r" (calls ctx->gone first). */
void		 run_free(struct run *r);
/* Postgres failed or the execution is no longer ours: stop without writing, keep the entry. */
void		 run_drop(struct run *r, const char *why);
/* Starts everything that is resolved; ends the run once nothing runs and nothing is left. */
void		 run_pump(struct run *r);
/* Publishes event "type" with "fields" (consumed). */
void		 run_event(struct run *r, enum event_type type, json_object *fields);
/* A new {node_id, node_type, attempt} object for a node event. */
json_object	*run_node_fields(struct run *r, size_t k, int attempt);
/* Adds node "k"'s output to the context (and to the results for an output node). */
void		 run_ctx_add(struct run *r, size_t k, json_object *output);
/* The handles node "k" takes with output "out". */
unsigned	 run_handles(struct run *r, size_t k, json_object *out);
/* Writes the CPU-only rows held in r->rows: STORE_OK, STORE_NOTFOUND when the execution is
 * no longer held here, STORE_FAILED. */
enum store_rc	 run_flush_rows(struct run *r);
/* Forgets r->rows once a store call wrote them (a network step's start writes them too). */
void		 run_rows_written(struct run *r);
/* Sets r->error from "fmt" (printf), as storable text (well-formed UTF-8, cut between
 * characters). */
void		 run_set_error(struct run *r, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Fails the run because node "node_id" failed with "err": stops every other step. */
void		 run_fail(struct run *r, const char *node_id, const char *err);
/* Fails the run because its budget is spent ("err" says which limit): stops every step. */
void		 run_fail_budget(struct run *r, const char *err);
/* Milliseconds since the run's first start. */
long long	 run_elapsed_ms(const struct run *r);
/* Publishes execution.usage: what the run used of its budget so far. */
void		 run_usage_event(struct run *r);

/* step.c */
/* Creates the step of node "k" and starts its first try. Returns 0, or -1 when "r" was freed. */
int		 step_begin(struct run *r, size_t k);
/* Stops step "st" wherever it is and frees it. */
void		 step_abort(struct step *st);

/* cancel.c */
/* Marks cancelled the steps of execution "id" (the never-started nodes of "r" when given)
 * and publishes execution.cancelled if this worker takes the settlement. */
void		 cancel_mark(const struct run_ctx *ctx, const char *id, struct run *r);

#endif
