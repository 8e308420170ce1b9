/* otlp.c: the span exporter thread and its queue (see otlp.h). */
#include "config.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "jsonh.h"
#include "log.h"
#include "otlp.h"
#include "xalloc.h"

#define OTLP_TIMEOUT_MS		10000	/* one export, at most */
#define OTLP_LAST_TIMEOUT_MS	2000	/* the last one, at shutdown */
#define OTLP_LOG_EVERY_S	60	/* failures logged at most this often */
#define OTLP_REDIS_PAUSE_S	10	/* Redis not asked again this long after a failure */

static struct {
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	bool			 on;
	bool			 stop;
	pthread_t		 thread;
	json_object		*q[OTLP_QUEUE_MAX];	/* ring of span objects */
	size_t			 head, n;
	unsigned long		 dropped;
	/* The exporter thread's own. */
	char			 url[2048];
	struct curl_slist	*hdrs;
	struct redis_url	 redis;
	time_t			 logged;
	unsigned long		 failures;
	time_t			 redis_after;	/* no LPOP before (Redis was away) */
} otlp = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

bool
otlp_enabled(void)
{
	return otlp.on;
}

unsigned long
otlp_dropped(void)
{
	unsigned long	 n;

	pthread_mutex_lock(&otlp.mu);
	n = otlp.dropped;
	pthread_mutex_unlock(&otlp.mu);
	return n;
}

void
otlp_emit(const struct trace_span *s)
{
	json_object	*o;

	if (!otlp.on || !trace_ctx_valid(&s->ctx))
		return;
	o = trace_span_json(s);
	pthread_mutex_lock(&otlp.mu);
	if (otlp.n == OTLP_QUEUE_MAX) {
		json_object_put(otlp.q[otlp.head]);
		otlp.head = (otlp.head + 1) % OTLP_QUEUE_MAX;
		otlp.n--;
		otlp.dropped++;
	}
	otlp.q[(otlp.head + otlp.n++) % OTLP_QUEUE_MAX] = o;
	if (otlp.n >= OTLP_BATCH)
		pthread_cond_signal(&otlp.cv);
	pthread_mutex_unlock(&otlp.mu);
}

bool
otlp_span_start(struct trace_span *s, const struct trace_ctx *parent, const char *name,
    enum trace_kind kind)
{
	if (!otlp.on || trace_span_start(s, parent, name, kind) == -1) {
		memset(s, 0, sizeof(*s));
		return false;
	}
	return true;
}

void
otlp_span_end(struct trace_span *s, enum trace_status status, const char *message)
{
	if (!trace_ctx_valid(&s->ctx))
		return;
	trace_span_end(s, status, message);
	otlp_emit(s);
	s->ctx.trace_id[0] = '\0';
}

/* Moves up to OTLP_BATCH queued spans into a new array; called locked. NULL when none. */
static json_object *
otlp_take(void)
{
	json_object	*a;

	if (otlp.n == 0)
		return NULL;
	a = jsonh_new_array();
	while (otlp.n > 0 && json_object_array_length(a) < OTLP_BATCH) {
		json_object_array_add(a, otlp.q[otlp.head]);
		otlp.head = (otlp.head + 1) % OTLP_QUEUE_MAX;
		otlp.n--;
	}
	return a;
}

/* Takes up to OTLP_BATCH of the API's spans from Redis ("rc"); NULL when none. A span that is
 * not a JSON object is skipped. A Redis that is away is left alone for OTLP_REDIS_PAUSE_S (a
 * connection attempt, and its log line, every second would help nobody). */
static json_object *
otlp_take_api(struct redis_conn *rc)
{
	const char	*argv[] = { "LPOP", TRACE_SPANS_KEY, "512" };
	redisReply	*r;
	json_object	*a = NULL, *o;
	size_t		 i;

	_Static_assert(OTLP_BATCH == 512, "the LPOP count is OTLP_BATCH");
	if (time(NULL) < otlp.redis_after)
		return NULL;
	if ((r = redis_conn_cmd(rc, 3, argv, NULL)) == NULL) {
		otlp.redis_after = time(NULL) + OTLP_REDIS_PAUSE_S;
		return NULL;
	}
	for (i = 0; r->type == REDIS_REPLY_ARRAY && i < r->elements; i++) {
		if (r->element[i]->type != REDIS_REPLY_STRING ||
		    (o = json_tokener_parse(r->element[i]->str)) == NULL)
			continue;
		if (!json_object_is_type(o, json_type_object)) {
			json_object_put(o);
			continue;
		}
		if (a == NULL)
			a = jsonh_new_array();
		json_object_array_add(a, o);
	}
	freeReplyObject(r);
	return a;
}

/* Logs a failed export of "n" spans, at most once every OTLP_LOG_EVERY_S. */
static void
otlp_failed(size_t n, const char *why)
{
	time_t	 now = time(NULL);

	otlp.failures++;
	pthread_mutex_lock(&otlp.mu);
	otlp.dropped += n;
	pthread_mutex_unlock(&otlp.mu);
	if (now - otlp.logged < OTLP_LOG_EVERY_S)
		return;
	otlp.logged = now;
	log_warn(NULL, "OTLP export to %s failed (%s): %zu spans dropped, %lu failures so far",
	    otlp.url, why, n, otlp.failures);
}

/* Posts "api" and "own" (arrays of spans, consumed, either may be NULL) as one request. */
static void
otlp_post(CURL *e, json_object *api, json_object *own, long timeout_ms)
{
	json_object	*rs = jsonh_new_array(), *req;
	const char	*body;
	char		 err[CURL_ERROR_SIZE] = "", why[64];
	size_t		 n = 0;
	long		 status = 0;
	CURLcode	 cc;

	if (api != NULL) {
		n += json_object_array_length(api);
		trace_resource_add(rs, "fragent-api", api);
	}
	if (own != NULL) {
		n += json_object_array_length(own);
		trace_resource_add(rs, "fragent-jobd", own);
	}
	req = trace_export_request(rs);
	body = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
	curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, err);
	cc = curl_easy_perform(e);
	if (cc == CURLE_OK)
		curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	if (cc != CURLE_OK)
		otlp_failed(n, err[0] != '\0' ? err : curl_easy_strerror(cc));
	else if (status < 200 || status > 299) {
		snprintf(why, sizeof(why), "status %ld", status);
		otlp_failed(n, why);
	}
	json_object_put(req);
}

/* A new easy handle for the collector: http(s) only, no redirects, no signals. */
static CURL *
otlp_easy(void)
{
	CURL	*e;

	if ((e = curl_easy_init()) == NULL)
		return NULL;
	curl_easy_setopt(e, CURLOPT_URL, otlp.url);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, otlp.hdrs);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "fragent-jobd/" PACKAGE_VERSION);
	return e;
}

/* The exporter thread: every OTLP_PERIOD_MS (at once while a whole batch is waiting, here or
 * in Redis) one request of what is queued here and in Redis; at the stop, one last request. */
static void *
otlp_main(void *arg)
{
	struct redis_conn	*rc = redis_conn_new(&otlp.redis);
	json_object		*own, *api;
	struct timespec		 until;
	CURL			*e = otlp_easy();
	bool			 stop = false, more = false;

	(void)arg;
	while (!stop && e != NULL) {
		pthread_mutex_lock(&otlp.mu);
		if (!otlp.stop && otlp.n < OTLP_BATCH && !more) {
			clock_gettime(CLOCK_REALTIME, &until);
			until.tv_nsec += (OTLP_PERIOD_MS % 1000) * 1000000L;
			until.tv_sec += OTLP_PERIOD_MS / 1000 + until.tv_nsec / 1000000000L;
			until.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&otlp.cv, &otlp.mu, &until);
		}
		stop = otlp.stop;
		own = otlp_take();
		pthread_mutex_unlock(&otlp.mu);
		api = otlp_take_api(rc);
		more = api != NULL && json_object_array_length(api) == OTLP_BATCH;
		if (own != NULL || api != NULL)
			otlp_post(e, api, own, stop ? OTLP_LAST_TIMEOUT_MS : OTLP_TIMEOUT_MS);
	}
	if (e == NULL)
		log_error(NULL, "OTLP exporter: curl cannot start; no spans are exported");
	curl_easy_cleanup(e);
	redis_conn_free(rc);
	return NULL;
}

/* Percent-decodes "s" in place (OTEL_EXPORTER_OTLP_HEADERS' form); a bad escape stays. */
static void
otlp_unescape(char *s)
{
	char	*w = s, hex[3] = "";

	for (; *s != '\0'; s++) {
		if (s[0] == '%' && s[1] != '\0' && s[2] != '\0' &&
		    strspn((memcpy(hex, s + 1, 2), hex), "0123456789abcdefABCDEF") == 2) {
			*w++ = (char)strtol(hex, NULL, 16);
			s += 2;
		} else
			*w++ = *s;
	}
	*w = '\0';
}

/* Builds otlp.hdrs from "list" (name=value pairs separated by commas, values percent-encoded).
 * Returns 0, or -1 for a pair that is no header. */
static int
otlp_headers(const char *list)
{
	char	*copy = xstrdup(list), *pair, *save = NULL, *eq, line[1024];
	int	 rc = 0;

	otlp.hdrs = curl_slist_append(NULL, "Content-Type: application/json");
	for (pair = strtok_r(copy, ",", &save); pair != NULL; pair = strtok_r(NULL, ",", &save)) {
		if ((eq = strchr(pair, '=')) == NULL || eq == pair) {
			rc = -1;
			break;
		}
		*eq = '\0';
		otlp_unescape(eq + 1);
		if (strpbrk(pair, ":\r\n") != NULL || strpbrk(eq + 1, "\r\n") != NULL ||
		    snprintf(line, sizeof(line), "%s: %s", pair, eq + 1) >= (int)sizeof(line)) {
			rc = -1;
			break;
		}
		otlp.hdrs = curl_slist_append(otlp.hdrs, line);
	}
	explicit_bzero(line, sizeof(line));
	explicit_bzero(copy, strlen(list));
	free(copy);
	return rc;
}

int
otlp_start(const struct config *cfg, const struct redis_url *redis)
{
	const char	*ep = config_get(cfg, CONFIG_OTLP_ENDPOINT);
	size_t		 len = strlen(ep);

	if (len == 0)
		return 0;
	while (len > 0 && ep[len - 1] == '/')
		len--;
	if (snprintf(otlp.url, sizeof(otlp.url), "%.*s/v1/traces", (int)len, ep) >=
	    (int)sizeof(otlp.url)) {
		log_error(NULL, "FRAGENT_OTLP_ENDPOINT is too long");
		return -1;
	}
	if (otlp_headers(config_get(cfg, CONFIG_OTLP_HEADERS)) == -1) {
		log_error(NULL, "FRAGENT_OTLP_HEADERS: a pair is not name=value");
		curl_slist_free_all(otlp.hdrs);
		otlp.hdrs = NULL;
		return -1;
	}
	otlp.redis = *redis;
	otlp.stop = false;
	if (pthread_create(&otlp.thread, NULL, otlp_main, NULL) != 0) {
		log_error(NULL, "cannot start the OTLP exporter thread");
		curl_slist_free_all(otlp.hdrs);
		otlp.hdrs = NULL;
		return -1;
	}
	otlp.on = true;
	log_info(NULL, "tracing on: spans exported to %s", otlp.url);
	return 0;
}

void
otlp_stop(void)
{
	if (!otlp.on)
		return;
	pthread_mutex_lock(&otlp.mu);
	otlp.stop = true;
	pthread_cond_signal(&otlp.cv);
	pthread_mutex_unlock(&otlp.mu);
	pthread_join(otlp.thread, NULL);
	otlp.on = false;
	while (otlp.n > 0) {
		json_object_put(otlp.q[otlp.head]);
		otlp.head = (otlp.head + 1) % OTLP_QUEUE_MAX;
		otlp.n--;
	}
	curl_slist_free_all(otlp.hdrs);
	otlp.hdrs = NULL;
	if (otlp.dropped > 0)
		log_info(NULL, "tracing: %lu spans dropped in all", otlp.dropped);
}
