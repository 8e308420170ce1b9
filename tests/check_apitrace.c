/* check_apitrace.c: unit tests of fcgi/tracing.c, the API's request spans: nothing at all
 * while tracing is off; on, the caller's valid traceparent makes the request's span its
 * child, an invalid one starts a new trace, the response names the span in traceresponse,
 * and the span is named by method and route template. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "router.h"

#include "jsonh.h"
#include "req.h"
#include "tracing.h"

#define TID	"4bf92f3577b34da6a3ce929d0e0e4736"
#define SID	"00f067aa0ba902b7"

static struct app	 app;

/* Loads the configuration with FRAGENT_OTLP_ENDPOINT "ep". */
static void
load(const char *ep)
{
	char	 err[256];

	config_clear(&app.cfg);
	setenv("FRAGENT_OTLP_ENDPOINT", ep, 1);
	ck_assert_msg(config_load(&app.cfg, err, sizeof(err)) == 0, "%s", err);
}

/* A POST request with traceparent "tp" (NULL: none), its span begun. */
static void
begin(struct req *rq, FCGX_Request *f, const char *tp)
{
	static char	 hdr[256], method[] = "REQUEST_METHOD=POST";
	static char	 uri[] = "DOCUMENT_URI=/api/v1/x";
	char		*envp[] = { method, uri, hdr, NULL };

	snprintf(hdr, sizeof(hdr), "HTTP_TRACEPARENT=%s", tp != NULL ? tp : "");
	if (tp == NULL)
		envp[2] = NULL;
	memset(f, 0, sizeof(*f));
	f->envp = envp;
	ck_assert_int_eq(req_init(rq, f, &app), 0);
	apitrace_begin(rq);
	f->envp = NULL;
}

/* The span "s" (JSON text, freed) parsed; the caller puts it. */
static json_object *
parsed(char *s)
{
	json_object	*o;

	ck_assert_ptr_nonnull(s);
	o = json_tokener_parse(s);
	free(s);
	ck_assert_ptr_nonnull(o);
	return o;
}

START_TEST(test_apitrace_off)
{
	struct req	 rq;
	FCGX_Request	 f;

	load("");
	begin(&rq, &f, "00-" TID "-" SID "-01");
	ck_assert_str_eq(rq.traceparent, "");
	ck_assert_str_eq(rq.hdrs, "");
	rq.status = 200;
	ck_assert_ptr_null(apitrace_end(&rq));
	apitrace_push(&app, NULL);	/* nothing to hand over: no Redis touched */
	req_clear(&rq);
}
END_TEST

START_TEST(test_apitrace_child)
{
	struct req	 rq;
	FCGX_Request	 f;
	json_object	*o, *a;
	char		 want[160];
	struct route	 route = { .method = "POST",
			    .pattern = "/api/v1/workflows/{id}/executions" };

	load("http://collector.example:4318");
	begin(&rq, &f, "00-" TID "-" SID "-01");
	ck_assert_uint_eq(strlen(rq.traceparent), TRACE_PARENT_LEN);
	ck_assert(strncmp(rq.traceparent, "00-" TID "-", 36) == 0);
	ck_assert(strncmp(rq.traceparent + 36, SID, 16) != 0);
	snprintf(want, sizeof(want), "traceresponse: %s\r\n", rq.traceparent);
	ck_assert_str_eq(rq.hdrs, want);
	rq.route = &route;
	rq.status = 503;
	o = parsed(apitrace_end(&rq));
	ck_assert_str_eq(jsonh_get_string(o, "name"), "POST /api/v1/workflows/{id}/executions");
	ck_assert_str_eq(jsonh_get_string(o, "traceId"), TID);
	ck_assert_str_eq(jsonh_get_string(o, "parentSpanId"), SID);
	ck_assert(strncmp(jsonh_get_string(o, "spanId"), rq.traceparent + 36, 16) == 0);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(o, "kind")), 2);
	ck_assert_int_eq(json_object_get_int(json_object_object_get(
	    json_object_object_get(o, "status"), "code")), 2);
	a = jsonh_get_typed(o, "attributes", json_type_array);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(a, 1), "key"), "http.route");
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(json_object_array_get_idx(a, 2),
	    "value", json_type_object), "intValue"), "503");
	json_object_put(o);
	req_clear(&rq);
}
END_TEST

/* An invalid header or none: a new trace, a root span named by the method alone when no
 * route matched. */
START_TEST(test_apitrace_new_trace)
{
	static const char *const bad[] = { "00-" TID "-" SID "-01-x", "garbage", NULL };
	struct req	 rq;
	FCGX_Request	 f;
	json_object	*o;
	size_t		 i;

	load("http://collector.example:4318");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin(&rq, &f, bad[i]);
		ck_assert_uint_eq(strlen(rq.traceparent), TRACE_PARENT_LEN);
		ck_assert(strncmp(rq.traceparent, "00-" TID, 35) != 0);
		rq.status = 404;
		o = parsed(apitrace_end(&rq));
		ck_assert_str_eq(jsonh_get_string(o, "name"), "POST");
		ck_assert_ptr_null(json_object_object_get(o, "parentSpanId"));
		ck_assert_ptr_null(json_object_object_get(json_object_object_get(o, "status"),
		    "code"));
		json_object_put(o);
		req_clear(&rq);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("apitrace");
	TCase	*tc = tcase_create("apitrace");
	int	 rc;

	tcase_add_test(tc, test_apitrace_off);
	tcase_add_test(tc, test_apitrace_child);
	tcase_add_test(tc, test_apitrace_new_trace);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	config_clear(&app.cfg);
	return rc;
}
