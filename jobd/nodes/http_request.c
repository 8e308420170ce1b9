/* http_request.c: the http_request node: renders method, URL, headers and body as templates
 * and runs the transfer through jobd/fetch.c (http/https only, the SSRF guard on every
 * address actually connected, size and time capped); outputs {status, headers, body}. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "expr.h"
#include "fetch.h"
#include "jsonh.h"
#include "node.h"

#define HTTP_DEFAULT_MAX	(1L << 20)

/* One transfer in flight (c->priv). */
struct http_call {
	struct node_call	*c;
	struct fetch		*fetch;
	struct curl_slist	*hdrs;
	char			*req_body;
	long			 max;
};

static void
http_call_free(struct http_call *h)
{
	if (h == NULL)
		return;
	curl_slist_free_all(h->hdrs);
	free(h->req_body);
	free(h);
}

/* Renders template "tmpl" into a heap string (non-strings as compact JSON). */
static char *
http_render_str(const char *tmpl, json_object *ctx, char *err, size_t errlen)
{
	json_object	*v = NULL;
	char		*s;

	if (expr_render_json(tmpl, ctx, &v, err, errlen) == -1)
		return NULL;
	s = strdup(v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) : jsonh_str(v));
	json_object_put(v);
	if (s == NULL)
		snprintf(err, errlen, "out of memory");
	return s;
}

/* Renders every string leaf of "tree" as a template; returns a new value or NULL on error
 * (with "*failed" set). */
static json_object *
http_render_tree(json_object *tree, json_object *ctx, int *failed, char *err, size_t errlen)
{
	json_object	*out = NULL, *v;
	size_t		 i;

	if (tree == NULL || *failed)
		return NULL;
	if (json_object_is_type(tree, json_type_string)) {
		if (expr_render_json(json_object_get_string(tree), ctx, &out, err, errlen) == -1)
			*failed = 1;
		return out;
	}
	if (json_object_is_type(tree, json_type_object)) {
		out = json_object_new_object();
		json_object_object_foreach(tree, k, m)
			json_object_object_add(out, k, http_render_tree(m, ctx, failed, err,
			    errlen));
		return out;
	}
	if (json_object_is_type(tree, json_type_array)) {
		out = json_object_new_array();
		for (i = 0; i < json_object_array_length(tree); i++) {
			v = http_render_tree(json_object_array_get_idx(tree, i), ctx, failed, err,
			    errlen);
			json_object_array_add(out, v);
		}
		return out;
	}
	return json_object_get(tree);
}

/* Adds the rendered config.headers; sets "*has_ctype" when Content-Type is among them. */
static int
http_headers(struct http_call *h, json_object *ctx, int *has_ctype, char *err, size_t errlen)
{
	json_object	*hs = jsonh_get_typed(h->c->node->config, "headers", json_type_object);
	char		*val;
	int		 rc;

	if (hs == NULL)
		return 0;
	json_object_object_foreach(hs, k, v) {
		if ((val = http_render_str(json_object_get_string(v), ctx, err, errlen)) == NULL)
			return -1;
		rc = fetch_header(&h->hdrs, k, val, err, errlen);
		free(val);
		if (rc == -1)
			return -1;
		if (strcasecmp(k, "Content-Type") == 0)
			*has_ctype = 1;
	}
	return 0;
}

/* Renders the body (body_type json or text) into h->req_body. Returns 0 or -1. */
static int
http_body(struct http_call *h, json_object *ctx, int has_ctype, char *err, size_t errlen)
{
	const char	*type = jsonh_get_string(h->c->node->config, "body_type");
	json_object	*b = json_object_object_get(h->c->node->config, "body"), *r;
	int		 failed = 0;

	if (type == NULL || strcmp(type, "none") == 0)
		return 0;
	if (strcmp(type, "text") == 0) {
		h->req_body = http_render_str(json_object_is_type(b, json_type_string) ?
		    json_object_get_string(b) : jsonh_str(b), ctx, err, errlen);
		return h->req_body == NULL ? -1 : 0;
	}
	r = http_render_tree(b, ctx, &failed, err, errlen);
	if (!failed && (h->req_body = strdup(jsonh_str(r))) == NULL)
		failed = 1;
	json_object_put(r);
	if (!failed && !has_ctype &&
	    (h->hdrs = curl_slist_append(h->hdrs, "Content-Type: application/json")) == NULL)
		failed = 1;
	return failed ? -1 : 0;
}

/* Makes the output {status, headers, body}; a JSON answer's body is parsed. */
static json_object *
http_output(const struct fetch_result *r)
{
	json_object	*out = json_object_new_object(), *body = NULL;
	const char	*ct = jsonh_get_string(r->headers, "content-type");
	char		 err[64];

	/* A JSON answer that does not parse is kept as text. */
	if (ct == NULL || strstr(ct, "json") == NULL || r->body->len == 0 ||
	    jsonh_parse(r->body->data, r->body->len, &body, err, sizeof(err)) == -1)
		body = json_object_new_string_len(r->body->len ? r->body->data : "",
		    (int)r->body->len);
	json_object_object_add(out, "status", json_object_new_int((int)r->status));
	json_object_object_add(out, "headers", json_object_get(r->headers));
	json_object_object_add(out, "body", body);
	return out;
}

static void
http_on_done(void *arg, const struct fetch_result *r)
{
	struct http_call	*h = arg;
	struct node_call	*c = h->c;
	json_object		*out = NULL;
	json_object		*fail = json_object_object_get(c->node->config, "fail_on_status");
	char			 err[256];

	err[0] = '\0';
	if (r->error != NULL)
		snprintf(err, sizeof(err), "%s", r->error);
	else {
		out = http_output(r);
		if (r->status >= 400 && (fail == NULL || json_object_get_boolean(fail)))
			snprintf(err, sizeof(err), "HTTP status %ld", r->status);
	}
	c->priv = NULL;
	http_call_free(h);
	c->done(c, out, err[0] ? err : NULL);
}

enum node_rc
node_http_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	struct http_call	*h;
	struct fetch_req	 rq;
	json_object		*mx = json_object_object_get(c->node->config,
				    "max_response_bytes");
	json_object		*fr = json_object_object_get(c->node->config,
				    "follow_redirects");
	char			*url = NULL;
	int			 has_ctype = 0;

	(void)out;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NODE_ERROR;
	}
	h->c = c;
	h->max = mx != NULL ? (long)json_object_get_int64(mx) : HTTP_DEFAULT_MAX;
	if ((url = http_render_str(jsonh_get_string(c->node->config, "url"), c->ctx, err,
	    errlen)) == NULL || http_headers(h, c->ctx, &has_ctype, err, errlen) == -1 ||
	    http_body(h, c->ctx, has_ctype, err, errlen) == -1)
		goto fail;
	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.method = jsonh_get_string(c->node->config, "method");
	rq.body = h->req_body;
	rq.headers = h->hdrs;
	h->hdrs = NULL;		/* the fetch owns them now */
	rq.max_bytes = h->max;
	rq.timeout_ms = c->timeout_ms;
	rq.follow_redirects = fr != NULL && json_object_get_boolean(fr);
	if ((h->fetch = fetch_start(c->env->http, c->env->allow, &rq, http_on_done, h, err,
	    errlen)) == NULL)
		goto fail;
	free(url);
	c->priv = h;
	return NODE_PENDING;
fail:
	free(url);
	http_call_free(h);
	return NODE_ERROR;
}

void
node_http_abort(struct node_call *c)
{
	struct http_call	*h = c->priv;

	if (h == NULL)
		return;
	fetch_cancel(h->fetch);
	c->priv = NULL;
	http_call_free(h);
}
