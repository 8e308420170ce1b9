/* it_retention.c: integration suite of execution retention against the real stack
 * (tests/integration.sh, which runs jobd's retention job every second): expired executions
 * pruned by jobd (a workflow's retention_days, the global FRAGENT_RETENTION_DAYS, 0 kept
 * forever) with their steps and child runs, running ones and parents of running ones kept;
 * DELETE /executions/{id} and POST /executions/delete, with their access rules. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_http.h"
#include "jsonh.h"

#define V1		"/api/v1"
#define SQL_MAX		1024

/* ---------------------------------------------------------------- helpers */

/* Creates a workflow (IT_DEF) as the current user; copies its id into "id". */
static void
workflow_new(const char *name, char id[UUID_STRLEN + 1])
{
	char	 body[2048];

	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"definition\":" IT_DEF "}", name);
	it_create(V1 "/workflows", body, it_token(), id);
}

/* PUTs workflow "id" (version 1) with retention "days" (a JSON value); returns the status. */
static long
workflow_retention(const char *id, const char *days)
{
	struct http_resp	 r;
	char			 path[128], body[2048];
	long			 st;

	snprintf(path, sizeof(path), V1 "/workflows/%s", id);
	snprintf(body, sizeof(body), "{\"name\":\"r\",\"definition\":" IT_DEF ",\"version\":"
	    "1,\"retention_days\":%s}", days);
	st = it_req("PUT", path, body, it_token(), &r);
	if (st == 200)
		ck_assert_str_eq(jsonh_str(json_object_object_get(r.json, "retention_days")),
		    days);
	http_resp_clear(&r);
	return st;
}

/* Runs workflow "wf" to its end; copies the execution's id into "id". */
static void
run(const char *wf, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;
	char			 path[128];

	snprintf(path, sizeof(path), V1 "/workflows/%s/executions", wf);
	it_req("POST", path, "{\"inputs\":{\"x\":1},\"wait\":10}", it_token(), &r);
	ck_assert_msg(r.status == 200, "POST %s: %ld %s", path, r.status, r.body.data);
	ck_assert_str_eq(jsonh_get_string(r.json, "status"), "succeeded");
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
}

/* Runs the SQL "fmt" makes through it_sql; returns its first line. */
static const char * __attribute__((format(printf, 1, 2)))
sql_id(const char *fmt, ...)
{
	char	 sql[SQL_MAX];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	return it_sql(sql);
}

/* Moves execution "id"'s end (and start) "age" back ("2 days": a Postgres interval). */
static void
backdate(const char *id, const char *age)
{
	char	 sql[SQL_MAX];

	snprintf(sql, sizeof(sql), "UPDATE executions SET end_time = now() - interval $$%s$$, "
	    "created_at = now() - interval $$%s$$ WHERE id = $$%s$$", age, age, id);
	it_sql(sql);
}

/* Whether execution "id" still exists. */
static int
exists(const char *id)
{
	return strcmp(sql_id("SELECT count(*) FROM executions WHERE id = $$%s$$", id),
	    "1") == 0;
}

/* Waits up to "ms" for execution "id" to be gone. */
static int
wait_gone(const char *id, long ms)
{
	struct timespec	 pause = { 0, 100 * 1000000L };
	long		 waited;

	for (waited = 0; waited < ms; waited += 100) {
		if (!exists(id))
			return 1;
		nanosleep(&pause, NULL);
	}
	return 0;
}

/* Makes execution "id" look running under a live lease (the sweeper leaves it alone). */
static void
make_running(const char *id)
{
	sql_id("UPDATE executions SET status = $$running$$, end_time = NULL, "
	    "lease_expires_at = now() + interval $$1 hour$$ WHERE id = $$%s$$", id);
}

/* ---------------------------------------------------------------- jobd's job */

START_TEST(test_prune)
{
	char	 a[UUID_STRLEN + 1], b[UUID_STRLEN + 1], c[UUID_STRLEN + 1];
	char	 a1[UUID_STRLEN + 1], a2[UUID_STRLEN + 1], a3[UUID_STRLEN + 1];
	char	 a4[UUID_STRLEN + 1], b1[UUID_STRLEN + 1], b2[UUID_STRLEN + 1];
	char	 b3[UUID_STRLEN + 1], c1[UUID_STRLEN + 1], sql[SQL_MAX];

	workflow_new("retention-a", a);
	workflow_new("retention-b", b);
	workflow_new("retention-c", c);
	ck_assert_int_eq(workflow_retention(a, "1"), 200);
	ck_assert_int_eq(workflow_retention(c, "0"), 200);
	run(a, a1); run(a, a2); run(a, a3); run(a, a4);
	run(b, b1); run(b, b2); run(b, b3);
	run(c, c1);
	ck_assert_str_ne(sql_id("SELECT count(*) FROM execution_steps WHERE execution_id = "
	    "$$%s$$", a1), "0");
	/* b3 is a child of a1 (a tool-started run): it goes with its parent. */
	snprintf(sql, sizeof(sql), "UPDATE executions SET parent_execution_id = $$%s$$ WHERE "
	    "id = $$%s$$", a1, b3);
	it_sql(sql);
	/* a4 is the parent of b2, which runs: a4 stays although expired. */
	snprintf(sql, sizeof(sql), "UPDATE executions SET parent_execution_id = $$%s$$ WHERE "
	    "id = $$%s$$", a4, b2);
	it_sql(sql);
	make_running(b2);
	backdate(a1, "2 days");
	backdate(a3, "2 days");
	backdate(a4, "2 days");
	backdate(a2, "2 hours");	/* younger than a's day */
	backdate(b1, "2 days");		/* younger than the global 30 days */
	backdate(c1, "400 days");	/* c keeps everything */
	ck_assert_msg(wait_gone(a1, 10000), "an expired execution was not pruned");
	ck_assert_msg(wait_gone(a3, 10000), "an expired execution was not pruned");
	ck_assert(!exists(b3));
	ck_assert_str_eq(sql_id("SELECT count(*) FROM execution_steps WHERE execution_id = "
	    "$$%s$$", a1), "0");
	/* The global setting: b1 at 40 days is past FRAGENT_RETENTION_DAYS (30). */
	backdate(b1, "40 days");
	ck_assert_msg(wait_gone(b1, 10000), "the global retention was not applied");
	sleep(2);	/* two more ticks */
	ck_assert(exists(a2));
	ck_assert(exists(a4));
	ck_assert(exists(b2));
	ck_assert(exists(c1));
	/* Once the child ends, its expired parent goes, and the child with it. */
	sql_id("UPDATE executions SET status = $$succeeded$$, end_time = now() WHERE id = "
	    "$$%s$$", b2);
	ck_assert_msg(wait_gone(a4, 10000), "the parent of an ended child was not pruned");
	ck_assert(!exists(b2));
}
END_TEST

START_TEST(test_workflow_retention_bounds)
{
	struct http_resp	 r;
	char			 wf[UUID_STRLEN + 1], path[128];

	workflow_new("retention-bounds", wf);
	ck_assert_int_eq(workflow_retention(wf, "3651"), 422);
	ck_assert_int_eq(workflow_retention(wf, "-1"), 422);
	ck_assert_int_eq(workflow_retention(wf, "\"7\""), 422);
	ck_assert_int_eq(workflow_retention(wf, "3650"), 200);
	/* A PUT without retention_days keeps it. */
	snprintf(path, sizeof(path), V1 "/workflows/%s", wf);
	it_req("PUT", path, "{\"name\":\"r2\",\"definition\":" IT_DEF ",\"version\":2}",
	    it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r.json,
	    "retention_days")), 3650);
	http_resp_clear(&r);
	it_req("PUT", path, "{\"name\":\"r2\",\"definition\":" IT_DEF ",\"version\":3,"
	    "\"retention_days\":null}", it_token(), &r);
	ck_assert_int_eq(r.status, 200);
	ck_assert(json_object_is_type(json_object_object_get(r.json, "retention_days"),
	    json_type_null));
	http_resp_clear(&r);
}
END_TEST

/* ---------------------------------------------------------------- the API */

START_TEST(test_delete_one)
{
	char	 wf[UUID_STRLEN + 1], e1[UUID_STRLEN + 1], e2[UUID_STRLEN + 1];
	char	 child[UUID_STRLEN + 1], path[128], sql[SQL_MAX];
	char	*editor, *viewer;

	workflow_new("retention-delete", wf);
	run(wf, e1);
	run(wf, e2);
	run(wf, child);
	editor = it_login_as("it-ret-editor", "editor");
	viewer = it_login_as("it-ret-viewer", "viewer");
	ck_assert_ptr_nonnull(editor);
	ck_assert_ptr_nonnull(viewer);
	snprintf(path, sizeof(path), V1 "/executions/%s", e1);
	ck_assert_int_eq(it_status("DELETE", path, NULL, viewer), 403);
	ck_assert_int_eq(it_status("DELETE", path, NULL, editor), 404);	/* not its own */
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 204);
	ck_assert_int_eq(it_status("GET", path, NULL, it_token()), 404);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 404);
	ck_assert_str_eq(sql_id("SELECT count(*) FROM execution_steps WHERE execution_id = "
	    "$$%s$$", e1), "0");
	/* Running: 409; an ended parent of a running child: 409; the child once ended goes with
	 * its parent. */
	make_running(child);
	snprintf(path, sizeof(path), V1 "/executions/%s", child);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 409);
	snprintf(sql, sizeof(sql), "UPDATE executions SET parent_execution_id = $$%s$$ WHERE "
	    "id = $$%s$$", e2, child);
	it_sql(sql);
	snprintf(path, sizeof(path), V1 "/executions/%s", e2);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 409);
	sql_id("UPDATE executions SET status = $$cancelled$$, end_time = now() WHERE id = "
	    "$$%s$$", child);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 204);
	ck_assert(!exists(child));
	free(editor);
	free(viewer);
}
END_TEST

/* POSTs "body" to /executions/delete; asserts 200 and returns "deleted". */
static long
delete_matching(const char *body, int *more)
{
	struct http_resp	 r;
	long			 n;

	it_req("POST", V1 "/executions/delete", body, it_token(), &r);
	ck_assert_msg(r.status == 200, "%s: %ld %s", body, r.status, r.body.data);
	n = json_object_get_int64(json_object_object_get(r.json, "deleted"));
	*more = json_object_get_boolean(json_object_object_get(r.json, "more"));
	http_resp_clear(&r);
	return n;
}

START_TEST(test_delete_matching)
{
	char	 wf[UUID_STRLEN + 1], e[4][UUID_STRLEN + 1], body[256], before[32];
	char	*viewer;
	struct tm tm;
	time_t	 day_ago;
	int	 i, more;

	workflow_new("retention-filtered", wf);
	for (i = 0; i < 4; i++)
		run(wf, e[i]);
	make_running(e[3]);
	backdate(e[0], "3 days");
	viewer = it_login_as("it-ret-viewer", "viewer");
	ck_assert_int_eq(it_status("POST", V1 "/executions/delete", "{}", viewer), 403);
	free(viewer);
	ck_assert_int_eq(it_status("POST", V1 "/executions/delete",
	    "{\"status\":\"running\"}", it_token()), 422);
	ck_assert_int_eq(it_status("POST", V1 "/executions/delete",
	    "{\"before\":\"yesterday\"}", it_token()), 422);
	ck_assert_int_eq(it_status("POST", V1 "/executions/delete",
	    "{\"workflow_id\":\"nope\"}", it_token()), 422);
	ck_assert_int_eq(it_status("POST", V1 "/executions/delete",
	    "{\"color\":\"red\"}", it_token()), 422);
	snprintf(body, sizeof(body), "{\"workflow_id\":\"%s\",\"status\":\"failed\"}", wf);
	ck_assert_int_eq(delete_matching(body, &more), 0);
	snprintf(body, sizeof(body), "{\"workflow_id\":\"%s\",\"trigger\":\"webhook\"}", wf);
	ck_assert_int_eq(delete_matching(body, &more), 0);
	day_ago = time(NULL) - 86400;
	strftime(before, sizeof(before), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&day_ago, &tm));
	snprintf(body, sizeof(body), "{\"workflow_id\":\"%s\",\"before\":\"%s\"}", wf,
	    before);
	ck_assert_int_eq(delete_matching(body, &more), 1);
	ck_assert(!more);
	ck_assert(!exists(e[0]));
	snprintf(body, sizeof(body), "{\"workflow_id\":\"%s\",\"status\":\"succeeded\","
	    "\"trigger\":\"manual\"}", wf);
	ck_assert_int_eq(delete_matching(body, &more), 2);
	ck_assert(!more);
	ck_assert(!exists(e[1]));
	ck_assert(!exists(e[2]));
	ck_assert(exists(e[3]));	/* running */
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("retention");
	TCase	*tc;
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_retention: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	tc = tcase_create("jobd");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, test_prune);
	tcase_add_test(tc, test_workflow_retention_bounds);
	suite_add_tcase(s, tc);
	tc = tcase_create("api");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_delete_one);
	tcase_add_test(tc, test_delete_matching);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
