/* check_json.c: unit tests of jsonh.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jsonh.h"
#include "nitems.h"

static const struct { const char *in; int ok; const char *canon; } docs[] = {
	{ "{\"a\":1}", 0, "{\"a\":1}" },
	{ "  [1, 2]  \n", 0, "[1,2]" },
	{ "\"x\"", 0, "\"x\"" },
	{ "null", 0, "null" },
	{ "{\"a\":1} x", -1, NULL },
	{ "{\"a\":1}{}", -1, NULL },
	{ "{\"a\":", -1, NULL },
	{ "{\"a\":1,}", -1, NULL },
	{ "", -1, NULL },
	{ "nan", -1, NULL },
	{ "\"caf\xc3\xa9\"", 0, "\"caf\xc3\xa9\"" },
	{ "\"\xff\"", -1, NULL },
	{ "\"\xed\xa0\x80\"", -1, NULL },		/* a surrogate: json-c alone accepts it */
	{ "{\"\xc0\xaf\":1}", -1, NULL },		/* an overlong form */
	{ "[\"\xf4\x90\x80\x80\"]", -1, NULL },	/* past U+10FFFF */
};

START_TEST(test_jsonh_parse)
{
	json_object	*o = (json_object *)1;
	char		 err[256] = "";

	ck_assert_int_eq(jsonh_parse(docs[_i].in, strlen(docs[_i].in), &o, err, sizeof(err)),
	    docs[_i].ok);
	if (docs[_i].ok == 0)
		ck_assert_str_eq(jsonh_str(o), docs[_i].canon);
	else {
		ck_assert_ptr_null(o);
		ck_assert(err[0] != '\0');
	}
	json_object_put(o);
}
END_TEST

START_TEST(test_jsonh_depth)
{
	char		 doc[2 * (JSONH_MAX_DEPTH + 2) + 1];
	json_object	*o = NULL;
	char		 err[256];
	size_t		 i, n = JSONH_MAX_DEPTH + 2;

	for (i = 0; i < n; i++) {
		doc[i] = '[';
		doc[n + i] = ']';
	}
	doc[2 * n] = '\0';
	ck_assert_int_eq(jsonh_parse(doc, strlen(doc), &o, err, sizeof(err)), -1);
	ck_assert_ptr_null(o);
}
END_TEST

START_TEST(test_jsonh_get)
{
	const char	 doc[] = "{\"s\":\"v\",\"n\":1,\"o\":{}}";
	json_object	*o = NULL, *copy;
	char		 err[64];

	ck_assert_int_eq(jsonh_parse(doc, strlen(doc), &o, err, sizeof(err)), 0);
	ck_assert_str_eq(jsonh_get_string(o, "s"), "v");
	ck_assert_ptr_null(jsonh_get_string(o, "n"));
	ck_assert_ptr_null(jsonh_get_string(o, "missing"));
	ck_assert_ptr_null(jsonh_get_string(NULL, "s"));
	ck_assert_ptr_nonnull(jsonh_get_typed(o, "o", json_type_object));
	ck_assert_ptr_null(jsonh_get_typed(o, "o", json_type_array));
	copy = jsonh_copy(o);
	ck_assert_str_eq(jsonh_str(copy), jsonh_str(o));
	ck_assert_ptr_null(jsonh_copy(NULL));
	ck_assert_str_eq(jsonh_str(NULL), "null");
	json_object_put(copy);
	json_object_put(o);
}
END_TEST

/* documents whose compact JSON jsonh_size must measure exactly */
static const char *const sized[] = {
	"null", "true", "false", "0", "-1234567890123", "1.5", "\"\"",
	"\"a \\\"quoted\\\" \\\\ /slash/ tab\\t nl\\n cr\\r \\u0001 \\u001f é\"",
	"[]", "{}", "[1,[2,[3,{}]],\"x\"]",
	"{\"k\\n\\\"\":{\"a\":[null,true,{\"b\":-2.25}],\"c\":\"\\u0000\"},\"d\":{}}",
};

START_TEST(test_jsonh_size)
{
	json_object	*o = NULL;
	char		 err[128];
	size_t		 want;

	ck_assert_int_eq(jsonh_parse(sized[_i], strlen(sized[_i]), &o, err, sizeof(err)), 0);
	want = strlen(jsonh_str(o));
	ck_assert_uint_eq(jsonh_size(o, 1 << 20), want);
	/* Past the limit the count stops early, but still says "over". */
	if (want > 2)
		ck_assert_uint_gt(jsonh_size(o, want - 2), want - 2);
	json_object_put(o);
}
END_TEST

/* What PostgreSQL cannot store (NUL, from a \u0000 escape; ill-formed UTF-8, from bytes
 * that never went through jsonh_parse) becomes U+FFFD, member names included. */
static const struct { const char *in; int storable; const char *out; } stores[] = {
	{ "{\"a\":[1,\"x\",{\"b\":null}]}", 1, "{\"a\":[1,\"x\",{\"b\":null}]}" },
	{ "\"a\\u0000b\"", 0, "\"a\xef\xbf\xbd" "b\"" },
	{ "{\"k\":[\"\\u0000\",2]}", 0, "{\"k\":[\"\xef\xbf\xbd\",2]}" },
	{ "null", 1, "null" },
};

START_TEST(test_jsonh_storable)
{
	json_object	*o = NULL;
	char		 err[256];

	ck_assert_int_eq(jsonh_parse(stores[_i].in, strlen(stores[_i].in), &o, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(jsonh_storable(o), stores[_i].storable);
	o = jsonh_make_storable(o);
	ck_assert(jsonh_storable(o));
	ck_assert_str_eq(jsonh_str(o), stores[_i].out);
	json_object_put(o);
}
END_TEST

/* Strings built from raw bytes (an HTTP header, a cut id), and a member name. */
START_TEST(test_jsonh_make_storable_raw)
{
	json_object	*o = json_object_new_object();

	json_object_object_add(o, "caf\xe9", json_object_new_string_len("\xff\0x", 3));
	ck_assert(!jsonh_storable(o));
	o = jsonh_make_storable(o);
	ck_assert_str_eq(jsonh_str(o),
	    "{\"caf\xef\xbf\xbd\":\"\xef\xbf\xbd\xef\xbf\xbdx\"}");
	json_object_put(o);
	ck_assert_ptr_null(jsonh_make_storable(NULL));
}
END_TEST

/* Members in jsonb's order (shorter names first, then bytewise), at every depth; a value
 * already in order is given back as it is. */
START_TEST(test_jsonh_stored_order)
{
	static const char	 in[] = "{\"name\":1,\"id\":{\"zz\":[{\"b\":1,\"a\":2},3],"
	    "\"a\":null},\"ab\":true,\"b\":\"x\"}";
	json_object		*o = NULL, *same;
	char			 err[64];

	ck_assert_int_eq(jsonh_parse(in, strlen(in), &o, err, sizeof(err)), 0);
	o = jsonh_stored_order(o);
	ck_assert_str_eq(jsonh_str(o), "{\"b\":\"x\",\"ab\":true,\"id\":{\"a\":null,\"zz\":"
	    "[{\"a\":2,\"b\":1},3]},\"name\":1}");
	same = json_object_get(o);
	o = jsonh_stored_order(o);
	ck_assert_ptr_eq(o, same);
	json_object_put(same);
	json_object_put(o);
	ck_assert_ptr_null(jsonh_stored_order(NULL));
	o = json_object_new_array();
	json_object_array_add(o, NULL);
	o = jsonh_stored_order(o);
	ck_assert_str_eq(jsonh_str(o), "[null]");
	json_object_put(o);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("json");
	TCase	*tc = tcase_create("jsonh_parse");

	tcase_add_loop_test(tc, test_jsonh_parse, 0, NITEMS(docs));
	tcase_add_test(tc, test_jsonh_depth);
	suite_add_tcase(s, tc);
	tc = tcase_create("jsonh_size");
	tcase_add_loop_test(tc, test_jsonh_size, 0, NITEMS(sized));
	suite_add_tcase(s, tc);
	tc = tcase_create("jsonh_get");
	tcase_add_test(tc, test_jsonh_get);
	suite_add_tcase(s, tc);
	tc = tcase_create("jsonh_storable");
	tcase_add_loop_test(tc, test_jsonh_storable, 0, NITEMS(stores));
	tcase_add_test(tc, test_jsonh_make_storable_raw);
	tcase_add_test(tc, test_jsonh_stored_order);
	suite_add_tcase(s, tc);
	return check_run(s);
}
