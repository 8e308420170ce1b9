/* fuzz_http_response.c: fuzz harness of what jobd makes of an HTTP response: the header
 * lines and body chunks as curl hands them over (jobd/fetch_resp.c: redirects, header
 * names, the body cap), then the http_request node's output and status handling
 * (node_http_outcome) and the http_request tool's result (tool_http_result).
 *
 * Input: byte 0 chooses fail_on_status (bits 0-1: absent, true, false, "yes"), whether the
 * transfer failed (bit 2) and the body cap (bits 4-7); byte 1 the body's chunk size (low 6
 * bits + 1) and how many times the body is repeated (bits 6-7: 1, 4, 16, 64); then header
 * lines ("HTTP/…" starts a response, so redirects chain) up to an empty line; the rest is
 * the body.
 * Properties: the body never passes its cap, and passes it exactly when it is longer;
 * header names are lower case, at most FETCH_MAX_HEADERS; the outputs and errors are
 * storable in PostgreSQL (the step is recorded); a 4xx/5xx fails unless fail_on_status is
 * false; the tool shows at most 32 KiB and says when it cut.
 * fuzz-dict: http_response json */
#include "config.h"

#include <string.h>

#include "fetch.h"
#include "fetch_resp.h"
#include "fuzz.h"
#include "jsonh.h"
#include "nodes/node.h"
#include "tools/tool.h"
#include "utf8.h"

static const long caps[16] = {
	0, 1, 16, 100, 1000, 4096, 10000, 32768, 32769, 65536, 100000, 262144, 1 << 20,
	2 << 20, 4 << 20, 8 << 20,
};

/* The status of the last status line "HTTP/x NNN" among the "len" bytes of "h", or 0. */
static long
fz_status(const char *h, size_t len)
{
	const char	*p;
	long		 st = 0;
	size_t		 i;

	for (i = 0; i + 12 <= len; i++) {
		if ((i > 0 && h[i - 1] != '\n') || strncmp(h + i, "HTTP/", 5) != 0)
			continue;
		if ((p = memchr(h + i, ' ', len - i)) != NULL && (size_t)(p - h) + 4 <= len &&
		    p[1] >= '1' && p[1] <= '9' && p[2] >= '0' && p[2] <= '9' &&
		    p[3] >= '0' && p[3] <= '9')
			st = (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
	}
	return st;
}

/* Feeds the header part "h" ("len" bytes) line by line, each with CRLF as curl gives it. */
static void
fz_headers(struct fetch_resp *r, const char *h, size_t len)
{
	struct buf	 line;
	const char	*nl;
	size_t		 at = 0, n;

	buf_init(&line);
	while (at < len) {
		nl = memchr(h + at, '\n', len - at);
		n = nl != NULL ? (size_t)(nl - (h + at)) : len - at;
		buf_reset(&line);
		buf_append(&line, h + at, n);
		buf_append(&line, "\r\n", 2);
		fetch_resp_header(r, line.data, line.len);
		at += n + 1;
	}
	fetch_resp_header(r, "\r\n", 2);
	buf_clear(&line);
}

/* Checks the node's answer "out"/"err" to result "res" ("fail": what fail_on_status means,
 * -1 when not checked). */
static void
fz_check_node(const struct fetch_result *res, json_object *out, const char *err, int fail)
{
	FUZZ_ASSERT(utf8_storable(err, strlen(err)), "the node's error is storable");
	if (res->error != NULL) {
		FUZZ_ASSERT(out == NULL && strcmp(err, res->error) == 0,
		    "a failed transfer is the step's error");
		return;
	}
	FUZZ_ASSERT(out != NULL && jsonh_storable(out), "the node's output is storable");
	FUZZ_ASSERT(json_object_get_int(json_object_object_get(out, "status")) ==
	    (int)res->status, "the output says the status");
	if (fail >= 0)
		FUZZ_ASSERT((err[0] != '\0') == (res->status >= 400 && fail),
		    "a 4xx/5xx fails exactly when fail_on_status is not false");
}

/* Checks the tool's result for "res" (whose body has "blen" bytes). */
static void
fz_check_tool(const struct fetch_result *res, size_t blen)
{
	json_object	*t = tool_http_result(res), *body;
	int		 cut;

	FUZZ_ASSERT(t != NULL && jsonh_storable(t), "the tool's result is storable");
	body = json_object_object_get(t, "body");
	cut = json_object_get_boolean(json_object_object_get(t, "truncated"));
	FUZZ_ASSERT(cut == (blen > 32768), "the tool cuts a body over 32 KiB and says so");
	FUZZ_ASSERT(!cut || (json_object_is_type(body, json_type_string) &&
	    json_object_get_string_len(body) <= 3 * 32768),
	    "a cut body is text of at most 32 KiB (each byte cleaned to at most 3)");
	json_object_put(t);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fails[] = { NULL, "true", "false", "\"yes\"" };
	static const int	 fail_of[] = { 1, 1, 0, -1 };	/* -1: not checked */
	struct fetch_resp	 r;
	struct fetch_result	 res;
	json_object		*config = NULL, *out = NULL;
	const char		*s, *h_end;
	char			 err[256], cfg[64];
	size_t			 len, hlen, chunk, reps, total, i, at, k;
	int			 failed = 0, want_too_big;

	if (size < 2)
		return 0;
	snprintf(cfg, sizeof(cfg), "{\"fail_on_status\":%s}", fails[data[0] & 3] ?
	    fails[data[0] & 3] : "null");
	if (jsonh_parse(cfg, strlen(cfg), &config, err, sizeof(err)) == -1)
		abort();
	if (fails[data[0] & 3] == NULL)
		json_object_object_del(config, "fail_on_status");
	chunk = (size_t)(data[1] & 63) + 1;
	reps = (size_t)1 << (2 * (data[1] >> 6));
	s = (const char *)data + 2;
	len = size - 2;
	h_end = NULL;
	for (i = 0; i + 1 < len && h_end == NULL; i++)
		if (s[i] == '\n' && s[i + 1] == '\n')
			h_end = s + i;
	hlen = h_end != NULL ? (size_t)(h_end - s) : len;

	fetch_resp_init(&r, caps[data[0] >> 4]);
	fz_headers(&r, s, hlen);
	s += h_end != NULL ? hlen + 2 : hlen;
	len -= h_end != NULL ? hlen + 2 : hlen;
	total = len * reps;
	for (i = 0; i < reps && !failed; i++)
		for (at = 0; at < len && !failed; at += k) {
			k = len - at < chunk ? len - at : chunk;
			failed = fetch_resp_body(&r, s + at, k) == -1;
		}
	want_too_big = total > (size_t)r.max;
	FUZZ_ASSERT(r.too_big == want_too_big && r.body.len <= (size_t)r.max,
	    "the body stops at its cap, exactly when it is longer");
	fetch_resp_result(&r, (data[0] & 4) || r.too_big ? "the transfer failed" : NULL,
	    fz_status((const char *)data + 2, hlen), &res);
	FUZZ_ASSERT(json_object_object_length(res.headers) <= FETCH_MAX_HEADERS,
	    "at most FETCH_MAX_HEADERS headers");
	json_object_object_foreach(res.headers, name, val) {
		(void)val;
		for (i = 0; name[i] != '\0'; i++)
			FUZZ_ASSERT(name[i] < 'A' || name[i] > 'Z', "header names are lower case");
	}

	node_http_outcome(config, &res, &out, err, sizeof(err));
	fz_check_node(&res, out, err, fail_of[data[0] & 3]);
	if (res.error == NULL)
		fz_check_tool(&res, r.body.len);
	json_object_put(out);
	json_object_put(config);
	fetch_resp_clear(&r);
	return 0;
}
