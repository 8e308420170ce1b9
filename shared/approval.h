/* approval.h: durable human approvals (sql/100_approvals.sql): the statements that the approval
 * node (jobd/nodes/approval.c), the API (fcgi/approvals.c) and jobd's sweeper (deadlines)
 * share, and approval_answer, the one way a request is answered. */
#ifndef FRAGENT_APPROVAL_H
#define FRAGENT_APPROVAL_H

#include <stdbool.h>

#include <json-c/json.h>

#include "db.h"
#include "redisconn.h"

#define APPROVAL_MESSAGE_MAX	2000	/* bytes of the node's message to its approvers */
#define APPROVAL_COMMENT_MAX	4000	/* bytes of an answer's comment */
#define APPROVAL_DEADLINE_MAX	31536000	/* seconds: a year */
#define APPROVAL_EVENT		"approval.answered"	/* the execution event of an answer */
#define APPROVAL_DEADLINE_COMMENT	"deadline passed"

/* The node's output {approved, comment, by, at} over the approvals row "a". */
#define APPROVAL_OUTPUT_SQL \
	"jsonb_build_object('approved', a.state = 'approved', 'comment', a.comment, " \
	"'by', a.answered_by, 'at', a.answered_at)"
/* True when the user of id "uid" and role "role" (SQL expressions) may answer the approvals
 * row "a" of the executions row "e": admins always; the named user; users of the role; with
 * neither named, the execution's owner. */
#define APPROVAL_MAY_ANSWER(uid, role) \
	"(" role " = 'admin' OR a.user_id = " uid " OR a.role = " role " OR " \
	"(a.role IS NULL AND a.user_id IS NULL AND e.owner_id = " uid "))"

enum approval_rc {
	APPROVAL_OK,		/* answered: the execution is queued again */
	APPROVAL_GONE,		/* not pending, or its execution is not waiting: nothing written */
	APPROVAL_DB,		/* the database failed: nothing is known */
	APPROVAL__MAX
};

/* Answers the pending approval of node "node_id" of waiting execution "execution_id":
 * "approve" or not, with "comment" (NULL: ""), by user "by" (NULL: the deadline). One guarded
 * statement sets the approval, makes the answer the output of the node's waiting step rows
 * and queues the execution again (exactly one answer wins); then the execution is appended
 * to the queue through "redis" (on failure jobd's sweeper enqueues it) and the event
 * APPROVAL_EVENT is added to its stream. On APPROVAL_OK, "*output" (may be NULL: not wanted)
 * is the node's new output, freed by the caller with json_object_put. */
enum approval_rc	approval_answer(struct db *db, struct redis_conn *redis,
			    const char *execution_id, const char *node_id, bool approve,
			    const char *comment, const char *by, json_object **output);

#endif
