/* fetch.c: one guarded outbound HTTP(S) transfer (see fetch.h). The SSRF guard
 * (jobd/netguard.c) judges every address connected and every connection used, so neither DNS
 * answers, redirects nor pooled connections can lead it elsewhere. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch.h"
#include "fetch_resp.h"
#include "httpc.h"
#include "netguard.h"
#include "xalloc.h"

#define FETCH_MAX_REDIRS	5L
#define FETCH_CONNECT_MS	10000L	/* connect timeout cap */

struct fetch {
	struct httpc		*hc;
	struct netguard		 guard;		/* use SSRF_USE_HTTP */
	CURL			*easy;
	struct curl_slist	*hdrs;
	struct fetch_resp	 resp;
	long			 timeout_ms;
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
	fetch_resp_clear(&f->resp);
	free(f);
}

int
fetch_header(struct curl_slist **list, const char *name, const char *value, char *err,
    size_t errlen)
{
	struct curl_slist	*l;
	struct buf		 line;

	if (name[0] == '\0' || strpbrk(name, "\r\n:") != NULL || value == NULL ||
	    strpbrk(value, "\r\n") != NULL) {
		snprintf(err, errlen, "header \"%.64s\": line breaks are not allowed", name);
		return -1;
	}
	buf_init(&line);
	buf_puts(&line, name);
	buf_puts(&line, ": ");
	buf_puts(&line, value);
	/* curl_slist_append fails only when it cannot allocate. */
	if ((l = curl_slist_append(*list, line.data)) == NULL)
		xalloc_die(line.len + 1);
	buf_clear(&line);
	*list = l;
	return 0;
}

/* CURLOPT_WRITEFUNCTION: the body, under its cap. */
static size_t
fetch_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;

	return fetch_resp_body(&f->resp, p, size * n) == 0 ? size * n : 0;	/* 0 aborts */
}

/* CURLOPT_HEADERFUNCTION: one header line. */
static size_t
fetch_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct fetch	*f = arg;

	fetch_resp_header(&f->resp, p, size * n);
	return size * n;
}

static void
fetch_on_done(CURL *easy, CURLcode res, void *arg)
{
	struct fetch		*f = arg;
	struct fetch_result	 r;
	char			 err[256];
	long			 status = 0;

	(void)easy;
	err[0] = '\0';
	if (f->guard.blocked)
		netguard_message(&f->guard, err, sizeof(err));
	else if (f->resp.too_big || res == CURLE_FILESIZE_EXCEEDED)
		snprintf(err, sizeof(err), "response larger than %ld bytes", f->resp.max);
	else if (res == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, sizeof(err), "timed out after %ld ms", f->timeout_ms);
	else if (res == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(err, sizeof(err), "only http and https URLs are allowed");
	else if (res != CURLE_OK)
		snprintf(err, sizeof(err), "%s", curl_easy_strerror(res));
	else
		curl_easy_getinfo(f->easy, CURLINFO_RESPONSE_CODE, &status);
	fetch_resp_result(&f->resp, err[0] != '\0' ? err : NULL, status, &r);
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
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)f->resp.max);
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

	f = xcalloc(1, sizeof(*f));
	f->hc = hc;
	f->guard.allow = allow;
	f->guard.use = SSRF_USE_HTTP;
	f->hdrs = rq->headers;
	rq->headers = NULL;
	fetch_resp_init(&f->resp, rq->max_bytes);
	f->timeout_ms = rq->timeout_ms;
	f->done = done;
	f->arg = arg;
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
