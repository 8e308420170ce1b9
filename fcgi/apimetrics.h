/* apimetrics.h: the API processes' shared metrics (fcgi/metrics.c): opened once per process,
 * every request counted; GET /metrics is in handlers.h. */
#ifndef FRAGENT_APIMETRICS_H
#define FRAGENT_APIMETRICS_H

#include "fgconfig.h"
#include "req.h"

/* Maps the counters the API processes share (STATE_DIR/api-metrics) and counts into them;
 * on failure, logs and counts into this process's own. */
void	api_metrics_open(const struct config *cfg);
void	api_metrics_close(void);
/* Counts request "rq" (answered with rq->status) that took "ms" milliseconds. */
void	api_metrics_request(const struct req *rq, double ms);

#endif
