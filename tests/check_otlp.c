/* check_otlp.c: unit tests of jobd/otlp.c, the span exporter: off (no endpoint) it starts
 * nothing and takes no span; on, spans it cannot deliver (nothing listens at the endpoint)
 * are counted as dropped, the thread stops cleanly, and a bad header list is refused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "check_run.h"

#include "fgconfig.h"
#include "otlp.h"

/* Loads the configuration with FRAGENT_OTLP_ENDPOINT "ep" and FRAGENT_OTLP_HEADERS "hdrs". */
static void
load(struct config *c, const char *ep, const char *hdrs)
{
	char	 err[256];

	setenv("FRAGENT_OTLP_ENDPOINT", ep, 1);
	setenv("FRAGENT_OTLP_HEADERS", hdrs, 1);
	ck_assert_msg(config_load(c, err, sizeof(err)) == 0, "%s", err);
}

/* A Redis nobody listens on: the API's spans are simply not there. */
static void
no_redis(struct redis_url *u)
{
	ck_assert_int_eq(redis_url_parse("redis://127.0.0.1:1/0", u), 0);
}

START_TEST(test_otlp_off)
{
	struct config		 c;
	struct redis_url	 u;
	struct trace_span	 s;

	load(&c, "", "");
	no_redis(&u);
	ck_assert_int_eq(otlp_start(&c, &u), 0);
	ck_assert(!otlp_enabled());
	ck_assert(!otlp_span_start(&s, NULL, "x", TRACE_KIND_INTERNAL));
	ck_assert(!trace_ctx_valid(&s.ctx));
	ck_assert_uint_eq(s.nattrs, 0);
	otlp_span_end(&s, TRACE_STATUS_OK, NULL);	/* nothing to end */
	ck_assert_int_eq(trace_span_start(&s, NULL, "y", TRACE_KIND_INTERNAL), 0);
	otlp_emit(&s);
	otlp_stop();
	ck_assert_uint_eq(otlp_dropped(), 0);
	config_clear(&c);
}
END_TEST

/* Nothing listens at the endpoint: every span emitted ends up dropped once the exporter
 * tried (at the latest at its stop), and ending a span twice emits it once. */
START_TEST(test_otlp_undeliverable)
{
	struct config		 c;
	struct redis_url	 u;
	struct trace_span	 root, child;
	int			 i;

	load(&c, "http://127.0.0.1:1/", "x-scope=a%20b,authorization=Bearer%20t");
	no_redis(&u);
	ck_assert_int_eq(otlp_start(&c, &u), 0);
	ck_assert(otlp_enabled());
	ck_assert(otlp_span_start(&root, NULL, "root", TRACE_KIND_SERVER));
	for (i = 0; i < 9; i++) {
		ck_assert(otlp_span_start(&child, &root.ctx, "child", TRACE_KIND_CLIENT));
		ck_assert_str_eq(child.ctx.trace_id, root.ctx.trace_id);
		ck_assert_str_eq(child.parent_id, root.ctx.span_id);
		otlp_span_end(&child, TRACE_STATUS_UNSET, NULL);
		otlp_span_end(&child, TRACE_STATUS_UNSET, NULL);
	}
	otlp_span_end(&root, TRACE_STATUS_ERROR, "boom");
	otlp_stop();
	ck_assert(!otlp_enabled());
	ck_assert_uint_eq(otlp_dropped(), 10);
	config_clear(&c);
}
END_TEST

START_TEST(test_otlp_bad_headers)
{
	struct config		 c;
	struct redis_url	 u;

	load(&c, "http://127.0.0.1:1", "no-equals-sign");
	no_redis(&u);
	ck_assert_int_eq(otlp_start(&c, &u), -1);
	ck_assert(!otlp_enabled());
	config_clear(&c);
	load(&c, "http://127.0.0.1:1", "bad:name=v");
	ck_assert_int_eq(otlp_start(&c, &u), -1);
	config_clear(&c);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("otlp");
	TCase	*tc = tcase_create("otlp");

	curl_global_init(CURL_GLOBAL_DEFAULT);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_otlp_off);
	tcase_add_test(tc, test_otlp_undeliverable);
	tcase_add_test(tc, test_otlp_bad_headers);
	suite_add_tcase(s, tc);
	return check_run(s);
}
