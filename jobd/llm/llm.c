/* llm.c: what every provider shares (see llm.h): the provider table (from Makefile.am's
 * PROVIDER_SRCS), the reply accumulator, SSE framing of a byte stream split anywhere, the
 * canonical assistant message and error bodies. Pure code, no I/O. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "jsonh.h"
#include "llm.h"
#include "utf8.h"
#include "xalloc.h"

const char *const llm_finish_names[LLM_FINISH__MAX] = {
	[LLM_FINISH_NONE] = "none",
	[LLM_FINISH_STOP] = "stop",
	[LLM_FINISH_TOOL_CALLS] = "tool_calls",
	[LLM_FINISH_LENGTH] = "length",
	[LLM_FINISH_OTHER] = "other",
};

const struct llm_provider *const llm_providers[PROVIDER__MAX] = {
#define LLM_PROVIDER_ROW(n, N)	[PROVIDER_##N] = &llm_##n,
	DESC_PROVIDERS(LLM_PROVIDER_ROW)
#undef LLM_PROVIDER_ROW
};

const struct llm_provider *
llm_provider_find(const char *name)
{
	enum provider_kind	 k;

	return provider_lookup(name, &k) == 0 ? llm_providers[k] : NULL;
}

void
llm_reply_init(struct llm_reply *r)
{
	size_t	 i;

	memset(r, 0, sizeof(*r));
	buf_init(&r->text);
	buf_init(&r->line);
	buf_init(&r->data);
	for (i = 0; i < LLM_MAX_TOOL_CALLS; i++)
		buf_init(&r->calls[i].args);
}

void
llm_reply_clear(struct llm_reply *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	buf_clear(&r->text);
	buf_clear(&r->line);
	buf_clear(&r->data);
	for (i = 0; i < LLM_MAX_TOOL_CALLS; i++)
		buf_clear(&r->calls[i].args);
	llm_reply_init(r);
}

void
llm_copy_id(char *dst, const char *src)
{
	size_t	 n = src != NULL ? strlen(src) : 0;

	/* Cut where no UTF-8 character is split: the id is stored and sent back. */
	n = utf8_cut(src, n, LLM_MAX_ID - 1);
	memcpy(dst, src != NULL ? src : "", n);
	dst[n] = '\0';
}

int
llm_reply_text(struct llm_reply *r, const char *s, size_t len, char *err, size_t errlen)
{
	if (len == 0)
		return 0;
	if (r->text.len + len > (size_t)LLM_MAX_TEXT) {
		snprintf(err, errlen, "the answer is longer than %ld bytes", LLM_MAX_TEXT);
		return -1;
	}
	buf_append(&r->text, s, len);
	if (r->on_delta != NULL)
		r->on_delta(r->delta_arg, s, len);
	return 0;
}

struct llm_tool_call *
llm_reply_call(struct llm_reply *r, int block, const char *id, const char *name, char *err,
    size_t errlen)
{
	struct llm_tool_call	*c;
	size_t			 i;

	for (i = 0; i < r->ncalls; i++)
		if (r->calls[i].block == block) {
			c = &r->calls[i];
			if (id != NULL && *id != '\0' && c->id[0] == '\0')
				llm_copy_id(c->id, id);
			if (name != NULL && *name != '\0' && c->name[0] == '\0')
				llm_copy_id(c->name, name);
			return c;
		}
	if (r->ncalls == LLM_MAX_TOOL_CALLS) {
		snprintf(err, errlen, "more than %d tool calls in one answer", LLM_MAX_TOOL_CALLS);
		return NULL;
	}
	c = &r->calls[r->ncalls++];
	c->block = block;
	llm_copy_id(c->id, id);
	llm_copy_id(c->name, name);
	buf_reset(&c->args);
	return c;
}

int
llm_call_args(struct llm_tool_call *c, const char *s, size_t len, char *err, size_t errlen)
{
	if (c->args.len + len > (size_t)LLM_MAX_ARGS) {
		snprintf(err, errlen, "tool call arguments longer than %ld bytes", LLM_MAX_ARGS);
		return -1;
	}
	buf_append(&c->args, s, len);
	return 0;
}

/* ---------------------------------------------------------------- SSE framing */

/* Dispatches the event gathered so far (if it has data) and resets the event state. */
static int
sse_dispatch(const struct llm_provider *p, struct llm_reply *r, char *err, size_t errlen)
{
	int	 rc = 0;

	if (r->data.len > 0 || r->event[0] != '\0') {
		/* The last data line's newline is not part of the data. */
		if (r->data.len > 0 && r->data.data[r->data.len - 1] == '\n')
			r->data.data[--r->data.len] = '\0';
		rc = p->stream_event(r, r->event, r->data.len ? r->data.data : "", r->data.len,
		    err, errlen);
	}
	buf_reset(&r->data);
	r->event[0] = '\0';
	return rc;
}

/* Handles one complete line (without its end) of "len" bytes. */
static int
sse_line(const struct llm_provider *p, struct llm_reply *r, const char *s, size_t len,
    char *err, size_t errlen)
{
	size_t	 k;

	if (len == 0)
		return sse_dispatch(p, r, err, errlen);
	if (s[0] == ':')
		return 0;			/* a comment (keep-alive) */
	for (k = 0; k < len && s[k] != ':'; k++)
		;
	const char	*v = k < len ? s + k + 1 : s + len;
	size_t		 vlen = k < len ? len - k - 1 : 0;

	if (vlen > 0 && v[0] == ' ') {
		v++;
		vlen--;
	}
	if (k == 4 && memcmp(s, "data", 4) == 0) {
		if (r->data.len + vlen + 1 > (size_t)LLM_MAX_EVENT) {
			snprintf(err, errlen, "a stream event is larger than %ld bytes",
			    LLM_MAX_EVENT);
			return -1;
		}
		buf_append(&r->data, v, vlen);
		buf_append(&r->data, "\n", 1);
	} else if (k == 5 && memcmp(s, "event", 5) == 0)
		snprintf(r->event, sizeof(r->event), "%.*s",
		    (int)(vlen < sizeof(r->event) ? vlen : sizeof(r->event) - 1), v);
	return 0;			/* id:, retry: and unknown fields are ignored */
}

/* Adds "n" bytes to the line being gathered, whether it ends in this read or not, so that
 * the cap holds however the stream is cut. Returns 0 or -1 with a message. */
static int
sse_line_add(struct llm_reply *r, const char *s, size_t n, char *err, size_t errlen)
{
	if (r->line.len + n > (size_t)LLM_MAX_EVENT) {
		snprintf(err, errlen, "a stream line is longer than %ld bytes", LLM_MAX_EVENT);
		return -1;
	}
	buf_append(&r->line, s, n);
	return 0;
}

int
llm_sse_feed(const struct llm_provider *p, struct llm_reply *r, const char *bytes,
    size_t len, char *err, size_t errlen)
{
	size_t	 i, start = 0;

	for (i = 0; i < len; i++) {
		if (bytes[i] != '\n' && bytes[i] != '\r')
			continue;
		if (bytes[i] == '\n' && r->skip_lf && i == start && r->line.len == 0) {
			r->skip_lf = false;	/* the LF of a CRLF split across reads */
			start = i + 1;
			continue;
		}
		if (sse_line_add(r, bytes + start, i - start, err, errlen) == -1 ||
		    sse_line(p, r, r->line.data, r->line.len, err, errlen) == -1)
			return -1;
		buf_reset(&r->line);
		r->skip_lf = bytes[i] == '\r';
		if (r->skip_lf && i + 1 < len && bytes[i + 1] == '\n') {
			i++;
			r->skip_lf = false;
		}
		start = i + 1;
	}
	if (start < len) {
		r->skip_lf = false;
		return sse_line_add(r, bytes + start, len - start, err, errlen);
	}
	return 0;
}

int
llm_sse_finish(const struct llm_provider *p, struct llm_reply *r, char *err, size_t errlen)
{
	if (r->line.len > 0) {
		if (sse_line(p, r, r->line.data, r->line.len, err, errlen) == -1)
			return -1;
		buf_reset(&r->line);
	}
	return sse_dispatch(p, r, err, errlen);
}

/* ---------------------------------------------------------------- messages */

json_object *
llm_reply_message(const struct llm_reply *r)
{
	json_object	*m = jsonh_new_object(), *calls, *c, *args;
	char		 err[64];
	size_t		 i;

	json_object_object_add(m, "role", jsonh_new_string("assistant"));
	json_object_object_add(m, "content", r->text.len > 0 ?
	    jsonh_new_string_len(r->text.data, (int)r->text.len) : NULL);
	if (r->ncalls == 0)
		return jsonh_make_storable(m);
	calls = jsonh_new_array();
	for (i = 0; i < r->ncalls; i++) {
		c = jsonh_new_object();
		json_object_object_add(c, "id", jsonh_new_string(r->calls[i].id));
		json_object_object_add(c, "name", jsonh_new_string(r->calls[i].name));
		args = NULL;
		if (r->calls[i].args.len == 0)
			args = jsonh_new_object();
		else if (jsonh_parse(r->calls[i].args.data, r->calls[i].args.len, &args, err,
		    sizeof(err)) == -1 || args == NULL)
			args = jsonh_new_string_len(r->calls[i].args.data,
			    (int)r->calls[i].args.len);
		json_object_object_add(c, "arguments", args);
		json_object_array_add(calls, c);
	}
	json_object_object_add(m, "tool_calls", calls);
	/* Arguments may carry NUL (a "\u0000" escape): the transcript is stored as jsonb. */
	return jsonh_make_storable(m);
}

void
llm_error_text(const char *body, size_t len, char *out, size_t outlen)
{
	json_object	*o = NULL, *e;
	const char	*msg = NULL;
	char		 err[64];

	if (len > 0 && jsonh_parse(body, len, &o, err, sizeof(err)) == 0 &&
	    json_object_is_type(o, json_type_object)) {
		e = json_object_object_get(o, "error");
		if (json_object_is_type(e, json_type_object))
			msg = jsonh_get_string(e, "message");
		else if (json_object_is_type(e, json_type_string))
			msg = json_object_get_string(e);
		if (msg == NULL)
			msg = jsonh_get_string(o, "message");
	}
	if (outlen > LLM_EXCERPT_MAX + 1)
		outlen = LLM_EXCERPT_MAX + 1;
	if (msg != NULL && msg[0] != '\0')
		llm_excerpt(msg, strlen(msg), NULL, out, outlen);
	else if (len > 0)
		llm_excerpt(body, len, NULL, out, outlen);
	else
		snprintf(out, outlen, "%s", LLM_NO_MESSAGE);
	json_object_put(o);
}

void
llm_reply_usage(struct llm_reply *r, json_object *u, const char *prompt, const char *completion)
{
	json_object	*v;

	if (!json_object_is_type(u, json_type_object))
		return;
	if ((v = jsonh_get_typed(u, prompt, json_type_int)) != NULL)
		r->usage.prompt_tokens = (long)json_object_get_int64(v);
	if ((v = jsonh_get_typed(u, completion, json_type_int)) != NULL)
		r->usage.completion_tokens = (long)json_object_get_int64(v);
}

enum llm_finish
llm_finish_lookup(const struct llm_finish_name *t, const char *s)
{
	if (s == NULL)
		return LLM_FINISH_NONE;
	for (; t->name != NULL; t++)
		if (strcmp(t->name, s) == 0)
			return t->finish;
	return LLM_FINISH_OTHER;
}

void
llm_header_add(struct curl_slist **hdrs, const char *line)
{
	struct curl_slist	*l;

	if ((l = curl_slist_append(*hdrs, line)) == NULL)
		xalloc_die(strlen(line) + 1);
	*hdrs = l;
}

void
llm_body_set(struct buf *body, json_object *o)
{
	const char	*s;
	size_t		 len;

	s = jsonh_str_len(o, &len);
	buf_reset(body);
	buf_append(body, s, len);
}
