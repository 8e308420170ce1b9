/* check_agent.c: the agent loop (jobd/agent.c) with the real LLM client, tools and curl multi
 * on a libevent loop, against tests/llmsrv: a ReAct round trip with a parallel pair of tool
 * calls (transcript, usage, tokens in order, what the model was sent), both providers,
 * max_iterations, tool errors handed to the model, output_schema valid / repaired / invalid,
 * memory in the request, retries, cancellation during a streamed answer, and the
 * http_request tool refusing internal destinations (SSRF guard). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <event2/event.h>

#include "check_run.h"

#include "agent.h"
#include "buf.h"
#include "httpc.h"
#include "jsonh.h"
#include "llm_vendor.h"
#include "llmsrv_ctl.h"
#include "nitems.h"
#include "ssrf.h"
#include "memory.h"

static struct llmsrv	 srv;
static struct ssrf_allow *allow;	/* the model list admits llmsrv; the HTTP list is empty */

struct run {
	int		 called;
	char		 err[1024];
	json_object	*output, *transcript, *usage;
	struct buf	 tokens;
	int		 batches;
};

static void
on_tokens(void *arg, const char *text, size_t len)
{
	struct run	*o = arg;

	buf_append(&o->tokens, text, len);
	o->batches++;
}

static void
on_done(void *arg, struct agent_result *res, const char *err)
{
	struct run	*o = arg;

	o->called++;
	snprintf(o->err, sizeof(o->err), "%s", err ? err : "");
	o->output = res->output;
	o->transcript = res->transcript;
	o->usage = res->usage;
	memset(res, 0, sizeof(*res));
}

static json_object *
parse(const char *s)
{
	json_object	*o = NULL;
	char		 err[128];

	ck_assert_msg(jsonh_parse(s, strlen(s), &o, err, sizeof(err)) == 0, "%s", err);
	return o;
}

/* Copies "cfg" into "out" with its "%s" replaced by the llmsrv base URL. */
static void
subst_base(const char *cfg, char *out, size_t len)
{
	const char	*p = strstr(cfg, "%s");

	if (p == NULL)
		snprintf(out, len, "%s", cfg);
	else
		snprintf(out, len, "%.*s%s%s", (int)(p - cfg), cfg, srv.base, p + 2);
}

/* Runs an agent of configuration "cfg" (JSON text; "%s" is the llmsrv base URL) on "prompt"
 * until it ends, or cancels it after "cancel_ms" when > 0. */
static void
run_agent(const char *cfg, const char *prompt, const char *history, long cancel_ms,
    struct run *o)
{
	struct event_base	*base = event_base_new();
	struct httpc		*http = httpc_new(base);
	struct agent_env	 env;
	struct agent_spec	 spec;
	struct agent_run	*r;
	struct timeval		 tv;
	json_object		*config, *hist = NULL;
	char			 text[4096], err[512];

	memset(o, 0, sizeof(*o));
	buf_init(&o->tokens);
	subst_base(cfg, text, sizeof(text));
	config = parse(text);
	if (history != NULL)
		hist = parse(history);
	memset(&env, 0, sizeof(env));
	env.base = base;
	env.http = http;
	env.allow = allow;
	env.llm.backoff_ms = 50;
	memset(&spec, 0, sizeof(spec));
	spec.config = config;
	spec.api_key = "sk-agent-SECRET";
	spec.prompt = prompt;
	spec.history = hist;
	spec.on_tokens = on_tokens;
	spec.done = on_done;
	spec.arg = o;
	r = agent_start(&env, &spec, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	json_object_put(config);
	json_object_put(hist);
	if (cancel_ms > 0) {
		tv.tv_sec = cancel_ms / 1000;
		tv.tv_usec = cancel_ms % 1000 * 1000;
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
		ck_assert_int_eq(o->called, 0);
		agent_cancel(r);
		tv.tv_sec = 0;
		tv.tv_usec = 200000;
		event_base_loopexit(base, &tv);
		event_base_dispatch(base);
	} else
		while (o->called == 0)
			event_base_loop(base, EVLOOP_ONCE);
	ck_assert_int_le(o->called, 1);
	httpc_free(http);
	event_base_free(base);
}

static void
run_clear(struct run *o)
{
	json_object_put(o->output);
	json_object_put(o->transcript);
	json_object_put(o->usage);
	buf_clear(&o->tokens);
}

static json_object *
requests(const char *scenario)
{
	json_object	*r = llmsrv_requests(&srv, scenario);

	ck_assert_ptr_nonnull(r);
	return r;
}

static json_object *
req_body(json_object *reqs, size_t i)
{
	return json_object_object_get(json_object_array_get_idx(reqs, i), "body");
}

static long
usage_int(json_object *u, const char *k)
{
	return (long)json_object_get_int64(json_object_object_get(u, k));
}

#define REACT_CFG(provider, scenario) \
	"{\"provider\":\"" provider "\",\"base_url\":\"%s\",\"model\":\"" scenario "\"," \
	"\"system_prompt\":\"You are a careful assistant.\"," \
	"\"tools\":[\"calculator\",\"current_time\"],\"max_iterations\":5}"

/* The ReAct round trip, for both providers. */
START_TEST(test_react)
{
	const char	*scenario = _i == 0 ? "react" : "react_anthropic";
	struct run	 o;
	json_object	*t, *m, *reqs, *b, *msgs;
	const char	*s;

	llmsrv_reset(&srv);
	run_agent(_i == 0 ? REACT_CFG("openai", "react") :
	    REACT_CFG("anthropic", "react_anthropic"), "What is 6*7, and what time is it?", NULL,
	    0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	ck_assert_str_eq(json_object_get_string(o.output), "The answer is 42.");
	/* Tokens: both answers' text, in order, in batches. */
	ck_assert_str_eq(o.tokens.data, "I will compute and check the time.The answer is 42.");
	ck_assert_int_ge(o.batches, 1);
	/* Transcript: user, assistant with two calls, two results (in call order), answer. */
	t = o.transcript;
	ck_assert_uint_eq(json_object_array_length(t), 5);
	m = json_object_array_get_idx(t, 1);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(m, "tool_calls")), 2);
	m = json_object_array_get_idx(t, 2);
	ck_assert_str_eq(jsonh_get_string(m, "role"), "tool");
	ck_assert_str_eq(jsonh_get_string(m, "tool_call_id"), "call_calc");
	ck_assert_str_eq(jsonh_get_string(m, "content"), "{\"result\":42}");
	m = json_object_array_get_idx(t, 3);
	ck_assert_str_eq(jsonh_get_string(m, "tool_call_id"), "call_time");
	ck_assert(strstr(jsonh_get_string(m, "content"), "\"timezone\":\"Europe/Paris\"") != NULL ||
	    strstr(jsonh_get_string(m, "content"), "Europe\\/Paris") != NULL);
	ck_assert(!json_object_get_boolean(json_object_object_get(m, "is_error")));
	/* Usage: summed over both calls. */
	ck_assert_int_eq(usage_int(o.usage, "prompt_tokens"), 140);
	ck_assert_int_eq(usage_int(o.usage, "completion_tokens"), 27);
	ck_assert_int_eq(usage_int(o.usage, "iterations"), 2);
	ck_assert_int_eq(usage_int(o.usage, "tool_calls"), 2);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(o.usage, "calls")), 2);
	/* What the model got: tools declared, then the results of both calls. */
	reqs = requests(scenario);
	ck_assert_uint_eq(json_object_array_length(reqs), 2);
	b = req_body(reqs, 0);
	ck_assert_uint_eq(json_object_array_length(json_object_object_get(b, "tools")), 2);
	b = req_body(reqs, 1);
	msgs = json_object_object_get(b, "messages");
	s = jsonh_str(msgs);
	ck_assert(strstr(s, "call_calc") != NULL && strstr(s, "call_time") != NULL);
	ck_assert(strstr(s, "{\\\"result\\\":42}") != NULL);
	if (_i == 0)	/* OpenAI: system first, then user, assistant, two tool messages */
		ck_assert_uint_eq(json_object_array_length(msgs), 5);
	else		/* Anthropic: user, assistant, one user turn with two tool_result blocks */
		ck_assert_uint_eq(json_object_array_length(json_object_object_get(
		    json_object_array_get_idx(msgs, 2), "content")), 2);
	/* The key went to the vendor and nowhere else. */
	ck_assert(strstr(jsonh_str(json_object_array_get_idx(reqs, 0)), "sk-agent-SECRET")
	    != NULL);
	ck_assert(strstr(jsonh_str(o.transcript), "SECRET") == NULL);
	ck_assert(strstr(jsonh_str(o.usage), "SECRET") == NULL);
	json_object_put(reqs);
	run_clear(&o);
}
END_TEST

START_TEST(test_max_iterations)
{
	struct run	 o;
	json_object	*reqs;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"max_iter\","
	    "\"tools\":[\"calculator\"],\"max_iterations\":3}", "loop", NULL, 0, &o);
	ck_assert_ptr_null(o.output);
	ck_assert_str_eq(o.err, "the agent reached max_iterations (3) without a final answer");
	reqs = requests("max_iter");
	ck_assert_uint_eq(json_object_array_length(reqs), 3);
	ck_assert_uint_eq(json_object_array_length(o.transcript), 1 + 3 + 2);
	json_object_put(reqs);
	run_clear(&o);
}
END_TEST

/* A failing tool and unparsable arguments come back to the model as error results. */
START_TEST(test_tool_error)
{
	struct run	 o;
	json_object	*m;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"tool_error\","
	    "\"tools\":[\"calculator\"]}", "1/0?", NULL, 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	ck_assert_str_eq(json_object_get_string(o.output), "Division by zero is undefined.");
	m = json_object_array_get_idx(o.transcript, 2);
	ck_assert(json_object_get_boolean(json_object_object_get(m, "is_error")));
	ck_assert(strstr(jsonh_get_string(m, "content"), "division by zero") != NULL);
	m = json_object_array_get_idx(o.transcript, 3);
	ck_assert(json_object_get_boolean(json_object_object_get(m, "is_error")));
	ck_assert(strstr(jsonh_get_string(m, "content"), "not a JSON object") != NULL);
	run_clear(&o);
}
END_TEST

#define SCHEMA_CFG(scenario) \
	"{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"" scenario "\"," \
	"\"output_schema\":{\"type\":\"object\",\"required\":[\"answer\"],\"properties\":" \
	"{\"answer\":{\"type\":\"integer\"}}}}"

START_TEST(test_schema_valid)
{
	struct run	 o;
	json_object	*reqs, *b;

	llmsrv_reset(&srv);
	run_agent(SCHEMA_CFG("schema_ok"), "answer", NULL, 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o.output, "answer")), 42);
	reqs = requests("schema_ok");
	b = req_body(reqs, 0);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(b, "response_format"), "type"),
	    "json_object");
	ck_assert(strstr(jsonh_get_string(json_object_array_get_idx(json_object_object_get(b,
	    "messages"), 0), "content"), "JSON Schema") != NULL);
	json_object_put(reqs);
	run_clear(&o);
}
END_TEST

START_TEST(test_schema_repaired)
{
	struct run	 o;
	json_object	*reqs;

	llmsrv_reset(&srv);
	run_agent(SCHEMA_CFG("schema_repair"), "answer", NULL, 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o.output, "answer")), 42);
	reqs = requests("schema_repair");
	ck_assert_uint_eq(json_object_array_length(reqs), 2);
	json_object_put(reqs);
	run_clear(&o);
}
END_TEST

START_TEST(test_schema_invalid)
{
	struct run	 o;

	llmsrv_reset(&srv);
	run_agent(SCHEMA_CFG("schema_bad"), "answer", NULL, 0, &o);
	ck_assert_ptr_null(o.output);
	ck_assert_msg(strstr(o.err, "does not match output_schema after one repair attempt")
	    != NULL, "%s", o.err);
	run_clear(&o);
}
END_TEST

/* Memory comes before the new message. */
START_TEST(test_history_sent)
{
	struct run	 o;
	json_object	*reqs, *msgs;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"memory\"}",
	    "What is my name?", "[{\"role\":\"user\",\"content\":\"I am Ada.\"},"
	    "{\"role\":\"assistant\",\"content\":\"Nice to meet you, Ada.\"}]", 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	reqs = requests("memory");
	msgs = json_object_object_get(req_body(reqs, 0), "messages");
	ck_assert_uint_eq(json_object_array_length(msgs), 3);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(msgs, 0), "content"),
	    "I am Ada.");
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(msgs, 2), "content"),
	    "What is my name?");
	ck_assert_uint_eq(json_object_array_length(o.transcript), 2);	/* this run only */
	json_object_put(reqs);
	run_clear(&o);
}
END_TEST

START_TEST(test_retry)
{
	struct run	 o;
	json_object	*c;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"retry429\"}", "hi",
	    NULL, 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	c = json_object_array_get_idx(json_object_object_get(o.usage, "calls"), 0);
	ck_assert_int_eq(usage_int(c, "attempts"), 3);
	run_clear(&o);
}
END_TEST

START_TEST(test_provider_failure)
{
	struct run	 o;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"not_json\","
	    "\"stream\":false}", "hi", NULL, 0, &o);
	ck_assert_msg(strstr(o.err, "model call 1 failed: provider answered 200") != NULL, "%s",
	    o.err);
	ck_assert(strstr(o.err, "upstream says hello") != NULL);
	run_clear(&o);
}
END_TEST

START_TEST(test_cancel_streaming)
{
	struct run	 o;
	json_object	*reqs;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"slow_stream\"}", "hi",
	    NULL, 550, &o);
	ck_assert_int_eq(o.called, 0);
	ck_assert_uint_gt(o.tokens.len, 0);
	ck_assert_uint_lt(o.tokens.len, 60);
	reqs = requests("slow_stream");
	ck_assert(json_object_get_boolean(json_object_object_get(json_object_array_get_idx(reqs,
	    0), "client_closed")));
	json_object_put(reqs);
	buf_clear(&o.tokens);
}
END_TEST

/* The http_request tool refuses internal destinations (checked on the connected address)
 * and other schemes; each refusal reaches the model as an error result. */
START_TEST(test_http_tool_ssrf)
{
	struct run	 o;
	json_object	*m;
	size_t		 i;

	llmsrv_reset(&srv);
	run_agent("{\"provider\":\"openai\",\"base_url\":\"%s\",\"model\":\"ssrf\","
	    "\"tools\":[\"http_request\"]}", "fetch", NULL, 0, &o);
	ck_assert_msg(o.err[0] == '\0', "%s", o.err);
	for (i = 2; i < 7; i++) {
		m = json_object_array_get_idx(o.transcript, i);
		ck_assert(json_object_get_boolean(json_object_object_get(m, "is_error")));
		ck_assert_msg(strstr(jsonh_get_string(m, "content"), i < 6 ? "SSRF guard" :
		    "url") != NULL, "%s", jsonh_get_string(m, "content"));
	}
	run_clear(&o);
}
END_TEST

static const struct { const char *cfg, *want; } bad_configs[] = {
	{ "{\"provider\":\"gemini\",\"model\":\"m\"}", "provider" },
	{ "{\"provider\":\"openai\"}", "model" },
	{ "{\"provider\":\"openai\",\"model\":\"m\",\"tools\":[\"rm_rf\"]}", "tools[0]" },
	{ "{\"provider\":\"openai\",\"model\":\"m\",\"max_iterations\":0}", "max_iterations" },
	{ "{\"provider\":\"openai\",\"model\":\"m\",\"base_url\":\"file:///etc\"}", "base_url" },
	{ "{\"provider\":\"openai\",\"model\":\"m\",\"temperature\":3}", "temperature" },
};

START_TEST(test_bad_config)
{
	struct event_base	*base = event_base_new();
	struct agent_env	 env;
	struct agent_spec	 spec;
	json_object		*cfg = parse(bad_configs[_i].cfg);
	char			 err[256] = "";

	memset(&env, 0, sizeof(env));
	env.base = base;
	memset(&spec, 0, sizeof(spec));
	spec.config = cfg;
	spec.prompt = "x";
	spec.done = on_done;
	ck_assert_ptr_null(agent_start(&env, &spec, err, sizeof(err)));
	ck_assert_msg(strstr(err, bad_configs[_i].want) != NULL, "%s", err);
	json_object_put(cfg);
	event_base_free(base);
}
END_TEST

static const struct { const char *text, *want; } answers[] = {
	{ "{\"a\":1}", "{\"a\":1}" }, { "  [1, 2]\n", "[1,2]" },
	{ "```json\n{\"a\": 2}\n```", "{\"a\":2}" }, { "```\n3\n```", "3" },
	{ "The answer is 42.", NULL }, { "", NULL }, { "```json\n{broken\n```", NULL },
};

START_TEST(test_answer_json)
{
	json_object	*v = agent_answer_json(answers[_i].text);

	if (answers[_i].want == NULL)
		ck_assert_ptr_null(v);
	else
		ck_assert_str_eq(jsonh_str(v), answers[_i].want);
	json_object_put(v);
}
END_TEST

static const struct { const char *in; size_t left; } windows[] = {
	{ "[]", 0 },
	{ "[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":\"b\"}]", 2 },
	{ "[{\"role\":\"assistant\",\"content\":\"b\"},{\"role\":\"user\",\"content\":\"c\"}]", 1 },
	{ "[{\"role\":\"tool\",\"content\":\"r\"},{\"role\":\"assistant\",\"content\":\"d\"},"
	  "{\"role\":\"user\",\"content\":\"e\"},{\"role\":\"assistant\",\"content\":\"f\"}]", 2 },
	{ "[{\"role\":\"assistant\",\"content\":\"only\"}]", 0 },
};

/* A memory window never starts with an orphan tool result or answer. */
START_TEST(test_memory_trim_head)
{
	json_object	*a = parse(windows[_i].in);

	memory_trim_head(a);
	ck_assert_uint_eq(json_object_array_length(a), windows[_i].left);
	if (windows[_i].left > 0)
		ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(a, 0), "role"),
		    "user");
	json_object_put(a);
}
END_TEST

static void
setup(void)
{
	llm_vendor_up(&srv, &allow);
}

static void
teardown(void)
{
	llm_vendor_down(&srv, allow);
}

int
main(void)
{
	Suite	*s = suite_create("agent");
	TCase	*tc = tcase_create("loop");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, test_react, 0, 2);
	tcase_add_test(tc, test_max_iterations);
	tcase_add_test(tc, test_tool_error);
	tcase_add_test(tc, test_schema_valid);
	tcase_add_test(tc, test_schema_repaired);
	tcase_add_test(tc, test_schema_invalid);
	tcase_add_test(tc, test_history_sent);
	tcase_add_test(tc, test_retry);
	tcase_add_test(tc, test_provider_failure);
	tcase_add_test(tc, test_cancel_streaming);
	tcase_add_test(tc, test_http_tool_ssrf);
	suite_add_tcase(s, tc);
	tc = tcase_create("config");
	tcase_add_loop_test(tc, test_bad_config, 0, NITEMS(bad_configs));
	tcase_add_loop_test(tc, test_answer_json, 0, NITEMS(answers));
	tcase_add_loop_test(tc, test_memory_trim_head, 0, NITEMS(windows));
	suite_add_tcase(s, tc);
	return check_run(s);
}
