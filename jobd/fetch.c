/* fetch.c: one guarded outbound HTTP(S) transfer (see fetch.h). The SSRF guard
 * (jobd/netguard.c) judges every address connected and every connection used, so neither DNS
 * answers, redirects nor pooled connections can lead it elsewhere. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "fetch.h"
#include "httpc.h"
#include "netguard.h"

#define FETCH_MAX_REDIRS	5L
#define FETCH_MAX_HEADERS	100	/* response headers kept */
#define FETCH_CONNECT_MS	10000L	/* connect timeout cap */

struct fetch {
	struct httpc		*hc;
	struct netguard		 guard;		/* use SSRF_USE_HTTP */
	CURL			*easy;
	struct curl_slist	*hdrs;
	struct buf		 body;
	json_object		*resp_headers;
	long			 max, timeout_ms;
	int			 too_big;
	fetch_done_fn		 done;
	void			*arg;
};

static void
fetch_free(struct fetch *f)
{
	if (f == NULL)
		return;
	if (f->easy != NULL)
		curl_easy_cleanup(f->easy);
	curl_slist_free_all(f->hdrs);
	buf_clear(&f->body);
	json_object_put(f->resp_headers);
	free(f);
}

int
fetch_header(struct curl_slist **list, const char *name, const char *value, char *err,
    size_t errlen)
{
	struct curl_slist	*l;
	struct buf		 line;
	int			 rc;

	if (name[0] == '\0' || strpbrk(name, "\r\n:") != NULL || value == NULL ||
	    strpbrk(value, "\r\n") != NULL) {
		snprintf(err, errlen, "header \"%.64s\": line breaks are not allowed", name);
		return -1;
	}
	buf_init(&line);
	rc = buf_printf(&line, "%s: %s", name, value);
	if (rc == -1 || (l = curl_slist_append(*list, line.data)) == NULL) {
		buf_clear(&line);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	buf_clear(&line);
	*list = l;
	return 0;
}

static size_t
fetch_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;

	if (f->body.len + size * n > (size_t)f->max) {
		f->too_big = 1;
		return 0;	/* aborts the transfer */
	}
	return buf_append(&f->body, p, size * n) == 0 ? size * n : 0;
}

/* Collects "Name: value" lines; a redirect's headers are replaced by the next response's. */
static size_t
fetch_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;
	size_t		 len = size * n, k, v;
	char		 name[128];

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		json_object_put(f->resp_headers);
		f->resp_headers = json_object_new_object();
		return len;
	}
	for (k = 0; k < len && p[k] != ':'; k++)
		;
	if (k == len || k == 0 || k >= sizeof(name) || f->resp_headers == NULL ||
	    json_object_object_length(f->resp_headers) >= FETCH_MAX_HEADERS)
		return len;
	for (v = 0; v < k; v++)
		name[v] = (char)((p[v] >= 'A' && p[v] <= 'Z') ? p[v] + 32 : p[v]);
	name[k] = '\0';
	for (v = k + 1; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
		;
	while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	json_object_object_add(f->resp_headers, name,
	    json_object_new_string_len(p + v, (int)(len - v)));
	return size * n;
}

static void
fetch_on_done(CURL *easy, CURLcode res, void *arg)
{
	struct fetch		*f = arg;
	struct fetch_result	 r;
	char			 err[256];

	(void)easy;
	memset(&r, 0, sizeof(r));
	err[0] = '\0';
	if (f->guard.blocked)
		netguard_message(&f->guard, err, sizeof(err));
	else if (f->too_big || res == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, sizeof(err), "response larger than %ld bytes", f->max);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, sizeof(err), "timed out after %ld ms", f->timeout_ms);
	else if (res == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(err, sizeof(err), "only http and https URLs are allowed");
	else if (res != CURLE_OK)
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(res));
	else
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &r.status);
	if (f->resp_headers == NULL)
		f->resp_headers = json_object_new_object();
	r.error = err[0] != '\0' ? err : NULL;
	r.body = &f->body;
	r.headers = f->resp_headers;
	f->done(f->arg, &r);
	fetch_free(f);
}

/* Sets the transfer's options. Returns 0 or -1. */
static int
fetch_setup(struct fetch *f, const struct fetch_req *rq)
{
	CURL		*e = f->easy;
	const char	*method = rq->method != NULL ? rq->method : "GET";
	long		 to = rq->timeout_ms;

	if (curl_easy_setopt(e, CURLOPT_URL, rq->url) != CURLE_OK ||
	    netguard_attach(e, &f->guard) == -1)
		return -1;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, fetch_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, f);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, fetch_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, f);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->max);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, to < FETCH_CONNECT_MS ? to :
	    FETCH_CONNECT_MS);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "fragent/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, rq->follow_redirects ? 1L : 0L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, FETCH_MAX_REDIRS);
	if (strcmp(method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	if (rq->body != NULL) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(rq->body));
	}
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, f->hdrs);
	return 0;
}

struct fetch *
fetch_start(struct httpc *hc, const struct ssrf_allow *allow, struct fetch_req *rq,
    fetch_done_fn done, void *arg, char *err, size_t errlen)
{
	struct fetch	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL) {
		curl_slist_free_all(rq->headers);
		rq->headers = NULL;
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->hc = hc;
	f->guard.allow = allow;
	f->guard.use = SSRF_USE_HTTP;
	f->hdrs = rq->headers;
	rq->headers = NULL;
	f->max = rq->max_bytes;
	f->timeout_ms = rq->timeout_ms;
	f->done = done;
	f->arg = arg;
	buf_init(&f->body);
	if ((f->easy = curl_easy_init()) == NULL || fetch_setup(f, rq) == -1) {
		snprintf(err, errlen, "cannot prepare the request (URL \"%.100s\")", rq->url);
		fetch_free(f);
		return NULL;
	}
	if (httpc_start(hc, SSRF_USE_HTTP, f->easy, fetch_on_done, f) == -1) {
		snprintf(err, errlen, "cannot start the request");
		fetch_free(f);
		return NULL;
	}
	return f;
}

void
fetch_cancel(struct fetch *f)
{
	if (f == NULL)
		return;
	httpc_cancel(f->hc, f->easy);
	fetch_free(f);
}
