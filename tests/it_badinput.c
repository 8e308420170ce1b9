/* it_badinput.c: bad input for every create/update route: missing fields, wrong types,
 * oversize strings, unknown fields, malformed JSON, wrong content type, invalid UUIDs in
 * paths, SQL metacharacters in every string. Each answer is a 4xx problem body, never a
 * 5xx, and the database is unchanged after every rejected request. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "jsonh.h"
#include "nitems.h"

#define SQLI	"x' OR '1'='1\\\"; DROP TABLE users; --"

/* A route that writes, a valid body for it, and its {id} (filled at start). */
static struct target {
	const char	*method;
	const char	*path;		/* "%s" stands for the id */
	const char	*body;
	char		 id[UUID_STRLEN + 1];
} targets[] = {
	{ "POST", "/api/v1/agents", "{\"name\":\"n\",\"description\":\"d\","
	    "\"configuration\":" IT_AGENT_CONF "}", "" },
	{ "PUT", "/api/v1/agents/%s", "{\"name\":\"n\",\"description\":\"d\","
	    "\"configuration\":" IT_AGENT_CONF ",\"version\":1}", "" },
	{ "POST", "/api/v1/credentials", "{\"name\":\"n\",\"provider\":\"openai\","
	    "\"secret\":\"sk-0123456789abcdef\"}", "" },
	{ "PUT", "/api/v1/credentials/%s", "{\"name\":\"n\",\"provider\":\"openai\","
	    "\"secret\":\"sk-0123456789abcdef\",\"version\":1}", "" },
	{ "POST", "/api/v1/workflows", "{\"name\":\"n\",\"description\":\"d\","
	    "\"definition\":" IT_DEF "}", "" },
	{ "PUT", "/api/v1/workflows/%s", "{\"name\":\"n\",\"description\":\"d\","
	    "\"definition\":" IT_DEF ",\"version\":1}", "" },
	{ "POST", "/api/v1/workflows/validate", "{\"definition\":" IT_DEF "}", "" },
	{ "POST", "/api/v1/workflows/import", "{\"fragent_export\":1,\"name\":\"n\","
	    "\"description\":\"d\",\"definition\":" IT_DEF "}", "" },
	{ "POST", "/api/v1/workflows/%s/executions", "{\"inputs\":{\"x\":\"y\"}}", "" },
	{ "POST", "/api/v1/users", "{\"username\":\"bad-in\",\"email\":\"b@example.com\","
	    "\"password\":\"it-password-0123\",\"role\":\"viewer\"}", "" },
	{ "PATCH", "/api/v1/users/%s", "{\"email\":\"c@example.com\",\"password\":"
	    "\"it-password-0123\",\"role\":\"editor\"}", "" },
	{ "POST", "/api/v1/api-keys", "{\"name\":\"n\"}", "" },
	{ "POST", "/api/v1/auth/register", "{\"username\":\"bad-in\",\"email\":"
	    "\"b@example.com\",\"password\":\"it-password-0123\"}", "" },
	{ "POST", "/api/v1/auth/login", "{\"username\":\"bad-in\",\"password\":"
	    "\"it-password-0123\"}", "" },
};
#define NTARGETS (NITEMS(targets))

/* Everything a rejected request must leave alone. */
static const char SQL_FINGERPRINT[] =
	"SELECT md5(concat("
	"(SELECT string_agg(concat(id, name, version, updated_at), $$,$$ ORDER BY id) FROM agents),"
	"(SELECT string_agg(concat(id, name, version, updated_at), $$,$$ ORDER BY id) FROM workflows),"
	"(SELECT string_agg(concat(id, name, version, hint), $$,$$ ORDER BY id) FROM credentials),"
	"(SELECT string_agg(concat(id, email, role, updated_at), $$,$$ ORDER BY id) FROM users),"
	"(SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM api_keys),"
	"(SELECT string_agg(id::text, $$,$$ ORDER BY id) FROM executions)))";

/* The path of target "t" with "id" in place of its "%s". */
static void
target_path(const struct target *t, const char *id, char *out, size_t len)
{
	const char	*p = strstr(t->path, "%s");

	if (p == NULL)
		snprintf(out, len, "%s", t->path);
	else
		snprintf(out, len, "%.*s%s%s", (int)(p - t->path), t->path, id, p + 2);
}

/* Sends "body" (content type "ctype") to target "t" at "path" and checks the rejection. */
static void
expect_rejected(const struct target *t, const char *path, const char *ctype,
    const char *body, const char *what)
{
	struct http_resp	 r;
	char			 before[64];

	snprintf(before, sizeof(before), "%s", it_sql(SQL_FINGERPRINT));
	ck_assert_int_eq(http_do(t->method, path, ctype, body, NULL, &r), 0);
	ck_assert_msg(r.status >= 400 && r.status < 500, "%s %s (%s): got %ld: %.300s",
	    t->method, path, what, r.status, r.body.data);
	it_assert_problem(&r, r.status);
	http_resp_clear(&r);
	ck_assert_msg(strcmp(before, it_sql(SQL_FINGERPRINT)) == 0,
	    "%s %s (%s) changed the database", t->method, path, what);
}

/* Sends a mutation of the target's body made by "mutate" on member "key". */
static void
mutated(const struct target *t, const char *path, const char *key, json_object *v,
    const char *what)
{
	json_object	*b = NULL;
	char		 err[128], label[160];

	ck_assert_int_eq(jsonh_parse(t->body, strlen(t->body), &b, err, sizeof(err)), 0);
	if (v == NULL)
		json_object_object_del(b, key);
	else
		json_object_object_add(b, key, v);
	snprintf(label, sizeof(label), "%s %s", what, key);
	expect_rejected(t, path, "application/json", jsonh_str(b), label);
	json_object_put(b);
}

START_TEST(test_bad_bodies)
{
	const struct target	*t = &targets[_i];
	json_object		*base = NULL;
	char			 path[256], err[128], *big;

	target_path(t, t->id, path, sizeof(path));
	ck_assert_int_eq(jsonh_parse(t->body, strlen(t->body), &base, err, sizeof(err)), 0);
	expect_rejected(t, path, "application/json", "{\"name\": ", "malformed JSON");
	expect_rejected(t, path, "application/json", "[1,2]", "not an object");
	expect_rejected(t, path, "text/plain", t->body, "wrong content type");
	mutated(t, path, "unexpected_field", json_object_new_int(1), "unknown field");
	big = malloc(300001);
	memset(big, 'a', 300000);
	big[300000] = '\0';
	json_object_object_foreach(base, key, val) {
		/* Optional members: PATCH's, inputs, description, and a PUT's secret. */
		if (strcmp(t->method, "PATCH") != 0 && strcmp(key, "inputs") != 0 &&
		    strcmp(key, "description") != 0 && !(strcmp(t->method, "PUT") == 0 &&
		    strcmp(key, "secret") == 0))
			mutated(t, path, key, NULL, "missing");
		if (json_object_is_type(val, json_type_string)) {
			mutated(t, path, key, json_object_new_int(12345), "wrong type");
			mutated(t, path, key, json_object_new_string(big), "oversize");
			mutated(t, path, key, json_object_new_string_len("a\0b", 3), "NUL in");
		} else
			mutated(t, path, key, json_object_new_string(SQLI), "wrong type");
	}
	free(big);
	json_object_put(base);
}
END_TEST

START_TEST(test_bad_ids)
{
	const struct target	*t = &targets[_i];
	static const char *const bad[] = { "not-a-uuid", "1%27%20OR%201%3D1%20--",
	    "00000000-0000-0000-0000-00000000000g", "%2e%2e", "00000000-0000-4000-8000-000000000000" };
	char			 path[256];
	size_t			 i;

	if (strstr(t->path, "%s") == NULL)
		return;
	for (i = 0; i < NITEMS(bad); i++) {
		target_path(t, bad[i], path, sizeof(path));
		expect_rejected(t, path, "application/json", t->body, bad[i]);
	}
}
END_TEST

/* The router checks the path before the body, and NUL characters however deep. */
START_TEST(test_id_then_body)
{
	struct http_resp	 r;
	char			 path[256];

	target_path(&targets[8], "not-a-uuid", path, sizeof(path));
	ck_assert_int_eq(http_post_json(path, "{\"inputs\":7}", &r), 0);
	it_assert_problem_at(&r, 404, NULL);
	http_resp_clear(&r);
	target_path(&targets[8], targets[8].id, path, sizeof(path));
	ck_assert_int_eq(http_post_json(path, "{\"inputs\":{\"x\":[{\"y\":\"a\\u0000\"}]}}",
	    &r), 0);
	it_assert_problem_at(&r, 422, "inputs.x[0].y");
	http_resp_clear(&r);
}
END_TEST

START_TEST(test_sql_metacharacters)
{
	const struct target	*t = &targets[_i];
	struct http_resp	 r;
	json_object		*b = NULL;
	char			 path[256], err[128];

	target_path(t, t->id, path, sizeof(path));
	ck_assert_int_eq(jsonh_parse(t->body, strlen(t->body), &b, err, sizeof(err)), 0);
	json_object_object_foreach(b, key, val) {
		json_object	*c;

		if (!json_object_is_type(val, json_type_string))
			continue;
		c = jsonh_copy(b);
		json_object_object_add(c, key, json_object_new_string(SQLI));
		ck_assert_int_eq(http_do(t->method, path, "application/json", jsonh_str(c), NULL,
		    &r), 0);
		/* Accepted verbatim or refused by validation: never a server error. */
		ck_assert_msg(r.status < 500, "%s %s with %s: %ld %.300s", t->method, path, key,
		    r.status, r.body.data);
		if (r.status >= 400)
			it_assert_problem(&r, r.status);
		else if (strcmp(key, "name") == 0 && jsonh_get_string(r.json, "name") != NULL)
			ck_assert_str_eq(jsonh_get_string(r.json, "name"), SQLI);
		http_resp_clear(&r);
		json_object_put(c);
	}
	json_object_put(b);
	ck_assert_str_ne(it_sql("SELECT count(*) FROM users"), "0");
}
END_TEST

/* Makes the resources the PUT/PATCH targets address. */
static int
setup_targets_run(void)
{
	struct http_resp	 r;
	const char		*create, *body;
	size_t			 i;

	for (i = 0; i < NTARGETS; i++) {
		if (strstr(targets[i].path, "%s") == NULL)
			continue;
		if (strstr(targets[i].path, "/agents/")) {
			create = "/api/v1/agents";
			body = targets[0].body;
		} else if (strstr(targets[i].path, "/credentials/")) {
			create = "/api/v1/credentials";
			body = targets[2].body;
		} else if (strstr(targets[i].path, "/workflows/")) {
			create = "/api/v1/workflows";
			body = targets[4].body;
		} else {
			create = "/api/v1/users";
			body = "{\"username\":\"it-bad-target\",\"email\":"
			    "\"bad-target@example.com\",\"password\":\"it-password-0123\","
			    "\"role\":\"viewer\"}";
		}
		http_post_json(create, body, &r);
		http_resp_clear(&r);
		if (strcmp(create, "/api/v1/users") == 0)
			snprintf(targets[i].id, sizeof(targets[i].id), "%s", it_sql("SELECT id "
			    "FROM users WHERE username = $$it-bad-target$$"));
		else {
			http_post_json(create, body, &r);
			if (r.status != 201 || jsonh_get_string(r.json, "id") == NULL)
				return -1;
			snprintf(targets[i].id, sizeof(targets[i].id), "%s",
			    jsonh_get_string(r.json, "id"));
			http_resp_clear(&r);
		}
		if (!uuid_valid(targets[i].id))
			return -1;
	}
	return 0;
}

/* Unchecked fixture: the resources exist before the first test. */
static void
setup_targets(void)
{
	ck_assert_int_eq(setup_targets_run(), 0);
}

int
main(void)
{
	Suite	*s = suite_create("badinput");
	TCase	*tc = tcase_create("badinput");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_badinput: cannot prepare (admin sign-in, resources)\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, setup_targets, NULL);
	tcase_add_loop_test(tc, test_bad_bodies, 0, NTARGETS);
	tcase_add_loop_test(tc, test_bad_ids, 0, NTARGETS);
	tcase_add_test(tc, test_id_then_body);
	tcase_add_loop_test(tc, test_sql_metacharacters, 0, NTARGETS);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
