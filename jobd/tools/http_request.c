/* http_request.c: the http_request tool: the model's {method, url, headers, body} run on the
 * worker's curl multi handle under the same SSRF guard as the HTTP node (jobd/ssrf.c, judged
 * on every address actually connected, redirects included), http/https only, with the time
 * and the size capped; returns {status, headers, body, truncated}. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "buf.h"
#include "httpc.h"
#include "jsonh.h"
#include "nodes/node.h"
#include "ssrf.h"
#include "tool.h"

#define HTTPT_MAX_BODY		(1L << 20)	/* bytes read */
#define HTTPT_SHOWN_BODY	(32L << 10)	/* bytes shown to the model */
#define HTTPT_TIMEOUT_MS	30000L

struct httpt {
	struct tool_call	*t;
	CURL			*easy;
	struct curl_slist	*hdrs;
	struct buf		 body;
	char			 ctype[128];
	int			 blocked, too_big;
	char			 why[160];
};

static void
httpt_free(struct httpt *h)
{
	if (h == NULL)
		return;
	if (h->easy != NULL)
		curl_easy_cleanup(h->easy);
	curl_slist_free_all(h->hdrs);
	buf_clear(&h->body);
	free(h);
}

static curl_socket_t
httpt_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct httpt	*h = arg;

	(void)purpose;
	if (ssrf_check(h->t->env->allow, &a->addr, a->addrlen, h->why, sizeof(h->why)) == -1) {
		h->blocked = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

static size_t
httpt_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct httpt	*h = arg;

	if (h->body.len + size * n > (size_t)HTTPT_MAX_BODY) {
		h->too_big = 1;
		return 0;
	}
	return buf_append(&h->body, p, size * n) == 0 ? size * n : 0;
}

static size_t
httpt_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct httpt	*h = arg;
	size_t		 len = size * n;

	if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0) {
		size_t	 v = 13, e = len;

		while (v < e && p[v] == ' ')
			v++;
		while (e > v && (p[e - 1] == '\r' || p[e - 1] == '\n'))
			e--;
		snprintf(h->ctype, sizeof(h->ctype), "%.*s", (int)(e - v), p + v);
	}
	return len;
}

/* The result for the model: a JSON body is parsed, text is cut to HTTPT_SHOWN_BODY. */
static json_object *
httpt_result(struct httpt *h, long status)
{
	json_object	*o = json_object_new_object(), *body = NULL;
	char		 err[64];
	size_t		 shown = h->body.len;
	int		 cut = 0;

	if (strstr(h->ctype, "json") != NULL && h->body.len > 0 &&
	    h->body.len <= (size_t)HTTPT_SHOWN_BODY &&
	    jsonh_parse(h->body.data, h->body.len, &body, err, sizeof(err)) == 0)
		;
	else {
		if (shown > (size_t)HTTPT_SHOWN_BODY) {
			shown = HTTPT_SHOWN_BODY;
			while (shown > 0 && ((unsigned char)h->body.data[shown] & 0xc0) == 0x80)
				shown--;	/* do not cut a UTF-8 character */
			cut = 1;
		}
		body = json_object_new_string_len(shown ? h->body.data : "", (int)shown);
	}
	json_object_object_add(o, "status", json_object_new_int((int)status));
	json_object_object_add(o, "content_type", json_object_new_string(h->ctype));
	json_object_object_add(o, "body", body);
	json_object_object_add(o, "truncated", json_object_new_boolean(cut));
	return o;
}

static void
httpt_on_done(CURL *easy, CURLcode res, void *arg)
{
	struct httpt		*h = arg;
	struct tool_call	*t = h->t;
	json_object		*out = NULL;
	char			 err[256] = "";
	long			 status = 0;

	(void)easy;
	if (h->blocked)
		snprintf(err, sizeof(err), "refused by the SSRF guard: %s", h->why);
	else if (h->too_big || res == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, sizeof(err), "response larger than %ld bytes", HTTPT_MAX_BODY);
	else if (res == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(err, sizeof(err), "only http and https URLs are allowed");
	else if (res != CURLE_OK)
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(res));
	else {
		curl_easy_getinfo(h->easy, CURLINFO_RESPONSE_CODE, &status);
		out = httpt_result(h, status);
	}
	t->priv = NULL;
	httpt_free(h);
	t->done(t, out, err[0] ? err : NULL);
}

/* Adds the model's headers (no line breaks). Returns 0, or -1 with a message. */
static int
httpt_headers(struct httpt *h, json_object *hs, char *err, size_t errlen)
{
	struct curl_slist	*l;
	struct buf		 line;
	int			 rc = 0;

	buf_init(&line);
	json_object_object_foreach(hs, k, v) {
		const char	*s = json_object_get_string(v);

		if (strpbrk(k, "\r\n:") != NULL || s == NULL || strpbrk(s, "\r\n") != NULL) {
			snprintf(err, errlen, "header \"%.64s\": invalid", k);
			rc = -1;
			break;
		}
		buf_reset(&line);
		if (buf_printf(&line, "%s: %s", k, s) == -1 ||
		    (l = curl_slist_append(h->hdrs, line.data)) == NULL) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		h->hdrs = l;
	}
	buf_clear(&line);
	return rc;
}

static void
httpt_setup(struct httpt *h, const char *url, const char *method, const char *body, long to)
{
	CURL	*e = h->easy;

	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, httpt_open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, h);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, httpt_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, httpt_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, h);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)HTTPT_MAX_BODY);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, to < 10000 ? to : 10000L);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "fragent/" PACKAGE_VERSION);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(body));
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, h->hdrs);
}

enum tool_rc
tool_http_request_run(struct tool_call *t, json_object **result, char *err, size_t errlen)
{
	struct httpt	*h;
	const char	*url = jsonh_get_string(t->args, "url");
	const char	*method = jsonh_get_string(t->args, "method");
	json_object	*hs = jsonh_get_typed(t->args, "headers", json_type_object);

	(void)result;
	if (url == NULL) {
		snprintf(err, errlen, "\"url\" is required");
		return TOOL_ERROR;
	}
	if (t->env == NULL || t->env->http == NULL) {
		snprintf(err, errlen, "HTTP is not available here");
		return TOOL_ERROR;
	}
	if ((h = calloc(1, sizeof(*h))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return TOOL_ERROR;
	}
	h->t = t;
	buf_init(&h->body);
	if (hs != NULL && httpt_headers(h, hs, err, errlen) == -1)
		goto fail;
	/* The body lives in t->args, which outlives the transfer. */
	if ((h->easy = curl_easy_init()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	httpt_setup(h, url, method ? method : "GET", jsonh_get_string(t->args, "body"),
	    t->timeout_ms > 0 ? t->timeout_ms : HTTPT_TIMEOUT_MS);
	if (httpc_start(t->env->http, h->easy, httpt_on_done, h) == -1) {
		snprintf(err, errlen, "cannot start the request");
		goto fail;
	}
	t->priv = h;
	return TOOL_PENDING;
fail:
	httpt_free(h);
	return TOOL_ERROR;
}

void
tool_http_request_abort(struct tool_call *t)
{
	struct httpt	*h = t->priv;

	if (h == NULL)
		return;
	httpc_cancel(t->env->http, h->easy);
	t->priv = NULL;
	httpt_free(h);
}
