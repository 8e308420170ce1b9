/* check_jqlex.c: unit tests of jqlex.c, the jq 1.6 lexer: each program's tokens, as kinds and
 * texts, against what jq's own lexer makes of it. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "check_run.h"
#include "jqlex.h"
#include "nitems.h"

/* One letter per kind, in enum order: End Ident Keyword Field Variable @format Number
 * "start Text ( interp-start ) interp-end "end Open Close Op Error. */
static const char kind_letters[JQLEX__MAX + 1] = "EIKFV@NstpPeOCo!";

/* program, tokens as "<letter><text> " each (E, ! with no text) */
static const struct { const char *prog, *want; } lexes[] = {
	{ ".a | length", "F.a o| Ilength E" },
	{ "$ENV", "VENV E" },
	{ "$ ENV", "VENV E" },
	{ "$\tENV", "VENV E" },
	{ "$\n# comment\nENV", "VENV E" },
	{ "$__loc__", "V__loc__ E" },
	{ "$mod::x", "Vmod::x E" },
	{ "a::b::c", "Ia::b::c E" },
	{ "a::", "Ia o: o: E" },
	{ "env.X", "Ienv F.X E" },
	{ ".env", "F.env E" },
	{ "{env: 1}", "O{ Ienv o: N1 C} E" },
	{ "{\"env\":1}", "O{ s\" tenv e\" o: N1 C} E" },
	{ "\"\\(env)\"", "s\" p\\( Ienv P) e\" E" },
	{ "\"a\\(\"b\\(.)\")c\"", "s\" ta p\\( s\" tb p\\( o. P) e\" P) tc e\" E" },
	{ "\"\\\"x\\u00e9\\n\"", "s\" t\\\"x\\u00e9\\n e\" E" },
	{ "# env\n.a", "F.a E" },
	{ "1 # x\r+ 2", "N1 !" },
	{ "@base64d \"\\($ENV)\"", "@@base64d s\" p\\( VENV P) e\" E" },
	{ ".a ?// .b", "F.a o?// F.b E" },
	{ "..", "o.. E" },
	{ "..a", "o.. Ia E" },
	{ "...", "N... E" },
	{ ".5 + 1e3 + 2.5E-1", "N.5 o+ N1e3 o+ N2.5E-1 E" },
	{ ".[1:2]", "o. O[ N1 o: N2 C] E" },
	{ "if . then 1 elif . then 2 else 3 end", "Kif o. Kthen N1 Kelif o. Kthen N2 Kelse N3 Kend E" },
	{ "define", "Idefine E" },
	{ "def f: .; f", "Kdef If o: o. o; If E" },
	{ ".a //= 1 | .b |= . + 1 != 2", "F.a o//= N1 o| F.b o|= o. o+ N1 o!= N2 E" },
	{ "import \"a\" as a; .", "Kimport s\" ta e\" Kas Ia o; o. E" },
	/* errors */
	{ "\"x", "s\" !" },
	{ "{\"x\\234", "O{ s\" !" },
	{ "\"\\q\"", "s\" !" },
	{ "\"\\u12\"", "s\" !" },
	{ "(.a", "O( F.a !" },
	{ ".a)", "F.a !" },
	{ "[.a}", "O[ F.a !" },
	{ "1 ! 2", "N1 !" },
	{ "$", "!" },
	{ "$ 1", "!" },
	{ "@", "!" },
	{ "\"\\(1\"", "s\" p\\( N1 s\" !" },
	{ ".a & .b", "F.a !" },
	{ "'a'", "!" },
};

/* The tokens of "prog" in the notation of the table. */
static void
lex_all(const char *prog, char *out, size_t len)
{
	struct jqlex		 lx;
	struct jqlex_token	 t;
	size_t			 n = 0;
	enum jqlex_kind		 k;

	out[0] = '\0';
	jqlex_init(&lx, prog, strlen(prog));
	do {
		k = jqlex_next(&lx, &t);
		n += (size_t)snprintf(out + n, len - n, "%c%.*s%s", kind_letters[k],
		    (int)t.len, t.p, k == JQLEX_END || k == JQLEX_ERROR ? "" : " ");
		if (n >= len)
			n = len - 1;
	} while (k != JQLEX_END && k != JQLEX_ERROR);
}

START_TEST(test_jqlex_next)
{
	char	 got[512];

	lex_all(lexes[_i].prog, got, sizeof(got));
	ck_assert_msg(strcmp(got, lexes[_i].want) == 0, "%s: got %s, want %s", lexes[_i].prog,
	    got, lexes[_i].want);
}
END_TEST

/* After an error or the end, the lexer keeps answering the same. */
START_TEST(test_jqlex_sticky)
{
	struct jqlex		 lx;
	struct jqlex_token	 t;

	jqlex_init(&lx, "(", 1);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_OPEN);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_ERROR);
	ck_assert_str_eq(lx.error, "unclosed bracket");
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_ERROR);
	jqlex_init(&lx, "", 0);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_END);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_END);
}
END_TEST

/* Nesting past JQLEX_MAX_DEPTH is an error, not an overflow. */
START_TEST(test_jqlex_depth)
{
	char			 prog[JQLEX_MAX_DEPTH + 2];
	struct jqlex		 lx;
	struct jqlex_token	 t;
	enum jqlex_kind		 k;

	memset(prog, '[', sizeof(prog) - 1);
	prog[sizeof(prog) - 1] = '\0';
	jqlex_init(&lx, prog, strlen(prog));
	while ((k = jqlex_next(&lx, &t)) == JQLEX_OPEN)
		;
	ck_assert_int_eq(k, JQLEX_ERROR);
	ck_assert_str_eq(lx.error, "nested too deeply");
	ck_assert_uint_eq(t.off, JQLEX_MAX_DEPTH);
}
END_TEST

/* The lexer reads only the bytes it was given: a NUL byte inside is not jq. */
START_TEST(test_jqlex_length)
{
	struct jqlex		 lx;
	struct jqlex_token	 t;

	jqlex_init(&lx, ".a\0env", 6);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_FIELD);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_ERROR);
	ck_assert_uint_eq(t.off, 2);
	jqlex_init(&lx, ".abc", 2);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_FIELD);
	ck_assert_uint_eq(t.len, 2);
	ck_assert_int_eq(jqlex_next(&lx, &t), JQLEX_END);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("jqlex");
	TCase	*tc = tcase_create("jqlex_next");

	tcase_add_loop_test(tc, test_jqlex_next, 0, NITEMS(lexes));
	tcase_add_test(tc, test_jqlex_sticky);
	tcase_add_test(tc, test_jqlex_depth);
	tcase_add_test(tc, test_jqlex_length);
	suite_add_tcase(s, tc);
	return check_run(s);
}
