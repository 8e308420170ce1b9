/* launch.h: the one way an execution starts, whatever starts it: a workflow run from the API,
 * a chat with an agent, a child run started by a tool (run_workflow, ask_agent), a retry.
 *
 * The failure policy, the same for all: the row is stored first, with status queued (Postgres
 * is the truth), then its id is appended to the queue. When the append fails (Redis away) the
 * row stays queued and the caller reports success: jobd's sweeper (jobd/sweeper.h) enqueues
 * queued rows that no worker took within a sweep period, so the run starts late, never twice
 * (claims are guarded) and is never lost. Nothing deletes or fails a run because Redis was
 * away. */
#ifndef FRAGENT_LAUNCH_H
#define FRAGENT_LAUNCH_H

#include <json-c/json.h>
#include <libpq-fe.h>

#include "db.h"
#include "rowgroup.h"

/* The members of an execution's JSON, over the row alias "e" (what the API answers). */
#define LAUNCH_EXEC_FIELDS \
	"'id', e.id, 'kind', e.kind, 'workflow_id', e.workflow_id, " \
	"'workflow_version', e.workflow_version, 'agent_id', e.agent_id, " \
	"'session_id', e.session_id, 'parent_execution_id', e.parent_execution_id, " \
	"'parent_node', e.parent_node, 'parent_item', e.parent_item, " \
	"'owner_id', e.owner_id, 'trigger', e.trigger, 'trigger_id', e.trigger_id, " \
	"'status', e.status, 'inputs', e.inputs, " \
	"'results', e.results, 'error', e.error, 'attempt', e.attempt, " \
	"'created_at', e.created_at, 'start_time', e.start_time, 'end_time', e.end_time, " \
	"'trace_id', substr(e.traceparent, 4, 32), 'replay_of', e.replay_of, 'replay', e.replay"
#define LAUNCH_EXEC_JSON	"json_build_object(" LAUNCH_EXEC_FIELDS ")"

#define LAUNCH_SESSION_MAX	128	/* bytes of a chat's memory session id */
#define LAUNCH_KEY_MAX		255	/* bytes of an idempotency key */
#define LAUNCH_KEY_TTL_HOURS	24	/* how long a key is kept with its execution */
#define LAUNCH_XSTR(x)		LAUNCH_STR_(x)
#define LAUNCH_STR_(x)		#x
/* LAUNCH_KEY_TTL_HOURS as an SQL interval. */
#define LAUNCH_KEY_TTL_SQL	"interval '" LAUNCH_XSTR(LAUNCH_KEY_TTL_HOURS) " hours'"
#define LAUNCH_MESSAGE_MAX	65536	/* bytes of a chat's message */

enum launch_kind {
	LAUNCH_WORKFLOW,	/* a workflow's stored definition, with inputs */
	LAUNCH_CHAT,		/* an agent on one message: in → agent → answer */
};

/* What to start. */
struct launch {
	enum launch_kind	 kind;
	const char		*target_id;	/* the workflow, or the chat's agent */
	const char		*scope;		/* the target must be this user's; NULL: anyone's */
	const char		*owner_id;	/* the run's owner; NULL: the target's owner */
	json_object		*inputs;	/* a workflow's inputs (borrowed; NULL: {}) */
	const char		*message;	/* a chat's message */
	/* A chat's agent's owner when the caller already found the agent in "scope" (the
	 * API's per-process cache), or NULL: the launch reads it. */
	const char		*agent_owner;
	/* A workflow launch's workflow when the caller already found it in "scope" (the API's
	 * per-process cache; borrowed): an object with its "definition", "version" and
	 * "owner_id", as GET /workflows/{id} answers it; or NULL: the launch reads it. */
	json_object		*workflow;
	const char		*session_id;	/* a chat's memory session, or NULL: none */
	const char		*parent_id;	/* the execution that started this one, or NULL */
	/* The parent's node that started it (sub_workflow, map), or NULL: a tool call; and the
	 * map's item index ("parent_item" >= 0), or NULL: not a map's item. */
	const char		*parent_node;
	const char		*parent_item;
	/* What started it: "manual" (NULL), "api", "webhook", "schedule", "tool" or "workflow",
	 * and the
	 * webhook or schedule (NULL: none). */
	const char		*trigger;
	const char		*trigger_id;
	/* An idempotency key (1-LAUNCH_KEY_MAX bytes), or NULL: none. Within LAUNCH_KEY_TTL_SQL,
	 * the first execution with the key of the owner and trigger_id is answered again
	 * instead of a new one, provided "fingerprint" (what identifies the request) is the
	 * same. */
	const char		*idempotency_key;
	const char		*fingerprint;
	/* The W3C traceparent of the span starting it (its run's spans are children), or
	 * NULL: none. */
	const char		*traceparent;
	/* Stores the row together with those other threads of the process store at the same
	 * moment (one INSERT, one commit: rowgroup.h; a launch without an idempotency key only;
	 * made by launch_group_new), or NULL: alone. */
	struct rowgroup		*group;
};

enum launch_rc {
	LAUNCH_OK,		/* stored (and queued, or left to the sweeper) */
	LAUNCH_NOTFOUND,	/* no such workflow or agent in scope (or not a UUID) */
	LAUNCH_INVALID,		/* the request is invalid: "errors" says where */
	LAUNCH_TOO_LARGE,	/* the stored definition is over the caps: "errors" says where */
	LAUNCH_UNREADABLE,	/* the stored definition is not JSON */
	LAUNCH_NO_RANDOM,	/* no id could be made */
	LAUNCH_DB,		/* the database failed: "*drc" says how */
	LAUNCH_REPLAYED,	/* the key started an execution already: "*row" holds it */
	LAUNCH_KEY_REUSED,	/* the key started an execution for another request */
	LAUNCH_NOT_ENDED,	/* a replay of an execution that has not ended */
};

/* The queue port: appends execution "id" to the queue. Returns 0, or -1 when it could not. */
typedef int	(*launch_enqueue_fn)(void *arg, const char *id);

/* Starts "l": checks it (a workflow's definition against the caps and its inputs against the
 * input node; a chat's message and session id), stores the queued row, then enqueues it
 * with "enqueue"("arg", id) under the policy above. Problems are appended to "errors" as
 * {field, message} (may be NULL: not wanted). On LAUNCH_OK "*row" (may be NULL: not wanted)
 * holds one row: column 0 the execution's JSON (LAUNCH_EXEC_JSON), column 1 its id; the
 * caller frees it with PQclear; on LAUNCH_DB "*drc" (may be NULL) holds the database's code. */
enum launch_rc	 launch_start(struct db *db, const struct launch *l, launch_enqueue_fn enqueue,
		    void *arg, json_object *errors, PGresult **row, enum db_rc *drc);
/* Queues failed or cancelled execution "id" (of owner "scope"; NULL: anyone's) again, under
 * the same policy, in the trace of "traceparent" (NULL: none). LAUNCH_NOTFOUND when no such
 * execution in scope is failed or cancelled. */
enum launch_rc	 launch_retry(struct db *db, const char *id, const char *scope,
		    const char *traceparent, launch_enqueue_fn enqueue, void *arg, PGresult **row,
		    enum db_rc *drc);
/* What a replay asks for (launch_replay). */
struct launch_replay {
	const char	*original_id;	/* the ended execution replayed */
	const char	*scope;		/* it must be this user's; NULL: anyone's */
	const char	*from_node;	/* re-run from this node on, or NULL: every node */
	json_object	*inputs;	/* new inputs (borrowed), or NULL: the original's */
	/* A new definition (borrowed; the caller checked it with wf_parse), or NULL: the
	 * original's snapshot. */
	json_object	*definition;
	/* A call not in the recording is refused (1) or goes out (0); -1: refused when nothing
	 * changed (no from_node, inputs or definition), else goes out. */
	int		 offline;
	const char	*traceparent;	/* NULL: none */
};

/* Starts a replay of ended execution r->original_id (LAUNCH_NOT_ENDED when it has not
 * ended): a new queued execution, trigger "replay", with replay_of and replay
 * ({from_node, offline, input_changed, definition_changed}) set, the same owner, workflow and
 * kind, the given or the original's definition and inputs (checked like any launch's, and
 * from_node must be one of its nodes), enqueued under the same policy. */
enum launch_rc	 launch_replay(struct db *db, const struct launch_replay *r,
		    launch_enqueue_fn enqueue, void *arg, json_object *errors, PGresult **row,
		    enum db_rc *drc);

/* The statements that store a run, for a caller on an event loop that cannot use
 * launch_start's blocking connection (jobd/hooks.c) and runs them itself, in this order:
 * with a key, launch_sql_key_expire ($1 owner, $2 key, $3 trigger_id); then
 * launch_sql_insert ($1 id, $2 kind, $3 workflow_id, $4 version, $5 definition, $6 inputs,
 * $7 owner, $8 agent_id, $9 session_id, $10 parent id, $11 key, $12 fingerprint, $13 trigger,
 * $14 trigger_id, $15 traceparent, $16 parent node, $17 parent item), which returns the execution's JSON and id, or no row when the key was
 * taken; then launch_sql_keyed ($1 owner, $2 key, $3 fingerprint, $4 trigger_id): the
 * execution's JSON, id, and whether the fingerprint is the same. */
extern const char	launch_sql_key_expire[];
extern const char	launch_sql_insert[];
#define LAUNCH_INSERT_PARAMS	17
extern const char	launch_sql_keyed[];
/* A group in which threads store runs without idempotency keys together (struct launch's
 * "group"); the caller frees it with rowgroup_free. */
struct rowgroup	*launch_group_new(void);

/* Checks workflow definition "def" against the caps and "inputs" against the schema of its
 * input nodes, appending {field, message} to "errors". Returns LAUNCH_OK, LAUNCH_TOO_LARGE or
 * LAUNCH_INVALID. (launch_start does this; a caller that stores runs itself, or a schedule's
 * inputs kept for later, checks with it too.) */
enum launch_rc	 launch_check_workflow(json_object *def, json_object *inputs,
		    json_object *errors);
/* The definition of a chat with agent "agent_id" (a new reference): in → agent → answer, so
 * the execution's results are {"answer": …}. */
json_object	*launch_chat_definition(const char *agent_id);

#endif
