/* hub.c: per-execution shared readers of the events streams (see hub.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/event.h>

#include "events.h"
#include "hash.h"
#include "hub.h"
#include "log.h"
#include "metrics.h"
#include "queue.h"
#include "sse_wire.h"
#include "xalloc.h"

#define HUB_BUCKETS	1024
#define HUB_BLOCK_MS	"15000"		/* also the heartbeat interval */
#define HUB_COUNT	"500"
#define HUB_MAX_EVENTS	20000		/* kept per hub; the stream itself keeps ~10,000 */

struct hub_event {
	char		 id[48];
	int		 terminal;
	/* Encoded once; subscribers' answers hold references, so it lives until the last of
	 * them is written even after the hub drops it. */
	struct evbuffer	*frame;
};

struct hub {
	struct hub_set		*set;
	struct hub		*next;		/* bucket chain */
	char			 exec_id[64];
	char			 key[96];
	redisAsyncContext	*ac;
	struct hub_sub		*subs;
	struct hub_event	*ev;
	size_t			 nev, cap;
	char			 last[48];	/* last id read from Redis */
	int			 ended;		/* the terminal event was read */
	int			 dead;		/* detached from the set; freed soon */
};

struct hub_set {
	struct event_base	*base;
	struct redis_url	 url;
	struct hub		*buckets[HUB_BUCKETS];
	size_t			 nhubs, nsubs;
};

static void	hub_read(struct hub *h);

int
hub_id_cmp(const char *a, const char *b)
{
	uintmax_t	 am, as = 0, bm, bs = 0;
	char		*e;

	am = strtoumax(a, &e, 10);
	if (*e == '-')
		as = strtoumax(e + 1, NULL, 10);
	bm = strtoumax(b, &e, 10);
	if (*e == '-')
		bs = strtoumax(e + 1, NULL, 10);
	if (am != bm)
		return am < bm ? -1 : 1;
	return as < bs ? -1 : as > bs;
}

static size_t
hub_bucket(const char *id)
{
	return hash_fnv1a(id) % HUB_BUCKETS;
}

/* ---------------------------------------------------------------- lifetime */

static void
hub_free_now(evutil_socket_t fd, short what, void *arg)
{
	struct hub	*h = arg;
	size_t		 i;

	(void)fd;
	(void)what;
	if (h->ac != NULL) {
		redisAsyncContext *ac = h->ac;

		h->ac = NULL;
		ac->data = NULL;
		redisAsyncFree(ac);
	}
	for (i = 0; i < h->nev; i++)
		evbuffer_free(h->ev[i].frame);
	free(h->ev);
	free(h);
}

/* Takes "h" out of its set and frees it on the next loop turn (never inside its own
 * hiredis callback). */
static void
hub_kill(struct hub *h)
{
	struct hub	**p;

	if (h->dead)
		return;
	h->dead = 1;
	for (p = &h->set->buckets[hub_bucket(h->exec_id)]; *p != NULL; p = &(*p)->next)
		if (*p == h) {
			*p = h->next;
			break;
		}
	h->set->nhubs--;
	if (event_base_once(h->set->base, -1, EV_TIMEOUT, hub_free_now, h, NULL) != 0)
		hub_free_now(-1, 0, h);
}

/* Ends every subscriber of "h" (error NULL: after the terminal event) and kills it. */
static void
hub_end_all(struct hub *h, const char *error)
{
	struct hub_sub	*s;

	while ((s = h->subs) != NULL) {
		h->subs = s->next;
		s->hub = NULL;
		h->set->nsubs--;
		metrics_add(M_SSE_SUBSCRIBERS, 0, 0, -1);
		s->on_end(s, error);
	}
	hub_kill(h);
}

/* ---------------------------------------------------------------- delivery */

/* Sends "s" every stored event after its cursor, as one delivery. Returns 1 when it got the
 * terminal one. */
static int
hub_deliver(struct hub *h, struct hub_sub *s)
{
	size_t	 i = h->nev, first;
	int	 terminal = 0;

	/* Events are in id order: find the first one after the cursor from the back. */
	while (i > 0 && hub_id_cmp(h->ev[i - 1].id, s->cursor) > 0)
		i--;
	for (first = i; i < h->nev && !terminal; i++) {
		snprintf(s->cursor, sizeof(s->cursor), "%s", h->ev[i].id);
		s->on_event(s, h->ev[i].frame);
		terminal = h->ev[i].terminal;
	}
	if (i > first)
		s->on_flush(s);
	return terminal;
}

/* Delivers to everyone; ends the hub after the terminal event. */
static void
hub_deliver_all(struct hub *h)
{
	struct hub_sub	*s;

	for (s = h->subs; s != NULL; s = s->next)
		hub_deliver(h, s);
	if (h->ended)
		hub_end_all(h, NULL);
}

/* Stores one entry [id, [field, value…]]. */
static void
hub_store(struct hub *h, redisReply *e)
{
	const char	*type = NULL, *data = NULL;
	struct hub_event *ne;
	struct evbuffer	*frame;
	size_t		 j;

	if (e->type != REDIS_REPLY_ARRAY || e->elements != 2 ||
	    e->element[0]->type != REDIS_REPLY_STRING)
		return;
	snprintf(h->last, sizeof(h->last), "%s", e->element[0]->str);
	for (j = 0; e->element[1]->type == REDIS_REPLY_ARRAY && j + 1 < e->element[1]->elements;
	    j += 2) {
		redisReply *k = e->element[1]->element[j], *v = e->element[1]->element[j + 1];

		if (k->type != REDIS_REPLY_STRING || v->type != REDIS_REPLY_STRING)
			continue;
		if (strcmp(k->str, "type") == 0)
			type = v->str;
		else if (strcmp(k->str, "data") == 0)
			data = v->str;
	}
	if (type == NULL || data == NULL || (frame = evbuffer_new()) == NULL)
		return;
	sse_wire_frame(frame, e->element[0]->str, type, data);
	if (h->nev == HUB_MAX_EVENTS) {
		evbuffer_free(h->ev[0].frame);
		memmove(h->ev, h->ev + 1, (h->nev - 1) * sizeof(*h->ev));
		h->nev--;
	}
	if (h->nev == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;

		ne = xrealloc(h->ev, ncap * sizeof(*ne));
		h->ev = ne;
		h->cap = ncap;
	}
	ne = &h->ev[h->nev];
	snprintf(ne->id, sizeof(ne->id), "%s", e->element[0]->str);
	ne->terminal = event_is_terminal(type);
	ne->frame = frame;
	h->nev++;
	if (ne->terminal)
		h->ended = 1;
}

/* ---------------------------------------------------------------- reading */

static void
hub_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct hub	*h = arg;
	redisReply	*r = reply, *entries;
	struct hub_sub	*s;
	size_t		 i;

	(void)ac;
	if (r == NULL || h->dead)
		return;
	if (r->type == REDIS_REPLY_ERROR) {
		log_warn(LOG_IDS(NULL, h->exec_id), "XREAD: %s", r->str);
		hub_end_all(h, "event store error");
		return;
	}
	if (r->type == REDIS_REPLY_NIL) {
		for (s = h->subs; s != NULL; s = s->next)
			s->on_idle(s);
	} else if (r->type == REDIS_REPLY_ARRAY && r->elements == 1 &&
	    r->element[0]->type == REDIS_REPLY_ARRAY && r->element[0]->elements == 2) {
		entries = r->element[0]->element[1];
		for (i = 0; i < entries->elements && !h->ended; i++)
			hub_store(h, entries->element[i]);
		hub_deliver_all(h);
		if (h->dead)
			return;
	}
	hub_read(h);
}

static void
hub_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct hub	*h = ac->data;

	(void)status;
	if (h == NULL)
		return;		/* freed on purpose */
	h->ac = NULL;
	if (!h->dead)
		hub_end_all(h, "event store connection lost");
}

static void
hub_on_connect(const redisAsyncContext *ac, int status)
{
	struct hub	*h = ac->data;

	if (status == REDIS_OK || h == NULL)
		return;
	h->ac = NULL;		/* hiredis frees it */
	if (!h->dead)
		hub_end_all(h, "event store unavailable");
}

static void
hub_read(struct hub *h)
{
	const char	*argv[] = { "XREAD", "COUNT", HUB_COUNT, "BLOCK", HUB_BLOCK_MS, "STREAMS",
	    h->key, h->last };

	if (h->dead || h->ended || h->ac == NULL)
		return;
	redisAsyncCommandArgv(h->ac, hub_on_reply, h, 8, argv, NULL);
}

/* Opens the hub of "exec_id": reads the whole stream from its start, then follows it. */
static struct hub *
hub_open(struct hub_set *hs, const char *exec_id)
{
	struct hub	*h;
	size_t		 b = hub_bucket(exec_id);

	h = xcalloc(1, sizeof(*h));
	h->set = hs;
	snprintf(h->exec_id, sizeof(h->exec_id), "%s", exec_id);
	snprintf(h->last, sizeof(h->last), "0");
	if (queue_events_key(exec_id, h->key, sizeof(h->key)) == -1 ||
	    (h->ac = redis_async_open(&hs->url, hs->base)) == NULL) {
		free(h);
		return NULL;
	}
	h->ac->data = h;
	redisAsyncSetConnectCallback(h->ac, hub_on_connect);
	redisAsyncSetDisconnectCallback(h->ac, hub_on_disconnect);
	h->next = hs->buckets[b];
	hs->buckets[b] = h;
	hs->nhubs++;
	hub_read(h);
	return h;
}

int
hub_subscribe(struct hub_set *hs, const char *exec_id, const char *last_id, struct hub_sub *s)
{
	struct hub	*h;

	for (h = hs->buckets[hub_bucket(exec_id)]; h != NULL; h = h->next)
		if (strcmp(h->exec_id, exec_id) == 0)
			break;
	if (h == NULL && (h = hub_open(hs, exec_id)) == NULL)
		return -1;
	snprintf(s->cursor, sizeof(s->cursor), "%s", last_id);
	s->hub = h;
	s->next = h->subs;
	h->subs = s;
	hs->nsubs++;
	metrics_inc(M_SSE_SUBSCRIBERS, 0, 0);
	if (hub_deliver(h, s)) {
		hub_unsubscribe(s);
		s->on_end(s, NULL);
	}
	return 0;
}

void
hub_unsubscribe(struct hub_sub *s)
{
	struct hub	*h = s->hub;
	struct hub_sub	**p;

	if (h == NULL)
		return;
	for (p = &h->subs; *p != NULL; p = &(*p)->next)
		if (*p == s) {
			*p = s->next;
			h->set->nsubs--;
			metrics_add(M_SSE_SUBSCRIBERS, 0, 0, -1);
			break;
		}
	s->hub = NULL;
	if (h->subs == NULL)
		hub_kill(h);
}

struct hub_set *
hub_set_new(struct event_base *base, const struct redis_url *url)
{
	struct hub_set	*hs;

	hs = xcalloc(1, sizeof(*hs));
	hs->base = base;
	hs->url = *url;
	return hs;
}

void
hub_set_free(struct hub_set *hs)
{
	size_t	 b;

	if (hs == NULL)
		return;
	for (b = 0; b < HUB_BUCKETS; b++)
		while (hs->buckets[b] != NULL) {
			struct hub *h = hs->buckets[b];

			hub_end_all(h, "shutting down");	/* unlinks h */
		}
	free(hs);
}

void
hub_set_stats(const struct hub_set *hs, size_t *hubs, size_t *subs)
{
	*hubs = hs->nhubs;
	*subs = hs->nsubs;
}
