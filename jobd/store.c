/* store.c: what every run store shares (see store.h): the group commit of step ends and final
 * states, and freeing what the reads return. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

void
store_init(struct store *s, const struct store_ops *ops, const char *owner,
    void (*want_flush)(void *), void *arg)
{
	s->ops = ops;
	snprintf(s->owner, sizeof(s->owner), "%s", owner);
	s->step_ends = s->step_settling = NULL;
	s->exec_ends = s->exec_settling = NULL;
	s->want_flush = want_flush;
	s->want_flush_arg = arg;
}

void
store_free(struct store *s)
{
	if (s != NULL)
		s->ops->free(s);
}

static void
store_want_flush(struct store *s)
{
	if (s->want_flush != NULL)
		s->want_flush(s->want_flush_arg);
}

void
store_step_end_queue(struct store *s, struct store_step_end *e)
{
	if (e->queued)
		return;
	e->queued = true;
	e->next = s->step_ends;
	s->step_ends = e;
	store_want_flush(s);
}

void
store_exec_end_queue(struct store *s, struct store_exec_end *e)
{
	if (e->queued)
		return;
	e->queued = true;
	e->next = s->exec_ends;
	s->exec_ends = e;
	store_want_flush(s);
}

void
store_step_end_unqueue(struct store *s, struct store_step_end *e)
{
	struct store_step_end	**pp;
	int			 i;

	for (i = 0; e->queued && i < 2; i++)
		for (pp = i == 0 ? &s->step_ends : &s->step_settling; *pp != NULL;
		    pp = &(*pp)->next)
			if (*pp == e) {
				*pp = e->next;
				e->next = NULL;
				e->queued = false;
				return;
			}
}

void
store_exec_end_unqueue(struct store *s, struct store_exec_end *e)
{
	struct store_exec_end	**pp;
	int			 i;

	for (i = 0; e->queued && i < 2; i++)
		for (pp = i == 0 ? &s->exec_ends : &s->exec_settling; *pp != NULL;
		    pp = &(*pp)->next)
			if (*pp == e) {
				*pp = e->next;
				e->next = NULL;
				e->queued = false;
				return;
			}
}

/* Reverses list "l" (entries are pushed at the head): ends are gone on with in the order
 * they were queued. */
#define STORE_REVERSE(type, l) do {					\
	type *prev_ = NULL, *next_;					\
	while ((l) != NULL) {						\
		next_ = (l)->next;					\
		(l)->next = prev_;					\
		prev_ = (l);						\
		(l) = next_;						\
	}								\
	(l) = prev_;							\
} while (0)

/* Writes up to STORE_FLUSH_MAX queued step ends, then calls their "done". A batch the store
 * refuses for its values (one entry it cannot store) is written entry by entry, so that one
 * bad entry fails alone. */
static void
store_flush_steps(struct store *s)
{
	struct store_step_end	*batch[STORE_FLUSH_MAX] = { NULL }, *e;
	bool			 applied[STORE_FLUSH_MAX];
	enum store_rc		 rc[STORE_FLUSH_MAX];
	size_t			 n = 0, j = 0, i;

	STORE_REVERSE(struct store_step_end, s->step_ends);
	s->step_settling = s->step_ends;
	s->step_ends = NULL;
	/* What does not fit goes back to the queue for the next flush. */
	for (e = s->step_settling; e != NULL && n < STORE_FLUSH_MAX; e = e->next)
		batch[n++] = e;
	if (e != NULL) {
		batch[n - 1]->next = NULL;
		s->step_ends = e;
		STORE_REVERSE(struct store_step_end, s->step_ends);
		store_want_flush(s);
	}
	memset(applied, 0, sizeof(applied));
	rc[0] = s->ops->steps_end(s, batch, n, applied);
	for (i = 1; i < n; i++)
		rc[i] = rc[0];
	for (i = 0; rc[0] == STORE_INVALID && n > 1 && i < n; i++)
		rc[i] = s->ops->steps_end(s, &batch[i], 1, &applied[i]);
	/* A "done" may unqueue entries still in the settling list (a failed step stops its
	 * siblings): store_step_end_unqueue looks there too. The list keeps the batch's
	 * order. */
	while ((e = s->step_settling) != NULL) {
		s->step_settling = e->next;
		e->next = NULL;
		e->queued = false;
		while (j < n && batch[j] != e)
			j++;
		if (j == n)
			e->done(e, STORE_FAILED);
		else
			e->done(e, rc[j] != STORE_OK ? rc[j] : applied[j] ? STORE_OK :
			    STORE_NOTFOUND);
	}
}

static void
store_flush_execs(struct store *s)
{
	struct store_exec_end	*batch[STORE_FLUSH_MAX] = { NULL }, *e;
	bool			 settled[STORE_FLUSH_MAX];
	enum store_rc		 rc[STORE_FLUSH_MAX];
	size_t			 n = 0, j = 0, i;

	STORE_REVERSE(struct store_exec_end, s->exec_ends);
	s->exec_settling = s->exec_ends;
	s->exec_ends = NULL;
	for (e = s->exec_settling; e != NULL && n < STORE_FLUSH_MAX; e = e->next)
		batch[n++] = e;
	if (e != NULL) {
		batch[n - 1]->next = NULL;
		s->exec_ends = e;
		STORE_REVERSE(struct store_exec_end, s->exec_ends);
		store_want_flush(s);
	}
	memset(settled, 0, sizeof(settled));
	rc[0] = s->ops->execs_end(s, batch, n, settled);
	for (i = 1; i < n; i++)
		rc[i] = rc[0];
	for (i = 0; rc[0] == STORE_INVALID && n > 1 && i < n; i++)
		rc[i] = s->ops->execs_end(s, &batch[i], 1, &settled[i]);
	while ((e = s->exec_settling) != NULL) {
		s->exec_settling = e->next;
		e->next = NULL;
		e->queued = false;
		/* The settling list keeps the batch's order (entries only leave it). */
		while (j < n && batch[j] != e)
			j++;
		if (j == n)
			e->done(e, STORE_FAILED, false);
		else
			e->done(e, rc[j], rc[j] == STORE_OK && settled[j]);
	}
}

void
store_flush(struct store *s)
{
	if (s->step_ends != NULL)
		store_flush_steps(s);
	/* Final states queued by the step ends' "done" go out in this flush too. */
	if (s->exec_ends != NULL)
		store_flush_execs(s);
}

void
store_outcome_clear(struct store_outcome *o)
{
	if (o == NULL)
		return;
	json_object_put(o->results);
	o->results = NULL;
}

void
store_claims_clear(struct store_claims *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++) {
		json_object_put(c->rows[i].definition);
		json_object_put(c->rows[i].inputs);
		json_object_put(c->rows[i].replay);
	}
	free(c->rows);
	c->rows = NULL;
	c->n = 0;
}

void
store_earlier_free(struct store_earlier *e, size_t n)
{
	size_t	 i;

	if (e == NULL)
		return;
	for (i = 0; i < n; i++)
		json_object_put(e[i].output);
	free(e);
}
