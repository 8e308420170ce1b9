/* it_openapi.c: walks GET /openapi.json and, for every path, method and documented status,
 * produces that status against the running stack, so the document cannot drift from the
 * code: a route missing from the code, or a status it cannot answer, fails here. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "jsonh.h"
#include "nitems.h"
#include "webhook.h"

static char	*admin, *editor, *viewer;

/* A valid body for "method" "pattern" (NULL: none). */
static const char *
good_body(const char *method, const char *pattern, char *buf, size_t len)
{
	static int	 serial;
	static const struct { const char *m, *p, *b; } bodies[] = {
		{ "POST", "/api/v1/auth/login", "{\"username\":\"it-admin\",\"password\":"
		    "\"it-password-0123\"}" },
		{ "POST", "/api/v1/api-keys", "{\"name\":\"oa\"}" },
		{ "POST", "/api/v1/agents", "{\"name\":\"oa\",\"configuration\":" IT_AGENT_CONF "}" },
		{ "PUT", "/api/v1/agents/{id}", "{\"name\":\"oa\",\"configuration\":"
		    IT_AGENT_CONF ",\"version\":1}" },
		{ "POST", "/api/v1/credentials", "{\"name\":\"oa\",\"provider\":\"openai\","
		    "\"secret\":\"sk-openapi-0123456789\"}" },
		{ "PUT", "/api/v1/credentials/{id}", "{\"name\":\"oa\",\"provider\":\"openai\","
		    "\"version\":1}" },
		{ "POST", "/api/v1/workflows", "{\"name\":\"oa\",\"definition\":" IT_DEF "}" },
		{ "PUT", "/api/v1/workflows/{id}", "{\"name\":\"oa\",\"definition\":" IT_DEF
		    ",\"version\":1}" },
		{ "POST", "/api/v1/workflows/validate", "{\"definition\":" IT_DEF "}" },
		{ "POST", "/api/v1/workflows/import", "{\"fragent_export\":1,\"name\":\"oa\","
		    "\"definition\":" IT_DEF "}" },
		{ "POST", "/api/v1/workflows/{id}/executions", "{\"inputs\":{}}" },
		{ "POST", "/api/v1/executions/delete", "{\"status\":\"failed\",\"before\":"
		    "\"2000-01-01T00:00:00Z\"}" },
		{ "POST", "/api/v1/agents/{id}/chat", "{\"message\":\"hi\"}" },
		{ "PATCH", "/api/v1/users/{id}", "{\"role\":\"editor\"}" },
		{ "POST", "/api/v1/workflows/{id}/webhooks", "{\"name\":\"oa\"}" },
		{ "PATCH", "/api/v1/webhooks/{id}", "{\"name\":\"oa\"}" },
		{ "POST", "/api/v1/webhooks/{id}/rotate", "{\"token\":true}" },
		{ "POST", "/api/v1/workflows/{id}/schedules", "{\"cron\":\"0 9 * * *\"}" },
		{ "PATCH", "/api/v1/schedules/{id}", "{\"name\":\"oa\"}" },
		{ "POST", "/api/v1/schedules/preview", "{\"cron\":\"0 9 * * *\"}" },
		{ "POST", "/api/v1/workflows/{id}/versions/{version}/restore", "{\"version\":1}" },
		{ "PUT", "/api/v1/settings/model-prices", "{\"items\":[]}" },
		{ "POST", "/api/v1/executions/{id}/approvals/{node}", "{\"decision\":\"approve\"}" },
		{ "POST", "/api/v1/executions/{id}/replay", "{\"offline\":true}" },
	};
	size_t	 i;

	if (strcmp(pattern, "/api/v1/users") == 0 && strcmp(method, "POST") == 0) {
		serial++;
		snprintf(buf, len, "{\"username\":\"it-oa-%d-%d\",\"email\":\"oa%d-%d@example.com\","
		    "\"password\":\"it-password-0123\",\"role\":\"viewer\"}", (int)getpid(),
		    serial, (int)getpid(), serial);
		return buf;
	}
	if (strcmp(pattern, "/api/v1/auth/register") == 0)
		return "{\"username\":\"it-admin\",\"email\":\"it-admin@example.com\","
		    "\"password\":\"it-password-0123\"}";
	for (i = 0; i < NITEMS(bodies); i++)
		if (strcmp(bodies[i].m, method) == 0 && strcmp(bodies[i].p, pattern) == 0)
			return bodies[i].b;
	return NULL;
}

/* Gives execution "id" the approval request of node "gate" (asking admins) in the state
 * "status" calls for: waiting for it (200; 403, the run then the viewer's, who is not
 * asked), or answered already (409). */
static void
approval_of(const char *id, long status)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO approvals (execution_id, node_id, role, state) "
	    "VALUES ($$%s$$, $$gate$$, $$admin$$, $$%s$$)", id, status == 409 ? "approved" :
	    "pending");
	it_sql(sql);
	snprintf(sql, sizeof(sql), "UPDATE executions SET status = $$waiting$$, end_time = NULL, "
	    "owner_id = CASE WHEN %ld = 403 THEN (SELECT id FROM users WHERE username = "
	    "$$it-oa-viewer$$) ELSE owner_id END WHERE id = $$%s$$", status, id);
	it_sql(sql);
}

/* A fresh resource for the {id} of "pattern", in the state "status" calls for. */
static void
fresh_id(const char *method, const char *pattern, long status, char id[UUID_STRLEN + 1])
{
	char	 wf[UUID_STRLEN + 1], sql[512], user[256];
	const char *st;

	if (strncmp(pattern, "/api/v1/agents/", 15) == 0)
		it_create("/api/v1/agents", good_body("POST", "/api/v1/agents", NULL, 0), editor, id);
	else if (strncmp(pattern, "/api/v1/credentials/", 20) == 0)
		it_create("/api/v1/credentials", good_body("POST", "/api/v1/credentials", NULL, 0),
		    editor, id);
	else if (strncmp(pattern, "/api/v1/workflows/", 18) == 0) {
		it_create("/api/v1/workflows", good_body("POST", "/api/v1/workflows", NULL, 0),
		    editor, id);
		/* A workflow with its fill of webhooks or schedules refuses one more. */
		if (status == 409 && strstr(pattern, "/webhooks") != NULL) {
			snprintf(sql, sizeof(sql), "INSERT INTO webhooks (id, workflow_id, token) "
			    "SELECT gen_random_uuid(), $$%s$$, substr(md5(random()::text) || "
			    "md5(random()::text), 1, 43) FROM generate_series(1, %d)", id,
			    WEBHOOK_PER_WORKFLOW);
			it_sql(sql);
		} else if (status == 409 && strstr(pattern, "/schedules") != NULL) {
			snprintf(sql, sizeof(sql), "INSERT INTO schedules (id, workflow_id, cron) "
			    "SELECT gen_random_uuid(), $$%s$$, $$@daily$$ FROM "
			    "generate_series(1, %d)", id, WEBHOOK_PER_WORKFLOW);
			it_sql(sql);
		}
	} else if (strncmp(pattern, "/api/v1/webhooks/", 17) == 0 ||
	    strncmp(pattern, "/api/v1/schedules/", 18) == 0) {
		it_create("/api/v1/workflows", good_body("POST", "/api/v1/workflows", NULL, 0),
		    editor, wf);
		snprintf(sql, sizeof(sql), "/api/v1/workflows/%s/%s", wf, pattern[8] == 'w' ?
		    "webhooks" : "schedules");
		it_create(sql, pattern[8] == 'w' ? "{}" : "{\"cron\":\"@hourly\"}", editor, id);
	}
	else if (strncmp(pattern, "/api/v1/api-keys/", 17) == 0)
		it_create("/api/v1/api-keys", "{\"name\":\"oa\"}", editor, id);
	else if (strncmp(pattern, "/api/v1/users/", 14) == 0) {
		if (status == 409) {	/* the last admin */
			ck_assert_str_eq(it_sql("SELECT count(*) FROM users WHERE role = $$admin$$"),
			    "1");
			snprintf(id, UUID_STRLEN + 1, "%s", it_sql("SELECT id FROM users WHERE "
			    "role = $$admin$$"));
			return;
		}
		it_create("/api/v1/users", good_body("POST", "/api/v1/users", user, sizeof(user)),
		    admin, id);
	} else if (strncmp(pattern, "/api/v1/executions/", 19) == 0) {
		it_create("/api/v1/workflows", good_body("POST", "/api/v1/workflows", NULL, 0),
		    editor, wf);
		/* cancel needs a live run, retry, replay, events and delete a finished one; 409
		 * the opposite. */
		st = strstr(pattern, "cancel") ? (status == 409 ? "failed" : "running") :
		    strstr(pattern, "retry") || strstr(pattern, "/replay") ||
		    strcmp(method, "DELETE") == 0 ? (status == 409 ? "running" : "failed") :
		    "failed";
		snprintf(sql, sizeof(sql), "INSERT INTO executions (id, workflow_id, "
		    "workflow_version, definition, owner_id, status, end_time) SELECT "
		    "gen_random_uuid(), id, version, definition, owner_id, $$%s$$, CASE WHEN "
		    "$$%s$$ = $$running$$ THEN NULL ELSE now() END FROM workflows WHERE id = "
		    "$$%s$$ RETURNING id", st, st, wf);
		snprintf(id, UUID_STRLEN + 1, "%s", it_sql(sql));
		if (strstr(pattern, "/approvals/") != NULL)
			approval_of(id, status);
		/* A replay's diff needs a replay (of nothing left: its original was deleted). */
		if (strstr(pattern, "/replay-diff") != NULL) {
			snprintf(sql, sizeof(sql), "UPDATE executions SET trigger = $$replay$$, "
			    "replay = $${}$$ WHERE id = $$%s$$ RETURNING id", id);
			it_sql(sql);
		}
	}
	ck_assert(uuid_valid(id));
}

/* The login body of a fresh account an admin disabled (login answers it 403). */
static const char *
disabled_login(char *buf, size_t len)
{
	char	 user[256], id[UUID_STRLEN + 1], path[128], sql[128];

	it_create("/api/v1/users", good_body("POST", "/api/v1/users", user, sizeof(user)),
	    admin, id);
	snprintf(path, sizeof(path), "/api/v1/users/%s", id);
	ck_assert_int_eq(it_status("PATCH", path, "{\"disabled\":true}", admin), 200);
	snprintf(sql, sizeof(sql), "SELECT username FROM users WHERE id = $$%s$$", id);
	snprintf(buf, len, "{\"username\":\"%s\",\"password\":\"it-password-0123\"}",
	    it_sql(sql));
	return buf;
}

/* A webhook (JSON members "hook") on a new workflow of "def"; its path into "path". The
 * secret, when the mode has one, into "secret". */
static void
hook_new(const char *def, const char *hook, char *path, size_t len,
    char secret[WEBHOOK_SECRET_LEN + 1])
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], body[2048], url[128];

	snprintf(body, sizeof(body), "{\"name\":\"oa\",\"definition\":%s}", def);
	it_create("/api/v1/workflows", body, editor, wf);
	snprintf(url, sizeof(url), "/api/v1/workflows/%s/webhooks", wf);
	ck_assert_int_eq(it_req("POST", url, hook, editor, &r), 201);
	snprintf(path, len, "%s", jsonh_get_string(r.json, "path"));
	snprintf(secret, WEBHOOK_SECRET_LEN + 1, "%s", jsonh_get_string(r.json, "secret") ?
	    jsonh_get_string(r.json, "secret") : "");
	http_resp_clear(&r);
}

#define OA_DEF_FAIL "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"x\",\"type\":\"transform\",\"config\":{\"expr\":\"error(\\\"no\\\")\"}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"x\"}}],\"edges\":[" \
	"{\"source\":\"in\",\"target\":\"x\"},{\"source\":\"x\",\"target\":\"out\"}]}"
#define OA_DEF_SCHEMA "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":" \
	"{\"schema\":{\"type\":\"object\",\"required\":[\"absent\"]}}},{\"id\":\"out\"," \
	"\"type\":\"output\",\"config\":{\"value\":\"x\"}}],\"edges\":[{\"source\":" \
	"\"in\",\"target\":\"out\"}]}"

/* Produces "status" from the public webhook route; returns what it answered. */
static long
produce_hook(long status)
{
	struct http_resp	 r;
	char			 path[128], secret[WEBHOOK_SECRET_LEN + 1], sig[WEBHOOK_SIG_LEN + 1];
	char			 hs[256], ht[64], ts[24], *big = NULL;
	const char		*method = "POST", *ctype = "application/json", *body = "{}";
	const char		*def = IT_DEF, *hook = "{}", *h[] = { hs, ht, NULL };
	long			 got;

	hs[0] = ht[0] = '\0';
	switch (status) {
	case 200:
		hook = "{\"response_mode\":\"sync\"}";
		break;
	case 401:
		hook = "{\"auth_mode\":\"secret\"}";
		break;
	case 409:
	case 503:
		hook = "{\"auth_mode\":\"hmac\"}";
		break;
	case 422:
		def = OA_DEF_SCHEMA;
		break;
	case 500:
		def = OA_DEF_FAIL;
		hook = "{\"response_mode\":\"sync\"}";
		break;
	}
	hook_new(def, hook, path, sizeof(path), secret);
	switch (status) {
	case 400:
		body = "{\"x\":";
		break;
	case 404:
		snprintf(path, sizeof(path), WEBHOOK_PATH_PREFIX "%s",
		    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
		break;
	case 405:
		method = "PUT";
		break;
	case 409:
	case 503:
		snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
		webhook_sign(secret, ts, body, strlen(body), sig);
		snprintf(hs, sizeof(hs), WEBHOOK_SIG_HEADER ": %s", sig);
		snprintf(ht, sizeof(ht), WEBHOOK_TS_HEADER ": %s", ts);
		if (status == 409) {	/* the first time is accepted */
			ck_assert_int_eq(http_do(method, path, ctype, body, h, &r), 0);
			ck_assert_int_eq(r.status, 202);
			http_resp_clear(&r);
		} else
			ck_assert_int_eq(it_sh("$FRAGENT_TEST_SUPERVISORCTL stop redis "
			    ">/dev/null"), 0);
		break;
	case 410:
		snprintf(hs, sizeof(hs), "UPDATE webhooks SET enabled = false WHERE token = "
		    "$$%s$$", path + sizeof(WEBHOOK_PATH_PREFIX) - 1);
		it_sql(hs);
		hs[0] = '\0';
		break;
	case 413:
		big = malloc(2 << 20);
		ck_assert_ptr_nonnull(big);
		memset(big, 'a', 2 << 20);
		big[(2 << 20) - 1] = '\0';
		body = big;
		ctype = "text/plain";
		break;
	case 415:
		body = "\xff\xfe";
		ctype = "application/octet-stream";
		break;
	}
	if (hs[0] == '\0')
		h[0] = "Authorization:", h[1] = NULL;
	ck_assert_int_eq(http_do(method, path, ctype, body, h, &r), 0);
	got = r.status;
	if (got >= 400)
		it_assert_problem(&r, got);
	http_resp_clear(&r);
	free(big);
	if (status == 503) {
		it_sh("$FRAGENT_TEST_SUPERVISORCTL start redis >/dev/null");
		sleep(1);
	}
	return got;
}

/* 429 on a webhook: one address calls more at once than nginx's FRAGENT_HOOK_BURST allows
 * (it_hook_flood). Returns 429 when one was refused so, else 404. */
static long
produce_hook_flood(void)
{
	size_t	 through, refused;

	it_hook_flood(NULL, &through, &refused);
	return refused > 0 ? 429 : 404;
}

/* Appends what a stream request received to the struct buf at "arg" (the streams of a run
 * without events send nothing yet: what comes is the refusals' bodies). */
static size_t
on_stream_body(char *p, size_t size, size_t n, void *arg)
{
	buf_append(arg, p, size * n);
	return size * n;
}

/* 429 on a run's event stream: its user holds FRAGENT_SSE_USER_STREAMS streams on a listener
 * process. That many per process and one more, all open at once on a running execution,
 * cannot all fit on the FRAGENT_SSE_PROCS processes: the last ones are refused. Returns 429
 * when one was (problem+json), else the first other status seen. */
static long
produce_stream_limit(void)
{
	const char	*lim = getenv("FRAGENT_SSE_USER_STREAMS"), *procs = getenv("FRAGENT_SSE_PROCS");
	char		 id[UUID_STRLEN + 1], url[512], hdr[1200], sql[256];
	struct curl_slist *h;
	struct rlimit	 rl;
	struct buf	 refusal;
	CURLM		*m = curl_multi_init();
	CURL		**e;
	long		 code, got = 0;
	size_t		 n, i, answered = 0;
	int		 running = 1, k;

	ck_assert_ptr_nonnull(lim);
	ck_assert_ptr_nonnull(procs);
	n = (size_t)atol(lim) * (size_t)atol(procs) + 1;
	/* This process holds a descriptor per stream. */
	ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &rl), 0);
	ck_assert_msg(rl.rlim_max > n + 64, "the hard descriptor limit is too low");
	rl.rlim_cur = rl.rlim_max;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	fresh_id("POST", "/api/v1/executions/{id}/cancel", 202, id);	/* a running one */
	snprintf(url, sizeof(url), "%s/api/v1/executions/%s/events", it_base_url(), id);
	snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", admin);
	h = curl_slist_append(NULL, hdr);
	buf_init(&refusal);
	ck_assert_ptr_nonnull(e = calloc(n, sizeof(*e)));
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(e[i] = curl_easy_init());
		curl_easy_setopt(e[i], CURLOPT_URL, url);
		curl_easy_setopt(e[i], CURLOPT_HTTPHEADER, h);
		curl_easy_setopt(e[i], CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e[i], CURLOPT_FORBID_REUSE, 1L);
		curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, on_stream_body);
		curl_easy_setopt(e[i], CURLOPT_WRITEDATA, &refusal);
		curl_multi_add_handle(m, e[i]);
	}
	/* Until every request has its answer's head (a stream stays open). */
	for (k = 0; k < 600 && answered < n && running > 0; k++) {
		curl_multi_perform(m, &running);
		curl_multi_poll(m, NULL, 0, 50, NULL);
		for (i = 0, answered = 0; i < n; i++) {
			code = 0;
			curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &code);
			answered += code != 0;
			if (code != 0 && (got == 0 || code == 429) && got != 429)
				got = code;
		}
	}
	ck_assert_msg(answered == n, "%zu of %zu streams answered", answered, n);
	for (i = 0; i < n; i++) {
		curl_multi_remove_handle(m, e[i]);
		curl_easy_cleanup(e[i]);
	}
	if (got == 429) {
		/* The refusals' bodies, one after another: the first is a problem. */
		buf_append(&refusal, "", 1);
		ck_assert_msg(strstr(refusal.data, "\"status\":429") != NULL &&
		    strstr(refusal.data, "FRAGENT_SSE_USER_STREAMS") != NULL, "%s", refusal.data);
	}
	buf_clear(&refusal);
	free(e);
	curl_slist_free_all(h);
	curl_multi_cleanup(m);
	snprintf(sql, sizeof(sql), "UPDATE executions SET status = $$failed$$, end_time = now() "
	    "WHERE id = $$%s$$", id);
	it_sql(sql);
	return got;
}

/* Builds "pattern" with "id" (and version 1, which every workflow has; node "gate") into
 * "out". */
static void
fill(const char *pattern, const char *id, char *out, size_t len)
{
	const char	*p = strstr(pattern, "{id}"), *v;
	char		 tmp[512];

	if (p == NULL)
		snprintf(tmp, sizeof(tmp), "%s", pattern);
	else
		snprintf(tmp, sizeof(tmp), "%.*s%s%s", (int)(p - pattern), pattern, id, p + 4);
	if ((v = strstr(tmp, "{version}")) != NULL)
		snprintf(out, len, "%.*s1%s", (int)(v - tmp), tmp, v + 9);
	else if ((v = strstr(tmp, "{node}")) != NULL)	/* approvals: approval_of's node */
		snprintf(out, len, "%.*sgate%s", (int)(v - tmp), tmp, v + 6);
	else
		snprintf(out, len, "%s", tmp);
}

/* Produces "status" on "method" "pattern" of role "role" and returns what came. */
static long
produce(const char *method, const char *pattern, const char *role, long status)
{
	struct http_resp	 r;
	char			 id[UUID_STRLEN + 1] = "", path[512], buf[512], hdr[2100];
	const char		*body, *tok = admin, *ctype = "application/json";
	const char		*h[] = { hdr, NULL };
	char			*big = NULL;
	long			 got;

	/* Only the first sign-up of a stack (or any, with open sign-up) answers 201, and
	 * it_login_admin made it on this stack: check its outcome instead of repeating it. */
	if (status == 201 && strcmp(pattern, "/api/v1/auth/register") == 0) {
		ck_assert_str_eq(it_sql("SELECT role FROM users WHERE username = $$it-admin$$"),
		    "admin");
		return 201;
	}
	if (strncmp(pattern, WEBHOOK_PATH_PREFIX, sizeof(WEBHOOK_PATH_PREFIX) - 1) == 0)
		return status == 429 ? produce_hook_flood() : produce_hook(status);
	if (status == 429 && strcmp(pattern, "/api/v1/executions/{id}/events") == 0)
		return produce_stream_limit();
	body = good_body(method, pattern, buf, sizeof(buf));
	/* A run answers 200 when it ends within its wait. */
	if (status == 200 && strcmp(pattern, "/api/v1/workflows/{id}/executions") == 0)
		body = "{\"inputs\":{},\"wait\":20}";
	if (strstr(pattern, "{id}") != NULL) {
		if (status == 404)
			snprintf(id, sizeof(id), "00000000-0000-4000-8000-000000000000");
		else
			fresh_id(method, pattern, status, id);
	}
	fill(pattern, id, path, sizeof(path));
	/* The runs of a node: the node is required (without it, 422). */
	if (strstr(pattern, "/children") != NULL && status != 422)
		strncat(path, "?node=in", sizeof(path) - strlen(path) - 1);
	switch (status) {
	case 401:
		tok = NULL;
		if (strcmp(pattern, "/api/v1/auth/login") == 0)
			body = "{\"username\":\"it-admin\",\"password\":\"wrong-password\"}";
		break;
	case 403:
		tok = role != NULL && strcmp(role, "admin") == 0 ? editor : viewer;
		if (strcmp(pattern, "/api/v1/auth/register") == 0)
			tok = NULL;
		if (strcmp(pattern, "/api/v1/auth/login") == 0)
			body = disabled_login(buf, sizeof(buf));
		break;
	case 400:
		body = "{\"name\": ";
		break;
	case 413:
		big = malloc(2 << 20);
		memset(big, ' ', 2 << 20);
		big[0] = '{';
		big[(2 << 20) - 2] = '}';
		big[(2 << 20) - 1] = '\0';
		body = big;
		break;
	case 415:
		ctype = "text/plain";
		break;
	case 422:
		if (body != NULL)
			body = strstr(pattern, "executions") ? "{\"inputs\":1}" :
			    "{\"unexpected_field\":1}";
		else
			snprintf(path + strlen(path), sizeof(path) - strlen(path), "%s",
			    strstr(pattern, "/usage/") != NULL ? "?range=0" : "?limit=0");
		break;
	case 409:
		if (strcmp(method, "PUT") == 0)
			body = strstr(pattern, "agents") ? "{\"name\":\"oa\",\"configuration\":"
			    IT_AGENT_CONF ",\"version\":99}" : strstr(pattern, "workflows") ?
			    "{\"name\":\"oa\",\"definition\":" IT_DEF ",\"version\":99}" :
			    "{\"name\":\"oa\",\"provider\":\"openai\",\"version\":99}";
		else if (strcmp(method, "POST") == 0 && strcmp(pattern, "/api/v1/users") == 0)
			body = "{\"username\":\"it-admin\",\"email\":\"x@example.com\","
			    "\"password\":\"it-password-0123\",\"role\":\"viewer\"}";
		else if (strcmp(method, "PATCH") == 0)
			body = "{\"role\":\"viewer\"}";
		else if (strstr(pattern, "/restore") != NULL)
			body = "{\"version\":99}";
		break;
	case 503:
		ck_assert_int_eq(it_sh(getenv("FRAGENT_TEST_SUPERVISORCTL") ? "$FRAGENT_TEST_"
		    "SUPERVISORCTL stop redis >/dev/null" : "false"), 0);
		break;
	}
	if (tok != NULL)
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", tok);
	else
		snprintf(hdr, sizeof(hdr), "Authorization:");
	if (status == 200 && strcmp(pattern, "/api/v1/auth/refresh") == 0) {
		/* A refresh token comes from a sign-in, in its cookie. */
		it_req("POST", "/api/v1/auth/login", good_body("POST", "/api/v1/auth/login",
		    NULL, 0), NULL, &r);
		snprintf(hdr, sizeof(hdr), "Cookie: %.*s", (int)strcspn(r.set_cookie, ";"),
		    r.set_cookie);
		http_resp_clear(&r);
	}
	ck_assert_int_eq(http_do(method, path, body ? ctype : NULL, body, h, &r), 0);
	got = r.status;
	if (got >= 400)
		it_assert_problem(&r, got);
	http_resp_clear(&r);
	free(big);
	if (status == 503) {
		it_sh("$FRAGENT_TEST_SUPERVISORCTL start redis >/dev/null");
		sleep(1);
	}
	return got;
}

START_TEST(test_every_documented_status)
{
	struct http_resp	 r;
	json_object		*doc, *paths;
	size_t			 checked = 0;

	ck_assert_int_eq(http_get("/api/v1/openapi.json", &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "openapi"), "3.1.0");
	doc = json_object_get(r.json);
	http_resp_clear(&r);
	ck_assert_ptr_nonnull(paths = jsonh_get_typed(doc, "paths", json_type_object));
	json_object_object_foreach(paths, pattern, item) {
		json_object_object_foreach(item, lmethod, op) {
			char		 method[16];
			const char	*role = jsonh_get_string(op, "x-fragent-role");
			size_t		 i;

			for (i = 0; lmethod[i] != '\0' && i + 1 < sizeof(method); i++)
				method[i] = (char)(lmethod[i] & ~0x20);
			method[i] = '\0';
			json_object_object_foreach(jsonh_get_typed(op, "responses",
			    json_type_object), code, resp) {
				long	 want = strtol(code, NULL, 10), got;

				(void)resp;
				got = produce(method, pattern, role, want);
				ck_assert_msg(got == want, "%s %s: documented %ld, produced %ld",
				    method, pattern, want, got);
				checked++;
			}
		}
	}
	ck_assert_uint_gt(checked, 150);
	json_object_put(doc);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("openapi");
	TCase	*tc = tcase_create("spec");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_openapi: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	admin = strdup(it_token());
	it_set_token(NULL);
	editor = it_login_as("it-oa-editor", "editor");
	viewer = it_login_as("it-oa-viewer", "viewer");
	if (editor == NULL || viewer == NULL)
		return EXIT_FAILURE;
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_every_documented_status);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
