/* approval.c: the approval node type; pauses the run durably until a person answers (see
 * shared/approval.h). The first time it runs, it records the request and answers NODE_WAIT:
 * the engine records the step waiting and, once nothing else runs, ends the attempt with
 * the execution waiting (no worker, lease or queue entry held). An answer (the API, or the
 * deadline through jobd's sweeper) becomes the step's output and queues the run again; the
 * resumed run reuses it and follows the `approved` or `rejected` handle. */
#include "config.h"

#include "nodetype.h"

NODE_TYPE_DEF(approval,
	.title = "Human approval",
	.description = "Pauses the run until a person approves or rejects it (from the UI or "
	    "`POST /executions/{id}/approvals/{node}`). `role` or `user_id` say who may answer "
	    "(neither: the run's owner; admins always may); past `deadline_seconds` it is "
	    "rejected. Output `{approved, comment, by, at}`; follows `approved` or `rejected`.",
	.category = "flow",
	.config_schema = WF_SCHEMA("\"role\":{\"type\":\"string\",\"enum\":[\"admin\","
	    "\"editor\",\"viewer\"],\"title\":\"Role that may answer\"},"
	    "\"user_id\":" WF_UUID_STR("User who may answer") ","
	    "\"message\":{\"type\":\"string\",\"maxLength\":2000,"
	    "\"title\":\"Message to the approvers\"},"
	    "\"deadline_seconds\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":31536000,"
	    "\"title\":\"Deadline (s): rejected after it\"},", ""),
	.recorded_whole = true,
	.outputs = WF_NAMES("approved", "rejected"));

#ifdef JOBD_BUILD
#include <stdio.h>
#include <string.h>

#include "approval.h"
#include "db.h"
#include "jsonh.h"
#include "node.h"

/* $1 execution, $2 node, $3 role, $4 user, $5 message, $6 input, $7 deadline seconds: records
 * the request once (a resumed run finds it), then reads its state and, answered, the output. */
static const char SQL_APPROVAL_OPEN[] =
	"WITH i AS (INSERT INTO approvals (execution_id, node_id, role, user_id, message, input, "
	"deadline) VALUES ($1, $2, $3, $4::uuid, $5, $6::jsonb, now() + $7::bigint * "
	"interval '1 second') ON CONFLICT DO NOTHING RETURNING state) "
	"SELECT a.state, " APPROVAL_OUTPUT_SQL " FROM approvals a "
	"WHERE a.execution_id = $1 AND a.node_id = $2 "
	"UNION ALL SELECT state, NULL FROM i";

/* A config member as text, or NULL when absent; "buf" holds a number's text. */
static const char *
approval_param(json_object *config, const char *key, char *buf, size_t len)
{
	json_object	*v;

	if (!json_object_object_get_ex(config, key, &v) || v == NULL)
		return NULL;
	if (json_object_is_type(v, json_type_int)) {
		snprintf(buf, len, "%lld", (long long)json_object_get_int64(v));
		return buf;
	}
	return json_object_get_string(v);
}

static enum node_rc
approval_run(struct node_call *c, json_object **out, char *err, size_t errlen)
{
	json_object	*cfg = c->node->config;
	PGresult	*res = NULL;
	const char	*msg, *state;
	char		 deadline[24];
	enum node_rc	 rc;

	msg = approval_param(cfg, "message", NULL, 0);
	if (db_row(c->env->db, SQL_APPROVAL_OPEN, 7, (const char *[]){ c->execution_id,
	    c->node->id, approval_param(cfg, "role", NULL, 0),
	    approval_param(cfg, "user_id", NULL, 0), msg != NULL ? msg : "",
	    jsonh_str(c->input), approval_param(cfg, "deadline_seconds", deadline,
	    sizeof(deadline)) }, &res) != DB_OK) {
		snprintf(err, errlen, "cannot record the approval request");
		return NODE_ERROR;
	}
	state = PQgetvalue(res, 0, 0);
	if (strcmp(state, "pending") == 0) {
		/* What the waiting event says about the request. */
		*out = jsonh_new_object();
		json_object_object_add(*out, "message", jsonh_new_string(msg != NULL ? msg : ""));
		rc = NODE_WAIT;
	} else {
		*out = db_json(res, 0, 1);
		rc = NODE_OK;
	}
	PQclear(res);
	return rc;
}

NODE_IMPL(approval, approval_run, NULL);
#endif
