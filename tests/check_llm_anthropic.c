/* check_llm_anthropic.c: unit tests of the Anthropic Messages provider (jobd/llm/anthropic.c):
 * real-shaped event streams fed whole and split at every byte, request bodies (system apart,
 * tool_use / tool_result blocks, merged turns), final bodies and error events. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "llm/llm.h"
#include "llm_cases.h"
#include "nitems.h"

static const struct llm_stream_case streams[] = {
	{ "text",
	  "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\","
	  "\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"claude-x\","
	  "\"stop_reason\":null,\"usage\":{\"input_tokens\":25,\"output_tokens\":1}}}\n\n"
	  "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
	  "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
	  "event: ping\ndata: {\"type\": \"ping\"}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
	  "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
	  "\"delta\":{\"type\":\"text_delta\",\"text\":\"!\"}}\n\n"
	  "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
	  "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
	  "\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":15}}\n\n"
	  "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
	  1, "Hello!", 0, NULL, NULL, LLM_FINISH_STOP, 25, 15, 1 },
	{ "text then two tool_use blocks with input_json_delta",
	  "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\","
	  "\"model\":\"claude-x\",\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}\n\n"
	  "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,"
	  "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
	  "\"delta\":{\"type\":\"text_delta\",\"text\":\"Let me check.\"}}\n\n"
	  "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
	  "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,"
	  "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_a\",\"name\":\"calculator\","
	  "\"input\":{}}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
	  "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
	  "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"expression\\\": \"}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,"
	  "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"6*7\\\"}\"}}\n\n"
	  "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n"
	  "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,"
	  "\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_b\",\"name\":\"current_time\","
	  "\"input\":{}}}\n\n"
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,"
	  "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n"
	  "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n"
	  "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
	  "\"tool_use\"},\"usage\":{\"output_tokens\":60}}\n\n"
	  "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
	  1, "Let me check.", 2, "calculator {\"expression\": \"6*7\"}", "current_time {}",
	  LLM_FINISH_TOOL_CALLS, 40, 60, 1 },
	{ "CRLF and max_tokens",
	  "event: content_block_delta\r\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
	  "\"delta\":{\"type\":\"text_delta\",\"text\":\"cut\"}}\r\n\r\n"
	  "event: message_delta\r\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":"
	  "\"max_tokens\"},\"usage\":{\"output_tokens\":5}}\r\n\r\n",
	  1, "cut", 0, NULL, NULL, LLM_FINISH_LENGTH, 0, 5, 0 },
	{ "error event",
	  "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\","
	  "\"message\":\"Overloaded\"}}\n\n",
	  0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
	{ "input_json_delta for a block never started",
	  "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":4,"
	  "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n",
	  0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
	{ "not JSON",
	  "event: message_start\ndata: {\"type\":\"message_start\",\n\n",
	  0, NULL, 0, NULL, NULL, LLM_FINISH_NONE, 0, 0, 0 },
};

/* Whole, split into two reads anywhere, byte by byte: the same reply. */
START_TEST(test_stream_cuts)
{
	llm_case_run_all_cuts(&llm_anthropic, &streams[_i]);
}
END_TEST

START_TEST(test_stream_error_message)
{
	struct llm_reply	 r;
	char			 err[256];

	llm_reply_init(&r);
	ck_assert_int_eq(llm_case_feed(&llm_anthropic, streams[3].sse, NULL, &r, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "Overloaded");
	llm_reply_clear(&r);
}
END_TEST

START_TEST(test_build)
{
	struct llm_request	 rq;
	struct buf		 body;
	json_object		*o, *m, *c, *b;
	char			 err[256];

	memset(&rq, 0, sizeof(rq));
	rq.model = "claude-x";
	rq.system = "You are terse.";
	rq.messages = llm_case_parse("[{\"role\":\"user\",\"content\":\"earlier\"},"
	    "{\"role\":\"user\",\"content\":\"what time and 6*7?\"},"
	    "{\"role\":\"assistant\",\"content\":\"Checking.\",\"tool_calls\":["
	    "{\"id\":\"t1\",\"name\":\"calculator\",\"arguments\":{\"expression\":\"6*7\"}},"
	    "{\"id\":\"t2\",\"name\":\"current_time\",\"arguments\":\"{broken\"}]},"
	    "{\"role\":\"tool\",\"tool_call_id\":\"t1\",\"content\":\"{\\\"result\\\":42}\"},"
	    "{\"role\":\"tool\",\"tool_call_id\":\"t2\",\"content\":\"bad arguments\","
	    "\"is_error\":true}]");
	rq.tools = llm_case_parse("[{\"name\":\"calculator\",\"description\":\"math\","
	    "\"input_schema\":{\"type\":\"object\"}}]");
	rq.has_temperature = true;
	rq.temperature = 1.5;
	rq.stream = true;
	buf_init(&body);
	ck_assert_int_eq(llm_anthropic.build(&rq, &body, err, sizeof(err)), 0);
	o = llm_case_parse(body.data);
	ck_assert_str_eq(jsonh_get_string(o, "system"), "You are terse.");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "max_tokens")), 4096);
	ck_assert(json_object_get_double(json_object_object_get(o, "temperature")) <= 1.0);
	ck_assert(json_object_get_boolean(json_object_object_get(o, "stream")));
	m = json_object_object_get(o, "messages");
	/* user+user merged, assistant, the two tool results as one user turn */
	ck_assert_uint_eq(json_object_array_length(m), 3);
	c = json_object_object_get(json_object_array_get_idx(m, 0), "content");
	ck_assert_uint_eq(json_object_array_length(c), 2);
	c = json_object_object_get(json_object_array_get_idx(m, 1), "content");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(m, 1), "role"), "assistant");
	ck_assert_uint_eq(json_object_array_length(c), 3);
	b = json_object_array_get_idx(c, 1);
	ck_assert_str_eq(jsonh_get_string(b, "type"), "tool_use");
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(b, "input"), "expression"),
	    "6*7");
	b = json_object_array_get_idx(c, 2);
	ck_assert(json_object_is_type(json_object_object_get(b, "input"), json_type_object));
	c = json_object_object_get(json_object_array_get_idx(m, 2), "content");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(m, 2), "role"), "user");
	ck_assert_uint_eq(json_object_array_length(c), 2);
	b = json_object_array_get_idx(c, 1);
	ck_assert_str_eq(jsonh_get_string(b, "type"), "tool_result");
	ck_assert_str_eq(jsonh_get_string(b, "tool_use_id"), "t2");
	ck_assert(json_object_get_boolean(json_object_object_get(b, "is_error")));
	b = json_object_array_get_idx(json_object_object_get(o, "tools"), 0);
	ck_assert_ptr_nonnull(json_object_object_get(b, "input_schema"));
	json_object_put(o);
	buf_clear(&body);
	json_object_put(rq.messages);
	json_object_put(rq.tools);
}
END_TEST

static const struct { const char *base, *url; } urls[] = {
	{ "https://api.anthropic.com", "https://api.anthropic.com/v1/messages" },
	{ "https://api.anthropic.com/", "https://api.anthropic.com/v1/messages" },
	{ "http://127.0.0.1:9/v1", "http://127.0.0.1:9/v1/messages" },
};

START_TEST(test_url)
{
	char	 out[256];

	ck_assert_int_eq(llm_anthropic.url(urls[_i].base, out, sizeof(out)), 0);
	ck_assert_str_eq(out, urls[_i].url);
}
END_TEST

START_TEST(test_headers)
{
	struct curl_slist	*h = NULL, *p;
	int			 key = 0, ver = 0;

	llm_anthropic.headers("sk-ant-x", &h);
	for (p = h; p != NULL; p = p->next) {
		key |= strcmp(p->data, "x-api-key: sk-ant-x") == 0;
		ver |= strncmp(p->data, "anthropic-version: ", 19) == 0;
	}
	ck_assert(key && ver);
	curl_slist_free_all(h);
}
END_TEST

static const struct final_case {
	const char	*body;
	int		 ok;
	const char	*text;
	size_t		 ncalls;
	enum llm_finish	 finish;
	long		 prompt, completion;
} finals[] = {
	{ "{\"id\":\"msg\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"c\",\"content\":"
	  "[{\"type\":\"text\",\"text\":\"Hi\"}],\"stop_reason\":\"end_turn\",\"usage\":"
	  "{\"input_tokens\":3,\"output_tokens\":1}}", 1, "Hi", 0, LLM_FINISH_STOP, 3, 1 },
	{ "{\"content\":[{\"type\":\"text\",\"text\":\"ok\"},{\"type\":\"tool_use\",\"id\":\"t\","
	  "\"name\":\"calculator\",\"input\":{\"expression\":\"1\"}}],\"stop_reason\":\"tool_use\"}",
	  1, "ok", 1, LLM_FINISH_TOOL_CALLS, 0, 0 },
	{ "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"bad key\"}}",
	  0, NULL, 0, 0, 0, 0 },
	{ "{\"id\":\"x\"}", 0, NULL, 0, 0, 0, 0 },
	{ "not json", 0, NULL, 0, 0, 0, 0 },
};

START_TEST(test_parse_final)
{
	const struct final_case	*t = &finals[_i];
	struct llm_reply	 r;
	char			 err[256] = "";
	int			 rc;

	llm_reply_init(&r);
	rc = llm_anthropic.parse_final(&r, t->body, strlen(t->body), err, sizeof(err));
	if (!t->ok) {
		ck_assert_int_eq(rc, -1);
		ck_assert(err[0] != '\0');
	} else {
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_str_eq(r.text.len ? r.text.data : "", t->text);
		ck_assert_uint_eq(r.ncalls, t->ncalls);
		ck_assert_int_eq(r.finish, t->finish);
		ck_assert_int_eq(r.usage.prompt_tokens, t->prompt);
		ck_assert_int_eq(r.usage.completion_tokens, t->completion);
		if (t->ncalls > 0)
			ck_assert_str_eq(r.calls[0].args.data, "{\"expression\":\"1\"}");
	}
	llm_reply_clear(&r);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("llm_anthropic");
	TCase	*tc;

	tc = tcase_create("stream");
	tcase_add_loop_test(tc, test_stream_cuts, 0,
	    NITEMS(streams));
	tcase_add_test(tc, test_stream_error_message);
	suite_add_tcase(s, tc);
	tc = tcase_create("build");
	tcase_add_test(tc, test_build);
	tcase_add_loop_test(tc, test_url, 0, NITEMS(urls));
	tcase_add_test(tc, test_headers);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse_final");
	tcase_add_loop_test(tc, test_parse_final, 0, NITEMS(finals));
	suite_add_tcase(s, tc);
	return check_run(s);
}
