/* events.h: execution progress events: their payloads (the only place they are written,
 * live or replayed), appended to the execution's capped Redis stream (fragent:events:<id>)
 * without waiting; the SSE listener reads them back. */
#ifndef FRAGENT_EVENTS_H
#define FRAGENT_EVENTS_H

#include <stdbool.h>

#include <json-c/json.h>

struct rlink;

enum event_type {
	EV_EXECUTION_STARTED,
	EV_NODE_STARTED,
	EV_NODE_TOKEN,
	EV_NODE_COMPLETED,
	EV_NODE_FAILED,
	EV_NODE_SKIPPED,
	EV_EXECUTION_COMPLETED,
	EV_EXECUTION_FAILED,
	EV_EXECUTION_CANCELLED,
	EV_EXECUTION_USAGE,	/* what the run used of its budget so far */
	EV_NODE_WAITING,
	EV_EXECUTION_WAITING,
	EV__MAX
};

extern const char *const event_names[EV__MAX];

/* True for the event types that end an execution's stream. */
bool	event_is_terminal(const char *name);
/* The fields of a node event: node_id, node_type, and attempt when above 0. Returns a new
 * reference. */
json_object	*event_node_fields(const char *node_id, const char *node_type, int attempt);
/* The terminal event type of final status "status": succeeded, failed, else cancelled. */
enum event_type	 event_end_type(const char *status);
/* The fields of a terminal event: status, then error and results (borrowed) when not NULL.
 * Returns a new reference. */
json_object	*event_end_fields(const char *status, const char *error, json_object *results);
/* Builds the JSON of event "type" of "execution_id": type, execution_id and time ("when", or
 * now when NULL), then the members of "fields" (borrowed, may be NULL). Every event's payload,
 * live or replayed from Postgres, is built here. Returns a new reference (never NULL). */
json_object	*event_build(const char *execution_id, enum event_type type, json_object *fields,
		    const char *when);
/* Appends event "type" (see event_build) to the execution's stream over "l", in order with
 * every earlier event of the same link; terminal events also set the stream's expiry.
 * Returns 0, or -1 when Redis is unreachable (Postgres still holds the truth). */
int	events_publish(struct rlink *l, const char *execution_id, enum event_type type,
	    json_object *fields);
/* For an execution whose holder committed its end and stopped before publishing it and
 * acknowledging queue entry "entry": appends the terminal event "type" ("fields" borrowed)
 * unless the execution's stream already ends with a terminal event, then acknowledges
 * "entry" (left pending, for a later reclaim, when Redis does not answer). Returns 0, or
 * -1 when Redis is unreachable. */
int	events_publish_end_once(struct rlink *l, const char *execution_id,
	    enum event_type type, json_object *fields, const char *entry);

#endif
