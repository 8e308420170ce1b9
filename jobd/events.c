/* events.c: execution events as entries (type, data) of a capped Redis stream per execution. */
#include "config.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "jsonh.h"
#include "log.h"
#include "queue.h"
#include "rlink.h"
#include "xalloc.h"

const char *const event_names[EV__MAX] = {
	[EV_EXECUTION_STARTED] = "execution.started",
	[EV_NODE_STARTED] = "node.started",
	[EV_NODE_TOKEN] = "node.token",
	[EV_NODE_COMPLETED] = "node.completed",
	[EV_NODE_FAILED] = "node.failed",
	[EV_NODE_SKIPPED] = "node.skipped",
	[EV_EXECUTION_COMPLETED] = "execution.completed",
	[EV_EXECUTION_FAILED] = "execution.failed",
	[EV_EXECUTION_CANCELLED] = "execution.cancelled",
	[EV_EXECUTION_USAGE] = "execution.usage",
	[EV_NODE_WAITING] = "node.waiting",
	[EV_EXECUTION_WAITING] = "execution.waiting",
};

bool
event_is_terminal(const char *name)
{
	return strcmp(name, event_names[EV_EXECUTION_COMPLETED]) == 0 ||
	    strcmp(name, event_names[EV_EXECUTION_FAILED]) == 0 ||
	    strcmp(name, event_names[EV_EXECUTION_CANCELLED]) == 0;
}

json_object *
event_node_fields(const char *node_id, const char *node_type, int attempt)
{
	json_object	*f = jsonh_new_object();

	json_object_object_add(f, "node_id", jsonh_new_string(node_id));
	json_object_object_add(f, "node_type", jsonh_new_string(node_type));
	if (attempt > 0)
		json_object_object_add(f, "attempt", jsonh_new_int(attempt));
	return f;
}

enum event_type
event_end_type(const char *status)
{
	if (strcmp(status, "succeeded") == 0)
		return EV_EXECUTION_COMPLETED;
	if (strcmp(status, "failed") == 0)
		return EV_EXECUTION_FAILED;
	return EV_EXECUTION_CANCELLED;
}

json_object *
event_end_fields(const char *status, const char *error, json_object *results)
{
	json_object	*f = jsonh_new_object();

	json_object_object_add(f, "status", jsonh_new_string(status));
	if (error != NULL)
		json_object_object_add(f, "error", jsonh_new_string(error));
	if (results != NULL)
		json_object_object_add(f, "results", json_object_get(results));
	return f;
}

json_object *
event_build(const char *execution_id, enum event_type type, json_object *fields,
    const char *when)
{
	json_object	*data;
	char		 now[40];

	data = jsonh_new_object();
	if (when == NULL) {
		log_timestamp(now, sizeof(now));
		when = now;
	}
	json_object_object_add(data, "type", jsonh_new_string(event_names[type]));
	json_object_object_add(data, "execution_id", jsonh_new_string(execution_id));
	json_object_object_add(data, "time", jsonh_new_string(when));
	if (fields != NULL) {
		json_object_object_foreach(fields, k, v)
			json_object_object_add(data, k, json_object_get(v));
	}
	return data;
}

static void
events_on_reply(redisAsyncContext *ac, void *reply, void *arg)
{
	redisReply	*r = reply;

	(void)ac;
	(void)arg;
	if (r != NULL && r->type == REDIS_REPLY_ERROR)
		log_warn(NULL, "event not stored: %s", r->str);
}

/* Sends XADD of "data" (event "type") to stream "key", and its expiry after a terminal
 * event. Returns 0, or -1 when Redis is unreachable. */
static int
events_xadd(struct rlink *l, const char *key, enum event_type type, const char *data)
{
	const char	*argv[10];

	argv[0] = "XADD"; argv[1] = key; argv[2] = "MAXLEN"; argv[3] = "~";
	argv[4] = QUEUE_EVENTS_MAXLEN; argv[5] = "*";
	argv[6] = "type"; argv[7] = event_names[type];
	/* The data field holds the whole event, so a reader needs only that field. */
	argv[8] = "data"; argv[9] = data;
	if (rlink_cmd(l, events_on_reply, NULL, 10, argv, NULL) == -1)
		return -1;
	if (event_is_terminal(event_names[type])) {
		const char	*ex[] = { "EXPIRE", key, QUEUE_EVENTS_TTL };
		const char	*pub[] = { "PUBLISH", QUEUE_ENDED_CHANNEL,
				    key + sizeof(QUEUE_EVENTS_PREFIX) - 1 };

		rlink_cmd(l, events_on_reply, NULL, 3, ex, NULL);
		/* For whoever waits on the end (sync webhooks, jobd/hooks.c). */
		rlink_cmd(l, events_on_reply, NULL, 3, pub, NULL);
	}
	return 0;
}

int
events_publish(struct rlink *l, const char *execution_id, enum event_type type,
    json_object *fields)
{
	json_object	*data;
	char		 key[96];
	int		 rc;

	if (queue_events_key(execution_id, key, sizeof(key)) == -1)
		return -1;
	data = event_build(execution_id, type, fields, NULL);
	if ((rc = events_xadd(l, key, type, jsonh_str(data))) == -1)
		log_warn(LOG_IDS(NULL, execution_id), "event %s not published (redis down)",
		    event_names[type]);
	json_object_put(data);
	return rc;
}

/* An end to publish once the stream's last event is known. */
struct events_end {
	struct rlink	*link;
	enum event_type	 type;
	char		 key[96];
	char		 entry[48];
	char		*data;
};

/* True when "r", an XREVRANGE … COUNT 1 reply, holds a terminal event. */
static bool
events_ends_terminal(const redisReply *r)
{
	const redisReply	*f;
	size_t			 i;

	if (r == NULL || r->type != REDIS_REPLY_ARRAY || r->elements == 0 ||
	    r->element[0]->type != REDIS_REPLY_ARRAY || r->element[0]->elements < 2)
		return false;
	f = r->element[0]->element[1];
	for (i = 0; f->type == REDIS_REPLY_ARRAY && i + 1 < f->elements; i += 2)
		if (f->element[i]->type == REDIS_REPLY_STRING &&
		    strcmp(f->element[i]->str, "type") == 0 &&
		    f->element[i + 1]->type == REDIS_REPLY_STRING)
			return event_is_terminal(f->element[i + 1]->str);
	return false;
}

/* The stream's last event is known: appends the end unless it is one, then acknowledges. */
static void
events_on_last(redisAsyncContext *ac, void *reply, void *arg)
{
	struct events_end	*e = arg;
	redisReply		*r = reply;
	const char		*ack[] = { "XACK", QUEUE_STREAM, QUEUE_GROUP, e->entry };

	(void)ac;
	/* Without an answer the entry stays pending, and the next reclaim tries again. */
	if (r != NULL && r->type != REDIS_REPLY_ERROR &&
	    (events_ends_terminal(r) || events_xadd(e->link, e->key, e->type, e->data) == 0))
		rlink_cmd(e->link, events_on_reply, NULL, 4, ack, NULL);
	free(e->data);
	free(e);
}

int
events_publish_end_once(struct rlink *l, const char *execution_id, enum event_type type,
    json_object *fields, const char *entry)
{
	struct events_end	*e;
	json_object		*data;
	const char		*argv[6];

	assert(event_is_terminal(event_names[type]));
	e = xcalloc(1, sizeof(*e));
	if (queue_events_key(execution_id, e->key, sizeof(e->key)) == -1 ||
	    snprintf(e->entry, sizeof(e->entry), "%s", entry) >= (int)sizeof(e->entry)) {
		free(e);
		return -1;
	}
	e->link = l;
	e->type = type;
	data = event_build(execution_id, type, fields, NULL);
	e->data = xstrdup(jsonh_str(data));
	json_object_put(data);
	argv[0] = "XREVRANGE"; argv[1] = e->key; argv[2] = "+"; argv[3] = "-";
	argv[4] = "COUNT"; argv[5] = "1";
	if (rlink_cmd(l, events_on_last, e, 6, argv, NULL) == -1) {
		free(e->data);
		free(e);
		return -1;
	}
	return 0;
}
