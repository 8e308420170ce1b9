/* worker.h: one engine thread: its own libevent loop, Postgres connections, Redis links, curl
 * multi handle, queue consumer and the executions it runs. Threads share nothing mutable
 * but the settings; SIGTERM reaches them through worker_stop. */
#ifndef FRAGENT_WORKER_H
#define FRAGENT_WORKER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "nodes/node.h"
#include "settings.h"

#define WORKER_BUCKETS	4096

struct event;
struct event_base;
struct db;
struct rlink;
struct httpc;
struct consumer;
struct exec;
struct step;
struct pg_result;

struct worker {
	int				 index;
	const struct jobd_settings	*set;
	pthread_t			 thread;
	struct event_base		*base;
	struct db			*db;		/* durable writes */
	struct db			*db_fast;	/* CPU-only steps */
	struct rlink			*redis;		/* events, XACK, XAUTOCLAIM */
	struct httpc			*http;
	struct node_env			 env;
	struct consumer			*consumer;
	redisAsyncContext		*control;	/* SUBSCRIBE fragent:control */
	struct event			*control_retry;
	struct event			*heartbeat;
	struct event			*stop_ev;	/* activated from the main thread */
	struct event			*grace;
	struct event			*settle_ev;	/* activated by exec_finish */
	struct exec			*ending;	/* ended, final state not written yet */
	struct step			*step_ends;	/* network steps answered, end not written */
	struct step			*step_settling;	/* being gone on with by exec_settle_steps */
	struct pg_result		*claims;	/* exec_claim_many's rows */
	int				 claims_taken;
	struct exec			*table[WORKER_BUCKETS];
	size_t				 inflight;
	size_t				 max_inflight;
	char				 name[160];	/* consumer name */
	char				 owner[320];	/* lease owner: unique per process */
	uint64_t			 rng;
	int				 stopping;
	int				 exited;
};

/* Prepares worker "index" (connections open lazily). Returns 0 or -1. */
int		 worker_init(struct worker *w, int index, const struct jobd_settings *set);
/* Runs the loop on a new thread. Returns 0 or -1. */
int		 worker_spawn(struct worker *w);
/* Asks the worker (from any thread) to stop taking work and to wind down within the grace
 * period; its thread then ends. */
void		 worker_stop(struct worker *w);
/* Waits for the thread and frees everything; NULL-safe. */
void		 worker_join(struct worker *w);

/* For exec.c and consumer.c (worker thread only). */
void		 worker_table_add(struct worker *w, struct exec *ex);
void		 worker_table_remove(struct worker *w, struct exec *ex);
struct exec	*worker_table_find(struct worker *w, const char *id);
/* Acknowledges queue entry "entry_id". */
void		 worker_ack(struct worker *w, const char *entry_id);
/* Called when an execution left the worker (finished, released or lost). */
void		 worker_exec_gone(struct worker *w);
/* A random number in [0, n) (xorshift; not for secrets). */
uint64_t	 worker_rand(struct worker *w, uint64_t n);

#endif
