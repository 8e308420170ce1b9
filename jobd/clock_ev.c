/* clock_ev.c: the engine's clock (clock.h) on a libevent loop. */
#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <event2/event.h>

#include "clock.h"
#include "xalloc.h"

struct clock_ev {
	struct clock		 clock;
	struct event_base	*base;
};

struct clock_timer {
	struct event	*ev;
	void		(*fn)(void *);
	void		*arg;
};

static uint64_t
clock_ev_now(struct clock *c)
{
	struct timespec	 ts;

	(void)c;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
clock_ev_fire(evutil_socket_t fd, short what, void *arg)
{
	struct clock_timer	*t = arg;

	(void)fd;
	(void)what;
	t->fn(t->arg);
}

static struct clock_timer *
clock_ev_timer_new(struct clock *c, void (*fn)(void *), void *arg)
{
	struct clock_ev		*ce = (struct clock_ev *)c;
	struct clock_timer	*t;

	t = xcalloc(1, sizeof(*t));
	t->fn = fn;
	t->arg = arg;
	if ((t->ev = evtimer_new(ce->base, clock_ev_fire, t)) == NULL) {
		free(t);
		return NULL;
	}
	return t;
}

static void
clock_ev_timer_add(struct clock_timer *t, long ms)
{
	struct timeval	 tv;

	if (ms <= 0) {
		/* Next loop turn, after the events already active: like a zero timeout. */
		event_active(t->ev, EV_TIMEOUT, 1);
		return;
	}
	tv.tv_sec = ms / 1000;
	tv.tv_usec = (ms % 1000) * 1000;
	evtimer_add(t->ev, &tv);
}

static void
clock_ev_timer_del(struct clock_timer *t)
{
	evtimer_del(t->ev);
}

static void
clock_ev_timer_free(struct clock_timer *t)
{
	if (t == NULL)
		return;
	event_free(t->ev);
	free(t);
}

static const struct clock_ops clock_ev_ops = {
	clock_ev_now, clock_ev_timer_new, clock_ev_timer_add, clock_ev_timer_del,
	clock_ev_timer_free,
};

struct clock *
clock_ev_new(struct event_base *base)
{
	struct clock_ev	*ce;

	ce = xcalloc(1, sizeof(*ce));
	ce->clock.ops = &clock_ev_ops;
	ce->base = base;
	return &ce->clock;
}

void
clock_ev_free(struct clock *c)
{
	free(c);	/* the first member: the struct clock_ev itself */
}
