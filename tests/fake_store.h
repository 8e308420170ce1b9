/* fake_store.h: an in-memory model of the run store (jobd/store.h) for unit suites: one
 * fake_db holds executions and steps; each fake store is one owner's view of it, with the
 * same guards as the PostgreSQL statements of jobd/store_pg.c. The database's clock is the
 * test's fake clock. */
#ifndef FRAGENT_FAKE_STORE_H
#define FRAGENT_FAKE_STORE_H

#include <stdbool.h>

#include <json-c/json.h>

#include "store.h"

struct clock;

enum fake_op {
	FAKE_CLAIM, FAKE_WHY, FAKE_RESUME, FAKE_STEP_START, FAKE_STEP_ROWS, FAKE_STEP_SKIP,
	FAKE_STEPS_END, FAKE_EXECS_END, FAKE_CANCEL_STEPS, FAKE_CANCEL_TAKE, FAKE_RENEW,
	FAKE_RELEASE, FAKE_RECORDING, FAKE__MAX
};

struct fake_exec {
	char		 id[UUID_STRLEN + 1];
	char		 status[16];
	char		*owner;		/* NULL: none */
	int64_t		 expires;	/* -1: none */
	int		 attempt;
	int		 abandons;
	char		 entry[48];
	json_object	*definition, *inputs, *results;
	char		*error;
	struct fake_exec *next;
};

struct fake_step {
	char		 exec_id[UUID_STRLEN + 1];
	char		 node_id[72];
	int		 attempt;
	char		 status[16];
	json_object	*input, *output;
	char		*error;
	struct fake_step *next;
};

struct fake_db {
	struct clock		*clock;
	struct fake_exec	*execs;
	struct fake_step	*steps;
	bool			 down;		/* every call fails */
	const char		*refuse_node;	/* a step end of this node is refused (invalid) */
	int			 calls[FAKE__MAX];
	size_t			 last_batch[FAKE__MAX];	/* n of the last steps_end/execs_end */
};

struct fake_db		*fake_db_new(struct clock *clock);
void			 fake_db_free(struct fake_db *db);
/* A store of owner "owner" over "db" (store_free frees it). */
struct store		*fake_store_new(struct fake_db *db, const char *owner);
/* Inserts queued execution "id" with definition "def" and inputs "inputs" (JSON texts). */
struct fake_exec	*fake_db_insert(struct fake_db *db, const char *id, const char *def,
			    const char *inputs);
struct fake_exec	*fake_db_exec(struct fake_db *db, const char *id);
/* Steps of execution "id" for node "node" (NULL: any) with "status" (NULL: any). */
int			 fake_db_steps(struct fake_db *db, const char *id, const char *node,
			    const char *status);
/* The latest attempt of "node" in "id", or NULL. */
struct fake_step	*fake_db_step(struct fake_db *db, const char *id, const char *node);
/* What the API does: cancel (queued/running → cancelled), retry (failed/cancelled →
 * queued, abandons reset). */
void			 fake_db_cancel(struct fake_db *db, const char *id);
/* Answers approval node "node" of waiting execution "id" as shared/approval.c does: its
 * waiting steps succeed with "output" (borrowed), the execution is queued again. Returns 0,
 * or -1 when the execution does not wait. */
int			 fake_db_answer(struct fake_db *db, const char *id, const char *node,
			    json_object *output);
void			 fake_db_retry(struct fake_db *db, const char *id);

#endif
