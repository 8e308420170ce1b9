/* it_sse.c: the SSE listener through nginx: a subscriber that disconnects mid-run and comes
 * back with Last-Event-ID gets exactly the rest (together: the uninterrupted stream, no loss,
 * no duplicate); many subscribers of one execution all get the whole stream, more of them at
 * once than nginx's stock worker_connections would carry, and spread over every process
 * serving jobd's listener port; frames larger than a slow reader's socket takes arrive whole
 * and in order, in chunks or not; an execution whose Redis stream is gone is replayed from
 * its Postgres steps. */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "check_run.h"
#include "db.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "nitems.h"
#include "queue.h"
#include "redisconn.h"

#define N(id, type, conf) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" conf "}"
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"
#define SSE_SUBS	25
/* Each open stream holds two of an nginx worker's connections (the browser's and jobd's):
 * 1,500 need more than two workers of 1,024 connections each could give. */
#define SSE_CROWD	1500

/* The run: three 250 ms waits, so a subscriber can leave and come back in the middle. */
static const char DEF[] = "{\"nodes\":[" N("in", "input", "{}") ","
	N("d1", "delay", "{\"ms\":250}") "," N("t1", "template", "{\"template\":\"a\"}") ","
	N("d2", "delay", "{\"ms\":250}") "," N("t2", "template", "{\"template\":\"b\"}") ","
	N("d3", "delay", "{\"ms\":250}") "," N("out", "output", "{\"value\":\"{{ .t1.output }}"
	"{{ .t2.output }}\"}") "],\"edges\":[" E("in", "d1") "," E("d1", "t1") "," E("t1", "d2") ","
	E("d2", "t2") "," E("t2", "d3") "," E("d3", "out") "]}";

/* A run that waits long enough for SSE_CROWD subscribers to be connected at once. */
static const char DEF_CROWD[] = "{\"nodes\":[" N("in", "input", "{}") ","
	N("wait", "delay", "{\"ms\":8000}") "," N("out", "output", "{\"value\":\"done\"}") "],"
	"\"edges\":[" E("in", "wait") "," E("wait", "out") "]}";

/* One reader: frames as an array of {id, event, data}; stops after "max" frames (0: none). */
struct reader {
	struct buf	 raw;
	size_t		 used;		/* bytes of "raw" parsed into frames */
	json_object	*frames;
	int		 max;
	int		 ended;		/* a terminal event arrived */
	int		 hold;		/* pause: take nothing more until it is cleared */
	int		 heartbeats;	/* ": heartbeat" comments read */
};

/* Parses the complete frames in r->raw. */
static void
reader_parse(struct reader *r)
{
	char	*p, *end, *line, *save = NULL, frame[65536];

	while (r->raw.data != NULL && (end = strstr(r->raw.data + r->used, "\n\n")) != NULL) {
		size_t		 n = (size_t)(end - (r->raw.data + r->used));
		json_object	*f = json_object_new_object();

		if (n >= sizeof(frame))
			n = sizeof(frame) - 1;
		memcpy(frame, r->raw.data + r->used, n);
		frame[n] = '\0';
		r->used = (size_t)(end - r->raw.data) + 2;
		for (line = strtok_r(frame, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if (strcmp(line, ": heartbeat") == 0)
				r->heartbeats++;
			if ((p = strchr(line, ':')) == NULL || p == line)
				continue;	/* comments (heartbeats) start with ':' */
			*p++ = '\0';
			if (*p == ' ')
				p++;
			json_object_object_add(f, line, json_object_new_string(p));
		}
		if (json_object_object_length(f) == 0) {
			json_object_put(f);
			continue;
		}
		if (strncmp(jsonh_get_string(f, "event"), "execution.", 10) == 0 &&
		    strcmp(jsonh_get_string(f, "event"), "execution.started") != 0)
			r->ended = 1;
		json_object_array_add(r->frames, f);
	}
}

static size_t
reader_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct reader	*r = arg;

	if (r->hold)
		return CURL_WRITEFUNC_PAUSE;	/* curl keeps this data for later */
	buf_append(&r->raw, p, size * n);
	reader_parse(r);
	if (r->max > 0 && (int)json_object_array_length(r->frames) >= r->max)
		return 0;	/* hang up mid-stream */
	return size * n;
}

/* Where readers connect: NULL for nginx (it_base_url), else straight to jobd's listener. */
static const char *stream_base;

/* An easy handle reading the events of "id" into "r" (after "last", may be NULL). */
static CURL *
reader_easy(struct reader *r, const char *id, const char *last, struct curl_slist **h)
{
	CURL	*c = curl_easy_init();
	char	 url[256], line[2048];

	buf_init(&r->raw);
	r->used = 0;
	r->ended = 0;
	r->hold = 0;
	r->frames = json_object_new_array();
	snprintf(url, sizeof(url), "%s/api/v1/executions/%s/events",
	    stream_base != NULL ? stream_base : it_base_url(), id);
	snprintf(line, sizeof(line), "Authorization: Bearer %s", it_token());
	*h = curl_slist_append(NULL, line);
	if (last != NULL) {
		snprintf(line, sizeof(line), "Last-Event-ID: %s", last);
		*h = curl_slist_append(*h, line);
	}
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, *h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, reader_on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	return c;
}

/* Reads the stream of "id" after "last" (NULL: all) until it ends or "max" frames came. */
static void
reader_run(struct reader *r, const char *id, const char *last, int max)
{
	struct curl_slist	*h = NULL;
	CURL			*c = reader_easy(r, id, last, &h);
	long			 status = 0;

	r->max = max;
	curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_int_eq(status, 200);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

static void
reader_clear(struct reader *r)
{
	buf_clear(&r->raw);
	json_object_put(r->frames);
	r->frames = NULL;
}

/* Asserts "frames" is a complete run: ids strictly increasing, started first, one terminal. */
static void
assert_complete(json_object *frames, const char *terminal)
{
	size_t		 i, n = json_object_array_length(frames);
	const char	*prev = NULL;

	ck_assert_uint_ge(n, 3);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(frames, 0), "event"),
	    "execution.started");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(frames, n - 1), "event"),
	    terminal);
	for (i = 0; i < n; i++) {
		const char *id = jsonh_get_string(json_object_array_get_idx(frames, i), "id");

		ck_assert_ptr_nonnull(id);
		if (prev != NULL) {
			unsigned long long pm, ps, im, is;

			ck_assert(sscanf(prev, "%llu-%llu", &pm, &ps) == 2);
			ck_assert(sscanf(id, "%llu-%llu", &im, &is) == 2);
			ck_assert_msg(im > pm || (im == pm && is > ps), "%s after %s", id, prev);
		}
		prev = id;
	}
}

START_TEST(test_resume_exact)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], last[64];
	struct reader	 part, rest, whole;
	json_object	*joined = json_object_new_array(), *ex;
	size_t		 i;

	eng_workflow(DEF, wf);
	eng_start(wf, "{}", id);
	reader_run(&part, id, NULL, 4);			/* leave after four events */
	ck_assert_int_eq(json_object_array_length(part.frames), 4);
	ck_assert(!part.ended);
	snprintf(last, sizeof(last), "%s", jsonh_get_string(json_object_array_get_idx(
	    part.frames, 3), "id"));
	reader_run(&rest, id, last, 0);			/* come back: the rest, to the end */
	ck_assert(rest.ended);
	ex = eng_wait(id, NULL, 10000);
	ck_assert_ptr_nonnull(ex);
	reader_run(&whole, id, NULL, 0);		/* the uninterrupted stream */
	for (i = 0; i < json_object_array_length(part.frames); i++)
		json_object_array_add(joined, json_object_get(json_object_array_get_idx(
		    part.frames, i)));
	for (i = 0; i < json_object_array_length(rest.frames); i++)
		json_object_array_add(joined, json_object_get(json_object_array_get_idx(
		    rest.frames, i)));
	assert_complete(whole.frames, "execution.completed");
	ck_assert_str_eq(jsonh_str(joined), jsonh_str(whole.frames));
	/* started, then per node started+completed (7 nodes), then completed */
	ck_assert_int_eq(json_object_array_length(whole.frames), 1 + 7 * 2 + 1);
	json_object_put(joined);
	json_object_put(ex);
	reader_clear(&part);
	reader_clear(&rest);
	reader_clear(&whole);
}
END_TEST

static int
reader_started(const struct reader *r)
{
	return json_object_array_length(r->frames) > 0;
}

static int
reader_ended(const struct reader *r)
{
	return r->ended;
}

/* How many of the "n" readers "is" holds for. */
static int
readers_where(const struct reader *r, int n, int (*is)(const struct reader *))
{
	int	 i, k = 0;

	for (i = 0; i < n; i++)
		k += is(&r[i]) != 0;
	return k;
}

/* Drives "m" until "is" holds for all "n" readers or "ms" passed. */
static void
multi_until(CURLM *m, int (*is)(const struct reader *), struct reader *r, int n, long ms)
{
	long	 end;
	int	 running = 1;

	for (end = eng_now_ms() + ms; running > 0 && readers_where(r, n, is) < n &&
	    eng_now_ms() < end;) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
}

/* Starts a run of "def" and "n" readers of its whole stream on "m" (easy handles into "c",
 * their headers into "h"). */
static void
readers_watch(CURLM *m, const char *def, struct reader *r, struct curl_slist **h, CURL **c,
    int n)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	int	 i;

	eng_workflow(def, wf);
	eng_start(wf, "{}", id);
	for (i = 0; i < n; i++) {
		c[i] = reader_easy(&r[i], id, NULL, &h[i]);
		r[i].max = 0;
		curl_multi_add_handle(m, c[i]);
	}
}

/* Drives "m" until the "n" readers ended (at most 20 s), checks that each got the whole
 * stream and the same frames as the first, then frees them and "m". */
static void
readers_finish_same(CURLM *m, struct reader *r, struct curl_slist **h, CURL **c, int n)
{
	int	 i;

	multi_until(m, reader_ended, r, n, 20000);
	for (i = 0; i < n; i++) {
		ck_assert_msg(r[i].ended, "subscriber %d saw no end", i);
		assert_complete(r[i].frames, "execution.completed");
		ck_assert_str_eq(jsonh_str(r[i].frames), jsonh_str(r[0].frames));
		curl_multi_remove_handle(m, c[i]);
		curl_easy_cleanup(c[i]);
		curl_slist_free_all(h[i]);
	}
	for (i = 0; i < n; i++)
		reader_clear(&r[i]);
	curl_multi_cleanup(m);
}

/* Checks that each of the "n" readers on "m" was answered 200 and got its whole stream,
 * then frees them (not "m"). */
static void
readers_finish_whole(CURLM *m, struct reader *r, struct curl_slist **h, CURL **c, int n)
{
	long	 status;
	int	 i;

	for (i = 0; i < n; i++) {
		status = 0;
		curl_easy_getinfo(c[i], CURLINFO_RESPONSE_CODE, &status);
		ck_assert_msg(status == 200, "subscriber %d answered %ld", i, status);
		ck_assert_msg(r[i].ended, "subscriber %d saw no end", i);
		assert_complete(r[i].frames, "execution.completed");
		curl_multi_remove_handle(m, c[i]);
		curl_easy_cleanup(c[i]);
		curl_slist_free_all(h[i]);
		reader_clear(&r[i]);
	}
}

START_TEST(test_many_subscribers)
{
	struct reader	 r[SSE_SUBS];
	struct curl_slist *h[SSE_SUBS];
	CURL		*c[SSE_SUBS];
	CURLM		*m = curl_multi_init();

	readers_watch(m, DEF, r, h, c, SSE_SUBS);
	readers_finish_same(m, r, h, c, SSE_SUBS);
}
END_TEST

/* SSE_CROWD browsers watch one run at the same time, through nginx: every one is answered
 * (none turned away for want of connections), all are open while the run waits, and each gets
 * the whole stream. */
START_TEST(test_crowd_through_nginx)
{
	struct reader	*r = calloc(SSE_CROWD, sizeof(*r));
	struct curl_slist **h = calloc(SSE_CROWD, sizeof(*h));
	CURL		**c = calloc(SSE_CROWD, sizeof(*c));
	CURLM		*m = curl_multi_init();
	struct rlimit	 rl;

	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(c);
	/* This process holds a descriptor per stream too. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_msg(rl.rlim_max > SSE_CROWD + 64, "the hard descriptor limit is too low");
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)SSE_CROWD);
	readers_watch(m, DEF_CROWD, r, h, c, SSE_CROWD);
	multi_until(m, reader_started, r, SSE_CROWD, 7000);
	ck_assert_msg(readers_where(r, SSE_CROWD, reader_started) == SSE_CROWD,
	    "not every stream opened while the run waited");
	/* Every one is open and the run has not ended yet: all were open at once. */
	ck_assert_msg(readers_where(r, SSE_CROWD, reader_ended) == 0,
	    "the run ended before every stream opened");
	multi_until(m, reader_ended, r, SSE_CROWD, 20000);
	readers_finish_whole(m, r, h, c, SSE_CROWD);
	curl_multi_cleanup(m);
	free(r);
	free(h);
	free(c);
}
END_TEST

/* How many processes report open streams in GET /metrics: the series of
 * fragent_sse_subscribers (one per process serving the listener) with a value above 0. */
static int
processes_with_streams(void)
{
	struct http_resp	 r;
	const char		*p, *line = "fragent_sse_subscribers{";
	int			 n = 0;

	ck_assert_int_eq(http_do("GET", "/metrics", NULL, NULL, NULL, &r), 0);
	ck_assert_msg(r.status == 200, "GET /metrics: %ld", r.status);
	for (p = r.body.data; p != NULL && (p = strstr(p, line)) != NULL; p++)
		if ((p == r.body.data || p[-1] == '\n') && (p = strchr(p, '}')) != NULL &&
		    atof(p + 1) > 0)
			n++;
	http_resp_clear(&r);
	return n;
}

/* With FRAGENT_SSE_PROCS processes serving jobd's listener port (tests/integration.sh runs
 * two), new connections to it spread over every one of them, and each subscriber gets the
 * whole stream whichever process serves it. The readers connect to the port itself: through
 * nginx, a stream may take a kept-alive connection of its pool, made for an earlier one. */
START_TEST(test_listener_processes_share_the_port)
{
	enum { SUBS = 48 };
	struct reader	 r[SUBS];
	struct curl_slist *h[SUBS];
	CURL		*c[SUBS];
	CURLM		*m = curl_multi_init();
	const char	*procs = getenv("FRAGENT_SSE_PROCS"), *port = getenv("FRAGENT_SSE_PORT");
	char		 base[64];
	int		 i, want = procs != NULL ? atoi(procs) : 1, seen = 0;

	ck_assert_ptr_nonnull(port);
	snprintf(base, sizeof(base), "http://127.0.0.1:%s", port);
	stream_base = base;
	readers_watch(m, DEF_CROWD, r, h, c, SUBS);
	multi_until(m, reader_started, r, SUBS, 7000);
	ck_assert_int_eq(readers_where(r, SUBS, reader_started), SUBS);
	/* Each process publishes its count every second. */
	for (i = 0; i < 40 && (seen = processes_with_streams()) < want; i++)
		usleep(100 * 1000);
	ck_assert_msg(seen == want, "%d of the %d listener processes serve streams", seen, want);
	readers_finish_same(m, r, h, c, SUBS);
	stream_base = NULL;
}
END_TEST

/* Moves the end of execution "id" an hour back, as if it had ended an hour ago. */
static void
age_end(const char *id)
{
	struct db	*db = db_new(getenv("FRAGENT_DATABASE_URL"));

	ck_assert_ptr_nonnull(db);
	ck_assert_int_eq(db_exec(db, "UPDATE executions SET end_time = end_time - "
	    "interval '1 hour' WHERE id = $1", 1, (const char *[]){ id }, NULL), DB_OK);
	db_free(db);
}

/* Runs DEF to its end: its id into "id", its events key into "key" (96 bytes), the
 * execution into "ex" (json_object_put it). Returns a Redis connection (redis_conn_free). */
static struct redis_conn *
run_to_end(char id[UUID_STRLEN + 1], char key[96], json_object **ex)
{
	char			 wf[UUID_STRLEN + 1];
	struct redis_url	 u;
	struct redis_conn	*rc;

	eng_workflow(DEF, wf);
	eng_start(wf, "{}", id);
	*ex = eng_wait(id, NULL, 10000);
	ck_assert_ptr_nonnull(*ex);
	ck_assert_int_eq(redis_url_parse(getenv("FRAGENT_REDIS_URL"), &u), 0);
	ck_assert_ptr_nonnull(rc = redis_conn_new(&u));
	queue_events_key(id, key, 96);
	return rc;
}

/* Drives "m" for "ms" milliseconds or until "r" saw a terminal event. */
static void
pump(CURLM *m, struct reader *r, long ms)
{
	int	 running = 1;
	long	 end;

	for (end = eng_now_ms() + ms; running > 0 && !r->ended && eng_now_ms() < end;) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
}

/* Executions watched at once, one subscriber each: SSE_SPREAD of them, which wait long
 * enough for every stream to be open and then to go 15 s without an event (a heartbeat is
 * due), and a late one. */
#define SSE_SPREAD	200
static const char DEF_SPREAD[] = "{\"nodes\":[" N("in", "input", "{}") ","
	N("wait", "delay", "{\"ms\":27000}") "," N("out", "output", "{\"value\":\"done\"}") "],"
	"\"edges\":[" E("in", "wait") "," E("wait", "out") "]}";

/* Redis's connected_clients now. */
static long
redis_clients(struct redis_conn *rc)
{
	redisReply	*r = redis_conn_cmd(rc, 2, (const char *[]){ "INFO", "clients" }, NULL);
	const char	*p;
	long		 n;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(r->type, REDIS_REPLY_STRING);
	ck_assert_ptr_nonnull(p = strstr(r->str, "connected_clients:"));
	n = strtol(p + strlen("connected_clients:"), NULL, 10);
	freeReplyObject(r);
	return n;
}

/* The listener reads the streams of many executions over a few Redis connections (an XREAD
 * names up to 64 streams), not one each, which would run Redis and the listener out of
 * connections long before browsers ran out of executions to watch: SSE_SPREAD executions
 * watched at once add a handful of Redis clients. Each stream is whole, with a heartbeat
 * in its quiet 15 s; and a subscriber who comes while those reads wait gets its events at
 * once, not when they return. */
START_TEST(test_many_executions_few_connections)
{
	struct reader	*r = calloc(SSE_SPREAD, sizeof(*r)), late = { 0 };
	struct curl_slist **h = calloc(SSE_SPREAD, sizeof(*h)), *late_h = NULL;
	CURL		**c = calloc(SSE_SPREAD, sizeof(*c)), *late_c;
	CURLM		*m = curl_multi_init(), *late_m = curl_multi_init();
	struct redis_conn *rc;
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], key[96];
	json_object	*ex;
	long		 before, during, t0;
	int		 i, running;

	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(c);
	/* The late subscriber's run, ended before the others start. */
	rc = run_to_end(id, key, &ex);
	json_object_put(ex);
	before = redis_clients(rc);
	eng_workflow(DEF_SPREAD, wf);
	curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)SSE_SPREAD);
	for (i = 0; i < SSE_SPREAD; i++) {
		char	 eid[UUID_STRLEN + 1];

		eng_start(wf, "{}", eid);
		c[i] = reader_easy(&r[i], eid, NULL, &h[i]);
		curl_easy_setopt(c[i], CURLOPT_TIMEOUT, 60L);
		curl_multi_add_handle(m, c[i]);
		/* Sent now, so that each stream opens as its run starts waiting. */
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 10, NULL);
		curl_multi_perform(m, &running);
	}
	multi_until(m, reader_started, r, SSE_SPREAD, 10000);
	ck_assert_msg(readers_where(r, SSE_SPREAD, reader_started) == SSE_SPREAD,
	    "not every stream opened while the runs waited");
	ck_assert_msg(readers_where(r, SSE_SPREAD, reader_ended) == 0,
	    "a run ended before every stream opened");
	during = redis_clients(rc);
	ck_assert_msg(during - before <= 10, "%d streams took %ld more Redis clients",
	    SSE_SPREAD, during - before);
	/* Every read is blocked now (the runs wait); the newcomer's must not wait with them. */
	late_c = reader_easy(&late, id, NULL, &late_h);
	curl_multi_add_handle(late_m, late_c);
	t0 = eng_now_ms();
	pump(late_m, &late, 8000);
	ck_assert_msg(late.ended, "the late subscriber got no end");
	ck_assert_msg(eng_now_ms() - t0 < 4000, "the late subscriber waited %ld ms",
	    eng_now_ms() - t0);
	assert_complete(late.frames, "execution.completed");
	multi_until(m, reader_ended, r, SSE_SPREAD, 40000);
	for (i = 0; i < SSE_SPREAD; i++)
		ck_assert_msg(r[i].heartbeats > 0, "subscriber %d got no heartbeat", i);
	readers_finish_whole(m, r, h, c, SSE_SPREAD);
	curl_multi_remove_handle(late_m, late_c);
	curl_easy_cleanup(late_c);
	curl_slist_free_all(late_h);
	reader_clear(&late);
	curl_multi_cleanup(late_m);
	curl_multi_cleanup(m);
	redis_conn_free(rc);
	free(r);
	free(h);
	free(c);
}
END_TEST

/* Just after the end, a subscriber whose stream is not in Redis yet (jobd commits the final
 * status before its pipelined XADDs land) waits for the stream instead of getting a replay
 * whose ids a resume on the live stream would not know, and reads it once it is there. */
START_TEST(test_stream_late_after_end)
{
	char			 id[UUID_STRLEN + 1], key[96];
	struct redis_conn	*rc;
	struct reader		 r;
	struct curl_slist	*h = NULL;
	CURL			*c;
	CURLM			*m = curl_multi_init();
	json_object		*ex;
	const char		*fid;

	rc = run_to_end(id, key, &ex);
	freeReplyObject(redis_conn_cmd(rc, 2, (const char *[]){ "DEL", key }, NULL));
	c = reader_easy(&r, id, NULL, &h);
	r.max = 0;
	curl_multi_add_handle(m, c);
	pump(m, &r, 1000);
	ck_assert_int_eq(json_object_array_length(r.frames), 0);	/* no replay */
	freeReplyObject(redis_conn_cmd(rc, 7, (const char *[]){ "XADD", key, "*", "type",
	    "execution.completed", "data", "{\"type\":\"execution.completed\"}" }, NULL));
	pump(m, &r, 10000);
	ck_assert(r.ended);
	ck_assert_int_eq(json_object_array_length(r.frames), 1);
	fid = jsonh_get_string(json_object_array_get_idx(r.frames, 0), "id");
	ck_assert_ptr_nonnull(fid);
	ck_assert_msg(strncmp(fid, "0-", 2) != 0, "a replayed id: %s", fid);
	curl_multi_remove_handle(m, c);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	curl_multi_cleanup(m);
	reader_clear(&r);
	redis_conn_free(rc);
	json_object_put(ex);
}
END_TEST

/* A run whose events are large: the input's blob comes back in the node.completed of the
 * input node, of BULK_STEPS templates and of the output (more than a loopback socket's send
 * buffer holds, 4 MiB at most), after a wait long enough for a reader to be connected. */
#define BULK_BLOB_LEN	350000
#define BULK_STEPS	16
#define T(n, prev)	N("t" #n, "template", "{\"template\":\"{{ ." prev ".output }}\"}")
static const char DEF_BULK[] = "{\"nodes\":[" N("in", "input", "{}") ","
	N("d1", "delay", "{\"ms\":400}") "," N("t0", "template", "{\"template\":"
	"\"{{ .in.output.blob }}\"}") "," T(1, "t0") "," T(2, "t1") "," T(3, "t2") "," T(4, "t3") ","
	T(5, "t4") "," T(6, "t5") "," T(7, "t6") "," T(8, "t7") "," T(9, "t8") "," T(10, "t9") ","
	T(11, "t10") "," T(12, "t11") "," T(13, "t12") "," T(14, "t13") "," T(15, "t14") ","
	N("out", "output", "{\"value\":\"{{ .t15.output }}\"}") "],\"edges\":["
	E("in", "d1") "," E("d1", "t0") "," E("t0", "t1") "," E("t1", "t2") "," E("t2", "t3") ","
	E("t3", "t4") "," E("t4", "t5") "," E("t5", "t6") "," E("t6", "t7") "," E("t7", "t8") ","
	E("t8", "t9") "," E("t9", "t10") "," E("t10", "t11") "," E("t11", "t12") ","
	E("t12", "t13") "," E("t13", "t14") "," E("t14", "t15") "," E("t15", "out") "]}";

/* A socket whose receive window stays small: once its reader stops, what jobd writes piles
 * up in jobd's send buffer, and then in its own queue. */
static int
small_window(void *arg, curl_socket_t fd, curlsocktype purpose)
{
	int	 n = 4096;

	(void)arg;
	(void)purpose;
	return setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &n, sizeof(n)) == 0 ? CURL_SOCKOPT_OK :
	    CURL_SOCKOPT_ERROR;
}

/* jobd's listener itself, for readers that must not go through nginx. */
static const char *
listener_base(void)
{
	static char	 base[64];

	ck_assert_ptr_nonnull(getenv("FRAGENT_SSE_PORT"));
	snprintf(base, sizeof(base), "http://127.0.0.1:%s", getenv("FRAGENT_SSE_PORT"));
	return base;
}

/* Reads the whole stream of "id" straight from jobd's listener into "r", as an HTTP/1.0
 * client (an answer not in chunks, ended by closing) when "http10". Asserts that curl found
 * nothing wrong with the answer's framing. */
static void
reader_run_direct(struct reader *r, const char *id, bool http10)
{
	struct curl_slist	*h = NULL;
	CURL			*c;
	CURLcode		 rc;
	long			 status = 0;

	stream_base = listener_base();
	c = reader_easy(r, id, NULL, &h);
	stream_base = NULL;
	r->max = 0;
	if (http10)
		curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_0);
	rc = curl_easy_perform(c);
	ck_assert_msg(rc == CURLE_OK, "%s", curl_easy_strerror(rc));
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	ck_assert_int_eq(status, 200);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
}

/* Live frames larger than the socket takes: a reader with a small window stops reading after
 * the first event until the run has ended, so jobd writes what the socket takes at once and
 * queues the rest behind it. Once it reads again it gets the same bytes as a reader of the
 * ended run and an HTTP/1.0 reader (no chunks): every frame whole, in order, once. */
START_TEST(test_large_frames_to_slow_readers)
{
	char		 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], *inputs, *blob;
	struct reader	 slow, fast, old;
	struct curl_slist *h = NULL;
	CURLM		*m = curl_multi_init();
	CURLMsg		*msg;
	CURL		*c;
	json_object	*ex;
	size_t		 i, copies = 0;
	const char	*p;
	long		 end;
	int		 running = 1, left;

	blob = malloc(BULK_BLOB_LEN + 1);
	ck_assert_ptr_nonnull(blob);
	for (i = 0; i < BULK_BLOB_LEN; i++)
		blob[i] = (char)('a' + i % 26);
	blob[BULK_BLOB_LEN] = '\0';
	ck_assert_int_gt(asprintf(&inputs, "{\"blob\":\"%s\"}", blob), 0);
	eng_workflow(DEF_BULK, wf);
	eng_start(wf, inputs, id);
	stream_base = listener_base();
	c = reader_easy(&slow, id, NULL, &h);
	stream_base = NULL;
	slow.max = 0;
	curl_easy_setopt(c, CURLOPT_SOCKOPTFUNCTION, small_window);
	curl_multi_add_handle(m, c);
	for (end = eng_now_ms() + 5000; json_object_array_length(slow.frames) == 0 &&
	    eng_now_ms() < end;) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 50, NULL);
	}
	ck_assert_uint_ge(json_object_array_length(slow.frames), 1);
	slow.hold = 1;					/* stop reading */
	ex = eng_wait(id, NULL, 20000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	usleep(500 * 1000);				/* jobd writes all it can */
	slow.hold = 0;
	curl_easy_pause(c, CURLPAUSE_CONT);
	for (end = eng_now_ms() + 20000; running > 0 && eng_now_ms() < end;) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 100, NULL);
	}
	ck_assert_int_eq(running, 0);
	ck_assert_ptr_nonnull(msg = curl_multi_info_read(m, &left));
	ck_assert_msg(msg->data.result == CURLE_OK, "%s", curl_easy_strerror(msg->data.result));
	curl_multi_remove_handle(m, c);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	curl_multi_cleanup(m);
	reader_run_direct(&fast, id, false);
	reader_run_direct(&old, id, true);
	assert_complete(slow.frames, "execution.completed");
	for (p = slow.raw.data; (p = strstr(p, blob)) != NULL; p += BULK_BLOB_LEN)
		copies++;
	ck_assert_uint_ge(copies, BULK_STEPS + 2);	/* the input, each template, the output */
	ck_assert_uint_gt(slow.raw.len, 4u << 20);
	ck_assert_uint_eq(slow.raw.len, fast.raw.len);
	ck_assert(memcmp(slow.raw.data, fast.raw.data, slow.raw.len) == 0);
	ck_assert_uint_eq(old.raw.len, fast.raw.len);
	ck_assert(memcmp(old.raw.data, fast.raw.data, old.raw.len) == 0);
	reader_clear(&slow);
	reader_clear(&fast);
	reader_clear(&old);
	json_object_put(ex);
	free(inputs);
	free(blob);
}
END_TEST

/* Asserts replayed frame "replayed" carries what live frame "live" did: the same event, the
 * same members (plus "replayed": true), the same node and type, and a time. */
static void
assert_same_payload(json_object *live, json_object *replayed)
{
	json_object	*a, *b;
	const char	*keys[] = { "type", "node_id", "node_type", "status", "attempt" };
	size_t		 i;

	ck_assert_str_eq(jsonh_get_string(live, "event"), jsonh_get_string(replayed, "event"));
	ck_assert_int_eq(jsonh_parse(jsonh_get_string(live, "data"),
	    strlen(jsonh_get_string(live, "data")), &a, NULL, 0), 0);
	ck_assert_int_eq(jsonh_parse(jsonh_get_string(replayed, "data"),
	    strlen(jsonh_get_string(replayed, "data")), &b, NULL, 0), 0);
	ck_assert(json_object_get_boolean(json_object_object_get(b, "replayed")));
	json_object_object_del(b, "replayed");
	/* execution.started's attempt is the claim's, which no row keeps. */
	if (strcmp(jsonh_get_string(live, "event"), "execution.started") == 0)
		json_object_object_del(a, "attempt");
	ck_assert_msg(json_object_object_length(a) == json_object_object_length(b),
	    "live %s, replayed %s", jsonh_str(a), jsonh_str(b));
	json_object_object_foreach(a, k, v) {
		(void)v;
		ck_assert_msg(json_object_object_get_ex(b, k, NULL), "replay lacks %s: %s", k,
		    jsonh_str(b));
	}
	for (i = 0; i < NITEMS(keys); i++)
		if (json_object_object_get(a, keys[i]) != NULL)
			ck_assert_str_eq(json_object_get_string(json_object_object_get(a, keys[i])),
			    json_object_get_string(json_object_object_get(b, keys[i])));
	ck_assert_str_ne(jsonh_get_string(b, "time"), "");
	json_object_put(a);
	json_object_put(b);
}

START_TEST(test_replay_expired)
{
	char			 id[UUID_STRLEN + 1], key[96];
	struct redis_conn	*rc;
	struct reader		 r, tail, live;
	const char		*argv[2] = { "DEL", key };
	json_object		*ex;
	long long		 ttl;
	int			 i;

	rc = run_to_end(id, key, &ex);
	reader_run(&live, id, NULL, 0);
	/* The ended stream expires within the hour (the terminal event's EXPIRE follows the
	 * final commit closely: wait for it a little). */
	for (i = 0, ttl = -1; i < 40 && ttl <= 0; i++) {
		redisReply	*t = redis_conn_cmd(rc, 2, (const char *[]){ "TTL", key }, NULL);

		ck_assert_ptr_nonnull(t);
		ttl = t->type == REDIS_REPLY_INTEGER ? t->integer : -1;
		freeReplyObject(t);
		if (ttl <= 0)
			usleep(50000);
	}
	ck_assert_msg(ttl > 0 && ttl <= 3600, "events stream TTL %lld", ttl);
	/* An hour later: the stream has expired and the execution ended long ago. */
	freeReplyObject(redis_conn_cmd(rc, 2, argv, NULL));
	redis_conn_free(rc);
	age_end(id);
	reader_run(&r, id, NULL, 0);
	assert_complete(r.frames, "execution.completed");
	ck_assert_int_eq(json_object_array_length(r.frames), 1 + 7 * 2 + 1);
	/* The replay writes the live payloads (events.c), times and node types included. */
	ck_assert_int_eq(json_object_array_length(live.frames), json_object_array_length(r.frames));
	for (i = 0; i < (int)json_object_array_length(r.frames); i++)
		assert_same_payload(json_object_array_get_idx(live.frames, (size_t)i),
		    json_object_array_get_idx(r.frames, (size_t)i));
	/* Last-Event-ID works on replayed ids too. */
	reader_run(&tail, id, jsonh_get_string(json_object_array_get_idx(r.frames, 13), "id"), 0);
	ck_assert_int_eq(json_object_array_length(tail.frames), 2);
	reader_clear(&r);
	reader_clear(&tail);
	reader_clear(&live);
	json_object_put(ex);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sse");
	TCase	*tc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_sse: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("sse");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_resume_exact);
	tcase_add_test(tc, test_many_subscribers);
	tcase_add_test(tc, test_crowd_through_nginx);
	tcase_add_test(tc, test_many_executions_few_connections);
	tcase_add_test(tc, test_listener_processes_share_the_port);
	tcase_add_test(tc, test_replay_expired);
	tcase_add_test(tc, test_stream_late_after_end);
	tcase_add_test(tc, test_large_frames_to_slow_readers);
	suite_add_tcase(s, tc);
	return check_run(s);
}
