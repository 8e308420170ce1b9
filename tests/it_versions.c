/* it_versions.c: integration suite of workflow versions against the real stack: a version
 * kept by the create and by every save (author, message), listed newest first in pages, one
 * read with its definition, a restore made a new version, the runs naming the version they
 * ran; stale and unknown versions, bad parameters, other users' workflows, viewers. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "it_http.h"
#include "jsonh.h"

#define V1	"/api/v1"
#define DEF_B \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"B {{ .in.x }}\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"out\"}]}"

/* PUTs workflow "id" at "version" with definition "def" and message "msg"; returns the
 * status. */
static long
save(const char *id, int version, const char *def, const char *msg)
{
	char	 path[128], body[4096];

	snprintf(path, sizeof(path), V1 "/workflows/%s", id);
	snprintf(body, sizeof(body), "{\"name\":\"versioned\",\"definition\":%s,\"version\":%d,"
	    "\"message\":\"%s\"}", def, version, msg);
	return it_status("PUT", path, body, it_token());
}

/* GET "path" as the current user, asserting 200; returns the JSON (caller puts). */
static json_object *
get_ok(const char *path)
{
	struct http_resp	 r;
	json_object		*o;

	ck_assert_int_eq(it_req("GET", path, NULL, it_token(), &r), 200);
	o = json_object_get(r.json);
	http_resp_clear(&r);
	return o;
}

/* The output node's value in the definition of workflow or version "o". */
static const char *
out_value(json_object *o)
{
	json_object	*nodes = json_object_object_get(json_object_object_get(o, "definition"),
			    "nodes");
	const char	*v = jsonh_get_string(json_object_object_get(json_object_array_get_idx(
			    nodes, 1), "config"), "value");

	ck_assert_ptr_nonnull(v);
	return v;
}

START_TEST(test_versions)
{
	char		 id[UUID_STRLEN + 1], path[256], body[256], me[64], big[700];
	json_object	*l, *items, *v;
	struct http_resp r;

	it_create(V1 "/workflows", "{\"name\":\"versioned\",\"definition\":" IT_DEF "}",
	    it_token(), id);
	ck_assert_int_eq(save(id, 1, DEF_B, "second"), 200);
	ck_assert_int_eq(save(id, 2, IT_DEF, "third"), 200);
	ck_assert_int_eq(save(id, 2, DEF_B, "stale"), 409);	/* nothing kept */
	/* newest first, with author and message */
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions", id);
	l = get_ok(path);
	items = json_object_object_get(l, "items");
	ck_assert_uint_eq(json_object_array_length(items), 3);
	v = json_object_array_get_idx(items, 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(v, "version")), 3);
	ck_assert_str_eq(jsonh_get_string(v, "message"), "third");
	ck_assert_str_eq(jsonh_get_string(v, "author"), "it-admin");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(v, "nodes")), 2);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(
	    items, 2), "version")), 1);
	ck_assert(json_object_is_type(json_object_object_get(l, "next_before"), json_type_null));
	ck_assert_ptr_null(json_object_object_get(v, "definition"));
	snprintf(me, sizeof(me), "%s", jsonh_get_string(v, "author_id"));
	json_object_put(l);
	/* a page of one, then the next */
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions?limit=1&before=3", id);
	l = get_ok(path);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(json_object_array_get_idx(
	    json_object_object_get(l, "items"), 0), "version")), 2);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(l, "next_before")), 2);
	json_object_put(l);
	/* one version with its definition */
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/2", id);
	v = get_ok(path);
	ck_assert_str_eq(out_value(v), "B {{ .in.x }}");
	ck_assert_str_eq(jsonh_get_string(v, "author_id"), me);
	json_object_put(v);
	/* restore version 2 at current version 3: version 4 with its definition */
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/2/restore", id);
	ck_assert_int_eq(it_req("POST", path, "{\"version\":3}", it_token(), &r), 200);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r.json, "version")), 4);
	ck_assert_str_eq(out_value(r.json), "B {{ .in.x }}");
	http_resp_clear(&r);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/4", id);
	v = get_ok(path);
	ck_assert_str_eq(jsonh_get_string(v, "message"), "restored version 2");
	json_object_put(v);
	/* a stale restore, an unknown version, a bad one */
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/1/restore", id);
	ck_assert_int_eq(it_status("POST", path, "{\"version\":3}", it_token()), 409);
	snprintf(big, sizeof(big), "{\"version\":4,\"message\":\"%0600d\"}", 1);
	it_req("POST", path, big, it_token(), &r);
	it_assert_problem_at(&r, 422, "message");
	http_resp_clear(&r);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/99", id);
	ck_assert_int_eq(it_status("GET", path, NULL, it_token()), 404);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/99/restore", id);
	ck_assert_int_eq(it_status("POST", path, "{\"version\":4}", it_token()), 404);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/-1", id);
	ck_assert_int_eq(it_status("GET", path, NULL, it_token()), 404);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/1x", id);
	ck_assert_int_eq(it_status("GET", path, NULL, it_token()), 404);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions?limit=0", id);
	it_req("GET", path, NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "limit");
	http_resp_clear(&r);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions?before=x", id);
	it_req("GET", path, NULL, it_token(), &r);
	it_assert_problem_at(&r, 422, "before");
	http_resp_clear(&r);
	/* the workflow's deletion takes its versions */
	snprintf(path, sizeof(path), V1 "/workflows/%s", id);
	ck_assert_int_eq(it_status("DELETE", path, NULL, it_token()), 204);
	snprintf(body, sizeof(body), "SELECT count(*) FROM workflow_versions WHERE "
	    "workflow_id = $$%s$$", id);
	ck_assert_str_eq(it_sql(body), "0");
}
END_TEST

START_TEST(test_others)
{
	char	 id[UUID_STRLEN + 1], path[256], *editor, *viewer;

	it_create(V1 "/workflows", "{\"name\":\"admin's\",\"definition\":" IT_DEF "}",
	    it_token(), id);
	editor = it_login_as("it-versions-editor", "editor");
	viewer = it_login_as("it-versions-viewer", "viewer");
	ck_assert_ptr_nonnull(editor);
	ck_assert_ptr_nonnull(viewer);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions", id);
	ck_assert_int_eq(it_status("GET", path, NULL, editor), 404);
	ck_assert_int_eq(it_status("GET", path, NULL, NULL), 401);
	snprintf(path, sizeof(path), V1 "/workflows/%s/versions/1/restore", id);
	ck_assert_int_eq(it_status("POST", path, "{\"version\":1}", editor), 404);
	ck_assert_int_eq(it_status("POST", path, "{\"version\":1}", viewer), 403);
	free(editor);
	free(viewer);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("versions");
	TCase	*tc = tcase_create("versions");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_versions: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_versions);
	tcase_add_test(tc, test_others);
	suite_add_tcase(s, tc);
	return check_run(s);
}
