/* webhooks.c: a workflow's webhook triggers: list, create, read, change, rotate and delete.
 * The public route they open, /hooks/{token}, is served by jobd (jobd/hooks.c); this file
 * keeps the rows: the token, the shared secret sealed under the master key (shown once, in
 * the answer that made it), the auth and response modes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "db.h"
#include "handlers.h"
#include "jsonh.h"
#include "nitems.h"
#include "uuid.h"
#include "webhook.h"

#define WEBHOOK_JSON \
	"json_build_object('id', h.id, 'workflow_id', h.workflow_id, 'name', h.name, " \
	"'token', h.token, 'path', '" WEBHOOK_PATH_PREFIX "' || h.token, 'enabled', h.enabled, " \
	"'methods', h.methods, 'auth_mode', h.auth_mode, 'response_mode', h.response_mode, " \
	"'timeout_ms', h.timeout_ms, 'replay_window_s', h.replay_window_s, " \
	"'created_at', h.created_at, 'updated_at', h.updated_at)"
/* The webhook $1 in the scope $2 (NULL: anyone's), through its workflow's owner. */
#define WEBHOOK_SCOPE \
	"h.id = $1 AND w.id = h.workflow_id AND ($2::uuid IS NULL OR w.owner_id = $2)"

static const char SQL_HOOKS_LIST[] =
	"SELECT json_build_object('items', COALESCE(json_agg(" WEBHOOK_JSON
	" ORDER BY h.created_at, h.id) FILTER (WHERE h.id IS NOT NULL), '[]')) "
	"FROM workflows w LEFT JOIN webhooks h ON h.workflow_id = w.id "
	"WHERE w.id = $1 AND ($2::uuid IS NULL OR w.owner_id = $2) GROUP BY w.id";
/* Nothing is inserted for a workflow out of scope or with WEBHOOK_PER_WORKFLOW webhooks. */
static const char SQL_HOOK_INSERT[] =
	"INSERT INTO webhooks AS h (id, workflow_id, name, token, enabled, methods, auth_mode, "
	"secret, response_mode, timeout_ms, replay_window_s) SELECT $3, w.id, "
	"COALESCE($4, ''), $5, COALESCE($6::boolean, true), COALESCE($7::text[], '{POST}'), "
	"COALESCE($8, 'none'), $9::bytea, COALESCE($10, 'async'), COALESCE($11::int, 30000), "
	"COALESCE($12::int, 300) FROM workflows w WHERE w.id = $1 AND "
	"($2::uuid IS NULL OR w.owner_id = $2) AND (SELECT count(*) FROM webhooks c "
	"WHERE c.workflow_id = w.id) < " WEBHOOK_XSTR(WEBHOOK_PER_WORKFLOW) " RETURNING " WEBHOOK_JSON;
static const char SQL_HOOK_WORKFLOW[] =
	"SELECT 1 FROM workflows WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_HOOK_GET[] =
	"SELECT " WEBHOOK_JSON ", h.auth_mode FROM webhooks h, workflows w WHERE " WEBHOOK_SCOPE;
/* $4 'none' clears the secret, a new sealed one ($10) replaces it, else it stays. */
static const char SQL_HOOK_UPDATE[] =
	"UPDATE webhooks h SET name = COALESCE($3, h.name), enabled = COALESCE($4::boolean, "
	"h.enabled), methods = COALESCE($5::text[], h.methods), auth_mode = COALESCE($6, "
	"h.auth_mode), response_mode = COALESCE($7, h.response_mode), timeout_ms = "
	"COALESCE($8::int, h.timeout_ms), replay_window_s = COALESCE($9::int, h.replay_window_s), "
	"secret = CASE WHEN $6 = 'none' THEN NULL WHEN $10::bytea IS NOT NULL THEN $10::bytea "
	"ELSE h.secret END, token = COALESCE($11, h.token), updated_at = now() "
	"FROM workflows w WHERE " WEBHOOK_SCOPE " RETURNING " WEBHOOK_JSON;
static const char SQL_HOOK_DELETE[] =
	"DELETE FROM webhooks h USING workflows w WHERE " WEBHOOK_SCOPE " RETURNING h.id";

/* What a create or a change sets; NULL members are left as they are (or defaulted). */
struct hook_change {
	const char	*name;
	const char	*enabled;	/* "true", "false" */
	char		*methods;	/* an array literal, e.g. {GET,POST} (heap) */
	const char	*auth_mode;
	const char	*response_mode;
	char		 timeout_ms[16];
	char		 replay_window_s[16];
	char		 secret[WEBHOOK_SECRET_LEN + 1];	/* a new one, or "" */
	char		*sealed;	/* "secret" sealed (heap) */
	char		 token[WEBHOOK_TOKEN_LEN + 1];		/* a new one, or "" */
};

static void
hook_change_clear(struct hook_change *c)
{
	free(c->methods);
	free(c->sealed);
	explicit_bzero(c->secret, sizeof(c->secret));
}

/* The methods of "body" (checked by the schema: 1 to 5 of GET POST PUT PATCH DELETE) as an
 * array literal without repeats, or NULL when absent. */
static char *
hook_methods(json_object *body)
{
	static const char *const all[] = { "GET", "POST", "PUT", "PATCH", "DELETE" };
	json_object	*m = jsonh_get_typed(body, "methods", json_type_array);
	struct buf	 b;
	size_t		 i, k;
	int		 first = 1;

	if (m == NULL)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "{");
	for (k = 0; k < NITEMS(all); k++)
		for (i = 0; i < json_object_array_length(m); i++) {
			const char	*s = json_object_get_string(
			    json_object_array_get_idx(m, i));

			if (s != NULL && strcmp(s, all[k]) == 0) {
				buf_printf(&b, "%s%s", first ? "" : ",", all[k]);
				first = 0;
				break;
			}
		}
	buf_puts(&b, "}");
	return b.data;
}

/* An integer member of "body" as text into "out", or "" when absent. */
static void
hook_int(json_object *body, const char *name, char *out, size_t len)
{
	json_object	*v = jsonh_get_typed(body, name, json_type_int);

	if (v != NULL)
		snprintf(out, len, "%d", json_object_get_int(v));
	else
		out[0] = '\0';
}

/* Reads the members of "body" into "c". */
static void
hook_change_read(json_object *body, struct hook_change *c)
{
	json_object	*en = jsonh_get_typed(body, "enabled", json_type_boolean);

	memset(c, 0, sizeof(*c));
	c->name = jsonh_get_string(body, "name");
	c->enabled = en == NULL ? NULL : json_object_get_boolean(en) ? "true" : "false";
	c->methods = hook_methods(body);
	c->auth_mode = jsonh_get_string(body, "auth_mode");
	c->response_mode = jsonh_get_string(body, "response_mode");
	hook_int(body, "timeout_ms", c->timeout_ms, sizeof(c->timeout_ms));
	hook_int(body, "replay_window_s", c->replay_window_s, sizeof(c->replay_window_s));
}

/* Makes a new secret for webhook "id" and seals it into "c". Returns 0 or -1. */
static int
hook_new_secret(struct req *rq, const char *id, struct hook_change *c)
{
	if (webhook_secret_new(c->secret) == -1 ||
	    (c->sealed = webhook_seal(rq->app->master_key, id, c->secret)) == NULL)
		return -1;
	return 0;
}

/* Answers "status" with row "res"'s webhook, with the new secret of "c" when it made one. */
static int
hook_answer(struct req *rq, int status, PGresult *res, const struct hook_change *c)
{
	json_object	*o;
	int		 rc;

	if (c->secret[0] == '\0')
		return resp_raw_json(rq, status, PQgetvalue(res, 0, 0),
		    (size_t)PQgetlength(res, 0, 0));
	if ((o = db_json(res, 0, 0)) == NULL)
		return resp_problem(rq, 500, "the stored webhook is unreadable", NULL);
	json_object_object_add(o, "secret", jsonh_new_string(c->secret));
	rc = resp_json(rq, status, o);
	json_object_put(o);
	return rc;
}

int
webhooks_list(struct req *rq)
{
	return resp_row(rq, 200, SQL_HOOKS_LIST, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

int
webhooks_create(struct req *rq)
{
	struct hook_change	 c;
	PGresult		*res = NULL;
	char			 id[UUID_STRLEN + 1];
	enum db_rc		 drc;
	int			 rc;

	hook_change_read(rq->json, &c);
	if (uuid_new(id) == -1 || webhook_token_new(c.token) == -1 ||
	    (c.auth_mode != NULL && strcmp(c.auth_mode, "none") != 0 &&
	    hook_new_secret(rq, id, &c) == -1)) {
		rc = resp_problem(rq, 503, "no randomness or encryption available now", NULL);
		goto out;
	}
	drc = db_row(rq->app->db, SQL_HOOK_INSERT, 12, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), id, c.name, c.token, c.enabled, c.methods, c.auth_mode,
	    c.sealed, c.response_mode, c.timeout_ms[0] ? c.timeout_ms : NULL,
	    c.replay_window_s[0] ? c.replay_window_s : NULL }, &res);
	if (drc == DB_OK)
		rc = hook_answer(rq, 201, res, &c);
	else if (drc != DB_NOTFOUND)
		rc = resp_db_error(rq, drc);
	else if ((drc = db_row(rq->app->db, SQL_HOOK_WORKFLOW, 2, (const char *[]){
	    rq->args[0], req_owner_filter(rq) }, &res)) != DB_OK)
		rc = resp_db_error(rq, drc);
	else
		rc = resp_problem(rq, 409, "a workflow has at most " WEBHOOK_XSTR(WEBHOOK_PER_WORKFLOW)
		    " webhooks; delete one first", NULL);
out:
	PQclear(res);
	hook_change_clear(&c);
	return rc;
}

int
webhooks_get(struct req *rq)
{
	return resp_row(rq, 200, SQL_HOOK_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}

/* Applies "c" to webhook rq->args[0], whose current row is "cur" (its auth mode in column
 * 1): a mode that needs a secret gets one when it had none. */
static int
hook_update(struct req *rq, PGresult *cur, struct hook_change *c, int new_secret)
{
	PGresult	*res = NULL;
	const char	*was = PQgetvalue(cur, 0, 1);
	enum db_rc	 drc;
	int		 rc;

	if (c->auth_mode != NULL && strcmp(c->auth_mode, "none") != 0 &&
	    strcmp(was, "none") == 0)
		new_secret = 1;
	if (new_secret && (c->auth_mode != NULL ? strcmp(c->auth_mode, "none") :
	    strcmp(was, "none")) == 0)
		return resp_invalid(rq, "secret", "the webhook's auth_mode is none: it has no "
		    "secret to rotate");
	if (new_secret && hook_new_secret(rq, rq->args[0], c) == -1)
		return resp_problem(rq, 503, "no randomness or encryption available now", NULL);
	drc = db_row(rq->app->db, SQL_HOOK_UPDATE, 11, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), c->name, c->enabled, c->methods, c->auth_mode,
	    c->response_mode, c->timeout_ms[0] ? c->timeout_ms : NULL,
	    c->replay_window_s[0] ? c->replay_window_s : NULL, c->sealed,
	    c->token[0] ? c->token : NULL }, &res);
	rc = drc == DB_OK ? hook_answer(rq, 200, res, c) : resp_db_error(rq, drc);
	PQclear(res);
	return rc;
}

/* Reads webhook rq->args[0] in scope, then applies "c" (and a new secret when asked). */
static int
hook_change_apply(struct req *rq, struct hook_change *c, int new_secret)
{
	PGresult	*cur = NULL;
	enum db_rc	 drc;
	int		 rc;

	if ((drc = db_row(rq->app->db, SQL_HOOK_GET, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &cur)) != DB_OK)
		return resp_db_error(rq, drc);
	rc = hook_update(rq, cur, c, new_secret);
	PQclear(cur);
	return rc;
}

int
webhooks_patch(struct req *rq)
{
	struct hook_change	 c;
	int			 rc;

	hook_change_read(rq->json, &c);
	rc = hook_change_apply(rq, &c, 0);
	hook_change_clear(&c);
	return rc;
}

int
webhooks_rotate(struct req *rq)
{
	struct hook_change	 c;
	json_object		*tok = jsonh_get_typed(rq->json, "token", json_type_boolean);
	json_object		*sec = jsonh_get_typed(rq->json, "secret", json_type_boolean);
	int			 rc, new_secret = sec != NULL && json_object_get_boolean(sec);

	memset(&c, 0, sizeof(c));
	/* Without a choice, the token (the URL) is what rotates. */
	if ((tok == NULL && !new_secret) || (tok != NULL && json_object_get_boolean(tok))) {
		if (webhook_token_new(c.token) == -1)
			return resp_problem(rq, 503, "no randomness available now", NULL);
	}
	rc = hook_change_apply(rq, &c, new_secret);
	hook_change_clear(&c);
	return rc;
}

int
webhooks_delete(struct req *rq)
{
	return resp_delete(rq, SQL_HOOK_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
}
