/* settings.h: jobd's parsed settings (threads, in-flight limit, lease, grace, allow-lists,
 * expression sandbox),
 * read once from the FRAGENT_* configuration and shared read-only by every thread. */
#ifndef FRAGENT_SETTINGS_H
#define FRAGENT_SETTINGS_H

#include <limits.h>

#include "fgconfig.h"
#include "redisconn.h"
#include "sandbox.h"

struct ssrf_allow;

struct jobd_settings {
	int			 threads;	/* worker threads (loops) */
	long			 max_inflight;	/* executions in flight per process */
	long			 lease_ms;	/* an execution's lease; renewed every third */
	long			 grace_ms;	/* SIGTERM: time left to in-flight steps */
	long			 sweep_ms;	/* re-enqueue sweep period and age */
	long			 max_abandons;	/* lost holders before an execution is failed */
	long			 retention_days;	/* ended executions kept (0: forever) */
	long			 retention_ms;	/* retention job period */
	long			 http_idle_ms;	/* idle time before HTTP connections close */
	struct redis_url	 redis;
	char			 db_url[1024];	/* durable writes */
	char			 db_worker_url[1100]; /* a worker's durable writes: generic plans */
	char			 db_fast_url[1100]; /* and synchronous_commit off: CPU-only steps */
	char			 consumer[128];	/* base consumer name in the group */
	struct ssrf_allow	*allow;		/* owned: the HTTP and model allow-lists */
	struct sandbox_conf	 sandbox;	/* each worker's pool; bin is sandbox_bin */
	char			 sandbox_bin[PATH_MAX];
};

/* Fills "s" from "cfg". Returns 0, or -1 with a message in "err" (nothing left allocated). */
int	settings_load(struct jobd_settings *s, const struct config *cfg, char *err,
	    size_t errlen);
/* Frees what settings_load allocated; NULL-safe. */
void	settings_clear(struct jobd_settings *s);

#endif
