/* child.c: what run_workflow and ask_agent share: a child execution started from a tool
 * call (jobd/childrun.c, with the calling execution as parent), waited for without blocking
 * the loop, cancelled with the calling step or when its time is up. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "child.h"
#include "childrun.h"
#include "xalloc.h"

#define CHILD_DEFAULT_S		300

struct child {
	struct tool_call	*t;
	struct childwatch	*watch;
	struct event		*deadline;
	char			 id[UUID_STRLEN + 1];
	child_result_fn		 shape;
};

static void
child_free(struct child *ch, int cancel)
{
	if (ch == NULL)
		return;
	childwatch_free(ch->watch, cancel);
	if (ch->deadline != NULL)
		event_free(ch->deadline);
	free(ch);
}

/* Ends the tool call with "result" or "err" and frees the child. */
static void
child_end(struct child *ch, json_object *result, const char *err, int cancel)
{
	struct tool_call	*t = ch->t;

	t->priv = NULL;
	child_free(ch, cancel);
	t->done(t, result, err);
}

static void
child_on_end(void *arg, size_t slot, const char *id, const char *status, json_object *results,
    const char *error)
{
	struct child	*ch = arg;

	(void)slot;
	(void)id;
	child_end(ch, ch->shape(status, results, error), NULL, 0);
}

static void
child_on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct child	*ch = arg;
	char		 err[128];

	(void)fd;
	(void)what;
	snprintf(err, sizeof(err), "execution %s did not end in time and was cancelled", ch->id);
	child_end(ch, NULL, err, 1);
}

enum tool_rc
child_start(struct tool_call *t, struct launch *l, long timeout_s, child_result_fn shape,
    char *err, size_t errlen)
{
	struct child	*ch;
	struct timeval	 tv = { timeout_s > 0 ? timeout_s : CHILD_DEFAULT_S, 0 };
	char		 owner[UUID_STRLEN + 1];

	if (t->owner_id == NULL) {
		snprintf(err, errlen, "child runs are not available here");
		return TOOL_ERROR;
	}
	if (childrun_prepare(t->env, t->execution_id, owner, err, errlen) == -1)
		return TOOL_ERROR;
	ch = xcalloc(1, sizeof(*ch));
	ch->t = t;
	ch->shape = shape;
	l->trigger = "tool";
	/* The agent's owner: the workflow or agent called must be theirs. */
	if (childrun_launch(t->env, l, t->execution_id, t->owner_id, &t->trace, ch->id, err,
	    errlen) == -1) {
		free(ch);
		return TOOL_ERROR;
	}
	if ((ch->deadline = evtimer_new(t->env->base, child_on_deadline, ch)) == NULL)
		xalloc_die(0);
	evtimer_add(ch->deadline, &tv);
	ch->watch = childwatch_new(t->env, child_on_end, ch);
	childwatch_add(ch->watch, 0, ch->id);
	t->priv = ch;
	return TOOL_PENDING;
}

void
child_abort(struct tool_call *t)
{
	child_free(t->priv, 1);
	t->priv = NULL;
}
