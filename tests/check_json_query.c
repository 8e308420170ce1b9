/* check_json_query.c: unit tests of the json_query tool (jobd/tools/json_query.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "expr.h"
#include "jsonh.h"
#include "tools/tool.h"

static const struct { const char *args, *want; int ok; } cases[] = {
	{ "{\"query\":\".items | length\",\"document\":{\"items\":[1,2,3]}}",
	  "{\"results\":[3]}", 1 },
	{ "{\"query\":\".items[]\",\"document\":{\"items\":[1,2]}}", "{\"results\":[1,2]}", 1 },
	{ "{\"query\":\"empty\",\"document\":null}", "{\"results\":[]}", 1 },
	{ "{\"query\":\".a # a comment\",\"document\":{\"a\":\"x\"}}", "{\"results\":[\"x\"]}", 1 },
	{ "{\"query\":\".a\",\"document\":\"{\\\"a\\\": 5}\"}", "{\"results\":[5]}", 1 },
	{ "{\"query\":\"ascii_downcase\",\"document\":\"ABC\"}", "{\"results\":[\"abc\"]}", 1 },
	{ "{\"query\":\".a.b.\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"env\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"def f: f; f\",\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"range(1e9)\",\"document\":{}}", NULL, 0 },
	{ "{\"document\":{}}", NULL, 0 },
	{ "{\"query\":\"error(\\\"boom\\\")\",\"document\":{}}", NULL, 0 },
};

START_TEST(test_query)
{
	struct tool_call t;
	json_object	*res = NULL;
	char		 err[256] = "";
	enum tool_rc	 rc;

	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(jsonh_parse(cases[_i].args, strlen(cases[_i].args), &t.args, err,
	    sizeof(err)), 0);
	rc = tool_json_query_run(&t, &res, err, sizeof(err));
	if (cases[_i].ok) {
		ck_assert_msg(rc == TOOL_OK, "%s: %s", cases[_i].args, err);
		ck_assert_str_eq(jsonh_str(res), cases[_i].want);
	} else {
		ck_assert_msg(rc == TOOL_ERROR, "%s accepted", cases[_i].args);
		ck_assert(err[0] != '\0');
	}
	json_object_put(res);
	json_object_put(t.args);
	expr_cache_clear();
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("json_query");
	TCase	*tc = tcase_create("tool_json_query_run");

	tcase_add_loop_test(tc, test_query, 0, sizeof(cases) / sizeof(cases[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
