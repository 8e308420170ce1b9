/* check_catalog.c: unit tests of the descriptor tables (shared/wf.c's node types,
 * shared/tools.c, shared/providers.c, whose rows are the files Makefile.am lists): every
 * descriptor is whole and agrees with what uses it (the members a node type checks are in its
 * schema, a provider's credential members are POST /credentials members, the agents' schema
 * accepts exactly the providers), and the lookups by name. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "jschema.h"
#include "jsonh.h"
#include "nitems.h"
#include "providers.h"
#include "schemas.h"
#include "tools.h"
#include "wf.h"

/* Asserts that every name of the NULL-terminated "names" is a property of "schema". */
static void
assert_members(json_object *schema, const char *const *names, const char *type)
{
	json_object	*props = jsonh_get_typed(schema, "properties", json_type_object);

	for (; names != NULL && *names != NULL; names++)
		ck_assert_msg(json_object_object_get_ex(props, *names, NULL),
		    "%s: config.%s is checked but not in its schema", type, *names);
}

START_TEST(test_node_type)
{
	const struct wf_type_def	*t = wf_types[_i];
	const char *const		*o;
	enum wf_node_type		 k;
	json_object			*schema;
	size_t				 h;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(wf_type_lookup(t->name, &k), 0);
	ck_assert_int_eq(k, _i);
	ck_assert(t->title != NULL && t->description != NULL && t->category != NULL);
	ck_assert_ptr_nonnull(schema = jschema_parse(t->config_schema));
	assert_members(schema, t->templates, t->name);
	assert_members(schema, t->template_trees, t->name);
	assert_members(schema, t->programs, t->name);
	assert_members(schema, t->schemas, t->name);
	json_object_put(schema);
	ck_assert_ptr_nonnull(t->outputs);
	ck_assert_ptr_nonnull(t->outputs[0]);
	for (o = t->outputs; *o != NULL; o++) {
		for (h = 0; h < WF_HANDLE__MAX && strcmp(*o, wf_handle_names[h]) != 0; h++)
			;
		ck_assert_msg(h < WF_HANDLE__MAX, "%s: no handle %s", t->name, *o);
	}
	/* An entry takes no edge: a workflow has exactly one, where it starts. */
	if (t->entry)
		ck_assert(t->min_count == 1 && t->max_count == 1);
	ck_assert(t->max_count == 0 || t->max_count >= t->min_count);
}
END_TEST

START_TEST(test_engine_types)
{
	/* The types the engine treats apart, by the enum desclist.h makes. */
	ck_assert_str_eq(wf_types[WF_NODE_INPUT]->name, "input");
	ck_assert(wf_types[WF_NODE_INPUT]->entry);
	ck_assert_str_eq(wf_types[WF_NODE_OUTPUT]->name, "output");
	ck_assert_str_eq(wf_types[WF_NODE_CONDITION]->name, "condition");
	ck_assert(wf_type_has_handle(WF_NODE_CONDITION, WF_HANDLE_TRUE));
	ck_assert(wf_type_has_handle(WF_NODE_CONDITION, WF_HANDLE_FALSE));
	ck_assert(!wf_type_has_handle(WF_NODE_CONDITION, WF_HANDLE_DEFAULT));
	ck_assert_str_eq(wf_types[WF_NODE_MERGE]->name, "merge");
}
END_TEST

START_TEST(test_tool)
{
	const struct tool_def	*t = tool_defs[_i];
	enum tool_kind		 k;
	json_object		*schema;

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(tool_lookup(t->name, &k), 0);
	ck_assert_int_eq(k, _i);
	ck_assert(t->title != NULL && t->description != NULL);
	ck_assert_ptr_nonnull(schema = jschema_parse(t->input_schema));
	ck_assert_str_eq(jsonh_get_string(schema, "type"), "object");
	json_object_put(schema);
}
END_TEST

START_TEST(test_provider)
{
	const struct provider_def	*p = provider_defs[_i];
	const struct provider_field	*f;
	const char *const		*a;
	enum provider_kind		 k;
	json_object			*cred, *props;

	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(provider_lookup(p->name, &k), 0);
	ck_assert_int_eq(k, _i);
	for (a = p->aliases; a != NULL && *a != NULL; a++) {
		ck_assert_int_eq(provider_lookup(*a, &k), 0);
		ck_assert_int_eq(k, _i);
	}
	ck_assert(p->title != NULL && p->description != NULL);
	ck_assert_msg(strncmp(p->default_base_url, "https://", 8) == 0, "%s: %s", p->name,
	    p->default_base_url);
	ck_assert_ptr_nonnull(cred = schemas_resolved("CredentialCreate"));
	props = jsonh_get_typed(cred, "properties", json_type_object);
	ck_assert_ptr_nonnull(p->credential);
	ck_assert_ptr_nonnull(p->credential[0].name);
	for (f = p->credential; f->name != NULL; f++) {
		ck_assert_msg(json_object_object_get_ex(props, f->name, NULL),
		    "%s: a credential has no member %s", p->name, f->name);
		ck_assert(f->title != NULL && f->description != NULL);
	}
}
END_TEST

/* The agents' configuration schema (fcgi/agents.c) accepts exactly the providers' names. */
START_TEST(test_provider_enum)
{
	json_object	*schema = jschema_parse(agent_config_schema), *names;
	size_t		 i;

	ck_assert_ptr_nonnull(schema);
	names = json_object_object_get(json_object_object_get(json_object_object_get(schema,
	    "properties"), "provider"), "enum");
	ck_assert_ptr_nonnull(names);
	ck_assert_uint_eq(json_object_array_length(names), PROVIDER__MAX);
	for (i = 0; i < PROVIDER__MAX; i++)
		ck_assert_str_eq(json_object_get_string(json_object_array_get_idx(names, i)),
		    provider_defs[i]->name);
	json_object_put(schema);
}
END_TEST

static const struct {
	const char	*name;
	int		 rc;
	int		 kind;
} lookups[] = {
	{ "openai", 0, PROVIDER_OPENAI },
	{ "openai-compatible", 0, PROVIDER_OPENAI },
	{ "anthropic", 0, PROVIDER_ANTHROPIC },
	{ "OpenAI", -1, 0 },
	{ "openai ", -1, 0 },
	{ "gemini", -1, 0 },
	{ "", -1, 0 },
	{ NULL, -1, 0 },
};

START_TEST(test_provider_lookup)
{
	enum provider_kind	 k = PROVIDER__MAX;

	ck_assert_int_eq(provider_lookup(lookups[_i].name, &k), lookups[_i].rc);
	if (lookups[_i].rc == 0)
		ck_assert_int_eq(k, lookups[_i].kind);
	else
		ck_assert_int_eq(k, PROVIDER__MAX);	/* untouched */
}
END_TEST

START_TEST(test_tool_lookup)
{
	enum tool_kind	 k;

	ck_assert_int_eq(tool_lookup("calculator", &k), 0);
	ck_assert_int_eq(k, TOOL_CALCULATOR);
	ck_assert_int_eq(tool_lookup("Calculator", &k), -1);
	ck_assert_int_eq(tool_lookup("", &k), -1);
	ck_assert_int_eq(tool_lookup(NULL, &k), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("catalog");
	TCase	*tc;

	tc = tcase_create("wf_types");
	tcase_add_loop_test(tc, test_node_type, 0, WF_NODE__MAX);
	tcase_add_test(tc, test_engine_types);
	suite_add_tcase(s, tc);
	tc = tcase_create("tool_defs");
	tcase_add_loop_test(tc, test_tool, 0, TOOL__MAX);
	tcase_add_test(tc, test_tool_lookup);
	suite_add_tcase(s, tc);
	tc = tcase_create("provider_defs");
	tcase_add_loop_test(tc, test_provider, 0, PROVIDER__MAX);
	tcase_add_test(tc, test_provider_enum);
	tcase_add_loop_test(tc, test_provider_lookup, 0, NITEMS(lookups));
	suite_add_tcase(s, tc);
	return check_run(s);
}
