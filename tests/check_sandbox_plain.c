/* check_sandbox_plain.c: unit tests of jobd/sandbox_plain.c against jq itself: every item it
 * answers must equal what the helper would answer (expr_eval / expr_render, dumped by jq and
 * read back by json-c as jobd reads a helper's answer), and every item whose answer could
 * differ (numbers, objects, arrays, text that is not UTF-8, jq errors, keywords, anything
 * but a plain path) must be left to the helper. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <jv.h>

#include "check_run.h"
#include "expr.h"
#include "jsonh.h"
#include "nitems.h"
#include "sandbox_plain.h"

enum side {
	PLAIN,		/* answered in jobd, as the helper would */
	HELPER,		/* left to the helper */
};

static const char CTX[] =
	"{\"input\":{\"message\":\"hi\",\"n\":42,\"neg\":-7,\"yes\":true,\"no\":false,"
	"\"nil\":null,\"half\":1.5,\"big\":9007199254740993,\"huge\":18446744073709551615,"
	"\"edge\":9007199254740992,\"list\":[1,2],\"obj\":{\"k\":\"v\"},"
	"\"text\":\"h\\u00e9llo \\u0000 \\\"q\\\" \\\\ / \\n\\t \\ud83d\\ude00\","
	"\"a1_b\":{\"c\":\"deep\"},\"if\":\"kw\",\"_x\":\"internal\"},"
	"\"agent\":{\"output\":\"Paris\"}}";

static const struct { int tmpl; const char *text; enum side want; } items[] = {
	/* programs: a plain path, perhaps between blanks */
	{ 0, ".input.message", PLAIN },
	{ 0, " .input.message\n", PLAIN },
	{ 0, ".input.n", PLAIN },
	{ 0, ".input.neg", PLAIN },
	{ 0, ".input.edge", PLAIN },
	{ 0, ".input.yes", PLAIN },
	{ 0, ".input.nil", PLAIN },
	{ 0, ".input.missing", PLAIN },
	{ 0, ".missing.deeper.still", PLAIN },
	{ 0, ".input.nil.x", PLAIN },
	{ 0, ".input.text", PLAIN },
	{ 0, ".input.a1_b.c", PLAIN },
	/* numbers jq may write otherwise, containers, errors, keywords, other programs */
	{ 0, ".input.half", HELPER },
	{ 0, ".input.big", HELPER },
	{ 0, ".input.huge", HELPER },
	{ 0, ".input.list", HELPER },
	{ 0, ".input.obj", HELPER },
	{ 0, ".input", HELPER },
	{ 0, ".", HELPER },
	{ 0, ".input.message.x", HELPER },
	{ 0, ".input.list.x", HELPER },
	{ 0, ".input.if", HELPER },
	{ 0, ".input._x", HELPER },
	{ 0, ".input .message", HELPER },
	{ 0, ".input.message | length", HELPER },
	{ 0, ".input[\"message\"]", HELPER },
	{ 0, ".\"input\"", HELPER },
	{ 0, "..", HELPER },
	{ 0, ".1", HELPER },
	{ 0, "", HELPER },
	{ 0, "42", HELPER },
	/* templates: one tag keeps the value's type */
	{ 1, "{{ .input.message }}", PLAIN },
	{ 1, "{{.input.message}}", PLAIN },
	{ 1, "{{ .input.n }}", PLAIN },
	{ 1, "{{ .input.no }}", PLAIN },
	{ 1, "{{ .input.nil }}", PLAIN },
	{ 1, "{{ .agent.output }}", PLAIN },
	{ 1, "{{ .input.text }}", PLAIN },
	{ 1, "{{ .input.list }}", HELPER },
	{ 1, "{{ .input.half }}", HELPER },
	/* text and tags */
	{ 1, "Hello, {{ .input.message }}! You are {{ .input.n }} ({{ .input.yes }}).", PLAIN },
	{ 1, "[{{ .input.nil }}|{{ .input.missing }}|{{ .input.neg }}]", PLAIN },
	{ 1, "quoted {{ .input.text }} end", PLAIN },
	{ 1, "no tags at all, \"quotes\" and é", PLAIN },
	{ 1, "", PLAIN },
	{ 1, "{{ .input.message }}{{ .agent.output }}", PLAIN },
	{ 1, "a } b { c }} d", PLAIN },
	{ 1, "x {{ .input.obj }}", HELPER },
	{ 1, "x {{ .input.half }}", HELPER },
	{ 1, "x {{ .input.big }}", HELPER },
	{ 1, "x {{ .input.message.y }}", HELPER },
	{ 1, "x {{ .input.message | ascii_upcase }}", HELPER },
	{ 1, "x {{ . }}", HELPER },
	{ 1, "x {{ }}", HELPER },
	{ 1, "x {{ .input.message", HELPER },
	{ 1, "x {{ .input.if }}", HELPER },
	{ 1, "\xff {{ .input.message }}", HELPER },
	{ 1, "{{ .input.message }} \xc3", HELPER },
};

/* The helper's answer: jq's value dumped by jq and read back by json-c, as jobd reads it.
 * Returns 0 with it in "*out", or -1 when jq fails. */
static int
jq_answer(int tmpl, const char *text, json_object **out)
{
	jv	 ctx = jv_parse(CTX), v, d;
	char	 err[256];
	int	 rc;

	rc = tmpl ? expr_render(text, ctx, &v, err, sizeof(err)) :
	    expr_eval(text, ctx, &v, err, sizeof(err));
	jv_free(ctx);
	if (rc == -1)
		return -1;
	d = jv_dump_string(v, 0);
	*out = json_tokener_parse(jv_string_value(d));
	jv_free(d);
	return 0;
}

START_TEST(test_plain_as_jq)
{
	json_object	*ctx = json_tokener_parse(CTX), *mine = NULL, *theirs = NULL;
	const char	*text = items[_i].text;
	size_t		 room = SANDBOX_PLAIN_ROOM;
	int		 rc;

	ck_assert_ptr_nonnull(ctx);
	rc = sandbox_plain(ctx, items[_i].tmpl ? SANDBOX_TEMPLATE : SANDBOX_EXPR, text, &room,
	    &mine);
	ck_assert_msg(rc == (items[_i].want == PLAIN ? 0 : -1), "%s: answered %s", text,
	    rc == 0 ? "in jobd" : "by the helper");
	if (rc == 0) {
		ck_assert_msg(jq_answer(items[_i].tmpl, text, &theirs) == 0,
		    "%s: jq fails where jobd answered", text);
		ck_assert_msg(json_object_equal(mine, theirs), "%s: jobd %s, jq %s", text,
		    jsonh_str(mine), jsonh_str(theirs));
	}
	json_object_put(mine);
	json_object_put(theirs);
	json_object_put(ctx);
}
END_TEST

/* The answer is a copy: changing it leaves the context alone. */
START_TEST(test_plain_copies)
{
	json_object	*ctx = json_tokener_parse(CTX), *v = NULL;

	size_t		 room = SANDBOX_PLAIN_ROOM;

	ck_assert_int_eq(sandbox_plain(ctx, SANDBOX_EXPR, ".agent.output", &room, &v), 0);
	json_object_set_string(v, "changed");
	ck_assert_str_eq(json_object_get_string(json_object_object_get(
	    json_object_object_get(ctx, "agent"), "output")), "Paris");
	json_object_put(v);
	json_object_put(ctx);
}
END_TEST

/* A context that is not an object: a field of null is null, of anything else jq's error. */
START_TEST(test_plain_scalar_context)
{
	json_object	*v = NULL, *s = json_object_new_string("x");
	size_t		 room = SANDBOX_PLAIN_ROOM;

	ck_assert_int_eq(sandbox_plain(NULL, SANDBOX_EXPR, ".a.b", &room, &v), 0);
	ck_assert_ptr_null(v);
	ck_assert_int_eq(sandbox_plain(s, SANDBOX_EXPR, ".a", &room, &v), -1);
	ck_assert_int_eq(sandbox_plain(s, SANDBOX_TEMPLATE, "{{ .a }}", &room, &v), -1);
	json_object_put(s);
}
END_TEST

/* The compiled programs jq_answer left in the thread's cache. */
static void
teardown(void)
{
	expr_cache_clear();
}

/* The answers of one request take room: what does not fit is left to the helper, which
 * holds the limit of a whole answer. */
START_TEST(test_plain_room)
{
	json_object	*ctx = json_tokener_parse(CTX), *v = NULL;
	size_t		 room = 12;

	ck_assert_int_eq(sandbox_plain(ctx, SANDBOX_EXPR, ".agent.output", &room, &v), 0);
	json_object_put(v);
	ck_assert_uint_eq(room, 7);
	ck_assert_int_eq(sandbox_plain(ctx, SANDBOX_TEMPLATE, "{{ .agent.output }}!", &room, &v),
	    0);
	json_object_put(v);
	ck_assert_uint_eq(room, 1);
	ck_assert_int_eq(sandbox_plain(ctx, SANDBOX_EXPR, ".agent.output", &room, &v), -1);
	ck_assert_int_eq(sandbox_plain(ctx, SANDBOX_EXPR, ".input.n", &room, &v), -1);
	ck_assert_uint_eq(room, 1);
	json_object_put(ctx);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sandbox_plain");
	TCase	*tc = tcase_create("sandbox_plain");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, test_plain_as_jq, 0, NITEMS(items));
	tcase_add_test(tc, test_plain_copies);
	tcase_add_test(tc, test_plain_scalar_context);
	tcase_add_test(tc, test_plain_room);
	suite_add_tcase(s, tc);
	return check_run(s);
}
