/* memory.h: conversation memory of agents: the last N messages of (agent, session) from
 * agent_messages, and the turn a step adds, written so that a step run twice (redelivery,
 * retry) replaces its turn instead of doubling it. Synchronous libpq on loopback. */
#ifndef FRAGENT_MEMORY_H
#define FRAGENT_MEMORY_H

#include <stddef.h>

#include <json-c/json.h>

struct db;

#define MEMORY_MAX_WINDOW	200	/* messages */

/* Loads at most "window" (1..MEMORY_MAX_WINDOW) most recent canonical messages of session
 * "session_id" of agent "agent_id", oldest first, without leading messages that are not the
 * user's (a window must not start with a tool result whose call was cut off). On 0, "*out" is
 * a new array (caller puts it); on -1 it is NULL and "err" says why. */
int	memory_load(struct db *db, const char *agent_id, const char *session_id, int window,
	    json_object **out, char *err, size_t errlen);
/* Replaces the messages written by step (execution_id, node_id) with "turn" (an array of
 * canonical messages, borrowed) in session "session_id" of agent "agent_id", in one
 * statement. Returns 0, or -1 with a message in "err". */
int	memory_save(struct db *db, const char *agent_id, const char *session_id,
	    const char *execution_id, const char *node_id, json_object *turn, char *err,
	    size_t errlen);
/* Drops leading entries of the canonical message array "msgs" until the first user message.
 * Pure; exposed for the unit tests. */
void	memory_trim_head(json_object *msgs);

#endif
