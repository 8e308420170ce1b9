/* fuzz_sse_request.c: fuzz harness of the event stream listener's request handling: the
 * path, method and Last-Event-ID (sse_req_parse), the Authorization header (auth_parse, then
 * auth_admit against a state the input picks), and the replay a parsed Last-Event-ID
 * selects (sse_wire_replay). Input: one flags byte (bit 0 GET, 1 the user exists, 2 it is
 * disabled, 3-4 its role, 5 its epoch, 6-7 the replay's status), then path, Last-Event-ID
 * and Authorization separated by newlines; a lone flags byte has no path at all. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "auth.h"
#include "fuzz.h"
#include "hub.h"
#include "sse_req.h"
#include "sse_wire.h"

#define FUZZ_NOW	1700000000	/* the corpus's tokens are signed at this time */

static const struct jwt_key	 fuzz_key = { "fuzz-sse-request-key-0123456789abcdef", 37 };
static const char *const	 fuzz_status[] = { "succeeded", "failed", "cancelled", "" };

/* Cuts the next newline-terminated field off "*p" (NUL-terminating it); NULL when the
 * input has no more fields. */
static char *
fuzz_field(char **p)
{
	char	*f = *p, *nl;

	if (f == NULL)
		return NULL;
	if ((nl = strchr(f, '\n')) != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else
		*p = NULL;
	return f;
}

/* What a parsed request leads to: credentials admitted or not, and the replay. */
static void
fuzz_after_parse(unsigned char flags, const struct sse_req *r, const char *authz)
{
	struct user_state	 st = { (flags & 2) != 0, (flags & 4) != 0,
				    (enum role)((flags >> 3) % ROLE__MAX), (flags >> 5) & 1 };
	struct auth_cred	 c;
	struct principal	 p;
	struct evbuffer		*b;

	(void)hub_id_cmp(r->last_id, "0");
	if (auth_parse(&fuzz_key, authz, FUZZ_NOW, &c) == AUTH_OK)
		(void)auth_admit(&c, c.api_key ? r->exec_id : c.user_id, &st, &p);
	if ((b = evbuffer_new()) == NULL)
		return;
	sse_wire_replay(b, r->exec_id, r->replay_after, fuzz_status[(flags >> 6) & 3], NULL,
	    NULL, NULL);
	evbuffer_free(b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sse_req	 r;
	char		*s, *p, *path, *last, *authz;
	unsigned char	 flags;

	if (size < 1 || (s = malloc(size)) == NULL)
		return 0;
	flags = data[0];
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	p = s;
	path = size > 1 ? fuzz_field(&p) : NULL;
	last = fuzz_field(&p);
	authz = fuzz_field(&p);
	if (sse_req_parse(path, (flags & 1) != 0, last, &r) == SSE_REQ_OK)
		fuzz_after_parse(flags, &r, authz);
	free(s);
	return 0;
}
