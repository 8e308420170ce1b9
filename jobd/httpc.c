/* httpc.c: curl multi on libevent (see httpc.h), after curl's hiperfifo example: curl tells
 * which sockets to watch (CURLMOPT_SOCKETFUNCTION) and when to wake (TIMERFUNCTION); the loop
 * hands readiness back with curl_multi_socket_action. One multi handle per pool. */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "httpc.h"
#include "log.h"
#include "xalloc.h"

/* One connection pool: a multi handle with its timer. */
struct httpc_pool {
	struct httpc		*h;
	CURLM			*multi;
	struct event		*timer;
	int			 running;
};

struct httpc {
	struct event_base	*base;
	struct httpc_pool	 pools[SSRF_USE__MAX];
	int			 inflight;
};

/* What a transfer carries in CURLOPT_PRIVATE. */
struct httpc_xfer {
	struct httpc_pool	*pool;
	httpc_done_fn		 done;
	void			*arg;
};

/* The event watching one socket (curl_multi_assign'ed to it). */
struct httpc_sock {
	struct event	*ev;
};

/* Hands every finished transfer of "p" back to its owner. */
static void
httpc_drain(struct httpc_pool *p)
{
	struct httpc_xfer	*x;
	CURLMsg			*m;
	CURL			*easy;
	CURLcode		 res;
	int			 left;

	while ((m = curl_multi_info_read(p->multi, &left)) != NULL) {
		if (m->msg != CURLMSG_DONE)
			continue;
		easy = m->easy_handle;
		res = m->data.result;
		x = NULL;
		curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
		curl_multi_remove_handle(p->multi, easy);
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		p->h->inflight--;
		if (x != NULL) {
			httpc_done_fn	 done = x->done;
			void		*arg = x->arg;

			free(x);
			done(easy, res, arg);	/* may start or cancel other transfers */
		}
	}
}

static void
httpc_on_event(evutil_socket_t fd, short what, void *arg)
{
	struct httpc_pool	*p = arg;
	int			 flags = 0;

	if (what & EV_READ)
		flags |= CURL_CSELECT_IN;
	if (what & EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	curl_multi_socket_action(p->multi, fd, flags, &p->running);
	/* curl disarms its timer itself (ms -1); a transfer added by a done callback below
	 * may have just armed it. */
	httpc_drain(p);
}

static void
httpc_on_timer(evutil_socket_t fd, short what, void *arg)
{
	struct httpc_pool	*p = arg;

	(void)fd;
	(void)what;
	curl_multi_socket_action(p->multi, CURL_SOCKET_TIMEOUT, 0, &p->running);
	httpc_drain(p);
}

/* CURLMOPT_TIMERFUNCTION: curl wants a wake-up in "ms" (-1: none). */
static int
httpc_timer_cb(CURLM *multi, long ms, void *arg)
{
	struct httpc_pool	*p = arg;
	struct timeval		 tv = { ms / 1000, (ms % 1000) * 1000 };

	(void)multi;
	if (ms < 0)
		evtimer_del(p->timer);
	else
		evtimer_add(p->timer, &tv);	/* 0 runs on the next loop turn, not inline */
	return 0;
}

/* CURLMOPT_SOCKETFUNCTION: watch "s" for "what", or forget it. */
static int
httpc_socket_cb(CURL *easy, curl_socket_t s, int what, void *arg, void *sockp)
{
	struct httpc_pool	*p = arg;
	struct httpc_sock	*hs = sockp;
	short			 kind;

	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (hs != NULL) {
			event_free(hs->ev);
			free(hs);
			curl_multi_assign(p->multi, s, NULL);
		}
		return 0;
	}
	kind = (short)(((what & CURL_POLL_IN) ? EV_READ : 0) |
	    ((what & CURL_POLL_OUT) ? EV_WRITE : 0) | EV_PERSIST);
	if (hs == NULL) {
		hs = xcalloc(1, sizeof(*hs));
		curl_multi_assign(p->multi, s, hs);
	} else {
		event_free(hs->ev);
		hs->ev = NULL;
	}
	if ((hs->ev = event_new(p->h->base, s, kind, httpc_on_event, p)) == NULL ||
	    event_add(hs->ev, NULL) != 0) {
		log_error(NULL, "httpc: cannot watch a socket");
		return -1;
	}
	return 0;
}

/* Gives pool "p" a new multi handle. Returns 0 or -1. */
static int
httpc_pool_multi(struct httpc_pool *p)
{
	if ((p->multi = curl_multi_init()) == NULL)
		return -1;
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETFUNCTION, httpc_socket_cb);
	curl_multi_setopt(p->multi, CURLMOPT_SOCKETDATA, p);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERFUNCTION, httpc_timer_cb);
	curl_multi_setopt(p->multi, CURLMOPT_TIMERDATA, p);
	curl_multi_setopt(p->multi, CURLMOPT_MAXCONNECTS, 256L);
	return 0;
}

/* Opens pool "p" of "h". Returns 0 or -1. */
static int
httpc_pool_open(struct httpc *h, struct httpc_pool *p)
{
	p->h = h;
	if ((p->timer = evtimer_new(h->base, httpc_on_timer, p)) == NULL)
		return -1;
	return httpc_pool_multi(p);
}

void
httpc_close_idle(struct httpc *h)
{
	struct httpc_pool	*p;
	int			 i;

	if (h->inflight != 0)
		return;
	for (i = 0; i < SSRF_USE__MAX; i++) {
		p = &h->pools[i];
		curl_multi_cleanup(p->multi);	/* closes its idle connections */
		evtimer_del(p->timer);
		p->running = 0;
		if (httpc_pool_multi(p) == -1)
			xalloc_die(0);	/* curl_multi_init fails only without memory */
	}
}

struct httpc *
httpc_new(struct event_base *base)
{
	struct httpc	*h;
	int		 i;

	h = xcalloc(1, sizeof(*h));
	h->base = base;
	for (i = 0; i < SSRF_USE__MAX; i++)
		if (httpc_pool_open(h, &h->pools[i]) == -1) {
			httpc_free(h);
			return NULL;
		}
	return h;
}

int
httpc_start(struct httpc *h, enum ssrf_use use, CURL *easy, httpc_done_fn done, void *arg)
{
	struct httpc_xfer	*x;

	x = xcalloc(1, sizeof(*x));
	x->pool = &h->pools[use];
	x->done = done;
	x->arg = arg;
	curl_easy_setopt(easy, CURLOPT_PRIVATE, x);
	if (curl_multi_add_handle(x->pool->multi, easy) != CURLM_OK) {
		curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
		free(x);
		return -1;
	}
	h->inflight++;
	return 0;
}

void
httpc_cancel(struct httpc *h, CURL *easy)
{
	struct httpc_xfer	*x = NULL;

	curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&x);
	if (x == NULL)
		return;		/* not ours, or already handed back */
	curl_multi_remove_handle(x->pool->multi, easy);
	curl_easy_setopt(easy, CURLOPT_PRIVATE, NULL);
	free(x);
	h->inflight--;
}

int
httpc_running(const struct httpc *h)
{
	return h->inflight;
}

void
httpc_free(struct httpc *h)
{
	int	 i;

	if (h == NULL)
		return;
	if (h->inflight != 0)
		log_warn(NULL, "httpc: %d transfers still in flight at shutdown", h->inflight);
	for (i = 0; i < SSRF_USE__MAX; i++) {
		if (h->pools[i].multi != NULL)
			curl_multi_cleanup(h->pools[i].multi);
		if (h->pools[i].timer != NULL)
			event_free(h->pools[i].timer);
	}
	free(h);
}
