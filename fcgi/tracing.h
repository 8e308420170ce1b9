/* tracing.h: the API's part of tracing: a SERVER span per request, in the caller's trace when
 * it sent a valid W3C traceparent (else a new one), answered in a traceresponse header and
 * handed to jobd, the one exporter, through a capped Redis list once the response is gone.
 * Nothing at all happens while FRAGENT_OTLP_ENDPOINT is empty. */
#ifndef FRAGENT_API_TRACING_H
#define FRAGENT_API_TRACING_H

#include "req.h"

/* Starts the span of request "rq" (when tracing is on): rq->span and rq->traceparent (the
 * context its children take) are set, and the traceresponse header is added. The router
 * calls it first thing (a path too long for any route gets no span). */
void	 apitrace_begin(struct req *rq);
/* Ends the span of "rq" after its response was written: named after the route matched
 * (rq->route) with the method, status and request id as attributes. Returns it as OTLP
 * JSON text (the caller frees it with free), or NULL when no span was started. */
char	*apitrace_end(struct req *rq);
/* Appends span "json" (consumed; NULL: nothing) to TRACE_SPANS_KEY, kept to the newest
 * TRACE_SPANS_CAP, for jobd to export. Call it after the response was finished: a Redis that
 * is away costs this process a failed command, never the client. */
void	 apitrace_push(struct app *app, char *json);

#endif
