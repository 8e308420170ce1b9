/* check_jschema.c: unit tests of the JSON Schema subset: the validator (jschema.c), the
 * meta-schema check of authors' schemas (jsmeta.c) and the bounded regexes (fgregex.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "check_run.h"
#include "fgregex.h"
#include "jschema.h"
#include "jsmeta.h"
#include "jsonh.h"
#include "nitems.h"
#include "rows.h"
#include "tools.h"
#include "wf.h"

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
	"\"headers\":{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"},"
	"\"maxProperties\":2},"
	"\"some\":{\"type\":\"object\",\"minProperties\":1},"
	"\"never\":false,\"always\":true,"
	"\"free\":{}}}";

/* document, expected rc, a field named in the errors */
static const struct { const char *doc; int rc; const char *field; } docs[] = {
	{ "{\"url\":\"http://a\",\"method\":\"GET\"}", 0, NULL },
	{ "{\"url\":\"u\",\"method\":\"POST\",\"timeout_ms\":5,\"ratio\":0.5,\"name\":\"ab_c\","
	  "\"tags\":[\"a\",\"b\"],\"opt\":null,\"kind\":\"x\",\"either\":7,"
	  "\"headers\":{\"A\":\"b\"},\"some\":{\"a\":1},\"always\":[],\"free\":[1,{}]}", 0, NULL },
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
	{ "{\"url\":\"u\",\"method\":\"GET\",\"headers\":{\"A\":\"1\",\"B\":\"2\",\"C\":\"3\"}}",
	  -1, "headers" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"some\":{}}", -1, "some" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"never\":1}", -1, "never" },
	{ "{\"url\":\"u\",\"method\":\"GET\",\"extra\":1}", -1, "extra" },
	{ "[]", -1, "" },
	{ "null", -1, "" },
};

/* Parses "text" (the test's own JSON) or fails the test. */
static json_object *
parse(const char *text)
{
	json_object	*o = NULL;
	char		 err[128];

	ck_assert_msg(jsonh_parse(text, strlen(text), &o, err, sizeof(err)) == 0, "%s: %s",
	    text, err);
	return o;
}

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* How much slower this run may be: CK_TIMEOUT_MULTIPLIER (set for the valgrind run). */
static double
time_scale(void)
{
	const char	*m = getenv("CK_TIMEOUT_MULTIPLIER");
	double		 f = m != NULL ? atof(m) : 1;

	return f > 1 ? f : 1;
}

/* Validates "doc" against "schema" (both put here) and asserts it fails within "max_ms"
 * (times time_scale()) with a row naming "field" (NULL: any) whose message holds "part";
 * says how long it took when "what" is given. Returns the number of rows. */
static size_t
expect_refused(json_object *schema, json_object *doc, const char *field, const char *part,
    double max_ms, const char *what)
{
	json_object	*errors = json_object_new_array();
	double		 t0 = now_ms(), ms;
	size_t		 n;

	ck_assert_int_eq(jschema_validate(schema, doc, "v", errors), -1);
	ms = now_ms() - t0;
	ck_assert_msg(rows_have(errors, field, part), "want %s in %.500s", part,
	    jsonh_str(errors));
	ck_assert_msg(ms < max_ms * time_scale(), "took %.0f ms", ms);
	if (what != NULL)
		fprintf(stderr, "%s: %.1f ms\n", what, ms);
	n = json_object_array_length(errors);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
	return n;
}

/* A string of "n" a's, starting with "xb" when "x" (each split of the back-reference
 * pattern is then worth trying). The caller puts it. */
static json_object *
a_string(size_t n, int x)
{
	char		*s = malloc(n + 1);
	json_object	*o;

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', n);
	s[n] = '\0';
	if (x && n >= 2)
		memcpy(s, "xb", 2);
	o = json_object_new_string(s);
	free(s);
	return o;
}

#define BACKREF	"\"(.*)(.*)\\\\2\\\\1x\""

START_TEST(test_jschema_validate)
{
	json_object	*schema = jschema_parse(SCHEMA), *doc = parse(docs[_i].doc);
	json_object	*errors = json_object_new_array();

	ck_assert_ptr_nonnull(schema);
	ck_assert_int_eq(jsmeta_check(schema, "", errors), 0);
	ck_assert_int_eq(jschema_validate(schema, doc, "", errors), docs[_i].rc);
	if (docs[_i].rc == 0)
		ck_assert_msg(json_object_array_length(errors) == 0, "%s", jsonh_str(errors));
	else
		ck_assert_msg(rows_have(errors, docs[_i].field, NULL), "want %s in %s", docs[_i].field,
		    jsonh_str(errors));
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
	json_object	*schema, *doc, *errors = json_object_new_array();
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
	doc = parse(d);
	ck_assert_ptr_nonnull(schema);
	ck_assert_int_eq(jschema_validate(schema, doc, "", errors), -1);
	ck_assert(rows_have(errors, NULL, "nested too deeply"));
	json_object_put(errors);
	errors = json_object_new_array();
	ck_assert_int_eq(jsmeta_check(schema, "s", errors), -1);
	ck_assert_msg(rows_have(errors, NULL, "nested more than"), "%s", jsonh_str(errors));
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
}
END_TEST

/* Malformed schemas (what jsmeta refuses, e.g. stored before it existed) never crash the
 * validator; the first is the fuzzer's strlen(NULL) crash of issue 17, the second the same
 * through "type". */
static const char *const malformed[] = {
	"{\"required\":[1,null],\"c\":4}",
	"{\"type\":[null]}",
	"{\"type\":[1,{}]}",
	"{\"type\":7}",
	"{\"type\":[]}",
	"{\"properties\":[1],\"required\":{},\"items\":7,\"anyOf\":{}}",
	"{\"properties\":{\"a\":7,\"b\":null},\"additionalProperties\":\"no\"}",
	"{\"enum\":\"x\",\"const\":null,\"minLength\":\"3\",\"maxItems\":null}",
	"{\"anyOf\":[null,7,\"x\"],\"pattern\":5}",
	"{\"minimum\":{},\"maximum\":[],\"exclusiveMinimum\":\"1\",\"minProperties\":true}",
	"{\"pattern\":\"(\"}",
	"[1,2]", "\"string\"", "7", "null",
};

START_TEST(test_jschema_malformed)
{
	json_object	*schema = parse(malformed[_i]), *errors = json_object_new_array();
	json_object	*doc = parse("{\"a\":\"xy\",\"b\":[1,null,\"z\"],\"c\":3.5,\"d\":{}}");

	(void)jschema_validate(schema, doc, "doc", errors);
	(void)jschema_validate(schema, NULL, "doc", errors);
	json_object_put(errors);
	errors = json_object_new_array();
	ck_assert_int_eq(jsmeta_check(schema, "s", errors), -1);
	ck_assert_int_gt(json_object_array_length(errors), 0);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(schema);
}
END_TEST

START_TEST(test_jschema_bad_pattern_fails)
{
	/* A pattern that does not compile fails closed: the string is not accepted. */
	expect_refused(parse("{\"type\":\"string\",\"pattern\":\"(\"}"),
	    json_object_new_string("x"), "v", "not a valid pattern", 1000, NULL);
}
END_TEST

/* schema, expected rc, a field named in the errors (the path given is "s") */
static const struct { const char *schema; int rc; const char *field; } metas[] = {
	{ "{}", 0, NULL },
	{ "true", 0, NULL },
	{ "false", 0, NULL },
	{ "{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$id\":\"x\","
	  "\"$comment\":\"c\",\"title\":\"t\",\"description\":\"d\",\"type\":\"object\","
	  "\"required\":[\"a\"],\"additionalProperties\":false,\"minProperties\":0,"
	  "\"maxProperties\":5,\"properties\":{\"a\":{\"type\":[\"string\",\"null\"],"
	  "\"minLength\":1,\"maxLength\":5.0,\"pattern\":\"^\\\\u0041+$\",\"format\":\"email\","
	  "\"default\":\"AA\",\"examples\":[\"A\"]},\"n\":{\"type\":\"number\",\"minimum\":-1,"
	  "\"maximum\":1e3,\"exclusiveMinimum\":-2.5,\"exclusiveMaximum\":1001},"
	  "\"l\":{\"type\":\"array\",\"items\":{\"enum\":[1,\"x\",null,{}]},\"minItems\":0,"
	  "\"maxItems\":3},\"c\":{\"const\":{\"k\":[1]}},\"u\":{\"anyOf\":[true,{\"type\":"
	  "\"integer\"}]},\"x\":{\"x-ui\":{\"any\":1}}}}", 0, NULL },
	/* the crash input of issue 17, and the agent case */
	{ "{\"required\":[1,null],\"c\":4}", -1, "s.required[0]" },
	{ "{\"required\":[1,null],\"c\":4}", -1, "s.required[1]" },
	{ "{\"required\":[1,null],\"c\":4}", -1, "s.c" },
	{ "{\"type\":\"object\",\"required\":[1,null]}", -1, "s.required[0]" },
	/* every keyword with a value of the wrong kind */
	{ "{\"type\":5}", -1, "s.type" },
	{ "{\"type\":\"text\"}", -1, "s.type" },
	{ "{\"type\":[]}", -1, "s.type" },
	{ "{\"type\":[null]}", -1, "s.type[0]" },
	{ "{\"type\":[\"string\",\"strong\"]}", -1, "s.type[1]" },
	{ "{\"type\":[\"string\",\"string\"]}", -1, "s.type[1]" },
	{ "{\"properties\":[]}", -1, "s.properties" },
	{ "{\"properties\":{\"a\":5}}", -1, "s.properties.a" },
	{ "{\"properties\":{\"a\":{\"type\":{}}}}", -1, "s.properties.a.type" },
	{ "{\"required\":\"a\"}", -1, "s.required" },
	{ "{\"required\":[\"a\",\"a\"]}", -1, "s.required[1]" },
	{ "{\"required\":[\"a\\u0000b\"]}", -1, "s.required[0]" },
	{ "{\"additionalProperties\":\"no\"}", -1, "s.additionalProperties" },
	{ "{\"additionalProperties\":{\"minimum\":\"0\"}}", -1,
	  "s.additionalProperties.minimum" },
	{ "{\"items\":[{}]}", -1, "s.items" },
	{ "{\"items\":null}", -1, "s.items" },
	{ "{\"anyOf\":{}}", -1, "s.anyOf" },
	{ "{\"anyOf\":[]}", -1, "s.anyOf" },
	{ "{\"anyOf\":[{},5]}", -1, "s.anyOf[1]" },
	{ "{\"enum\":{}}", -1, "s.enum" },
	{ "{\"enum\":[]}", -1, "s.enum" },
	{ "{\"minimum\":\"1\"}", -1, "s.minimum" },
	{ "{\"maximum\":null}", -1, "s.maximum" },
	{ "{\"exclusiveMinimum\":true}", -1, "s.exclusiveMinimum" },
	{ "{\"exclusiveMaximum\":[]}", -1, "s.exclusiveMaximum" },
	{ "{\"minLength\":-1}", -1, "s.minLength" },
	{ "{\"maxLength\":1.5}", -1, "s.maxLength" },
	{ "{\"minItems\":\"2\"}", -1, "s.minItems" },
	{ "{\"maxItems\":-3}", -1, "s.maxItems" },
	{ "{\"minProperties\":1.2}", -1, "s.minProperties" },
	{ "{\"maxProperties\":{}}", -1, "s.maxProperties" },
	{ "{\"pattern\":5}", -1, "s.pattern" },
	{ "{\"pattern\":\"(\"}", -1, "s.pattern" },
	{ "{\"pattern\":\"a{2,1}\"}", -1, "s.pattern" },
	{ "{\"pattern\":\"\\\\C\"}", -1, "s.pattern" },
	{ "{\"title\":5}", -1, "s.title" },
	{ "{\"description\":[]}", -1, "s.description" },
	{ "{\"format\":1}", -1, "s.format" },
	{ "{\"$schema\":2}", -1, "s.$schema" },
	{ "{\"$id\":{}}", -1, "s.$id" },
	{ "{\"$comment\":null}", -1, "s.$comment" },
	{ "{\"examples\":{}}", -1, "s.examples" },
	/* keywords the validator does not enforce are refused, not silently ignored */
	{ "{\"oneOf\":[{}]}", -1, "s.oneOf" },
	{ "{\"$ref\":\"#/x\"}", -1, "s.$ref" },
	{ "{\"properties\":{\"a\":{\"minimun\":1}}}", -1, "s.properties.a.minimun" },
	/* not a schema at all */
	{ "5", -1, "s" },
	{ "null", -1, "s" },
	{ "\"object\"", -1, "s" },
	{ "[{}]", -1, "s" },
};

START_TEST(test_jsmeta_check)
{
	json_object	*schema = parse(metas[_i].schema), *errors = json_object_new_array();

	ck_assert_int_eq(jsmeta_check(schema, "s", errors), metas[_i].rc);
	if (metas[_i].rc == 0)
		ck_assert_msg(json_object_array_length(errors) == 0, "%s", jsonh_str(errors));
	else
		ck_assert_msg(rows_have(errors, metas[_i].field, NULL), "want %s in %s",
		    metas[_i].field, jsonh_str(errors));
	json_object_put(errors);
	json_object_put(schema);
}
END_TEST

/* A schema of "n" copies of "unit", joined by "," and put between "head" and "tail"; in
 * each copy, "#" stands for the copy's number followed by "pad" y's. The caller puts it. */
static json_object *
repeated(const char *head, const char *unit, int n, size_t pad, const char *tail)
{
	struct buf	 b;
	size_t		 k;
	json_object	*o;
	const char	*p;
	int		 i;

	buf_init(&b);
	buf_puts(&b, head);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_puts(&b, ",");
		for (p = unit; *p != '\0'; p++) {
			if (*p != '#') {
				buf_append(&b, p, 1);
				continue;
			}
			buf_printf(&b, "%d", i);
			for (k = 0; k < pad; k++)
				buf_puts(&b, "y");
		}
	}
	buf_puts(&b, tail);
	o = parse(b.data);
	buf_clear(&b);
	return o;
}

/* schema caps: (head, unit, count, pad, tail), expected rc, field, message part */
static const struct {
	const char	*head, *unit;
	int		 n;
	size_t		 pad;
	const char	*tail;
	int		 rc;
	const char	*field, *msg;
} caps[] = {
	{ "{\"properties\":{", "\"p#\":{}", JSMETA_MAX_MEMBERS, 0, "}}", 0, NULL, NULL },
	{ "{\"properties\":{", "\"p#\":{}", JSMETA_MAX_MEMBERS + 1, 0, "}}", -1,
	  "s.properties", "at most 256 members" },
	{ "{\"required\":[", "\"r#\"", JSMETA_MAX_MEMBERS + 1, 0, "]}", -1, "s.required",
	  "entries" },
	{ "{\"enum\":[", "#", JSMETA_MAX_MEMBERS + 1, 0, "]}", -1, "s.enum", "entries" },
	{ "{\"anyOf\":[", "{\"const\":#}", JSMETA_MAX_MEMBERS + 1, 0, "]}", -1, "s.anyOf",
	  "entries" },
	{ "{\"type\":[", "\"string\"", JSMETA_MAX_MEMBERS + 1, 0, "]}", -1, "s.type",
	  "entries" },
	/* 4 x 255 + 1 + 4 subschemas: one over the cap */
	{ "{\"anyOf\":[", "{\"properties\":{\"a\":{},\"b\":{},\"c\":{}},\"x-#\":1}", 255, 0,
	  ",{\"anyOf\":[{},{},{}]}]}", -1, "s.anyOf[255].anyOf[2]", "subschema too many" },
	{ "{\"anyOf\":[", "{\"properties\":{\"a\":{},\"b\":{},\"c\":{}},\"x-#\":1}", 255, 0,
	  ",{\"anyOf\":[{},{}]}]}", 0, NULL, NULL },
	{ "{\"enum\":[", "\"#\"", 250, 200, "]}", 0, NULL, NULL },
	{ "{\"enum\":[", "\"#\"", 250, 300, "]}", -1, "s", "is over 65536 bytes" },
	/* many problems: the list stops at JSMETA_MAX_ERRORS rows */
	{ "{", "\"bad#\":1", 200, 0, "}", -1, "s.bad0", NULL },
};

START_TEST(test_jsmeta_caps)
{
	json_object	*schema = repeated(caps[_i].head, caps[_i].unit, caps[_i].n, caps[_i].pad,
	    caps[_i].tail);
	json_object	*errors = json_object_new_array();

	ck_assert_int_eq(jsmeta_check(schema, "s", errors), caps[_i].rc);
	ck_assert_uint_le(json_object_array_length(errors), JSMETA_MAX_ERRORS);
	if (caps[_i].field != NULL)
		ck_assert_msg(rows_have(errors, caps[_i].field, NULL), "want %s in %.500s",
		    caps[_i].field, jsonh_str(errors));
	if (caps[_i].msg != NULL)
		ck_assert_msg(rows_have(errors, NULL, caps[_i].msg), "want %s in %.500s",
		    caps[_i].msg, jsonh_str(errors));
	json_object_put(errors);
	json_object_put(schema);
}
END_TEST

START_TEST(test_jsmeta_builtin_schemas)
{
	/* Our own catalogues are written in the subset too. */
	json_object	*s, *errors = json_object_new_array();
	size_t		 i;

	for (i = 0; i < WF_NODE__MAX; i++) {
		s = jschema_parse(wf_types[i]->config_schema);
		ck_assert_msg(jsmeta_check(s, wf_types[i]->name, errors) == 0, "%s",
		    jsonh_str(errors));
		json_object_put(s);
	}
	for (i = 0; i < TOOL__MAX; i++) {
		s = jschema_parse(tool_defs[i]->input_schema);
		ck_assert_msg(jsmeta_check(s, tool_defs[i]->name, errors) == 0, "%s",
		    jsonh_str(errors));
		json_object_put(s);
	}
	json_object_put(errors);
}
END_TEST

/* pattern, subject, expected result: ECMA-262 behaviour where PCRE2 can give it */
static const struct { const char *pattern, *subject; enum regex_rc rc; } patterns[] = {
	{ "^[a-z_]+$", "ab_c", REGEX_MATCH },
	{ "b", "abc", REGEX_MATCH },		/* not anchored */
	{ "^b", "abc", REGEX_NOMATCH },
	{ "^a$", "a\n", REGEX_NOMATCH },	/* $ only at the very end */
	{ "^.$", "\n", REGEX_NOMATCH },
	{ "^.$", "\r", REGEX_NOMATCH },
	{ "^[^]$", "\n", REGEX_MATCH },		/* [^] is any character */
	{ "^[]$", "a", REGEX_NOMATCH },		/* [] is no character */
	{ "^\\u0041\\x42$", "AB", REGEX_MATCH },
	{ "^\\u{1F600}$", "\xf0\x9f\x98\x80", REGEX_MATCH },
	{ "^.$", "\xc3\xa9", REGEX_MATCH },	/* a code point, not a byte */
	{ "^(a)?\\1b$", "b", REGEX_MATCH },	/* an unset group's reference is empty */
	{ "^\\d+$", "\xd9\xa3", REGEX_NOMATCH },	/* \d is ASCII, as in ECMA-262 */
	{ "^(?<y>\\d{4})-\\k<y>$", "2024-2024", REGEX_MATCH },
	{ "(?<=a)b", "ab", REGEX_MATCH },
	{ "^a", "\xff\xfe" "a", REGEX_NOMATCH },	/* invalid UTF-8 is matched, not refused */
	{ "a", "\xff\xfe" "a", REGEX_MATCH },
};

START_TEST(test_regex_match)
{
	struct regex	*re;
	char		 err[256];

	re = regex_new(patterns[_i].pattern, strlen(patterns[_i].pattern), err, sizeof(err));
	ck_assert_msg(re != NULL, "%s: %s", patterns[_i].pattern, err);
	ck_assert_int_eq(regex_match(re, patterns[_i].subject, strlen(patterns[_i].subject)),
	    patterns[_i].rc);
	regex_free(re);
	regex_free(NULL);
}
END_TEST

START_TEST(test_regex_caps)
{
	char		 pat[REGEX_MAX_PATTERN + 2], err[256], *subject;
	struct regex	*re;

	memset(pat, 'a', sizeof(pat) - 1);
	pat[sizeof(pat) - 1] = '\0';
	ck_assert_ptr_null(regex_new(pat, REGEX_MAX_PATTERN + 1, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "at most 1024"));
	re = regex_new(pat, REGEX_MAX_PATTERN, err, sizeof(err));
	ck_assert_ptr_nonnull(re);
	regex_free(re);
	/* parentheses nested past the limit */
	memset(pat, '(', 100);
	memset(pat + 100, ')', 100);
	ck_assert_ptr_null(regex_new(pat, 200, err, sizeof(err)));
	re = regex_new("a", 1, err, sizeof(err));
	subject = calloc(1, REGEX_MAX_SUBJECT + 2);
	memset(subject, 'b', REGEX_MAX_SUBJECT + 1);
	ck_assert_int_eq(regex_match(re, subject, REGEX_MAX_SUBJECT + 1), REGEX_TOO_LONG);
	ck_assert_int_eq(regex_match(re, subject, REGEX_MAX_SUBJECT), REGEX_NOMATCH);
	free(subject);
	regex_free(re);
}
END_TEST

/* The back-reference case of issue 11: over 15 s in glibc's regexec on 2,000 characters.
 * With PCRE2's limits it ends in milliseconds: no match when the "x" is missing, the match
 * limit (a clear error) when one "x" makes every split worth trying. */
START_TEST(test_jschema_backreference)
{
	const char	*schema = "{\"type\":\"string\",\"pattern\":" BACKREF "}";

	expect_refused(parse(schema), a_string(2000, 0), "v", "must match the pattern", 2000,
	    NULL);
	expect_refused(parse(schema), a_string(2000, 1), "v", "reached its limit", 3000,
	    "back-reference pattern on 2,000 characters");
}
END_TEST

START_TEST(test_jschema_limit_in_any_of)
{
	/* A branch that hits the match limit still says so, although anyOf hides its rows. */
	const char	*schema = "{\"anyOf\":[{\"type\":\"string\",\"pattern\":" BACKREF "},"
	    "{\"type\":\"integer\"}]}";

	expect_refused(parse(schema), a_string(2000, 1), "v", "reached its limit", 3000, NULL);
	expect_refused(parse(schema), a_string(2000, 1), "v", "none of the allowed forms", 3000,
	    NULL);
}
END_TEST

START_TEST(test_jschema_regex_budget)
{
	/* Many strings each near the match limit: the time budget ends the validation. */
	json_object	*doc = json_object_new_array();
	int		 i;

	for (i = 0; i < 200; i++)
		json_object_array_add(doc, a_string(2000, 1));
	ck_assert_uint_lt(expect_refused(parse("{\"items\":{\"pattern\":" BACKREF "}}"), doc,
	    "v", "ms of pattern matching", 5000, "200 strings at the match limit"), 200);
}
END_TEST

/* The array [0, 1, …, n - 1]. The caller puts it. */
static json_object *
int_array(int n)
{
	json_object	*a = json_object_new_array();
	int		 i;

	for (i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_int(i));
	return a;
}

START_TEST(test_jschema_step_budget)
{
	/* 4,000 items x 300 anyOf branches: over the step budget, stopped with a message. */
	ck_assert_uint_le(expect_refused(repeated("{\"items\":{\"anyOf\":[",
	    "{\"const\":\"c#\"}", 300, 0, "]}}"), int_array(4000), "v", "schema checks", 5000,
	    "1,000,000 schema checks"), JSCHEMA_MAX_ERRORS + 2);
}
END_TEST

START_TEST(test_jschema_error_cap)
{
	ck_assert_uint_eq(expect_refused(parse("{\"items\":{\"type\":\"string\"}}"),
	    int_array(1000), NULL, "only the first 100", 5000, NULL), JSCHEMA_MAX_ERRORS + 1);
}
END_TEST

START_TEST(test_jschema_long_subject)
{
	const char	*schema = "{\"type\":\"string\",\"pattern\":\"^a+$\"}";
	json_object	*s = parse(schema), *doc = a_string(REGEX_MAX_SUBJECT, 0);
	json_object	*errors = json_object_new_array();

	ck_assert_int_eq(jschema_validate(s, doc, "v", errors), 0);
	json_object_put(errors);
	json_object_put(doc);
	json_object_put(s);
	expect_refused(parse(schema), a_string(REGEX_MAX_SUBJECT + 1, 0), "v",
	    "a string checked against a pattern has at most", 1000, NULL);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("jschema");
	TCase	*tc = tcase_create("jschema_validate");

	tcase_add_loop_test(tc, test_jschema_validate, 0, NITEMS(docs));
	tcase_add_test(tc, test_jschema_path_prefix);
	tcase_add_test(tc, test_jschema_depth);
	tcase_add_loop_test(tc, test_jschema_malformed, 0,
	    NITEMS(malformed));
	tcase_add_test(tc, test_jschema_bad_pattern_fails);
	tcase_add_test(tc, test_jschema_backreference);
	tcase_add_test(tc, test_jschema_limit_in_any_of);
	tcase_add_test(tc, test_jschema_regex_budget);
	tcase_add_test(tc, test_jschema_step_budget);
	tcase_add_test(tc, test_jschema_error_cap);
	tcase_add_test(tc, test_jschema_long_subject);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("jsmeta_check");
	tcase_add_loop_test(tc, test_jsmeta_check, 0, NITEMS(metas));
	tcase_add_loop_test(tc, test_jsmeta_caps, 0, NITEMS(caps));
	tcase_add_test(tc, test_jsmeta_builtin_schemas);
	suite_add_tcase(s, tc);
	tc = tcase_create("regex_match");
	tcase_add_loop_test(tc, test_regex_match, 0, NITEMS(patterns));
	tcase_add_test(tc, test_regex_caps);
	suite_add_tcase(s, tc);
	return check_run(s);
}
