/* metrics_pub.h: jobd's metrics, counted into its own set and published to Redis every second
 * as a snapshot (shared/metrics.h) for the API's GET /metrics to render. */
#ifndef FRAGENT_METRICS_PUB_H
#define FRAGENT_METRICS_PUB_H

struct event_base;
struct jobd_settings;
struct metrics_pub;

/* Starts counting and publishing under the jobd's consumer name. Returns NULL when libevent
 * refuses the timer. */
struct metrics_pub	*metrics_pub_start(struct event_base *base,
			    const struct jobd_settings *set);
/* Removes the snapshot (best effort), stops counting and frees; NULL-safe. */
void			 metrics_pub_stop(struct metrics_pub *p);

#endif
