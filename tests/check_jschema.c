/* check_jschema.c: unit tests of jschema.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jschema.h"
#include "jsonh.h"

static const char SCHEMA[] =
	"{\"type\":\"object\",\"additionalProperties\":false,"
	"\"required\":[\"url\",\"method\"],"
	"\"properties\":{"
	"\"url\":{\"type\":\"string\",\"minLength\":1,\"maxLength\":20},"
	"\"method\":{\"enum\":[\"GET\",\"POST\"]},"
	"\"timeout_ms\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":60000},"
	"\"ratio\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"exclusiveMaximum\":1},"
	"\"name\":{\"type\":\"string\",\"pattern\":\"^[a-z_]+$\"},"
	"\"tags\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":\"string\"}},"
	"\"opt\":{\"type\":[\"string\",\"null\"]},"
	"\"kind\":{\"const\":\"x\"},"
	"\"either\":{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"string\",\"maxLength\":2}]},"
	"\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}},"
	"\"free\":{}}}";

/* document, expected rc, a field named in the errors */
static const struct { const char *doc; int rc; const char *field; } docs[] = {
	{ "{\"url\":\"http://a\",\"method\":\"GET\"}", 0, NULL },
	{ "{\"url\":\"u\",\"method\":\"POST\",\"timeout_ms\":5,\"ratio\":0.5,\"name\":\"ab_c\","
	  "\"tags\":[\"a\",\"b\"],\"opt\":null,\"kind\":\"x\",\"either\":7,"
	  "\"headers\":{\"A\":\"b\"},\"free\":[1,{}]}", 0, NULL },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"timeout_ms\":5.0}", 0, NULL },
	{ "{\"url\":\"héllo wörld ñandú\",\"method\":\"GET\"}", 0, NULL },
	{ "{\"method\":\"GET\"}", -1, "url" },
	{ "{\"url\":\"\",\"method\":\"GET\"}", -1, "url" },
	{ "{\"url\":\"012345678901234567890\",\"method\":\"GET\"}", -1, "url" },
	{ "{\"url\":5,\"method\":\"GET\"}", -1, "url" },
	{ "{\"url\":\"u\",\"method\":\"PUT\"}", -1, "method" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"timeout_ms\":0}", -1, "timeout_ms" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"timeout_ms\":60001}", -1, "timeout_ms" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"timeout_ms\":1.5}", -1, "timeout_ms" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"timeout_ms\":\"5\"}", -1, "timeout_ms" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"ratio\":1}", -1, "ratio" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"ratio\":0}", -1, "ratio" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"name\":\"Bad-Name\"}", -1, "name" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"tags\":[\"a\",\"b\",\"c\"]}", -1, "tags" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"tags\":[\"a\",3]}", -1, "tags[1]" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"opt\":1}", -1, "opt" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"kind\":\"y\"}", -1, "kind" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"either\":\"abc\"}", -1, "either" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"headers\":{\"A\":1}}", -1, "headers.A" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"extra\":1}", -1, "extra" },
	{ "[]", -1, "" },
	{ "null", -1, "" },
};

START_TEST(test_jschema_validate)
{
	json_object	*schema = jschema_parse(SCHEMA), *doc = NULL;
	json_object	*errors = json_object_new_array();
	char		 err[128];
	size_t		 i;
	int		 found = 0;

	ck_assert_ptr_nonnull(schema);
	ck_assert_int_eq(jsonh_parse(docs[_i].doc, strlen(docs[_i].doc), &doc, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(jschema_validate(schema, doc, "", errors), docs[_i].rc);
	for (i = 0; i < json_object_array_length(errors); i++)
		found |= strcmp(jsonh_get_string(json_object_array_get_idx(errors, i), "field"),
		    docs[_i].field ? docs[_i].field : "-") == 0;
	if (docs[_i].rc == 0)
		ck_assert_msg(json_object_array_length(errors) == 0, "%s", jsonh_str(errors));
	else
		ck_assert_msg(found, "want %s in %s", docs[_i].field, jsonh_str(errors));
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
}
END_TEST

START_TEST(test_jschema_path_prefix)
{
	json_object	*schema = jschema_parse("{\"required\":[\"a\"]}");
	json_object	*doc = json_object_new_object(), *errors = json_object_new_array();

	ck_assert_int_eq(jschema_validate(schema, doc, "nodes[2].config", errors), -1);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(errors, 0), "field"),
	    "nodes[2].config.a");
	ck_assert_ptr_null(jschema_parse("{not json"));
	/* an empty schema accepts anything */
	ck_assert_int_eq(jschema_validate(NULL, doc, "", errors), 0);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
}
END_TEST

START_TEST(test_jschema_depth)
{
	/* A schema nested past the limit fails instead of recursing without end. */
	char		 s[64 * 40 + 64] = "", d[64 * 8 + 8] = "";
	json_object	*schema, *doc = NULL, *errors = json_object_new_array();
	char		 err[64];
	int		 i;

	for (i = 0; i < 40; i++)
		strcat(s, "{\"type\":\"array\",\"items\":");
	strcat(s, "{}");
	for (i = 0; i < 40; i++)
		strcat(s, "}");
	for (i = 0; i < 40; i++)
		strcat(d, "[");
	for (i = 0; i < 40; i++)
		strcat(d, "]");
	schema = jschema_parse(s);
	ck_assert_ptr_nonnull(schema);
	ck_assert_int_eq(jsonh_parse(d, strlen(d), &doc, err, sizeof(err)), 0);
	ck_assert_int_eq(jschema_validate(schema, doc, "", errors), -1);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("jschema");
	TCase	*tc = tcase_create("jschema_validate");

	tcase_add_loop_test(tc, test_jschema_validate, 0, sizeof(docs) / sizeof(docs[0]));
	tcase_add_test(tc, test_jschema_path_prefix);
	tcase_add_test(tc, test_jschema_depth);
	suite_add_tcase(s, tc);
	return check_run(s);
}
