/* consumer.c: XREADGROUP loop over the execution queue (see consumer.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "consumer.h"
#include "engine.h"
#include "log.h"
#include "queue.h"

#define CONSUMER_BLOCK_MS	"5000"
#define CONSUMER_BATCH		"16"

struct consumer {
	struct event_base	*base;
	struct redis_url	 url;
	char			 name[128];
	struct engine		*eng;
	struct redis_conn	*sync;		/* XGROUP, XACK */
	redisAsyncContext	*ac;		/* the blocking XREADGROUP */
	struct event		*retry;		/* reconnect timer */
	int			 pending_done;	/* own pending entries drained */
	int			 stopping;
};

static void	consumer_read(struct consumer *c);

/* Creates the consumer group (from the stream's start, so nothing enqueued earlier is missed). */
static int
consumer_group(struct consumer *c)
{
	const char	*argv[] = { "XGROUP", "CREATE", QUEUE_STREAM, QUEUE_GROUP, "0", "MKSTREAM" };
	redisReply	*r;
	int		 ok;

	r = redis_conn_cmd(c->sync, 6, argv, NULL);
	ok = r != NULL && (r->type == REDIS_REPLY_STATUS ||
	    (r->type == REDIS_REPLY_ERROR && strncmp(r->str, "BUSYGROUP", 9) == 0));
	freeReplyObject(r);
	return ok ? 0 : -1;
}

static void
consumer_ack(struct consumer *c, const char *entry_id)
{
	const char	*argv[] = { "XACK", QUEUE_STREAM, QUEUE_GROUP, entry_id };

	freeReplyObject(redis_conn_cmd(c->sync, 4, argv, NULL));
}

/* Handles one stream entry [id, [field, value, …]]. Returns 0, or -1 to stop the batch. */
static int
consumer_entry(struct consumer *c, redisReply *entry)
{
	redisReply	*fields;
	const char	*exec_id = NULL;
	size_t		 i;

	if (entry->type != REDIS_REPLY_ARRAY || entry->elements != 2 ||
	    entry->element[0]->type != REDIS_REPLY_STRING)
		return 0;
	fields = entry->element[1];
	if (fields->type == REDIS_REPLY_ARRAY)
		for (i = 0; i + 1 < fields->elements; i += 2)
			if (strcmp(fields->element[i]->str, "execution_id") == 0)
				exec_id = fields->element[i + 1]->str;
	if (exec_id == NULL) {
		log_warn(NULL, "queue entry %s has no execution_id; dropped",
		    entry->element[0]->str);
		consumer_ack(c, entry->element[0]->str);
		return 0;
	}
	if (engine_run(c->eng, exec_id) == ENGINE_RETRY) {
		c->pending_done = 0;	/* come back to it through the pending list */
		log_warn(LOG_IDS(NULL, exec_id), "postgres unavailable; entry kept");
		return -1;
	}
	consumer_ack(c, entry->element[0]->str);
	return 0;
}

static void
consumer_on_retry(evutil_socket_t fd, short what, void *arg)
{
	struct consumer	*c = arg;

	(void)fd;
	(void)what;
	consumer_read(c);
}

/* Schedules another read after "ms" milliseconds. */
static void
consumer_later(struct consumer *c, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (!c->stopping)
		evtimer_add(c->retry, &tv);
}

static void
consumer_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct consumer	*c = arg;
	redisReply	*r = reply, *entries;
	size_t		 i;

	(void)ac;
	if (r == NULL || c->stopping)
		return;		/* disconnecting: the disconnect callback takes over */
	if (r->type == REDIS_REPLY_ERROR) {
		log_warn(NULL, "XREADGROUP: %s", r->str);
		if (strncmp(r->str, "NOGROUP", 7) == 0)
			consumer_group(c);
		consumer_later(c, 1000);
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->elements == 2) {
		entries = r->element[0]->element[1];
		if (entries->elements == 0)
			c->pending_done = 1;
		for (i = 0; i < entries->elements; i++)
			if (consumer_entry(c, entries->element[i]) == -1) {
				consumer_later(c, 1000);
				return;
			}
	} else if (!c->pending_done)
		c->pending_done = 1;
	consumer_read(c);
}

static void
consumer_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct consumer	*c = ac->data;

	c->ac = NULL;
	if (c->stopping)
		return;
	log_warn(NULL, "queue connection lost; reconnecting");
	c->pending_done = 0;	/* re-read own pending entries after a reconnect */
	consumer_later(c, 1000);
}

static void
consumer_on_connect(const redisAsyncContext *ac, int status)
{
	struct consumer	*c = ac->data;

	if (status == REDIS_OK)
		return;
	c->ac = NULL;		/* hiredis frees a context that failed to connect */
	consumer_later(c, 1000);
}

/* Issues the next XREADGROUP, connecting first if needed. */
static void
consumer_read(struct consumer *c)
{
	const char	*argv[] = { "XREADGROUP", "GROUP", QUEUE_GROUP, c->name, "COUNT",
	    CONSUMER_BATCH, "BLOCK", CONSUMER_BLOCK_MS, "STREAMS", QUEUE_STREAM,
	    c->pending_done ? ">" : "0" };

	if (c->stopping)
		return;
	if (c->ac == NULL) {
		if ((c->ac = redis_async_open(&c->url, c->base)) == NULL) {
			consumer_later(c, 1000);
			return;
		}
		c->ac->data = c;
		redisAsyncSetConnectCallback(c->ac, consumer_on_connect);
		redisAsyncSetDisconnectCallback(c->ac, consumer_on_disconnect);
	}
	/* Pending entries are read without BLOCK; "0" returns at once. */
	redisAsyncCommandArgv(c->ac, consumer_on_reply, c, 11, argv, NULL);
}

struct consumer *
consumer_start(struct event_base *base, const struct redis_url *url, const char *name,
    struct engine *eng)
{
	struct consumer	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->base = base;
	c->url = *url;
	c->eng = eng;
	snprintf(c->name, sizeof(c->name), "%s", name);
	if ((c->sync = redis_conn_new(url)) == NULL ||
	    (c->retry = evtimer_new(base, consumer_on_retry, c)) == NULL) {
		consumer_stop(c);
		return NULL;
	}
	if (consumer_group(c) == -1)
		log_warn(NULL, "cannot create the consumer group yet; will retry");
	consumer_read(c);
	log_info(NULL, "consuming %s as %s/%s", QUEUE_STREAM, QUEUE_GROUP, c->name);
	return c;
}

void
consumer_stop(struct consumer *c)
{
	if (c == NULL)
		return;
	c->stopping = 1;
	if (c->ac != NULL)
		redisAsyncFree(c->ac);
	if (c->retry != NULL)
		event_free(c->retry);
	redis_conn_free(c->sync);
	free(c);
}
