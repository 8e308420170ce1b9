/* main.c: fragent-jobd, the workflow engine daemon. Worker threads (one libevent loop each)
 * run executions; the main thread serves the SSE listener, sweeps the queue, fires due
 * schedules and handles signals (SIGTERM: stop taking work, let in-flight steps finish within
 * the grace period). `fragent-jobd --listener` serves the listener alone (run views and
 * webhooks), one of the FRAGENT_SSE_PROCS processes sharing its port. */
#include "config.h"

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <event2/event.h>
#include <event2/thread.h>

#include "credential.h"
#include "expr.h"
#include "fgconfig.h"
#include "log.h"
#include "metrics_pub.h"
#include "otlp.h"
#include "retention.h"
#include "schedfire.h"
#include "settings.h"
#include "sse.h"
#include "sweeper.h"
#include "worker.h"
#include "xalloc.h"

struct jobd {
	struct config		 cfg;
	struct jobd_settings	 set;
	struct event_base	*base;
	struct sse		*sse;
	struct sweeper		*sweeper;
	struct retention	*retention;
	struct schedfire	*schedfire;
	struct metrics_pub	*metrics;
	struct worker		**workers;
	int			 nworkers;
	struct event		*sigterm, *sigint;
	bool			 listener_only;	/* --listener: no engine, no timers */
};

static void
jobd_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct jobd	*j = arg;

	(void)what;
	log_info(NULL, "signal %d: stopping", (int)sig);
	event_base_loopexit(j->base, NULL);
}

/* Takes SIGTERM and SIGINT on the loop before anything slow starts: one that comes while
 * jobd is starting is seen once the loop runs, and stops it cleanly, rather than killing it.
 * Returns 0 or -1. */
static int
jobd_signals(struct jobd *j)
{
	if ((j->sigterm = evsignal_new(j->base, SIGTERM, jobd_on_signal, j)) == NULL ||
	    (j->sigint = evsignal_new(j->base, SIGINT, jobd_on_signal, j)) == NULL ||
	    evsignal_add(j->sigterm, NULL) != 0 || evsignal_add(j->sigint, NULL) != 0)
		return -1;
	return 0;
}

/* Starts the listener and the sweeper, drops the secrets from the environment, then starts
 * the workers; a listener-only process starts the listener alone. Returns 0 or -1. */
static int
jobd_open(struct jobd *j)
{
	int	 i;

	if ((j->metrics = metrics_pub_start(j->base, &j->set)) == NULL)
		return -1;
	if ((j->sse = sse_start(j->base, config_get(&j->cfg, CONFIG_SSE_ADDR), j->cfg.sse_port,
	    config_num(&j->cfg, CONFIG_SSE_PROCS) > 1, &j->set.redis, j->set.db_url)) == NULL)
		return -1;
	if (!j->listener_only && ((j->sweeper = sweeper_start(j->base, &j->set)) == NULL ||
	    (j->schedfire = schedfire_start(j->base, &j->set)) == NULL ||
	    (j->retention = retention_start(j->base, &j->set)) == NULL))
		return -1;
	/* Every secret is in memory now (the listener's JWT key, the master key, which opens
	 * webhook secrets and credentials, the URLs in the settings): take them out of the
	 * environment before the threads start. */
	cred_key_load();
	if (otlp_start(&j->cfg, &j->set.redis) == -1)
		return -1;
	config_scrub_env();
	if (j->listener_only)
		return 0;
	j->workers = xcalloc((size_t)j->set.threads, sizeof(*j->workers));
	for (i = 0; i < j->set.threads; i++) {
		if ((j->workers[i] = worker_new(i, &j->set)) == NULL ||
		    worker_spawn(j->workers[i]) == -1) {
			log_error(NULL, "cannot start worker %d", i);
			j->nworkers = i + 1;
			return -1;
		}
		j->nworkers = i + 1;
	}
	log_info(NULL, "%d workers, %ld executions in flight at most, lease %ld ms",
	    j->set.threads, j->set.max_inflight, j->set.lease_ms);
	return 0;
}

/* Every open run view holds one of jobd's descriptors: takes all the system allows (the soft
 * limit up to the hard one; a sandbox lowers its own again). */
static void
jobd_raise_nofile(void)
{
	struct rlimit	 rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			return;
	}
	log_info(NULL, "open files: up to %llu", (unsigned long long)rl.rlim_cur);
}

/* The main loop's event base. With epoll's change list, a stream whose write readiness is
 * turned off once its frame is written and on again by the next frame within the same turn
 * of the loop costs no epoll_ctl at all (without it, two for every frame a subscriber
 * gets). The loop's descriptors are never dup()ed, which is the change list's one caveat. */
static struct event_base *
jobd_base_new(void)
{
	struct event_config	*cfg = event_config_new();
	struct event_base	*base = NULL;

	if (cfg == NULL)
		return NULL;
	if (event_config_set_flag(cfg, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST) == 0)
		base = event_base_new_with_config(cfg);
	event_config_free(cfg);
	return base;
}

/* Stops the workers (each winds down within the grace period) and frees everything. */
static void
jobd_close(struct jobd *j)
{
	int	 i;

	sse_stop(j->sse);
	if (j->base != NULL)
		event_base_loop(j->base, EVLOOP_NONBLOCK);	/* frees of closed hubs */
	sweeper_stop(j->sweeper);
	retention_stop(j->retention);
	schedfire_stop(j->schedfire);
	for (i = 0; i < j->nworkers; i++)
		if (j->workers[i] != NULL)
			worker_stop(j->workers[i]);
	for (i = 0; i < j->nworkers; i++)
		worker_free(j->workers[i]);
	free(j->workers);
	metrics_pub_stop(j->metrics);
	otlp_stop();	/* after the workers: their last spans go out too */
	/* Until here a second SIGTERM is only noted. */
	if (j->sigterm != NULL)
		event_free(j->sigterm);
	if (j->sigint != NULL)
		event_free(j->sigint);
	if (j->base != NULL)
		event_base_free(j->base);
}

int
main(int argc, char *argv[])
{
	struct jobd	 j;
	enum log_level	 lvl = LOGL_INFO;
	char		 err[256];
	int		 rc = 1;

	memset(&j, 0, sizeof(j));
	if (argc == 2 && strcmp(argv[1], "--listener") == 0)
		j.listener_only = true;
	else if (argc != 1) {
		fprintf(stderr, "usage: fragent-jobd [--listener]\n");
		return 2;
	}
	if (config_load(&j.cfg, err, sizeof(err)) == -1 ||
	    settings_load(&j.set, &j.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fragent-jobd: %s\n", err);
		config_clear(&j.cfg);
		return 1;
	}
	if (j.listener_only && config_num(&j.cfg, CONFIG_SSE_PROCS) < 2) {
		/* Without SO_REUSEPORT on jobd's socket it would only fail to bind. */
		fprintf(stderr, "fragent-jobd: --listener shares jobd's listener port: "
		    "FRAGENT_SSE_PROCS must count the processes on it (jobd and each --listener "
		    "copy), 2 or more\n");
		settings_clear(&j.set);
		config_clear(&j.cfg);
		return 2;
	}
	if (log_level_parse(config_get(&j.cfg, CONFIG_LOG_LEVEL), &lvl) == -1)
		fprintf(stderr, "fragent-jobd: FRAGENT_LOG_LEVEL unknown, using info\n");
	log_setup(j.listener_only ? "listener" : "jobd", lvl);
	if (j.listener_only) {
		/* Its metrics are published beside the engine's, under a name of its own. */
		char	 name[sizeof(j.set.consumer)];

		snprintf(name, sizeof(name), "%.100s/listener-%ld", j.set.consumer, (long)getpid());
		memcpy(j.set.consumer, name, sizeof(name));
	}
	signal(SIGPIPE, SIG_IGN);
	if (evthread_use_pthreads() != 0 || (j.base = jobd_base_new()) == NULL ||
	    jobd_signals(&j) == -1) {
		log_error(NULL, "cannot initialise libevent");
		goto out;
	}
	jobd_raise_nofile();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
		log_error(NULL, "cannot initialise libcurl");
		goto out;
	}
	if (jobd_open(&j) == -1)
		goto out;
	log_info(NULL, j.listener_only ? "fragent-jobd listener ready" : "fragent-jobd ready");
	rc = event_base_dispatch(j.base) == -1 ? 1 : 0;
out:
	jobd_close(&j);
	expr_cache_clear();
	curl_global_cleanup();
	settings_clear(&j.set);
	config_clear(&j.cfg);
	libevent_global_shutdown();
	return rc;
}
