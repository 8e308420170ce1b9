/* rsub.c: a Redis channel subscription that reconnects by itself (see rsub.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <event2/event.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "log.h"
#include "rsub.h"
#include "xalloc.h"

#define RSUB_RETRY_S	1

struct rsub {
	struct event_base	*base;
	struct redis_url	 url;
	const char		*channel;
	struct rsub_hooks	 hooks;
	redisAsyncContext	*ac;
	struct event		*retry;
	int			 closing;
};

static void	rsub_open(struct rsub *s);

static void
rsub_later(struct rsub *s)
{
	struct timeval	 tv = { RSUB_RETRY_S, 0 };

	s->ac = NULL;
	if (!s->closing)
		evtimer_add(s->retry, &tv);
}

static void
rsub_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	rsub_open(arg);
}

static void
rsub_on_disconnect(const redisAsyncContext *ac, int status)
{
	(void)status;
	rsub_later(ac->data);
}

static void
rsub_on_connect(const redisAsyncContext *ac, int status)
{
	if (status != REDIS_OK)
		rsub_later(ac->data);
}

/* A reply of the subscription: ["subscribe", channel, n] or ["message", channel, payload]. */
static void
rsub_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct rsub	*s = arg;
	redisReply	*r = reply, *kind, *data;

	(void)ac;
	if (r == NULL || s->closing || r->type != REDIS_REPLY_ARRAY || r->elements != 3 ||
	    (kind = r->element[0])->type != REDIS_REPLY_STRING)
		return;
	data = r->element[2];
	if (strcmp(kind->str, "message") == 0 && data->type == REDIS_REPLY_STRING)
		s->hooks.on_message(data->str, data->len, s->hooks.arg);
	else if (strcmp(kind->str, "subscribe") == 0 && s->hooks.on_subscribed != NULL)
		s->hooks.on_subscribed(s->hooks.arg);
}

static void
rsub_open(struct rsub *s)
{
	const char	*argv[] = { "SUBSCRIBE", s->channel };

	if (s->ac != NULL || s->closing)
		return;
	if ((s->ac = redis_async_open(&s->url, s->base)) == NULL) {
		rsub_later(s);
		return;
	}
	s->ac->data = s;
	redisAsyncSetConnectCallback(s->ac, rsub_on_connect);
	redisAsyncSetDisconnectCallback(s->ac, rsub_on_disconnect);
	if (redisAsyncCommandArgv(s->ac, rsub_on_reply, s, 2, argv, NULL) != REDIS_OK)
		log_warn(NULL, "cannot subscribe to %s: retrying", s->channel);
}

struct rsub *
rsub_new(struct event_base *base, const struct redis_url *url, const char *channel,
    const struct rsub_hooks *hooks)
{
	struct rsub	*s = xcalloc(1, sizeof(*s));

	s->base = base;
	s->url = *url;
	s->channel = channel;
	s->hooks = *hooks;
	if ((s->retry = evtimer_new(base, rsub_on_retry, s)) == NULL)
		xalloc_die(0);
	rsub_open(s);
	return s;
}

void
rsub_free(struct rsub *s)
{
	redisAsyncContext	*ac;

	if (s == NULL)
		return;
	s->closing = 1;
	if ((ac = s->ac) != NULL) {
		s->ac = NULL;
		redisAsyncFree(ac);	/* its callbacks see "closing" */
	}
	event_free(s->retry);
	free(s);
}
