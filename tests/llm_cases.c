/* llm_cases.c: the provider suites' shared stream checks (see llm_cases.h). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <check.h>

#include "jsonh.h"
#include "llm_cases.h"

int
llm_case_feed(const struct llm_provider *p, const char *sse, const size_t *cuts,
    struct llm_reply *r, char *err, size_t errlen)
{
	size_t	 len = strlen(sse), at = 0, i;

	for (i = 0; cuts != NULL && cuts[i] != 0; i++) {
		if (llm_sse_feed(p, r, sse + at, cuts[i] - at, err, errlen) == -1)
			return -1;
		at = cuts[i];
	}
	if (llm_sse_feed(p, r, sse + at, len - at, err, errlen) == -1)
		return -1;
	return llm_sse_finish(p, r, err, errlen);
}

/* Asserts tool call "c" is "name arguments" as "want" says. */
static void
llm_case_check_call(const struct llm_tool_call *c, const char *want)
{
	char	 got[1024];

	snprintf(got, sizeof(got), "%s %s", c->name, c->args.len ? c->args.data : "");
	ck_assert_str_eq(got, want);
}

void
llm_case_check(const struct llm_stream_case *t, const struct llm_reply *r, int rc,
    const char *err)
{
	if (!t->ok) {
		ck_assert_msg(rc == -1, "%s: accepted", t->name);
		ck_assert(err[0] != '\0');
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", t->name, err);
	ck_assert_str_eq(r->text.len ? r->text.data : "", t->text);
	ck_assert_uint_eq(r->ncalls, t->ncalls);
	if (t->call0 != NULL)
		llm_case_check_call(&r->calls[0], t->call0);
	if (t->call1 != NULL)
		llm_case_check_call(&r->calls[1], t->call1);
	ck_assert_int_eq(r->finish, t->finish);
	ck_assert_int_eq(r->usage.prompt_tokens, t->prompt);
	ck_assert_int_eq(r->usage.completion_tokens, t->completion);
	ck_assert_int_eq(r->done, t->done);
}

void
llm_case_run_all_cuts(const struct llm_provider *p, const struct llm_stream_case *t)
{
	struct llm_reply	 r;
	char			 err[256];
	size_t			 k, n = strlen(t->sse), cuts[2] = { 0, 0 };
	int			 rc;

	/* k = 0: whole; then every split into two reads. */
	for (k = 0; k < n; k++) {
		llm_reply_init(&r);
		err[0] = '\0';
		cuts[0] = k;
		rc = llm_case_feed(p, t->sse, cuts, &r, err, sizeof(err));
		llm_case_check(t, &r, rc, err);
		llm_reply_clear(&r);
	}
	llm_reply_init(&r);
	err[0] = '\0';
	for (k = 0, rc = 0; k < n && rc == 0; k++)
		rc = llm_sse_feed(p, &r, t->sse + k, 1, err, sizeof(err));
	if (rc == 0)
		rc = llm_sse_finish(p, &r, err, sizeof(err));
	llm_case_check(t, &r, rc, err);
	llm_reply_clear(&r);
}

json_object *
llm_case_parse(const char *s)
{
	json_object	*o = NULL;
	char		 err[128];

	ck_assert_msg(jsonh_parse(s, strlen(s), &o, err, sizeof(err)) == 0, "%s", err);
	return o;
}
