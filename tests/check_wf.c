/* check_wf.c: unit tests of wf.c (definition validation and ordering). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_run.h"
#include "expr.h"
#include "jsonh.h"
#include "nitems.h"
#include "rows.h"
#include "wf.h"
#include "wfgen.h"

#define N_IN	"{\"id\":\"in\",\"type\":\"input\",\"config\":{}}"
#define N_OUT	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .t.output }}\"}}"
#define N_T	"{\"id\":\"t\",\"type\":\"template\",\"config\":{\"template\":\"Hi {{ .in.name }}\"}}"
#define E(a, b)	"{\"source\":\"" a "\",\"target\":\"" b "\"}"
/* eight headers named after "p" */
#define H2(p)	"\"" p "1\":\"1\",\"" p "2\":\"1\""
#define H8(p)	H2(p "a") "," H2(p "b") "," H2(p "c") "," H2(p "d")

/* a switch "s" with cases "cases" (JSON array text) */
#define N_SW(cases) "{\"id\":\"s\",\"type\":\"switch\",\"config\":{\"cases\":" cases "}}"
#define CASE(n, e)	"{\"name\":\"" n "\",\"expr\":\"" e "\"}"
#define EH(a, h, b)	"{\"source\":\"" a "\",\"source_handle\":\"" h "\",\"target\":\"" b "\"}"
#define C4(p)		CASE(p "a", "1") "," CASE(p "b", "1") "," CASE(p "c", "1") "," \
			CASE(p "d", "1")

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
	/* the input node's schema passes the meta-schema (issue 17's crash input) */
	{ "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":{\"type\":"
	    "\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\","
	    "\"pattern\":\"^[A-Z]\"}}}}}," N_OUT "]}", 0, NULL },
	{ "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":"
	    "{\"required\":[1,null],\"c\":4}}}," N_OUT "]}", -1,
	    "nodes[0].config.schema.required[0]" },
	{ "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":"
	    "{\"properties\":{\"a\":{\"pattern\":\"(\"}}}}}," N_OUT "]}", -1,
	    "nodes[0].config.schema.properties.a.pattern" },
	{ "{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{\"schema\":5}},"
	    N_OUT "]}", -1, "nodes[0].config.schema" },
	/* switch: its case handles and default */
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("big", ".in.n > 10") "," CASE("small", "true")
	    "]") "," N_OUT "],\"edges\":[" E("in", "s") "," EH("s", "big", "out") ","
	    EH("s", "small", "out") "," EH("s", "default", "out") "]}", 0, NULL },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("big", "true") "]") "," N_OUT "],\"edges\":["
	    E("s", "out") "]}", 0, NULL },
	/* a handle the switch does not have; a case name of another node */
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("big", "true") "]") "," N_OUT "],\"edges\":["
	    EH("s", "small", "out") "]}", -1, "edges[0].source_handle" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("big", "true") "]") "," N_OUT "],\"edges\":["
	    EH("s", "true", "out") "]}", -1, "edges[0].source_handle" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("big", "true") "]") "," N_OUT "],\"edges\":["
	    EH("in", "big", "out") "]}", -1, "edges[0].source_handle" },
	/* case names: unique, not a named handle, identifiers; 1 to 16 cases */
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("a", "true") "," CASE("a", "false") "]") ","
	    N_OUT "]}", -1, "nodes[1].config.cases[1].name" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("error", "true") "]") "," N_OUT "]}", -1,
	    "nodes[1].config.cases[0].name" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("x", "true") "," CASE("default", "true") "]")
	    "," N_OUT "]}", -1, "nodes[1].config.cases[1].name" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("9lives", "true") "]") "," N_OUT "]}", -1,
	    "nodes[1].config.cases[0].name" },
	{ "{\"nodes\":[" N_IN "," N_SW("[]") "," N_OUT "]}", -1, "nodes[1].config.cases" },
	{ "{\"nodes\":[" N_IN "," N_SW("[" C4("a") "," C4("b") "," C4("c") "," C4("d") "]") ","
	    N_OUT "]}", 0, NULL },
	{ "{\"nodes\":[" N_IN "," N_SW("[" C4("a") "," C4("b") "," C4("c") "," C4("d") ","
	    CASE("e", "1") "]") "," N_OUT "]}", -1, "nodes[1].config.cases" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"s\",\"type\":\"switch\",\"config\":{}}," N_OUT
	    "]}", -1, "nodes[1].config.cases" },
	{ "{\"nodes\":[" N_IN "," N_SW("[{\"name\":\"a\"}]") "," N_OUT "]}", -1,
	    "nodes[1].config.cases[0].expr" },
	/* a case's condition is compiled like any jq program */
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("a", "true") "," CASE("b", ".x |") "]") ","
	    N_OUT "]}", -1, "nodes[1].config.cases[1].expr" },
	/* every node has an error handle */
	{ "{\"nodes\":[" N_IN "," N_T "," N_OUT "],\"edges\":[" E("in", "t") ","
	    EH("t", "error", "out") "," E("t", "out") "]}", 0, NULL },
	{ "{\"nodes\":[" N_IN "," N_SW("[" CASE("a", "true") "]") "," N_OUT "],\"edges\":["
	    EH("s", "error", "out") "]}", 0, NULL },
	{ "{\"nodes\":[" N_IN "," N_T "," N_OUT "],\"edges\":[" EH("t", "errors", "out")
	    "]}", -1, "edges[0].source_handle" },
	/* at most 64 headers */
	{ "{\"nodes\":[" N_IN ",{\"id\":\"h\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"https://example.com\",\"headers\":{" H8("a") "," H8("b") "," H8("c") "," H8("d") ","
	    H8("e") "," H8("f") "," H8("g") "," H8("h") ",\"x\":\"1\"}}}," N_OUT "]}", -1,
	    "nodes[1].config.headers" },
	/* a JSON body of templates nested past WF_MAX_TREE_DEPTH */
	{ "{\"nodes\":[" N_IN ",{\"id\":\"h\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"https://example.com\",\"body_type\":\"json\",\"body\":[[[[[[[[[[[[[[[[[[\"{{ .in "
	    "}}\"]]]]]]]]]]]]]]]]]]}}," N_OUT "]}", -1, "nodes[1].config.body[0][0][0][0][0][0][0]"
	    "[0][0][0][0][0][0][0][0][0][0]" },
	{ "{\"nodes\":[" N_IN ",{\"id\":\"h\",\"type\":\"http_request\",\"config\":{\"url\":"
	    "\"https://example.com\",\"body_type\":\"json\",\"body\":[[[[[[[[[[[[[[[[\"{{ .in "
	    "}}\"]]]]]]]]]]]]]]]]}}," N_OUT "]}", 0, NULL },
};

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
		ck_assert_msg(rows_have(errors, defs[_i].field, NULL), "want %s in %s",
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

/* Generated definitions at and past each cap: shape, what wf_limits_check answers (-1: too
 * large as a whole), what wf_parse answers, and the field named. */
static const struct {
	struct wfgen	 g;
	int		 limits, rc;
	const char	*field;
} shapes[] = {
	/* every cap reached at once, and still valid */
	{ { WF_MAX_NODES, WF_MAX_EDGES, 2, 262, 0, false }, 0, 0, NULL },
	/* the same with every expression a different program: compiled together, not one by
	 * one (1,000 compiles took 17 s) */
	{ { WF_MAX_NODES, WF_MAX_EDGES, 2, 262, 0, true }, 0, 0, NULL },
	{ { WF_MAX_NODES + 1, WF_MAX_NODES, 0, 16, 0, false }, -1, -1, "definition.nodes" },
	{ { WF_MAX_NODES, WF_MAX_EDGES + 1, 0, 16, 0, false }, -1, -1, "definition.edges" },
	{ { 18, 17, 59, 16, 0, false }, -1, -1, "definition" },		/* 1,003 expressions */
	{ { 102, 101, 10, 262, 0, false }, -1, -1, "definition" },	/* 262,000 bytes */
	{ { 100, 99, 1, 16, 5300, false }, -1, -1, "definition" },	/* over 512 KiB */
	{ { 3, 2, WF_MAX_NODE_EXPRS, 16, 0, false }, 0, 0, NULL },
	{ { 3, 2, WF_MAX_NODE_EXPRS + 1, 16, 0, false }, 0, -1, "nodes[1].config" },
	{ { 3, 2, 1, 4096, 0, false }, 0, 0, NULL },
	{ { 3, 2, 1, 4097, 0, false }, 0, -1, "nodes[1].config.template" },
	{ { 3, 2, 1, 16, WF_MAX_NODE_BYTES, false }, 0, -1, "nodes[1].config" },
};

START_TEST(test_wf_caps)
{
	char		*text = wfgen_definition(&shapes[_i].g), err[256];
	json_object	*def = NULL, *errors = json_object_new_array();
	struct wf	*wf = NULL;
	struct timespec	 t0, t1;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(jsonh_parse(text, strlen(text), &def, err, sizeof(err)), 0);
	ck_assert_int_eq(wf_limits_check(def, errors), shapes[_i].limits);
	json_object_put(errors);
	errors = json_object_new_array();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(wf_parse(def, &wf, errors), shapes[_i].rc);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (shapes[_i].rc == 0)
		ck_assert_msg(json_object_array_length(errors) == 0, "%.500s", jsonh_str(errors));
	else
		ck_assert_msg(rows_have(errors, shapes[_i].field, NULL), "want %s in %.500s",
		    shapes[_i].field, jsonh_str(errors));
	if (_i <= 1)
		fprintf(stderr, "wf_parse of a definition at every cap (%zu bytes, %s "
		    "expressions): %.1f ms\n", strlen(text), _i ? "distinct" : "equal", (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	wf_free(wf);
	json_object_put(errors);
	json_object_put(def);
	free(text);
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

/* Appends transform node "t<i>" running "prog" to "nodes". */
static void
add_transform(json_object *nodes, size_t i, const char *prog)
{
	json_object	*n = json_object_new_object(), *c = json_object_new_object();
	char		 id[16];

	snprintf(id, sizeof(id), "t%zu", i);
	json_object_object_add(n, "id", json_object_new_string(id));
	json_object_object_add(n, "type", json_object_new_string("transform"));
	json_object_object_add(c, "expr", json_object_new_string(prog));
	json_object_object_add(n, "config", c);
	json_object_array_add(nodes, n);
}

/* Programs that each fail to compile: a few are named one by one, then checking stops after
 * WF_MAX_COMPILES compiles and says so, instead of compiling each. */
START_TEST(test_wf_many_bad_exprs)
{
	const size_t	 nbad = (size_t)_i == 0 ? 2 : 200;
	json_object	*def, *nodes, *errors = json_object_new_array();
	struct wf	*wf = NULL;
	char		 prog[40], field[64];
	size_t		 i;

	def = json_tokener_parse("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\","
	    "\"config\":{}}],\"edges\":[]}");
	nodes = json_object_object_get(def, "nodes");
	for (i = 0; i < 300; i++) {
		if (i < nbad)
			snprintf(prog, sizeof(prog), "undefined_%zu(.)", i);
		else
			snprintf(prog, sizeof(prog), ".a%zu + %zu", i, i);
		add_transform(nodes, i, prog);
	}
	ck_assert_int_eq(wf_parse(def, &wf, errors), -1);
	if (nbad == 2) {
		for (i = 0; i < nbad; i++) {
			snprintf(field, sizeof(field), "nodes[%zu].config.expr", i + 1);
			ck_assert_msg(rows_have(errors, field, NULL), "%s in %.500s", field,
			    jsonh_str(errors));
		}
		ck_assert_uint_eq(json_object_array_length(errors), 2);
	} else
		ck_assert_msg(rows_have(errors, "definition", "were not compiled"), "%.500s",
		    jsonh_str(errors));
	json_object_put(errors);
	json_object_put(def);
	expr_cache_clear();
}
END_TEST

START_TEST(test_wf_caps_before_compile)
{
	/* Past a cap, nothing is compiled: a definition of 1,001 distinct, invalid programs is
	 * refused for its size alone, without one jq error. */
	struct wfgen	 g = { 2, 1, 0, 16, 0, true };
	char		*text, err[256];
	json_object	*def = NULL, *errors = json_object_new_array(), *nodes;
	struct wf	*wf = NULL;
	size_t		 i;

	text = wfgen_definition(&g);
	ck_assert_int_eq(jsonh_parse(text, strlen(text), &def, err, sizeof(err)), 0);
	nodes = json_object_object_get(def, "nodes");
	for (i = 0; i < 1001; i++) {
		char		 prog[32];

		snprintf(prog, sizeof(prog), ".a | %zu |", i);
		add_transform(nodes, i, prog);
	}
	ck_assert_int_eq(wf_parse(def, &wf, errors), -1);
	ck_assert_msg(rows_have(errors, "definition.nodes", NULL), "%.300s", jsonh_str(errors));
	for (i = 0; i < json_object_array_length(errors); i++)
		ck_assert_ptr_null(strstr(jsonh_get_string(json_object_array_get_idx(errors, i),
		    "field"), ".expr"));
	json_object_put(errors);
	json_object_put(def);
	free(text);
}
END_TEST

START_TEST(test_wf_types)
{
	enum wf_node_type	 t;
	size_t			 i;

	for (i = 0; i < WF_NODE__MAX; i++) {
		ck_assert_int_eq(wf_type_lookup(wf_types[i]->name, &t), 0);
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

	tcase_add_loop_test(tc, test_wf_parse, 0, NITEMS(defs));
	tcase_add_test(tc, test_wf_order);
	tcase_add_loop_test(tc, test_wf_caps, 0, NITEMS(shapes));
	tcase_add_test(tc, test_wf_caps_before_compile);
	tcase_add_loop_test(tc, test_wf_many_bad_exprs, 0, 2);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_wf_error_cut_utf8);
	suite_add_tcase(s, tc);
	tc = tcase_create("wf_type_lookup");
	tcase_add_test(tc, test_wf_types);
	suite_add_tcase(s, tc);
	return check_run(s);
}
