/* consumer.c: XREADGROUP / XAUTOCLAIM over the execution queue for one worker (see
 * consumer.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "consumer.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "rlink.h"
#include "xalloc.h"

#define CONSUMER_BLOCK_MS	"2000"
#define CONSUMER_BATCH		256	/* entries per read at the most */
#define CONSUMER_CLAIM_COUNT	"50"
#define CONSUMER_CLAIM_ROUNDS	10	/* XAUTOCLAIM calls per tick at most */

struct consumer {
	struct consumer_config	 cfg;
	redisAsyncContext	*ac;		/* the blocking XREADGROUP */
	struct event		*retry;
	struct event		*reclaim;
	char			 cursor[48];	/* own pending entries: last id seen */
	char			 claim_cursor[48];
	int			 claim_rounds;
	int			 claiming;
	int			 pending_done;
	int			 reading;
	int			 stopping;
	/* An XAUTOCLAIM reply may come after consumer_stop: it then finds this NULL. */
	struct consumer		**self;
};

static void	consumer_read(struct consumer *c);

static void
consumer_group(struct consumer *c)
{
	const char	*argv[] = { "XGROUP", "CREATE", QUEUE_STREAM, QUEUE_GROUP, "0", "MKSTREAM" };

	/* BUSYGROUP (it exists) is the usual answer; nothing to do with it. */
	rlink_cmd(c->cfg.link, NULL, NULL, 6, argv, NULL);
}

/* The execution_id field of entry [id, [field, value, …]], or NULL. */
static const char *
consumer_exec_id(const redisReply *entry)
{
	const redisReply	*fields = entry->element[1];
	size_t			 i;

	for (i = 0; fields->type == REDIS_REPLY_ARRAY && i + 1 < fields->elements; i += 2)
		if (fields->element[i]->type == REDIS_REPLY_STRING &&
		    fields->element[i + 1]->type == REDIS_REPLY_STRING &&
		    strcmp(fields->element[i]->str, "execution_id") == 0)
			return fields->element[i + 1]->str;
	return NULL;
}

/* Hands the entries array "entries" to the owner; returns the id of the last one (or NULL). */
static const char *
consumer_entries(struct consumer *c, const redisReply *entries)
{
	struct consumer_entry	 out[CONSUMER_BATCH];
	const char		*last = NULL;
	size_t			 i, n = 0;

	for (i = 0; entries->type == REDIS_REPLY_ARRAY && i < entries->elements; i++) {
		const redisReply *e = entries->element[i];

		/* Entries deleted from the stream come back as nil in place of their fields. */
		if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
		    e->element[0]->type != REDIS_REPLY_STRING)
			continue;
		last = e->element[0]->str;
		out[n].entry_id = last;
		out[n].exec_id = consumer_exec_id(e);
		if (++n == CONSUMER_BATCH) {
			c->cfg.entries(c->cfg.arg, out, n);
			n = 0;
		}
	}
	if (n > 0)
		c->cfg.entries(c->cfg.arg, out, n);
	return last;
}

static void
consumer_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	consumer_read(arg);
}

static void
consumer_later(struct consumer *c, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (!c->stopping)
		evtimer_add(c->retry, &tv);
}

static void
consumer_on_read(redisAsyncContext *ac, void *reply, void *arg)
{
	struct consumer	*c = arg;
	redisReply	*r = reply;
	const char	*last;

	(void)ac;
	if (r == NULL || c->stopping) {
		c->reading = 0;
		return;		/* disconnecting: the disconnect callback takes over */
	}
	if (r->type == REDIS_REPLY_ERROR) {
		c->reading = 0;
		log_warn(NULL, "XREADGROUP: %s", r->str);
		if (strncmp(r->str, "NOGROUP", 7) == 0)
			consumer_group(c);
		consumer_later(c, 1000);
		return;
	}
	/* "reading" stays set while the owner takes the entries: a consumer_resume from there
	 * must not read before the cursor moved. */
	if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2) {
		last = consumer_entries(c, r->element[0]->element[1]);
		if (!c->pending_done) {
			if (last == NULL)
				c->pending_done = 1;
			else
				snprintf(c->cursor, sizeof(c->cursor), "%s", last);
		}
	} else if (!c->pending_done)
		c->pending_done = 1;
	c->reading = 0;
	if (!c->stopping)
		consumer_read(c);
}

static void
consumer_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct consumer	*c = ac->data;

	(void)status;
	c->ac = NULL;
	c->reading = 0;
	if (c->stopping)
		return;
	log_warn(NULL, "queue connection lost; reconnecting");
	c->pending_done = 0;	/* re-read own pending entries after a reconnect */
	snprintf(c->cursor, sizeof(c->cursor), "0");
	consumer_later(c, 1000);
}

static void
consumer_on_connect(const redisAsyncContext *ac, int status)
{
	struct consumer	*c = ac->data;

	if (status == REDIS_OK)
		return;
	c->ac = NULL;		/* hiredis frees a context that failed to connect */
	c->reading = 0;
	consumer_later(c, 1000);
}

/* Issues the next XREADGROUP unless one is out or the owner is full. */
static void
consumer_read(struct consumer *c)
{
	char		 count[16];
	const char	*argv[11];
	size_t		 room;

	if (c->stopping || c->reading)
		return;
	if ((room = c->cfg.room(c->cfg.arg)) == 0)
		return;		/* consumer_resume reads again when a run ends */
	snprintf(count, sizeof(count), "%zu", room < CONSUMER_BATCH ? room : CONSUMER_BATCH);
	if (c->ac == NULL) {
		if ((c->ac = redis_async_open(c->cfg.redis, c->cfg.base)) == NULL) {
			consumer_later(c, 1000);
			return;
		}
		c->ac->data = c;
		redisAsyncSetConnectCallback(c->ac, consumer_on_connect);
		redisAsyncSetDisconnectCallback(c->ac, consumer_on_disconnect);
	}
	argv[0] = "XREADGROUP"; argv[1] = "GROUP"; argv[2] = QUEUE_GROUP;
	argv[3] = c->cfg.name; argv[4] = "COUNT"; argv[5] = count; argv[6] = "BLOCK";
	argv[7] = CONSUMER_BLOCK_MS; argv[8] = "STREAMS"; argv[9] = QUEUE_STREAM;
	/* Own pending entries are read (without blocking) from the cursor first. */
	argv[10] = c->pending_done ? ">" : c->cursor;
	if (redisAsyncCommandArgv(c->ac, consumer_on_read, c, 11, argv, NULL) == REDIS_OK)
		c->reading = 1;
	else
		consumer_later(c, 1000);
}

void
consumer_resume(struct consumer *c)
{
	if (c != NULL)
		consumer_read(c);
}

static void	consumer_claim(struct consumer *c);

/* XAUTOCLAIM answers [next cursor, entries, deleted ids (Redis 7)]. */
static void
consumer_on_claim(redisAsyncContext *ac, void *reply, void *arg)
{
	struct consumer	**self = arg, *c = *self;
	redisReply	*r = reply;

	(void)ac;
	if (c == NULL) {
		free(self);	/* stopped while the command was out */
		return;
	}
	c->claiming = 0;
	if (r == NULL || c->stopping)
		return;
	if (r->type != REDIS_REPLY_ARRAY || r->elements < 2 ||
	    r->element[0]->type != REDIS_REPLY_STRING) {
		if (r->type == REDIS_REPLY_ERROR)
			log_warn(NULL, "XAUTOCLAIM: %s", r->str);
		return;
	}
	snprintf(c->claim_cursor, sizeof(c->claim_cursor), "%s", r->element[0]->str);
	metrics_add(M_QUEUE_RECLAIMS, 0, 0, (int64_t)r->element[1]->elements);
	if (r->element[1]->elements > 0)
		log_info(NULL, "reclaimed %zu queue entries idle longer than the lease",
		    r->element[1]->elements);
	consumer_entries(c, r->element[1]);
	/* Go on through the stream, a bounded number of rounds per tick. */
	if (!c->stopping && strcmp(c->claim_cursor, "0-0") != 0 &&
	    ++c->claim_rounds < CONSUMER_CLAIM_ROUNDS)
		consumer_claim(c);
}

/* Claims entries idle longer than a lease for this consumer. */
static void
consumer_claim(struct consumer *c)
{
	char		 idle[24];
	const char	*argv[8];

	if (c->stopping || c->claiming || c->cfg.room(c->cfg.arg) == 0)
		return;
	snprintf(idle, sizeof(idle), "%ld", c->cfg.lease_ms);
	argv[0] = "XAUTOCLAIM"; argv[1] = QUEUE_STREAM; argv[2] = QUEUE_GROUP;
	argv[3] = c->cfg.name; argv[4] = idle; argv[5] = c->claim_cursor;
	argv[6] = "COUNT"; argv[7] = CONSUMER_CLAIM_COUNT;
	if (rlink_cmd(c->cfg.link, consumer_on_claim, c->self, 8, argv, NULL) == 0)
		c->claiming = 1;
}

static void
consumer_on_reclaim(evutil_socket_t fd, short what, void *arg)
{
	struct consumer	*c = arg;

	(void)fd;
	(void)what;
	c->claim_rounds = 0;
	consumer_claim(c);
}

struct consumer *
consumer_start(const struct consumer_config *cfg)
{
	struct consumer	*c;
	struct timeval	 tv;

	c = xcalloc(1, sizeof(*c));
	c->cfg = *cfg;
	snprintf(c->cursor, sizeof(c->cursor), "0");
	snprintf(c->claim_cursor, sizeof(c->claim_cursor), "0-0");
	c->self = xmalloc(sizeof(*c->self));
	if ((c->retry = evtimer_new(cfg->base, consumer_on_retry, c)) == NULL ||
	    (c->reclaim = event_new(cfg->base, -1, EV_PERSIST, consumer_on_reclaim, c)) == NULL) {
		consumer_stop(c);
		return NULL;
	}
	*c->self = c;
	tv.tv_sec = cfg->lease_ms / 2000;
	tv.tv_usec = (cfg->lease_ms / 2 % 1000) * 1000;
	event_add(c->reclaim, &tv);
	consumer_group(c);
	consumer_read(c);
	log_info(NULL, "consuming %s as %s/%s", QUEUE_STREAM, QUEUE_GROUP, cfg->name);
	return c;
}

void
consumer_stop(struct consumer *c)
{
	if (c == NULL)
		return;
	c->stopping = 1;
	if (c->ac != NULL) {
		c->ac->data = c;
		redisAsyncFree(c->ac);	/* callbacks see "stopping" and return */
		c->ac = NULL;
	}
	if (c->retry != NULL)
		event_free(c->retry);
	if (c->reclaim != NULL)
		event_free(c->reclaim);
	if (c->self != NULL) {
		if (c->claiming)
			*c->self = NULL;	/* consumer_on_claim frees it */
		else
			free(c->self);
	}
	free(c);
}
