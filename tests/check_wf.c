/* check_wf.c: unit tests of wf.c (definition validation and ordering). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "expr.h"
#include "jsonh.h"
#include "wf.h"

#define N_IN	"{\"id\":\"in\",\"type\":\"input\",\"config\":{}}"
#define N_OUT	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .t.output }}\"}}"
#define N_T	"{\"id\":\"t\",\"type\":\"template\",\"config\":{\"template\":\"Hi {{ .in.name }}\"}}"
#define E(a, b)	"{\"source\":\"" a "\",\"target\":\"" b "\"}"

/* definition, expected rc, a field that must be named in the errors (or NULL) */
static const struct { const char *def; int rc; const char *field; } defs[] = {
	{ "{\"nodes\":[" N_IN "," N_T "," N_OUT "],\"edges\":[" E("in", "t") "," E("t", "out") "]}",
	    0, NULL },
	/* edges may be omitted */
	{ "{\"nodes\":[" N_IN "," N_OUT "]}", 0, NULL },
	{ "[]", -1, "definition" },
	{ "{\"edges\":[]}", -1, "definition.nodes" },
	{ "{\"nodes\":{},\"edges\":[]}", -1, "definition.nodes" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":{}}", -1, "definition.edges" },
	{ "{\"nodes\":[" N_IN "," N_IN "," N_OUT "],\"edges\":[]}", -1, "nodes[1].id" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"x\",\"type\":\"teleport\",\"config\":{}}," N_OUT "]}",
	    -1, "nodes[1].type" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"9x\",\"type\":\"template\",\"config\":{}}," N_OUT "]}",
	    -1, "nodes[1].id" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"a-b\",\"type\":\"template\",\"config\":{}}," N_OUT "]}",
	    -1, "nodes[1].id" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"input\",\"type\":\"template\",\"config\":{}}," N_OUT "]}",
	    -1, "nodes[1].id" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"t\",\"type\":\"template\"}," N_OUT "]}",
	    -1, "nodes[1].config" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"t\",\"type\":\"template\",\"config\":{}}," N_OUT "]}",
	    -1, "nodes[1].config.template" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"t\",\"type\":\"template\",\"config\":{\"template\":5}},"
	    N_OUT "]}", -1, "nodes[1].config.template" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"t\",\"type\":\"template\",\"config\":"
	    "{\"template\":\"{{ .a | }}\"}}," N_OUT "]}", -1, "nodes[1].config.template" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[" E("in", "nowhere") "]}",
	    -1, "edges[0].target" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[" E("ghost", "out") "]}",
	    -1, "edges[0].source" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[" E("out", "out") "]}",
	    -1, "edges[0].target" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[" E("out", "in") "]}",
	    -1, "edges[0].target" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[{\"source\":\"in\",\"target\":\"out\","
	    "\"source_handle\":\"true\"}]}", -1, "edges[0].source_handle" },
	{ "{\"nodes\":[" N_IN "," N_T "," N_OUT ",{\"id\":\"u\",\"type\":\"template\",\"config\":"
	    "{\"template\":\"x\"}}],\"edges\":[" E("t", "u") "," E("u", "t") "]}", -1, "nodes[1]" },
	{ "{\"nodes\":[" N_OUT "]}", -1, "nodes" },
	{ "{\"nodes\":[" N_IN "]}", -1, "nodes" },
	{ "{\"nodes\":[" N_IN "," N_OUT ",7]}", -1, "nodes[2]" },
	{ "{\"nodes\":[" N_IN "," N_OUT "],\"edges\":[\"x\"]}", -1, "edges[0]" },
};

/* True when "errors" has a row whose field is "field". */
static int
has_field(json_object *errors, const char *field)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(errors); i++)
		if (strcmp(jsonh_get_string(json_object_array_get_idx(errors, i), "field"),
		    field) == 0)
			return 1;
	return 0;
}

START_TEST(test_wf_parse)
{
	json_object	*def = NULL, *errors = json_object_new_array();
	struct wf	*wf = (struct wf *)1;
	char		 err[256];

	ck_assert_int_eq(jsonh_parse(defs[_i].def, strlen(defs[_i].def), &def, err,
	    sizeof(err)), 0);
	ck_assert_int_eq(wf_parse(def, &wf, errors), defs[_i].rc);
	if (defs[_i].rc == 0) {
		ck_assert_ptr_nonnull(wf);
		ck_assert_uint_eq(json_object_array_length(errors), 0);
	} else {
		ck_assert_ptr_null(wf);
		ck_assert_msg(has_field(errors, defs[_i].field), "want %s in %s",
		    defs[_i].field, jsonh_str(errors));
	}
	wf_free(wf);
	json_object_put(errors);
	json_object_put(def);
	expr_cache_clear();
}
END_TEST

START_TEST(test_wf_order)
{
	/* Nodes listed backwards still come out in dependency order. */
	const char	 doc[] = "{\"nodes\":[" N_OUT "," N_T "," N_IN "],\"edges\":["
	    E("t", "out") "," E("in", "t") "]}";
	json_object	*def = NULL, *errors = json_object_new_array();
	struct wf	*wf = NULL;
	char		 err[64];

	ck_assert_int_eq(jsonh_parse(doc, strlen(doc), &def, err, sizeof(err)), 0);
	ck_assert_int_eq(wf_parse(def, &wf, errors), 0);
	ck_assert_str_eq(wf->nodes[wf->order[0]].id, "in");
	ck_assert_str_eq(wf->nodes[wf->order[1]].id, "t");
	ck_assert_str_eq(wf->nodes[wf->order[2]].id, "out");
	ck_assert_int_eq(wf_node_index(wf, "t"), 1);
	ck_assert_int_eq(wf_node_index(wf, "zzz"), -1);
	wf_free(wf);
	wf_free(NULL);
	json_object_put(errors);
	json_object_put(def);
	expr_cache_clear();
}
END_TEST

/* An error's field quotes a header name cut to a buffer: never half a UTF-8 character. */
START_TEST(test_wf_error_cut_utf8)
{
	json_object	*def = NULL, *errors = json_object_new_array(), *hs;
	struct wf	*wf = NULL;
	char		 key[201], err[64];
	const char	 doc[] = "{\"nodes\":[" N_IN ",{\"id\":\"h\",\"type\":\"http_request\","
	    "\"config\":{\"url\":\"http://x\",\"headers\":{}}}," N_OUT "],\"edges\":[]}";
	size_t		 i;

	for (i = 0; i + 2 < sizeof(key); i += 2)
		memcpy(key + i, "\xc3\xa9", 2);		/* 100 times U+00E9 */
	key[200] = '\0';
	ck_assert_int_eq(jsonh_parse(doc, strlen(doc), &def, err, sizeof(err)), 0);
	hs = json_object_object_get(json_object_object_get(json_object_array_get_idx(
	    json_object_object_get(def, "nodes"), 1), "config"), "headers");
	json_object_object_add(hs, key, json_object_new_string("{{"));
	ck_assert_int_eq(wf_parse(def, &wf, errors), -1);
	ck_assert_uint_ge(json_object_array_length(errors), 1);
	ck_assert(jsonh_storable(errors));
	wf_free(wf);
	json_object_put(errors);
	json_object_put(def);
	expr_cache_clear();
}
END_TEST

START_TEST(test_wf_types)
{
	enum wf_node_type	 t;
	size_t			 i;

	for (i = 0; i < WF_NODE__MAX; i++) {
		ck_assert_int_eq(wf_type_lookup(wf_types[i].name, &t), 0);
		ck_assert_int_eq(t, (int)i);
	}
	ck_assert_int_eq(wf_type_lookup("nope", &t), -1);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("wf");
	TCase	*tc = tcase_create("wf_parse");

	tcase_add_loop_test(tc, test_wf_parse, 0, sizeof(defs) / sizeof(defs[0]));
	tcase_add_test(tc, test_wf_order);
	tcase_add_test(tc, test_wf_error_cut_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("wf_type_lookup");
	tcase_add_test(tc, test_wf_types);
	suite_add_tcase(s, tc);
	return check_run(s);
}
