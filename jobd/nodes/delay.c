/* delay.c: the delay node; waits config.ms on a loop timer (no thread held) and passes its
 * input on as its output. */
#include "config.h"

#include <stdlib.h>

#include <event2/event.h>

#include "jsonh.h"
#include "node.h"

static void
node_delay_fire(evutil_socket_t fd, short what, void *arg)
{
	struct node_call	*c = arg;

	(void)fd;
	(void)what;
	event_free(c->priv);
	c->priv = NULL;
	c->done(c, jsonh_copy(c->input), NULL);
}

enum node_rc
node_delay_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	long		 ms = (long)json_object_get_int64(json_object_object_get(c->node->config,
			    "ms"));
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event	*ev;

	(void)out;
	if ((ev = evtimer_new(c->env->base, node_delay_fire, c)) == NULL ||
	    evtimer_add(ev, &tv) != 0) {
		if (ev != NULL)
			event_free(ev);
		snprintf(err, errlen, "cannot arm a timer");
		return NODE_ERROR;
	}
	c->priv = ev;
	return NODE_PENDING;
}

void
node_delay_abort(struct node_call *c)
{
	if (c->priv != NULL)
		event_free(c->priv);
	c->priv = NULL;
}
