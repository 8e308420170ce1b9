/* anthropic.c: the Anthropic Messages API provider: request bodies (top-level system,
 * alternating user/assistant turns with text, tool_use and tool_result blocks, tools with
 * input_schema), streamed events (message_start, content_block_start/delta/stop with
 * text_delta and input_json_delta, message_delta with stop_reason and usage, message_stop,
 * ping, error) and final bodies. */
#include "config.h"

#include "providers.h"

PROVIDER_DEF(anthropic,
	.title = "Anthropic",
	.description = "Anthropic's Messages API.",
	.default_base_url = "https://api.anthropic.com",
	.credential = (const struct provider_field []){
		{ "secret", "API key", "Sent as x-api-key.", true },
		{ NULL, NULL, NULL, false },
	});

#ifdef JOBD_BUILD
#include <stdio.h>
#include <string.h>

#include "jsonh.h"
#include "llm.h"
#include "nitems.h"

#define ANTHROPIC_VERSION	"2023-06-01"
#define ANTHROPIC_MAX_TOKENS	4096L	/* the API requires max_tokens */

static int
anthropic_url(const char *base, char *out, size_t outlen)
{
	size_t	 n = strlen(base);
	int	 w;

	while (n > 0 && base[n - 1] == '/')
		n--;
	/* Accept both "https://api.anthropic.com" and ".../v1". */
	if (n >= 3 && memcmp(base + n - 3, "/v1", 3) == 0)
		w = snprintf(out, outlen, "%.*s/messages", (int)n, base);
	else
		w = snprintf(out, outlen, "%.*s/v1/messages", (int)n, base);
	return w < 0 || (size_t)w >= outlen ? -1 : 0;
}

static void
anthropic_headers(const char *api_key, struct curl_slist **hdrs)
{
	static const char *const fixed[] = { "Content-Type: application/json",
	    "anthropic-version: " ANTHROPIC_VERSION };
	struct buf		 line;
	size_t			 i;

	for (i = 0; i < NITEMS(fixed); i++)
		llm_header_add(hdrs, fixed[i]);
	if (api_key == NULL || *api_key == '\0')
		return;
	buf_init(&line);
	buf_puts(&line, "x-api-key: ");
	buf_puts(&line, api_key);
	llm_header_add(hdrs, line.data);
	memset(line.data, 0, line.len);	/* the key does not linger in freed memory */
	buf_clear(&line);
}

/* A new {"type":"text","text":s} block. */
static json_object *
anthropic_text_block(const char *s)
{
	json_object	*b = jsonh_new_object();

	json_object_object_add(b, "type", jsonh_new_string("text"));
	json_object_object_add(b, "text", jsonh_new_string(s));
	return b;
}

/* Appends the content blocks of canonical message "m" to "blocks"; returns its wire role. */
static const char *
anthropic_blocks(json_object *m, json_object *blocks)
{
	const char	*role = jsonh_get_string(m, "role"), *s;
	json_object	*calls, *c, *b, *args, *ie;
	size_t		 i;

	if (strcmp(role, "tool") == 0) {
		b = jsonh_new_object();
		json_object_object_add(b, "type", jsonh_new_string("tool_result"));
		json_object_object_add(b, "tool_use_id",
		    jsonh_string_or_null(jsonh_get_string(m, "tool_call_id")));
		s = jsonh_get_string(m, "content");
		json_object_object_add(b, "content", jsonh_new_string(s ? s : ""));
		if ((ie = jsonh_get_typed(m, "is_error", json_type_boolean)) != NULL &&
		    json_object_get_boolean(ie))
			json_object_object_add(b, "is_error", jsonh_new_boolean(1));
		json_object_array_add(blocks, b);
		return "user";
	}
	if ((s = jsonh_get_string(m, "content")) != NULL && *s != '\0')
		json_object_array_add(blocks, anthropic_text_block(s));
	calls = jsonh_get_typed(m, "tool_calls", json_type_array);
	for (i = 0; calls != NULL && i < json_object_array_length(calls); i++) {
		c = json_object_array_get_idx(calls, i);
		b = jsonh_new_object();
		json_object_object_add(b, "type", jsonh_new_string("tool_use"));
		json_object_object_add(b, "id", jsonh_string_or_null(jsonh_get_string(c, "id")));
		json_object_object_add(b, "name",
		    jsonh_string_or_null(jsonh_get_string(c, "name")));
		args = json_object_object_get(c, "arguments");
		json_object_object_add(b, "input", json_object_is_type(args, json_type_object) ?
		    jsonh_copy(args) : jsonh_new_object());
		json_object_array_add(blocks, b);
	}
	return strcmp(role, "assistant") == 0 ? "assistant" : "user";
}

/* The wire messages: consecutive turns of one role are merged (the API wants them to
 * alternate; tool results of one round become one user turn). Returns a new array or NULL. */
static json_object *
anthropic_messages(json_object *msgs, char *err, size_t errlen)
{
	json_object	*out = jsonh_new_array(), *last = NULL, *blocks, *w;
	const char	*role, *last_role = NULL;
	size_t		 i;

	if (!json_object_is_type(msgs, json_type_array)) {
		snprintf(err, errlen, "messages must be an array");
		json_object_put(out);
		return NULL;
	}
	for (i = 0; i < json_object_array_length(msgs); i++) {
		json_object	*m = json_object_array_get_idx(msgs, i);

		if (jsonh_get_string(m, "role") == NULL) {
			snprintf(err, errlen, "message %zu has no role", i);
			json_object_put(out);
			return NULL;
		}
		if (strcmp(jsonh_get_string(m, "role"), "system") == 0)
			continue;
		blocks = jsonh_new_array();
		role = anthropic_blocks(m, blocks);
		if (json_object_array_length(blocks) == 0) {
			json_object_put(blocks);
			continue;
		}
		if (last != NULL && strcmp(role, last_role) == 0) {
			json_object	*lb = json_object_object_get(last, "content");
			size_t		 k;

			for (k = 0; k < json_object_array_length(blocks); k++)
				json_object_array_add(lb,
				    json_object_get(json_object_array_get_idx(blocks, k)));
			json_object_put(blocks);
			continue;
		}
		w = jsonh_new_object();
		json_object_object_add(w, "role", jsonh_new_string(role));
		json_object_object_add(w, "content", blocks);
		json_object_array_add(out, w);
		last = w;
		last_role = role;
	}
	return out;
}

static int
anthropic_build(const struct llm_request *rq, struct buf *body, char *err, size_t errlen)
{
	json_object	*o = jsonh_new_object(), *msgs, *tools, *t, *d;
	size_t		 i;
	int		 rc = -1;

	json_object_object_add(o, "model", jsonh_new_string(rq->model));
	if (rq->system != NULL && *rq->system != '\0')
		json_object_object_add(o, "system", jsonh_new_string(rq->system));
	if ((msgs = anthropic_messages(rq->messages, err, errlen)) == NULL)
		goto out;
	json_object_object_add(o, "messages", msgs);
	if (json_object_is_type(rq->tools, json_type_array) &&
	    json_object_array_length(rq->tools) > 0) {
		tools = jsonh_new_array();
		for (i = 0; i < json_object_array_length(rq->tools); i++) {
			t = json_object_array_get_idx(rq->tools, i);
			d = jsonh_new_object();
			json_object_object_add(d, "name",
			    jsonh_copy(json_object_object_get(t, "name")));
			if (json_object_object_get(t, "description") != NULL)
				json_object_object_add(d, "description",
				    jsonh_copy(json_object_object_get(t, "description")));
			json_object_object_add(d, "input_schema",
			    jsonh_copy(json_object_object_get(t, "input_schema")));
			json_object_array_add(tools, d);
		}
		json_object_object_add(o, "tools", tools);
	}
	json_object_object_add(o, "max_tokens", jsonh_new_int64(rq->max_tokens > 0 ?
	    rq->max_tokens : ANTHROPIC_MAX_TOKENS));
	if (rq->has_temperature)	/* Anthropic's range is 0–1 */
		json_object_object_add(o, "temperature", jsonh_new_double(
		    rq->temperature > 1.0 ? 1.0 : rq->temperature));
	if (rq->stream)
		json_object_object_add(o, "stream", jsonh_new_boolean(1));
	llm_body_set(body, o);
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

static const struct llm_finish_name anthropic_finishes[] = {
	{ "end_turn", LLM_FINISH_STOP },
	{ "stop_sequence", LLM_FINISH_STOP },
	{ "tool_use", LLM_FINISH_TOOL_CALLS },
	{ "max_tokens", LLM_FINISH_LENGTH },
	{ NULL, LLM_FINISH_OTHER },
};

static enum llm_finish
anthropic_finish(const char *s)
{
	return llm_finish_lookup(anthropic_finishes, s);
}

static void
anthropic_usage(struct llm_reply *r, json_object *u)
{
	llm_reply_usage(r, u, "input_tokens", "output_tokens");
}

/* Applies a content block (content_block_start or one element of a final "content"). */
static int
anthropic_block(struct llm_reply *r, int index, json_object *b, bool whole, char *err,
    size_t errlen)
{
	struct llm_tool_call	*c;
	const char		*type = jsonh_get_string(b, "type"), *s;
	json_object		*in;

	if (type == NULL)
		return 0;
	if (strcmp(type, "text") == 0) {
		s = jsonh_get_string(b, "text");
		return s != NULL ? llm_reply_text(r, s, strlen(s), err, errlen) : 0;
	}
	if (strcmp(type, "tool_use") != 0)
		return 0;		/* thinking and other blocks are not part of the answer */
	if ((c = llm_reply_call(r, index, jsonh_get_string(b, "id"), jsonh_get_string(b, "name"),
	    err, errlen)) == NULL)
		return -1;
	/* A streamed block starts with "input": {} and sends its JSON as fragments. */
	in = json_object_object_get(b, "input");
	if (whole && in != NULL) {
		s = jsonh_str(in);
		return llm_call_args(c, s, strlen(s), err, errlen);
	}
	return 0;
}

/* content_block_delta: text or a fragment of a tool call's input JSON. */
static int
anthropic_delta(struct llm_reply *r, json_object *o, char *err, size_t errlen)
{
	json_object	*d = jsonh_get_typed(o, "delta", json_type_object);
	json_object	*ix = jsonh_get_typed(o, "index", json_type_int);
	const char	*type = jsonh_get_string(d, "type"), *s;
	size_t		 i;

	if (type == NULL)
		return 0;
	if (strcmp(type, "text_delta") == 0) {
		s = jsonh_get_string(d, "text");
		return s != NULL ? llm_reply_text(r, s, strlen(s), err, errlen) : 0;
	}
	if (strcmp(type, "input_json_delta") != 0 || ix == NULL)
		return 0;
	for (i = 0; i < r->ncalls; i++)
		if (r->calls[i].block == json_object_get_int(ix)) {
			json_object	*pj = json_object_object_get(d, "partial_json");

			if (!json_object_is_type(pj, json_type_string))
				return 0;
			return llm_call_args(&r->calls[i], json_object_get_string(pj),
			    (size_t)json_object_get_string_len(pj), err, errlen);
		}
	snprintf(err, errlen, "input_json_delta for unknown block %d", json_object_get_int(ix));
	return -1;
}

static int
anthropic_stream_event(struct llm_reply *r, const char *event, const char *data, size_t len,
    char *err, size_t errlen)
{
	json_object	*o = NULL, *m, *ix;
	const char	*type;
	int		 rc = -1;

	if (jsonh_parse(data, len, &o, err, errlen) == -1 ||
	    !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "a stream event is not a JSON object");
		goto out;
	}
	if ((type = jsonh_get_string(o, "type")) == NULL)
		type = event;
	if (strcmp(type, "error") == 0) {
		llm_error_text(data, len, err, errlen);
		goto out;
	}
	if (strcmp(type, "message_start") == 0) {
		m = jsonh_get_typed(o, "message", json_type_object);
		llm_copy_id(r->id, jsonh_get_string(m, "id"));
		llm_copy_id(r->model, jsonh_get_string(m, "model"));
		anthropic_usage(r, json_object_object_get(m, "usage"));
	} else if (strcmp(type, "content_block_start") == 0) {
		ix = jsonh_get_typed(o, "index", json_type_int);
		if (anthropic_block(r, ix ? json_object_get_int(ix) : -1,
		    jsonh_get_typed(o, "content_block", json_type_object), false, err,
		    errlen) == -1)
			goto out;
	} else if (strcmp(type, "content_block_delta") == 0) {
		if (anthropic_delta(r, o, err, errlen) == -1)
			goto out;
	} else if (strcmp(type, "message_delta") == 0) {
		m = jsonh_get_typed(o, "delta", json_type_object);
		if (jsonh_get_string(m, "stop_reason") != NULL)
			r->finish = anthropic_finish(jsonh_get_string(m, "stop_reason"));
		/* message_delta's usage holds the cumulative output tokens. */
		if ((m = jsonh_get_typed(o, "usage", json_type_object)) != NULL &&
		    (ix = jsonh_get_typed(m, "output_tokens", json_type_int)) != NULL)
			r->usage.completion_tokens = (long)json_object_get_int64(ix);
		if (m != NULL && (ix = jsonh_get_typed(m, "input_tokens", json_type_int)) != NULL)
			r->usage.prompt_tokens = (long)json_object_get_int64(ix);
	} else if (strcmp(type, "message_stop") == 0)
		r->done = true;
	rc = 0;			/* ping, content_block_stop and new types are ignored */
out:
	json_object_put(o);
	return rc;
}

static int
anthropic_parse_final(struct llm_reply *r, const char *body, size_t len, char *err,
    size_t errlen)
{
	json_object	*o = NULL, *content;
	const char	*type;
	size_t		 i;
	int		 rc = -1;

	if (jsonh_parse(body, len, &o, err, errlen) == -1 ||
	    !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "the answer is not a JSON object");
		goto out;
	}
	if ((type = jsonh_get_string(o, "type")) != NULL && strcmp(type, "error") == 0) {
		llm_error_text(body, len, err, errlen);
		goto out;
	}
	if ((content = jsonh_get_typed(o, "content", json_type_array)) == NULL) {
		snprintf(err, errlen, "the answer has no content");
		goto out;
	}
	llm_copy_id(r->id, jsonh_get_string(o, "id"));
	llm_copy_id(r->model, jsonh_get_string(o, "model"));
	for (i = 0; i < json_object_array_length(content); i++)
		if (anthropic_block(r, (int)i, json_object_array_get_idx(content, i), true, err,
		    errlen) == -1)
			goto out;
	anthropic_usage(r, json_object_object_get(o, "usage"));
	r->finish = anthropic_finish(jsonh_get_string(o, "stop_reason"));
	if (r->finish == LLM_FINISH_NONE)
		r->finish = r->ncalls > 0 ? LLM_FINISH_TOOL_CALLS : LLM_FINISH_STOP;
	r->done = true;
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

LLM_PROVIDER_IMPL(anthropic,
	.url = anthropic_url,
	.headers = anthropic_headers,
	.build = anthropic_build,
	.stream_event = anthropic_stream_event,
	.parse_final = anthropic_parse_final);
#endif
