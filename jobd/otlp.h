/* otlp.h: jobd's span exporter, the one exporter of the stack. Worker loops hand finished
 * spans over (otlp_emit: a mutex and a bounded queue, nothing else); an exporter thread of
 * its own takes them with the API's spans (the Redis list TRACE_SPANS_KEY the API processes
 * fill) every second, or as soon as OTLP_BATCH are waiting, and posts them as one OTLP/HTTP
 * JSON request to FRAGENT_OTLP_ENDPOINT/v1/traces. The collector is the operator's (trusted):
 * its transfer is not an author's request and takes no part in the SSRF guard, whose lists
 * it neither uses nor widens. A queue that is full drops the oldest span (counted); a failed
 * export is dropped too, logged at most once a minute. Off (nothing started, every call
 * returns at once) while FRAGENT_OTLP_ENDPOINT is empty. */
#ifndef FRAGENT_OTLP_H
#define FRAGENT_OTLP_H

#include <stdbool.h>

#include "fgconfig.h"
#include "redisconn.h"
#include "trace.h"

#define OTLP_BATCH	512	/* spans of one request, at most, per service */
#define OTLP_QUEUE_MAX	8192	/* jobd's own spans waiting, at most */
#define OTLP_PERIOD_MS	1000	/* the longest a span waits for its export */

/* Starts the exporter when "cfg" names an endpoint, reading the API's spans from the Redis
 * of "redis" (copied). Returns 0 (also when tracing is off), or -1 after logging. */
int	 otlp_start(const struct config *cfg, const struct redis_url *redis);
/* Exports what is left (a short time limit) and stops; safe when it never started. */
void	 otlp_stop(void);
/* Whether tracing is on. */
bool	 otlp_enabled(void);
/* Queues finished span "s" (copied) for export; any thread. Nothing when tracing is off. */
void	 otlp_emit(const struct trace_span *s);
/* Starts span "s" named "name" of "kind" as a child of "parent" (NULL or empty: the root of
 * a new trace) when tracing is on; else empties it. Returns whether it started. */
bool	 otlp_span_start(struct trace_span *s, const struct trace_ctx *parent, const char *name,
	    enum trace_kind kind);
/* Ends "s" if it was started (and not ended yet) with "status" and "message" (NULL: none),
 * queues it for export and empties it. */
void	 otlp_span_end(struct trace_span *s, enum trace_status status, const char *message);
/* Spans dropped so far (queue full or failed exports). */
unsigned long otlp_dropped(void);

#endif
