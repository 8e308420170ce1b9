/* events.h: execution progress events, appended to the execution's capped Redis stream
 * (fragent:events:<id>) without waiting: the SSE listener reads them back. */
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
	EV__MAX
};

extern const char *const event_names[EV__MAX];

/* True for the event types that end an execution's stream. */
bool	event_is_terminal(const char *name);
/* Builds the JSON of event "type" of "execution_id": the members of "fields" (borrowed, may
 * be NULL) plus type, execution_id and time. Returns a new reference, or NULL. */
json_object *event_build(const char *execution_id, enum event_type type, json_object *fields);
/* Appends event "type" (see event_build) to the execution's stream over "l", in order with
 * every earlier event of the same link; terminal events also set the stream's expiry.
 * Returns 0, or -1 when Redis is unreachable (Postgres still holds the truth). */
int	events_publish(struct rlink *l, const char *execution_id, enum event_type type,
	    json_object *fields);

#endif
