/* it_engine_util.h: helpers of the engine's integration suites (it_engine, it_http_node,
 * it_crash, it_sse): the scripted test server (tests/testsrv) and running workflows through
 * the real API and waiting for their end. */
#ifndef FRAGENT_IT_ENGINE_UTIL_H
#define FRAGENT_IT_ENGINE_UTIL_H

#include <sys/resource.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "uuid.h"

/* Starts tests/testsrv (beside this program) on a free 127.0.0.1 port; returns the port.
 * It stops when this process ends (its stdin closes). */
int		 eng_srv_start(void);
/* The same on "port" (0: any free one). */
int		 eng_srv_start_on(int port);
/* Stops it (NULL-safe when not started). */
void		 eng_srv_stop(void);
/* The port of the running test server. */
int		 eng_srv_port(void);
/* How many times /count/<key> was called. */
long		 eng_srv_count(const char *key);
/* Creates a workflow with definition "def" (JSON text) as the current user; copies its id. */
void		 eng_workflow(const char *def, char id[UUID_STRLEN + 1]);
/* Starts workflow "wf" with "inputs" (JSON object text or NULL); copies the execution id. */
void		 eng_start(const char *wf, const char *inputs, char id[UUID_STRLEN + 1]);
/* Polls GET /executions/{id} until its status is terminal (or equals "until" when given)
 * or "timeout_ms" passed. Returns the execution (caller puts it), or NULL. */
json_object	*eng_wait(const char *id, const char *until, long timeout_ms);
/* Creates the workflow, runs it with "inputs" and waits (30 s) for its end; asserts the
 * final status is "status". Returns the execution (caller puts it). */
json_object	*eng_run(const char *def, const char *inputs, const char *status);
/* The steps of "exec" for "node_id" with "status" (NULL: any), counted. */
int		 eng_steps(json_object *exec, const char *node_id, const char *status);
/* The last attempt of node "node_id" in "exec" (borrowed), or NULL. */
json_object	*eng_step(json_object *exec, const char *node_id);
/* Milliseconds since an arbitrary start (CLOCK_MONOTONIC). */
long		 eng_now_ms(void);
/* Formats into a static buffer (one at a time) for building definitions. */
const char	*eng_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs supervisorctl command "what" (start, stop, restart, …) on the stack's jobd; returns
 * the command's status. */
int		 eng_jobd_ctl(const char *what);
/* Starts a second jobd beside the stack's (same database and queue) under consumer name
 * "consumer", on a free SSE port, logging to STATE/log/"log_name"; it dies with this process,
 * whatever ends it. Returns its pid. */
pid_t		 eng_jobd_start(const char *consumer, const char *log_name);
/* Starts `fragent-jobd --listener` on "port" with FRAGENT_SSE_PROCS "procs", one more
 * setting "setting" ("FRAGENT_NAME=value", NULL: none) and at most "nofile" descriptors (0: as
 * inherited), logging to STATE/log/"log_name"; it dies with this process. Returns its pid. */
pid_t		 eng_listener_start(int port, int procs, const char *setting, rlim_t nofile,
		    const char *log_name);
/* A TCP port free on 127.0.0.1 right now. */
int		 eng_free_port(void);
/* The path of the stack's log file "name" (STATE/log/"name") into "out". */
void		 eng_log_path(char *out, size_t len, const char *name);
/* Stops that jobd with "sig" and reaps it, asserting it ran until then and, for SIGTERM,
 * that it exited cleanly. */
void		 eng_jobd_stop(pid_t pid, int sig);

#endif
