/* fetch_resp.c: the response side of an outbound transfer (see fetch_resp.h). */
#include "config.h"

#include <string.h>

#include "fetch.h"
#include "fetch_resp.h"
#include "jsonh.h"

void
fetch_resp_init(struct fetch_resp *r, long max)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body);
	r->max = max;
}

void
fetch_resp_clear(struct fetch_resp *r)
{
	if (r == NULL)
		return;
	buf_clear(&r->body);
	json_object_put(r->headers);
	r->headers = NULL;
}

void
fetch_resp_header(struct fetch_resp *r, const char *p, size_t len)
{
	size_t	 k, v;
	char	 name[128];

	if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {
		json_object_put(r->headers);
		r->headers = jsonh_new_object();
		return;
	}
	for (k = 0; k < len && p[k] != ':'; k++)
		;
	if (k == len || k == 0 || k >= sizeof(name) || r->headers == NULL ||
	    json_object_object_length(r->headers) >= FETCH_MAX_HEADERS)
		return;
	for (v = 0; v < k; v++)
		name[v] = (char)((p[v] >= 'A' && p[v] <= 'Z') ? p[v] + 32 : p[v]);
	name[k] = '\0';
	for (v = k + 1; v < len && (p[v] == ' ' || p[v] == '\t'); v++)
		;
	while (len > v && (p[len - 1] == '\r' || p[len - 1] == '\n'))
		len--;
	json_object_object_add(r->headers, name,
	    jsonh_new_string_len(p + v, (int)(len - v)));
}

int
fetch_resp_body(struct fetch_resp *r, const char *p, size_t n)
{
	if (r->body.len + n > (size_t)r->max) {
		r->too_big = 1;
		return -1;
	}
	buf_append(&r->body, p, n);
	return 0;
}

void
fetch_resp_result(struct fetch_resp *r, const char *error, long status,
    struct fetch_result *out)
{
	memset(out, 0, sizeof(*out));
	/* A server chooses the bytes of its header lines: NUL and ill-formed UTF-8 would make
	 * the step's output one that PostgreSQL refuses to store. */
	if (r->headers == NULL)
		r->headers = jsonh_new_object();
	else
		r->headers = jsonh_make_storable(r->headers);
	out->error = error;
	out->status = error == NULL ? status : 0;
	out->body = &r->body;
	out->headers = r->headers;
}
