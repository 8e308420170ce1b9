/* redisconn.h: Redis URLs and connections (blocking with reconnect, or async on a libevent loop). */
#ifndef FRAGENT_REDISCONN_H
#define FRAGENT_REDISCONN_H

#include <stddef.h>

#include <hiredis/hiredis.h>
#include <hiredis/async.h>

struct event_base;

struct redis_url {
	char	host[256];
	int	port;
	char	password[256];
	int	db;
};

/* Parses redis://[:password@]host[:port][/db]. Returns 0, or -1 when malformed. */
int		 redis_url_parse(const char *url, struct redis_url *out);

/* A blocking connection that reconnects on the next command after a failure. */
struct redis_conn;

/* Prepares a connection to "url"; connects lazily. Never NULL; free with redis_conn_free. */
struct redis_conn	*redis_conn_new(const struct redis_url *url);
/* Closes and frees; NULL-safe. */
void			 redis_conn_free(struct redis_conn *rc);
/* Sends one command given as an argument vector. Returns the reply (caller frees with
 * freeReplyObject), or NULL when the server could not be reached; a REDIS_REPLY_ERROR
 * reply is returned as is. A connection found closed by the server is reopened and the
 * command sent once more. */
redisReply		*redis_conn_cmd(struct redis_conn *rc, int argc, const char **argv,
			    const size_t *argvlen);
/* Checks the server answers PING. Returns 0 or -1. */
int			 redis_conn_ping(struct redis_conn *rc);

/* Opens an async connection attached to "base" and queues AUTH/SELECT as its first
 * commands. Returns NULL on failure. hiredis frees the context after disconnect. */
redisAsyncContext	*redis_async_open(const struct redis_url *url, struct event_base *base);

#endif
