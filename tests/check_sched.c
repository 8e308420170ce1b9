/* check_sched.c: unit tests of jobd's DAG scheduler (scheduler.c): which nodes run, in which
 * wave (all resolved nodes start together, complete together), and which are skipped. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_run.h"
#include "expr.h"
#include "jsonh.h"
#include "nitems.h"
#include "scheduler.h"
#include "wf.h"

#define N(id, type, conf) "{\"id\":\"" id "\",\"type\":\"" type "\",\"config\":" conf "}"
#define IN		N("in", "input", "{}")
#define T(id)		N(id, "template", "{\"template\":\"x\"}")
#define C(id)		N(id, "condition", "{\"expr\":\"true\"}")
#define M(id)		N(id, "merge", "{}")
#define O(id)		N(id, "output", "{\"value\":\"x\"}")
#define E(a, b)		"{\"source\":\"" a "\",\"target\":\"" b "\"}"
#define SW(id)		N(id, "switch", "{\"cases\":[{\"name\":\"a\",\"expr\":\".x\"}," \
			    "{\"name\":\"b\",\"expr\":\".y\"}]}")
#define EH(a, h, b)	"{\"source\":\"" a "\",\"source_handle\":\"" h "\",\"target\":\"" b "\"}"

/* definition, outcomes (separated by spaces: "id" a truthy output, "id:N" a switch taking
 * case N, "id!" a node failing for good; any other node's output is false), expected
 * outcome "id=wave" or "id=S" (skipped) per node, in definition order */
static const struct { const char *def, *outcomes, *want; } graphs[] = {
	{ "{\"nodes\":[" IN "," T("a") "," O("o") "],\"edges\":[" E("in", "a") "," E("a", "o") "]}",
	    "", "in=0 a=1 o=2" },
	/* fan-out, fan-in: the merge starts only once all three completed */
	{ "{\"nodes\":[" IN "," T("a") "," T("b") "," T("c") "," M("m") "," O("o") "],\"edges\":["
	    E("in", "a") "," E("in", "b") "," E("in", "c") "," E("a", "m") "," E("b", "m") ","
	    E("c", "m") "," E("m", "o") "]}", "", "in=0 a=1 b=1 c=1 m=2 o=3" },
	/* uneven branches: the merge waits for the longer one */
	{ "{\"nodes\":[" IN "," T("a") "," T("b") "," T("b2") "," M("m") "," O("o") "],"
	    "\"edges\":[" E("in", "a") "," E("in", "b") "," E("b", "b2") "," E("a", "m") ","
	    E("b2", "m") "," E("m", "o") "]}", "", "in=0 a=1 b=1 b2=2 m=3 o=4" },
	/* condition true / false */
	{ "{\"nodes\":[" IN "," C("c") "," T("y") "," T("n") "," O("oy") "," O("on") "],"
	    "\"edges\":[" E("in", "c") "," EH("c", "true", "y") "," EH("c", "false", "n") ","
	    E("y", "oy") "," E("n", "on") "]}", "c", "in=0 c=1 y=2 n=S oy=3 on=S" },
	{ "{\"nodes\":[" IN "," C("c") "," T("y") "," T("n") "," O("oy") "," O("on") "],"
	    "\"edges\":[" E("in", "c") "," EH("c", "true", "y") "," EH("c", "false", "n") ","
	    E("y", "oy") "," E("n", "on") "]}", "", "in=0 c=1 y=S n=2 oy=S on=3" },
	/* merge after a condition: waits for the branch taken only */
	{ "{\"nodes\":[" IN "," C("c") "," T("y") "," T("n") "," M("m") "," O("o") "],"
	    "\"edges\":[" E("in", "c") "," EH("c", "true", "y") "," EH("c", "false", "n") ","
	    E("y", "m") "," E("n", "m") "," E("m", "o") "]}", "", "in=0 c=1 y=S n=2 m=3 o=4" },
	/* everything under a branch not taken is skipped, merge included */
	{ "{\"nodes\":[" IN "," C("c") "," T("a") "," T("b") "," M("m") "," O("o") "," O("o2")
	    "],\"edges\":[" E("in", "c") "," EH("c", "true", "a") "," EH("c", "true", "b") ","
	    E("a", "m") "," E("b", "m") "," E("m", "o") "," EH("c", "false", "o2") "]}", "",
	    "in=0 c=1 a=S b=S m=S o=S o2=2" },
	/* a node fed by a skipped and a taken branch still runs */
	{ "{\"nodes\":[" IN "," C("c") "," T("y") "," T("x") "," O("o") "],\"edges\":["
	    E("in", "c") "," EH("c", "true", "y") "," E("y", "x") "," E("in", "x") ","
	    E("x", "o") "]}", "", "in=0 c=1 y=S x=2 o=3" },
	/* nested conditions */
	{ "{\"nodes\":[" IN "," C("c1") "," C("c2") "," T("a") "," T("b") "," O("o") "],"
	    "\"edges\":[" E("in", "c1") "," EH("c1", "true", "c2") "," EH("c2", "true", "a") ","
	    EH("c2", "false", "b") "," E("a", "o") "," E("b", "o") "]}", "c1",
	    "in=0 c1=1 c2=2 a=S b=3 o=4" },
	/* a switch takes the handle of its case, or default */
	{ "{\"nodes\":[" IN "," SW("s") "," T("x") "," T("y") "," T("z") "," O("o") "],"
	    "\"edges\":[" E("in", "s") "," EH("s", "a", "x") "," EH("s", "b", "y") ","
	    EH("s", "default", "z") "," E("x", "o") "," E("y", "o") "," E("z", "o") "]}", "s:1",
	    "in=0 s=1 x=S y=2 z=S o=3" },
	{ "{\"nodes\":[" IN "," SW("s") "," T("x") "," T("y") "," T("z") "," O("o") "],"
	    "\"edges\":[" E("in", "s") "," EH("s", "a", "x") "," EH("s", "b", "y") ","
	    EH("s", "default", "z") "," E("x", "o") "," E("y", "o") "," E("z", "o") "]}", "",
	    "in=0 s=1 x=S y=S z=2 o=3" },
	/* two edges from one case */
	{ "{\"nodes\":[" IN "," SW("s") "," T("x") "," T("y") "," O("o") "],\"edges\":["
	    E("in", "s") "," EH("s", "a", "x") "," EH("s", "a", "y") "," E("x", "o") ","
	    E("y", "o") "]}", "s:0", "in=0 s=1 x=2 y=2 o=3" },
	/* a failure takes the error branch alone; a success skips it */
	{ "{\"nodes\":[" IN "," T("t") "," T("e") "," O("o") "," O("oe") "],\"edges\":["
	    E("in", "t") "," E("t", "o") "," EH("t", "error", "e") "," E("e", "oe") "]}", "t!",
	    "in=0 t=1 e=2 o=S oe=3" },
	{ "{\"nodes\":[" IN "," T("t") "," T("e") "," O("o") "," O("oe") "],\"edges\":["
	    E("in", "t") "," E("t", "o") "," EH("t", "error", "e") "," E("e", "oe") "]}", "",
	    "in=0 t=1 e=S o=2 oe=S" },
	/* error branch and merge: the merge runs after whichever branch was taken */
	{ "{\"nodes\":[" IN "," T("t") "," T("e") "," M("m") "," O("o") "],\"edges\":["
	    E("in", "t") "," E("t", "m") "," EH("t", "error", "e") "," E("e", "m") ","
	    E("m", "o") "]}", "t!", "in=0 t=1 e=2 m=3 o=4" },
	{ "{\"nodes\":[" IN "," T("t") "," T("e") "," M("m") "," O("o") "],\"edges\":["
	    E("in", "t") "," E("t", "m") "," EH("t", "error", "e") "," E("e", "m") ","
	    E("m", "o") "]}", "", "in=0 t=1 e=S m=2 o=3" },
	/* a condition's error branch skips both of its other handles */
	{ "{\"nodes\":[" IN "," C("c") "," T("y") "," T("n") "," T("e") "," O("o") "],"
	    "\"edges\":[" E("in", "c") "," EH("c", "true", "y") "," EH("c", "false", "n") ","
	    EH("c", "error", "e") "," E("y", "o") "," E("n", "o") "," E("e", "o") "]}", "c!",
	    "in=0 c=1 y=S n=S e=2 o=3" },
	/* a node without edges runs in the first wave */
	{ "{\"nodes\":[" IN "," T("lone") "," O("o") "],\"edges\":[" E("in", "o") "]}", "",
	    "in=0 lone=0 o=1" },
};

/* The handles node "k" of "wf" takes under the outcomes "list" (see graphs). */
static unsigned
test_handles(const struct wf *wf, size_t k, const char *list)
{
	const char	*id = wf->nodes[k].id, *p;
	size_t		 n = strlen(id);
	json_object	*out;
	unsigned	 mask;

	for (p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && strchr(" :!", p[n]) != NULL)
			break;
	if (p != NULL && p[n] == '!')
		return 1u << WF_HANDLE_ERROR;
	if (p != NULL && p[n] == ':') {
		out = json_object_new_object();
		json_object_object_add(out, "index", json_object_new_int(atoi(p + n + 1)));
	} else
		out = json_object_new_boolean(p != NULL);
	mask = sched_handles(wf->nodes[k].type, out);
	json_object_put(out);
	return mask;
}

START_TEST(test_sched_waves)
{
	json_object	*def = NULL, *errors = json_object_new_array();
	struct wf	*wf = NULL;
	struct sched	 s;
	size_t		 k, wave_nodes[64], nw, i;
	int		 wave[64];
	bool		 skip;
	char		 err[128], got[512];
	int		 w;

	ck_assert_int_eq(jsonh_parse(graphs[_i].def, strlen(graphs[_i].def), &def, err,
	    sizeof(err)), 0);
	ck_assert_msg(wf_parse(def, &wf, errors) == 0, "%s", jsonh_str(errors));
	sched_init(&s, wf);
	for (k = 0; k < wf->nnodes; k++)
		wave[k] = -2;
	for (w = 0; w < 64 && !sched_finished(&s); w++) {
		nw = 0;
		while (sched_next(&s, &k, &skip)) {
			if (skip) {
				wave[k] = -1;
				sched_skip(&s, k);	/* skips resolve at once */
			} else {
				wave[k] = w;
				wave_nodes[nw++] = k;
			}
		}
		for (i = 0; i < nw; i++)
			sched_complete(&s, wave_nodes[i], test_handles(wf, wave_nodes[i],
			    graphs[_i].outcomes));
	}
	ck_assert(sched_finished(&s));
	got[0] = '\0';
	for (k = 0; k < wf->nnodes; k++) {
		size_t len = strlen(got);

		if (wave[k] == -1)
			snprintf(got + len, sizeof(got) - len, "%s%s=S", k ? " " : "", wf->nodes[k].id);
		else
			snprintf(got + len, sizeof(got) - len, "%s%s=%d", k ? " " : "",
			    wf->nodes[k].id, wave[k]);
	}
	ck_assert_str_eq(got, graphs[_i].want);
	sched_clear(&s);
	sched_clear(&s);	/* idempotent */
	wf_free(wf);
	json_object_put(errors);
	json_object_put(def);
	expr_cache_clear();
}
END_TEST

/* type, output (JSON), handle mask */
static const struct { enum wf_node_type t; const char *out; unsigned mask; } handles[] = {
	{ WF_NODE_CONDITION, "true", 1u << WF_HANDLE_TRUE },
	{ WF_NODE_CONDITION, "{}", 1u << WF_HANDLE_TRUE },
	{ WF_NODE_CONDITION, "false", 1u << WF_HANDLE_FALSE },
	{ WF_NODE_CONDITION, "null", 1u << WF_HANDLE_FALSE },
	{ WF_NODE_TEMPLATE, "false", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_HTTP_REQUEST, "true", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_SWITCH, "{\"case\":\"a\",\"index\":0}", 1u << WF_HANDLE_CASE(0) },
	{ WF_NODE_SWITCH, "{\"case\":\"z\",\"index\":15}", 1u << WF_HANDLE_CASE(15) },
	{ WF_NODE_SWITCH, "{\"case\":\"default\",\"index\":null}", 1u << WF_HANDLE_DEFAULT },
	/* out of range or malformed: default */
	{ WF_NODE_SWITCH, "{\"index\":16}", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_SWITCH, "{\"index\":-1}", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_SWITCH, "{\"index\":\"0\"}", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_SWITCH, "null", 1u << WF_HANDLE_DEFAULT },
	/* an index means nothing to a type without cases */
	{ WF_NODE_TRANSFORM, "{\"index\":1}", 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_APPROVAL, "{\"approved\":true}", 1u << WF_HANDLE_APPROVED },
	{ WF_NODE_APPROVAL, "{\"approved\":false}", 1u << WF_HANDLE_REJECTED },
	{ WF_NODE_APPROVAL, "{}", 1u << WF_HANDLE_REJECTED },
};

START_TEST(test_sched_handles)
{
	json_object	*out = json_tokener_parse(handles[_i].out);

	ck_assert_uint_eq(sched_handles(handles[_i].t, out), handles[_i].mask);
	json_object_put(out);
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sched");
	TCase	*tc = tcase_create("sched_next");

	tcase_add_loop_test(tc, test_sched_waves, 0, NITEMS(graphs));
	suite_add_tcase(s, tc);
	tc = tcase_create("sched_handles");
	tcase_add_loop_test(tc, test_sched_handles, 0, NITEMS(handles));
	suite_add_tcase(s, tc);
	return check_run(s);
}
