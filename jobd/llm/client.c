/* client.c: one LLM call on the loop (see client.h): attempts, streaming, retries, cancel. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "buf.h"
#include "client.h"
#include "httpc.h"
#include "netguard.h"
#include "xalloc.h"

struct llmc {
	struct event_base		*base;
	struct httpc			*http;
	const struct llm_provider	*p;
	char				*url;
	char				*body;
	struct curl_slist		*hdrs;		/* holds the key: wiped before freeing */
	char				*key;		/* redacted from errors; wiped too */
	struct netguard			 guard;		/* SSRF_USE_MODEL */
	bool				 stream;
	struct llmc_opts		 o;
	llm_delta_fn			 on_delta;
	llmc_done_fn			 done;
	void				*arg;
	CURL				*easy;		/* the attempt in flight, or NULL */
	struct event			*wait;		/* back-off timer */
	struct llm_reply		 reply;
	struct buf			 raw;		/* a non-SSE body (answer or error) */
	long				 status;
	long				 retry_after_ms;
	int				 sse;		/* the answer is an event stream */
	int				 attempts;
	int				 failed;	/* the stream parser gave up: "why" */
	int				 too_big;
	size_t				 received;
	char				 why[256];
};

static void	llmc_attempt(struct llmc *c);

static void
llmc_wipe_headers(struct curl_slist *l)
{
	for (; l != NULL; l = l->next)
		memset(l->data, 0, strlen(l->data));
}

static void
llmc_free(struct llmc *c)
{
	if (c == NULL)
		return;
	if (c->easy != NULL)
		curl_easy_cleanup(c->easy);
	if (c->wait != NULL)
		event_free(c->wait);
	llmc_wipe_headers(c->hdrs);
	curl_slist_free_all(c->hdrs);
	if (c->key != NULL) {
		explicit_bzero(c->key, strlen(c->key));
		free(c->key);
	}
	free(c->url);
	free(c->body);
	llm_reply_clear(&c->reply);
	buf_clear(&c->raw);
	free(c);
}

long
llmc_retry_after(const char *v, long now)
{
	struct tm	 tm;
	const char	*end;
	long		 s = 0;

	if (v == NULL)
		return -1;
	while (*v == ' ')
		v++;
	if (isdigit((unsigned char)*v)) {
		for (; isdigit((unsigned char)*v) && s < 86400; v++)
			s = s * 10 + (*v - '0');
		return s * 1000;
	}
	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(v, "%a, %d %b %Y %H:%M:%S GMT", &tm)) == NULL)
		return -1;
	s = (long)timegm(&tm) - now;
	return s > 0 ? s * 1000 : 0;
}

/* ---------------------------------------------------------------- curl callbacks */

static size_t
llmc_on_header(char *p, size_t size, size_t n, void *arg)
{
	struct llmc	*c = arg;
	size_t		 len = size * n;
	char		 v[128];

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		c->retry_after_ms = -1;
		c->sse = 0;
		return len;
	}
	if (len > 12 && strncasecmp(p, "Retry-After:", 12) == 0) {
		snprintf(v, sizeof(v), "%.*s", (int)(len - 12 < sizeof(v) - 1 ? len - 12 :
		    sizeof(v) - 1), p + 12);
		c->retry_after_ms = llmc_retry_after(v, (long)time(NULL));
	} else if (len > 13 && strncasecmp(p, "Content-Type:", 13) == 0)
		c->sse = memmem(p, len, "text/event-stream", 17) != NULL;
	return len;
}

static size_t
llmc_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct llmc	*c = arg;
	size_t		 len = size * n;

	if (c->received + len > (size_t)LLM_MAX_BODY) {
		c->too_big = 1;
		return 0;
	}
	c->received += len;
	if (c->status == 0)
		curl_easy_getinfo(c->easy, CURLINFO_RESPONSE_CODE, &c->status);
	if (c->sse && c->status >= 200 && c->status < 300) {
		if (llm_sse_feed(c->p, &c->reply, p, len, c->why, sizeof(c->why)) == -1) {
			c->failed = 1;
			return 0;	/* aborts the transfer */
		}
		return len;
	}
	buf_append(&c->raw, p, len);
	return len;
}

/* ---------------------------------------------------------------- ending */

/* Hands the result over and frees the call. An error passes through llm_excerpt once more
 * with the call's key, so that no part of it reaches the message however the vendor echoed
 * it. */
static void
llmc_finish(struct llmc *c, int rc, const char *err)
{
	char	 clean[640];	/* the longest message below, and room for redactions */

	if (err != NULL)
		llm_excerpt(err, strlen(err), c->key, clean, sizeof(clean));
	c->done(c->arg, &c->reply, rc, err != NULL ? clean : NULL);
	llmc_free(c);
}

static void
llmc_on_wait(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	llmc_attempt(arg);
}

/* Schedules another attempt if one is left and nothing was streamed out yet. Returns 0 when
 * scheduled. */
static int
llmc_retry(struct llmc *c)
{
	struct timeval	 tv;
	long		 ms;

	if (c->attempts > c->o.max_retries || c->reply.text.len > 0)
		return -1;
	ms = c->o.backoff_ms << (c->attempts - 1 < 10 ? c->attempts - 1 : 10);
	if (c->retry_after_ms >= 0)
		ms = c->retry_after_ms;
	if (ms > c->o.max_wait_ms)
		return -1;		/* asked to wait longer than we are willing to */
	llm_reply_clear(&c->reply);
	c->reply.on_delta = c->on_delta;
	c->reply.delta_arg = c->arg;
	tv.tv_sec = ms / 1000;
	tv.tv_usec = ms % 1000 * 1000;
	return evtimer_add(c->wait, &tv) == 0 ? 0 : -1;
}

static int
llmc_retryable_status(long s)
{
	return s == 408 || s == 409 || s == 429 || s == 500 || s == 502 || s == 503 ||
	    s == 504 || s == 529;
}

static int
llmc_retryable_curl(CURLcode r)
{
	return r == CURLE_COULDNT_CONNECT || r == CURLE_GOT_NOTHING || r == CURLE_SEND_ERROR ||
	    r == CURLE_RECV_ERROR || r == CURLE_PARTIAL_FILE;
}

/* The attempt succeeded at the HTTP level (2xx): parse what came. */
static void
llmc_ok(struct llmc *c)
{
	char	 err[512], body[LLM_EXCERPT_MAX + 1];

	if (c->sse) {
		if (llm_sse_finish(c->p, &c->reply, c->why, sizeof(c->why)) == -1) {
			snprintf(err, sizeof(err), "provider stream: %s", c->why);
			llmc_finish(c, -1, err);
			return;
		}
		if (!c->reply.done && c->reply.finish == LLM_FINISH_NONE) {
			llmc_finish(c, -1, "provider stream ended before the answer was complete");
			return;
		}
		llmc_finish(c, 0, NULL);
		return;
	}
	if (c->p->parse_final(&c->reply, c->raw.len ? c->raw.data : "", c->raw.len, c->why,
	    sizeof(c->why)) == -1) {
		llm_error_text(c->raw.data, c->raw.len, body, sizeof(body));
		snprintf(err, sizeof(err), "provider answered %ld with an unusable body (%s): %s",
		    c->status, c->why, body);
		llmc_finish(c, -1, err);
		return;
	}
	llmc_finish(c, 0, NULL);
}

static void
llmc_on_done(CURL *easy, CURLcode res, void *arg)
{
	struct llmc	*c = arg;
	char		 err[512], body[256];

	curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &c->status);
	curl_easy_cleanup(easy);
	c->easy = NULL;
	if (c->guard.blocked) {
		netguard_message(&c->guard, body, sizeof(body));
		snprintf(err, sizeof(err), "model endpoint %s", body);
		llmc_finish(c, -1, err);
		return;
	}
	if (c->failed) {
		snprintf(err, sizeof(err), "provider stream: %s", c->why);
		llmc_finish(c, -1, err);
		return;
	}
	if (c->too_big) {
		snprintf(err, sizeof(err), "provider answer larger than %ld bytes", LLM_MAX_BODY);
		llmc_finish(c, -1, err);
		return;
	}
	if (res != CURLE_OK) {
		if (llmc_retryable_curl(res) && llmc_retry(c) == 0)
			return;
		snprintf(err, sizeof(err), "provider request failed: %s%s",
		    res == CURLE_OPERATION_TIMEDOUT ? "timed out" : curl_easy_strerror(res),
		    c->reply.text.len > 0 ? " (in the middle of the answer)" : "");
		llmc_finish(c, -1, err);
		return;
	}
	if (c->status >= 200 && c->status < 300) {
		llmc_ok(c);
		return;
	}
	if (llmc_retryable_status(c->status) && llmc_retry(c) == 0)
		return;
	if (c->status >= 300 && c->status < 400) {
		snprintf(err, sizeof(err), "provider answered %ld, a redirect: model calls follow "
		    "none (set base_url to the address that answers)", c->status);
		llmc_finish(c, -1, err);
		return;
	}
	llm_error_text(c->raw.data, c->raw.len, body, sizeof(body));
	snprintf(err, sizeof(err), "provider answered %ld%s: %s", c->status,
	    c->attempts > 1 ? " (after retries)" : "", body);
	llmc_finish(c, -1, err);
}

/* ---------------------------------------------------------------- attempts */

static int
llmc_setup(struct llmc *c, CURL *e)
{
	if (curl_easy_setopt(e, CURLOPT_URL, c->url) != CURLE_OK ||
	    netguard_attach(e, &c->guard) == -1)
		return -1;
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, c->body);
	curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(c->body));
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, llmc_on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, llmc_on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, c);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->o.connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->o.total_timeout_ms);
	/* Idle timeout: less than 1 byte/s for that long. */
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, (c->o.idle_timeout_ms + 999) / 1000);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "fragent/" PACKAGE_VERSION);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	return 0;
}

/* Starts one attempt's transfer in the model endpoints' connection pool. Returns 0 or -1. */
static int
llmc_open(struct llmc *c)
{
	c->attempts++;
	c->status = 0;
	c->received = 0;
	c->sse = 0;
	c->retry_after_ms = -1;
	buf_reset(&c->raw);
	if ((c->easy = curl_easy_init()) == NULL || llmc_setup(c, c->easy) == -1 ||
	    httpc_start(c->http, SSRF_USE_MODEL, c->easy, llmc_on_done, c) == -1)
		return -1;
	return 0;
}

static void
llmc_attempt(struct llmc *c)
{
	if (llmc_open(c) == -1)
		llmc_finish(c, -1, "cannot start the provider request");
}

static void
llmc_defaults(struct llmc_opts *o)
{
	if (o->connect_timeout_ms <= 0)
		o->connect_timeout_ms = 10000;
	if (o->idle_timeout_ms <= 0)
		o->idle_timeout_ms = 120000;
	if (o->total_timeout_ms <= 0)
		o->total_timeout_ms = 600000;
	if (o->max_retries < 0)
		o->max_retries = 0;
	else if (o->max_retries == 0)
		o->max_retries = 3;
	if (o->backoff_ms <= 0)
		o->backoff_ms = 500;
	if (o->max_wait_ms <= 0)
		o->max_wait_ms = 60000;
}

struct llmc *
llmc_start(struct event_base *base, struct httpc *http, const struct llmc_req *rq, char *err,
    size_t errlen)
{
	struct llmc	*c;

	c = xcalloc(1, sizeof(*c));
	c->base = base;
	c->http = http;
	c->p = rq->provider;
	c->stream = rq->stream;
	c->o = rq->opts;
	llmc_defaults(&c->o);
	c->on_delta = rq->on_delta;
	c->done = rq->done;
	c->arg = rq->arg;
	llm_reply_init(&c->reply);
	c->reply.on_delta = rq->on_delta;
	c->reply.delta_arg = rq->arg;
	buf_init(&c->raw);
	c->guard.allow = rq->allow;
	c->guard.use = SSRF_USE_MODEL;
	c->url = xstrdup(rq->url);
	c->body = xstrdup(rq->body);
	c->key = xstrdup(rq->api_key != NULL ? rq->api_key : "");
	rq->provider->headers(rq->api_key, &c->hdrs);
	if (rq->traceparent != NULL) {
		char	 tp[96];

		snprintf(tp, sizeof(tp), "traceparent: %s", rq->traceparent);
		llm_header_add(&c->hdrs, tp);
	}
	if ((c->wait = evtimer_new(base, llmc_on_wait, c)) == NULL) {
		snprintf(err, errlen, "cannot make a timer");
		llmc_free(c);
		return NULL;
	}
	if (llmc_open(c) == -1) {
		snprintf(err, errlen, "cannot start the provider request");
		llmc_free(c);
		return NULL;
	}
	return c;
}

void
llmc_cancel(struct llmc *c)
{
	if (c == NULL)
		return;
	if (c->easy != NULL) {
		httpc_cancel(c->http, c->easy);
		curl_easy_cleanup(c->easy);
		c->easy = NULL;
	}
	llmc_free(c);
}

int
llmc_attempts(const struct llmc *c)
{
	return c->attempts;
}
