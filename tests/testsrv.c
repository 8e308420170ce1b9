/* testsrv.c: a scripted local HTTP server for the engine's tests and benchmarks (libevent
 * evhttp, 127.0.0.1 only). Usage: testsrv [port [--stdin]] (port 0 or none: any free port);
 * it prints "port N" on standard output once listening, and stops on SIGTERM/SIGINT or, with
 * --stdin, when its standard input ends (the test that started it is gone).
 *
 *   ANY  /echo[...]          200 {method, path, query, headers, body}
 *   ANY  /status/<code>      <code> {"status": code}
 *   ANY  /delay/<ms>         200 {"delayed_ms": ms} after ms (≤ 600000)
 *   ANY  /count/<key>[?delay_ms=N&fail_first=F&status=S]  counts a call of <key> and answers
 *                            {"key","count"} after N ms; the first F calls (or all, with S)
 *                            answer status S (default 503) instead of 200, after N ms too
 *   GET  /counter/<key>      {"key","count"} without counting
 *   ANY  /big/<bytes>        200 with <bytes> bytes of "x" (≤ 64 MiB)
 *   ANY  /redirect?to=<url>  302 to <url>
 *   ANY  /bytes/<kind>       200 with what PostgreSQL cannot store: "nul" (text with NUL),
 *                            "latin1" (text, not UTF-8), "jsonnul" (JSON with \u0000),
 *                            "header" (a header value, not UTF-8)
 *   POST /v1/traces          an OTLP/HTTP JSON collector: keeps every span of the export
 *                            request (with "service": its resource's service.name); 200 {}
 *                            (415 unless application/json, 400 unless OTLP JSON)
 *   GET  /spans[?trace_id=T] {"spans": [...], "exports": n}: the spans kept (of trace T)
 *   POST /reset              forgets every counter and span
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <json-c/json.h>

#include "nitems.h"

#define SRV_MAX_COUNTERS	1024

struct counter {
	char	 key[64];
	long	 n;
};

#define SRV_MAX_SPANS		100000

static struct counter	 counters[SRV_MAX_COUNTERS];
static json_object	*spans;		/* the spans received, each with "service" */
static long		 exports;	/* export requests received */
static size_t		 ncounters;
static struct event_base *base;

/* Finds (or with "create", adds) counter "key". Returns NULL when full or absent. */
static struct counter *
srv_counter(const char *key, int create)
{
	size_t	 i;

	for (i = 0; i < ncounters; i++)
		if (strcmp(counters[i].key, key) == 0)
			return &counters[i];
	if (!create || ncounters == SRV_MAX_COUNTERS || strlen(key) >= sizeof(counters[0].key))
		return NULL;
	snprintf(counters[ncounters].key, sizeof(counters[0].key), "%s", key);
	counters[ncounters].n = 0;
	return &counters[ncounters++];
}

/* Sends "obj" (consumed) as JSON with "code". */
static void
srv_json(struct evhttp_request *req, int code, json_object *obj)
{
	struct evbuffer	*b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type",
	    "application/json");
	evbuffer_add_printf(b, "%s", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN));
	evhttp_send_reply(req, code, code < 400 ? "OK" : "Error", b);
	evbuffer_free(b);
	json_object_put(obj);
}

static const char *
srv_method(struct evhttp_request *req)
{
	switch (evhttp_request_get_command(req)) {
	case EVHTTP_REQ_GET: return "GET";
	case EVHTTP_REQ_POST: return "POST";
	case EVHTTP_REQ_PUT: return "PUT";
	case EVHTTP_REQ_PATCH: return "PATCH";
	case EVHTTP_REQ_DELETE: return "DELETE";
	case EVHTTP_REQ_HEAD: return "HEAD";
	case EVHTTP_REQ_OPTIONS: return "OPTIONS";
	default: return "OTHER";
	}
}

static void
srv_echo(struct evhttp_request *req)
{
	json_object	*o = json_object_new_object(), *h = json_object_new_object();
	struct evkeyvalq *in = evhttp_request_get_input_headers(req);
	struct evkeyval	*kv;
	struct evbuffer	*body = evhttp_request_get_input_buffer(req);
	const char	*q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	size_t		 n = evbuffer_get_length(body);
	char		*copy = malloc(n + 1);

	for (kv = in->tqh_first; kv != NULL; kv = kv->next.tqe_next)
		json_object_object_add(h, kv->key, json_object_new_string(kv->value));
	if (copy != NULL) {
		evbuffer_copyout(body, copy, n);
		copy[n] = '\0';
	}
	json_object_object_add(o, "method", json_object_new_string(srv_method(req)));
	json_object_object_add(o, "path", json_object_new_string(
	    evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req))));
	json_object_object_add(o, "query", q ? json_object_new_string(q) : NULL);
	json_object_object_add(o, "headers", h);
	json_object_object_add(o, "body", json_object_new_string(copy ? copy : ""));
	free(copy);
	srv_json(req, 200, o);
}

/* A reply held back for a while; all of them are listed so that a stop frees them. */
struct srv_later {
	struct evhttp_request	*req;
	int			 code;
	json_object		*obj;
	struct event		*ev;
	struct srv_later	*prev, *next;
};

static struct srv_later	*laters;

static void
srv_later_unlink(struct srv_later *l)
{
	if (l->prev != NULL)
		l->prev->next = l->next;
	else
		laters = l->next;
	if (l->next != NULL)
		l->next->prev = l->prev;
}

static void
srv_on_later(evutil_socket_t fd, short what, void *arg)
{
	struct srv_later	*l = arg;

	(void)fd;
	(void)what;
	srv_later_unlink(l);
	srv_json(l->req, l->code, l->obj);
	event_free(l->ev);
	free(l);
}

static void
srv_reply_later(struct evhttp_request *req, int code, json_object *obj, long ms)
{
	struct srv_later	*l;
	struct timeval		 tv = { ms / 1000, (ms % 1000) * 1000 };

	if (ms <= 0 || (l = calloc(1, sizeof(*l))) == NULL) {
		srv_json(req, code, obj);
		return;
	}
	l->req = req;
	l->code = code;
	l->obj = obj;
	l->ev = evtimer_new(base, srv_on_later, l);
	evtimer_add(l->ev, &tv);
	l->next = laters;
	if (laters != NULL)
		laters->prev = l;
	laters = l;
}

/* The value of query parameter "name" as a number, or "def". */
static long
srv_query_num(struct evhttp_request *req, const char *name, long def)
{
	struct evkeyvalq q;
	const char	*s = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req)), *v;
	long		 n = def;

	if (s == NULL || evhttp_parse_query_str(s, &q) != 0)
		return def;
	if ((v = evhttp_find_header(&q, name)) != NULL)
		n = atol(v);
	evhttp_clear_headers(&q);
	return n;
}

static void
srv_count(struct evhttp_request *req, const char *key, int add)
{
	struct counter	*c = srv_counter(key, add);
	json_object	*o = json_object_new_object();

	long		 st = srv_query_num(req, "status", 0), ff = srv_query_num(req, "fail_first", 0);

	if (c != NULL && add)
		c->n++;
	json_object_object_add(o, "key", json_object_new_string(key));
	json_object_object_add(o, "count", json_object_new_int64(c ? c->n : 0));
	if (add && c != NULL && (st >= 400 || c->n <= ff)) {
		srv_reply_later(req, st >= 400 && st <= 599 ? (int)st : 503, o,
		    srv_query_num(req, "delay_ms", 0));
		return;
	}
	srv_reply_later(req, 200, o, add ? srv_query_num(req, "delay_ms", 0) : 0);
}

static void
srv_big(struct evhttp_request *req, long n)
{
	struct evbuffer	*b = evbuffer_new();
	char		 chunk[4096];

	memset(chunk, 'x', sizeof(chunk));
	if (n < 0 || n > (64L << 20))
		n = 0;
	while (n > 0) {
		long k = n < (long)sizeof(chunk) ? n : (long)sizeof(chunk);

		evbuffer_add(b, chunk, (size_t)k);
		n -= k;
	}
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

static void
srv_redirect(struct evhttp_request *req)
{
	struct evkeyvalq q;
	const char	*s = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req)), *to;

	if (s == NULL || evhttp_parse_query_str(s, &q) != 0) {
		evhttp_send_reply(req, 400, "Bad Request", NULL);
		return;
	}
	if ((to = evhttp_find_header(&q, "to")) != NULL)
		evhttp_add_header(evhttp_request_get_output_headers(req), "Location", to);
	evhttp_send_reply(req, to ? 302 : 400, to ? "Found" : "Bad Request", NULL);
	evhttp_clear_headers(&q);
}

/* /bytes/<kind>: bodies and headers a server may send that are not storable text. */
static void
srv_bytes(struct evhttp_request *req, const char *kind)
{
	static const struct { const char *kind, *ctype, *body; size_t len; } bytes[] = {
		{ "nul", "text/plain", "a\0b", 3 },
		{ "latin1", "text/plain", "caf\xe9", 4 },
		{ "jsonnul", "application/json", "{\"a\":\"x\\u0000y\"}", 16 },
		{ "header", "text/plain", "ok", 2 },
	};
	struct evkeyvalq	*h = evhttp_request_get_output_headers(req);
	struct evbuffer		*b;
	size_t			 i;

	for (i = 0; i < NITEMS(bytes); i++)
		if (strcmp(bytes[i].kind, kind) == 0)
			break;
	if (i == NITEMS(bytes)) {
		evhttp_send_reply(req, 404, "Not Found", NULL);
		return;
	}
	b = evbuffer_new();
	evbuffer_add(b, bytes[i].body, bytes[i].len);
	evhttp_add_header(h, "Content-Type", bytes[i].ctype);
	if (strcmp(kind, "header") == 0)
		evhttp_add_header(h, "X-Bin", "caf\xe9");
	evhttp_send_reply(req, 200, "OK", b);
	evbuffer_free(b);
}

/* The value of resource attribute service.name in resourceSpans member "rs", or "". */
static const char *
srv_service(json_object *rs)
{
	json_object	*res, *attrs, *kv, *v, *s;
	size_t		 i;

	if (!json_object_object_get_ex(rs, "resource", &res) ||
	    !json_object_object_get_ex(res, "attributes", &attrs) ||
	    !json_object_is_type(attrs, json_type_array))
		return "";
	for (i = 0; i < json_object_array_length(attrs); i++) {
		kv = json_object_array_get_idx(attrs, i);
		if (json_object_object_get_ex(kv, "key", &v) &&
		    strcmp(json_object_get_string(v), "service.name") == 0 &&
		    json_object_object_get_ex(kv, "value", &v) &&
		    json_object_object_get_ex(v, "stringValue", &s))
			return json_object_get_string(s);
	}
	return "";
}

/* POST /v1/traces: keeps the spans of an OTLP JSON export request. */
static void
srv_traces(struct evhttp_request *req)
{
	struct evbuffer	*in = evhttp_request_get_input_buffer(req);
	const char	*ct = evhttp_find_header(evhttp_request_get_input_headers(req),
			    "Content-Type");
	json_object	*o, *rss, *sss, *ss, *list, *sp;
	size_t		 n = evbuffer_get_length(in), i, j, k;
	char		*body;

	if (ct == NULL || strncmp(ct, "application/json", 16) != 0) {
		evhttp_send_reply(req, 415, "Unsupported Media Type", NULL);
		return;
	}
	if ((body = malloc(n + 1)) == NULL) {
		evhttp_send_reply(req, 500, "Error", NULL);
		return;
	}
	evbuffer_copyout(in, body, n);
	body[n] = '\0';
	o = json_tokener_parse(body);
	free(body);
	if (o == NULL || !json_object_object_get_ex(o, "resourceSpans", &rss) ||
	    !json_object_is_type(rss, json_type_array)) {
		json_object_put(o);
		evhttp_send_reply(req, 400, "Bad Request", NULL);
		return;
	}
	exports++;
	for (i = 0; i < json_object_array_length(rss); i++) {
		json_object *rs = json_object_array_get_idx(rss, i);

		if (!json_object_object_get_ex(rs, "scopeSpans", &sss))
			continue;
		for (j = 0; j < json_object_array_length(sss); j++) {
			ss = json_object_array_get_idx(sss, j);
			if (!json_object_object_get_ex(ss, "spans", &list))
				continue;
			for (k = 0; k < json_object_array_length(list); k++) {
				if (json_object_array_length(spans) >= SRV_MAX_SPANS)
					break;
				sp = json_object_get(json_object_array_get_idx(list, k));
				json_object_object_add(sp, "service",
				    json_object_new_string(srv_service(rs)));
				json_object_array_add(spans, sp);
			}
		}
	}
	json_object_put(o);
	srv_json(req, 200, json_object_new_object());
}

/* GET /spans[?trace_id=T]. */
static void
srv_spans(struct evhttp_request *req)
{
	const char	*q = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	json_object	*o = json_object_new_object(), *a = json_object_new_array(), *sp, *t;
	struct evkeyvalq args;
	const char	*want = NULL;
	size_t		 i;

	TAILQ_INIT(&args);
	if (q != NULL && evhttp_parse_query_str(q, &args) == 0)
		want = evhttp_find_header(&args, "trace_id");
	for (i = 0; i < json_object_array_length(spans); i++) {
		sp = json_object_array_get_idx(spans, i);
		if (want == NULL || (json_object_object_get_ex(sp, "traceId", &t) &&
		    strcmp(json_object_get_string(t), want) == 0))
			json_object_array_add(a, json_object_get(sp));
	}
	evhttp_clear_headers(&args);
	json_object_object_add(o, "spans", a);
	json_object_object_add(o, "exports", json_object_new_int64(exports));
	srv_json(req, 200, o);
}

static void
srv_handle(struct evhttp_request *req, void *arg)
{
	const char	*p = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
	json_object	*o;

	(void)arg;
	if (p == NULL)
		p = "/";
	if (strncmp(p, "/echo", 5) == 0)
		srv_echo(req);
	else if (strncmp(p, "/status/", 8) == 0) {
		int code = atoi(p + 8);

		if (code < 100 || code > 599)
			code = 400;
		o = json_object_new_object();
		json_object_object_add(o, "status", json_object_new_int(code));
		srv_json(req, code, o);
	} else if (strncmp(p, "/delay/", 7) == 0) {
		long ms = atol(p + 7);

		if (ms < 0 || ms > 600000)
			ms = 0;
		o = json_object_new_object();
		json_object_object_add(o, "delayed_ms", json_object_new_int64(ms));
		srv_reply_later(req, 200, o, ms);
	} else if (strncmp(p, "/count/", 7) == 0)
		srv_count(req, p + 7, 1);
	else if (strncmp(p, "/counter/", 9) == 0)
		srv_count(req, p + 9, 0);
	else if (strncmp(p, "/big/", 5) == 0)
		srv_big(req, atol(p + 5));
	else if (strcmp(p, "/redirect") == 0)
		srv_redirect(req);
	else if (strncmp(p, "/bytes/", 7) == 0)
		srv_bytes(req, p + 7);
	else if (strcmp(p, "/v1/traces") == 0)
		srv_traces(req);
	else if (strcmp(p, "/spans") == 0)
		srv_spans(req);
	else if (strcmp(p, "/reset") == 0) {
		ncounters = 0;
		json_object_put(spans);
		spans = json_object_new_array();
		exports = 0;
		srv_json(req, 200, json_object_new_object());
	} else
		evhttp_send_reply(req, 404, "Not Found", NULL);
}

static void
srv_on_stop(evutil_socket_t fd, short what, void *arg)
{
	char	 c;

	(void)what;
	(void)arg;
	/* stdin readable: EOF (the test ended) stops us; other input is ignored. */
	if (fd == STDIN_FILENO && read(STDIN_FILENO, &c, 1) > 0)
		return;
	event_base_loopexit(base, NULL);
}

int
main(int argc, char *argv[])
{
	struct evhttp			*http;
	struct evhttp_bound_socket	*bs;
	struct event			*sterm, *sint, *in;
	struct sockaddr_storage		 ss;
	socklen_t			 sl = sizeof(ss);
	int				 port = argc > 1 ? atoi(argv[1]) : 0;

	signal(SIGPIPE, SIG_IGN);
	spans = json_object_new_array();
	if ((base = event_base_new()) == NULL || (http = evhttp_new(base)) == NULL)
		return 1;
	evhttp_set_allowed_methods(http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
	    EVHTTP_REQ_DELETE | EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS | EVHTTP_REQ_PATCH);
	evhttp_set_gencb(http, srv_handle, NULL);
	if ((bs = evhttp_bind_socket_with_handle(http, "127.0.0.1", (ev_uint16_t)port)) == NULL) {
		fprintf(stderr, "testsrv: cannot listen on 127.0.0.1:%d\n", port);
		return 1;
	}
	getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &sl);
	printf("port %d\n", ntohs(((struct sockaddr_in *)&ss)->sin_port));
	fflush(stdout);
	sterm = evsignal_new(base, SIGTERM, srv_on_stop, NULL);
	sint = evsignal_new(base, SIGINT, srv_on_stop, NULL);
	in = event_new(base, STDIN_FILENO, EV_READ | EV_PERSIST, srv_on_stop, NULL);
	evsignal_add(sterm, NULL);
	evsignal_add(sint, NULL);
	if (argc > 2 && strcmp(argv[2], "--stdin") == 0)
		event_add(in, NULL);
	event_base_dispatch(base);
	while (laters != NULL) {	/* replies still held back when told to stop */
		struct srv_later *l = laters;

		srv_later_unlink(l);
		event_free(l->ev);
		json_object_put(l->obj);
		free(l);
	}
	event_free(sterm);
	event_free(sint);
	event_free(in);
	evhttp_free(http);
	event_base_free(base);
	json_object_put(spans);
	return 0;
}
