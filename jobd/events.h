/* events.h: publishing execution progress events to the execution's Redis stream. */
#ifndef FRAGENT_EVENTS_H
#define FRAGENT_EVENTS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "redisconn.h"

enum event_type {
	EV_EXECUTION_STARTED,
	EV_NODE_STARTED,
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
/* Appends event "type" of "execution_id" with the members of "fields" (borrowed, may be NULL)
 * plus type, execution_id and time. Terminal events also set the stream's expiry.
 * Returns 0, or -1 when Redis failed (the caller goes on: Postgres holds the truth). */
int	events_publish(struct redis_conn *rc, const char *execution_id, enum event_type type,
	    json_object *fields);

#endif
