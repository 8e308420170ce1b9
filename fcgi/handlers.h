/* handlers.h: the API's route handlers, one file per resource. Each returns 0 once it answered.
 * Handlers of authenticated routes find the caller in rq->user (set by the router). */
#ifndef FRAGENT_HANDLERS_H
#define FRAGENT_HANDLERS_H

#include <stdio.h>

#include "db.h"
#include "req.h"
#include "uuid.h"

/* health.c */
int	health_get(struct req *rq);
int	ready_get(struct req *rq);
/* auth.c: sign-up, login, the current user */
int	auth_setup_get(struct req *rq);
int	auth_register(struct req *rq);
int	auth_login(struct req *rq);
int	auth_me(struct req *rq);
/* session.c: access + refresh tokens */
int	auth_refresh(struct req *rq);
int	auth_logout(struct req *rq);
/* users.c (admin) */
int	users_list(struct req *rq);
int	users_create(struct req *rq);
int	users_get(struct req *rq);
int	users_patch(struct req *rq);
int	users_delete(struct req *rq);
/* apikeys.c */
int	apikeys_list(struct req *rq);
int	apikeys_create(struct req *rq);
int	apikeys_delete(struct req *rq);
/* agents.c */
int	agents_list(struct req *rq);
int	agents_create(struct req *rq);
int	agents_get(struct req *rq);
int	agents_put(struct req *rq);
int	agents_delete(struct req *rq);
/* Agent "id" as GET /agents/{id} answers it, as resp_cached_read reads it. */
enum db_rc	agents_read(struct req *rq, const char *id, char owner[UUID_STRLEN + 1],
		    char **json);
/* chat.c: POST /agents/{id}/chat */
int	agents_chat(struct req *rq);
/* credentials.c */
int	credentials_list(struct req *rq);
int	credentials_create(struct req *rq);
int	credentials_get(struct req *rq);
int	credentials_put(struct req *rq);
int	credentials_delete(struct req *rq);
/* workflows.c */
int	workflows_list(struct req *rq);
int	workflows_create(struct req *rq);
int	workflows_get(struct req *rq);
/* Workflow "id" as GET /workflows/{id} answers it, as resp_cached_read reads it. */
enum db_rc	workflows_read(struct req *rq, const char *id, char owner[UUID_STRLEN + 1],
		    char **json);
int	workflows_put(struct req *rq);
int	workflows_delete(struct req *rq);
int	workflows_versions(struct req *rq);
int	workflows_version_get(struct req *rq);
int	workflows_restore(struct req *rq);
/* wfio.c: validate, export, import */
int	workflows_validate(struct req *rq);
int	workflows_export(struct req *rq);
int	workflows_import(struct req *rq);
/* executions.c */
int	executions_create(struct req *rq);
int	executions_list(struct req *rq);
int	executions_get(struct req *rq);
/* control.c: cancel, retry */
int	executions_cancel(struct req *rq);
int	executions_retry(struct req *rq);
/* replay.c: replay an ended execution; a replay beside its original */
int	executions_replay(struct req *rq);
int	executions_replay_diff(struct req *rq);
/* children.c: the runs a node started */
int	executions_children(struct req *rq);
/* exec_delete.c: deleting ended executions */
int	executions_delete(struct req *rq);
int	executions_delete_matching(struct req *rq);
/* webhooks.c: a workflow's webhook triggers */
int	webhooks_list(struct req *rq);
int	webhooks_create(struct req *rq);
int	webhooks_get(struct req *rq);
int	webhooks_patch(struct req *rq);
int	webhooks_rotate(struct req *rq);
int	webhooks_delete(struct req *rq);
/* schedules.c: a workflow's cron schedules */
int	schedules_list(struct req *rq);
int	schedules_create(struct req *rq);
int	schedules_get(struct req *rq);
int	schedules_patch(struct req *rq);
int	schedules_delete(struct req *rq);
int	schedules_preview(struct req *rq);
/* catalog.c */
int	node_types_get(struct req *rq);
int	tools_get(struct req *rq);
int	providers_get(struct req *rq);
/* settings.c */
int	settings_get(struct req *rq);
/* prices.c: model prices, the editable settings */
int	prices_get(struct req *rq);
int	prices_put(struct req *rq);
/* usage.c: usage at a glance */
int	usage_runs(struct req *rq);
int	usage_models(struct req *rq);
int	usage_failing(struct req *rq);
/* approvals.c: human approvals */
int	approvals_list(struct req *rq);
int	approvals_count(struct req *rq);
int	approvals_of_execution(struct req *rq);
int	approvals_answer(struct req *rq);
/* openapi.c */
int	openapi_get(struct req *rq);
/* metrics.c */
int	metrics_get(struct req *rq);
/* Writes the same document, indented, to "out" (`fragent-api openapi`). Returns 0 or -1. */
int	openapi_print(FILE *out);

/* dbresp.c: answers the problem that matches a failed database call. Returns 0. */
int	resp_db_error(struct req *rq, int db_rc);
/* dbresp.c: runs "sql", which returns one row of JSON text, and answers it with "status"
 * (404 when no row). Returns 0. */
int	resp_row(struct req *rq, int status, const char *sql, int n, const char *const *params);
/* dbresp.c: row "id" as statement "sql" reads it ($1 the id → the owner's id, the answer's
 * JSON text), through the per-process cache that NOTIFY keeps (authdb_row): DB_OK with its
 * owner and answer ("*json", the caller frees it); DB_NOTFOUND also when it is not the
 * caller's (an admin's scope is every row). */
enum db_rc	resp_cached_read(struct req *rq, const char *sql, const char *id,
		    char owner[UUID_STRLEN + 1], char **json);
/* dbresp.c: answers 200 with row rq->args[0] as resp_cached_read reads it with "sql" (else
 * the failure's problem). Returns 0. */
int	resp_cached_row(struct req *rq, const char *sql);
/* dbresp.c: runs "sql" (a DELETE … RETURNING) and answers 204, or 404 when no row. */
int	resp_delete(struct req *rq, const char *sql, int n, const char *const *params);
/* dbresp.c: after an optimistic UPDATE matched no row: "sql_version" ($1 id, $2 owner
 * filter) finds the current version: 404 when there is no such row, else 409 naming it. */
int	resp_update_missed(struct req *rq, const char *sql_version);
/* dbresp.c: runs the optimistic UPDATE "sql" (… AND version = … RETURNING one row of JSON)
 * and answers 200 with the row, or as resp_update_missed with "sql_version". Returns 0. */
int	resp_versioned_update(struct req *rq, const char *sql, int n, const char *const *params,
	    const char *sql_version);
/* dbresp.c: BEGIN / COMMIT / ROLLBACK on the process's connection. Return a db_rc. */
int	db_begin(struct req *rq);
int	db_commit(struct req *rq);
void	db_rollback(struct req *rq);

#endif
