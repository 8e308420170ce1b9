/* check_validate.c: unit tests of request-body validation at the edge: the component
 * schemas (fcgi/schemas.c) as the router applies them, every route's request schema, and
 * the checks beyond JSON Schema (fcgi/validate.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jschema.h"
#include "jsonh.h"
#include "nitems.h"
#include "routes.h"
#include "schemas.h"
#include "validate.h"

#define DEF	"{\"nodes\":[]}"

/* A body sent with request schema "schema": valid or not, and a field an error names. */
static const struct {
	const char	*schema;
	const char	*body;
	int		 valid;
	const char	*field;
} bodies[] = {
	{ "WorkflowCreate", "{\"name\":\"a\",\"definition\":" DEF "}", 1, NULL },
	{ "WorkflowCreate", "{\"name\":\"a\",\"description\":\"long long\",\"definition\":"
	    DEF "}", 1, NULL },
	{ "WorkflowCreate", "{\"definition\":" DEF "}", 0, "name" },
	{ "WorkflowCreate", "{\"name\":\"\",\"definition\":" DEF "}", 0, "name" },
	{ "WorkflowCreate", "{\"name\":5,\"definition\":" DEF "}", 0, "name" },
	{ "WorkflowCreate", "{\"name\":null,\"definition\":" DEF "}", 0, "name" },
	{ "WorkflowCreate", "{\"name\":\"a\\u0000b\",\"definition\":" DEF "}", 0, "name" },
	{ "WorkflowCreate", "{\"name\":\"a\",\"definition\":[]}", 0, "definition" },
	{ "WorkflowCreate", "{\"name\":\"a\",\"definition\":{}}", 0, "definition.nodes" },
	{ "WorkflowCreate", "{\"name\":\"a\",\"definition\":" DEF ",\"extra\":1}", 0, "extra" },
	{ "WorkflowCreate", "{\"name\":\"'; DROP TABLE x; --\"}", 0, "definition" },
	{ "WorkflowCreate", "[]", 0, "" },
	/* A NUL deep inside a member the schema leaves open. */
	{ "ExecutionCreate", "{\"inputs\":{\"a\":[\"ok\",{\"b\":\"x\\u0000\"}]}}", 0,
	    "inputs.a[1].b" },
	{ "ExecutionCreate", "{\"inputs\":{\"a\":1}}", 1, NULL },
	{ "ExecutionCreate", "{\"inputs\":[]}", 0, "inputs" },
	/* Resolved references: the agent's configuration is checked with the route. */
	{ "AgentCreate", "{\"name\":\"a\",\"configuration\":{\"provider\":\"openai\","
	    "\"model\":\"m\"}}", 1, NULL },
	{ "AgentCreate", "{\"name\":\"a\",\"configuration\":{\"provider\":\"openai\"}}", 0,
	    "configuration.model" },
	{ "AgentCreate", "{\"name\":\"a\",\"configuration\":{\"provider\":\"openai\","
	    "\"model\":\"m\",\"temperature\":9}}", 0, "configuration.temperature" },
	{ "AgentUpdate", "{\"name\":\"a\",\"configuration\":{\"provider\":\"openai\","
	    "\"model\":\"m\"},\"version\":\"1\"}", 0, "version" },
	/* A trailing newline is no part of a user name ($ ends the subject only). */
	{ "Register", "{\"username\":\"bob\\n\",\"email\":\"b@example.com\",\"password\":"
	    "\"password-123\"}", 0, "username" },
	{ "Register", "{\"username\":\"bob\",\"email\":\"b@example.com\",\"password\":"
	    "\"short\"}", 0, "password" },
	{ "UserCreate", "{\"username\":\"bob\",\"email\":\"b@example.com\",\"password\":"
	    "\"password-123\",\"role\":\"root\"}", 0, "role" },
	{ "UserPatch", "{}", 1, NULL },
	{ "CredentialCreate", "{\"name\":\"n\",\"provider\":\"Open AI\",\"secret\":\"s\"}", 0,
	    "provider" },
	{ "AgentChat", "{\"message\":\"\"}", 0, "message" },
	{ "WorkflowExport", "{\"fragent_export\":2,\"name\":\"n\",\"definition\":" DEF "}", 0,
	    "fragent_export" },
};

/* Validates "text" as the router does: the schema, then NUL characters. */
static json_object *
route_errors(const char *schema_name, const char *text)
{
	json_object	*schema = schemas_resolved(schema_name), *body = NULL, *errors;
	char		 err[128];

	ck_assert_msg(schema != NULL, "no schema %s", schema_name);
	ck_assert_int_eq(jsonh_parse(text, strlen(text), &body, err, sizeof(err)), 0);
	errors = json_object_new_array();
	if (jschema_validate(schema, body, "", errors) == 0)
		validate_no_nul(body, "", errors);
	json_object_put(body);
	return errors;
}

START_TEST(test_request_bodies)
{
	json_object	*errors = route_errors(bodies[_i].schema, bodies[_i].body);
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < json_object_array_length(errors); i++)
		found |= strcmp(jsonh_get_string(json_object_array_get_idx(errors, i), "field"),
		    bodies[_i].field ? bodies[_i].field : "-") == 0;
	if (!bodies[_i].valid)
		ck_assert_msg(found, "%s: want %s in %s", bodies[_i].body, bodies[_i].field,
		    jsonh_str(errors));
	else
		ck_assert_msg(json_object_array_length(errors) == 0, "%s: %s", bodies[_i].body,
		    jsonh_str(errors));
	json_object_put(errors);
}
END_TEST

/* True when "s" holds a "$ref" anywhere. */
static int
has_ref(json_object *s)
{
	size_t	 i;

	if (json_object_is_type(s, json_type_array)) {
		for (i = 0; i < json_object_array_length(s); i++)
			if (has_ref(json_object_array_get_idx(s, i)))
				return 1;
		return 0;
	}
	if (!json_object_is_type(s, json_type_object))
		return 0;
	json_object_object_foreach(s, key, val)
		if (strcmp(key, "$ref") == 0 || has_ref(val))
			return 1;
	return 0;
}

/* Every route's request schema exists, resolves whole and describes an object. */
START_TEST(test_route_schemas)
{
	json_object	*all = schemas_components(), *s;
	size_t		 i;

	ck_assert_ptr_nonnull(all);
	for (i = 0; i < api_routes_len; i++) {
		if (api_routes[i].request == NULL)
			continue;
		ck_assert_msg(json_object_object_get_ex(all, api_routes[i].request, NULL),
		    "%s %s: no component %s", api_routes[i].method, api_routes[i].pattern,
		    api_routes[i].request);
		s = schemas_resolved(api_routes[i].request);
		ck_assert_msg(s != NULL && !has_ref(s), "%s does not resolve",
		    api_routes[i].request);
		ck_assert_str_eq(jsonh_get_string(s, "type"), "object");
	}
	ck_assert_ptr_null(schemas_resolved("NoSuchSchema"));
	ck_assert(schemas_body_optional("ExecutionCreate"));
	ck_assert(!schemas_body_optional("WorkflowCreate"));
	json_object_put(all);
}
END_TEST

START_TEST(test_no_nul_cap)
{
	json_object	*a = json_object_new_array(), *errors = json_object_new_array();
	int		 i;

	for (i = 0; i < 3 * VALIDATE_MAX_NUL_ERRORS; i++)
		json_object_array_add(a, json_object_new_string_len("a\0b", 3));
	validate_no_nul(a, "x", errors);
	ck_assert_uint_eq(json_object_array_length(errors), VALIDATE_MAX_NUL_ERRORS);
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(errors, 1), "field"),
	    "x[1]");
	json_object_put(a);
	json_object_put(errors);
}
END_TEST

static const struct { const char *email; int ok; } emails[] = {
	{ "a@b", 1 }, { "grace@example.com", 1 }, { "ab", 0 }, { "@example.com", 0 },
	{ "grace@", 0 }, { "a@b@c", 0 }, { "gr ace@example.com", 0 }, { "g\x7f@x.y", 0 },
};

START_TEST(test_email)
{
	ck_assert_int_eq(validate_email(emails[_i].email), emails[_i].ok);
}
END_TEST

START_TEST(test_account)
{
	json_object	*errors = json_object_new_array(), *body;
	char		 long_pw[1100];

	body = json_tokener_parse("{\"email\":\"nope\",\"password\":\"password-123\"}");
	ck_assert_str_eq(validate_account(body, errors), "password-123");
	ck_assert_uint_eq(json_object_array_length(errors), 1);
	json_object_put(body);
	/* 1,030 bytes: within the schema's characters only when they are multi-byte. */
	memset(long_pw, 'a', 1030);
	long_pw[1030] = '\0';
	body = json_object_new_object();
	json_object_object_add(body, "password", json_object_new_string(long_pw));
	ck_assert_ptr_null(validate_account(body, errors));
	ck_assert_str_eq(jsonh_get_string(json_object_array_get_idx(errors, 1), "field"),
	    "password");
	json_object_put(body);
	json_object_put(errors);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("validate");
	TCase	*tc = tcase_create("request bodies");

	tcase_add_loop_test(tc, test_request_bodies, 0, NITEMS(bodies));
	tcase_add_test(tc, test_route_schemas);
	tcase_add_test(tc, test_no_nul_cap);
	tcase_add_loop_test(tc, test_email, 0, NITEMS(emails));
	tcase_add_test(tc, test_account);
	suite_add_tcase(s, tc);
	return check_run(s);
}
