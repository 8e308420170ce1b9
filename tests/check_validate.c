/* check_validate.c: unit tests of validate_body. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jsonh.h"
#include "nitems.h"
#include "validate.h"

static const struct field_spec specs[] = {
	{ "name", json_type_string, true, 10, 1 },
	{ "description", json_type_string, false, 0, 0 },
	{ "definition", json_type_object, true, 0, 0 },
};

static const struct { const char *body; int rc; const char *field; } bodies[] = {
	{ "{\"name\":\"a\",\"definition\":{}}", 0, NULL },
	{ "{\"name\":\"a\",\"description\":\"long long long\",\"definition\":{}}", 0, NULL },
	{ "{\"definition\":{}}", -1, "name" },
	{ "{\"name\":\"\",\"definition\":{}}", -1, "name" },
	{ "{\"name\":\"01234567890\",\"definition\":{}}", -1, "name" },
	{ "{\"name\":5,\"definition\":{}}", -1, "name" },
	{ "{\"name\":null,\"definition\":{}}", -1, "name" },
	{ "{\"name\":\"a\\u0000b\",\"definition\":{}}", -1, "name" },
	{ "{\"name\":\"a\",\"definition\":[]}", -1, "definition" },
	{ "{\"name\":\"a\",\"definition\":{},\"extra\":1}", -1, "extra" },
	{ "{\"name\":\"'; DROP TABLE x; --\"}", -1, "definition" },
	{ "[]", -1, "" },
};

START_TEST(test_validate_body)
{
	json_object	*body = NULL, *errors = json_object_new_array();
	char		 err[128];
	size_t		 i;
	int		 found = 0;

	ck_assert_int_eq(jsonh_parse(bodies[_i].body, strlen(bodies[_i].body), &body, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(validate_body(body, specs, 3, errors), bodies[_i].rc);
	for (i = 0; i < json_object_array_length(errors); i++)
		found |= strcmp(jsonh_get_string(json_object_array_get_idx(errors, i), "field"),
		    bodies[_i].field ? bodies[_i].field : "-") == 0;
	if (bodies[_i].rc == -1)
		ck_assert_msg(found, "want %s in %s", bodies[_i].field, jsonh_str(errors));
	else
		ck_assert_uint_eq(json_object_array_length(errors), 0);
	json_object_put(errors);
	json_object_put(body);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("validate");
	TCase	*tc = tcase_create("validate_body");

	tcase_add_loop_test(tc, test_validate_body, 0, NITEMS(bodies));
	suite_add_tcase(s, tc);
	return check_run(s);
}
