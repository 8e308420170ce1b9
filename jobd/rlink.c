/* rlink.c: a self-reconnecting hiredis async connection (see rlink.h). */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "log.h"
#include "metrics.h"
#include "rlink.h"
#include "xalloc.h"

#define RLINK_RETRY_MS	500

struct rlink {
	struct event_base	*base;
	struct redis_url	 url;
	redisAsyncContext	*ac;
	struct event		*retry;
	long			 pending;
	int			 closing;
	int			 lost;	/* a connection was lost: the next one is a reconnect */
};

/* The per-command wrapper: counts answers, then calls the caller's callback. */
struct rlink_cb {
	struct rlink	*l;
	redisCallbackFn	*cb;
	void		*arg;
};

static void	rlink_connect(struct rlink *l);

static void
rlink_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	rlink_connect(arg);
}

static void
rlink_later(struct rlink *l)
{
	struct timeval	 tv = { 0, RLINK_RETRY_MS * 1000 };

	if (!l->closing)
		evtimer_add(l->retry, &tv);
}

static void
rlink_on_connect(const redisAsyncContext *ac, int status)
{
	struct rlink	*l = ac->data;

	if (status == REDIS_OK) {
		if (l->lost)
			metrics_inc(M_REDIS_RECONNECTS, 0, 0);
		l->lost = 0;
		return;
	}
	metrics_inc(M_REDIS_ERRORS, 0, 0);
	l->ac = NULL;		/* hiredis frees a context that failed to connect */
	rlink_later(l);
}

static void
rlink_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct rlink	*l = ac->data;

	(void)status;
	l->ac = NULL;
	if (!l->closing) {
		metrics_inc(M_REDIS_ERRORS, 0, 0);
		l->lost = 1;
		log_warn(NULL, "redis link lost; reconnecting");
		rlink_later(l);
	}
}

static void
rlink_connect(struct rlink *l)
{
	if (l->ac != NULL || l->closing)
		return;
	if ((l->ac = redis_async_open(&l->url, l->base)) == NULL) {
		rlink_later(l);
		return;
	}
	l->ac->data = l;
	redisAsyncSetConnectCallback(l->ac, rlink_on_connect);
	redisAsyncSetDisconnectCallback(l->ac, rlink_on_disconnect);
}

struct rlink *
rlink_new(struct event_base *base, const struct redis_url *url)
{
	struct rlink	*l;

	l = xcalloc(1, sizeof(*l));
	l->base = base;
	l->url = *url;
	if ((l->retry = evtimer_new(base, rlink_on_retry, l)) == NULL) {
		free(l);
		return NULL;
	}
	rlink_connect(l);
	return l;
}

void
rlink_free(struct rlink *l)
{
	if (l == NULL)
		return;
	l->closing = 1;
	if (l->ac != NULL)
		redisAsyncFree(l->ac);	/* runs pending callbacks with NULL replies */
	event_free(l->retry);
	free(l);
}

static void
rlink_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct rlink_cb	*w = arg;

	(void)ac;
	w->l->pending--;
	if (w->cb != NULL)
		w->cb(ac, reply, w->arg);
	free(w);
}

int
rlink_cmd(struct rlink *l, redisCallbackFn *cb, void *arg, int argc, const char **argv,
    const size_t *argvlen)
{
	struct rlink_cb	*w;

	if (l->ac == NULL) {
		rlink_connect(l);
		if (l->ac == NULL)
			return -1;
	}
	w = xmalloc(sizeof(*w));
	w->l = l;
	w->cb = cb;
	w->arg = arg;
	if (redisAsyncCommandArgv(l->ac, rlink_on_reply, w, argc, argv, argvlen) != REDIS_OK) {
		free(w);
		return -1;
	}
	l->pending++;
	return 0;
}

long
rlink_pending(const struct rlink *l)
{
	return l->pending;
}
