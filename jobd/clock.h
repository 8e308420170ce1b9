/* clock.h: the engine's time and timers behind a small interface, so that the engine core
 * runs on a worker's libevent loop (clock_ev.c) and, in the unit suites, on a fake clock that
 * a test advances by hand. Every timer callback runs on the loop that owns the clock. */
#ifndef FRAGENT_CLOCK_H
#define FRAGENT_CLOCK_H

#include <stdint.h>

struct clock;
struct clock_timer;

struct clock_ops {
	/* Milliseconds on a monotonic clock. */
	uint64_t		 (*now_ms)(struct clock *c);
	/* A new, unarmed timer that calls "fn(arg)" when it fires; NULL when libevent cannot make one. */
	struct clock_timer	*(*timer_new)(struct clock *c, void (*fn)(void *arg), void *arg);
	/* Arms "t" to fire once after "ms" milliseconds (0: on the next loop turn), replacing
	 * any earlier arming. */
	void			 (*timer_add)(struct clock_timer *t, long ms);
	/* Disarms "t"; harmless when it is not armed. */
	void			 (*timer_del)(struct clock_timer *t);
	/* Disarms and frees "t"; NULL-safe. */
	void			 (*timer_free)(struct clock_timer *t);
};

struct clock {
	const struct clock_ops	*ops;
};

static inline uint64_t
clock_now_ms(struct clock *c)
{
	return c->ops->now_ms(c);
}

static inline struct clock_timer *
clock_timer_new(struct clock *c, void (*fn)(void *), void *arg)
{
	return c->ops->timer_new(c, fn, arg);
}

static inline void
clock_timer_add(struct clock *c, struct clock_timer *t, long ms)
{
	c->ops->timer_add(t, ms);
}

static inline void
clock_timer_del(struct clock *c, struct clock_timer *t)
{
	if (t != NULL)
		c->ops->timer_del(t);
}

static inline void
clock_timer_free(struct clock *c, struct clock_timer *t)
{
	if (t != NULL)
		c->ops->timer_free(t);
}

struct event_base;

/* A clock on libevent loop "base" (timers are libevent timers, time is CLOCK_MONOTONIC).
 * Never NULL; free with clock_ev_free (NULL-safe). */
struct clock	*clock_ev_new(struct event_base *base);
void		 clock_ev_free(struct clock *c);

#endif
