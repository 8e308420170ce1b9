/* llm_stream.c: the LLM provider harnesses' body (see llm_stream.h): the reply built from
 * a stream must not depend on where the network cut it, and everything the agent stores
 * must be storable (valid UTF-8 without NUL). */
#include "config.h"

#include <string.h>

#include "buf.h"
#include "fuzz.h"
#include "jsonh.h"
#include "llm_stream.h"
#include "utf8.h"

#define LS_MAX_CHUNKS	15

/* on_delta: gathers the streamed text as the agent sees it. */
static void
ls_on_delta(void *arg, const char *text, size_t len)
{
	buf_append(arg, text, len);
}

/* True when the NUL-terminated "s" is storable. */
static int
ls_storable(const char *s)
{
	return utf8_storable(s, strlen(s));
}

/* Appends to "out" everything the agent reads of "r" (after "rc" and "err"), asserting
 * what must hold of any reply. */
static void
ls_snapshot(const struct llm_reply *r, int rc, const char *err, struct buf *out)
{
	json_object	*m;
	size_t		 i;

	FUZZ_ASSERT(ls_storable(r->id) && ls_storable(r->model), "reply id and model storable");
	if (rc == -1) {
		FUZZ_ASSERT(err[0] != '\0' && ls_storable(err), "an error says why, storably");
		buf_printf(out, "error %s\n", err);
	}
	buf_printf(out, "finish %d done %d usage %ld/%ld id %s model %s calls %zu\n",
	    (int)r->finish, (int)r->done, r->usage.prompt_tokens, r->usage.completion_tokens,
	    r->id, r->model, r->ncalls);
	for (i = 0; i < r->ncalls; i++)
		buf_printf(out, "call %d %s %s %zu\n", r->calls[i].block, r->calls[i].id,
		    r->calls[i].name, r->calls[i].args.len);
	m = llm_reply_message(r);
	FUZZ_ASSERT(jsonh_storable(m), "the assistant message is storable");
	buf_puts(out, jsonh_str(m));
	json_object_put(m);
}

/* Feeds "len" bytes of "s" to "p" in the pieces "cuts" gives ("ncuts" lengths, the rest in
 * one piece; NULL: one byte at a time), then ends the stream; snapshots the reply. */
static void
ls_run(const struct llm_provider *p, const char *s, size_t len, const uint8_t *cuts,
    size_t ncuts, struct buf *snap)
{
	struct llm_reply	 r;
	struct buf		 deltas;
	char			 err[256] = "";
	size_t			 at = 0, k, i;
	int			 rc = 0;

	llm_reply_init(&r);
	buf_init(&deltas);
	r.on_delta = ls_on_delta;
	r.delta_arg = &deltas;
	for (i = 0; rc == 0 && at < len; i++) {
		if (cuts == NULL)
			k = 1;
		else
			k = i < ncuts ? cuts[i] : len - at;
		k = k < len - at ? k : len - at;
		rc = llm_sse_feed(p, &r, s + at, k, err, sizeof(err));
		at += k;
	}
	if (rc == 0)
		rc = llm_sse_finish(p, &r, err, sizeof(err));
	FUZZ_ASSERT(deltas.len == r.text.len &&
	    (r.text.len == 0 || memcmp(deltas.data, r.text.data, r.text.len) == 0),
	    "the streamed deltas add up to the reply's text");
	ls_snapshot(&r, rc, err, snap);
	buf_clear(&deltas);
	llm_reply_clear(&r);
}

int
llm_stream_fuzz(const struct llm_provider *p, const uint8_t *data, size_t size)
{
	struct llm_reply	 r;
	struct buf		 whole, bytes, chunked;
	const uint8_t		*cuts;
	const char		*s;
	char			 err[256];
	size_t			 ncuts, len;

	if (size == 0)
		return 0;
	ncuts = data[0] & LS_MAX_CHUNKS;
	if (ncuts + 1 > size)
		return 0;
	cuts = data + 1;
	s = (const char *)data + 1 + ncuts;
	len = size - 1 - ncuts;
	buf_init(&whole);
	buf_init(&bytes);
	buf_init(&chunked);
	ls_run(p, s, len, (const uint8_t *)"", 0, &whole);
	ls_run(p, s, len, NULL, 0, &bytes);
	ls_run(p, s, len, cuts, ncuts, &chunked);
	FUZZ_ASSERT(whole.len == bytes.len && memcmp(whole.data, bytes.data, whole.len) == 0,
	    "the same reply whether the stream comes whole or byte by byte");
	FUZZ_ASSERT(whole.len == chunked.len &&
	    memcmp(whole.data, chunked.data, whole.len) == 0,
	    "the same reply however the stream is cut");
	buf_clear(&whole);
	buf_clear(&bytes);
	buf_clear(&chunked);

	llm_reply_init(&r);
	if (p->parse_final(&r, s, len, err, sizeof(err)) == 0) {
		json_object	*m = llm_reply_message(&r);

		FUZZ_ASSERT(jsonh_storable(m), "a final body's message is storable");
		json_object_put(m);
	} else
		FUZZ_ASSERT(ls_storable(err), "a final body's error is storable");
	llm_reply_clear(&r);
	llm_error_text(s, len, err, sizeof(err));
	FUZZ_ASSERT(ls_storable(err), "an error body's text is storable");
	return 0;
}
