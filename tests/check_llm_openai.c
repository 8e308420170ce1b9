/* check_llm_openai.c: unit tests of the OpenAI-compatible provider (jobd/llm/openai.c) and of
 * the SSE framing it shares (jobd/llm/llm.c): real-shaped chunks fed whole, split at every
 * byte and one byte at a time; request bodies; final bodies; error bodies. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "llm/llm.h"
#include "llm_cases.h"
#include "nitems.h"
#include "utf8.h"

/* ---------------------------------------------------------------- streams */

static const struct llm_stream_case streams[] = {
	{ "text with usage",
	  "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-x\","
	  "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
	  "\"finish_reason\":null}]}\n\n"
	  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},"
	  "\"finish_reason\":null}]}\n\n"
	  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo \\u00e9\"},"
	  "\"finish_reason\":null}]}\n\n"
	  "data: {\"id\":\"chatcmpl-1\",\"choices\":[{\"index\":0,\"delta\":{},"
	  "\"finish_reason\":\"stop\"}]}\n\n"
	  "data: {\"id\":\"chatcmpl-1\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,"
	  "\"completion_tokens\":3,\"total_tokens\":15}}\n\n"
	  "data: [DONE]\n\n",
	  1, "Hello \xc3\xa9", 0, NULL, NULL, LLM_FINISH_STOP, 12, 3, 1 },
	{ "two parallel tool calls, interleaved fragments",
	  "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null,"
	  "\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":"
	  "{\"name\":\"calculator\",\"arguments\":\"\"}}]}}]}\n\n"
	  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
	  "{\"arguments\":\"{\\\"expre\"}}]}}]}\n\n"
	  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\","
	  "\"type\":\"function\",\"function\":{\"name\":\"current_time\",\"arguments\":\"{}\"}}]}}]}\n\n"
	  "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":"
	  "{\"arguments\":\"ssion\\\": \\\"1+1\\\"}\"}}]}}]}\n\n"
	  "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n"
	  "data: [DONE]\n\n",
	  1, "", 2, "calculator {\"expression\": \"1+1\"}", "current_time {}",
	  LLM_FINISH_TOOL_CALLS, 0, 0, 1 },
	{ "CRLF line ends, comments and an event name",
	  ": keep-alive\r\n\r\n"
	  "event: message\r\ndata: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"a\"}}]}\r\n\r\n"
	  "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"b\"},\"finish_reason\":\"length\"}]}"
	  "\r\n\r\ndata: [DONE]\r\n\r\n",
	  1, "ab", 0, NULL, NULL, LLM_FINISH_LENGTH, 0, 0, 1 },
	{ "CR-only line ends and no space after the colon",
	  "data:{\"choices\":[{\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\r\r"
	  "data:[DONE]\r\r",
	  1, "x", 0, NULL, NULL, LLM_FINISH_STOP, 0, 0, 1 },
	{ "server without index: whole calls, object arguments (Ollama)",
	  "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"id\":\"c1\",\"function\":{\"name\":"
	  "\"json_query\",\"arguments\":{\"query\":\".a\",\"document\":{\"a\":1}}}},"
	  "{\"id\":\"c2\",\"function\":{\"name\":\"calculator\",\"arguments\":\"{}\"}}]},"
	  "\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n",
	  1, "", 2, "json_query {\"query\":\".a\",\"document\":{\"a\":1}}", "calculator {}",
	  LLM_FINISH_TOOL_CALLS, 0, 0, 1 },
	{ "stream ends without [DONE] and without a blank line",
	  "data: {\"choices\":[{\"delta\":{\"content\":\"cut\"}}]}",
	  1, "cut", 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
	{ "an error object in the stream",
	  "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
	  "data: {\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}\n\n",
	  0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
	{ "a chunk that is not JSON",
	  "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]\n\n",
	  0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
	{ "a chunk that is JSON but not an object",
	  "data: [1,2]\n\n", 0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
};

/* Whole, split into two reads anywhere, byte by byte: the same reply. */
START_TEST(test_stream_cuts)
{
	llm_case_run_all_cuts(&llm_openai, &streams[_i]);
}
END_TEST

static void
count_delta(void *arg, const char *text, size_t len)
{
	(void)text;
	*(size_t *)arg += len;
}

START_TEST(test_stream_deltas)
{
	struct llm_reply	 r;
	char			 err[256];
	size_t			 seen = 0;

	llm_reply_init(&r);
	r.on_delta = count_delta;
	r.delta_arg = &seen;
	ck_assert_int_eq(llm_case_feed(&llm_openai, streams[0].sse, NULL, &r, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(seen, strlen(streams[0].text));
	llm_reply_clear(&r);
}
END_TEST

/* Limits: an endless line, too many calls, oversized arguments. */
START_TEST(test_stream_limits)
{
	struct llm_reply	 r;
	char			*big, err[256];
	size_t			 i, n = LLM_MAX_EVENT + 16;
	struct buf		 b;

	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', n);
	llm_reply_init(&r);
	ck_assert_int_eq(llm_sse_feed(&llm_openai, &r, big, n, err, sizeof(err)), -1);
	llm_reply_clear(&r);
	free(big);

	buf_init(&b);
	for (i = 0; i <= LLM_MAX_TOOL_CALLS; i++)
		buf_printf(&b, "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":%zu,"
		    "\"id\":\"c%zu\",\"function\":{\"name\":\"calculator\"}}]}}]}\n\n", i, i);
	llm_reply_init(&r);
	ck_assert_int_eq(llm_sse_feed(&llm_openai, &r, b.data, b.len, err, sizeof(err)), -1);
	ck_assert_uint_eq(r.ncalls, LLM_MAX_TOOL_CALLS);
	llm_reply_clear(&r);
	buf_clear(&b);
}
END_TEST

/* A line longer than LLM_MAX_EVENT fails the same way whether it arrives in one read or in
 * several (it used to pass when whole and fail when cut). */
START_TEST(test_stream_line_cap_any_cut)
{
	struct llm_reply	 r;
	char			*line, err[256], err2[256];
	size_t			 n = LLM_MAX_EVENT + 16;

	line = malloc(n + 1);
	ck_assert_ptr_nonnull(line);
	memset(line, 'x', n);
	line[0] = ':';		/* a comment: not even an event */
	line[n] = '\n';
	llm_reply_init(&r);
	ck_assert_int_eq(llm_sse_feed(&llm_openai, &r, line, n + 1, err, sizeof(err)), -1);
	llm_reply_clear(&r);
	llm_reply_init(&r);
	ck_assert_int_eq(llm_sse_feed(&llm_openai, &r, line, 100, err2, sizeof(err2)), 0);
	ck_assert_int_eq(llm_sse_feed(&llm_openai, &r, line + 100, n + 1 - 100, err2,
	    sizeof(err2)), -1);
	ck_assert_str_eq(err, err2);
	llm_reply_clear(&r);
	free(line);
}
END_TEST

/* Ids are cut at 127 bytes without splitting a UTF-8 character: they are stored. */
static const struct { size_t pad; size_t want; } ids[] = {
	{ 125, 127 }, { 126, 126 }, { 127, 127 }, { 10, 14 },
};

START_TEST(test_copy_id_utf8)
{
	char	 src[300], dst[LLM_MAX_ID];

	memset(src, 'a', ids[_i].pad);
	snprintf(src + ids[_i].pad, sizeof(src) - ids[_i].pad, "\xc3\xa9\xc3\xa9");
	llm_copy_id(dst, src);
	ck_assert_uint_eq(strlen(dst), ids[_i].want);
	ck_assert(utf8_storable(dst, strlen(dst)));
}
END_TEST

/* What the model sends that PostgreSQL cannot store: a chunk that is not UTF-8 fails the
 * call; NUL in tool arguments (a \u0000 escape) becomes U+FFFD in the message. */
START_TEST(test_stream_unstorable)
{
	struct llm_reply	 r;
	json_object		*m, *call;
	char			 err[256];

	llm_reply_init(&r);
	ck_assert_int_eq(llm_case_feed(&llm_openai, "data: {\"choices\":[{\"delta\":{\"content\":"
	    "\"\xed\xa0\x80\"}}]}\n\n", NULL, &r, err, sizeof(err)), -1);
	ck_assert(strstr(err, "not UTF-8") != NULL);
	llm_reply_clear(&r);
	llm_reply_init(&r);
	ck_assert_int_eq(llm_case_feed(&llm_openai, "data: {\"choices\":[{\"delta\":{"
	    "\"tool_calls\":[{\"index\":0,\"id\":\"c\",\"function\":{\"name\":\"n\",\"arguments\":"
	    "\"{\\\"a\\\":\\\"x\\\\u0000y\\\"}\\u0000\"}}]}}]}\n\n", NULL, &r, err,
	    sizeof(err)), 0);
	m = llm_reply_message(&r);
	ck_assert(jsonh_storable(m));
	call = json_object_array_get_idx(json_object_object_get(m, "tool_calls"), 0);
	ck_assert_str_eq(jsonh_get_string(call, "arguments"),
	    "{\"a\":\"x\\u0000y\"}\xef\xbf\xbd");
	json_object_put(m);
	llm_reply_clear(&r);
}
END_TEST

/* ---------------------------------------------------------------- requests */

START_TEST(test_build)
{
	struct llm_request	 rq;
	struct buf		 body;
	json_object		*msgs = NULL, *tools = NULL, *o = NULL, *m, *t;
	char			 err[256];

	msgs = llm_case_parse("[{\"role\":\"user\",\"content\":\"2+2?\"},"
	    "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\","
	    "\"name\":\"calculator\",\"arguments\":{\"expression\":\"2+2\"}}]},"
	    "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"name\":\"calculator\","
	    "\"content\":\"{\\\"result\\\":4}\"}]");
	ck_assert_ptr_nonnull(msgs);
	tools = llm_case_parse("[{\"name\":\"calculator\",\"description\":\"math\","
	    "\"input_schema\":{\"type\":\"object\"}}]");
	ck_assert_ptr_nonnull(tools);
	memset(&rq, 0, sizeof(rq));
	rq.model = "gpt-x";
	rq.system = "Be brief.";
	rq.messages = msgs;
	rq.tools = tools;
	rq.has_temperature = true;
	rq.temperature = 0.5;
	rq.max_tokens = 100;
	rq.stream = true;
	buf_init(&body);
	ck_assert_int_eq(llm_openai.build(&rq, &body, err, sizeof(err)), 0);
	ck_assert_int_eq(jsonh_parse(body.data, body.len, &o, err, sizeof(err)), 0);
	ck_assert_str_eq(jsonh_get_string(o, "model"), "gpt-x");
	m = json_object_object_get(o, "messages");
	ck_assert_uint_eq(json_object_array_length(m), 4);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(m, 0), "role"), "system");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(m, 0), "content"),
	    "Be brief.");
	t = json_object_array_get_idx(json_object_object_get(json_object_array_get_idx(m, 2),
	    "tool_calls"), 0);
	ck_assert_str_eq(jsonh_get_string(t, "type"), "function");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(t, "function"), "arguments"),
	    "{\"expression\":\"2+2\"}");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(m, 3), "tool_call_id"),
	    "c1");
	t = json_object_array_get_idx(json_object_object_get(o, "tools"), 0);
	ck_assert_str_eq(jsonh_get_string(t, "type"), "function");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(t, "function"), "name"),
	    "calculator");
	ck_assert_ptr_nonnull(json_object_object_get(json_object_object_get(t, "function"),
	    "parameters"));
	ck_assert(json_object_get_boolean(json_object_object_get(o, "stream")));
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_object_get(o,
	    "stream_options"), "include_usage")));
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "max_tokens")), 100);
	ck_assert_ptr_null(json_object_object_get(o, "response_format"));
	json_object_put(o);
	o = NULL;

	rq.stream = false;
	rq.json_mode = true;
	rq.tools = NULL;
	rq.system = NULL;
	ck_assert_int_eq(llm_openai.build(&rq, &body, err, sizeof(err)), 0);
	ck_assert_int_eq(jsonh_parse(body.data, body.len, &o, err, sizeof(err)), 0);
	ck_assert_ptr_null(json_object_object_get(o, "stream_options"));
	ck_assert_ptr_null(json_object_object_get(o, "tools"));
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(o, "response_format"), "type"),
	    "json_object");
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(o, "messages")), 3);
	json_object_put(o);
	buf_clear(&body);
	json_object_put(msgs);
	json_object_put(tools);
}
END_TEST

static const struct { const char *base, *url; } urls[] = {
	{ "https://api.openai.com/v1", "https://api.openai.com/v1/chat/completions" },
	{ "http://127.0.0.1:11434/v1/", "http://127.0.0.1:11434/v1/chat/completions" },
	{ "http://h:8080/v1//", "http://h:8080/v1/chat/completions" },
};

START_TEST(test_url)
{
	char	 out[256];

	ck_assert_int_eq(llm_openai.url(urls[_i].base, out, sizeof(out)), 0);
	ck_assert_str_eq(out, urls[_i].url);
	ck_assert_int_eq(llm_openai.url(urls[_i].base, out, 10), -1);
}
END_TEST

START_TEST(test_headers)
{
	struct curl_slist	*h = NULL, *p;
	int			 auth = 0;

	llm_openai.headers("sk-secret", &h);
	for (p = h; p != NULL; p = p->next)
		if (strcmp(p->data, "Authorization: Bearer sk-secret") == 0)
			auth = 1;
	ck_assert(auth);
	curl_slist_free_all(h);
	h = NULL;
	llm_openai.headers("", &h);
	for (p = h; p != NULL; p = p->next)
		ck_assert(strncmp(p->data, "Authorization", 13) != 0);
	curl_slist_free_all(h);
}
END_TEST

/* ---------------------------------------------------------------- final bodies */

static const struct final_case {
	const char	*body;
	int		 ok;
	const char	*text;
	size_t		 ncalls;
	enum llm_finish	 finish;
	long		 prompt;
} finals[] = {
	{ "{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
	  "\"content\":\"Paris.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,"
	  "\"completion_tokens\":2}}", 1, "Paris.", 0, LLM_FINISH_STOP, 9 },
	{ "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":"
	  "[{\"id\":\"c\",\"type\":\"function\",\"function\":{\"name\":\"calculator\","
	  "\"arguments\":\"{\\\"expression\\\":\\\"1\\\"}\"}}]},\"finish_reason\":\"tool_calls\"}]}",
	  1, "", 1, LLM_FINISH_TOOL_CALLS, 0 },
	{ "{\"choices\":[{\"message\":{\"content\":\"no reason\"}}]}", 1, "no reason", 0,
	  LLM_FINISH_STOP, 0 },
	{ "{\"error\":{\"message\":\"Invalid API key\",\"type\":\"auth\"}}", 0, NULL, 0, 0, 0 },
	{ "{\"choices\":[]}", 0, NULL, 0, 0, 0 },
	{ "<html>502 Bad Gateway</html>", 0, NULL, 0, 0, 0 },
	{ "", 0, NULL, 0, 0, 0 },
	{ "[]", 0, NULL, 0, 0, 0 },
};

START_TEST(test_parse_final)
{
	const struct final_case	*t = &finals[_i];
	struct llm_reply	 r;
	char			 err[256] = "";
	int			 rc;

	llm_reply_init(&r);
	rc = llm_openai.parse_final(&r, t->body, strlen(t->body), err, sizeof(err));
	if (!t->ok) {
		ck_assert_int_eq(rc, -1);
		ck_assert(err[0] != '\0');
	} else {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_str_eq(r.text.len ? r.text.data : "", t->text);
		ck_assert_uint_eq(r.ncalls, t->ncalls);
		ck_assert_int_eq(r.finish, t->finish);
		ck_assert_int_eq(r.usage.prompt_tokens, t->prompt);
	}
	llm_reply_clear(&r);
}
END_TEST

/* The canonical message of a reply: arguments parsed, or kept as text when broken. */
START_TEST(test_reply_message)
{
	struct llm_reply	 r;
	json_object		*m, *calls;
	char			 err[256];
	const char		*sse =
	    "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"a\",\"function\":"
	    "{\"name\":\"calculator\",\"arguments\":\"{\\\"expression\\\":\\\"2\\\"}\"}},"
	    "{\"index\":1,\"id\":\"b\",\"function\":{\"name\":\"calculator\",\"arguments\":"
	    "\"{broken\"}}]}}]}\n\n";

	llm_reply_init(&r);
	ck_assert_int_eq(llm_case_feed(&llm_openai, sse, NULL, &r, err, sizeof(err)), 0);
	m = llm_reply_message(&r);
	ck_assert_str_eq(jsonh_get_string(m, "role"), "assistant");
	ck_assert_ptr_null(json_object_object_get(m, "content"));
	calls = json_object_object_get(m, "tool_calls");
	ck_assert_uint_eq(json_object_array_length(calls), 2);
	ck_assert(json_object_is_type(json_object_object_get(json_object_array_get_idx(calls, 0),
	    "arguments"), json_type_object));
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(calls, 1), "arguments"),
	    "{broken");
	json_object_put(m);
	llm_reply_clear(&r);
}
END_TEST

static const struct { const char *body, *want; } errors[] = {
	{ "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}",
	  "Rate limit reached" },
	{ "{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}",
	  "Overloaded" },
	{ "{\"error\":\"model not found\"}", "model not found" },
	{ "{\"message\":\"bad\"}", "bad" },
	{ "line1\nline2\x01", "line1 line2 " },
	{ "caf\xc3\xa9 \xff", "caf?? ?" },		/* printable ASCII only */
	{ "{\"error\":{\"message\":\"\"}}", "{\"error\":{\"message\":\"\"}}" },
	{ "{\"error\":\"\"}", "{\"error\":\"\"}" },
	{ "", LLM_NO_MESSAGE },
};

START_TEST(test_error_text)
{
	char	 out[64];

	llm_error_text(errors[_i].body, strlen(errors[_i].body), out, sizeof(out));
	ck_assert_str_eq(out, errors[_i].want);
}
END_TEST

START_TEST(test_error_text_truncated)
{
	char	 body[300], out[32];

	memset(body, 'x', sizeof(body));
	llm_error_text(body, sizeof(body), out, sizeof(out));
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	ck_assert_str_eq(out + strlen(out) - 3, "...");
}
END_TEST

START_TEST(test_provider_find)
{
	ck_assert_ptr_eq(llm_provider_find("openai"), &llm_openai);
	ck_assert_ptr_eq(llm_provider_find("openai-compatible"), &llm_openai);
	ck_assert_ptr_eq(llm_provider_find("anthropic"), &llm_anthropic);
	ck_assert_ptr_null(llm_provider_find("gemini"));
	ck_assert_ptr_null(llm_provider_find(NULL));
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("llm_openai");
	TCase	*tc;
	size_t	 ns = NITEMS(streams);

	tc = tcase_create("stream");
	tcase_add_loop_test(tc, test_stream_cuts, 0, ns);
	tcase_add_test(tc, test_stream_deltas);
	tcase_add_test(tc, test_stream_limits);
	tcase_add_test(tc, test_stream_line_cap_any_cut);
	tcase_add_loop_test(tc, test_copy_id_utf8, 0, NITEMS(ids));
	tcase_add_test(tc, test_stream_unstorable);
	suite_add_tcase(s, tc);
	tc = tcase_create("build");
	tcase_add_test(tc, test_build);
	tcase_add_loop_test(tc, test_url, 0, NITEMS(urls));
	tcase_add_test(tc, test_headers);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse_final");
	tcase_add_loop_test(tc, test_parse_final, 0, NITEMS(finals));
	tcase_add_test(tc, test_reply_message);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_loop_test(tc, test_error_text, 0, NITEMS(errors));
	tcase_add_test(tc, test_error_text_truncated);
	tcase_add_test(tc, test_provider_find);
	suite_add_tcase(s, tc);
	return check_run(s);
}
