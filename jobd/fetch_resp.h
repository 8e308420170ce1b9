/* fetch_resp.h: the response side of an outbound transfer (jobd/fetch.c), free of curl: the
 * header lines curl hands over (the last response's kept), the body under its cap, and the
 * result the caller's done callback gets, every string of it storable in PostgreSQL. */
#ifndef FRAGENT_FETCH_RESP_H
#define FRAGENT_FETCH_RESP_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

#define FETCH_MAX_HEADERS	100	/* response headers kept */

struct fetch_result;

struct fetch_resp {
	struct buf	 body;
	json_object	*headers;	/* lower-case names; NULL before the first status line */
	long		 max;		/* body cap in bytes */
	int		 too_big;	/* the body passed the cap */
};

/* Prepares "r" for a response whose body may have "max" bytes. */
void	fetch_resp_init(struct fetch_resp *r, long max);
/* Frees what "r" holds; NULL-safe. */
void	fetch_resp_clear(struct fetch_resp *r);
/* Takes one header line of "len" bytes as curl's header callback gets it: a status line
 * ("HTTP/…", which starts the headers of a new response: a redirect's are dropped), a
 * "Name: value" line with its line end, or the empty line. Lines without a name, with a
 * name of 128 bytes or more, or past FETCH_MAX_HEADERS are ignored. */
void	fetch_resp_header(struct fetch_resp *r, const char *line, size_t len);
/* Appends "n" body bytes. Returns 0, or -1 when the body would pass the cap (too_big is
 * then set): the transfer is to be aborted. */
int	fetch_resp_body(struct fetch_resp *r, const char *p, size_t n);
/* Fills "out" for the done callback: "error" (borrowed; NULL when a response arrived),
 * "status", the body, and the headers made storable (an object even when none came).
 * Everything stays owned by "r". */
void	fetch_resp_result(struct fetch_resp *r, const char *error, long status,
	    struct fetch_result *out);

#endif
