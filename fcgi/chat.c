/* chat.c: POST /agents/{id}/chat: runs an agent on one message as a one-node execution
 * (input → agent → output, kind 'chat', started through shared/launch.c), so that a person
 * can talk to an agent while building it; answers 202 with the execution and its session id
 * (memory continues a session across chats). The engine runs it like any workflow; its
 * events stream the tokens. */
#include "config.h"

#include <stdlib.h>

#include "executions.h"
#include "handlers.h"
#include "jsonh.h"
#include "launch.h"
#include "log.h"
#include "queue.h"
#include "uuid.h"

int
agents_chat(struct req *rq)
{
	json_object	*body = rq->json, *errors = NULL;
	PGresult	*row = NULL;
	struct launch	 l = { .kind = LAUNCH_CHAT };
	char		 fresh[UUID_STRLEN + 1], fingerprint[2 * CRYPTO_SHA256_LEN + 1];
	char		 agent_owner[UUID_STRLEN + 1], *agent_json;
	enum launch_rc	 lrc;
	enum db_rc	 drc = DB_OK;
	int		 rc;

	if (executions_idempotency(rq, &l, fingerprint) == -1)
		return 0;
	/* Without a session the chat starts a new one, which the answer names. */
	if ((l.session_id = jsonh_get_string(body, "session_id")) == NULL) {
		if (uuid_new(fresh) == -1)
			return resp_problem(rq, 503, "no randomness available", NULL);
		l.session_id = fresh;
	}
	errors = jsonh_new_array();
	l.target_id = rq->args[0];
	l.scope = req_owner_filter(rq);
	l.owner_id = rq->user.user_id;
	l.trigger = executions_trigger(rq);
	l.traceparent = rq->traceparent[0] != '\0' ? rq->traceparent : NULL;
	l.group = rq->app->launches;
	l.message = jsonh_get_string(body, "message");
	/* The agent's owner from the cache GET /agents/{id} fills, which spares a read; an
	 * agent not found there (or another user's) is looked up by the launch as before. */
	if (agents_read(rq, rq->args[0], agent_owner, &agent_json) == DB_OK)
		l.agent_owner = agent_owner;
	free(agent_json);
	lrc = launch_start(rq->app->db, &l, queue_enqueue_port, rq->app->redis, errors, &row,
	    &drc);
	if (lrc == LAUNCH_OK)
		log_debug(LOG_IDS(rq->request_id, NULL), "chat queued for agent %s", rq->args[0]);
	rc = executions_answer(rq, lrc, drc, errors, row, "the chat message is invalid");
	PQclear(row);
	json_object_put(errors);
	return rc;
}
