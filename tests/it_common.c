/* it_common.c: helpers of the authenticated integration suites (see it_common.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "it_common.h"
#include "jsonh.h"
#include "webhook.h"

void
it_assert_problem(const struct http_resp *r, long status)
{
	ck_assert_msg(r->status == status, "want %ld, got %ld: %s", status, r->status,
	    r->body.data);
	ck_assert_str_eq(r->content_type, "application/problem+json");
	ck_assert_ptr_nonnull(r->json);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(r->json, "status")),
	    (int)status);
	ck_assert_ptr_nonnull(jsonh_get_string(r->json, "title"));
	ck_assert_ptr_nonnull(jsonh_get_string(r->json, "detail"));
	ck_assert_ptr_nonnull(jsonh_get_string(r->json, "type"));
}

size_t
it_hook_flood_size(void)
{
	const char	*burst = getenv("FRAGENT_HOOK_BURST");

	ck_assert_ptr_nonnull(burst);
	return (size_t)atol(burst) + 200;
}

void
it_hook_flood(const struct http_origin *from, size_t *through, size_t *refused)
{
	static const char path[] = WEBHOOK_PATH_PREFIX
	    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
	json_object		*j;
	long			*status, last = 0;
	char			**answers;
	size_t			 n = it_hook_flood_size(), i;
	int			 k;

	ck_assert_ptr_nonnull(status = calloc(n, sizeof(*status)));
	ck_assert_ptr_nonnull(answers = calloc(n, sizeof(*answers)));
	http_many_from(from, "POST", path, NULL, NULL, n, status, answers);
	*through = *refused = 0;
	for (i = 0; i < n; i++) {
		if (status[i] == 404)
			++*through;
		else {
			ck_assert_msg(status[i] == 429, "call %zu: %ld %s", i, status[i],
			    answers[i]);
			ck_assert_ptr_nonnull(j = json_tokener_parse(answers[i]));
			ck_assert_int_eq(json_object_get_int(jsonh_get_typed(j, "status",
			    json_type_int)), 429);
			json_object_put(j);
			++*refused;
		}
		free(answers[i]);
	}
	for (k = 0; k < 100 && last != 404; k++) {
		http_many_from(from, "POST", path, NULL, NULL, 1, &last, answers);
		free(answers[0]);
		if (last != 404)
			usleep(100 * 1000);
	}
	free(status);
	free(answers);
	ck_assert_int_eq(last, 404);
}

void
it_assert_problem_at(const struct http_resp *r, long status, const char *field)
{
	json_object	*errors;
	size_t		 i;
	int		 found = 0;

	it_assert_problem(r, status);
	if (field == NULL)
		return;
	errors = jsonh_get_typed(r->json, "errors", json_type_array);
	ck_assert_ptr_nonnull(errors);
	for (i = 0; i < json_object_array_length(errors); i++)
		found |= strcmp(jsonh_get_string(json_object_array_get_idx(errors, i), "field"),
		    field) == 0;
	ck_assert_msg(found, "no error for %s in %s", field, r->body.data);
}

long
it_req(const char *method, const char *path, const char *body, const char *token,
    struct http_resp *r)
{
	char		 hdr[2048];
	const char	*h[] = { hdr, NULL };

	if (token != NULL)
		snprintf(hdr, sizeof(hdr), "Authorization: Bearer %s", token);
	else
		snprintf(hdr, sizeof(hdr), "Authorization:");
	ck_assert_int_eq(http_do(method, path, body ? "application/json" : NULL, body, h, r),
	    0);
	return r->status;
}

long
it_status(const char *method, const char *path, const char *body, const char *token)
{
	struct http_resp	 r;
	long			 st = it_req(method, path, body, token, &r);

	if (st >= 500)
		fprintf(stderr, "%s %s: %ld %s\n", method, path, st, r.body.data);
	http_resp_clear(&r);
	return st;
}

void
it_create(const char *path, const char *body, const char *token, char id[UUID_STRLEN + 1])
{
	struct http_resp	 r;

	it_req("POST", path, body, token, &r);
	ck_assert_msg(r.status == 201, "POST %s: %ld %s", path, r.status, r.body.data);
	ck_assert(uuid_valid(jsonh_get_string(r.json, "id")));
	snprintf(id, UUID_STRLEN + 1, "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
}

const char *
it_sql(const char *sql)
{
	static char	 line[4096];
	const char	*url = getenv("FRAGENT_DATABASE_URL");
	char		 cmd[8192];
	FILE		*p;

	line[0] = '\0';
	ck_assert_ptr_nonnull(url);
	ck_assert_ptr_null(strchr(sql, '\''));
	snprintf(cmd, sizeof(cmd), "psql -X -A -t -q '%s' -c '%s'", url, sql);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	if (fgets(line, sizeof(line), p) == NULL)
		line[0] = '\0';
	line[strcspn(line, "\n")] = '\0';
	pclose(p);
	return line;
}

void
it_user_new(struct it_user *u, const char *prefix, const char *tag, const char *role)
{
	char	 sql[160];

	snprintf(u->name, sizeof(u->name), "%s-%s-%d-%ld", prefix, tag, (int)getpid(),
	    (long)time(NULL) % 100000);
	u->token = it_login_as(u->name, role);
	ck_assert_ptr_nonnull(u->token);
	snprintf(sql, sizeof(sql), "SELECT id FROM users WHERE username = $$%s$$", u->name);
	snprintf(u->id, sizeof(u->id), "%s", it_sql(sql));
	ck_assert(uuid_valid(u->id));
}

void
it_user_clear(struct it_user *u)
{
	free(u->token);
	u->token = NULL;
}

void
it_user_patch(const struct it_user *u, const char *body, const char *admin)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/v1/users/%s", u->id);
	ck_assert_int_eq(it_status("PATCH", path, body, admin), 200);
}

void
it_user_delete(const struct it_user *u, const char *admin)
{
	char	 path[128];

	snprintf(path, sizeof(path), "/api/v1/users/%s", u->id);
	ck_assert_int_eq(it_status("DELETE", path, NULL, admin), 204);
}
