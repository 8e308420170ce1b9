/* fake_clock.c: the unit suites' clock (see fake_clock.h). */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>

#include "fake_clock.h"

struct fake_clock {
	struct clock		 clock;
	uint64_t		 now;
	uint64_t		 seq;		/* arming order: equal times fire in it */
	struct clock_timer	*timers;	/* every timer, armed or not */
};

struct clock_timer {
	struct fake_clock	*fc;
	struct clock_timer	*next;
	void			(*fn)(void *);
	void			*arg;
	bool			 armed;
	uint64_t		 at;
	uint64_t		 seq;
};

static uint64_t
fake_now(struct clock *c)
{
	return ((struct fake_clock *)c)->now;
}

static struct clock_timer *
fake_timer_new(struct clock *c, void (*fn)(void *), void *arg)
{
	struct fake_clock	*fc = (struct fake_clock *)c;
	struct clock_timer	*t;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->fc = fc;
	t->fn = fn;
	t->arg = arg;
	t->next = fc->timers;
	fc->timers = t;
	return t;
}

static void
fake_timer_add(struct clock_timer *t, long ms)
{
	t->armed = true;
	t->at = t->fc->now + (uint64_t)(ms > 0 ? ms : 0);
	t->seq = ++t->fc->seq;
}

static void
fake_timer_del(struct clock_timer *t)
{
	t->armed = false;
}

static void
fake_timer_free(struct clock_timer *t)
{
	struct clock_timer	**pp;

	if (t == NULL)
		return;
	for (pp = &t->fc->timers; *pp != NULL; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	free(t);
}

static const struct clock_ops fake_ops = {
	fake_now, fake_timer_new, fake_timer_add, fake_timer_del, fake_timer_free,
};

struct clock *
fake_clock_new(uint64_t start_ms)
{
	struct fake_clock	*fc;

	if ((fc = calloc(1, sizeof(*fc))) == NULL)
		return NULL;
	fc->clock.ops = &fake_ops;
	fc->now = start_ms;
	return &fc->clock;
}

void
fake_clock_free(struct clock *c)
{
	struct fake_clock	*fc = (struct fake_clock *)c;
	struct clock_timer	*t, *next;

	if (fc == NULL)
		return;
	for (t = fc->timers; t != NULL; t = next) {
		next = t->next;
		free(t);
	}
	free(fc);
}

/* The armed timer due first at or before "until", or NULL. */
static struct clock_timer *
fake_next_due(struct fake_clock *fc, uint64_t until)
{
	struct clock_timer	*t, *best = NULL;

	for (t = fc->timers; t != NULL; t = t->next)
		if (t->armed && t->at <= until && (best == NULL || t->at < best->at ||
		    (t->at == best->at && t->seq < best->seq)))
			best = t;
	return best;
}

int
fake_clock_turn(struct clock *c)
{
	struct fake_clock	*fc = (struct fake_clock *)c;
	struct clock_timer	*t;
	int			 n = 0;

	while ((t = fake_next_due(fc, fc->now)) != NULL && n < 100000) {
		t->armed = false;
		n++;
		t->fn(t->arg);	/* may free "t" */
	}
	return n;
}

void
fake_clock_advance(struct clock *c, uint64_t ms)
{
	struct fake_clock	*fc = (struct fake_clock *)c;
	struct clock_timer	*t;
	uint64_t		 until = fc->now + ms;

	fake_clock_turn(c);
	while ((t = fake_next_due(fc, until)) != NULL) {
		fc->now = t->at;
		fake_clock_turn(c);
	}
	fc->now = until;
	fake_clock_turn(c);
}

int
fake_clock_armed(struct clock *c)
{
	struct fake_clock	*fc = (struct fake_clock *)c;
	struct clock_timer	*t;
	int			 n = 0;

	for (t = fc->timers; t != NULL; t = t->next)
		n += t->armed;
	return n;
}
