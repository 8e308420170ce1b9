/* it_revoke.c: revocation takes effect on the user's next request: a demoted admin's old
 * token gets 403 on an admin route; a disabled or deleted user's token and API key get 401
 * and its refresh is refused; an open event stream of a user who may no longer watch it
 * ends. The per-process caches behind this must never answer with a stale state, whether
 * the change comes through the API, straight through SQL (the NOTIFY path), or while the
 * processes' connections are down (the reconnect path: PostgreSQL restarted). Each check
 * repeats its request; nginx keeps its FastCGI connections open, so repeats may all reach
 * the same fragent-api process: tests/it_apicache.c reads through every process at once.
 *
 * PostgreSQL delivers a notification asynchronously: it signals the listening backends at
 * commit, and each sends it once the scheduler runs it (usually before the commit's answer
 * is back; milliseconds later on a loaded machine). So after a change every process must
 * refuse within CHANGE_MS; after a reconnect there is no such window (the change committed
 * before the session began), and the first request must refuse. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "check_run.h"
#include "it_common.h"
#include "jsonh.h"

/* Requests per check: more than the stack's API processes, so every cache is asked. */
#define SPREAD		12
/* How long a notification may take to reach the processes (see above). */
#define CHANGE_MS	2000
/* A run that waits "ms" milliseconds (a %ld of snprintf). */
#define DEF_WAIT	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"d\",\"type\":\"delay\",\"config\":{\"ms\":%ld}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"x\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"d\"},{\"source\":\"d\",\"target\":\"out\"}]}"

/* A run parked at an approval only an admin may give: it stays open without a worker (no
 * lease to lose while PostgreSQL restarts), until it is cancelled. */
#define DEF_PARKED	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"gate\",\"type\":\"approval\",\"config\":{\"role\":\"admin\"," \
	"\"message\":\"hold\"}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"x\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"gate\"},{\"source\":\"gate\"," \
	"\"source_handle\":\"approved\",\"target\":\"out\"}]}"

static char	*admin;

/* A user of this run. */
static void
who_new(struct it_user *w, const char *tag, const char *role)
{
	it_user_new(w, "it-rev", tag, role);
}

/* Asserts SPREAD requests "method" "path" as "token" all answer "want". */
static void
assert_all(const char *method, const char *path, const char *body, const char *token,
    long want)
{
	struct http_resp	 r;
	int			 i;

	for (i = 0; i < SPREAD; i++) {
		it_req(method, path, body, token, &r);
		ck_assert_msg(r.status == want, "%s %s, try %d: want %ld, got %ld: %s", method,
		    path, i, want, r.status, r.body.data);
		if (want >= 400)
			it_assert_problem(&r, want);
		http_resp_clear(&r);
	}
}

/* After a change: asserts that within CHANGE_MS "method" "path" as "token" answers "want"
 * SPREAD times in a row (every process has it), and reports how long that took. */
static void
assert_all_soon(const char *method, const char *path, const char *body, const char *token,
    long want)
{
	struct timespec	 t0, t;
	long		 ms = 0, st = 0;
	int		 streak = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (streak < SPREAD && ms < CHANGE_MS) {
		if ((st = it_status(method, path, body, token)) == want)
			streak++;
		else
			streak = 0;
		clock_gettime(CLOCK_MONOTONIC, &t);
		ms = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
	}
	ck_assert_msg(streak == SPREAD, "%s %s: still %ld after %ld ms, want %ld", method, path,
	    st, ms, want);
	fprintf(stderr, "it_revoke: %s %s answered %ld everywhere after %ld ms\n", method, path,
	    want, ms);
}

/* An API key of the holder of "token" (heap). */
static char *
api_key_of(const char *token)
{
	struct http_resp	 r;
	char			*key;

	ck_assert_int_eq(it_req("POST", "/api/v1/api-keys", "{\"name\":\"rev\"}", token, &r),
	    201);
	key = strdup(jsonh_get_string(r.json, "key"));
	http_resp_clear(&r);
	return key;
}

/* The sign-in body of "w" into "body". */
static void
login_body(const struct it_user *w, char *body, size_t len)
{
	snprintf(body, len, "{\"username\":\"%s\",\"password\":\"it-password-0123\"}",
	    w->name);
}

/* The refresh cookie ("fragent_refresh=…") of a fresh sign-in of "w". */
static void
refresh_cookie_of(const struct it_user *w, char *out, size_t len)
{
	struct http_resp	 r;
	char			 body[256];

	login_body(w, body, sizeof(body));
	ck_assert_int_eq(it_req("POST", "/api/v1/auth/login", body, NULL, &r), 200);
	snprintf(out, len, "%.*s", (int)strcspn(r.set_cookie, ";"), r.set_cookie);
	http_resp_clear(&r);
	ck_assert_ptr_nonnull(strstr(out, "fragent_refresh="));
}

/* POST /auth/refresh with "cookie"; returns the status. */
static long
refresh_with(const char *cookie)
{
	struct http_resp	 r;
	char			 hdr[256];
	const char		*h[] = { hdr, "Authorization:", NULL };
	long			 st;

	snprintf(hdr, sizeof(hdr), "Cookie: %s", cookie);
	ck_assert_int_eq(http_do("POST", "/api/v1/auth/refresh", NULL, NULL, h, &r), 0);
	st = r.status;
	http_resp_clear(&r);
	return st;
}

/* The status of a sign-in of "w". */
static long
login_status(const struct it_user *w)
{
	char	 body[256];

	login_body(w, body, sizeof(body));
	return it_status("POST", "/api/v1/auth/login", body, NULL);
}

/* ---------------------------------------------------------------- the API */

START_TEST(test_demoted_admin_gets_403_at_once)
{
	struct it_user	 a;

	who_new(&a, "adm", "admin");
	assert_all("GET", "/api/v1/users", NULL, a.token, 200);
	it_user_patch(&a, "{\"role\":\"editor\"}", admin);
	assert_all_soon("GET", "/api/v1/users", NULL, a.token, 403);
	/* The token still works for what an editor may do: the role is the current one. */
	assert_all("GET", "/api/v1/agents", NULL, a.token, 200);
	assert_all("POST", "/api/v1/workflows/validate", "{\"definition\":" IT_DEF "}",
	    a.token, 200);
	it_user_delete(&a, admin);
	it_user_clear(&a);
}
END_TEST

START_TEST(test_disabled_user_token_key_refresh_refused)
{
	struct it_user	 u;
	char		 cookie[256], *key, *fresh;

	who_new(&u, "dis", "editor");
	key = api_key_of(u.token);
	refresh_cookie_of(&u, cookie, sizeof(cookie));
	assert_all("GET", "/api/v1/agents", NULL, u.token, 200);
	assert_all("GET", "/api/v1/agents", NULL, key, 200);
	it_user_patch(&u, "{\"disabled\":true}", admin);
	assert_all_soon("GET", "/api/v1/agents", NULL, u.token, 401);
	assert_all("GET", "/api/v1/agents", NULL, key, 401);
	assert_all("GET", "/api/v1/auth/me", NULL, u.token, 401);
	ck_assert_int_eq(refresh_with(cookie), 401);
	ck_assert_int_eq(login_status(&u), 403);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM refresh_tokens t JOIN users u ON "
	    "u.id = t.user_id WHERE u.disabled AND t.revoked_at IS NULL"), "0");
	/* Enabled again: the old access token stays void (its epoch passed), the key works,
	 * and a new sign-in works. */
	it_user_patch(&u, "{\"disabled\":false}", admin);
	assert_all_soon("GET", "/api/v1/agents", NULL, key, 200);
	assert_all("GET", "/api/v1/agents", NULL, u.token, 401);
	ck_assert_int_eq(login_status(&u), 200);
	fresh = it_login_as(u.name, "editor");
	ck_assert_ptr_nonnull(fresh);
	assert_all("GET", "/api/v1/agents", NULL, fresh, 200);
	free(fresh);
	free(key);
	it_user_delete(&u, admin);
	it_user_clear(&u);
}
END_TEST

START_TEST(test_deleted_user_token_key_refresh_refused)
{
	struct it_user	 u;
	char		 cookie[256], *key;

	who_new(&u, "del", "viewer");
	key = api_key_of(u.token);
	refresh_cookie_of(&u, cookie, sizeof(cookie));
	assert_all("GET", "/api/v1/agents", NULL, u.token, 200);
	assert_all("GET", "/api/v1/agents", NULL, key, 200);
	it_user_delete(&u, admin);
	assert_all_soon("GET", "/api/v1/agents", NULL, u.token, 401);
	assert_all("GET", "/api/v1/agents", NULL, key, 401);
	ck_assert_int_eq(refresh_with(cookie), 401);
	free(key);
	it_user_clear(&u);
}
END_TEST

START_TEST(test_new_password_voids_access_tokens)
{
	struct it_user	 u;

	who_new(&u, "pw", "viewer");
	assert_all("GET", "/api/v1/agents", NULL, u.token, 200);
	it_user_patch(&u, "{\"password\":\"it-password-0123\"}", admin);
	assert_all_soon("GET", "/api/v1/agents", NULL, u.token, 401);
	it_user_delete(&u, admin);
	it_user_clear(&u);
}
END_TEST

START_TEST(test_last_enabled_admin_cannot_be_disabled)
{
	struct http_resp	 r;
	char			 path[128];

	/* it_admin: the only enabled admin left after the other tests demote theirs. */
	ck_assert_str_eq(it_sql("SELECT count(*) FROM users WHERE role = $$admin$$ AND "
	    "NOT disabled"), "1");
	snprintf(path, sizeof(path), "/api/v1/users/%s", it_sql("SELECT id FROM users WHERE "
	    "role = $$admin$$ AND NOT disabled"));
	ck_assert_int_eq(it_req("PATCH", path, "{\"disabled\":true}", admin, &r), 409);
	it_assert_problem(&r, 409);
	ck_assert_ptr_nonnull(strstr(r.body.data, "cannot be demoted or disabled"));
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("DELETE", path, NULL, admin, &r), 409);
	it_assert_problem(&r, 409);
	ck_assert_ptr_nonnull(strstr(r.body.data, "cannot be deleted"));
	http_resp_clear(&r);
	ck_assert_str_eq(it_sql("SELECT count(*) FROM users WHERE role = $$admin$$ AND "
	    "NOT disabled"), "1");
	/* A user that does not exist: 404 either way, not the last administrator's 409. */
	ck_assert_int_eq(it_req("PATCH", "/api/v1/users/00000000-0000-4000-8000-000000000000",
	    "{\"disabled\":true}", admin, &r), 404);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("DELETE", "/api/v1/users/00000000-0000-4000-8000-000000000000",
	    NULL, admin, &r), 404);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("PATCH", path, "{\"disabled\":\"yes\"}", admin, &r), 422);
	it_assert_problem(&r, 422);
	ck_assert_ptr_nonnull(strstr(r.body.data, "\"disabled\""));
	http_resp_clear(&r);
	ck_assert_int_eq(it_req("PATCH", path, "{\"disabled\":null}", admin, &r), 422);
	http_resp_clear(&r);
}
END_TEST

/* A change made in the database directly (not through the API) reaches every process's
 * cache through the trigger's NOTIFY. */
START_TEST(test_change_in_sql_is_notified)
{
	struct it_user	 u;
	char		 sql[256];

	who_new(&u, "sql", "editor");
	assert_all("POST", "/api/v1/workflows/validate", "{\"definition\":" IT_DEF "}",
	    u.token, 200);
	assert_all("POST", "/api/v1/agents", "{\"name\":\"r\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, 201);
	snprintf(sql, sizeof(sql), "UPDATE users SET role = $$viewer$$ WHERE id = $$%s$$", u.id);
	it_sql(sql);
	assert_all_soon("POST", "/api/v1/agents", "{\"name\":\"r\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, 403);
	assert_all("GET", "/api/v1/agents", NULL, u.token, 200);
	snprintf(sql, sizeof(sql), "UPDATE users SET disabled = true WHERE id = $$%s$$", u.id);
	it_sql(sql);
	assert_all_soon("GET", "/api/v1/agents", NULL, u.token, 401);
	it_user_delete(&u, admin);
	it_user_clear(&u);
}
END_TEST

/* ---------------------------------------------------------------- event streams */

/* One event stream read with curl's multi interface, pumped by the test. */
struct stream {
	CURLM			*m;
	CURL			*c;
	struct curl_slist	*h;
	struct buf		 body;
	int			 done;
};

static size_t
stream_on_body(char *p, size_t size, size_t n, void *arg)
{
	struct stream	*s = arg;

	buf_append(&s->body, p, size * n);
	return size * n;
}

static void
stream_open(struct stream *s, const char *exec_id, const char *token)
{
	char	 url[256], hdr[2048];

	memset(s, 0, sizeof(*s));
	buf_init(&s->body);
	snprintf(url, sizeof(url), "%s/api/v1/executions/%s/events", it_base_url(), exec_id);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", token);
	s->h = curl_slist_append(NULL, hdr);
	s->m = curl_multi_init();
	s->c = curl_easy_init();
	curl_easy_setopt(s->c, CURLOPT_URL, url);
	curl_easy_setopt(s->c, CURLOPT_HTTPHEADER, s->h);
	curl_easy_setopt(s->c, CURLOPT_WRITEFUNCTION, stream_on_body);
	curl_easy_setopt(s->c, CURLOPT_WRITEDATA, s);
	curl_easy_setopt(s->c, CURLOPT_TIMEOUT, 60L);
	curl_multi_add_handle(s->m, s->c);
}

/* Pumps "s" for at most "ms" milliseconds, until it ended or its body holds "until"
 * (NULL: only until it ended). Returns 1 when the stream ended. */
static int
stream_pump(struct stream *s, long ms, const char *until)
{
	struct timespec	 t0, t;
	CURLMsg		*msg;
	int		 running, left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		curl_multi_perform(s->m, &running);
		while ((msg = curl_multi_info_read(s->m, &left)) != NULL)
			if (msg->msg == CURLMSG_DONE)
				s->done = 1;
		if (s->done || (until != NULL && s->body.data != NULL &&
		    strstr(s->body.data, until) != NULL))
			break;
		curl_multi_poll(s->m, NULL, 0, 50, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
	return s->done;
}

static long
stream_status(struct stream *s)
{
	long	 st = 0;

	curl_easy_getinfo(s->c, CURLINFO_RESPONSE_CODE, &st);
	return st;
}

static void
stream_close(struct stream *s)
{
	curl_multi_remove_handle(s->m, s->c);
	curl_easy_cleanup(s->c);
	curl_multi_cleanup(s->m);
	curl_slist_free_all(s->h);
	buf_clear(&s->body);
}

/* Asserts "s" is open and has delivered the start of its run. */
static void
assert_streaming(struct stream *s)
{
	ck_assert_msg(!stream_pump(s, 10000, "node.started"), "the stream ended: %s",
	    s->body.data ? s->body.data : "");
	ck_assert_int_eq(stream_status(s), 200);
	ck_assert_ptr_nonnull(strstr(s->body.data, "execution.started"));
}

/* Asserts "s" ends within "ms" because its access was revoked (no terminal event). */
static void
assert_revoked(struct stream *s, long ms)
{
	ck_assert_msg(stream_pump(s, ms, NULL), "the stream is still open");
	ck_assert_ptr_nonnull(strstr(s->body.data, ": access revoked"));
	ck_assert_ptr_null(strstr(s->body.data, "execution.completed"));
}

/* Starts a run of a workflow of "token"'s holder that waits "ms" milliseconds; its id into
 * "id". */
static void
start_waiting_run(const char *token, long ms, char id[UUID_STRLEN + 1])
{
	char	 wf[UUID_STRLEN + 1], path[128], body[512];

	snprintf(body, sizeof(body), "{\"name\":\"rev\",\"definition\":" DEF_WAIT "}", ms);
	it_create("/api/v1/workflows", body, token, wf);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	{
		struct http_resp	 r;

		ck_assert_int_eq(it_req("POST", path, "{\"inputs\":{}}", token, &r), 202);
		snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
		http_resp_clear(&r);
	}
}

/* Starts a run of DEF_PARKED as "token" and waits until it is parked; copies its id. */
static void
start_parked_run(const char *token, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[128];
	const char		*st;
	int			 i, parked = 0;

	it_create("/api/v1/workflows", "{\"name\":\"rev-parked\",\"definition\":" DEF_PARKED
	    "}", token, wf);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", wf);
	ck_assert_int_eq(it_req("POST", path, "{\"inputs\":{}}", token, &r), 202);
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	snprintf(path, sizeof(path), "/api/v1/executions/%s", id);
	for (i = 0; i < 200 && !parked; i++) {
		ck_assert_int_eq(it_req("GET", path, NULL, token, &r), 200);
		st = jsonh_get_string(r.json, "status");
		parked = st != NULL && strcmp(st, "waiting") == 0;
		http_resp_clear(&r);
		if (!parked)
			usleep(100 * 1000);
	}
	ck_assert_msg(parked, "the run was not parked within 20 s");
}

START_TEST(test_stream_of_disabled_user_ends)
{
	struct stream	 jwt, key;
	struct it_user	 u;
	char		 id[UUID_STRLEN + 1], *k;

	who_new(&u, "sse", "editor");
	k = api_key_of(u.token);
	start_waiting_run(u.token, 30000, id);
	stream_open(&jwt, id, u.token);
	stream_open(&key, id, k);
	assert_streaming(&jwt);
	assert_streaming(&key);
	it_user_patch(&u, "{\"disabled\":true}", admin);
	assert_revoked(&jwt, 5000);
	assert_revoked(&key, 5000);
	stream_close(&jwt);
	stream_close(&key);
	/* And a new stream is refused, with either credential. */
	stream_open(&jwt, id, u.token);
	ck_assert(stream_pump(&jwt, 5000, NULL));
	ck_assert_int_eq(stream_status(&jwt), 401);
	stream_close(&jwt);
	stream_open(&key, id, k);
	ck_assert(stream_pump(&key, 5000, NULL));
	ck_assert_int_eq(stream_status(&key), 401);
	stream_close(&key);
	free(k);
	it_user_delete(&u, admin);
	it_user_clear(&u);
}
END_TEST

START_TEST(test_stream_ends_when_demoted_below_it)
{
	struct stream	 other, own;
	struct it_user	 a, o;
	char		 id[UUID_STRLEN + 1], path[128];

	who_new(&a, "ssea", "admin");
	who_new(&o, "sseo", "editor");
	start_waiting_run(o.token, 30000, id);
	stream_open(&other, id, a.token);	/* an admin watching another user's run */
	stream_open(&own, id, o.token);
	assert_streaming(&other);
	assert_streaming(&own);
	it_user_patch(&a, "{\"role\":\"editor\"}", admin);
	assert_revoked(&other, 5000);
	/* A viewer may still watch its own run. */
	it_user_patch(&o, "{\"role\":\"viewer\"}", admin);
	ck_assert(!stream_pump(&own, 1500, NULL));
	snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", id);
	ck_assert_int_eq(it_status("POST", path, NULL, admin), 202);
	ck_assert(stream_pump(&own, 10000, NULL));
	ck_assert_ptr_nonnull(strstr(own.body.data, "execution.cancelled"));
	ck_assert_ptr_null(strstr(own.body.data, "access revoked"));
	stream_close(&other);
	stream_close(&own);
	it_user_delete(&a, admin);
	it_user_delete(&o, admin);
	it_user_clear(&a);
	it_user_clear(&o);
}
END_TEST

/* ---------------------------------------------------------------- reconnects */

static int
supervisorctl(const char *args)
{
	char	 cmd[512];

	ck_assert_ptr_nonnull(getenv("FRAGENT_TEST_SUPERVISORCTL"));
	snprintf(cmd, sizeof(cmd), "$FRAGENT_TEST_SUPERVISORCTL %s >/dev/null", args);
	return it_sh(cmd);
}

/* Runs "sql" once PostgreSQL accepts connections again (at most ~20 s). */
static void
sql_when_up(const char *sql)
{
	int	 i;

	for (i = 0; i < 200 && strcmp(it_sql("SELECT 1"), "1") != 0; i++)
		usleep(100 * 1000);
	it_sql(sql);
}

/* Waits (at most ~20 s) until "token" gets something other than 503 on "path". */
static long
wait_not_503(const char *path, const char *token)
{
	long	 st = 503;
	int	 i;

	for (i = 0; i < 200 && st == 503; i++)
		if ((st = it_status("GET", path, NULL, token)) == 503)
			usleep(100 * 1000);
	return st;
}

/* PostgreSQL restarts while every process has the user cached, and the user changes before
 * any process reconnects: the notification is lost, so each cache must start over. The
 * open stream of the same user ends too (jobd checks every stream after a reconnect). The
 * watched run is parked at an approval (a run that ended would end its stream too, and a
 * running one could lose its lease to the restarts and be failed), and is cancelled at the
 * end. */
START_TEST(test_change_across_a_postgres_restart)
{
	struct stream	 s;
	struct it_user	 u;
	char		 id[UUID_STRLEN + 1], sql[256], path[128];

	who_new(&u, "pg", "editor");
	start_parked_run(u.token, id);
	stream_open(&s, id, u.token);
	assert_streaming(&s);
	assert_all("POST", "/api/v1/workflows/validate", "{\"definition\":" IT_DEF "}",
	    u.token, 200);
	ck_assert_int_eq(supervisorctl("restart postgres"), 0);
	snprintf(sql, sizeof(sql), "UPDATE users SET role = $$viewer$$ WHERE id = $$%s$$", u.id);
	sql_when_up(sql);
	ck_assert_int_eq(wait_not_503("/api/v1/agents", u.token), 200);
	assert_all("POST", "/api/v1/agents", "{\"name\":\"r\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, 403);
	/* Still allowed to watch its own run as a viewer; disabled, it may not. */
	ck_assert_msg(!stream_pump(&s, 500, NULL), "the stream ended: %s",
	    s.body.data != NULL ? s.body.data : "");
	ck_assert_int_eq(supervisorctl("restart postgres"), 0);
	snprintf(sql, sizeof(sql), "UPDATE users SET disabled = true WHERE id = $$%s$$", u.id);
	sql_when_up(sql);
	/* jobd reconnects after its back-off (at most 5 s), then checks every stream. */
	assert_revoked(&s, 20000);
	ck_assert_int_eq(wait_not_503("/api/v1/agents", u.token), 401);
	assert_all("GET", "/api/v1/agents", NULL, u.token, 401);
	stream_close(&s);
	snprintf(path, sizeof(path), "/api/v1/executions/%s/cancel", id);
	ck_assert_int_eq(it_status("POST", path, NULL, admin), 202);
	it_user_delete(&u, admin);
	it_user_clear(&u);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("revoke");
	TCase	*api = tcase_create("api");
	TCase	*sse = tcase_create("sse");
	TCase	*pg = tcase_create("reconnect");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_revoke: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	admin = strdup(it_token());
	it_set_token(NULL);
	tcase_set_timeout(api, 120);
	tcase_set_timeout(sse, 120);
	tcase_set_timeout(pg, 180);
	tcase_add_test(api, test_demoted_admin_gets_403_at_once);
	tcase_add_test(api, test_disabled_user_token_key_refresh_refused);
	tcase_add_test(api, test_deleted_user_token_key_refresh_refused);
	tcase_add_test(api, test_new_password_voids_access_tokens);
	tcase_add_test(api, test_change_in_sql_is_notified);
	tcase_add_test(api, test_last_enabled_admin_cannot_be_disabled);
	tcase_add_test(sse, test_stream_of_disabled_user_ends);
	tcase_add_test(sse, test_stream_ends_when_demoted_below_it);
	tcase_add_test(pg, test_change_across_a_postgres_restart);
	suite_add_tcase(s, api);
	suite_add_tcase(s, sse);
	suite_add_tcase(s, pg);
	rc = check_run(s);
	free(admin);
	curl_global_cleanup();
	return rc;
}
