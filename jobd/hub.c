/* hub.c: per-execution shared readers of the events streams, their blocking reads
 * multiplexed over a few Redis connections (see hub.h). */
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
#include "rlink.h"
#include "sse_wire.h"
#include "xalloc.h"

#define HUB_BUCKETS	1024
#define HUB_BLOCK_MS	"15000"
#define HUB_IDLE_S	15		/* no event for this long: a heartbeat */
#define HUB_COUNT	"500"
#define HUB_MAX_EVENTS	20000		/* kept per hub; the stream itself keeps ~10,000 */
/* Hubs whose streams one connection reads with one XREAD. Every new read names all of
 * them, so a lane costs Redis a little per key and event; 64 keeps that small while
 * 10,000 executions watched at once take 157 connections instead of 10,000. */
#define HUB_LANE_KEYS	64
#define HUB_UNBLOCK_RETRY_MS	1

struct hub_event {
	char		 id[48];
	int		 terminal;
	/* Encoded once; subscribers' answers hold references, so it lives until the last of
	 * them is written even after the hub drops it. */
	struct evbuffer	*frame;
};

struct hub_lane;

struct hub {
	struct hub_set		*set;
	struct hub		*next;		/* bucket chain */
	char			 exec_id[64];
	char			 key[96];
	struct hub_lane		*lane;		/* reads its stream; NULL once dead */
	size_t			 slot;		/* its index in lane->hubs */
	int			 in_read;	/* named in the lane's read in flight */
	int			 fresh;		/* that read brought it events */
	struct hub_sub		*subs;
	struct hub_event	*ev;
	size_t			 nev, cap;
	char			 last[48];	/* last id read from Redis */
	time_t			 active;	/* last event or heartbeat */
	int			 ended;		/* the terminal event was read */
	int			 dead;		/* detached from the set; freed soon */
};

/* A CLIENT UNBLOCK in flight for a lane; outlives the lane when it is freed first. */
struct hub_unblock {
	struct hub_lane		*lane;		/* NULL: the lane is gone */
};

/* One Redis connection blocked in one XREAD over the streams of up to HUB_LANE_KEYS hubs.
 * A hub joining a lane whose read is in flight makes it stale: CLIENT UNBLOCK (sent on the
 * set's link) ends that read at once and the next one names the newcomer. */
struct hub_lane {
	struct hub_set		*set;
	struct hub_lane		*next;
	redisAsyncContext	*ac;		/* NULL: lost (the lane is then retired) */
	long long		 client_id;	/* CLIENT ID, or -1 until known */
	struct hub		*hubs[HUB_LANE_KEYS];
	size_t			 n;
	int			 reading;	/* an XREAD is in flight */
	int			 stale;		/* the read in flight misses a newcomer */
	struct hub_unblock	*unblock;	/* the CLIENT UNBLOCK in flight, if any */
	struct event		*retry;		/* the next CLIENT UNBLOCK, when one found it
						 * not blocked yet */
};

struct hub_set {
	struct event_base	*base;
	struct redis_url	 url;
	struct rlink		*link;		/* CLIENT UNBLOCK */
	struct hub		*buckets[HUB_BUCKETS];
	struct hub_lane		*lanes;
	struct event		*idle;		/* heartbeat sweep */
	size_t			 nhubs, nsubs;
};

static void	lane_read(struct hub_lane *l);
static void	lane_leave(struct hub *h);

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
	lane_leave(h);
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

/* ---------------------------------------------------------------- lanes */

/* Frees "l" and its retry timer; a CLIENT UNBLOCK still in flight for it finds it gone. */
static void
lane_release(struct hub_lane *l)
{
	if (l->unblock != NULL)
		l->unblock->lane = NULL;
	event_free(l->retry);
	free(l);
}

/* Ends every hub of "l" with "error" and retires the lane (its connection is gone or
 * unusable, or it has no hub left); hubs opened later get another lane. */
static void
lane_fail(struct hub_lane *l, const char *error)
{
	struct hub_lane	**p;

	for (p = &l->set->lanes; *p != NULL; p = &(*p)->next)
		if (*p == l) {
			*p = l->next;
			break;
		}
	l->next = NULL;
	while (l->n > 0)
		hub_end_all(l->hubs[l->n - 1], error);	/* each leaves the lane */
	/* A connection still open is closed once its replies are in; its disconnect
	 * callback then comes back here, and the lane is freed. */
	if (l->ac != NULL)
		redisAsyncDisconnect(l->ac);
	else
		lane_release(l);
}

/* Takes "h" out of its lane (the read in flight may still name its stream: that part of
 * the answer is dropped). */
static void
lane_leave(struct hub *h)
{
	struct hub_lane	*l = h->lane;

	if (l == NULL)
		return;
	l->hubs[h->slot] = l->hubs[--l->n];
	l->hubs[h->slot]->slot = h->slot;
	h->lane = NULL;
}

static void	lane_unblock(struct hub_lane *l);

static void
lane_on_unblock(redisAsyncContext *ac, void *reply, void *arg)
{
	struct hub_unblock	*u = arg;
	struct hub_lane		*l = u->lane;
	redisReply		*r = reply;
	struct timeval		 tv = { 0, HUB_UNBLOCK_RETRY_MS * 1000 };

	(void)ac;
	free(u);
	if (l == NULL)
		return;
	l->unblock = NULL;
	if (!l->reading || !l->stale)
		return;
	/* 0: not blocked. Either its answer is on the way (and the next read names the
	 * newcomer), or Redis has not reached the XREAD yet: ask again in a moment. */
	if (r == NULL || r->type != REDIS_REPLY_INTEGER || r->integer == 0)
		event_add(l->retry, &tv);
}

static void
lane_on_retry(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	lane_unblock(arg);
}

/* Ends the read in flight of "l" early, so that the next one names every hub of the lane. */
static void
lane_unblock(struct hub_lane *l)
{
	char		 id[24];
	const char	*argv[] = { "CLIENT", "UNBLOCK", id };
	struct hub_unblock *u;
	struct timeval	 tv = { 0, HUB_UNBLOCK_RETRY_MS * 1000 };

	if (!l->reading || !l->stale || l->unblock != NULL || l->client_id < 0 ||
	    evtimer_pending(l->retry, NULL))
		return;
	snprintf(id, sizeof(id), "%lld", l->client_id);
	u = xmalloc(sizeof(*u));
	u->lane = l;
	if (rlink_cmd(l->set->link, lane_on_unblock, u, 3, argv, NULL) == -1) {
		free(u);
		event_add(l->retry, &tv);	/* the link is reconnecting */
		return;
	}
	l->unblock = u;
}

/* Stores what the read brought for each hub it named, then delivers. */
static void
lane_store(struct hub_lane *l, redisReply *r)
{
	struct hub	*h;
	redisReply	*st, *entries;
	time_t		 now = time(NULL);
	size_t		 i, j, k;

	for (i = 0; i < r->elements; i++) {
		st = r->element[i];
		if (st->type != REDIS_REPLY_ARRAY || st->elements != 2 ||
		    st->element[0]->type != REDIS_REPLY_STRING ||
		    st->element[1]->type != REDIS_REPLY_ARRAY)
			continue;
		for (h = NULL, k = 0; k < l->n && h == NULL; k++)
			if (l->hubs[k]->in_read && strcmp(l->hubs[k]->key,
			    st->element[0]->str) == 0)
				h = l->hubs[k];
		if (h == NULL)
			continue;	/* it left meanwhile */
		entries = st->element[1];
		for (j = 0; j < entries->elements && !h->ended; j++)
			hub_store(h, entries->element[j]);
		h->active = now;
		h->fresh = 1;
	}
	/* Delivering may end hubs, which then leave the lane (the last one taking the place
	 * of the one leaving): walk from the end. */
	for (k = l->n; k > 0; k--) {
		if (k > l->n)
			continue;
		h = l->hubs[k - 1];
		if (h->fresh) {
			h->fresh = 0;
			hub_deliver_all(h);
		}
	}
}

static void
lane_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	struct hub_lane	*l = arg;
	redisReply	*r = reply;

	(void)ac;
	if (r == NULL)
		return;		/* lost or freed: the disconnect callback decides */
	l->reading = 0;
	l->stale = 0;
	if (r->type == REDIS_REPLY_ERROR) {
		log_warn(NULL, "XREAD: %s", r->str);
		lane_fail(l, "event store error");
		return;
	}
	if (r->type == REDIS_REPLY_ARRAY)
		lane_store(l, r);
	/* The next read names (and marks) every hub on the lane now. */
	if (l->n == 0) {
		lane_fail(l, NULL);	/* nobody left to read for: the connection goes */
		return;
	}
	lane_read(l);
}

static void
lane_on_client_id(redisAsyncContext *ac, void *reply, void *arg)
{
	struct hub_lane	*l = arg;
	redisReply	*r = reply;

	(void)ac;
	if (r == NULL)
		return;
	if (r->type == REDIS_REPLY_INTEGER)
		l->client_id = r->integer;
	else
		log_warn(NULL, "CLIENT ID: %s", r->type == REDIS_REPLY_ERROR ? r->str :
		    "unexpected answer");
	lane_unblock(l);	/* a newcomer may have come meanwhile */
}

static void
lane_on_disconnect(const redisAsyncContext *ac, int status)
{
	struct hub_lane	*l = ac->data;

	(void)status;
	if (l == NULL)
		return;		/* freed on purpose */
	l->ac = NULL;
	l->reading = 0;
	lane_fail(l, "event store connection lost");
}

static void
lane_on_connect(const redisAsyncContext *ac, int status)
{
	struct hub_lane	*l = ac->data;

	if (status == REDIS_OK || l == NULL)
		return;
	l->ac = NULL;		/* hiredis frees it */
	l->reading = 0;
	lane_fail(l, "event store unavailable");
}

/* Reads every stream of the lane after its hub's last id, blocking up to HUB_BLOCK_MS. */
static void
lane_read(struct hub_lane *l)
{
	const char	*argv[6 + 2 * HUB_LANE_KEYS] = { "XREAD", "COUNT", HUB_COUNT, "BLOCK",
	    HUB_BLOCK_MS, "STREAMS" };
	size_t		 k;

	if (l->reading || l->n == 0 || l->ac == NULL)
		return;
	for (k = 0; k < l->n; k++) {
		argv[6 + k] = l->hubs[k]->key;
		argv[6 + l->n + k] = l->hubs[k]->last;
		l->hubs[k]->in_read = 1;
	}
	if (redisAsyncCommandArgv(l->ac, lane_on_reply, l, (int)(6 + 2 * l->n), argv, NULL) !=
	    REDIS_OK) {
		for (k = 0; k < l->n; k++)
			l->hubs[k]->in_read = 0;
		return;		/* the connection is going: its disconnect callback follows */
	}
	l->reading = 1;
	l->stale = 0;
}

/* A lane with room for one more hub, opened when none has. NULL when Redis cannot be
 * reached or out of memory. */
static struct hub_lane *
lane_with_room(struct hub_set *hs)
{
	struct hub_lane	*l;
	const char	*argv[] = { "CLIENT", "ID" };

	for (l = hs->lanes; l != NULL; l = l->next)
		if (l->n < HUB_LANE_KEYS && l->ac != NULL)
			return l;
	l = xcalloc(1, sizeof(*l));
	l->set = hs;
	l->client_id = -1;
	if ((l->retry = evtimer_new(hs->base, lane_on_retry, l)) == NULL ||
	    (l->ac = redis_async_open(&hs->url, hs->base)) == NULL) {
		if (l->retry != NULL)
			event_free(l->retry);
		free(l);
		return NULL;
	}
	l->ac->data = l;
	redisAsyncSetConnectCallback(l->ac, lane_on_connect);
	redisAsyncSetDisconnectCallback(l->ac, lane_on_disconnect);
	redisAsyncCommandArgv(l->ac, lane_on_client_id, l, 2, argv, NULL);
	l->next = hs->lanes;
	hs->lanes = l;
	return l;
}

/* Puts "h" on a lane: read at once when the lane is idle, else after its read in flight
 * is ended early. Returns 0, or -1 when no lane could be opened. */
static int
lane_join(struct hub_set *hs, struct hub *h)
{
	struct hub_lane	*l;

	if ((l = lane_with_room(hs)) == NULL)
		return -1;
	h->lane = l;
	h->slot = l->n;
	l->hubs[l->n++] = h;
	if (l->reading) {
		l->stale = 1;
		lane_unblock(l);
	} else
		lane_read(l);
	return 0;
}

/* Frees a lane still connected (the set is going). */
static void
lane_free(struct hub_lane *l)
{
	redisAsyncContext	*ac = l->ac;

	if (ac != NULL) {
		ac->data = NULL;
		redisAsyncFree(ac);	/* replies in flight get NULL */
	}
	lane_release(l);
}

/* Every third of HUB_IDLE_S: a heartbeat to the subscribers of each hub that had no event
 * for HUB_IDLE_S. */
static void
hub_on_idle_sweep(evutil_socket_t fd, short what, void *arg)
{
	struct hub_set	*hs = arg;
	struct hub	*h;
	struct hub_sub	*s;
	time_t		 now = time(NULL);
	size_t		 b;

	(void)fd;
	(void)what;
	for (b = 0; b < HUB_BUCKETS; b++)
		for (h = hs->buckets[b]; h != NULL; h = h->next)
			if (now - h->active >= HUB_IDLE_S) {
				h->active = now;
				for (s = h->subs; s != NULL; s = s->next)
					s->on_idle(s);
			}
}

/* ---------------------------------------------------------------- hubs */

/* Opens the hub of "exec_id": reads the whole stream from its start, then follows it. */
static struct hub *
hub_open(struct hub_set *hs, const char *exec_id)
{
	struct hub	*h;
	size_t		 b = hub_bucket(exec_id);

	h = xcalloc(1, sizeof(*h));
	h->set = hs;
	h->active = time(NULL);
	snprintf(h->exec_id, sizeof(h->exec_id), "%s", exec_id);
	snprintf(h->last, sizeof(h->last), "0");
	if (queue_events_key(exec_id, h->key, sizeof(h->key)) == -1 ||
	    lane_join(hs, h) == -1) {
		free(h);
		return NULL;
	}
	h->next = hs->buckets[b];
	hs->buckets[b] = h;
	hs->nhubs++;
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
hub_set_new(struct event_base *base, const struct redis_url *url, struct rlink *link)
{
	struct hub_set	*hs;
	struct timeval	 tv = { HUB_IDLE_S / 3, 0 };

	hs = xcalloc(1, sizeof(*hs));
	hs->base = base;
	hs->url = *url;
	hs->link = link;
	if ((hs->idle = event_new(base, -1, EV_PERSIST, hub_on_idle_sweep, hs)) == NULL ||
	    event_add(hs->idle, &tv) != 0) {
		if (hs->idle != NULL)
			event_free(hs->idle);
		free(hs);
		return NULL;
	}
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
	while (hs->lanes != NULL) {
		struct hub_lane *l = hs->lanes;

		hs->lanes = l->next;
		lane_free(l);
	}
	event_free(hs->idle);
	free(hs);
}

void
hub_set_stats(const struct hub_set *hs, size_t *hubs, size_t *subs)
{
	*hubs = hs->nhubs;
	*subs = hs->nsubs;
}
