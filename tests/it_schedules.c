/* it_schedules.c: integration suite of workflow schedules against the real stack
 * (tests/integration.sh): the API (/workflows/{id}/schedules, /schedules/{id},
 * /schedules/preview), jobd firing them (jobd/schedfire.c) exactly once with two jobd
 * processes, missed fires after downtime (run_once, skip), the crash guard of the fire's
 * idempotency key, and the executions list filtered by trigger. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "nitems.h"

/* A workflow whose input node wants {"x": integer}. */
#define SCHED_DEF \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":{" \
	"\"type\":\"object\",\"required\":[\"x\"],\"properties\":{\"x\":{\"type\":" \
	"\"integer\"}}}}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"{{ .in.x }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"out\"}]}"
#define V1		"/api/v1"
#define SQL_MAX		2048

/* ---------------------------------------------------------------- helpers */

static long long
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Creates a workflow (SCHED_DEF) as the current user; copies its id into "id". */
static void
workflow_new(const char *name, char id[UUID_STRLEN + 1])
{
	char	 body[4096];

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"definition\":" SCHED_DEF "}", name);
	it_create(V1 "/workflows", body, it_token(), id);
}

/* Creates a schedule of workflow "wf" from JSON "body"; copies its id into "id". */
static void
schedule_new(const char *wf, const char *body, char id[UUID_STRLEN + 1])
{
	char	 path[128];

	snprintf(path, sizeof(path), V1 "/workflows/%s/schedules", wf);
	it_create(path, body, it_token(), id);
}

/* PATCHes schedule "id" with "body" as the current user; asserts 200. */
static void
schedule_patch(const char *id, const char *body)
{
	struct http_resp	 r;
	char			 path[128];

	snprintf(path, sizeof(path), V1 "/schedules/%s", id);
	it_req("PATCH", path, body, it_token(), &r);
	ck_assert_msg(r.status == 200, "PATCH %s: %ld %s", path, r.status, r.body.data);
	http_resp_clear(&r);
}

/* Runs the SQL "fmt" (no single quote: $$…$$ strings) and returns its first line. */
static const char *
sqlf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static const char *
sqlf(const char *fmt, ...)
{
	char	 sql[SQL_MAX];
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	ck_assert(n > 0 && (size_t)n < sizeof(sql));
	return it_sql(sql);
}

/* Polls the SQL "cond" (its answer "t" or "f") until it holds, for at most "ms". */
static int
wait_sql(const char *cond, long long ms)
{
	long long	 end = now_ms() + ms;

	do {
		if (strcmp(it_sql(cond), "t") == 0)
			return 1;
		usleep(100 * 1000);
	} while (now_ms() < end);
	return 0;
}

/* The number of runs schedule "id" started. */
static long
schedule_runs(const char *id)
{
	return atol(sqlf("SELECT count(*) FROM executions WHERE trigger_id = $$%s$$", id));
}

/* Asserts "a" is an array of "n" strictly increasing RFC 3339 UTC times. */
static void
assert_fires(json_object *a, size_t n)
{
	const char	*prev = NULL, *t;
	size_t		 i;

	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(json_object_array_length(a), n);
	for (i = 0; i < n; i++) {
		t = json_object_get_string(json_object_array_get_idx(a, i));
		ck_assert_msg(t != NULL && strlen(t) == 20 && t[19] == 'Z', "fire %s", t);
		if (prev != NULL)
			ck_assert_msg(strcmp(prev, t) < 0, "fires not increasing: %s, %s", prev, t);
		prev = t;
	}
}

/* ---------------------------------------------------------------- the API */

START_TEST(test_api_crud)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[128];
	json_object		*items;
	const char		*desc;

	workflow_new("sched-crud", wf);
	snprintf(path, sizeof(path), V1 "/workflows/%s/schedules", wf);
	it_req("POST", path, "{\"name\":\"weekdays\",\"cron\":\"0 9 * * 1-5\",\"timezone\":"
	    "\"Europe/Paris\",\"inputs\":{\"x\":1}}", it_token(), &r);
	ck_assert_msg(r.status == 201, "create: %ld %s", r.status, r.body.data);
	snprintf(id, sizeof(id), "%s", jsonh_get_string(r.json, "id"));
	ck_assert(uuid_valid(id));
	ck_assert_str_eq(jsonh_get_string(r.json, "workflow_id"), wf);
	ck_assert_str_eq(jsonh_get_string(r.json, "cron"), "0 9 * * 1-5");
	ck_assert_str_eq(jsonh_get_string(r.json, "timezone"), "Europe/Paris");
	ck_assert_str_eq(jsonh_get_string(r.json, "missed"), "run_once");
	ck_assert(json_object_get_boolean(json_object_object_get(r.json, "enabled")));
	ck_assert_ptr_nonnull(jsonh_get_string(r.json, "next_fire_at"));
	ck_assert_ptr_null(jsonh_get_string(r.json, "last_fire_at"));
	desc = jsonh_get_string(r.json, "description");
	ck_assert_msg(desc != NULL && strstr(desc, "09:00") != NULL &&
	    strstr(desc, "Europe/Paris") != NULL, "description %s", desc);
	assert_fires(jsonh_get_typed(r.json, "next_fires", json_type_array), 5);
	http_resp_clear(&r);

	it_req("GET", path, NULL, it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	items = jsonh_get_typed(r.json, "items", json_type_array);
	ck_assert_int_eq(json_object_array_length(items), 1);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(items, 0), "id"), id);
	assert_fires(jsonh_get_typed(json_object_array_get_idx(items, 0), "next_fires",
	    json_type_array), 5);
	http_resp_clear(&r);

	snprintf(path, sizeof(path), V1 "/schedules/%s", id);
	it_req("GET", path, NULL, it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_str_eq(jsonh_get_string(r.json, "name"), "weekdays");
	http_resp_clear(&r);

	it_req("PATCH", path, "{\"cron\":\"*/15 * * * *\",\"name\":\"quarter\",\"missed\":"
	    "\"skip\"}", it_token(), &r);
	ck_assert_msg(r.status == 200, "patch: %ld %s", r.status, r.body.data);
	ck_assert_str_eq(jsonh_get_string(r.json, "cron"), "*/15 * * * *");
	ck_assert_str_eq(jsonh_get_string(r.json, "name"), "quarter");
	ck_assert_str_eq(jsonh_get_string(r.json, "missed"), "skip");
	ck_assert_str_eq(jsonh_get_string(r.json, "timezone"), "Europe/Paris");
	desc = jsonh_get_string(r.json, "description");
	ck_assert_msg(desc != NULL && strstr(desc, "15 minutes") != NULL, "description %s",
	    desc);
	assert_fires(jsonh_get_typed(r.json, "next_fires", json_type_array), 5);
	http_resp_clear(&r);

	it_req("PATCH", path, "{\"enabled\":false}", it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(!json_object_get_boolean(json_object_object_get(r.json, "enabled")));
	ck_assert_ptr_null(jsonh_get_string(r.json, "next_fire_at"));
	http_resp_clear(&r);
	ck_assert_str_eq(sqlf("SELECT next_fire_at IS NULL FROM schedules WHERE id = $$%s$$",
	    id), "t");

	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 204);
	ck_assert_int_eq(it_status("GET", path, NULL, it_token()), 404);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 404);
}
END_TEST

/* Bodies a create refuses with 422, and the field the problem names (NULL: any). */
static const struct {
	const char	*body;
	const char	*field;
} bad_creates[] = {
	{ "{\"cron\":\"61 * * * *\"}", "cron" },
	{ "{\"cron\":\"* * * *\"}", "cron" },
	{ "{\"cron\":\"@reboot\"}", "cron" },
	{ "{\"cron\":\"0 9 * * *\",\"timezone\":\"Mars/Olympus\"}", "timezone" },
	{ "{\"cron\":\"0 9 * * *\",\"timezone\":\"GMT+05:00\"}", "timezone" },
	{ "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":\"one\"}}", NULL },
	{ "{\"cron\":\"0 9 * * *\",\"inputs\":{}}", NULL },
	{ "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":1},\"missed\":\"twice\"}", "missed" },
	{ "{\"timezone\":\"UTC\"}", "cron" },
};

START_TEST(test_api_bad_create)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[128];

	workflow_new("sched-bad", wf);
	snprintf(path, sizeof(path), V1 "/workflows/%s/schedules", wf);
	it_req("POST", path, bad_creates[_i].body, it_token(), &r);
	ck_assert_msg(r.json != NULL, "%s: not one JSON answer (%ld): %s", bad_creates[_i].body,
	    r.status, r.body.data);
	it_assert_problem_at(&r, 422, bad_creates[_i].field);
	http_resp_clear(&r);
	ck_assert_str_eq(sqlf("SELECT count(*) FROM schedules WHERE workflow_id = $$%s$$", wf),
	    "0");
}
END_TEST

/* A change is checked like a create: the inputs against the input node, cron, zone. */
START_TEST(test_api_bad_patch)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[128];

	workflow_new("sched-bad-patch", wf);
	schedule_new(wf, "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":1}}", id);
	snprintf(path, sizeof(path), V1 "/schedules/%s", id);
	it_req("PATCH", path, "{\"inputs\":{\"x\":\"one\"}}", it_token(), &r);
	ck_assert_msg(r.json != NULL, "not one JSON answer (%ld): %s", r.status, r.body.data);
	it_assert_problem(&r, 422);
	http_resp_clear(&r);
	it_req("PATCH", path, "{\"cron\":\"0 25 * * *\"}", it_token(), &r);
	it_assert_problem_at(&r, 422, "cron");
	http_resp_clear(&r);
	it_req("PATCH", path, "{\"timezone\":\"Nowhere/Land\"}", it_token(), &r);
	it_assert_problem_at(&r, 422, "timezone");
	http_resp_clear(&r);
	ck_assert_str_eq(sqlf("SELECT cron || $$|$$ || timezone || $$|$$ || inputs::text "
	    "FROM schedules WHERE id = $$%s$$", id), "0 9 * * *|UTC|{\"x\": 1}");
}
END_TEST

START_TEST(test_api_preview)
{
	struct http_resp	 r;

	it_req("POST", V1 "/schedules/preview", "{\"cron\":\"*/15 * * * *\"}", it_token(), &r);
	ck_assert_msg(r.status == 200, "preview: %ld %s", r.status, r.body.data);
	ck_assert_ptr_nonnull(strstr(jsonh_get_string(r.json, "description"), "15 minutes"));
	assert_fires(jsonh_get_typed(r.json, "next_fires", json_type_array), 5);
	http_resp_clear(&r);
	it_req("POST", V1 "/schedules/preview", "{\"cron\":\"30 2 * * *\",\"timezone\":"
	    "\"America/New_York\"}", it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(strstr(jsonh_get_string(r.json, "description"),
	    "America/New_York"));
	assert_fires(jsonh_get_typed(r.json, "next_fires", json_type_array), 5);
	http_resp_clear(&r);
	it_req("POST", V1 "/schedules/preview", "{\"cron\":\"0 0 31 2 *\"}", it_token(), &r);
	ck_assert_int_eq(r.status, 200);	/* valid, never fires */
	assert_fires(jsonh_get_typed(r.json, "next_fires", json_type_array), 0);
	http_resp_clear(&r);
	it_req("POST", V1 "/schedules/preview", "{\"cron\":\"1-2-3 * * * *\"}", it_token(), &r);
	it_assert_problem_at(&r, 422, "cron");
	http_resp_clear(&r);
	it_req("POST", V1 "/schedules/preview", "{\"cron\":\"* * * * *\",\"timezone\":\"x\"}",
	    it_token(), &r);
	it_assert_problem_at(&r, 422, "timezone");
	http_resp_clear(&r);
}
END_TEST

/* Another editor sees none of the owner's schedules; a viewer creates none. */
START_TEST(test_api_access)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[128];
	char			*other = it_login_as("it-sched-other", "editor");
	char			*viewer = it_login_as("it-sched-viewer", "viewer");
	char			*owner = it_login_as("it-sched-owner", "editor");

	ck_assert_ptr_nonnull(other);
	ck_assert_ptr_nonnull(viewer);
	ck_assert_ptr_nonnull(owner);
	it_set_token(owner);
	workflow_new("sched-access", wf);
	schedule_new(wf, "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":1}}", id);

	snprintf(path, sizeof(path), V1 "/schedules/%s", id);
	it_req("GET", path, NULL, other, &r);
	it_assert_problem(&r, 404);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("PATCH", path, "{\"enabled\":false}", other), 404);
	ck_assert_int_eq(it_status("DELETE", path, NULL, other), 404);
	ck_assert_int_eq(it_status("GET", path, NULL, owner), 200);
	snprintf(path, sizeof(path), V1 "/workflows/%s/schedules", wf);
	ck_assert_int_eq(it_status("GET", path, NULL, other), 404);
	ck_assert_int_eq(it_status("POST", path, "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":1}}",
	    other), 404);
	it_req("POST", path, "{\"cron\":\"0 9 * * *\",\"inputs\":{\"x\":1}}", viewer, &r);
	it_assert_problem(&r, 403);
	http_resp_clear(&r);
	ck_assert_int_eq(it_status("PATCH", V1 "/schedules/00000000-0000-4000-8000-000000000000",
	    "{\"enabled\":false}", viewer), 403);
	ck_assert_int_eq(it_status("GET", V1 "/schedules/00000000-0000-4000-8000-000000000000",
	    NULL, owner), 404);
	ck_assert_int_eq(it_status("GET", V1 "/schedules/not-a-uuid", NULL, owner), 404);
	ck_assert_str_eq(sqlf("SELECT count(*) FROM schedules WHERE workflow_id = $$%s$$", wf),
	    "1");
	free(other);
	free(viewer);
	free(owner);
}
END_TEST

/* ---------------------------------------------------------------- firing */

/* A schedule every 2 s fires on time, with two jobd processes racing for it: each fire time
 * starts exactly one run (trigger schedule, trigger_id the schedule, key fire:<second>);
 * disabled, it stops. */
START_TEST(test_fire_two_jobd)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[256], cond[512];
	json_object		*items, *e;
	long			 n, total, distinct, odd, other, first, last, after;
	size_t			 i;
	pid_t			 second;

	workflow_new("sched-fire", wf);
	second = eng_jobd_start("schedules-second", "jobd-schedules.log");
	schedule_new(wf, "{\"name\":\"often\",\"cron\":\"*/2 * * * * *\",\"inputs\":{\"x\":7}}",
	    id);
	snprintf(cond, sizeof(cond), "SELECT count(*) > 0 FROM executions WHERE trigger_id = "
	    "$$%s$$", id);
	ck_assert_msg(wait_sql(cond, 6000), "no fire within 6 s");
	sleep(8);
	schedule_patch(id, "{\"enabled\":false}");
	eng_jobd_stop(second, SIGTERM);

	/* Every fire once: as many runs as distinct keys, all on even seconds, in a row. */
	ck_assert_int_eq(sscanf(sqlf("SELECT count(*), count(DISTINCT idempotency_key), "
	    "count(*) FILTER (WHERE substr(idempotency_key, 6)::bigint %% 2 <> 0), "
	    "count(*) FILTER (WHERE trigger <> $$schedule$$ OR workflow_id <> $$%s$$), "
	    "min(substr(idempotency_key, 6)::bigint), max(substr(idempotency_key, 6)::bigint) "
	    "FROM executions WHERE trigger_id = $$%s$$", wf, id), "%ld|%ld|%ld|%ld|%ld|%ld",
	    &total, &distinct, &odd, &other, &first, &last), 6);
	fprintf(stderr, "it_schedules: %ld runs, %ld distinct fires, %ld..%ld\n", total,
	    distinct, first, last);
	ck_assert_int_ge(total, 4);
	ck_assert_int_eq(total, distinct);
	ck_assert_int_eq(odd, 0);
	ck_assert_int_eq(other, 0);
	/* A tick of 1 s keeps up with fires 2 s apart: none collapsed (one slack for load). */
	ck_assert_msg((last - first) / 2 + 1 - total <= 1, "fires missing between %ld and %ld",
	    first, last);
	ck_assert_str_eq(sqlf("SELECT extract(epoch FROM last_fire_at)::bigint = %ld AND "
	    "next_fire_at IS NULL FROM schedules WHERE id = $$%s$$", last, id), "t");

	/* Disabled: no more fires. */
	sleep(3);
	after = schedule_runs(id);
	ck_assert_int_eq(after, total);

	/* The runs run, with the schedule's inputs; the API shows their trigger. */
	snprintf(cond, sizeof(cond), "SELECT bool_and(status = $$succeeded$$) FROM executions "
	    "WHERE trigger_id = $$%s$$", id);
	ck_assert_msg(wait_sql(cond, 20000), "the schedule's runs did not all succeed");
	snprintf(path, sizeof(path), V1 "/executions?workflow_id=%s&trigger=schedule&limit=100",
	    wf);
	it_req("GET", path, NULL, it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	items = jsonh_get_typed(r.json, "items", json_type_array);
	ck_assert_ptr_nonnull(items);
	n = (long)json_object_array_length(items);
	ck_assert_int_eq(n, total);
	for (i = 0; i < (size_t)n; i++) {
		e = json_object_array_get_idx(items, i);
		ck_assert_str_eq(jsonh_get_string(e, "trigger"), "schedule");
		ck_assert_str_eq(jsonh_get_string(e, "trigger_id"), id);
		ck_assert_int_eq(json_object_get_int(json_object_object_get(
		    jsonh_get_typed(e, "inputs", json_type_object), "x")), 7);
	}
	http_resp_clear(&r);
}
END_TEST

/* Sets schedule "id" due "minutes" ago (on a minute boundary, enabled) in one statement, so
 * that no fire can happen in between, as if jobd had been away; returns the due time. */
static long
schedule_make_missed(const char *id, int minutes)
{
	return atol(sqlf("UPDATE schedules SET enabled = true, next_fire_at = "
	    "date_trunc($$minute$$, now()) - interval $$%d minutes$$ WHERE id = $$%s$$ "
	    "RETURNING extract(epoch FROM next_fire_at)::bigint", minutes, id));
}

/* Waits (at most 10 s) until jobd advanced schedule "id" past "due". */
static void
wait_advanced(const char *id, long due)
{
	char	 cond[256];

	snprintf(cond, sizeof(cond), "SELECT next_fire_at > to_timestamp(%ld) AND next_fire_at > "
	    "now() FROM schedules WHERE id = $$%s$$", due, id);
	ck_assert_msg(wait_sql(cond, 10000), "schedule %s not advanced", id);
}

/* missed = run_once: ten fires missed start one run (its key the oldest due time), and the
 * schedule moves to the next fire after now. */
START_TEST(test_missed_run_once)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], key[32];
	long	 due;

	workflow_new("sched-missed-once", wf);
	schedule_new(wf, "{\"cron\":\"* * * * *\",\"inputs\":{\"x\":1},\"enabled\":false}", id);
	due = schedule_make_missed(id, 10);
	wait_advanced(id, due);
	/* Runs before the new next fire: the missed one only (a later minute may fire too). */
	ck_assert_str_eq(sqlf("SELECT count(*) FROM executions e, schedules s WHERE "
	    "e.trigger_id = s.id AND s.id = $$%s$$ AND e.created_at < s.next_fire_at", id), "1");
	snprintf(key, sizeof(key), "fire:%ld", due);
	ck_assert_str_eq(sqlf("SELECT idempotency_key FROM executions WHERE trigger_id = "
	    "$$%s$$ ORDER BY created_at LIMIT 1", id), key);
	ck_assert_str_eq(sqlf("SELECT extract(epoch FROM last_fire_at)::bigint = %ld AND "
	    "next_fire_at <= now() + interval $$61 seconds$$ FROM schedules WHERE id = $$%s$$",
	    due, id), "t");
	schedule_patch(id, "{\"enabled\":false}");
}
END_TEST

/* missed = skip: a fire later than the grace starts nothing; the schedule advances. */
START_TEST(test_missed_skip)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	long	 due;

	workflow_new("sched-missed-skip", wf);
	schedule_new(wf, "{\"cron\":\"* * * * *\",\"inputs\":{\"x\":1},\"enabled\":false,"
	    "\"missed\":\"skip\"}", id);
	due = schedule_make_missed(id, 10);
	wait_advanced(id, due);
	ck_assert_str_eq(sqlf("SELECT count(*) FROM executions e, schedules s WHERE "
	    "e.trigger_id = s.id AND s.id = $$%s$$ AND e.created_at < s.next_fire_at", id), "0");
	ck_assert_str_eq(sqlf("SELECT last_fire_at IS NULL FROM schedules WHERE id = $$%s$$",
	    id), "t");
	schedule_patch(id, "{\"enabled\":false}");
}
END_TEST

/* jobd really stopped across several fires of a 2-s schedule (missed = run_once): once it
 * is back, the missed fires start one run between them, then the schedule goes on. */
START_TEST(test_missed_jobd_stopped)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], cond[512];
	long	 before, back;

	ck_assert_ptr_nonnull(getenv("FRAGENT_TEST_SUPERVISORCTL"));
	workflow_new("sched-jobd-stopped", wf);
	schedule_new(wf, "{\"cron\":\"*/2 * * * * *\",\"inputs\":{\"x\":3}}", id);
	snprintf(cond, sizeof(cond), "SELECT count(*) > 0 FROM executions WHERE trigger_id = "
	    "$$%s$$", id);
	ck_assert_msg(wait_sql(cond, 6000), "no fire within 6 s");
	ck_assert_int_eq(it_sh("$FRAGENT_TEST_SUPERVISORCTL stop jobd >/dev/null"), 0);
	before = atol(sqlf("SELECT max(substr(idempotency_key, 6)::bigint) FROM executions "
	    "WHERE trigger_id = $$%s$$", id));
	sleep(7);	/* three fires or more missed */
	back = atol(sqlf("SELECT extract(epoch FROM now())::bigint"));
	ck_assert_int_eq(it_sh("$FRAGENT_TEST_SUPERVISORCTL start jobd >/dev/null"), 0);
	snprintf(cond, sizeof(cond), "SELECT count(*) > 0 FROM executions WHERE trigger_id = "
	    "$$%s$$ AND substr(idempotency_key, 6)::bigint > %ld", id, back + 1);
	ck_assert_msg(wait_sql(cond, 20000), "no fire after jobd came back");
	schedule_patch(id, "{\"enabled\":false}");
	/* Between the last fire before the stop and the restart: exactly one run. */
	ck_assert_str_eq(sqlf("SELECT count(*) FROM executions WHERE trigger_id = $$%s$$ AND "
	    "substr(idempotency_key, 6)::bigint > %ld AND substr(idempotency_key, 6)::bigint "
	    "<= %ld", id, before, back), "1");
}
END_TEST

/* A fire whose run is stored but whose schedule was not advanced (jobd died between the
 * two) is not started again: its key finds the run, and the schedule advances. */
START_TEST(test_fire_key_guard)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	long	 due = (long)time(NULL) - 5;

	workflow_new("sched-guard", wf);
	schedule_new(wf, "{\"cron\":\"0 0 1 1 *\",\"inputs\":{\"x\":1},\"enabled\":false}", id);
	ck_assert_str_eq(sqlf("WITH run AS (INSERT INTO executions (id, workflow_id, "
	    "workflow_version, definition, owner_id, inputs, status, end_time, idempotency_key, "
	    "idempotency_fingerprint, trigger, trigger_id) SELECT gen_random_uuid(), w.id, "
	    "w.version, w.definition, w.owner_id, s.inputs, $$succeeded$$, now(), "
	    "$$fire:%ld$$, $$fire:%ld$$, $$schedule$$, s.id FROM schedules s, workflows w "
	    "WHERE s.id = $$%s$$ AND w.id = s.workflow_id RETURNING 1) UPDATE schedules SET "
	    "enabled = true, next_fire_at = to_timestamp(%ld) WHERE id = $$%s$$ AND "
	    "(SELECT count(*) FROM run) = 1 RETURNING 1", due, due, id, due, id), "1");
	wait_advanced(id, due);
	ck_assert_int_eq(schedule_runs(id), 1);
	ck_assert_str_eq(sqlf("SELECT extract(epoch FROM last_fire_at)::bigint = %ld FROM "
	    "schedules WHERE id = $$%s$$", due, id), "t");
	schedule_patch(id, "{\"enabled\":false}");
}
END_TEST

/* A schedule whose inputs no longer match the workflow (changed since) logs its failed fire
 * and advances all the same, starting nothing. */
START_TEST(test_fire_bad_inputs)
{
	char	 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1];
	long	 due;

	workflow_new("sched-stale", wf);
	schedule_new(wf, "{\"cron\":\"0 0 1 1 *\",\"inputs\":{\"x\":1},\"enabled\":false}", id);
	ck_assert_str_eq(sqlf("UPDATE schedules SET inputs = $${\"x\": \"one\"}$$ WHERE id = "
	    "$$%s$$ RETURNING 1", id), "1");
	due = schedule_make_missed(id, 0);
	wait_advanced(id, due);
	ck_assert_int_eq(schedule_runs(id), 0);
	schedule_patch(id, "{\"enabled\":false,\"inputs\":{\"x\":1}}");
}
END_TEST

/* ---------------------------------------------------------------- executions by trigger */

START_TEST(test_list_by_trigger)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], id[UUID_STRLEN + 1], path[256], cond[256];
	char			 manual[UUID_STRLEN + 1];
	json_object		*items, *e;
	size_t			 i;
	int			 seen_manual = 0, seen_sched = 0;

	workflow_new("sched-list", wf);
	snprintf(path, sizeof(path), V1 "/workflows/%s/executions", wf);
	it_req("POST", path, "{\"inputs\":{\"x\":2}}", it_token(), &r);
	ck_assert_msg(r.status == 202, "start: %ld %s", r.status, r.body.data);
	snprintf(manual, sizeof(manual), "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	schedule_new(wf, "{\"cron\":\"0 0 1 1 *\",\"inputs\":{\"x\":3},\"enabled\":false}", id);
	wait_advanced(id, schedule_make_missed(id, 0));
	snprintf(cond, sizeof(cond), "SELECT count(*) = 1 FROM executions WHERE trigger_id = "
	    "$$%s$$", id);
	ck_assert(wait_sql(cond, 5000));

	it_req("GET", V1 "/executions?trigger=schedule&limit=100", NULL, it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_ptr_nonnull(items = jsonh_get_typed(r.json, "items", json_type_array));
	ck_assert_int_gt(json_object_array_length(items), 0);
	for (i = 0; i < json_object_array_length(items); i++) {
		e = json_object_array_get_idx(items, i);
		ck_assert_str_eq(jsonh_get_string(e, "trigger"), "schedule");
		ck_assert_ptr_nonnull(jsonh_get_string(e, "trigger_id"));
		ck_assert_str_ne(jsonh_get_string(e, "id"), manual);
	}
	http_resp_clear(&r);

	snprintf(path, sizeof(path), V1 "/executions?workflow_id=%s&limit=100", wf);
	it_req("GET", path, NULL, it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	items = jsonh_get_typed(r.json, "items", json_type_array);
	for (i = 0; items != NULL && i < json_object_array_length(items); i++) {
		e = json_object_array_get_idx(items, i);
		if (strcmp(jsonh_get_string(e, "id"), manual) == 0) {
			seen_manual = 1;
			ck_assert_str_ne(jsonh_get_string(e, "trigger"), "schedule");
			ck_assert_ptr_null(jsonh_get_string(e, "trigger_id"));
		} else if (strcmp(jsonh_get_string(e, "trigger"), "schedule") == 0)
			seen_sched = 1;
	}
	ck_assert(seen_manual && seen_sched);
	http_resp_clear(&r);

	it_req("GET", V1 "/executions?trigger=bogus", NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "trigger");
	http_resp_clear(&r);
	it_req("GET", V1 "/executions?trigger=", NULL, it_token(), &r);
	ck_assert_msg(r.status == 200 || r.status == 422, "empty trigger: %ld", r.status);
	http_resp_clear(&r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("schedules");
	TCase	*tc;
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	/* Every request is the administrator's unless it brings a token (forks inherit it). */
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_schedules: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("api");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_api_crud);
	tcase_add_loop_test(tc, test_api_bad_create, 0, NITEMS(bad_creates));
	tcase_add_test(tc, test_api_bad_patch);
	tcase_add_test(tc, test_api_preview);
	tcase_add_test(tc, test_api_access);
	suite_add_tcase(s, tc);
	tc = tcase_create("fire");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_fire_two_jobd);
	tcase_add_test(tc, test_missed_jobd_stopped);
	tcase_add_test(tc, test_missed_run_once);
	tcase_add_test(tc, test_missed_skip);
	tcase_add_test(tc, test_fire_key_guard);
	tcase_add_test(tc, test_fire_bad_inputs);
	suite_add_tcase(s, tc);
	tc = tcase_create("executions");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_list_by_trigger);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
