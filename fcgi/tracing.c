/* tracing.c: the API's request spans and their hand-over to jobd (see tracing.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonh.h"
#include "log.h"
#include "redisconn.h"
#include "router.h"
#include "trace.h"
#include "tracing.h"
#include "xalloc.h"

#define XSTR(x)		STR_(x)
#define STR_(x)		#x

void
apitrace_begin(struct req *rq)
{
	struct trace_ctx	 in;
	bool			 has_parent;

	rq->traceparent[0] = '\0';
	if (config_get(&rq->app->cfg, CONFIG_OTLP_ENDPOINT)[0] == '\0')
		return;
	/* An invalid header is ignored: the request starts a trace of its own (W3C). */
	has_parent = trace_parse(req_param(rq, "HTTP_TRACEPARENT"), &in) == 0;
	if (trace_span_start(&rq->span, has_parent ? &in : NULL, rq->method,
	    TRACE_KIND_SERVER) == -1)
		return;
	trace_format(&rq->span.ctx, rq->traceparent);
	req_header_add(rq, "traceresponse: %s", rq->traceparent);
}

char *
apitrace_end(struct req *rq)
{
	json_object	*o;
	char		*s;

	if (rq->traceparent[0] == '\0')
		return NULL;
	if (rq->route != NULL)
		snprintf(rq->span.name, sizeof(rq->span.name), "%s %s", rq->method,
		    rq->route->pattern);
	trace_span_attr_str(&rq->span, "http.request.method", rq->method);
	trace_span_attr_str(&rq->span, "http.route",
	    rq->route != NULL ? rq->route->pattern : NULL);
	trace_span_attr_int(&rq->span, "http.response.status_code", rq->status);
	if (rq->request_id[0] != '\0')
		trace_span_attr_str(&rq->span, "fragent.request_id", rq->request_id);
	trace_span_end(&rq->span, rq->status >= 500 ? TRACE_STATUS_ERROR : TRACE_STATUS_UNSET,
	    NULL);
	o = trace_span_json(&rq->span);
	s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
	return s;
}

/* LTRIM's start: the newest TRACE_SPANS_CAP spans are kept. */
static const char spans_keep[] = "-" XSTR(TRACE_SPANS_CAP);

void
apitrace_push(struct app *app, char *json)
{
	const char	*push[] = { "RPUSH", TRACE_SPANS_KEY, json };
	const char	*trim[] = { "LTRIM", TRACE_SPANS_KEY, spans_keep, "-1" };
	redisReply	*r;

	if (json == NULL)
		return;
	r = redis_conn_cmd(app->redis, 3, push, NULL);
	if (r != NULL && r->type == REDIS_REPLY_INTEGER && r->integer > TRACE_SPANS_CAP) {
		freeReplyObject(r);
		r = redis_conn_cmd(app->redis, 4, trim, NULL);
	}
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_debug(NULL, "span not handed to jobd: Redis %s",
		    r != NULL ? r->str : "unreachable");
	freeReplyObject(r);
	free(json);
}
