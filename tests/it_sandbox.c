/* it_sandbox.c: hostile authors against the real stack. Every case of the corpus
 * tests/hostile/expressions.jsonl (reading the environment or files in every spelling found,
 * runaway loops, huge strings and arrays, deep recursion, jq 1.6's crashers) ends as a 422
 * naming the field at save time or as a failed step with a clear error at run time; a
 * definition slipped into the database past the API is refused by jobd itself; jobd keeps
 * running (same pid) with a bounded RSS; and no secret of the stack (database and Redis
 * passwords, JWT key, master key) appears in any answer, event or log line. Then, while ten
 * runaway expressions spin, a short workflow started meanwhile completes well before their
 * limit. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "check_run.h"
#include "fgconfig.h"
#include "it_common.h"
#include "it_engine_util.h"
#include "it_http.h"
#include "jsonh.h"
#include "nitems.h"
#include "queue.h"
#include "redisconn.h"

#define CORPUS_MAX	256
#define RUN_TIMEOUT_MS	2000	/* the nodes' timeout_ms: a runaway's limit in this suite */
#define RSS_GROWTH_MB	128	/* jobd's RSS may not grow more over the suite */

struct hcase {
	const char	*kind;
	const char	*text;
	const char	*expect;
	const char	*error;
	const char	*note;
	char		 exec[UUID_STRLEN + 1];
};

static json_object	*corpus;	/* the parsed lines, owning the strings */
static struct hcase	 cases[CORPUS_MAX];
static size_t		 ncases;
static char		*secrets[8];
static size_t		 nsecrets;
static struct buf	 seen;		/* every answer and event body, checked for secrets */

/* ---------------------------------------------------------------- fixtures */

/* Reads the corpus (FRAGENT_HOSTILE_CORPUS or tests/hostile/expressions.jsonl). */
static void
corpus_load(void)
{
	const char	*path = getenv("FRAGENT_HOSTILE_CORPUS");
	char		 line[8192], err[128];
	json_object	*o;
	FILE		*f;

	f = fopen(path ? path : "tests/hostile/expressions.jsonl", "r");
	ck_assert_msg(f != NULL, "cannot open the hostile corpus");
	corpus = json_object_new_array();
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		ck_assert_msg(jsonh_parse(line, strlen(line), &o, err, sizeof(err)) == 0, "%s: %s",
		    line, err);
		ck_assert_uint_lt(ncases, CORPUS_MAX);
		json_object_array_add(corpus, o);
		cases[ncases].kind = jsonh_get_string(o, "kind");
		cases[ncases].text = jsonh_get_string(o, "text");
		cases[ncases].expect = jsonh_get_string(o, "expect");
		cases[ncases].error = jsonh_get_string(o, "error");
		cases[ncases].note = jsonh_get_string(o, "note");
		ck_assert(cases[ncases].kind && cases[ncases].text && cases[ncases].expect);
		ncases++;
	}
	fclose(f);
}

/* Adds "s" (at least 8 bytes) to the secrets looked for. */
static void
secret_add(const char *s, size_t n)
{
	if (n >= 8 && nsecrets < NITEMS(secrets))
		secrets[nsecrets++] = strndup(s, n);
}

/* The password of URL "url" (between "://[user]:" and "@"). */
static void
secret_from_url(const char *url)
{
	const char	*at, *colon;

	if (url == NULL || (at = strrchr(url, '@')) == NULL)
		return;
	for (colon = at; colon > url && *colon != ':' && *colon != '/'; colon--)
		;
	if (*colon == ':')
		secret_add(colon + 1, (size_t)(at - colon - 1));
}

/* The first line of file "path". */
static void
secret_from_file(const char *path)
{
	char	*s = path != NULL ? config_read_secret(path) : NULL;

	if (s != NULL)
		secret_add(s, strlen(s));
	free(s);
}

static void
secrets_load(void)
{
	secret_from_url(getenv("FRAGENT_DATABASE_URL"));
	secret_from_url(getenv("FRAGENT_REDIS_URL"));
	secret_from_file(getenv("FRAGENT_JWT_KEY_FILE"));
	secret_from_file(getenv("FRAGENT_MASTER_KEY_FILE"));
	ck_assert_msg(nsecrets == 4, "found %zu of the stack's 4 secrets", nsecrets);
}

/* Fails when a secret is in the "n" bytes of "text" ("where" names them). */
static void
secrets_absent(const char *text, size_t n, const char *where)
{
	size_t	 i;

	for (i = 0; i < nsecrets; i++)
		ck_assert_msg(memmem(text, n, secrets[i], strlen(secrets[i])) == NULL,
		    "a secret of the stack appears in %s", where);
}

/* jobd's pid, from supervisord. */
static long
jobd_pid(void)
{
	const char	*sv = getenv("FRAGENT_TEST_SUPERVISORCTL");
	char		 cmd[512], out[64] = "";
	FILE		*p;

	ck_assert_msg(sv != NULL, "FRAGENT_TEST_SUPERVISORCTL is not set");
	snprintf(cmd, sizeof(cmd), "%s pid jobd 2>/dev/null", sv);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	if (fgets(out, sizeof(out), p) == NULL)
		out[0] = '\0';
	pclose(p);
	return atol(out);
}

/* The resident set of process "pid" in MB. */
static long
rss_mb(long pid)
{
	char	 path[64], line[128];
	long	 kb = 0;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%ld/status", pid);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb / 1024;
}

/* ---------------------------------------------------------------- definitions */

/* The definition of case "c": input → the node holding the text → output. */
static const char *
case_def(const struct hcase *c, struct buf *b)
{
	json_object	*def = json_object_new_object(), *nodes = json_object_new_array();
	json_object	*in = json_object_new_object(), *n = json_object_new_object();
	json_object	*cfg = json_object_new_object();
	const char	*type = "transform", *key = "expr";

	if (strcmp(c->kind, "condition") == 0)
		type = "condition";
	else if (strcmp(c->kind, "template") == 0) {
		type = "template";
		key = "template";
	} else if (strcmp(c->kind, "output") == 0) {
		type = "output";
		key = "value";
	} else if (strcmp(c->kind, "http_url") == 0) {
		type = "http_request";
		key = "url";
	}
	json_object_object_add(in, "id", json_object_new_string("in"));
	json_object_object_add(in, "type", json_object_new_string("input"));
	json_object_object_add(in, "config", json_object_new_object());
	json_object_object_add(cfg, key, json_object_new_string(c->text));
	json_object_object_add(cfg, "timeout_ms", json_object_new_int(RUN_TIMEOUT_MS));
	json_object_object_add(n, "id", json_object_new_string("n"));
	json_object_object_add(n, "type", json_object_new_string(type));
	json_object_object_add(n, "config", cfg);
	json_object_array_add(nodes, in);
	json_object_array_add(nodes, n);
	if (strcmp(type, "output") != 0) {
		json_object	*out = json_object_new_object(), *oc = json_object_new_object();

		json_object_object_add(oc, "value", json_object_new_string("{{ .n.output }}"));
		json_object_object_add(out, "id", json_object_new_string("out"));
		json_object_object_add(out, "type", json_object_new_string("output"));
		json_object_object_add(out, "config", oc);
		json_object_array_add(nodes, out);
	}
	json_object_object_add(def, "nodes", nodes);
	json_object_object_add(def, "edges", json_tokener_parse(
	    strcmp(type, "output") == 0 ? "[{\"source\":\"in\",\"target\":\"n\"}]" :
	    strcmp(type, "condition") == 0 ? "[{\"source\":\"in\",\"target\":\"n\"},"
	    "{\"source\":\"n\",\"source_handle\":\"true\",\"target\":\"out\"}]" :
	    "[{\"source\":\"in\",\"target\":\"n\"},{\"source\":\"n\",\"target\":\"out\"}]"));
	buf_reset(b);
	buf_printf(b, "{\"name\":\"hostile\",\"definition\":%s}", jsonh_str(def));
	json_object_put(def);
	return b->data;
}

/* ---------------------------------------------------------------- the corpus */

/* Saving case "c" is refused with 422 naming the node's field (and its reason). */
static void
case_refused(const struct hcase *c, struct buf *b)
{
	struct http_resp	 r;
	json_object		*errs, *e;
	const char		*field, *msg;

	ck_assert_int_eq(it_req("POST", "/api/v1/workflows", case_def(c, b), it_token(), &r), 422);
	buf_append(&seen, r.body.data, r.body.len);
	errs = json_object_object_get(r.json, "errors");
	ck_assert_msg(json_object_array_length(errs) >= 1, "%s: %s", c->text, r.body.data);
	e = json_object_array_get_idx(errs, 0);
	field = jsonh_get_string(e, "field");
	msg = jsonh_get_string(e, "message");
	ck_assert_msg(field != NULL && strncmp(field, "nodes[1].config", 15) == 0, "%s: %s",
	    c->text, r.body.data);
	ck_assert_msg(c->error == NULL || (msg != NULL && strstr(msg, c->error) != NULL),
	    "%s: want \"%s\" in %s", c->text, c->error, r.body.data);
	http_resp_clear(&r);
}

/* Case "c" saved and started; its execution id goes into c->exec. */
static void
case_start(struct hcase *c, struct buf *b)
{
	char		 wf[UUID_STRLEN + 1];
	struct http_resp r;

	ck_assert_msg(it_req("POST", "/api/v1/workflows", case_def(c, b), it_token(), &r) ==
	    201, "%s: %s", c->text, r.body.data);
	snprintf(wf, sizeof(wf), "%s", jsonh_get_string(r.json, "id"));
	http_resp_clear(&r);
	eng_start(wf, "{\"x\":1}", c->exec);
}

/* True when "err" holds one of the "|"-separated parts of "want". */
static int
error_matches(const char *err, const char *want)
{
	const char	*p = want, *bar;
	size_t		 n;

	for (;;) {
		bar = strchr(p, '|');
		n = bar != NULL ? (size_t)(bar - p) : strlen(p);
		if (memmem(err, strlen(err), p, n) != NULL)
			return 1;
		if (bar == NULL)
			return 0;
		p = bar + 1;
	}
}

/* Case "c" ended as it must: failed with its error, or succeeded with its note. */
static void
case_ended(const struct hcase *c)
{
	json_object	*ex = eng_wait(c->exec, NULL, 60000), *step;
	const char	*st, *err;

	ck_assert_msg(ex != NULL, "%s: no end within 60 s", c->text);
	buf_puts(&seen, jsonh_str(ex));
	st = jsonh_get_string(ex, "status");
	step = eng_step(ex, "n");
	if (strcmp(c->expect, "ok") == 0) {
		ck_assert_msg(strcmp(st, "succeeded") == 0, "%s: %s", c->text, jsonh_str(ex));
		ck_assert_str_eq(jsonh_str(json_object_object_get(step, "output")), c->note);
	} else {
		err = jsonh_get_string(step, "error");
		ck_assert_msg(strcmp(st, "failed") == 0 && err != NULL, "%s: %s", c->text,
		    jsonh_str(ex));
		ck_assert_msg(c->error == NULL || error_matches(err, c->error),
		    "%s: want \"%s\" in \"%s\"", c->text, c->error, err);
	}
	json_object_put(ex);
}

/* The events of execution "id", replayed now that it ended, go into "seen". */
static void
case_events(const char *id)
{
	struct http_resp	 r;
	char			 path[128];

	snprintf(path, sizeof(path), "/api/v1/executions/%s/events", id);
	ck_assert_int_eq(http_sse(path, NULL, 10, &r), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_msg(strstr(r.body.data ? r.body.data : "", "execution.") != NULL,
	    "no terminal event for %s", id);
	buf_append(&seen, r.body.data, r.body.len);
	http_resp_clear(&r);
}

/* An execution whose definition (snapshot) holds "$ ENV", inserted past the API and queued:
 * jobd refuses it itself. */
static void
sneaked_in(void)
{
	struct redis_url	 url;
	struct redis_conn	*rc;
	const char		*id;
	json_object		*ex;
	char			 sql[2048], eid[UUID_STRLEN + 1];

	/* it_sql runs psql in single quotes: literals are dollar-quoted. */
	snprintf(sql, sizeof(sql), "INSERT INTO executions (id, workflow_id, workflow_version, "
	    "definition, inputs, owner_id) SELECT gen_random_uuid(), w.id, w.version, "
	    "jsonb_set(w.definition, $p${nodes,1,config,expr}$p$, "
	    "$v$\"$ ENV.FRAGENT_DATABASE_URL\"$v$), $i${}$i$, w.owner_id FROM workflows w "
	    "WHERE w.name = $n$hostile$n$ AND w.definition->$k$nodes$k$->1->>$t$type$t$ = "
	    "$x$transform$x$ LIMIT 1 RETURNING id");
	id = it_sql(sql);
	ck_assert_msg(id != NULL && uuid_valid(id), "cannot insert the execution");
	snprintf(eid, sizeof(eid), "%s", id);
	ck_assert_int_eq(redis_url_parse(getenv("FRAGENT_REDIS_URL"), &url), 0);
	ck_assert_ptr_nonnull(rc = redis_conn_new(&url));
	ck_assert_int_eq(queue_enqueue(rc, eid), 0);
	redis_conn_free(rc);
	ex = eng_wait(eid, NULL, 30000);
	ck_assert_ptr_nonnull(ex);
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
	ck_assert_msg(strstr(jsonh_get_string(ex, "error"), "not allowed") != NULL, "%s",
	    jsonh_str(ex));
	buf_puts(&seen, jsonh_str(ex));
	json_object_put(ex);
}

/* Every log file of the stack is free of secrets. */
static void
logs_checked(void)
{
	const char	*state = getenv("FRAGENT_TEST_STATE_DIR");
	char		 cmd[1024], chunk[65536];
	struct buf	 all;
	size_t		 n;
	FILE		*p;

	ck_assert_msg(state != NULL, "FRAGENT_TEST_STATE_DIR is not set");
	snprintf(cmd, sizeof(cmd), "cat %s/log/*.log 2>/dev/null", state);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	buf_init(&all);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		buf_append(&all, chunk, n);
	pclose(p);
	ck_assert_msg(all.len > 0, "no logs read");
	secrets_absent(all.data, all.len, "the stack's logs");
	buf_clear(&all);
}

START_TEST(test_hostile_corpus)
{
	struct buf	 b;
	long		 pid = jobd_pid(), rss0, rss1;
	size_t		 i, refused = 0, ran = 0;

	ck_assert_int_gt(pid, 0);
	rss0 = rss_mb(pid);
	buf_init(&b);
	for (i = 0; i < ncases; i++)
		if (strcmp(cases[i].expect, "save") == 0) {
			case_refused(&cases[i], &b);
			refused++;
		} else
			case_start(&cases[i], &b);
	for (i = 0; i < ncases; i++)
		if (strcmp(cases[i].expect, "save") != 0) {
			case_ended(&cases[i]);
			case_events(cases[i].exec);
			ran++;
		}
	sneaked_in();
	ck_assert_int_eq(jobd_pid(), pid);		/* jobd never went down */
	rss1 = rss_mb(pid);
	ck_assert_msg(rss1 - rss0 < RSS_GROWTH_MB, "jobd's RSS grew from %ld to %ld MB", rss0,
	    rss1);
	secrets_absent(seen.data, seen.len, "answers or events");
	logs_checked();
	printf("it_sandbox: %zu cases refused at save time, %zu run; jobd RSS %ld -> %ld MB\n",
	    refused, ran, rss0, rss1);
	buf_clear(&b);
}
END_TEST

/* ---------------------------------------------------------------- runaways */

#define RUNAWAYS	10
#define SHORT_DEF \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"sum\",\"type\":\"transform\",\"config\":{\"expr\":\"{total: (.in.items | add)}\"}}," \
	"{\"id\":\"t\",\"type\":\"template\",\"config\":{\"template\":\"{{ .in.name }}: {{ " \
	".sum.output.total }}\"}},{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":" \
	"\"{{ .t.output }}\"}}],\"edges\":[{\"source\":\"in\",\"target\":\"sum\"},{\"source\":" \
	"\"sum\",\"target\":\"t\"},{\"source\":\"t\",\"target\":\"out\"}]}"
#define RUNAWAY_DEF \
	"{\"nodes\":[{\"id\":\"in\",\"type\":\"input\",\"config\":{}}," \
	"{\"id\":\"spin\",\"type\":\"transform\",\"config\":{\"expr\":\"def f: f; f\"}}," \
	"{\"id\":\"out\",\"type\":\"output\",\"config\":{\"value\":\"{{ .spin.output }}\"}}]," \
	"\"edges\":[{\"source\":\"in\",\"target\":\"spin\"},{\"source\":\"spin\"," \
	"\"target\":\"out\"}]}"

/* Ten runaways spin at the expression limit; a short workflow started meanwhile completes
 * well before that limit. */
START_TEST(test_runaways_delay_nothing)
{
	char		 wf_run[UUID_STRLEN + 1], wf_short[UUID_STRLEN + 1];
	char		 ids[RUNAWAYS][UUID_STRLEN + 1], sid[UUID_STRLEN + 1];
	json_object	*ex;
	long		 t0, took;
	int		 i;

	eng_workflow(RUNAWAY_DEF, wf_run);
	eng_workflow(SHORT_DEF, wf_short);
	ex = eng_run(SHORT_DEF, "{\"name\":\"warm\",\"items\":[1]}", "succeeded");	/* warm */
	json_object_put(ex);
	for (i = 0; i < RUNAWAYS; i++)
		eng_start(wf_run, "{}", ids[i]);
	usleep(300000);			/* they spin now */
	t0 = eng_now_ms();
	eng_start(wf_short, "{\"name\":\"short\",\"items\":[1,2,3]}", sid);
	ck_assert_ptr_nonnull(ex = eng_wait(sid, NULL, 10000));
	took = eng_now_ms() - t0;
	ck_assert_str_eq(jsonh_get_string(ex, "status"), "succeeded");
	json_object_put(ex);
	printf("it_sandbox: a short workflow took %ld ms beside %d runaways\n", took, RUNAWAYS);
	ck_assert_msg(took < 2500, "the short workflow took %ld ms beside the runaways", took);
	for (i = 0; i < RUNAWAYS; i++) {
		ck_assert_ptr_nonnull(ex = eng_wait(ids[i], NULL, 30000));
		ck_assert_str_eq(jsonh_get_string(ex, "status"), "failed");
		ck_assert_msg(strstr(jsonh_get_string(ex, "error"),
		    "expression exceeded its time limit") != NULL, "%s", jsonh_str(ex));
		json_object_put(ex);
	}
}
END_TEST

int
main(void)
{
	Suite	*s = suite_create("sandbox");
	TCase	*tc;
	int	 rc;
	size_t	 i;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (it_login_admin() == NULL) {
		fprintf(stderr, "it_sandbox: cannot sign in as the test administrator\n");
		return EXIT_FAILURE;
	}
	buf_init(&seen);
	tc = tcase_create("hostile_corpus");
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, corpus_load, NULL);
	tcase_add_unchecked_fixture(tc, secrets_load, NULL);
	tcase_add_test(tc, test_hostile_corpus);
	suite_add_tcase(s, tc);
	tc = tcase_create("runaways");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_runaways_delay_nothing);
	suite_add_tcase(s, tc);
	rc = check_run(s);
	json_object_put(corpus);
	for (i = 0; i < nsecrets; i++)
		free(secrets[i]);
	buf_clear(&seen);
	return rc;
}
