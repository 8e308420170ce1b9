/* chat.c: POST /agents/{id}/chat: runs an agent on one message as a one-node execution
 * (input → agent → output, kind 'chat'), so that a person can talk to an agent while
 * building it; answers 202 with the execution and the session id (memory continues a
 * session across chats). The engine runs it like any workflow; its events stream the
 * tokens. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "uuid.h"
#include "validate.h"
#include "wf.h"

#define CHAT_MAX_MESSAGE	65536
#define CHAT_MAX_SESSION	128

static const char SQL_CHAT_AGENT[] =
	"SELECT 1 FROM agents WHERE id = $1 AND ($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_CHAT_INSERT[] =
	"INSERT INTO executions AS e (id, workflow_id, workflow_version, definition, inputs, "
	"owner_id, kind, agent_id, session_id) VALUES ($1, NULL, 0, $2::jsonb, $3::jsonb, $4, "
	"'chat', $5, $6) RETURNING json_build_object(" EXEC_FIELDS ", 'kind', e.kind, "
	"'agent_id', e.agent_id, 'session_id', e.session_id)";
static const char SQL_CHAT_UNDO[] =
	"DELETE FROM executions WHERE id = $1 AND status = 'queued'";

static const struct field_spec chat_fields[] = {
	{ "message", json_type_string, true, CHAT_MAX_MESSAGE, 1 },
	{ "session_id", json_type_string, false, CHAT_MAX_SESSION, 1 },
};

/* The definition that runs agent "agent_id" on the message: in → agent → answer, so the
 * execution's results are {"answer": …} (a new reference). */
static json_object *
chat_definition(const char *agent_id)
{
	json_object	*def = json_object_new_object(), *nodes = json_object_new_array();
	json_object	*edges = json_object_new_array(), *n, *cfg, *e;
	static const char *const ids[] = { "in", "agent", "answer" };
	static const char *const types[] = { "input", "agent", "output" };
	size_t		 i;

	for (i = 0; i < 3; i++) {
		n = json_object_new_object();
		cfg = json_object_new_object();
		json_object_object_add(n, "id", json_object_new_string(ids[i]));
		json_object_object_add(n, "type", json_object_new_string(types[i]));
		if (i == 1) {
			json_object_object_add(cfg, "agent_id", json_object_new_string(agent_id));
			json_object_object_add(cfg, "prompt",
			    json_object_new_string("{{ .input.message }}"));
		} else if (i == 2)
			json_object_object_add(cfg, "value",
			    json_object_new_string("{{ .agent.output }}"));
		json_object_object_add(n, "config", cfg);
		json_object_array_add(nodes, n);
		if (i > 0) {
			e = json_object_new_object();
			json_object_object_add(e, "source", json_object_new_string(ids[i - 1]));
			json_object_object_add(e, "target", json_object_new_string(ids[i]));
			json_object_array_add(edges, e);
		}
	}
	json_object_object_add(def, "nodes", nodes);
	json_object_object_add(def, "edges", edges);
	return def;
}

/* Checks the body; a session id is [A-Za-z0-9_.:-]. Returns 0, or -1 after answering 422. */
static int
chat_check(struct req *rq, json_object *body)
{
	json_object	*errors = json_object_new_array();
	const char	*s = jsonh_get_string(body, "session_id");
	int		 rc = 0;

	validate_body(body, chat_fields, sizeof(chat_fields) / sizeof(chat_fields[0]), errors);
	if (s != NULL && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789_.:-") != strlen(s))
		wf_error_add(errors, "session_id", "must be letters, digits, _ . : or -");
	if (json_object_array_length(errors) > 0) {
		resp_problem(rq, 422, "the chat message is invalid", errors);
		rc = -1;
	}
	json_object_put(errors);
	return rc;
}

/* Stores the chat execution and enqueues it. */
static int
chat_start(struct req *rq, const char *message, const char *session)
{
	PGresult	*res = NULL;
	json_object	*def = chat_definition(rq->args[0]), *inputs = json_object_new_object();
	char		 id[UUID_STRLEN + 1];
	enum db_rc	 drc;
	int		 rc;

	json_object_object_add(inputs, "message", json_object_new_string(message));
	json_object_object_add(inputs, "session_id", json_object_new_string(session));
	if (uuid_new(id) == -1) {
		rc = resp_problem(rq, 503, "no randomness available", NULL);
		goto out;
	}
	drc = db_row(rq->app->db, SQL_CHAT_INSERT, 6, (const char *[]){ id, jsonh_str(def),
	    jsonh_str(inputs), rq->user.user_id, rq->args[0], session }, &res);
	if (drc != DB_OK) {
		rc = resp_db_error(rq, drc);
		goto out;
	}
	if (queue_enqueue(rq->app->redis, id) == -1) {
		db_exec(rq->app->db, SQL_CHAT_UNDO, 1, (const char *[]){ id }, NULL);
		rc = resp_problem(rq, 503, "the execution queue is unavailable", NULL);
		goto out;
	}
	log_info(LOG_IDS(rq->request_id, id), "chat queued for agent %s", rq->args[0]);
	rc = resp_raw_json(rq, 202, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
out:
	PQclear(res);
	json_object_put(def);
	json_object_put(inputs);
	return rc;
}

int
agents_chat(struct req *rq)
{
	json_object	*body = NULL;
	PGresult	*res = NULL;
	const char	*session;
	char		 fresh[UUID_STRLEN + 1];
	enum db_rc	 drc;
	int		 rc = 0;

	if (req_id_arg(rq) == -1 || req_json_body(rq, 0, &body) == -1)
		return 0;
	if (chat_check(rq, body) == -1)
		goto out;
	drc = db_row(rq->app->db, SQL_CHAT_AGENT, 2, (const char *[]){ rq->args[0],
	    req_owner_filter(rq) }, &res);
	if (drc != DB_OK) {
		rc = drc == DB_NOTFOUND ? resp_problem(rq, 404, "not found", NULL) :
		    resp_db_error(rq, drc);
		goto out;
	}
	/* Without a session the chat starts a new one, which the answer names. */
	if ((session = jsonh_get_string(body, "session_id")) == NULL) {
		if (uuid_new(fresh) == -1) {
			rc = resp_problem(rq, 503, "no randomness available", NULL);
			goto out;
		}
		session = fresh;
	}
	rc = chat_start(rq, jsonh_get_string(body, "message"), session);
out:
	PQclear(res);
	json_object_put(body);
	return rc;
}
