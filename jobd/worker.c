/* worker.c: an engine thread (see worker.h): its loop and connections, and the wiring of its
 * parts: the queue consumer hands entries to the engine, the control channel hands it
 * cancellations, the engine's events and acknowledgements go out over the Redis link. */
#include "config.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "clock.h"
#include "consumer.h"
#include "db.h"
#include "engine.h"
#include "events.h"
#include "expr.h"
#include "httpc.h"
#include "lease.h"
#include "log.h"
#include "queue.h"
#include "rlink.h"
#include "rsub.h"
#include "sandbox.h"
#include "settings.h"
#include "store.h"
#include "worker.h"
#include "xalloc.h"

#define WORKER_REFRESH_BATCH	1000	/* entries per XCLAIM */
/* How long the engine stays without a run before the heap's free memory goes back to the
 * system: a burst of runs leaves most of its peak free but held by malloc's arenas. (Its
 * kept-alive HTTP connections, which hold buffers too, close after FRAGENT_JOBD_HTTP_IDLE_MS:
 * a vendor's keep-alive should outlast short pauses between calls.) */
#define WORKER_TRIM_IDLE_MS	2000

struct worker {
	int				 index;
	const struct jobd_settings	*set;
	pthread_t			 thread;
	bool				 spawned;
	struct event_base		*base;
	struct db			*db;		/* durable writes */
	struct db			*db_fast;	/* synchronous_commit off */
	struct rlink			*redis;		/* events, XACK, XAUTOCLAIM, XCLAIM */
	struct httpc			*http;
	struct clock			*clock;
	struct node_env			 env;
	struct engine			*engine;
	struct consumer			*consumer;
	struct rsub			*control;	/* SUBSCRIBE fragent:control */
	struct event			*stop_ev;	/* activated from the main thread */
	struct event			*grace;
	struct event			*trim;		/* malloc_trim once idle */
	struct event			*http_idle;	/* close connections once idle */
	char				 name[160];	/* consumer name */
	char				 owner[STORE_OWNER_MAX];	/* lease owner */
	uint64_t			 rng;
	bool				 stopping;
	bool				 exited;
};

static void	worker_exit(struct worker *w);

/* ---------------------------------------------------------------- the engine's ports */

static void
worker_publish(void *arg, const char *id, enum event_type type, json_object *fields)
{
	struct worker	*w = arg;

	events_publish(w->redis, id, type, fields);
}

static void
worker_publish_end(void *arg, const char *id, enum event_type type, json_object *fields,
    const char *entry_id)
{
	struct worker	*w = arg;

	events_publish_end_once(w->redis, id, type, fields, entry_id);
}

static void
worker_ack(void *arg, const char *entry_id)
{
	struct worker	*w = arg;
	const char	*argv[] = { "XACK", QUEUE_STREAM, QUEUE_GROUP, entry_id };

	rlink_cmd(w->redis, NULL, NULL, 4, argv, NULL);
}

/* XCLAIM to ourselves with a minimum idle time of 0 and JUSTID resets the entries' idle time
 * without counting a delivery: XAUTOCLAIM then leaves them to us. */
static void
worker_refresh(void *arg, const char *const *entry_ids, size_t n)
{
	struct worker	*w = arg;
	const char	*argv[WORKER_REFRESH_BATCH + 6];
	size_t		 off, k, i;

	for (off = 0; off < n; off += k) {
		k = n - off < WORKER_REFRESH_BATCH ? n - off : WORKER_REFRESH_BATCH;
		argv[0] = "XCLAIM"; argv[1] = QUEUE_STREAM; argv[2] = QUEUE_GROUP;
		argv[3] = w->name; argv[4] = "0";
		for (i = 0; i < k; i++)
			argv[5 + i] = entry_ids[off + i];
		argv[5 + k] = "JUSTID";
		rlink_cmd(w->redis, NULL, NULL, (int)(k + 6), argv, NULL);
	}
}

static void
worker_left(void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { WORKER_TRIM_IDLE_MS / 1000, WORKER_TRIM_IDLE_MS % 1000 * 1000 };

	if (w->stopping) {
		if (engine_inflight(w->engine) == 0)
			worker_exit(w);
		return;
	}
	if (engine_inflight(w->engine) == 0) {	/* (re)armed by each last run */
		evtimer_add(w->trim, &tv);
		tv.tv_sec = w->set->http_idle_ms / 1000;
		tv.tv_usec = w->set->http_idle_ms % 1000 * 1000;
		evtimer_add(w->http_idle, &tv);
	}
	consumer_resume(w->consumer);
}

/* The engine stayed idle: give the free heap back (every arena, those of the other threads
 * too; what is in use stays). */
static void
worker_on_trim(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	if (engine_inflight(w->engine) == 0)
		malloc_trim(0);
}

/* The engine stayed idle longer: close the kept-alive connections, and trim again. */
static void
worker_on_http_idle(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	if (engine_inflight(w->engine) != 0 || httpc_running(w->http) != 0)
		return;
	httpc_close_idle(w->http);
	malloc_trim(0);
}

/* A random number (xorshift; not for secrets). */
static uint64_t
worker_rand(void *arg)
{
	struct worker	*w = arg;

	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

/* ---------------------------------------------------------------- the consumer's */

/* Room for more runs: none while stopping, or while the sandbox has a backlog (taking more
 * executions then only piles work up: measured, a third of the throughput lost). */
static size_t
worker_room(void *arg)
{
	struct worker	*w = arg;

	if (w->stopping || sandbox_backlogged(w->env.sandbox))
		return 0;
	return engine_room(w->engine);
}

/* The sandbox caught up with its backlog: take executions again. */
static void
worker_on_drained(void *arg)
{
	struct worker	*w = arg;

	if (!w->stopping)
		consumer_resume(w->consumer);
}

static void
worker_entries(void *arg, const struct consumer_entry *e, size_t n)
{
	struct worker		*w = arg;
	struct engine_entry	*in;
	size_t			 i;

	in = xcalloc(n, sizeof(*in));
	for (i = 0; i < n; i++) {
		in[i].entry_id = e[i].entry_id;
		in[i].exec_id = e[i].exec_id;
	}
	engine_take(w->engine, in, n);
	free(in);
}

/* ---------------------------------------------------------------- control channel */

/* A message of the control channel: "cancel <id>". */
static void
worker_on_control(const char *msg, size_t len, void *arg)
{
	struct worker	*w = arg;
	size_t		 vl = strlen(QUEUE_CONTROL_CANCEL);

	if (len > vl && strncmp(msg, QUEUE_CONTROL_CANCEL, vl) == 0 && msg[vl] == ' ')
		engine_cancel(w->engine, msg + vl + 1);
}

/* ---------------------------------------------------------------- stopping */

/* Nothing runs any more: close what keeps the loop busy and end the loop shortly, once the
 * Redis link has written its last commands. */
static void
worker_exit(struct worker *w)
{
	struct timeval	 tv = { 0, 300000 };	/* time to write the last XACKs and events */

	if (w->exited)
		return;
	w->exited = true;
	consumer_stop(w->consumer);
	w->consumer = NULL;
	rsub_free(w->control);
	w->control = NULL;
	evtimer_del(w->grace);
	event_base_loopexit(w->base, &tv);
	log_info(NULL, "worker %d: stopped", w->index);
}

/* The grace period is over: leave what still runs to another worker, at once. */
static void
worker_on_grace(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;

	(void)fd;
	(void)what;
	log_warn(NULL, "worker %d: grace period over, %zu executions given back", w->index,
	    engine_inflight(w->engine));
	engine_release_all(w->engine);	/* the last run to leave calls worker_exit */
	worker_exit(w);
}

static void
worker_on_stop(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { w->set->grace_ms / 1000, (w->set->grace_ms % 1000) * 1000 };

	(void)fd;
	(void)what;
	if (w->stopping)
		return;
	w->stopping = true;
	consumer_stop(w->consumer);	/* no new work */
	w->consumer = NULL;
	log_info(NULL, "worker %d: stopping, %zu executions in flight", w->index,
	    w->engine != NULL ? engine_inflight(w->engine) : 0);
	if (w->engine == NULL || engine_inflight(w->engine) == 0) {
		worker_exit(w);
		return;
	}
	evtimer_add(w->grace, &tv);
}

void
worker_stop(struct worker *w)
{
	event_active(w->stop_ev, EV_READ, 0);	/* thread-safe: evthread_use_pthreads */
}

/* ---------------------------------------------------------------- life */

struct worker *
worker_new(int index, const struct jobd_settings *set)
{
	struct worker	*w;
	char		 err[256];

	w = xcalloc(1, sizeof(*w));
	w->index = index;
	w->set = set;
	w->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ ((uint64_t)index << 40) ^
	    0x9e3779b97f4a7c15ULL;
	snprintf(w->name, sizeof(w->name), "%s-w%d", set->consumer, index);
	lease_owner_make(w->owner, set->consumer, index, worker_rand(w));
	if ((w->base = event_base_new()) == NULL ||
	    (w->db = db_new(set->db_worker_url)) == NULL ||
	    (w->db_fast = db_new(set->db_fast_url)) == NULL ||
	    (w->http = httpc_new(w->base)) == NULL ||
	    (w->clock = clock_ev_new(w->base)) == NULL ||
	    (w->stop_ev = event_new(w->base, -1, 0, worker_on_stop, w)) == NULL ||
	    (w->grace = evtimer_new(w->base, worker_on_grace, w)) == NULL ||
	    (w->trim = evtimer_new(w->base, worker_on_trim, w)) == NULL ||
	    (w->http_idle = evtimer_new(w->base, worker_on_http_idle, w)) == NULL) {
		worker_free(w);
		return NULL;
	}
	/* Starting the pool probes a helper: one that is not confined is refused. */
	if ((w->env.sandbox = sandbox_pool_new(w->base, &set->sandbox, err, sizeof(err))) ==
	    NULL) {
		log_error(NULL, "worker %d: %s", index, err);
		worker_free(w);
		return NULL;
	}
	w->env.base = w->base;
	w->env.http = w->http;
	w->env.allow = set->allow;
	w->env.db = w->db_fast;	/* agent reads; usage and memory may lag a crash */
	return w;
}

/* Opens what needs the loop's thread: the Redis link, the engine, the consumer. */
static int
worker_open(struct worker *w)
{
	struct engine_config	 ec = { w->set->lease_ms, (int)w->set->max_abandons, 0,
				    sandbox_timeout_ms(w->env.sandbox, 0), SANDBOX_BACKSTOP_MS };
	struct engine_ports	 ep;
	struct consumer_config	 cc;
	struct store		*store;

	if ((w->redis = rlink_new(w->base, &w->set->redis)) == NULL)
		return -1;
	store = store_pg_new(w->db, w->db_fast, w->owner, NULL, NULL);
	w->env.redis = w->redis;
	ec.max_inflight = (size_t)(w->set->max_inflight / w->set->threads);
	if (ec.max_inflight == 0)
		ec.max_inflight = 1;
	memset(&ep, 0, sizeof(ep));
	ep.store = store;
	ep.clock = w->clock;
	ep.nodes = node_impls;
	ep.env = &w->env;
	ep.publish = worker_publish;
	ep.publish_end = worker_publish_end;
	ep.ack = worker_ack;
	ep.refresh = worker_refresh;
	ep.left = worker_left;
	ep.rand = worker_rand;
	ep.arg = w;
	if ((w->engine = engine_new(&ec, &ep)) == NULL)
		return -1;
	w->control = rsub_new(w->base, &w->set->redis, QUEUE_CONTROL_CHANNEL,
	    &(struct rsub_hooks){ worker_on_control, NULL, w });
	sandbox_on_drained(w->env.sandbox, worker_on_drained, w);
	memset(&cc, 0, sizeof(cc));
	cc.base = w->base;
	cc.redis = &w->set->redis;
	cc.link = w->redis;
	cc.name = w->name;
	cc.lease_ms = w->set->lease_ms;
	cc.room = worker_room;
	cc.entries = worker_entries;
	cc.arg = w;
	return (w->consumer = consumer_start(&cc)) == NULL ? -1 : 0;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;

	if (worker_open(w) == -1) {
		log_error(NULL, "worker %d: cannot start", w->index);
		return NULL;
	}
	event_base_dispatch(w->base);
	expr_cache_clear();	/* compiled programs are per thread */
	return NULL;
}

int
worker_spawn(struct worker *w)
{
	if (pthread_create(&w->thread, NULL, worker_main, w) != 0)
		return -1;
	w->spawned = true;
	return 0;
}

void
worker_free(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->spawned)
		pthread_join(w->thread, NULL);
	consumer_stop(w->consumer);
	engine_free(w->engine);
	sandbox_pool_free(w->env.sandbox);
	rlink_free(w->redis);
	httpc_free(w->http);
	db_free(w->db);
	db_free(w->db_fast);
	if (w->stop_ev != NULL)
		event_free(w->stop_ev);
	if (w->grace != NULL)
		event_free(w->grace);
	if (w->trim != NULL)
		event_free(w->trim);
	if (w->http_idle != NULL)
		event_free(w->http_idle);
	rsub_free(w->control);
	clock_ev_free(w->clock);
	if (w->base != NULL)
		event_base_free(w->base);
	free(w);
}
