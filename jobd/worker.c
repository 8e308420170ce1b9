/* worker.c: an engine thread (see worker.h): its loop, connections, execution table, lease
 * heartbeat, control channel (cancel) and graceful stop. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>
#include <event2/thread.h>

#include "buf.h"
#include "consumer.h"
#include "db.h"
#include "exec.h"
#include "expr.h"
#include "httpc.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "rlink.h"
#include "sandbox.h"
#include "worker.h"

/* Renews the leases of the executions in the table; returns the ids still ours. */
static const char SQL_HEARTBEAT[] =
	"UPDATE executions SET lease_expires_at = now() + $3::bigint * interval '1 millisecond' "
	"WHERE id = ANY($2::uuid[]) AND lease_owner = $1 AND status = 'running' RETURNING id";
/* Lets another worker take over at once (shutdown past the grace period). */
static const char SQL_LEASE_DROP[] =
	"UPDATE executions SET lease_expires_at = now() "
	"WHERE lease_owner = $1 AND status = 'running'";

/* FNV-1a of an execution id into the table. */
static size_t
worker_bucket(const char *id)
{
	unsigned long	 h = 2166136261UL;

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 16777619UL;
	return h % WORKER_BUCKETS;
}

void
worker_table_add(struct worker *w, struct exec *ex)
{
	size_t	 b = worker_bucket(exec_id(ex));

	*exec_next(ex) = w->table[b];
	w->table[b] = ex;
	w->inflight++;
}

void
worker_table_remove(struct worker *w, struct exec *ex)
{
	struct exec	**p = &w->table[worker_bucket(exec_id(ex))];

	for (; *p != NULL; p = exec_next(*p))
		if (*p == ex) {
			*p = *exec_next(ex);
			return;
		}
}

struct exec *
worker_table_find(struct worker *w, const char *id)
{
	struct exec	*ex;

	for (ex = w->table[worker_bucket(id)]; ex != NULL; ex = *exec_next(ex))
		if (strcmp(exec_id(ex), id) == 0)
			return ex;
	return NULL;
}

void
worker_ack(struct worker *w, const char *entry_id)
{
	const char	*argv[] = { "XACK", QUEUE_STREAM, QUEUE_GROUP, entry_id };

	if (entry_id[0] != '\0')
		rlink_cmd(w->redis, NULL, NULL, 4, argv, NULL);
}

uint64_t
worker_rand(struct worker *w, uint64_t n)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return n == 0 ? 0 : w->rng % n;
}

static void	worker_exit(struct worker *w);

/* The sandbox caught up with its backlog: take executions again. */
static void
worker_on_drained(void *arg)
{
	struct worker	*w = arg;

	if (!w->stopping)
		consumer_resume(w->consumer);
}

void
worker_exec_gone(struct worker *w)
{
	w->inflight--;
	if (w->stopping) {
		if (w->inflight == 0)
			worker_exit(w);
		return;
	}
	consumer_resume(w->consumer);
}

/* Collects the ids of every execution in the table as a Postgres array literal. */
static int
worker_ids(struct worker *w, struct buf *arr)
{
	struct exec	*ex;
	size_t		 b;
	int		 n = 0;

	buf_puts(arr, "{");
	for (b = 0; b < WORKER_BUCKETS; b++)
		for (ex = w->table[b]; ex != NULL; ex = *exec_next(ex))
			buf_printf(arr, "%s%s", n++ ? "," : "", exec_id(ex));
	buf_puts(arr, "}");
	return n;
}

/* Every third of a lease: renew ours; an execution no longer ours was cancelled or lost. */
static void
worker_on_heartbeat(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	json_object	*alive = NULL;
	PGresult	*res = NULL;
	struct buf	 arr;
	char		 lease[24], *id, *save = NULL;
	int		 i;

	(void)fd;
	(void)what;
	buf_init(&arr);
	if (worker_ids(w, &arr) == 0)
		goto out;
	snprintf(lease, sizeof(lease), "%ld", w->set->lease_ms);
	if (db_exec(w->db, SQL_HEARTBEAT, 3, (const char *[]){ w->owner, arr.data, lease },
	    &res) != DB_OK)
		goto out;	/* Postgres away: the leases run out; others take over */
	alive = json_object_new_object();
	for (i = 0; i < PQntuples(res); i++)
		json_object_object_add(alive, PQgetvalue(res, i, 0), NULL);
	/* Walk a copy of the ids: exec_lease_lost frees entries of the table. */
	for (id = strtok_r(arr.data + 1, ",}", &save); id != NULL;
	    id = strtok_r(NULL, ",}", &save)) {
		struct exec *ex;

		if (json_object_object_get_ex(alive, id, NULL) ||
		    (ex = worker_table_find(w, id)) == NULL)
			continue;
		exec_lease_lost(ex);
	}
out:
	json_object_put(alive);
	PQclear(res);
	buf_clear(&arr);
}

/* ---------------------------------------------------------------- control channel */

static void	worker_control_open(struct worker *w);

/* A pub/sub message ["message", channel, "cancel <id>"]. */
static void
worker_on_control(redisAsyncContext *ac, void *reply, void *arg)
{
	struct worker	*w = arg;
	redisReply	*r = reply;
	const char	*msg;
	struct exec	*ex;
	size_t		 vl = strlen(QUEUE_CONTROL_CANCEL);

	(void)ac;
	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    r->element[2]->type != REDIS_REPLY_STRING ||
	    strcmp(r->element[0]->str, "message") != 0)
		return;
	msg = r->element[2]->str;
	if (strncmp(msg, QUEUE_CONTROL_CANCEL, vl) != 0 || msg[vl] != ' ')
		return;
	if ((ex = worker_table_find(w, msg + vl + 1)) != NULL) {
		log_info(LOG_IDS(NULL, msg + vl + 1), "cancel requested");
		exec_cancel(ex);
	}
}

static void
worker_on_control_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	worker_control_open(arg);
}

static void
worker_control_later(struct worker *w)
{
	struct timeval	 tv = { 1, 0 };

	if (!w->stopping)
		evtimer_add(w->control_retry, &tv);
}

static void
worker_on_control_disconnect(const redisAsyncContext *ac, int status)
{
	struct worker	*w = ac->data;

	(void)status;
	w->control = NULL;
	worker_control_later(w);
}

static void
worker_on_control_connect(const redisAsyncContext *ac, int status)
{
	struct worker	*w = ac->data;

	if (status == REDIS_OK)
		return;
	w->control = NULL;
	worker_control_later(w);
}

static void
worker_control_open(struct worker *w)
{
	const char	*argv[] = { "SUBSCRIBE", QUEUE_CONTROL_CHANNEL };

	if (w->control != NULL || w->stopping)
		return;
	if ((w->control = redis_async_open(&w->set->redis, w->base)) == NULL) {
		worker_control_later(w);
		return;
	}
	w->control->data = w;
	redisAsyncSetConnectCallback(w->control, worker_on_control_connect);
	redisAsyncSetDisconnectCallback(w->control, worker_on_control_disconnect);
	redisAsyncCommandArgv(w->control, worker_on_control, w, 2, argv, NULL);
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
	w->exited = 1;
	consumer_stop(w->consumer);
	w->consumer = NULL;
	if (w->control != NULL) {
		redisAsyncContext *c = w->control;

		w->control = NULL;
		c->data = w;
		redisAsyncFree(c);
	}
	evtimer_del(w->control_retry);
	event_del(w->heartbeat);
	if (w->grace != NULL)
		evtimer_del(w->grace);
	event_base_loopexit(w->base, &tv);
	log_info(NULL, "worker %d: stopped", w->index);
}

/* The grace period is over: leave what still runs to another worker, at once. */
static void
worker_on_grace(evutil_socket_t fd, short what, void *arg)
{
	struct worker	*w = arg;
	struct exec	*ex;
	size_t		 b;

	(void)fd;
	(void)what;
	log_warn(NULL, "worker %d: grace period over, %zu executions left pending", w->index,
	    w->inflight);
	exec_settle_steps(w);	/* answers already in are kept, not asked again */
	exec_settle_ended(w);	/* those that did end are settled, not handed over */
	db_exec(w->db, SQL_LEASE_DROP, 1, (const char *[]){ w->owner }, NULL);
	for (b = 0; b < WORKER_BUCKETS; b++)
		while ((ex = w->table[b]) != NULL)
			exec_release(ex);	/* the last one calls worker_exit */
	worker_exit(w);
}

/* Network steps answered and executions ended in this loop turn: write the step ends
 * together, let their executions go on, then write the final states together (those the
 * step ends finished included). */
static void
worker_on_settle(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	exec_settle_steps(arg);
	exec_settle_ended(arg);
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
	w->stopping = 1;
	consumer_stop(w->consumer);	/* no new work */
	w->consumer = NULL;
	log_info(NULL, "worker %d: stopping, %zu executions in flight", w->index, w->inflight);
	if (w->inflight == 0) {
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

int
worker_init(struct worker *w, int index, const struct jobd_settings *set)
{
	char	 host[64], err[256];

	memset(w, 0, sizeof(*w));
	w->index = index;
	w->set = set;
	w->max_inflight = (size_t)(set->max_inflight / set->threads);
	if (w->max_inflight == 0)
		w->max_inflight = 1;
	w->rng = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ ((uint64_t)index << 40) ^
	    0x9e3779b97f4a7c15ULL;
	snprintf(w->name, sizeof(w->name), "%s-w%d", set->consumer, index);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "host");
	host[sizeof(host) - 1] = '\0';
	/* Unique per process run: a restarted jobd never mistakes the dead one's leases for
	 * its own. */
	snprintf(w->owner, sizeof(w->owner), "%s/%s/%ld/%llx/w%d", set->consumer, host,
	    (long)getpid(), (unsigned long long)worker_rand(w, UINT64_MAX), index);
	if ((w->base = event_base_new()) == NULL ||
	    (w->db = db_new(set->db_url)) == NULL ||
	    (w->db_fast = db_new(set->db_fast_url)) == NULL ||
	    (w->http = httpc_new(w->base)) == NULL ||
	    (w->stop_ev = event_new(w->base, -1, 0, worker_on_stop, w)) == NULL ||
	    (w->grace = evtimer_new(w->base, worker_on_grace, w)) == NULL ||
	    (w->control_retry = evtimer_new(w->base, worker_on_control_retry, w)) == NULL ||
	    (w->heartbeat = event_new(w->base, -1, EV_PERSIST, worker_on_heartbeat, w)) == NULL ||
	    (w->settle_ev = event_new(w->base, -1, 0, worker_on_settle, w)) == NULL)
		return -1;
	if ((w->env.sandbox = sandbox_pool_new(w->base, &set->sandbox, err, sizeof(err))) == NULL) {
		log_error(NULL, "worker %d: %s", index, err);
		return -1;
	}
	w->env.base = w->base;
	w->env.http = w->http;
	w->env.allow = set->allow;
	w->env.db = w->db_fast;	/* agent reads; usage and memory may lag a crash */
	return 0;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct timeval	 tv = { w->set->lease_ms / 3000, (w->set->lease_ms / 3 % 1000) * 1000 };

	if ((w->redis = rlink_new(w->base, &w->set->redis)) == NULL) {
		log_error(NULL, "worker %d: out of memory", w->index);
		return NULL;
	}
	w->env.redis = w->redis;
	event_add(w->heartbeat, &tv);
	worker_control_open(w);
	if ((w->consumer = consumer_start(w)) == NULL) {
		log_error(NULL, "worker %d: cannot start the consumer", w->index);
		return NULL;
	}
	sandbox_on_drained(w->env.sandbox, worker_on_drained, w);
	event_base_dispatch(w->base);
	expr_cache_clear();	/* compiled programs are per thread */
	return NULL;
}

int
worker_spawn(struct worker *w)
{
	return pthread_create(&w->thread, NULL, worker_main, w) == 0 ? 0 : -1;
}

void
worker_join(struct worker *w)
{
	if (w == NULL)
		return;
	if (w->thread != 0)
		pthread_join(w->thread, NULL);
	consumer_stop(w->consumer);
	sandbox_pool_free(w->env.sandbox);
	rlink_free(w->redis);
	httpc_free(w->http);
	db_free(w->db);
	db_free(w->db_fast);
	if (w->stop_ev != NULL)
		event_free(w->stop_ev);
	if (w->grace != NULL)
		event_free(w->grace);
	if (w->control_retry != NULL)
		event_free(w->control_retry);
	if (w->heartbeat != NULL)
		event_free(w->heartbeat);
	if (w->settle_ev != NULL)
		event_free(w->settle_ev);
	if (w->base != NULL)
		event_base_free(w->base);
}
