/* it_authz.c: the authorization matrix: every route × {anonymous, viewer, editor-owner,
 * editor-other, admin} with the expected status. The resources in the paths belong to the
 * editor-owner and are made fresh for every cell, so deletes do not disturb later cells. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "check_run.h"
#include "it_common.h"
#include "jsonh.h"
#include "nitems.h"

enum who { ANON, VIEWER, OWNER, OTHER, ADMIN, WHO__MAX };

static const char *const who_names[WHO__MAX] = {
	"anonymous", "viewer", "editor-owner", "editor-other", "admin"
};

/* Path placeholders: {a} agent, {c} credential, {w} workflow, {e} running execution,
 * {f} failed execution, {k} API key, {u} a fresh user, {n} a unique number. */
static const struct cell {
	const char	*method;
	const char	*path;
	const char	*body;
	long		 want[WHO__MAX];
} matrix[] = {
	{ "GET", "/health", NULL, { 200, 200, 200, 200, 200 } },
	{ "GET", "/ready", NULL, { 200, 200, 200, 200, 200 } },
	{ "GET", "/openapi.json", NULL, { 200, 200, 200, 200, 200 } },
	{ "GET", "/auth/setup", NULL, { 200, 200, 200, 200, 200 } },
	{ "GET", "/auth/me", NULL, { 401, 200, 200, 200, 200 } },
	{ "POST", "/auth/refresh", NULL, { 401, 401, 401, 401, 401 } },
	{ "POST", "/auth/logout", NULL, { 204, 204, 204, 204, 204 } },
	{ "GET", "/users", NULL, { 401, 403, 403, 403, 200 } },
	{ "POST", "/users", "{\"username\":\"it-authz-{n}\",\"email\":\"z{n}@example.com\","
	    "\"password\":\"it-password-0123\",\"role\":\"viewer\"}",
	    { 401, 403, 403, 403, 201 } },
	{ "GET", "/users/{u}", NULL, { 401, 403, 403, 403, 200 } },
	{ "PATCH", "/users/{u}", "{\"role\":\"editor\"}", { 401, 403, 403, 403, 200 } },
	{ "DELETE", "/users/{u}", NULL, { 401, 403, 403, 403, 204 } },
	{ "GET", "/api-keys", NULL, { 401, 200, 200, 200, 200 } },
	{ "POST", "/api-keys", "{\"name\":\"k\"}", { 401, 201, 201, 201, 201 } },
	{ "DELETE", "/api-keys/{k}", NULL, { 401, 404, 204, 404, 204 } },
	{ "GET", "/agents", NULL, { 401, 200, 200, 200, 200 } },
	{ "POST", "/agents", "{\"name\":\"z\",\"configuration\":" IT_AGENT_CONF "}",
	    { 401, 403, 201, 201, 201 } },
	{ "GET", "/agents/{a}", NULL, { 401, 404, 200, 404, 200 } },
	{ "PUT", "/agents/{a}", "{\"name\":\"z2\",\"configuration\":" IT_AGENT_CONF
	    ",\"version\":1}", { 401, 403, 200, 404, 200 } },
	{ "DELETE", "/agents/{a}", NULL, { 401, 403, 204, 404, 204 } },
	{ "GET", "/credentials", NULL, { 401, 200, 200, 200, 200 } },
	{ "POST", "/credentials", "{\"name\":\"z\",\"provider\":\"openai\",\"secret\":"
	    "\"sk-0123456789abcdef\"}", { 401, 403, 201, 201, 201 } },
	{ "GET", "/credentials/{c}", NULL, { 401, 404, 200, 404, 200 } },
	{ "PUT", "/credentials/{c}", "{\"name\":\"z2\",\"provider\":\"openai\","
	    "\"version\":1}", { 401, 403, 200, 404, 200 } },
	{ "DELETE", "/credentials/{c}", NULL, { 401, 403, 204, 404, 204 } },
	{ "GET", "/workflows", NULL, { 401, 200, 200, 200, 200 } },
	{ "POST", "/workflows", "{\"name\":\"z\",\"definition\":" IT_DEF "}",
	    { 401, 403, 201, 201, 201 } },
	{ "POST", "/workflows/validate", "{\"definition\":" IT_DEF "}",
	    { 401, 403, 200, 200, 200 } },
	{ "POST", "/workflows/import", "{\"fragent_export\":1,\"name\":\"z\","
	    "\"definition\":" IT_DEF "}", { 401, 403, 201, 201, 201 } },
	{ "GET", "/workflows/{w}", NULL, { 401, 404, 200, 404, 200 } },
	{ "PUT", "/workflows/{w}", "{\"name\":\"z2\",\"definition\":" IT_DEF
	    ",\"version\":1}", { 401, 403, 200, 404, 200 } },
	{ "DELETE", "/workflows/{w}", NULL, { 401, 403, 204, 404, 204 } },
	{ "GET", "/workflows/{w}/export", NULL, { 401, 404, 200, 404, 200 } },
	{ "POST", "/workflows/{w}/executions", "{\"inputs\":{\"x\":1}}",
	    { 401, 403, 202, 404, 202 } },
	{ "GET", "/executions", NULL, { 401, 200, 200, 200, 200 } },
	{ "GET", "/executions/{e}", NULL, { 401, 404, 200, 404, 200 } },
	{ "POST", "/executions/{e}/cancel", NULL, { 401, 403, 202, 404, 202 } },
	{ "POST", "/executions/{f}/retry", NULL, { 401, 403, 202, 404, 202 } },
	{ "GET", "/executions/{f}/events", NULL, { 401, 404, 200, 404, 200 } },
	{ "GET", "/node-types", NULL, { 401, 200, 200, 200, 200 } },
	{ "GET", "/tools", NULL, { 401, 200, 200, 200, 200 } },
	{ "GET", "/providers", NULL, { 401, 200, 200, 200, 200 } },
};

static char	*tokens[WHO__MAX];

/* An execution of workflow "wf" with "status", made directly in the database (no queue). */
static void
make_execution(const char *wf, const char *status, char out[UUID_STRLEN + 1])
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO executions (id, workflow_id, workflow_version, "
	    "definition, owner_id, status, end_time) SELECT gen_random_uuid(), id, version, "
	    "definition, owner_id, $$%s$$, CASE WHEN $$%s$$ = $$failed$$ THEN now() END "
	    "FROM workflows WHERE id = $$%s$$ RETURNING id", status, status, wf);
	snprintf(out, UUID_STRLEN + 1, "%s", it_sql(sql));
	ck_assert(uuid_valid(out));
}

/* Replaces every placeholder of "tpl" with a fresh resource of the editor-owner. */
static void
expand(const char *tpl, char *out, size_t len)
{
	static int	 serial;
	char		 id[UUID_STRLEN + 1], wf[UUID_STRLEN + 1], num[32];
	const char	*p;
	size_t		 o = 0;

	for (p = tpl; *p != '\0' && o + 40 < len; p++) {
		const char	*rep = NULL;

		if (p[0] == '{' && p[1] != '\0' && p[2] == '}') {
			switch (p[1]) {
			case 'a':
				it_create("/api/v1/agents", "{\"name\":\"m\",\"configuration\":"
				    IT_AGENT_CONF "}", tokens[OWNER], id);
				rep = id;
				break;
			case 'c':
				it_create("/api/v1/credentials", "{\"name\":\"m\",\"provider\":"
				    "\"openai\",\"secret\":\"sk-matrix-secret-1234\"}",
				    tokens[OWNER], id);
				rep = id;
				break;
			case 'w':
			case 'e':
			case 'f':
				it_create("/api/v1/workflows", "{\"name\":\"m\",\"definition\":"
				    IT_DEF "}", tokens[OWNER], wf);
				if (p[1] == 'w')
					rep = wf;
				else {
					make_execution(wf, p[1] == 'e' ? "running" : "failed", id);
					rep = id;
				}
				break;
			case 'k':
				it_create("/api/v1/api-keys", "{\"name\":\"m\"}", tokens[OWNER], id);
				rep = id;
				break;
			case 'u':
				snprintf(num, sizeof(num), "%d-%d", (int)getpid(), ++serial);
				snprintf(out + o, len - o, "{\"username\":\"it-authz-u%s\",\"email\":"
				    "\"u%s@example.com\",\"password\":\"it-password-0123\","
				    "\"role\":\"viewer\"}", num, num);
				it_create("/api/v1/users", out + o, tokens[ADMIN], id);
				rep = id;
				break;
			case 'n':
				snprintf(num, sizeof(num), "%d-%d", (int)getpid(), ++serial);
				rep = num;
				break;
			}
		}
		if (rep != NULL) {
			o += (size_t)snprintf(out + o, len - o, "%s", rep);
			p += 2;
		} else
			out[o++] = *p;
	}
	out[o] = '\0';
}

START_TEST(test_matrix)
{
	const struct cell	*c = &matrix[_i];
	struct http_resp	 r;
	char			 path[512], body[2048], tpl[256];
	int			 w;

	for (w = 0; w < WHO__MAX; w++) {
		snprintf(tpl, sizeof(tpl), "/api/v1%s", c->path);
		expand(tpl, path, sizeof(path));
		if (c->body != NULL)
			expand(c->body, body, sizeof(body));
		it_req(c->method, path, c->body ? body : NULL, tokens[w], &r);
		ck_assert_msg(r.status == c->want[w], "%s %s as %s: want %ld, got %ld: %.200s",
		    c->method, c->path, who_names[w], c->want[w], r.status, r.body.data);
		if (r.status >= 400)
			it_assert_problem(&r, r.status);
		http_resp_clear(&r);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("authz");
	TCase	*tc = tcase_create("matrix");
	int	 rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_authz: cannot sign in as the suites' administrator\n");
		return EXIT_FAILURE;
	}
	tokens[ADMIN] = strdup(it_token());
	it_set_token(NULL);
	tokens[VIEWER] = it_login_as("it-authz-viewer", "viewer");
	tokens[OWNER] = it_login_as("it-authz-owner", "editor");
	tokens[OTHER] = it_login_as("it-authz-other", "editor");
	if (!tokens[VIEWER] || !tokens[OWNER] || !tokens[OTHER]) {
		fprintf(stderr, "it_authz: cannot sign in the matrix's users\n");
		return EXIT_FAILURE;
	}
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_matrix, 0, NITEMS(matrix));
	suite_add_tcase(s, tc);
	rc = check_run(s);
	curl_global_cleanup();
	return rc;
}
