/* queue.h: names and helpers of the Redis streams between the API and jobd:
 * the execution queue (one consumer group) and the per-execution event streams. */
#ifndef FRAGENT_QUEUE_H
#define FRAGENT_QUEUE_H

#include <stddef.h>

#include "redisconn.h"

#define QUEUE_STREAM		"fragent:executions"
#define QUEUE_GROUP		"jobd"
#define QUEUE_EVENTS_PREFIX	"fragent:events:"
#define QUEUE_EVENTS_MAXLEN	"10000"
#define QUEUE_EVENTS_TTL	"3600"	/* seconds kept after the execution ended; later readers
					 * get the replay from Postgres steps */
/* Pub/sub channel from the API to every jobd: "cancel <execution id>" after the API set the
 * row to cancelled; jobd aborts the execution's in-flight work. */
#define QUEUE_CONTROL_CHANNEL	"fragent:control"
#define QUEUE_ENDED_CHANNEL	"fragent:ended"	/* an execution's id once it ended (its
						 * terminal event was stored) */
#define QUEUE_CONTROL_CANCEL	"cancel"	/* the verb of that message */
#define QUEUE_ENQUEUE_ARGC	5	/* words of the enqueueing XADD */

/* Appends execution "execution_id" to the queue stream. Returns 0, or -1 when Redis refused
 * or could not be reached (the execution row stays queued for a later re-enqueue). */
int	queue_enqueue(struct redis_conn *rc, const char *execution_id);
/* queue_enqueue as launch.h's queue port: "rc" is the struct redis_conn. */
int	queue_enqueue_port(void *rc, const char *execution_id);
/* Fills "argv" with the XADD that appends "execution_id" to the queue (for an asynchronous
 * link); "execution_id" is borrowed. */
void	queue_enqueue_argv(const char *argv[QUEUE_ENQUEUE_ARGC], const char *execution_id);
/* Publishes "cancel <execution_id>" on QUEUE_CONTROL_CHANNEL. Returns 0, or -1 when Redis
 * could not be reached (the row is cancelled anyway; jobd's lease heartbeat notices it within
 * a third of a lease). */
int	queue_publish_cancel(struct redis_conn *rc, const char *execution_id);
/* Writes the events stream key of "execution_id" into "out". Returns 0, or -1 if truncated. */
int	queue_events_key(const char *execution_id, char *out, size_t len);

#endif
