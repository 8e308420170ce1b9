/* it_common.h: assertions and helpers shared by the authenticated integration suites
 * (it_auth, it_authz, it_badinput, it_openapi); implemented in it_common.c. */
#ifndef FRAGENT_IT_COMMON_H
#define FRAGENT_IT_COMMON_H

#include <check.h>

#include "it_http.h"
#include "uuid.h"

#define IT_DEF \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .in.x }}\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"out\"}]}"
#define IT_AGENT_CONF "{\"provider\":\"openai\",\"model\":\"m\"}"

/* Asserts "r" is a problem+json answer with "status" (type, title, status, detail). */
void	it_assert_problem(const struct http_resp *r, long status);
/* Like it_assert_problem, and, when "field" is not NULL, that "errors" names "field". */
void	it_assert_problem_at(const struct http_resp *r, long status, const char *field);
/* Sends "method" "path" with JSON "body" (may be NULL) as bearer "token" (NULL: none).
 * Returns the status; the answer is left in "r" (clear it). */
long	it_req(const char *method, const char *path, const char *body, const char *token,
	    struct http_resp *r);
/* Like it_req but only the status (answer freed). */
long	it_status(const char *method, const char *path, const char *body, const char *token);
/* Creates a resource by POSTing "body" to "path" as "token"; copies its id into "id". */
void	it_create(const char *path, const char *body, const char *token,
	    char id[UUID_STRLEN + 1]);
/* How many calls it_hook_flood sends: FRAGENT_HOOK_BURST + 200. */
size_t	it_hook_flood_size(void);
/* Calls an unknown webhook token it_hook_flood_size() times at once from "from" (NULL: this
 * address; see http_many_from), more than nginx lets one address make: asserts each answer
 * is jobd's 404 or nginx's 429 with a problem+json body, counts them in "*through" and
 * "*refused", then waits (at most 10 s) for the rate to refill the bucket of its first call
 * and asserts that such a call goes through again. */
void	it_hook_flood(const struct http_origin *from, size_t *through, size_t *refused);
/* Runs "sql" with psql on FRAGENT_DATABASE_URL; returns its first output line (static). */
const char *it_sql(const char *sql);

/* A user made by a test: its name, id and access token (heap). */
struct it_user {
	char	 name[64];
	char	 id[UUID_STRLEN + 1];
	char	*token;
};
/* Registers user "<prefix>-<tag>-<pid>-<time>" of "role" (it_login_as) and signs it in. */
void	it_user_new(struct it_user *u, const char *prefix, const char *tag, const char *role);
/* Frees its token. */
void	it_user_clear(struct it_user *u);
/* PATCHes it with "body" as "admin" (a token); asserts 200. */
void	it_user_patch(const struct it_user *u, const char *body, const char *admin);
/* Deletes it as "admin" (it must exist); asserts 204. */
void	it_user_delete(const struct it_user *u, const char *admin);

#endif
