/* sandbox.h: the pool of fragent-sandbox helper processes of one worker thread, on its
 * libevent loop (never blocking it): author-supplied jq programs and templates are evaluated
 * there, out of jobd's address space (jobd/sandbox/proto.h for the protocol, confine.h for
 * the confinement).
 *
 * Requests queue in the pool and are written to a helper together once per loop turn; a
 * helper answers in order. Each request has a deadline: its time limit (its node's timeout
 * capped by the pool's expression limit) from its submission; past it the helper running it
 * is SIGKILLed and replaced (a request that waited that long still gets a moment to run),
 * and the request fails with "expression exceeded its time limit (N ms)". A helper that dies
 * of its memory limit fails its request with "expression exceeded its memory limit (N MB)",
 * any other death with "expression crashed the sandbox"; the other requests of a helper that
 * died are sent again to another.
 *
 * One helper does the work while nothing is slow. A helper whose request used the slow
 * threshold of CPU time evaluating sets itself to SCHED_IDLE and says so; what was queued
 * behind that request moves to a fresh helper (the pool grows past slow helpers up to its
 * maximum), and the slow one is replaced once it answered. Helpers that used half their CPU
 * limit are replaced once idle, helpers beyond the first once idle for 10 s. */
#ifndef FRAGENT_SANDBOX_H
#define FRAGENT_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

struct event_base;
struct sandbox_pool;
struct sandbox_req;

#define SANDBOX_SLOW_MS		10	/* CPU time of an evaluation that makes it slow */
#define SANDBOX_BACKSTOP_MS	1000	/* the engine's timer of a sandboxed step waits this
					 * much past its limit: the pool's own message comes first */
#define SANDBOX_BACKLOG		256	/* requests in a pool past which its worker takes no
					 * new executions (sandbox_backlog) */

struct sandbox_conf {
	const char	*bin;		/* the helper program (copied) */
	long		 memory_mb;	/* each helper's memory beyond what it maps at start */
	long		 limit_ms;	/* the expression limit: the longest a request may run */
	int		 max_helpers;	/* helpers at most */
	long		 slow_ms;	/* a request using this much CPU time is slow */
	long		 cpu_s;		/* each helper's RLIMIT_CPU, retired at half; 0: 60 s
					 * plus twice the expression limit */
};

enum sandbox_kind {
	SANDBOX_EXPR,		/* a jq program: its first result (null when none) */
	SANDBOX_TEMPLATE,	/* a {{ }} template: rendered (expr.h) */
	SANDBOX_KIND__MAX
};

/* Counters of a pool's life, for logs and tests. */
struct sandbox_stats {
	int	 helpers;	/* helpers running now */
	long	 spawned;	/* helpers started */
	long	 timeouts;	/* killed at a request's time limit */
	long	 deaths;	/* died on their own (memory, crash, CPU) */
	long	 slow;		/* deprioritised */
	long	 retired;	/* replaced after using half their CPU limit, or idle */
	long	 resent;	/* requests sent again after their helper died */
	long	 plain;		/* requests answered without a helper (sandbox_plain.h) */
	pid_t	 last_pid;	/* the helper started last */
};

/* Called once per submitted request, on the loop, unless cancelled: "results" is a new JSON
 * array with one value per item (the callee owns it; NULL on failure), "err" the reason of a
 * failure (NULL on success). The request is freed after the call. */
typedef void (*sandbox_done_fn)(void *arg, json_object *results, const char *err);

/* Starts a pool on "base" with one helper, and checks that the helper is confined (its
 * probe: no open, socket, execve, fork; an empty environment). Blocks until the helper
 * answered (at most a few seconds). Returns the pool, or NULL with a message in "err". */
struct sandbox_pool	*sandbox_pool_new(struct event_base *base, const struct sandbox_conf *conf,
			    char *err, size_t errlen);
/* Kills every helper and frees the pool and its requests (no callback is called); NULL-safe.
 * Run it when nothing else on the loop uses the pool any more. */
void			 sandbox_pool_free(struct sandbox_pool *p);
/* The time limit of a request of a node whose timeout is "timeout_ms": that, capped by the
 * pool's expression limit ("p" NULL: "timeout_ms"). */
long			 sandbox_timeout_ms(const struct sandbox_pool *p, long timeout_ms);
/* Copies the pool's counters into "st". */
void			 sandbox_stats(const struct sandbox_pool *p, struct sandbox_stats *st);
/* True when "p" has SANDBOX_BACKLOG requests or more submitted and not ended ("p" NULL:
 * false). A worker then reads no new executions: taking more than its sandbox keeps up
 * with only spreads the same work over more executions in memory. */
int			 sandbox_backlogged(const struct sandbox_pool *p);
/* Sets what is called (with "arg") when the backlog falls below SANDBOX_BACKLOG again. */
void			 sandbox_on_drained(struct sandbox_pool *p, void (*fn)(void *), void *arg);

/* Prepares a request evaluated against "ctx" (serialised now: later changes of "ctx" do not
 * count; items that only read a plain path of it are looked up as they are added, until the
 * request is submitted). Returns it, or NULL with a message in "err" (a context over the
 * protocol's limit). Free it with sandbox_cancel unless submitted. */
struct sandbox_req	*sandbox_req_new(struct sandbox_pool *p, json_object *ctx, char *err,
			    size_t errlen);
/* Adds an item (a jq program or a template, "text") to "r". Returns 0, or -1 with a message
 * in "err" (too many items, too large). */
int			 sandbox_req_add(struct sandbox_req *r, enum sandbox_kind kind,
			    const char *text, char *err, size_t errlen);
/* Queues "r" (at least one item) with time limit "timeout_ms" (capped by the pool's limit;
 * 0: the pool's limit); "done" is called with "arg" once it ended, on a later turn of the
 * loop. A request whose every item sandbox_plain answered needs no helper: it ends at the
 * end of this turn. */
void			 sandbox_req_submit(struct sandbox_req *r, long timeout_ms,
			    sandbox_done_fn done, void *arg);
/* Queues a probe of the confinement: "done" gets one result, an object naming the outcome
 * of each attempt ("EPERM", or "allowed") and the size of the environment. */
void			 sandbox_probe(struct sandbox_pool *p, sandbox_done_fn done, void *arg);
/* Drops "r" whether queued, running or not submitted: "done" will not be called. A request
 * running for longer than the slow threshold has its helper killed at once; NULL-safe. */
void			 sandbox_cancel(struct sandbox_req *r);

#endif
