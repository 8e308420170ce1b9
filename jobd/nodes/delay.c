/* delay.c: the delay node type; waits config.ms on a loop timer (no thread held) and passes
 * its input on as its output. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(delay,
	.title = "Delay",
	.description = "Waits `ms` milliseconds without holding a thread; passes its input on.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"ms\":{\"type\":\"integer\",\"minimum\":0,"
	    "\"maximum\":86400000,\"title\":\"Milliseconds\"},", ",\"required\":[\"ms\"]"),
	.outputs = WF_OUT_DEFAULT,
	.network = true);

#ifdef JOBD_BUILD
#include <stdio.h>

#include <event2/event.h>

#include "jsonh.h"
#include "node.h"

static void
delay_fire(evutil_socket_t fd, short what, void *arg)
{
	struct node_call	*c = arg;

	(void)fd;
	(void)what;
	event_free(c->priv);
	c->priv = NULL;
	c->done(c, jsonh_copy(c->input), NULL);
}

static enum node_rc
delay_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	long		 ms = (long)json_object_get_int64(json_object_object_get(c->node->config,
			    "ms"));
	struct timeval	 tv = { ms / 1000, (ms % 1000) * 1000 };
	struct event	*ev;

	(void)out;
	if ((ev = evtimer_new(c->env->base, delay_fire, c)) == NULL ||
	    evtimer_add(ev, &tv) != 0) {
		if (ev != NULL)
			event_free(ev);
		snprintf(err, errlen, "cannot arm a timer");
		return NODE_ERROR;
	}
	c->priv = ev;
	return NODE_PENDING;
}

static void
delay_abort(struct node_call *c)
{
	if (c->priv != NULL)
		event_free(c->priv);
	c->priv = NULL;
}

NODE_IMPL(delay, delay_run, delay_abort);
#endif
