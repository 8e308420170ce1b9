/* check_trace.c: unit tests of shared/trace.c: traceparent parsing (hostile headers too),
 * formatting, span records and their OTLP JSON shape. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"

#include "jsonh.h"
#include "nitems.h"
#include "trace.h"

#define TID	"4bf92f3577b34da6a3ce929d0e0e4736"
#define SID	"00f067aa0ba902b7"

static const struct { const char *in; int ok; unsigned flags; } headers[] = {
	{ "00-" TID "-" SID "-01", 0, 1 },
	{ "00-" TID "-" SID "-00", 0, 0 },
	{ "00-" TID "-" SID "-ff", 0, 255 },
	/* A later version may carry more after a dash; 00 may not. */
	{ "01-" TID "-" SID "-01-what-comes-next", 0, 1 },
	{ "cc-" TID "-" SID "-01", 0, 1 },
	{ "00-" TID "-" SID "-01-", -1, 0 },
	{ "01-" TID "-" SID "-01x", -1, 0 },
	{ "ff-" TID "-" SID "-01", -1, 0 },
	/* Upper case, all zeros, wrong lengths and separators. */
	{ "00-4BF92F3577B34DA6A3CE929D0E0E4736-" SID "-01", -1, 0 },
	{ "00-00000000000000000000000000000000-" SID "-01", -1, 0 },
	{ "00-" TID "-0000000000000000-01", -1, 0 },
	{ "00-" TID "-" SID "-1", -1, 0 },
	{ "00-" TID "-" SID "01", -1, 0 },
	{ "00_" TID "_" SID "_01", -1, 0 },
	{ "00-" TID "0-" SID "-01", -1, 0 },
	{ "0-" TID "-" SID "-01", -1, 0 },
	{ "00-" TID "-" SID "-0g", -1, 0 },
	{ "00-4bf92f3577b34da6a3ce929d0e0e473g-" SID "-01", -1, 0 },
	{ " 00-" TID "-" SID "-01", -1, 0 },
	{ "00-" TID "-" SID "-01\r\nX: y", -1, 0 },
	{ "", -1, 0 }, { "' OR 1=1 --", -1, 0 },
};

START_TEST(test_trace_parse)
{
	struct trace_ctx	 c;

	ck_assert_msg(trace_parse(headers[_i].in, &c) == headers[_i].ok, "%s", headers[_i].in);
	if (headers[_i].ok == 0) {
		ck_assert_str_eq(c.trace_id, TID);
		ck_assert_str_eq(c.span_id, SID);
		ck_assert_uint_eq(c.flags, headers[_i].flags);
	} else
		ck_assert(!trace_ctx_valid(&c));
}
END_TEST

START_TEST(test_trace_parse_null_and_long)
{
	struct trace_ctx	 c;
	char			*big = malloc(TRACE_HEADER_MAX + 10);

	ck_assert_int_eq(trace_parse(NULL, &c), -1);
	memset(big, 'a', TRACE_HEADER_MAX + 9);
	memcpy(big, "01-" TID "-" SID "-01-", 56);
	big[TRACE_HEADER_MAX + 9] = '\0';
	ck_assert_int_eq(trace_parse(big, &c), -1);
	big[TRACE_HEADER_MAX] = '\0';
	ck_assert_int_eq(trace_parse(big, &c), 0);
	free(big);
}
END_TEST

START_TEST(test_trace_format)
{
	struct trace_ctx	 c, back;
	char			 out[TRACE_PARENT_SIZE];

	memset(&c, 0, sizeof(c));
	ck_assert_int_eq(trace_format(&c, out), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(trace_parse("01-" TID "-" SID "-03-x", &c), 0);
	ck_assert_int_eq(trace_format(&c, out), 0);
	ck_assert_str_eq(out, "00-" TID "-" SID "-03");
	ck_assert_int_eq(trace_parse(out, &back), 0);
	ck_assert_mem_eq(&back, &c, sizeof(c));
}
END_TEST

START_TEST(test_trace_ids_new)
{
	char	 a[TRACE_ID_HEX + 1], b[TRACE_ID_HEX + 1], s[TRACE_SPAN_HEX + 1];

	ck_assert_int_eq(trace_id_new(a), 0);
	ck_assert_int_eq(trace_id_new(b), 0);
	ck_assert_int_eq(trace_span_id_new(s), 0);
	ck_assert_uint_eq(strlen(a), TRACE_ID_HEX);
	ck_assert_uint_eq(strlen(s), TRACE_SPAN_HEX);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), TRACE_ID_HEX);
	ck_assert_uint_eq(strspn(s, "0123456789abcdef"), TRACE_SPAN_HEX);
	ck_assert_str_ne(a, b);
}
END_TEST

/* A child keeps the trace and flags and names its parent; no parent starts a sampled trace. */
START_TEST(test_trace_span_start)
{
	struct trace_ctx	 p;
	struct trace_span	 root, child;
	char			 name[300];

	ck_assert_int_eq(trace_span_start(&root, NULL, "root", TRACE_KIND_SERVER), 0);
	ck_assert(trace_ctx_valid(&root.ctx));
	ck_assert_str_eq(root.parent_id, "");
	ck_assert_uint_eq(root.ctx.flags, TRACE_FLAG_SAMPLED);
	ck_assert_int_eq(trace_parse("00-" TID "-" SID "-00", &p), 0);
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(trace_span_start(&child, &p, name, TRACE_KIND_CLIENT), 0);
	ck_assert_str_eq(child.ctx.trace_id, TID);
	ck_assert_str_eq(child.parent_id, SID);
	ck_assert_str_ne(child.ctx.span_id, SID);
	ck_assert_uint_eq(child.ctx.flags, 0);
	ck_assert_uint_eq(strlen(child.name), TRACE_NAME_MAX - 1);
	ck_assert_uint_gt(child.start_ns, 1600000000ull * 1000000000ull);
	trace_span_end(&child, TRACE_STATUS_ERROR, "boom");
	ck_assert_uint_ge(child.end_ns, child.start_ns);
}
END_TEST

/* The span and the export request in OTLP/HTTP JSON's shape: hex ids, decimal-string times
 * and integers, kind and status codes, the resource's service.name. */
START_TEST(test_trace_json)
{
	struct trace_ctx	 p;
	struct trace_span	 s;
	json_object		*rs = jsonh_new_array(), *spans = jsonh_new_array(), *req, *o;
	json_object		*sp, *attrs, *ss;
	int			 i;

	ck_assert_int_eq(trace_parse("00-" TID "-" SID "-01", &p), 0);
	ck_assert_int_eq(trace_span_start(&s, &p, "POST /api/v1/x", TRACE_KIND_SERVER), 0);
	s.start_ns = 1700000000123456789ull;
	for (i = 0; i < TRACE_ATTRS_MAX + 2; i++)
		trace_span_attr_int(&s, "n", i);
	s.nattrs = 0;
	trace_span_attr_str(&s, "http.route", "/api/v1/x");
	trace_span_attr_str(&s, "skipped", NULL);
	trace_span_attr_int(&s, "http.response.status_code", 503);
	trace_span_end(&s, TRACE_STATUS_ERROR, "\"quoted\"");
	s.end_ns = 1700000000223456789ull;
	json_object_array_add(spans, trace_span_json(&s));
	trace_resource_add(rs, "fragent-api", spans);
	req = trace_export_request(rs);
	o = json_tokener_parse(json_object_to_json_string(req));
	ck_assert_ptr_nonnull(o);
	rs = jsonh_get_typed(o, "resourceSpans", json_type_array);
	ck_assert_uint_eq(json_object_array_length(rs), 1);
	attrs = json_object_array_get_idx(jsonh_get_typed(jsonh_get_typed(
	    json_object_array_get_idx(rs, 0), "resource", json_type_object), "attributes",
	    json_type_array), 0);
	ck_assert_str_eq(jsonh_get_string(attrs, "key"), "service.name");
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(attrs, "value", json_type_object),
	    "stringValue"), "fragent-api");
	ss = json_object_array_get_idx(jsonh_get_typed(json_object_array_get_idx(rs, 0),
	    "scopeSpans", json_type_array), 0);
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(ss, "scope", json_type_object),
	    "name"), "fragent");
	sp = json_object_array_get_idx(jsonh_get_typed(ss, "spans", json_type_array), 0);
	ck_assert_str_eq(jsonh_get_string(sp, "traceId"), TID);
	ck_assert_str_eq(jsonh_get_string(sp, "parentSpanId"), SID);
	ck_assert_str_eq(jsonh_get_string(sp, "spanId"), s.ctx.span_id);
	ck_assert_str_eq(jsonh_get_string(sp, "name"), "POST /api/v1/x");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(sp, "kind")), 2);
	ck_assert_str_eq(jsonh_get_string(sp, "startTimeUnixNano"), "1700000000123456789");
	ck_assert_str_eq(jsonh_get_string(sp, "endTimeUnixNano"), "1700000000223456789");
	attrs = jsonh_get_typed(sp, "attributes", json_type_array);
	ck_assert_uint_eq(json_object_array_length(attrs), 2);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(attrs, 0), "key"),
	    "http.route");
	ck_assert_str_eq(jsonh_get_string(jsonh_get_typed(json_object_array_get_idx(attrs, 1),
	    "value", json_type_object), "intValue"), "503");
	ck_assert_int_eq(json_object_get_int(json_object_object_get(
	    json_object_object_get(sp, "status"), "code")), 2);
	ck_assert_str_eq(jsonh_get_string(json_object_object_get(sp, "status"), "message"),
	    "\"quoted\"");
	json_object_put(o);
	json_object_put(req);
}
END_TEST

/* A root span has no parentSpanId member at all; an unset status is {}. */
START_TEST(test_trace_json_root)
{
	struct trace_span	 s;
	json_object		*o;

	ck_assert_int_eq(trace_span_start(&s, NULL, "run", TRACE_KIND_INTERNAL), 0);
	trace_span_end(&s, TRACE_STATUS_UNSET, NULL);
	o = trace_span_json(&s);
	ck_assert_ptr_null(json_object_object_get(o, "parentSpanId"));
	ck_assert_int_eq(json_object_object_length(json_object_object_get(o, "status")), 0);
	json_object_put(o);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("trace");
	TCase	*tc = tcase_create("trace_parse");

	tcase_add_loop_test(tc, test_trace_parse, 0, (int)NITEMS(headers));
	tcase_add_test(tc, test_trace_parse_null_and_long);
	suite_add_tcase(s, tc);
	tc = tcase_create("trace_format");
	tcase_add_test(tc, test_trace_format);
	tcase_add_test(tc, test_trace_ids_new);
	suite_add_tcase(s, tc);
	tc = tcase_create("trace_span");
	tcase_add_test(tc, test_trace_span_start);
	tcase_add_test(tc, test_trace_json);
	tcase_add_test(tc, test_trace_json_root);
	suite_add_tcase(s, tc);
	return check_run(s);
}
