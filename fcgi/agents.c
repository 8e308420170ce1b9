/* agents.c: /agents: list, create, get, PUT (optimistic concurrency on version), delete.
 * The configuration is checked against agent_config_schema, the tool catalogue and the
 * owner's credentials. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "apimetrics.h"
#include "db.h"
#include "handlers.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "listing.h"
#include "providers.h"
#include "schemas.h"
#include "tools.h"
#include "uuid.h"
#include "budget.h"
#include "wf.h"

#define UUID_PATTERN "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-" \
	"[0-9a-fA-F]{12}$"

const char agent_config_schema[] =
	"{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"provider\","
	"\"model\"],\"properties\":{"
	"\"provider\":{\"type\":\"string\",\"enum\":[" DESC_PROVIDER_NAMES_JSON "],"
	"\"title\":\"Provider\",\"description\":\"one of GET /providers\"},"
	"\"base_url\":{\"type\":\"string\",\"maxLength\":2048,\"pattern\":\"^https?://\","
	"\"title\":\"Base URL\"},"
	"\"model\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":200,\"title\":\"Model\"},"
	"\"credential_id\":{\"type\":[\"string\",\"null\"],\"pattern\":\"" UUID_PATTERN "\","
	"\"title\":\"Credential\"},"
	"\"system_prompt\":{\"type\":\"string\",\"maxLength\":65536,\"title\":\"System prompt\"},"
	"\"temperature\":{\"type\":\"number\",\"minimum\":0,\"maximum\":2,\"default\":0.7,"
	"\"title\":\"Temperature\"},"
	"\"max_tokens\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200000,"
	"\"title\":\"Max tokens\"},"
	"\"tools\":{\"type\":\"array\",\"maxItems\":32,\"items\":{\"type\":\"string\","
	"\"minLength\":1,\"maxLength\":64},\"title\":\"Tools\"},"
	"\"memory\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"type\"],"
	"\"properties\":{\"type\":{\"type\":\"string\",\"enum\":[\"none\",\"buffer\"]},"
	"\"window\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":200}},\"title\":\"Memory\"},"
	"\"max_iterations\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":50,\"default\":10,"
	"\"title\":\"Max iterations\"},"
	"\"output_schema\":{\"type\":\"object\",\"title\":\"Output schema\",\"description\":"
	"\"a JSON Schema the final answer must match (the agent then answers JSON)\"},"
	"\"stream\":{\"type\":\"boolean\",\"default\":true,\"title\":\"Stream tokens\"},"
	"\"budget\":" BUDGET_AGENT_SCHEMA "}}";

#define AGENT_JSON(t) \
	"json_build_object('id', " t ".id, 'owner_id', " t ".owner_id, 'name', " t ".name, " \
	"'description', " t ".description, 'configuration', " t ".configuration, " \
	"'version', " t ".version, 'created_at', " t ".created_at, 'updated_at', " \
	t ".updated_at)"

static const char SQL_AGENTS_LIST[] =
	"SELECT " AGENT_JSON("a") ", " LIST_SQL_KEYS("a") " FROM agents a WHERE "
	"($1::uuid IS NULL OR a.owner_id = $1) AND " LIST_SQL_CURSOR("a") " AND "
	"($5::text IS NULL OR strpos(lower(a.name), lower($5)) > 0)" LIST_SQL_ORDER("a");
/* Read by id through the per-process cache (resp_cached_read): the owner, then the answer. */
static const char SQL_AGENT_GET[] =
	"SELECT a.owner_id, " AGENT_JSON("a") " FROM agents a WHERE a.id = $1";
static const char SQL_AGENT_INSERT[] =
	"INSERT INTO agents AS a (id, owner_id, name, description, configuration) "
	"VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING " AGENT_JSON("a");
static const char SQL_AGENT_UPDATE[] =
	"UPDATE agents AS a SET name = $3, description = $4, configuration = $5::jsonb, "
	"version = version + 1, updated_at = now() WHERE a.id = $1 AND "
	"($2::uuid IS NULL OR a.owner_id = $2) AND a.version = $6::int RETURNING " AGENT_JSON("a");
static const char SQL_AGENT_VERSION[] =
	"SELECT version FROM agents WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_AGENT_DELETE[] =
	"DELETE FROM agents WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2) RETURNING id";
/* The credential $1 belongs to user $2, or (PUT) to the owner of agent $3. */
static const char SQL_CRED_USABLE[] =
	"SELECT 1 FROM credentials c WHERE c.id = $1 AND c.owner_id = "
	"COALESCE((SELECT owner_id FROM agents WHERE id = $3::uuid), $2::uuid)";

/* True when URL "h" has part "what". */
static int
agents_url_has(CURLU *h, CURLUPart what)
{
	char		*v = NULL;
	CURLUcode	 rc = curl_url_get(h, what, &v, 0);

	curl_free(v);
	return rc == CURLUE_OK;
}

/* Why "u" can never reach a model server, or NULL when it may: not an http(s) URL, a user
 * name or password in it (a credential carries the key), a query or a fragment (the provider
 * appends its path), spaces, control characters or backslashes. Whether the address may be
 * reached is jobd's SSRF guard's to judge, when it connects. */
static const char *
agents_base_url_problem(const char *u)
{
	CURLU		*h;
	char		*part = NULL;
	const char	*why = NULL, *p;

	for (p = u; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '\\')
			return "must not contain spaces, control characters or backslashes";
	if (strpbrk(u, "?#") != NULL)
		return "must not have a query or a fragment (? or #): the provider's path is "
		    "appended to it";
	if ((h = curl_url()) == NULL)
		return "cannot be checked now";
	if (curl_url_set(h, CURLUPART_URL, u, 0) != CURLUE_OK ||
	    curl_url_get(h, CURLUPART_SCHEME, &part, 0) != CURLUE_OK)
		why = "is not a URL";
	else if (strcmp(part, "http") != 0 && strcmp(part, "https") != 0)
		why = "must be an http:// or https:// URL";
	else if (agents_url_has(h, CURLUPART_USER) || agents_url_has(h, CURLUPART_PASSWORD) ||
	    strchr(u, '@') != NULL)
		why = "must not hold a user name or password (the credential holds the key)";
	curl_free(part);
	curl_url_cleanup(h);
	return why;
}

/* Checks what the schema of "conf" (which the router checked) cannot say: the base URL's
 * form, its output_schema against the meta-schema and its tools against the catalogue;
 * appends errors. */
static void
agents_check_config(json_object *conf, json_object *errors)
{
	json_object		*tools, *out;
	enum tool_kind		 k;
	const char		*why;
	char			 field[64];
	size_t			 i;

	if (jsonh_get_string(conf, "base_url") != NULL &&
	    (why = agents_base_url_problem(jsonh_get_string(conf, "base_url"))) != NULL)
		wf_error_add(errors, "configuration.base_url", "%s", why);
	/* jobd validates every answer with it: it must be a schema the validator reads. */
	if ((out = jsonh_get_typed(conf, "output_schema", json_type_object)) != NULL)
		(void)jsmeta_check(out, "configuration.output_schema", errors);
	if ((tools = jsonh_get_typed(conf, "tools", json_type_array)) == NULL)
		return;
	for (i = 0; i < json_object_array_length(tools); i++) {
		snprintf(field, sizeof(field), "configuration.tools[%zu]", i);
		if (tool_lookup(json_object_get_string(json_object_array_get_idx(tools, i)),
		    &k) == -1)
			wf_error_add(errors, field, "is not a tool of GET /tools");
	}
}

/* Checks a create or PUT body beyond its schema; then the credential, which needs the
 * database. Returns 0, or -1 after answering. */
static int
agents_check(struct req *rq, json_object *body, const char *agent_id)
{
	json_object	*errors = jsonh_new_array(), *conf;
	const char	*cred;
	PGresult	*res = NULL;
	enum db_rc	 drc;
	int		 rc = -1;

	if ((conf = jsonh_get_typed(body, "configuration", json_type_object)) != NULL)
		agents_check_config(conf, errors);
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "the agent is invalid", errors);
		goto out;
	}
	if ((cred = jsonh_get_string(conf, "credential_id")) != NULL) {
		drc = db_row(rq->app->db, SQL_CRED_USABLE, 3, (const char *[]){ cred,
		    rq->user.user_id, agent_id }, &res);
		if (drc == DB_NOTFOUND) {
			resp_invalid(rq, "configuration.credential_id",
			    "is not a credential of the agent's owner");
			goto out;
		}
		if (drc != DB_OK) {
			resp_db_error(rq, drc);
			goto out;
		}
	}
	rc = 0;
out:
	PQclear(res);
	json_object_put(errors);
	return rc;
}

int
agents_list(struct req *rq)
{
	return list_page(rq, SQL_AGENTS_LIST, req_owner_filter(rq));
}

enum db_rc
agents_read(struct req *rq, const char *id, char owner[UUID_STRLEN + 1], char **json)
{
	return resp_cached_read(rq, SQL_AGENT_GET, id, owner, json);
}

int
agents_get(struct req *rq)
{
	return resp_cached_row(rq, SQL_AGENT_GET);
}

/* The description member, "" when absent. */
static const char *
agents_desc(json_object *body)
{
	const char	*d = jsonh_get_string(body, "description");

	return d != NULL ? d : "";
}

int
agents_create(struct req *rq)
{
	json_object	*body = rq->json;
	char		 id[UUID_STRLEN + 1];

	if (agents_check(rq, body, NULL) == -1)
		return 0;
	if (uuid_new(id) == -1)
		return resp_problem(rq, 503, "no randomness available", NULL);
	return resp_row(rq, 201, SQL_AGENT_INSERT, 5, (const char *[]){ id, rq->user.user_id,
	    jsonh_get_string(body, "name"), agents_desc(body),
	    jsonh_str(jsonh_get_typed(body, "configuration", json_type_object)) });
}

int
agents_put(struct req *rq)
{
	json_object	*body = rq->json;
	char		 version[16];
	int		 rc;

	if (agents_check(rq, body, rq->args[0]) == -1)
		return 0;
	snprintf(version, sizeof(version), "%d",
	    json_object_get_int(json_object_object_get(body, "version")));
	rc = resp_versioned_update(rq, SQL_AGENT_UPDATE, 6, (const char *[]){ rq->args[0],
	    req_owner_filter(rq), jsonh_get_string(body, "name"), agents_desc(body),
	    jsonh_str(jsonh_get_typed(body, "configuration", json_type_object)), version },
	    SQL_AGENT_VERSION);
	/* Every process's cached agent goes, before this answer is complete (libfcgi ends it
	 * when the handler returns). */
	api_metrics_auth_changed();
	return rc;
}

int
agents_delete(struct req *rq)
{
	int	 rc;

	rc = resp_delete(rq, SQL_AGENT_DELETE, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) });
	api_metrics_auth_changed();	/* as agents_put */
	return rc;
}
