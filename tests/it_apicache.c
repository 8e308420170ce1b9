/* it_apicache.c: the API's per-process caches never answer with data older than the change
 * that made them stale. Each check changes something through one request (one process),
 * then, one round trip later, reads through the others at once: BURST concurrent requests
 * on fresh client connections, every answer of which must be current.
 *
 * nginx keeps FastCGI connections to the API open on /api/v1/ (each held by one thread), so
 * a burst there is served by the few threads holding them, often of one process. To reach
 * every process, the checks of a user's or key's state read GET /api/v1/auth/me, whose
 * location opens a FastCGI connection per request (the kernel hands them to the waiting
 * threads of all processes), repeating the burst until every process served part of it
 * (checked: each process's read count grew). The same reads fill every cache beforehand.
 * Role changes (no route under /auth/ depends on the role) and agents are read on /api/v1/.
 *
 * A change made through the API is seen at once: the first burst is sent as soon as the
 * change's answer came back. Each change must also have been notified (the test listens
 * too, see notified()): that is what keeps other hosts' processes and changes made in SQL
 * exact. docs/ARCHITECTURE.md ("API processes") states the guarantee.
 *
 * Covered: a role change, a disabled user, a new password (token epoch), a deleted API key
 * and its owner disabled, an agent updated then read (through the API, and in SQL), a chat
 * with another user's, a deleted or an unknown agent (its owner checked through the same
 * cache), a workflow's runs after it changed (through the API, and in SQL) or was deleted,
 * an agent's id on the workflows' routes and the other way round, a run of a workflow (a chat
 * with an agent) deleted before any process heard of it, and a change made while
 * PostgreSQL restarts (the notification is lost: every
 * cache must start over). */
#include "config.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "db.h"
#include "it_common.h"
#include "jsonh.h"

/* Concurrent requests of a burst: more than the stack's API threads in all (4 × 8). */
#define BURST		32
/* API processes of the stack looked at, at most. */
#define MAX_PROCS	64
/* Bursts at most until every process served one. */
#define MAX_ROUNDS	20
/* Between two bursts to /auth/ (rate limited per address: 100r/s in the test stack). */
#define ROUND_PAUSE_MS	600
#define ME		"/api/v1/auth/me"
#define VALIDATE_BODY	"{\"definition\":" IT_DEF "}"

static char	*admin;

/* A user of this run. */
static void
who_new(struct it_user *w, const char *tag, const char *role)
{
	it_user_new(w, "it-cache", tag, role);
}

/* Deletes it and frees its token. */
static void
who_delete(struct it_user *w)
{
	it_user_delete(w, admin);
	it_user_clear(w);
}

/* ---------------------------------------------------------------- the API's processes */

/* Fills "pids" with the stack's fragent-api processes (supervisorctl status). Returns how
 * many. */
static size_t
api_pids(long pids[MAX_PROCS])
{
	char	 cmd[512], line[512], *p;
	FILE	*f;
	size_t	 n = 0;

	ck_assert_ptr_nonnull(getenv("FRAGENT_TEST_SUPERVISORCTL"));
	snprintf(cmd, sizeof(cmd), "$FRAGENT_TEST_SUPERVISORCTL status 'api:*'");
	ck_assert_ptr_nonnull(f = popen(cmd, "r"));
	while (n < MAX_PROCS && fgets(line, sizeof(line), f) != NULL)
		if (strstr(line, "RUNNING") != NULL && (p = strstr(line, "pid ")) != NULL)
			pids[n++] = strtol(p + 4, NULL, 10);
	pclose(f);
	ck_assert_uint_ge(n, 2);
	return n;
}

/* The read system calls process "pid" made so far (every FastCGI request takes some). */
static long long
reads_of(long pid)
{
	char		 path[64], line[128];
	long long	 v = -1;
	FILE		*f;

	snprintf(path, sizeof(path), "/proc/%ld/io", pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "syscr: ", 7) == 0)
			v = strtoll(line + 7, NULL, 10);
	fclose(f);
	ck_assert(v >= 0);
	return v;
}

/* ---------------------------------------------------------------- bursts */

/* Sends BURST requests "method" "path" (JSON "body" or NULL) as bearer "token" at once, each
 * on a new connection. Returns how many answered "also" (when not 0); asserts that every
 * other one answered "want" with a body containing "needle" (when not NULL). */
static int
burst_once(const char *method, const char *path, const char *body, const char *token,
    long want, long also, const char *needle)
{
	const char	*bodies[BURST];
	char		*answers[BURST];
	long		 st[BURST];
	size_t		 i;
	int		 bad = 0, alt = 0;

	for (i = 0; i < BURST; i++)
		bodies[i] = body;
	http_many(method, path, bodies, token, BURST, st, answers);
	for (i = 0; i < BURST; i++) {
		if (also != 0 && st[i] == also)
			alt++;
		else if (st[i] != want || (needle != NULL && strstr(answers[i], needle) == NULL)) {
			if (bad++ == 0)
				fprintf(stderr, "it_apicache: %s %s: want %ld, got %ld: %s\n",
				    method, path, want, st[i], answers[i]);
		}
		free(answers[i]);
	}
	ck_assert_msg(bad == 0, "%s %s: %d of %d answers stale or wrong", method, path, bad,
	    BURST);
	return alt;
}

/* Bursts (burst_once) of GET /api/v1/auth/me as "token" until every API process served part
 * of them, at most MAX_ROUNDS: every answer of every burst is checked, the first one right
 * after the caller's change. Returns how many answered "also". */
static int
everywhere_or(const char *token, long want, long also, const char *needle)
{
	long		 pids[MAX_PROCS];
	long long	 before[MAX_PROCS];
	size_t		 np, i, left;
	int		 round, alt = 0;

	np = api_pids(pids);
	for (i = 0; i < np; i++)
		before[i] = reads_of(pids[i]);
	for (round = 0, left = np; left > 0 && round < MAX_ROUNDS; round++) {
		if (round > 0)
			usleep(ROUND_PAUSE_MS * 1000);
		alt += burst_once("GET", ME, NULL, token, want, also, needle);
		for (i = 0, left = 0; i < np; i++)
			if (reads_of(pids[i]) == before[i])
				left++;
	}
	ck_assert_msg(left == 0, "%zu API processes served none of %d bursts", left, round);
	return alt;
}

/* everywhere_or with no other answer allowed. */
static void
everywhere(const char *token, long want, const char *needle)
{
	everywhere_or(token, want, 0, needle);
}

/* One burst (burst_once) with no other answer allowed. */
static void
burst(const char *method, const char *path, const char *body, const char *token, long want,
    const char *needle)
{
	burst_once(method, path, body, token, want, 0, needle);
}

/* ---------------------------------------------------------------- notifications */

#define USER_CHANNEL	"fragent_user_state"
#define KEYS_CHANNEL	"fragent_api_keys"
#define ROWS_CHANNEL	"fragent_rows"

/* A connection of the test's own that LISTENs on the API's channels. */
static struct db	*watch;

struct awaited {
	const char	*channel, *payload;
	int		 seen;
};

static void
on_notify(const char *channel, const char *payload, void *arg)
{
	struct awaited	*a = arg;

	if (strcmp(channel, a->channel) == 0 && strcmp(payload, a->payload) == 0)
		a->seen = 1;
}

/* Opens "watch". Returns 0, or -1 when the database cannot be reached. */
static int
watch_open(void)
{
	if (getenv("FRAGENT_DATABASE_URL") == NULL)
		return -1;
	watch = db_new(getenv("FRAGENT_DATABASE_URL"));
	if (db_exec(watch, "LISTEN " USER_CHANNEL, 0, NULL, NULL) != DB_OK ||
	    db_exec(watch, "LISTEN " KEYS_CHANNEL, 0, NULL, NULL) != DB_OK ||
	    db_exec(watch, "LISTEN " ROWS_CHANNEL, 0, NULL, NULL) != DB_OK)
		return -1;
	return 0;
}

/* Asserts that PostgreSQL sent the notification of a committed change ("channel", naming
 * "payload") to the test's own listening connection, waiting at most 5 s. */
static void
notified(const char *channel, const char *payload)
{
	struct awaited	 a = { channel, payload, 0 };
	struct pollfd	 p;
	int		 i;

	for (i = 0; i < 500 && !a.seen; i++) {
		ck_assert_int_eq(db_notifies(watch, on_notify, &a), 0);
		if (a.seen)
			break;
		p.fd = db_socket(watch);
		p.events = POLLIN;
		poll(&p, 1, 10);
	}
	ck_assert_msg(a.seen, "no notification on %s for %s", channel, payload);
}

/* ---------------------------------------------------------------- the tests */

START_TEST(test_role_change_seen_everywhere)
{
	struct it_user	 u;

	who_new(&u, "role", "editor");
	everywhere(u.token, 200, "\"editor\"");
	burst("POST", "/api/v1/workflows/validate", VALIDATE_BODY, u.token, 200, NULL);
	it_user_patch(&u, "{\"role\":\"viewer\"}", admin);
	burst("POST", "/api/v1/workflows/validate", VALIDATE_BODY, u.token, 403, NULL);
	notified(USER_CHANNEL, u.id);
	everywhere(u.token, 200, "\"viewer\"");
	it_user_patch(&u, "{\"role\":\"editor\"}", admin);
	burst("POST", "/api/v1/workflows/validate", VALIDATE_BODY, u.token, 200, NULL);
	notified(USER_CHANNEL, u.id);
	who_delete(&u);
}
END_TEST

START_TEST(test_disabled_and_new_password_seen_everywhere)
{
	struct it_user	 u, v;

	who_new(&u, "off", "viewer");
	everywhere(u.token, 200, NULL);
	it_user_patch(&u, "{\"disabled\":true}", admin);
	everywhere(u.token, 401, NULL);
	notified(USER_CHANNEL, u.id);
	burst("GET", "/api/v1/agents", NULL, u.token, 401, NULL);
	who_delete(&u);

	who_new(&v, "pw", "viewer");
	everywhere(v.token, 200, NULL);
	it_user_patch(&v, "{\"password\":\"it-password-0123\"}", admin);
	everywhere(v.token, 401, NULL);
	notified(USER_CHANNEL, v.id);
	burst("GET", "/api/v1/agents", NULL, v.token, 401, NULL);
	who_delete(&v);
}
END_TEST

START_TEST(test_deleted_api_key_refused_everywhere)
{
	struct http_resp	 r;
	struct it_user		 u;
	char			*key, path[128], key_id[UUID_STRLEN + 1];

	who_new(&u, "key", "viewer");
	ck_assert_int_eq(it_req("POST", "/api/v1/api-keys", "{\"name\":\"cache\"}", u.token,
	    &r), 201);
	key = strdup(jsonh_get_string(r.json, "key"));
	snprintf(key_id, sizeof(key_id), "%s", jsonh_get_string(r.json, "id"));
	snprintf(path, sizeof(path), "/api/v1/api-keys/%s", key_id);
	http_resp_clear(&r);
	everywhere(key, 200, NULL);
	/* Again: now every process answers from its cache. */
	everywhere(key, 200, NULL);
	ck_assert_int_eq(it_status("DELETE", path, NULL, u.token), 204);
	everywhere(key, 401, NULL);
	notified(KEYS_CHANNEL, key_id);
	burst("GET", "/api/v1/agents", NULL, key, 401, NULL);
	/* A cached key follows its owner: disabled, the key is refused everywhere. */
	ck_assert_int_eq(it_req("POST", "/api/v1/api-keys", "{\"name\":\"cache2\"}", u.token,
	    &r), 201);
	free(key);
	key = strdup(jsonh_get_string(r.json, "key"));
	http_resp_clear(&r);
	everywhere(key, 200, NULL);
	burst("GET", "/api/v1/agents", NULL, key, 200, NULL);
	it_user_patch(&u, "{\"disabled\":true}", admin);
	everywhere(key, 401, NULL);
	notified(USER_CHANNEL, u.id);
	burst("GET", "/api/v1/agents", NULL, key, 401, NULL);
	free(key);
	who_delete(&u);
}
END_TEST

START_TEST(test_agent_update_read_everywhere)
{
	struct http_resp	 r;
	struct it_user		 u;
	char			 id[UUID_STRLEN + 1], path[128];
	int			 round;

	who_new(&u, "agent", "editor");
	it_create("/api/v1/agents", "{\"name\":\"cache v1\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, id);
	snprintf(path, sizeof(path), "/api/v1/agents/%s", id);
	burst("GET", path, NULL, u.token, 200, "\"cache v1\"");
	for (round = 2; round <= 4; round++) {
		char	 body[256], name[32];

		snprintf(name, sizeof(name), "cache v%d", round);
		snprintf(body, sizeof(body), "{\"name\":\"%s\",\"configuration\":"
		    IT_AGENT_CONF ",\"version\":%d}", name, round - 1);
		ck_assert_int_eq(it_req("PUT", path, body, u.token, &r), 200);
		http_resp_clear(&r);
		snprintf(body, sizeof(body), "\"%s\"", name);
		burst("GET", path, NULL, u.token, 200, body);
	}
	ck_assert_int_eq(it_status("DELETE", path, NULL, u.token), 204);
	burst("GET", path, NULL, u.token, 404, NULL);
	who_delete(&u);
}
END_TEST

/* A chat checks its agent's owner through the same cache as GET: another user's agent
 * stays unknown to them however it was cached, a bad message is answered 422 before an
 * unknown agent 404, and a deleted agent cannot be chatted with through any process. */
START_TEST(test_agent_chat_checks_the_cached_owner)
{
	struct it_user	 u, other;
	char		 id[UUID_STRLEN + 1], get[128], chat[160], nobody[160];
	int		 i;

	who_new(&u, "chat", "editor");
	who_new(&other, "chat-other", "editor");
	it_create("/api/v1/agents", "{\"name\":\"chat cached\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, id);
	snprintf(get, sizeof(get), "/api/v1/agents/%s", id);
	snprintf(chat, sizeof(chat), "%s/chat", get);
	snprintf(nobody, sizeof(nobody), "/api/v1/agents/%s/chat",
	    "00000000-0000-7000-8000-000000000000");
	for (i = 0; i < 3; i++)		/* into the caches of the threads' processes */
		burst("GET", get, NULL, u.token, 200, "\"chat cached\"");
	burst("POST", chat, "{\"message\":\"hi\"}", other.token, 404, NULL);
	burst("POST", chat, "{\"message\":42}", u.token, 422, "message");
	burst("POST", nobody, "{\"message\":42}", u.token, 422, "message");
	burst("POST", nobody, "{\"message\":\"hi\"}", u.token, 404, NULL);
	ck_assert_int_eq(it_status("DELETE", get, NULL, u.token), 204);
	burst("POST", chat, "{\"message\":\"hi\"}", u.token, 404, NULL);
	who_delete(&other);
	who_delete(&u);
}
END_TEST

/* An agent every process may have cached is changed, then deleted, in SQL, not through the
 * API: no process counted it, so only the row's notification can drop the cached copies.
 * Once PostgreSQL has sent it (to the test's connection as to every process's), every
 * answer is the changed row. The wait after it covers the other listening backends' wait
 * for a CPU on a loaded machine (see the file's comment). */
START_TEST(test_agent_changed_in_sql_read_everywhere)
{
	struct it_user	 u;
	char		 id[UUID_STRLEN + 1], path[128], sql[256];
	int		 i;

	who_new(&u, "agent-sql", "editor");
	it_create("/api/v1/agents", "{\"name\":\"sql v1\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, id);
	snprintf(path, sizeof(path), "/api/v1/agents/%s", id);
	for (i = 0; i < 3; i++)		/* into the caches of the threads' processes */
		burst("GET", path, NULL, u.token, 200, "\"sql v1\"");
	snprintf(sql, sizeof(sql), "UPDATE agents SET name = $$sql v2$$ WHERE id = $$%s$$", id);
	it_sql(sql);
	notified(ROWS_CHANNEL, id);
	usleep(1000 * 1000);
	burst("GET", path, NULL, u.token, 200, "\"sql v2\"");
	snprintf(sql, sizeof(sql), "DELETE FROM agents WHERE id = $$%s$$", id);
	it_sql(sql);
	notified(ROWS_CHANNEL, id);
	usleep(1000 * 1000);
	burst("GET", path, NULL, u.token, 404, NULL);
	who_delete(&u);
}
END_TEST

/* A run snapshots its workflow through the same cache as GET /workflows/{id}: once a version
 * changed through one process (or in SQL, once notified), every process's next run takes the
 * new one, and a deleted workflow starts no run anywhere. */
START_TEST(test_workflow_runs_take_the_current_version_everywhere)
{
	struct http_resp	 r;
	struct it_user		 u;
	char			 id[UUID_STRLEN + 1], path[128], runs[160], sql[256];
	int			 i;

	who_new(&u, "workflow", "editor");
	it_create("/api/v1/workflows", "{\"name\":\"runs v1\",\"definition\":" IT_DEF "}",
	    u.token, id);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s", id);
	snprintf(runs, sizeof(runs), "%s/executions", path);
	for (i = 0; i < 3; i++)		/* into the caches of the threads' processes */
		burst("POST", runs, "{}", u.token, 202, "\"workflow_version\" : 1,");
	burst("GET", path, NULL, u.token, 200, "\"runs v1\"");
	ck_assert_int_eq(it_req("PUT", path, "{\"name\":\"runs v2\",\"definition\":" IT_DEF
	    ",\"version\":1}", u.token, &r), 200);
	http_resp_clear(&r);
	burst("POST", runs, "{}", u.token, 202, "\"workflow_version\" : 2,");
	burst("GET", path, NULL, u.token, 200, "\"runs v2\"");
	/* An input the new version requires is checked against the new version too. */
	snprintf(sql, sizeof(sql), "UPDATE workflows SET version = 3, definition = "
	    "jsonb_set(definition, $${nodes,0,config}$$, $${\"schema\":{\"type\":\"object\","
	    "\"required\":[\"x\"]}}$$) WHERE id = $$%s$$", id);
	it_sql(sql);
	notified(ROWS_CHANNEL, id);
	usleep(1000 * 1000);
	burst("POST", runs, "{}", u.token, 422, "inputs");
	burst("POST", runs, "{\"inputs\":{\"x\":1}}", u.token, 202,
	    "\"workflow_version\" : 3,");
	ck_assert_int_eq(it_status("DELETE", path, NULL, u.token), 204);
	burst("POST", runs, "{}", u.token, 404, NULL);
	burst("GET", path, NULL, u.token, 404, NULL);
	who_delete(&u);
}
END_TEST

/* Agents and workflows share the cache, keyed by id: a cached row answers only the
 * statement that read it, so neither resource's id reaches the other's route. */
START_TEST(test_cached_rows_answer_their_own_route)
{
	struct it_user	 u;
	char		 agent[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], path[160];
	int		 i;

	who_new(&u, "kinds", "editor");
	it_create("/api/v1/agents", "{\"name\":\"kind agent\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, agent);
	it_create("/api/v1/workflows", "{\"name\":\"kind wf\",\"definition\":" IT_DEF "}",
	    u.token, wf);
	for (i = 0; i < 3; i++) {	/* both into the caches of the threads' processes */
		snprintf(path, sizeof(path), "/api/v1/agents/%s", agent);
		burst("GET", path, NULL, u.token, 200, "\"kind agent\"");
		snprintf(path, sizeof(path), "/api/v1/workflows/%s", wf);
		burst("GET", path, NULL, u.token, 200, "\"kind wf\"");
	}
	snprintf(path, sizeof(path), "/api/v1/agents/%s", wf);
	burst("GET", path, NULL, u.token, 404, NULL);
	snprintf(path, sizeof(path), "/api/v1/agents/%s/chat", wf);
	burst("POST", path, "{\"message\":\"hi\"}", u.token, 404, NULL);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s", agent);
	burst("GET", path, NULL, u.token, 404, NULL);
	snprintf(path, sizeof(path), "/api/v1/workflows/%s/executions", agent);
	burst("POST", path, "{}", u.token, 404, NULL);
	who_delete(&u);
}
END_TEST

/* Deletes row "id" of "table" in SQL with its change trigger "trigger" off: no process hears
 * of it (as when its notification is still on the way), so each keeps the row it cached. */
static void
delete_unheard(const char *table, const char *trigger, const char *id)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "ALTER TABLE %s DISABLE TRIGGER %s; DELETE FROM %s WHERE "
	    "id = $$%s$$; ALTER TABLE %s ENABLE TRIGGER %s", table, trigger, table, id, table,
	    trigger);
	it_sql(sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s WHERE id = $$%s$$", table, id);
	ck_assert_str_eq(it_sql(sql), "0");
}

/* A workflow or an agent deleted before the processes that cached it heard of it: a run of
 * it (a chat with it) is refused by the row's foreign key, and answered 404 like any unknown
 * target, not as a refused value (422). */
START_TEST(test_run_of_a_target_deleted_unheard_is_not_found)
{
	struct it_user	 u;
	char		 wf[UUID_STRLEN + 1], agent[UUID_STRLEN + 1], runs[160], get[128],
			 chat[160];
	int		 i;

	who_new(&u, "unheard", "editor");
	it_create("/api/v1/workflows", "{\"name\":\"unheard\",\"definition\":" IT_DEF "}",
	    u.token, wf);
	it_create("/api/v1/agents", "{\"name\":\"unheard\",\"configuration\":"
	    IT_AGENT_CONF "}", u.token, agent);
	snprintf(runs, sizeof(runs), "/api/v1/workflows/%s/executions", wf);
	snprintf(get, sizeof(get), "/api/v1/agents/%s", agent);
	snprintf(chat, sizeof(chat), "%s/chat", get);
	for (i = 0; i < 3; i++) {	/* both into the caches of the threads' processes */
		burst("POST", runs, "{}", u.token, 202, NULL);
		burst("GET", get, NULL, u.token, 200, "\"unheard\"");
	}
	delete_unheard("workflows", "workflows_changed", wf);
	delete_unheard("agents", "agents_changed", agent);
	burst("POST", runs, "{}", u.token, 404, NULL);
	burst("POST", chat, "{\"message\":\"hi\"}", u.token, 404, NULL);
	who_delete(&u);
}
END_TEST

static int
supervisorctl(const char *args)
{
	char	 cmd[512];

	snprintf(cmd, sizeof(cmd), "$FRAGENT_TEST_SUPERVISORCTL %s >/dev/null", args);
	return it_sh(cmd);
}

/* Every process has the user cached, PostgreSQL restarts, and the user is disabled in SQL
 * before any process reconnected: the notification reached none of them, so each must
 * start its cache over rather than serve the entry it had. */
START_TEST(test_change_across_a_postgres_restart)
{
	struct it_user	 u;
	char		 sql[256];
	int		 i;

	who_new(&u, "pg", "viewer");
	everywhere(u.token, 200, NULL);
	ck_assert_int_eq(supervisorctl("restart postgres"), 0);
	snprintf(sql, sizeof(sql), "UPDATE users SET disabled = true WHERE id = $$%s$$", u.id);
	for (i = 0; i < 200 && strcmp(it_sql("SELECT 1"), "1") != 0; i++)
		usleep(100 * 1000);
	it_sql(sql);
	/* A connection the restart broke may fail one statement (503): allowed, a 200 never
	 * is. Then every process answers 401. */
	everywhere_or(u.token, 401, 503, NULL);
	everywhere(u.token, 401, NULL);
	burst("GET", "/api/v1/agents", NULL, u.token, 401, NULL);
	who_delete(&u);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("apicache");
	TCase	*api = tcase_create("api");
	TCase	*pg = tcase_create("reconnect");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (watch_open() == -1) {
		fprintf(stderr, "it_apicache: cannot LISTEN on FRAGENT_DATABASE_URL\n");
		return EXIT_FAILURE;
	}
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_apicache: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	admin = strdup(it_token());
	it_set_token(NULL);
	tcase_set_timeout(api, 120);
	tcase_set_timeout(pg, 180);
	tcase_add_test(api, test_role_change_seen_everywhere);
	tcase_add_test(api, test_disabled_and_new_password_seen_everywhere);
	tcase_add_test(api, test_deleted_api_key_refused_everywhere);
	tcase_add_test(api, test_agent_update_read_everywhere);
	tcase_add_test(api, test_agent_chat_checks_the_cached_owner);
	tcase_add_test(api, test_agent_changed_in_sql_read_everywhere);
	tcase_add_test(api, test_workflow_runs_take_the_current_version_everywhere);
	tcase_add_test(api, test_cached_rows_answer_their_own_route);
	tcase_add_test(api, test_run_of_a_target_deleted_unheard_is_not_found);
	tcase_add_test(pg, test_change_across_a_postgres_restart);
	suite_add_tcase(s, api);
	suite_add_tcase(s, pg);
	rc = check_run(s);
	free(admin);
	db_free(watch);
	curl_global_cleanup();
	return rc;
}
