/* queue.c: enqueueing executions on the Redis stream read by jobd (see queue.h). */
#include "config.h"

#include <stdio.h>

#include "log.h"
#include "queue.h"

void
queue_enqueue_argv(const char *argv[QUEUE_ENQUEUE_ARGC], const char *execution_id)
{
	argv[0] = "XADD";
	argv[1] = QUEUE_STREAM;
	argv[2] = "*";
	argv[3] = "execution_id";
	argv[4] = execution_id;
}

int
queue_enqueue(struct redis_conn *rc, const char *execution_id)
{
	const char	*argv[QUEUE_ENQUEUE_ARGC];
	redisReply	*r;
	int		 ok;

	queue_enqueue_argv(argv, execution_id);
	r = redis_conn_cmd(rc, QUEUE_ENQUEUE_ARGC, argv, NULL);
	ok = r != NULL && r->type == REDIS_REPLY_STRING;
	if (r != NULL && !ok)
		log_error(NULL, "XADD %s refused: %s", QUEUE_STREAM,
		    r->type == REDIS_REPLY_ERROR ? r->str : "unexpected reply");
	freeReplyObject(r);
	return ok ? 0 : -1;
}

int
queue_enqueue_port(void *rc, const char *execution_id)
{
	return queue_enqueue(rc, execution_id);
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
