/* check_llm_excerpt.c: the sanitised excerpt that LLM error messages quote (llm_excerpt in
 * jobd/llm/excerpt.c): printable ASCII only, bounded, credentials redacted. */
#include "config.h"

#include <string.h>

#include "check_run.h"
#include "llm/llm.h"
#include "nitems.h"

#define KEY	"sk-proj-AbCdEfGh0123456789"

/* input, secret, expected excerpt (in a 64-byte buffer) */
static const struct { const char *in, *secret, *want; } rows[] = {
	{ "plain error", NULL, "plain error" },
	{ "", NULL, "" },
	{ "tab\there\r\nnext", NULL, "tab here  next" },
	{ "bell\x07 del\x7f caf\xc3\xa9", NULL, "bell  del  caf??" },
	{ "bad key " KEY " given", KEY, "bad key [redacted] given" },
	/* a cut key: any run of 8 characters of it is redacted */
	{ "key AbCdEfGh0123 was", KEY, "key [redacted] was" },
	{ "key AbCdEfG was", KEY, "key AbCdEfG was" },		/* 7 characters: kept */
	{ "short abc!", "abc", "short [redacted]!" },		/* a short secret, whole */
	{ "Authorization: Bearer abc.def ghi", NULL, "Authorization: [redacted]" },
	{ "{\"authorization\":\"Basic dXNlcjpw\"}", NULL,
	  "{\"authorization\":\"[redacted]\"}" },
	{ "token was bearer XYZ123 ok", NULL, "token was bearer [redacted] ok" },
	{ "x-api-key: k-123; next", NULL, "x-api-key: [redacted]; next" },
	{ "api_key=zzz&b=1", NULL, "api_key=[redacted]&b=1" },
	{ "use sk-ant-api03-xyz now", NULL, "use [redacted] now" },
	{ "the bearers are fine", NULL, "the bearers are fine" },	/* no separator */
	{ "0123456789012345678901234567890123456789012345678901234567890123456789", NULL,
	  "012345678901234567890123456789012345678901234567890123456789..." },
};

START_TEST(test_excerpt)
{
	char	 out[64];

	memset(out, 'Z', sizeof(out));
	llm_excerpt(rows[_i].in, strlen(rows[_i].in), rows[_i].secret, out, sizeof(out));
	ck_assert_str_eq(out, rows[_i].want);
}
END_TEST

/* The bound holds for any buffer, the cut never leaves a secret's head, and a body that is
 * all control bytes stays printable. */
START_TEST(test_excerpt_bounds)
{
	char	 in[512], out[32];
	size_t	 i, n;

	for (n = 1; n <= sizeof(out); n++) {
		llm_excerpt("x Bearer " KEY " y", strlen("x Bearer " KEY " y"), KEY, out, n);
		ck_assert_uint_le(strlen(out), n - 1);
		ck_assert(strstr(out, "AbCd") == NULL);
	}
	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i % 32);
	llm_excerpt(in, sizeof(in), NULL, out, sizeof(out));
	ck_assert_uint_eq(strlen(out), sizeof(out) - 1);
	for (i = 0; out[i] != '\0'; i++)
		ck_assert(out[i] >= 0x20 && out[i] <= 0x7e);
	llm_excerpt("abc", 3, NULL, out, 0);	/* no room: nothing written, no crash */
}
END_TEST

/* llm_error_text quotes at most LLM_EXCERPT_MAX characters of a body, however large "out". */
START_TEST(test_error_text_bounded)
{
	char	 body[1000], out[600];

	memset(body, 'b', sizeof(body));
	llm_error_text(body, sizeof(body), out, sizeof(out));
	ck_assert_uint_eq(strlen(out), LLM_EXCERPT_MAX);
	ck_assert_str_eq(out + LLM_EXCERPT_MAX - 3, "...");
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("llm_excerpt");
	TCase	*tc = tcase_create("llm_excerpt");

	tcase_add_loop_test(tc, test_excerpt, 0, NITEMS(rows));
	tcase_add_test(tc, test_excerpt_bounds);
	tcase_add_test(tc, test_error_text_bounded);
	suite_add_tcase(s, tc);
	return check_run(s);
}
