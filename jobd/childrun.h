/* childrun.h: child executions started by a running one: by the run_workflow and ask_agent
 * tools, and by the sub_workflow and map nodes. The nesting guard and the parent's owner,
 * the start through shared/launch.c (the child in the parent's trace), the cancel, and a
 * watch that looks at a set of children on the loop (no thread held) until each ends. */
#ifndef FRAGENT_CHILDRUN_H
#define FRAGENT_CHILDRUN_H

#include <stddef.h>

#include <json-c/json.h>

#include "env.h"
#include "launch.h"
#include "trace.h"
#include "uuid.h"

/* How deep runs may nest (an agent calling itself, a workflow running itself). */
#define CHILDRUN_MAX_DEPTH	4

/* Reads the owner of execution "parent_id" into "owner" and checks that one more level of
 * nesting is allowed. Returns 0, or -1 with "err". */
int	childrun_prepare(const struct node_env *env, const char *parent_id,
	    char owner[UUID_STRLEN + 1], char *err, size_t errlen);
/* Starts "l" as a child of "parent_id", scoped to "owner" (its workflow or agent must be
 * theirs), its spans under "trace" (may be NULL or empty), and queues it. Returns 0 with the
 * child's id in "id", or -1 with "err" (the first problem of an invalid launch). */
int	childrun_launch(const struct node_env *env, struct launch *l, const char *parent_id,
	    const char *owner, const struct trace_ctx *trace, char id[UUID_STRLEN + 1],
	    char *err, size_t errlen);
/* Cancels child "id": its row first (the truth), then a word to the jobd running it. */
void	childrun_cancel(const struct node_env *env, const char *id);

/* Called when the child watched under "slot" ended: its final "status" (succeeded, failed,
 * cancelled), "results" (borrowed; may be NULL) and "error" (may be NULL). It may add
 * children and free the watch. */
typedef void (*childwatch_fn)(void *arg, size_t slot, const char *id, const char *status,
	    json_object *results, const char *error);

struct childwatch;

/* A watch on "env"'s loop calling "fn"("arg", …) once per child that ends. */
struct childwatch	*childwatch_new(const struct node_env *env, childwatch_fn fn, void *arg);
/* Watches child "id" under "slot". */
void			 childwatch_add(struct childwatch *w, size_t slot, const char *id);
/* How many children are watched and not ended yet. */
size_t			 childwatch_count(const struct childwatch *w);
/* Stops watching; with "cancel", cancels every child still watched. NULL-safe; may be
 * called from "fn". */
void			 childwatch_free(struct childwatch *w, int cancel);

#endif
