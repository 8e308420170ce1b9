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
#define EH(a, h, b)	"{\"source\":\"" a "\",\"source_handle\":\"" h "\",\"target\":\"" b "\"}"

/* definition, conditions that come out true (ids separated by spaces), expected outcome
 * "id=wave" or "id=S" (skipped) per node, in definition order */
static const struct { const char *def, *truthy, *want; } graphs[] = {
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
	/* a node without edges runs in the first wave */
	{ "{\"nodes\":[" IN "," T("lone") "," O("o") "],\"edges\":[" E("in", "o") "]}", "",
	    "in=0 lone=0 o=1" },
};

/* True when node id "id" is in the space-separated list "list". */
static int
in_list(const char *list, const char *id)
{
	size_t	 n = strlen(id);
	const char *p;

	for (p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return 1;
	return 0;
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
			sched_complete(&s, wave_nodes[i], sched_handles(
			    wf->nodes[wave_nodes[i]].type,
			    in_list(graphs[_i].truthy, wf->nodes[wave_nodes[i]].id)));
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

/* type, truthy, handle mask */
static const struct { enum wf_node_type t; bool truthy; unsigned mask; } handles[] = {
	{ WF_NODE_CONDITION, true, 1u << WF_HANDLE_TRUE },
	{ WF_NODE_CONDITION, false, 1u << WF_HANDLE_FALSE },
	{ WF_NODE_TEMPLATE, false, 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_HTTP_REQUEST, true, 1u << WF_HANDLE_DEFAULT },
	{ WF_NODE_APPROVAL, true, 1u << WF_HANDLE_APPROVED },
	{ WF_NODE_APPROVAL, false, 1u << WF_HANDLE_REJECTED },
};

START_TEST(test_sched_handles)
{
	ck_assert_uint_eq(sched_handles(handles[_i].t, handles[_i].truthy), handles[_i].mask);
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
