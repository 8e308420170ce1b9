/* sandbox.c: a worker's pool of sandbox helpers (see sandbox.h): requests (kept for reuse),
 * the queue and its deadlines, routing to helpers, back-pressure, and the API; one helper's
 * link is jobd/sandbox_link.c. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "buf.h"
#include "jsonh.h"
#include "log.h"
#include "sandbox.h"
#include "sandbox/proto.h"
#include "sandbox_int.h"
#include "sandbox_plain.h"
#include "sandbox_proc.h"
#include "xalloc.h"

#define SBX_PROBE_MS	5000	/* the first helper's answer to its probe */
#define SBX_MAX_RESENDS	3	/* a request whose helpers keep dying fails after this */
#define SBX_IDLE_MS	10000	/* a helper beyond the first, idle this long, is closed */
#define SBX_QUEUE_MS	100	/* how often requests waiting for a helper are checked
				 * against their deadline */
#define SBX_SPARE	256	/* freed requests kept for reuse, with their buffers */
#define SBX_SPARE_BYTES	(64u << 10)	/* the largest frame buffer kept */

long long
sbx_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
sbx_timer_add(struct event *ev, long ms)
{
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };

	evtimer_add(ev, &tv);
}

/* ---------------------------------------------------------------- requests */

/* Frees "r", or keeps it (and its frame's storage) for the next request. */
void
sbx_req_free(struct sandbox_req *r)
{
	struct sandbox_pool	*p = r->pool;
	struct buf		 frame = r->frame;

	json_object_put(r->ctx);
	json_object_put(r->plain);
	if (p != NULL && p->nspare < SBX_SPARE && frame.cap <= SBX_SPARE_BYTES) {
		buf_reset(&frame);
		memset(r, 0, sizeof(*r));
		r->pool = p;
		r->frame = frame;
		TAILQ_INSERT_HEAD(&p->spare, r, entry);
		p->nspare++;
		return;
	}
	buf_clear(&r->frame);
	free(r);
}

/* A submitted request ended (answered, failed or cancelled). */
static void
sbx_req_ended(struct sandbox_pool *p)
{
	if (p->backlog > 0 && --p->backlog == SANDBOX_BACKLOG - 1 && p->drained != NULL)
		p->drained(p->drained_arg);
}

/* Ends "r" (out of every list) with "results" (handed over) or "err", then frees it. */
void
sbx_req_finish(struct sandbox_req *r, json_object *results, const char *err)
{
	struct sandbox_pool	*p = r->pool;
	int			 counted = !r->cancelled && r->done != NULL;

	if (counted)
		r->done(r->arg, results, err);
	else
		json_object_put(results);
	sbx_req_free(r);
	if (counted)
		sbx_req_ended(p);	/* a cancelled one counted when it was cancelled */
}

/* Appends "r" to "front" (to go back to the queue), or frees a cancelled one. A request
 * whose helper died ("died") counts a re-send, and fails when its helpers died too often. */
void
sbx_req_requeue(struct sandbox_req *r, struct sbx_reqs *front, int died)
{
	struct sandbox_pool	*p = r->pool;

	r->link = NULL;
	if (r->cancelled) {
		sbx_req_free(r);
		return;
	}
	if (died && ++r->resends > SBX_MAX_RESENDS) {
		sbx_req_finish(r, NULL, "the expression sandbox failed repeatedly");
		return;
	}
	if (died)
		p->st.resent++;
	r->moved = 1;
	TAILQ_INSERT_TAIL(front, r, entry);
}

void
sbx_dispatch_later(struct sandbox_pool *p)
{
	event_active(p->dispatch, EV_TIMEOUT, 1);
}

/* ---------------------------------------------------------------- routing */

static int
sbx_nlinks(struct sandbox_pool *p)
{
	struct sbx_link	*l;
	int		 n = 0;

	TAILQ_FOREACH(l, &p->links, entry)
		n++;
	return n;
}

/* Where "r" goes: the first live helper (one helper does the work while nothing is slow:
 * its compiled programs are all in one place); a request moved off a slow helper goes to
 * "*moved_to", the helper chosen for the moved ones of this round: an idle one, else none
 * (the caller starts one when the pool may grow), else the least loaded. NULL: start one. */
static struct sbx_link *
sbx_pick(struct sandbox_pool *p, const struct sandbox_req *r, struct sbx_link *moved_to)
{
	struct sbx_link	*l, *first = NULL, *idle = NULL, *least = NULL;

	if (r->moved && moved_to != NULL && moved_to->state == SBX_LIVE)
		return moved_to;
	TAILQ_FOREACH(l, &p->links, entry) {
		if (l->state != SBX_LIVE)
			continue;
		if (first == NULL)
			first = l;
		if (idle == NULL && l->nfifo == 0)
			idle = l;
		if (least == NULL || l->nfifo < least->nfifo)
			least = l;
	}
	if (!r->moved)
		return first;
	if (idle != NULL || sbx_nlinks(p) < p->conf.max_helpers)
		return idle;
	return least;
}

/* Fails every queued request with "why". */
static void
sbx_fail_queue(struct sandbox_pool *p, const char *why)
{
	struct sbx_reqs		 failed;
	struct sandbox_req	*r;

	TAILQ_INIT(&failed);
	TAILQ_CONCAT(&failed, &p->queue, entry);
	while ((r = TAILQ_FIRST(&failed)) != NULL) {
		TAILQ_REMOVE(&failed, r, entry);
		sbx_req_finish(r, NULL, why);
	}
}

/* Ends the queued requests that sandbox_plain answered whole, one at a time: a callback may
 * queue or cancel others. */
static void
sbx_finish_plain(struct sandbox_pool *p)
{
	struct sandbox_req	*r;
	json_object		*results;

	for (;;) {
		TAILQ_FOREACH(r, &p->queue, entry)
			if (r->plain != NULL)
				break;
		if (r == NULL)
			return;
		TAILQ_REMOVE(&p->queue, r, entry);
		results = r->plain;
		r->plain = NULL;
		p->st.plain++;
		sbx_req_finish(r, results, NULL);
	}
}

/* Ends the requests answered without a helper, hands the others to helpers (starting one
 * when none takes requests and the pool may grow), then writes to every helper at once: the
 * requests of a loop turn go out together. */
static void
sbx_on_dispatch(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sandbox_req	*r;
	struct sbx_link		*l, *moved_to = NULL;
	char			 err[256], why[320];

	(void)fd;
	(void)what;
	sbx_finish_plain(p);
	while ((r = TAILQ_FIRST(&p->queue)) != NULL) {
		if ((l = sbx_pick(p, r, moved_to)) == NULL) {
			if (sbx_nlinks(p) >= p->conf.max_helpers)
				break;		/* waits for a helper */
			if ((l = sbx_link_spawn(p, err, sizeof(err))) == NULL) {
				log_error(NULL, "sandbox: %s", err);
				snprintf(why, sizeof(why), "the expression sandbox is unavailable: %s",
				    err);
				sbx_fail_queue(p, why);
				break;
			}
		}
		TAILQ_REMOVE(&p->queue, r, entry);
		TAILQ_INSERT_TAIL(&l->fifo, r, entry);
		r->link = l;
		if (r->moved)
			moved_to = l;
		if (l->unsent == NULL) {
			l->unsent = r;
			l->unsent_off = 0;
		}
		if (++l->nfifo == 1)
			sbx_link_head_started(l);
	}
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->unsent != NULL)
			sbx_link_write(l);
	if (TAILQ_EMPTY(&p->links) && (l = sbx_link_spawn(p, err, sizeof(err))) == NULL)
		log_error(NULL, "sandbox: %s", err);	/* keep one helper ready */
	if (!TAILQ_EMPTY(&p->queue) && !evtimer_pending(p->qtimer, NULL))
		sbx_timer_add(p->qtimer, SBX_QUEUE_MS);
}

/* Every helper is taken: requests waiting past their deadline fail, the others wait on. */
static void
sbx_on_queue_timer(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sbx_reqs		 late;
	struct sandbox_req	*r, *next;
	long long		 now = sbx_now_ms();
	char			 msg[128];

	(void)fd;
	(void)what;
	TAILQ_INIT(&late);
	for (r = TAILQ_FIRST(&p->queue); r != NULL; r = next) {
		next = TAILQ_NEXT(r, entry);
		if (r->deadline_ms <= now) {
			TAILQ_REMOVE(&p->queue, r, entry);
			TAILQ_INSERT_TAIL(&late, r, entry);
		}
	}
	while ((r = TAILQ_FIRST(&late)) != NULL) {
		TAILQ_REMOVE(&late, r, entry);
		snprintf(msg, sizeof(msg), "expression exceeded its time limit (%ld ms) waiting "
		    "for a sandbox helper", r->limit_ms);
		sbx_req_finish(r, NULL, msg);
	}
	sbx_dispatch_later(p);
}

/* Every second: a helper beyond the first that stayed idle long enough is closed. */
static void
sbx_on_tick(evutil_socket_t fd, short what, void *arg)
{
	struct sandbox_pool	*p = arg;
	struct sbx_link		*l;
	long long		 now = sbx_now_ms();
	int			 live = 0;

	(void)fd;
	(void)what;
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->state == SBX_LIVE)
			live++;
	if (live <= 1)
		return;
	TAILQ_FOREACH(l, &p->links, entry)
		if (l->state == SBX_LIVE && l->nfifo == 0 && now - l->idle_since > SBX_IDLE_MS) {
			p->st.retired++;
			sbx_link_kill(l, NULL);
			return;		/* one per tick */
		}
}

/* ---------------------------------------------------------------- API */

struct sandbox_pool *
sandbox_pool_new(struct event_base *base, const struct sandbox_conf *conf, char *err,
    size_t errlen)
{
	struct sandbox_pool	*p;
	struct sbx_link		*l;
	struct timeval		 sec = { 1, 0 };

	p = xcalloc(1, sizeof(*p));
	p->bin = xstrdup(conf->bin);
	p->base = base;
	p->conf = *conf;
	p->conf.bin = p->bin;
	if (p->conf.max_helpers < 1)
		p->conf.max_helpers = 1;
	/* RLIMIT_CPU: room for half of it spent before retiring plus one request at its limit. */
	p->cpu_s = conf->cpu_s > 0 ? conf->cpu_s : 60 + 2 * ((p->conf.limit_ms + 999) / 1000);
	p->next_id = 2;		/* 1 is the first helper's probe; 0 is never used */
	TAILQ_INIT(&p->links);
	TAILQ_INIT(&p->queue);
	TAILQ_INIT(&p->spare);
	if ((p->dispatch = event_new(base, -1, 0, sbx_on_dispatch, p)) == NULL ||
	    (p->qtimer = evtimer_new(base, sbx_on_queue_timer, p)) == NULL ||
	    (p->tick = event_new(base, -1, EV_PERSIST, sbx_on_tick, p)) == NULL ||
	    event_add(p->tick, &sec) != 0) {
		snprintf(err, errlen, "cannot make the pool's events");
		sandbox_pool_free(p);
		return NULL;
	}
	if ((l = sbx_link_spawn(p, err, errlen)) == NULL ||
	    sbxproc_check(&l->proc, SBX_PROBE_MS, err, errlen) == -1) {
		sandbox_pool_free(p);
		return NULL;
	}
	return p;
}

void
sandbox_pool_free(struct sandbox_pool *p)
{
	struct sbx_link		*l;
	struct sandbox_req	*r;

	if (p == NULL)
		return;
	while ((l = TAILQ_FIRST(&p->links)) != NULL) {
		sbxproc_kill(&l->proc);
		while (sbxproc_reap(&l->proc, &(int){ 0 }) == 0)
			usleep(1000);
		sbx_link_free(l);
	}
	while ((r = TAILQ_FIRST(&p->queue)) != NULL) {
		TAILQ_REMOVE(&p->queue, r, entry);
		sbx_req_free(r);
	}
	while ((r = TAILQ_FIRST(&p->spare)) != NULL) {
		TAILQ_REMOVE(&p->spare, r, entry);
		buf_clear(&r->frame);
		free(r);
	}
	if (p->dispatch != NULL)
		event_free(p->dispatch);
	if (p->tick != NULL)
		event_free(p->tick);
	if (p->qtimer != NULL)
		event_free(p->qtimer);
	free(p->bin);
	free(p);
}

long
sandbox_timeout_ms(const struct sandbox_pool *p, long timeout_ms)
{
	if (p == NULL || (timeout_ms > 0 && timeout_ms < p->conf.limit_ms))
		return timeout_ms;
	return p->conf.limit_ms;
}

void
sandbox_stats(const struct sandbox_pool *p, struct sandbox_stats *st)
{
	*st = p->st;
}

int
sandbox_backlogged(const struct sandbox_pool *p)
{
	return p != NULL && p->backlog >= SANDBOX_BACKLOG;
}

void
sandbox_on_drained(struct sandbox_pool *p, void (*fn)(void *), void *arg)
{
	p->drained = fn;
	p->drained_arg = arg;
}

/* A new request of operation "op" (header written, id and sizes patched at submission). */
static struct sandbox_req *
sbx_req_alloc(struct sandbox_pool *p, uint8_t op)
{
	struct sandbox_req	*r;

	if ((r = TAILQ_FIRST(&p->spare)) != NULL) {
		TAILQ_REMOVE(&p->spare, r, entry);
		p->nspare--;
	} else {
		r = xcalloc(1, sizeof(*r));
		r->pool = p;
		buf_init(&r->frame);
	}
	sbx_put_header(&r->frame, 0, 0, op, 0, 0);
	return r;
}

struct sandbox_req *
sandbox_req_new(struct sandbox_pool *p, json_object *ctx, char *err, size_t errlen)
{
	struct sandbox_req	*r;
	size_t			 n;
	const char		*text = jsonh_str_len(ctx, &n);

	if (n > SBX_MAX_REQUEST / 2) {
		snprintf(err, errlen, "the context is larger than %u bytes", SBX_MAX_REQUEST / 2);
		return NULL;
	}
	r = sbx_req_alloc(p, SBX_OP_RUN);
	sbx_put_slice(&r->frame, -1, text, (uint32_t)n);
	r->ctx = json_object_get(ctx);
	r->plain = json_object_new_array();
	r->plain_room = SANDBOX_PLAIN_ROOM;
	return r;
}

int
sandbox_req_add(struct sandbox_req *r, enum sandbox_kind kind, const char *text, char *err,
    size_t errlen)
{
	size_t	 n = strlen(text);

	if (r->nitems >= SBX_MAX_ITEMS) {
		snprintf(err, errlen, "more than %d expressions in one step", SBX_MAX_ITEMS);
		return -1;
	}
	if (n > SBX_MAX_REQUEST - r->frame.len - 5 - SBX_HEADER) {
		snprintf(err, errlen, "expressions and context larger than %u bytes",
		    SBX_MAX_REQUEST);
		return -1;
	}
	sbx_put_slice(&r->frame, kind == SANDBOX_EXPR ? SBX_ITEM_EXPR : SBX_ITEM_TEMPLATE,
	    text, (uint32_t)n);
	r->nitems++;
	if (r->plain != NULL) {
		json_object	*v;

		if (sandbox_plain(r->ctx, kind, text, &r->plain_room, &v) == 0)
			json_object_array_add(r->plain, v);
		else {
			json_object_put(r->plain);	/* the helper answers the whole */
			r->plain = NULL;
		}
	}
	return 0;
}

/* Numbers "r", sets its limit and callback, and queues it for this loop turn's dispatch. */
static void
sbx_req_queue(struct sandbox_req *r, long timeout_ms, sandbox_done_fn done, void *arg)
{
	struct sandbox_pool	*p = r->pool;

	r->id = p->next_id++;
	if (p->next_id == 0)
		p->next_id = 2;
	r->limit_ms = sandbox_timeout_ms(p, timeout_ms);
	r->deadline_ms = sbx_now_ms() + r->limit_ms;
	r->done = done;
	r->arg = arg;
	r->queued = 1;
	json_object_put(r->ctx);
	r->ctx = NULL;
	p->backlog++;
	sbx_patch_header(&r->frame, 0, (uint32_t)(r->frame.len - SBX_HEADER), r->id,
	    r->nitems);
	TAILQ_INSERT_TAIL(&p->queue, r, entry);
	sbx_dispatch_later(p);
}

void
sandbox_req_submit(struct sandbox_req *r, long timeout_ms, sandbox_done_fn done, void *arg)
{
	sbx_req_queue(r, timeout_ms, done, arg);
}

void
sandbox_probe(struct sandbox_pool *p, sandbox_done_fn done, void *arg)
{
	struct sandbox_req	*r;

	r = sbx_req_alloc(p, SBX_OP_PROBE);
	r->nitems = 1;		/* the answer's one result */
	sbx_req_queue(r, 0, done, arg);
	sbx_patch_header(&r->frame, 0, 0, r->id, 0);
}

/* Takes "r" out of the pool: freed when nothing of it reached a helper, else left to be
 * answered and dropped (a running one, past the slow threshold, kills its helper). */
static void
sbx_req_drop(struct sandbox_req *r)
{
	struct sbx_link	*l = r->link;

	if (l == NULL) {
		TAILQ_REMOVE(&r->pool->queue, r, entry);
		sbx_req_free(r);
		return;
	}
	if (r != TAILQ_FIRST(&l->fifo) && r == l->unsent && l->unsent_off == 0) {
		/* Not written yet: it can simply go. */
		l->unsent = TAILQ_NEXT(r, entry);
		TAILQ_REMOVE(&l->fifo, r, entry);
		l->nfifo--;
		sbx_req_free(r);
		return;
	}
	r->cancelled = 1;
	if (r == TAILQ_FIRST(&l->fifo) && l->state == SBX_BUSY)
		sbx_link_kill(l, NULL);
}

void
sandbox_cancel(struct sandbox_req *r)
{
	struct sandbox_pool	*p;

	if (r == NULL)
		return;
	p = r->pool;
	if (!r->queued)
		sbx_req_free(r);
	else if (!r->cancelled) {
		sbx_req_drop(r);
		sbx_req_ended(p);
	}
}
