/* http_request.c: the http_request tool: the model's {method, url, headers, body} run through
 * jobd/fetch.c, so under the same SSRF guard as the HTTP node (judged on every address
 * actually connected, redirects included), http/https only, with the time and the size
 * capped; returns {status, content_type, body, truncated}. */
#include "config.h"

#include "tools.h"

TOOL_DEF(http_request,
	.title = "HTTP request",
	.description = "Calls a public HTTP(S) URL and returns {status, headers, body}. "
	    "Private, loopback and link-local addresses are refused.",
	.input_schema =
	    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"url\"],"
	    "\"properties\":{"
	    "\"method\":{\"type\":\"string\",\"enum\":[\"GET\",\"POST\",\"PUT\",\"PATCH\","
	    "\"DELETE\",\"HEAD\"],\"default\":\"GET\",\"title\":\"Method\"},"
	    "\"url\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":8192,"
	    "\"pattern\":\"^[Hh][Tt][Tt][Pp][Ss]?://\",\"title\":\"URL\"},"
	    "\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
	    "\"maxLength\":8192},\"title\":\"Headers\"},"
	    "\"body\":{\"type\":\"string\",\"maxLength\":1048576,\"title\":\"Body\"}}}");

#ifdef JOBD_BUILD
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "env.h"
#include "fetch.h"
#include "jsonh.h"
#include "tool.h"
#include "utf8.h"

#define HTTPT_MAX_BODY		(1L << 20)	/* bytes read */
#define HTTPT_SHOWN_BODY	(32L << 10)	/* bytes shown to the model */
#define HTTPT_TIMEOUT_MS	30000L

json_object *
tool_http_result(const struct fetch_result *r)
{
	json_object	*o = jsonh_new_object(), *body = NULL;
	const char	*ctype = jsonh_get_string(r->headers, "content-type");
	const struct buf *b = r->body;
	char		 err[64];
	size_t		 shown;
	int		 cut = 0;

	if (ctype != NULL && strstr(ctype, "json") != NULL && b->len > 0 &&
	    b->len <= (size_t)HTTPT_SHOWN_BODY &&
	    jsonh_parse(b->data, b->len, &body, err, sizeof(err)) == 0)
		;
	else {
		shown = utf8_cut(b->data, b->len, HTTPT_SHOWN_BODY);
		cut = shown < b->len;
		body = jsonh_new_string_len(shown ? b->data : "", (int)shown);
	}
	json_object_object_add(o, "status", jsonh_new_int((int)r->status));
	json_object_object_add(o, "content_type", jsonh_new_string(ctype ? ctype : ""));
	json_object_object_add(o, "body", body);
	json_object_object_add(o, "truncated", jsonh_new_boolean(cut));
	/* The server chose the bytes; the result goes to the transcript, stored as jsonb. */
	return jsonh_make_storable(o);
}

static void
httpt_on_done(void *arg, const struct fetch_result *r)
{
	struct tool_call	*t = arg;

	t->priv = NULL;
	t->done(t, r->error == NULL ? tool_http_result(r) : NULL, r->error);
}

/* Adds the call's span as the request's traceparent, unless tracing is off or the model set
 * that header ("hs"). Returns 0 or -1 with "err". */
static int
httpt_traceparent(const struct tool_call *t, json_object *hs, struct curl_slist **l,
    char *err, size_t errlen)
{
	char	 tp[TRACE_PARENT_SIZE];

	if (trace_format(&t->trace, tp) == -1)
		return 0;
	if (hs != NULL) {
		json_object_object_foreach(hs, k, v) {
			(void)v;
			if (strcasecmp(k, "traceparent") == 0)
				return 0;
		}
	}
	return fetch_header(l, "traceparent", tp, err, errlen);
}

static enum tool_rc
http_request_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	struct fetch_req	 rq;
	json_object		*hs = jsonh_get_typed(t->args, "headers", json_type_object);

	(void)result;
	memset(&rq, 0, sizeof(rq));
	if ((rq.url = jsonh_get_string(t->args, "url")) == NULL) {
		snprintf(err, errlen, "\"url\" is required");
		return TOOL_ERROR;
	}
	if (t->env == NULL || t->env->http == NULL) {
		snprintf(err, errlen, "HTTP is not available here");
		return TOOL_ERROR;
	}
	if (httpt_traceparent(t, hs, &rq.headers, err, errlen) == -1)
		return TOOL_ERROR;
	if (hs != NULL) {
		json_object_object_foreach(hs, k, v) {
			if (fetch_header(&rq.headers, k, json_object_get_string(v), err,
			    errlen) == -1) {
				curl_slist_free_all(rq.headers);
				return TOOL_ERROR;
			}
		}
	}
	/* The body lives in t->args, which outlives the transfer. */
	rq.method = jsonh_get_string(t->args, "method");
	rq.body = jsonh_get_string(t->args, "body");
	rq.max_bytes = HTTPT_MAX_BODY;
	rq.timeout_ms = t->timeout_ms > 0 ? t->timeout_ms : HTTPT_TIMEOUT_MS;
	rq.follow_redirects = 1;
	if ((t->priv = fetch_start(t->env->http, t->env->allow, &rq, httpt_on_done, t, err,
	    errlen)) == NULL)
		return TOOL_ERROR;
	return TOOL_PENDING;
}

static void
http_request_abort(struct tool_call *t)
{
	fetch_cancel(t->priv);
	t->priv = NULL;
}

TOOL_IMPL(http_request, http_request_run, http_request_abort);
#endif
