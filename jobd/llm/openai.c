/* openai.c: the OpenAI-compatible Chat Completions provider (OpenAI, Ollama, vLLM, llama.cpp
 * server, LM Studio, most gateways): request bodies with function tools, streamed chunks
 * ("data: {choices:[{delta}]}" … "data: [DONE]", tool-call fragments keyed by index, usage in
 * a last chunk asked for with stream_options.include_usage) and final bodies. */
#include "config.h"

#include "providers.h"

PROVIDER_DEF(openai,
	.title = "OpenAI-compatible",
	.description = "OpenAI's Chat Completions API, which Ollama, vLLM, llama.cpp's server, "
	    "LM Studio and most gateways also speak: give their base URL (e.g. "
	    "http://127.0.0.1:11434/v1 for Ollama).",
	.default_base_url = "https://api.openai.com/v1",
	.aliases = (const char *const []){ "openai-compatible", NULL },
	.credential = (const struct provider_field []){
		{ "secret", "API key", "Sent as Authorization: Bearer; a local server may need "
		    "none.", false },
		{ NULL, NULL, NULL, false },
	});

#ifdef JOBD_BUILD
#include <stdio.h>
#include <string.h>

#include "jsonh.h"
#include "llm.h"

static int
openai_url(const char *base, char *out, size_t outlen)
{
	size_t	 n = strlen(base);
	int	 w;

	while (n > 0 && base[n - 1] == '/')
		n--;
	w = snprintf(out, outlen, "%.*s/chat/completions", (int)n, base);
	return w < 0 || (size_t)w >= outlen ? -1 : 0;
}

static void
openai_headers(const char *api_key, struct curl_slist **hdrs)
{
	struct buf		 line;

	llm_header_add(hdrs, "Content-Type: application/json");
	if (api_key == NULL || *api_key == '\0')
		return;
	buf_init(&line);
	buf_puts(&line, "Authorization: Bearer ");
	buf_puts(&line, api_key);
	llm_header_add(hdrs, line.data);
	memset(line.data, 0, line.len);	/* the key does not linger in freed memory */
	buf_clear(&line);
}

/* The wire form of one canonical message (a new reference), or NULL to leave it out. */
static json_object *
openai_message(json_object *m)
{
	json_object	*w = jsonh_new_object(), *calls, *c, *tc, *fn, *args;
	const char	*role = jsonh_get_string(m, "role");
	size_t		 i;

	json_object_object_add(w, "role", jsonh_new_string(role));
	if (strcmp(role, "tool") == 0) {
		json_object_object_add(w, "tool_call_id",
		    jsonh_string_or_null(jsonh_get_string(m, "tool_call_id")));
		json_object_object_add(w, "content",
		    jsonh_new_string(jsonh_get_string(m, "content") ?
		    jsonh_get_string(m, "content") : ""));
		return w;
	}
	json_object_object_add(w, "content",
	    jsonh_copy(json_object_object_get(m, "content")));
	calls = jsonh_get_typed(m, "tool_calls", json_type_array);
	if (calls == NULL || json_object_array_length(calls) == 0)
		return w;
	tc = jsonh_new_array();
	for (i = 0; i < json_object_array_length(calls); i++) {
		c = json_object_array_get_idx(calls, i);
		fn = jsonh_new_object();
		json_object_object_add(fn, "name",
		    jsonh_string_or_null(jsonh_get_string(c, "name")));
		args = json_object_object_get(c, "arguments");
		json_object_object_add(fn, "arguments", jsonh_new_string(
		    json_object_is_type(args, json_type_string) ? json_object_get_string(args) :
		    jsonh_str(args)));
		c = jsonh_new_object();
		json_object_object_add(c, "id",
		    jsonh_string_or_null(jsonh_get_string(json_object_array_get_idx(calls, i),
		    "id")));
		json_object_object_add(c, "type", jsonh_new_string("function"));
		json_object_object_add(c, "function", fn);
		json_object_array_add(tc, c);
	}
	json_object_object_add(w, "tool_calls", tc);
	return w;
}

/* The "tools" member: function declarations. */
static json_object *
openai_tools(json_object *tools)
{
	json_object	*out = jsonh_new_array(), *t, *fn, *d;
	size_t		 i;

	for (i = 0; i < json_object_array_length(tools); i++) {
		t = json_object_array_get_idx(tools, i);
		fn = jsonh_new_object();
		json_object_object_add(fn, "name", jsonh_copy(json_object_object_get(t, "name")));
		if ((d = json_object_object_get(t, "description")) != NULL)
			json_object_object_add(fn, "description", jsonh_copy(d));
		json_object_object_add(fn, "parameters",
		    jsonh_copy(json_object_object_get(t, "input_schema")));
		d = jsonh_new_object();
		json_object_object_add(d, "type", jsonh_new_string("function"));
		json_object_object_add(d, "function", fn);
		json_object_array_add(out, d);
	}
	return out;
}

static int
openai_build(const struct llm_request *rq, struct buf *body, char *err, size_t errlen)
{
	json_object	*o = jsonh_new_object(), *msgs = jsonh_new_array(), *m, *opt;
	size_t		 i;
	int		 rc = -1;

	if (!json_object_is_type(rq->messages, json_type_array) || (rq->tools != NULL &&
	    !json_object_is_type(rq->tools, json_type_array))) {
		snprintf(err, errlen, "messages and tools must be arrays");
		goto out;
	}
	json_object_object_add(o, "model", jsonh_new_string(rq->model));
	if (rq->system != NULL && *rq->system != '\0') {
		m = jsonh_new_object();
		json_object_object_add(m, "role", jsonh_new_string("system"));
		json_object_object_add(m, "content", jsonh_new_string(rq->system));
		json_object_array_add(msgs, m);
	}
	for (i = 0; i < json_object_array_length(rq->messages); i++) {
		m = json_object_array_get_idx(rq->messages, i);
		if (jsonh_get_string(m, "role") == NULL) {
			snprintf(err, errlen, "message %zu has no role", i);
			goto out;
		}
		json_object_array_add(msgs, openai_message(m));
	}
	json_object_object_add(o, "messages", msgs);
	msgs = NULL;
	if (rq->tools != NULL && json_object_array_length(rq->tools) > 0)
		json_object_object_add(o, "tools", openai_tools(rq->tools));
	if (rq->has_temperature)
		json_object_object_add(o, "temperature", jsonh_new_double(rq->temperature));
	if (rq->max_tokens > 0)
		json_object_object_add(o, "max_tokens", jsonh_new_int64(rq->max_tokens));
	if (rq->json_mode) {
		opt = jsonh_new_object();
		json_object_object_add(opt, "type", jsonh_new_string("json_object"));
		json_object_object_add(o, "response_format", opt);
	}
	json_object_object_add(o, "stream", jsonh_new_boolean(rq->stream));
	if (rq->stream) {
		opt = jsonh_new_object();
		json_object_object_add(opt, "include_usage", jsonh_new_boolean(1));
		json_object_object_add(o, "stream_options", opt);
	}
	llm_body_set(body, o);
	rc = 0;
out:
	json_object_put(msgs);
	json_object_put(o);
	return rc;
}

static const struct llm_finish_name openai_finishes[] = {
	{ "stop", LLM_FINISH_STOP },
	{ "tool_calls", LLM_FINISH_TOOL_CALLS },
	{ "function_call", LLM_FINISH_TOOL_CALLS },
	{ "length", LLM_FINISH_LENGTH },
	{ NULL, LLM_FINISH_OTHER },
};

static enum llm_finish
openai_finish(const char *s)
{
	return llm_finish_lookup(openai_finishes, s);
}

static void
openai_usage(struct llm_reply *r, json_object *u)
{
	llm_reply_usage(r, u, "prompt_tokens", "completion_tokens");
}

/* Applies the tool_calls of a delta (fragments) or of a final message (whole calls). */
static int
openai_calls(struct llm_reply *r, json_object *calls, char *err, size_t errlen)
{
	struct llm_tool_call	*c;
	json_object		*tc, *fn, *ix, *a;
	const char		*id;
	size_t			 i;
	int			 block;

	for (i = 0; calls != NULL && i < json_object_array_length(calls); i++) {
		tc = json_object_array_get_idx(calls, i);
		if (!json_object_is_type(tc, json_type_object))
			continue;
		fn = jsonh_get_typed(tc, "function", json_type_object);
		id = jsonh_get_string(tc, "id");
		/* Some servers send no index: a call with a new id is a new call, the rest
		 * continue the last one. */
		if ((ix = jsonh_get_typed(tc, "index", json_type_int)) != NULL)
			block = json_object_get_int(ix);
		else if (id != NULL || r->ncalls == 0)
			block = -1 - (int)r->ncalls;
		else
			block = r->calls[r->ncalls - 1].block;
		if (id != NULL && ix == NULL) {
			size_t	 k;

			for (k = 0; k < r->ncalls; k++)
				if (strcmp(r->calls[k].id, id) == 0)
					block = r->calls[k].block;
		}
		if ((c = llm_reply_call(r, block, id, jsonh_get_string(fn, "name"), err,
		    errlen)) == NULL)
			return -1;
		a = json_object_object_get(fn, "arguments");
		if (json_object_is_type(a, json_type_string)) {
			if (llm_call_args(c, json_object_get_string(a),
			    (size_t)json_object_get_string_len(a), err, errlen) == -1)
				return -1;
		} else if (a != NULL && json_object_is_type(a, json_type_object)) {
			const char *s = jsonh_str(a);	/* Ollama may send an object */

			if (llm_call_args(c, s, strlen(s), err, errlen) == -1)
				return -1;
		}
	}
	return 0;
}

/* Copies id and model when the object carries them. */
static void
openai_ids(struct llm_reply *r, json_object *o)
{
	if (r->id[0] == '\0' && jsonh_get_string(o, "id") != NULL)
		llm_copy_id(r->id, jsonh_get_string(o, "id"));
	if (r->model[0] == '\0' && jsonh_get_string(o, "model") != NULL)
		llm_copy_id(r->model, jsonh_get_string(o, "model"));
}

static int
openai_stream_event(struct llm_reply *r, const char *event, const char *data, size_t len,
    char *err, size_t errlen)
{
	json_object	*o = NULL, *ch, *delta, *e;
	const char	*s;
	size_t		 i;
	int		 rc = -1;

	(void)event;
	if (len == 6 && memcmp(data, "[DONE]", 6) == 0) {
		r->done = true;
		return 0;
	}
	if (jsonh_parse(data, len, &o, err, errlen) == -1) {
		char	 why[160];

		snprintf(why, sizeof(why), "%s", err);
		snprintf(err, errlen, "a stream chunk is not JSON: %s", why);
		return -1;
	}
	if (!json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "a stream chunk is not a JSON object");
		goto out;
	}
	if ((e = json_object_object_get(o, "error")) != NULL) {
		llm_error_text(data, len, err, errlen);
		goto out;
	}
	openai_ids(r, o);
	openai_usage(r, json_object_object_get(o, "usage"));
	ch = jsonh_get_typed(o, "choices", json_type_array);
	for (i = 0; ch != NULL && i < json_object_array_length(ch); i++) {
		json_object	*c = json_object_array_get_idx(ch, i);
		json_object	*ix = jsonh_get_typed(c, "index", json_type_int);

		if (ix != NULL && json_object_get_int(ix) != 0)
			continue;		/* n > 1 is never asked for */
		delta = jsonh_get_typed(c, "delta", json_type_object);
		if ((s = jsonh_get_string(delta, "content")) != NULL &&
		    llm_reply_text(r, s, strlen(s), err, errlen) == -1)
			goto out;
		if (openai_calls(r, jsonh_get_typed(delta, "tool_calls", json_type_array), err,
		    errlen) == -1)
			goto out;
		if ((s = jsonh_get_string(c, "finish_reason")) != NULL)
			r->finish = openai_finish(s);
	}
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

static int
openai_parse_final(struct llm_reply *r, const char *body, size_t len, char *err,
    size_t errlen)
{
	json_object	*o = NULL, *ch, *msg;
	const char	*s;
	int		 rc = -1;

	if (jsonh_parse(body, len, &o, err, errlen) == -1 ||
	    !json_object_is_type(o, json_type_object)) {
		snprintf(err, errlen, "the answer is not a JSON object");
		goto out;
	}
	if (json_object_object_get(o, "error") != NULL) {
		llm_error_text(body, len, err, errlen);
		goto out;
	}
	openai_ids(r, o);
	openai_usage(r, json_object_object_get(o, "usage"));
	ch = jsonh_get_typed(o, "choices", json_type_array);
	if (ch == NULL || json_object_array_length(ch) == 0 ||
	    (msg = jsonh_get_typed(json_object_array_get_idx(ch, 0), "message",
	    json_type_object)) == NULL) {
		snprintf(err, errlen, "the answer has no choices[0].message");
		goto out;
	}
	if ((s = jsonh_get_string(msg, "content")) != NULL &&
	    llm_reply_text(r, s, strlen(s), err, errlen) == -1)
		goto out;
	if (openai_calls(r, jsonh_get_typed(msg, "tool_calls", json_type_array), err,
	    errlen) == -1)
		goto out;
	r->finish = openai_finish(jsonh_get_string(json_object_array_get_idx(ch, 0),
	    "finish_reason"));
	if (r->finish == LLM_FINISH_NONE)
		r->finish = r->ncalls > 0 ? LLM_FINISH_TOOL_CALLS : LLM_FINISH_STOP;
	r->done = true;
	rc = 0;
out:
	json_object_put(o);
	return rc;
}

LLM_PROVIDER_IMPL(openai,
	.url = openai_url,
	.headers = openai_headers,
	.build = openai_build,
	.stream_event = openai_stream_event,
	.parse_final = openai_parse_final);
#endif
