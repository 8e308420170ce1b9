/* check_expr.c: unit tests of expr.c (jq evaluation and {{ … }} templates). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "expr.h"
#include "jsonh.h"

static const char CTX[] =
	"{\"input\":{\"name\":\"Ada\",\"n\":3},\"in\":{\"name\":\"Ada\",\"output\":{\"name\":\"Ada\"}},"
	"\"greet\":{\"output\":\"Hello\"},\"list\":{\"output\":[1,2,3]},\"nil\":{\"output\":null}}";

/* template, expected JSON of the result (NULL: must fail) */
static const struct { const char *tmpl; const char *want; } renders[] = {
	{ "plain text", "\"plain text\"" },
	{ "", "\"\"" },
	{ "{{ .in.name }}", "\"Ada\"" },
	{ "{{.input.n}}", "3" },
	{ "{{ .list.output }}", "[1,2,3]" },
	{ "{{ .nil.output }}", "null" },
	{ "Hello, {{ .in.name }}!", "\"Hello, Ada!\"" },
	{ "{{ .greet.output }}, {{ .in.output.name }}", "\"Hello, Ada\"" },
	{ "n={{ .input.n + 1 }} l={{ .list.output }}", "\"n=4 l=[1,2,3]\"" },
	{ "[{{ .nil.output }}]", "\"[]\"" },
	{ "{{ .missing }}", "null" },
	{ "x {{ \"a\" + \"b\" }} y", "\"x ab y\"" },
	{ "{{ .in.name | ascii_upcase }}", "\"ADA\"" },
	{ "unclosed {{ .in.name", NULL },
	{ "{{ }}", NULL },
	{ "{{ .in.name | }}", NULL },
	{ "{{ error(\"boom\") }}", NULL },
	{ "{{ .input.n + \"x\" }}", NULL },
};

START_TEST(test_expr_render)
{
	json_object	*ctx = NULL, *out = NULL;
	char		 err[256];
	int		 rc;

	ck_assert_int_eq(jsonh_parse(CTX, strlen(CTX), &ctx, err, sizeof(err)), 0);
	rc = expr_render(renders[_i].tmpl, ctx, &out, err, sizeof(err));
	if (renders[_i].want == NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(out);
		ck_assert(err[0] != '\0');
	} else {
		ck_assert_msg(rc == 0, "%s: %s", renders[_i].tmpl, err);
		ck_assert_str_eq(jsonh_str(out), renders[_i].want);
	}
	json_object_put(out);
	json_object_put(ctx);
}
END_TEST

static const struct { const char *tmpl; int ok; } checks[] = {
	{ "no tags", 0 }, { "{{ .a }} and {{ .b | length }}", 0 }, { "{{ .a", -1 },
	{ "{{ .a | }}", -1 }, { "{{}}", -1 }, { "ok {{ .a }} then {{ .b", -1 },
};

START_TEST(test_expr_template_check)
{
	char	 err[256];

	ck_assert_int_eq(expr_template_check(checks[_i].tmpl, err, sizeof(err)), checks[_i].ok);
}
END_TEST

START_TEST(test_expr_eval)
{
	json_object	*in = json_object_new_object(), *out = NULL;
	char		 err[256];

	json_object_object_add(in, "a", json_object_new_int(20));
	ck_assert_int_eq(expr_eval(".a * 2 + 2", in, &out, err, sizeof(err)), 0);
	ck_assert_int_eq(json_object_get_int(out), 42);
	json_object_put(out);
	/* no result at all is null */
	ck_assert_int_eq(expr_eval("empty", in, &out, err, sizeof(err)), 0);
	ck_assert_ptr_null(out);
	/* a NULL input is JSON null */
	ck_assert_int_eq(expr_eval(". == null", NULL, &out, err, sizeof(err)), 0);
	ck_assert(json_object_get_boolean(out));
	json_object_put(out);
	json_object_put(in);
}
END_TEST

START_TEST(test_expr_cache)
{
	char	 err[256], prog[64];
	int	 i;

	/* More distinct programs than the cache holds: it must start over and go on. */
	expr_cache_set_limit(8);
	for (i = 0; i < 20; i++) {
		snprintf(prog, sizeof(prog), ".a + %d", i);
		ck_assert_int_eq(expr_check(prog, err, sizeof(err)), 0);
	}
	ck_assert_int_eq(expr_check(".a + 5", err, sizeof(err)), 0);
	expr_cache_clear();
	expr_cache_set_limit(1024);
}
END_TEST

START_TEST(test_expr_too_long)
{
	char	*prog = malloc(EXPR_MAX_PROGRAM + 2), err[128];

	memset(prog, ' ', EXPR_MAX_PROGRAM + 1);
	prog[0] = '.';
	prog[EXPR_MAX_PROGRAM + 1] = '\0';
	ck_assert_int_eq(expr_check(prog, err, sizeof(err)), -1);
	ck_assert(strstr(err, "longer") != NULL);
	free(prog);
}
END_TEST

/* program, 0 when allowed, -1 when refused by the safety scan or the compiler */
static const struct { const char *prog; int ok; } safety[] = {
	{ ".a | length", 0 },
	{ "[.. | numbers] | add", 0 },
	{ "\"range\" + \"while\"", 0 },			/* words inside strings are text */
	{ "\"x \\(.a) y\"", 0 },
	{ "\"\\\"def\\\"\"", 0 },			/* escaped quotes stay in the string */
	{ "[range(10)]", -1 },
	{ "def f: f; f", -1 },
	{ "recurse(. + 1)", -1 },
	{ "1 | while(true; .)", -1 },
	{ "until(false; .)", -1 },
	{ "repeat(.)", -1 },
	{ "env.FRAGENT_DATABASE_URL", -1 },
	{ "$ENV", -1 },
	{ "input", -1 },
	{ "[inputs]", -1 },
	{ "\"\\(range(1e9))\"", -1 },			/* code inside an interpolation */
	{ "\"a\\(\"b\\(env)\")\"", -1 },		/* nested interpolation */
	{ "[.[] | combinations]", -1 },
	{ "# range in a comment\n.a", 0 },
	{ "import \"x\" as x; .", -1 },
	{ ".input.env + .range", 0 },			/* fields, not calls */
	{ "{input: 1, env: 2}", 0 },			/* object keys */
};

START_TEST(test_expr_safety)
{
	char	 err[256];

	err[0] = '\0';
	ck_assert_msg(expr_check(safety[_i].prog, err, sizeof(err)) == safety[_i].ok,
	    "%s: %s", safety[_i].prog, err);
}
END_TEST

static void
teardown(void)
{
	expr_cache_clear();
}

int
main(void)
{
	Suite	*s = suite_create("expr");
	TCase	*tc = tcase_create("expr_render");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_render, 0, sizeof(renders) / sizeof(renders[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_template_check");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_template_check, 0, sizeof(checks) / sizeof(checks[0]));
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_eval");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_expr_eval);
	tcase_add_test(tc, test_expr_cache);
	tcase_add_test(tc, test_expr_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_safety");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_safety, 0, sizeof(safety) / sizeof(safety[0]));
	suite_add_tcase(s, tc);
	return check_run(s);
}
