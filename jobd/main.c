/* main.c: fragent-jobd, the workflow engine daemon: queue consumer plus the SSE listener. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <event2/event.h>

#include "consumer.h"
#include "db.h"
#include "engine.h"
#include "expr.h"
#include "fgconfig.h"
#include "log.h"
#include "redisconn.h"
#include "sse.h"

struct jobd {
	struct config		 cfg;
	struct event_base	*base;
	struct engine		 eng;
	struct consumer		*consumer;
	struct sse		*sse;
};

static void
jobd_on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct jobd	*j = arg;

	(void)what;
	log_info(NULL, "signal %d: stopping", (int)sig);
	event_base_loopexit(j->base, NULL);
}

/* The consumer name: FRAGENT_JOBD_CONSUMER, else the host name, so a restarted jobd finds
 * its own pending entries. */
static void
jobd_consumer_name(const struct jobd *j, char *out, size_t len)
{
	const char	*name = config_get(&j->cfg, CONFIG_JOBD_CONSUMER);

	if (name[0] != '\0')
		snprintf(out, len, "%s", name);
	else if (gethostname(out, len) != 0 || out[0] == '\0')
		snprintf(out, len, "jobd");
	out[len - 1] = '\0';
}

/* Opens connections and starts the consumer and the listener. Returns 0 or -1. */
static int
jobd_open(struct jobd *j)
{
	struct redis_url	 ru;
	char			 name[128];

	if (redis_url_parse(config_get(&j->cfg, CONFIG_REDIS_URL), &ru) == -1) {
		log_error(NULL, "FRAGENT_REDIS_URL is not a redis:// URL");
		return -1;
	}
	if ((j->base = event_base_new()) == NULL ||
	    (j->eng.db = db_new(config_get(&j->cfg, CONFIG_DATABASE_URL))) == NULL ||
	    (j->eng.redis = redis_conn_new(&ru)) == NULL)
		return -1;
	if ((j->sse = sse_start(j->base, config_get(&j->cfg, CONFIG_SSE_ADDR), j->cfg.sse_port,
	    &ru, j->eng.db)) == NULL)
		return -1;
	jobd_consumer_name(j, name, sizeof(name));
	if ((j->consumer = consumer_start(j->base, &ru, name, &j->eng)) == NULL)
		return -1;
	return 0;
}

int
main(void)
{
	struct jobd	 j;
	struct event	*sigterm = NULL, *sigint = NULL;
	enum log_level	 lvl = LOGL_INFO;
	char		 err[256];
	int		 rc = 1;

	memset(&j, 0, sizeof(j));
	if (config_load(&j.cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "fragent-jobd: %s\n", err);
		return 1;
	}
	if (log_level_parse(config_get(&j.cfg, CONFIG_LOG_LEVEL), &lvl) == -1)
		fprintf(stderr, "fragent-jobd: FRAGENT_LOG_LEVEL unknown, using info\n");
	log_setup("jobd", lvl);
	signal(SIGPIPE, SIG_IGN);
	if (jobd_open(&j) == -1)
		goto out;
	sigterm = evsignal_new(j.base, SIGTERM, jobd_on_signal, &j);
	sigint = evsignal_new(j.base, SIGINT, jobd_on_signal, &j);
	if (sigterm == NULL || sigint == NULL || evsignal_add(sigterm, NULL) != 0 ||
	    evsignal_add(sigint, NULL) != 0)
		goto out;
	log_info(NULL, "fragent-jobd ready");
	rc = event_base_dispatch(j.base) == -1 ? 1 : 0;
out:
	consumer_stop(j.consumer);
	sse_stop(j.sse);
	if (sigterm != NULL)
		event_free(sigterm);
	if (sigint != NULL)
		event_free(sigint);
	db_free(j.eng.db);
	redis_conn_free(j.eng.redis);
	if (j.base != NULL)
		event_base_free(j.base);
	expr_cache_clear();
	config_clear(&j.cfg);
	return rc;
}
