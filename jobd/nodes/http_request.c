/* http_request.c: the http_request node: renders method, URL, headers and body, runs the
 * transfer on the worker's curl multi handle, and outputs {status, headers, body}. Only
 * http/https; every connection (redirects included) passes the SSRF guard on the address
 * actually connected; the response size and the time are capped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "expr.h"
#include "httpc.h"
#include "jsonh.h"
#include "node.h"
#include "ssrf.h"

#define HTTP_DEFAULT_MAX	(1L << 20)
#define HTTP_MAX_REDIRS		5L

/* One transfer in flight (c->priv). */
struct http_call {
	struct node_call	*c;
	CURL			*easy;
	struct curl_slist	*hdrs;
	char			*req_body;
	struct buf		 body;
	json_object		*resp_headers;
	long			 max;
	int			 too_big;
	int			 blocked;
	char			 why[160];
};

static void
http_call_free(struct http_call *h)
{
	if (h == NULL)
		return;
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->hdrs);
	free(h->req_body);
	buf_clear(&h->body);
	json_object_put(h->resp_headers);
	free(h);
}

/* CURLOPT_OPENSOCKETFUNCTION: the SSRF guard, on the address curl is about to connect. */
static curl_socket_t
http_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct http_call	*h = arg;

	(void)purpose;
	if (ssrf_check(h->c->env->allow, &a->addr, a->addrlen, h->why, sizeof(h->why)) == -1) {
		h->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
http_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct http_call	*h = arg;

	if (h->body.len + size * n > (size_t)h->max) {
		h->too_big = 1;
		return 0;	/* aborts the transfer */
	}
	return buf_append(&h->body, p, size * n) == 0 ? size * n : 0;
}

/* Collects "Name: value" lines; a redirect's headers are replaced by the next response's. */
static size_t
http_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct http_call	*h = arg;
	size_t			 len = size * n, k, v;
	char			 name[128];

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		json_object_put(h->resp_headers);
		h->resp_headers = json_object_new_object();
		return len;
	}
	for (k = 0; k < len && p[k] != ':'; k++)
		;
	if (k == len || k == 0 || k >= sizeof(name) || h->resp_headers == NULL ||
	    json_object_object_length(h->resp_headers) >= 100)
		return len;
	for (v = 0; v < k; v++)
		name[v] = (char)((p[v] >= 'A' && p[v] <= 'Z') ? p[v] + 32 : p[v]);
	name[k] = '\0';
	for (v = k + 1; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
		;
	while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	json_object_object_add(h->resp_headers, name,
	    json_object_new_string_len(p + v, (int)(len - v)));
	return size * n;
}

/* Renders template "tmpl" into a heap string (non-strings as compact JSON). */
static char *
http_render_str(const char *tmpl, json_object *ctx, char *err, size_t errlen)
{
	json_object	*v = NULL;
	char		*s;

	if (expr_render(tmpl, ctx, &v, err, errlen) == -1)
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
		if (expr_render(json_object_get_string(tree), ctx, &out, err, errlen) == -1)
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
	struct curl_slist *l;
	struct buf	 line;
	char		*val;
	int		 rc = 0;

	buf_init(&line);
	if (hs == NULL)
		return 0;
	json_object_object_foreach(hs, k, v) {
		if ((val = http_render_str(json_object_get_string(v), ctx, err, errlen)) == NULL)
			return -1;
		if (strpbrk(k, "\r\n:") != NULL || strpbrk(val, "\r\n") != NULL) {
			snprintf(err, errlen, "header \"%s\": line breaks are not allowed", k);
			free(val);
			return -1;
		}
		buf_reset(&line);
		rc = buf_printf(&line, "%s: %s", k, val);
		free(val);
		if (rc == -1 || (l = curl_slist_append(h->hdrs, line.data)) == NULL) {
			buf_clear(&line);
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		h->hdrs = l;
		if (strcasecmp(k, "Content-Type") == 0)
			*has_ctype = 1;
	}
	buf_clear(&line);
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
http_output(struct http_call *h, long status)
{
	json_object	*out = json_object_new_object(), *body = NULL;
	const char	*ct = NULL;
	char		 err[64];

	if (h->resp_headers != NULL)
		ct = jsonh_get_string(h->resp_headers, "content-type");
	/* A JSON answer that does not parse is kept as text. */
	if (ct == NULL || strstr(ct, "json") == NULL || h->body.len == 0 ||
	    jsonh_parse(h->body.data, h->body.len, &body, err, sizeof(err)) == -1)
		body = json_object_new_string_len(h->body.len ? h->body.data : "",
		    (int)h->body.len);
	json_object_object_add(out, "status", json_object_new_int((int)status));
	json_object_object_add(out, "headers", h->resp_headers != NULL ?
	    json_object_get(h->resp_headers) : json_object_new_object());
	json_object_object_add(out, "body", body);
	return out;
}

static void
http_on_done(CURL *easy, CURLcode res, void *arg)
{
	struct http_call	*h = arg;
	struct node_call	*c = h->c;
	json_object		*out = NULL;
	json_object		*fail = json_object_object_get(c->node->config, "fail_on_status");
	char			 err[256];
	long			 status = 0;

	(void)easy;
	err[0] = '\0';
	if (h->blocked)
		snprintf(err, sizeof(err), "refused by the SSRF guard: %s", h->why);
	else if (h->too_big || res == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, sizeof(err), "response larger than %ld bytes", h->max);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, sizeof(err), "timed out after %ld ms", c->timeout_ms);
	else if (res == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(err, sizeof(err), "only http and https URLs are allowed");
	else if (res != CURLE_OK)
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(res));
	else {
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
		out = http_output(h, status);
		if (status >= 400 && (fail == NULL || json_object_get_boolean(fail)))
			snprintf(err, sizeof(err), "HTTP status %ld", status);
	}
	c->priv = NULL;
	http_call_free(h);
	c->done(c, out, err[0] ? err : NULL);
}

/* Sets the transfer's options. Returns 0 or -1. */
static int
http_setup(struct http_call *h, const char *url, const char *method)
{
	CURL	*e = h->easy;
	long	 to = h->c->timeout_ms;
	json_object *fr = json_object_object_get(h->c->node->config, "follow_redirects");

	if (curl_easy_setopt(e, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK)
		return -1;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");		/* the guard must see the real peer */
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, http_open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, http_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, http_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->max);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, to < 10000 ? to : 10000L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "fragent/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, fr != NULL && json_object_get_boolean(fr) ?
	    1L : 0L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRS);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (h->req_body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, h->req_body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(h->req_body));
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->hdrs);
	return 0;
}

enum node_rc
node_http_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	struct http_call	*h;
	const char		*method = jsonh_get_string(c->node->config, "method");
	json_object		*mx = json_object_object_get(c->node->config,
				    "max_response_bytes");
	char			*url = NULL;
	int			 has_ctype = 0;

	(void)out;
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NODE_ERROR;
	}
	h->c = c;
	buf_init(&h->body);
	h->max = mx != NULL ? (long)json_object_get_int64(mx) : HTTP_DEFAULT_MAX;
	if (method == NULL)
		method = "GET";
	if ((url = http_render_str(jsonh_get_string(c->node->config, "url"), c->ctx, err,
	    errlen)) == NULL || http_headers(h, c->ctx, &has_ctype, err, errlen) == -1 ||
	    http_body(h, c->ctx, has_ctype, err, errlen) == -1)
		goto fail;
	if ((h->easy = curl_easy_init()) == NULL || http_setup(h, url, method) == -1) {
		snprintf(err, errlen, "cannot prepare the request (URL \"%.100s\")", url);
		goto fail;
	}
	if (httpc_start(c->env->http, h->easy, http_on_done, h) == -1) {
		snprintf(err, errlen, "cannot start the request");
		goto fail;
	}
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
	httpc_cancel(c->env->http, h->easy);
	c->priv = NULL;
	http_call_free(h);
}
