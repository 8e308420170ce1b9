/* queue.c: enqueueing executions on the Redis stream read by jobd (see queue.h). */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "queue.h"

int
queue_enqueue(struct redis_conn *rc, const char *execution_id)
{
	const char	*argv[] = { "XADD", QUEUE_STREAM, "*", "execution_id", execution_id };
	redisReply	*r;
	int		 ok;

	r = redis_conn_cmd(rc, 5, argv, NULL);
	ok = r != NULL && r->type == REDIS_REPLY_STRING;
	if (r != NULL && !ok)
		log_error(NULL, "XADD %s refused: %s", QUEUE_STREAM,
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
	freeReplyObject(r);
	return ok ? 0 : -1;
}

int
queue_publish_cancel(struct redis_conn *rc, const char *execution_id)
{
	char		 msg[96];
	const char	*argv[] = { "PUBLISH", QUEUE_CONTROL_CHANNEL, msg };
	redisReply	*r;
	int		 n, ok;

	n = snprintf(msg, sizeof(msg), "%s %s", QUEUE_CONTROL_CANCEL, execution_id);
	if (n < 0 || (size_t)n >= sizeof(msg))
		return -1;
	r = redis_conn_cmd(rc, 3, argv, NULL);
	ok = r != NULL && r->type == REDIS_REPLY_INTEGER;
	freeReplyObject(r);
	return ok ? 0 : -1;
}

int
queue_events_key(const char *execution_id, char *out, size_t len)
{
	int	 n = snprintf(out, len, "%s%s", QUEUE_EVENTS_PREFIX, execution_id);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}
