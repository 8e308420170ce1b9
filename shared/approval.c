/* approval.c: answering a human approval (see approval.h). */
#include "config.h"

#include <stdio.h>

#include "approval.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"

/* $1 execution, $2 node, $3 'approved' or 'rejected', $4 comment, $5 answering user or NULL.
 * The execution's row is the lock: a second answer waits for the first, then finds it no
 * longer waiting and writes nothing. */
static const char SQL_ANSWER[] =
	"WITH x AS (UPDATE executions SET status = 'queued', enqueued_at = now() "
	"WHERE id = $1 AND status = 'waiting' AND EXISTS (SELECT 1 FROM approvals p "
	"WHERE p.execution_id = $1 AND p.node_id = $2 AND p.state = 'pending') RETURNING id), "
	"ans AS (UPDATE approvals a SET state = $3, comment = $4, answered_by = $5::uuid, "
	"answered_at = now() FROM x WHERE a.execution_id = x.id AND a.node_id = $2 AND "
	"a.state = 'pending' RETURNING " APPROVAL_OUTPUT_SQL " AS output), "
	"s AS (UPDATE execution_steps t SET status = 'succeeded', output = ans.output, "
	"error = NULL, finished_at = now() FROM ans WHERE t.execution_id = $1 AND "
	"t.node_id = $2 AND t.status = 'waiting') "
	"SELECT output FROM ans";

/* Adds the answer's event to the execution's stream (the SSE readers see it live). */
static void
approval_event(struct redis_conn *redis, const char *execution_id, const char *node_id,
    json_object *output)
{
	json_object	*data = jsonh_new_object();
	char		 key[96], now[40];
	const char	*argv[10];
	redisReply	*r;

	if (queue_events_key(execution_id, key, sizeof(key)) == -1) {
		json_object_put(data);
		return;
	}
	log_timestamp(now, sizeof(now));
	json_object_object_add(data, "type", jsonh_new_string(APPROVAL_EVENT));
	json_object_object_add(data, "execution_id", jsonh_new_string(execution_id));
	json_object_object_add(data, "time", jsonh_new_string(now));
	json_object_object_add(data, "node_id", jsonh_new_string(node_id));
	if (output != NULL) {
		json_object_object_foreach(output, k, v)
			json_object_object_add(data, k, json_object_get(v));
	}
	argv[0] = "XADD"; argv[1] = key; argv[2] = "MAXLEN"; argv[3] = "~";
	argv[4] = QUEUE_EVENTS_MAXLEN; argv[5] = "*"; argv[6] = "type";
	argv[7] = APPROVAL_EVENT; argv[8] = "data"; argv[9] = jsonh_str(data);
	r = redis_conn_cmd(redis, 10, argv, NULL);
	if (r == NULL || r->type == REDIS_REPLY_ERROR)
		log_warn(LOG_IDS(NULL, execution_id), "event %s not published", APPROVAL_EVENT);
	freeReplyObject(r);
	json_object_put(data);
}

enum approval_rc
approval_answer(struct db *db, struct redis_conn *redis, const char *execution_id,
    const char *node_id, bool approve, const char *comment, const char *by,
    json_object **output)
{
	PGresult	*res = NULL;
	json_object	*out;

	if (output != NULL)
		*output = NULL;
	switch (db_row(db, SQL_ANSWER, 5, (const char *[]){ execution_id, node_id,
	    approve ? "approved" : "rejected", comment != NULL ? comment : "", by }, &res)) {
	case DB_OK:
		break;
	case DB_NOTFOUND:
	case DB_INVALID:	/* not a UUID: no such execution */
		return APPROVAL_GONE;
	default:
		return APPROVAL_DB;
	}
	out = db_json(res, 0, 0);
	PQclear(res);
	if (queue_enqueue(redis, execution_id) == -1)
		log_warn(LOG_IDS(NULL, execution_id), "answered approval not enqueued: the "
		    "sweeper will");
	approval_event(redis, execution_id, node_id, out);
	if (output != NULL)
		*output = out;
	else
		json_object_put(out);
	return APPROVAL_OK;
}
