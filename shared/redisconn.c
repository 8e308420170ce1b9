/* redisconn.c: Redis connections through hiredis (see redisconn.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/adapters/libevent.h>

#include "log.h"
#include "metrics.h"
#include "redisconn.h"
#include "xalloc.h"

struct redis_conn {
	struct redis_url	 url;
	redisContext		*ctx;
	int			 lost;	/* a connection was lost: the next one is a reconnect */
};

/* Copies "n" bytes of "s" into "dst" of size "cap". Returns 0, or -1 when too long. */
static int
copy_part(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return -1;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return 0;
}

/* Parses the decimal number in "n" bytes of "s" within [lo, hi]. */
static int
parse_num(const char *s, size_t n, long lo, long hi, int *out)
{
	long	 v = 0;
	size_t	 i;

	if (n == 0 || n > 9)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
redis_url_parse(const char *url, struct redis_url *out)
{
	const char	*p, *at, *slash, *colon, *end;

	memset(out, 0, sizeof(*out));
	out->port = 6379;
	if (strncmp(url, "redis://", 8) != 0)
		return -1;
	p = url + 8;
	end = p + strlen(p);
	slash = strchr(p, '/');
	if (slash == NULL)
		slash = end;
	at = memchr(p, '@', (size_t)(slash - p));
	if (at != NULL) {
		/* userinfo: [user]:password; the user part is ignored (Redis 5 has no ACL users). */
		colon = memchr(p, ':', (size_t)(at - p));
		if (colon == NULL || copy_part(out->password, sizeof(out->password),
		    colon + 1, (size_t)(at - colon - 1)) == -1)
			return -1;
		p = at + 1;
	}
	colon = memchr(p, ':', (size_t)(slash - p));
	if (colon != NULL) {
		if (parse_num(colon + 1, (size_t)(slash - colon - 1), 1, 65535, &out->port) == -1)
			return -1;
	} else
		colon = slash;
	if (colon == p || copy_part(out->host, sizeof(out->host), p, (size_t)(colon - p)) == -1)
		return -1;
	if (*slash == '/' && slash + 1 < end &&
	    parse_num(slash + 1, (size_t)(end - slash - 1), 0, 15, &out->db) == -1)
		return -1;
	return 0;
}

struct redis_conn *
redis_conn_new(const struct redis_url *url)
{
	struct redis_conn	*rc;

	rc = xcalloc(1, sizeof(*rc));
	rc->url = *url;
	return rc;
}

void
redis_conn_free(struct redis_conn *rc)
{
	if (rc == NULL)
		return;
	if (rc->ctx != NULL)
		redisFree(rc->ctx);
	free(rc);
}

/* Sends AUTH and SELECT on a fresh blocking context. Returns 0 or -1. */
static int
redis_handshake(redisContext *ctx, const struct redis_url *url)
{
	redisReply	*r;
	char		 db[8];
	int		 ok;

	if (url->password[0] != '\0') {
		r = redisCommand(ctx, "AUTH %s", url->password);
		ok = r != NULL && r->type != REDIS_REPLY_ERROR;
		if (r != NULL && !ok)
			log_error(NULL, "redis AUTH refused: %s", r->str);
		freeReplyObject(r);
		if (!ok)
			return -1;
	}
	if (url->db != 0) {
		snprintf(db, sizeof(db), "%d", url->db);
		r = redisCommand(ctx, "SELECT %s", db);
		ok = r != NULL && r->type != REDIS_REPLY_ERROR;
		freeReplyObject(r);
		if (!ok)
			return -1;
	}
	return 0;
}

/* Makes sure a connected context exists. Returns 0 or -1. */
static int
redis_conn_ensure(struct redis_conn *rc)
{
	struct timeval	 tv = { 2, 0 };

	if (rc->ctx != NULL && rc->ctx->err == 0)
		return 0;
	if (rc->ctx != NULL) {
		redisFree(rc->ctx);
		rc->ctx = NULL;
		rc->lost = 1;
	}
	rc->ctx = redisConnectWithTimeout(rc->url.host, rc->url.port, tv);
	if (rc->ctx == NULL)
		return -1;
	if (rc->ctx->err != 0) {
		log_warn(NULL, "redis connect failed: %s", rc->ctx->errstr);
		goto fail;
	}
	if (redisSetTimeout(rc->ctx, tv) != REDIS_OK ||
	    redis_handshake(rc->ctx, &rc->url) == -1)
		goto fail;
	if (rc->lost)
		metrics_inc(M_REDIS_RECONNECTS, 0, 0);
	rc->lost = 0;
	return 0;
fail:
	metrics_inc(M_REDIS_ERRORS, 0, 0);
	redisFree(rc->ctx);
	rc->ctx = NULL;
	return -1;
}

redisReply *
redis_conn_cmd(struct redis_conn *rc, int argc, const char **argv, const size_t *argvlen)
{
	redisReply	*r;
	int		 tries, stale;

	for (tries = 0; tries < 2; tries++) {
		if (redis_conn_ensure(rc) == -1)
			return NULL;
		r = redisCommandArgv(rc->ctx, argc, argv, argvlen);
		if (r != NULL)
			return r;
		/* A socket the server closed while idle (say, a Redis restart) fails on first
		 * use: the command never reached the new server, so send it once more. */
		stale = rc->ctx->err == REDIS_ERR_EOF;
		log_warn(NULL, "redis command failed: %s", rc->ctx->errstr);
		redisFree(rc->ctx);
		rc->ctx = NULL;
		rc->lost = 1;
		if (!stale)
			metrics_inc(M_REDIS_ERRORS, 0, 0);
		if (!stale)
			break;
	}
	return NULL;
}

int
redis_conn_ping(struct redis_conn *rc)
{
	const char	*argv[] = { "PING" };
	redisReply	*r;
	int		 ok;

	r = redis_conn_cmd(rc, 1, argv, NULL);
	ok = r != NULL && r->type == REDIS_REPLY_STATUS;
	freeReplyObject(r);
	return ok ? 0 : -1;
}

redisAsyncContext *
redis_async_open(const struct redis_url *url, struct event_base *base)
{
	redisAsyncContext	*ac;
	char			 db[8];

	ac = redisAsyncConnect(url->host, url->port);
	if (ac == NULL)
		return NULL;
	if (ac->err != 0) {
		log_warn(NULL, "redis async connect failed: %s", ac->errstr);
		redisAsyncFree(ac);
		return NULL;
	}
	if (redisLibeventAttach(ac, base) != REDIS_OK) {
		redisAsyncFree(ac);
		return NULL;
	}
	if (url->password[0] != '\0')
		redisAsyncCommand(ac, NULL, NULL, "AUTH %s", url->password);
	if (url->db != 0) {
		snprintf(db, sizeof(db), "%d", url->db);
		redisAsyncCommand(ac, NULL, NULL, "SELECT %s", db);
	}
	return ac;
}
