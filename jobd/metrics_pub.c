/* metrics_pub.c: jobd's metrics set and its publication (see metrics_pub.h): a timer on the
 * main loop writes the snapshot into the METRICS_JOBD_KEY hash, fire and forget. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>

#include "buf.h"
#include "metrics.h"
#include "metrics_pub.h"
#include "rlink.h"
#include "settings.h"
#include "xalloc.h"

#define METRICS_PUBLISH_MS	1000

struct metrics_pub {
	struct metrics	*set;
	struct rlink	*link;
	struct event	*timer;
	char		 name[128];
};

static void
metrics_pub_tick(evutil_socket_t fd, short what, void *arg)
{
	struct metrics_pub	*p = arg;
	struct buf		 b;
	uint64_t		 rss, cpu;
	const char		*argv[4];
	size_t			 lens[4];

	(void)fd;
	(void)what;
	if (metrics_proc_read(0, &rss, &cpu) == 0) {
		metrics_set(M_PROCESS_RSS, 0, 0, rss);
		metrics_set(M_PROCESS_CPU, 0, 0, cpu);
	}
	buf_init(&b);
	metrics_snapshot(&b, p->set, (long long)time(NULL));
	argv[0] = "HSET";
	argv[1] = METRICS_JOBD_KEY;
	argv[2] = p->name;
	argv[3] = b.data;
	lens[0] = 4;
	lens[1] = strlen(METRICS_JOBD_KEY);
	lens[2] = strlen(p->name);
	lens[3] = b.len;
	rlink_cmd(p->link, NULL, NULL, 4, argv, lens);	/* lost while down: the next tick */
	buf_clear(&b);
}

struct metrics_pub *
metrics_pub_start(struct event_base *base, const struct jobd_settings *set)
{
	struct metrics_pub	*p = xcalloc(1, sizeof(*p));
	struct timeval		 tv = { METRICS_PUBLISH_MS / 1000, METRICS_PUBLISH_MS % 1000 * 1000 };

	snprintf(p->name, sizeof(p->name), "%s", set->consumer);
	p->set = metrics_new(1);
	metrics_use(p->set);
	if ((p->link = rlink_new(base, &set->redis)) == NULL ||
	    (p->timer = event_new(base, -1, EV_PERSIST, metrics_pub_tick, p)) == NULL ||
	    event_add(p->timer, &tv) != 0) {
		metrics_pub_stop(p);
		return NULL;
	}
	return p;
}

void
metrics_pub_stop(struct metrics_pub *p)
{
	const char	*argv[] = { "HDEL", METRICS_JOBD_KEY, NULL };

	if (p == NULL)
		return;
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->link != NULL) {
		argv[2] = p->name;
		rlink_cmd(p->link, NULL, NULL, 3, argv, NULL);
		rlink_free(p->link);
	}
	metrics_use(NULL);
	metrics_free(p->set);
	free(p);
}
