/* apimetrics.h: the API processes' shared metrics (fcgi/metrics.c): opened once per process,
 * every request counted; GET /metrics is in handlers.h. The same shared file carries the
 * count of access changes that empties the processes' authentication caches. */
#ifndef FRAGENT_APIMETRICS_H
#define FRAGENT_APIMETRICS_H

#include <stdint.h>

#include "fgconfig.h"
#include "req.h"

/* Maps the counters the API processes share (STATE_DIR/api-metrics) and counts into them;
 * on failure, logs and counts into this process's own. */
void	api_metrics_open(const struct config *cfg);
void	api_metrics_close(void);
/* Counts request "rq" (answered with rq->status) that took "ms" milliseconds. */
void	api_metrics_request(const struct req *rq, double ms);
/* The count of changes made through the API to users' or API keys' access or to rows the
 * processes cache (agents), shared by the processes through the same file: a process that
 * sees it move empties its cache (docs/ARCHITECTURE.md, "API processes"). */
uint64_t api_metrics_auth_epoch(void);
/* Counts one such change: call it after the change committed, before its answer leaves. */
void	api_metrics_auth_changed(void);

#endif
