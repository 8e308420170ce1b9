/* http_request.c: the http_request node type: renders URL, headers and body (its templates)
 * in one sandbox request, then runs the transfer through jobd/fetch.c (http/https only, the
 * SSRF guard on every address actually connected, size and time capped); outputs
 * {status, headers, body}. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(http_request,
	.title = "HTTP request",
	.description = "Calls an HTTP(S) URL. Method, URL, headers and body are templates; the "
	    "output is {status, headers, body}. Private, loopback and link-local addresses are "
	    "refused unless allow-listed.",
	.category = "network",
	.config_schema = WF_SCHEMA("\"method\":{\"type\":\"string\",\"enum\":[\"GET\","
	    "\"POST\",\"PUT\",\"PATCH\",\"DELETE\",\"HEAD\",\"OPTIONS\"],"
	    "\"default\":\"GET\"},"
	    "\"url\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":8192,"
	    "\"title\":\"URL (template)\"},"
	    "\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\","
	    "\"maxLength\":8192},\"maxProperties\":64,\"title\":\"Headers (templates)\"},"
	    "\"body_type\":{\"type\":\"string\",\"enum\":[\"none\",\"json\",\"text\"],"
	    "\"default\":\"none\"},"
	    "\"body\":{\"title\":\"Body: a text template, or JSON whose strings are "
	    "templates\"},"
	    "\"max_response_bytes\":{\"type\":\"integer\",\"minimum\":1,"
	    "\"maximum\":67108864,\"default\":1048576},"
	    "\"follow_redirects\":{\"type\":\"boolean\",\"default\":false},"
	    "\"fail_on_status\":{\"type\":\"boolean\",\"default\":true,"
	    "\"title\":\"Fail on a 4xx/5xx answer\"},", ",\"required\":[\"url\"]"),
	.outputs = WF_OUT_DEFAULT,
	.network = true,
	.templates = WF_NAMES("url"),
	.template_trees = WF_NAMES("headers", "body"));

#ifdef JOBD_BUILD
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fetch.h"
#include "jsonh.h"
#include "node.h"
#include "otlp.h"
#include "sandbox.h"
#include "tape.h"
#include "xalloc.h"

#define HTTP_DEFAULT_MAX	(1L << 20)

/* One call (c->priv): its templates rendering in the sandbox, then its transfer. */
struct http_call {
	struct node_call	*c;
	struct sandbox_req	*req;		/* while rendering */
	struct fetch		*fetch;		/* while transferring */
	struct curl_slist	*hdrs;
	char			*req_body;
	long			 max;
	struct trace_span	 span;		/* the transfer's (empty: none) */
	char			 key[TAPE_KEY_LEN + 1];	/* the request's, noted at its end */
};

static void
http_call_free(struct http_call *h)
{
	if (h == NULL)
		return;
	otlp_span_end(&h->span, TRACE_STATUS_ERROR, "stopped");
	sandbox_cancel(h->req);
	fetch_cancel(h->fetch);
	curl_slist_free_all(h->hdrs);
	free(h->req_body);
	free(h);
}

/* A rendered value as text: a string as it is, anything else as compact JSON. */
static const char *
http_text(json_object *v)
{
	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : jsonh_str(v);
}

/* The request's templates, in order: the URL, each header, the body (one text template, or
 * the string leaves of a JSON body). Returns 0 or -1 with "err". */
static int
http_templates(struct sandbox_req *r, json_object *config, char *err, size_t errlen)
{
	json_object	*hs = jsonh_get_typed(config, "headers", json_type_object);
	json_object	*b = json_object_object_get(config, "body");
	const char	*type = jsonh_get_string(config, "body_type");

	if (sandbox_req_add(r, SANDBOX_TEMPLATE, jsonh_get_string(config, "url"), err,
	    errlen) == -1)
		return -1;
	if (hs != NULL) {
		json_object_object_foreach(hs, k, v) {
			(void)k;
			if (sandbox_req_add(r, SANDBOX_TEMPLATE, json_object_get_string(v), err,
			    errlen) == -1)
				return -1;
		}
	}
	if (type == NULL || strcmp(type, "none") == 0)
		return 0;
	if (strcmp(type, "text") == 0)
		return sandbox_req_add(r, SANDBOX_TEMPLATE, json_object_is_type(b,
		    json_type_string) ? json_object_get_string(b) : jsonh_str(b), err, errlen);
	return node_eval_add_tree(r, b, err, errlen);
}

/* Adds the rendered headers (results from "*i"); sets "*has_ctype" when Content-Type is
 * among them. */
static int
http_headers(struct http_call *h, json_object *res, size_t *i, int *has_ctype, char *err,
    size_t errlen)
{
	json_object	*hs = jsonh_get_typed(h->c->node->config, "headers", json_type_object);

	if (hs == NULL)
		return 0;
	json_object_object_foreach(hs, k, v) {
		(void)v;
		if (fetch_header(&h->hdrs, k, http_text(json_object_array_get_idx(res, (*i)++)),
		    err, errlen) == -1)
			return -1;
		if (strcasecmp(k, "Content-Type") == 0)
			*has_ctype = 1;
	}
	return 0;
}

/* Sets h->req_body from the rendered body (results from "*i"). */
static void
http_body(struct http_call *h, json_object *res, size_t *i, int has_ctype)
{
	const char		*type = jsonh_get_string(h->c->node->config, "body_type");
	json_object		*b;
	struct curl_slist	*l;

	if (type == NULL || strcmp(type, "none") == 0)
		return;
	if (strcmp(type, "text") == 0) {
		h->req_body = xstrdup(http_text(json_object_array_get_idx(res, (*i)++)));
		return;
	}
	b = node_eval_rebuild_tree(json_object_object_get(h->c->node->config, "body"), res, i);
	h->req_body = xstrdup(jsonh_str(b));
	json_object_put(b);
	/* curl_slist_append fails only when it cannot allocate. */
	if (!has_ctype) {
		if ((l = curl_slist_append(h->hdrs, "Content-Type: application/json")) == NULL)
			xalloc_die(0);
		h->hdrs = l;
	}
}

/* Makes the output {status, headers, body}; a JSON answer's body is parsed. */
static json_object *
http_output(const struct fetch_result *r)
{
	json_object	*out = jsonh_new_object(), *body = NULL;
	const char	*ct = jsonh_get_string(r->headers, "content-type");
	char		 err[64];

	/* A JSON answer that does not parse is kept as text. */
	if (ct == NULL || strstr(ct, "json") == NULL || r->body->len == 0 ||
	    jsonh_parse(r->body->data, r->body->len, &body, err, sizeof(err)) == -1)
		body = jsonh_new_string_len(r->body->len ? r->body->data : "",
		    (int)r->body->len);
	/* The server chose these bytes: NUL (raw or "\u0000") and ill-formed UTF-8 would make
	 * an output PostgreSQL refuses, and the step could never be recorded. */
	body = jsonh_make_storable(body);
	json_object_object_add(out, "status", jsonh_new_int((int)r->status));
	json_object_object_add(out, "headers", json_object_get(r->headers));
	json_object_object_add(out, "body", body);
	return out;
}

void
node_http_outcome(json_object *config, const struct fetch_result *r, json_object **out,
    char *err, size_t errlen)
{
	json_object	*fail = json_object_object_get(config, "fail_on_status");

	*out = NULL;
	err[0] = '\0';
	if (r->error != NULL) {
		snprintf(err, errlen, "%s", r->error);
		return;
	}
	*out = http_output(r);
	if (r->status >= 400 && (fail == NULL || json_object_get_boolean(fail)))
		snprintf(err, errlen, "HTTP status %ld", r->status);
}

/* Headers left out of a request's key: credentials (a rotated token is the same request). */
static bool
http_secret_header(const char *line)
{
	static const char *const names[] = { "authorization:", "proxy-authorization:",
	    "cookie:", "x-api-key:", "api-key:" };
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strncasecmp(line, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

/* The key of the request about to go out (tape.h): method, URL, headers, body. */
static void
http_key(struct http_call *h, const char *method, const char *url)
{
	const struct curl_slist	*l;
	struct buf		 b;

	buf_init(&b);
	buf_printf(&b, "%s\n%s\n", method != NULL ? method : "GET", url);
	for (l = h->hdrs; l != NULL; l = l->next)
		if (!http_secret_header(l->data))
			buf_printf(&b, "%s\n", l->data);
	buf_printf(&b, "\n%s", h->req_body != NULL ? h->req_body : "");
	tape_key(TAPE_HTTP, b.data, b.len, h->key);
	buf_clear(&b);
}

/* Notes the request that went out with its answer ("out", "err": "" none). */
static void
http_note(struct http_call *h, json_object *out, const char *err)
{
	json_object	*resp = jsonh_new_object();

	json_object_object_add(resp, "output", json_object_get(out));
	json_object_object_add(resp, "error", jsonh_string_or_null(err[0] ? err : NULL));
	tape_note(h->c->tape, TAPE_HTTP, h->key, resp);
	json_object_put(resp);
}

static void
http_on_done(void *arg, const struct fetch_result *r)
{
	struct http_call	*h = arg;
	struct node_call	*c = h->c;
	json_object		*out;
	char			 err[256];

	node_http_outcome(c->node->config, r, &out, err, sizeof(err));
	if (r->error == NULL)
		trace_span_attr_int(&h->span, "http.response.status_code", r->status);
	otlp_span_end(&h->span, r->error != NULL || r->status >= 400 ? TRACE_STATUS_ERROR :
	    TRACE_STATUS_UNSET, r->error);
	http_note(h, out, err);
	c->priv = NULL;
	h->fetch = NULL;	/* it ends itself after this callback */
	http_call_free(h);
	c->done(c, out, err[0] ? err : NULL);
}

/* Whether "l" has a header "name" (case-insensitive). */
static bool
http_has_header(const struct curl_slist *l, const char *name)
{
	size_t	 n = strlen(name);

	for (; l != NULL; l = l->next)
		if (strncasecmp(l->data, name, n) == 0 && l->data[n] == ':')
			return true;
	return false;
}

/* Starts the span of the transfer "method" under the step's and sends it on as the request's
 * traceparent, unless the author set that header. Returns 0 or -1 with "err". */
static int
http_span_start(struct http_call *h, const char *method, char *err, size_t errlen)
{
	char	 tp[TRACE_PARENT_SIZE], name[32];

	if (!trace_ctx_valid(&h->c->trace))
		return 0;
	snprintf(name, sizeof(name), "%.16s", method != NULL ? method : "GET");
	if (!otlp_span_start(&h->span, &h->c->trace, name, TRACE_KIND_CLIENT))
		return 0;
	trace_span_attr_str(&h->span, "http.request.method", name);
	trace_span_attr_str(&h->span, "fragent.node_id", h->c->node->id);
	if (http_has_header(h->hdrs, "traceparent"))
		return 0;
	trace_format(&h->span.ctx, tp);
	return fetch_header(&h->hdrs, "traceparent", tp, err, errlen);
}

/* Starts the transfer with the rendered templates "res". Returns 0, or 1 when the recording
 * answers the request ("*replayed" holds the answer {output, error}, borrowed), or -1 with
 * "err". */
static int
http_start(struct http_call *h, json_object *res, json_object **replayed, char *err,
    size_t errlen)
{
	struct node_call	*c = h->c;
	struct fetch_req	 rq;
	json_object		*fr = json_object_object_get(c->node->config, "follow_redirects");
	size_t			 i = 1;
	int			 has_ctype = 0;

	if (http_headers(h, res, &i, &has_ctype, err, errlen) == -1)
		return -1;
	http_body(h, res, &i, has_ctype);
	http_key(h, jsonh_get_string(c->node->config, "method"),
	    http_text(json_object_array_get_idx(res, 0)));
	if (tape_play(c->tape, TAPE_HTTP, h->key, replayed))
		return 1;
	if (tape_refuses(c->tape, TAPE_HTTP, err, errlen))
		return -1;
	if (http_span_start(h, jsonh_get_string(c->node->config, "method"), err, errlen) == -1)
		return -1;
	memset(&rq, 0, sizeof(rq));
	rq.url = http_text(json_object_array_get_idx(res, 0));
	rq.method = jsonh_get_string(c->node->config, "method");
	rq.body = h->req_body;
	rq.headers = h->hdrs;
	h->hdrs = NULL;		/* the fetch owns them now */
	rq.max_bytes = h->max;
	rq.timeout_ms = c->timeout_ms;
	rq.follow_redirects = fr != NULL && json_object_get_boolean(fr);
	h->fetch = fetch_start(c->env->http, c->env->allow, &rq, http_on_done, h, err, errlen);
	return h->fetch == NULL ? -1 : 0;
}

/* The sandbox rendered the templates: start the transfer, or fail. */
static void
http_rendered(void *arg, json_object *res, const char *rerr)
{
	struct http_call	*h = arg;
	struct node_call	*c = h->c;
	json_object		*replayed = NULL, *out = NULL;
	const char		*fail;
	char			 err[320];
	int			 rc = -1;

	h->req = NULL;
	if (rerr == NULL && (rc = http_start(h, res, &replayed, err, sizeof(err))) == 0) {
		json_object_put(res);
		return;
	}
	json_object_put(res);
	c->priv = NULL;
	http_call_free(h);
	if (rc == 1) {
		/* Answered from the recording. */
		out = json_object_get(json_object_object_get(replayed, "output"));
		fail = jsonh_get_string(replayed, "error");
		c->done(c, out, fail);
		return;
	}
	c->done(c, NULL, rerr != NULL ? rerr : err);
}

static enum node_rc
http_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	struct http_call	*h;
	json_object		*mx = json_object_object_get(c->node->config,
				    "max_response_bytes");

	(void)out;
	h = xcalloc(1, sizeof(*h));
	h->c = c;
	h->max = mx != NULL ? (long)json_object_get_int64(mx) : HTTP_DEFAULT_MAX;
	if ((h->req = node_eval_req(c, err, errlen)) == NULL ||
	    http_templates(h->req, c->node->config, err, errlen) == -1) {
		http_call_free(h);
		return NODE_ERROR;
	}
	c->priv = h;
	sandbox_req_submit(h->req, c->timeout_ms, http_rendered, h);
	return NODE_PENDING;
}

static void
http_abort(struct node_call *c)
{
	http_call_free(c->priv);
	c->priv = NULL;
}

NODE_IMPL(http_request, http_run, http_abort);
#endif
