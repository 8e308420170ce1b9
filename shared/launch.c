/* launch.c: the one way an execution starts: checks, the queued row, then the queue entry
 * (see launch.h for the failure policy). */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "launch.h"
#include "log.h"
#include "uuid.h"
#include "wf.h"

static const char SQL_LAUNCH_WORKFLOW[] =
	"SELECT definition, version, owner_id FROM workflows "
	"WHERE id = $1::uuid AND ($2::uuid IS NULL OR owner_id = $2::uuid)";
static const char SQL_LAUNCH_AGENT[] =
	"SELECT owner_id FROM agents "
	"WHERE id = $1::uuid AND ($2::uuid IS NULL OR owner_id = $2::uuid)";
/* The queued row's statement in parts: launch_sql_insert_rows repeats the values. */
#define LAUNCH_INSERT_HEAD \
	"INSERT INTO executions AS e (id, kind, workflow_id, workflow_version, definition, inputs, " \
	"owner_id, agent_id, session_id, parent_execution_id, idempotency_key, " \
	"idempotency_fingerprint, trigger, trigger_id, traceparent, parent_node, parent_item) " \
	"VALUES "
#define LAUNCH_INSERT_VALUES \
	"($1, $2, $3, $4::int, $5::jsonb, $6::jsonb, $7, $8, $9, $10, $11, $12, " \
	"COALESCE($13, 'manual'), $14, $15, $16, $17::int)"
#define LAUNCH_INSERT_RETURNING	" RETURNING " LAUNCH_EXEC_JSON ", e.id"
/* With a key already used by the owner, nothing is inserted (and no row comes back). */
const char launch_sql_insert[] = LAUNCH_INSERT_HEAD LAUNCH_INSERT_VALUES
	" ON CONFLICT (owner_id, trigger_id, idempotency_key) WHERE idempotency_key IS NOT NULL "
	"DO NOTHING" LAUNCH_INSERT_RETURNING;
/* The execution the key of the owner and trigger started, and whether it was for the same
 * request. */
const char launch_sql_keyed[] =
	"SELECT " LAUNCH_EXEC_JSON ", e.id, e.idempotency_fingerprint = $3 FROM executions e "
	"WHERE e.owner_id = $1 AND e.idempotency_key = $2 AND "
	"e.trigger_id IS NOT DISTINCT FROM $4::uuid";
/* Frees the key when it was kept too long (the sweeper clears such keys too). */
const char launch_sql_key_expire[] =
	"UPDATE executions SET idempotency_key = NULL, idempotency_fingerprint = NULL "
	"WHERE owner_id = $1 AND idempotency_key = $2 AND "
	"trigger_id IS NOT DISTINCT FROM $3::uuid AND created_at < now() - " LAUNCH_KEY_TTL_SQL;
static const char SQL_LAUNCH_RETRY[] =
	"UPDATE executions AS e SET status = 'queued', error = NULL, end_time = NULL, "
	"results = NULL, abandons = 0, traceparent = $3 WHERE e.id = $1 AND ($2::uuid IS NULL OR e.owner_id = $2) AND "
	"e.status IN ('failed', 'cancelled') RETURNING " LAUNCH_EXEC_JSON ", e.id";

/* A replay's original, and its replay stored from it ($1 id, $2 original, $3 definition or
 * NULL, $4 inputs or NULL, $5 traceparent, $6 replay); its workflow_version is the
 * original's (the version it was made from: "replay" says whether the definition changed). */
static const char SQL_REPLAY_ORIGINAL[] =
	"SELECT status, definition, inputs FROM executions WHERE id = $1 AND "
	"($2::uuid IS NULL OR owner_id = $2)";
static const char SQL_REPLAY_INSERT[] =
	"INSERT INTO executions AS e (id, kind, workflow_id, workflow_version, definition, "
	"inputs, owner_id, agent_id, session_id, trigger, traceparent, replay_of, replay) "
	"SELECT $1, o.kind, o.workflow_id, o.workflow_version, COALESCE($3::jsonb, o.definition), COALESCE($4::jsonb, o.inputs), o.owner_id, "
	"o.agent_id, o.session_id, 'replay', $5, o.id, $6::jsonb FROM executions o "
	"WHERE o.id = $2 RETURNING " LAUNCH_EXEC_JSON ", e.id";

/* launch_sql_insert for "n" rows without idempotency keys (row i's parameters are
 * $(17 i + 1) to $(17 i + 17)), returning each row's JSON and id; a heap string. */
static char *
launch_sql_insert_rows(size_t n)
{
	struct buf	 sql;
	const char	*v;
	char		*end;
	size_t		 row;

	buf_init(&sql);
	buf_puts(&sql, LAUNCH_INSERT_HEAD);
	for (row = 0; row < n; row++) {
		if (row > 0)
			buf_puts(&sql, ", ");
		/* The values with row's parameters: $k becomes $(k + 17 row). */
		for (v = LAUNCH_INSERT_VALUES; *v != '\0'; v++) {
			buf_append(&sql, v, 1);
			if (*v == '$') {
				buf_printf(&sql, "%lu", strtoul(v + 1, &end, 10) +
				    LAUNCH_INSERT_PARAMS * row);
				v = end - 1;
			}
		}
	}
	buf_puts(&sql, LAUNCH_INSERT_RETURNING);
	return buf_take(&sql);
}

struct rowgroup *
launch_group_new(void)
{
	/* A row is matched to its thread by its id: column 1 returned, parameter 0. */
	return rowgroup_new(launch_sql_insert, launch_sql_insert_rows, LAUNCH_INSERT_PARAMS, 1,
	    0);
}

/* The characters of a session id. */
static const char SESSION_CHARS[] =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";

json_object *
launch_chat_definition(const char *agent_id)
{
	static const char *const ids[] = { "in", "agent", "answer" };
	static const char *const types[] = { "input", "agent", "output" };
	json_object	*def = jsonh_new_object(), *nodes = jsonh_new_array();
	json_object	*edges = jsonh_new_array(), *n, *cfg, *e;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		n = jsonh_new_object();
		cfg = jsonh_new_object();
		json_object_object_add(n, "id", jsonh_new_string(ids[i]));
		json_object_object_add(n, "type", jsonh_new_string(types[i]));
		if (i == 1) {
			json_object_object_add(cfg, "agent_id", jsonh_new_string(agent_id));
			json_object_object_add(cfg, "prompt",
			    jsonh_new_string("{{ .input.message }}"));
		} else if (i == 2)
			json_object_object_add(cfg, "value",
			    jsonh_new_string("{{ .agent.output }}"));
		json_object_object_add(n, "config", cfg);
		json_object_array_add(nodes, n);
		if (i > 0) {
			e = jsonh_new_object();
			json_object_object_add(e, "source", jsonh_new_string(ids[i - 1]));
			json_object_object_add(e, "target", jsonh_new_string(ids[i]));
			json_object_array_add(edges, e);
		}
	}
	json_object_object_add(def, "nodes", nodes);
	json_object_object_add(def, "edges", edges);
	return def;
}

/* Checks "inputs" against the `schema` of each input node of "def"; a schema stored before
 * the meta-schema existed is checked first. */
static void
launch_check_inputs(json_object *def, json_object *inputs, json_object *errors)
{
	json_object	*nodes = jsonh_get_typed(def, "nodes", json_type_array), *n, *schema;
	const char	*type;
	char		 field[64];
	size_t		 i;

	for (i = 0; nodes != NULL && i < json_object_array_length(nodes); i++) {
		n = json_object_array_get_idx(nodes, i);
		if ((type = jsonh_get_string(n, "type")) == NULL || strcmp(type, "input") != 0)
			continue;
		schema = jsonh_get_typed(jsonh_get_typed(n, "config", json_type_object),
		    "schema", json_type_object);
		snprintf(field, sizeof(field), "definition.nodes[%zu].config.schema", i);
		if (schema != NULL && jsmeta_check(schema, field, errors) == 0)
			jschema_validate(schema, inputs, "inputs", errors);
	}
}

enum launch_rc
launch_check_workflow(json_object *def, json_object *inputs, json_object *errors)
{
	size_t	 known = json_object_array_length(errors);

	/* A definition stored before the caps existed may be over them. */
	if (wf_limits_check(def, errors) == -1)
		return LAUNCH_TOO_LARGE;
	launch_check_inputs(def, inputs, errors);
	return json_object_array_length(errors) > known ? LAUNCH_INVALID : LAUNCH_OK;
}

/* Checks a chat's message and session id. */
static enum launch_rc
launch_check_chat(const struct launch *l, json_object *errors)
{
	const char	*s = l->session_id;
	int		 bad = 0;

	if (l->message == NULL || l->message[0] == '\0' ||
	    strlen(l->message) > LAUNCH_MESSAGE_MAX) {
		wf_error_add(errors, "message", "must be a string of 1 to %d bytes",
		    LAUNCH_MESSAGE_MAX);
		bad = 1;
	}
	if (s != NULL && (s[0] == '\0' || strlen(s) > LAUNCH_SESSION_MAX ||
	    strspn(s, SESSION_CHARS) != strlen(s))) {
		wf_error_add(errors, "session_id",
		    "must be 1 to %d letters, digits, _ . : or -", LAUNCH_SESSION_MAX);
		bad = 1;
	}
	return bad ? LAUNCH_INVALID : LAUNCH_OK;
}

/* Maps a failed lookup: a missing row or an id that is not a UUID is "not found". */
static enum launch_rc
launch_lookup_failed(enum db_rc rc, enum db_rc *drc)
{
	if (rc == DB_NOTFOUND || rc == DB_INVALID)
		return LAUNCH_NOTFOUND;
	if (drc != NULL)
		*drc = rc;
	return LAUNCH_DB;
}

/* Appends "id" to the queue; a failure leaves the row to the sweeper. */
static void
launch_enqueue(const char *id, launch_enqueue_fn enqueue, void *arg)
{
	if (enqueue(arg, id) == -1)
		log_warn(LOG_IDS(NULL, id), "execution stored but not queued (the queue is "
		    "unavailable): the sweeper will queue it");
}

/* The key of row "p" (launch_sql_insert's parameters: owner p[6], key p[10], fingerprint
 * p[11], trigger p[13]) was taken when the row was to be stored: answers the execution it
 * started ("*row"), or that it started one for another request. */
static enum launch_rc
launch_keyed(struct db *db, const char *const *p, PGresult **row, enum db_rc *drc)
{
	PGresult	*res = NULL;
	enum db_rc	 rc;

	rc = db_row(db, launch_sql_keyed, 4, (const char *[]){ p[6], p[10], p[11], p[13] },
	    &res);
	if (rc != DB_OK) {
		/* Gone since the insert saw it (its workflow deleted): the caller may retry. */
		if (drc != NULL)
			*drc = rc == DB_NOTFOUND ? DB_CONFLICT : rc;
		return LAUNCH_DB;
	}
	if (PQgetvalue(res, 0, 2)[0] != 't') {
		PQclear(res);
		return LAUNCH_KEY_REUSED;
	}
	if (row != NULL)
		*row = res;
	else
		PQclear(res);
	return LAUNCH_REPLAYED;
}

/* Stores the queued row "p" (launch_sql_insert's parameters) and enqueues it; with a key
 * used already (p[10], the request's fingerprint p[11]), answers what that key started
 * instead. */
static enum launch_rc
launch_store(struct db *db, struct rowgroup *group, const char *const *p,
    launch_enqueue_fn enqueue, void *arg, PGresult **row, enum db_rc *drc)
{
	PGresult	*res = NULL;
	enum db_rc	 rc = DB_OK;

	if (p[10] != NULL)
		rc = db_exec(db, launch_sql_key_expire, 3, (const char *[]){ p[6], p[10], p[13] },
		    NULL);
	if (rc == DB_OK && p[10] == NULL && group != NULL)
		rc = rowgroup_store(group, db, p, &res);
	else if (rc == DB_OK)
		rc = db_row(db, launch_sql_insert, LAUNCH_INSERT_PARAMS, p, &res);
	if (rc == DB_NOTFOUND && p[10] != NULL)
		return launch_keyed(db, p, row, drc);
	if (rc != DB_OK) {
		if (drc != NULL)
			*drc = rc;
		return LAUNCH_DB;
	}
	launch_enqueue(p[0], enqueue, arg);
	log_debug(LOG_IDS(NULL, p[0]), "%s execution stored for %s", p[1],
	    p[2] != NULL ? p[2] : p[7]);
	if (row != NULL)
		*row = res;
	else
		PQclear(res);
	return LAUNCH_OK;
}

/* The definition, version and owner of a workflow launch, from "l" or read into "*wf": 0, or
 * -1 with "*lrc" (and "*drc") set. "*def" is a new reference. */
static int
launch_workflow_row(struct db *db, const struct launch *l, PGresult **wf, json_object **def,
    char version[16], const char **owner, enum launch_rc *lrc, enum db_rc *drc)
{
	json_object	*v;
	enum db_rc	 rc;

	if (l->workflow != NULL) {
		v = json_object_object_get(l->workflow, "version");
		if ((*def = jsonh_get_typed(l->workflow, "definition", json_type_object)) == NULL ||
		    !json_object_is_type(v, json_type_int)) {
			*lrc = LAUNCH_UNREADABLE;
			return -1;
		}
		json_object_get(*def);
		snprintf(version, 16, "%d", json_object_get_int(v));
		*owner = jsonh_get_string(l->workflow, "owner_id");
		return 0;
	}
	rc = db_row(db, SQL_LAUNCH_WORKFLOW, 2, (const char *[]){ l->target_id, l->scope }, wf);
	if (rc != DB_OK) {
		*lrc = launch_lookup_failed(rc, drc);
		return -1;
	}
	if ((*def = db_json(*wf, 0, 0)) == NULL) {
		*lrc = LAUNCH_UNREADABLE;
		return -1;
	}
	snprintf(version, 16, "%s", PQgetvalue(*wf, 0, 1));
	*owner = db_text(*wf, 0, 2);
	return 0;
}

/* The definition snapshot and version of a workflow launch, checked. */
static enum launch_rc
launch_workflow(struct db *db, const struct launch *l, const char *id,
    launch_enqueue_fn enqueue, void *arg, json_object *errors, PGresult **row, enum db_rc *drc)
{
	PGresult	*wf = NULL;
	json_object	*def = NULL, *empty = NULL, *inputs = l->inputs;
	const char	*owner = NULL;
	char		 version[16];
	enum launch_rc	 lrc;

	if (launch_workflow_row(db, l, &wf, &def, version, &owner, &lrc, drc) == -1)
		goto out;
	if (inputs == NULL)
		inputs = empty = jsonh_new_object();
	if ((lrc = launch_check_workflow(def, inputs, errors)) != LAUNCH_OK)
		goto out;
	lrc = launch_store(db, l->group, (const char *[]){ id, "workflow", l->target_id,
	    version, jsonh_str(def), jsonh_str(inputs),
	    l->owner_id != NULL ? l->owner_id : owner, NULL, NULL, l->parent_id,
	    l->idempotency_key, l->fingerprint, l->trigger, l->trigger_id, l->traceparent,
	    l->parent_node, l->parent_item }, enqueue, arg, row, drc);
out:
	json_object_put(empty);
	json_object_put(def);
	PQclear(wf);
	return lrc;
}

/* A chat launch: the agent looked up in scope, the fixed definition. */
static enum launch_rc
launch_chat(struct db *db, const struct launch *l, const char *id, launch_enqueue_fn enqueue,
    void *arg, json_object *errors, PGresult **row, enum db_rc *drc)
{
	PGresult	*agent = NULL;
	json_object	*def = NULL, *inputs = NULL;
	enum launch_rc	 lrc;
	enum db_rc	 rc;

	if ((lrc = launch_check_chat(l, errors)) != LAUNCH_OK)
		return lrc;
	if (l->agent_owner == NULL && (rc = db_row(db, SQL_LAUNCH_AGENT, 2,
	    (const char *[]){ l->target_id, l->scope }, &agent)) != DB_OK)
		return launch_lookup_failed(rc, drc);
	def = launch_chat_definition(l->target_id);
	inputs = jsonh_new_object();
	json_object_object_add(inputs, "message", jsonh_new_string(l->message));
	if (l->session_id != NULL)
		json_object_object_add(inputs, "session_id",
		    jsonh_new_string(l->session_id));
	lrc = launch_store(db, l->group, (const char *[]){ id, "chat", NULL, "0", jsonh_str(def),
	    jsonh_str(inputs), l->owner_id != NULL ? l->owner_id :
	    agent != NULL ? db_text(agent, 0, 0) : l->agent_owner,
	    l->target_id, l->session_id, l->parent_id, l->idempotency_key, l->fingerprint,
	    l->trigger, l->trigger_id, l->traceparent, l->parent_node, l->parent_item }, enqueue,
	    arg, row, drc);
	json_object_put(def);
	json_object_put(inputs);
	PQclear(agent);
	return lrc;
}

/* Whether the target of "l", which the caller found in its cache, is gone: deleted since,
 * before the cache heard of it, so that the run's row was refused by its foreign key. Such a
 * target is as unknown as a missing one. */
static int
launch_target_gone(struct db *db, const struct launch *l)
{
	PGresult	*res = NULL;
	enum db_rc	 rc;

	if (l->workflow == NULL && l->agent_owner == NULL)
		return 0;
	rc = db_row(db, l->kind == LAUNCH_CHAT ? SQL_LAUNCH_AGENT : SQL_LAUNCH_WORKFLOW, 2,
	    (const char *[]){ l->target_id, l->scope }, &res);
	PQclear(res);
	return rc == DB_NOTFOUND;
}

enum launch_rc
launch_start(struct db *db, const struct launch *l, launch_enqueue_fn enqueue, void *arg,
    json_object *errors, PGresult **row, enum db_rc *drc)
{
	json_object	*scratch = NULL;
	char		 id[UUID_STRLEN + 1];
	enum launch_rc	 lrc;
	enum db_rc	 rc = DB_OK;

	if (row != NULL)
		*row = NULL;
	if (l->target_id == NULL)
		return LAUNCH_NOTFOUND;
	if (uuid_new(id) == -1)
		return LAUNCH_NO_RANDOM;
	if (errors == NULL)
		errors = scratch = jsonh_new_array();
	if (l->kind == LAUNCH_CHAT)
		lrc = launch_chat(db, l, id, enqueue, arg, errors, row, &rc);
	else
		lrc = launch_workflow(db, l, id, enqueue, arg, errors, row, &rc);
	json_object_put(scratch);
	if (lrc == LAUNCH_DB && rc == DB_INVALID && launch_target_gone(db, l))
		return LAUNCH_NOTFOUND;
	if (lrc == LAUNCH_DB && drc != NULL)
		*drc = rc;
	return lrc;
}

enum launch_rc
launch_retry(struct db *db, const char *id, const char *scope, const char *traceparent,
    launch_enqueue_fn enqueue, void *arg, PGresult **row, enum db_rc *drc)
{
	PGresult	*res = NULL;
	enum db_rc	 rc;

	if (row != NULL)
		*row = NULL;
	rc = db_row(db, SQL_LAUNCH_RETRY, 3, (const char *[]){ id, scope, traceparent },
	    &res);
	if (rc != DB_OK)
		return launch_lookup_failed(rc, drc);
	launch_enqueue(id, enqueue, arg);
	if (row != NULL)
		*row = res;
	else
		PQclear(res);
	return LAUNCH_OK;
}

/* Whether workflow definition "def" has a node "id". */
static bool
launch_has_node(json_object *def, const char *id)
{
	json_object	*nodes = jsonh_get_typed(def, "nodes", json_type_array);
	const char	*s;
	size_t		 i;

	for (i = 0; nodes != NULL && i < json_object_array_length(nodes); i++)
		if ((s = jsonh_get_string(json_object_array_get_idx(nodes, i), "id")) != NULL &&
		    strcmp(s, id) == 0)
			return true;
	return false;
}

/* Checks replay "r" of an execution with definition "odef" and inputs "oinputs", appending
 * problems to "errors"; makes its "replay" member (a new reference) on LAUNCH_OK. */
static enum launch_rc
launch_replay_check(const struct launch_replay *r, json_object *odef, json_object *oinputs,
    json_object *errors, json_object **replay)
{
	json_object	*def = r->definition != NULL ? r->definition : odef;
	json_object	*inputs = r->inputs != NULL ? r->inputs : oinputs;
	enum launch_rc	 lrc;
	bool		 changed;

	*replay = NULL;
	if ((r->definition != NULL || r->inputs != NULL) &&
	    (lrc = launch_check_workflow(def, inputs, errors)) != LAUNCH_OK)
		return lrc;
	if (r->from_node != NULL && !launch_has_node(def, r->from_node)) {
		wf_error_add(errors, "from_node", "%s", "must be the id of a node of the definition "
		    "replayed");
		return LAUNCH_INVALID;
	}
	*replay = jsonh_new_object();
	json_object_object_add(*replay, "from_node", jsonh_string_or_null(r->from_node));
	changed = r->from_node != NULL || r->inputs != NULL || r->definition != NULL;
	json_object_object_add(*replay, "offline", jsonh_new_boolean(r->offline >= 0 ?
	    r->offline != 0 : !changed));
	json_object_object_add(*replay, "input_changed", jsonh_new_boolean(r->inputs != NULL &&
	    !json_object_equal(r->inputs, oinputs)));
	json_object_object_add(*replay, "definition_changed", jsonh_new_boolean(
	    r->definition != NULL && !json_object_equal(r->definition, odef)));
	return LAUNCH_OK;
}

enum launch_rc
launch_replay(struct db *db, const struct launch_replay *r, launch_enqueue_fn enqueue,
    void *arg, json_object *errors, PGresult **row, enum db_rc *drc)
{
	PGresult	*orig = NULL, *res = NULL;
	json_object	*odef = NULL, *oinputs = NULL, *replay = NULL;
	const char	*status;
	char		 id[UUID_STRLEN + 1];
	enum launch_rc	 lrc;
	enum db_rc	 rc;

	if (row != NULL)
		*row = NULL;
	rc = db_row(db, SQL_REPLAY_ORIGINAL, 2, (const char *[]){ r->original_id, r->scope },
	    &orig);
	if (rc != DB_OK)
		return launch_lookup_failed(rc, drc);
	status = PQgetvalue(orig, 0, 0);
	if (strcmp(status, "succeeded") != 0 && strcmp(status, "failed") != 0 &&
	    strcmp(status, "cancelled") != 0) {
		lrc = LAUNCH_NOT_ENDED;
		goto out;
	}
	if ((odef = db_json(orig, 0, 1)) == NULL || (oinputs = db_json(orig, 0, 2)) == NULL) {
		lrc = LAUNCH_UNREADABLE;
		goto out;
	}
	if ((lrc = launch_replay_check(r, odef, oinputs, errors, &replay)) != LAUNCH_OK)
		goto out;
	if (uuid_new(id) == -1) {
		lrc = LAUNCH_NO_RANDOM;
		goto out;
	}
	rc = db_row(db, SQL_REPLAY_INSERT, 6, (const char *[]){ id, r->original_id,
	    r->definition != NULL ? jsonh_str(r->definition) : NULL,
	    r->inputs != NULL ? jsonh_str(r->inputs) : NULL, r->traceparent, jsonh_str(replay) },
	    &res);
	if (rc != DB_OK) {
		/* Deleted since it was read. */
		lrc = launch_lookup_failed(rc, drc);
		goto out;
	}
	launch_enqueue(id, enqueue, arg);
	log_info(LOG_IDS(NULL, id), "replay of %s stored", r->original_id);
	if (row != NULL)
		*row = res;
	else
		PQclear(res);
	res = NULL;
out:
	json_object_put(replay);
	json_object_put(odef);
	json_object_put(oinputs);
	PQclear(orig);
	PQclear(res);
	return lrc;
}
