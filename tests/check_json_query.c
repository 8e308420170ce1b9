/* check_json_query.c: unit tests of the json_query tool (jobd/tools/json_query.c), which runs
 * the model's jq program in the worker's sandbox (the real helper, SANDBOX_BIN). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/event.h>

#include "check_run.h"

#include "jsonh.h"
#include "nitems.h"
#include "nodes/node.h"
#include "sandbox.h"
#include "tools/tool.h"

static const struct { const char *args, *want; int ok; } cases[] = {
	{ "{\"query\":\".items | length\",\"document\":{\"items\":[1,2,3]}}",
	  "{\"results\":[3]}", 1 },
	{ "{\"query\":\".items[]\",\"document\":{\"items\":[1,2]}}", "{\"results\":[1,2]}", 1 },
	{ "{\"query\":\"empty\",\"document\":null}", "{\"results\":[]}", 1 },
	{ "{\"query\":\".a # a comment\",\"document\":{\"a\":\"x\"}}", "{\"results\":[\"x\"]}", 1 },
	{ "{\"query\":\".a\",\"document\":\"{\\\"a\\\": 5}\"}", "{\"results\":[5]}", 1 },
	{ "{\"query\":\"ascii_downcase\",\"document\":\"ABC\"}", "{\"results\":[\"abc\"]}", 1 },
	{ "{\"query\":\"[range(3)]\",\"document\":{}}", "{\"results\":[[0,1,2]]}", 1 },
	{ "{\"query\":\".a.b.\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"env\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"$ ENV\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"def f: f; f\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"range(1e9)\",\"document\":{}}", NULL, 0 },
	{ "{\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"error(\\\"boom\\\")\",\"document\":{}}", NULL, 0 },
};

struct answer {
	int		 called;
	json_object	*result;
	char		 err[256];
};

static void
on_done(struct tool_call *t, json_object *result, const char *err)
{
	struct answer	*a = t->owner;

	a->called++;
	a->result = result;
	snprintf(a->err, sizeof(a->err), "%s", err ? err : "");
}

START_TEST(test_query)
{
	struct sandbox_conf	 conf = { getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") :
				    "jobd/fragent-sandbox", 128, 500, 4, 50, 0 };
	struct event_base	*base = event_base_new();
	struct node_env		 env;
	struct tool_call	 t;
	struct answer		 a;
	json_object		*res = NULL;
	char			 err[256] = "";
	enum tool_rc		 rc;

	memset(&env, 0, sizeof(env));
	memset(&a, 0, sizeof(a));
	env.base = base;
	ck_assert_msg((env.sandbox = sandbox_pool_new(base, &conf, err, sizeof(err))) != NULL,
	    "%s", err);
	memset(&t, 0, sizeof(t));
	t.env = &env;
	t.done = on_done;
	t.owner = &a;
	ck_assert_int_eq(jsonh_parse(cases[_i].args, strlen(cases[_i].args), &t.args, err,
	    sizeof(err)), 0);
	rc = tool_impls[TOOL_JSON_QUERY]->run(&t, &res, err, sizeof(err));
	if (rc == TOOL_PENDING) {
		while (!a.called)
			event_base_loop(base, EVLOOP_ONCE);
		res = a.result;
		rc = a.err[0] ? TOOL_ERROR : TOOL_OK;
		snprintf(err, sizeof(err), "%s", a.err);
	}
	if (cases[_i].ok) {
		ck_assert_msg(rc == TOOL_OK, "%s: %s", cases[_i].args, err);
		ck_assert_str_eq(jsonh_str(res), cases[_i].want);
	} else {
		ck_assert_msg(rc == TOOL_ERROR, "%s accepted", cases[_i].args);
		ck_assert(err[0] != '\0');
	}
	json_object_put(res);
	json_object_put(t.args);
	sandbox_pool_free(env.sandbox);
	event_base_free(base);
}
END_TEST

/* Aborted while the sandbox runs it: no answer comes. */
START_TEST(test_abort)
{
	struct sandbox_conf	 conf = { getenv("SANDBOX_BIN") ? getenv("SANDBOX_BIN") :
				    "jobd/fragent-sandbox", 128, 2000, 4, 50, 0 };
	struct event_base	*base = event_base_new();
	struct timeval		 tv = { 0, 300000 };
	struct node_env		 env;
	struct tool_call	 t;
	struct answer		 a;
	char			 err[256];

	memset(&env, 0, sizeof(env));
	memset(&a, 0, sizeof(a));
	env.base = base;
	ck_assert_ptr_nonnull(env.sandbox = sandbox_pool_new(base, &conf, err, sizeof(err)));
	memset(&t, 0, sizeof(t));
	t.env = &env;
	t.done = on_done;
	t.owner = &a;
	t.args = json_tokener_parse("{\"query\":\"last(range(1e12))\",\"document\":{}}");
	ck_assert_int_eq(tool_impls[TOOL_JSON_QUERY]->run(&t, NULL, err, sizeof(err)),
	    TOOL_PENDING);
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	tool_impls[TOOL_JSON_QUERY]->abort(&t);
	ck_assert_ptr_null(t.priv);
	tv.tv_usec = 100000;
	event_base_loopexit(base, &tv);
	event_base_dispatch(base);
	ck_assert_int_eq(a.called, 0);
	json_object_put(t.args);
	sandbox_pool_free(env.sandbox);
	event_base_free(base);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("json_query");
	TCase	*tc = tcase_create("tool_json_query_run");

	tcase_set_timeout(tc, 20);
	tcase_add_loop_test(tc, test_query, 0, NITEMS(cases));
	tcase_add_test(tc, test_abort);
	suite_add_tcase(s, tc);
	return check_run(s);
}
