/* check_expr.c: unit tests of expr.c: the deny rules on every variant of reaching outside the
 * document, the compile-free and compiling checks, {{ … }} templates and evaluation. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "expr.h"
#include "nitems.h"

static const char CTX[] =
	"{\"input\":{\"name\":\"Ada\",\"n\":3},\"in\":{\"name\":\"Ada\",\"output\":{\"name\":\"Ada\"}},"
	"\"greet\":{\"output\":\"Hello\"},\"list\":{\"output\":[1,2,3]},\"nil\":{\"output\":null}}";

/* What a check must answer. */
enum want {
	OK,		/* passes the syntax check and compiles */
	DENIED,		/* refused by the deny rules ("not allowed") */
	SYNTAX,		/* refused by the lexer (message with an offset) */
	COMPILE,	/* passes the syntax check, jq refuses to compile it */
};

static const struct { const char *prog; enum want want; } denies[] = {
	/* allowed: fields, keys, strings and comments that only look like denied names */
	{ ".a | length", OK },
	{ ".env", OK },
	{ ".input.env + .range", OK },
	{ ".[\"env\"]", OK },
	{ ".\"env\"", OK },
	{ "{env: 1}", OK },
	{ "{\"env\": 1}", OK },
	{ "{input: 1, env: 2, debug: 3}", OK },
	{ "{a: 1, env}", OK },
	{ "{env}", OK },
	{ "{import: 1, include: 2, __loc__: 3}", OK },
	{ ". as {env: $e} | $e", OK },
	{ "\"env $ENV input\"", OK },
	{ "\"\\\"env\\\"\"", OK },
	{ "# env $ENV input\n.a", OK },
	{ "$env", COMPILE },			/* a variable named env is not $ENV */
	{ ". as $env | $env", OK },
	{ "._private", OK },
	{ "{_id: 1}", OK },
	{ ". as $_x | $_x", OK },
	{ "@base64d", OK },
	{ "@text \"\\(.a)\"", OK },
	{ "envelope", COMPILE },		/* a longer name is another name */
	/* loops: the sandbox bounds them */
	{ "[range(10)]", OK },
	{ "def f: f; f", OK },
	{ "recurse(. + 1)", OK },
	{ "1 | while(true; .)", OK },
	{ "until(false; .)", OK },
	{ "repeat(.)", OK },
	{ "[.[] | combinations]", OK },
	{ "[limit(3; repeat(1))]", OK },
	{ "[.. | numbers]", OK },
	{ "def f(g): g | g; f(. + 1)", OK },
	/* the environment */
	{ "env", DENIED },
	{ "env.FRAGENT_DATABASE_URL", DENIED },
	{ "env | .X", DENIED },
	{ "$ENV", DENIED },
	{ "$ENV.FRAGENT_JWT_KEY", DENIED },
	{ "$ ENV", DENIED },
	{ "$\tENV", DENIED },
	{ "$\nENV", DENIED },
	{ "$ # a comment\n ENV", DENIED },
	{ "{$ENV}", DENIED },
	{ "{a: $ENV}", DENIED },
	{ "{a: env}", DENIED },
	{ "{a: 1 | env}", DENIED },
	{ "{(env | tostring): 1}", DENIED },
	{ "{\"a\": 1, b: env}", DENIED },
	{ ".[env:1]", DENIED },
	{ ".[env]", DENIED },
	{ "[env]", DENIED },
	{ "\"\\(env)\"", DENIED },
	{ "\"\\($ENV)\"", DENIED },
	{ "\"a\\(\"b\\(env)\")\"", DENIED },
	{ "@text \"\\($ENV)\"", DENIED },
	{ "@base64 \"\\(env)\"", DENIED },
	{ "# hidden\nenv", DENIED },
	{ "1 # x\n| env", DENIED },
	{ "def env: 1; env", DENIED },
	{ "def f($ENV): $ENV; f(1)", DENIED },
	{ ". as $ENV | $ENV", DENIED },
	{ "reduce env as $x (0; .)", DENIED },
	{ ". as [$a] ?// $ENV | 1", DENIED },
	{ "{a: 1, env: if true then env else 1 end}", DENIED },
	{ "[.[] | {env: 1}, env]", DENIED },
	/* files, standard input and the program's location */
	{ "input", DENIED },
	{ "[inputs]", DENIED },
	{ "input_filename", DENIED },
	{ "input_line_number", DENIED },
	{ "$__loc__", DENIED },
	{ "$ __loc__", DENIED },
	{ "{$__loc__}", DENIED },
	{ "$__prog_args", DENIED },
	{ "get_search_list", DENIED },
	{ "get_jq_origin", DENIED },
	{ "get_prog_origin", DENIED },
	{ "modulemeta", DENIED },
	{ "\"x\" | modulemeta", DENIED },
	{ "import \"a\" as a; .", DENIED },
	{ "include \"a\"; .", DENIED },
	{ "import \"a\" as $a; $a", DENIED },
	{ "module {}; .", DENIED },
	{ "a::f", DENIED },
	{ "$a::x", DENIED },
	/* writing and stopping */
	{ "debug", DENIED },
	{ "stderr", DENIED },
	{ "halt", DENIED },
	{ "halt_error", DENIED },
	{ "halt_error(1)", DENIED },
	{ ".a | debug | .b", DENIED },
	/* internals */
	{ "_match_impl(\"a\"; null; false)", DENIED },
	{ "_plus(1; 2)", DENIED },
	{ "def _f: 1; _f", DENIED },

	/* lexical errors: refused before jq sees them */
	{ "\"x", SYNTAX },
	{ "{\"x\\234", SYNTAX },
	{ "\"\\(1", SYNTAX },
	{ "(.a", SYNTAX },
	{ ".a)", SYNTAX },
	{ "[1}", SYNTAX },
	{ "\"\\q\"", SYNTAX },
	{ "1 ! 2", SYNTAX },
	{ "$", SYNTAX },
	{ "1 # x\r| 2", SYNTAX },
	/* syntax the lexer accepts and jq refuses */
	{ ".a |", COMPILE },
	{ "[1,]", COMPILE },
	{ "{a: if . then 1 else 2 end}", COMPILE },
	{ "...", COMPILE },
};

START_TEST(test_expr_deny)
{
	char	 err[512] = "";
	int	 syn, comp;

	syn = expr_syntax_check(denies[_i].prog, err, sizeof(err));
	switch (denies[_i].want) {
	case OK:
	case COMPILE:
		ck_assert_msg(syn == 0, "%s: %s", denies[_i].prog, err);
		comp = expr_check(denies[_i].prog, EXPR_COMPILE, err, sizeof(err));
		ck_assert_msg(comp == (denies[_i].want == OK ? 0 : -1), "%s: compile %d %s",
		    denies[_i].prog, comp, err);
		break;
	case DENIED:
		ck_assert_msg(syn == -1 && strstr(err, "not allowed") != NULL, "%s: %d %s",
		    denies[_i].prog, syn, err);
		ck_assert_int_eq(expr_check(denies[_i].prog, EXPR_COMPILE, err, sizeof(err)), -1);
		break;
	case SYNTAX:
		ck_assert_msg(syn == -1 && strstr(err, "at offset") != NULL, "%s: %d %s",
		    denies[_i].prog, syn, err);
		ck_assert_int_eq(expr_check(denies[_i].prog, EXPR_COMPILE, err, sizeof(err)), -1);
		break;
	}
}
END_TEST

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
	{ "{{ [.list.output[] * 2] }}", "[2,4,6]" },
	{ "{{ [range(3)] }}", "[0,1,2]" },
	{ "unclosed {{ .in.name", NULL },
	{ "{{ }}", NULL },
	{ "{{ .in.name | }}", NULL },
	{ "{{ error(\"boom\") }}", NULL },
	{ "{{ .input.n + \"x\" }}", NULL },
	{ "{{ $ENV }}", NULL },
	{ "a {{ \"\\(env)\" }} b", NULL },
};

START_TEST(test_expr_render)
{
	jv	 ctx = jv_parse(CTX), out, d;
	char	 err[256] = "";
	int	 rc;

	rc = expr_render(renders[_i].tmpl, ctx, &out, err, sizeof(err));
	if (renders[_i].want == NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert(err[0] != '\0');
	} else {
		ck_assert_msg(rc == 0, "%s: %s", renders[_i].tmpl, err);
		d = jv_dump_string(out, 0);
		ck_assert_str_eq(jv_string_value(d), renders[_i].want);
		jv_free(d);
	}
	jv_free(ctx);
}
END_TEST

/* template, result in each mode (0 or -1): the syntax mode passes what only a compile finds */
static const struct { const char *tmpl; int syntax, compile; } checks[] = {
	{ "no tags", 0, 0 },
	{ "{{ .a }} and {{ .b | length }}", 0, 0 },
	{ "{{ .a", -1, -1 },
	{ "{{ .a | }}", 0, -1 },
	{ "{{}}", -1, -1 },
	{ "ok {{ .a }} then {{ .b", -1, -1 },
	{ "{{ env }}", -1, -1 },
	{ "{{ \"\\($ ENV)\" }}", -1, -1 },
	/* the leak input of the template fuzz harness: an unterminated string in a tag */
	{ "def.a !|\377\377\377\377f\377\377\377\377| add }\306\201b\021r:1{{ {\"x\234 }}", -1, -1 },
};

START_TEST(test_expr_template_check)
{
	char	 err[256];

	ck_assert_int_eq(expr_template_check(checks[_i].tmpl, EXPR_SYNTAX, err, sizeof(err)),
	    checks[_i].syntax);
	ck_assert_int_eq(expr_template_check(checks[_i].tmpl, EXPR_COMPILE, err, sizeof(err)),
	    checks[_i].compile);
}
END_TEST

START_TEST(test_expr_eval)
{
	jv	 in = jv_parse("{\"a\": 20}"), out;
	char	 err[256];

	ck_assert_int_eq(expr_eval(".a * 2 + 2", in, &out, err, sizeof(err)), 0);
	ck_assert(jv_number_value(out) == 42);
	jv_free(out);
	/* no result at all is null */
	ck_assert_int_eq(expr_eval("empty", in, &out, err, sizeof(err)), 0);
	ck_assert_int_eq(jv_get_kind(out), JV_KIND_NULL);
	/* the first result only */
	ck_assert_int_eq(expr_eval(".a, 1", in, &out, err, sizeof(err)), 0);
	ck_assert(jv_number_value(out) == 20);
	jv_free(out);
	/* an error with a non-string value is shown as JSON */
	ck_assert_int_eq(expr_eval("error({a: 1})", in, &out, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "jq error: {\"a\":1}");
	ck_assert_int_eq(expr_eval("env", in, &out, err, sizeof(err)), -1);
	ck_assert(strstr(err, "not allowed") != NULL);
	jv_free(in);
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
		ck_assert_int_eq(expr_check(prog, EXPR_COMPILE, err, sizeof(err)), 0);
	}
	ck_assert_int_eq(expr_check(".a + 5", EXPR_COMPILE, err, sizeof(err)), 0);
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
	ck_assert_int_eq(expr_syntax_check(prog, err, sizeof(err)), -1);
	ck_assert(strstr(err, "longer") != NULL);
	ck_assert_int_eq(expr_check(prog, EXPR_COMPILE, err, sizeof(err)), -1);
	prog[EXPR_MAX_PROGRAM] = '\0';
	ck_assert_int_eq(expr_syntax_check(prog, err, sizeof(err)), 0);
	free(prog);
}
END_TEST

/* A rendered text past EXPR_MAX_RESULT fails instead of growing. */
START_TEST(test_expr_render_cap)
{
	jv	 ctx = jv_null(), out;
	char	 err[256];

	ck_assert_int_eq(expr_render("a{{ \"xxxxxxxx\" * 1100000 }}", ctx, &out, err,
	    sizeof(err)), -1);
	ck_assert(strstr(err, "larger than") != NULL);
	jv_free(ctx);
}
END_TEST

static void
teardown(void)
{
	expr_cache_clear();
}

/* Programs checked together: ones that compile whatever their neighbours (definitions,
 * comments, variables, formats), ones that do not alone, ones the syntax check refuses. */
static const struct { const char *program; int rc; } batch[] = {
	{ ".a.b", 0 },
	{ "def f: 1; f + 1", 0 },
	{ ". as $x | $x # a comment to the end of the line", 0 },
	{ "reduce range(3) as $i (0; . + $i)", 0 },
	{ "@base64 \"\\(.a)\"", 0 },
	{ "f", -1 },			/* f is defined by another program only */
	{ "$x", -1 },			/* so is $x */
	{ ".a |", -1 },
	{ "1 +", -1 },
	{ "$ENV.SECRET", -1 },		/* refused before any compile */
	{ "\"open", -1 },
	{ "[.[] | select(.n > 1)]", 0 },
};

START_TEST(test_expr_check_batch)
{
	struct expr_item	 items[NITEMS(batch)];
	size_t			 n = NITEMS(batch), i, compiles;

	memset(items, 0, sizeof(items));
	for (i = 0; i < n; i++) {
		items[i].program = batch[i].program;
		items[i].tag = i;
	}
	compiles = expr_check_batch(items, n, 64);
	for (i = 0; i < n; i++) {
		ck_assert_msg(items[i].rc == batch[items[i].tag].rc, "%s: rc %d (%s)",
		    items[i].program, items[i].rc, items[i].err);
		if (items[i].rc == -1)
			ck_assert_str_ne(items[i].err, "");
	}
	/* 10 pass the syntax check, 4 of them fail: each failing one costs at most a compile
	 * per halving (log2 10 < 4) and its sibling's, plus the first. */
	ck_assert_uint_le(compiles, 1 + 4 * 2 * 4);
}
END_TEST

/* Many valid programs cost one compile, and none the next time; past the budget, what is left is "not checked". */
START_TEST(test_expr_check_batch_budget)
{
	struct expr_item	 items[200];
	char			 text[200][32];
	size_t			 i, unchecked = 0;

	memset(items, 0, sizeof(items));
	for (i = 0; i < 200; i++) {
		snprintf(text[i], sizeof(text[i]), ".a%zu + %zu", i, i);
		items[i].program = text[i];
		items[i].tag = i;
	}
	ck_assert_uint_eq(expr_check_batch(items, 200, 64), 1);
	/* Seen to compile: a later batch of them compiles nothing. */
	ck_assert_uint_eq(expr_check_batch(items, 200, 64), 0);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(items[i].rc, 0);
		snprintf(text[i], sizeof(text[i]), "undefined_%zu", i);	/* each fails */
	}
	ck_assert_uint_eq(expr_check_batch(items, 200, 5), 5);
	for (i = 0; i < 200; i++) {
		ck_assert_int_ne(items[i].rc, 0);
		unchecked += items[i].rc == -2;
	}
	ck_assert_uint_gt(unchecked, 100);
}
END_TEST

/* The items keep their order whatever an earlier batch compiled: the same definition gets
 * its errors in the same order (found by fuzz_wf_struct: a second check of the same
 * definition listed them the other way round). */
START_TEST(test_expr_check_batch_order)
{
	static const char *const programs[] = { "nosuch_first", ".kept + 1", "nosuch_second" };
	struct expr_item	 items[3];
	int			 round;
	size_t			 i;

	for (round = 0; round < 2; round++) {
		memset(items, 0, sizeof(items));
		for (i = 0; i < 3; i++) {
			items[i].program = programs[i];
			items[i].tag = i;
		}
		/* The second round knows ".kept + 1" compiles: only the others are compiled. */
		expr_check_batch(items, 3, 64);
		for (i = 0; i < 3; i++) {
			ck_assert_str_eq(items[i].program, programs[i]);
			ck_assert_uint_eq(items[i].tag, i);
			ck_assert_int_eq(items[i].rc, i == 1 ? 0 : -1);
		}
		ck_assert_msg(strstr(items[0].err, "nosuch_first") != NULL, "%s", items[0].err);
		ck_assert_msg(strstr(items[2].err, "nosuch_second") != NULL, "%s", items[2].err);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("expr");
	TCase	*tc = tcase_create("expr_syntax_check");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_deny, 0, NITEMS(denies));
	tcase_add_test(tc, test_expr_too_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_render");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_render, 0, NITEMS(renders));
	tcase_add_test(tc, test_expr_render_cap);
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_template_check");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_expr_template_check, 0, NITEMS(checks));
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_eval");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_expr_eval);
	tcase_add_test(tc, test_expr_cache);
	suite_add_tcase(s, tc);
	tc = tcase_create("expr_check_batch");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_expr_check_batch);
	tcase_add_test(tc, test_expr_check_batch_budget);
	tcase_add_test(tc, test_expr_check_batch_order);
	suite_add_tcase(s, tc);
	return check_run(s);
}
