/* fuzz_wf_struct.c: structure-aware fuzz harness of wf_parse, the workflow validator. Its
 * custom mutator edits a definition as JSON (json-c) the way an editor could: node types,
 * configs and their members, policy values, ids, edges and their handles, the shape of the
 * document; blind byte mutation of one string now and then. Expressions come from a small
 * pool so that most of them are compiled once (expr.c caches them).
 * Properties: wf_parse succeeds exactly when it reports no error; every error names a field
 * and a message that can be stored; a valid model has the document's nodes, unique ids, one
 * input node, edges from handles their source has, and an order in which every edge goes
 * forward; parsing the serialised definition again gives the same answer.
 * fuzz-dict: jq json */
#include "config.h"

#include <string.h>

#include "fuzz.h"
#include "jsonh.h"
#include "nitems.h"
#include "utf8.h"
#include "wf.h"

/* Type names, with one that does not exist. */
static const char *const types[] = {
	"input", "output", "template", "transform", "condition", "merge", "delay",
	"http_request", "agent", "switch", "loop",
};
#define NTYPES	(NITEMS(types))

/* A valid config of each type in "types" (the last: anything). */
static const char *const configs[] = {
	"{}",
	"{\"value\":\"{{ .in }}\"}",
	"{\"template\":\"Hello {{ .in.name }}!\"}",
	"{\"expr\":\".in | keys\"}",
	"{\"expr\":\".in.n > 1\"}",
	"{}",
	"{\"ms\":10}",
	("{\"url\":\"https://example.com/{{ .in.p }}\",\"method\":\"POST\",\"headers\":"
	    "{\"X-A\":\"{{ .in.a }}\"},\"body_type\":\"json\",\"body\":{\"k\":[\"{{ .in }}\",1]},"
	    "\"max_response_bytes\":1000,\"follow_redirects\":true,\"fail_on_status\":false}"),
	("{\"agent_id\":\"01890a5d-ac96-774b-bcce-b302099a8057\",\"prompt\":\"{{ .in.q }}\","
	    "\"session_id\":\"s-{{ .in.s }}\"}"),
	("{\"cases\":[{\"name\":\"big\",\"expr\":\".in.n > 1\"},"
	    "{\"name\":\"small\",\"expr\":\"true\"}]}"),
	"{\"x\":1}",
};

/* Config member names: every type's and the policy's, and one no type has. */
static const char *const members[] = {
	"value", "template", "expr", "ms", "url", "method", "headers", "body_type", "body",
	"max_response_bytes", "follow_redirects", "fail_on_status", "agent_id", "prompt",
	"session_id", "cases", "timeout_ms", "retries", "retry_backoff_ms", "continue_on_error",
	"zzz",
};

/* Values for members: templates, jq programs (valid, invalid, refused), bounds, types. */
static const char *const values[] = {
	"\"{{ .in }}\"", "\"plain text\"", "\"{{ .a.output | length }} items\"", "\"{{\"",
	"\"}} {{ }}\"", "\"{{ .x }\"", "\"{{ [.[] | select(.n > 1)] }}\"", "\".in\"",
	"\"def f: 1; f\"", "\"$ENV.HOME\"", "\"env\"", "\"input\"", "\"range(10)\"",
	"\"[.. | numbers] | add\"", "\"if . then 1 else 2 end\"", "\"reduce .[] as $x (0; . + $x)\"",
	"\"@base64d\"", "\"(\"", "\"\"", "\"GET\"", "\"DELETE\"", "\"json\"", "\"text\"",
	"\"none\"", "0", "-1", "1", "10", "11", "86400000", "86400001", "2147483648",
	"9223372036854775807", "1e300", "0.5", "true", "false", "null", "[]", "{}",
	"{\"a\":\"{{ .in }}\",\"b\":[\"{{ 1 }}\",{\"c\":\"{{\"}]}", "[\"{{ .in }}\"]",
	"\"01890a5d-ac96-774b-bcce-b302099a8057\"", "\"not-a-uuid\"",
	/* a long name of two-byte characters, which error fields quote cut */
	("{\"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\":"
	    "\"{{\"}"),
};

/* Node ids: ordinary, edge cases of the id rules, and ones other nodes already have. */
static const char *const ids[] = {
	"in", "out", "a", "b", "c", "n1", "input", "1x", "_", "x-y", "",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklm", "caf\xc3\xa9",
};

static const char *const handles[] = {
	NULL, "default", "true", "false", "error", "big", "small", "maybe",
};

#define ARRLEN(a)	(sizeof(a) / sizeof((a)[0]))

/* xorshift64*: the mutator's randomness, from libFuzzer's seed. */
static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

static size_t
pick(uint64_t *s, size_t n)
{
	return n == 0 ? 0 : (size_t)(rnd(s) % n);
}

/* A new value parsed from "text" (a constant of this file). */
static json_object *
val(const char *text)
{
	json_object	*o = NULL;
	char		 err[128];

	if (jsonh_parse(text, strlen(text), &o, err, sizeof(err)) == -1)
		abort();
	return o;
}

/* The array "key" of "def", created (or replaced when not an array). */
static json_object *
arr(json_object *def, const char *key)
{
	json_object	*a = jsonh_get_typed(def, key, json_type_array);

	if (a == NULL) {
		a = json_object_new_array();
		json_object_object_add(def, key, a);
	}
	return a;
}

/* The id of a random node of "nodes", or a random id. */
static const char *
some_id(uint64_t *s, json_object *nodes)
{
	size_t		 n = json_object_array_length(nodes);
	const char	*id;

	if (n > 0 && pick(s, 4) != 0 &&
	    (id = jsonh_get_string(json_object_array_get_idx(nodes, pick(s, n)), "id")) != NULL)
		return id;
	return ids[pick(s, ARRLEN(ids))];
}

/* A new node of a random type with that type's sample config. */
static json_object *
new_node(uint64_t *s, json_object *nodes)
{
	json_object	*n = json_object_new_object();
	size_t		 t = pick(s, NTYPES);
	char		 id[32];

	snprintf(id, sizeof(id), "n%zu", json_object_array_length(nodes) + pick(s, 3));
	json_object_object_add(n, "id", json_object_new_string(id));
	json_object_object_add(n, "type", json_object_new_string(types[t]));
	json_object_object_add(n, "config", val(configs[t]));
	return n;
}

/* A new edge between random nodes, sometimes with a handle. */
static json_object *
new_edge(uint64_t *s, json_object *nodes)
{
	json_object	*e = json_object_new_object();
	const char	*h = handles[pick(s, ARRLEN(handles))];

	json_object_object_add(e, "source", json_object_new_string(some_id(s, nodes)));
	json_object_object_add(e, "target", json_object_new_string(some_id(s, nodes)));
	if (h != NULL)
		json_object_object_add(e, "source_handle", json_object_new_string(h));
	return e;
}

/* Byte-mutates string "o" with libFuzzer's own mutator (when there is one), keeping it
 * UTF-8 (what jsonh_parse lets through; NUL stays, as from a \u0000 escape). */
static void
mutate_string(json_object *o)
{
	uint8_t	 b[256];
	size_t	 n = (size_t)json_object_get_string_len(o), i, k;

	if (LLVMFuzzerMutate == NULL)
		return;
	n = n < sizeof(b) ? n : sizeof(b) - 1;
	memcpy(b, json_object_get_string(o), n);
	n = LLVMFuzzerMutate(b, n, sizeof(b));
	for (i = 0; i < n; i += k)
		if ((k = utf8_seq(b + i, n - i)) == 0) {
			b[i] = '?';
			k = 1;
		}
	json_object_set_string_len(o, (const char *)b, (int)n);
}

/* Changes one member of a random node's config. */
static void
mutate_config(uint64_t *s, json_object *node)
{
	json_object	*c = json_object_object_get(node, "config"), *v;
	const char	*m = members[pick(s, ARRLEN(members))];

	if (!json_object_is_type(c, json_type_object)) {
		json_object_object_add(node, "config", val(configs[pick(s, ARRLEN(configs))]));
		return;
	}
	switch (pick(s, 4)) {
	case 0:
		json_object_object_del(c, m);
		break;
	case 1:
		if ((v = json_object_object_get(c, m)) != NULL &&
		    json_object_is_type(v, json_type_string)) {
			mutate_string(v);
			break;
		}
		/* FALLTHROUGH */
	default:
		json_object_object_add(c, m, val(values[pick(s, ARRLEN(values))]));
	}
}

/* Applies one random edit to the definition "def". */
static void
mutate(uint64_t *s, json_object *def)
{
	json_object	*nodes = arr(def, "nodes"), *edges = arr(def, "edges"), *n, *e;
	size_t		 nn = json_object_array_length(nodes), ne = json_object_array_length(edges);

	n = nn > 0 ? json_object_array_get_idx(nodes, pick(s, nn)) : NULL;
	e = ne > 0 ? json_object_array_get_idx(edges, pick(s, ne)) : NULL;
	switch (pick(s, 12)) {
	case 0:
		json_object_array_add(nodes, new_node(s, nodes));
		break;
	case 1:
		if (nn > 0)
			json_object_array_del_idx(nodes, pick(s, nn), 1);
		break;
	case 2:
		json_object_array_add(edges, new_edge(s, nodes));
		break;
	case 3:
		if (ne > 0)
			json_object_array_del_idx(edges, pick(s, ne), 1);
		break;
	case 4:
		if (json_object_is_type(n, json_type_object))
			json_object_object_add(n, "type",
			    json_object_new_string(types[pick(s, NTYPES)]));
		break;
	case 5:
		if (json_object_is_type(n, json_type_object))
			json_object_object_add(n, "id",
			    json_object_new_string(some_id(s, nodes)));
		break;
	case 6:
	case 7:
		if (json_object_is_type(n, json_type_object))
			mutate_config(s, n);
		break;
	case 8:
		if (json_object_is_type(e, json_type_object))
			json_object_object_add(e, pick(s, 2) ? "source" : "target",
			    json_object_new_string(some_id(s, nodes)));
		break;
	case 9:
		if (json_object_is_type(e, json_type_object))
			json_object_object_add(e, "source_handle",
			    json_object_new_string(handles[1 + pick(s, ARRLEN(handles) - 1)]));
		break;
	case 10:
		if (n != NULL)
			json_object_array_add(nodes, jsonh_copy(n));	/* a duplicate id */
		break;
	default:
		/* The document's shape: a member of the wrong type, an unknown member. */
		json_object_object_add(def, pick(s, 3) == 0 ? "x" : pick(s, 2) ? "nodes" :
		    "edges", val(values[pick(s, ARRLEN(values))]));
	}
}

size_t
LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
	json_object	*def = NULL;
	const char	*out;
	char		 err[128];
	uint64_t	 s = (uint64_t)seed * 0x9e3779b97f4a7c15ULL + 1;
	size_t		 len, k;

	if (jsonh_parse((const char *)data, size, &def, err, sizeof(err)) == -1 ||
	    !json_object_is_type(def, json_type_object)) {
		json_object_put(def);
		/* Not a definition (libFuzzer's own crossover made it): start from one. */
		def = val("{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}},"
		    "{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .in }}\"}}],"
		    "\"edges\":[{\"source\":\"in\",\"target\":\"out\"}]}");
	}
	for (k = 1 + pick(&s, 3); k > 0; k--)
		mutate(&s, def);
	out = jsonh_str(def);
	len = strlen(out);
	if (len <= max_size) {
		memcpy(data, out, len);
		size = len;
	}
	json_object_put(def);
	return size;
}

/* Parses "def" and checks every property of the answer; returns the errors' text. */
static char *
check(json_object *def, int *rc)
{
	json_object	*errors = json_object_new_array(), *jnodes, *row, *f, *m;
	struct wf	*wf = NULL;
	size_t		 i, j, *pos, inputs = 0;
	char		*text;

	*rc = wf_parse(def, &wf, errors);
	FUZZ_ASSERT((*rc == 0) == (json_object_array_length(errors) == 0) &&
	    (*rc == 0) == (wf != NULL), "valid exactly when no error is reported");
	for (i = 0; i < json_object_array_length(errors); i++) {
		row = json_object_array_get_idx(errors, i);
		f = json_object_object_get(row, "field");
		m = json_object_object_get(row, "message");
		FUZZ_ASSERT(json_object_is_type(f, json_type_string) &&
		    json_object_is_type(m, json_type_string) && json_object_get_string_len(m) > 0,
		    "every error has a field and a message");
		FUZZ_ASSERT(jsonh_storable(row), "errors can be stored and answered as JSON");
	}
	if (wf != NULL) {
		jnodes = json_object_object_get(def, "nodes");
		FUZZ_ASSERT(wf->nnodes == json_object_array_length(jnodes),
		    "the model has the document's nodes");
		if ((pos = calloc(wf->nnodes + 1, sizeof(*pos))) == NULL)
			abort();
		for (i = 0; i < wf->nnodes; i++) {
			FUZZ_ASSERT(wf->order[i] < wf->nnodes && pos[wf->order[i]] == 0,
			    "the order is a permutation");
			pos[wf->order[i]] = i + 1;
			inputs += wf->nodes[i].type == WF_NODE_INPUT;
			for (j = 0; j < i; j++)
				FUZZ_ASSERT(strcmp(wf->nodes[i].id, wf->nodes[j].id) != 0,
				    "node ids are unique");
		}
		FUZZ_ASSERT(inputs == 1, "one input node");
		for (i = 0; i < wf->nedges; i++) {
			const struct wf_node *src = &wf->nodes[wf->edges[i].source];

			FUZZ_ASSERT(pos[wf->edges[i].source] < pos[wf->edges[i].target],
			    "every edge goes forward in the order");
			FUZZ_ASSERT(wf_node_handle(src->type, src->config, jsonh_get_string(
			    json_object_array_get_idx(json_object_object_get(def, "edges"), i),
			    "source_handle")) == (int)wf->edges[i].handle,
			    "edges leave from handles their source has");
			FUZZ_ASSERT(wf->edges[i].handle < WF_HANDLE__MAX ||
			    (wf_types[src->type]->cases != NULL &&
			    wf->edges[i].handle < WF_HANDLE_CASE(WF_MAX_CASES)),
			    "only a type with cases has case handles");
		}
		free(pos);
	}
	text = strdup(jsonh_str(errors));
	wf_free(wf);
	json_object_put(errors);
	return text;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object	*def = NULL, *again = NULL;
	const char	*s;
	char		 err[256], *first, *second;
	int		 rc1, rc2;

	if (jsonh_parse((const char *)data, size, &def, err, sizeof(err)) == -1)
		return 0;
	first = check(def, &rc1);
	s = jsonh_str(def);
	FUZZ_ASSERT(jsonh_parse(s, strlen(s), &again, err, sizeof(err)) == 0,
	    "a parsed definition serialises to JSON that parses");
	second = check(again, &rc2);
	FUZZ_ASSERT(rc1 == rc2 && strcmp(first, second) == 0,
	    "the serialised definition gets the same answer");
	free(first);
	free(second);
	json_object_put(again);
	json_object_put(def);
	return 0;
}
