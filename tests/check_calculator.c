/* check_calculator.c: unit tests of the calculator tool (jobd/tools/calculator.c): values,
 * precedence and associativity, functions, errors for the model, and the limits. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "nitems.h"
#include "tools/tool.h"

static const struct { const char *in; double want; } values[] = {
	{ "1+2*3", 7 }, { "(1+2)*3", 9 }, { "2^3^2", 512 }, { "-2^2", -4 }, { "2^-1", 0.5 },
	{ "10 % 4", 2 }, { "7/2", 3.5 }, { "--3", 3 }, { "+4", 4 }, { " 1.5e3 + .5 ", 1500.5 },
	{ "2E-2", 0.02 }, { "sqrt(16)", 4 }, { "abs(-3.25)", 3.25 }, { "min(4, 2, 9)", 2 },
	{ "max(4,2,9)", 9 }, { "round(2.5)", 3 }, { "floor(-1.5)", -2 }, { "ceil(1.2)", 2 },
	{ "ln(e)", 1 }, { "log10(1000)", 3 }, { "exp(0)", 1 }, { "2*pi", 2 * M_PI },
	{ "(2 + 3) * 4.5", 22.5 }, { "1 - 2 - 3", -4 }, { "100/10/5", 2 }, { "2*(3+(4*(5)))", 46 },
};

START_TEST(test_values)
{
	double	 v = 0;
	char	 err[128] = "";

	ck_assert_msg(calc_eval(values[_i].in, &v, err, sizeof(err)) == 0, "%s: %s",
	    values[_i].in, err);
	ck_assert_msg(fabs(v - values[_i].want) < 1e-9, "%s = %g", values[_i].in, v);
}
END_TEST

static const struct { const char *in, *msg; } errors[] = {
	{ "1/0", "division by zero" }, { "5 % 0", "modulo by zero" }, { "", "1 to" },
	{ "1+", "expected a number" }, { "(1", "expected \")\"" }, { "1)", "unexpected" },
	{ "foo(1)", "unknown function" }, { "x", "unknown name" }, { "sqrt(-1)", "not a number" },
	{ "10^400", "too large" }, { "sqrt(1,2)", "takes 1 argument" }, { "0x10", "unexpected" },
	{ "inf", "unknown name" }, { "nan", "unknown name" }, { "system(\"ls\")", "unknown" },
	{ "1;2", "unexpected" }, { "2e", "unexpected" },
};

START_TEST(test_errors)
{
	double	 v;
	char	 err[128] = "";

	ck_assert_msg(calc_eval(errors[_i].in, &v, err, sizeof(err)) == -1, "%s accepted",
	    errors[_i].in);
	ck_assert_msg(strstr(err, errors[_i].msg) != NULL, "%s: %s", errors[_i].in, err);
}
END_TEST

START_TEST(test_limits)
{
	char	 s[2100], err[128];
	double	 v;
	size_t	 i;

	for (i = 0; i < 100; i++)
		s[i] = '(';
	s[i++] = '1';
	for (; i < 201; i++)
		s[i] = ')';
	s[i] = '\0';
	ck_assert_int_eq(calc_eval(s, &v, err, sizeof(err)), -1);
	ck_assert(strstr(err, "nested") != NULL);
	memset(s, '-', 60);
	strcpy(s + 60, "1");
	ck_assert_int_eq(calc_eval(s, &v, err, sizeof(err)), 0);
	memset(s, '-', 200);
	strcpy(s + 200, "1");
	ck_assert_int_eq(calc_eval(s, &v, err, sizeof(err)), -1);
	memset(s, '1', 2000);
	s[2000] = '\0';
	ck_assert_int_eq(calc_eval(s, &v, err, sizeof(err)), -1);
}
END_TEST

/* The tool's JSON face: integral results print as integers. */
START_TEST(test_tool)
{
	struct tool_call t;
	json_object	*args, *res = NULL;
	char		 err[128];

	memset(&t, 0, sizeof(t));
	args = json_object_new_object();
	json_object_object_add(args, "expression", json_object_new_string("6*7"));
	t.args = args;
	ck_assert_int_eq(tool_impls[TOOL_CALCULATOR]->run(&t, &res, err,
	    sizeof(err)), TOOL_OK);
	ck_assert_str_eq(jsonh_str(res), "{\"result\":42}");
	json_object_put(res);
	json_object_object_add(args, "expression", json_object_new_string("1/4"));
	ck_assert_int_eq(tool_impls[TOOL_CALCULATOR]->run(&t, &res, err,
	    sizeof(err)), TOOL_OK);
	ck_assert_str_eq(jsonh_str(res), "{\"result\":0.25}");
	json_object_put(res);
	json_object_object_del(args, "expression");
	ck_assert_int_eq(tool_impls[TOOL_CALCULATOR]->run(&t, &res, err,
	    sizeof(err)), TOOL_ERROR);
	json_object_put(args);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("calculator");
	TCase	*tc = tcase_create("calc_eval");

	tcase_add_loop_test(tc, test_values, 0, NITEMS(values));
	tcase_add_loop_test(tc, test_errors, 0, NITEMS(errors));
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	tc = tcase_create("tool_calculator_run");
	tcase_add_test(tc, test_tool);
	suite_add_tcase(s, tc);
	return check_run(s);
}
